/* cmd-version-normalize.c - atlas version normalize [--format=json] V... */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

int
cmd_version_normalize(int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	cli_format format = CLI_FORMAT_TEXT;
	int opt, status = EXIT_CLEAN;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt != 'f')
			return EXIT_USAGE;
		if (!cli_parse_format("version normalize", optarg, false, &format))
			return EXIT_USAGE;
	}
	if (optind >= argc)
		return cli_usage("version normalize", "no version given");

	for (int i = optind; i < argc; i++) {
		atlas_error err = { 0 };
		atlas_version *v = atlas_version_parse(argv[i], &err);
		char *normal = v ? atlas_version_normalize(v) : NULL;

		if (v == NULL)
			status = EXIT_PROBLEMS;
		if (format == CLI_FORMAT_JSON) {
			json_t *o = json_object();
			json_object_set_new(o, "input", cli_json_string(argv[i]));
			if (v != NULL)
				json_object_set_new(o, "normalized", cli_json_string(normal));
			else
				json_object_set_new(o, "error", cli_json_string(err.message));
			cli_json_line(o);
		} else if (v != NULL) {
			puts(normal);
		} else {
			cli_print_input_error("invalid version", argv[i], &err);
		}
		free(normal);
		atlas_version_free(v);
	}
	return status;
}
