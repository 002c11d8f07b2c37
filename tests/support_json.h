/*
 * support_json.h - a tiny JSON reader and fixture helpers FOR TESTS ONLY
 * (loads testdata/expected*.json; checks that the library's documents
 * parse).  Not part of libcsig and never linked into it.
 */
#ifndef CSIG_SUPPORT_JSON_H
#define CSIG_SUPPORT_JSON_H

#include <stddef.h>
#include <stdint.h>

enum { SJ_NULL, SJ_BOOL, SJ_NUM, SJ_STR, SJ_ARR, SJ_OBJ };

typedef struct sj {
	int type;
	int b;             /* SJ_BOOL */
	double num;        /* SJ_NUM */
	uint64_t u;        /* SJ_NUM when a non-negative integer */
	int is_uint;
	char *str;         /* SJ_STR, NUL-terminated (may contain NULs: see n) */
	size_t n;          /* string length or item count */
	struct sj **items; /* SJ_ARR / SJ_OBJ values */
	char **keys;       /* SJ_OBJ */
} sj;

/* Parse exactly one JSON value (surrounded by whitespace); NULL on error. */
sj *sj_parse(const char *text, size_t len);
/* Parse a file; NULL when missing or malformed. */
sj *sj_load(const char *path);
void sj_free(sj *v);

const sj *sj_get(const sj *obj, const char *key);   /* NULL if absent */
const sj *sj_at(const sj *arr, size_t i);           /* NULL if out of range */
size_t sj_len(const sj *v);                         /* 0 unless ARR/OBJ */
uint64_t sj_u64(const sj *v);                       /* 0 unless unsigned int */
const char *sj_str(const sj *v);                    /* NULL unless STR */
int sj_bool(const sj *v);                           /* 0 unless true */
int sj_is_null(const sj *v);                        /* 1 for NULL ptr or null */
/* "0x..." strings and numbers alike */
uint64_t sj_num_or_hex(const sj *v);

/*
 * Call fn(path, rel, ctx) for every regular file under dir (recursive,
 * sorted) whose first 4 bytes are a Mach-O or fat magic.  rel is relative
 * to dir.  Returns the number of files visited.
 */
typedef void (*sj_file_fn)(const char *path, const char *rel, void *ctx);
size_t sj_each_macho(const char *dir, sj_file_fn fn, void *ctx);

#endif
