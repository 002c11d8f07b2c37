/*
 * hash.c - SHA-1/SHA-2 contexts, padding (FIPS 180-4 section 5.1), kernel
 * dispatch and the CPU-feature probe.  see hash.h
 *
 * The probe result is the library's one writable global: an atomic whose
 * name contains "cpu_features" (tests/check_globals.sh allows exactly that).
 * Racing first callers compute the same value and store it twice, which is
 * harmless; afterwards every call is one relaxed load.
 */
#include <stdatomic.h>
#include <string.h>
#include "hash.h"

#if defined(CSIG_HASH_HAVE_SHANI)
#include <cpuid.h>
#elif defined(CSIG_HASH_HAVE_ARMCE) && defined(__linux__)
#include <sys/auxv.h>
#endif

/* Bit 0 says "probed"; the CSIG_CPU_* bits follow. */
#define CPU_PROBED 0x1u
static _Atomic unsigned csig_cpu_features;

static unsigned probe_cpu(void)
{
	unsigned f = 0;
#if defined(CSIG_HASH_HAVE_SHANI)
	unsigned a, b, c, d;
	/* The SHA-NI kernels also use SSSE3 (pshufb) and SSE4.1 (blend, extract). */
	if (__get_cpuid(1, &a, &b, &c, &d) && (c & (1u << 9)) && (c & (1u << 19)) &&
	    __get_cpuid_max(0, NULL) >= 7) {
		__cpuid_count(7, 0, a, b, c, d);
		if (b & (1u << 29)) /* CPUID.(EAX=7,ECX=0):EBX.SHA */
			f |= CSIG_CPU_SHA1_HW | CSIG_CPU_SHA256_HW;
	}
#elif defined(CSIG_HASH_HAVE_ARMCE) && defined(__APPLE__)
	/* Every Apple arm64 CPU has the SHA-1/SHA-256 instructions. */
	f |= CSIG_CPU_SHA1_HW | CSIG_CPU_SHA256_HW;
#if defined(CSIG_HASH_HAVE_ARMCE512) && defined(__ARM_FEATURE_SHA512)
	f |= CSIG_CPU_SHA512_HW; /* the build already targets such a CPU */
#endif
#elif defined(CSIG_HASH_HAVE_ARMCE) && defined(__linux__)
	/* Linux arm64 hwcap bits (asm/hwcap.h), in case libc lacks the names. */
	unsigned long hw = getauxval(AT_HWCAP);
	if (hw & (1ul << 5)) /* HWCAP_SHA1 */
		f |= CSIG_CPU_SHA1_HW;
	if (hw & (1ul << 6)) /* HWCAP_SHA2 */
		f |= CSIG_CPU_SHA256_HW;
#if defined(CSIG_HASH_HAVE_ARMCE512)
	if (hw & (1ul << 21)) /* HWCAP_SHA512 */
		f |= CSIG_CPU_SHA512_HW;
#endif
#endif
	return f;
}

unsigned csig__hash_cpu_features(void)
{
	unsigned f = atomic_load_explicit(&csig_cpu_features, memory_order_relaxed);
	if (!(f & CPU_PROBED)) {
		f = probe_cpu() | CPU_PROBED;
		atomic_store_explicit(&csig_cpu_features, f, memory_order_relaxed);
	}
	return f & ~CPU_PROBED;
}

#if defined(CSIG_HASH_HAVE_SHANI)
#define HW_KERNEL CSIG_HASH_K_SHANI
#define HW_NAME "sha-ni"
#elif defined(CSIG_HASH_HAVE_ARMCE)
#define HW_KERNEL CSIG_HASH_K_ARMV8CE
#define HW_NAME "armv8-ce"
#endif

static const uint32_t sha1_iv[5] = {
	0x67452301, 0xefcdab89, 0x98badcfe, 0x10325476, 0xc3d2e1f0
};
static const uint32_t sha256_iv[8] = {
	0x6a09e667, 0xbb67ae85, 0x3c6ef372, 0xa54ff53a,
	0x510e527f, 0x9b05688c, 0x1f83d9ab, 0x5be0cd19,
};
static const uint64_t sha512_iv[8] = {
	0x6a09e667f3bcc908ULL, 0xbb67ae8584caa73bULL,
	0x3c6ef372fe94f82bULL, 0xa54ff53a5f1d36f1ULL,
	0x510e527fade682d1ULL, 0x9b05688c2b3e6c1fULL,
	0x1f83d9abfb41bd6bULL, 0x5be0cd19137e2179ULL,
};
static const uint64_t sha384_iv[8] = {
	0xcbbb9d5dc1059ed8ULL, 0x629a292a367cd507ULL,
	0x9159015a3070dd17ULL, 0x152fecd8f70e5939ULL,
	0x67332667ffc00b31ULL, 0x8eb44a8768581511ULL,
	0xdb0c2e0d64f98fa7ULL, 0x47b5481dbefa4fa4ULL,
};

size_t csig__hash_size(int alg)
{
	switch (alg) {
	case CSIG_HASH_SHA1: return 20;
	case CSIG_HASH_SHA256: return 32;
	case CSIG_HASH_SHA256_TRUNCATED: return 20;
	case CSIG_HASH_SHA384: return 48;
	case CSIG_HASH_SHA512: return 64;
	default: return 0;
	}
}

size_t csig__hash_full_size(int alg)
{
	return alg == CSIG_HASH_SHA256_TRUNCATED ? 32 : csig__hash_size(alg);
}

static int is_sha512_family(int alg)
{
	return alg == CSIG_HASH_SHA384 || alg == CSIG_HASH_SHA512;
}

/* Hardware kernel bit needed by alg (0 if none exists). */
static unsigned hw_bit(int alg)
{
	switch (alg) {
	case CSIG_HASH_SHA1: return CSIG_CPU_SHA1_HW;
	case CSIG_HASH_SHA256:
	case CSIG_HASH_SHA256_TRUNCATED: return CSIG_CPU_SHA256_HW;
	default: return CSIG_CPU_SHA512_HW;
	}
}

static int init_common(csig_hash_ctx *c, int alg, int portable)
{
	memset(c, 0, sizeof(*c));
	switch (alg) {
	case CSIG_HASH_SHA1:
		memcpy(c->h.s32, sha1_iv, sizeof(sha1_iv));
		break;
	case CSIG_HASH_SHA256:
	case CSIG_HASH_SHA256_TRUNCATED:
		memcpy(c->h.s32, sha256_iv, sizeof(sha256_iv));
		break;
	case CSIG_HASH_SHA384:
		memcpy(c->h.s64, sha384_iv, sizeof(sha384_iv));
		break;
	case CSIG_HASH_SHA512:
		memcpy(c->h.s64, sha512_iv, sizeof(sha512_iv));
		break;
	default:
		c->alg = CSIG_HASH_NONE;
		return -1;
	}
	c->alg = alg;
	c->kernel = CSIG_HASH_K_PORTABLE;
#ifdef HW_KERNEL
	if (!portable && (csig__hash_cpu_features() & hw_bit(alg)))
		c->kernel = HW_KERNEL;
#else
	(void)portable;
	(void)hw_bit;
#endif
	return 0;
}

int csig__hash_init(csig_hash_ctx *c, int alg)
{
	return init_common(c, alg, 0);
}

int csig__hash_init_portable(csig_hash_ctx *c, int alg)
{
	return init_common(c, alg, 1);
}

const char *csig__hash_kernel(int alg)
{
	if (csig__hash_size(alg) == 0)
		return "portable";
#ifdef HW_KERNEL
	if (csig__hash_cpu_features() & hw_bit(alg))
		return HW_NAME;
#endif
	return "portable";
}

/* Run n whole blocks through the context's kernel. */
static void blocks(csig_hash_ctx *c, const uint8_t *p, size_t n)
{
	if (is_sha512_family(c->alg)) {
#if defined(CSIG_HASH_HAVE_ARMCE512)
		if (c->kernel == CSIG_HASH_K_ARMV8CE) {
			csig__sha512_blocks_armce(c->h.s64, p, n);
			return;
		}
#endif
		csig__sha512_blocks_portable(c->h.s64, p, n);
	} else if (c->alg == CSIG_HASH_SHA1) {
#if defined(CSIG_HASH_HAVE_SHANI)
		if (c->kernel == CSIG_HASH_K_SHANI) {
			csig__sha1_blocks_shani(c->h.s32, p, n);
			return;
		}
#elif defined(CSIG_HASH_HAVE_ARMCE)
		if (c->kernel == CSIG_HASH_K_ARMV8CE) {
			csig__sha1_blocks_armce(c->h.s32, p, n);
			return;
		}
#endif
		csig__sha1_blocks_portable(c->h.s32, p, n);
	} else {
#if defined(CSIG_HASH_HAVE_SHANI)
		if (c->kernel == CSIG_HASH_K_SHANI) {
			csig__sha256_blocks_shani(c->h.s32, p, n);
			return;
		}
#elif defined(CSIG_HASH_HAVE_ARMCE)
		if (c->kernel == CSIG_HASH_K_ARMV8CE) {
			csig__sha256_blocks_armce(c->h.s32, p, n);
			return;
		}
#endif
		csig__sha256_blocks_portable(c->h.s32, p, n);
	}
}

void csig__hash_update(csig_hash_ctx *c, const void *data, size_t n)
{
	const uint8_t *p = data;
	size_t bs = is_sha512_family(c->alg) ? 128 : 64;

	if (n == 0 || csig__hash_size(c->alg) == 0)
		return;
	c->total += n;
	if (c->fill > 0) {
		size_t take = bs - c->fill;
		if (take > n)
			take = n;
		memcpy(c->buf + c->fill, p, take);
		c->fill += take;
		p += take;
		n -= take;
		if (c->fill < bs)
			return;
		blocks(c, c->buf, 1);
		c->fill = 0;
	}
	if (n >= bs) {
		size_t nb = n / bs;
		blocks(c, p, nb);
		p += nb * bs;
		n -= nb * bs;
	}
	if (n > 0)
		memcpy(c->buf, p, n);
	c->fill = n;
}

static void store_be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

static void store_be64(uint8_t *p, uint64_t v)
{
	store_be32(p, (uint32_t)(v >> 32));
	store_be32(p + 4, (uint32_t)v);
}

void csig__hash_final(csig_hash_ctx *c, uint8_t *out)
{
	size_t full = csig__hash_full_size(c->alg);
	if (full == 0)
		return;
	int big = is_sha512_family(c->alg);
	size_t bs = big ? 128 : 64;
	size_t lenpos = bs - (big ? 16 : 8); /* the length field ends the block */

	/* Section 5.1: a 1 bit, zeros, then the message length in bits. */
	c->buf[c->fill++] = 0x80;
	if (c->fill > lenpos) {
		memset(c->buf + c->fill, 0, bs - c->fill);
		blocks(c, c->buf, 1);
		c->fill = 0;
	}
	memset(c->buf + c->fill, 0, lenpos - c->fill);
	if (big) /* 128-bit length: the high word holds the bits shifted out */
		store_be64(c->buf + lenpos, c->total >> 61);
	store_be64(c->buf + bs - 8, c->total << 3);
	blocks(c, c->buf, 1);

	if (big) {
		for (size_t i = 0; i < full / 8; i++)
			store_be64(out + 8 * i, c->h.s64[i]);
	} else {
		for (size_t i = 0; i < full / 4; i++)
			store_be32(out + 4 * i, c->h.s32[i]);
	}
	memset(c, 0, sizeof(*c));
}

size_t csig__hash(int alg, const void *p, size_t n, uint8_t *out)
{
	csig_hash_ctx c;
	if (csig__hash_init(&c, alg) != 0)
		return 0;
	csig__hash_update(&c, p, n);
	csig__hash_final(&c, out);
	return csig__hash_full_size(alg);
}

size_t csig__hash_portable(int alg, const void *p, size_t n, uint8_t *out)
{
	csig_hash_ctx c;
	if (csig__hash_init_portable(&c, alg) != 0)
		return 0;
	csig__hash_update(&c, p, n);
	csig__hash_final(&c, out);
	return csig__hash_full_size(alg);
}
