/*
 * der.h - the BER/DER reader used by X.509 and CMS.  Internal.
 *
 * Reads one TLV at a time from a csig_rd window.  Accepts the BER forms
 * Apple's CMS uses: indefinite lengths (0x80 ... 00 00) and constructed
 * strings.  The end of an indefinite-length element is found by walking its
 * nested elements, bounded by a depth limit (CSIG_E_DEPTH).  Lengths are
 * at most 8 octets and must fit the window (CSIG_E_TRUNCATED otherwise).
 * Nothing is copied: element windows view the input.
 *
 * The arena below is the allocation model of the x509 and cms handles: each
 * handle owns one arena and frees it in one call, so error paths never leak.
 */
#ifndef CSIG_DER_H
#define CSIG_DER_H

#include <stddef.h>
#include <stdint.h>
#include "csig/common.h"
#include "rd.h"

/* Class bits (identifier octet bits 8-7). */
enum {
	DER_UNIVERSAL = 0,
	DER_APPLICATION = 1,
	DER_CONTEXT = 2,
	DER_PRIVATE = 3
};

/* Universal tag numbers used here. */
enum {
	DER_BOOLEAN = 1,
	DER_INTEGER = 2,
	DER_BIT_STRING = 3,
	DER_OCTET_STRING = 4,
	DER_NULL = 5,
	DER_OID = 6,
	DER_UTF8STRING = 12,
	DER_SEQUENCE = 16,
	DER_SET = 17,
	DER_PRINTABLESTRING = 19,
	DER_TELETEXSTRING = 20,
	DER_IA5STRING = 22,
	DER_UTCTIME = 23,
	DER_GENERALIZEDTIME = 24,
	DER_VISIBLESTRING = 26,
	DER_UNIVERSALSTRING = 28,
	DER_BMPSTRING = 30
};

/* Largest dotted OID text we produce (longer OIDs are CSIG_E_LIMIT). */
#define DER_OID_TEXT_MAX 128

typedef struct csig_der {
	unsigned cls;          /* DER_UNIVERSAL ... */
	int constructed;       /* bit 6 of the identifier */
	uint32_t tag;          /* tag number (high-tag-number form decoded) */
	int indefinite;        /* length octet was 0x80 */
	uint64_t off;          /* absolute offset of the identifier octet */
	csig_rd val;           /* contents (excluding an end-of-contents pair) */
	csig_bytes raw;        /* identifier, length, contents (and EOC) */
	size_t hdr_len;        /* identifier + length octets */
} csig_der;

/*
 * Read the next element at r's cursor into *out and advance past it.
 * depth is how many more levels of nesting may be entered while finding the
 * end of an indefinite-length element.  An end-of-contents pair (00 00) is
 * reported as CSIG_E_BADVALUE (callers see it only on malformed input).
 * Returns 0, CSIG_E_TRUNCATED, CSIG_E_BADVALUE, CSIG_E_LIMIT, CSIG_E_DEPTH.
 */
int csig__der_next(csig_rd *r, unsigned depth, csig_der *out);

/*
 * Read the next element and require class/tag (constructedness is not
 * checked; see der_is).  "what" names the field for the message.
 */
int csig__der_expect(csig_rd *r, unsigned depth, unsigned cls, uint32_t tag,
		     const char *what, csig_der *out);

/* Does e have class cls and tag number tag? */
static inline int der_is(const csig_der *e, unsigned cls, uint32_t tag)
{
	return e->cls == cls && e->tag == tag;
}

/* Is the next element (if any) of class cls, tag tag?  Cursor unchanged. */
int csig__der_peek_is(const csig_rd *r, unsigned cls, uint32_t tag);

/*
 * OID contents to dotted text ("1.2.840.113549.1.7.2").  buf must hold
 * DER_OID_TEXT_MAX bytes.  Returns 0, CSIG_E_BADVALUE (empty, non-minimal
 * or unterminated arc), CSIG_E_LIMIT (arc above 2^64 or text too long).
 */
int csig__der_oid_text(const csig_der *e, char *buf, size_t n);

/* INTEGER as a signed 64-bit value.  CSIG_E_BADVALUE, CSIG_E_LIMIT. */
int csig__der_int64(const csig_der *e, int64_t *out);
/* INTEGER magnitude without the sign octet (a view).  CSIG_E_BADVALUE. */
int csig__der_uint_bytes(const csig_der *e, csig_bytes *out);
/* BOOLEAN (any non-zero octet is true, as BER allows).  CSIG_E_BADVALUE. */
int csig__der_bool(const csig_der *e, int *out);
/* UTCTime / GeneralizedTime to Unix seconds (UTC).  CSIG_E_BADVALUE. */
int csig__der_time(const csig_der *e, int64_t *out);
/* BIT STRING contents without the unused-bits octet; *unused gets it. */
int csig__der_bits(const csig_der *e, csig_bytes *out, unsigned *unused);

/* Days from the civil date (proleptic Gregorian) to 1970-01-01. */
int64_t csig__days_from_civil(int64_t y, unsigned m, unsigned d);

/* ---- arena ------------------------------------------------------------- */

typedef struct csig_arena_chunk csig_arena_chunk;
typedef struct csig_arena {
	csig_arena_chunk *head;
	size_t total;          /* bytes handed out, bounded by limit */
	size_t limit;          /* 0 = no limit */
} csig_arena;

void csig__arena_init(csig_arena *a, size_t limit);
/* Zeroed, 16-byte aligned; NULL on failure or when the limit is reached. */
void *csig__arena_alloc(csig_arena *a, size_t n);
void *csig__arena_calloc_n(csig_arena *a, size_t count, size_t size);
char *csig__arena_strndup(csig_arena *a, const char *s, size_t n);
void csig__arena_free(csig_arena *a);

/*
 * Any string type (UTF8, Printable, IA5, Teletex as Latin-1, Visible, BMP,
 * Universal) converted to NUL-terminated UTF-8 in the arena.  Embedded NULs
 * are rejected (CSIG_E_BADVALUE) so C string comparisons cannot be fooled.
 * Constructed (BER) strings are CSIG_E_UNSUPPORTED.  CSIG_E_NOMEM.
 */
int csig__der_string(const csig_der *e, csig_arena *a, const char **out);

/*
 * OCTET STRING contents: a view of a primitive string, or the BER
 * constructed chunks concatenated into the arena.  CSIG_E_BADVALUE,
 * CSIG_E_DEPTH, CSIG_E_NOMEM, and the csig__der_next errors.
 */
int csig__der_octets(const csig_der *e, unsigned depth, csig_arena *a,
		     csig_bytes *out);

/* Lowercase hex of p[0..n) into the arena.  NULL on allocation failure. */
char *csig__arena_hex(csig_arena *a, const uint8_t *p, size_t n);

#endif
