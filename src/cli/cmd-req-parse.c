/* cmd-req-parse.c - atlas req parse [--format=json] REQUIREMENT... */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>

#include "cli.h"

static json_t *
json_string_or_null(const char *s)
{
	return s ? cli_json_string(s) : json_null();
}

static json_t *
req_to_json(const char *input, const atlas_req *req)
{
	json_t *o = json_object(), *extras = json_array();
	char *spec = atlas_spec_format(req->spec);
	char *marker = req->marker ? atlas_marker_format(req->marker) : NULL;

	for (size_t i = 0; i < req->n_extras; i++)
		json_array_append_new(extras, cli_json_string(req->extras[i]));
	json_object_set_new(o, "input", cli_json_string(input));
	json_object_set_new(o, "name", cli_json_string(req->name));
	json_object_set_new(o, "canonical_name", cli_json_string(req->canonical_name));
	json_object_set_new(o, "extras", extras);
	json_object_set_new(o, "specifier", json_string_or_null(spec));
	json_object_set_new(o, "url", json_string_or_null(req->url));
	json_object_set_new(o, "marker", json_string_or_null(marker));
	free(spec);
	free(marker);
	return o;
}

int
cmd_req_parse(int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	cli_format format = CLI_FORMAT_TEXT;
	int opt, status = EXIT_CLEAN;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt == 'f' && cli_parse_format("req parse", optarg, false, &format))
			continue;
		return EXIT_USAGE;
	}
	if (optind >= argc)
		return cli_usage("req parse", "no requirement given");

	for (int i = optind; i < argc; i++) {
		atlas_error err = { 0 };
		atlas_req *req = atlas_req_parse(argv[i], &err);
		if (req == NULL) {
			status = EXIT_PROBLEMS;
			if (format == CLI_FORMAT_JSON) {
				json_t *o = json_object();
				json_object_set_new(o, "input", cli_json_string(argv[i]));
				json_object_set_new(o, "error", cli_json_string(err.message));
				cli_json_line(o);
			} else {
				cli_print_input_error("invalid requirement", argv[i], &err);
			}
			continue;
		}
		if (format == CLI_FORMAT_JSON) {
			cli_json_line(req_to_json(argv[i], req));
		} else {
			char *text = atlas_req_format(req);
			puts(text ? text : "");
			free(text);
		}
		atlas_req_free(req);
	}
	return status;
}
