/*
 * testutil.h - shared by every Check suite.  Each tests/check_<module>.c
 * defines one `Suite *<module>_suite(void)` and ends with
 * CSIG_TEST_MAIN(<module>_suite).  Check's default fork mode is used, so a
 * crash in one test is reported, not fatal.
 */
#ifndef CSIG_TESTUTIL_H
#define CSIG_TESTUTIL_H

#include <check.h>
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "csig.h"

#define CSIG_TEST_MAIN(suite_fn)                                   \
	int main(void)                                             \
	{                                                          \
		SRunner *sr = srunner_create(suite_fn());          \
		srunner_run_all(sr, CK_NORMAL);                    \
		int nf = srunner_ntests_failed(sr);                \
		srunner_free(sr);                                  \
		return nf ? EXIT_FAILURE : EXIT_SUCCESS;           \
	}

/* Read a whole file into an exact-size heap block (ASan sees 1-byte overreads). */
static inline unsigned char *tu_read_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	if (fseek(f, 0, SEEK_END) != 0) { fclose(f); return NULL; }
	long n = ftell(f);
	if (n < 0) { fclose(f); return NULL; }
	rewind(f);
	unsigned char *buf = malloc(n ? (size_t)n : 1);
	if (buf && n && fread(buf, 1, (size_t)n, f) != (size_t)n) {
		free(buf);
		buf = NULL;
	}
	fclose(f);
	if (buf)
		*len = (size_t)n;
	return buf;
}

/* Path under testdata/ (CSIG_TESTDATA, set by the Makefile).  Static buffer per call site is fine in tests. */
static inline const char *tu_testdata(const char *rel, char *buf, size_t n)
{
	const char *root = getenv("CSIG_TESTDATA");
	snprintf(buf, n, "%s/%s", root ? root : "testdata", rel);
	return buf;
}

/*
 * The real-fixture directory (../shared/fixtures-real), or NULL when absent.
 * Absent under CI=true is a failure: CI must never go green without them.
 */
static inline const char *tu_real_fixtures(void)
{
	const char *dir = getenv("CSIG_FIXTURES_REAL");
	struct stat st;
	if (dir && stat(dir, &st) == 0 && S_ISDIR(st.st_mode))
		return dir;
	const char *ci = getenv("CI");
	if (ci && strcmp(ci, "true") == 0)
		ck_abort_msg("CI=true but real fixtures are missing at %s", dir ? dir : "(unset)");
	printf("skipped: real fixtures not present at %s\n", dir ? dir : "(unset)");
	return NULL;
}

/* Deterministic PRNG for sweeps (xorshift64*). */
static inline uint64_t tu_rand(uint64_t *s)
{
	uint64_t x = *s;
	x ^= x >> 12; x ^= x << 25; x ^= x >> 27;
	*s = x;
	return x * 0x2545F4914F6CDD1DULL;
}

#endif
