/*
 * verify.c - offline verification of embedded signatures (see
 * csig/codedir.h).  Every slice and every CodeDirectory is checked; every
 * problem becomes a finding and nothing stops at the first.  Page hashing
 * streams over the mapped slice in parallel across threads.
 */
#include <pthread.h>
#include <stdio.h>
#include <string.h>
#include <time.h>
#include <unistd.h>
#include "csig/cms.h"
#include "csig/ent.h"
#include "csig/plist.h"
#include "csig/x509.h"
#include "hash.h"
#include "macho_int.h"
#include "util.h"

#define MH_EXECUTE 0x2u
#define EXECSEG_MAIN_BINARY 0x1u
/* Individual page mismatches listed per CD before a summary line. */
#define MAX_PAGE_FINDINGS 32
/* Below this many bytes a slice is hashed on the calling thread. */
#define PARALLEL_MIN_BYTES (4u << 20)
#define MAX_JOBS 64

struct csig_verify_result {
	csig__findings fs;
	uint64_t bytes_hashed;
	int valid;
};

/* ---- page hashing ------------------------------------------------------ */

struct page_job {
	const csig_codedir *cd;
	csig_bytes code;           /* slice bytes [0, limit) */
	uint64_t first, last;      /* page range [first, last) */
	uint64_t mismatches;
	uint64_t listed[MAX_PAGE_FINDINGS];
	size_t nlisted;
};

static void *hash_pages(void *arg)
{
	struct page_job *j = arg;
	const csig_codedir *cd = j->cd;
	uint64_t psize = cd->page_shift ? (uint64_t)1 << cd->page_shift : j->code.len;
	uint8_t digest[CSIG_HASH_MAX];
	csig_rd code;
	rd_init(&code, j->code.ptr, j->code.len, 0, NULL, NULL);
	for (uint64_t i = j->first; i < j->last; i++) {
		uint64_t off = i * psize;
		uint64_t n = j->code.len - off < psize ? j->code.len - off : psize;
		csig_bytes page, want;
		if (rd_view_at(&code, off, n, &page) ||
		    csig_codedir_slot_hash(cd, (int)i, &want))
			break; /* ranges were checked by the caller */
		csig__hash(cd->hash_type, page.ptr, page.len, digest);
		if (memcmp(digest, want.ptr, want.len) != 0) {
			if (j->nlisted < MAX_PAGE_FINDINGS)
				j->listed[j->nlisted++] = i;
			j->mismatches++;
		}
	}
	return NULL;
}

static unsigned default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n > 0 ? (unsigned)(n > MAX_JOBS ? MAX_JOBS : n) : 1;
}

static void verify_pages(csig_verify_result *res, const struct csig_slice *s,
			 const csig_codedir *cd, int cdi, uint64_t limit,
			 unsigned jobs)
{
	int si = (int)s->index;
	csig_bytes code;
	if (rd_view_at(&s->rd, 0, limit, &code))
		return; /* reported by the caller */
	uint64_t npages = cd->n_code;
	if (cd->page_shift == 0 && npages > 1)
		npages = 1;
	if (npages > (uint64_t)INT32_MAX)
		return;
	if (jobs == 0)
		jobs = default_jobs();
	if (jobs > MAX_JOBS)
		jobs = MAX_JOBS;
	if (limit < PARALLEL_MIN_BYTES || npages < jobs * 4u)
		jobs = 1;
	struct page_job job[MAX_JOBS];
	pthread_t tid[MAX_JOBS];
	int started[MAX_JOBS] = { 0 };
	for (unsigned k = 0; k < jobs; k++) {
		memset(&job[k], 0, sizeof(job[k]));
		job[k].cd = cd;
		job[k].code = code;
		job[k].first = npages * k / jobs;
		job[k].last = npages * (k + 1) / jobs;
	}
	for (unsigned k = 1; k < jobs; k++)
		started[k] = pthread_create(&tid[k], NULL, hash_pages, &job[k]) == 0;
	hash_pages(&job[0]);
	for (unsigned k = 1; k < jobs; k++) {
		if (started[k])
			pthread_join(tid[k], NULL);
		else
			hash_pages(&job[k]); /* no thread: do the share here */
	}
	res->bytes_hashed += limit;
	uint64_t total = 0;
	size_t listed = 0;
	uint64_t psize = cd->page_shift ? (uint64_t)1 << cd->page_shift : limit;
	for (unsigned k = 0; k < jobs; k++) {
		total += job[k].mismatches;
		for (size_t m = 0; m < job[k].nlisted && listed < MAX_PAGE_FINDINGS; m++, listed++) {
			uint64_t p = job[k].listed[m];
			csig__finding_add(&res->fs, "page-hash-mismatch", CSIG_SEV_ERROR, si, cdi,
					  s->offset + p * psize,
					  "CodeDirectory slot 0x%x (%s): page %llu at slice offset 0x%llx does not match its hash",
					  cd->slot, csig_hash_type_name(cd->hash_type),
					  (unsigned long long)p, (unsigned long long)(p * psize));
		}
	}
	if (total > listed)
		csig__finding_add(&res->fs, "page-hash-mismatch-summary", CSIG_SEV_ERROR, si, cdi,
				  s->offset,
				  "CodeDirectory slot 0x%x: %llu of %llu pages do not match (%zu listed)",
				  cd->slot, (unsigned long long)total,
				  (unsigned long long)npages, listed);
}

/* ---- special slots ----------------------------------------------------- */

static int is_zero(csig_bytes b)
{
	for (size_t i = 0; i < b.len; i++)
		if (b.ptr[i])
			return 0;
	return 1;
}

/* Slots whose component is the whole native blob (cdComponentIsBlob). */
static int component_is_blob(uint32_t slot)
{
	return slot == 2 || slot == 5 || slot == 7 || (slot >= 8 && slot <= 11);
}

static void check_special(csig_verify_result *res, const struct csig_slice *s,
			  const csig_codedir *cd, int cdi)
{
	int si = (int)s->index;
	const csig_sig *sig = s->sig;
	uint8_t digest[CSIG_HASH_MAX];
	for (uint32_t k = 1; k <= cd->n_special; k++) {
		csig_bytes want;
		if (csig_codedir_slot_hash(cd, -(int)k, &want) || is_zero(want))
			continue;
		const char *name = csig_slot_name(k) ? csig_slot_name(k) : "unknown";
		csig_bytes comp = { NULL, 0 };
		int have = 0;
		if (k == CSIG_SLOT_INFO && s->has_info_plist) {
			comp = s->info_plist;
			have = 1;
		} else if (k == CSIG_SLOT_INFO || k == CSIG_SLOT_RESOURCEDIR) {
			csig__finding_add(&res->fs, "special-slot-external", CSIG_SEV_INFO, si, cdi,
					  cd->file_offset,
					  "special slot -%u (%s) binds a file outside the binary; verify the bundle to check it",
					  k, name);
			continue;
		} else {
			const csig_blob *b = csig_sig_find_blob(sig, k);
			if (b && !b->status) {
				have = 1;
				comp = b->bytes;
				if (!component_is_blob(k)) {
					/* raw component in a BlobWrapper: the payload is hashed */
					comp.ptr = b->bytes.len >= 8 ? b->bytes.ptr : NULL;
					csig_rd w;
					rd_init(&w, b->bytes.ptr, b->bytes.len, 0, NULL, NULL);
					if (b->magic != CSIG_MAGIC_BLOBWRAPPER ||
					    rd_view_at(&w, 8, b->bytes.len - 8, &comp))
						comp = b->bytes;
				}
			}
		}
		if (!have) {
			csig__finding_add(&res->fs, "special-slot-blob-missing", CSIG_SEV_ERROR, si, cdi,
					  cd->file_offset,
					  "special slot -%u (%s) has a hash but the signature has no such blob",
					  k, name);
			continue;
		}
		csig__hash(cd->hash_type, comp.ptr, comp.len, digest);
		if (memcmp(digest, want.ptr, want.len) != 0)
			csig__finding_add(&res->fs, "special-slot-mismatch", CSIG_SEV_ERROR, si, cdi,
					  cd->file_offset,
					  "special slot -%u (%s) does not match the hash of its %zu bytes",
					  k, name, comp.len);
	}
	/* SlotDigestMissing: an embedded component no CD hash covers */
	for (size_t i = 0; i < sig->nblobs; i++) {
		const csig_blob *b = &sig->blobs[i];
		if (b->type == 0 || b->type >= 32)
			continue;
		csig_bytes want;
		if (b->type > cd->n_special ||
		    csig_codedir_slot_hash(cd, -(int)b->type, &want) || is_zero(want))
			csig__finding_add(&res->fs, "blob-not-covered", CSIG_SEV_ERROR, si, cdi,
					  b->file_offset,
					  "blob in slot %u (%s) is not covered by a special-slot hash of CodeDirectory slot 0x%x",
					  b->type, b->name ? b->name : "unknown", cd->slot);
	}
}

/* ---- the CMS signature --------------------------------------------------- */

struct verify_ctx {
	unsigned jobs;
	unsigned flags;
	int64_t at_time;  /* 0 = Apple's default */
};

/* Severity of each CMS finding id; everything unknown is fatal. */
static int cms_severity(const char *id, const struct verify_ctx *vc)
{
	if (strcmp(id, "cert-expired") == 0)
		return (vc->flags & CSIG_VERIFY_CHECK_EXPIRATION) ? CSIG_SEV_ERROR : CSIG_SEV_INFO;
	return CSIG_SEV_ERROR;
}

/* 100.9.1: an XML plist {cdhashes = [20-byte data, ...]} equal to every CD's
 * truncated cdhash in ascending hash-type order (StaticCode::verifySignature). */
static void check_cdhashes_plist(csig_verify_result *res, const struct csig_slice *s,
				 const csig_sig *sig, csig_bytes plist, uint64_t at)
{
	int si = (int)s->index;
	csig_plist *doc = NULL;
	const csig_pval *arr = NULL;
	if (csig_plist_parse(&doc, plist.ptr, plist.len, 0, NULL, NULL) == CSIG_OK)
		arr = csig_pval_dict_get(csig_plist_root(doc), "cdhashes");
	if (!arr || csig_pval_type_of(arr) != CSIG_PVAL_ARRAY) {
		csig__finding_add(&res->fs, "cms-cdhashes-malformed", CSIG_SEV_ERROR, si, -1, at,
				  "the CMS CDHashes attribute (1.2.840.113635.100.9.1) is not a plist with a cdhashes array");
		csig_plist_free(doc);
		return;
	}
	/* expected order: ascending hash type */
	const csig_codedir *order[8];
	size_t n = 0;
	for (int t = 1; t <= 5; t++)
		for (size_t i = 0; i < sig->ncds && n < 8; i++)
			if (sig->cds[i].hash_type == t)
				order[n++] = &sig->cds[i];
	int ok = csig_pval_count(arr) == n;
	for (size_t i = 0; ok && i < n; i++) {
		csig_bytes d;
		uint8_t h[20];
		csig_codedir_cdhash(order[i], h);
		if (csig_pval_data(csig_pval_array_item(arr, i), &d) || d.len != 20 ||
		    memcmp(d.ptr, h, 20) != 0)
			ok = 0;
	}
	if (!ok)
		csig__finding_add(&res->fs, "cms-cdhashes-mismatch", CSIG_SEV_ERROR, si, -1, at,
				  "the signed CDHashes attribute lists %zu cdhashes that do not equal the %zu CodeDirectories' cdhashes",
				  csig_pval_count(arr), n);
	csig_plist_free(doc);
}

/* 100.9.2: one (digest OID, full cdhash) per CD; every CD must appear. */
static void check_cdhashes2(csig_verify_result *res, const struct csig_slice *s,
			    const csig_sig *sig, const csig_cms *cms, uint64_t at)
{
	int si = (int)s->index;
	size_t count = csig_cms_signer_cdhash2_count(cms, 0);
	if (count != sig->ncds)
		csig__finding_add(&res->fs, "cms-cdhashes2-mismatch", CSIG_SEV_ERROR, si, -1, at,
				  "the signed CDHashes2 attribute has %zu entries for %zu CodeDirectories",
				  count, sig->ncds);
	for (size_t i = 0; i < sig->ncds; i++) {
		const csig_codedir *cd = &sig->cds[i];
		int found = 0;
		for (size_t k = 0; k < count && !found; k++) {
			int type;
			const char *oid;
			csig_bytes dg;
			if (csig_cms_signer_cdhash2(cms, 0, k, &type, &oid, &dg))
				continue;
			size_t cmp = dg.len < cd->cdhash_len ? dg.len : cd->cdhash_len;
			found = cmp >= 20 && memcmp(dg.ptr, cd->cdhash, cmp) == 0;
		}
		if (!found)
			csig__finding_add(&res->fs, "cms-cdhashes2-mismatch", CSIG_SEV_ERROR, si, (int)i, at,
					  "CodeDirectory slot 0x%x (%s) is not listed in the signed CDHashes2 attribute",
					  cd->slot, csig_hash_type_name(cd->hash_type) ? csig_hash_type_name(cd->hash_type) : "?");
	}
}

static int is_apple_developer_leaf(const csig_cert *leaf)
{
	/* any 1.2.840.113635.100.6.1.x leaf marker */
	for (size_t i = 0; i < csig_cert_apple_marker_count(leaf); i++) {
		const char *name;
		const char *oid = csig_cert_apple_marker(leaf, i, &name);
		if (oid && strncmp(oid, "1.2.840.113635.100.6.1.", 23) == 0)
			return 1;
	}
	return 0;
}

static void verify_cms(csig_verify_result *res, const struct csig_slice *s,
		       const struct verify_ctx *vc)
{
	int si = (int)s->index;
	const csig_sig *sig = s->sig;
	const csig_blob *wrapper = csig_sig_find_blob(sig, CSIG_SLOT_SIGNATURE);
	uint64_t at = wrapper ? wrapper->file_offset : sig->rd.base;
	const csig_cms *cms = sig->cms;
	if (!cms)
		return; /* ad hoc (no or empty wrapper), or cms-malformed already */
	if (sig->ncds == 0 || sig->cds[0].slot != 0)
		return; /* no-codedirectory already */
	const csig_codedir *cd0 = &sig->cds[0];
	int64_t when = vc->at_time;
	csig_cms_result *cr = NULL;
	/* First pass judges at "now" to learn whether a secure timestamp verifies. */
	int64_t now = (int64_t)time(NULL);
	if (csig_cms_verify(cms, cd0->bytes, when ? when : now, &cr, NULL) != CSIG_OK) {
		res->fs.nomem = 1;
		return;
	}
	if (!when && csig_cms_result_timestamp(cr) == 1) {
		/* Apple's default: certificates are judged at the secure timestamp */
		int64_t gen;
		const csig_cms *tok = csig_cms_signer_timestamp(cms, 0);
		if (tok && csig_cms_tstinfo(tok, &gen, NULL, NULL, NULL) == CSIG_OK) {
			csig_cms_result_free(cr);
			cr = NULL;
			if (csig_cms_verify(cms, cd0->bytes, gen, &cr, NULL) != CSIG_OK) {
				res->fs.nomem = 1;
				return;
			}
		}
	}
	for (size_t i = 0; i < csig_cms_result_finding_count(cr); i++) {
		const char *msg = NULL;
		const char *id = csig_cms_result_finding(cr, i, &msg);
		if (!id)
			continue;
		if (strcmp(id, "not-apple-root") == 0) {
			csig__finding_add(&res->fs, "cms-untrusted-anchor", CSIG_SEV_ERROR, si, -1, at,
					  "intact but untrusted: the signature verifies but its chain does not end at an Apple root%s%s",
					  msg ? ": " : "", msg ? msg : "");
			continue;
		}
		char idbuf[64];
		snprintf(idbuf, sizeof(idbuf), "cms-%s", id);
		/* ids must be static strings: map the known ones */
		static const char *const known[] = {
			"cms-digest-mismatch", "cms-signature-invalid", "cms-no-signer-cert",
			"cms-chain-link-invalid", "cms-chain-incomplete", "cms-cert-expired",
			"cms-multiple-signers", "cms-no-content", "cms-timestamp-invalid",
			"cms-unsupported-algorithm", "cms-content-type-mismatch",
		};
		const char *sid = "cms-problem";
		for (size_t k = 0; k < CSIG_ARRAY_LEN(known); k++)
			if (strcmp(known[k], idbuf) == 0)
				sid = known[k];
		csig__finding_add(&res->fs, sid, cms_severity(id, vc), si, -1, at, "%s",
				  msg ? msg : id);
	}
	csig__finding_add(&res->fs, "cert-expiry", CSIG_SEV_INFO, si, -1, at,
			  "the earliest certificate expiry in the chain is %lld days from the judging time",
			  (long long)csig_cms_result_days_to_expiry(cr));
	csig_bytes plist = csig_cms_signer_cdhashes_plist(cms, 0);
	if (plist.len)
		check_cdhashes_plist(res, s, sig, plist, at);
	if (csig_cms_signer_cdhash2_count(cms, 0))
		check_cdhashes2(res, s, sig, cms, at);
	if (!plist.len && !csig_cms_signer_cdhash2_count(cms, 0) && sig->ncds > 1)
		csig__finding_add(&res->fs, "cms-alternate-cd-unbound", CSIG_SEV_WARN, si, -1, at,
				  "the CMS signs only the slot-0 CodeDirectory and has no CDHashes attribute: the %zu alternate CodeDirectories are not bound (hash-type downgrade shape)",
				  sig->ncds - 1);
	const csig_cert *leaf = csig_cms_chain_count(cms) ? csig_cms_chain_cert(cms, 0) : NULL;
	if (leaf && cd0->team && is_apple_developer_leaf(leaf)) {
		const char *ou = csig_cert_team_id(leaf);
		if (!ou || strcmp(ou, cd0->team) != 0)
			csig__finding_add(&res->fs, "team-id-certificate-mismatch", CSIG_SEV_ERROR, si, 0, at,
					  "CodeDirectory team identifier \"%s\" differs from the signing certificate's OU \"%s\"",
					  cd0->team, ou ? ou : "(none)");
	}
	csig_cms_result_free(cr);
}

/* XML and DER entitlements of one signature must say the same thing: a
 * disagreement is how one parser can be shown different rights than another. */
static void verify_entitlements(csig_verify_result *res, const struct csig_slice *s)
{
	const csig_sig *sig = s->sig;
	if (!sig->ent_xml || !sig->ent_der)
		return;
	csig_ent_diff *d = NULL;
	if (csig_ent_compare(&d, sig->ent_xml, sig->ent_der, NULL) != CSIG_OK) {
		res->fs.nomem = 1;
		return;
	}
	const csig_blob *b = csig_sig_find_blob(sig, CSIG_SLOT_DER_ENTITLEMENTS);
	for (size_t i = 0; i < csig_ent_diff_count(d); i++) {
		int kind;
		const char *path;
		if (csig_ent_diff_get(d, i, &kind, &path, NULL, NULL) == CSIG_OK)
			csig__finding_add(&res->fs, "entitlements-xml-der-differ", CSIG_SEV_ERROR,
					  (int)s->index, -1, b ? b->file_offset : 0,
					  "XML and DER entitlements differ at %s: %s", path,
					  csig_ent_diff_kind_name(kind));
	}
	csig_ent_diff_free(d);
}

/* ---- per slice --------------------------------------------------------- */

static void verify_cd(csig_verify_result *res, const struct csig_slice *s,
		      const csig_codedir *cd, int cdi, unsigned jobs)
{
	int si = (int)s->index;
	if (!cd->hash_known) {
		csig__finding_add(&res->fs, "unsupported-hash-type", CSIG_SEV_ERROR, si, cdi,
				  cd->file_offset + 0x25,
				  "CodeDirectory slot 0x%x uses unknown hash type %u",
				  cd->slot, cd->hash_type);
		return;
	}
	if (cd->hash_type == CSIG_HASHTYPE_SHA512)
		csig__finding_add(&res->fs, "hash-type-rejected-by-apple", CSIG_SEV_ERROR, si, cdi,
				  cd->file_offset + 0x25,
				  "CodeDirectory slot 0x%x uses SHA-512, which Apple's kernel and Security framework reject",
				  cd->slot);
	uint64_t limit = csig_codedir_code_limit(cd);
	if (limit > s->size) {
		csig__finding_add(&res->fs, "code-limit-outside-slice", CSIG_SEV_ERROR, si, cdi,
				  cd->file_offset + 0x20,
				  "codeLimit 0x%llx exceeds the slice size 0x%llx",
				  (unsigned long long)limit, (unsigned long long)s->size);
		return;
	}
	if (limit < s->cs_off)
		csig__finding_add(&res->fs, "code-outside-limit", CSIG_SEV_ERROR, si, cdi,
				  s->offset + limit,
				  "codeLimit 0x%llx stops short of the signature at 0x%x: 0x%llx bytes are not covered",
				  (unsigned long long)limit, s->cs_off,
				  (unsigned long long)(s->cs_off - limit));
	else if (limit > s->cs_off)
		csig__finding_add(&res->fs, "code-limit-covers-signature", CSIG_SEV_ERROR, si, cdi,
				  s->offset + s->cs_off,
				  "codeLimit 0x%llx reaches into the signature at 0x%x",
				  (unsigned long long)limit, s->cs_off);
	if (cd->scatter_offset)
		csig__finding_add(&res->fs, "scatter-not-checked", CSIG_SEV_WARN, si, cdi,
				  cd->file_offset + 0x2c,
				  "CodeDirectory uses a scatter vector; its pages are not verified");
	else
		verify_pages(res, s, cd, cdi, limit, jobs);
	check_special(res, s, cd, cdi);
	if (cd->has_exec_seg) {
		if (s->has_text && (cd->exec_base != s->text_fileoff ||
				    cd->exec_limit != s->text_filesize))
			csig__finding_add(&res->fs, "execseg-differs", CSIG_SEV_INFO, si, cdi,
					  cd->file_offset + 0x40,
					  "exec segment 0x%llx+0x%llx differs from __TEXT 0x%llx+0x%llx",
					  (unsigned long long)cd->exec_base,
					  (unsigned long long)cd->exec_limit,
					  (unsigned long long)s->text_fileoff,
					  (unsigned long long)s->text_filesize);
		int main_flag = (cd->exec_flags & EXECSEG_MAIN_BINARY) != 0;
		if (main_flag != (s->filetype == MH_EXECUTE))
			csig__finding_add(&res->fs, "execseg-main-binary", CSIG_SEV_INFO, si, cdi,
					  cd->file_offset + 0x50,
					  "exec-segment MAIN_BINARY is %s but the file type is %s",
					  main_flag ? "set" : "clear",
					  csig_filetype_name(s->filetype) ? csig_filetype_name(s->filetype) : "unknown");
	}
}

static int str_eq(const char *a, const char *b)
{
	if (!a || !b)
		return a == b;
	return strcmp(a, b) == 0;
}

static void verify_slice(csig_verify_result *res, const struct csig_slice *s,
			 const struct verify_ctx *vc, const csig_codedir **first_cd)
{
	unsigned jobs = vc->jobs;
	int si = (int)s->index;
	if (!s->has_cs) {
		csig__finding_add(&res->fs, "unsigned", CSIG_SEV_ERROR, si, -1, s->offset,
				  "slice %zu (%s) has no LC_CODE_SIGNATURE: it is not signed",
				  s->index, csig_arch_name(s->cputype, s->cpusubtype));
		return;
	}
	if (!s->sig)
		return; /* the structural finding says why */
	const csig_sig *sig = s->sig;
	for (size_t i = 0; i < sig->ncds; i++) {
		const csig_codedir *cd = &sig->cds[i];
		verify_cd(res, s, cd, (int)i, jobs);
		const csig_codedir *ref = *first_cd ? *first_cd : cd;
		if (!str_eq(cd->identifier, ref->identifier))
			csig__finding_add(&res->fs, "identifier-mismatch", CSIG_SEV_WARN, si, (int)i,
					  cd->file_offset,
					  "identifier \"%s\" differs from \"%s\" of the first CodeDirectory",
					  cd->identifier, ref->identifier);
		if (!str_eq(cd->team, ref->team))
			csig__finding_add(&res->fs, "team-mismatch", CSIG_SEV_ERROR, si, (int)i,
					  cd->file_offset,
					  "team identifier \"%s\" differs from \"%s\"",
					  cd->team ? cd->team : "(none)", ref->team ? ref->team : "(none)");
		if (!*first_cd)
			*first_cd = cd;
	}
	verify_cms(res, s, vc);
	verify_entitlements(res, s);
}

int csig_verify(csig_verify_result **out, const csig_file *f,
		const csig_verify_options *opts, csig_error *err)
{
	csig__error_clear(err);
	if (!out || !f)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "out or file is NULL");
	*out = NULL;
	if (opts && opts->version != CSIG_VERIFY_OPTIONS_VERSION)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "verify options version %u is not %u",
				 opts->version, CSIG_VERIFY_OPTIONS_VERSION);
	struct verify_ctx vc = { opts ? opts->jobs : 0, opts ? opts->flags : 0,
				 opts ? opts->at_time : 0 };
	int only = -1;
	if (opts && (opts->flags & CSIG_VERIFY_ONE_SLICE)) {
		if (opts->slice >= f->nslices)
			return CSIG_FAIL(err, CSIG_E_INVAL, 0, "slice %u out of range (%zu slices)",
					 opts->slice, f->nslices);
		only = (int)opts->slice;
	}
	csig_verify_result *res = csig__calloc_n(1, sizeof(*res));
	if (!res)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory");
	/* structural findings first, so the result stands on its own */
	for (size_t i = 0; i < f->findings.count; i++) {
		const csig_finding *x = &f->findings.items[i];
		if (only >= 0 && x->slice >= 0 && x->slice != only)
			continue;
		csig__finding_add(&res->fs, x->id, x->severity, x->slice, x->cd, x->offset,
				  "%s", x->message);
	}
	const csig_codedir *first_cd = NULL;
	for (size_t i = 0; i < f->nslices; i++)
		if (only < 0 || (size_t)only == i)
			verify_slice(res, &f->slices[i], &vc, &first_cd);
	if (res->fs.nomem || f->findings.nomem) {
		csig_verify_result_free(res);
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory recording findings");
	}
	res->valid = csig__findings_max_severity(&res->fs) < CSIG_SEV_ERROR;
	*out = res;
	return CSIG_OK;
}

void csig_verify_result_free(csig_verify_result *r)
{
	if (!r)
		return;
	csig__findings_free(&r->fs);
	csig__free(r);
}

int csig_verify_result_valid(const csig_verify_result *r) { return r && r->valid; }
size_t csig_verify_result_count(const csig_verify_result *r) { return r ? r->fs.count : 0; }
const csig_finding *csig_verify_result_finding(const csig_verify_result *r, size_t i)
{
	return r && i < r->fs.count ? &r->fs.items[i] : NULL;
}
uint64_t csig_verify_result_bytes_hashed(const csig_verify_result *r)
{
	return r ? r->bytes_hashed : 0;
}

const csig__findings *csig__verify_findings(const csig_verify_result *r)
{
	return &r->fs;
}
