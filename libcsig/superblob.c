/*
 * superblob.c - the embedded signature SuperBlob and its index
 * (see csig/codedir.h).  Validation follows Security's
 * SuperBlobCore::validateBlob (FORMAT.md §1.2): a broken entry is reported
 * on that entry and does not fail the signature.
 */
#include <stdio.h>
#include <string.h>
#include "csig/cms.h"
#include "csig/ent.h"
#include "req_int.h"
#include "macho_int.h"
#include "util.h"

const char *csig_slot_name(uint32_t type)
{
	switch (type) {
	case 0: return "CodeDirectory";
	case 1: return "Info";
	case 2: return "Requirements";
	case 3: return "ResourceDir";
	case 4: return "Application";
	case 5: return "Entitlements";
	case 6: return "RepSpecific";
	case 7: return "EntitlementsDER";
	case 8: return "LaunchConstraintSelf";
	case 9: return "LaunchConstraintParent";
	case 10: return "LaunchConstraintResponsible";
	case 11: return "LibraryConstraint";
	case 0x1000: case 0x1001: case 0x1002: case 0x1003: case 0x1004:
		return "AlternateCodeDirectory";
	case 0x10000: return "Signature";
	case 0x10001: return "Identification";
	case 0x10002: return "Ticket";
	default: return NULL;
	}
}

static int is_cd_slot(uint32_t t)
{
	return t == 0 || (t >= CSIG_SLOT_ALTERNATE_CD && t < CSIG_SLOT_ALTERNATE_CD + 5);
}

void csig__sig_free(struct csig_sig *sig)
{
	if (!sig)
		return;
	csig_cms_free(sig->cms);
	csig_reqset_free(sig->reqs);
	csig_plist_free(sig->ent_xml);
	csig_plist_free(sig->ent_der);
	for (int i = 0; i < 4; i++)
		csig_plist_free(sig->constraints[i]);
	csig__free(sig->blobs);
	csig__free(sig->cds);
	csig__free(sig);
}

int csig__sig_parse(struct csig_slice *s, csig_rd *area, struct csig_sig **out,
		    csig__findings *fs, csig_error *err)
{
	int si = (int)s->index;
	uint32_t magic, length, count;
	int e;
	*out = NULL;
	area->what = "SuperBlob";
	if ((e = rd_at_u32be(area, 0, &magic)) || (e = rd_at_u32be(area, 4, &length)) ||
	    (e = rd_at_u32be(area, 8, &count)))
		return e;
	if (magic != CSIG_MAGIC_EMBEDDED_SIGNATURE)
		return CSIG_FAIL(err, CSIG_E_BADMAGIC, area->base,
				 "SuperBlob magic 0x%08x is not 0xfade0cc0", magic);
	if (length < 12 || length > area->len)
		return CSIG_FAIL(err, length < 12 ? CSIG_E_BADVALUE : CSIG_E_TRUNCATED,
				 area->base + 4,
				 "SuperBlob length 0x%x does not fit the LC_CODE_SIGNATURE size 0x%zx",
				 length, area->len);
	if (count > CSIG_LIMIT_BLOBS)
		return CSIG_FAIL(err, CSIG_E_LIMIT, area->base + 8,
				 "SuperBlob count %u exceeds the limit of %u blobs",
				 count, CSIG_LIMIT_BLOBS);
	uint64_t index_end = 12 + (uint64_t)count * 8;
	if (index_end > length)
		return CSIG_FAIL(err, CSIG_E_BADVALUE, area->base + 8,
				 "SuperBlob count %u needs 0x%llx index bytes but length is 0x%x",
				 count, (unsigned long long)index_end, length);
	if (length < area->len) {
		/* datasize may include zero padding after the SuperBlob */
		csig_bytes slack;
		int nonzero = 0;
		if (rd_view_at(area, length, area->len - length, &slack) == 0)
			for (size_t i = 0; i < slack.len; i++)
				nonzero |= slack.ptr[i];
		csig__finding_add(fs, nonzero ? "signature-slack-data" : "signature-slack",
				  nonzero ? CSIG_SEV_WARN : CSIG_SEV_INFO, si, -1,
				  area->base + length,
				  "%zu bytes after the SuperBlob inside LC_CODE_SIGNATURE (%s)",
				  area->len - length, nonzero ? "not all zero" : "zero padding");
	}
	struct csig_sig *sig = csig__calloc_n(1, sizeof(*sig));
	if (!sig)
		return CSIG_FAIL(err, CSIG_E_NOMEM, area->base, "out of memory");
	sig->slice = s;
	sig->best = -1;
	rd_sub(area, 0, length, &sig->rd, "SuperBlob");
	sig->rd.err = NULL; /* kept after this call returns */
	sig->blobs = csig__calloc_n(count ? count : 1, sizeof(csig_blob));
	sig->cds = csig__calloc_n(count ? count : 1, sizeof(csig_codedir));
	if (!sig->blobs || !sig->cds) {
		csig__sig_free(sig);
		return CSIG_FAIL(err, CSIG_E_NOMEM, area->base, "out of memory");
	}
	csig_rd idx;
	rd_sub(&sig->rd, 12, (uint64_t)count * 8, &idx, "SuperBlob index");
	for (uint32_t i = 0; i < count; i++) {
		csig_blob *b = &sig->blobs[sig->nblobs++];
		rd_u32be(&idx, &b->type);
		rd_u32be(&idx, &b->offset);
		b->name = csig_slot_name(b->type);
		b->file_offset = sig->rd.base + b->offset;
		uint32_t bm = 0, bl = 0;
		if (b->offset < index_end || b->offset > length || length - b->offset < 8) {
			b->status = CSIG_E_BADOFFSET;
			csig__finding_add(fs, "blob-out-of-bounds", CSIG_SEV_ERROR, si, -1,
					  sig->rd.base + 12 + 8 * (uint64_t)i,
					  "blob %u (slot 0x%x) offset 0x%x is outside [0x%llx, 0x%x - 8]",
					  i, b->type, b->offset, (unsigned long long)index_end, length);
			continue;
		}
		rd_at_u32be(&sig->rd, b->offset, &bm);
		rd_at_u32be(&sig->rd, (uint64_t)b->offset + 4, &bl);
		b->magic = bm;
		b->length = bl;
		csig_rd br;
		if (bl < 8 || rd_sub(&sig->rd, b->offset, bl, &br, "blob")) {
			b->status = CSIG_E_BADVALUE;
			csig__finding_add(fs, "blob-out-of-bounds", CSIG_SEV_ERROR, si, -1,
					  b->file_offset,
					  "blob %u (slot 0x%x) length 0x%x at offset 0x%x overruns the SuperBlob length 0x%x",
					  i, b->type, bl, b->offset, length);
			continue;
		}
		b->bytes = rd_view(&br);
		if (is_cd_slot(b->type)) {
			csig_codedir *cd = &sig->cds[sig->ncds];
			csig_error ce = { 0 };
			csig__error_clear(&ce);
			br.err = &ce;
			int pe = csig__codedir_parse(cd, &br, b->type, &ce);
			if (pe) {
				b->status = pe;
				csig__finding_add(fs, "codedirectory-malformed", CSIG_SEV_ERROR,
						  si, (int)sig->ncds, ce.offset, "slot 0x%x: %s",
						  b->type, ce.msg);
				continue;
			}
			for (size_t k = 0; k < sig->ncds; k++)
				if (sig->cds[k].hash_type == cd->hash_type)
					csig__finding_add(fs, "duplicate-hash-type", CSIG_SEV_ERROR,
							  si, (int)sig->ncds, b->file_offset,
							  "CodeDirectories in slots 0x%x and 0x%x both use hash type %u",
							  sig->cds[k].slot, cd->slot, cd->hash_type);
			sig->ncds++;
		}
	}
	/* Order: slot 0 first, then alternates ascending (index order may differ). */
	for (size_t i = 1; i < sig->ncds; i++)
		for (size_t k = i; k > 0 && sig->cds[k - 1].slot > sig->cds[k].slot; k--) {
			csig_codedir t = sig->cds[k];
			sig->cds[k] = sig->cds[k - 1];
			sig->cds[k - 1] = t;
		}
	int best_rank = 0;
	for (size_t i = 0; i < sig->ncds; i++) {
		int rank = csig__hash_rank(sig->cds[i].hash_type);
		if (rank > best_rank) {
			best_rank = rank;
			sig->best = (int)i;
		}
	}
	if (sig->ncds == 0 || sig->cds[0].slot != 0)
		csig__finding_add(fs, "no-codedirectory", CSIG_SEV_ERROR, si, -1,
				  sig->rd.base,
				  "the signature has no usable CodeDirectory in slot 0");
	/* Userland stops at the first gap in 0x1000..; the kernel does not. */
	for (size_t i = 1; i < sig->ncds; i++)
		if (sig->cds[i].slot != CSIG_SLOT_ALTERNATE_CD + (uint32_t)(i - 1)) {
			csig__finding_add(fs, "alternate-cd-gap", CSIG_SEV_WARN, si, (int)i,
					  sig->cds[i].file_offset,
					  "alternate CodeDirectory in slot 0x%x follows a gap; Apple's userland stops at the gap",
					  sig->cds[i].slot);
			break;
		}
	/* The CMS is parsed once here so the handle stays immutable; a broken
	 * CMS is reported on the signature, not as a failure of the file. */
	csig_bytes cms_bytes;
	if (csig_sig_cms(sig, &cms_bytes) == CSIG_OK) {
		csig_error ce = { 0 };
		csig__error_clear(&ce);
		int pe = csig_cms_parse(&sig->cms, cms_bytes.ptr, cms_bytes.len,
					&s->file->opts, &ce);
		if (pe == CSIG_E_NOMEM) {
			csig__sig_free(sig);
			return CSIG_FAIL(err, pe, ce.offset, "%s", ce.msg);
		}
		if (pe) {
			sig->cms = NULL;
			sig->cms_status = pe;
			snprintf(sig->cms_error, sizeof(sig->cms_error),
				 "CMS at 0x%llx: %.200s", (unsigned long long)(csig_sig_find_blob(sig, CSIG_SLOT_SIGNATURE)->file_offset + 8 + ce.offset),
				 ce.msg);
			csig__finding_add(fs, "cms-malformed", CSIG_SEV_ERROR, si, -1,
					  csig_sig_find_blob(sig, CSIG_SLOT_SIGNATURE)->file_offset,
					  "%s", sig->cms_error);
		}
	}
	const csig_blob *rb = csig_sig_find_blob(sig, CSIG_SLOT_REQUIREMENTS);
	if (rb && !rb->status) {
		csig_error re = { 0 };
		csig__error_clear(&re);
		int e2 = csig__reqset_parse_at(&sig->reqs, rb->bytes.ptr, rb->bytes.len,
					       rb->file_offset, &s->file->opts, &re);
		if (e2 == CSIG_E_NOMEM) {
			csig__sig_free(sig);
			return CSIG_FAIL(err, e2, re.offset, "%s", re.msg);
		}
		if (e2) {
			sig->reqs = NULL;
			csig__finding_add(fs, "requirements-malformed", CSIG_SEV_ERROR, si, -1,
					  re.offset ? re.offset : rb->file_offset,
					  "the requirement set (slot 2) does not parse: %s", re.msg);
		}
	}
	/* Entitlements (5 XML, 7 DER) and constraints (8-11): property lists
	 * parsed once; a broken one is a finding on that blob. */
	static const struct { uint32_t slot; uint32_t magic; } plist_slots[] = {
		{ CSIG_SLOT_ENTITLEMENTS, CSIG_MAGIC_ENTITLEMENTS },
		{ CSIG_SLOT_DER_ENTITLEMENTS, CSIG_MAGIC_DER_ENTITLEMENTS },
		{ 8, CSIG_MAGIC_LAUNCH_CONSTRAINT }, { 9, CSIG_MAGIC_LAUNCH_CONSTRAINT },
		{ 10, CSIG_MAGIC_LAUNCH_CONSTRAINT }, { 11, CSIG_MAGIC_LAUNCH_CONSTRAINT },
	};
	for (size_t k = 0; k < CSIG_ARRAY_LEN(plist_slots); k++) {
		const csig_blob *b = csig_sig_find_blob(sig, plist_slots[k].slot);
		if (!b || b->status)
			continue;
		csig_plist **dst = k == 0 ? &sig->ent_xml : k == 1 ? &sig->ent_der :
				   &sig->constraints[k - 2];
		if (b->magic != plist_slots[k].magic) {
			csig__finding_add(fs, "blob-wrong-magic", CSIG_SEV_ERROR, si, -1, b->file_offset,
					  "slot %u (%s) holds magic 0x%08x, expected 0x%08x",
					  b->type, b->name, b->magic, plist_slots[k].magic);
			continue;
		}
		csig_error pe = { 0 };
		csig__error_clear(&pe);
		int e2 = csig_ent_parse(dst, b->bytes.ptr, b->bytes.len, &s->file->opts, &pe);
		if (e2 == CSIG_E_NOMEM) {
			uint64_t where = b->file_offset; /* b dies with sig */
			csig__sig_free(sig);
			return CSIG_FAIL(err, e2, where, "%s", pe.msg);
		}
		if (e2) {
			*dst = NULL;
			csig__finding_add(fs, "plist-malformed", CSIG_SEV_ERROR, si, -1,
					  b->file_offset + pe.offset,
					  "slot %u (%s) does not parse: %s", b->type, b->name, pe.msg);
			continue;
		}
		for (size_t i = 0; i < csig_plist_finding_count(*dst); i++) {
			int code;
			uint64_t off;
			const char *msg;
			if (csig_plist_finding(*dst, i, &code, &off, &msg) == CSIG_OK)
				csig__finding_add(fs, "plist-ambiguous", CSIG_SEV_WARN, si, -1,
						  b->file_offset + off,
						  "slot %u (%s): %s: %s (parsers may disagree)", b->type,
						  b->name, csig_plist_finding_name(code), msg ? msg : "");
		}
	}
	*out = sig;
	return CSIG_OK;
}

const csig_plist *csig_sig_entitlements(const csig_sig *sig) { return sig->ent_xml; }
const csig_reqset *csig_sig_requirements(const csig_sig *sig) { return sig->reqs; }
const csig_plist *csig_sig_entitlements_der(const csig_sig *sig) { return sig->ent_der; }
const csig_plist *csig_sig_constraint(const csig_sig *sig, uint32_t slot)
{
	return slot >= 8 && slot <= 11 ? sig->constraints[slot - 8] : NULL;
}

const csig_cms *csig_sig_cms_parsed(const csig_sig *sig) { return sig->cms; }

csig_bytes csig_sig_bytes(const csig_sig *sig) { return rd_view(&sig->rd); }
uint64_t csig_sig_file_offset(const csig_sig *sig) { return sig->rd.base; }
size_t csig_sig_blob_count(const csig_sig *sig) { return sig->nblobs; }
const csig_blob *csig_sig_blob(const csig_sig *sig, size_t i)
{
	return i < sig->nblobs ? &sig->blobs[i] : NULL;
}
const csig_blob *csig_sig_find_blob(const csig_sig *sig, uint32_t type)
{
	for (size_t i = 0; i < sig->nblobs; i++)
		if (sig->blobs[i].type == type)
			return &sig->blobs[i];
	return NULL;
}
size_t csig_sig_cd_count(const csig_sig *sig) { return sig->ncds; }
const csig_codedir *csig_sig_cd(const csig_sig *sig, size_t i)
{
	return i < sig->ncds ? &sig->cds[i] : NULL;
}
const csig_codedir *csig_sig_best_cd(const csig_sig *sig)
{
	return sig->best >= 0 ? &sig->cds[sig->best] : NULL;
}

int csig_sig_cms(const csig_sig *sig, csig_bytes *out)
{
	const csig_blob *b = csig_sig_find_blob(sig, CSIG_SLOT_SIGNATURE);
	if (!b || b->status || b->magic != CSIG_MAGIC_BLOBWRAPPER || b->bytes.len <= 8)
		return CSIG_E_NOTFOUND;
	csig_rd r;
	rd_init(&r, b->bytes.ptr, b->bytes.len, b->file_offset, "BlobWrapper", NULL);
	return rd_view_at(&r, 8, b->bytes.len - 8, out);
}

const csig_sig *csig_slice_signature(const csig_slice *s) { return s->sig; }
