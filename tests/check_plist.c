/*
 * check_plist.c - property lists: XML, binary, DER readers, findings,
 * serializers, hostile inputs.  Fixtures: testdata/plist (gen.py) and the
 * real plists under CSIG_FIXTURES_REAL.
 */
#include <math.h>
#include "testutil.h"
#include "util.h"
#include "plist_int.h"

/* ---- flat dump (the format of the .flat files in testdata/plist/good) ---- */

typedef struct { char *b; size_t n, cap; } sbuf;

static void sput(sbuf *s, const char *t)
{
	size_t k = strlen(t);
	if (s->n + k + 1 > s->cap) {
		s->cap = (s->n + k + 1) * 2;
		s->b = realloc(s->b, s->cap);
		ck_assert_ptr_nonnull(s->b);
	}
	memcpy(s->b + s->n, t, k + 1);
	s->n += k;
}

static void shex(sbuf *s, const uint8_t *p, size_t n)
{
	char h[3];
	for (size_t i = 0; i < n; i++) {
		snprintf(h, sizeof(h), "%02x", p[i]);
		sput(s, h);
	}
}

static void flat(sbuf *s, const csig_pval *v)
{
	char t[64];
	csig_bytes b;
	switch (csig_pval_type_of(v)) {
	case CSIG_PVAL_DICT:
		snprintf(t, sizeof(t), "D %zu\n", csig_pval_count(v));
		sput(s, t);
		for (size_t i = 0; i < csig_pval_count(v); i++) {
			sput(s, "K ");
			ck_assert_int_eq(csig_pval_string(csig_pval_dict_key(v, i), &b), 0);
			shex(s, b.ptr, b.len);
			sput(s, "\n");
			flat(s, csig_pval_dict_value(v, i));
		}
		break;
	case CSIG_PVAL_ARRAY:
		snprintf(t, sizeof(t), "A %zu\n", csig_pval_count(v));
		sput(s, t);
		for (size_t i = 0; i < csig_pval_count(v); i++)
			flat(s, csig_pval_array_item(v, i));
		break;
	case CSIG_PVAL_STRING:
		ck_assert_int_eq(csig_pval_string(v, &b), 0);
		sput(s, "S ");
		shex(s, b.ptr, b.len);
		sput(s, "\n");
		break;
	case CSIG_PVAL_DATA:
		ck_assert_int_eq(csig_pval_data(v, &b), 0);
		sput(s, "B ");
		shex(s, b.ptr, b.len);
		sput(s, "\n");
		break;
	case CSIG_PVAL_INTEGER: {
		int64_t i;
		uint64_t u;
		if (csig_pval_int(v, &i) == 0)
			snprintf(t, sizeof(t), "I %lld\n", (long long)i);
		else {
			ck_assert_int_eq(csig_pval_uint(v, &u), 0);
			snprintf(t, sizeof(t), "I %llu\n", (unsigned long long)u);
		}
		sput(s, t);
		break;
	}
	case CSIG_PVAL_REAL: {
		double d;
		uint64_t bits;
		ck_assert_int_eq(csig_pval_real(v, &d), 0);
		memcpy(&bits, &d, 8);
		snprintf(t, sizeof(t), "R %016llx\n", (unsigned long long)bits);
		sput(s, t);
		break;
	}
	case CSIG_PVAL_BOOL: {
		int x;
		ck_assert_int_eq(csig_pval_bool(v, &x), 0);
		sput(s, x ? "T\n" : "F\n");
		break;
	}
	case CSIG_PVAL_DATE: {
		int64_t q;
		ck_assert_int_eq(csig_pval_date(v, &q), 0);
		snprintf(t, sizeof(t), "Q %lld\n", (long long)q);
		sput(s, t);
		break;
	}
	case CSIG_PVAL_UID: {
		uint64_t u;
		ck_assert_int_eq(csig_pval_uid(v, &u), 0);
		snprintf(t, sizeof(t), "U %llu\n", (unsigned long long)u);
		sput(s, t);
		break;
	}
	default:
		ck_abort_msg("unknown node type %d", csig_pval_type_of(v));
	}
}

static char *flat_doc(const csig_plist *d)
{
	sbuf s = { NULL, 0, 0 };
	sput(&s, "");
	flat(&s, csig_plist_root(d));
	return s.b;
}

static unsigned char *td(const char *rel, size_t *len)
{
	char p[512];
	unsigned char *b = tu_read_file(tu_testdata(rel, p, sizeof(p)), len);
	ck_assert_msg(b != NULL, "cannot read %s", p);
	return b;
}

static csig_plist *parse_ok(const void *b, size_t n, unsigned flags)
{
	csig_plist *d = NULL;
	csig_error err;
	int e = csig_plist_parse(&d, b, n, flags, NULL, &err);
	ck_assert_msg(e == 0, "parse failed: %s (%s)", err.msg, csig_errname(e));
	ck_assert_ptr_nonnull(csig_plist_root(d));
	return d;
}

static csig_plist *parse_str(const char *s)
{
	return parse_ok(s, strlen(s), 0);
}

static int parse_err(const char *s)
{
	csig_plist *d = (csig_plist *)1;
	csig_error err;
	int e = csig_plist_parse(&d, s, strlen(s), 0, NULL, &err);
	ck_assert_ptr_null(d);
	if (e)
		ck_assert_msg(err.msg[0] != '\0', "error without message");
	return e;
}

/* ---- generated documents vs plistlib ---- */

static void check_generated(const char *ext, unsigned fmt)
{
	int seen = 0;
	for (int i = 0; i < 100; i++) {
		char rel[64], frel[64], p[512];
		snprintf(rel, sizeof(rel), "plist/good/%03d.%s", i, ext);
		snprintf(frel, sizeof(frel), "plist/good/%03d.flat", i);
		size_t n, fn;
		unsigned char *b = tu_read_file(tu_testdata(rel, p, sizeof(p)), &n);
		if (!b)
			continue;
		unsigned char *f = td(frel, &fn);
		csig_plist *d = parse_ok(b, n, 0);
		ck_assert_uint_eq(csig_plist_format(d), fmt);
		ck_assert_uint_eq(csig_plist_finding_count(d), 0);
		char *got = flat_doc(d);
		ck_assert_msg(strlen(got) == fn && memcmp(got, f, fn) == 0,
			      "%s: values differ from plistlib\n--- got\n%s--- want\n%.*s",
			      rel, got, (int)fn, (const char *)f);
		/* XML writer round trip */
		char *xml;
		size_t xl;
		ck_assert_int_eq(csig_plist_to_xml(d, NULL, &xml, &xl, NULL), 0);
		csig_plist *d2 = parse_ok(xml, xl, CSIG_PLIST_XML);
		char *got2 = flat_doc(d2);
		if (!strstr(got, "\nU ")) /* UIDs become CF$UID dicts in XML */
			ck_assert_str_eq(got, got2);
		/* JSON and text writers run cleanly */
		char *js, *tx;
		ck_assert_int_eq(csig_plist_to_json(d, NULL, 1, &js, NULL, NULL), 0);
		ck_assert_int_eq(csig_plist_to_text(d, NULL, &tx, NULL, NULL), 0);
		csig_free(js);
		csig_free(tx);
		free(got2);
		csig_plist_free(d2);
		csig_free(xml);
		free(got);
		csig_plist_free(d);
		free(b);
		free(f);
		seen++;
	}
	ck_assert_int_ge(seen, 15);
}

START_TEST(generated_xml) { check_generated("xml", CSIG_PLIST_XML); }
END_TEST

START_TEST(generated_bin) { check_generated("bplist", CSIG_PLIST_BINARY); }
END_TEST

/* ---- hostile fixtures ---- */

START_TEST(bad_manifest)
{
	size_t n;
	unsigned char *m = td("plist/bad/MANIFEST", &n);
	char *text = malloc(n + 1);
	memcpy(text, m, n);
	text[n] = '\0';
	int count = 0;
	for (char *line = strtok(text, "\n"); line; line = strtok(NULL, "\n")) {
		char name[128], want[64], rel[256];
		ck_assert_int_eq(sscanf(line, "%127s %63s", name, want), 2);
		snprintf(rel, sizeof(rel), "plist/bad/%s", name);
		size_t bn;
		unsigned char *b = td(rel, &bn);
		csig_plist *d = NULL;
		csig_error err;
		int e = csig_plist_parse(&d, b, bn, 0, NULL, &err);
		ck_assert_msg(strcmp(csig_errname(e), want) == 0,
			      "%s: got %s (%s), want %s", name, csig_errname(e),
			      e ? err.msg : "ok", want);
		ck_assert_ptr_null(d);
		ck_assert_int_eq(err.code, e);
		ck_assert(err.msg[0]);
		free(b);
		count++;
	}
	ck_assert_int_ge(count, 30);
	free(text);
	free(m);
}
END_TEST

static void sweep(const unsigned char *b, size_t n, int prefixes_fail)
{
	for (size_t k = 0; k < n; k++) {
		unsigned char *c = malloc(k ? k : 1);
		memcpy(c, b, k);
		csig_plist *d = NULL;
		csig_error err;
		int e = csig_plist_parse(&d, c, k, 0, NULL, &err);
		if (prefixes_fail)
			ck_assert_msg(e < 0, "prefix %zu of %zu parsed", k, n);
		if (!e)
			free(flat_doc(d));
		csig_plist_free(d);
		free(c);
	}
	uint64_t seed = 0x1234567 + n;
	unsigned char *c = malloc(n);
	for (int r = 0; r < 300; r++) {
		memcpy(c, b, n);
		for (int f = 0; f < 3; f++) {
			uint64_t x = tu_rand(&seed);
			c[x % n] ^= (unsigned char)(1u << ((x >> 32) & 7));
		}
		csig_plist *d = NULL;
		if (csig_plist_parse(&d, c, n, 0, NULL, NULL) == 0) {
			free(flat_doc(d));
			char *o;
			ck_assert_int_eq(csig_plist_to_xml(d, NULL, &o, NULL, NULL), 0);
			csig_free(o);
		}
		csig_plist_free(d);
	}
	free(c);
}

START_TEST(truncation_and_flips)
{
	const char *files[] = { "plist/good/001.xml", "plist/good/001.bplist",
				"plist/good/004.bplist", "plist/good/010.xml",
				"plist/good/010.bplist" };
	for (size_t i = 0; i < CSIG_ARRAY_LEN(files); i++) {
		size_t n;
		unsigned char *b = td(files[i], &n);
		sweep(b, n, strstr(files[i], "bplist") != NULL);
		free(b);
	}
	static const unsigned char der[] = {
		0x70, 0x25, 0x02, 0x01, 0x01, 0xb0, 0x20, 0x30, 0x08, 0x0c, 0x03, 0x6b,
		0x65, 0x79, 0x01, 0x01, 0x00, 0x30, 0x09, 0x0c, 0x04, 0x6b, 0x65, 0x79,
		0x32, 0x01, 0x01, 0xff, 0x30, 0x09, 0x0c, 0x04, 0x6b, 0x65, 0x79, 0x33,
		0x02, 0x01, 0x2a };
	sweep(der, sizeof(der), 1);
}
END_TEST

/* ---- XML details ---- */

START_TEST(xml_values)
{
	csig_plist *d = parse_str(
		"<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n"
		"<!DOCTYPE plist PUBLIC \"-//Apple//DTD PLIST 1.0//EN\" \"http://www.apple.com/DTDs/PropertyList-1.0.dtd\">\n"
		"<!-- leading comment -->\n"
		"<plist version=\"1.0\">\n<dict>\n"
		"\t<key>ent</key><string>&lt;a&gt; &amp; &quot;b&quot; &apos;c&apos; &#65;&#x42;&#x10348;</string>\n"
		"\t<key>cdata</key><string><![CDATA[<not a tag> & ]]>x</string>\n"
		"\t<key>hex</key><integer>0x1F</integer>\n"
		"\t<key>neg</key><integer> -42 </integer>\n"
		"\t<key>min</key><integer>-9223372036854775808</integer>\n"
		"\t<key>umax</key><integer>18446744073709551615</integer>\n"
		"\t<key>real</key><real>-1.5e3</real>\n"
		"\t<key>inf</key><real>+infinity</real>\n"
		"\t<key>date</key><date>2001-01-01T00:00:00Z</date>\n"
		"\t<key>data</key><data>\n\tAAEC\n\tAw==\n\t</data>\n"
		"\t<key>t</key><true/><key>f</key><false></false>\n"
		"\t<key>es</key><string/><key>ed</key><dict/><key>ea</key><array/>\n"
		"\t<key></key><string></string>\n"
		"</dict>\n</plist>\n");
	const csig_pval *r = csig_plist_root(d);
	ck_assert_int_eq(csig_pval_type_of(r), CSIG_PVAL_DICT);
	ck_assert_uint_eq(csig_pval_count(r), 16);
	size_t n;
	const char *s = csig_pval_cstr(csig_pval_dict_get(r, "ent"), &n);
	ck_assert_str_eq(s, "<a> & \"b\" 'c' AB\xf0\x90\x8d\x88");
	ck_assert_str_eq(csig_pval_cstr(csig_pval_dict_get(r, "cdata"), NULL), "<not a tag> & x");
	int64_t i;
	uint64_t u;
	ck_assert_int_eq(csig_pval_int(csig_pval_dict_get(r, "hex"), &i), 0);
	ck_assert_int_eq(i, 31);
	ck_assert_int_eq(csig_pval_int(csig_pval_dict_get(r, "neg"), &i), 0);
	ck_assert_int_eq(i, -42);
	ck_assert_int_eq(csig_pval_uint(csig_pval_dict_get(r, "neg"), &u), CSIG_E_OVERFLOW);
	ck_assert_int_eq(csig_pval_int(csig_pval_dict_get(r, "min"), &i), 0);
	ck_assert(i == INT64_MIN);
	ck_assert_int_eq(csig_pval_int(csig_pval_dict_get(r, "umax"), &i), CSIG_E_OVERFLOW);
	ck_assert_int_eq(csig_pval_uint(csig_pval_dict_get(r, "umax"), &u), 0);
	ck_assert(u == UINT64_MAX);
	double dv;
	ck_assert_int_eq(csig_pval_real(csig_pval_dict_get(r, "real"), &dv), 0);
	ck_assert(dv == -1500.0);
	ck_assert_int_eq(csig_pval_real(csig_pval_dict_get(r, "inf"), &dv), 0);
	ck_assert(isinf(dv) && dv > 0);
	ck_assert_int_eq(csig_pval_date(csig_pval_dict_get(r, "date"), &i), 0);
	ck_assert_int_eq(i, 978307200);
	csig_bytes b;
	ck_assert_int_eq(csig_pval_data(csig_pval_dict_get(r, "data"), &b), 0);
	ck_assert_uint_eq(b.len, 4);
	ck_assert(memcmp(b.ptr, "\0\1\2\3", 4) == 0);
	int t;
	ck_assert_int_eq(csig_pval_bool(csig_pval_dict_get(r, "t"), &t), 0);
	ck_assert_int_eq(t, 1);
	ck_assert_int_eq(csig_pval_bool(csig_pval_dict_get(r, "f"), &t), 0);
	ck_assert_int_eq(t, 0);
	ck_assert_int_eq(csig_pval_bool(csig_pval_dict_get(r, "es"), &t), CSIG_E_BADVALUE);
	ck_assert_str_eq(csig_pval_cstr(csig_pval_dict_get(r, "es"), NULL), "");
	ck_assert_uint_eq(csig_pval_count(csig_pval_dict_get(r, "ed")), 0);
	ck_assert_int_eq(csig_pval_type_of(csig_pval_dict_get(r, "ea")), CSIG_PVAL_ARRAY);
	ck_assert_ptr_nonnull(csig_pval_dict_getn(r, "", 0));
	ck_assert_ptr_null(csig_pval_dict_get(r, "absent"));
	ck_assert_ptr_null(csig_pval_dict_key(r, 16));
	ck_assert_ptr_null(csig_pval_array_item(r, 0));
	ck_assert_uint_eq(csig_plist_finding_count(d), 0);

	char *js;
	ck_assert_int_eq(csig_plist_to_json(d, NULL, 0, &js, NULL, NULL), 0);
	ck_assert_ptr_nonnull(strstr(js, "\"data\":\"AAECAw==\""));
	ck_assert_ptr_nonnull(strstr(js, "\"date\":\"2001-01-01T00:00:00Z\""));
	ck_assert_ptr_nonnull(strstr(js, "\"umax\":18446744073709551615"));
	ck_assert_ptr_nonnull(strstr(js, "\"min\":-9223372036854775808"));
	csig_free(js);
	char *x;
	ck_assert_int_eq(csig_plist_to_xml(d, NULL, &x, NULL, NULL), 0);
	ck_assert_ptr_nonnull(strstr(x, "<string>&lt;a&gt; &amp; \"b\" 'c' AB"));
	csig_plist *d2 = parse_str(x);
	ck_assert_int_eq(csig__pval_equal(csig_plist_root(d), csig_plist_root(d2)), 0);
	csig_plist_free(d2);
	csig_free(x);
	csig_plist_free(d);

	/* a bare value without the <plist> wrapper */
	d = parse_str("<array><integer>1</integer></array>");
	ck_assert_uint_eq(csig_pval_count(csig_plist_root(d)), 1);
	csig_plist_free(d);
}
END_TEST

static int has_finding(const csig_plist *d, int code)
{
	for (size_t i = 0; i < csig_plist_finding_count(d); i++) {
		int c;
		const char *m;
		ck_assert_int_eq(csig_plist_finding(d, i, &c, NULL, &m), 0);
		ck_assert_ptr_nonnull(m);
		if (c == code)
			return 1;
	}
	return 0;
}

START_TEST(xml_findings)
{
	static const struct { const char *doc; int code; } cases[] = {
		{ "<plist><dict><key>a</key><true/><key>a</key><false/></dict></plist>",
		  CSIG_PLIST_F_DUPLICATE_KEY },
		{ "<plist><dict><key>a<!---->b</key><true/></dict></plist>",
		  CSIG_PLIST_F_COMMENT_IN_TEXT },
		{ "<plist><!---><!-- x --><true/></plist>", CSIG_PLIST_F_ODD_COMMENT },
		{ "<plist><!-- a -- b --><true/></plist>", CSIG_PLIST_F_ODD_COMMENT },
		{ "<plist><dict><key >a</key><true/></dict></plist>", CSIG_PLIST_F_WHITESPACE },
		{ "<plist>< true/></plist>", CSIG_PLIST_F_WHITESPACE },
		{ "\xef\xbb\xbf<plist><true/></plist>", CSIG_PLIST_F_BOM },
		{ "<plist><string>\xc0\xaf</string></plist>", CSIG_PLIST_F_BAD_UTF8 },
		{ "<plist><string>\xed\xa0\x80</string></plist>", CSIG_PLIST_F_BAD_UTF8 },
		{ "<?xml version=\"1.0\" encoding=\"ISO-8859-1\"?><plist><true/></plist>",
		  CSIG_PLIST_F_ENCODING },
		{ "<plist><array><foo>x</foo><true/></array></plist>", CSIG_PLIST_F_UNKNOWN_TAG },
		{ "<plist><dict><key a=\"1\">k</key><true/></dict></plist>", CSIG_PLIST_F_ATTRIBUTE },
		{ "<plist><true/></plist><junk/>", CSIG_PLIST_F_TRAILING },
		{ "<plist><data>AA!=</data></plist>", CSIG_PLIST_F_NONCANONICAL },
	};
	for (size_t i = 0; i < CSIG_ARRAY_LEN(cases); i++) {
		csig_plist *d = parse_str(cases[i].doc);
		ck_assert_msg(has_finding(d, cases[i].code), "case %zu: no finding %s", i,
			      csig_plist_finding_name(cases[i].code));
		csig_plist_free(d);
	}
	/* duplicate: last wins for lookups, both entries are listed */
	csig_plist *d = parse_str(cases[0].doc);
	int t;
	ck_assert_uint_eq(csig_pval_count(csig_plist_root(d)), 2);
	ck_assert_int_eq(csig_pval_bool(csig_pval_dict_get(csig_plist_root(d), "a"), &t), 0);
	ck_assert_int_eq(t, 0);
	csig_plist_free(d);
	/* the comment is not part of the key */
	d = parse_str(cases[1].doc);
	ck_assert_ptr_nonnull(csig_pval_dict_get(csig_plist_root(d), "ab"));
	csig_plist_free(d);
	/* clean Apple-style document has none */
	d = parse_str("<?xml version=\"1.0\" encoding=\"UTF-8\"?>\n<plist version=\"1.0\">\n<dict>\n\t<key>a</key>\n\t<true/>\n</dict>\n</plist>\n");
	ck_assert_uint_eq(csig_plist_finding_count(d), 0);
	ck_assert_str_eq(csig_plist_finding_name(CSIG_PLIST_F_DUPLICATE_KEY), "duplicate-key");
	ck_assert_int_eq(csig_plist_finding(d, 0, NULL, NULL, NULL), CSIG_E_NOTFOUND);
	csig_plist_free(d);
}
END_TEST

START_TEST(xml_errors)
{
	ck_assert_int_eq(parse_err(""), CSIG_E_BADMAGIC);
	ck_assert_int_eq(parse_err("hello"), CSIG_E_BADMAGIC);
	ck_assert_int_eq(parse_err("<plist><key>a</key></plist>"), CSIG_E_SYNTAX);
	ck_assert_int_eq(parse_err("<plist><true>x</true></plist>"), CSIG_E_SYNTAX);
	ck_assert_int_eq(parse_err("<plist><integer></integer></plist>"), CSIG_E_BADVALUE);
	ck_assert_int_eq(parse_err("<plist><real>1.0x</real></plist>"), CSIG_E_BADVALUE);
	ck_assert_int_eq(parse_err("<plist><date>2020-01-01</date></plist>"), CSIG_E_BADVALUE);
	ck_assert_int_eq(parse_err("<plist><string>a<b/></string></plist>"), CSIG_E_SYNTAX);
	ck_assert_int_eq(parse_err("<plist><string>&#0;</string></plist>"), CSIG_E_BADVALUE);
	ck_assert_int_eq(parse_err("<plist><array>text</array></plist>"), CSIG_E_SYNTAX);
	ck_assert_int_eq(parse_err("<plist><array><true/>"), CSIG_E_SYNTAX);
	ck_assert_int_eq(parse_err("<plist><string>x</string"), CSIG_E_SYNTAX);
	/* limits from the options */
	csig_open_options o = CSIG_OPEN_OPTIONS_INIT;
	o.max_depth = 2;
	csig_plist *d = NULL;
	const char *deep = "<plist><array><array><array/></array></array></plist>";
	ck_assert_int_eq(csig_plist_parse(&d, deep, strlen(deep), 0, &o, NULL), CSIG_E_DEPTH);
	o.max_depth = 3;
	ck_assert_int_eq(csig_plist_parse(&d, deep, strlen(deep), 0, &o, NULL), 0);
	csig_plist_free(d);
	o.max_depth = 0;
	o.max_count = 3;
	const char *many = "<plist><array><true/><true/><true/></array></plist>";
	ck_assert_int_eq(csig_plist_parse(&d, many, strlen(many), 0, &o, NULL), CSIG_E_LIMIT);
	o.version = 99;
	ck_assert_int_eq(csig_plist_parse(&d, many, strlen(many), 0, &o, NULL), CSIG_E_INVAL);
	ck_assert_int_eq(csig_plist_parse(NULL, many, 3, 0, NULL, NULL), CSIG_E_INVAL);
	/* restricting the formats */
	ck_assert_int_eq(csig_plist_parse(&d, many, strlen(many), CSIG_PLIST_BINARY, NULL, NULL),
			 CSIG_E_BADMAGIC);
	ck_assert_int_eq(csig_plist_parse(&d, many, strlen(many), CSIG_PLIST_BINARY | CSIG_PLIST_DER,
					  NULL, NULL), CSIG_E_BADMAGIC);
}
END_TEST

/* ---- binary details ---- */

START_TEST(bin_values)
{
	/* array of: int 16-byte unsigned max, 8-byte -1, UTF-16 "é𝄞", shared string twice, set */
	static const unsigned char bp[] = {
		'b', 'p', 'l', 'i', 's', 't', '0', '0',
		/* 0 @8 */ 0xa5, 1, 2, 3, 3, 4,
		/* 1 @14 */ 0x14, 0, 0, 0, 0, 0, 0, 0, 0, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		/* 2 @31 */ 0x13, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff,
		/* 3 @40 */ 0x63, 0x00, 0xe9, 0xd8, 0x34, 0xdd, 0x1e,
		/* 4 @47 */ 0xc1, 2,
		/* table @49 */ 8, 14, 31, 40, 47,
		0, 0, 0, 0, 0, 0, 1, 1,
		0, 0, 0, 0, 0, 0, 0, 5, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 0, 49,
	};
	csig_plist *d = parse_ok(bp, sizeof(bp), 0);
	const csig_pval *r = csig_plist_root(d);
	ck_assert_uint_eq(csig_pval_count(r), 5);
	uint64_t u;
	int64_t i;
	ck_assert_int_eq(csig_pval_uint(csig_pval_array_item(r, 0), &u), 0);
	ck_assert(u == UINT64_MAX);
	ck_assert_int_eq(csig_pval_int(csig_pval_array_item(r, 1), &i), 0);
	ck_assert_int_eq(i, -1);
	ck_assert_str_eq(csig_pval_cstr(csig_pval_array_item(r, 2), NULL), "\xc3\xa9\xf0\x9d\x84\x9e");
	ck_assert_ptr_eq(csig_pval_array_item(r, 2), csig_pval_array_item(r, 3));
	const csig_pval *set = csig_pval_array_item(r, 4);
	ck_assert_int_eq(csig_pval_type_of(set), CSIG_PVAL_ARRAY);
	ck_assert_uint_eq(csig_pval_count(set), 1);
	csig_plist_free(d);
}
END_TEST

/* ---- DER ---- */

START_TEST(der_values)
{
	static const unsigned char v[] = {
		0x70, 0x16, 0x02, 0x01, 0x01, 0xb0, 0x11, 0x30, 0x0f, 0x0c, 0x03, 'k', 'e', 'y',
		0x30, 0x08, 0x01, 0x01, 0xff, 0x0c, 0x03, 'f', 'o', 'o' };
	csig_plist *d = parse_ok(v, sizeof(v), 0);
	ck_assert_uint_eq(csig_plist_format(d), CSIG_PLIST_DER);
	const csig_pval *a = csig_pval_dict_get(csig_plist_root(d), "key");
	ck_assert_uint_eq(csig_pval_count(a), 2);
	ck_assert_str_eq(csig_pval_cstr(csig_pval_array_item(a, 1), NULL), "foo");
	ck_assert_uint_eq(csig_plist_finding_count(d), 0);
	csig_plist_free(d);

	/* unsorted keys, non-minimal int, non-0xff true, long-form short length */
	static const unsigned char u[] = {
		0x70, 0x1e, 0x02, 0x01, 0x01, 0xb0, 0x19,
		0x30, 0x07, 0x0c, 0x01, 'b', 0x02, 0x02, 0x00, 0x05,
		0x30, 0x06, 0x0c, 0x01, 'a', 0x01, 0x01, 0x01,
		0x30, 0x81, 0x05, 0x0c, 0x01, 'c', 0x0c, 0x00 };
	d = parse_ok(u, sizeof(u), CSIG_PLIST_DER);
	ck_assert(has_finding(d, CSIG_PLIST_F_UNSORTED_KEYS));
	ck_assert(has_finding(d, CSIG_PLIST_F_NONCANONICAL));
	int64_t i;
	ck_assert_int_eq(csig_pval_int(csig_pval_dict_get(csig_plist_root(d), "b"), &i), 0);
	ck_assert_int_eq(i, 5);
	csig_plist_free(d);

	/* SET form at top level; 9-byte unsigned integer; OCTET STRING */
	static const unsigned char s[] = {
		0x31, 0x1a, 0x30, 0x0e, 0x0c, 0x01, 'u', 0x02, 0x09, 0x00, 0xff, 0xff, 0xff,
		0xff, 0xff, 0xff, 0xff, 0xff, 0x30, 0x08, 0x0c, 0x01, 'v', 0x04, 0x03, 1, 2, 3 };
	d = parse_ok(s, sizeof(s), 0);
	uint64_t uu;
	ck_assert_int_eq(csig_pval_uint(csig_pval_dict_get(csig_plist_root(d), "u"), &uu), 0);
	ck_assert(uu == UINT64_MAX);
	ck_assert_int_eq(csig_pval_type_of(csig_pval_dict_get(csig_plist_root(d), "v")), CSIG_PVAL_DATA);
	csig_plist_free(d);
}
END_TEST

/* ---- allocation failures ---- */

START_TEST(oom)
{
	size_t n;
	const char *files[] = { "plist/good/001.xml", "plist/good/004.bplist" };
	for (size_t f = 0; f < CSIG_ARRAY_LEN(files); f++) {
		unsigned char *b = td(files[f], &n);
		for (long k = 1; k < 10000; k++) {
			csig_plist *d = NULL;
			csig__test_fail_alloc_after(k);
			int e = csig_plist_parse(&d, b, n, 0, NULL, NULL);
			csig__test_fail_alloc_after(0);
			if (e == 0) {
				csig_plist_free(d);
				break;
			}
			ck_assert_int_eq(e, CSIG_E_NOMEM);
			ck_assert_ptr_null(d);
		}
		free(b);
	}
}
END_TEST

/* ---- real fixtures ---- */

static const char *const real_plists[] = {
	"isign/sample-entitlements.plist",
	"isign/Test.app/Info.plist",
	"isign/Test.app/_CodeSignature/CodeResources",
	"osx-sign/default.darwin.plist",
	"osx-sign/default.mas.plist",
	"osx-sign/default.mas.child.plist",
	"fastlane/very-capable-app.app/Info.plist",
	"fastlane/very-capable-app.app/_CodeSignature/CodeResources",
	"fastlane/very-capable-app.app/archived-expanded-entitlements.xcent",
	"fastlane/simulator-app.app/Info.plist",
	"fastlane/simulator-app.app/_CodeSignature/CodeResources",
	"app_info/FMDB.framework/Info.plist",
	"app_info/FMDB.framework/_CodeSignature/CodeResources",
	"app_info/NotificationService.appex/Info.plist",
	"app_info/NotificationService.appex/_CodeSignature/CodeResources",
	"app_info/plist.mobileprovision",
	"app_info/bplist.mobileprovision",
	"sparkle/DevSignedApp.app/Contents/Info.plist",
	"sparkle/DevSignedApp.app/Contents/_CodeSignature/CodeResources",
	"sparkle/CodeSignedOnly.bundle/Contents/Info.plist",
	"sparkle/CodeSignedOnly.bundle/Contents/_CodeSignature/CodeResources",
	"sparkle/CodeSignedInvalidOnly.bundle/Contents/Info.plist",
	"sparkle/CodeSignedInvalidOnly.bundle/Contents/_CodeSignature/CodeResources",
};

START_TEST(real_fixtures)
{
	const char *dir = tu_real_fixtures();
	if (!dir)
		return;
	int bin = 0;
	for (size_t i = 0; i < CSIG_ARRAY_LEN(real_plists); i++) {
		char p[1024];
		snprintf(p, sizeof(p), "%s/%s", dir, real_plists[i]);
		size_t n;
		unsigned char *b = tu_read_file(p, &n);
		ck_assert_msg(b != NULL, "missing %s", p);
		csig_plist *d = NULL;
		csig_error err;
		int e = csig_plist_parse(&d, b, n, 0, NULL, &err);
		ck_assert_msg(e == 0, "%s: %s", real_plists[i], err.msg);
		ck_assert_int_eq(csig_pval_type_of(csig_plist_root(d)), CSIG_PVAL_DICT);
		ck_assert_msg(csig_plist_finding_count(d) == 0 || strstr(p, "plist.mobileprovision"),
			      "%s: unexpected findings", real_plists[i]);
		if (csig_plist_format(d) == CSIG_PLIST_BINARY)
			bin++;
		/* the source bytes are kept exactly */
		csig_bytes src = csig_plist_source(d);
		ck_assert(src.len == n && memcmp(src.ptr, b, n) == 0);
		/* converting to XML keeps every value */
		char *x;
		size_t xl;
		ck_assert_int_eq(csig_plist_to_xml(d, NULL, &x, &xl, NULL), 0);
		csig_plist *d2 = parse_ok(x, xl, 0);
		ck_assert_int_eq(csig__pval_equal(csig_plist_root(d), csig_plist_root(d2)), 0);
		if (strstr(p, "CodeResources"))
			ck_assert_ptr_nonnull(csig_pval_dict_get(csig_plist_root(d), "files"));
		csig_plist_free(d2);
		csig_free(x);
		csig_plist_free(d);
		free(b);
	}
	ck_assert_int_ge(bin, 4);
}
END_TEST

Suite *plist_suite(void)
{
	Suite *s = suite_create("plist");
	TCase *tc = tcase_create("generated");
	tcase_add_test(tc, generated_xml);
	tcase_add_test(tc, generated_bin);
	suite_add_tcase(s, tc);
	tc = tcase_create("hostile");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, bad_manifest);
	tcase_add_test(tc, truncation_and_flips);
	tcase_add_test(tc, oom);
	suite_add_tcase(s, tc);
	tc = tcase_create("xml");
	tcase_add_test(tc, xml_values);
	tcase_add_test(tc, xml_findings);
	tcase_add_test(tc, xml_errors);
	suite_add_tcase(s, tc);
	tc = tcase_create("binary_der");
	tcase_add_test(tc, bin_values);
	tcase_add_test(tc, der_values);
	suite_add_tcase(s, tc);
	tc = tcase_create("real");
	tcase_add_test(tc, real_fixtures);
	suite_add_tcase(s, tc);
	return s;
}

CSIG_TEST_MAIN(plist_suite)
