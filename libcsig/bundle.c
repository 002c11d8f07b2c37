/*
 * bundle.c - bundles and .ipa archives: layout, Info.plist, main
 * executable, nested code, detached signatures, CodeResources seals.
 * See csig/bundle.h.  Files are reached only through the vfs (vfs.h).
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "csig/bundle.h"
#include "csig/cms.h"
#include "coderes.h"
#include "hash.h"
#include "json.h"
#include "macho_int.h"
#include "util.h"
#include "vfs.h"

#define META_MAX (16u << 20)  /* Info.plist, CodeResources, detached blobs */
#define PATHBUF CSIG__VFS_PATH_MAX

/* Path findings: a csig__findings list plus the path of each finding. */
typedef struct pfindings {
	csig__findings fs;
	char **paths;
	size_t cap;
	int nomem;
} pfindings;

static void pf_addv(pfindings *pf, const char *path, const char *id, int sev,
		    int slice, int cd, uint64_t off, const char *fmt, va_list ap)
	CSIG_PRINTF(8, 0);
static void pf_addv(pfindings *pf, const char *path, const char *id, int sev,
		    int slice, int cd, uint64_t off, const char *fmt, va_list ap)
{
	char msg[512];
	vsnprintf(msg, sizeof(msg), fmt, ap);
	size_t before = pf->fs.count;
	if (pf->cap <= before) {
		size_t nc = pf->cap ? pf->cap * 2 : 16;
		char **np = csig__realloc(pf->paths, nc * sizeof(char *));
		if (!np) {
			pf->nomem = 1;
			return;
		}
		pf->paths = np;
		pf->cap = nc;
	}
	char *pcopy = path ? csig__strndup(path, strlen(path)) : NULL;
	if (path && !pcopy) {
		pf->nomem = 1;
		return;
	}
	csig__finding_add(&pf->fs, id, sev, slice, cd, off, "%s", msg);
	if (pf->fs.count == before) {
		csig__free(pcopy);
		pf->nomem = 1;
		return;
	}
	pf->paths[before] = pcopy;
}

static void pf_add(pfindings *pf, const char *path, const char *id, int sev,
		   uint64_t off, const char *fmt, ...) CSIG_PRINTF(6, 7);
static void pf_add(pfindings *pf, const char *path, const char *id, int sev,
		   uint64_t off, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	pf_addv(pf, path, id, sev, -1, -1, off, fmt, ap);
	va_end(ap);
}

static void pf_free(pfindings *pf)
{
	for (size_t i = 0; i < pf->fs.count && i < pf->cap; i++)
		csig__free(pf->paths[i]);
	csig__free(pf->paths);
	csig__findings_free(&pf->fs);
	memset(pf, 0, sizeof(*pf));
}

static int pf_has_error_since(const pfindings *pf, size_t start)
{
	for (size_t i = start; i < pf->fs.count; i++)
		if (pf->fs.items[i].severity == CSIG_SEV_ERROR)
			return 1;
	return 0;
}

struct csig_bundle {
	csig__vfs *vfs;            /* owned by the top bundle */
	int owns_vfs;
	unsigned depth;
	char *vroot;               /* the bundle directory in the vfs */
	char *relpath;             /* relative to the top bundle */
	int layout;
	char *content;             /* relative to the bundle */
	char *content_v;           /* vfs path of the content directory */
	csig__vfs_data info_raw;
	int has_info;
	csig_plist *info;
	const char *identifier;    /* borrowed from info */
	char *exe_rel;             /* relative to the bundle, NULL when code-less */
	char *exe_content_rel;     /* relative to content (CodeResources names) */
	csig__vfs_data exe_data;
	csig_file *exe;
	struct csig_bundle **kids;
	size_t nkids;
	pfindings open_fs;         /* problems found while opening */
	csig_open_options opts;
};

struct csig_bundle_result {
	pfindings pf;
	uint64_t files, bytes;
	int layout, from_archive, codeless;
	char *identifier, *exe;
};

/* Nested-code directories, relative to the content directory. */
static const char *const nested_dirs[] = {
	"Frameworks", "SharedFrameworks", "PlugIns", "Plug-ins", "XPCServices",
	"Helpers", "Library/LoginItems", "Library/Automator", "Library/Spotlight",
	"Library/QuickLook", "Library/SystemExtensions", "Extensions", "Watch",
	"AppClips"
};

static int vstat(const csig__vfs *v, const char *rel, csig__vfs_stat *st)
{
	csig_error e = { 0 };
	csig__error_clear(&e);
	if (v->ops->stat(v, rel, st, &e)) {
		st->kind = CSIG__VFS_NONE;
		return e.code;
	}
	return CSIG_OK;
}

static char *dup_join(const char *a, const char *b)
{
	char buf[PATHBUF];
	if (csig__vfs_join(buf, sizeof(buf), a, b, NULL))
		return NULL;
	return csig__strndup(buf, strlen(buf));
}

/* One path component: no '/', not "." or "..", not empty. */
static int is_component(const char *s, size_t n)
{
	return n > 0 && n < 256 && !memchr(s, '/', n) && !memchr(s, 0, n) &&
	       !(n == 1 && s[0] == '.') && !(n == 2 && s[0] == '.' && s[1] == '.');
}

static void bundle_free(csig_bundle *b)
{
	if (!b)
		return;
	for (size_t i = 0; i < b->nkids; i++)
		bundle_free(b->kids[i]);
	csig__free(b->kids);
	csig_file_free(b->exe);
	csig__vfs_release(b->vfs, &b->exe_data);
	csig__vfs_release(b->vfs, &b->info_raw);
	csig_plist_free(b->info);
	csig__free(b->vroot);
	csig__free(b->relpath);
	csig__free(b->content);
	csig__free(b->content_v);
	csig__free(b->exe_rel);
	csig__free(b->exe_content_rel);
	pf_free(&b->open_fs);
	if (b->owns_vfs)
		csig__vfs_close(b->vfs);
	csig__free(b);
}

void csig_bundle_free(csig_bundle *b)
{
	bundle_free(b);
}

typedef struct open_ctx {
	const csig_open_options *opts;
	unsigned count;            /* bundles opened */
	unsigned max_depth;
} open_ctx;

static int bundle_open_at(csig_bundle **out, csig__vfs *vfs, const char *vroot,
			  const char *relpath, unsigned depth, open_ctx *oc,
			  csig_error *err);

/* Find the layout and the content directory. */
static int find_layout(csig_bundle *b, csig_error *err)
{
	char p[PATHBUF];
	csig__vfs_stat st;
	int e;
	if ((e = csig__vfs_join(p, sizeof(p), b->vroot, "Contents", err)))
		return e;
	vstat(b->vfs, p, &st);
	if (st.kind == CSIG__VFS_DIR) {
		b->layout = CSIG_BUNDLE_DEEP;
		b->content = csig__strndup("Contents", 8);
	} else {
		if ((e = csig__vfs_join(p, sizeof(p), b->vroot, "Versions/Current", err)))
			return e;
		vstat(b->vfs, p, &st);
		char target[256];
		csig_error le = { 0 };
		csig__error_clear(&le);
		if (st.kind == CSIG__VFS_LINK &&
		    b->vfs->ops->readlink(b->vfs, p, target, sizeof(target), &le) == CSIG_OK &&
		    is_component(target, strlen(target))) {
			b->layout = CSIG_BUNDLE_VERSIONED;
			b->content = dup_join("Versions", target);
		} else {
			b->layout = CSIG_BUNDLE_SHALLOW;
			b->content = csig__strndup("", 0);
		}
	}
	if (!b->content)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory");
	b->content_v = dup_join(b->vroot, b->content);
	if (!b->content_v)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory");
	return CSIG_OK;
}

static int read_info(csig_bundle *b, csig_error *err)
{
	char p[PATHBUF], rel[PATHBUF];
	const char *where = b->layout == CSIG_BUNDLE_VERSIONED ? "Resources/Info.plist" :
			    "Info.plist";
	int e;
	if ((e = csig__vfs_join(p, sizeof(p), b->content_v, where, err)) ||
	    (e = csig__vfs_join(rel, sizeof(rel), b->relpath, b->content, err)) ||
	    (e = csig__vfs_join(rel, sizeof(rel), rel, where, err)))
		return e;
	csig__vfs_stat st;
	vstat(b->vfs, p, &st);
	if (st.kind == CSIG__VFS_NONE) {
		char cs[PATHBUF];
		if ((e = csig__vfs_join(cs, sizeof(cs), b->content_v, "_CodeSignature", err)))
			return e;
		vstat(b->vfs, cs, &st);
		if (st.kind != CSIG__VFS_DIR)
			return CSIG_FAIL(err, CSIG_E_NOTFOUND, 0,
					 "%s: no Info.plist and no _CodeSignature: not a bundle",
					 *b->vroot ? b->vroot : ".");
		pf_add(&b->open_fs, rel, "info-plist-missing", CSIG_SEV_WARN, 0,
		       "the bundle has no Info.plist");
		return CSIG_OK;
	}
	csig_error le = { 0 };
	csig__error_clear(&le);
	if (st.kind != CSIG__VFS_FILE ||
	    b->vfs->ops->read(b->vfs, p, META_MAX, &b->info_raw, &le)) {
		if (le.code == CSIG_E_NOMEM)
			return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory");
		pf_add(&b->open_fs, rel, "info-plist-unreadable", CSIG_SEV_ERROR, 0,
		       "Info.plist cannot be read: %s",
		       le.code ? le.msg : "not a regular file");
		return CSIG_OK;
	}
	b->has_info = 1;
	csig__error_clear(&le);
	e = csig_plist_parse(&b->info, b->info_raw.bytes.ptr, b->info_raw.bytes.len,
			     CSIG_PLIST_XML | CSIG_PLIST_BINARY, &b->opts, &le);
	if (e == CSIG_E_NOMEM)
		return CSIG_FAIL(err, e, 0, "out of memory parsing Info.plist");
	if (e) {
		pf_add(&b->open_fs, rel, "info-plist-malformed", CSIG_SEV_ERROR, le.offset,
		       "Info.plist does not parse: %s", le.msg);
		return CSIG_OK;
	}
	const csig_pval *root = csig_plist_root(b->info);
	size_t n;
	const char *id = csig_pval_cstr(csig_pval_dict_get(root, "CFBundleIdentifier"), &n);
	if (id && strlen(id) == n)
		b->identifier = id;
	const csig_pval *ev = csig_pval_dict_get(root, "CFBundleExecutable");
	if (!ev)
		return CSIG_OK; /* code-less */
	const char *exe = csig_pval_cstr(ev, &n);
	if (!exe || strlen(exe) != n || !is_component(exe, n)) {
		pf_add(&b->open_fs, rel, "info-plist-bad-executable", CSIG_SEV_ERROR,
		       csig_pval_offset(ev),
		       "CFBundleExecutable is not a plain file name");
		return CSIG_OK;
	}
	if (b->layout == CSIG_BUNDLE_DEEP)
		b->exe_content_rel = dup_join("MacOS", exe);
	else
		b->exe_content_rel = csig__strndup(exe, n);
	if (!b->exe_content_rel || !(b->exe_rel = dup_join(b->content, b->exe_content_rel)))
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory (or path too long)");
	return CSIG_OK;
}

static int open_exe(csig_bundle *b, csig_error *err)
{
	char p[PATHBUF], rel[PATHBUF];
	int e;
	if ((e = csig__vfs_join(p, sizeof(p), b->vroot, b->exe_rel, err)) ||
	    (e = csig__vfs_join(rel, sizeof(rel), b->relpath, b->exe_rel, err)))
		return e;
	csig__vfs_stat st;
	vstat(b->vfs, p, &st);
	if (st.kind != CSIG__VFS_FILE) {
		pf_add(&b->open_fs, rel, "main-executable-missing", CSIG_SEV_ERROR, 0,
		       "the main executable named by CFBundleExecutable is %s",
		       st.kind == CSIG__VFS_NONE ? "absent" : "not a regular file");
		return CSIG_OK;
	}
	csig_error le = { 0 };
	csig__error_clear(&le);
	e = b->vfs->ops->read(b->vfs, p, UINT64_MAX, &b->exe_data, &le);
	if (!e)
		e = csig_file_open(&b->exe, b->exe_data.bytes.ptr, b->exe_data.bytes.len,
				   &b->opts, &le);
	if (e == CSIG_E_NOMEM)
		return CSIG_FAIL(err, e, 0, "out of memory opening %s", rel);
	if (e)
		pf_add(&b->open_fs, rel, "main-executable-invalid", CSIG_SEV_ERROR, le.offset,
		       "the main executable cannot be read as Mach-O: %s", le.msg);
	return CSIG_OK;
}

static int add_kid(csig_bundle *b, csig_bundle *kid)
{
	csig_bundle **nk = csig__realloc(b->kids, (b->nkids + 1) * sizeof(*nk));
	if (!nk)
		return CSIG_E_NOMEM;
	b->kids = nk;
	b->kids[b->nkids++] = kid;
	return CSIG_OK;
}

static int open_nested(csig_bundle *b, open_ctx *oc, csig_error *err)
{
	for (size_t d = 0; d < CSIG_ARRAY_LEN(nested_dirs); d++) {
		char dirv[PATHBUF];
		int e;
		if (csig__vfs_join(dirv, sizeof(dirv), b->content_v, nested_dirs[d], NULL))
			continue;
		csig__vfs_stat st;
		vstat(b->vfs, dirv, &st);
		if (st.kind != CSIG__VFS_DIR)
			continue;
		char **names;
		size_t n;
		csig_error le = { 0 };
		csig__error_clear(&le);
		if ((e = b->vfs->ops->list(b->vfs, dirv, &names, &n, &le))) {
			if (e == CSIG_E_NOMEM)
				return CSIG_FAIL(err, e, 0, "out of memory");
			pf_add(&b->open_fs, dirv, "nested-unreadable", CSIG_SEV_ERROR, 0,
			       "cannot list: %s", le.msg);
			continue;
		}
		for (size_t i = 0; i < n; i++) {
			char kv[PATHBUF], krel[PATHBUF], kin[PATHBUF];
			if (!strchr(names[i], '.'))
				continue;
			if (csig__vfs_join(kv, sizeof(kv), dirv, names[i], NULL) ||
			    csig__vfs_join(kin, sizeof(kin), b->content, nested_dirs[d], NULL) ||
			    csig__vfs_join(kin, sizeof(kin), kin, names[i], NULL) ||
			    csig__vfs_join(krel, sizeof(krel), b->relpath, kin, NULL))
				continue;
			vstat(b->vfs, kv, &st);
			if (st.kind != CSIG__VFS_DIR)
				continue;
			if (b->depth + 1 > oc->max_depth || oc->count >= CSIG_BUNDLE_MAX_BUNDLES) {
				pf_add(&b->open_fs, krel, "nested-too-deep", CSIG_SEV_ERROR, 0,
				       "nested bundle beyond depth %u or count %u not verified",
				       oc->max_depth, CSIG_BUNDLE_MAX_BUNDLES);
				continue;
			}
			csig_bundle *kid = NULL;
			csig__error_clear(&le);
			e = bundle_open_at(&kid, b->vfs, kv, krel, b->depth + 1, oc, &le);
			if (!e && (e = add_kid(b, kid)) != CSIG_OK)
				bundle_free(kid);
			if (e == CSIG_E_NOMEM) {
				csig__free(names);
				return CSIG_FAIL(err, e, 0, "out of memory");
			}
			if (e == CSIG_E_NOTFOUND) {
				/* an empty directory holds no code; a non-bundle one
				 * is sealed (or not) by the resource rules */
				char **sub;
				size_t nsub;
				csig_error le2 = { 0 };
				if (b->vfs->ops->list(b->vfs, kv, &sub, &nsub, &le2) == CSIG_OK) {
					csig__free(sub);
					if (nsub == 0)
						continue;
				}
				pf_add(&b->open_fs, krel, "nested-not-bundle", CSIG_SEV_WARN, 0,
				       "%s", le.msg);
			} else if (e) {
				pf_add(&b->open_fs, krel, "nested-unreadable", CSIG_SEV_ERROR, 0,
				       "nested bundle cannot be opened: %s", le.msg);
			}
		}
		csig__free(names);
	}
	return CSIG_OK;
}

static int bundle_open_at(csig_bundle **out, csig__vfs *vfs, const char *vroot,
			  const char *relpath, unsigned depth, open_ctx *oc,
			  csig_error *err)
{
	*out = NULL;
	csig_bundle *b = csig__calloc_n(1, sizeof(*b));
	if (!b)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory for a bundle");
	oc->count++;
	b->vfs = vfs;
	b->depth = depth;
	if (oc->opts)
		b->opts = *oc->opts;
	else
		b->opts = (csig_open_options)CSIG_OPEN_OPTIONS_INIT;
	b->opts.flags = 0; /* data stays in the vfs buffers, which we keep */
	b->vroot = csig__strndup(vroot, strlen(vroot));
	b->relpath = csig__strndup(relpath, strlen(relpath));
	int e = CSIG_OK;
	if (!b->vroot || !b->relpath)
		e = CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory for a bundle");
	if (!e)
		e = find_layout(b, err);
	if (!e)
		e = read_info(b, err);
	if (!e && b->exe_rel)
		e = open_exe(b, err);
	if (!e)
		e = open_nested(b, oc, err);
	if (!e && (b->open_fs.nomem || b->open_fs.fs.nomem))
		e = CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory for findings");
	if (e) {
		bundle_free(b);
		return e;
	}
	*out = b;
	return CSIG_OK;
}

int csig_bundle_open_path(csig_bundle **out, const char *path,
			  const csig_open_options *opts, csig_error *err)
{
	csig__error_clear(err);
	if (!out || !path)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "out or path is NULL");
	*out = NULL;
	if (opts && opts->version != CSIG_OPEN_OPTIONS_VERSION)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "unknown open options version %u",
				 opts->version);
	csig__vfs *vfs;
	int e = csig__vfs_open_path(&vfs, path, opts, err);
	if (e)
		return e;
	char vroot[PATHBUF] = "";
	if (vfs->is_zip) {
		char **names;
		size_t n;
		csig__vfs_stat st;
		vstat(vfs, "Payload", &st);
		if (st.kind != CSIG__VFS_DIR) {
			csig__vfs_close(vfs);
			return CSIG_FAIL(err, CSIG_E_NOTFOUND, 0,
					 "%s: the archive has no Payload/ directory", path);
		}
		if ((e = vfs->ops->list(vfs, "Payload", &names, &n, err))) {
			csig__vfs_close(vfs);
			return e;
		}
		size_t apps = 0;
		for (size_t i = 0; i < n; i++) {
			size_t l = strlen(names[i]);
			char p[PATHBUF];
			if (l < 5 || strcmp(names[i] + l - 4, ".app") ||
			    csig__vfs_join(p, sizeof(p), "Payload", names[i], NULL))
				continue;
			vstat(vfs, p, &st);
			if (st.kind == CSIG__VFS_DIR && apps++ == 0)
				memcpy(vroot, p, strlen(p) + 1);
		}
		csig__free(names);
		if (apps != 1) {
			csig__vfs_close(vfs);
			return CSIG_FAIL(err, CSIG_E_NOTFOUND, 0,
					 "%s: the archive holds %zu Payload/*.app bundles, not one",
					 path, apps);
		}
	}
	open_ctx oc = { opts, 0, CSIG_BUNDLE_MAX_DEPTH };
	if (opts && opts->max_depth && opts->max_depth < oc.max_depth)
		oc.max_depth = opts->max_depth;
	csig_bundle *b;
	e = bundle_open_at(&b, vfs, vroot, "", 0, &oc, err);
	if (e) {
		csig__vfs_close(vfs);
		return e;
	}
	b->owns_vfs = 1;
	*out = b;
	return CSIG_OK;
}

/* ---- getters ---- */

const char *csig_bundle_path(const csig_bundle *b) { return b ? b->relpath : NULL; }
int csig_bundle_layout(const csig_bundle *b) { return b ? b->layout : 0; }
const char *csig_bundle_content_dir(const csig_bundle *b) { return b ? b->content : NULL; }
int csig_bundle_from_archive(const csig_bundle *b) { return b ? b->vfs->is_zip : 0; }
int csig_bundle_is_codeless(const csig_bundle *b) { return b ? b->exe_rel == NULL : 0; }
const char *csig_bundle_main_executable(const csig_bundle *b) { return b ? b->exe_rel : NULL; }
const csig_file *csig_bundle_executable(const csig_bundle *b) { return b ? b->exe : NULL; }
const csig_plist *csig_bundle_info_plist(const csig_bundle *b) { return b ? b->info : NULL; }
const char *csig_bundle_identifier(const csig_bundle *b) { return b ? b->identifier : NULL; }
size_t csig_bundle_nested_count(const csig_bundle *b) { return b ? b->nkids : 0; }

const csig_bundle *csig_bundle_nested(const csig_bundle *b, size_t i)
{
	return b && i < b->nkids ? b->kids[i] : NULL;
}

/* ---- verification ---- */

typedef struct vctx {
	csig_bundle_result *r;
	csig_verify_options vo;
	uint64_t visited, max_visit;
	int stopped;                /* max_visit reached */
} vctx;

static int is_zero(csig_bytes b)
{
	for (size_t i = 0; i < b.len; i++)
		if (b.ptr[i])
			return 0;
	return 1;
}

/* Does H(data) equal the stored slot hash of cd? */
static int digest_matches(int hash_type, csig_bytes want, const uint8_t *p, size_t n)
{
	uint8_t d[CSIG_HASH_MAX];
	if (!csig__hash(hash_type, p, n, d) || want.len > sizeof(d))
		return 0;
	return memcmp(d, want.ptr, want.len) == 0;
}

/* Read a metadata file of the bundle; kind NONE -> *present = 0. */
static int read_meta(const csig_bundle *b, const char *vpath, csig__vfs_data *d,
		     int *present, csig_error *le)
{
	csig__vfs_stat st;
	memset(d, 0, sizeof(*d));
	*present = 0;
	csig__error_clear(le);
	vstat(b->vfs, vpath, &st);
	if (st.kind == CSIG__VFS_NONE)
		return CSIG_OK;
	*present = 1;
	if (st.kind != CSIG__VFS_FILE)
		return CSIG_FAIL(le, CSIG_E_BADVALUE, 0, "not a regular file");
	return b->vfs->ops->read(b->vfs, vpath, META_MAX, d, le);
}

/* The special slots that bind files of the bundle (slot 1 and 3). */
static void check_bound_slots(vctx *vc, const csig_bundle *b, const char *exe_path,
			      const csig_codedir *cd, int si, int cdi,
			      const csig__vfs_data *info, int has_info,
			      const csig__vfs_data *cr, int has_cr, const char *info_path,
			      const char *cr_path)
{
	pfindings *pf = &vc->r->pf;
	csig_bytes want;
	int ht = csig_codedir_hash_type(cd);
	(void)b;
	if (csig_codedir_slot_hash(cd, -1, &want) == CSIG_OK && !is_zero(want)) {
		if (!has_info)
			pf_add(pf, info_path, "info-plist-missing", CSIG_SEV_ERROR, 0,
			       "%s slice %d CodeDirectory %d seals an Info.plist the bundle lacks",
			       exe_path, si, cdi);
		else if (!digest_matches(ht, want, info->bytes.ptr, info->bytes.len))
			pf_add(pf, info_path, "info-plist-mismatch", CSIG_SEV_ERROR, 0,
			       "Info.plist (%zu bytes) does not match special slot -1 of %s slice %d CodeDirectory %d",
			       info->bytes.len, exe_path, si, cdi);
	} else if (has_info) {
		pf_add(pf, info_path, "info-plist-unsealed", CSIG_SEV_WARN, 0,
		       "%s slice %d CodeDirectory %d does not seal the bundle's Info.plist",
		       exe_path, si, cdi);
	}
	if (csig_codedir_slot_hash(cd, -3, &want) == CSIG_OK && !is_zero(want)) {
		if (!has_cr)
			pf_add(pf, cr_path, "code-resources-missing", CSIG_SEV_ERROR, 0,
			       "%s slice %d CodeDirectory %d seals a CodeResources the bundle lacks",
			       exe_path, si, cdi);
		else if (!digest_matches(ht, want, cr->bytes.ptr, cr->bytes.len))
			pf_add(pf, cr_path, "code-resources-mismatch", CSIG_SEV_ERROR, 0,
			       "CodeResources (%zu bytes) does not match special slot -3 of %s slice %d CodeDirectory %d",
			       cr->bytes.len, exe_path, si, cdi);
	} else if (has_cr) {
		pf_add(pf, cr_path, "code-resources-unsealed", CSIG_SEV_ERROR, 0,
		       "%s slice %d CodeDirectory %d does not seal _CodeSignature/CodeResources",
		       exe_path, si, cdi);
	}
}

/* Every cdhash of f (every CodeDirectory of every slice) into out[]. */
static size_t file_cdhashes(const csig_file *f, uint8_t out[][20], size_t max)
{
	size_t n = 0;
	for (size_t i = 0; i < csig_file_slice_count(f); i++) {
		const csig_sig *sig = csig_slice_signature(csig_file_slice(f, i));
		for (size_t k = 0; sig && k < csig_sig_cd_count(sig) && n < max; k++)
			csig_codedir_cdhash(csig_sig_cd(sig, k), out[n++]);
	}
	return n;
}

/* Run csig_verify on a Mach-O and copy its findings under path. */
static int verify_macho(vctx *vc, const csig_file *f, const char *path, int *valid)
{
	csig_verify_result *vr;
	csig_error le = { 0 };
	csig__error_clear(&le);
	int e = csig_verify(&vr, f, &vc->vo, &le);
	if (e)
		return e;
	for (size_t i = 0; i < csig_verify_result_count(vr); i++) {
		const csig_finding *x = csig_verify_result_finding(vr, i);
		if (!strcmp(x->id, "special-slot-external"))
			continue; /* checked here, against the bundle's files */
		pfindings *pf = &vc->r->pf;
		size_t before = pf->fs.count;
		pf_add(pf, path, x->id, x->severity, x->offset, "%s", x->message);
		if (pf->fs.count > before) {
			pf->fs.items[before].slice = x->slice;
			pf->fs.items[before].cd = x->cd;
		}
	}
	*valid = csig_verify_result_valid(vr);
	vc->r->bytes += csig_verify_result_bytes_hashed(vr);
	csig_verify_result_free(vr);
	return CSIG_OK;
}

/* Canonical _CodeSignature file of a special slot (FORMAT.md 1.4). */
static const char *detached_name(uint32_t slot)
{
	switch (slot) {
	case 2: return "CodeRequirements";
	case 4: return "CodeTopDirectory";
	case 5: return "CodeEntitlements";
	case 6: return "CodeRepSpecific";
	case 7: return "CodeEntitlementDER";
	case 8: return "LaunchConstraintSelf";
	case 9: return "LaunchConstraintParent";
	case 10: return "LaunchConstraintResponsible";
	case 11: return "LibraryConstraint";
	default: return NULL;
	}
}

/* One detached CodeDirectory of a code-less bundle. */
static int check_detached_cd(vctx *vc, const csig_bundle *b, const csig_codedir *cd,
			     const char *cd_path, const csig__vfs_data *info, int has_info,
			     const csig__vfs_data *cr, int has_cr, const char *info_path,
			     const char *cr_path, const char *sigdir_v)
{
	pfindings *pf = &vc->r->pf;
	int ht = csig_codedir_hash_type(cd);
	/* the "code" of a code-less bundle is its Info.plist */
	uint64_t limit = csig_codedir_code_limit(cd);
	uint32_t ncode = csig_codedir_n_code_slots(cd);
	unsigned shift = csig_codedir_page_shift(cd);
	size_t have = has_info ? info->bytes.len : 0;
	if (limit != have)
		pf_add(pf, info_path, "code-limit-mismatch", CSIG_SEV_ERROR, 0,
		       "%s signs %llu bytes of code (the Info.plist) but the file has %zu",
		       cd_path, (unsigned long long)limit, have);
	uint64_t page = shift ? (shift < 32 ? 1ull << shift : 0) : limit;
	for (uint32_t i = 0; i < ncode && page; i++) {
		csig_bytes want;
		if (csig_codedir_slot_hash(cd, (int)i, &want))
			break;
		uint64_t off = (uint64_t)i * page, n = page;
		if (off >= have) {
			pf_add(pf, info_path, "code-hash-mismatch", CSIG_SEV_ERROR, off,
			       "%s code slot %u covers bytes beyond the Info.plist", cd_path, i);
			continue;
		}
		if (n > have - off)
			n = have - off;
		if (n > limit - off && limit > off)
			n = limit - off;
		csig_bytes seg;
		csig_rd r;
		rd_init(&r, info->bytes.ptr, info->bytes.len, 0, NULL, NULL);
		if (rd_view_at(&r, off, n, &seg) ||
		    !digest_matches(ht, want, seg.ptr, seg.len))
			pf_add(pf, info_path, "code-hash-mismatch", CSIG_SEV_ERROR, off,
			       "code slot %u of %s does not match the Info.plist", i, cd_path);
		vc->r->bytes += n;
	}
	for (uint32_t k = 1; k <= csig_codedir_n_special_slots(cd); k++) {
		csig_bytes want;
		if (csig_codedir_slot_hash(cd, -(int)k, &want) || is_zero(want))
			continue;
		if (k == 1) {
			if (!has_info)
				pf_add(pf, info_path, "info-plist-missing", CSIG_SEV_ERROR, 0,
				       "%s seals an Info.plist the bundle lacks", cd_path);
			else if (!digest_matches(ht, want, info->bytes.ptr, info->bytes.len))
				pf_add(pf, info_path, "info-plist-mismatch", CSIG_SEV_ERROR, 0,
				       "Info.plist does not match special slot -1 of %s", cd_path);
			continue;
		}
		if (k == 3) {
			if (!has_cr)
				pf_add(pf, cr_path, "code-resources-missing", CSIG_SEV_ERROR, 0,
				       "%s seals a CodeResources the bundle lacks", cd_path);
			else if (!digest_matches(ht, want, cr->bytes.ptr, cr->bytes.len))
				pf_add(pf, cr_path, "code-resources-mismatch", CSIG_SEV_ERROR, 0,
				       "CodeResources does not match special slot -3 of %s", cd_path);
			continue;
		}
		const char *name = detached_name(k);
		char vp[PATHBUF], rp[PATHBUF];
		if (!name || csig__vfs_join(vp, sizeof(vp), sigdir_v, name, NULL))
			continue;
		csig__vfs_data d;
		int present;
		csig_error le = { 0 };
		int e = read_meta(b, vp, &d, &present, &le);
		if (e == CSIG_E_NOMEM)
			return e;
		snprintf(rp, sizeof(rp), "%s%s%s/_CodeSignature/%s", b->relpath,
			 *b->relpath && *b->content ? "/" : "", b->content, name);
		if (!present || e)
			pf_add(pf, rp, "special-slot-blob-missing", CSIG_SEV_ERROR, 0,
			       "special slot -%u of %s has a hash but %s is %s", k, cd_path,
			       name, present ? "unreadable" : "absent");
		else if (!digest_matches(ht, want, d.bytes.ptr, d.bytes.len))
			pf_add(pf, rp, "special-slot-mismatch", CSIG_SEV_ERROR, 0,
			       "%s does not match special slot -%u of %s", name, k, cd_path);
		csig__vfs_release(b->vfs, &d);
	}
	return CSIG_OK;
}

/* Detached signature in _CodeSignature/ of a code-less bundle. */
static int check_detached(vctx *vc, const csig_bundle *b, const csig__vfs_data *info,
			  int has_info, const csig__vfs_data *cr, int has_cr,
			  const char *info_path, const char *cr_path)
{
	pfindings *pf = &vc->r->pf;
	char sigdir_v[PATHBUF], sigdir_r[PATHBUF];
	if (csig__vfs_join(sigdir_v, sizeof(sigdir_v), b->content_v, "_CodeSignature", NULL) ||
	    csig__vfs_join(sigdir_r, sizeof(sigdir_r), b->content, "_CodeSignature", NULL) ||
	    csig__vfs_join(sigdir_r, sizeof(sigdir_r), b->relpath, sigdir_r, NULL))
		return CSIG_OK;
	csig__vfs_data cdd[6];
	csig_codedir cds[6];
	int ncd = 0, e = CSIG_OK;
	memset(cdd, 0, sizeof(cdd));
	for (int i = 0; i < 6; i++) {
		char name[32], vp[PATHBUF], rp[PATHBUF];
		if (i == 0)
			snprintf(name, sizeof(name), "CodeDirectory");
		else
			snprintf(name, sizeof(name), "CodeRequirements-%d", i);
		if (csig__vfs_join(vp, sizeof(vp), sigdir_v, name, NULL) ||
		    csig__vfs_join(rp, sizeof(rp), sigdir_r, name, NULL))
			continue;
		int present;
		csig_error le = { 0 };
		e = read_meta(b, vp, &cdd[ncd], &present, &le);
		if (e == CSIG_E_NOMEM)
			goto out;
		if (!present) {
			if (i == 0) {
				pf_add(pf, rp, "bundle-unsigned", CSIG_SEV_ERROR, 0,
				       "the bundle has no executable and no detached CodeDirectory");
				e = CSIG_OK;
				goto out;
			}
			break; /* alternates end at the first gap */
		}
		if (!e) {
			csig_rd r;
			csig__error_clear(&le);
			rd_init(&r, cdd[ncd].bytes.ptr, cdd[ncd].bytes.len, 0, name, &le);
			e = csig__codedir_parse(&cds[ncd], &r,
						i ? CSIG_SLOT_ALTERNATE_CD + (uint32_t)(i - 1) : 0, &le);
		}
		if (e == CSIG_E_NOMEM)
			goto out;
		if (e) {
			pf_add(pf, rp, "detached-codedirectory-malformed", CSIG_SEV_ERROR,
			       le.offset, "%s does not parse: %s", name, le.msg);
			csig__vfs_release(b->vfs, &cdd[ncd]);
			e = CSIG_OK;
			continue;
		}
		e = check_detached_cd(vc, b, &cds[ncd], rp, info, has_info, cr, has_cr,
				      info_path, cr_path, sigdir_v);
		ncd++;
		if (e)
			goto out;
	}
	if (ncd == 0)
		goto out;
	/* CodeSignature: empty = ad hoc; else CMS over the slot-0 CodeDirectory */
	{
		char vp[PATHBUF], rp[PATHBUF];
		csig__vfs_data d;
		int present;
		csig_error le = { 0 };
		if (csig__vfs_join(vp, sizeof(vp), sigdir_v, "CodeSignature", NULL) ||
		    csig__vfs_join(rp, sizeof(rp), sigdir_r, "CodeSignature", NULL))
			goto out;
		e = read_meta(b, vp, &d, &present, &le);
		if (e == CSIG_E_NOMEM)
			goto out;
		e = CSIG_OK;
		if (!present) {
			pf_add(pf, rp, "detached-cms-missing", CSIG_SEV_WARN, 0,
			       "the detached signature has no CodeSignature file");
		} else if (d.bytes.len == 0) {
			pf_add(pf, rp, "adhoc", CSIG_SEV_INFO, 0,
			       "empty CodeSignature: ad hoc detached signature");
		} else {
			csig_cms *cms = NULL;
			csig_cms_result *res = NULL;
			csig__error_clear(&le);
			int ce = csig_cms_parse(&cms, d.bytes.ptr, d.bytes.len, NULL, &le);
			if (!ce) {
				int64_t at = vc->vo.at_time;
				if (!at && csig_cms_signer_signing_time(cms, 0, &at))
					at = (int64_t)time(NULL);
				ce = csig_cms_verify(cms, csig_codedir_bytes(&cds[0]), at, &res, &le);
			}
			if (ce == CSIG_E_NOMEM) {
				e = ce;
			} else if (ce) {
				pf_add(pf, rp, "detached-cms-malformed", CSIG_SEV_ERROR, le.offset,
				       "CodeSignature does not parse: %s", le.msg);
			} else if (!csig_cms_result_ok(res)) {
				pf_add(pf, rp, "detached-cms-invalid", CSIG_SEV_ERROR, 0,
				       "the CMS signature over the detached CodeDirectory does not verify");
			}
			csig_cms_result_free(res);
			csig_cms_free(cms);
		}
		csig__vfs_release(b->vfs, &d);
	}
out:
	for (int i = 0; i < 6; i++)
		csig__vfs_release(b->vfs, &cdd[i]);
	return e;
}

/* ---- resources ---- */

typedef struct rctx {
	vctx *vc;
	const csig_bundle *b;
	const csig__coderes *cr;
	unsigned char *seen;
	char prefix[PATHBUF];      /* relpath + content, for finding paths */
} rctx;

static void rpath(const rctx *rc, const char *rel, char *buf, size_t n)
{
	if (csig__vfs_join(buf, n, rc->prefix, rel, NULL))
		snprintf(buf, n, "%s", rel);
}

static const csig_bundle *kid_at(const csig_bundle *b, const char *vpath)
{
	for (size_t i = 0; i < b->nkids; i++)
		if (!strcmp(b->kids[i]->vroot, vpath))
			return b->kids[i];
	return NULL;
}

/* cdhashes of a nested bundle: its executable, or its detached CD. */
static size_t bundle_cdhashes(const csig_bundle *k, uint8_t out[][20], size_t max)
{
	if (k->exe)
		return file_cdhashes(k->exe, out, max);
	size_t n = 0;
	for (int i = 0; i < 6 && n < max; i++) {
		char name[32], vp[PATHBUF];
		snprintf(name, sizeof(name), i ? "CodeRequirements-%d" : "CodeDirectory", i);
		if (csig__vfs_join(vp, sizeof(vp), k->content_v, "_CodeSignature", NULL) ||
		    csig__vfs_join(vp, sizeof(vp), vp, name, NULL))
			break;
		csig__vfs_data d;
		int present;
		csig_error le = { 0 };
		if (read_meta(k, vp, &d, &present, &le) || !present) {
			csig__vfs_release(k->vfs, &d);
			break;
		}
		csig_codedir cd;
		csig_rd r;
		rd_init(&r, d.bytes.ptr, d.bytes.len, 0, name, NULL);
		if (!csig__codedir_parse(&cd, &r, i ? CSIG_SLOT_ALTERNATE_CD + (uint32_t)(i - 1) : 0,
					 NULL))
			csig_codedir_cdhash(&cd, out[n++]);
		csig__vfs_release(k->vfs, &d);
	}
	return n;
}

static int check_nested_seal(rctx *rc, const csig__seal *s, const char *vpath,
			     int kind, const char *fp)
{
	pfindings *pf = &rc->vc->r->pf;
	uint8_t hs[64][20];
	size_t n = 0;
	if (kind == CSIG__VFS_DIR) {
		const csig_bundle *k = kid_at(rc->b, vpath);
		if (!k) {
			pf_add(pf, fp, "nested-cdhash-mismatch", CSIG_SEV_ERROR, s->offset,
			       "sealed as nested code but is not a bundle this verifier opened");
			return CSIG_OK;
		}
		n = bundle_cdhashes(k, hs, CSIG_ARRAY_LEN(hs));
	} else if (kind == CSIG__VFS_FILE) {
		csig__vfs_data d;
		csig_error le = { 0 };
		csig__error_clear(&le);
		int e = rc->b->vfs->ops->read(rc->b->vfs, vpath, UINT64_MAX, &d, &le);
		if (e == CSIG_E_NOMEM)
			return e;
		csig_file *f = NULL;
		if (!e)
			e = csig_file_open(&f, d.bytes.ptr, d.bytes.len, NULL, &le);
		if (e == CSIG_E_NOMEM) {
			csig__vfs_release(rc->b->vfs, &d);
			return e;
		}
		if (!e)
			n = file_cdhashes(f, hs, CSIG_ARRAY_LEN(hs));
		csig_file_free(f);
		csig__vfs_release(rc->b->vfs, &d);
	}
	for (size_t i = 0; i < n; i++)
		if (!memcmp(hs[i], s->cdhash.ptr, 20))
			return CSIG_OK;
	char hex[41];
	for (size_t i = 0; i < 20; i++)
		snprintf(hex + 2 * i, 3, "%02x", s->cdhash.ptr[i]);
	pf_add(pf, fp, "nested-cdhash-mismatch", CSIG_SEV_ERROR, s->offset,
	       "sealed cdhash %s matches none of the %zu cdhashes of the nested code", hex, n);
	return CSIG_OK;
}

static const char *kind_name(int k)
{
	return k == CSIG__VFS_FILE ? "a file" : k == CSIG__VFS_DIR ? "a directory" :
	       k == CSIG__VFS_LINK ? "a symbolic link" : "a special file";
}

/* One file, link or nested-code directory the rules seal. */
static int check_item(rctx *rc, const char *rel, const char *vpath, int kind)
{
	pfindings *pf = &rc->vc->r->pf;
	char fp[PATHBUF];
	rpath(rc, rel, fp, sizeof(fp));
	const csig__seal *s = csig__coderes_find(rc->cr, rel);
	if (!s) {
		pf_add(pf, fp, "resource-added", CSIG_SEV_ERROR, 0,
		       "%s the resource rules cover is not sealed in CodeResources",
		       kind_name(kind));
		return CSIG_OK;
	}
	/* mark every seal of this path (duplicates are reported by the parser) */
	for (size_t i = (size_t)(s - rc->cr->seals); i > 0 &&
	     !strcmp(rc->cr->seals[i - 1].path, rel); i--)
		rc->seen[i - 1] = 1;
	for (size_t i = (size_t)(s - rc->cr->seals); i < rc->cr->nseals &&
	     !strcmp(rc->cr->seals[i].path, rel); i++)
		rc->seen[i] = 1;
	switch (s->kind) {
	case CSIG__SEAL_HASH: {
		if (kind != CSIG__VFS_FILE) {
			pf_add(pf, fp, "resource-modified", CSIG_SEV_ERROR, s->offset,
			       "sealed as a file but is now %s", kind_name(kind));
			return CSIG_OK;
		}
		int ht;
		csig_bytes want = csig__seal_best_hash(s, &ht);
		csig__vfs_data d;
		csig_error le = { 0 };
		csig__error_clear(&le);
		int e = rc->b->vfs->ops->read(rc->b->vfs, vpath, UINT64_MAX, &d, &le);
		if (e == CSIG_E_NOMEM)
			return e;
		if (e) {
			pf_add(pf, fp, "resource-unreadable", CSIG_SEV_ERROR, 0,
			       "cannot read a sealed file: %s", le.msg);
			return CSIG_OK;
		}
		rc->vc->r->files++;
		rc->vc->r->bytes += d.bytes.len;
		if (!digest_matches(ht, want, d.bytes.ptr, d.bytes.len))
			pf_add(pf, fp, "resource-modified", CSIG_SEV_ERROR, s->offset,
			       "%s digest of the %zu-byte file does not match its seal",
			       csig_hash_type_name(ht), d.bytes.len);
		csig__vfs_release(rc->b->vfs, &d);
		return CSIG_OK;
	}
	case CSIG__SEAL_SYMLINK: {
		char target[PATHBUF];
		csig_error le = { 0 };
		csig__error_clear(&le);
		if (kind != CSIG__VFS_LINK) {
			pf_add(pf, fp, "resource-symlink-mismatch", CSIG_SEV_ERROR, s->offset,
			       "sealed as a symbolic link to \"%.200s\" but is %s", s->symlink,
			       kind_name(kind));
		} else if (rc->b->vfs->ops->readlink(rc->b->vfs, vpath, target, sizeof(target),
						     &le)) {
			pf_add(pf, fp, "resource-unreadable", CSIG_SEV_ERROR, 0,
			       "cannot read a sealed symbolic link: %s", le.msg);
		} else if (strcmp(target, s->symlink)) {
			pf_add(pf, fp, "resource-symlink-mismatch", CSIG_SEV_ERROR, s->offset,
			       "symbolic link points to \"%.200s\", sealed \"%.200s\"", target,
			       s->symlink);
		}
		return CSIG_OK;
	}
	case CSIG__SEAL_NESTED:
		return check_nested_seal(rc, s, vpath, kind, fp);
	default:
		return CSIG_OK; /* malformed seal: reported by the parser */
	}
}

static int walk(rctx *rc, const char *dirrel)
{
	const csig_bundle *b = rc->b;
	vctx *vc = rc->vc;
	char dirv[PATHBUF];
	if (csig__vfs_join(dirv, sizeof(dirv), b->content_v, dirrel, NULL))
		return CSIG_OK;
	char **names;
	size_t n;
	csig_error le = { 0 };
	csig__error_clear(&le);
	int e = b->vfs->ops->list(b->vfs, dirv, &names, &n, &le);
	if (e) {
		char fp[PATHBUF];
		rpath(rc, dirrel, fp, sizeof(fp));
		if (e == CSIG_E_NOMEM)
			return e;
		pf_add(&vc->r->pf, fp, "resource-unreadable", CSIG_SEV_ERROR, 0,
		       "cannot list a directory: %s", le.msg);
		return CSIG_OK;
	}
	for (size_t i = 0; i < n && !e; i++) {
		const char *name = names[i];
		char rel[PATHBUF], vp[PATHBUF], fp[PATHBUF];
		if (!*dirrel && (!strcmp(name, "_CodeSignature") ||
				 !strcmp(name, "CodeResources") || !strcmp(name, "_MASReceipt")))
			continue; /* BundleDiskRep::adjustResources exclusions */
		if (csig__vfs_join(rel, sizeof(rel), dirrel, name, &le) ||
		    csig__vfs_join(vp, sizeof(vp), b->content_v, rel, &le)) {
			rpath(rc, dirrel, fp, sizeof(fp));
			pf_add(&vc->r->pf, fp, "bundle-path-too-long", CSIG_SEV_ERROR, 0, "%s",
			       le.msg);
			continue;
		}
		if (b->exe_content_rel && !strcmp(rel, b->exe_content_rel))
			continue; /* the main executable is sealed by its own signature */
		if (++vc->visited > vc->max_visit) {
			if (!vc->stopped)
				pf_add(&vc->r->pf, b->relpath, "bundle-too-many-files",
				       CSIG_SEV_ERROR, 0,
				       "more than %llu bundle entries; verification stopped",
				       (unsigned long long)vc->max_visit);
			vc->stopped = 1;
			break;
		}
		csig__vfs_stat st;
		csig__error_clear(&le);
		if ((e = b->vfs->ops->stat(b->vfs, vp, &st, &le)) != CSIG_OK) {
			if (e == CSIG_E_NOMEM)
				break;
			rpath(rc, rel, fp, sizeof(fp));
			pf_add(&vc->r->pf, fp, "resource-unreadable", CSIG_SEV_ERROR, 0, "%s",
			       le.msg);
			e = CSIG_OK;
			continue;
		}
		const csig__rule *r = csig__coderes_match(rc->cr, rel);
		if (st.kind == CSIG__VFS_DIR) {
			if (r && (r->flags & CSIG__RULE_EXCLUSION))
				continue;
			if (r && (r->flags & CSIG__RULE_NESTED) && strchr(name, '.'))
				e = check_item(rc, rel, vp, st.kind);
			else
				e = walk(rc, rel);
			continue;
		}
		if (!r || (r->flags & (CSIG__RULE_OMIT | CSIG__RULE_EXCLUSION)))
			continue;
		e = check_item(rc, rel, vp, st.kind);
	}
	csig__free(names);
	return e;
}

static int check_resources(vctx *vc, const csig_bundle *b, const csig__vfs_data *crd,
			   const char *cr_path)
{
	pfindings *pf = &vc->r->pf;
	csig__coderes *cr;
	csig_error le = { 0 };
	csig__error_clear(&le);
	int e = csig__coderes_parse(&cr, crd->bytes.ptr, crd->bytes.len, &b->opts, &le);
	if (e == CSIG_E_NOMEM)
		return e;
	if (e) {
		pf_add(pf, cr_path, "code-resources-malformed", CSIG_SEV_ERROR, le.offset,
		       "CodeResources does not parse: %s", le.msg);
		return CSIG_OK;
	}
	for (size_t i = 0; i < cr->fs.count; i++) {
		const csig_finding *x = &cr->fs.items[i];
		pf_add(pf, cr_path, x->id, x->severity, x->offset, "%s", x->message);
	}
	rctx rc;
	memset(&rc, 0, sizeof(rc));
	rc.vc = vc;
	rc.b = b;
	rc.cr = cr;
	if (csig__vfs_join(rc.prefix, sizeof(rc.prefix), b->relpath, b->content, NULL))
		rc.prefix[0] = '\0';
	rc.seen = csig__calloc_n(cr->nseals ? cr->nseals : 1, 1);
	if (!rc.seen) {
		csig__coderes_free(cr);
		return CSIG_E_NOMEM;
	}
	e = walk(&rc, "");
	for (size_t i = 0; !e && !vc->stopped && i < cr->nseals; i++) {
		const csig__seal *s = &cr->seals[i];
		char fp[PATHBUF];
		if (rc.seen[i] || s->kind == CSIG__SEAL_BAD)
			continue;
		rpath(&rc, s->path, fp, sizeof(fp));
		if (s->optional)
			pf_add(pf, fp, "resource-missing-optional", CSIG_SEV_INFO, s->offset,
			       "optional sealed resource is absent");
		else
			pf_add(pf, fp, "resource-missing", CSIG_SEV_ERROR, s->offset,
			       "sealed resource is absent (or not covered by the rules)");
	}
	csig__free(rc.seen);
	csig__coderes_free(cr);
	return e;
}

/* Entries at the root of a deep or versioned bundle must be the layout's own. */
static int check_root(vctx *vc, const csig_bundle *b)
{
	if (b->layout == CSIG_BUNDLE_SHALLOW)
		return CSIG_OK;
	char **names;
	size_t n;
	csig_error le = { 0 };
	csig__error_clear(&le);
	int e = b->vfs->ops->list(b->vfs, b->vroot, &names, &n, &le);
	if (e)
		return e == CSIG_E_NOMEM ? e : CSIG_OK;
	for (size_t i = 0; i < n; i++) {
		char vp[PATHBUF], fp[PATHBUF];
		csig__vfs_stat st;
		if (b->layout == CSIG_BUNDLE_DEEP && !strcmp(names[i], "Contents"))
			continue;
		if (b->layout == CSIG_BUNDLE_VERSIONED) {
			if (!strcmp(names[i], "Versions"))
				continue;
			if (!csig__vfs_join(vp, sizeof(vp), b->vroot, names[i], NULL) &&
			    !vstat(b->vfs, vp, &st) && st.kind == CSIG__VFS_LINK)
				continue; /* Resources -> Versions/Current/Resources etc. */
		}
		if (csig__vfs_join(fp, sizeof(fp), b->relpath, names[i], NULL))
			continue;
		pf_add(&vc->r->pf, fp, "bundle-root-unsealed", CSIG_SEV_ERROR, 0,
		       "unsealed content in the bundle root, outside %s", b->content);
	}
	csig__free(names);
	return CSIG_OK;
}

/* Mach-O files directly in the nested-code directories (dylibs, helpers). */
static int check_nested_files(vctx *vc, const csig_bundle *b)
{
	for (size_t d = 0; d <= CSIG_ARRAY_LEN(nested_dirs); d++) {
		const char *dir = d < CSIG_ARRAY_LEN(nested_dirs) ? nested_dirs[d] : "MacOS";
		if (d == CSIG_ARRAY_LEN(nested_dirs) && b->layout != CSIG_BUNDLE_DEEP)
			break;
		char dirv[PATHBUF];
		char **names;
		size_t n;
		csig__vfs_stat st;
		if (csig__vfs_join(dirv, sizeof(dirv), b->content_v, dir, NULL))
			continue;
		vstat(b->vfs, dirv, &st);
		if (st.kind != CSIG__VFS_DIR)
			continue;
		csig_error le = { 0 };
		csig__error_clear(&le);
		int e = b->vfs->ops->list(b->vfs, dirv, &names, &n, &le);
		if (e == CSIG_E_NOMEM)
			return e;
		if (e)
			continue;
		for (size_t i = 0; i < n && !e; i++) {
			char vp[PATHBUF], rel[PATHBUF], fp[PATHBUF];
			if (csig__vfs_join(vp, sizeof(vp), dirv, names[i], NULL) ||
			    csig__vfs_join(rel, sizeof(rel), dir, names[i], NULL) ||
			    csig__vfs_join(fp, sizeof(fp), b->content, rel, NULL) ||
			    csig__vfs_join(fp, sizeof(fp), b->relpath, fp, NULL))
				continue;
			if (b->exe_content_rel && !strcmp(rel, b->exe_content_rel))
				continue;
			vstat(b->vfs, vp, &st);
			if (st.kind != CSIG__VFS_FILE)
				continue;
			csig__vfs_data data;
			csig__error_clear(&le);
			if ((e = b->vfs->ops->read(b->vfs, vp, UINT64_MAX, &data, &le))) {
				e = e == CSIG_E_NOMEM ? e : CSIG_OK;
				continue;
			}
			csig_file *f = NULL;
			e = csig_file_open(&f, data.bytes.ptr, data.bytes.len, NULL, &le);
			if (!e) {
				int valid = 1;
				size_t start = vc->r->pf.fs.count;
				e = verify_macho(vc, f, fp, &valid);
				if (!e && (!valid || pf_has_error_since(&vc->r->pf, start)))
					pf_add(&vc->r->pf, fp, "nested-invalid", CSIG_SEV_ERROR, 0,
					       "nested code does not verify");
			} else if (e != CSIG_E_NOMEM) {
				e = CSIG_OK; /* not Mach-O: a plain resource */
			}
			csig_file_free(f);
			csig__vfs_release(b->vfs, &data);
		}
		csig__free(names);
		if (e)
			return e;
	}
	return CSIG_OK;
}

static int verify_bundle(vctx *vc, const csig_bundle *b)
{
	pfindings *pf = &vc->r->pf;
	for (size_t i = 0; i < b->open_fs.fs.count; i++) {
		const csig_finding *x = &b->open_fs.fs.items[i];
		pf_add(pf, b->open_fs.paths[i], x->id, x->severity, x->offset, "%s",
		       x->message);
	}
	char info_path[PATHBUF], cr_path[PATHBUF], cr_v[PATHBUF], exe_path[PATHBUF];
	const char *where = b->layout == CSIG_BUNDLE_VERSIONED ? "Resources/Info.plist" :
			    "Info.plist";
	if (csig__vfs_join(info_path, sizeof(info_path), b->relpath, b->content, NULL) ||
	    csig__vfs_join(info_path, sizeof(info_path), info_path, where, NULL) ||
	    csig__vfs_join(cr_path, sizeof(cr_path), b->relpath, b->content, NULL) ||
	    csig__vfs_join(cr_path, sizeof(cr_path), cr_path, "_CodeSignature/CodeResources", NULL) ||
	    csig__vfs_join(cr_v, sizeof(cr_v), b->content_v, "_CodeSignature/CodeResources", NULL) ||
	    csig__vfs_join(exe_path, sizeof(exe_path), b->relpath,
			   b->exe_rel ? b->exe_rel : "", NULL))
		return CSIG_OK;
	csig__vfs_data crd;
	int has_cr;
	csig_error le = { 0 };
	int e = read_meta(b, cr_v, &crd, &has_cr, &le);
	if (e == CSIG_E_NOMEM)
		return e;
	if (has_cr && e) {
		pf_add(pf, cr_path, "code-resources-unreadable", CSIG_SEV_ERROR, 0,
		       "CodeResources cannot be read: %s", le.msg);
		has_cr = 0;
	}
	e = CSIG_OK;
	const csig__vfs_data *info = &b->info_raw;
	if (b->exe) {
		int valid;
		e = verify_macho(vc, b->exe, exe_path, &valid);
		for (size_t i = 0; !e && i < csig_file_slice_count(b->exe); i++) {
			const csig_sig *sig = csig_slice_signature(csig_file_slice(b->exe, i));
			for (size_t k = 0; sig && k < csig_sig_cd_count(sig); k++)
				check_bound_slots(vc, b, exe_path, csig_sig_cd(sig, k), (int)i,
						  (int)k, info, b->has_info, &crd, has_cr,
						  info_path, cr_path);
		}
	} else if (!b->exe_rel) {
		e = check_detached(vc, b, info, b->has_info, &crd, has_cr, info_path, cr_path);
	}
	if (!e && has_cr)
		e = check_resources(vc, b, &crd, cr_path);
	else if (!e && !has_cr)
		pf_add(pf, cr_path, "code-resources-absent", CSIG_SEV_WARN, 0,
		       "the bundle has no _CodeSignature/CodeResources: its resources are not sealed");
	csig__vfs_release(b->vfs, &crd);
	if (!e)
		e = check_root(vc, b);
	if (!e)
		e = check_nested_files(vc, b);
	for (size_t i = 0; !e && i < b->nkids; i++) {
		size_t start = pf->fs.count;
		e = verify_bundle(vc, b->kids[i]);
		if (!e && pf_has_error_since(pf, start))
			pf_add(pf, b->kids[i]->relpath, "nested-invalid", CSIG_SEV_ERROR, 0,
			       "nested bundle does not verify");
	}
	return e;
}

int csig_bundle_verify(csig_bundle_result **out, const csig_bundle *b,
		       const csig_verify_options *opts, csig_error *err)
{
	csig__error_clear(err);
	if (!out || !b)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "out or bundle is NULL");
	*out = NULL;
	if (opts && opts->version != CSIG_VERIFY_OPTIONS_VERSION)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "unknown verify options version %u",
				 opts->version);
	vctx vc;
	memset(&vc, 0, sizeof(vc));
	vc.vo = opts ? *opts : (csig_verify_options)CSIG_VERIFY_OPTIONS_INIT;
	vc.vo.flags &= ~CSIG_VERIFY_ONE_SLICE;
	vc.max_visit = b->opts.max_count ? b->opts.max_count : CSIG_LIMIT_COUNT_DEFAULT;
	vc.r = csig__calloc_n(1, sizeof(*vc.r));
	if (!vc.r)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory for a bundle result");
	csig_bundle_result *r = vc.r;
	r->layout = b->layout;
	r->from_archive = b->vfs->is_zip;
	r->codeless = b->exe_rel == NULL;
	int e = CSIG_OK;
	if (b->identifier && !(r->identifier = csig__strndup(b->identifier, strlen(b->identifier))))
		e = CSIG_E_NOMEM;
	if (!e && b->exe_rel && !(r->exe = csig__strndup(b->exe_rel, strlen(b->exe_rel))))
		e = CSIG_E_NOMEM;
	if (!e)
		e = verify_bundle(&vc, b);
	if (!e && (r->pf.nomem || r->pf.fs.nomem))
		e = CSIG_E_NOMEM;
	if (e) {
		csig_bundle_result_free(r);
		return CSIG_FAIL(err, e, 0, "bundle verification failed: %s", csig_strerror(e));
	}
	*out = r;
	return CSIG_OK;
}

void csig_bundle_result_free(csig_bundle_result *r)
{
	if (!r)
		return;
	pf_free(&r->pf);
	csig__free(r->identifier);
	csig__free(r->exe);
	csig__free(r);
}

int csig_bundle_result_valid(const csig_bundle_result *r)
{
	return r && !pf_has_error_since(&r->pf, 0);
}

size_t csig_bundle_result_count(const csig_bundle_result *r)
{
	return r ? r->pf.fs.count : 0;
}

const csig_finding *csig_bundle_result_finding(const csig_bundle_result *r, size_t i)
{
	return r && i < r->pf.fs.count ? &r->pf.fs.items[i] : NULL;
}

const char *csig_bundle_result_path(const csig_bundle_result *r, size_t i)
{
	return r && i < r->pf.fs.count && i < r->pf.cap ? r->pf.paths[i] : NULL;
}

uint64_t csig_bundle_result_files_hashed(const csig_bundle_result *r)
{
	return r ? r->files : 0;
}

uint64_t csig_bundle_result_bytes_hashed(const csig_bundle_result *r)
{
	return r ? r->bytes : 0;
}

static const char *layout_name(int l)
{
	return l == CSIG_BUNDLE_DEEP ? "deep" : l == CSIG_BUNDLE_VERSIONED ? "versioned" :
	       "shallow";
}

static const char *sev_name(int s)
{
	return s == CSIG_SEV_ERROR ? "error" : s == CSIG_SEV_WARN ? "warning" : "info";
}

int csig_bundle_result_json(const csig_bundle_result *r, unsigned flags, char **out,
			    size_t *len, csig_error *err)
{
	csig__error_clear(err);
	if (!r || !out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "result or out is NULL");
	csig_json j;
	json_init(&j, (flags & 0x1u) != 0);
	json_obj_begin(&j);
	json_kv_u64(&j, "schema", 1);
	json_kv_str(&j, "document", "bundle-verify");
	json_kv_str(&j, "generator", "libcsig");
	json_kv_str(&j, "version", csig_version_string());
	json_kv_str(&j, "layout", layout_name(r->layout));
	json_kv_bool(&j, "archive", r->from_archive);
	json_kv_bool(&j, "codeless", r->codeless);
	json_key(&j, "identifier");
	if (r->identifier)
		json_str(&j, r->identifier);
	else
		json_null(&j);
	json_key(&j, "main_executable");
	if (r->exe)
		json_str(&j, r->exe);
	else
		json_null(&j);
	int valid = csig_bundle_result_valid(r);
	json_kv_str(&j, "verdict", valid ? "valid" : "invalid");
	json_kv_bool(&j, "valid", valid);
	json_kv_u64(&j, "files_hashed", r->files);
	json_kv_u64(&j, "bytes_hashed", r->bytes);
	json_key(&j, "findings");
	json_arr_begin(&j);
	for (size_t i = 0; i < r->pf.fs.count; i++) {
		const csig_finding *f = &r->pf.fs.items[i];
		const char *p = csig_bundle_result_path(r, i);
		json_obj_begin(&j);
		json_kv_str(&j, "id", f->id);
		json_kv_str(&j, "severity", sev_name(f->severity));
		json_key(&j, "path");
		if (p)
			json_str(&j, p);
		else
			json_null(&j);
		json_kv_i64(&j, "slice", f->slice);
		json_kv_i64(&j, "cd", f->cd);
		json_kv_u64(&j, "offset", f->offset);
		json_kv_str(&j, "message", f->message);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	return json_finish(&j, out, len, err);
}
