/*
 * profile.c - provisioning profiles: parse (CMS with attached plist, or a
 * bare plist), typed getters, the verdict at a time, the kind, and the match
 * against a signed slice.  See csig/profile.h; FORMAT.md section 7.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "csig/profile.h"
#include "csig/codedir.h"
#include "cms_int.h"
#include "finding.h"
#include "json.h"
#include "plist_int.h"
#include "profile_int.h"
#include "util.h"
#include "x509_int.h"

typedef struct prof_cert {
	csig_cert *cert;     /* NULL when undecodable */
	csig_bytes data;     /* the <data> bytes (owned by the plist) */
	int status;          /* CSIG_OK or csig_cert_parse's error */
	char *msg;           /* why it did not decode */
	uint64_t off;        /* plist offset of the entry */
} prof_cert;

struct csig_profile {
	uint8_t *copy;       /* the input, copied once */
	size_t len;
	int container;       /* csig_profile_container_type */
	csig_cms *cms;       /* NULL for a bare plist */
	csig_plist *plist;   /* NULL when the content is not a plist */
	const csig_pval *root;
	char *malformed;     /* reason the content is unusable, or NULL */
	prof_cert *certs;
	size_t n_certs;
};

struct csig_profile_result {
	int verdict;
	int64_t at;
	int64_t days;
	int kind;
	csig_cms_result *cms_res;
	csig__findings fs;
};

typedef struct prof_row {
	const char *id;
	int ok;
	char *key, *actual, *allowed, *message;
} prof_row;

struct csig_profile_match_result {
	prof_row *rows;
	size_t n, cap;
	int nomem;
	size_t slice;
	const char *arch;
};

/* ---- parsing ---------------------------------------------------------- */

/* Expected type of each documented key (FORMAT.md section 7). */
typedef struct key_rule {
	const char *key;
	int type;        /* csig_pval_type */
	int item_type;   /* for arrays: type of every item, 0 = any */
	int required;
} key_rule;

static const key_rule key_rules[] = {
	{ "AppIDName", CSIG_PVAL_STRING, 0, 0 },
	{ "ApplicationIdentifierPrefix", CSIG_PVAL_ARRAY, CSIG_PVAL_STRING, 0 },
	{ "CreationDate", CSIG_PVAL_DATE, 0, 1 },
	{ "ExpirationDate", CSIG_PVAL_DATE, 0, 1 },
	{ "TeamIdentifier", CSIG_PVAL_ARRAY, CSIG_PVAL_STRING, 1 },
	{ "TeamName", CSIG_PVAL_STRING, 0, 0 },
	{ "Name", CSIG_PVAL_STRING, 0, 0 },
	{ "UUID", CSIG_PVAL_STRING, 0, 1 },
	{ "TimeToLive", CSIG_PVAL_INTEGER, 0, 0 },
	{ "Version", CSIG_PVAL_INTEGER, 0, 0 },
	{ "Platform", CSIG_PVAL_ARRAY, CSIG_PVAL_STRING, 0 },
	{ "IsXcodeManaged", CSIG_PVAL_BOOL, 0, 0 },
	{ "DeveloperCertificates", CSIG_PVAL_ARRAY, CSIG_PVAL_DATA, 0 },
	{ "ProvisionedDevices", CSIG_PVAL_ARRAY, CSIG_PVAL_STRING, 0 },
	{ "ProvisionsAllDevices", CSIG_PVAL_BOOL, 0, 0 },
	{ "Entitlements", CSIG_PVAL_DICT, 0, 1 },
	{ "DER-Encoded-Profile", CSIG_PVAL_DATA, 0, 0 },
	{ "PPQCheck", CSIG_PVAL_BOOL, 0, 0 },
};

static char *dup_printf(const char *fmt, ...) CSIG_PRINTF(1, 2);

static char *dup_printf(const char *fmt, ...)
{
	char buf[256];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	return csig__strndup(buf, strlen(buf));
}

/* Check the shape of the root; sets p->malformed.  CSIG_OK or CSIG_E_NOMEM. */
static int check_shape(csig_profile *p)
{
	if (csig_pval_type_of(p->root) != CSIG_PVAL_DICT) {
		p->malformed = dup_printf("the profile plist's root is a %s, not a dict",
					  csig_pval_type_name(csig_pval_type_of(p->root)));
		return p->malformed ? CSIG_OK : CSIG_E_NOMEM;
	}
	for (size_t i = 0; i < CSIG_ARRAY_LEN(key_rules); i++) {
		const key_rule *k = &key_rules[i];
		const csig_pval *v = csig_pval_dict_get(p->root, k->key);
		if (!v) {
			if (!k->required)
				continue;
			p->malformed = dup_printf("required key %s is missing", k->key);
			return p->malformed ? CSIG_OK : CSIG_E_NOMEM;
		}
		int t = csig_pval_type_of(v);
		if (t != k->type) {
			p->malformed = dup_printf("key %s at plist offset %llu is a %s, not a %s",
						  k->key, (unsigned long long)csig_pval_offset(v),
						  csig_pval_type_name(t),
						  csig_pval_type_name(k->type));
			return p->malformed ? CSIG_OK : CSIG_E_NOMEM;
		}
		for (size_t n = 0; k->item_type && n < csig_pval_count(v); n++) {
			const csig_pval *it = csig_pval_array_item(v, n);
			if ((int)csig_pval_type_of(it) == k->item_type)
				continue;
			p->malformed = dup_printf("%s item %zu is a %s, not a %s", k->key, n,
						  csig_pval_type_name(csig_pval_type_of(it)),
						  csig_pval_type_name(k->item_type));
			return p->malformed ? CSIG_OK : CSIG_E_NOMEM;
		}
	}
	return CSIG_OK;
}

/* Decode every DeveloperCertificates entry; undecodable ones are recorded. */
static int parse_certs(csig_profile *p, const csig_open_options *opts)
{
	const csig_pval *dc = csig_pval_dict_get(p->root, "DeveloperCertificates");
	size_t n = csig_pval_type_of(dc) == CSIG_PVAL_ARRAY ? csig_pval_count(dc) : 0;
	if (n == 0)
		return CSIG_OK;
	p->certs = csig__calloc_n(n, sizeof(*p->certs));
	if (!p->certs)
		return CSIG_E_NOMEM;
	p->n_certs = n;
	for (size_t i = 0; i < n; i++) {
		prof_cert *c = &p->certs[i];
		const csig_pval *v = csig_pval_array_item(dc, i);
		c->off = csig_pval_offset(v);
		if (csig_pval_data(v, &c->data) != CSIG_OK) {
			c->data = (csig_bytes){ NULL, 0 };
			c->status = CSIG_E_BADVALUE;
			c->msg = dup_printf("entry is a %s, not data",
					    csig_pval_type_name(csig_pval_type_of(v)));
		} else {
			csig_error e = { 0 };
			csig__error_clear(&e);
			c->status = csig_cert_parse(&c->cert, c->data.ptr, c->data.len, opts, &e);
			if (c->status == CSIG_E_NOMEM)
				return CSIG_E_NOMEM;
			if (c->status != CSIG_OK)
				c->msg = csig__strndup(e.msg, strlen(e.msg));
		}
		if (c->status != CSIG_OK && !c->msg)
			return CSIG_E_NOMEM;
	}
	return CSIG_OK;
}

/* see csig/profile.h */
int csig_profile_parse(csig_profile **out, const void *buf, size_t len,
		       const csig_open_options *opts, csig_error *err)
{
	csig__error_clear(err);
	if (out)
		*out = NULL;
	if (!out || !buf || len == 0)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "csig_profile_parse: NULL argument or empty input");
	if (opts && opts->version != CSIG_OPEN_OPTIONS_VERSION)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "csig_profile_parse: options version %u unknown",
				 opts->version);
	/* We own a copy, so the CMS and certificates may view it. */
	csig_open_options o = CSIG_OPEN_OPTIONS_INIT;
	if (opts) {
		o.max_depth = opts->max_depth;
		o.max_count = opts->max_count;
	}
	csig_profile *p = csig__calloc_n(1, sizeof(*p));
	if (!p)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory for a profile");
	p->copy = csig__malloc(len);
	if (!p->copy) {
		csig__free(p);
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory copying %zu profile bytes", len);
	}
	memcpy(p->copy, buf, len);
	p->len = len;

	int rc = csig_cms_parse(&p->cms, p->copy, len, &o, err);
	if (rc == CSIG_E_BADMAGIC) {
		/* Not CMS: a bare plist (XML or bplist00), reported as unsigned. */
		csig_error perr = { 0 };
		csig__error_clear(&perr);
		rc = csig_plist_parse(&p->plist, p->copy, len, CSIG_PLIST_XML | CSIG_PLIST_BINARY,
				      &o, &perr);
		if (rc == CSIG_E_BADMAGIC) {
			csig__error_clear(err); /* replace the CMS reader's description */
			rc = CSIG_FAIL(err, CSIG_E_BADMAGIC, 0,
				       "neither a CMS SignedData nor a property list (%zu bytes)", len);
			goto fail;
		}
		if (rc) {
			if (err)
				*err = perr;
			goto fail;
		}
		p->container = csig_plist_format(p->plist) == CSIG_PLIST_BINARY ?
				       CSIG_PROFILE_BARE_BINARY : CSIG_PROFILE_BARE_XML;
	} else if (rc) {
		goto fail;
	} else {
		p->container = CSIG_PROFILE_CMS;
		csig_bytes content = csig_cms_content(p->cms);
		if (csig_cms_is_detached(p->cms) || content.len == 0) {
			p->malformed = dup_printf("the CMS carries no attached content (detached: %d)",
						  csig_cms_is_detached(p->cms));
			if (!p->malformed)
				goto nomem;
		} else {
			csig_error perr = { 0 };
			csig__error_clear(&perr);
			int prc = csig_plist_parse(&p->plist, content.ptr, content.len,
						   CSIG_PLIST_XML | CSIG_PLIST_BINARY, &o, &perr);
			if (prc == CSIG_E_NOMEM)
				goto nomem;
			if (prc) {
				p->malformed = dup_printf("the signed content (%zu bytes) is not a property list: %s",
							  content.len, perr.msg);
				if (!p->malformed)
					goto nomem;
			}
		}
	}
	if (p->plist) {
		p->root = csig_plist_root(p->plist);
		if (check_shape(p) != CSIG_OK)
			goto nomem;
		if (csig_pval_type_of(p->root) == CSIG_PVAL_DICT && parse_certs(p, &o) != CSIG_OK)
			goto nomem;
	}
	*out = p;
	return CSIG_OK;
nomem:
	rc = CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory reading a profile");
fail:
	csig_profile_free(p);
	return rc;
}

/* see csig/profile.h */
void csig_profile_free(csig_profile *p)
{
	if (!p)
		return;
	for (size_t i = 0; i < p->n_certs; i++) {
		csig_cert_free(p->certs[i].cert);
		csig__free(p->certs[i].msg);
	}
	csig__free(p->certs);
	csig__free(p->malformed);
	csig_plist_free(p->plist);
	csig_cms_free(p->cms);
	csig__free(p->copy);
	csig__free(p);
}

/* ---- getters ---------------------------------------------------------- */

static const csig_pval *key(const csig_profile *p, const char *k)
{
	return p ? csig_pval_dict_get(p->root, k) : NULL;
}

static const char *str_key(const csig_profile *p, const char *k)
{
	return csig_pval_cstr(key(p, k), NULL);
}

static size_t arr_count(const csig_profile *p, const char *k)
{
	const csig_pval *v = key(p, k);
	return csig_pval_type_of(v) == CSIG_PVAL_ARRAY ? csig_pval_count(v) : 0;
}

static const char *arr_str(const csig_profile *p, const char *k, size_t i)
{
	return csig_pval_cstr(csig_pval_array_item(key(p, k), i), NULL);
}

static int bool_key(const csig_profile *p, const char *k)
{
	int b;
	return csig_pval_bool(key(p, k), &b) == CSIG_OK ? (b != 0) : -1;
}

static int date_key(const csig_profile *p, const char *k, int64_t *out)
{
	if (!p || !out)
		return CSIG_E_INVAL;
	const csig_pval *v = key(p, k);
	if (!v)
		return CSIG_E_NOTFOUND;
	return csig_pval_date(v, out);
}

static int int_key(const csig_profile *p, const char *k, int64_t *out)
{
	if (!p || !out)
		return CSIG_E_INVAL;
	const csig_pval *v = key(p, k);
	if (!v)
		return CSIG_E_NOTFOUND;
	return csig_pval_int(v, out);
}

int csig_profile_container(const csig_profile *p) { return p ? p->container : 0; }
int csig_profile_is_signed(const csig_profile *p) { return p && p->cms ? 1 : 0; }
const csig_cms *csig_profile_cms(const csig_profile *p) { return p ? p->cms : NULL; }
const csig_plist *csig_profile_plist(const csig_profile *p) { return p ? p->plist : NULL; }
const csig_pval *csig_profile_root(const csig_profile *p) { return p ? p->root : NULL; }
const char *csig_profile_malformed_reason(const csig_profile *p) { return p ? p->malformed : NULL; }
const char *csig_profile_name(const csig_profile *p) { return str_key(p, "Name"); }
const char *csig_profile_uuid(const csig_profile *p) { return str_key(p, "UUID"); }
const char *csig_profile_app_id_name(const csig_profile *p) { return str_key(p, "AppIDName"); }
const char *csig_profile_team_name(const csig_profile *p) { return str_key(p, "TeamName"); }
size_t csig_profile_app_id_prefix_count(const csig_profile *p) { return arr_count(p, "ApplicationIdentifierPrefix"); }
const char *csig_profile_app_id_prefix(const csig_profile *p, size_t i) { return arr_str(p, "ApplicationIdentifierPrefix", i); }
size_t csig_profile_team_id_count(const csig_profile *p) { return arr_count(p, "TeamIdentifier"); }
const char *csig_profile_team_id(const csig_profile *p, size_t i) { return arr_str(p, "TeamIdentifier", i); }
size_t csig_profile_platform_count(const csig_profile *p) { return arr_count(p, "Platform"); }
const char *csig_profile_platform(const csig_profile *p, size_t i) { return arr_str(p, "Platform", i); }
size_t csig_profile_device_count(const csig_profile *p) { return arr_count(p, "ProvisionedDevices"); }
const char *csig_profile_device(const csig_profile *p, size_t i) { return arr_str(p, "ProvisionedDevices", i); }
int csig_profile_has_devices(const csig_profile *p) { return key(p, "ProvisionedDevices") ? 1 : 0; }
int csig_profile_creation_date(const csig_profile *p, int64_t *out) { return date_key(p, "CreationDate", out); }
int csig_profile_expiration_date(const csig_profile *p, int64_t *out) { return date_key(p, "ExpirationDate", out); }
int csig_profile_time_to_live(const csig_profile *p, int64_t *out) { return int_key(p, "TimeToLive", out); }
int csig_profile_version(const csig_profile *p, int64_t *out) { return int_key(p, "Version", out); }
int csig_profile_is_xcode_managed(const csig_profile *p) { return bool_key(p, "IsXcodeManaged"); }
int csig_profile_provisions_all_devices(const csig_profile *p) { return bool_key(p, "ProvisionsAllDevices"); }

const csig_pval *csig_profile_entitlements(const csig_profile *p)
{
	const csig_pval *v = key(p, "Entitlements");
	return csig_pval_type_of(v) == CSIG_PVAL_DICT ? v : NULL;
}

size_t csig_profile_cert_count(const csig_profile *p) { return p ? p->n_certs : 0; }

const csig_cert *csig_profile_cert(const csig_profile *p, size_t i)
{
	return p && i < p->n_certs ? p->certs[i].cert : NULL;
}

csig_bytes csig_profile_cert_data(const csig_profile *p, size_t i)
{
	return p && i < p->n_certs ? p->certs[i].data : (csig_bytes){ NULL, 0 };
}

int csig_profile_cert_status(const csig_profile *p, size_t i, const char **msg)
{
	if (msg)
		*msg = NULL;
	if (!p || i >= p->n_certs)
		return CSIG_E_NOTFOUND;
	if (msg)
		*msg = p->certs[i].msg;
	return p->certs[i].status;
}

int csig_profile_has_der_profile(const csig_profile *p) { return key(p, "DER-Encoded-Profile") ? 1 : 0; }

csig_bytes csig_profile_der_profile(const csig_profile *p)
{
	csig_bytes b = { NULL, 0 };
	if (csig_pval_data(key(p, "DER-Encoded-Profile"), &b) != CSIG_OK)
		b = (csig_bytes){ NULL, 0 };
	return b;
}

static int has_platform(const csig_profile *p, const char *name)
{
	for (size_t i = 0; i < csig_profile_platform_count(p); i++) {
		const char *s = csig_profile_platform(p, i);
		if (s && strcmp(s, name) == 0)
			return 1;
	}
	return 0;
}

static int is_macos_profile(const csig_profile *p)
{
	return has_platform(p, "OSX") || has_platform(p, "macOS");
}

/* see csig/profile.h: TN3125 "The Where" and FORMAT.md section 7.1 */
csig_profile_kind csig_profile_kind_of(const csig_profile *p)
{
	if (!p || csig_pval_type_of(p->root) != CSIG_PVAL_DICT)
		return CSIG_PROFILE_KIND_UNKNOWN;
	int macos = is_macos_profile(p);
	if (csig_profile_provisions_all_devices(p) == 1)
		return macos ? CSIG_PROFILE_KIND_DEVELOPER_ID : CSIG_PROFILE_KIND_ENTERPRISE;
	if (csig_profile_has_devices(p)) {
		if (macos)
			return CSIG_PROFILE_KIND_DEVELOPMENT;
		int gta;
		const csig_pval *ent = csig_profile_entitlements(p);
		if (csig_pval_bool(csig_pval_dict_get(ent, "get-task-allow"), &gta) == CSIG_OK && gta)
			return CSIG_PROFILE_KIND_DEVELOPMENT;
		return CSIG_PROFILE_KIND_AD_HOC;
	}
	return CSIG_PROFILE_KIND_APP_STORE;
}

const char *csig_profile_kind_name(int kind)
{
	switch (kind) {
	case CSIG_PROFILE_KIND_DEVELOPMENT: return "development";
	case CSIG_PROFILE_KIND_AD_HOC: return "ad-hoc";
	case CSIG_PROFILE_KIND_APP_STORE: return "app-store";
	case CSIG_PROFILE_KIND_ENTERPRISE: return "enterprise";
	case CSIG_PROFILE_KIND_DEVELOPER_ID: return "developer-id";
	default: return "unknown";
	}
}

const char *csig_profile_verdict_name(int verdict)
{
	switch (verdict) {
	case CSIG_PROFILE_VALID: return "valid";
	case CSIG_PROFILE_EXPIRED: return "expired";
	case CSIG_PROFILE_UNTRUSTED: return "untrusted";
	case CSIG_PROFILE_TAMPERED: return "tampered";
	case CSIG_PROFILE_UNSIGNED: return "unsigned";
	case CSIG_PROFILE_MALFORMED: return "malformed";
	default: return "?";
	}
}

/* ---- verdict ---------------------------------------------------------- */

/* floor((to - from) / 86400) without overflow (saturating). */
static int64_t days_between(int64_t from, int64_t to)
{
	int64_t d;
#if defined(__GNUC__) || defined(__clang__)
	if (__builtin_sub_overflow(to, from, &d))
		return to > from ? INT64_MAX / 86400 : INT64_MIN / 86400;
#else
	if ((from < 0 && to > INT64_MAX + from) || (from > 0 && to < INT64_MIN + from))
		return to > from ? INT64_MAX / 86400 : INT64_MIN / 86400;
	d = to - from;
#endif
	int64_t q = d / 86400;
	if (d % 86400 != 0 && d < 0)
		q--;
	return q;
}

static int has_cms_finding(const csig_cms_result *r, const char *id)
{
	for (size_t i = 0; i < csig_cms_result_finding_count(r); i++) {
		const char *f = csig_cms_result_finding(r, i, NULL);
		if (f && strcmp(f, id) == 0)
			return 1;
	}
	return 0;
}

/* see csig/profile.h */
int csig_profile_check(const csig_profile *p, int64_t at, csig_profile_result **out,
		       csig_error *err)
{
	csig__error_clear(err);
	if (out)
		*out = NULL;
	if (!p || !out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "csig_profile_check: NULL argument");
	csig_profile_result *r = csig__calloc_n(1, sizeof(*r));
	if (!r)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory for a profile result");
	r->at = at;
	r->days = INT64_MIN;
	r->kind = csig_profile_kind_of(p);
	csig__findings *fs = &r->fs;
	char ta[32], tb[32];

	int tampered = 0, untrusted = 0, cms_expired = 0;
	if (p->cms) {
		int rc = csig_cms_verify(p->cms, (csig_bytes){ NULL, 0 }, at, &r->cms_res, err);
		if (rc) {
			csig_profile_result_free(r);
			return rc;
		}
		const csig_cms_result *cr = r->cms_res;
		for (size_t i = 0; i < csig_cms_result_finding_count(cr); i++) {
			const char *msg = NULL;
			const char *id = csig_cms_result_finding(cr, i, &msg);
			csig__finding_add(fs, id, strcmp(id, "timestamp-invalid") == 0 ?
					  CSIG_SEV_WARN : CSIG_SEV_ERROR, -1, -1, 0, "%s",
					  msg ? msg : id);
		}
		tampered = !csig_cms_result_digest_ok(cr) ||
			   has_cms_finding(cr, "signature-invalid") ||
			   has_cms_finding(cr, "chain-link-invalid");
		untrusted = !csig_cms_result_ok(cr) || !csig_cms_result_apple_root(cr);
		cms_expired = csig_cms_result_expired(cr);
	} else {
		csig__finding_add(fs, "unsigned", CSIG_SEV_ERROR, -1, -1, 0,
				  "the profile is a bare %s plist without a CMS signature",
				  p->container == CSIG_PROFILE_BARE_BINARY ? "binary" : "XML");
	}
	if (p->malformed)
		csig__finding_add(fs, p->plist ? "malformed" : "content-not-plist",
				  CSIG_SEV_ERROR, -1, -1, 0, "%s", p->malformed);

	int64_t exp = 0, created = 0;
	int have_exp = csig_profile_expiration_date(p, &exp) == CSIG_OK;
	int have_created = csig_profile_creation_date(p, &created) == CSIG_OK;
	int expired = 0;
	if (have_exp) {
		r->days = days_between(at, exp);
		if (exp <= at) {
			expired = 1;
			csig__finding_add(fs, "profile-expired", CSIG_SEV_ERROR, -1, -1,
					  csig_pval_offset(key(p, "ExpirationDate")),
					  "ExpirationDate %s is not after %s",
					  csig_time_format(exp, ta, sizeof(ta)),
					  csig_time_format(at, tb, sizeof(tb)));
		}
	}
	if (have_created && created > at)
		csig__finding_add(fs, "not-yet-valid", CSIG_SEV_WARN, -1, -1,
				  csig_pval_offset(key(p, "CreationDate")),
				  "CreationDate %s is after %s",
				  csig_time_format(created, ta, sizeof(ta)),
				  csig_time_format(at, tb, sizeof(tb)));
	if (have_created && have_exp && exp < created)
		csig__finding_add(fs, "dates-inverted", CSIG_SEV_WARN, -1, -1, 0,
				  "ExpirationDate is before CreationDate");

	size_t usable = 0;
	for (size_t i = 0; i < p->n_certs; i++) {
		const prof_cert *c = &p->certs[i];
		if (!c->cert) {
			csig__finding_add(fs, "developer-cert-undecodable", CSIG_SEV_WARN, -1, -1,
					  c->off, "DeveloperCertificates[%zu] (%zu bytes) is not a certificate: %s",
					  i, c->data.len, c->msg ? c->msg : "?");
			continue;
		}
		int64_t na = csig_cert_not_after(c->cert);
		if (na <= at) {
			const char *cn = csig_cert_subject_cn(c->cert);
			csig__finding_add(fs, "developer-cert-expired", CSIG_SEV_INFO, -1, -1, c->off,
					  "DeveloperCertificates[%zu] \"%s\" expired %s",
					  i, cn ? cn : "?", csig_time_format(na, ta, sizeof(ta)));
		} else {
			usable++;
		}
	}
	if (p->root && !p->malformed && usable == 0)
		csig__finding_add(fs, "no-developer-certs", CSIG_SEV_WARN, -1, -1, 0,
				  "no DeveloperCertificates entry is a certificate valid at %s",
				  csig_time_format(at, tb, sizeof(tb)));

	if (tampered)
		r->verdict = CSIG_PROFILE_TAMPERED;
	else if (p->malformed)
		r->verdict = CSIG_PROFILE_MALFORMED;
	else if (!p->cms)
		r->verdict = CSIG_PROFILE_UNSIGNED;
	else if (untrusted)
		r->verdict = CSIG_PROFILE_UNTRUSTED;
	else if (expired || cms_expired)
		r->verdict = CSIG_PROFILE_EXPIRED;
	else
		r->verdict = CSIG_PROFILE_VALID;

	if (fs->nomem) {
		csig_profile_result_free(r);
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory recording profile findings");
	}
	*out = r;
	return CSIG_OK;
}

void csig_profile_result_free(csig_profile_result *r)
{
	if (!r)
		return;
	csig__findings_free(&r->fs);
	csig_cms_result_free(r->cms_res);
	csig__free(r);
}

csig_profile_verdict csig_profile_result_verdict(const csig_profile_result *r)
{
	return r ? (csig_profile_verdict)r->verdict : CSIG_PROFILE_MALFORMED;
}
int64_t csig_profile_result_at(const csig_profile_result *r) { return r ? r->at : 0; }
int64_t csig_profile_result_days_to_expiry(const csig_profile_result *r) { return r ? r->days : INT64_MIN; }
const csig_cms_result *csig_profile_result_cms(const csig_profile_result *r) { return r ? r->cms_res : NULL; }
size_t csig_profile_result_finding_count(const csig_profile_result *r) { return r ? r->fs.count : 0; }

const csig_finding *csig_profile_result_finding(const csig_profile_result *r, size_t i)
{
	return r && i < r->fs.count ? &r->fs.items[i] : NULL;
}

/* ---- match ------------------------------------------------------------ */

/* Compact JSON of a value (NULL node: "null"), owned by the caller. */
static char *val_json(const csig_pval *v)
{
	csig_json j;
	char *s = NULL;
	json_init(&j, 0);
	if (v)
		csig__plist_json(&j, v);
	else
		json_null(&j);
	if (json_finish(&j, &s, NULL, NULL) != CSIG_OK)
		return NULL;
	return s;
}

static char *str_json(const char *str)
{
	csig_json j;
	char *s = NULL;
	json_init(&j, 0);
	if (str)
		json_str(&j, str);
	else
		json_null(&j);
	if (json_finish(&j, &s, NULL, NULL) != CSIG_OK)
		return NULL;
	return s;
}

/* Add a row; takes ownership of actual/allowed (JSON texts, may be NULL). */
static void add_row(csig_profile_match_result *m, const char *id, int ok, const char *k,
		    char *actual, char *allowed, const char *fmt, ...) CSIG_PRINTF(7, 8);

static void add_row(csig_profile_match_result *m, const char *id, int ok, const char *k,
		    char *actual, char *allowed, const char *fmt, ...)
{
	if (m->n == m->cap) {
		size_t cap = m->cap ? m->cap * 2 : 16;
		prof_row *nr = csig__realloc(m->rows, cap * sizeof(*nr));
		if (!nr) {
			m->nomem = 1;
			csig__free(actual);
			csig__free(allowed);
			return;
		}
		m->rows = nr;
		m->cap = cap;
	}
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	prof_row *r = &m->rows[m->n++];
	r->id = id;
	r->ok = ok;
	r->key = k ? csig__strndup(k, strlen(k)) : NULL;
	r->actual = actual;
	r->allowed = allowed;
	r->message = csig__strndup(buf, strlen(buf));
	if ((k && !r->key) || !r->message)
		m->nomem = 1;
}

/* A string allowed by a profile pattern: "*" anything, "x*" prefix, else equal. */
static int str_allowed(const csig_pval *claim, const csig_pval *pat)
{
	size_t cn, pn;
	const char *c = csig_pval_cstr(claim, &cn);
	const char *s = csig_pval_cstr(pat, &pn);
	if (!c || !s)
		return 0;
	if (pn > 0 && s[pn - 1] == '*')
		return cn >= pn - 1 && memcmp(c, s, pn - 1) == 0;
	return cn == pn && memcmp(c, s, pn) == 0;
}

#define MATCH_MAX_DEPTH 16

/* Is the claimed value allowed by the profile's value?  See csig/profile.h. */
static int value_allowed(const csig_pval *claim, const csig_pval *prof, unsigned depth)
{
	if (!claim || !prof || depth > MATCH_MAX_DEPTH)
		return 0;
	int ct = csig_pval_type_of(claim), pt = csig_pval_type_of(prof);
	switch (pt) {
	case CSIG_PVAL_STRING: {
		size_t pn;
		const char *s = csig_pval_cstr(prof, &pn);
		if (pn == 1 && s[0] == '*')
			return 1;
		if (ct == CSIG_PVAL_STRING)
			return str_allowed(claim, prof);
		if (ct == CSIG_PVAL_ARRAY) {
			for (size_t i = 0; i < csig_pval_count(claim); i++)
				if (!str_allowed(csig_pval_array_item(claim, i), prof))
					return 0;
			return 1;
		}
		return 0;
	}
	case CSIG_PVAL_BOOL: {
		int a, b;
		if (csig_pval_bool(claim, &a) != CSIG_OK || csig_pval_bool(prof, &b) != CSIG_OK)
			return 0;
		return a == b || b;
	}
	case CSIG_PVAL_ARRAY: {
		if (ct == CSIG_PVAL_ARRAY) {
			for (size_t i = 0; i < csig_pval_count(claim); i++) {
				const csig_pval *it = csig_pval_array_item(claim, i);
				int any = 0;
				for (size_t k = 0; !any && k < csig_pval_count(prof); k++)
					any = value_allowed(it, csig_pval_array_item(prof, k), depth + 1);
				if (!any)
					return 0;
			}
			return 1;
		}
		for (size_t k = 0; k < csig_pval_count(prof); k++)
			if (value_allowed(claim, csig_pval_array_item(prof, k), depth + 1))
				return 1;
		return 0;
	}
	case CSIG_PVAL_DICT: {
		if (ct != CSIG_PVAL_DICT)
			return 0;
		for (size_t i = 0; i < csig_pval_count(claim); i++) {
			size_t kn;
			const char *k = csig_pval_cstr(csig_pval_dict_key(claim, i), &kn);
			if (!k || !value_allowed(csig_pval_dict_value(claim, i),
						 csig_pval_dict_getn(prof, k, kn), depth + 1))
				return 0;
		}
		return 1;
	}
	default:
		return csig__pval_equal(claim, prof) == 0;
	}
}

/* Profile Platform names accepted for a Mach-O PLATFORM_* number. */
static const char *const *platform_names(uint32_t platform)
{
	static const char *const macos[] = { "OSX", "macOS", NULL };
	static const char *const ios[] = { "iOS", NULL };
	static const char *const tvos[] = { "tvOS", NULL };
	static const char *const watchos[] = { "watchOS", "iOS", NULL };
	static const char *const catalyst[] = { "OSX", "macOS", "iOS", NULL };
	static const char *const xros[] = { "xrOS", "visionOS", NULL };
	switch (platform) {
	case 1: case 10: return macos;       /* macOS, DriverKit */
	case 2: case 7: return ios;          /* iOS, iOS simulator */
	case 3: case 8: return tvos;
	case 4: case 9: return watchos;
	case 6: return catalyst;
	case 11: case 12: return xros;
	default: return NULL;
	}
}

static int is_app_id_key(const char *k)
{
	return strcmp(k, "application-identifier") == 0 ||
	       strcmp(k, "com.apple.application-identifier") == 0;
}

static void match_team(csig_profile_match_result *m, const csig_profile *p,
		       const csig_codedir *cd, const csig_cert *leaf)
{
	const char *team = cd ? csig_codedir_team_id(cd) : NULL;
	const char *src = "CodeDirectory teamID";
	if (!team && leaf) {
		team = csig_cert_team_id(leaf);
		src = "signing certificate OU";
	}
	int ok = 0;
	for (size_t i = 0; team && i < csig_profile_team_id_count(p); i++) {
		const char *t = csig_profile_team_id(p, i);
		ok |= t && strcmp(t, team) == 0;
	}
	if (!team)
		add_row(m, "team-id", 0, NULL, str_json(NULL), val_json(key(p, "TeamIdentifier")),
			"the binary has no team identifier (no CodeDirectory teamID, no certificate OU)");
	else
		add_row(m, "team-id", ok, NULL, str_json(team), val_json(key(p, "TeamIdentifier")),
			"%s %s %s the profile's TeamIdentifier", src, team, ok ? "is in" : "is not in");
}

static void match_cert(csig_profile_match_result *m, const csig_profile *p, const csig_cert *leaf)
{
	csig_json j;
	char *allowed = NULL;
	int ok = 0;
	json_init(&j, 0);
	json_arr_begin(&j);
	for (size_t i = 0; i < p->n_certs; i++) {
		uint8_t h[64];
		size_t hl = 0;
		const prof_cert *c = &p->certs[i];
		if (csig_digest(CSIG_HASHTYPE_SHA256, c->data.ptr ? (const void *)c->data.ptr : "",
				c->data.len, h, &hl) != CSIG_OK)
			continue;
		json_hex(&j, h, hl);
		if (leaf && hl == 32 && memcmp(h, csig_cert_sha256(leaf), 32) == 0)
			ok = 1;
	}
	json_arr_end(&j);
	if (json_finish(&j, &allowed, NULL, NULL) != CSIG_OK)
		allowed = NULL;
	char *actual = NULL;
	if (leaf) {
		json_init(&j, 0);
		json_hex(&j, csig_cert_sha256(leaf), 32);
		if (json_finish(&j, &actual, NULL, NULL) != CSIG_OK)
			actual = NULL;
	}
	const char *cn = leaf ? csig_cert_subject_cn(leaf) : NULL;
	if (!leaf)
		add_row(m, "certificate", 0, NULL, actual, allowed,
			"the slice has no CMS signing certificate (ad hoc or unreadable)");
	else
		add_row(m, "certificate", ok, NULL, actual, allowed,
			"signing certificate \"%s\" %s among the profile's %zu DeveloperCertificates",
			cn ? cn : "?", ok ? "is" : "is not", p->n_certs);
}

static void match_app_id(csig_profile_match_result *m, const csig_profile *p,
			 const csig_pval *claims, int macos)
{
	const char *k1 = macos ? "com.apple.application-identifier" : "application-identifier";
	const char *k2 = macos ? "application-identifier" : "com.apple.application-identifier";
	const char *k = k1;
	const csig_pval *claim = csig_pval_dict_get(claims, k1);
	if (!claim) {
		claim = csig_pval_dict_get(claims, k2);
		if (claim)
			k = k2;
	}
	const csig_pval *ent = csig_profile_entitlements(p);
	const csig_pval *allowed = csig_pval_dict_get(ent, k);
	if (!allowed)
		allowed = csig_pval_dict_get(ent, strcmp(k, k1) == 0 ? k2 : k1);
	if (!claim) {
		add_row(m, "application-identifier", 0, k, val_json(NULL), val_json(allowed),
			"the binary claims no %s entitlement", k);
		return;
	}
	int ok = csig_pval_type_of(claim) == CSIG_PVAL_STRING && value_allowed(claim, allowed, 0);
	/* The App ID must also carry one of the profile's prefixes (team). */
	size_t cn;
	const char *c = csig_pval_cstr(claim, &cn);
	const char *pk = csig_profile_app_id_prefix_count(p) ? "ApplicationIdentifierPrefix" : "TeamIdentifier";
	int prefixed = 0;
	for (size_t i = 0; c && i < arr_count(p, pk); i++) {
		const char *pre = arr_str(p, pk, i);
		size_t pn = pre ? strlen(pre) : 0;
		if (pre && cn > pn && memcmp(c, pre, pn) == 0 && c[pn] == '.')
			prefixed = 1;
	}
	add_row(m, "application-identifier", ok && prefixed, k, val_json(claim), val_json(allowed),
		"%s by the profile%s", ok ? "allowed" : "not allowed",
		prefixed ? "" : " and does not start with a prefix from the profile's " "ApplicationIdentifierPrefix/TeamIdentifier");
}

static void match_entitlements(csig_profile_match_result *m, const csig_profile *p,
			       const csig_pval *claims, int macos)
{
	const csig_pval *ent = csig_profile_entitlements(p);
	for (size_t i = 0; i < csig_pval_count(claims); i++) {
		size_t kn;
		const char *k = csig_pval_cstr(csig_pval_dict_key(claims, i), &kn);
		if (!k || is_app_id_key(k))
			continue;
		const csig_pval *claim = csig_pval_dict_value(claims, i);
		const csig_pval *allowed = csig_pval_dict_getn(ent, k, kn);
		if (macos && strncmp(k, "com.apple.security.", 19) == 0 &&
		    strcmp(k, "com.apple.security.application-groups") != 0) {
			add_row(m, "entitlement", 1, k, val_json(claim), val_json(allowed),
				"not restricted on macOS (no profile needed)");
			continue;
		}
		int ok = value_allowed(claim, allowed, 0);
		add_row(m, "entitlement", ok, k, val_json(claim), val_json(allowed), "%s",
			allowed ? (ok ? "allowed by the profile" : "not allowed by the profile") :
				  "absent from the profile's Entitlements");
	}
}

static void match_platform(csig_profile_match_result *m, const csig_profile *p,
			   const csig_slice *s, int have, uint32_t platform)
{
	const char *const *names = have ? platform_names(platform) : NULL;
	const char *pname = have ? csig_platform_name(platform) : NULL;
	char *actual = str_json(pname ? pname : have ? "unknown" : NULL);
	char *allowed = key(p, "Platform") ? val_json(key(p, "Platform")) : str_json("iOS");
	int ok = 0;
	for (size_t i = 0; names && names[i]; i++)
		ok |= csig_profile_platform_count(p) ? has_platform(p, names[i])
						     : strcmp(names[i], "iOS") == 0;
	if (!have)
		add_row(m, "platform", 0, NULL, actual, allowed,
			"slice %s declares no platform (no LC_BUILD_VERSION or LC_VERSION_MIN_*)",
			csig_slice_arch(s));
	else
		add_row(m, "platform", ok, NULL, actual, allowed, "binary platform %s (%u) %s the profile's Platform%s",
			pname ? pname : "unknown", platform, ok ? "is in" : "is not in",
			csig_profile_platform_count(p) ? "" : " (absent: iOS assumed)");
}

/* see csig/profile.h */
int csig_profile_match(const csig_profile *p, const csig_slice *s,
		       csig_profile_match_result **out, csig_error *err)
{
	csig__error_clear(err);
	if (out)
		*out = NULL;
	if (!p || !s || !out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "csig_profile_match: NULL argument");
	csig_profile_match_result *m = csig__calloc_n(1, sizeof(*m));
	if (!m)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory for a match result");
	m->slice = csig_slice_index(s);
	m->arch = csig_slice_arch(s);
	uint32_t platform = 0, minos, sdk;
	int have_platform = csig_slice_build_version(s, &platform, &minos, &sdk) == CSIG_OK;
	int macos = have_platform && (platform == 1 || platform == 6 || platform == 10);

	const csig_sig *sig = csig_slice_signature(s);
	if (!sig) {
		add_row(m, "signature", 0, NULL, NULL, NULL, "slice %s has no readable code signature",
			csig_slice_arch(s));
	} else {
		const csig_codedir *cd = csig_sig_best_cd(sig);
		const csig_cms *cms = csig_sig_cms_parsed(sig);
		const csig_cert *leaf = cms ? csig_cms_signer_cert(cms, 0) : NULL;
		const csig_plist *ents = csig_sig_entitlements(sig);
		if (!ents)
			ents = csig_sig_entitlements_der(sig);
		const csig_pval *claims = csig_plist_root(ents);
		match_team(m, p, cd, leaf);
		match_cert(m, p, leaf);
		if (csig_pval_type_of(claims) != CSIG_PVAL_DICT) {
			add_row(m, "entitlements", 0, NULL, NULL, NULL,
				"the signature carries no entitlements");
		} else {
			match_app_id(m, p, claims, macos);
			match_entitlements(m, p, claims, macos);
		}
	}
	match_platform(m, p, s, have_platform, platform);
	if (m->nomem) {
		csig_profile_match_free(m);
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory matching a profile");
	}
	*out = m;
	return CSIG_OK;
}

void csig_profile_match_free(csig_profile_match_result *m)
{
	if (!m)
		return;
	for (size_t i = 0; i < m->n; i++) {
		csig__free(m->rows[i].key);
		csig__free(m->rows[i].actual);
		csig__free(m->rows[i].allowed);
		csig__free(m->rows[i].message);
	}
	csig__free(m->rows);
	csig__free(m);
}

int csig_profile_match_ok(const csig_profile_match_result *m)
{
	if (!m)
		return 0;
	for (size_t i = 0; i < m->n; i++)
		if (!m->rows[i].ok)
			return 0;
	return 1;
}

size_t csig_profile_match_count(const csig_profile_match_result *m) { return m ? m->n : 0; }

int csig_profile_match_item(const csig_profile_match_result *m, size_t i, const char **id,
			    int *ok, const char **k, const char **actual,
			    const char **allowed, const char **message)
{
	if (!m)
		return CSIG_E_INVAL;
	if (i >= m->n)
		return CSIG_E_NOTFOUND;
	const prof_row *r = &m->rows[i];
	if (id)
		*id = r->id;
	if (ok)
		*ok = r->ok;
	if (k)
		*k = r->key;
	if (actual)
		*actual = r->actual;
	if (allowed)
		*allowed = r->allowed;
	if (message)
		*message = r->message;
	return CSIG_OK;
}

/* ---- JSON ------------------------------------------------------------- */

static const char *sev_name(int s)
{
	return s == CSIG_SEV_ERROR ? "error" : s == CSIG_SEV_WARN ? "warning" : "info";
}

static void kv_opt_str(csig_json *j, const char *k, const char *v)
{
	json_key(j, k);
	if (v)
		json_str(j, v);
	else
		json_null(j);
}

static void kv_node(csig_json *j, const char *k, const csig_pval *v)
{
	json_key(j, k);
	if (v)
		csig__plist_json(j, v);
	else
		json_null(j);
}

static void kv_bool3(csig_json *j, const char *k, int v)
{
	json_key(j, k);
	if (v < 0)
		json_null(j);
	else
		json_bool(j, v);
}

void csig__profile_json(csig_json *j, const csig_profile *p, const csig_profile_result *r)
{
	static const char *const containers[] = { "?", "cms", "xml", "binary" };
	int64_t v;
	json_obj_begin(j);
	json_kv_str(j, "container", containers[p->container >= 1 && p->container <= 3 ? p->container : 0]);
	json_kv_bool(j, "signed", p->cms != NULL);
	kv_opt_str(j, "malformed", p->malformed);
	kv_opt_str(j, "name", csig_profile_name(p));
	kv_opt_str(j, "uuid", csig_profile_uuid(p));
	kv_opt_str(j, "app_id_name", csig_profile_app_id_name(p));
	kv_node(j, "app_id_prefixes", key(p, "ApplicationIdentifierPrefix"));
	kv_node(j, "team_identifiers", key(p, "TeamIdentifier"));
	kv_opt_str(j, "team_name", csig_profile_team_name(p));
	kv_node(j, "platforms", key(p, "Platform"));
	json_key(j, "creation_date");
	if (csig_profile_creation_date(p, &v) == CSIG_OK)
		json_time(j, v);
	else
		json_null(j);
	json_key(j, "expiration_date");
	if (csig_profile_expiration_date(p, &v) == CSIG_OK)
		json_time(j, v);
	else
		json_null(j);
	json_key(j, "time_to_live");
	if (csig_profile_time_to_live(p, &v) == CSIG_OK)
		json_i64(j, v);
	else
		json_null(j);
	json_key(j, "version");
	if (csig_profile_version(p, &v) == CSIG_OK)
		json_i64(j, v);
	else
		json_null(j);
	kv_bool3(j, "is_xcode_managed", csig_profile_is_xcode_managed(p));
	kv_bool3(j, "provisions_all_devices", csig_profile_provisions_all_devices(p));
	json_kv_str(j, "kind", csig_profile_kind_name(csig_profile_kind_of(p)));
	json_kv_u64(j, "device_count", csig_profile_device_count(p));
	kv_node(j, "provisioned_devices", key(p, "ProvisionedDevices"));
	json_kv_bool(j, "der_encoded_profile", csig_profile_has_der_profile(p));
	json_key(j, "developer_certificates");
	json_arr_begin(j);
	for (size_t i = 0; i < p->n_certs; i++) {
		const prof_cert *c = &p->certs[i];
		if (c->cert) {
			csig__cert_json(j, c->cert);
		} else {
			json_obj_begin(j);
			json_kv_str(j, "error", csig_errname(c->status));
			kv_opt_str(j, "message", c->msg);
			json_kv_u64(j, "length", c->data.len);
			json_obj_end(j);
		}
	}
	json_arr_end(j);
	kv_node(j, "entitlements", csig_profile_entitlements(p));
	json_key(j, "cms");
	if (p->cms)
		csig__cms_json(j, p->cms, r ? r->cms_res : NULL);
	else
		json_null(j);
	if (r) {
		json_key(j, "check");
		json_obj_begin(j);
		json_kv_time(j, "at", r->at);
		json_kv_str(j, "verdict", csig_profile_verdict_name(r->verdict));
		json_key(j, "days_to_expiry");
		if (r->days == INT64_MIN)
			json_null(j);
		else
			json_i64(j, r->days);
		json_key(j, "findings");
		json_arr_begin(j);
		for (size_t i = 0; i < r->fs.count; i++) {
			const csig_finding *f = &r->fs.items[i];
			json_obj_begin(j);
			json_kv_str(j, "id", f->id);
			json_kv_str(j, "severity", sev_name(f->severity));
			json_kv_u64(j, "offset", f->offset);
			json_kv_str(j, "message", f->message);
			json_obj_end(j);
		}
		json_arr_end(j);
		json_obj_end(j);
	}
	json_obj_end(j);
}

void csig__profile_match_json(csig_json *j, const csig_profile_match_result *m)
{
	json_obj_begin(j);
	json_kv_bool(j, "ok", csig_profile_match_ok(m));
	json_kv_u64(j, "slice", m->slice);
	kv_opt_str(j, "arch", m->arch);
	json_key(j, "checks");
	json_arr_begin(j);
	for (size_t i = 0; i < m->n; i++) {
		const prof_row *r = &m->rows[i];
		json_obj_begin(j);
		json_kv_str(j, "id", r->id);
		json_kv_bool(j, "ok", r->ok);
		kv_opt_str(j, "key", r->key);
		json_key(j, "actual");
		if (r->actual)
			json_raw(j, r->actual, strlen(r->actual));
		else
			json_null(j);
		json_key(j, "allowed");
		if (r->allowed)
			json_raw(j, r->allowed, strlen(r->allowed));
		else
			json_null(j);
		kv_opt_str(j, "message", r->message);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}

/* see csig/profile.h */
int csig_profile_json(const csig_profile *p, int64_t at, unsigned flags, char **out,
		      size_t *len, csig_error *err)
{
	csig__error_clear(err);
	if (out)
		*out = NULL;
	if (!p || !out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "csig_profile_json: NULL argument");
	csig_profile_result *r;
	int rc = csig_profile_check(p, at, &r, err);
	if (rc)
		return rc;
	csig_json j;
	json_init(&j, (flags & CSIG_PROFILE_JSON_PRETTY) != 0);
	csig__profile_json(&j, p, r);
	rc = json_finish(&j, out, len, err);
	csig_profile_result_free(r);
	return rc;
}

/* see csig/profile.h */
int csig_profile_match_json(const csig_profile_match_result *m, unsigned flags, char **out,
			    size_t *len, csig_error *err)
{
	csig__error_clear(err);
	if (out)
		*out = NULL;
	if (!m || !out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "csig_profile_match_json: NULL argument");
	csig_json j;
	json_init(&j, (flags & CSIG_PROFILE_JSON_PRETTY) != 0);
	csig__profile_match_json(&j, m);
	return json_finish(&j, out, len, err);
}
