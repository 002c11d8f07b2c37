/*
 * cli_scan.c - `csig scan DIR|FILE...`: walk trees, recognise Mach-O files,
 * bundles, .ipa archives and provisioning profiles by content, and print one
 * JSON object per item (JSON Lines, made by csig_scan_*_json) and a closing
 * "type": "summary" object.
 *
 * Design.  One walker thread (the caller) lists directories with
 * opendir/readdir and feeds a bounded queue; --jobs worker threads take
 * paths from it, read a CSIG_SNIFF_PREFIX-byte prefix, open what csig_sniff
 * recognises (Mach-O files through csig_file_open_path, which maps the file:
 * without --verify only header and signature pages are touched) and write
 * each record with one fwrite under a mutex.  Memory is bounded by the queue
 * (SCAN_QUEUE paths), the open directories (one per level, at most
 * SCAN_MAX_DEPTH) and what each worker holds for one item.  Symbolic links
 * are never followed inside a tree (no loops); the walk stays on the device
 * of each root unless --cross-mounts.  Unreadable or vanished files become
 * "type": "error" records and the scan goes on.  When stderr is a terminal a
 * second walker counts the files for the ETA and a progress line is redrawn
 * there; otherwise stderr only gets error messages.
 */
#include <dirent.h>
#include <errno.h>
#include <fcntl.h>
#include <pthread.h>
#include <stdatomic.h>
#include <stdlib.h>
#include <string.h>
#include <strings.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>
#include "cli.h"

#define SCAN_QUEUE 256u        /* paths waiting for a worker */
#define SCAN_MAX_DEPTH 128u    /* directory levels below a root */
#define SCAN_PROFILE_MAX (8u << 20) /* profiles are read whole: bound it */
/* Mach-O files up to this size are read into a per-worker buffer instead of
 * mapped: for small files read() is cheaper than mmap + faults + munmap. */
#define SCAN_SMALL (256u << 10)

enum { ITEM_FILE = 0, ITEM_BUNDLE = 1 };

typedef struct item {
	char *path;
	int kind;
} item;

typedef struct scan {
	const cli_opts *o;
	unsigned jobs;
	/* the queue */
	pthread_mutex_t mu;
	pthread_cond_t not_empty, not_full;
	item q[SCAN_QUEUE];
	size_t head, count;
	int done;
	/* output */
	pthread_mutex_t out_mu;
	int progress;
	/* counts */
	atomic_uint_fast64_t files, bytes, records, macho, profiles, bundles, other,
		errors, skipped, valid, invalid, bytes_hashed;
	atomic_uint_fast64_t total_files; /* from the counting walker */
	atomic_int total_known;
	struct timespec t0;
} scan;

static double now_s(const struct timespec *t0)
{
	struct timespec t;
	clock_gettime(CLOCK_MONOTONIC, &t);
	return (double)(t.tv_sec - t0->tv_sec) + (double)(t.tv_nsec - t0->tv_nsec) / 1e9;
}

/* ---- output ---- */

static void emit(scan *s, char *text, size_t len)
{
	text[len] = '\n'; /* replaces the NUL: one write per line */
	pthread_mutex_lock(&s->out_mu);
	if (s->progress)
		fputs("\r\033[K", stderr);
	fwrite(text, 1, len + 1, stdout);
	pthread_mutex_unlock(&s->out_mu);
	csig_free(text);
	atomic_fetch_add(&s->records, 1);
}

static void emit_error(scan *s, const char *path, int code, const csig_error *e)
{
	char *t;
	size_t n;
	atomic_fetch_add(&s->errors, 1);
	pthread_mutex_lock(&s->out_mu);
	cli_print_error(path, code, e);
	pthread_mutex_unlock(&s->out_mu);
	if (csig_scan_error_json(path, code, e, 0, &t, &n, NULL) == CSIG_OK)
		emit(s, t, n);
}

static void emit_errno(scan *s, const char *path, int errnum, const char *what)
{
	csig_error e;
	memset(&e, 0, sizeof(e));
	e.code = CSIG_E_IO;
	snprintf(e.msg, sizeof(e.msg), "%s: %s", what, strerror(errnum));
	emit_error(s, path, CSIG_E_IO, &e);
}

/* ---- the work on one item ---- */

static int has_suffix(const char *s, const char *suf)
{
	size_t a = strlen(s), b = strlen(suf);
	return a >= b && strcasecmp(s + a - b, suf) == 0;
}

static const char *base_name(const char *p)
{
	const char *b = strrchr(p, '/');
	return b ? b + 1 : p;
}

/* Read [0, size) of fd into buf; -1 on a short read (the file changed). */
static int read_all(int fd, unsigned char *buf, size_t size)
{
	size_t got = 0;
	while (got < size) {
		ssize_t r = pread(fd, buf + got, size - got, (off_t)got);
		if (r < 0 && errno == EINTR)
			continue;
		if (r <= 0)
			return -1;
		got += (size_t)r;
	}
	return 0;
}

static void do_macho(scan *s, const char *path, int fd, uint64_t size, unsigned char *wbuf)
{
	csig_file *f;
	csig_error e;
	int rc;
	if (wbuf && size <= SCAN_SMALL && read_all(fd, wbuf, (size_t)size) == 0)
		rc = csig_file_open(&f, wbuf, (size_t)size, NULL, &e); /* zero-copy view */
	else
		rc = csig_file_open_path(&f, path, NULL, &e); /* mapped */
	if (rc == CSIG_E_BADMAGIC) { /* e.g. a Java class file after all */
		atomic_fetch_add(&s->other, 1);
		return;
	}
	if (rc) {
		emit_error(s, path, rc, &e);
		return;
	}
	csig_verify_result *vr = NULL;
	if (s->o->verify) {
		csig_verify_options vo = CSIG_VERIFY_OPTIONS_INIT;
		vo.jobs = 1; /* the pool is the parallelism */
		vo.at_time = s->o->at;
		if (s->o->check_expiration)
			vo.flags |= CSIG_VERIFY_CHECK_EXPIRATION;
		rc = csig_verify(&vr, f, &vo, &e);
		if (rc) {
			emit_error(s, path, rc, &e);
			csig_file_free(f);
			return;
		}
		atomic_fetch_add(csig_verify_result_valid(vr) ? &s->valid : &s->invalid, 1);
		atomic_fetch_add(&s->bytes_hashed, csig_verify_result_bytes_hashed(vr));
	}
	char *t;
	size_t n;
	rc = csig_scan_record_json(f, path, vr, 0, &t, &n, &e);
	csig_verify_result_free(vr);
	csig_file_free(f);
	if (rc) {
		emit_error(s, path, rc, &e);
		return;
	}
	atomic_fetch_add(&s->macho, 1);
	emit(s, t, n);
}

static void do_profile(scan *s, const char *path, int fd, uint64_t size)
{
	if (size == 0 || size > SCAN_PROFILE_MAX) {
		atomic_fetch_add(&s->other, 1);
		return;
	}
	unsigned char *buf = malloc((size_t)size);
	if (!buf) {
		emit_error(s, path, CSIG_E_NOMEM, NULL);
		return;
	}
	csig_profile *p = NULL;
	csig_error e;
	int rc = read_all(fd, buf, (size_t)size) == 0 ?
		 csig_profile_parse(&p, buf, (size_t)size, NULL, &e) : CSIG_E_TRUNCATED;
	free(buf);
	if (rc) {
		/* a CMS that is no profile, e.g. _CodeSignature/CodeSignature */
		atomic_fetch_add(&s->other, 1);
		return;
	}
	const csig_cms *cms = csig_profile_cms(p);
	if (cms && csig_cms_is_detached(cms)) {
		csig_profile_free(p);
		atomic_fetch_add(&s->other, 1);
		return;
	}
	char *t;
	size_t n;
	rc = csig_scan_profile_json(p, path, s->o->at, 0, &t, &n, &e);
	csig_profile_free(p);
	if (rc) {
		emit_error(s, path, rc, &e);
		return;
	}
	atomic_fetch_add(&s->profiles, 1);
	emit(s, t, n);
}

static void do_bundle(scan *s, const char *path, int quiet_notfound)
{
	csig_bundle *b;
	csig_error e;
	int rc = csig_bundle_open_path(&b, path, NULL, &e);
	if (rc == CSIG_E_NOTFOUND && quiet_notfound)
		return;
	if (rc) {
		emit_error(s, path, rc, &e);
		return;
	}
	csig_bundle_result *r = NULL;
	if (s->o->verify) {
		csig_verify_options vo = CSIG_VERIFY_OPTIONS_INIT;
		vo.jobs = 1;
		vo.at_time = s->o->at;
		if (s->o->check_expiration)
			vo.flags |= CSIG_VERIFY_CHECK_EXPIRATION;
		rc = csig_bundle_verify(&r, b, &vo, &e);
		if (rc) {
			emit_error(s, path, rc, &e);
			csig_bundle_free(b);
			return;
		}
		atomic_fetch_add(csig_bundle_result_valid(r) ? &s->valid : &s->invalid, 1);
		atomic_fetch_add(&s->bytes_hashed, csig_bundle_result_bytes_hashed(r));
	}
	char *t;
	size_t n;
	rc = csig_scan_bundle_json(b, path, r, 0, &t, &n, &e);
	csig_bundle_result_free(r);
	csig_bundle_free(b);
	if (rc) {
		emit_error(s, path, rc, &e);
		return;
	}
	atomic_fetch_add(&s->bundles, 1);
	emit(s, t, n);
}

static void do_file(scan *s, const char *path, unsigned char *wbuf)
{
	int fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC | O_NONBLOCK);
	if (fd < 0) {
		if (errno == ELOOP) { /* became a symlink after the listing */
			atomic_fetch_add(&s->skipped, 1);
			return;
		}
		emit_errno(s, path, errno, errno == ENOENT ? "vanished" : "cannot open");
		return;
	}
	struct stat st;
	if (fstat(fd, &st) != 0) {
		emit_errno(s, path, errno, "cannot stat");
		close(fd);
		return;
	}
	if (!S_ISREG(st.st_mode)) { /* a FIFO or device swapped in */
		atomic_fetch_add(&s->skipped, 1);
		close(fd);
		return;
	}
	atomic_fetch_add(&s->files, 1);
	atomic_fetch_add(&s->bytes, (uint64_t)st.st_size);
	unsigned char pre[CSIG_SNIFF_PREFIX];
	ssize_t got;
	do
		got = pread(fd, pre, sizeof(pre), 0);
	while (got < 0 && errno == EINTR);
	if (got < 0) {
		emit_errno(s, path, errno, "cannot read");
		close(fd);
		return;
	}
	int kind = csig_sniff(pre, (size_t)got);
	const char *bn = base_name(path);
	switch (kind) {
	case CSIG_SNIFF_MACHO:
	case CSIG_SNIFF_FAT:
		do_macho(s, path, fd, (uint64_t)st.st_size, wbuf);
		break;
	case CSIG_SNIFF_PROFILE_CMS:
		do_profile(s, path, fd, (uint64_t)st.st_size);
		break;
	case CSIG_SNIFF_PLIST:
		if (has_suffix(bn, ".mobileprovision") || has_suffix(bn, ".provisionprofile"))
			do_profile(s, path, fd, (uint64_t)st.st_size);
		else
			atomic_fetch_add(&s->other, 1);
		break;
	case CSIG_SNIFF_ZIP:
		close(fd);
		if (has_suffix(bn, ".ipa"))
			do_bundle(s, path, 0);
		else
			atomic_fetch_add(&s->other, 1);
		return;
	default:
		atomic_fetch_add(&s->other, 1);
		break;
	}
	close(fd);
}

/* ---- queue ---- */

static void push(scan *s, const char *path, int kind)
{
	char *p = strdup(path);
	if (!p) {
		emit_error(s, path, CSIG_E_NOMEM, NULL);
		return;
	}
	pthread_mutex_lock(&s->mu);
	while (s->count == SCAN_QUEUE)
		pthread_cond_wait(&s->not_full, &s->mu);
	item *it = &s->q[(s->head + s->count) % SCAN_QUEUE];
	it->path = p;
	it->kind = kind;
	s->count++;
	pthread_cond_signal(&s->not_empty);
	pthread_mutex_unlock(&s->mu);
}

static void *worker(void *arg)
{
	scan *s = arg;
	unsigned char *wbuf = malloc(SCAN_SMALL); /* NULL: map every file */
	for (;;) {
		pthread_mutex_lock(&s->mu);
		while (s->count == 0 && !s->done)
			pthread_cond_wait(&s->not_empty, &s->mu);
		if (s->count == 0) {
			pthread_mutex_unlock(&s->mu);
			free(wbuf);
			return NULL;
		}
		item it = s->q[s->head];
		s->head = (s->head + 1) % SCAN_QUEUE;
		s->count--;
		pthread_cond_signal(&s->not_full);
		pthread_mutex_unlock(&s->mu);
		if (it.kind == ITEM_BUNDLE)
			do_bundle(s, it.path, 1);
		else
			do_file(s, it.path, wbuf);
		free(it.path);
	}
}

/* ---- the walk ---- */

static const char *const bundle_ext[] = {
	".app", ".framework", ".appex", ".bundle", ".xpc", ".plugin", ".kext",
	".systemextension", ".dext", ".qlgenerator", ".mdimporter", ".prefPane",
	".saver", ".docset", ".wdgt"
};

/* A directory named like a bundle with Info.plist or _CodeSignature inside. */
static int is_bundle_dir(const char *path)
{
	const char *bn = base_name(path);
	int named = 0;
	for (size_t i = 0; i < sizeof(bundle_ext) / sizeof(bundle_ext[0]); i++)
		if (has_suffix(bn, bundle_ext[i]))
			named = 1;
	if (!named)
		return 0;
	static const char *const marks[] = {
		"Info.plist", "Contents/Info.plist", "_CodeSignature",
		"Contents/_CodeSignature", "Resources/Info.plist"
	};
	char buf[4096];
	struct stat st;
	for (size_t i = 0; i < sizeof(marks) / sizeof(marks[0]); i++) {
		if ((size_t)snprintf(buf, sizeof(buf), "%s/%s", path, marks[i]) >= sizeof(buf))
			return 0;
		if (stat(buf, &st) == 0)
			return 1;
	}
	return 0;
}

typedef struct walk {
	scan *s;
	int count_only; /* the progress thread's counting pass */
	uint64_t n;
	char path[4096];
} walk;

static void walk_dir(walk *w, size_t plen, dev_t dev, unsigned depth)
{
	scan *s = w->s;
	if (depth > SCAN_MAX_DEPTH) {
		if (!w->count_only) {
			atomic_fetch_add(&s->skipped, 1);
			pthread_mutex_lock(&s->out_mu);
			fprintf(stderr, "csig: %s: deeper than %u levels; not entered\n",
				w->path, SCAN_MAX_DEPTH);
			pthread_mutex_unlock(&s->out_mu);
		}
		return;
	}
	DIR *d = opendir(w->path);
	if (!d) {
		if (!w->count_only)
			emit_errno(s, w->path, errno, "cannot list directory");
		return;
	}
	struct dirent *de;
	while ((de = readdir(d)) != NULL) {
		const char *name = de->d_name;
		if (name[0] == '.' && (name[1] == '\0' || (name[1] == '.' && name[2] == '\0')))
			continue;
		size_t nl = strlen(name);
		if (plen + 1 + nl + 1 > sizeof(w->path)) {
			if (!w->count_only) {
				csig_error e;
				memset(&e, 0, sizeof(e));
				snprintf(e.msg, sizeof(e.msg), "path longer than %zu bytes: %s",
					 sizeof(w->path), name);
				emit_error(s, w->path, CSIG_E_LIMIT, &e);
			}
			continue;
		}
		w->path[plen] = '/';
		memcpy(w->path + plen + 1, name, nl + 1);
		unsigned char t = de->d_type;
		struct stat st;
		if (t == DT_UNKNOWN || t == DT_DIR) {
			if (lstat(w->path, &st) != 0) {
				if (!w->count_only)
					emit_errno(s, w->path, errno, "vanished");
				continue;
			}
			t = S_ISDIR(st.st_mode) ? DT_DIR : S_ISREG(st.st_mode) ? DT_REG :
			    S_ISLNK(st.st_mode) ? DT_LNK : DT_UNKNOWN;
		}
		if (t == DT_REG) {
			if (w->count_only)
				w->n++;
			else
				push(s, w->path, ITEM_FILE);
		} else if (t == DT_DIR) {
			if (!s->o->cross_mounts && st.st_dev != dev) {
				if (!w->count_only)
					atomic_fetch_add(&s->skipped, 1);
				continue;
			}
			if (!w->count_only && is_bundle_dir(w->path))
				push(s, w->path, ITEM_BUNDLE);
			walk_dir(w, plen + 1 + nl, dev, depth + 1);
		} else if (!w->count_only) {
			atomic_fetch_add(&s->skipped, 1); /* symlinks, sockets, ... */
		}
	}
	closedir(d);
	w->path[plen] = '\0';
}

/* Walk one command-line root: a file, or a directory (followed if the
 * argument itself is a symbolic link, as find -H does). */
static void walk_root(walk *w, const char *root)
{
	struct stat st;
	if (stat(root, &st) != 0) {
		if (!w->count_only)
			emit_errno(w->s, root, errno, "cannot stat");
		return;
	}
	size_t n = strlen(root);
	while (n > 1 && root[n - 1] == '/')
		n--;
	if (n >= sizeof(w->path)) {
		if (!w->count_only)
			emit_errno(w->s, root, ENAMETOOLONG, "root");
		return;
	}
	memcpy(w->path, root, n);
	w->path[n] = '\0';
	if (S_ISREG(st.st_mode)) {
		if (w->count_only)
			w->n++;
		else
			push(w->s, w->path, ITEM_FILE);
	} else if (S_ISDIR(st.st_mode)) {
		if (!w->count_only && is_bundle_dir(w->path))
			push(w->s, w->path, ITEM_BUNDLE);
		if (n == 1 && w->path[0] == '/')
			n = 0; /* children of "/" are "/x", not "//x" */
		walk_dir(w, n, st.st_dev, 1);
	} else if (!w->count_only) {
		atomic_fetch_add(&w->s->skipped, 1);
	}
}

/* ---- progress (stderr is a terminal) ---- */

typedef struct progress_ctx {
	scan *s;
	pthread_mutex_t mu;
	pthread_cond_t cv;
	int stop;
} progress_ctx;

static void *count_thread(void *arg)
{
	scan *s = arg;
	walk *w = malloc(sizeof(*w));
	if (!w)
		return NULL;
	w->s = s;
	w->count_only = 1;
	w->n = 0;
	for (int i = 0; i < s->o->argc; i++)
		walk_root(w, s->o->argv[i]);
	atomic_store(&s->total_files, w->n);
	atomic_store(&s->total_known, 1);
	free(w);
	return NULL;
}

static void draw_progress(scan *s)
{
	double t = now_s(&s->t0);
	uint64_t f = atomic_load(&s->files);
	uint64_t b = atomic_load(&s->bytes);
	double fps = t > 0 ? (double)f / t : 0, bps = t > 0 ? (double)b / t : 0;
	char eta[32] = "?";
	if (atomic_load(&s->total_known) && fps > 0) {
		uint64_t tot = atomic_load(&s->total_files);
		double left = tot > f ? (double)(tot - f) / fps : 0;
		snprintf(eta, sizeof(eta), "%.0fs", left);
	}
	pthread_mutex_lock(&s->out_mu);
	fprintf(stderr, "\r\033[K%llu files, %llu records, %.0f files/s, %.1f MB/s, ETA %s",
		(unsigned long long)f, (unsigned long long)atomic_load(&s->records), fps,
		bps / 1e6, eta);
	fflush(stderr);
	pthread_mutex_unlock(&s->out_mu);
}

static void *progress_thread(void *arg)
{
	progress_ctx *p = arg;
	pthread_mutex_lock(&p->mu);
	while (!p->stop) {
		struct timespec ts;
		clock_gettime(CLOCK_REALTIME, &ts);
		ts.tv_nsec += 250000000L;
		if (ts.tv_nsec >= 1000000000L) {
			ts.tv_sec++;
			ts.tv_nsec -= 1000000000L;
		}
		pthread_cond_timedwait(&p->cv, &p->mu, &ts);
		if (!p->stop)
			draw_progress(p->s);
	}
	pthread_mutex_unlock(&p->mu);
	return NULL;
}

/* ---- the command ---- */

int cmd_scan(const cli_opts *o)
{
	scan *s = calloc(1, sizeof(*s));
	walk *w = malloc(sizeof(*w));
	if (!s || !w) {
		free(s);
		free(w);
		fprintf(stderr, "csig: out of memory\n");
		return EXIT_UNREADABLE;
	}
	s->o = o;
	s->jobs = o->jobs;
	if (s->jobs == 0) {
		long n = sysconf(_SC_NPROCESSORS_ONLN);
		s->jobs = n > 0 && n <= 256 ? (unsigned)n : 1;
	}
	pthread_mutex_init(&s->mu, NULL);
	pthread_mutex_init(&s->out_mu, NULL);
	pthread_cond_init(&s->not_empty, NULL);
	pthread_cond_init(&s->not_full, NULL);
	s->progress = isatty(STDERR_FILENO);
	clock_gettime(CLOCK_MONOTONIC, &s->t0);

	pthread_t *th = calloc(s->jobs, sizeof(*th));
	unsigned started = 0;
	for (; th && started < s->jobs; started++)
		if (pthread_create(&th[started], NULL, worker, s) != 0)
			break;
	if (started == 0) {
		fprintf(stderr, "csig: cannot start worker threads\n");
		free(th);
		free(s);
		free(w);
		return EXIT_UNREADABLE;
	}
	pthread_t counter, prog;
	progress_ctx pc = { s, PTHREAD_MUTEX_INITIALIZER, PTHREAD_COND_INITIALIZER, 0 };
	int have_counter = 0, have_prog = 0;
	if (s->progress) {
		have_counter = pthread_create(&counter, NULL, count_thread, s) == 0;
		have_prog = pthread_create(&prog, NULL, progress_thread, &pc) == 0;
	}

	w->s = s;
	w->count_only = 0;
	w->n = 0;
	for (int i = 0; i < o->argc; i++)
		walk_root(w, o->argv[i]);

	pthread_mutex_lock(&s->mu);
	s->done = 1;
	pthread_cond_broadcast(&s->not_empty);
	pthread_mutex_unlock(&s->mu);
	for (unsigned i = 0; i < started; i++)
		pthread_join(th[i], NULL);
	free(th);
	if (have_prog) {
		pthread_mutex_lock(&pc.mu);
		pc.stop = 1;
		pthread_cond_signal(&pc.cv);
		pthread_mutex_unlock(&pc.mu);
		pthread_join(prog, NULL);
		fputs("\r\033[K", stderr);
	}
	if (have_counter)
		pthread_join(counter, NULL);

	csig_scan_counts c = CSIG_SCAN_COUNTS_INIT;
	c.files = atomic_load(&s->files);
	c.bytes = atomic_load(&s->bytes);
	c.macho = atomic_load(&s->macho);
	c.profiles = atomic_load(&s->profiles);
	c.bundles = atomic_load(&s->bundles);
	c.other = atomic_load(&s->other);
	c.errors = atomic_load(&s->errors);
	c.skipped = atomic_load(&s->skipped);
	c.valid = atomic_load(&s->valid);
	c.invalid = atomic_load(&s->invalid);
	c.bytes_hashed = atomic_load(&s->bytes_hashed);
	c.records = atomic_load(&s->records);
	c.seconds = now_s(&s->t0);
	c.jobs = started;
	c.verified = o->verify;
	char *t;
	size_t n;
	int rc = csig_scan_summary_json(&c, 0, &t, &n, NULL);
	if (rc == CSIG_OK) {
		t[n] = '\n';
		fwrite(t, 1, n + 1, stdout);
		csig_free(t);
	}
	fflush(stdout);
	pthread_mutex_destroy(&s->mu);
	pthread_mutex_destroy(&s->out_mu);
	pthread_cond_destroy(&s->not_empty);
	pthread_cond_destroy(&s->not_full);
	free(s);
	free(w);
	if (c.errors)
		return EXIT_UNREADABLE;
	return c.invalid ? EXIT_INVALID : EXIT_VALID;
}
