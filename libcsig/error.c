/* error.c - error names, sentences and the one failure path (see csig/common.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "util.h"

static const struct {
	int code;
	const char *name;
	const char *sentence;
} error_table[] = {
	{ CSIG_OK, "CSIG_OK", "success" },
	{ CSIG_E_INVAL, "CSIG_E_INVAL", "invalid argument" },
	{ CSIG_E_TRUNCATED, "CSIG_E_TRUNCATED", "input is truncated" },
	{ CSIG_E_BADMAGIC, "CSIG_E_BADMAGIC", "unrecognised magic number" },
	{ CSIG_E_OVERFLOW, "CSIG_E_OVERFLOW", "offset or length arithmetic overflows" },
	{ CSIG_E_BADOFFSET, "CSIG_E_BADOFFSET", "offset points outside its container" },
	{ CSIG_E_TRAILING, "CSIG_E_TRAILING", "unexpected trailing data" },
	{ CSIG_E_BADVALUE, "CSIG_E_BADVALUE", "field holds an invalid value" },
	{ CSIG_E_UNSUPPORTED, "CSIG_E_UNSUPPORTED", "unsupported feature" },
	{ CSIG_E_SYNTAX, "CSIG_E_SYNTAX", "syntax error" },
	{ CSIG_E_LIMIT, "CSIG_E_LIMIT", "a size or count limit was exceeded" },
	{ CSIG_E_NOMEM, "CSIG_E_NOMEM", "out of memory" },
	{ CSIG_E_DEPTH, "CSIG_E_DEPTH", "nesting limit exceeded" },
	{ CSIG_E_NOTFOUND, "CSIG_E_NOTFOUND", "not found" },
	{ CSIG_E_IO, "CSIG_E_IO", "input/output error" },
};

const char *csig_strerror(int code)
{
	for (size_t i = 0; i < CSIG_ARRAY_LEN(error_table); i++)
		if (error_table[i].code == code)
			return error_table[i].sentence;
	return "unknown error";
}

const char *csig_errname(int code)
{
	for (size_t i = 0; i < CSIG_ARRAY_LEN(error_table); i++)
		if (error_table[i].code == code)
			return error_table[i].name;
	return "CSIG_E_UNKNOWN";
}

void csig__error_clear(csig_error *err)
{
	if (err) {
		err->code = 0;
		err->offset = 0;
		err->msg[0] = '\0';
	}
}

int csig__fail(csig_error *err, int code, uint64_t offset, const char *file,
	       int line, const char *fmt, ...)
{
	(void)file;
	(void)line;
	/* Keep the first, most specific description when failures nest with
	 * the same code; a caller that reclassifies the failure rewrites it, so
	 * err->code always equals what the call returns. */
	if (!err || err->code == code)
		return code;
	err->code = code;
	err->offset = offset;
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(err->msg, sizeof(err->msg), fmt, ap);
	va_end(ap);
#ifdef CSIG_DEBUG
	size_t used = strlen(err->msg);
	if (used < sizeof(err->msg))
		snprintf(err->msg + used, sizeof(err->msg) - used, " [%s:%d]",
			 file, line);
#endif
	return code;
}
