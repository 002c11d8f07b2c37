/*
 * fuzz_hash.c - the dispatching, portable and streamed paths must agree on
 * every input for every algorithm.  The first two bytes pick split sizes.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "hash.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static const int algs[] = {
		CSIG_HASH_SHA1, CSIG_HASH_SHA256, CSIG_HASH_SHA256_TRUNCATED,
		CSIG_HASH_SHA384, CSIG_HASH_SHA512
	};
	size_t step1 = size > 0 ? (size_t)data[0] + 1 : 1;
	size_t step2 = size > 1 ? (size_t)data[1] * 3 + 1 : 7;

	for (size_t i = 0; i < sizeof(algs) / sizeof(algs[0]); i++) {
		uint8_t a[CSIG_HASH_MAX], b[CSIG_HASH_MAX], c[CSIG_HASH_MAX];
		size_t n = csig__hash(algs[i], data, size, a);
		if (n != csig__hash_full_size(algs[i]) ||
		    csig__hash_portable(algs[i], data, size, b) != n)
			abort();
		csig_hash_ctx ctx;
		if (csig__hash_init(&ctx, algs[i]) != 0)
			abort();
		/* Alternate two piece sizes so pieces straddle block boundaries. */
		for (size_t pos = 0, k = 0; pos < size; k++) {
			size_t take = k & 1 ? step2 : step1;
			if (take > size - pos)
				take = size - pos;
			csig__hash_update(&ctx, data + pos, take);
			pos += take;
		}
		csig__hash_final(&ctx, c);
		if (memcmp(a, b, n) != 0 || memcmp(a, c, n) != 0)
			abort();
	}
	return 0;
}
