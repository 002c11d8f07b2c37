/*
 * check_bundle.c - bundles and .ipa archives: the real fixtures' verdicts,
 * and variants made at test time in a mkdtemp directory (a copy of a real
 * bundle with one file modified, one deleted, one added; symlinks; nested
 * bundles; self-made code-less bundles).  Tests write only into temp dirs.
 */
#include <unistd.h>
#include "testutil.h"
#include "util.h" /* csig__test_fail_alloc_after */

/* ---- temp-tree helpers ---- */

static void write_file(const char *path, const void *p, size_t n)
{
	FILE *f = fopen(path, "wb");
	ck_assert_msg(f != NULL, "cannot write %s", path);
	if (n)
		ck_assert_uint_eq(fwrite(p, 1, n, f), n);
	fclose(f);
}

static void copy_tree(const char *src, const char *dst)
{
	struct stat st;
	ck_assert_int_eq(lstat(src, &st), 0);
	if (S_ISDIR(st.st_mode)) {
		ck_assert_int_eq(mkdir(dst, 0755), 0);
		DIR *d = opendir(src);
		ck_assert_ptr_nonnull(d);
		struct dirent *de;
		while ((de = readdir(d)) != NULL) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			char s[2048], t[2048];
			snprintf(s, sizeof(s), "%s/%s", src, de->d_name);
			snprintf(t, sizeof(t), "%s/%s", dst, de->d_name);
			copy_tree(s, t);
		}
		closedir(d);
	} else if (S_ISLNK(st.st_mode)) {
		char target[1024];
		ssize_t n = readlink(src, target, sizeof(target) - 1);
		ck_assert_int_ge(n, 0);
		target[n] = 0;
		ck_assert_int_eq(symlink(target, dst), 0);
	} else {
		size_t len;
		unsigned char *b = tu_read_file(src, &len);
		ck_assert_ptr_nonnull(b);
		write_file(dst, b, len);
		free(b);
	}
}

static void rm_tree(const char *p)
{
	struct stat st;
	if (lstat(p, &st) != 0)
		return;
	if (S_ISDIR(st.st_mode)) {
		DIR *d = opendir(p);
		struct dirent *de;
		while (d && (de = readdir(d)) != NULL) {
			if (!strcmp(de->d_name, ".") || !strcmp(de->d_name, ".."))
				continue;
			char s[2048];
			snprintf(s, sizeof(s), "%s/%s", p, de->d_name);
			rm_tree(s);
		}
		if (d)
			closedir(d);
		rmdir(p);
	} else {
		unlink(p);
	}
}

static char tmpdir[512];

static const char *mktemp_dir(void)
{
	const char *base = getenv("TMPDIR");
	snprintf(tmpdir, sizeof(tmpdir), "%s/csig-bundle-XXXXXX", base ? base : "/tmp");
	ck_assert_ptr_nonnull(mkdtemp(tmpdir));
	return tmpdir;
}

/* ---- verification helpers ---- */

typedef struct verdict {
	int valid;
	size_t count;
	csig_bundle_result *r;
	csig_bundle *b;
} verdict;

static int verify_path(const char *path, verdict *v)
{
	csig_error err;
	memset(v, 0, sizeof(*v));
	int e = csig_bundle_open_path(&v->b, path, NULL, &err);
	if (e)
		return e;
	csig_verify_options vo = CSIG_VERIFY_OPTIONS_INIT;
	vo.jobs = 1;
	e = csig_bundle_verify(&v->r, v->b, &vo, &err);
	ck_assert_msg(e == CSIG_OK, "verify %s: %s", path, err.msg);
	v->valid = csig_bundle_result_valid(v->r);
	v->count = csig_bundle_result_count(v->r);
	/* the JSON document always builds */
	char *text = NULL;
	ck_assert_int_eq(csig_bundle_result_json(v->r, 0, &text, NULL, &err), CSIG_OK);
	ck_assert_ptr_nonnull(strstr(text, "\"document\":\"bundle-verify\""));
	csig_free(text);
	return CSIG_OK;
}

static void verdict_free(verdict *v)
{
	csig_bundle_result_free(v->r);
	csig_bundle_free(v->b);
}

/* Is there a finding @id (any path when @path is NULL)? */
static int has(const verdict *v, const char *id, const char *path)
{
	for (size_t i = 0; i < v->count; i++) {
		const csig_finding *f = csig_bundle_result_finding(v->r, i);
		const char *p = csig_bundle_result_path(v->r, i);
		if (!strcmp(f->id, id) && (!path || (p && !strcmp(p, path))))
			return 1;
	}
	return 0;
}

static void dump(const verdict *v)
{
	for (size_t i = 0; i < v->count; i++) {
		const csig_finding *f = csig_bundle_result_finding(v->r, i);
		if (f->severity == CSIG_SEV_ERROR)
			printf("  %s: %s [%s]\n", csig_bundle_result_path(v->r, i), f->message, f->id);
	}
}

/* ---- the real fixtures ---- */

static const struct {
	const char *rel;
	int valid;
	const char *must;       /* a finding id that must be present, or NULL */
	const char *must_path;
	size_t nested;
} real_cases[] = {
	{ "sparkle/DevSignedApp.app", 1, NULL, NULL, 0 },
	{ "sparkle/CodeSignedOnly.bundle", 1, "adhoc", NULL, 0 },
	{ "sparkle/CodeSignedInvalidOnly.bundle", 0, "info-plist-mismatch", "Contents/Info.plist", 0 },
	{ "sparkle/CodeSignedInvalidOnly.bundle", 0, "code-hash-mismatch", "Contents/Info.plist", 0 },
	{ "isign/Test.app", 0, "resource-missing", "Frameworks/libswiftCore.dylib", 0 },
	{ "isign/Test.app", 0, "resource-missing", "embedded.mobileprovision", 0 },
	/* the fixture omits the app's storyboards: they are reported missing */
	{ "fastlane/very-capable-app.app", 0, "resource-missing",
	  "Base.lproj/Main.storyboardc/Info.plist", 0 },
	{ "fastlane/simulator-app.app", 0, "resource-missing",
	  "Base.lproj/LaunchScreen.storyboardc/Info.plist", 0 },
	{ "app_info/FMDB.framework", 1, NULL, NULL, 0 },
	{ "app_info/NotificationService.appex", 1, NULL, NULL, 0 },
	{ "app_info/embedded.ipa", 1, NULL, NULL, 1 },
	{ "app_info/iphone.ipa", 1, NULL, NULL, 0 },
	{ "app_info/ipad.ipa", 1, NULL, NULL, 0 },
	/* complete, but signed by a self-signed "TestFixture" certificate */
	{ "fastlane/very-capable-app.ipa", 0, "cms-untrusted-anchor", "very-capable-app", 0 },
};

START_TEST(test_real)
{
	const char *root = tu_real_fixtures();
	if (!root)
		return;
	char p[1024];
	snprintf(p, sizeof(p), "%s/%s", root, real_cases[_i].rel);
	verdict v;
	ck_assert_int_eq(verify_path(p, &v), CSIG_OK);
	if (v.valid != real_cases[_i].valid)
		dump(&v);
	ck_assert_msg(v.valid == real_cases[_i].valid, "%s: valid %d", real_cases[_i].rel, v.valid);
	if (real_cases[_i].must)
		ck_assert_msg(has(&v, real_cases[_i].must, real_cases[_i].must_path),
			      "%s: no %s for %s", real_cases[_i].rel, real_cases[_i].must,
			      real_cases[_i].must_path ? real_cases[_i].must_path : "*");
	ck_assert(!has(&v, "resource-added", NULL));
	ck_assert_uint_eq(csig_bundle_nested_count(v.b), real_cases[_i].nested);
	verdict_free(&v);
}
END_TEST

START_TEST(test_getters)
{
	const char *root = tu_real_fixtures();
	if (!root)
		return;
	char p[1024];
	csig_bundle *b;
	csig_error err;
	snprintf(p, sizeof(p), "%s/sparkle/DevSignedApp.app/", root);
	ck_assert_int_eq(csig_bundle_open_path(&b, p, NULL, &err), CSIG_OK);
	ck_assert_int_eq(csig_bundle_layout(b), CSIG_BUNDLE_DEEP);
	ck_assert_str_eq(csig_bundle_content_dir(b), "Contents");
	ck_assert_str_eq(csig_bundle_main_executable(b), "Contents/MacOS/SignedApp");
	ck_assert_str_eq(csig_bundle_identifier(b), "com.zoo.SignedApp");
	ck_assert_str_eq(csig_bundle_path(b), "");
	ck_assert_ptr_nonnull(csig_bundle_executable(b));
	ck_assert_ptr_nonnull(csig_bundle_info_plist(b));
	ck_assert_int_eq(csig_bundle_is_codeless(b), 0);
	ck_assert_int_eq(csig_bundle_from_archive(b), 0);
	ck_assert_ptr_null(csig_bundle_nested(b, 0));
	csig_bundle_free(b);

	snprintf(p, sizeof(p), "%s/sparkle/CodeSignedOnly.bundle", root);
	ck_assert_int_eq(csig_bundle_open_path(&b, p, NULL, &err), CSIG_OK);
	ck_assert_int_eq(csig_bundle_is_codeless(b), 1);
	ck_assert_ptr_null(csig_bundle_main_executable(b));
	ck_assert_ptr_null(csig_bundle_executable(b));
	csig_bundle_free(b);

	snprintf(p, sizeof(p), "%s/app_info/embedded.ipa", root);
	ck_assert_int_eq(csig_bundle_open_path(&b, p, NULL, &err), CSIG_OK);
	ck_assert_int_eq(csig_bundle_from_archive(b), 1);
	ck_assert_int_eq(csig_bundle_layout(b), CSIG_BUNDLE_SHALLOW);
	ck_assert_str_eq(csig_bundle_main_executable(b), "Demo");
	const csig_bundle *k = csig_bundle_nested(b, 0);
	ck_assert_ptr_nonnull(k);
	ck_assert_str_eq(csig_bundle_path(k), "PlugIns/Notification.appex");
	ck_assert_str_eq(csig_bundle_main_executable(k), "Notification");
	csig_bundle_free(b);
	csig_bundle_free(NULL);
}
END_TEST

START_TEST(test_open_errors)
{
	csig_bundle *b = (csig_bundle *)1;
	csig_error err;
	char p[1024];
	ck_assert_int_eq(csig_bundle_open_path(NULL, "x", NULL, &err), CSIG_E_INVAL);
	ck_assert_int_eq(csig_bundle_open_path(&b, NULL, NULL, &err), CSIG_E_INVAL);
	ck_assert_int_eq(csig_bundle_open_path(&b, "/nonexistent/x.app", NULL, &err), CSIG_E_IO);
	ck_assert_ptr_null(b);
	csig_open_options bad = CSIG_OPEN_OPTIONS_INIT;
	bad.version = 99;
	ck_assert_int_eq(csig_bundle_open_path(&b, "/tmp", &bad, &err), CSIG_E_INVAL);
	/* a directory that is not a bundle */
	const char *t = mktemp_dir();
	ck_assert_int_eq(csig_bundle_open_path(&b, t, NULL, &err), CSIG_E_NOTFOUND);
	/* an archive without Payload/ ; archives with unsafe names */
	ck_assert_int_lt(csig_bundle_open_path(&b, tu_testdata("zip/stored.zip", p, sizeof(p)),
					       NULL, &err), 0);
	ck_assert_int_lt(csig_bundle_open_path(&b, tu_testdata("zip/bad-names.zip", p, sizeof(p)),
					       NULL, &err), 0);
	ck_assert_int_lt(csig_bundle_open_path(&b, tu_testdata("zip/bad-truncated.zip", p, sizeof(p)),
					       NULL, &err), 0);
	rm_tree(t);
	csig_bundle_result *r = NULL;
	ck_assert_int_eq(csig_bundle_verify(&r, NULL, NULL, &err), CSIG_E_INVAL);
	ck_assert_int_eq(csig_bundle_result_valid(NULL), 0);
	ck_assert_uint_eq(csig_bundle_result_count(NULL), 0);
	csig_bundle_result_free(NULL);
}
END_TEST

/* ---- variants of DevSignedApp.app in a temp dir ---- */

static const char *copy_dev_app(char *app, size_t n)
{
	const char *root = tu_real_fixtures();
	if (!root)
		return NULL;
	char src[1024];
	snprintf(src, sizeof(src), "%s/sparkle/DevSignedApp.app", root);
	snprintf(app, n, "%s/DevSignedApp.app", mktemp_dir());
	copy_tree(src, app);
	return app;
}

START_TEST(test_variant_modified_missing_added)
{
	char app[1024], p[1200];
	if (!copy_dev_app(app, sizeof(app)))
		return;
	verdict v;
	ck_assert_int_eq(verify_path(app, &v), CSIG_OK);
	ck_assert(v.valid);
	verdict_free(&v);
	/* modify one byte of the sealed nib */
	snprintf(p, sizeof(p), "%s/Contents/Resources/Base.lproj/MainMenu.nib", app);
	size_t len;
	unsigned char *nib = tu_read_file(p, &len);
	nib[len / 2] ^= 1;
	write_file(p, nib, len);
	ck_assert_int_eq(verify_path(app, &v), CSIG_OK);
	ck_assert(!v.valid);
	ck_assert(has(&v, "resource-modified", "Contents/Resources/Base.lproj/MainMenu.nib"));
	verdict_free(&v);
	/* delete it */
	ck_assert_int_eq(unlink(p), 0);
	ck_assert_int_eq(verify_path(app, &v), CSIG_OK);
	ck_assert(!v.valid);
	ck_assert(has(&v, "resource-missing", "Contents/Resources/Base.lproj/MainMenu.nib"));
	verdict_free(&v);
	/* restore it, add a file and a symlink, and omitted .DS_Store (no finding) */
	nib[len / 2] ^= 1;
	write_file(p, nib, len);
	free(nib);
	snprintf(p, sizeof(p), "%s/Contents/Resources/added.txt", app);
	write_file(p, "hello", 5);
	snprintf(p, sizeof(p), "%s/Contents/Resources/link", app);
	ck_assert_int_eq(symlink("added.txt", p), 0);
	snprintf(p, sizeof(p), "%s/Contents/Resources/.DS_Store", app);
	write_file(p, "x", 1);
	ck_assert_int_eq(verify_path(app, &v), CSIG_OK);
	ck_assert(!v.valid);
	ck_assert(has(&v, "resource-added", "Contents/Resources/added.txt"));
	ck_assert(has(&v, "resource-added", "Contents/Resources/link"));
	ck_assert(!has(&v, "resource-added", "Contents/Resources/.DS_Store"));
	ck_assert(!has(&v, "resource-modified", NULL));
	verdict_free(&v);
	rm_tree(tmpdir);
}
END_TEST

START_TEST(test_variant_bound_files)
{
	char app[1024], p[1200];
	if (!copy_dev_app(app, sizeof(app)))
		return;
	/* Info.plist and CodeResources are bound by special slots 1 and 3 */
	snprintf(p, sizeof(p), "%s/Contents/Info.plist", app);
	size_t len;
	unsigned char *b = tu_read_file(p, &len);
	write_file(p, b, len - 1);
	free(b);
	snprintf(p, sizeof(p), "%s/Contents/_CodeSignature/CodeResources", app);
	b = tu_read_file(p, &len);
	write_file(p, b, len - 1); /* drop the final newline: still parses */
	free(b);
	snprintf(p, sizeof(p), "%s/stray", app);
	write_file(p, "x", 1);
	verdict v;
	ck_assert_int_eq(verify_path(app, &v), CSIG_OK);
	ck_assert(!v.valid);
	ck_assert(has(&v, "info-plist-mismatch", "Contents/Info.plist"));
	ck_assert(has(&v, "code-resources-mismatch", "Contents/_CodeSignature/CodeResources"));
	ck_assert(has(&v, "bundle-root-unsealed", "stray"));
	verdict_free(&v);
	/* the main executable missing */
	snprintf(p, sizeof(p), "%s/Contents/MacOS/SignedApp", app);
	unlink(p);
	ck_assert_int_eq(verify_path(app, &v), CSIG_OK);
	ck_assert(has(&v, "main-executable-missing", "Contents/MacOS/SignedApp"));
	verdict_free(&v);
	rm_tree(tmpdir);
}
END_TEST

START_TEST(test_variant_nested)
{
	char app[1024], p[1200], src[1200];
	const char *root = tu_real_fixtures();
	if (!copy_dev_app(app, sizeof(app)))
		return;
	snprintf(p, sizeof(p), "%s/Contents/Frameworks", app);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/Contents/Frameworks/Good.bundle", app);
	snprintf(src, sizeof(src), "%s/sparkle/CodeSignedOnly.bundle", root);
	copy_tree(src, p);
	snprintf(p, sizeof(p), "%s/Contents/Frameworks/Bad.bundle", app);
	snprintf(src, sizeof(src), "%s/sparkle/CodeSignedInvalidOnly.bundle", root);
	copy_tree(src, p);
	verdict v;
	ck_assert_int_eq(verify_path(app, &v), CSIG_OK);
	ck_assert_uint_eq(csig_bundle_nested_count(v.b), 2);
	ck_assert(!v.valid);
	/* not sealed by the outer CodeResources (nested rule on macOS) */
	ck_assert(has(&v, "resource-added", "Contents/Frameworks/Good.bundle"));
	ck_assert(has(&v, "nested-invalid", "Contents/Frameworks/Bad.bundle"));
	ck_assert(!has(&v, "nested-invalid", "Contents/Frameworks/Good.bundle"));
	ck_assert(has(&v, "info-plist-mismatch", "Contents/Frameworks/Bad.bundle/Contents/Info.plist"));
	verdict_free(&v);
	rm_tree(tmpdir);
}
END_TEST

/* ---- a self-made shallow code-less bundle with symlink seals ---- */

static void hex32(const char *text, char out[64])
{
	uint8_t d[64];
	size_t n;
	ck_assert_int_eq(csig_digest(CSIG_HASHTYPE_SHA256, text, strlen(text), d, &n), CSIG_OK);
	/* base64 of the 32-byte digest */
	static const char b64[] = "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	size_t o = 0;
	for (size_t i = 0; i < 32; i += 3) {
		uint32_t v = (uint32_t)d[i] << 16 | (i + 1 < 32 ? (uint32_t)d[i + 1] << 8 : 0) |
			     (i + 2 < 32 ? d[i + 2] : 0);
		out[o++] = b64[v >> 18 & 63];
		out[o++] = b64[v >> 12 & 63];
		out[o++] = i + 1 < 32 ? b64[v >> 6 & 63] : '=';
		out[o++] = i + 2 < 32 ? b64[v & 63] : '=';
	}
	out[o] = 0;
}

START_TEST(test_symlinks_selfmade)
{
	char dir[1024], p[1200], h[64], cr[2048];
	snprintf(dir, sizeof(dir), "%s/Self.bundle", mktemp_dir());
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(p, sizeof(p), "%s/_CodeSignature", dir);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/Info.plist", dir);
	write_file(p, "<plist><dict><key>CFBundleIdentifier</key><string>x.y</string></dict></plist>", 78);
	snprintf(p, sizeof(p), "%s/a.txt", dir);
	write_file(p, "alpha", 5);
	hex32("alpha", h);
	snprintf(cr, sizeof(cr),
		 "<plist><dict><key>files2</key><dict>"
		 "<key>a.txt</key><dict><key>hash2</key><data>%s</data></dict>"
		 "<key>good</key><dict><key>symlink</key><string>a.txt</string></dict>"
		 "<key>bad</key><dict><key>symlink</key><string>a.txt</string></dict>"
		 "<key>notlink</key><dict><key>symlink</key><string>a.txt</string></dict>"
		 "<key>opt</key><dict><key>hash2</key><data>%s</data><key>optional</key><true/></dict>"
		 "</dict><key>rules2</key><dict><key>^.*</key><true/>"
		 "<key>^Info\\.plist$</key><dict><key>omit</key><true/><key>weight</key><real>20</real></dict>"
		 "</dict></dict></plist>", h, h);
	snprintf(p, sizeof(p), "%s/_CodeSignature/CodeResources", dir);
	write_file(p, cr, strlen(cr));
	snprintf(p, sizeof(p), "%s/good", dir);
	ck_assert_int_eq(symlink("a.txt", p), 0);
	snprintf(p, sizeof(p), "%s/bad", dir);
	ck_assert_int_eq(symlink("elsewhere", p), 0);
	snprintf(p, sizeof(p), "%s/notlink", dir);
	write_file(p, "a.txt", 5);
	verdict v;
	ck_assert_int_eq(verify_path(dir, &v), CSIG_OK);
	ck_assert_int_eq(csig_bundle_layout(v.b), CSIG_BUNDLE_SHALLOW);
	ck_assert(!v.valid);
	ck_assert(has(&v, "bundle-unsigned", NULL)); /* no executable, no detached CD */
	ck_assert(!has(&v, "resource-modified", "a.txt"));
	ck_assert(!has(&v, "resource-symlink-mismatch", "good"));
	ck_assert(has(&v, "resource-symlink-mismatch", "bad"));
	ck_assert(has(&v, "resource-symlink-mismatch", "notlink"));
	ck_assert(has(&v, "resource-missing-optional", "opt"));
	ck_assert(!has(&v, "resource-missing", NULL));
	ck_assert_uint_eq(csig_bundle_result_files_hashed(v.r), 1);
	verdict_free(&v);
	/* a symlink escaping the bundle is only read as a link, never followed */
	snprintf(p, sizeof(p), "%s/a.txt", dir);
	unlink(p);
	ck_assert_int_eq(symlink("/etc/passwd", p), 0);
	ck_assert_int_eq(verify_path(dir, &v), CSIG_OK);
	ck_assert(has(&v, "resource-modified", "a.txt"));
	verdict_free(&v);
	rm_tree(tmpdir);
}
END_TEST

START_TEST(test_versioned_framework)
{
	char fw[1024], p[1200];
	snprintf(fw, sizeof(fw), "%s/X.framework", mktemp_dir());
	const char *dirs[] = { "", "/Versions", "/Versions/A", "/Versions/A/Resources" };
	for (size_t i = 0; i < 4; i++) {
		snprintf(p, sizeof(p), "%s%s", fw, dirs[i]);
		ck_assert_int_eq(mkdir(p, 0755), 0);
	}
	snprintf(p, sizeof(p), "%s/Versions/A/Resources/Info.plist", fw);
	const char *info = "<plist><dict><key>CFBundleExecutable</key><string>X</string>"
			   "<key>CFBundleIdentifier</key><string>com.x</string></dict></plist>";
	write_file(p, info, strlen(info));
	snprintf(p, sizeof(p), "%s/Versions/A/X", fw);
	write_file(p, "not mach-o", 10);
	snprintf(p, sizeof(p), "%s/Versions/Current", fw);
	ck_assert_int_eq(symlink("A", p), 0);
	snprintf(p, sizeof(p), "%s/X", fw);
	ck_assert_int_eq(symlink("Versions/Current/X", p), 0);
	snprintf(p, sizeof(p), "%s/Resources", fw);
	ck_assert_int_eq(symlink("Versions/Current/Resources", p), 0);
	verdict v;
	ck_assert_int_eq(verify_path(fw, &v), CSIG_OK);
	ck_assert_int_eq(csig_bundle_layout(v.b), CSIG_BUNDLE_VERSIONED);
	ck_assert_str_eq(csig_bundle_content_dir(v.b), "Versions/A");
	ck_assert_str_eq(csig_bundle_main_executable(v.b), "Versions/A/X");
	ck_assert_str_eq(csig_bundle_identifier(v.b), "com.x");
	ck_assert(!v.valid);
	ck_assert(has(&v, "main-executable-invalid", "Versions/A/X"));
	ck_assert(!has(&v, "bundle-root-unsealed", NULL));
	verdict_free(&v);
	rm_tree(tmpdir);
}
END_TEST

START_TEST(test_hostile_coderes)
{
	char dir[1024], p[1200];
	snprintf(dir, sizeof(dir), "%s/H.bundle", mktemp_dir());
	ck_assert_int_eq(mkdir(dir, 0755), 0);
	snprintf(p, sizeof(p), "%s/_CodeSignature", dir);
	ck_assert_int_eq(mkdir(p, 0755), 0);
	snprintf(p, sizeof(p), "%s/_CodeSignature/CodeResources", dir);
	/* a depth bomb */
	size_t cap = 64 * 1024;
	char *bomb = malloc(cap);
	size_t o = (size_t)snprintf(bomb, cap, "<plist>");
	for (int i = 0; i < 5000; i++)
		o += (size_t)snprintf(bomb + o, cap - o, "<array>");
	write_file(p, bomb, o);
	verdict v;
	ck_assert_int_eq(verify_path(dir, &v), CSIG_OK);
	ck_assert(has(&v, "code-resources-malformed", "_CodeSignature/CodeResources"));
	verdict_free(&v);
	/* seals escaping the bundle and deep directories */
	const char *esc = "<plist><dict><key>files2</key><dict>"
			  "<key>../../etc/passwd</key><data>AAAAAAAAAAAAAAAAAAAAAAAAAAA=</data>"
			  "<key>/abs</key><data>AAAAAAAAAAAAAAAAAAAAAAAAAAA=</data>"
			  "</dict><key>rules2</key><dict><key>^.*</key><true/></dict></dict></plist>";
	write_file(p, esc, strlen(esc));
	char deep[1200];
	snprintf(deep, sizeof(deep), "%s", dir);
	for (int i = 0; i < 70; i++) {
		size_t l = strlen(deep);
		snprintf(deep + l, sizeof(deep) - l, "/d");
		ck_assert_int_eq(mkdir(deep, 0755), 0);
	}
	ck_assert_int_eq(verify_path(dir, &v), CSIG_OK);
	ck_assert(!v.valid);
	ck_assert(has(&v, "coderes-bad-path", "_CodeSignature/CodeResources"));
	verdict_free(&v);
	free(bomb);
	rm_tree(tmpdir);
}
END_TEST

START_TEST(test_oom)
{
	const char *root = tu_real_fixtures();
	if (!root)
		return;
	char p[1024];
	/*
	 * A code-less bundle: Mach-O opening has its own OOM sweep (and, at the
	 * time of writing, a use-after-free on OOM in superblob.c that would
	 * be blamed on this suite).
	 */
	snprintf(p, sizeof(p), "%s/sparkle/CodeSignedOnly.bundle", root);
	for (long n = 1; n < 100000; n += (n < 400 ? 1 : 97)) {
		csig__test_fail_alloc_after(n);
		csig_bundle *b = NULL;
		csig_bundle_result *r = NULL;
		int e = csig_bundle_open_path(&b, p, NULL, NULL);
		if (!e) {
			e = csig_bundle_verify(&r, b, NULL, NULL);
			csig__test_fail_alloc_after(0);
			csig_bundle_result_free(r);
			csig_bundle_free(b);
			if (!e)
				break;
		}
		csig__test_fail_alloc_after(0);
		ck_assert_int_lt(e, 0);
	}
}
END_TEST

Suite *bundle_suite(void)
{
	Suite *s = suite_create("bundle");
	TCase *tr = tcase_create("real");
	tcase_set_timeout(tr, 120);
	tcase_add_loop_test(tr, test_real, 0, (int)(sizeof(real_cases) / sizeof(real_cases[0])));
	tcase_add_test(tr, test_getters);
	tcase_add_test(tr, test_open_errors);
	suite_add_tcase(s, tr);
	TCase *tv = tcase_create("variants");
	tcase_set_timeout(tv, 120);
	tcase_add_test(tv, test_variant_modified_missing_added);
	tcase_add_test(tv, test_variant_bound_files);
	tcase_add_test(tv, test_variant_nested);
	tcase_add_test(tv, test_symlinks_selfmade);
	tcase_add_test(tv, test_hostile_coderes);
	tcase_add_test(tv, test_versioned_framework);
	suite_add_tcase(s, tv);
	TCase *to = tcase_create("oom");
	tcase_set_timeout(to, 300);
	tcase_add_test(to, test_oom);
	suite_add_tcase(s, to);
	return s;
}

CSIG_TEST_MAIN(bundle_suite)
