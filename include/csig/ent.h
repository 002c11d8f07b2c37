/*
 * csig/ent.h - entitlements and launch constraints.
 *
 * Model.  An entitlements blob is a generic code-signing blob
 * {u32 magic, u32 length} followed by a property list:
 *   0xfade7171  XML plist (slot 5).  The bytes are hashed exactly as stored,
 *               so libcsig never re-serializes them: csig_plist_source()
 *               returns the original payload untouched.
 *   0xfade7172  DER plist (slot 7), CoreEntitlements encoding.
 *   0xfade8181  launch/library constraint: DER plist {ccat, comp, reqs, vers}
 *               (slots 8-11).
 * csig_ent_parse() reads such a blob into a csig_plist (see csig/plist.h)
 * whose root is always a dictionary.  csig_ent_compare() lists where the XML
 * and DER entitlements of one signature disagree; an analyst wants all
 * differences, so they are data, not an error.
 *
 * Ownership.  Documents are released with csig_plist_free(); a difference
 * list with csig_ent_diff_free().  A difference list borrows nodes from both
 * documents it compared and must be freed before them.
 *
 * Threading.  Documents and difference lists are immutable: any number of
 * threads may read them at once.
 */
#ifndef CSIG_ENT_H
#define CSIG_ENT_H

#include "csig/common.h"
#include "csig/plist.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CSIG_ENT_MAGIC_XML 0xfade7171u        /* CSMAGIC_EMBEDDED_ENTITLEMENTS */
#define CSIG_ENT_MAGIC_DER 0xfade7172u        /* CSMAGIC_EMBEDDED_DER_ENTITLEMENTS */
#define CSIG_ENT_MAGIC_CONSTRAINT 0xfade8181u /* CSMAGIC_EMBEDDED_LAUNCH_CONSTRAINT */

/**
 * Parse an entitlements or constraint blob.
 * @param out   receives the document; free with csig_plist_free().
 * @param blob  the whole blob, header included; untrusted; copied.  Bytes
 *              past the blob's own length field are ignored.
 * @param len   bytes available at @blob.
 * @param opts  NULL for defaults (max_depth, max_count).
 * @param err   optional detail; offsets are relative to the blob start.
 * @return CSIG_OK; CSIG_E_INVAL (NULL out or blob); CSIG_E_TRUNCATED (fewer
 *   than 8 bytes, or length field > @len); CSIG_E_BADVALUE (length field < 8,
 *   top level not a dictionary, or any value error of csig_plist_parse);
 *   CSIG_E_BADMAGIC (magic not one of the three above, or a payload that is
 *   not a plist of the kind the magic promises); and every error of
 *   csig_plist_parse().
 */
CSIG_API int csig_ent_parse(csig_plist **out, const void *blob, size_t len,
			    const csig_open_options *opts, csig_error *err);

/** Blob magic the document was read from (0 when not from csig_ent_parse). */
CSIG_API uint32_t csig_ent_magic(const csig_plist *ent);

/** Value of top-level key @key, or NULL (absent / NULL arguments). Borrowed. */
CSIG_API const csig_pval *csig_ent_get(const csig_plist *ent, const char *key);

/**
 * Typed top-level lookups.
 * @return CSIG_OK; CSIG_E_INVAL (NULL argument); CSIG_E_NOTFOUND (no such
 *   key); CSIG_E_BADVALUE (the value has another type).
 */
CSIG_API int csig_ent_get_bool(const csig_plist *ent, const char *key, int *out);
CSIG_API int csig_ent_get_string(const csig_plist *ent, const char *key,
				 csig_bytes *out);
CSIG_API int csig_ent_get_int(const csig_plist *ent, const char *key, int64_t *out);

/** 1 when top-level @key is the boolean true, else 0. */
CSIG_API int csig_ent_is_true(const csig_plist *ent, const char *key);

/* ---- XML vs DER comparison ---- */

typedef enum {
	CSIG_ENT_DIFF_MISSING_IN_XML = 1, /* present in DER only */
	CSIG_ENT_DIFF_MISSING_IN_DER = 2, /* present in XML only */
	CSIG_ENT_DIFF_TYPE = 3,           /* same path, different types */
	CSIG_ENT_DIFF_VALUE = 4           /* same path and type, different value */
} csig_ent_diff_kind;

typedef struct csig_ent_diff csig_ent_diff;

/**
 * Compare two entitlement documents (normally the XML and the DER of one
 * signature), recursively: dictionaries by key (last duplicate wins, as in
 * CFPropertyList), arrays by index.  Differences are reported at the deepest
 * path where they occur.  An empty list means the documents agree.
 * @param out receives the list; free with csig_ent_diff_free() before
 *            either document.
 * @return CSIG_OK; CSIG_E_INVAL (NULL argument); CSIG_E_NOMEM.
 */
CSIG_API int csig_ent_compare(csig_ent_diff **out, const csig_plist *xml,
			      const csig_plist *der, csig_error *err);

/** Number of differences (0 for NULL). */
CSIG_API size_t csig_ent_diff_count(const csig_ent_diff *diffs);

/**
 * Difference @i.  Any output pointer may be NULL.
 * @param kind     csig_ent_diff_kind.
 * @param path     JSON Pointer (RFC 6901) of the value, e.g.
 *                 "/com.apple.security.application-groups/0"; borrowed.
 * @param xml_val  the XML side's value, NULL when missing there; borrowed.
 * @param der_val  the DER side's value, NULL when missing there; borrowed.
 * @return CSIG_OK; CSIG_E_INVAL (NULL diffs); CSIG_E_NOTFOUND (i out of range).
 */
CSIG_API int csig_ent_diff_get(const csig_ent_diff *diffs, size_t i, int *kind,
			       const char **path, const csig_pval **xml_val,
			       const csig_pval **der_val);

/** Name of a difference kind ("missing-in-xml", ...); never NULL. */
CSIG_API const char *csig_ent_diff_kind_name(int kind);

/** Release a difference list.  NULL ok. */
CSIG_API void csig_ent_diff_free(csig_ent_diff *diffs);

#ifdef __cplusplus
}
#endif
#endif /* CSIG_ENT_H */
