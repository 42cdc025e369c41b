/*
 * cmd-bake.c - atlas bake: a docker buildx bake file (JSON) for the
 * tier x materials matrix, for remote builders (DESIGN 5, make bake).
 *
 * One target per variant, named by its suffix ("tier1-materials"): the
 * Dockerfile's runtime stage with the variant's build args, its tags as
 * atlas tags computes them for all six variants at once (so that no tag
 * is shared), its labels as atlas labels computes them, and a registry
 * build cache of its own, REPO:buildcache-<variant>.  The group
 * "default" lists the six.  The document goes to stdout; make writes it
 * to a temporary file and renames it.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

/* The Dockerfile's own default runtime base (ARG BASE_IMAGE). */
static const char default_base_image[] = "python:3.11-slim-bookworm";

typedef struct bake_options {
	const char *repo;
	const char *version;	/* SemVer, checked */
	const char *git_sha;	/* or NULL */
	const char *source_date_epoch;
	const char *requirements_dir;
	bool locked;
	const char *base_image;
	const char *smoke_base_image;
	const char *context;
	const char *dockerfile;
} bake_options;

/* "type=registry,ref=REPO:buildcache-VARIANT" plus tail; malloc'd. */
static char *
cache_spec(const char *repo, const char *suffix, const char *tail)
{
	size_t size = strlen(repo) + strlen(suffix) + strlen(tail) + 64;
	char *spec = malloc(size);

	if (spec != NULL)
		snprintf(spec, size, "type=registry,ref=%s:buildcache-%s%s", repo, suffix, tail);
	return spec;
}

static json_t *
string_array(const char *s)
{
	json_t *a = json_array();

	json_array_append_new(a, cli_json_string(s));
	return a;
}

/* The target of one variant, or NULL after saying why on stderr;
 * *status says which exit code the failure deserves. */
static json_t *
bake_target(const bake_options *o, const atlas_tags *tags,
    const atlas_variant *variant, int *status)
{
	atlas_error err = { 0 };
	atlas_labels_input in = { 0 };
	atlas_labels *labels = NULL;
	atlas_set *set = NULL;
	char *suffix = atlas_variant_suffix(variant);
	char *digest = NULL, *cache_from = NULL, *cache_to = NULL;
	char tier[2] = { (char)('0' + variant->tier), '\0' };
	json_t *target = NULL;

	*status = EXIT_USAGE;
	if (suffix == NULL) {
		cli_usage("bake", "out of memory");
		goto done;
	}
	set = atlas_set_load(o->requirements_dir, variant, o->locked, &err);
	if (set == NULL) {
		atlas_diag diag = { ATLAS_SEVERITY_ERROR,
		    err.status == ATLAS_ERR_CONFLICT ? "conflict" : "set", err, NULL };
		cli_print_diag(&diag, CLI_FORMAT_TEXT);
		*status = err.status == ATLAS_ERR_CONFLICT ? EXIT_PROBLEMS : EXIT_USAGE;
		goto done;
	}
	digest = atlas_set_digest(set);
	if (digest == NULL) {
		cli_usage("bake", "cannot compute the digest of the %s requirement set", suffix);
		goto done;
	}
	in.version = o->version;
	in.source_date_epoch = o->source_date_epoch;
	in.requirements_sha256 = digest;
	in.variant = *variant;
	in.revision = o->git_sha;
	in.base_name = o->base_image;
	labels = atlas_labels_new(&in, &err);
	if (labels == NULL) {
		fprintf(stderr, "atlas: bake: error: %s: %s\n", suffix, err.message);
		*status = err.status == ATLAS_ERR_NOMEM ? EXIT_USAGE : EXIT_PROBLEMS;
		goto done;
	}
	cache_from = cache_spec(atlas_tags_repo(tags), suffix, "");
	cache_to = cache_spec(atlas_tags_repo(tags), suffix, ",mode=max");
	if (cache_from == NULL || cache_to == NULL) {
		cli_usage("bake", "out of memory");
		goto done;
	}

	json_t *args = json_object();
	json_object_set_new(args, "VERSION", cli_json_string(o->version));
	json_object_set_new(args, "BUILD_TIER", json_string(tier));
	json_object_set_new(args, "ENABLE_MATERIALS", json_string(variant->materials ? "1" : "0"));
	json_object_set_new(args, "SMOKE_BASE_IMAGE", cli_json_string(o->smoke_base_image));
	json_object_set_new(args, "USE_HASHED_REQUIREMENTS", json_string(o->locked ? "1" : "0"));
	json_object_set_new(args, "BASE_IMAGE", cli_json_string(o->base_image));

	json_t *refs = json_array();
	for (size_t i = 0; i < atlas_tags_count(tags); i++) {
		const atlas_tag *tag = atlas_tags_get(tags, i);
		if (tag->variant.tier == variant->tier &&
		    tag->variant.materials == variant->materials)
			json_array_append_new(refs, cli_json_string(tag->ref));
	}

	json_t *label_object = json_object();
	for (size_t i = 0; i < atlas_labels_count(labels); i++) {
		const atlas_label *label = atlas_labels_get(labels, i);
		json_object_set_new(label_object, label->key, cli_json_string(label->value));
	}

	target = json_object();
	json_object_set_new(target, "context", cli_json_string(o->context));
	json_object_set_new(target, "dockerfile", cli_json_string(o->dockerfile));
	json_object_set_new(target, "target", json_string("runtime"));
	/* As in make image: the installs take the wheelhouse only.  (buildx
	 * before 0.14 ignores the key.) */
	json_object_set_new(target, "network", json_string("none"));
	json_object_set_new(target, "args", args);
	json_object_set_new(target, "tags", refs);
	json_object_set_new(target, "labels", label_object);
	json_object_set_new(target, "cache-from", string_array(cache_from));
	json_object_set_new(target, "cache-to", string_array(cache_to));
	*status = EXIT_CLEAN;

done:
	atlas_labels_free(labels);
	atlas_set_free(set);
	free(suffix);
	free(digest);
	free(cache_from);
	free(cache_to);
	return target;
}

int
cmd_bake(int argc, char **argv)
{
	static const struct option options[] = {
		{ "repo", required_argument, NULL, 'r' },
		{ "version", required_argument, NULL, 'v' },
		{ "version-file", required_argument, NULL, 'V' },
		{ "git-sha", required_argument, NULL, 's' },
		{ "git-tag", required_argument, NULL, 'g' },
		{ "from-git", no_argument, NULL, 'G' },
		{ "nightly", required_argument, NULL, 'n' },
		{ "source-date-epoch", required_argument, NULL, 'e' },
		{ "requirements-dir", required_argument, NULL, 'd' },
		{ "locked", no_argument, NULL, 'l' },
		{ "base-image", required_argument, NULL, 'B' },
		{ "smoke-base-image", required_argument, NULL, 'S' },
		{ "context", required_argument, NULL, 'c' },
		{ "dockerfile", required_argument, NULL, 'D' },
		{ NULL, 0, NULL, 0 }
	};
	bake_options o = {
		.requirements_dir = "requirements",
		.base_image = default_base_image,
		.smoke_base_image = "scratch",
		.context = ".",
		.dockerfile = "docker/atlas/Dockerfile",
	};
	atlas_tags_input tin = { 0 };
	const char *version_file = NULL, *version_option = NULL;
	char *version_text = NULL, *version = NULL, *git_sha = NULL, *git_tag = NULL;
	char *commit_time = NULL;
	bool from_git = false;
	atlas_error err = { 0 };
	atlas_tags *tags = NULL;
	json_t *doc = NULL;
	int opt, status = EXIT_USAGE;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 'r':
			tin.repo = optarg;
			break;
		case 'v':
			version_option = optarg;
			break;
		case 'V':
			version_file = optarg;
			break;
		case 's':
			tin.git_sha = optarg;
			break;
		case 'g':
			tin.git_tag = optarg;
			break;
		case 'G':
			from_git = true;
			break;
		case 'n':
			tin.nightly_date = optarg;
			break;
		case 'e':
			o.source_date_epoch = optarg;
			break;
		case 'd':
			o.requirements_dir = optarg;
			break;
		case 'l':
			o.locked = true;
			break;
		case 'B':
			o.base_image = optarg;
			break;
		case 'S':
			o.smoke_base_image = optarg;
			break;
		case 'c':
			o.context = optarg;
			break;
		case 'D':
			o.dockerfile = optarg;
			break;
		default:
			goto done;
		}
	}
	if (optind < argc) {
		cli_usage("bake", "unexpected argument '%s'", argv[optind]);
		goto done;
	}
	if (tin.repo == NULL) {
		cli_usage("bake", "--repo=REPO is required (the image repository)");
		goto done;
	}
	if (o.base_image[0] == '\0' || o.smoke_base_image[0] == '\0' ||
	    o.context[0] == '\0' || o.dockerfile[0] == '\0') {
		cli_usage("bake", "--base-image, --smoke-base-image, --context and "
		    "--dockerfile cannot be empty");
		goto done;
	}
	if (!cli_version_text("bake", &version_option, &version_file, &version_text))
		goto done;
	/* Checked first so that a bad version names where it came from. */
	version = cli_semver("bake", version_option, version_file);
	if (version == NULL) {
		status = EXIT_PROBLEMS;
		goto done;
	}
	tin.version = version;
	o.version = version;

	if (from_git) {
		if (!cli_git_head("bake", "no sha tag, no revision label", &git_sha, &git_tag))
			goto done;
		if (tin.git_sha == NULL)
			tin.git_sha = git_sha;
		if (tin.git_tag == NULL)
			tin.git_tag = git_tag;
	}
	o.git_sha = tin.git_sha;
	if (!cli_source_date_epoch("bake", &o.source_date_epoch, &commit_time))
		goto done;

	tags = atlas_tags_new_all(&tin, NULL, 0, &err);
	if (tags == NULL) {
		fprintf(stderr, "atlas: bake: error: %s\n", err.message);
		status = err.status == ATLAS_ERR_NOMEM ? EXIT_USAGE : EXIT_PROBLEMS;
		goto done;
	}

	doc = json_object();
	json_t *targets = json_object();
	json_t *names = json_array();
	json_t *group = json_object();
	json_t *default_group = json_object();
	json_object_set_new(default_group, "targets", names);
	json_object_set_new(group, "default", default_group);
	json_object_set_new(doc, "group", group);
	json_object_set_new(doc, "target", targets);
	for (int tier = 0; tier <= 2; tier++) {
		for (int materials = 0; materials <= 1; materials++) {
			atlas_variant variant = { tier, materials == 1 };
			json_t *target = bake_target(&o, tags, &variant, &status);
			char *suffix;
			if (target == NULL)
				goto done;
			suffix = atlas_variant_suffix(&variant);
			if (suffix == NULL) {
				json_decref(target);
				status = cli_usage("bake", "out of memory");
				goto done;
			}
			json_array_append_new(names, json_string(suffix));
			json_object_set_new(targets, suffix, target);
			free(suffix);
		}
	}

	char *text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER);
	if (text == NULL) {
		status = cli_usage("bake", "out of memory");
		goto done;
	}
	if (puts(text) == EOF || fflush(stdout) != 0) {
		free(text);
		status = cli_usage("bake", "cannot write the bake file: %s", strerror(errno));
		goto done;
	}
	free(text);
	status = EXIT_CLEAN;

done:
	json_decref(doc);
	atlas_tags_free(tags);
	free(version_text);
	free(version);
	free(git_sha);
	free(git_tag);
	free(commit_time);
	return status;
}
