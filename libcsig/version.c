/* version.c - run-time version and option defaults (see csig/common.h). */
#include <stdlib.h>
#include "util.h"

#define CSIG_STR2(x) #x
#define CSIG_STR(x) CSIG_STR2(x)

int csig_version_number(void) { return CSIG_VERSION_NUMBER; }

const char *csig_version_string(void)
{
	return CSIG_STR(CSIG_VERSION_MAJOR) "." CSIG_STR(CSIG_VERSION_MINOR)
		"." CSIG_STR(CSIG_VERSION_PATCH);
}

int csig_open_options_init(csig_open_options *opts, unsigned int version)
{
	if (!opts || version != CSIG_OPEN_OPTIONS_VERSION)
		return CSIG_E_INVAL;
	opts->version = version;
	opts->flags = 0;
	opts->max_depth = 0;
	opts->max_count = 0;
	return CSIG_OK;
}

void csig_free(void *p) { csig__free(p); }
