/*
 * csig/profile.h - provisioning profiles (.mobileprovision,
 * .provisionprofile, embedded.mobileprovision / embedded.provisionprofile).
 *
 * Model.  A provisioning profile is a CMS SignedData with *attached* content
 * (an XML or binary property list) signed by Apple (FORMAT.md section 7).
 * csig_profile_parse() accepts that, and also the bare, unsigned variants
 * some tools write (a plain XML plist or a "bplist00" document), which are
 * reported as unsigned.  The handle gives every documented key through a
 * typed getter, the parsed DeveloperCertificates (each a csig_cert with its
 * own validity; an entry that does not decode is reported, not fatal), the
 * whole plist and the CMS.
 *
 * csig_profile_check() judges the profile at a time `at` (Unix seconds) and
 * returns one verdict plus findings as data:
 *   CSIG_PROFILE_TAMPERED  the CMS digest, signature or a chain link does not
 *                          verify (checked first: an edited profile is
 *                          reported as such whatever else it contains);
 *   CSIG_PROFILE_MALFORMED no usable profile: the signed content is absent or
 *                          not a plist, the root is not a dictionary, a
 *                          required key (UUID, CreationDate, ExpirationDate,
 *                          TeamIdentifier, Entitlements) is missing, or a
 *                          known key has the wrong type;
 *   CSIG_PROFILE_UNSIGNED  a bare plist (no CMS at all);
 *   CSIG_PROFILE_UNTRUSTED intact, but the chain does not end at a pinned
 *                          Apple root (self-signed test profiles), or the
 *                          SignedData has more than one signer;
 *   CSIG_PROFILE_EXPIRED   intact and Apple-signed, but ExpirationDate <= at
 *                          or a chain certificate is outside its validity at
 *                          `at`;
 *   CSIG_PROFILE_VALID     everything above passes.
 * A DeveloperCertificates entry that is not a certificate (for instance the
 * "SampleD..." base64 of some test fixtures) is a "developer-cert-undecodable"
 * finding and does not change the verdict: such a bare profile is UNSIGNED.
 *
 * The kind (csig_profile_kind_of) follows TN3125's facts: ProvisionsAllDevices
 * true means Developer ID on macOS (Platform OSX) and enterprise/in-house
 * elsewhere; a ProvisionedDevices key means development (iOS: get-task-allow
 * true; macOS: always) or ad hoc (iOS, get-task-allow false); neither means
 * App Store.
 *
 * csig_profile_match() checks that a signed Mach-O slice fits a profile: team
 * identifier, signing certificate, application identifier (with TEAMID.* and
 * TEAMID.prefix.* wildcards), every claimed entitlement and the platform.
 * Each check is one row with the actual and allowed values.
 *
 * Ownership.  The profile copies the input once; the caller may free its
 * buffer when csig_profile_parse() returns.  Strings, nodes, certificates and
 * the CMS returned by getters are borrowed and live until csig_profile_free().
 * Results borrow from their profile (and a match result from its slice):
 * free them first.
 *
 * Threading.  Profiles and results never change after creation; any number of
 * threads may read one at once.
 */
#ifndef CSIG_PROFILE_H
#define CSIG_PROFILE_H

#include "csig/common.h"
#include "csig/plist.h"
#include "csig/x509.h"
#include "csig/cms.h"
#include "csig/macho.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct csig_profile csig_profile;
typedef struct csig_profile_result csig_profile_result;
typedef struct csig_profile_match_result csig_profile_match_result;

/* How the profile was stored (csig_profile_container). */
typedef enum {
	CSIG_PROFILE_CMS = 1,        /* CMS SignedData with attached content */
	CSIG_PROFILE_BARE_XML = 2,   /* unsigned XML plist */
	CSIG_PROFILE_BARE_BINARY = 3 /* unsigned bplist00 */
} csig_profile_container_type;

/* Verdicts of csig_profile_check.  Pinned; only appended. */
typedef enum {
	CSIG_PROFILE_VALID = 0,
	CSIG_PROFILE_EXPIRED = 1,
	CSIG_PROFILE_UNTRUSTED = 2,
	CSIG_PROFILE_TAMPERED = 3,
	CSIG_PROFILE_UNSIGNED = 4,
	CSIG_PROFILE_MALFORMED = 5
} csig_profile_verdict;

/* Kinds (csig_profile_kind_of).  Pinned; only appended. */
typedef enum {
	CSIG_PROFILE_KIND_UNKNOWN = 0,
	CSIG_PROFILE_KIND_DEVELOPMENT = 1,
	CSIG_PROFILE_KIND_AD_HOC = 2,
	CSIG_PROFILE_KIND_APP_STORE = 3,
	CSIG_PROFILE_KIND_ENTERPRISE = 4,
	CSIG_PROFILE_KIND_DEVELOPER_ID = 5
} csig_profile_kind;

/* csig_profile_json flags. */
#define CSIG_PROFILE_JSON_PRETTY 0x1u

/**
 * Parse a provisioning profile: a CMS SignedData with attached content, or a
 * bare XML / binary plist.
 * @param out  receives the handle (free with csig_profile_free); NULL on failure.
 * @param buf  input bytes; untrusted; copied.
 * @param len  their length.
 * @param opts NULL for defaults (max_depth, max_count bound the CMS and plist).
 * @param err  nullable detail.
 * @return CSIG_OK, also when the signed content is not a usable plist (the
 *   verdict is then CSIG_PROFILE_MALFORMED); CSIG_E_INVAL (NULL out/buf, len
 *   0, bad opts version); CSIG_E_BADMAGIC (neither CMS nor a plist); for a
 *   CMS: every error of csig_cms_parse (CSIG_E_TRUNCATED, CSIG_E_TRAILING,
 *   CSIG_E_BADVALUE, CSIG_E_UNSUPPORTED, CSIG_E_LIMIT, CSIG_E_DEPTH); for a
 *   bare plist: every error of csig_plist_parse (CSIG_E_SYNTAX, ...);
 *   CSIG_E_NOMEM.
 */
CSIG_API int csig_profile_parse(csig_profile **out, const void *buf, size_t len,
				const csig_open_options *opts, csig_error *err);

/** Release a profile (NULL ok). */
CSIG_API void csig_profile_free(csig_profile *p);

/** csig_profile_container_type; 0 for NULL. */
CSIG_API int csig_profile_container(const csig_profile *p);
/** 1 when the profile is CMS-signed, else 0. */
CSIG_API int csig_profile_is_signed(const csig_profile *p);
/** The CMS (borrowed), or NULL for a bare plist. */
CSIG_API const csig_cms *csig_profile_cms(const csig_profile *p);
/** The plist document (borrowed), or NULL when the content is not a plist. */
CSIG_API const csig_plist *csig_profile_plist(const csig_profile *p);
/** The plist root (borrowed), or NULL. */
CSIG_API const csig_pval *csig_profile_root(const csig_profile *p);
/**
 * Why the profile is malformed (a sentence naming the key), or NULL when it
 * is usable.  Borrowed.
 */
CSIG_API const char *csig_profile_malformed_reason(const csig_profile *p);

/** String keys (borrowed, NUL-terminated), NULL when absent or not a string. */
CSIG_API const char *csig_profile_name(const csig_profile *p);
CSIG_API const char *csig_profile_uuid(const csig_profile *p);
CSIG_API const char *csig_profile_app_id_name(const csig_profile *p);
CSIG_API const char *csig_profile_team_name(const csig_profile *p);

/** Array-of-string keys: count, and item @i (NULL when out of range or not a string). */
CSIG_API size_t csig_profile_app_id_prefix_count(const csig_profile *p);
CSIG_API const char *csig_profile_app_id_prefix(const csig_profile *p, size_t i);
CSIG_API size_t csig_profile_team_id_count(const csig_profile *p);
CSIG_API const char *csig_profile_team_id(const csig_profile *p, size_t i);
CSIG_API size_t csig_profile_platform_count(const csig_profile *p);
CSIG_API const char *csig_profile_platform(const csig_profile *p, size_t i);
/** ProvisionedDevices: number of UDIDs (0 when absent) and UDID @i. */
CSIG_API size_t csig_profile_device_count(const csig_profile *p);
CSIG_API const char *csig_profile_device(const csig_profile *p, size_t i);
/** 1 when the ProvisionedDevices key is present (even empty), else 0. */
CSIG_API int csig_profile_has_devices(const csig_profile *p);

/**
 * Dates (Unix seconds) and integers.
 * @return CSIG_OK; CSIG_E_INVAL (NULL argument); CSIG_E_NOTFOUND (absent);
 *   CSIG_E_BADVALUE (another type); CSIG_E_OVERFLOW (integer > INT64_MAX).
 */
CSIG_API int csig_profile_creation_date(const csig_profile *p, int64_t *out);
CSIG_API int csig_profile_expiration_date(const csig_profile *p, int64_t *out);
CSIG_API int csig_profile_time_to_live(const csig_profile *p, int64_t *out);
CSIG_API int csig_profile_version(const csig_profile *p, int64_t *out);

/** Booleans: 1 true, 0 false, -1 absent or not a boolean. */
CSIG_API int csig_profile_is_xcode_managed(const csig_profile *p);
CSIG_API int csig_profile_provisions_all_devices(const csig_profile *p);

/** The Entitlements dictionary (borrowed), or NULL. */
CSIG_API const csig_pval *csig_profile_entitlements(const csig_profile *p);

/** Number of DeveloperCertificates entries (decodable or not). */
CSIG_API size_t csig_profile_cert_count(const csig_profile *p);
/** Certificate @i (borrowed), or NULL when out of range or undecodable. */
CSIG_API const csig_cert *csig_profile_cert(const csig_profile *p, size_t i);
/** Raw bytes of entry @i (borrowed; empty when out of range or not data). */
CSIG_API csig_bytes csig_profile_cert_data(const csig_profile *p, size_t i);
/**
 * Why entry @i did not decode.
 * @return CSIG_OK (decoded), the csig_cert_parse error (then *msg, when
 *   non-NULL, receives a borrowed sentence), or CSIG_E_NOTFOUND (i out of range).
 */
CSIG_API int csig_profile_cert_status(const csig_profile *p, size_t i, const char **msg);

/** 1 when the DER-Encoded-Profile key is present, else 0. */
CSIG_API int csig_profile_has_der_profile(const csig_profile *p);
/** Its bytes (borrowed; empty when absent). */
CSIG_API csig_bytes csig_profile_der_profile(const csig_profile *p);

/** The kind by the rules at the top of this header. */
CSIG_API csig_profile_kind csig_profile_kind_of(const csig_profile *p);
/** "development", "ad-hoc", "app-store", "enterprise", "developer-id", "unknown". Static. */
CSIG_API const char *csig_profile_kind_name(int kind);
/** "valid", "expired", "untrusted", "tampered", "unsigned", "malformed", "?". Static. */
CSIG_API const char *csig_profile_verdict_name(int verdict);

/**
 * Judge the profile at time @at (Unix seconds): CMS digest, signature,
 * chain, Apple root, certificate validity, ExpirationDate, CreationDate,
 * DeveloperCertificates.
 * @param out receives the result (free with csig_profile_result_free before
 *            the profile).
 * @return CSIG_OK (whatever the verdict), CSIG_E_INVAL, CSIG_E_NOMEM.
 */
CSIG_API int csig_profile_check(const csig_profile *p, int64_t at,
				csig_profile_result **out, csig_error *err);
/** Release a result (NULL ok). */
CSIG_API void csig_profile_result_free(csig_profile_result *r);
/** csig_profile_verdict (CSIG_PROFILE_MALFORMED for NULL). */
CSIG_API csig_profile_verdict csig_profile_result_verdict(const csig_profile_result *r);
/** The time the result was judged at. */
CSIG_API int64_t csig_profile_result_at(const csig_profile_result *r);
/**
 * Whole days from `at` to ExpirationDate, rounded toward minus infinity
 * (0 on the last day, negative once expired); INT64_MIN without a date.
 */
CSIG_API int64_t csig_profile_result_days_to_expiry(const csig_profile_result *r);
/** The CMS verification result (borrowed), or NULL when unsigned. */
CSIG_API const csig_cms_result *csig_profile_result_cms(const csig_profile_result *r);
/**
 * Findings, in check order: the CMS verification's own ids (see
 * csig_cms_result_finding: "digest-mismatch", "signature-invalid",
 * "chain-link-invalid", "not-apple-root", "cert-expired",
 * "multiple-signers", ...), then "unsigned", "content-not-plist",
 * "malformed", "profile-expired", "not-yet-valid" (CreationDate after at;
 * a warning), "dates-inverted", "developer-cert-undecodable",
 * "developer-cert-expired" (info) and "no-developer-certs".
 */
CSIG_API size_t csig_profile_result_finding_count(const csig_profile_result *r);
/** Finding @i (borrowed; slice and cd are -1, offset is within the plist), NULL out of range. */
CSIG_API const csig_finding *csig_profile_result_finding(const csig_profile_result *r, size_t i);

/**
 * Match the profile against a signed slice.  Rows, each with id, ok, key
 * (entitlement name or NULL), actual and allowed values as compact JSON:
 *   "team-id"                 CodeDirectory team (else the leaf's OU) in TeamIdentifier;
 *   "certificate"             the signing leaf among DeveloperCertificates
 *                             (SHA-256 of the DER, or equal bytes);
 *   "application-identifier"  application-identifier (iOS) or
 *                             com.apple.application-identifier (macOS)
 *                             allowed by the profile's value (TEAM.*,
 *                             TEAM.prefix.*) and prefixed by an
 *                             ApplicationIdentifierPrefix;
 *   "entitlement"             one row per other claimed entitlement: present
 *                             in the profile and allowed ("*" anything;
 *                             "x.*" prefix; arrays element-wise; booleans
 *                             equal or the profile true); on macOS
 *                             com.apple.security.* keys other than
 *                             application-groups are unrestricted;
 *   "platform"                LC_BUILD_VERSION / LC_VERSION_MIN platform in
 *                             Platform (absent Platform means iOS).
 * @param out receives the result (free with csig_profile_match_free before
 *            the profile and the slice's file).
 * @return CSIG_OK (whatever matched), CSIG_E_INVAL, CSIG_E_NOMEM.
 */
CSIG_API int csig_profile_match(const csig_profile *p, const csig_slice *s,
				csig_profile_match_result **out, csig_error *err);
/** Release a match result (NULL ok). */
CSIG_API void csig_profile_match_free(csig_profile_match_result *m);
/** 1 when every row is ok, else 0. */
CSIG_API int csig_profile_match_ok(const csig_profile_match_result *m);
/** Number of rows. */
CSIG_API size_t csig_profile_match_count(const csig_profile_match_result *m);
/**
 * Row @i; every output may be NULL; strings borrowed (key, actual, allowed
 * may be NULL when not applicable).
 * @return CSIG_OK, CSIG_E_INVAL (NULL m), CSIG_E_NOTFOUND (out of range).
 */
CSIG_API int csig_profile_match_item(const csig_profile_match_result *m, size_t i,
				     const char **id, int *ok, const char **key,
				     const char **actual, const char **allowed,
				     const char **message);

/**
 * JSON of the profile with its verdict at @at (keys, kind, certificates,
 * entitlements, CMS, verdict with findings).  *out is NUL-terminated; free
 * with csig_free.  @len may be NULL.
 * @param flags CSIG_PROFILE_JSON_PRETTY or 0.
 * @return CSIG_OK, CSIG_E_INVAL, CSIG_E_NOMEM, CSIG_E_DEPTH.
 */
CSIG_API int csig_profile_json(const csig_profile *p, int64_t at, unsigned flags,
			       char **out, size_t *len, csig_error *err);
/** JSON of a match result ({"ok":..., "checks":[...]}).  As csig_profile_json. */
CSIG_API int csig_profile_match_json(const csig_profile_match_result *m, unsigned flags,
				     char **out, size_t *len, csig_error *err);

#ifdef __cplusplus
}
#endif
#endif /* CSIG_PROFILE_H */
