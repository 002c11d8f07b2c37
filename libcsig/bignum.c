/*
 * bignum.c - see bignum.h.
 *
 * Montgomery multiplication is the CIOS method (Koc, Acar, Kaliski, "Analyzing
 * and comparing Montgomery multiplication algorithms", 1996): one pass that
 * interleaves the product and the reduction, needing k + 2 limbs of scratch.
 */
#include <string.h>
#include "bignum.h"
#include "rd.h"

csig_limb csig__ln_add(csig_limb *r, const csig_limb *a, const csig_limb *b,
		       size_t k)
{
	csig_dlimb c = 0;
	for (size_t i = 0; i < k; i++) {
		c += (csig_dlimb)a[i] + b[i];
		r[i] = (csig_limb)c;
		c >>= CSIG_LIMB_BITS;
	}
	return (csig_limb)c;
}

csig_limb csig__ln_sub(csig_limb *r, const csig_limb *a, const csig_limb *b,
		       size_t k)
{
	csig_limb borrow = 0;
	for (size_t i = 0; i < k; i++) {
		csig_dlimb d = (csig_dlimb)a[i] - b[i] - borrow;
		r[i] = (csig_limb)d;
		borrow = (csig_limb)((d >> CSIG_LIMB_BITS) & 1u);
	}
	return borrow;
}

int csig__ln_cmp(const csig_limb *a, const csig_limb *b, size_t k)
{
	while (k--) {
		if (a[k] != b[k])
			return a[k] < b[k] ? -1 : 1;
	}
	return 0;
}

int csig__ln_is_zero(const csig_limb *a, size_t k)
{
	csig_limb acc = 0;
	for (size_t i = 0; i < k; i++)
		acc |= a[i];
	return acc == 0;
}

size_t csig__ln_bits(const csig_limb *a, size_t k)
{
	while (k && a[k - 1] == 0)
		k--;
	if (!k)
		return 0;
	size_t bits = (k - 1) * CSIG_LIMB_BITS;
	for (csig_limb top = a[k - 1]; top; top >>= 1)
		bits++;
	return bits;
}

void csig__ln_set_u32(csig_limb *a, size_t k, uint32_t v)
{
	if (!k)
		return;
	memset(a, 0, k * sizeof(*a));
	a[0] = v;
}

int csig__ln_from_be(csig_limb *r, size_t k, const uint8_t *p, size_t n)
{
	csig_rd rd;
	rd_init(&rd, p, n, 0, "big integer", NULL);
	if (k)
		memset(r, 0, k * sizeof(*r));
	/* byte i has weight n-1-i bytes; anything at weight >= 4k must be 0 */
	for (size_t i = 0; i < n; i++) {
		uint8_t b;
		if (rd_u8(&rd, &b) != CSIG_OK)
			return -1;
		size_t w = n - 1 - i;
		if (!b)
			continue;
		if (w / CSIG_LIMB_BYTES >= k)
			return -1;
		r[w / CSIG_LIMB_BYTES] |= (csig_limb)b << (8 * (w % CSIG_LIMB_BYTES));
	}
	return 0;
}

int csig__ln_to_be(const csig_limb *a, size_t k, uint8_t *out, size_t n)
{
	size_t bytes = (csig__ln_bits(a, k) + 7) / 8;
	if (bytes > n)
		return -1;
	for (size_t i = 0; i < n; i++) {
		size_t w = n - 1 - i; /* weight of out[i], in bytes */
		out[i] = w / CSIG_LIMB_BYTES < k ?
			(uint8_t)(a[w / CSIG_LIMB_BYTES] >> (8 * (w % CSIG_LIMB_BYTES))) : 0;
	}
	return 0;
}

/* ---- Montgomery -------------------------------------------------------- */

/* x = 2x mod m for x < m. */
static void mod_double(const csig_mont *c, csig_limb *x)
{
	csig_limb carry = csig__ln_add(x, x, x, c->k);
	if (carry || csig__ln_cmp(x, c->m, c->k) >= 0)
		(void)csig__ln_sub(x, x, c->m, c->k);
}

int csig__mont_init(csig_mont *c, const csig_limb *m, size_t k)
{
	while (k && m[k - 1] == 0)
		k--;
	if (k == 0 || k > CSIG_MONT_LIMBS || (m[0] & 1u) == 0 ||
	    (k == 1 && m[0] == 1))
		return -1;
	c->k = k;
	memcpy(c->m, m, k * sizeof(*m));

	/* Newton iteration for m0^-1 mod 2^32: m0 * m0 == 1 mod 8 gives 3 bits,
	 * each step doubles them (3, 6, 12, 24, 48). */
	csig_limb inv = m[0];
	for (int i = 0; i < 4; i++)
		inv *= 2u - m[0] * inv;
	c->m0inv = (csig_limb)(0u - inv);

	/* R mod m: 2^(bits-1) < m (m odd, > 1), then double up to 2^(32k). */
	size_t bits = csig__ln_bits(m, k);
	memset(c->one, 0, k * sizeof(*m));
	c->one[(bits - 1) / CSIG_LIMB_BITS] = (csig_limb)1u << ((bits - 1) % CSIG_LIMB_BITS);
	for (size_t i = bits - 1; i < k * CSIG_LIMB_BITS; i++)
		mod_double(c, c->one);

	/* R^2 mod m = Montgomery form of 2^(32k) = (Montgomery 2)^(32k),
	 * computed with Montgomery products only. */
	csig_limb two[CSIG_MONT_LIMBS], e[1];
	memcpy(two, c->one, k * sizeof(*m));
	mod_double(c, two);
	e[0] = (csig_limb)(k * CSIG_LIMB_BITS);
	csig__mont_exp(c, c->rr, two, e, 1);
	return 0;
}

void csig__mont_mul(const csig_mont *c, csig_limb *r, const csig_limb *a,
		    const csig_limb *b)
{
	size_t k = c->k;
	csig_limb t[CSIG_MONT_LIMBS + 2];
	memset(t, 0, (k + 2) * sizeof(*t));
	for (size_t i = 0; i < k; i++) {
		/* t += a * b[i] */
		csig_dlimb carry = 0;
		csig_limb bi = b[i];
		for (size_t j = 0; j < k; j++) {
			carry += (csig_dlimb)a[j] * bi + t[j];
			t[j] = (csig_limb)carry;
			carry >>= CSIG_LIMB_BITS;
		}
		carry += t[k];
		t[k] = (csig_limb)carry;
		t[k + 1] = (csig_limb)(carry >> CSIG_LIMB_BITS);

		/* t = (t + q * m) / 2^32 with q making the low limb vanish */
		csig_limb q = t[0] * c->m0inv;
		carry = (csig_dlimb)q * c->m[0] + t[0];
		carry >>= CSIG_LIMB_BITS;
		for (size_t j = 1; j < k; j++) {
			carry += (csig_dlimb)q * c->m[j] + t[j];
			t[j - 1] = (csig_limb)carry;
			carry >>= CSIG_LIMB_BITS;
		}
		carry += t[k];
		t[k - 1] = (csig_limb)carry;
		t[k] = t[k + 1] + (csig_limb)(carry >> CSIG_LIMB_BITS);
	}
	/* t < 2m: one conditional subtraction */
	if (t[k] || csig__ln_cmp(t, c->m, k) >= 0)
		(void)csig__ln_sub(t, t, c->m, k);
	memcpy(r, t, k * sizeof(*r));
}

void csig__mont_to(const csig_mont *c, csig_limb *r, const csig_limb *a)
{
	csig__mont_mul(c, r, a, c->rr);
}

void csig__mont_from(const csig_mont *c, csig_limb *r, const csig_limb *a)
{
	csig_limb one[CSIG_MONT_LIMBS] = { 1 };
	csig__mont_mul(c, r, a, one);
}

void csig__mont_exp(const csig_mont *c, csig_limb *r, const csig_limb *a,
		    const csig_limb *e, size_t ek)
{
	csig_limb base[CSIG_MONT_LIMBS], acc[CSIG_MONT_LIMBS];
	memcpy(base, a, c->k * sizeof(*a));
	memcpy(acc, c->one, c->k * sizeof(*a));
	for (size_t i = csig__ln_bits(e, ek); i-- > 0;) {
		csig__mont_mul(c, acc, acc, acc);
		if (csig__ln_bit(e, i))
			csig__mont_mul(c, acc, acc, base);
	}
	memcpy(r, acc, c->k * sizeof(*r));
}

void csig__mod_add(const csig_mont *c, csig_limb *r, const csig_limb *a,
		   const csig_limb *b)
{
	csig_limb carry = csig__ln_add(r, a, b, c->k);
	if (carry || csig__ln_cmp(r, c->m, c->k) >= 0)
		(void)csig__ln_sub(r, r, c->m, c->k);
}

void csig__mod_sub(const csig_mont *c, csig_limb *r, const csig_limb *a,
		   const csig_limb *b)
{
	if (csig__ln_sub(r, a, b, c->k))
		(void)csig__ln_add(r, r, c->m, c->k);
}

/* ---- csig_bn ------------------------------------------------------------ */

static void bn_norm(csig_bn *a)
{
	while (a->len && a->v[a->len - 1] == 0)
		a->len--;
}

int csig__bn_from_be(csig_bn *a, const uint8_t *p, size_t n)
{
	a->len = 0;
	if (csig__ln_from_be(a->v, CSIG_BN_LIMBS, p, n) != 0)
		return -1;
	a->len = CSIG_BN_LIMBS;
	bn_norm(a);
	return 0;
}

int csig__bn_to_be(const csig_bn *a, uint8_t *out, size_t cap, size_t *n)
{
	size_t bytes = (csig__bn_bits(a) + 7) / 8;
	*n = 0;
	if (bytes > cap)
		return -1;
	if (csig__ln_to_be(a->v, a->len, out, bytes) != 0)
		return -1;
	*n = bytes;
	return 0;
}

int csig__bn_cmp(const csig_bn *a, const csig_bn *b)
{
	if (a->len != b->len)
		return a->len < b->len ? -1 : 1;
	return csig__ln_cmp(a->v, b->v, a->len);
}

size_t csig__bn_bits(const csig_bn *a)
{
	return csig__ln_bits(a->v, a->len);
}

int csig__bn_mul(csig_bn *r, const csig_bn *a, const csig_bn *b)
{
	if (a->len + b->len > CSIG_BN_LIMBS)
		return -1;
	csig_bn t;
	t.len = a->len + b->len;
	memset(t.v, 0, t.len * sizeof(t.v[0]));
	for (size_t i = 0; i < a->len; i++) {
		csig_dlimb carry = 0;
		for (size_t j = 0; j < b->len; j++) {
			carry += (csig_dlimb)a->v[i] * b->v[j] + t.v[i + j];
			t.v[i + j] = (csig_limb)carry;
			carry >>= CSIG_LIMB_BITS;
		}
		t.v[i + b->len] = (csig_limb)carry;
	}
	bn_norm(&t);
	r->len = t.len;
	memcpy(r->v, t.v, t.len * sizeof(t.v[0]));
	return 0;
}

int csig__bn_mod(csig_bn *r, const csig_bn *a, const csig_bn *m)
{
	if (m->len == 0)
		return -1;
	/* Binary long division, remainder only: rem = 2 rem + bit, reduce. */
	size_t k = m->len + 1; /* rem < 2m fits in k limbs */
	csig_limb rem[CSIG_BN_LIMBS + 1], mm[CSIG_BN_LIMBS + 1];
	memset(rem, 0, k * sizeof(rem[0]));
	memcpy(mm, m->v, m->len * sizeof(mm[0]));
	mm[m->len] = 0;
	for (size_t i = csig__bn_bits(a); i-- > 0;) {
		(void)csig__ln_add(rem, rem, rem, k);
		rem[0] |= (csig_limb)csig__ln_bit(a->v, i);
		if (csig__ln_cmp(rem, mm, k) >= 0)
			(void)csig__ln_sub(rem, rem, mm, k);
	}
	r->len = m->len;
	memcpy(r->v, rem, m->len * sizeof(rem[0]));
	bn_norm(r);
	return 0;
}

int csig__bn_modexp(csig_bn *r, const csig_bn *b, const csig_bn *e,
		    const csig_bn *m)
{
	if (m->len == 0 || m->len > CSIG_MONT_LIMBS || (m->v[0] & 1u) == 0)
		return -1;
	if (m->len == 1 && m->v[0] == 1) {
		r->len = 0;
		return 0;
	}
	csig_mont c;
	csig_bn base;
	if (csig__mont_init(&c, m->v, m->len) != 0 ||
	    csig__bn_mod(&base, b, m) != 0)
		return -1;
	csig_limb x[CSIG_MONT_LIMBS];
	memset(x, 0, c.k * sizeof(x[0]));
	memcpy(x, base.v, base.len * sizeof(x[0]));
	csig__mont_to(&c, x, x);
	csig__mont_exp(&c, x, x, e->v, e->len);
	csig__mont_from(&c, x, x);
	r->len = c.k;
	memcpy(r->v, x, c.k * sizeof(x[0]));
	bn_norm(r);
	return 0;
}
