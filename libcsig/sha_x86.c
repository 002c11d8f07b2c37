/*
 * sha_x86.c - SHA-1 and SHA-256 block functions on the x86 SHA extensions
 * (SHA-NI).  see hash.h
 *
 * Compiled on every x86 build with per-function target attributes, so the
 * rest of the library needs no special flags; hash.c calls these only when
 * CPUID reports SHA, SSSE3 and SSE4.1.
 *
 * Register layouts the instructions impose (lane 3 is the high lane):
 *   SHA-256: sha256rnds2 wants the state split as {A,B,E,F} and {C,D,G,H},
 *            A and C in lane 3; message words in natural order, W[t] in
 *            lane t mod 4.  Each instruction does two rounds using the low
 *            two lanes of W+K.
 *   SHA-1:   {A,B,C,D} with A in lane 3; E rides in lane 3 of the W+K
 *            operand; message words reversed, W[t] in lane 3 - t mod 4.
 */
#include "hash.h"

#if defined(CSIG_HASH_HAVE_SHANI)

#include <immintrin.h>

#define SHANI_TARGET __attribute__((target("sha,sse4.1,ssse3")))

/* ---- SHA-256 ---------------------------------------------------------- */

/* Four rounds on message vector m (W[4i..4i+3]). */
#define S256_ROUNDS4(m, i)                                                   \
	do {                                                                 \
		__m128i wk_ = _mm_add_epi32((m), _mm_loadu_si128(            \
			(const __m128i *)(const void *)(csig__sha256_k + 4 * (i)))); \
		cdgh = _mm_sha256rnds2_epu32(cdgh, abef, wk_);               \
		wk_ = _mm_shuffle_epi32(wk_, 0x0e);                          \
		abef = _mm_sha256rnds2_epu32(abef, cdgh, wk_);               \
	} while (0)
/*
 * After the first rnds2 the new {A,B,E,F} is in cdgh and the old one, now
 * {C,D,G,H}, in abef; the second call swaps them back.
 */

/* m0 <- W[t..t+3] for t = 4i+16 from the four vectors covering W[4i..4i+15]. */
#define S256_SCHED(m0, m1, m2, m3)                                          \
	(m0) = _mm_sha256msg2_epu32(                                        \
		_mm_add_epi32(_mm_sha256msg1_epu32((m0), (m1)),             \
			      _mm_alignr_epi8((m3), (m2), 4)),              \
		(m3))

#define S256_STEP(m0, m1, m2, m3, i)            \
	S256_ROUNDS4(m0, i);                    \
	S256_SCHED(m0, m1, m2, m3)

SHANI_TARGET
void csig__sha256_blocks_shani(uint32_t st[8], const uint8_t *p, size_t nblocks)
{
	/* Byte swap inside each 32-bit lane: message words are big-endian. */
	const __m128i bswap = _mm_set_epi64x(0x0c0d0e0f08090a0bLL, 0x0405060700010203LL);
	__m128i t, abef, cdgh;

	t = _mm_loadu_si128((const __m128i *)(const void *)st);            /* D C B A */
	cdgh = _mm_loadu_si128((const __m128i *)(const void *)(st + 4));   /* H G F E */
	t = _mm_shuffle_epi32(t, 0xb1);          /* C D A B */
	cdgh = _mm_shuffle_epi32(cdgh, 0x1b);    /* E F G H */
	abef = _mm_alignr_epi8(t, cdgh, 8);      /* A B E F */
	cdgh = _mm_blend_epi16(cdgh, t, 0xf0);   /* C D G H */

	for (; nblocks > 0; nblocks--, p += 64) {
		const __m128i abef0 = abef, cdgh0 = cdgh;
		__m128i m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), bswap);
		__m128i m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16)), bswap);
		__m128i m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 32)), bswap);
		__m128i m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 48)), bswap);

		S256_STEP(m0, m1, m2, m3, 0);
		S256_STEP(m1, m2, m3, m0, 1);
		S256_STEP(m2, m3, m0, m1, 2);
		S256_STEP(m3, m0, m1, m2, 3);
		S256_STEP(m0, m1, m2, m3, 4);
		S256_STEP(m1, m2, m3, m0, 5);
		S256_STEP(m2, m3, m0, m1, 6);
		S256_STEP(m3, m0, m1, m2, 7);
		S256_STEP(m0, m1, m2, m3, 8);
		S256_STEP(m1, m2, m3, m0, 9);
		S256_STEP(m2, m3, m0, m1, 10);
		S256_STEP(m3, m0, m1, m2, 11);
		/* W[48..63] are already in m0..m3. */
		S256_ROUNDS4(m0, 12);
		S256_ROUNDS4(m1, 13);
		S256_ROUNDS4(m2, 14);
		S256_ROUNDS4(m3, 15);

		abef = _mm_add_epi32(abef, abef0);
		cdgh = _mm_add_epi32(cdgh, cdgh0);
	}

	t = _mm_shuffle_epi32(abef, 0x1b);       /* F E B A */
	cdgh = _mm_shuffle_epi32(cdgh, 0xb1);    /* D C H G */
	abef = _mm_blend_epi16(t, cdgh, 0xf0);   /* D C B A */
	cdgh = _mm_alignr_epi8(cdgh, t, 8);      /* H G F E */
	_mm_storeu_si128((__m128i *)(void *)st, abef);
	_mm_storeu_si128((__m128i *)(void *)(st + 4), cdgh);
}

/* ---- SHA-1 ------------------------------------------------------------ */

/*
 * Four rounds on m = W[4i..4i+3].  The E input is rol30 of A four rounds
 * back (sha1nexte adds it to lane 3); for i == 0 it is the saved E itself.
 * prev keeps this group's input state for the next group's E.
 */
#define S1_ROUNDS4(m, i, f)                                          \
	do {                                                         \
		__m128i wk_ = (i) == 0 ? _mm_add_epi32(e0, (m))      \
				       : _mm_sha1nexte_epu32(prev, (m)); \
		prev = abcd;                                         \
		abcd = _mm_sha1rnds4_epu32(abcd, wk_, f);            \
	} while (0)

/* m0 <- W[t..t+3], t = 4i+16: rol1(W[t-3] ^ W[t-8] ^ W[t-14] ^ W[t-16]). */
#define S1_SCHED(m0, m1, m2, m3) \
	(m0) = _mm_sha1msg2_epu32(_mm_xor_si128(_mm_sha1msg1_epu32((m0), (m1)), (m2)), (m3))

#define S1_STEP(m0, m1, m2, m3, i, f)   \
	S1_ROUNDS4(m0, i, f);           \
	S1_SCHED(m0, m1, m2, m3)

SHANI_TARGET
void csig__sha1_blocks_shani(uint32_t st[5], const uint8_t *p, size_t nblocks)
{
	/* Reverse all 16 bytes: big-endian words, W[4i] into lane 3. */
	const __m128i rev = _mm_set_epi64x(0x0001020304050607LL, 0x08090a0b0c0d0e0fLL);
	__m128i abcd = _mm_shuffle_epi32(_mm_loadu_si128((const __m128i *)(const void *)st), 0x1b);
	__m128i e0 = _mm_set_epi32((int)st[4], 0, 0, 0);

	for (; nblocks > 0; nblocks--, p += 64) {
		const __m128i abcd0 = abcd;
		__m128i prev;
		__m128i m0 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)p), rev);
		__m128i m1 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 16)), rev);
		__m128i m2 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 32)), rev);
		__m128i m3 = _mm_shuffle_epi8(_mm_loadu_si128((const __m128i *)(const void *)(p + 48)), rev);

		/* The immediate picks f and K: 0 Ch, 1 Parity, 2 Maj, 3 Parity. */
		S1_STEP(m0, m1, m2, m3, 0, 0);
		S1_STEP(m1, m2, m3, m0, 1, 0);
		S1_STEP(m2, m3, m0, m1, 2, 0);
		S1_STEP(m3, m0, m1, m2, 3, 0);
		S1_STEP(m0, m1, m2, m3, 4, 0);
		S1_STEP(m1, m2, m3, m0, 5, 1);
		S1_STEP(m2, m3, m0, m1, 6, 1);
		S1_STEP(m3, m0, m1, m2, 7, 1);
		S1_STEP(m0, m1, m2, m3, 8, 1);
		S1_STEP(m1, m2, m3, m0, 9, 1);
		S1_STEP(m2, m3, m0, m1, 10, 2);
		S1_STEP(m3, m0, m1, m2, 11, 2);
		S1_STEP(m0, m1, m2, m3, 12, 2);
		S1_STEP(m1, m2, m3, m0, 13, 2);
		S1_STEP(m2, m3, m0, m1, 14, 2);
		S1_STEP(m3, m0, m1, m2, 15, 3);
		/* W[64..79] are already in m0..m3. */
		S1_ROUNDS4(m0, 16, 3);
		S1_ROUNDS4(m1, 17, 3);
		S1_ROUNDS4(m2, 18, 3);
		S1_ROUNDS4(m3, 19, 3);

		/* E after the block is rol30(A from before the last group); add the saved E. */
		e0 = _mm_sha1nexte_epu32(prev, e0);
		abcd = _mm_add_epi32(abcd, abcd0);
	}

	_mm_storeu_si128((__m128i *)(void *)st, _mm_shuffle_epi32(abcd, 0x1b));
	st[4] = (uint32_t)_mm_extract_epi32(e0, 3);
}

#else
/* ISO C forbids an empty translation unit. */
typedef int csig__sha_x86_unused;
#endif
