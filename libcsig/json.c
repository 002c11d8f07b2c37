/* json.c - the one JSON serializer (see json.h). */
#include <stdio.h>
#include <string.h>
#include "json.h"
#include "util.h"

void json_init(csig_json *j, int pretty)
{
	memset(j, 0, sizeof(*j));
	j->pretty = pretty;
}

void json_discard(csig_json *j)
{
	csig__free(j->buf);
	j->buf = NULL;
	j->len = j->cap = 0;
}

static void put(csig_json *j, const char *s, size_t n)
{
	if (j->failed)
		return;
	if (n > j->cap - j->len) {
		size_t cap = j->cap ? j->cap : 256;
		while (n > cap - j->len) {
			if (cap > SIZE_MAX / 2) {
				j->failed = CSIG_E_NOMEM;
				return;
			}
			cap *= 2;
		}
		char *nb = csig__realloc(j->buf, cap);
		if (!nb) {
			j->failed = CSIG_E_NOMEM;
			return;
		}
		j->buf = nb;
		j->cap = cap;
	}
	memcpy(j->buf + j->len, s, n);
	j->len += n;
}

static void puts_(csig_json *j, const char *s) { put(j, s, strlen(s)); }

static void newline(csig_json *j)
{
	if (!j->pretty)
		return;
	put(j, "\n", 1);
	for (int i = 0; i < j->depth; i++)
		put(j, "  ", 2);
}

/* Separator before a value or key at the current level. */
static void before_value(csig_json *j)
{
	if (j->after_key) {
		j->after_key = 0;
		return;
	}
	if (j->depth > 0) {
		if (j->need_comma[j->depth - 1])
			put(j, ",", 1);
		j->need_comma[j->depth - 1] = 1;
		newline(j);
	}
}

static void open_(csig_json *j, char c)
{
	before_value(j);
	put(j, &c, 1);
	if (j->depth >= JSON_MAX_DEPTH) {
		if (!j->failed)
			j->failed = CSIG_E_DEPTH;
		return;
	}
	j->need_comma[j->depth++] = 0;
}

static void close_(csig_json *j, char c)
{
	if (j->depth <= 0) {
		if (!j->failed)
			j->failed = CSIG_E_INVAL; /* unbalanced close: a writer bug */
		return;
	}
	int had = j->need_comma[j->depth - 1];
	j->depth--;
	if (had)
		newline(j);
	put(j, &c, 1);
}

void json_obj_begin(csig_json *j) { open_(j, '{'); }
void json_obj_end(csig_json *j) { close_(j, '}'); }
void json_arr_begin(csig_json *j) { open_(j, '['); }
void json_arr_end(csig_json *j) { close_(j, ']'); }

/* Length of a valid UTF-8 sequence at s (max n bytes), or 0 if invalid. */
static size_t utf8_len(const unsigned char *s, size_t n)
{
	unsigned char c = s[0];
	size_t need;
	uint32_t cp;
	if (c < 0x80)
		return 1;
	if (c >= 0xc2 && c <= 0xdf) { need = 2; cp = c & 0x1f; }
	else if (c >= 0xe0 && c <= 0xef) { need = 3; cp = c & 0x0f; }
	else if (c >= 0xf0 && c <= 0xf4) { need = 4; cp = c & 0x07; }
	else return 0;
	if (n < need)
		return 0;
	for (size_t i = 1; i < need; i++) {
		if ((s[i] & 0xc0) != 0x80)
			return 0;
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	if ((need == 3 && (cp < 0x800 || (cp >= 0xd800 && cp <= 0xdfff))) ||
	    (need == 4 && (cp < 0x10000 || cp > 0x10ffff)))
		return 0;
	return need;
}

static void put_string(csig_json *j, const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;
	put(j, "\"", 1);
	size_t i = 0;
	while (i < n && !j->failed) {
		size_t run = i;
		while (run < n && u[run] >= 0x20 && u[run] < 0x80 && u[run] != '"' &&
		       u[run] != '\\')
			run++;
		put(j, s + i, run - i);
		i = run;
		if (i >= n)
			break;
		unsigned char c = u[i];
		char esc[8];
		if (c == '"' || c == '\\') {
			esc[0] = '\\'; esc[1] = (char)c;
			put(j, esc, 2);
			i++;
		} else if (c < 0x20) {
			const char *named = c == '\n' ? "\\n" : c == '\t' ? "\\t" :
					    c == '\r' ? "\\r" : NULL;
			if (named)
				puts_(j, named);
			else {
				snprintf(esc, sizeof(esc), "\\u%04x", c);
				puts_(j, esc);
			}
			i++;
		} else {
			size_t l = utf8_len(u + i, n - i);
			if (l) {
				put(j, s + i, l);
				i += l;
			} else {
				/* not UTF-8: keep the byte visible and the document valid */
				snprintf(esc, sizeof(esc), "\\u%04x", c);
				puts_(j, esc);
				i++;
			}
		}
	}
	put(j, "\"", 1);
}

void json_key(csig_json *j, const char *key)
{
	before_value(j);
	put_string(j, key, strlen(key));
	put(j, j->pretty ? ": " : ":", j->pretty ? 2 : 1);
	j->after_key = 1;
}

void json_strn(csig_json *j, const char *s, size_t n)
{
	before_value(j);
	put_string(j, s ? s : "", s ? n : 0);
}

void json_str(csig_json *j, const char *s) { json_strn(j, s, s ? strlen(s) : 0); }

void json_u64(csig_json *j, uint64_t v)
{
	char b[24];
	before_value(j);
	snprintf(b, sizeof(b), "%llu", (unsigned long long)v);
	puts_(j, b);
}

void json_i64(csig_json *j, int64_t v)
{
	char b[24];
	before_value(j);
	snprintf(b, sizeof(b), "%lld", (long long)v);
	puts_(j, b);
}

void json_double(csig_json *j, double v)
{
	char b[40];
	before_value(j);
	if (v != v || v > 1.7976931348623157e308 || v < -1.7976931348623157e308) {
		puts_(j, "null"); /* JSON has no NaN or infinity */
		return;
	}
	snprintf(b, sizeof(b), "%.17g", v);
	puts_(j, b);
}

void json_bool(csig_json *j, int v)
{
	before_value(j);
	puts_(j, v ? "true" : "false");
}

void json_null(csig_json *j)
{
	before_value(j);
	puts_(j, "null");
}

void json_hex(csig_json *j, const uint8_t *p, size_t n)
{
	static const char digits[] = "0123456789abcdef";
	before_value(j);
	put(j, "\"", 1);
	char chunk[128];
	size_t k = 0;
	for (size_t i = 0; i < n; i++) {
		chunk[k++] = digits[p[i] >> 4];
		chunk[k++] = digits[p[i] & 15];
		if (k == sizeof(chunk)) {
			put(j, chunk, k);
			k = 0;
		}
	}
	put(j, chunk, k);
	put(j, "\"", 1);
}

void json_hex_u32(csig_json *j, uint32_t v)
{
	char b[16];
	snprintf(b, sizeof(b), "0x%x", v);
	json_str(j, b);
}

void json_base64(csig_json *j, const uint8_t *p, size_t n)
{
	static const char tab[] =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";
	before_value(j);
	put(j, "\"", 1);
	size_t i = 0;
	char q[4];
	for (; i + 3 <= n; i += 3) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8 | p[i + 2];
		q[0] = tab[v >> 18]; q[1] = tab[(v >> 12) & 63];
		q[2] = tab[(v >> 6) & 63]; q[3] = tab[v & 63];
		put(j, q, 4);
	}
	if (n - i == 1) {
		uint32_t v = (uint32_t)p[i] << 16;
		q[0] = tab[v >> 18]; q[1] = tab[(v >> 12) & 63]; q[2] = '='; q[3] = '=';
		put(j, q, 4);
	} else if (n - i == 2) {
		uint32_t v = (uint32_t)p[i] << 16 | (uint32_t)p[i + 1] << 8;
		q[0] = tab[v >> 18]; q[1] = tab[(v >> 12) & 63];
		q[2] = tab[(v >> 6) & 63]; q[3] = '=';
		put(j, q, 4);
	}
	put(j, "\"", 1);
}

/* Days since 1970-01-01 to civil date (Howard Hinnant's algorithm). */
static void civil_from_days(int64_t z, int64_t *y, unsigned *m, unsigned *d)
{
	z += 719468;
	int64_t era = (z >= 0 ? z : z - 146096) / 146097;
	unsigned doe = (unsigned)(z - era * 146097);
	unsigned yoe = (doe - doe / 1460 + doe / 36524 - doe / 146096) / 365;
	int64_t yy = (int64_t)yoe + era * 400;
	unsigned doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
	unsigned mp = (5 * doy + 2) / 153;
	*d = doy - (153 * mp + 2) / 5 + 1;
	*m = mp < 10 ? mp + 3 : mp - 9;
	*y = yy + (*m <= 2);
}

void csig__format_time(int64_t t, char out[32])
{
	int64_t days = t / 86400, rem = t % 86400;
	if (rem < 0) {
		rem += 86400;
		days--;
	}
	int64_t y;
	unsigned m, d;
	civil_from_days(days, &y, &m, &d);
	/* years outside 0..9999 cannot be written in RFC 3339: clamp */
	if (y < 0) { y = 0; m = 1; d = 1; rem = 0; }
	if (y > 9999) { y = 9999; m = 12; d = 31; rem = 86399; }
	snprintf(out, 32, "%04u-%02u-%02uT%02u:%02u:%02uZ", (unsigned)y % 10000u,
		 m % 13u, d % 32u, (unsigned)(rem / 3600) % 24u,
		 (unsigned)(rem / 60 % 60), (unsigned)(rem % 60));
}

void json_time(csig_json *j, int64_t t)
{
	char b[32];
	csig__format_time(t, b);
	json_str(j, b);
}

void json_raw(csig_json *j, const char *text, size_t n)
{
	before_value(j);
	put(j, text, n);
}

void json_kv_str(csig_json *j, const char *k, const char *v) { json_key(j, k); json_str(j, v); }
void json_kv_strn(csig_json *j, const char *k, const char *v, size_t n) { json_key(j, k); json_strn(j, v, n); }
void json_kv_u64(csig_json *j, const char *k, uint64_t v) { json_key(j, k); json_u64(j, v); }
void json_kv_i64(csig_json *j, const char *k, int64_t v) { json_key(j, k); json_i64(j, v); }
void json_kv_bool(csig_json *j, const char *k, int v) { json_key(j, k); json_bool(j, v); }
void json_kv_hex(csig_json *j, const char *k, const uint8_t *p, size_t n) { json_key(j, k); json_hex(j, p, n); }
void json_kv_hex_u32(csig_json *j, const char *k, uint32_t v) { json_key(j, k); json_hex_u32(j, v); }
void json_kv_time(csig_json *j, const char *k, int64_t t) { json_key(j, k); json_time(j, t); }

int json_finish(csig_json *j, char **out, size_t *len, csig_error *err)
{
	if (!j->failed && j->depth != 0)
		j->failed = CSIG_E_INVAL;
	put(j, "", 1); /* NUL terminator */
	if (j->failed) {
		int code = j->failed;
		json_discard(j);
		return CSIG_FAIL(err, code, 0, "JSON serializer: %s",
				 csig_strerror(code));
	}
	*out = j->buf;
	if (len)
		*len = j->len - 1;
	j->buf = NULL;
	j->len = j->cap = 0;
	return CSIG_OK;
}
