/*
 * csig/json.h - machine-readable documents from the library's own
 * serializer.  The CLI (--json), the Python binding and the Go binding all
 * print these bytes, so every front end agrees.
 *
 * Schema (version CSIG_JSON_SCHEMA_VERSION, documented in csig_json(3)):
 * a top-level object with "schema", "kind", "path"-free file facts and a
 * "slices" array (one entry for a thin file).  Hashes and raw bytes are
 * lowercase hex, dates RFC 3339 UTC, plist data base64.
 *
 * Ownership: *out is allocated by the library; release it with csig_free().
 * Threading: safe on a shared csig_file.
 */
#ifndef CSIG_JSON_PUBLIC_H
#define CSIG_JSON_PUBLIC_H

#include "csig/common.h"
#include "csig/macho.h"
#include "csig/codedir.h"

#ifdef __cplusplus
extern "C" {
#endif

#define CSIG_JSON_SCHEMA_VERSION 1

#define CSIG_JSON_PRETTY 0x1u        /* indent with two spaces */
#define CSIG_JSON_LOAD_COMMANDS 0x2u /* decode every load command */
#define CSIG_JSON_SLOTS 0x4u         /* list every code-slot hash */

/**
 * The "info" document of @f (only slice @slice when @slice >= 0, else all):
 * header, slices, load commands (decoded with
 * CSIG_JSON_LOAD_COMMANDS), signature blobs, CodeDirectories, cdhashes,
 * and the structural findings.
 * @return CSIG_OK; CSIG_E_INVAL (NULL argument, @slice out of range);
 *   CSIG_E_NOMEM.
 */
CSIG_API int csig_file_json(const csig_file *f, int slice, unsigned flags,
			    char **out, size_t *len, csig_error *err);

/**
 * The "verify" document: verdict and every finding of @r (made from @f).
 * @return CSIG_OK; CSIG_E_INVAL; CSIG_E_NOMEM.
 */
CSIG_API int csig_verify_result_json(const csig_verify_result *r,
				     const csig_file *f, unsigned flags,
				     char **out, size_t *len, csig_error *err);

#ifdef __cplusplus
}
#endif
#endif
