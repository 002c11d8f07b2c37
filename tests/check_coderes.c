/* check_coderes.c - CodeResources parsing and rule matching (internal API). */
#include "testutil.h"
#include "coderes.h"

static const char *hdr =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\"><dict>";

/* Build a CodeResources document from a files2 body and a rules2 body. */
static char *doc(const char *files2, const char *rules2)
{
	size_t n = strlen(hdr) + strlen(files2) + strlen(rules2) + 128;
	char *s = malloc(n);
	snprintf(s, n, "%s<key>files2</key><dict>%s</dict><key>rules2</key><dict>%s</dict></dict></plist>",
		 hdr, files2, rules2);
	return s;
}

static csig__coderes *parse_ok(const char *text)
{
	csig__coderes *cr = NULL;
	csig_error err;
	memset(&err, 0, sizeof(err));
	int e = csig__coderes_parse(&cr, text, strlen(text), NULL, &err);
	ck_assert_msg(e == CSIG_OK, "parse: %d %s", e, err.msg);
	return cr;
}

static int has_finding(const csig__coderes *cr, const char *id)
{
	for (size_t i = 0; i < cr->fs.count; i++)
		if (!strcmp(cr->fs.items[i].id, id))
			return 1;
	return 0;
}

START_TEST(test_seal_forms)
{
	char *t = doc(
		"<key>a</key><data>AAAAAAAAAAAAAAAAAAAAAAAAAAA=</data>"
		"<key>b</key><dict><key>hash</key><data>AAAAAAAAAAAAAAAAAAAAAAAAAAA=</data>"
		"<key>hash2</key><data>AAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAAA=</data>"
		"<key>optional</key><true/></dict>"
		"<key>c</key><dict><key>symlink</key><string>x/y</string></dict>"
		"<key>d.framework</key><dict><key>cdhash</key><data>AAAAAAAAAAAAAAAAAAAAAAAAAAA=</data>"
		"<key>requirement</key><string>identifier \"d\"</string></dict>"
		"<key>e</key><string>nope</string>"
		"<key>f</key><dict><key>hash2</key><data>AAAA</data></dict>"
		"<key>g</key><dict><key>symlink</key><string>t</string><key>hash</key><data>AAAAAAAAAAAAAAAAAAAAAAAAAAA=</data></dict>"
		"<key>../escape</key><data>AAAAAAAAAAAAAAAAAAAAAAAAAAA=</data>",
		"<key>^.*</key><true/>");
	csig__coderes *cr = parse_ok(t);
	ck_assert_int_eq(cr->version, 2);
	const csig__seal *s = csig__coderes_find(cr, "a");
	ck_assert_ptr_nonnull(s);
	ck_assert_int_eq(s->kind, CSIG__SEAL_HASH);
	ck_assert_uint_eq(s->hash[1].len, 20);
	int ht;
	s = csig__coderes_find(cr, "b");
	ck_assert_int_eq(s->optional, 1);
	ck_assert_uint_eq(csig__seal_best_hash(s, &ht).len, 32);
	ck_assert_int_eq(ht, 2);
	s = csig__coderes_find(cr, "c");
	ck_assert_int_eq(s->kind, CSIG__SEAL_SYMLINK);
	ck_assert_str_eq(s->symlink, "x/y");
	s = csig__coderes_find(cr, "d.framework");
	ck_assert_int_eq(s->kind, CSIG__SEAL_NESTED);
	ck_assert_str_eq(s->requirement, "identifier \"d\"");
	ck_assert_int_eq(csig__coderes_find(cr, "e")->kind, CSIG__SEAL_BAD);
	ck_assert_int_eq(csig__coderes_find(cr, "f")->kind, CSIG__SEAL_BAD);
	ck_assert_int_eq(csig__coderes_find(cr, "g")->kind, CSIG__SEAL_BAD);
	ck_assert_ptr_null(csig__coderes_find(cr, "../escape"));
	ck_assert(has_finding(cr, "coderes-bad-path"));
	ck_assert(has_finding(cr, "coderes-seal-malformed"));
	ck_assert_ptr_null(csig__coderes_find(cr, "zzz"));
	csig__coderes_free(cr);
	free(t);
}
END_TEST

START_TEST(test_rules_weights)
{
	char *t = doc("",
		"<key>^.*</key><true/>"
		"<key>^</key><dict><key>weight</key><real>20</real></dict>"
		"<key>^Info\\.plist$</key><dict><key>omit</key><true/><key>weight</key><real>20</real></dict>"
		"<key>^(Frameworks|PlugIns)/</key><dict><key>nested</key><true/><key>weight</key><integer>10</integer></dict>"
		"<key>^.*\\.lproj/</key><dict><key>optional</key><true/><key>weight</key><real>1000</real></dict>"
		"<key>^(.*/)?\\.DS_Store$</key><dict><key>omit</key><true/><key>weight</key><real>2000</real></dict>");
	csig__coderes *cr = parse_ok(t);
	const csig__rule *r = csig__coderes_match(cr, "Info.plist");
	ck_assert_ptr_nonnull(r);
	ck_assert(r->flags & CSIG__RULE_OMIT); /* ties go to the omitting rule */
	r = csig__coderes_match(cr, "a/b/.DS_Store");
	ck_assert(r->flags & CSIG__RULE_OMIT);
	r = csig__coderes_match(cr, "en.lproj/x.strings");
	ck_assert(r->flags & CSIG__RULE_OPTIONAL);
	r = csig__coderes_match(cr, "Frameworks/X.framework");
	ck_assert(!(r->flags & CSIG__RULE_NESTED)); /* "^" (20) outweighs nested (10) */
	ck_assert(r->weight == 20);
	csig__coderes_free(cr);
	free(t);
	/* no rule matches: NULL */
	t = doc("", "<key>^Resources/</key><true/>");
	cr = parse_ok(t);
	ck_assert_ptr_null(csig__coderes_match(cr, "PkgInfo"));
	ck_assert_ptr_nonnull(csig__coderes_match(cr, "Resources/a"));
	csig__coderes_free(cr);
	free(t);
}
END_TEST

START_TEST(test_hostile_rules)
{
	char *t = doc("",
		"<key>(a)\\1</key><true/>"
		"<key>a{1000}</key><true/>"
		"<key>((a{30}){30}){30}</key><true/>"
		"<key>[</key><true/>"
		"<key>^x</key><string>weird</string>"
		"<key>^y</key><dict><key>weight</key><string>heavy</string></dict>");
	csig__coderes *cr = parse_ok(t);
	ck_assert(has_finding(cr, "coderes-rule-refused"));
	ck_assert(has_finding(cr, "coderes-rule-malformed"));
	ck_assert_ptr_null(csig__coderes_match(cr, "aa"));
	ck_assert_ptr_nonnull(csig__coderes_match(cr, "y")); /* default weight */
	csig__coderes_free(cr);
	free(t);
}
END_TEST

START_TEST(test_bad_documents)
{
	csig__coderes *cr = (csig__coderes *)1;
	csig_error err;
	const char *notdict = "<?xml version=\"1.0\"?><plist><array/></plist>";
	ck_assert_int_eq(csig__coderes_parse(&cr, notdict, strlen(notdict), NULL, &err),
			 CSIG_E_BADVALUE);
	ck_assert_ptr_null(cr);
	const char *files_arr = "<plist><dict><key>files2</key><array/></dict></plist>";
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(csig__coderes_parse(&cr, files_arr, strlen(files_arr), NULL, &err),
			 CSIG_E_BADVALUE);
	memset(&err, 0, sizeof(err));
	ck_assert_int_lt(csig__coderes_parse(&cr, "garbage", 7, NULL, &err), 0);
	ck_assert_int_eq(csig__coderes_parse(NULL, "x", 1, NULL, NULL), CSIG_E_INVAL);
	/* too many rules */
	size_t cap = 2048 * 40 + 256;
	char *big = malloc(cap);
	size_t o = (size_t)snprintf(big, cap, "<plist><dict><key>files2</key><dict/><key>rules2</key><dict>");
	for (int i = 0; i < 1100; i++)
		o += (size_t)snprintf(big + o, cap - o, "<key>^r%d</key><true/>", i);
	o += (size_t)snprintf(big + o, cap - o, "</dict></dict></plist>");
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(csig__coderes_parse(&cr, big, o, NULL, &err), CSIG_E_LIMIT);
	/* nesting bomb */
	o = (size_t)snprintf(big, cap, "<plist><dict><key>files2</key><dict><key>a</key>");
	for (int i = 0; i < 500; i++)
		o += (size_t)snprintf(big + o, cap - o, "<array>");
	memset(&err, 0, sizeof(err));
	ck_assert_int_lt(csig__coderes_parse(&cr, big, o, NULL, &err), 0);
	free(big);
}
END_TEST

START_TEST(test_real_files)
{
	const char *root = tu_real_fixtures();
	if (!root)
		return;
	static const struct { const char *rel; int version; size_t nseals; } cases[] = {
		{ "sparkle/DevSignedApp.app/Contents/_CodeSignature/CodeResources", 2, 1 },
		{ "isign/Test.app/_CodeSignature/CodeResources", 2, 18 },
		{ "fastlane/very-capable-app.app/_CodeSignature/CodeResources", 2, 8 },
		{ "app_info/FMDB.framework/_CodeSignature/CodeResources", 2, 0 },
		{ "sparkle/CodeSignedOnly.bundle/Contents/_CodeSignature/CodeResources", 2, 0 },
	};
	for (size_t i = 0; i < sizeof(cases) / sizeof(cases[0]); i++) {
		char p[1024];
		size_t len;
		snprintf(p, sizeof(p), "%s/%s", root, cases[i].rel);
		unsigned char *buf = tu_read_file(p, &len);
		ck_assert_ptr_nonnull(buf);
		csig__coderes *cr = NULL;
		csig_error err;
		memset(&err, 0, sizeof(err));
		ck_assert_int_eq(csig__coderes_parse(&cr, buf, len, NULL, &err), CSIG_OK);
		ck_assert_int_eq(cr->version, cases[i].version);
		ck_assert_uint_eq(cr->nseals, cases[i].nseals);
		ck_assert_uint_eq(cr->fs.count, 0);
		const csig__rule *r = csig__coderes_match(cr, "Info.plist");
		ck_assert(r && (r->flags & CSIG__RULE_OMIT));
		csig__coderes_free(cr);
		/* every prefix fails cleanly or parses */
		for (size_t n = 0; n < len; n += (n < 256 ? 1 : 7)) {
			unsigned char *cp = malloc(n ? n : 1);
			memcpy(cp, buf, n);
			cr = NULL;
			memset(&err, 0, sizeof(err));
			if (csig__coderes_parse(&cr, cp, n, NULL, &err) == CSIG_OK)
				csig__coderes_free(cr);
			free(cp);
		}
		free(buf);
	}
}
END_TEST

START_TEST(test_oom)
{
	char *t = doc("<key>a</key><data>AAAAAAAAAAAAAAAAAAAAAAAAAAA=</data>",
		      "<key>^.*</key><true/><key>(</key><true/>");
	for (long n = 1; n < 200; n++) {
		csig__test_fail_alloc_after(n);
		csig__coderes *cr = NULL;
		int e = csig__coderes_parse(&cr, t, strlen(t), NULL, NULL);
		csig__test_fail_alloc_after(0);
		if (e == CSIG_OK) {
			csig__coderes_free(cr);
			break;
		}
		ck_assert_int_eq(e, CSIG_E_NOMEM);
	}
	free(t);
}
END_TEST

Suite *coderes_suite(void)
{
	Suite *s = suite_create("coderes");
	TCase *tc = tcase_create("parse");
	tcase_add_test(tc, test_seal_forms);
	tcase_add_test(tc, test_rules_weights);
	tcase_add_test(tc, test_hostile_rules);
	tcase_add_test(tc, test_bad_documents);
	tcase_add_test(tc, test_oom);
	suite_add_tcase(s, tc);
	TCase *tr = tcase_create("real");
	tcase_set_timeout(tr, 60);
	tcase_add_test(tr, test_real_files);
	suite_add_tcase(s, tr);
	return s;
}

CSIG_TEST_MAIN(coderes_suite)
