/*
 * csig/common.h - version, error model, byte views and open options.
 *
 * Model.  Every libcsig call that can fail returns an int: 0 (CSIG_OK) on
 * success, a negative CSIG_E_* code on failure.  The codes are grouped by
 * cause, pinned forever and only ever appended.  Details travel in a
 * caller-owned, nullable csig_error passed last: the absolute file offset
 * where the problem was found and a message that names the field and the
 * numbers.  There is no global or thread-local "last error".
 *
 * Verification outcomes (hash mismatch, expired certificate, ...) are data,
 * not call failures: see csig/codedir.h.
 *
 * Ownership.  A `**out` result belongs to the caller and is released with
 * its _free function (which accepts NULL).  A returned pointer or csig_bytes
 * is borrowed and stays valid until its parent handle is freed.  Strings the
 * library allocates for the caller (JSON documents) are released with
 * csig_free().
 *
 * Threading.  libcsig has no writable global state (the one exception is a
 * once-initialised CPU-feature cache for the hash kernels).  Handles never
 * change after they are opened, so any number of threads may read one handle
 * at once; distinct handles are independent.
 */
#ifndef CSIG_COMMON_H
#define CSIG_COMMON_H

#include <stddef.h>
#include <stdint.h>

#ifdef __cplusplus
extern "C" {
#endif

/* The version lives here, once; the Makefile reads it from this file. */
#define CSIG_VERSION_MAJOR 1
#define CSIG_VERSION_MINOR 0
#define CSIG_VERSION_PATCH 0
#define CSIG_VERSION_NUMBER \
	(CSIG_VERSION_MAJOR * 10000 + CSIG_VERSION_MINOR * 100 + CSIG_VERSION_PATCH)

#if defined(_WIN32)
#define CSIG_API __declspec(dllexport)
#elif defined(__GNUC__) && __GNUC__ >= 4
#define CSIG_API __attribute__((visibility("default")))
#else
#define CSIG_API
#endif

/* Error codes.  Never renumbered; new codes are appended inside a group. */
enum {
	CSIG_OK = 0,
	/* caller misuse */
	CSIG_E_INVAL = -1,       /* a NULL or out-of-range argument */
	/* input shape */
	CSIG_E_TRUNCATED = -10,  /* input ends before a structure does */
	CSIG_E_BADMAGIC = -11,   /* not the kind of data expected */
	CSIG_E_OVERFLOW = -12,   /* offset or length arithmetic overflows */
	CSIG_E_BADOFFSET = -13,  /* an offset points outside its container */
	CSIG_E_TRAILING = -14,   /* bytes left over where none may be */
	/* input semantics */
	CSIG_E_BADVALUE = -20,   /* a field holds a value the format forbids */
	CSIG_E_UNSUPPORTED = -21,/* valid but not supported (e.g. a hash type) */
	CSIG_E_SYNTAX = -22,     /* text input does not parse */
	/* resource limits */
	CSIG_E_LIMIT = -30,      /* a documented count or size limit was hit */
	CSIG_E_NOMEM = -31,      /* an allocation failed */
	CSIG_E_DEPTH = -32,      /* a nesting limit was hit */
	/* lookup */
	CSIG_E_NOTFOUND = -40,   /* the requested item is absent */
	/* environment */
	CSIG_E_IO = -50          /* a file could not be opened, mapped or read */
};

/* A borrowed view of bytes.  Frozen value type. */
typedef struct csig_bytes {
	const uint8_t *ptr;
	size_t len;
} csig_bytes;

/*
 * Caller-owned error detail.  Frozen value type: its size is part of the ABI.
 * code   : the CSIG_E_* value also returned by the call.
 * offset : absolute offset in the input where the problem was detected
 *          (0 when there is no input position).
 * msg    : NUL-terminated sentence naming the field and the numbers.
 */
typedef struct csig_error {
	int code;
	uint64_t offset;
	char msg[192];
} csig_error;

/* Open flags. */
#define CSIG_OPEN_COPY 0x1u /* copy the input once; the caller may free it */

/*
 * Limits applied while parsing.  Zero means "the library default"; a caller
 * may lower a default but not raise it above the documented cap.
 */
#define CSIG_LIMIT_DEPTH_DEFAULT 64u        /* nesting of DER, plists, requirements */
#define CSIG_LIMIT_COUNT_DEFAULT 1000000u   /* items in one array, index or table */
#define CSIG_LIMIT_SLICES 64u               /* fat architectures */
#define CSIG_LIMIT_LOAD_COMMANDS 65536u     /* load commands per slice */
#define CSIG_LIMIT_BLOBS 256u               /* SuperBlob index entries */

/* Versioned open options; always initialise with CSIG_OPEN_OPTIONS_INIT. */
#define CSIG_OPEN_OPTIONS_VERSION 1
typedef struct csig_open_options {
	unsigned int version;  /* CSIG_OPEN_OPTIONS_VERSION */
	unsigned int flags;    /* CSIG_OPEN_* */
	unsigned int max_depth;/* 0 = CSIG_LIMIT_DEPTH_DEFAULT */
	unsigned int max_count;/* 0 = CSIG_LIMIT_COUNT_DEFAULT */
} csig_open_options;
#define CSIG_OPEN_OPTIONS_INIT { CSIG_OPEN_OPTIONS_VERSION, 0, 0, 0 }

/**
 * Initialise @opts to the defaults of options @version.
 * @return CSIG_OK, or CSIG_E_INVAL when @opts is NULL or @version unknown.
 */
CSIG_API int csig_open_options_init(csig_open_options *opts, unsigned int version);

/** A sentence describing @code.  Static storage; never NULL. */
CSIG_API const char *csig_strerror(int code);

/** The symbolic name of @code, e.g. "CSIG_E_TRUNCATED".  Static; never NULL. */
CSIG_API const char *csig_errname(int code);

/** CSIG_VERSION_NUMBER of the library actually loaded. */
CSIG_API int csig_version_number(void);

/** "MAJOR.MINOR.PATCH" of the library actually loaded.  Static storage. */
CSIG_API const char *csig_version_string(void);

/**
 * Parse "YYYY-MM-DD" (midnight UTC) or RFC 3339 "YYYY-MM-DDTHH:MM:SS[.frac](Z|+hh:mm)"
 * into Unix seconds.
 * @return CSIG_OK; CSIG_E_INVAL (NULL); CSIG_E_SYNTAX (not such a date).
 */
CSIG_API int csig_time_parse(const char *text, int64_t *out);
/** Unix seconds as "YYYY-MM-DDTHH:MM:SSZ" into @buf (at least 32 bytes). @return @buf. */
CSIG_API char *csig_time_format(int64_t t, char *buf, size_t n);

/** Release memory the library allocated for the caller (JSON text).  NULL ok. */
CSIG_API void csig_free(void *p);

#ifdef __cplusplus
}
#endif
#endif /* CSIG_COMMON_H */
