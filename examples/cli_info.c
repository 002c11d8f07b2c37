/*
 * cli_info.c - `csig info`: what `codesign -dvvv` users look for, line for
 * line where the concept is the same, per slice.  -v adds blob and
 * special-slot detail, -vv every code-slot hash.
 */
#include <string.h>
#include "cli.h"

static void version3(uint32_t v)
{
	printf("%u.%u.%u", v >> 16, (v >> 8) & 0xff, v & 0xff);
}

static void print_cd_line(const csig_codedir *cd)
{
	char flags[256];
	csig_bytes b = csig_codedir_bytes(cd);
	printf("CodeDirectory v=%x size=%zu flags=0x%x(%s) hashes=%u+%u location=embedded\n",
	       csig_codedir_version(cd), b.len, csig_codedir_flags(cd),
	       csig_codedir_flags(cd) ? csig_cd_flags_string(csig_codedir_flags(cd), flags, sizeof(flags)) : "none",
	       csig_codedir_n_code_slots(cd), csig_codedir_n_special_slots(cd));
}

static void print_slice(const char *path, const csig_file *f, const csig_slice *s,
			int verbose)
{
	const csig_sig *sig = csig_slice_signature(s);
	printf("Executable=%s\n", path);
	if (csig_file_kind(f) == CSIG_FILE_FAT)
		printf("Architecture=%s (slice %zu of %zu)\n", csig_slice_arch(s),
		       csig_slice_index(s) + 1, csig_file_slice_count(f));
	if (!sig) {
		printf("Format=Mach-O %s (%s)\n", csig_file_kind(f) == CSIG_FILE_FAT ? "universal" : "thin",
		       csig_slice_arch(s));
		uint32_t off, size;
		if (csig_slice_code_signature(s, &off, &size) == 0)
			printf("Signature=unreadable (see csig verify)\n");
		else
			printf("Signature=none (code object is not signed at all)\n");
		return;
	}
	const csig_codedir *best = csig_sig_best_cd(sig);
	const csig_codedir *cd0 = csig_sig_cd(sig, 0);
	const csig_codedir *main_cd = best ? best : cd0;
	if (main_cd)
		printf("Identifier=%s\n", csig_codedir_identifier(main_cd));
	printf("Format=Mach-O %s (%s)\n",
	       csig_file_kind(f) == CSIG_FILE_FAT ? "universal" : "thin", csig_slice_arch(s));
	if (main_cd)
		print_cd_line(main_cd);
	uint32_t platform, minos, sdk;
	if (csig_slice_build_version(s, &platform, &minos, &sdk) == 0) {
		printf("VersionPlatform=%u\nVersionMin=%u\nVersionSDK=%u\n", platform, minos, sdk);
	}
	if (main_cd)
		printf("Hash type=%s size=%u\n",
		       csig_hash_type_name(csig_codedir_hash_type(main_cd)) ?
		       csig_hash_type_name(csig_codedir_hash_type(main_cd)) : "unknown",
		       csig_codedir_hash_size(main_cd));
	char choices[128] = "";
	for (size_t i = 0; i < csig_sig_cd_count(sig); i++) {
		const csig_codedir *cd = csig_sig_cd(sig, i);
		const char *hn = csig_hash_type_name(csig_codedir_hash_type(cd));
		uint8_t h[64];
		size_t hl;
		if (!hn || csig_codedir_cdhash_full(cd, h, &hl))
			continue;
		printf("CandidateCDHash %s=", hn);
		cli_hex(stdout, h, 20);
		printf("\nCandidateCDHashFull %s=", hn);
		cli_hex(stdout, h, hl);
		putchar('\n');
		if (choices[0])
			strncat(choices, ",", sizeof(choices) - strlen(choices) - 1);
		strncat(choices, hn, sizeof(choices) - strlen(choices) - 1);
	}
	printf("Hash choices=%s\n", choices);
	uint64_t base, limit, xflags;
	if (main_cd && csig_codedir_exec_segment(main_cd, &base, &limit, &xflags) == 0) {
		char fl[256];
		printf("Executable Segment base=%llu\nExecutable Segment limit=%llu\n",
		       (unsigned long long)base, (unsigned long long)limit);
		printf("Executable Segment flags=0x%llx(%s)\n", (unsigned long long)xflags,
		       xflags ? csig_execseg_flags_string(xflags, fl, sizeof(fl)) : "none");
	}
	if (main_cd) {
		unsigned shift = csig_codedir_page_shift(main_cd);
		if (shift)
			printf("Page size=%llu\n", 1ULL << shift);
		else
			printf("Page size=none\n");
		uint8_t h[20];
		csig_codedir_cdhash(main_cd, h);
		printf("CDHash=");
		cli_hex(stdout, h, 20);
		putchar('\n');
	}
	csig_bytes cms;
	if (csig_sig_cms(sig, &cms) == 0) {
		printf("Signature size=%zu\n", cms.len);
		cli_print_authority(sig);
	} else {
		printf("Signature=adhoc\n");
	}
	if (main_cd && csig_codedir_n_special_slots(main_cd) >= 1) {
		csig_bytes ih;
		int bound = csig_codedir_slot_hash(main_cd, -1, &ih) == 0 &&
			    ih.len && (ih.ptr[0] | ih.ptr[ih.len - 1]);
		csig_bytes ip;
		if (!bound)
			printf("Info.plist=not bound\n");
		else if (csig_slice_info_plist(s, &ip) == 0)
			printf("Info.plist=embedded section, %zu bytes\n", ip.len);
		else
			printf("Info.plist=bound (external file)\n");
	} else {
		printf("Info.plist=not bound\n");
	}
	const csig_plist *ents = csig_sig_entitlements(sig);
	const csig_plist *ents_der = csig_sig_entitlements_der(sig);
	if (ents || ents_der)
		printf("Entitlements=%zu keys (%s%s%s)\n",
		       csig_pval_count(csig_plist_root(ents ? ents : ents_der)),
		       ents ? "XML" : "", ents && ents_der ? " + " : "", ents_der ? "DER" : "");
	static const char *const cnames[4] = { "Launch Constraints (self)",
		"Launch Constraints (parent)", "Launch Constraints (responsible)",
		"Library Constraints" };
	for (uint32_t k = 8; k <= 11; k++) {
		const csig_plist *c = csig_sig_constraint(sig, k);
		char *text;
		if (c && csig_plist_to_text(c, NULL, &text, NULL, NULL) == CSIG_OK) {
			printf("%s=%s\n", cnames[k - 8], text);
			csig_free(text);
		}
	}
	const char *team = main_cd ? csig_codedir_team_id(main_cd) : NULL;
	printf("TeamIdentifier=%s\n", team ? team : "not set");
	if (main_cd && csig_codedir_runtime(main_cd)) {
		printf("Runtime Version=");
		version3(csig_codedir_runtime(main_cd));
		putchar('\n');
	}
	const csig_blob *res = csig_sig_find_blob(sig, CSIG_SLOT_RESOURCEDIR);
	csig_bytes rh;
	if (res || (main_cd && csig_codedir_slot_hash(main_cd, -3, &rh) == 0 && rh.len &&
		    (rh.ptr[0] | rh.ptr[rh.len - 1])))
		printf("Sealed Resources=bound (external _CodeSignature/CodeResources)\n");
	else
		printf("Sealed Resources=none\n");
	const csig_reqset *reqs = csig_sig_requirements(sig);
	if (reqs) {
		printf("Internal requirements count=%zu size=%zu\n", csig_reqset_count(reqs),
		       csig_reqset_raw(reqs).len);
		if (verbose >= 1) {
			char *text;
			if (csig_reqset_to_text(reqs, &text, NULL, NULL) == CSIG_OK) {
				fputs(text, stdout);
				csig_free(text);
			}
		}
	} else {
		printf("Internal requirements=none\n");
	}
	if (verbose >= 1) {
		printf("Blobs=%zu\n", csig_sig_blob_count(sig));
		for (size_t i = 0; i < csig_sig_blob_count(sig); i++) {
			const csig_blob *b = csig_sig_blob(sig, i);
			printf("  slot 0x%-5x %-26s magic 0x%08x length %-6u at 0x%llx%s%s\n",
			       b->type, b->name ? b->name : "(unknown)", b->magic, b->length,
			       (unsigned long long)b->file_offset, b->status ? " BROKEN: " : "",
			       b->status ? csig_errname(b->status) : "");
		}
		for (size_t i = 0; i < csig_sig_cd_count(sig); i++) {
			const csig_codedir *cd = csig_sig_cd(sig, i);
			printf("CodeDirectory slot 0x%x: ", csig_codedir_slot(cd));
			print_cd_line(cd);
			printf("  code limit 0x%llx, page size %u, platform %u\n",
			       (unsigned long long)csig_codedir_code_limit(cd),
			       csig_codedir_page_shift(cd) ? 1u << csig_codedir_page_shift(cd) : 0,
			       csig_codedir_platform(cd));
			for (uint32_t k = csig_codedir_n_special_slots(cd); k >= 1; k--) {
				csig_bytes h;
				if (csig_codedir_slot_hash(cd, -(int)k, &h))
					break;
				printf("  %4d=", -(int)k);
				cli_hex(stdout, h.ptr, h.len);
				putchar('\n');
			}
			if (verbose >= 2)
				for (uint32_t k = 0; k < csig_codedir_n_code_slots(cd); k++) {
					csig_bytes h;
					if (csig_codedir_slot_hash(cd, (int)k, &h))
						break;
					printf("  %4u=", k);
					cli_hex(stdout, h.ptr, h.len);
					putchar('\n');
				}
		}
	}
}

/* A bundle: its own facts, then the main executable as for a binary. */
static int info_bundle(const cli_opts *o, const char *path, const csig_file **f_out,
		       csig_bundle **b_out)
{
	csig_error err;
	int e = csig_bundle_open_path(b_out, path, NULL, &err);
	if (e) {
		cli_print_error(path, e, &err);
		return EXIT_UNREADABLE;
	}
	const csig_bundle *b = *b_out;
	*f_out = csig_bundle_executable(b);
	if (!o->json) {
		const char *id = csig_bundle_identifier(b);
		printf("Bundle=%s\nBundleIdentifier=%s\n", path, id ? id : "(none)");
		printf("MainExecutable=%s\n", csig_bundle_main_executable(b) ?
		       csig_bundle_main_executable(b) : "(none: code-less bundle)");
		printf("NestedCode=%zu\n", csig_bundle_nested_count(b));
		for (size_t i = 0; i < csig_bundle_nested_count(b); i++)
			printf("  %s\n", csig_bundle_path(csig_bundle_nested(b, i)));
	}
	return 0;
}

int cmd_info(const cli_opts *o)
{
	int worst = 0;
	for (int a = 0; a < o->argc; a++) {
		const char *path = o->argv[a];
		csig_file *f = NULL;
		csig_bundle *bundle = NULL;
		if (cli_is_bundle_path(path)) {
			const csig_file *bf = NULL;
			int rc = info_bundle(o, path, &bf, &bundle);
			if (rc) {
				worst = rc;
				continue;
			}
			if (!bf) {
				csig_bundle_free(bundle);
				continue;
			}
			f = (csig_file *)(uintptr_t)bf; /* borrowed: freed with the bundle */
		} else {
			int rc = cli_open(path, &f);
			if (rc) {
				worst = rc;
				continue;
			}
		}
		int only = cli_pick_slice(f, o->arch);
		if (only == -2) {
			csig_file_free(f);
			worst = EXIT_USAGE;
			continue;
		}
		if (o->json) {
			char *text;
			csig_error err;
			unsigned fl = CSIG_JSON_PRETTY | (o->verbose >= 2 ? CSIG_JSON_SLOTS : 0) |
				      (o->load_commands ? CSIG_JSON_LOAD_COMMANDS : 0);
			int e = csig_file_json(f, only, fl, &text, NULL, &err);
			if (e)
				cli_print_error(path, e, &err);
			else
				cli_print_json(text);
		} else {
			for (size_t i = 0; i < csig_file_slice_count(f); i++) {
				if (only >= 0 && (size_t)only != i)
					continue;
				if (i > 0 && only < 0)
					putchar('\n');
				print_slice(path, f, csig_file_slice(f, i), o->verbose);
			}
		}
		if (bundle)
			csig_bundle_free(bundle);
		else
			csig_file_free(f);
	}
	return worst;
}
