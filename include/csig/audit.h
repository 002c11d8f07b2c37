/*
 * csig/audit.h - the expiry audit and the update check.
 *
 * Model.  csig_audit_path() opens a Mach-O file, a bundle directory, an .ipa
 * or a provisioning profile and lists every dated, identity-bearing item of
 * all the code in it (the main executable of the bundle and of every nested
 * bundle, recursively; every slice), with the days remaining at a time `at`:
 *
 *   kind                  date                         what its passing breaks
 *   "certificate"         notAfter of each certificate  see "Classes" below
 *                         of a slice's CMS chain
 *   "signing-time"        the CMS signingTime           "nothing" (informational)
 *   "timestamp"           the RFC 3161 genTime          "nothing" (informational)
 *   "profile-expiration"  an embedded (or audited)      "launch"
 *                         profile's ExpirationDate
 *   "profile-certificate" notAfter of each profile      see "Classes" below
 *                         DeveloperCertificates entry
 *
 * Classes.  Each item says what stops working once its date passes:
 *   "launch"   the code stops launching: an embedded provisioning profile's
 *              ExpirationDate (the OS validates the profile at every launch),
 *              and the signing chain of code whose platform enforces
 *              certificates at launch: iOS-family development, ad hoc
 *              distribution and enterprise (in-house) signing, and macOS
 *              development signing when a profile is embedded;
 *   "release"  the next signed release cannot be made with it: the chain of
 *              Developer ID, Mac App Store, App Store, Apple and any other
 *              signing, unless a secure timestamp saves it;
 *   "nothing"  a certificate of a release-class chain whose validity contains
 *              a verified secure timestamp (csig_cms_result_timestamp() == 1):
 *              the signature stays valid after it expires; the signing time
 *              and timestamp items; profile certificates that did not sign
 *              the code beside the profile.
 * The signing kind (csig_audit_code.signing) decides the class.  Leaf
 * markers first (FORMAT.md 5.3): 1.2.840.113635.100.6.1.13 "developer-id",
 * 100.6.22 / 100.6.22.1 "apple", 100.6.1.9 "mac-app-store", 100.6.1.3
 * "app-store"; then the kind of the profile beside the code
 * (csig_profile_kind_of: "development", "ad-hoc" (ad hoc distribution),
 * "enterprise", "app-store", "developer-id"); then the remaining markers:
 * 100.6.1.2 or 100.6.1.12 "development", 100.6.1.4 or 100.6.1.7
 * "distribution"; a chain without Apple markers is "other"; no CMS at all
 * is "adhoc"; no signature "unsigned".  Launch class: "development" (on
 * macOS only with an embedded profile; the slice's LC_BUILD_VERSION
 * platform 1 or 6, or an x86 CPU without one, counts as macOS), "ad-hoc",
 * "enterprise".  A DeveloperCertificates entry whose SHA-256 equals the
 * leaf of the code in the same bundle takes that leaf's class; the others
 * break "nothing"; in a profile audited on its own they are "launch" for
 * development, ad hoc and enterprise profiles and "release" otherwise.
 *
 * Status at `at`: "expired" when date <= at, "expiring" when date <= at +
 * within_days days, else "ok" (the informational items are always "ok").
 * days_remaining is floor((date - at) / 86400): 0 on the last day,
 * negative once passed.
 *
 * Risks are the named launch-breaking cases, with the code they are about:
 *   "profile-in-developer-id"  an embedded profile in Developer ID signed
 *       code where restricted entitlements are claimed by the code (its
 *       signature's entitlements) or, failing that, granted by the profile:
 *       when the profile expires the OS refuses to launch code that relies
 *       on it (the message says which of the two).  Restricted entitlements are
 *       those that need a profile on macOS (TN3125): every key starting with
 *       "com.apple.developer.", "com.apple.application-identifier",
 *       "application-identifier", "keychain-access-groups",
 *       "com.apple.security.application-groups", "aps-environment",
 *       "com.apple.aps-environment", "beta-reports-active";
 *   "profile-expired", "profile-expiring"  an embedded or audited profile;
 *   "profile-unreadable"  an embedded profile that does not parse;
 *   "requirement-pinned-to-cn"  an internal requirement (designated or any
 *       other type) whose text has `certificate leaf[subject.CN]` and no
 *       `subject.OU` clause: a certificate renewal that changes the CN (e.g.
 *       "AgileBits Inc." becoming "AgileBits Inc. (2BUA8C4S2C)") breaks
 *       every check against it (updaters, keychain ACLs);
 *   "team-mismatch-nested"  a slice's team identifier (CodeDirectory
 *       teamID, else the leaf's subject OU) differs from the main code's;
 *   "signer-mismatch-nested"  a slice's leaf certificate (SHA-256) differs
 *       from the main code's (both CMS-signed);
 *   "certificate-expired", "certificate-expiring"  a launch- or
 *       release-class certificate item that is not "ok".
 * The main code is the first slice of the input's main executable.
 *
 * Failure rule (csig_audit_failed): a "launch" item that is expired or
 * expiring fails the audit; with CSIG_AUDIT_STRICT so does a "release" item
 * that is, and any risk.  Every item is listed either way.
 *
 * The update check (csig_check_update) answers: would OLD accept NEW as an
 * update, i.e. does NEW satisfy OLD's designated requirement (and an
 * optional extra requirement, e.g. an updater's pinned one)?  OLD's
 * designated requirement is type 3 of its main executable's internal
 * requirements (first slice that has one).  When OLD has none, Apple's
 * implicit one is derived (FORMAT.md 3.6) from OLD's first slice:
 *   no CMS (ad hoc)     cdhash H"<best cdhash>" or-ed over every slice;
 *   leaf 100.6.22       identifier "<id>" and anchor apple;
 *   leaf 100.6.1.13     identifier "<id>" and anchor apple generic and
 *                       certificate 1[field.1.2.840.113635.100.6.2.6] and
 *                       certificate leaf[field.1.2.840.113635.100.6.1.13]
 *                       and certificate leaf[subject.OU] = "<TEAM>";
 *   leaf 100.6.1.9      identifier "<id>" and anchor apple generic and
 *                       certificate leaf[field.1.2.840.113635.100.6.1.9];
 *   issuer 100.6.2.1    identifier "<id>" and anchor apple generic and
 *   (WWDR)              certificate leaf[subject.CN] = "<CN>" and
 *                       certificate 1[field.1.2.840.113635.100.6.2.1];
 *   anything else       identifier "<id>" and certificate <n|root> =
 *                       H"<SHA-1 of the last chain certificate with the
 *                       leaf's O>" (drmaker.cpp nonAppleAnchor).
 * Each requirement is evaluated on every slice of NEW's main executable
 * (csig_req_eval_slice, with NEW's Info.plist when NEW is a bundle); all
 * must be satisfied.  Verdict: CSIG_UPDATE_YES (0) every evaluation
 * satisfied, CSIG_UPDATE_NO (1) any not satisfied, else
 * CSIG_UPDATE_INDETERMINATE (3) (also when OLD is unsigned, so no
 * requirement exists).  The reason names the first failing clause with its
 * actual and expected values.
 *
 * Inputs are read through the library's file access only (mapped read-only,
 * or extracted from the archive); nothing is written.
 *
 * Ownership.  csig_audit and csig_update_check handles belong to the caller
 * (free with csig_audit_free / csig_update_check_free).  Items, risks, code
 * entries, strings and requirement results they return are borrowed and live
 * until the handle is freed.  JSON text is freed with csig_free.
 *
 * Threading.  Handles never change after creation; any number of threads may
 * read one at once.
 */
#ifndef CSIG_AUDIT_H
#define CSIG_AUDIT_H

#include "csig/common.h"
#include "csig/macho.h"
#include "csig/req.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct csig_audit csig_audit;
typedef struct csig_update_check csig_update_check;

#define CSIG_AUDIT_STRICT 0x1u          /* release class and risks fail too */
#define CSIG_AUDIT_WITHIN_DEFAULT 30u   /* days */

#define CSIG_AUDIT_OPTIONS_VERSION 1
typedef struct csig_audit_options {
	unsigned int version;     /* CSIG_AUDIT_OPTIONS_VERSION */
	unsigned int flags;       /* CSIG_AUDIT_* */
	int64_t at;               /* Unix seconds the audit is judged at; 0 = now */
	unsigned int within_days; /* the warning window; 0 = CSIG_AUDIT_WITHIN_DEFAULT */
} csig_audit_options;
#define CSIG_AUDIT_OPTIONS_INIT { CSIG_AUDIT_OPTIONS_VERSION, 0, 0, 0 }

/*
 * One dated item.  Owned by the library; fields may be appended.  Strings
 * are never NULL ("" when not applicable).
 *   kind            "certificate", "signing-time", "timestamp",
 *                   "profile-expiration", "profile-certificate"
 *   where           the code or profile, relative to the input ("" = the
 *                   input itself, e.g. "Contents/MacOS/App",
 *                   "Contents/embedded.provisionprofile")
 *   arch            slice architectures the item was found in, comma
 *                   separated ("armv7,arm64"); "" for profile items
 *   subject         certificate CN (or the one-line subject), profile Name
 *                   (or UUID), the TSA's CN for a timestamp
 *   date            Unix seconds
 *   days_remaining  floor((date - at) / 86400)
 *   breaks          "launch", "release" or "nothing"
 *   status          "ok", "expiring" or "expired"
 *   signing         signing kind of the code (profile items: profile kind)
 *   reason          a sentence: why this class
 *   chain_index     0 = leaf for "certificate" items, else -1
 */
typedef struct csig_audit_item {
	const char *kind;
	const char *where;
	const char *arch;
	const char *subject;
	int64_t date;
	int64_t days_remaining;
	const char *breaks;
	const char *status;
	const char *signing;
	const char *reason;
	int chain_index;
} csig_audit_item;

/*
 * One named risk.  Owned by the library; fields may be appended.
 *   id        see the list at the top of this header
 *   severity  CSIG_SEV_ERROR when launch breaks now or inside the window,
 *             CSIG_SEV_WARN otherwise
 *   where     the code or profile it is about (as csig_audit_item.where)
 *   message   a sentence with the names and numbers
 */
typedef struct csig_audit_risk {
	const char *id;
	int severity;
	const char *where;
	const char *message;
} csig_audit_risk;

/*
 * One signed (or unsigned) slice that was audited.  Owned by the library.
 *   where, arch  as in csig_audit_item
 *   identifier   CodeDirectory identifier ("" when unsigned)
 *   team_id      CodeDirectory teamID, else the leaf's subject OU ("" none)
 *   signing      the signing kind (top of this header)
 *   leaf_cn      the leaf's CN ("" without a CMS)
 *   has_profile  1 when a profile sits beside this code
 */
typedef struct csig_audit_code {
	const char *where;
	const char *arch;
	const char *identifier;
	const char *team_id;
	const char *signing;
	const char *leaf_cn;
	int has_profile;
} csig_audit_code;

/**
 * Audit the Mach-O file, bundle directory, .ipa or provisioning profile at
 * @path (tried in that order).
 * @param out  receives the audit (free with csig_audit_free); NULL on failure.
 * @param opts NULL for defaults (now, 30 days, not strict).
 * @param err  nullable detail.
 * @return CSIG_OK (whatever was found); CSIG_E_INVAL (NULL out/path,
 *   unknown options version); CSIG_E_IO (@path cannot be opened, stat'ed,
 *   mapped or read); CSIG_E_BADMAGIC (a regular file that is neither Mach-O,
 *   an .ipa nor a profile); the errors of csig_file_open_path,
 *   csig_bundle_open_path and csig_profile_parse for input that is
 *   recognised but broken; CSIG_E_LIMIT; CSIG_E_NOMEM.
 * Embedded profiles that do not parse are a "profile-unreadable" risk, not a
 * failure.  Thread-safe.
 */
CSIG_API int csig_audit_path(csig_audit **out, const char *path,
			     const csig_audit_options *opts, csig_error *err);

/**
 * Audit a Mach-O file already open.  @label names it in `where` (NULL: "").
 * @f must outlive the call only (the audit copies what it keeps).
 * @return CSIG_OK; CSIG_E_INVAL (NULL out/f, unknown options version);
 *   CSIG_E_NOMEM.
 */
CSIG_API int csig_audit_file(csig_audit **out, const csig_file *f, const char *label,
			     const csig_audit_options *opts, csig_error *err);

/** Release an audit (NULL ok). */
CSIG_API void csig_audit_free(csig_audit *a);

/** The time the audit was judged at (Unix seconds) and its window in days. */
CSIG_API int64_t csig_audit_at(const csig_audit *a);
CSIG_API unsigned csig_audit_within_days(const csig_audit *a);

/** Items, in discovery order (0 for NULL); item @i or NULL out of range. */
CSIG_API size_t csig_audit_item_count(const csig_audit *a);
CSIG_API const csig_audit_item *csig_audit_item_at(const csig_audit *a, size_t i);
/** Risks, in discovery order; risk @i or NULL out of range. */
CSIG_API size_t csig_audit_risk_count(const csig_audit *a);
CSIG_API const csig_audit_risk *csig_audit_risk_at(const csig_audit *a, size_t i);
/** Audited slices; slice entry @i or NULL out of range. */
CSIG_API size_t csig_audit_code_count(const csig_audit *a);
CSIG_API const csig_audit_code *csig_audit_code_at(const csig_audit *a, size_t i);

/**
 * 1 when the failure rule at the top of this header holds (a launch-class
 * item expired or expiring; with CSIG_AUDIT_STRICT also a release-class one,
 * or any risk), else 0 (also for NULL).
 */
CSIG_API int csig_audit_failed(const csig_audit *a);

/**
 * The "audit" JSON document: at, within_days, strict, failed, codes, items,
 * risks.  @flags: CSIG_JSON_PRETTY (0x1) indents.  Free *out with csig_free;
 * @len may be NULL.
 * @return CSIG_OK; CSIG_E_INVAL; CSIG_E_NOMEM.
 */
CSIG_API int csig_audit_json(const csig_audit *a, unsigned flags, char **out,
			     size_t *len, csig_error *err);

/* ---- the update check ---- */

/* Verdicts; equal to csig(1)'s exit codes. */
#define CSIG_UPDATE_YES 0
#define CSIG_UPDATE_NO 1
#define CSIG_UPDATE_INDETERMINATE 3

/**
 * Does NEW satisfy OLD's designated requirement (and @extra_requirement)?
 * Each of @old_path and @new_path is a Mach-O file, a bundle directory or an
 * .ipa (its main executable is used).
 * @param out                receives the result (csig_update_check_free).
 * @param extra_requirement  requirement text, or NULL.
 * @return CSIG_OK whatever the verdict; CSIG_E_INVAL (NULL out/paths);
 *   CSIG_E_SYNTAX (the extra requirement, or OLD's derived one, does not
 *   compile); CSIG_E_NOTFOUND (a bundle without a main executable); the
 *   errors of csig_file_open_path and csig_bundle_open_path (CSIG_E_IO,
 *   CSIG_E_BADMAGIC, ...); CSIG_E_NOMEM.  Thread-safe.
 */
CSIG_API int csig_check_update(csig_update_check **out, const char *old_path,
			       const char *new_path, const char *extra_requirement,
			       csig_error *err);
/** Release a result (NULL ok). */
CSIG_API void csig_update_check_free(csig_update_check *u);
/** CSIG_UPDATE_YES, _NO or _INDETERMINATE (_INDETERMINATE for NULL). */
CSIG_API int csig_update_check_verdict(const csig_update_check *u);
/** OLD's designated requirement as text ("" when OLD is unsigned). */
CSIG_API const char *csig_update_check_requirement(const csig_update_check *u);
/** 1 when that requirement was derived (OLD has no explicit one). */
CSIG_API int csig_update_check_implicit(const csig_update_check *u);
/** A sentence: the verdict and the first failing clause; never NULL. */
CSIG_API const char *csig_update_check_reason(const csig_update_check *u);
/** Evaluations: one per requirement (designated, then extra) per NEW slice. */
CSIG_API size_t csig_update_check_count(const csig_update_check *u);
/**
 * Evaluation @i: which requirement ("designated" or "extra"), NEW's slice
 * architecture and the evaluator's result with its trace (all borrowed;
 * every output may be NULL).
 * @return CSIG_OK; CSIG_E_INVAL (NULL u); CSIG_E_NOTFOUND (out of range).
 */
CSIG_API int csig_update_check_eval(const csig_update_check *u, size_t i,
				    const char **which, const char **arch,
				    const csig_req_result **result);
/**
 * The "check-update" JSON document (requirement, implicit, verdict, reason,
 * every evaluation with its trace).  As csig_audit_json.
 */
CSIG_API int csig_update_check_json(const csig_update_check *u, unsigned flags,
				    char **out, size_t *len, csig_error *err);

#ifdef __cplusplus
}
#endif
#endif /* CSIG_AUDIT_H */
