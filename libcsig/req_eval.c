/*
 * req_eval.c - three-valued evaluation of a requirement against caller
 * supplied facts, with a per-clause trace (Security reqinterp.cpp semantics;
 * FORMAT.md 3.2-3.3).  See csig/req.h.
 */
#include <string.h>
#include "req_int.h"

typedef struct trace_ent {
	char *clause, *actual, *expected, *reason;
	csig_req_verdict verdict;
	uint32_t off;
} trace_ent;

struct csig_req_result {
	csig_req_verdict verdict;
	char *text;           /* the whole requirement */
	trace_ent *ents;
	size_t n, cap;
};

typedef struct ev {
	const csig_req *q;
	const csig_req_ctx *c;
	csig_req_result *r;
	int failed;           /* sticky CSIG_E_NOMEM */
} ev;

#define VALUE_DEPTH_MAX 8  /* nesting of caller-supplied arrays we look into */

const char *csig_req_verdict_name(csig_req_verdict v)
{
	switch (v) {
	case CSIG_REQ_SATISFIED: return "satisfied";
	case CSIG_REQ_NOT_SATISFIED: return "not satisfied";
	case CSIG_REQ_INDETERMINATE: return "indeterminate";
	}
	return "?";
}

static const char *verdict_id(csig_req_verdict v)
{
	switch (v) {
	case CSIG_REQ_SATISFIED: return "satisfied";
	case CSIG_REQ_NOT_SATISFIED: return "not_satisfied";
	case CSIG_REQ_INDETERMINATE: return "indeterminate";
	}
	return "?";
}

static csig_req_verdict v_and(csig_req_verdict a, csig_req_verdict b)
{
	if (a == CSIG_REQ_NOT_SATISFIED || b == CSIG_REQ_NOT_SATISFIED)
		return CSIG_REQ_NOT_SATISFIED;
	if (a == CSIG_REQ_INDETERMINATE || b == CSIG_REQ_INDETERMINATE)
		return CSIG_REQ_INDETERMINATE;
	return CSIG_REQ_SATISFIED;
}

static csig_req_verdict v_or(csig_req_verdict a, csig_req_verdict b)
{
	if (a == CSIG_REQ_SATISFIED || b == CSIG_REQ_SATISFIED)
		return CSIG_REQ_SATISFIED;
	if (a == CSIG_REQ_INDETERMINATE || b == CSIG_REQ_INDETERMINATE)
		return CSIG_REQ_INDETERMINATE;
	return CSIG_REQ_NOT_SATISFIED;
}

static csig_req_verdict v_not(csig_req_verdict a)
{
	return a == CSIG_REQ_SATISFIED ? CSIG_REQ_NOT_SATISFIED
		: a == CSIG_REQ_NOT_SATISFIED ? CSIG_REQ_SATISFIED : a;
}

static csig_req_verdict v_bool(int b)
{
	return b ? CSIG_REQ_SATISFIED : CSIG_REQ_NOT_SATISFIED;
}

/* ---- value display ------------------------------------------------------ */

static void show_string(req_sb *sb, const uint8_t *p, size_t n)
{
	csig__req_sb_put(sb, "\"", 1);
	for (size_t i = 0; i < n; i++) {
		unsigned c = p[i];
		if (c == '"' || c == '\\') {
			csig__req_sb_put(sb, "\\", 1);
			csig__req_sb_put(sb, (const char *)p + i, 1);
		} else if (c < 0x20 || c == 0x7f) {
			csig__req_sb_printf(sb, "\\x%02x", c);
		} else {
			csig__req_sb_put(sb, (const char *)p + i, 1);
		}
	}
	csig__req_sb_put(sb, "\"", 1);
}

static void show_value(req_sb *sb, const csig_req_value *v, unsigned depth)
{
	switch (v->type) {
	case CSIG_REQ_VAL_ABSENT: csig__req_sb_puts(sb, "absent"); break;
	case CSIG_REQ_VAL_STRING:
		show_string(sb, (const uint8_t *)v->str, v->str ? v->len : 0);
		break;
	case CSIG_REQ_VAL_BOOL: csig__req_sb_puts(sb, v->boolean ? "true" : "false"); break;
	case CSIG_REQ_VAL_NUMBER: csig__req_sb_printf(sb, "%lld", (long long)v->number); break;
	case CSIG_REQ_VAL_DATE: csig__req_text_date(sb, v->date); break;
	case CSIG_REQ_VAL_DATA:
		csig__req_sb_puts(sb, "0x");
		csig__req_sb_hex(sb, (const uint8_t *)v->str, v->str ? v->len : 0);
		break;
	case CSIG_REQ_VAL_ARRAY:
		csig__req_sb_put(sb, "[", 1);
		for (size_t i = 0; v->items && i < v->n_items; i++) {
			if (i)
				csig__req_sb_puts(sb, ", ");
			if (depth >= VALUE_DEPTH_MAX) {
				csig__req_sb_puts(sb, "...");
				break;
			}
			show_value(sb, &v->items[i], depth + 1);
		}
		csig__req_sb_put(sb, "]", 1);
		break;
	default: csig__req_sb_puts(sb, "(dictionary or other value)"); break;
	}
}

/* ---- matching (Requirement::Interpreter::Match) ------------------------- */

static int is_digit(unsigned c) { return c >= '0' && c <= '9'; }

/* CFStringCompare(kCFCompareNumerically): digit runs compare as numbers. */
static int numeric_compare(const uint8_t *a, size_t na, const uint8_t *b, size_t nb)
{
	size_t i = 0, j = 0;
	while (i < na && j < nb) {
		if (is_digit(a[i]) && is_digit(b[j])) {
			while (i < na && a[i] == '0' && i + 1 < na && is_digit(a[i + 1]))
				i++;
			while (j < nb && b[j] == '0' && j + 1 < nb && is_digit(b[j + 1]))
				j++;
			size_t ei = i, ej = j;
			while (ei < na && is_digit(a[ei]))
				ei++;
			while (ej < nb && is_digit(b[ej]))
				ej++;
			if (ei - i != ej - j)
				return ei - i < ej - j ? -1 : 1;
			int c = memcmp(a + i, b + j, ei - i);
			if (c)
				return c < 0 ? -1 : 1;
			i = ei;
			j = ej;
			continue;
		}
		if (a[i] != b[j])
			return a[i] < b[j] ? -1 : 1;
		i++;
		j++;
	}
	size_t ra = na - i, rb = nb - j;
	return ra == rb ? 0 : ra < rb ? -1 : 1;
}

static int find(const uint8_t *h, size_t nh, const uint8_t *x, size_t nx, int where)
{
	if (nx > nh)
		return 0;
	if (where < 0)
		return memcmp(h, x, nx) == 0;
	if (where > 0)
		return memcmp(h + nh - nx, x, nx) == 0;
	for (size_t i = 0; i + nx <= nh; i++)
		if (memcmp(h + i, x, nx) == 0)
			return 1;
	return 0;
}

static int match_value(const csig_req_value *v, const req_node *n, unsigned depth)
{
	if (v->type == CSIG_REQ_VAL_ABSENT)
		return n->mop == REQ_MATCH_ABSENT;      /* only absent matches */
	if (v->type == CSIG_REQ_VAL_ARRAY && depth < VALUE_DEPTH_MAX && v->items)
		for (size_t i = 0; i < v->n_items; i++)
			if (match_value(&v->items[i], n, depth + 1))
				return 1;
	const uint8_t *s = (const uint8_t *)v->str;
	size_t sl = s ? v->len : 0;
	int str = v->type == CSIG_REQ_VAL_STRING;
	const uint8_t *m = n->mval.ptr;
	size_t ml = n->mval.len;
	switch (n->mop) {
	case REQ_MATCH_ABSENT: return 0;
	case REQ_MATCH_EXISTS: return !(v->type == CSIG_REQ_VAL_BOOL && !v->boolean);
	case REQ_MATCH_EQUAL: return str && sl == ml && (ml == 0 || memcmp(s, m, ml) == 0);
	case REQ_MATCH_CONTAINS: return str && find(s, sl, m, ml, 0);
	case REQ_MATCH_BEGINS: return str && find(s, sl, m, ml, -1);
	case REQ_MATCH_ENDS: return str && find(s, sl, m, ml, 1);
	case REQ_MATCH_LT: return str && numeric_compare(s, sl, m, ml) < 0;
	case REQ_MATCH_GT: return str && numeric_compare(s, sl, m, ml) > 0;
	case REQ_MATCH_LE: return str && numeric_compare(s, sl, m, ml) <= 0;
	case REQ_MATCH_GE: return str && numeric_compare(s, sl, m, ml) >= 0;
	case REQ_MATCH_ON: return v->type == CSIG_REQ_VAL_DATE && v->date == n->ts;
	case REQ_MATCH_BEFORE: return v->type == CSIG_REQ_VAL_DATE && v->date < n->ts;
	case REQ_MATCH_AFTER: return v->type == CSIG_REQ_VAL_DATE && v->date > n->ts;
	case REQ_MATCH_ON_OR_BEFORE: return v->type == CSIG_REQ_VAL_DATE && v->date <= n->ts;
	case REQ_MATCH_ON_OR_AFTER: return v->type == CSIG_REQ_VAL_DATE && v->date >= n->ts;
	default: return 0;  /* unknown match operations never match */
	}
}

/* ---- context lookups ---------------------------------------------------- */

static const csig_req_cert *cert_at(const csig_req_ctx *c, int32_t slot)
{
	int64_t i = slot >= 0 ? (int64_t)slot : (int64_t)c->n_certs + slot;
	if (!c->certs || i < 0 || (uint64_t)i >= c->n_certs)
		return NULL;
	return &c->certs[i];
}

static csig_req_value lookup(const csig_req_entry *ents, size_t n,
			     csig_req_lookup_fn fn, void *user, csig_bytes key)
{
	csig_req_value v;
	memset(&v, 0, sizeof(v));
	if (fn) {
		if (fn(user, (const char *)key.ptr, key.len, &v) != 1)
			memset(&v, 0, sizeof(v));
		return v;
	}
	for (size_t i = 0; ents && i < n; i++)
		if (ents[i].key && strlen(ents[i].key) == key.len &&
		    memcmp(ents[i].key, key.ptr, key.len) == 0)
			return ents[i].value;
	return v;
}

static const csig_req_ext *cert_ext(const csig_req_cert *k, const uint8_t *oid, size_t n)
{
	for (size_t i = 0; k->extensions && i < k->n_extensions; i++)
		if (k->extensions[i].oid.len == n && k->extensions[i].oid.ptr &&
		    memcmp(k->extensions[i].oid.ptr, oid, n) == 0)
			return &k->extensions[i];
	return NULL;
}

static int cert_attr_is(const csig_req_cert *k, const char *name, const char *want)
{
	for (size_t i = 0; k->subject && i < k->n_subject; i++)
		if (k->subject[i].name && strcmp(k->subject[i].name, name) == 0 &&
		    k->subject[i].value && k->subject[i].value_len == strlen(want) &&
		    memcmp(k->subject[i].value, want, strlen(want)) == 0)
			return 1;
	return 0;
}

/* Subject attribute names reqinterp.cpp understands after "subject.". */
static const char subject_names[][10] = {
	"C", "CN", "D", "L", "O", "C-O", "OU", "C-OU", "ST", "C-ST",
	"STREET", "C-STREET", "UID"
};

/* ---- evaluation --------------------------------------------------------- */

typedef struct leaf {
	req_sb actual, expected, reason;
	csig_req_verdict v;
} leaf;

static void add_entry(ev *e, uint32_t idx, leaf *l)
{
	trace_ent t;
	memset(&t, 0, sizeof(t));
	t.verdict = l->v;
	t.off = e->q->kind == CSIG_REQ_KIND_EXPR ? e->q->nodes[idx].off : 12;
	size_t n;
	int rc = csig__req_node_text(e->q, idx, &t.clause, &n);
	if (!rc)
		rc = csig__req_sb_finish(&l->actual, &t.actual, &n);
	if (!rc)
		rc = csig__req_sb_finish(&l->expected, &t.expected, &n);
	if (!rc)
		rc = csig__req_sb_finish(&l->reason, &t.reason, &n);
	csig__req_sb_discard(&l->actual);
	csig__req_sb_discard(&l->expected);
	csig__req_sb_discard(&l->reason);
	csig_req_result *r = e->r;
	if (!rc && r->n == r->cap) {
		size_t nc = r->cap ? r->cap * 2 : 8;
		trace_ent *ne = csig__realloc(r->ents, nc * sizeof(*ne));
		if (!ne) {
			rc = CSIG_E_NOMEM;
		} else {
			r->ents = ne;
			r->cap = nc;
		}
	}
	if (rc) {
		csig__free(t.clause);
		csig__free(t.actual);
		csig__free(t.expected);
		csig__free(t.reason);
		e->failed = CSIG_E_NOMEM;
		return;
	}
	r->ents[r->n++] = t;
}

static void expect_match(leaf *l, const req_node *n)
{
	if (n->mop == REQ_MATCH_EXISTS) {
		csig__req_sb_puts(&l->expected, "exists");
	} else if (n->mop == REQ_MATCH_ABSENT) {
		csig__req_sb_puts(&l->expected, "absent");
	} else {
		req_sb tmp = { NULL, 0, 0, 0 };
		csig__req_text_match(&tmp, n);
		if (tmp.failed)
			l->expected.failed = tmp.failed;
		else if (tmp.p)
			csig__req_sb_puts(&l->expected, tmp.p[0] == ' ' ? tmp.p + 1 : tmp.p);
		csig__req_sb_discard(&tmp);
	}
}

static void judge_value(leaf *l, const req_node *n, const csig_req_value *v)
{
	show_value(&l->actual, v, 0);
	expect_match(l, n);
	l->v = v_bool(match_value(v, n, 0));
}

static void no_cert(leaf *l, int32_t slot, size_t n_certs)
{
	if (n_certs == 0)
		csig__req_sb_puts(&l->actual, "no certificates");
	else
		csig__req_sb_printf(&l->actual, "no certificate at slot %d (chain of %zu)",
				    (int)slot, n_certs);
	l->v = CSIG_REQ_NOT_SATISFIED;
}

static void indeterminate(leaf *l, const char *why)
{
	csig__req_sb_puts(&l->actual, "unknown");
	csig__req_sb_puts(&l->reason, why);
	l->v = CSIG_REQ_INDETERMINATE;
}

/* 1.2.840.113635.100.6.22 (macOS software signing) and .22.1. */
static const uint8_t oid_apple_sw[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x63, 0x64, 0x06, 0x16 };
static const uint8_t oid_apple_sw_qa[] = { 0x2a, 0x86, 0x48, 0x86, 0xf7, 0x63, 0x64, 0x06, 0x16, 0x01 };

static void eval_apple_anchor(const csig_req_ctx *c, leaf *l)
{
	csig__req_sb_puts(&l->expected, "Apple root, Apple Code Signing Certification Authority, Apple software signing leaf");
	if (c->apple_anchor == CSIG_REQ_FACT_YES || c->apple_anchor == CSIG_REQ_FACT_NO) {
		int yes = c->apple_anchor == CSIG_REQ_FACT_YES;
		csig__req_sb_puts(&l->actual, yes ? "satisfied (as given by the caller)"
				  : "not satisfied (as given by the caller)");
		l->v = v_bool(yes);
		return;
	}
	if (c->n_certs == 0 || !c->certs) {
		csig__req_sb_puts(&l->actual, "no certificates");
		csig__req_sb_puts(&l->reason, "the AMFI trust cache is not consulted");
		l->v = CSIG_REQ_NOT_SATISFIED;
		return;
	}
	const csig_req_cert *ca = cert_at(c, -2), *lf = cert_at(c, 0);
	if (!c->anchor_is_apple) {
		csig__req_sb_puts(&l->actual, "anchor is not an Apple root");
		l->v = CSIG_REQ_NOT_SATISFIED;
	} else if (!ca || !cert_attr_is(ca, "CN", "Apple Code Signing Certification Authority") ||
		   !cert_attr_is(ca, "O", "Apple Inc.")) {
		csig__req_sb_puts(&l->actual, "certificate -2 is not Apple Code Signing Certification Authority (O=Apple Inc.)");
		l->v = CSIG_REQ_NOT_SATISFIED;
	} else if (!lf || (!cert_ext(lf, oid_apple_sw, sizeof(oid_apple_sw)) &&
			   !cert_ext(lf, oid_apple_sw_qa, sizeof(oid_apple_sw_qa)))) {
		csig__req_sb_puts(&l->actual, "leaf lacks extension 1.2.840.113635.100.6.22");
		l->v = CSIG_REQ_NOT_SATISFIED;
	} else {
		csig__req_sb_puts(&l->actual, "Apple root, Apple Code Signing Certification Authority, Apple software signing leaf");
		l->v = CSIG_REQ_SATISFIED;
	}
}

static void eval_cert(ev *e, const req_node *n, uint32_t op, leaf *l)
{
	const csig_req_ctx *c = e->c;
	const csig_req_cert *k = cert_at(c, n->slot);
	if (!k) {
		/* "no cert, no chance": false even for absent */
		expect_match(l, n);
		no_cert(l, n->slot, c->n_certs);
		return;
	}
	csig_req_value v;
	memset(&v, 0, sizeof(v));
	if (op == REQ_OP_CERT_FIELD) {
		const char *name = NULL;
		char buf[16];
		if (n->a.len > 8 && memcmp(n->a.ptr, "subject.", 8) == 0 && n->a.len - 8 < sizeof(buf)) {
			memcpy(buf, n->a.ptr + 8, n->a.len - 8);
			buf[n->a.len - 8] = '\0';
			for (size_t i = 0; i < CSIG_ARRAY_LEN(subject_names); i++)
				if (strcmp(buf, subject_names[i]) == 0)
					name = subject_names[i];
		} else if (n->a.len == 5 && memcmp(n->a.ptr, "email", 5) == 0) {
			name = "email";
		}
		if (!name) {
			expect_match(l, n);
			csig__req_sb_puts(&l->actual, "unrecognized certificate field");
			csig__req_sb_puts(&l->reason, "Apple's interpreter judges unknown certificate keys false");
			l->v = CSIG_REQ_NOT_SATISFIED;
			return;
		}
		size_t count = 0;
		for (size_t i = 0; k->subject && i < k->n_subject; i++)
			if (k->subject[i].name && strcmp(k->subject[i].name, name) == 0)
				count++;
		csig_req_value *items = NULL;
		if (count == 1 || count > 1) {
			items = csig__calloc_n(count, sizeof(*items));
			if (!items) {
				e->failed = CSIG_E_NOMEM;
				return;
			}
			size_t j = 0;
			for (size_t i = 0; i < k->n_subject; i++)
				if (k->subject[i].name && strcmp(k->subject[i].name, name) == 0) {
					items[j].type = CSIG_REQ_VAL_STRING;
					items[j].str = k->subject[i].value;
					items[j].len = k->subject[i].value ? k->subject[i].value_len : 0;
					j++;
				}
			if (count == 1) {
				v = items[0];
			} else {
				v.type = CSIG_REQ_VAL_ARRAY;
				v.items = items;
				v.n_items = count;
			}
		}
		judge_value(l, n, &v);
		csig__free(items);
		return;
	}
	if (op == REQ_OP_CERT_POLICY) {
		for (size_t i = 0; k->policies && i < k->n_policies; i++)
			if (k->policies[i].len == n->a.len && k->policies[i].ptr &&
			    memcmp(k->policies[i].ptr, n->a.ptr, n->a.len) == 0) {
				v.type = CSIG_REQ_VAL_BOOL;
				v.boolean = 1;
			}
		judge_value(l, n, &v);
		return;
	}
	const csig_req_ext *x = n->a.len ? cert_ext(k, n->a.ptr, n->a.len) : NULL;
	if (op == REQ_OP_CERT_GENERIC) {
		if (x) {
			v.type = CSIG_REQ_VAL_BOOL;
			v.boolean = 1;
		}
		judge_value(l, n, &v);
		return;
	}
	/* opCertFieldDate */
	if (x && !x->has_date) {
		expect_match(l, n);
		indeterminate(l, "the extension is present but its date value was not provided");
		return;
	}
	if (x) {
		v.type = CSIG_REQ_VAL_DATE;
		v.date = x->date;
	}
	judge_value(l, n, &v);
}

static csig_req_verdict eval(ev *e, uint32_t idx)
{
	const req_node *n = &e->q->nodes[idx];
	const csig_req_ctx *c = e->c;
	uint32_t op = n->op & ~REQ_OP_FLAG_MASK;
	switch (op) {
	case REQ_OP_AND: {
		csig_req_verdict a = eval(e, n->kid[0]);
		return v_and(a, eval(e, n->kid[1]));
	}
	case REQ_OP_OR: {
		csig_req_verdict a = eval(e, n->kid[0]);
		return v_or(a, eval(e, n->kid[1]));
	}
	case REQ_OP_NOT:
		return v_not(eval(e, n->kid[0]));
	default:
		break;
	}
	if (op >= REQ_OP_COUNT && !(n->op & REQ_OP_GENERIC_FALSE) && n->kid[0] != REQ_NO_KID)
		return eval(e, n->kid[0]);      /* GenericSkip: the next expression decides */

	leaf l;
	memset(&l, 0, sizeof(l));
	switch (op) {
	case REQ_OP_TRUE:
	case REQ_OP_FALSE:
		csig__req_sb_puts(&l.actual, op == REQ_OP_TRUE ? "true" : "false");
		csig__req_sb_puts(&l.expected, "true");
		l.v = v_bool(op == REQ_OP_TRUE);
		break;
	case REQ_OP_IDENT:
		if (c->identifier)
			show_string(&l.actual, (const uint8_t *)c->identifier, strlen(c->identifier));
		else
			csig__req_sb_puts(&l.actual, "absent");
		show_string(&l.expected, n->a.ptr, n->a.len);
		l.v = v_bool(c->identifier && strlen(c->identifier) == n->a.len &&
			     memcmp(c->identifier, n->a.ptr, n->a.len) == 0);
		break;
	case REQ_OP_CDHASH: {
		int hit = 0;
		for (size_t i = 0; c->cdhashes && i < c->n_cdhashes; i++) {
			if (i)
				csig__req_sb_puts(&l.actual, ", ");
			csig__req_sb_puts(&l.actual, "H\"");
			csig__req_sb_hex(&l.actual, c->cdhashes + 20 * i, 20);
			csig__req_sb_puts(&l.actual, "\"");
			if (n->a.len == 20 && memcmp(c->cdhashes + 20 * i, n->a.ptr, 20) == 0)
				hit = 1;
		}
		if (!c->cdhashes || !c->n_cdhashes)
			csig__req_sb_puts(&l.actual, "no cdhash");
		csig__req_sb_puts(&l.expected, "H\"");
		csig__req_sb_hex(&l.expected, n->a.ptr, n->a.len);
		csig__req_sb_puts(&l.expected, "\"");
		l.v = v_bool(hit);
		break;
	}
	case REQ_OP_PLATFORM:
		csig__req_sb_printf(&l.actual, "%u", c->platform);
		csig__req_sb_printf(&l.expected, "%d", (int)n->slot);
		l.v = v_bool((int64_t)c->platform == (int64_t)n->slot);
		break;
	case REQ_OP_APPLE_GENERIC_ANCHOR:
		csig__req_sb_puts(&l.expected, "anchor is an Apple root");
		if (!c->certs || c->n_certs == 0) {
			csig__req_sb_puts(&l.actual, "no certificates");
			l.v = CSIG_REQ_NOT_SATISFIED;
		} else {
			csig__req_sb_puts(&l.actual, c->anchor_is_apple ? "anchor is an Apple root"
					  : "anchor is not an Apple root");
			l.v = v_bool(c->anchor_is_apple);
		}
		break;
	case REQ_OP_APPLE_ANCHOR:
		eval_apple_anchor(c, &l);
		break;
	case REQ_OP_ANCHOR_HASH: {
		const csig_req_cert *k = cert_at(c, n->slot);
		csig__req_sb_puts(&l.expected, "H\"");
		csig__req_sb_hex(&l.expected, n->a.ptr, n->a.len);
		csig__req_sb_puts(&l.expected, "\"");
		if (!k) {
			no_cert(&l, n->slot, c->n_certs);
		} else if (!k->has_sha1) {
			indeterminate(&l, "the certificate's SHA-1 was not provided");
		} else {
			csig__req_sb_puts(&l.actual, "H\"");
			csig__req_sb_hex(&l.actual, k->sha1, 20);
			csig__req_sb_puts(&l.actual, "\"");
			l.v = v_bool(n->a.len == 20 && memcmp(k->sha1, n->a.ptr, 20) == 0);
		}
		break;
	}
	case REQ_OP_INFO_KEY_VALUE: {
		csig_req_value v = lookup(c->info, c->n_info, c->info_lookup, c->info_user, n->a);
		show_value(&l.actual, &v, 0);
		csig__req_sb_puts(&l.expected, "= ");
		show_string(&l.expected, n->b.ptr, n->b.len);
		l.v = v_bool(v.type == CSIG_REQ_VAL_STRING && v.len == n->b.len &&
			     (n->b.len == 0 || (v.str && memcmp(v.str, n->b.ptr, n->b.len) == 0)));
		break;
	}
	case REQ_OP_INFO_KEY_FIELD: {
		csig_req_value v = lookup(c->info, c->n_info, c->info_lookup, c->info_user, n->a);
		judge_value(&l, n, &v);
		break;
	}
	case REQ_OP_ENTITLEMENT_FIELD: {
		csig_req_value v = lookup(c->entitlements, c->n_entitlements,
					  c->entitlement_lookup, c->entitlement_user, n->a);
		judge_value(&l, n, &v);
		break;
	}
	case REQ_OP_CERT_FIELD: case REQ_OP_CERT_GENERIC:
	case REQ_OP_CERT_POLICY: case REQ_OP_CERT_FIELD_DATE:
		eval_cert(e, n, op, &l);
		break;
	case REQ_OP_TRUSTED_CERT:
	case REQ_OP_TRUSTED_CERTS:
		csig__req_sb_puts(&l.expected, "trusted by the system's trust settings");
		indeterminate(&l, "trust settings are not available offline");
		break;
	case REQ_OP_NAMED_ANCHOR:
		indeterminate(&l, "named anchors are read from Security.framework resources, which are not available");
		break;
	case REQ_OP_NAMED_CODE:
		indeterminate(&l, "named code requirements are not available");
		break;
	case REQ_OP_NOTARIZED:
		csig__req_sb_puts(&l.expected, "notarized");
		indeterminate(&l, "notarization needs a ticket lookup, which is not done offline");
		break;
	case REQ_OP_LEGACY_DEV_ID:
		indeterminate(&l, "the legacy Developer ID policy is not evaluated offline");
		break;
	default:
		csig__req_sb_printf(&l.actual, "unknown opcode %u", op);
		csig__req_sb_puts(&l.reason, "unknown opcode flagged GenericFalse evaluates false");
		l.v = CSIG_REQ_NOT_SATISFIED;
		break;
	}
	csig_req_verdict v = l.v;
	add_entry(e, idx, &l);
	return v;
}

int csig_req_eval(const csig_req *req, const csig_req_ctx *ctx,
		  csig_req_result **out, csig_error *err)
{
	if (out)
		*out = NULL;
	if (!req || !ctx || !out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "csig_req_eval: NULL argument");
	if (ctx->version != CSIG_REQ_CTX_VERSION)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0,
				 "csig_req_eval: unknown context version %u", ctx->version);
	csig_req_result *r = csig__calloc_n(1, sizeof(*r));
	if (!r)
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "csig_req_eval: out of memory");
	ev e = { req, ctx, r, 0 };
	size_t n;
	if (csig__req_node_text(req, 0, &r->text, &n))
		e.failed = CSIG_E_NOMEM;
	if (!e.failed && req->kind == CSIG_REQ_KIND_LWCR) {
		leaf l;
		memset(&l, 0, sizeof(l));
		indeterminate(&l, "lightweight code requirements are not evaluated");
		add_entry(&e, 0, &l);
		r->verdict = CSIG_REQ_INDETERMINATE;
	} else if (!e.failed) {
		r->verdict = eval(&e, 0);
	}
	if (e.failed) {
		csig_req_result_free(r);
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "csig_req_eval: out of memory");
	}
	*out = r;
	return CSIG_OK;
}

csig_req_verdict csig_req_result_verdict(const csig_req_result *r)
{
	return r ? r->verdict : CSIG_REQ_INDETERMINATE;
}

size_t csig_req_result_trace_count(const csig_req_result *r)
{
	return r ? r->n : 0;
}

const char *csig_req_result_trace_clause(const csig_req_result *r, size_t i)
{
	return r && i < r->n ? r->ents[i].clause : NULL;
}

const char *csig_req_result_trace_actual(const csig_req_result *r, size_t i)
{
	return r && i < r->n ? r->ents[i].actual : NULL;
}

const char *csig_req_result_trace_expected(const csig_req_result *r, size_t i)
{
	return r && i < r->n ? r->ents[i].expected : NULL;
}

const char *csig_req_result_trace_reason(const csig_req_result *r, size_t i)
{
	return r && i < r->n ? r->ents[i].reason : NULL;
}

csig_req_verdict csig_req_result_trace_verdict(const csig_req_result *r, size_t i)
{
	return r && i < r->n ? r->ents[i].verdict : CSIG_REQ_INDETERMINATE;
}

void csig_req_result_free(csig_req_result *r)
{
	if (!r)
		return;
	for (size_t i = 0; i < r->n; i++) {
		csig__free(r->ents[i].clause);
		csig__free(r->ents[i].actual);
		csig__free(r->ents[i].expected);
		csig__free(r->ents[i].reason);
	}
	csig__free(r->ents);
	csig__free(r->text);
	csig__free(r);
}

void csig__req_result_json(csig_json *j, const csig_req_result *r)
{
	json_obj_begin(j);
	json_kv_str(j, "verdict", verdict_id(r->verdict));
	json_key(j, "requirement");
	if (r->text)
		json_str(j, r->text);
	else
		json_null(j);
	json_key(j, "trace");
	json_arr_begin(j);
	for (size_t i = 0; i < r->n; i++) {
		const trace_ent *t = &r->ents[i];
		json_obj_begin(j);
		json_kv_str(j, "clause", t->clause);
		json_kv_str(j, "verdict", verdict_id(t->verdict));
		json_kv_str(j, "actual", t->actual);
		json_kv_str(j, "expected", t->expected);
		if (t->reason && t->reason[0])
			json_kv_str(j, "reason", t->reason);
		json_kv_u64(j, "offset", t->off);
		json_obj_end(j);
	}
	json_arr_end(j);
	json_obj_end(j);
}
