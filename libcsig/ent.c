/*
 * ent.c - entitlements and constraint blobs; XML vs DER comparison.
 * See csig/ent.h and FORMAT.md sections 1.3 and 4.
 */
#include <stdio.h>
#include <string.h>
#include "csig/ent.h"
#include "plist_int.h"

int csig_ent_parse(csig_plist **out, const void *blob, size_t len,
		   const csig_open_options *opts, csig_error *err)
{
	csig__error_clear(err);
	if (!out || !blob)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "entitlements: NULL argument");
	*out = NULL;
	csig_rd r;
	uint32_t magic, length;
	int e;
	rd_init(&r, blob, len, 0, "entitlements blob", err);
	if ((e = rd_u32be(&r, &magic)) || (e = rd_u32be(&r, &length)))
		return e;
	unsigned flags;
	const char *what;
	switch (magic) {
	case CSIG_ENT_MAGIC_XML:
		/* CFPropertyListCreateWithData would take a binary plist too */
		flags = CSIG_PLIST_XML | CSIG_PLIST_BINARY;
		what = "XML entitlements";
		break;
	case CSIG_ENT_MAGIC_DER:
		flags = CSIG_PLIST_DER;
		what = "DER entitlements";
		break;
	case CSIG_ENT_MAGIC_CONSTRAINT:
		flags = CSIG_PLIST_DER;
		what = "launch constraint";
		break;
	default:
		return CSIG_FAIL(err, CSIG_E_BADMAGIC, 0,
				 "entitlements: magic 0x%08x is not 0xfade7171, 0xfade7172 or 0xfade8181",
				 magic);
	}
	if (length < 8)
		return CSIG_FAIL(err, CSIG_E_BADVALUE, 4,
				 "%s blob: length %u is below the 8-byte header", what, length);
	if (length > len)
		return CSIG_FAIL(err, CSIG_E_TRUNCATED, 4,
				 "%s blob: length %u exceeds the %zu bytes available", what,
				 length, len);
	csig_bytes payload;
	if ((e = rd_view_at(&r, 8, length - 8u, &payload)))
		return e;
	csig_plist *d;
	if ((e = csig__plist_parse_at(&d, payload.ptr, payload.len, 8, flags, opts, err)))
		return e;
	if (d->root->type != CSIG_PVAL_DICT) {
		e = CSIG_FAIL(err, CSIG_E_BADVALUE, d->root->off,
			      "%s: top level is a %s, not a dictionary", what,
			      csig_pval_type_name(d->root->type));
		csig_plist_free(d);
		return e;
	}
	d->blob_magic = magic;
	*out = d;
	return CSIG_OK;
}

uint32_t csig_ent_magic(const csig_plist *ent) { return ent ? ent->blob_magic : 0; }

const csig_pval *csig_ent_get(const csig_plist *ent, const char *key)
{
	if (!ent || !key)
		return NULL;
	return csig_pval_dict_get(ent->root, key);
}

static int lookup(const csig_plist *ent, const char *key, int type,
		  const csig_pval **v)
{
	if (!ent || !key)
		return CSIG_E_INVAL;
	*v = csig_pval_dict_get(ent->root, key);
	if (!*v)
		return CSIG_E_NOTFOUND;
	return (*v)->type == type ? CSIG_OK : CSIG_E_BADVALUE;
}

int csig_ent_get_bool(const csig_plist *ent, const char *key, int *out)
{
	const csig_pval *v;
	int e = out ? lookup(ent, key, CSIG_PVAL_BOOL, &v) : CSIG_E_INVAL;
	return e ? e : csig_pval_bool(v, out);
}

int csig_ent_get_string(const csig_plist *ent, const char *key, csig_bytes *out)
{
	const csig_pval *v;
	int e = out ? lookup(ent, key, CSIG_PVAL_STRING, &v) : CSIG_E_INVAL;
	return e ? e : csig_pval_string(v, out);
}

int csig_ent_get_int(const csig_plist *ent, const char *key, int64_t *out)
{
	const csig_pval *v;
	int e = out ? lookup(ent, key, CSIG_PVAL_INTEGER, &v) : CSIG_E_INVAL;
	return e ? e : csig_pval_int(v, out);
}

int csig_ent_is_true(const csig_plist *ent, const char *key)
{
	int b = 0;
	return csig_ent_get_bool(ent, key, &b) == CSIG_OK && b;
}

/* ---- comparison ---- */

typedef struct ent_diff_item {
	int kind;
	char *path;
	const csig_pval *xml, *der;
} ent_diff_item;

struct csig_ent_diff {
	ent_diff_item *items;
	size_t count, cap;
};

typedef struct cmp {
	csig_ent_diff *out;
	plist_sb path;
	int failed;
} cmp;

static void add(cmp *c, int kind, const csig_pval *x, const csig_pval *d)
{
	if (c->failed)
		return;
	csig_ent_diff *o = c->out;
	if (o->count == o->cap) {
		size_t cap = o->cap ? o->cap * 2 : 8;
		ent_diff_item *n = csig__realloc(o->items, cap * sizeof(*n));
		if (!n) {
			c->failed = 1;
			return;
		}
		o->items = n;
		o->cap = cap;
	}
	char *p = csig__strndup(c->path.buf ? c->path.buf : "", c->path.len);
	if (!p) {
		c->failed = 1;
		return;
	}
	ent_diff_item *it = &o->items[o->count++];
	it->kind = kind;
	it->path = p;
	it->xml = x;
	it->der = d;
}

/* Append "/token" with RFC 6901 escaping (~ -> ~0, / -> ~1). */
static void push_key(cmp *c, const char *s, size_t n)
{
	csig__sb_put(&c->path, "/", 1);
	size_t run = 0;
	for (size_t i = 0; i < n; i++) {
		if (s[i] != '~' && s[i] != '/')
			continue;
		csig__sb_put(&c->path, s + run, i - run);
		csig__sb_put(&c->path, s[i] == '~' ? "~0" : "~1", 2);
		run = i + 1;
	}
	csig__sb_put(&c->path, s + run, n - run);
	if (c->path.failed)
		c->failed = 1;
}

static void set_len(cmp *c, size_t len)
{
	if (c->path.buf && len <= c->path.len) {
		c->path.len = len;
		c->path.buf[len] = '\0';
	}
}

/* Is entry i of dict v shadowed by a later entry with the same key? */
static int shadowed(const csig_pval *v, size_t i)
{
	const csig_pval *k = csig_pval_dict_key(v, i);
	return csig_pval_dict_getn(v, k->str, k->len) != csig_pval_dict_value(v, i);
}

static void walk(cmp *c, const csig_pval *x, const csig_pval *d)
{
	if (c->failed)
		return;
	if (x->type != d->type) {
		add(c, CSIG_ENT_DIFF_TYPE, x, d);
		return;
	}
	size_t mark = c->path.len;
	if (x->type == CSIG_PVAL_DICT) {
		for (size_t i = 0; i < x->count && !c->failed; i++) {
			if (shadowed(x, i))
				continue;
			const csig_pval *k = csig_pval_dict_key(x, i);
			const csig_pval *dv = csig_pval_dict_getn(d, k->str, k->len);
			push_key(c, k->str, k->len);
			if (!dv)
				add(c, CSIG_ENT_DIFF_MISSING_IN_DER, csig_pval_dict_value(x, i), NULL);
			else
				walk(c, csig_pval_dict_value(x, i), dv);
			set_len(c, mark);
		}
		for (size_t i = 0; i < d->count && !c->failed; i++) {
			if (shadowed(d, i))
				continue;
			const csig_pval *k = csig_pval_dict_key(d, i);
			if (csig_pval_dict_getn(x, k->str, k->len))
				continue;
			push_key(c, k->str, k->len);
			add(c, CSIG_ENT_DIFF_MISSING_IN_XML, NULL, csig_pval_dict_value(d, i));
			set_len(c, mark);
		}
		return;
	}
	if (x->type == CSIG_PVAL_ARRAY) {
		size_t n = x->count > d->count ? x->count : d->count;
		for (size_t i = 0; i < n && !c->failed; i++) {
			char idx[24];
			int w = snprintf(idx, sizeof(idx), "%zu", i);
			push_key(c, idx, (size_t)w);
			if (i >= d->count)
				add(c, CSIG_ENT_DIFF_MISSING_IN_DER, x->kids[i], NULL);
			else if (i >= x->count)
				add(c, CSIG_ENT_DIFF_MISSING_IN_XML, NULL, d->kids[i]);
			else
				walk(c, x->kids[i], d->kids[i]);
			set_len(c, mark);
		}
		return;
	}
	if (csig__pval_equal(x, d))
		add(c, CSIG_ENT_DIFF_VALUE, x, d);
}

int csig_ent_compare(csig_ent_diff **out, const csig_plist *xml,
		     const csig_plist *der, csig_error *err)
{
	if (!out || !xml || !der)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "entitlements compare: NULL argument");
	*out = NULL;
	cmp c;
	memset(&c, 0, sizeof(c));
	c.out = csig__calloc_n(1, sizeof(*c.out));
	if (!c.out)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "entitlements compare: out of memory");
	walk(&c, xml->root, der->root);
	csig__free(c.path.buf);
	if (c.failed) {
		csig_ent_diff_free(c.out);
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "entitlements compare: out of memory");
	}
	*out = c.out;
	return CSIG_OK;
}

size_t csig_ent_diff_count(const csig_ent_diff *d) { return d ? d->count : 0; }

int csig_ent_diff_get(const csig_ent_diff *d, size_t i, int *kind,
		      const char **path, const csig_pval **xml_val,
		      const csig_pval **der_val)
{
	if (!d)
		return CSIG_E_INVAL;
	if (i >= d->count)
		return CSIG_E_NOTFOUND;
	const ent_diff_item *it = &d->items[i];
	if (kind)
		*kind = it->kind;
	if (path)
		*path = it->path;
	if (xml_val)
		*xml_val = it->xml;
	if (der_val)
		*der_val = it->der;
	return CSIG_OK;
}

const char *csig_ent_diff_kind_name(int kind)
{
	switch (kind) {
	case CSIG_ENT_DIFF_MISSING_IN_XML: return "missing-in-xml";
	case CSIG_ENT_DIFF_MISSING_IN_DER: return "missing-in-der";
	case CSIG_ENT_DIFF_TYPE: return "type";
	case CSIG_ENT_DIFF_VALUE: return "value";
	default: return "?";
	}
}

void csig_ent_diff_free(csig_ent_diff *d)
{
	if (!d)
		return;
	for (size_t i = 0; i < d->count; i++)
		csig__free(d->items[i].path);
	csig__free(d->items);
	csig__free(d);
}
