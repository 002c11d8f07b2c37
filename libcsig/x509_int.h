/*
 * x509_int.h - internals shared by x509.c, cms.c and apple_roots.c.
 */
#ifndef CSIG_X509_INT_H
#define CSIG_X509_INT_H

#include "csig/x509.h"
#include "der.h"
#include "json.h"

typedef struct x509_attr {
	const char *oid;
	const char *sn;     /* short name, or the OID */
	const char *value;  /* UTF-8, or hex of the DER value when not a string */
} x509_attr;

typedef struct x509_name {
	x509_attr *a;
	size_t n;
	csig_bytes raw;     /* DER of the Name (for chain building) */
	const char *text;   /* "CN=..., O=..." */
} x509_name;

typedef struct x509_ext {
	const char *oid;
	int critical;
	csig_bytes value;   /* extnValue contents */
} x509_ext;

struct csig_cert {
	csig_arena arena;
	uint8_t *own;        /* CSIG_OPEN_COPY buffer, or NULL */
	csig_bytes der, tbs, sig, serial;
	const char *serial_hex;
	int version;
	const char *sig_alg_oid;
	const char *tbs_sig_alg_oid;
	x509_name issuer, subject;
	int64_t not_before, not_after;
	csig_key_type key_type;
	unsigned key_bits;
	csig_bytes rsa_n, rsa_e, ec_point;
	x509_ext *ext;
	size_t n_ext;
	int is_ca;
	int key_usage;       /* -1 absent */
	const char **eku;
	size_t n_eku;
	const char **pol;
	size_t n_pol;
	size_t *markers;     /* indexes into ext */
	size_t n_markers;
	csig_bytes skid, akid;
	uint8_t sha1[20];
	uint8_t sha256[32];
};

/*
 * Parse a certificate from the window r (exactly one element).  The handle
 * views r's memory.  Used by cms.c for the certificates inside a SignedData.
 */
int csig__cert_parse_rd(csig_cert **out, csig_rd *r, unsigned depth, csig_error *err);

/* CSIG_HASH_* for a digest-algorithm OID, 0 when unknown. */
int csig__hash_alg_from_oid(const char *oid);
/* Digest-algorithm OID for a CSIG_HASH_* value ("" when unknown). */
const char *csig__hash_oid(int alg);
/* Name of a CSIG_HASH_* value ("sha256"). */
const char *csig__hash_name(int alg);

/*
 * Verify signature sig over an already computed digest (hash_alg) with the
 * public key of key_cert, under signature algorithm sig_alg_oid (which may be
 * a plain rsaEncryption / ecPublicKey OID, or one naming the hash: then it
 * must agree with hash_alg).  1 / 0 / negative CSIG_E_* as pk.h.
 */
int csig__verify_digest(const csig_cert *key_cert, const char *sig_alg_oid,
			int hash_alg, const uint8_t *digest, size_t dlen,
			csig_bytes sig);
/* The hash a signature algorithm OID names (0 for plain key OIDs or unknown). */
int csig__sig_alg_hash(const char *sig_alg_oid);

/* Issuer name of a equals subject name of b (byte-exact DER). */
int csig__cert_issued_by(const csig_cert *a, const csig_cert *b);

/* JSON object describing c. */
void csig__cert_json(csig_json *j, const csig_cert *c);

/* Apple roots (apple_roots.c). */
/* 1 if sha256 is one of the pinned Apple root fingerprints, else 0. */
int csig__apple_root_sha256(const uint8_t sha256[32]);
/* Name of the pinned Apple root with this fingerprint, or NULL. */
const char *csig__apple_root_name(const uint8_t sha256[32]);
/* Embedded Apple root i (0, 1, ...) as DER; CSIG_E_NOTFOUND past the last. */
int csig__apple_root_der(size_t i, csig_bytes *out);

#endif
