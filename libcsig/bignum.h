/*
 * bignum.h - fixed-capacity unsigned big-number arithmetic written here for
 * the signature verifiers (pk.h).  Internal.
 *
 * Model.  Numbers are arrays of 32-bit limbs, least significant limb first;
 * products are formed in 64 bits, so the code is plain C11 on every target.
 * Two layers:
 *
 *  - the limb-array layer (csig__ln_*, csig__mont_*) works on arrays of a
 *    length k the caller fixes, which is what RSA (k <= 256) and the
 *    elliptic-curve field arithmetic (k = 8 or 12) need;
 *  - csig_bn is a value with its own length, big enough for the product of
 *    two 8192-bit numbers, used for general multiplication, reduction and
 *    exponentiation (and the unit tests against python-computed values).
 *
 * Montgomery arithmetic (CIOS) needs an odd modulus.  Nothing here
 * allocates; the largest stack frame is a few KiB.  Verification only, so
 * nothing here is constant time.  Every function is thread-safe (no state
 * outside its arguments).
 */
#ifndef CSIG_BIGNUM_H
#define CSIG_BIGNUM_H

#include <stddef.h>
#include <stdint.h>
#include "pk.h"

typedef uint32_t csig_limb;
typedef uint64_t csig_dlimb;
#define CSIG_LIMB_BITS 32
#define CSIG_LIMB_BYTES 4

/* Largest Montgomery modulus, in limbs (8192 bits). */
#define CSIG_MONT_LIMBS (CSIG_RSA_MAX_BITS / CSIG_LIMB_BITS)
/* csig_bn capacity: a full product of two moduli plus slack. */
#define CSIG_BN_LIMBS (2 * CSIG_MONT_LIMBS + 2)

/* ---- limb arrays of a fixed length k ---------------------------------- */

/* r = a + b, returns the carry out.  r may alias a or b. */
csig_limb csig__ln_add(csig_limb *r, const csig_limb *a, const csig_limb *b,
		       size_t k);
/* r = a - b, returns the borrow out (1 when a < b).  r may alias a or b. */
csig_limb csig__ln_sub(csig_limb *r, const csig_limb *a, const csig_limb *b,
		       size_t k);
/* -1, 0, 1 as a <, ==, > b. */
int csig__ln_cmp(const csig_limb *a, const csig_limb *b, size_t k);
int csig__ln_is_zero(const csig_limb *a, size_t k);
/* Index of the highest set bit plus one; 0 for zero. */
size_t csig__ln_bits(const csig_limb *a, size_t k);
/* Bit i (0 = least significant); i must be < 32 * k. */
static inline int csig__ln_bit(const csig_limb *a, size_t i)
{
	return (int)((a[i / CSIG_LIMB_BITS] >> (i % CSIG_LIMB_BITS)) & 1u);
}
/* a = small value. */
void csig__ln_set_u32(csig_limb *a, size_t k, uint32_t v);

/*
 * Big-endian unsigned bytes (leading zeros allowed, any length) into k
 * limbs.  Input bytes are read through the bounds-checked reader.
 * Returns 0, or -1 when the value needs more than k limbs (r is then
 * unspecified).  n == 0 reads as zero.
 */
int csig__ln_from_be(csig_limb *r, size_t k, const uint8_t *p, size_t n);
/*
 * a as exactly n big-endian bytes (zero-padded on the left).  Returns 0, or
 * -1 when a does not fit in n bytes.
 */
int csig__ln_to_be(const csig_limb *a, size_t k, uint8_t *out, size_t n);

/* ---- Montgomery arithmetic modulo an odd m ---------------------------- */

typedef struct csig_mont {
	size_t k;                     /* limbs of m; m[k-1] != 0 */
	csig_limb m0inv;              /* -m^-1 mod 2^32 */
	csig_limb m[CSIG_MONT_LIMBS];
	csig_limb one[CSIG_MONT_LIMBS]; /* R mod m, R = 2^(32k): Montgomery 1 */
	csig_limb rr[CSIG_MONT_LIMBS];  /* R^2 mod m: converts into the domain */
} csig_mont;

/*
 * Set up c for modulus m (k limbs; leading zero limbs are dropped).
 * Returns 0, or -1 when m is even, m <= 1 or k > CSIG_MONT_LIMBS.
 */
int csig__mont_init(csig_mont *c, const csig_limb *m, size_t k);
/*
 * r = a * b * R^-1 mod m, fully reduced, for a, b < R with a * b < R * m
 * (in particular any a < R with b < m).  r may alias a or b.
 */
void csig__mont_mul(const csig_mont *c, csig_limb *r, const csig_limb *a,
		    const csig_limb *b);
/* r = a * R mod m (into the domain), for any a < R. */
void csig__mont_to(const csig_mont *c, csig_limb *r, const csig_limb *a);
/* r = a * R^-1 mod m (out of the domain). */
void csig__mont_from(const csig_mont *c, csig_limb *r, const csig_limb *a);
/*
 * r = a^e in the Montgomery domain (a and r Montgomery forms, a < m);
 * e has ek limbs.  r may alias a.
 */
void csig__mont_exp(const csig_mont *c, csig_limb *r, const csig_limb *a,
		    const csig_limb *e, size_t ek);
/* r = a + b mod m and r = a - b mod m, for a, b < m.  r may alias. */
void csig__mod_add(const csig_mont *c, csig_limb *r, const csig_limb *a,
		   const csig_limb *b);
void csig__mod_sub(const csig_mont *c, csig_limb *r, const csig_limb *a,
		   const csig_limb *b);

/* ---- general numbers -------------------------------------------------- */

typedef struct csig_bn {
	size_t len;                  /* significant limbs; 0 for zero */
	csig_limb v[CSIG_BN_LIMBS];
} csig_bn;

/* Returns 0, or -1 when the value exceeds CSIG_BN_LIMBS limbs. */
int csig__bn_from_be(csig_bn *a, const uint8_t *p, size_t n);
/* Minimal big-endian encoding into out (capacity cap); *n gets its
 * length (0 for zero).  Returns 0, or -1 when cap is too small. */
int csig__bn_to_be(const csig_bn *a, uint8_t *out, size_t cap, size_t *n);
int csig__bn_cmp(const csig_bn *a, const csig_bn *b);
size_t csig__bn_bits(const csig_bn *a);
/* r = a * b.  Returns 0, or -1 when the product may not fit.  r may alias. */
int csig__bn_mul(csig_bn *r, const csig_bn *a, const csig_bn *b);
/* r = a mod m.  Returns 0, or -1 when m is zero.  r may alias a. */
int csig__bn_mod(csig_bn *r, const csig_bn *a, const csig_bn *m);
/*
 * r = b^e mod m for odd m of at most CSIG_MONT_LIMBS limbs (Montgomery).
 * Returns 0, or -1 when m is even, zero or too large.  r may alias.
 */
int csig__bn_modexp(csig_bn *r, const csig_bn *b, const csig_bn *e,
		    const csig_bn *m);

#endif
