/*
 * names.c - names of Mach-O numbers: architectures, load commands, file
 * types, platforms and header flags (xnu loader.h, machine.h).
 */
#include <stdio.h>
#include <string.h>
#include "csig/macho.h"
#include "util.h"

#define CPU_ARCH_ABI64 0x01000000
#define CPU_ARCH_ABI64_32 0x02000000
#define CPU_TYPE_X86 7
#define CPU_TYPE_ARM 12
#define CPU_TYPE_POWERPC 18
#define CPU_SUBTYPE_MASK 0xff000000u

static const struct {
	int32_t type;
	int32_t subtype; /* -1 = any */
	const char *name;
} arch_table[] = {
	{ CPU_TYPE_X86, 3, "i386" },
	{ CPU_TYPE_X86, -1, "i386" },
	{ CPU_TYPE_X86 | CPU_ARCH_ABI64, 8, "x86_64h" },
	{ CPU_TYPE_X86 | CPU_ARCH_ABI64, -1, "x86_64" },
	{ CPU_TYPE_ARM | CPU_ARCH_ABI64, 2, "arm64e" },
	{ CPU_TYPE_ARM | CPU_ARCH_ABI64, 1, "arm64v8" },
	{ CPU_TYPE_ARM | CPU_ARCH_ABI64, -1, "arm64" },
	{ CPU_TYPE_ARM | CPU_ARCH_ABI64_32, -1, "arm64_32" },
	{ CPU_TYPE_ARM, 5, "armv4t" },
	{ CPU_TYPE_ARM, 6, "armv6" },
	{ CPU_TYPE_ARM, 7, "armv5" },
	{ CPU_TYPE_ARM, 8, "xscale" },
	{ CPU_TYPE_ARM, 9, "armv7" },
	{ CPU_TYPE_ARM, 10, "armv7f" },
	{ CPU_TYPE_ARM, 11, "armv7s" },
	{ CPU_TYPE_ARM, 12, "armv7k" },
	{ CPU_TYPE_ARM, 13, "armv8" },
	{ CPU_TYPE_ARM, 14, "armv6m" },
	{ CPU_TYPE_ARM, 15, "armv7m" },
	{ CPU_TYPE_ARM, 16, "armv7em" },
	{ CPU_TYPE_ARM, -1, "arm" },
	{ CPU_TYPE_POWERPC, -1, "ppc" },
	{ CPU_TYPE_POWERPC | CPU_ARCH_ABI64, -1, "ppc64" },
	{ 6, -1, "m68k" },
	{ 10, -1, "m88k" },
	{ 14, -1, "sparc" },
	{ 11, -1, "hppa" },
	{ 15, -1, "i860" },
};

const char *csig_arch_name(int32_t cputype, int32_t cpusubtype)
{
	int32_t sub = (int32_t)((uint32_t)cpusubtype & ~CPU_SUBTYPE_MASK);
	for (size_t i = 0; i < CSIG_ARRAY_LEN(arch_table); i++)
		if (arch_table[i].type == cputype &&
		    (arch_table[i].subtype == -1 || arch_table[i].subtype == sub))
			return arch_table[i].name;
	return "unknown";
}

static const struct {
	uint32_t cmd;
	const char *name;
} lc_table[] = {
	{ 0x1, "LC_SEGMENT" }, { 0x2, "LC_SYMTAB" }, { 0x3, "LC_SYMSEG" },
	{ 0x4, "LC_THREAD" }, { 0x5, "LC_UNIXTHREAD" }, { 0x6, "LC_LOADFVMLIB" },
	{ 0x7, "LC_IDFVMLIB" }, { 0x8, "LC_IDENT" }, { 0x9, "LC_FVMFILE" },
	{ 0xa, "LC_PREPAGE" }, { 0xb, "LC_DYSYMTAB" }, { 0xc, "LC_LOAD_DYLIB" },
	{ 0xd, "LC_ID_DYLIB" }, { 0xe, "LC_LOAD_DYLINKER" }, { 0xf, "LC_ID_DYLINKER" },
	{ 0x10, "LC_PREBOUND_DYLIB" }, { 0x11, "LC_ROUTINES" },
	{ 0x12, "LC_SUB_FRAMEWORK" }, { 0x13, "LC_SUB_UMBRELLA" },
	{ 0x14, "LC_SUB_CLIENT" }, { 0x15, "LC_SUB_LIBRARY" },
	{ 0x16, "LC_TWOLEVEL_HINTS" }, { 0x17, "LC_PREBIND_CKSUM" },
	{ 0x80000018, "LC_LOAD_WEAK_DYLIB" }, { 0x19, "LC_SEGMENT_64" },
	{ 0x1a, "LC_ROUTINES_64" }, { 0x1b, "LC_UUID" },
	{ 0x8000001c, "LC_RPATH" }, { 0x1d, "LC_CODE_SIGNATURE" },
	{ 0x1e, "LC_SEGMENT_SPLIT_INFO" }, { 0x8000001f, "LC_REEXPORT_DYLIB" },
	{ 0x20, "LC_LAZY_LOAD_DYLIB" }, { 0x21, "LC_ENCRYPTION_INFO" },
	{ 0x22, "LC_DYLD_INFO" }, { 0x80000022, "LC_DYLD_INFO_ONLY" },
	{ 0x80000023, "LC_LOAD_UPWARD_DYLIB" }, { 0x24, "LC_VERSION_MIN_MACOSX" },
	{ 0x25, "LC_VERSION_MIN_IPHONEOS" }, { 0x26, "LC_FUNCTION_STARTS" },
	{ 0x27, "LC_DYLD_ENVIRONMENT" }, { 0x80000028, "LC_MAIN" },
	{ 0x29, "LC_DATA_IN_CODE" }, { 0x2a, "LC_SOURCE_VERSION" },
	{ 0x2b, "LC_DYLIB_CODE_SIGN_DRS" }, { 0x2c, "LC_ENCRYPTION_INFO_64" },
	{ 0x2d, "LC_LINKER_OPTION" }, { 0x2e, "LC_LINKER_OPTIMIZATION_HINT" },
	{ 0x2f, "LC_VERSION_MIN_TVOS" }, { 0x30, "LC_VERSION_MIN_WATCHOS" },
	{ 0x31, "LC_NOTE" }, { 0x32, "LC_BUILD_VERSION" },
	{ 0x80000033, "LC_DYLD_EXPORTS_TRIE" }, { 0x80000034, "LC_DYLD_CHAINED_FIXUPS" },
	{ 0x80000035, "LC_FILESET_ENTRY" }, { 0x36, "LC_ATOM_INFO" },
	{ 0x37, "LC_FUNCTION_VARIANTS" }, { 0x38, "LC_FUNCTION_VARIANT_FIXUPS" },
	{ 0x39, "LC_TARGET_TRIPLE" },
};

const char *csig_lc_name(uint32_t cmd)
{
	for (size_t i = 0; i < CSIG_ARRAY_LEN(lc_table); i++)
		if (lc_table[i].cmd == cmd)
			return lc_table[i].name;
	return NULL;
}

static const char *const filetype_names[] = {
	NULL, "MH_OBJECT", "MH_EXECUTE", "MH_FVMLIB", "MH_CORE", "MH_PRELOAD",
	"MH_DYLIB", "MH_DYLINKER", "MH_BUNDLE", "MH_DYLIB_STUB", "MH_DSYM",
	"MH_KEXT_BUNDLE", "MH_FILESET", "MH_GPU_EXECUTE", "MH_GPU_DYLIB",
};

const char *csig_filetype_name(uint32_t t)
{
	return t < CSIG_ARRAY_LEN(filetype_names) ? filetype_names[t] : NULL;
}

static const char *const platform_names[] = {
	NULL, "macOS", "iOS", "tvOS", "watchOS", "bridgeOS", "macCatalyst",
	"iOSSimulator", "tvOSSimulator", "watchOSSimulator", "DriverKit",
	"visionOS", "visionOSSimulator", "firmware", "sepOS",
};

const char *csig_platform_name(uint32_t p)
{
	return p < CSIG_ARRAY_LEN(platform_names) ? platform_names[p] : NULL;
}

static const char *const mh_flag_names[32] = {
	"MH_NOUNDEFS", "MH_INCRLINK", "MH_DYLDLINK", "MH_BINDATLOAD",
	"MH_PREBOUND", "MH_SPLIT_SEGS", "MH_LAZY_INIT", "MH_TWOLEVEL",
	"MH_FORCE_FLAT", "MH_NOMULTIDEFS", "MH_NOFIXPREBINDING", "MH_PREBINDABLE",
	"MH_ALLMODSBOUND", "MH_SUBSECTIONS_VIA_SYMBOLS", "MH_CANONICAL",
	"MH_WEAK_DEFINES", "MH_BINDS_TO_WEAK", "MH_ALLOW_STACK_EXECUTION",
	"MH_ROOT_SAFE", "MH_SETUID_SAFE", "MH_NO_REEXPORTED_DYLIBS", "MH_PIE",
	"MH_DEAD_STRIPPABLE_DYLIB", "MH_HAS_TLV_DESCRIPTORS", "MH_NO_HEAP_EXECUTION",
	"MH_APP_EXTENSION_SAFE", "MH_NLIST_OUTOFSYNC_WITH_DYLDINFO",
	"MH_SIM_SUPPORT", NULL, NULL, NULL, "MH_DYLIB_IN_CACHE",
};

/* Join the names of set bits with sep; unknown bits as hex. */
char *csig__flags_join(uint64_t flags, const char *const *names, size_t nnames,
		       const char *sep, char *buf, size_t n);
char *csig__flags_join(uint64_t flags, const char *const *names, size_t nnames,
		       const char *sep, char *buf, size_t n)
{
	if (!buf || n == 0)
		return buf;
	buf[0] = '\0';
	size_t used = 0;
	uint64_t unknown = 0;
	for (size_t bit = 0; bit < 64; bit++) {
		uint64_t m = (uint64_t)1 << bit;
		if (!(flags & m))
			continue;
		const char *name = bit < nnames ? names[bit] : NULL;
		if (!name) {
			unknown |= m;
			continue;
		}
		int w = snprintf(buf + used, n - used, "%s%s", used ? sep : "", name);
		if (w < 0 || (size_t)w >= n - used)
			return buf;
		used += (size_t)w;
	}
	if (unknown)
		snprintf(buf + used, n - used, "%s0x%llx", used ? sep : "",
			 (unsigned long long)unknown);
	return buf;
}

char *csig_mh_flags_string(uint32_t flags, char *buf, size_t n)
{
	return csig__flags_join(flags, mh_flag_names, 32, "|", buf, n);
}
