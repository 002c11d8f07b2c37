/*
 * cms_testutil.h - test helpers for check_cms.c / check_x509.c: pull the
 * CMS blob (slot 0x10000, after the 8-byte BlobWrapper header) and the
 * slot-0 CodeDirectory out of a Mach-O (thin or fat) without the Mach-O
 * module, and generate openssl fixtures into a temporary directory.
 */
#ifndef CSIG_CMS_TESTUTIL_H
#define CSIG_CMS_TESTUTIL_H

#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

static uint32_t tc_be32(const unsigned char *p) { return (uint32_t)p[0] << 24 | (uint32_t)p[1] << 16 | (uint32_t)p[2] << 8 | p[3]; }
static uint32_t tc_le32(const unsigned char *p) { return (uint32_t)p[3] << 24 | (uint32_t)p[2] << 16 | (uint32_t)p[1] << 8 | p[0]; }

typedef struct tc_sig {
	const unsigned char *cms; size_t cms_len;
	const unsigned char *cd; size_t cd_len;
} tc_sig;

/* Signature of one thin slice; 0 on success. */
static int tc_slice(const unsigned char *b, size_t n, tc_sig *out)
{
	if (n < 32)
		return -1;
	uint32_t magic = tc_le32(b);
	size_t off = magic == 0xfeedfacf ? 32 : magic == 0xfeedface ? 28 : 0;
	if (!off)
		return -1;
	uint32_t ncmds = tc_le32(b + 16);
	for (uint32_t i = 0; i < ncmds && off + 16 <= n; i++) {
		uint32_t cmd = tc_le32(b + off), size = tc_le32(b + off + 4);
		if (cmd == 0x1d) {
			size_t d = tc_le32(b + off + 8), dl = tc_le32(b + off + 12);
			if (d + dl > n || dl < 12 || tc_be32(b + d) != 0xfade0cc0)
				return -1;
			const unsigned char *sb = b + d;
			uint32_t count = tc_be32(sb + 8);
			memset(out, 0, sizeof(*out));
			for (uint32_t k = 0; k < count && 12 + 8 * k + 8 <= dl; k++) {
				uint32_t type = tc_be32(sb + 12 + 8 * k), bo = tc_be32(sb + 16 + 8 * k);
				if (bo + 8 > dl)
					return -1;
				uint32_t bl = tc_be32(sb + bo + 4);
				if (bl < 8 || bo + bl > dl)
					return -1;
				if (type == 0) {
					out->cd = sb + bo;
					out->cd_len = bl;
				} else if (type == 0x10000) {
					out->cms = sb + bo + 8;
					out->cms_len = bl - 8;
				}
			}
			return out->cd && out->cms && out->cms_len ? 0 : -1;
		}
		if (size < 8)
			return -1;
		off += size;
	}
	return -1;
}

/* Up to max signatures of a thin or fat file; returns the count. */
static int tc_sigs(const unsigned char *b, size_t n, tc_sig *out, int max)
{
	if (n >= 8 && tc_be32(b) == 0xcafebabe) {
		int k = 0;
		uint32_t nf = tc_be32(b + 4);
		for (uint32_t i = 0; i < nf && 8 + 20 * (i + 1) <= n && k < max; i++) {
			size_t o = tc_be32(b + 8 + 20 * i + 8), s = tc_be32(b + 8 + 20 * i + 12);
			if (o + s <= n && tc_slice(b + o, s, &out[k]) == 0)
				k++;
		}
		return k;
	}
	return tc_slice(b, n, &out[0]) == 0 ? 1 : 0;
}

/* Run testdata/cms/make_fixtures.sh into a fresh temp dir; NULL if openssl is absent. */
static const char *tc_gen(char *dir, size_t n)
{
	char script[1024], cmd[2048];
	if (system("command -v openssl >/dev/null 2>&1") != 0)
		return NULL;
	snprintf(dir, n, "/tmp/csig-cms-XXXXXX");
	if (!mkdtemp(dir))
		return NULL;
	tu_testdata("cms/make_fixtures.sh", script, sizeof(script));
	snprintf(cmd, sizeof(cmd), "sh '%s' '%s' >/dev/null 2>&1", script, dir);
	return system(cmd) == 0 ? dir : NULL;
}

static void tc_rmdir(const char *dir)
{
	char cmd[1100];
	if (dir && strncmp(dir, "/tmp/csig-cms-", 14) == 0) {
		snprintf(cmd, sizeof(cmd), "rm -rf '%s'", dir);
		if (system(cmd) != 0)
			return;
	}
}

static unsigned char *tc_read(const char *dir, const char *name, size_t *len)
{
	char p[1200];
	snprintf(p, sizeof(p), "%s/%s", dir, name);
	return tu_read_file(p, len);
}

#endif
