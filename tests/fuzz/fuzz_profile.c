/*
 * fuzz_profile.c - provisioning profiles: parse (CMS or bare plist), check at
 * a fixed time, every getter, JSON.  Invariants: a failure is a negative code
 * with no handle; a verdict is one of the six; a decodable certificate entry
 * has status CSIG_OK and an undecodable one a negative status.
 */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include "csig.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	csig_profile *p = NULL;
	csig_error err;
	if (csig_profile_parse(&p, data, size, NULL, &err) != 0) {
		if (err.code >= 0 || p != NULL)
			abort();
		return 0;
	}
	csig_profile_result *r;
	if (csig_profile_check(p, 1700000000, &r, NULL) == 0) {
		int v = csig_profile_result_verdict(r);
		if (v < CSIG_PROFILE_VALID || v > CSIG_PROFILE_MALFORMED)
			abort();
		if (!csig_profile_is_signed(p) && csig_profile_result_cms(r) != NULL)
			abort();
		csig_profile_result_free(r);
	}
	for (size_t i = 0; i < csig_profile_cert_count(p); i++) {
		int st = csig_profile_cert_status(p, i, NULL);
		if ((csig_profile_cert(p, i) != NULL) != (st == CSIG_OK) || st > 0)
			abort();
	}
	for (size_t i = 0; i < csig_profile_team_id_count(p); i++)
		(void)csig_profile_team_id(p, i);
	(void)csig_profile_kind_of(p);
	int64_t t;
	(void)csig_profile_expiration_date(p, &t);
	char *s;
	if (csig_profile_json(p, 1700000000, 0, &s, NULL, NULL) == 0)
		csig_free(s);
	csig_profile_free(p);
	return 0;
}
