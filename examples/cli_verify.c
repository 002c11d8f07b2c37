/* cli_verify.c - `csig verify`: every finding, and the verdict as exit code. */
#include "cli.h"

int cli_is_bundle_path(const char *path);            /* cli_bundle.c */
int cli_verify_bundle(const cli_opts *o, const char *path);

static const char *sev(int s)
{
	return s == CSIG_SEV_ERROR ? "error" : s == CSIG_SEV_WARN ? "warning" : "info";
}

int cmd_verify(const cli_opts *o)
{
	int worst = EXIT_VALID;
	for (int a = 0; a < o->argc; a++) {
		const char *path = o->argv[a];
		if (cli_is_bundle_path(path)) { /* a bundle directory or an .ipa */
			int brc = cli_verify_bundle(o, path);
			worst = brc > worst ? brc : worst;
			continue;
		}
		csig_file *f;
		int rc = cli_open(path, &f);
		if (rc) {
			worst = rc;
			continue;
		}
		int only = cli_pick_slice(f, o->arch);
		if (only == -2) {
			csig_file_free(f);
			worst = EXIT_USAGE;
			continue;
		}
		csig_verify_options vo = CSIG_VERIFY_OPTIONS_INIT;
		vo.jobs = o->jobs;
		vo.at_time = o->at;
		if (o->check_expiration)
			vo.flags |= CSIG_VERIFY_CHECK_EXPIRATION;
		if (only >= 0) {
			vo.flags |= CSIG_VERIFY_ONE_SLICE;
			vo.slice = (unsigned)only;
		}
		csig_verify_result *r;
		csig_error err;
		int e = csig_verify(&r, f, &vo, &err);
		if (e) {
			cli_print_error(path, e, &err);
			csig_file_free(f);
			worst = EXIT_UNREADABLE;
			continue;
		}
		int valid = csig_verify_result_valid(r);
		if (o->json) {
			char *text;
			e = csig_verify_result_json(r, f, CSIG_JSON_PRETTY, &text, NULL, &err);
			if (e)
				cli_print_error(path, e, &err);
			else
				cli_print_json(text);
		} else {
			for (size_t i = 0; i < csig_verify_result_count(r); i++) {
				const csig_finding *x = csig_verify_result_finding(r, i);
				if (x->severity == CSIG_SEV_INFO && o->verbose == 0)
					continue;
				printf("%s: ", path);
				if (x->slice >= 0)
					printf("slice %d (%s): ", x->slice,
					       csig_slice_arch(csig_file_slice(f, (size_t)x->slice)));
				if (x->cd >= 0)
					printf("cd %d: ", x->cd);
				printf("%s: %s [%s]\n", sev(x->severity), x->message, x->id);
			}
			for (size_t i = 0; i < csig_file_slice_count(f); i++) {
				const csig_sig *sig = csig_slice_signature(csig_file_slice(f, i));
				if (sig && csig_sig_cms_parsed(sig) && (only < 0 || (size_t)only == i)) {
					if (csig_file_slice_count(f) > 1)
						printf("slice %zu (%s):\n", i, csig_slice_arch(csig_file_slice(f, i)));
					cli_print_authority(sig);
				}
			}
			printf("%s: %s\n", path, valid ? "valid on disk" : "INVALID");
		}
		if (!valid && worst == EXIT_VALID)
			worst = EXIT_INVALID;
		csig_verify_result_free(r);
		csig_file_free(f);
	}
	return worst;
}
