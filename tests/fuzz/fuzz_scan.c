/*
 * fuzz_scan.c - csig_sniff on any bytes (a kind in range, never a read past
 * the end), and for input that opens as a Mach-O the scan record: it must
 * serialize (or fail with CSIG_E_NOMEM), be one line, and start with the
 * "type" key.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "csig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	int k = csig_sniff(data, size);
	if (k < CSIG_SNIFF_UNKNOWN || k > CSIG_SNIFF_SIGNATURE)
		abort();
	if (k != CSIG_SNIFF_UNKNOWN && size < 4)
		abort();
	csig_file *f = NULL;
	csig_error err;
	if (csig_file_open(&f, data, size, NULL, &err) != CSIG_OK)
		return 0;
	if (k != CSIG_SNIFF_MACHO && k != CSIG_SNIFF_FAT)
		abort(); /* sniff must recognise everything csig_file_open accepts */
	csig_verify_options vo = CSIG_VERIFY_OPTIONS_INIT;
	vo.jobs = 1;
	csig_verify_result *vr = NULL;
	if (csig_verify(&vr, f, &vo, NULL) != CSIG_OK)
		vr = NULL;
	char *t = NULL;
	size_t n = 0;
	int e = csig_scan_record_json(f, "fuzz\n\"path", vr, 0, &t, &n, &err);
	if (e == CSIG_OK) {
		if (!t || n != strlen(t) || memchr(t, '\n', n) ||
		    strncmp(t, "{\"type\":\"macho\"", 15) != 0)
			abort();
		csig_free(t);
	} else if (e != CSIG_E_NOMEM || t) {
		abort();
	}
	csig_verify_result_free(vr);
	csig_file_free(f);
	return 0;
}
