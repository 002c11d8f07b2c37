/*
 * fuzz_pk.c - RSA / ECDSA verifiers and big-number arithmetic on hostile
 * input.  Input: MODE byte, then fields as (u16 big-endian length, bytes);
 * missing fields are empty.  Seeds are written by testdata/pk/make-vectors.sh.
 *
 *   mode 0: RSA    hash_alg(1) n e digest sig
 *   mode 1: ECDSA  curve(1) pub digest r s
 *   mode 2: bignum a b m   (checks (a*b) mod m == ((a mod m)(b mod m)) mod m,
 *                           a mod m < m, and modexp vs. repeated products)
 *
 * Invariants: verifiers return 1, 0 or a CSIG_E_* code; arithmetic
 * identities hold.  Fields are copied into exact-size heap blocks.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "bignum.h"
#include "pk.h"
#include "csig/common.h"

#define NFIELDS 5

static void check(int ok)
{
	if (!ok)
		abort();
}

static int result_ok(int rc)
{
	return rc == 0 || rc == 1 || rc == CSIG_E_INVAL || rc == CSIG_E_BADVALUE ||
	       rc == CSIG_E_UNSUPPORTED || rc == CSIG_E_TRUNCATED ||
	       rc == CSIG_E_TRAILING;
}

static void fuzz_bn(uint8_t *f[], const size_t l[])
{
	csig_bn *x = malloc(7 * sizeof(csig_bn));
	if (!x)
		return;
	csig_bn *a = &x[0], *b = &x[1], *m = &x[2], *p = &x[3], *q = &x[4];
	csig_bn *r1 = &x[5], *r2 = &x[6];
	if (csig__bn_from_be(a, f[0], l[0] > 1100 ? 1100 : l[0]) != 0 ||
	    csig__bn_from_be(b, f[1], l[1] > 1100 ? 1100 : l[1]) != 0 ||
	    csig__bn_from_be(m, f[2], l[2] > 1024 ? 1024 : l[2]) != 0)
		goto out;
	if (m->len == 0) {
		check(csig__bn_mod(r1, a, m) == -1);
		goto out;
	}
	check(csig__bn_mul(p, a, b) == 0);
	check(csig__bn_mod(r1, p, m) == 0);
	check(csig__bn_cmp(r1, m) < 0);
	check(csig__bn_mod(p, a, m) == 0);
	check(csig__bn_cmp(p, m) < 0);
	check(csig__bn_mod(q, b, m) == 0);
	check(csig__bn_mul(r2, p, q) == 0);
	check(csig__bn_mod(r2, r2, m) == 0);
	check(csig__bn_cmp(r1, r2) == 0);
	if (m->v[0] & 1u) {
		/* a^3 mod m two ways */
		uint8_t three = 3;
		csig_bn *e = q;
		check(csig__bn_from_be(e, &three, 1) == 0);
		check(csig__bn_modexp(r1, a, e, m) == 0);
		check(csig__bn_cmp(r1, m) < 0);
		check(csig__bn_mod(p, a, m) == 0);
		check(csig__bn_mul(r2, p, p) == 0);
		check(csig__bn_mod(r2, r2, m) == 0);
		check(csig__bn_mul(r2, r2, p) == 0);
		check(csig__bn_mod(r2, r2, m) == 0);
		check(csig__bn_cmp(r1, r2) == 0);
	} else {
		check(csig__bn_modexp(r1, a, b, m) == -1);
	}
out:
	free(x);
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 1)
		return 0;
	uint8_t *f[NFIELDS] = { 0 };
	size_t l[NFIELDS] = { 0 };
	size_t pos = 1;
	for (int i = 0; i < NFIELDS; i++) {
		size_t n = 0;
		if (size - pos >= 2) {
			n = (size_t)data[pos] << 8 | data[pos + 1];
			pos += 2;
			if (n > size - pos)
				n = size - pos;
		}
		f[i] = malloc(n ? n : 1);
		if (!f[i])
			goto out;
		if (n)
			memcpy(f[i], data + pos, n);
		l[i] = n;
		pos += n;
	}
	int h = l[0] ? f[0][0] : 0;
	int rc;
	switch (data[0] % 3) {
	case 0:
		rc = csig__rsa_pkcs1_verify(f[1], l[1], f[2], l[2], h, f[3], l[3],
					    f[4], l[4]);
		check(result_ok(rc));
		break;
	case 1:
		rc = csig__ecdsa_verify(h, f[1], l[1], f[2], l[2], f[3], l[3],
					f[4], l[4]);
		check(result_ok(rc));
		break;
	default:
		fuzz_bn(f, l);
		break;
	}
out:
	for (int i = 0; i < NFIELDS; i++)
		free(f[i]);
	return 0;
}
