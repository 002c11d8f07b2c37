/*
 * fuzz_ent.c - libFuzzer target for csig_ent_parse and csig_ent_compare.
 *
 * Input: u16 little-endian prefix P, then bytes.
 *   P & 0x8000: the rest is one whole blob (any magic: XML, DER entitlements
 *     or a launch constraint); parse it and read it through every getter.
 *   else: the first P & 0x7fff bytes are an XML entitlements payload, the
 *     remainder a DER one; the harness adds the 0xfade7171 / 0xfade7172
 *     headers, parses both and compares them both ways and each with itself.
 * Invariants on success: root is a dictionary; csig_ent_magic is the blob's
 * magic; the source bytes lie inside the input; compare(a, a) is empty;
 * compare(a, b) and compare(b, a) list the same number of differences with
 * the "missing" kinds swapped; every listed path is an RFC 6901 pointer.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "csig.h"

#define CHECK(c) do { if (!(c)) abort(); } while (0)

static void getters(const csig_plist *p)
{
	const csig_pval *root = csig_plist_root(p);
	CHECK(root && csig_pval_type_of(root) == CSIG_PVAL_DICT);
	int b;
	int64_t i;
	csig_bytes s;
	(void)csig_ent_get_bool(p, "com.apple.security.app-sandbox", &b);
	(void)csig_ent_get_string(p, "application-identifier", &s);
	(void)csig_ent_get_int(p, "vers", &i);
	(void)csig_ent_is_true(p, "get-task-allow");
	size_t n = csig_pval_count(root);
	for (size_t k = 0; k < n && k < 4; k++) {
		size_t kl = 0;
		const char *key = csig_pval_cstr(csig_pval_dict_key(root, k), &kl);
		CHECK(key != NULL);
		if (strlen(key) == kl)
			CHECK(csig_ent_get(p, key) != NULL);
	}
	CHECK(csig_ent_get(p, NULL) == NULL);
	char *j = NULL;
	size_t jl = 0;
	if (csig_plist_to_json(p, NULL, 0, &j, &jl, NULL) == 0)
		CHECK(j && strlen(j) == jl);
	csig_free(j);
}

static size_t diffs(const csig_plist *a, const csig_plist *b, size_t *missing_a)
{
	csig_ent_diff *d = NULL;
	if (csig_ent_compare(&d, a, b, NULL) != 0)
		abort();   /* only CSIG_E_NOMEM is documented: not in a fuzzer */
	size_t n = csig_ent_diff_count(d);
	*missing_a = 0;
	for (size_t i = 0; i < n; i++) {
		int kind = 0;
		const char *path = NULL;
		const csig_pval *xv = NULL, *dv = NULL;
		CHECK(csig_ent_diff_get(d, i, &kind, &path, &xv, &dv) == 0);
		CHECK(path && (path[0] == '\0' || path[0] == '/'));
		CHECK(strcmp(csig_ent_diff_kind_name(kind), "") != 0);
		switch (kind) {
		case CSIG_ENT_DIFF_MISSING_IN_XML: CHECK(!xv && dv); (*missing_a)++; break;
		case CSIG_ENT_DIFF_MISSING_IN_DER: CHECK(xv && !dv); break;
		case CSIG_ENT_DIFF_TYPE: CHECK(xv && dv && csig_pval_type_of(xv) != csig_pval_type_of(dv)); break;
		case CSIG_ENT_DIFF_VALUE: CHECK(xv && dv && csig_pval_type_of(xv) == csig_pval_type_of(dv)); break;
		default: abort();
		}
	}
	CHECK(csig_ent_diff_get(d, n, NULL, NULL, NULL, NULL) == CSIG_E_NOTFOUND);
	csig_ent_diff_free(d);
	return n;
}

static int has_real(const csig_pval *v, int depth)
{
	csig_pval_type t = csig_pval_type_of(v);
	if (t == CSIG_PVAL_REAL)
		return 1;
	if (depth > 80)
		return 1;
	if (t == CSIG_PVAL_ARRAY) {
		for (size_t i = 0; i < csig_pval_count(v); i++)
			if (has_real(csig_pval_array_item(v, i), depth + 1))
				return 1;
	} else if (t == CSIG_PVAL_DICT) {
		for (size_t i = 0; i < csig_pval_count(v); i++)
			if (has_real(csig_pval_dict_value(v, i), depth + 1))
				return 1;
	}
	return 0;
}

static csig_plist *parse(uint32_t magic, const uint8_t *p, size_t n)
{
	if (n > 0xfffff)
		return NULL;
	uint8_t *b = malloc(n + 8);
	if (!b)
		return NULL;
	uint32_t len = (uint32_t)n + 8;
	for (int i = 0; i < 4; i++) {
		b[i] = (uint8_t)(magic >> (24 - 8 * i));
		b[4 + i] = (uint8_t)(len >> (24 - 8 * i));
	}
	memcpy(b + 8, p, n);
	csig_plist *d = NULL;
	csig_error e;
	int rc = csig_ent_parse(&d, b, n + 8, NULL, &e);
	if (rc == 0) {
		CHECK(d && csig_ent_magic(d) == magic);
		getters(d);
	} else {
		CHECK(rc < 0 && !d && e.code == rc);
	}
	free(b);   /* the document copies what it keeps */
	return d;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	if (size < 2)
		return 0;
	unsigned pre = (unsigned)data[0] | (unsigned)data[1] << 8;
	data += 2;
	size -= 2;
	if (pre & 0x8000) {
		csig_plist *d = NULL;
		csig_error e;
		int rc = csig_ent_parse(&d, data, size, NULL, &e);
		if (rc == 0) {
			uint32_t m = csig_ent_magic(d);
			CHECK(m == CSIG_ENT_MAGIC_XML || m == CSIG_ENT_MAGIC_DER ||
			      m == CSIG_ENT_MAGIC_CONSTRAINT);
			getters(d);
			size_t ma;
			if (!has_real(csig_plist_root(d), 0))
				CHECK(diffs(d, d, &ma) == 0);
		} else {
			CHECK(rc < 0 && !d && e.code == rc);
		}
		csig_plist_free(d);
		return 0;
	}
	size_t xl = pre & 0x7fff;
	if (xl > size)
		xl = size;
	csig_plist *x = parse(CSIG_ENT_MAGIC_XML, data, xl);
	csig_plist *d = parse(CSIG_ENT_MAGIC_DER, data + xl, size - xl);
	size_t m1 = 0, m2 = 0;
	if (x && !has_real(csig_plist_root(x), 0))
		CHECK(diffs(x, x, &m1) == 0);
	if (d)
		CHECK(diffs(d, d, &m1) == 0);
	if (x && d) {
		size_t n1 = diffs(x, d, &m1);
		size_t n2 = diffs(d, x, &m2);
		CHECK(n1 == n2);
	}
	csig_plist_free(x);
	csig_plist_free(d);
	return 0;
}
