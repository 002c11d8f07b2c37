/*
 * codedir.c - CodeDirectory parsing, integrity checks and cdhash
 * (see csig/codedir.h).  Layout: FORMAT.md §2 (xnu cs_blobs.h,
 * Security codedirectory.h/.cpp).
 */
#include <string.h>
#include "hash.h"
#include "macho_int.h"
#include "util.h"

#define CD_EARLIEST 0x20001u
#define CD_SCATTER 0x20100u
#define CD_TEAMID 0x20200u
#define CD_CODELIMIT64 0x20300u
#define CD_EXECSEG 0x20400u
#define CD_RUNTIME 0x20500u
#define CD_LINKAGE 0x20600u
#define CD_COMPAT_LIMIT 0x2F000u
#define IDENT_MAX 4096u /* generous bound for identifier and team strings */

int csig__hash_rank(int t)
{
	switch (t) {
	case CSIG_HASHTYPE_SHA384: return 4;
	case CSIG_HASHTYPE_SHA256: return 3;
	case CSIG_HASHTYPE_SHA256_TRUNCATED: return 2;
	case CSIG_HASHTYPE_SHA1: return 1;
	default: return 0;
	}
}

int csig__codedir_parse(csig_codedir *cd, const csig_rd *blob, uint32_t slot,
			csig_error *err)
{
	csig_rd r = *blob;
	uint32_t magic, length;
	int e;
	memset(cd, 0, sizeof(*cd));
	cd->slot = slot;
	cd->file_offset = blob->base;
	r.what = "CodeDirectory";
	if ((e = rd_u32be(&r, &magic)) || (e = rd_u32be(&r, &length)))
		return e;
	if (magic != CSIG_MAGIC_CODEDIRECTORY)
		return CSIG_FAIL(err, CSIG_E_BADMAGIC, blob->base,
				 "CodeDirectory magic 0x%08x is not 0xfade0c02", magic);
	if (length != blob->len)
		return CSIG_FAIL(err, CSIG_E_BADVALUE, blob->base + 4,
				 "CodeDirectory length 0x%x differs from its blob extent 0x%zx",
				 length, blob->len);
	cd->bytes = rd_view(blob);
	uint32_t spare2;
	if ((e = rd_u32be(&r, &cd->version)) || (e = rd_u32be(&r, &cd->flags)) ||
	    (e = rd_u32be(&r, &cd->hash_offset)) ||
	    (e = rd_u32be(&r, &cd->ident_offset)) ||
	    (e = rd_u32be(&r, &cd->n_special)) || (e = rd_u32be(&r, &cd->n_code)) ||
	    (e = rd_u32be(&r, &cd->code_limit32)) || (e = rd_u8(&r, &cd->hash_size)) ||
	    (e = rd_u8(&r, &cd->hash_type)) || (e = rd_u8(&r, &cd->platform)) ||
	    (e = rd_u8(&r, &cd->page_shift)) || (e = rd_u32be(&r, &spare2)))
		return e;
	if (cd->version < CD_EARLIEST || cd->version >= CD_COMPAT_LIMIT)
		return CSIG_FAIL(err, CSIG_E_UNSUPPORTED, blob->base + 8,
				 "CodeDirectory version 0x%x outside [0x%x, 0x%x)",
				 cd->version, CD_EARLIEST, CD_COMPAT_LIMIT);
	/* version-dependent fields: a short blob is a truncated header */
	if (cd->version >= CD_SCATTER && (e = rd_u32be(&r, &cd->scatter_offset)))
		return e;
	if (cd->version >= CD_TEAMID && (e = rd_u32be(&r, &cd->team_offset)))
		return e;
	if (cd->version >= CD_CODELIMIT64) {
		uint32_t spare3;
		if ((e = rd_u32be(&r, &spare3)) || (e = rd_u64be(&r, &cd->code_limit64)))
			return e;
	}
	if (cd->version >= CD_EXECSEG) {
		if ((e = rd_u64be(&r, &cd->exec_base)) ||
		    (e = rd_u64be(&r, &cd->exec_limit)) ||
		    (e = rd_u64be(&r, &cd->exec_flags)))
			return e;
		cd->has_exec_seg = 1;
	}
	if (cd->version >= CD_RUNTIME &&
	    ((e = rd_u32be(&r, &cd->runtime)) ||
	     (e = rd_u32be(&r, &cd->preencrypt_offset))))
		return e;

	size_t want = csig__hash_size(cd->hash_type);
	cd->hash_known = want != 0;
	if (cd->hash_known && cd->hash_size != want)
		return CSIG_FAIL(err, CSIG_E_BADVALUE, blob->base + 0x24,
				 "CodeDirectory hashSize %u does not match hash type %u (%zu bytes)",
				 cd->hash_size, cd->hash_type, want);
	if (cd->hash_size == 0)
		return CSIG_FAIL(err, CSIG_E_BADVALUE, blob->base + 0x24,
				 "CodeDirectory hashSize is 0");

	const char *s;
	size_t n;
	/* a quiet view: the failures below carry their own, specific messages */
	csig_rd quiet = *blob;
	quiet.err = NULL;
	if ((e = rd_cstr_at(&quiet, cd->ident_offset, IDENT_MAX, &s, &n)))
		return CSIG_FAIL(err, e, blob->base + 0x14,
				 "CodeDirectory identOffset 0x%x: no NUL-terminated identifier inside the blob (length 0x%x)",
				 cd->ident_offset, length);
	cd->identifier = s;
	if (cd->team_offset) {
		if ((e = rd_cstr_at(&quiet, cd->team_offset, IDENT_MAX, &s, &n)))
			return CSIG_FAIL(err, e, blob->base + 0x30,
					 "CodeDirectory teamOffset 0x%x: no NUL-terminated team identifier inside the blob (length 0x%x)",
					 cd->team_offset, length);
		cd->team = s;
	}

	/* [hashOffset - hashSize*nSpecial, hashOffset + hashSize*nCode) in [8, length] */
	uint64_t special_bytes, code_bytes, start, total;
	if (csig_mul_overflow(cd->hash_size, cd->n_special, &special_bytes) ||
	    csig_mul_overflow(cd->hash_size, cd->n_code, &code_bytes) ||
	    csig_add_overflow(special_bytes, code_bytes, &total))
		return CSIG_FAIL(err, CSIG_E_OVERFLOW, blob->base + 0x18,
				 "CodeDirectory slot counts %u+%u overflow", cd->n_special,
				 cd->n_code);
	if (special_bytes > cd->hash_offset || cd->hash_offset - special_bytes < 8)
		return CSIG_FAIL(err, CSIG_E_BADOFFSET, blob->base + 0x10,
				 "CodeDirectory hashOffset 0x%x leaves no room for %u special slots of %u bytes",
				 cd->hash_offset, cd->n_special, cd->hash_size);
	start = cd->hash_offset - special_bytes;
	csig_rd slots;
	if (rd_sub(&quiet, start, total, &slots, "CodeDirectory hash slots"))
		return CSIG_FAIL(err, CSIG_E_BADOFFSET, blob->base + 0x10,
				 "CodeDirectory hashOffset 0x%x + %u code slots of %u bytes exceeds blob length 0x%x",
				 cd->hash_offset, cd->n_code, cd->hash_size, length);
	cd->slots = rd_view(&slots);
	if (cd->version >= CD_RUNTIME && cd->preencrypt_offset) {
		csig_rd pre;
		if (rd_sub(&quiet, cd->preencrypt_offset, code_bytes, &pre, "pre-encrypt hashes"))
			return CSIG_FAIL(err, CSIG_E_BADOFFSET, blob->base + 0x5c,
					 "CodeDirectory preEncryptOffset 0x%x + 0x%llx exceeds blob length 0x%x",
					 cd->preencrypt_offset, (unsigned long long)code_bytes, length);
	}
	if (cd->version >= CD_SCATTER && cd->scatter_offset) {
		/* bounded walk of the scatter vector, ending with count 0 */
		csig_rd sc;
		if ((e = rd_tail(blob, cd->scatter_offset, &sc, "scatter vector")))
			return e;
		uint64_t pages = 0;
		for (;;) {
			uint32_t count, base;
			uint64_t target, spare;
			if ((e = rd_u32be(&sc, &count)) || (e = rd_u32be(&sc, &base)) ||
			    (e = rd_u64be(&sc, &target)) || (e = rd_u64be(&sc, &spare)))
				return e;
			if (count == 0)
				break;
			pages += count;
			if (pages > cd->n_code)
				return CSIG_FAIL(err, CSIG_E_BADVALUE, rd_abs(&sc),
						 "scatter vector covers %llu pages but nCodeSlots is %u",
						 (unsigned long long)pages, cd->n_code);
		}
	}
	/* a page is at most 2^63 bytes whatever else the CD says (scatter too) */
	if (cd->page_shift >= 64)
		return CSIG_FAIL(err, CSIG_E_BADVALUE, blob->base + 0x27,
				 "CodeDirectory pageSize shift %u is absurd", cd->page_shift);
	/* checkIntegrity: page count agrees with the signing limit */
	uint64_t limit = csig_codedir_code_limit(cd);
	if (!cd->scatter_offset) {
		uint64_t expect;
		if (cd->page_shift == 0)
			expect = limit > 0;
		else
			expect = limit ? ((limit - 1) >> cd->page_shift) + 1 : 0;
		if (expect != cd->n_code)
			return CSIG_FAIL(err, CSIG_E_BADVALUE, blob->base + 0x1c,
					 "CodeDirectory nCodeSlots %u disagrees with codeLimit 0x%llx and page size 2^%u (expected %llu)",
					 cd->n_code, (unsigned long long)limit, cd->page_shift,
					 (unsigned long long)expect);
	}
	if (cd->hash_known) {
		cd->cdhash_len = csig__hash(cd->hash_type, cd->bytes.ptr, cd->bytes.len,
					    cd->cdhash);
		if (cd->hash_type == CSIG_HASHTYPE_SHA256_TRUNCATED)
			cd->cdhash_len = 20;
	}
	return CSIG_OK;
}

uint32_t csig_codedir_slot(const csig_codedir *cd) { return cd->slot; }
csig_bytes csig_codedir_bytes(const csig_codedir *cd) { return cd->bytes; }
uint32_t csig_codedir_version(const csig_codedir *cd) { return cd->version; }
uint32_t csig_codedir_flags(const csig_codedir *cd) { return cd->flags; }
int csig_codedir_hash_type(const csig_codedir *cd) { return cd->hash_type; }
unsigned csig_codedir_hash_size(const csig_codedir *cd) { return cd->hash_size; }
unsigned csig_codedir_page_shift(const csig_codedir *cd) { return cd->page_shift; }
uint32_t csig_codedir_n_special_slots(const csig_codedir *cd) { return cd->n_special; }
uint32_t csig_codedir_n_code_slots(const csig_codedir *cd) { return cd->n_code; }
uint8_t csig_codedir_platform(const csig_codedir *cd) { return cd->platform; }
const char *csig_codedir_identifier(const csig_codedir *cd) { return cd->identifier; }
const char *csig_codedir_team_id(const csig_codedir *cd) { return cd->team; }
uint32_t csig_codedir_runtime(const csig_codedir *cd) { return cd->runtime; }

uint64_t csig_codedir_code_limit(const csig_codedir *cd)
{
	if (cd->version >= CD_CODELIMIT64 && cd->code_limit64 != 0)
		return cd->code_limit64;
	return cd->code_limit32;
}

int csig_codedir_exec_segment(const csig_codedir *cd, uint64_t *base,
			      uint64_t *limit, uint64_t *flags)
{
	if (!cd->has_exec_seg)
		return CSIG_E_NOTFOUND;
	if (base)
		*base = cd->exec_base;
	if (limit)
		*limit = cd->exec_limit;
	if (flags)
		*flags = cd->exec_flags;
	return CSIG_OK;
}

int csig_codedir_slot_hash(const csig_codedir *cd, int slot, csig_bytes *out)
{
	uint64_t index;
	if (slot < 0) {
		uint64_t k = (uint64_t)(-(int64_t)slot);
		if (k > cd->n_special)
			return CSIG_E_NOTFOUND;
		index = cd->n_special - k;
	} else {
		if ((uint64_t)slot >= cd->n_code)
			return CSIG_E_NOTFOUND;
		index = cd->n_special + (uint64_t)slot;
	}
	csig_rd r;
	rd_init(&r, cd->slots.ptr, cd->slots.len, 0, NULL, NULL);
	return rd_view_at(&r, index * cd->hash_size, cd->hash_size, out);
}

void csig_codedir_cdhash(const csig_codedir *cd, uint8_t out[20])
{
	memset(out, 0, 20);
	memcpy(out, cd->cdhash, cd->cdhash_len < 20 ? cd->cdhash_len : 20);
}

int csig_codedir_cdhash_full(const csig_codedir *cd, uint8_t out[64], size_t *len)
{
	if (!cd->hash_known)
		return CSIG_E_UNSUPPORTED;
	memcpy(out, cd->cdhash, cd->cdhash_len);
	if (len)
		*len = cd->cdhash_len;
	return CSIG_OK;
}

const char *csig_hash_type_name(int t)
{
	switch (t) {
	case CSIG_HASHTYPE_SHA1: return "sha1";
	case CSIG_HASHTYPE_SHA256: return "sha256";
	case CSIG_HASHTYPE_SHA256_TRUNCATED: return "sha256-truncated";
	case CSIG_HASHTYPE_SHA384: return "sha384";
	case CSIG_HASHTYPE_SHA512: return "sha512";
	default: return NULL;
	}
}

static const char *const cd_flag_names[32] = {
	"host", "adhoc", NULL, NULL, NULL, NULL, NULL, NULL,
	"hard", "kill", "expires", "restrict", "enforcement", "library-validation",
	NULL, NULL, "runtime", "linker-signed",
};

char *csig_cd_flags_string(uint32_t flags, char *buf, size_t n)
{
	return csig__flags_join(flags, cd_flag_names, 32, ",", buf, n);
}

static const char *const execseg_names[16] = {
	"MAIN_BINARY", NULL, NULL, NULL, "ALLOW_UNSIGNED", "DEBUGGER", "JIT",
	"SKIP_LV", "CAN_LOAD_CDHASH", "CAN_EXEC_CDHASH",
};

char *csig_execseg_flags_string(uint64_t flags, char *buf, size_t n)
{
	return csig__flags_join(flags, execseg_names, 16, ",", buf, n);
}

int csig_digest(int hash_type, const void *data, size_t len, uint8_t out[64],
		size_t *out_len)
{
	if (!out || (!data && len))
		return CSIG_E_INVAL;
	if (!csig__hash_size(hash_type))
		return CSIG_E_UNSUPPORTED;
	csig__hash(hash_type, data, len, out);
	if (out_len)
		*out_len = csig__hash_size(hash_type);
	return CSIG_OK;
}
