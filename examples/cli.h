/*
 * cli.h - shared pieces of the csig command-line tool.  The tool uses only
 * the public API (csig.h), like libgit2's examples.
 *
 * Exit codes (every subcommand):
 *   0  success / valid / satisfied
 *   1  invalid / not satisfied / a check failed
 *   2  the input could not be read (not a recognised file, unreadable,
 *      headers truncated)
 *   3  indeterminate (requirement evaluation, check-update)
 *   64 usage error
 */
#ifndef CSIG_CLI_H
#define CSIG_CLI_H

#include <stdio.h>
#include "csig.h"

#define EXIT_VALID 0
#define EXIT_INVALID 1
#define EXIT_UNREADABLE 2
#define EXIT_INDETERMINATE 3
#define EXIT_USAGE 64

/* Options common to the subcommands. */
typedef struct cli_opts {
	const char *arch;     /* --arch NAME */
	int json;             /* --json */
	int verbose;          /* -v, repeatable */
	unsigned jobs;        /* --jobs N */
	int load_commands;    /* --load-commands (decoded in JSON) */
	int check_expiration; /* --check-expiration */
	int pem;              /* --pem */
	int der;              /* --der */
	int xml;              /* --xml */
	int text;             /* --text */
	const char *req_compile; /* req --compile TEXT */
	const char *req_check;   /* req --check TEXT */
	const char *output;      /* -o FILE */
	int64_t at;           /* --at DATE, 0 = unset */
	const char *match;    /* --match MACHO (csig profile) */
	unsigned within;      /* --within DAYS (csig audit), 0 = unset */
	int strict;           /* --strict (csig audit) */
	const char *requirement; /* --requirement TEXT (csig check-update) */
	int verify;           /* scan --verify: full hash verification */
	int cross_mounts;     /* scan --cross-mounts (default: --xdev) */
	int argc;             /* remaining positional arguments */
	char **argv;
} cli_opts;

typedef struct cli_command {
	const char *name;
	int (*run)(const cli_opts *o);
	const char *usage;
	const char *summary;
} cli_command;

/*
 * Open each positional argument as a Mach-O, resolve --arch, and call
 * fn(o, path, f, only) where only is the chosen slice index or -1 for all.
 * Returns the highest exit code seen (unreadable files count as 2).
 */
typedef int (*cli_file_fn)(const cli_opts *o, const char *path, const csig_file *f, int only);
int cli_for_each_file(const cli_opts *o, cli_file_fn fn);

/* Parse common options of a subcommand; returns 0 or EXIT_USAGE. */
int cli_parse_opts(int argc, char **argv, cli_opts *o, const char *usage);
/* Open a Mach-O file; prints the error and returns EXIT_UNREADABLE on failure. */
int cli_open(const char *path, csig_file **out);
/* Slice index chosen by --arch, -1 for all; prints and returns -2 if absent. */
int cli_pick_slice(const csig_file *f, const char *arch);
void cli_print_error(const char *path, int code, const csig_error *err);
void cli_hex(FILE *out, const uint8_t *p, size_t n);
void cli_print_json(char *text);

int cmd_macho(const cli_opts *o);
int cmd_info(const cli_opts *o);
int cmd_verify(const cli_opts *o);
int cmd_certs(const cli_opts *o);
int cmd_ent(const cli_opts *o);
int cmd_req(const cli_opts *o);
int cmd_profile(const cli_opts *o);
int cmd_audit(const cli_opts *o);
int cmd_check_update(const cli_opts *o);
int cmd_scan(const cli_opts *o);
/* A directory or an .ipa: handled by the bundle code in cli_bundle.c. */
int cli_is_bundle_path(const char *path);
int cli_verify_bundle(const cli_opts *o, const char *path);
/* Authority=..., Signed Time=..., Timestamp=... lines of a signature. */
void cli_print_authority(const csig_sig *sig);

#endif
