/*
 * mapfile.c - the one module that touches the file system for Mach-O input:
 * map a file read-only (PROT_READ, MAP_PRIVATE) and hand memory to the
 * parsers.  The library never writes to files it reads.
 */
#include <errno.h>
#include <fcntl.h>
#include <string.h>
#include <sys/mman.h>
#include <sys/stat.h>
#include <unistd.h>
#include "mapfile.h"
#include "util.h"

int csig__map_file(const char *path, csig__mapping *m, csig_error *err)
{
	memset(m, 0, sizeof(*m));
	int fd = open(path, O_RDONLY | O_CLOEXEC);
	if (fd < 0)
		return CSIG_FAIL(err, CSIG_E_IO, 0, "cannot open %s: %s", path,
				 strerror(errno));
	struct stat st;
	if (fstat(fd, &st) != 0) {
		int e = errno;
		close(fd);
		return CSIG_FAIL(err, CSIG_E_IO, 0, "cannot stat %s: %s", path,
				 strerror(e));
	}
	if (!S_ISREG(st.st_mode)) {
		close(fd);
		return CSIG_FAIL(err, CSIG_E_IO, 0, "%s is not a regular file", path);
	}
	if ((uint64_t)st.st_size > SIZE_MAX) {
		close(fd);
		return CSIG_FAIL(err, CSIG_E_LIMIT, 0, "%s is too large to map", path);
	}
	m->len = (size_t)st.st_size;
	if (m->len == 0) {
		/* mmap rejects length 0; an empty file is simply empty input */
		close(fd);
		m->data = (const uint8_t *)"";
		return CSIG_OK;
	}
	void *p = mmap(NULL, m->len, PROT_READ, MAP_PRIVATE, fd, 0);
	int e = errno;
	close(fd);
	if (p == MAP_FAILED)
		return CSIG_FAIL(err, CSIG_E_IO, 0, "cannot map %s: %s", path,
				 strerror(e));
	m->data = p;
	m->mapped = 1;
	return CSIG_OK;
}

void csig__unmap_file(csig__mapping *m)
{
	if (m->mapped)
		munmap((void *)(uintptr_t)m->data, m->len);
	memset(m, 0, sizeof(*m));
}

int csig__read_whole_file(const char *path, uint64_t max, uint8_t **out,
			  size_t *len, csig_error *err)
{
	csig__mapping m;
	int e = csig__map_file(path, &m, err);
	if (e)
		return e;
	if (m.len > max) {
		csig__unmap_file(&m);
		return CSIG_FAIL(err, CSIG_E_LIMIT, 0, "%s is larger than %llu bytes",
				 path, (unsigned long long)max);
	}
	uint8_t *b = csig__malloc(m.len);
	if (!b) {
		csig__unmap_file(&m);
		return CSIG_FAIL(err, CSIG_E_NOMEM, 0, "out of memory reading %s", path);
	}
	if (m.len)
		memcpy(b, m.data, m.len);
	*out = b;
	*len = m.len;
	csig__unmap_file(&m);
	return CSIG_OK;
}
