/* cmd-version-compare.c - atlas version compare A B: prints <, = or >. */
#include "config.h"

#include <stdio.h>

#include "cli.h"

int
cmd_version_compare(int argc, char **argv)
{
	atlas_error err = { 0 };
	atlas_version *a, *b;
	int cmp;

	if (argc != 3)
		return cli_usage("version compare", "needs exactly two versions: A B");
	a = atlas_version_parse(argv[1], &err);
	if (a == NULL) {
		cli_print_input_error("invalid version", argv[1], &err);
		return EXIT_PROBLEMS;
	}
	b = atlas_version_parse(argv[2], &err);
	if (b == NULL) {
		cli_print_input_error("invalid version", argv[2], &err);
		atlas_version_free(a);
		return EXIT_PROBLEMS;
	}
	cmp = atlas_version_compare(a, b);
	puts(cmp < 0 ? "<" : cmp > 0 ? ">" : "=");
	atlas_version_free(a);
	atlas_version_free(b);
	return EXIT_CLEAN;
}
