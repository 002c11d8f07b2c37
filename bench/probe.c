/*
 * probe.c - in-process measurements for bench/run.sh.  Not a test, not
 * installed.  Links build/libcsig.a and uses the internal hash.h.
 *
 *   probe rss FILE JOBS
 *	csig_file_open_path + csig_verify (like `csig verify --jobs JOBS`),
 *	then, before anything is freed, reads /proc/self/status (VmHWM) and
 *	/proc/self/smaps (Rss of the mapping of FILE).  Prints
 *	"valid=V hwm_kib=H file_rss_kib=F extra_kib=H-F base_kib=B", where
 *	base is VmHWM before the file was opened.
 *
 *   probe hash FILE LEN PAGESHIFT ALG
 *	maps FILE, touches [0, LEN) once (its CPU time is printed), then hashes it with csig__hash
 *	(ALG = 1 SHA-1, 2 SHA-256) as one stream and page by page
 *	(1 << PAGESHIFT bytes per call, as verify does).  Prints the kernel
 *	and MB/s by thread CPU time and by wall time, best of 3.
 */
#include <errno.h>
#include <fcntl.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include <csig.h>
#include "hash.h"

static double clk(clockid_t id)
{
	struct timespec ts;
	clock_gettime(id, &ts);
	return (double)ts.tv_sec + (double)ts.tv_nsec / 1e9;
}

/* VmHWM in KiB, or -1. */
static long vm_hwm(void)
{
	FILE *f = fopen("/proc/self/status", "r");
	char line[256];
	long v = -1;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f))
		if (strncmp(line, "VmHWM:", 6) == 0)
			v = strtol(line + 6, NULL, 10);
	fclose(f);
	return v;
}

/* Sum of Rss of every mapping of the file with inode ino, KiB, or -1. */
static long file_rss(unsigned long ino)
{
	FILE *f = fopen("/proc/self/smaps", "r");
	char line[512];
	long sum = -1;
	int in = 0;
	if (!f)
		return -1;
	while (fgets(line, sizeof(line), f)) {
		unsigned long lo, hi, off, inode;
		char perms[8], dev[16];
		if (sscanf(line, "%lx-%lx %7s %lx %15s %lu", &lo, &hi, perms, &off, dev,
			   &inode) == 6) {
			in = inode == ino;
			continue;
		}
		if (in && strncmp(line, "Rss:", 4) == 0)
			sum = (sum < 0 ? 0 : sum) + strtol(line + 4, NULL, 10);
	}
	fclose(f);
	return sum;
}

static int cmd_rss(const char *path, unsigned jobs)
{
	struct stat st;
	if (stat(path, &st) != 0) {
		perror(path);
		return 2;
	}
	long base = vm_hwm();
	csig_file *f;
	csig_error err;
	if (csig_file_open_path(&f, path, NULL, &err) != CSIG_OK) {
		fprintf(stderr, "probe: %s: cannot open\n", path);
		return 2;
	}
	csig_verify_options vo = CSIG_VERIFY_OPTIONS_INIT;
	vo.jobs = jobs;
	csig_verify_result *r;
	if (csig_verify(&r, f, &vo, &err) != CSIG_OK) {
		fprintf(stderr, "probe: %s: verify failed\n", path);
		csig_file_free(f);
		return 2;
	}
	long hwm = vm_hwm();
	long frss = file_rss((unsigned long)st.st_ino);
	printf("valid=%d hwm_kib=%ld file_rss_kib=%ld extra_kib=%ld base_kib=%ld\n",
	       csig_verify_result_valid(r), hwm, frss, hwm - (frss > 0 ? frss : 0), base);
	csig_verify_result_free(r);
	csig_file_free(f);
	return 0;
}

struct speed {
	double cpu, wall;
};

static struct speed time_hash(int alg, const uint8_t *p, size_t len, size_t page)
{
	struct speed best = { 1e30, 1e30 };
	uint8_t d[CSIG_HASH_MAX];
	unsigned sink = 0;
	for (int rep = 0; rep < 3; rep++) {
		double c0 = clk(CLOCK_THREAD_CPUTIME_ID), w0 = clk(CLOCK_MONOTONIC);
		for (size_t off = 0; off < len; off += page) {
			size_t n = len - off < page ? len - off : page;
			csig__hash(alg, p + off, n, d);
			sink += d[0];
		}
		double c = clk(CLOCK_THREAD_CPUTIME_ID) - c0, w = clk(CLOCK_MONOTONIC) - w0;
		if (c < best.cpu)
			best.cpu = c;
		if (w < best.wall)
			best.wall = w;
	}
	if (sink == 0xdeadbeefu) /* keep the digests alive */
		putchar(' ');
	return best;
}

static int cmd_hash(const char *path, size_t len, unsigned shift, int alg)
{
	int fd = open(path, O_RDONLY);
	struct stat st;
	if (fd < 0 || fstat(fd, &st) != 0 || (uint64_t)st.st_size < len || len == 0 ||
	    shift < 9 || shift > 30) {
		fprintf(stderr, "probe: %s: bad file or arguments\n", path);
		return 2;
	}
	const uint8_t *p = mmap(NULL, len, PROT_READ, MAP_PRIVATE, fd, 0);
	close(fd);
	if (p == MAP_FAILED) {
		perror("mmap");
		return 2;
	}
	/* first touch of a fresh mapping: page faults (fault-around) + page walks */
	unsigned touch = 0;
	double c0 = clk(CLOCK_THREAD_CPUTIME_ID);
	for (size_t i = 0; i < len; i += 4096)
		touch += p[i];
	double touch_ms = (clk(CLOCK_THREAD_CPUTIME_ID) - c0) * 1000;
	if (touch == 0xdeadbeefu)
		putchar(' ');
	const char *name = alg == CSIG_HASH_SHA1 ? "sha1" : "sha256";
	struct speed s = time_hash(alg, p, len, len);
	struct speed pg = time_hash(alg, p, len, (size_t)1 << shift);
	printf("%s kernel=%s first_touch_cpu_ms=%.1f stream_cpu_mbs=%.0f stream_wall_mbs=%.0f page%u_cpu_mbs=%.0f page%u_wall_mbs=%.0f\n",
	       name, csig__hash_kernel(alg), touch_ms, len / s.cpu / 1e6, len / s.wall / 1e6, 1u << shift,
	       len / pg.cpu / 1e6, 1u << shift, len / pg.wall / 1e6);
	munmap((void *)(uintptr_t)p, len);
	return 0;
}

int main(int argc, char **argv)
{
	if (argc == 4 && strcmp(argv[1], "rss") == 0)
		return cmd_rss(argv[2], (unsigned)strtoul(argv[3], NULL, 10));
	if (argc == 6 && strcmp(argv[1], "hash") == 0)
		return cmd_hash(argv[2], (size_t)strtoull(argv[3], NULL, 10),
				(unsigned)strtoul(argv[4], NULL, 10), atoi(argv[5]));
	fprintf(stderr, "usage: probe rss FILE JOBS | probe hash FILE LEN PAGESHIFT ALG\n");
	return 64;
}
