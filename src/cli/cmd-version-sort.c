/* cmd-version-sort.c - atlas version sort: stdin, one version a line. */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

typedef struct sorted_version {
	char *text;
	atlas_version *version;
	size_t order;	/* input position, so that equal versions keep it */
} sorted_version;

static int
compare_entries(const void *pa, const void *pb)
{
	const sorted_version *a = pa, *b = pb;
	int cmp = atlas_version_compare(a->version, b->version);
	if (cmp != 0)
		return cmp;
	return a->order < b->order ? -1 : a->order > b->order;
}

int
cmd_version_sort(int argc, char **argv)
{
	sorted_version *entries = NULL;
	size_t n = 0, cap = 0, lineno = 0;
	char *line = NULL;
	size_t linecap = 0;
	ssize_t len;
	int status = EXIT_CLEAN;

	(void)argv;
	if (argc != 1)
		return cli_usage("version sort", "takes no arguments; it reads versions from stdin");
	while ((len = getline(&line, &linecap, stdin)) != -1) {
		atlas_error err = { 0 };
		lineno++;
		while (len > 0 && (line[len - 1] == '\n' || line[len - 1] == '\r'))
			line[--len] = '\0';
		if (strspn(line, " \t") == (size_t)len)
			continue;
		atlas_version *v = atlas_version_parse(line, &err);
		if (v == NULL) {
			fprintf(stderr, "<stdin>:%zu:%u: error: invalid version '%s': %s\n",
			    lineno, err.column, line, err.message);
			status = EXIT_PROBLEMS;
			continue;
		}
		if (n == cap) {
			cap = cap ? cap * 2 : 64;
			sorted_version *grown = realloc(entries, cap * sizeof *entries);
			if (grown == NULL) {
				atlas_version_free(v);
				status = cli_usage("version sort", "out of memory");
				break;
			}
			entries = grown;
		}
		entries[n].text = strdup(line);
		if (entries[n].text == NULL) {
			atlas_version_free(v);
			status = cli_usage("version sort", "out of memory");
			break;
		}
		entries[n].version = v;
		entries[n].order = n;
		n++;
	}
	free(line);
	/* The sorted list is one result: print it whole or not at all. */
	if (status == EXIT_CLEAN) {
		qsort(entries, n, sizeof *entries, compare_entries);
		for (size_t i = 0; i < n; i++)
			puts(entries[i].text);
	}
	for (size_t i = 0; i < n; i++) {
		free(entries[i].text);
		atlas_version_free(entries[i].version);
	}
	free(entries);
	return status;
}
