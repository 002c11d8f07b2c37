/*
 * cli_profile.c - `csig profile`: a provisioning profile's keys, kind,
 * developer certificates, entitlements and verdict at --at (default now);
 * --match MACHO checks that a signed binary fits the profile.
 *
 * Exit status: 0 every profile valid (and every match ok), 1 any other
 * verdict or a mismatch, 2 a file that is not a profile or cannot be read.
 * With --json each profile is one JSON document (csig_profile_json), then
 * one document per matched slice (csig_profile_match_json).
 */
#include <stdlib.h>
#include <string.h>
#include <time.h>
#include "cli.h"

/* Whole file into memory; NULL (errno-style message printed) on failure. */
static unsigned char *read_all(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	if (!f) {
		perror(path);
		return NULL;
	}
	size_t cap = 1 << 16, n = 0;
	unsigned char *buf = malloc(cap);
	while (buf) {
		size_t got = fread(buf + n, 1, cap - n, f);
		n += got;
		if (n < cap)
			break;
		if (cap > ((size_t)1 << 30)) { /* profiles are kilobytes */
			fprintf(stderr, "csig: %s: larger than 1 GiB\n", path);
			free(buf);
			buf = NULL;
			break;
		}
		unsigned char *nb = realloc(buf, cap * 2);
		if (!nb) {
			free(buf);
			buf = NULL;
			break;
		}
		buf = nb;
		cap *= 2;
	}
	if (buf && ferror(f)) {
		perror(path);
		free(buf);
		buf = NULL;
	}
	fclose(f);
	*len = n;
	return buf;
}

static void print_days(int64_t days)
{
	if (days < 0)
		printf("  (EXPIRED %lld days ago)", (long long)-days);
	else
		printf("  (%lld days left)", (long long)days);
}

static void print_list(const char *label, size_t n, const char *(*get)(const csig_profile *, size_t),
		       const csig_profile *p)
{
	printf("  %-13s", label);
	if (n == 0)
		printf("(none)");
	for (size_t i = 0; i < n; i++) {
		const char *s = get(p, i);
		printf("%s%s", i ? ", " : "", s ? s : "?");
	}
	putchar('\n');
}

static void print_entitlements(const csig_pval *ent)
{
	size_t n = csig_pval_count(ent);
	printf("  %-13s%zu keys\n", "Entitlements", n);
	for (size_t i = 0; i < n; i++) {
		const char *k = csig_pval_cstr(csig_pval_dict_key(ent, i), NULL);
		const csig_pval *v = csig_pval_dict_value(ent, i);
		int b;
		const char *s;
		printf("    %s", k ? k : "?");
		if (csig_pval_bool(v, &b) == CSIG_OK)
			printf(" = %s", b ? "true" : "false");
		else if ((s = csig_pval_cstr(v, NULL)) != NULL)
			printf(" = %s", s);
		else if (csig_pval_type_of(v) == CSIG_PVAL_ARRAY) {
			printf(" = [");
			for (size_t k2 = 0; k2 < csig_pval_count(v); k2++) {
				const char *e = csig_pval_cstr(csig_pval_array_item(v, k2), NULL);
				printf("%s%s", k2 ? ", " : "", e ? e : "...");
			}
			printf("]");
		}
		putchar('\n');
	}
}

static void print_text(const char *path, const csig_profile *p, const csig_profile_result *r,
		       int64_t at)
{
	char t[32];
	int64_t v;
	const char *s;
	printf("%s:\n", path);
	printf("  %-13s%s\n", "Name", (s = csig_profile_name(p)) ? s : "(none)");
	printf("  %-13s%s\n", "UUID", (s = csig_profile_uuid(p)) ? s : "(none)");
	print_list("Team", csig_profile_team_id_count(p), csig_profile_team_id, p);
	if ((s = csig_profile_team_name(p)) != NULL)
		printf("  %-13s%s\n", "Team name", s);
	if ((s = csig_profile_app_id_name(p)) != NULL)
		printf("  %-13s%s\n", "App ID name", s);
	print_list("Platform", csig_profile_platform_count(p), csig_profile_platform, p);
	printf("  %-13s%s\n", "Kind", csig_profile_kind_name(csig_profile_kind_of(p)));
	if (csig_profile_creation_date(p, &v) == CSIG_OK)
		printf("  %-13s%s\n", "Created", csig_time_format(v, t, sizeof(t)));
	if (csig_profile_expiration_date(p, &v) == CSIG_OK) {
		printf("  %-13s%s", "Expires", csig_time_format(v, t, sizeof(t)));
		print_days(csig_profile_result_days_to_expiry(r));
		putchar('\n');
	}
	if (csig_profile_provisions_all_devices(p) == 1)
		printf("  %-13sall\n", "Devices");
	else
		printf("  %-13s%zu\n", "Devices", csig_profile_device_count(p));
	printf("  %-13s%zu\n", "Certificates", csig_profile_cert_count(p));
	for (size_t i = 0; i < csig_profile_cert_count(p); i++) {
		const csig_cert *c = csig_profile_cert(p, i);
		if (!c) {
			const char *msg;
			int e = csig_profile_cert_status(p, i, &msg);
			printf("    [%zu] undecodable (%s): %s\n", i, csig_errname(e), msg ? msg : "");
			continue;
		}
		const char *cn = csig_cert_subject_cn(c);
		int64_t na = csig_cert_not_after(c);
		printf("    [%zu] %s  expires %s", i, cn ? cn : "(no common name)",
		       csig_time_format(na, t, sizeof(t)));
		int64_t d = (na - at) / 86400;
		if (na <= at)
			printf("  (EXPIRED)\n");
		else
			printf("  (%lld days left)\n", (long long)d);
	}
	if (csig_profile_has_der_profile(p))
		printf("  %-13spresent\n", "DER profile");
	print_entitlements(csig_profile_entitlements(p));
	const csig_cms *cms = csig_profile_cms(p);
	if (cms && csig_cms_chain_count(cms)) {
		const char *cn = csig_cert_subject_cn(csig_cms_chain_cert(cms, 0));
		const csig_cms_result *cr = csig_profile_result_cms(r);
		const char *root = cr ? csig_cms_result_apple_root_name(cr) : NULL;
		printf("  %-13s%s (root: %s)\n", "Signed by", cn ? cn : "?", root ? root : "not Apple");
	} else {
		printf("  %-13s%s\n", "Signed by", cms ? "(no signer certificate)" : "unsigned");
	}
	printf("  %-13s%s at %s\n", "Verdict",
	       csig_profile_verdict_name(csig_profile_result_verdict(r)),
	       csig_time_format(at, t, sizeof(t)));
	for (size_t i = 0; i < csig_profile_result_finding_count(r); i++) {
		const csig_finding *f = csig_profile_result_finding(r, i);
		printf("    - %s: %s\n", f->id, f->message);
	}
}

static int run_match(const char *path, const csig_profile *p, const csig_file *f, const cli_opts *o)
{
	int worst = 0;
	int only = cli_pick_slice(f, o->arch);
	if (only == -2)
		return EXIT_USAGE;
	for (size_t i = 0; i < csig_file_slice_count(f); i++) {
		if (only >= 0 && (size_t)only != i)
			continue;
		const csig_slice *s = csig_file_slice(f, i);
		csig_profile_match_result *m;
		csig_error err;
		int e = csig_profile_match(p, s, &m, &err);
		if (e) {
			cli_print_error(o->match, e, &err);
			return EXIT_UNREADABLE;
		}
		int ok = csig_profile_match_ok(m);
		if (!ok)
			worst = EXIT_INVALID;
		if (o->json) {
			char *text;
			if (csig_profile_match_json(m, CSIG_PROFILE_JSON_PRETTY, &text, NULL, &err) == CSIG_OK)
				cli_print_json(text);
		} else {
			printf("match %s (%s) against %s: %s\n", o->match, csig_slice_arch(s), path,
			       ok ? "ok" : "MISMATCH");
			for (size_t k = 0; k < csig_profile_match_count(m); k++) {
				const char *id, *key, *actual, *allowed, *msg;
				int rok;
				csig_profile_match_item(m, k, &id, &rok, &key, &actual, &allowed, &msg);
				printf("  [%s] %s%s%s: %s\n", rok ? "ok" : "FAIL", id, key ? " " : "",
				       key ? key : "", msg);
				if (!rok || o->verbose)
					printf("         actual %s\n         allowed %s\n",
					       actual ? actual : "-", allowed ? allowed : "-");
			}
		}
		csig_profile_match_free(m);
	}
	return worst;
}

int cmd_profile(const cli_opts *o)
{
	int worst = 0;
	int64_t at = o->at ? o->at : (int64_t)time(NULL);
	csig_file *f = NULL;
	if (o->match) {
		int rc = cli_open(o->match, &f);
		if (rc)
			return rc;
	}
	for (int a = 0; a < o->argc; a++) {
		const char *path = o->argv[a];
		size_t len = 0;
		unsigned char *buf = read_all(path, &len);
		if (!buf) {
			worst = EXIT_UNREADABLE;
			continue;
		}
		csig_profile *p;
		csig_error err;
		int e = csig_profile_parse(&p, buf, len, NULL, &err);
		free(buf);
		if (e) {
			cli_print_error(path, e, &err);
			worst = EXIT_UNREADABLE;
			continue;
		}
		int rc = 0;
		csig_profile_result *r;
		e = csig_profile_check(p, at, &r, &err);
		if (e) {
			cli_print_error(path, e, &err);
			csig_profile_free(p);
			worst = EXIT_UNREADABLE;
			continue;
		}
		if (csig_profile_result_verdict(r) != CSIG_PROFILE_VALID)
			rc = EXIT_INVALID;
		if (o->json) {
			char *text;
			e = csig_profile_json(p, at, CSIG_PROFILE_JSON_PRETTY, &text, NULL, &err);
			if (e == CSIG_OK)
				cli_print_json(text);
			else
				cli_print_error(path, e, &err);
		} else {
			print_text(path, p, r, at);
		}
		csig_profile_result_free(r);
		if (f) {
			int m = run_match(path, p, f, o);
			if (m > rc)
				rc = m;
		}
		csig_profile_free(p);
		if (rc > worst)
			worst = rc;
	}
	csig_file_free(f);
	return worst;
}
