/*
 * plist_xml.c - XML property-list reader, as Apple's CFPropertyList writes
 * and reads it.  See csig/plist.h.
 *
 * Accepted: XML declaration, DOCTYPE (internal subset skipped), comments and
 * processing instructions between elements, the predefined entities and
 * numeric character references, CDATA, base64 <data> with whitespace,
 * ISO 8601 <date>, decimal and 0x-hex <integer>, <real> (incl. nan/inf),
 * <true/> <false/>, empty-element forms, and a document without the
 * <plist> wrapper.  Whatever Apple's parsers could read differently is kept
 * as a finding rather than an error (csig_plist_finding).
 */
#include <math.h>
#include <stdlib.h>
#include <string.h>
#include "plist_int.h"

enum {
	T_UNKNOWN, T_PLIST, T_DICT, T_ARRAY, T_KEY, T_STRING, T_INTEGER,
	T_REAL, T_DATE, T_DATA, T_TRUE, T_FALSE
};

static const struct { char name[8]; int id; } tags[] = {
	{ "plist", T_PLIST }, { "dict", T_DICT }, { "array", T_ARRAY },
	{ "key", T_KEY }, { "string", T_STRING }, { "integer", T_INTEGER },
	{ "real", T_REAL }, { "date", T_DATE }, { "data", T_DATA },
	{ "true", T_TRUE }, { "false", T_FALSE },
};

typedef struct xtag {
	char name[24];      /* truncated name for messages */
	size_t nlen;        /* full name length */
	int id;             /* T_* */
	int close;          /* </name> */
	int empty;          /* <name/> */
	uint64_t off;       /* absolute offset of '<' */
} xtag;

typedef struct xp {
	csig_plist *d;
	csig_rd r;
	csig_error *err;
	uint8_t *tmp;       /* decoded text of the current element */
	size_t tlen, tcap;
} xp;

/* ---- low-level cursor helpers (all reads via rd) ---- */

static int peek(const xp *x, size_t k)
{
	csig_bytes b;
	if (k >= rd_left(&x->r))
		return -1;
	if (rd_view_at(&x->r, (uint64_t)x->r.pos + k, 1, &b))
		return -1;
	return b.ptr[0];
}

static int lit(const xp *x, const char *s)
{
	return rd_match(&x->r, x->r.pos, s, strlen(s)) == 0;
}

static void adv(xp *x, size_t n)
{
	if (n > rd_left(&x->r))
		n = rd_left(&x->r);
	x->r.pos += n;
}

static uint64_t here(const xp *x) { return rd_abs(&x->r); }

static int is_ws(int c) { return c == ' ' || c == '\t' || c == '\r' || c == '\n'; }

static int is_name(int c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') ||
	       (c >= '0' && c <= '9') || c == '_' || c == '-' || c == ':' || c == '.';
}

static int nomem(xp *x)
{
	return CSIG_FAIL(x->err, CSIG_E_NOMEM, here(x), "plist: out of memory");
}

static int finding(xp *x, int code, uint64_t off, const char *what)
{
	if (csig__plist_finding(x->d, code, off, "%s", what))
		return nomem(x);
	return CSIG_OK;
}

static int eof_in(xp *x, const char *what)
{
	return CSIG_FAIL(x->err, CSIG_E_SYNTAX, here(x),
			 "XML plist: input ends inside %s at 0x%llx", what,
			 (unsigned long long)here(x));
}

static int tmp_put(xp *x, const void *p, size_t n)
{
	if (n > x->tcap - x->tlen) {
		size_t cap = x->tcap ? x->tcap : 64;
		while (n > cap - x->tlen) {
			if (cap > SIZE_MAX / 2)
				return nomem(x);
			cap *= 2;
		}
		uint8_t *nb = csig__realloc(x->tmp, cap);
		if (!nb)
			return nomem(x);
		x->tmp = nb;
		x->tcap = cap;
	}
	memcpy(x->tmp + x->tlen, p, n);
	x->tlen += n;
	return CSIG_OK;
}

/* ---- comments, PIs, DOCTYPE ---- */

/* At "<!--": skip to "-->".  Odd forms that parsers split differently
 * (Psychic Paper: "<!--->", "--" inside) become findings. */
static int skip_comment(xp *x, int in_text)
{
	uint64_t start = here(x);
	adv(x, 4);
	int odd = lit(x, "->") || (lit(x, "-") && !lit(x, "-->"));
	int e;
	for (;;) {
		if (lit(x, "-->"))
			break;
		if (peek(x, 0) < 0)
			return eof_in(x, "a comment");
		if (lit(x, "--"))
			odd = 1;
		adv(x, 1);
	}
	adv(x, 3);
	if (odd && (e = finding(x, CSIG_PLIST_F_ODD_COMMENT, start,
				"comment with '-' at its edges or '--' inside; XML parsers disagree where it ends")))
		return e;
	if (in_text && (e = finding(x, CSIG_PLIST_F_COMMENT_IN_TEXT, start,
				    "comment inside element text; parsers differ on whether it is part of the text")))
		return e;
	return CSIG_OK;
}

static int skip_pi(xp *x, int in_text)
{
	uint64_t start = here(x);
	adv(x, 2);
	while (!lit(x, "?>")) {
		if (peek(x, 0) < 0)
			return eof_in(x, "a processing instruction");
		adv(x, 1);
	}
	adv(x, 2);
	if (in_text)
		return finding(x, CSIG_PLIST_F_COMMENT_IN_TEXT, start,
			       "processing instruction inside element text");
	return CSIG_OK;
}

/* Skip whitespace, comments and PIs between elements. */
static int skip_misc(xp *x)
{
	int e;
	for (;;) {
		int c = peek(x, 0);
		if (is_ws(c)) {
			adv(x, 1);
		} else if (lit(x, "<!--")) {
			if ((e = skip_comment(x, 0)))
				return e;
		} else if (lit(x, "<?")) {
			if ((e = skip_pi(x, 0)))
				return e;
		} else {
			return CSIG_OK;
		}
	}
}

static int skip_doctype(xp *x)
{
	int e, bracket = 0;
	uint64_t start = here(x);
	adv(x, 9);
	for (;;) {
		int c = peek(x, 0);
		if (c < 0)
			return eof_in(x, "the DOCTYPE");
		if (c == '"' || c == '\'') {
			adv(x, 1);
			while (peek(x, 0) != c) {
				if (peek(x, 0) < 0)
					return eof_in(x, "the DOCTYPE");
				adv(x, 1);
			}
		} else if (c == '[') {
			if (!bracket && (e = finding(x, CSIG_PLIST_F_NONCANONICAL, start,
						     "DOCTYPE with an internal subset (ignored)")))
				return e;
			bracket++;
		} else if (c == ']') {
			if (bracket)
				bracket--;
		} else if (c == '>' && !bracket) {
			adv(x, 1);
			return CSIG_OK;
		}
		adv(x, 1);
	}
}

/* The XML declaration: check the encoding it names. */
static int xml_decl(xp *x)
{
	uint64_t start = here(x);
	size_t p0 = x->r.pos;
	while (!lit(x, "?>")) {
		if (peek(x, 0) < 0)
			return eof_in(x, "the XML declaration");
		adv(x, 1);
	}
	size_t n = x->r.pos - p0;
	csig_bytes b;
	if (rd_view_at(&x->r, p0, n, &b))
		return CSIG_FAIL(x->err, CSIG_E_SYNTAX, start, "XML plist: bad declaration");
	adv(x, 2);
	/* find encoding="..." */
	for (size_t i = 0; i + 9 < n; i++) {
		if (memcmp(b.ptr + i, "encoding", 8) != 0)
			continue;
		size_t j = i + 8;
		while (j < n && (is_ws(b.ptr[j]) || b.ptr[j] == '='))
			j++;
		if (j >= n || (b.ptr[j] != '"' && b.ptr[j] != '\''))
			break;
		uint8_t q = b.ptr[j++];
		size_t k = j;
		while (k < n && b.ptr[k] != q)
			k++;
		size_t el = k - j;
		char enc[16] = { 0 };
		if (el < sizeof(enc))
			for (size_t m = 0; m < el; m++)
				enc[m] = (char)((b.ptr[j + m] >= 'a' && b.ptr[j + m] <= 'z') ?
						b.ptr[j + m] - 32 : b.ptr[j + m]);
		if (strcmp(enc, "UTF-8") != 0 && strcmp(enc, "UTF8") != 0) {
			if (csig__plist_finding(x->d, CSIG_PLIST_F_ENCODING, start,
						"XML declaration names encoding \"%.*s\"; read as UTF-8",
						(int)(el < 40 ? el : 40), (const char *)b.ptr + j))
				return nomem(x);
		}
		break;
	}
	return CSIG_OK;
}

/* ---- tags ---- */

static int read_tag(xp *x, xtag *t)
{
	int e;
	memset(t, 0, sizeof(*t));
	t->off = here(x);
	adv(x, 1); /* '<' */
	if (peek(x, 0) == '/') {
		t->close = 1;
		adv(x, 1);
	}
	if (is_ws(peek(x, 0))) {
		if ((e = finding(x, CSIG_PLIST_F_WHITESPACE, t->off,
				 "whitespace between '<' and the tag name")))
			return e;
		while (is_ws(peek(x, 0)))
			adv(x, 1);
	}
	while (is_name(peek(x, 0))) {
		if (t->nlen < sizeof(t->name) - 1)
			t->name[t->nlen] = (char)peek(x, 0);
		t->nlen++;
		adv(x, 1);
	}
	if (!t->nlen)
		return CSIG_FAIL(x->err, CSIG_E_SYNTAX, t->off,
				 "XML plist: expected a tag name at 0x%llx",
				 (unsigned long long)t->off);
	t->id = T_UNKNOWN;
	if (t->nlen < sizeof(t->name))
		for (size_t i = 0; i < CSIG_ARRAY_LEN(tags); i++)
			if (strcmp(t->name, tags[i].name) == 0)
				t->id = tags[i].id;
	int attrs = 0, trailing_ws = 0;
	for (;;) {
		int c = peek(x, 0);
		if (c < 0)
			return eof_in(x, "a tag");
		if (is_ws(c)) {
			trailing_ws = 1;
			adv(x, 1);
			continue;
		}
		if (c == '>') {
			adv(x, 1);
			break;
		}
		if (c == '/' && peek(x, 1) == '>' && !t->close) {
			t->empty = 1;
			adv(x, 2);
			break;
		}
		if (t->close || !is_name(c) || !trailing_ws)
			return CSIG_FAIL(x->err, CSIG_E_SYNTAX, here(x),
					 "XML plist: unexpected '%c' in tag <%s> at 0x%llx",
					 c >= 0x20 && c < 0x7f ? c : '?', t->name,
					 (unsigned long long)here(x));
		/* attribute name = "value" */
		while (is_name(peek(x, 0)))
			adv(x, 1);
		while (is_ws(peek(x, 0)))
			adv(x, 1);
		if (peek(x, 0) != '=')
			return CSIG_FAIL(x->err, CSIG_E_SYNTAX, here(x),
					 "XML plist: attribute without '=' in <%s> at 0x%llx",
					 t->name, (unsigned long long)here(x));
		adv(x, 1);
		while (is_ws(peek(x, 0)))
			adv(x, 1);
		int q = peek(x, 0);
		if (q != '"' && q != '\'')
			return CSIG_FAIL(x->err, CSIG_E_SYNTAX, here(x),
					 "XML plist: unquoted attribute value in <%s> at 0x%llx",
					 t->name, (unsigned long long)here(x));
		adv(x, 1);
		while (peek(x, 0) != q) {
			if (peek(x, 0) < 0)
				return eof_in(x, "an attribute value");
			adv(x, 1);
		}
		adv(x, 1);
		attrs = 1;
		trailing_ws = 0;
	}
	if (trailing_ws && (e = finding(x, CSIG_PLIST_F_WHITESPACE, t->off,
					"whitespace before the end of a tag")))
		return e;
	if (attrs && t->id != T_PLIST &&
	    (e = finding(x, CSIG_PLIST_F_ATTRIBUTE, t->off, "attribute on a plist element (ignored)")))
		return e;
	return CSIG_OK;
}

/* Skip an unknown element and everything inside it. */
static int skip_element(xp *x, const xtag *t, unsigned depth)
{
	int e;
	if (t->empty)
		return CSIG_OK;
	unsigned open = 1;
	while (open) {
		int c = peek(x, 0);
		if (c < 0)
			return eof_in(x, "an unknown element");
		if (c != '<') {
			adv(x, 1);
		} else if (lit(x, "<!--")) {
			if ((e = skip_comment(x, 0)))
				return e;
		} else if (lit(x, "<![CDATA[")) {
			while (!lit(x, "]]>")) {
				if (peek(x, 0) < 0)
					return eof_in(x, "CDATA");
				adv(x, 1);
			}
			adv(x, 3);
		} else if (lit(x, "<?")) {
			if ((e = skip_pi(x, 0)))
				return e;
		} else if (lit(x, "<!")) {
			adv(x, 2);
		} else {
			xtag in;
			if ((e = read_tag(x, &in)))
				return e;
			if (in.close)
				open--;
			else if (!in.empty && ++open + depth > x->d->max_depth)
				return CSIG_FAIL(x->err, CSIG_E_DEPTH, in.off,
						 "XML plist: nesting deeper than %u at 0x%llx",
						 x->d->max_depth, (unsigned long long)in.off);
		}
	}
	return CSIG_OK;
}

/* ---- text content ---- */

static int put_utf8(xp *x, uint32_t cp)
{
	uint8_t b[4];
	size_t n;
	if (cp < 0x80) { b[0] = (uint8_t)cp; n = 1; }
	else if (cp < 0x800) { b[0] = (uint8_t)(0xc0 | cp >> 6); b[1] = (uint8_t)(0x80 | (cp & 63)); n = 2; }
	else if (cp < 0x10000) {
		b[0] = (uint8_t)(0xe0 | cp >> 12); b[1] = (uint8_t)(0x80 | ((cp >> 6) & 63));
		b[2] = (uint8_t)(0x80 | (cp & 63)); n = 3;
	} else {
		b[0] = (uint8_t)(0xf0 | cp >> 18); b[1] = (uint8_t)(0x80 | ((cp >> 12) & 63));
		b[2] = (uint8_t)(0x80 | ((cp >> 6) & 63)); b[3] = (uint8_t)(0x80 | (cp & 63)); n = 4;
	}
	return tmp_put(x, b, n);
}

static int entity(xp *x)
{
	static const struct { char s[8]; char c; } ents[] = {
		{ "&lt;", '<' }, { "&gt;", '>' }, { "&amp;", '&' },
		{ "&quot;", '"' }, { "&apos;", '\'' },
	};
	uint64_t start = here(x);
	for (size_t i = 0; i < CSIG_ARRAY_LEN(ents); i++)
		if (lit(x, ents[i].s)) {
			adv(x, strlen(ents[i].s));
			return tmp_put(x, &ents[i].c, 1);
		}
	if (peek(x, 1) == '#') {
		int hex = peek(x, 2) == 'x' || peek(x, 2) == 'X';
		size_t k = hex ? 3 : 2, digits = 0;
		uint32_t cp = 0;
		for (;; k++) {
			int c = peek(x, k), dv;
			if (c >= '0' && c <= '9') dv = c - '0';
			else if (hex && c >= 'a' && c <= 'f') dv = c - 'a' + 10;
			else if (hex && c >= 'A' && c <= 'F') dv = c - 'A' + 10;
			else break;
			cp = cp * (hex ? 16u : 10u) + (uint32_t)dv;
			if (++digits > 8 || cp > 0x10ffff)
				break;
		}
		if (peek(x, k) == ';' && digits && digits <= 8 && cp && cp <= 0x10ffff &&
		    !(cp >= 0xd800 && cp <= 0xdfff)) {
			adv(x, k + 1);
			return put_utf8(x, cp);
		}
		return CSIG_FAIL(x->err, CSIG_E_BADVALUE, start,
				 "XML plist: bad character reference at 0x%llx",
				 (unsigned long long)start);
	}
	return CSIG_FAIL(x->err, CSIG_E_SYNTAX, start,
			 "XML plist: unknown entity at 0x%llx (only &lt; &gt; &amp; &quot; &apos; and &#...; exist)",
			 (unsigned long long)start);
}

/* Read the text of element t into x->tmp (entities resolved) up to </t>. */
static int read_text(xp *x, const xtag *t)
{
	int e;
	x->tlen = 0;
	if (t->empty)
		return CSIG_OK;
	for (;;) {
		int c = peek(x, 0);
		if (c < 0)
			return eof_in(x, t->name);
		if (c == '<') {
			if (lit(x, "</")) {
				xtag end;
				if ((e = read_tag(x, &end)))
					return e;
				if (end.id != t->id || end.nlen != t->nlen)
					return CSIG_FAIL(x->err, CSIG_E_SYNTAX, end.off,
							 "XML plist: <%s> at 0x%llx closed by </%s> at 0x%llx",
							 t->name, (unsigned long long)t->off,
							 end.name, (unsigned long long)end.off);
				return CSIG_OK;
			}
			if (lit(x, "<!--")) {
				if ((e = skip_comment(x, 1)))
					return e;
			} else if (lit(x, "<![CDATA[")) {
				adv(x, 9);
				while (!lit(x, "]]>")) {
					int b = peek(x, 0);
					if (b < 0)
						return eof_in(x, "CDATA");
					uint8_t ch = (uint8_t)b;
					if ((e = tmp_put(x, &ch, 1)))
						return e;
					adv(x, 1);
				}
				adv(x, 3);
			} else if (lit(x, "<?")) {
				if ((e = skip_pi(x, 1)))
					return e;
			} else {
				return CSIG_FAIL(x->err, CSIG_E_SYNTAX, here(x),
						 "XML plist: element inside <%s> at 0x%llx",
						 t->name, (unsigned long long)here(x));
			}
		} else if (c == '&') {
			if ((e = entity(x)))
				return e;
		} else {
			uint8_t ch = (uint8_t)c;
			if ((e = tmp_put(x, &ch, 1)))
				return e;
			adv(x, 1);
		}
	}
}

/* ---- scalar conversions ---- */

static void trim(const uint8_t *p, size_t n, size_t *a, size_t *b)
{
	size_t i = 0, j = n;
	while (i < j && is_ws(p[i]))
		i++;
	while (j > i && is_ws(p[j - 1]))
		j--;
	*a = i;
	*b = j;
}

static int conv_int(xp *x, const xtag *t, csig_pval *v)
{
	size_t i, end;
	trim(x->tmp, x->tlen, &i, &end);
	int neg = 0;
	if (i < end && (x->tmp[i] == '-' || x->tmp[i] == '+'))
		neg = x->tmp[i++] == '-';
	unsigned base = 10;
	if (end - i > 2 && x->tmp[i] == '0' && (x->tmp[i + 1] == 'x' || x->tmp[i + 1] == 'X')) {
		base = 16;
		i += 2;
	}
	if (i >= end)
		return CSIG_FAIL(x->err, CSIG_E_BADVALUE, t->off,
				 "XML plist: empty <integer> at 0x%llx", (unsigned long long)t->off);
	uint64_t m = 0;
	for (; i < end; i++) {
		uint8_t c = x->tmp[i];
		unsigned dv;
		if (c >= '0' && c <= '9') dv = c - '0';
		else if (base == 16 && c >= 'a' && c <= 'f') dv = c - 'a' + 10u;
		else if (base == 16 && c >= 'A' && c <= 'F') dv = c - 'A' + 10u;
		else
			return CSIG_FAIL(x->err, CSIG_E_BADVALUE, t->off,
					 "XML plist: <integer> at 0x%llx has a bad digit",
					 (unsigned long long)t->off);
		if (csig_mul_overflow(m, base, &m) || csig_add_overflow(m, dv, &m))
			return CSIG_FAIL(x->err, CSIG_E_OVERFLOW, t->off,
					 "XML plist: <integer> at 0x%llx exceeds 64 bits",
					 (unsigned long long)t->off);
	}
	if (neg) {
		if (m > (uint64_t)INT64_MAX + 1)
			return CSIG_FAIL(x->err, CSIG_E_OVERFLOW, t->off,
					 "XML plist: <integer> at 0x%llx below INT64_MIN",
					 (unsigned long long)t->off);
		v->num.i = m == (uint64_t)INT64_MAX + 1 ? INT64_MIN : -(int64_t)m;
	} else {
		v->num.u = m;
		if (m > INT64_MAX)
			v->flags |= PV_F_UNSIGNED;
	}
	return CSIG_OK;
}

static int conv_real(xp *x, const xtag *t, csig_pval *v)
{
	size_t i, end;
	char buf[80];
	trim(x->tmp, x->tlen, &i, &end);
	if (end == i || end - i >= sizeof(buf))
		return CSIG_FAIL(x->err, CSIG_E_BADVALUE, t->off,
				 "XML plist: <real> at 0x%llx is empty or too long",
				 (unsigned long long)t->off);
	memcpy(buf, x->tmp + i, end - i);
	buf[end - i] = '\0';
	for (size_t k = 0; buf[k]; k++)
		if (!((buf[k] >= '0' && buf[k] <= '9') || strchr("+-.eEinfatyINFATY", buf[k])))
			return CSIG_FAIL(x->err, CSIG_E_BADVALUE, t->off,
					 "XML plist: <real> at 0x%llx is not a number",
					 (unsigned long long)t->off);
	char *ep = NULL;
	double dv = strtod(buf, &ep);
	if (!ep || *ep)
		return CSIG_FAIL(x->err, CSIG_E_BADVALUE, t->off,
				 "XML plist: <real> at 0x%llx is not a number",
				 (unsigned long long)t->off);
	v->num.d = dv;
	return CSIG_OK;
}

static int64_t days_from_civil(int64_t y, unsigned m, unsigned d)
{
	y -= m <= 2;
	int64_t era = (y >= 0 ? y : y - 399) / 400;
	unsigned yoe = (unsigned)(y - era * 400);
	unsigned doy = (153 * (m > 2 ? m - 3 : m + 9) + 2) / 5 + d - 1;
	unsigned doe = yoe * 365 + yoe / 4 - yoe / 100 + doy;
	return era * 146097 + (int64_t)doe - 719468;
}

static int conv_date(xp *x, const xtag *t, csig_pval *v)
{
	size_t i, end;
	trim(x->tmp, x->tlen, &i, &end);
	/* YYYY-MM-DDTHH:MM:SSZ */
	static const char shape[] = "dddd-dd-ddTdd:dd:ddZ";
	unsigned f[6] = { 0 };
	int bad = end - i != 20;
	for (size_t k = 0; !bad && k < 20; k++) {
		uint8_t c = x->tmp[i + k];
		if (shape[k] == 'd') {
			if (c < '0' || c > '9')
				bad = 1;
		} else if (c != (uint8_t)shape[k]) {
			bad = 1;
		}
	}
	if (!bad) {
		static const size_t pos[6] = { 0, 5, 8, 11, 14, 17 };
		for (int k = 0; k < 6; k++) {
			size_t w = k == 0 ? 4 : 2;
			for (size_t q = 0; q < w; q++)
				f[k] = f[k] * 10 + (unsigned)(x->tmp[i + pos[k] + q] - '0');
		}
		if (f[1] < 1 || f[1] > 12 || f[2] < 1 || f[2] > 31 || f[3] > 23 ||
		    f[4] > 59 || f[5] > 60)
			bad = 1;
	}
	if (bad)
		return CSIG_FAIL(x->err, CSIG_E_BADVALUE, t->off,
				 "XML plist: <date> at 0x%llx is not YYYY-MM-DDTHH:MM:SSZ",
				 (unsigned long long)t->off);
	int64_t days = days_from_civil(f[0], f[1], f[2]);
	v->num.d = (double)(days * 86400 + f[3] * 3600 + f[4] * 60 + f[5]);
	return CSIG_OK;
}

static int b64v(uint8_t c)
{
	if (c >= 'A' && c <= 'Z') return c - 'A';
	if (c >= 'a' && c <= 'z') return c - 'a' + 26;
	if (c >= '0' && c <= '9') return c - '0' + 52;
	if (c == '+') return 62;
	if (c == '/') return 63;
	return -1;
}

/* Decode base64 in place in x->tmp, skipping whitespace like CF does. */
static int conv_data(xp *x, const xtag *t)
{
	size_t o = 0, nbits = 0;
	uint32_t acc = 0;
	int odd = 0, pad = 0;
	for (size_t i = 0; i < x->tlen; i++) {
		uint8_t c = x->tmp[i];
		int dv = b64v(c);
		if (dv < 0) {
			if (c == '=')
				pad = 1;
			else if (!is_ws(c))
				odd = 1;
			continue;
		}
		if (pad)
			odd = 1;
		acc = (acc << 6) | (uint32_t)dv;
		nbits += 6;
		if (nbits >= 8) {
			nbits -= 8;
			x->tmp[o++] = (uint8_t)(acc >> nbits);
			acc &= (1u << nbits) - 1;
		}
	}
	x->tlen = o;
	if (odd && csig__plist_finding(x->d, CSIG_PLIST_F_NONCANONICAL, t->off,
				       "<data> at 0x%llx holds characters that are not base64 (skipped)",
				       (unsigned long long)t->off))
		return nomem(x);
	return CSIG_OK;
}

/* ---- values ---- */

static int parse_value(xp *x, const xtag *t, unsigned depth, const csig_pval **out);

static int text_node(xp *x, const xtag *t, int type, const csig_pval **out)
{
	csig_pval *v;
	int e = read_text(x, t);
	if (!e)
		e = csig__plist_node(x->d, type, t->off, &v, x->err);
	if (e)
		return e;
	size_t bad = type == CSIG_PVAL_STRING ? csig__utf8_check(x->tmp, x->tlen) : 0;
	if (bad && csig__plist_finding(x->d, CSIG_PLIST_F_BAD_UTF8, t->off,
				       "<%s> at 0x%llx: invalid or overlong UTF-8 at text byte %zu",
				       t->name, (unsigned long long)t->off, bad - 1))
		return nomem(x);
	v->str = csig__plist_strdup(x->d, x->tmp, x->tlen);
	if (!v->str)
		return nomem(x);
	v->len = x->tlen;
	*out = v;
	return CSIG_OK;
}

static int container(xp *x, const xtag *t, unsigned depth, const csig_pval **out)
{
	int is_dict = t->id == T_DICT, e;
	csig_pval *v;
	if ((e = csig__plist_node(x->d, is_dict ? CSIG_PVAL_DICT : CSIG_PVAL_ARRAY,
				  t->off, &v, x->err)))
		return e;
	*out = v;
	if (t->empty)
		return CSIG_OK;
	plist_vec kids = { NULL, 0, 0 };
	int want_key = 1;
	for (;;) {
		if ((e = skip_misc(x)))
			break;
		int c = peek(x, 0);
		if (c < 0) {
			e = eof_in(x, t->name);
			break;
		}
		if (c != '<') {
			e = CSIG_FAIL(x->err, CSIG_E_SYNTAX, here(x),
				      "XML plist: stray text inside <%s> at 0x%llx",
				      t->name, (unsigned long long)here(x));
			break;
		}
		xtag in;
		if ((e = read_tag(x, &in)))
			break;
		if (in.close) {
			if (in.id != t->id)
				e = CSIG_FAIL(x->err, CSIG_E_SYNTAX, in.off,
					      "XML plist: <%s> at 0x%llx closed by </%s> at 0x%llx",
					      t->name, (unsigned long long)t->off, in.name,
					      (unsigned long long)in.off);
			else if (is_dict && !want_key)
				e = CSIG_FAIL(x->err, CSIG_E_SYNTAX, in.off,
					      "XML plist: <key> without a value before </dict> at 0x%llx",
					      (unsigned long long)in.off);
			break;
		}
		if (in.id == T_UNKNOWN || in.id == T_PLIST) {
			if ((e = csig__plist_finding(x->d, CSIG_PLIST_F_UNKNOWN_TAG, in.off,
						     "unknown element <%s> at 0x%llx skipped",
						     in.name, (unsigned long long)in.off))) {
				e = nomem(x);
				break;
			}
			if ((e = skip_element(x, &in, depth)))
				break;
			continue;
		}
		const csig_pval *kid;
		if (is_dict && want_key) {
			if (in.id != T_KEY) {
				e = CSIG_FAIL(x->err, CSIG_E_SYNTAX, in.off,
					      "XML plist: <%s> where a <key> belongs in <dict> at 0x%llx",
					      in.name, (unsigned long long)in.off);
				break;
			}
			e = text_node(x, &in, CSIG_PVAL_STRING, &kid);
		} else {
			e = parse_value(x, &in, depth + 1, &kid);
		}
		if (e)
			break;
		if (csig__vec_push(&kids, kid)) {
			e = nomem(x);
			break;
		}
		want_key = !want_key;
	}
	if (!e)
		e = csig__plist_container(x->d, v, &kids, x->err);
	csig__vec_free(&kids);
	return e;
}

static int parse_value(xp *x, const xtag *t, unsigned depth, const csig_pval **out)
{
	int e;
	csig_pval *v;
	if (depth > x->d->max_depth)
		return CSIG_FAIL(x->err, CSIG_E_DEPTH, t->off,
				 "XML plist: nesting deeper than %u at 0x%llx",
				 x->d->max_depth, (unsigned long long)t->off);
	switch (t->id) {
	case T_DICT:
	case T_ARRAY:
		return container(x, t, depth, out);
	case T_STRING:
		return text_node(x, t, CSIG_PVAL_STRING, out);
	case T_KEY:
		return CSIG_FAIL(x->err, CSIG_E_SYNTAX, t->off,
				 "XML plist: <key> outside a <dict> at 0x%llx",
				 (unsigned long long)t->off);
	case T_DATA:
		if ((e = read_text(x, t)) || (e = conv_data(x, t)) ||
		    (e = csig__plist_node(x->d, CSIG_PVAL_DATA, t->off, &v, x->err)))
			return e;
		v->str = csig__plist_strdup(x->d, x->tmp, x->tlen);
		if (!v->str)
			return nomem(x);
		v->len = x->tlen;
		*out = v;
		return CSIG_OK;
	case T_INTEGER:
	case T_REAL:
	case T_DATE: {
		int type = t->id == T_INTEGER ? CSIG_PVAL_INTEGER :
			   t->id == T_REAL ? CSIG_PVAL_REAL : CSIG_PVAL_DATE;
		if ((e = read_text(x, t)) ||
		    (e = csig__plist_node(x->d, type, t->off, &v, x->err)))
			return e;
		e = t->id == T_INTEGER ? conv_int(x, t, v) :
		    t->id == T_REAL ? conv_real(x, t, v) : conv_date(x, t, v);
		if (!e)
			*out = v;
		return e;
	}
	case T_TRUE:
	case T_FALSE:
		if ((e = read_text(x, t)))
			return e;
		if (x->tlen)
			return CSIG_FAIL(x->err, CSIG_E_SYNTAX, t->off,
					 "XML plist: <%s> at 0x%llx must be empty",
					 t->name, (unsigned long long)t->off);
		if ((e = csig__plist_node(x->d, CSIG_PVAL_BOOL, t->off, &v, x->err)))
			return e;
		v->num.i = t->id == T_TRUE;
		*out = v;
		return CSIG_OK;
	default:
		return CSIG_FAIL(x->err, CSIG_E_SYNTAX, t->off,
				 "XML plist: unexpected <%s> at 0x%llx", t->name,
				 (unsigned long long)t->off);
	}
}

/* Read the next element that is a value, skipping unknown ones. */
static int next_value_tag(xp *x, xtag *t, unsigned depth)
{
	int e;
	for (;;) {
		if ((e = skip_misc(x)))
			return e;
		if (peek(x, 0) < 0)
			return eof_in(x, "the document (no value)");
		if (peek(x, 0) != '<')
			return CSIG_FAIL(x->err, CSIG_E_SYNTAX, here(x),
					 "XML plist: text where an element belongs at 0x%llx",
					 (unsigned long long)here(x));
		if (lit(x, "<!DOCTYPE") || lit(x, "<!doctype"))
			return CSIG_FAIL(x->err, CSIG_E_SYNTAX, here(x),
					 "XML plist: misplaced DOCTYPE at 0x%llx",
					 (unsigned long long)here(x));
		if ((e = read_tag(x, t)))
			return e;
		if (t->close)
			return CSIG_FAIL(x->err, CSIG_E_SYNTAX, t->off,
					 "XML plist: unexpected </%s> at 0x%llx", t->name,
					 (unsigned long long)t->off);
		if (t->id != T_UNKNOWN)
			return CSIG_OK;
		if (csig__plist_finding(x->d, CSIG_PLIST_F_UNKNOWN_TAG, t->off,
					"unknown element <%s> at 0x%llx skipped", t->name,
					(unsigned long long)t->off))
			return nomem(x);
		if ((e = skip_element(x, t, depth)))
			return e;
	}
}

static int document(xp *x)
{
	int e;
	if (lit(x, "\xef\xbb\xbf")) {
		if ((e = finding(x, CSIG_PLIST_F_BOM, here(x), "UTF-8 byte-order mark before the XML")))
			return e;
		adv(x, 3);
	}
	while (is_ws(peek(x, 0)))
		adv(x, 1);
	if (lit(x, "<?xml") && (is_ws(peek(x, 5)) || peek(x, 5) == '?')) {
		if ((e = xml_decl(x)))
			return e;
	}
	for (;;) {
		if ((e = skip_misc(x)))
			return e;
		if (lit(x, "<!DOCTYPE") || lit(x, "<!doctype")) {
			if ((e = skip_doctype(x)))
				return e;
			continue;
		}
		break;
	}
	xtag t;
	if ((e = next_value_tag(x, &t, 1)))
		return e;
	if (t.id == T_PLIST) {
		if (t.empty)
			return CSIG_FAIL(x->err, CSIG_E_SYNTAX, t.off,
					 "XML plist: empty <plist/> holds no value");
		xtag v;
		if ((e = next_value_tag(x, &v, 1)))
			return e;
		if (v.id == T_PLIST)
			return CSIG_FAIL(x->err, CSIG_E_SYNTAX, v.off,
					 "XML plist: nested <plist> at 0x%llx",
					 (unsigned long long)v.off);
		if ((e = parse_value(x, &v, 1, &x->d->root)))
			return e;
		if ((e = skip_misc(x)))
			return e;
		xtag end;
		if (peek(x, 0) != '<' || lit(x, "<!"))
			return peek(x, 0) < 0 ? eof_in(x, "<plist>") :
			       CSIG_FAIL(x->err, CSIG_E_SYNTAX, here(x),
					 "XML plist: expected </plist> at 0x%llx",
					 (unsigned long long)here(x));
		if ((e = read_tag(x, &end)))
			return e;
		if (!end.close || end.id != T_PLIST)
			return CSIG_FAIL(x->err, CSIG_E_SYNTAX, end.off,
					 "XML plist: <plist> holds more than one value (<%s> at 0x%llx)",
					 end.name, (unsigned long long)end.off);
	} else {
		if ((e = parse_value(x, &t, 1, &x->d->root)))
			return e;
	}
	if ((e = skip_misc(x)))
		return e;
	if (peek(x, 0) >= 0)
		return finding(x, CSIG_PLIST_F_TRAILING, here(x),
			       "content after the end of the property list (ignored)");
	return CSIG_OK;
}

int csig__plist_parse_xml(csig_plist *d, csig_error *err)
{
	xp x;
	memset(&x, 0, sizeof(x));
	x.d = d;
	x.err = err;
	rd_init(&x.r, d->src, d->src_len, d->base, "XML plist", err);
	int e = document(&x);
	csig__free(x.tmp);
	return e;
}
