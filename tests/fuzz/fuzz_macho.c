/*
 * fuzz_macho.c - libFuzzer target: open the input as a Mach-O, walk every
 * getter, verify, and produce both JSON documents.  Failure is fine; on
 * success the invariants below must hold (abort() makes the fuzzer report).
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "csig.h"
#include "sig_harness.h" /* fz_inside, fz_walk_cd: one CodeDirectory walker for all targets */

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static void walk(const csig_file *f, const uint8_t *buf, size_t len)
{
	CHECK(csig_file_size(f) == len);
	CHECK(csig_file_slice_count(f) >= 1 && csig_file_slice_count(f) <= CSIG_LIMIT_SLICES);
	for (size_t i = 0; i < csig_file_finding_count(f); i++) {
		const csig_finding *x = csig_file_finding(f, i);
		CHECK(x && x->id && x->message);
		CHECK(x->slice >= -1 && x->slice < (int)csig_file_slice_count(f));
	}
	for (size_t i = 0; i < csig_file_slice_count(f); i++) {
		const csig_slice *s = csig_file_slice(f, i);
		CHECK(csig_slice_index(s) == i);
		uint64_t so = csig_slice_offset(s), ss = csig_slice_size(s);
		CHECK(so <= len && ss <= len - so);
		csig_bytes sb = csig_slice_bytes(s);
		CHECK(sb.len == ss && (ss == 0 || sb.ptr == buf + so));
		CHECK(csig_slice_arch(s) != NULL);
		CHECK(csig_slice_lc_count(s) <= csig_slice_ncmds(s));
		for (size_t k = 0; k < csig_slice_lc_count(s); k++) {
			const csig_lc *l = csig_slice_lc(s, k);
			CHECK(l->cmdsize >= 8);
			CHECK(l->offset >= so && l->offset - so <= ss && l->cmdsize <= ss - (l->offset - so));
		}
		CHECK(csig_slice_lc(s, csig_slice_lc_count(s)) == NULL);
		uint32_t off, size, a, b, c;
		uint8_t uuid[16];
		csig_bytes pl;
		(void)csig_slice_code_signature(s, &off, &size);
		(void)csig_slice_uuid(s, uuid);
		(void)csig_slice_build_version(s, &a, &b, &c);
		if (csig_slice_info_plist(s, &pl) == 0)
			CHECK(fz_inside(pl.ptr, pl.len, sb.ptr, sb.len));
		char fb[512];
		csig_mh_flags_string(csig_slice_flags(s), fb, sizeof(fb));
		(void)csig_filetype_name(csig_slice_filetype(s));
		const csig_sig *sig = csig_slice_signature(s);
		if (!sig)
			continue;
		CHECK(csig_slice_code_signature(s, &off, &size) == 0);
		csig_bytes sg = csig_sig_bytes(sig);
		CHECK(fz_inside(sg.ptr, sg.len, sb.ptr, sb.len));
		CHECK(csig_sig_file_offset(sig) == so + off);
		for (size_t k = 0; k < csig_sig_blob_count(sig); k++) {
			const csig_blob *bl = csig_sig_blob(sig, k);
			CHECK(fz_inside(bl->bytes.ptr, bl->bytes.len, sg.ptr, sg.len));
			if (bl->status == 0)
				CHECK(bl->bytes.len == bl->length);
		}
		for (size_t k = 0; k < csig_sig_cd_count(sig); k++)
			fz_walk_cd(csig_sig_cd(sig, k), buf, len);
		const csig_codedir *best = csig_sig_best_cd(sig);
		if (best)
			fz_walk_cd(best, buf, len);
		csig_bytes cms;
		if (csig_sig_cms(sig, &cms) == 0)
			CHECK(fz_inside(cms.ptr, cms.len, sg.ptr, sg.len));
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	csig_file *f = NULL;
	csig_error e;
	int rc = csig_file_open(&f, data, size, NULL, &e);
	if (rc) {
		CHECK(rc < 0 && f == NULL && e.code == rc);
		return 0;
	}
	walk(f, data, size);
	csig_verify_options o = CSIG_VERIFY_OPTIONS_INIT;
	o.jobs = 1;
	csig_verify_result *r = NULL;
	CHECK(csig_verify(&r, f, &o, &e) == 0);
	for (size_t i = 0; i < csig_verify_result_count(r); i++)
		CHECK(csig_verify_result_finding(r, i)->id != NULL);
	char *a = NULL, *b = NULL;
	size_t al = 0, bl = 0;
	CHECK(csig_file_json(f, -1, CSIG_JSON_LOAD_COMMANDS | CSIG_JSON_SLOTS, &a, &al, &e) == 0);
	CHECK(a && al == strlen(a) && a[0] == '{' && a[al - 1] == '}');
	CHECK(csig_verify_result_json(r, f, CSIG_JSON_PRETTY, &b, &bl, &e) == 0);
	CHECK(b && bl == strlen(b));
	csig_free(a);
	csig_free(b);
	csig_verify_result_free(r);
	csig_file_free(f);
	return 0;
}
