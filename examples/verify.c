/*
 * verify.c - verify a Mach-O and print every finding; exit 0 when valid.
 * Verification outcomes are data: csig_verify() succeeds and the result
 * lists every problem instead of stopping at the first.
 */
#include <stdio.h>
#include <csig.h>

int main(int argc, char **argv)
{
	if (argc != 2) {
		fprintf(stderr, "usage: %s MACHO\n", argv[0]);
		return 64;
	}
	csig_file *f;
	csig_error err;
	int e = csig_file_open_path(&f, argv[1], NULL, &err);
	if (e) {
		fprintf(stderr, "%s: %s\n", argv[1], err.msg);
		return 2;
	}
	csig_verify_result *r;
	e = csig_verify(&r, f, NULL, &err);
	if (e) {
		fprintf(stderr, "%s: %s\n", argv[1], err.msg);
		csig_file_free(f);
		return 2;
	}
	for (size_t i = 0; i < csig_verify_result_count(r); i++) {
		const csig_finding *x = csig_verify_result_finding(r, i);
		printf("[%s] %s\n", x->id, x->message);
	}
	int valid = csig_verify_result_valid(r);
	printf("%s\n", valid ? "valid" : "invalid");
	csig_verify_result_free(r);
	csig_file_free(f);
	return valid ? 0 : 1;
}
