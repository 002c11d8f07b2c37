/* support_json.c - tiny JSON reader and fixture walker FOR TESTS ONLY. */
#include <dirent.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include "support_json.h"

typedef struct { const char *p, *end; int depth; } sjp;

static void ws(sjp *s)
{
	while (s->p < s->end && (*s->p == ' ' || *s->p == '\n' || *s->p == '\r' || *s->p == '\t'))
		s->p++;
}

static sj *node(int type)
{
	sj *v = calloc(1, sizeof(*v));
	if (v)
		v->type = type;
	return v;
}

static int hex4(sjp *s, unsigned *out)
{
	unsigned v = 0;
	if (s->end - s->p < 4)
		return -1;
	for (int i = 0; i < 4; i++) {
		char c = *s->p++;
		v <<= 4;
		if (c >= '0' && c <= '9') v |= (unsigned)(c - '0');
		else if (c >= 'a' && c <= 'f') v |= (unsigned)(c - 'a' + 10);
		else if (c >= 'A' && c <= 'F') v |= (unsigned)(c - 'A' + 10);
		else return -1;
	}
	*out = v;
	return 0;
}

static char *parse_string(sjp *s, size_t *n)
{
	size_t cap = 16, len = 0;
	char *b = malloc(cap);
	if (!b || s->p >= s->end || *s->p != '"')
		goto fail;
	s->p++;
	for (;;) {
		if (s->p >= s->end)
			goto fail;
		unsigned char c = (unsigned char)*s->p++;
		unsigned cp = c;
		int raw = 1;
		if (c == '"')
			break;
		if (c < 0x20)
			goto fail;
		if (c == '\\') {
			if (s->p >= s->end)
				goto fail;
			char e = *s->p++;
			raw = 0;
			switch (e) {
			case '"': cp = '"'; break;
			case '\\': cp = '\\'; break;
			case '/': cp = '/'; break;
			case 'b': cp = 8; break;
			case 'f': cp = 12; break;
			case 'n': cp = 10; break;
			case 'r': cp = 13; break;
			case 't': cp = 9; break;
			case 'u':
				if (hex4(s, &cp))
					goto fail;
				if (cp >= 0xd800 && cp < 0xdc00) {
					unsigned lo;
					if (s->end - s->p < 6 || s->p[0] != '\\' || s->p[1] != 'u')
						goto fail;
					s->p += 2;
					if (hex4(s, &lo) || lo < 0xdc00 || lo > 0xdfff)
						goto fail;
					cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
				} else if (cp >= 0xdc00 && cp < 0xe000) {
					goto fail;
				}
				break;
			default:
				goto fail;
			}
		}
		if (len + 5 > cap) {
			cap *= 2;
			char *nb = realloc(b, cap);
			if (!nb)
				goto fail;
			b = nb;
		}
		if (raw || cp < 0x80) {
			b[len++] = (char)cp;
		} else if (cp < 0x800) {
			b[len++] = (char)(0xc0 | (cp >> 6));
			b[len++] = (char)(0x80 | (cp & 0x3f));
		} else if (cp < 0x10000) {
			b[len++] = (char)(0xe0 | (cp >> 12));
			b[len++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			b[len++] = (char)(0x80 | (cp & 0x3f));
		} else {
			b[len++] = (char)(0xf0 | (cp >> 18));
			b[len++] = (char)(0x80 | ((cp >> 12) & 0x3f));
			b[len++] = (char)(0x80 | ((cp >> 6) & 0x3f));
			b[len++] = (char)(0x80 | (cp & 0x3f));
		}
	}
	b[len] = '\0';
	*n = len;
	return b;
fail:
	free(b);
	return NULL;
}

static sj *parse_value(sjp *s);

static int push(sj *v, sj *item, char *key)
{
	if ((v->n & (v->n - 1)) == 0 || v->n == 0) {
		size_t cap = v->n ? v->n * 2 : 1;
		sj **ni = realloc(v->items, cap * sizeof(*ni));
		if (!ni)
			return -1;
		v->items = ni;
		if (v->type == SJ_OBJ) {
			char **nk = realloc(v->keys, cap * sizeof(*nk));
			if (!nk)
				return -1;
			v->keys = nk;
		}
	}
	v->items[v->n] = item;
	if (v->type == SJ_OBJ)
		v->keys[v->n] = key;
	v->n++;
	return 0;
}

static sj *parse_container(sjp *s, int type)
{
	char close = type == SJ_OBJ ? '}' : ']';
	sj *v = node(type);
	if (!v || ++s->depth > 200)
		goto fail;
	s->p++;
	ws(s);
	if (s->p < s->end && *s->p == close) {
		s->p++;
		s->depth--;
		return v;
	}
	for (;;) {
		char *key = NULL;
		size_t kn;
		ws(s);
		if (type == SJ_OBJ) {
			key = parse_string(s, &kn);
			if (!key)
				goto fail;
			ws(s);
			if (s->p >= s->end || *s->p != ':') {
				free(key);
				goto fail;
			}
			s->p++;
		}
		sj *item = parse_value(s);
		if (!item || push(v, item, key)) {
			free(key);
			sj_free(item);
			goto fail;
		}
		ws(s);
		if (s->p >= s->end)
			goto fail;
		if (*s->p == ',') {
			s->p++;
			continue;
		}
		if (*s->p == close) {
			s->p++;
			s->depth--;
			return v;
		}
		goto fail;
	}
fail:
	sj_free(v);
	return NULL;
}

static int lit(sjp *s, const char *w)
{
	size_t n = strlen(w);
	if ((size_t)(s->end - s->p) < n || memcmp(s->p, w, n) != 0)
		return 0;
	s->p += n;
	return 1;
}

static sj *parse_number(sjp *s)
{
	const char *start = s->p;
	if (s->p < s->end && *s->p == '-')
		s->p++;
	if (s->p >= s->end || *s->p < '0' || *s->p > '9')
		return NULL;
	if (*s->p == '0' && s->p + 1 < s->end && s->p[1] >= '0' && s->p[1] <= '9')
		return NULL;
	int integral = 1;
	while (s->p < s->end && ((*s->p >= '0' && *s->p <= '9') || *s->p == '.' ||
				 *s->p == 'e' || *s->p == 'E' || *s->p == '+' ||
				 (*s->p == '-' && s->p > start))) {
		if (*s->p == '.' || *s->p == 'e' || *s->p == 'E')
			integral = 0;
		s->p++;
	}
	char buf[64];
	size_t n = (size_t)(s->p - start);
	if (n >= sizeof(buf))
		return NULL;
	memcpy(buf, start, n);
	buf[n] = '\0';
	sj *v = node(SJ_NUM);
	if (!v)
		return NULL;
	char *e;
	v->num = strtod(buf, &e);
	if (*e) {
		free(v);
		return NULL;
	}
	if (integral && buf[0] != '-') {
		v->u = strtoull(buf, NULL, 10);
		v->is_uint = 1;
	}
	return v;
}

static sj *parse_value(sjp *s)
{
	ws(s);
	if (s->p >= s->end)
		return NULL;
	sj *v;
	switch (*s->p) {
	case '{': return parse_container(s, SJ_OBJ);
	case '[': return parse_container(s, SJ_ARR);
	case '"':
		v = node(SJ_STR);
		if (v && !(v->str = parse_string(s, &v->n))) {
			free(v);
			v = NULL;
		}
		return v;
	case 't': if (!lit(s, "true")) return NULL; v = node(SJ_BOOL); if (v) v->b = 1; return v;
	case 'f': if (!lit(s, "false")) return NULL; return node(SJ_BOOL);
	case 'n': if (!lit(s, "null")) return NULL; return node(SJ_NULL);
	default: return parse_number(s);
	}
}

sj *sj_parse(const char *text, size_t len)
{
	sjp s = { text, text + len, 0 };
	sj *v = parse_value(&s);
	ws(&s);
	if (v && s.p != s.end) {
		sj_free(v);
		return NULL;
	}
	return v;
}

sj *sj_load(const char *path)
{
	FILE *f = fopen(path, "rb");
	if (!f)
		return NULL;
	fseek(f, 0, SEEK_END);
	long n = ftell(f);
	rewind(f);
	char *b = malloc(n > 0 ? (size_t)n : 1);
	sj *v = NULL;
	if (b && n >= 0 && fread(b, 1, (size_t)n, f) == (size_t)n)
		v = sj_parse(b, (size_t)n);
	free(b);
	fclose(f);
	return v;
}

void sj_free(sj *v)
{
	if (!v)
		return;
	for (size_t i = 0; (v->type == SJ_ARR || v->type == SJ_OBJ) && i < v->n; i++) {
		sj_free(v->items[i]);
		if (v->keys)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	free(v->str);
	free(v);
}

const sj *sj_get(const sj *obj, const char *key)
{
	if (!obj || obj->type != SJ_OBJ)
		return NULL;
	for (size_t i = 0; i < obj->n; i++)
		if (strcmp(obj->keys[i], key) == 0)
			return obj->items[i];
	return NULL;
}

const sj *sj_at(const sj *arr, size_t i)
{
	if (!arr || (arr->type != SJ_ARR && arr->type != SJ_OBJ) || i >= arr->n)
		return NULL;
	return arr->items[i];
}

size_t sj_len(const sj *v)
{
	return v && (v->type == SJ_ARR || v->type == SJ_OBJ) ? v->n : 0;
}

uint64_t sj_u64(const sj *v) { return v && v->type == SJ_NUM && v->is_uint ? v->u : 0; }
const char *sj_str(const sj *v) { return v && v->type == SJ_STR ? v->str : NULL; }
int sj_bool(const sj *v) { return v && v->type == SJ_BOOL && v->b; }
int sj_is_null(const sj *v) { return !v || v->type == SJ_NULL; }

uint64_t sj_num_or_hex(const sj *v)
{
	if (v && v->type == SJ_STR)
		return strtoull(v->str, NULL, 0);
	return sj_u64(v);
}

static int is_macho_file(const char *path)
{
	unsigned char m[4];
	FILE *f = fopen(path, "rb");
	if (!f)
		return 0;
	size_t n = fread(m, 1, 4, f);
	fclose(f);
	if (n != 4)
		return 0;
	uint32_t be = (uint32_t)m[0] << 24 | (uint32_t)m[1] << 16 | (uint32_t)m[2] << 8 | m[3];
	return be == 0xcafebabe || be == 0xcafebabf || be == 0xfeedface || be == 0xfeedfacf ||
	       be == 0xcefaedfe || be == 0xcffaedfe;
}

static int cmp_str(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static size_t walk(const char *dir, size_t rootlen, sj_file_fn fn, void *ctx, int depth)
{
	size_t count = 0, n = 0, cap = 0;
	char **names = NULL;
	DIR *d = opendir(dir);
	struct dirent *e;
	if (!d || depth > 32) {
		if (d)
			closedir(d);
		return 0;
	}
	while ((e = readdir(d))) {
		if (strcmp(e->d_name, ".") == 0 || strcmp(e->d_name, "..") == 0)
			continue;
		if (n == cap) {
			cap = cap ? cap * 2 : 16;
			char **nn = realloc(names, cap * sizeof(*nn));
			if (!nn)
				break;
			names = nn;
		}
		names[n++] = strdup(e->d_name);
	}
	closedir(d);
	if (n)
		qsort(names, n, sizeof(*names), cmp_str);
	for (size_t i = 0; i < n; i++) {
		char path[4096];
		struct stat st;
		snprintf(path, sizeof(path), "%s/%s", dir, names[i]);
		if (lstat(path, &st) == 0) {
			if (S_ISDIR(st.st_mode))
				count += walk(path, rootlen, fn, ctx, depth + 1);
			else if (S_ISREG(st.st_mode) && is_macho_file(path)) {
				fn(path, path + rootlen + 1, ctx);
				count++;
			}
		}
		free(names[i]);
	}
	free(names);
	return count;
}

size_t sj_each_macho(const char *dir, sj_file_fn fn, void *ctx)
{
	return walk(dir, strlen(dir), fn, ctx, 0);
}
