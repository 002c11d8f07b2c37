/*
 * req_int.h - internals of the requirement module (req.c, req_text.c,
 * req_compile.c, req_eval.c).  Internal.
 *
 * A decoded requirement is a tree of req_node in pre-order: node 0 is the
 * root, and every operand view points into the handle's own copy of the blob.
 */
#ifndef CSIG_REQ_INT_H
#define CSIG_REQ_INT_H

#include <stddef.h>
#include <stdint.h>
#include "csig/req.h"
#include "json.h"
#include "util.h"

/* Opcode flags (Security requirement.h). */
#define REQ_OP_FLAG_MASK 0xff000000u
#define REQ_OP_GENERIC_FALSE 0x80000000u  /* has size; default to false */
#define REQ_OP_GENERIC_SKIP 0x40000000u   /* has size; skip, use the next expr */

/* ExprOp. */
enum {
	REQ_OP_FALSE = 0, REQ_OP_TRUE = 1, REQ_OP_IDENT = 2, REQ_OP_APPLE_ANCHOR = 3,
	REQ_OP_ANCHOR_HASH = 4, REQ_OP_INFO_KEY_VALUE = 5, REQ_OP_AND = 6,
	REQ_OP_OR = 7, REQ_OP_CDHASH = 8, REQ_OP_NOT = 9, REQ_OP_INFO_KEY_FIELD = 10,
	REQ_OP_CERT_FIELD = 11, REQ_OP_TRUSTED_CERT = 12, REQ_OP_TRUSTED_CERTS = 13,
	REQ_OP_CERT_GENERIC = 14, REQ_OP_APPLE_GENERIC_ANCHOR = 15,
	REQ_OP_ENTITLEMENT_FIELD = 16, REQ_OP_CERT_POLICY = 17,
	REQ_OP_NAMED_ANCHOR = 18, REQ_OP_NAMED_CODE = 19, REQ_OP_PLATFORM = 20,
	REQ_OP_NOTARIZED = 21, REQ_OP_CERT_FIELD_DATE = 22,
	REQ_OP_LEGACY_DEV_ID = 23, REQ_OP_COUNT = 24
};

/* MatchOperation. */
enum {
	REQ_MATCH_EXISTS = 0, REQ_MATCH_EQUAL = 1, REQ_MATCH_CONTAINS = 2,
	REQ_MATCH_BEGINS = 3, REQ_MATCH_ENDS = 4, REQ_MATCH_LT = 5,
	REQ_MATCH_GT = 6, REQ_MATCH_LE = 7, REQ_MATCH_GE = 8, REQ_MATCH_ON = 9,
	REQ_MATCH_BEFORE = 10, REQ_MATCH_AFTER = 11, REQ_MATCH_ON_OR_BEFORE = 12,
	REQ_MATCH_ON_OR_AFTER = 13, REQ_MATCH_ABSENT = 14, REQ_MATCH_COUNT = 15
};

/* Certificate slots. */
#define REQ_SLOT_LEAF 0
#define REQ_SLOT_ROOT (-1)

#define REQ_NO_KID UINT32_MAX

typedef struct req_node {
	uint32_t op;          /* as stored, flags included */
	int32_t slot;         /* certificate slot, or the platform value */
	csig_bytes a;         /* ident, key, OID, hash, name */
	csig_bytes b;         /* value of opInfoKeyValue */
	uint32_t kid[2];      /* operands (REQ_NO_KID when unused) */
	uint8_t has_match;    /* mop/mval/ts are set */
	uint32_t mop;         /* match operation */
	csig_bytes mval;      /* match data */
	int64_t ts;           /* match date, seconds since 2001-01-01 */
	uint32_t off;         /* offset of the opcode from the blob start */
	uint32_t skip;        /* payload bytes skipped (unknown flagged opcode) */
} req_node;

/* Flags on a decoded requirement, for round-trip classification. */
#define REQ_F_UNKNOWN_OP 0x1u     /* a flagged unknown opcode was skipped */
#define REQ_F_UNKNOWN_MATCH 0x2u  /* a match operation outside 0..14 */
#define REQ_F_LOSSY 0x4u          /* text compiles, but to a different tree */
#define REQ_F_NOCOMPILE 0x8u      /* text may not compile (hostile field keys) */

struct csig_req {
	uint8_t *blob;        /* owned copy of the whole blob */
	size_t len;
	uint64_t base;        /* absolute offset of blob[0] (messages) */
	uint32_t kind;
	req_node *nodes;      /* pre-order; nodes[0] is the root */
	size_t n_nodes;
	csig_bytes lwcr;      /* kind 2 payload */
	unsigned flags;       /* REQ_F_* */
};

struct csig_reqset {
	uint8_t *blob;        /* owned copy */
	size_t len;
	size_t count;
	uint32_t *types;
	csig_req **reqs;
	unsigned flags;       /* REQ_F_LOSSY when entries are unsorted/duplicated */
};

/* Growable NUL-terminated text buffer with a sticky failure. */
typedef struct req_sb {
	char *p;
	size_t len, cap;
	int failed;
} req_sb;

void csig__req_sb_put(req_sb *sb, const char *s, size_t n);
void csig__req_sb_puts(req_sb *sb, const char *s);
void csig__req_sb_printf(req_sb *sb, const char *fmt, ...) CSIG_PRINTF(2, 3);
void csig__req_sb_hex(req_sb *sb, const uint8_t *p, size_t n);
/* Hand the text over (csig_free); CSIG_E_NOMEM on failure. */
int csig__req_sb_finish(req_sb *sb, char **out, size_t *len);
void csig__req_sb_discard(req_sb *sb);

/* Apple's Dumper::data: quoting modes, keywords, dotOkay for keys. */
void csig__req_text_data(req_sb *sb, csig_bytes d, int dot_ok);
/* Dotted text of OID content octets, or "0x<hex>" when not canonical. */
void csig__req_text_oid(req_sb *sb, csig_bytes oid);
/* `timestamp "YYYYMMDDhhmmssZ"` (or `timestamp "@N"` out of range). */
void csig__req_text_date(req_sb *sb, int64_t ts);
/* The match suffix of a node as the dumper prints it (" = x", " /\* exists *\/"). */
void csig__req_text_match(req_sb *sb, const req_node *n);
/* Text of the subtree at node @idx, at the top syntax level. */
int csig__req_node_text(const csig_req *req, uint32_t idx, char **out, size_t *len);

/* Date helpers: seconds since 2001-01-01 <-> civil time. */
int csig__req_parse_date(const char *s, size_t n, int64_t *out);

/*
 * Parse at an absolute base offset (used by the signature parser, so error
 * offsets are file offsets).  Same contract as the public functions.
 */
int csig__req_parse_at(csig_req **out, const void *blob, size_t len,
		       uint64_t base, const csig_open_options *opts,
		       csig_error *err);
int csig__reqset_parse_at(csig_reqset **out, const void *blob, size_t len,
			  uint64_t base, const csig_open_options *opts,
			  csig_error *err);

/*
 * Round-trip class of the text of a decoded requirement or set:
 * 0 = text compiles back to the same text; 1 = text compiles, and the text
 * of that is stable; 2 = text does not compile (kind 2, unknown match
 * operations, an empty set).
 */
int csig__req_roundtrip_class(const csig_req *req);
int csig__reqset_roundtrip_class(const csig_reqset *set);

/* JSON: {"type","type_name","text","raw"} list for a set; result trace. */
void csig__req_json(csig_json *j, const csig_req *req);
void csig__reqset_json(csig_json *j, const csig_reqset *s);
void csig__req_result_json(csig_json *j, const csig_req_result *r);

#endif
