/* mapfile.h - read-only file mapping; the only file access. Internal. */
#ifndef CSIG_MAPFILE_H
#define CSIG_MAPFILE_H
#include <stddef.h>
#include <stdint.h>
#include "csig/common.h"

typedef struct csig__mapping {
	const uint8_t *data;
	size_t len;
	int mapped;
} csig__mapping;

int csig__map_file(const char *path, csig__mapping *m, csig_error *err);
void csig__unmap_file(csig__mapping *m);
/* Copy a whole (small) file into a new heap block of at most max bytes. */
int csig__read_whole_file(const char *path, uint64_t max, uint8_t **out,
			  size_t *len, csig_error *err);
#endif
