/*
 * plist.c - the property-list value model: document, arena, findings,
 * format detection, getters and the JSON/text/XML writers.
 * See csig/plist.h.
 */
#include <stdlib.h>
#include <stdarg.h>
#include <math.h> /* INFINITY only: no libm functions are used */
#include <stdio.h>
#include <string.h>
#include "plist_int.h"

/* ---- arena ---------------------------------------------------------- */

struct plist_chunk {
	struct plist_chunk *next;
	size_t used, cap;
	/* data follows, 16-aligned */
};

#define CHUNK_HDR ((sizeof(struct plist_chunk) + 15u) & ~(size_t)15u)
#define CHUNK_MIN 16384u

void *csig__plist_alloc(csig_plist *d, size_t n)
{
	n = (n + 15u) & ~(size_t)15u;
	if (n == 0)
		n = 16;
	struct plist_chunk *c = d->arena;
	if (!c || n > c->cap - c->used) {
		size_t cap = n > CHUNK_MIN ? n : CHUNK_MIN;
		if (cap > SIZE_MAX - CHUNK_HDR)
			return NULL;
		c = csig__malloc(CHUNK_HDR + cap);
		if (!c)
			return NULL;
		c->cap = cap;
		c->used = 0;
		c->next = d->arena;
		d->arena = c;
	}
	unsigned char *base = (unsigned char *)c + CHUNK_HDR;
	void *p = base + c->used;
	c->used += n;
	memset(p, 0, n);
	return p;
}

char *csig__plist_strdup(csig_plist *d, const void *p, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	char *s = csig__plist_alloc(d, n + 1);
	if (s && n)
		memcpy(s, p, n);
	return s;
}

int csig__plist_charge(csig_plist *d, uint64_t n, uint64_t off, csig_error *err)
{
	if (n > d->max_count || d->nodes > d->max_count - n)
		return CSIG_FAIL(err, CSIG_E_LIMIT, off,
				 "plist: more than %llu values (limit max_count)",
				 (unsigned long long)d->max_count);
	d->nodes += n;
	return CSIG_OK;
}

int csig__plist_node(csig_plist *d, int type, uint64_t off, csig_pval **out,
		     csig_error *err)
{
	int e = csig__plist_charge(d, 1, off, err);
	if (e)
		return e;
	csig_pval *v = csig__plist_alloc(d, sizeof(*v));
	if (!v)
		return CSIG_FAIL(err, CSIG_E_NOMEM, off, "plist: out of memory");
	v->type = (uint8_t)type;
	v->off = off;
	*out = v;
	return CSIG_OK;
}

int csig__plist_finding(csig_plist *d, int code, uint64_t off, const char *fmt, ...)
{
	if (d->findings_full)
		return CSIG_OK;
	if (!d->findings) {
		d->findings = csig__plist_alloc(d, PLIST_MAX_FINDINGS * sizeof(plist_finding));
		if (!d->findings)
			return CSIG_E_NOMEM;
	}
	char buf[192];
	if (d->nfindings == PLIST_MAX_FINDINGS - 1) {
		d->findings_full = 1;
		code = CSIG_PLIST_F_TRUNCATED_LIST;
		snprintf(buf, sizeof(buf), "more than %u findings; the rest were dropped",
			 PLIST_MAX_FINDINGS - 1);
	} else {
		va_list ap;
		va_start(ap, fmt);
		vsnprintf(buf, sizeof(buf), fmt, ap);
		va_end(ap);
	}
	char *m = csig__plist_strdup(d, buf, strlen(buf));
	if (!m)
		return CSIG_E_NOMEM;
	plist_finding *f = &d->findings[d->nfindings++];
	f->code = code;
	f->off = off;
	f->msg = m;
	return CSIG_OK;
}

size_t csig__utf8_check(const uint8_t *p, size_t n)
{
	size_t i = 0;
	while (i < n) {
		uint8_t c = p[i];
		if (c < 0x80) {
			i++;
			continue;
		}
		size_t k;
		uint32_t cp, min;
		if (c >= 0xc2 && c <= 0xdf) { k = 1; cp = c & 0x1fu; min = 0x80; }
		else if (c >= 0xe0 && c <= 0xef) { k = 2; cp = c & 0x0fu; min = 0x800; }
		else if (c >= 0xf0 && c <= 0xf4) { k = 3; cp = c & 0x07u; min = 0x10000; }
		else
			return i + 1; /* continuation byte, overlong C0/C1 or > U+10FFFF lead */
		if (k > n - i - 1)
			return i + 1;
		for (size_t j = 1; j <= k; j++) {
			uint8_t cc = p[i + j];
			if ((cc & 0xc0u) != 0x80u)
				return i + 1;
			cp = (cp << 6) | (cc & 0x3fu);
		}
		if (cp < min || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff))
			return i + 1; /* overlong, out of range or surrogate */
		i += k + 1;
	}
	return 0;
}

int csig__vec_push(plist_vec *p, const csig_pval *x)
{
	if (p->n == p->cap) {
		size_t cap = p->cap ? p->cap * 2 : 16;
		if (cap > SIZE_MAX / sizeof(*p->v))
			return CSIG_E_NOMEM;
		const csig_pval **nv = csig__realloc(p->v, cap * sizeof(*p->v));
		if (!nv)
			return CSIG_E_NOMEM;
		p->v = nv;
		p->cap = cap;
	}
	p->v[p->n++] = x;
	return CSIG_OK;
}

void csig__vec_free(plist_vec *p)
{
	csig__free(p->v);
	p->v = NULL;
	p->n = p->cap = 0;
}

static int key_cmp(const void *a, const void *b)
{
	const csig_pval *x = *(const csig_pval *const *)a;
	const csig_pval *y = *(const csig_pval *const *)b;
	size_t n = x->len < y->len ? x->len : y->len;
	int c = n ? memcmp(x->str, y->str, n) : 0;
	if (c)
		return c;
	if (x->len != y->len)
		return x->len < y->len ? -1 : 1;
	/* equal keys: order by position so the report names the later one */
	return x->off < y->off ? -1 : (x->off > y->off);
}

/* Report each duplicated key once per extra occurrence. */
static int dupcheck(csig_plist *d, const csig_pval *dict, csig_error *err)
{
	if (dict->count < 2)
		return CSIG_OK;
	const csig_pval **keys = csig__calloc_n(dict->count, sizeof(*keys));
	if (!keys)
		return CSIG_FAIL(err, CSIG_E_NOMEM, dict->off, "plist: out of memory");
	for (size_t i = 0; i < dict->count; i++)
		keys[i] = dict->kids[2 * i];
	qsort(keys, dict->count, sizeof(*keys), key_cmp);
	int e = CSIG_OK;
	for (size_t i = 1; i < dict->count && !e; i++) {
		const csig_pval *a = keys[i - 1], *b = keys[i];
		if (a->len == b->len && (a->len == 0 || memcmp(a->str, b->str, a->len) == 0))
			e = csig__plist_finding(d, CSIG_PLIST_F_DUPLICATE_KEY, b->off,
						"dictionary at 0x%llx: key \"%.60s\" appears again at 0x%llx (first at 0x%llx); parsers disagree on which value wins",
						(unsigned long long)dict->off, a->str,
						(unsigned long long)b->off, (unsigned long long)a->off);
	}
	csig__free(keys);
	if (e)
		return CSIG_FAIL(err, e, dict->off, "plist: out of memory");
	return CSIG_OK;
}

int csig__plist_container(csig_plist *d, csig_pval *v, const plist_vec *kids,
			  csig_error *err)
{
	size_t n = kids->n;
	if (v->type == CSIG_PVAL_DICT)
		v->count = n / 2;
	else
		v->count = n;
	if (n) {
		const csig_pval **k = csig__plist_alloc(d, n * sizeof(*k));
		if (!k)
			return CSIG_FAIL(err, CSIG_E_NOMEM, v->off, "plist: out of memory");
		memcpy(k, kids->v, n * sizeof(*k));
		v->kids = k;
	}
	if (v->type == CSIG_PVAL_DICT)
		return dupcheck(d, v, err);
	return CSIG_OK;
}

/* ---- documents ------------------------------------------------------ */

int csig__plist_new(csig_plist **out, const void *buf, size_t len,
		    uint64_t base, const csig_open_options *opts, csig_error *err)
{
	unsigned depth = CSIG_LIMIT_DEPTH_DEFAULT, count = CSIG_LIMIT_COUNT_DEFAULT;
	if (opts) {
		if (opts->version != CSIG_OPEN_OPTIONS_VERSION)
			return CSIG_FAIL(err, CSIG_E_INVAL, 0,
					 "plist: unknown options version %u", opts->version);
		if (opts->max_depth && opts->max_depth < depth)
			depth = opts->max_depth;
		if (opts->max_count && opts->max_count < count)
			count = opts->max_count;
	}
	csig_plist *d = csig__calloc_n(1, sizeof(*d));
	if (!d)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "plist: out of memory");
	d->src = csig__malloc(len ? len : 1);
	if (!d->src) {
		csig__free(d);
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "plist: out of memory copying %zu bytes", len);
	}
	if (len)
		memcpy(d->src, buf, len);
	d->src_len = len;
	d->base = base;
	d->max_depth = depth;
	d->max_count = count;
	*out = d;
	return CSIG_OK;
}

void csig_plist_free(csig_plist *d)
{
	if (!d)
		return;
	struct plist_chunk *c = d->arena;
	while (c) {
		struct plist_chunk *n = c->next;
		csig__free(c);
		c = n;
	}
	csig__free(d->src);
	csig__free(d);
}

static int has_prefix(const csig_rd *r, const char *s)
{
	return rd_match(r, 0, s, strlen(s)) == 0;
}

/* Which encoding do the first bytes announce?  0 when none. */
static unsigned sniff(const csig_plist *d)
{
	csig_rd r;
	rd_init(&r, d->src, d->src_len, d->base, "plist", NULL);
	if (has_prefix(&r, "bplist"))
		return CSIG_PLIST_BINARY;
	uint8_t c;
	if (rd_u8(&r, &c))
		return 0;
	if (c == 0x70 || c == 0x31)
		return CSIG_PLIST_DER;
	r.pos = 0;
	if (has_prefix(&r, "\xef\xbb\xbf"))
		r.pos = 3;
	while (!rd_u8(&r, &c)) {
		if (c == '<')
			return CSIG_PLIST_XML;
		if (c != ' ' && c != '\t' && c != '\r' && c != '\n')
			return 0;
	}
	return 0;
}

int csig__plist_parse_at(csig_plist **out, const void *buf, size_t len,
			 uint64_t base, unsigned flags,
			 const csig_open_options *opts, csig_error *err)
{
	if (!out || (!buf && len))
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "plist: NULL argument");
	*out = NULL;
	csig_plist *d;
	int e = csig__plist_new(&d, buf, len, base, opts, err);
	if (e)
		return e;
	unsigned allow = flags & (CSIG_PLIST_XML | CSIG_PLIST_BINARY | CSIG_PLIST_DER);
	if (!allow)
		allow = CSIG_PLIST_XML | CSIG_PLIST_BINARY | CSIG_PLIST_DER;
	unsigned fmt = sniff(d);
	if (!(fmt & allow)) {
		/* a single explicit format is tried even when sniffing disagrees */
		if (allow == CSIG_PLIST_XML || allow == CSIG_PLIST_BINARY ||
		    allow == CSIG_PLIST_DER)
			fmt = allow;
		else
			fmt = 0;
	}
	if (!fmt) {
		csig_plist_free(d);
		return CSIG_FAIL(err, CSIG_E_BADMAGIC, base,
				 "plist: %zu bytes are not an XML, binary or DER property list",
				 len);
	}
	d->format = fmt;
	if (fmt == CSIG_PLIST_XML)
		e = csig__plist_parse_xml(d, err);
	else if (fmt == CSIG_PLIST_BINARY)
		e = csig__plist_parse_bin(d, err);
	else
		e = csig__plist_parse_der(d, err);
	if (e) {
		csig_plist_free(d);
		return e;
	}
	*out = d;
	return CSIG_OK;
}

int csig_plist_parse(csig_plist **out, const void *buf, size_t len,
		     unsigned flags, const csig_open_options *opts, csig_error *err)
{
	csig__error_clear(err);
	return csig__plist_parse_at(out, buf, len, 0, flags, opts, err);
}

const csig_pval *csig_plist_root(const csig_plist *d) { return d ? d->root : NULL; }
unsigned csig_plist_format(const csig_plist *d) { return d ? d->format : 0; }

csig_bytes csig_plist_source(const csig_plist *d)
{
	csig_bytes b = { NULL, 0 };
	if (d) {
		b.ptr = d->src;
		b.len = d->src_len;
	}
	return b;
}

size_t csig_plist_finding_count(const csig_plist *d) { return d ? d->nfindings : 0; }

int csig_plist_finding(const csig_plist *d, size_t i, int *code,
		       uint64_t *offset, const char **msg)
{
	if (!d)
		return CSIG_E_INVAL;
	if (i >= d->nfindings)
		return CSIG_E_NOTFOUND;
	const plist_finding *f = &d->findings[i];
	if (code)
		*code = f->code;
	if (offset)
		*offset = f->off;
	if (msg)
		*msg = f->msg;
	return CSIG_OK;
}

const char *csig_plist_finding_name(int code)
{
	static const char names[][20] = {
		"?", "duplicate-key", "comment-in-text", "odd-comment",
		"whitespace-in-tag", "bom", "bad-utf8", "encoding",
		"unknown-tag", "unsorted-keys", "noncanonical", "attribute",
		"version", "trailing", "findings-truncated",
	};
	if (code <= 0 || (size_t)code >= CSIG_ARRAY_LEN(names))
		return "?";
	return names[code];
}

/* ---- nodes ---------------------------------------------------------- */

csig_pval_type csig_pval_type_of(const csig_pval *v) { return v ? (csig_pval_type)v->type : (csig_pval_type)0; }
uint64_t csig_pval_offset(const csig_pval *v) { return v ? v->off : 0; }

const char *csig_pval_type_name(int t)
{
	static const char names[][8] = {
		"?", "dict", "array", "string", "integer", "real", "bool",
		"date", "data", "uid",
	};
	if (t <= 0 || (size_t)t >= CSIG_ARRAY_LEN(names))
		return "?";
	return names[t];
}

static int want(const csig_pval *v, int type)
{
	if (!v)
		return CSIG_E_INVAL;
	return v->type == type ? CSIG_OK : CSIG_E_BADVALUE;
}

int csig_pval_string(const csig_pval *v, csig_bytes *out)
{
	int e = want(v, CSIG_PVAL_STRING);
	if (e || !out)
		return e ? e : CSIG_E_INVAL;
	out->ptr = (const uint8_t *)v->str;
	out->len = v->len;
	return CSIG_OK;
}

int csig_pval_data(const csig_pval *v, csig_bytes *out)
{
	int e = want(v, CSIG_PVAL_DATA);
	if (e || !out)
		return e ? e : CSIG_E_INVAL;
	out->ptr = (const uint8_t *)v->str;
	out->len = v->len;
	return CSIG_OK;
}

const char *csig_pval_cstr(const csig_pval *v, size_t *len)
{
	if (!v || v->type != CSIG_PVAL_STRING)
		return NULL;
	if (len)
		*len = v->len;
	return v->str;
}

int csig_pval_int(const csig_pval *v, int64_t *out)
{
	int e = want(v, CSIG_PVAL_INTEGER);
	if (e || !out)
		return e ? e : CSIG_E_INVAL;
	if (v->flags & PV_F_UNSIGNED)
		return CSIG_E_OVERFLOW;
	*out = v->num.i;
	return CSIG_OK;
}

int csig_pval_uint(const csig_pval *v, uint64_t *out)
{
	int e = want(v, CSIG_PVAL_INTEGER);
	if (e || !out)
		return e ? e : CSIG_E_INVAL;
	if (!(v->flags & PV_F_UNSIGNED) && v->num.i < 0)
		return CSIG_E_OVERFLOW;
	*out = v->num.u;
	return CSIG_OK;
}

int csig_pval_real(const csig_pval *v, double *out)
{
	int e = want(v, CSIG_PVAL_REAL);
	if (e || !out)
		return e ? e : CSIG_E_INVAL;
	*out = v->num.d;
	return CSIG_OK;
}

int csig_pval_bool(const csig_pval *v, int *out)
{
	int e = want(v, CSIG_PVAL_BOOL);
	if (e || !out)
		return e ? e : CSIG_E_INVAL;
	*out = v->num.i != 0;
	return CSIG_OK;
}

int csig_pval_date_real(const csig_pval *v, double *out)
{
	int e = want(v, CSIG_PVAL_DATE);
	if (e || !out)
		return e ? e : CSIG_E_INVAL;
	*out = v->num.d;
	return CSIG_OK;
}

/* Whole seconds, toward -inf, saturated to the int64 range (NaN -> 0). */
static int64_t date_secs(double d)
{
	if (d != d)
		return 0;
	/* saturate first, then floor by hand: the library links libc only */
	if (d >= 9.2233720368547758e18)
		return INT64_MAX;
	if (d <= -9.2233720368547758e18)
		return INT64_MIN;
	int64_t t = (int64_t)d; /* truncates toward zero */
	return (double)t > d ? t - 1 : t;
}

int csig_pval_date(const csig_pval *v, int64_t *out)
{
	int e = want(v, CSIG_PVAL_DATE);
	if (e || !out)
		return e ? e : CSIG_E_INVAL;
	*out = date_secs(v->num.d);
	return CSIG_OK;
}

int csig_pval_uid(const csig_pval *v, uint64_t *out)
{
	int e = want(v, CSIG_PVAL_UID);
	if (e || !out)
		return e ? e : CSIG_E_INVAL;
	*out = v->num.u;
	return CSIG_OK;
}

size_t csig_pval_count(const csig_pval *v)
{
	if (!v || (v->type != CSIG_PVAL_DICT && v->type != CSIG_PVAL_ARRAY))
		return 0;
	return v->count;
}

const csig_pval *csig_pval_dict_key(const csig_pval *v, size_t i)
{
	if (!v || v->type != CSIG_PVAL_DICT || i >= v->count)
		return NULL;
	return v->kids[2 * i];
}

const csig_pval *csig_pval_dict_value(const csig_pval *v, size_t i)
{
	if (!v || v->type != CSIG_PVAL_DICT || i >= v->count)
		return NULL;
	return v->kids[2 * i + 1];
}

const csig_pval *csig_pval_dict_getn(const csig_pval *v, const char *key, size_t n)
{
	if (!v || v->type != CSIG_PVAL_DICT || (!key && n))
		return NULL;
	for (size_t i = v->count; i > 0; i--) { /* last duplicate wins */
		const csig_pval *k = v->kids[2 * (i - 1)];
		if (k->len == n && (n == 0 || memcmp(k->str, key, n) == 0))
			return v->kids[2 * (i - 1) + 1];
	}
	return NULL;
}

const csig_pval *csig_pval_dict_get(const csig_pval *v, const char *key)
{
	if (!key)
		return NULL;
	return csig_pval_dict_getn(v, key, strlen(key));
}

const csig_pval *csig_pval_array_item(const csig_pval *v, size_t i)
{
	if (!v || v->type != CSIG_PVAL_ARRAY || i >= v->count)
		return NULL;
	return v->kids[i];
}

int csig__pval_equal(const csig_pval *a, const csig_pval *b)
{
	if (a == b)
		return 0;
	if (!a || !b || a->type != b->type)
		return 1;
	switch (a->type) {
	case CSIG_PVAL_STRING:
	case CSIG_PVAL_DATA:
		return a->len != b->len || (a->len && memcmp(a->str, b->str, a->len) != 0);
	case CSIG_PVAL_INTEGER:
		return (a->flags & PV_F_UNSIGNED) != (b->flags & PV_F_UNSIGNED) ||
		       a->num.u != b->num.u;
	case CSIG_PVAL_BOOL:
		return (a->num.i != 0) != (b->num.i != 0);
	case CSIG_PVAL_UID:
		return a->num.u != b->num.u;
	case CSIG_PVAL_REAL:
	case CSIG_PVAL_DATE:
		return !(a->num.d == b->num.d) &&
		       !(a->num.d != a->num.d && b->num.d != b->num.d);
	case CSIG_PVAL_ARRAY:
		if (a->count != b->count)
			return 1;
		for (size_t i = 0; i < a->count; i++)
			if (csig__pval_equal(a->kids[i], b->kids[i]))
				return 1;
		return 0;
	case CSIG_PVAL_DICT:
		if (a->count != b->count)
			return 1;
		for (size_t i = 0; i < a->count; i++) {
			const csig_pval *k = a->kids[2 * i];
			const csig_pval *bv = csig_pval_dict_getn(b, k->str, k->len);
			if (!bv || csig__pval_equal(csig_pval_dict_getn(a, k->str, k->len), bv))
				return 1;
		}
		return 0;
	default:
		return 1;
	}
}

/* ---- JSON ----------------------------------------------------------- */

void csig__plist_json(csig_json *j, const csig_pval *v)
{
	if (!v) {
		json_null(j);
		return;
	}
	switch (v->type) {
	case CSIG_PVAL_DICT:
		json_obj_begin(j);
		for (size_t i = 0; i < v->count; i++) {
			const csig_pval *k = v->kids[2 * i];
			/* json_key wants a C string; keys with NULs are cut there */
			json_key(j, k->str);
			csig__plist_json(j, v->kids[2 * i + 1]);
		}
		json_obj_end(j);
		break;
	case CSIG_PVAL_ARRAY:
		json_arr_begin(j);
		for (size_t i = 0; i < v->count; i++)
			csig__plist_json(j, v->kids[i]);
		json_arr_end(j);
		break;
	case CSIG_PVAL_STRING:
		json_strn(j, v->str, v->len);
		break;
	case CSIG_PVAL_INTEGER:
		if (v->flags & PV_F_UNSIGNED)
			json_u64(j, v->num.u);
		else
			json_i64(j, v->num.i);
		break;
	case CSIG_PVAL_REAL:
		json_double(j, v->num.d);
		break;
	case CSIG_PVAL_BOOL:
		json_bool(j, v->num.i != 0);
		break;
	case CSIG_PVAL_DATE:
		json_time(j, date_secs(v->num.d));
		break;
	case CSIG_PVAL_DATA:
		json_base64(j, (const uint8_t *)v->str, v->len);
		break;
	case CSIG_PVAL_UID:
		json_obj_begin(j);
		json_kv_u64(j, "CF$UID", v->num.u);
		json_obj_end(j);
		break;
	default:
		json_null(j);
	}
}

int csig_plist_to_json(const csig_plist *d, const csig_pval *v, int pretty,
		       char **out, size_t *len, csig_error *err)
{
	if (!d || !out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "plist: NULL argument");
	csig_json j;
	json_init(&j, pretty);
	csig__plist_json(&j, v ? v : d->root);
	return json_finish(&j, out, len, err);
}

/* ---- text buffer ---------------------------------------------------- */

void csig__sb_put(plist_sb *s, const void *p, size_t n)
{
	if (s->failed || n == 0)
		return;
	if (n >= s->cap - s->len) {
		size_t cap = s->cap ? s->cap : 256;
		while (n >= cap - s->len) {
			if (cap > SIZE_MAX / 2) {
				s->failed = CSIG_E_NOMEM;
				return;
			}
			cap *= 2;
		}
		char *nb = csig__realloc(s->buf, cap);
		if (!nb) {
			s->failed = CSIG_E_NOMEM;
			return;
		}
		s->buf = nb;
		s->cap = cap;
	}
	memcpy(s->buf + s->len, p, n);
	s->len += n;
	s->buf[s->len] = '\0';
}

void csig__sb_puts(plist_sb *s, const char *str) { csig__sb_put(s, str, strlen(str)); }

void csig__sb_printf(plist_sb *s, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0)
		return;
	csig__sb_put(s, buf, (size_t)n < sizeof(buf) ? (size_t)n : sizeof(buf) - 1);
}

int csig__sb_finish(plist_sb *s, char **out, size_t *len, csig_error *err)
{
	if (!s->failed && !s->buf) {
		s->buf = csig__malloc(1);
		if (s->buf)
			s->buf[0] = '\0';
		else
			s->failed = CSIG_E_NOMEM;
	}
	if (s->failed) {
		csig__free(s->buf);
		s->buf = NULL;
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "plist: out of memory writing text");
	}
	*out = s->buf;
	if (len)
		*len = s->len;
	s->buf = NULL;
	return CSIG_OK;
}

static void indent(plist_sb *s, unsigned n, const char *unit)
{
	for (unsigned i = 0; i < n; i++)
		csig__sb_puts(s, unit);
}

static void fmt_real(char out[40], double d)
{
	if (d != d)
		snprintf(out, 40, "nan");
	else if (d == INFINITY)
		snprintf(out, 40, "+infinity");
	else if (d == -INFINITY)
		snprintf(out, 40, "-infinity");
	else
		snprintf(out, 40, "%.17g", d);
}

/* ---- readable text -------------------------------------------------- */

static void text_str(plist_sb *s, const char *p, size_t n)
{
	csig__sb_put(s, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)p[i];
		if (c == '"' || c == '\\') {
			char e[2] = { '\\', (char)c };
			csig__sb_put(s, e, 2);
		} else if (c < 0x20 || c == 0x7f) {
			if (c == '\n')
				csig__sb_puts(s, "\\n");
			else if (c == '\t')
				csig__sb_puts(s, "\\t");
			else
				csig__sb_printf(s, "\\x%02x", c);
		} else {
			csig__sb_put(s, &p[i], 1);
		}
	}
	csig__sb_put(s, "\"", 1);
}

static void text_val(plist_sb *s, const csig_pval *v, unsigned lvl)
{
	char b[40];
	switch (v->type) {
	case CSIG_PVAL_DICT:
		if (!v->count) {
			csig__sb_puts(s, "{}");
			break;
		}
		csig__sb_puts(s, "{\n");
		for (size_t i = 0; i < v->count; i++) {
			indent(s, lvl + 1, "  ");
			text_str(s, v->kids[2 * i]->str, v->kids[2 * i]->len);
			csig__sb_puts(s, " = ");
			text_val(s, v->kids[2 * i + 1], lvl + 1);
			csig__sb_puts(s, ";\n");
		}
		indent(s, lvl, "  ");
		csig__sb_puts(s, "}");
		break;
	case CSIG_PVAL_ARRAY:
		if (!v->count) {
			csig__sb_puts(s, "()");
			break;
		}
		csig__sb_puts(s, "(\n");
		for (size_t i = 0; i < v->count; i++) {
			indent(s, lvl + 1, "  ");
			text_val(s, v->kids[i], lvl + 1);
			csig__sb_puts(s, i + 1 < v->count ? ",\n" : "\n");
		}
		indent(s, lvl, "  ");
		csig__sb_puts(s, ")");
		break;
	case CSIG_PVAL_STRING:
		text_str(s, v->str, v->len);
		break;
	case CSIG_PVAL_INTEGER:
		if (v->flags & PV_F_UNSIGNED)
			csig__sb_printf(s, "%llu", (unsigned long long)v->num.u);
		else
			csig__sb_printf(s, "%lld", (long long)v->num.i);
		break;
	case CSIG_PVAL_REAL:
		fmt_real(b, v->num.d);
		csig__sb_puts(s, b);
		break;
	case CSIG_PVAL_BOOL:
		csig__sb_puts(s, v->num.i ? "true" : "false");
		break;
	case CSIG_PVAL_DATE: {
		char t[32];
		csig__format_time(date_secs(v->num.d), t);
		csig__sb_puts(s, t);
		break;
	}
	case CSIG_PVAL_DATA:
		csig__sb_puts(s, "<");
		for (size_t i = 0; i < v->len; i++)
			csig__sb_printf(s, "%02x", (unsigned char)v->str[i]);
		csig__sb_puts(s, ">");
		break;
	case CSIG_PVAL_UID:
		csig__sb_printf(s, "CF$UID(%llu)", (unsigned long long)v->num.u);
		break;
	default:
		csig__sb_puts(s, "?");
	}
}

int csig_plist_to_text(const csig_plist *d, const csig_pval *v, char **out,
		       size_t *len, csig_error *err)
{
	if (!d || !out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "plist: NULL argument");
	plist_sb s = { NULL, 0, 0, 0 };
	text_val(&s, v ? v : d->root, 0);
	csig__sb_puts(&s, "\n");
	return csig__sb_finish(&s, out, len, err);
}

/* ---- XML writer ----------------------------------------------------- */

static void xml_esc(plist_sb *s, const char *p, size_t n)
{
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		const char *rep = NULL;
		if (p[i] == '&')
			rep = "&amp;";
		else if (p[i] == '<')
			rep = "&lt;";
		else if (p[i] == '>')
			rep = "&gt;";
		if (rep) {
			csig__sb_put(s, p + run, i - run);
			csig__sb_puts(s, rep);
			run = i + 1;
		}
	}
	csig__sb_put(s, p + run, n - run);
}

static void xml_b64(plist_sb *s, const uint8_t *p, size_t n, unsigned lvl)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t col = 0;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		size_t k = n - i >= 3 ? 3 : n - i;
		if (k > 1)
			v |= (uint32_t)p[i + 1] << 8;
		if (k > 2)
			v |= p[i + 2];
		char q[4] = { tab[v >> 18], tab[(v >> 12) & 63],
			      k > 1 ? tab[(v >> 6) & 63] : '=', k > 2 ? tab[v & 63] : '=' };
		if (col == 0)
			indent(s, lvl, "\t");
		csig__sb_put(s, q, 4);
		col += 4;
		if (col >= 68) {
			csig__sb_puts(s, "\n");
			col = 0;
		}
	}
	if (col)
		csig__sb_puts(s, "\n");
}

static void xml_val(plist_sb *s, const csig_pval *v, unsigned lvl)
{
	char b[40];
	indent(s, lvl, "\t");
	switch (v->type) {
	case CSIG_PVAL_DICT:
		if (!v->count) {
			csig__sb_puts(s, "<dict/>\n");
			break;
		}
		csig__sb_puts(s, "<dict>\n");
		for (size_t i = 0; i < v->count; i++) {
			indent(s, lvl + 1, "\t");
			csig__sb_puts(s, "<key>");
			xml_esc(s, v->kids[2 * i]->str, v->kids[2 * i]->len);
			csig__sb_puts(s, "</key>\n");
			xml_val(s, v->kids[2 * i + 1], lvl + 1);
		}
		indent(s, lvl, "\t");
		csig__sb_puts(s, "</dict>\n");
		break;
	case CSIG_PVAL_ARRAY:
		if (!v->count) {
			csig__sb_puts(s, "<array/>\n");
			break;
		}
		csig__sb_puts(s, "<array>\n");
		for (size_t i = 0; i < v->count; i++)
			xml_val(s, v->kids[i], lvl + 1);
		indent(s, lvl, "\t");
		csig__sb_puts(s, "</array>\n");
		break;
	case CSIG_PVAL_STRING:
		csig__sb_puts(s, "<string>");
		xml_esc(s, v->str, v->len);
		csig__sb_puts(s, "</string>\n");
		break;
	case CSIG_PVAL_INTEGER:
		if (v->flags & PV_F_UNSIGNED)
			csig__sb_printf(s, "<integer>%llu</integer>\n", (unsigned long long)v->num.u);
		else
			csig__sb_printf(s, "<integer>%lld</integer>\n", (long long)v->num.i);
		break;
	case CSIG_PVAL_REAL:
		fmt_real(b, v->num.d);
		csig__sb_printf(s, "<real>%s</real>\n", b);
		break;
	case CSIG_PVAL_BOOL:
		csig__sb_puts(s, v->num.i ? "<true/>\n" : "<false/>\n");
		break;
	case CSIG_PVAL_DATE: {
		char t[32];
		csig__format_time(date_secs(v->num.d), t);
		csig__sb_printf(s, "<date>%s</date>\n", t);
		break;
	}
	case CSIG_PVAL_DATA:
		csig__sb_puts(s, "<data>\n");
		xml_b64(s, (const uint8_t *)v->str, v->len, lvl);
		indent(s, lvl, "\t");
		csig__sb_puts(s, "</data>\n");
		break;
	case CSIG_PVAL_UID:
		csig__sb_puts(s, "<dict>\n");
		indent(s, lvl + 1, "\t");
		csig__sb_printf(s, "<key>CF$UID</key>\n");
		indent(s, lvl + 1, "\t");
		csig__sb_printf(s, "<integer>%llu</integer>\n", (unsigned long long)v->num.u);
		indent(s, lvl, "\t");
		csig__sb_puts(s, "</dict>\n");
		break;
	default:
		csig__sb_puts(s, "<string></string>\n");
	}
}

int csig_plist_to_xml(const csig_plist *d, const csig_pval *v, char **out,
		      size_t *len, csig_error *err)
{
	if (!d || !out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "plist: NULL argument");
	plist_sb s = { NULL, 0, 0, 0 };
	csig__sb_puts(&s, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		      "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" "
		      "\"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
		      "<plist version=\"1.0\">\n");
	xml_val(&s, v ? v : d->root, 0);
	csig__sb_puts(&s, "</plist>\n");
	return csig__sb_finish(&s, out, len, err);
}
