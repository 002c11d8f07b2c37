/*
 * check_req.c - code requirements: decoding, Apple-exact text, compiling,
 * evaluation, hostile input.
 */
#include <stdint.h>
#include "testutil.h"
#include "req_int.h"

/* ---- helpers ------------------------------------------------------------ */

static size_t unhex(const char *h, uint8_t *out, size_t cap)
{
	size_t n = 0;
	while (*h) {
		if (*h == ' ' || *h == '|' || *h == '\n') {
			h++;
			continue;
		}
		unsigned v;
		ck_assert_int_eq(sscanf(h, "%2x", &v), 1);
		ck_assert_uint_lt(n, cap);
		out[n++] = (uint8_t)v;
		h += 2;
	}
	return n;
}

/* Wrap an expression body (after the kind word) into a requirement blob. */
static size_t wrap(const char *body_hex, uint8_t *out, size_t cap)
{
	size_t n = unhex(body_hex, out + 12, cap - 12) + 12;
	uint8_t hdr[12] = { 0xfa, 0xde, 0x0c, 0x00, 0, 0, 0, 0, 0, 0, 0, 1 };
	hdr[4] = (uint8_t)(n >> 24);
	hdr[5] = (uint8_t)(n >> 16);
	hdr[6] = (uint8_t)(n >> 8);
	hdr[7] = (uint8_t)n;
	memcpy(out, hdr, 12);
	return n;
}

static char *text_of(const uint8_t *b, size_t n)
{
	csig_req *q = NULL;
	csig_error err = { 0 };
	int e = csig_req_parse(&q, b, n, NULL, &err);
	ck_assert_msg(e == 0, "parse: %s", err.msg);
	char *t = NULL;
	size_t len = 0;
	ck_assert_int_eq(csig_req_to_text(q, &t, &len, NULL), 0);
	ck_assert_uint_eq(len, strlen(t));
	csig_req_free(q);
	return t;
}

/* compile(text) -> decode -> text */
static char *recompile(const char *text, int *is_set)
{
	uint8_t *o = NULL;
	size_t ol = 0;
	csig_error err = { 0 };
	int set = -1;
	int e = csig_req_compile(text, strlen(text), &o, &ol, &set, &err);
	ck_assert_msg(e == 0, "compile [%s]: %s", text, err.msg);
	char *t = NULL;
	if (set) {
		csig_reqset *s = NULL;
		ck_assert_int_eq(csig_reqset_parse(&s, o, ol, NULL, NULL), 0);
		ck_assert_int_eq(csig_reqset_to_text(s, &t, NULL, NULL), 0);
		csig_reqset_free(s);
	} else {
		t = text_of(o, ol);
	}
	csig_free(o);
	if (is_set)
		*is_set = set;
	return t;
}

/* ---- byte-exact single-op vectors: text <-> body ------------------------ */

#define H20 "0102030405060708090a0b0c0d0e0f1011121314"
static const struct { const char *text; const char *body; int compiles_same; } ops[] = {
	{ "never", "00000000", 1 },
	{ "always", "00000001", 1 },
	{ "identifier \"foo.bar\"", "00000002 00000007 666f6f2e62617200", 1 },
	{ "anchor apple", "00000003", 1 },
	{ "certificate leaf = H\"" H20 "\"", "00000004 00000000 00000014" H20, 1 },
	{ "info[CFBundleName] = Foo", "00000005 0000000c 434642756e646c654e616d65 00000003 466f6f00", 0 },
	{ "identifier a and identifier b", "00000006 00000002 00000001 61000000 00000002 00000001 62000000", 1 },
	{ "identifier a or identifier b", "00000007 00000002 00000001 61000000 00000002 00000001 62000000", 1 },
	{ "cdhash H\"" H20 "\"", "00000008 00000014" H20, 1 },
	{ "! identifier a", "00000009 00000002 00000001 61000000", 1 },
	{ "info[CFBundleVersion] = \"1.0\"", "0000000a 0000000f 434642756e646c6556657273696f6e00 00000001 00000003 312e3000", 1 },
	{ "certificate leaf[subject.CN] = foo", "0000000b 00000000 0000000a 7375626a6563742e434e0000 00000001 00000003 666f6f00", 1 },
	{ "certificate 1trusted", "0000000c 00000001", 1 },
	{ "certificate leaftrusted", "0000000c 00000000", 1 },
	{ "anchor trusted", "0000000d", 1 },
	{ "certificate leaf[field.1.2.840.113635.100.6.1.13] /* exists */", "0000000e 00000000 0000000a 2a864886f7636406010d0000 00000000", 1 },
	{ "anchor apple generic", "0000000f", 1 },
	{ "entitlement[\"get-task-allow\"] /* exists */", "00000010 0000000e 6765742d7461736b2d616c6c6f770000 00000000", 1 },
	{ "certificate root[policy.1.2.840.113635.100.5.1] /* exists */", "00000011 ffffffff 00000009 2a864886f763640501000000 00000000", 1 },
	{ "anchor apple foo", "00000012 00000003 666f6f00", 1 },
	{ "(foo)", "00000013 00000003 666f6f00", 1 },
	{ "platform = 7", "00000014 00000007", 1 },
	{ "notarized", "00000015", 1 },
	{ "certificate leaf[timestamp.1.2.840.113635.100.6.1.33] < timestamp \"20190408000000Z\"",
	  "00000016 00000000 0000000a 2a864886f763640601210000 0000000a 00000000225ac680", 1 },
	{ "legacy", "00000017", 1 },
	{ "certificate -2[subject.O] = x", "0000000b fffffffe 00000009 7375626a6563742e4f000000 00000001 00000001 78000000", 1 },
	{ "certificate 3 = H\"" H20 "\"", "00000004 00000003 00000014" H20, 1 },
	/* match operations on info[k] */
	{ "info[k] /* exists */", "0000000a 00000001 6b000000 00000000", 1 },
	{ "info[k] = v", "0000000a 00000001 6b000000 00000001 00000001 76000000", 1 },
	{ "info[k] ~ v", "0000000a 00000001 6b000000 00000002 00000001 76000000", 1 },
	{ "info[k] = v*", "0000000a 00000001 6b000000 00000003 00000001 76000000", 1 },
	{ "info[k] = *v", "0000000a 00000001 6b000000 00000004 00000001 76000000", 1 },
	{ "info[k] < v", "0000000a 00000001 6b000000 00000005 00000001 76000000", 1 },
	{ "info[k] > v", "0000000a 00000001 6b000000 00000006 00000001 76000000", 1 },
	{ "info[k] <= v", "0000000a 00000001 6b000000 00000007 00000001 76000000", 1 },
	{ "info[k] >= v", "0000000a 00000001 6b000000 00000008 00000001 76000000", 1 },
	{ "info[k] = timestamp \"20190408000000Z\"", "0000000a 00000001 6b000000 00000009 00000000225ac680", 1 },
	{ "info[k] < timestamp \"20190408000000Z\"", "0000000a 00000001 6b000000 0000000a 00000000225ac680", 1 },
	{ "info[k] > timestamp \"20190408000000Z\"", "0000000a 00000001 6b000000 0000000b 00000000225ac680", 1 },
	{ "info[k] <= timestamp \"20190408000000Z\"", "0000000a 00000001 6b000000 0000000c 00000000225ac680", 1 },
	{ "info[k] >= timestamp \"20190408000000Z\"", "0000000a 00000001 6b000000 0000000d 00000000225ac680", 1 },
	{ "info[k] absent ", "0000000a 00000001 6b000000 0000000e", 1 },
	{ "info[k] = timestamp \"20010101000000Z\"", "0000000a 00000001 6b000000 00000009 0000000000000000", 1 },
	{ "info[k] = timestamp \"20001231235959Z\"", "0000000a 00000001 6b000000 00000009 ffffffffffffffff", 1 },
};

START_TEST(test_op_vectors)
{
	for (size_t i = 0; i < CSIG_ARRAY_LEN(ops); i++) {
		uint8_t b[512];
		size_t n = wrap(ops[i].body, b, sizeof(b));
		char *t = text_of(b, n);
		ck_assert_msg(strcmp(t, ops[i].text) == 0, "op %zu: got [%s] want [%s]", i, t, ops[i].text);
		csig_free(t);
		uint8_t *o = NULL;
		size_t ol = 0;
		csig_error err = { 0 };
		ck_assert_msg(csig_req_compile(ops[i].text, strlen(ops[i].text), &o, &ol, NULL, &err) == 0,
			      "compile %zu: %s", i, err.msg);
		if (ops[i].compiles_same)
			ck_assert_msg(ol == n && memcmp(o, b, n) == 0, "op %zu: compiled bytes differ", i);
		t = text_of(o, ol);
		ck_assert_msg(strcmp(t, ops[i].text) == 0, "op %zu round trip: [%s]", i, t);
		csig_free(t);
		csig_free(o);
	}
}
END_TEST

/* FORMAT.md 10, vectors 5 and 8. */
START_TEST(test_format_vectors)
{
	uint8_t b[512];
	size_t n = unhex("fade0c01 00000050 00000001 00000003 00000014 | fade0c00 0000003c 00000001 | 00000006 | 00000002 00000003 65786500 | 00000004 ffffffff 00000014 e1c7216e46533c923b7cfc94e86c7043790b96e9", b, sizeof(b));
	csig_reqset *s = NULL;
	ck_assert_int_eq(csig_reqset_parse(&s, b, n, NULL, NULL), 0);
	ck_assert_uint_eq(csig_reqset_count(s), 1);
	ck_assert_uint_eq(csig_reqset_type(s, 0), CSIG_REQ_TYPE_DESIGNATED);
	ck_assert_ptr_eq(csig_reqset_find(s, 3), csig_reqset_get(s, 0));
	ck_assert_ptr_null(csig_reqset_find(s, 1));
	ck_assert_ptr_null(csig_reqset_get(s, 1));
	ck_assert_uint_eq(csig_reqset_raw(s).len, 80);
	ck_assert_uint_eq(csig_req_raw(csig_reqset_get(s, 0)).len, 60);
	char *t = NULL;
	ck_assert_int_eq(csig_reqset_to_text(s, &t, NULL, NULL), 0);
	ck_assert_str_eq(t, "designated => identifier exe and certificate root = H\"e1c7216e46533c923b7cfc94e86c7043790b96e9\"\n");
	uint8_t *o = NULL;
	size_t ol = 0;
	int set = 0;
	ck_assert_int_eq(csig_req_compile(t, strlen(t), &o, &ol, &set, NULL), 0);
	ck_assert_int_eq(set, 1);
	ck_assert(ol == n && memcmp(o, b, n) == 0);   /* byte-exact */
	csig_free(o);
	csig_free(t);
	csig_json j;
	json_init(&j, 0);
	csig__reqset_json(&j, s);
	char *js = NULL;
	size_t jl = 0;
	ck_assert_int_eq(json_finish(&j, &js, &jl, NULL), 0);
	ck_assert_ptr_nonnull(strstr(js, "\"type_name\":\"designated\""));
	ck_assert_ptr_nonnull(strstr(js, "\"raw\":\"fade0c01"));
	csig_free(js);
	csig_reqset_free(s);

	n = unhex("fade0c00 0000009c 00000001 00000006 00000002 0000000f 636f6d2e6578616d706c652e61707000 00000006 0000000f 00000006 0000000e 00000001 0000000a 2a864886f76364060206 0000 00000000 00000006 0000000e 00000000 0000000a 2a864886f7636406010d 0000 00000000 0000000b 00000000 0000000a 7375626a6563742e4f55 0000 00000001 0000000a 41424344453132333435 0000", b, sizeof(b));
	const char *want = "identifier \"com.example.app\" and anchor apple generic and certificate 1[field.1.2.840.113635.100.6.2.6] /* exists */ and certificate leaf[field.1.2.840.113635.100.6.1.13] /* exists */ and certificate leaf[subject.OU] = ABCDE12345";
	t = text_of(b, n);
	ck_assert_str_eq(t, want);
	csig_free(t);
	t = recompile(want, &set);
	ck_assert_int_eq(set, 0);
	ck_assert_str_eq(t, want);
	csig_free(t);
}
END_TEST

/* ---- Apple text exactness ----------------------------------------------- */

static const struct { const char *body; const char *text; } quoting[] = {
	/* dotted identifiers are quoted (dotOkay only for keys) */
	{ "00000002 00000012 636f6d2e6170706c652e546578744564697400", "identifier \"com.apple.TextEdit\"" },
	{ "00000002 00000003 65786500", "identifier exe" },
	/* keywords are quoted; the empty string prints as "" */
	{ "00000002 00000006 616e63686f720000", "identifier \"anchor\"" },
	{ "00000002 00000000", "identifier \"\"" },
	/* digit-leading team id quoted, letter-leading not */
	{ "0000000b 00000000 0000000a 7375626a6563742e4f550000 00000001 0000000a 32425541384334533243 0000", "certificate leaf[subject.OU] = \"2BUA8C4S2C\"" },
	{ "0000000b 00000000 0000000a 7375626a6563742e4f550000 00000001 0000000a 534b4d4d453945325938 0000", "certificate leaf[subject.OU] = SKMME9E2Y8" },
	/* non-ASCII UTF-8 prints as hex; control bytes too */
	{ "00000002 00000004 63c3a961", "identifier 0x63c3a961" },
	{ "00000002 00000002 610100 00", "identifier 0x6101" },
	/* quotes and backslashes escaped; space makes it printable */
	{ "00000002 00000005 61222062 5c000000", "identifier \"a\\\" b\\\\\"" },
	/* keys: dots ok, but a digit first is quoted */
	{ "00000010 00000003 312e6100 00000000", "entitlement[\"1.a\"] /* exists */" },
	{ "0000000a 00000007 612e622e632e6400 00000000", "info[a.b.c.d] /* exists */" },
	/* parentheses by precedence */
	{ "00000006 00000007 00000001 00000000 00000001", "(always or never) and always" },
	{ "00000007 00000006 00000001 00000000 00000001", "always and never or always" },
	{ "00000009 00000006 00000001 00000000", "! (always and never)" },
	{ "00000009 00000009 00000001", "! ! always" },
	{ "00000006 00000001 00000006 00000000 00000001", "always and never and always" },
	/* flagged unknown opcodes are skipped by size */
	{ "80000030 00000004 deadbeef", "false /* opcode 48 */" },
	{ "00000006 40000031 00000003 aabbcc 00000001 00000000", "/* opcode 49 */ always and never" },
	/* an OID that is not canonical prints as hex (still compiles) */
	{ "0000000e 00000000 00000002 2a800000 00000000", "certificate leaf[field.0x2a80] /* exists */" },
	{ "00000014 fffffffb", "platform = -5" },
	{ "0000000a 00000001 6b000000 00000009 7fffffffffffffff", "info[k] = timestamp \"@9223372036854775807\"" },
};

START_TEST(test_quoting)
{
	for (size_t i = 0; i < CSIG_ARRAY_LEN(quoting); i++) {
		uint8_t b[256];
		size_t n = wrap(quoting[i].body, b, sizeof(b));
		char *t = text_of(b, n);
		ck_assert_msg(strcmp(t, quoting[i].text) == 0, "case %zu: got [%s] want [%s]",
			      i, t, quoting[i].text);
		/* every printed text compiles, and the text of that is stable */
		char *t2 = recompile(t, NULL);
		char *t3 = recompile(t2, NULL);
		ck_assert_str_eq(t2, t3);
		csig_req *q = NULL;
		ck_assert_int_eq(csig_req_parse(&q, b, n, NULL, NULL), 0);
		if (csig__req_roundtrip_class(q) == 0)
			ck_assert_msg(strcmp(t, t2) == 0, "case %zu: [%s] -> [%s]", i, t, t2);
		csig_req_free(q);
		csig_free(t);
		csig_free(t2);
		csig_free(t3);
	}
}
END_TEST

/* FORMAT.md 3.6, placeholders filled in: text -> binary -> text is stable. */
static const char *const real_strings[] = {
	"anchor apple",
	"anchor apple generic and certificate leaf[field.1.2.840.113635.100.6.1.9] /* exists */",
	"anchor apple generic and certificate 1[field.1.2.840.113635.100.6.2.6] /* exists */ and certificate leaf[field.1.2.840.113635.100.6.1.13] /* exists */",
	"anchor apple generic and certificate 1[field.1.2.840.113635.100.6.2.6] /* exists */ and (certificate leaf[field.1.2.840.113635.100.6.1.14] /* exists */ or certificate leaf[field.1.2.840.113635.100.6.1.13] /* exists */)",
	"anchor apple generic and certificate 1[subject.CN] = \"Apple Software Update Certification Authority\"",
	"anchor apple generic and certificate 1[field.1.2.840.113635.100.6.2.6] /* exists */ and certificate leaf[field.1.2.840.113635.100.6.1.13] /* exists */ and (certificate leaf[timestamp.1.2.840.113635.100.6.1.33] absent  or certificate leaf[timestamp.1.2.840.113635.100.6.1.33] < timestamp \"20190408000000Z\")",
	"anchor apple generic and certificate 1[field.1.2.840.113635.100.6.2.6] /* exists */ and certificate leaf[field.1.2.840.113635.100.6.1.13] /* exists */ and legacy",
	"anchor apple generic and certificate 1[field.1.2.840.113635.100.6.2.6] /* exists */ and certificate leaf[field.1.2.840.113635.100.6.1.13] /* exists */ and notarized",
	"identifier \"com.apple.TextEdit\" and anchor apple",
	"anchor apple generic and identifier \"com.example.apple-samplecode.AppWithTool\" and (certificate leaf[field.1.2.840.113635.100.6.1.9] /* exists */ or certificate 1[field.1.2.840.113635.100.6.2.6] /* exists */ and certificate leaf[field.1.2.840.113635.100.6.1.13] /* exists */ and certificate leaf[subject.OU] = SKMME9E2Y8)",
	"(anchor apple generic and certificate leaf[field.1.2.840.113635.100.6.1.9] /* exists */ or anchor apple generic and certificate 1[field.1.2.840.113635.100.6.2.6] /* exists */ and certificate leaf[field.1.2.840.113635.100.6.1.13] /* exists */ and certificate leaf[subject.OU] = K36BKF7T3D) and identifier \"com.apple.iWork.Numbers\"",
	"identifier \"com.example.App\" and anchor apple generic and certificate leaf[subject.CN] = \"Apple Development: Jane Doe (ABCDE12345)\" and certificate 1[field.1.2.840.113635.100.6.2.1] /* exists */",
	"identifier \"com.example.X\" and anchor apple generic and certificate 1[field.1.2.840.113635.100.6.2.6] /* exists */ and certificate leaf[field.1.2.840.113635.100.6.1.13] /* exists */ and certificate leaf[subject.OU] = TEAMID1234",
	"cdhash H\"17c791e1d0abc8bb1231f600176aa39b31dfae66\"",
	"cdhash H\"17c791e1d0abc8bb1231f600176aa39b31dfae66\" or cdhash H\"0000000000000000000000000000000000000001\"",
	"identifier exe and certificate root = H\"e1c7216e46533c923b7cfc94e86c7043790b96e9\"",
	"designated => identifier \"org.sparkle-project.Sparkle.SUUpdateValidatorTestBundle.CodeSigned\"\n",
	"host => anchor apple and identifier \"com.apple.launchd\"\ndesignated => identifier exe\nlibrary => always\n",
	"/*unknown type*/ 9 => never\n",
	"invalid => never\n",
};

START_TEST(test_real_strings_stable)
{
	for (size_t i = 0; i < CSIG_ARRAY_LEN(real_strings); i++) {
		char *t = recompile(real_strings[i], NULL);
		ck_assert_msg(strcmp(t, real_strings[i]) == 0, "[%s] -> [%s]", real_strings[i], t);
		csig_free(t);
	}
}
END_TEST

/* Source forms the decompiler normalises. */
START_TEST(test_compile_forms)
{
	static const struct { const char *in, *out; } forms[] = {
		{ "anchor apple generic and certificate leaf[field.1.2.840.113635.100.6.1.9] exists", "anchor apple generic and certificate leaf[field.1.2.840.113635.100.6.1.9] /* exists */" },
		{ "certificate leaf[extension.1.2.3]", "certificate leaf[field.1.2.3] /* exists */" },
		{ "identifier == \"a\" // comment\n and true # shell comment\n and false", "identifier a and always and never" },
		{ "anchor generic apple", "anchor apple generic" },
		{ "cert 2[subject.CN] = *x*", "certificate 2[subject.CN] ~ x" },
		{ "anchor[subject.CN] = \"x y\"", "certificate root[subject.CN] = \"x y\"" },
		{ "anchor H\"" H20 "\"", "certificate root = H\"" H20 "\"" },
		{ "certificate trusted", "anchor trusted" },
		{ "certificate 1 trusted", "certificate 1trusted" },
		{ "certificate -3trusted or cert -3 trusted", "certificate -3trusted or certificate -3trusted" },
		{ "certificate leaf[subject.OU] = 2BUA8C4S2C", "certificate leaf[subject.OU] = \"2BUA8C4S2C\"" },
		{ "platform 3", "platform = 3" },
		{ "info[k] = 0x00ff", "info[k] = 0x00ff" },
		{ "info[k] = \"A\"", "info[k] = A" },
		{ "entitlement[\"a\"] = \"\\\"q\\\"\"", "entitlement[a] = \"\\\"q\\\"\"" },
		{ "(((always)))", "always" },
		{ "always;", "always" },
		{ "designated => always; host => never", "host => never\ndesignated => always\n" },
		{ "designated => never designated => always", "designated => always\n" },
		{ "certificate leaf[email] = \"a@b.c\"", "certificate leaf[email] = \"a@b.c\"" },
	};
	for (size_t i = 0; i < CSIG_ARRAY_LEN(forms); i++) {
		char *t = recompile(forms[i].in, NULL);
		ck_assert_msg(strcmp(t, forms[i].out) == 0, "[%s] -> [%s]", forms[i].in, t);
		csig_free(t);
	}
	/* left-associated chains, as Apple's compiler builds them */
	uint8_t *o = NULL;
	size_t ol = 0;
	ck_assert_int_eq(csig_req_compile("always and never and always", 27, &o, &ol, NULL, NULL), 0);
	uint8_t want[64];
	size_t wn = wrap("00000006 00000006 00000001 00000000 00000001", want, sizeof(want));
	ck_assert(ol == wn && memcmp(o, want, wn) == 0);
	csig_free(o);
}
END_TEST

START_TEST(test_compile_errors)
{
	static const struct { const char *in; int code; unsigned line, col; } bad[] = {
		{ "", CSIG_E_SYNTAX, 1, 1 },
		{ "identifier", CSIG_E_SYNTAX, 1, 11 },
		{ "identifier 12", CSIG_E_SYNTAX, 1, 12 },
		{ "always and\n  bogus", CSIG_E_SYNTAX, 2, 3 },
		{ "always or", CSIG_E_SYNTAX, 1, 10 },
		{ "(always", CSIG_E_SYNTAX, 1, 8 },
		{ "identifier \"abc", CSIG_E_SYNTAX, 1, 12 },
		{ "identifier \"a\\nb\"", CSIG_E_SYNTAX, 1, 14 },
		{ "cdhash H\"abc\"", CSIG_E_SYNTAX, 1, 8 },
		{ "/* open", CSIG_E_SYNTAX, 1, 1 },
		{ "certificate leaf = /tmp/x.cer", CSIG_E_SYNTAX, 1, 20 },
		{ "certificate leaf[field.5.1] exists", CSIG_E_SYNTAX, 1, 18 },
		{ "info[k] = timestamp \"2019\"", CSIG_E_SYNTAX, 1, 21 },
		{ "designated identifier a", CSIG_E_SYNTAX, 1, 12 },
		{ "always always", CSIG_E_SYNTAX, 1, 8 },
		{ "platform = 99999999999", CSIG_E_SYNTAX, 1, 12 },
	};
	for (size_t i = 0; i < CSIG_ARRAY_LEN(bad); i++) {
		csig_error err = { 0 };
		uint8_t *o = (uint8_t *)1;
		size_t ol = 1;
		int e = csig_req_compile(bad[i].in, strlen(bad[i].in), &o, &ol, NULL, &err);
		ck_assert_msg(e == bad[i].code, "case %zu [%s]: %d %s", i, bad[i].in, e, err.msg);
		ck_assert_ptr_null(o);
		char want[48];
		snprintf(want, sizeof(want), "line %u, column %u:", bad[i].line, bad[i].col);
		ck_assert_msg(strstr(err.msg, want) != NULL, "case %zu: want %s in [%s]", i, want, err.msg);
	}
	ck_assert_int_eq(csig_req_compile(NULL, 0, NULL, NULL, NULL, NULL), CSIG_E_INVAL);
	/* error offset is the byte offset */
	csig_error err = { 0 };
	uint8_t *o = NULL;
	size_t ol = 0;
	ck_assert_int_eq(csig_req_compile("always and\n  bogus", 18, &o, &ol, NULL, &err), CSIG_E_SYNTAX);
	ck_assert_uint_eq(err.offset, 13);
}
END_TEST

START_TEST(test_compile_depth)
{
	/* 1001 nested "!" and a 1001-term chain exceed Apple's stack limit */
	size_t n = 2 * 1001 + 6;
	char *s = malloc(n + 1);
	size_t k = 0;
	for (int i = 0; i < 1001; i++) {
		s[k++] = '!';
		s[k++] = ' ';
	}
	memcpy(s + k, "always", 6);
	k += 6;
	uint8_t *o = NULL;
	size_t ol = 0;
	csig_error err = { 0 };
	ck_assert_int_eq(csig_req_compile(s, k, &o, &ol, NULL, &err), CSIG_E_DEPTH);
	/* 999 levels are fine */
	ck_assert_int_eq(csig_req_compile(s + 4, k - 4, &o, &ol, NULL, NULL), 0);
	csig_free(o);
	free(s);
	size_t cap = 1001 * 11 + 16;
	s = malloc(cap);
	k = 0;
	for (int i = 0; i < 1001; i++) {
		memcpy(s + k, i ? " or always" : "always", i ? 10 : 6);
		k += i ? 10 : 6;
	}
	memset(&err, 0, sizeof(err));
	ck_assert_int_eq(csig_req_compile(s, k, &o, &ol, NULL, &err), CSIG_E_DEPTH);
	free(s);
}
END_TEST

/* ---- real fixtures ------------------------------------------------------ */

static uint32_t be32(const uint8_t *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static uint32_t le32(const uint8_t *p) { return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0]; }

/* Slot 2 of the signature of one thin slice (test-side, bounds-checked). */
static int slice_reqs(const uint8_t *m, size_t n, const uint8_t **rs, size_t *rl)
{
	if (n < 32)
		return -1;
	uint32_t magic = le32(m);
	if (magic != 0xfeedface && magic != 0xfeedfacf)
		return -1;
	uint32_t ncmds = le32(m + 16);
	size_t off = magic == 0xfeedfacf ? 32 : 28;
	for (uint32_t i = 0; i < ncmds && off + 8 <= n; i++) {
		uint32_t cmd = le32(m + off), size = le32(m + off + 4);
		if (size < 8 || size > n - off)
			return -1;
		if (cmd == 0x1d && size >= 16) {
			uint32_t doff = le32(m + off + 8), dsz = le32(m + off + 12);
			if (doff > n || dsz > n - doff || dsz < 12)
				return -1;
			const uint8_t *sb = m + doff;
			uint32_t count = be32(sb + 8);
			for (uint32_t k = 0; k < count && 12 + 8 * (size_t)k + 8 <= dsz; k++) {
				uint32_t type = be32(sb + 12 + 8 * k), o = be32(sb + 16 + 8 * k);
				if (type == 2 && o + 8 <= dsz) {
					uint32_t len = be32(sb + o + 4);
					if (len > dsz - o)
						return -1;
					*rs = sb + o;
					*rl = len;
					return 0;
				}
			}
			return -1;
		}
		off += size;
	}
	return -1;
}

static int file_reqs(const uint8_t *d, size_t n, long slice, const uint8_t **rs, size_t *rl)
{
	if (n >= 8 && be32(d) == 0xcafebabe) {
		uint32_t count = be32(d + 4);
		if (slice < 0 || (uint32_t)slice >= count || 8 + 20 * (size_t)(slice + 1) > n)
			return -1;
		const uint8_t *a = d + 8 + 20 * slice;
		uint32_t off = be32(a + 8), size = be32(a + 12);
		if (off > n || size > n - off)
			return -1;
		return slice_reqs(d + off, size, rs, rl);
	}
	return slice == 0 ? slice_reqs(d, n, rs, rl) : -1;
}

START_TEST(test_real_fixtures)
{
	const char *root = tu_real_fixtures();
	if (!root)
		return;
	char path[1024];
	FILE *f = fopen(tu_testdata("req/real-expected.txt", path, sizeof(path)), "r");
	ck_assert_ptr_nonnull(f);
	char line[4096];
	int checked = 0;
	while (fgets(line, sizeof(line), f)) {
		if (line[0] == '#' || line[0] == '\n')
			continue;
		line[strcspn(line, "\n")] = '\0';
		char *rel = strtok(line, "|"), *sl = strtok(NULL, "|"), *want = strtok(NULL, "");
		ck_assert_ptr_nonnull(sl);
		char fp[2048];
		snprintf(fp, sizeof(fp), "%s/%s", root, rel);
		size_t n = 0;
		uint8_t *d = tu_read_file(fp, &n);
		ck_assert_msg(d != NULL, "cannot read %s", fp);
		const uint8_t *rs = d;
		size_t rl = n;
		if (strcmp(sl, "-") != 0)
			ck_assert_msg(file_reqs(d, n, atol(sl), &rs, &rl) == 0, "%s: no slot 2", rel);
		/* exact-size copy so ASan sees any overread */
		uint8_t *copy = malloc(rl ? rl : 1);
		memcpy(copy, rs, rl);
		csig_reqset *s = NULL;
		csig_error err = { 0 };
		ck_assert_msg(csig_reqset_parse(&s, copy, rl, NULL, &err) == 0, "%s: %s", rel, err.msg);
		char *t = NULL;
		ck_assert_int_eq(csig_reqset_to_text(s, &t, NULL, NULL), 0);
		char w[4096];
		snprintf(w, sizeof(w), "%s%s", want ? want : "", want && *want ? "\n" : "");
		ck_assert_msg(strcmp(t, w) == 0, "%s[%s]: got [%s] want [%s]", rel, sl, t, w);
		if (csig_reqset_count(s)) {
			char *t2 = recompile(t, NULL);
			ck_assert_str_eq(t2, t);
			csig_free(t2);
		}
		/* every prefix fails cleanly */
		for (size_t cut = 0; cut < rl; cut++) {
			csig_reqset *x = NULL;
			uint8_t *pre = malloc(cut ? cut : 1);
			memcpy(pre, copy, cut);
			ck_assert_int_lt(csig_reqset_parse(&x, pre, cut, NULL, NULL), 0);
			ck_assert_ptr_null(x);
			free(pre);
		}
		csig_free(t);
		csig_reqset_free(s);
		free(copy);
		free(d);
		checked++;
	}
	fclose(f);
	ck_assert_int_ge(checked, 30);
}
END_TEST

/* ---- hostile blobs ------------------------------------------------------ */

START_TEST(test_hostile)
{
	uint8_t b[256];
	csig_req *q = (csig_req *)1;
	csig_error err = { 0 };
	size_t n;
	/* unknown opcode without flags */
	n = wrap("00000030", b, sizeof(b));
	ck_assert_int_eq(csig_req_parse(&q, b, n, NULL, &err), CSIG_E_UNSUPPORTED);
	ck_assert_ptr_null(q);
	ck_assert_uint_eq(err.offset, 12);
	/* flagged opcode whose size runs past the end */
	n = wrap("80000030 00000100 00000000", b, sizeof(b));
	ck_assert_int_eq(csig_req_parse(&q, b, n, NULL, NULL), CSIG_E_TRUNCATED);
	/* data length past the end */
	n = wrap("00000002 7fffffff 41414141", b, sizeof(b));
	ck_assert_int_eq(csig_req_parse(&q, b, n, NULL, NULL), CSIG_E_TRUNCATED);
	n = wrap("00000002 ffffffff", b, sizeof(b));
	ck_assert_int_eq(csig_req_parse(&q, b, n, NULL, NULL), CSIG_E_TRUNCATED);
	/* missing operand */
	n = wrap("00000006 00000001", b, sizeof(b));
	ck_assert_int_eq(csig_req_parse(&q, b, n, NULL, NULL), CSIG_E_TRUNCATED);
	/* trailing bytes after the expression */
	n = wrap("00000001 00000001", b, sizeof(b));
	ck_assert_int_eq(csig_req_parse(&q, b, n, NULL, NULL), CSIG_E_TRAILING);
	/* unknown kind; bad magic; length mismatch; tiny length */
	n = wrap("00000001", b, sizeof(b));
	b[11] = 3;
	ck_assert_int_eq(csig_req_parse(&q, b, n, NULL, NULL), CSIG_E_UNSUPPORTED);
	b[11] = 1;
	ck_assert_int_eq(csig_req_parse(&q, b, n - 1, NULL, NULL), CSIG_E_TRUNCATED);
	ck_assert_int_eq(csig_req_parse(&q, b, n, NULL, NULL), 0);
	csig_req_free(q);
	b[0] = 0;
	ck_assert_int_eq(csig_req_parse(&q, b, n, NULL, NULL), CSIG_E_BADMAGIC);
	ck_assert_int_eq(csig_reqset_parse((csig_reqset **)&q, b, n, NULL, NULL), CSIG_E_BADMAGIC);
	n = unhex("fade0c00 00000004 00000001", b, sizeof(b));
	ck_assert_int_eq(csig_req_parse(&q, b, n, NULL, NULL), CSIG_E_BADVALUE);
	ck_assert_int_eq(csig_req_parse(NULL, b, n, NULL, NULL), CSIG_E_INVAL);
	/* kind 2: identified, not interpreted */
	n = wrap("00000003 300100 00", b, sizeof(b));
	b[11] = 2;
	ck_assert_int_eq(csig_req_parse(&q, b, n, NULL, NULL), 0);
	ck_assert_uint_eq(csig_req_kind(q), CSIG_REQ_KIND_LWCR);
	ck_assert_uint_eq(csig_req_lwcr_der(q).len, 3);
	char *t = NULL;
	ck_assert_int_eq(csig_req_to_text(q, &t, NULL, NULL), 0);
	ck_assert_str_eq(t, "/* lightweight code requirement (3 bytes of DER) */");
	csig_free(t);
	csig_req_free(q);
	/* sets: offset into the index, entry past the end, count bomb */
	csig_reqset *s = NULL;
	n = unhex("fade0c01 00000014 00000001 00000003 00000008", b, sizeof(b));
	ck_assert_int_eq(csig_reqset_parse(&s, b, n, NULL, NULL), CSIG_E_BADOFFSET);
	n = unhex("fade0c01 00000020 00000001 00000003 00000014 fade0c00 00000100 00000001", b, sizeof(b));
	ck_assert_int_eq(csig_reqset_parse(&s, b, n, NULL, NULL), CSIG_E_BADOFFSET);
	n = unhex("fade0c01 00000014 ffffffff 00000003 00000014", b, sizeof(b));
	ck_assert_int_eq(csig_reqset_parse(&s, b, n, NULL, NULL), CSIG_E_LIMIT);
	n = unhex("fade0c01 0000000c 00000000", b, sizeof(b));
	ck_assert_int_eq(csig_reqset_parse(&s, b, n, NULL, NULL), 0);
	ck_assert_uint_eq(csig_reqset_count(s), 0);
	ck_assert_int_eq(csig_reqset_to_text(s, &t, NULL, NULL), 0);
	ck_assert_str_eq(t, "");
	csig_free(t);
	csig_reqset_free(s);
}
END_TEST

START_TEST(test_depth_bomb)
{
	/* 2000 nested opNot, then "always" */
	size_t words = 2001, n = 12 + 4 * words;
	uint8_t *b = calloc(1, n);
	b[0] = 0xfa; b[1] = 0xde; b[2] = 0x0c; b[3] = 0x00;
	b[4] = (uint8_t)(n >> 24); b[5] = (uint8_t)(n >> 16); b[6] = (uint8_t)(n >> 8); b[7] = (uint8_t)n;
	b[11] = 1;
	for (size_t i = 0; i < 2000; i++)
		b[12 + 4 * i + 3] = 9;
	b[12 + 4 * 2000 + 3] = 1;
	csig_req *q = NULL;
	csig_error err = { 0 };
	ck_assert_int_eq(csig_req_parse(&q, b, n, NULL, &err), CSIG_E_DEPTH);
	ck_assert_ptr_null(q);
	/* 999 nots + always = 1000 levels: fine; an options limit lowers it */
	ck_assert_int_eq(csig_req_parse(&q, b + 0, 0, NULL, NULL), CSIG_E_TRUNCATED);
	size_t off = 4 * 1001;   /* skip 1001 nots */
	size_t m = n - off;
	uint8_t *c = malloc(m);
	memcpy(c, b, 12);
	memcpy(c + 12, b + 12 + off, m - 12);
	c[4] = (uint8_t)(m >> 24); c[5] = (uint8_t)(m >> 16); c[6] = (uint8_t)(m >> 8); c[7] = (uint8_t)m;
	ck_assert_int_eq(csig_req_parse(&q, c, m, NULL, NULL), 0);
	char *t = NULL;
	ck_assert_int_eq(csig_req_to_text(q, &t, NULL, NULL), 0);
	csig_free(t);
	csig_req_free(q);
	csig_open_options o = CSIG_OPEN_OPTIONS_INIT;
	o.max_depth = 10;
	ck_assert_int_eq(csig_req_parse(&q, c, m, &o, NULL), CSIG_E_DEPTH);
	free(c);
	free(b);
}
END_TEST

START_TEST(test_flip_sweep)
{
	uint8_t b[512];
	size_t n = unhex("fade0c00 0000009c 00000001 00000006 00000002 0000000f 636f6d2e6578616d706c652e61707000 00000006 0000000f 00000006 0000000e 00000001 0000000a 2a864886f76364060206 0000 00000000 00000006 0000000e 00000000 0000000a 2a864886f7636406010d 0000 00000000 0000000b 00000000 0000000a 7375626a6563742e4f55 0000 00000001 0000000a 41424344453132333435 0000", b, sizeof(b));
	uint64_t seed = 42;
	for (int i = 0; i < 3000; i++) {
		uint8_t *c = malloc(n);
		memcpy(c, b, n);
		int flips = 1 + (int)(tu_rand(&seed) % 3);
		for (int k = 0; k < flips; k++)
			c[tu_rand(&seed) % n] ^= (uint8_t)(1u << (tu_rand(&seed) % 8));
		csig_req *q = NULL;
		if (csig_req_parse(&q, c, n, NULL, NULL) == 0) {
			char *t = NULL;
			ck_assert_int_eq(csig_req_to_text(q, &t, NULL, NULL), 0);
			if (csig__req_roundtrip_class(q) < 2) {
				char *t2 = recompile(t, NULL);
				char *t3 = recompile(t2, NULL);
				ck_assert_str_eq(t2, t3);
				if (csig__req_roundtrip_class(q) == 0)
					ck_assert_str_eq(t, t2);
				csig_free(t2);
				csig_free(t3);
			}
			csig_req_ctx ctx = CSIG_REQ_CTX_INIT;
			csig_req_result *r = NULL;
			ck_assert_int_eq(csig_req_eval(q, &ctx, &r, NULL), 0);
			csig_req_result_free(r);
			csig_free(t);
			csig_req_free(q);
		}
		free(c);
	}
}
END_TEST

START_TEST(test_alloc_failures)
{
	const char *src = "designated => identifier \"a.b\" and (anchor apple generic or certificate leaf[subject.CN] = \"x\")\n";
	for (long k = 1; k < 200; k++) {
		csig__test_fail_alloc_after(k);
		uint8_t *o = NULL;
		size_t ol = 0;
		int e = csig_req_compile(src, strlen(src), &o, &ol, NULL, NULL);
		csig__test_fail_alloc_after(0);
		if (e == 0) {
			csig_reqset *s = NULL;
			csig__test_fail_alloc_after(k);
			e = csig_reqset_parse(&s, o, ol, NULL, NULL);
			char *t = NULL;
			if (e == 0)
				e = csig_reqset_to_text(s, &t, NULL, NULL);
			csig_req_result *r = NULL;
			csig_req_ctx ctx = CSIG_REQ_CTX_INIT;
			if (e == 0)
				e = csig_req_eval(csig_reqset_get(s, 0), &ctx, &r, NULL);
			csig__test_fail_alloc_after(0);
			ck_assert(e == 0 || e == CSIG_E_NOMEM);
			csig_req_result_free(r);
			csig_free(t);
			csig_reqset_free(s);
		} else {
			ck_assert_int_eq(e, CSIG_E_NOMEM);
		}
		csig_free(o);
	}
}
END_TEST

/* ---- evaluation --------------------------------------------------------- */

static csig_req *compile_one(const char *text)
{
	uint8_t *o = NULL;
	size_t ol = 0;
	csig_error err = { 0 };
	ck_assert_msg(csig_req_compile(text, strlen(text), &o, &ol, NULL, &err) == 0, "%s", err.msg);
	csig_req *q = NULL;
	ck_assert_int_eq(csig_req_parse(&q, o, ol, NULL, NULL), 0);
	csig_free(o);
	return q;
}

static const char agile_cn[] = "Developer ID Application: AgileBits Inc. (2BUA8C4S2C)";

static void agile_ctx(csig_req_ctx *ctx, csig_req_cert certs[3], csig_req_attr attrs[2])
{
	memset(certs, 0, 3 * sizeof(*certs));
	attrs[0].name = "CN";
	attrs[0].value = agile_cn;
	attrs[0].value_len = strlen(agile_cn);
	attrs[1].name = "OU";
	attrs[1].value = "2BUA8C4S2C";
	attrs[1].value_len = 10;
	certs[0].subject = attrs;
	certs[0].n_subject = 2;
	csig_req_ctx init = CSIG_REQ_CTX_INIT;
	*ctx = init;
	ctx->certs = certs;
	ctx->n_certs = 3;
	ctx->anchor_is_apple = 1;
	ctx->identifier = "com.agilebits.onepassword7";
}

START_TEST(test_eval_seed)
{
	csig_req_ctx ctx;
	csig_req_cert certs[3];
	csig_req_attr attrs[2];
	agile_ctx(&ctx, certs, attrs);
	csig_req *q = compile_one("anchor apple generic and certificate leaf[subject.CN] = \"Developer ID Application: AgileBits Inc.\"");
	csig_req_result *r = NULL;
	ck_assert_int_eq(csig_req_eval(q, &ctx, &r, NULL), 0);
	ck_assert_int_eq(csig_req_result_verdict(r), CSIG_REQ_NOT_SATISFIED);
	ck_assert_uint_eq(csig_req_result_trace_count(r), 2);
	ck_assert_str_eq(csig_req_result_trace_clause(r, 0), "anchor apple generic");
	ck_assert_int_eq(csig_req_result_trace_verdict(r, 0), CSIG_REQ_SATISFIED);
	ck_assert_str_eq(csig_req_result_trace_clause(r, 1), "certificate leaf[subject.CN] = \"Developer ID Application: AgileBits Inc.\"");
	ck_assert_str_eq(csig_req_result_trace_actual(r, 1), "\"Developer ID Application: AgileBits Inc. (2BUA8C4S2C)\"");
	ck_assert_str_eq(csig_req_result_trace_expected(r, 1), "= \"Developer ID Application: AgileBits Inc.\"");
	ck_assert_int_eq(csig_req_result_trace_verdict(r, 1), CSIG_REQ_NOT_SATISFIED);
	ck_assert_ptr_null(csig_req_result_trace_clause(r, 2));
	csig_json j;
	json_init(&j, 0);
	csig__req_result_json(&j, r);
	char *js = NULL;
	size_t jl = 0;
	ck_assert_int_eq(json_finish(&j, &js, &jl, NULL), 0);
	ck_assert_ptr_nonnull(strstr(js, "\"verdict\":\"not_satisfied\""));
	ck_assert_ptr_nonnull(strstr(js, "AgileBits Inc. (2BUA8C4S2C)"));
	csig_free(js);
	csig_req_result_free(r);
	csig_req_free(q);

	q = compile_one("anchor apple generic and certificate leaf[subject.OU] = 2BUA8C4S2C");
	ck_assert_int_eq(csig_req_eval(q, &ctx, &r, NULL), 0);
	ck_assert_int_eq(csig_req_result_verdict(r), CSIG_REQ_SATISFIED);
	csig_req_result_free(r);
	csig_req_free(q);
	/* the text form quotes the digit-leading team id; both compile alike */
	q = compile_one("anchor apple generic and certificate leaf[subject.OU] = \"2BUA8C4S2C\"");
	ck_assert_int_eq(csig_req_eval(q, &ctx, &r, NULL), 0);
	ck_assert_int_eq(csig_req_result_verdict(r), CSIG_REQ_SATISFIED);
	csig_req_result_free(r);
	csig_req_free(q);
}
END_TEST

static int ent_lookup(void *user, const char *key, size_t n, csig_req_value *out)
{
	(void)user;
	static const csig_req_value items[2] = {
		{ CSIG_REQ_VAL_STRING, "group.a", 7, 0, 0, 0, NULL, 0 },
		{ CSIG_REQ_VAL_STRING, "group.b", 7, 0, 0, 0, NULL, 0 },
	};
	if (n == 14 && memcmp(key, "get-task-allow", 14) == 0) {
		out->type = CSIG_REQ_VAL_BOOL;
		out->boolean = 0;
		return 1;
	}
	if (n == 6 && memcmp(key, "groups", 6) == 0) {
		out->type = CSIG_REQ_VAL_ARRAY;
		out->items = items;
		out->n_items = 2;
		return 1;
	}
	return 0;
}

START_TEST(test_eval_semantics)
{
	csig_req_ctx ctx;
	csig_req_cert certs[3];
	csig_req_attr attrs[2];
	agile_ctx(&ctx, certs, attrs);
	uint8_t oid13[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x63, 0x64, 0x06, 0x01, 0x0d };
	uint8_t oid33[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x63, 0x64, 0x06, 0x01, 0x21 };
	csig_req_ext ext[2] = { { { oid13, sizeof(oid13) }, 0, 0 }, { { oid33, sizeof(oid33) }, 1, 576374399 } };
	certs[0].extensions = ext;
	certs[0].n_extensions = 2;
	certs[2].has_sha1 = 1;
	memset(certs[2].sha1, 0xab, 20);
	csig_req_entry info[2] = {
		{ "CFBundleVersion", { CSIG_REQ_VAL_STRING, "1.10", 4, 0, 0, 0, NULL, 0 } },
		{ "Num", { CSIG_REQ_VAL_NUMBER, NULL, 0, 0, 5, 0, NULL, 0 } },
	};
	ctx.info = info;
	ctx.n_info = 2;
	ctx.entitlement_lookup = ent_lookup;
	uint8_t cdh[40];
	memset(cdh, 0x11, 20);
	memset(cdh + 20, 0x22, 20);
	ctx.cdhashes = cdh;
	ctx.n_cdhashes = 2;
	ctx.platform = 0;
	static const struct { const char *text; csig_req_verdict v; } cases[] = {
		{ "certificate leaf[field.1.2.840.113635.100.6.1.13]", CSIG_REQ_SATISFIED },
		{ "certificate leaf[field.1.2.840.113635.100.6.1.14]", CSIG_REQ_NOT_SATISFIED },
		{ "certificate leaf[field.1.2.840.113635.100.6.1.14] absent", CSIG_REQ_SATISFIED },
		{ "certificate 5[subject.CN] absent", CSIG_REQ_NOT_SATISFIED },
		{ "certificate leaf[timestamp.1.2.840.113635.100.6.1.33] < timestamp \"20190408000000Z\"", CSIG_REQ_SATISFIED },
		{ "certificate leaf[timestamp.1.2.840.113635.100.6.1.33] >= timestamp \"20190408000000Z\"", CSIG_REQ_NOT_SATISFIED },
		{ "certificate root = H\"abababababababababababababababababababab\"", CSIG_REQ_SATISFIED },
		{ "certificate -1 = H\"abababababababababababababababababababab\"", CSIG_REQ_SATISFIED },
		{ "certificate 1 = H\"abababababababababababababababababababab\"", CSIG_REQ_INDETERMINATE },
		{ "info[CFBundleVersion] > \"1.9\"", CSIG_REQ_SATISFIED },
		{ "info[CFBundleVersion] <= \"1.9\"", CSIG_REQ_NOT_SATISFIED },
		{ "info[CFBundleVersion] = 1.10*", CSIG_REQ_SATISFIED },
		{ "info[CFBundleVersion] = 1.100*", CSIG_REQ_NOT_SATISFIED },
		{ "info[CFBundleVersion] = \"1.1\"*", CSIG_REQ_SATISFIED },
		{ "info[CFBundleVersion] = *\"10\"", CSIG_REQ_SATISFIED },
		{ "info[CFBundleVersion] ~ \".1\"", CSIG_REQ_SATISFIED },
		{ "info[Num] exists", CSIG_REQ_SATISFIED },
		{ "info[Num] = \"5\"", CSIG_REQ_NOT_SATISFIED },
		{ "info[Missing] absent", CSIG_REQ_SATISFIED },
		{ "info[Missing] exists", CSIG_REQ_NOT_SATISFIED },
		{ "entitlement[\"get-task-allow\"] exists", CSIG_REQ_NOT_SATISFIED },
		{ "entitlement[groups] = \"group.b\"", CSIG_REQ_SATISFIED },
		{ "entitlement[groups] = \"group.c\"", CSIG_REQ_NOT_SATISFIED },
		{ "cdhash H\"2222222222222222222222222222222222222222\"", CSIG_REQ_SATISFIED },
		{ "cdhash H\"3333333333333333333333333333333333333333\"", CSIG_REQ_NOT_SATISFIED },
		{ "identifier \"com.agilebits.onepassword7\"", CSIG_REQ_SATISFIED },
		{ "platform = 0", CSIG_REQ_SATISFIED },
		{ "notarized", CSIG_REQ_INDETERMINATE },
		{ "notarized and never", CSIG_REQ_NOT_SATISFIED },
		{ "notarized or always", CSIG_REQ_SATISFIED },
		{ "notarized or never", CSIG_REQ_INDETERMINATE },
		{ "! notarized", CSIG_REQ_INDETERMINATE },
		{ "! never", CSIG_REQ_SATISFIED },
		{ "anchor trusted", CSIG_REQ_INDETERMINATE },
		{ "certificate leaf trusted", CSIG_REQ_INDETERMINATE },
		{ "legacy", CSIG_REQ_INDETERMINATE },
		{ "anchor apple", CSIG_REQ_NOT_SATISFIED },
		{ "certificate leaf[subject.XX] absent", CSIG_REQ_NOT_SATISFIED },
	};
	for (size_t i = 0; i < CSIG_ARRAY_LEN(cases); i++) {
		csig_req *q = compile_one(cases[i].text);
		csig_req_result *r = NULL;
		ck_assert_int_eq(csig_req_eval(q, &ctx, &r, NULL), 0);
		ck_assert_msg(csig_req_result_verdict(r) == cases[i].v, "[%s]: %s", cases[i].text,
			      csig_req_verdict_name(csig_req_result_verdict(r)));
		for (size_t k = 0; k < csig_req_result_trace_count(r); k++) {
			ck_assert_ptr_nonnull(csig_req_result_trace_actual(r, k));
			ck_assert_ptr_nonnull(csig_req_result_trace_expected(r, k));
			if (csig_req_result_trace_verdict(r, k) == CSIG_REQ_INDETERMINATE)
				ck_assert_str_ne(csig_req_result_trace_reason(r, k), "");
		}
		csig_req_result_free(r);
		csig_req_free(q);
	}
	/* no certificates at all: certificate clauses are false */
	csig_req_ctx bare = CSIG_REQ_CTX_INIT;
	csig_req *q = compile_one("anchor apple generic or certificate leaf[subject.CN] absent");
	csig_req_result *r = NULL;
	ck_assert_int_eq(csig_req_eval(q, &bare, &r, NULL), 0);
	ck_assert_int_eq(csig_req_result_verdict(r), CSIG_REQ_NOT_SATISFIED);
	csig_req_result_free(r);
	bare.version = 99;
	ck_assert_int_eq(csig_req_eval(q, &bare, &r, NULL), CSIG_E_INVAL);
	csig_req_free(q);
}
END_TEST

START_TEST(test_eval_apple_anchor)
{
	csig_req_attr ca_attrs[2] = {
		{ "CN", "Apple Code Signing Certification Authority", 42 },
		{ "O", "Apple Inc.", 10 },
	};
	uint8_t oid22[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x63, 0x64, 0x06, 0x16 };
	csig_req_ext ext = { { oid22, sizeof(oid22) }, 0, 0 };
	csig_req_cert certs[3];
	memset(certs, 0, sizeof(certs));
	certs[0].extensions = &ext;
	certs[0].n_extensions = 1;
	certs[1].subject = ca_attrs;
	certs[1].n_subject = 2;
	csig_req_ctx ctx = CSIG_REQ_CTX_INIT;
	ctx.certs = certs;
	ctx.n_certs = 3;
	ctx.anchor_is_apple = 1;
	csig_req *q = compile_one("anchor apple");
	csig_req_result *r = NULL;
	ck_assert_int_eq(csig_req_eval(q, &ctx, &r, NULL), 0);
	ck_assert_int_eq(csig_req_result_verdict(r), CSIG_REQ_SATISFIED);
	csig_req_result_free(r);
	certs[0].n_extensions = 0;
	ck_assert_int_eq(csig_req_eval(q, &ctx, &r, NULL), 0);
	ck_assert_int_eq(csig_req_result_verdict(r), CSIG_REQ_NOT_SATISFIED);
	csig_req_result_free(r);
	ctx.apple_anchor = CSIG_REQ_FACT_YES;
	ck_assert_int_eq(csig_req_eval(q, &ctx, &r, NULL), 0);
	ck_assert_int_eq(csig_req_result_verdict(r), CSIG_REQ_SATISFIED);
	csig_req_result_free(r);
	csig_req_free(q);
}
END_TEST

Suite *req_suite(void)
{
	Suite *s = suite_create("req");
	TCase *tc = tcase_create("decode");
	tcase_add_test(tc, test_op_vectors);
	tcase_add_test(tc, test_format_vectors);
	tcase_add_test(tc, test_quoting);
	tcase_add_test(tc, test_real_fixtures);
	suite_add_tcase(s, tc);
	tc = tcase_create("compile");
	tcase_add_test(tc, test_real_strings_stable);
	tcase_add_test(tc, test_compile_forms);
	tcase_add_test(tc, test_compile_errors);
	tcase_add_test(tc, test_compile_depth);
	suite_add_tcase(s, tc);
	tc = tcase_create("hostile");
	tcase_set_timeout(tc, 60);
	tcase_add_test(tc, test_hostile);
	tcase_add_test(tc, test_depth_bomb);
	tcase_add_test(tc, test_flip_sweep);
	tcase_add_test(tc, test_alloc_failures);
	suite_add_tcase(s, tc);
	tc = tcase_create("eval");
	tcase_add_test(tc, test_eval_seed);
	tcase_add_test(tc, test_eval_semantics);
	tcase_add_test(tc, test_eval_apple_anchor);
	suite_add_tcase(s, tc);
	return s;
}

CSIG_TEST_MAIN(req_suite)
