/*
 * check_oom.c - allocation-failure injection.
 *
 * For each fixture kind the whole public pipeline (parse/open, verify or
 * check, evaluation, JSON) runs once to count its allocations (T), then
 * once more for every N in 1..T with allocation N (and every later one)
 * failing.  Each failing run must end in CSIG_E_NOMEM from some call and
 * release everything it took; the run after T must succeed.  Leaks are
 * caught by LeakSanitizer, asked explicitly at the end of each fixture (and,
 * when it finds one, per N to name the first N that leaks).
 *
 * The hook (csig__test_fail_alloc_after) exists in the test build of the
 * library (CSIG_TEST_HOOKS); it is process-global and not thread-safe, so
 * verification runs with one job.
 */
#include "testutil.h"
#include "util.h"

#if defined(__SANITIZE_ADDRESS__)
#define OOM_LSAN 1
#elif defined(__has_feature)
#if __has_feature(address_sanitizer)
#define OOM_LSAN 1
#endif
#endif
#ifdef OOM_LSAN
#include <sanitizer/lsan_interface.h>
#endif

typedef int (*pipeline_fn)(const unsigned char *buf, size_t len);

/* First error of a chain of calls: keep going only while rc == 0. */
#define STEP(x) do { if (rc == 0) rc = (x); } while (0)

/* ---- pipelines -------------------------------------------------------- */

static int run_macho(const unsigned char *buf, size_t len)
{
	csig_file *f = NULL;
	csig_verify_result *r = NULL;
	char *a = NULL, *b = NULL;
	size_t al, bl;
	int rc = csig_file_open(&f, buf, len, NULL, NULL);
	csig_verify_options o = CSIG_VERIFY_OPTIONS_INIT;
	o.jobs = 1;
	o.at_time = 1700000000;
	STEP(csig_verify(&r, f, &o, NULL));
	STEP(csig_file_json(f, -1, CSIG_JSON_LOAD_COMMANDS | CSIG_JSON_SLOTS, &a, &al, NULL));
	STEP(csig_verify_result_json(r, f, CSIG_JSON_PRETTY, &b, &bl, NULL));
	/* requirement evaluation on every slice's designated requirement */
	for (size_t i = 0; rc == 0 && f && i < csig_file_slice_count(f); i++) {
		const csig_slice *s = csig_file_slice(f, i);
		const csig_sig *sig = csig_slice_signature(s);
		const csig_reqset *rs = sig ? csig_sig_requirements(sig) : NULL;
		for (size_t k = 0; rc == 0 && rs && k < csig_reqset_count(rs); k++) {
			csig_req_result *res = NULL;
			STEP(csig_req_eval_slice(csig_reqset_get(rs, k), s, NULL, &res, NULL));
			csig_req_result_free(res);
		}
	}
	csig_free(a);
	csig_free(b);
	csig_verify_result_free(r);
	csig_file_free(f);
	return rc;
}

static int run_profile(const unsigned char *buf, size_t len)
{
	csig_profile *p = NULL;
	csig_profile_result *r = NULL;
	char *j = NULL;
	size_t jl;
	int rc = csig_profile_parse(&p, buf, len, NULL, NULL);
	STEP(csig_profile_check(p, 1600000000, &r, NULL));
	STEP(csig_profile_json(p, 1600000000, 1, &j, &jl, NULL));
	csig_free(j);
	csig_profile_result_free(r);
	csig_profile_free(p);
	return rc;
}

static int run_plist(const unsigned char *buf, size_t len)
{
	csig_plist *d = NULL;
	char *x = NULL, *t = NULL, *j = NULL;
	size_t n;
	int rc = csig_plist_parse(&d, buf, len, 0, NULL, NULL);
	STEP(csig_plist_to_xml(d, NULL, &x, &n, NULL));
	STEP(csig_plist_to_text(d, NULL, &t, &n, NULL));
	STEP(csig_plist_to_json(d, NULL, 1, &j, &n, NULL));
	csig_free(x);
	csig_free(t);
	csig_free(j);
	csig_plist_free(d);
	return rc;
}

static const char reqset_text[] =
	"designated => identifier \"com.example.app\" and anchor apple generic and "
	"certificate leaf[subject.OU] = \"ABCDE12345\" and "
	"certificate 1[field.1.2.840.113635.100.6.2.6] exists and "
	"entitlement[\"com.apple.security.app-sandbox\"] exists and "
	"info[CFBundleVersion] >= \"1.0\" and cdhash H\"0123456789abcdef0123456789abcdef01234567\" "
	"host => anchor apple and (identifier com.apple.a or identifier com.apple.b)";

static int run_reqs(const unsigned char *buf, size_t len)
{
	(void)buf;
	(void)len;
	uint8_t *blob = NULL;
	size_t bl = 0;
	int is_set = 0;
	csig_reqset *s = NULL;
	char *t = NULL;
	int rc = csig_req_compile(reqset_text, sizeof(reqset_text) - 1, &blob, &bl, &is_set, NULL);
	STEP(csig_reqset_parse(&s, blob, bl, NULL, NULL));
	STEP(csig_reqset_to_text(s, &t, NULL, NULL));
	for (size_t i = 0; rc == 0 && i < csig_reqset_count(s); i++) {
		csig_req_ctx ctx = CSIG_REQ_CTX_INIT;
		ctx.identifier = "com.example.app";
		csig_req_result *r = NULL;
		STEP(csig_req_eval(csig_reqset_get(s, i), &ctx, &r, NULL));
		char *qt = NULL;
		STEP(csig_req_to_text(csig_reqset_get(s, i), &qt, NULL, NULL));
		csig_free(qt);
		csig_req_result_free(r);
	}
	csig_free(t);
	csig_reqset_free(s);
	csig_free(blob);
	return rc;
}

static int run_cert(const unsigned char *buf, size_t len)
{
	csig_cert *c = NULL;
	char *pem = NULL;
	int rc = csig_cert_parse(&c, buf, len, NULL, NULL);
	STEP(csig_cert_pem(c, &pem, NULL));
	if (rc == 0) {
		(void)csig_cert_subject_text(c);
		(void)csig_cert_issuer_text(c);
		(void)csig_cert_serial_hex(c);
		STEP(csig_cert_verify_signature(c, c) == CSIG_E_NOMEM ? CSIG_E_NOMEM : 0);
	}
	csig_free(pem);
	csig_cert_free(c);
	return rc;
}

/* ---- the injection loop ----------------------------------------------- */

static int leaks_now(void)
{
#ifdef OOM_LSAN
	return __lsan_do_recoverable_leak_check() != 0;
#else
	return 0;
#endif
}

static void inject(const char *what, pipeline_fn fn, const unsigned char *buf, size_t len)
{
	csig__test_fail_alloc_after(0);
	int rc = fn(buf, len);
	ck_assert_msg(rc == 0, "%s: clean run failed: %s", what, csig_errname(rc));
	long total = csig__test_alloc_count();
	ck_assert_msg(total > 0, "%s: no allocations counted", what);
	ck_assert_msg(!leaks_now(), "%s: the clean run leaks (LeakSanitizer report above)", what);
	long bad = 0;
	for (long n = 1; n <= total + 1; n++) {
		csig__test_fail_alloc_after(n);
		rc = fn(buf, len);
		if (n <= total && rc != CSIG_E_NOMEM && !bad)
			bad = n;
		if (n > total)
			ck_assert_msg(rc == 0, "%s: run with N=%ld > T=%ld failed: %s", what, n,
				      total, csig_errname(rc));
	}
	csig__test_fail_alloc_after(0);
	printf("%s: %ld allocations, each failure injected\n", what, total);
	if (bad) {
		csig__test_fail_alloc_after(bad);
		rc = fn(buf, len);
		csig__test_fail_alloc_after(0);
		ck_abort_msg("%s: failing allocation %ld of %ld gave %s, not CSIG_E_NOMEM", what,
			     bad, total, csig_errname(rc));
	}
	if (leaks_now()) {
		/* LeakSanitizer remembers nothing between checks, but leaked
		 * blocks stay leaked: the first N after which a check fails is
		 * the first N whose error path leaks. */
		for (long n = 1; n <= total; n++) {
			csig__test_fail_alloc_after(n);
			(void)fn(buf, len);
			csig__test_fail_alloc_after(0);
			if (leaks_now())
				ck_abort_msg("%s: leak when allocation %ld of %ld fails (report above)",
					     what, n, total);
		}
		ck_abort_msg("%s: leak (not attributable to one N)", what);
	}
}

static void inject_file(const char *what, pipeline_fn fn, const char *path)
{
	size_t len = 0;
	unsigned char *buf = tu_read_file(path, &len);
	ck_assert_msg(buf != NULL, "cannot read %s", path);
	inject(what, fn, buf, len);
	free(buf);
}

static const char *real(const char *rel, char *p, size_t n)
{
	const char *dir = tu_real_fixtures();
	if (!dir)
		return NULL;
	snprintf(p, n, "%s/%s", dir, rel);
	return p;
}

START_TEST(test_oom_macho_cms)
{
	char p[4096];
	if (real("molcs/signed-with-teamid", p, sizeof(p)))
		inject_file("macho-cms", run_macho, p);
}
END_TEST

START_TEST(test_oom_macho_pysigned)
{
	char p[4096];
	inject_file("pysigned-arm64", run_macho, tu_testdata("good/pysigned-arm64", p, sizeof(p)));
}
END_TEST

START_TEST(test_oom_macho_fat)
{
	char p[4096];
	inject_file("fat-arm64-x86_64", run_macho, tu_testdata("good/fat-arm64-x86_64", p, sizeof(p)));
}
END_TEST

START_TEST(test_oom_profile)
{
	char p[4096];
	if (real("app_info/ios_development.mobileprovision", p, sizeof(p)))
		inject_file("profile", run_profile, p);
}
END_TEST

START_TEST(test_oom_plist)
{
	char p[4096];
	inject_file("plist-xml", run_plist, tu_testdata("plist/good/001.xml", p, sizeof(p)));
	inject_file("plist-bin", run_plist, tu_testdata("plist/good/001.bplist", p, sizeof(p)));
}
END_TEST

START_TEST(test_oom_reqs)
{
	inject("requirement-set", run_reqs, NULL, 0);
}
END_TEST

/* The leaf certificate of the CMS in the real fixture, copied out first. */
START_TEST(test_oom_cert)
{
	char p[4096];
	if (!real("molcs/signed-with-teamid", p, sizeof(p)))
		return;
	size_t len = 0;
	unsigned char *buf = tu_read_file(p, &len);
	ck_assert_ptr_nonnull(buf);
	csig_file *f = NULL;
	ck_assert_int_eq(csig_file_open(&f, buf, len, NULL, NULL), 0);
	const csig_sig *sig = csig_slice_signature(csig_file_slice(f, 0));
	ck_assert_ptr_nonnull(sig);
	const csig_cms *cms = csig_sig_cms_parsed(sig);
	ck_assert_ptr_nonnull(cms);
	ck_assert_uint_gt(csig_cms_cert_count(cms), 0);
	for (size_t i = 0; i < csig_cms_cert_count(cms) && i < 3; i++) {
		csig_bytes der = csig_cert_der(csig_cms_cert(cms, i));
		unsigned char *copy = malloc(der.len);
		ck_assert_ptr_nonnull(copy);
		memcpy(copy, der.ptr, der.len);
		char what[32];
		snprintf(what, sizeof(what), "certificate-%zu", i);
		inject(what, run_cert, copy, der.len);
		free(copy);
	}
	csig_file_free(f);
	free(buf);
}
END_TEST

static Suite *oom_suite(void)
{
	Suite *s = suite_create("oom");
	TCase *tc = tcase_create("inject");
	tcase_set_timeout(tc, 600);
	tcase_add_test(tc, test_oom_macho_pysigned);
	tcase_add_test(tc, test_oom_macho_fat);
	tcase_add_test(tc, test_oom_macho_cms);
	tcase_add_test(tc, test_oom_profile);
	tcase_add_test(tc, test_oom_plist);
	tcase_add_test(tc, test_oom_reqs);
	tcase_add_test(tc, test_oom_cert);
	suite_add_tcase(s, tc);
	return s;
}

CSIG_TEST_MAIN(oom_suite)
