/*
 * cmd-labels.c - atlas labels: the OCI labels of a variant (DESIGN 8).
 *
 * Output, sorted by key, one label a line in text and args:
 *   text  "key=value";
 *   json  one JSON object {"key": "value", ...};
 *   args  "--label=key=value" for docker build, one shell word a line,
 *         single-quoted when the value needs it, so a Makefile can run
 *         "xargs docker build ... < labels.args" or eval the lines.
 *
 * created comes from --source-date-epoch, else SOURCE_DATE_EPOCH, else
 * the commit time (git log -1 --format=%ct); never from the clock.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* Print word as one shell word: as is when every character is safe,
 * else in single quotes with each ' written as '\''. */
static void
print_shell_word(const char *word)
{
	static const char safe[] =
	    "ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789"
	    "_@%+=:,./-";

	if (word[strspn(word, safe)] == '\0') {
		puts(word);
		return;
	}
	putchar('\'');
	for (const char *p = word; *p != '\0'; p++) {
		if (*p == '\'')
			fputs("'\\''", stdout);
		else
			putchar(*p);
	}
	puts("'");
}

int
cmd_labels(int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "tier", required_argument, NULL, 't' },
		{ "materials", no_argument, NULL, 'm' },
		{ "version", required_argument, NULL, 'v' },
		{ "version-file", required_argument, NULL, 'V' },
		{ "git-sha", required_argument, NULL, 's' },
		{ "from-git", no_argument, NULL, 'G' },
		{ "source-date-epoch", required_argument, NULL, 'e' },
		{ "requirements-dir", required_argument, NULL, 'd' },
		{ "locked", no_argument, NULL, 'l' },
		{ "requirements-sha256", required_argument, NULL, 'h' },
		{ "title", required_argument, NULL, 'T' },
		{ "description", required_argument, NULL, 'D' },
		{ "source", required_argument, NULL, 'S' },
		{ "url", required_argument, NULL, 'U' },
		{ "licenses", required_argument, NULL, 'L' },
		{ "base-name", required_argument, NULL, 'B' },
		{ NULL, 0, NULL, 0 }
	};
	atlas_labels_input input = { 0 };
	const char *format = "text", *version_file = NULL, *dir = "requirements";
	char *version_text = NULL, *git_sha = NULL, *commit_time = NULL, *digest = NULL;
	bool from_git = false, locked = false, tier_given = false;
	atlas_error err = { 0 };
	atlas_labels *labels = NULL;
	int opt, status = EXIT_USAGE;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (!cli_check_format("labels", optarg, "args"))
				goto done;
			format = optarg;
			break;
		case 't':
			if (!cli_parse_tier("labels", "--tier", optarg, &input.variant.tier))
				goto done;
			tier_given = true;
			break;
		case 'm':
			input.variant.materials = true;
			break;
		case 'v':
			input.version = optarg;
			break;
		case 'V':
			version_file = optarg;
			break;
		case 's':
			input.revision = optarg;
			break;
		case 'G':
			from_git = true;
			break;
		case 'e':
			input.source_date_epoch = optarg;
			break;
		case 'd':
			dir = optarg;
			break;
		case 'l':
			locked = true;
			break;
		case 'h':
			input.requirements_sha256 = optarg;
			break;
		case 'T':
			input.title = optarg;
			break;
		case 'D':
			input.description = optarg;
			break;
		case 'S':
			input.source = optarg;
			break;
		case 'U':
			input.url = optarg;
			break;
		case 'L':
			input.licenses = optarg;
			break;
		case 'B':
			input.base_name = optarg;
			break;
		default:
			goto done;
		}
	}
	if (optind < argc) {
		cli_usage("labels", "unexpected argument '%s'", argv[optind]);
		goto done;
	}
	if (!tier_given) {
		cli_usage("labels", "--tier=N is required (0, 1 or 2)");
		goto done;
	}
	if (!cli_version_text("labels", &input.version, &version_file, &version_text))
		goto done;
	if (from_git && input.revision == NULL) {
		if (!cli_git_head("labels", "no revision label", &git_sha, NULL))
			goto done;
		input.revision = git_sha;
	}
	if (!cli_source_date_epoch("labels", &input.source_date_epoch, &commit_time))
		goto done;
	if (input.requirements_sha256 == NULL) {
		atlas_set *set = atlas_set_load(dir, &input.variant, locked, &err);
		if (set == NULL) {
			atlas_diag diag = { ATLAS_SEVERITY_ERROR,
			    err.status == ATLAS_ERR_CONFLICT ? "conflict" : "set", err, NULL };
			cli_print_diag(&diag, CLI_FORMAT_TEXT);
			status = err.status == ATLAS_ERR_CONFLICT ? EXIT_PROBLEMS : EXIT_USAGE;
			goto done;
		}
		digest = atlas_set_digest(set);
		atlas_set_free(set);
		if (digest == NULL) {
			cli_usage("labels", "cannot compute the digest of the requirement set in %s", dir);
			goto done;
		}
		input.requirements_sha256 = digest;
	}

	/* Checked first so that a bad version names where it came from. */
	char *version = cli_semver("labels", input.version, version_file);
	if (version == NULL) {
		status = EXIT_PROBLEMS;
		goto done;
	}
	free(version);
	labels = atlas_labels_new(&input, &err);
	if (labels == NULL) {
		fprintf(stderr, "atlas: labels: error: %s\n", err.message);
		status = err.status == ATLAS_ERR_NOMEM ? EXIT_USAGE : EXIT_PROBLEMS;
		goto done;
	}
	if (strcmp(format, "json") == 0) {
		json_t *o = json_object();
		for (size_t i = 0; i < atlas_labels_count(labels); i++) {
			const atlas_label *label = atlas_labels_get(labels, i);
			json_object_set_new(o, label->key, cli_json_string(label->value));
		}
		cli_json_line(o);
	}
	for (size_t i = 0; strcmp(format, "json") != 0 && i < atlas_labels_count(labels); i++) {
		const atlas_label *label = atlas_labels_get(labels, i);
		if (strcmp(format, "args") == 0) {
			size_t size = strlen(label->key) + strlen(label->value) + 16;
			char *word = malloc(size);
			if (word == NULL) {
				cli_usage("labels", "out of memory");
				goto done;
			}
			snprintf(word, size, "--label=%s=%s", label->key, label->value);
			print_shell_word(word);
			free(word);
		} else {
			printf("%s=%s\n", label->key, label->value);
		}
	}
	status = EXIT_CLEAN;

done:
	atlas_labels_free(labels);
	free(version_text);
	free(git_sha);
	free(commit_time);
	free(digest);
	return status;
}
