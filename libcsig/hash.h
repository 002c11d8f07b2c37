/*
 * hash.h - SHA-1, SHA-256, SHA-384, SHA-512 written here.  Internal.
 *
 * A portable C path plus x86 SHA-NI and ARMv8 crypto-extension kernels,
 * chosen at run time.  The CPU-feature probe is cached once in an atomic
 * (the one documented writable global of the library; its symbol name
 * contains "cpu_features").  All functions are thread-safe.
 *
 * Algorithm numbers are the CodeDirectory hashType values.
 */
#ifndef CSIG_HASH_H
#define CSIG_HASH_H

#include <stddef.h>
#include <stdint.h>

enum {
	CSIG_HASH_NONE = 0,
	CSIG_HASH_SHA1 = 1,
	CSIG_HASH_SHA256 = 2,
	CSIG_HASH_SHA256_TRUNCATED = 3, /* SHA-256, first 20 bytes kept */
	CSIG_HASH_SHA384 = 4,
	CSIG_HASH_SHA512 = 5
};

#define CSIG_HASH_MAX 64 /* largest digest, bytes */

typedef struct csig_hash_ctx {
	int alg;
	uint64_t total;       /* bytes absorbed */
	size_t fill;          /* bytes pending in buf */
	union {
		uint32_t s32[8];
		uint64_t s64[8];
	} h;
	uint8_t buf[128];
} csig_hash_ctx;

/* Digest length the CodeDirectory stores for alg (20/32/20/48/64), 0 if unknown. */
size_t csig__hash_size(int alg);
/* Full output of the underlying function (SHA-256 for TRUNCATED: 32). */
size_t csig__hash_full_size(int alg);

/* Returns 0, or -1 for an unknown algorithm. */
int csig__hash_init(csig_hash_ctx *c, int alg);
void csig__hash_update(csig_hash_ctx *c, const void *p, size_t n);
/* Writes csig__hash_full_size(alg) bytes to out. */
void csig__hash_final(csig_hash_ctx *c, uint8_t *out);
/* One shot; writes csig__hash_full_size(alg) bytes; returns that size or 0. */
size_t csig__hash(int alg, const void *p, size_t n, uint8_t *out);

/* Which kernel runs for alg on this CPU: "portable", "sha-ni", "armv8-ce". */
const char *csig__hash_kernel(int alg);
/* Test hook: force the portable kernels in this thread's next calls is not
 * possible without globals; instead the portable functions are exported
 * internally for differential tests. */
size_t csig__hash_portable(int alg, const void *p, size_t n, uint8_t *out);

#endif
