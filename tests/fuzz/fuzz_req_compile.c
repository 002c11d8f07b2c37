/*
 * fuzz_req_compile.c - compile arbitrary text; on success the blob must
 * decode, and its text must compile to the same text.
 */
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "csig.h"

static char *text_of(const uint8_t *o, size_t ol, int set)
{
	char *t = NULL;
	if (set) {
		csig_reqset *s = NULL;
		if (csig_reqset_parse(&s, o, ol, NULL, NULL) != 0 ||
		    csig_reqset_to_text(s, &t, NULL, NULL) != 0)
			abort();
		csig_reqset_free(s);
	} else {
		csig_req *q = NULL;
		if (csig_req_parse(&q, o, ol, NULL, NULL) != 0 ||
		    csig_req_to_text(q, &t, NULL, NULL) != 0)
			abort();
		csig_req_free(q);
	}
	return t;
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	uint8_t *o = NULL;
	size_t ol = 0;
	int set = 0;
	csig_error err;
	memset(&err, 0, sizeof(err));
	int e = csig_req_compile((const char *)data, size, &o, &ol, &set, &err);
	if (e) {
		if (o || err.code != e)
			abort();
		return 0;
	}
	char *t = text_of(o, ol, set);
	uint8_t *o2 = NULL;
	size_t ol2 = 0;
	int set2 = 0;
	if (csig_req_compile(t, strlen(t), &o2, &ol2, &set2, NULL) != 0 || set2 != set)
		abort();
	char *t2 = text_of(o2, ol2, set2);
	if (strcmp(t, t2) != 0)
		abort();
	csig_free(t);
	csig_free(t2);
	csig_free(o);
	csig_free(o2);
	return 0;
}
