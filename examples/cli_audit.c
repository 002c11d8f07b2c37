/*
 * cli_audit.c - `csig audit`: every dated, identity-bearing item of a
 * binary, bundle, .ipa or profile with what its passing breaks (exit 1 when
 * a launch-breaking item has expired or expires within --within days; with
 * --strict also release-breaking items and named risks); and
 * `csig check-update OLD NEW`: does NEW satisfy OLD's designated requirement
 * (exit 0 yes, 1 no, 3 indeterminate)?  Both exit 2 on unreadable input.
 */
#include <string.h>
#include "cli.h"

static void print_audit(const char *path, const csig_audit *a, int verbose)
{
	char at[32];
	csig_time_format(csig_audit_at(a), at, sizeof(at));
	printf("%s: audit at %s, window %u days\n", path, at, csig_audit_within_days(a));
	for (size_t i = 0; i < csig_audit_code_count(a); i++) {
		const csig_audit_code *c = csig_audit_code_at(a, i);
		printf("  code %s (%s): %s, identifier %s, team %s%s%s%s\n",
		       *c->where ? c->where : path, c->arch, c->signing,
		       *c->identifier ? c->identifier : "-", *c->team_id ? c->team_id : "-",
		       *c->leaf_cn ? ", leaf \"" : "", c->leaf_cn, *c->leaf_cn ? "\"" : "");
	}
	for (size_t i = 0; i < csig_audit_item_count(a); i++) {
		const csig_audit_item *it = csig_audit_item_at(a, i);
		char d[32];
		csig_time_format(it->date, d, sizeof(d));
		d[10] = '\0';
		printf("  %-8s %-7s %s %6lldd  %-19s \"%s\"  %s%s%s%s\n", it->status, it->breaks, d,
		       (long long)it->days_remaining, it->kind, it->subject,
		       *it->where ? it->where : path, *it->arch ? " [" : "", it->arch,
		       *it->arch ? "]" : "");
		if (verbose)
			printf("           %s\n", it->reason);
	}
	for (size_t i = 0; i < csig_audit_risk_count(a); i++) {
		const csig_audit_risk *r = csig_audit_risk_at(a, i);
		printf("  risk %s: %s [%s]\n", r->severity == CSIG_SEV_ERROR ? "error" : "warning",
		       r->message, r->id);
	}
}

int cmd_audit(const cli_opts *o)
{
	int worst = EXIT_VALID;
	csig_audit_options ao = CSIG_AUDIT_OPTIONS_INIT;
	ao.at = o->at;
	ao.within_days = o->within;
	if (o->strict)
		ao.flags |= CSIG_AUDIT_STRICT;
	for (int i = 0; i < o->argc; i++) {
		const char *path = o->argv[i];
		csig_audit *a;
		csig_error err;
		int e = csig_audit_path(&a, path, &ao, &err);
		if (e) {
			cli_print_error(path, e, &err);
			worst = EXIT_UNREADABLE;
			continue;
		}
		int failed = csig_audit_failed(a);
		if (o->json) {
			char *text;
			e = csig_audit_json(a, CSIG_JSON_PRETTY, &text, NULL, &err);
			if (e)
				cli_print_error(path, e, &err);
			else
				cli_print_json(text);
		} else {
			print_audit(path, a, o->verbose);
			printf("%s: %s\n", path, failed ? (o->strict
				? "FAILED: an item expires within the window or a named risk is present"
				: "FAILED: a launch-breaking item has expired or expires within the window")
				: "ok");
		}
		if (failed && worst == EXIT_VALID)
			worst = EXIT_INVALID;
		csig_audit_free(a);
	}
	return worst;
}

int cmd_check_update(const cli_opts *o)
{
	if (o->argc != 2) {
		fprintf(stderr, "usage: csig check-update [--json] [--requirement TEXT] OLD NEW\n");
		return EXIT_USAGE;
	}
	csig_update_check *u;
	csig_error err;
	int e = csig_check_update(&u, o->argv[0], o->argv[1], o->requirement, &err);
	if (e) {
		if (e == CSIG_E_SYNTAX) {
			fprintf(stderr, "csig: requirement: %s (%s)\n", err.msg, csig_errname(e));
			return EXIT_USAGE;
		}
		cli_print_error("check-update", e, &err);
		return EXIT_UNREADABLE;
	}
	int v = csig_update_check_verdict(u);
	if (o->json) {
		char *text;
		e = csig_update_check_json(u, CSIG_JSON_PRETTY, &text, NULL, &err);
		if (e)
			cli_print_error("check-update", e, &err);
		else
			cli_print_json(text);
	} else {
		printf("designated requirement of %s%s:\n  %s\n", o->argv[0],
		       csig_update_check_implicit(u) ? " (implicit, derived)" : "",
		       *csig_update_check_requirement(u) ? csig_update_check_requirement(u)
							 : "(none: unsigned)");
		if (o->requirement)
			printf("extra requirement:\n  %s\n", o->requirement);
		for (size_t i = 0; i < csig_update_check_count(u); i++) {
			const char *which, *arch;
			const csig_req_result *r;
			csig_update_check_eval(u, i, &which, &arch, &r);
			printf("%s (%s) against the %s requirement: %s\n", o->argv[1], arch, which,
			       csig_req_verdict_name(csig_req_result_verdict(r)));
			for (size_t k = 0; k < csig_req_result_trace_count(r); k++) {
				const char *actual = csig_req_result_trace_actual(r, k);
				const char *expected = csig_req_result_trace_expected(r, k);
				const char *reason = csig_req_result_trace_reason(r, k);
				printf("  [%s] %s",
				       csig_req_verdict_name(csig_req_result_trace_verdict(r, k)),
				       csig_req_result_trace_clause(r, k));
				if (actual && *actual)
					printf("\n      actual:   %s", actual);
				if (expected && *expected)
					printf("\n      expected: %s", expected);
				if (reason && *reason)
					printf("\n      why:      %s", reason);
				putchar('\n');
			}
		}
		printf("update %s: %s\n", v == CSIG_UPDATE_YES ? "accepted" :
		       v == CSIG_UPDATE_NO ? "REJECTED" : "indeterminate", csig_update_check_reason(u));
	}
	csig_update_check_free(u);
	return v == CSIG_UPDATE_YES ? EXIT_VALID : v == CSIG_UPDATE_NO ? EXIT_INVALID
								 : EXIT_INDETERMINATE;
}
