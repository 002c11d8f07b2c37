/*
 * check_pk.c - big numbers, RSA PKCS#1 v1.5 and ECDSA verification.
 *
 * Vectors come from the text files in testdata/pk/, produced by
 * testdata/pk/make-vectors.sh (openssl CLI + python3); see its header for
 * the line grammar.  Every decoded field is an exact-size heap block so
 * ASan sees a one-byte overread.
 */
#include <time.h>
#include "testutil.h"
#include "util.h"
#include "bignum.h"
#include "hash.h"
#include "pk.h"

#define MAX_FIELDS 10

typedef struct vec {
	char *line;             /* owned copy, tokens point into it */
	char *f[MAX_FIELDS];
	int nf;
} vec;

typedef struct vecfile {
	char *text;
	vec *v;
	size_t n;
} vecfile;

static void load_vectors(const char *rel, vecfile *vf)
{
	char path[1024];
	size_t len = 0;
	unsigned char *raw = tu_read_file(tu_testdata(rel, path, sizeof(path)), &len);
	ck_assert_msg(raw != NULL, "cannot read %s", path);
	vf->text = malloc(len + 1);
	ck_assert_ptr_nonnull(vf->text);
	memcpy(vf->text, raw, len);
	vf->text[len] = 0;
	free(raw);
	size_t cap = 1;
	for (size_t i = 0; i < len; i++)
		cap += vf->text[i] == '\n';
	vf->v = calloc(cap, sizeof(*vf->v));
	ck_assert_ptr_nonnull(vf->v);
	vf->n = 0;
	char *save = NULL;
	for (char *l = strtok_r(vf->text, "\n", &save); l; l = strtok_r(NULL, "\n", &save)) {
		if (l[0] == '#' || l[0] == 0)
			continue;
		vec *v = &vf->v[vf->n++];
		char *s2 = NULL;
		v->line = l;
		for (char *t = strtok_r(l, " ", &s2); t && v->nf < MAX_FIELDS;
		     t = strtok_r(NULL, " ", &s2))
			v->f[v->nf++] = t;
	}
}

static void free_vectors(vecfile *vf)
{
	free(vf->v);
	free(vf->text);
}

/* Hex ("-" = empty) into an exact-size heap block; *len gets the size. */
static uint8_t *unhex(const char *h, size_t *len)
{
	size_t n = strcmp(h, "-") == 0 ? 0 : strlen(h);
	ck_assert_msg(n % 2 == 0, "odd hex length in %s", h);
	uint8_t *out = malloc(n / 2 ? n / 2 : 1);
	ck_assert_ptr_nonnull(out);
	for (size_t i = 0; i < n / 2; i++) {
		unsigned int b;
		ck_assert_int_eq(sscanf(h + 2 * i, "%2x", &b), 1);
		out[i] = (uint8_t)b;
	}
	*len = n / 2;
	return out;
}

static int expect_code(const char *s)
{
	static const struct { const char *name; int code; } names[] = {
		{ "1", 1 }, { "0", 0 }, { "INVAL", CSIG_E_INVAL },
		{ "BADVALUE", CSIG_E_BADVALUE }, { "UNSUPPORTED", CSIG_E_UNSUPPORTED },
		{ "TRUNCATED", CSIG_E_TRUNCATED }, { "TRAILING", CSIG_E_TRAILING },
	};
	for (size_t i = 0; i < CSIG_ARRAY_LEN(names); i++)
		if (strcmp(s, names[i].name) == 0)
			return names[i].code;
	ck_abort_msg("unknown expectation %s", s);
	return 99;
}

static int hash_id(const char *s)
{
	if (strcmp(s, "SHA1") == 0) return CSIG_HASH_SHA1;
	if (strcmp(s, "SHA256") == 0) return CSIG_HASH_SHA256;
	if (strcmp(s, "SHA384") == 0) return CSIG_HASH_SHA384;
	if (strcmp(s, "SHA512") == 0) return CSIG_HASH_SHA512;
	return atoi(s);
}

static int curve_id(const char *s)
{
	if (strcmp(s, "P-256") == 0) return CSIG_CURVE_P256;
	if (strcmp(s, "P-384") == 0) return CSIG_CURVE_P384;
	return atoi(s);
}

/* Run one rsa/ecdsa vector; returns the verifier's result. */
static int run_vector(const vec *v)
{
	size_t l[5];
	uint8_t *b[5];
	ck_assert_msg(v->nf == 8, "malformed vector line (%d fields)", v->nf);
	for (int i = 0; i < 4; i++)
		b[i] = unhex(v->f[3 + i], &l[i]);
	int rc;
	if (strcmp(v->f[0], "rsa") == 0)
		rc = csig__rsa_pkcs1_verify(b[0], l[0], b[1], l[1], hash_id(v->f[2]),
					    b[2], l[2], b[3], l[3]);
	else
		rc = csig__ecdsa_verify(curve_id(v->f[2]), b[0], l[0], b[1], l[1],
					b[2], l[2], b[3], l[3]);
	for (int i = 0; i < 4; i++)
		free(b[i]);
	return rc;
}

static size_t run_file(const char *rel, size_t min, size_t *npos)
{
	vecfile vf;
	load_vectors(rel, &vf);
	size_t pos = 0;
	for (size_t i = 0; i < vf.n; i++) {
		const vec *v = &vf.v[i];
		int want = expect_code(v->f[1]);
		int got = run_vector(v);
		ck_assert_msg(got == want, "%s %s: got %d, want %d", rel, v->f[7], got, want);
		pos += want == 1;
	}
	ck_assert_msg(vf.n >= min, "%s: only %zu vectors", rel, vf.n);
	size_t n = vf.n;
	free_vectors(&vf);
	if (npos)
		*npos = pos;
	return n;
}

START_TEST(rsa_vectors)
{
	size_t pos;
	size_t n = run_file("pk/rsa.txt", 80, &pos);
	ck_assert_uint_ge(pos, 20);
	ck_assert_uint_ge(n - pos, 50);
}
END_TEST

START_TEST(ecdsa_vectors)
{
	size_t pos;
	size_t n = run_file("pk/ecdsa.txt", 90, &pos);
	ck_assert_uint_ge(pos, 30);
	ck_assert_uint_ge(n - pos, 50);
}
END_TEST

/* Certificates and SignerInfos of real Apple provisioning profiles. */
START_TEST(apple_vectors)
{
	size_t pos;
	run_file("pk/apple.txt", 20, &pos);
	ck_assert_uint_ge(pos, 15);
}
END_TEST

/* Find the first vector whose name is `name`. */
static void find_vector(vecfile *vf, const char *rel, const char *name, const vec **out)
{
	load_vectors(rel, vf);
	for (size_t i = 0; i < vf->n; i++)
		if (vf->v[i].nf == 8 && strcmp(vf->v[i].f[7], name) == 0) {
			*out = &vf->v[i];
			return;
		}
	ck_abort_msg("vector %s not in %s", name, rel);
}

/* Every strict prefix of a good signature and of a good key fails cleanly;
 * seeded single-byte corruptions of the signature never verify. */
START_TEST(rsa_sweeps)
{
	vecfile vf;
	const vec *v;
	find_vector(&vf, "pk/rsa.txt", "rsa2048-sha256", &v);
	size_t nl, el, dl, sl;
	uint8_t *n = unhex(v->f[3], &nl), *e = unhex(v->f[4], &el);
	uint8_t *d = unhex(v->f[5], &dl), *s = unhex(v->f[6], &sl);
	int h = hash_id(v->f[2]);
	ck_assert_int_eq(csig__rsa_pkcs1_verify(n, nl, e, el, h, d, dl, s, sl), 1);
	for (size_t cut = 0; cut < sl; cut++) {
		uint8_t *p = malloc(cut ? cut : 1);
		memcpy(p, s, cut);
		ck_assert_int_eq(csig__rsa_pkcs1_verify(n, nl, e, el, h, d, dl, p, cut), 0);
		free(p);
	}
	for (size_t cut = 0; cut < nl; cut++) {
		uint8_t *p = malloc(cut ? cut : 1);
		memcpy(p, n, cut);
		int rc = csig__rsa_pkcs1_verify(p, cut, e, el, h, d, dl, s, sl);
		ck_assert_msg(rc == 0 || rc < 0, "modulus prefix %zu verified", cut);
		free(p);
	}
	uint64_t seed = 0x5eedULL;
	for (int i = 0; i < 200; i++) {
		size_t at = (size_t)(tu_rand(&seed) % sl);
		uint8_t x = (uint8_t)(tu_rand(&seed) | 1);
		s[at] ^= x;
		ck_assert_int_eq(csig__rsa_pkcs1_verify(n, nl, e, el, h, d, dl, s, sl), 0);
		s[at] ^= x;
	}
	free(n); free(e); free(d); free(s);
	free_vectors(&vf);
}
END_TEST

START_TEST(ecdsa_sweeps)
{
	static const char *const names[] = { "p256-sha256-0", "p384-sha384-0" };
	for (size_t t = 0; t < CSIG_ARRAY_LEN(names); t++) {
		vecfile vf;
		const vec *v;
		find_vector(&vf, "pk/ecdsa.txt", names[t], &v);
		size_t ql, dl, rl, sl;
		uint8_t *q = unhex(v->f[3], &ql), *d = unhex(v->f[4], &dl);
		uint8_t *r = unhex(v->f[5], &rl), *s = unhex(v->f[6], &sl);
		int c = curve_id(v->f[2]);
		ck_assert_int_eq(csig__ecdsa_verify(c, q, ql, d, dl, r, rl, s, sl), 1);
		for (size_t cut = 0; cut < ql; cut++) {
			uint8_t *p = malloc(cut ? cut : 1);
			memcpy(p, q, cut);
			ck_assert_int_eq(csig__ecdsa_verify(c, p, cut, d, dl, r, rl, s, sl),
					 CSIG_E_TRUNCATED);
			free(p);
		}
		for (size_t cut = 0; cut < rl; cut++) {
			uint8_t *p = malloc(cut ? cut : 1);
			memcpy(p, r, cut);
			ck_assert_int_eq(csig__ecdsa_verify(c, q, ql, d, dl, p, cut, s, sl), 0);
			ck_assert_int_eq(csig__ecdsa_verify(c, q, ql, d, dl, r, rl, p, cut), 0);
			free(p);
		}
		uint64_t seed = 0xec0ULL + t;
		for (int i = 0; i < 100; i++) {
			uint8_t *buf = (i & 1) ? s : r;
			size_t at = (size_t)(tu_rand(&seed) % rl);
			uint8_t x = (uint8_t)(tu_rand(&seed) | 1);
			buf[at] ^= x;
			ck_assert_int_eq(csig__ecdsa_verify(c, q, ql, d, dl, r, rl, s, sl), 0);
			buf[at] ^= x;
			/* a corrupted key is rejected as malformed, never accepted */
			at = 1 + (size_t)(tu_rand(&seed) % (ql - 1));
			q[at] ^= x;
			ck_assert_int_le(csig__ecdsa_verify(c, q, ql, d, dl, r, rl, s, sl), 0);
			q[at] ^= x;
		}
		free(q); free(d); free(r); free(s);
		free_vectors(&vf);
	}
}
END_TEST

START_TEST(null_arguments)
{
	uint8_t one = 1;
	ck_assert_int_eq(csig__rsa_pkcs1_verify(NULL, 1, &one, 1, CSIG_HASH_SHA1,
						&one, 1, &one, 1), CSIG_E_INVAL);
	ck_assert_int_eq(csig__rsa_pkcs1_verify(&one, 1, &one, 1, CSIG_HASH_SHA1,
						NULL, 20, &one, 1), CSIG_E_INVAL);
	ck_assert_int_eq(csig__rsa_pkcs1_verify(NULL, 0, NULL, 0, CSIG_HASH_SHA1,
						NULL, 0, NULL, 0), CSIG_E_INVAL);
	ck_assert_int_eq(csig__ecdsa_verify(CSIG_CURVE_P256, NULL, 65, &one, 1,
					    &one, 1, &one, 1), CSIG_E_INVAL);
	ck_assert_int_eq(csig__ecdsa_verify(CSIG_CURVE_P256, &one, 1, &one, 1,
					    NULL, 3, &one, 1), CSIG_E_INVAL);
	ck_assert_int_eq(csig__ecdsa_verify(CSIG_CURVE_P384, NULL, 0, &one, 1,
					    &one, 1, &one, 1), CSIG_E_TRUNCATED);
}
END_TEST

/* ---- bignum ---------------------------------------------------------------- */

static void bn_hex(csig_bn *a, const char *hex)
{
	char buf[4200];
	size_t n = strlen(hex);
	ck_assert_uint_lt(n, sizeof(buf) - 2);
	/* left-pad odd-length hex */
	snprintf(buf, sizeof(buf), "%s%s", n % 2 ? "0" : "", hex);
	size_t len;
	uint8_t *b = unhex(buf, &len);
	ck_assert_int_eq(csig__bn_from_be(a, b, len), 0);
	free(b);
}

START_TEST(bignum_vectors)
{
	vecfile vf;
	load_vectors("pk/bignum.txt", &vf);
	csig_bn *x = malloc(4 * sizeof(csig_bn));
	ck_assert_ptr_nonnull(x);
	size_t count[3] = { 0, 0, 0 };
	for (size_t i = 0; i < vf.n; i++) {
		const vec *v = &vf.v[i];
		csig_bn *a = &x[0], *b = &x[1], *c = &x[2], *r = &x[3];
		if (strcmp(v->f[0], "mul") == 0) {
			bn_hex(a, v->f[1]); bn_hex(b, v->f[2]); bn_hex(c, v->f[3]);
			ck_assert_int_eq(csig__bn_mul(r, a, b), 0);
			ck_assert_msg(csig__bn_cmp(r, c) == 0, "mul line %zu", i);
			ck_assert_int_eq(csig__bn_mul(a, a, b), 0); /* aliasing */
			ck_assert_msg(csig__bn_cmp(a, c) == 0, "mul alias line %zu", i);
			count[0]++;
		} else if (strcmp(v->f[0], "mod") == 0) {
			bn_hex(a, v->f[1]); bn_hex(b, v->f[2]); bn_hex(c, v->f[3]);
			ck_assert_int_eq(csig__bn_mod(r, a, b), 0);
			ck_assert_msg(csig__bn_cmp(r, c) == 0, "mod line %zu", i);
			count[1]++;
		} else if (strcmp(v->f[0], "exp") == 0) {
			csig_bn *m = malloc(sizeof(csig_bn));
			ck_assert_ptr_nonnull(m);
			bn_hex(a, v->f[1]); bn_hex(b, v->f[2]); bn_hex(m, v->f[3]);
			bn_hex(c, v->f[4]);
			ck_assert_int_eq(csig__bn_modexp(r, a, b, m), 0);
			ck_assert_msg(csig__bn_cmp(r, c) == 0, "exp line %zu", i);
			free(m);
			count[2]++;
		} else {
			ck_abort_msg("bad bignum line %zu", i);
		}
	}
	ck_assert_uint_ge(count[0], 10);
	ck_assert_uint_ge(count[1], 10);
	ck_assert_uint_ge(count[2], 15);
	free(x);
	free_vectors(&vf);
}
END_TEST

START_TEST(bignum_edges)
{
	csig_bn *x = malloc(3 * sizeof(csig_bn));
	ck_assert_ptr_nonnull(x);
	uint8_t buf[8] = { 0, 0, 0, 0, 0, 0x01, 0x02, 0x03 };
	uint8_t out[8];
	size_t n;

	/* leading zeros, minimal re-encoding, zero */
	ck_assert_int_eq(csig__bn_from_be(&x[0], buf, sizeof(buf)), 0);
	ck_assert_uint_eq(x[0].len, 1);
	ck_assert_uint_eq(csig__bn_bits(&x[0]), 17);
	ck_assert_int_eq(csig__bn_to_be(&x[0], out, sizeof(out), &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(memcmp(out, buf + 5, 3), 0);
	ck_assert_int_eq(csig__bn_to_be(&x[0], out, 2, &n), -1);
	ck_assert_int_eq(csig__bn_from_be(&x[1], buf, 0), 0);
	ck_assert_uint_eq(x[1].len, 0);
	ck_assert_int_eq(csig__bn_to_be(&x[1], out, 0, &n), 0);
	ck_assert_uint_eq(n, 0);

	/* capacity: CSIG_BN_LIMBS limbs fit, one more non-zero byte does not;
	 * any number of leading zero bytes is fine */
	size_t cap = CSIG_BN_LIMBS * CSIG_LIMB_BYTES;
	uint8_t *big = calloc(cap + 100, 1);
	ck_assert_ptr_nonnull(big);
	big[100] = 0x80;
	ck_assert_int_eq(csig__bn_from_be(&x[0], big, cap + 100), 0);
	ck_assert_uint_eq(csig__bn_bits(&x[0]), cap * 8);
	big[99] = 1;
	ck_assert_int_eq(csig__bn_from_be(&x[0], big, cap + 100), -1);
	free(big);

	/* mod by zero, modexp with even / zero / oversized modulus */
	ck_assert_int_eq(csig__bn_from_be(&x[0], buf, sizeof(buf)), 0);
	ck_assert_int_eq(csig__bn_from_be(&x[1], buf, 0), 0);
	ck_assert_int_eq(csig__bn_mod(&x[2], &x[0], &x[1]), -1);
	ck_assert_int_eq(csig__bn_modexp(&x[2], &x[0], &x[0], &x[1]), -1);
	uint8_t even = 10;
	ck_assert_int_eq(csig__bn_from_be(&x[1], &even, 1), 0);
	ck_assert_int_eq(csig__bn_modexp(&x[2], &x[0], &x[0], &x[1]), -1);
	x[1].len = CSIG_MONT_LIMBS + 1;
	memset(x[1].v, 0xff, x[1].len * sizeof(csig_limb));
	ck_assert_int_eq(csig__bn_modexp(&x[2], &x[0], &x[0], &x[1]), -1);
	/* product over capacity */
	x[0].len = CSIG_BN_LIMBS / 2 + 1;
	memset(x[0].v, 0xff, x[0].len * sizeof(csig_limb));
	ck_assert_int_eq(csig__bn_mul(&x[2], &x[0], &x[0]), -1);

	/* Montgomery setup rejects even and trivial moduli */
	csig_mont *mc = malloc(sizeof(*mc));
	ck_assert_ptr_nonnull(mc);
	csig_limb m[2] = { 4, 1 };
	ck_assert_int_eq(csig__mont_init(mc, m, 2), -1);
	m[0] = 1; m[1] = 0;
	ck_assert_int_eq(csig__mont_init(mc, m, 2), -1);
	m[0] = 0xffffffffu; m[1] = 0;
	ck_assert_int_eq(csig__mont_init(mc, m, 2), 0);
	ck_assert_uint_eq(mc->k, 1);
	/* limb array to_be: value must fit */
	csig_limb a[2] = { 0x01020304u, 0x05 };
	uint8_t be[5];
	ck_assert_int_eq(csig__ln_to_be(a, 2, be, 4), -1);
	ck_assert_int_eq(csig__ln_to_be(a, 2, be, 5), 0);
	ck_assert_int_eq(be[0], 5);
	ck_assert_int_eq(be[4], 4);
	free(mc);
	free(x);
}
END_TEST

/* Self-check of Montgomery arithmetic against the schoolbook path:
 * (a * b) mod m via csig_bn equals mont_from(mont_mul(to(a), to(b))). */
START_TEST(bignum_mont_random)
{
	uint64_t seed = 0xb16b00b5ULL;
	csig_bn *x = malloc(4 * sizeof(csig_bn));
	csig_mont *c = malloc(sizeof(*c));
	ck_assert_ptr_nonnull(x);
	ck_assert_ptr_nonnull(c);
	static const size_t sizes[] = { 1, 2, 3, 8, 12, 17, 64, 96, 128 };
	for (size_t t = 0; t < CSIG_ARRAY_LEN(sizes); t++) {
		for (int rep = 0; rep < 5; rep++) {
			size_t k = sizes[t];
			csig_bn *a = &x[0], *b = &x[1], *m = &x[2], *r = &x[3];
			m->len = a->len = b->len = k;
			for (size_t i = 0; i < k; i++) {
				m->v[i] = (csig_limb)tu_rand(&seed);
				a->v[i] = (csig_limb)tu_rand(&seed);
				b->v[i] = (csig_limb)tu_rand(&seed);
			}
			if (rep & 1)
				m->v[k - 1] = 2 + (m->v[k - 1] >> 28); /* small top limb */
			else
				m->v[k - 1] |= 0x80000000u;
			m->v[0] |= 1;
			ck_assert_int_eq(csig__bn_mod(a, a, m), 0);
			ck_assert_int_eq(csig__bn_mod(b, b, m), 0);
			ck_assert_int_eq(csig__mont_init(c, m->v, k), 0);
			csig_limb am[CSIG_MONT_LIMBS] = { 0 }, bm[CSIG_MONT_LIMBS] = { 0 };
			memcpy(am, a->v, a->len * sizeof(csig_limb));
			memcpy(bm, b->v, b->len * sizeof(csig_limb));
			csig__mont_to(c, am, am);
			csig__mont_to(c, bm, bm);
			csig__mont_mul(c, am, am, bm);
			csig__mont_from(c, am, am);
			ck_assert_int_eq(csig__bn_mul(r, a, b), 0);
			ck_assert_int_eq(csig__bn_mod(r, r, m), 0);
			csig_limb want[CSIG_MONT_LIMBS] = { 0 };
			memcpy(want, r->v, r->len * sizeof(csig_limb));
			ck_assert_msg(csig__ln_cmp(am, want, k) == 0, "k=%zu rep=%d", k, rep);
		}
	}
	free(c);
	free(x);
}
END_TEST

/* Timing (informational; sanitizer build, so slower than a release build). */
START_TEST(timing)
{
	static const char *const rsa_names[] = { "rsa2048-sha256", "rsa4096-sha256" };
	static const char *const ec_names[] = { "p256-sha256-0", "p384-sha384-0" };
	const char *files[] = { "pk/rsa.txt", "pk/rsa.txt", "pk/ecdsa.txt", "pk/ecdsa.txt" };
	const char *names[] = { rsa_names[0], rsa_names[1], ec_names[0], ec_names[1] };
	for (int i = 0; i < 4; i++) {
		vecfile vf;
		const vec *v;
		find_vector(&vf, files[i], names[i], &v);
		struct timespec t0, t1;
		int reps = 20;
		clock_gettime(CLOCK_MONOTONIC, &t0);
		for (int j = 0; j < reps; j++)
			ck_assert_int_eq(run_vector(v), 1);
		clock_gettime(CLOCK_MONOTONIC, &t1);
		double ms = ((double)(t1.tv_sec - t0.tv_sec) * 1e3 +
			     (double)(t1.tv_nsec - t0.tv_nsec) / 1e6) / reps;
		printf("pk timing (sanitizer build): %s %.3f ms/verify\n", names[i], ms);
		free_vectors(&vf);
	}
}
END_TEST

Suite *pk_suite(void)
{
	Suite *s = suite_create("pk");
	TCase *tc = tcase_create("bignum");
	tcase_add_test(tc, bignum_vectors);
	tcase_add_test(tc, bignum_edges);
	tcase_add_test(tc, bignum_mont_random);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);

	tc = tcase_create("rsa");
	tcase_add_test(tc, rsa_vectors);
	tcase_add_test(tc, rsa_sweeps);
	tcase_add_test(tc, apple_vectors);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);

	tc = tcase_create("ecdsa");
	tcase_add_test(tc, ecdsa_vectors);
	tcase_add_test(tc, ecdsa_sweeps);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);

	tc = tcase_create("misc");
	tcase_add_test(tc, null_arguments);
	tcase_add_test(tc, timing);
	tcase_set_timeout(tc, 120);
	suite_add_tcase(s, tc);
	return s;
}

CSIG_TEST_MAIN(pk_suite)
