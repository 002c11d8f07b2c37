/*
 * vfs_zip.c - the members of a zip archive (.ipa) as a file source, over
 * csig/zip.h.  Directories are implied by member names as well as stored
 * as entries; symbolic links are entries with Unix S_IFLNK whose data is the
 * target.  Names that could escape the root ("..", absolute, NUL, empty
 * components) or that name one path twice make the archive unusable as a
 * bundle (CSIG_E_BADVALUE): what a verifier would check and what an
 * extractor would write must be the same.  Nothing is written to disk.
 * See vfs.h.
 */
#include <stdlib.h>
#include <string.h>
#include "vfs.h"
#include "util.h"
#include "csig/zip.h"

#define NO_ENTRY ((size_t)-1)

typedef struct znode {
	char *name;    /* normalised: no trailing '/' */
	size_t index;  /* zip entry, or NO_ENTRY for an implied directory */
	int kind;      /* csig__vfs_kind */
} znode;

typedef struct zip_impl {
	csig_zip *zip;
	csig__mapping map;
	znode *nodes;
	size_t n, cap;
} zip_impl;

static int add_node(zip_impl *z, const char *name, size_t len, size_t index,
		    int kind)
{
	if (z->n == z->cap) {
		size_t nc = z->cap ? z->cap * 2 : 64;
		uint64_t bytes;
		if (csig_mul_overflow(nc, sizeof(znode), &bytes) || bytes > SIZE_MAX)
			return CSIG_E_NOMEM;
		znode *nn = csig__realloc(z->nodes, (size_t)bytes);
		if (!nn)
			return CSIG_E_NOMEM;
		z->nodes = nn;
		z->cap = nc;
	}
	char *s = csig__strndup(name, len);
	if (!s)
		return CSIG_E_NOMEM;
	z->nodes[z->n].name = s;
	z->nodes[z->n].index = index;
	z->nodes[z->n].kind = kind;
	z->n++;
	return CSIG_OK;
}

static int cmp_node(const void *a, const void *b)
{
	const znode *x = a, *y = b;
	int c = strcmp(x->name, y->name);
	if (c)
		return c;
	/* explicit entries before implied directories */
	return (x->index == NO_ENTRY) - (y->index == NO_ENTRY);
}

static const znode *find(const zip_impl *z, const char *rel)
{
	size_t lo = 0, hi = z->n;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(z->nodes[mid].name, rel);
		if (c == 0)
			return &z->nodes[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

static int zip_stat(const csig__vfs *v, const char *rel, csig__vfs_stat *st,
		    csig_error *err)
{
	const zip_impl *z = v->impl;
	memset(st, 0, sizeof(*st));
	int e = csig__vfs_check_name(rel, err);
	if (e)
		return e;
	if (!*rel) {
		st->kind = CSIG__VFS_DIR;
		return CSIG_OK;
	}
	const znode *nd = find(z, rel);
	if (!nd)
		return CSIG_OK;
	st->kind = nd->kind;
	if (nd->kind == CSIG__VFS_FILE)
		st->size = csig_zip_entry_size(z->zip, nd->index);
	return CSIG_OK;
}

static int zip_read(const csig__vfs *v, const char *rel, uint64_t max,
		    csig__vfs_data *out, csig_error *err)
{
	const zip_impl *z = v->impl;
	memset(out, 0, sizeof(*out));
	int e = csig__vfs_check_name(rel, err);
	if (e)
		return e;
	const znode *nd = find(z, rel);
	if (!nd || nd->kind != CSIG__VFS_FILE)
		return CSIG_FAIL(err, CSIG_E_NOTFOUND, 0,
				 "archive member %.200s is not a regular file", rel);
	if (csig_zip_entry_size(z->zip, nd->index) > max)
		return CSIG_FAIL(err, CSIG_E_LIMIT, csig_zip_entry_offset(z->zip, nd->index),
				 "archive member %.200s declares %llu bytes, more than %llu",
				 rel, (unsigned long long)csig_zip_entry_size(z->zip, nd->index),
				 (unsigned long long)max);
	uint8_t *buf;
	size_t len;
	e = csig_zip_extract(z->zip, nd->index, &buf, &len, err);
	if (e)
		return e;
	out->heap = buf;
	out->bytes.ptr = buf;
	out->bytes.len = len;
	return CSIG_OK;
}

static int zip_readlink(const csig__vfs *v, const char *rel, char *buf, size_t n,
			csig_error *err)
{
	const zip_impl *z = v->impl;
	int e = csig__vfs_check_name(rel, err);
	if (e)
		return e;
	const znode *nd = find(z, rel);
	if (!nd || nd->kind != CSIG__VFS_LINK || n == 0)
		return CSIG_FAIL(err, CSIG_E_NOTFOUND, 0,
				 "archive member %.200s is not a symbolic link", rel);
	if (csig_zip_entry_size(z->zip, nd->index) >= n)
		return CSIG_FAIL(err, CSIG_E_LIMIT, csig_zip_entry_offset(z->zip, nd->index),
				 "symbolic link %.200s has a target longer than %zu bytes",
				 rel, n - 1);
	uint8_t *data;
	size_t len;
	e = csig_zip_extract(z->zip, nd->index, &data, &len, err);
	if (e)
		return e;
	if (len >= n || memchr(data, 0, len)) {
		csig_free(data);
		return CSIG_FAIL(err, CSIG_E_BADVALUE, csig_zip_entry_offset(z->zip, nd->index),
				 "symbolic link %.200s has a bad target", rel);
	}
	memcpy(buf, data, len);
	buf[len] = '\0';
	csig_free(data);
	return CSIG_OK;
}

static int zip_list(const csig__vfs *v, const char *rel, char ***names, size_t *n,
		    csig_error *err)
{
	const zip_impl *z = v->impl;
	*names = NULL;
	*n = 0;
	int e = csig__vfs_check_name(rel, err);
	if (e)
		return e;
	size_t pl = strlen(rel);
	/* first node >= rel + "/" (or every node for the root) */
	size_t lo = 0, hi = z->n;
	if (pl) {
		while (lo < hi) {
			size_t mid = lo + (hi - lo) / 2;
			const char *nm = z->nodes[mid].name;
			int c = strncmp(nm, rel, pl);
			if (c == 0)
				c = nm[pl] == '\0' ? -1 : (unsigned char)nm[pl] < '/' ? -1 : 0;
			if (c < 0)
				lo = mid + 1;
			else
				hi = mid;
		}
	}
	size_t count = 0, bytes = 0;
	for (int pass = 0; pass < 2; pass++) {
		char **arr = NULL;
		char *sp = NULL;
		if (pass == 1) {
			uint64_t total;
			if (csig_mul_overflow(count + 1, sizeof(char *), &total) ||
			    csig_add_overflow(total, bytes, &total) || total > SIZE_MAX)
				return CSIG_FAIL(err, CSIG_E_OVERFLOW, 0, "listing too large");
			arr = csig__malloc((size_t)total);
			if (!arr)
				return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory listing %s", rel);
			sp = (char *)(arr + count + 1);
		}
		size_t got = 0;
		for (size_t i = lo; i < z->n; i++) {
			const char *nm = z->nodes[i].name;
			if (pl) {
				if (strncmp(nm, rel, pl) != 0 || nm[pl] != '/')
					break;
				nm += pl + 1;
			}
			if (strchr(nm, '/'))
				continue; /* deeper */
			if (i > lo && !strcmp(z->nodes[i].name, z->nodes[i - 1].name))
				continue; /* merged duplicate */
			size_t l = strlen(nm) + 1;
			if (pass == 0) {
				if (++count > CSIG__VFS_LIST_MAX)
					return CSIG_FAIL(err, CSIG_E_LIMIT, 0,
							 "archive directory %.200s has more than %u entries",
							 rel, CSIG__VFS_LIST_MAX);
				bytes += l;
			} else {
				memcpy(sp, nm, l);
				arr[got++] = sp;
				sp += l;
			}
		}
		if (pass == 1) {
			arr[got] = NULL;
			*names = arr;
			*n = got;
		}
	}
	return CSIG_OK;
}

static void zip_release(const csig__vfs *v, csig__vfs_data *d)
{
	(void)v;
	csig_free(d->heap);
	memset(d, 0, sizeof(*d));
}

static void zip_close(csig__vfs *v)
{
	zip_impl *z = v->impl;
	if (z) {
		for (size_t i = 0; i < z->n; i++)
			csig__free(z->nodes[i].name);
		csig__free(z->nodes);
		csig_zip_free(z->zip);
		csig__unmap_file(&z->map);
	}
	csig__free(z);
	csig__free(v);
}

static const csig__vfs_ops zip_ops = {
	zip_stat, zip_read, zip_readlink, zip_list, zip_release, zip_close
};

/* Add one member and its implied parent directories. */
static int add_member(zip_impl *z, size_t i, csig_error *err)
{
	csig_bytes nb = csig_zip_entry_name(z->zip, i);
	uint64_t off = csig_zip_entry_offset(z->zip, i);
	size_t len = nb.len;
	int kind = csig_zip_entry_is_symlink(z->zip, i) ? CSIG__VFS_LINK :
		   csig_zip_entry_is_dir(z->zip, i) ? CSIG__VFS_DIR : CSIG__VFS_FILE;
	if (len && nb.ptr[len - 1] == '/') {
		len--;
		kind = CSIG__VFS_DIR;
	}
	if (len == 0 || len >= CSIG__VFS_PATH_MAX || memchr(nb.ptr, 0, len) ||
	    memchr(nb.ptr, '\\', len))
		return CSIG_FAIL(err, CSIG_E_BADVALUE, off,
				 "archive member %zu has an empty, overlong or unsafe name", i);
	char name[CSIG__VFS_PATH_MAX];
	memcpy(name, nb.ptr, len);
	name[len] = '\0';
	int e = csig__vfs_check_name(name, err);
	if (e)
		return e;
	if (add_node(z, name, len, i, kind))
		return CSIG_FAIL(err, CSIG_E_NOMEM, off, "out of memory indexing the archive");
	for (size_t k = 0; k < len; k++)
		if (name[k] == '/' && add_node(z, name, k, NO_ENTRY, CSIG__VFS_DIR))
			return CSIG_FAIL(err, CSIG_E_NOMEM, off,
					 "out of memory indexing the archive");
	return CSIG_OK;
}

int csig__vfs_zip_open(csig__vfs **out, const void *buf, size_t len,
		       csig__mapping *map, const csig_open_options *opts,
		       csig_error *err)
{
	*out = NULL;
	csig__vfs *v = csig__calloc_n(1, sizeof(*v));
	zip_impl *z = csig__calloc_n(1, sizeof(*z));
	if (!v || !z) {
		csig__free(v);
		csig__free(z);
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory opening an archive");
	}
	v->ops = &zip_ops;
	v->impl = z;
	v->is_zip = 1;
	int e = csig_zip_open(&z->zip, buf, len, opts, err);
	if (e) {
		zip_close(v);
		return e;
	}
	size_t count = csig_zip_count(z->zip);
	for (size_t i = 0; i < count; i++) {
		e = add_member(z, i, err);
		if (e) {
			zip_close(v);
			return e;
		}
	}
	if (z->n > 1)
		qsort(z->nodes, z->n, sizeof(znode), cmp_node);
	/* one path, one meaning: implied directories merge with directories */
	for (size_t i = 1; i < z->n; i++) {
		const znode *a = &z->nodes[i - 1], *b = &z->nodes[i];
		if (strcmp(a->name, b->name))
			continue;
		int ok = a->kind == CSIG__VFS_DIR && b->kind == CSIG__VFS_DIR &&
			 (a->index == NO_ENTRY || b->index == NO_ENTRY ||
			  a->index != b->index);
		if (b->index != NO_ENTRY && a->index != NO_ENTRY)
			ok = 0; /* the same name stored twice */
		if (!ok) {
			uint64_t off = b->index != NO_ENTRY ?
				       csig_zip_entry_offset(z->zip, b->index) : 0;
			e = CSIG_FAIL(err, CSIG_E_BADVALUE, off,
				      "archive names %.200s twice (or as file and directory)",
				      b->name);
			zip_close(v);
			return e;
		}
	}
	if (map)
		z->map = *map;
	*out = v;
	return CSIG_OK;
}
