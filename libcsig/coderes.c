/*
 * coderes.c - parse _CodeSignature/CodeResources and match its rules.
 * See coderes.h; format facts in FORMAT.md section 8.
 */
#include <stdlib.h>
#include <string.h>
#include "coderes.h"
#include "util.h"
#include "vfs.h"

static int get_bool(const csig_pval *v)
{
	int b = 0;
	return v && csig_pval_bool(v, &b) == CSIG_OK && b;
}

/* Digest key names by hash type (ResourceBuilder::hashName). */
static const char *const hash_keys[] = { NULL, "hash", "hash2", "hash3", "hash4" };

static size_t hash_len(int type)
{
	return type == 1 || type == 3 ? 20 : type == 2 ? 32 : type == 4 ? 48 : 0;
}

static void bad_seal(csig__coderes *cr, csig__seal *s, const char *why)
{
	s->kind = CSIG__SEAL_BAD;
	csig__finding_add(&cr->fs, "coderes-seal-malformed", CSIG_SEV_ERROR, -1, -1,
			  s->offset, "%s: seal %s", s->path, why);
}

static void parse_seal(csig__coderes *cr, csig__seal *s, const csig_pval *v)
{
	s->offset = csig_pval_offset(v);
	csig_bytes b;
	if (csig_pval_type_of(v) == CSIG_PVAL_DATA) {
		csig_pval_data(v, &b);
		if (b.len != 20)
			return bad_seal(cr, s, "digest is not 20 bytes of SHA-1");
		s->kind = CSIG__SEAL_HASH;
		s->hash[1] = b;
		return;
	}
	if (csig_pval_type_of(v) != CSIG_PVAL_DICT)
		return bad_seal(cr, s, "is neither data nor a dictionary");
	const csig_pval *opt = csig_pval_dict_get(v, "optional");
	if (opt && csig_pval_type_of(opt) != CSIG_PVAL_BOOL)
		return bad_seal(cr, s, "has a non-boolean \"optional\"");
	s->optional = get_bool(opt);
	const csig_pval *cd = csig_pval_dict_get(v, "cdhash");
	const csig_pval *sl = csig_pval_dict_get(v, "symlink");
	int nhash = 0;
	for (int t = 1; t <= 4; t++) {
		const csig_pval *h = csig_pval_dict_get(v, hash_keys[t]);
		if (!h)
			continue;
		if (csig_pval_data(h, &b) || b.len != hash_len(t))
			return bad_seal(cr, s, "has a digest of the wrong type or length");
		s->hash[t] = b;
		nhash++;
	}
	int forms = (nhash > 0) + (cd != NULL) + (sl != NULL);
	if (forms != 1)
		return bad_seal(cr, s, forms ? "mixes digest, symlink and cdhash forms" :
				       "has no digest, symlink or cdhash");
	if (nhash) {
		s->kind = CSIG__SEAL_HASH;
	} else if (sl) {
		size_t n;
		const char *t = csig_pval_cstr(sl, &n);
		if (!t || strlen(t) != n)
			return bad_seal(cr, s, "symlink target is not a string");
		s->kind = CSIG__SEAL_SYMLINK;
		s->symlink = t;
	} else {
		if (csig_pval_data(cd, &b) || b.len != 20)
			return bad_seal(cr, s, "cdhash is not 20 bytes of data");
		s->kind = CSIG__SEAL_NESTED;
		s->cdhash = b;
		const csig_pval *rq = csig_pval_dict_get(v, "requirement");
		if (rq) {
			size_t n;
			const char *t = csig_pval_cstr(rq, &n);
			if (!t || strlen(t) != n)
				return bad_seal(cr, s, "requirement is not a string");
			s->requirement = t;
		}
	}
}

static int cmp_seal(const void *a, const void *b)
{
	const csig__seal *x = a, *y = b;
	int c = strcmp(x->path, y->path);
	if (c)
		return c;
	return x->offset < y->offset ? -1 : x->offset > y->offset;
}

/*
 * Refuse patterns that could make libc's matcher slow or huge on hostile
 * input: back-references (not ERE, but glibc honours them) and counted
 * repetition beyond a small bound.  Apple's own rules use neither.
 */
static int pattern_safe(const char *p, size_t n)
{
	unsigned braces = 0;
	for (size_t i = 0; i < n; i++) {
		if (p[i] == '\\' && i + 1 < n) {
			if (p[i + 1] >= '1' && p[i + 1] <= '9')
				return 0;
			i++;
			continue;
		}
		if (p[i] == '{') {
			if (++braces > 2)
				return 0;
			unsigned long v = 0;
			for (size_t k = i + 1; k < n && p[k] != '}'; k++) {
				if (p[k] >= '0' && p[k] <= '9') {
					v = v * 10 + (unsigned long)(p[k] - '0');
					if (v > 32)
						return 0;
				}
			}
		}
	}
	return 1;
}

static void parse_rule(csig__coderes *cr, csig__rule *r, const csig_pval *key,
		       const csig_pval *v)
{
	size_t n;
	const char *pat = csig_pval_cstr(key, &n);
	uint64_t off = csig_pval_offset(key);
	r->pattern = pat ? pat : "";
	r->weight = 1.0;
	if (!pat || strlen(pat) != n || n > CSIG__CODERES_MAX_PATTERN || !pattern_safe(pat, n)) {
		csig__finding_add(&cr->fs, "coderes-rule-refused", CSIG_SEV_ERROR, -1, -1, off,
				  "rule pattern \"%.100s\" (%zu bytes) is refused: embedded NUL, longer than %u bytes, a back-reference or a large repetition count",
				  r->pattern, n, CSIG__CODERES_MAX_PATTERN);
		return;
	}
	if (csig_pval_type_of(v) == CSIG_PVAL_BOOL) {
		if (!get_bool(v))
			r->flags |= CSIG__RULE_OMIT; /* false: the rule seals nothing */
	} else if (csig_pval_type_of(v) == CSIG_PVAL_DICT) {
		if (get_bool(csig_pval_dict_get(v, "omit")))
			r->flags |= CSIG__RULE_OMIT;
		if (get_bool(csig_pval_dict_get(v, "optional")))
			r->flags |= CSIG__RULE_OPTIONAL;
		if (get_bool(csig_pval_dict_get(v, "nested")))
			r->flags |= CSIG__RULE_NESTED;
		const csig_pval *w = csig_pval_dict_get(v, "weight");
		if (w) {
			double d;
			int64_t i;
			if (csig_pval_real(w, &d) == CSIG_OK)
				r->weight = d;
			else if (csig_pval_int(w, &i) == CSIG_OK)
				r->weight = (double)i;
			else
				csig__finding_add(&cr->fs, "coderes-rule-malformed", CSIG_SEV_WARN,
						  -1, -1, csig_pval_offset(w),
						  "rule \"%.100s\" has a weight that is not a number",
						  pat);
			if (r->weight != r->weight) /* NaN never wins */
				r->weight = 0;
		}
	} else {
		csig__finding_add(&cr->fs, "coderes-rule-malformed", CSIG_SEV_ERROR, -1, -1,
				  csig_pval_offset(v),
				  "rule \"%.100s\" is neither true nor a dictionary", pat);
		return;
	}
	int e = regcomp(&r->re, pat, REG_EXTENDED | REG_NOSUB);
	if (e) {
		csig__finding_add(&cr->fs, "coderes-rule-malformed", CSIG_SEV_ERROR, -1, -1, off,
				  "rule pattern \"%.100s\" is not a valid extended regular expression (regcomp %d)",
				  pat, e);
		return;
	}
	r->compiled = 1;
}

int csig__coderes_parse(csig__coderes **out, const void *buf, size_t len,
			const csig_open_options *opts, csig_error *err)
{
	if (!out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "out is NULL");
	*out = NULL;
	csig__coderes *cr = csig__calloc_n(1, sizeof(*cr));
	if (!cr)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory for CodeResources");
	int e = csig_plist_parse(&cr->doc, buf, len, CSIG_PLIST_XML | CSIG_PLIST_BINARY,
				 opts, err);
	if (e) {
		csig__free(cr);
		return e;
	}
	const csig_pval *root = csig_plist_root(cr->doc);
	if (csig_pval_type_of(root) != CSIG_PVAL_DICT) {
		e = CSIG_FAIL(err, CSIG_E_BADVALUE, 0,
			      "CodeResources root is a %s, not a dictionary",
			      csig_pval_type_name(csig_pval_type_of(root)));
		csig__coderes_free(cr);
		return e;
	}
	const csig_pval *files = csig_pval_dict_get(root, "files2");
	const csig_pval *rules = csig_pval_dict_get(root, "rules2");
	cr->version = 2;
	if (!files) {
		cr->version = 1;
		files = csig_pval_dict_get(root, "files");
		rules = csig_pval_dict_get(root, "rules");
	} else if (!rules) {
		rules = csig_pval_dict_get(root, "rules");
	}
	if (files && csig_pval_type_of(files) != CSIG_PVAL_DICT) {
		e = CSIG_FAIL(err, CSIG_E_BADVALUE, csig_pval_offset(files),
			      "CodeResources \"files%s\" is not a dictionary",
			      cr->version == 2 ? "2" : "");
		csig__coderes_free(cr);
		return e;
	}
	if (rules && csig_pval_type_of(rules) != CSIG_PVAL_DICT) {
		csig__finding_add(&cr->fs, "coderes-rule-malformed", CSIG_SEV_ERROR, -1, -1,
				  csig_pval_offset(rules), "CodeResources rules are not a dictionary");
		rules = NULL;
	}
	if (!files && !rules)
		csig__finding_add(&cr->fs, "coderes-empty", CSIG_SEV_WARN, -1, -1, 0,
				  "CodeResources has neither files nor rules");
	size_t nf = csig_pval_count(files), nr = csig_pval_count(rules);
	if (nr > CSIG__CODERES_MAX_RULES) {
		e = CSIG_FAIL(err, CSIG_E_LIMIT, csig_pval_offset(rules),
			      "CodeResources has %zu rules, more than %u", nr,
			      CSIG__CODERES_MAX_RULES);
		csig__coderes_free(cr);
		return e;
	}
	if (nf) {
		cr->seals = csig__calloc_n(nf, sizeof(csig__seal));
		if (!cr->seals) {
			csig__coderes_free(cr);
			return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory for %zu seals", nf);
		}
	}
	if (nr) {
		cr->rules = csig__calloc_n(nr, sizeof(csig__rule));
		if (!cr->rules) {
			csig__coderes_free(cr);
			return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory for %zu rules", nr);
		}
	}
	for (size_t i = 0; i < nf; i++) {
		const csig_pval *k = csig_pval_dict_key(files, i);
		size_t kl;
		const char *path = csig_pval_cstr(k, &kl);
		csig__seal *s = &cr->seals[cr->nseals];
		s->offset = csig_pval_offset(k);
		if (!path || strlen(path) != kl || csig__vfs_check_name(path, NULL) || !kl) {
			csig__finding_add(&cr->fs, "coderes-bad-path", CSIG_SEV_ERROR, -1, -1,
					  s->offset,
					  "sealed path \"%.200s\" is empty, contains NUL, \".\" or \"..\", or is too long",
					  path ? path : "");
			continue;
		}
		s->path = path;
		parse_seal(cr, s, csig_pval_dict_value(files, i));
		cr->nseals++;
	}
	if (cr->nseals > 1)
		qsort(cr->seals, cr->nseals, sizeof(csig__seal), cmp_seal);
	for (size_t i = 1; i < cr->nseals; i++)
		if (!strcmp(cr->seals[i].path, cr->seals[i - 1].path))
			csig__finding_add(&cr->fs, "coderes-duplicate-seal", CSIG_SEV_ERROR, -1, -1,
					  cr->seals[i].offset, "%s: sealed twice",
					  cr->seals[i].path);
	for (size_t i = 0; i < nr; i++) {
		parse_rule(cr, &cr->rules[cr->nrules], csig_pval_dict_key(rules, i),
			   csig_pval_dict_value(rules, i));
		cr->nrules++;
	}
	if (cr->fs.nomem) {
		csig__coderes_free(cr);
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory for CodeResources findings");
	}
	*out = cr;
	return CSIG_OK;
}

void csig__coderes_free(csig__coderes *cr)
{
	if (!cr)
		return;
	for (size_t i = 0; i < cr->nrules; i++)
		if (cr->rules[i].compiled)
			regfree(&cr->rules[i].re);
	csig__free(cr->rules);
	csig__free(cr->seals);
	csig__findings_free(&cr->fs);
	csig_plist_free(cr->doc);
	csig__free(cr);
}

const csig__seal *csig__coderes_find(const csig__coderes *cr, const char *path)
{
	size_t lo = 0, hi = cr->nseals;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(cr->seals[mid].path, path);
		if (c == 0)
			return &cr->seals[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

const csig__rule *csig__coderes_match(const csig__coderes *cr, const char *path)
{
	const csig__rule *best = NULL;
	for (size_t i = 0; i < cr->nrules; i++) {
		const csig__rule *r = &cr->rules[i];
		if (!r->compiled || regexec(&r->re, path, 0, NULL, 0) != 0)
			continue;
		if (r->flags & CSIG__RULE_EXCLUSION)
			return r;
		/* equal weights: an omitting rule wins, so "^Info\\.plist$"
		 * (omit, 20) beats Xcode's catch-all "^" (20) as Apple's
		 * signatures show: Info.plist is never in files2 */
		if (!best || r->weight > best->weight ||
		    (r->weight == best->weight && (r->flags & CSIG__RULE_OMIT) &&
		     !(best->flags & CSIG__RULE_OMIT)))
			best = r;
	}
	return best;
}

csig_bytes csig__seal_best_hash(const csig__seal *s, int *type)
{
	/* Apple's preference: SHA-384 > SHA-256 > SHA-256-truncated > SHA-1 */
	static const int order[] = { 4, 2, 3, 1 };
	for (size_t i = 0; i < CSIG_ARRAY_LEN(order); i++)
		if (s->hash[order[i]].len) {
			*type = order[i];
			return s->hash[order[i]];
		}
	*type = 0;
	csig_bytes none = { NULL, 0 };
	return none;
}
