/* fuzz_der.c - the BER/DER reader: walk every element recursively. */
#include <stdint.h>
#include <stddef.h>
#include <stdlib.h>
#include "der.h"

static void walk(csig_rd *r, unsigned depth)
{
	csig_der e;
	while (rd_left(r) && csig__der_next(r, depth, &e) == 0) {
		char oid[DER_OID_TEXT_MAX];
		int64_t v;
		csig_arena a;
		const char *s;
		csig_bytes b;
		if (e.val.len > e.raw.len)
			abort(); /* contents can never exceed the element */
		(void)csig__der_oid_text(&e, oid, sizeof(oid));
		(void)csig__der_int64(&e, &v);
		(void)csig__der_time(&e, &v);
		csig__arena_init(&a, 1 << 20);
		(void)csig__der_string(&e, &a, &s);
		if (e.tag == DER_OCTET_STRING && e.cls == DER_UNIVERSAL &&
		    csig__der_octets(&e, depth, &a, &b) == 0 && b.len > e.raw.len)
			abort();
		csig__arena_free(&a);
		if (e.constructed && depth > 0) {
			csig_rd c = e.val;
			walk(&c, depth - 1);
		}
	}
}

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	csig_rd r;
	rd_init(&r, data, size, 0, "fuzz", NULL);
	walk(&r, 32);
	return 0;
}
