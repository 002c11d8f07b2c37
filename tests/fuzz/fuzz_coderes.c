/*
 * fuzz_coderes.c - CodeResources parsing and rule matching on hostile
 * input.  Invariants on success: seals are sorted and every seal path is a
 * safe relative name; every compiled rule can be matched against paths.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>
#include "coderes.h"
#include "vfs.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	csig__coderes *cr = NULL;
	csig_error err;
	memset(&err, 0, sizeof(err));
	if (csig__coderes_parse(&cr, data, size, NULL, &err) != CSIG_OK)
		return 0;
	static const char *const paths[] = {
		"Info.plist", "PkgInfo", "Resources/en.lproj/x.strings",
		"Frameworks/A.framework", "a/b/c/.DS_Store", "MacOS/helper", ""
	};
	for (size_t i = 0; i < sizeof(paths) / sizeof(paths[0]); i++)
		(void)csig__coderes_match(cr, paths[i]);
	for (size_t i = 0; i < cr->nseals; i++) {
		const csig__seal *s = &cr->seals[i];
		if (csig__vfs_check_name(s->path, NULL) != CSIG_OK || !*s->path)
			__builtin_trap();
		if (i && strcmp(cr->seals[i - 1].path, s->path) > 0)
			__builtin_trap();
		if (csig__coderes_find(cr, s->path) == NULL)
			__builtin_trap();
		int t;
		csig_bytes h = csig__seal_best_hash(s, &t);
		if (s->kind == CSIG__SEAL_NESTED && s->cdhash.len != 20)
			__builtin_trap();
		if (h.len && t == 0)
			__builtin_trap();
	}
	csig__coderes_free(cr);
	return 0;
}
