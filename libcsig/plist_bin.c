/*
 * plist_bin.c - binary property-list ("bplist00") reader.  See csig/plist.h.
 *
 * Layout (CFBinaryPList.c): "bplist00", objects, offset table, 32-byte
 * trailer { u8 unused[5], u8 sortVersion, u8 offsetIntSize, u8 objectRefSize,
 * u64 numObjects, u64 topObject, u64 offsetTableOffset } (big-endian).
 * Objects start with a marker byte: high nibble = type, low nibble = size
 * or 0xF followed by an integer object holding the count.
 *
 * Objects may be referenced more than once; each is decoded once and the
 * node shared.  The tree size (counting every use) is bounded by max_count,
 * so serializers never face an exponential document.  A reference back to
 * an object still being decoded is a cycle and rejected.
 */
#include <string.h>
#include "plist_int.h"

#define BP_EPOCH_2001 978307200.0 /* seconds from 1970-01-01 to 2001-01-01 */

typedef struct bp {
	csig_plist *d;
	csig_error *err;
	csig_rd all;        /* whole input */
	csig_rd objs;       /* [0, offsetTableOffset): where objects live */
	csig_rd table;      /* offset table */
	unsigned offsz, refsz;
	uint64_t nobj;
	const csig_pval **memo;
	uint64_t *size;     /* tree size of each decoded object */
	uint8_t *state;     /* 0 new, 1 in progress, 2 done */
} bp;

static int rd_be(csig_rd *r, unsigned n, uint64_t *out)
{
	uint64_t v = 0;
	for (unsigned i = 0; i < n; i++) {
		uint8_t b;
		int e = rd_u8(r, &b);
		if (e)
			return e;
		v = v << 8 | b;
	}
	*out = v;
	return CSIG_OK;
}

static int nomem(bp *b, uint64_t off)
{
	return CSIG_FAIL(b->err, CSIG_E_NOMEM, off, "binary plist: out of memory");
}

/* Count of a container/string: low nibble, or 0xF then an int object. */
static int read_count(bp *b, csig_rd *r, unsigned lo, uint64_t *out)
{
	if (lo != 15) {
		*out = lo;
		return CSIG_OK;
	}
	uint64_t at = rd_abs(r);
	uint8_t m;
	int e = rd_u8(r, &m);
	if (e)
		return e;
	if ((m >> 4) != 1 || (m & 15) > 3)
		return CSIG_FAIL(b->err, CSIG_E_BADVALUE, at,
				 "binary plist: count at 0x%llx is not a 1-8 byte integer (marker 0x%02x)",
				 (unsigned long long)at, m);
	return rd_be(r, 1u << (m & 15), out);
}

/* n elements of w bytes must fit in what remains: no count bombs. */
static int fits(bp *b, const csig_rd *r, uint64_t n, uint64_t w, const char *what)
{
	uint64_t need;
	if (csig_mul_overflow(n, w, &need) || need > rd_left(r))
		return CSIG_FAIL(b->err, CSIG_E_TRUNCATED, rd_abs(r),
				 "binary plist: %s of %llu x %llu bytes at 0x%llx exceeds the %llu bytes left",
				 what, (unsigned long long)n, (unsigned long long)w,
				 (unsigned long long)rd_abs(r), (unsigned long long)rd_left(r));
	return CSIG_OK;
}

static int parse_obj(bp *b, uint64_t idx, unsigned depth, const csig_pval **out,
		     uint64_t *tsize);

static int utf16_to_utf8(bp *b, csig_rd *r, uint64_t units, csig_pval *v)
{
	/* worst case 3 UTF-8 bytes per UTF-16 unit */
	uint64_t cap;
	if (csig_mul_overflow(units, 3, &cap) || cap >= SIZE_MAX)
		return nomem(b, v->off);
	char *s = csig__plist_alloc(b->d, (size_t)cap + 1);
	if (!s)
		return nomem(b, v->off);
	size_t o = 0;
	int bad = 0;
	for (uint64_t i = 0; i < units; i++) {
		uint16_t u;
		int e = rd_u16be(r, &u);
		if (e)
			return e;
		uint32_t cp = u;
		if (u >= 0xd800 && u <= 0xdbff && i + 1 < units) {
			csig_rd peek = *r;
			uint16_t lo;
			if (!rd_u16be(&peek, &lo) && lo >= 0xdc00 && lo <= 0xdfff) {
				*r = peek;
				i++;
				cp = 0x10000 + ((uint32_t)(u - 0xd800) << 10) + (lo - 0xdc00);
			}
		}
		if (cp >= 0xd800 && cp <= 0xdfff) {
			cp = 0xfffd; /* lone surrogate */
			bad = 1;
		}
		if (cp < 0x80) {
			s[o++] = (char)cp;
		} else if (cp < 0x800) {
			s[o++] = (char)(0xc0 | cp >> 6);
			s[o++] = (char)(0x80 | (cp & 63));
		} else if (cp < 0x10000) {
			s[o++] = (char)(0xe0 | cp >> 12);
			s[o++] = (char)(0x80 | ((cp >> 6) & 63));
			s[o++] = (char)(0x80 | (cp & 63));
		} else {
			s[o++] = (char)(0xf0 | cp >> 18);
			s[o++] = (char)(0x80 | ((cp >> 12) & 63));
			s[o++] = (char)(0x80 | ((cp >> 6) & 63));
			s[o++] = (char)(0x80 | (cp & 63));
		}
	}
	s[o] = '\0';
	v->str = s;
	v->len = o;
	if (bad && csig__plist_finding(b->d, CSIG_PLIST_F_BAD_UTF8, v->off,
				       "UTF-16 string at 0x%llx has unpaired surrogates (replaced by U+FFFD)",
				       (unsigned long long)v->off))
		return nomem(b, v->off);
	return CSIG_OK;
}

static int read_int(bp *b, csig_rd *r, unsigned lo, csig_pval *v)
{
	uint64_t at = rd_abs(r) - 1;
	if (lo > 4)
		return CSIG_FAIL(b->err, CSIG_E_BADVALUE, at,
				 "binary plist: integer at 0x%llx has size code %u (want 0-4)",
				 (unsigned long long)at, lo);
	uint64_t x;
	int e;
	if (lo < 4) {
		if ((e = rd_be(r, 1u << lo, &x)))
			return e;
		/* 1, 2 and 4-byte integers are unsigned, 8-byte signed */
		v->num.u = x;
		return CSIG_OK;
	}
	uint64_t hi;
	if ((e = rd_be(r, 8, &hi)) || (e = rd_be(r, 8, &x)))
		return e;
	if (hi == 0) {
		v->num.u = x;
		if (x > INT64_MAX)
			v->flags |= PV_F_UNSIGNED;
		return CSIG_OK;
	}
	if (hi == UINT64_MAX && x > INT64_MAX) {
		v->num.u = x; /* two's complement negative */
		return CSIG_OK;
	}
	return CSIG_FAIL(b->err, CSIG_E_OVERFLOW, at,
			 "binary plist: 128-bit integer at 0x%llx does not fit 64 bits",
			 (unsigned long long)at);
}

static int read_ref(bp *b, csig_rd *r, uint64_t *out)
{
	uint64_t at = rd_abs(r);
	int e = rd_be(r, b->refsz, out);
	if (e)
		return e;
	if (*out >= b->nobj)
		return CSIG_FAIL(b->err, CSIG_E_BADOFFSET, at,
				 "binary plist: object reference %llu at 0x%llx is out of range (%llu objects)",
				 (unsigned long long)*out, (unsigned long long)at,
				 (unsigned long long)b->nobj);
	return CSIG_OK;
}

static int add_size(bp *b, uint64_t *acc, uint64_t n, uint64_t off)
{
	if (csig_add_overflow(*acc, n, acc) || *acc > b->d->max_count)
		return CSIG_FAIL(b->err, CSIG_E_LIMIT, off,
				 "binary plist: more than %llu values counting shared objects (limit max_count)",
				 (unsigned long long)b->d->max_count);
	return CSIG_OK;
}

static int container(bp *b, csig_rd *r, csig_pval *v, uint64_t count,
		     unsigned depth, uint64_t *tsize)
{
	int dict = v->type == CSIG_PVAL_DICT, e = CSIG_OK;
	uint64_t nrefs = dict ? count * 2 : count; /* count*2 checked by fits() below */
	if (dict && count > UINT64_MAX / 2)
		return CSIG_FAIL(b->err, CSIG_E_OVERFLOW, v->off, "binary plist: dict count overflows");
	if ((e = fits(b, r, nrefs, b->refsz, dict ? "dict" : "array")))
		return e;
	csig_rd keys = *r, vals = *r;
	if (dict && (e = rd_skip(&vals, (size_t)count * b->refsz)))
		return e;
	plist_vec kids = { NULL, 0, 0 };
	for (uint64_t i = 0; i < count && !e; i++) {
		uint64_t ref, sz;
		const csig_pval *k;
		if ((e = read_ref(b, &keys, &ref)) ||
		    (e = parse_obj(b, ref, depth + 1, &k, &sz)) ||
		    (e = add_size(b, tsize, sz, v->off)))
			break;
		if (dict && k->type != CSIG_PVAL_STRING) {
			e = CSIG_FAIL(b->err, CSIG_E_BADVALUE, k->off,
				      "binary plist: dict at 0x%llx has a %s key at 0x%llx (keys must be strings)",
				      (unsigned long long)v->off, csig_pval_type_name(k->type),
				      (unsigned long long)k->off);
			break;
		}
		if (csig__vec_push(&kids, k)) {
			e = nomem(b, v->off);
			break;
		}
		if (!dict)
			continue;
		if ((e = read_ref(b, &vals, &ref)) ||
		    (e = parse_obj(b, ref, depth + 1, &k, &sz)) ||
		    (e = add_size(b, tsize, sz, v->off)))
			break;
		if (csig__vec_push(&kids, k))
			e = nomem(b, v->off);
	}
	if (!e)
		e = csig__plist_container(b->d, v, &kids, b->err);
	csig__vec_free(&kids);
	return e;
}

static int parse_obj(bp *b, uint64_t idx, unsigned depth, const csig_pval **out,
		     uint64_t *tsize)
{
	int e;
	if (b->state[idx] == 2) {
		*out = b->memo[idx];
		*tsize = b->size[idx];
		return CSIG_OK;
	}
	if (b->state[idx] == 1)
		return CSIG_FAIL(b->err, CSIG_E_BADVALUE, b->d->base,
				 "binary plist: object %llu contains itself (reference cycle)",
				 (unsigned long long)idx);
	if (depth > b->d->max_depth)
		return CSIG_FAIL(b->err, CSIG_E_DEPTH, b->d->base,
				 "binary plist: nesting deeper than %u at object %llu",
				 b->d->max_depth, (unsigned long long)idx);
	csig_rd t = b->table;
	uint64_t off;
	if ((e = rd_seek(&t, idx * b->offsz)) || (e = rd_be(&t, b->offsz, &off)))
		return e;
	if (off < 8 || off >= b->objs.len)
		return CSIG_FAIL(b->err, CSIG_E_BADOFFSET, rd_abs(&t) - b->offsz,
				 "binary plist: object %llu offset 0x%llx is outside the object area [0x8, 0x%llx)",
				 (unsigned long long)idx, (unsigned long long)off,
				 (unsigned long long)b->objs.len);
	csig_rd r = b->objs;
	if ((e = rd_seek(&r, off)))
		return e;
	b->state[idx] = 1;
	uint64_t at = rd_abs(&r);
	uint8_t m;
	if ((e = rd_u8(&r, &m)))
		return e;
	unsigned hi = m >> 4, lo = m & 15;
	csig_pval *v = NULL;
	uint64_t count = 0, sz = 1;
	int type;
	switch (hi) {
	case 0x0:
		if (m == 0x08 || m == 0x09) { type = CSIG_PVAL_BOOL; break; }
		return CSIG_FAIL(b->err, CSIG_E_UNSUPPORTED, at,
				 "binary plist: object %llu at 0x%llx is %s (marker 0x%02x), not a plist value",
				 (unsigned long long)idx, (unsigned long long)at,
				 m == 0 ? "null" : m == 0x0f ? "fill" : "unknown", m);
	case 0x1: type = CSIG_PVAL_INTEGER; break;
	case 0x2: type = CSIG_PVAL_REAL; break;
	case 0x3: type = CSIG_PVAL_DATE; break;
	case 0x4: type = CSIG_PVAL_DATA; break;
	case 0x5: case 0x6: type = CSIG_PVAL_STRING; break;
	case 0x8: type = CSIG_PVAL_UID; break;
	case 0xA: case 0xC: type = CSIG_PVAL_ARRAY; break;
	case 0xD: type = CSIG_PVAL_DICT; break;
	default:
		return CSIG_FAIL(b->err, CSIG_E_UNSUPPORTED, at,
				 "binary plist: object %llu at 0x%llx has unknown marker 0x%02x",
				 (unsigned long long)idx, (unsigned long long)at, m);
	}
	if ((e = csig__plist_node(b->d, type, at, &v, b->err)))
		return e;
	switch (hi) {
	case 0x0:
		v->num.i = m == 0x09;
		break;
	case 0x1:
		e = read_int(b, &r, lo, v);
		break;
	case 0x2:
	case 0x3: {
		uint64_t bits;
		if ((hi == 2 && lo != 2 && lo != 3) || (hi == 3 && lo != 3))
			return CSIG_FAIL(b->err, CSIG_E_BADVALUE, at,
					 "binary plist: %s at 0x%llx has size code %u",
					 hi == 2 ? "real" : "date", (unsigned long long)at, lo);
		if ((e = rd_be(&r, lo == 2 ? 4 : 8, &bits)))
			return e;
		if (lo == 2) {
			uint32_t b32 = (uint32_t)bits;
			float f;
			memcpy(&f, &b32, sizeof(f));
			v->num.d = f;
		} else {
			memcpy(&v->num.d, &bits, sizeof(double));
		}
		if (hi == 3)
			v->num.d += BP_EPOCH_2001;
		break;
	}
	case 0x4:
	case 0x5:
	case 0x6:
		if ((e = read_count(b, &r, lo, &count)) ||
		    (e = fits(b, &r, count, hi == 6 ? 2 : 1, hi == 4 ? "data" : "string")))
			return e;
		if (hi == 6) {
			e = utf16_to_utf8(b, &r, count, v);
		} else {
			const uint8_t *p;
			if ((e = rd_bytes(&r, (size_t)count, &p)))
				return e;
			v->str = csig__plist_strdup(b->d, p, (size_t)count);
			if (!v->str)
				return nomem(b, at);
			v->len = (size_t)count;
			if (hi == 5) {
				for (size_t i = 0; i < v->len; i++)
					if ((unsigned char)v->str[i] > 0x7f) {
						if (csig__plist_finding(b->d, CSIG_PLIST_F_BAD_UTF8, at,
									"ASCII string at 0x%llx holds byte 0x%02x",
									(unsigned long long)at,
									(unsigned char)v->str[i]))
							return nomem(b, at);
						break;
					}
			}
		}
		break;
	case 0x8: {
		uint64_t u;
		if (lo > 7)
			return CSIG_FAIL(b->err, CSIG_E_BADVALUE, at,
					 "binary plist: UID at 0x%llx longer than 8 bytes", (unsigned long long)at);
		if ((e = rd_be(&r, lo + 1, &u)))
			return e;
		v->num.u = u;
		break;
	}
	default: /* 0xA, 0xC, 0xD */
		if (hi == 0xC)
			v->flags |= PV_F_SET;
		if ((e = read_count(b, &r, lo, &count)))
			return e;
		e = container(b, &r, v, count, depth, &sz);
		break;
	}
	if (e)
		return e;
	b->memo[idx] = v;
	b->size[idx] = sz;
	b->state[idx] = 2;
	*out = v;
	*tsize = sz;
	return CSIG_OK;
}

int csig__plist_parse_bin(csig_plist *d, csig_error *err)
{
	bp b;
	int e;
	memset(&b, 0, sizeof(b));
	b.d = d;
	b.err = err;
	rd_init(&b.all, d->src, d->src_len, d->base, "binary plist", err);
	if (rd_match(&b.all, 0, "bplist00", 8) != 0) {
		if (rd_match(&b.all, 0, "bplist", 6) == 0)
			return CSIG_FAIL(err, CSIG_E_UNSUPPORTED, d->base,
					 "binary plist: version other than bplist00");
		return CSIG_FAIL(err, CSIG_E_BADMAGIC, d->base, "binary plist: no bplist00 header");
	}
	if (d->src_len < 8 + 1 + 1 + 32)
		return CSIG_FAIL(err, CSIG_E_TRUNCATED, d->base,
				 "binary plist: %zu bytes is too short for header, object, table and trailer",
				 d->src_len);
	csig_rd tr;
	uint64_t trail = d->src_len - 32;
	if ((e = rd_sub(&b.all, trail, 32, &tr, "bplist trailer")) || (e = rd_skip(&tr, 6)))
		return e;
	uint8_t offsz, refsz;
	uint64_t nobj, top, tabo;
	if ((e = rd_u8(&tr, &offsz)) || (e = rd_u8(&tr, &refsz)) ||
	    (e = rd_u64be(&tr, &nobj)) || (e = rd_u64be(&tr, &top)) ||
	    (e = rd_u64be(&tr, &tabo)))
		return e;
	uint64_t tabbytes, tabend;
	if (offsz < 1 || offsz > 8 || refsz < 1 || refsz > 8)
		return CSIG_FAIL(err, CSIG_E_BADVALUE, d->base + trail + 6,
				 "binary plist: trailer offsetIntSize %u / objectRefSize %u not in 1..8",
				 offsz, refsz);
	if (nobj == 0 || top >= nobj)
		return CSIG_FAIL(err, CSIG_E_BADVALUE, d->base + trail + 8,
				 "binary plist: trailer topObject %llu with numObjects %llu",
				 (unsigned long long)top, (unsigned long long)nobj);
	if (csig_mul_overflow(nobj, offsz, &tabbytes) || csig_add_overflow(tabo, tabbytes, &tabend) ||
	    tabo < 9 || tabend > trail)
		return CSIG_FAIL(err, CSIG_E_BADOFFSET, d->base + trail + 24,
				 "binary plist: offset table 0x%llx + %llu x %u bytes does not fit between the header and the trailer at 0x%llx",
				 (unsigned long long)tabo, (unsigned long long)nobj, offsz,
				 (unsigned long long)trail);
	if ((e = rd_sub(&b.all, 0, tabo, &b.objs, "bplist objects")) ||
	    (e = rd_sub(&b.all, tabo, tabbytes, &b.table, "bplist offset table")))
		return e;
	b.offsz = offsz;
	b.refsz = refsz;
	b.nobj = nobj; /* <= input length: bounded by the table fitting */
	if (refsz < 8 && (nobj - 1) >> (8 * refsz)) {
		if (csig__plist_finding(d, CSIG_PLIST_F_VERSION, d->base + trail + 7,
					"objectRefSize %u cannot address all %llu objects",
					refsz, (unsigned long long)nobj))
			return nomem(&b, d->base);
	}
	b.memo = csig__calloc_n((size_t)nobj, sizeof(*b.memo));
	b.size = csig__calloc_n((size_t)nobj, sizeof(*b.size));
	b.state = csig__calloc_n((size_t)nobj, 1);
	if (!b.memo || !b.size || !b.state) {
		e = nomem(&b, d->base);
	} else {
		uint64_t sz;
		e = parse_obj(&b, top, 1, &d->root, &sz);
	}
	csig__free(b.memo);
	csig__free(b.size);
	csig__free(b.state);
	return e;
}
