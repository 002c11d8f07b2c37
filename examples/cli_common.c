/* cli_common.c - option parsing and printing shared by csig subcommands. */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

/* Returns -1 to continue, or an exit code (help printed: 0; bad usage: 64). */
int cli_parse_opts(int argc, char **argv, cli_opts *o, const char *usage)
{
	memset(o, 0, sizeof(*o));
	static char *pos[256]; /* CLI only: positional arguments of this run */
	int n = 0;
	for (int i = 1; i < argc; i++) {
		const char *a = argv[i];
		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			printf("usage: %s\n", usage);
			return 0;
		} else if (strcmp(a, "--json") == 0) {
			o->json = 1;
		} else if (strcmp(a, "--load-commands") == 0) {
			o->load_commands = 1;
		} else if (strcmp(a, "--check-expiration") == 0) {
			o->check_expiration = 1;
		} else if (strcmp(a, "--pem") == 0) {
			o->pem = 1;
		} else if (strcmp(a, "--compile") == 0 || strcmp(a, "--check") == 0 ||
			   strcmp(a, "-o") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "csig: %s needs a value\nusage: %s\n", a, usage);
				return EXIT_USAGE;
			}
			const char *v = argv[++i];
			if (a[1] == 'o')
				o->output = v;
			else if (a[3] == 'o')
				o->req_compile = v;
			else
				o->req_check = v;
		} else if (strcmp(a, "--verify") == 0) {
			o->verify = 1;
		} else if (strcmp(a, "--xdev") == 0 || strcmp(a, "--one-filesystem") == 0) {
			o->cross_mounts = 0;
		} else if (strcmp(a, "--cross-mounts") == 0) {
			o->cross_mounts = 1;
		} else if (strcmp(a, "--der") == 0) {
			o->der = 1;
		} else if (strcmp(a, "--xml") == 0) {
			o->xml = 1;
		} else if (strcmp(a, "--text") == 0) {
			o->text = 1;
		} else if (strcmp(a, "--at") == 0) {
			if (i + 1 >= argc || csig_time_parse(argv[i + 1], &o->at) != CSIG_OK) {
				fprintf(stderr, "csig: --at takes YYYY-MM-DD or an RFC 3339 time\n");
				return EXIT_USAGE;
			}
			i++;
		} else if (strncmp(a, "-v", 2) == 0 && strspn(a + 1, "v") == strlen(a + 1)) {
			o->verbose += (int)strlen(a + 1);
		} else if (strcmp(a, "--match") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "csig: --match needs a Mach-O file\nusage: %s\n", usage);
				return EXIT_USAGE;
			}
			o->match = argv[++i];
		} else if (strcmp(a, "--strict") == 0) {
			o->strict = 1;
		} else if (strcmp(a, "--within") == 0) {
			char *end;
			long v = i + 1 < argc ? strtol(argv[i + 1], &end, 10) : -1;
			if (i + 1 >= argc || *end || v < 1 || v > 36500) {
				fprintf(stderr, "csig: --within takes 1..36500 days\n");
				return EXIT_USAGE;
			}
			o->within = (unsigned)v;
			i++;
		} else if (strcmp(a, "--requirement") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "csig: --requirement needs a value\nusage: %s\n", usage);
				return EXIT_USAGE;
			}
			o->requirement = argv[++i];
		} else if (strcmp(a, "--arch") == 0 || strcmp(a, "--jobs") == 0) {
			if (i + 1 >= argc) {
				fprintf(stderr, "csig: %s needs a value\nusage: %s\n", a, usage);
				return EXIT_USAGE;
			}
			if (a[2] == 'a')
				o->arch = argv[++i];
			else {
				char *end;
				long v = strtol(argv[++i], &end, 10);
				if (*end || v < 0 || v > 256) {
					fprintf(stderr, "csig: --jobs takes 0..256\n");
					return EXIT_USAGE;
				}
				o->jobs = (unsigned)v;
			}
		} else if (a[0] == '-' && a[1] != '\0' && strcmp(a, "--") != 0) {
			fprintf(stderr, "csig: unknown option %s\nusage: %s\n", a, usage);
			return EXIT_USAGE;
		} else if (n < 256) {
			pos[n++] = argv[i];
		}
	}
	if (n == 0 && !o->req_compile) {
		fprintf(stderr, "usage: %s\n", usage);
		return EXIT_USAGE;
	}
	o->argc = n;
	o->argv = pos;
	return -1;
}

void cli_print_error(const char *path, int code, const csig_error *err)
{
	fprintf(stderr, "csig: %s: %s (%s)", path,
		err && err->msg[0] ? err->msg : csig_strerror(code), csig_errname(code));
	if (err && err->offset)
		fprintf(stderr, " at offset 0x%llx", (unsigned long long)err->offset);
	fputc('\n', stderr);
}

int cli_open(const char *path, csig_file **out)
{
	csig_error err;
	int e = csig_file_open_path(out, path, NULL, &err);
	if (e) {
		cli_print_error(path, e, &err);
		return EXIT_UNREADABLE;
	}
	return 0;
}

int cli_pick_slice(const csig_file *f, const char *arch)
{
	if (!arch)
		return -1;
	const csig_slice *s;
	if (csig_file_find_slice(f, arch, &s) != CSIG_OK) {
		fprintf(stderr, "csig: no slice for architecture %s; the file has:", arch);
		for (size_t i = 0; i < csig_file_slice_count(f); i++)
			fprintf(stderr, " %s", csig_slice_arch(csig_file_slice(f, i)));
		fputc('\n', stderr);
		return -2;
	}
	return (int)csig_slice_index(s);
}

int cli_for_each_file(const cli_opts *o, cli_file_fn fn)
{
	int worst = 0;
	for (int a = 0; a < o->argc; a++) {
		csig_file *f;
		int rc = cli_open(o->argv[a], &f);
		if (rc == 0) {
			int only = cli_pick_slice(f, o->arch);
			rc = only == -2 ? EXIT_USAGE : fn(o, o->argv[a], f, only);
			csig_file_free(f);
		}
		if (rc > worst)
			worst = rc;
	}
	return worst;
}

void cli_hex(FILE *out, const uint8_t *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		fprintf(out, "%02x", p[i]);
}

void cli_print_json(char *text)
{
	fputs(text, stdout);
	fputc('\n', stdout);
	csig_free(text);
}
