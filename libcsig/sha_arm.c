/*
 * sha_arm.c - SHA-1, SHA-256 and SHA-512 block functions on the ARMv8
 * cryptographic extensions (SHA-512 needs ARMv8.2 FEAT_SHA512).  see hash.h
 *
 * Built only where hash.h defines CSIG_HASH_HAVE_ARMCE*; hash.c calls them
 * only when the CPU advertises the matching hwcap.  Lane 0 is the low lane.
 *   SHA-1:   {A,B,C,D} in natural order, E as a scalar; the instructions
 *            take W+K and do four rounds; sha1h gives rol30(A), the E of
 *            four rounds later.
 *   SHA-256: {A,B,C,D} and {E,F,G,H} in natural order; sha256h/sha256h2
 *            do four rounds on W+K.
 *   SHA-512: pairs {A,B}, {C,D}, {E,F}, {G,H}; sha512h/sha512h2 do two
 *            rounds, with the operands re-paired as {G+W+K..}, {F,G}, {D,E}.
 */
#include "hash.h"

#if defined(CSIG_HASH_HAVE_ARMCE)

#include <arm_neon.h>

#if defined(__clang__)
/* clang only got here with the features enabled for the whole build. */
#define CE_TARGET
#define CE512_TARGET
#else
#define CE_TARGET __attribute__((target("+crypto")))
#define CE512_TARGET __attribute__((target("+sha3")))
#endif

static inline uint32x4_t load_be32x4(const uint8_t *p)
{
	return vreinterpretq_u32_u8(vrev32q_u8(vld1q_u8(p)));
}

/* ---- SHA-1 ------------------------------------------------------------ */

/* Four rounds with function op (c = Ch, p = Parity, m = Maj) on m = W[4i..4i+3]. */
#define A1_ROUNDS4(op, m, k)                                         \
	do {                                                         \
		uint32x4_t wk_ = vaddq_u32((m), (k));                \
		uint32_t enext_ = vsha1h_u32(vgetq_lane_u32(abcd, 0)); \
		abcd = op(abcd, e, wk_);                             \
		e = enext_;                                          \
	} while (0)

/* m0 <- W[t..t+3], t = 4i+16, from the vectors covering W[4i..4i+15]. */
#define A1_SCHED(m0, m1, m2, m3) \
	(m0) = vsha1su1q_u32(vsha1su0q_u32((m0), (m1), (m2)), (m3))

#define A1_STEP(op, k, m0, m1, m2, m3) \
	A1_ROUNDS4(op, m0, k);         \
	A1_SCHED(m0, m1, m2, m3)

CE_TARGET
void csig__sha1_blocks_armce(uint32_t st[5], const uint8_t *p, size_t nblocks)
{
	const uint32x4_t k0 = vdupq_n_u32(0x5a827999u);
	const uint32x4_t k1 = vdupq_n_u32(0x6ed9eba1u);
	const uint32x4_t k2 = vdupq_n_u32(0x8f1bbcdcu);
	const uint32x4_t k3 = vdupq_n_u32(0xca62c1d6u);
	uint32x4_t abcd = vld1q_u32(st);
	uint32_t e = st[4];

	for (; nblocks > 0; nblocks--, p += 64) {
		const uint32x4_t abcd0 = abcd;
		const uint32_t e0 = e;
		uint32x4_t m0 = load_be32x4(p);
		uint32x4_t m1 = load_be32x4(p + 16);
		uint32x4_t m2 = load_be32x4(p + 32);
		uint32x4_t m3 = load_be32x4(p + 48);

		A1_STEP(vsha1cq_u32, k0, m0, m1, m2, m3);   /* rounds 0-3 */
		A1_STEP(vsha1cq_u32, k0, m1, m2, m3, m0);
		A1_STEP(vsha1cq_u32, k0, m2, m3, m0, m1);
		A1_STEP(vsha1cq_u32, k0, m3, m0, m1, m2);
		A1_STEP(vsha1cq_u32, k0, m0, m1, m2, m3);   /* rounds 16-19 */
		A1_STEP(vsha1pq_u32, k1, m1, m2, m3, m0);
		A1_STEP(vsha1pq_u32, k1, m2, m3, m0, m1);
		A1_STEP(vsha1pq_u32, k1, m3, m0, m1, m2);
		A1_STEP(vsha1pq_u32, k1, m0, m1, m2, m3);
		A1_STEP(vsha1pq_u32, k1, m1, m2, m3, m0);   /* rounds 36-39 */
		A1_STEP(vsha1mq_u32, k2, m2, m3, m0, m1);
		A1_STEP(vsha1mq_u32, k2, m3, m0, m1, m2);
		A1_STEP(vsha1mq_u32, k2, m0, m1, m2, m3);
		A1_STEP(vsha1mq_u32, k2, m1, m2, m3, m0);
		A1_STEP(vsha1mq_u32, k2, m2, m3, m0, m1);   /* rounds 56-59 */
		A1_STEP(vsha1pq_u32, k3, m3, m0, m1, m2);
		/* W[64..79] are already in m0..m3. */
		A1_ROUNDS4(vsha1pq_u32, m0, k3);
		A1_ROUNDS4(vsha1pq_u32, m1, k3);
		A1_ROUNDS4(vsha1pq_u32, m2, k3);
		A1_ROUNDS4(vsha1pq_u32, m3, k3);

		abcd = vaddq_u32(abcd, abcd0);
		e += e0;
	}
	vst1q_u32(st, abcd);
	st[4] = e;
}

/* ---- SHA-256 ---------------------------------------------------------- */

#define A256_ROUNDS4(m, i)                                                    \
	do {                                                                  \
		uint32x4_t wk_ = vaddq_u32((m), vld1q_u32(csig__sha256_k + 4 * (i))); \
		uint32x4_t abcd_ = abcd;                                      \
		abcd = vsha256hq_u32(abcd, efgh, wk_);                        \
		efgh = vsha256h2q_u32(efgh, abcd_, wk_);                      \
	} while (0)

#define A256_SCHED(m0, m1, m2, m3) \
	(m0) = vsha256su1q_u32(vsha256su0q_u32((m0), (m1)), (m2), (m3))

#define A256_STEP(m0, m1, m2, m3, i) \
	A256_ROUNDS4(m0, i);         \
	A256_SCHED(m0, m1, m2, m3)

CE_TARGET
void csig__sha256_blocks_armce(uint32_t st[8], const uint8_t *p, size_t nblocks)
{
	uint32x4_t abcd = vld1q_u32(st);
	uint32x4_t efgh = vld1q_u32(st + 4);

	for (; nblocks > 0; nblocks--, p += 64) {
		const uint32x4_t abcd0 = abcd, efgh0 = efgh;
		uint32x4_t m0 = load_be32x4(p);
		uint32x4_t m1 = load_be32x4(p + 16);
		uint32x4_t m2 = load_be32x4(p + 32);
		uint32x4_t m3 = load_be32x4(p + 48);

		A256_STEP(m0, m1, m2, m3, 0);
		A256_STEP(m1, m2, m3, m0, 1);
		A256_STEP(m2, m3, m0, m1, 2);
		A256_STEP(m3, m0, m1, m2, 3);
		A256_STEP(m0, m1, m2, m3, 4);
		A256_STEP(m1, m2, m3, m0, 5);
		A256_STEP(m2, m3, m0, m1, 6);
		A256_STEP(m3, m0, m1, m2, 7);
		A256_STEP(m0, m1, m2, m3, 8);
		A256_STEP(m1, m2, m3, m0, 9);
		A256_STEP(m2, m3, m0, m1, 10);
		A256_STEP(m3, m0, m1, m2, 11);
		A256_ROUNDS4(m0, 12);
		A256_ROUNDS4(m1, 13);
		A256_ROUNDS4(m2, 14);
		A256_ROUNDS4(m3, 15);

		abcd = vaddq_u32(abcd, abcd0);
		efgh = vaddq_u32(efgh, efgh0);
	}
	vst1q_u32(st, abcd);
	vst1q_u32(st + 4, efgh);
}

/* ---- SHA-512 ---------------------------------------------------------- */

#if defined(CSIG_HASH_HAVE_ARMCE512)

/*
 * Two rounds on m = W[2i..2i+1].  sha512h takes {G + K+W[t+1], H + K+W[t]},
 * {F,G} and {D,E} and returns both rounds' T1; adding {C,D} gives the new
 * {E,F}.  sha512h2 takes those T1, {C,D} and {A,B} and returns the new
 * {A,B}.  The old {A,B} and {E,F} become {C,D} and {G,H}.
 */
#define A512_ROUNDS2(m, i)                                                    \
	do {                                                                  \
		uint64x2_t wk_ = vaddq_u64((m), vld1q_u64(csig__sha512_k + 2 * (i))); \
		uint64x2_t t1_, nab_;                                         \
		wk_ = vaddq_u64(vextq_u64(wk_, wk_, 1), gh);                  \
		t1_ = vsha512hq_u64(wk_, vextq_u64(ef, gh, 1), vextq_u64(cd, ef, 1)); \
		nab_ = vsha512h2q_u64(t1_, cd, ab);                           \
		gh = ef;                                                      \
		ef = vaddq_u64(cd, t1_);                                      \
		cd = ab;                                                      \
		ab = nab_;                                                    \
	} while (0)

/* m0 <- W[t], W[t+1] for t = 2i+16 from the eight vectors covering W[2i..2i+15]. */
#define A512_SCHED(m0, m1, m4, m5, m7) \
	(m0) = vsha512su1q_u64(vsha512su0q_u64((m0), (m1)), (m7), vextq_u64((m4), (m5), 1))

#define A512_STEP(m0, m1, m2, m3, m4, m5, m6, m7, i) \
	A512_ROUNDS2(m0, i);                         \
	A512_SCHED(m0, m1, m4, m5, m7)

#define A512_STEP8(i)                                         \
	A512_STEP(m0, m1, m2, m3, m4, m5, m6, m7, (i) + 0);   \
	A512_STEP(m1, m2, m3, m4, m5, m6, m7, m0, (i) + 1);   \
	A512_STEP(m2, m3, m4, m5, m6, m7, m0, m1, (i) + 2);   \
	A512_STEP(m3, m4, m5, m6, m7, m0, m1, m2, (i) + 3);   \
	A512_STEP(m4, m5, m6, m7, m0, m1, m2, m3, (i) + 4);   \
	A512_STEP(m5, m6, m7, m0, m1, m2, m3, m4, (i) + 5);   \
	A512_STEP(m6, m7, m0, m1, m2, m3, m4, m5, (i) + 6);   \
	A512_STEP(m7, m0, m1, m2, m3, m4, m5, m6, (i) + 7)

static inline uint64x2_t load_be64x2(const uint8_t *p)
{
	return vreinterpretq_u64_u8(vrev64q_u8(vld1q_u8(p)));
}

CE512_TARGET
void csig__sha512_blocks_armce(uint64_t st[8], const uint8_t *p, size_t nblocks)
{
	uint64x2_t ab = vld1q_u64(st), cd = vld1q_u64(st + 2);
	uint64x2_t ef = vld1q_u64(st + 4), gh = vld1q_u64(st + 6);

	for (; nblocks > 0; nblocks--, p += 128) {
		const uint64x2_t ab0 = ab, cd0 = cd, ef0 = ef, gh0 = gh;
		uint64x2_t m0 = load_be64x2(p), m1 = load_be64x2(p + 16);
		uint64x2_t m2 = load_be64x2(p + 32), m3 = load_be64x2(p + 48);
		uint64x2_t m4 = load_be64x2(p + 64), m5 = load_be64x2(p + 80);
		uint64x2_t m6 = load_be64x2(p + 96), m7 = load_be64x2(p + 112);

		A512_STEP8(0);
		A512_STEP8(8);
		A512_STEP8(16);
		A512_STEP8(24);
		/* W[64..79] are already in m0..m7. */
		A512_ROUNDS2(m0, 32);
		A512_ROUNDS2(m1, 33);
		A512_ROUNDS2(m2, 34);
		A512_ROUNDS2(m3, 35);
		A512_ROUNDS2(m4, 36);
		A512_ROUNDS2(m5, 37);
		A512_ROUNDS2(m6, 38);
		A512_ROUNDS2(m7, 39);

		ab = vaddq_u64(ab, ab0);
		cd = vaddq_u64(cd, cd0);
		ef = vaddq_u64(ef, ef0);
		gh = vaddq_u64(gh, gh0);
	}
	vst1q_u64(st, ab);
	vst1q_u64(st + 2, cd);
	vst1q_u64(st + 4, ef);
	vst1q_u64(st + 6, gh);
}

#endif /* CSIG_HASH_HAVE_ARMCE512 */

#else
/* ISO C forbids an empty translation unit. */
typedef int csig__sha_arm_unused;
#endif
