/* cli_bundle.c - `csig verify` on a bundle directory or an .ipa archive. */
#include <string.h>
#include <sys/stat.h>
#include "cli.h"

int cli_is_bundle_path(const char *path);
int cli_verify_bundle(const cli_opts *o, const char *path);

/* A directory, or a file named *.ipa, is verified as a bundle. */
int cli_is_bundle_path(const char *path)
{
	struct stat st;
	size_t n = strlen(path);
	if (n >= 4 && strcmp(path + n - 4, ".ipa") == 0)
		return 1;
	return stat(path, &st) == 0 && S_ISDIR(st.st_mode);
}

static const char *sev(int s)
{
	return s == CSIG_SEV_ERROR ? "error" : s == CSIG_SEV_WARN ? "warning" : "info";
}

int cli_verify_bundle(const cli_opts *o, const char *path)
{
	csig_bundle *b;
	csig_error err;
	int e = csig_bundle_open_path(&b, path, NULL, &err);
	if (e) {
		cli_print_error(path, e, &err);
		return EXIT_UNREADABLE;
	}
	csig_verify_options vo = CSIG_VERIFY_OPTIONS_INIT;
	vo.jobs = o->jobs;
	vo.at_time = o->at;
	if (o->check_expiration)
		vo.flags |= CSIG_VERIFY_CHECK_EXPIRATION;
	csig_bundle_result *r;
	e = csig_bundle_verify(&r, b, &vo, &err);
	if (e) {
		cli_print_error(path, e, &err);
		csig_bundle_free(b);
		return EXIT_UNREADABLE;
	}
	int valid = csig_bundle_result_valid(r);
	if (o->json) {
		char *text;
		e = csig_bundle_result_json(r, CSIG_JSON_PRETTY, &text, NULL, &err);
		if (e)
			cli_print_error(path, e, &err);
		else
			cli_print_json(text);
	} else {
		for (size_t i = 0; i < csig_bundle_result_count(r); i++) {
			const csig_finding *x = csig_bundle_result_finding(r, i);
			const char *p = csig_bundle_result_path(r, i);
			if (x->severity == CSIG_SEV_INFO && o->verbose == 0)
				continue;
			printf("%s", path);
			if (p && *p)
				printf("/%s", p);
			printf(": ");
			if (x->slice >= 0)
				printf("slice %d: ", x->slice);
			if (x->cd >= 0)
				printf("cd %d: ", x->cd);
			printf("%s: %s [%s]\n", sev(x->severity), x->message, x->id);
		}
		if (o->verbose) {
			const char *id = csig_bundle_identifier(b);
			const char *exe = csig_bundle_main_executable(b);
			printf("%s: identifier %s, main executable %s, %zu nested bundle(s), %llu file(s) hashed\n",
			       path, id ? id : "(none)", exe ? exe : "(code-less)",
			       csig_bundle_nested_count(b),
			       (unsigned long long)csig_bundle_result_files_hashed(r));
		}
		printf("%s: %s\n", path, valid ? "valid on disk" : "INVALID");
	}
	csig_bundle_result_free(r);
	csig_bundle_free(b);
	return valid ? EXIT_VALID : EXIT_INVALID;
}
