/* cmd-marker-eval.c - atlas marker eval [--env=FILE.json] MARKER... */
#include "config.h"

#include <getopt.h>
#include <stdio.h>

#include "cli.h"

/* The environment file is a JSON object of marker variables to strings;
 * it replaces the image's default environment whole. */
static atlas_env *
load_env(const char *path)
{
	json_error_t jerr;
	json_t *root = json_load_file(path, 0, &jerr);
	const char *key;
	json_t *value;
	atlas_env *env;

	if (root == NULL) {
		fprintf(stderr, "%s:%d:%d: error: %s\n", path, jerr.line, jerr.column, jerr.text);
		return NULL;
	}
	if (!json_is_object(root)) {
		fprintf(stderr, "%s: error: the environment must be a JSON object of strings\n", path);
		json_decref(root);
		return NULL;
	}
	env = atlas_env_new();
	json_object_foreach(root, key, value) {
		atlas_error err = { 0 };
		if (!json_is_string(value)) {
			fprintf(stderr, "%s: error: \"%s\" must be a string\n", path, key);
			goto fail;
		}
		if (atlas_env_set(env, key, json_string_value(value), &err) != ATLAS_OK) {
			fprintf(stderr, "%s: error: \"%s\": %s\n", path, key, err.message);
			goto fail;
		}
	}
	json_decref(root);
	return env;
fail:
	atlas_env_free(env);
	json_decref(root);
	return NULL;
}

int
cmd_marker_eval(int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "env", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 }
	};
	cli_format format = CLI_FORMAT_TEXT;
	const char *env_path = NULL;
	atlas_env *env;
	int opt, status = EXIT_CLEAN;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		if (opt == 'f' && cli_parse_format("marker eval", optarg, false, &format))
			continue;
		if (opt == 'e') {
			env_path = optarg;
			continue;
		}
		return EXIT_USAGE;
	}
	if (optind >= argc)
		return cli_usage("marker eval", "no marker given");
	env = env_path ? load_env(env_path) : atlas_env_new_default();
	if (env == NULL)
		return EXIT_USAGE;

	for (int i = optind; i < argc; i++) {
		atlas_error err = { 0 };
		bool value = false;
		atlas_marker *m = atlas_marker_parse(argv[i], &err);
		if (m != NULL && atlas_marker_evaluate(m, env, &value, &err) == ATLAS_OK) {
			if (format == CLI_FORMAT_JSON) {
				json_t *o = json_object();
				json_object_set_new(o, "input", cli_json_string(argv[i]));
				json_object_set_new(o, "value", json_boolean(value));
				cli_json_line(o);
			} else {
				puts(value ? "true" : "false");
			}
		} else {
			status = EXIT_PROBLEMS;
			if (format == CLI_FORMAT_JSON) {
				json_t *o = json_object();
				json_object_set_new(o, "input", cli_json_string(argv[i]));
				json_object_set_new(o, "error", cli_json_string(err.message));
				cli_json_line(o);
			} else {
				/* A marker that parses can still fail to evaluate. */
				cli_print_input_error(m != NULL ? "cannot evaluate marker" :
				    "invalid marker", argv[i], &err);
			}
		}
		atlas_marker_free(m);
	}
	atlas_env_free(env);
	return status;
}
