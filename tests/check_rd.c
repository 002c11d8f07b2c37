/* check_rd.c - the bounds-checked reader (libcsig/rd.h). */
#include <stdint.h>
#include "testutil.h"
#include "rd.h"

/* csig__fail keeps the first failure: clear the sink before each checked one */
#define CLR(e) memset(&(e), 0, sizeof(e))

static const uint8_t B[16] = { 0x01, 0x02, 0x03, 0x04, 0x05, 0x06, 0x07, 0x08,
			       'a', 'b', 'c', 0, 'x', 'y', 'z', 0xff };

START_TEST(test_loads)
{
	csig_rd r;
	csig_error e = { 0 };
	rd_init(&r, B, sizeof(B), 0x1000, "blob", &e);
	uint8_t u8; uint16_t u16; uint32_t u32; uint64_t u64;
	ck_assert_int_eq(rd_u8(&r, &u8), 0); ck_assert_uint_eq(u8, 1);
	ck_assert_int_eq(rd_u16le(&r, &u16), 0); ck_assert_uint_eq(u16, 0x0302);
	ck_assert_int_eq(rd_u16be(&r, &u16), 0); ck_assert_uint_eq(u16, 0x0405);
	ck_assert_uint_eq(rd_abs(&r), 0x1005);
	ck_assert_int_eq(rd_seek(&r, 0), 0);
	ck_assert_int_eq(rd_u32le(&r, &u32), 0); ck_assert_uint_eq(u32, 0x04030201u);
	ck_assert_int_eq(rd_u32be(&r, &u32), 0); ck_assert_uint_eq(u32, 0x05060708u);
	ck_assert_int_eq(rd_seek(&r, 0), 0);
	ck_assert_int_eq(rd_u64le(&r, &u64), 0); ck_assert(u64 == 0x0807060504030201ull);
	ck_assert_int_eq(rd_seek(&r, 0), 0);
	ck_assert_int_eq(rd_u64be(&r, &u64), 0); ck_assert(u64 == 0x0102030405060708ull);
	ck_assert_int_eq(rd_seek(&r, 0), 0);
	ck_assert_int_eq(rd_u32e(&r, 1, &u32), 0); ck_assert_uint_eq(u32, 0x01020304u);
	ck_assert_int_eq(rd_u32e(&r, 0, &u32), 0); ck_assert_uint_eq(u32, 0x08070605u);
	ck_assert_int_eq(rd_seek(&r, 0), 0);
	ck_assert_int_eq(rd_u64e(&r, 1, &u64), 0); ck_assert(u64 == 0x0102030405060708ull);
	ck_assert_int_eq(rd_seek(&r, 8), 0);
	ck_assert_int_eq(rd_u64e(&r, 0, &u64), 0); ck_assert(u64 == 0xff7a797800636261ull);
	ck_assert_uint_eq(rd_left(&r), 0);
	ck_assert_int_eq(rd_end(&r), 0);
	/* at-offset loads leave the cursor alone */
	ck_assert_int_eq(rd_seek(&r, 3), 0);
	ck_assert_int_eq(rd_at_u32be(&r, 4, &u32), 0); ck_assert_uint_eq(u32, 0x05060708u);
	ck_assert_int_eq(rd_at_u32e(&r, 0, 0, &u32), 0); ck_assert_uint_eq(u32, 0x04030201u);
	ck_assert_uint_eq(r.pos, 3);
	ck_assert_int_eq(rd_at_u32be(&r, 12, &u32), 0); ck_assert_uint_eq(u32, 0x78797aff);
}
END_TEST

/* Every load at every position near the end fails cleanly, not advancing. */
START_TEST(test_short_reads)
{
	csig_rd r;
	csig_error e = { 0 };
	for (size_t len = 0; len <= 8; len++) {
		for (size_t pos = 0; pos <= len; pos++) {
			uint8_t *p = malloc(len ? len : 1); /* exact size: ASan sees overreads */
			memcpy(p, B, len);
			rd_init(&r, p, len, 0x40, "tiny", &e);
			ck_assert_int_eq(rd_seek(&r, pos), 0);
			size_t left = len - pos;
			uint8_t u8; uint16_t u16; uint32_t u32; uint64_t u64;
			const uint8_t *bp; uint8_t dst[8];
			ck_assert_int_eq(rd_u8(&r, &u8) == 0, left >= 1); rd_seek(&r, pos);
			ck_assert_int_eq(rd_u16le(&r, &u16) == 0, left >= 2); rd_seek(&r, pos);
			ck_assert_int_eq(rd_u16be(&r, &u16) == 0, left >= 2); rd_seek(&r, pos);
			ck_assert_int_eq(rd_u32le(&r, &u32) == 0, left >= 4); rd_seek(&r, pos);
			ck_assert_int_eq(rd_u32be(&r, &u32) == 0, left >= 4); rd_seek(&r, pos);
			ck_assert_int_eq(rd_u64le(&r, &u64) == 0, left >= 8); rd_seek(&r, pos);
			ck_assert_int_eq(rd_u64be(&r, &u64) == 0, left >= 8); rd_seek(&r, pos);
			ck_assert_int_eq(rd_bytes(&r, 3, &bp) == 0, left >= 3); rd_seek(&r, pos);
			ck_assert_int_eq(rd_copy(&r, dst, 5) == 0, left >= 5); rd_seek(&r, pos);
			ck_assert_int_eq(rd_skip(&r, 6) == 0, left >= 6); rd_seek(&r, pos);
			if (left < 4) {
				CLR(e);
				ck_assert_int_eq(rd_u32le(&r, &u32), CSIG_E_TRUNCATED);
				ck_assert_uint_eq(r.pos, pos); /* no advance on failure */
				ck_assert_int_eq(e.code, CSIG_E_TRUNCATED);
				ck_assert_uint_eq(e.offset, 0x40 + pos); /* absolute */
				char want[32];
				snprintf(want, sizeof(want), "0x%llx", (unsigned long long)(0x40 + pos));
				ck_assert_msg(strstr(e.msg, want) && strstr(e.msg, "tiny"),
					      "message lacks offset/what: %s", e.msg);
			}
			free(p);
		}
	}
	/* huge sizes never wrap */
	rd_init(&r, B, sizeof(B), 0, NULL, &e);
	rd_seek(&r, 4);
	const uint8_t *bp;
	ck_assert_int_eq(rd_bytes(&r, SIZE_MAX, &bp), CSIG_E_TRUNCATED);
	ck_assert_int_eq(rd_skip(&r, SIZE_MAX - 3), CSIG_E_TRUNCATED);
	ck_assert_int_eq(rd_copy(&r, NULL, SIZE_MAX), CSIG_E_TRUNCATED);
	csig_rd c;
	ck_assert_int_ne(rd_take(&r, UINT64_MAX, &c, "x"), 0);
	ck_assert_uint_eq(r.pos, 4);
	/* zero-length copy at end is fine */
	rd_seek(&r, sizeof(B));
	ck_assert_int_eq(rd_copy(&r, NULL, 0), 0);
	ck_assert_int_eq(rd_bytes(&r, 0, &bp), 0);
	/* NULL pointer window has length 0 */
	rd_init(&r, NULL, 100, 0, NULL, NULL);
	ck_assert_uint_eq(r.len, 0);
	uint8_t u8;
	ck_assert_int_eq(rd_u8(&r, &u8), CSIG_E_TRUNCATED);
}
END_TEST

START_TEST(test_seek)
{
	csig_rd r;
	csig_error e = { 0 };
	rd_init(&r, B, sizeof(B), 0x200, "seeker", &e);
	ck_assert_int_eq(rd_seek(&r, 16), 0); /* pos == len allowed */
	CLR(e);
	ck_assert_int_eq(rd_seek(&r, 17), CSIG_E_BADOFFSET);
	ck_assert_uint_eq(r.pos, 16);
	ck_assert_int_eq(e.code, CSIG_E_BADOFFSET);
	ck_assert_ptr_nonnull(strstr(e.msg, "0x11"));
	ck_assert_int_eq(rd_seek(&r, UINT64_MAX), CSIG_E_BADOFFSET);
	ck_assert_int_eq(rd_seek(&r, (uint64_t)SIZE_MAX + 0), CSIG_E_BADOFFSET);
	uint32_t v;
	ck_assert_int_eq(rd_at_u32be(&r, UINT64_MAX, &v), CSIG_E_BADOFFSET);
	ck_assert_int_eq(rd_at_u32be(&r, UINT64_MAX - 3, &v), CSIG_E_BADOFFSET);
	ck_assert_int_eq(rd_at_u32be(&r, 13, &v), CSIG_E_TRUNCATED);
	ck_assert_int_eq(rd_at_u32e(&r, 16, 0, &v), CSIG_E_TRUNCATED);
	ck_assert_uint_eq(r.pos, 16);
}
END_TEST

START_TEST(test_sub)
{
	csig_rd r, c, g;
	csig_error e = { 0 };
	rd_init(&r, B, sizeof(B), 0x1000, "parent", &e);
	ck_assert_int_eq(rd_sub(&r, 4, 8, &c, "child"), 0);
	ck_assert_uint_eq(c.base, 0x1004);
	ck_assert_uint_eq(c.len, 8);
	ck_assert_ptr_eq(c.p, B + 4);
	ck_assert_str_eq(c.what, "child");
	ck_assert_ptr_eq(c.err, &e);
	/* the child cannot escape: its bounds are its own */
	uint64_t v;
	ck_assert_int_eq(rd_u64be(&c, &v), 0);
	CLR(e);
	ck_assert_int_eq(rd_u8(&c, (uint8_t *)&v), CSIG_E_TRUNCATED);
	ck_assert_uint_eq(e.offset, 0x100c);
	ck_assert_int_ne(rd_sub(&c, 0, 9, &g, "grandchild"), 0);
	ck_assert_int_ne(rd_sub(&c, 8, 1, &g, "grandchild"), 0);
	ck_assert_int_eq(rd_sub(&c, 8, 0, &g, "grandchild"), 0); /* empty at end ok */
	ck_assert_int_eq(rd_sub(&c, 2, 6, &g, "grandchild"), 0);
	ck_assert_uint_eq(g.base, 0x1006);
	ck_assert_int_ne(rd_sub(&g, 0, 7, &c, "x"), 0);
	/* overflow edge cases */
	ck_assert_int_eq(rd_sub(&r, UINT64_MAX, 2, &c, "wrap"), CSIG_E_OVERFLOW);
	ck_assert_int_eq(rd_sub(&r, 2, UINT64_MAX, &c, "wrap"), CSIG_E_OVERFLOW);
	ck_assert_int_eq(rd_sub(&r, UINT64_MAX, 0, &c, "far"), CSIG_E_BADOFFSET);
	ck_assert_int_eq(rd_sub(&r, 17, 0, &c, "far"), CSIG_E_BADOFFSET);
	ck_assert_int_eq(rd_sub(&r, 0, 17, &c, "long"), CSIG_E_BADOFFSET);
	ck_assert_int_eq(rd_sub(&r, 1, UINT64_MAX - 1, &c, "long"), CSIG_E_BADOFFSET); /* sum is exactly UINT64_MAX */
	ck_assert_int_eq(rd_sub(&r, 1, UINT64_MAX, &c, "long"), CSIG_E_OVERFLOW);
	ck_assert_int_eq(rd_sub(&r, UINT64_MAX - 1, 1, &c, "long"), CSIG_E_BADOFFSET);
	/* error offset is absolute and clamped into the window */
	CLR(e);
	rd_sub(&r, 10, 100, &c, "clip");
	ck_assert_uint_eq(e.offset, 0x100a);
	ck_assert_ptr_nonnull(strstr(e.msg, "clip"));
	CLR(e);
	rd_sub(&r, 1000, 1, &c, "clip");
	ck_assert_uint_eq(e.offset, 0x1010);
	/* child inherits what when NULL */
	ck_assert_int_eq(rd_sub(&r, 0, 1, &c, NULL), 0);
	ck_assert_str_eq(c.what, "parent");
	/* rd_take and rd_tail */
	ck_assert_int_eq(rd_seek(&r, 2), 0);
	ck_assert_int_eq(rd_take(&r, 4, &c, "take"), 0);
	ck_assert_uint_eq(r.pos, 6);
	ck_assert_uint_eq(c.base, 0x1002);
	ck_assert_int_eq(rd_take(&r, 11, &c, "take"), CSIG_E_TRUNCATED);
	ck_assert_uint_eq(r.pos, 6);
	ck_assert_int_eq(rd_take(&r, 10, &c, "take"), 0);
	ck_assert_uint_eq(r.pos, 16);
	ck_assert_int_eq(rd_tail(&r, 12, &c, "tail"), 0);
	ck_assert_uint_eq(c.len, 4);
	ck_assert_uint_eq(c.base, 0x100c);
	ck_assert_int_eq(rd_tail(&r, 16, &c, "tail"), 0);
	ck_assert_uint_eq(c.len, 0);
	ck_assert_int_eq(rd_tail(&r, 17, &c, "tail"), CSIG_E_BADOFFSET);
	ck_assert_int_eq(rd_tail(&r, UINT64_MAX, &c, "tail"), CSIG_E_BADOFFSET);
	/* views */
	csig_bytes bv = rd_view(&r);
	ck_assert_ptr_eq(bv.ptr, B);
	ck_assert_uint_eq(bv.len, 16);
	ck_assert_int_eq(rd_view_at(&r, 8, 3, &bv), 0);
	ck_assert_int_eq(memcmp(bv.ptr, "abc", 3), 0);
	ck_assert_int_ne(rd_view_at(&r, 8, 9, &bv), 0);
	ck_assert_int_ne(rd_view_at(&r, UINT64_MAX, UINT64_MAX, &bv), 0);
	ck_assert_int_ne(rd_view_at(&r, 16, 1, &bv), 0);
}
END_TEST

/* Base near UINT64_MAX: offsets are reported, nothing crashes. */
START_TEST(test_base_near_max)
{
	csig_rd r, c;
	csig_error e = { 0 };
	rd_init(&r, B, sizeof(B), UINT64_MAX - 32, "high", &e);
	uint32_t v;
	ck_assert_int_eq(rd_seek(&r, 14), 0);
	CLR(e);
	ck_assert_int_eq(rd_u32be(&r, &v), CSIG_E_TRUNCATED);
	ck_assert_uint_eq(e.offset, UINT64_MAX - 32 + 14);
	ck_assert_int_eq(rd_sub(&r, 4, 4, &c, "c"), 0);
	ck_assert_uint_eq(c.base, UINT64_MAX - 28);
}
END_TEST

START_TEST(test_cstr)
{
	csig_rd r;
	csig_error e = { 0 };
	const char *s;
	size_t n;
	rd_init(&r, B, sizeof(B), 0x500, "strings", &e);
	ck_assert_int_eq(rd_cstr_at(&r, 8, 100, &s, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_str_eq(s, "abc");
	ck_assert_int_eq(rd_cstr_at(&r, 11, 100, &s, &n), 0); /* empty string */
	ck_assert_uint_eq(n, 0);
	/* max bounds the scan */
	ck_assert_int_eq(rd_cstr_at(&r, 8, 3, &s, &n), CSIG_E_BADVALUE);
	ck_assert_int_eq(rd_cstr_at(&r, 8, 4, &s, &n), 0);
	/* no NUL before the end of the window: "xyz\xff" */
	CLR(e);
	ck_assert_int_eq(rd_cstr_at(&r, 12, 100, &s, &n), CSIG_E_BADVALUE);
	ck_assert_uint_eq(e.offset, 0x50c);
	ck_assert_ptr_nonnull(strstr(e.msg, "0x50c"));
	ck_assert_int_eq(rd_cstr_at(&r, 15, SIZE_MAX, &s, &n), CSIG_E_BADVALUE);
	/* offsets at/after the end */
	ck_assert_int_eq(rd_cstr_at(&r, 16, 100, &s, &n), CSIG_E_BADOFFSET);
	ck_assert_int_eq(rd_cstr_at(&r, UINT64_MAX, 100, &s, &n), CSIG_E_BADOFFSET);
	ck_assert_int_eq(rd_cstr_at(&r, 0, 0, &s, &n), CSIG_E_BADVALUE);
	/* exact-size heap copy without NUL: ASan would catch an overread */
	char *h = malloc(5);
	memcpy(h, "hello", 5);
	rd_init(&r, h, 5, 0, "heap", &e);
	ck_assert_int_eq(rd_cstr_at(&r, 0, SIZE_MAX, &s, &n), CSIG_E_BADVALUE);
	ck_assert_int_eq(rd_cstr_at(&r, 4, SIZE_MAX, &s, &n), CSIG_E_BADVALUE);
	free(h);
	/* fixstr */
	rd_init(&r, B, sizeof(B), 0, NULL, &e);
	ck_assert_int_eq(rd_seek(&r, 8), 0);
	ck_assert_int_eq(rd_fixstr(&r, 4, &s, &n), 0);
	ck_assert_uint_eq(n, 3);
	ck_assert_int_eq(rd_fixstr(&r, 4, &s, &n), 0); /* no NUL: full width */
	ck_assert_uint_eq(n, 4);
	ck_assert_int_eq(memcmp(s, "xyz\xff", 4), 0);
	ck_assert_int_eq(rd_fixstr(&r, 1, &s, &n), CSIG_E_TRUNCATED);
}
END_TEST

START_TEST(test_end_match)
{
	csig_rd r;
	csig_error e = { 0 };
	rd_init(&r, B, sizeof(B), 0x700, "ender", &e);
	ck_assert_int_eq(rd_skip(&r, 10), 0);
	CLR(e);
	ck_assert_int_eq(rd_end(&r), CSIG_E_TRAILING);
	ck_assert_uint_eq(e.offset, 0x70a);
	ck_assert_ptr_nonnull(strstr(e.msg, "6 "));
	ck_assert_ptr_nonnull(strstr(e.msg, "0x70a"));
	ck_assert_int_eq(rd_skip(&r, 6), 0);
	ck_assert_int_eq(rd_end(&r), 0);
	rd_init(&r, NULL, 0, 0, NULL, NULL);
	ck_assert_int_eq(rd_end(&r), 0);
	/* match */
	rd_init(&r, B, sizeof(B), 0, NULL, NULL);
	ck_assert_int_eq(rd_match(&r, 8, "abc", 3), 0);
	ck_assert_int_ne(rd_match(&r, 8, "abd", 3), 0);
	ck_assert_int_ne(rd_match(&r, 14, "z\xff?", 3), 0); /* past end */
	ck_assert_int_eq(rd_match(&r, 14, "z\xff", 2), 0);
	ck_assert_int_ne(rd_match(&r, UINT64_MAX, "a", 1), 0);
	ck_assert_int_eq(rd_match(&r, 16, "", 0), 0);
}
END_TEST

/* A NULL error sink is allowed everywhere. */
START_TEST(test_null_err)
{
	csig_rd r, c;
	rd_init(&r, B, 2, 0, NULL, NULL);
	uint32_t v;
	const char *s;
	size_t n;
	ck_assert_int_eq(rd_u32be(&r, &v), CSIG_E_TRUNCATED);
	ck_assert_int_eq(rd_seek(&r, 3), CSIG_E_BADOFFSET);
	ck_assert_int_eq(rd_sub(&r, 1, 2, &c, NULL), CSIG_E_BADOFFSET);
	ck_assert_int_eq(rd_cstr_at(&r, 0, 2, &s, &n), CSIG_E_BADVALUE);
	ck_assert_int_eq(rd_end(&r), CSIG_E_TRAILING);
}
END_TEST

Suite *rd_suite(void)
{
	Suite *s = suite_create("rd");
	TCase *tc = tcase_create("core");
	tcase_add_test(tc, test_loads);
	tcase_add_test(tc, test_short_reads);
	tcase_add_test(tc, test_seek);
	tcase_add_test(tc, test_sub);
	tcase_add_test(tc, test_base_near_max);
	tcase_add_test(tc, test_cstr);
	tcase_add_test(tc, test_end_match);
	tcase_add_test(tc, test_null_err);
	suite_add_tcase(s, tc);
	return s;
}

CSIG_TEST_MAIN(rd_suite)
