/*
 * check_otool.c - cross-check headers and load-command lists with LLVM's
 * Mach-O dumper, slice by slice.
 *
 * Tool choice: `llvm-objdump-14 --macho --private-headers --non-verbose
 * --arch=all` first, because llvm-otool-14's `-arch` selection is broken
 * (`llvm-otool-14 -arch arm64 -h good/fat-arm64-x86_64` prints the x86_64
 * header); `llvm-otool-14 -arch all -h -l` is the fallback.  Neither present:
 * "skipped" (a failure under CI=true).
 */
#include <sys/wait.h>
#include "testutil.h"
#include "support_json.h"

struct tool_slice {
	uint32_t magic, cputype, cpusub, caps, filetype, ncmds, sizeofcmds, flags;
	size_t nlc;
	char lcname[512][64];
	uint32_t cmdsize[512];
};

struct tool_out {
	int refused;             /* the tool reported an error */
	char errline[1024];
	size_t nslices;
	struct tool_slice s[8];
};

static int have(const char *cmd)
{
	char b[256];
	snprintf(b, sizeof(b), "command -v %s >/dev/null 2>&1", cmd);
	return system(b) == 0;
}

/* 1 objdump, 2 otool, 0 none */
static int pick_tool(void)
{
	if (have("llvm-objdump-14"))
		return 1;
	if (have("llvm-otool-14"))
		return 2;
	const char *ci = getenv("CI");
	if (ci && strcmp(ci, "true") == 0)
		ck_abort_msg("CI=true but neither llvm-objdump-14 nor llvm-otool-14 is installed");
	printf("skipped: neither llvm-objdump-14 nor llvm-otool-14 found\n");
	return 0;
}

static void run_tool(int tool, const char *path, struct tool_out *o)
{
	char cmd[4500];
	memset(o, 0, sizeof(*o));
	snprintf(cmd, sizeof(cmd), tool == 1 ?
		 "llvm-objdump-14 --macho --private-headers --non-verbose --arch=all '%s' 2>&1" :
		 "llvm-otool-14 -arch all -h -l '%s' 2>&1", path);
	FILE *p = popen(cmd, "r");
	ck_assert_ptr_nonnull(p);
	char line[1024];
	struct tool_slice *cur = NULL;
	int want_header = 0;
	while (fgets(line, sizeof(line), p)) {
		if (strstr(line, "error:") || strstr(line, "truncated or malformed")) {
			o->refused = 1;
			snprintf(o->errline, sizeof(o->errline), "%s", line);
			continue;
		}
		if (strncmp(line, "Mach header", 11) == 0) {
			ck_assert_uint_lt(o->nslices, 8);
			cur = &o->s[o->nslices++];
			want_header = 2;
			continue;
		}
		if (want_header == 2) { /* column titles */
			want_header = 1;
			continue;
		}
		if (want_header == 1 && cur) {
			want_header = 0;
			unsigned magic, ct, cs, caps, ft, nc, sc, fl;
			ck_assert_msg(sscanf(line, " %x %u %u %x %u %u %u %x", &magic, &ct, &cs, &caps,
					     &ft, &nc, &sc, &fl) == 8, "header line: %s", line);
			cur->magic = magic; cur->cputype = ct; cur->cpusub = cs; cur->caps = caps;
			cur->filetype = ft; cur->ncmds = nc; cur->sizeofcmds = sc; cur->flags = fl;
			continue;
		}
		char key[32], val[64];
		if (cur && sscanf(line, " %31s %63s", key, val) == 2) {
			if (strcmp(key, "cmd") == 0 && cur->nlc < 512) {
				snprintf(cur->lcname[cur->nlc], sizeof(cur->lcname[0]), "%s", val);
				cur->nlc++;
			} else if (strcmp(key, "cmdsize") == 0 && cur->nlc > 0) {
				cur->cmdsize[cur->nlc - 1] = (uint32_t)strtoul(val, NULL, 0);
			}
		}
	}
	int st = pclose(p);
	if (st != 0 && !(WIFEXITED(st) && WEXITSTATUS(st) == 0))
		o->refused = 1;
}

static const char *has_finding(const csig_file *f)
{
	for (size_t i = 0; i < csig_file_finding_count(f); i++)
		if (csig_file_finding(f, i)->severity >= CSIG_SEV_WARN)
			return csig_file_finding(f, i)->id;
	return NULL;
}

static size_t compared_slices;

static void cross_check(int tool, const char *path, const char *rel)
{
	csig_file *f;
	csig_error e;
	int rc = csig_file_open_path(&f, path, NULL, &e);
	struct tool_out *o = malloc(sizeof(*o));
	run_tool(tool, path, o);
	if (o->refused) {
		/* where LLVM refuses a file, we either refuse it or report a finding */
		if (rc == 0) {
			const char *id = has_finding(f);
			ck_assert_msg(id != NULL, "%s: LLVM refuses it (%s) but we report no finding", rel, o->errline);
			printf("%s: LLVM refuses (%.*s); libcsig reports %s\n", rel,
			       (int)strcspn(o->errline, "\n"), o->errline, id);
			csig_file_free(f);
		}
		free(o);
		return;
	}
	ck_assert_msg(rc == 0, "%s: LLVM reads it but open fails: %s", rel, e.msg);
	ck_assert_msg(o->nslices == csig_file_slice_count(f), "%s: %zu slices vs LLVM %zu", rel,
		      csig_file_slice_count(f), o->nslices);
	for (size_t i = 0; i < o->nslices; i++) {
		const struct tool_slice *t = &o->s[i];
		const csig_slice *s = csig_file_slice(f, i);
		uint32_t m = csig_slice_magic(s);
		ck_assert_uint_eq(csig_slice_big_endian(s) ? __builtin_bswap32(m) : m, t->magic);
		ck_assert_uint_eq((uint32_t)csig_slice_cputype(s), t->cputype);
		ck_assert_uint_eq((uint32_t)csig_slice_cpusubtype(s) & 0x00ffffffu, t->cpusub);
		ck_assert_uint_eq((uint32_t)csig_slice_cpusubtype(s) >> 24, t->caps);
		ck_assert_uint_eq(csig_slice_filetype(s), t->filetype);
		ck_assert_uint_eq(csig_slice_ncmds(s), t->ncmds);
		ck_assert_uint_eq(csig_slice_sizeofcmds(s), t->sizeofcmds);
		ck_assert_uint_eq(csig_slice_flags(s), t->flags);
		ck_assert_msg(csig_slice_lc_count(s) == t->nlc, "%s[%zu]: %zu load commands vs LLVM %zu",
			      rel, i, csig_slice_lc_count(s), t->nlc);
		for (size_t k = 0; k < t->nlc; k++) {
			const csig_lc *l = csig_slice_lc(s, k);
			ck_assert_uint_eq(l->cmdsize, t->cmdsize[k]);
			if (l->name)
				ck_assert_msg(strcmp(l->name, t->lcname[k]) == 0, "%s[%zu] lc %zu: %s vs LLVM %s",
					      rel, i, k, l->name, t->lcname[k]);
			else /* LLVM 14 may not know newer commands either */
				printf("%s[%zu] lc %zu: cmd 0x%x unnamed here, LLVM says %s\n", rel, i, k,
				       l->cmd, t->lcname[k]);
		}
		compared_slices++;
	}
	csig_file_free(f);
	free(o);
}

START_TEST(test_good_vs_llvm)
{
	int tool = pick_tool();
	if (!tool)
		return;
	char p[4096];
	sj *ex = sj_load(tu_testdata("expected.json", p, sizeof(p)));
	const sj *fx = sj_get(ex, "fixtures");
	compared_slices = 0;
	for (size_t n = 0; n < sj_len(fx); n++)
		cross_check(tool, tu_testdata(fx->keys[n], p, sizeof(p)), fx->keys[n]);
	printf("good fixtures: %zu slices match LLVM\n", compared_slices);
	ck_assert_uint_ge(compared_slices, 17);
	sj_free(ex);
}
END_TEST

START_TEST(test_bad_vs_llvm)
{
	int tool = pick_tool();
	if (!tool)
		return;
	char p[4096];
	/* bad files that still open: LLVM either agrees or refuses while we report a finding */
	static const char *const names[] = { "fat-cputype-mismatch", "fat-overlap", "lc-cmdsize-zero",
		"lc-cmdsize-past-sizeofcmds", "sizeofcmds-overrun", "codesig-past-eof" };
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		char rel[128];
		snprintf(rel, sizeof(rel), "bad/%s", names[i]);
		csig_file *f;
		if (csig_file_open_path(&f, tu_testdata(rel, p, sizeof(p)), NULL, NULL) != 0)
			continue;
		struct tool_out *o = malloc(sizeof(*o));
		run_tool(tool, p, o);
		if (o->refused)
			ck_assert_msg(has_finding(f) != NULL, "%s: LLVM refuses, no finding here", rel);
		free(o);
		csig_file_free(f);
	}
}
END_TEST

static int tool_for_walk;
static void real_one(const char *path, const char *rel, void *ctx)
{
	(void)ctx;
	cross_check(tool_for_walk, path, rel);
}

START_TEST(test_real_vs_llvm)
{
	const char *dir = tu_real_fixtures();
	if (!dir)
		return;
	tool_for_walk = pick_tool();
	if (!tool_for_walk)
		return;
	compared_slices = 0;
	size_t n = sj_each_macho(dir, real_one, NULL);
	printf("real fixtures: %zu files, %zu slices match LLVM\n", n, compared_slices);
	ck_assert_uint_ge(compared_slices, 30);
	/* molcs/cal-yikes-*: LLVM refuses, we open and report the mismatch */
	char p[4096];
	snprintf(p, sizeof(p), "%s/molcs/cal-yikes-universal", dir);
	csig_file *f;
	ck_assert_int_eq(csig_file_open_path(&f, p, NULL, NULL), 0);
	ck_assert_str_eq(has_finding(f), "fat-cputype-mismatch");
	csig_file_free(f);
}
END_TEST

Suite *otool_suite(void)
{
	Suite *s = suite_create("otool");
	TCase *tc = tcase_create("llvm");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_good_vs_llvm);
	tcase_add_test(tc, test_bad_vs_llvm);
	tcase_add_test(tc, test_real_vs_llvm);
	suite_add_tcase(s, tc);
	return s;
}

CSIG_TEST_MAIN(otool_suite)
