/*
 * inflate.h - DEFLATE decoding (RFC 1951) and CRC-32 (ISO 3309 / zip),
 * written here.  Internal; used by the zip reader (zip.c).
 *
 * The decoder writes into a caller-provided buffer of the exact expected
 * size: it never allocates and never grows output.  A stream that would
 * produce more bytes than dst_len, fewer bytes than dst_len, or that leaves
 * whole unused bytes after its final block fails.  Both functions are
 * reentrant and thread-safe (no state outside their arguments).
 */
#ifndef CSIG_INFLATE_H
#define CSIG_INFLATE_H

#include <stddef.h>
#include <stdint.h>
#include "csig/common.h"

/*
 * Decode the raw DEFLATE stream src[0..src_len) into exactly dst_len bytes
 * at dst.  base is the absolute input offset of src[0] (for messages).
 *   CSIG_OK           decoded exactly dst_len bytes and the final block ends
 *                     in the last byte of src
 *   CSIG_E_TRUNCATED  the stream ends before its final block does
 *   CSIG_E_BADVALUE   invalid block type, invalid or over-subscribed Huffman
 *                     code, invalid symbol, stored LEN/NLEN mismatch, a
 *                     distance before the start of output, or output
 *                     longer / shorter than dst_len
 *   CSIG_E_TRAILING   whole bytes remain after the final block
 *   CSIG_E_INVAL      NULL dst with dst_len > 0, or NULL src with src_len > 0
 * dst may be NULL when dst_len is 0.  On failure dst holds partial output.
 */
int csig__inflate(uint8_t *dst, size_t dst_len, const uint8_t *src,
		  size_t src_len, uint64_t base, csig_error *err);

/*
 * Update a CRC-32 (reflected polynomial 0xEDB88320, as zip and zlib) with n
 * bytes; start with crc = 0.  p may be NULL when n is 0.
 */
uint32_t csig__crc32(uint32_t crc, const void *p, size_t n);

#endif
