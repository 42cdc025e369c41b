/*
 * cmd-tags.c - atlas tags: the image tags of a variant (DESIGN 8).
 *
 * Output, one tag a line in every format:
 *   text  the full reference, "repo:tag";
 *   json  JSON Lines, one object a tag (like every other atlas command):
 *         {"ref", "tag", "variant", "build"};
 *   args  "--tag=repo:tag", one word a line, for docker build: a
 *         reference holds no blank and no shell character, so both
 *         $(atlas tags --format=args) and xargs read it.
 *
 * The library never runs git; with --from-git this command asks git
 * itself (cli_git_line).
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* "tier1-materials" into a variant. */
static bool
parse_variant_name(const char *name, atlas_variant *variant)
{
	if (strncmp(name, "tier", 4) != 0 || name[4] < '0' || name[4] > '2')
		return false;
	variant->tier = name[4] - '0';
	if (name[5] == '\0')
		variant->materials = false;
	else if (strcmp(name + 5, "-materials") == 0)
		variant->materials = true;
	else
		return false;
	return true;
}

int
cmd_tags(int argc, char **argv)
{
	static const struct option options[] = {
		{ "format", required_argument, NULL, 'f' },
		{ "repo", required_argument, NULL, 'r' },
		{ "version", required_argument, NULL, 'v' },
		{ "version-file", required_argument, NULL, 'V' },
		{ "git-tag", required_argument, NULL, 'g' },
		{ "git-sha", required_argument, NULL, 's' },
		{ "from-git", no_argument, NULL, 'G' },
		{ "nightly", required_argument, NULL, 'n' },
		{ "tier", required_argument, NULL, 't' },
		{ "materials", no_argument, NULL, 'm' },
		{ "all", no_argument, NULL, 'a' },
		{ "default-variant", required_argument, NULL, 'd' },
		{ "extra-tag", required_argument, NULL, 'e' },
		{ NULL, 0, NULL, 0 }
	};
	atlas_tags_input input = { 0 };
	atlas_variant default_variant = { 0, false };
	const char *format = "text", *version_file = NULL;
	const char **extra = NULL;
	char *version_text = NULL, *git_tag = NULL, *git_sha = NULL;
	bool from_git = false, all = false, tier_given = false;
	atlas_error err = { 0 };
	atlas_tags *tags = NULL;
	int opt, status = EXIT_USAGE;

	input.variant.tier = -1;
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'f':
			if (!cli_check_format("tags", optarg, "args"))
				goto done;
			format = optarg;
			break;
		case 'r':
			input.repo = optarg;
			break;
		case 'v':
			input.version = optarg;
			break;
		case 'V':
			version_file = optarg;
			break;
		case 'g':
			input.git_tag = optarg;
			break;
		case 's':
			input.git_sha = optarg;
			break;
		case 'G':
			from_git = true;
			break;
		case 'n':
			input.nightly_date = optarg;
			break;
		case 't':
			if (!cli_parse_tier("tags", "--tier", optarg, &input.variant.tier))
				goto done;
			tier_given = true;
			break;
		case 'm':
			input.variant.materials = true;
			break;
		case 'a':
			all = true;
			break;
		case 'd':
			if (!parse_variant_name(optarg, &default_variant)) {
				cli_usage("tags", "--default-variant=%s is not valid; valid values: "
				    "tier0, tier1, tier2, each optionally with -materials", optarg);
				goto done;
			}
			break;
		case 'e': {
			const char **grown = realloc(extra, (input.n_extra + 1) * sizeof *extra);
			if (grown == NULL) {
				cli_usage("tags", "out of memory");
				goto done;
			}
			extra = grown;
			extra[input.n_extra++] = optarg;
			break;
		}
		default:
			goto done;
		}
	}
	if (optind < argc) {
		cli_usage("tags", "unexpected argument '%s'", argv[optind]);
		goto done;
	}
	if (input.repo == NULL) {
		cli_usage("tags", "--repo=REPO is required (like registry.example/owner/atlas)");
		goto done;
	}
	if (all && (tier_given || input.variant.materials)) {
		cli_usage("tags", "--all computes every variant: drop --tier and --materials");
		goto done;
	}
	if (!all && !tier_given) {
		cli_usage("tags", "--tier=N (0, 1 or 2) or --all is required");
		goto done;
	}
	if (!cli_version_text("tags", &input.version, &version_file, &version_text))
		goto done;
	if (from_git) {
		/* A tarball build has no sha tag: a local build. */
		if (!cli_git_head("tags", "no sha tag", &git_sha, &git_tag))
			goto done;
		if (input.git_sha == NULL)
			input.git_sha = git_sha;
		if (input.git_tag == NULL)
			input.git_tag = git_tag;
	}
	input.default_variant = &default_variant;
	input.extra = extra;

	/* Checked first so that a bad version names where it came from. */
	char *version = cli_semver("tags", input.version, version_file);
	if (version == NULL) {
		status = EXIT_PROBLEMS;
		goto done;
	}
	free(version);
	tags = all ? atlas_tags_new_all(&input, NULL, 0, &err) :
	    atlas_tags_new(&input, &err);
	if (tags == NULL) {
		fprintf(stderr, "atlas: tags: error: %s\n", err.message);
		status = err.status == ATLAS_ERR_NOMEM ? EXIT_USAGE : EXIT_PROBLEMS;
		goto done;
	}
	for (size_t i = 0; i < atlas_tags_count(tags); i++) {
		const atlas_tag *tag = atlas_tags_get(tags, i);
		if (strcmp(format, "json") == 0) {
			char *suffix = atlas_variant_suffix(&tag->variant);
			json_t *o = json_object();
			json_object_set_new(o, "ref", cli_json_string(tag->ref));
			json_object_set_new(o, "tag", cli_json_string(tag->tag));
			json_object_set_new(o, "variant", cli_json_string(suffix ? suffix : ""));
			json_object_set_new(o, "build", cli_json_string(
			    atlas_tags_kind_name(atlas_tags_get_kind(tags))));
			cli_json_line(o);
			free(suffix);
		} else if (strcmp(format, "args") == 0) {
			printf("--tag=%s\n", tag->ref);
		} else {
			puts(tag->ref);
		}
	}
	status = EXIT_CLEAN;

done:
	atlas_tags_free(tags);
	free(extra);
	free(version_text);
	free(git_sha);
	free(git_tag);
	return status;
}
