/*
 * csig/bundle.h - app bundles, frameworks, extensions and .ipa archives.
 *
 * Model.  A csig_bundle is opened over a bundle directory (Foo.app,
 * Bar.framework, Baz.appex, Qux.bundle, ...) or over an .ipa (a zip holding
 * Payload/<name>.app).  Opening finds the layout (deep macOS "Contents/",
 * versioned framework "Versions/Current", or shallow iOS), reads and parses
 * Info.plist (XML or binary), finds the main executable named by
 * CFBundleExecutable and parses it (csig/macho.h), and opens every nested
 * bundle in the standard nested-code places (Frameworks, SharedFrameworks,
 * PlugIns, Plug-ins, XPCServices, Helpers, Library/LoginItems, Extensions,
 * Watch, AppClips, ...), up to CSIG_BUNDLE_MAX_DEPTH levels.  A bundle
 * without an executable ("code-less") carries a detached signature in
 * _CodeSignature/ (CodeDirectory, CodeRequirements, CodeRequirements-1..5 =
 * alternate CodeDirectories, CodeSignature = CMS, empty for ad hoc).
 *
 * Files are only read (directories are listed, files mapped read-only,
 * archive members extracted into memory); nothing is ever written.
 *
 * Verification (csig_bundle_verify) checks, and reports as findings with the
 * path each one is about (relative to the top bundle):
 *   - the main executable with csig_verify (its findings are included);
 *   - special slot 1 of every CodeDirectory against the raw Info.plist bytes
 *     ("info-plist-mismatch") and slot 3 against the raw
 *     _CodeSignature/CodeResources ("code-resources-mismatch");
 *   - for a code-less bundle, the detached CodeDirectories' code slot (the
 *     Info.plist) and special slots, and the CMS when not ad hoc;
 *   - every seal of CodeResources ("files2", else "files"): changed files
 *     ("resource-modified"), absent ones unless optional
 *     ("resource-missing"), files the rules cover but no seal lists
 *     ("resource-added"), symbolic links pointing elsewhere
 *     ("resource-symlink-mismatch"), nested code whose cdhash differs from
 *     the sealed one ("nested-cdhash-mismatch");
 *   - every nested bundle, recursively ("nested-invalid" when one is
 *     invalid), and nested Mach-O files under Frameworks/ and the like.
 * Results are data: the call succeeds whatever the verdict.
 *
 * Ownership.  Child bundles, the main executable's csig_file, the Info.plist
 * document and every string are borrowed from the top csig_bundle and live
 * until csig_bundle_free.  A csig_bundle_result belongs to the caller.
 *
 * Threading.  A csig_bundle is immutable after open; any number of threads
 * may call getters or csig_bundle_verify on it at once.
 */
#ifndef CSIG_BUNDLE_H
#define CSIG_BUNDLE_H

#include "csig/common.h"
#include "csig/macho.h"
#include "csig/codedir.h"
#include "csig/plist.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct csig_bundle csig_bundle;
typedef struct csig_bundle_result csig_bundle_result;

/* Layouts (csig_bundle_layout). */
typedef enum {
	CSIG_BUNDLE_DEEP = 1,      /* macOS: Foo.app/Contents/{Info.plist,MacOS/...} */
	CSIG_BUNDLE_SHALLOW = 2,   /* iOS and friends: everything at the root */
	CSIG_BUNDLE_VERSIONED = 3  /* macOS framework: Versions/Current -> A */
} csig_bundle_layout_kind;

/* Nesting of bundles inside bundles that csig_bundle_open_path follows. */
#define CSIG_BUNDLE_MAX_DEPTH 8u
/* Bundles opened in total (the top one and every nested one). */
#define CSIG_BUNDLE_MAX_BUNDLES 1024u

/**
 * Open the bundle directory or .ipa archive at @path.
 * @param out  receives the handle; free with csig_bundle_free().  NULL on
 *             failure.
 * @param opts NULL for defaults; max_depth and max_count bound the parsing
 *             of Info.plist, CodeResources and the archive, and max_count
 *             the number of bundle entries walked by verification.
 * @return CSIG_OK;
 *   CSIG_E_INVAL     NULL @out or @path, unknown options version;
 *   CSIG_E_IO        @path cannot be stat'ed, listed or read;
 *   CSIG_E_NOTFOUND  no Info.plist and no _CodeSignature (not a bundle), or
 *                    an archive without exactly one Payload/<name>.app;
 *   CSIG_E_BADVALUE  @path is neither a directory nor a regular file, or an
 *                    archive names a path twice or unsafely ("..", absolute);
 *   CSIG_E_LIMIT, CSIG_E_DEPTH  a path or listing beyond the limits;
 *   zip errors (csig/zip.h) for an archive that does not parse;
 *   CSIG_E_NOMEM.
 * A broken Info.plist, a missing or non-Mach-O main executable or a nested
 * bundle that cannot be opened do not fail the call: verification reports
 * them.
 */
CSIG_API int csig_bundle_open_path(csig_bundle **out, const char *path,
				   const csig_open_options *opts, csig_error *err);

/** Release @b, its nested bundles and everything they hold.  NULL ok. */
CSIG_API void csig_bundle_free(csig_bundle *b);

/** Path of @b relative to the top bundle ("" for the top one). */
CSIG_API const char *csig_bundle_path(const csig_bundle *b);
/** CSIG_BUNDLE_DEEP, _SHALLOW or _VERSIONED (0 for NULL). */
CSIG_API int csig_bundle_layout(const csig_bundle *b);
/** The directory paths in CodeResources are relative to, relative to the
 *  bundle: "Contents", "Versions/A" or "" (shallow). */
CSIG_API const char *csig_bundle_content_dir(const csig_bundle *b);
/** 1 when the top bundle was read from an .ipa archive. */
CSIG_API int csig_bundle_from_archive(const csig_bundle *b);
/** 1 when the bundle has no main executable (CFBundleExecutable absent). */
CSIG_API int csig_bundle_is_codeless(const csig_bundle *b);
/** Main executable relative to the bundle ("Contents/MacOS/App"), or NULL. */
CSIG_API const char *csig_bundle_main_executable(const csig_bundle *b);
/** The parsed main executable (borrowed), or NULL (code-less, missing, not Mach-O). */
CSIG_API const csig_file *csig_bundle_executable(const csig_bundle *b);
/** The parsed Info.plist (borrowed), or NULL when absent or unparseable. */
CSIG_API const csig_plist *csig_bundle_info_plist(const csig_bundle *b);
/** CFBundleIdentifier (borrowed), or NULL. */
CSIG_API const char *csig_bundle_identifier(const csig_bundle *b);
/** Number of nested bundles directly inside @b. */
CSIG_API size_t csig_bundle_nested_count(const csig_bundle *b);
/** Nested bundle @i (borrowed), or NULL when out of range. */
CSIG_API const csig_bundle *csig_bundle_nested(const csig_bundle *b, size_t i);

/**
 * Verify @b and everything nested in it.
 * @param out  receives the result; free with csig_bundle_result_free().
 * @param opts NULL for defaults; passed to csig_verify for every Mach-O
 *             (jobs, at_time, CSIG_VERIFY_CHECK_EXPIRATION; ONE_SLICE is
 *             ignored).
 * @return CSIG_OK (whatever the verdict); CSIG_E_INVAL (NULL argument,
 *   unknown options version); CSIG_E_NOMEM.
 */
CSIG_API int csig_bundle_verify(csig_bundle_result **out, const csig_bundle *b,
				const csig_verify_options *opts, csig_error *err);
/** Release a result.  NULL ok. */
CSIG_API void csig_bundle_result_free(csig_bundle_result *r);
/** 1 when no finding has severity CSIG_SEV_ERROR. */
CSIG_API int csig_bundle_result_valid(const csig_bundle_result *r);
CSIG_API size_t csig_bundle_result_count(const csig_bundle_result *r);
/**
 * Finding @i (borrowed from @r), or NULL.  Findings of Mach-O files keep
 * their slice and cd indexes; offsets are offsets in the file named by
 * csig_bundle_result_path().
 */
CSIG_API const csig_finding *csig_bundle_result_finding(const csig_bundle_result *r,
							size_t i);
/** Path (relative to the top bundle) finding @i is about, or NULL. */
CSIG_API const char *csig_bundle_result_path(const csig_bundle_result *r, size_t i);
/** Files whose digests were computed, and their bytes. */
CSIG_API uint64_t csig_bundle_result_files_hashed(const csig_bundle_result *r);
CSIG_API uint64_t csig_bundle_result_bytes_hashed(const csig_bundle_result *r);
/**
 * The "bundle-verify" JSON document: verdict, layout, identifier, main
 * executable, and every finding with its path.  CSIG_JSON_PRETTY indents.
 * @param out receives the text; release with csig_free().
 * @return CSIG_OK; CSIG_E_INVAL; CSIG_E_NOMEM.
 */
CSIG_API int csig_bundle_result_json(const csig_bundle_result *r, unsigned flags,
				     char **out, size_t *len, csig_error *err);

#ifdef __cplusplus
}
#endif
#endif /* CSIG_BUNDLE_H */
