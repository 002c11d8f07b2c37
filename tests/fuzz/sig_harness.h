/*
 * sig_harness.h - shared by fuzz_superblob.c and fuzz_codedir.c.
 *
 * fz_macho() wraps an embedded signature (the fuzz input, or a SuperBlob the
 * target builds around it) in a minimal valid thin arm64 MH_EXECUTE:
 *   0x000  mach_header_64, 4 load commands (216 bytes with the header):
 *          LC_SEGMENT_64 __TEXT [0, FZ_TEXT_SIZE), LC_SEGMENT_64 __LINKEDIT
 *          [FZ_TEXT_SIZE, +datasize), LC_UUID, LC_CODE_SIGNATURE
 *   0x0d8  deterministic filler words up to FZ_TEXT_SIZE
 *   0x800  the signature, zero-padded to datasize = round_up(len, 16)
 * The bytes are exactly what testdata/tools/handmade.py's skeleton (with
 * TEXT_SIZE 0x800) becomes after machosign.py signs it, so the seeds made by
 * tests/fuzz/gen_sig_seeds.py have matching page and special-slot hashes and
 * the fuzzer starts from signatures that verify.
 *
 * fz_exercise() then runs everything a caller can reach from a file: the
 * structural parse and every getter, csig_verify, the entitlement and
 * requirement blobs (with evaluation against the slice), the CMS, and both
 * JSON documents, aborting when an invariant of a successful call breaks.
 */
#ifndef CSIG_FUZZ_SIG_HARNESS_H
#define CSIG_FUZZ_SIG_HARNESS_H

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include "csig.h"

#define FZ_TEXT_SIZE 0x800u
#define FZ_CHECK(c) do { if (!(c)) { fprintf(stderr, "%s:%d: invariant failed: %s\n", \
		__FILE__, __LINE__, #c); abort(); } } while (0)

static inline void fz_le32(uint8_t *p, uint32_t v)
{
	for (int i = 0; i < 4; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline void fz_le64(uint8_t *p, uint64_t v)
{
	for (int i = 0; i < 8; i++)
		p[i] = (uint8_t)(v >> (8 * i));
}

static inline uint8_t *fz_segment(uint8_t *p, const char *name, uint64_t vmaddr, uint64_t vmsize,
			   uint64_t fileoff, uint64_t filesize, uint32_t prot)
{
	fz_le32(p, 0x19);
	fz_le32(p + 4, 72);
	memset(p + 8, 0, 16);
	memcpy(p + 8, name, strlen(name));
	fz_le64(p + 24, vmaddr);
	fz_le64(p + 32, vmsize);
	fz_le64(p + 40, fileoff);
	fz_le64(p + 48, filesize);
	fz_le32(p + 56, prot);
	fz_le32(p + 60, prot);
	fz_le32(p + 64, 0);
	fz_le32(p + 68, 0);
	return p + 72;
}

/* Mach-O around @sig; malloc'd, *out_len set.  NULL when too large. */
static inline uint8_t *fz_macho(const uint8_t *sig, size_t len, size_t *out_len)
{
	if (len > 0x1000000)
		return NULL;
	uint64_t datasize = ((uint64_t)len + 15) & ~(uint64_t)15;
	uint64_t vmsize = (datasize + 0x3fff) & ~(uint64_t)0x3fff;
	if (vmsize < 0x4000)
		vmsize = 0x4000;
	size_t total = FZ_TEXT_SIZE + (size_t)datasize;
	uint8_t *b = calloc(total ? total : 1, 1);
	if (!b)
		return NULL;
	static const uint8_t uuid[16] = { 0xc5, 0x16, 0xc0, 0xde, 0x00, 0x00, 0x40, 0x00,
					  0x80, 0x00, 0x00, 0x00, 0x00, 0x00, 0x0a, 0x64 };
	uint8_t *p = b + 32;
	p = fz_segment(p, "__TEXT", 0x100000000ull, 0x2000, 0, FZ_TEXT_SIZE, 5);
	p = fz_segment(p, "__LINKEDIT", 0x100004000ull, vmsize, FZ_TEXT_SIZE, datasize, 1);
	fz_le32(p, 0x1b);
	fz_le32(p + 4, 24);
	memcpy(p + 8, uuid, 16);
	p += 24;
	fz_le32(p, 0x1d);
	fz_le32(p + 4, 16);
	fz_le32(p + 8, FZ_TEXT_SIZE);
	fz_le32(p + 12, (uint32_t)datasize);
	p += 16;
	fz_le32(b, 0xfeedfacfu);
	fz_le32(b + 4, 0x0100000cu);
	fz_le32(b + 8, 0);
	fz_le32(b + 12, 2);
	fz_le32(b + 16, 4);
	fz_le32(b + 20, (uint32_t)(p - b - 32));
	fz_le32(b + 24, 1);
	fz_le32(b + 28, 0);
	for (size_t o = (size_t)(p - b); o + 4 <= FZ_TEXT_SIZE; o += 4)
		fz_le32(b + o, (uint32_t)(0xd503201fu + o));
	if (len)
		memcpy(b + FZ_TEXT_SIZE, sig, len);
	*out_len = total;
	return b;
}

static inline int fz_inside(const void *p, size_t n, const uint8_t *buf, size_t len)
{
	const uint8_t *q = p;
	return n == 0 || (q >= buf && n <= len && (size_t)(q - buf) <= len - n);
}

static inline void fz_walk_cd(const csig_codedir *cd, const uint8_t *buf, size_t len)
{
	csig_bytes b = csig_codedir_bytes(cd);
	FZ_CHECK(fz_inside(b.ptr, b.len, buf, len));
	const char *id = csig_codedir_identifier(cd);
	FZ_CHECK(id && fz_inside(id, strlen(id) + 1, b.ptr, b.len));
	const char *team = csig_codedir_team_id(cd);
	if (team)
		FZ_CHECK(fz_inside(team, strlen(team) + 1, b.ptr, b.len));
	uint64_t hs = csig_codedir_hash_size(cd);
	uint64_t ns = csig_codedir_n_special_slots(cd), nc = csig_codedir_n_code_slots(cd);
	/* unknown hash types are parsed (verification reports them), with any size */
	FZ_CHECK(hs > 0 && ns + nc <= b.len / hs);
	if (csig_hash_type_name(csig_codedir_hash_type(cd)))
		FZ_CHECK(hs <= 64);
	csig_bytes h;
	for (uint64_t i = 1; i <= ns && i <= 16; i++) {
		FZ_CHECK(csig_codedir_slot_hash(cd, -(int)i, &h) == 0);
		FZ_CHECK(h.len == hs && fz_inside(h.ptr, h.len, b.ptr, b.len));
	}
	FZ_CHECK(csig_codedir_slot_hash(cd, -(int)ns - 1, &h) == CSIG_E_NOTFOUND);
	for (uint64_t i = 0; i < nc && i < 16; i++) {
		FZ_CHECK(csig_codedir_slot_hash(cd, (int)i, &h) == 0);
		FZ_CHECK(h.len == hs && fz_inside(h.ptr, h.len, b.ptr, b.len));
	}
	if (nc < INT32_MAX)
		FZ_CHECK(csig_codedir_slot_hash(cd, (int)nc, &h) == CSIG_E_NOTFOUND);
	(void)csig_hash_type_name(csig_codedir_hash_type(cd));   /* NULL when unknown */
	uint8_t full[64], c20[20];
	size_t n = 0;
	csig_codedir_cdhash(cd, c20);
	if (csig_codedir_cdhash_full(cd, full, &n) == 0) {
		FZ_CHECK(n == 20 || n == 32 || n == 48 || n == 64);
		FZ_CHECK(memcmp(full, c20, 20) == 0);
	}
	uint64_t x, y, z;
	if (csig_codedir_exec_segment(cd, &x, &y, &z) == 0) {
		char eb[512];
		csig_execseg_flags_string(z, eb, sizeof(eb));
		FZ_CHECK(strlen(eb) < sizeof(eb));
	}
	(void)csig_codedir_code_limit(cd);
	(void)csig_codedir_runtime(cd);
	(void)csig_codedir_platform(cd);
	FZ_CHECK(csig_codedir_page_shift(cd) < 64);   /* what the parser calls absurd */
	(void)csig_codedir_version(cd);
	FZ_CHECK(csig_slot_name(csig_codedir_slot(cd)) != NULL);
	char fb[256];
	csig_cd_flags_string(csig_codedir_flags(cd), fb, sizeof(fb));
	FZ_CHECK(strlen(fb) < sizeof(fb));
}

static inline void fz_walk_plist(const csig_plist *p)
{
	if (!p)
		return;
	const csig_pval *root = csig_plist_root(p);
	FZ_CHECK(root && csig_pval_type_of(root) == CSIG_PVAL_DICT);
	char *j = NULL;
	size_t jl = 0;
	if (csig_plist_to_json(p, NULL, 0, &j, &jl, NULL) == 0)
		FZ_CHECK(j && strlen(j) == jl);
	csig_free(j);
}

static inline void fz_walk_sig(const csig_slice *s, const csig_sig *sig, const uint8_t *buf, size_t len)
{
	csig_bytes sg = csig_sig_bytes(sig);
	FZ_CHECK(fz_inside(sg.ptr, sg.len, buf, len));
	FZ_CHECK(csig_sig_blob_count(sig) <= CSIG_LIMIT_BLOBS);
	for (size_t k = 0; k < csig_sig_blob_count(sig); k++) {
		const csig_blob *bl = csig_sig_blob(sig, k);
		FZ_CHECK(bl && bl->name == csig_slot_name(bl->type));
		FZ_CHECK(fz_inside(bl->bytes.ptr, bl->bytes.len, sg.ptr, sg.len));
		if (bl->status == 0)
			FZ_CHECK(bl->bytes.len == bl->length);
		FZ_CHECK(csig_sig_find_blob(sig, bl->type) != NULL);
	}
	FZ_CHECK(csig_sig_blob(sig, csig_sig_blob_count(sig)) == NULL);
	for (size_t k = 0; k < csig_sig_cd_count(sig); k++)
		fz_walk_cd(csig_sig_cd(sig, k), buf, len);
	const csig_codedir *best = csig_sig_best_cd(sig);
	if (best)
		fz_walk_cd(best, buf, len);
	csig_bytes cms;
	if (csig_sig_cms(sig, &cms) == 0)
		FZ_CHECK(fz_inside(cms.ptr, cms.len, sg.ptr, sg.len));
	const csig_cms *pc = csig_sig_cms_parsed(sig);
	if (pc) {
		for (size_t i = 0; i < csig_cms_signer_count(pc); i++)
			(void)csig_cms_signer_cert(pc, i);
	}
	const csig_plist *xml = csig_sig_entitlements(sig);
	const csig_plist *der = csig_sig_entitlements_der(sig);
	fz_walk_plist(xml);
	fz_walk_plist(der);
	if (xml && der) {
		csig_ent_diff *d = NULL;
		if (csig_ent_compare(&d, xml, der, NULL) == 0) {
			for (size_t i = 0; i < csig_ent_diff_count(d); i++) {
				int kind = 0;
				const char *path = NULL;
				FZ_CHECK(csig_ent_diff_get(d, i, &kind, &path, NULL, NULL) == 0);
				FZ_CHECK(path && kind >= 1 && kind <= 4);
			}
		}
		csig_ent_diff_free(d);
	}
	for (uint32_t slot = 8; slot <= 11; slot++)
		fz_walk_plist(csig_sig_constraint(sig, slot));
	const csig_reqset *rs = csig_sig_requirements(sig);
	if (rs) {
		for (size_t i = 0; i < csig_reqset_count(rs) && i < 8; i++) {
			const csig_req *q = csig_reqset_get(rs, i);
			FZ_CHECK(q != NULL);
			csig_req_result *r = NULL;
			if (csig_req_eval_slice(q, s, NULL, &r, NULL) == 0)
				(void)csig_req_result_verdict(r);
			csig_req_result_free(r);
		}
		char *t = NULL;
		if (csig_reqset_to_text(rs, &t, NULL, NULL) == 0)
			FZ_CHECK(t != NULL);
		csig_free(t);
	}
}

static inline void fz_exercise(const uint8_t *buf, size_t len)
{
	csig_file *f = NULL;
	csig_error e;
	int rc = csig_file_open(&f, buf, len, NULL, &e);
	if (rc) {
		FZ_CHECK(rc < 0 && f == NULL && e.code == rc);
		return;
	}
	FZ_CHECK(csig_file_size(f) == len && csig_file_slice_count(f) == 1);
	for (size_t i = 0; i < csig_file_finding_count(f); i++) {
		const csig_finding *x = csig_file_finding(f, i);
		FZ_CHECK(x && x->id && x->message);
	}
	const csig_slice *s = csig_file_slice(f, 0);
	const csig_sig *sig = csig_slice_signature(s);
	if (sig)
		fz_walk_sig(s, sig, buf, len);
	csig_verify_options o = CSIG_VERIFY_OPTIONS_INIT;
	o.jobs = 1;
	csig_verify_result *r = NULL;
	FZ_CHECK(csig_verify(&r, f, &o, &e) == 0);
	int valid = csig_verify_result_valid(r);
	for (size_t i = 0; i < csig_verify_result_count(r); i++) {
		const csig_finding *x = csig_verify_result_finding(r, i);
		FZ_CHECK(x && x->id && x->message);
		if (x->severity == CSIG_SEV_ERROR)
			FZ_CHECK(!valid);
	}
	if (valid)
		FZ_CHECK(sig != NULL);
	char *a = NULL, *b = NULL;
	size_t al = 0, bl = 0;
	FZ_CHECK(csig_file_json(f, -1, CSIG_JSON_LOAD_COMMANDS | CSIG_JSON_SLOTS, &a, &al, &e) == 0);
	FZ_CHECK(a && al == strlen(a) && a[0] == '{' && a[al - 1] == '}');
	FZ_CHECK(csig_verify_result_json(r, f, 0, &b, &bl, &e) == 0);
	FZ_CHECK(b && bl == strlen(b) && b[0] == '{');
	csig_free(a);
	csig_free(b);
	csig_verify_result_free(r);
	csig_file_free(f);
}

#endif
