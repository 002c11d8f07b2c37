/* check_codedir.c - SuperBlob, CodeDirectories and cdhashes against testdata/expected*.json. */
#include "testutil.h"
#include "util.h"
#include "support_json.h"

static void hex(const uint8_t *p, size_t n, char *out)
{
	for (size_t i = 0; i < n; i++)
		sprintf(out + 2 * i, "%02x", p[i]);
	out[2 * n] = '\0';
}

static void check_cd(const csig_codedir *cd, const sj *e, const char *name)
{
	ck_assert_msg(csig_codedir_version(cd) == sj_u64(sj_get(e, "version")), "%s version", name);
	ck_assert_msg(csig_codedir_flags(cd) == sj_u64(sj_get(e, "flags")), "%s flags", name);
	ck_assert_msg((uint64_t)csig_codedir_hash_type(cd) == sj_u64(sj_get(e, "hashType")), "%s hashType", name);
	ck_assert_msg(csig_codedir_hash_size(cd) == sj_u64(sj_get(e, "hashSize")), "%s hashSize", name);
	ck_assert_msg(csig_codedir_page_shift(cd) == sj_u64(sj_get(e, "pageSize")), "%s pageSize", name);
	ck_assert_msg(csig_codedir_platform(cd) == sj_u64(sj_get(e, "platform")), "%s platform", name);
	ck_assert_msg(csig_codedir_n_special_slots(cd) == sj_u64(sj_get(e, "nSpecialSlots")), "%s nSpecial", name);
	ck_assert_msg(csig_codedir_n_code_slots(cd) == sj_u64(sj_get(e, "nCodeSlots")), "%s nCode", name);
	ck_assert_msg(csig_codedir_code_limit(cd) == sj_u64(sj_get(e, "signingLimit")), "%s codeLimit", name);
	ck_assert_str_eq(csig_codedir_identifier(cd), sj_str(sj_get(e, "identifier")));
	const sj *team = sj_get(e, "teamID");
	if (sj_is_null(team))
		ck_assert_ptr_null(csig_codedir_team_id(cd));
	else
		ck_assert_str_eq(csig_codedir_team_id(cd), sj_str(team));
	ck_assert_uint_eq(csig_codedir_bytes(cd).len, sj_u64(sj_get(e, "length")));
	uint64_t base, limit, flags;
	if (sj_get(e, "execSegBase")) {
		ck_assert_int_eq(csig_codedir_exec_segment(cd, &base, &limit, &flags), 0);
		ck_assert_uint_eq(base, sj_u64(sj_get(e, "execSegBase")));
		ck_assert_uint_eq(limit, sj_u64(sj_get(e, "execSegLimit")));
		ck_assert_uint_eq(flags, sj_u64(sj_get(e, "execSegFlags")));
	} else {
		ck_assert_int_eq(csig_codedir_exec_segment(cd, &base, &limit, &flags), CSIG_E_NOTFOUND);
	}
	if (sj_get(e, "runtime"))
		ck_assert_uint_eq(csig_codedir_runtime(cd), sj_u64(sj_get(e, "runtime")));
	uint8_t h[20], full[64];
	size_t flen = 0;
	char hx[129];
	csig_codedir_cdhash(cd, h);
	hex(h, 20, hx);
	ck_assert_msg(strcmp(hx, sj_str(sj_get(e, "cdhash"))) == 0, "%s cdhash %s", name, hx);
	ck_assert_int_eq(csig_codedir_cdhash_full(cd, full, &flen), 0);
	hex(full, flen, hx);
	ck_assert_msg(strcmp(hx, sj_str(sj_get(e, "cdhash_full"))) == 0, "%s cdhash_full %s", name, hx);
	/* slot hash bounds: exactly nSpecial special and nCode code slots */
	csig_bytes sh;
	int ns = (int)csig_codedir_n_special_slots(cd), nc = (int)csig_codedir_n_code_slots(cd);
	for (int k = -ns; k < nc; k++) {
		ck_assert_int_eq(csig_codedir_slot_hash(cd, k, &sh), 0);
		ck_assert_uint_eq(sh.len, csig_codedir_hash_size(cd));
		ck_assert(sh.ptr >= csig_codedir_bytes(cd).ptr &&
			  sh.ptr + sh.len <= csig_codedir_bytes(cd).ptr + csig_codedir_bytes(cd).len);
	}
	ck_assert_int_eq(csig_codedir_slot_hash(cd, -ns - 1, &sh), CSIG_E_NOTFOUND);
	ck_assert_int_eq(csig_codedir_slot_hash(cd, nc, &sh), CSIG_E_NOTFOUND);
	ck_assert_int_eq(csig_codedir_slot_hash(cd, INT32_MIN, &sh), CSIG_E_NOTFOUND);
	ck_assert_int_eq(csig_codedir_slot_hash(cd, INT32_MAX, &sh), CSIG_E_NOTFOUND);
	/* (the special slot hashes are recomputed by check_verify) */
}

static size_t check_sig(const csig_file *f, const sj *exp, const char *name)
{
	size_t cds = 0;
	const sj *slices = sj_get(exp, "slices");
	ck_assert_uint_eq(csig_file_slice_count(f), sj_len(slices));
	for (size_t i = 0; i < sj_len(slices); i++) {
		const sj *es = sj_at(slices, i);
		const csig_slice *s = csig_file_slice(f, i);
		const csig_sig *sig = csig_slice_signature(s);
		if (!sj_bool(sj_get(es, "signed"))) {
			ck_assert_msg(sig == NULL, "%s[%zu] unsigned but has a signature", name, i);
			continue;
		}
		ck_assert_msg(sig != NULL, "%s[%zu]: no signature", name, i);
		const sj *sb = sj_get(es, "superblob");
		ck_assert_uint_eq(csig_sig_bytes(sig).len, sj_u64(sj_get(sb, "length")));
		uint32_t dataoff;
		ck_assert_int_eq(csig_slice_code_signature(s, &dataoff, NULL), 0);
		ck_assert_uint_eq(csig_sig_file_offset(sig), csig_slice_offset(s) + dataoff);
		const sj *ents = sj_get(sb, "entries");
		ck_assert_uint_eq(csig_sig_blob_count(sig), sj_len(ents));
		for (size_t k = 0; k < sj_len(ents); k++) {
			const csig_blob *b = csig_sig_blob(sig, k);
			const sj *eb = sj_at(ents, k);
			ck_assert_uint_eq(b->type, sj_u64(sj_get(eb, "type")));
			ck_assert_uint_eq(b->offset, sj_u64(sj_get(eb, "offset")));
			ck_assert_uint_eq(b->magic, sj_num_or_hex(sj_get(eb, "magic")));
			ck_assert_uint_eq(b->length, sj_u64(sj_get(eb, "length")));
			ck_assert_int_eq(b->status, 0);
			ck_assert_uint_eq(b->bytes.len, b->length);
			ck_assert_uint_eq(b->file_offset, csig_sig_file_offset(sig) + b->offset);
			ck_assert_ptr_eq(csig_sig_find_blob(sig, b->type) , b);
		}
		ck_assert_ptr_null(csig_sig_blob(sig, sj_len(ents)));
		const sj *ecds = sj_get(es, "code_directories");
		ck_assert_msg(csig_sig_cd_count(sig) == sj_len(ecds), "%s[%zu] CD count", name, i);
		uint32_t prev = 0;
		for (size_t k = 0; k < csig_sig_cd_count(sig); k++) {
			const csig_codedir *cd = csig_sig_cd(sig, k);
			/* slot 0 first, then alternates ascending */
			ck_assert(k == 0 ? csig_codedir_slot(cd) == 0 : csig_codedir_slot(cd) > prev);
			prev = csig_codedir_slot(cd);
			const sj *e = NULL;
			for (size_t m = 0; m < sj_len(ecds); m++)
				if (sj_u64(sj_get(sj_at(ecds, m), "slot")) == csig_codedir_slot(cd))
					e = sj_at(ecds, m);
			ck_assert_msg(e != NULL, "%s[%zu]: CD slot 0x%x not expected", name, i, csig_codedir_slot(cd));
			check_cd(cd, e, name);
			cds++;
		}
		ck_assert_ptr_null(csig_sig_cd(sig, csig_sig_cd_count(sig)));
		const csig_codedir *best = csig_sig_best_cd(sig);
		ck_assert_ptr_nonnull(best);
		ck_assert_uint_eq(csig_codedir_slot(best), sj_u64(sj_get(es, "best_cd_slot")));
		uint8_t h[20];
		char hx[41];
		csig_codedir_cdhash(best, h);
		hex(h, 20, hx);
		ck_assert_str_eq(hx, sj_str(sj_get(es, "cdhash")));
		csig_bytes cms;
		const csig_blob *w = csig_sig_find_blob(sig, CSIG_SLOT_SIGNATURE);
		int rc = csig_sig_cms(sig, &cms);
		if (!w || w->length <= 8)
			ck_assert_int_eq(rc, CSIG_E_NOTFOUND);
		else {
			ck_assert_int_eq(rc, 0);
			ck_assert_uint_eq(cms.len, w->length - 8);
		}
	}
	return cds;
}

START_TEST(test_good_fixtures)
{
	char p[4096];
	sj *ex = sj_load(tu_testdata("expected.json", p, sizeof(p)));
	ck_assert_ptr_nonnull(ex);
	const sj *fx = sj_get(ex, "fixtures");
	size_t cds = 0;
	for (size_t n = 0; n < sj_len(fx); n++) {
		csig_file *f;
		csig_error e;
		ck_assert_int_eq(csig_file_open_path(&f, tu_testdata(fx->keys[n], p, sizeof(p)), NULL, &e), 0);
		cds += check_sig(f, sj_at(fx, n), fx->keys[n]);
		csig_file_free(f);
	}
	printf("good fixtures: %zu CodeDirectories checked\n", cds);
	ck_assert_uint_ge(cds, 12);
	sj_free(ex);
}
END_TEST

struct real_ctx { const sj *fixtures; size_t files, cds; };

static void real_one(const char *path, const char *rel, void *vctx)
{
	struct real_ctx *ctx = vctx;
	const sj *exp = sj_get(ctx->fixtures, rel);
	if (!exp)
		return;
	csig_file *f;
	csig_error e;
	ck_assert_msg(csig_file_open_path(&f, path, NULL, &e) == 0, "%s: %s", rel, e.msg);
	ctx->cds += check_sig(f, exp, rel);
	ctx->files++;
	csig_file_free(f);
}

START_TEST(test_real_fixtures)
{
	const char *dir = tu_real_fixtures();
	if (!dir)
		return;
	char p[4096];
	sj *ex = sj_load(tu_testdata("expected-real.json", p, sizeof(p)));
	ck_assert_ptr_nonnull(ex);
	struct real_ctx ctx = { sj_get(ex, "fixtures"), 0, 0 };
	sj_each_macho(dir, real_one, &ctx);
	printf("real fixtures: %zu files, %zu CodeDirectories checked\n", ctx.files, ctx.cds);
	ck_assert_uint_eq(ctx.files, sj_len(ctx.fixtures));
	sj_free(ex);
}
END_TEST

static void expect_digest(int type, const char *msg, const char *want)
{
	uint8_t out[64];
	size_t n = 0;
	char hx[129];
	ck_assert_int_eq(csig_digest(type, msg, strlen(msg), out, &n), 0);
	ck_assert_uint_eq(n * 2, strlen(want));
	hex(out, n, hx);
	ck_assert_str_eq(hx, want);
}

START_TEST(test_digest)
{
	expect_digest(CSIG_HASHTYPE_SHA1, "abc", "a9993e364706816aba3e25717850c26c9cd0d89d");
	expect_digest(CSIG_HASHTYPE_SHA1, "", "da39a3ee5e6b4b0d3255bfef95601890afd80709");
	expect_digest(CSIG_HASHTYPE_SHA256, "abc",
		      "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad");
	expect_digest(CSIG_HASHTYPE_SHA256, "",
		      "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855");
	expect_digest(CSIG_HASHTYPE_SHA256_TRUNCATED, "abc", "ba7816bf8f01cfea414140de5dae2223b00361a3");
	expect_digest(CSIG_HASHTYPE_SHA384, "abc",
		      "cb00753f45a35e8bb5a03d699ac65007272c32ab0eded1631a8b605a43ff5bed"
		      "8086072ba1e7cc2358baeca134c825a7");
	expect_digest(CSIG_HASHTYPE_SHA512, "abc",
		      "ddaf35a193617abacc417349ae20413112e6fa4e89a97ea20a9eeee64b55d39a"
		      "2192992a274fc1a836ba3c23a3feebbd454d4423643ce80e2a9ac94fa54ca49f");
	expect_digest(CSIG_HASHTYPE_SHA256, "abcdbcdecdefdefgefghfghighijhijkijkljklmklmnlmnomnopnopq",
		      "248d6a61d20638b8e5c026930c3e6039a33ce45964ff2167f6ecedd419db06c1");
	/* a million 'a's across block boundaries */
	size_t big = 1000000;
	char *a = malloc(big);
	memset(a, 'a', big);
	uint8_t out[64];
	size_t n;
	char hx[129];
	ck_assert_int_eq(csig_digest(CSIG_HASHTYPE_SHA256, a, big, out, &n), 0);
	hex(out, n, hx);
	ck_assert_str_eq(hx, "cdc76e5c9914fb9281a1c7e284d73e67f1809a48a497200e046d39ccc7112cd0");
	ck_assert_int_eq(csig_digest(CSIG_HASHTYPE_SHA1, a, big, out, &n), 0);
	hex(out, n, hx);
	ck_assert_str_eq(hx, "34aa973cd4c4daa4f61eeb2bdbad27316534016f");
	free(a);
	ck_assert_int_eq(csig_digest(CSIG_HASHTYPE_SHA256, NULL, 0, out, &n), 0);
	ck_assert_int_eq(csig_digest(CSIG_HASHTYPE_SHA256, NULL, 1, out, &n), CSIG_E_INVAL);
	ck_assert_int_eq(csig_digest(CSIG_HASHTYPE_SHA256, "x", 1, NULL, &n), CSIG_E_INVAL);
	ck_assert_int_eq(csig_digest(CSIG_HASHTYPE_NONE, "x", 1, out, &n), CSIG_E_UNSUPPORTED);
	ck_assert_int_eq(csig_digest(6, "x", 1, out, &n), CSIG_E_UNSUPPORTED);
	ck_assert_int_eq(csig_digest(-1, "x", 1, out, &n), CSIG_E_UNSUPPORTED);
	ck_assert_int_eq(csig_digest(CSIG_HASHTYPE_SHA1, "x", 1, out, NULL), 0);
}
END_TEST

START_TEST(test_names)
{
	char b[128];
	ck_assert_str_eq(csig_hash_type_name(1), "sha1");
	ck_assert_str_eq(csig_hash_type_name(2), "sha256");
	ck_assert_str_eq(csig_hash_type_name(3), "sha256-truncated");
	ck_assert_str_eq(csig_hash_type_name(4), "sha384");
	ck_assert_str_eq(csig_hash_type_name(5), "sha512");
	ck_assert_ptr_null(csig_hash_type_name(0));
	ck_assert_ptr_null(csig_hash_type_name(9));
	ck_assert_str_eq(csig_slot_name(0), "CodeDirectory");
	ck_assert_str_eq(csig_slot_name(2), "Requirements");
	ck_assert_str_eq(csig_slot_name(5), "Entitlements");
	ck_assert_str_eq(csig_slot_name(7), "EntitlementsDER");
	ck_assert_str_eq(csig_slot_name(0x1000), "AlternateCodeDirectory");
	ck_assert_str_eq(csig_slot_name(0x1004), "AlternateCodeDirectory");
	ck_assert_ptr_null(csig_slot_name(0x1005));
	ck_assert_str_eq(csig_slot_name(0x10000), "Signature");
	ck_assert_ptr_null(csig_slot_name(12));
	ck_assert_ptr_null(csig_slot_name(0xffffffffu));
	ck_assert_str_eq(csig_cd_flags_string(0x20002, b, sizeof(b)), "adhoc,linker-signed");
	ck_assert_str_eq(csig_cd_flags_string(0x10000, b, sizeof(b)), "runtime");
	ck_assert_str_eq(csig_cd_flags_string(0, b, sizeof(b)), "");
	ck_assert_str_eq(csig_cd_flags_string(0x2 | 0x4, b, sizeof(b)), "adhoc,0x4");
	ck_assert_str_eq(csig_execseg_flags_string(0x1, b, sizeof(b)), "MAIN_BINARY");
	ck_assert_str_eq(csig_execseg_flags_string(0x11, b, sizeof(b)), "MAIN_BINARY,ALLOW_UNSIGNED");
	ck_assert_str_eq(csig_execseg_flags_string(1ull << 40, b, sizeof(b)), "0x10000000000");
	char tiny[4];
	csig_cd_flags_string(0xffffffffu, tiny, sizeof(tiny));
	ck_assert_uint_lt(strlen(tiny), sizeof(tiny));
}
END_TEST

/* pysigned-arm64: SHA-1 CD in slot 0, SHA-256 in 0x1000; the best is the SHA-256 one. */
START_TEST(test_pysigned_details)
{
	char p[4096];
	csig_file *f;
	ck_assert_int_eq(csig_file_open_path(&f, tu_testdata("good/pysigned-arm64", p, sizeof(p)), NULL, NULL), 0);
	const csig_sig *sig = csig_slice_signature(csig_file_slice(f, 0));
	ck_assert_uint_eq(csig_sig_cd_count(sig), 2);
	ck_assert_int_eq(csig_codedir_hash_type(csig_sig_cd(sig, 0)), CSIG_HASHTYPE_SHA1);
	ck_assert_int_eq(csig_codedir_hash_type(csig_sig_best_cd(sig)), CSIG_HASHTYPE_SHA256);
	const csig_blob *ent = csig_sig_find_blob(sig, CSIG_SLOT_ENTITLEMENTS);
	ck_assert_ptr_nonnull(ent);
	ck_assert_uint_eq(ent->magic, CSIG_MAGIC_ENTITLEMENTS);
	ck_assert_str_eq(ent->name, "Entitlements");
	/* special slot -5 holds the hash of the whole entitlements blob */
	for (size_t k = 0; k < 2; k++) {
		const csig_codedir *cd = csig_sig_cd(sig, k);
		uint8_t d[64];
		size_t n;
		csig_bytes want;
		ck_assert_int_eq(csig_digest(csig_codedir_hash_type(cd), ent->bytes.ptr, ent->bytes.len, d, &n), 0);
		ck_assert_int_eq(csig_codedir_slot_hash(cd, -5, &want), 0);
		ck_assert_int_eq(memcmp(d, want.ptr, want.len), 0);
	}
	csig_bytes cms;
	ck_assert_int_eq(csig_sig_cms(sig, &cms), CSIG_E_NOTFOUND); /* empty wrapper: ad hoc */
	ck_assert_ptr_null(csig_sig_find_blob(sig, 0x4242));
	csig_file_free(f);
}
END_TEST

Suite *codedir_suite(void)
{
	Suite *s = suite_create("codedir");
	TCase *tc = tcase_create("core");
	tcase_set_timeout(tc, 120);
	tcase_add_test(tc, test_good_fixtures);
	tcase_add_test(tc, test_real_fixtures);
	tcase_add_test(tc, test_digest);
	tcase_add_test(tc, test_names);
	tcase_add_test(tc, test_pysigned_details);
	suite_add_tcase(s, tc);
	return s;
}

CSIG_TEST_MAIN(codedir_suite)
