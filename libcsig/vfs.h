/*
 * vfs.h - the "file source" behind bundle verification.  Internal.
 *
 * A csig__vfs is a read-only tree of named entries: a directory on disk
 * (vfs_dir.c, the only code besides mapfile.c that touches the file system)
 * or the members of a zip archive (vfs_zip.c).  The bundle logic sees only
 * memory and '/'-separated relative names, so it is the same for both.
 *
 * Names.  Paths are relative to the source's root, '/'-separated, without a
 * leading '/', "" meaning the root itself.  Components "", "." and ".." are
 * refused (CSIG_E_BADVALUE), so no name can escape the root.  A path is at
 * most CSIG__VFS_PATH_MAX - 1 bytes and CSIG__VFS_DEPTH_MAX components.
 *
 * Lifetime.  Data read with read() stays valid until release(); the source
 * must outlive every piece of data read from it.  A source is used by one
 * thread at a time (the bundle holds it; csig_bundle is immutable after open
 * and verification only reads, so concurrent verifies of one bundle are
 * safe as long as the implementation's calls are; both implementations
 * here keep no mutable state after open).
 */
#ifndef CSIG_VFS_H
#define CSIG_VFS_H

#include <stddef.h>
#include <stdint.h>
#include "csig/common.h"
#include "mapfile.h"

#define CSIG__VFS_PATH_MAX 1024u   /* bytes, NUL included */
#define CSIG__VFS_DEPTH_MAX 64u    /* path components */
#define CSIG__VFS_LIST_MAX 100000u /* entries of one directory */

typedef enum {
	CSIG__VFS_NONE = 0,   /* absent */
	CSIG__VFS_FILE = 1,
	CSIG__VFS_DIR = 2,
	CSIG__VFS_LINK = 3,
	CSIG__VFS_OTHER = 4   /* fifo, device, socket */
} csig__vfs_kind;

typedef struct csig__vfs_stat {
	int kind;       /* csig__vfs_kind */
	uint64_t size;  /* bytes of a file (0 for others) */
} csig__vfs_stat;

/* Bytes read from a source; release with csig__vfs_release(). */
typedef struct csig__vfs_data {
	csig_bytes bytes;
	csig__mapping map;  /* vfs_dir: the mapping */
	uint8_t *heap;      /* vfs_zip: extracted copy (csig_free) */
} csig__vfs_data;

typedef struct csig__vfs csig__vfs;

typedef struct csig__vfs_ops {
	/* lstat: kind NONE (and CSIG_OK) when the name does not exist. */
	int (*stat)(const csig__vfs *v, const char *rel, csig__vfs_stat *st,
		    csig_error *err);
	/* Whole regular file, at most max bytes (else CSIG_E_LIMIT). */
	int (*read)(const csig__vfs *v, const char *rel, uint64_t max,
		    csig__vfs_data *out, csig_error *err);
	/* Target of a symbolic link into buf (NUL-terminated). */
	int (*readlink)(const csig__vfs *v, const char *rel, char *buf, size_t n,
			csig_error *err);
	/* Names of a directory's entries ("." and ".." left out), sorted
	 * bytewise; *names is one allocation (array + strings) to csig__free. */
	int (*list)(const csig__vfs *v, const char *rel, char ***names, size_t *n,
		    csig_error *err);
	void (*release)(const csig__vfs *v, csig__vfs_data *d);
	void (*close)(csig__vfs *v);
} csig__vfs_ops;

struct csig__vfs {
	const csig__vfs_ops *ops;
	int is_zip;     /* members of an archive (an .ipa) */
	void *impl;
};

/* Check a relative name: components, length, depth.  CSIG_E_BADVALUE. */
int csig__vfs_check_name(const char *rel, csig_error *err);
/* Join dir and name ("" dir gives name) into buf; CSIG_E_LIMIT when long. */
int csig__vfs_join(char *buf, size_t n, const char *dir, const char *name,
		   csig_error *err);

/*
 * Open path: a directory becomes a directory source rooted there; a regular
 * file is mapped and opened as a zip archive (an .ipa).  Both live in
 * vfs_dir.c (the file-system side).
 * @return CSIG_OK; CSIG_E_IO (cannot stat/open); CSIG_E_BADVALUE (neither a
 *   directory nor a regular file); zip errors; CSIG_E_NOMEM.
 */
int csig__vfs_open_path(csig__vfs **out, const char *path,
			const csig_open_options *opts, csig_error *err);
/* Directory source rooted at dir. */
int csig__vfs_dir_open(csig__vfs **out, const char *dir, csig_error *err);
/*
 * Zip source over bytes buf[0..len) (an archive); takes ownership of *map
 * when map is non-NULL (unmapped on close), else borrows buf.
 */
int csig__vfs_zip_open(csig__vfs **out, const void *buf, size_t len,
		       csig__mapping *map, const csig_open_options *opts,
		       csig_error *err);
void csig__vfs_close(csig__vfs *v);

static inline void csig__vfs_release(const csig__vfs *v, csig__vfs_data *d)
{
	if (v && d)
		v->ops->release(v, d);
}

#endif
