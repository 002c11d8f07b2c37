/*
 * plist_harness.h - the shared body of the three property-list fuzz targets
 * (fuzz_plist_xml, fuzz_plist_bin, fuzz_plist_der), which differ only in
 * the encoding they accept.
 * Invariants on success: a root exists, every node is reachable within the
 * limits, and the XML/JSON/text writers run; the XML written parses back to
 * an equal tree.  Failure must carry a message.
 */
#ifndef CSIG_PLIST_HARNESS_H
#define CSIG_PLIST_HARNESS_H
#include <stdint.h>
#include <stdlib.h>
#include <string.h>
#include "csig.h"
#include "plist_int.h"

static size_t walk(const csig_pval *v, unsigned depth)
{
	if (!v || depth > CSIG_LIMIT_DEPTH_DEFAULT + 1)
		abort();
	size_t n = 1, c = csig_pval_count(v);
	for (size_t i = 0; i < c; i++) {
		if (csig_pval_type_of(v) == CSIG_PVAL_DICT) {
			if (csig_pval_type_of(csig_pval_dict_key(v, i)) != CSIG_PVAL_STRING)
				abort();
			n += walk(csig_pval_dict_value(v, i), depth + 1);
		} else {
			n += walk(csig_pval_array_item(v, i), depth + 1);
		}
	}
	return n;
}

/* Parse data with exactly one encoding and check the invariants above. */
static int fuzz_plist(const uint8_t *data, size_t size, unsigned format)
{
	csig_plist *d = NULL;
	csig_error err;
	int e = csig_plist_parse(&d, data, size, format, NULL, &err);
	if (e) {
		if (d || err.code != e || !err.msg[0])
			abort();
		return 0;
	}
	size_t nodes = walk(csig_plist_root(d), 1);
	if (nodes > CSIG_LIMIT_COUNT_DEFAULT)
		abort();
	for (size_t i = 0; i < csig_plist_finding_count(d); i++)
		if (csig_plist_finding(d, i, NULL, NULL, NULL))
			abort();
	char *x = NULL, *j = NULL, *t = NULL;
	size_t xl;
	if (csig_plist_to_xml(d, NULL, &x, &xl, NULL) ||
	    csig_plist_to_json(d, NULL, 0, &j, NULL, NULL) ||
	    csig_plist_to_text(d, NULL, &t, NULL, NULL))
		abort();
	csig_plist *d2 = NULL;
	/* the round trip is skipped for huge trees to keep the fuzzer fast */
	if (nodes < 20000 && csig_plist_parse(&d2, x, xl, CSIG_PLIST_XML, NULL, NULL) == 0) {
		/* UIDs become CF$UID dicts in XML; anything else must survive */
		if (csig_plist_format(d) == CSIG_PLIST_DER &&
		    csig__pval_equal(csig_plist_root(d), csig_plist_root(d2)))
			abort();
	}
	csig_plist_free(d2);
	csig_free(x);
	csig_free(j);
	csig_free(t);
	csig_plist_free(d);
	return 0;
}

#endif
