/*
 * coderes.h - _CodeSignature/CodeResources: seals and rules.  Internal.
 *
 * The file is a plist (XML in practice; any encoding csig_plist_parse reads
 * is accepted) with "files"/"rules" (version 1) and "files2"/"rules2"
 * (version 2; used whenever "files2" is present).  Seal values:
 *   <data>                               SHA-1 ("hash")
 *   {hash, hash2, hash3, hash4, optional} digests by CodeDirectory hash type
 *   {symlink = target, optional}
 *   {cdhash = <20 bytes>, requirement = text, optional}   nested code
 * Rule keys are POSIX extended regular expressions (libc regcomp with
 * REG_EXTENDED|REG_NOSUB) matched against the relative path; values are
 * true or {omit, optional, nested, weight}.  The highest weight wins (ties:
 * the first in file order); an exclusion wins outright.
 *
 * Problems that do not stop parsing (a malformed seal or rule, a path that
 * could escape the bundle, a pattern refused for safety) are kept as
 * findings, with id and message, for the bundle verifier to report.
 */
#ifndef CSIG_CODERES_H
#define CSIG_CODERES_H

#include <regex.h>
#include "csig/plist.h"
#include "finding.h"

#define CSIG__CODERES_MAX_RULES 1024u
#define CSIG__CODERES_MAX_PATTERN 1024u /* bytes of one rule pattern */

enum {
	CSIG__SEAL_BAD = 0,      /* malformed value (a finding says why) */
	CSIG__SEAL_HASH = 1,
	CSIG__SEAL_SYMLINK = 2,
	CSIG__SEAL_NESTED = 3
};

typedef struct csig__seal {
	const char *path;        /* borrowed from the plist; NUL-terminated */
	uint64_t offset;         /* of the value in CodeResources */
	int kind;                /* CSIG__SEAL_* */
	int optional;
	csig_bytes hash[6];      /* index = CodeDirectory hash type (1..4) */
	const char *symlink;     /* CSIG__SEAL_SYMLINK */
	csig_bytes cdhash;       /* CSIG__SEAL_NESTED */
	const char *requirement; /* CSIG__SEAL_NESTED, may be NULL */
} csig__seal;

#define CSIG__RULE_OMIT 0x1u
#define CSIG__RULE_OPTIONAL 0x2u
#define CSIG__RULE_NESTED 0x4u
#define CSIG__RULE_EXCLUSION 0x8u

typedef struct csig__rule {
	const char *pattern;     /* borrowed from the plist */
	regex_t re;
	int compiled;
	unsigned flags;          /* CSIG__RULE_* */
	double weight;
} csig__rule;

typedef struct csig__coderes {
	csig_plist *doc;
	int version;             /* 1 (files/rules) or 2 (files2/rules2) */
	csig__seal *seals;       /* sorted by path */
	size_t nseals;
	csig__rule *rules;       /* file order */
	size_t nrules;
	csig__findings fs;       /* problems found while parsing */
} csig__coderes;

/*
 * Parse CodeResources bytes.
 * @return CSIG_OK; plist errors (CSIG_E_SYNTAX, CSIG_E_BADMAGIC, ...);
 *   CSIG_E_BADVALUE (root not a dict, "files2"/"files" not a dict);
 *   CSIG_E_LIMIT (more than CSIG__CODERES_MAX_RULES rules); CSIG_E_NOMEM.
 */
int csig__coderes_parse(csig__coderes **out, const void *buf, size_t len,
			const csig_open_options *opts, csig_error *err);
void csig__coderes_free(csig__coderes *cr);
/* The seal of path, or NULL. */
const csig__seal *csig__coderes_find(const csig__coderes *cr, const char *path);
/* The rule that governs path (NULL: no rule matches, the path is ignored). */
const csig__rule *csig__coderes_match(const csig__coderes *cr, const char *path);
/* Strongest digest a seal carries: sets *type; empty view when none. */
csig_bytes csig__seal_best_hash(const csig__seal *s, int *type);

#endif
