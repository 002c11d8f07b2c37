/*
 * csig/x509.h - X.509 v3 certificates.
 *
 * Model.  csig_cert_parse reads one DER certificate (RFC 5280) into an
 * opaque, immutable csig_cert: serial, issuer and subject with every
 * attribute, validity, the subject public key (RSA n/e or EC P-256/P-384
 * point), the signature algorithm and value, the raw TBSCertificate bytes,
 * and the extensions (basic constraints, key usage, extended key usage,
 * certificate policies, subject/authority key identifiers, critical flags
 * and Apple's 1.2.840.113635.100.6.x markers, each named).  SHA-1 and
 * SHA-256 fingerprints of the DER bytes are computed once at parse time.
 *
 * Nothing is checked against a trust store here; csig_cert_verify_signature
 * checks one link (cert signed by issuer's key).  Chains, roots and expiry
 * are csig/cms.h's job.
 *
 * Ownership.  A csig_cert views the caller's buffer unless CSIG_OPEN_COPY is
 * given; the buffer must then outlive the handle.  Strings and csig_bytes
 * returned by getters are borrowed from the handle and live until
 * csig_cert_free.  Certificates obtained from a csig_cms belong to it.
 *
 * Threading.  A csig_cert never changes after parsing: any number of threads
 * may call getters on one handle at once.
 *
 * Input is untrusted: every length is checked, every text field is returned
 * as NUL-free UTF-8 (BMP and Teletex strings converted).
 */
#ifndef CSIG_X509_H
#define CSIG_X509_H

#include "csig/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct csig_cert csig_cert;

/* Public key kinds (csig_cert_key_type). */
typedef enum {
	CSIG_KEY_UNKNOWN = 0,
	CSIG_KEY_RSA = 1,
	CSIG_KEY_EC_P256 = 2,
	CSIG_KEY_EC_P384 = 3,
	CSIG_KEY_EC_OTHER = 4
} csig_key_type;

/**
 * Parse one DER certificate.
 * @param out  receives the handle (caller frees with csig_cert_free); set to
 *             NULL on failure.
 * @param der  certificate bytes (viewed, unless CSIG_OPEN_COPY).
 * @param len  their length; bytes after the certificate are CSIG_E_TRAILING.
 * @param opts NULL for defaults; max_depth bounds BER nesting.
 * @param err  nullable detail.
 * @return CSIG_OK; CSIG_E_INVAL (NULL out/der); CSIG_E_TRUNCATED;
 *         CSIG_E_TRAILING; CSIG_E_BADVALUE (wrong tag, malformed field);
 *         CSIG_E_UNSUPPORTED (constructed strings); CSIG_E_LIMIT;
 *         CSIG_E_DEPTH; CSIG_E_NOMEM.
 */
CSIG_API int csig_cert_parse(csig_cert **out, const void *der, size_t len,
			     const csig_open_options *opts, csig_error *err);

/** Release a certificate (NULL ok).  Never call on certs owned by a csig_cms. */
CSIG_API void csig_cert_free(csig_cert *cert);

/** The certificate's DER bytes (borrowed). */
CSIG_API csig_bytes csig_cert_der(const csig_cert *cert);
/** The raw TBSCertificate bytes that the issuer signed (borrowed). */
CSIG_API csig_bytes csig_cert_tbs(const csig_cert *cert);
/** The signature value bytes (BIT STRING contents, borrowed). */
CSIG_API csig_bytes csig_cert_signature(const csig_cert *cert);
/** X.509 version (1, 2 or 3). */
CSIG_API int csig_cert_version(const csig_cert *cert);

/** Serial number as lowercase hex without leading zeros ("0" for zero). */
CSIG_API const char *csig_cert_serial_hex(const csig_cert *cert);
/** Serial number magnitude bytes (borrowed). */
CSIG_API csig_bytes csig_cert_serial(const csig_cert *cert);

/** Subject commonName (2.5.4.3), or NULL when absent. */
CSIG_API const char *csig_cert_subject_cn(const csig_cert *cert);
/** Issuer commonName, or NULL when absent. */
CSIG_API const char *csig_cert_issuer_cn(const csig_cert *cert);
/** Team identifier: the first subject organizationalUnitName, or NULL. */
CSIG_API const char *csig_cert_team_id(const csig_cert *cert);
/**
 * First value of a subject attribute, by dotted OID ("2.5.4.10") or short
 * name ("CN", "OU", "O", "C", "L", "ST", "UID", "emailAddress", "serialNumber",
 * "street", "DC", "SN", "GN", "title"); NULL when absent or unknown.
 */
CSIG_API const char *csig_cert_subject_attr(const csig_cert *cert, const char *name);
/** Same for the issuer. */
CSIG_API const char *csig_cert_issuer_attr(const csig_cert *cert, const char *name);
/** One-line subject, OpenSSL style: "CN=..., OU=..., O=..., C=..." (in encoded order). */
CSIG_API const char *csig_cert_subject_text(const csig_cert *cert);
/** One-line issuer. */
CSIG_API const char *csig_cert_issuer_text(const csig_cert *cert);
/** Number of subject attributes (all RDNs flattened, in encoded order). */
CSIG_API size_t csig_cert_subject_attr_count(const csig_cert *cert);
/**
 * Subject attribute @i: dotted OID, short name (or the OID when unnamed) and
 * UTF-8 value, all borrowed.  Any output may be NULL.
 * @return CSIG_OK or CSIG_E_NOTFOUND (i out of range).
 */
CSIG_API int csig_cert_subject_attr_at(const csig_cert *cert, size_t i,
				       const char **oid, const char **short_name,
				       const char **value);

/** notBefore in Unix seconds (UTC). */
CSIG_API int64_t csig_cert_not_before(const csig_cert *cert);
/** notAfter in Unix seconds (UTC). */
CSIG_API int64_t csig_cert_not_after(const csig_cert *cert);

/** SHA-1 fingerprint of the DER bytes: 20 bytes, borrowed. */
CSIG_API const uint8_t *csig_cert_sha1(const csig_cert *cert);
/** SHA-256 fingerprint of the DER bytes: 32 bytes, borrowed. */
CSIG_API const uint8_t *csig_cert_sha256(const csig_cert *cert);

/** 1 if basicConstraints says cA TRUE, else 0. */
CSIG_API int csig_cert_is_ca(const csig_cert *cert);
/** 1 if issuer and subject names are byte-identical, else 0. */
CSIG_API int csig_cert_is_self_issued(const csig_cert *cert);
/** keyUsage bits as a number (bit 0 = digitalSignature ... bit 8 = decipherOnly), or -1 when absent. */
CSIG_API int csig_cert_key_usage(const csig_cert *cert);

/** Public key type. */
CSIG_API csig_key_type csig_cert_key_type(const csig_cert *cert);
/** Public key size in bits (RSA modulus bits, EC field bits), 0 if unknown. */
CSIG_API unsigned csig_cert_key_bits(const csig_cert *cert);
/** Signature algorithm as dotted OID (borrowed). */
CSIG_API const char *csig_cert_sig_alg_oid(const csig_cert *cert);
/** Signature algorithm name ("sha256WithRSAEncryption", "ecdsa-with-SHA384", ...) or the OID. */
CSIG_API const char *csig_cert_sig_alg_name(const csig_cert *cert);

/** 1 if an extension with dotted OID @oid is present, else 0. */
CSIG_API int csig_cert_has_extension(const csig_cert *cert, const char *oid);
/**
 * Extension by dotted OID: criticality and extnValue contents (borrowed).
 * Either output may be NULL.
 * @return CSIG_OK or CSIG_E_NOTFOUND.
 */
CSIG_API int csig_cert_extension(const csig_cert *cert, const char *oid,
				 int *critical, csig_bytes *value);
/** Number of extensions. */
CSIG_API size_t csig_cert_extension_count(const csig_cert *cert);
/** Extension @i: dotted OID, criticality, value.  CSIG_OK or CSIG_E_NOTFOUND. */
CSIG_API int csig_cert_extension_at(const csig_cert *cert, size_t i, const char **oid,
				    int *critical, csig_bytes *value);

/** Number of extended key usage OIDs. */
CSIG_API size_t csig_cert_eku_count(const csig_cert *cert);
/** Extended key usage OID @i (dotted, borrowed), NULL when out of range. */
CSIG_API const char *csig_cert_eku(const csig_cert *cert, size_t i);
/** Number of certificate policy OIDs. */
CSIG_API size_t csig_cert_policy_count(const csig_cert *cert);
/** Certificate policy OID @i, NULL when out of range. */
CSIG_API const char *csig_cert_policy(const csig_cert *cert, size_t i);

/**
 * Apple markers: extensions whose OID lies under 1.2.840.113635.100.6, in
 * encoded order.
 */
CSIG_API size_t csig_cert_apple_marker_count(const csig_cert *cert);
/**
 * Apple marker @i: returns its dotted OID (NULL when out of range) and
 * stores its name ("Developer ID Application", ...; "Apple extension" when
 * unknown) in *name when name is non-NULL.
 */
CSIG_API const char *csig_cert_apple_marker(const csig_cert *cert, size_t i,
					    const char **name);
/**
 * The name Apple gives an OID under 1.2.840.113635.100 (markers, EKUs,
 * CMS attributes), or NULL when unknown.  Static storage.
 */
CSIG_API const char *csig_x509_apple_oid_name(const char *oid);

/**
 * PEM text ("-----BEGIN CERTIFICATE-----", base64 in 64-column lines).
 * @param out receives a NUL-terminated string the caller frees with csig_free.
 * @return CSIG_OK, CSIG_E_INVAL, CSIG_E_NOMEM.
 */
CSIG_API int csig_cert_pem(const csig_cert *cert, char **out, csig_error *err);

/**
 * Verify that @cert's signature was made by @issuer's public key
 * (RSA PKCS#1 v1.5 with SHA-1/256/384/512, ECDSA P-256/P-384).
 * Names are not compared; callers build chains.
 * @return 1 verified, 0 not verified, CSIG_E_INVAL (NULL argument),
 *         CSIG_E_UNSUPPORTED (algorithm or key type), CSIG_E_BADVALUE
 *         (malformed key or signature encoding).
 */
CSIG_API int csig_cert_verify_signature(const csig_cert *cert, const csig_cert *issuer);

#ifdef __cplusplus
}
#endif
#endif /* CSIG_X509_H */
