/*
 * check_threads.c - one shared csig_file and one shared csig_profile used
 * from 8 threads at once: verify (with its own page-hashing workers), both
 * JSON documents, requirement evaluation against the slice, and the profile
 * check and JSON.  Every thread must produce byte-identical results.  Under
 * ThreadSanitizer (make check-slow builds this file with -fsanitize=thread)
 * any data race in those paths is reported.
 */
#include <pthread.h>
#include "testutil.h"

#define NTHREADS 8
#define ROUNDS 4

typedef struct {
	const csig_file *f;
	const csig_profile *p;
	int64_t at;
	pthread_barrier_t *start;
	char *out;      /* concatenated results; heap */
	int rc;         /* first failing return code */
} job;

static void append(job *j, const char *s)
{
	size_t a = j->out ? strlen(j->out) : 0, b = strlen(s);
	char *n = realloc(j->out, a + b + 2);
	if (!n) {
		j->rc = CSIG_E_NOMEM;
		return;
	}
	memcpy(n + a, s, b);
	n[a + b] = '\n';
	n[a + b + 1] = '\0';
	j->out = n;
}

static void take(job *j, int rc, char *s)
{
	if (rc && !j->rc)
		j->rc = rc;
	if (s)
		append(j, s);
	csig_free(s);
}

static void one_round(job *j)
{
	csig_verify_options o = CSIG_VERIFY_OPTIONS_INIT;
	o.jobs = 2;
	o.at_time = j->at;
	csig_verify_result *r = NULL;
	char *s = NULL;
	size_t n;
	int rc = csig_verify(&r, j->f, &o, NULL);
	if (rc == 0) {
		char v[64];
		snprintf(v, sizeof(v), "valid=%d findings=%zu", csig_verify_result_valid(r),
			 csig_verify_result_count(r));
		append(j, v);
		rc = csig_verify_result_json(r, j->f, 0, &s, &n, NULL);
		take(j, rc, s);
	} else {
		take(j, rc, NULL);
	}
	csig_verify_result_free(r);
	s = NULL;
	rc = csig_file_json(j->f, -1, CSIG_JSON_LOAD_COMMANDS | CSIG_JSON_SLOTS, &s, &n, NULL);
	take(j, rc, s);
	for (size_t i = 0; i < csig_file_slice_count(j->f); i++) {
		const csig_slice *sl = csig_file_slice(j->f, i);
		const csig_sig *sig = csig_slice_signature(sl);
		const csig_reqset *rs = sig ? csig_sig_requirements(sig) : NULL;
		for (size_t k = 0; rs && k < csig_reqset_count(rs); k++) {
			csig_req_result *res = NULL;
			rc = csig_req_eval_slice(csig_reqset_get(rs, k), sl, NULL, &res, NULL);
			if (rc == 0) {
				char v[64];
				snprintf(v, sizeof(v), "req %zu/%zu: %s traces=%zu", i, k,
					 csig_req_verdict_name(csig_req_result_verdict(res)),
					 csig_req_result_trace_count(res));
				append(j, v);
			}
			take(j, rc, NULL);
			csig_req_result_free(res);
		}
		s = NULL;
		if (rs) {
			rc = csig_reqset_to_text(rs, &s, NULL, NULL);
			take(j, rc, s);
		}
	}
	if (j->p) {
		csig_profile_result *pr = NULL;
		rc = csig_profile_check(j->p, j->at, &pr, NULL);
		if (rc == 0)
			append(j, csig_profile_verdict_name(csig_profile_result_verdict(pr)));
		take(j, rc, NULL);
		csig_profile_result_free(pr);
		s = NULL;
		rc = csig_profile_json(j->p, j->at, 0, &s, &n, NULL);
		take(j, rc, s);
	}
}

static void *worker(void *arg)
{
	job *j = arg;
	pthread_barrier_wait(j->start);
	for (int i = 0; i < ROUNDS; i++) {
		char *prev = j->out;
		j->out = NULL;
		one_round(j);
		if (prev && (!j->out || strcmp(prev, j->out) != 0))
			j->rc = -1000;   /* differs from this thread's previous round */
		free(prev);
	}
	return NULL;
}

static void hammer(const char *what, const csig_file *f, const csig_profile *p, int64_t at)
{
	pthread_t t[NTHREADS];
	job jobs[NTHREADS];
	pthread_barrier_t start;
	ck_assert_int_eq(pthread_barrier_init(&start, NULL, NTHREADS), 0);
	for (int i = 0; i < NTHREADS; i++) {
		jobs[i] = (job){ f, p, at, &start, NULL, 0 };
		ck_assert_int_eq(pthread_create(&t[i], NULL, worker, &jobs[i]), 0);
	}
	for (int i = 0; i < NTHREADS; i++)
		pthread_join(t[i], NULL);
	pthread_barrier_destroy(&start);
	for (int i = 0; i < NTHREADS; i++) {
		ck_assert_msg(jobs[i].rc == 0, "%s: thread %d failed: %d", what, i, jobs[i].rc);
		ck_assert_ptr_nonnull(jobs[i].out);
		ck_assert_msg(strcmp(jobs[i].out, jobs[0].out) == 0,
			      "%s: thread %d result differs from thread 0", what, i);
	}
	printf("%s: %d threads x %d rounds, %zu-byte result identical\n", what, NTHREADS,
	       ROUNDS, strlen(jobs[0].out));
	for (int i = 0; i < NTHREADS; i++)
		free(jobs[i].out);
}

static csig_file *open_file(const char *path, unsigned char **buf)
{
	size_t len = 0;
	*buf = tu_read_file(path, &len);
	ck_assert_msg(*buf != NULL, "cannot read %s", path);
	csig_file *f = NULL;
	ck_assert_int_eq(csig_file_open(&f, *buf, len, NULL, NULL), 0);
	return f;
}

static csig_profile *open_profile(const char *path, unsigned char **buf)
{
	size_t len = 0;
	*buf = tu_read_file(path, &len);
	ck_assert_msg(*buf != NULL, "cannot read %s", path);
	csig_profile *p = NULL;
	ck_assert_int_eq(csig_profile_parse(&p, *buf, len, NULL, NULL), 0);
	return p;
}

START_TEST(test_threads_testdata)
{
	char p1[4096], p2[4096];
	unsigned char *b1, *b2;
	csig_file *f1 = open_file(tu_testdata("good/pysigned-arm64", p1, sizeof(p1)), &b1);
	csig_file *f2 = open_file(tu_testdata("good/fat-arm64-x86_64", p2, sizeof(p2)), &b2);
	hammer("pysigned-arm64", f1, NULL, 1700000000);
	hammer("fat-arm64-x86_64", f2, NULL, 1700000000);
	csig_file_free(f1);
	csig_file_free(f2);
	free(b1);
	free(b2);
}
END_TEST

START_TEST(test_threads_real)
{
	const char *dir = tu_real_fixtures();
	if (!dir)
		return;
	char p1[4096], p2[4096];
	unsigned char *b1, *b2;
	snprintf(p1, sizeof(p1), "%s/molcs/signed-with-teamid", dir);
	snprintf(p2, sizeof(p2), "%s/app_info/ios_development.mobileprovision", dir);
	csig_file *f = open_file(p1, &b1);
	csig_profile *p = open_profile(p2, &b2);
	hammer("signed-with-teamid + profile", f, p, 1600000000);
	csig_profile_free(p);
	csig_file_free(f);
	free(b1);
	free(b2);
}
END_TEST

static Suite *threads_suite(void)
{
	Suite *s = suite_create("threads");
	TCase *tc = tcase_create("shared-handle");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_threads_testdata);
	tcase_add_test(tc, test_threads_real);
	suite_add_tcase(s, tc);
	return s;
}

CSIG_TEST_MAIN(threads_suite)
