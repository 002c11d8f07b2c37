/*
 * json.h - the library's one JSON serializer.  Internal.
 *
 * Every machine-readable document (CLI --json, Python, Go) is written by
 * this writer, so all front ends print the same bytes.  Errors are sticky:
 * after an allocation failure every call is a no-op and json_finish reports
 * CSIG_E_NOMEM.  Commas are inserted automatically.
 *
 * Conventions of the documents: hashes and raw bytes as lowercase hex
 * (json_hex), dates as RFC 3339 UTC (json_time), plist data as base64.
 */
#ifndef CSIG_JSON_H
#define CSIG_JSON_H

#include <stddef.h>
#include <stdint.h>
#include "csig/common.h"

#define JSON_MAX_DEPTH 64

typedef struct csig_json {
	char *buf;
	size_t len, cap;
	int failed;               /* sticky CSIG_E_* */
	int depth;
	int pretty;               /* indent with two spaces */
	unsigned char need_comma[JSON_MAX_DEPTH];
	unsigned char after_key;
} csig_json;

void json_init(csig_json *j, int pretty);
/* Hand the text to the caller (csig_free) and reset; or report the failure. */
int json_finish(csig_json *j, char **out, size_t *len, csig_error *err);
void json_discard(csig_json *j);

void json_obj_begin(csig_json *j);
void json_obj_end(csig_json *j);
void json_arr_begin(csig_json *j);
void json_arr_end(csig_json *j);
void json_key(csig_json *j, const char *key);

void json_str(csig_json *j, const char *s);           /* NUL-terminated */
void json_strn(csig_json *j, const char *s, size_t n); /* any bytes; invalid UTF-8 escaped as \u00XX */
void json_u64(csig_json *j, uint64_t v);
void json_i64(csig_json *j, int64_t v);
void json_double(csig_json *j, double v);
void json_bool(csig_json *j, int v);
void json_null(csig_json *j);
void json_hex(csig_json *j, const uint8_t *p, size_t n);
void json_hex_u32(csig_json *j, uint32_t v);  /* "0x%x" string */
void json_base64(csig_json *j, const uint8_t *p, size_t n);
/* Seconds since the Unix epoch as "YYYY-MM-DDTHH:MM:SSZ". */
void json_time(csig_json *j, int64_t unix_seconds);
/* Splice an already serialized JSON value (from another json writer). */
void json_raw(csig_json *j, const char *text, size_t n);

/* Shorthands for "key": value. */
void json_kv_str(csig_json *j, const char *k, const char *v);
void json_kv_strn(csig_json *j, const char *k, const char *v, size_t n);
void json_kv_u64(csig_json *j, const char *k, uint64_t v);
void json_kv_i64(csig_json *j, const char *k, int64_t v);
void json_kv_bool(csig_json *j, const char *k, int v);
void json_kv_hex(csig_json *j, const char *k, const uint8_t *p, size_t n);
void json_kv_hex_u32(csig_json *j, const char *k, uint32_t v);
void json_kv_time(csig_json *j, const char *k, int64_t unix_seconds);

/* Civil-time helper shared with text output: unix seconds -> "YYYY-MM-DDTHH:MM:SSZ". */
void csig__format_time(int64_t unix_seconds, char out[32]);

#endif
