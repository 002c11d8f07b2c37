/* fuzz_plist_xml.c - the XML property-list reader on hostile bytes (see plist_harness.h). */
#include "plist_harness.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);
int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	return fuzz_plist(data, size, CSIG_PLIST_XML);
}
