/*
 * csig/cms.h - CMS SignedData (RFC 5652): the code-signature blob (slot
 * 0x10000, detached content = the slot-0 CodeDirectory) and provisioning
 * profiles (attached content = a plist).
 *
 * Model.  csig_cms_parse reads a ContentInfo of type signedData, BER or DER
 * (Apple's outer encoding uses indefinite lengths), into an immutable
 * csig_cms: version, digest algorithms, the encapsulated content type and
 * bytes (or "detached"), every certificate (as csig_cert), and every
 * SignerInfo with its signed attributes (contentType, signingTime,
 * messageDigest, Apple's CDHashes plist 1.2.840.113635.100.9.1 and
 * CDHashes2 1.2.840.113635.100.9.2) and unsigned attributes (the RFC 3161
 * timestamp token 1.2.840.113549.1.9.16.2.14, itself parsed as a csig_cms
 * whose content is a TSTInfo).  The certificate chain of the first signer
 * is built at parse time by issuer/subject name match, leaf to root.
 *
 * csig_cms_verify checks the cryptography and returns findings as data:
 * the message digest, the signature over the signed attributes, every
 * certificate's signature by its issuer, whether the root is a pinned Apple
 * root, expiry at a given time, the timestamp token, and the more-than-one
 * signer shape (CVE-2023-41991).  A failed check is not a call failure.
 *
 * Ownership.  A csig_cms views the caller's buffer unless CSIG_OPEN_COPY is
 * given.  Certificates, strings, byte views and the nested timestamp token
 * returned by getters are borrowed and live until csig_cms_free.  A
 * csig_cms_result borrows from its csig_cms: free the result first.
 *
 * Threading.  Handles and results never change after creation; any number
 * of threads may read them at once.
 */
#ifndef CSIG_CMS_H
#define CSIG_CMS_H

#include "csig/common.h"
#include "csig/x509.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct csig_cms csig_cms;
typedef struct csig_cms_result csig_cms_result;

/**
 * Parse a CMS ContentInfo holding SignedData.
 * @param out  receives the handle (free with csig_cms_free); NULL on failure.
 * @param buf  the bytes (viewed unless opts->flags has CSIG_OPEN_COPY).
 * @param len  their length; bytes after the ContentInfo are CSIG_E_TRAILING.
 * @param opts NULL for defaults; max_depth bounds BER nesting, max_count
 *             bounds certificates, signers and attributes.
 * @param err  nullable detail (field, numbers, absolute offset).
 * @return CSIG_OK; CSIG_E_INVAL (NULL out/buf, or len 0);
 *         CSIG_E_BADMAGIC (not a signedData ContentInfo); CSIG_E_TRUNCATED;
 *         CSIG_E_TRAILING; CSIG_E_BADVALUE; CSIG_E_UNSUPPORTED;
 *         CSIG_E_LIMIT; CSIG_E_DEPTH; CSIG_E_NOMEM.
 */
CSIG_API int csig_cms_parse(csig_cms **out, const void *buf, size_t len,
			    const csig_open_options *opts, csig_error *err);

/** Release a CMS handle (NULL ok). */
CSIG_API void csig_cms_free(csig_cms *cms);

/** SignedData version. */
CSIG_API int csig_cms_version(const csig_cms *cms);
/** eContentType as dotted OID (id-data "1.2.840.113549.1.7.1" for code signatures). */
CSIG_API const char *csig_cms_content_type(const csig_cms *cms);
/** 1 if eContent is absent (detached signature), else 0. */
CSIG_API int csig_cms_is_detached(const csig_cms *cms);
/** The attached content (BER chunks joined); empty when detached. Borrowed. */
CSIG_API csig_bytes csig_cms_content(const csig_cms *cms);
/** Number of SignedData digestAlgorithms. */
CSIG_API size_t csig_cms_digest_alg_count(const csig_cms *cms);
/** digestAlgorithm @i as dotted OID, NULL out of range. */
CSIG_API const char *csig_cms_digest_alg(const csig_cms *cms, size_t i);

/** Number of X.509 certificates in the certificates field. */
CSIG_API size_t csig_cms_cert_count(const csig_cms *cms);
/** Certificate @i (borrowed; do not free), NULL out of range. */
CSIG_API const csig_cert *csig_cms_cert(const csig_cms *cms, size_t i);

/**
 * The first signer's chain built from the CMS's certificates: index 0 is the
 * signer's certificate, then its issuer, ... up to a self-issued root or the
 * last certificate found.  0 when the signer certificate is absent.
 */
CSIG_API size_t csig_cms_chain_count(const csig_cms *cms);
/** Chain certificate @i (0 = leaf), NULL out of range. */
CSIG_API const csig_cert *csig_cms_chain_cert(const csig_cms *cms, size_t i);

/** Number of SignerInfos (more than one is suspicious: CVE-2023-41991). */
CSIG_API size_t csig_cms_signer_count(const csig_cms *cms);
/** The certificate matching signer @i's sid, or NULL. */
CSIG_API const csig_cert *csig_cms_signer_cert(const csig_cms *cms, size_t i);
/** Signer @i's digestAlgorithm as dotted OID, NULL out of range. */
CSIG_API const char *csig_cms_signer_digest_oid(const csig_cms *cms, size_t i);
/** Signer @i's digest algorithm as a CodeDirectory hash type (1 SHA-1, 2 SHA-256, 4 SHA-384, 5 SHA-512), 0 if unknown. */
CSIG_API int csig_cms_signer_digest_alg(const csig_cms *cms, size_t i);
/** Signer @i's signatureAlgorithm as dotted OID. */
CSIG_API const char *csig_cms_signer_sig_alg_oid(const csig_cms *cms, size_t i);
/** Signer @i's signature value (borrowed). */
CSIG_API csig_bytes csig_cms_signer_signature(const csig_cms *cms, size_t i);
/** 1 if signer @i has signed attributes. */
CSIG_API int csig_cms_signer_has_signed_attrs(const csig_cms *cms, size_t i);
/**
 * Signer @i's signingTime (self-declared, not trusted) in Unix seconds.
 * @return CSIG_OK or CSIG_E_NOTFOUND.
 */
CSIG_API int csig_cms_signer_signing_time(const csig_cms *cms, size_t i, int64_t *out);
/** Signer @i's messageDigest attribute (empty when absent). */
CSIG_API csig_bytes csig_cms_signer_message_digest(const csig_cms *cms, size_t i);
/** Signer @i's contentType attribute as dotted OID, or NULL. */
CSIG_API const char *csig_cms_signer_content_type(const csig_cms *cms, size_t i);
/** Raw XML plist bytes of the CDHashes attribute 1.2.840.113635.100.9.1 (empty when absent). */
CSIG_API csig_bytes csig_cms_signer_cdhashes_plist(const csig_cms *cms, size_t i);
/** Number of CDHashes2 (1.2.840.113635.100.9.2) entries of signer @i. */
CSIG_API size_t csig_cms_signer_cdhash2_count(const csig_cms *cms, size_t i);
/**
 * CDHashes2 entry @k of signer @i: hash type (CodeDirectory numbering, 0 if
 * unknown), digest-algorithm OID and the full cdhash.  Outputs may be NULL.
 * @return CSIG_OK or CSIG_E_NOTFOUND.
 */
CSIG_API int csig_cms_signer_cdhash2(const csig_cms *cms, size_t i, size_t k,
				     int *hash_type, const char **oid, csig_bytes *digest);
/** Signer @i's RFC 3161 timestamp token as a parsed CMS (borrowed), or NULL. */
CSIG_API const csig_cms *csig_cms_signer_timestamp(const csig_cms *cms, size_t i);

/**
 * TSTInfo of a timestamp token (a csig_cms whose content type is
 * id-ct-TSTInfo 1.2.840.113549.1.9.16.1.4).  Outputs may be NULL:
 * genTime (Unix seconds), messageImprint hash type and digest, serial (hex).
 * @return CSIG_OK, or CSIG_E_NOTFOUND when @cms is not a timestamp token.
 */
CSIG_API int csig_cms_tstinfo(const csig_cms *cms, int64_t *gen_time, int *hash_type,
			      csig_bytes *imprint, const char **serial_hex);

/**
 * Verify the first signer (and record the others as a finding).
 * @param detached_content the signed bytes when the CMS is detached (the
 *        slot-0 CodeDirectory blob); {NULL,0} to use the attached content.
 * @param at_time Unix seconds at which certificate validity is judged
 *        (typically now, the timestamp's genTime or the signingTime).
 * @param out receives the result (free with csig_cms_result_free).
 * @return CSIG_OK (whatever the findings), CSIG_E_INVAL, CSIG_E_NOMEM.
 */
CSIG_API int csig_cms_verify(const csig_cms *cms, csig_bytes detached_content,
			     int64_t at_time, csig_cms_result **out, csig_error *err);

/** Release a result (NULL ok). */
CSIG_API void csig_cms_result_free(csig_cms_result *res);

/**
 * 1 when digest, signature and every chain link verify, a present timestamp
 * verifies and there is exactly one signer.  Apple roots and expiry are
 * judged separately (csig_cms_result_apple_root, csig_cms_result_expired).
 */
CSIG_API int csig_cms_result_ok(const csig_cms_result *res);
/** 1 when the messageDigest attribute equals the content's hash. */
CSIG_API int csig_cms_result_digest_ok(const csig_cms_result *res);
/** 1 when the signature over the signed attributes verifies with the signer certificate. */
CSIG_API int csig_cms_result_signature_ok(const csig_cms_result *res);
/** 1 when every chain link verifies and the chain ends at a self-signed root. */
CSIG_API int csig_cms_result_chain_ok(const csig_cms_result *res);
/** 1 when chain link @i (certificate i signed by certificate i+1, or the root by itself) verifies. */
CSIG_API int csig_cms_result_link_ok(const csig_cms_result *res, size_t i);
/** 1 when the chain's root is a pinned Apple root. */
CSIG_API int csig_cms_result_apple_root(const csig_cms_result *res);
/** Name of the Apple root ("Apple Root CA", ...) or NULL. */
CSIG_API const char *csig_cms_result_apple_root_name(const csig_cms_result *res);
/** 1 when any chain certificate is outside its validity at at_time (reported, not fatal). */
CSIG_API int csig_cms_result_expired(const csig_cms_result *res);
/** Whole days from at_time to the earliest notAfter in the chain (negative when expired). */
CSIG_API int64_t csig_cms_result_days_to_expiry(const csig_cms_result *res);
/** 1 when the SignedData has more than one SignerInfo. */
CSIG_API int csig_cms_result_multiple_signers(const csig_cms_result *res);
/** -1 no timestamp token, 0 present but not verified, 1 verified (imprint, signature, chain). */
CSIG_API int csig_cms_result_timestamp(const csig_cms_result *res);
/** 1 when the timestamp token's chain ends at a pinned Apple root. */
CSIG_API int csig_cms_result_timestamp_apple_root(const csig_cms_result *res);
/** Number of findings (problems found, in check order). */
CSIG_API size_t csig_cms_result_finding_count(const csig_cms_result *res);
/**
 * Finding @i: a stable identifier ("digest-mismatch", "signature-invalid",
 * "no-signer-cert", "chain-link-invalid", "chain-incomplete",
 * "not-apple-root", "cert-expired", "multiple-signers", "no-content",
 * "timestamp-invalid", "unsupported-algorithm") and a sentence (*msg, may be NULL).
 * NULL when out of range.
 */
CSIG_API const char *csig_cms_result_finding(const csig_cms_result *res, size_t i,
					     const char **msg);

/**
 * JSON of a CMS (and of a result when @res is non-NULL), from the library's
 * one JSON writer.  *out is NUL-terminated; free with csig_free.
 * @return CSIG_OK, CSIG_E_INVAL, CSIG_E_NOMEM.
 */
CSIG_API int csig_cms_to_json(const csig_cms *cms, const csig_cms_result *res,
			      int pretty, char **out, csig_error *err);

#ifdef __cplusplus
}
#endif
#endif /* CSIG_CMS_H */
