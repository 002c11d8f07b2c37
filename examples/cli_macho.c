/* cli_macho.c - `csig macho`: header, slices and load commands. */
#include <string.h>
#include "cli.h"

static void print_version3(const char *label, uint32_t v)
{
	printf("%s%u.%u.%u", label, v >> 16, (v >> 8) & 0xff, v & 0xff);
}

static void print_slice(const csig_slice *s)
{
	char flags[512];
	const char *ft = csig_filetype_name(csig_slice_filetype(s));
	printf("slice %zu: %s  offset 0x%llx size 0x%llx\n", csig_slice_index(s),
	       csig_slice_arch(s), (unsigned long long)csig_slice_offset(s),
	       (unsigned long long)csig_slice_size(s));
	printf("  magic 0x%08x (%d-bit %s-endian)  cputype 0x%x cpusubtype 0x%x\n",
	       csig_slice_magic(s), csig_slice_is64(s) ? 64 : 32,
	       csig_slice_big_endian(s) ? "big" : "little",
	       (uint32_t)csig_slice_cputype(s), (uint32_t)csig_slice_cpusubtype(s));
	if (csig_slice_fat_cputype(s) != csig_slice_cputype(s))
		printf("  fat entry cputype 0x%x (%s) DIFFERS from the header\n",
		       (uint32_t)csig_slice_fat_cputype(s),
		       csig_arch_name(csig_slice_fat_cputype(s), csig_slice_fat_cpusubtype(s)));
	printf("  filetype %s  ncmds %u sizeofcmds %u\n", ft ? ft : "unknown",
	       csig_slice_ncmds(s), csig_slice_sizeofcmds(s));
	printf("  flags 0x%x %s\n", csig_slice_flags(s),
	       csig_mh_flags_string(csig_slice_flags(s), flags, sizeof(flags)));
	uint32_t platform, minos, sdk;
	if (csig_slice_build_version(s, &platform, &minos, &sdk) == 0) {
		const char *pn = csig_platform_name(platform);
		printf("  platform %s", pn ? pn : "unknown");
		print_version3("  minos ", minos);
		print_version3("  sdk ", sdk);
		putchar('\n');
	}
	uint8_t uuid[16];
	if (csig_slice_uuid(s, uuid) == 0) {
		printf("  uuid ");
		cli_hex(stdout, uuid, 16);
		putchar('\n');
	}
	printf("  load commands:\n");
	for (size_t i = 0; i < csig_slice_lc_count(s); i++) {
		const csig_lc *l = csig_slice_lc(s, i);
		printf("    %3zu  %-28s cmd 0x%-8x size %-6u at 0x%llx\n", i,
		       l->name ? l->name : "(unknown)", l->cmd, l->cmdsize,
		       (unsigned long long)l->offset);
	}
	uint32_t off, size;
	if (csig_slice_code_signature(s, &off, &size) == 0)
		printf("  code signature at slice offset 0x%x size 0x%x\n", off, size);
	else
		printf("  not signed (no LC_CODE_SIGNATURE)\n");
}

static int macho_file(const cli_opts *o, const char *path, const csig_file *f, int only)
{
	if (o->json) {
		char *text;
		csig_error err;
		unsigned fl = CSIG_JSON_PRETTY | (o->load_commands ? CSIG_JSON_LOAD_COMMANDS : 0);
		int e = csig_file_json(f, only, fl, &text, NULL, &err);
		if (e) {
			cli_print_error(path, e, &err);
			return EXIT_UNREADABLE;
		}
		cli_print_json(text);
		return 0;
	}
	printf("%s: %s", path,
	       csig_file_kind(f) == CSIG_FILE_FAT ? "Mach-O universal" : "Mach-O thin");
	if (csig_file_fat_magic(f))
		printf(" (fat magic 0x%08x)", csig_file_fat_magic(f));
	printf(", %zu slice%s, %llu bytes\n", csig_file_slice_count(f),
	       csig_file_slice_count(f) == 1 ? "" : "s",
	       (unsigned long long)csig_file_size(f));
	for (size_t i = 0; i < csig_file_slice_count(f); i++)
		if (only < 0 || (size_t)only == i)
			print_slice(csig_file_slice(f, i));
	for (size_t i = 0; i < csig_file_finding_count(f); i++) {
		const csig_finding *x = csig_file_finding(f, i);
		printf("finding: %s [%s] %s\n", x->id,
		       x->severity == CSIG_SEV_ERROR ? "error" :
		       x->severity == CSIG_SEV_WARN ? "warning" : "info", x->message);
	}
	return 0;
}

int cmd_macho(const cli_opts *o)
{
	return cli_for_each_file(o, macho_file);
}
