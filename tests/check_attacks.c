/*
 * check_attacks.c - known attack shapes become verify findings: slices with
 * different signers, code outside codeLimit, a special-slot hash for an
 * absent blob, XML/DER entitlements that disagree, and a stripped
 * (downgraded) CodeDirectory under a CMS that lists it.  Variants are made
 * in memory from fixtures; nothing is written.
 */
#include "testutil.h"

static int has(const csig_verify_result *r, const char *id)
{
	for (size_t i = 0; i < csig_verify_result_count(r); i++)
		if (strcmp(csig_verify_result_finding(r, i)->id, id) == 0)
			return 1;
	return 0;
}

static csig_verify_result *verify_buf(const unsigned char *b, size_t n, csig_file **f)
{
	csig_verify_result *r;
	ck_assert_int_eq(csig_file_open(f, b, n, NULL, NULL), CSIG_OK);
	csig_verify_options vo = CSIG_VERIFY_OPTIONS_INIT;
	vo.jobs = 1;
	ck_assert_int_eq(csig_verify(&r, *f, &vo, NULL), CSIG_OK);
	return r;
}

static void put_be32(unsigned char *p, uint32_t v)
{
	p[0] = (unsigned char)(v >> 24); p[1] = (unsigned char)(v >> 16);
	p[2] = (unsigned char)(v >> 8); p[3] = (unsigned char)v;
}

static uint32_t get_be32(const unsigned char *p)
{
	return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3];
}

/* Offset of the SuperBlob index entry whose type is @type. */
static size_t index_entry(const csig_file *f, const unsigned char *base, uint32_t type)
{
	const csig_sig *sig = csig_slice_signature(csig_file_slice(f, 0));
	csig_bytes sb = csig_sig_bytes(sig);
	size_t at = (size_t)(sb.ptr - base);
	uint32_t count = get_be32(base + at + 8);
	for (uint32_t i = 0; i < count; i++)
		if (get_be32(base + at + 12 + 8 * i) == type)
			return at + 12 + 8 * i;
	ck_abort_msg("no index entry of type 0x%x", type);
	return 0;
}

START_TEST(code_outside_limit)
{
	char p[512];
	size_t n;
	unsigned char *b = tu_read_file(tu_testdata("good/pysigned-arm64", p, sizeof(p)), &n);
	ck_assert_ptr_nonnull(b);
	csig_file *f;
	csig_verify_result *r = verify_buf(b, n, &f);
	ck_assert(csig_verify_result_valid(r));
	/* shorten codeLimit of the slot-0 CD by 16 bytes: same page count */
	csig_bytes cd = csig_codedir_bytes(csig_sig_cd(csig_slice_signature(csig_file_slice(f, 0)), 0));
	size_t at = (size_t)(cd.ptr - b) + 0x20;
	csig_verify_result_free(r);
	csig_file_free(f);
	put_be32(b + at, get_be32(b + at) - 16);
	r = verify_buf(b, n, &f);
	ck_assert(!csig_verify_result_valid(r));
	ck_assert(has(r, "code-outside-limit"));
	csig_verify_result_free(r);
	csig_file_free(f);
	free(b);
}
END_TEST

START_TEST(special_slot_for_absent_blob)
{
	char p[512];
	size_t n;
	unsigned char *b = tu_read_file(tu_testdata("good/pysigned-arm64", p, sizeof(p)), &n);
	ck_assert_ptr_nonnull(b);
	csig_file *f;
	csig_verify_result *r = verify_buf(b, n, &f);
	size_t e = index_entry(f, b, CSIG_SLOT_ENTITLEMENTS);
	csig_verify_result_free(r);
	csig_file_free(f);
	/* move the entitlements blob to slot 6: slot 5's hash now names nothing */
	put_be32(b + e, 6);
	r = verify_buf(b, n, &f);
	ck_assert(!csig_verify_result_valid(r));
	ck_assert(has(r, "special-slot-blob-missing"));
	ck_assert(has(r, "blob-not-covered"));
	csig_verify_result_free(r);
	csig_file_free(f);
	free(b);
}
END_TEST

static unsigned char *real_file(const char *rel, size_t *n)
{
	const char *dir = tu_real_fixtures();
	if (!dir)
		return NULL;
	char p[1024];
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	unsigned char *b = tu_read_file(p, n);
	ck_assert_msg(b != NULL, "cannot read %s", p);
	return b;
}

START_TEST(xml_der_entitlements_disagree)
{
	size_t n;
	unsigned char *b = real_file("sparkle/DevSignedApp.app/Contents/MacOS/SignedApp", &n);
	if (!b)
		return;
	csig_file *f;
	csig_verify_result *r = verify_buf(b, n, &f);
	ck_assert(csig_verify_result_valid(r));
	const csig_blob *x = csig_sig_find_blob(csig_slice_signature(csig_file_slice(f, 0)),
						CSIG_SLOT_ENTITLEMENTS);
	ck_assert_ptr_nonnull(x);
	/* rename a key in the XML only: still a plist, no longer the DER's twin */
	unsigned char *key = NULL;
	for (size_t i = 0; i + 11 <= x->length && !key; i++)
		if (memcmp(b + x->file_offset + i, "app-sandbox", 11) == 0)
			key = b + x->file_offset + i;
	ck_assert_ptr_nonnull(key);
	csig_verify_result_free(r);
	csig_file_free(f);
	key[4] = 'S';
	r = verify_buf(b, n, &f);
	ck_assert(!csig_verify_result_valid(r));
	ck_assert(has(r, "entitlements-xml-der-differ"));
	ck_assert(has(r, "special-slot-mismatch"));
	csig_verify_result_free(r);
	csig_file_free(f);
	free(b);
}
END_TEST

START_TEST(stripped_codedirectory)
{
	size_t n;
	unsigned char *b = real_file("fastlane/very-capable-app.app/very-capable-app", &n);
	if (!b)
		return;
	csig_file *f;
	csig_verify_result *r = verify_buf(b, n, &f);
	ck_assert(!has(r, "cms-cdhashes-mismatch"));
	size_t e = index_entry(f, b, CSIG_SLOT_ALTERNATE_CD);
	csig_verify_result_free(r);
	csig_file_free(f);
	/* hide the SHA-256 CD (a hash-type downgrade to the SHA-1 one) */
	put_be32(b + e, 0x2000);
	r = verify_buf(b, n, &f);
	ck_assert(!csig_verify_result_valid(r));
	ck_assert(has(r, "cms-cdhashes-mismatch"));
	csig_verify_result_free(r);
	csig_file_free(f);
	free(b);
}
END_TEST

START_TEST(slices_with_different_signers)
{
	size_t n;
	unsigned char *b = real_file("molcs/cal-yikes-universal_signed", &n);
	if (!b)
		return;
	csig_file *f;
	csig_verify_result *r = verify_buf(b, n, &f);
	ck_assert(!csig_verify_result_valid(r));
	ck_assert(has(r, "team-mismatch"));
	ck_assert(has(r, "identifier-mismatch"));
	ck_assert(has(r, "fat-cputype-mismatch"));
	csig_verify_result_free(r);
	csig_file_free(f);
	free(b);
}
END_TEST

static Suite *attacks_suite(void)
{
	Suite *s = suite_create("attacks");
	TCase *tc = tcase_create("shapes");
	tcase_add_test(tc, code_outside_limit);
	tcase_add_test(tc, special_slot_for_absent_blob);
	tcase_add_test(tc, xml_der_entitlements_disagree);
	tcase_add_test(tc, stripped_codedirectory);
	tcase_add_test(tc, slices_with_different_signers);
	suite_add_tcase(s, tc);
	return s;
}

CSIG_TEST_MAIN(attacks_suite)
