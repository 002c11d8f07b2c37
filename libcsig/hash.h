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
	int kernel;           /* CSIG_HASH_K_*, chosen by init */
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
/*
 * Writes csig__hash_full_size(alg) bytes to out, then wipes the context (call
 * init again to reuse it).  update/final on a context whose init failed do
 * nothing.  update accepts p == NULL when n == 0.
 */
void csig__hash_final(csig_hash_ctx *c, uint8_t *out);
/* One shot; writes csig__hash_full_size(alg) bytes; returns that size or 0. */
size_t csig__hash(int alg, const void *p, size_t n, uint8_t *out);

/* Which kernel runs for alg on this CPU: "portable", "sha-ni", "armv8-ce". */
const char *csig__hash_kernel(int alg);
/* Test hook: force the portable kernels in this thread's next calls is not
 * possible without globals; instead the portable functions are exported
 * internally for differential tests. */
size_t csig__hash_portable(int alg, const void *p, size_t n, uint8_t *out);

/* ---- kernels (hash.c, sha*.c); for the dispatcher, tests and benches ---- */

/* Kernel ids kept in csig_hash_ctx.kernel. */
enum {
	CSIG_HASH_K_PORTABLE = 0,
	CSIG_HASH_K_SHANI = 1,    /* x86 SHA extensions */
	CSIG_HASH_K_ARMV8CE = 2   /* ARMv8 crypto extensions */
};

/* Bits of csig__hash_cpu_features(): hardware kernels usable on this CPU. */
#define CSIG_CPU_SHA1_HW   0x2u
#define CSIG_CPU_SHA256_HW 0x4u
#define CSIG_CPU_SHA512_HW 0x8u
/* Probed once, cached in an atomic; thread-safe. */
unsigned csig__hash_cpu_features(void);

/* Like csig__hash_init but always with the portable kernels. */
int csig__hash_init_portable(csig_hash_ctx *c, int alg);

/* Round constants (FIPS 180-4 section 4.2). */
extern const uint32_t csig__sha256_k[64];
extern const uint64_t csig__sha512_k[80];

/*
 * Block functions: absorb nblocks whole blocks (64 bytes for SHA-1/256, 128
 * for SHA-384/512) from p into the state words st (H0.. in order).  p need
 * not be aligned.  The hardware ones must only be called when
 * csig__hash_cpu_features() has the matching bit.
 */
void csig__sha1_blocks_portable(uint32_t st[5], const uint8_t *p, size_t nblocks);
void csig__sha256_blocks_portable(uint32_t st[8], const uint8_t *p, size_t nblocks);
void csig__sha512_blocks_portable(uint64_t st[8], const uint8_t *p, size_t nblocks);

#if defined(__x86_64__) || defined(__i386__)
#define CSIG_HASH_HAVE_SHANI 1
void csig__sha1_blocks_shani(uint32_t st[5], const uint8_t *p, size_t nblocks);
void csig__sha256_blocks_shani(uint32_t st[8], const uint8_t *p, size_t nblocks);
#endif

/*
 * ARMv8 kernels: GCC reaches the crypto intrinsics through per-function
 * target attributes; older clang only declares them when the whole build
 * enables the feature (Apple arm64 does by default), so check for that.
 */
#if defined(__aarch64__) && \
	((defined(__GNUC__) && !defined(__clang__)) || \
	 defined(__ARM_FEATURE_SHA2) || defined(__ARM_FEATURE_CRYPTO))
#define CSIG_HASH_HAVE_ARMCE 1
void csig__sha1_blocks_armce(uint32_t st[5], const uint8_t *p, size_t nblocks);
void csig__sha256_blocks_armce(uint32_t st[8], const uint8_t *p, size_t nblocks);
#if (defined(__GNUC__) && !defined(__clang__) && __GNUC__ >= 8) || \
	defined(__ARM_FEATURE_SHA512)
#define CSIG_HASH_HAVE_ARMCE512 1
void csig__sha512_blocks_armce(uint64_t st[8], const uint8_t *p, size_t nblocks);
#endif
#endif

#endif
