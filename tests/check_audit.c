/*
 * check_audit.c - the expiry audit and the update check (csig/audit.h).
 *
 * The seed scenario end to end: a Developer ID app whose embedded profile
 * expires tomorrow (a temp copy of sparkle/DevSignedApp.app plus a profile
 * signed at test time with openssl), and an update check pinned to a
 * certificate CN that the renewed certificate no longer has.  Real fixtures
 * are judged at fixed --at dates so the results are deterministic.
 */
#include <stdarg.h>
#include <time.h>
#include <unistd.h>
#include <sys/wait.h>
#include "testutil.h"
#include "support_json.h"
#include "util.h" /* csig__test_fail_alloc_after */

static const char *real(const char *rel, char *buf, size_t n)
{
	const char *dir = tu_real_fixtures();
	if (!dir)
		return NULL;
	snprintf(buf, n, "%s/%s", dir, rel);
	return buf;
}

static int64_t day(const char *text)
{
	int64_t t;
	ck_assert_int_eq(csig_time_parse(text, &t), CSIG_OK);
	return t;
}

static csig_audit *audit_at(const char *path, int64_t at, unsigned within, unsigned flags)
{
	csig_audit_options o = CSIG_AUDIT_OPTIONS_INIT;
	o.at = at;
	o.within_days = within;
	o.flags = flags;
	csig_audit *a = NULL;
	csig_error err;
	int e = csig_audit_path(&a, path, &o, &err);
	ck_assert_msg(e == CSIG_OK, "audit %s: %s (%s)", path, err.msg, csig_errname(e));
	/* the JSON document always builds and parses */
	char *text = NULL;
	size_t len = 0;
	ck_assert_int_eq(csig_audit_json(a, 0, &text, &len, &err), CSIG_OK);
	sj *doc = sj_parse(text, len);
	ck_assert_msg(doc != NULL, "audit JSON does not parse: %.200s", text);
	ck_assert_str_eq(sj_str(sj_get(doc, "document")), "audit");
	ck_assert_uint_eq(sj_len(sj_get(doc, "items")), csig_audit_item_count(a));
	ck_assert_uint_eq(sj_len(sj_get(doc, "risks")), csig_audit_risk_count(a));
	ck_assert_int_eq(sj_bool(sj_get(doc, "failed")), csig_audit_failed(a));
	sj_free(doc);
	csig_free(text);
	return a;
}

static const csig_audit_item *find_item(const csig_audit *a, const char *kind,
					const char *subject_prefix, const char *where)
{
	for (size_t i = 0; i < csig_audit_item_count(a); i++) {
		const csig_audit_item *it = csig_audit_item_at(a, i);
		if (!strcmp(it->kind, kind) &&
		    !strncmp(it->subject, subject_prefix, strlen(subject_prefix)) &&
		    (!where || !strcmp(it->where, where)))
			return it;
	}
	return NULL;
}

static const csig_audit_risk *find_risk(const csig_audit *a, const char *id, const char *where)
{
	for (size_t i = 0; i < csig_audit_risk_count(a); i++) {
		const csig_audit_risk *r = csig_audit_risk_at(a, i);
		if (!strcmp(r->id, id) && (!where || !strcmp(r->where, where)))
			return r;
	}
	return NULL;
}

static const char *cli(void)
{
	static char buf[1024]; /* tests only */
	const char *b = getenv("CSIG_BUILD");
	snprintf(buf, sizeof(buf), "%s/csig", b ? b : "build");
	return access(buf, X_OK) == 0 ? buf : NULL;
}

static int run(const char *fmt, ...) __attribute__((format(printf, 1, 2)));
static int run(const char *fmt, ...)
{
	char cmd[8192];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(cmd, sizeof(cmd), fmt, ap);
	va_end(ap);
	int st = system(cmd);
	return WIFEXITED(st) ? WEXITSTATUS(st) : -1;
}

/* ---- requirements pinned to a CN (API level, the seed's second half) ---- */

static csig_req *compile(const char *text)
{
	uint8_t *bin;
	size_t len;
	int is_set;
	csig_error err;
	ck_assert_int_eq(csig_req_compile(text, strlen(text), &bin, &len, &is_set, &err), CSIG_OK);
	ck_assert_int_eq(is_set, 0);
	csig_req *r;
	ck_assert_int_eq(csig_req_parse(&r, bin, len, NULL, &err), CSIG_OK);
	csig_free(bin);
	return r;
}

static csig_req_verdict eval_cn(const csig_req *req, const char *cn, csig_req_result **out)
{
	csig_req_attr subj[2] = {
		{ "CN", cn, strlen(cn) },
		{ "OU", "2BUA8C4S2C", 10 },
	};
	csig_req_cert leaf;
	memset(&leaf, 0, sizeof(leaf));
	leaf.subject = subj;
	leaf.n_subject = 2;
	csig_req_ctx ctx = CSIG_REQ_CTX_INIT;
	ctx.identifier = "com.agilebits.onepassword7";
	ctx.certs = &leaf;
	ctx.n_certs = 1;
	csig_error err;
	ck_assert_int_eq(csig_req_eval(req, &ctx, out, &err), CSIG_OK);
	return csig_req_result_verdict(*out);
}

START_TEST(test_seed_cn_pinned_requirement)
{
	csig_req *pinned = compile("identifier \"com.agilebits.onepassword7\" and "
				   "certificate leaf[subject.CN] = \"Developer ID Application: AgileBits Inc.\"");
	csig_req *team = compile("identifier \"com.agilebits.onepassword7\" and "
				 "certificate leaf[subject.OU] = \"2BUA8C4S2C\"");
	csig_req_result *r;
	/* the old certificate satisfies both */
	ck_assert_int_eq(eval_cn(pinned, "Developer ID Application: AgileBits Inc.", &r),
			 CSIG_REQ_SATISFIED);
	csig_req_result_free(r);
	/* the renewed one fails the CN-pinned requirement, naming the CN clause */
	ck_assert_int_eq(eval_cn(pinned, "Developer ID Application: AgileBits Inc. (2BUA8C4S2C)", &r),
			 CSIG_REQ_NOT_SATISFIED);
	int named = 0;
	for (size_t k = 0; k < csig_req_result_trace_count(r); k++)
		if (csig_req_result_trace_verdict(r, k) == CSIG_REQ_NOT_SATISFIED) {
			ck_assert_ptr_nonnull(strstr(csig_req_result_trace_clause(r, k),
						     "leaf[subject.CN]"));
			ck_assert_ptr_nonnull(strstr(csig_req_result_trace_actual(r, k), "(2BUA8C4S2C)"));
			named++;
		}
	ck_assert_int_eq(named, 1);
	csig_req_result_free(r);
	/* a team-based requirement survives the renewal */
	ck_assert_int_eq(eval_cn(team, "Developer ID Application: AgileBits Inc. (2BUA8C4S2C)", &r),
			 CSIG_REQ_SATISFIED);
	csig_req_result_free(r);
	csig_req_free(pinned);
	csig_req_free(team);
}
END_TEST

/* ---- check-update on real files ---- */

static csig_update_check *upd(const char *old_rel, const char *new_rel, const char *extra)
{
	char o[1024], n[1024];
	if (!real(old_rel, o, sizeof(o)) || !real(new_rel, n, sizeof(n)))
		return NULL;
	csig_update_check *u = NULL;
	csig_error err;
	int e = csig_check_update(&u, o, n, extra, &err);
	ck_assert_msg(e == CSIG_OK, "check-update: %s (%s)", err.msg, csig_errname(e));
	char *text;
	size_t len;
	ck_assert_int_eq(csig_update_check_json(u, CSIG_JSON_PRETTY, &text, &len, &err), CSIG_OK);
	sj *doc = sj_parse(text, len);
	ck_assert_ptr_nonnull(doc);
	ck_assert_str_eq(sj_str(sj_get(doc, "document")), "check-update");
	ck_assert_uint_eq(sj_len(sj_get(doc, "evaluations")), csig_update_check_count(u));
	sj_free(doc);
	csig_free(text);
	return u;
}

START_TEST(test_check_update_real)
{
	csig_update_check *u = upd("sparkle/DevSignedApp.app", "sparkle/DevSignedApp.app", NULL);
	if (!u)
		return;
	ck_assert_int_eq(csig_update_check_verdict(u), CSIG_UPDATE_YES);
	ck_assert_int_eq(csig_update_check_implicit(u), 0);
	ck_assert_ptr_nonnull(strstr(csig_update_check_requirement(u), "leaf[subject.OU] = ZCK58M894E"));
	ck_assert_uint_eq(csig_update_check_count(u), 1);
	csig_update_check_free(u);

	/* the executable alone, too */
	u = upd("sparkle/DevSignedApp.app/Contents/MacOS/SignedApp", "sparkle/DevSignedApp.app", NULL);
	ck_assert_int_eq(csig_update_check_verdict(u), CSIG_UPDATE_YES);
	csig_update_check_free(u);

	/* an Apple Development DR against a self-signed binary: the anchor fails */
	u = upd("molcs/signed-with-teamid", "santa/goodcert", NULL);
	ck_assert_int_eq(csig_update_check_verdict(u), CSIG_UPDATE_NO);
	ck_assert_ptr_nonnull(strstr(csig_update_check_reason(u), "anchor apple generic"));
	const char *which, *arch;
	const csig_req_result *r;
	ck_assert_int_eq(csig_update_check_eval(u, 0, &which, &arch, &r), CSIG_OK);
	ck_assert_str_eq(which, "designated");
	ck_assert_str_eq(arch, "x86_64");
	ck_assert_int_eq(csig_req_result_verdict(r), CSIG_REQ_NOT_SATISFIED);
	ck_assert_int_eq(csig_update_check_eval(u, 9, NULL, NULL, NULL), CSIG_E_NOTFOUND);
	csig_update_check_free(u);

	/* an updater's extra requirement pinned to a CN: the seed's failure */
	u = upd("sparkle/DevSignedApp.app", "sparkle/DevSignedApp.app",
		"certificate leaf[subject.CN] = \"Developer ID Application: AgileBits Inc.\"");
	ck_assert_int_eq(csig_update_check_verdict(u), CSIG_UPDATE_NO);
	ck_assert_uint_eq(csig_update_check_count(u), 2);
	ck_assert_ptr_nonnull(strstr(csig_update_check_reason(u), "extra requirement"));
	ck_assert_ptr_nonnull(strstr(csig_update_check_reason(u), "leaf[subject.CN]"));
	ck_assert_ptr_nonnull(strstr(csig_update_check_reason(u), "Mayur Pawashe (ZCK58M894E)"));
	csig_update_check_free(u);

	/* a non-Apple DR (certificate root = H"...") satisfied by the same file */
	u = upd("santa/goodcert", "santa/goodcert", NULL);
	ck_assert_int_eq(csig_update_check_verdict(u), CSIG_UPDATE_YES);
	csig_update_check_free(u);

	/* ad hoc without an explicit DR: the implicit cdhash requirement */
	u = upd("fastlane/simulator-app.app", "fastlane/simulator-app.app", NULL);
	ck_assert_int_eq(csig_update_check_verdict(u), CSIG_UPDATE_YES);
	ck_assert_int_eq(csig_update_check_implicit(u), 1);
	ck_assert_int_eq(strncmp(csig_update_check_requirement(u), "cdhash H\"", 9), 0);
	csig_update_check_free(u);
	u = upd("fastlane/simulator-app.app", "santa/goodcert", NULL);
	ck_assert_int_eq(csig_update_check_verdict(u), CSIG_UPDATE_NO);
	csig_update_check_free(u);

	/* an unsigned OLD has no requirement: indeterminate */
	u = upd("isign/Test_unsigned_thin.app/isignTestApp", "santa/goodcert", NULL);
	ck_assert_int_eq(csig_update_check_verdict(u), CSIG_UPDATE_INDETERMINATE);
	ck_assert_str_eq(csig_update_check_requirement(u), "");
	csig_update_check_free(u);

	/* every slice of NEW must satisfy: a fat NEW gives one evaluation each */
	u = upd("isign/Test.app", "isign/Test.app", NULL);
	ck_assert_int_eq(csig_update_check_verdict(u), CSIG_UPDATE_YES);
	ck_assert_uint_eq(csig_update_check_count(u), 2);
	csig_update_check_free(u);
}
END_TEST

START_TEST(test_check_update_errors)
{
	char o[1024];
	csig_update_check *u = (csig_update_check *)1;
	csig_error err;
	ck_assert_int_eq(csig_check_update(NULL, "a", "b", NULL, &err), CSIG_E_INVAL);
	ck_assert_int_eq(csig_check_update(&u, NULL, "b", NULL, &err), CSIG_E_INVAL);
	ck_assert_ptr_null(u);
	ck_assert_int_eq(csig_check_update(&u, "/nonexistent/old", "/nonexistent/new", NULL, &err),
			 CSIG_E_IO);
	ck_assert_ptr_null(u);
	if (!real("santa/goodcert", o, sizeof(o)))
		return;
	ck_assert_int_eq(csig_check_update(&u, o, o, "certificate leaf[", &err), CSIG_E_SYNTAX);
	ck_assert_int_eq(csig_check_update(&u, o, o, "designated => anchor apple", &err),
			 CSIG_E_SYNTAX);
	ck_assert_ptr_null(u);
	ck_assert_int_eq(csig_update_check_verdict(NULL), CSIG_UPDATE_INDETERMINATE);
	ck_assert_int_eq(csig_update_check_eval(NULL, 0, NULL, NULL, NULL), CSIG_E_INVAL);
	csig_update_check_free(NULL);
}
END_TEST

/* ---- the audit on real inputs ---- */

START_TEST(test_audit_isign)
{
	char p[1024];
	if (!real("isign/Test.app", p, sizeof(p)))
		return;
	/* 2016-06-01: the iPhone Developer certificate expires 2016-12-08 */
	csig_audit *a = audit_at(p, day("2016-06-01"), 200, 0);
	ck_assert_int_eq(csig_audit_within_days(a), 200);
	const csig_audit_item *it = find_item(a, "certificate", "iPhone Developer: Neil", "isignTestApp");
	ck_assert_ptr_nonnull(it);
	ck_assert_str_eq(it->breaks, "launch");     /* iOS development signing */
	ck_assert_str_eq(it->status, "expiring");
	ck_assert_int_eq(it->days_remaining, 190);
	ck_assert_str_eq(it->arch, "armv7,arm64");
	ck_assert_str_eq(it->signing, "development");
	ck_assert_int_eq(it->chain_index, 0);
	ck_assert_ptr_nonnull(find_item(a, "signing-time", "iPhone Developer", "isignTestApp"));
	/* the loose Swift dylib in Frameworks/ is audited too */
	ck_assert_ptr_nonnull(find_item(a, "certificate", "iPhone Developer",
					"Frameworks/libswiftContacts.dylib"));
	const csig_audit_risk *r = find_risk(a, "requirement-pinned-to-cn", "isignTestApp");
	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_nonnull(strstr(r->message, "designated"));
	ck_assert_ptr_nonnull(strstr(r->message, "Neil Kandalgaonkar (PJ5C3PEW8Z)"));
	ck_assert_ptr_nonnull(find_risk(a, "certificate-expiring", "isignTestApp"));
	ck_assert_int_eq(csig_audit_failed(a), 1);
	ck_assert_uint_ge(csig_audit_code_count(a), 5);
	ck_assert_str_eq(csig_audit_code_at(a, 0)->team_id, "L37S4Z6BE9");
	csig_audit_free(a);

	/* 2015-12-20 with 30 days: nothing launch-breaking yet; --strict adds the CN risk */
	a = audit_at(p, day("2015-12-20"), 0, 0);
	ck_assert_int_eq(csig_audit_within_days(a), 30);
	ck_assert_int_eq(csig_audit_failed(a), 0);
	csig_audit_free(a);
	a = audit_at(p, day("2015-12-20"), 0, CSIG_AUDIT_STRICT);
	ck_assert_int_eq(csig_audit_failed(a), 1);
	csig_audit_free(a);
}
END_TEST

START_TEST(test_audit_developer_id)
{
	char p[1024];
	if (!real("sparkle/DevSignedApp.app", p, sizeof(p)))
		return;
	/* today: the leaf has expired, but a verified timestamp lies within it */
	csig_audit *a = audit_at(p, 0, 0, CSIG_AUDIT_STRICT);
	const csig_audit_item *leaf = find_item(a, "certificate", "Developer ID Application",
						"Contents/MacOS/SignedApp");
	ck_assert_ptr_nonnull(leaf);
	ck_assert_str_eq(leaf->breaks, "nothing");
	ck_assert_str_eq(leaf->signing, "developer-id");
	const csig_audit_item *ts = find_item(a, "timestamp", "", "Contents/MacOS/SignedApp");
	ck_assert_ptr_nonnull(ts);
	ck_assert_str_eq(ts->breaks, "nothing");
	ck_assert_int_lt(ts->date, leaf->date);
	ck_assert_int_eq(csig_audit_failed(a), 0);
	ck_assert_uint_eq(csig_audit_risk_count(a), 0);
	csig_audit_free(a);
}
END_TEST

START_TEST(test_audit_every_real_input)
{
	static const struct {
		const char *rel;
		const char *at;
		int failed, strict_failed;
	} cases[] = {
		{ "sparkle/DevSignedApp.app", "2024-01-01", 0, 0 },
		{ "sparkle/DevSignedApp.app/Contents/MacOS/SignedApp", "2024-01-01", 0, 0 },
		{ "isign/Test.app/isignTestApp", "2016-06-01", 1, 1 },
		{ "isign/Test_unsigned_thin.app/isignTestApp", "2016-06-01", 0, 0 },
		{ "app_info/embedded.ipa", "2021-06-01", 0, 1 },   /* CN-pinned DRs */
		{ "app_info/embedded.ipa", "2022-01-01", 1, 1 },   /* in-house profile 2022-01-15 */
		{ "app_info/iphone.ipa", "2016-08-01", 0, 1 },
		{ "app_info/iphone.ipa", "2017-04-01", 1, 1 },     /* cert 2017-04-14 */
		{ "app_info/ipad.ipa", "2030-01-01", 1, 1 },
		{ "app_info/FMDB.framework", "2020-01-01", 0, 1 },
		{ "app_info/NotificationService.appex", "2030-01-01", 1, 1 },
		{ "fastlane/very-capable-app.ipa", "2018-06-01", 0, 0 },
		{ "fastlane/very-capable-app.ipa", "2019-04-01", 1, 1 },
		{ "fastlane/very-capable-app.app", "2019-05-01", 1, 1 },
		{ "fastlane/simulator-app.app", "2030-01-01", 0, 0 },
		{ "sparkle/CodeSignedOnly.bundle", "2030-01-01", 0, 0 },
		{ "molcs/cal-yikes-universal_signed", "2020-06-01", 0, 1 },
		{ "molcs/signed-with-teamid", "2020-06-01", 0, 1 },
		{ "santa/goodcert", "2020-06-01", 0, 0 },
		{ "zsign/demo1.dylib", "2020-06-01", 0, 1 },
		{ "app_info/ios_development.mobileprovision", "2021-07-01", 1, 1 },
		{ "app_info/ios_development.mobileprovision", "2020-06-01", 0, 0 },
		{ "app_info/macos_development.provisionprofile", "2020-06-01", 0, 0 },
		{ "fastlane/test.mobileprovision", "2030-01-01", 1, 1 },
		{ "isign/test.mobileprovision", "2000-01-01", 0, 0 },
		{ "app_info/bplist.mobileprovision", "2000-01-01", 0, 0 },
	};
	char p[1024];
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		if (!real(cases[i].rel, p, sizeof(p)))
			return;
		csig_audit *a = audit_at(p, day(cases[i].at), 0, 0);
		ck_assert_msg(csig_audit_failed(a) == cases[i].failed, "%s at %s: failed %d",
			      cases[i].rel, cases[i].at, csig_audit_failed(a));
		csig_audit_free(a);
		a = audit_at(p, day(cases[i].at), 0, CSIG_AUDIT_STRICT);
		ck_assert_msg(csig_audit_failed(a) == cases[i].strict_failed,
			      "%s at %s strict: failed %d", cases[i].rel, cases[i].at,
			      csig_audit_failed(a));
		csig_audit_free(a);
	}
	/* named risks on real files */
	real("molcs/cal-yikes-universal_signed", p, sizeof(p));
	csig_audit *a = audit_at(p, day("2020-06-01"), 0, 0);
	ck_assert_ptr_nonnull(find_risk(a, "signer-mismatch-nested", NULL));
	/* Apple's own slice has no team, so no team mismatch is claimed */
	ck_assert_ptr_null(find_risk(a, "team-mismatch-nested", NULL));
	const csig_audit_item *sw = find_item(a, "certificate", "Software Signing", NULL);
	ck_assert_ptr_nonnull(sw);
	ck_assert_str_eq(sw->signing, "apple");
	ck_assert_str_eq(sw->breaks, "release");
	csig_audit_free(a);
	/* an in-house .ipa: the enterprise chain and the profile break launch */
	real("app_info/embedded.ipa", p, sizeof(p));
	a = audit_at(p, day("2021-06-01"), 0, 0);
	const csig_audit_item *pe = find_item(a, "profile-expiration", "iOS Team Inhouse",
					      "PlugIns/Notification.appex/embedded.mobileprovision");
	ck_assert_ptr_nonnull(pe);
	ck_assert_str_eq(pe->breaks, "launch");
	ck_assert_str_eq(pe->signing, "enterprise");
	const csig_audit_item *lf = find_item(a, "certificate", "iPhone Distribution", "Demo");
	ck_assert_ptr_nonnull(lf);
	ck_assert_str_eq(lf->signing, "enterprise");
	ck_assert_str_eq(lf->breaks, "launch");
	csig_audit_free(a);
}
END_TEST

/* ---- the seed: a profile in a Developer ID app, expiring tomorrow ---- */

static int have_openssl(void)
{
	return system("openssl version >/dev/null 2>&1") == 0;
}

static void write_file(const char *path, const char *text)
{
	FILE *f = fopen(path, "w");
	ck_assert_ptr_nonnull(f);
	fputs(text, f);
	ck_assert_int_eq(fclose(f), 0);
}

START_TEST(test_seed_profile_in_developer_id)
{
	char app[1024];
	if (!real("sparkle/DevSignedApp.app", app, sizeof(app)))
		return;
	if (!have_openssl()) {
		printf("skipped: openssl CLI not available\n");
		return;
	}
	const char *base = getenv("TMPDIR");
	char dir[512];
	snprintf(dir, sizeof(dir), "%s/csig-audit-XXXXXX", base ? base : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	int64_t now = (int64_t)time(NULL);
	char created[32], expires[32];
	csig_time_format(now - 86400, created, sizeof(created));
	csig_time_format(now + 86400, expires, sizeof(expires));
	ck_assert_int_eq(run("cd '%s' && openssl req -x509 -newkey rsa:2048 -nodes -keyout k.pem "
			     "-out c.pem -days 30 -sha256 -subj '/CN=csig audit test/OU=ZCK58M894E/O=libcsig/C=US' "
			     ">/dev/null 2>&1 && openssl x509 -in c.pem -outform DER -out c.der && "
			     "openssl base64 -A -in c.der > c.b64", dir), 0);
	char b64path[600];
	snprintf(b64path, sizeof(b64path), "%s/c.b64", dir);
	size_t blen;
	unsigned char *b64 = tu_read_file(b64path, &blen);
	ck_assert_ptr_nonnull(b64);
	char plist[8192];
	snprintf(plist, sizeof(plist),
		 "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		 "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
		 "<plist version=\"1.0\"><dict>\n"
		 "<key>AppIDName</key><string>SignedApp helper</string>\n"
		 "<key>ApplicationIdentifierPrefix</key><array><string>ZCK58M894E</string></array>\n"
		 "<key>CreationDate</key><date>%s</date>\n"
		 "<key>Platform</key><array><string>OSX</string></array>\n"
		 "<key>DeveloperCertificates</key><array><data>%.*s</data></array>\n"
		 "<key>Entitlements</key><dict>\n"
		 "<key>com.apple.application-identifier</key><string>ZCK58M894E.com.zoo.SignedApp</string>\n"
		 "<key>com.apple.developer.team-identifier</key><string>ZCK58M894E</string>\n"
		 "<key>keychain-access-groups</key><array><string>ZCK58M894E.*</string></array>\n"
		 "</dict>\n"
		 "<key>ExpirationDate</key><date>%s</date>\n"
		 "<key>Name</key><string>SignedApp Developer ID</string>\n"
		 "<key>ProvisionsAllDevices</key><true/>\n"
		 "<key>TeamIdentifier</key><array><string>ZCK58M894E</string></array>\n"
		 "<key>TeamName</key><string>libcsig tests</string>\n"
		 "<key>TimeToLive</key><integer>1</integer>\n"
		 "<key>UUID</key><string>11111111-2222-3333-4444-555555555555</string>\n"
		 "<key>Version</key><integer>1</integer>\n"
		 "</dict></plist>\n", created, (int)blen, (const char *)b64, expires);
	free(b64);
	char ppath[600];
	snprintf(ppath, sizeof(ppath), "%s/profile.plist", dir);
	write_file(ppath, plist);
	ck_assert_int_eq(run("cd '%s' && cp -R '%s' App.app && openssl cms -sign -nodetach -binary "
			     "-outform DER -in profile.plist -signer c.pem -inkey k.pem -md sha256 "
			     "-out App.app/Contents/embedded.provisionprofile >/dev/null 2>&1 && "
			     "rm -f k.pem", dir, app), 0);
	char top[700];
	snprintf(top, sizeof(top), "%s/App.app", dir);

	/* now: the profile expires tomorrow; launch breaks inside the window */
	csig_audit *a = audit_at(top, now, 0, 0);
	const csig_audit_risk *r = find_risk(a, "profile-in-developer-id", "Contents/MacOS/SignedApp");
	ck_assert_ptr_nonnull(r);
	ck_assert_ptr_nonnull(strstr(r->message, "com.apple.developer.team-identifier"));
	ck_assert_ptr_nonnull(find_risk(a, "profile-expiring", "Contents/embedded.provisionprofile"));
	const csig_audit_item *pe = find_item(a, "profile-expiration", "SignedApp Developer ID",
					      "Contents/embedded.provisionprofile");
	ck_assert_ptr_nonnull(pe);
	ck_assert_str_eq(pe->breaks, "launch");
	ck_assert_str_eq(pe->status, "expiring");
	ck_assert_str_eq(pe->signing, "developer-id");
	ck_assert_msg(pe->days_remaining == 0 || pe->days_remaining == 1, "days %lld",
		      (long long)pe->days_remaining);
	/* the profile's certificate did not sign the app: it breaks nothing */
	const csig_audit_item *pc = find_item(a, "profile-certificate", "csig audit test", NULL);
	ck_assert_ptr_nonnull(pc);
	ck_assert_str_eq(pc->breaks, "nothing");
	ck_assert_int_eq(csig_audit_code_at(a, 0)->has_profile, 1);
	ck_assert_int_eq(csig_audit_failed(a), 1);
	csig_audit_free(a);

	/* the day after tomorrow: expired */
	a = audit_at(top, now + 2 * 86400, 0, 0);
	ck_assert_ptr_nonnull(find_risk(a, "profile-expired", NULL));
	ck_assert_int_eq(csig_audit_failed(a), 1);
	csig_audit_free(a);

	/* the CLI: exit 1 now, 0 long before, 2 for unreadable input; --json parses */
	const char *c = cli();
	if (c) {
		ck_assert_int_eq(run("'%s' audit '%s' >/dev/null", c, top), 1);
		ck_assert_int_eq(run("'%s' audit --at 2024-01-01 '%s' >/dev/null", c, top), 0);
		ck_assert_int_eq(run("'%s' audit --at 2024-01-01 --within 5000 '%s' >/dev/null", c, top), 1);
		ck_assert_int_eq(run("'%s' audit '%s/nonexistent' >/dev/null 2>&1", c, dir), 2);
		ck_assert_int_eq(run("'%s' audit --json '%s' > '%s/out.json'", c, top, dir), 1);
		char jp[700];
		snprintf(jp, sizeof(jp), "%s/out.json", dir);
		sj *doc = sj_load(jp);
		ck_assert_ptr_nonnull(doc);
		ck_assert_int_eq(sj_bool(sj_get(doc, "failed")), 1);
		sj_free(doc);
		ck_assert_int_eq(run("'%s' audit '%s' | grep -q profile-in-developer-id", c, top), 0);
	}
	ck_assert_int_eq(run("rm -rf '%s'", dir), 0);
}
END_TEST

START_TEST(test_cli_exit_codes)
{
	const char *c = cli();
	char isign[1024], dev[1024], molcs[1024], santa[1024], unsig[1024];
	if (!c) {
		printf("skipped: %s/csig not built\n", getenv("CSIG_BUILD"));
		return;
	}
	if (!real("isign/Test.app", isign, sizeof(isign)))
		return;
	real("sparkle/DevSignedApp.app", dev, sizeof(dev));
	real("molcs/signed-with-teamid", molcs, sizeof(molcs));
	real("santa/goodcert", santa, sizeof(santa));
	real("isign/Test_unsigned_thin.app/isignTestApp", unsig, sizeof(unsig));
	ck_assert_int_eq(run("'%s' audit --at 2016-06-01 --within 200 '%s' >/dev/null", c, isign), 1);
	ck_assert_int_eq(run("'%s' audit --at 2015-12-20 '%s' >/dev/null", c, isign), 0);
	ck_assert_int_eq(run("'%s' audit --at 2015-12-20 --strict '%s' >/dev/null", c, isign), 1);
	ck_assert_int_eq(run("'%s' audit --within 0 '%s' >/dev/null 2>&1", c, isign), 64);
	ck_assert_int_eq(run("'%s' check-update '%s' '%s' >/dev/null", c, dev, dev), 0);
	ck_assert_int_eq(run("'%s' check-update '%s' '%s' >/dev/null", c, molcs, santa), 1);
	ck_assert_int_eq(run("'%s' check-update '%s' '%s' | grep -q 'anchor apple generic'",
			     c, molcs, santa), 0);
	ck_assert_int_eq(run("'%s' check-update --requirement "
			     "'certificate leaf[subject.CN] = \"Developer ID Application: AgileBits Inc.\"' "
			     "'%s' '%s' | grep -q 'REJECTED.*leaf\\[subject.CN\\]'", c, dev, dev), 0);
	ck_assert_int_eq(run("'%s' check-update '%s' '%s' >/dev/null", c, unsig, santa), 3);
	ck_assert_int_eq(run("'%s' check-update /nonexistent '%s' >/dev/null 2>&1", c, santa), 2);
	ck_assert_int_eq(run("'%s' check-update '%s' >/dev/null 2>&1", c, santa), 64);
	ck_assert_int_eq(run("'%s' check-update --json '%s' '%s' | grep -q '\"verdict\": \"no\"'",
			     c, molcs, santa), 0);
}
END_TEST

/* ---- hostile and odd input ---- */

START_TEST(test_audit_errors)
{
	csig_audit *a = (csig_audit *)1;
	csig_error err;
	ck_assert_int_eq(csig_audit_path(NULL, "x", NULL, &err), CSIG_E_INVAL);
	ck_assert_int_eq(csig_audit_path(&a, NULL, NULL, &err), CSIG_E_INVAL);
	ck_assert_ptr_null(a);
	csig_audit_options bad = CSIG_AUDIT_OPTIONS_INIT;
	bad.version = 99;
	ck_assert_int_eq(csig_audit_path(&a, "/", &bad, &err), CSIG_E_INVAL);
	ck_assert_int_eq(csig_audit_path(&a, "/nonexistent/x", NULL, &err), CSIG_E_IO);
	ck_assert_ptr_null(a);
	ck_assert_int_eq(csig_audit_file(&a, NULL, "x", NULL, &err), CSIG_E_INVAL);
	ck_assert_int_eq(csig_audit_failed(NULL), 0);
	ck_assert_uint_eq(csig_audit_item_count(NULL), 0);
	ck_assert_ptr_null(csig_audit_item_at(NULL, 0));
	ck_assert_int_eq(csig_audit_json(NULL, 0, NULL, NULL, &err), CSIG_E_INVAL);
	csig_audit_free(NULL);

	/* a text file, an empty file, an empty directory */
	const char *base = getenv("TMPDIR");
	char dir[512], p[700];
	snprintf(dir, sizeof(dir), "%s/csig-audit-XXXXXX", base ? base : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(dir));
	snprintf(p, sizeof(p), "%s/text", dir);
	write_file(p, "hello, not a signature\n");
	ck_assert_int_eq(csig_audit_path(&a, p, NULL, &err), CSIG_E_BADMAGIC);
	snprintf(p, sizeof(p), "%s/empty", dir);
	write_file(p, "");
	ck_assert_int_lt(csig_audit_path(&a, p, NULL, &err), 0);
	snprintf(p, sizeof(p), "%s/sub", dir);
	ck_assert_int_eq(mkdir(p, 0700), 0);
	ck_assert_int_eq(csig_audit_path(&a, p, NULL, &err), CSIG_E_NOTFOUND);
	ck_assert_ptr_null(a);

	/* an unsigned binary from testdata: listed, nothing dated */
	char td[1024];
	a = audit_at(tu_testdata("good/unsigned-arm64", td, sizeof(td)), 0, 0, CSIG_AUDIT_STRICT);
	ck_assert_uint_eq(csig_audit_item_count(a), 0);
	ck_assert_str_eq(csig_audit_code_at(a, 0)->signing, "unsigned");
	ck_assert_int_eq(csig_audit_failed(a), 0);
	csig_audit_free(a);

	/* byte flips of a real signed binary: never a crash */
	char src[1024];
	if (real("isign/Test.app/isignTestApp", src, sizeof(src))) {
		size_t len;
		unsigned char *orig = tu_read_file(src, &len);
		ck_assert_ptr_nonnull(orig);
		uint64_t seed = 0x5eed;
		snprintf(p, sizeof(p), "%s/flip", dir);
		for (int round = 0; round < 40; round++) {
			unsigned char *m = malloc(len);
			memcpy(m, orig, len);
			for (int k = 0; k < 16; k++)
				m[tu_rand(&seed) % len] ^= (unsigned char)(1u << (tu_rand(&seed) % 8));
			FILE *f = fopen(p, "wb");
			ck_assert_uint_eq(fwrite(m, 1, len, f), len);
			fclose(f);
			free(m);
			int e = csig_audit_path(&a, p, NULL, &err);
			if (e == CSIG_OK) {
				char *text;
				ck_assert_int_eq(csig_audit_json(a, 0, &text, NULL, &err), CSIG_OK);
				csig_free(text);
				csig_audit_free(a);
			}
		}
		free(orig);
	}
	ck_assert_int_eq(run("rm -rf '%s'", dir), 0);
}
END_TEST

START_TEST(test_audit_oom)
{
	char p[1024];
	if (!real("app_info/embedded.ipa", p, sizeof(p)))
		return;
	csig_audit_options o = CSIG_AUDIT_OPTIONS_INIT;
	o.at = day("2021-06-01");
	for (long n = 1; n < 100000; n += (n < 400 ? 1 : 97)) {
		csig__test_fail_alloc_after(n);
		csig_audit *a = NULL;
		csig_error err;
		int e = csig_audit_path(&a, p, &o, &err);
		csig__test_fail_alloc_after(0);
		ck_assert_msg(e == CSIG_OK || e == CSIG_E_NOMEM, "n=%ld: %s (%s)", n, err.msg,
			      csig_errname(e));
		csig_audit_free(a);
		if (e == CSIG_OK)
			break;
	}
	for (long n = 1; n < 100000; n += (n < 300 ? 1 : 53)) {
		char q[1024];
		real("molcs/signed-with-teamid", q, sizeof(q));
		csig__test_fail_alloc_after(n);
		csig_update_check *u = NULL;
		csig_error err;
		int e = csig_check_update(&u, q, q, "certificate leaf[subject.CN] = \"x\"", &err);
		csig__test_fail_alloc_after(0);
		ck_assert_msg(e == CSIG_OK || e == CSIG_E_NOMEM, "n=%ld: %s (%s)", n, err.msg,
			      csig_errname(e));
		csig_update_check_free(u);
		if (e == CSIG_OK)
			break;
	}
}
END_TEST

Suite *audit_suite(void)
{
	Suite *s = suite_create("audit");
	TCase *tc = tcase_create("requirements");
	tcase_add_test(tc, test_seed_cn_pinned_requirement);
	suite_add_tcase(s, tc);
	tc = tcase_create("check-update");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_check_update_real);
	tcase_add_test(tc, test_check_update_errors);
	suite_add_tcase(s, tc);
	tc = tcase_create("audit");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_audit_isign);
	tcase_add_test(tc, test_audit_developer_id);
	tcase_add_test(tc, test_audit_every_real_input);
	tcase_add_test(tc, test_seed_profile_in_developer_id);
	tcase_add_test(tc, test_cli_exit_codes);
	suite_add_tcase(s, tc);
	tc = tcase_create("hostile");
	tcase_set_timeout(tc, 300);
	tcase_add_test(tc, test_audit_errors);
	tcase_add_test(tc, test_audit_oom);
	suite_add_tcase(s, tc);
	return s;
}

CSIG_TEST_MAIN(audit_suite)
