/*
 * plist_der.c - DER property lists (CoreEntitlements encoding) used by DER
 * entitlements (blob 0xfade7172) and launch/library constraints (0xfade8181).
 * See csig/plist.h and FORMAT.md section 4.2.
 *
 *   Entitlements ::= [APPLICATION 16] IMPLICIT SEQUENCE {      -- 0x70
 *       version INTEGER, value Value }
 *   Value ::= dict [CONTEXT 16] IMPLICIT SEQUENCE OF DictEntry -- 0xB0
 *           | dict SET OF DictEntry                           -- 0x31 (profiles)
 *           | array SEQUENCE OF Value                         -- 0x30
 *           | UTF8String | BOOLEAN | INTEGER | OCTET STRING
 *   DictEntry ::= SEQUENCE { key UTF8String, value Value }
 *
 * A top-level SET OF DictEntry (rcodesign's fallback form) is read as the
 * root dictionary.  Keys out of byte order, non-minimal lengths or integers
 * and non-0xFF true values are findings: Apple's encoder never writes them.
 * This file carries its own small tag/length reader on top of rd.h.
 */
#include <string.h>
#include "plist_int.h"

#define TAG_BOOLEAN 0x01
#define TAG_INTEGER 0x02
#define TAG_OCTETS 0x04
#define TAG_UTF8 0x0c
#define TAG_SEQUENCE 0x30
#define TAG_SET 0x31
#define TAG_ENTITLEMENTS 0x70 /* [APPLICATION 16] constructed */
#define TAG_DICT 0xb0         /* [CONTEXT 16] constructed */

typedef struct dp {
	csig_plist *d;
	csig_error *err;
} dp;

static int nomem(dp *p, uint64_t off)
{
	return CSIG_FAIL(p->err, CSIG_E_NOMEM, off, "DER plist: out of memory");
}

/* One TLV at the cursor: tag byte, its content as a child window. */
static int tlv(dp *p, csig_rd *r, uint8_t *tag, csig_rd *content, uint64_t *start)
{
	int e;
	uint8_t t, l;
	*start = rd_abs(r);
	if ((e = rd_u8(r, &t)) || (e = rd_u8(r, &l)))
		return e;
	if ((t & 0x1f) == 0x1f)
		return CSIG_FAIL(p->err, CSIG_E_UNSUPPORTED, *start,
				 "DER plist: high-tag-number form at 0x%llx",
				 (unsigned long long)*start);
	uint64_t len = l;
	if (l == 0x80)
		return CSIG_FAIL(p->err, CSIG_E_BADVALUE, *start,
				 "DER plist: indefinite length at 0x%llx (not DER)",
				 (unsigned long long)*start);
	if (l > 0x80) {
		unsigned n = l & 0x7f;
		if (n > 8)
			return CSIG_FAIL(p->err, CSIG_E_OVERFLOW, *start,
					 "DER plist: %u-byte length at 0x%llx", n,
					 (unsigned long long)*start);
		len = 0;
		for (unsigned i = 0; i < n; i++) {
			uint8_t b;
			if ((e = rd_u8(r, &b)))
				return e;
			if (i == 0 && b == 0 && csig__plist_finding(p->d, CSIG_PLIST_F_NONCANONICAL, *start,
								   "DER length at 0x%llx has a leading zero byte",
								   (unsigned long long)*start))
				return nomem(p, *start);
			len = len << 8 | b;
		}
		if (len < 0x80 && csig__plist_finding(p->d, CSIG_PLIST_F_NONCANONICAL, *start,
						      "DER length %llu at 0x%llx uses the long form",
						      (unsigned long long)len, (unsigned long long)*start))
			return nomem(p, *start);
	}
	if (len > rd_left(r))
		return CSIG_FAIL(p->err, CSIG_E_TRUNCATED, *start,
				 "DER plist: element 0x%02x at 0x%llx claims %llu bytes, %llu left",
				 t, (unsigned long long)*start, (unsigned long long)len,
				 (unsigned long long)rd_left(r));
	*tag = t;
	return rd_take(r, len, content, "DER element");
}

static int integer(dp *p, csig_rd *c, uint64_t at, csig_pval *v)
{
	size_t n = rd_left(c);
	const uint8_t *b;
	int e;
	if (n == 0)
		return CSIG_FAIL(p->err, CSIG_E_BADVALUE, at,
				 "DER plist: empty INTEGER at 0x%llx", (unsigned long long)at);
	if (n > 9)
		return CSIG_FAIL(p->err, CSIG_E_OVERFLOW, at,
				 "DER plist: %zu-byte INTEGER at 0x%llx exceeds 64 bits",
				 n, (unsigned long long)at);
	if ((e = rd_bytes(c, n, &b)))
		return e;
	if (n > 1 && ((b[0] == 0 && !(b[1] & 0x80)) || (b[0] == 0xff && (b[1] & 0x80))) &&
	    csig__plist_finding(p->d, CSIG_PLIST_F_NONCANONICAL, at,
				"DER INTEGER at 0x%llx is not minimally encoded",
				(unsigned long long)at))
		return nomem(p, at);
	if (n == 9) {
		if (b[0] != 0)
			return CSIG_FAIL(p->err, CSIG_E_OVERFLOW, at,
					 "DER plist: INTEGER at 0x%llx below INT64_MIN",
					 (unsigned long long)at);
		uint64_t u = 0;
		for (size_t i = 1; i < 9; i++)
			u = u << 8 | b[i];
		v->num.u = u;
		if (u > INT64_MAX)
			v->flags |= PV_F_UNSIGNED;
		return CSIG_OK;
	}
	uint64_t u = (b[0] & 0x80) ? UINT64_MAX : 0;
	for (size_t i = 0; i < n; i++)
		u = u << 8 | b[i];
	v->num.u = u; /* two's complement, sign-extended */
	return CSIG_OK;
}

static int value(dp *p, csig_rd *r, unsigned depth, const csig_pval **out);

/* Keys in byte order, shorter prefix first (CoreEntitlements' sorted form). */
static int key_less(const csig_pval *a, const csig_pval *b)
{
	size_t n = a->len < b->len ? a->len : b->len;
	int c = n ? memcmp(a->str, b->str, n) : 0;
	return c < 0 || (c == 0 && a->len < b->len);
}

/* DER SET OF order: whole encodings compared as octet strings (X.690 11.6).
 * Xcode's signer emits entitlement dictionaries in this order, which sorts
 * short entries first, so it is as canonical as byte-ordered keys. */
static int enc_less_eq(csig_bytes a, csig_bytes b)
{
	size_t n = a.len < b.len ? a.len : b.len;
	int c = n ? memcmp(a.ptr, b.ptr, n) : 0;
	return c < 0 || (c == 0 && a.len <= b.len);
}

static int dict(dp *p, csig_rd *c, uint64_t at, unsigned depth, const csig_pval **out)
{
	csig_pval *v;
	int e = csig__plist_node(p->d, CSIG_PVAL_DICT, at, &v, p->err);
	if (e)
		return e;
	plist_vec kids = { NULL, 0, 0 };
	const csig_pval *prev = NULL, *first_bad = NULL, *first_bad_prev = NULL;
	uint64_t first_bad_at = 0;
	int key_sorted = 1, der_sorted = 1;
	csig_bytes prev_enc = { NULL, 0 };
	while (rd_left(c) && !e) {
		uint8_t tag;
		csig_rd ent, kc;
		uint64_t eat, kat;
		if ((e = tlv(p, c, &tag, &ent, &eat)))
			break;
		if (tag != TAG_SEQUENCE) {
			e = CSIG_FAIL(p->err, CSIG_E_BADVALUE, eat,
				      "DER plist: dictionary entry at 0x%llx has tag 0x%02x (want SEQUENCE 0x30)",
				      (unsigned long long)eat, tag);
			break;
		}
		if ((e = tlv(p, &ent, &tag, &kc, &kat)))
			break;
		if (tag != TAG_UTF8) {
			e = CSIG_FAIL(p->err, CSIG_E_BADVALUE, kat,
				      "DER plist: dictionary key at 0x%llx has tag 0x%02x (want UTF8String 0x0c)",
				      (unsigned long long)kat, tag);
			break;
		}
		csig_pval *k;
		const uint8_t *kb;
		size_t kn = rd_left(&kc);
		if ((e = csig__plist_node(p->d, CSIG_PVAL_STRING, kat, &k, p->err)) ||
		    (e = rd_bytes(&kc, kn, &kb)))
			break;
		k->str = csig__plist_strdup(p->d, kb, kn);
		k->len = kn;
		if (!k->str) {
			e = nomem(p, kat);
			break;
		}
		size_t bad = csig__utf8_check(kb, kn);
		if (bad && csig__plist_finding(p->d, CSIG_PLIST_F_BAD_UTF8, kat,
					       "DER key at 0x%llx: invalid UTF-8 at byte %zu",
					       (unsigned long long)kat, bad - 1)) {
			e = nomem(p, kat);
			break;
		}
		csig_bytes enc = { NULL, 0 };
		rd_view_at(c, eat - c->base, ent.base + ent.len - eat, &enc);
		if (prev && !key_less(prev, k) && key_sorted) {
			key_sorted = 0;
			first_bad = k;
			first_bad_prev = prev;
			first_bad_at = kat;
		}
		if (prev && !enc_less_eq(prev_enc, enc))
			der_sorted = 0;
		prev = k;
		prev_enc = enc;
		const csig_pval *val;
		if ((e = value(p, &ent, depth + 1, &val)))
			break;
		if (rd_left(&ent)) {
			e = CSIG_FAIL(p->err, CSIG_E_TRAILING, rd_abs(&ent),
				      "DER plist: dictionary entry at 0x%llx has %zu bytes after its value",
				      (unsigned long long)eat, rd_left(&ent));
			break;
		}
		if (csig__vec_push(&kids, k) || csig__vec_push(&kids, val))
			e = nomem(p, eat);
	}
	if (!e && !key_sorted && !der_sorted &&
	    csig__plist_finding(p->d, CSIG_PLIST_F_UNSORTED_KEYS, first_bad_at,
				"DER dictionary at 0x%llx: key \"%.60s\" at 0x%llx follows \"%.60s\"; the entries are neither in key byte order nor in DER SET order",
				(unsigned long long)at, first_bad->str,
				(unsigned long long)first_bad_at, first_bad_prev->str))
		e = nomem(p, at);
	if (!e)
		e = csig__plist_container(p->d, v, &kids, p->err);
	csig__vec_free(&kids);
	if (!e)
		*out = v;
	return e;
}

static int value(dp *p, csig_rd *r, unsigned depth, const csig_pval **out)
{
	uint8_t tag;
	csig_rd c;
	uint64_t at;
	int e;
	if (depth > p->d->max_depth)
		return CSIG_FAIL(p->err, CSIG_E_DEPTH, rd_abs(r),
				 "DER plist: nesting deeper than %u at 0x%llx",
				 p->d->max_depth, (unsigned long long)rd_abs(r));
	if ((e = tlv(p, r, &tag, &c, &at)))
		return e;
	csig_pval *v;
	switch (tag) {
	case TAG_DICT:
	case TAG_SET:
		return dict(p, &c, at, depth, out);
	case TAG_SEQUENCE: {
		if ((e = csig__plist_node(p->d, CSIG_PVAL_ARRAY, at, &v, p->err)))
			return e;
		plist_vec kids = { NULL, 0, 0 };
		while (rd_left(&c) && !e) {
			const csig_pval *k;
			if (!(e = value(p, &c, depth + 1, &k)) && csig__vec_push(&kids, k))
				e = nomem(p, at);
		}
		if (!e)
			e = csig__plist_container(p->d, v, &kids, p->err);
		csig__vec_free(&kids);
		break;
	}
	case TAG_BOOLEAN: {
		uint8_t b;
		if (rd_left(&c) != 1)
			return CSIG_FAIL(p->err, CSIG_E_BADVALUE, at,
					 "DER plist: BOOLEAN at 0x%llx has %zu content bytes (want 1)",
					 (unsigned long long)at, rd_left(&c));
		if ((e = rd_u8(&c, &b)) ||
		    (e = csig__plist_node(p->d, CSIG_PVAL_BOOL, at, &v, p->err)))
			return e;
		v->num.i = b != 0;
		if (b != 0 && b != 0xff &&
		    csig__plist_finding(p->d, CSIG_PLIST_F_NONCANONICAL, at,
					"DER BOOLEAN at 0x%llx is 0x%02x (DER true is 0xff)",
					(unsigned long long)at, b))
			return nomem(p, at);
		break;
	}
	case TAG_INTEGER:
		if ((e = csig__plist_node(p->d, CSIG_PVAL_INTEGER, at, &v, p->err)))
			return e;
		e = integer(p, &c, at, v);
		break;
	case TAG_UTF8:
	case TAG_OCTETS: {
		const uint8_t *b;
		size_t n = rd_left(&c);
		if ((e = csig__plist_node(p->d, tag == TAG_UTF8 ? CSIG_PVAL_STRING : CSIG_PVAL_DATA,
					  at, &v, p->err)) ||
		    (e = rd_bytes(&c, n, &b)))
			return e;
		v->str = csig__plist_strdup(p->d, b, n);
		if (!v->str)
			return nomem(p, at);
		v->len = n;
		size_t bad = tag == TAG_UTF8 ? csig__utf8_check(b, n) : 0;
		if (bad && csig__plist_finding(p->d, CSIG_PLIST_F_BAD_UTF8, at,
					       "DER UTF8String at 0x%llx: invalid UTF-8 at byte %zu",
					       (unsigned long long)at, bad - 1))
			return nomem(p, at);
		break;
	}
	default:
		return CSIG_FAIL(p->err, CSIG_E_UNSUPPORTED, at,
				 "DER plist: element at 0x%llx has tag 0x%02x, not a plist value",
				 (unsigned long long)at, tag);
	}
	if (!e)
		*out = v;
	return e;
}

int csig__plist_parse_der(csig_plist *d, csig_error *err)
{
	dp p = { d, err };
	csig_rd all, c;
	uint8_t tag;
	uint64_t at;
	int e;
	rd_init(&all, d->src, d->src_len, d->base, "DER plist", err);
	if (rd_left(&all) == 0)
		return CSIG_FAIL(err, CSIG_E_TRUNCATED, d->base, "DER plist: empty input");
	csig_rd look = all;
	uint8_t first;
	if ((e = rd_u8(&look, &first)))
		return e;
	if (first == TAG_SET) {
		/* top-level SET OF DictEntry (rcodesign's fallback form) */
		if ((e = value(&p, &all, 1, &d->root)))
			return e;
	} else {
		if ((e = tlv(&p, &all, &tag, &c, &at)))
			return e;
		if (tag != TAG_ENTITLEMENTS)
			return CSIG_FAIL(err, CSIG_E_BADMAGIC, at,
					 "DER plist: top-level tag 0x%02x at 0x%llx (want [APPLICATION 16] 0x70)",
					 tag, (unsigned long long)at);
		csig_rd vc;
		uint64_t vat;
		if ((e = tlv(&p, &c, &tag, &vc, &vat)))
			return e;
		if (tag != TAG_INTEGER)
			return CSIG_FAIL(err, CSIG_E_BADVALUE, vat,
					 "DER plist: version at 0x%llx has tag 0x%02x (want INTEGER)",
					 (unsigned long long)vat, tag);
		csig_pval ver;
		memset(&ver, 0, sizeof(ver));
		if ((e = integer(&p, &vc, vat, &ver)))
			return e;
		if (ver.num.u != 1 &&
		    csig__plist_finding(d, CSIG_PLIST_F_VERSION, vat,
					"DER plist version %lld (Apple writes 1)", (long long)ver.num.i))
			return nomem(&p, vat);
		if ((e = value(&p, &c, 1, &d->root)))
			return e;
		if ((e = rd_end(&c)))
			return e;
	}
	if (d->root->type != CSIG_PVAL_DICT)
		return CSIG_FAIL(err, CSIG_E_BADVALUE, d->root->off,
				 "DER plist: top-level value is a %s (want a dictionary)",
				 csig_pval_type_name(d->root->type));
	return rd_end(&all);
}
