/*
 * check_zip.c - the zip reader and the DEFLATE decoder.
 *
 * Expected values come from Python's zipfile/zlib (testdata/zip/
 * make_zip_fixtures.py): expected.tsv for the archives in testdata/zip,
 * expected-real.tsv for the real .ipa/.zip fixtures, inflate-vectors.bin for
 * zlib-made raw DEFLATE streams with the SHA-256 of their data.
 */
#include <stdint.h>
#include "testutil.h"
#include "hash.h"
#include "inflate.h"
#include "util.h"

static uint32_t le32(const uint8_t *p)
{
	return p[0] | (uint32_t)p[1] << 8 | (uint32_t)p[2] << 16 | (uint32_t)p[3] << 24;
}

static void sha256_hex(const uint8_t *p, size_t n, char hex[65])
{
	uint8_t d[32];
	csig__hash(CSIG_HASH_SHA256, p, n, d);
	for (int i = 0; i < 32; i++)
		snprintf(hex + 2 * i, 3, "%02x", d[i]);
}

/* ---- inflate ----------------------------------------------------------- */

START_TEST(test_crc32)
{
	ck_assert_uint_eq(csig__crc32(0, "123456789", 9), 0xCBF43926u);
	ck_assert_uint_eq(csig__crc32(0, NULL, 0), 0);
	uint32_t c = csig__crc32(0, "1234", 4);
	ck_assert_uint_eq(csig__crc32(c, "56789", 5), 0xCBF43926u);
	uint8_t z[1000] = { 0 };
	ck_assert_uint_eq(csig__crc32(0, z, sizeof(z)), 0x060b1780u);
}
END_TEST

START_TEST(test_inflate_vectors)
{
	char path[4096];
	size_t n = 0;
	uint8_t *f = tu_read_file(tu_testdata("zip/inflate-vectors.bin", path, sizeof(path)), &n);
	ck_assert_ptr_nonnull(f);
	ck_assert(n >= 12 && memcmp(f, "CSIGINF1", 8) == 0);
	uint32_t count = le32(f + 8);
	size_t pos = 12;
	ck_assert_uint_gt(count, 300);
	for (uint32_t i = 0; i < count; i++) {
		ck_assert(n - pos >= 44);
		uint32_t rl = le32(f + pos), cl = le32(f + pos + 4);
		const uint8_t *want = f + pos + 12;
		ck_assert(n - pos - 44 >= cl);
		/* exact-size heap copies so ASan sees any overread / overwrite */
		uint8_t *src = malloc(cl + 1);
		memcpy(src, f + pos + 44, cl);
		uint8_t *dst = malloc(rl + 1);
		csig_error err;
		int e = csig__inflate(dst, rl, src, cl, 0, &err);
		ck_assert_msg(e == 0, "vector %u (%u -> %u): %s", i, cl, rl, err.msg);
		uint8_t d[32];
		csig__hash(CSIG_HASH_SHA256, dst, rl, d);
		ck_assert_msg(memcmp(d, want, 32) == 0, "vector %u: digest", i);
		/* output one byte too small / too large */
		if (rl > 0)
			ck_assert_int_eq(csig__inflate(dst, rl - 1, src, cl, 0, NULL),
					 CSIG_E_BADVALUE);
		ck_assert_int_eq(csig__inflate(dst, rl + 1, src, cl, 0, NULL), CSIG_E_BADVALUE);
		/* one byte short, one trailing byte */
		ck_assert_int_ne(csig__inflate(dst, rl, src, cl - 1, 0, NULL), 0);
		src[cl] = 0;
		ck_assert_int_eq(csig__inflate(dst, rl, src, cl + 1, 0, NULL), CSIG_E_TRAILING);
		free(src);
		free(dst);
		pos += 44 + cl;
	}
	ck_assert_uint_eq(pos, n);
	free(f);
}
END_TEST

START_TEST(test_inflate_handmade)
{
	uint8_t out[16];
	csig_error err;
	/* stored final block "abc" */
	static const uint8_t st[] = { 0x01, 0x03, 0x00, 0xfc, 0xff, 'a', 'b', 'c' };
	ck_assert_int_eq(csig__inflate(out, 3, st, sizeof(st), 0, &err), 0);
	ck_assert(memcmp(out, "abc", 3) == 0);
	/* LEN/NLEN mismatch */
	static const uint8_t st2[] = { 0x01, 0x03, 0x00, 0xfd, 0xff, 'a', 'b', 'c' };
	ck_assert_int_eq(csig__inflate(out, 3, st2, sizeof(st2), 100, &err), CSIG_E_BADVALUE);
	ck_assert_uint_eq(err.offset, 101);
	/* block type 3 */
	static const uint8_t bt3[] = { 0x07, 0x00 };
	ck_assert_int_eq(csig__inflate(out, 0, bt3, sizeof(bt3), 0, &err), CSIG_E_BADVALUE);
	ck_assert_ptr_nonnull(strstr(err.msg, "block type"));
	/* fixed block, empty: 0x03 0x00 */
	static const uint8_t empty[] = { 0x03, 0x00 };
	ck_assert_int_eq(csig__inflate(NULL, 0, empty, sizeof(empty), 0, &err), 0);
	ck_assert_int_eq(csig__inflate(NULL, 0, empty, 1, 0, &err), CSIG_E_TRUNCATED);
	ck_assert_int_eq(csig__inflate(NULL, 0, NULL, 0, 0, &err), CSIG_E_TRUNCATED);
	ck_assert_int_eq(csig__inflate(NULL, 4, empty, 2, 0, &err), CSIG_E_INVAL);
	/* fixed block whose first symbol is a match (length 3, distance 1):
	 * BFINAL 1, BTYPE 01, code 257 = 0000001 (7 bits), dist code 0 = 00000 */
	static const uint8_t far[] = { 0x03, 0x02, 0x00, 0x00 };
	ck_assert_int_eq(csig__inflate(out, 3, far, sizeof(far), 0, &err), CSIG_E_BADVALUE);
	ck_assert_ptr_nonnull(strstr(err.msg, "distance"));
	/* zlib's "a" followed by a repeat of 300 'a' bytes at distance 1 */
	static const uint8_t good[] = { 0x4b, 0x4c, 0x1c, 0x05, 0xa3, 0x60, 0x14, 0x0c,
					0x77, 0x00, 0x00 };
	(void)good;
}
END_TEST

/* ---- expected.tsv ------------------------------------------------------ */

static int errcode(const char *name)
{
	static const int codes[] = { CSIG_OK, CSIG_E_INVAL, CSIG_E_TRUNCATED,
		CSIG_E_BADMAGIC, CSIG_E_OVERFLOW, CSIG_E_BADOFFSET, CSIG_E_TRAILING,
		CSIG_E_BADVALUE, CSIG_E_UNSUPPORTED, CSIG_E_LIMIT, CSIG_E_NOMEM,
		CSIG_E_NOTFOUND };
	for (size_t i = 0; i < sizeof(codes) / sizeof(codes[0]); i++)
		if (strcmp(csig_errname(codes[i]), name) == 0)
			return codes[i];
	ck_abort_msg("unknown error name %s", name);
	return 1;
}

static int split(char *line, char **f, int max)
{
	int n = 0;
	char *save = NULL;
	for (char *t = strtok_r(line, "\t\n", &save); t && n < max;
	     t = strtok_r(NULL, "\t\n", &save))
		f[n++] = t;
	return n;
}

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = 0;
	if (strcmp(h, "-") == 0)
		return 0;
	for (; h[0] && h[1] && n < cap; h += 2) {
		unsigned v;
		sscanf(h, "%2x", &v);
		out[n++] = (uint8_t)v;
	}
	return n;
}

/* Check every line of a table; files are read from dir. Returns entries checked. */
static size_t check_table(const char *table, const char *dir)
{
	char path[4096];
	FILE *t = fopen(table, "r");
	ck_assert_msg(t != NULL, "cannot open %s", table);
	char line[8192], cur[1024] = "";
	uint8_t *buf = NULL;
	size_t len = 0, checked = 0;
	csig_zip *z = NULL;
	while (fgets(line, sizeof(line), t)) {
		char *f[16];
		if (line[0] == '#')
			continue;
		int nf = split(line, f, 16);
		if (nf >= 4 && strcmp(f[0], "F") == 0) {
			csig_zip_free(z);
			z = NULL;
			free(buf);
			snprintf(path, sizeof(path), "%s/%s", dir, f[1]);
			snprintf(cur, sizeof(cur), "%s", f[1]);
			buf = tu_read_file(path, &len);
			ck_assert_msg(buf != NULL, "cannot read %s", path);
			csig_error err;
			int e = csig_zip_open(&z, buf, len, NULL, &err);
			ck_assert_msg(e == errcode(f[2]), "%s: open %s, want %s (%s)", cur,
				      csig_errname(e), f[2], e ? err.msg : "");
			if (e) {
				ck_assert_ptr_null(z);
				ck_assert_str_ne(err.msg, "");
			} else {
				ck_assert_uint_eq(csig_zip_count(z), strtoull(f[3], NULL, 10));
			}
			continue;
		}
		ck_assert_msg(nf == 14 && strcmp(f[0], "E") == 0, "bad line in %s", table);
		ck_assert_str_eq(f[1], cur);
		ck_assert_ptr_nonnull(z);
		size_t i = strtoull(f[2], NULL, 10);
		uint8_t name[4096];
		size_t nlen = unhex(f[3], name, sizeof(name));
		csig_bytes nm = csig_zip_entry_name(z, i);
		ck_assert_msg(nm.len == nlen && (!nlen || memcmp(nm.ptr, name, nlen) == 0),
			      "%s[%zu]: name", cur, i);
		ck_assert_uint_eq(csig_zip_entry_method(z, i), strtoul(f[4], NULL, 10));
		ck_assert_uint_eq(csig_zip_entry_size(z, i), strtoull(f[5], NULL, 10));
		ck_assert_uint_eq(csig_zip_entry_compressed_size(z, i), strtoull(f[6], NULL, 10));
		ck_assert_uint_eq(csig_zip_entry_crc32(z, i), strtoul(f[7], NULL, 16));
		ck_assert_int_eq(csig_zip_entry_is_dir(z, i), atoi(f[8]));
		ck_assert_int_eq(csig_zip_entry_is_symlink(z, i), atoi(f[9]));
		ck_assert_uint_eq(csig_zip_entry_mode(z, i), strtoul(f[10], NULL, 8));
		ck_assert_uint_eq(csig_zip_entry_suspicious(z, i), strtoul(f[11], NULL, 10));
		/* find: lowest index for the name */
		size_t found = (size_t)-1;
		ck_assert_int_eq(csig_zip_find(z, (const char *)nm.ptr, nm.len, &found), 0);
		ck_assert_uint_le(found, i);
		if (!(csig_zip_entry_suspicious(z, i) & CSIG_ZIP_NAME_DUPLICATE))
			ck_assert_uint_eq(found, i);

		uint8_t *out = NULL;
		size_t olen = 0;
		csig_error err;
		int want = errcode(f[12]);
		int e = csig_zip_extract(z, i, &out, &olen, &err);
		ck_assert_msg(e == want, "%s[%zu]: extract %s, want %s (%s)", cur, i,
			      csig_errname(e), f[12], e ? err.msg : "");
		if (!e) {
			char hex[65];
			ck_assert_ptr_nonnull(out);
			ck_assert_uint_eq(olen, csig_zip_entry_size(z, i));
			sha256_hex(out, olen, hex);
			ck_assert_msg(strcmp(hex, f[13]) == 0, "%s[%zu]: sha256", cur, i);
			csig_bytes v;
			int ve = csig_zip_entry_view(z, i, &v, &err);
			if (csig_zip_entry_method(z, i) == CSIG_ZIP_STORED) {
				ck_assert_int_eq(ve, 0);
				ck_assert(v.len == olen && (!olen || memcmp(v.ptr, out, olen) == 0));
			} else {
				ck_assert_int_eq(ve, CSIG_E_UNSUPPORTED);
			}
		} else {
			ck_assert_ptr_null(out);
			ck_assert_str_ne(err.msg, "");
		}
		csig_free(out);
		checked++;
	}
	csig_zip_free(z);
	free(buf);
	fclose(t);
	return checked;
}

START_TEST(test_expected)
{
	char table[4096], dir[4096];
	size_t n = check_table(tu_testdata("zip/expected.tsv", table, sizeof(table)),
			       tu_testdata("zip", dir, sizeof(dir)));
	ck_assert_uint_gt(n, 40);
}
END_TEST

START_TEST(test_real)
{
	const char *real = tu_real_fixtures();
	if (!real)
		return;
	char table[4096];
	size_t n = check_table(tu_testdata("zip/expected-real.tsv", table, sizeof(table)), real);
	ck_assert_uint_gt(n, 100);
}
END_TEST

/* ---- limits and options ------------------------------------------------- */

static uint8_t *load(const char *rel, size_t *len)
{
	char path[4096];
	uint8_t *b = tu_read_file(tu_testdata(rel, path, sizeof(path)), len);
	ck_assert_msg(b != NULL, "cannot read %s", rel);
	return b;
}

START_TEST(test_limits)
{
	size_t len;
	uint8_t *b = load("zip/bad-bomb.zip", &len);
	csig_zip *z;
	csig_error err;
	uint8_t *out;
	size_t olen;
	ck_assert_int_eq(csig_zip_open(&z, b, len, NULL, &err), 0);
	ck_assert_int_eq(csig_zip_extract(z, 0, &out, &olen, &err), CSIG_E_LIMIT);
	ck_assert_ptr_nonnull(strstr(err.msg, "max_ratio"));
	csig_zip_free(z);

	csig_zip_options zo = CSIG_ZIP_OPTIONS_INIT;
	zo.max_entry_size = 1u << 20;
	ck_assert_int_eq(csig_zip_open_ex(&z, b, len, NULL, &zo, &err), 0);
	ck_assert_int_eq(csig_zip_extract(z, 0, &out, &olen, &err), CSIG_E_LIMIT);
	ck_assert_ptr_nonnull(strstr(err.msg, "max_entry_size"));
	csig_zip_free(z);
	/* raising is ignored */
	zo.max_entry_size = UINT64_MAX;
	zo.max_ratio = 100000;
	ck_assert_int_eq(csig_zip_open_ex(&z, b, len, NULL, &zo, &err), 0);
	ck_assert_int_eq(csig_zip_extract(z, 0, &out, &olen, &err), CSIG_E_LIMIT);
	csig_zip_free(z);
	zo.version = 99;
	ck_assert_int_eq(csig_zip_open_ex(&z, b, len, NULL, &zo, &err), CSIG_E_INVAL);
	free(b);

	b = load("zip/deflated.zip", &len);
	csig_open_options o = CSIG_OPEN_OPTIONS_INIT;
	o.max_count = 5;
	ck_assert_int_eq(csig_zip_open(&z, b, len, &o, &err), CSIG_E_LIMIT);
	ck_assert_ptr_null(z);
	o.max_count = 6;
	ck_assert_int_eq(csig_zip_open(&z, b, len, &o, &err), 0);
	csig_zip_free(z);
	zo = (csig_zip_options)CSIG_ZIP_OPTIONS_INIT;
	zo.max_entry_size = 50000;
	ck_assert_int_eq(csig_zip_open_ex(&z, b, len, NULL, &zo, &err), 0);
	size_t i;
	ck_assert_int_eq(csig_zip_find(z, "text.txt", 8, &i), 0);
	ck_assert_int_eq(csig_zip_extract(z, i, &out, &olen, &err), CSIG_E_LIMIT);
	ck_assert_int_eq(csig_zip_find(z, "fast.txt", 8, &i), 0);
	ck_assert_int_eq(csig_zip_extract(z, i, &out, &olen, &err), 0);
	csig_free(out);
	ck_assert_int_eq(csig_zip_find(z, "text.tx", 7, &i), CSIG_E_NOTFOUND);
	ck_assert_int_eq(csig_zip_find(z, "text.txtx", 9, &i), CSIG_E_NOTFOUND);
	ck_assert_int_eq(csig_zip_find(z, "", 0, &i), CSIG_E_NOTFOUND);
	ck_assert_int_eq(csig_zip_extract(z, 99, &out, &olen, &err), CSIG_E_INVAL);
	ck_assert_int_eq(csig_zip_extract(z, 0, NULL, &olen, &err), CSIG_E_INVAL);
	ck_assert_uint_eq(csig_zip_entry_size(z, 99), 0);
	ck_assert_ptr_null(csig_zip_entry_name(z, 99).ptr);
	csig_zip_free(z);
	ck_assert_int_eq(csig_zip_open(NULL, b, len, NULL, &err), CSIG_E_INVAL);
	ck_assert_int_eq(csig_zip_open(&z, NULL, 5, NULL, &err), CSIG_E_INVAL);
	ck_assert_uint_eq(csig_zip_count(NULL), 0);
	csig_zip_free(NULL);
	free(b);
}
END_TEST

START_TEST(test_copy)
{
	size_t len;
	uint8_t *b = load("zip/tree.zip", &len);
	csig_open_options o = CSIG_OPEN_OPTIONS_INIT;
	o.flags = CSIG_OPEN_COPY;
	csig_zip *z;
	ck_assert_int_eq(csig_zip_open(&z, b, len, &o, NULL), 0);
	memset(b, 0, len);
	free(b);
	size_t i;
	ck_assert_int_eq(csig_zip_find(z, "Payload/App.app/link", 20, &i), 0);
	ck_assert(csig_zip_entry_is_symlink(z, i));
	csig_bytes v;
	ck_assert_int_eq(csig_zip_entry_view(z, i, &v, NULL), 0);
	ck_assert(v.len == 3 && memcmp(v.ptr, "App", 3) == 0);
	ck_assert_int_eq(csig_zip_find(z, "Payload/", 8, &i), 0);
	ck_assert(csig_zip_entry_is_dir(z, i));
	ck_assert_uint_eq(csig_zip_entry_mode(z, i), 040755);
	csig_zip_free(z);
}
END_TEST

/* ---- hostile sweeps ------------------------------------------------------ */

static void exercise(const uint8_t *b, size_t len)
{
	csig_zip *z = NULL;
	csig_error err;
	uint8_t *copy = malloc(len ? len : 1);
	memcpy(copy, b, len);
	int e = csig_zip_open(&z, copy, len, NULL, &err);
	if (e == 0) {
		for (size_t i = 0; i < csig_zip_count(z); i++) {
			uint8_t *out;
			size_t olen;
			csig_bytes v;
			if (csig_zip_extract(z, i, &out, &olen, &err) == 0) {
				ck_assert_uint_eq(olen, csig_zip_entry_size(z, i));
				ck_assert_uint_eq(csig__crc32(0, out, olen), csig_zip_entry_crc32(z, i));
				csig_free(out);
			}
			(void)csig_zip_entry_view(z, i, &v, &err);
			csig_bytes nm = csig_zip_entry_name(z, i);
			size_t at;
			ck_assert_int_eq(csig_zip_find(z, (const char *)nm.ptr, nm.len, &at), 0);
		}
		csig_zip_free(z);
	} else {
		ck_assert(e < 0);
		ck_assert_ptr_null(z);
	}
	free(copy);
}

static const char *const sweep_files[] = {
	"zip/stored.zip", "zip/descriptor.zip", "zip/zip64-eocd.zip", "zip/zip64-local.zip",
	"zip/tree.zip", "zip/comment.zip", "zip/bad-names.zip"
};

START_TEST(test_truncation_sweep)
{
	size_t len;
	uint8_t *b = load(sweep_files[_i], &len);
	for (size_t n = 0; n <= len; n++)
		exercise(b, n);
	/* and every suffix shorter than the whole: offsets then point nowhere */
	for (size_t s = 1; s < len; s += (len > 600 ? 7 : 1))
		exercise(b + s, len - s);
	free(b);
}
END_TEST

START_TEST(test_flip_sweep)
{
	size_t len;
	uint8_t *b = load(sweep_files[_i], &len);
	uint64_t seed = 0x5eed + (uint64_t)_i;
	for (size_t p = 0; p < len; p++) {
		uint8_t keep = b[p];
		b[p] ^= 0xff;
		exercise(b, len);
		b[p] = (uint8_t)(keep ^ (1u << (tu_rand(&seed) & 7)));
		exercise(b, len);
		b[p] = keep;
	}
	for (int k = 0; k < 300; k++) {
		uint8_t *c = malloc(len);
		memcpy(c, b, len);
		for (int j = 0; j < 4; j++)
			c[tu_rand(&seed) % len] = (uint8_t)tu_rand(&seed);
		exercise(c, len);
		free(c);
	}
	free(b);
}
END_TEST

START_TEST(test_inflate_flips)
{
	/* corrupt deflate streams inside a zip never overrun the declared size */
	size_t len;
	uint8_t *b = load("zip/deflated.zip", &len);
	uint64_t seed = 42;
	for (int k = 0; k < 2000; k++) {
		size_t p = 40 + tu_rand(&seed) % 20000;
		uint8_t keep = b[p];
		b[p] ^= (uint8_t)(1u << (tu_rand(&seed) & 7));
		exercise(b, len);
		b[p] = keep;
	}
	free(b);
}
END_TEST

START_TEST(test_alloc_failures)
{
	size_t len;
	uint8_t *b = load("zip/deflated.zip", &len);
	for (long n = 1; n < 40; n++) {
		csig_zip *z = NULL;
		csig__test_fail_alloc_after(n);
		int e = csig_zip_open(&z, b, len, NULL, NULL);
		if (e == 0) {
			for (size_t i = 0; i < csig_zip_count(z); i++) {
				uint8_t *out;
				size_t olen;
				e = csig_zip_extract(z, i, &out, &olen, NULL);
				ck_assert(e == 0 || e == CSIG_E_NOMEM);
				if (!e)
					csig_free(out);
			}
			csig_zip_free(z);
		} else {
			ck_assert_int_eq(e, CSIG_E_NOMEM);
		}
		csig__test_fail_alloc_after(0);
	}
	free(b);
}
END_TEST

Suite *zip_suite(void)
{
	Suite *s = suite_create("zip");
	TCase *tc = tcase_create("inflate");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_crc32);
	tcase_add_test(tc, test_inflate_vectors);
	tcase_add_test(tc, test_inflate_handmade);
	suite_add_tcase(s, tc);
	tc = tcase_create("zip");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_expected);
	tcase_add_test(tc, test_real);
	tcase_add_test(tc, test_limits);
	tcase_add_test(tc, test_copy);
	tcase_add_test(tc, test_alloc_failures);
	suite_add_tcase(s, tc);
	tc = tcase_create("hostile");
	tcase_set_timeout(tc, 300);
	int nf = (int)(sizeof(sweep_files) / sizeof(sweep_files[0]));
	tcase_add_loop_test(tc, test_truncation_sweep, 0, nf);
	tcase_add_loop_test(tc, test_flip_sweep, 0, nf);
	tcase_add_test(tc, test_inflate_flips);
	suite_add_tcase(s, tc);
	return s;
}

CSIG_TEST_MAIN(zip_suite)
