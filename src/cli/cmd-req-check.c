/*
 * cmd-req-check.c - atlas req check [--syntax-only] FILE...
 *                   atlas req check --tier=N [--materials] [--dir=DIR]
 *
 * With --tier, the files are a variant's own: requirements-tier0.txt ..
 * tierN.txt (and requirements-materials.txt) in DIR, each followed by
 * its .lock when that exists, since locks are optional until `make lock`
 * has run.
 *
 * --format=json prints one JSON object per diagnostic ({"file", "line",
 * "column", "severity", "code", "message"}), then one summary object
 * {"summary": {"files", "requirements", "errors"}}, where "requirements"
 * counts the requirement lines (PEP 508 requirements, editables, paths
 * and URLs) of the named files themselves, not of their includes: the
 * number pip finds when nested files are empty.
 */
#include "config.h"

#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

/* The requirement lines of the named files, for the JSON summary. */
static size_t
count_requirements(char *const *paths, size_t n, const atlas_check_options *options)
{
	size_t count = 0;

	for (size_t i = 0; i < n; i++) {
		atlas_reqfile *f = atlas_reqfile_load(paths[i], options->getenv_fn,
		    options->ctx, NULL);
		if (f == NULL)
			continue;
		for (size_t l = 0; l < f->n_lines; l++)
			if (f->lines[l].kind == ATLAS_LINE_REQUIREMENT ||
			    f->lines[l].kind == ATLAS_LINE_EDITABLE ||
			    f->lines[l].kind == ATLAS_LINE_PATH)
				count++;
		atlas_reqfile_free(f);
	}
	return count;
}

/* The files of a variant; NULL when out of memory. */
static char **
variant_files(const char *dir, const atlas_variant *variant, size_t *n_out)
{
	size_t n_stems = (size_t)variant->tier + 1 + (variant->materials ? 1 : 0), n = 0;
	char **files = calloc(2 * n_stems + 1, sizeof *files);

	if (files == NULL)
		return NULL;
	for (size_t s = 0; s < n_stems; s++) {
		char stem[64];
		if (s <= (size_t)variant->tier)
			snprintf(stem, sizeof stem, "requirements-tier%zu", s);
		else
			snprintf(stem, sizeof stem, "requirements-materials");
		size_t len = strlen(dir) + strlen(stem) + 8;
		char *txt = malloc(len), *lock = malloc(len);
		if (txt == NULL || lock == NULL) {
			free(txt);
			free(lock);
			goto nomem;
		}
		snprintf(txt, len, "%s/%s.txt", dir, stem);
		snprintf(lock, len, "%s/%s.lock", dir, stem);
		files[n++] = txt;
		if (access(lock, F_OK) == 0)
			files[n++] = lock;
		else
			free(lock);
	}
	*n_out = n;
	return files;
nomem:
	for (size_t i = 0; i < n; i++)
		free(files[i]);
	free(files);
	return NULL;
}

int
cmd_req_check(int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "syntax-only", no_argument, NULL, 's' },
		{ "tier", required_argument, NULL, 't' },
		{ "materials", no_argument, NULL, 'm' },
		{ "dir", required_argument, NULL, 'd' },
		{ NULL, 0, NULL, 0 }
	};
	cli_format format = CLI_FORMAT_TEXT;
	atlas_check_options check_options = { 0 };
	atlas_variant variant = { -1, false };
	const char *dir = NULL;
	atlas_error err = { 0 };
	atlas_check *check;
	char **paths, **owned = NULL;
	size_t n_paths = 0, errors;
	int opt;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (!cli_parse_format("req check", optarg, true, &format))
				return EXIT_USAGE;
			break;
		case 's':
			check_options.syntax_only = true;
			break;
		case 't':
			if (!cli_parse_tier("req check", "--tier", optarg, &variant.tier))
				return EXIT_USAGE;
			break;
		case 'm':
			variant.materials = true;
			break;
		case 'd':
			dir = optarg;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (variant.tier >= 0) {
		if (optind < argc)
			return cli_usage("req check", "--tier checks a variant's files; "
			    "give either --tier or FILE arguments, not both");
		owned = variant_files(dir ? dir : "requirements", &variant, &n_paths);
		if (owned == NULL)
			return cli_usage("req check", "out of memory");
		paths = owned;
	} else {
		if (variant.materials || dir != NULL)
			return cli_usage("req check", "--materials and --dir need --tier=N");
		if (optind >= argc)
			return cli_usage("req check", "no requirement file given; "
			    "expected FILE... or --tier=N");
		paths = argv + optind;
		n_paths = (size_t)(argc - optind);
	}

	check = atlas_check_files((const char *const *)paths, n_paths,
	    &check_options, &err);
	if (check == NULL) {
		int status = cli_usage("req check", "%s", err.message);
		for (size_t i = 0; owned && i < n_paths; i++)
			free(owned[i]);
		free(owned);
		return status;
	}
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
	if (format == CLI_FORMAT_JSON) {
		json_t *summary = json_object();
		json_object_set_new(summary, "files", json_integer((json_int_t)n_paths));
		json_object_set_new(summary, "requirements", json_integer((json_int_t)
		    count_requirements(paths, n_paths, &check_options)));
		json_object_set_new(summary, "errors", json_integer((json_int_t)errors));
		json_t *line = json_object();
		json_object_set_new(line, "summary", summary);
		cli_json_line(line);
	}
	if (format == CLI_FORMAT_TEXT && errors > 0)
		fprintf(stderr, "%zu error%s in %zu file%s\n", errors, errors == 1 ? "" : "s",
		    n_paths, n_paths == 1 ? "" : "s");
	atlas_check_free(check);
	for (size_t i = 0; owned && i < n_paths; i++)
		free(owned[i]);
	free(owned);
	return status;
}
