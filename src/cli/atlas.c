/*
 * atlas.c - the atlas command: a table of git-style subcommands over
 * libatlas.  Each subcommand lives in its own cmd-<group>-<name>.c.
 */
#include "config.h"

#include <stdio.h>
#include <string.h>

#include "cli.h"

const cli_command cli_commands[] = {
	{ "bake", NULL, cmd_bake,
	  "--repo=REPO [--version=V|--version-file=FILE] [--git-tag=TAG] [--git-sha=SHA] "
	  "[--from-git] [--nightly=YYYYMMDD] [--source-date-epoch=N] [--requirements-dir=DIR] "
	  "[--locked] [--base-image=IMAGE] [--smoke-base-image=IMAGE] [--context=DIR] "
	  "[--dockerfile=FILE]",
	  "print a buildx bake file (JSON) for the six tier x materials variants" },
	{ "gpu", NULL, cmd_gpu,
	  "[--format=text|json]",
	  "ask the NVIDIA driver for its version and GPUs (no python)" },
	{ "health", NULL, cmd_health,
	  "[--format=text|json] [--timeout=SECONDS] [--tier=N] [--python=PROG]",
	  "the image's health check: python, the tier's key imports, CUDA" },
	{ "imports", NULL, cmd_imports,
	  "[--site-packages=DIR] [--requirements=FILE]... [--exclude=FILE] [--jobs=N] "
	  "[--timeout=S] [--python=PROG] [--format=text|json|junit]",
	  "check installed pins and import every top-level module" },
	{ "labels", NULL, cmd_labels,
	  "--tier=N [--materials] [--version=V|--version-file=FILE] [--git-sha=SHA] "
	  "[--from-git] [--source-date-epoch=N] [--requirements-dir=DIR] [--locked] "
	  "[--requirements-sha256=HEX] [--title=T] [--description=D] [--source=URL] "
	  "[--url=URL] [--licenses=SPDX] [--base-name=IMAGE] [--format=text|json|args]",
	  "print the OCI labels of a variant" },
	{ "marker", "eval", cmd_marker_eval,
	  "[--format=text|json] [--env=FILE.json] MARKER...",
	  "evaluate PEP 508 environment markers" },
	{ "req", "check", cmd_req_check,
	  "[--format=text|json|github] [--syntax-only] FILE... | --tier=N [--materials] [--dir=DIR]",
	  "check requirement files (syntax, pins, hashes, conflicts)" },
	{ "req", "parse", cmd_req_parse,
	  "[--format=text|json] REQUIREMENT...",
	  "parse PEP 508 requirements" },
	{ "req", "set", cmd_req_set,
	  "--tier=N [--materials] [--dir=DIR] [--locked] [--format=text|json|digest]",
	  "print the effective pinned set of a variant" },
	{ "sbom", NULL, cmd_sbom,
	  "[--site-packages=DIR] [--output=FILE] [--python=PROG]",
	  "write a CycloneDX 1.5 SBOM of the installed Python distributions" },
	{ "spec", "match", cmd_spec_match,
	  "[--format=text|json] [--prereleases=yes|no] SPEC [VERSION...]",
	  "test versions against a PEP 440 specifier set" },
	{ "tags", NULL, cmd_tags,
	  "--repo=REPO (--tier=N [--materials] | --all) [--version=V|--version-file=FILE] "
	  "[--git-tag=TAG] [--git-sha=SHA] [--from-git] [--nightly=YYYYMMDD] "
	  "[--default-variant=tierN[-materials]] [--extra-tag=NAME]... [--format=text|json|args]",
	  "print the image tags of a variant (or of all six)" },
	{ "version", "compare", cmd_version_compare,
	  "A B",
	  "compare two PEP 440 versions: prints <, = or >" },
	{ "version", "normalize", cmd_version_normalize,
	  "[--format=text|json] VERSION...",
	  "print the normal form of PEP 440 versions" },
	{ "version", "sort", cmd_version_sort,
	  "< VERSIONS",
	  "sort versions read one per line, in PEP 440 order" },
	{ NULL, NULL, NULL, NULL, NULL }
};

static void
print_help(FILE *out)
{
	fprintf(out, "usage: atlas COMMAND [ARGS]\n\ncommands:\n");
	for (const cli_command *c = cli_commands; c->group; c++) {
		char name[64];
		snprintf(name, sizeof name, "%s%s%s", c->group, c->name ? " " : "",
		    c->name ? c->name : "");
		fprintf(out, "  %-18s %s\n", name, c->summary);
	}
	fprintf(out, "\nRun 'atlas COMMAND --help' for a command's arguments.\n"
	    "Exit status: 0 clean, 1 problems found, 2 usage or I/O error.\n");
}

static void
print_command_usage(FILE *out, const cli_command *c)
{
	fprintf(out, "usage: atlas %s%s%s %s\n%s\n", c->group, c->name ? " " : "",
	    c->name ? c->name : "", c->usage, c->summary);
}

int
main(int argc, char **argv)
{
	const cli_command *c;
	bool group_known = false;

	if (argc < 2)
		return print_help(stderr), EXIT_USAGE;
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "help") == 0)
		return print_help(stdout), EXIT_CLEAN;
	if (strcmp(argv[1], "--version") == 0)
		return printf("atlas %s\n", PACKAGE_VERSION), EXIT_CLEAN;

	for (c = cli_commands; c->group; c++) {
		if (strcmp(c->group, argv[1]) != 0)
			continue;
		group_known = true;
		if (c->name == NULL)
			break;
		if (argc >= 3 && strcmp(c->name, argv[2]) == 0)
			break;
	}
	if (c->group == NULL) {
		if (!group_known)
			return cli_usage(argv[1], "unknown command; run 'atlas --help'");
		fprintf(stderr, "atlas: %s: ", argv[1]);
		if (argc >= 3)
			fprintf(stderr, "unknown subcommand '%s'; ", argv[2]);
		fprintf(stderr, "one of:");
		for (c = cli_commands; c->group; c++)
			if (strcmp(c->group, argv[1]) == 0)
				fprintf(stderr, " %s", c->name);
		fputc('\n', stderr);
		return EXIT_USAGE;
	}

	/* The subcommand sees itself as argv[0], like a program of its own. */
	int shift = c->name ? 2 : 1;
	for (int i = shift + 1; i < argc; i++) {
		if (strcmp(argv[i], "--") == 0)
			break;
		if (strcmp(argv[i], "--help") == 0 || strcmp(argv[i], "-h") == 0)
			return print_command_usage(stdout, c), EXIT_CLEAN;
	}
	return c->main(argc - shift, argv + shift);
}
