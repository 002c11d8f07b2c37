/*
 * fuzz_superblob.c - libFuzzer target: the input is an embedded-signature
 * SuperBlob; sig_harness.h places it behind a minimal valid arm64 Mach-O so
 * the SuperBlob index, every blob kind it can hold (CodeDirectories,
 * requirements, XML/DER entitlements, constraints, the CMS wrapper) and
 * csig_verify all run on it.  Seeds: tests/fuzz/gen_sig_seeds.py.
 */
#include "sig_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	size_t n = 0;
	uint8_t *m = fz_macho(data, size, &n);
	if (!m)
		return 0;
	fz_exercise(m, n);
	free(m);
	return 0;
}
