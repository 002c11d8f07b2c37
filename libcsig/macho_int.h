/*
 * macho_int.h - the structures behind csig_file, csig_slice, csig_sig and
 * csig_codedir.  Internal.  Everything is filled once at open and never
 * changed afterwards, which is what makes handles shareable across threads.
 */
#ifndef CSIG_MACHO_INT_H
#define CSIG_MACHO_INT_H

#include "csig/codedir.h"
#include "finding.h"
#include "mapfile.h"
#include "rd.h"

struct csig_codedir {
	uint32_t slot;
	csig_bytes bytes;
	uint64_t file_offset;
	uint32_t version, flags, hash_offset, ident_offset;
	uint32_t n_special, n_code, code_limit32;
	uint8_t hash_size, hash_type, platform, page_shift;
	uint32_t scatter_offset, team_offset;
	uint64_t code_limit64;
	int has_exec_seg;
	uint64_t exec_base, exec_limit, exec_flags;
	uint32_t runtime, preencrypt_offset;
	const char *identifier;
	const char *team;          /* NULL when absent */
	csig_bytes slots;          /* special + code slot hashes, contiguous */
	uint8_t cdhash[64];        /* full digest */
	size_t cdhash_len;
	int hash_known;            /* hash type is one we can compute */
};

struct csig_sig {
	const struct csig_slice *slice;
	csig_rd rd;                /* the SuperBlob, its own length */
	csig_blob *blobs;
	size_t nblobs;
	csig_codedir *cds;
	size_t ncds;
	int best;                  /* index into cds, -1 if none */
	struct csig_cms *cms;      /* parsed CMS of slot 0x10000, or NULL */
	struct csig_reqset *reqs;     /* slot 2, or NULL */
	struct csig_plist *ent_xml;   /* slot 5, or NULL */
	struct csig_plist *ent_der;   /* slot 7, or NULL */
	struct csig_plist *constraints[4]; /* slots 8-11, or NULL */
	int cms_status;            /* CSIG_OK, or why the CMS does not parse */
	char cms_error[256];
};

struct csig_slice {
	const struct csig_file *file;
	size_t index;
	uint64_t offset, size;
	csig_rd rd;                /* the slice bytes */
	uint32_t magic;
	int is64, big;
	int32_t cputype, cpusubtype, fat_cputype, fat_cpusubtype;
	uint32_t filetype, ncmds, sizeofcmds, flags;
	size_t header_size;
	csig_lc *lcs;
	size_t nlcs;
	int has_cs;
	uint32_t cs_off, cs_size;
	uint64_t cs_lc_offset;     /* absolute offset of LC_CODE_SIGNATURE */
	int has_uuid;
	uint8_t uuid[16];
	int has_build;
	uint32_t platform, minos, sdk;
	int has_info_plist;
	csig_bytes info_plist;
	int has_text;
	uint64_t text_fileoff, text_filesize;
	struct csig_sig *sig;      /* NULL when unsigned or unreadable */
	int sig_status;            /* CSIG_OK or the parse failure */
	char sig_error[192];
};

struct csig_file {
	const uint8_t *data;
	size_t len;
	uint8_t *copy;             /* CSIG_OPEN_COPY */
	csig__mapping map;         /* csig_file_open_path */
	int kind;
	uint32_t fat_magic;
	struct csig_slice *slices;
	size_t nslices;
	csig__findings findings;
	csig_open_options opts;
};

/* superblob.c: parse the signature of a slice (s->has_cs in range). */
int csig__sig_parse(struct csig_slice *s, csig_rd *sb, struct csig_sig **out,
		    csig__findings *fs, csig_error *err);
void csig__sig_free(struct csig_sig *sig);
/* codedir.c: parse and check one CodeDirectory blob. */
int csig__codedir_parse(csig_codedir *cd, const csig_rd *blob, uint32_t slot,
			csig_error *err);
/* Hash-type priority used to pick the best CD (higher wins), 0 = unusable. */
int csig__hash_rank(int hash_type);

/* verify.c: the findings of a result, for the JSON document */
const csig__findings *csig__verify_findings(const csig_verify_result *r);

/* names.c */
char *csig__flags_join(uint64_t flags, const char *const *names, size_t nnames,
		       const char *sep, char *buf, size_t n);

#endif
