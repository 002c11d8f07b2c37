/*
 * cdhashes.c - smallest useful libcsig program: print the cdhash of every
 * CodeDirectory of every slice, as `codesign -dvvv` lists them.
 *
 *   cc -o cdhashes cdhashes.c $(pkg-config --cflags --libs libcsig)
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
		fprintf(stderr, "%s: %s (%s)\n", argv[1], err.msg, csig_errname(e));
		return 2;
	}
	for (size_t i = 0; i < csig_file_slice_count(f); i++) {
		const csig_slice *s = csig_file_slice(f, i);
		const csig_sig *sig = csig_slice_signature(s);
		if (!sig) {
			printf("%s: unsigned\n", csig_slice_arch(s));
			continue;
		}
		for (size_t k = 0; k < csig_sig_cd_count(sig); k++) {
			const csig_codedir *cd = csig_sig_cd(sig, k);
			uint8_t h[20];
			csig_codedir_cdhash(cd, h);
			printf("%s %s ", csig_slice_arch(s),
			       csig_hash_type_name(csig_codedir_hash_type(cd)));
			for (int b = 0; b < 20; b++)
				printf("%02x", h[b]);
			printf("%s\n", cd == csig_sig_best_cd(sig) ? " (best)" : "");
		}
	}
	csig_file_free(f);
	return 0;
}
