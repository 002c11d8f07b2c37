/*
 * sha1.c - portable SHA-1 compression (FIPS 180-4 sections 4.1.1, 6.1).
 * see hash.h
 *
 * Unrolled like sha256.c: the five working variables rotate through macro
 * arguments and the schedule is a 16-word ring.
 */
#include "hash.h"

#define ROL32(x, n) (((x) << (n)) | ((x) >> (32 - (n))))
/* Ch, Parity, Maj (section 4.1.1). */
#define F_CH(x, y, z) ((z) ^ ((x) & ((y) ^ (z))))
#define F_PAR(x, y, z) ((x) ^ (y) ^ (z))
#define F_MAJ(x, y, z) (((x) & (y)) | ((z) & ((x) | (y))))

#define K0 0x5a827999u
#define K1 0x6ed9eba1u
#define K2 0x8f1bbcdcu
#define K3 0xca62c1d6u

static inline uint32_t load_be32(const uint8_t *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 |
	       (uint32_t)p[2] << 8 | (uint32_t)p[3];
}

/* W[t] = ROTL1(W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16]) in ring slot t & 15. */
#define WL(t) (w[(t) & 15] = load_be32(p + 4 * (t)))
#define WN(t)                                                          \
	(w[(t) & 15] = ROL32(w[((t) + 13) & 15] ^ w[((t) + 8) & 15] ^   \
			     w[((t) + 2) & 15] ^ w[(t) & 15], 1))

/* T = ROTL5(a) + f(b,c,d) + e + K + W; the rotation of names replaces the shuffle. */
#define R(a, b, c, d, e, F, K, W, t)                                   \
	do {                                                           \
		(e) += ROL32(a, 5) + F(b, c, d) + (K) + W(t);          \
		(b) = ROL32(b, 30);                                    \
	} while (0)

#define R5(F, K, W, t)                          \
	R(a, b, c, d, e, F, K, W, (t) + 0);     \
	R(e, a, b, c, d, F, K, W, (t) + 1);     \
	R(d, e, a, b, c, F, K, W, (t) + 2);     \
	R(c, d, e, a, b, F, K, W, (t) + 3);     \
	R(b, c, d, e, a, F, K, W, (t) + 4)

void csig__sha1_blocks_portable(uint32_t st[5], const uint8_t *p, size_t nblocks)
{
	uint32_t w[16];

	for (; nblocks > 0; nblocks--, p += 64) {
		uint32_t a = st[0], b = st[1], c = st[2], d = st[3], e = st[4];

		R5(F_CH, K0, WL, 0);
		R5(F_CH, K0, WL, 5);
		R5(F_CH, K0, WL, 10);
		R(a, b, c, d, e, F_CH, K0, WL, 15);
		R(e, a, b, c, d, F_CH, K0, WN, 16);
		R(d, e, a, b, c, F_CH, K0, WN, 17);
		R(c, d, e, a, b, F_CH, K0, WN, 18);
		R(b, c, d, e, a, F_CH, K0, WN, 19);
		R5(F_PAR, K1, WN, 20);
		R5(F_PAR, K1, WN, 25);
		R5(F_PAR, K1, WN, 30);
		R5(F_PAR, K1, WN, 35);
		R5(F_MAJ, K2, WN, 40);
		R5(F_MAJ, K2, WN, 45);
		R5(F_MAJ, K2, WN, 50);
		R5(F_MAJ, K2, WN, 55);
		R5(F_PAR, K3, WN, 60);
		R5(F_PAR, K3, WN, 65);
		R5(F_PAR, K3, WN, 70);
		R5(F_PAR, K3, WN, 75);

		st[0] += a; st[1] += b; st[2] += c; st[3] += d; st[4] += e;
	}
}
