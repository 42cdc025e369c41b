/* cmd-spec-match.c - atlas spec match [--prereleases=yes|no] SPEC V... */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "cli.h"

int
cmd_spec_match(int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "prereleases", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	cli_format format = CLI_FORMAT_TEXT;
	atlas_prereleases prereleases = ATLAS_PRERELEASES_DEFAULT;
	atlas_error err = { 0 };
	atlas_spec *spec;
	int opt, status = EXIT_CLEAN;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt == 'f' && cli_parse_format("spec match", optarg, false, &format))
			continue;
		if (opt == 'p' && cli_parse_prereleases("spec match", optarg, &prereleases))
			continue;
		return EXIT_USAGE;
	}
	if (optind >= argc)
		return cli_usage("spec match", "no specifier given");
	spec = atlas_spec_parse(argv[optind], &err);
	if (spec == NULL) {
		if (format == CLI_FORMAT_JSON) {
			json_t *o = json_object();
			json_object_set_new(o, "input", cli_json_string(argv[optind]));
			json_object_set_new(o, "error", cli_json_string(err.message));
			cli_json_line(o);
		} else {
			cli_print_input_error("invalid specifier", argv[optind], &err);
		}
		return EXIT_PROBLEMS;
	}
	for (int i = optind + 1; i < argc; i++) {
		atlas_version *v = atlas_version_parse(argv[i], &err);
		if (v == NULL) {
			status = EXIT_PROBLEMS;
			if (format == CLI_FORMAT_JSON) {
				json_t *o = json_object();
				json_object_set_new(o, "version", cli_json_string(argv[i]));
				json_object_set_new(o, "error", cli_json_string(err.message));
				cli_json_line(o);
			} else {
				cli_print_input_error("invalid version", argv[i], &err);
			}
			continue;
		}
		bool match = atlas_spec_contains(spec, v, prereleases);
		if (format == CLI_FORMAT_JSON) {
			json_t *o = json_object();
			json_object_set_new(o, "version", cli_json_string(argv[i]));
			json_object_set_new(o, "match", json_boolean(match));
			cli_json_line(o);
		} else {
			printf("%s %s\n", argv[i], match ? "matches" : "does not match");
		}
		atlas_version_free(v);
	}
	atlas_spec_free(spec);
	return status;
}
