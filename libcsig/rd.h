/*
 * rd.h - the one bounds-checked reader every byte of input passes through.
 *
 * Internal.  A csig_rd is a window [p, p+len) onto input memory with a read
 * cursor `pos` and the absolute input offset `base` of p[0], so every error
 * can say where it happened.  Loads assemble bytes (no struct is cast over
 * input, no alignment is assumed).  A child window made with rd_sub can never
 * reach past its parent.  Bounds are checked as `n <= len - pos`, which
 * cannot wrap.  Outside rd.c no parser does pointer arithmetic on input.
 */
#ifndef CSIG_RD_H
#define CSIG_RD_H

#include <stdint.h>
#include <stddef.h>
#include "csig/common.h"

typedef struct csig_rd {
	const uint8_t *p;   /* window start */
	size_t len;         /* window length */
	size_t pos;         /* cursor, 0 <= pos <= len */
	uint64_t base;      /* absolute input offset of p[0] */
	const char *what;   /* structure being read, for messages */
	csig_error *err;    /* where failures are described; may be NULL */
} csig_rd;

/* Make a window over memory. */
void rd_init(csig_rd *r, const void *p, size_t len, uint64_t base,
	     const char *what, csig_error *err);

static inline size_t rd_left(const csig_rd *r) { return r->len - r->pos; }
static inline uint64_t rd_abs(const csig_rd *r) { return r->base + r->pos; }

/* Fixed-width loads at the cursor; advance on success. */
int rd_u8(csig_rd *r, uint8_t *out);
int rd_u16le(csig_rd *r, uint16_t *out);
int rd_u16be(csig_rd *r, uint16_t *out);
int rd_u32le(csig_rd *r, uint32_t *out);
int rd_u32be(csig_rd *r, uint32_t *out);
int rd_u64le(csig_rd *r, uint64_t *out);
int rd_u64be(csig_rd *r, uint64_t *out);
/* Endian chosen at run time (Mach-O headers follow the slice). */
int rd_u32e(csig_rd *r, int big, uint32_t *out);
int rd_u64e(csig_rd *r, int big, uint64_t *out);

/* Loads at an offset relative to the window start; the cursor is unchanged. */
int rd_at_u32be(const csig_rd *r, uint64_t off, uint32_t *out);
int rd_at_u32e(const csig_rd *r, uint64_t off, int big, uint32_t *out);

/* n bytes at the cursor, zero-copy; advance. */
int rd_bytes(csig_rd *r, size_t n, const uint8_t **out);
/* Copy n bytes at the cursor into dst; advance. */
int rd_copy(csig_rd *r, void *dst, size_t n);
int rd_skip(csig_rd *r, size_t n);
/* Move the cursor to an offset inside the window (pos == len allowed). */
int rd_seek(csig_rd *r, uint64_t pos);

/* Child window [off, off+n) of r's window (not its cursor). */
int rd_sub(const csig_rd *r, uint64_t off, uint64_t n, csig_rd *child,
	   const char *what);
/* Child window of the next n bytes at the cursor; advance past them. */
int rd_take(csig_rd *r, uint64_t n, csig_rd *child, const char *what);
/* Child window from off to the end of r's window. */
int rd_tail(const csig_rd *r, uint64_t off, csig_rd *child, const char *what);

/*
 * NUL-terminated string starting at window offset off, found with memchr
 * within at most max bytes and within the window.  *s points into input;
 * *n excludes the NUL.  The cursor is unchanged.
 */
int rd_cstr_at(const csig_rd *r, uint64_t off, size_t max, const char **s,
	       size_t *n);
/* Bytes of a fixed-size, NUL-padded field (segname[16]); *n stops at NUL. */
int rd_fixstr(csig_rd *r, size_t width, const char **s, size_t *n);

/* The whole window as a view (for hashing), cursor unchanged. */
csig_bytes rd_view(const csig_rd *r);
/* View of [off, off+n) of the window. */
int rd_view_at(const csig_rd *r, uint64_t off, uint64_t n, csig_bytes *out);

/* CSIG_E_TRAILING unless the cursor reached the end of the window. */
int rd_end(const csig_rd *r);

/* Compare window bytes at off with a constant (bounds-checked; 0 if equal). */
int rd_match(const csig_rd *r, uint64_t off, const void *lit, size_t n);

#endif
