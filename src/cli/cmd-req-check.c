/* cmd-req-check.c - atlas req check [--syntax-only] FILE... */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "cli.h"

int
cmd_req_check(int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "syntax-only", no_argument, NULL, 's' },
		{ NULL, 0, NULL, 0 }
	};
	cli_format format = CLI_FORMAT_TEXT;
	atlas_check_options check_options = { 0 };
	atlas_error err = { 0 };
	atlas_check *check;
	size_t errors;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt == 'f' && cli_parse_format("req check", optarg, true, &format))
			continue;
		if (opt == 's') {
			check_options.syntax_only = true;
			continue;
		}
		return EXIT_USAGE;
	}
	if (optind >= argc)
		return cli_usage("req check", "no requirement file given");

	check = atlas_check_files((const char *const *)argv + optind,
	    (size_t)(argc - optind), &check_options, &err);
	if (check == NULL)
		return cli_usage("req check", "%s", err.message);
	for (size_t i = 0; i < atlas_check_count(check); i++)
		cli_print_diag(atlas_check_get(check, i), format);
	errors = atlas_check_errors(check);
	/* An unreadable file is an I/O error, not a problem in the input. */
	int status = EXIT_CLEAN;
	for (size_t i = 0; i < atlas_check_count(check); i++)
		if (atlas_check_get(check, i)->where.status == ATLAS_ERR_IO)
			status = EXIT_USAGE;
	if (status == EXIT_CLEAN && errors > 0)
		status = EXIT_PROBLEMS;
	if (format == CLI_FORMAT_TEXT && errors > 0)
		fprintf(stderr, "%zu error%s in %d file%s\n", errors, errors == 1 ? "" : "s",
		    argc - optind, argc - optind == 1 ? "" : "s");
	atlas_check_free(check);
	return status;
}
