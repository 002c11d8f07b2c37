/*
 * plist_int.h - the property-list value model shared by the XML, binary and
 * DER readers and the serializers.  Internal.
 *
 * A document owns a copy of its input and an arena holding every node,
 * string and child array; freeing the document frees the arena in one go.
 * Binary plists may reference one object from several places: those nodes
 * are shared (the tree is a DAG), which is fine because nodes are immutable.
 */
#ifndef CSIG_PLIST_INT_H
#define CSIG_PLIST_INT_H

#include <stddef.h>
#include <stdint.h>
#include "csig/plist.h"
#include "json.h"
#include "rd.h"
#include "util.h"

#define PV_F_UNSIGNED 0x1u  /* INTEGER: value is num.u and > INT64_MAX */
#define PV_F_SET 0x2u       /* ARRAY: was a binary-plist set */

struct csig_pval {
	uint8_t type;          /* csig_pval_type */
	uint8_t flags;         /* PV_F_* */
	uint64_t off;          /* input offset of the value */
	size_t count;          /* DICT entries / ARRAY items */
	const csig_pval **kids;/* ARRAY: count items; DICT: 2*count, key then value */
	const char *str;       /* STRING/DATA bytes, NUL-terminated copy */
	size_t len;            /* STRING/DATA length */
	union {
		int64_t i;     /* INTEGER (signed), BOOL, UID (as u) */
		uint64_t u;
		double d;      /* REAL; DATE (unix seconds) */
	} num;
};

struct plist_chunk;

#define PLIST_MAX_FINDINGS 256

typedef struct plist_finding {
	int code;
	uint64_t off;
	const char *msg;       /* arena */
} plist_finding;

struct csig_plist {
	unsigned format;       /* CSIG_PLIST_XML/_BINARY/_DER */
	uint32_t blob_magic;   /* set by csig_ent_parse */
	uint8_t *src;          /* copy of the input */
	size_t src_len;
	uint64_t base;         /* absolute offset of src[0], for messages */
	const csig_pval *root;
	struct plist_chunk *arena;
	plist_finding *findings;
	size_t nfindings;
	int findings_full;
	unsigned max_depth;
	uint64_t max_count;
	uint64_t nodes;        /* tree nodes so far (shared nodes counted per use) */
};

/* Allocate zeroed, 16-aligned memory from the document arena (NULL on OOM). */
void *csig__plist_alloc(csig_plist *d, size_t n);
/* Arena copy of n bytes plus a NUL. */
char *csig__plist_strdup(csig_plist *d, const void *p, size_t n);
/*
 * New node of @type at input offset @off, counted against max_count.
 * Returns CSIG_OK, CSIG_E_LIMIT or CSIG_E_NOMEM (with *err filled).
 */
int csig__plist_node(csig_plist *d, int type, uint64_t off, csig_pval **out,
		     csig_error *err);
/* Charge @n extra tree nodes (for shared binary-plist objects). */
int csig__plist_charge(csig_plist *d, uint64_t n, uint64_t off, csig_error *err);
/* Record a finding; returns CSIG_OK or CSIG_E_NOMEM. */
int csig__plist_finding(csig_plist *d, int code, uint64_t off,
			const char *fmt, ...) CSIG_PRINTF(4, 5);
/* Validate UTF-8: 0 if valid, else the byte index of the first problem + 1. */
size_t csig__utf8_check(const uint8_t *p, size_t n);

/*
 * Empty document holding a copy of buf; base is the absolute offset of
 * buf[0] used in messages and findings.
 */
int csig__plist_new(csig_plist **out, const void *buf, size_t len,
		    uint64_t base, const csig_open_options *opts,
		    csig_error *err);
/* The readers: parse d->src into d->root. */
int csig__plist_parse_xml(csig_plist *d, csig_error *err);
int csig__plist_parse_bin(csig_plist *d, csig_error *err);
int csig__plist_parse_der(csig_plist *d, csig_error *err);
/* Parse with an explicit base offset (ent.c uses 8 for the blob header). */
int csig__plist_parse_at(csig_plist **out, const void *buf, size_t len,
			 uint64_t base, unsigned flags,
			 const csig_open_options *opts, csig_error *err);

/* Serialize v into a JSON writer: the shape csig_plist_to_json documents. */
void csig__plist_json(csig_json *j, const csig_pval *v);

/* Growable text buffer for the text/XML writers (sticky failure). */
typedef struct plist_sb {
	char *buf;
	size_t len, cap;
	int failed;
} plist_sb;
void csig__sb_put(plist_sb *s, const void *p, size_t n);
void csig__sb_puts(plist_sb *s, const char *str);
void csig__sb_printf(plist_sb *s, const char *fmt, ...) CSIG_PRINTF(2, 3);
int csig__sb_finish(plist_sb *s, char **out, size_t *len, csig_error *err);

/* Temporary vector of node pointers used while a container is read. */
typedef struct plist_vec {
	const csig_pval **v;
	size_t n, cap;
} plist_vec;
/* Append; CSIG_OK or CSIG_E_NOMEM (nothing written to err). */
int csig__vec_push(plist_vec *p, const csig_pval *x);
void csig__vec_free(plist_vec *p);
/*
 * Finish container @v from the vector (dict: key, value pairs), copying the
 * pointers into the arena; dicts are checked for duplicate keys (finding).
 */
int csig__plist_container(csig_plist *d, csig_pval *v, const plist_vec *kids,
			  csig_error *err);

/* Compare two values deeply (type and content); 0 when equal. */
int csig__pval_equal(const csig_pval *a, const csig_pval *b);

#endif
