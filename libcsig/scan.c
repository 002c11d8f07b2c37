/*
 * scan.c - content sniffing and the JSON Lines records of `csig scan`.
 * See csig/scan.h.  Every record goes through the one serializer (json.h);
 * every input byte sniffed goes through rd.h.
 */
#include <string.h>
#include <time.h>
#include "csig/scan.h"
#include "csig/x509.h"
#include "csig/cms.h"
#include "csig/plist.h"
#include "csig/json.h"
#include "json.h"
#include "rd.h"
#include "util.h"

/* Distinct finding ids listed per record at most (the rest are counted). */
#define SCAN_MAX_IDS 32u
/* Entitlement keys listed per record at most. */
#define SCAN_MAX_KEYS 256u
/* Chain certificates summarised at most. */
#define SCAN_MAX_CHAIN 8u

/* ---- sniffing ---- */

/* DER of OID 1.2.840.113549.1.7.2 (signedData), tag and length included. */
static const uint8_t oid_signed_data[] = {
	0x06, 0x09, 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x0d, 0x01, 0x07, 0x02
};

/* Skip a DER SEQUENCE header (definite or indefinite length) at the cursor. */
static int skip_seq_header(csig_rd *r)
{
	uint8_t tag, l;
	if (rd_u8(r, &tag) || tag != 0x30 || rd_u8(r, &l))
		return -1;
	if (l == 0x80 || l < 0x80)
		return 0;
	if (l > 0x84)
		return -1;
	return rd_skip(r, (size_t)(l & 0x7f)) ? -1 : 0;
}

/* XML text mentioning a <plist element (optionally after a BOM, <?xml ...?>
 * and a DOCTYPE) within the prefix. */
static int looks_like_xml_plist(const csig_rd *r0)
{
	csig_rd r = *r0;
	uint8_t c;
	if (rd_match(&r, 0, "\xef\xbb\xbf", 3) == 0)
		(void)rd_skip(&r, 3);
	while (rd_left(&r)) {
		csig_rd peek = r;
		if (rd_u8(&peek, &c) || !(c == ' ' || c == '\t' || c == '\r' || c == '\n'))
			break;
		r = peek;
	}
	if (rd_match(&r, r.pos, "<?xml", 5) != 0 &&
	    rd_match(&r, r.pos, "<!DOCTYPE", 9) != 0 &&
	    rd_match(&r, r.pos, "<plist", 6) != 0)
		return 0;
	for (size_t i = r.pos; i < r.len; i++)
		if (rd_match(&r, i, "<plist", 6) == 0)
			return 1;
	return 0;
}

/* see csig/scan.h */
int csig_sniff(const void *buf, size_t len)
{
	if (!buf || len < 4)
		return CSIG_SNIFF_UNKNOWN;
	csig_rd r;
	rd_init(&r, buf, len, 0, "file prefix", NULL);
	uint32_t be;
	if (rd_u32be(&r, &be))
		return CSIG_SNIFF_UNKNOWN;
	switch (be) {
	case 0xfeedfaceu: case 0xfeedfacfu: case 0xcefaedfeu: case 0xcffaedfeu:
		return CSIG_SNIFF_MACHO;
	case 0xcafebabfu: { /* FAT_MAGIC_64: no Java ambiguity */
		uint32_t n;
		return rd_u32be(&r, &n) == CSIG_OK && n > 0 ? CSIG_SNIFF_FAT : CSIG_SNIFF_UNKNOWN;
	}
	case 0xcafebabeu: {
		/* the rule of csig_file_open: Java class files carry their
		 * version (major >= 45) where fat files count entries */
		uint32_t n;
		return rd_u32be(&r, &n) == CSIG_OK && n > 0 && n < 0x20u ?
		       CSIG_SNIFF_FAT : CSIG_SNIFF_UNKNOWN;
	}
	case 0xfade0c00u: case 0xfade0c01u:
		return CSIG_SNIFF_REQUIREMENT;
	case 0xfade0cc0u: case 0xfade0cc1u:
		return CSIG_SNIFF_SIGNATURE;
	case 0x504b0304u: case 0x504b0506u:
		return CSIG_SNIFF_ZIP;
	default:
		break;
	}
	if (rd_match(&r, 0, "bplist00", 8) == 0)
		return CSIG_SNIFF_PLIST;
	/* CMS ContentInfo: SEQUENCE { OID signedData, [0] ... } */
	r.pos = 0;
	if (skip_seq_header(&r) == 0 &&
	    rd_match(&r, r.pos, oid_signed_data, sizeof(oid_signed_data)) == 0)
		return CSIG_SNIFF_PROFILE_CMS;
	r.pos = 0;
	if (looks_like_xml_plist(&r))
		return CSIG_SNIFF_PLIST;
	return CSIG_SNIFF_UNKNOWN;
}

/* see csig/scan.h */
const char *csig_sniff_name(int kind)
{
	static const char *const names[] = {
		"unknown", "macho", "fat", "profile-cms", "plist", "zip",
		"requirement", "signature"
	};
	if (kind < 0 || (size_t)kind >= CSIG_ARRAY_LEN(names))
		return "unknown";
	return names[kind];
}

/* ---- shared pieces of the records ---- */

static void finish_begin(csig_json *j, unsigned flags, const char *type, const char *path)
{
	json_init(j, (flags & CSIG_SCAN_JSON_PRETTY) != 0);
	json_obj_begin(j);
	json_kv_str(j, "type", type);
	if (path)
		json_kv_str(j, "path", path);
}

/* Distinct ids of findings of severity @sev, in order, at most SCAN_MAX_IDS. */
typedef const csig_finding *(*finding_at_fn)(const void *res, size_t i);

static const csig_finding *vr_at(const void *res, size_t i)
{
	return csig_verify_result_finding((const csig_verify_result *)res, i);
}

static const csig_finding *br_at(const void *res, size_t i)
{
	return csig_bundle_result_finding((const csig_bundle_result *)res, i);
}

static const csig_finding *file_at(const void *res, size_t i)
{
	return csig_file_finding((const csig_file *)res, i);
}

static void ids_array(csig_json *j, const char *key, const void *res, size_t n,
		      finding_at_fn at, int min_sev, int max_sev)
{
	const char *seen[SCAN_MAX_IDS];
	size_t nseen = 0, extra = 0;
	for (size_t i = 0; i < n; i++) {
		const csig_finding *fd = at(res, i);
		if (!fd || !fd->id || fd->severity < min_sev || fd->severity > max_sev)
			continue;
		size_t k;
		for (k = 0; k < nseen; k++)
			if (strcmp(seen[k], fd->id) == 0)
				break;
		if (k < nseen)
			continue;
		if (nseen == SCAN_MAX_IDS) {
			extra++;
			continue;
		}
		seen[nseen++] = fd->id;
	}
	json_key(j, key);
	json_arr_begin(j);
	for (size_t k = 0; k < nseen; k++)
		json_str(j, seen[k]);
	if (extra)
		json_str(j, "...");
	json_arr_end(j);
}

/* Dictionary keys of @dict as an array (at most SCAN_MAX_KEYS). */
static void dict_keys(csig_json *j, const char *key, const csig_pval *dict)
{
	if (!dict || csig_pval_type_of(dict) != CSIG_PVAL_DICT)
		return;
	json_key(j, key);
	json_arr_begin(j);
	size_t n = csig_pval_count(dict);
	for (size_t i = 0; i < n && i < SCAN_MAX_KEYS; i++) {
		size_t kl = 0;
		const char *k = csig_pval_cstr(csig_pval_dict_key(dict, i), &kl);
		if (k)
			json_strn(j, k, kl);
	}
	if (n > SCAN_MAX_KEYS)
		json_str(j, "...");
	json_arr_end(j);
}

/* Comma-joined flag names as an array. */
static void flag_names(csig_json *j, const char *key, uint32_t flags)
{
	char buf[256];
	const char *s = csig_cd_flags_string(flags, buf, sizeof(buf));
	json_key(j, key);
	json_arr_begin(j);
	while (s && *s) {
		const char *c = strchr(s, ',');
		size_t n = c ? (size_t)(c - s) : strlen(s);
		if (n)
			json_strn(j, s, n);
		s = c ? c + 1 : NULL;
	}
	json_arr_end(j);
}

static const char *sig_kind(const csig_sig *sig, const csig_codedir *cd)
{
	if (!sig || !cd)
		return sig ? "broken" : "none";
	if (csig_sig_cms_parsed(sig))
		return "cms";
	csig_bytes cms;
	if (csig_sig_cms(sig, &cms) == CSIG_OK && cms.len)
		return "broken-cms";
	return "adhoc";
}

/* "signer": leaf CN, team, chain CNs, anchor; plus the expiry dates. */
static void signer_summary(csig_json *j, const csig_cms *cms)
{
	size_t n = cms ? csig_cms_chain_count(cms) : 0;
	if (!n)
		return;
	const csig_cert *leaf = csig_cms_chain_cert(cms, 0);
	int64_t min_after = INT64_MAX;
	json_key(j, "signer");
	json_obj_begin(j);
	if (leaf && csig_cert_subject_cn(leaf))
		json_kv_str(j, "leaf", csig_cert_subject_cn(leaf));
	if (leaf && csig_cert_team_id(leaf))
		json_kv_str(j, "team", csig_cert_team_id(leaf));
	json_key(j, "chain");
	json_arr_begin(j);
	for (size_t i = 0; i < n; i++) {
		const csig_cert *c = csig_cms_chain_cert(cms, i);
		if (!c)
			continue;
		if (csig_cert_not_after(c) < min_after)
			min_after = csig_cert_not_after(c);
		if (i < SCAN_MAX_CHAIN)
			json_str(j, csig_cert_subject_cn(c) ? csig_cert_subject_cn(c) : "");
	}
	json_arr_end(j);
	const csig_cert *last = csig_cms_chain_cert(cms, n - 1);
	if (last && csig_cert_is_self_issued(last) && csig_cert_subject_cn(last))
		json_kv_str(j, "anchor", csig_cert_subject_cn(last));
	json_kv_u64(j, "signers", csig_cms_signer_count(cms));
	json_obj_end(j);
	if (leaf)
		json_kv_time(j, "expires", csig_cert_not_after(leaf));
	if (min_after != INT64_MAX)
		json_kv_time(j, "chain_expires", min_after);
}

/* Entitlement keys of a signature: the XML blob, else the DER one. */
static void sig_entitlement_keys(csig_json *j, const csig_sig *sig)
{
	const csig_plist *ent = csig_sig_entitlements(sig);
	if (!ent)
		ent = csig_sig_entitlements_der(sig);
	if (ent)
		dict_keys(j, "entitlement_keys", csig_plist_root(ent));
}

/* Per-slice object. */
static void slice_obj(csig_json *j, const csig_slice *s)
{
	const csig_sig *sig = csig_slice_signature(s);
	const csig_codedir *cd = sig ? csig_sig_best_cd(sig) : NULL;
	json_obj_begin(j);
	json_kv_str(j, "arch", csig_slice_arch(s));
	const char *ft = csig_filetype_name(csig_slice_filetype(s));
	if (ft)
		json_kv_str(j, "filetype", ft);
	else
		json_kv_u64(j, "filetype", csig_slice_filetype(s));
	json_kv_str(j, "signature", sig_kind(sig, cd));
	if (cd) {
		if (csig_codedir_identifier(cd))
			json_kv_str(j, "identifier", csig_codedir_identifier(cd));
		if (csig_codedir_team_id(cd))
			json_kv_str(j, "team", csig_codedir_team_id(cd));
		json_kv_str(j, "hash_type", csig_hash_type_name(csig_codedir_hash_type(cd)));
		uint8_t h[20];
		csig_codedir_cdhash(cd, h);
		json_kv_hex(j, "cdhash", h, sizeof(h));
		json_key(j, "cdhashes");
		json_arr_begin(j);
		for (size_t i = 0; i < csig_sig_cd_count(sig); i++) {
			const csig_codedir *c = csig_sig_cd(sig, i);
			if (!c)
				continue;
			json_obj_begin(j);
			json_kv_str(j, "hash_type", csig_hash_type_name(csig_codedir_hash_type(c)));
			csig_codedir_cdhash(c, h);
			json_kv_hex(j, "cdhash", h, sizeof(h));
			json_obj_end(j);
		}
		json_arr_end(j);
		json_kv_hex_u32(j, "flags", csig_codedir_flags(cd));
		flag_names(j, "flag_names", csig_codedir_flags(cd));
		if (csig_codedir_runtime(cd))
			json_kv_hex_u32(j, "runtime", csig_codedir_runtime(cd));
		json_kv_u64(j, "code_limit", csig_codedir_code_limit(cd));
	}
	json_obj_end(j);
}

/* Top-level facts of the first slice whose signature has a CodeDirectory. */
static void sig_facts(csig_json *j, const csig_file *f, const char *identifier_override)
{
	const csig_sig *sig = NULL;
	const csig_codedir *cd = NULL;
	size_t n = csig_file_slice_count(f);
	for (size_t i = 0; i < n && !cd; i++) {
		const csig_sig *si = csig_slice_signature(csig_file_slice(f, i));
		const csig_codedir *c = si ? csig_sig_best_cd(si) : NULL;
		if (c) {
			sig = si;
			cd = c;
		} else if (!sig) {
			sig = si;
		}
	}
	if (identifier_override)
		json_kv_str(j, "identifier", identifier_override);
	else if (cd && csig_codedir_identifier(cd))
		json_kv_str(j, "identifier", csig_codedir_identifier(cd));
	if (cd && csig_codedir_team_id(cd))
		json_kv_str(j, "team", csig_codedir_team_id(cd));
	json_kv_str(j, "signature", sig_kind(sig, cd));
	if (cd) {
		uint8_t h[20];
		csig_codedir_cdhash(cd, h);
		json_kv_hex(j, "cdhash", h, sizeof(h));
		json_kv_hex_u32(j, "flags", csig_codedir_flags(cd));
		flag_names(j, "flag_names", csig_codedir_flags(cd));
	}
	json_key(j, "cdhashes");
	json_arr_begin(j);
	for (size_t i = 0; i < n; i++) {
		const csig_sig *si = csig_slice_signature(csig_file_slice(f, i));
		const csig_codedir *c = si ? csig_sig_best_cd(si) : NULL;
		if (c) {
			uint8_t h[20];
			csig_codedir_cdhash(c, h);
			json_hex(j, h, sizeof(h));
		}
	}
	json_arr_end(j);
	if (sig) {
		signer_summary(j, csig_sig_cms_parsed(sig));
		sig_entitlement_keys(j, sig);
	}
}

static void macho_body(csig_json *j, const csig_file *f, const char *identifier_override)
{
	json_kv_str(j, "format", csig_file_kind(f) == CSIG_FILE_FAT ? "fat" : "thin");
	json_kv_u64(j, "size", csig_file_size(f));
	sig_facts(j, f, identifier_override);
	json_key(j, "slices");
	json_arr_begin(j);
	for (size_t i = 0; i < csig_file_slice_count(f); i++)
		slice_obj(j, csig_file_slice(f, i));
	json_arr_end(j);
	ids_array(j, "findings", f, csig_file_finding_count(f), file_at,
		  CSIG_SEV_INFO, CSIG_SEV_ERROR);
}

/* ---- records ---- */

/* see csig/scan.h */
int csig_scan_record_json(const csig_file *f, const char *path, const csig_verify_result *vr,
			  unsigned flags, char **out, size_t *len, csig_error *err)
{
	csig__error_clear(err);
	if (out)
		*out = NULL;
	if (!f || !out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "csig_scan_record_json: NULL argument");
	csig_json j;
	finish_begin(&j, flags, "macho", path);
	macho_body(&j, f, NULL);
	if (vr) {
		size_t n = csig_verify_result_count(vr);
		json_kv_str(&j, "verdict", csig_verify_result_valid(vr) ? "valid" : "invalid");
		ids_array(&j, "errors", vr, n, vr_at, CSIG_SEV_ERROR, CSIG_SEV_ERROR);
		ids_array(&j, "warnings", vr, n, vr_at, CSIG_SEV_WARN, CSIG_SEV_WARN);
		json_kv_u64(&j, "bytes_hashed", csig_verify_result_bytes_hashed(vr));
	}
	json_obj_end(&j);
	return json_finish(&j, out, len, err);
}

/* see csig/scan.h */
int csig_scan_profile_json(const csig_profile *p, const char *path, int64_t at, unsigned flags,
			   char **out, size_t *len, csig_error *err)
{
	csig__error_clear(err);
	if (out)
		*out = NULL;
	if (!p || !out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "csig_scan_profile_json: NULL argument");
	if (at == 0)
		at = (int64_t)time(NULL);
	csig_profile_result *r;
	int rc = csig_profile_check(p, at, &r, err);
	if (rc)
		return rc;
	csig_json j;
	finish_begin(&j, flags, "profile", path);
	int cont = csig_profile_container(p);
	json_kv_str(&j, "container", cont == CSIG_PROFILE_CMS ? "cms" :
		    cont == CSIG_PROFILE_BARE_XML ? "xml" : "binary");
	if (csig_profile_name(p))
		json_kv_str(&j, "name", csig_profile_name(p));
	if (csig_profile_uuid(p))
		json_kv_str(&j, "uuid", csig_profile_uuid(p));
	if (csig_profile_app_id_name(p))
		json_kv_str(&j, "app_id_name", csig_profile_app_id_name(p));
	json_key(&j, "team");
	json_arr_begin(&j);
	for (size_t i = 0; i < csig_profile_team_id_count(p); i++)
		json_str(&j, csig_profile_team_id(p, i));
	json_arr_end(&j);
	if (csig_profile_team_name(p))
		json_kv_str(&j, "team_name", csig_profile_team_name(p));
	json_kv_str(&j, "kind", csig_profile_kind_name(csig_profile_kind_of(p)));
	json_key(&j, "platforms");
	json_arr_begin(&j);
	for (size_t i = 0; i < csig_profile_platform_count(p); i++)
		json_str(&j, csig_profile_platform(p, i));
	json_arr_end(&j);
	json_kv_u64(&j, "devices", csig_profile_device_count(p));
	if (csig_profile_provisions_all_devices(p) == 1)
		json_kv_bool(&j, "all_devices", 1);
	dict_keys(&j, "entitlement_keys", csig_profile_entitlements(p));
	int64_t t;
	if (csig_profile_creation_date(p, &t) == CSIG_OK)
		json_kv_time(&j, "created", t);
	if (csig_profile_expiration_date(p, &t) == CSIG_OK)
		json_kv_time(&j, "expires", t);
	json_key(&j, "certs");
	json_arr_begin(&j);
	for (size_t i = 0; i < csig_profile_cert_count(p) && i < SCAN_MAX_KEYS; i++) {
		const csig_cert *c = csig_profile_cert(p, i);
		if (!c)
			continue;
		json_obj_begin(&j);
		if (csig_cert_subject_cn(c))
			json_kv_str(&j, "cn", csig_cert_subject_cn(c));
		if (csig_cert_team_id(c))
			json_kv_str(&j, "team", csig_cert_team_id(c));
		json_kv_time(&j, "expires", csig_cert_not_after(c));
		json_obj_end(&j);
	}
	json_arr_end(&j);
	json_kv_str(&j, "verdict", csig_profile_verdict_name(csig_profile_result_verdict(r)));
	int64_t days = csig_profile_result_days_to_expiry(r);
	if (days != INT64_MIN)
		json_kv_i64(&j, "days_to_expiry", days);
	json_kv_time(&j, "judged_at", csig_profile_result_at(r));
	json_obj_end(&j);
	csig_profile_result_free(r);
	return json_finish(&j, out, len, err);
}

/* see csig/scan.h */
int csig_scan_bundle_json(const csig_bundle *b, const char *path, const csig_bundle_result *r,
			  unsigned flags, char **out, size_t *len, csig_error *err)
{
	csig__error_clear(err);
	if (out)
		*out = NULL;
	if (!b || !out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "csig_scan_bundle_json: NULL argument");
	csig_json j;
	finish_begin(&j, flags, csig_bundle_from_archive(b) ? "ipa" : "bundle", path);
	int lay = csig_bundle_layout(b);
	json_kv_str(&j, "layout", lay == CSIG_BUNDLE_DEEP ? "deep" :
		    lay == CSIG_BUNDLE_VERSIONED ? "versioned" : "shallow");
	if (csig_bundle_main_executable(b))
		json_kv_str(&j, "main_executable", csig_bundle_main_executable(b));
	json_kv_bool(&j, "codeless", csig_bundle_is_codeless(b));
	json_kv_u64(&j, "nested", csig_bundle_nested_count(b));
	const csig_file *exe = csig_bundle_executable(b);
	if (exe) {
		macho_body(&j, exe, csig_bundle_identifier(b));
	} else if (csig_bundle_identifier(b)) {
		json_kv_str(&j, "identifier", csig_bundle_identifier(b));
	}
	if (r) {
		size_t n = csig_bundle_result_count(r);
		json_kv_str(&j, "verdict", csig_bundle_result_valid(r) ? "valid" : "invalid");
		ids_array(&j, "errors", r, n, br_at, CSIG_SEV_ERROR, CSIG_SEV_ERROR);
		ids_array(&j, "warnings", r, n, br_at, CSIG_SEV_WARN, CSIG_SEV_WARN);
		json_kv_u64(&j, "files_hashed", csig_bundle_result_files_hashed(r));
		json_kv_u64(&j, "bytes_hashed", csig_bundle_result_bytes_hashed(r));
	}
	json_obj_end(&j);
	return json_finish(&j, out, len, err);
}

/* see csig/scan.h */
int csig_scan_error_json(const char *path, int code, const csig_error *detail, unsigned flags,
			 char **out, size_t *len, csig_error *err)
{
	csig__error_clear(err);
	if (out)
		*out = NULL;
	if (!out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "csig_scan_error_json: NULL argument");
	csig_json j;
	finish_begin(&j, flags, "error", path);
	json_kv_str(&j, "code", csig_errname(code));
	json_kv_str(&j, "message", detail && detail->msg[0] ? detail->msg : csig_strerror(code));
	if (detail && detail->offset)
		json_kv_u64(&j, "offset", detail->offset);
	json_obj_end(&j);
	return json_finish(&j, out, len, err);
}

/* see csig/scan.h */
int csig_scan_summary_json(const csig_scan_counts *c, unsigned flags, char **out, size_t *len,
			   csig_error *err)
{
	csig__error_clear(err);
	if (out)
		*out = NULL;
	if (!c || !out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "csig_scan_summary_json: NULL argument");
	if (c->version != CSIG_SCAN_COUNTS_VERSION)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0,
				 "csig_scan_summary_json: counts version %u, expected %u",
				 c->version, (unsigned)CSIG_SCAN_COUNTS_VERSION);
	csig_json j;
	finish_begin(&j, flags, "summary", NULL);
	json_kv_u64(&j, "schema", CSIG_JSON_SCHEMA_VERSION);
	json_kv_u64(&j, "files", c->files);
	json_kv_u64(&j, "bytes", c->bytes);
	json_kv_u64(&j, "records", c->records);
	json_kv_u64(&j, "macho", c->macho);
	json_kv_u64(&j, "profiles", c->profiles);
	json_kv_u64(&j, "bundles", c->bundles);
	json_kv_u64(&j, "other", c->other);
	json_kv_u64(&j, "errors", c->errors);
	json_kv_u64(&j, "skipped", c->skipped);
	json_kv_bool(&j, "verified", c->verified);
	if (c->verified) {
		json_kv_u64(&j, "valid", c->valid);
		json_kv_u64(&j, "invalid", c->invalid);
		json_kv_u64(&j, "bytes_hashed", c->bytes_hashed);
	}
	json_kv_u64(&j, "jobs", c->jobs);
	json_key(&j, "seconds");
	json_double(&j, c->seconds);
	if (c->seconds > 0) {
		json_key(&j, "files_per_s");
		json_double(&j, (double)c->files / c->seconds);
		json_key(&j, "bytes_per_s");
		json_double(&j, (double)c->bytes / c->seconds);
	}
	json_obj_end(&j);
	return json_finish(&j, out, len, err);
}
