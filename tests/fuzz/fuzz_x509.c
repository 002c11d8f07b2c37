/* fuzz_x509.c - certificate parsing, getters, JSON and self-verification. */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include <string.h>
#include "x509_int.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	csig_cert *c;
	csig_error err;
	if (csig_cert_parse(&c, data, size, NULL, &err) != 0) {
		if (err.code >= 0)
			abort(); /* a failure always carries its code */
		return 0;
	}
	if (csig_cert_der(c).len != size || csig_cert_tbs(c).len > size)
		abort();
	(void)csig_cert_subject_cn(c);
	(void)csig_cert_team_id(c);
	for (size_t i = 0; i < csig_cert_apple_marker_count(c); i++)
		if (!csig_cert_apple_marker(c, i, NULL))
			abort();
	for (size_t i = 0; i < csig_cert_subject_attr_count(c); i++) {
		const char *v;
		if (csig_cert_subject_attr_at(c, i, NULL, NULL, &v) || strlen(v) > size * 3)
			abort();
	}
	(void)csig_cert_verify_signature(c, c);
	char *s;
	if (csig_cert_pem(c, &s, NULL) == 0)
		csig_free(s);
	csig_json j;
	json_init(&j, 0);
	csig__cert_json(&j, c);
	if (json_finish(&j, &s, NULL, NULL) == 0)
		csig_free(s);
	csig_cert_free(c);
	return 0;
}
