/*
 * vfs_dir.c - bundle directories on disk, read-only.  Together with
 * mapfile.c the only code that touches the file system: lstat, readlink,
 * opendir/readdir, and csig__map_file for contents.  Nothing is written.
 * See vfs.h.
 */
#include <dirent.h>
#include <errno.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>
#include "vfs.h"
#include "util.h"

int csig__vfs_check_name(const char *rel, csig_error *err)
{
	size_t n = strlen(rel);
	if (n >= CSIG__VFS_PATH_MAX)
		return CSIG_FAIL(err, CSIG_E_LIMIT, 0,
				 "bundle path of %zu bytes exceeds the limit of %u", n,
				 CSIG__VFS_PATH_MAX - 1);
	if (n == 0)
		return CSIG_OK;
	unsigned depth = 0;
	const char *p = rel;
	for (;;) {
		const char *slash = strchr(p, '/');
		size_t c = slash ? (size_t)(slash - p) : strlen(p);
		if (c == 0 || (c == 1 && p[0] == '.') ||
		    (c == 2 && p[0] == '.' && p[1] == '.'))
			return CSIG_FAIL(err, CSIG_E_BADVALUE, 0,
					 "bundle path \"%.200s\" has an empty, \".\" or \"..\" component",
					 rel);
		if (++depth > CSIG__VFS_DEPTH_MAX)
			return CSIG_FAIL(err, CSIG_E_DEPTH, 0,
					 "bundle path \"%.100s...\" is deeper than %u components",
					 rel, CSIG__VFS_DEPTH_MAX);
		if (!slash)
			break;
		p = slash + 1;
	}
	return CSIG_OK;
}

int csig__vfs_join(char *buf, size_t n, const char *dir, const char *name,
		   csig_error *err)
{
	size_t a = strlen(dir), b = strlen(name);
	size_t need = a + (a && b ? 1 : 0) + b + 1;
	if (need > n || need > CSIG__VFS_PATH_MAX)
		return CSIG_FAIL(err, CSIG_E_LIMIT, 0,
				 "bundle path \"%.100s/%.100s\" exceeds %u bytes", dir, name,
				 CSIG__VFS_PATH_MAX - 1);
	memcpy(buf, dir, a);
	size_t o = a;
	if (a && b)
		buf[o++] = '/';
	memcpy(buf + o, name, b);
	buf[o + b] = '\0';
	return CSIG_OK;
}

/* ---- the directory source ---- */

typedef struct dir_impl {
	char *root;
	size_t rootlen;
} dir_impl;

/* root + "/" + rel into a fresh buffer of 2 * CSIG__VFS_PATH_MAX + 8. */
static int full_path(const csig__vfs *v, const char *rel, char *buf, size_t n,
		     csig_error *err)
{
	const dir_impl *d = v->impl;
	int e = csig__vfs_check_name(rel, err);
	if (e)
		return e;
	size_t b = strlen(rel);
	if (d->rootlen + 1 + b + 1 > n)
		return CSIG_FAIL(err, CSIG_E_LIMIT, 0, "path %.100s/%.100s is too long",
				 d->root, rel);
	memcpy(buf, d->root, d->rootlen);
	size_t o = d->rootlen;
	if (b) {
		buf[o++] = '/';
		memcpy(buf + o, rel, b);
		o += b;
	}
	buf[o] = '\0';
	return CSIG_OK;
}

#define FULL_MAX (2 * CSIG__VFS_PATH_MAX + 8)

static int dir_stat(const csig__vfs *v, const char *rel, csig__vfs_stat *st,
		    csig_error *err)
{
	char p[FULL_MAX];
	int e = full_path(v, rel, p, sizeof(p), err);
	if (e)
		return e;
	memset(st, 0, sizeof(*st));
	struct stat s;
	if (lstat(p, &s) != 0) {
		if (errno == ENOENT || errno == ENOTDIR)
			return CSIG_OK;
		return CSIG_FAIL(err, CSIG_E_IO, 0, "cannot lstat %s: %s", p,
				 strerror(errno));
	}
	if (S_ISREG(s.st_mode)) {
		st->kind = CSIG__VFS_FILE;
		st->size = (uint64_t)s.st_size;
	} else if (S_ISDIR(s.st_mode)) {
		st->kind = CSIG__VFS_DIR;
	} else if (S_ISLNK(s.st_mode)) {
		st->kind = CSIG__VFS_LINK;
	} else {
		st->kind = CSIG__VFS_OTHER;
	}
	return CSIG_OK;
}

static int dir_read(const csig__vfs *v, const char *rel, uint64_t max,
		    csig__vfs_data *out, csig_error *err)
{
	char p[FULL_MAX];
	memset(out, 0, sizeof(*out));
	int e = full_path(v, rel, p, sizeof(p), err);
	if (e)
		return e;
	struct stat s;
	/* never follow a link: a bundle member must be a regular file */
	if (lstat(p, &s) != 0)
		return CSIG_FAIL(err, CSIG_E_IO, 0, "cannot lstat %s: %s", p,
				 strerror(errno));
	if (!S_ISREG(s.st_mode))
		return CSIG_FAIL(err, CSIG_E_IO, 0, "%s is not a regular file", p);
	if ((uint64_t)s.st_size > max)
		return CSIG_FAIL(err, CSIG_E_LIMIT, 0, "%s is larger than %llu bytes", p,
				 (unsigned long long)max);
	e = csig__map_file(p, &out->map, err);
	if (e)
		return e;
	if (out->map.len > max) {
		csig__unmap_file(&out->map);
		return CSIG_FAIL(err, CSIG_E_LIMIT, 0, "%s is larger than %llu bytes", p,
				 (unsigned long long)max);
	}
	out->bytes.ptr = out->map.data;
	out->bytes.len = out->map.len;
	return CSIG_OK;
}

static int dir_readlink(const csig__vfs *v, const char *rel, char *buf, size_t n,
			csig_error *err)
{
	char p[FULL_MAX];
	int e = full_path(v, rel, p, sizeof(p), err);
	if (e)
		return e;
	if (n == 0)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "readlink buffer is empty");
	ssize_t r = readlink(p, buf, n);
	if (r < 0)
		return CSIG_FAIL(err, CSIG_E_IO, 0, "cannot readlink %s: %s", p,
				 strerror(errno));
	if ((size_t)r >= n)
		return CSIG_FAIL(err, CSIG_E_LIMIT, 0,
				 "symbolic link %s has a target longer than %zu bytes", p, n - 1);
	buf[r] = '\0';
	return CSIG_OK;
}

static int cmp_names(const void *a, const void *b)
{
	const char *const *x = a, *const *y = b;
	return strcmp(*x, *y);
}

static int dir_list(const csig__vfs *v, const char *rel, char ***names, size_t *n,
		    csig_error *err)
{
	char p[FULL_MAX];
	*names = NULL;
	*n = 0;
	int e = full_path(v, rel, p, sizeof(p), err);
	if (e)
		return e;
	DIR *dh = opendir(p);
	if (!dh)
		return CSIG_FAIL(err, CSIG_E_IO, 0, "cannot open directory %s: %s", p,
				 strerror(errno));
	/* pass 1: count and size */
	size_t count = 0, bytes = 0;
	struct dirent *de;
	while ((de = readdir(dh)) != NULL) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		if (++count > CSIG__VFS_LIST_MAX) {
			closedir(dh);
			return CSIG_FAIL(err, CSIG_E_LIMIT, 0,
					 "directory %s has more than %u entries", p,
					 CSIG__VFS_LIST_MAX);
		}
		bytes += strlen(de->d_name) + 1;
	}
	uint64_t total;
	if (csig_mul_overflow(count + 1, sizeof(char *), &total) ||
	    csig_add_overflow(total, bytes, &total) || total > SIZE_MAX) {
		closedir(dh);
		return CSIG_FAIL(err, CSIG_E_OVERFLOW, 0, "directory %s listing too large", p);
	}
	char **arr = csig__malloc((size_t)total);
	if (!arr) {
		closedir(dh);
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory listing %s", p);
	}
	char *sp = (char *)(arr + count + 1);
	size_t left = bytes, got = 0;
	rewinddir(dh);
	/* pass 2: the directory may have changed in between; stay in bounds */
	while ((de = readdir(dh)) != NULL && got < count) {
		if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
			continue;
		size_t l = strlen(de->d_name) + 1;
		if (l > left)
			break;
		memcpy(sp, de->d_name, l);
		arr[got++] = sp;
		sp += l;
		left -= l;
	}
	closedir(dh);
	arr[got] = NULL;
	qsort(arr, got, sizeof(char *), cmp_names);
	*names = arr;
	*n = got;
	return CSIG_OK;
}

static void dir_release(const csig__vfs *v, csig__vfs_data *d)
{
	(void)v;
	csig__unmap_file(&d->map);
	memset(d, 0, sizeof(*d));
}

static void dir_close(csig__vfs *v)
{
	dir_impl *d = v->impl;
	if (d)
		csig__free(d->root);
	csig__free(d);
	csig__free(v);
}

static const csig__vfs_ops dir_ops = {
	dir_stat, dir_read, dir_readlink, dir_list, dir_release, dir_close
};

int csig__vfs_dir_open(csig__vfs **out, const char *dir, csig_error *err)
{
	*out = NULL;
	size_t n = strlen(dir);
	while (n > 1 && dir[n - 1] == '/')
		n--; /* "Foo.app/" names the same directory */
	if (n == 0 || n >= CSIG__VFS_PATH_MAX)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "bundle path of %zu bytes", n);
	csig__vfs *v = csig__calloc_n(1, sizeof(*v));
	dir_impl *d = csig__calloc_n(1, sizeof(*d));
	char *root = csig__strndup(dir, n);
	if (!v || !d || !root) {
		csig__free(v);
		csig__free(d);
		csig__free(root);
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory opening %s", dir);
	}
	d->root = root;
	d->rootlen = n;
	v->ops = &dir_ops;
	v->impl = d;
	*out = v;
	return CSIG_OK;
}

int csig__vfs_open_path(csig__vfs **out, const char *path,
			const csig_open_options *opts, csig_error *err)
{
	if (!out || !path)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "out or path is NULL");
	*out = NULL;
	struct stat s;
	if (stat(path, &s) != 0)
		return CSIG_FAIL(err, CSIG_E_IO, 0, "cannot stat %s: %s", path,
				 strerror(errno));
	if (S_ISDIR(s.st_mode))
		return csig__vfs_dir_open(out, path, err);
	if (!S_ISREG(s.st_mode))
		return CSIG_FAIL(err, CSIG_E_BADVALUE, 0,
				 "%s is neither a bundle directory nor an archive", path);
	csig__mapping m;
	int e = csig__map_file(path, &m, err);
	if (e)
		return e;
	e = csig__vfs_zip_open(out, m.data, m.len, &m, opts, err);
	if (e)
		csig__unmap_file(&m);
	return e;
}

void csig__vfs_close(csig__vfs *v)
{
	if (v)
		v->ops->close(v);
}
