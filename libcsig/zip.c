/*
 * zip.c - zip archives read from memory (see csig/zip.h).
 *
 * Layout facts used here (PKWARE APPNOTE 6.3.x, sections 4.3 and 4.5):
 *   local header  "PK\3\4" 30 bytes + name + extra, then data, then an
 *                 optional data descriptor (flag bit 3)
 *   central entry "PK\1\2" 46 bytes + name + extra + comment
 *   zip64 record  "PK\6\6", its locator "PK\6\7" 20 bytes before the EOCD
 *   EOCD          "PK\5\6" 22 bytes + comment (<= 65535 bytes)
 * Every read goes through rd.h windows: the central directory is read inside
 * [0, start of the end records), local headers and data inside [0, start of
 * the central directory), so nothing an entry claims can reach the
 * directory or past the archive.
 */
#include <stdlib.h>
#include <string.h>
#include "csig/zip.h"
#include "inflate.h"
#include "rd.h"
#include "util.h"

#define SIG_LOCAL 0x04034b50u
#define SIG_CENTRAL 0x02014b50u
#define SIG_EOCD 0x06054b50u
#define SIG_Z64_EOCD 0x06064b50u
#define SIG_Z64_LOC 0x07064b50u
#define SIG_DESCRIPTOR 0x08074b50u
#define EOCD_LEN 22u
#define CENTRAL_LEN 46u
#define LOCAL_LEN 30u
#define Z64_EOCD_LEN 56u
#define Z64_LOC_LEN 20u
#define MAX_COMMENT 65535u
#define FLAG_ENCRYPTED 0x0001u
#define FLAG_DESCRIPTOR 0x0008u

struct zent {
	const uint8_t *name;
	size_t name_len;
	uint64_t csize, usize, lho, data_off, data_end;
	uint32_t crc, ext_attr;
	uint16_t method, flags, made_by;
	unsigned susp;
	size_t index;
};

struct csig_zip {
	uint8_t *copy;              /* CSIG_OPEN_COPY */
	const uint8_t *buf;
	size_t len;
	uint64_t cd_off;            /* local records live in [0, cd_off) */
	size_t n;
	struct zent *e;
	const struct zent **sorted; /* by (name, index), for csig_zip_find */
	uint64_t max_entry_size;
	unsigned max_ratio;
};

/* A printable, bounded rendering of an entry name for messages. */
static const char *show(const struct zent *e, char *buf, size_t cap)
{
	size_t o = 0;
	for (size_t i = 0; i < e->name_len && o + 4 < cap; i++) {
		uint8_t c = e->name[i];
		buf[o++] = (c >= 0x20 && c < 0x7f) ? (char)c : '?';
	}
	if (e->name_len > 0 && o + 4 >= cap) {
		buf[o++] = '.';
		buf[o++] = '.';
		buf[o++] = '.';
	}
	buf[o] = 0;
	return buf;
}

#define NAMEBUF 64

/* ---- end records ------------------------------------------------------ */

struct ends {
	uint64_t count, cd_size, cd_off;
	uint64_t records_start; /* first byte of the zip64 record or EOCD */
};

static int find_eocd(const csig_rd *r, uint64_t *pos, csig_error *err)
{
	static const uint8_t sig[4] = { 'P', 'K', 5, 6 };
	if (r->len < EOCD_LEN)
		return CSIG_FAIL(err, CSIG_E_BADMAGIC, 0,
				 "zip: %zu bytes is too short for an End of Central "
				 "Directory record (22)", r->len);
	uint64_t hi = r->len - EOCD_LEN;
	uint64_t lo = hi > MAX_COMMENT ? hi - MAX_COMMENT : 0;
	for (uint64_t p = hi + 1; p-- > lo;) {
		if (rd_match(r, p, sig, 4) != 0)
			continue;
		csig_rd t;
		uint16_t clen;
		if (rd_sub(r, p + 20, 2, &t, "EOCD") || rd_u16le(&t, &clen))
			continue;
		/* the comment must fit in the file */
		if ((uint64_t)clen <= r->len - p - EOCD_LEN) {
			*pos = p;
			return CSIG_OK;
		}
	}
	return CSIG_FAIL(err, CSIG_E_BADMAGIC, 0,
			 "zip: no End of Central Directory record in the last %llu bytes",
			 (unsigned long long)(r->len - lo));
}

static int read_zip64(const csig_rd *r, uint64_t eocd_pos, struct ends *x,
		      csig_error *err)
{
	csig_rd t;
	uint32_t sig, disk, ndisks, rdisk, cd_disk;
	uint64_t rec_off, rec_size, n_disk;
	uint16_t u16;
	int e = rd_sub(r, eocd_pos - Z64_LOC_LEN, Z64_LOC_LEN, &t, "zip64 locator");
	if (!e && !(e = rd_u32le(&t, &sig)) && !(e = rd_u32le(&t, &disk)) &&
	    !(e = rd_u64le(&t, &rec_off)))
		e = rd_u32le(&t, &ndisks);
	if (e)
		return e;
	if (disk != 0 || ndisks > 1)
		return CSIG_FAIL(err, CSIG_E_UNSUPPORTED, t.base,
				 "zip: multi-disk archive (zip64 locator: disk %u of %u)",
				 disk, ndisks);
	if (rec_off > eocd_pos - Z64_LOC_LEN ||
	    Z64_EOCD_LEN > eocd_pos - Z64_LOC_LEN - rec_off)
		return CSIG_FAIL(err, CSIG_E_BADOFFSET, t.base + 8,
				 "zip: zip64 record offset 0x%llx + 56 is past its "
				 "locator at 0x%llx", (unsigned long long)rec_off,
				 (unsigned long long)(eocd_pos - Z64_LOC_LEN));
	if ((e = rd_sub(r, rec_off, Z64_EOCD_LEN, &t, "zip64 end record")) != 0)
		return e;
	if ((e = rd_u32le(&t, &sig)) != 0)
		return e;
	if (sig != SIG_Z64_EOCD)
		return CSIG_FAIL(err, CSIG_E_BADMAGIC, t.base,
				 "zip: zip64 end record at 0x%llx has signature 0x%08x",
				 (unsigned long long)t.base, sig);
	if ((e = rd_u64le(&t, &rec_size)) || (e = rd_u16le(&t, &u16)) ||
	    (e = rd_u16le(&t, &u16)) || (e = rd_u32le(&t, &rdisk)) ||
	    (e = rd_u32le(&t, &cd_disk)) || (e = rd_u64le(&t, &n_disk)) ||
	    (e = rd_u64le(&t, &x->count)) || (e = rd_u64le(&t, &x->cd_size)) ||
	    (e = rd_u64le(&t, &x->cd_off)))
		return e;
	if (rdisk != 0 || cd_disk != 0 || n_disk != x->count)
		return CSIG_FAIL(err, CSIG_E_UNSUPPORTED, t.base + 16,
				 "zip: multi-disk archive (zip64 record: disk %u, "
				 "directory on disk %u, %llu of %llu entries here)", rdisk,
				 cd_disk, (unsigned long long)n_disk,
				 (unsigned long long)x->count);
	x->records_start = rec_off;
	return CSIG_OK;
}

static int read_ends(const csig_rd *r, struct ends *x, csig_error *err)
{
	uint64_t pos = 0;
	int e = find_eocd(r, &pos, err);
	if (e)
		return e;
	csig_rd t;
	uint32_t sig, cd_size, cd_off;
	uint16_t disk, cd_disk, n_disk, n_total;
	if ((e = rd_sub(r, pos, EOCD_LEN, &t, "EOCD")) || (e = rd_u32le(&t, &sig)) ||
	    (e = rd_u16le(&t, &disk)) || (e = rd_u16le(&t, &cd_disk)) ||
	    (e = rd_u16le(&t, &n_disk)) || (e = rd_u16le(&t, &n_total)) ||
	    (e = rd_u32le(&t, &cd_size)) || (e = rd_u32le(&t, &cd_off)))
		return e;
	static const uint8_t loc[4] = { 'P', 'K', 6, 7 };
	if (pos >= Z64_LOC_LEN && rd_match(r, pos - Z64_LOC_LEN, loc, 4) == 0)
		return read_zip64(r, pos, x, err);
	if (disk != 0 || cd_disk != 0 || n_disk != n_total)
		return CSIG_FAIL(err, CSIG_E_UNSUPPORTED, pos + 4,
				 "zip: multi-disk archive (disk %u, directory on disk %u, "
				 "%u of %u entries here)", disk, cd_disk, n_disk, n_total);
	x->count = n_total;
	x->cd_size = cd_size;
	x->cd_off = cd_off;
	x->records_start = pos;
	return CSIG_OK;
}

/* ---- central directory -------------------------------------------------- */

/*
 * Zip64 extended information (header 0x0001): the 8-byte values present are
 * exactly those whose 32-bit field is 0xFFFFFFFF, in the order uncompressed
 * size, compressed size, local header offset (APPNOTE 4.5.3).
 */
static int zip64_fields(const csig_rd *extra_in, uint64_t abs, uint64_t *vals[],
			int nvals, const char *what, size_t index, csig_error *err)
{
	csig_rd ex = *extra_in, *extra = &ex;
	int want = 0;
	ex.err = NULL; /* a malformed block is skipped, not an error */
	for (int i = 0; i < nvals; i++)
		if (vals[i] && *vals[i] == 0xFFFFFFFFu)
			want++;
	if (!want)
		return CSIG_OK;
	while (rd_left(extra) >= 4) {
		uint16_t id, size;
		csig_rd f;
		if (rd_u16le(extra, &id) || rd_u16le(extra, &size))
			break;
		if (rd_take(extra, size, &f, "zip64 extra"))
			break; /* a malformed extra block ends the search */
		if (id != 0x0001)
			continue;
		for (int i = 0; i < nvals; i++) {
			if (!vals[i] || *vals[i] != 0xFFFFFFFFu)
				continue;
			if (rd_u64le(&f, vals[i]))
				return CSIG_FAIL(err, CSIG_E_BADVALUE, f.base,
						 "zip: %s of entry %zu: zip64 extra field of "
						 "%u bytes lacks field %d", what, index, size, i);
		}
		return CSIG_OK;
	}
	return CSIG_FAIL(err, CSIG_E_BADVALUE, abs,
			 "zip: %s of entry %zu has 0xffffffff sizes but no zip64 "
			 "extra field", what, index);
}

static int read_central(csig_rd *cd, struct zent *z, size_t index, csig_error *err)
{
	uint32_t sig, crc, csize, usize, ext, lho;
	uint16_t made, need, flags, method, tm, dt, nlen, xlen, clen, disk, iattr;
	uint64_t at = rd_abs(cd);
	int e;
	if ((e = rd_u32le(cd, &sig)) != 0)
		return e;
	if (sig != SIG_CENTRAL)
		return CSIG_FAIL(err, CSIG_E_BADMAGIC, at,
				 "zip: central directory entry %zu at 0x%llx has signature "
				 "0x%08x", index, (unsigned long long)at, sig);
	if ((e = rd_u16le(cd, &made)) || (e = rd_u16le(cd, &need)) ||
	    (e = rd_u16le(cd, &flags)) || (e = rd_u16le(cd, &method)) ||
	    (e = rd_u16le(cd, &tm)) || (e = rd_u16le(cd, &dt)) ||
	    (e = rd_u32le(cd, &crc)) || (e = rd_u32le(cd, &csize)) ||
	    (e = rd_u32le(cd, &usize)) || (e = rd_u16le(cd, &nlen)) ||
	    (e = rd_u16le(cd, &xlen)) || (e = rd_u16le(cd, &clen)) ||
	    (e = rd_u16le(cd, &disk)) || (e = rd_u16le(cd, &iattr)) ||
	    (e = rd_u32le(cd, &ext)) || (e = rd_u32le(cd, &lho)))
		return e;
	csig_rd extra;
	if ((e = rd_bytes(cd, nlen, &z->name)) || (e = rd_take(cd, xlen, &extra, "extra field")) ||
	    (e = rd_skip(cd, clen)))
		return e;
	z->name_len = nlen;
	z->made_by = made;
	z->flags = flags;
	z->method = method;
	z->crc = crc;
	z->usize = usize;
	z->csize = csize;
	z->lho = lho;
	z->ext_attr = ext;
	z->index = index;
	uint64_t *vals[3] = { &z->usize, &z->csize, &z->lho };
	if ((e = zip64_fields(&extra, at, vals, 3, "central entry", index, err)) != 0)
		return e;
	if (disk != 0)
		return CSIG_FAIL(err, CSIG_E_UNSUPPORTED, at + 34,
				 "zip: entry %zu starts on disk %u (multi-disk)", index, disk);
	return CSIG_OK;
}

/* Fixed part of the local header: where the data starts and ends. */
static int locate_data(const csig_rd *pre, struct zent *z, csig_error *err)
{
	csig_rd t, quiet = *pre;
	uint32_t sig;
	uint16_t nlen, xlen;
	quiet.err = NULL;
	int e = rd_sub(&quiet, z->lho, LOCAL_LEN, &t, "local header");
	if (e)
		return CSIG_FAIL(err, e, z->lho <= pre->len ? z->lho : pre->len,
				 "zip: local header of entry %zu at 0x%llx + 30 is outside "
				 "the 0x%zx bytes before the central directory", z->index,
				 (unsigned long long)z->lho, pre->len);
	t.err = err;
	if ((e = rd_u32le(&t, &sig)) != 0)
		return e;
	if (sig != SIG_LOCAL)
		return CSIG_FAIL(err, CSIG_E_BADMAGIC, t.base,
				 "zip: local header of entry %zu at 0x%llx has signature "
				 "0x%08x", z->index, (unsigned long long)t.base, sig);
	if ((e = rd_skip(&t, 22)) || (e = rd_u16le(&t, &nlen)) || (e = rd_u16le(&t, &xlen)))
		return e;
	uint64_t start = z->lho + LOCAL_LEN + nlen + xlen, end;
	if (csig_add_overflow(start, z->csize, &end))
		return CSIG_FAIL(err, CSIG_E_OVERFLOW, z->lho,
				 "zip: data of entry %zu: 0x%llx + 0x%llx overflows",
				 z->index, (unsigned long long)start,
				 (unsigned long long)z->csize);
	if (end > pre->len)
		return CSIG_FAIL(err, CSIG_E_BADOFFSET, z->lho,
				 "zip: data of entry %zu [0x%llx, 0x%llx) runs past the "
				 "central directory at 0x%zx", z->index,
				 (unsigned long long)start, (unsigned long long)end, pre->len);
	z->data_off = start;
	z->data_end = end;
	return CSIG_OK;
}

static unsigned name_flags(const struct zent *z)
{
	unsigned s = 0;
	size_t n = z->name_len, seg = 0;
	if (n == 0)
		return CSIG_ZIP_NAME_EMPTY;
	uint8_t c0 = z->name[0];
	if (c0 == '/' || c0 == '\\' ||
	    (n >= 2 && z->name[1] == ':' &&
	     ((c0 >= 'A' && c0 <= 'Z') || (c0 >= 'a' && c0 <= 'z'))))
		s |= CSIG_ZIP_NAME_ABSOLUTE;
	for (size_t i = 0; i <= n; i++) {
		uint8_t c = i < n ? z->name[i] : '/';
		if (c == 0)
			s |= CSIG_ZIP_NAME_NUL;
		if (c == '\\')
			s |= CSIG_ZIP_NAME_BACKSLASH;
		if (c == '/' || c == '\\') {
			if (i - seg == 2 && z->name[seg] == '.' && z->name[seg + 1] == '.')
				s |= CSIG_ZIP_NAME_DOTDOT;
			seg = i + 1;
		}
	}
	return s;
}

static int cmp_name(const void *a, const void *b)
{
	const struct zent *x = *(const struct zent *const *)a;
	const struct zent *y = *(const struct zent *const *)b;
	size_t n = x->name_len < y->name_len ? x->name_len : y->name_len;
	int c = n ? memcmp(x->name, y->name, n) : 0;
	if (c)
		return c;
	if (x->name_len != y->name_len)
		return x->name_len < y->name_len ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

static int cmp_start(const void *a, const void *b)
{
	const struct zent *x = *(const struct zent *const *)a;
	const struct zent *y = *(const struct zent *const *)b;
	if (x->lho != y->lho)
		return x->lho < y->lho ? -1 : 1;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* Two entries sharing bytes of local header or data: a zip bomb's shape. */
static int check_overlap(csig_zip *z, csig_error *err)
{
	if (z->n < 2)
		return CSIG_OK;
	qsort(z->sorted, z->n, sizeof(*z->sorted), cmp_start);
	const struct zent *prev = z->sorted[0];
	for (size_t i = 1; i < z->n; i++) {
		const struct zent *c = z->sorted[i];
		if (c->lho < prev->data_end)
			return CSIG_FAIL(err, CSIG_E_BADVALUE, c->lho,
					 "zip: entries %zu and %zu overlap: [0x%llx, 0x%llx) "
					 "and [0x%llx, 0x%llx)", prev->index, c->index,
					 (unsigned long long)prev->lho,
					 (unsigned long long)prev->data_end,
					 (unsigned long long)c->lho,
					 (unsigned long long)c->data_end);
		if (c->data_end > prev->data_end)
			prev = c;
	}
	return CSIG_OK;
}

static int parse(csig_zip *z, const csig_open_options *opts, csig_error *err)
{
	csig_rd r, cd, pre;
	struct ends x;
	rd_init(&r, z->buf, z->len, 0, "zip", err);
	int e = read_ends(&r, &x, err);
	if (e)
		return e;
	unsigned max_count = CSIG_LIMIT_COUNT_DEFAULT;
	if (opts && opts->max_count && opts->max_count < max_count)
		max_count = opts->max_count;
	csig_rd before;
	if ((e = rd_sub(&r, 0, x.records_start, &before, "zip")) != 0)
		return e;
	if (!csig_range_ok(x.cd_off, x.cd_size, x.records_start))
		return CSIG_FAIL(err, CSIG_E_BADOFFSET, x.records_start,
				 "zip: central directory [0x%llx + 0x%llx] is outside the "
				 "0x%llx bytes before the end record",
				 (unsigned long long)x.cd_off, (unsigned long long)x.cd_size,
				 (unsigned long long)x.records_start);
	if ((e = rd_sub(&before, x.cd_off, x.cd_size, &cd, "central directory")) ||
	    (e = rd_sub(&r, 0, x.cd_off, &pre, "zip data")))
		return e;
	if (x.count > max_count)
		return CSIG_FAIL(err, CSIG_E_LIMIT, x.records_start,
				 "zip: %llu entries exceed max_count %u",
				 (unsigned long long)x.count, max_count);
	if (x.count > x.cd_size / CENTRAL_LEN)
		return CSIG_FAIL(err, CSIG_E_BADVALUE, x.records_start,
				 "zip: %llu entries cannot fit a central directory of "
				 "%llu bytes", (unsigned long long)x.count,
				 (unsigned long long)x.cd_size);
	z->n = (size_t)x.count;
	z->cd_off = x.cd_off;
	z->e = csig__calloc_n(z->n ? z->n : 1, sizeof(*z->e));
	z->sorted = csig__calloc_n(z->n ? z->n : 1, sizeof(*z->sorted));
	if (!z->e || !z->sorted)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "zip: out of memory for %zu entries",
				 z->n);
	for (size_t i = 0; i < z->n; i++) {
		if ((e = read_central(&cd, &z->e[i], i, err)) != 0)
			return e;
		if ((e = locate_data(&pre, &z->e[i], err)) != 0)
			return e;
		z->e[i].susp = name_flags(&z->e[i]);
		z->sorted[i] = &z->e[i];
	}
	if ((e = check_overlap(z, err)) != 0)
		return e;
	qsort(z->sorted, z->n, sizeof(*z->sorted), cmp_name);
	for (size_t i = 1; i < z->n; i++) {
		const struct zent *a = z->sorted[i - 1], *b = z->sorted[i];
		if (a->name_len == b->name_len &&
		    (!a->name_len || memcmp(a->name, b->name, a->name_len) == 0))
			z->e[b->index].susp |= CSIG_ZIP_NAME_DUPLICATE;
	}
	return CSIG_OK;
}

int csig_zip_open_ex(csig_zip **out, const void *buf, size_t len,
		     const csig_open_options *opts, const csig_zip_options *zopts,
		     csig_error *err)
{
	if (out)
		*out = NULL;
	csig__error_clear(err);
	if (!out || (!buf && len))
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "zip: NULL argument");
	if (opts && opts->version != CSIG_OPEN_OPTIONS_VERSION)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "zip: unknown options version %u",
				 opts->version);
	if (zopts && zopts->version != CSIG_ZIP_OPTIONS_VERSION)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0,
				 "zip: unknown zip options version %u", zopts->version);
	csig_zip *z = csig__calloc_n(1, sizeof(*z));
	if (!z)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "zip: out of memory");
	z->max_entry_size = CSIG_ZIP_MAX_ENTRY_SIZE_DEFAULT;
	z->max_ratio = CSIG_ZIP_MAX_RATIO_DEFAULT;
	if (zopts && zopts->max_entry_size && zopts->max_entry_size < z->max_entry_size)
		z->max_entry_size = zopts->max_entry_size;
	if (zopts && zopts->max_ratio && zopts->max_ratio < z->max_ratio)
		z->max_ratio = zopts->max_ratio;
	z->buf = buf;
	z->len = len;
	if (opts && (opts->flags & CSIG_OPEN_COPY)) {
		z->copy = csig__malloc(len);
		if (!z->copy) {
			csig_zip_free(z);
			return CSIG_FAIL(err, CSIG_E_NOMEM, 0,
					 "zip: out of memory copying %zu bytes", len);
		}
		if (len)
			memcpy(z->copy, buf, len);
		z->buf = z->copy;
	}
	int e = parse(z, opts, err);
	if (e) {
		csig_zip_free(z);
		return e;
	}
	*out = z;
	return CSIG_OK;
}

int csig_zip_open(csig_zip **out, const void *buf, size_t len,
		  const csig_open_options *opts, csig_error *err)
{
	return csig_zip_open_ex(out, buf, len, opts, NULL, err);
}

void csig_zip_free(csig_zip *z)
{
	if (!z)
		return;
	csig__free(z->sorted);
	csig__free(z->e);
	csig__free(z->copy);
	csig__free(z);
}

/* ---- getters ------------------------------------------------------------- */

static const struct zent *ent(const csig_zip *z, size_t i)
{
	return z && i < z->n ? &z->e[i] : NULL;
}

static int unix_host(const struct zent *e)
{
	unsigned host = e->made_by >> 8;
	return host == 3 || host == 19;
}

size_t csig_zip_count(const csig_zip *z) { return z ? z->n : 0; }

csig_bytes csig_zip_entry_name(const csig_zip *z, size_t i)
{
	const struct zent *e = ent(z, i);
	csig_bytes b = { NULL, 0 };
	if (e) {
		b.ptr = e->name;
		b.len = e->name_len;
	}
	return b;
}

uint64_t csig_zip_entry_size(const csig_zip *z, size_t i)
{
	const struct zent *e = ent(z, i);
	return e ? e->usize : 0;
}

uint64_t csig_zip_entry_compressed_size(const csig_zip *z, size_t i)
{
	const struct zent *e = ent(z, i);
	return e ? e->csize : 0;
}

unsigned csig_zip_entry_method(const csig_zip *z, size_t i)
{
	const struct zent *e = ent(z, i);
	return e ? e->method : 0;
}

unsigned csig_zip_entry_flags(const csig_zip *z, size_t i)
{
	const struct zent *e = ent(z, i);
	return e ? e->flags : 0;
}

uint32_t csig_zip_entry_crc32(const csig_zip *z, size_t i)
{
	const struct zent *e = ent(z, i);
	return e ? e->crc : 0;
}

uint64_t csig_zip_entry_offset(const csig_zip *z, size_t i)
{
	const struct zent *e = ent(z, i);
	return e ? e->lho : 0;
}

uint32_t csig_zip_entry_mode(const csig_zip *z, size_t i)
{
	const struct zent *e = ent(z, i);
	return e && unix_host(e) ? e->ext_attr >> 16 : 0;
}

int csig_zip_entry_is_dir(const csig_zip *z, size_t i)
{
	const struct zent *e = ent(z, i);
	if (!e)
		return 0;
	if (e->name_len && e->name[e->name_len - 1] == '/')
		return 1;
	if (unix_host(e))
		return ((e->ext_attr >> 16) & 0170000u) == 0040000u;
	return (e->ext_attr & 0x10u) != 0;
}

int csig_zip_entry_is_symlink(const csig_zip *z, size_t i)
{
	const struct zent *e = ent(z, i);
	return e && unix_host(e) && ((e->ext_attr >> 16) & 0170000u) == 0120000u;
}

int csig_zip_entry_is_encrypted(const csig_zip *z, size_t i)
{
	const struct zent *e = ent(z, i);
	return e && (e->flags & FLAG_ENCRYPTED);
}

unsigned csig_zip_entry_suspicious(const csig_zip *z, size_t i)
{
	const struct zent *e = ent(z, i);
	return e ? e->susp : 0;
}

int csig_zip_find(const csig_zip *z, const char *name, size_t len, size_t *index)
{
	if (!z || !index || (!name && len))
		return CSIG_E_INVAL;
	size_t lo = 0, hi = z->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		const struct zent *e = z->sorted[mid];
		size_t n = e->name_len < len ? e->name_len : len;
		int c = n ? memcmp(e->name, name, n) : 0;
		if (!c && e->name_len != len)
			c = e->name_len < len ? -1 : 1;
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (lo < z->n && z->sorted[lo]->name_len == len &&
	    (!len || memcmp(z->sorted[lo]->name, name, len) == 0)) {
		*index = z->sorted[lo]->index;
		return CSIG_OK;
	}
	return CSIG_E_NOTFOUND;
}

/* ---- extraction ------------------------------------------------------- */

static const char *method_name(unsigned m)
{
	switch (m) {
	case 1: return "shrink";
	case 6: return "implode";
	case 9: return "deflate64";
	case 12: return "bzip2";
	case 14: return "lzma";
	case 93: return "zstd";
	case 95: return "xz";
	case 98: return "ppmd";
	case 99: return "AES encryption";
	default: return "unknown";
	}
}

/* Local header vs central directory, then the data window. */
static int check_local(const csig_zip *z, const struct zent *c, csig_rd *data,
		       csig_error *err)
{
	csig_rd pre, t, extra;
	char nb[NAMEBUF];
	uint32_t sig, crc, csize32, usize32;
	uint16_t need, flags, method, tm, dt, nlen, xlen;
	const uint8_t *name;
	rd_init(&pre, z->buf, (size_t)z->cd_off, 0, "zip data", err);
	int e = rd_tail(&pre, c->lho, &t, "local header");
	if (e || (e = rd_u32le(&t, &sig)))
		return e;
	if (sig != SIG_LOCAL)
		return CSIG_FAIL(err, CSIG_E_BADMAGIC, c->lho,
				 "zip: local header of entry %zu has signature 0x%08x",
				 c->index, sig);
	if ((e = rd_u16le(&t, &need)) || (e = rd_u16le(&t, &flags)) ||
	    (e = rd_u16le(&t, &method)) || (e = rd_u16le(&t, &tm)) ||
	    (e = rd_u16le(&t, &dt)) || (e = rd_u32le(&t, &crc)) ||
	    (e = rd_u32le(&t, &csize32)) || (e = rd_u32le(&t, &usize32)) ||
	    (e = rd_u16le(&t, &nlen)) || (e = rd_u16le(&t, &xlen)) ||
	    (e = rd_bytes(&t, nlen, &name)) || (e = rd_take(&t, xlen, &extra, "local extra")))
		return e;
	if (nlen != c->name_len || (nlen && memcmp(name, c->name, nlen) != 0))
		return CSIG_FAIL(err, CSIG_E_BADVALUE, c->lho + LOCAL_LEN,
				 "zip: local header of entry %zu (%s) names a different "
				 "file (%u bytes)", c->index, show(c, nb, sizeof(nb)), nlen);
	if (method != c->method)
		return CSIG_FAIL(err, CSIG_E_BADVALUE, c->lho + 8,
				 "zip: local header of entry %zu (%s) says method %u, "
				 "central directory %u", c->index, show(c, nb, sizeof(nb)),
				 method, c->method);
	if (flags & FLAG_ENCRYPTED)
		return CSIG_FAIL(err, CSIG_E_UNSUPPORTED, c->lho + 6,
				 "zip: entry %zu (%s) is encrypted (local header)",
				 c->index, show(c, nb, sizeof(nb)));
	if (!(flags & FLAG_DESCRIPTOR)) {
		uint64_t lu = usize32, lc = csize32;
		uint64_t *vals[2] = { &lu, &lc };
		if ((e = zip64_fields(&extra, c->lho, vals, 2, "local header", c->index, err)))
			return e;
		if (crc != c->crc || lu != c->usize || lc != c->csize)
			return CSIG_FAIL(err, CSIG_E_BADVALUE, c->lho + 14,
					 "zip: local header of entry %zu (%s) disagrees with "
					 "the central directory: crc 0x%08x/0x%08x, sizes "
					 "%llu/%llu and %llu/%llu", c->index,
					 show(c, nb, sizeof(nb)), crc, c->crc,
					 (unsigned long long)lu, (unsigned long long)c->usize,
					 (unsigned long long)lc, (unsigned long long)c->csize);
	}
	if ((e = rd_sub(&pre, c->data_off, c->csize, data, "entry data")) != 0)
		return e;
	if (!(flags & FLAG_DESCRIPTOR))
		return CSIG_OK;

	/* data descriptor: [sig] crc, then 4- or 8-byte sizes (zip64) */
	csig_rd d;
	rd_init(&d, z->buf, z->len, 0, "data descriptor", NULL);
	uint32_t v = 0;
	if (rd_seek(&d, c->data_end) || rd_u32le(&d, &v) ||
	    (v == SIG_DESCRIPTOR && v != c->crc && rd_u32le(&d, &v)) ||
	    rd_left(&d) < 8)
		return CSIG_FAIL(err, CSIG_E_TRUNCATED, c->data_end,
				 "zip: data descriptor of entry %zu at 0x%llx runs past "
				 "the end of the archive", c->index,
				 (unsigned long long)c->data_end);
	csig_rd d64 = d;
	uint32_t c32, u32;
	uint64_t c64, u64;
	if (v == c->crc && !rd_u32le(&d, &c32) && !rd_u32le(&d, &u32) &&
	    c32 == c->csize && u32 == c->usize)
		return CSIG_OK;
	if (v == c->crc && !rd_u64le(&d64, &c64) && !rd_u64le(&d64, &u64) &&
	    c64 == c->csize && u64 == c->usize)
		return CSIG_OK;
	return CSIG_FAIL(err, CSIG_E_BADVALUE, c->data_end,
			 "zip: data descriptor of entry %zu (%s) at 0x%llx disagrees "
			 "with the central directory (crc 0x%08x, %llu/%llu bytes)",
			 c->index, show(c, nb, sizeof(nb)),
			 (unsigned long long)c->data_end, c->crc,
			 (unsigned long long)c->csize, (unsigned long long)c->usize);
}

static int prepare(const csig_zip *z, size_t index, const struct zent **out,
		   csig_rd *data, csig_error *err)
{
	const struct zent *c = ent(z, index);
	char nb[NAMEBUF];
	if (!c)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "zip: entry index %zu out of range "
				 "(%zu entries)", index, z ? z->n : 0);
	if (c->flags & FLAG_ENCRYPTED)
		return CSIG_FAIL(err, CSIG_E_UNSUPPORTED, c->lho,
				 "zip: entry %zu (%s) is encrypted", c->index,
				 show(c, nb, sizeof(nb)));
	if (c->method != CSIG_ZIP_STORED && c->method != CSIG_ZIP_DEFLATED)
		return CSIG_FAIL(err, CSIG_E_UNSUPPORTED, c->lho,
				 "zip: entry %zu (%s) uses compression method %u (%s)",
				 c->index, show(c, nb, sizeof(nb)), c->method,
				 method_name(c->method));
	if (c->usize > z->max_entry_size || c->usize > SIZE_MAX - 1)
		return CSIG_FAIL(err, CSIG_E_LIMIT, c->lho,
				 "zip: entry %zu (%s) declares %llu bytes, above "
				 "max_entry_size %llu", c->index, show(c, nb, sizeof(nb)),
				 (unsigned long long)c->usize,
				 (unsigned long long)z->max_entry_size);
	uint64_t cap;
	if (c->usize > CSIG_ZIP_RATIO_FLOOR &&
	    (csig_mul_overflow(c->csize, z->max_ratio, &cap) == 0 && c->usize > cap))
		return CSIG_FAIL(err, CSIG_E_LIMIT, c->lho,
				 "zip: entry %zu (%s) expands %llu bytes to %llu, above "
				 "max_ratio %u:1", c->index, show(c, nb, sizeof(nb)),
				 (unsigned long long)c->csize, (unsigned long long)c->usize,
				 z->max_ratio);
	if (c->method == CSIG_ZIP_STORED && c->csize != c->usize)
		return CSIG_FAIL(err, CSIG_E_BADVALUE, c->lho,
				 "zip: stored entry %zu (%s) has compressed size %llu but "
				 "size %llu", c->index, show(c, nb, sizeof(nb)),
				 (unsigned long long)c->csize, (unsigned long long)c->usize);
	*out = c;
	return check_local(z, c, data, err);
}

static int crc_check(const struct zent *c, const uint8_t *p, size_t n, csig_error *err)
{
	uint32_t got = csig__crc32(0, p, n);
	char nb[NAMEBUF];
	if (got == c->crc)
		return CSIG_OK;
	return CSIG_FAIL(err, CSIG_E_BADVALUE, c->data_off,
			 "zip: CRC-32 of entry %zu (%s) is 0x%08x, declared 0x%08x",
			 c->index, show(c, nb, sizeof(nb)), got, c->crc);
}

int csig_zip_extract(const csig_zip *z, size_t index, uint8_t **out, size_t *len,
		     csig_error *err)
{
	if (out)
		*out = NULL;
	if (len)
		*len = 0;
	csig__error_clear(err);
	if (!z || !out || !len)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "zip: NULL argument");
	const struct zent *c;
	csig_rd data;
	int e = prepare(z, index, &c, &data, err);
	if (e)
		return e;
	size_t n = (size_t)c->usize;
	uint8_t *buf = csig__malloc(n ? n : 1);
	if (!buf)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0,
				 "zip: out of memory for %zu bytes of entry %zu", n, index);
	csig_bytes src = rd_view(&data);
	if (c->method == CSIG_ZIP_STORED) {
		if (n)
			memcpy(buf, src.ptr, n);
	} else {
		e = csig__inflate(buf, n, src.ptr, src.len, c->data_off, err);
	}
	if (!e)
		e = crc_check(c, buf, n, err);
	if (e) {
		csig__free(buf);
		return e;
	}
	*out = buf;
	*len = n;
	return CSIG_OK;
}

int csig_zip_entry_view(const csig_zip *z, size_t index, csig_bytes *out,
			csig_error *err)
{
	if (out) {
		out->ptr = NULL;
		out->len = 0;
	}
	csig__error_clear(err);
	if (!z || !out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "zip: NULL argument");
	const struct zent *c = ent(z, index);
	char nb[NAMEBUF];
	if (c && c->method != CSIG_ZIP_STORED)
		return CSIG_FAIL(err, CSIG_E_UNSUPPORTED, c->lho,
				 "zip: entry %zu (%s) is compressed (method %u); no "
				 "zero-copy view", index, show(c, nb, sizeof(nb)), c->method);
	csig_rd data;
	int e = prepare(z, index, &c, &data, err);
	if (e)
		return e;
	csig_bytes v = rd_view(&data);
	if ((e = crc_check(c, v.ptr, v.len, err)) != 0)
		return e;
	*out = v;
	return CSIG_OK;
}
