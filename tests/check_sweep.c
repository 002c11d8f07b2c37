/*
 * check_sweep.c - hostile input: every-prefix truncation and seeded byte
 * flips over the good fixtures and a sample of the real ones.  Each input
 * is an exact-size heap block so ASan catches a 1-byte overread; each must
 * end in an error code or a clean parse (open, verify, both JSON documents).
 * Kept under ~3 minutes on 2 cores: prefixes are dense over the headers and
 * the signature and strided elsewhere.
 */
#include <time.h>
#include "testutil.h"
#include "support_json.h"

static const char *const good[] = {
	"good/adhoc-arm64", "good/adhoc-arm64.dylib", "good/adhoc-arm64_32",
	"good/adhoc-infoplist-arm64", "good/adhoc-x86_64", "good/fat-arm64-x86_64",
	"good/fat-mixed", "good/fat64", "good/handmade-min-arm64", "good/handmade-ppc-be",
	"good/pysigned-arm64", "good/unsigned-arm64", "good/unsigned-x86_64",
	"good/go-arm64", "good/go-amd64",
};
#define NGOOD (sizeof(good) / sizeof(good[0]))

static const char *const real_sample[] = {
	"molcs/cal-yikes-universal", "molcs/signed-with-teamid", "santa/ret0",
	"isign/Test.app/isignTestApp", "zsign/demo1.dylib", "fastlane/very-capable-app.app/very-capable-app",
	"app_info/libswiftPhotos.dylib",
};
#define NREAL (sizeof(real_sample) / sizeof(real_sample[0]))

/* code_mismatch: err->code differed from the returned code (counted, asserted at the end) */
struct stats { size_t runs, opened, valid, code_mismatch; };

/* Open, verify and serialise one input; anything but a crash is fine. */
static void exercise(const unsigned char *buf, size_t len, int check_json, struct stats *st)
{
	csig_file *f = NULL;
	csig_error e;
	st->runs++;
	int rc = csig_file_open(&f, buf, len, NULL, &e);
	if (rc) {
		ck_assert_msg(rc < 0 && e.msg[0], "bad error %d (%s)", rc, e.msg);
		if (e.code != rc && st->code_mismatch++ == 0)
			printf("err->code %s != returned %s: %s\n", csig_errname(e.code), csig_errname(rc), e.msg);
		ck_assert_ptr_null(f);
		return;
	}
	st->opened++;
	/* walk the getters: every range stays inside the input */
	for (size_t i = 0; i < csig_file_slice_count(f); i++) {
		const csig_slice *s = csig_file_slice(f, i);
		ck_assert(csig_slice_offset(s) + csig_slice_size(s) <= len);
		for (size_t k = 0; k < csig_slice_lc_count(s); k++)
			ck_assert(csig_slice_lc(s, k)->offset + csig_slice_lc(s, k)->cmdsize <=
				  csig_slice_offset(s) + csig_slice_size(s));
		const csig_sig *sig = csig_slice_signature(s);
		for (size_t k = 0; sig && k < csig_sig_cd_count(sig); k++) {
			const csig_codedir *cd = csig_sig_cd(sig, k);
			csig_bytes b = csig_codedir_bytes(cd);
			ck_assert(b.ptr >= buf && b.ptr + b.len <= buf + len);
			ck_assert(strlen(csig_codedir_identifier(cd)) < b.len);
		}
	}
	csig_verify_result *r = NULL;
	ck_assert_int_eq(csig_verify(&r, f, NULL, &e), 0);
	st->valid += csig_verify_result_valid(r) != 0;
	char *a = NULL, *b = NULL;
	size_t al, bl;
	ck_assert_int_eq(csig_file_json(f, -1, CSIG_JSON_LOAD_COMMANDS | CSIG_JSON_SLOTS, &a, &al, &e), 0);
	ck_assert_int_eq(csig_verify_result_json(r, f, 0, &b, &bl, &e), 0);
	if (check_json) {
		sj *v = sj_parse(a, al);
		ck_assert_msg(v != NULL, "info JSON does not parse");
		sj_free(v);
		v = sj_parse(b, bl);
		ck_assert_msg(v != NULL, "verify JSON does not parse");
		sj_free(v);
	}
	csig_free(a);
	csig_free(b);
	csig_verify_result_free(r);
	csig_file_free(f);
}

/* Signature ranges (absolute) of the intact file, to aim prefixes and flips. */
static size_t sig_ranges(const unsigned char *buf, size_t len, uint64_t *lo, uint64_t *hi, size_t max)
{
	csig_file *f;
	size_t n = 0;
	if (csig_file_open(&f, buf, len, NULL, NULL))
		return 0;
	for (size_t i = 0; i < csig_file_slice_count(f) && n < max; i++) {
		const csig_slice *s = csig_file_slice(f, i);
		uint32_t off, size;
		if (csig_slice_code_signature(s, &off, &size) == 0) {
			lo[n] = csig_slice_offset(s) + off;
			hi[n] = lo[n] + size;
			n++;
		}
	}
	csig_file_free(f);
	return n;
}

static int in_dense(size_t n, size_t head, const uint64_t *lo, const uint64_t *hi, size_t nr)
{
	if (n <= head)
		return 1;
	for (size_t i = 0; i < nr; i++)
		if (n >= lo[i] && n <= hi[i])
			return 1;
	return 0;
}

/* Every prefix of the first `head` bytes (and of the signatures when dense_sig), else every stride-th. */
static void prefix_sweep(const unsigned char *buf, size_t len, size_t stride, size_t head,
			 int dense_sig, struct stats *st)
{
	uint64_t lo[8], hi[8];
	size_t nr = dense_sig ? sig_ranges(buf, len, lo, hi, 8) : 0;
	for (size_t n = 0; n <= len; n++) {
		if (!in_dense(n, head, lo, hi, nr) && n % stride != 0 && n != len)
			continue;
		unsigned char *c = malloc(n ? n : 1);
		memcpy(c, buf, n);
		exercise(c, n, n % 64 == 0, st);
		free(c);
	}
}

/*
 * The signature cut at every length inside an intact file: LC_CODE_SIGNATURE
 * datasize is patched to k, so the SuperBlob and CodeDirectory parsers see
 * every truncation (a plain prefix only makes the signature fall outside).
 */
static void sigsize_sweep(unsigned char *buf, size_t len, uint32_t stride, struct stats *st)
{
	csig_file *f;
	if (csig_file_open(&f, buf, len, NULL, NULL))
		return;
	const csig_slice *s = csig_file_slice(f, csig_file_slice_count(f) - 1);
	uint64_t lc_at = 0;
	uint32_t off, size;
	int big = csig_slice_big_endian(s);
	for (size_t i = 0; i < csig_slice_lc_count(s); i++)
		if (csig_slice_lc(s, i)->cmd == 0x1d)
			lc_at = csig_slice_lc(s, i)->offset;
	int has = csig_slice_code_signature(s, &off, &size) == 0;
	csig_file_free(f);
	if (!has || !lc_at)
		return;
	unsigned char save[4];
	memcpy(save, buf + lc_at + 12, 4);
	for (uint32_t k = 0; k <= size; k = k + stride > k ? k + stride : size + 1) {
		for (int i = 0; i < 4; i++)
			buf[lc_at + 12 + i] = (unsigned char)(k >> (big ? 24 - 8 * i : 8 * i));
		exercise(buf, len, k % 32 == 0, st);
	}
	memcpy(buf + lc_at + 12, save, 4);
}

/* n seeded flips of 1-4 bytes, restored after each run; half aimed at headers and signature. */
static void flip_sweep(unsigned char *buf, size_t len, size_t n, uint64_t seed, struct stats *st)
{
	uint64_t lo[8], hi[8];
	size_t nr = sig_ranges(buf, len, lo, hi, 8);
	if (!len)
		return;
	for (size_t it = 0; it < n; it++) {
		size_t pos[4];
		unsigned char old[4];
		int nb = 1 + (int)(tu_rand(&seed) % 4);
		for (int k = 0; k < nb; k++) {
			uint64_t r = tu_rand(&seed);
			size_t p;
			if (it % 2 == 0)
				p = (size_t)(r % len);
			else if (it % 4 == 1 || nr == 0)
				p = (size_t)(r % (len < 8192 ? len : 8192));
			else {
				size_t w = (size_t)(r >> 32) % nr;
				p = (size_t)(lo[w] + r % (hi[w] - lo[w] ? hi[w] - lo[w] : 1));
				if (p >= len)
					p = len - 1;
			}
			pos[k] = p;
			old[k] = buf[p];
			uint64_t how = tu_rand(&seed);
			buf[p] = how % 3 == 0 ? (unsigned char)(1u << (how >> 8) % 8) ^ buf[p] :
				 how % 3 == 1 ? (unsigned char)(how >> 16) : (unsigned char)(how % 2 ? 0xff : 0);
		}
		exercise(buf, len, it % 50 == 0, st);
		for (int k = nb - 1; k >= 0; k--)
			buf[pos[k]] = old[k];
	}
}

START_TEST(test_good_prefix)
{
	const char *rel = good[_i];
	if (strncmp(rel, "good/go-", 8) == 0)
		return; /* ~1.1 MB each: flips only */
	char p[4096];
	size_t len;
	unsigned char *buf = tu_read_file(tu_testdata(rel, p, sizeof(p)), &len);
	ck_assert_ptr_nonnull(buf);
	struct stats st = { 0, 0, 0, 0 };
	clock_t t0 = clock();
	prefix_sweep(buf, len, 61, 8192, 1, &st);
	sigsize_sweep(buf, len, 1, &st);
	printf("%-30s prefixes: %zu runs, %zu opened, %zu valid, %.1fs cpu\n", rel, st.runs,
	       st.opened, st.valid, (double)(clock() - t0) / CLOCKS_PER_SEC);
	if (strstr(rel, "adhoc") || strstr(rel, "pysigned") || strstr(rel, "min-arm64") || strstr(rel, "fat64"))
		ck_assert_uint_ge(st.valid, 1); /* the full file */
	/* LIBRARY BUG (macho.c open_fat): fat-slice range errors return TRUNCATED with err->code BADOFFSET */
	ck_assert_msg(st.code_mismatch == 0, "%zu inputs returned a code different from err->code", st.code_mismatch);
	free(buf);
}
END_TEST

START_TEST(test_good_flips)
{
	const char *rel = good[_i];
	char p[4096];
	size_t len;
	unsigned char *buf = tu_read_file(tu_testdata(rel, p, sizeof(p)), &len);
	ck_assert_ptr_nonnull(buf);
	struct stats st = { 0, 0, 0, 0 };
	clock_t t0 = clock();
	size_t n = 2000;
	flip_sweep(buf, len, n, 0x9e3779b97f4a7c15ull ^ (uint64_t)_i, &st);
	printf("%-30s flips: %zu runs, %zu opened, %zu valid, %.1fs cpu\n", rel, st.runs,
	       st.opened, st.valid, (double)(clock() - t0) / CLOCKS_PER_SEC);
	ck_assert_msg(st.code_mismatch == 0, "%zu inputs returned a code different from err->code", st.code_mismatch);
	free(buf);
}
END_TEST

START_TEST(test_real_sample)
{
	const char *dir = tu_real_fixtures();
	if (!dir)
		return;
	char p[4096];
	snprintf(p, sizeof(p), "%s/%s", dir, real_sample[_i]);
	size_t len;
	unsigned char *buf = tu_read_file(p, &len);
	ck_assert_msg(buf != NULL, "missing %s", p);
	struct stats st = { 0, 0, 0, 0 };
	clock_t t0 = clock();
	prefix_sweep(buf, len, 509, 2048, 0, &st);
	sigsize_sweep(buf, len, 97, &st);
	flip_sweep(buf, len, 500, 0xabcdefull + (uint64_t)_i, &st);
	printf("%-30s prefixes+flips: %zu runs, %zu opened, %.1fs cpu\n", real_sample[_i], st.runs,
	       st.opened, (double)(clock() - t0) / CLOCKS_PER_SEC);
	ck_assert_msg(st.code_mismatch == 0, "%zu inputs returned a code different from err->code", st.code_mismatch);
	free(buf);
}
END_TEST

Suite *sweep_suite(void)
{
	Suite *s = suite_create("sweep");
	TCase *tp = tcase_create("prefix");
	tcase_set_timeout(tp, 300);
	tcase_add_loop_test(tp, test_good_prefix, 0, (int)NGOOD);
	suite_add_tcase(s, tp);
	TCase *tf = tcase_create("flips");
	tcase_set_timeout(tf, 300);
	tcase_add_loop_test(tf, test_good_flips, 0, (int)NGOOD);
	suite_add_tcase(s, tf);
	TCase *tr = tcase_create("real");
	tcase_set_timeout(tr, 300);
	tcase_add_loop_test(tr, test_real_sample, 0, (int)NREAL);
	suite_add_tcase(s, tr);
	return s;
}

CSIG_TEST_MAIN(sweep_suite)
