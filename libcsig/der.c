/* der.c - BER/DER reader and the handle arena (see der.h). */
#include <stdio.h>
#include <string.h>
#include "der.h"
#include "util.h"

static int der_read(csig_rd *r, unsigned depth, csig_der *out, int *is_eoc)
{
	size_t start = r->pos;
	uint64_t at = rd_abs(r);
	uint8_t id, l;
	int e;

	memset(out, 0, sizeof(*out));
	if (is_eoc)
		*is_eoc = 0;
	out->off = at;
	if ((e = rd_u8(r, &id)) != 0)
		return e;
	out->cls = id >> 6;
	out->constructed = (id >> 5) & 1;
	out->tag = id & 0x1f;
	if (out->tag == 0x1f) {
		/* high-tag-number form: base-128, minimal, at most 32 bits */
		uint64_t t = 0;
		for (int i = 0;; i++) {
			uint8_t b;
			if ((e = rd_u8(r, &b)) != 0)
				return e;
			if (i == 0 && b == 0x80)
				return CSIG_FAIL(r->err, CSIG_E_BADVALUE, at,
						 "DER tag at 0x%llx: non-minimal high tag number",
						 (unsigned long long)at);
			t = (t << 7) | (b & 0x7f);
			if (t > 0xffffffffu)
				return CSIG_FAIL(r->err, CSIG_E_LIMIT, at,
						 "DER tag at 0x%llx: tag number above 2^32",
						 (unsigned long long)at);
			if (!(b & 0x80))
				break;
		}
		if (t < 0x1f)
			return CSIG_FAIL(r->err, CSIG_E_BADVALUE, at,
					 "DER tag at 0x%llx: tag %llu must use the short form",
					 (unsigned long long)at, (unsigned long long)t);
		out->tag = (uint32_t)t;
	}
	if ((e = rd_u8(r, &l)) != 0)
		return e;
	uint64_t len = 0;
	if (l < 0x80) {
		len = l;
	} else if (l == 0x80) {
		if (!out->constructed)
			return CSIG_FAIL(r->err, CSIG_E_BADVALUE, at,
					 "DER element at 0x%llx: indefinite length on a primitive element",
					 (unsigned long long)at);
		out->indefinite = 1;
	} else {
		unsigned n = l & 0x7f;
		if (n > 8)
			return CSIG_FAIL(r->err, CSIG_E_LIMIT, at,
					 "DER element at 0x%llx: %u length octets (at most 8)",
					 (unsigned long long)at, n);
		for (unsigned i = 0; i < n; i++) {
			uint8_t b;
			if ((e = rd_u8(r, &b)) != 0)
				return e;
			len = (len << 8) | b;
		}
	}
	if (id == 0) {
		if (!out->indefinite && len == 0 && is_eoc) {
			*is_eoc = 1;
			return CSIG_OK;
		}
		return CSIG_FAIL(r->err, CSIG_E_BADVALUE, at,
				 "DER element at 0x%llx: unexpected end-of-contents or tag 0",
				 (unsigned long long)at);
	}
	out->hdr_len = r->pos - start;
	if (!out->indefinite) {
		if (len > rd_left(r))
			return CSIG_FAIL(r->err, CSIG_E_TRUNCATED, at,
					 "DER element at 0x%llx: length %llu exceeds the %llu bytes left",
					 (unsigned long long)at, (unsigned long long)len,
					 (unsigned long long)rd_left(r));
		if ((e = rd_take(r, len, &out->val, r->what)) != 0)
			return e;
	} else {
		csig_rd t;
		if (depth == 0)
			return CSIG_FAIL(r->err, CSIG_E_DEPTH, at,
					 "DER element at 0x%llx: nesting deeper than the limit",
					 (unsigned long long)at);
		if ((e = rd_tail(r, r->pos, &t, r->what)) != 0)
			return e;
		for (;;) {
			csig_der c;
			int eoc;
			if (rd_left(&t) == 0)
				return CSIG_FAIL(r->err, CSIG_E_TRUNCATED, rd_abs(&t),
						 "DER element at 0x%llx: indefinite length without end-of-contents",
						 (unsigned long long)at);
			if ((e = der_read(&t, depth - 1, &c, &eoc)) != 0)
				return e;
			if (eoc)
				break;
		}
		if ((e = rd_sub(r, r->pos, t.pos - 2, &out->val, r->what)) != 0)
			return e;
		if ((e = rd_skip(r, t.pos)) != 0)
			return e;
	}
	return rd_view_at(r, start, r->pos - start, &out->raw);
}

int csig__der_next(csig_rd *r, unsigned depth, csig_der *out)
{
	return der_read(r, depth, out, NULL);
}

int csig__der_expect(csig_rd *r, unsigned depth, unsigned cls, uint32_t tag,
		     const char *what, csig_der *out)
{
	uint64_t at = rd_abs(r);
	int e;
	if (rd_left(r) == 0)
		return CSIG_FAIL(r->err, CSIG_E_TRUNCATED, at,
				 "%s: missing at 0x%llx (end of enclosing element)",
				 what, (unsigned long long)at);
	if ((e = csig__der_next(r, depth, out)) != 0)
		return e;
	if (!der_is(out, cls, tag))
		return CSIG_FAIL(r->err, CSIG_E_BADVALUE, at,
				 "%s at 0x%llx: expected class %u tag %u, found class %u tag %u",
				 what, (unsigned long long)at, cls, (unsigned)tag,
				 out->cls, (unsigned)out->tag);
	return CSIG_OK;
}

int csig__der_peek_is(const csig_rd *r, unsigned cls, uint32_t tag)
{
	csig_rd t = *r;
	csig_der e;
	uint8_t id;
	t.err = NULL;
	if (rd_left(&t) == 0)
		return 0;
	/* short-form tags are decided by the first octet alone */
	if (tag < 0x1f) {
		if (rd_u8(&t, &id) != 0)
			return 0;
		return (unsigned)(id >> 6) == cls && (uint32_t)(id & 0x1f) == tag;
	}
	if (csig__der_next(&t, 1, &e) != 0)
		return 0;
	return der_is(&e, cls, tag);
}

int csig__der_oid_text(const csig_der *e, char *buf, size_t n)
{
	csig_rd r = e->val;
	size_t used = 0;
	int first = 1;
	if (rd_left(&r) == 0)
		return CSIG_FAIL(r.err, CSIG_E_BADVALUE, e->off,
				 "OID at 0x%llx is empty", (unsigned long long)e->off);
	if (n == 0)
		return CSIG_E_LIMIT;
	buf[0] = '\0';
	while (rd_left(&r) > 0) {
		uint64_t v = 0;
		uint8_t b;
		int k = 0;
		do {
			int rc = rd_u8(&r, &b);
			if (rc)
				return CSIG_FAIL(r.err, CSIG_E_BADVALUE, e->off,
						 "OID at 0x%llx: last arc unterminated",
						 (unsigned long long)e->off);
			if (k == 0 && b == 0x80)
				return CSIG_FAIL(r.err, CSIG_E_BADVALUE, e->off,
						 "OID at 0x%llx: non-minimal arc",
						 (unsigned long long)e->off);
			if (v >> 57)
				return CSIG_FAIL(r.err, CSIG_E_LIMIT, e->off,
						 "OID at 0x%llx: arc above 2^64",
						 (unsigned long long)e->off);
			v = (v << 7) | (b & 0x7f);
			k++;
		} while (b & 0x80);
		int w;
		if (first) {
			unsigned a = v < 40 ? 0 : v < 80 ? 1 : 2;
			w = snprintf(buf + used, n - used, "%u.%llu", a,
				     (unsigned long long)(v - 40u * a));
			first = 0;
		} else {
			w = snprintf(buf + used, n - used, ".%llu", (unsigned long long)v);
		}
		if (w < 0 || (size_t)w >= n - used)
			return CSIG_FAIL(r.err, CSIG_E_LIMIT, e->off,
					 "OID at 0x%llx is longer than %zu characters",
					 (unsigned long long)e->off, n - 1);
		used += (size_t)w;
	}
	return CSIG_OK;
}

int csig__der_uint_bytes(const csig_der *e, csig_bytes *out)
{
	csig_rd r = e->val;
	if (e->constructed || rd_left(&r) == 0)
		return CSIG_FAIL(r.err, CSIG_E_BADVALUE, e->off,
				 "INTEGER at 0x%llx is empty or constructed",
				 (unsigned long long)e->off);
	/* strip sign/leading zero octets (keep at least one) */
	csig_bytes v = rd_view(&r);
	size_t i = 0;
	while (i + 1 < v.len && v.ptr[i] == 0)
		i++;
	return rd_view_at(&r, i, v.len - i, out);
}

int csig__der_int64(const csig_der *e, int64_t *out)
{
	csig_rd r = e->val;
	size_t n = rd_left(&r);
	if (e->constructed || n == 0)
		return CSIG_FAIL(r.err, CSIG_E_BADVALUE, e->off,
				 "INTEGER at 0x%llx is empty or constructed",
				 (unsigned long long)e->off);
	if (n > 8)
		return CSIG_FAIL(r.err, CSIG_E_LIMIT, e->off,
				 "INTEGER at 0x%llx: %zu octets do not fit 64 bits",
				 (unsigned long long)e->off, n);
	uint8_t b;
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++) {
		if (rd_u8(&r, &b))
			return CSIG_E_TRUNCATED;
		if (i == 0 && (b & 0x80))
			v = ~(uint64_t)0; /* sign-extend */
		v = (v << 8) | b;
	}
	memcpy(out, &v, sizeof(v));
	return CSIG_OK;
}

int csig__der_bool(const csig_der *e, int *out)
{
	csig_rd r = e->val;
	uint8_t b;
	if (e->constructed || rd_left(&r) != 1 || rd_u8(&r, &b))
		return CSIG_FAIL(r.err, CSIG_E_BADVALUE, e->off,
				 "BOOLEAN at 0x%llx must be one octet",
				 (unsigned long long)e->off);
	*out = b != 0;
	return CSIG_OK;
}

int csig__der_bits(const csig_der *e, csig_bytes *out, unsigned *unused)
{
	csig_rd r = e->val;
	uint8_t u;
	if (e->constructed || rd_u8(&r, &u) || u > 7 || (u && rd_left(&r) == 0))
		return CSIG_FAIL(e->val.err, CSIG_E_BADVALUE, e->off,
				 "BIT STRING at 0x%llx: bad unused-bits octet or constructed",
				 (unsigned long long)e->off);
	*unused = u;
	return rd_view_at(&r, r.pos, rd_left(&r), out);
}

int64_t csig__days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int digits(const uint8_t *s, size_t n, unsigned *out)
{
	unsigned v = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] < '0' || s[i] > '9')
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return 0;
}

int csig__der_time(const csig_der *e, int64_t *out)
{
	csig_rd r = e->val;
	size_t n = rd_left(&r);
	const uint8_t *s;
	unsigned y, mo, d, h, mi, sec = 0, oh = 0, om = 0;
	size_t i;
	int gen = der_is(e, DER_UNIVERSAL, DER_GENERALIZEDTIME);
	if (e->constructed || n > 40 || rd_bytes(&r, n, &s))
		goto bad;
	i = gen ? 4 : 2;
	if (n < i + 8 + 1 || digits(s, i, &y))
		goto bad;
	if (!gen)
		y += y >= 50 ? 1900 : 2000; /* RFC 5280 4.1.2.5.1 */
	if (digits(s + i, 2, &mo) || digits(s + i + 2, 2, &d) ||
	    digits(s + i + 4, 2, &h) || digits(s + i + 6, 2, &mi))
		goto bad;
	i += 8;
	if (i + 2 <= n && s[i] >= '0' && s[i] <= '9') {
		if (digits(s + i, 2, &sec))
			goto bad;
		i += 2;
	}
	if (gen && i < n && (s[i] == '.' || s[i] == ',')) {
		i++;
		while (i < n && s[i] >= '0' && s[i] <= '9')
			i++; /* fractions of a second are dropped */
	}
	int sign = 0;
	if (i < n && s[i] == 'Z') {
		i++;
	} else if (i + 5 == n && (s[i] == '+' || s[i] == '-')) {
		sign = s[i] == '+' ? 1 : -1;
		if (digits(s + i + 1, 2, &oh) || digits(s + i + 3, 2, &om) ||
		    oh > 23 || om > 59)
			goto bad;
		i += 5;
	} else {
		goto bad;
	}
	if (i != n || mo < 1 || mo > 12 || d < 1 || d > 31 || h > 23 ||
	    mi > 59 || sec > 60)
		goto bad;
	int64_t t = csig__days_from_civil(y, mo, d) * 86400 + h * 3600 +
		    mi * 60 + sec;
	t -= (int64_t)sign * (oh * 3600 + om * 60);
	*out = t;
	return CSIG_OK;
bad:
	return CSIG_FAIL(e->val.err, CSIG_E_BADVALUE, e->off,
			 "%s at 0x%llx is malformed", gen ? "GeneralizedTime" : "UTCTime",
			 (unsigned long long)e->off);
}

/* ---- arena ------------------------------------------------------------- */

struct csig_arena_chunk {
	csig_arena_chunk *next;
	size_t size;
	/* payload follows, aligned by the union below */
};
typedef union {
	csig_arena_chunk c;
	long double ld;
	void *p;
	uint64_t u;
} arena_hdr;

void csig__arena_init(csig_arena *a, size_t limit)
{
	a->head = NULL;
	a->total = 0;
	a->limit = limit;
}

void *csig__arena_alloc(csig_arena *a, size_t n)
{
	uint64_t total, want;
	if (csig_add_overflow(n, sizeof(arena_hdr), &want) || want > SIZE_MAX ||
	    csig_add_overflow(a->total, n, &total) ||
	    (a->limit && total > a->limit))
		return NULL;
	arena_hdr *h = csig__malloc((size_t)want);
	if (!h)
		return NULL;
	memset(h, 0, (size_t)want);
	h->c.next = a->head;
	h->c.size = n;
	a->head = &h->c;
	a->total = (size_t)total;
	return h + 1;
}

void *csig__arena_calloc_n(csig_arena *a, size_t count, size_t size)
{
	uint64_t n;
	if (csig_mul_overflow(count, size, &n) || n > SIZE_MAX)
		return NULL;
	return csig__arena_alloc(a, (size_t)n);
}

char *csig__arena_strndup(csig_arena *a, const char *s, size_t n)
{
	uint64_t m;
	if (csig_add_overflow(n, 1, &m) || m > SIZE_MAX)
		return NULL;
	char *d = csig__arena_alloc(a, (size_t)m);
	if (d && n)
		memcpy(d, s, n);
	return d;
}

void csig__arena_free(csig_arena *a)
{
	csig_arena_chunk *c = a->head;
	while (c) {
		csig_arena_chunk *next = c->next;
		csig__free(c);
		c = next;
	}
	a->head = NULL;
	a->total = 0;
}

char *csig__arena_hex(csig_arena *a, const uint8_t *p, size_t n)
{
	static const char hx[] = "0123456789abcdef";
	uint64_t m;
	if (csig_mul_overflow(n, 2, &m) || m >= SIZE_MAX)
		return NULL;
	char *s = csig__arena_alloc(a, (size_t)m + 1);
	if (!s)
		return NULL;
	for (size_t i = 0; i < n; i++) {
		s[2 * i] = hx[p[i] >> 4];
		s[2 * i + 1] = hx[p[i] & 15];
	}
	return s;
}

/* ---- strings ----------------------------------------------------------- */

static size_t utf8_put(char *d, uint32_t c)
{
	if (c < 0x80) {
		d[0] = (char)c;
		return 1;
	}
	if (c < 0x800) {
		d[0] = (char)(0xc0 | (c >> 6));
		d[1] = (char)(0x80 | (c & 0x3f));
		return 2;
	}
	if (c < 0x10000) {
		d[0] = (char)(0xe0 | (c >> 12));
		d[1] = (char)(0x80 | ((c >> 6) & 0x3f));
		d[2] = (char)(0x80 | (c & 0x3f));
		return 3;
	}
	d[0] = (char)(0xf0 | (c >> 18));
	d[1] = (char)(0x80 | ((c >> 12) & 0x3f));
	d[2] = (char)(0x80 | ((c >> 6) & 0x3f));
	d[3] = (char)(0x80 | (c & 0x3f));
	return 4;
}

int csig__der_string(const csig_der *e, csig_arena *a, const char **out)
{
	csig_rd r = e->val;
	size_t n = rd_left(&r);
	const uint8_t *s;
	char *d;
	size_t k = 0;
	if (e->cls != DER_UNIVERSAL)
		goto bad;
	if (e->constructed)
		return CSIG_FAIL(r.err, CSIG_E_UNSUPPORTED, e->off,
				 "string at 0x%llx uses the constructed BER form",
				 (unsigned long long)e->off);
	if (rd_bytes(&r, n, &s))
		return CSIG_E_TRUNCATED;
	if (n > SIZE_MAX / 4 - 1)
		return CSIG_E_LIMIT;
	switch (e->tag) {
	case DER_UTF8STRING:
	case DER_PRINTABLESTRING:
	case DER_IA5STRING:
	case DER_VISIBLESTRING:
	case 18: /* NumericString */
		if (memchr(s, 0, n))
			goto nul;
		d = csig__arena_strndup(a, (const char *)s, n);
		if (!d)
			return CSIG_E_NOMEM;
		*out = d;
		return CSIG_OK;
	case DER_TELETEXSTRING: /* T.61: treated as Latin-1, as OpenSSL does */
		d = csig__arena_alloc(a, 2 * n + 1);
		if (!d)
			return CSIG_E_NOMEM;
		for (size_t i = 0; i < n; i++) {
			if (s[i] == 0)
				goto nul;
			k += utf8_put(d + k, s[i]);
		}
		*out = d;
		return CSIG_OK;
	case DER_BMPSTRING:
		if (n % 2)
			goto bad;
		d = csig__arena_alloc(a, 2 * n + 1); /* <= 3 bytes per 2 */
		if (!d)
			return CSIG_E_NOMEM;
		for (size_t i = 0; i < n; i += 2) {
			uint32_t c = (uint32_t)s[i] << 8 | s[i + 1];
			if (c == 0)
				goto nul;
			if (c >= 0xd800 && c <= 0xdbff && i + 3 < n) {
				uint32_t c2 = (uint32_t)s[i + 2] << 8 | s[i + 3];
				if (c2 >= 0xdc00 && c2 <= 0xdfff) {
					c = 0x10000 + ((c - 0xd800) << 10) + (c2 - 0xdc00);
					i += 2;
				}
			}
			if (c >= 0xd800 && c <= 0xdfff)
				c = 0xfffd;
			k += utf8_put(d + k, c);
		}
		*out = d;
		return CSIG_OK;
	case DER_UNIVERSALSTRING:
		if (n % 4)
			goto bad;
		d = csig__arena_alloc(a, n + 1);
		if (!d)
			return CSIG_E_NOMEM;
		for (size_t i = 0; i < n; i += 4) {
			uint32_t c = (uint32_t)s[i] << 24 | (uint32_t)s[i + 1] << 16 |
				     (uint32_t)s[i + 2] << 8 | s[i + 3];
			if (c == 0)
				goto nul;
			if (c > 0x10ffff || (c >= 0xd800 && c <= 0xdfff))
				c = 0xfffd;
			k += utf8_put(d + k, c);
		}
		*out = d;
		return CSIG_OK;
	default:
		break;
	}
bad:
	return CSIG_FAIL(r.err, CSIG_E_BADVALUE, e->off,
			 "string at 0x%llx: class %u tag %u is not a supported string type",
			 (unsigned long long)e->off, e->cls, (unsigned)e->tag);
nul:
	return CSIG_FAIL(r.err, CSIG_E_BADVALUE, e->off,
			 "string at 0x%llx contains a NUL character",
			 (unsigned long long)e->off);
}

/* Sum (pass 1) or copy (pass 2) the chunks of a constructed OCTET STRING. */
static int octets_walk(const csig_der *e, unsigned depth, uint8_t *dst,
		       size_t cap, size_t *n)
{
	csig_rd r = e->val;
	if (!e->constructed) {
		size_t m = rd_left(&r);
		const uint8_t *s;
		if (m > cap - *n)
			return CSIG_E_LIMIT;
		if (rd_bytes(&r, m, &s))
			return CSIG_E_TRUNCATED;
		if (dst && m)
			memcpy(dst + *n, s, m);
		*n += m;
		return CSIG_OK;
	}
	if (depth == 0)
		return CSIG_FAIL(r.err, CSIG_E_DEPTH, e->off,
				 "OCTET STRING at 0x%llx: nesting deeper than the limit",
				 (unsigned long long)e->off);
	while (rd_left(&r) > 0) {
		csig_der c;
		int rc = csig__der_expect(&r, depth - 1, DER_UNIVERSAL, DER_OCTET_STRING,
					  "OCTET STRING chunk", &c);
		if (rc)
			return rc;
		if ((rc = octets_walk(&c, depth - 1, dst, cap, n)) != 0)
			return rc;
	}
	return CSIG_OK;
}

int csig__der_octets(const csig_der *e, unsigned depth, csig_arena *a,
		     csig_bytes *out)
{
	size_t total = 0, n = 0;
	int rc;
	if (!der_is(e, DER_UNIVERSAL, DER_OCTET_STRING))
		return CSIG_FAIL(e->val.err, CSIG_E_BADVALUE, e->off,
				 "expected OCTET STRING at 0x%llx, found class %u tag %u",
				 (unsigned long long)e->off, e->cls, (unsigned)e->tag);
	if (!e->constructed) {
		*out = rd_view(&e->val);
		return CSIG_OK;
	}
	if ((rc = octets_walk(e, depth, NULL, SIZE_MAX, &total)) != 0)
		return rc;
	uint8_t *buf = csig__arena_alloc(a, total ? total : 1);
	if (!buf)
		return CSIG_E_NOMEM;
	if ((rc = octets_walk(e, depth, buf, total, &n)) != 0)
		return rc;
	out->ptr = buf;
	out->len = n;
	return CSIG_OK;
}
