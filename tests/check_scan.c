/* check_scan.c - csig_sniff, the JSON Lines records of csig/scan.h, and a
 * run of `csig scan` over testdata/ and the real fixtures. */
#include <stdint.h>
#include <unistd.h>
#include "testutil.h"
#include "util.h" /* csig__test_fail_alloc_after */
#include "support_json.h"

/* Parse one record; checks it is a single line and an object with "type". */
static sj *parse_line(const char *text, size_t len)
{
	ck_assert_uint_eq(len, strlen(text));
	ck_assert_msg(memchr(text, '\n', len) == NULL, "record has a newline: %s", text);
	sj *v = sj_parse(text, len);
	ck_assert_msg(v != NULL, "record is not JSON: %s", text);
	ck_assert_int_eq(v->type, SJ_OBJ);
	ck_assert_ptr_nonnull(sj_str(sj_get(v, "type")));
	return v;
}

static csig_file *open_td(const char *rel)
{
	char p[1024];
	csig_file *f = NULL;
	csig_error e;
	int rc = csig_file_open_path(&f, tu_testdata(rel, p, sizeof(p)), NULL, &e);
	ck_assert_msg(rc == 0, "%s: %s", rel, e.msg);
	return f;
}

/* ---- sniffing ---- */

START_TEST(test_sniff_magics)
{
	static const struct { const char *bytes; size_t n; int want; } cases[] = {
		{ "\xfe\xed\xfa\xce\0\0\0\0", 8, CSIG_SNIFF_MACHO },
		{ "\xfe\xed\xfa\xcf\0\0\0\0", 8, CSIG_SNIFF_MACHO },
		{ "\xce\xfa\xed\xfe\0\0\0\0", 8, CSIG_SNIFF_MACHO },
		{ "\xcf\xfa\xed\xfe\0\0\0\0", 8, CSIG_SNIFF_MACHO },
		{ "\xca\xfe\xba\xbe\0\0\0\x02", 8, CSIG_SNIFF_FAT },
		{ "\xca\xfe\xba\xbe\0\0\0\x1f", 8, CSIG_SNIFF_FAT },
		{ "\xca\xfe\xba\xbf\0\0\0\x01", 8, CSIG_SNIFF_FAT },
		/* Java class files: minor 0, major 52 / 65 */
		{ "\xca\xfe\xba\xbe\0\0\0\x34", 8, CSIG_SNIFF_UNKNOWN },
		{ "\xca\xfe\xba\xbe\0\0\0\x41", 8, CSIG_SNIFF_UNKNOWN },
		{ "\xca\xfe\xba\xbe\0\0\0\x20", 8, CSIG_SNIFF_UNKNOWN },
		{ "\xca\xfe\xba\xbe\0\0\0\0", 8, CSIG_SNIFF_UNKNOWN },
		{ "\xca\xfe\xba\xbe", 4, CSIG_SNIFF_UNKNOWN },
		{ "\xfa\xde\x0c\x01\0\0\0\x0c", 8, CSIG_SNIFF_REQUIREMENT },
		{ "\xfa\xde\x0c\x00\0\0\0\x0c", 8, CSIG_SNIFF_REQUIREMENT },
		{ "\xfa\xde\x0c\xc0\0\0\0\x0c", 8, CSIG_SNIFF_SIGNATURE },
		{ "\xfa\xde\x0c\xc1\0\0\0\x0c", 8, CSIG_SNIFF_SIGNATURE },
		{ "PK\x03\x04\x14\0", 6, CSIG_SNIFF_ZIP },
		{ "PK\x05\x06\0\0", 6, CSIG_SNIFF_ZIP },
		{ "bplist00\xd0\x08", 10, CSIG_SNIFF_PLIST },
		{ "<?xml version=\"1.0\"?>\n<plist version=\"1.0\"><dict/></plist>", 59,
		  CSIG_SNIFF_PLIST },
		{ "\xef\xbb\xbf  \n<plist><dict/></plist>", 28, CSIG_SNIFF_PLIST },
		{ "<?xml version=\"1.0\"?><html/>", 28, CSIG_SNIFF_UNKNOWN },
		{ "hello world, no plist", 21, CSIG_SNIFF_UNKNOWN },
		{ "\x30\x80\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02\xa0\x80", 15,
		  CSIG_SNIFF_PROFILE_CMS },
		{ "\x30\x82\x10\x00\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x02", 15,
		  CSIG_SNIFF_PROFILE_CMS },
		{ "\x30\x82\x10\x00\x06\x09\x2a\x86\x48\x86\xf7\x0d\x01\x07\x01", 15,
		  CSIG_SNIFF_UNKNOWN },
		{ "\x30\x85\x10\x00\x00\x00\x00\x06\x09", 9, CSIG_SNIFF_UNKNOWN },
		{ "\x30\x82\x10", 3, CSIG_SNIFF_UNKNOWN },
		{ "", 0, CSIG_SNIFF_UNKNOWN },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		/* exact-size heap copy: ASan catches any over-read */
		unsigned char *b = malloc(cases[i].n ? cases[i].n : 1);
		memcpy(b, cases[i].bytes, cases[i].n);
		int k = csig_sniff(b, cases[i].n);
		ck_assert_msg(k == cases[i].want, "case %zu: got %s, want %s", i,
			      csig_sniff_name(k), csig_sniff_name(cases[i].want));
		free(b);
	}
	ck_assert_int_eq(csig_sniff(NULL, 10), CSIG_SNIFF_UNKNOWN);
	ck_assert_str_eq(csig_sniff_name(CSIG_SNIFF_FAT), "fat");
	ck_assert_str_eq(csig_sniff_name(-1), "unknown");
	ck_assert_str_eq(csig_sniff_name(99), "unknown");
}
END_TEST

/* Every prefix of real files: sniff agrees with csig_file_open on Mach-O. */
START_TEST(test_sniff_prefixes_and_random)
{
	char p[1024];
	size_t len;
	unsigned char *buf = tu_read_file(tu_testdata("good/fat-arm64-x86_64", p, sizeof(p)), &len);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(csig_sniff(buf, len), CSIG_SNIFF_FAT);
	for (size_t n = 0; n <= 64 && n <= len; n++) {
		unsigned char *b = malloc(n ? n : 1);
		memcpy(b, buf, n);
		int k = csig_sniff(b, n);
		ck_assert(k == CSIG_SNIFF_UNKNOWN || k == CSIG_SNIFF_FAT);
		free(b);
	}
	free(buf);
	uint64_t seed = 0x5ca115ca11ull;
	for (int i = 0; i < 20000; i++) {
		size_t n = (size_t)(tu_rand(&seed) % 40);
		unsigned char *b = malloc(n ? n : 1);
		for (size_t k = 0; k < n; k++)
			b[k] = (unsigned char)tu_rand(&seed);
		if (n >= 2 && (i & 3) == 0) { /* bias towards DER and magics */
			b[0] = 0x30;
			b[1] = (unsigned char)(0x80 | (tu_rand(&seed) % 6));
		}
		int k = csig_sniff(b, n);
		ck_assert(k >= CSIG_SNIFF_UNKNOWN && k <= CSIG_SNIFF_SIGNATURE);
		free(b);
	}
}
END_TEST

/* ---- Mach-O records ---- */

START_TEST(test_record_adhoc)
{
	csig_file *f = open_td("good/adhoc-arm64");
	char *t = NULL;
	size_t n = 0;
	csig_error e;
	ck_assert_int_eq(csig_scan_record_json(f, "/x/adhoc-arm64", NULL, 0, &t, &n, &e), 0);
	sj *v = parse_line(t, n);
	ck_assert_str_eq(sj_str(sj_get(v, "type")), "macho");
	ck_assert_str_eq(sj_str(sj_get(v, "path")), "/x/adhoc-arm64");
	ck_assert_str_eq(sj_str(sj_get(v, "format")), "thin");
	ck_assert_str_eq(sj_str(sj_get(v, "signature")), "adhoc");
	ck_assert_uint_eq(sj_u64(sj_get(v, "size")), csig_file_size(f));
	ck_assert_ptr_null(sj_get(v, "verdict")); /* not verified */
	const sj *hs = sj_get(v, "cdhashes");
	ck_assert_uint_eq(sj_len(hs), 1);
	const sj *s0 = sj_at(sj_get(v, "slices"), 0);
	ck_assert_str_eq(sj_str(sj_get(s0, "cdhash")), sj_str(sj_at(hs, 0)));
	ck_assert_str_eq(sj_str(sj_get(v, "cdhash")), sj_str(sj_at(hs, 0)));
	/* the cdhash is the library's */
	const csig_codedir *cd = csig_sig_best_cd(csig_slice_signature(csig_file_slice(f, 0)));
	uint8_t h[20];
	char hex[41];
	csig_codedir_cdhash(cd, h);
	for (int i = 0; i < 20; i++)
		snprintf(hex + 2 * i, 3, "%02x", h[i]);
	ck_assert_str_eq(sj_str(sj_at(hs, 0)), hex);
	ck_assert_ptr_nonnull(sj_get(v, "flag_names"));
	sj_free(v);
	csig_free(t);

	/* verified */
	csig_verify_result *vr;
	ck_assert_int_eq(csig_verify(&vr, f, NULL, &e), 0);
	ck_assert_int_eq(csig_scan_record_json(f, NULL, vr, 0, &t, &n, &e), 0);
	v = parse_line(t, n);
	ck_assert_ptr_null(sj_get(v, "path"));
	ck_assert_str_eq(sj_str(sj_get(v, "verdict")), "valid");
	ck_assert_uint_eq(sj_len(sj_get(v, "errors")), 0);
	ck_assert_uint_eq(sj_u64(sj_get(v, "bytes_hashed")), csig_verify_result_bytes_hashed(vr));
	sj_free(v);
	csig_free(t);
	csig_verify_result_free(vr);
	csig_file_free(f);
}
END_TEST

START_TEST(test_record_fat_unsigned_and_paths)
{
	csig_file *f = open_td("good/fat-arm64-x86_64");
	char *t;
	size_t n;
	/* a hostile path: quotes, control bytes, invalid UTF-8 */
	const char *path = "dir/\"q\"\\\n\t\x01\xff\xfe.bin";
	ck_assert_int_eq(csig_scan_record_json(f, path, NULL, 0, &t, &n, NULL), 0);
	sj *v = parse_line(t, n);
	ck_assert_str_eq(sj_str(sj_get(v, "format")), "fat");
	ck_assert_uint_eq(sj_len(sj_get(v, "slices")), csig_file_slice_count(f));
	ck_assert_uint_eq(sj_len(sj_get(v, "cdhashes")), 2);
	sj_free(v);
	csig_free(t);
	/* pretty output is still one JSON value */
	ck_assert_int_eq(csig_scan_record_json(f, "p", NULL, CSIG_SCAN_JSON_PRETTY, &t, &n, NULL), 0);
	v = sj_parse(t, n);
	ck_assert_ptr_nonnull(v);
	sj_free(v);
	csig_free(t);
	csig_file_free(f);

	f = open_td("good/unsigned-arm64");
	csig_verify_result *vr;
	ck_assert_int_eq(csig_verify(&vr, f, NULL, NULL), 0);
	ck_assert_int_eq(csig_scan_record_json(f, "u", vr, 0, &t, &n, NULL), 0);
	v = parse_line(t, n);
	ck_assert_str_eq(sj_str(sj_get(v, "signature")), "none");
	ck_assert_uint_eq(sj_len(sj_get(v, "cdhashes")), 0);
	ck_assert_ptr_null(sj_get(v, "identifier"));
	ck_assert_str_eq(sj_str(sj_get(v, "verdict")), "invalid");
	ck_assert_str_eq(sj_str(sj_at(sj_get(v, "errors"), 0)), "unsigned");
	sj_free(v);
	csig_free(t);
	csig_verify_result_free(vr);
	csig_file_free(f);
}
END_TEST

START_TEST(test_record_bad_inputs)
{
	/* every file under testdata/bad that opens gives a parseable record */
	static const char *const names[] = {
		"bad/codesig-offset-overflow", "bad/lc-cmdsize-zero",
		"bad/cd-hashoffset-past-length", "bad/sizeofcmds-overrun",
	};
	for (size_t i = 0; i < sizeof(names) / sizeof(names[0]); i++) {
		csig_file *f = open_td(names[i]);
		csig_verify_result *vr;
		ck_assert_int_eq(csig_verify(&vr, f, NULL, NULL), 0);
		char *t;
		size_t n;
		ck_assert_int_eq(csig_scan_record_json(f, names[i], vr, 0, &t, &n, NULL), 0);
		sj *v = parse_line(t, n);
		ck_assert_ptr_nonnull(sj_get(v, "findings"));
		sj_free(v);
		csig_free(t);
		csig_verify_result_free(vr);
		csig_file_free(f);
	}
}
END_TEST

START_TEST(test_record_args_and_nomem)
{
	char *t = (char *)1;
	csig_error e;
	ck_assert_int_eq(csig_scan_record_json(NULL, "p", NULL, 0, &t, NULL, &e), CSIG_E_INVAL);
	ck_assert_ptr_null(t);
	csig_file *f = open_td("good/fat-arm64-x86_64");
	ck_assert_int_eq(csig_scan_record_json(f, "p", NULL, 0, NULL, NULL, &e), CSIG_E_INVAL);
	ck_assert_int_eq(csig_scan_profile_json(NULL, "p", 0, 0, &t, NULL, &e), CSIG_E_INVAL);
	ck_assert_int_eq(csig_scan_bundle_json(NULL, "p", NULL, 0, &t, NULL, &e), CSIG_E_INVAL);
	ck_assert_int_eq(csig_scan_error_json("p", CSIG_E_IO, NULL, 0, NULL, NULL, &e),
			 CSIG_E_INVAL);
	ck_assert_int_eq(csig_scan_summary_json(NULL, 0, &t, NULL, &e), CSIG_E_INVAL);
	/* allocation failures: NOMEM, nothing leaked (ASan), then success */
	int ok = 0;
	for (long k = 1; k < 200 && !ok; k++) {
		csig__test_fail_alloc_after(k);
		size_t n;
		int rc = csig_scan_record_json(f, "p", NULL, 0, &t, &n, &e);
		csig__test_fail_alloc_after(0);
		if (rc == 0) {
			ok = 1;
			csig_free(t);
		} else {
			ck_assert_int_eq(rc, CSIG_E_NOMEM);
			ck_assert_ptr_null(t);
		}
	}
	ck_assert(ok);
	csig_file_free(f);
}
END_TEST

/* ---- error and summary records ---- */

START_TEST(test_error_and_summary)
{
	char *t;
	size_t n;
	csig_error d;
	memset(&d, 0, sizeof(d));
	d.code = CSIG_E_TRUNCATED;
	d.offset = 0x40;
	snprintf(d.msg, sizeof(d.msg), "header \"cut\"\nshort");
	ck_assert_int_eq(csig_scan_error_json("a/b", CSIG_E_TRUNCATED, &d, 0, &t, &n, NULL), 0);
	sj *v = parse_line(t, n);
	ck_assert_str_eq(sj_str(sj_get(v, "type")), "error");
	ck_assert_str_eq(sj_str(sj_get(v, "code")), "CSIG_E_TRUNCATED");
	ck_assert_str_eq(sj_str(sj_get(v, "message")), "header \"cut\"\nshort");
	ck_assert_uint_eq(sj_u64(sj_get(v, "offset")), 0x40);
	sj_free(v);
	csig_free(t);
	ck_assert_int_eq(csig_scan_error_json(NULL, CSIG_E_IO, NULL, 0, &t, &n, NULL), 0);
	v = parse_line(t, n);
	ck_assert_str_eq(sj_str(sj_get(v, "message")), csig_strerror(CSIG_E_IO));
	ck_assert_ptr_null(sj_get(v, "offset"));
	sj_free(v);
	csig_free(t);

	csig_scan_counts c = CSIG_SCAN_COUNTS_INIT;
	c.files = 10;
	c.bytes = 1000;
	c.macho = 3;
	c.records = 4;
	c.errors = 1;
	c.seconds = 0.5;
	c.jobs = 2;
	ck_assert_int_eq(csig_scan_summary_json(&c, 0, &t, &n, NULL), 0);
	v = parse_line(t, n);
	ck_assert_str_eq(sj_str(sj_get(v, "type")), "summary");
	ck_assert_uint_eq(sj_u64(sj_get(v, "files")), 10);
	ck_assert_uint_eq(sj_u64(sj_get(v, "macho")), 3);
	ck_assert(sj_get(v, "files_per_s")->num == 20.0);
	ck_assert_ptr_null(sj_get(v, "valid")); /* not verified */
	sj_free(v);
	csig_free(t);
	c.verified = 1;
	c.seconds = 0;
	ck_assert_int_eq(csig_scan_summary_json(&c, 0, &t, &n, NULL), 0);
	v = parse_line(t, n);
	ck_assert_ptr_nonnull(sj_get(v, "valid"));
	ck_assert_ptr_null(sj_get(v, "files_per_s"));
	sj_free(v);
	csig_free(t);
	c.version = 99;
	ck_assert_int_eq(csig_scan_summary_json(&c, 0, &t, &n, NULL), CSIG_E_INVAL);
}
END_TEST

/* ---- real fixtures: signer chain, entitlements, profiles, bundles ---- */

START_TEST(test_real_records)
{
	const char *dir = tu_real_fixtures();
	if (!dir)
		return;
	char p[1024];
	csig_file *f;
	char *t;
	size_t n;
	snprintf(p, sizeof(p), "%s/santa/allowed_teamid", dir);
	ck_assert_int_eq(csig_file_open_path(&f, p, NULL, NULL), 0);
	ck_assert_int_eq(csig_scan_record_json(f, p, NULL, 0, &t, &n, NULL), 0);
	sj *v = parse_line(t, n);
	ck_assert_str_eq(sj_str(sj_get(v, "signature")), "cms");
	ck_assert_str_eq(sj_str(sj_get(v, "team")), "TJNVEKW352");
	const sj *sg = sj_get(v, "signer");
	ck_assert_ptr_nonnull(sg);
	ck_assert_ptr_nonnull(sj_str(sj_get(sg, "leaf")));
	ck_assert_uint_ge(sj_len(sj_get(sg, "chain")), 1);
	const char *exp = sj_str(sj_get(v, "expires"));
	ck_assert_ptr_nonnull(exp);
	ck_assert_uint_eq(strlen(exp), 20); /* YYYY-MM-DDTHH:MM:SSZ */
	ck_assert_ptr_nonnull(sj_str(sj_get(v, "chain_expires")));
	ck_assert(strcmp(sj_str(sj_get(v, "chain_expires")), exp) <= 0);
	sj_free(v);
	csig_free(t);
	csig_file_free(f);

	/* entitlement keys (the fastlane app carries entitlements) */
	snprintf(p, sizeof(p), "%s/fastlane/very-capable-app.app/very-capable-app", dir);
	ck_assert_int_eq(csig_file_open_path(&f, p, NULL, NULL), 0);
	ck_assert_int_eq(csig_scan_record_json(f, p, NULL, 0, &t, &n, NULL), 0);
	v = parse_line(t, n);
	const sj *ek = sj_get(v, "entitlement_keys");
	ck_assert_ptr_nonnull(ek);
	ck_assert_uint_ge(sj_len(ek), 1);
	sj_free(v);
	csig_free(t);
	csig_file_free(f);

	/* a profile */
	snprintf(p, sizeof(p), "%s/app_info/ios_development.mobileprovision", dir);
	size_t len;
	unsigned char *buf = tu_read_file(p, &len);
	ck_assert_ptr_nonnull(buf);
	ck_assert_int_eq(csig_sniff(buf, len), CSIG_SNIFF_PROFILE_CMS);
	csig_profile *pr;
	ck_assert_int_eq(csig_profile_parse(&pr, buf, len, NULL, NULL), 0);
	free(buf);
	ck_assert_int_eq(csig_scan_profile_json(pr, p, 1700000000, 0, &t, &n, NULL), 0);
	v = parse_line(t, n);
	ck_assert_str_eq(sj_str(sj_get(v, "type")), "profile");
	ck_assert_str_eq(sj_str(sj_get(v, "kind")), "development");
	ck_assert_str_eq(sj_str(sj_get(v, "container")), "cms");
	ck_assert_ptr_nonnull(sj_str(sj_get(v, "expires")));
	ck_assert_ptr_nonnull(sj_str(sj_get(v, "verdict")));
	ck_assert_str_eq(sj_str(sj_get(v, "judged_at")), "2023-11-14T22:13:20Z");
	ck_assert_uint_ge(sj_len(sj_get(v, "certs")), 1);
	sj_free(v);
	csig_free(t);
	csig_profile_free(pr);

	/* a bundle, opened and verified */
	snprintf(p, sizeof(p), "%s/app_info/FMDB.framework", dir);
	csig_bundle *b;
	ck_assert_int_eq(csig_bundle_open_path(&b, p, NULL, NULL), 0);
	csig_bundle_result *br;
	ck_assert_int_eq(csig_bundle_verify(&br, b, NULL, NULL), 0);
	ck_assert_int_eq(csig_scan_bundle_json(b, p, br, 0, &t, &n, NULL), 0);
	v = parse_line(t, n);
	ck_assert_str_eq(sj_str(sj_get(v, "type")), "bundle");
	ck_assert_str_eq(sj_str(sj_get(v, "identifier")), "org.cocoapods.FMDB");
	ck_assert_ptr_nonnull(sj_str(sj_get(v, "verdict")));
	ck_assert_uint_ge(sj_len(sj_get(v, "cdhashes")), 1);
	sj_free(v);
	csig_free(t);
	csig_bundle_result_free(br);
	csig_bundle_free(b);
}
END_TEST

/* ---- the CLI: every line of `csig scan` is JSON, the last a summary ---- */

/* The CLI the Makefile built (`make check` builds it before the tests). */
static int have_cli(void)
{
	const char *bdir = getenv("CSIG_BUILD");
	char p[1024];
	snprintf(p, sizeof(p), "%s/csig", bdir ? bdir : "build");
	if (access(p, X_OK) == 0)
		return 1;
	printf("skipped: %s not built\n", p);
	return 0;
}

static void run_cli_scan(const char *args, int want_macho)
{
	const char *bdir = getenv("CSIG_BUILD");
	char cmd[2048];
	snprintf(cmd, sizeof(cmd), "%s/csig scan %s 2>/dev/null", bdir ? bdir : "build", args);
	FILE *pf = popen(cmd, "r");
	ck_assert_ptr_nonnull(pf);
	char *line = NULL;
	size_t cap = 0;
	ssize_t n;
	size_t lines = 0, macho = 0, summaries = 0;
	sj *last = NULL;
	while ((n = getline(&line, &cap, pf)) > 0) {
		ck_assert_msg(line[n - 1] == '\n', "unterminated line");
		ck_assert_int_eq(summaries, 0); /* the summary is last */
		sj *v = sj_parse(line, (size_t)n - 1);
		ck_assert_msg(v != NULL, "not JSON: %s", line);
		ck_assert_int_eq(v->type, SJ_OBJ);
		const char *type = sj_str(sj_get(v, "type"));
		ck_assert_ptr_nonnull(type);
		if (strcmp(type, "summary") == 0) {
			summaries++;
			sj_free(last);
			last = v;
		} else {
			ck_assert_ptr_nonnull(sj_str(sj_get(v, "path")));
			if (strcmp(type, "macho") == 0)
				macho++;
			sj_free(v);
		}
		lines++;
	}
	free(line);
	int st = pclose(pf);
	ck_assert_msg(st != -1, "pclose");
	ck_assert_uint_eq(summaries, 1);
	ck_assert_uint_eq(sj_u64(sj_get(last, "records")), lines - 1);
	ck_assert_uint_eq(sj_u64(sj_get(last, "macho")), macho);
	ck_assert_uint_ge(macho, (size_t)want_macho);
	sj_free(last);
}

START_TEST(test_cli_testdata)
{
	if (!have_cli())
		return;
	const char *td = getenv("CSIG_TESTDATA");
	char a[1200];
	snprintf(a, sizeof(a), "--jobs 2 '%s'", td ? td : "testdata");
	run_cli_scan(a, 15);
	snprintf(a, sizeof(a), "--verify --jobs 1 '%s'", td ? td : "testdata");
	run_cli_scan(a, 15);
}
END_TEST

START_TEST(test_cli_real)
{
	const char *dir = tu_real_fixtures();
	if (!dir || !have_cli())
		return;
	char a[1200];
	snprintf(a, sizeof(a), "--verify --jobs 3 '%s' '%s/santa/goodcert' /nonexistent-csig-scan",
		 dir, dir);
	run_cli_scan(a, 20);
}
END_TEST

/* symlinks (a loop among them) are skipped, a FIFO does not block, a Java
 * class file is not fat, and each counts where it should */
START_TEST(test_cli_links_and_specials)
{
	if (!have_cli())
		return;
	char dir[] = "/tmp/csig-scan-test-XXXXXX";
	ck_assert_ptr_nonnull(mkdtemp(dir));
	char p[1024], cmd[4096];
	snprintf(cmd, sizeof(cmd),
		 "cd '%s' && mkdir -p a/b && cp '%s' a/b/m && ln -s .. a/b/loop && "
		 "ln -s b/m a/link && mkfifo a/fifo && "
		 "printf '\\312\\376\\272\\276\\000\\000\\000\\064xx' > a/Java.class",
		 dir, tu_testdata("good/adhoc-arm64", p, sizeof(p)));
	ck_assert_int_eq(system(cmd), 0);
	const char *bdir = getenv("CSIG_BUILD");
	snprintf(cmd, sizeof(cmd), "%s/csig scan '%s' | tail -n 1", bdir ? bdir : "build", dir);
	FILE *pf = popen(cmd, "r");
	ck_assert_ptr_nonnull(pf);
	char line[4096];
	ck_assert_ptr_nonnull(fgets(line, sizeof(line), pf));
	pclose(pf);
	sj *v = sj_parse(line, strlen(line));
	ck_assert_msg(v != NULL, "%s", line);
	ck_assert_str_eq(sj_str(sj_get(v, "type")), "summary");
	ck_assert_uint_eq(sj_u64(sj_get(v, "macho")), 1);
	ck_assert_uint_eq(sj_u64(sj_get(v, "files")), 2);
	ck_assert_uint_eq(sj_u64(sj_get(v, "other")), 1);
	ck_assert_uint_eq(sj_u64(sj_get(v, "skipped")), 3); /* loop, link, fifo */
	ck_assert_uint_eq(sj_u64(sj_get(v, "errors")), 0);
	sj_free(v);
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

Suite *scan_suite(void)
{
	Suite *s = suite_create("scan");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_sniff_magics);
	tcase_add_test(tc, test_sniff_prefixes_and_random);
	tcase_add_test(tc, test_record_adhoc);
	tcase_add_test(tc, test_record_fat_unsigned_and_paths);
	tcase_add_test(tc, test_record_bad_inputs);
	tcase_add_test(tc, test_record_args_and_nomem);
	tcase_add_test(tc, test_error_and_summary);
	tcase_add_test(tc, test_real_records);
	tcase_add_test(tc, test_cli_testdata);
	tcase_add_test(tc, test_cli_real);
	tcase_add_test(tc, test_cli_links_and_specials);
	suite_add_tcase(s, tc);
	return s;
}

CSIG_TEST_MAIN(scan_suite)
