/*
 * audit.c - the expiry audit and the update check.  See csig/audit.h.
 *
 * The audit reads only what the other modules already parsed: slices and
 * their signatures (csig/codedir.h), the CMS chain and timestamp
 * (csig/cms.h), bundles (csig/bundle.h) and profiles (csig/profile.h).  The
 * one thing the bundle API does not hand out, the embedded profile file, is
 * read through the same file source the bundle uses (vfs.h), so .ipa
 * members work like files on disk.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include "csig/audit.h"
#include "csig/bundle.h"
#include "csig/cms.h"
#include "csig/codedir.h"
#include "csig/ent.h"
#include "csig/plist.h"
#include "csig/profile.h"
#include "csig/req.h"
#include "csig/x509.h"
#include "json.h"
#include "mapfile.h"
#include "util.h"
#include "vfs.h"

#define DAY 86400
#define PROFILE_MAX (16u << 20)  /* profiles are a few KiB; 16 MiB is generous */
#define DEDUPE_WINDOW 512u
#define LOOSE_MAX 4096u          /* loose Mach-O files audited per input */
#define LOOSE_BYTES_MAX ((uint64_t)1 << 31)       /* items and risks of one code are adjacent */

/* Apple marker OIDs (FORMAT.md 5.3). */
#define OID_DEVID_APP "1.2.840.113635.100.6.1.13"
#define OID_MAS_APP "1.2.840.113635.100.6.1.9"
#define OID_IOS_APPSTORE "1.2.840.113635.100.6.1.3"
#define OID_IPHONE_DEV "1.2.840.113635.100.6.1.2"
#define OID_IPHONE_DIST "1.2.840.113635.100.6.1.4"
#define OID_MAC_APP_DEV "1.2.840.113635.100.6.1.7"
#define OID_MAC_DEV "1.2.840.113635.100.6.1.12"
#define OID_APPLE_SW "1.2.840.113635.100.6.22"
#define OID_APPLE_SW_QA "1.2.840.113635.100.6.22.1"
#define OID_DEVID_CA "1.2.840.113635.100.6.2.6"
#define OID_WWDR_CA "1.2.840.113635.100.6.2.1"

/* ---- the audit object ---- */

typedef struct icode {
	csig_audit_code pub;
	uint8_t leaf[32];
	int has_leaf;
} icode;

struct csig_audit {
	int64_t at;
	unsigned within;
	unsigned flags;
	csig_audit_item *items;
	size_t nitems, capitems;
	csig_audit_risk *risks;
	size_t nrisks, caprisks;
	icode *codes;
	size_t ncodes, capcodes;
	char **strs;
	size_t nstrs, capstrs;
	int nomem;
};

/* What the profile beside a code needs to know about that code. */
typedef struct leafinfo {
	int has_leaf;
	uint8_t sha[32];
	const char *breaks;   /* class of the leaf item */
	const char *signing;
} leafinfo;

static int grow(void **arr, size_t *cap, size_t n, size_t elem)
{
	if (n < *cap)
		return 0;
	size_t nc = *cap ? *cap * 2 : 16;
	uint64_t bytes;
	if (nc < *cap || csig_mul_overflow(nc, elem, &bytes) || bytes > SIZE_MAX)
		return -1;
	void *p = csig__realloc(*arr, (size_t)bytes);
	if (!p)
		return -1;
	*arr = p;
	*cap = nc;
	return 0;
}

/* Keep @s (owned) in the pool; "" on failure (sticky nomem). */
static const char *keep(csig_audit *a, char *s)
{
	if (!s || grow((void **)&a->strs, &a->capstrs, a->nstrs, sizeof(char *))) {
		csig__free(s);
		a->nomem = 1;
		return "";
	}
	a->strs[a->nstrs++] = s;
	return s;
}

static const char *sdup(csig_audit *a, const char *s)
{
	if (!s || !*s)
		return "";
	return keep(a, csig__strndup(s, strlen(s)));
}

static const char *sfmt(csig_audit *a, const char *fmt, ...) CSIG_PRINTF(2, 3);
static const char *sfmt(csig_audit *a, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0)
		return "";
	char *s = csig__malloc((size_t)n + 1);
	if (s) {
		va_start(ap, fmt);
		vsnprintf(s, (size_t)n + 1, fmt, ap);
		va_end(ap);
	}
	return keep(a, s);
}

static int64_t sub_sat(int64_t x, int64_t y)
{
	if (y > 0 && x < INT64_MIN + y)
		return INT64_MIN;
	if (y < 0 && x > INT64_MAX + y)
		return INT64_MAX;
	return x - y;
}

static int64_t floor_days(int64_t secs)
{
	int64_t q = secs / DAY;
	if (secs % DAY != 0 && secs < 0)
		q--;
	return q;
}

static void fmt_date(int64_t t, char buf[32])
{
	csig_time_format(t, buf, 32);
	buf[10] = '\0'; /* YYYY-MM-DD */
}

static void add_risk(csig_audit *a, const char *id, int sev, const char *where,
		     const char *msg)
{
	size_t lo = a->nrisks > DEDUPE_WINDOW ? a->nrisks - DEDUPE_WINDOW : 0;
	for (size_t i = a->nrisks; i-- > lo;) {
		const csig_audit_risk *r = &a->risks[i];
		if (!strcmp(r->id, id) && !strcmp(r->where, where) && !strcmp(r->message, msg))
			return;
	}
	if (grow((void **)&a->risks, &a->caprisks, a->nrisks, sizeof(*a->risks))) {
		a->nomem = 1;
		return;
	}
	csig_audit_risk *r = &a->risks[a->nrisks++];
	r->id = id;
	r->severity = sev;
	r->where = sdup(a, where);
	r->message = msg;
}

/* Does the comma-separated list @list hold @arch? */
static int has_arch(const char *list, const char *arch)
{
	size_t n = strlen(arch);
	for (const char *p = list; *p;) {
		const char *c = strchr(p, ',');
		size_t l = c ? (size_t)(c - p) : strlen(p);
		if (l == n && !memcmp(p, arch, n))
			return 1;
		p += l + (c ? 1 : 0);
	}
	return 0;
}

/*
 * Add a dated item, or merge it into an identical one of another slice.
 * @info: informational (status always "ok").
 */
static void item_risks(csig_audit *a, const csig_audit_item *it);

static void add_item(csig_audit *a, const char *kind, const char *where,
		     const char *arch, const char *subject, int64_t date,
		     const char *breaks, int info, const char *signing,
		     const char *reason, int chain_index, int risks)
{
	subject = subject ? subject : "";
	arch = arch ? arch : "";
	size_t lo = a->nitems > DEDUPE_WINDOW ? a->nitems - DEDUPE_WINDOW : 0;
	for (size_t i = a->nitems; i-- > lo;) {
		csig_audit_item *it = &a->items[i];
		if (strcmp(it->kind, kind) || strcmp(it->where, where) ||
		    strcmp(it->subject, subject) || it->date != date ||
		    strcmp(it->breaks, breaks) || it->chain_index != chain_index)
			continue;
		if (*arch && !has_arch(it->arch, arch))
			it->arch = *it->arch ? sfmt(a, "%s,%s", it->arch, arch) : sdup(a, arch);
		return;
	}
	if (grow((void **)&a->items, &a->capitems, a->nitems, sizeof(*a->items))) {
		a->nomem = 1;
		return;
	}
	csig_audit_item *it = &a->items[a->nitems++];
	it->kind = kind;
	it->where = sdup(a, where);
	it->arch = sdup(a, arch);
	it->subject = sdup(a, subject);
	it->date = date;
	int64_t left = sub_sat(date, a->at);
	it->days_remaining = floor_days(left);
	it->status = "ok";
	if (!info) {
		if (left <= 0)
			it->status = "expired";
		else if (left <= (int64_t)a->within * DAY)
			it->status = "expiring";
	}
	it->breaks = breaks;
	it->signing = signing ? signing : "";
	it->reason = reason ? reason : "";
	it->chain_index = chain_index;
	if (risks)
		item_risks(a, it);
}

/* The named expiry risks of an item that is not ok. */
static void item_risks(csig_audit *a, const csig_audit_item *it)
{
	const char *kind = it->kind, *breaks = it->breaks, *where = it->where;
	int64_t date = it->date;
	if (!strcmp(it->status, "ok") || !strcmp(breaks, "nothing"))
		return;
	int launch = !strcmp(breaks, "launch");
	int expired = !strcmp(it->status, "expired");
	char d[32];
	fmt_date(date, d);
	if (!strcmp(kind, "profile-expiration")) {
		add_risk(a, expired ? "profile-expired" : "profile-expiring", CSIG_SEV_ERROR,
			 where, sfmt(a, "provisioning profile \"%s\" %s on %s (%lld days): "
				     "the OS refuses to launch the code it provisions",
				     it->subject, expired ? "expired" : "expires", d,
				     (long long)it->days_remaining));
	} else {
		add_risk(a, expired ? "certificate-expired" : "certificate-expiring",
			 launch ? CSIG_SEV_ERROR : CSIG_SEV_WARN, where,
			 sfmt(a, "%s \"%s\" %s on %s (%lld days); its passing breaks %s",
			      !strcmp(kind, "certificate") ? "certificate" : "profile certificate",
			      it->subject, expired ? "expired" : "expires", d,
			      (long long)it->days_remaining,
			      launch ? "launch" : "the next signed release"));
	}
}

static void free_audit(csig_audit *a)
{
	if (!a)
		return;
	for (size_t i = 0; i < a->nstrs; i++)
		csig__free(a->strs[i]);
	csig__free(a->strs);
	csig__free(a->items);
	csig__free(a->risks);
	csig__free(a->codes);
	csig__free(a);
}

void csig_audit_free(csig_audit *a)
{
	free_audit(a);
}

/* ---- classification ---- */

static int has_ext(const csig_cert *c, const char *oid)
{
	return c && csig_cert_has_extension(c, oid);
}

static const char *cert_name(const csig_cert *c)
{
	const char *cn = csig_cert_subject_cn(c);
	return cn ? cn : csig_cert_subject_text(c);
}

static int slice_is_mac(const csig_slice *s)
{
	uint32_t platform, minos, sdk;
	if (csig_slice_build_version(s, &platform, &minos, &sdk) == CSIG_OK)
		return platform == 1 || platform == 6;
	int32_t cpu = csig_slice_cputype(s);
	return cpu == 7 || cpu == (int32_t)0x01000007; /* i386, x86_64 */
}

static const char *profile_signing(int kind)
{
	switch (kind) {
	case CSIG_PROFILE_KIND_DEVELOPMENT: return "development";
	case CSIG_PROFILE_KIND_AD_HOC: return "ad-hoc";
	case CSIG_PROFILE_KIND_ENTERPRISE: return "enterprise";
	case CSIG_PROFILE_KIND_APP_STORE: return "app-store";
	case CSIG_PROFILE_KIND_DEVELOPER_ID: return "developer-id";
	default: return NULL;
	}
}

/* The signing kind by the rules of csig/audit.h. */
static const char *signing_kind(const csig_cert *leaf, const csig_profile *prof)
{
	if (has_ext(leaf, OID_DEVID_APP))
		return "developer-id";
	if (has_ext(leaf, OID_APPLE_SW) || has_ext(leaf, OID_APPLE_SW_QA))
		return "apple";
	if (has_ext(leaf, OID_MAS_APP))
		return "mac-app-store";
	if (has_ext(leaf, OID_IOS_APPSTORE))
		return "app-store";
	const char *pk = prof ? profile_signing(csig_profile_kind_of(prof)) : NULL;
	if (pk)
		return pk;
	if (has_ext(leaf, OID_IPHONE_DEV) || has_ext(leaf, OID_MAC_DEV))
		return "development";
	if (has_ext(leaf, OID_IPHONE_DIST) || has_ext(leaf, OID_MAC_APP_DEV))
		return "distribution";
	return "other";
}

static int launch_enforced(const char *kind, int has_profile, int mac)
{
	if (!strcmp(kind, "ad-hoc") || !strcmp(kind, "enterprise"))
		return 1;
	if (!strcmp(kind, "development"))
		return !mac || has_profile;
	return 0;
}

/* Entitlements that need a provisioning profile on macOS (csig/audit.h). */
static int restricted_key(const char *k, size_t n)
{
	static const char *const exact[] = {
		"com.apple.application-identifier", "application-identifier",
		"keychain-access-groups", "com.apple.security.application-groups",
		"aps-environment", "com.apple.aps-environment", "beta-reports-active"
	};
	static const char prefix[] = "com.apple.developer.";
	if (n >= sizeof(prefix) - 1 && !memcmp(k, prefix, sizeof(prefix) - 1))
		return 1;
	for (size_t i = 0; i < CSIG_ARRAY_LEN(exact); i++)
		if (strlen(exact[i]) == n && !memcmp(exact[i], k, n))
			return 1;
	return 0;
}

/* Restricted keys of @ent joined by ", " into @buf; returns their number. */
static size_t restricted_list(const csig_pval *root, char *buf, size_t cap)
{
	size_t count = 0, o = 0;
	int cut = 0;
	buf[0] = '\0';
	for (size_t i = 0; i < csig_pval_count(root); i++) {
		size_t n;
		const char *k = csig_pval_cstr(csig_pval_dict_key(root, i), &n);
		if (!k || !restricted_key(k, n))
			continue;
		count++;
		if (!cut && o + n + 8 < cap) {
			if (o) {
				memcpy(buf + o, ", ", 2);
				o += 2;
			}
			memcpy(buf + o, k, n);
			o += n;
			buf[o] = '\0';
		} else if (!cut) {
			memcpy(buf + o, ", ...", 6); /* cap keeps 8 bytes free */
			cut = 1;
		}
	}
	return count;
}

/* ---- requirements pinned to a CN ---- */

static void check_pinned(csig_audit *a, const csig_sig *sig, const char *where)
{
	const csig_reqset *set = csig_sig_requirements(sig);
	for (size_t i = 0; i < csig_reqset_count(set); i++) {
		char *text = NULL;
		if (csig_req_to_text(csig_reqset_get(set, i), &text, NULL, NULL)) {
			a->nomem = 1; /* only NOMEM can fail on a parsed requirement */
			return;
		}
		const char *p = strstr(text, "leaf[subject.CN]");
		if (p && !strstr(text, "subject.OU")) {
			const char *v = strchr(p, '=');
			const char *tn = csig_req_type_name(csig_reqset_type(set, i));
			char tbuf[32];
			if (!tn) {
				snprintf(tbuf, sizeof(tbuf), "type %u", csig_reqset_type(set, i));
				tn = tbuf;
			}
			int vl = 0;
			if (v) {
				v++;
				while (*v == ' ')
					v++;
				const char *e = v;
				if (*e == '"') {
					for (e++; *e && *e != '"'; e++)
						if (*e == '\\' && e[1])
							e++;
					if (*e)
						e++;
				} else {
					while (*e && *e != ' ' && *e != ')')
						e++;
				}
				vl = (int)(e - v > 200 ? 200 : e - v);
			}
			add_risk(a, "requirement-pinned-to-cn", CSIG_SEV_WARN, where,
				 sfmt(a, "the %s requirement of %s pins the leaf certificate's "
				      "subject.CN%s%.*s and no team (subject.OU): a renewed "
				      "certificate whose CN changes fails it",
				      tn, *where ? where : "the code", v ? " = " : "", vl,
				      v ? v : ""));
		}
		csig_free(text);
	}
}

/* ---- one Mach-O file ---- */

static void add_code(csig_audit *a, const char *where, const char *arch,
		     const char *ident, const char *team, const char *signing,
		     const csig_cert *leaf, int has_profile)
{
	if (grow((void **)&a->codes, &a->capcodes, a->ncodes, sizeof(*a->codes))) {
		a->nomem = 1;
		return;
	}
	icode *c = &a->codes[a->ncodes++];
	memset(c, 0, sizeof(*c));
	c->pub.where = sdup(a, where);
	c->pub.arch = sdup(a, arch);
	c->pub.identifier = sdup(a, ident);
	c->pub.team_id = sdup(a, team);
	c->pub.signing = signing;
	c->pub.leaf_cn = leaf ? sdup(a, csig_cert_subject_cn(leaf)) : "";
	c->pub.has_profile = has_profile;
	if (leaf) {
		memcpy(c->leaf, csig_cert_sha256(leaf), 32);
		c->has_leaf = 1;
	}
}

static int audit_slice(csig_audit *a, const csig_slice *s, const char *where,
		       const csig_profile *prof, leafinfo *li, csig_error *err)
{
	const char *arch = csig_slice_arch(s);
	const csig_sig *sig = csig_slice_signature(s);
	if (!sig) {
		add_code(a, where, arch, NULL, NULL, "unsigned", NULL, prof != NULL);
		return CSIG_OK;
	}
	const csig_codedir *cd = csig_sig_best_cd(sig);
	const char *ident = cd ? csig_codedir_identifier(cd) : NULL;
	const char *team = cd ? csig_codedir_team_id(cd) : NULL;
	check_pinned(a, sig, where);
	const csig_cms *cms = csig_sig_cms_parsed(sig);
	if (!cms) {
		add_code(a, where, arch, ident, team, "adhoc", NULL, prof != NULL);
		return CSIG_OK;
	}
	const csig_cert *leaf = csig_cms_chain_cert(cms, 0);
	if (!leaf)
		leaf = csig_cms_signer_cert(cms, 0);
	const char *kind = signing_kind(leaf, prof);
	if (!team && leaf && strcmp(kind, "apple"))
		team = csig_cert_team_id(leaf); /* Apple's own leaf OU is no team */
	int launch = launch_enforced(kind, prof != NULL, slice_is_mac(s));

	/* the timestamp: verified and inside a certificate's validity saves it */
	const csig_blob *cdb = csig_sig_find_blob(sig, CSIG_SLOT_CODEDIRECTORY);
	csig_bytes cdbytes = { NULL, 0 };
	if (cdb && cdb->status == CSIG_OK)
		cdbytes = cdb->bytes;
	csig_cms_result *res = NULL;
	int e = csig_cms_verify(cms, cdbytes, a->at, &res, err);
	if (e)
		return e;
	int ts_ok = csig_cms_result_timestamp(res) == 1;
	csig_cms_result_free(res);
	const csig_cms *tsc = csig_cms_signer_timestamp(cms, 0);
	int64_t gen = 0;
	int has_gen = tsc && csig_cms_tstinfo(tsc, &gen, NULL, NULL, NULL) == CSIG_OK;

	size_t n = csig_cms_chain_count(cms);
	if (n == 0 && leaf)
		n = 1;
	for (size_t k = 0; k < n; k++) {
		const csig_cert *c = k == 0 ? leaf : csig_cms_chain_cert(cms, k);
		if (!c)
			continue;
		int64_t nb = csig_cert_not_before(c), na = csig_cert_not_after(c);
		const char *breaks, *reason;
		if (launch) {
			breaks = "launch";
			reason = sfmt(a, "%s signing: the platform checks this chain at every launch",
				      kind);
		} else if (ts_ok && has_gen && gen >= nb && gen <= na) {
			breaks = "nothing";
			reason = "a verified secure timestamp lies within its validity";
		} else {
			breaks = "release";
			reason = sfmt(a, "%s signing: the next release cannot be signed with it%s",
				      kind, has_gen ? (ts_ok ? "" : " (the timestamp does not verify)")
						    : " (no secure timestamp: once expired, the "
						      "signature is judged without one)");
		}
		add_item(a, "certificate", where, arch, cert_name(c), na, breaks, 0, kind,
			 reason, (int)k, 1);
		if (k == 0 && !li->has_leaf) {
			li->has_leaf = 1;
			memcpy(li->sha, csig_cert_sha256(c), 32);
			li->breaks = breaks;
			li->signing = kind;
		}
	}
	int64_t st;
	if (csig_cms_signer_signing_time(cms, 0, &st) == CSIG_OK)
		add_item(a, "signing-time", where, arch, leaf ? cert_name(leaf) : "", st,
			 "nothing", 1, kind, "self-declared signing time (informational)", -1, 0);
	if (has_gen) {
		const csig_cert *tl = csig_cms_chain_cert(tsc, 0);
		add_item(a, "timestamp", where, arch, tl ? cert_name(tl) : "", gen, "nothing", 1,
			 kind, ts_ok ? "verified secure timestamp (informational)"
				     : "secure timestamp that does not verify (informational)", -1, 0);
	}

	/* the seed: a profile in Developer ID code that needs it */
	if (prof && !strcmp(kind, "developer-id")) {
		const csig_plist *ent = csig_sig_entitlements(sig);
		if (!ent)
			ent = csig_sig_entitlements_der(sig);
		char keys[512];
		int claims = ent && restricted_list(csig_plist_root(ent), keys, sizeof(keys));
		if (claims || restricted_list(csig_profile_entitlements(prof), keys, sizeof(keys))) {
			int64_t exp;
			char d[32] = "an unknown date";
			if (csig_profile_expiration_date(prof, &exp) == CSIG_OK)
				fmt_date(exp, d);
			add_risk(a, "profile-in-developer-id", CSIG_SEV_WARN, where,
				 sfmt(a, "%s is Developer ID signed and carries an embedded "
				      "provisioning profile expiring on %s; %s restricted "
				      "entitlements (%s): once the profile expires the OS refuses "
				      "to launch code that relies on it",
				      *where ? where : "the code", d,
				      claims ? "the code claims" : "the profile grants", keys));
		}
	}
	add_code(a, where, arch, ident, team, kind, leaf, prof != NULL);
	return CSIG_OK;
}

static int audit_macho(csig_audit *a, const csig_file *f, const char *where,
		       const csig_profile *prof, leafinfo *li, csig_error *err)
{
	for (size_t i = 0; i < csig_file_slice_count(f); i++) {
		int e = audit_slice(a, csig_file_slice(f, i), where, prof, li, err);
		if (e)
			return e;
	}
	return CSIG_OK;
}

/* ---- profiles ---- */

static void audit_profile(csig_audit *a, const csig_profile *p, const char *where,
			  const leafinfo *li, int embedded)
{
	int kind = csig_profile_kind_of(p);
	const char *kname = csig_profile_kind_name(kind);
	const char *name = csig_profile_name(p);
	if (!name)
		name = csig_profile_uuid(p);
	int64_t exp;
	if (csig_profile_expiration_date(p, &exp) == CSIG_OK) {
		add_item(a, "profile-expiration", where, "", name, exp, "launch", 0, kname,
			 embedded ? "embedded profile: the OS validates it at every launch"
				  : "a profile is validated at every launch of the code it provisions",
			 -1, 1);
	} else {
		const char *why = csig_profile_malformed_reason(p);
		add_risk(a, "profile-unreadable", CSIG_SEV_ERROR, where,
			 sfmt(a, "provisioning profile has no usable ExpirationDate%s%s",
			      why ? ": " : "", why ? why : ""));
	}
	int dev = kind == CSIG_PROFILE_KIND_DEVELOPMENT || kind == CSIG_PROFILE_KIND_AD_HOC ||
		  kind == CSIG_PROFILE_KIND_ENTERPRISE;
	for (size_t i = 0; i < csig_profile_cert_count(p); i++) {
		const csig_cert *c = csig_profile_cert(p, i);
		if (!c)
			continue;
		const char *breaks, *reason;
		int risks = 1;
		if (embedded && li && li->has_leaf && !memcmp(li->sha, csig_cert_sha256(c), 32)) {
			breaks = li->breaks;
			risks = 0; /* the code's own certificate item reports it */
			reason = "the certificate that signed the code beside this profile";
		} else if (embedded) {
			breaks = "nothing";
			reason = "does not sign the code beside this profile";
		} else {
			breaks = dev ? "launch" : "release";
			reason = dev ? "code signed with it under this profile stops launching"
				     : "the next release signed with it needs a valid certificate";
		}
		add_item(a, "profile-certificate", where, "", cert_name(c),
			 csig_cert_not_after(c), breaks, 0, kname, reason, -1, risks);
	}
}

/* ---- bundles ---- */

typedef struct bwalk {
	csig_audit *a;
	csig__vfs *vfs;
	char root[CSIG__VFS_PATH_MAX];
	size_t loose;          /* loose Mach-O files audited so far */
} bwalk;

static int join3(char *buf, size_t n, const char *x, const char *y, const char *z)
{
	char t[CSIG__VFS_PATH_MAX];
	if (csig__vfs_join(t, sizeof(t), x, y, NULL))
		return -1;
	return csig__vfs_join(buf, n, t, z, NULL) ? -1 : 0;
}

/* The profile beside a bundle's code, parsed, or NULL. */
static int load_profile(bwalk *w, const csig_bundle *b, csig_profile **out,
			char *where, size_t wn)
{
	static const char *const names[] = { "embedded.provisionprofile",
					     "embedded.mobileprovision" };
	*out = NULL;
	for (size_t i = 0; i < CSIG_ARRAY_LEN(names); i++) {
		char vdir[CSIG__VFS_PATH_MAX], vpath[CSIG__VFS_PATH_MAX];
		if (csig__vfs_join(vdir, sizeof(vdir), w->root, csig_bundle_path(b), NULL) ||
		    join3(vpath, sizeof(vpath), vdir, csig_bundle_content_dir(b), names[i]) ||
		    join3(where, wn, csig_bundle_path(b), csig_bundle_content_dir(b), names[i]))
			continue;
		csig__vfs_stat st;
		csig_error le = { 0 };
		if (w->vfs->ops->stat(w->vfs, vpath, &st, &le) || st.kind != CSIG__VFS_FILE)
			continue;
		csig__vfs_data d;
		memset(&d, 0, sizeof(d));
		int e = w->vfs->ops->read(w->vfs, vpath, PROFILE_MAX, &d, &le);
		if (!e) {
			e = d.bytes.len ? csig_profile_parse(out, d.bytes.ptr, d.bytes.len, NULL, &le)
					: CSIG_FAIL(&le, CSIG_E_TRUNCATED, 0, "the file is empty");
			csig__vfs_release(w->vfs, &d);
		}
		if (e == CSIG_E_NOMEM)
			return e;
		if (e)
			add_risk(w->a, "profile-unreadable", CSIG_SEV_ERROR, where,
				 sfmt(w->a, "embedded provisioning profile cannot be read: %s "
				      "(%s); the OS refuses to launch code it cannot validate",
				      le.msg, csig_errname(e)));
		return CSIG_OK;
	}
	return CSIG_OK;
}

/* Places where code that is not a bundle (dylibs, helper tools) lives. */
static const char *const loose_dirs[] = {
	"MacOS", "Frameworks", "SharedFrameworks", "PlugIns", "Plug-ins", "XPCServices",
	"Helpers", "Library/LoginItems", "Library/Automator", "Library/Spotlight",
	"Library/QuickLook", "Library/SystemExtensions", "Extensions"
};

/* Mach-O files directly inside @b's nested-code directories (not bundles). */
static int audit_loose(bwalk *w, const csig_bundle *b, const char *main_where,
		       csig_error *err)
{
	char base[CSIG__VFS_PATH_MAX];
	if (csig__vfs_join(base, sizeof(base), w->root, csig_bundle_path(b), NULL))
		return CSIG_OK;
	for (size_t d = 0; d < CSIG_ARRAY_LEN(loose_dirs); d++) {
		char vdir[CSIG__VFS_PATH_MAX], rdir[CSIG__VFS_PATH_MAX];
		csig__vfs_stat st;
		csig_error le = { 0 };
		if (join3(vdir, sizeof(vdir), base, csig_bundle_content_dir(b), loose_dirs[d]) ||
		    join3(rdir, sizeof(rdir), csig_bundle_path(b), csig_bundle_content_dir(b),
			  loose_dirs[d]) ||
		    w->vfs->ops->stat(w->vfs, vdir, &st, &le) || st.kind != CSIG__VFS_DIR)
			continue;
		char **names;
		size_t n;
		int e = w->vfs->ops->list(w->vfs, vdir, &names, &n, &le);
		if (e == CSIG_E_NOMEM)
			return CSIG_FAIL(err, e, 0, "out of memory listing %s", rdir);
		if (e)
			continue;
		for (size_t i = 0; !e && i < n && w->loose < LOOSE_MAX; i++) {
			char vp[CSIG__VFS_PATH_MAX], rp[CSIG__VFS_PATH_MAX];
			if (csig__vfs_join(vp, sizeof(vp), vdir, names[i], NULL) ||
			    csig__vfs_join(rp, sizeof(rp), rdir, names[i], NULL) ||
			    !strcmp(rp, main_where) ||
			    w->vfs->ops->stat(w->vfs, vp, &st, &le) || st.kind != CSIG__VFS_FILE ||
			    st.size < 28)
				continue;
			csig__vfs_data data;
			memset(&data, 0, sizeof(data));
			if (w->vfs->ops->read(w->vfs, vp, LOOSE_BYTES_MAX, &data, &le))
				continue;
			w->loose++;
			csig_file *f = NULL;
			if (csig_file_open(&f, data.bytes.ptr, data.bytes.len, NULL, &le) == CSIG_OK) {
				leafinfo li;
				memset(&li, 0, sizeof(li));
				e = audit_macho(w->a, f, rp, NULL, &li, err);
				csig_file_free(f);
			}
			csig__vfs_release(w->vfs, &data);
		}
		csig__free(names);
		if (e)
			return e;
	}
	return CSIG_OK;
}

static int audit_bundle(bwalk *w, const csig_bundle *b, csig_error *err)
{
	csig_audit *a = w->a;
	csig_profile *prof = NULL;
	char pwhere[CSIG__VFS_PATH_MAX] = "";
	int e = load_profile(w, b, &prof, pwhere, sizeof(pwhere));
	if (e)
		return CSIG_FAIL(err, e, 0, "out of memory reading a profile");
	leafinfo li;
	memset(&li, 0, sizeof(li));
	const csig_file *f = csig_bundle_executable(b);
	const char *exe = csig_bundle_main_executable(b);
	char where[CSIG__VFS_PATH_MAX] = "";
	if (exe && csig__vfs_join(where, sizeof(where), csig_bundle_path(b), exe, NULL))
		where[0] = '\0';
	if (f && *where)
		e = audit_macho(a, f, where, prof, &li, err);
	if (!e)
		e = audit_loose(w, b, where, err);
	if (!e && prof)
		audit_profile(a, prof, pwhere, &li, 1);
	csig_profile_free(prof);
	for (size_t i = 0; !e && i < csig_bundle_nested_count(b); i++)
		e = audit_bundle(w, csig_bundle_nested(b, i), err);
	return e;
}

/* Top bundle directory inside the source: "" or the one Payload/<x>.app. */
static int find_root(csig__vfs *v, char *root, size_t n, csig_error *err)
{
	root[0] = '\0';
	if (!v->is_zip)
		return CSIG_OK;
	char **names;
	size_t cnt;
	int e = v->ops->list(v, "Payload", &names, &cnt, err);
	if (e)
		return e;
	for (size_t i = 0; i < cnt; i++) {
		size_t l = strlen(names[i]);
		if (l >= 5 && !strcmp(names[i] + l - 4, ".app") &&
		    csig__vfs_join(root, n, "Payload", names[i], NULL) == CSIG_OK)
			break;
	}
	csig__free(names);
	return CSIG_OK;
}

/* ---- the audit entry points ---- */

static int new_audit(csig_audit **out, const csig_audit_options *opts, csig_error *err)
{
	if (opts && opts->version != CSIG_AUDIT_OPTIONS_VERSION)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "unknown audit options version %u",
				 opts->version);
	csig_audit *a = csig__calloc_n(1, sizeof(*a));
	if (!a)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory for an audit");
	a->at = opts && opts->at ? opts->at : (int64_t)time(NULL);
	a->within = opts && opts->within_days ? opts->within_days : CSIG_AUDIT_WITHIN_DEFAULT;
	if (a->within > 36500)
		a->within = 36500; /* a century keeps within * DAY far from overflow */
	a->flags = opts ? opts->flags : 0;
	*out = a;
	return CSIG_OK;
}

/* Team and signer of every slice against the main code's first slice. */
static void compare_nested(csig_audit *a)
{
	if (a->ncodes < 2)
		return;
	const icode *m = &a->codes[0];
	for (size_t i = 1; i < a->ncodes; i++) {
		const icode *c = &a->codes[i];
		const char *w = *c->pub.where ? c->pub.where : "the code";
		if (*m->pub.team_id && *c->pub.team_id && strcmp(m->pub.team_id, c->pub.team_id))
			add_risk(a, "team-mismatch-nested", CSIG_SEV_WARN, c->pub.where,
				 sfmt(a, "%s (%s) has team %s, the main code %s (%s) team %s",
				      w, c->pub.arch, c->pub.team_id, m->pub.where, m->pub.arch,
				      m->pub.team_id));
		if (m->has_leaf && c->has_leaf && memcmp(m->leaf, c->leaf, 32))
			add_risk(a, "signer-mismatch-nested", CSIG_SEV_WARN, c->pub.where,
				 sfmt(a, "%s (%s) is signed by \"%s\", the main code %s (%s) by "
				      "\"%s\" (a different leaf certificate)",
				      w, c->pub.arch, c->pub.leaf_cn, m->pub.where, m->pub.arch,
				      m->pub.leaf_cn));
	}
}

static int finish(csig_audit *a, csig_audit **out, csig_error *err)
{
	if (!a->nomem)
		compare_nested(a);
	if (a->nomem) {
		free_audit(a);
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory during the audit");
	}
	*out = a;
	return CSIG_OK;
}

int csig_audit_file(csig_audit **out, const csig_file *f, const char *label,
		    const csig_audit_options *opts, csig_error *err)
{
	csig__error_clear(err);
	if (out)
		*out = NULL;
	if (!out || !f)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "out or file is NULL");
	csig_audit *a;
	int e = new_audit(&a, opts, err);
	if (e)
		return e;
	leafinfo li;
	memset(&li, 0, sizeof(li));
	if ((e = audit_macho(a, f, label ? label : "", NULL, &li, err))) {
		free_audit(a);
		return e;
	}
	return finish(a, out, err);
}

static const char *base_name(const char *path)
{
	size_t n = strlen(path);
	while (n > 1 && path[n - 1] == '/')
		n--;
	const char *s = path;
	for (size_t i = 0; i + 1 < n; i++)
		if (path[i] == '/')
			s = path + i + 1;
	return s;
}

int csig_audit_path(csig_audit **out, const char *path, const csig_audit_options *opts,
		    csig_error *err)
{
	csig__error_clear(err);
	if (out)
		*out = NULL;
	if (!out || !path)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "out or path is NULL");
	csig_audit *a;
	int e = new_audit(&a, opts, err);
	if (e)
		return e;
	char label[256];
	snprintf(label, sizeof(label), "%s", base_name(path));
	char *slash = strchr(label, '/');
	if (slash)
		*slash = '\0';

	/* 1. a Mach-O file */
	csig_file *f = NULL;
	csig_error e1 = { 0 };
	int r1 = csig_file_open_path(&f, path, NULL, &e1);
	if (r1 == CSIG_OK) {
		leafinfo li;
		memset(&li, 0, sizeof(li));
		e = audit_macho(a, f, label, NULL, &li, err);
		csig_file_free(f);
		if (e) {
			free_audit(a);
			return e;
		}
		return finish(a, out, err);
	}
	/* 2. a bundle directory or an .ipa */
	csig_bundle *b = NULL;
	csig_error e2 = { 0 };
	int r2 = r1 == CSIG_E_NOMEM ? r1 : csig_bundle_open_path(&b, path, NULL, &e2);
	if (r2 == CSIG_OK) {
		bwalk w;
		memset(&w, 0, sizeof(w));
		w.a = a;
		e = csig__vfs_open_path(&w.vfs, path, NULL, err);
		if (!e)
			e = find_root(w.vfs, w.root, sizeof(w.root), err);
		if (!e)
			e = audit_bundle(&w, b, err);
		csig__vfs_close(w.vfs);
		csig_bundle_free(b);
		if (e) {
			free_audit(a);
			return e;
		}
		return finish(a, out, err);
	}
	/* 3. a provisioning profile (a regular file that is neither) */
	int r3 = CSIG_E_BADMAGIC;
	csig_error e3 = { 0 };
	if (r1 == CSIG_E_BADMAGIC && r2 != CSIG_E_NOMEM) {
		uint8_t *buf = NULL;
		size_t len = 0;
		r3 = csig__read_whole_file(path, PROFILE_MAX, &buf, &len, &e3);
		if (r3 == CSIG_OK) {
			csig_profile *p = NULL;
			r3 = len ? csig_profile_parse(&p, buf, len, NULL, &e3)
				 : CSIG_FAIL(&e3, CSIG_E_BADMAGIC, 0, "the file is empty");
			csig__free(buf);
			if (r3 == CSIG_OK) {
				audit_profile(a, p, label, NULL, 0);
				csig_profile_free(p);
				return finish(a, out, err);
			}
		}
	}
	free_audit(a);
	/* the most telling of the three failures */
	if (r1 == CSIG_E_NOMEM || r2 == CSIG_E_NOMEM || r3 == CSIG_E_NOMEM)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory opening %s", path);
	if (r1 == CSIG_E_IO) {
		const csig_error *pe = r2 != CSIG_E_IO ? &e2 : &e1;
		int code = r2 != CSIG_E_IO ? r2 : r1;
		return CSIG_FAIL(err, code, pe->offset, "%s", pe->msg);
	}
	if (r1 != CSIG_E_BADMAGIC)
		return CSIG_FAIL(err, r1, e1.offset, "%s", e1.msg);
	if (r2 != CSIG_E_BADMAGIC && r2 != CSIG_E_NOTFOUND)
		return CSIG_FAIL(err, r2, e2.offset, "%s", e2.msg);
	if (r3 != CSIG_E_BADMAGIC)
		return CSIG_FAIL(err, r3, e3.offset, "%s", e3.msg);
	return CSIG_FAIL(err, CSIG_E_BADMAGIC, 0,
			 "%.120s is not a Mach-O file, bundle, .ipa or provisioning profile",
			 path);
}

/* ---- getters ---- */

int64_t csig_audit_at(const csig_audit *a) { return a ? a->at : 0; }
unsigned csig_audit_within_days(const csig_audit *a) { return a ? a->within : 0; }
size_t csig_audit_item_count(const csig_audit *a) { return a ? a->nitems : 0; }
size_t csig_audit_risk_count(const csig_audit *a) { return a ? a->nrisks : 0; }
size_t csig_audit_code_count(const csig_audit *a) { return a ? a->ncodes : 0; }

const csig_audit_item *csig_audit_item_at(const csig_audit *a, size_t i)
{
	return a && i < a->nitems ? &a->items[i] : NULL;
}

const csig_audit_risk *csig_audit_risk_at(const csig_audit *a, size_t i)
{
	return a && i < a->nrisks ? &a->risks[i] : NULL;
}

const csig_audit_code *csig_audit_code_at(const csig_audit *a, size_t i)
{
	return a && i < a->ncodes ? &a->codes[i].pub : NULL;
}

int csig_audit_failed(const csig_audit *a)
{
	if (!a)
		return 0;
	int strict = (a->flags & CSIG_AUDIT_STRICT) != 0;
	for (size_t i = 0; i < a->nitems; i++) {
		const csig_audit_item *it = &a->items[i];
		if (!strcmp(it->status, "ok"))
			continue;
		if (!strcmp(it->breaks, "launch") || (strict && !strcmp(it->breaks, "release")))
			return 1;
	}
	return strict && a->nrisks > 0;
}

int csig_audit_json(const csig_audit *a, unsigned flags, char **out, size_t *len,
		    csig_error *err)
{
	csig__error_clear(err);
	if (!a || !out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "audit or out is NULL");
	csig_json j;
	json_init(&j, (flags & 0x1u) != 0);
	json_obj_begin(&j);
	json_kv_u64(&j, "schema", 1);
	json_kv_str(&j, "document", "audit");
	json_kv_str(&j, "generator", "libcsig");
	json_kv_str(&j, "version", csig_version_string());
	json_kv_time(&j, "at", a->at);
	json_kv_u64(&j, "within_days", a->within);
	json_kv_bool(&j, "strict", (a->flags & CSIG_AUDIT_STRICT) != 0);
	json_kv_bool(&j, "failed", csig_audit_failed(a));
	json_key(&j, "codes");
	json_arr_begin(&j);
	for (size_t i = 0; i < a->ncodes; i++) {
		const icode *c = &a->codes[i];
		json_obj_begin(&j);
		json_kv_str(&j, "where", c->pub.where);
		json_kv_str(&j, "arch", c->pub.arch);
		json_kv_str(&j, "identifier", c->pub.identifier);
		json_kv_str(&j, "team_id", c->pub.team_id);
		json_kv_str(&j, "signing", c->pub.signing);
		json_kv_str(&j, "leaf_cn", c->pub.leaf_cn);
		if (c->has_leaf)
			json_kv_hex(&j, "leaf_sha256", c->leaf, 32);
		json_kv_bool(&j, "has_profile", c->pub.has_profile);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key(&j, "items");
	json_arr_begin(&j);
	for (size_t i = 0; i < a->nitems; i++) {
		const csig_audit_item *it = &a->items[i];
		json_obj_begin(&j);
		json_kv_str(&j, "kind", it->kind);
		json_kv_str(&j, "where", it->where);
		json_kv_str(&j, "arch", it->arch);
		json_kv_str(&j, "subject", it->subject);
		json_kv_time(&j, "date", it->date);
		json_kv_i64(&j, "days_remaining", it->days_remaining);
		json_kv_str(&j, "breaks", it->breaks);
		json_kv_str(&j, "status", it->status);
		json_kv_str(&j, "signing", it->signing);
		json_kv_str(&j, "reason", it->reason);
		if (it->chain_index >= 0)
			json_kv_i64(&j, "chain_index", it->chain_index);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_key(&j, "risks");
	json_arr_begin(&j);
	for (size_t i = 0; i < a->nrisks; i++) {
		const csig_audit_risk *r = &a->risks[i];
		json_obj_begin(&j);
		json_kv_str(&j, "id", r->id);
		json_kv_str(&j, "severity", r->severity == CSIG_SEV_ERROR ? "error" : "warning");
		json_kv_str(&j, "where", r->where);
		json_kv_str(&j, "message", r->message);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	return json_finish(&j, out, len, err);
}

/* ==== the update check ==== */

typedef struct ueval {
	const char *which;
	const char *arch;
	csig_req_result *res;
} ueval;

struct csig_update_check {
	int verdict;
	int implicit;
	char *requirement;
	char *reason;
	ueval *evals;
	size_t n, cap;
	char **strs;          /* arch names kept */
	size_t nstrs, capstrs;
};

typedef struct ucode {
	csig_file *f;
	csig_bundle *b;
	const csig_file *exe;
	const csig_plist *info;
} ucode;

static void ucode_free(ucode *c)
{
	csig_file_free(c->f);
	csig_bundle_free(c->b);
	memset(c, 0, sizeof(*c));
}

static int open_code(ucode *c, const char *path, csig_error *err)
{
	memset(c, 0, sizeof(*c));
	csig_error e1, e2;
	int r1 = csig_file_open_path(&c->f, path, NULL, &e1);
	if (r1 == CSIG_OK) {
		c->exe = c->f;
		return CSIG_OK;
	}
	int r2 = csig_bundle_open_path(&c->b, path, NULL, &e2);
	if (r2 == CSIG_OK) {
		c->exe = csig_bundle_executable(c->b);
		c->info = csig_bundle_info_plist(c->b);
		if (!c->exe) {
			ucode_free(c);
			return CSIG_FAIL(err, CSIG_E_NOTFOUND, 0,
					 "%.150s: the bundle has no readable main executable", path);
		}
		return CSIG_OK;
	}
	if ((r1 == CSIG_E_IO && r2 != CSIG_E_IO) ||
	    (r1 == CSIG_E_BADMAGIC && r2 != CSIG_E_BADMAGIC))
		return CSIG_FAIL(err, r2, e2.offset, "%s", e2.msg);
	return CSIG_FAIL(err, r1, e1.offset, "%s", e1.msg);
}

/* Append @s to @b (grown by doubling); -1 on NOMEM. */
typedef struct sbuf {
	char *p;
	size_t len, cap;
	int nomem;
} sbuf;

static void sb_add(sbuf *b, const char *s, size_t n)
{
	if (b->nomem)
		return;
	if (b->len + n + 1 > b->cap) {
		size_t nc = b->cap ? b->cap : 256;
		while (nc < b->len + n + 1 && nc < ((size_t)1 << 30))
			nc *= 2;
		char *q = nc >= b->len + n + 1 ? csig__realloc(b->p, nc) : NULL;
		if (!q) {
			b->nomem = 1;
			return;
		}
		b->p = q;
		b->cap = nc;
	}
	memcpy(b->p + b->len, s, n);
	b->len += n;
	b->p[b->len] = '\0';
}

static void sb_str(sbuf *b, const char *s) { sb_add(b, s, strlen(s)); }

/* A quoted requirement-language string. */
static void sb_quoted(sbuf *b, const char *s)
{
	sb_add(b, "\"", 1);
	for (; *s; s++) {
		if (*s == '"' || *s == '\\')
			sb_add(b, "\\", 1);
		sb_add(b, s, 1);
	}
	sb_add(b, "\"", 1);
}

static void sb_hex(sbuf *b, const uint8_t *p, size_t n)
{
	static const char hx[] = "0123456789abcdef";
	for (size_t i = 0; i < n; i++) {
		char t[2] = { hx[p[i] >> 4], hx[p[i] & 15] };
		sb_add(b, t, 2);
	}
}

static int str_eq(const char *x, const char *y)
{
	return x && y && !strcmp(x, y);
}

/* Apple's implicit designated requirement of @f (csig/audit.h); NULL = unsigned. */
static void implicit_dr(const csig_file *f, sbuf *b)
{
	const csig_sig *sig = NULL;
	for (size_t i = 0; !sig && i < csig_file_slice_count(f); i++)
		sig = csig_slice_signature(csig_file_slice(f, i));
	if (!sig)
		return;
	const csig_cms *cms = csig_sig_cms_parsed(sig);
	const csig_codedir *cd = csig_sig_best_cd(sig);
	const char *ident = cd ? csig_codedir_identifier(cd) : "";
	const csig_cert *leaf = cms ? csig_cms_chain_cert(cms, 0) : NULL;
	if (!leaf) {
		/* ad hoc: every CodeDirectory of every slice */
		int first = 1;
		for (size_t i = 0; i < csig_file_slice_count(f); i++) {
			const csig_sig *s = csig_slice_signature(csig_file_slice(f, i));
			for (size_t k = 0; s && k < csig_sig_cd_count(s); k++) {
				uint8_t h[20];
				csig_codedir_cdhash(csig_sig_cd(s, k), h);
				sb_str(b, first ? "cdhash H\"" : " or cdhash H\"");
				sb_hex(b, h, 20);
				sb_str(b, "\"");
				first = 0;
			}
		}
		return;
	}
	sb_str(b, "identifier ");
	sb_quoted(b, ident);
	const csig_cert *c1 = csig_cms_chain_cert(cms, 1);
	if (has_ext(leaf, OID_APPLE_SW) || has_ext(leaf, OID_APPLE_SW_QA)) {
		sb_str(b, " and anchor apple");
	} else if (has_ext(leaf, OID_DEVID_APP)) {
		const char *team = cd ? csig_codedir_team_id(cd) : NULL;
		if (!team)
			team = csig_cert_team_id(leaf);
		sb_str(b, " and anchor apple generic and certificate 1[field." OID_DEVID_CA
		       "] /* exists */ and certificate leaf[field." OID_DEVID_APP
		       "] /* exists */ and certificate leaf[subject.OU] = ");
		sb_quoted(b, team ? team : "");
	} else if (has_ext(leaf, OID_MAS_APP)) {
		sb_str(b, " and anchor apple generic and certificate leaf[field." OID_MAS_APP
		       "] /* exists */");
	} else if (has_ext(c1, OID_WWDR_CA)) {
		const char *cn = csig_cert_subject_cn(leaf);
		sb_str(b, " and anchor apple generic and certificate leaf[subject.CN] = ");
		sb_quoted(b, cn ? cn : "");
		sb_str(b, " and certificate 1[field." OID_WWDR_CA "] /* exists */");
	} else {
		/* drmaker nonAppleAnchor: the last chain certificate with the leaf's O */
		size_t n = csig_cms_chain_count(cms), pick = 0;
		const char *o = csig_cert_subject_attr(leaf, "O");
		for (size_t k = 0; k < n; k++)
			if (str_eq(csig_cert_subject_attr(csig_cms_chain_cert(cms, k), "O"), o))
				pick = k;
		if (n && (!o || pick == 0))
			pick = n - 1;
		char idx[32];
		if (n == 0 || pick == n - 1)
			snprintf(idx, sizeof(idx), "root");
		else
			snprintf(idx, sizeof(idx), "%zu", pick);
		const csig_cert *c = n ? csig_cms_chain_cert(cms, pick) : leaf;
		sb_str(b, " and certificate ");
		sb_str(b, idx);
		sb_str(b, " = H\"");
		sb_hex(b, csig_cert_sha1(c), 20);
		sb_str(b, "\"");
	}
}

static int parse_text_req(const char *text, csig_req **out, csig_error *err)
{
	uint8_t *bin;
	size_t len;
	int is_set;
	int e = csig_req_compile(text, strlen(text), &bin, &len, &is_set, err);
	if (e)
		return e;
	if (is_set) {
		csig_free(bin);
		return CSIG_FAIL(err, CSIG_E_SYNTAX, 0,
				 "a requirement set was given where one requirement is expected");
	}
	e = csig_req_parse(out, bin, len, NULL, err);
	csig_free(bin);
	return e;
}

void csig_update_check_free(csig_update_check *u)
{
	if (!u)
		return;
	for (size_t i = 0; i < u->n; i++)
		csig_req_result_free(u->evals[i].res);
	for (size_t i = 0; i < u->nstrs; i++)
		csig__free(u->strs[i]);
	csig__free(u->strs);
	csig__free(u->evals);
	csig__free(u->requirement);
	csig__free(u->reason);
	csig__free(u);
}

static int eval_all(csig_update_check *u, const csig_req *req, const char *which,
		    const ucode *nw, csig_error *err)
{
	for (size_t i = 0; i < csig_file_slice_count(nw->exe); i++) {
		const csig_slice *s = csig_file_slice(nw->exe, i);
		if (grow((void **)&u->evals, &u->cap, u->n, sizeof(*u->evals)) ||
		    grow((void **)&u->strs, &u->capstrs, u->nstrs, sizeof(char *)))
			return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory");
		const char *arch = csig_slice_arch(s);
		char *a = csig__strndup(arch, strlen(arch));
		if (!a)
			return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory");
		u->strs[u->nstrs++] = a;
		csig_req_result *r = NULL;
		int e = csig_req_eval_slice(req, s, nw->info, &r, err);
		if (e)
			return e;
		u->evals[u->n].which = which;
		u->evals[u->n].arch = a;
		u->evals[u->n].res = r;
		u->n++;
	}
	return CSIG_OK;
}

static void make_reason(csig_update_check *u, int signed_old, sbuf *b)
{
	if (!signed_old) {
		sb_str(b, "OLD is not signed: it has no designated requirement to judge NEW by");
		return;
	}
	csig_req_verdict want = u->verdict == CSIG_UPDATE_NO ? CSIG_REQ_NOT_SATISFIED
							     : CSIG_REQ_INDETERMINATE;
	if (u->verdict == CSIG_UPDATE_YES) {
		sb_str(b, "NEW satisfies OLD's designated requirement");
		for (size_t i = 0; i < u->n; i++)
			if (!strcmp(u->evals[i].which, "extra")) {
				sb_str(b, " and the extra requirement");
				break;
			}
		sb_str(b, " on every architecture");
		return;
	}
	for (size_t i = 0; i < u->n; i++) {
		const csig_req_result *r = u->evals[i].res;
		if (csig_req_result_verdict(r) != want)
			continue;
		sb_str(b, "NEW ");
		sb_str(b, want == CSIG_REQ_NOT_SATISFIED ? "does not satisfy " : "cannot be judged against ");
		sb_str(b, strcmp(u->evals[i].which, "extra") ? "OLD's designated requirement"
							     : "the extra requirement");
		sb_str(b, " (");
		sb_str(b, u->evals[i].arch);
		sb_str(b, ")");
		for (size_t k = 0; k < csig_req_result_trace_count(r); k++) {
			if (csig_req_result_trace_verdict(r, k) != want)
				continue;
			const char *act = csig_req_result_trace_actual(r, k);
			const char *why = csig_req_result_trace_reason(r, k);
			sb_str(b, ": clause `");
			sb_str(b, csig_req_result_trace_clause(r, k));
			sb_str(b, "` fails");
			if (act && *act) {
				sb_str(b, ", actual ");
				sb_str(b, act);
			}
			if (why && *why) {
				sb_str(b, " (");
				sb_str(b, why);
				sb_str(b, ")");
			}
			break;
		}
		return;
	}
}

int csig_check_update(csig_update_check **out, const char *old_path, const char *new_path,
		      const char *extra_requirement, csig_error *err)
{
	csig__error_clear(err);
	if (out)
		*out = NULL;
	if (!out || !old_path || !new_path)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "out or a path is NULL");
	csig_req *extra = NULL, *dr = NULL;
	int e;
	if (extra_requirement && (e = parse_text_req(extra_requirement, &extra, err)))
		return e;
	ucode old, nw;
	if ((e = open_code(&old, old_path, err))) {
		csig_req_free(extra);
		return e;
	}
	if ((e = open_code(&nw, new_path, err))) {
		ucode_free(&old);
		csig_req_free(extra);
		return e;
	}
	csig_update_check *u = csig__calloc_n(1, sizeof(*u));
	sbuf text = { NULL, 0, 0, 0 }, reason = { NULL, 0, 0, 0 };
	if (!u) {
		e = CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory");
		goto done;
	}
	/* OLD's designated requirement, explicit or implicit */
	for (size_t i = 0; !dr && i < csig_file_slice_count(old.exe); i++) {
		const csig_sig *sig = csig_slice_signature(csig_file_slice(old.exe, i));
		const csig_req *r = sig ? csig_reqset_find(csig_sig_requirements(sig),
							  CSIG_REQ_TYPE_DESIGNATED) : NULL;
		if (!r)
			continue;
		csig_bytes raw = csig_req_raw(r);
		if ((e = csig_req_parse(&dr, raw.ptr, raw.len, NULL, err)))
			goto done;
	}
	if (dr) {
		char *t = NULL;
		if ((e = csig_req_to_text(dr, &t, NULL, err)))
			goto done;
		sb_str(&text, t);
		csig_free(t);
	} else {
		implicit_dr(old.exe, &text);
		if (text.len) {
			u->implicit = 1;
			if ((e = parse_text_req(text.p, &dr, err)))
				goto done;
		}
	}
	if (text.nomem) {
		e = CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory");
		goto done;
	}
	if (dr && (e = eval_all(u, dr, "designated", &nw, err)))
		goto done;
	if (extra && (e = eval_all(u, extra, "extra", &nw, err)))
		goto done;
	int any_no = 0, any_ind = 0;
	for (size_t i = 0; i < u->n; i++) {
		csig_req_verdict v = csig_req_result_verdict(u->evals[i].res);
		any_no |= v == CSIG_REQ_NOT_SATISFIED;
		any_ind |= v == CSIG_REQ_INDETERMINATE;
	}
	u->verdict = !dr ? CSIG_UPDATE_INDETERMINATE : any_no ? CSIG_UPDATE_NO
			 : any_ind ? CSIG_UPDATE_INDETERMINATE : CSIG_UPDATE_YES;
	make_reason(u, dr != NULL, &reason);
	if (reason.nomem) {
		e = CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory");
		goto done;
	}
	u->requirement = text.p ? text.p : csig__strndup("", 0);
	u->reason = reason.p ? reason.p : csig__strndup("", 0);
	text.p = reason.p = NULL;
	if (!u->requirement || !u->reason)
		e = CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory");
done:
	csig__free(text.p);
	csig__free(reason.p);
	csig_req_free(dr);
	csig_req_free(extra);
	ucode_free(&old);
	ucode_free(&nw);
	if (e) {
		csig_update_check_free(u);
		return e;
	}
	*out = u;
	return CSIG_OK;
}

int csig_update_check_verdict(const csig_update_check *u)
{
	return u ? u->verdict : CSIG_UPDATE_INDETERMINATE;
}

const char *csig_update_check_requirement(const csig_update_check *u)
{
	return u ? u->requirement : NULL;
}

int csig_update_check_implicit(const csig_update_check *u) { return u ? u->implicit : 0; }

const char *csig_update_check_reason(const csig_update_check *u)
{
	return u && u->reason ? u->reason : "";
}

size_t csig_update_check_count(const csig_update_check *u) { return u ? u->n : 0; }

int csig_update_check_eval(const csig_update_check *u, size_t i, const char **which,
			   const char **arch, const csig_req_result **result)
{
	if (!u)
		return CSIG_E_INVAL;
	if (i >= u->n)
		return CSIG_E_NOTFOUND;
	if (which)
		*which = u->evals[i].which;
	if (arch)
		*arch = u->evals[i].arch;
	if (result)
		*result = u->evals[i].res;
	return CSIG_OK;
}

static const char *verdict_word(int v)
{
	return v == CSIG_UPDATE_YES ? "yes" : v == CSIG_UPDATE_NO ? "no" : "indeterminate";
}

int csig_update_check_json(const csig_update_check *u, unsigned flags, char **out,
			   size_t *len, csig_error *err)
{
	csig__error_clear(err);
	if (!u || !out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "result or out is NULL");
	csig_json j;
	json_init(&j, (flags & 0x1u) != 0);
	json_obj_begin(&j);
	json_kv_u64(&j, "schema", 1);
	json_kv_str(&j, "document", "check-update");
	json_kv_str(&j, "generator", "libcsig");
	json_kv_str(&j, "version", csig_version_string());
	json_kv_str(&j, "verdict", verdict_word(u->verdict));
	json_kv_i64(&j, "exit", u->verdict);
	json_kv_str(&j, "requirement", u->requirement);
	json_kv_bool(&j, "implicit", u->implicit);
	json_kv_str(&j, "reason", u->reason);
	json_key(&j, "evaluations");
	json_arr_begin(&j);
	for (size_t i = 0; i < u->n; i++) {
		const csig_req_result *r = u->evals[i].res;
		json_obj_begin(&j);
		json_kv_str(&j, "requirement", u->evals[i].which);
		json_kv_str(&j, "arch", u->evals[i].arch);
		json_kv_str(&j, "verdict", csig_req_verdict_name(csig_req_result_verdict(r)));
		json_key(&j, "trace");
		json_arr_begin(&j);
		for (size_t k = 0; k < csig_req_result_trace_count(r); k++) {
			json_obj_begin(&j);
			json_kv_str(&j, "clause", csig_req_result_trace_clause(r, k));
			json_kv_str(&j, "verdict",
				    csig_req_verdict_name(csig_req_result_trace_verdict(r, k)));
			json_kv_str(&j, "actual", csig_req_result_trace_actual(r, k));
			json_kv_str(&j, "expected", csig_req_result_trace_expected(r, k));
			json_kv_str(&j, "reason", csig_req_result_trace_reason(r, k));
			json_obj_end(&j);
		}
		json_arr_end(&j);
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_obj_end(&j);
	return json_finish(&j, out, len, err);
}
