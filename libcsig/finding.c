/* finding.c - growable finding lists (see finding.h). */
#include <stdarg.h>
#include <stdio.h>
#include <string.h>
#include "finding.h"

void csig__finding_add(csig__findings *fs, const char *id, int severity,
		       int slice, int cd, uint64_t offset, const char *fmt, ...)
{
	if (fs->count == fs->cap) {
		size_t cap = fs->cap ? fs->cap * 2 : 8;
		csig_finding *n = csig__realloc(fs->items, cap * sizeof(*n));
		if (!n) {
			fs->nomem = 1;
			return;
		}
		fs->items = n;
		fs->cap = cap;
	}
	char buf[512];
	va_list ap;
	va_start(ap, fmt);
	vsnprintf(buf, sizeof(buf), fmt, ap);
	va_end(ap);
	char *msg = csig__strndup(buf, strlen(buf));
	if (!msg) {
		fs->nomem = 1;
		return;
	}
	csig_finding *f = &fs->items[fs->count++];
	f->id = id;
	f->severity = severity;
	f->slice = slice;
	f->cd = cd;
	f->offset = offset;
	f->message = msg;
}

void csig__findings_free(csig__findings *fs)
{
	for (size_t i = 0; i < fs->count; i++)
		csig__free((void *)(uintptr_t)fs->items[i].message);
	csig__free(fs->items);
	fs->items = NULL;
	fs->count = fs->cap = 0;
}

int csig__findings_max_severity(const csig__findings *fs)
{
	int m = -1;
	for (size_t i = 0; i < fs->count; i++)
		if (fs->items[i].severity > m)
			m = fs->items[i].severity;
	return m;
}
