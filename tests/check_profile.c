/*
 * check_profile.c - provisioning profiles (csig/profile.h): verdicts of every
 * real profile in $CSIG_FIXTURES_REAL (as SOURCES.md describes them), getters,
 * a profile generated at test time with openssl (expires tomorrow), the
 * match against signed binaries, JSON, and hostile input (truncation, byte
 * flips, allocation failures).
 */
#include <sys/wait.h>
#include <time.h>
#include <unistd.h>
#include "testutil.h"
#include "support_json.h"
#include "util.h"

#define CSIG_ARRAY_LEN_T(a) CSIG_ARRAY_LEN(a)

typedef struct real_case {
	const char *rel;
	int real;          /* Apple-signed: VALID at CreationDate + 1 day, EXPIRED now */
	int verdict;       /* otherwise: the verdict at both times */
	int kind;
	int container;
} real_case;

static const real_case real_cases[] = {
	{ "app_info/NotificationService.appex/embedded.mobileprovision", 1, 0, CSIG_PROFILE_KIND_AD_HOC, CSIG_PROFILE_CMS },
	{ "app_info/ios_adhoc.mobileprovision", 1, 0, CSIG_PROFILE_KIND_AD_HOC, CSIG_PROFILE_CMS },
	{ "app_info/ios_appstore.mobileprovision", 1, 0, CSIG_PROFILE_KIND_APP_STORE, CSIG_PROFILE_CMS },
	{ "app_info/ios_development.mobileprovision", 1, 0, CSIG_PROFILE_KIND_DEVELOPMENT, CSIG_PROFILE_CMS },
	{ "app_info/macos_appstore.provisionprofile", 1, 0, CSIG_PROFILE_KIND_APP_STORE, CSIG_PROFILE_CMS },
	{ "app_info/macos_development.provisionprofile", 1, 0, CSIG_PROFILE_KIND_DEVELOPMENT, CSIG_PROFILE_CMS },
	{ "app_info/profile.mobileprovision", 1, 0, CSIG_PROFILE_KIND_DEVELOPMENT, CSIG_PROFILE_CMS },
	{ "fastlane/AppStore_tools.fastlane.app.mobileprovision", 1, 0, CSIG_PROFILE_KIND_APP_STORE, CSIG_PROFILE_CMS },
	{ "fastlane/AppStore_net.sunapps.9.watch.mobileprovision", 1, 0, CSIG_PROFILE_KIND_APP_STORE, CSIG_PROFILE_CMS },
	{ "fastlane/test.mobileprovision", 1, 0, CSIG_PROFILE_KIND_APP_STORE, CSIG_PROFILE_CMS },
	{ "fastlane/test.provisionprofile", 0, CSIG_PROFILE_TAMPERED, CSIG_PROFILE_KIND_APP_STORE, CSIG_PROFILE_CMS },
	{ "fastlane/very-capable-app.app/embedded.mobileprovision", 0, CSIG_PROFILE_UNTRUSTED, CSIG_PROFILE_KIND_DEVELOPMENT, CSIG_PROFILE_CMS },
	{ "isign/test.mobileprovision", 0, CSIG_PROFILE_UNTRUSTED, CSIG_PROFILE_KIND_DEVELOPMENT, CSIG_PROFILE_CMS },
	{ "app_info/signed_plist.mobileprovision", 0, CSIG_PROFILE_UNTRUSTED, CSIG_PROFILE_KIND_ENTERPRISE, CSIG_PROFILE_CMS },
	{ "app_info/bplist.mobileprovision", 0, CSIG_PROFILE_UNSIGNED, CSIG_PROFILE_KIND_ENTERPRISE, CSIG_PROFILE_BARE_BINARY },
	/* Its DeveloperCertificates data is not a certificate: reported as a
	 * finding; the verdict is UNSIGNED, not MALFORMED (csig/profile.h). */
	{ "app_info/plist.mobileprovision", 0, CSIG_PROFILE_UNSIGNED, CSIG_PROFILE_KIND_ENTERPRISE, CSIG_PROFILE_BARE_XML },
};

static csig_profile *load(const char *path)
{
	size_t n;
	unsigned char *b = tu_read_file(path, &n);
	ck_assert_msg(b != NULL, "cannot read %s", path);
	csig_profile *p = NULL;
	csig_error e;
	int rc = csig_profile_parse(&p, b, n, NULL, &e);
	ck_assert_msg(rc == CSIG_OK, "%s: %s (%s)", path, e.msg, csig_errname(rc));
	free(b); /* the profile copies its input */
	return p;
}

static csig_profile *load_real(const char *rel)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", tu_real_fixtures(), rel);
	return load(path);
}

static int verdict_at(const csig_profile *p, int64_t at, int64_t *days)
{
	csig_profile_result *r;
	ck_assert_int_eq(csig_profile_check(p, at, &r, NULL), CSIG_OK);
	int v = csig_profile_result_verdict(r);
	if (days)
		*days = csig_profile_result_days_to_expiry(r);
	csig_profile_result_free(r);
	return v;
}

static int has_finding(const csig_profile *p, int64_t at, const char *id)
{
	csig_profile_result *r;
	ck_assert_int_eq(csig_profile_check(p, at, &r, NULL), CSIG_OK);
	int found = 0;
	for (size_t i = 0; i < csig_profile_result_finding_count(r); i++)
		found |= strcmp(csig_profile_result_finding(r, i)->id, id) == 0;
	csig_profile_result_free(r);
	return found;
}

/* ---- real fixtures ---------------------------------------------------- */

START_TEST(test_real_verdicts)
{
	if (!tu_real_fixtures())
		return;
	int64_t now = (int64_t)time(NULL);
	const real_case *c = &real_cases[_i];
	csig_profile *p = load_real(c->rel);
	int64_t created;
	ck_assert_int_eq(csig_profile_creation_date(p, &created), CSIG_OK);
	int64_t at = created + 86400, days;
	int v1 = verdict_at(p, at, &days), v2 = verdict_at(p, now, NULL);
	if (c->real) {
		ck_assert_msg(v1 == CSIG_PROFILE_VALID, "%s at creation+1d: %s", c->rel,
			      csig_profile_verdict_name(v1));
		ck_assert_msg(v2 == CSIG_PROFILE_EXPIRED, "%s now: %s", c->rel,
			      csig_profile_verdict_name(v2));
		ck_assert(has_finding(p, now, "profile-expired"));
		int64_t ttl, exp;
		ck_assert_int_eq(csig_profile_expiration_date(p, &exp), CSIG_OK);
		ck_assert_int_eq(days, (exp - at) / 86400);
		if (csig_profile_time_to_live(p, &ttl) == CSIG_OK)
			ck_assert_int_le(days, ttl);
		ck_assert(csig_profile_is_signed(p));
	} else {
		ck_assert_msg(v1 == c->verdict && v2 == c->verdict, "%s: %s / %s, want %s", c->rel,
			      csig_profile_verdict_name(v1), csig_profile_verdict_name(v2),
			      csig_profile_verdict_name(c->verdict));
	}
	ck_assert_msg((int)csig_profile_kind_of(p) == c->kind, "%s kind %s", c->rel,
		      csig_profile_kind_name(csig_profile_kind_of(p)));
	ck_assert_int_eq(csig_profile_container(p), c->container);
	ck_assert_ptr_null(csig_profile_malformed_reason(p));
	ck_assert_int_ge(csig_profile_team_id_count(p), 1);
	ck_assert_ptr_nonnull(csig_profile_uuid(p));
	ck_assert_ptr_nonnull(csig_profile_entitlements(p));
	ck_assert_int_ge(csig_profile_cert_count(p), 1);
	ck_assert_int_eq(csig_profile_has_der_profile(p), 0);
	csig_profile_free(p);
}
END_TEST

/* Every profile under the fixture directory must be in the table above. */
static void walk(const char *root, const char *rel, size_t *seen)
{
	char dir[1024];
	snprintf(dir, sizeof(dir), "%s%s%s", root, rel[0] ? "/" : "", rel);
	DIR *d = opendir(dir);
	if (!d)
		return;
	struct dirent *e;
	while ((e = readdir(d)) != NULL) {
		if (e->d_name[0] == '.')
			continue;
		char sub[1024], full[2048];
		snprintf(sub, sizeof(sub), "%s%s%s", rel, rel[0] ? "/" : "", e->d_name);
		snprintf(full, sizeof(full), "%s/%s", root, sub);
		struct stat st;
		if (stat(full, &st) != 0)
			continue;
		if (S_ISDIR(st.st_mode)) {
			walk(root, sub, seen);
			continue;
		}
		size_t n = strlen(sub);
		int prof = (n > 16 && strcmp(sub + n - 16, ".mobileprovision") == 0) ||
			   (n > 17 && strcmp(sub + n - 17, ".provisionprofile") == 0);
		if (!prof)
			continue;
		int known = 0;
		for (size_t i = 0; i < CSIG_ARRAY_LEN_T(real_cases); i++)
			known |= strcmp(real_cases[i].rel, sub) == 0;
		ck_assert_msg(known, "profile fixture %s has no expected verdict", sub);
		(*seen)++;
	}
	closedir(d);
}

START_TEST(test_real_all_listed)
{
	const char *root = tu_real_fixtures();
	if (!root)
		return;
	size_t seen = 0;
	walk(root, "", &seen);
	ck_assert_uint_eq(seen, CSIG_ARRAY_LEN_T(real_cases));
}
END_TEST

START_TEST(test_getters)
{
	if (!tu_real_fixtures())
		return;
	csig_profile *p = load_real("app_info/ios_development.mobileprovision");
	ck_assert_str_eq(csig_profile_name(p), "iOS Full Development");
	ck_assert_str_eq(csig_profile_uuid(p), "9b42a96b-b520-40ef-9748-eee6e7c40f0b");
	ck_assert_str_eq(csig_profile_app_id_name(p), "test by wangshen");
	ck_assert_str_eq(csig_profile_team_name(p), "Niceliving (Beijing) Technology Co., Ltd.");
	ck_assert_uint_eq(csig_profile_team_id_count(p), 1);
	ck_assert_str_eq(csig_profile_team_id(p, 0), "WKR87TTKML");
	ck_assert_ptr_null(csig_profile_team_id(p, 1));
	ck_assert_uint_eq(csig_profile_app_id_prefix_count(p), 1);
	ck_assert_str_eq(csig_profile_app_id_prefix(p, 0), "WKR87TTKML");
	ck_assert_uint_eq(csig_profile_platform_count(p), 1);
	ck_assert_str_eq(csig_profile_platform(p, 0), "iOS");
	int64_t v;
	ck_assert_int_eq(csig_profile_creation_date(p, &v), CSIG_OK);
	ck_assert_int_eq(v, 1595321007); /* 2020-07-21T08:43:27Z */
	ck_assert_int_eq(csig_profile_expiration_date(p, &v), CSIG_OK);
	ck_assert_int_eq(v, 1626857007); /* 2021-07-21T08:43:27Z */
	ck_assert_int_eq(csig_profile_time_to_live(p, &v), CSIG_OK);
	ck_assert_int_eq(v, 365);
	ck_assert_int_eq(csig_profile_version(p, &v), CSIG_OK);
	ck_assert_int_eq(v, 1);
	ck_assert_int_eq(csig_profile_is_xcode_managed(p), 0);
	ck_assert_int_eq(csig_profile_provisions_all_devices(p), -1);
	ck_assert_int_eq(csig_profile_has_devices(p), 1);
	ck_assert_uint_eq(csig_profile_device_count(p), 1);
	ck_assert_ptr_nonnull(csig_profile_device(p, 0));
	const csig_pval *ent = csig_profile_entitlements(p);
	ck_assert_str_eq(csig_pval_cstr(csig_pval_dict_get(ent, "application-identifier"), NULL),
			 "WKR87TTKML.com.icyleaf.appinfo.test");
	ck_assert_uint_eq(csig_profile_cert_count(p), 1);
	const csig_cert *c = csig_profile_cert(p, 0);
	ck_assert_ptr_nonnull(c);
	ck_assert_str_eq(csig_cert_subject_cn(c), "Apple Development: Shen Wang (A3Z3NZQ8V3)");
	ck_assert_int_eq(csig_profile_cert_status(p, 0, NULL), CSIG_OK);
	ck_assert_int_eq(csig_profile_cert_status(p, 1, NULL), CSIG_E_NOTFOUND);
	ck_assert_uint_eq(csig_profile_cert_data(p, 0).len, csig_cert_der(c).len);
	ck_assert_ptr_nonnull(csig_profile_cms(p));
	ck_assert_ptr_nonnull(csig_profile_plist(p));
	ck_assert_int_eq(csig_pval_type_of(csig_profile_root(p)), CSIG_PVAL_DICT);
	ck_assert_uint_eq(csig_profile_der_profile(p).len, 0);
	int64_t days;
	ck_assert_int_eq(verdict_at(p, 1595321007 + 86400, &days), CSIG_PROFILE_VALID);
	ck_assert_int_eq(days, 364);
	ck_assert_int_eq(verdict_at(p, 1626857007, &days), CSIG_PROFILE_EXPIRED);
	ck_assert_int_eq(days, 0);
	ck_assert_int_eq(verdict_at(p, 1626857006, &days), CSIG_PROFILE_VALID);
	ck_assert_int_eq(days, 0);
	ck_assert_int_eq(verdict_at(p, 1626857008, &days), CSIG_PROFILE_EXPIRED);
	ck_assert_int_eq(days, -1);
	csig_profile_free(p);

	p = load_real("app_info/profile.mobileprovision");
	ck_assert_int_eq(csig_profile_is_xcode_managed(p), 1);
	ck_assert_uint_eq(csig_profile_cert_count(p), 2);
	csig_profile_free(p);

	p = load_real("app_info/macos_appstore.provisionprofile");
	ck_assert_str_eq(csig_profile_platform(p, 0), "OSX");
	ck_assert_int_eq(csig_profile_has_devices(p), 0);
	csig_profile_free(p);
}
END_TEST

START_TEST(test_undecodable_cert)
{
	if (!tu_real_fixtures())
		return;
	csig_profile *p = load_real("app_info/plist.mobileprovision");
	ck_assert_uint_eq(csig_profile_cert_count(p), 1);
	ck_assert_ptr_null(csig_profile_cert(p, 0));
	const char *msg = NULL;
	ck_assert_int_ne(csig_profile_cert_status(p, 0, &msg), CSIG_OK);
	ck_assert_ptr_nonnull(msg);
	ck_assert_uint_gt(csig_profile_cert_data(p, 0).len, 0);
	ck_assert(has_finding(p, 1561031227, "developer-cert-undecodable"));
	ck_assert(has_finding(p, 1561031227, "unsigned"));
	ck_assert_ptr_null(csig_profile_cms(p));
	csig_profile_free(p);
}
END_TEST

/* ---- test-time profile ------------------------------------------------ */

static int have_openssl(void)
{
	return system("openssl version >/dev/null 2>&1") == 0;
}

/* Generate into a fresh temp dir; returns 0 and the dir on success. */
static int gen(char *dir, size_t n, int64_t created, int64_t expires)
{
	snprintf(dir, n, "/tmp/csig-profile-XXXXXX");
	if (!mkdtemp(dir))
		return -1;
	char c[32], e[32], tdbuf[1024], cmd[4096];
	csig_time_format(created, c, sizeof(c));
	csig_time_format(expires, e, sizeof(e));
	snprintf(cmd, sizeof(cmd), "sh '%s' '%s' '%s' '%s' >/dev/null 2>&1",
		 tu_testdata("profile/make_fixtures.sh", tdbuf, sizeof(tdbuf)), dir, c, e);
	return system(cmd) == 0 ? 0 : -1;
}

static void rmdir_all(const char *dir)
{
	char cmd[1200];
	snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
	ck_assert_int_eq(system(cmd), 0);
}

static csig_profile *load_in(const char *dir, const char *name)
{
	char path[1200];
	snprintf(path, sizeof(path), "%s/%s", dir, name);
	return load(path);
}

START_TEST(test_generated_tomorrow)
{
	if (!have_openssl()) {
		printf("skipped: openssl CLI not available\n");
		return;
	}
	int64_t now = (int64_t)time(NULL);
	char dir[256];
	ck_assert_msg(gen(dir, sizeof(dir), now, now + 86400) == 0, "make_fixtures.sh failed");
	csig_profile *p = load_in(dir, "signed.mobileprovision");
	ck_assert_int_eq(csig_profile_container(p), CSIG_PROFILE_CMS);
	ck_assert_int_eq(csig_profile_kind_of(p), CSIG_PROFILE_KIND_DEVELOPMENT);
	ck_assert_str_eq(csig_profile_team_id(p, 0), "TESTTEAM01");
	int64_t days;
	/* Self-signed: intact but not Apple; expires tomorrow. */
	ck_assert_int_eq(verdict_at(p, (int64_t)time(NULL), &days), CSIG_PROFILE_UNTRUSTED);
	ck_assert_msg(days == 0 || days == 1, "days %lld", (long long)days);
	ck_assert(!has_finding(p, now, "profile-expired"));
	ck_assert(has_finding(p, now, "not-apple-root"));
	/* --at the day after tomorrow: still untrusted, and now expired. */
	ck_assert_int_eq(verdict_at(p, now + 2 * 86400, &days), CSIG_PROFILE_UNTRUSTED);
	ck_assert_int_eq(days, -1);
	ck_assert(has_finding(p, now + 2 * 86400, "profile-expired"));
	/* --at before creation: a warning, verdict unchanged. */
	ck_assert(has_finding(p, now - 86400, "not-yet-valid"));

	/* The CLI with --at (when built). */
	const char *b = getenv("CSIG_BUILD");
	char cli[1024], cmd[4096];
	snprintf(cli, sizeof(cli), "%s/csig", b ? b : "build");
	if (access(cli, X_OK) == 0) {
		char at[32];
		csig_time_format(now + 3 * 86400, at, sizeof(at));
		snprintf(cmd, sizeof(cmd), "'%s' profile --at %s '%s/signed.mobileprovision' | grep -q 'untrusted'",
			 cli, at, dir);
		ck_assert_int_eq(system(cmd), 0);
		snprintf(cmd, sizeof(cmd), "'%s' profile --json '%s/signed.mobileprovision' >/dev/null", cli, dir);
		ck_assert_int_eq(WEXITSTATUS(system(cmd)), 1);
		snprintf(cmd, sizeof(cmd), "'%s' profile '%s/dev.der' >/dev/null 2>&1", cli, dir);
		ck_assert_int_eq(WEXITSTATUS(system(cmd)), 2);
	}
	csig_profile_free(p);

	/* The bare plist: unsigned; its certificate decodes. */
	p = load_in(dir, "profile.plist");
	ck_assert_int_eq(csig_profile_container(p), CSIG_PROFILE_BARE_XML);
	ck_assert_int_eq(verdict_at(p, now, NULL), CSIG_PROFILE_UNSIGNED);
	ck_assert_ptr_nonnull(csig_profile_cert(p, 0));
	ck_assert_str_eq(csig_cert_team_id(csig_profile_cert(p, 0)), "TESTTEAM01");
	csig_profile_free(p);

	char path[1200];
	snprintf(path, sizeof(path), "%s/bplist.mobileprovision", dir);
	if (access(path, R_OK) == 0) {
		p = load(path);
		ck_assert_int_eq(csig_profile_container(p), CSIG_PROFILE_BARE_BINARY);
		ck_assert_int_eq(verdict_at(p, now, NULL), CSIG_PROFILE_UNSIGNED);
		csig_profile_free(p);
	}

	/* CMS over content that is not a plist: parses, verdict MALFORMED. */
	p = load_in(dir, "nocontent.mobileprovision");
	ck_assert_ptr_null(csig_profile_plist(p));
	ck_assert_ptr_nonnull(csig_profile_malformed_reason(p));
	ck_assert_int_eq(verdict_at(p, now, NULL), CSIG_PROFILE_MALFORMED);
	ck_assert(has_finding(p, now, "content-not-plist"));
	ck_assert_int_eq(csig_profile_kind_of(p), CSIG_PROFILE_KIND_UNKNOWN);
	char *json;
	ck_assert_int_eq(csig_profile_json(p, now, 0, &json, NULL, NULL), CSIG_OK);
	sj *doc = sj_parse(json, strlen(json));
	ck_assert_ptr_nonnull(doc);
	ck_assert_str_eq(sj_str(sj_get(sj_get(doc, "check"), "verdict")), "malformed");
	sj_free(doc);
	csig_free(json);
	csig_profile_free(p);

	/* Edit one byte of the signed content: TAMPERED. */
	size_t n;
	snprintf(path, sizeof(path), "%s/signed.mobileprovision", dir);
	unsigned char *buf = tu_read_file(path, &n);
	ck_assert_ptr_nonnull(buf);
	unsigned char *hit = NULL;
	for (size_t i = 0; i + 10 <= n && !hit; i++)
		if (memcmp(buf + i, "TESTTEAM01", 10) == 0)
			hit = buf + i;
	ck_assert_ptr_nonnull(hit);
	hit[0] = 'X';
	csig_profile *t;
	ck_assert_int_eq(csig_profile_parse(&t, buf, n, NULL, NULL), CSIG_OK);
	ck_assert_int_eq(verdict_at(t, now, NULL), CSIG_PROFILE_TAMPERED);
	ck_assert(has_finding(t, now, "digest-mismatch"));
	csig_profile_free(t);
	free(buf);
	rmdir_all(dir);
}
END_TEST

START_TEST(test_malformed_shapes)
{
	static const char *const docs[] = {
		/* root not a dict */
		"<plist version=\"1.0\"><array/></plist>",
		/* required keys missing */
		"<plist version=\"1.0\"><dict><key>Name</key><string>x</string></dict></plist>",
		/* ExpirationDate of the wrong type */
		"<plist version=\"1.0\"><dict><key>UUID</key><string>u</string>"
		"<key>CreationDate</key><date>2020-01-01T00:00:00Z</date>"
		"<key>ExpirationDate</key><string>tomorrow</string>"
		"<key>TeamIdentifier</key><array><string>T</string></array>"
		"<key>Entitlements</key><dict/></dict></plist>",
		/* TeamIdentifier item not a string */
		"<plist version=\"1.0\"><dict><key>UUID</key><string>u</string>"
		"<key>CreationDate</key><date>2020-01-01T00:00:00Z</date>"
		"<key>ExpirationDate</key><date>2021-01-01T00:00:00Z</date>"
		"<key>TeamIdentifier</key><array><integer>1</integer></array>"
		"<key>Entitlements</key><dict/></dict></plist>",
	};
	for (size_t i = 0; i < CSIG_ARRAY_LEN_T(docs); i++) {
		csig_profile *p;
		csig_error e;
		ck_assert_int_eq(csig_profile_parse(&p, docs[i], strlen(docs[i]), NULL, &e), CSIG_OK);
		ck_assert_ptr_nonnull(csig_profile_malformed_reason(p));
		ck_assert_int_eq(verdict_at(p, 0, NULL), CSIG_PROFILE_MALFORMED);
		csig_profile_free(p);
	}
	/* A minimal usable bare profile is UNSIGNED, with no certificates. */
	const char *ok = "<plist version=\"1.0\"><dict><key>UUID</key><string>u</string>"
			 "<key>CreationDate</key><date>2020-01-01T00:00:00Z</date>"
			 "<key>ExpirationDate</key><date>2021-01-01T00:00:00Z</date>"
			 "<key>TeamIdentifier</key><array><string>T</string></array>"
			 "<key>Entitlements</key><dict/></dict></plist>";
	csig_profile *p;
	ck_assert_int_eq(csig_profile_parse(&p, ok, strlen(ok), NULL, NULL), CSIG_OK);
	ck_assert_int_eq(verdict_at(p, 0, NULL), CSIG_PROFILE_UNSIGNED);
	ck_assert(has_finding(p, 0, "no-developer-certs"));
	ck_assert_int_eq(csig_profile_kind_of(p), CSIG_PROFILE_KIND_APP_STORE);
	csig_profile_free(p);
	/* Not a profile at all. */
	csig_error e;
	ck_assert_int_eq(csig_profile_parse(&p, "hello", 5, NULL, &e), CSIG_E_BADMAGIC);
	ck_assert_ptr_null(p);
	ck_assert_int_eq(csig_profile_parse(&p, "<plist><dict>", 13, NULL, &e), CSIG_E_SYNTAX);
	ck_assert_int_eq(csig_profile_parse(NULL, "x", 1, NULL, &e), CSIG_E_INVAL);
	ck_assert_int_eq(csig_profile_parse(&p, "x", 0, NULL, &e), CSIG_E_INVAL);
	csig_open_options bad = { 99, 0, 0, 0 };
	ck_assert_int_eq(csig_profile_parse(&p, ok, strlen(ok), &bad, &e), CSIG_E_INVAL);
	/* NULL-safe getters */
	ck_assert_ptr_null(csig_profile_name(NULL));
	ck_assert_uint_eq(csig_profile_cert_count(NULL), 0);
	ck_assert_int_eq(csig_profile_result_verdict(NULL), CSIG_PROFILE_MALFORMED);
	ck_assert_str_eq(csig_profile_verdict_name(CSIG_PROFILE_EXPIRED), "expired");
	ck_assert_str_eq(csig_profile_kind_name(CSIG_PROFILE_KIND_DEVELOPER_ID), "developer-id");
	ck_assert_str_eq(csig_profile_kind_name(42), "unknown");
}
END_TEST

/* ---- match ------------------------------------------------------------ */

typedef struct row_want {
	const char *id;
	const char *key; /* NULL: any */
	int ok;
} row_want;

static int find_row(const csig_profile_match_result *m, const char *id, const char *key, int *ok,
		    const char **actual, const char **allowed)
{
	for (size_t i = 0; i < csig_profile_match_count(m); i++) {
		const char *rid, *rkey;
		csig_profile_match_item(m, i, &rid, ok, &rkey, actual, allowed, NULL);
		if (strcmp(rid, id) == 0 && (!key || (rkey && strcmp(rkey, key) == 0)))
			return 1;
	}
	return 0;
}

static void expect_rows(const csig_profile_match_result *m, const row_want *w, size_t n)
{
	for (size_t i = 0; i < n; i++) {
		int ok = -1;
		const char *actual, *allowed;
		ck_assert_msg(find_row(m, w[i].id, w[i].key, &ok, &actual, &allowed),
			      "no row %s %s", w[i].id, w[i].key ? w[i].key : "");
		ck_assert_msg(ok == w[i].ok, "row %s %s: ok=%d (actual %s, allowed %s)", w[i].id,
			      w[i].key ? w[i].key : "", ok, actual ? actual : "-",
			      allowed ? allowed : "-");
	}
}

static csig_file *open_real_macho(const char *rel)
{
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", tu_real_fixtures(), rel);
	csig_file *f;
	csig_error e;
	ck_assert_msg(csig_file_open_path(&f, path, NULL, &e) == CSIG_OK, "%s: %s", path, e.msg);
	return f;
}

START_TEST(test_match_very_capable)
{
	if (!tu_real_fixtures())
		return;
	csig_profile *p = load_real("fastlane/very-capable-app.app/embedded.mobileprovision");
	csig_file *f = open_real_macho("fastlane/very-capable-app.app/very-capable-app");
	ck_assert_uint_eq(csig_file_slice_count(f), 1);
	csig_profile_match_result *m;
	ck_assert_int_eq(csig_profile_match(p, csig_file_slice(f, 0), &m, NULL), CSIG_OK);
	ck_assert_msg(csig_profile_match_ok(m), "very-capable-app does not match its profile");
	/* team (from the leaf's OU: the CD has no teamID), cert, app id,
	 * 23 other entitlements, platform. */
	ck_assert_uint_eq(csig_profile_match_count(m), 1 + 1 + 1 + 23 + 1);
	const char *actual, *allowed;
	int ok;
	ck_assert(find_row(m, "team-id", NULL, &ok, &actual, &allowed));
	ck_assert_str_eq(actual, "\"TestFixture\"");
	ck_assert(find_row(m, "application-identifier", NULL, &ok, &actual, &allowed));
	ck_assert_str_eq(actual, "\"TestFixture.org.fastlane.very-capable-app\"");
	ck_assert(find_row(m, "entitlement", "keychain-access-groups", &ok, &actual, &allowed));
	ck_assert_str_eq(allowed, "[\"TestFixture.*\"]");
	ck_assert(find_row(m, "entitlement", "com.apple.developer.icloud-services", &ok, &actual, &allowed));
	ck_assert_str_eq(allowed, "\"*\"");
	ck_assert(find_row(m, "platform", NULL, &ok, &actual, &allowed));
	ck_assert_str_eq(actual, "\"iOS\"");
	char *json;
	ck_assert_int_eq(csig_profile_match_json(m, CSIG_PROFILE_JSON_PRETTY, &json, NULL, NULL), CSIG_OK);
	sj *doc = sj_parse(json, strlen(json));
	ck_assert_ptr_nonnull(doc);
	ck_assert(sj_bool(sj_get(doc, "ok")));
	ck_assert_uint_eq(sj_len(sj_get(doc, "checks")), 27);
	sj_free(doc);
	csig_free(json);
	csig_profile_match_free(m);
	csig_profile_free(p);

	/* The hand-written restrictive profile exercises every rule. */
	char td[1024];
	p = load(tu_testdata("profile/restrictive.xml", td, sizeof(td)));
	ck_assert_int_eq(csig_profile_match(p, csig_file_slice(f, 0), &m, NULL), CSIG_OK);
	ck_assert(!csig_profile_match_ok(m));
	static const row_want want[] = {
		{ "team-id", NULL, 0 },
		{ "certificate", NULL, 0 },
		{ "application-identifier", NULL, 1 },
		{ "entitlement", "keychain-access-groups", 1 },
		{ "entitlement", "get-task-allow", 0 },
		{ "entitlement", "aps-environment", 1 },
		{ "entitlement", "com.apple.developer.icloud-services", 0 },
		{ "entitlement", "com.apple.developer.associated-domains", 1 },
		{ "entitlement", "com.apple.developer.healthkit", 1 },
		{ "entitlement", "com.apple.developer.homekit", 0 },
		{ "entitlement", "com.apple.developer.siri", 0 },
		{ "platform", NULL, 0 },
	};
	expect_rows(m, want, CSIG_ARRAY_LEN_T(want));
	csig_profile_match_free(m);
	csig_profile_free(p);
	csig_file_free(f);
}
END_TEST

START_TEST(test_match_notification_service)
{
	if (!tu_real_fixtures())
		return;
	csig_profile *p = load_real("app_info/NotificationService.appex/embedded.mobileprovision");
	csig_file *f = open_real_macho("app_info/NotificationService.appex/NotificationService");
	ck_assert_uint_eq(csig_file_slice_count(f), 2);
	static const row_want want[] = {
		{ "team-id", NULL, 1 },
		{ "certificate", NULL, 1 },
		{ "application-identifier", NULL, 1 },
		{ "entitlement", "com.apple.developer.team-identifier", 1 },
		{ "entitlement", "com.apple.security.application-groups", 1 },
		{ "entitlement", "get-task-allow", 1 },
		{ "platform", NULL, 1 },
	};
	for (size_t i = 0; i < 2; i++) {
		csig_profile_match_result *m;
		ck_assert_int_eq(csig_profile_match(p, csig_file_slice(f, i), &m, NULL), CSIG_OK);
		ck_assert(csig_profile_match_ok(m));
		ck_assert_uint_eq(csig_profile_match_count(m), CSIG_ARRAY_LEN_T(want));
		expect_rows(m, want, CSIG_ARRAY_LEN_T(want));
		const char *actual;
		int ok;
		ck_assert(find_row(m, "team-id", NULL, &ok, &actual, NULL));
		ck_assert_str_eq(actual, "\"WKR87TTKML\"");
		csig_profile_match_free(m);
	}
	csig_profile_free(p);

	/* Against another team profile: same team, other cert/app id/groups. */
	p = load_real("app_info/ios_development.mobileprovision");
	csig_profile_match_result *m;
	ck_assert_int_eq(csig_profile_match(p, csig_file_slice(f, 1), &m, NULL), CSIG_OK);
	ck_assert(!csig_profile_match_ok(m));
	static const row_want bad[] = {
		{ "team-id", NULL, 1 },
		{ "certificate", NULL, 0 },
		{ "application-identifier", NULL, 0 },
		{ "entitlement", "com.apple.security.application-groups", 0 },
		{ "entitlement", "get-task-allow", 1 }, /* profile true allows false */
		{ "platform", NULL, 1 },
	};
	expect_rows(m, bad, CSIG_ARRAY_LEN_T(bad));
	csig_profile_match_free(m);

	/* A macOS profile against an iOS binary: platform row fails. */
	csig_profile_free(p);
	p = load_real("app_info/macos_development.provisionprofile");
	ck_assert_int_eq(csig_profile_match(p, csig_file_slice(f, 1), &m, NULL), CSIG_OK);
	static const row_want mac[] = { { "platform", NULL, 0 } };
	expect_rows(m, mac, 1);
	csig_profile_match_free(m);
	csig_profile_free(p);
	csig_file_free(f);
}
END_TEST

/* ---- JSON ------------------------------------------------------------- */

START_TEST(test_json)
{
	if (!tu_real_fixtures())
		return;
	csig_profile *p = load_real("app_info/ios_adhoc.mobileprovision");
	int64_t created;
	ck_assert_int_eq(csig_profile_creation_date(p, &created), CSIG_OK);
	char *json;
	size_t len;
	ck_assert_int_eq(csig_profile_json(p, created + 86400, CSIG_PROFILE_JSON_PRETTY, &json, &len, NULL), CSIG_OK);
	ck_assert_uint_eq(strlen(json), len);
	sj *doc = sj_parse(json, len);
	ck_assert_ptr_nonnull(doc);
	ck_assert_str_eq(sj_str(sj_get(doc, "container")), "cms");
	ck_assert_str_eq(sj_str(sj_get(doc, "kind")), "ad-hoc");
	ck_assert_str_eq(sj_str(sj_at(sj_get(doc, "team_identifiers"), 0)), "WKR87TTKML");
	ck_assert_uint_eq(sj_u64(sj_get(doc, "device_count")), 1);
	ck_assert_uint_ge(sj_len(sj_get(doc, "developer_certificates")), 1);
	ck_assert_ptr_nonnull(sj_str(sj_get(sj_at(sj_get(doc, "developer_certificates"), 0), "not_after")));
	ck_assert_ptr_nonnull(sj_get(sj_get(doc, "entitlements"), "application-identifier"));
	const sj *chk = sj_get(doc, "check");
	ck_assert_str_eq(sj_str(sj_get(chk, "verdict")), "valid");
	ck_assert_uint_gt(sj_u64(sj_get(chk, "days_to_expiry")), 30);
	ck_assert(sj_get(doc, "cms") && !sj_is_null(sj_get(doc, "cms")));
	sj_free(doc);
	csig_free(json);
	ck_assert_int_eq(csig_profile_json(NULL, 0, 0, &json, NULL, NULL), CSIG_E_INVAL);
	csig_profile_free(p);
}
END_TEST

/* ---- hostile input ---------------------------------------------------- */

static void exercise(const unsigned char *b, size_t n)
{
	unsigned char *copy = malloc(n ? n : 1);
	ck_assert_ptr_nonnull(copy);
	if (n)
		memcpy(copy, b, n);
	csig_profile *p = NULL;
	csig_error e;
	int rc = csig_profile_parse(&p, copy, n, NULL, &e);
	free(copy);
	if (rc != CSIG_OK) {
		ck_assert_int_lt(rc, 0);
		ck_assert_ptr_null(p);
		return;
	}
	csig_profile_result *r;
	ck_assert_int_eq(csig_profile_check(p, 1600000000, &r, NULL), CSIG_OK);
	int v = csig_profile_result_verdict(r);
	ck_assert(v >= CSIG_PROFILE_VALID && v <= CSIG_PROFILE_MALFORMED);
	csig_profile_result_free(r);
	(void)csig_profile_kind_of(p);
	for (size_t i = 0; i < csig_profile_cert_count(p); i++)
		(void)csig_profile_cert(p, i);
	char *json;
	if (csig_profile_json(p, 1600000000, 0, &json, NULL, NULL) == CSIG_OK)
		csig_free(json);
	csig_profile_free(p);
}

START_TEST(test_truncation_sweep)
{
	if (!tu_real_fixtures())
		return;
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", tu_real_fixtures(), "fastlane/test.mobileprovision");
	size_t n;
	unsigned char *b = tu_read_file(path, &n);
	ck_assert_ptr_nonnull(b);
	/* Every prefix: a CMS cut short never parses as a profile. */
	for (size_t k = 0; k < n; k++) {
		csig_profile *p = NULL;
		int rc = csig_profile_parse(&p, b, k, NULL, NULL);
		ck_assert_msg(rc < 0 && p == NULL, "prefix %zu parsed", k);
	}
	exercise(b, n);
	free(b);
}
END_TEST

START_TEST(test_flip_sweep)
{
	if (!tu_real_fixtures())
		return;
	static const char *const files[] = {
		"app_info/ios_adhoc.mobileprovision",
		"app_info/bplist.mobileprovision",
		"app_info/plist.mobileprovision",
	};
	uint64_t seed = 0x70f11e5eedULL;
	for (size_t f = 0; f < CSIG_ARRAY_LEN_T(files); f++) {
		char path[1024];
		snprintf(path, sizeof(path), "%s/%s", tu_real_fixtures(), files[f]);
		size_t n;
		unsigned char *b = tu_read_file(path, &n);
		ck_assert_ptr_nonnull(b);
		for (int it = 0; it < 400; it++) {
			unsigned char *m = malloc(n);
			ck_assert_ptr_nonnull(m);
			memcpy(m, b, n);
			int flips = 1 + (int)(tu_rand(&seed) % 4);
			for (int k = 0; k < flips; k++)
				m[tu_rand(&seed) % n] ^= (unsigned char)(1u << (tu_rand(&seed) % 8));
			exercise(m, n);
			free(m);
		}
		free(b);
	}
}
END_TEST

START_TEST(test_oom)
{
	if (!tu_real_fixtures())
		return;
	char path[1024];
	snprintf(path, sizeof(path), "%s/%s", tu_real_fixtures(), "fastlane/very-capable-app.app/embedded.mobileprovision");
	size_t n;
	unsigned char *b = tu_read_file(path, &n);
	ck_assert_ptr_nonnull(b);
	int done = 0;
	for (long k = 1; k < 20000 && !done; k++) {
		csig__test_fail_alloc_after(k);
		csig_profile *p = NULL;
		int rc = csig_profile_parse(&p, b, n, NULL, NULL);
		if (rc == CSIG_OK) {
			csig_profile_result *r = NULL;
			rc = csig_profile_check(p, 0, &r, NULL);
			if (rc == CSIG_OK) {
				char *json = NULL;
				rc = csig_profile_json(p, 0, 0, &json, NULL, NULL);
				if (rc == CSIG_OK) {
					csig_free(json);
					done = 1;
				}
				csig_profile_result_free(r);
			}
			csig_profile_free(p);
		} else {
			ck_assert_ptr_null(p);
		}
		csig__test_fail_alloc_after(0);
		if (!done)
			ck_assert_int_eq(rc, CSIG_E_NOMEM);
	}
	ck_assert(done);
	free(b);
}
END_TEST

Suite *profile_suite(void)
{
	Suite *s = suite_create("profile");
	TCase *tc = tcase_create("real");
	tcase_set_timeout(tc, 120);
	tcase_add_loop_test(tc, test_real_verdicts, 0, (int)CSIG_ARRAY_LEN_T(real_cases));
	tcase_add_test(tc, test_real_all_listed);
	tcase_add_test(tc, test_getters);
	tcase_add_test(tc, test_undecodable_cert);
	suite_add_tcase(s, tc);
	tc = tcase_create("generated");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_generated_tomorrow);
	tcase_add_test(tc, test_malformed_shapes);
	suite_add_tcase(s, tc);
	tc = tcase_create("match");
	tcase_add_test(tc, test_match_very_capable);
	tcase_add_test(tc, test_match_notification_service);
	suite_add_tcase(s, tc);
	tc = tcase_create("json");
	tcase_add_test(tc, test_json);
	suite_add_tcase(s, tc);
	tc = tcase_create("hostile");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_truncation_sweep);
	tcase_add_test(tc, test_flip_sweep);
	tcase_add_test(tc, test_oom);
	suite_add_tcase(s, tc);
	return s;
}

CSIG_TEST_MAIN(profile_suite)
