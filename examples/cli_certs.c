/*
 * cli_certs.c - `csig certs`: the signing chain leaf to root, like
 * codesign's Authority lines, with subject, issuer, validity, days left,
 * fingerprints and Apple markers; --pem prints the certificates as PEM.
 */
#include <string.h>
#include <time.h>
#include "cli.h"

void cli_print_authority(const csig_sig *sig)
{
	const csig_cms *cms = csig_sig_cms_parsed(sig);
	if (!cms) {
		printf("Authority=(CMS unreadable)\n");
		return;
	}
	for (size_t i = 0; i < csig_cms_chain_count(cms); i++) {
		const char *cn = csig_cert_subject_cn(csig_cms_chain_cert(cms, i));
		printf("Authority=%s\n", cn ? cn : "(no common name)");
	}
	char t[32];
	int64_t when;
	const csig_cms *tok = csig_cms_signer_timestamp(cms, 0);
	if (tok && csig_cms_tstinfo(tok, &when, NULL, NULL, NULL) == CSIG_OK)
		printf("Timestamp=%s\n", csig_time_format(when, t, sizeof(t)));
	else if (csig_cms_signer_signing_time(cms, 0, &when) == CSIG_OK)
		printf("Signed Time=%s\n", csig_time_format(when, t, sizeof(t)));
}

static void print_cert(const csig_cert *c, size_t i, int64_t now)
{
	char a[32], b[32];
	const char *cn = csig_cert_subject_cn(c);
	int64_t nb = csig_cert_not_before(c), na = csig_cert_not_after(c);
	printf("[%zu] %s\n", i, cn ? cn : "(no common name)");
	printf("    subject   %s\n", csig_cert_subject_text(c));
	printf("    issuer    %s\n", csig_cert_issuer_text(c));
	printf("    serial    %s\n", csig_cert_serial_hex(c));
	printf("    validity  %s .. %s", csig_time_format(nb, a, sizeof(a)),
	       csig_time_format(na, b, sizeof(b)));
	long long days = (long long)((na - now) / 86400);
	if (na < now)
		printf("  EXPIRED %lld days ago\n", -days);
	else
		printf("  (%lld days left)\n", days);
	if (csig_cert_team_id(c))
		printf("    team (OU) %s\n", csig_cert_team_id(c));
	printf("    sha256    ");
	cli_hex(stdout, csig_cert_sha256(c), 32);
	printf("\n    sha1      ");
	cli_hex(stdout, csig_cert_sha1(c), 20);
	putchar('\n');
	for (size_t k = 0; k < csig_cert_apple_marker_count(c); k++) {
		const char *name;
		const char *oid = csig_cert_apple_marker(c, k, &name);
		printf("    marker    %s %s\n", oid ? oid : "?", name ? name : "");
	}
}

static int certs_file(const cli_opts *o, const char *path, const csig_file *f, int only)
{
	int64_t now = o->at ? o->at : (int64_t)time(NULL);
	for (size_t i = 0; i < csig_file_slice_count(f); i++) {
		if (only >= 0 && (size_t)only != i)
			continue;
		const csig_slice *s = csig_file_slice(f, i);
		const csig_sig *sig = csig_slice_signature(s);
		const csig_cms *cms = sig ? csig_sig_cms_parsed(sig) : NULL;
		if (!cms) {
			if (!o->json && !o->pem)
				printf("%s (%s): no certificates (%s)\n", path,
				       csig_slice_arch(s), sig ? "ad hoc" : "unsigned");
			continue;
		}
		if (o->json) {
			char *text;
			if (csig_cms_to_json(cms, NULL, 1, &text, NULL) == CSIG_OK)
				cli_print_json(text);
			continue;
		}
		if (!o->pem)
			printf("%s (%s):\n", path, csig_slice_arch(s));
		for (size_t k = 0; k < csig_cms_chain_count(cms); k++) {
			const csig_cert *c = csig_cms_chain_cert(cms, k);
			char *pem;
			if (!o->pem)
				print_cert(c, k, now);
			else if (csig_cert_pem(c, &pem, NULL) == CSIG_OK) {
				fputs(pem, stdout);
				csig_free(pem);
			}
		}
	}
	return 0;
}

int cmd_certs(const cli_opts *o)
{
	return cli_for_each_file(o, certs_file);
}
