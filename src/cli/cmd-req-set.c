/* cmd-req-set.c - atlas req set --tier=N [--materials]: a variant's pins. */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int
cmd_req_set(int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "tier", required_argument, NULL, 't' },
		{ "materials", no_argument, NULL, 'm' },
		{ "dir", required_argument, NULL, 'd' },
		{ "locked", no_argument, NULL, 'l' },
		{ NULL, 0, NULL, 0 }
	};
	atlas_variant variant = { -1, false };
	const char *dir = "requirements", *format = "text";
	bool locked = false;
	atlas_error err = { 0 };
	atlas_set *set;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (!cli_check_format("req set", optarg, "digest"))
				return EXIT_USAGE;
			format = optarg;
			break;
		case 't':
			if (!cli_parse_tier("req set", "--tier", optarg, &variant.tier))
				return EXIT_USAGE;
			break;
		case 'm':
			variant.materials = true;
			break;
		case 'd':
			dir = optarg;
			break;
		case 'l':
			locked = true;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (variant.tier < 0)
		return cli_usage("req set", "--tier=N is required (0, 1 or 2)");
	if (optind < argc)
		return cli_usage("req set", "unexpected argument '%s'", argv[optind]);

	set = atlas_set_load(dir, &variant, locked, &err);
	if (set == NULL) {
		/* Show the offending line under the message, as req check does. */
		atlas_reqfile *file = err.line > 0 ?
		    atlas_reqfile_load(err.file, NULL, NULL, NULL) : NULL;
		atlas_diag diag = { ATLAS_SEVERITY_ERROR,
		    err.status == ATLAS_ERR_CONFLICT ? "conflict" :
		    err.status == ATLAS_ERR_IO ? "missing-file" :
		    err.status == ATLAS_ERR_SYNTAX ? "syntax" : "set",
		    err, atlas_reqfile_line_text(file, err.line) };
		cli_print_diag(&diag, CLI_FORMAT_TEXT);
		atlas_reqfile_free(file);
		return err.status == ATLAS_ERR_IO || err.status == ATLAS_ERR_NOMEM ?
		    EXIT_USAGE : EXIT_PROBLEMS;
	}
	if (strcmp(format, "digest") == 0) {
		char *digest = atlas_set_digest(set);
		puts(digest ? digest : "");
		free(digest);
	}
	for (size_t i = 0; strcmp(format, "digest") != 0 && i < atlas_set_count(set); i++) {
		const atlas_pin *pin = atlas_set_get(set, i);
		if (strcmp(format, "json") == 0) {
			json_t *o = json_object();
			json_object_set_new(o, "name", cli_json_string(pin->name));
			json_object_set_new(o, "canonical_name", cli_json_string(pin->canonical_name));
			json_object_set_new(o, "version", cli_json_string(pin->version));
			json_object_set_new(o, "file", cli_json_string(pin->file));
			json_object_set_new(o, "line", json_integer(pin->line));
			cli_json_line(o);
		} else {
			printf("%s==%s\n", pin->name, pin->version);
		}
	}
	atlas_set_free(set);
	return EXIT_CLEAN;
}
