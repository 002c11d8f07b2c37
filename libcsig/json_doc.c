/*
 * json_doc.c - the "info" and "verify" documents (see csig/json.h and
 * csig_json(3) for the schema).  Load commands are decoded here, for
 * output only, through the same bounds-checked reader as the parsers.
 */
#include <stdio.h>
#include <string.h>
#include "csig/json.h"
#include "json.h"
#include "cms_int.h"
#include "plist_int.h"
#include "req_int.h"
#include "hash.h"
#include "macho_int.h"
#include "util.h"

/* ---- load command decoders (output only) ------------------------------- */

static void put_version3(csig_json *j, const char *key, uint32_t v)
{
	char b[32];
	snprintf(b, sizeof(b), "%u.%u.%u", v >> 16, (v >> 8) & 0xff, v & 0xff);
	json_kv_str(j, key, b);
}

/* lc_str: an offset from the command start to a string inside the command */
static void put_lc_str(csig_json *j, const char *key, const csig_rd *lc,
		       uint32_t off)
{
	const char *s;
	size_t n;
	csig_rd t = *lc;
	t.err = NULL;
	if (rd_cstr_at(&t, off, t.len, &s, &n) == 0) {
		json_kv_strn(j, key, s, n);
		return;
	}
	/* not NUL-terminated inside cmdsize: show what is there */
	csig_bytes rest;
	if (off < t.len && rd_view_at(&t, off, t.len - off, &rest) == 0)
		json_kv_strn(j, key, (const char *)rest.ptr, rest.len);
	else
		json_kv_str(j, key, "");
}

static void dec_segment(csig_json *j, const struct csig_slice *s, csig_rd *lc)
{
	const char *name;
	size_t nlen;
	uint64_t v[4];
	uint32_t maxprot, initprot, nsects, flags;
	if (rd_skip(lc, 8) || rd_fixstr(lc, 16, &name, &nlen))
		return;
	for (int i = 0; i < 4; i++) {
		uint32_t w;
		if (s->is64 ? rd_u64e(lc, s->big, &v[i]) : (rd_u32e(lc, s->big, &w) ? 1 : (v[i] = w, 0)))
			return;
	}
	if (rd_u32e(lc, s->big, &maxprot) || rd_u32e(lc, s->big, &initprot) ||
	    rd_u32e(lc, s->big, &nsects) || rd_u32e(lc, s->big, &flags))
		return;
	json_kv_strn(j, "segname", name, nlen);
	json_kv_u64(j, "vmaddr", v[0]);
	json_kv_u64(j, "vmsize", v[1]);
	json_kv_u64(j, "fileoff", v[2]);
	json_kv_u64(j, "filesize", v[3]);
	json_kv_u64(j, "maxprot", maxprot);
	json_kv_u64(j, "initprot", initprot);
	json_kv_u64(j, "nsects", nsects);
	json_kv_hex_u32(j, "flags", flags);
	json_key(j, "sections");
	json_arr_begin(j);
	for (uint32_t i = 0; i < nsects; i++) {
		csig_rd sec;
		const char *sn, *gn;
		size_t snl, gnl;
		uint64_t addr, size;
		uint32_t a32, s32, off, align, reloff, nreloc, sflags;
		if (rd_take(lc, s->is64 ? 80 : 68, &sec, "section") ||
		    rd_fixstr(&sec, 16, &sn, &snl) || rd_fixstr(&sec, 16, &gn, &gnl))
			break;
		if (s->is64) {
			if (rd_u64e(&sec, s->big, &addr) || rd_u64e(&sec, s->big, &size))
				break;
		} else {
			if (rd_u32e(&sec, s->big, &a32) || rd_u32e(&sec, s->big, &s32))
				break;
			addr = a32;
			size = s32;
		}
		if (rd_u32e(&sec, s->big, &off) || rd_u32e(&sec, s->big, &align) ||
		    rd_u32e(&sec, s->big, &reloff) || rd_u32e(&sec, s->big, &nreloc) ||
		    rd_u32e(&sec, s->big, &sflags))
			break;
		json_obj_begin(j);
		json_kv_strn(j, "sectname", sn, snl);
		json_kv_strn(j, "segname", gn, gnl);
		json_kv_u64(j, "addr", addr);
		json_kv_u64(j, "size", size);
		json_kv_u64(j, "offset", off);
		json_kv_u64(j, "align", align);
		json_kv_hex_u32(j, "flags", sflags);
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void dec_fields(csig_json *j, const struct csig_slice *s, csig_rd *lc,
		       const char *const *names, int n)
{
	uint32_t v;
	if (rd_skip(lc, 8))
		return;
	for (int i = 0; i < n; i++) {
		if (rd_u32e(lc, s->big, &v))
			return;
		json_kv_u64(j, names[i], v);
	}
}

static void decode_lc_json(csig_json *j, const struct csig_slice *s,
			   const csig_lc *l)
{
	csig_rd lc;
	if (rd_sub(&s->rd, l->offset - s->offset, l->cmdsize, &lc, "load command"))
		return;
	lc.err = NULL;
	uint32_t a, b, c, d;
	uint64_t q;
	switch (l->cmd) {
	case 0x1: case 0x19:
		dec_segment(j, s, &lc);
		break;
	case 0xc: case 0xd: case 0x80000018: case 0x8000001f: case 0x20:
	case 0x80000023:
		if (rd_skip(&lc, 8) || rd_u32e(&lc, s->big, &a) || rd_u32e(&lc, s->big, &b) ||
		    rd_u32e(&lc, s->big, &c) || rd_u32e(&lc, s->big, &d))
			break;
		put_lc_str(j, "name", &lc, a);
		json_kv_u64(j, "timestamp", b);
		put_version3(j, "current_version", c);
		put_version3(j, "compatibility_version", d);
		break;
	case 0xe: case 0xf: case 0x27: case 0x8000001c: case 0x12: case 0x13:
	case 0x14: case 0x15:
		if (rd_skip(&lc, 8) || rd_u32e(&lc, s->big, &a))
			break;
		put_lc_str(j, l->cmd == 0x8000001c ? "path" : "name", &lc, a);
		break;
	case 0x1b: {
		const uint8_t *u;
		if (rd_skip(&lc, 8) || rd_bytes(&lc, 16, &u))
			break;
		char t[40];
		snprintf(t, sizeof(t),
			 "%02X%02X%02X%02X-%02X%02X-%02X%02X-%02X%02X-%02X%02X%02X%02X%02X%02X",
			 u[0], u[1], u[2], u[3], u[4], u[5], u[6], u[7], u[8], u[9],
			 u[10], u[11], u[12], u[13], u[14], u[15]);
		json_kv_str(j, "uuid", t);
		break;
	}
	case 0x32: {
		uint32_t ntools;
		if (rd_skip(&lc, 8) || rd_u32e(&lc, s->big, &a) || rd_u32e(&lc, s->big, &b) ||
		    rd_u32e(&lc, s->big, &c) || rd_u32e(&lc, s->big, &ntools))
			break;
		json_kv_u64(j, "platform", a);
		if (csig_platform_name(a))
			json_kv_str(j, "platform_name", csig_platform_name(a));
		put_version3(j, "minos", b);
		put_version3(j, "sdk", c);
		json_key(j, "tools");
		json_arr_begin(j);
		for (uint32_t i = 0; i < ntools && rd_left(&lc) >= 8; i++) {
			if (rd_u32e(&lc, s->big, &a) || rd_u32e(&lc, s->big, &b))
				break;
			json_obj_begin(j);
			json_kv_u64(j, "tool", a);
			put_version3(j, "version", b);
			json_obj_end(j);
		}
		json_arr_end(j);
		break;
	}
	case 0x24: case 0x25: case 0x2f: case 0x30:
		if (rd_skip(&lc, 8) || rd_u32e(&lc, s->big, &a) || rd_u32e(&lc, s->big, &b))
			break;
		put_version3(j, "version", a);
		put_version3(j, "sdk", b);
		break;
	case 0x80000028:
		if (rd_skip(&lc, 8) || rd_u64e(&lc, s->big, &q))
			break;
		json_kv_u64(j, "entryoff", q);
		if (rd_u64e(&lc, s->big, &q) == 0)
			json_kv_u64(j, "stacksize", q);
		break;
	case 0x21: case 0x2c: {
		static const char *const n[] = { "cryptoff", "cryptsize", "cryptid" };
		dec_fields(j, s, &lc, n, 3);
		break;
	}
	case 0x2a: {
		if (rd_skip(&lc, 8) || rd_u64e(&lc, s->big, &q))
			break;
		char t[64];
		snprintf(t, sizeof(t), "%llu.%llu.%llu.%llu.%llu",
			 (unsigned long long)(q >> 40), (unsigned long long)((q >> 30) & 0x3ff),
			 (unsigned long long)((q >> 20) & 0x3ff),
			 (unsigned long long)((q >> 10) & 0x3ff),
			 (unsigned long long)(q & 0x3ff));
		json_kv_str(j, "version", t);
		break;
	}
	case 0x1d: case 0x1e: case 0x26: case 0x29: case 0x2b: case 0x2e:
	case 0x80000033: case 0x80000034: case 0x36: case 0x37: case 0x38: {
		static const char *const n[] = { "dataoff", "datasize" };
		dec_fields(j, s, &lc, n, 2);
		break;
	}
	case 0x2: {
		static const char *const n[] = { "symoff", "nsyms", "stroff", "strsize" };
		dec_fields(j, s, &lc, n, 4);
		break;
	}
	case 0xb: {
		static const char *const n[] = { "ilocalsym", "nlocalsym", "iextdefsym",
			"nextdefsym", "iundefsym", "nundefsym", "tocoff", "ntoc",
			"modtaboff", "nmodtab", "extrefsymoff", "nextrefsyms",
			"indirectsymoff", "nindirectsyms", "extreloff", "nextrel",
			"locreloff", "nlocrel" };
		dec_fields(j, s, &lc, n, 18);
		break;
	}
	case 0x22: case 0x80000022: {
		static const char *const n[] = { "rebase_off", "rebase_size", "bind_off",
			"bind_size", "weak_bind_off", "weak_bind_size", "lazy_bind_off",
			"lazy_bind_size", "export_off", "export_size" };
		dec_fields(j, s, &lc, n, 10);
		break;
	}
	case 0x31: {
		const char *owner;
		size_t on;
		uint64_t off, size;
		if (rd_skip(&lc, 8) || rd_fixstr(&lc, 16, &owner, &on) ||
		    rd_u64e(&lc, s->big, &off) || rd_u64e(&lc, s->big, &size))
			break;
		json_kv_strn(j, "data_owner", owner, on);
		json_kv_u64(j, "offset", off);
		json_kv_u64(j, "size", size);
		break;
	}
	case 0x39:
		if (rd_skip(&lc, 8) || rd_u32e(&lc, s->big, &a))
			break;
		put_lc_str(j, "triple", &lc, a);
		break;
	default:
		break;
	}
}

/* ---- signature --------------------------------------------------------- */

static void put_flags(csig_json *j, const char *key, const char *names)
{
	json_key(j, key);
	json_arr_begin(j);
	const char *p = names;
	while (*p) {
		const char *e = strchr(p, ',');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		json_strn(j, p, n);
		p += n;
		if (*p == ',')
			p++;
	}
	json_arr_end(j);
}

static void put_codedir(csig_json *j, const csig_codedir *cd, unsigned flags)
{
	char b[256];
	json_obj_begin(j);
	json_kv_hex_u32(j, "slot", cd->slot);
	json_kv_u64(j, "offset", cd->file_offset);
	json_kv_u64(j, "length", cd->bytes.len);
	json_kv_hex_u32(j, "version", cd->version);
	json_kv_hex_u32(j, "flags", cd->flags);
	put_flags(j, "flag_names", csig_cd_flags_string(cd->flags, b, sizeof(b)));
	json_kv_u64(j, "hash_type", cd->hash_type);
	if (csig_hash_type_name(cd->hash_type))
		json_kv_str(j, "hash_type_name", csig_hash_type_name(cd->hash_type));
	json_kv_u64(j, "hash_size", cd->hash_size);
	json_kv_u64(j, "page_size", cd->page_shift ? (uint64_t)1 << (cd->page_shift & 63) : 0);
	json_kv_u64(j, "n_special_slots", cd->n_special);
	json_kv_u64(j, "n_code_slots", cd->n_code);
	json_kv_u64(j, "code_limit", csig_codedir_code_limit(cd));
	json_kv_str(j, "identifier", cd->identifier);
	json_key(j, "team_id");
	if (cd->team)
		json_str(j, cd->team);
	else
		json_null(j);
	json_kv_u64(j, "platform", cd->platform);
	if (cd->has_exec_seg) {
		json_key(j, "exec_segment");
		json_obj_begin(j);
		json_kv_u64(j, "base", cd->exec_base);
		json_kv_u64(j, "limit", cd->exec_limit);
		json_kv_u64(j, "flags", cd->exec_flags);
		put_flags(j, "flag_names", csig_execseg_flags_string(cd->exec_flags, b, sizeof(b)));
		json_obj_end(j);
	}
	if (cd->version >= 0x20500) {
		json_kv_u64(j, "runtime", cd->runtime);
		if (cd->runtime)
			put_version3(j, "runtime_version", cd->runtime);
	}
	if (cd->hash_known) {
		uint8_t h[20];
		csig_codedir_cdhash(cd, h);
		json_kv_hex(j, "cdhash", h, 20);
		json_kv_hex(j, "cdhash_full", cd->cdhash, cd->cdhash_len);
	}
	json_key(j, "special_slots");
	json_arr_begin(j);
	for (uint32_t k = 1; k <= cd->n_special; k++) {
		csig_bytes hb;
		if (csig_codedir_slot_hash(cd, -(int)k, &hb))
			break;
		json_obj_begin(j);
		json_kv_i64(j, "slot", -(int64_t)k);
		if (csig_slot_name(k))
			json_kv_str(j, "name", csig_slot_name(k));
		json_kv_hex(j, "hash", hb.ptr, hb.len);
		json_obj_end(j);
	}
	json_arr_end(j);
	if (flags & CSIG_JSON_SLOTS) {
		json_key(j, "code_slots");
		json_arr_begin(j);
		for (uint32_t i = 0; i < cd->n_code; i++) {
			csig_bytes hb;
			if (csig_codedir_slot_hash(cd, (int)i, &hb))
				break;
			json_hex(j, hb.ptr, hb.len);
		}
		json_arr_end(j);
	}
	json_obj_end(j);
}

static void put_signature(csig_json *j, const struct csig_slice *s, unsigned flags)
{
	const csig_sig *sig = s->sig;
	json_obj_begin(j);
	json_kv_u64(j, "offset", s->offset + s->cs_off);
	json_kv_u64(j, "size", s->cs_size);
	json_kv_u64(j, "length", sig->rd.len);
	json_key(j, "blobs");
	json_arr_begin(j);
	for (size_t i = 0; i < sig->nblobs; i++) {
		const csig_blob *bl = &sig->blobs[i];
		json_obj_begin(j);
		json_kv_hex_u32(j, "type", bl->type);
		json_key(j, "name");
		if (bl->name)
			json_str(j, bl->name);
		else
			json_null(j);
		json_kv_u64(j, "offset", bl->file_offset);
		json_kv_hex_u32(j, "magic", bl->magic);
		json_kv_u64(j, "length", bl->length);
		if (!bl->status) {
			uint8_t h[CSIG_HASH_MAX];
			csig__hash(CSIG_HASH_SHA256, bl->bytes.ptr, bl->bytes.len, h);
			json_kv_hex(j, "sha256", h, 32);
		}
		json_kv_str(j, "status", bl->status ? csig_errname(bl->status) : "ok");
		json_obj_end(j);
	}
	json_arr_end(j);
	json_key(j, "code_directories");
	json_arr_begin(j);
	for (size_t i = 0; i < sig->ncds; i++)
		put_codedir(j, &sig->cds[i], flags);
	json_arr_end(j);
	const csig_codedir *best = csig_sig_best_cd(sig);
	if (best) {
		uint8_t h[20];
		json_kv_u64(j, "best_cd", (uint64_t)sig->best);
		csig_codedir_cdhash(best, h);
		json_kv_hex(j, "cdhash", h, 20);
		json_kv_str(j, "identifier", best->identifier);
		json_key(j, "team_id");
		if (best->team)
			json_str(j, best->team);
		else
			json_null(j);
	}
	csig_bytes cms;
	json_kv_bool(j, "has_cms", csig_sig_cms(sig, &cms) == 0);
	if (sig->reqs) {
		json_key(j, "requirements");
		csig__reqset_json(j, sig->reqs);
	}
	if (sig->ent_xml) {
		csig_bytes src = csig_plist_source(sig->ent_xml);
		json_key(j, "entitlements");
		json_obj_begin(j);
		json_key(j, "value");
		csig__plist_json(j, csig_plist_root(sig->ent_xml));
		json_kv_strn(j, "xml", (const char *)src.ptr, src.len);
		json_obj_end(j);
	}
	if (sig->ent_der) {
		json_key(j, "entitlements_der");
		json_obj_begin(j);
		json_key(j, "value");
		csig__plist_json(j, csig_plist_root(sig->ent_der));
		json_obj_end(j);
	}
	static const char *const cnames[4] = { "launch_constraint_self",
		"launch_constraint_parent", "launch_constraint_responsible",
		"library_constraint" };
	for (int k = 0; k < 4; k++)
		if (sig->constraints[k]) {
			json_key(j, cnames[k]);
			csig__plist_json(j, csig_plist_root(sig->constraints[k]));
		}
	if (sig->cms) {
		json_key(j, "cms");
		csig__cms_json(j, sig->cms, NULL);
	} else if (sig->cms_status) {
		json_key(j, "cms_error");
		json_obj_begin(j);
		json_kv_str(j, "code", csig_errname(sig->cms_status));
		json_kv_str(j, "message", sig->cms_error);
		json_obj_end(j);
	}
	json_obj_end(j);
}

static const char *sev_name(int s)
{
	return s == CSIG_SEV_ERROR ? "error" : s == CSIG_SEV_WARN ? "warning" : "info";
}

static void put_findings(csig_json *j, const csig__findings *fs, int slice)
{
	json_key(j, "findings");
	json_arr_begin(j);
	for (size_t i = 0; i < fs->count; i++) {
		const csig_finding *f = &fs->items[i];
		if (slice >= 0 && f->slice >= 0 && f->slice != slice)
			continue;
		json_obj_begin(j);
		json_kv_str(j, "id", f->id);
		json_kv_str(j, "severity", sev_name(f->severity));
		json_kv_i64(j, "slice", f->slice);
		json_kv_i64(j, "cd", f->cd);
		json_kv_u64(j, "offset", f->offset);
		json_kv_str(j, "message", f->message);
		json_obj_end(j);
	}
	json_arr_end(j);
}

static void put_slice(csig_json *j, const struct csig_slice *s, unsigned flags)
{
	char b[512];
	json_obj_begin(j);
	json_kv_u64(j, "index", s->index);
	json_kv_u64(j, "offset", s->offset);
	json_kv_u64(j, "size", s->size);
	json_kv_str(j, "arch", csig_arch_name(s->cputype, s->cpusubtype));
	json_kv_i64(j, "cputype", s->cputype);
	json_kv_hex_u32(j, "cpusubtype", (uint32_t)s->cpusubtype);
	if (s->file->kind == CSIG_FILE_FAT) {
		json_kv_i64(j, "fat_cputype", s->fat_cputype);
		json_kv_hex_u32(j, "fat_cpusubtype", (uint32_t)s->fat_cpusubtype);
	}
	if (((uint32_t)s->cpusubtype & 0xff) == 2 && s->cputype == 0x0100000c) {
		/* arm64e: pointer-authentication ABI bits live in the subtype */
		json_key(j, "ptrauth");
		json_obj_begin(j);
		json_kv_bool(j, "versioned", ((uint32_t)s->cpusubtype & 0x80000000u) != 0);
		json_kv_u64(j, "abi_version", ((uint32_t)s->cpusubtype >> 24) & 0xf);
		json_obj_end(j);
	}
	json_kv_hex_u32(j, "magic", s->magic);
	json_kv_u64(j, "bits", s->is64 ? 64 : 32);
	json_kv_str(j, "endian", s->big ? "big" : "little");
	json_key(j, "filetype");
	if (csig_filetype_name(s->filetype))
		json_str(j, csig_filetype_name(s->filetype));
	else
		json_hex_u32(j, s->filetype);
	json_kv_hex_u32(j, "flags", s->flags);
	csig_mh_flags_string(s->flags, b, sizeof(b));
	json_key(j, "flag_names");
	json_arr_begin(j);
	for (char *p = b; *p;) {
		char *e = strchr(p, '|');
		size_t n = e ? (size_t)(e - p) : strlen(p);
		json_strn(j, p, n);
		p += n;
		if (*p == '|')
			p++;
	}
	json_arr_end(j);
	json_kv_u64(j, "ncmds", s->ncmds);
	json_kv_u64(j, "sizeofcmds", s->sizeofcmds);
	if (s->has_uuid)
		json_kv_hex(j, "uuid", s->uuid, 16);
	if (s->has_build) {
		json_key(j, "build");
		json_obj_begin(j);
		json_kv_u64(j, "platform", s->platform);
		if (csig_platform_name(s->platform))
			json_kv_str(j, "platform_name", csig_platform_name(s->platform));
		put_version3(j, "minos", s->minos);
		put_version3(j, "sdk", s->sdk);
		json_obj_end(j);
	}
	if (s->has_info_plist) {
		json_key(j, "info_plist");
		json_obj_begin(j);
		json_kv_u64(j, "size", s->info_plist.len);
		uint8_t h[CSIG_HASH_MAX];
		csig__hash(CSIG_HASH_SHA256, s->info_plist.ptr, s->info_plist.len, h);
		json_kv_hex(j, "sha256", h, 32);
		json_obj_end(j);
	}
	json_key(j, "load_commands");
	json_arr_begin(j);
	for (size_t i = 0; i < s->nlcs; i++) {
		const csig_lc *l = &s->lcs[i];
		json_obj_begin(j);
		json_kv_hex_u32(j, "cmd", l->cmd);
		json_key(j, "name");
		if (l->name)
			json_str(j, l->name);
		else
			json_null(j);
		json_kv_u64(j, "cmdsize", l->cmdsize);
		json_kv_u64(j, "offset", l->offset);
		if (flags & CSIG_JSON_LOAD_COMMANDS)
			decode_lc_json(j, s, l);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_kv_bool(j, "signed", s->has_cs);
	json_key(j, "signature");
	if (s->sig)
		put_signature(j, s, flags);
	else
		json_null(j);
	if (s->sig_status) {
		json_key(j, "signature_error");
		json_obj_begin(j);
		json_kv_str(j, "code", csig_errname(s->sig_status));
		json_kv_str(j, "message", s->sig_error);
		json_obj_end(j);
	}
	json_obj_end(j);
}

static void put_header(csig_json *j, const csig_file *f, const char *doc)
{
	json_kv_u64(j, "schema", CSIG_JSON_SCHEMA_VERSION);
	json_kv_str(j, "document", doc);
	json_kv_str(j, "generator", "libcsig");
	json_kv_str(j, "version", csig_version_string());
	json_kv_str(j, "kind", f->kind == CSIG_FILE_FAT ? "fat" : "thin");
	json_kv_u64(j, "size", f->len);
	if (f->fat_magic)
		json_kv_hex_u32(j, "fat_magic", f->fat_magic);
}

int csig_file_json(const csig_file *f, int slice, unsigned flags, char **out,
		   size_t *len, csig_error *err)
{
	csig__error_clear(err);
	if (!f || !out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "file or out is NULL");
	if (slice >= 0 && (size_t)slice >= f->nslices)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "slice %d out of range (%zu slices)",
				 slice, f->nslices);
	csig_json j;
	json_init(&j, (flags & CSIG_JSON_PRETTY) != 0);
	json_obj_begin(&j);
	put_header(&j, f, "info");
	json_key(&j, "slices");
	json_arr_begin(&j);
	for (size_t i = 0; i < f->nslices; i++)
		if (slice < 0 || (size_t)slice == i)
			put_slice(&j, &f->slices[i], flags);
	json_arr_end(&j);
	put_findings(&j, &f->findings, slice);
	json_obj_end(&j);
	return json_finish(&j, out, len, err);
}


int csig_verify_result_json(const csig_verify_result *r, const csig_file *f,
			    unsigned flags, char **out, size_t *len,
			    csig_error *err)
{
	csig__error_clear(err);
	if (!r || !f || !out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "result, file or out is NULL");
	csig_json j;
	json_init(&j, (flags & CSIG_JSON_PRETTY) != 0);
	json_obj_begin(&j);
	put_header(&j, f, "verify");
	int valid = csig_verify_result_valid(r);
	json_kv_str(&j, "verdict", valid ? "valid" : "invalid");
	json_kv_bool(&j, "valid", valid);
	json_kv_u64(&j, "bytes_hashed", csig_verify_result_bytes_hashed(r));
	json_key(&j, "slices");
	json_arr_begin(&j);
	for (size_t i = 0; i < f->nslices; i++) {
		const struct csig_slice *s = &f->slices[i];
		json_obj_begin(&j);
		json_kv_u64(&j, "index", i);
		json_kv_str(&j, "arch", csig_arch_name(s->cputype, s->cpusubtype));
		json_kv_bool(&j, "signed", s->has_cs && s->sig != NULL);
		if (s->sig) {
			json_key(&j, "cdhashes");
			json_arr_begin(&j);
			for (size_t k = 0; k < s->sig->ncds; k++) {
				uint8_t h[20];
				csig_codedir_cdhash(&s->sig->cds[k], h);
				json_hex(&j, h, 20);
			}
			json_arr_end(&j);
		}
		json_obj_end(&j);
	}
	json_arr_end(&j);
	put_findings(&j, csig__verify_findings(r), -1);
	json_obj_end(&j);
	return json_finish(&j, out, len, err);
}
