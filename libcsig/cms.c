/* cms.c - CMS SignedData and RFC 3161 timestamp tokens (see csig/cms.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "cms_int.h"
#include "hash.h"
#include "util.h"

#define OID_SIGNED_DATA "1.2.840.113549.1.7.2"
#define OID_CONTENT_TYPE "1.2.840.113549.1.9.3"
#define OID_MESSAGE_DIGEST "1.2.840.113549.1.9.4"
#define OID_SIGNING_TIME "1.2.840.113549.1.9.5"
#define OID_CDHASHES "1.2.840.113635.100.9.1"
#define OID_CDHASHES2 "1.2.840.113635.100.9.2"
#define OID_TST_TOKEN "1.2.840.113549.1.9.16.2.14"
#define OID_TSTINFO "1.2.840.113549.1.9.16.1.4"

typedef struct cp {
	csig_cms *m;
	unsigned depth;
	size_t max_count;
	int nested;        /* parsing a timestamp token: no tokens inside */
	csig_error *err;
} cp;

static int nomem(cp *p, uint64_t off)
{
	return CSIG_FAIL(p->err, CSIG_E_NOMEM, off, "CMS: out of memory");
}

static int oid_dup(cp *p, const csig_der *e, const char *what, const char **out)
{
	char buf[DER_OID_TEXT_MAX];
	int rc;
	if (!der_is(e, DER_UNIVERSAL, DER_OID) || e->constructed)
		return CSIG_FAIL(p->err, CSIG_E_BADVALUE, e->off,
				 "%s at 0x%llx: expected OBJECT IDENTIFIER, found class %u tag %u",
				 what, (unsigned long long)e->off, e->cls, (unsigned)e->tag);
	if ((rc = csig__der_oid_text(e, buf, sizeof(buf))))
		return rc;
	*out = csig__arena_strndup(&p->m->arena, buf, strlen(buf));
	return *out ? CSIG_OK : nomem(p, e->off);
}

static int alg_oid(cp *p, csig_rd *r, const char *what, const char **out)
{
	csig_der seq, o;
	int rc;
	if ((rc = csig__der_expect(r, p->depth, DER_UNIVERSAL, DER_SEQUENCE, what, &seq)))
		return rc;
	csig_rd s = seq.val;
	if ((rc = csig__der_expect(&s, p->depth, DER_UNIVERSAL, DER_OID, what, &o)))
		return rc;
	return oid_dup(p, &o, what, out);
}

/* Count the elements of a constructed value, bounded by max_count. */
static int count_elems(cp *p, const csig_der *e, const char *what, size_t *n)
{
	csig_rd r = e->val;
	size_t k = 0;
	int rc;
	while (rd_left(&r)) {
		csig_der c;
		if ((rc = csig__der_next(&r, p->depth, &c)))
			return rc;
		if (++k > p->max_count)
			return CSIG_FAIL(p->err, CSIG_E_LIMIT, e->off,
					 "%s at 0x%llx: more than %zu elements",
					 what, (unsigned long long)e->off, p->max_count);
	}
	*n = k;
	return CSIG_OK;
}

static int cms_parse_rd(cp *p, csig_rd *r);

/* ---- attributes --------------------------------------------------------- */

static int attr_single(cp *p, const csig_der *set, const char *what, csig_der *v)
{
	csig_rd s = set->val;
	int rc;
	if ((rc = csig__der_next(&s, p->depth, v)))
		return rc;
	if (rd_left(&s))
		return CSIG_FAIL(p->err, CSIG_E_BADVALUE, set->off,
				 "%s attribute at 0x%llx has more than one value",
				 what, (unsigned long long)set->off);
	return CSIG_OK;
}

static int cdhashes2(cp *p, cms_signer *si, const csig_der *set)
{
	size_t n;
	int rc;
	if ((rc = count_elems(p, set, "CDHashes2", &n)))
		return rc;
	si->cdh2 = csig__arena_calloc_n(&p->m->arena, n ? n : 1, sizeof(*si->cdh2));
	if (!si->cdh2)
		return nomem(p, set->off);
	csig_rd s = set->val;
	for (size_t k = 0; k < n; k++) {
		csig_der seq, o, d;
		if ((rc = csig__der_expect(&s, p->depth, DER_UNIVERSAL, DER_SEQUENCE,
					   "CDHashes2 entry", &seq)))
			return rc;
		csig_rd e = seq.val;
		if ((rc = csig__der_expect(&e, p->depth, DER_UNIVERSAL, DER_OID,
					   "CDHashes2 digestAlgorithm", &o)) ||
		    (rc = oid_dup(p, &o, "CDHashes2 digestAlgorithm", &si->cdh2[k].oid)) ||
		    (rc = csig__der_expect(&e, p->depth, DER_UNIVERSAL, DER_OCTET_STRING,
					   "CDHashes2 cdhash", &d)) ||
		    (rc = csig__der_octets(&d, p->depth, &p->m->arena, &si->cdh2[k].digest)) ||
		    (rc = rd_end(&e)))
			return rc;
		si->cdh2[k].alg = csig__hash_alg_from_oid(si->cdh2[k].oid);
	}
	si->n_cdh2 = n;
	return CSIG_OK;
}

static int attrs_parse(cp *p, cms_signer *si, const csig_der *attrs, int is_signed)
{
	csig_rd r = attrs->val;
	size_t count = 0;
	int rc;
	while (rd_left(&r)) {
		csig_der a, o, set, v;
		const char *oid;
		if (++count > p->max_count)
			return CSIG_FAIL(p->err, CSIG_E_LIMIT, attrs->off,
					 "attributes at 0x%llx: more than %zu",
					 (unsigned long long)attrs->off, p->max_count);
		if ((rc = csig__der_expect(&r, p->depth, DER_UNIVERSAL, DER_SEQUENCE,
					   "Attribute", &a)))
			return rc;
		csig_rd ar = a.val;
		if ((rc = csig__der_expect(&ar, p->depth, DER_UNIVERSAL, DER_OID,
					   "attrType", &o)) ||
		    (rc = oid_dup(p, &o, "attrType", &oid)) ||
		    (rc = csig__der_expect(&ar, p->depth, DER_UNIVERSAL, DER_SET,
					   "attrValues", &set)) ||
		    (rc = rd_end(&ar)))
			return rc;
		if (is_signed && strcmp(oid, OID_CONTENT_TYPE) == 0) {
			if ((rc = attr_single(p, &set, "contentType", &v)) ||
			    (rc = oid_dup(p, &v, "contentType value", &si->content_type)))
				return rc;
		} else if (is_signed && strcmp(oid, OID_MESSAGE_DIGEST) == 0) {
			if ((rc = attr_single(p, &set, "messageDigest", &v)) ||
			    (rc = csig__der_octets(&v, p->depth, &p->m->arena, &si->message_digest)))
				return rc;
			si->has_message_digest = 1;
		} else if (is_signed && strcmp(oid, OID_SIGNING_TIME) == 0) {
			if ((rc = attr_single(p, &set, "signingTime", &v)) ||
			    (rc = csig__der_time(&v, &si->signing_time)))
				return rc;
			si->has_signing_time = 1;
		} else if (is_signed && strcmp(oid, OID_CDHASHES) == 0) {
			if ((rc = attr_single(p, &set, "CDHashes", &v)) ||
			    (rc = csig__der_octets(&v, p->depth, &p->m->arena, &si->cdhashes_plist)))
				return rc;
			si->has_cdhashes_plist = 1;
		} else if (is_signed && strcmp(oid, OID_CDHASHES2) == 0) {
			if ((rc = cdhashes2(p, si, &set)))
				return rc;
		} else if (!is_signed && strcmp(oid, OID_TST_TOKEN) == 0 && !p->nested &&
			   !si->tst) {
			if ((rc = attr_single(p, &set, "timeStampToken", &v)))
				return rc;
			csig_rd tr;
			rd_init(&tr, v.raw.ptr, v.raw.len, v.off, "timeStampToken", p->err);
			csig_cms *t = csig__calloc_n(1, sizeof(*t));
			if (!t)
				return nomem(p, v.off);
			csig__arena_init(&t->arena, 0);
			cp q = { t, p->depth, p->max_count, 1, p->err };
			rc = cms_parse_rd(&q, &tr);
			if (rc) {
				csig_cms_free(t);
				return rc;
			}
			si->tst = t;
		}
	}
	if (is_signed)
		si->n_signed_attrs = count;
	return CSIG_OK;
}

/* ---- SignerInfo --------------------------------------------------------- */

static int signer_parse(cp *p, cms_signer *si, const csig_der *seq)
{
	csig_rd r = seq->val;
	csig_der v, sid, sig;
	int64_t ver;
	int rc;
	if ((rc = csig__der_expect(&r, p->depth, DER_UNIVERSAL, DER_INTEGER,
				   "SignerInfo version", &v)) ||
	    (rc = csig__der_int64(&v, &ver)))
		return rc;
	si->version = (int)(ver < 0 || ver > 255 ? -1 : ver);
	if ((rc = csig__der_next(&r, p->depth, &sid)))
		return rc;
	if (der_is(&sid, DER_UNIVERSAL, DER_SEQUENCE)) {
		csig_rd s = sid.val;
		csig_der name, serial;
		if ((rc = csig__der_expect(&s, p->depth, DER_UNIVERSAL, DER_SEQUENCE,
					   "sid issuer", &name)) ||
		    (rc = csig__der_expect(&s, p->depth, DER_UNIVERSAL, DER_INTEGER,
					   "sid serialNumber", &serial)) ||
		    (rc = csig__der_uint_bytes(&serial, &si->sid_serial)) ||
		    (rc = rd_end(&s)))
			return rc;
		si->sid_kind = 1;
		si->sid_issuer = name.raw;
	} else if (der_is(&sid, DER_CONTEXT, 0) && !sid.constructed) {
		si->sid_kind = 2;
		si->sid_skid = rd_view(&sid.val);
	} else {
		return CSIG_FAIL(p->err, CSIG_E_BADVALUE, sid.off,
				 "SignerInfo sid at 0x%llx: class %u tag %u is neither "
				 "issuerAndSerialNumber nor subjectKeyIdentifier",
				 (unsigned long long)sid.off, sid.cls, (unsigned)sid.tag);
	}
	if ((rc = alg_oid(p, &r, "SignerInfo digestAlgorithm", &si->digest_oid)))
		return rc;
	si->digest_alg = csig__hash_alg_from_oid(si->digest_oid);
	if (csig__der_peek_is(&r, DER_CONTEXT, 0)) {
		csig_der sa;
		if ((rc = csig__der_next(&r, p->depth, &sa)))
			return rc;
		if (!sa.constructed)
			return CSIG_FAIL(p->err, CSIG_E_BADVALUE, sa.off,
					 "signedAttrs at 0x%llx is primitive",
					 (unsigned long long)sa.off);
		si->has_signed_attrs = 1;
		si->signed_attrs = sa.raw;
		si->signed_attrs_hdr = sa.hdr_len;
		si->signed_attrs_indef = sa.indefinite;
		if ((rc = attrs_parse(p, si, &sa, 1)))
			return rc;
	}
	if ((rc = alg_oid(p, &r, "SignerInfo signatureAlgorithm", &si->sig_alg_oid)) ||
	    (rc = csig__der_expect(&r, p->depth, DER_UNIVERSAL, DER_OCTET_STRING,
				   "SignerInfo signature", &sig)) ||
	    (rc = csig__der_octets(&sig, p->depth, &p->m->arena, &si->signature)))
		return rc;
	if (csig__der_peek_is(&r, DER_CONTEXT, 1)) {
		csig_der ua;
		if ((rc = csig__der_next(&r, p->depth, &ua)))
			return rc;
		if (!ua.constructed)
			return CSIG_FAIL(p->err, CSIG_E_BADVALUE, ua.off,
					 "unsignedAttrs at 0x%llx is primitive",
					 (unsigned long long)ua.off);
		if ((rc = attrs_parse(p, si, &ua, 0)))
			return rc;
	}
	return rd_end(&r);
}

/* ---- TSTInfo (RFC 3161 2.4.2) ------------------------------------------ */

static int tstinfo_parse(cp *p)
{
	csig_cms *m = p->m;
	csig_rd r;
	csig_der seq, v, pol, mi, serial, t;
	int64_t ver;
	int rc;
	rd_init(&r, m->content.ptr, m->content.len, 0, "TSTInfo", p->err);
	if ((rc = csig__der_expect(&r, p->depth, DER_UNIVERSAL, DER_SEQUENCE, "TSTInfo", &seq)) ||
	    (rc = rd_end(&r)))
		return rc;
	csig_rd s = seq.val;
	if ((rc = csig__der_expect(&s, p->depth, DER_UNIVERSAL, DER_INTEGER,
				   "TSTInfo version", &v)) ||
	    (rc = csig__der_int64(&v, &ver)) ||
	    (rc = csig__der_expect(&s, p->depth, DER_UNIVERSAL, DER_OID,
				   "TSTInfo policy", &pol)) ||
	    (rc = oid_dup(p, &pol, "TSTInfo policy", &m->tst_policy)) ||
	    (rc = csig__der_expect(&s, p->depth, DER_UNIVERSAL, DER_SEQUENCE,
				   "TSTInfo messageImprint", &mi)))
		return rc;
	csig_rd mr = mi.val;
	csig_der d;
	if ((rc = alg_oid(p, &mr, "messageImprint hashAlgorithm", &m->tst_hash_oid)) ||
	    (rc = csig__der_expect(&mr, p->depth, DER_UNIVERSAL, DER_OCTET_STRING,
				   "hashedMessage", &d)) ||
	    (rc = csig__der_octets(&d, p->depth, &m->arena, &m->tst_imprint)) ||
	    (rc = rd_end(&mr)))
		return rc;
	m->tst_hash_alg = csig__hash_alg_from_oid(m->tst_hash_oid);
	csig_bytes sb;
	if ((rc = csig__der_expect(&s, p->depth, DER_UNIVERSAL, DER_INTEGER,
				   "TSTInfo serialNumber", &serial)) ||
	    (rc = csig__der_uint_bytes(&serial, &sb)) ||
	    (rc = csig__der_expect(&s, p->depth, DER_UNIVERSAL, DER_GENERALIZEDTIME,
				   "TSTInfo genTime", &t)) ||
	    (rc = csig__der_time(&t, &m->tst_gen_time)))
		return rc;
	m->tst_serial_hex = csig__arena_hex(&m->arena, sb.ptr, sb.len);
	if (!m->tst_serial_hex)
		return nomem(p, serial.off);
	m->is_tst = 1;
	(void)ver;
	return CSIG_OK; /* accuracy, ordering, nonce, tsa, extensions ignored */
}

/* ---- chain ------------------------------------------------------------- */

static const csig_cert *find_signer_cert(const csig_cms *m, const cms_signer *si)
{
	for (size_t i = 0; i < m->n_certs; i++) {
		const csig_cert *c = m->certs[i];
		if (si->sid_kind == 1 && c->issuer.raw.len == si->sid_issuer.len &&
		    memcmp(c->issuer.raw.ptr, si->sid_issuer.ptr, si->sid_issuer.len) == 0 &&
		    c->serial.len == si->sid_serial.len &&
		    memcmp(c->serial.ptr, si->sid_serial.ptr, si->sid_serial.len) == 0)
			return c;
		if (si->sid_kind == 2 && c->skid.len && c->skid.len == si->sid_skid.len &&
		    memcmp(c->skid.ptr, si->sid_skid.ptr, c->skid.len) == 0)
			return c;
	}
	return NULL;
}

static int build_chain(cp *p)
{
	csig_cms *m = p->m;
	m->chain = csig__arena_calloc_n(&m->arena, m->n_certs + 1, sizeof(*m->chain));
	if (!m->chain)
		return nomem(p, 0);
	const csig_cert *c = m->n_signers ? m->signers[0].cert : NULL;
	while (c && m->n_chain < m->n_certs) {
		m->chain[m->n_chain++] = c;
		if (csig__cert_issued_by(c, c))
			break;
		const csig_cert *next = NULL;
		for (size_t i = 0; i < m->n_certs && !next; i++) {
			const csig_cert *k = m->certs[i];
			int used = 0;
			for (size_t j = 0; j < m->n_chain; j++)
				used |= m->chain[j] == k;
			if (!used && csig__cert_issued_by(c, k))
				next = k;
		}
		c = next;
	}
	/* the signer left the root out: complete from the embedded Apple roots */
	const csig_cert *last = m->n_chain ? m->chain[m->n_chain - 1] : NULL;
	csig_bytes der;
	for (size_t i = 0; last && !csig__cert_issued_by(last, last) &&
			   csig__apple_root_der(i, &der) == CSIG_OK; i++) {
		csig_cert *root;
		csig_rd rr;
		rd_init(&rr, der.ptr, der.len, 0, "embedded Apple root", NULL);
		if (csig__cert_parse_rd(&root, &rr, CSIG_LIMIT_DEPTH_DEFAULT, NULL) != CSIG_OK)
			continue;
		if (csig__cert_issued_by(last, root)) {
			m->store_root = root;
			m->chain[m->n_chain++] = root;
			break;
		}
		csig_cert_free(root);
	}
	return CSIG_OK;
}

/* ---- SignedData --------------------------------------------------------- */

static int cms_parse_rd(cp *p, csig_rd *r)
{
	csig_cms *m = p->m;
	csig_der ci, ct, wrap, sd, v, dalgs, eci, set;
	const char *ctype;
	int64_t ver;
	int rc;

	if (!csig__der_peek_is(r, DER_UNIVERSAL, DER_SEQUENCE))
		return CSIG_FAIL(p->err, CSIG_E_BADMAGIC, rd_abs(r),
				 "CMS at 0x%llx: not a ContentInfo (no SEQUENCE)",
				 (unsigned long long)rd_abs(r));
	if ((rc = csig__der_expect(r, p->depth, DER_UNIVERSAL, DER_SEQUENCE,
				   "ContentInfo", &ci)) || (rc = rd_end(r)))
		return rc;
	m->der = ci.raw;
	csig_rd c = ci.val;
	if ((rc = csig__der_expect(&c, p->depth, DER_UNIVERSAL, DER_OID,
				   "ContentInfo contentType", &ct)) ||
	    (rc = oid_dup(p, &ct, "contentType", &ctype)))
		return rc;
	if (strcmp(ctype, OID_SIGNED_DATA) != 0)
		return CSIG_FAIL(p->err, CSIG_E_BADMAGIC, ct.off,
				 "ContentInfo contentType %s at 0x%llx is not signedData",
				 ctype, (unsigned long long)ct.off);
	if ((rc = csig__der_expect(&c, p->depth, DER_CONTEXT, 0, "ContentInfo [0]", &wrap)) ||
	    (rc = rd_end(&c)))
		return rc;
	csig_rd w = wrap.val;
	if ((rc = csig__der_expect(&w, p->depth, DER_UNIVERSAL, DER_SEQUENCE,
				   "SignedData", &sd)) || (rc = rd_end(&w)))
		return rc;
	csig_rd s = sd.val;
	if ((rc = csig__der_expect(&s, p->depth, DER_UNIVERSAL, DER_INTEGER,
				   "SignedData version", &v)) ||
	    (rc = csig__der_int64(&v, &ver)))
		return rc;
	if (ver < 0 || ver > 5)
		return CSIG_FAIL(p->err, CSIG_E_BADVALUE, v.off,
				 "SignedData version %lld at 0x%llx is not 0..5",
				 (long long)ver, (unsigned long long)v.off);
	m->version = (int)ver;

	/* digestAlgorithms SET OF AlgorithmIdentifier */
	if ((rc = csig__der_expect(&s, p->depth, DER_UNIVERSAL, DER_SET,
				   "digestAlgorithms", &dalgs)) ||
	    (rc = count_elems(p, &dalgs, "digestAlgorithms", &m->n_digest)))
		return rc;
	m->digest_oids = csig__arena_calloc_n(&m->arena, m->n_digest ? m->n_digest : 1,
					      sizeof(char *));
	if (!m->digest_oids)
		return nomem(p, dalgs.off);
	csig_rd dr = dalgs.val;
	for (size_t i = 0; i < m->n_digest; i++)
		if ((rc = alg_oid(p, &dr, "digestAlgorithm", &m->digest_oids[i])))
			return rc;

	/* encapContentInfo */
	if ((rc = csig__der_expect(&s, p->depth, DER_UNIVERSAL, DER_SEQUENCE,
				   "encapContentInfo", &eci)))
		return rc;
	csig_rd er = eci.val;
	csig_der eo;
	if ((rc = csig__der_expect(&er, p->depth, DER_UNIVERSAL, DER_OID,
				   "eContentType", &eo)) ||
	    (rc = oid_dup(p, &eo, "eContentType", &m->econtent_type)))
		return rc;
	m->detached = 1;
	if (rd_left(&er)) {
		csig_der ew, os;
		if ((rc = csig__der_expect(&er, p->depth, DER_CONTEXT, 0, "eContent [0]", &ew)))
			return rc;
		csig_rd ewr = ew.val;
		if ((rc = csig__der_expect(&ewr, p->depth, DER_UNIVERSAL, DER_OCTET_STRING,
					   "eContent", &os)) ||
		    (rc = rd_end(&ewr)) ||
		    (rc = csig__der_octets(&os, p->depth, &m->arena, &m->content)))
			return rc;
		m->detached = 0;
	}
	if ((rc = rd_end(&er)))
		return rc;

	/* [0] IMPLICIT certificates, [1] IMPLICIT crls */
	if (csig__der_peek_is(&s, DER_CONTEXT, 0)) {
		csig_der certs;
		size_t n;
		if ((rc = csig__der_next(&s, p->depth, &certs)) ||
		    (rc = count_elems(p, &certs, "certificates", &n)))
			return rc;
		m->certs = csig__arena_calloc_n(&m->arena, n ? n : 1, sizeof(*m->certs));
		if (!m->certs)
			return nomem(p, certs.off);
		csig_rd cr = certs.val;
		for (size_t i = 0; i < n; i++) {
			csig_der ce;
			if ((rc = csig__der_next(&cr, p->depth, &ce)))
				return rc;
			if (!der_is(&ce, DER_UNIVERSAL, DER_SEQUENCE)) {
				m->n_other_certs++; /* attribute or other certificate formats */
				continue;
			}
			csig_rd one;
			rd_init(&one, ce.raw.ptr, ce.raw.len, ce.off, "certificate", p->err);
			if ((rc = csig__cert_parse_rd(&m->certs[m->n_certs], &one, p->depth, p->err)))
				return rc;
			m->n_certs++;
		}
	}
	if (csig__der_peek_is(&s, DER_CONTEXT, 1)) {
		csig_der crls;
		if ((rc = csig__der_next(&s, p->depth, &crls)))
			return rc;
		m->has_crls = 1;
	}

	/* signerInfos SET OF SignerInfo */
	size_t n;
	if ((rc = csig__der_expect(&s, p->depth, DER_UNIVERSAL, DER_SET, "signerInfos", &set)) ||
	    (rc = count_elems(p, &set, "signerInfos", &n)) || (rc = rd_end(&s)))
		return rc;
	m->signers = csig__arena_calloc_n(&m->arena, n ? n : 1, sizeof(*m->signers));
	if (!m->signers)
		return nomem(p, set.off);
	csig_rd sr = set.val;
	for (size_t i = 0; i < n; i++) {
		csig_der seq;
		if ((rc = csig__der_expect(&sr, p->depth, DER_UNIVERSAL, DER_SEQUENCE,
					   "SignerInfo", &seq)))
			return rc;
		m->n_signers = i + 1; /* so free releases a parsed token */
		if ((rc = signer_parse(p, &m->signers[i], &seq)))
			return rc;
		m->signers[i].cert = find_signer_cert(m, &m->signers[i]);
	}
	if ((rc = build_chain(p)))
		return rc;
	if (strcmp(m->econtent_type, OID_TSTINFO) == 0 && !m->detached)
		return tstinfo_parse(p);
	return CSIG_OK;
}

int csig_cms_parse(csig_cms **out, const void *buf, size_t len,
		   const csig_open_options *opts, csig_error *err)
{
	csig_rd r;
	int rc;
	csig__error_clear(err);
	if (!out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "csig_cms_parse: out is NULL");
	*out = NULL;
	if (!buf || !len)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "csig_cms_parse: empty input");
	csig_cms *m = csig__calloc_n(1, sizeof(*m));
	if (!m)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "CMS: out of memory");
	csig__arena_init(&m->arena, 0);
	cp p = { m, CSIG_LIMIT_DEPTH_DEFAULT, CSIG_LIMIT_COUNT_DEFAULT, 0, err };
	if (opts && opts->max_depth && opts->max_depth < p.depth)
		p.depth = opts->max_depth;
	if (opts && opts->max_count && opts->max_count < p.max_count)
		p.max_count = opts->max_count;
	if (opts && (opts->flags & CSIG_OPEN_COPY)) {
		m->own = csig__malloc(len);
		if (!m->own) {
			csig__free(m);
			return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "CMS: out of memory");
		}
		memcpy(m->own, buf, len);
		buf = m->own;
	}
	rd_init(&r, buf, len, 0, "CMS", err);
	rc = cms_parse_rd(&p, &r);
	if (rc == CSIG_E_NOMEM)
		CSIG_FAIL(err, rc, 0, "CMS: out of memory");
	if (rc) {
		csig_cms_free(m);
		return rc;
	}
	*out = m;
	return CSIG_OK;
}

void csig_cms_free(csig_cms *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n_certs; i++)
		csig_cert_free(m->certs[i]);
	csig_cert_free(m->store_root);
	for (size_t i = 0; m->signers && i < m->n_signers; i++)
		csig_cms_free(m->signers[i].tst);
	csig__arena_free(&m->arena);
	csig__free(m->own);
	csig__free(m);
}

/* ---- getters ----------------------------------------------------------- */

static const csig_bytes no_bytes = { NULL, 0 };

static const cms_signer *signer_at(const csig_cms *m, size_t i)
{
	return m && i < m->n_signers ? &m->signers[i] : NULL;
}

int csig_cms_version(const csig_cms *m) { return m ? m->version : -1; }
const char *csig_cms_content_type(const csig_cms *m) { return m ? m->econtent_type : NULL; }
int csig_cms_is_detached(const csig_cms *m) { return m ? m->detached : 0; }
csig_bytes csig_cms_content(const csig_cms *m) { return m ? m->content : no_bytes; }
size_t csig_cms_digest_alg_count(const csig_cms *m) { return m ? m->n_digest : 0; }
const char *csig_cms_digest_alg(const csig_cms *m, size_t i)
{
	return m && i < m->n_digest ? m->digest_oids[i] : NULL;
}
size_t csig_cms_cert_count(const csig_cms *m) { return m ? m->n_certs : 0; }
const csig_cert *csig_cms_cert(const csig_cms *m, size_t i)
{
	return m && i < m->n_certs ? m->certs[i] : NULL;
}
size_t csig_cms_chain_count(const csig_cms *m) { return m ? m->n_chain : 0; }
const csig_cert *csig_cms_chain_cert(const csig_cms *m, size_t i)
{
	return m && i < m->n_chain ? m->chain[i] : NULL;
}
size_t csig_cms_signer_count(const csig_cms *m) { return m ? m->n_signers : 0; }

const csig_cert *csig_cms_signer_cert(const csig_cms *m, size_t i)
{
	const cms_signer *s = signer_at(m, i);
	return s ? s->cert : NULL;
}
const char *csig_cms_signer_digest_oid(const csig_cms *m, size_t i)
{
	const cms_signer *s = signer_at(m, i);
	return s ? s->digest_oid : NULL;
}
int csig_cms_signer_digest_alg(const csig_cms *m, size_t i)
{
	const cms_signer *s = signer_at(m, i);
	return s ? s->digest_alg : 0;
}
const char *csig_cms_signer_sig_alg_oid(const csig_cms *m, size_t i)
{
	const cms_signer *s = signer_at(m, i);
	return s ? s->sig_alg_oid : NULL;
}
csig_bytes csig_cms_signer_signature(const csig_cms *m, size_t i)
{
	const cms_signer *s = signer_at(m, i);
	return s ? s->signature : no_bytes;
}
int csig_cms_signer_has_signed_attrs(const csig_cms *m, size_t i)
{
	const cms_signer *s = signer_at(m, i);
	return s ? s->has_signed_attrs : 0;
}
int csig_cms_signer_signing_time(const csig_cms *m, size_t i, int64_t *out)
{
	const cms_signer *s = signer_at(m, i);
	if (!s || !s->has_signing_time)
		return CSIG_E_NOTFOUND;
	if (out)
		*out = s->signing_time;
	return CSIG_OK;
}
csig_bytes csig_cms_signer_message_digest(const csig_cms *m, size_t i)
{
	const cms_signer *s = signer_at(m, i);
	return s ? s->message_digest : no_bytes;
}
const char *csig_cms_signer_content_type(const csig_cms *m, size_t i)
{
	const cms_signer *s = signer_at(m, i);
	return s ? s->content_type : NULL;
}
csig_bytes csig_cms_signer_cdhashes_plist(const csig_cms *m, size_t i)
{
	const cms_signer *s = signer_at(m, i);
	return s ? s->cdhashes_plist : no_bytes;
}
size_t csig_cms_signer_cdhash2_count(const csig_cms *m, size_t i)
{
	const cms_signer *s = signer_at(m, i);
	return s ? s->n_cdh2 : 0;
}
int csig_cms_signer_cdhash2(const csig_cms *m, size_t i, size_t k, int *hash_type,
			    const char **oid, csig_bytes *digest)
{
	const cms_signer *s = signer_at(m, i);
	if (!s || k >= s->n_cdh2)
		return CSIG_E_NOTFOUND;
	if (hash_type)
		*hash_type = s->cdh2[k].alg;
	if (oid)
		*oid = s->cdh2[k].oid;
	if (digest)
		*digest = s->cdh2[k].digest;
	return CSIG_OK;
}
const csig_cms *csig_cms_signer_timestamp(const csig_cms *m, size_t i)
{
	const cms_signer *s = signer_at(m, i);
	return s ? s->tst : NULL;
}

int csig_cms_tstinfo(const csig_cms *m, int64_t *gen_time, int *hash_type,
		     csig_bytes *imprint, const char **serial_hex)
{
	if (!m || !m->is_tst)
		return CSIG_E_NOTFOUND;
	if (gen_time)
		*gen_time = m->tst_gen_time;
	if (hash_type)
		*hash_type = m->tst_hash_alg;
	if (imprint)
		*imprint = m->tst_imprint;
	if (serial_hex)
		*serial_hex = m->tst_serial_hex;
	return CSIG_OK;
}

/* ---- verification ------------------------------------------------------- */

#define CMS_MAX_FINDINGS 32

typedef struct cms_finding {
	char id[32];
	char msg[200];
} cms_finding;

struct csig_cms_result {
	int digest_ok, signature_ok, chain_ok, apple_root, expired, multiple;
	int tst;             /* -1 none, 0 bad, 1 good */
	int tst_apple;
	const char *apple_root_name;
	int64_t days;
	int64_t at_time;
	size_t n_links;
	unsigned char *link_ok;
	size_t n_findings;
	cms_finding findings[CMS_MAX_FINDINGS];
};

static void CSIG_PRINTF(3, 4) finding(csig_cms_result *res, const char *id,
				      const char *fmt, ...)
{
	if (res->n_findings >= CMS_MAX_FINDINGS)
		return;
	cms_finding *f = &res->findings[res->n_findings++];
	snprintf(f->id, sizeof(f->id), "%s", id);
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(f->msg, sizeof(f->msg), fmt, ap);
	va_end(ap);
}

static const char *cert_label(const csig_cert *c)
{
	const char *cn = csig_cert_subject_cn(c);
	return cn ? cn : csig_cert_subject_text(c);
}

/* Hash of the signed attributes re-tagged as SET OF (RFC 5652 5.4). */
static size_t signed_attrs_digest(const cms_signer *si, int alg, uint8_t *out)
{
	csig_hash_ctx h;
	csig_rd r;
	csig_bytes tail;
	static const uint8_t set_tag = 0x31;
	rd_init(&r, si->signed_attrs.ptr, si->signed_attrs.len, 0, "signedAttrs", NULL);
	if (si->signed_attrs.len < 2 || rd_view_at(&r, 1, si->signed_attrs.len - 1, &tail) ||
	    csig__hash_init(&h, alg))
		return 0;
	csig__hash_update(&h, &set_tag, 1);
	csig__hash_update(&h, tail.ptr, tail.len);
	csig__hash_final(&h, out);
	return csig__hash_full_size(alg);
}

static int verify_core(const csig_cms *m, csig_bytes content, int64_t at,
		       csig_cms_result *res);

static void verify_timestamp(const cms_signer *si, csig_cms_result *res)
{
	const csig_cms *t = si->tst;
	uint8_t d[CSIG_HASH_MAX];
	if (!t) {
		res->tst = -1;
		return;
	}
	res->tst = 0;
	if (!t->is_tst) {
		finding(res, "timestamp-invalid", "timestamp token content type %s is not TSTInfo",
			t->econtent_type);
		return;
	}
	size_t n = t->tst_hash_alg ? csig__hash(t->tst_hash_alg, si->signature.ptr,
						 si->signature.len, d) : 0;
	if (!n) {
		finding(res, "timestamp-invalid", "timestamp messageImprint algorithm %s unsupported",
			t->tst_hash_oid);
		return;
	}
	if (n != t->tst_imprint.len || memcmp(d, t->tst_imprint.ptr, n) != 0) {
		finding(res, "timestamp-invalid",
			"timestamp messageImprint does not match the hash of the signature");
		return;
	}
	csig_cms_result *sub = csig__calloc_n(1, sizeof(*sub));
	if (!sub) {
		finding(res, "timestamp-invalid", "out of memory verifying the timestamp");
		return;
	}
	verify_core(t, t->content, t->tst_gen_time, sub);
	if (sub->digest_ok && sub->signature_ok && sub->chain_ok) {
		res->tst = 1;
		res->tst_apple = sub->apple_root;
	} else {
		for (size_t i = 0; i < sub->n_findings; i++)
			if (strcmp(sub->findings[i].id, "cert-expired") != 0 &&
			    strcmp(sub->findings[i].id, "not-apple-root") != 0)
				finding(res, "timestamp-invalid", "timestamp token: %s",
					sub->findings[i].msg);
	}
	csig__free(sub->link_ok);
	csig__free(sub);
}

static int verify_core(const csig_cms *m, csig_bytes content, int64_t at,
		       csig_cms_result *res)
{
	uint8_t cd[CSIG_HASH_MAX], sd[CSIG_HASH_MAX];
	size_t cn = 0, sn = 0;
	res->at_time = at;
	res->tst = -1;
	res->days = INT64_MAX;
	if (m->n_signers == 0) {
		finding(res, "no-signer", "the SignedData has no SignerInfo");
		return CSIG_OK;
	}
	if (m->n_signers > 1) {
		res->multiple = 1;
		finding(res, "multiple-signers",
			"the SignedData has %zu SignerInfos; only the first is verified",
			m->n_signers);
	}
	const cms_signer *si = &m->signers[0];
	int h = si->digest_alg;

	/* messageDigest = H(content) */
	if (!content.ptr && !content.len && m->detached) {
		finding(res, "no-content", "detached signature verified without its content");
	} else if (!h) {
		finding(res, "unsupported-algorithm", "digest algorithm %s is not supported",
			si->digest_oid);
	} else {
		cn = csig__hash(h, content.ptr, content.len, cd);
		if (!si->has_signed_attrs) {
			res->digest_ok = cn > 0;
		} else if (!si->has_message_digest) {
			finding(res, "digest-mismatch", "signed attributes lack messageDigest");
		} else if (si->message_digest.len != cn ||
			   memcmp(si->message_digest.ptr, cd, cn) != 0) {
			finding(res, "digest-mismatch",
				"messageDigest does not equal the %s of the %zu content bytes",
				csig__hash_name(h), content.len);
		} else {
			res->digest_ok = 1;
		}
	}
	if (si->has_signed_attrs && si->content_type &&
	    strcmp(si->content_type, m->econtent_type) != 0)
		finding(res, "content-type-mismatch",
			"contentType attribute %s differs from eContentType %s",
			si->content_type, m->econtent_type);

	/* signature over the signed attributes (or the content digest) */
	if (!si->cert) {
		finding(res, "no-signer-cert",
			"no certificate in the CMS matches the signer identifier");
	} else if (h) {
		if (si->has_signed_attrs) {
			if (si->signed_attrs_indef)
				finding(res, "unsupported-algorithm",
					"signed attributes use an indefinite length; DER re-encoding unsupported");
			else
				sn = signed_attrs_digest(si, h, sd);
		} else if (cn) {
			memcpy(sd, cd, cn);
			sn = cn;
		}
		if (sn) {
			int rc = csig__verify_digest(si->cert, si->sig_alg_oid, h, sd, sn,
						     si->signature);
			if (rc == 1)
				res->signature_ok = 1;
			else if (rc == 0)
				finding(res, "signature-invalid",
					"the signer signature does not verify with \"%s\"'s key",
					cert_label(si->cert));
			else
				finding(res, "unsupported-algorithm",
					"signature algorithm %s with a %s key: %s", si->sig_alg_oid,
					csig_cert_sig_alg_name(si->cert), csig_errname(rc));
		}
	}

	/* chain: each certificate signed by the next, root by itself */
	res->n_links = m->n_chain;
	res->link_ok = csig__calloc_n(m->n_chain ? m->n_chain : 1, 1);
	if (!res->link_ok)
		return CSIG_E_NOMEM;
	res->chain_ok = m->n_chain > 0;
	for (size_t i = 0; i < m->n_chain; i++) {
		const csig_cert *c = m->chain[i];
		const csig_cert *iss = i + 1 < m->n_chain ? m->chain[i + 1] :
				       csig__cert_issued_by(c, c) ? c : NULL;
		if (!iss) {
			res->chain_ok = 0;
			finding(res, "chain-incomplete",
				"no certificate in the CMS issued \"%s\" (issuer \"%s\")",
				cert_label(c), csig_cert_issuer_text(c));
		} else {
			int rc = csig_cert_verify_signature(c, iss);
			res->link_ok[i] = rc == 1;
			if (rc != 1) {
				res->chain_ok = 0;
				finding(res, "chain-link-invalid",
					"signature of \"%s\" by \"%s\" does not verify (%s)",
					cert_label(c), cert_label(iss),
					rc == 0 ? "mismatch" : csig_errname(rc));
			}
		}
		if (at < c->not_before || at > c->not_after) {
			res->expired = 1;
			finding(res, "cert-expired",
				"\"%s\" is outside its validity at the evaluation time",
				cert_label(c));
		}
		int64_t left = c->not_after - at;
		int64_t days = left >= 0 ? left / 86400 : -((-left + 86399) / 86400);
		if (days < res->days)
			res->days = days;
	}
	if (m->n_chain == 0)
		res->days = 0;
	if (m->n_chain) {
		const csig_cert *root = m->chain[m->n_chain - 1];
		res->apple_root_name = csig__cert_issued_by(root, root) ?
				       csig__apple_root_name(root->sha256) : NULL;
		res->apple_root = res->apple_root_name != NULL;
	}
	if (!res->apple_root)
		finding(res, "not-apple-root", "the chain does not end at a pinned Apple root");

	verify_timestamp(si, res);
	return CSIG_OK;
}

int csig_cms_verify(const csig_cms *m, csig_bytes detached, int64_t at_time,
		    csig_cms_result **out, csig_error *err)
{
	csig__error_clear(err);
	if (!out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "csig_cms_verify: out is NULL");
	*out = NULL;
	if (!m)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "csig_cms_verify: cms is NULL");
	csig_cms_result *res = csig__calloc_n(1, sizeof(*res));
	if (!res)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "CMS verify: out of memory");
	/* the caller's bytes win; otherwise the attached content */
	csig_bytes content = detached.ptr ? detached : m->content;
	if (verify_core(m, content, at_time, res) != CSIG_OK) {
		csig_cms_result_free(res);
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "CMS verify: out of memory");
	}
	*out = res;
	return CSIG_OK;
}

void csig_cms_result_free(csig_cms_result *res)
{
	if (!res)
		return;
	csig__free(res->link_ok);
	csig__free(res);
}

int csig_cms_result_ok(const csig_cms_result *r)
{
	return r && r->digest_ok && r->signature_ok && r->chain_ok && r->tst != 0 &&
	       !r->multiple;
}
int csig_cms_result_digest_ok(const csig_cms_result *r) { return r ? r->digest_ok : 0; }
int csig_cms_result_signature_ok(const csig_cms_result *r) { return r ? r->signature_ok : 0; }
int csig_cms_result_chain_ok(const csig_cms_result *r) { return r ? r->chain_ok : 0; }
int csig_cms_result_link_ok(const csig_cms_result *r, size_t i)
{
	return r && i < r->n_links ? r->link_ok[i] : 0;
}
int csig_cms_result_apple_root(const csig_cms_result *r) { return r ? r->apple_root : 0; }
const char *csig_cms_result_apple_root_name(const csig_cms_result *r)
{
	return r ? r->apple_root_name : NULL;
}
int csig_cms_result_expired(const csig_cms_result *r) { return r ? r->expired : 0; }
int64_t csig_cms_result_days_to_expiry(const csig_cms_result *r) { return r ? r->days : 0; }
int csig_cms_result_multiple_signers(const csig_cms_result *r) { return r ? r->multiple : 0; }
int csig_cms_result_timestamp(const csig_cms_result *r) { return r ? r->tst : -1; }
int csig_cms_result_timestamp_apple_root(const csig_cms_result *r) { return r ? r->tst_apple : 0; }
size_t csig_cms_result_finding_count(const csig_cms_result *r) { return r ? r->n_findings : 0; }
const char *csig_cms_result_finding(const csig_cms_result *r, size_t i, const char **msg)
{
	if (!r || i >= r->n_findings)
		return NULL;
	if (msg)
		*msg = r->findings[i].msg;
	return r->findings[i].id;
}

/* ---- JSON --------------------------------------------------------------- */

static void signer_json(csig_json *j, const csig_cms *m, const cms_signer *si);

static void tst_json(csig_json *j, const csig_cms *t)
{
	json_obj_begin(j);
	if (t->is_tst) {
		json_kv_time(j, "gen_time", t->tst_gen_time);
		json_kv_i64(j, "gen_time_unix", t->tst_gen_time);
		json_kv_str(j, "policy", t->tst_policy);
		json_kv_str(j, "hash_algorithm", csig__hash_name(t->tst_hash_alg));
		json_kv_hex(j, "message_imprint", t->tst_imprint.ptr, t->tst_imprint.len);
		json_kv_str(j, "serial", t->tst_serial_hex);
	}
	json_key(j, "certificates");
	json_arr_begin(j);
	for (size_t i = 0; i < t->n_certs; i++)
		csig__cert_json(j, t->certs[i]);
	json_arr_end(j);
	json_key(j, "signers");
	json_arr_begin(j);
	for (size_t i = 0; i < t->n_signers; i++)
		signer_json(j, t, &t->signers[i]);
	json_arr_end(j);
	json_obj_end(j);
}

static void signer_json(csig_json *j, const csig_cms *m, const cms_signer *si)
{
	(void)m;
	json_obj_begin(j);
	json_kv_i64(j, "version", si->version);
	if (si->sid_kind == 1) {
		json_kv_hex(j, "sid_serial", si->sid_serial.ptr, si->sid_serial.len);
	} else {
		json_kv_hex(j, "sid_subject_key_id", si->sid_skid.ptr, si->sid_skid.len);
	}
	if (si->cert)
		json_kv_str(j, "signer", cert_label(si->cert));
	json_kv_str(j, "digest_algorithm", si->digest_alg ? csig__hash_name(si->digest_alg) :
					       si->digest_oid);
	json_kv_str(j, "signature_algorithm", si->sig_alg_oid);
	json_kv_u64(j, "signature_length", si->signature.len);
	json_kv_u64(j, "signed_attribute_count", si->n_signed_attrs);
	if (si->content_type)
		json_kv_str(j, "content_type", si->content_type);
	if (si->has_signing_time) {
		json_kv_time(j, "signing_time", si->signing_time);
		json_kv_i64(j, "signing_time_unix", si->signing_time);
	}
	if (si->has_message_digest)
		json_kv_hex(j, "message_digest", si->message_digest.ptr, si->message_digest.len);
	if (si->has_cdhashes_plist)
		json_kv_strn(j, "cdhashes_plist", (const char *)si->cdhashes_plist.ptr,
			     si->cdhashes_plist.len);
	json_key(j, "cdhashes2");
	json_arr_begin(j);
	for (size_t k = 0; k < si->n_cdh2; k++) {
		json_obj_begin(j);
		json_kv_str(j, "algorithm", si->cdh2[k].alg ? csig__hash_name(si->cdh2[k].alg) :
								 si->cdh2[k].oid);
		json_kv_hex(j, "digest", si->cdh2[k].digest.ptr, si->cdh2[k].digest.len);
		json_obj_end(j);
	}
	json_arr_end(j);
	if (si->tst) {
		json_key(j, "timestamp");
		tst_json(j, si->tst);
	}
	json_obj_end(j);
}

void csig__cms_json(csig_json *j, const csig_cms *m, const csig_cms_result *res)
{
	json_obj_begin(j);
	json_kv_i64(j, "version", m->version);
	json_kv_str(j, "content_type", m->econtent_type);
	json_kv_bool(j, "detached", m->detached);
	json_kv_u64(j, "content_length", m->content.len);
	json_key(j, "digest_algorithms");
	json_arr_begin(j);
	for (size_t i = 0; i < m->n_digest; i++) {
		int a = csig__hash_alg_from_oid(m->digest_oids[i]);
		json_str(j, a ? csig__hash_name(a) : m->digest_oids[i]);
	}
	json_arr_end(j);
	json_key(j, "certificates");
	json_arr_begin(j);
	for (size_t i = 0; i < m->n_certs; i++)
		csig__cert_json(j, m->certs[i]);
	json_arr_end(j);
	json_key(j, "chain");
	json_arr_begin(j);
	for (size_t i = 0; i < m->n_chain; i++)
		json_str(j, cert_label(m->chain[i]));
	json_arr_end(j);
	json_key(j, "signers");
	json_arr_begin(j);
	for (size_t i = 0; i < m->n_signers; i++)
		signer_json(j, m, &m->signers[i]);
	json_arr_end(j);
	json_kv_bool(j, "multiple_signers", m->n_signers > 1);
	if (res) {
		json_key(j, "verification");
		json_obj_begin(j);
		json_kv_bool(j, "ok", csig_cms_result_ok(res));
		json_kv_time(j, "at_time", res->at_time);
		json_kv_bool(j, "digest_ok", res->digest_ok);
		json_kv_bool(j, "signature_ok", res->signature_ok);
		json_kv_bool(j, "chain_ok", res->chain_ok);
		json_kv_bool(j, "apple_root", res->apple_root);
		if (res->apple_root_name)
			json_kv_str(j, "apple_root_name", res->apple_root_name);
		json_kv_bool(j, "expired", res->expired);
		json_kv_i64(j, "days_to_expiry", res->days);
		json_key(j, "timestamp");
		if (res->tst < 0)
			json_null(j);
		else
			json_bool(j, res->tst);
		json_kv_bool(j, "timestamp_apple_root", res->tst_apple);
		json_key(j, "findings");
		json_arr_begin(j);
		for (size_t i = 0; i < res->n_findings; i++) {
			json_obj_begin(j);
			json_kv_str(j, "id", res->findings[i].id);
			json_kv_str(j, "message", res->findings[i].msg);
			json_obj_end(j);
		}
		json_arr_end(j);
		json_obj_end(j);
	}
	json_obj_end(j);
}

int csig_cms_to_json(const csig_cms *m, const csig_cms_result *res, int pretty,
		     char **out, csig_error *err)
{
	csig_json j;
	csig__error_clear(err);
	if (!m || !out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "csig_cms_to_json: NULL argument");
	json_init(&j, pretty);
	csig__cms_json(&j, m, res);
	return json_finish(&j, out, NULL, err);
}
