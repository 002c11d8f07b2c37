/* check_der.c - the BER/DER reader (libcsig/der.h). */
#include "testutil.h"
#include "der.h"
#include "util.h"

static int next(const uint8_t *p, size_t n, unsigned depth, csig_der *e, csig_rd *r)
{
	rd_init(r, p, n, 100, "test", NULL);
	return csig__der_next(r, depth, e);
}

START_TEST(test_tags_lengths)
{
	csig_der e;
	csig_rd r;
	static const uint8_t short_form[] = { 0x02, 0x01, 0x05 };
	ck_assert_int_eq(next(short_form, sizeof(short_form), 4, &e, &r), 0);
	ck_assert_uint_eq(e.tag, DER_INTEGER);
	ck_assert_uint_eq(e.cls, DER_UNIVERSAL);
	ck_assert_uint_eq(e.off, 100);
	ck_assert_uint_eq(e.raw.len, 3);
	/* high tag number [APPLICATION 16] and [CONTEXT 201] */
	static const uint8_t high[] = { 0x7f, 0x81, 0x49, 0x00 };
	ck_assert_int_eq(next(high, sizeof(high), 4, &e, &r), 0);
	ck_assert_uint_eq(e.tag, 201);
	ck_assert_uint_eq(e.cls, DER_APPLICATION);
	ck_assert_int_eq(e.constructed, 1);
	static const uint8_t high_nonmin[] = { 0x9f, 0x80, 0x01, 0x00 };
	ck_assert_int_eq(next(high_nonmin, sizeof(high_nonmin), 4, &e, &r), CSIG_E_BADVALUE);
	static const uint8_t high_small[] = { 0x9f, 0x05, 0x00 };
	ck_assert_int_eq(next(high_small, sizeof(high_small), 4, &e, &r), CSIG_E_BADVALUE);
	/* long-form length */
	uint8_t big[300] = { 0x04, 0x82, 0x01, 0x00 };
	ck_assert_int_eq(next(big, 260, 4, &e, &r), 0);
	ck_assert_uint_eq(e.val.len, 256);
	ck_assert_int_eq(next(big, 259, 4, &e, &r), CSIG_E_TRUNCATED);
	static const uint8_t nine[] = { 0x04, 0x89, 1, 1, 1, 1, 1, 1, 1, 1, 1 };
	ck_assert_int_eq(next(nine, sizeof(nine), 4, &e, &r), CSIG_E_LIMIT);
	static const uint8_t huge[] = { 0x04, 0x88, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff, 0xff };
	ck_assert_int_eq(next(huge, sizeof(huge), 4, &e, &r), CSIG_E_TRUNCATED);
	static const uint8_t eoc[] = { 0x00, 0x00 };
	ck_assert_int_eq(next(eoc, sizeof(eoc), 4, &e, &r), CSIG_E_BADVALUE);
	ck_assert_int_eq(next(short_form, 0, 4, &e, &r), CSIG_E_TRUNCATED);
}
END_TEST

START_TEST(test_indefinite)
{
	csig_der e, c;
	csig_rd r;
	/* SEQUENCE(indef) { SEQUENCE(indef) { INTEGER 7 } , NULL } trailing 0x05 0x00 */
	static const uint8_t p[] = { 0x30, 0x80, 0x30, 0x80, 0x02, 0x01, 0x07, 0x00, 0x00,
				     0x05, 0x00, 0x00, 0x00, 0x05, 0x00 };
	ck_assert_int_eq(next(p, sizeof(p), 4, &e, &r), 0);
	ck_assert_int_eq(e.indefinite, 1);
	ck_assert_uint_eq(e.val.len, 9);
	ck_assert_uint_eq(e.raw.len, 13);
	ck_assert_uint_eq(rd_left(&r), 2);
	csig_rd v = e.val;
	ck_assert_int_eq(csig__der_next(&v, 4, &c), 0);
	ck_assert_int_eq(c.indefinite, 1);
	ck_assert_uint_eq(c.val.len, 3);
	/* depth limit: the inner indefinite element needs depth 2 */
	ck_assert_int_eq(next(p, sizeof(p), 1, &e, &r), CSIG_E_DEPTH);
	/* missing end-of-contents */
	ck_assert_int_eq(next(p, 8, 4, &e, &r), CSIG_E_TRUNCATED);
	/* indefinite on a primitive */
	static const uint8_t prim[] = { 0x04, 0x80, 0x00, 0x00 };
	ck_assert_int_eq(next(prim, sizeof(prim), 4, &e, &r), CSIG_E_BADVALUE);
	/* constructed OCTET STRING joined */
	static const uint8_t cos[] = { 0x24, 0x80, 0x04, 0x02, 'a', 'b', 0x24, 0x03, 0x04, 0x01, 'c',
				       0x00, 0x00 };
	csig_arena a;
	csig_bytes out;
	csig__arena_init(&a, 0);
	ck_assert_int_eq(next(cos, sizeof(cos), 4, &e, &r), 0);
	ck_assert_int_eq(csig__der_octets(&e, 4, &a, &out), 0);
	ck_assert_uint_eq(out.len, 3);
	ck_assert_int_eq(memcmp(out.ptr, "abc", 3), 0);
	csig__arena_free(&a);
	/* a deep nest of indefinite elements never recurses past the limit */
	uint8_t deep[4000];
	for (size_t i = 0; i < 1000; i++) {
		deep[2 * i] = 0x30;
		deep[2 * i + 1] = 0x80;
		deep[2000 + 2 * i] = 0;
		deep[2001 + 2 * i] = 0;
	}
	ck_assert_int_eq(next(deep, sizeof(deep), CSIG_LIMIT_DEPTH_DEFAULT, &e, &r), CSIG_E_DEPTH);
	ck_assert_int_eq(next(deep, sizeof(deep), 2000, &e, &r), 0);
}
END_TEST

START_TEST(test_oid_int_bool)
{
	csig_der e;
	csig_rd r;
	char buf[DER_OID_TEXT_MAX];
	static const uint8_t oid[] = { 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02 };
	ck_assert_int_eq(next(oid, sizeof(oid), 4, &e, &r), 0);
	ck_assert_int_eq(csig__der_oid_text(&e, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "1.2.840.113549.1.7.2");
	static const uint8_t oid2[] = { 0x06, 0x03, 0x81, 0x34, 0x03 }; /* 2.100.3 */
	ck_assert_int_eq(next(oid2, sizeof(oid2), 4, &e, &r), 0);
	ck_assert_int_eq(csig__der_oid_text(&e, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "2.100.3");
	static const uint8_t apple[] = { 0x06, 0x0a, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x63, 0x64, 0x06, 0x01, 0x0d };
	ck_assert_int_eq(next(apple, sizeof(apple), 4, &e, &r), 0);
	ck_assert_int_eq(csig__der_oid_text(&e, buf, sizeof(buf)), 0);
	ck_assert_str_eq(buf, "1.2.840.113635.100.6.1.13");
	static const uint8_t unterminated[] = { 0x06, 0x02, 0x2a, 0x86 };
	ck_assert_int_eq(next(unterminated, sizeof(unterminated), 4, &e, &r), 0);
	ck_assert_int_eq(csig__der_oid_text(&e, buf, sizeof(buf)), CSIG_E_BADVALUE);
	static const uint8_t nonmin[] = { 0x06, 0x02, 0x80, 0x01 };
	ck_assert_int_eq(next(nonmin, sizeof(nonmin), 4, &e, &r), 0);
	ck_assert_int_eq(csig__der_oid_text(&e, buf, sizeof(buf)), CSIG_E_BADVALUE);
	static const uint8_t empty[] = { 0x06, 0x00 };
	ck_assert_int_eq(next(empty, sizeof(empty), 4, &e, &r), 0);
	ck_assert_int_eq(csig__der_oid_text(&e, buf, sizeof(buf)), CSIG_E_BADVALUE);
	uint8_t longoid[2 + 120] = { 0x06, 120 };
	memset(longoid + 2, 0x7f, 120);
	ck_assert_int_eq(next(longoid, sizeof(longoid), 4, &e, &r), 0);
	ck_assert_int_eq(csig__der_oid_text(&e, buf, sizeof(buf)), CSIG_E_LIMIT);

	int64_t v;
	static const uint8_t neg[] = { 0x02, 0x02, 0xff, 0x7f };
	ck_assert_int_eq(next(neg, sizeof(neg), 4, &e, &r), 0);
	ck_assert_int_eq(csig__der_int64(&e, &v), 0);
	ck_assert_int_eq(v, -129);
	static const uint8_t nine[] = { 0x02, 0x09, 1, 2, 3, 4, 5, 6, 7, 8, 9 };
	ck_assert_int_eq(next(nine, sizeof(nine), 4, &e, &r), 0);
	ck_assert_int_eq(csig__der_int64(&e, &v), CSIG_E_LIMIT);
	csig_bytes mag;
	ck_assert_int_eq(csig__der_uint_bytes(&e, &mag), 0);
	ck_assert_uint_eq(mag.len, 9);
	static const uint8_t lead0[] = { 0x02, 0x03, 0x00, 0x00, 0x80 };
	ck_assert_int_eq(next(lead0, sizeof(lead0), 4, &e, &r), 0);
	ck_assert_int_eq(csig__der_uint_bytes(&e, &mag), 0);
	ck_assert_uint_eq(mag.len, 1);
	ck_assert_uint_eq(mag.ptr[0], 0x80);
	int b;
	static const uint8_t t[] = { 0x01, 0x01, 0xff };
	ck_assert_int_eq(next(t, sizeof(t), 4, &e, &r), 0);
	ck_assert_int_eq(csig__der_bool(&e, &b), 0);
	ck_assert_int_eq(b, 1);
	static const uint8_t t2[] = { 0x01, 0x02, 0xff, 0x00 };
	ck_assert_int_eq(next(t2, sizeof(t2), 4, &e, &r), 0);
	ck_assert_int_eq(csig__der_bool(&e, &b), CSIG_E_BADVALUE);
}
END_TEST

static int64_t time_of(uint8_t tag, const char *s)
{
	uint8_t buf[64];
	size_t n = strlen(s);
	csig_der e;
	csig_rd r;
	int64_t t;
	buf[0] = tag;
	buf[1] = (uint8_t)n;
	memcpy(buf + 2, s, n);
	if (next(buf, n + 2, 4, &e, &r) || csig__der_time(&e, &t))
		return -1;
	return t;
}

START_TEST(test_time)
{
	ck_assert_int_eq(time_of(23, "700101000000Z"), 0);
	ck_assert_int_eq(time_of(23, "491231235959Z"), 2524607999LL);
	ck_assert_int_eq(time_of(23, "500101000000Z"), -631152000LL);
	ck_assert_int_eq(time_of(24, "20380119031408Z"), 2147483648LL);
	ck_assert_int_eq(time_of(24, "20240229120000.123Z"), 1709208000LL);
	ck_assert_int_eq(time_of(23, "7001010100+0100"), 0);
	ck_assert_int_eq(time_of(23, "700101000000"), -1);
	ck_assert_int_eq(time_of(23, "701301000000Z"), -1);
	ck_assert_int_eq(time_of(23, "70010100000aZ"), -1);
	ck_assert_int_eq(time_of(24, "2024Z"), -1);
}
END_TEST

START_TEST(test_strings)
{
	csig_arena a;
	csig_der e;
	csig_rd r;
	const char *s;
	csig__arena_init(&a, 0);
	static const uint8_t bmp[] = { 0x1e, 0x06, 0x00, 'A', 0x00, 0xe9, 0x20, 0xac };
	ck_assert_int_eq(next(bmp, sizeof(bmp), 4, &e, &r), 0);
	ck_assert_int_eq(csig__der_string(&e, &a, &s), 0);
	ck_assert_str_eq(s, "A\xc3\xa9\xe2\x82\xac");
	static const uint8_t t61[] = { 0x14, 0x02, 'x', 0xe9 };
	ck_assert_int_eq(next(t61, sizeof(t61), 4, &e, &r), 0);
	ck_assert_int_eq(csig__der_string(&e, &a, &s), 0);
	ck_assert_str_eq(s, "x\xc3\xa9");
	static const uint8_t utf8[] = { 0x0c, 0x03, 'a', 'b', 'c' };
	ck_assert_int_eq(next(utf8, sizeof(utf8), 4, &e, &r), 0);
	ck_assert_int_eq(csig__der_string(&e, &a, &s), 0);
	ck_assert_str_eq(s, "abc");
	static const uint8_t nul[] = { 0x13, 0x03, 'a', 0, 'c' };
	ck_assert_int_eq(next(nul, sizeof(nul), 4, &e, &r), 0);
	ck_assert_int_eq(csig__der_string(&e, &a, &s), CSIG_E_BADVALUE);
	static const uint8_t odd[] = { 0x1e, 0x01, 'a' };
	ck_assert_int_eq(next(odd, sizeof(odd), 4, &e, &r), 0);
	ck_assert_int_eq(csig__der_string(&e, &a, &s), CSIG_E_BADVALUE);
	static const uint8_t num[] = { 0x02, 0x01, 0x01 };
	ck_assert_int_eq(next(num, sizeof(num), 4, &e, &r), 0);
	ck_assert_int_eq(csig__der_string(&e, &a, &s), CSIG_E_BADVALUE);
	csig__arena_free(&a);
	/* arena limit */
	csig__arena_init(&a, 10);
	ck_assert_ptr_nonnull(csig__arena_alloc(&a, 10));
	ck_assert_ptr_null(csig__arena_alloc(&a, 1));
	ck_assert_ptr_null(csig__arena_calloc_n(&a, SIZE_MAX, 2));
	csig__arena_free(&a);
}
END_TEST

START_TEST(test_random_never_crashes)
{
	uint64_t seed = 0x1234;
	uint8_t buf[64];
	for (int iter = 0; iter < 20000; iter++) {
		size_t n = tu_rand(&seed) % sizeof(buf);
		for (size_t i = 0; i < n; i++)
			buf[i] = (uint8_t)tu_rand(&seed);
		if (n && (tu_rand(&seed) & 1))
			buf[1 % n] = 0x80;
		uint8_t *exact = malloc(n ? n : 1);
		memcpy(exact, buf, n);
		csig_rd r;
		csig_der e;
		rd_init(&r, exact, n, 0, "fuzz", NULL);
		while (rd_left(&r) && csig__der_next(&r, 8, &e) == 0) {
			char oid[DER_OID_TEXT_MAX];
			int64_t v;
			(void)csig__der_oid_text(&e, oid, sizeof(oid));
			(void)csig__der_int64(&e, &v);
			(void)csig__der_time(&e, &v);
			ck_assert_uint_le(e.val.len, e.raw.len);
		}
		free(exact);
	}
}
END_TEST

Suite *der_suite(void)
{
	Suite *s = suite_create("der");
	TCase *t = tcase_create("reader");
	tcase_add_test(t, test_tags_lengths);
	tcase_add_test(t, test_indefinite);
	tcase_add_test(t, test_oid_int_bool);
	tcase_add_test(t, test_time);
	tcase_add_test(t, test_strings);
	tcase_add_test(t, test_random_never_crashes);
	suite_add_tcase(s, t);
	return s;
}

CSIG_TEST_MAIN(der_suite)
