/*
 * ecdsa.c - ECDSA verification over P-256 and P-384; see pk.h.
 *
 * Field elements live in the Montgomery domain of p; points are Jacobian
 * (X, Y, Z) with x = X/Z^2, y = Y/Z^3 and Z = 0 the point at infinity.  Both
 * curves have a = -3, which the doubling formula uses.  u1*G + u2*Q is one
 * interleaved double-and-add pass (Shamir's trick) over a 4-entry table.
 * The addition handles every special case (equal points, opposite points,
 * infinity) because a verifier's inputs are chosen by an attacker.
 *
 * Verification order (SEC 1 v2 4.1.4, FIPS 186-4 6.4.2): the public key is
 * a point on the curve with coordinates < p (else CSIG_E_BADVALUE: a
 * malformed key); 1 <= r, s <= n-1 (else the signature does not verify);
 * e = the leftmost bitlen(n) bits of the digest; w = s^-1 mod n (Fermat:
 * s^(n-2), n is prime); R = (e w) G + (r w) Q; valid iff R != O and
 * x(R) mod n == r.
 */
#include <string.h>
#include "bignum.h"
#include "pk.h"
#include "rd.h"
#include "util.h"

#define EC_LIMBS 12 /* P-384 */
#define EC_BYTES 48

typedef struct ec_curve {
	int id;
	size_t bytes;              /* field and order size in octets */
	uint8_t p[EC_BYTES], b[EC_BYTES], n[EC_BYTES], gx[EC_BYTES], gy[EC_BYTES];
} ec_curve;

/* SEC 2 v2 2.4.2 (secp256r1) and 2.5.1 (secp384r1). */
static const ec_curve curve_p256 = {
	CSIG_CURVE_P256, 32,
	{ 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x01, 0x00, 0x00, 0x00, 0x00,
	  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff },
	{ 0x5a, 0xc6, 0x35, 0xd8, 0xaa, 0x3a, 0x93, 0xe7, 0xb3, 0xeb, 0xbd, 0x55,
	  0x76, 0x98, 0x86, 0xbc, 0x65, 0x1d, 0x06, 0xb0, 0xcc, 0x53, 0xb0, 0xf6,
	  0x3b, 0xce, 0x3c, 0x3e, 0x27, 0xd2, 0x60, 0x4b },
	{ 0xff, 0xff, 0xff, 0xff, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xbc, 0xe6, 0xfa, 0xad, 0xa7, 0x17, 0x9e, 0x84,
	  0xf3, 0xb9, 0xca, 0xc2, 0xfc, 0x63, 0x25, 0x51 },
	{ 0x6b, 0x17, 0xd1, 0xf2, 0xe1, 0x2c, 0x42, 0x47, 0xf8, 0xbc, 0xe6, 0xe5,
	  0x63, 0xa4, 0x40, 0xf2, 0x77, 0x03, 0x7d, 0x81, 0x2d, 0xeb, 0x33, 0xa0,
	  0xf4, 0xa1, 0x39, 0x45, 0xd8, 0x98, 0xc2, 0x96 },
	{ 0x4f, 0xe3, 0x42, 0xe2, 0xfe, 0x1a, 0x7f, 0x9b, 0x8e, 0xe7, 0xeb, 0x4a,
	  0x7c, 0x0f, 0x9e, 0x16, 0x2b, 0xce, 0x33, 0x57, 0x6b, 0x31, 0x5e, 0xce,
	  0xcb, 0xb6, 0x40, 0x68, 0x37, 0xbf, 0x51, 0xf5 },
};

static const ec_curve curve_p384 = {
	CSIG_CURVE_P384, 48,
	{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xfe, 0xff, 0xff, 0xff, 0xff,
	  0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0x00, 0xff, 0xff, 0xff, 0xff },
	{ 0xb3, 0x31, 0x2f, 0xa7, 0xe2, 0x3e, 0xe7, 0xe4, 0x98, 0x8e, 0x05, 0x6b,
	  0xe3, 0xf8, 0x2d, 0x19, 0x18, 0x1d, 0x9c, 0x6e, 0xfe, 0x81, 0x41, 0x12,
	  0x03, 0x14, 0x08, 0x8f, 0x50, 0x13, 0x87, 0x5a, 0xc6, 0x56, 0x39, 0x8d,
	  0x8a, 0x2e, 0xd1, 0x9d, 0x2a, 0x85, 0xc8, 0xed, 0xd3, 0xec, 0x2a, 0xef },
	{ 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
	  0xc7, 0x63, 0x4d, 0x81, 0xf4, 0x37, 0x2d, 0xdf, 0x58, 0x1a, 0x0d, 0xb2,
	  0x48, 0xb0, 0xa7, 0x7a, 0xec, 0xec, 0x19, 0x6a, 0xcc, 0xc5, 0x29, 0x73 },
	{ 0xaa, 0x87, 0xca, 0x22, 0xbe, 0x8b, 0x05, 0x37, 0x8e, 0xb1, 0xc7, 0x1e,
	  0xf3, 0x20, 0xad, 0x74, 0x6e, 0x1d, 0x3b, 0x62, 0x8b, 0xa7, 0x9b, 0x98,
	  0x59, 0xf7, 0x41, 0xe0, 0x82, 0x54, 0x2a, 0x38, 0x55, 0x02, 0xf2, 0x5d,
	  0xbf, 0x55, 0x29, 0x6c, 0x3a, 0x54, 0x5e, 0x38, 0x72, 0x76, 0x0a, 0xb7 },
	{ 0x36, 0x17, 0xde, 0x4a, 0x96, 0x26, 0x2c, 0x6f, 0x5d, 0x9e, 0x98, 0xbf,
	  0x92, 0x92, 0xdc, 0x29, 0xf8, 0xf4, 0x1d, 0xbd, 0x28, 0x9a, 0x14, 0x7c,
	  0xe9, 0xda, 0x31, 0x13, 0xb5, 0xf0, 0xb8, 0xc0, 0x0a, 0x60, 0xb1, 0xce,
	  0x1d, 0x7e, 0x81, 0x9d, 0x7a, 0x43, 0x1d, 0x7c, 0x90, 0xea, 0x0e, 0x5f },
};

typedef struct ec_pt {
	csig_limb x[EC_LIMBS], y[EC_LIMBS], z[EC_LIMBS];
} ec_pt;

typedef struct ec_ctx {
	size_t k;          /* limbs of p and of n (equal for both curves) */
	csig_mont p;       /* field */
	csig_mont n;       /* group order */
	csig_limb b[EC_LIMBS]; /* curve b, Montgomery form */
} ec_ctx;

#define FMUL(c, r, a, b) csig__mont_mul(&(c)->p, (r), (a), (b))
#define FADD(c, r, a, b) csig__mod_add(&(c)->p, (r), (a), (b))
#define FSUB(c, r, a, b) csig__mod_sub(&(c)->p, (r), (a), (b))

static void fcopy(const ec_ctx *c, csig_limb *r, const csig_limb *a)
{
	memcpy(r, a, c->k * sizeof(*a));
}

static int fzero(const ec_ctx *c, const csig_limb *a)
{
	return csig__ln_is_zero(a, c->k);
}

/* Constants are compile-time tables: a failure here is a programming error
 * and reported as CSIG_E_INVAL rather than trusted. */
static int ec_ctx_init(ec_ctx *c, const ec_curve *cv)
{
	csig_limb t[EC_LIMBS];
	c->k = cv->bytes / CSIG_LIMB_BYTES;
	if (csig__ln_from_be(t, c->k, cv->p, cv->bytes) != 0 ||
	    csig__mont_init(&c->p, t, c->k) != 0 ||
	    csig__ln_from_be(t, c->k, cv->n, cv->bytes) != 0 ||
	    csig__mont_init(&c->n, t, c->k) != 0 ||
	    csig__ln_from_be(t, c->k, cv->b, cv->bytes) != 0 ||
	    c->p.k != c->k || c->n.k != c->k)
		return CSIG_E_INVAL;
	csig__mont_to(&c->p, c->b, t);
	return 0;
}

/* Jacobian doubling for a = -3 ("dbl-2001-b", Bernstein-Lange EFD).  Z = 0
 * in gives Z = 0 out; so does a point with y = 0. */
static void ec_double(const ec_ctx *c, ec_pt *r, const ec_pt *a)
{
	csig_limb delta[EC_LIMBS], gamma[EC_LIMBS], beta[EC_LIMBS];
	csig_limb alpha[EC_LIMBS], t1[EC_LIMBS], t2[EC_LIMBS];

	FMUL(c, delta, a->z, a->z);
	FMUL(c, gamma, a->y, a->y);
	FMUL(c, beta, a->x, gamma);
	FSUB(c, t1, a->x, delta);
	FADD(c, t2, a->x, delta);
	FMUL(c, alpha, t1, t2);
	FADD(c, t1, alpha, alpha);
	FADD(c, alpha, t1, alpha);          /* alpha = 3 (x - delta)(x + delta) */
	/* Z3 = (Y + Z)^2 - gamma - delta */
	FADD(c, t1, a->y, a->z);
	FMUL(c, t1, t1, t1);
	FSUB(c, t1, t1, gamma);
	FSUB(c, r->z, t1, delta);
	/* X3 = alpha^2 - 8 beta */
	FADD(c, beta, beta, beta);
	FADD(c, beta, beta, beta);          /* 4 beta */
	FMUL(c, t1, alpha, alpha);
	FADD(c, t2, beta, beta);
	FSUB(c, r->x, t1, t2);
	/* Y3 = alpha (4 beta - X3) - 8 gamma^2 */
	FSUB(c, t1, beta, r->x);
	FMUL(c, t1, alpha, t1);
	FMUL(c, gamma, gamma, gamma);
	FADD(c, gamma, gamma, gamma);
	FADD(c, gamma, gamma, gamma);
	FADD(c, gamma, gamma, gamma);       /* 8 gamma^2 */
	FSUB(c, r->y, t1, gamma);
}

/* r = a + b, general Jacobian addition ("add-2007-bl") with the special
 * cases: either input at infinity, a == b (double), a == -b (infinity).
 * r may alias a or b. */
static void ec_add(const ec_ctx *c, ec_pt *r, const ec_pt *a, const ec_pt *b)
{
	if (fzero(c, a->z)) {
		*r = *b;
		return;
	}
	if (fzero(c, b->z)) {
		*r = *a;
		return;
	}
	csig_limb z1z1[EC_LIMBS], z2z2[EC_LIMBS], u1[EC_LIMBS], u2[EC_LIMBS];
	csig_limb s1[EC_LIMBS], s2[EC_LIMBS], h[EC_LIMBS], i[EC_LIMBS];
	csig_limb j[EC_LIMBS], rr[EC_LIMBS], v[EC_LIMBS], t[EC_LIMBS];
	ec_pt out;

	FMUL(c, z1z1, a->z, a->z);
	FMUL(c, z2z2, b->z, b->z);
	FMUL(c, u1, a->x, z2z2);
	FMUL(c, u2, b->x, z1z1);
	FMUL(c, s1, a->y, b->z);
	FMUL(c, s1, s1, z2z2);
	FMUL(c, s2, b->y, a->z);
	FMUL(c, s2, s2, z1z1);
	FSUB(c, h, u2, u1);
	FSUB(c, rr, s2, s1);
	if (fzero(c, h)) {
		if (fzero(c, rr)) {
			ec_double(c, r, a);
		} else {
			memset(r, 0, sizeof(*r)); /* a == -b */
		}
		return;
	}
	FADD(c, rr, rr, rr);                /* r = 2 (S2 - S1) */
	FADD(c, i, h, h);
	FMUL(c, i, i, i);                   /* I = (2H)^2 */
	FMUL(c, j, h, i);                   /* J = H I */
	FMUL(c, v, u1, i);                  /* V = U1 I */
	/* X3 = r^2 - J - 2V */
	FMUL(c, t, rr, rr);
	FSUB(c, t, t, j);
	FSUB(c, t, t, v);
	FSUB(c, out.x, t, v);
	/* Y3 = r (V - X3) - 2 S1 J */
	FSUB(c, t, v, out.x);
	FMUL(c, t, rr, t);
	FMUL(c, s1, s1, j);
	FADD(c, s1, s1, s1);
	FSUB(c, out.y, t, s1);
	/* Z3 = ((Z1 + Z2)^2 - Z1Z1 - Z2Z2) H */
	FADD(c, t, a->z, b->z);
	FMUL(c, t, t, t);
	FSUB(c, t, t, z1z1);
	FSUB(c, t, t, z2z2);
	FMUL(c, out.z, t, h);
	*r = out;
}

/* y^2 == x^3 - 3x + b, all in the Montgomery domain. */
static int ec_on_curve(const ec_ctx *c, const csig_limb *x, const csig_limb *y)
{
	csig_limb lhs[EC_LIMBS], rhs[EC_LIMBS], t[EC_LIMBS];
	FMUL(c, lhs, y, y);
	FMUL(c, rhs, x, x);
	FMUL(c, rhs, rhs, x);
	FADD(c, t, x, x);
	FADD(c, t, t, x);
	FSUB(c, rhs, rhs, t);
	FADD(c, rhs, rhs, c->b);
	return csig__ln_cmp(lhs, rhs, c->k) == 0;
}

/* see pk.h */
int csig__ecdsa_verify(int curve, const uint8_t *pub, size_t pub_len,
		       const uint8_t *digest, size_t digest_len,
		       const uint8_t *r, size_t r_len,
		       const uint8_t *s, size_t s_len)
{
	const ec_curve *cv;
	if ((!pub && pub_len) || (!digest && digest_len) || (!r && r_len) ||
	    (!s && s_len))
		return CSIG_E_INVAL;
	if (curve == CSIG_CURVE_P256)
		cv = &curve_p256;
	else if (curve == CSIG_CURVE_P384)
		cv = &curve_p384;
	else
		return CSIG_E_UNSUPPORTED;
	if (digest_len == 0)
		return CSIG_E_INVAL;

	ec_ctx c;
	int rc = ec_ctx_init(&c, cv);
	if (rc)
		return rc;
	size_t k = c.k, fb = cv->bytes;

	/* public key: SEC 1 2.3.4, uncompressed form only */
	csig_rd rd;
	const uint8_t *coord;
	uint8_t form;
	rd_init(&rd, pub, pub_len, 0, "EC public key", NULL);
	if (rd_u8(&rd, &form) != CSIG_OK)
		return CSIG_E_TRUNCATED;
	if (form == 0x02 || form == 0x03)
		return CSIG_E_UNSUPPORTED;          /* compressed point */
	if (form != 0x04)
		return CSIG_E_BADVALUE;             /* incl. 0x00, infinity */
	if (rd_left(&rd) < 2 * fb)
		return CSIG_E_TRUNCATED;
	if (rd_left(&rd) > 2 * fb)
		return CSIG_E_TRAILING;
	ec_pt q;
	if (rd_bytes(&rd, fb, &coord) != CSIG_OK ||
	    csig__ln_from_be(q.x, k, coord, fb) != 0 ||
	    rd_bytes(&rd, fb, &coord) != CSIG_OK ||
	    csig__ln_from_be(q.y, k, coord, fb) != 0)
		return CSIG_E_TRUNCATED;
	if (csig__ln_cmp(q.x, c.p.m, k) >= 0 || csig__ln_cmp(q.y, c.p.m, k) >= 0)
		return CSIG_E_BADVALUE;             /* coordinate >= p */
	csig__mont_to(&c.p, q.x, q.x);
	csig__mont_to(&c.p, q.y, q.y);
	fcopy(&c, q.z, c.p.one);
	if (!ec_on_curve(&c, q.x, q.y))
		return CSIG_E_BADVALUE;

	/* 1 <= r, s <= n - 1 */
	csig_limb rl[EC_LIMBS], sl[EC_LIMBS];
	if (csig__ln_from_be(rl, k, r, r_len) != 0 ||
	    csig__ln_from_be(sl, k, s, s_len) != 0)
		return 0;
	if (csig__ln_is_zero(rl, k) || csig__ln_cmp(rl, c.n.m, k) >= 0 ||
	    csig__ln_is_zero(sl, k) || csig__ln_cmp(sl, c.n.m, k) >= 0)
		return 0;

	/* e: leftmost bitlen(n) bits of the digest, reduced mod n */
	csig_limb e[EC_LIMBS];
	size_t nbits = csig__ln_bits(c.n.m, k);
	size_t nbytes = (nbits + 7) / 8;
	size_t take = digest_len < nbytes ? digest_len : nbytes;
	if (csig__ln_from_be(e, k, digest, take) != 0)
		return CSIG_E_INVAL;
	if (digest_len >= nbytes) {
		for (size_t sh = nbytes * 8 - nbits; sh; sh--) {
			for (size_t i = 0; i < k; i++)
				e[i] = (e[i] >> 1) |
				       (i + 1 < k ? e[i + 1] << (CSIG_LIMB_BITS - 1) : 0);
		}
	}
	if (csig__ln_cmp(e, c.n.m, k) >= 0)
		(void)csig__ln_sub(e, e, c.n.m, k);

	/* w = s^(n-2) mod n; u1 = e w, u2 = r w.  mont_mul(plain, mont) is the
	 * plain product. */
	csig_limb w[EC_LIMBS], nm2[EC_LIMBS], two[EC_LIMBS], u1[EC_LIMBS], u2[EC_LIMBS];
	csig__ln_set_u32(two, k, 2);
	(void)csig__ln_sub(nm2, c.n.m, two, k);
	csig__mont_to(&c.n, w, sl);
	csig__mont_exp(&c.n, w, w, nm2, k);
	csig__mont_mul(&c.n, u1, e, w);
	csig__mont_mul(&c.n, u2, rl, w);

	/* R = u1 G + u2 Q */
	ec_pt tab[4], acc;
	memset(&tab[0], 0, sizeof(tab[0]));          /* infinity */
	if (csig__ln_from_be(tab[1].x, k, cv->gx, fb) != 0 ||
	    csig__ln_from_be(tab[1].y, k, cv->gy, fb) != 0)
		return CSIG_E_INVAL;
	csig__mont_to(&c.p, tab[1].x, tab[1].x);
	csig__mont_to(&c.p, tab[1].y, tab[1].y);
	fcopy(&c, tab[1].z, c.p.one);
	tab[2] = q;
	ec_add(&c, &tab[3], &tab[1], &tab[2]);
	memset(&acc, 0, sizeof(acc));
	size_t b1 = csig__ln_bits(u1, k), b2 = csig__ln_bits(u2, k);
	for (size_t i = b1 > b2 ? b1 : b2; i-- > 0;) {
		ec_double(&c, &acc, &acc);
		int idx = csig__ln_bit(u1, i) | csig__ln_bit(u2, i) << 1;
		if (idx)
			ec_add(&c, &acc, &acc, &tab[idx]);
	}
	if (fzero(&c, acc.z))
		return 0;

	/* x(R) = X / Z^2, out of the domain, mod n */
	csig_limb zi[EC_LIMBS], pm2[EC_LIMBS], x[EC_LIMBS];
	(void)csig__ln_sub(pm2, c.p.m, two, k);
	csig__mont_exp(&c.p, zi, acc.z, pm2, k);
	FMUL(&c, zi, zi, zi);
	FMUL(&c, x, acc.x, zi);
	csig__mont_from(&c.p, x, x);
	while (csig__ln_cmp(x, c.n.m, k) >= 0)
		(void)csig__ln_sub(x, x, c.n.m, k);
	return csig__ln_cmp(x, rl, k) == 0 ? 1 : 0;
}
