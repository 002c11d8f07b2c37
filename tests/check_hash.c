/*
 * check_hash.c - SHA-1/SHA-2: FIPS 180-4 example vectors, streaming with
 * random split points, portable against hardware kernels, and a
 * differential test against openssl(1).
 */
#include <stdint.h>
#include <unistd.h>
#include "testutil.h"
#include "hash.h"

#define NELEM(a) (sizeof(a) / sizeof((a)[0]))

static const int all_algs[] = {
	CSIG_HASH_SHA1, CSIG_HASH_SHA256, CSIG_HASH_SHA256_TRUNCATED,
	CSIG_HASH_SHA384, CSIG_HASH_SHA512
};

static void to_hex(const uint8_t *d, size_t n, char *out)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		out[2 * i] = hx[d[i] >> 4];
		out[2 * i + 1] = hx[d[i] & 15];
	}
	out[2 * n] = '\0';
}

static void fill_rand(uint8_t *p, size_t n, uint64_t *seed)
{
	for (size_t i = 0; i < n; i++)
		p[i] = (uint8_t)(tu_rand(seed) >> 56);
}

/* ---- FIPS 180-4 / NIST example vectors -------------------------------- */

#define MSG448 "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq"
#define MSG896 "abcdefghbcdefghicdefghijdefghijkefghijklfghijklmghijklmn" \
	       "hijklmnoijklmnopjklmnopqklmnopqrlmnopqrsmnopqrstnopqrstu"

struct vec {
	int alg;
	int msg; /* 0 "", 1 "abc", 2 448-bit, 3 896-bit, 4 a million 'a' */
	const char *hex;
};

static const struct vec vecs[] = {
	{ CSIG_HASH_SHA1, 0, "da39a3ee5e6b4b0d3255bfef95601890afd80709" },
	{ CSIG_HASH_SHA1, 1, "a9993e364706816aba3e25717850c26c9cd0d89d" },
	{ CSIG_HASH_SHA1, 2, "84983e441c3bd26ebaae4aa1f95129e5e54670f1" },
	{ CSIG_HASH_SHA1, 3, "a49b2446a02c645bf419f995b67091253a04a259" },
	{ CSIG_HASH_SHA1, 4, "34aa973cd4c4daa4f61eeb2bdbad27316534016f" },
	{ CSIG_HASH_SHA256, 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
	{ CSIG_HASH_SHA256, 1, "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad" },
	{ CSIG_HASH_SHA256, 2, "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1" },
	{ CSIG_HASH_SHA256, 3, "cf5b16a778af8380036ce59e7b0492370b249b11e8f07a51afac45037afee9d1" },
	{ CSIG_HASH_SHA256, 4, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0" },
	/* TRUNCATED: the CodeDirectory keeps the first 20 bytes (hash_size). */
	{ CSIG_HASH_SHA256_TRUNCATED, 0, "e3b0c44298fc1c149afbf4c8996fb92427ae41e4" },
	{ CSIG_HASH_SHA256_TRUNCATED, 1, "ba7816bf8f01cfea414140de5dae2223b00361a3" },
	{ CSIG_HASH_SHA256_TRUNCATED, 2, "248d6a61d20638b8e5c026930c3e6039a33ce459" },
	{ CSIG_HASH_SHA256_TRUNCATED, 3, "cf5b16a778af8380036ce59e7b0492370b249b11" },
	{ CSIG_HASH_SHA256_TRUNCATED, 4, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48" },
	{ CSIG_HASH_SHA384, 0, "38b060a751ac96384cd9327eb1b1e36a21fdb71114be07434c0cc7bf63f6e1da274edebfe76f65fbd51ad2f14898b95b" },
	{ CSIG_HASH_SHA384, 1, "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed8086072ba1e7cc2358baeca134c825a7" },
	{ CSIG_HASH_SHA384, 2, "3391fdddfc8dc7393707a65b1b4709397cf8b1d162af05abfe8f450de5f36bc6b0455a8520bc4e6f5fe95b1fe3c8452b" },
	{ CSIG_HASH_SHA384, 3, "09330c33f71147e83d192fc782cd1b4753111b173b3b05d22fa08086e3b0f712fcc7c71a557e2db966c3e9fa91746039" },
	{ CSIG_HASH_SHA384, 4, "9d0e1809716474cb086e834e310a4a1ced149e9c00f248527972cec5704c2a5b07b8b3dc38ecc4ebae97ddd87f3d8985" },
	{ CSIG_HASH_SHA512, 0, "cf83e1357eefb8bdf1542850d66d8007d620e4050b5715dc83f4a921d36ce9ce"
			      "47d0d13c5d85f2b0ff8318d2877eec2f63b931bd47417a81a538327af927da3e" },
	{ CSIG_HASH_SHA512, 1, "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
			      "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f" },
	{ CSIG_HASH_SHA512, 2, "204a8fc6dda82f0a0ced7beb8e08a41657c16ef468b228a8279be331a703c335"
			      "96fd15c13b1b07f9aa1d3bea57789ca031ad85c7a71dd70354ec631238ca3445" },
	{ CSIG_HASH_SHA512, 3, "8e959b75dae313da8cf4f72814fc143f8f7779c6eb9f7fa17299aeadb6889018"
			      "501d289e4900f7e4331b99dec4b5433ac7d329eeb6dd26545e96e55b874be909" },
	{ CSIG_HASH_SHA512, 4, "e718483d0ce769644e2e42c7bc15b4638e1f98b13b2044285632a803afa973eb"
			      "de0ff244877ea60a4cb0432ce577c31beb009c5c2c49aa2e4eadb217ad8cc09b" },
};

/* Message msg of vecs[] in an exact-size heap block (ASan catches overreads). */
static uint8_t *vec_msg(int msg, size_t *n)
{
	const char *s = msg == 1 ? "abc" : msg == 2 ? MSG448 : msg == 3 ? MSG896 : "";
	size_t len = msg == 4 ? 1000000 : strlen(s);
	uint8_t *p = malloc(len ? len : 1);
	ck_assert_ptr_nonnull(p);
	if (msg == 4)
		memset(p, 'a', len);
	else
		memcpy(p, s, len);
	*n = len;
	return p;
}

/* Check a digest against the expected hex, over csig__hash_size bytes. */
static void check_digest(const uint8_t *d, int alg, const char *hex, const char *how)
{
	char got[2 * CSIG_HASH_MAX + 1];
	size_t n = csig__hash_size(alg);
	ck_assert_uint_eq(2 * n, strlen(hex));
	to_hex(d, n, got);
	ck_assert_msg(strcmp(got, hex) == 0, "alg %d %s: got %s want %s", alg, how, got, hex);
}

START_TEST(test_vectors)
{
	const struct vec *v = &vecs[_i];
	size_t n;
	uint8_t *msg = vec_msg(v->msg, &n);
	uint8_t d[CSIG_HASH_MAX];

	ck_assert_uint_eq(csig__hash(v->alg, msg, n, d), csig__hash_full_size(v->alg));
	check_digest(d, v->alg, v->hex, "one-shot");
	ck_assert_uint_eq(csig__hash_portable(v->alg, msg, n, d), csig__hash_full_size(v->alg));
	check_digest(d, v->alg, v->hex, "portable");

	/* Byte at a time (small ones) and in 1000-byte pieces (the million). */
	csig_hash_ctx c;
	ck_assert_int_eq(csig__hash_init(&c, v->alg), 0);
	size_t step = n > 1000 ? 1000 : 1;
	for (size_t i = 0; i < n; i += step)
		csig__hash_update(&c, msg + i, n - i < step ? n - i : step);
	csig__hash_final(&c, d);
	check_digest(d, v->alg, v->hex, "streamed");
	free(msg);
}
END_TEST

START_TEST(test_sizes)
{
	ck_assert_uint_eq(csig__hash_size(CSIG_HASH_SHA1), 20);
	ck_assert_uint_eq(csig__hash_size(CSIG_HASH_SHA256), 32);
	ck_assert_uint_eq(csig__hash_size(CSIG_HASH_SHA256_TRUNCATED), 20);
	ck_assert_uint_eq(csig__hash_size(CSIG_HASH_SHA384), 48);
	ck_assert_uint_eq(csig__hash_size(CSIG_HASH_SHA512), 64);
	ck_assert_uint_eq(csig__hash_full_size(CSIG_HASH_SHA256_TRUNCATED), 32);
	ck_assert_uint_eq(csig__hash_full_size(CSIG_HASH_SHA1), 20);
	static const int bad[] = { CSIG_HASH_NONE, 6, -1, 0x7fffffff };
	for (size_t i = 0; i < NELEM(bad); i++) {
		uint8_t d[CSIG_HASH_MAX];
		csig_hash_ctx c;
		ck_assert_uint_eq(csig__hash_size(bad[i]), 0);
		ck_assert_uint_eq(csig__hash_full_size(bad[i]), 0);
		ck_assert_int_eq(csig__hash_init(&c, bad[i]), -1);
		ck_assert_int_eq(csig__hash_init_portable(&c, bad[i]), -1);
		ck_assert_uint_eq(csig__hash(bad[i], "x", 1, d), 0);
		ck_assert_uint_eq(csig__hash_portable(bad[i], "x", 1, d), 0);
		ck_assert_str_eq(csig__hash_kernel(bad[i]), "portable");
	}
	/* NULL with length 0 is an empty message. */
	uint8_t d1[CSIG_HASH_MAX], d2[CSIG_HASH_MAX];
	csig__hash(CSIG_HASH_SHA256, NULL, 0, d1);
	csig__hash(CSIG_HASH_SHA256, "", 0, d2);
	ck_assert_mem_eq(d1, d2, 32);
}
END_TEST

START_TEST(test_kernels_reported)
{
	unsigned f = csig__hash_cpu_features();
	ck_assert_uint_eq(f, csig__hash_cpu_features()); /* cached, stable */
	for (size_t i = 0; i < NELEM(all_algs); i++) {
		const char *k = csig__hash_kernel(all_algs[i]);
		ck_assert(strcmp(k, "portable") == 0 || strcmp(k, "sha-ni") == 0 ||
			  strcmp(k, "armv8-ce") == 0);
		printf("hash kernel for alg %d: %s\n", all_algs[i], k);
	}
#if defined(__x86_64__)
	/* This build host advertises sha_ni; make sure the probe agrees. */
	FILE *cf = fopen("/proc/cpuinfo", "r");
	if (cf) {
		char line[4096];
		int has = 0;
		while (fgets(line, sizeof(line), cf))
			if (strncmp(line, "flags", 5) == 0 && strstr(line, " sha_ni"))
				has = 1;
		fclose(cf);
		ck_assert_int_eq(has, (f & CSIG_CPU_SHA256_HW) != 0);
		ck_assert_int_eq(has, (f & CSIG_CPU_SHA1_HW) != 0);
	}
#endif
}
END_TEST

/* ---- streaming with random splits ------------------------------------ */

START_TEST(test_stream_random_splits)
{
	uint64_t seed = 0x5eed0001u + (uint64_t)_i;
	const int alg = all_algs[_i];
	enum { MAXN = 5000 };
	uint8_t *buf = malloc(MAXN);
	ck_assert_ptr_nonnull(buf);
	fill_rand(buf, MAXN, &seed);
	for (int iter = 0; iter < 300; iter++) {
		size_t n = (size_t)(tu_rand(&seed) % MAXN);
		uint8_t want[CSIG_HASH_MAX], got[CSIG_HASH_MAX];
		csig__hash(alg, buf, n, want);
		csig_hash_ctx c;
		ck_assert_int_eq(iter & 1 ? csig__hash_init_portable(&c, alg)
					  : csig__hash_init(&c, alg), 0);
		size_t pos = 0;
		while (pos < n) {
			uint64_t r = tu_rand(&seed);
			/* Mostly small pieces, sometimes multi-block runs, sometimes empty. */
			size_t take = (r & 3) == 0 ? (size_t)(r >> 8) % 700 : (size_t)(r >> 8) % 70;
			if (take > n - pos)
				take = n - pos;
			csig__hash_update(&c, buf + pos, take);
			pos += take;
		}
		csig__hash_final(&c, got);
		ck_assert_mem_eq(got, want, csig__hash_full_size(alg));
	}
	free(buf);
}
END_TEST

/* ---- portable against the selected (hardware) kernels ----------------- */

START_TEST(test_portable_vs_accel_lengths)
{
	const int alg = all_algs[_i];
	uint64_t seed = 0xacce1000u + (uint64_t)_i;
	uint8_t *buf = malloc(1100 + 16);
	ck_assert_ptr_nonnull(buf);
	fill_rand(buf, 1100 + 16, &seed);
	for (size_t n = 0; n <= 1100; n++) {
		uint8_t a[CSIG_HASH_MAX], b[CSIG_HASH_MAX];
		size_t off = n % 16; /* unaligned starts too */
		csig__hash(alg, buf + off, n, a);
		csig__hash_portable(alg, buf + off, n, b);
		ck_assert_msg(memcmp(a, b, csig__hash_full_size(alg)) == 0,
			      "alg %d length %zu offset %zu differs", alg, n, off);
	}
	free(buf);
}
END_TEST

START_TEST(test_portable_vs_accel_large)
{
	static const size_t sizes[] = { 65536, 65536 + 55, 1048576 + 111, 3 * 1048576 + 64 };
	uint64_t seed = 0xb16b00b5u;
	size_t max = sizes[NELEM(sizes) - 1];
	uint8_t *buf = malloc(max + 1);
	ck_assert_ptr_nonnull(buf);
	fill_rand(buf, max + 1, &seed);
	for (size_t s = 0; s < NELEM(sizes); s++)
		for (size_t i = 0; i < NELEM(all_algs); i++) {
			uint8_t a[CSIG_HASH_MAX], b[CSIG_HASH_MAX];
			csig__hash(all_algs[i], buf + (s & 1), sizes[s], a);
			csig__hash_portable(all_algs[i], buf + (s & 1), sizes[s], b);
			ck_assert_mem_eq(a, b, csig__hash_full_size(all_algs[i]));
		}
	free(buf);
}
END_TEST

/* The hardware block functions called directly on long runs, state by state. */
START_TEST(test_block_kernels_direct)
{
	unsigned f = csig__hash_cpu_features();
	uint64_t seed = 0xd1ec7u;
	enum { NB = 300 };
	uint8_t *buf = malloc(NB * 128 + 3);
	ck_assert_ptr_nonnull(buf);
	fill_rand(buf, NB * 128 + 3, &seed);
	uint32_t s1[8], s2[8];
	uint64_t t1[8], t2[8];
	for (int round = 0; round < 20; round++) {
		size_t nb = (size_t)(tu_rand(&seed) % NB), off = (size_t)round % 4;
		for (int k = 0; k < 8; k++) {
			s1[k] = s2[k] = (uint32_t)tu_rand(&seed);
			t1[k] = t2[k] = tu_rand(&seed);
		}
		csig__sha256_blocks_portable(s1, buf + off, nb);
		csig__sha512_blocks_portable(t1, buf + off, nb);
#if defined(CSIG_HASH_HAVE_SHANI)
		if (f & CSIG_CPU_SHA256_HW)
			csig__sha256_blocks_shani(s2, buf + off, nb);
		else
#elif defined(CSIG_HASH_HAVE_ARMCE)
		if (f & CSIG_CPU_SHA256_HW)
			csig__sha256_blocks_armce(s2, buf + off, nb);
		else
#endif
			csig__sha256_blocks_portable(s2, buf + off, nb);
#if defined(CSIG_HASH_HAVE_ARMCE512)
		if (f & CSIG_CPU_SHA512_HW)
			csig__sha512_blocks_armce(t2, buf + off, nb);
		else
#endif
			csig__sha512_blocks_portable(t2, buf + off, nb);
		ck_assert_mem_eq(s1, s2, sizeof(s1));
		ck_assert_mem_eq(t1, t2, sizeof(t1));

		csig__sha1_blocks_portable(s1, buf + off, nb);
#if defined(CSIG_HASH_HAVE_SHANI)
		if (f & CSIG_CPU_SHA1_HW)
			csig__sha1_blocks_shani(s2, buf + off, nb);
		else
#elif defined(CSIG_HASH_HAVE_ARMCE)
		if (f & CSIG_CPU_SHA1_HW)
			csig__sha1_blocks_armce(s2, buf + off, nb);
		else
#endif
			csig__sha1_blocks_portable(s2, buf + off, nb);
		ck_assert_mem_eq(s1, s2, 5 * sizeof(uint32_t));
	}
	(void)f;
	free(buf);
}
END_TEST

/* ---- against openssl(1) ----------------------------------------------- */

static int have_openssl(void)
{
	return system("openssl version >/dev/null 2>&1") == 0;
}

/* Hash path with `openssl dgst -<name> -r`; hex into out; 0 on success. */
static int openssl_hex(const char *name, const char *path, char *out, size_t outlen)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "openssl dgst -%s -r '%s' 2>/dev/null", name, path);
	FILE *p = popen(cmd, "r");
	if (!p)
		return -1;
	char line[512];
	int ok = fgets(line, sizeof(line), p) != NULL;
	int st = pclose(p);
	if (!ok || st != 0)
		return -1;
	size_t n = strcspn(line, " \n");
	if (n + 1 > outlen)
		return -1;
	memcpy(out, line, n);
	out[n] = '\0';
	return 0;
}

START_TEST(test_against_openssl)
{
	static const struct { int alg; const char *name; } algs[] = {
		{ CSIG_HASH_SHA1, "sha1" }, { CSIG_HASH_SHA256, "sha256" },
		{ CSIG_HASH_SHA384, "sha384" }, { CSIG_HASH_SHA512, "sha512" },
	};
	if (!have_openssl()) {
		printf("skipped: openssl not found, differential test not run\n");
		return;
	}
	static const size_t lens[] = {
		0, 1, 3, 55, 56, 57, 63, 64, 65, 111, 112, 113, 119, 120, 127, 128,
		129, 191, 192, 239, 240, 255, 256, 257, 1000, 1023, 1024, 4095,
		4096, 4097, 65535, 65536, 100003, 1048577
	};
	uint64_t seed = 0x0be55u;
	size_t max = 1048577;
	uint8_t *buf = malloc(max);
	ck_assert_ptr_nonnull(buf);
	char path[] = "/tmp/csig_check_hash_XXXXXX";
	int fd = mkstemp(path);
	ck_assert_int_ge(fd, 0);
	for (size_t li = 0; li < NELEM(lens) + 8; li++) {
		/* The listed lengths, then a few random ones. */
		size_t n = li < NELEM(lens) ? lens[li] : (size_t)(tu_rand(&seed) % 20000);
		fill_rand(buf, n, &seed);
		ck_assert_int_eq(ftruncate(fd, 0), 0);
		ck_assert_int_eq(lseek(fd, 0, SEEK_SET), 0);
		ck_assert_int_eq(write(fd, buf, n), (ssize_t)n);
		for (size_t a = 0; a < NELEM(algs); a++) {
			char want[2 * CSIG_HASH_MAX + 8], got[2 * CSIG_HASH_MAX + 1];
			uint8_t d[CSIG_HASH_MAX];
			ck_assert_int_eq(openssl_hex(algs[a].name, path, want, sizeof(want)), 0);
			size_t dn = csig__hash(algs[a].alg, buf, n, d);
			to_hex(d, dn, got);
			ck_assert_msg(strcmp(got, want) == 0, "%s len %zu: got %s openssl %s",
				      algs[a].name, n, got, want);
			csig__hash_portable(algs[a].alg, buf, n, d);
			to_hex(d, dn, got);
			ck_assert_msg(strcmp(got, want) == 0, "%s portable len %zu", algs[a].name, n);
		}
	}
	close(fd);
	unlink(path);
	free(buf);
}
END_TEST

Suite *hash_suite(void)
{
	Suite *s = suite_create("hash");
	TCase *tc = tcase_create("vectors");
	tcase_add_loop_test(tc, test_vectors, 0, (int)NELEM(vecs));
	tcase_add_test(tc, test_sizes);
	tcase_add_test(tc, test_kernels_reported);
	suite_add_tcase(s, tc);

	tc = tcase_create("stream");
	tcase_add_loop_test(tc, test_stream_random_splits, 0, (int)NELEM(all_algs));
	suite_add_tcase(s, tc);

	tc = tcase_create("differential");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_portable_vs_accel_lengths, 0, (int)NELEM(all_algs));
	tcase_add_test(tc, test_portable_vs_accel_large);
	tcase_add_test(tc, test_block_kernels_direct);
	tcase_add_test(tc, test_against_openssl);
	suite_add_tcase(s, tc);
	return s;
}

CSIG_TEST_MAIN(hash_suite)
