/*
 * fuzz_inflate.c - decode any bytes as raw DEFLATE into a buffer of a size
 * taken from the first three input bytes (little endian, at most 16 MiB).
 * The decoder must never write outside that buffer (ASan) or read past the
 * input; on success decoding must be deterministic and the output exactly
 * filled.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "inflate.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 3)
		return 0;
	size_t want = data[0] | (size_t)data[1] << 8 | (size_t)data[2] << 16;
	const uint8_t *src = data + 3;
	size_t n = size - 3;
	uint8_t *a = malloc(want ? want : 1), *b = malloc(want ? want : 1);
	if (!a || !b)
		abort();
	csig_error err;
	int e = csig__inflate(a, want, src, n, 0, &err);
	if (e > 0 || (e && err.code != e))
		abort();
	if (e == 0) {
		if (csig__inflate(b, want, src, n, 0, NULL) != 0 || memcmp(a, b, want) != 0)
			abort();
		/* any shorter output buffer must be refused */
		if (want && csig__inflate(b, want - 1, src, n, 0, NULL) == 0)
			abort();
	}
	free(a);
	free(b);
	return 0;
}
