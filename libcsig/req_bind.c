/*
 * req_bind.c - evaluate a requirement against a signed slice: the bridge
 * from the Mach-O, CMS/X.509 and plist models to the plain-data context of
 * csig/req.h.  Offline facts only; what cannot be known offline stays
 * indeterminate in the evaluator.
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "csig/cms.h"
#include "csig/req.h"
#include "csig/x509.h"
#include "macho_int.h"
#include "util.h"

#define MAX_CHAIN 10
#define MAX_ATTRS 32
#define MAX_EXTS 32
#define MAX_POLICIES 16
#define OID_MAX 64

/* Storage for values handed to the evaluator; freed after the call. */
struct arena {
	void *blocks[1024];
	size_t n;
	int nomem;
};

static void *arena_alloc(struct arena *a, size_t count, size_t size)
{
	if (a->n >= CSIG_ARRAY_LEN(a->blocks)) {
		a->nomem = 1;
		return NULL;
	}
	void *p = csig__calloc_n(count ? count : 1, size);
	if (!p) {
		a->nomem = 1;
		return NULL;
	}
	a->blocks[a->n++] = p;
	return p;
}

static void arena_free(struct arena *a)
{
	for (size_t i = 0; i < a->n; i++)
		csig__free(a->blocks[i]);
	a->n = 0;
}

/* Dotted OID text to DER content octets (the form requirements carry). */
static size_t oid_encode(const char *text, uint8_t *out, size_t cap)
{
	uint64_t arcs[32];
	size_t n = 0;
	const char *p = text;
	while (*p && n < 32) {
		char *end;
		unsigned long long v = strtoull(p, &end, 10);
		if (end == p)
			return 0;
		arcs[n++] = v;
		p = *end == '.' ? end + 1 : end;
		if (*end && *end != '.')
			return 0;
	}
	if (n < 2 || arcs[0] > 2)
		return 0;
	size_t len = 0;
	for (size_t i = 1; i < n; i++) {
		uint64_t v = i == 1 ? arcs[0] * 40 + arcs[1] : arcs[i];
		uint8_t tmp[10];
		size_t k = 0;
		do {
			tmp[k++] = (uint8_t)(v & 0x7f);
			v >>= 7;
		} while (v && k < sizeof(tmp));
		if (len + k > cap)
			return 0;
		while (k > 0) {
			k--;
			out[len++] = (uint8_t)(tmp[k] | (k ? 0x80 : 0));
		}
	}
	return len;
}

/* CFAbsoluteTime epoch: 2001-01-01T00:00:00Z */
#define CF_EPOCH 978307200

static void pval_to_req(struct arena *a, const csig_pval *v, csig_req_value *out, int depth)
{
	memset(out, 0, sizeof(*out));
	csig_bytes b;
	int64_t n;
	int flag;
	switch (csig_pval_type_of(v)) {
	case CSIG_PVAL_STRING:
		if (csig_pval_string(v, &b) == 0) {
			out->type = CSIG_REQ_VAL_STRING;
			out->str = (const char *)b.ptr;
			out->len = b.len;
		}
		break;
	case CSIG_PVAL_DATA:
		if (csig_pval_data(v, &b) == 0) {
			out->type = CSIG_REQ_VAL_DATA;
			out->str = (const char *)b.ptr;
			out->len = b.len;
		}
		break;
	case CSIG_PVAL_BOOL:
		if (csig_pval_bool(v, &flag) == 0) {
			out->type = CSIG_REQ_VAL_BOOL;
			out->boolean = flag;
		}
		break;
	case CSIG_PVAL_INTEGER:
		if (csig_pval_int(v, &n) == 0) {
			out->type = CSIG_REQ_VAL_NUMBER;
			out->number = n;
		}
		break;
	case CSIG_PVAL_DATE:
		if (csig_pval_date(v, &n) == 0) {
			out->type = CSIG_REQ_VAL_DATE;
			out->date = n - CF_EPOCH;
		}
		break;
	case CSIG_PVAL_ARRAY: {
		size_t count = csig_pval_count(v);
		if (depth > 4)
			count = 0; /* requirements compare scalars or arrays of them */
		csig_req_value *items = arena_alloc(a, count, sizeof(*items));
		if (!items)
			break;
		for (size_t i = 0; i < count; i++)
			pval_to_req(a, csig_pval_array_item(v, i), &items[i], depth + 1);
		out->type = CSIG_REQ_VAL_ARRAY;
		out->items = items;
		out->n_items = count;
		break;
	}
	default:
		out->type = CSIG_REQ_VAL_OTHER;
		break;
	}
}

struct lookup_user {
	struct arena *arena;
	const csig_pval *dict;
};

static int plist_lookup(void *user, const char *key, size_t key_len, csig_req_value *out)
{
	struct lookup_user *u = user;
	if (!u->dict || csig_pval_type_of(u->dict) != CSIG_PVAL_DICT)
		return 0;
	const csig_pval *v = csig_pval_dict_getn(u->dict, key, key_len);
	if (!v)
		return 0;
	pval_to_req(u->arena, v, out, 0);
	return 1;
}

struct cert_facts {
	csig_req_cert certs[MAX_CHAIN];
	csig_req_attr attrs[MAX_CHAIN][MAX_ATTRS];
	csig_req_ext exts[MAX_CHAIN][MAX_EXTS];
	uint8_t ext_oids[MAX_CHAIN][MAX_EXTS][OID_MAX];
	csig_bytes policies[MAX_CHAIN][MAX_POLICIES];
	uint8_t pol_oids[MAX_CHAIN][MAX_POLICIES][OID_MAX];
};

static size_t fill_chain(struct cert_facts *cf, const csig_cms *cms)
{
	size_t n = csig_cms_chain_count(cms);
	if (n > MAX_CHAIN)
		n = MAX_CHAIN;
	for (size_t i = 0; i < n; i++) {
		const csig_cert *c = csig_cms_chain_cert(cms, i);
		csig_req_cert *rc = &cf->certs[i];
		memset(rc, 0, sizeof(*rc));
		rc->has_sha1 = 1;
		memcpy(rc->sha1, csig_cert_sha1(c), 20);
		size_t na = 0;
		for (size_t k = 0; k < csig_cert_subject_attr_count(c) && na < MAX_ATTRS; k++) {
			const char *oid, *sn, *val;
			if (csig_cert_subject_attr_at(c, k, &oid, &sn, &val))
				continue;
			cf->attrs[i][na].name = sn && strcmp(sn, "emailAddress") == 0 ? "email" : sn;
			cf->attrs[i][na].value = val ? val : "";
			cf->attrs[i][na].value_len = val ? strlen(val) : 0;
			na++;
		}
		rc->subject = cf->attrs[i];
		rc->n_subject = na;
		size_t ne = 0;
		for (size_t k = 0; k < csig_cert_extension_count(c) && ne < MAX_EXTS; k++) {
			const char *oid;
			if (csig_cert_extension_at(c, k, &oid, NULL, NULL) || !oid)
				continue;
			size_t len = oid_encode(oid, cf->ext_oids[i][ne], OID_MAX);
			if (!len)
				continue;
			cf->exts[i][ne].oid.ptr = cf->ext_oids[i][ne];
			cf->exts[i][ne].oid.len = len;
			ne++;
		}
		rc->extensions = cf->exts[i];
		rc->n_extensions = ne;
		size_t np = 0;
		for (size_t k = 0; k < csig_cert_policy_count(c) && np < MAX_POLICIES; k++) {
			const char *oid = csig_cert_policy(c, k);
			size_t len = oid ? oid_encode(oid, cf->pol_oids[i][np], OID_MAX) : 0;
			if (!len)
				continue;
			cf->policies[i][np].ptr = cf->pol_oids[i][np];
			cf->policies[i][np].len = len;
			np++;
		}
		rc->policies = cf->policies[i];
		rc->n_policies = np;
	}
	return n;
}

int csig_req_eval_slice(const csig_req *req, const csig_slice *s,
			const csig_plist *info_plist, csig_req_result **out,
			csig_error *err)
{
	csig__error_clear(err);
	if (!req || !s || !out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "requirement, slice or out is NULL");
	*out = NULL;
	const csig_sig *sig = s->sig;
	const csig_codedir *cd = sig ? csig_sig_best_cd(sig) : NULL;
	csig_req_ctx ctx = CSIG_REQ_CTX_INIT;
	uint8_t cdhashes[8 * 20];
	struct arena arena;
	memset(&arena, 0, sizeof(arena));
	struct cert_facts *cf = csig__calloc_n(1, sizeof(*cf));
	if (!cf)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory");
	if (cd) {
		ctx.identifier = cd->identifier;
		ctx.team_id = cd->team;
		ctx.platform = cd->platform;
		size_t n = 0;
		for (size_t i = 0; i < sig->ncds && n < 8; i++, n++)
			csig_codedir_cdhash(&sig->cds[i], cdhashes + 20 * n);
		ctx.cdhashes = cdhashes;
		ctx.n_cdhashes = n;
	}
	if (sig && sig->cms) {
		ctx.certs = cf->certs;
		ctx.n_certs = fill_chain(cf, sig->cms);
		/* the anchor counts as Apple only when the signature is intact */
		csig_cms_result *cr = NULL;
		if (cd && sig->ncds && csig_cms_verify(sig->cms, sig->cds[0].bytes,
						       (int64_t)time(NULL), &cr, NULL) == CSIG_OK)
			ctx.anchor_is_apple = csig_cms_result_apple_root(cr) &&
					      csig_cms_result_signature_ok(cr) &&
					      csig_cms_result_digest_ok(cr) &&
					      csig_cms_result_chain_ok(cr);
		csig_cms_result_free(cr);
		ctx.apple_anchor = ctx.anchor_is_apple ? CSIG_REQ_FACT_DERIVE : CSIG_REQ_FACT_NO;
	} else {
		ctx.apple_anchor = CSIG_REQ_FACT_NO;
	}
	struct lookup_user info_user = { &arena, info_plist ? csig_plist_root(info_plist) : NULL };
	const csig_plist *ent = sig ? (sig->ent_xml ? sig->ent_xml : sig->ent_der) : NULL;
	struct lookup_user ent_user = { &arena, ent ? csig_plist_root(ent) : NULL };
	ctx.info_lookup = plist_lookup;
	ctx.info_user = &info_user;
	ctx.entitlement_lookup = plist_lookup;
	ctx.entitlement_user = &ent_user;
	int e = csig_req_eval(req, &ctx, out, err);
	if (!e && arena.nomem) {
		csig_req_result_free(*out);
		*out = NULL;
		e = CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory for evaluation values");
	}
	arena_free(&arena);
	csig__free(cf);
	return e;
}
