/* check_cms.c - CMS SignedData parsing and verification (csig/cms.h). */
#include "testutil.h"
#include "cms_testutil.h"
#include "util.h"

static const struct {
	const char *path;
	int apple;      /* chain ends at a pinned Apple root */
	int timestamp;  /* RFC 3161 token present */
	int cdhashes;   /* 100.9.1 plist present */
} code_sigs[] = {
	{ "sparkle/DevSignedApp.app/Contents/MacOS/SignedApp", 1, 1, 1 },
	{ "isign/Test.app/isignTestApp", 1, 0, 0 },
	{ "isign/Test.app/Frameworks/libswiftContacts.dylib", 1, 0, 0 },
	{ "santa/allowed_signingid", 1, 0, 1 },
	{ "santa/allowed_teamid", 1, 0, 1 },
	{ "santa/cert_hash_allowed_signingid_blocked", 1, 0, 1 },
	{ "santa/badcert", 0, 0, -1 },
	{ "santa/goodcert", 0, 0, -1 },
	{ "molcs/cal-yikes-universal", 1, 0, -1 },
	{ "molcs/cal-yikes-universal_signed", 1, 0, -1 },
	{ "molcs/signed-with-teamid", 1, 0, 1 },
	{ "molcs/yikes-universal_signed", 1, 0, -1 },
	{ "app_info/FMDB.framework/FMDB", 1, 0, 1 },
	{ "app_info/libswiftPhotos.dylib", 1, 0, -1 },
	{ "app_info/NotificationService.appex/NotificationService", 1, 0, -1 },
	{ "fastlane/very-capable-app.app/very-capable-app", 0, 0, 1 },
};

static const struct {
	const char *path;
	int apple;
	int digest_ok;
} profiles[] = {
	{ "app_info/ios_adhoc.mobileprovision", 1, 1 },
	{ "app_info/ios_appstore.mobileprovision", 1, 1 },
	{ "app_info/ios_development.mobileprovision", 1, 1 },
	{ "app_info/macos_appstore.provisionprofile", 1, 1 },
	{ "app_info/macos_development.provisionprofile", 1, 1 },
	{ "app_info/profile.mobileprovision", 1, 1 },
	{ "app_info/NotificationService.appex/embedded.mobileprovision", 1, 1 },
	{ "fastlane/AppStore_tools.fastlane.app.mobileprovision", 1, 1 },
	{ "fastlane/AppStore_net.sunapps.9.watch.mobileprovision", 1, 1 },
	{ "fastlane/test.mobileprovision", 1, 1 },
	{ "fastlane/test.provisionprofile", 1, 0 }, /* tampered content */
	{ "isign/test.mobileprovision", 0, 1 },
	{ "fastlane/very-capable-app.app/embedded.mobileprovision", 0, 1 },
	{ "app_info/signed_plist.mobileprovision", 0, 1 },
};

static unsigned char *real(const char *rel, size_t *n)
{
	const char *dir = tu_real_fixtures();
	char p[2048];
	if (!dir)
		return NULL;
	snprintf(p, sizeof(p), "%s/%s", dir, rel);
	unsigned char *b = tu_read_file(p, n);
	ck_assert_msg(b != NULL, "cannot read %s", p);
	return b;
}

/* An exact-size heap copy so ASan sees one-byte overreads. */
static unsigned char *dup_exact(const unsigned char *p, size_t n)
{
	unsigned char *d = malloc(n ? n : 1);
	memcpy(d, p, n);
	return d;
}

/* Evaluation time: the signing time, else the leaf's notBefore + 1 day. */
static int64_t eval_time(const csig_cms *m)
{
	int64_t t;
	if (csig_cms_signer_signing_time(m, 0, &t) == 0)
		return t;
	const csig_cert *leaf = csig_cms_signer_cert(m, 0);
	return leaf ? csig_cert_not_before(leaf) + 86400 : 0;
}

static csig_cms_result *verify(const csig_cms *m, const unsigned char *content, size_t n)
{
	csig_cms_result *r = NULL;
	csig_bytes c = { content, n };
	ck_assert_int_eq(csig_cms_verify(m, c, eval_time(m), &r, NULL), 0);
	return r;
}

START_TEST(test_real_code_signatures)
{
	size_t n;
	unsigned char *file = real(code_sigs[_i].path, &n);
	if (!file)
		return;
	tc_sig sigs[8];
	int ns = tc_sigs(file, n, sigs, 8);
	ck_assert_msg(ns > 0, "%s: no CMS found", code_sigs[_i].path);
	for (int k = 0; k < ns; k++) {
		csig_cms *m;
		csig_error err;
		unsigned char *cms = dup_exact(sigs[k].cms, sigs[k].cms_len);
		int rc = csig_cms_parse(&m, cms, sigs[k].cms_len, NULL, &err);
		ck_assert_msg(rc == 0, "%s: %s", code_sigs[_i].path, err.msg);
		ck_assert_int_eq(csig_cms_is_detached(m), 1);
		ck_assert_str_eq(csig_cms_content_type(m), "1.2.840.113549.1.7.1");
		ck_assert_uint_eq(csig_cms_signer_count(m), 1);
		ck_assert_ptr_nonnull(csig_cms_signer_cert(m, 0));
		ck_assert_uint_ge(csig_cms_chain_count(m), 1);
		ck_assert_ptr_eq(csig_cms_chain_cert(m, 0), csig_cms_signer_cert(m, 0));
		if (code_sigs[_i].cdhashes == 1) {
			csig_bytes pl = csig_cms_signer_cdhashes_plist(m, 0);
			ck_assert_uint_gt(pl.len, 20);
			ck_assert_int_eq(memcmp(pl.ptr, "<?xml", 5), 0);
		}
		/* CDHashes2 entries hold the full cdhash of a CD: SHA-256 of slot 0 when it is SHA-256 */
		for (size_t j = 0; j < csig_cms_signer_cdhash2_count(m, 0); j++) {
			int ht;
			csig_bytes d;
			ck_assert_int_eq(csig_cms_signer_cdhash2(m, 0, j, &ht, NULL, &d), 0);
			ck_assert_uint_eq(d.len, ht == 1 ? 20 : ht == 2 ? 32 : ht == 4 ? 48 : d.len);
		}
		csig_cms_result *r = verify(m, sigs[k].cd, sigs[k].cd_len);
		ck_assert_msg(csig_cms_result_digest_ok(r), "%s digest", code_sigs[_i].path);
		ck_assert_msg(csig_cms_result_signature_ok(r), "%s signature", code_sigs[_i].path);
		ck_assert_msg(csig_cms_result_chain_ok(r), "%s chain", code_sigs[_i].path);
		ck_assert_int_eq(csig_cms_result_apple_root(r), code_sigs[_i].apple);
		ck_assert_int_eq(csig_cms_result_timestamp(r), code_sigs[_i].timestamp ? 1 : -1);
		ck_assert_int_eq(csig_cms_result_multiple_signers(r), 0);
		ck_assert_int_eq(csig_cms_result_expired(r), 0);
		ck_assert_int_eq(csig_cms_result_ok(r), 1);
		char *js = NULL;
		ck_assert_int_eq(csig_cms_to_json(m, r, 0, &js, NULL), 0);
		ck_assert_ptr_nonnull(strstr(js, "\"signature_ok\":true"));
		csig_free(js);
		/* the CD is the content: any other bytes fail the digest */
		csig_cms_result *r2 = verify(m, sigs[k].cd, sigs[k].cd_len - 1);
		ck_assert_int_eq(csig_cms_result_digest_ok(r2), 0);
		ck_assert_int_eq(csig_cms_result_ok(r2), 0);
		csig_cms_result_free(r2);
		csig_cms_result_free(r);
		csig_cms_free(m);
		free(cms);
	}
	free(file);
}
END_TEST

START_TEST(test_real_profiles)
{
	size_t n;
	unsigned char *b = real(profiles[_i].path, &n);
	if (!b)
		return;
	csig_cms *m;
	csig_error err;
	ck_assert_msg(csig_cms_parse(&m, b, n, NULL, &err) == 0, "%s: %s", profiles[_i].path, err.msg);
	ck_assert_int_eq(csig_cms_is_detached(m), 0);
	csig_bytes content = csig_cms_content(m);
	ck_assert_uint_gt(content.len, 100);
	ck_assert_ptr_nonnull(memchr(content.ptr, '<', 10));
	csig_bytes none = { NULL, 0 };
	csig_cms_result *r;
	ck_assert_int_eq(csig_cms_verify(m, none, eval_time(m), &r, NULL), 0);
	ck_assert_int_eq(csig_cms_result_digest_ok(r), profiles[_i].digest_ok);
	ck_assert_int_eq(csig_cms_result_signature_ok(r), 1);
	ck_assert_int_eq(csig_cms_result_chain_ok(r), 1);
	ck_assert_int_eq(csig_cms_result_apple_root(r), profiles[_i].apple);
	if (profiles[_i].apple)
		ck_assert_ptr_nonnull(csig_cms_result_apple_root_name(r));
	csig_cms_result_free(r);
	csig_cms_free(m);
	free(b);
}
END_TEST

/* Sparkle's Developer ID signature: the richest fixture. */
static unsigned char *sparkle(size_t *cms_len, unsigned char **cd, size_t *cd_len)
{
	size_t n;
	unsigned char *file = real(code_sigs[0].path, &n);
	tc_sig s;
	if (!file)
		return NULL;
	ck_assert_int_eq(tc_sigs(file, n, &s, 1), 1);
	unsigned char *cms = dup_exact(s.cms, s.cms_len);
	*cms_len = s.cms_len;
	*cd = dup_exact(s.cd, s.cd_len);
	*cd_len = s.cd_len;
	free(file);
	return cms;
}

START_TEST(test_sparkle_details)
{
	size_t n, cdn;
	unsigned char *cd;
	unsigned char *b = sparkle(&n, &cd, &cdn);
	if (!b)
		return;
	csig_cms *m;
	ck_assert_int_eq(csig_cms_parse(&m, b, n, NULL, NULL), 0);
	ck_assert_int_eq(csig_cms_version(m), 1);
	ck_assert_uint_eq(csig_cms_cert_count(m), 3);
	ck_assert_uint_eq(csig_cms_chain_count(m), 3);
	ck_assert_str_eq(csig_cert_subject_cn(csig_cms_chain_cert(m, 0)),
			 "Developer ID Application: Mayur Pawashe (ZCK58M894E)");
	ck_assert_str_eq(csig_cert_team_id(csig_cms_chain_cert(m, 0)), "ZCK58M894E");
	ck_assert_str_eq(csig_cert_subject_cn(csig_cms_chain_cert(m, 1)),
			 "Developer ID Certification Authority");
	ck_assert_str_eq(csig_cert_subject_cn(csig_cms_chain_cert(m, 2)), "Apple Root CA");
	ck_assert_int_eq(csig_cms_signer_digest_alg(m, 0), 2);
	ck_assert_str_eq(csig_cms_signer_content_type(m, 0), "1.2.840.113549.1.7.1");
	/* messageDigest = SHA-256 of the CodeDirectory (FORMAT.md 5.1) */
	csig_bytes md = csig_cms_signer_message_digest(m, 0);
	ck_assert_uint_eq(md.len, 32);
	ck_assert_uint_ge(csig_cms_signer_cdhash2_count(m, 0), 1);
	int ht;
	const char *oid;
	csig_bytes d;
	ck_assert_int_eq(csig_cms_signer_cdhash2(m, 0, 0, &ht, &oid, &d), 0);
	ck_assert_int_eq(ht, 2);
	ck_assert_str_eq(oid, "2.16.840.1.101.3.4.2.1");
	ck_assert_int_eq(memcmp(d.ptr, md.ptr, 32), 0); /* single SHA-256 CD: cdhash = digest */
	ck_assert_int_eq(csig_cms_signer_cdhash2(m, 0, 99, NULL, NULL, NULL), CSIG_E_NOTFOUND);
	/* the timestamp token */
	const csig_cms *t = csig_cms_signer_timestamp(m, 0);
	ck_assert_ptr_nonnull(t);
	int64_t gen, signing;
	csig_bytes imprint;
	const char *serial;
	ck_assert_int_eq(csig_cms_tstinfo(t, &gen, &ht, &imprint, &serial), 0);
	ck_assert_int_eq(csig_cms_signer_signing_time(m, 0, &signing), 0);
	ck_assert_int_le(gen > signing ? gen - signing : signing - gen, 600);
	ck_assert_uint_gt(csig_cms_cert_count(t), 0);
	ck_assert_int_eq(csig_cms_tstinfo(m, NULL, NULL, NULL, NULL), CSIG_E_NOTFOUND);
	csig_cms_result *r = verify(m, cd, cdn);
	ck_assert_int_eq(csig_cms_result_timestamp(r), 1);
	ck_assert_int_eq(csig_cms_result_timestamp_apple_root(r), 1);
	ck_assert_str_eq(csig_cms_result_apple_root_name(r), "Apple Root CA");
	ck_assert_int_gt(csig_cms_result_days_to_expiry(r), 0);
	ck_assert_uint_eq(csig_cms_result_finding_count(r), 0);
	for (size_t i = 0; i < 3; i++)
		ck_assert_int_eq(csig_cms_result_link_ok(r, i), 1);
	csig_cms_result_free(r);
	/* at a time after every notAfter: expired is reported, not fatal */
	csig_cms_result *late;
	csig_bytes c = { cd, cdn };
	ck_assert_int_eq(csig_cms_verify(m, c, 4102444800LL /* 2100 */, &late, NULL), 0);
	ck_assert_int_eq(csig_cms_result_expired(late), 1);
	ck_assert_int_lt(csig_cms_result_days_to_expiry(late), 0);
	ck_assert_int_eq(csig_cms_result_signature_ok(late), 1);
	const char *msg;
	int saw = 0;
	for (size_t i = 0; i < csig_cms_result_finding_count(late); i++)
		saw |= strcmp(csig_cms_result_finding(late, i, &msg), "cert-expired") == 0;
	ck_assert(saw);
	csig_cms_result_free(late);
	/* CSIG_OPEN_COPY: the caller's buffer can go away */
	csig_open_options o = CSIG_OPEN_OPTIONS_INIT;
	o.flags = CSIG_OPEN_COPY;
	csig_cms *m2;
	unsigned char *tmp = dup_exact(b, n);
	ck_assert_int_eq(csig_cms_parse(&m2, tmp, n, &o, NULL), 0);
	memset(tmp, 0, n);
	free(tmp);
	ck_assert_str_eq(csig_cert_team_id(csig_cms_chain_cert(m2, 0)), "ZCK58M894E");
	csig_cms_free(m2);
	/* max_depth too small for the nesting */
	o.flags = 0;
	o.max_depth = 3;
	csig_error err;
	ck_assert_int_eq(csig_cms_parse(&m2, b, n, &o, &err), CSIG_E_DEPTH);
	ck_assert_ptr_null(m2);
	ck_assert_int_eq(err.code, CSIG_E_DEPTH);
	csig_cms_free(m);
	free(b);
	free(cd);
}
END_TEST

/* Flip one byte inside the view v of buffer b (a copy) and verify again. */
static csig_cms_result *tamper(const unsigned char *b, size_t n, const unsigned char *at,
			       const unsigned char *cd, size_t cdn, int *parsed)
{
	unsigned char *c = dup_exact(b, n);
	c[at - b] ^= 0x01;
	csig_cms *m;
	csig_cms_result *r = NULL;
	*parsed = csig_cms_parse(&m, c, n, NULL, NULL) == 0;
	if (*parsed) {
		csig_bytes content = { cd, cdn };
		ck_assert_int_eq(csig_cms_verify(m, content, eval_time(m), &r, NULL), 0);
		csig_cms_free(m);
	}
	free(c);
	return r;
}

START_TEST(test_tampering)
{
	size_t n, cdn;
	unsigned char *cd;
	unsigned char *b = sparkle(&n, &cd, &cdn);
	if (!b)
		return;
	csig_cms *m;
	int parsed;
	ck_assert_int_eq(csig_cms_parse(&m, b, n, NULL, NULL), 0);
	/* signature value */
	csig_bytes sig = csig_cms_signer_signature(m, 0);
	csig_cms_result *r = tamper(b, n, sig.ptr + sig.len / 2, cd, cdn, &parsed);
	ck_assert(parsed);
	ck_assert_int_eq(csig_cms_result_signature_ok(r), 0);
	ck_assert_int_eq(csig_cms_result_digest_ok(r), 1);
	ck_assert_int_eq(csig_cms_result_ok(r), 0);
	csig_cms_result_free(r);
	/* messageDigest attribute: digest and signature both fail */
	csig_bytes md = csig_cms_signer_message_digest(m, 0);
	r = tamper(b, n, md.ptr + 3, cd, cdn, &parsed);
	ck_assert(parsed);
	ck_assert_int_eq(csig_cms_result_digest_ok(r), 0);
	ck_assert_int_eq(csig_cms_result_signature_ok(r), 0);
	csig_cms_result_free(r);
	/* CDHashes plist inside the signed attributes */
	csig_bytes pl = csig_cms_signer_cdhashes_plist(m, 0);
	r = tamper(b, n, pl.ptr + pl.len / 2, cd, cdn, &parsed);
	ck_assert(parsed);
	ck_assert_int_eq(csig_cms_result_signature_ok(r), 0);
	csig_cms_result_free(r);
	/* the intermediate's signature and TBS, and the root's self-signature */
	for (size_t i = 1; i < 3; i++) {
		const csig_cert *c = csig_cms_chain_cert(m, i);
		csig_bytes s = csig_cert_signature(c);
		r = tamper(b, n, s.ptr + 10, cd, cdn, &parsed);
		ck_assert(parsed);
		ck_assert_int_eq(csig_cms_result_chain_ok(r), 0);
		ck_assert_int_eq(csig_cms_result_link_ok(r, i), 0);
		ck_assert_int_eq(csig_cms_result_signature_ok(r), 1);
		csig_cms_result_free(r);
		csig_bytes tbs = csig_cert_tbs(c);
		/* a byte of the public key, near the TBS end */
		r = tamper(b, n, tbs.ptr + tbs.len - 40, cd, cdn, &parsed);
		if (parsed) {
			ck_assert_int_eq(csig_cms_result_ok(r), 0);
			csig_cms_result_free(r);
		}
	}
	/* the leaf's key: the signer signature no longer verifies */
	csig_bytes ltbs = csig_cert_tbs(csig_cms_chain_cert(m, 0));
	r = tamper(b, n, ltbs.ptr + ltbs.len - 300, cd, cdn, &parsed);
	if (parsed) {
		ck_assert_int_eq(csig_cms_result_ok(r), 0);
		csig_cms_result_free(r);
	}
	/* the timestamp token's signature */
	const csig_cms *t = csig_cms_signer_timestamp(m, 0);
	csig_bytes ts = csig_cms_signer_signature(t, 0);
	r = tamper(b, n, ts.ptr + 5, cd, cdn, &parsed);
	ck_assert(parsed);
	ck_assert_int_eq(csig_cms_result_timestamp(r), 0);
	ck_assert_int_eq(csig_cms_result_signature_ok(r), 1);
	ck_assert_int_eq(csig_cms_result_ok(r), 0);
	csig_cms_result_free(r);
	/* the timestamp imprint */
	csig_bytes imp;
	ck_assert_int_eq(csig_cms_tstinfo(t, NULL, NULL, &imp, NULL), 0);
	r = tamper(b, n, imp.ptr, cd, cdn, &parsed);
	ck_assert(parsed);
	ck_assert_int_eq(csig_cms_result_timestamp(r), 0);
	csig_cms_result_free(r);
	/* the content */
	cd[cdn / 2] ^= 1;
	r = verify(m, cd, cdn);
	ck_assert_int_eq(csig_cms_result_digest_ok(r), 0);
	csig_cms_result_free(r);
	csig_cms_free(m);
	free(b);
	free(cd);
}
END_TEST

START_TEST(test_truncation_and_flips)
{
	size_t n, cdn;
	unsigned char *cd;
	unsigned char *b = sparkle(&n, &cd, &cdn);
	if (!b)
		return;
	for (size_t k = 0; k < n; k++) {
		unsigned char *c = dup_exact(b, k);
		csig_cms *m = (csig_cms *)1;
		csig_error err;
		int rc = csig_cms_parse(&m, c, k, NULL, &err);
		ck_assert_msg(rc < 0, "prefix %zu parsed", k);
		ck_assert_ptr_null(m);
		ck_assert_int_eq(err.code, rc);
		free(c);
	}
	uint64_t seed = 42;
	for (int it = 0; it < 3000; it++) {
		unsigned char *c = dup_exact(b, n);
		int flips = 1 + (int)(tu_rand(&seed) % 4);
		for (int f = 0; f < flips; f++)
			c[tu_rand(&seed) % n] ^= (unsigned char)(1u << (tu_rand(&seed) % 8));
		csig_cms *m;
		if (csig_cms_parse(&m, c, n, NULL, NULL) == 0) {
			csig_cms_result *r;
			csig_bytes content = { cd, cdn };
			ck_assert_int_eq(csig_cms_verify(m, content, 1700000000, &r, NULL), 0);
			char *js;
			if (csig_cms_to_json(m, r, 0, &js, NULL) == 0)
				csig_free(js);
			csig_cms_result_free(r);
			csig_cms_free(m);
		}
		free(c);
	}
	free(b);
	free(cd);
}
END_TEST

START_TEST(test_oom)
{
	size_t n, cdn;
	unsigned char *cd;
	unsigned char *b = sparkle(&n, &cd, &cdn);
	if (!b)
		return;
	for (long k = 1; k < 2000; k++) {
		csig_cms *m;
		csig__test_fail_alloc_after(k);
		int rc = csig_cms_parse(&m, b, n, NULL, NULL);
		if (rc == 0) {
			csig_cms_result *r;
			csig_bytes content = { cd, cdn };
			rc = csig_cms_verify(m, content, 1700000000, &r, NULL);
			csig__test_fail_alloc_after(0);
			if (rc == 0)
				csig_cms_result_free(r);
			csig_cms_free(m);
			if (rc == 0)
				break;
		} else {
			ck_assert_int_eq(rc, CSIG_E_NOMEM);
		}
	}
	csig__test_fail_alloc_after(0);
	free(b);
	free(cd);
}
END_TEST

START_TEST(test_generated)
{
	char dir[64];
	if (!tc_gen(dir, sizeof(dir))) {
		printf("skipped: openssl CLI not available\n");
		return;
	}
	static const struct {
		const char *name;
		int detached, multiple, hash;
	} g[] = {
		{ "det_rsa.cms", 1, 0, 2 }, { "att_ec256.cms", 0, 0, 2 },
		{ "att_ec384.cms", 0, 0, 4 }, { "noattr.cms", 1, 0, 2 },
		{ "two.cms", 1, 1, 2 }, { "chain.cms", 1, 0, 2 }, { "sha1.cms", 1, 0, 1 },
	};
	size_t cn;
	unsigned char *content = tc_read(dir, "content.bin", &cn);
	ck_assert_ptr_nonnull(content);
	for (size_t i = 0; i < CSIG_ARRAY_LEN(g); i++) {
		size_t n;
		unsigned char *b = tc_read(dir, g[i].name, &n);
		csig_cms *m;
		csig_error err;
		ck_assert_ptr_nonnull(b);
		ck_assert_msg(csig_cms_parse(&m, b, n, NULL, &err) == 0, "%s: %s", g[i].name, err.msg);
		ck_assert_int_eq(csig_cms_is_detached(m), g[i].detached);
		ck_assert_int_eq(csig_cms_signer_digest_alg(m, 0), g[i].hash);
		csig_cms_result *r = verify(m, g[i].detached ? content : NULL, g[i].detached ? cn : 0);
		ck_assert_msg(csig_cms_result_digest_ok(r) && csig_cms_result_signature_ok(r) &&
			      csig_cms_result_chain_ok(r), "%s", g[i].name);
		ck_assert_int_eq(csig_cms_result_multiple_signers(r), g[i].multiple);
		ck_assert_int_eq(csig_cms_result_ok(r), !g[i].multiple);
		ck_assert_int_eq(csig_cms_result_apple_root(r), 0);
		if (!g[i].detached) {
			csig_bytes c = csig_cms_content(m);
			ck_assert_uint_eq(c.len, cn);
			ck_assert_int_eq(memcmp(c.ptr, content, cn), 0);
		}
		if (strcmp(g[i].name, "chain.cms") == 0) {
			ck_assert_uint_eq(csig_cms_chain_count(m), 2);
			ck_assert_str_eq(csig_cert_subject_cn(csig_cms_chain_cert(m, 1)), "csig test CA");
		}
		csig_cms_result_free(r);
		/* a detached signature verified without content is a finding */
		if (g[i].detached) {
			csig_bytes none = { NULL, 0 };
			ck_assert_int_eq(csig_cms_verify(m, none, 0, &r, NULL), 0);
			ck_assert_int_eq(csig_cms_result_digest_ok(r), 0);
			ck_assert_str_eq(csig_cms_result_finding(r, g[i].multiple, NULL), "no-content");
			csig_cms_result_free(r);
		}
		csig_cms_free(m);
		free(b);
	}
	free(content);
	tc_rmdir(dir);
}
END_TEST

START_TEST(test_bad_input)
{
	csig_cms *m;
	csig_error err;
	static const unsigned char not_cms[] = { 0x04, 0x01, 0x00 };
	ck_assert_int_eq(csig_cms_parse(&m, not_cms, sizeof(not_cms), NULL, &err), CSIG_E_BADMAGIC);
	ck_assert_int_eq(csig_cms_parse(NULL, not_cms, 3, NULL, &err), CSIG_E_INVAL);
	ck_assert_int_eq(csig_cms_parse(&m, NULL, 3, NULL, &err), CSIG_E_INVAL);
	/* ContentInfo of type id-data */
	static const unsigned char data[] = { 0x30, 0x0b, 0x06, 0x09, 0x2a, 0x86, 0x48, 0x86,
					      0xf7, 0x0d, 0x01, 0x07, 0x01 };
	ck_assert_int_eq(csig_cms_parse(&m, data, sizeof(data), NULL, &err), CSIG_E_BADMAGIC);
	ck_assert_ptr_nonnull(strstr(err.msg, "1.2.840.113549.1.7.1"));
	csig_cms_result *r;
	csig_bytes none = { NULL, 0 };
	ck_assert_int_eq(csig_cms_verify(NULL, none, 0, &r, &err), CSIG_E_INVAL);
	csig_cms_free(NULL);
	csig_cms_result_free(NULL);
	ck_assert_int_eq(csig_cms_result_ok(NULL), 0);
	ck_assert_ptr_null(csig_cms_chain_cert(NULL, 0));
}
END_TEST

Suite *cms_suite(void)
{
	Suite *s = suite_create("cms");
	TCase *t = tcase_create("real");
	tcase_set_timeout(t, 120);
	tcase_add_loop_test(t, test_real_code_signatures, 0, (int)CSIG_ARRAY_LEN(code_sigs));
	tcase_add_loop_test(t, test_real_profiles, 0, (int)CSIG_ARRAY_LEN(profiles));
	tcase_add_test(t, test_sparkle_details);
	tcase_add_test(t, test_tampering);
	suite_add_tcase(s, t);
	TCase *h = tcase_create("hostile");
	tcase_set_timeout(h, 300);
	tcase_add_test(h, test_truncation_and_flips);
	tcase_add_test(h, test_oom);
	tcase_add_test(h, test_bad_input);
	suite_add_tcase(s, h);
	TCase *g = tcase_create("generated");
	tcase_set_timeout(g, 120);
	tcase_add_test(g, test_generated);
	suite_add_tcase(s, g);
	return s;
}

CSIG_TEST_MAIN(cms_suite)
