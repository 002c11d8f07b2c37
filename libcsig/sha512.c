/*
 * sha512.c - portable SHA-512 compression (FIPS 180-4 sections 4.1.3, 6.4),
 * shared by SHA-384 (section 6.5: other initial value, truncated output).
 * see hash.h
 */
#include "hash.h"

/* First 64 bits of the fractional parts of the cube roots of the first 80 primes. */
const uint64_t csig__sha512_k[80] = {
	0x428a2f98d728ae22ULL, 0x7137449123ef65cdULL,
	0xb5c0fbcfec4d3b2fULL, 0xe9b5dba58189dbbcULL,
	0x3956c25bf348b538ULL, 0x59f111f1b605d019ULL,
	0x923f82a4af194f9bULL, 0xab1c5ed5da6d8118ULL,
	0xd807aa98a3030242ULL, 0x12835b0145706fbeULL,
	0x243185be4ee4b28cULL, 0x550c7dc3d5ffb4e2ULL,
	0x72be5d74f27b896fULL, 0x80deb1fe3b1696b1ULL,
	0x9bdc06a725c71235ULL, 0xc19bf174cf692694ULL,
	0xe49b69c19ef14ad2ULL, 0xefbe4786384f25e3ULL,
	0x0fc19dc68b8cd5b5ULL, 0x240ca1cc77ac9c65ULL,
	0x2de92c6f592b0275ULL, 0x4a7484aa6ea6e483ULL,
	0x5cb0a9dcbd41fbd4ULL, 0x76f988da831153b5ULL,
	0x983e5152ee66dfabULL, 0xa831c66d2db43210ULL,
	0xb00327c898fb213fULL, 0xbf597fc7beef0ee4ULL,
	0xc6e00bf33da88fc2ULL, 0xd5a79147930aa725ULL,
	0x06ca6351e003826fULL, 0x142929670a0e6e70ULL,
	0x27b70a8546d22ffcULL, 0x2e1b21385c26c926ULL,
	0x4d2c6dfc5ac42aedULL, 0x53380d139d95b3dfULL,
	0x650a73548baf63deULL, 0x766a0abb3c77b2a8ULL,
	0x81c2c92e47edaee6ULL, 0x92722c851482353bULL,
	0xa2bfe8a14cf10364ULL, 0xa81a664bbc423001ULL,
	0xc24b8b70d0f89791ULL, 0xc76c51a30654be30ULL,
	0xd192e819d6ef5218ULL, 0xd69906245565a910ULL,
	0xf40e35855771202aULL, 0x106aa07032bbd1b8ULL,
	0x19a4c116b8d2d0c8ULL, 0x1e376c085141ab53ULL,
	0x2748774cdf8eeb99ULL, 0x34b0bcb5e19b48a8ULL,
	0x391c0cb3c5c95a63ULL, 0x4ed8aa4ae3418acbULL,
	0x5b9cca4f7763e373ULL, 0x682e6ff3d6b2b8a3ULL,
	0x748f82ee5defb2fcULL, 0x78a5636f43172f60ULL,
	0x84c87814a1f0ab72ULL, 0x8cc702081a6439ecULL,
	0x90befffa23631e28ULL, 0xa4506cebde82bde9ULL,
	0xbef9a3f7b2c67915ULL, 0xc67178f2e372532bULL,
	0xca273eceea26619cULL, 0xd186b8c721c0c207ULL,
	0xeada7dd6cde0eb1eULL, 0xf57d4f7fee6ed178ULL,
	0x06f067aa72176fbaULL, 0x0a637dc5a2c898a6ULL,
	0x113f9804bef90daeULL, 0x1b710b35131c471bULL,
	0x28db77f523047d84ULL, 0x32caab7b40c72493ULL,
	0x3c9ebe0a15c9bebcULL, 0x431d67c49c100d4cULL,
	0x4cc5d4becb3e42b6ULL, 0x597f299cfc657e2aULL,
	0x5fcb6fab3ad6faecULL, 0x6c44198c4a475817ULL,
};

#define ROR64(x, n) (((x) >> (n)) | ((x) << (64 - (n))))
#define BSIG0(x) (ROR64(x, 28) ^ ROR64(x, 34) ^ ROR64(x, 39))
#define BSIG1(x) (ROR64(x, 14) ^ ROR64(x, 18) ^ ROR64(x, 41))
#define SSIG0(x) (ROR64(x, 1) ^ ROR64(x, 8) ^ ((x) >> 7))
#define SSIG1(x) (ROR64(x, 19) ^ ROR64(x, 61) ^ ((x) >> 6))
#define CH(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define MAJ(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))

static inline uint64_t load_be64(const uint8_t *p)
{
	return (uint64_t)p[0] << 56 | (uint64_t)p[1] << 48 |
	       (uint64_t)p[2] << 40 | (uint64_t)p[3] << 32 |
	       (uint64_t)p[4] << 24 | (uint64_t)p[5] << 16 |
	       (uint64_t)p[6] << 8 | (uint64_t)p[7];
}

#define RND(a, b, c, d, e, f, g, h, k, w)                              \
	do {                                                           \
		uint64_t t1_ = (h) + BSIG1(e) + CH(e, f, g) + (k) + (w); \
		uint64_t t2_ = BSIG0(a) + MAJ(a, b, c);                \
		(d) += t1_;                                            \
		(h) = t1_ + t2_;                                       \
	} while (0)

#define WLOAD(i) (w[i] = load_be64(p + 8 * (i)))
#define WNEXT(i) \
	(w[(i) & 15] += SSIG1(w[((i) + 14) & 15]) + w[((i) + 9) & 15] + SSIG0(w[((i) + 1) & 15]))

#define RND8(r, i, W)                                                  \
	RND(a, b, c, d, e, f, g, h, csig__sha512_k[(r) + (i) + 0], W((i) + 0)); \
	RND(h, a, b, c, d, e, f, g, csig__sha512_k[(r) + (i) + 1], W((i) + 1)); \
	RND(g, h, a, b, c, d, e, f, csig__sha512_k[(r) + (i) + 2], W((i) + 2)); \
	RND(f, g, h, a, b, c, d, e, csig__sha512_k[(r) + (i) + 3], W((i) + 3)); \
	RND(e, f, g, h, a, b, c, d, csig__sha512_k[(r) + (i) + 4], W((i) + 4)); \
	RND(d, e, f, g, h, a, b, c, csig__sha512_k[(r) + (i) + 5], W((i) + 5)); \
	RND(c, d, e, f, g, h, a, b, csig__sha512_k[(r) + (i) + 6], W((i) + 6)); \
	RND(b, c, d, e, f, g, h, a, csig__sha512_k[(r) + (i) + 7], W((i) + 7))

void csig__sha512_blocks_portable(uint64_t st[8], const uint8_t *p, size_t nblocks)
{
	uint64_t w[16];

	for (; nblocks > 0; nblocks--, p += 128) {
		uint64_t a = st[0], b = st[1], c = st[2], d = st[3];
		uint64_t e = st[4], f = st[5], g = st[6], h = st[7];

		RND8(0, 0, WLOAD);
		RND8(0, 8, WLOAD);
		for (int r = 16; r < 80; r += 16) {
			RND8(r, 0, WNEXT);
			RND8(r, 8, WNEXT);
		}
		st[0] += a; st[1] += b; st[2] += c; st[3] += d;
		st[4] += e; st[5] += f; st[6] += g; st[7] += h;
	}
}
