/*
 * cli_req.c - `csig req`: print internal requirements (per slice) or the
 * text of a requirement / requirement-set blob file, recognised by its
 * magic; --compile TEXT [-o FILE] writes Apple's binary form; --check TEXT
 * FILE evaluates a requirement against every slice with a trace
 * (exit 0 satisfied, 1 not satisfied, 3 indeterminate, 2 unreadable).
 */
#include <stdlib.h>
#include <string.h>
#include "cli.h"

static int read_all(const char *path, uint8_t **out, size_t *len)
{
	FILE *fp = fopen(path, "rb");
	if (!fp)
		return -1;
	size_t cap = 4096, n = 0;
	uint8_t *b = malloc(cap);
	while (b) {
		size_t r = fread(b + n, 1, cap - n, fp);
		n += r;
		if (r == 0)
			break;
		if (n == cap) {
			if (cap >= (64u << 20))
				break; /* requirement blobs are small */
			uint8_t *nb = realloc(b, cap * 2);
			if (!nb) {
				free(b);
				b = NULL;
				break;
			}
			b = nb;
			cap *= 2;
		}
	}
	fclose(fp);
	if (!b)
		return -1;
	*out = b;
	*len = n;
	return 0;
}

static int print_text(int e, char *text, const char *path, const csig_error *err)
{
	if (e) {
		cli_print_error(path, e, err);
		return EXIT_UNREADABLE;
	}
	fputs(text, stdout);
	if (!*text || text[strlen(text) - 1] != '\n')
		putchar('\n');
	csig_free(text);
	return 0;
}

/* A standalone blob: 0xfade0c00 requirement or 0xfade0c01 set, by magic. */
static int print_blob_file(const char *path, const uint8_t *b, size_t n)
{
	csig_error err;
	char *text = NULL;
	uint32_t magic = n >= 4 ? (uint32_t)b[0] << 24 | (uint32_t)b[1] << 16 |
				  (uint32_t)b[2] << 8 | b[3] : 0;
	if (magic == CSIG_REQSET_MAGIC) {
		csig_reqset *set;
		int e = csig_reqset_parse(&set, b, n, NULL, &err);
		if (!e) {
			e = csig_reqset_to_text(set, &text, NULL, &err);
			csig_reqset_free(set);
		}
		return print_text(e, text, path, &err);
	}
	if (magic == CSIG_REQ_MAGIC) {
		csig_req *r;
		int e = csig_req_parse(&r, b, n, NULL, &err);
		if (!e) {
			e = csig_req_to_text(r, &text, NULL, &err);
			csig_req_free(r);
		}
		return print_text(e, text, path, &err);
	}
	return -1;
}

static int compile(const cli_opts *o)
{
	csig_error err;
	uint8_t *bin;
	size_t len;
	int is_set;
	const char *text = o->req_compile;
	int e = csig_req_compile(text, strlen(text), &bin, &len, &is_set, &err);
	if (e) {
		fprintf(stderr, "csig: %s (%s)\n", err.msg, csig_errname(e));
		return EXIT_INVALID;
	}
	if (o->output) {
		FILE *fp = fopen(o->output, "wb");
		if (!fp || fwrite(bin, 1, len, fp) != len || fclose(fp) != 0) {
			fprintf(stderr, "csig: cannot write %s\n", o->output);
			csig_free(bin);
			return EXIT_UNREADABLE;
		}
	} else {
		cli_hex(stdout, bin, len);
		putchar('\n');
	}
	csig_free(bin);
	return 0;
}

static int check(const cli_opts *o)
{
	csig_error err;
	uint8_t *bin;
	size_t len;
	int is_set;
	const char *text = o->req_check;
	int e = csig_req_compile(text, strlen(text), &bin, &len, &is_set, &err);
	if (e || is_set) {
		fprintf(stderr, "csig: %s\n", e ? err.msg : "--check takes one requirement, not a set");
		if (!e)
			csig_free(bin);
		return EXIT_USAGE;
	}
	csig_req *req;
	e = csig_req_parse(&req, bin, len, NULL, &err);
	csig_free(bin);
	if (e) {
		cli_print_error("requirement", e, &err);
		return EXIT_USAGE;
	}
	int worst = EXIT_VALID; /* satisfied unless a slice says otherwise */
	for (int a = 0; a < o->argc; a++) {
		csig_file *f;
		if (cli_open(o->argv[a], &f)) {
			worst = EXIT_UNREADABLE;
			continue;
		}
		int only = cli_pick_slice(f, o->arch);
		/* Apple checks every architecture: all must satisfy */
		for (size_t i = 0; i < csig_file_slice_count(f); i++) {
			if (only >= 0 && (size_t)only != i)
				continue;
			const csig_slice *s = csig_file_slice(f, i);
			csig_req_result *r;
			if (csig_req_eval_slice(req, s, NULL, &r, &err)) {
				cli_print_error(o->argv[a], err.code, &err);
				worst = EXIT_UNREADABLE;
				continue;
			}
			csig_req_verdict v = csig_req_result_verdict(r);
			printf("%s (%s): %s\n", o->argv[a], csig_slice_arch(s), csig_req_verdict_name(v));
			for (size_t k = 0; k < csig_req_result_trace_count(r); k++) {
				const char *actual = csig_req_result_trace_actual(r, k);
				const char *expected = csig_req_result_trace_expected(r, k);
				const char *reason = csig_req_result_trace_reason(r, k);
				printf("  [%s] %s", csig_req_verdict_name(csig_req_result_trace_verdict(r, k)),
				       csig_req_result_trace_clause(r, k));
				if (actual && *actual)
					printf("\n      actual:   %s", actual);
				if (expected && *expected)
					printf("\n      expected: %s", expected);
				if (reason && *reason)
					printf("\n      why:      %s", reason);
				putchar('\n');
			}
			int rc = v == CSIG_REQ_SATISFIED ? EXIT_VALID :
				 v == CSIG_REQ_INDETERMINATE ? EXIT_INDETERMINATE : EXIT_INVALID;
			if (worst != EXIT_UNREADABLE && (rc == EXIT_INVALID ||
							 (rc == EXIT_INDETERMINATE && worst == EXIT_VALID)))
				worst = rc;
			csig_req_result_free(r);
		}
		csig_file_free(f);
	}
	csig_req_free(req);
	return worst;
}

int cmd_req(const cli_opts *o)
{
	if (o->req_compile)
		return compile(o);
	if (o->req_check)
		return check(o);
	int worst = 0;
	for (int a = 0; a < o->argc; a++) {
		const char *path = o->argv[a];
		uint8_t *b;
		size_t n;
		if (read_all(path, &b, &n)) {
			fprintf(stderr, "csig: cannot read %s\n", path);
			worst = EXIT_UNREADABLE;
			continue;
		}
		int rc = print_blob_file(path, b, n);
		free(b);
		if (rc >= 0) {
			if (rc)
				worst = rc;
			continue;
		}
		csig_file *f;
		if (cli_open(path, &f)) {
			worst = EXIT_UNREADABLE;
			continue;
		}
		int only = cli_pick_slice(f, o->arch);
		for (size_t i = 0; i < csig_file_slice_count(f); i++) {
			if (only >= 0 && (size_t)only != i)
				continue;
			const csig_slice *s = csig_file_slice(f, i);
			const csig_sig *sig = csig_slice_signature(s);
			const csig_reqset *set = sig ? csig_sig_requirements(sig) : NULL;
			if (csig_file_slice_count(f) > 1)
				printf("# %s\n", csig_slice_arch(s));
			if (!set) {
				printf("# no internal requirements\n");
				continue;
			}
			char *text;
			csig_error err;
			int e = csig_reqset_to_text(set, &text, NULL, &err);
			if (print_text(e, text, path, &err))
				worst = EXIT_UNREADABLE;
		}
		csig_file_free(f);
	}
	return worst;
}
