/*
 * alloc.c - the allocation hook.  Test builds (CSIG_TEST_HOOKS) can fail the
 * Nth allocation to prove every error path releases what it took.  The
 * counters exist only in those builds, so release builds keep no writable
 * global state.
 */
#include <stdlib.h>
#include <string.h>
#include "util.h"

#ifdef CSIG_TEST_HOOKS
static long fail_after;   /* test builds only */
static long alloc_count;  /* test builds only */
void csig__test_fail_alloc_after(long n) { fail_after = n; alloc_count = 0; }
long csig__test_alloc_count(void) { return alloc_count; }
static int should_fail(void)
{
	alloc_count++;
	return fail_after > 0 && alloc_count >= fail_after;
}
#else
static inline int should_fail(void) { return 0; }
#endif

void *csig__malloc(size_t n)
{
	if (should_fail())
		return NULL;
	return malloc(n ? n : 1);
}

void *csig__calloc_n(size_t count, size_t size)
{
	uint64_t total;
	if (csig_mul_overflow(count, size, &total) || total > SIZE_MAX)
		return NULL;
	if (should_fail())
		return NULL;
	return calloc(count ? count : 1, size ? size : 1);
}

void *csig__realloc(void *p, size_t n)
{
	if (should_fail())
		return NULL;
	return realloc(p, n ? n : 1);
}

void csig__free(void *p) { free(p); }

char *csig__strndup(const char *s, size_t n)
{
	if (n == SIZE_MAX)
		return NULL;
	char *d = csig__malloc(n + 1);
	if (!d)
		return NULL;
	memcpy(d, s, n);
	d[n] = '\0';
	return d;
}
