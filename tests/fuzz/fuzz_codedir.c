/*
 * fuzz_codedir.c - libFuzzer target: the input is one CodeDirectory blob.
 * The harness builds the SuperBlob machosign.py would write around it
 * (slot 0 = the input, slot 2 = an empty requirement set, slot 0x10000 =
 * an empty CMS wrapper), embeds it in the minimal Mach-O of sig_harness.h,
 * and runs the structural parse, every CodeDirectory getter, verification
 * (page and special-slot hashes) and JSON.  Seeds: gen_sig_seeds.py.
 */
#include "sig_harness.h"

static void be32(uint8_t *p, uint32_t v)
{
	p[0] = (uint8_t)(v >> 24);
	p[1] = (uint8_t)(v >> 16);
	p[2] = (uint8_t)(v >> 8);
	p[3] = (uint8_t)v;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size > 0x100000)
		return 0;
	/* header 12 + 3 index entries 24, then CD, reqs (12), wrapper (8) */
	size_t hdr = 12 + 3 * 8, total = hdr + size + 12 + 8;
	uint8_t *sb = malloc(total);
	if (!sb)
		return 0;
	be32(sb, 0xfade0cc0u);
	be32(sb + 4, (uint32_t)total);
	be32(sb + 8, 3);
	be32(sb + 12, 0);
	be32(sb + 16, (uint32_t)hdr);
	be32(sb + 20, 2);
	be32(sb + 24, (uint32_t)(hdr + size));
	be32(sb + 28, 0x10000);
	be32(sb + 32, (uint32_t)(hdr + size + 12));
	if (size)
		memcpy(sb + hdr, data, size);
	uint8_t *q = sb + hdr + size;
	be32(q, 0xfade0c01u);
	be32(q + 4, 12);
	be32(q + 8, 0);
	be32(q + 12, 0xfade0b01u);
	be32(q + 16, 8);
	size_t n = 0;
	uint8_t *m = fz_macho(sb, total, &n);
	free(sb);
	if (!m)
		return 0;
	fz_exercise(m, n);
	free(m);
	return 0;
}
