/*
 * finding.h - growable lists of findings (data, not errors).  Internal.
 */
#ifndef CSIG_FINDING_H
#define CSIG_FINDING_H

#include "csig/macho.h"
#include "util.h"

typedef struct csig__findings {
	csig_finding *items;
	size_t count, cap;
	int nomem;  /* sticky: an allocation failed while adding */
} csig__findings;

/* Append a finding; the message is formatted and owned by the list.
 * On allocation failure the finding is dropped and fs->nomem set. */
void csig__finding_add(csig__findings *fs, const char *id, int severity,
		       int slice, int cd, uint64_t offset, const char *fmt, ...)
	CSIG_PRINTF(7, 8);
void csig__findings_free(csig__findings *fs);
/* Highest severity present, or -1 for none. */
int csig__findings_max_severity(const csig__findings *fs);

#endif
