/*
 * req_compile.c - the requirement compiler: a lexer and recursive-descent
 * parser for Apple's requirement language (requirements.grammar; FORMAT.md
 * 3.5) that emits Apple's binary form the way Requirement::Maker does,
 * including left-associated and/or chains.  See csig/req.h.
 */
#include <stdio.h>
#include <string.h>
#include "req_int.h"

#define TEXT_MAX (1u << 20)

enum tok_type {
	T_EOF, T_ARROW, T_LPAREN, T_RPAREN, T_LBRACK, T_RBRACK, T_NOT, T_EQL,
	T_EQQL, T_STAR, T_SUBS, T_LESS, T_GT, T_LE, T_GE, T_NEG, T_SEMI, T_COMMA,
	T_HASH, T_HEX, T_DOTKEY, T_STRING, T_INTEGER, T_KW
};

/* Keyword literals; K_* index this table. */
static const char kw_names[][12] = {
	"guest", "host", "designated", "library", "plugin", "or", "and",
	"always", "true", "never", "false", "identifier", "cdhash", "platform",
	"notarized", "legacy", "anchor", "apple", "generic", "certificate",
	"cert", "trusted", "info", "entitlement", "exists", "absent", "leaf",
	"root", "timestamp"
};
enum {
	K_GUEST, K_HOST, K_DESIGNATED, K_LIBRARY, K_PLUGIN, K_OR, K_AND,
	K_ALWAYS, K_TRUE, K_NEVER, K_FALSE, K_IDENTIFIER, K_CDHASH, K_PLATFORM,
	K_NOTARIZED, K_LEGACY, K_ANCHOR, K_APPLE, K_GENERIC, K_CERTIFICATE,
	K_CERT, K_TRUSTED, K_INFO, K_ENTITLEMENT, K_EXISTS, K_ABSENT, K_LEAF,
	K_ROOT, K_TIMESTAMP
};

typedef struct tok {
	int type;
	int kw;          /* T_KW: K_* */
	size_t pos;      /* offset of the token in the text */
	size_t start;    /* content: inside quotes / after H" or 0x */
	size_t len;
} tok;

typedef struct buf {
	uint8_t *p;
	size_t len, cap;
} buf;

typedef struct parser {
	const char *s;
	size_t n;
	size_t cursor;   /* lexer position after the lookahead */
	tok la[2];
	int nla;
	unsigned nest;
	buf out;
	csig_error *err;
} parser;

/* ---- errors ------------------------------------------------------------- */

static int syntax(parser *p, size_t at, const char *what)
{
	unsigned line = 1, col = 1;
	for (size_t i = 0; i < at && i < p->n; i++) {
		if (p->s[i] == '\n') {
			line++;
			col = 1;
		} else {
			col++;
		}
	}
	return CSIG_FAIL(p->err, CSIG_E_SYNTAX, at,
			 "requirement text: line %u, column %u: %s", line, col, what);
}

static int nomem(parser *p)
{
	return CSIG_FAIL(p->err, CSIG_E_NOMEM, 0, "requirement compiler: out of memory");
}

/* ---- lexer -------------------------------------------------------------- */

static int is_digit(int c) { return c >= '0' && c <= '9'; }
static int is_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static int is_hex(int c) { return is_digit(c) || (c >= 'a' && c <= 'f') || (c >= 'A' && c <= 'F'); }
static int is_space(int c) { return c == ' ' || (c >= '\t' && c <= '\r'); }

static int lex(parser *p, tok *t)
{
	const char *s = p->s;
	size_t n = p->n, i = p->cursor;
	for (;;) {
		while (i < n && is_space((unsigned char)s[i]))
			i++;
		if (i + 1 < n && s[i] == '/' && s[i + 1] == '*') {
			size_t at = i;
			i += 2;
			while (i + 1 < n && !(s[i] == '*' && s[i + 1] == '/'))
				i++;
			if (i + 1 >= n)
				return syntax(p, at, "unterminated /* comment");
			i += 2;
			continue;
		}
		if ((i + 1 < n && s[i] == '/' && s[i + 1] == '/') || (i < n && s[i] == '#')) {
			while (i < n && s[i] != '\n')
				i++;
			continue;
		}
		break;
	}
	memset(t, 0, sizeof(*t));
	t->pos = i;
	if (i >= n) {
		t->type = T_EOF;
		p->cursor = i;
		return CSIG_OK;
	}
	int c = (unsigned char)s[i];
	int c1 = i + 1 < n ? (unsigned char)s[i + 1] : -1;
	size_t len = 1;
	switch (c) {
	case '=':
		t->type = c1 == '>' ? T_ARROW : c1 == '=' ? T_EQQL : T_EQL;
		len = t->type == T_EQL ? 1 : 2;
		break;
	case '<': t->type = c1 == '=' ? T_LE : T_LESS; len = c1 == '=' ? 2 : 1; break;
	case '>': t->type = c1 == '=' ? T_GE : T_GT; len = c1 == '=' ? 2 : 1; break;
	case '!': t->type = T_NOT; break;
	case '(': t->type = T_LPAREN; break;
	case ')': t->type = T_RPAREN; break;
	case '[': t->type = T_LBRACK; break;
	case ']': t->type = T_RBRACK; break;
	case '*': t->type = T_STAR; break;
	case '~': t->type = T_SUBS; break;
	case ';': t->type = T_SEMI; break;
	case ',': t->type = T_COMMA; break;
	case '-': t->type = T_NEG; break;
	case '"': {
		size_t j = i + 1;
		for (;;) {
			if (j >= n)
				return syntax(p, i, "unterminated string");
			if (s[j] == '"')
				break;
			if (s[j] == '\\') {
				if (j + 1 >= n || (s[j + 1] != '"' && s[j + 1] != '\\'))
					return syntax(p, j, "only \\\" and \\\\ escapes are allowed in strings");
				j++;
			}
			j++;
		}
		t->type = T_STRING;
		t->start = i + 1;
		t->len = j - (i + 1);
		len = j + 1 - i;
		break;
	}
	case '/':
		return syntax(p, i, "certificate file paths are not supported");
	default:
		if (c == 'H' && c1 == '"') {
			size_t j = i + 2;
			while (j < n && is_hex((unsigned char)s[j]))
				j++;
			if (j >= n || s[j] != '"')
				return syntax(p, j, "hash constant H\"...\" holds a non-hex character or is unterminated");
			if ((j - (i + 2)) & 1)
				return syntax(p, i, "hash constant has an odd number of hex digits");
			t->type = T_HASH;
			t->start = i + 2;
			t->len = j - (i + 2);
			len = j + 1 - i;
		} else if (c == '0' && (c1 == 'x' || c1 == 'X')) {
			size_t j = i + 2;
			while (j < n && is_hex((unsigned char)s[j]))
				j++;
			if (j == i + 2 || ((j - (i + 2)) & 1))
				return syntax(p, i, "hex constant needs an even, non-zero number of digits");
			t->type = T_HEX;
			t->start = i + 2;
			t->len = j - (i + 2);
			len = j - i;
		} else if (is_digit(c)) {
			/* Digits, or (lenient) a digit-leading name such as a team id. */
			size_t j = i;
			int name = 0;
			while (j < n && (is_alpha((unsigned char)s[j]) ||
					 is_digit((unsigned char)s[j]) || s[j] == '.')) {
				if (!is_digit((unsigned char)s[j]))
					name = 1;
				j++;
			}
			t->type = name ? T_DOTKEY : T_INTEGER;
			t->start = i;
			t->len = j - i;
			len = j - i;
		} else if (is_alpha(c) || c == '.') {
			size_t j = i;
			while (j < n && (is_alpha((unsigned char)s[j]) ||
					 is_digit((unsigned char)s[j]) || s[j] == '.'))
				j++;
			t->type = T_DOTKEY;
			t->start = i;
			t->len = j - i;
			len = j - i;
			for (size_t k = 0; k < CSIG_ARRAY_LEN(kw_names); k++)
				if (strlen(kw_names[k]) == t->len &&
				    memcmp(kw_names[k], s + i, t->len) == 0) {
					t->type = T_KW;
					t->kw = (int)k;
					break;
				}
		} else {
			return syntax(p, i, "unexpected character");
		}
	}
	if (t->type != T_STRING && t->type != T_HASH && t->type != T_HEX &&
	    t->type != T_INTEGER && t->type != T_DOTKEY && t->type != T_KW) {
		t->start = i;
		t->len = len;
	}
	p->cursor = i + len;
	return CSIG_OK;
}

/* Lookahead k (0 or 1). */
static int peek(parser *p, int k, tok **out)
{
	while (p->nla <= k) {
		int e = lex(p, &p->la[p->nla]);
		if (e)
			return e;
		p->nla++;
	}
	*out = &p->la[k];
	return CSIG_OK;
}

static void advance(parser *p)
{
	if (p->nla > 0) {
		p->la[0] = p->la[1];
		p->nla--;
	}
}

static int is_kw(const tok *t, int kw) { return t->type == T_KW && t->kw == kw; }

/* ---- output ------------------------------------------------------------- */

static int out_reserve(parser *p, size_t extra)
{
	uint64_t need;
	if (csig_add_overflow(p->out.len, extra, &need) || need > SIZE_MAX / 2)
		return nomem(p);
	if (need <= p->out.cap)
		return CSIG_OK;
	size_t ncap = p->out.cap ? p->out.cap : 256;
	while (ncap < need)
		ncap *= 2;
	uint8_t *np = csig__realloc(p->out.p, ncap);
	if (!np)
		return nomem(p);
	p->out.p = np;
	p->out.cap = ncap;
	return CSIG_OK;
}

static void be32(uint8_t *b, uint32_t v)
{
	b[0] = (uint8_t)(v >> 24);
	b[1] = (uint8_t)(v >> 16);
	b[2] = (uint8_t)(v >> 8);
	b[3] = (uint8_t)v;
}

static int put_u32(parser *p, uint32_t v)
{
	int e = out_reserve(p, 4);
	if (!e) {
		be32(p->out.p + p->out.len, v);
		p->out.len += 4;
	}
	return e;
}

static int put_i64(parser *p, int64_t v)
{
	int e = put_u32(p, (uint32_t)((uint64_t)v >> 32));
	return e ? e : put_u32(p, (uint32_t)(uint64_t)v);
}

/* Maker::insert: put an opcode in front of what was emitted since label. */
static int insert_u32(parser *p, size_t label, uint32_t v)
{
	int e = out_reserve(p, 4);
	if (e)
		return e;
	memmove(p->out.p + label + 4, p->out.p + label, p->out.len - label);
	be32(p->out.p + label, v);
	p->out.len += 4;
	return CSIG_OK;
}

static int put_data(parser *p, const uint8_t *d, size_t n)
{
	if (n > UINT32_MAX)
		return CSIG_FAIL(p->err, CSIG_E_LIMIT, 0, "requirement compiler: datum too long");
	int e = put_u32(p, (uint32_t)n);
	if (!e)
		e = out_reserve(p, n + 3);
	if (e)
		return e;
	if (n)
		memcpy(p->out.p + p->out.len, d, n);
	p->out.len += n;
	while (p->out.len & 3)
		p->out.p[p->out.len++] = 0;
	return CSIG_OK;
}

static int hexval(int c)
{
	return is_digit(c) ? c - '0' : (c | 0x20) - 'a' + 10;
}

/* Decoded bytes of a value token: string (unescaped), hex, DOTKEY, keyword. */
static int tok_value(parser *p, const tok *t, uint8_t **out, size_t *n)
{
	uint8_t *b = csig__malloc(t->len + 1);
	if (!b)
		return nomem(p);
	size_t k = 0;
	const char *s = p->s + t->start;
	if (t->type == T_HEX || t->type == T_HASH) {
		for (size_t i = 0; i + 1 < t->len; i += 2)
			b[k++] = (uint8_t)(hexval((unsigned char)s[i]) << 4 |
					   hexval((unsigned char)s[i + 1]));
	} else if (t->type == T_STRING) {
		for (size_t i = 0; i < t->len; i++) {
			if (s[i] == '\\')
				i++;    /* the lexer allowed only \" and \\ */
			b[k++] = (uint8_t)s[i];
		}
	} else {
		memcpy(b, s, t->len);
		k = t->len;
	}
	*out = b;
	*n = k;
	return CSIG_OK;
}

static int is_value_tok(const tok *t)
{
	return t->type == T_DOTKEY || t->type == T_STRING || t->type == T_HEX;
}

/* Emit the datum of the current value token and advance. */
static int put_value(parser *p, const char *what)
{
	tok *t;
	int e = peek(p, 0, &t);
	if (e)
		return e;
	if (!is_value_tok(t)) {
		char msg[96];
		snprintf(msg, sizeof(msg), "expected %s (a name, a \"string\" or 0xHEX)%s",
			 what, t->type == T_INTEGER ? "; quote values that start with a digit" : "");
		return syntax(p, t->pos, msg);
	}
	uint8_t *b;
	size_t n;
	if ((e = tok_value(p, t, &b, &n)))
		return e;
	e = put_data(p, b, n);
	csig__free(b);
	advance(p);
	return e;
}

/* ---- grammar ------------------------------------------------------------ */

static int expr(parser *p, unsigned *depth);

static int check_depth(parser *p, size_t at, unsigned d)
{
	if (d > CSIG_REQ_DEPTH_MAX)
		return CSIG_FAIL(p->err, CSIG_E_DEPTH, at,
				 "requirement text: expression nests deeper than %u levels",
				 CSIG_REQ_DEPTH_MAX);
	return CSIG_OK;
}

/* [ = | == ] */
static int eql(parser *p)
{
	tok *t;
	int e = peek(p, 0, &t);
	if (!e && (t->type == T_EQL || t->type == T_EQQL))
		advance(p);
	return e;
}

/* INTEGER or -INTEGER, as a 32-bit value (Apple wraps through atol). */
static int integer(parser *p, int allow_neg, int32_t *out)
{
	tok *t;
	int e = peek(p, 0, &t);
	if (e)
		return e;
	int neg = 0;
	if (allow_neg && t->type == T_NEG) {
		neg = 1;
		advance(p);
		if ((e = peek(p, 0, &t)))
			return e;
	}
	if (t->type != T_INTEGER)
		return syntax(p, t->pos, "expected an integer");
	uint64_t v = 0;
	for (size_t i = 0; i < t->len; i++) {
		v = v * 10 + (uint64_t)(p->s[t->start + i] - '0');
		if (v > 0xffffffffu)
			return syntax(p, t->pos, "integer out of 32-bit range");
	}
	if (neg && v > 0x80000000u)
		return syntax(p, t->pos, "integer out of 32-bit range");
	*out = neg ? (int32_t)(0 - (int64_t)v) : (int32_t)(uint32_t)v;
	advance(p);
	return CSIG_OK;
}

static int put_value_hash(parser *p, const tok *t)
{
	uint8_t *b;
	size_t n;
	int e = tok_value(p, t, &b, &n);
	if (e)
		return e;
	e = put_data(p, b, n);
	csig__free(b);
	advance(p);
	return e;
}

static int hash(parser *p)
{
	tok *t;
	int e = peek(p, 0, &t);
	if (e)
		return e;
	if (t->type != T_HASH)
		return syntax(p, t->pos, "expected a hash constant H\"hex\"");
	return put_value_hash(p, t);
}

static int match_suffix(parser *p)
{
	tok *t;
	int e = peek(p, 0, &t);
	if (e)
		return e;
	int type = t->type;
	if (is_kw(t, K_EXISTS)) {
		advance(p);
		return put_u32(p, REQ_MATCH_EXISTS);
	}
	if (is_kw(t, K_ABSENT)) {
		advance(p);
		return put_u32(p, REQ_MATCH_ABSENT);
	}
	uint32_t vop, dop;
	switch (type) {
	case T_EQL: case T_EQQL: vop = REQ_MATCH_EQUAL; dop = REQ_MATCH_ON; break;
	case T_SUBS: vop = REQ_MATCH_CONTAINS; dop = UINT32_MAX; break;
	case T_LESS: vop = REQ_MATCH_LT; dop = REQ_MATCH_BEFORE; break;
	case T_GT: vop = REQ_MATCH_GT; dop = REQ_MATCH_AFTER; break;
	case T_LE: vop = REQ_MATCH_LE; dop = REQ_MATCH_ON_OR_BEFORE; break;
	case T_GE: vop = REQ_MATCH_GE; dop = REQ_MATCH_ON_OR_AFTER; break;
	default:
		return put_u32(p, REQ_MATCH_EXISTS);  /* a bare key means exists */
	}
	advance(p);
	if ((e = peek(p, 0, &t)))
		return e;
	if (is_kw(t, K_TIMESTAMP) && dop != UINT32_MAX) {
		advance(p);
		if ((e = peek(p, 0, &t)))
			return e;
		int64_t ts;
		if (t->type != T_STRING ||
		    csig__req_parse_date(p->s + t->start, t->len, &ts))
			return syntax(p, t->pos, "expected a date string \"YYYYMMDDhhmmssZ\" after timestamp");
		advance(p);
		if ((e = put_u32(p, dop)))
			return e;
		return put_i64(p, ts);
	}
	if (type != T_EQL && type != T_EQQL) {
		if ((e = put_u32(p, vop)))
			return e;
		return put_value(p, "a value");
	}
	int pre = 0, post = 0;
	if (t->type == T_STAR) {
		pre = 1;
		advance(p);
	}
	/* The operation goes first, and is known only after the value. */
	size_t label = p->out.len;
	if ((e = put_value(p, "a value")) || (e = peek(p, 0, &t)))
		return e;
	if (t->type == T_STAR) {
		post = 1;
		advance(p);
	}
	uint32_t mop = pre && post ? REQ_MATCH_CONTAINS : pre ? REQ_MATCH_ENDS
		: post ? REQ_MATCH_BEGINS : REQ_MATCH_EQUAL;
	return insert_u32(p, label, mop);
}

/* Bracketed key: [ value ]; returns the decoded bytes. */
static int bracket_key(parser *p, uint8_t **key, size_t *n)
{
	tok *t;
	int e = peek(p, 0, &t);
	if (e)
		return e;
	if (t->type != T_LBRACK)
		return syntax(p, t->pos, "expected [key]");
	advance(p);
	if ((e = peek(p, 0, &t)))
		return e;
	if (!is_value_tok(t) && t->type != T_KW)
		return syntax(p, t->pos, "expected a key (a name, a \"string\" or 0xHEX)");
	if ((e = tok_value(p, t, key, n)))
		return e;
	advance(p);
	if ((e = peek(p, 0, &t)) == CSIG_OK && t->type != T_RBRACK)
		e = syntax(p, t->pos, "expected ]");
	if (e) {
		csig__free(*key);
		*key = NULL;
		return e;
	}
	advance(p);
	return CSIG_OK;
}

static int key_prefix(const uint8_t *k, size_t n, const char *pre, size_t *skip)
{
	size_t m = strlen(pre);
	if (n >= m && memcmp(k, pre, m) == 0) {
		*skip = m;
		return 1;
	}
	return 0;
}

/* CssmAutoData::fromOid: dotted decimal (or our 0xHEX form) to content octets. */
static int put_oid(parser *p, size_t at, const uint8_t *s, size_t n)
{
	if (n >= 2 && s[0] == '0' && (s[1] == 'x' || s[1] == 'X')) {
		if ((n - 2) & 1)
			return syntax(p, at, "OID hex form needs an even number of digits");
		uint8_t *b = csig__malloc(n / 2 + 1);
		if (!b)
			return nomem(p);
		size_t k = 0;
		for (size_t i = 2; i < n; i += 2) {
			if (!is_hex(s[i]) || !is_hex(s[i + 1])) {
				csig__free(b);
				return syntax(p, at, "OID hex form holds a non-hex character");
			}
			b[k++] = (uint8_t)(hexval(s[i]) << 4 | hexval(s[i + 1]));
		}
		int e = put_data(p, b, k);
		csig__free(b);
		return e;
	}
	if (n == 0)
		return put_data(p, NULL, 0);
	uint8_t *b = csig__malloc(n * 2 + 16);
	if (!b)
		return nomem(p);
	size_t k = 0, i = 0;
	unsigned arcs = 0;
	uint64_t first = 0;
	int e = CSIG_OK;
	while (i <= n) {
		size_t j = i;
		uint64_t v = 0;
		while (j < n && is_digit(s[j])) {
			if (v > (UINT64_MAX - 9) / 10) {
				e = syntax(p, at, "OID arc is too large");
				break;
			}
			v = v * 10 + (uint64_t)(s[j] - '0');
			j++;
		}
		if (e)
			break;
		if (j == i || (j < n && s[j] != '.')) {
			e = syntax(p, at, "OID must be dotted decimal, e.g. 1.2.840.113635.100.6.1.13");
			break;
		}
		arcs++;
		if (arcs == 1) {
			if (v > 2) {
				e = syntax(p, at, "OID first arc must be 0, 1 or 2");
				break;
			}
			first = v;
		} else {
			if (arcs == 2) {
				if (first < 2 && v >= 40) {
					e = syntax(p, at, "OID second arc must be below 40");
					break;
				}
				if (v > UINT64_MAX - 80) {
					e = syntax(p, at, "OID arc is too large");
					break;
				}
				v += first * 40;
			}
			uint8_t tmp[10];
			size_t m = 0;
			do {
				tmp[m++] = (uint8_t)(v & 0x7f);
				v >>= 7;
			} while (v);
			while (m > 0) {
				m--;
				b[k++] = (uint8_t)(tmp[m] | (m ? 0x80 : 0));
			}
		}
		i = j + 1;
	}
	if (!e && arcs < 2)
		e = syntax(p, at, "OID needs at least two arcs");
	if (!e)
		e = put_data(p, b, k);
	csig__free(b);
	return e;
}

/* certificate <slot> [key] match: pick the opcode from the key's prefix. */
static int cert_match(parser *p, int32_t slot)
{
	tok *t;
	int e = peek(p, 0, &t);
	if (e)
		return e;
	size_t at = t->pos;
	uint8_t *key = NULL;
	size_t n = 0, skip = 0;
	if ((e = bracket_key(p, &key, &n)))
		return e;
	uint32_t op = REQ_OP_CERT_FIELD;
	if (key_prefix(key, n, "field.", &skip) || key_prefix(key, n, "extension.", &skip))
		op = REQ_OP_CERT_GENERIC;
	else if (key_prefix(key, n, "policy.", &skip))
		op = REQ_OP_CERT_POLICY;
	else if (key_prefix(key, n, "timestamp.", &skip))
		op = REQ_OP_CERT_FIELD_DATE;
	if (!(e = put_u32(p, op)) && !(e = put_u32(p, (uint32_t)slot))) {
		if (op == REQ_OP_CERT_FIELD)
			e = put_data(p, key, n);
		else
			e = put_oid(p, at + 1, key + skip, n - skip);
	}
	csig__free(key);
	return e ? e : match_suffix(p);
}

/* After a slot: [key] match | [=] H"hash" | trusted. */
static int cert_slot_spec(parser *p, int32_t slot)
{
	tok *t;
	int e = peek(p, 0, &t);
	if (e)
		return e;
	if (t->type == T_LBRACK)
		return cert_match(p, slot);
	if ((e = eql(p)) || (e = peek(p, 0, &t)))
		return e;
	if (t->type == T_DOTKEY || t->type == T_STRING)
		return syntax(p, t->pos, "certificate files are not supported; give the certificate's SHA-1 as H\"hex\"");
	if (t->type != T_HASH)
		return syntax(p, t->pos, "expected [key], = H\"hash\" or trusted after the certificate slot");
	if ((e = put_u32(p, REQ_OP_ANCHOR_HASH)) || (e = put_u32(p, (uint32_t)slot)))
		return e;
	return hash(p);
}

static int cert_spec(parser *p)
{
	tok *t, *t1;
	int e = peek(p, 0, &t);
	if (!e)
		e = peek(p, 1, &t1);
	if (e)
		return e;
	t = &p->la[0];
	if (is_kw(t, K_ANCHOR)) {
		if (is_kw(t1, K_APPLE)) {
			advance(p);
			advance(p);
			if ((e = peek(p, 0, &t)))
				return e;
			if (is_kw(t, K_GENERIC)) {
				advance(p);
				return put_u32(p, REQ_OP_APPLE_GENERIC_ANCHOR);
			}
			if (is_value_tok(t)) {
				if ((e = put_u32(p, REQ_OP_NAMED_ANCHOR)))
					return e;
				return put_value(p, "an anchor name");
			}
			return put_u32(p, REQ_OP_APPLE_ANCHOR);
		}
		if (is_kw(t1, K_GENERIC)) {
			advance(p);
			advance(p);
			if ((e = peek(p, 0, &t)))
				return e;
			if (!is_kw(t, K_APPLE))
				return syntax(p, t->pos, "expected apple after anchor generic");
			advance(p);
			return put_u32(p, REQ_OP_APPLE_GENERIC_ANCHOR);
		}
		if (is_kw(t1, K_TRUSTED)) {
			advance(p);
			advance(p);
			return put_u32(p, REQ_OP_TRUSTED_CERTS);
		}
		advance(p);
		return cert_slot_spec(p, REQ_SLOT_ROOT);
	}
	/* certificate | cert */
	if (is_kw(t1, K_TRUSTED)) {
		advance(p);
		advance(p);
		return put_u32(p, REQ_OP_TRUSTED_CERTS);
	}
	advance(p);
	if ((e = peek(p, 0, &t)))
		return e;
	int32_t slot;
	int neg = 0;
	if (t->type == T_NEG) {
		tok *t2;
		if ((e = peek(p, 1, &t2)))
			return e;
		if (t2->type == T_DOTKEY) {
			neg = 1;
			advance(p);
			t = &p->la[0];
		}
	}
	if (!neg && (is_kw(t, K_LEAF) || is_kw(t, K_ROOT))) {
		slot = is_kw(t, K_LEAF) ? REQ_SLOT_LEAF : REQ_SLOT_ROOT;
		advance(p);
	} else if (t->type == T_DOTKEY && t->len > 7 &&
		   memcmp(p->s + t->start + t->len - 7, "trusted", 7) == 0) {
		/* What Apple's dumper prints for opTrustedCert: "certificate
		 * leaftrusted", "certificate 1trusted" (no space). */
		const char *q = p->s + t->start;
		size_t m = t->len - 7;
		int64_t v = 0;
		if (!neg && m == 4 && memcmp(q, "leaf", 4) == 0) {
			v = REQ_SLOT_LEAF;
		} else if (!neg && m == 4 && memcmp(q, "root", 4) == 0) {
			v = REQ_SLOT_ROOT;
		} else {
			for (size_t i = 0; i < m; i++) {
				if (!is_digit((unsigned char)q[i]) || v > 0x80000000LL)
					return syntax(p, t->pos, "expected a certificate slot: leaf, root, N or -N");
				v = v * 10 + (q[i] - '0');
			}
			if (neg)
				v = -v;
			if (v > 0xffffffffLL || v < -0x80000000LL)
				return syntax(p, t->pos, "integer out of 32-bit range");
		}
		slot = (int32_t)(uint32_t)(uint64_t)v;
		advance(p);
		if ((e = put_u32(p, REQ_OP_TRUSTED_CERT)))
			return e;
		return put_u32(p, (uint32_t)slot);
	} else if (!neg && (t->type == T_INTEGER || t->type == T_NEG)) {
		if ((e = integer(p, 1, &slot)))
			return e;
	} else {
		return syntax(p, t->pos, "expected a certificate slot: leaf, root, N or -N");
	}
	if ((e = peek(p, 0, &t)))
		return e;
	if (is_kw(t, K_TRUSTED)) {
		advance(p);
		if ((e = put_u32(p, REQ_OP_TRUSTED_CERT)))
			return e;
		return put_u32(p, (uint32_t)slot);
	}
	return cert_slot_spec(p, slot);
}

static int primary(parser *p, unsigned *depth)
{
	tok *t, *t1;
	int e = peek(p, 0, &t);
	if (e)
		return e;
	*depth = 1;
	if (t->type == T_NOT) {
		size_t at = t->pos;
		advance(p);
		if (++p->nest > CSIG_REQ_DEPTH_MAX)
			return check_depth(p, at, p->nest);
		unsigned d;
		if ((e = put_u32(p, REQ_OP_NOT)) || (e = primary(p, &d)))
			return e;
		p->nest--;
		*depth = d + 1;
		return check_depth(p, at, *depth);
	}
	if (t->type == T_LPAREN) {
		size_t at = t->pos;
		if ((e = peek(p, 1, &t1)))
			return e;
		if (is_value_tok(t1)) {
			/* ( name ): named code fragment */
			advance(p);
			if ((e = put_u32(p, REQ_OP_NAMED_CODE)) || (e = put_value(p, "a name")))
				return e;
		} else {
			advance(p);
			if (++p->nest > CSIG_REQ_DEPTH_MAX)
				return check_depth(p, at, p->nest);
			if ((e = expr(p, depth)))
				return e;
			p->nest--;
		}
		if ((e = peek(p, 0, &t)))
			return e;
		if (t->type != T_RPAREN)
			return syntax(p, t->pos, "expected )");
		advance(p);
		return CSIG_OK;
	}
	if (t->type != T_KW)
		return syntax(p, t->pos, t->type == T_EOF ? "expected a requirement clause before the end of the text"
			      : "expected a requirement clause");
	switch (t->kw) {
	case K_ALWAYS: case K_TRUE:
		advance(p);
		return put_u32(p, REQ_OP_TRUE);
	case K_NEVER: case K_FALSE:
		advance(p);
		return put_u32(p, REQ_OP_FALSE);
	case K_NOTARIZED:
		advance(p);
		return put_u32(p, REQ_OP_NOTARIZED);
	case K_LEGACY:
		advance(p);
		return put_u32(p, REQ_OP_LEGACY_DEV_ID);
	case K_ANCHOR: case K_CERTIFICATE: case K_CERT:
		return cert_spec(p);
	case K_INFO: case K_ENTITLEMENT: {
		uint32_t op = t->kw == K_INFO ? REQ_OP_INFO_KEY_FIELD : REQ_OP_ENTITLEMENT_FIELD;
		advance(p);
		uint8_t *key = NULL;
		size_t n = 0;
		if ((e = bracket_key(p, &key, &n)))
			return e;
		if (!(e = put_u32(p, op)))
			e = put_data(p, key, n);
		csig__free(key);
		return e ? e : match_suffix(p);
	}
	case K_IDENTIFIER:
		advance(p);
		if ((e = eql(p)) || (e = put_u32(p, REQ_OP_IDENT)))
			return e;
		return put_value(p, "an identifier");
	case K_CDHASH:
		advance(p);
		if ((e = eql(p)) || (e = put_u32(p, REQ_OP_CDHASH)))
			return e;
		return hash(p);
	case K_PLATFORM: {
		advance(p);
		int32_t v;
		if ((e = eql(p)) || (e = integer(p, 1, &v)) || (e = put_u32(p, REQ_OP_PLATFORM)))
			return e;
		return put_u32(p, (uint32_t)v);
	}
	default:
		return syntax(p, t->pos, "expected a requirement clause");
	}
}

/* A chain of @sub joined by @kw, left-associated (Maker::insert at label). */
static int chain(parser *p, unsigned *depth, int kw, uint32_t op)
{
	size_t label = p->out.len;
	unsigned d;
	tok *t;
	int e = kw == K_OR ? chain(p, &d, K_AND, REQ_OP_AND) : primary(p, &d);
	if (e)
		return e;
	for (;;) {
		if ((e = peek(p, 0, &t)))
			return e;
		if (!is_kw(t, kw))
			break;
		size_t at = t->pos;
		advance(p);
		if ((e = insert_u32(p, label, op)))
			return e;
		unsigned d2;
		e = kw == K_OR ? chain(p, &d2, K_AND, REQ_OP_AND) : primary(p, &d2);
		if (e)
			return e;
		d = (d2 > d ? d2 : d) + 1;
		if ((e = check_depth(p, at, d)))
			return e;
	}
	*depth = d;
	return CSIG_OK;
}

static int expr(parser *p, unsigned *depth)
{
	return chain(p, depth, K_OR, REQ_OP_OR);
}

/* expr followed by optional ';'s: one 0xfade0c00 blob appended to p->out. */
static int requirement(parser *p, size_t *start)
{
	*start = p->out.len;
	int e;
	if ((e = put_u32(p, CSIG_REQ_MAGIC)) || (e = put_u32(p, 0)) ||
	    (e = put_u32(p, CSIG_REQ_KIND_EXPR)))
		return e;
	unsigned d;
	if ((e = expr(p, &d)))
		return e;
	tok *t;
	while (!(e = peek(p, 0, &t)) && t->type == T_SEMI)
		advance(p);
	if (e)
		return e;
	size_t len = p->out.len - *start;
	if (len > UINT32_MAX)
		return CSIG_FAIL(p->err, CSIG_E_LIMIT, 0, "requirement compiler: requirement too large");
	be32(p->out.p + *start + 4, (uint32_t)len);
	return CSIG_OK;
}

static int is_type_start(parser *p, const tok *t)
{
	if (t->type == T_INTEGER)
		return 1;
	if (t->type == T_KW && t->kw >= K_GUEST && t->kw <= K_PLUGIN)
		return 1;
	return t->type == T_DOTKEY && t->len == 7 && memcmp(p->s + t->start, "invalid", 7) == 0;
}

typedef struct entry {
	uint32_t type;
	size_t off, len;
} entry;

static int requirement_set(parser *p, uint8_t **out, size_t *out_len)
{
	entry *ents = NULL;
	size_t n = 0, cap = 0;
	int e = CSIG_OK;
	tok *t;
	while (!(e = peek(p, 0, &t)) && t->type != T_EOF) {
		uint32_t type;
		if (!is_type_start(p, t)) {
			e = syntax(p, t->pos, "expected a requirement type (host, guest, designated, library, plugin or a number)");
			break;
		}
		if (t->type == T_INTEGER) {
			int32_t v;
			if ((e = integer(p, 0, &v)))
				break;
			type = (uint32_t)v;
		} else {
			type = t->type == T_KW ? (uint32_t)(t->kw - K_GUEST) : 0;
			/* guest host designated library plugin -> 2 1 3 4 5 */
			static const uint8_t map[5] = { 2, 1, 3, 4, 5 };
			if (t->type == T_KW)
				type = map[type];
			advance(p);
		}
		if ((e = peek(p, 0, &t)))
			break;
		if (t->type != T_ARROW) {
			e = syntax(p, t->pos, "expected => after the requirement type");
			break;
		}
		advance(p);
		size_t start;
		if ((e = requirement(p, &start)))
			break;
		/* A later entry of the same type replaces the earlier one. */
		size_t k;
		for (k = 0; k < n && ents[k].type != type; k++)
			;
		if (k == n) {
			if (n == cap) {
				size_t nc = cap ? cap * 2 : 8;
				entry *ne = nc <= CSIG_LIMIT_BLOBS * 2
					? csig__realloc(ents, nc * sizeof(*ne)) : NULL;
				if (!ne) {
					e = n >= CSIG_LIMIT_BLOBS ? CSIG_FAIL(p->err, CSIG_E_LIMIT, t->pos,
						"requirement text: more than %u requirement types", CSIG_LIMIT_BLOBS)
						: nomem(p);
					break;
				}
				ents = ne;
				cap = nc;
			}
			if (n >= CSIG_LIMIT_BLOBS) {
				e = CSIG_FAIL(p->err, CSIG_E_LIMIT, t->pos,
					      "requirement text: more than %u requirement types",
					      CSIG_LIMIT_BLOBS);
				break;
			}
			n++;
		}
		ents[k].type = type;
		ents[k].off = start;
		ents[k].len = p->out.len - start;
	}
	if (!e) {
		/* Sort by type (insertion sort; n <= CSIG_LIMIT_BLOBS). */
		for (size_t i = 1; i < n; i++) {
			entry x = ents[i];
			size_t j = i;
			while (j > 0 && ents[j - 1].type > x.type) {
				ents[j] = ents[j - 1];
				j--;
			}
			ents[j] = x;
		}
		uint64_t total = 12 + 8 * (uint64_t)n;
		for (size_t i = 0; i < n; i++)
			total += ents[i].len;
		uint8_t *b = total <= UINT32_MAX ? csig__malloc((size_t)total) : NULL;
		if (!b) {
			e = total > UINT32_MAX ? CSIG_FAIL(p->err, CSIG_E_LIMIT, 0,
				"requirement compiler: set too large") : nomem(p);
		} else {
			be32(b, CSIG_REQSET_MAGIC);
			be32(b + 4, (uint32_t)total);
			be32(b + 8, (uint32_t)n);
			size_t off = 12 + 8 * n;
			for (size_t i = 0; i < n; i++) {
				be32(b + 12 + 8 * i, ents[i].type);
				be32(b + 16 + 8 * i, (uint32_t)off);
				memcpy(b + off, p->out.p + ents[i].off, ents[i].len);
				off += ents[i].len;
			}
			*out = b;
			*out_len = (size_t)total;
		}
	}
	csig__free(ents);
	return e;
}

int csig_req_compile(const char *text, size_t len, uint8_t **out,
		     size_t *out_len, int *is_set, csig_error *err)
{
	if (out)
		*out = NULL;
	if (out_len)
		*out_len = 0;
	if ((!text && len) || !out || !out_len)
		return CSIG_FAIL(err, CSIG_E_INVAL, 0, "csig_req_compile: NULL argument");
	if (len > TEXT_MAX)
		return CSIG_FAIL(err, CSIG_E_LIMIT, 0,
				 "requirement text of %zu bytes exceeds the %u-byte limit",
				 len, TEXT_MAX);
	parser p;
	memset(&p, 0, sizeof(p));
	p.s = text ? text : "";
	p.n = len;
	p.err = err;
	tok *t, *t1;
	int e = peek(&p, 0, &t);
	int set = 0;
	if (!e && is_type_start(&p, t)) {
		set = 1;
		if (t->type == T_DOTKEY && !(e = peek(&p, 1, &t1)) && t1->type != T_ARROW)
			set = 0;
	}
	uint8_t *res = NULL;
	size_t rlen = 0;
	if (!e && set) {
		e = requirement_set(&p, &res, &rlen);
	} else if (!e) {
		size_t start;
		if (!(e = requirement(&p, &start)) && !(e = peek(&p, 0, &t)) &&
		    t->type != T_EOF)
			e = syntax(&p, t->pos, t->type == T_ARROW
				   ? "unexpected => (a requirement set starts with its type)"
				   : "unexpected text after the requirement");
		if (!e) {
			res = p.out.p;
			rlen = p.out.len;
			p.out.p = NULL;
		}
	}
	csig__free(p.out.p);
	if (e) {
		csig__free(res);
		return e;
	}
	/* Whatever we emit must decode (this also enforces the depth limit). */
	if (set) {
		csig_reqset *s = NULL;
		e = csig_reqset_parse(&s, res, rlen, NULL, err);
		csig_reqset_free(s);
	} else {
		csig_req *q = NULL;
		e = csig_req_parse(&q, res, rlen, NULL, err);
		csig_req_free(q);
	}
	if (e) {
		csig__free(res);
		return e;
	}
	*out = res;
	*out_len = rlen;
	if (is_set)
		*is_set = set;
	return CSIG_OK;
}
