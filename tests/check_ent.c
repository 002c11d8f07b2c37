/*
 * check_ent.c - entitlements blobs (XML 0xfade7171, DER 0xfade7172),
 * launch constraints (0xfade8181), XML vs DER comparison.
 * Vectors: FORMAT.md sections 4.3 and 10.
 */
#include "testutil.h"
#include "util.h"

static size_t unhex(const char *h, unsigned char *out, size_t cap)
{
	size_t n = 0;
	while (*h) {
		if (*h == ' ') {
			h++;
			continue;
		}
		unsigned v;
		ck_assert_int_eq(sscanf(h, "%2x", &v), 1);
		ck_assert_uint_lt(n, cap);
		out[n++] = (unsigned char)v;
		h += 2;
	}
	return n;
}

/* Wrap a payload in a blob header. */
static unsigned char *blob(uint32_t magic, const void *p, size_t n, size_t *len)
{
	unsigned char *b = malloc(n + 8);
	uint32_t l = (uint32_t)(n + 8);
	b[0] = (unsigned char)(magic >> 24); b[1] = (unsigned char)(magic >> 16);
	b[2] = (unsigned char)(magic >> 8); b[3] = (unsigned char)magic;
	b[4] = (unsigned char)(l >> 24); b[5] = (unsigned char)(l >> 16);
	b[6] = (unsigned char)(l >> 8); b[7] = (unsigned char)l;
	memcpy(b + 8, p, n);
	*len = n + 8;
	return b;
}

static csig_plist *ent_ok(const unsigned char *b, size_t n)
{
	csig_plist *d = NULL;
	csig_error err;
	int e = csig_ent_parse(&d, b, n, NULL, &err);
	ck_assert_msg(e == 0, "csig_ent_parse: %s", err.msg);
	return d;
}

static char *json_of(const csig_plist *d)
{
	char *j;
	ck_assert_int_eq(csig_plist_to_json(d, NULL, 0, &j, NULL, NULL), 0);
	return j;
}

START_TEST(format_vectors)
{
	static const struct { const char *hex; const char *json; } v[] = {
		{ "70 05 02 01 01 b0 00", "{}" },
		{ "70 0f 02 01 01 b0 0a 30 08 0c 03 6b 65 79 01 01 00", "{\"key\":false}" },
		{ "70 0f 02 01 01 b0 0a 30 08 0c 03 6b 65 79 01 01 ff", "{\"key\":true}" },
		{ "70 0f 02 01 01 b0 0a 30 08 0c 03 6b 65 79 02 01 ff", "{\"key\":-1}" },
		{ "70 0f 02 01 01 b0 0a 30 08 0c 03 6b 65 79 02 01 2a", "{\"key\":42}" },
		{ "70 0e 02 01 01 b0 09 30 07 0c 03 6b 65 79 0c 00", "{\"key\":\"\"}" },
		{ "70 0e 02 01 01 b0 09 30 07 0c 03 6b 65 79 30 00", "{\"key\":[]}" },
		{ "70 16 02 01 01 b0 11 30 0f 0c 03 6b 65 79 30 08 01 01 ff 0c 03 66 6f 6f",
		  "{\"key\":[true,\"foo\"]}" },
		{ "70 0e 02 01 01 b0 09 30 07 0c 03 6b 65 79 b0 00", "{\"key\":{}}" },
		{ "70 25 02 01 01 b0 20 30 08 0c 03 6b 65 79 01 01 00 30 09 0c 04 6b 65 79 32 01 01 ff 30 09 0c 04 6b 65 79 33 02 01 2a",
		  "{\"key\":false,\"key2\":true,\"key3\":42}" },
	};
	for (size_t i = 0; i < CSIG_ARRAY_LEN(v); i++) {
		unsigned char p[128];
		size_t n = unhex(v[i].hex, p, sizeof(p)), bl;
		/* bare payload through csig_plist_parse */
		csig_plist *d = NULL;
		ck_assert_int_eq(csig_plist_parse(&d, p, n, CSIG_PLIST_DER, NULL, NULL), 0);
		char *j = json_of(d);
		ck_assert_str_eq(j, v[i].json);
		ck_assert_uint_eq(csig_plist_finding_count(d), 0);
		csig_free(j);
		csig_plist_free(d);
		/* wrapped in a 0xfade7172 blob */
		unsigned char *b = blob(CSIG_ENT_MAGIC_DER, p, n, &bl);
		d = ent_ok(b, bl);
		ck_assert_uint_eq(csig_ent_magic(d), CSIG_ENT_MAGIC_DER);
		j = json_of(d);
		ck_assert_str_eq(j, v[i].json);
		csig_free(j);
		csig_bytes src = csig_plist_source(d);
		ck_assert(src.len == n && memcmp(src.ptr, p, n) == 0);
		csig_plist_free(d);
		/* every proper prefix of the blob fails cleanly */
		for (size_t k = 0; k < bl; k++) {
			unsigned char *c = malloc(k ? k : 1);
			memcpy(c, b, k);
			d = NULL;
			ck_assert_int_lt(csig_ent_parse(&d, c, k, NULL, NULL), 0);
			ck_assert_ptr_null(d);
			free(c);
		}
		free(b);
	}
}
END_TEST

/* FORMAT.md section 10 items 3 and 4: {get-task-allow: true} both ways. */
static const char der36[] =
	"fade7172 00000024 701a020101b01530130c0e6765742d7461736b2d616c6c6f770101ff";
static const char xml_gta[] =
	"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
	"<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
	"<plist version=\"1.0\">\n<dict>\n\t<key>get-task-allow</key>\n\t<true/>\n</dict>\n</plist>";

START_TEST(xml_and_der_agree)
{
	unsigned char b[64];
	size_t n = unhex(der36, b, sizeof(b)), xl;
	ck_assert_uint_eq(n, 36);
	csig_plist *der = ent_ok(b, n);
	ck_assert_int_eq(csig_ent_is_true(der, "get-task-allow"), 1);
	unsigned char *xb = blob(CSIG_ENT_MAGIC_XML, xml_gta, strlen(xml_gta), &xl);
	csig_plist *xml = ent_ok(xb, xl);
	ck_assert_uint_eq(csig_ent_magic(xml), CSIG_ENT_MAGIC_XML);
	ck_assert_uint_eq(csig_plist_format(xml), CSIG_PLIST_XML);
	/* the XML is kept byte for byte (slot -5 hashes it) */
	csig_bytes src = csig_plist_source(xml);
	ck_assert_uint_eq(src.len, strlen(xml_gta));
	ck_assert(memcmp(src.ptr, xml_gta, src.len) == 0);
	int v;
	ck_assert_int_eq(csig_ent_get_bool(xml, "get-task-allow", &v), 0);
	ck_assert_int_eq(v, 1);
	ck_assert_int_eq(csig_ent_get_bool(xml, "absent", &v), CSIG_E_NOTFOUND);
	csig_bytes s;
	ck_assert_int_eq(csig_ent_get_string(xml, "get-task-allow", &s), CSIG_E_BADVALUE);
	csig_ent_diff *df;
	ck_assert_int_eq(csig_ent_compare(&df, xml, der, NULL), 0);
	ck_assert_uint_eq(csig_ent_diff_count(df), 0);
	csig_ent_diff_free(df);
	/* DER -> XML for `csig ent --xml` */
	char *x;
	ck_assert_int_eq(csig_plist_to_xml(der, NULL, &x, NULL, NULL), 0);
	ck_assert_str_eq(x, "<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
			 "<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
			 "<plist version=\"1.0\">\n<dict>\n\t<key>get-task-allow</key>\n\t<true/>\n</dict>\n</plist>\n");
	csig_free(x);
	csig_plist_free(der);
	csig_plist_free(xml);
	free(xb);
}
END_TEST

START_TEST(differences)
{
	const char *x =
		"<plist><dict>"
		"<key>only-xml</key><true/>"
		"<key>a/b~c</key><string>x</string>"
		"<key>grp</key><array><string>g1</string><string>g2</string></array>"
		"<key>typ</key><integer>1</integer>"
		"<key>same</key><dict><key>k</key><false/></dict>"
		"</dict></plist>";
	/* DER: {a/b~c: "y", grp: ["g1"], only-der: true, same: {k: false}, typ: true} */
	static const char dh[] =
		"7049020101b044300a0c05612f627e630c0179300b0c0367727030040c026731300d0c086f"
		"6e6c792d6465720101ff30100c0473616d65b00830060c016b01010030080c037479700101ff";
	unsigned char q[128];
	size_t qn = unhex(dh, q, sizeof(q));
	csig_plist *der = NULL, *xml = NULL;
	csig_error err;
	ck_assert_msg(csig_plist_parse(&der, q, qn, 0, NULL, &err) == 0, "%s", err.msg);
	ck_assert_int_eq(csig_plist_parse(&xml, x, strlen(x), 0, NULL, NULL), 0);
	csig_ent_diff *df;
	ck_assert_int_eq(csig_ent_compare(&df, xml, der, NULL), 0);
	static const struct { int kind; const char *path; } want[] = {
		{ CSIG_ENT_DIFF_MISSING_IN_DER, "/only-xml" },
		{ CSIG_ENT_DIFF_VALUE, "/a~1b~0c" },
		{ CSIG_ENT_DIFF_MISSING_IN_DER, "/grp/1" },
		{ CSIG_ENT_DIFF_TYPE, "/typ" },
		{ CSIG_ENT_DIFF_MISSING_IN_XML, "/only-der" },
	};
	ck_assert_uint_eq(csig_ent_diff_count(df), CSIG_ARRAY_LEN(want));
	for (size_t i = 0; i < CSIG_ARRAY_LEN(want); i++) {
		int kind;
		const char *path;
		const csig_pval *xv, *dv;
		ck_assert_int_eq(csig_ent_diff_get(df, i, &kind, &path, &xv, &dv), 0);
		ck_assert_int_eq(kind, want[i].kind);
		ck_assert_str_eq(path, want[i].path);
		ck_assert(kind == CSIG_ENT_DIFF_MISSING_IN_XML ? xv == NULL : xv != NULL);
		ck_assert(kind == CSIG_ENT_DIFF_MISSING_IN_DER ? dv == NULL : dv != NULL);
	}
	ck_assert_int_eq(csig_ent_diff_get(df, 99, NULL, NULL, NULL, NULL), CSIG_E_NOTFOUND);
	ck_assert_str_eq(csig_ent_diff_kind_name(CSIG_ENT_DIFF_TYPE), "type");
	csig_ent_diff_free(df);
	csig_plist_free(der);
	csig_plist_free(xml);
}
END_TEST

START_TEST(blob_errors)
{
	unsigned char b[64];
	size_t n = unhex(der36, b, sizeof(b));
	csig_plist *d = NULL;
	csig_error err;
	ck_assert_int_eq(csig_ent_parse(&d, b, 4, NULL, &err), CSIG_E_TRUNCATED);
	ck_assert_int_eq(csig_ent_parse(&d, b, n - 1, NULL, &err), CSIG_E_TRUNCATED);
	ck_assert_int_eq(csig_ent_parse(NULL, b, n, NULL, &err), CSIG_E_INVAL);
	b[3] = 0x73;
	ck_assert_int_eq(csig_ent_parse(&d, b, n, NULL, &err), CSIG_E_BADMAGIC);
	b[3] = 0x72;
	b[7] = 4;
	ck_assert_int_eq(csig_ent_parse(&d, b, n, NULL, &err), CSIG_E_BADVALUE);
	b[7] = 0x24;
	/* an XML array is not an entitlements dictionary */
	size_t bl;
	const char *arr = "<plist><array/></plist>";
	unsigned char *xb = blob(CSIG_ENT_MAGIC_XML, arr, strlen(arr), &bl);
	ck_assert_int_eq(csig_ent_parse(&d, xb, bl, NULL, &err), CSIG_E_BADVALUE);
	free(xb);
	/* DER payload behind the XML magic */
	xb = blob(CSIG_ENT_MAGIC_XML, b + 8, n - 8, &bl);
	ck_assert_int_lt(csig_ent_parse(&d, xb, bl, NULL, &err), 0);
	ck_assert_ptr_null(d);
	free(xb);
	/* extra bytes after the blob's own length are ignored */
	unsigned char big[80];
	memcpy(big, b, n);
	memset(big + n, 0xee, sizeof(big) - n);
	d = ent_ok(big, sizeof(big));
	csig_plist_free(d);
}
END_TEST

START_TEST(launch_constraint)
{
	/* {ccat: 1, comp: 1, reqs: {team-identifier: "ABCDE12345"}, vers: 1} */
	static const char h[] =
		"7048020101b04330090c046363617402010130090c04636f6d7002010130200c0472657173"
		"b01830160c0f7465616d2d6964656e7469666965720c0341424330090c0476657273020101";
	unsigned char p[128];
	size_t n = unhex(h, p, sizeof(p)), bl;
	unsigned char *b = blob(CSIG_ENT_MAGIC_CONSTRAINT, p, n, &bl);
	csig_plist *d = ent_ok(b, bl);
	ck_assert_uint_eq(csig_ent_magic(d), CSIG_ENT_MAGIC_CONSTRAINT);
	int64_t v;
	ck_assert_int_eq(csig_ent_get_int(d, "ccat", &v), 0);
	ck_assert_int_eq(v, 1);
	const csig_pval *reqs = csig_ent_get(d, "reqs");
	ck_assert_str_eq(csig_pval_cstr(csig_pval_dict_get(reqs, "team-identifier"), NULL), "ABC");
	ck_assert_uint_eq(csig_plist_finding_count(d), 0);
	char *t;
	ck_assert_int_eq(csig_plist_to_text(d, NULL, &t, NULL, NULL), 0);
	ck_assert_ptr_nonnull(strstr(t, "\"team-identifier\" = \"ABC\";"));
	csig_free(t);
	csig_plist_free(d);
	free(b);
}
END_TEST

/* Every 0xfade7171/0xfade7172 blob found in the real Mach-O fixtures. */
static int scan_file(const char *path, int *xml_n, int *der_n)
{
	size_t n;
	unsigned char *b = tu_read_file(path, &n);
	if (!b)
		return 0;
	csig_plist *last_xml = NULL, *last_der = NULL;
	int pairs = 0;
	for (size_t i = 0; i + 8 <= n; i++) {
		if (b[i] != 0xfa || b[i + 1] != 0xde || b[i + 2] != 0x71 ||
		    (b[i + 3] != 0x71 && b[i + 3] != 0x72))
			continue;
		csig_plist *d = NULL;
		csig_error err;
		int e = csig_ent_parse(&d, b + i, n - i, NULL, &err);
		ck_assert_msg(e == 0, "%s @0x%zx: %s", path, i, err.msg);
		ck_assert_msg(csig_plist_finding_count(d) == 0, "%s @0x%zx: findings", path, i);
		if (b[i + 3] == 0x71) {
			(*xml_n)++;
			csig_plist_free(last_xml);
			last_xml = d;
		} else {
			(*der_n)++;
			csig_plist_free(last_der);
			last_der = d;
		}
		if (last_xml && last_der) {
			/* XML and DER of the same slice agree */
			csig_ent_diff *df;
			ck_assert_int_eq(csig_ent_compare(&df, last_xml, last_der, NULL), 0);
			ck_assert_msg(csig_ent_diff_count(df) == 0, "%s: XML and DER differ", path);
			csig_ent_diff_free(df);
			pairs++;
			csig_plist_free(last_xml);
			csig_plist_free(last_der);
			last_xml = last_der = NULL;
		}
	}
	csig_plist_free(last_xml);
	csig_plist_free(last_der);
	free(b);
	return pairs;
}

START_TEST(real_blobs)
{
	const char *dir = tu_real_fixtures();
	if (!dir)
		return;
	static const char *const files[] = {
		"sparkle/DevSignedApp.app/Contents/MacOS/SignedApp",
		"isign/Test.app/isignTestApp",
		"fastlane/very-capable-app.app/very-capable-app",
		"app_info/FMDB.framework/FMDB",
		"app_info/NotificationService.appex/NotificationService",
		"app_info/libswiftPhotos.dylib",
	};
	int xml_n = 0, der_n = 0, pairs = 0;
	for (size_t i = 0; i < CSIG_ARRAY_LEN(files); i++) {
		char p[1024];
		snprintf(p, sizeof(p), "%s/%s", dir, files[i]);
		pairs += scan_file(p, &xml_n, &der_n);
	}
	ck_assert_int_ge(xml_n, 5);
	ck_assert_int_ge(der_n, 1);
	ck_assert_int_ge(pairs, 1);
}
END_TEST


/* Xcode writes DER dictionaries in DER SET order (short entries first), not
 * key order: that is canonical and must not be flagged; neither order is. */
static size_t count_unsorted(const uint8_t *der, size_t n)
{
	csig_plist *p;
	ck_assert_int_eq(csig_plist_parse(&p, der, n, CSIG_PLIST_DER, NULL, NULL), CSIG_OK);
	size_t hits = 0;
	for (size_t i = 0; i < csig_plist_finding_count(p); i++) {
		int code;
		if (csig_plist_finding(p, i, &code, NULL, NULL) == CSIG_OK &&
		    code == CSIG_PLIST_F_UNSORTED_KEYS)
			hits++;
	}
	csig_plist_free(p);
	return hits;
}

START_TEST(der_set_order)
{
	/* {"bb": true, "a": "xyz"}: entry 1 is 0x30 0x07..., entry 2 0x30 0x08...:
	 * DER SET order holds although "bb" > "a" */
	static const uint8_t set_order[] = {
		0x70, 0x18, 0x02, 0x01, 0x01, 0xb0, 0x13,
		0x30, 0x07, 0x0c, 0x02, 'b', 'b', 0x01, 0x01, 0xff,
		0x30, 0x08, 0x0c, 0x01, 'a', 0x0c, 0x03, 'x', 'y', 'z' };
	ck_assert_uint_eq(count_unsorted(set_order, sizeof(set_order)), 0);
	/* {"bb": "xyz", "a": true}: neither key order nor DER SET order */
	static const uint8_t neither[] = {
		0x70, 0x18, 0x02, 0x01, 0x01, 0xb0, 0x13,
		0x30, 0x09, 0x0c, 0x02, 'b', 'b', 0x0c, 0x03, 'x', 'y', 'z',
		0x30, 0x06, 0x0c, 0x01, 'a', 0x01, 0x01, 0xff };
	ck_assert_uint_eq(count_unsorted(neither, sizeof(neither)), 1);
}
END_TEST

Suite *ent_suite(void)
{
	Suite *s = suite_create("ent");
	TCase *tc = tcase_create("vectors");
	tcase_add_test(tc, format_vectors);
	tcase_add_test(tc, der_set_order);
	tcase_add_test(tc, xml_and_der_agree);
	tcase_add_test(tc, launch_constraint);
	suite_add_tcase(s, tc);
	tc = tcase_create("compare");
	tcase_add_test(tc, differences);
	suite_add_tcase(s, tc);
	tc = tcase_create("errors");
	tcase_add_test(tc, blob_errors);
	suite_add_tcase(s, tc);
	tc = tcase_create("real");
	tcase_add_test(tc, real_blobs);
	suite_add_tcase(s, tc);
	return s;
}

CSIG_TEST_MAIN(ent_suite)
