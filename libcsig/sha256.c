/*
 * sha256.c - portable SHA-256 compression (FIPS 180-4 sections 4.1.2, 6.2).
 * see hash.h
 *
 * Fully unrolled: the eight working variables rotate through the macro
 * arguments instead of being shuffled, and the message schedule lives in a
 * 16-word ring indexed by constants, so the compiler keeps it in registers
 * (or a small stack window) with no index arithmetic.
 */
#include "hash.h"

/* First 32 bits of the fractional parts of the cube roots of the first 64 primes. */
const uint32_t csig__sha256_k[64] = {
	0x428a2f98, 0x71374491, 0xb5c0fbcf, 0xe9b5dba5,
	0x3956c25b, 0x59f111f1, 0x923f82a4, 0xab1c5ed5,
	0xd807aa98, 0x12835b01, 0x243185be, 0x550c7dc3,
	0x72be5d74, 0x80deb1fe, 0x9bdc06a7, 0xc19bf174,
	0xe49b69c1, 0xefbe4786, 0x0fc19dc6, 0x240ca1cc,
	0x2de92c6f, 0x4a7484aa, 0x5cb0a9dc, 0x76f988da,
	0x983e5152, 0xa831c66d, 0xb00327c8, 0xbf597fc7,
	0xc6e00bf3, 0xd5a79147, 0x06ca6351, 0x14292967,
	0x27b70a85, 0x2e1b2138, 0x4d2c6dfc, 0x53380d13,
	0x650a7354, 0x766a0abb, 0x81c2c92e, 0x92722c85,
	0xa2bfe8a1, 0xa81a664b, 0xc24b8b70, 0xc76c51a3,
	0xd192e819, 0xd6990624, 0xf40e3585, 0x106aa070,
	0x19a4c116, 0x1e376c08, 0x2748774c, 0x34b0bcb5,
	0x391c0cb3, 0x4ed8aa4a, 0x5b9cca4f, 0x682e6ff3,
	0x748f82ee, 0x78a5636f, 0x84c87814, 0x8cc70208,
	0x90befffa, 0xa4506ceb, 0xbef9a3f7, 0xc67178f2,
};

#define ROR32(x, n) (((x) >> (n)) | ((x) << (32 - (n))))
#define BSIG0(x) (ROR32(x, 2) ^ ROR32(x, 13) ^ ROR32(x, 22))
#define BSIG1(x) (ROR32(x, 6) ^ ROR32(x, 11) ^ ROR32(x, 25))
#define SSIG0(x) (ROR32(x, 7) ^ ROR32(x, 18) ^ ((x) >> 3))
#define SSIG1(x) (ROR32(x, 17) ^ ROR32(x, 19) ^ ((x) >> 10))
/* Ch and Maj rewritten with fewer operations; same truth tables. */
#define CH(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MAJ(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))

static inline uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* One round; h receives T1 + T2 and d is advanced by T1. */
#define RND(a, b, c, d, e, f, g, h, k, w)                              \
	do {                                                           \
		uint32_t t1_ = (h) + BSIG1(e) + CH(e, f, g) + (k) + (w); \
		uint32_t t2_ = BSIG0(a) + MAJ(a, b, c);                \
		(d) += t1_;                                            \
		(h) = t1_ + t2_;                                       \
	} while (0)

/* W[t] for t >= 16, computed in place in the ring slot of W[t-16]. */
#define SCHED(i) \
	(w[(i) & 15] += SSIG1(w[((i) + 14) & 15]) + w[((i) + 9) & 15] + SSIG0(w[((i) + 1) & 15]))

/* Eight rounds starting at round r + i; W already computed. */
#define RND8(r, i, W)                                                  \
	RND(a, b, c, d, e, f, g, h, csig__sha256_k[(r) + (i) + 0], W((i) + 0)); \
	RND(h, a, b, c, d, e, f, g, csig__sha256_k[(r) + (i) + 1], W((i) + 1)); \
	RND(g, h, a, b, c, d, e, f, csig__sha256_k[(r) + (i) + 2], W((i) + 2)); \
	RND(f, g, h, a, b, c, d, e, csig__sha256_k[(r) + (i) + 3], W((i) + 3)); \
	RND(e, f, g, h, a, b, c, d, csig__sha256_k[(r) + (i) + 4], W((i) + 4)); \
	RND(d, e, f, g, h, a, b, c, csig__sha256_k[(r) + (i) + 5], W((i) + 5)); \
	RND(c, d, e, f, g, h, a, b, csig__sha256_k[(r) + (i) + 6], W((i) + 6)); \
	RND(b, c, d, e, f, g, h, a, csig__sha256_k[(r) + (i) + 7], W((i) + 7))

#define WLOAD(i) (w[i] = load_be32(p + 4 * (i)))
#define WNEXT(i) SCHED(i)

void csig__sha256_blocks_portable(uint32_t st[8], const uint8_t *p, size_t nblocks)
{
	uint32_t w[16];

	for (; nblocks > 0; nblocks--, p += 64) {
		uint32_t a = st[0], b = st[1], c = st[2], d = st[3];
		uint32_t e = st[4], f = st[5], g = st[6], h = st[7];

		RND8(0, 0, WLOAD);
		RND8(0, 8, WLOAD);
		for (int r = 16; r < 64; r += 16) {
			RND8(r, 0, WNEXT);
			RND8(r, 8, WNEXT);
		}
		st[0] += a; st[1] += b; st[2] += c; st[3] += d;
		st[4] += e; st[5] += f; st[6] += g; st[7] += h;
	}
}
