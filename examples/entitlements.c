/*
 * entitlements.c - list the entitlement keys of every slice, with the
 * value type, through the shared property-list value model.
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
	if (csig_file_open_path(&f, argv[1], NULL, &err) != CSIG_OK) {
		fprintf(stderr, "%s: %s\n", argv[1], err.msg);
		return 2;
	}
	for (size_t i = 0; i < csig_file_slice_count(f); i++) {
		const csig_slice *s = csig_file_slice(f, i);
		const csig_sig *sig = csig_slice_signature(s);
		const csig_plist *ent = sig ? csig_sig_entitlements(sig) : NULL;
		if (!ent && sig)
			ent = csig_sig_entitlements_der(sig);
		if (!ent) {
			printf("%s: no entitlements\n", csig_slice_arch(s));
			continue;
		}
		const csig_pval *root = csig_plist_root(ent);
		for (size_t k = 0; k < csig_pval_count(root); k++) {
			size_t n;
			const char *key = csig_pval_cstr(csig_pval_dict_key(root, k), &n);
			printf("%s: %.*s (%s)\n", csig_slice_arch(s), (int)n, key ? key : "",
			       csig_pval_type_name(csig_pval_type_of(csig_pval_dict_value(root, k))));
		}
	}
	csig_file_free(f);
	return 0;
}
