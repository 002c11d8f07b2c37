/* check_verify.c - csig_verify on fixtures, tampered copies and a synthetic multi-MB file. */
#include "testutil.h"
#include "util.h"
#include "support_json.h"

static unsigned char *load(const char *rel, size_t *len)
{
	char p[4096];
	unsigned char *b = tu_read_file(tu_testdata(rel, p, sizeof(p)), len);
	ck_assert_msg(b != NULL, "cannot read %s", rel);
	return b;
}

static csig_verify_result *verify_buf(const unsigned char *buf, size_t len, unsigned jobs,
				      csig_file **fout)
{
	csig_file *f;
	csig_error e;
	ck_assert_msg(csig_file_open(&f, buf, len, NULL, &e) == 0, "open: %s", e.msg);
	csig_verify_options o = CSIG_VERIFY_OPTIONS_INIT;
	o.jobs = jobs;
	csig_verify_result *r;
	ck_assert_int_eq(csig_verify(&r, f, &o, &e), 0);
	if (fout)
		*fout = f;
	else
		csig_file_free(f);
	return r;
}

static size_t count_id(const csig_verify_result *r, const char *id, int cd)
{
	size_t n = 0;
	for (size_t i = 0; i < csig_verify_result_count(r); i++) {
		const csig_finding *x = csig_verify_result_finding(r, i);
		if (strcmp(x->id, id) == 0 && (cd < -1 || x->cd == cd))
			n++;
	}
	return n;
}

static size_t count_errors(const csig_verify_result *r)
{
	size_t n = 0;
	for (size_t i = 0; i < csig_verify_result_count(r); i++)
		n += csig_verify_result_finding(r, i)->severity == CSIG_SEV_ERROR;
	return n;
}

static void dump(const csig_verify_result *r)
{
	for (size_t i = 0; i < csig_verify_result_count(r); i++) {
		const csig_finding *x = csig_verify_result_finding(r, i);
		printf("  %s sev=%d slice=%d cd=%d @0x%llx %s\n", x->id, x->severity, x->slice, x->cd,
		       (unsigned long long)x->offset, x->message);
	}
}

/* Findings of a and b are identical, in order. */
static void same_findings(const csig_verify_result *a, const csig_verify_result *b)
{
	ck_assert_uint_eq(csig_verify_result_count(a), csig_verify_result_count(b));
	for (size_t i = 0; i < csig_verify_result_count(a); i++) {
		const csig_finding *x = csig_verify_result_finding(a, i);
		const csig_finding *y = csig_verify_result_finding(b, i);
		ck_assert_str_eq(x->id, y->id);
		ck_assert_int_eq(x->severity, y->severity);
		ck_assert_int_eq(x->slice, y->slice);
		ck_assert_int_eq(x->cd, y->cd);
		ck_assert_uint_eq(x->offset, y->offset);
		ck_assert_str_eq(x->message, y->message);
	}
	ck_assert_int_eq(csig_verify_result_valid(a), csig_verify_result_valid(b));
	ck_assert_uint_eq(csig_verify_result_bytes_hashed(a), csig_verify_result_bytes_hashed(b));
}

/* ---- verdicts match the oracle ------------------------------------------ */

/*
 * Valid exactly when every slice is signed and all its hashes match, with
 * one documented exception: a fat entry whose cputype differs from its
 * slice header (molcs/cal-yikes-universal_*) is an error-severity
 * structural finding in libcsig (csig/macho.h), so such a file is invalid
 * even though sigcheck.py finds every hash matching.
 */
static int expected_valid(const sj *exp)
{
	const sj *slices = sj_get(exp, "slices");
	int ok = sj_len(slices) > 0;
	for (size_t i = 0; i < sj_len(slices); i++) {
		const sj *s = sj_at(slices, i);
		ok &= sj_bool(sj_get(s, "signed")) && sj_bool(sj_get(s, "all_hashes_match"));
		const sj *m = sj_get(s, "header_cputype_matches");
		if (m && !sj_bool(m))
			ok = 0;
	}
	return ok;
}

static void verdict_one(const char *path, const char *rel, const sj *exp)
{
	csig_file *f;
	csig_error e;
	ck_assert_msg(csig_file_open_path(&f, path, NULL, &e) == 0, "%s: %s", rel, e.msg);
	csig_verify_result *r;
	ck_assert_int_eq(csig_verify(&r, f, NULL, &e), 0);
	int want = expected_valid(exp);
	/*
	 * The oracle judges hashes only.  Where it says valid, libcsig may still
	 * say invalid for trust reasons (CMS chain, certificates) decided by
	 * other modules; every error must then be a cms-/cert- finding.
	 */
	if (csig_verify_result_valid(r) != want) {
		printf("%s: valid=%d, oracle (hashes only) %d\n", rel, csig_verify_result_valid(r), want);
		dump(r);
	}
	if (!want)
		ck_assert_msg(!csig_verify_result_valid(r), "%s: valid, oracle says invalid", rel);
	else
		for (size_t i = 0; i < csig_verify_result_count(r); i++) {
			const csig_finding *x = csig_verify_result_finding(r, i);
			if (x->severity == CSIG_SEV_ERROR)
				ck_assert_msg(strncmp(x->id, "cms-", 4) == 0 || strncmp(x->id, "cert-", 5) == 0,
					      "%s: hashes match per the oracle but %s: %s", rel, x->id, x->message);
		}
	/* unsigned slices are named */
	const sj *slices = sj_get(exp, "slices");
	for (size_t i = 0; i < sj_len(slices); i++)
		if (!sj_bool(sj_get(sj_at(slices, i), "signed"))) {
			int seen = 0;
			for (size_t k = 0; k < csig_verify_result_count(r); k++) {
				const csig_finding *x = csig_verify_result_finding(r, k);
				seen |= strcmp(x->id, "unsigned") == 0 && x->slice == (int)i;
			}
			ck_assert_msg(seen, "%s[%zu]: no 'unsigned' finding", rel, i);
		}
	if (want)
		ck_assert_uint_gt(csig_verify_result_bytes_hashed(r), 0);
	csig_verify_result_free(r);
	csig_file_free(f);
}

START_TEST(test_good_verdicts)
{
	char p[4096];
	sj *ex = sj_load(tu_testdata("expected.json", p, sizeof(p)));
	const sj *fx = sj_get(ex, "fixtures");
	for (size_t n = 0; n < sj_len(fx); n++)
		verdict_one(tu_testdata(fx->keys[n], p, sizeof(p)), fx->keys[n], sj_at(fx, n));
	sj_free(ex);
}
END_TEST

struct real_ctx { const sj *fixtures; size_t n; };
static void real_one(const char *path, const char *rel, void *vctx)
{
	struct real_ctx *c = vctx;
	const sj *exp = sj_get(c->fixtures, rel);
	if (exp) {
		verdict_one(path, rel, exp);
		c->n++;
	}
}

START_TEST(test_real_verdicts)
{
	const char *dir = tu_real_fixtures();
	if (!dir)
		return;
	char p[4096];
	sj *ex = sj_load(tu_testdata("expected-real.json", p, sizeof(p)));
	struct real_ctx c = { sj_get(ex, "fixtures"), 0 };
	sj_each_macho(dir, real_one, &c);
	ck_assert_uint_eq(c.n, sj_len(c.fixtures));
	sj_free(ex);
}
END_TEST

/* ---- tampering ------------------------------------------------------------ */

/* Flip one byte in code page `page` of slice `si`; exactly one mismatch per CD naming it. */
static void flip_page(const char *rel, size_t si, size_t page)
{
	size_t len;
	unsigned char *buf = load(rel, &len);
	csig_file *f;
	ck_assert_int_eq(csig_file_open(&f, buf, len, NULL, NULL), 0);
	const csig_slice *s = csig_file_slice(f, si);
	const csig_sig *sig = csig_slice_signature(s);
	size_t ncd = csig_sig_cd_count(sig);
	uint64_t at = csig_slice_offset(s) + page * 4096 + 777;
	csig_file_free(f);
	buf[at] ^= 0x5a;
	csig_verify_result *r = verify_buf(buf, len, 1, NULL);
	ck_assert(!csig_verify_result_valid(r));
	ck_assert_uint_eq(count_id(r, "page-hash-mismatch", -2), ncd);
	ck_assert_uint_eq(count_errors(r), ncd);
	char want[64];
	snprintf(want, sizeof(want), "page %zu ", page);
	for (size_t k = 0; k < ncd; k++) {
		ck_assert_uint_eq(count_id(r, "page-hash-mismatch", (int)k), 1);
		for (size_t i = 0; i < csig_verify_result_count(r); i++) {
			const csig_finding *x = csig_verify_result_finding(r, i);
			if (x->cd != (int)k || strcmp(x->id, "page-hash-mismatch") != 0)
				continue;
			ck_assert_int_eq(x->slice, (int)si);
			ck_assert_uint_eq(x->offset, at - 777);
			ck_assert_msg(strstr(x->message, want) != NULL, "%s", x->message);
		}
	}
	csig_verify_result_free(r);
	free(buf);
}

START_TEST(test_flip_code_page)
{
	flip_page("good/adhoc-arm64", 0, 5);
	flip_page("good/pysigned-arm64", 0, 7);   /* two CDs: one finding each */
	flip_page("good/fat-arm64-x86_64", 1, 2); /* arm64 slice at 0x8000 */
	flip_page("good/fat64", 0, 3);
	flip_page("good/go-arm64", 0, 200);
	flip_page("good/handmade-min-arm64", 0, 1); /* last, short page */
}
END_TEST

/* Flip a byte inside blob `slot` of pysigned-arm64: special slot -slot mismatches on both CDs. */
static void flip_blob(uint32_t slot, size_t at_in_blob)
{
	size_t len;
	unsigned char *buf = load("good/pysigned-arm64", &len);
	csig_file *f;
	ck_assert_int_eq(csig_file_open(&f, buf, len, NULL, NULL), 0);
	const csig_blob *b = csig_sig_find_blob(csig_slice_signature(csig_file_slice(f, 0)), slot);
	ck_assert_ptr_nonnull(b);
	ck_assert_uint_lt(at_in_blob, b->length);
	uint64_t at = b->file_offset + at_in_blob;
	csig_file_free(f);
	buf[at] ^= 0x01;
	csig_verify_result *r = verify_buf(buf, len, 1, NULL);
	ck_assert(!csig_verify_result_valid(r));
	char want[32];
	snprintf(want, sizeof(want), "slot -%u ", slot);
	for (int k = 0; k < 2; k++) {
		ck_assert_uint_eq(count_id(r, "special-slot-mismatch", k), 1);
		for (size_t i = 0; i < csig_verify_result_count(r); i++) {
			const csig_finding *x = csig_verify_result_finding(r, i);
			if (x->cd == k && strcmp(x->id, "special-slot-mismatch") == 0)
				ck_assert_msg(strstr(x->message, want) != NULL, "%s", x->message);
		}
	}
	/* other errors may only be about the blob itself (it may no longer parse), never a CD */
	for (size_t i = 0; i < csig_verify_result_count(r); i++) {
		const csig_finding *x = csig_verify_result_finding(r, i);
		if (x->severity == CSIG_SEV_ERROR && strcmp(x->id, "special-slot-mismatch") != 0)
			ck_assert_msg(x->cd == -1, "unexpected %s: %s", x->id, x->message);
	}
	csig_verify_result_free(r);
	free(buf);
}

START_TEST(test_flip_entitlements)
{
	flip_blob(CSIG_SLOT_ENTITLEMENTS, 100);
}
END_TEST

START_TEST(test_flip_requirements)
{
	flip_blob(CSIG_SLOT_REQUIREMENTS, 11);
}
END_TEST

/* Info.plist section (slot -1) is bound too. */
START_TEST(test_flip_info_plist)
{
	size_t len;
	unsigned char *buf = load("good/pysigned-arm64", &len);
	csig_file *f;
	csig_bytes pl;
	ck_assert_int_eq(csig_file_open(&f, buf, len, NULL, NULL), 0);
	ck_assert_int_eq(csig_slice_info_plist(csig_file_slice(f, 0), &pl), 0);
	size_t at = (size_t)(pl.ptr - buf) + 10;
	csig_file_free(f);
	buf[at] ^= 0x20;
	csig_verify_result *r = verify_buf(buf, len, 1, NULL);
	ck_assert(!csig_verify_result_valid(r));
	ck_assert_uint_eq(count_id(r, "special-slot-mismatch", -2), 2);
	ck_assert_uint_ge(count_id(r, "page-hash-mismatch", -2), 2); /* the section is in a code page too */
	csig_verify_result_free(r);
	free(buf);
}
END_TEST

/*
 * Swap the two CodeDirectories' index types (slot 0 <-> 0x1000) in
 * pysigned-arm64.  Observed and asserted: the signature still parses; the
 * SHA-256 CD now sits in slot 0 and is still the best; every hash still
 * matches (the CD bytes do not name their slot), so the file verifies.
 * Apple's Security framework behaves the same for an ad-hoc signature: the
 * slot number is not covered by any hash; only a CMS signature (whose
 * signed cdhashes list is ordered by slot) could notice.
 */
START_TEST(test_swap_cd_slots)
{
	size_t len;
	unsigned char *buf = load("good/pysigned-arm64", &len);
	csig_file *f;
	ck_assert_int_eq(csig_file_open(&f, buf, len, NULL, NULL), 0);
	const csig_sig *sig = csig_slice_signature(csig_file_slice(f, 0));
	uint64_t idx = csig_sig_file_offset(sig) + 12;
	uint8_t h0[20], h1[20];
	csig_codedir_cdhash(csig_sig_cd(sig, 0), h0);
	csig_codedir_cdhash(csig_sig_cd(sig, 1), h1);
	size_t i0 = 99, i1 = 99;
	for (size_t i = 0; i < csig_sig_blob_count(sig); i++) {
		if (csig_sig_blob(sig, i)->type == 0) i0 = i;
		if (csig_sig_blob(sig, i)->type == 0x1000) i1 = i;
	}
	csig_file_free(f);
	ck_assert(i0 < 99 && i1 < 99);
	unsigned char t[4];
	memcpy(t, buf + idx + 8 * i0, 4);
	memcpy(buf + idx + 8 * i0, buf + idx + 8 * i1, 4);
	memcpy(buf + idx + 8 * i1, t, 4);
	csig_verify_result *r = verify_buf(buf, len, 1, &f);
	sig = csig_slice_signature(csig_file_slice(f, 0));
	ck_assert_ptr_nonnull(sig);
	ck_assert_uint_eq(csig_sig_cd_count(sig), 2);
	ck_assert_uint_eq(csig_codedir_slot(csig_sig_cd(sig, 0)), 0);
	ck_assert_int_eq(csig_codedir_hash_type(csig_sig_cd(sig, 0)), CSIG_HASHTYPE_SHA256);
	ck_assert_int_eq(csig_codedir_hash_type(csig_sig_cd(sig, 1)), CSIG_HASHTYPE_SHA1);
	ck_assert_ptr_eq(csig_sig_best_cd(sig), csig_sig_cd(sig, 0));
	uint8_t g0[20], g1[20];
	csig_codedir_cdhash(csig_sig_cd(sig, 0), g0);
	csig_codedir_cdhash(csig_sig_cd(sig, 1), g1);
	ck_assert_int_eq(memcmp(g0, h1, 20), 0);
	ck_assert_int_eq(memcmp(g1, h0, 20), 0);
	if (!csig_verify_result_valid(r))
		dump(r);
	ck_assert(csig_verify_result_valid(r));
	csig_verify_result_free(r);
	csig_file_free(f);
	free(buf);
}
END_TEST

/* Signature cut short: malformed or outside the slice, invalid, no crash. */
START_TEST(test_truncated_signature)
{
	size_t len;
	unsigned char *buf = load("good/handmade-min-arm64", &len);
	csig_file *f;
	ck_assert_int_eq(csig_file_open(&f, buf, len, NULL, NULL), 0);
	const csig_slice *s = csig_file_slice(f, 0);
	uint64_t lc_at = 0;
	for (size_t i = 0; i < csig_slice_lc_count(s); i++)
		if (csig_slice_lc(s, i)->cmd == 0x1d)
			lc_at = csig_slice_lc(s, i)->offset;
	uint32_t dataoff, datasize;
	ck_assert_int_eq(csig_slice_code_signature(s, &dataoff, &datasize), 0);
	csig_file_free(f);
	ck_assert_uint_gt(lc_at, 0);
	/* (a) datasize shrunk to 8 bytes: the SuperBlob header no longer fits */
	unsigned char *a = malloc(len);
	memcpy(a, buf, len);
	a[lc_at + 12] = 8; a[lc_at + 13] = 0; a[lc_at + 14] = 0; a[lc_at + 15] = 0;
	csig_verify_result *r = verify_buf(a, len, 1, &f);
	ck_assert(!csig_verify_result_valid(r));
	ck_assert_uint_eq(count_id(r, "signature-malformed", -2), 1);
	ck_assert_ptr_null(csig_slice_signature(csig_file_slice(f, 0)));
	csig_verify_result_free(r);
	csig_file_free(f);
	/* (b) datasize cut into the middle of the CodeDirectory */
	memcpy(a, buf, len);
	uint32_t cut = 100;
	memcpy(a + lc_at + 12, &cut, 4); /* little-endian host assumed by the fixture */
	r = verify_buf(a, len, 1, NULL);
	ck_assert(!csig_verify_result_valid(r));
	ck_assert_uint_ge(count_id(r, "signature-malformed", -2) + count_id(r, "blob-out-of-bounds", -2), 1);
	csig_verify_result_free(r);
	free(a);
	/* (c) the file itself truncated inside the signature: exact-size copy */
	for (size_t cutlen = dataoff + 1; cutlen < len; cutlen += 37) {
		unsigned char *c = malloc(cutlen);
		memcpy(c, buf, cutlen);
		r = verify_buf(c, cutlen, 1, NULL);
		ck_assert(!csig_verify_result_valid(r));
		ck_assert_uint_ge(count_id(r, "signature-outside-slice", -2), 1);
		csig_verify_result_free(r);
		free(c);
	}
	free(buf);
}
END_TEST

START_TEST(test_fat_mixed)
{
	size_t len;
	unsigned char *buf = load("good/fat-mixed", &len);
	csig_file *f;
	csig_verify_result *r = verify_buf(buf, len, 0, &f);
	ck_assert(!csig_verify_result_valid(r));
	ck_assert_uint_eq(count_id(r, "unsigned", -2), 1);
	const csig_finding *x = NULL;
	for (size_t i = 0; i < csig_verify_result_count(r); i++)
		if (strcmp(csig_verify_result_finding(r, i)->id, "unsigned") == 0)
			x = csig_verify_result_finding(r, i);
	ck_assert_int_eq(x->slice, 0);
	ck_assert_int_eq(x->severity, CSIG_SEV_ERROR);
	ck_assert_uint_eq(count_errors(r), 1);
	csig_verify_result_free(r);
	/* one slice at a time */
	csig_verify_options o = CSIG_VERIFY_OPTIONS_INIT;
	o.flags = CSIG_VERIFY_ONE_SLICE;
	o.slice = 1;
	ck_assert_int_eq(csig_verify(&r, f, &o, NULL), 0);
	ck_assert(csig_verify_result_valid(r));
	for (size_t i = 0; i < csig_verify_result_count(r); i++)
		ck_assert_int_ne(csig_verify_result_finding(r, i)->slice, 0);
	csig_verify_result_free(r);
	o.slice = 0;
	ck_assert_int_eq(csig_verify(&r, f, &o, NULL), 0);
	ck_assert(!csig_verify_result_valid(r));
	ck_assert_uint_eq(csig_verify_result_bytes_hashed(r), 0);
	for (size_t i = 0; i < csig_verify_result_count(r); i++)
		ck_assert_int_ne(csig_verify_result_finding(r, i)->slice, 1);
	csig_verify_result_free(r);
	o.slice = 2;
	csig_error e;
	r = (csig_verify_result *)&e;
	ck_assert_int_eq(csig_verify(&r, f, &o, &e), CSIG_E_INVAL);
	ck_assert_ptr_null(r);
	o.slice = 0;
	o.version = 7;
	ck_assert_int_eq(csig_verify(&r, f, &o, &e), CSIG_E_INVAL);
	ck_assert_int_eq(csig_verify(NULL, f, NULL, &e), CSIG_E_INVAL);
	ck_assert_int_eq(csig_verify(&r, NULL, NULL, &e), CSIG_E_INVAL);
	csig_verify_result_free(NULL);
	ck_assert_int_eq(csig_verify_result_valid(NULL), 0);
	ck_assert_uint_eq(csig_verify_result_count(NULL), 0);
	ck_assert_ptr_null(csig_verify_result_finding(NULL, 0));
	csig_file_free(f);
	free(buf);
}
END_TEST

START_TEST(test_verify_nomem)
{
	size_t len;
	unsigned char *buf = load("good/pysigned-arm64", &len);
	buf[5 * 4096 + 1] ^= 1; /* so that findings are recorded */
	csig_file *f;
	ck_assert_int_eq(csig_file_open(&f, buf, len, NULL, NULL), 0);
	for (long n = 1; n < 100; n++) {
		csig_verify_result *r = NULL;
		csig__test_fail_alloc_after(n);
		int rc = csig_verify(&r, f, NULL, NULL);
		csig__test_fail_alloc_after(0);
		ck_assert(rc == 0 || rc == CSIG_E_NOMEM);
		if (rc == 0) {
			ck_assert(!csig_verify_result_valid(r));
			csig_verify_result_free(r);
			break;
		}
		ck_assert_ptr_null(r);
	}
	csig_file_free(f);
	free(buf);
}
END_TEST

/* ---- a synthetic multi-MB file so that the page hashing runs threads ---- */

static void put32le(unsigned char *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (8 * i)); }
static void put64le(unsigned char *p, uint64_t v) { for (int i = 0; i < 8; i++) p[i] = (unsigned char)(v >> (8 * i)); }
static void put32be(unsigned char *p, uint32_t v) { for (int i = 0; i < 4; i++) p[i] = (unsigned char)(v >> (24 - 8 * i)); }

/* Thin arm64 executable: __TEXT over code_len bytes, ad-hoc SHA-256 CD v0x20001. */
static unsigned char *make_signed(size_t code_len, size_t *out_len)
{
	size_t npages = (code_len + 4095) / 4096;
	size_t cd_len = 44 + 4 + 32 * npages, sb_len = 20 + cd_len;
	size_t len = code_len + sb_len;
	unsigned char *b = calloc(1, len);
	uint64_t seed = 42;
	for (size_t i = 0; i < code_len; i++)
		b[i] = (unsigned char)(tu_rand(&seed) >> 56);
	put32le(b, 0xfeedfacf);
	put32le(b + 4, 0x0100000c);
	put32le(b + 8, 0);
	put32le(b + 12, 2);
	put32le(b + 16, 2);
	put32le(b + 20, 72 + 16);
	put32le(b + 24, 0);
	put32le(b + 28, 0);
	unsigned char *lc = b + 32;
	memset(lc, 0, 72);
	put32le(lc, 0x19);
	put32le(lc + 4, 72);
	memcpy(lc + 8, "__TEXT", 6);
	put64le(lc + 24, 0x100000000ull);
	put64le(lc + 32, code_len);
	put64le(lc + 40, 0);
	put64le(lc + 48, code_len);
	put32le(lc + 56, 5);
	put32le(lc + 60, 5);
	put32le(lc + 64, 0);
	put32le(lc + 68, 0);
	lc += 72;
	put32le(lc, 0x1d);
	put32le(lc + 4, 16);
	put32le(lc + 8, (uint32_t)code_len);
	put32le(lc + 12, (uint32_t)sb_len);
	unsigned char *sb = b + code_len;
	put32be(sb, 0xfade0cc0);
	put32be(sb + 4, (uint32_t)sb_len);
	put32be(sb + 8, 1);
	put32be(sb + 12, 0);
	put32be(sb + 16, 20);
	unsigned char *cd = sb + 20;
	put32be(cd, 0xfade0c02);
	put32be(cd + 4, (uint32_t)cd_len);
	put32be(cd + 8, 0x20001);
	put32be(cd + 12, 2);            /* adhoc */
	put32be(cd + 16, 48);           /* hashOffset */
	put32be(cd + 20, 44);           /* identOffset */
	put32be(cd + 24, 0);
	put32be(cd + 28, (uint32_t)npages);
	put32be(cd + 32, (uint32_t)code_len);
	cd[36] = 32; cd[37] = 2; cd[38] = 0; cd[39] = 12;
	memcpy(cd + 44, "big", 4);
	for (size_t i = 0; i < npages; i++) {
		size_t n = code_len - i * 4096 < 4096 ? code_len - i * 4096 : 4096;
		uint8_t d[64];
		ck_assert_int_eq(csig_digest(2, b + i * 4096, n, d, NULL), 0);
		memcpy(cd + 48 + 32 * i, d, 32);
	}
	*out_len = len;
	return b;
}

START_TEST(test_jobs_identical)
{
	size_t len;
	unsigned char *b = make_signed((6u << 20) + 1234, &len);
	csig_verify_result *r1 = verify_buf(b, len, 1, NULL);
	if (!csig_verify_result_valid(r1))
		dump(r1);
	ck_assert(csig_verify_result_valid(r1));
	csig_verify_result_free(r1);
	/* a few flips, then many (past the 32 listed) */
	static const size_t few[] = { 3, 700, 1201, 1536 };
	for (int round = 0; round < 2; round++) {
		if (round == 0)
			for (size_t i = 0; i < 4; i++)
				b[few[i] * 4096 + 9] ^= 0x80;
		else
			for (size_t i = 1; i < 1500; i += 17)
				b[i * 4096 + 100] ^= 0x01;
		r1 = verify_buf(b, len, 1, NULL);
		csig_verify_result *r2 = verify_buf(b, len, 2, NULL);
		csig_verify_result *r4 = verify_buf(b, len, 4, NULL);
		csig_verify_result *r0 = verify_buf(b, len, 0, NULL);
		ck_assert(!csig_verify_result_valid(r1));
		same_findings(r1, r2);
		same_findings(r1, r4);
		same_findings(r1, r0);
		if (round == 0) {
			ck_assert_uint_eq(count_id(r1, "page-hash-mismatch", 0), 4);
			size_t k = 0;
			for (size_t i = 0; i < csig_verify_result_count(r1); i++) {
				const csig_finding *x = csig_verify_result_finding(r1, i);
				if (strcmp(x->id, "page-hash-mismatch") == 0)
					ck_assert_uint_eq(x->offset, few[k++] * 4096);
			}
		} else {
			ck_assert_uint_eq(count_id(r1, "page-hash-mismatch", 0), 32);
			ck_assert_uint_eq(count_id(r1, "page-hash-mismatch-summary", 0), 1);
		}
		csig_verify_result_free(r1);
		csig_verify_result_free(r2);
		csig_verify_result_free(r4);
		csig_verify_result_free(r0);
	}
	free(b);
}
END_TEST

/* Every good fixture: jobs=1 and jobs=4 agree. */
START_TEST(test_jobs_fixtures)
{
	char p[4096];
	sj *ex = sj_load(tu_testdata("expected.json", p, sizeof(p)));
	const sj *fx = sj_get(ex, "fixtures");
	for (size_t n = 0; n < sj_len(fx); n++) {
		size_t len;
		unsigned char *b = load(fx->keys[n], &len);
		if (len > 3 * 4096)
			b[len / 2] ^= 0xff; /* likely inside code */
		csig_verify_result *r1 = verify_buf(b, len, 1, NULL);
		csig_verify_result *r4 = verify_buf(b, len, 4, NULL);
		same_findings(r1, r4);
		csig_verify_result_free(r1);
		csig_verify_result_free(r4);
		free(b);
	}
	sj_free(ex);
}
END_TEST

Suite *verify_suite(void)
{
	Suite *s = suite_create("verify");
	TCase *tc = tcase_create("verdicts");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_good_verdicts);
	tcase_add_test(tc, test_real_verdicts);
	suite_add_tcase(s, tc);
	TCase *tt = tcase_create("tamper");
	tcase_set_timeout(tt, 120);
	tcase_add_test(tt, test_flip_code_page);
	tcase_add_test(tt, test_flip_entitlements);
	tcase_add_test(tt, test_flip_requirements);
	tcase_add_test(tt, test_flip_info_plist);
	tcase_add_test(tt, test_swap_cd_slots);
	tcase_add_test(tt, test_truncated_signature);
	tcase_add_test(tt, test_fat_mixed);
	tcase_add_test(tt, test_verify_nomem);
	suite_add_tcase(s, tt);
	TCase *tj = tcase_create("jobs");
	tcase_set_timeout(tj, 120);
	tcase_add_test(tj, test_jobs_identical);
	tcase_add_test(tj, test_jobs_fixtures);
	suite_add_tcase(s, tj);
	return s;
}

CSIG_TEST_MAIN(verify_suite)
