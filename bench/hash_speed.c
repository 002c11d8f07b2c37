/*
 * hash_speed.c - throughput of each hash kernel on a 256 MiB buffer, with
 * `openssl dgst` on the same bytes for comparison.  Not a test.
 *
 *   cc -O2 -Iinclude -Ilibcsig bench/hash_speed.c libcsig/hash.c \
 *      libcsig/sha*.c libcsig/alloc.c libcsig/error.c -o /tmp/hash_speed
 *   /tmp/hash_speed [MiB]
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "hash.h"

static double now(void)
{
	struct timespec ts;
	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

typedef void blocks32_fn(uint32_t *st, const uint8_t *p, size_t nb);
typedef void blocks64_fn(uint64_t *st, const uint8_t *p, size_t nb);

/* Best of two passes: the first also warms caches and clocks. */
static double run32(blocks32_fn *fn, const uint8_t *buf, size_t n)
{
	double best = 0;
	for (int pass = 0; pass < 2; pass++) {
		uint32_t st[8] = { 0 };
		double t = now();
		fn(st, buf, n / 64);
		t = now() - t;
		if (st[0] == 0x12345678) /* keep the result alive */
			putchar(' ');
		if ((double)n / t / 1e6 > best)
			best = (double)n / t / 1e6;
	}
	return best;
}

static double run64(blocks64_fn *fn, const uint8_t *buf, size_t n)
{
	double best = 0;
	for (int pass = 0; pass < 2; pass++) {
		uint64_t st[8] = { 0 };
		double t = now();
		fn(st, buf, n / 128);
		t = now() - t;
		if (st[0] == 0x12345678)
			putchar(' ');
		if ((double)n / t / 1e6 > best)
			best = (double)n / t / 1e6;
	}
	return best;
}

/* MB/s of `openssl dgst -name` on the file (includes reading it from page cache). */
static double run_openssl(const char *name, const char *path, size_t n)
{
	char cmd[512];
	snprintf(cmd, sizeof(cmd), "openssl dgst -%s '%s' >/dev/null 2>&1", name, path);
	double t = now();
	if (system(cmd) != 0)
		return 0;
	t = now() - t;
	return (double)n / t / 1e6;
}

static void row(const char *alg, const char *kernel, double mbs, double ossl)
{
	if (ossl > 0)
		printf("%-8s %-10s %9.0f MB/s   openssl %7.0f MB/s   ratio %.2f\n",
		       alg, kernel, mbs, ossl, mbs / ossl);
	else
		printf("%-8s %-10s %9.0f MB/s\n", alg, kernel, mbs);
}

int main(int argc, char **argv)
{
	size_t mib = argc > 1 ? (size_t)strtoul(argv[1], NULL, 10) : 256;
	size_t n = mib << 20;
	uint8_t *buf = malloc(n);
	if (!buf || n == 0)
		return 1;
	for (size_t i = 0; i < n; i++)
		buf[i] = (uint8_t)(i * 2654435761u >> 13);

	char path[] = "/tmp/csig_hash_speed_XXXXXX";
	int fd = mkstemp(path);
	int have_file = fd >= 0 && write(fd, buf, n) == (ssize_t)n;
	if (fd >= 0)
		close(fd);
	double o1 = 0, o256 = 0, o512 = 0;
	if (have_file && system("openssl version >/dev/null 2>&1") == 0) {
		run_openssl("sha256", path, n); /* warm the page cache */
		o1 = run_openssl("sha1", path, n);
		o256 = run_openssl("sha256", path, n);
		o512 = run_openssl("sha512", path, n);
	}

	unsigned f = csig__hash_cpu_features();
	printf("buffer %zu MiB; kernels chosen: sha1 %s, sha256 %s, sha512 %s\n", mib,
	       csig__hash_kernel(CSIG_HASH_SHA1), csig__hash_kernel(CSIG_HASH_SHA256),
	       csig__hash_kernel(CSIG_HASH_SHA512));
	row("sha1", "portable", run32(csig__sha1_blocks_portable, buf, n), o1);
#if defined(CSIG_HASH_HAVE_SHANI)
	if (f & CSIG_CPU_SHA1_HW)
		row("sha1", "sha-ni", run32(csig__sha1_blocks_shani, buf, n), o1);
#elif defined(CSIG_HASH_HAVE_ARMCE)
	if (f & CSIG_CPU_SHA1_HW)
		row("sha1", "armv8-ce", run32(csig__sha1_blocks_armce, buf, n), o1);
#endif
	row("sha256", "portable", run32(csig__sha256_blocks_portable, buf, n), o256);
#if defined(CSIG_HASH_HAVE_SHANI)
	if (f & CSIG_CPU_SHA256_HW)
		row("sha256", "sha-ni", run32(csig__sha256_blocks_shani, buf, n), o256);
#elif defined(CSIG_HASH_HAVE_ARMCE)
	if (f & CSIG_CPU_SHA256_HW)
		row("sha256", "armv8-ce", run32(csig__sha256_blocks_armce, buf, n), o256);
#endif
	row("sha512", "portable", run64(csig__sha512_blocks_portable, buf, n), o512);
#if defined(CSIG_HASH_HAVE_ARMCE512)
	if (f & CSIG_CPU_SHA512_HW)
		row("sha512", "armv8-ce", run64(csig__sha512_blocks_armce, buf, n), o512);
#endif
	(void)f;

	/* The full dispatching API, for the update-loop overhead. */
	uint8_t d[CSIG_HASH_MAX];
	double t = now();
	csig__hash(CSIG_HASH_SHA256, buf, n, d);
	t = now() - t;
	row("sha256", "csig__hash", (double)n / t / 1e6, o256);

	if (have_file)
		unlink(path);
	free(buf);
	return 0;
}
