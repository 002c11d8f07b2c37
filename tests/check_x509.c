/* check_x509.c - X.509 certificates (csig/x509.h), checked against openssl x509. */
#include "testutil.h"
#include "cms_testutil.h"
#include "x509_int.h"

/* The leaf, intermediate and root of Sparkle's Developer ID signature. */
static csig_cms *sparkle_cms(unsigned char **buf)
{
	const char *dir = tu_real_fixtures();
	char p[2048];
	size_t n;
	tc_sig s;
	csig_cms *m;
	if (!dir)
		return NULL;
	snprintf(p, sizeof(p), "%s/sparkle/DevSignedApp.app/Contents/MacOS/SignedApp", dir);
	unsigned char *file = tu_read_file(p, &n);
	ck_assert_ptr_nonnull(file);
	ck_assert_int_eq(tc_sigs(file, n, &s, 1), 1);
	*buf = file;
	ck_assert_int_eq(csig_cms_parse(&m, s.cms, s.cms_len, NULL, NULL), 0);
	return m;
}

START_TEST(test_apple_fields)
{
	unsigned char *buf;
	csig_cms *m = sparkle_cms(&buf);
	if (!m)
		return;
	const csig_cert *leaf = csig_cms_chain_cert(m, 0), *ca = csig_cms_chain_cert(m, 1),
			*root = csig_cms_chain_cert(m, 2);
	ck_assert_str_eq(csig_cert_subject_attr(leaf, "UID"), "ZCK58M894E");
	ck_assert_str_eq(csig_cert_subject_attr(leaf, "0.9.2342.19200300.100.1.1"), "ZCK58M894E");
	ck_assert_str_eq(csig_cert_subject_attr(leaf, "O"), "Mayur Pawashe");
	ck_assert_str_eq(csig_cert_subject_attr(leaf, "C"), "US");
	ck_assert_str_eq(csig_cert_issuer_cn(leaf), "Developer ID Certification Authority");
	ck_assert_ptr_null(csig_cert_subject_attr(leaf, "emailAddress"));
	ck_assert_ptr_null(csig_cert_subject_attr(leaf, "nonsense"));
	ck_assert_int_eq(csig_cert_version(leaf), 3);
	ck_assert_int_eq(csig_cert_is_ca(leaf), 0);
	ck_assert_int_eq(csig_cert_is_ca(ca), 1);
	ck_assert_int_eq(csig_cert_is_self_issued(root), 1);
	ck_assert_int_eq(csig_cert_key_type(leaf), CSIG_KEY_RSA);
	ck_assert_uint_eq(csig_cert_key_bits(leaf), 2048);
	ck_assert_str_eq(csig_cert_sig_alg_name(leaf), "sha256WithRSAEncryption");
	ck_assert_int_eq(csig_cert_has_extension(leaf, "1.2.840.113635.100.6.1.13"), 1);
	int crit;
	ck_assert_int_eq(csig_cert_extension(leaf, "1.2.840.113635.100.6.1.13", &crit, NULL), 0);
	ck_assert_int_eq(crit, 1);
	const char *name;
	int found = 0;
	for (size_t i = 0; i < csig_cert_apple_marker_count(leaf); i++)
		if (strcmp(csig_cert_apple_marker(leaf, i, &name), "1.2.840.113635.100.6.1.13") == 0)
			found = strcmp(name, "Developer ID Application") == 0;
	ck_assert(found);
	ck_assert_int_eq(csig_cert_has_extension(ca, "1.2.840.113635.100.6.2.6"), 1);
	ck_assert_str_eq(csig_x509_apple_oid_name("1.2.840.113635.100.6.2.6"), "Developer ID CA");
	ck_assert_uint_ge(csig_cert_eku_count(leaf), 1);
	ck_assert_str_eq(csig_cert_eku(leaf, 0), "1.3.6.1.5.5.7.3.3");
	ck_assert_uint_ge(csig_cert_policy_count(leaf), 1);
	ck_assert_int_ge(csig_cert_key_usage(leaf), 1);
	static const uint8_t apple_root_sha256[32] = {
		0xb0, 0xb1, 0x73, 0x0e, 0xcb, 0xc7, 0xff, 0x45, 0x05, 0x14, 0x2c, 0x49, 0xf1, 0x29, 0x5e, 0x6e,
		0xda, 0x6b, 0xca, 0xed, 0x7e, 0x2c, 0x68, 0xc5, 0xbe, 0x91, 0xb5, 0xa1, 0x10, 0x01, 0xf0, 0x24 };
	ck_assert_int_eq(memcmp(csig_cert_sha256(root), apple_root_sha256, 32), 0);
	ck_assert_int_eq(csig_cert_verify_signature(leaf, ca), 1);
	ck_assert_int_eq(csig_cert_verify_signature(ca, root), 1);
	ck_assert_int_eq(csig_cert_verify_signature(root, root), 1);
	ck_assert_int_eq(csig_cert_verify_signature(leaf, root), 0);
	ck_assert_int_eq(csig_cert_verify_signature(leaf, NULL), CSIG_E_INVAL);
	ck_assert_int_lt(csig_cert_not_before(leaf), csig_cert_not_after(leaf));
	csig_cms_free(m);
	free(buf);
}
END_TEST

START_TEST(test_embedded_roots)
{
	csig_bytes der;
	for (size_t i = 0; csig__apple_root_der(i, &der) == 0; i++) {
		csig_cert *c;
		ck_assert_int_eq(csig_cert_parse(&c, der.ptr, der.len, NULL, NULL), 0);
		ck_assert_int_eq(csig__apple_root_sha256(csig_cert_sha256(c)), 1);
		ck_assert_int_eq(csig_cert_verify_signature(c, c), 1);
		csig_cert_free(c);
	}
}
END_TEST

/* Run a shell command and read its first output line. */
static void cmd_line(const char *cmd, char *out, size_t n)
{
	FILE *f = popen(cmd, "r");
	out[0] = '\0';
	ck_assert_ptr_nonnull(f);
	if (!fgets(out, (int)n, f))
		out[0] = '\0';
	pclose(f);
	out[strcspn(out, "\n")] = '\0';
}

START_TEST(test_against_openssl)
{
	char dir[64], cmd[512], line[512], hex[80];
	static const char *names[] = { "rsa", "ec256", "ec384", "ca", "leaf" };
	static const csig_key_type kinds[] = { CSIG_KEY_RSA, CSIG_KEY_EC_P256, CSIG_KEY_EC_P384,
					       CSIG_KEY_RSA, CSIG_KEY_RSA };
	if (!tc_gen(dir, sizeof(dir))) {
		printf("skipped: openssl CLI not available\n");
		return;
	}
	for (size_t i = 0; i < 5; i++) {
		char fn[32];
		size_t n;
		snprintf(fn, sizeof(fn), "%s.der", names[i]);
		unsigned char *b = tc_read(dir, fn, &n);
		csig_cert *c;
		ck_assert_int_eq(csig_cert_parse(&c, b, n, NULL, NULL), 0);
		ck_assert_int_eq(csig_cert_key_type(c), kinds[i]);
		/* fingerprint */
		snprintf(cmd, sizeof(cmd), "openssl x509 -inform DER -in %s/%s -noout -fingerprint -sha256 | tr -d ':' | sed 's/.*=//'", dir, fn);
		cmd_line(cmd, line, sizeof(line));
		for (int k = 0; k < 32; k++)
			snprintf(hex + 2 * k, 3, "%02X", csig_cert_sha256(c)[k]);
		ck_assert_str_eq(line, hex);
		/* serial */
		snprintf(cmd, sizeof(cmd), "openssl x509 -inform DER -in %s/%s -noout -serial | sed 's/.*=//' | tr A-F a-f | sed 's/^0*//'", dir, fn);
		cmd_line(cmd, line, sizeof(line));
		ck_assert_str_eq(line, csig_cert_serial_hex(c));
		/* PEM matches openssl's */
		char *pem;
		ck_assert_int_eq(csig_cert_pem(c, &pem, NULL), 0);
		snprintf(cmd, sizeof(cmd), "openssl x509 -inform DER -in %s/%s | openssl dgst -sha256 | sed 's/.*= //'", dir, fn);
		cmd_line(cmd, line, sizeof(line));
		snprintf(cmd, sizeof(cmd), "%s/ours.pem", dir);
		FILE *f = fopen(cmd, "w");
		fputs(pem, f);
		fclose(f);
		snprintf(cmd, sizeof(cmd), "openssl dgst -sha256 %s/ours.pem | sed 's/.*= //'", dir);
		char mine[128];
		cmd_line(cmd, mine, sizeof(mine));
		ck_assert_str_eq(line, mine);
		csig_free(pem);
		/* self-signed certificates verify against themselves */
		if (i < 4)
			ck_assert_int_eq(csig_cert_verify_signature(c, c), 1);
		if (i == 0) {
			ck_assert_str_eq(csig_cert_team_id(c), "TEAMID1234");
			ck_assert_str_eq(csig_cert_subject_attr(c, "UID"), "TEAMID1234");
			ck_assert_int_eq(csig_cert_has_extension(c, "1.2.840.113635.100.6.1.13"), 1);
			ck_assert_uint_eq(csig_cert_apple_marker_count(c), 1);
			ck_assert_str_eq(csig_cert_subject_text(c),
					 "CN=csig test, OU=TEAMID1234, O=libcsig, C=US, UID=TEAMID1234");
		}
		/* every prefix fails cleanly; trailing bytes are rejected */
		for (size_t k = 0; k < n; k++) {
			unsigned char *p = malloc(k ? k : 1);
			memcpy(p, b, k);
			csig_cert *t = (csig_cert *)1;
			ck_assert_int_lt(csig_cert_parse(&t, p, k, NULL, NULL), 0);
			ck_assert_ptr_null(t);
			free(p);
		}
		unsigned char *longer = malloc(n + 1);
		memcpy(longer, b, n);
		longer[n] = 0;
		csig_cert *t;
		ck_assert_int_eq(csig_cert_parse(&t, longer, n + 1, NULL, NULL), CSIG_E_TRAILING);
		free(longer);
		/* flipped bytes never crash and tampering breaks the self-signature */
		uint64_t seed = i + 1;
		for (int it = 0; it < 500; it++) {
			unsigned char *p = malloc(n);
			memcpy(p, b, n);
			size_t at = (size_t)(tu_rand(&seed) % n);
			p[at] ^= (unsigned char)(1 + tu_rand(&seed) % 255);
			csig_bytes tbs = csig_cert_tbs(c);
			size_t tbs_off = (size_t)(tbs.ptr - b);
			int in_tbs = at >= tbs_off && at < tbs_off + tbs.len;
			if (csig_cert_parse(&t, p, n, NULL, NULL) == 0) {
				char *s;
				csig_json j;
				json_init(&j, 0);
				csig__cert_json(&j, t);
				if (json_finish(&j, &s, NULL, NULL) == 0)
					csig_free(s);
				if (i < 4 && in_tbs)
					ck_assert_int_ne(csig_cert_verify_signature(t, t), 1);
				csig_cert_free(t);
			}
			free(p);
		}
		csig_cert_free(c);
		free(b);
	}
	tc_rmdir(dir);
}
END_TEST

Suite *x509_suite(void)
{
	Suite *s = suite_create("x509");
	TCase *t = tcase_create("x509");
	tcase_set_timeout(t, 120);
	tcase_add_test(t, test_apple_fields);
	tcase_add_test(t, test_embedded_roots);
	tcase_add_test(t, test_against_openssl);
	suite_add_tcase(s, t);
	return s;
}

CSIG_TEST_MAIN(x509_suite)
