/*
 * req_text.c - the decompiler: requirement trees to the exact text Apple's
 * Security framework prints (reqdumper.cpp; FORMAT.md 3.4).  See csig/req.h.
 */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "req_int.h"

/* ---- text buffer -------------------------------------------------------- */

static int sb_grow(req_sb *sb, size_t extra)
{
	if (sb->failed)
		return -1;
	uint64_t need;
	if (csig_add_overflow(sb->len, extra, &need) ||
	    csig_add_overflow(need, 1, &need) || need > SIZE_MAX / 2) {
		sb->failed = CSIG_E_NOMEM;
		return -1;
	}
	if (need <= sb->cap)
		return 0;
	size_t ncap = sb->cap ? sb->cap : 64;
	while (ncap < need)
		ncap *= 2;
	char *np = csig__realloc(sb->p, ncap);
	if (!np) {
		sb->failed = CSIG_E_NOMEM;
		return -1;
	}
	sb->p = np;
	sb->cap = ncap;
	return 0;
}

void csig__req_sb_put(req_sb *sb, const char *s, size_t n)
{
	if (sb_grow(sb, n))
		return;
	if (n)
		memcpy(sb->p + sb->len, s, n);
	sb->len += n;
	sb->p[sb->len] = '\0';
}

void csig__req_sb_puts(req_sb *sb, const char *s)
{
	csig__req_sb_put(sb, s, strlen(s));
}

void csig__req_sb_printf(req_sb *sb, const char *fmt, ...)
{
	char buf[128];
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	if (n < 0) {
		sb->failed = CSIG_E_INVAL;
		return;
	}
	if ((size_t)n < sizeof(buf)) {
		csig__req_sb_put(sb, buf, (size_t)n);
		return;
	}
	if (sb_grow(sb, (size_t)n))
		return;
	va_start(ap, fmt);
	vsnprintf(sb->p + sb->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	sb->len += (size_t)n;
}

void csig__req_sb_hex(req_sb *sb, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	if (n > SIZE_MAX / 4 || sb_grow(sb, 2 * n))
		return;
	for (size_t i = 0; i < n; i++) {
		sb->p[sb->len++] = digits[p[i] >> 4];
		sb->p[sb->len++] = digits[p[i] & 15];
	}
	sb->p[sb->len] = '\0';
}

int csig__req_sb_finish(req_sb *sb, char **out, size_t *len)
{
	if (!sb->failed && !sb->p)
		csig__req_sb_put(sb, "", 0);
	if (sb->failed) {
		int code = sb->failed;
		csig__req_sb_discard(sb);
		return code;
	}
	*out = sb->p;
	if (len)
		*len = sb->len;
	sb->p = NULL;
	sb->len = sb->cap = 0;
	return CSIG_OK;
}

void csig__req_sb_discard(req_sb *sb)
{
	csig__free(sb->p);
	sb->p = NULL;
	sb->len = sb->cap = 0;
}

/* ---- values ------------------------------------------------------------- */

/* C-locale character classes, independent of the process locale. */
static int c_isdigit(unsigned c) { return c >= '0' && c <= '9'; }
static int c_isalnum(unsigned c)
{
	return c_isdigit(c) || (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z');
}
static int c_isgraph(unsigned c) { return c > 0x20 && c < 0x7f; }
static int c_isspace(unsigned c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

/* RequirementKeywords.h; the empty string is a keyword too. */
static const char keywords[][12] = {
	"guest", "host", "designated", "library", "plugin", "or", "and",
	"always", "true", "never", "false", "identifier", "cdhash", "platform",
	"notarized", "legacy", "anchor", "apple", "generic", "certificate",
	"cert", "trusted", "info", "entitlement", "exists", "absent", "leaf",
	"root", "timestamp", ""
};

static int is_keyword(const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < CSIG_ARRAY_LEN(keywords); i++)
		if (strlen(keywords[i]) == n && (n == 0 || memcmp(keywords[i], p, n) == 0))
			return 1;
	return 0;
}

void csig__req_text_data(req_sb *sb, csig_bytes d, int dot_ok)
{
	enum { SIMPLE, PRINTABLE, BINARY } mode = SIMPLE;
	for (size_t i = 0; i < d.len; i++) {
		unsigned c = d.ptr[i];
		if (c_isalnum(c) || (dot_ok && c == '.')) {
			if (i == 0 && c_isdigit(c))
				mode = PRINTABLE;
		} else if (c_isgraph(c) || c_isspace(c)) {
			mode = PRINTABLE;
		} else {
			mode = BINARY;
			break;
		}
	}
	if (mode == SIMPLE && is_keyword(d.ptr, d.len))
		mode = PRINTABLE;
	switch (mode) {
	case SIMPLE:
		csig__req_sb_put(sb, (const char *)d.ptr, d.len);
		break;
	case PRINTABLE:
		csig__req_sb_put(sb, "\"", 1);
		for (size_t i = 0; i < d.len; i++) {
			if (d.ptr[i] == '\\' || d.ptr[i] == '"')
				csig__req_sb_put(sb, "\\", 1);
			csig__req_sb_put(sb, (const char *)d.ptr + i, 1);
		}
		csig__req_sb_put(sb, "\"", 1);
		break;
	case BINARY:
		csig__req_sb_put(sb, "0x", 2);
		csig__req_sb_hex(sb, d.ptr, d.len);
		break;
	}
}

static void text_hash(req_sb *sb, csig_bytes d)
{
	csig__req_sb_put(sb, "H\"", 2);
	csig__req_sb_hex(sb, d.ptr, d.len);
	csig__req_sb_put(sb, "\"", 1);
}

/*
 * Base-128 arcs; the first subidentifier splits into two arcs.  Encodings
 * that would not re-encode to the same bytes (empty, non-minimal, cut off,
 * arcs beyond 64 bits) print as 0x<hex> so that the text still compiles to
 * the same bytes.
 */
void csig__req_text_oid(req_sb *sb, csig_bytes oid)
{
	int ok = oid.len > 0 && !(oid.ptr[oid.len - 1] & 0x80);
	for (size_t i = 0; ok && i < oid.len;) {
		if (oid.ptr[i] == 0x80)
			ok = 0;     /* non-minimal */
		size_t start = i;
		while (i < oid.len && (oid.ptr[i] & 0x80))
			i++;
		i++;
		if (i - start > 9 && !(i - start == 10 && oid.ptr[start] <= 0x81))
			ok = 0;     /* arc beyond 64 bits */
	}
	if (!ok) {
		csig__req_sb_put(sb, "0x", 2);
		csig__req_sb_hex(sb, oid.ptr, oid.len);
		return;
	}
	int first = 1;
	for (size_t i = 0; i < oid.len;) {
		uint64_t v = 0;
		while (oid.ptr[i] & 0x80)
			v = (v << 7) | (oid.ptr[i++] & 0x7f);
		v = (v << 7) | oid.ptr[i++];
		if (first) {
			uint64_t a = v < 80 ? v / 40 : 2;
			csig__req_sb_printf(sb, "%llu.%llu", (unsigned long long)a,
					    (unsigned long long)(v - 40 * a));
			first = 0;
		} else {
			csig__req_sb_printf(sb, ".%llu", (unsigned long long)v);
		}
	}
}

/* ---- dates: seconds since 2001-01-01 00:00:00 UTC ---------------------- */

#define DAYS_1970_TO_2001 11323

/* Days since 1970-01-01 of a proleptic Gregorian date. */
static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m + (m > 2 ? -3 : 9)) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = (int64_t)yoe + era * 400 + (*m <= 2);
}

/* Years 0000-9999 print as GeneralizedTime; anything else as "@seconds". */
void csig__req_text_date(req_sb *sb, int64_t ts)
{
	int64_t lo = (days_from_civil(0, 1, 1) - DAYS_1970_TO_2001) * 86400;
	int64_t hi = (days_from_civil(9999, 12, 31) - DAYS_1970_TO_2001) * 86400 + 86399;
	if (ts < lo || ts > hi) {
		csig__req_sb_printf(sb, "timestamp \"@%lld\"", (long long)ts);
		return;
	}
	int64_t days = ts / 86400, rem = ts % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	int64_t y;
	unsigned m, d;
	civil_from_days(days + DAYS_1970_TO_2001, &y, &m, &d);
	csig__req_sb_printf(sb, "timestamp \"%04lld%02u%02u%02u%02u%02uZ\"",
			    (long long)y, m, d, (unsigned)(rem / 3600),
			    (unsigned)(rem / 60 % 60), (unsigned)(rem % 60));
}

static int digits(const char *s, size_t n, unsigned *out)
{
	unsigned v = 0;
	for (size_t i = 0; i < n; i++) {
		if (!c_isdigit((unsigned char)s[i]))
			return -1;
		v = v * 10 + (unsigned)(s[i] - '0');
	}
	*out = v;
	return 0;
}

int csig__req_parse_date(const char *s, size_t n, int64_t *out)
{
	if (n >= 2 && s[0] == '@') {
		int neg = s[1] == '-';
		size_t i = neg ? 2 : 1;
		if (i >= n || n - i > 19)
			return -1;
		uint64_t v = 0;
		for (; i < n; i++) {
			if (!c_isdigit((unsigned char)s[i]))
				return -1;
			v = v * 10 + (uint64_t)(s[i] - '0');
		}
		if (v > (uint64_t)INT64_MAX + neg)
			return -1;
		*out = neg ? (int64_t)(0 - v) : (int64_t)v;
		return 0;
	}
	if (n == 15 && s[14] == 'Z')
		n = 14;
	if (n != 14)
		return -1;
	unsigned y, mo, d, h, mi, se;
	if (digits(s, 4, &y) || digits(s + 4, 2, &mo) || digits(s + 6, 2, &d) ||
	    digits(s + 8, 2, &h) || digits(s + 10, 2, &mi) || digits(s + 12, 2, &se))
		return -1;
	static const unsigned char mdays[12] = { 31, 29, 31, 30, 31, 30, 31, 31, 30, 31, 30, 31 };
	if (mo < 1 || mo > 12 || d < 1 || d > mdays[mo - 1] || h > 23 || mi > 59 || se > 59)
		return -1;
	int leap = (y % 4 == 0 && y % 100 != 0) || y % 400 == 0;
	if (mo == 2 && d == 29 && !leap)
		return -1;
	int64_t days = days_from_civil(y, mo, d) - DAYS_1970_TO_2001;
	*out = days * 86400 + h * 3600 + mi * 60 + se;
	return 0;
}

/* ---- expressions -------------------------------------------------------- */

enum { SL_PRIMARY = 0, SL_AND = 1, SL_OR = 2, SL_TOP = 3 };

static void text_slot(req_sb *sb, int32_t slot)
{
	if (slot == REQ_SLOT_ROOT)
		csig__req_sb_puts(sb, " root");
	else if (slot == REQ_SLOT_LEAF)
		csig__req_sb_puts(sb, " leaf");
	else
		csig__req_sb_printf(sb, " %d", (int)slot);
}

void csig__req_text_match(req_sb *sb, const req_node *n)
{
	static const char ops[][6] = {
		"", " = ", " ~ ", " = ", " = *", " < ", " > ", " <= ", " >= ",
		" = ", " < ", " > ", " <= ", " >= "
	};
	switch (n->mop) {
	case REQ_MATCH_EXISTS:
		csig__req_sb_puts(sb, " /* exists */");
		return;
	case REQ_MATCH_ABSENT:
		csig__req_sb_puts(sb, " absent ");
		return;
	case REQ_MATCH_EQUAL: case REQ_MATCH_CONTAINS: case REQ_MATCH_BEGINS:
	case REQ_MATCH_ENDS: case REQ_MATCH_LT: case REQ_MATCH_GT:
	case REQ_MATCH_LE: case REQ_MATCH_GE:
		csig__req_sb_puts(sb, ops[n->mop]);
		csig__req_text_data(sb, n->mval, 0);
		if (n->mop == REQ_MATCH_BEGINS)
			csig__req_sb_put(sb, "*", 1);
		return;
	case REQ_MATCH_ON: case REQ_MATCH_BEFORE: case REQ_MATCH_AFTER:
	case REQ_MATCH_ON_OR_BEFORE: case REQ_MATCH_ON_OR_AFTER:
		csig__req_sb_puts(sb, ops[n->mop]);
		csig__req_text_date(sb, n->ts);
		return;
	default:
		csig__req_sb_printf(sb, "MATCH OPCODE %u NOT UNDERSTOOD", n->mop);
		return;
	}
}

static void text_expr(req_sb *sb, const csig_req *q, uint32_t idx, int level)
{
	const req_node *n = &q->nodes[idx];
	uint32_t op = n->op & ~REQ_OP_FLAG_MASK;
	switch (op) {
	case REQ_OP_FALSE: csig__req_sb_puts(sb, "never"); break;
	case REQ_OP_TRUE: csig__req_sb_puts(sb, "always"); break;
	case REQ_OP_IDENT:
		csig__req_sb_puts(sb, "identifier ");
		csig__req_text_data(sb, n->a, 0);
		break;
	case REQ_OP_APPLE_ANCHOR: csig__req_sb_puts(sb, "anchor apple"); break;
	case REQ_OP_APPLE_GENERIC_ANCHOR: csig__req_sb_puts(sb, "anchor apple generic"); break;
	case REQ_OP_ANCHOR_HASH:
		csig__req_sb_puts(sb, "certificate");
		text_slot(sb, n->slot);
		csig__req_sb_puts(sb, " = ");
		text_hash(sb, n->a);
		break;
	case REQ_OP_INFO_KEY_VALUE:
		csig__req_sb_puts(sb, "info[");
		csig__req_text_data(sb, n->a, 1);
		csig__req_sb_puts(sb, "] = ");
		csig__req_text_data(sb, n->b, 0);
		break;
	case REQ_OP_AND:
	case REQ_OP_OR: {
		int mine = op == REQ_OP_AND ? SL_AND : SL_OR;
		if (level < mine)
			csig__req_sb_put(sb, "(", 1);
		text_expr(sb, q, n->kid[0], mine);
		csig__req_sb_puts(sb, op == REQ_OP_AND ? " and " : " or ");
		text_expr(sb, q, n->kid[1], mine);
		if (level < mine)
			csig__req_sb_put(sb, ")", 1);
		break;
	}
	case REQ_OP_CDHASH:
		csig__req_sb_puts(sb, "cdhash ");
		text_hash(sb, n->a);
		break;
	case REQ_OP_NOT:
		csig__req_sb_puts(sb, "! ");
		text_expr(sb, q, n->kid[0], SL_PRIMARY);
		break;
	case REQ_OP_INFO_KEY_FIELD:
	case REQ_OP_ENTITLEMENT_FIELD:
		csig__req_sb_puts(sb, op == REQ_OP_INFO_KEY_FIELD ? "info[" : "entitlement[");
		csig__req_text_data(sb, n->a, 1);
		csig__req_sb_puts(sb, "]");
		csig__req_text_match(sb, n);
		break;
	case REQ_OP_CERT_FIELD:
		csig__req_sb_puts(sb, "certificate");
		text_slot(sb, n->slot);
		csig__req_sb_puts(sb, "[");
		csig__req_text_data(sb, n->a, 1);
		csig__req_sb_puts(sb, "]");
		csig__req_text_match(sb, n);
		break;
	case REQ_OP_CERT_GENERIC:
	case REQ_OP_CERT_POLICY:
	case REQ_OP_CERT_FIELD_DATE:
		csig__req_sb_puts(sb, "certificate");
		text_slot(sb, n->slot);
		csig__req_sb_puts(sb, op == REQ_OP_CERT_GENERIC ? "[field." :
				  op == REQ_OP_CERT_POLICY ? "[policy." : "[timestamp.");
		csig__req_text_oid(sb, n->a);
		csig__req_sb_puts(sb, "]");
		csig__req_text_match(sb, n);
		break;
	case REQ_OP_TRUSTED_CERT:
		/* No space before "trusted": Apple's dumper prints "certificate leaftrusted". */
		csig__req_sb_puts(sb, "certificate");
		text_slot(sb, n->slot);
		csig__req_sb_puts(sb, "trusted");
		break;
	case REQ_OP_TRUSTED_CERTS: csig__req_sb_puts(sb, "anchor trusted"); break;
	case REQ_OP_NAMED_ANCHOR:
		csig__req_sb_puts(sb, "anchor apple ");
		csig__req_text_data(sb, n->a, 0);
		break;
	case REQ_OP_NAMED_CODE:
		csig__req_sb_puts(sb, "(");
		csig__req_text_data(sb, n->a, 0);
		csig__req_sb_puts(sb, ")");
		break;
	case REQ_OP_PLATFORM:
		csig__req_sb_printf(sb, "platform = %d", (int)n->slot);
		break;
	case REQ_OP_NOTARIZED: csig__req_sb_puts(sb, "notarized"); break;
	case REQ_OP_LEGACY_DEV_ID: csig__req_sb_puts(sb, "legacy"); break;
	default:
		/* Flagged unknown opcode (decoding rejects unflagged ones). */
		if (n->op & REQ_OP_GENERIC_FALSE) {
			csig__req_sb_printf(sb, " false /* opcode %u */", op);
		} else {
			csig__req_sb_printf(sb, " /* opcode %u */ ", op);
			if (n->kid[0] != REQ_NO_KID)
				text_expr(sb, q, n->kid[0], level);
		}
		break;
	}
}

static int req_text(const csig_req *q, uint32_t idx, req_sb *sb)
{
	if (q->kind == CSIG_REQ_KIND_LWCR) {
		csig__req_sb_printf(sb, "/* lightweight code requirement (%zu bytes of DER) */",
				    q->lwcr.len);
		return CSIG_OK;
	}
	size_t start = sb->len;
	text_expr(sb, q, idx, SL_TOP);
	/* Dumper::dump strips a leading space. */
	if (!sb->failed && sb->len > start && sb->p[start] == ' ') {
		memmove(sb->p + start, sb->p + start + 1, sb->len - start);
		sb->len--;
	}
	return sb->failed;
}

int csig__req_node_text(const csig_req *req, uint32_t idx, char **out, size_t *len)
{
	req_sb sb = { NULL, 0, 0, 0 };
	if (idx >= req->n_nodes && req->kind == CSIG_REQ_KIND_EXPR)
		return CSIG_E_INVAL;
	req_text(req, idx, &sb);
	return csig__req_sb_finish(&sb, out, len);
}

int csig_req_to_text(const csig_req *req, char **out, size_t *len,
		     csig_error *err)
{
	if (out)
		*out = NULL;
	if (!req || !out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "csig_req_to_text: NULL argument");
	int e = csig__req_node_text(req, 0, out, len);
	if (e)
		return CSIG_FAIL(err, e, 0, "csig_req_to_text: %s", csig_strerror(e));
	return CSIG_OK;
}

int csig_reqset_to_text(const csig_reqset *set, char **out, size_t *len,
			csig_error *err)
{
	if (out)
		*out = NULL;
	if (!set || !out)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "csig_reqset_to_text: NULL argument");
	req_sb sb = { NULL, 0, 0, 0 };
	for (size_t i = 0; i < set->count; i++) {
		const char *tn = csig_req_type_name(set->types[i]);
		if (tn)
			csig__req_sb_puts(&sb, tn);
		else
			csig__req_sb_printf(&sb, "/*unknown type*/ %u", set->types[i]);
		csig__req_sb_puts(&sb, " => ");
		req_text(set->reqs[i], 0, &sb);
		csig__req_sb_put(&sb, "\n", 1);
	}
	int e = csig__req_sb_finish(&sb, out, len);
	if (e)
		return CSIG_FAIL(err, e, 0, "csig_reqset_to_text: %s", csig_strerror(e));
	return CSIG_OK;
}
