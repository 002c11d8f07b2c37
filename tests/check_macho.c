/* check_macho.c - Mach-O / fat parsing against testdata/expected*.json and bad/. */
#include <unistd.h>
#include "testutil.h"
#include "util.h"
#include "support_json.h"

static sj *load_expected(const char *name)
{
	char p[4096];
	sj *v = sj_load(tu_testdata(name, p, sizeof(p)));
	ck_assert_msg(v != NULL, "cannot load %s", p);
	return v;
}

static const csig_finding *file_finding(const csig_file *f, const char *id, int slice)
{
	for (size_t i = 0; i < csig_file_finding_count(f); i++) {
		const csig_finding *x = csig_file_finding(f, i);
		if (strcmp(x->id, id) == 0 && (slice < -1 || x->slice == slice))
			return x;
	}
	return NULL;
}

/* Compare an opened file with its expected.json record. */
static void check_file(const csig_file *f, const sj *exp, const char *name)
{
	const char *fmt = sj_str(sj_get(exp, "format"));
	ck_assert_ptr_nonnull(fmt);
	ck_assert_msg(csig_file_size(f) == sj_u64(sj_get(exp, "size")), "%s: size", name);
	csig_bytes all = csig_file_bytes(f);
	ck_assert_uint_eq(all.len, csig_file_size(f));
	if (strcmp(fmt, "thin") == 0) {
		ck_assert_int_eq(csig_file_kind(f), CSIG_FILE_THIN);
		ck_assert_uint_eq(csig_file_fat_magic(f), 0);
	} else {
		ck_assert_int_eq(csig_file_kind(f), CSIG_FILE_FAT);
		ck_assert_uint_eq(csig_file_fat_magic(f),
				  strcmp(fmt, "fat64") == 0 ? 0xcafebabfu : 0xcafebabeu);
	}
	const sj *slices = sj_get(exp, "slices");
	ck_assert_msg(csig_file_slice_count(f) == sj_len(slices), "%s: slice count %zu vs %zu",
		      name, csig_file_slice_count(f), sj_len(slices));
	ck_assert_ptr_null(csig_file_slice(f, sj_len(slices)));
	for (size_t i = 0; i < sj_len(slices); i++) {
		const sj *es = sj_at(slices, i);
		const sj *h = sj_get(es, "header");
		const csig_slice *s = csig_file_slice(f, i);
		ck_assert_ptr_nonnull(s);
		ck_assert_uint_eq(csig_slice_index(s), i);
		ck_assert_msg(csig_slice_offset(s) == sj_u64(sj_get(es, "offset")), "%s[%zu] offset", name, i);
		ck_assert_msg(csig_slice_size(s) == sj_u64(sj_get(es, "size")), "%s[%zu] size", name, i);
		csig_bytes sb = csig_slice_bytes(s);
		ck_assert_ptr_eq(sb.ptr, all.ptr + csig_slice_offset(s));
		ck_assert_uint_eq(sb.len, csig_slice_size(s));
		ck_assert_msg((uint32_t)csig_slice_fat_cputype(s) == sj_u64(sj_get(es, "cputype")),
			      "%s[%zu] fat cputype", name, i);
		ck_assert_msg((uint32_t)csig_slice_fat_cpusubtype(s) == sj_u64(sj_get(es, "cpusubtype")),
			      "%s[%zu] fat cpusubtype", name, i);
		ck_assert_msg((uint32_t)csig_slice_cputype(s) == sj_u64(sj_get(h, "cputype")),
			      "%s[%zu] cputype", name, i);
		ck_assert_msg((uint32_t)csig_slice_cpusubtype(s) == sj_u64(sj_get(h, "cpusubtype")),
			      "%s[%zu] cpusubtype", name, i);
		/* csig_slice_magic is the magic as stored (read little-endian);
		 * the oracle gives the value in the header's own byte order */
		uint32_t m = csig_slice_magic(s);
		uint32_t em = (uint32_t)sj_num_or_hex(sj_get(h, "magic"));
		ck_assert_uint_eq(csig_slice_big_endian(s) ? __builtin_bswap32(m) : m, em);
		ck_assert_int_eq(csig_slice_is64(s), m == 0xfeedfacf || m == 0xcffaedfe);
		ck_assert_int_eq(csig_slice_big_endian(s),
				 strcmp(sj_str(sj_get(h, "byte_order")), "big") == 0);
		ck_assert_msg(csig_slice_filetype(s) == sj_u64(sj_get(h, "filetype")), "%s[%zu] filetype", name, i);
		ck_assert_msg(csig_slice_ncmds(s) == sj_u64(sj_get(h, "ncmds")), "%s[%zu] ncmds", name, i);
		ck_assert_msg(csig_slice_sizeofcmds(s) == sj_u64(sj_get(h, "sizeofcmds")), "%s[%zu] sizeofcmds", name, i);
		ck_assert_msg(csig_slice_flags(s) == sj_u64(sj_get(h, "flags")), "%s[%zu] flags", name, i);
		ck_assert_str_eq(csig_slice_arch(s), csig_arch_name(csig_slice_cputype(s),
								    csig_slice_cpusubtype(s)));
		/* load commands: llvm-otool's list (when it could read them) */
		const sj *lcs = sj_get(es, "load_commands");
		const sj *names = sj_get(es, "load_command_names");
		ck_assert_uint_eq(csig_slice_lc_count(s), csig_slice_ncmds(s));
		if (lcs) {
			ck_assert_msg(csig_slice_lc_count(s) == sj_len(lcs), "%s[%zu] lc count", name, i);
			for (size_t k = 0; k < sj_len(lcs); k++) {
				const csig_lc *l = csig_slice_lc(s, k);
				ck_assert_msg(l->cmd == sj_u64(sj_at(lcs, k)), "%s[%zu] lc %zu: 0x%x vs 0x%llx",
					      name, i, k, l->cmd, (unsigned long long)sj_u64(sj_at(lcs, k)));
				const char *en = sj_str(sj_at(names, k));
				if (l->name && en && strncmp(en, "LC_", 3) == 0)
					ck_assert_msg(strcmp(l->name, en) == 0, "%s lc %zu name %s vs %s",
						      name, k, l->name, en);
			}
		}
		/* load commands are contiguous from the header on, inside the slice */
		uint64_t at = csig_slice_offset(s) + (csig_slice_is64(s) ? 32 : 28);
		for (size_t k = 0; k < csig_slice_lc_count(s); k++) {
			const csig_lc *l = csig_slice_lc(s, k);
			ck_assert_uint_eq(l->offset, at);
			ck_assert_uint_ge(l->cmdsize, 8);
			at += l->cmdsize;
			ck_assert_uint_le(at, csig_slice_offset(s) + csig_slice_size(s));
			ck_assert_ptr_eq(l->name, csig_lc_name(l->cmd));
		}
		ck_assert_ptr_null(csig_slice_lc(s, csig_slice_lc_count(s)));
		/* LC_CODE_SIGNATURE */
		const sj *cs = sj_get(es, "code_signature");
		uint32_t off = 0, size = 0;
		int rc = csig_slice_code_signature(s, &off, &size);
		if (sj_is_null(cs)) {
			ck_assert_int_eq(rc, CSIG_E_NOTFOUND);
		} else {
			ck_assert_int_eq(rc, 0);
			ck_assert_uint_eq(off, sj_u64(sj_get(cs, "dataoff")));
			ck_assert_uint_eq(size, sj_u64(sj_get(cs, "datasize")));
		}
		csig_bytes plist;
		ck_assert_int_eq(csig_slice_info_plist(s, &plist) == 0,
				 sj_bool(sj_get(es, "has_info_plist_section")));
		const csig_slice *found = NULL;
		ck_assert_int_eq(csig_file_find_slice(f, csig_slice_arch(s), &found), 0);
		ck_assert_ptr_nonnull(found);
		/* fat entry / header disagreement is reported (cal-yikes shape) */
		if (sj_get(es, "header_cputype_matches") && !sj_bool(sj_get(es, "header_cputype_matches")))
			ck_assert_msg(file_finding(f, "fat-cputype-mismatch", (int)i) != NULL,
				      "%s[%zu]: no fat-cputype-mismatch finding", name, i);
	}
	/* well-formed inputs have no error-severity structural findings */
	for (size_t i = 0; i < csig_file_finding_count(f); i++) {
		const csig_finding *x = csig_file_finding(f, i);
		ck_assert_ptr_nonnull(x->id);
		ck_assert_ptr_nonnull(x->message);
		ck_assert_uint_le(x->offset, csig_file_size(f));
		if (strcmp(x->id, "fat-cputype-mismatch") != 0)
			ck_assert_msg(x->severity < CSIG_SEV_ERROR, "%s: finding %s: %s", name,
				      x->id, x->message);
	}
	ck_assert_ptr_null(csig_file_finding(f, csig_file_finding_count(f)));
}

START_TEST(test_good_fixtures)
{
	sj *ex = load_expected("expected.json");
	const sj *fx = sj_get(ex, "fixtures");
	ck_assert_uint_ge(sj_len(fx), 15);
	for (size_t n = 0; n < sj_len(fx); n++) {
		const char *name = fx->keys[n];
		const sj *exp = sj_at(fx, n);
		char p[4096];
		tu_testdata(name, p, sizeof(p));
		size_t len;
		unsigned char *buf = tu_read_file(p, &len);
		ck_assert_msg(buf != NULL, "cannot read %s", p);
		csig_file *a, *b, *c;
		csig_error e;
		ck_assert_msg(csig_file_open(&a, buf, len, NULL, &e) == 0, "%s: %s", name, e.msg);
		check_file(a, exp, name);
		ck_assert_ptr_eq(csig_file_bytes(a).ptr, buf); /* zero-copy */
		ck_assert_msg(csig_file_open_path(&b, p, NULL, &e) == 0, "%s: %s", name, e.msg);
		check_file(b, exp, name);
		csig_open_options o = CSIG_OPEN_OPTIONS_INIT;
		o.flags = CSIG_OPEN_COPY;
		ck_assert_int_eq(csig_file_open(&c, buf, len, &o, &e), 0);
		ck_assert_ptr_ne(csig_file_bytes(c).ptr, buf);
		/* the JSON documents of the three agree byte for byte */
		char *ja, *jb;
		ck_assert_int_eq(csig_file_json(a, -1, CSIG_JSON_LOAD_COMMANDS, &ja, NULL, NULL), 0);
		ck_assert_int_eq(csig_file_json(b, -1, CSIG_JSON_LOAD_COMMANDS, &jb, NULL, NULL), 0);
		ck_assert_str_eq(ja, jb);
		csig_free(jb);
		csig_file_free(a);
		memset(buf, 0xa5, len); /* scribble, then free: the copy must not care */
		free(buf);
		check_file(c, exp, name);
		ck_assert_int_eq(csig_file_json(c, -1, CSIG_JSON_LOAD_COMMANDS, &jb, NULL, NULL), 0);
		ck_assert_str_eq(ja, jb);
		csig_free(ja);
		csig_free(jb);
		csig_file_free(b);
		csig_file_free(c);
	}
	sj_free(ex);
}
END_TEST

/* Facts the fixtures README states, independent of expected.json. */
START_TEST(test_good_specifics)
{
	char p[4096];
	csig_file *f;
	const csig_slice *s;
	uint8_t uuid[16];
	uint32_t plat, minos, sdk;
	ck_assert_int_eq(csig_file_open_path(&f, tu_testdata("good/fat-arm64-x86_64", p, sizeof(p)), NULL, NULL), 0);
	ck_assert_str_eq(csig_slice_arch(csig_file_slice(f, 0)), "x86_64");
	ck_assert_str_eq(csig_slice_arch(csig_file_slice(f, 1)), "arm64");
	ck_assert_uint_eq(csig_slice_offset(csig_file_slice(f, 0)), 0x1000);
	ck_assert_uint_eq(csig_slice_offset(csig_file_slice(f, 1)), 0x8000);
	ck_assert_int_eq(csig_file_find_slice(f, "arm64", &s), 0);
	ck_assert_uint_eq(csig_slice_index(s), 1);
	ck_assert_int_eq(csig_file_find_slice(f, "ppc", &s), CSIG_E_NOTFOUND);
	ck_assert_int_eq(csig_file_find_slice(f, NULL, &s), CSIG_E_INVAL);
	ck_assert_int_eq(csig_file_find_slice(NULL, "arm64", &s), CSIG_E_INVAL);
	csig_file_free(f);

	ck_assert_int_eq(csig_file_open_path(&f, tu_testdata("good/handmade-ppc-be", p, sizeof(p)), NULL, NULL), 0);
	s = csig_file_slice(f, 0);
	ck_assert_str_eq(csig_slice_arch(s), "ppc");
	ck_assert_int_eq(csig_slice_big_endian(s), 1);
	ck_assert_int_eq(csig_slice_is64(s), 0);
	ck_assert_uint_eq(csig_slice_filetype(s), 2);
	ck_assert_int_eq(csig_slice_uuid(s, uuid), 0);
	ck_assert_int_eq(csig_slice_code_signature(s, NULL, NULL), CSIG_E_NOTFOUND);
	csig_file_free(f);

	ck_assert_int_eq(csig_file_open_path(&f, tu_testdata("good/adhoc-arm64_32", p, sizeof(p)), NULL, NULL), 0);
	ck_assert_str_eq(csig_slice_arch(csig_file_slice(f, 0)), "arm64_32");
	csig_file_free(f);

	ck_assert_int_eq(csig_file_open_path(&f, tu_testdata("good/adhoc-x86_64", p, sizeof(p)), NULL, NULL), 0);
	s = csig_file_slice(f, 0);
	ck_assert_str_eq(csig_slice_arch(s), "x86_64");
	ck_assert_uint_eq((uint32_t)csig_slice_cpusubtype(s), 0x80000003u);
	csig_file_free(f);

	ck_assert_int_eq(csig_file_open_path(&f, tu_testdata("good/adhoc-arm64", p, sizeof(p)), NULL, NULL), 0);
	s = csig_file_slice(f, 0);
	ck_assert_int_eq(csig_slice_uuid(s, uuid), 0);
	ck_assert_int_eq(csig_slice_build_version(s, &plat, &minos, &sdk), 0);
	ck_assert_uint_eq(plat, 1);
	ck_assert_int_eq(csig_slice_build_version(s, NULL, NULL, NULL), 0);
	csig_file_free(f);

	ck_assert_int_eq(csig_file_open_path(&f, tu_testdata("good/go-arm64", p, sizeof(p)), NULL, NULL), 0);
	ck_assert_int_eq(csig_slice_uuid(csig_file_slice(f, 0), uuid), CSIG_E_NOTFOUND);
	csig_file_free(f);

	ck_assert_int_eq(csig_file_open_path(&f, tu_testdata("good/adhoc-infoplist-arm64", p, sizeof(p)), NULL, NULL), 0);
	csig_bytes pl;
	ck_assert_int_eq(csig_slice_info_plist(csig_file_slice(f, 0), &pl), 0);
	ck_assert_uint_gt(pl.len, 20);
	int seen = 0;
	for (size_t i = 0; i + 6 <= pl.len; i++)
		seen |= memcmp(pl.ptr + i, "<plist", 6) == 0;
	ck_assert(seen);
	csig_file_free(f);
}
END_TEST

START_TEST(test_api_misuse)
{
	csig_file *f = (csig_file *)1;
	csig_error e;
	static const uint8_t x[4] = { 0xcf, 0xfa, 0xed, 0xfe };
	ck_assert_int_eq(csig_file_open(NULL, x, 4, NULL, &e), CSIG_E_INVAL);
	ck_assert_int_eq(csig_file_open(&f, NULL, 4, NULL, &e), CSIG_E_INVAL);
	ck_assert_ptr_null(f);
	csig_open_options o = CSIG_OPEN_OPTIONS_INIT;
	o.version = 99;
	ck_assert_int_eq(csig_file_open(&f, x, 4, &o, &e), CSIG_E_INVAL);
	ck_assert(e.msg[0]);
	ck_assert_int_eq(csig_file_open_path(&f, NULL, NULL, &e), CSIG_E_INVAL);
	ck_assert_int_eq(csig_file_open_path(&f, "/nonexistent/csig-test-file", NULL, &e), CSIG_E_IO);
	ck_assert_ptr_nonnull(strstr(e.msg, "/nonexistent/csig-test-file"));
	ck_assert_int_eq(csig_file_open_path(&f, "/", NULL, &e) < 0, 1); /* a directory */
	ck_assert_int_ne(csig_file_open(&f, NULL, 0, NULL, NULL), 0);
	csig_file_free(NULL);
	ck_assert_uint_eq(csig_file_slice_count(NULL), 0);
	ck_assert_ptr_null(csig_file_slice(NULL, 0));
	ck_assert_uint_eq(csig_file_finding_count(NULL), 0);
	ck_assert_int_eq(csig_file_kind(NULL), 0);
}
END_TEST

/* Allocation failure at every step of opening: NOMEM, never a crash or leak. */
START_TEST(test_open_nomem)
{
	char p[4096];
	size_t len;
	unsigned char *buf = tu_read_file(tu_testdata("good/fat-arm64-x86_64", p, sizeof(p)), &len);
	ck_assert_ptr_nonnull(buf);
	int ok = 0;
	for (long n = 1; n < 500 && !ok; n++) {
		csig_file *f = NULL;
		csig_error e;
		csig_open_options o = CSIG_OPEN_OPTIONS_INIT;
		o.flags = n % 2 ? CSIG_OPEN_COPY : 0;
		csig__test_fail_alloc_after(n);
		int rc = csig_file_open(&f, buf, len, &o, &e);
		csig__test_fail_alloc_after(0);
		if (rc == 0) {
			/* findings may have been dropped silently only if the sticky flag says so */
			csig_verify_result *r = NULL;
			csig_verify(&r, f, NULL, NULL);
			csig_verify_result_free(r);
			csig_file_free(f);
			ok = n > 5;
		} else {
			ck_assert_int_eq(rc, CSIG_E_NOMEM);
			ck_assert_ptr_null(f);
		}
	}
	free(buf);
}
END_TEST

/* ---- bad/ -------------------------------------------------------------- */

/*
 * What the library documents for each bad file: either open fails with one
 * of `codes`, or it opens and the file findings or verify findings carry one
 * of `ids`.  The MANIFEST column says what an ideal parser reports; where
 * csig/macho.h documents a finding instead of a failure (sizeofcmds, a
 * signature outside the slice) the finding is accepted.
 */
static const struct {
	const char *file;
	int codes[3];
	const char *ids[3];
} bad_table[] = {
	{ "empty", { CSIG_E_BADMAGIC, CSIG_E_TRUNCATED }, { NULL } }, /* strict: test_bad_empty_is_badmagic */
	{ "three-bytes", { CSIG_E_TRUNCATED }, { NULL } },
	{ "java-class.class", { CSIG_E_BADMAGIC }, { NULL } },
	{ "fat-nfat-huge", { CSIG_E_BADMAGIC, CSIG_E_TRUNCATED }, { NULL } },
	{ "fat64-nfat-huge", { CSIG_E_TRUNCATED, CSIG_E_BADMAGIC, CSIG_E_LIMIT }, { NULL } }, /* strict: test_bad_fat64_huge_is_truncated */
	{ "fat-truncated-table", { CSIG_E_TRUNCATED, CSIG_E_BADOFFSET }, { NULL } }, /* entry 0 points past the 28 bytes */
	{ "fat-overlap", { CSIG_E_BADOFFSET }, { "fat-slices-overlap" } },
	{ "fat-slice-past-eof", { CSIG_E_BADOFFSET, CSIG_E_TRUNCATED }, { NULL } },
	{ "fat-cputype-mismatch", { 0 }, { "fat-cputype-mismatch" } },
	{ "macho-header-truncated", { CSIG_E_TRUNCATED, CSIG_E_BADOFFSET }, { NULL } },
	{ "sizeofcmds-overrun", { CSIG_E_TRUNCATED, CSIG_E_BADOFFSET }, { "lc-overrun" } },
	{ "ncmds-huge", { CSIG_E_LIMIT, CSIG_E_BADVALUE }, { "lc-count", "lc-truncated" } },
	{ "lc-cmdsize-zero", { CSIG_E_BADVALUE }, { "lc-bad-size" } },
	{ "lc-cmdsize-not-mult8", { CSIG_E_BADVALUE }, { "lc-misaligned" } },
	{ "lc-cmdsize-not-mult4", { CSIG_E_BADVALUE }, { "lc-misaligned" } },
	{ "lc-cmdsize-past-sizeofcmds", { CSIG_E_BADVALUE }, { "lc-overrun" } },
	{ "codesig-past-eof", { CSIG_E_TRUNCATED, CSIG_E_BADOFFSET }, { "signature-outside-slice" } },
	{ "codesig-offset-overflow", { CSIG_E_OVERFLOW, CSIG_E_BADOFFSET }, { "signature-outside-slice" } },
	{ "superblob-bad-magic", { 0 }, { "signature-malformed" } },
	{ "superblob-count-huge", { 0 }, { "signature-malformed" } },
	{ "superblob-entry-past-end", { 0 }, { "blob-out-of-bounds" } },
	{ "cd-hashoffset-past-length", { 0 }, { "codedirectory-malformed" } },
	{ "cd-ncodeslots-inconsistent", { 0 }, { "codedirectory-malformed" } },
	{ "cd-ident-unterminated", { 0 }, { "codedirectory-malformed" } },
	{ "cd-unknown-hashtype", { 0 }, { "codedirectory-malformed", "unsupported-hash-type" } },
	{ "cd-version-too-old", { 0 }, { "codedirectory-malformed" } },
	{ "page-hash-mismatch", { 0 }, { "page-hash-mismatch" } },
	{ "special-slot-mismatch", { 0 }, { "special-slot-mismatch" } },
};

static int has_id(const csig_file *f, const csig_verify_result *r, const char *id,
		  const csig_finding **out)
{
	for (size_t i = 0; i < csig_file_finding_count(f); i++)
		if (strcmp(csig_file_finding(f, i)->id, id) == 0) {
			*out = csig_file_finding(f, i);
			return 1;
		}
	for (size_t i = 0; i < csig_verify_result_count(r); i++)
		if (strcmp(csig_verify_result_finding(r, i)->id, id) == 0) {
			*out = csig_verify_result_finding(r, i);
			return 1;
		}
	return 0;
}

START_TEST(test_bad_manifest)
{
	char p[4096];
	FILE *m = fopen(tu_testdata("bad/MANIFEST.tsv", p, sizeof(p)), "r");
	ck_assert_ptr_nonnull(m);
	char line[2048];
	size_t rows = 0;
	char implausible[1024] = "";
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), m)); /* header */
	while (fgets(line, sizeof(line), m)) {
		char *file = strtok(line, "\t");
		char *expect = strtok(NULL, "\t");
		if (!file || !expect)
			continue;
		rows++;
		size_t k;
		for (k = 0; k < CSIG_ARRAY_LEN(bad_table); k++)
			if (strcmp(bad_table[k].file, file) == 0)
				break;
		ck_assert_msg(k < CSIG_ARRAY_LEN(bad_table), "bad/%s is not in the test table", file);
		char rel[512];
		snprintf(rel, sizeof(rel), "bad/%s", file);
		size_t len;
		unsigned char *buf = tu_read_file(tu_testdata(rel, p, sizeof(p)), &len);
		ck_assert_ptr_nonnull(buf);
		csig_file *f = NULL;
		csig_error e;
		int rc = csig_file_open(&f, buf, len, NULL, &e);
		if (strcmp(expect, "not-macho") == 0 && strcmp(file, "empty") != 0)
			ck_assert_msg(rc == CSIG_E_BADMAGIC, "%s: not-macho gave %d", file, rc);
		if (rc) {
			int ok = 0;
			for (int c = 0; c < 3; c++)
				ok |= bad_table[k].codes[c] == rc && rc != 0;
			ck_assert_msg(ok, "%s: open failed with %s (%s), not an accepted code",
				      file, csig_errname(rc), e.msg);
			/* LIBRARY BUG (macho.c open_fat, "range_err ? ... : CSIG_E_TRUNCATED"):
			 * rd_sub already wrote BADOFFSET into err, so err->code != the return */
			ck_assert_msg(e.code == rc, "%s: returned %s but err->code is %s", file,
				      csig_errname(rc), csig_errname(e.code));
			ck_assert_msg(e.msg[0] != '\0', "%s: empty message", file);
			ck_assert_msg(e.offset <= len || len == 0, "%s: offset %llu beyond %zu", file,
				      (unsigned long long)e.offset, len);
			ck_assert_ptr_null(f);
			printf("bad/%-28s -> %s @0x%llx: %s\n", file, csig_errname(rc),
			       (unsigned long long)e.offset, e.msg);
		} else {
			ck_assert_msg(strcmp(expect, "not-macho") != 0, "%s opened", file);
			csig_verify_result *r;
			ck_assert_int_eq(csig_verify(&r, f, NULL, &e), 0);
			const csig_finding *hit = NULL;
			int ok = 0;
			for (int c = 0; c < 3 && bad_table[k].ids[c]; c++)
				ok |= has_id(f, r, bad_table[k].ids[c], &hit);
			ck_assert_msg(ok, "%s: opened but has none of the expected findings", file);
			ck_assert(hit->message && hit->message[0]);
			if (hit->offset > len) /* checked after the loop so every row runs */
				snprintf(implausible + strlen(implausible), sizeof(implausible) - strlen(implausible),
					 " %s:%s@0x%llx", file, hit->id, (unsigned long long)hit->offset);
			printf("bad/%-28s -> finding %s [%d] @0x%llx: %s\n", file, hit->id,
			       hit->severity, (unsigned long long)hit->offset, hit->message);
			/* a broken signature never verifies (alignment findings are informational) */
			if (strncmp(hit->id, "lc-", 3) != 0 && strcmp(expect, "finding") != 0)
				ck_assert_msg(!csig_verify_result_valid(r), "%s: verified as valid", file);
			if (strcmp(expect, "finding") == 0)
				ck_assert_msg(!csig_verify_result_valid(r), "%s: verified as valid", file);
			char *doc;
			ck_assert_int_eq(csig_file_json(f, -1, CSIG_JSON_LOAD_COMMANDS | CSIG_JSON_SLOTS, &doc, NULL, NULL), 0);
			sj *v = sj_parse(doc, strlen(doc));
			ck_assert_ptr_nonnull(v);
			sj_free(v);
			csig_free(doc);
			csig_verify_result_free(r);
			csig_file_free(f);
		}
		free(buf);
	}
	fclose(m);
	ck_assert_uint_eq(rows, CSIG_ARRAY_LEN(bad_table));
	/*
	 * LIBRARY ISSUE (macho.c parse_slice, "signature-outside-slice"): the
	 * finding's offset is slice offset + dataoff (0xfffffff0 for
	 * codesig-offset-overflow), outside the file; the LC_CODE_SIGNATURE
	 * command's own offset would locate the bad field.  Fails until fixed.
	 */
	ck_assert_msg(implausible[0] == '\0', "finding offsets outside the file:%s", implausible);
}
END_TEST

/* Specific expectations for named bad files. */
START_TEST(test_bad_specifics)
{
	char p[4096];
	size_t len;
	csig_file *f;
	csig_error e;
	unsigned char *buf = tu_read_file(tu_testdata("bad/java-class.class", p, sizeof(p)), &len);
	ck_assert_int_eq(csig_file_open(&f, buf, len, NULL, &e), CSIG_E_BADMAGIC);
	ck_assert_ptr_nonnull(strstr(e.msg, "Java"));
	free(buf);
	buf = tu_read_file(tu_testdata("bad/fat-cputype-mismatch", p, sizeof(p)), &len);
	ck_assert_int_eq(csig_file_open(&f, buf, len, NULL, &e), 0);
	const csig_finding *x = file_finding(f, "fat-cputype-mismatch", 0);
	ck_assert_ptr_nonnull(x);
	ck_assert_int_eq(x->severity, CSIG_SEV_ERROR);
	ck_assert_uint_eq((uint32_t)csig_slice_fat_cputype(csig_file_slice(f, 0)), 0x01000005u);
	ck_assert_uint_eq((uint32_t)csig_slice_cputype(csig_file_slice(f, 0)), 0x01000007u);
	csig_file_free(f);
	free(buf);
	buf = tu_read_file(tu_testdata("bad/ncmds-huge", p, sizeof(p)), &len);
	ck_assert_int_eq(csig_file_open(&f, buf, len, NULL, &e), CSIG_E_LIMIT);
	ck_assert_ptr_nonnull(strstr(e.msg, "4294967295"));
	ck_assert_uint_eq(e.offset, 16);
	free(buf);
	buf = tu_read_file(tu_testdata("bad/fat-truncated-table", p, sizeof(p)), &len);
	int rc = csig_file_open(&f, buf, len, NULL, &e);
	ck_assert(rc == CSIG_E_TRUNCATED || rc == CSIG_E_BADOFFSET);
	ck_assert(e.offset == 28 || e.offset == 8); /* entry 1's position, or the count field's table */
	free(buf);
}
END_TEST

/* LIBRARY DISCREPANCY: MANIFEST says not-macho; macho.c open_parse returns TRUNCATED for 0 bytes. */
START_TEST(test_bad_empty_is_badmagic)
{
	csig_file *f;
	static const uint8_t none[1] = { 0 };
	ck_assert_int_eq(csig_file_open(&f, none, 0, NULL, NULL), CSIG_E_BADMAGIC);
}
END_TEST

/* LIBRARY DISCREPANCY: MANIFEST says truncated; open_fat applies the Java-class rule to FAT_MAGIC_64 too. */
START_TEST(test_bad_fat64_huge_is_truncated)
{
	char p[4096];
	size_t len;
	csig_file *f;
	unsigned char *buf = tu_read_file(tu_testdata("bad/fat64-nfat-huge", p, sizeof(p)), &len);
	int rc = csig_file_open(&f, buf, len, NULL, NULL);
	free(buf);
	ck_assert_msg(rc == CSIG_E_TRUNCATED || rc == CSIG_E_LIMIT, "got %s", csig_errname(rc));
}
END_TEST

/* ---- names ------------------------------------------------------------- */

START_TEST(test_names)
{
	ck_assert_str_eq(csig_arch_name(0x0100000c, 0), "arm64");
	ck_assert_str_eq(csig_arch_name(0x0100000c, 2), "arm64e");
	ck_assert_str_eq(csig_arch_name(0x0100000c, (int32_t)0x80000002u), "arm64e"); /* ptrauth ABI bits */
	ck_assert_str_eq(csig_arch_name(0x01000007, 3), "x86_64");
	ck_assert_str_eq(csig_arch_name(0x01000007, (int32_t)0x80000003u), "x86_64");
	ck_assert_str_eq(csig_arch_name(0x01000007, 8), "x86_64h");
	ck_assert_str_eq(csig_arch_name(12, 11), "armv7s");
	ck_assert_str_eq(csig_arch_name(12, 9), "armv7");
	ck_assert_str_eq(csig_arch_name(12, 12), "armv7k");
	ck_assert_str_eq(csig_arch_name(0x0200000c, 1), "arm64_32");
	ck_assert_str_eq(csig_arch_name(18, 0), "ppc");
	ck_assert_str_eq(csig_arch_name(0x01000012, 0), "ppc64");
	ck_assert_str_eq(csig_arch_name(7, 3), "i386");
	ck_assert_str_eq(csig_arch_name(0x01000005, (int32_t)0x80000003u), "unknown");
	ck_assert_str_eq(csig_arch_name(-1, -1), "unknown");
	ck_assert_str_eq(csig_arch_name(0, 0), "unknown");

	ck_assert_str_eq(csig_lc_name(0x19), "LC_SEGMENT_64");
	ck_assert_str_eq(csig_lc_name(0x1d), "LC_CODE_SIGNATURE");
	ck_assert_str_eq(csig_lc_name(0x80000028), "LC_MAIN");
	ck_assert_str_eq(csig_lc_name(0x80000022), "LC_DYLD_INFO_ONLY");
	ck_assert_str_eq(csig_lc_name(0x22), "LC_DYLD_INFO");
	ck_assert_str_eq(csig_lc_name(0x36), "LC_ATOM_INFO");
	ck_assert_str_eq(csig_lc_name(0x32), "LC_BUILD_VERSION");
	ck_assert_str_eq(csig_lc_name(0x80000034), "LC_DYLD_CHAINED_FIXUPS");
	ck_assert_ptr_null(csig_lc_name(0x28));       /* LC_MAIN without LC_REQ_DYLD */
	ck_assert_ptr_null(csig_lc_name(0));
	ck_assert_ptr_null(csig_lc_name(0x80000000));
	ck_assert_ptr_null(csig_lc_name(0xdeadbeef));
	ck_assert_ptr_null(csig_lc_name(0x1000));

	ck_assert_str_eq(csig_filetype_name(2), "MH_EXECUTE");
	ck_assert_str_eq(csig_filetype_name(6), "MH_DYLIB");
	ck_assert_ptr_null(csig_filetype_name(0));
	ck_assert_ptr_null(csig_filetype_name(0xffffffffu));
	ck_assert_str_eq(csig_platform_name(1), "macOS");
	ck_assert_str_eq(csig_platform_name(2), "iOS");
	ck_assert_ptr_null(csig_platform_name(0));
	ck_assert_ptr_null(csig_platform_name(1000));

	char b[256];
	ck_assert_str_eq(csig_mh_flags_string(0x200085, b, sizeof(b)),
			 "MH_NOUNDEFS|MH_DYLDLINK|MH_TWOLEVEL|MH_PIE");
	ck_assert_str_eq(csig_mh_flags_string(0, b, sizeof(b)), "");
	ck_assert_str_eq(csig_mh_flags_string(0x10000001, b, sizeof(b)), "MH_NOUNDEFS|0x10000000");
	ck_assert_str_eq(csig_mh_flags_string(0x70000000, b, sizeof(b)), "0x70000000");
	ck_assert_str_eq(csig_mh_flags_string(0x80000000u, b, sizeof(b)), "MH_DYLIB_IN_CACHE");
	/* every bit at once fits and is terminated; small buffers truncate safely */
	csig_mh_flags_string(0xffffffffu, b, sizeof(b));
	ck_assert_uint_lt(strlen(b), sizeof(b));
	for (size_t n = 1; n < 40; n++) {
		char *small = malloc(n);
		csig_mh_flags_string(0xffffffffu, small, n);
		ck_assert_uint_lt(strlen(small), n);
		free(small);
	}
	ck_assert_ptr_null(csig_mh_flags_string(1, NULL, 0));
	ck_assert_ptr_eq(csig_mh_flags_string(1, b, 0), b);
}
END_TEST

/* ---- real fixtures ----------------------------------------------------- */

struct real_ctx {
	const sj *fixtures;
	size_t checked;
};

static void real_one(const char *path, const char *rel, void *vctx)
{
	struct real_ctx *ctx = vctx;
	const sj *exp = sj_get(ctx->fixtures, rel);
	csig_file *f;
	csig_error e;
	int rc = csig_file_open_path(&f, path, NULL, &e);
	if (!exp) {
		/* found by magic but not a Mach-O per the oracle (e.g. a Java class) */
		ck_assert_msg(rc == CSIG_E_BADMAGIC, "%s: not in expected-real.json but opens (%d)", rel, rc);
		return;
	}
	ck_assert_msg(rc == 0, "%s: %s", rel, e.msg);
	check_file(f, exp, rel);
	size_t len;
	unsigned char *buf = tu_read_file(path, &len);
	csig_file *g;
	ck_assert_int_eq(csig_file_open(&g, buf, len, NULL, &e), 0);
	check_file(g, exp, rel);
	csig_file_free(g);
	free(buf);
	if (strcmp(rel, "molcs/cal-yikes-universal") == 0 ||
	    strcmp(rel, "molcs/cal-yikes-universal_adhoc") == 0 ||
	    strcmp(rel, "molcs/cal-yikes-universal_signed") == 0)
		ck_assert_msg(file_finding(f, "fat-cputype-mismatch", 0) != NULL,
			      "%s: no fat-cputype-mismatch", rel);
	csig_file_free(f);
	ctx->checked++;
}

START_TEST(test_real_fixtures)
{
	const char *dir = tu_real_fixtures();
	if (!dir)
		return;
	sj *ex = load_expected("expected-real.json");
	struct real_ctx ctx = { sj_get(ex, "fixtures"), 0 };
	size_t n = sj_each_macho(dir, real_one, &ctx);
	printf("real fixtures: %zu Mach-O files, %zu checked against expected-real.json\n", n, ctx.checked);
	ck_assert_uint_eq(ctx.checked, sj_len(ctx.fixtures));
	sj_free(ex);
}
END_TEST

Suite *macho_suite(void)
{
	Suite *s = suite_create("macho");
	TCase *tc = tcase_create("good");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_good_fixtures);
	tcase_add_test(tc, test_good_specifics);
	tcase_add_test(tc, test_api_misuse);
	tcase_add_test(tc, test_open_nomem);
	tcase_add_test(tc, test_names);
	suite_add_tcase(s, tc);
	TCase *tb = tcase_create("bad");
	tcase_add_test(tb, test_bad_manifest);
	tcase_add_test(tb, test_bad_specifics);
	tcase_add_test(tb, test_bad_empty_is_badmagic);       /* LIBRARY DISCREPANCY: fails */
	tcase_add_test(tb, test_bad_fat64_huge_is_truncated); /* LIBRARY DISCREPANCY: fails */
	suite_add_tcase(s, tb);
	TCase *tr = tcase_create("real");
	tcase_set_timeout(tr, 120);
	tcase_add_test(tr, test_real_fixtures);
	suite_add_tcase(s, tr);
	return s;
}

CSIG_TEST_MAIN(macho_suite)
