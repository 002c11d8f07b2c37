/* fuzz_cms.c - CMS parsing, verification (the input is also the content) and JSON. */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include "csig/cms.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	csig_cms *m;
	csig_error err;
	if (csig_cms_parse(&m, data, size, NULL, &err) != 0) {
		if (err.code >= 0)
			abort();
		return 0;
	}
	if (csig_cms_chain_count(m) > csig_cms_cert_count(m) + 1)
		abort();
	csig_cms_result *r;
	csig_bytes content = { data, size / 2 };
	if (csig_cms_verify(m, content, 1700000000, &r, NULL) == 0) {
		/* a tampered or random input never verifies completely by accident */
		char *s;
		if (csig_cms_to_json(m, r, 0, &s, NULL) == 0)
			csig_free(s);
		csig_cms_result_free(r);
	}
	csig_cms_free(m);
	return 0;
}
