/*
 * fuzz_req_decode.c - decode a requirement or requirement set; on success
 * the text must compile, and text -> compile -> text must be stable.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "csig.h"
#include "req_int.h"

static char *text_of_blob(const uint8_t *b, size_t n, int set)
{
	char *t = NULL;
	if (set) {
		csig_reqset *s = NULL;
		if (csig_reqset_parse(&s, b, n, NULL, NULL) != 0)
			abort();
		if (csig_reqset_to_text(s, &t, NULL, NULL) != 0)
			abort();
		csig_reqset_free(s);
	} else {
		csig_req *q = NULL;
		if (csig_req_parse(&q, b, n, NULL, NULL) != 0)
			abort();
		if (csig_req_to_text(q, &t, NULL, NULL) != 0)
			abort();
		csig_req_free(q);
	}
	return t;
}

static char *recompile(const char *t)
{
	uint8_t *o = NULL;
	size_t ol = 0;
	int set = 0;
	if (csig_req_compile(t, strlen(t), &o, &ol, &set, NULL) != 0)
		abort();   /* everything the decompiler prints must compile */
	char *r = text_of_blob(o, ol, set);
	csig_free(o);
	return r;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	csig_req *q = NULL;
	csig_reqset *s = NULL;
	int cls = 2;
	char *t = NULL;
	if (csig_req_parse(&q, data, size, NULL, NULL) == 0) {
		if (csig_req_to_text(q, &t, NULL, NULL) != 0)
			abort();
		cls = csig__req_roundtrip_class(q);
		csig_req_ctx ctx = CSIG_REQ_CTX_INIT;
		csig_req_result *r = NULL;
		if (csig_req_eval(q, &ctx, &r, NULL) != 0)
			abort();
		csig_req_result_free(r);
	} else if (csig_reqset_parse(&s, data, size, NULL, NULL) == 0) {
		if (csig_reqset_to_text(s, &t, NULL, NULL) != 0)
			abort();
		cls = csig__reqset_roundtrip_class(s);
	}
	if (t && cls < 2) {
		char *t2 = recompile(t);
		char *t3 = recompile(t2);
		if (strcmp(t2, t3) != 0 || (cls == 0 && strcmp(t, t2) != 0))
			abort();
		csig_free(t2);
		csig_free(t3);
	}
	csig_free(t);
	csig_req_free(q);
	csig_reqset_free(s);
	return 0;
}
