/*
 * macho.c - thin and fat Mach-O containers, headers and load commands
 * (see csig/macho.h).  Formats: xnu EXTERNAL_HEADERS/mach-o/loader.h, fat.h.
 */
#include <stdio.h>
#include <string.h>
#include "macho_int.h"
#include "util.h"

#define MH_MAGIC 0xfeedfaceu
#define MH_CIGAM 0xcefaedfeu
#define MH_MAGIC_64 0xfeedfacfu
#define MH_CIGAM_64 0xcffaedfeu
#define FAT_MAGIC 0xcafebabeu
#define FAT_MAGIC_64 0xcafebabfu
/* More fat entries than this means "not a fat file": Java class files share
 * 0xcafebabe and their version (major >= 45) lands in nfat_arch. */
#define FAT_MAX_PLAUSIBLE 0x20u

#define LC_SEGMENT 0x1u
#define LC_SEGMENT_64 0x19u
#define LC_UUID 0x1bu
#define LC_CODE_SIGNATURE 0x1du
#define LC_VERSION_MIN_MACOSX 0x24u
#define LC_VERSION_MIN_IPHONEOS 0x25u
#define LC_VERSION_MIN_TVOS 0x2fu
#define LC_VERSION_MIN_WATCHOS 0x30u
#define LC_BUILD_VERSION 0x32u

static int is_macho_magic(uint32_t le)
{
	return le == MH_MAGIC || le == MH_CIGAM || le == MH_MAGIC_64 ||
	       le == MH_CIGAM_64;
}

/* ---- load commands ---------------------------------------------------- */

static void parse_sections(struct csig_slice *s, csig_rd *lc, uint32_t nsects,
			   csig__findings *fs)
{
	size_t secsize = s->is64 ? 80 : 68;
	for (uint32_t i = 0; i < nsects; i++) {
		csig_rd sec;
		if (rd_take(lc, secsize, &sec, "section"))
			return; /* overrun already reported by the caller's size check */
		const char *sectname, *segname;
		size_t sectlen, seglen;
		uint64_t size = 0;
		uint32_t off = 0, a32, s32;
		uint64_t a64;
		if (rd_fixstr(&sec, 16, &sectname, &sectlen) ||
		    rd_fixstr(&sec, 16, &segname, &seglen))
			return;
		if (s->is64) {
			if (rd_u64e(&sec, s->big, &a64) || rd_u64e(&sec, s->big, &size))
				return;
		} else {
			if (rd_u32e(&sec, s->big, &a32) || rd_u32e(&sec, s->big, &s32))
				return;
			size = s32;
		}
		if (rd_u32e(&sec, s->big, &off))
			return;
		if (sectlen == 12 && memcmp(sectname, "__info_plist", 12) == 0 &&
		    seglen == 6 && memcmp(segname, "__TEXT", 6) == 0) {
			if (rd_view_at(&s->rd, off, size, &s->info_plist) == 0)
				s->has_info_plist = 1;
			else
				csig__finding_add(fs, "info-plist-outside-slice",
						  CSIG_SEV_WARN, (int)s->index, -1,
						  s->offset + off,
						  "__TEXT,__info_plist 0x%x+0x%llx is outside the slice (size 0x%llx)",
						  off, (unsigned long long)size,
						  (unsigned long long)s->size);
		}
	}
}

static void parse_segment(struct csig_slice *s, csig_rd *lc, uint64_t lc_abs,
			  csig__findings *fs)
{
	const char *name;
	size_t nlen;
	uint64_t vmaddr, vmsize, fileoff, filesize;
	uint32_t v32[4], maxprot, initprot, nsects, flags;
	if (rd_skip(lc, 8) || rd_fixstr(lc, 16, &name, &nlen))
		return;
	if (s->is64) {
		if (rd_u64e(lc, s->big, &vmaddr) || rd_u64e(lc, s->big, &vmsize) ||
		    rd_u64e(lc, s->big, &fileoff) || rd_u64e(lc, s->big, &filesize))
			return;
	} else {
		for (int i = 0; i < 4; i++)
			if (rd_u32e(lc, s->big, &v32[i]))
				return;
		vmaddr = v32[0]; vmsize = v32[1]; fileoff = v32[2]; filesize = v32[3];
	}
	if (rd_u32e(lc, s->big, &maxprot) || rd_u32e(lc, s->big, &initprot) ||
	    rd_u32e(lc, s->big, &nsects) || rd_u32e(lc, s->big, &flags))
		return;
	(void)vmaddr; (void)vmsize; (void)maxprot; (void)initprot; (void)flags;
	if (!csig_range_ok(fileoff, filesize, s->size))
		csig__finding_add(fs, "segment-outside-slice", CSIG_SEV_WARN,
				  (int)s->index, -1, lc_abs,
				  "segment %.*s file range 0x%llx+0x%llx exceeds the slice size 0x%llx",
				  (int)nlen, name, (unsigned long long)fileoff,
				  (unsigned long long)filesize,
				  (unsigned long long)s->size);
	if (nlen == 6 && memcmp(name, "__TEXT", 6) == 0 && !s->has_text) {
		s->has_text = 1;
		s->text_fileoff = fileoff;
		s->text_filesize = filesize;
	}
	parse_sections(s, lc, nsects, fs);
}

/* Decode the commands the library itself needs; the rest are only listed. */
static void decode_lc(struct csig_slice *s, const csig_lc *l, csig_rd *lc,
		      csig__findings *fs)
{
	uint32_t a, b, c;
	switch (l->cmd) {
	case LC_SEGMENT:
	case LC_SEGMENT_64:
		parse_segment(s, lc, l->offset, fs);
		break;
	case LC_CODE_SIGNATURE:
		if (rd_skip(lc, 8) || rd_u32e(lc, s->big, &a) || rd_u32e(lc, s->big, &b))
			break;
		if (s->has_cs) {
			csig__finding_add(fs, "duplicate-code-signature", CSIG_SEV_ERROR,
					  (int)s->index, -1, l->offset,
					  "a second LC_CODE_SIGNATURE at 0x%llx; the first is used",
					  (unsigned long long)l->offset);
			break;
		}
		s->has_cs = 1;
		s->cs_lc_offset = l->offset;
		s->cs_off = a;
		s->cs_size = b;
		break;
	case LC_UUID:
		if (rd_skip(lc, 8) || rd_copy(lc, s->uuid, 16))
			break;
		s->has_uuid = 1;
		break;
	case LC_BUILD_VERSION:
		if (rd_skip(lc, 8) || rd_u32e(lc, s->big, &a) ||
		    rd_u32e(lc, s->big, &b) || rd_u32e(lc, s->big, &c))
			break;
		s->has_build = 1;
		s->platform = a; s->minos = b; s->sdk = c;
		break;
	case LC_VERSION_MIN_MACOSX:
	case LC_VERSION_MIN_IPHONEOS:
	case LC_VERSION_MIN_TVOS:
	case LC_VERSION_MIN_WATCHOS:
		if (s->has_build || rd_skip(lc, 8) || rd_u32e(lc, s->big, &b) ||
		    rd_u32e(lc, s->big, &c))
			break;
		s->has_build = 1;
		s->platform = l->cmd == LC_VERSION_MIN_MACOSX ? 1 :
			      l->cmd == LC_VERSION_MIN_IPHONEOS ? 2 :
			      l->cmd == LC_VERSION_MIN_TVOS ? 3 : 4;
		s->minos = b; s->sdk = c;
		break;
	default:
		break;
	}
}

static int parse_load_commands(struct csig_slice *s, csig__findings *fs,
			       csig_error *err)
{
	int si = (int)s->index;
	uint64_t avail = s->size - s->header_size;
	uint64_t region = s->sizeofcmds;
	if (region > avail) {
		csig__finding_add(fs, "lc-overrun", CSIG_SEV_WARN, si, -1,
				  s->offset + s->header_size,
				  "sizeofcmds 0x%x exceeds the 0x%llx bytes after the header",
				  s->sizeofcmds, (unsigned long long)avail);
		region = avail;
	}
	if (s->ncmds > CSIG_LIMIT_LOAD_COMMANDS)
		return CSIG_FAIL(err, CSIG_E_LIMIT, s->offset + 16,
				 "ncmds %u exceeds the limit of %u load commands",
				 s->ncmds, CSIG_LIMIT_LOAD_COMMANDS);
	/* every command is at least 8 bytes: the count is bounded by the bytes */
	uint64_t max_cmds = region / 8;
	size_t want = s->ncmds < max_cmds ? s->ncmds : (size_t)max_cmds;
	s->lcs = csig__calloc_n(want ? want : 1, sizeof(csig_lc));
	if (!s->lcs)
		return CSIG_FAIL(err, CSIG_E_NOMEM, s->offset, "out of memory for %zu load commands", want);
	csig_rd cmds;
	int e = rd_sub(&s->rd, s->header_size, region, &cmds, "load commands");
	if (e)
		return e;
	for (uint32_t i = 0; i < s->ncmds; i++) {
		uint64_t abs = rd_abs(&cmds);
		uint32_t cmd, cmdsize;
		if (rd_left(&cmds) < 8) {
			csig__finding_add(fs, "lc-truncated", CSIG_SEV_WARN, si, -1, abs,
					  "load command %u of %u starts at 0x%llx but sizeofcmds leaves %zu bytes",
					  i, s->ncmds, (unsigned long long)abs, rd_left(&cmds));
			break;
		}
		csig_rd peek = cmds;
		if (rd_u32e(&peek, s->big, &cmd) || rd_u32e(&peek, s->big, &cmdsize))
			break;
		if (cmdsize < 8) {
			csig__finding_add(fs, "lc-bad-size", CSIG_SEV_WARN, si, -1, abs,
					  "load command %u (0x%x) has cmdsize %u, less than 8; stopping",
					  i, cmd, cmdsize);
			break;
		}
		if (cmdsize > rd_left(&cmds)) {
			csig__finding_add(fs, "lc-overrun", CSIG_SEV_WARN, si, -1, abs,
					  "load command %u (0x%x) cmdsize %u overruns sizeofcmds by %llu bytes",
					  i, cmd, cmdsize,
					  (unsigned long long)(cmdsize - rd_left(&cmds)));
			break;
		}
		if (cmdsize % (s->is64 ? 8u : 4u) != 0)
			csig__finding_add(fs, "lc-misaligned", CSIG_SEV_INFO, si, -1, abs,
					  "load command %u (0x%x) cmdsize %u is not a multiple of %u",
					  i, cmd, cmdsize, s->is64 ? 8u : 4u);
		csig_rd lc;
		if (rd_take(&cmds, cmdsize, &lc, "load command"))
			break;
		if (s->nlcs >= want)
			break;
		csig_lc *l = &s->lcs[s->nlcs++];
		l->cmd = cmd;
		l->cmdsize = cmdsize;
		l->offset = abs;
		l->name = csig_lc_name(cmd);
		decode_lc(s, l, &lc, fs);
	}
	if (s->nlcs < s->ncmds)
		csig__finding_add(fs, "lc-count", CSIG_SEV_WARN, si, -1,
				  s->offset + s->header_size,
				  "only %zu of %u load commands could be read",
				  s->nlcs, s->ncmds);
	return CSIG_OK;
}

/* ---- slices ------------------------------------------------------------ */

static int parse_slice(struct csig_file *f, struct csig_slice *s,
		       csig_error *err)
{
	uint32_t le;
	csig_rd sr = s->rd; /* the stored reader has no error sink */
	sr.err = err;
	int e = rd_at_u32e(&sr, 0, 0, &le);
	if (e)
		return e;
	if (!is_macho_magic(le))
		return CSIG_FAIL(err, CSIG_E_BADMAGIC, s->offset,
				 "slice %zu at 0x%llx has magic 0x%08x, not a Mach-O header",
				 s->index, (unsigned long long)s->offset, le);
	s->magic = le;
	s->is64 = le == MH_MAGIC_64 || le == MH_CIGAM_64;
	s->big = le == MH_CIGAM || le == MH_CIGAM_64;
	s->header_size = s->is64 ? 32 : 28;
	if (s->size < s->header_size)
		return CSIG_FAIL(err, CSIG_E_TRUNCATED, s->offset,
				 "Mach-O header needs %zu bytes but the slice has %llu",
				 s->header_size, (unsigned long long)s->size);
	csig_rd h;
	e = rd_sub(&sr, 0, s->header_size, &h, "mach_header");
	if (e)
		return e;
	uint32_t cputype, subtype;
	if ((e = rd_skip(&h, 4)) || (e = rd_u32e(&h, s->big, &cputype)) ||
	    (e = rd_u32e(&h, s->big, &subtype)) ||
	    (e = rd_u32e(&h, s->big, &s->filetype)) ||
	    (e = rd_u32e(&h, s->big, &s->ncmds)) ||
	    (e = rd_u32e(&h, s->big, &s->sizeofcmds)) ||
	    (e = rd_u32e(&h, s->big, &s->flags)))
		return e;
	s->cputype = (int32_t)cputype;
	s->cpusubtype = (int32_t)subtype;
	if (f->kind == CSIG_FILE_THIN) {
		s->fat_cputype = s->cputype;
		s->fat_cpusubtype = s->cpusubtype;
	} else if (s->fat_cputype != s->cputype) {
		csig__finding_add(&f->findings, "fat-cputype-mismatch", CSIG_SEV_ERROR,
				  (int)s->index, -1, s->offset,
				  "fat entry %zu says cputype 0x%x (%s) but its slice header says 0x%x (%s)",
				  s->index, (uint32_t)s->fat_cputype,
				  csig_arch_name(s->fat_cputype, s->fat_cpusubtype),
				  (uint32_t)s->cputype,
				  csig_arch_name(s->cputype, s->cpusubtype));
	}
	e = parse_load_commands(s, &f->findings, err);
	if (e)
		return e;
	if (!s->has_cs)
		return CSIG_OK;
	csig_rd sb;
	if (!csig_range_ok(s->cs_off, s->cs_size, s->size)) {
		csig__finding_add(&f->findings, "signature-outside-slice", CSIG_SEV_ERROR,
				  (int)s->index, -1, s->cs_lc_offset,
				  "LC_CODE_SIGNATURE 0x%x+0x%x exceeds the slice size 0x%llx",
				  s->cs_off, s->cs_size, (unsigned long long)s->size);
		s->sig_status = CSIG_E_BADOFFSET;
		snprintf(s->sig_error, sizeof(s->sig_error),
			 "LC_CODE_SIGNATURE points outside the slice");
		return CSIG_OK;
	}
	if (rd_sub(&s->rd, s->cs_off, s->cs_size, &sb, "code signature"))
		return CSIG_OK;
	csig_error se = { 0 };
	csig__error_clear(&se);
	sb.err = &se;
	int pe = csig__sig_parse(s, &sb, &s->sig, &f->findings, &se);
	if (pe == CSIG_E_NOMEM)
		return CSIG_FAIL(err, pe, se.offset, "%s", se.msg);
	if (pe) {
		s->sig_status = pe;
		snprintf(s->sig_error, sizeof(s->sig_error), "%s", se.msg);
		csig__finding_add(&f->findings, "signature-malformed", CSIG_SEV_ERROR,
				  (int)s->index, -1, se.offset, "%s", se.msg);
	}
	return CSIG_OK;
}

static int open_fat(struct csig_file *f, csig_rd *r, csig_error *err)
{
	uint32_t magic, nfat;
	int e;
	if ((e = rd_u32be(r, &magic)) || (e = rd_u32be(r, &nfat)))
		return e;
	int is64 = magic == FAT_MAGIC_64;
	uint64_t table_end = 8 + (uint64_t)nfat * (is64 ? 32 : 20);
	if (!is64 && (nfat == 0 || nfat >= FAT_MAX_PLAUSIBLE)) {
		/* 0xcafebabe is shared with Java class files: never read their
		 * version as an architecture count */
		uint16_t minor = (uint16_t)(nfat >> 16), major = (uint16_t)nfat;
		if (major >= 45 && major < 0x100)
			return CSIG_FAIL(err, CSIG_E_BADMAGIC, 4,
					 "not Mach-O: 0xcafebabe followed by %u.%u looks like a Java class file",
					 major, minor);
		return CSIG_FAIL(err, CSIG_E_BADMAGIC, 4,
				 "not Mach-O: fat header claims %u architectures", nfat);
	}
	if (nfat == 0)
		return CSIG_FAIL(err, CSIG_E_BADVALUE, 4, "fat header has no architectures");
	if (table_end > f->len)
		return CSIG_FAIL(err, CSIG_E_TRUNCATED, 8,
				 "fat table of %u entries needs 0x%llx bytes but the file has 0x%zx",
				 nfat, (unsigned long long)table_end, f->len);
	if (nfat > CSIG_LIMIT_SLICES)
		return CSIG_FAIL(err, CSIG_E_LIMIT, 4, "fat header claims %u slices, limit %u",
				 nfat, CSIG_LIMIT_SLICES);
	f->kind = CSIG_FILE_FAT;
	f->fat_magic = magic;
	f->slices = csig__calloc_n(nfat, sizeof(*f->slices));
	if (!f->slices)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory for %u slices", nfat);
	for (uint32_t i = 0; i < nfat; i++) {
		struct csig_slice *s = &f->slices[i];
		uint32_t cpu, sub, align, off32, size32, reserved;
		uint64_t off, size;
		uint64_t entry_at = rd_abs(r);
		if ((e = rd_u32be(r, &cpu)) || (e = rd_u32be(r, &sub)))
			return e;
		if (is64) {
			if ((e = rd_u64be(r, &off)) || (e = rd_u64be(r, &size)) ||
			    (e = rd_u32be(r, &align)) || (e = rd_u32be(r, &reserved)))
				return e;
		} else {
			if ((e = rd_u32be(r, &off32)) || (e = rd_u32be(r, &size32)) ||
			    (e = rd_u32be(r, &align)))
				return e;
			off = off32;
			size = size32;
		}
		s->file = f;
		s->index = i;
		s->offset = off;
		s->size = size;
		s->fat_cputype = (int32_t)cpu;
		s->fat_cpusubtype = (int32_t)sub;
		f->nslices = i + 1;
		int range_err = rd_sub(r, off, size, &s->rd, "fat slice");
		s->rd.err = NULL; /* stored readers never point at a caller's error */
		if (range_err)
			return CSIG_FAIL(err, range_err == CSIG_E_OVERFLOW ? CSIG_E_OVERFLOW : CSIG_E_TRUNCATED, entry_at,
					 "fat entry %u: slice 0x%llx+0x%llx exceeds the file size 0x%zx",
					 i, (unsigned long long)off, (unsigned long long)size,
					 f->len);
		if (align > 15 || (align < 64 && (off & (((uint64_t)1 << align) - 1))))
			csig__finding_add(&f->findings, "fat-misaligned", CSIG_SEV_INFO,
					  (int)i, -1, entry_at,
					  "fat entry %u: offset 0x%llx does not honour align 2^%u",
					  i, (unsigned long long)off, align);
	}
	/* overlapping slices and slices over the fat header */
	uint64_t header_end = table_end;
	for (size_t i = 0; i < f->nslices; i++) {
		struct csig_slice *a = &f->slices[i];
		if (a->offset < header_end && a->size)
			csig__finding_add(&f->findings, "fat-slice-overlaps-header",
					  CSIG_SEV_WARN, (int)i, -1, a->offset,
					  "slice %zu starts at 0x%llx, inside the fat header (ends 0x%llx)",
					  i, (unsigned long long)a->offset,
					  (unsigned long long)header_end);
		for (size_t k = i + 1; k < f->nslices; k++) {
			struct csig_slice *b = &f->slices[k];
			if (a->offset < b->offset + b->size && b->offset < a->offset + a->size)
				csig__finding_add(&f->findings, "fat-slices-overlap",
						  CSIG_SEV_WARN, (int)k, -1, b->offset,
						  "slices %zu (0x%llx+0x%llx) and %zu (0x%llx+0x%llx) overlap",
						  i, (unsigned long long)a->offset,
						  (unsigned long long)a->size, k,
						  (unsigned long long)b->offset,
						  (unsigned long long)b->size);
		}
	}
	for (size_t i = 0; i < f->nslices; i++)
		if ((e = parse_slice(f, &f->slices[i], err)))
			return e;
	return CSIG_OK;
}

static int open_parse(struct csig_file *f, csig_error *err)
{
	csig_rd r;
	rd_init(&r, f->data, f->len, 0, "file", err);
	uint32_t be;
	if (f->len == 0)
		return CSIG_FAIL(err, CSIG_E_BADMAGIC, 0, "not Mach-O: the file is empty");
	if (f->len < 4)
		return CSIG_FAIL(err, CSIG_E_TRUNCATED, 0,
				 "file of %zu bytes is too short for a Mach-O magic", f->len);
	int e = rd_at_u32be(&r, 0, &be);
	if (e)
		return e;
	if (be == FAT_MAGIC || be == FAT_MAGIC_64)
		return open_fat(f, &r, err);
	uint32_t le;
	if ((e = rd_at_u32e(&r, 0, 0, &le)))
		return e;
	if (!is_macho_magic(le))
		return CSIG_FAIL(err, CSIG_E_BADMAGIC, 0,
				 "not Mach-O: magic 0x%08x", be);
	f->kind = CSIG_FILE_THIN;
	f->slices = csig__calloc_n(1, sizeof(*f->slices));
	if (!f->slices)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory");
	f->nslices = 1;
	struct csig_slice *s = &f->slices[0];
	s->file = f;
	s->size = f->len;
	rd_init(&s->rd, f->data, f->len, 0, "Mach-O", NULL);
	return parse_slice(f, s, err);
}

static int check_opts(const csig_open_options *opts, csig_open_options *out,
		      csig_error *err)
{
	csig_open_options_init(out, CSIG_OPEN_OPTIONS_VERSION);
	if (!opts)
		return CSIG_OK;
	if (opts->version != CSIG_OPEN_OPTIONS_VERSION)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "open options version %u is not %u",
				 opts->version, CSIG_OPEN_OPTIONS_VERSION);
	*out = *opts;
	return CSIG_OK;
}

static int file_new(csig_file **out, const csig_open_options *opts,
		    struct csig_file **f, csig_error *err)
{
	csig__error_clear(err);
	if (!out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "out is NULL");
	*out = NULL;
	*f = csig__calloc_n(1, sizeof(**f));
	if (!*f)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory");
	int e = check_opts(opts, &(*f)->opts, err);
	if (e) {
		csig__free(*f);
		*f = NULL;
	}
	return e;
}

int csig_file_open(csig_file **out, const void *buf, size_t len,
		   const csig_open_options *opts, csig_error *err)
{
	struct csig_file *f;
	int e = file_new(out, opts, &f, err);
	if (e)
		return e;
	if (!buf && len) {
		csig__free(f);
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "buf is NULL");
	}
	if (f->opts.flags & CSIG_OPEN_COPY) {
		f->copy = csig__malloc(len);
		if (!f->copy) {
			csig__free(f);
			return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory copying %zu bytes", len);
		}
		if (len)
			memcpy(f->copy, buf, len);
		f->data = f->copy;
	} else {
		f->data = buf;
	}
	f->len = len;
	e = open_parse(f, err);
	if (e) {
		csig_file_free(f);
		return e;
	}
	*out = f;
	return CSIG_OK;
}

int csig_file_open_path(csig_file **out, const char *path,
			const csig_open_options *opts, csig_error *err)
{
	struct csig_file *f;
	int e = file_new(out, opts, &f, err);
	if (e)
		return e;
	if (!path) {
		csig__free(f);
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "path is NULL");
	}
	e = csig__map_file(path, &f->map, err);
	if (e) {
		csig__free(f);
		return e;
	}
	f->data = f->map.data;
	f->len = f->map.len;
	e = open_parse(f, err);
	if (e) {
		csig_file_free(f);
		return e;
	}
	*out = f;
	return CSIG_OK;
}

void csig_file_free(csig_file *f)
{
	if (!f)
		return;
	for (size_t i = 0; i < f->nslices; i++) {
		csig__sig_free(f->slices[i].sig);
		csig__free(f->slices[i].lcs);
	}
	csig__free(f->slices);
	csig__findings_free(&f->findings);
	csig__free(f->copy);
	csig__unmap_file(&f->map);
	csig__free(f);
}

/* ---- getters ----------------------------------------------------------- */

int csig_file_kind(const csig_file *f) { return f ? f->kind : 0; }
uint64_t csig_file_size(const csig_file *f) { return f ? f->len : 0; }
csig_bytes csig_file_bytes(const csig_file *f)
{
	csig_bytes b = { f ? f->data : NULL, f ? f->len : 0 };
	return b;
}
uint32_t csig_file_fat_magic(const csig_file *f) { return f ? f->fat_magic : 0; }
size_t csig_file_slice_count(const csig_file *f) { return f ? f->nslices : 0; }

const csig_slice *csig_file_slice(const csig_file *f, size_t i)
{
	return f && i < f->nslices ? &f->slices[i] : NULL;
}

int csig_file_find_slice(const csig_file *f, const char *arch,
			 const csig_slice **out)
{
	if (!f || !arch || !out)
		return CSIG_E_INVAL;
	for (size_t i = 0; i < f->nslices; i++)
		if (strcmp(csig_slice_arch(&f->slices[i]), arch) == 0) {
			*out = &f->slices[i];
			return CSIG_OK;
		}
	return CSIG_E_NOTFOUND;
}

size_t csig_file_finding_count(const csig_file *f) { return f ? f->findings.count : 0; }

const csig_finding *csig_file_finding(const csig_file *f, size_t i)
{
	return f && i < f->findings.count ? &f->findings.items[i] : NULL;
}

size_t csig_slice_index(const csig_slice *s) { return s->index; }
uint64_t csig_slice_offset(const csig_slice *s) { return s->offset; }
uint64_t csig_slice_size(const csig_slice *s) { return s->size; }
csig_bytes csig_slice_bytes(const csig_slice *s) { return rd_view(&s->rd); }
uint32_t csig_slice_magic(const csig_slice *s) { return s->magic; }
int csig_slice_is64(const csig_slice *s) { return s->is64; }
int csig_slice_big_endian(const csig_slice *s) { return s->big; }
int32_t csig_slice_cputype(const csig_slice *s) { return s->cputype; }
int32_t csig_slice_cpusubtype(const csig_slice *s) { return s->cpusubtype; }
int32_t csig_slice_fat_cputype(const csig_slice *s) { return s->fat_cputype; }
int32_t csig_slice_fat_cpusubtype(const csig_slice *s) { return s->fat_cpusubtype; }
const char *csig_slice_arch(const csig_slice *s)
{
	return csig_arch_name(s->cputype, s->cpusubtype);
}
uint32_t csig_slice_filetype(const csig_slice *s) { return s->filetype; }
uint32_t csig_slice_flags(const csig_slice *s) { return s->flags; }
uint32_t csig_slice_ncmds(const csig_slice *s) { return s->ncmds; }
uint32_t csig_slice_sizeofcmds(const csig_slice *s) { return s->sizeofcmds; }
size_t csig_slice_lc_count(const csig_slice *s) { return s->nlcs; }
const csig_lc *csig_slice_lc(const csig_slice *s, size_t i)
{
	return i < s->nlcs ? &s->lcs[i] : NULL;
}

int csig_slice_code_signature(const csig_slice *s, uint32_t *dataoff,
			      uint32_t *datasize)
{
	if (!s->has_cs)
		return CSIG_E_NOTFOUND;
	if (dataoff)
		*dataoff = s->cs_off;
	if (datasize)
		*datasize = s->cs_size;
	return CSIG_OK;
}

int csig_slice_uuid(const csig_slice *s, uint8_t out[16])
{
	if (!s->has_uuid)
		return CSIG_E_NOTFOUND;
	memcpy(out, s->uuid, 16);
	return CSIG_OK;
}

int csig_slice_build_version(const csig_slice *s, uint32_t *platform,
			     uint32_t *minos, uint32_t *sdk)
{
	if (!s->has_build)
		return CSIG_E_NOTFOUND;
	if (platform)
		*platform = s->platform;
	if (minos)
		*minos = s->minos;
	if (sdk)
		*sdk = s->sdk;
	return CSIG_OK;
}

int csig_slice_info_plist(const csig_slice *s, csig_bytes *out)
{
	if (!s->has_info_plist)
		return CSIG_E_NOTFOUND;
	*out = s->info_plist;
	return CSIG_OK;
}
