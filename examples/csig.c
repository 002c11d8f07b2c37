/*
 * csig.c - the csig command-line tool: a command table in the style of
 * libgit2's lg2.c.  Each subcommand lives in examples/cli_<name>.c and uses
 * only the public API.  See csig(1).
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static const cli_command commands[] = {
	{ "macho", cmd_macho, "csig macho [--arch A] [--json] [--load-commands] FILE",
	  "Mach-O header, slices and load commands" },
	{ "info", cmd_info, "csig info [--arch A] [--json] [-v...] FILE",
	  "signature details, like codesign -dvvv" },
	{ "verify", cmd_verify,
	  "csig verify [--arch A] [--json] [--jobs N] [--check-expiration] [--at DATE] FILE",
	  "verify hashes and the CMS signature; exit 0 valid, 1 invalid, 2 unreadable" },
	{ "req", cmd_req,
	  "csig req [--arch A] FILE | csig req --compile TEXT [-o FILE] | csig req --check TEXT FILE",
	  "requirements: print, compile, or evaluate with a trace (exit 0/1/3)" },
	{ "ent", cmd_ent, "csig ent [--arch A] [--xml|--json|--text] [--der] FILE",
	  "entitlements: original XML bytes, JSON, or the DER blob as XML" },
	{ "profile", cmd_profile,
	  "csig profile [--json] [--at DATE] [--match MACHO [--arch A]] FILE...",
	  "provisioning profile: keys, kind, certificates, verdict; --match checks a binary" },
	{ "scan", cmd_scan,
	  "csig scan [--verify] [--jobs N] [--at DATE] [--cross-mounts] DIR|FILE...",
	  "walk trees; one JSON line per Mach-O, bundle, ipa or profile, then a summary" },
	{ "audit", cmd_audit,
	  "csig audit [--json] [--at DATE] [--within DAYS] [--strict] PATH...",
	  "expiry audit of a binary, bundle, .ipa or profile; exit 1 when launch breaks soon" },
	{ "check-update", cmd_check_update,
	  "csig check-update [--json] [--requirement TEXT] OLD NEW",
	  "does NEW satisfy OLD's designated requirement? exit 0 yes, 1 no, 3 indeterminate" },
	{ "certs", cmd_certs, "csig certs [--arch A] [--json] [--pem] FILE",
	  "the signing certificate chain (codesign's Authority lines, with details)" },
};

static void usage(FILE *out)
{
	fprintf(out, "usage: csig COMMAND [options] FILE\n\ncommands:\n");
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++)
		fprintf(out, "  %-8s %s\n", commands[i].name, commands[i].summary);
	fprintf(out,
		"\ncommon options: --arch NAME  --json  -v  --jobs N  --help\n"
		"exit status: 0 valid, 1 invalid, 2 unreadable input, 3 indeterminate, 64 usage\n"
		"libcsig %s\n", csig_version_string());
}

int main(int argc, char **argv)
{
	if (argc < 2) {
		usage(stderr);
		return EXIT_USAGE;
	}
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0 ||
	    strcmp(argv[1], "help") == 0) {
		usage(stdout);
		return 0;
	}
	if (strcmp(argv[1], "--version") == 0) {
		printf("csig (libcsig) %s\n", csig_version_string());
		return 0;
	}
	for (size_t i = 0; i < sizeof(commands) / sizeof(commands[0]); i++) {
		if (strcmp(argv[1], commands[i].name) != 0)
			continue;
		cli_opts o;
		int rc = cli_parse_opts(argc - 1, argv + 1, &o, commands[i].usage);
		if (rc >= 0)
			return rc;
		return commands[i].run(&o);
	}
	fprintf(stderr, "csig: unknown command '%s'\n", argv[1]);
	usage(stderr);
	return EXIT_USAGE;
}
