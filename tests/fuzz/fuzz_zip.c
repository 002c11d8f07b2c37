/*
 * fuzz_zip.c - open any bytes as a zip; on success every entry's getters,
 * find, view and extract must hold their invariants: extracted data has the
 * declared size and CRC-32, find returns an entry with the same name, and
 * limits are never exceeded.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "csig.h"
#include "inflate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	csig_zip *z = NULL;
	csig_error err;
	csig_zip_options zo = CSIG_ZIP_OPTIONS_INIT;
	zo.max_entry_size = 16u << 20; /* keep a fuzzing run's memory small */
	int e = csig_zip_open_ex(&z, data, size, NULL, &zo, &err);
	if (e) {
		if (e > 0 || z != NULL || err.code != e || err.msg[0] == 0)
			abort();
		return 0;
	}
	size_t n = csig_zip_count(z);
	for (size_t i = 0; i < n; i++) {
		csig_bytes name = csig_zip_entry_name(z, i);
		size_t at;
		if (csig_zip_find(z, (const char *)name.ptr, name.len, &at) != 0 || at > i)
			abort();
		csig_bytes other = csig_zip_entry_name(z, at);
		if (other.len != name.len ||
		    (name.len && memcmp(other.ptr, name.ptr, name.len) != 0))
			abort();
		uint8_t *out = NULL;
		size_t len = 0;
		e = csig_zip_extract(z, i, &out, &len, &err);
		if (e == 0) {
			if (!out || len != csig_zip_entry_size(z, i) || len > zo.max_entry_size ||
			    csig__crc32(0, out, len) != csig_zip_entry_crc32(z, i))
				abort();
		} else if (out || len || e > 0 || err.code != e || err.msg[0] == 0) {
			abort();
		}
		csig_bytes v;
		int ve = csig_zip_entry_view(z, i, &v, NULL);
		if (ve == 0 && (e != 0 || v.len != len || (len && memcmp(v.ptr, out, len) != 0)))
			abort();
		csig_free(out);
		(void)csig_zip_entry_suspicious(z, i);
		(void)csig_zip_entry_is_dir(z, i);
		(void)csig_zip_entry_is_symlink(z, i);
		(void)csig_zip_entry_mode(z, i);
	}
	csig_zip_free(z);
	return 0;
}
