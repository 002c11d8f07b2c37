/*
 * csig/scan.h - recognising signed things by content, and the one-line JSON
 * records of `csig scan`.
 *
 * Model.  A scan walks a tree (the walk itself belongs to the caller: the
 * library never lists directories for a scan), sniffs a prefix of every
 * regular file with csig_sniff(), opens what it recognises with the usual
 * calls (csig_file_open_path, csig_profile_parse, csig_bundle_open_path) and
 * turns each item into ONE compact JSON object on one line (JSON Lines) with
 * the facts an analyst filters on: path, type, slices, identifier, team,
 * cdhashes, code-directory flags, a signer-chain summary, entitlement keys,
 * expiry dates and, when the caller verified the item, the verdict and the
 * ids of the findings.  A scan ends with one "type": "summary" object.
 * Every record is written by the library's JSON serializer, so every front
 * end (the CLI today; bindings when they wrap these calls) prints the same
 * bytes.  The schema is described
 * in csig_scan(3); every record has "type" and "path" (the summary has no
 * path), fields absent from the item are left out rather than null.
 *
 * Cost.  A record is made only from what csig_file_open parsed (headers,
 * load commands, the signature blobs, the CMS and its certificates), so
 * without verification a scan reads the header and signature pages of each
 * file and its cost does not grow with the file's size.
 *
 * Ownership.  Each *_json call returns a NUL-terminated text in *out that
 * belongs to the caller (release with csig_free()); *len (nullable) receives
 * its length without the NUL.  The text never contains a newline (unless
 * CSIG_SCAN_JSON_PRETTY), so a caller writes it followed by "\n".
 *
 * Threading.  Every function is reentrant; the handles passed in are only
 * read, so any number of threads may build records at once, also from one
 * shared handle.
 */
#ifndef CSIG_SCAN_H
#define CSIG_SCAN_H

#include "csig/common.h"
#include "csig/macho.h"
#include "csig/codedir.h"
#include "csig/profile.h"
#include "csig/bundle.h"

#ifdef __cplusplus
extern "C" {
#endif

/* What csig_sniff recognised.  Pinned; only appended. */
typedef enum {
	CSIG_SNIFF_UNKNOWN = 0,
	CSIG_SNIFF_MACHO = 1,       /* thin Mach-O: feedface/feedfacf, either byte order */
	CSIG_SNIFF_FAT = 2,         /* cafebabe with 1..31 entries, or cafebabf with >= 1 */
	CSIG_SNIFF_PROFILE_CMS = 3, /* DER SEQUENCE { OID signedData, ... }: a CMS,
				     * which in a tree is nearly always a profile */
	CSIG_SNIFF_PLIST = 4,       /* "bplist00", or XML text with a <plist element */
	CSIG_SNIFF_ZIP = 5,         /* "PK\3\4" or an empty archive's "PK\5\6" */
	CSIG_SNIFF_REQUIREMENT = 6, /* requirement blob(s): fade0c00 / fade0c01 */
	CSIG_SNIFF_SIGNATURE = 7    /* code-signature SuperBlob: fade0cc0 / fade0cc1 */
} csig_sniff_kind;

/* Bytes of a file's start that csig_sniff needs to recognise everything. */
#define CSIG_SNIFF_PREFIX 512u

/* Flags of the *_json calls. */
#define CSIG_SCAN_JSON_PRETTY 0x1u /* indent (for people; breaks JSON Lines) */

/**
 * Recognise a file by the first bytes of its content (its name plays no
 * part).  Pass at least CSIG_SNIFF_PREFIX bytes when the file is that long.
 * 0xcafebabe is a fat Mach-O only when the entry count is 1..31: Java class
 * files share the magic and carry their version (>= 45) there, the same rule
 * csig_file_open applies.
 * @param buf  the file's first bytes; untrusted; NULL only with @len 0.
 * @param len  how many there are.
 * @return a csig_sniff_kind; CSIG_SNIFF_UNKNOWN for anything else, for
 *   NULL and for inputs too short to tell.  Never fails.
 */
CSIG_API int csig_sniff(const void *buf, size_t len);

/** "macho", "fat", "profile-cms", "plist", "zip", "requirement",
 *  "signature" or "unknown".  Static; never NULL. */
CSIG_API const char *csig_sniff_name(int kind);

/**
 * The record of one Mach-O file ("type": "macho"): "path", "format" (thin,
 * fat), "size", top-level facts of the first signed slice ("identifier",
 * "team", "signature": cms/adhoc/none, "flags", "cdhash", "signer",
 * "entitlement_keys", "expires" = the signing certificate's notAfter and
 * "chain_expires" = the earliest notAfter in its chain), "cdhashes" (the
 * best cdhash of every signed slice), "slices" (per slice: arch, filetype,
 * signature, identifier, team, hash type, cdhash of every CodeDirectory,
 * flags, runtime version), "findings" (ids of the structural findings) and,
 * when @vr is given, "verdict" ("valid" / "invalid"), "errors" and
 * "warnings" (distinct finding ids) and "bytes_hashed".
 * @param f     the file (only read).
 * @param path  the path to print; NULL leaves "path" out.  Any bytes
 *              (invalid UTF-8 is escaped).
 * @param vr    a result of csig_verify on @f, or NULL when not verified.
 * @param flags 0 or CSIG_SCAN_JSON_PRETTY.
 * @param out   receives the text; release with csig_free().  NULL on failure.
 * @param len   nullable; receives strlen(*out).
 * @return CSIG_OK; CSIG_E_INVAL (NULL @f or @out); CSIG_E_NOMEM.
 */
CSIG_API int csig_scan_record_json(const csig_file *f, const char *path,
				   const csig_verify_result *vr, unsigned flags,
				   char **out, size_t *len, csig_error *err);

/**
 * The record of one provisioning profile ("type": "profile"): "path",
 * "container" (cms, xml, binary), "name", "uuid", "app_id_name", "team" and
 * "team_name", "kind", "platforms", "devices" (count), "entitlement_keys",
 * "created", "expires", "certs" (subject CN, team, notAfter of every
 * DeveloperCertificate) and "verdict" with "days_to_expiry" as judged by
 * csig_profile_check at @at (which also checks the CMS signature: profiles
 * are small, so this costs little).
 * @param at  Unix seconds at which to judge; 0 = now.
 * @return CSIG_OK; CSIG_E_INVAL (NULL @p or @out); CSIG_E_NOMEM; the errors
 *   of csig_profile_check.
 */
CSIG_API int csig_scan_profile_json(const csig_profile *p, const char *path, int64_t at,
				    unsigned flags, char **out, size_t *len,
				    csig_error *err);

/**
 * The record of one bundle directory or .ipa ("type": "bundle" or "ipa"):
 * "path", "layout", "identifier", "main_executable", "codeless", "nested"
 * (count of nested bundles), the facts of the main executable's signature as
 * in csig_scan_record_json ("identifier" of the bundle wins) and, when @r is
 * given (csig_bundle_verify), "verdict", "errors", "warnings",
 * "files_hashed" and "bytes_hashed".
 * @return CSIG_OK; CSIG_E_INVAL (NULL @b or @out); CSIG_E_NOMEM.
 */
CSIG_API int csig_scan_bundle_json(const csig_bundle *b, const char *path,
				   const csig_bundle_result *r, unsigned flags,
				   char **out, size_t *len, csig_error *err);

/**
 * The record of an item that could not be read or parsed ("type": "error"):
 * "path", "code" (the CSIG_E_* name), "message" (@detail's message when it
 * has one, else csig_strerror(@code)) and "offset" when non-zero.
 * @param code    the negative CSIG_E_* code the failing call returned.
 * @param detail  that call's csig_error, or NULL.
 * @return CSIG_OK; CSIG_E_INVAL (NULL @out); CSIG_E_NOMEM.
 */
CSIG_API int csig_scan_error_json(const char *path, int code, const csig_error *detail,
				  unsigned flags, char **out, size_t *len,
				  csig_error *err);

/* Totals of a scan (csig_scan_summary_json).  Versioned value type. */
#define CSIG_SCAN_COUNTS_VERSION 1
typedef struct csig_scan_counts {
	unsigned int version;  /* CSIG_SCAN_COUNTS_VERSION */
	uint64_t files;        /* regular files looked at (sniffed) */
	uint64_t bytes;        /* their total size (st_size) */
	uint64_t records;      /* item records written (errors included) */
	uint64_t macho;        /* "macho" records */
	uint64_t profiles;     /* "profile" records */
	uint64_t bundles;      /* "bundle" and "ipa" records */
	uint64_t other;        /* files recognised as nothing we report on */
	uint64_t errors;       /* "error" records: unreadable, vanished, broken */
	uint64_t skipped;      /* symbolic links, special files, other mounts */
	uint64_t valid;        /* verdicts, when verified */
	uint64_t invalid;
	uint64_t bytes_hashed; /* by verification */
	double seconds;        /* wall time of the scan */
	unsigned int jobs;     /* worker threads */
	int verified;          /* 1 when the items were verified */
} csig_scan_counts;
#define CSIG_SCAN_COUNTS_INIT { CSIG_SCAN_COUNTS_VERSION, 0, 0, 0, 0, 0, 0, 0, 0, \
				0, 0, 0, 0, 0.0, 0, 0 }

/**
 * The closing object of a scan: "type": "summary", "schema", every count of
 * @c, "files_per_s" and "bytes_per_s" (when seconds > 0).
 * @return CSIG_OK; CSIG_E_INVAL (NULL argument, unknown @c->version);
 *   CSIG_E_NOMEM.
 */
CSIG_API int csig_scan_summary_json(const csig_scan_counts *c, unsigned flags,
				    char **out, size_t *len, csig_error *err);

#ifdef __cplusplus
}
#endif
#endif
