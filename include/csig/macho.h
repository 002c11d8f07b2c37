/*
 * csig/macho.h - Mach-O files: thin and fat, slices, load commands.
 *
 * Model.  A csig_file is opened over memory (zero-copy by default; the
 * caller keeps the buffer alive and unchanged until csig_file_free, or
 * passes CSIG_OPEN_COPY) or over a path, which the library maps read-only.
 * Opening parses everything once: the fat header, every slice's header and
 * load commands, and each slice's embedded code signature (csig/codedir.h).
 * Afterwards the handle never changes.
 *
 * Structural problems that do not stop parsing (load commands overrunning
 * sizeofcmds, segments outside the slice, overlapping fat slices, a fat
 * entry whose cputype differs from its slice header, a signature that does
 * not parse) are reported as findings (csig_file_finding), not failures.
 * Only input that is not Mach-O at all, or whose headers are truncated,
 * fails csig_file_open.
 *
 * Ownership.  Slices, load commands, findings and every string or csig_bytes
 * they return are borrowed from the csig_file and live until csig_file_free.
 *
 * Threading.  A csig_file is immutable after open: any number of threads may
 * call any getter on it at once.
 */
#ifndef CSIG_MACHO_H
#define CSIG_MACHO_H

#include "csig/common.h"

#ifdef __cplusplus
extern "C" {
#endif

typedef struct csig_file csig_file;
typedef struct csig_slice csig_slice;

/* What csig_file_open recognised. */
enum {
	CSIG_FILE_THIN = 1, /* a single Mach-O image */
	CSIG_FILE_FAT = 2   /* FAT_MAGIC or FAT_MAGIC_64 container */
};

/* Finding severities. */
typedef enum {
	CSIG_SEV_INFO = 0,  /* informational; never changes a verdict */
	CSIG_SEV_WARN = 1,  /* suspicious shape; does not invalidate by itself */
	CSIG_SEV_ERROR = 2  /* makes the signature invalid */
} csig_severity;

/*
 * One finding.  Owned by the library (the caller never allocates one), so
 * fields may be appended in later minor versions.
 *   id       stable machine name, e.g. "lc-overrun", "page-hash-mismatch"
 *   slice    slice index, or -1 for the whole file
 *   cd       CodeDirectory index within the slice's signature, or -1
 *   offset   absolute file offset the finding is about
 *   message  sentence with the numbers
 */
typedef struct csig_finding {
	const char *id;
	int severity;
	int slice;
	int cd;
	uint64_t offset;
	const char *message;
} csig_finding;

/* One load command, as found.  Owned by the library. */
typedef struct csig_lc {
	uint32_t cmd;       /* raw value, LC_REQ_DYLD bit included */
	uint32_t cmdsize;
	uint64_t offset;    /* absolute file offset of the command */
	const char *name;   /* "LC_SEGMENT_64", or NULL when unknown */
} csig_lc;

/**
 * Parse a Mach-O (thin or fat) held in memory.
 * @param out   receives the handle; free with csig_file_free().
 * @param buf   input bytes; untrusted.  Borrowed until csig_file_free()
 *              unless opts->flags has CSIG_OPEN_COPY.
 * @param len   length of @buf.
 * @param opts  NULL for defaults.
 * @param err   optional detail.
 * @return CSIG_OK; CSIG_E_INVAL (NULL out/buf, bad opts version);
 *   CSIG_E_BADMAGIC (not Mach-O: also Java class files, which share
 *   0xcafebabe); CSIG_E_TRUNCATED (headers cut short);
 *   CSIG_E_BADOFFSET, CSIG_E_OVERFLOW (a fat slice outside the file);
 *   CSIG_E_LIMIT (more than CSIG_LIMIT_SLICES slices or
 *   CSIG_LIMIT_LOAD_COMMANDS commands); CSIG_E_NOMEM.
 */
CSIG_API int csig_file_open(csig_file **out, const void *buf, size_t len,
			    const csig_open_options *opts, csig_error *err);

/**
 * Map @path read-only (never written) and parse it as csig_file_open does.
 * @return as csig_file_open, plus CSIG_E_IO when the file cannot be opened,
 *   stat'ed or mapped (err->msg names the path and errno text).
 */
CSIG_API int csig_file_open_path(csig_file **out, const char *path,
				 const csig_open_options *opts, csig_error *err);

/** Release @f and its mapping or copy.  NULL is a no-op. */
CSIG_API void csig_file_free(csig_file *f);

/** CSIG_FILE_THIN or CSIG_FILE_FAT. */
CSIG_API int csig_file_kind(const csig_file *f);
/** Length of the whole input. */
CSIG_API uint64_t csig_file_size(const csig_file *f);
/** The whole input (borrowed). */
CSIG_API csig_bytes csig_file_bytes(const csig_file *f);
/** Fat magic (0xcafebabe or 0xcafebabf), or 0 for a thin file. */
CSIG_API uint32_t csig_file_fat_magic(const csig_file *f);

/** Number of slices (1 for a thin file). */
CSIG_API size_t csig_file_slice_count(const csig_file *f);
/** Slice @i (borrowed), or NULL when @i is out of range. */
CSIG_API const csig_slice *csig_file_slice(const csig_file *f, size_t i);
/**
 * The first slice whose architecture name (csig_slice_arch) equals @arch.
 * @return CSIG_OK; CSIG_E_INVAL; CSIG_E_NOTFOUND.
 */
CSIG_API int csig_file_find_slice(const csig_file *f, const char *arch,
				  const csig_slice **out);

/** Findings of the structural checks, file-wide and per slice. */
CSIG_API size_t csig_file_finding_count(const csig_file *f);
CSIG_API const csig_finding *csig_file_finding(const csig_file *f, size_t i);

/* ---- slices ---- */
CSIG_API size_t csig_slice_index(const csig_slice *s);
/** Absolute offset and length of the slice in the file. */
CSIG_API uint64_t csig_slice_offset(const csig_slice *s);
CSIG_API uint64_t csig_slice_size(const csig_slice *s);
CSIG_API csig_bytes csig_slice_bytes(const csig_slice *s);
/** mach_header magic as stored (0xfeedfacf, 0xcefaedfe, ...). */
CSIG_API uint32_t csig_slice_magic(const csig_slice *s);
CSIG_API int csig_slice_is64(const csig_slice *s);
CSIG_API int csig_slice_big_endian(const csig_slice *s);
CSIG_API int32_t csig_slice_cputype(const csig_slice *s);
CSIG_API int32_t csig_slice_cpusubtype(const csig_slice *s);
/** cputype/subtype from the fat_arch entry (equal to the header's for thin). */
CSIG_API int32_t csig_slice_fat_cputype(const csig_slice *s);
CSIG_API int32_t csig_slice_fat_cpusubtype(const csig_slice *s);
/** Architecture name: "arm64", "arm64e", "x86_64", "x86_64h", "i386", "armv7", ... */
CSIG_API const char *csig_slice_arch(const csig_slice *s);
CSIG_API uint32_t csig_slice_filetype(const csig_slice *s);
CSIG_API uint32_t csig_slice_flags(const csig_slice *s);
CSIG_API uint32_t csig_slice_ncmds(const csig_slice *s);
CSIG_API uint32_t csig_slice_sizeofcmds(const csig_slice *s);

/** Load commands that could be read (up to ncmds; fewer when malformed). */
CSIG_API size_t csig_slice_lc_count(const csig_slice *s);
CSIG_API const csig_lc *csig_slice_lc(const csig_slice *s, size_t i);

/**
 * LC_CODE_SIGNATURE of the slice: dataoff (relative to the slice) and size.
 * @return CSIG_OK; CSIG_E_NOTFOUND when the slice has no LC_CODE_SIGNATURE.
 */
CSIG_API int csig_slice_code_signature(const csig_slice *s, uint32_t *dataoff,
				       uint32_t *datasize);
/** LC_UUID. @return CSIG_OK or CSIG_E_NOTFOUND. */
CSIG_API int csig_slice_uuid(const csig_slice *s, uint8_t out[16]);
/**
 * LC_BUILD_VERSION, else LC_VERSION_MIN_*: platform (PLATFORM_* number),
 * minos and sdk nibble-encoded (major<<16 | minor<<8 | patch).
 * @return CSIG_OK or CSIG_E_NOTFOUND.
 */
CSIG_API int csig_slice_build_version(const csig_slice *s, uint32_t *platform,
				      uint32_t *minos, uint32_t *sdk);
/** The __TEXT,__info_plist section bytes. @return CSIG_OK or CSIG_E_NOTFOUND. */
CSIG_API int csig_slice_info_plist(const csig_slice *s, csig_bytes *out);

/* ---- names ---- */
/** Architecture name for a cputype/subtype pair; never NULL ("unknown"). */
CSIG_API const char *csig_arch_name(int32_t cputype, int32_t cpusubtype);
/** "LC_SEGMENT_64" etc., or NULL for an unknown number. */
CSIG_API const char *csig_lc_name(uint32_t cmd);
/** "MH_EXECUTE" etc., or NULL. */
CSIG_API const char *csig_filetype_name(uint32_t filetype);
/** "macOS", "iOS", ... for a PLATFORM_* number, or NULL. */
CSIG_API const char *csig_platform_name(uint32_t platform);
/**
 * Mach header flags as "MH_NOUNDEFS|MH_DYLDLINK|..." into @buf (unknown bits
 * as 0x...).  Always NUL-terminates when @n > 0.  @return @buf.
 */
CSIG_API char *csig_mh_flags_string(uint32_t flags, char *buf, size_t n);

#ifdef __cplusplus
}
#endif
#endif /* CSIG_MACHO_H */
