/*
 * util.h - internal helpers shared by every module: failure reporting,
 * overflow-checked arithmetic and the allocation hook.  Internal.
 */
#ifndef CSIG_UTIL_H
#define CSIG_UTIL_H

#include <stddef.h>
#include <stdint.h>
#include "csig/common.h"

#if defined(__GNUC__)
#define CSIG_PRINTF(a, b) __attribute__((format(printf, a, b)))
#else
#define CSIG_PRINTF(a, b)
#endif

/*
 * Fill *err (if non-NULL) and return code.  Every failure goes through here:
 * one breakpoint catches every corruption.  Debug builds (CSIG_DEBUG) append
 * the source location.
 */
int csig__fail(csig_error *err, int code, uint64_t offset, const char *file,
	       int line, const char *fmt, ...) CSIG_PRINTF(6, 7);
#define CSIG_FAIL(err, code, offset, ...) \
	csig__fail((err), (code), (offset), __FILE__, __LINE__, __VA_ARGS__)

/* Clear *err to "no error" (NULL ok). */
void csig__error_clear(csig_error *err);

/* Overflow-checked arithmetic: return nonzero on overflow. */
static inline int csig_add_overflow(uint64_t a, uint64_t b, uint64_t *out)
{
#if defined(__GNUC__) || defined(__clang__)
	return __builtin_add_overflow(a, b, out);
#else
	*out = a + b;
	return *out < a;
#endif
}
static inline int csig_mul_overflow(uint64_t a, uint64_t b, uint64_t *out)
{
#if defined(__GNUC__) || defined(__clang__)
	return __builtin_mul_overflow(a, b, out);
#else
	*out = a * b;
	return a != 0 && *out / a != b;
#endif
}
/* Is [off, off+n) inside [0, total)?  Never wraps. */
static inline int csig_range_ok(uint64_t off, uint64_t n, uint64_t total)
{
	return off <= total && n <= total - off;
}

/*
 * Allocation.  Every allocation goes through these so test builds can fail
 * the Nth one (CSIG_TEST_HOOKS).  csig__calloc_n checks count * size for
 * overflow.
 */
void *csig__malloc(size_t n);
void *csig__calloc_n(size_t count, size_t size);
void *csig__realloc(void *p, size_t n);
void csig__free(void *p);
char *csig__strndup(const char *s, size_t n);

#ifdef CSIG_TEST_HOOKS
/* Fail the nth allocation from now (1-based); 0 disables.  Not thread-safe. */
CSIG_API void csig__test_fail_alloc_after(long n);
CSIG_API long csig__test_alloc_count(void);
#endif

#define CSIG_ARRAY_LEN(a) (sizeof(a) / sizeof((a)[0]))

#endif
