/*
 * csig/req.h - code requirements: decode, decompile, compile, evaluate.
 *
 * Model.  A code requirement is a small program in Apple's binary form: a
 * 0xfade0c00 blob whose `kind` is 1 (an expression in prefix notation) or 2
 * (a "lightweight code requirement" carrying DER, which libcsig identifies
 * but does not interpret).  A requirement set is a 0xfade0c01 SuperBlob of
 * requirement blobs indexed by type (host 1, guest 2, designated 3, library
 * 4, plugin 5); it lives in slot 2 of an embedded signature or in a bundle's
 * _CodeSignature/CodeRequirements file.
 *
 * csig_req_parse and csig_reqset_parse decode and validate every opcode and
 * match operation; csig_req_to_text prints the text Apple's decompiler
 * (`codesign -d -r-`, `csreq -t`) prints, byte for byte, with one documented
 * deviation: dates print as `timestamp "YYYYMMDDhhmmssZ"`, which the grammar
 * accepts, instead of an NSDate description.  csig_req_compile turns
 * requirement text back into Apple's binary form.  csig_req_eval judges a
 * requirement against facts the caller supplies in a csig_req_ctx (no I/O,
 * no network): the answer is three-valued (satisfied, not satisfied,
 * indeterminate) and comes with a trace, one entry per clause.
 *
 * Limits.  Expressions nest at most CSIG_REQ_DEPTH_MAX (1000, Apple's
 * interpreter stack limit) levels, or csig_open_options.max_depth when that
 * is non-zero and lower; deeper input fails with CSIG_E_DEPTH.
 *
 * Ownership.  Parsing copies the input: the caller's buffer may be released
 * as soon as the call returns.  Handles are freed with their _free function
 * (NULL ok).  A csig_req obtained from a csig_reqset is borrowed from the set.
 * Strings and byte buffers returned through `char **` / `uint8_t **` belong to
 * the caller and are released with csig_free().
 *
 * Threading.  Handles are immutable after creation: any number of threads may
 * use one csig_req, csig_reqset or csig_req_result at once.  csig_req_eval is
 * thread-safe as long as the callbacks in the context are.
 *
 * Untrusted input.  Blobs and text are hostile: every length is checked,
 * recursion is bounded, and failures return a negative CSIG_E_* code.
 */
#ifndef CSIG_REQ_H
#define CSIG_REQ_H

#include <stddef.h>
#include <stdint.h>
#include "csig/common.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CSIG_REQ_MAGIC 0xfade0c00u      /* one requirement */
#define CSIG_REQSET_MAGIC 0xfade0c01u   /* requirement set (SuperBlob) */
#define CSIG_REQ_DEPTH_MAX 1000u        /* nesting cap (Apple's stackLimit) */

/* Requirement blob kinds. */
#define CSIG_REQ_KIND_EXPR 1u           /* expression in prefix notation */
#define CSIG_REQ_KIND_LWCR 2u           /* lightweight code requirement (DER) */

/* Requirement types (SecRequirementType), the index type in a set. */
#define CSIG_REQ_TYPE_INVALID 0u
#define CSIG_REQ_TYPE_HOST 1u
#define CSIG_REQ_TYPE_GUEST 2u
#define CSIG_REQ_TYPE_DESIGNATED 3u
#define CSIG_REQ_TYPE_LIBRARY 4u
#define CSIG_REQ_TYPE_PLUGIN 5u

typedef struct csig_req csig_req;
typedef struct csig_reqset csig_reqset;
typedef struct csig_req_result csig_req_result;

/* ---- decoding ----------------------------------------------------------- */

/**
 * Decode and validate one requirement blob (magic 0xfade0c00).
 * @param out   receives the new handle (set to NULL on failure).
 * @param blob  the blob; @len must equal its length field.
 * @param opts  NULL for defaults; max_depth lowers the nesting cap.
 * @param err   nullable; offsets in it are relative to @blob.
 * @return CSIG_OK; CSIG_E_INVAL (NULL out/blob, bad opts version);
 *   CSIG_E_TRUNCATED (@len below the length field, or an operand ends
 *   early); CSIG_E_TRAILING (@len above the length field, or bytes after the
 *   expression); CSIG_E_BADMAGIC; CSIG_E_BADVALUE (length field below 12);
 *   CSIG_E_UNSUPPORTED (unknown kind, unknown opcode without the
 *   GenericFalse/GenericSkip flags); CSIG_E_DEPTH; CSIG_E_NOMEM.
 * Unknown opcodes carrying a flag are skipped by their size field, as Apple's
 * interpreter does.  Thread-safe.
 */
CSIG_API int csig_req_parse(csig_req **out, const void *blob, size_t len,
			    const csig_open_options *opts, csig_error *err);

/** Release a requirement from csig_req_parse (NULL ok; never one borrowed from a set). */
CSIG_API void csig_req_free(csig_req *req);

/** The blob's kind: CSIG_REQ_KIND_EXPR or CSIG_REQ_KIND_LWCR.  0 for NULL. */
CSIG_API uint32_t csig_req_kind(const csig_req *req);

/** The whole blob, header included.  Borrowed from @req. */
CSIG_API csig_bytes csig_req_raw(const csig_req *req);

/** The DER payload of a kind-2 requirement; empty for kind 1.  Borrowed. */
CSIG_API csig_bytes csig_req_lwcr_der(const csig_req *req);

/**
 * Decompile to Apple's text.  *out is NUL-terminated, not newline-terminated,
 * and released with csig_free; *len (nullable) excludes the NUL.  A kind-2
 * requirement prints as a comment, `/\* lightweight code requirement (N bytes
 * of DER) *\/`.
 * @return CSIG_OK; CSIG_E_INVAL (NULL req/out); CSIG_E_NOMEM.
 */
CSIG_API int csig_req_to_text(const csig_req *req, char **out, size_t *len,
			      csig_error *err);

/**
 * Decode and validate a requirement set (magic 0xfade0c01).  @len must equal
 * the set's length field.  Entries keep their stored order.
 * @return as csig_req_parse, plus CSIG_E_BADOFFSET (an entry outside the set
 *   or inside its index), CSIG_E_LIMIT (more entries than max_count or
 *   CSIG_LIMIT_BLOBS).
 */
CSIG_API int csig_reqset_parse(csig_reqset **out, const void *blob, size_t len,
			       const csig_open_options *opts, csig_error *err);

/** Release a set and every requirement borrowed from it (NULL ok). */
CSIG_API void csig_reqset_free(csig_reqset *set);

/** Number of entries (0 for NULL). */
CSIG_API size_t csig_reqset_count(const csig_reqset *set);

/** Type of entry @i (CSIG_REQ_TYPE_*); 0 when @i is out of range. */
CSIG_API uint32_t csig_reqset_type(const csig_reqset *set, size_t i);

/** Requirement of entry @i, borrowed from @set; NULL when out of range. */
CSIG_API const csig_req *csig_reqset_get(const csig_reqset *set, size_t i);

/** First requirement of @type (e.g. CSIG_REQ_TYPE_DESIGNATED), or NULL. */
CSIG_API const csig_req *csig_reqset_find(const csig_reqset *set, uint32_t type);

/** The whole set blob.  Borrowed from @set. */
CSIG_API csig_bytes csig_reqset_raw(const csig_reqset *set);

/**
 * Decompile a set: one line `"<type> => <requirement>\n"` per entry, as
 * `codesign -d -r-` prints it (types 6 and up print as `/\*unknown type*\/ N`).
 * An empty set gives "".  Ownership as csig_req_to_text.
 * @return CSIG_OK; CSIG_E_INVAL; CSIG_E_NOMEM.
 */
CSIG_API int csig_reqset_to_text(const csig_reqset *set, char **out,
				 size_t *len, csig_error *err);

/** "host", "guest", "designated", "library", "plugin", "invalid" (0), or NULL. */
CSIG_API const char *csig_req_type_name(uint32_t type);

/* ---- compiling ---------------------------------------------------------- */

/**
 * Compile requirement text (Apple's grammar, requirements.grammar) into
 * Apple's binary form.  Text made of `type => requirement` entries compiles
 * to a requirement set (0xfade0c01, entries sorted by type, a later
 * duplicate replacing an earlier one); other text compiles to one
 * requirement (0xfade0c00).  And/or chains are left-associated, as Apple's
 * compiler builds them.
 * Accepted beyond Apple's grammar, so that everything the decompiler prints
 * compiles again: `\\` in strings, 0xHEX as identifier/key/name, any even
 * number of hash digits, `certificate leaftrusted`, `-N` platforms, type
 * `invalid`, certificate keys without a known prefix (compiled as
 * certificate fields, e.g. `email`), `field.0xHEX` for OIDs that are not
 * canonical, and `timestamp "@N"` (seconds since 2001) for dates outside
 * years 0000-9999.  Certificate file paths are not supported.
 * @param text    the text (need not be NUL-terminated), at most 1 MiB.
 * @param out     receives the blob, released with csig_free.
 * @param out_len receives its length.
 * @param is_set  nullable; receives 1 for a set, 0 for one requirement.
 * @param err     nullable; on CSIG_E_SYNTAX the message gives line:column
 *                and err->offset the byte offset in @text.
 * @return CSIG_OK; CSIG_E_INVAL (NULL text/out/out_len); CSIG_E_SYNTAX;
 *   CSIG_E_DEPTH (nesting beyond CSIG_REQ_DEPTH_MAX); CSIG_E_LIMIT (text
 *   longer than 1 MiB); CSIG_E_NOMEM.
 */
CSIG_API int csig_req_compile(const char *text, size_t len, uint8_t **out,
			      size_t *out_len, int *is_set, csig_error *err);

/* ---- evaluating --------------------------------------------------------- */

typedef enum csig_req_verdict {
	CSIG_REQ_NOT_SATISFIED = 0,
	CSIG_REQ_SATISFIED = 1,
	CSIG_REQ_INDETERMINATE = 2  /* needs facts that cannot be known offline */
} csig_req_verdict;

/** "satisfied", "not satisfied", "indeterminate"; "?" otherwise. */
CSIG_API const char *csig_req_verdict_name(csig_req_verdict v);

/* A value from an Info.plist, the entitlements, or a certificate. */
typedef enum csig_req_value_type {
	CSIG_REQ_VAL_ABSENT = 0,  /* no such key */
	CSIG_REQ_VAL_STRING = 1,  /* str/len, UTF-8 */
	CSIG_REQ_VAL_BOOL = 2,    /* boolean */
	CSIG_REQ_VAL_NUMBER = 3,  /* number (integer part) */
	CSIG_REQ_VAL_ARRAY = 4,   /* items/n_items: any element may match */
	CSIG_REQ_VAL_DATE = 5,    /* date: seconds since 2001-01-01 UTC */
	CSIG_REQ_VAL_DATA = 6,    /* str/len as raw bytes */
	CSIG_REQ_VAL_OTHER = 7    /* anything else (a dictionary): only "exists" */
} csig_req_value_type;

typedef struct csig_req_value {
	csig_req_value_type type;
	const char *str;                    /* STRING, DATA */
	size_t len;
	int boolean;                        /* BOOL */
	int64_t number;                     /* NUMBER */
	int64_t date;                       /* DATE */
	const struct csig_req_value *items; /* ARRAY */
	size_t n_items;
} csig_req_value;

/* A subject attribute: short name ("CN", "OU", "O", "C", "L", "ST", "UID",
 * "STREET", "D", ... or "email" for e-mail addresses) and its string value.
 * Repeat an entry for each value of a multi-valued attribute. */
typedef struct csig_req_attr {
	const char *name;       /* NUL-terminated */
	const char *value;      /* value bytes (UTF-8), need not be NUL-terminated */
	size_t value_len;
} csig_req_attr;

/* A certificate extension, by OID content octets (no tag, no length). */
typedef struct csig_req_ext {
	csig_bytes oid;
	int has_date;           /* the value decodes as a date (timestamp.OID) */
	int64_t date;           /* seconds since 2001-01-01 UTC */
} csig_req_ext;

/* What a requirement can ask about one certificate of the chain. */
typedef struct csig_req_cert {
	int has_sha1;                       /* sha1 holds SHA-1 of the DER */
	uint8_t sha1[20];
	const csig_req_attr *subject;
	size_t n_subject;
	const csig_req_ext *extensions;
	size_t n_extensions;
	const csig_bytes *policies;         /* certificate-policy OIDs (content octets) */
	size_t n_policies;
} csig_req_cert;

/* A top-level key of the Info.plist or the entitlements. */
typedef struct csig_req_entry {
	const char *key;                    /* NUL-terminated */
	csig_req_value value;
} csig_req_entry;

/* Optional lookup: fill *out and return 1 if @key exists, else return 0.
 * Values must stay valid until csig_req_eval returns. */
typedef int (*csig_req_lookup_fn)(void *user, const char *key, size_t key_len,
				  csig_req_value *out);

/* Tri-state facts. */
#define CSIG_REQ_FACT_DERIVE 0  /* derive it from the certificate facts */
#define CSIG_REQ_FACT_NO 1
#define CSIG_REQ_FACT_YES 2

#define CSIG_REQ_CTX_VERSION 1
/*
 * The facts a requirement is judged against.  Plain data the caller fills;
 * zero means "not known / not present".  Initialise with CSIG_REQ_CTX_INIT.
 * Missing facts are judged as Apple judges missing data: no certificates
 * makes certificate clauses false, a missing key is absent.
 */
typedef struct csig_req_ctx {
	unsigned int version;       /* CSIG_REQ_CTX_VERSION */
	const char *identifier;     /* CodeDirectory identifier (NUL-terminated) */
	const char *team_id;        /* CodeDirectory team id; reported, not judged */
	uint32_t platform;          /* CodeDirectory platform byte (0 = none) */
	const uint8_t *cdhashes;    /* n_cdhashes x 20 bytes, back to back */
	size_t n_cdhashes;
	const csig_req_cert *certs; /* chain: certs[0] leaf ... last = anchor */
	size_t n_certs;
	int anchor_is_apple;        /* the chain's anchor is an Apple root CA */
	int apple_anchor;           /* CSIG_REQ_FACT_*: chain satisfies `anchor apple` */
	const csig_req_entry *info; /* Info.plist top-level entries */
	size_t n_info;
	csig_req_lookup_fn info_lookup;   /* used instead of info when non-NULL */
	void *info_user;
	const csig_req_entry *entitlements;
	size_t n_entitlements;
	csig_req_lookup_fn entitlement_lookup;
	void *entitlement_user;
} csig_req_ctx;
#define CSIG_REQ_CTX_INIT { CSIG_REQ_CTX_VERSION, NULL, NULL, 0, NULL, 0, NULL, 0, 0, \
		CSIG_REQ_FACT_DERIVE, NULL, 0, NULL, NULL, NULL, 0, NULL, NULL }

/**
 * Evaluate @req against @ctx.  Both operands of and/or are always evaluated,
 * so the trace lists every clause.  and: any false gives false, else any
 * indeterminate gives indeterminate; or: any true gives true, else any
 * indeterminate gives indeterminate; ! keeps indeterminate.  notarized,
 * legacy, trusted-certificate clauses, named anchors and named code are
 * indeterminate (they need Apple services, trust settings or files).  String
 * ordering compares digit runs as numbers (kCFCompareNumerically).
 * `anchor apple` uses ctx->apple_anchor, or when it is CSIG_REQ_FACT_DERIVE:
 * anchor_is_apple, certificate -2 has CN "Apple Code Signing Certification
 * Authority" and O "Apple Inc.", and the leaf has extension
 * 1.2.840.113635.100.6.22 (or .22.1).
 * @param out receives the result (free with csig_req_result_free).
 * @return CSIG_OK (the verdict is data); CSIG_E_INVAL (NULL argument or
 *   unknown ctx version); CSIG_E_NOMEM.  Thread-safe.
 */
CSIG_API int csig_req_eval(const csig_req *req, const csig_req_ctx *ctx,
			   csig_req_result **out, csig_error *err);

/** The overall verdict. */
CSIG_API csig_req_verdict csig_req_result_verdict(const csig_req_result *r);

/** Number of trace entries (one per clause, in text order). */
CSIG_API size_t csig_req_result_trace_count(const csig_req_result *r);

/** Clause text of entry @i as the decompiler prints it; NULL if out of range.
 *  All trace strings are borrowed from @r and NUL-terminated. */
CSIG_API const char *csig_req_result_trace_clause(const csig_req_result *r, size_t i);
/** Actual value(s) found, e.g. `"Developer ID Application: X"`, `absent`. */
CSIG_API const char *csig_req_result_trace_actual(const csig_req_result *r, size_t i);
/** Expected value, e.g. `= "Developer ID Application: X"`, `exists`. */
CSIG_API const char *csig_req_result_trace_expected(const csig_req_result *r, size_t i);
/** Why the verdict is what it is (always set for indeterminate); "" if none. */
CSIG_API const char *csig_req_result_trace_reason(const csig_req_result *r, size_t i);
/** Verdict of the clause itself (before any enclosing `!`). */
CSIG_API csig_req_verdict csig_req_result_trace_verdict(const csig_req_result *r, size_t i);

/** Release a result (NULL ok). */
CSIG_API void csig_req_result_free(csig_req_result *r);

#ifdef __cplusplus
}
#endif
#endif /* CSIG_REQ_H */
