/*
 * cli_ent.c - `csig ent`: entitlements per slice.  Default: the original XML
 * bytes untouched (hashes depend on them), or DER rendered as XML when only
 * DER exists; --json the value as JSON; --text a readable outline; --der
 * the DER blob (combine with --json or --text).
 */
#include <string.h>
#include "cli.h"

static int print_plist(const csig_plist *p, int json, int readable)
{
	char *text;
	size_t len;
	int e = json ? csig_plist_to_json(p, NULL, 1, &text, &len, NULL)
		: readable ? csig_plist_to_text(p, NULL, &text, &len, NULL)
			   : csig_plist_to_xml(p, NULL, &text, &len, NULL);
	if (e)
		return e;
	fwrite(text, 1, len, stdout);
	if (len && text[len - 1] != '\n')
		putchar('\n');
	csig_free(text);
	return 0;
}

static int ent_file(const cli_opts *o, const char *path, const csig_file *f, int only)
{
	int rc = 0;
	for (size_t i = 0; i < csig_file_slice_count(f); i++) {
		if (only >= 0 && (size_t)only != i)
			continue;
		const csig_slice *s = csig_file_slice(f, i);
		const csig_sig *sig = csig_slice_signature(s);
		const csig_plist *xml = sig ? csig_sig_entitlements(sig) : NULL;
		const csig_plist *der = sig ? csig_sig_entitlements_der(sig) : NULL;
		if (csig_file_slice_count(f) > 1 && only < 0)
			fprintf(stderr, "== %s (%s)\n", path, csig_slice_arch(s));
		const csig_plist *pick = o->der ? der : (xml ? xml : der);
		if (!pick) {
			fprintf(stderr, "%s (%s): no %sentitlements\n", path,
				csig_slice_arch(s), o->der ? "DER " : "");
			continue;
		}
		if (!o->json && !o->text && pick == xml) {
			csig_bytes src = csig_plist_source(xml);
			fwrite(src.ptr, 1, src.len, stdout);
		} else if (print_plist(pick, o->json, o->text)) {
			rc = EXIT_INVALID;
		}
	}
	return rc;
}

int cmd_ent(const cli_opts *o)
{
	return cli_for_each_file(o, ent_file);
}
