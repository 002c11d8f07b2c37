/*
 * csig/plist.h - property lists: XML, binary (bplist00) and DER.
 *
 * Model.  csig_plist_parse() reads one property list and builds an
 * immutable tree owned by an opaque csig_plist document.  The tree is made
 * of nodes (const csig_pval *) borrowed from the document: every node pointer
 * stays valid until csig_plist_free().  A node has a type (csig_pval_type)
 * and typed getters; containers are walked by index (dictionary entries keep
 * the order of the input, duplicates included) or looked up by key.
 *
 * Three encodings are recognised by their first bytes:
 *   - XML ("<?xml", "<!DOCTYPE", "<plist", a BOM, ...) as Apple's
 *     CFPropertyList writes and reads it;
 *   - binary "bplist00";
 *   - DER, the CoreEntitlements encoding of entitlements (blob 0xfade7172
 *     payload) and of launch/library constraints (0xfade8181 payload):
 *     [APPLICATION 16] { INTEGER version, value }.
 *
 * Findings.  Documents that parse but that Apple's parsers could read
 * differently (duplicate keys, comments inside <key>, odd whitespace in tags,
 * BOMs, invalid or overlong UTF-8, unknown tags, unsorted DER keys, non-
 * minimal DER, ...: the "Psychic Paper" class) are not errors.  They are
 * recorded as findings, listed by csig_plist_finding_count/csig_plist_finding.
 *
 * Values.  Strings are UTF-8 (UTF-16 strings of binary plists are converted;
 * XML entities and CDATA are resolved) and are always followed by a NUL in
 * memory, though they may contain NULs too: use the length.  Integers cover
 * the whole int64 range plus unsigned values up to UINT64_MAX.  Dates are
 * seconds since the Unix epoch (binary plists store seconds since 2001 as a
 * double; the fraction is kept).  Sets of binary plists read as arrays.
 *
 * Limits.  Nesting deeper than opts->max_depth (CSIG_LIMIT_DEPTH_DEFAULT) fails
 * with CSIG_E_DEPTH; more than opts->max_count (CSIG_LIMIT_COUNT_DEFAULT)
 * nodes in one document (counted as a tree: binary plists may share objects)
 * fails with CSIG_E_LIMIT.
 *
 * Ownership.  The document copies the input, so the caller may release its
 * buffer as soon as csig_plist_parse() returns.
 *
 * Threading.  A document never changes after parsing: any number of threads
 * may read one document at once.
 */
#ifndef CSIG_PLIST_H
#define CSIG_PLIST_H

#include "csig/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct csig_plist csig_plist;
typedef struct csig_pval csig_pval;

typedef enum {
	CSIG_PVAL_DICT = 1,
	CSIG_PVAL_ARRAY = 2,   /* also binary-plist sets */
	CSIG_PVAL_STRING = 3,
	CSIG_PVAL_INTEGER = 4,
	CSIG_PVAL_REAL = 5,
	CSIG_PVAL_BOOL = 6,
	CSIG_PVAL_DATE = 7,
	CSIG_PVAL_DATA = 8,
	CSIG_PVAL_UID = 9      /* binary plists only (NSKeyedArchiver) */
} csig_pval_type;

/* Encodings; also the bits of csig_plist_parse()'s flags. */
#define CSIG_PLIST_XML 0x1u
#define CSIG_PLIST_BINARY 0x2u
#define CSIG_PLIST_DER 0x4u
#define CSIG_PLIST_ANY 0x0u    /* auto-detect among all three */

/* Finding codes (csig_plist_finding). Pinned; only appended. */
typedef enum {
	CSIG_PLIST_F_DUPLICATE_KEY = 1,    /* a dictionary key appears twice */
	CSIG_PLIST_F_COMMENT_IN_TEXT = 2,  /* comment or PI inside <key>/<string>/... */
	CSIG_PLIST_F_ODD_COMMENT = 3,      /* comment with "--" inside or "-->" ambiguity */
	CSIG_PLIST_F_WHITESPACE = 4,       /* whitespace inside a tag, e.g. "<key >" */
	CSIG_PLIST_F_BOM = 5,              /* byte-order mark before the document */
	CSIG_PLIST_F_BAD_UTF8 = 6,         /* invalid, overlong or surrogate UTF-8 */
	CSIG_PLIST_F_ENCODING = 7,         /* XML declaration names a non-UTF-8 encoding */
	CSIG_PLIST_F_UNKNOWN_TAG = 8,      /* an element the plist DTD lacks (skipped) */
	CSIG_PLIST_F_UNSORTED_KEYS = 9,    /* DER dictionary keys not in byte order */
	CSIG_PLIST_F_NONCANONICAL = 10,    /* non-minimal DER/ints, odd base64, ... */
	CSIG_PLIST_F_ATTRIBUTE = 11,       /* unexpected attribute on an element */
	CSIG_PLIST_F_VERSION = 12,         /* DER version not 1, bplist oddities */
	CSIG_PLIST_F_TRAILING = 13,        /* content after the root value */
	CSIG_PLIST_F_TRUNCATED_LIST = 14   /* too many findings; later ones dropped */
} csig_plist_finding_code;

/**
 * Parse a property list.
 * @param out   receives the document; free with csig_plist_free().
 * @param buf   input bytes; untrusted; copied.
 * @param len   length of @buf.
 * @param flags CSIG_PLIST_ANY, or an OR of CSIG_PLIST_XML/_BINARY/_DER to
 *              restrict the encodings accepted.
 * @param opts  NULL for defaults (max_depth, max_count; flags ignored).
 * @param err   optional detail (offsets are offsets into @buf).
 * @return CSIG_OK; CSIG_E_INVAL (NULL out, NULL buf with len > 0, bad opts
 *   version); CSIG_E_BADMAGIC (no accepted encoding recognised);
 *   CSIG_E_TRUNCATED, CSIG_E_BADOFFSET, CSIG_E_OVERFLOW (binary offsets and
 *   DER lengths outside the input); CSIG_E_SYNTAX (malformed XML);
 *   CSIG_E_BADVALUE (bad integer, date, entity, object type, cycle, ...);
 *   CSIG_E_UNSUPPORTED (e.g. bplist null, high-tag DER); CSIG_E_TRAILING
 *   (bytes after DER/binary content); CSIG_E_DEPTH; CSIG_E_LIMIT; CSIG_E_NOMEM.
 *   On failure *out is NULL.
 */
CSIG_API int csig_plist_parse(csig_plist **out, const void *buf, size_t len,
			      unsigned flags, const csig_open_options *opts,
			      csig_error *err);

/** Release a document and every node of it.  NULL ok. */
CSIG_API void csig_plist_free(csig_plist *doc);

/** Root node; never NULL for a parsed document (NULL only for doc == NULL). */
CSIG_API const csig_pval *csig_plist_root(const csig_plist *doc);

/** CSIG_PLIST_XML, CSIG_PLIST_BINARY or CSIG_PLIST_DER; 0 for NULL. */
CSIG_API unsigned csig_plist_format(const csig_plist *doc);

/** The exact input bytes (the document's copy), e.g. for hashing. */
CSIG_API csig_bytes csig_plist_source(const csig_plist *doc);

/** Number of findings recorded while parsing. */
CSIG_API size_t csig_plist_finding_count(const csig_plist *doc);

/**
 * Finding @i.  Any output pointer may be NULL.  @msg is borrowed from the
 * document.  @offset is the input offset the finding is about.
 * @return CSIG_OK; CSIG_E_INVAL (NULL doc); CSIG_E_NOTFOUND (i out of range).
 */
CSIG_API int csig_plist_finding(const csig_plist *doc, size_t i, int *code,
				uint64_t *offset, const char **msg);

/** Short stable name of a finding code ("duplicate-key"); never NULL. */
CSIG_API const char *csig_plist_finding_name(int code);

/* ---- nodes ---- */

/** Type of @v; 0 for NULL. */
CSIG_API csig_pval_type csig_pval_type_of(const csig_pval *v);
/** Name of a type ("dict", "array", "string", ...); "?" when unknown. */
CSIG_API const char *csig_pval_type_name(int type);
/** Input offset where @v starts (0 for NULL). */
CSIG_API uint64_t csig_pval_offset(const csig_pval *v);

/**
 * Typed getters.  Each returns CSIG_OK and fills *out, or CSIG_E_INVAL
 * (NULL argument) / CSIG_E_BADVALUE (@v has another type).
 * csig_pval_int fails with CSIG_E_OVERFLOW for integers above INT64_MAX;
 * csig_pval_uint fails with CSIG_E_OVERFLOW for negative integers.
 * csig_pval_date gives whole seconds (rounded toward -inf);
 * csig_pval_date_real keeps the fraction.
 * Strings and data are borrowed views (ptr is never NULL for these types).
 */
CSIG_API int csig_pval_string(const csig_pval *v, csig_bytes *out);
CSIG_API int csig_pval_int(const csig_pval *v, int64_t *out);
CSIG_API int csig_pval_uint(const csig_pval *v, uint64_t *out);
CSIG_API int csig_pval_real(const csig_pval *v, double *out);
CSIG_API int csig_pval_bool(const csig_pval *v, int *out);
CSIG_API int csig_pval_date(const csig_pval *v, int64_t *out);
CSIG_API int csig_pval_date_real(const csig_pval *v, double *out);
CSIG_API int csig_pval_data(const csig_pval *v, csig_bytes *out);
CSIG_API int csig_pval_uid(const csig_pval *v, uint64_t *out);

/**
 * String (or key) as a NUL-terminated C string; NULL when @v is not a
 * string.  *len (if non-NULL) receives the length, which is what counts if
 * the string contains NULs.  Borrowed.
 */
CSIG_API const char *csig_pval_cstr(const csig_pval *v, size_t *len);

/** Number of entries of a dict or items of an array; 0 for other types. */
CSIG_API size_t csig_pval_count(const csig_pval *v);
/** Key (a string node) / value of dict entry @i; NULL if out of range. */
CSIG_API const csig_pval *csig_pval_dict_key(const csig_pval *v, size_t i);
CSIG_API const csig_pval *csig_pval_dict_value(const csig_pval *v, size_t i);
/**
 * Value for @key in dict @v, or NULL (absent, or @v not a dict).  With
 * duplicate keys the last entry wins, as in CFPropertyList.
 */
CSIG_API const csig_pval *csig_pval_dict_get(const csig_pval *v, const char *key);
CSIG_API const csig_pval *csig_pval_dict_getn(const csig_pval *v, const char *key,
					      size_t keylen);
/** Item @i of array @v; NULL if out of range or @v not an array. */
CSIG_API const csig_pval *csig_pval_array_item(const csig_pval *v, size_t i);

/* ---- serializers ---- */

/**
 * Write @v (NULL: the document root) as an Apple-style XML plist (tab
 * indentation, DOCTYPE, trailing newline).  UIDs are written as
 * <dict><key>CF$UID</key><integer>n</integer></dict>, as CF does.
 * @param out receives the text, NUL-terminated; release with csig_free().
 * @return CSIG_OK; CSIG_E_INVAL (NULL doc or out); CSIG_E_NOMEM.
 */
CSIG_API int csig_plist_to_xml(const csig_plist *doc, const csig_pval *v,
			       char **out, size_t *len, csig_error *err);

/**
 * Write @v (NULL: the document root) as indented human-readable text:
 * dicts as { "key" = value; }, arrays as ( a, b ), data as <hex>, dates as
 * RFC 3339.  Release with csig_free().
 * @return CSIG_OK; CSIG_E_INVAL; CSIG_E_NOMEM.
 */
CSIG_API int csig_plist_to_text(const csig_plist *doc, const csig_pval *v,
				char **out, size_t *len, csig_error *err);

/**
 * Write @v (NULL: the root) as JSON (data as base64, dates as RFC 3339 UTC
 * strings, integers exact, UIDs as {"CF$UID": n}).  Release with csig_free().
 * @return CSIG_OK; CSIG_E_INVAL; CSIG_E_NOMEM; CSIG_E_DEPTH (deeper than the
 * JSON writer allows).
 */
CSIG_API int csig_plist_to_json(const csig_plist *doc, const csig_pval *v,
				int pretty, char **out, size_t *len,
				csig_error *err);

#ifdef __cplusplus
}
#endif
#endif /* CSIG_PLIST_H */
