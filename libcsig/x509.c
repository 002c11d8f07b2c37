/* x509.c - X.509 v3 certificates (see csig/x509.h). */
#include <stdio.h>
#include <string.h>
#include "x509_int.h"
#include "hash.h"
#include "pk.h"
#include "util.h"

/* ---- OID tables (fixed arrays: read-only data, no relocations) -------- */

static const struct {
	char oid[28];
	char sn[16];
} attr_names[] = {
	{ "2.5.4.3", "CN" },
	{ "2.5.4.11", "OU" },
	{ "2.5.4.10", "O" },
	{ "2.5.4.6", "C" },
	{ "2.5.4.7", "L" },
	{ "2.5.4.8", "ST" },
	{ "2.5.4.9", "street" },
	{ "2.5.4.5", "serialNumber" },
	{ "2.5.4.4", "SN" },
	{ "2.5.4.42", "GN" },
	{ "2.5.4.12", "title" },
	{ "2.5.4.17", "postalCode" },
	{ "2.5.4.46", "dnQualifier" },
	{ "0.9.2342.19200300.100.1.1", "UID" },
	{ "0.9.2342.19200300.100.1.25", "DC" },
	{ "1.2.840.113549.1.9.1", "emailAddress" },
};

static const struct {
	char oid[28];
	char name[28];
	int hash;
	int kind; /* 1 RSA, 2 ECDSA */
} sig_algs[] = {
	{ "1.2.840.113549.1.1.1", "rsaEncryption", 0, 1 },
	{ "1.2.840.113549.1.1.4", "md5WithRSAEncryption", -1, 1 },
	{ "1.2.840.113549.1.1.5", "sha1WithRSAEncryption", CSIG_HASH_SHA1, 1 },
	{ "1.2.840.113549.1.1.11", "sha256WithRSAEncryption", CSIG_HASH_SHA256, 1 },
	{ "1.2.840.113549.1.1.12", "sha384WithRSAEncryption", CSIG_HASH_SHA384, 1 },
	{ "1.2.840.113549.1.1.13", "sha512WithRSAEncryption", CSIG_HASH_SHA512, 1 },
	{ "1.2.840.10045.2.1", "ecPublicKey", 0, 2 },
	{ "1.2.840.10045.4.1", "ecdsa-with-SHA1", CSIG_HASH_SHA1, 2 },
	{ "1.2.840.10045.4.3.2", "ecdsa-with-SHA256", CSIG_HASH_SHA256, 2 },
	{ "1.2.840.10045.4.3.3", "ecdsa-with-SHA384", CSIG_HASH_SHA384, 2 },
	{ "1.2.840.10045.4.3.4", "ecdsa-with-SHA512", CSIG_HASH_SHA512, 2 },
};

static const struct {
	char oid[28];
	char name[8];
	int alg;
} hash_algs[] = {
	{ "1.3.14.3.2.26", "sha1", CSIG_HASH_SHA1 },
	{ "2.16.840.1.101.3.4.2.1", "sha256", CSIG_HASH_SHA256 },
	{ "2.16.840.1.101.3.4.2.2", "sha384", CSIG_HASH_SHA384 },
	{ "2.16.840.1.101.3.4.2.3", "sha512", CSIG_HASH_SHA512 },
};

/* FORMAT.md 5.3 and 5.2. */
static const struct {
	char oid[32];
	char name[64];
} apple_oids[] = {
	{ "1.2.840.113635.100.6.1.1", "Apple Signing" },
	{ "1.2.840.113635.100.6.1.2", "iPhone Developer" },
	{ "1.2.840.113635.100.6.1.3", "iPhone OS Application Signing" },
	{ "1.2.840.113635.100.6.1.4", "iPhone Distribution" },
	{ "1.2.840.113635.100.6.1.5", "Safari Developer" },
	{ "1.2.840.113635.100.6.1.6", "iPhone OS VPN Signing" },
	{ "1.2.840.113635.100.6.1.7", "Mac App Signing Development" },
	{ "1.2.840.113635.100.6.1.8", "Mac App Signing Submission" },
	{ "1.2.840.113635.100.6.1.9", "Mac App Store Application" },
	{ "1.2.840.113635.100.6.1.10", "Mac App Store Installer" },
	{ "1.2.840.113635.100.6.1.12", "Mac Developer" },
	{ "1.2.840.113635.100.6.1.13", "Developer ID Application" },
	{ "1.2.840.113635.100.6.1.14", "Developer ID Installer" },
	{ "1.2.840.113635.100.6.1.16", "Apple Pay Passbook Signing" },
	{ "1.2.840.113635.100.6.1.17", "Website Push Notification Signing" },
	{ "1.2.840.113635.100.6.1.18", "Developer ID Kernel" },
	{ "1.2.840.113635.100.6.1.25.1", "TestFlight" },
	{ "1.2.840.113635.100.6.1.33", "Developer ID Date" },
	{ "1.2.840.113635.100.6.22", "Apple Software Signing" },
	{ "1.2.840.113635.100.6.22.1", "Apple Software Signing (ProdQA)" },
	{ "1.2.840.113635.100.6.2.1", "Apple Worldwide Developer Relations CA" },
	{ "1.2.840.113635.100.6.2.3", "Apple Application Integration CA" },
	{ "1.2.840.113635.100.6.2.6", "Developer ID CA" },
	{ "1.2.840.113635.100.6.2.9", "Apple Timestamp CA" },
	{ "1.2.840.113635.100.6.2.11", "Developer Authentication CA" },
	{ "1.2.840.113635.100.6.2.14", "Apple Application Integration CA G3" },
	{ "1.2.840.113635.100.6.2.15", "Apple Worldwide Developer Relations CA G2" },
	{ "1.2.840.113635.100.6.2.19", "Apple Software Update CA" },
	{ "1.2.840.113635.100.6.2.31", "Apple Application Integration CA G1" },
	{ "1.2.840.113635.100.4.8", "Safari Developer (EKU)" },
	{ "1.2.840.113635.100.4.9", "3rd Party Mac Developer Installer (EKU)" },
	{ "1.2.840.113635.100.4.13", "Developer ID Installer (EKU)" },
	{ "1.2.840.113635.100.9.1", "CDHashes (plist)" },
	{ "1.2.840.113635.100.9.2", "CDHashes2" },
	{ "1.2.840.113635.100.9.3", "Expiration Time" },
};

#define APPLE_MARKER_PREFIX "1.2.840.113635.100.6."

const char *csig_x509_apple_oid_name(const char *oid)
{
	if (!oid)
		return NULL;
	for (size_t i = 0; i < CSIG_ARRAY_LEN(apple_oids); i++)
		if (strcmp(apple_oids[i].oid, oid) == 0)
			return apple_oids[i].name;
	return NULL;
}

int csig__hash_alg_from_oid(const char *oid)
{
	for (size_t i = 0; oid && i < CSIG_ARRAY_LEN(hash_algs); i++)
		if (strcmp(hash_algs[i].oid, oid) == 0)
			return hash_algs[i].alg;
	return 0;
}

const char *csig__hash_oid(int alg)
{
	if (alg == CSIG_HASH_SHA256_TRUNCATED)
		alg = CSIG_HASH_SHA256;
	for (size_t i = 0; i < CSIG_ARRAY_LEN(hash_algs); i++)
		if (hash_algs[i].alg == alg)
			return hash_algs[i].oid;
	return "";
}

const char *csig__hash_name(int alg)
{
	for (size_t i = 0; i < CSIG_ARRAY_LEN(hash_algs); i++)
		if (hash_algs[i].alg == alg)
			return hash_algs[i].name;
	return "unknown";
}

static int sig_alg_find(const char *oid)
{
	for (size_t i = 0; oid && i < CSIG_ARRAY_LEN(sig_algs); i++)
		if (strcmp(sig_algs[i].oid, oid) == 0)
			return (int)i;
	return -1;
}

int csig__sig_alg_hash(const char *oid)
{
	int k = sig_alg_find(oid);
	return k < 0 || sig_algs[k].hash < 0 ? 0 : sig_algs[k].hash;
}

static const char *attr_sn(const char *oid)
{
	for (size_t i = 0; i < CSIG_ARRAY_LEN(attr_names); i++)
		if (strcmp(attr_names[i].oid, oid) == 0)
			return attr_names[i].sn;
	return NULL;
}

static const char *attr_oid_of(const char *name)
{
	for (size_t i = 0; i < CSIG_ARRAY_LEN(attr_names); i++)
		if (strcmp(attr_names[i].sn, name) == 0 ||
		    strcmp(attr_names[i].oid, name) == 0)
			return attr_names[i].oid;
	/* any dotted OID is accepted as is */
	return (name[0] >= '0' && name[0] <= '2' && name[1] == '.') ? name : NULL;
}

/* ---- parsing ----------------------------------------------------------- */

typedef struct xp {
	csig_cert *c;
	unsigned depth;
	csig_error *err;
} xp;

static int oid_dup(xp *x, const csig_der *e, const char **out)
{
	char buf[DER_OID_TEXT_MAX];
	int rc;
	if (!der_is(e, DER_UNIVERSAL, DER_OID) || e->constructed)
		return CSIG_FAIL(x->err, CSIG_E_BADVALUE, e->off,
				 "expected OBJECT IDENTIFIER at 0x%llx, found class %u tag %u",
				 (unsigned long long)e->off, e->cls, (unsigned)e->tag);
	if ((rc = csig__der_oid_text(e, buf, sizeof(buf))) != 0)
		return rc;
	*out = csig__arena_strndup(&x->c->arena, buf, strlen(buf));
	return *out ? CSIG_OK : CSIG_E_NOMEM;
}

/* AlgorithmIdentifier: OID text; parameters ignored except EC curves. */
static int alg_id(xp *x, csig_rd *r, const char *what, const char **oid,
		  csig_der *params, int *has_params)
{
	csig_der seq, o;
	int rc;
	if ((rc = csig__der_expect(r, x->depth, DER_UNIVERSAL, DER_SEQUENCE, what, &seq)))
		return rc;
	csig_rd s = seq.val;
	if ((rc = csig__der_expect(&s, x->depth, DER_UNIVERSAL, DER_OID, what, &o)))
		return rc;
	if ((rc = oid_dup(x, &o, oid)))
		return rc;
	if (has_params)
		*has_params = 0;
	if (rd_left(&s)) {
		csig_der p;
		if ((rc = csig__der_next(&s, x->depth, &p)))
			return rc;
		if (params)
			*params = p;
		if (has_params)
			*has_params = 1;
	}
	return rd_end(&s);
}

/* Value of an attribute as text: strings converted, others as hex DER. */
static int attr_value(xp *x, const csig_der *v, const char **out)
{
	if (v->cls == DER_UNIVERSAL && !v->constructed &&
	    (v->tag == DER_UTF8STRING || v->tag == DER_PRINTABLESTRING ||
	     v->tag == DER_IA5STRING || v->tag == DER_TELETEXSTRING ||
	     v->tag == DER_BMPSTRING || v->tag == DER_VISIBLESTRING ||
	     v->tag == DER_UNIVERSALSTRING || v->tag == 18))
		return csig__der_string(v, &x->c->arena, out);
	*out = csig__arena_hex(&x->c->arena, v->raw.ptr, v->raw.len);
	return *out ? CSIG_OK : CSIG_E_NOMEM;
}

static int name_parse(xp *x, csig_rd *r, const char *what, x509_name *nm)
{
	csig_der seq;
	int rc;
	size_t count = 0, textlen = 0;
	if ((rc = csig__der_expect(r, x->depth, DER_UNIVERSAL, DER_SEQUENCE, what, &seq)))
		return rc;
	nm->raw = seq.raw;
	for (int pass = 0; pass < 2; pass++) {
		csig_rd s = seq.val;
		size_t k = 0;
		if (pass == 1) {
			nm->a = csig__arena_calloc_n(&x->c->arena, count ? count : 1,
						     sizeof(*nm->a));
			if (!nm->a)
				return CSIG_E_NOMEM;
		}
		while (rd_left(&s)) {
			csig_der set;
			if ((rc = csig__der_expect(&s, x->depth, DER_UNIVERSAL, DER_SET,
						   "RelativeDistinguishedName", &set)))
				return rc;
			csig_rd st = set.val;
			while (rd_left(&st)) {
				csig_der atv, o, v;
				if ((rc = csig__der_expect(&st, x->depth, DER_UNIVERSAL,
							   DER_SEQUENCE, "AttributeTypeAndValue", &atv)))
					return rc;
				if (pass == 0) {
					count++;
					continue;
				}
				csig_rd a = atv.val;
				if ((rc = csig__der_expect(&a, x->depth, DER_UNIVERSAL, DER_OID,
							   "attribute type", &o)) ||
				    (rc = csig__der_next(&a, x->depth, &v)) || (rc = rd_end(&a)))
					return rc;
				x509_attr *at = &nm->a[k++];
				if ((rc = oid_dup(x, &o, &at->oid)) || (rc = attr_value(x, &v, &at->value)))
					return rc;
				at->sn = attr_sn(at->oid);
				if (!at->sn)
					at->sn = at->oid;
				textlen += strlen(at->sn) + strlen(at->value) + 3;
			}
		}
		nm->n = k;
	}
	char *t = csig__arena_alloc(&x->c->arena, textlen + 1);
	if (!t)
		return CSIG_E_NOMEM;
	size_t used = 0;
	for (size_t i = 0; i < nm->n; i++) {
		int w = snprintf(t + used, textlen + 1 - used, "%s%s=%s", i ? ", " : "",
				 nm->a[i].sn, nm->a[i].value);
		if (w < 0 || (size_t)w > textlen - used)
			break;
		used += (size_t)w;
	}
	nm->text = t;
	return CSIG_OK;
}

static unsigned bit_length(csig_bytes b)
{
	size_t i = 0;
	while (i < b.len && b.ptr[i] == 0)
		i++;
	if (i == b.len)
		return 0;
	unsigned bits = (unsigned)((b.len - i - 1) * 8);
	for (uint8_t v = b.ptr[i]; v; v >>= 1)
		bits++;
	return bits;
}

static int spki_parse(xp *x, csig_rd *r)
{
	csig_der seq, params, bits;
	const char *alg;
	int has_params, rc;
	unsigned unused;
	csig_cert *c = x->c;
	if ((rc = csig__der_expect(r, x->depth, DER_UNIVERSAL, DER_SEQUENCE,
				   "SubjectPublicKeyInfo", &seq)))
		return rc;
	csig_rd s = seq.val;
	if ((rc = alg_id(x, &s, "SubjectPublicKeyInfo algorithm", &alg, &params, &has_params)) ||
	    (rc = csig__der_expect(&s, x->depth, DER_UNIVERSAL, DER_BIT_STRING,
				   "subjectPublicKey", &bits)) ||
	    (rc = rd_end(&s)) || (rc = csig__der_bits(&bits, &c->ec_point, &unused)))
		return rc;
	if (strcmp(alg, "1.2.840.113549.1.1.1") == 0) {
		/* RSAPublicKey ::= SEQUENCE { modulus, publicExponent } */
		csig_rd k;
		csig_der ks, n, e;
		csig_bytes key = c->ec_point;
		c->ec_point.ptr = NULL;
		c->ec_point.len = 0;
		rd_init(&k, key.ptr, key.len, bits.off, "RSAPublicKey", x->err);
		if ((rc = csig__der_expect(&k, x->depth, DER_UNIVERSAL, DER_SEQUENCE,
					   "RSAPublicKey", &ks)))
			return rc;
		csig_rd kr = ks.val;
		if ((rc = csig__der_expect(&kr, x->depth, DER_UNIVERSAL, DER_INTEGER,
					   "RSA modulus", &n)) ||
		    (rc = csig__der_expect(&kr, x->depth, DER_UNIVERSAL, DER_INTEGER,
					   "RSA exponent", &e)) ||
		    (rc = rd_end(&kr)) || (rc = csig__der_uint_bytes(&n, &c->rsa_n)) ||
		    (rc = csig__der_uint_bytes(&e, &c->rsa_e)))
			return rc;
		c->key_type = CSIG_KEY_RSA;
		c->key_bits = bit_length(c->rsa_n);
	} else if (strcmp(alg, "1.2.840.10045.2.1") == 0) {
		char curve[DER_OID_TEXT_MAX] = "";
		if (has_params && der_is(&params, DER_UNIVERSAL, DER_OID) &&
		    (rc = csig__der_oid_text(&params, curve, sizeof(curve))))
			return rc;
		if (strcmp(curve, "1.2.840.10045.3.1.7") == 0) {
			c->key_type = CSIG_KEY_EC_P256;
			c->key_bits = 256;
		} else if (strcmp(curve, "1.3.132.0.34") == 0) {
			c->key_type = CSIG_KEY_EC_P384;
			c->key_bits = 384;
		} else {
			c->key_type = CSIG_KEY_EC_OTHER;
		}
	} else {
		c->key_type = CSIG_KEY_UNKNOWN;
	}
	return CSIG_OK;
}

static int oid_list(xp *x, const x509_ext *ext, int policies, const char ***out,
		    size_t *n_out)
{
	csig_rd r;
	csig_der seq;
	int rc;
	size_t count = 0;
	rd_init(&r, ext->value.ptr, ext->value.len, 0, ext->oid, x->err);
	if ((rc = csig__der_expect(&r, x->depth, DER_UNIVERSAL, DER_SEQUENCE,
				   policies ? "certificatePolicies" : "extKeyUsage", &seq)) ||
	    (rc = rd_end(&r)))
		return rc;
	for (int pass = 0; pass < 2; pass++) {
		csig_rd s = seq.val;
		size_t k = 0;
		if (pass == 1) {
			*out = csig__arena_calloc_n(&x->c->arena, count ? count : 1, sizeof(char *));
			if (!*out)
				return CSIG_E_NOMEM;
		}
		while (rd_left(&s)) {
			csig_der o;
			if (policies) {
				csig_der pi;
				if ((rc = csig__der_expect(&s, x->depth, DER_UNIVERSAL, DER_SEQUENCE,
							   "PolicyInformation", &pi)))
					return rc;
				csig_rd p = pi.val;
				if ((rc = csig__der_expect(&p, x->depth, DER_UNIVERSAL, DER_OID,
							   "policyIdentifier", &o)))
					return rc;
			} else if ((rc = csig__der_expect(&s, x->depth, DER_UNIVERSAL, DER_OID,
							  "KeyPurposeId", &o))) {
				return rc;
			}
			if (pass == 1 && (rc = oid_dup(x, &o, &(*out)[k])))
				return rc;
			k++;
			if (pass == 0)
				count++;
		}
		*n_out = k;
	}
	return CSIG_OK;
}

static int ext_interpret(xp *x, const x509_ext *ext)
{
	csig_cert *c = x->c;
	csig_rd r;
	csig_der v;
	int rc;
	rd_init(&r, ext->value.ptr, ext->value.len, 0, ext->oid, x->err);
	if (strcmp(ext->oid, "2.5.29.19") == 0) { /* basicConstraints */
		if ((rc = csig__der_expect(&r, x->depth, DER_UNIVERSAL, DER_SEQUENCE,
					   "basicConstraints", &v)))
			return rc;
		csig_rd s = v.val;
		if (csig__der_peek_is(&s, DER_UNIVERSAL, DER_BOOLEAN)) {
			csig_der b;
			if ((rc = csig__der_next(&s, x->depth, &b)) ||
			    (rc = csig__der_bool(&b, &c->is_ca)))
				return rc;
		}
		return CSIG_OK;
	}
	if (strcmp(ext->oid, "2.5.29.15") == 0) { /* keyUsage */
		csig_bytes bits;
		unsigned unused;
		if ((rc = csig__der_expect(&r, x->depth, DER_UNIVERSAL, DER_BIT_STRING,
					   "keyUsage", &v)) ||
		    (rc = csig__der_bits(&v, &bits, &unused)))
			return rc;
		int ku = 0;
		for (size_t i = 0; i < bits.len && i < 2; i++)
			for (int b = 0; b < 8; b++)
				if (bits.ptr[i] & (0x80 >> b))
					ku |= 1 << (i * 8 + (size_t)b);
		c->key_usage = ku;
		return CSIG_OK;
	}
	if (strcmp(ext->oid, "2.5.29.37") == 0)
		return oid_list(x, ext, 0, &c->eku, &c->n_eku);
	if (strcmp(ext->oid, "2.5.29.32") == 0)
		return oid_list(x, ext, 1, &c->pol, &c->n_pol);
	if (strcmp(ext->oid, "2.5.29.14") == 0) { /* subjectKeyIdentifier */
		if ((rc = csig__der_expect(&r, x->depth, DER_UNIVERSAL, DER_OCTET_STRING,
					   "subjectKeyIdentifier", &v)))
			return rc;
		c->skid = rd_view(&v.val);
		return CSIG_OK;
	}
	if (strcmp(ext->oid, "2.5.29.35") == 0) { /* authorityKeyIdentifier */
		if ((rc = csig__der_expect(&r, x->depth, DER_UNIVERSAL, DER_SEQUENCE,
					   "authorityKeyIdentifier", &v)))
			return rc;
		csig_rd s = v.val;
		if (csig__der_peek_is(&s, DER_CONTEXT, 0)) {
			csig_der k;
			if ((rc = csig__der_next(&s, x->depth, &k)))
				return rc;
			c->akid = rd_view(&k.val);
		}
		return CSIG_OK;
	}
	return CSIG_OK;
}

static int exts_parse(xp *x, const csig_der *wrap)
{
	csig_cert *c = x->c;
	csig_der seq;
	int rc;
	size_t count = 0;
	csig_rd w = wrap->val;
	if ((rc = csig__der_expect(&w, x->depth, DER_UNIVERSAL, DER_SEQUENCE,
				   "Extensions", &seq)) || (rc = rd_end(&w)))
		return rc;
	for (int pass = 0; pass < 2; pass++) {
		csig_rd s = seq.val;
		size_t k = 0, m = 0;
		if (pass == 1) {
			c->ext = csig__arena_calloc_n(&c->arena, count ? count : 1, sizeof(*c->ext));
			c->markers = csig__arena_calloc_n(&c->arena, count ? count : 1,
							  sizeof(*c->markers));
			if (!c->ext || !c->markers)
				return CSIG_E_NOMEM;
		}
		while (rd_left(&s)) {
			csig_der ex, o, v;
			if ((rc = csig__der_expect(&s, x->depth, DER_UNIVERSAL, DER_SEQUENCE,
						   "Extension", &ex)))
				return rc;
			if (pass == 0) {
				count++;
				continue;
			}
			csig_rd e = ex.val;
			x509_ext *xe = &c->ext[k];
			if ((rc = csig__der_expect(&e, x->depth, DER_UNIVERSAL, DER_OID,
						   "extnID", &o)) || (rc = oid_dup(x, &o, &xe->oid)))
				return rc;
			if (csig__der_peek_is(&e, DER_UNIVERSAL, DER_BOOLEAN)) {
				csig_der b;
				if ((rc = csig__der_next(&e, x->depth, &b)) ||
				    (rc = csig__der_bool(&b, &xe->critical)))
					return rc;
			}
			if ((rc = csig__der_expect(&e, x->depth, DER_UNIVERSAL, DER_OCTET_STRING,
						   "extnValue", &v)) || (rc = rd_end(&e)))
				return rc;
			if (v.constructed)
				return CSIG_FAIL(x->err, CSIG_E_BADVALUE, v.off,
						 "extnValue at 0x%llx is constructed",
						 (unsigned long long)v.off);
			xe->value = rd_view(&v.val);
			for (size_t j = 0; j < k; j++)
				if (strcmp(c->ext[j].oid, xe->oid) == 0)
					return CSIG_FAIL(x->err, CSIG_E_BADVALUE, ex.off,
							 "extension %s at 0x%llx appears twice",
							 xe->oid, (unsigned long long)ex.off);
			if (strncmp(xe->oid, APPLE_MARKER_PREFIX, strlen(APPLE_MARKER_PREFIX)) == 0)
				c->markers[m++] = k;
			k++;
			if ((rc = ext_interpret(x, xe)))
				return rc;
		}
		c->n_ext = k;
		c->n_markers = m;
	}
	return CSIG_OK;
}

static int cert_parse(xp *x, csig_rd *r)
{
	csig_cert *c = x->c;
	csig_der cert, tbs, ver, serial, sig, val, t1, t2;
	int rc;
	unsigned unused;

	if ((rc = csig__der_expect(r, x->depth, DER_UNIVERSAL, DER_SEQUENCE,
				   "Certificate", &cert)) || (rc = rd_end(r)))
		return rc;
	c->der = cert.raw;
	csig_rd cr = cert.val;
	if ((rc = csig__der_expect(&cr, x->depth, DER_UNIVERSAL, DER_SEQUENCE,
				   "TBSCertificate", &tbs)))
		return rc;
	c->tbs = tbs.raw;
	if ((rc = alg_id(x, &cr, "signatureAlgorithm", &c->sig_alg_oid, NULL, NULL)) ||
	    (rc = csig__der_expect(&cr, x->depth, DER_UNIVERSAL, DER_BIT_STRING,
				   "signatureValue", &sig)) ||
	    (rc = rd_end(&cr)) || (rc = csig__der_bits(&sig, &c->sig, &unused)))
		return rc;

	csig_rd t = tbs.val;
	c->version = 1;
	if (csig__der_peek_is(&t, DER_CONTEXT, 0)) {
		csig_der vi;
		int64_t v;
		if ((rc = csig__der_next(&t, x->depth, &ver)))
			return rc;
		csig_rd vr = ver.val;
		if ((rc = csig__der_expect(&vr, x->depth, DER_UNIVERSAL, DER_INTEGER,
					   "version", &vi)) || (rc = csig__der_int64(&vi, &v)))
			return rc;
		if (v < 0 || v > 2)
			return CSIG_FAIL(x->err, CSIG_E_BADVALUE, vi.off,
					 "certificate version %lld at 0x%llx is not 0..2",
					 (long long)v, (unsigned long long)vi.off);
		c->version = (int)v + 1;
	}
	if ((rc = csig__der_expect(&t, x->depth, DER_UNIVERSAL, DER_INTEGER,
				   "serialNumber", &serial)) ||
	    (rc = csig__der_uint_bytes(&serial, &c->serial)))
		return rc;
	c->serial_hex = csig__arena_hex(&c->arena, c->serial.ptr, c->serial.len);
	if (!c->serial_hex)
		return CSIG_E_NOMEM;
	if ((rc = alg_id(x, &t, "TBSCertificate signature", &c->tbs_sig_alg_oid, NULL, NULL)) ||
	    (rc = name_parse(x, &t, "issuer", &c->issuer)))
		return rc;
	if ((rc = csig__der_expect(&t, x->depth, DER_UNIVERSAL, DER_SEQUENCE,
				   "validity", &val)))
		return rc;
	csig_rd vr = val.val;
	if ((rc = csig__der_next(&vr, x->depth, &t1)) || (rc = csig__der_time(&t1, &c->not_before)) ||
	    (rc = csig__der_next(&vr, x->depth, &t2)) || (rc = csig__der_time(&t2, &c->not_after)) ||
	    (rc = rd_end(&vr)))
		return rc;
	if ((rc = name_parse(x, &t, "subject", &c->subject)) || (rc = spki_parse(x, &t)))
		return rc;
	c->key_usage = -1;
	while (rd_left(&t)) {
		csig_der opt;
		if ((rc = csig__der_next(&t, x->depth, &opt)))
			return rc;
		if (opt.cls != DER_CONTEXT || opt.tag < 1 || opt.tag > 3)
			return CSIG_FAIL(x->err, CSIG_E_BADVALUE, opt.off,
					 "TBSCertificate: unexpected class %u tag %u at 0x%llx",
					 opt.cls, (unsigned)opt.tag, (unsigned long long)opt.off);
		if (opt.tag == 3 && (rc = exts_parse(x, &opt)))
			return rc;
	}
	csig__hash(CSIG_HASH_SHA1, c->der.ptr, c->der.len, c->sha1);
	csig__hash(CSIG_HASH_SHA256, c->der.ptr, c->der.len, c->sha256);
	return CSIG_OK;
}

int csig__cert_parse_rd(csig_cert **out, csig_rd *r, unsigned depth, csig_error *err)
{
	csig_cert *c = csig__calloc_n(1, sizeof(*c));
	int rc;
	*out = NULL;
	if (!c)
		return CSIG_FAIL(err, CSIG_E_NOMEM, rd_abs(r), "certificate: out of memory");
	csig__arena_init(&c->arena, 0);
	xp x = { c, depth, err };
	r->err = err;
	rc = cert_parse(&x, r);
	if (rc == CSIG_E_NOMEM)
		CSIG_FAIL(err, rc, rd_abs(r), "certificate: out of memory");
	if (rc) {
		csig_cert_free(c);
		return rc;
	}
	*out = c;
	return CSIG_OK;
}

int csig_cert_parse(csig_cert **out, const void *der, size_t len,
		    const csig_open_options *opts, csig_error *err)
{
	csig_rd r;
	unsigned depth = CSIG_LIMIT_DEPTH_DEFAULT;
	int rc;
	csig__error_clear(err);
	if (!out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "csig_cert_parse: out is NULL");
	*out = NULL;
	if (!der)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "csig_cert_parse: der is NULL");
	if (opts && opts->max_depth && opts->max_depth < depth)
		depth = opts->max_depth;
	uint8_t *copy = NULL;
	if (opts && (opts->flags & CSIG_OPEN_COPY)) {
		copy = csig__malloc(len ? len : 1);
		if (!copy)
			return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "certificate: out of memory");
		if (len)
			memcpy(copy, der, len);
		der = copy;
	}
	rd_init(&r, der, len, 0, "certificate", err);
	rc = csig__cert_parse_rd(out, &r, depth, err);
	if (rc)
		csig__free(copy);
	else
		(*out)->own = copy;
	return rc;
}

void csig_cert_free(csig_cert *c)
{
	if (!c)
		return;
	csig__arena_free(&c->arena);
	csig__free(c->own);
	csig__free(c);
}

/* ---- getters ----------------------------------------------------------- */

static const csig_bytes no_bytes = { NULL, 0 };

csig_bytes csig_cert_der(const csig_cert *c) { return c ? c->der : no_bytes; }
csig_bytes csig_cert_tbs(const csig_cert *c) { return c ? c->tbs : no_bytes; }
csig_bytes csig_cert_signature(const csig_cert *c) { return c ? c->sig : no_bytes; }
csig_bytes csig_cert_serial(const csig_cert *c) { return c ? c->serial : no_bytes; }
int csig_cert_version(const csig_cert *c) { return c ? c->version : 0; }
int64_t csig_cert_not_before(const csig_cert *c) { return c ? c->not_before : 0; }
int64_t csig_cert_not_after(const csig_cert *c) { return c ? c->not_after : 0; }
const uint8_t *csig_cert_sha1(const csig_cert *c) { return c ? c->sha1 : NULL; }
const uint8_t *csig_cert_sha256(const csig_cert *c) { return c ? c->sha256 : NULL; }
int csig_cert_is_ca(const csig_cert *c) { return c ? c->is_ca : 0; }
int csig_cert_key_usage(const csig_cert *c) { return c ? c->key_usage : -1; }
csig_key_type csig_cert_key_type(const csig_cert *c) { return c ? c->key_type : CSIG_KEY_UNKNOWN; }
unsigned csig_cert_key_bits(const csig_cert *c) { return c ? c->key_bits : 0; }
const char *csig_cert_sig_alg_oid(const csig_cert *c) { return c ? c->sig_alg_oid : NULL; }
const char *csig_cert_subject_text(const csig_cert *c) { return c ? c->subject.text : NULL; }
const char *csig_cert_issuer_text(const csig_cert *c) { return c ? c->issuer.text : NULL; }
size_t csig_cert_subject_attr_count(const csig_cert *c) { return c ? c->subject.n : 0; }
size_t csig_cert_extension_count(const csig_cert *c) { return c ? c->n_ext : 0; }
size_t csig_cert_eku_count(const csig_cert *c) { return c ? c->n_eku : 0; }
size_t csig_cert_policy_count(const csig_cert *c) { return c ? c->n_pol : 0; }
size_t csig_cert_apple_marker_count(const csig_cert *c) { return c ? c->n_markers : 0; }

const char *csig_cert_serial_hex(const csig_cert *c)
{
	if (!c)
		return NULL;
	/* csig__der_uint_bytes keeps one octet; drop a leading zero nibble */
	return (c->serial_hex[0] == '0' && c->serial_hex[1]) ? c->serial_hex + 1 : c->serial_hex;
}

const char *csig_cert_sig_alg_name(const csig_cert *c)
{
	if (!c)
		return NULL;
	int k = sig_alg_find(c->sig_alg_oid);
	return k < 0 ? c->sig_alg_oid : sig_algs[k].name;
}

static const char *name_get(const x509_name *n, const char *name)
{
	const char *oid = name ? attr_oid_of(name) : NULL;
	if (!oid)
		return NULL;
	for (size_t i = 0; i < n->n; i++)
		if (strcmp(n->a[i].oid, oid) == 0)
			return n->a[i].value;
	return NULL;
}

const char *csig_cert_subject_attr(const csig_cert *c, const char *name)
{
	return c ? name_get(&c->subject, name) : NULL;
}

const char *csig_cert_issuer_attr(const csig_cert *c, const char *name)
{
	return c ? name_get(&c->issuer, name) : NULL;
}

const char *csig_cert_subject_cn(const csig_cert *c) { return csig_cert_subject_attr(c, "CN"); }
const char *csig_cert_issuer_cn(const csig_cert *c) { return csig_cert_issuer_attr(c, "CN"); }
const char *csig_cert_team_id(const csig_cert *c) { return csig_cert_subject_attr(c, "OU"); }

int csig_cert_subject_attr_at(const csig_cert *c, size_t i, const char **oid,
			      const char **short_name, const char **value)
{
	if (!c || i >= c->subject.n)
		return CSIG_E_NOTFOUND;
	if (oid)
		*oid = c->subject.a[i].oid;
	if (short_name)
		*short_name = c->subject.a[i].sn;
	if (value)
		*value = c->subject.a[i].value;
	return CSIG_OK;
}

int csig_cert_is_self_issued(const csig_cert *c)
{
	return c && csig__cert_issued_by(c, c);
}

int csig__cert_issued_by(const csig_cert *a, const csig_cert *b)
{
	return a->issuer.raw.len == b->subject.raw.len &&
	       memcmp(a->issuer.raw.ptr, b->subject.raw.ptr, a->issuer.raw.len) == 0;
}

int csig_cert_extension_at(const csig_cert *c, size_t i, const char **oid,
			   int *critical, csig_bytes *value)
{
	if (!c || i >= c->n_ext)
		return CSIG_E_NOTFOUND;
	if (oid)
		*oid = c->ext[i].oid;
	if (critical)
		*critical = c->ext[i].critical;
	if (value)
		*value = c->ext[i].value;
	return CSIG_OK;
}

int csig_cert_extension(const csig_cert *c, const char *oid, int *critical,
			csig_bytes *value)
{
	for (size_t i = 0; c && oid && i < c->n_ext; i++)
		if (strcmp(c->ext[i].oid, oid) == 0)
			return csig_cert_extension_at(c, i, NULL, critical, value);
	return CSIG_E_NOTFOUND;
}

int csig_cert_has_extension(const csig_cert *c, const char *oid)
{
	return csig_cert_extension(c, oid, NULL, NULL) == CSIG_OK;
}

const char *csig_cert_eku(const csig_cert *c, size_t i)
{
	return c && i < c->n_eku ? c->eku[i] : NULL;
}

const char *csig_cert_policy(const csig_cert *c, size_t i)
{
	return c && i < c->n_pol ? c->pol[i] : NULL;
}

const char *csig_cert_apple_marker(const csig_cert *c, size_t i, const char **name)
{
	if (!c || i >= c->n_markers)
		return NULL;
	const char *oid = c->ext[c->markers[i]].oid;
	if (name) {
		const char *n = csig_x509_apple_oid_name(oid);
		*name = n ? n : "Apple extension";
	}
	return oid;
}

/* ---- PEM ---------------------------------------------------------------- */

int csig_cert_pem(const csig_cert *c, char **out, csig_error *err)
{
	static const char b64[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	static const char head[] = "-----BEGIN CERTIFICATE-----\n";
	static const char tail[] = "-----END CERTIFICATE-----\n";
	csig__error_clear(err);
	if (!c || !out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "csig_cert_pem: NULL argument");
	*out = NULL;
	size_t n = c->der.len;
	size_t chars = (n + 2) / 3 * 4;
	size_t total = sizeof(head) - 1 + chars + chars / 64 + 1 + sizeof(tail) - 1 + 1;
	char *s = csig__malloc(total);
	if (!s)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "PEM: out of memory");
	size_t k = 0, col = 0;
	memcpy(s, head, sizeof(head) - 1);
	k = sizeof(head) - 1;
	const uint8_t *p = c->der.ptr;
	for (size_t i = 0; i < n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16;
		if (i + 1 < n)
			v |= (uint32_t)p[i + 1] << 8;
		if (i + 2 < n)
			v |= p[i + 2];
		s[k++] = b64[(v >> 18) & 63];
		s[k++] = b64[(v >> 12) & 63];
		s[k++] = i + 1 < n ? b64[(v >> 6) & 63] : '=';
		s[k++] = i + 2 < n ? b64[v & 63] : '=';
		col += 4;
		if (col == 64) {
			s[k++] = '\n';
			col = 0;
		}
	}
	if (col)
		s[k++] = '\n';
	memcpy(s + k, tail, sizeof(tail) - 1);
	k += sizeof(tail) - 1;
	s[k] = '\0';
	*out = s;
	return CSIG_OK;
}

/* ---- signatures -------------------------------------------------------- */

int csig__verify_digest(const csig_cert *key, const char *sig_alg_oid, int hash_alg,
			const uint8_t *digest, size_t dlen, csig_bytes sig)
{
	int k = sig_alg_find(sig_alg_oid);
	if (!key || k < 0 || sig_algs[k].hash < 0)
		return CSIG_E_UNSUPPORTED;
	if (sig_algs[k].hash && sig_algs[k].hash != hash_alg)
		return CSIG_E_BADVALUE;
	if (sig_algs[k].kind == 1) {
		if (key->key_type != CSIG_KEY_RSA)
			return CSIG_E_UNSUPPORTED;
		return csig__rsa_pkcs1_verify(key->rsa_n.ptr, key->rsa_n.len,
					      key->rsa_e.ptr, key->rsa_e.len, hash_alg,
					      digest, dlen, sig.ptr, sig.len);
	}
	int curve = key->key_type == CSIG_KEY_EC_P256 ? CSIG_CURVE_P256 :
		    key->key_type == CSIG_KEY_EC_P384 ? CSIG_CURVE_P384 : 0;
	if (!curve)
		return CSIG_E_UNSUPPORTED;
	/* Ecdsa-Sig-Value ::= SEQUENCE { r INTEGER, s INTEGER } */
	csig_rd r;
	csig_der seq, ri, si;
	csig_bytes rb, sb;
	rd_init(&r, sig.ptr, sig.len, 0, "ECDSA signature", NULL);
	if (csig__der_expect(&r, 2, DER_UNIVERSAL, DER_SEQUENCE, "Ecdsa-Sig-Value", &seq) ||
	    rd_end(&r))
		return CSIG_E_BADVALUE;
	csig_rd s = seq.val;
	if (csig__der_expect(&s, 1, DER_UNIVERSAL, DER_INTEGER, "r", &ri) ||
	    csig__der_expect(&s, 1, DER_UNIVERSAL, DER_INTEGER, "s", &si) || rd_end(&s) ||
	    csig__der_uint_bytes(&ri, &rb) || csig__der_uint_bytes(&si, &sb))
		return CSIG_E_BADVALUE;
	return csig__ecdsa_verify(curve, key->ec_point.ptr, key->ec_point.len, digest, dlen,
				  rb.ptr, rb.len, sb.ptr, sb.len);
}

int csig_cert_verify_signature(const csig_cert *cert, const csig_cert *issuer)
{
	uint8_t d[CSIG_HASH_MAX];
	if (!cert || !issuer)
		return CSIG_E_INVAL;
	int h = csig__sig_alg_hash(cert->sig_alg_oid);
	if (!h)
		return CSIG_E_UNSUPPORTED;
	/* the outer and TBS algorithm identifiers must agree (RFC 5280 4.1.1.2) */
	if (strcmp(cert->sig_alg_oid, cert->tbs_sig_alg_oid) != 0)
		return 0;
	size_t n = csig__hash(h, cert->tbs.ptr, cert->tbs.len, d);
	if (!n)
		return CSIG_E_UNSUPPORTED;
	return csig__verify_digest(issuer, cert->sig_alg_oid, h, d, n, cert->sig);
}

/* ---- JSON --------------------------------------------------------------- */

static void name_json(csig_json *j, const x509_name *n)
{
	json_obj_begin(j);
	json_kv_str(j, "text", n->text);
	json_key(j, "attributes");
	json_arr_begin(j);
	for (size_t i = 0; i < n->n; i++) {
		json_obj_begin(j);
		json_kv_str(j, "oid", n->a[i].oid);
		json_kv_str(j, "name", n->a[i].sn);
		json_kv_str(j, "value", n->a[i].value);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

void csig__cert_json(csig_json *j, const csig_cert *c)
{
	static const char key_names[][8] = { "unknown", "rsa", "ec-p256", "ec-p384", "ec" };
	const char *cn = csig_cert_subject_cn(c);
	json_obj_begin(j);
	if (cn)
		json_kv_str(j, "common_name", cn);
	else {
		json_key(j, "common_name");
		json_null(j);
	}
	json_key(j, "subject");
	name_json(j, &c->subject);
	json_key(j, "issuer");
	name_json(j, &c->issuer);
	json_kv_u64(j, "version", (uint64_t)c->version);
	json_kv_str(j, "serial", csig_cert_serial_hex(c));
	json_kv_time(j, "not_before", c->not_before);
	json_kv_time(j, "not_after", c->not_after);
	json_kv_hex(j, "sha1", c->sha1, sizeof(c->sha1));
	json_kv_hex(j, "sha256", c->sha256, sizeof(c->sha256));
	json_kv_str(j, "signature_algorithm", csig_cert_sig_alg_name(c));
	json_kv_str(j, "key_type", key_names[c->key_type <= CSIG_KEY_EC_OTHER ? c->key_type : 0]);
	json_kv_u64(j, "key_bits", c->key_bits);
	json_kv_bool(j, "is_ca", c->is_ca);
	json_kv_bool(j, "self_issued", csig_cert_is_self_issued(c));
	if (c->key_usage >= 0)
		json_kv_u64(j, "key_usage", (uint64_t)c->key_usage);
	json_key(j, "extended_key_usage");
	json_arr_begin(j);
	for (size_t i = 0; i < c->n_eku; i++)
		json_str(j, c->eku[i]);
	json_arr_end(j);
	json_key(j, "policies");
	json_arr_begin(j);
	for (size_t i = 0; i < c->n_pol; i++)
		json_str(j, c->pol[i]);
	json_arr_end(j);
	json_key(j, "apple_markers");
	json_arr_begin(j);
	for (size_t i = 0; i < c->n_markers; i++) {
		const char *name;
		const char *oid = csig_cert_apple_marker(c, i, &name);
		json_obj_begin(j);
		json_kv_str(j, "oid", oid);
		json_kv_str(j, "name", name);
		json_kv_bool(j, "critical", c->ext[c->markers[i]].critical);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_key(j, "extensions");
	json_arr_begin(j);
	for (size_t i = 0; i < c->n_ext; i++) {
		json_obj_begin(j);
		json_kv_str(j, "oid", c->ext[i].oid);
		json_kv_bool(j, "critical", c->ext[i].critical);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}
