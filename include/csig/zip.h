/*
 * csig/zip.h - reading zip archives (.ipa, zipped .app) from memory.
 *
 * Model.  A csig_zip is opened over the bytes of a whole archive.  Opening
 * finds the End of Central Directory record (searching the last 64 KiB + 22
 * bytes), follows the zip64 locator and record when present, reads every
 * central directory entry (with its zip64 extra field) and the fixed part of
 * every entry's local header, so the byte range each entry's data occupies is
 * known.  Two entries whose ranges overlap (the shape of non-recursive "zip
 * bombs", which reuse one compressed stream under many names) make the
 * archive invalid.  Afterwards the handle never changes.
 *
 * Members are extracted one at a time into memory with csig_zip_extract():
 * stored (method 0) and deflated (method 8) entries are supported, inflated
 * by the library's own decoder into a buffer of exactly the declared size;
 * the local header is checked against the central directory, the data
 * descriptor (if any) is checked, and the CRC-32 is verified.  Nothing is
 * ever written to disk.
 *
 * Limits (untrusted input).  An entry whose declared uncompressed size
 * exceeds max_entry_size (default CSIG_ZIP_MAX_ENTRY_SIZE_DEFAULT, 512 MiB),
 * or which is larger than CSIG_ZIP_RATIO_FLOOR (1 MiB) and claims more than
 * max_ratio (default CSIG_ZIP_MAX_RATIO_DEFAULT, 1000) bytes per compressed
 * byte, is refused by csig_zip_extract with CSIG_E_LIMIT, before any memory
 * is allocated.  A deflate stream producing more than the declared size is
 * refused as it decodes, so output never exceeds the declared size.  At most
 * opts->max_count (default CSIG_LIMIT_COUNT_DEFAULT) entries are read.  The
 * limits can be lowered with csig_zip_open_ex(), never raised.
 *
 * Names are raw bytes as stored (UTF-8 when general-purpose flag bit 11 is
 * set, else usually UTF-8 or CP437); they are not NUL-terminated and may
 * contain anything.  Names that would escape an extraction directory are
 * reported by csig_zip_entry_suspicious(), not refused.
 *
 * Not supported: multi-disk archives (CSIG_E_UNSUPPORTED at open), encrypted
 * entries and methods other than 0 and 8 (CSIG_E_UNSUPPORTED at extract),
 * archives with bytes prepended before the first local header whose offsets
 * were not adjusted (self-extractors).
 *
 * Ownership.  Names and views are borrowed from the csig_zip (and so from
 * the caller's buffer, unless CSIG_OPEN_COPY) and live until csig_zip_free.
 * Extracted buffers belong to the caller: release them with csig_free().
 *
 * Threading.  A csig_zip is immutable after open: any number of threads may
 * call any function on it at once, including csig_zip_extract.
 */
#ifndef CSIG_ZIP_H
#define CSIG_ZIP_H

#include "csig/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct csig_zip csig_zip;

/* Limits.  A caller may lower them with csig_zip_options, not raise them. */
#define CSIG_ZIP_MAX_ENTRY_SIZE_DEFAULT (512ull << 20) /* bytes, uncompressed */
#define CSIG_ZIP_MAX_RATIO_DEFAULT 1000u   /* uncompressed : compressed */
#define CSIG_ZIP_RATIO_FLOOR (1ull << 20)  /* ratio applies above this size */

/* Compression methods. */
#define CSIG_ZIP_STORED 0u
#define CSIG_ZIP_DEFLATED 8u

/* csig_zip_entry_suspicious() bits. */
#define CSIG_ZIP_NAME_DOTDOT 0x01u    /* a ".." path segment ('/' or '\\') */
#define CSIG_ZIP_NAME_ABSOLUTE 0x02u  /* starts with '/', '\\' or "X:" */
#define CSIG_ZIP_NAME_BACKSLASH 0x04u /* contains '\\' */
#define CSIG_ZIP_NAME_NUL 0x08u       /* contains a NUL byte */
#define CSIG_ZIP_NAME_DUPLICATE 0x10u /* same bytes as an earlier entry */
#define CSIG_ZIP_NAME_EMPTY 0x20u     /* zero-length name */

/* Versioned zip options; initialise with CSIG_ZIP_OPTIONS_INIT. */
#define CSIG_ZIP_OPTIONS_VERSION 1
typedef struct csig_zip_options {
	unsigned int version;    /* CSIG_ZIP_OPTIONS_VERSION */
	unsigned int max_ratio;  /* 0 = CSIG_ZIP_MAX_RATIO_DEFAULT */
	uint64_t max_entry_size; /* 0 = CSIG_ZIP_MAX_ENTRY_SIZE_DEFAULT */
} csig_zip_options;
#define CSIG_ZIP_OPTIONS_INIT { CSIG_ZIP_OPTIONS_VERSION, 0, 0 }

/**
 * Open a zip archive held in memory.
 * @param out   receives the handle; free with csig_zip_free().  Set to NULL
 *              on failure.
 * @param buf   the whole archive; untrusted.  Borrowed until csig_zip_free()
 *              unless opts->flags has CSIG_OPEN_COPY.
 * @param len   length of @buf.
 * @param opts  NULL for defaults; max_count bounds the number of entries.
 * @param err   optional error detail.
 * @return CSIG_OK;
 *   CSIG_E_INVAL       NULL @out, NULL @buf with @len > 0, unknown options
 *                      version;
 *   CSIG_E_BADMAGIC    no End of Central Directory record, a central or
 *                      local header or zip64 record with the wrong signature;
 *   CSIG_E_TRUNCATED   a header or the central directory runs past the end;
 *   CSIG_E_BADOFFSET   the central directory or a local header lies outside
 *                      the archive, or an entry's data does;
 *   CSIG_E_OVERFLOW    offset + size arithmetic overflows;
 *   CSIG_E_BADVALUE    entry counts disagree with the directory, a zip64
 *                      extra field is malformed or missing, two entries'
 *                      data ranges overlap;
 *   CSIG_E_UNSUPPORTED a multi-disk archive;
 *   CSIG_E_LIMIT       more entries than max_count;
 *   CSIG_E_NOMEM.
 */
CSIG_API int csig_zip_open(csig_zip **out, const void *buf, size_t len,
			   const csig_open_options *opts, csig_error *err);

/**
 * csig_zip_open() with zip limits (@zopts may be NULL for the defaults).
 * Nonzero fields of @zopts lower the defaults; larger values are ignored.
 * @return as csig_zip_open(); CSIG_E_INVAL also for an unknown
 *         @zopts->version.
 */
CSIG_API int csig_zip_open_ex(csig_zip **out, const void *buf, size_t len,
			      const csig_open_options *opts,
			      const csig_zip_options *zopts, csig_error *err);

/** Release @z (NULL ok).  Borrowed names and views become invalid. */
CSIG_API void csig_zip_free(csig_zip *z);

/** Number of central directory entries (0 for NULL). */
CSIG_API size_t csig_zip_count(const csig_zip *z);

/*
 * Entry getters.  @index must be < csig_zip_count(); out of range (or a NULL
 * @z) returns an empty view / 0.
 */
/** Name bytes as stored (not NUL-terminated); borrowed. */
CSIG_API csig_bytes csig_zip_entry_name(const csig_zip *z, size_t index);
/** Declared uncompressed size. */
CSIG_API uint64_t csig_zip_entry_size(const csig_zip *z, size_t index);
/** Declared compressed size (bytes of data in the archive). */
CSIG_API uint64_t csig_zip_entry_compressed_size(const csig_zip *z, size_t index);
/** Compression method (CSIG_ZIP_STORED, CSIG_ZIP_DEFLATED, or another value). */
CSIG_API unsigned csig_zip_entry_method(const csig_zip *z, size_t index);
/** General-purpose bit flags (bit 0 encrypted, 3 data descriptor, 11 UTF-8). */
CSIG_API unsigned csig_zip_entry_flags(const csig_zip *z, size_t index);
/** CRC-32 from the central directory. */
CSIG_API uint32_t csig_zip_entry_crc32(const csig_zip *z, size_t index);
/** Absolute offset of the entry's local header. */
CSIG_API uint64_t csig_zip_entry_offset(const csig_zip *z, size_t index);
/**
 * Unix st_mode (type and permission bits) when the entry was made on a Unix
 * host (version-made-by host 3, or 19 for OS X), else 0.
 */
CSIG_API uint32_t csig_zip_entry_mode(const csig_zip *z, size_t index);
/** 1 for a directory: name ends in '/', Unix S_IFDIR, or DOS attribute 0x10. */
CSIG_API int csig_zip_entry_is_dir(const csig_zip *z, size_t index);
/** 1 for a symbolic link (Unix S_IFLNK; the data is the link target). */
CSIG_API int csig_zip_entry_is_symlink(const csig_zip *z, size_t index);
/** 1 when general-purpose bit 0 (encryption) is set. */
CSIG_API int csig_zip_entry_is_encrypted(const csig_zip *z, size_t index);
/** CSIG_ZIP_NAME_* bits describing an unsafe name; 0 when the name is fine. */
CSIG_API unsigned csig_zip_entry_suspicious(const csig_zip *z, size_t index);

/**
 * Find the entry whose name is exactly @name[0..@len) (bytewise; a trailing
 * '/' is part of a directory's name).  With duplicate names the lowest index
 * wins.  O(log n).
 * @return CSIG_OK with *@index set; CSIG_E_NOTFOUND; CSIG_E_INVAL for NULL
 *         @z, @index, or @name with @len > 0.
 */
CSIG_API int csig_zip_find(const csig_zip *z, const char *name, size_t len,
			   size_t *index);

/**
 * Extract entry @index into a new buffer of exactly its uncompressed size.
 * @param out  receives the bytes (non-NULL even for an empty entry); the
 *             caller releases it with csig_free().  NULL on failure.
 * @param len  receives the length.
 * @return CSIG_OK;
 *   CSIG_E_INVAL       NULL argument or @index out of range;
 *   CSIG_E_UNSUPPORTED encrypted entry, or a method other than stored or
 *                      deflated (the message names it);
 *   CSIG_E_LIMIT       declared size above max_entry_size or ratio above
 *                      max_ratio (the message names the limit and values);
 *   CSIG_E_BADMAGIC    the local header signature is wrong;
 *   CSIG_E_BADVALUE    the local header disagrees with the central directory
 *                      (name, method, sizes, CRC), a stored entry's sizes
 *                      differ, the deflate stream is invalid or yields more or
 *                      fewer bytes than declared, the data descriptor
 *                      disagrees, or the CRC-32 does not match;
 *   CSIG_E_TRUNCATED   data or data descriptor runs past the archive or the
 *                      deflate stream ends early;
 *   CSIG_E_TRAILING    bytes follow the end of the deflate stream inside the
 *                      entry's compressed size;
 *   CSIG_E_NOMEM.
 * Thread-safe on a shared handle.
 */
CSIG_API int csig_zip_extract(const csig_zip *z, size_t index, uint8_t **out,
			      size_t *len, csig_error *err);

/**
 * Zero-copy view of a stored (method 0) entry's bytes, after the same
 * checks as csig_zip_extract() (local header, sizes, CRC-32, limits).
 * @param out  receives a view borrowed from @z, valid until csig_zip_free().
 * @return as csig_zip_extract(), plus CSIG_E_UNSUPPORTED when the entry is
 *         not stored (use csig_zip_extract for those).
 */
CSIG_API int csig_zip_entry_view(const csig_zip *z, size_t index,
				 csig_bytes *out, csig_error *err);

#ifdef __cplusplus
}
#endif
#endif /* CSIG_ZIP_H */
