/*
 * csig/codedir.h - the embedded code signature: SuperBlob, blobs,
 * CodeDirectories, cdhashes, and offline verification.
 *
 * Model.  Each signed slice of a csig_file has one csig_sig: the SuperBlob
 * (0xfade0cc0) found through LC_CODE_SIGNATURE, its index of blobs, and
 * every CodeDirectory (slot 0 and the alternates 0x1000-0x1004).  An
 * unknown or broken blob is reported on that blob (csig_blob.status) and
 * does not fail the signature or the file.
 *
 * Verification (csig_verify) recomputes code-page hashes of every
 * CodeDirectory of every slice, the special slots of embedded blobs and of
 * the __TEXT,__info_plist section, and checks identifier and team
 * consistency.  Results are data: the call succeeds and the result lists
 * every finding with its location; it never stops at the first.
 *
 * Ownership.  csig_sig, csig_codedir and csig_blob pointers are borrowed
 * from the csig_file.  A csig_verify_result is owned by the caller
 * (csig_verify_result_free).
 *
 * Threading.  All getters are safe from many threads on one csig_file;
 * csig_verify only reads the file and may itself run worker threads.
 */
#ifndef CSIG_CODEDIR_H
#define CSIG_CODEDIR_H

#include "csig/common.h"
#include "csig/macho.h"
#include "csig/cms.h"
#include "csig/plist.h"
#include "csig/req.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct csig_sig csig_sig;
typedef struct csig_codedir csig_codedir;
typedef struct csig_verify_result csig_verify_result;

/* CodeDirectory hash types (hashType byte). */
typedef enum {
	CSIG_HASHTYPE_NONE = 0,
	CSIG_HASHTYPE_SHA1 = 1,
	CSIG_HASHTYPE_SHA256 = 2,
	CSIG_HASHTYPE_SHA256_TRUNCATED = 3,
	CSIG_HASHTYPE_SHA384 = 4,
	CSIG_HASHTYPE_SHA512 = 5
} csig_hash_type;

/* Slot (index type) numbers of the embedded SuperBlob. */
#define CSIG_SLOT_CODEDIRECTORY 0u
#define CSIG_SLOT_INFO 1u
#define CSIG_SLOT_REQUIREMENTS 2u
#define CSIG_SLOT_RESOURCEDIR 3u
#define CSIG_SLOT_APPLICATION 4u
#define CSIG_SLOT_ENTITLEMENTS 5u
#define CSIG_SLOT_REPSPECIFIC 6u
#define CSIG_SLOT_DER_ENTITLEMENTS 7u
#define CSIG_SLOT_LAUNCH_CONSTRAINT_SELF 8u
#define CSIG_SLOT_LAUNCH_CONSTRAINT_PARENT 9u
#define CSIG_SLOT_LAUNCH_CONSTRAINT_RESPONSIBLE 10u
#define CSIG_SLOT_LIBRARY_CONSTRAINT 11u
#define CSIG_SLOT_ALTERNATE_CD 0x1000u   /* 0x1000 - 0x1004 */
#define CSIG_SLOT_SIGNATURE 0x10000u     /* CMS in a BlobWrapper */
#define CSIG_SLOT_IDENTIFICATION 0x10001u
#define CSIG_SLOT_TICKET 0x10002u

/* Blob magics. */
#define CSIG_MAGIC_REQUIREMENT 0xfade0c00u
#define CSIG_MAGIC_REQUIREMENTS 0xfade0c01u
#define CSIG_MAGIC_CODEDIRECTORY 0xfade0c02u
#define CSIG_MAGIC_EMBEDDED_SIGNATURE 0xfade0cc0u
#define CSIG_MAGIC_DETACHED_SIGNATURE 0xfade0cc1u
#define CSIG_MAGIC_BLOBWRAPPER 0xfade0b01u
#define CSIG_MAGIC_ENTITLEMENTS 0xfade7171u
#define CSIG_MAGIC_DER_ENTITLEMENTS 0xfade7172u
#define CSIG_MAGIC_LAUNCH_CONSTRAINT 0xfade8181u

/* One SuperBlob index entry.  Owned by the library; fields may be appended. */
typedef struct csig_blob {
	uint32_t type;      /* slot number */
	uint32_t offset;    /* from the SuperBlob start */
	uint32_t magic;     /* 0 when unreadable */
	uint32_t length;    /* the blob's own length field */
	uint64_t file_offset; /* absolute */
	csig_bytes bytes;   /* the whole blob (empty when out of bounds) */
	const char *name;   /* "CodeDirectory", "Requirements", ... */
	int status;         /* CSIG_OK, or why the blob is broken */
} csig_blob;

/* ---- signature ---- */
/** The slice's embedded signature, or NULL when it has none or it is unreadable. */
CSIG_API const csig_sig *csig_slice_signature(const csig_slice *s);
/** The SuperBlob bytes (its own length). */
CSIG_API csig_bytes csig_sig_bytes(const csig_sig *sig);
CSIG_API uint64_t csig_sig_file_offset(const csig_sig *sig);
CSIG_API size_t csig_sig_blob_count(const csig_sig *sig);
CSIG_API const csig_blob *csig_sig_blob(const csig_sig *sig, size_t i);
/** First blob of slot @type, or NULL. */
CSIG_API const csig_blob *csig_sig_find_blob(const csig_sig *sig, uint32_t type);
/** CodeDirectories: slot 0 first, then the alternates in slot order. */
CSIG_API size_t csig_sig_cd_count(const csig_sig *sig);
CSIG_API const csig_codedir *csig_sig_cd(const csig_sig *sig, size_t i);
/** Apple's best CD: SHA-384 > SHA-256 > SHA-256-truncated > SHA-1; NULL if none. */
CSIG_API const csig_codedir *csig_sig_best_cd(const csig_sig *sig);
/**
 * The CMS payload of slot 0x10000 (inside its BlobWrapper).
 * @return CSIG_OK; CSIG_E_NOTFOUND when there is no such slot or the wrapper
 *   is empty (ad-hoc signing).
 */
CSIG_API int csig_sig_cms(const csig_sig *sig, csig_bytes *out);
/**
 * The CMS of slot 0x10000, parsed when the file was opened (borrowed), or
 * NULL when there is none, the wrapper is empty (ad hoc), or it does not
 * parse (then a "cms-malformed" finding says why).
 */
CSIG_API const csig_cms *csig_sig_cms_parsed(const csig_sig *sig);
/**
 * Entitlements parsed when the file was opened (borrowed; see csig/ent.h):
 * the XML blob of slot 5 (its original bytes via csig_plist_source), the DER
 * blob of slot 7, and the launch/library constraints of slots 8-11.
 * NULL when absent or unparseable (then a "plist-malformed" finding says why).
 */
CSIG_API const csig_plist *csig_sig_entitlements(const csig_sig *sig);
/**
 * The internal requirements (slot 2) parsed when the file was opened
 * (borrowed; see csig/req.h), or NULL when absent or unparseable (then a
 * "requirements-malformed" finding says why).
 */
CSIG_API const csig_reqset *csig_sig_requirements(const csig_sig *sig);
/**
 * Evaluate @req against slice @s: identifier, team and platform of its best
 * CodeDirectory, every cdhash, the CMS certificate chain (subject fields,
 * extensions, policies; the anchor counts as Apple only when the signature
 * is intact and chains to a pinned Apple root), the entitlements, and the
 * Info.plist keys of @info_plist when given (NULL otherwise: info[] clauses
 * see absent keys).  Notarization, trust settings and `legacy` cannot be
 * known offline and evaluate indeterminate.
 * @param out receives the result (csig_req_result_free).
 * @return CSIG_OK whatever the verdict; CSIG_E_INVAL; CSIG_E_NOMEM;
 *   the evaluator's errors (CSIG_E_DEPTH, CSIG_E_UNSUPPORTED).
 */
CSIG_API int csig_req_eval_slice(const csig_req *req, const csig_slice *s,
				 const csig_plist *info_plist,
				 csig_req_result **out, csig_error *err);
CSIG_API const csig_plist *csig_sig_entitlements_der(const csig_sig *sig);
CSIG_API const csig_plist *csig_sig_constraint(const csig_sig *sig, uint32_t slot);

/* ---- CodeDirectory ---- */
CSIG_API uint32_t csig_codedir_slot(const csig_codedir *cd);
CSIG_API csig_bytes csig_codedir_bytes(const csig_codedir *cd);
CSIG_API uint32_t csig_codedir_version(const csig_codedir *cd);
CSIG_API uint32_t csig_codedir_flags(const csig_codedir *cd);
CSIG_API int csig_codedir_hash_type(const csig_codedir *cd);
CSIG_API unsigned csig_codedir_hash_size(const csig_codedir *cd);
/** log2 of the page size; 0 means one page covering everything. */
CSIG_API unsigned csig_codedir_page_shift(const csig_codedir *cd);
CSIG_API uint32_t csig_codedir_n_special_slots(const csig_codedir *cd);
CSIG_API uint32_t csig_codedir_n_code_slots(const csig_codedir *cd);
/** Signing limit: codeLimit64 when set (v >= 0x20300), else codeLimit. */
CSIG_API uint64_t csig_codedir_code_limit(const csig_codedir *cd);
CSIG_API uint8_t csig_codedir_platform(const csig_codedir *cd);
/** Identifier (NUL-terminated, inside the input). */
CSIG_API const char *csig_codedir_identifier(const csig_codedir *cd);
/** Team identifier, or NULL when absent. */
CSIG_API const char *csig_codedir_team_id(const csig_codedir *cd);
/** Exec segment (v >= 0x20400). @return CSIG_OK or CSIG_E_NOTFOUND. */
CSIG_API int csig_codedir_exec_segment(const csig_codedir *cd, uint64_t *base,
				       uint64_t *limit, uint64_t *flags);
/** Hardened-runtime version (v >= 0x20500), 0 when absent. */
CSIG_API uint32_t csig_codedir_runtime(const csig_codedir *cd);
/**
 * Stored hash of slot @slot: code slots are 0..n-1, special slots -1..-n.
 * @return CSIG_OK; CSIG_E_NOTFOUND when out of range.
 */
CSIG_API int csig_codedir_slot_hash(const csig_codedir *cd, int slot, csig_bytes *out);
/** The 20-byte cdhash (truncated digest of the whole CD with its own hash type). */
CSIG_API void csig_codedir_cdhash(const csig_codedir *cd, uint8_t out[20]);
/**
 * The untruncated cdhash; *len receives 20, 32, 48 or 64.
 * @return CSIG_OK or CSIG_E_UNSUPPORTED for an unknown hash type.
 */
CSIG_API int csig_codedir_cdhash_full(const csig_codedir *cd, uint8_t out[64], size_t *len);

/* ---- names and hashing ---- */
/** "sha1", "sha256", "sha256-truncated", "sha384", "sha512", or NULL. */
CSIG_API const char *csig_hash_type_name(int hash_type);
/** "CodeDirectory", "Requirements", ..., or NULL for an unknown slot. */
CSIG_API const char *csig_slot_name(uint32_t type);
/** codesign's text for CD flags, e.g. "adhoc,linker-signed" (unknown bits as 0x...). */
CSIG_API char *csig_cd_flags_string(uint32_t flags, char *buf, size_t n);
/** Exec-segment flags, e.g. "MAIN_BINARY,ALLOW_UNSIGNED". */
CSIG_API char *csig_execseg_flags_string(uint64_t flags, char *buf, size_t n);
/**
 * Digest @len bytes with @hash_type into @out (at least 64 bytes).
 * *out_len receives the digest size (20 for SHA-256-truncated).
 * @return CSIG_OK; CSIG_E_INVAL; CSIG_E_UNSUPPORTED.
 */
CSIG_API int csig_digest(int hash_type, const void *data, size_t len,
			 uint8_t out[64], size_t *out_len);

/* ---- verification ---- */
#define CSIG_VERIFY_OPTIONS_VERSION 1
#define CSIG_VERIFY_ONE_SLICE 0x1u        /* verify only options.slice */
#define CSIG_VERIFY_CHECK_EXPIRATION 0x2u /* expired certificates are fatal */
typedef struct csig_verify_options {
	unsigned int version; /* CSIG_VERIFY_OPTIONS_VERSION */
	unsigned int flags;   /* CSIG_VERIFY_* */
	unsigned int jobs;    /* page-hashing threads; 0 = number of cores */
	unsigned int slice;   /* with CSIG_VERIFY_ONE_SLICE */
	/*
	 * Unix seconds at which certificate validity is judged; 0 means Apple's
	 * default: the secure timestamp when one verifies, else now.
	 */
	int64_t at_time;
} csig_verify_options;
#define CSIG_VERIFY_OPTIONS_INIT { CSIG_VERIFY_OPTIONS_VERSION, 0, 0, 0, 0 }

/**
 * Verify every slice of @f.
 * @param out   receives the result; free with csig_verify_result_free().
 * @param opts  NULL for defaults.
 * @return CSIG_OK (whatever the verdict); CSIG_E_INVAL (NULL argument,
 *   unknown options version, slice out of range); CSIG_E_NOMEM.
 * Findings of other slices are left out with CSIG_VERIFY_ONE_SLICE.
 */
CSIG_API int csig_verify(csig_verify_result **out, const csig_file *f,
			 const csig_verify_options *opts, csig_error *err);
CSIG_API void csig_verify_result_free(csig_verify_result *r);
/**
 * 1 when valid: no finding has CSIG_SEV_ERROR.  That means every slice is
 * signed, every hash present matches, no covered blob is missing or broken,
 * and, for CMS-signed code, the CMS verifies, binds to the CodeDirectories
 * and chains to an Apple root (see csig(1) FINDINGS for the list).
 */
CSIG_API int csig_verify_result_valid(const csig_verify_result *r);
CSIG_API size_t csig_verify_result_count(const csig_verify_result *r);
CSIG_API const csig_finding *csig_verify_result_finding(const csig_verify_result *r, size_t i);
/** Pages hashed and bytes hashed, for progress and benchmarks. */
CSIG_API uint64_t csig_verify_result_bytes_hashed(const csig_verify_result *r);

#ifdef __cplusplus
}
#endif
#endif /* CSIG_CODEDIR_H */
