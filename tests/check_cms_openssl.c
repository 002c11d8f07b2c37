/*
 * check_cms_openssl.c - every CMS in the real fixtures, judged by libcsig
 * and by OpenSSL side by side:
 *   openssl cms -verify -inform DER -binary -content <slot-0 CD>
 *     -purpose any -ignore_critical -attime <signing time> -CAfile <Apple roots>
 * (Apple marks its extensions critical and the certificates are expired,
 * hence -ignore_critical and -attime.)  libcsig's "intact and chains to an
 * Apple root" must equal OpenSSL's verdict, and "intact" alone must equal
 * OpenSSL's -noverify verdict.  Profiles (attached content) likewise.
 */
#include <unistd.h>
#include "testutil.h"
#include "support_json.h"
#include "x509_int.h"

static char tmpdir[256];

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	ck_assert_ptr_nonnull(f);
	if (n)
		ck_assert_uint_eq(fwrite(p, 1, n, f), n);
	fclose(f);
}

/* Apple roots we pin, as one PEM file for -CAfile. */
static void write_roots(const char *path)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	csig_bytes der;
	for (size_t i = 0; csig__apple_root_der(i, &der) == CSIG_OK; i++) {
		csig_cert *c;
		char *pem;
		ck_assert_int_eq(csig_cert_parse(&c, der.ptr, der.len, NULL, NULL), CSIG_OK);
		ck_assert_int_eq(csig_cert_pem(c, &pem, NULL), CSIG_OK);
		fputs(pem, f);
		csig_free(pem);
		csig_cert_free(c);
	}
	fclose(f);
}

static int run_openssl(const char *cms, const char *content, int64_t at, int noverify)
{
	char cmd[2048];
	snprintf(cmd, sizeof(cmd),
		 "openssl cms -verify -inform DER -in %s %s%s -binary -purpose any "
		 "-ignore_critical -attime %lld %s%s/roots.pem -out /dev/null >/dev/null 2>&1",
		 cms, content ? "-content " : "", content ? content : "", (long long)at,
		 noverify ? "-noverify" : "-CAfile ", noverify ? "" : tmpdir);
	if (noverify) {
		/* -noverify takes no CA file */
		snprintf(cmd, sizeof(cmd),
			 "openssl cms -verify -inform DER -in %s %s%s -binary -noverify "
			 "-out /dev/null >/dev/null 2>&1",
			 cms, content ? "-content " : "", content ? content : "");
	}
	return system(cmd) == 0;
}

/* When to judge: the signing time, else the timestamp, else leaf notBefore + 1 day. */
static int64_t judge_time(const csig_cms *cms)
{
	int64_t t;
	if (csig_cms_signer_signing_time(cms, 0, &t) == CSIG_OK)
		return t;
	const csig_cms *tok = csig_cms_signer_timestamp(cms, 0);
	if (tok && csig_cms_tstinfo(tok, &t, NULL, NULL, NULL) == CSIG_OK)
		return t;
	const csig_cert *leaf = csig_cms_chain_count(cms) ? csig_cms_chain_cert(cms, 0) : NULL;
	return leaf ? csig_cert_not_before(leaf) + 86400 : 0;
}

struct tally {
	int compared, trusted, intact;
};

static void compare(const char *label, const csig_cms *cms, csig_bytes content,
		    struct tally *t)
{
	char cms_path[300], content_path[300];
	snprintf(cms_path, sizeof(cms_path), "%s/cms.der", tmpdir);
	snprintf(content_path, sizeof(content_path), "%s/content.bin", tmpdir);
	(void)cms_path;
	int64_t at = judge_time(cms);
	csig_cms_result *r;
	ck_assert_int_eq(csig_cms_verify(cms, content, at, &r, NULL), CSIG_OK);
	int intact = csig_cms_result_digest_ok(r) && csig_cms_result_signature_ok(r);
	int trusted = intact && csig_cms_result_chain_ok(r) && csig_cms_result_apple_root(r);
	int ossl_intact = run_openssl(cms_path, content.ptr ? content_path : NULL, at, 1);
	int ossl_trusted = run_openssl(cms_path, content.ptr ? content_path : NULL, at, 0);
	printf("%-70s intact %d/%d  apple-trusted %d/%d (libcsig/openssl)\n", label,
	       intact, ossl_intact, trusted, ossl_trusted);
	ck_assert_msg(intact == ossl_intact, "%s: libcsig intact=%d, openssl -noverify=%d",
		      label, intact, ossl_intact);
	ck_assert_msg(trusted == ossl_trusted, "%s: libcsig trusted=%d, openssl=%d", label,
		      trusted, ossl_trusted);
	t->compared++;
	t->trusted += trusted;
	t->intact += intact;
	csig_cms_result_free(r);
}

static void per_macho(const char *path, const char *rel, void *ctx)
{
	struct tally *t = ctx;
	csig_file *f;
	if (csig_file_open_path(&f, path, NULL, NULL) != CSIG_OK)
		return;
	for (size_t i = 0; i < csig_file_slice_count(f); i++) {
		const csig_sig *sig = csig_slice_signature(csig_file_slice(f, i));
		csig_bytes raw;
		if (!sig || csig_sig_cms(sig, &raw) != CSIG_OK || !csig_sig_cms_parsed(sig))
			continue;
		char p[300];
		snprintf(p, sizeof(p), "%s/cms.der", tmpdir);
		write_file(p, raw.ptr, raw.len);
		csig_bytes cd = csig_codedir_bytes(csig_sig_cd(sig, 0));
		snprintf(p, sizeof(p), "%s/content.bin", tmpdir);
		write_file(p, cd.ptr, cd.len);
		char label[400];
		snprintf(label, sizeof(label), "%s [%zu]", rel, i);
		compare(label, csig_sig_cms_parsed(sig), cd, t);
	}
	csig_file_free(f);
}

static int has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcmp(s + a - b, suf) == 0;
}

static void walk_profiles(const char *dir, struct tally *t)
{
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d))) {
		if (e->d_name[0] == '.')
			continue;
		char p[1024];
		snprintf(p, sizeof(p), "%s/%s", dir, e->d_name);
		struct stat st;
		if (lstat(p, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk_profiles(p, t);
			continue;
		}
		if (!has_suffix(p, ".mobileprovision") && !has_suffix(p, ".provisionprofile"))
			continue;
		size_t n;
		unsigned char *b = tu_read_file(p, &n);
		csig_cms *cms;
		if (!b || csig_cms_parse(&cms, b, n, NULL, NULL) != CSIG_OK) {
			free(b);
			continue; /* bare plists: no CMS to compare */
		}
		char q[300];
		snprintf(q, sizeof(q), "%s/cms.der", tmpdir);
		write_file(q, b, n);
		csig_bytes none = { NULL, 0 };
		compare(p + strlen(getenv("CSIG_FIXTURES_REAL")) + 1, cms, none, t);
		csig_cms_free(cms);
		free(b);
	}
	closedir(d);
}

START_TEST(real_cms_against_openssl)
{
	const char *real = tu_real_fixtures();
	if (!real)
		return;
	if (system("command -v openssl >/dev/null 2>&1") != 0) {
		ck_assert_msg(!getenv("CI") || strcmp(getenv("CI"), "true") != 0,
			      "CI=true but openssl is missing");
		printf("skipped: openssl not installed\n");
		return;
	}
	snprintf(tmpdir, sizeof(tmpdir), "/tmp/csig-cms-XXXXXX");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	char roots[300];
	snprintf(roots, sizeof(roots), "%s/roots.pem", tmpdir);
	write_roots(roots);
	struct tally t = { 0, 0, 0 };
	sj_each_macho(real, per_macho, &t);
	walk_profiles(real, &t);
	printf("compared %d CMS signatures with openssl: %d intact, %d chain to an Apple root\n",
	       t.compared, t.intact, t.trusted);
	ck_assert_int_ge(t.compared, 25);
	ck_assert_int_ge(t.trusted, 15);
	char cmd[400];
	snprintf(cmd, sizeof(cmd), "rm -rf %s", tmpdir);
	ck_assert_int_eq(system(cmd), 0);
}
END_TEST

static Suite *cms_openssl_suite(void)
{
	Suite *s = suite_create("cms_openssl");
	TCase *tc = tcase_create("real");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, real_cms_against_openssl);
	suite_add_tcase(s, tc);
	return s;
}

CSIG_TEST_MAIN(cms_openssl_suite)
