/* rd.c - the bounds-checked reader (see rd.h). */
#include <string.h>
#include "rd.h"
#include "util.h"

static const char *what_of(const csig_rd *r)
{
	return r->what ? r->what : "input";
}

/* premature end: fewer than n bytes remain at the cursor */
static int short_read(const csig_rd *r, uint64_t n)
{
	return CSIG_FAIL(r->err, CSIG_E_TRUNCATED, rd_abs(r),
			 "%s: premature end at 0x%llx: need %llu bytes, %llu left",
			 what_of(r), (unsigned long long)rd_abs(r),
			 (unsigned long long)n, (unsigned long long)rd_left(r));
}

void rd_init(csig_rd *r, const void *p, size_t len, uint64_t base,
	     const char *what, csig_error *err)
{
	r->p = p;
	r->len = p ? len : 0;
	r->pos = 0;
	r->base = base;
	r->what = what;
	r->err = err;
}

static int need(const csig_rd *r, uint64_t n)
{
	return n <= rd_left(r) ? CSIG_OK : short_read(r, n);
}

int rd_u8(csig_rd *r, uint8_t *out)
{
	int e = need(r, 1);
	if (e)
		return e;
	*out = r->p[r->pos++];
	return CSIG_OK;
}

static uint64_t load_be(const uint8_t *b, size_t n)
{
	uint64_t v = 0;
	for (size_t i = 0; i < n; i++)
		v = (v << 8) | b[i];
	return v;
}

static uint64_t load_le(const uint8_t *b, size_t n)
{
	uint64_t v = 0;
	for (size_t i = n; i > 0; i--)
		v = (v << 8) | b[i - 1];
	return v;
}

static int load(csig_rd *r, size_t n, int big, uint64_t *out)
{
	int e = need(r, n);
	if (e)
		return e;
	*out = big ? load_be(r->p + r->pos, n) : load_le(r->p + r->pos, n);
	r->pos += n;
	return CSIG_OK;
}

int rd_u16le(csig_rd *r, uint16_t *out)
{
	uint64_t v;
	int e = load(r, 2, 0, &v);
	if (!e)
		*out = (uint16_t)v;
	return e;
}

int rd_u16be(csig_rd *r, uint16_t *out)
{
	uint64_t v;
	int e = load(r, 2, 1, &v);
	if (!e)
		*out = (uint16_t)v;
	return e;
}

int rd_u32e(csig_rd *r, int big, uint32_t *out)
{
	uint64_t v;
	int e = load(r, 4, big, &v);
	if (!e)
		*out = (uint32_t)v;
	return e;
}

int rd_u64e(csig_rd *r, int big, uint64_t *out) { return load(r, 8, big, out); }
int rd_u32le(csig_rd *r, uint32_t *out) { return rd_u32e(r, 0, out); }
int rd_u32be(csig_rd *r, uint32_t *out) { return rd_u32e(r, 1, out); }
int rd_u64le(csig_rd *r, uint64_t *out) { return load(r, 8, 0, out); }
int rd_u64be(csig_rd *r, uint64_t *out) { return load(r, 8, 1, out); }

int rd_at_u32e(const csig_rd *r, uint64_t off, int big, uint32_t *out)
{
	csig_rd t = *r;
	int e = rd_seek(&t, off);
	if (e)
		return e;
	return rd_u32e(&t, big, out);
}

int rd_at_u32be(const csig_rd *r, uint64_t off, uint32_t *out)
{
	return rd_at_u32e(r, off, 1, out);
}

int rd_bytes(csig_rd *r, size_t n, const uint8_t **out)
{
	int e = need(r, n);
	if (e)
		return e;
	*out = r->p + r->pos;
	r->pos += n;
	return CSIG_OK;
}

int rd_copy(csig_rd *r, void *dst, size_t n)
{
	const uint8_t *b;
	int e = rd_bytes(r, n, &b);
	if (!e && n)
		memcpy(dst, b, n);
	return e;
}

int rd_skip(csig_rd *r, size_t n)
{
	int e = need(r, n);
	if (!e)
		r->pos += n;
	return e;
}

int rd_seek(csig_rd *r, uint64_t pos)
{
	if (pos > r->len)
		return CSIG_FAIL(r->err, CSIG_E_BADOFFSET, r->base,
				 "%s: offset 0x%llx is past its end (length 0x%llx)",
				 what_of(r), (unsigned long long)pos,
				 (unsigned long long)r->len);
	r->pos = (size_t)pos;
	return CSIG_OK;
}

int rd_sub(const csig_rd *r, uint64_t off, uint64_t n, csig_rd *child,
	   const char *what)
{
	if (!csig_range_ok(off, n, r->len)) {
		uint64_t end;
		int wraps = csig_add_overflow(off, n, &end);
		return CSIG_FAIL(r->err, wraps ? CSIG_E_OVERFLOW : CSIG_E_BADOFFSET,
				 r->base + (off <= r->len ? off : r->len),
				 "%s: range 0x%llx+0x%llx exceeds %s length 0x%llx",
				 what ? what : "sub-range",
				 (unsigned long long)off, (unsigned long long)n,
				 what_of(r), (unsigned long long)r->len);
	}
	rd_init(child, r->p + off, (size_t)n, r->base + off,
		what ? what : r->what, r->err);
	return CSIG_OK;
}

int rd_take(csig_rd *r, uint64_t n, csig_rd *child, const char *what)
{
	int e = need(r, n);
	if (e)
		return e;
	e = rd_sub(r, r->pos, n, child, what);
	if (!e)
		r->pos += (size_t)n;
	return e;
}

int rd_tail(const csig_rd *r, uint64_t off, csig_rd *child, const char *what)
{
	if (off > r->len)
		return rd_sub(r, off, 0, child, what);
	return rd_sub(r, off, r->len - off, child, what);
}

int rd_cstr_at(const csig_rd *r, uint64_t off, size_t max, const char **s,
	       size_t *n)
{
	if (off >= r->len)
		return CSIG_FAIL(r->err, CSIG_E_BADOFFSET, r->base + r->len,
				 "%s: string offset 0x%llx is outside length 0x%llx",
				 what_of(r), (unsigned long long)off,
				 (unsigned long long)r->len);
	size_t avail = r->len - (size_t)off;
	size_t scan = avail < max ? avail : max;
	const uint8_t *start = r->p + off;
	const uint8_t *nul = memchr(start, 0, scan);
	if (!nul)
		return CSIG_FAIL(r->err, CSIG_E_BADVALUE, r->base + off,
				 "%s: string at 0x%llx has no NUL terminator within %zu bytes",
				 what_of(r), (unsigned long long)(r->base + off), scan);
	*s = (const char *)start;
	*n = (size_t)(nul - start);
	return CSIG_OK;
}

int rd_fixstr(csig_rd *r, size_t width, const char **s, size_t *n)
{
	const uint8_t *b;
	int e = rd_bytes(r, width, &b);
	if (e)
		return e;
	const uint8_t *nul = memchr(b, 0, width);
	*s = (const char *)b;
	*n = nul ? (size_t)(nul - b) : width;
	return CSIG_OK;
}

csig_bytes rd_view(const csig_rd *r)
{
	csig_bytes v = { r->p, r->len };
	return v;
}

int rd_view_at(const csig_rd *r, uint64_t off, uint64_t n, csig_bytes *out)
{
	csig_rd c = { NULL, 0, 0, 0, NULL, NULL };
	int e = rd_sub(r, off, n, &c, NULL);
	if (!e)
		*out = rd_view(&c);
	return e;
}

int rd_end(const csig_rd *r)
{
	if (r->pos == r->len)
		return CSIG_OK;
	return CSIG_FAIL(r->err, CSIG_E_TRAILING, rd_abs(r),
			 "%s: %llu unexpected trailing bytes at 0x%llx",
			 what_of(r), (unsigned long long)rd_left(r),
			 (unsigned long long)rd_abs(r));
}

int rd_match(const csig_rd *r, uint64_t off, const void *lit, size_t n)
{
	if (!csig_range_ok(off, n, r->len))
		return 1;
	return memcmp(r->p + off, lit, n) != 0;
}
