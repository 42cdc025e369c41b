/* test-tags.c - unit tests of tags.c: the image tags of a variant. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "atlas.h"

#define SHA "0123abc456def7890123abc456def7890123abcd"
#define SHA_UPPER "0123ABC456DEF7890123ABC456DEF7890123ABCD"
#define SHA256 "0123abc456def7890123abc456def7890123abc456def7890123abc456def789"
#define REPO "registry.example/owner/atlas"
#define MAX_TAGS 12

static const atlas_variant tier1_materials = { 1, true };

typedef struct tags_case {
	const char *name;
	const char *repo;
	const char *version;
	const char *git_tag;
	const char *git_sha;
	const char *nightly;
	atlas_variant variant;
	const atlas_variant *default_variant;
	const char *extra[4];
	atlas_status status;
	/* On success the tags in order; on failure expect[0] is a part of
	 * the message. */
	const char *expect[MAX_TAGS];
	atlas_tags_kind kind;
	unsigned column;	/* of the error; 0: not checked */
} tags_case;

static const tags_case cases[] = {
	/* Stable releases. */
	{ "stable release, default variant", REPO, "1.2.3\n", "v1.2.3", SHA, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_OK,
	  { "1.2.3-tier0", "1.2-tier0", "1-tier0", "tier0", "1.2.3", "latest",
	    "sha-0123abc-tier0" }, ATLAS_TAGS_RELEASE, 0 },
	{ "stable release, other variant gets no latest", REPO, "1.2.3", "v1.2.3", SHA, NULL,
	  { 1, true }, NULL, { NULL }, ATLAS_OK,
	  { "1.2.3-tier1-materials", "1.2-tier1-materials", "1-tier1-materials",
	    "tier1-materials", "sha-0123abc-tier1-materials" }, ATLAS_TAGS_RELEASE, 0 },
	{ "tier0 with materials is not the default variant", REPO, "1.2.3", "v1.2.3", NULL, NULL,
	  { 0, true }, NULL, { NULL }, ATLAS_OK,
	  { "1.2.3-tier0-materials", "1.2-tier0-materials", "1-tier0-materials",
	    "tier0-materials" }, ATLAS_TAGS_RELEASE, 0 },
	{ "default variant is a parameter", REPO, "1.2.3", "v1.2.3", NULL, NULL,
	  { 1, true }, &tier1_materials, { NULL }, ATLAS_OK,
	  { "1.2.3-tier1-materials", "1.2-tier1-materials", "1-tier1-materials",
	    "tier1-materials", "1.2.3", "latest" }, ATLAS_TAGS_RELEASE, 0 },
	{ "with another default, tier0 gets no latest", REPO, "1.2.3", "v1.2.3", NULL, NULL,
	  { 0, false }, &tier1_materials, { NULL }, ATLAS_OK,
	  { "1.2.3-tier0", "1.2-tier0", "1-tier0", "tier0" }, ATLAS_TAGS_RELEASE, 0 },
	{ "refs/tags/ prefix of GITHUB_REF", REPO, "1.2.3", "refs/tags/v1.2.3", NULL, NULL,
	  { 2, false }, NULL, { NULL }, ATLAS_OK,
	  { "1.2.3-tier2", "1.2-tier2", "1-tier2", "tier2" }, ATLAS_TAGS_RELEASE, 0 },
	{ "0.y.z gets no bare major tag", REPO, "0.4.1", "v0.4.1", NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_OK,
	  { "0.4.1-tier0", "0.4-tier0", "tier0", "0.4.1", "latest" }, ATLAS_TAGS_RELEASE, 0 },
	{ "10.y.z gets its major tag", REPO, "10.0.0", "v10.0.0", NULL, NULL,
	  { 2, true }, NULL, { NULL }, ATLAS_OK,
	  { "10.0.0-tier2-materials", "10.0-tier2-materials", "10-tier2-materials",
	    "tier2-materials" }, ATLAS_TAGS_RELEASE, 0 },
	{ "white space around VERSION is ignored", REPO, "  1.0.0 \r\n", "v1.0.0", NULL, NULL,
	  { 2, false }, NULL, { NULL }, ATLAS_OK,
	  { "1.0.0-tier2", "1.0-tier2", "1-tier2", "tier2" }, ATLAS_TAGS_RELEASE, 0 },

	/* Pre-releases: no moving tag. */
	{ "pre-release gets its own tag only", REPO, "2.0.0-rc.1", "v2.0.0-rc.1", SHA, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_OK,
	  { "2.0.0-rc.1-tier0", "sha-0123abc-tier0" }, ATLAS_TAGS_PRERELEASE, 0 },
	{ "pre-release of a non-default variant", REPO, "2.0.0-alpha", "v2.0.0-alpha", NULL, NULL,
	  { 2, true }, NULL, { NULL }, ATLAS_OK,
	  { "2.0.0-alpha-tier2-materials" }, ATLAS_TAGS_PRERELEASE, 0 },

	/* SemVer build metadata is dropped from tags. */
	{ "build metadata dropped from a release", REPO, "1.2.3+build.5", "v1.2.3+build.5", NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_OK,
	  { "1.2.3-tier0", "1.2-tier0", "1-tier0", "tier0", "1.2.3", "latest" },
	  ATLAS_TAGS_RELEASE, 0 },
	{ "build metadata dropped from a pre-release", REPO, "1.0.0-beta.2+exp.sha.5114f85",
	  "v1.0.0-beta.2+exp.sha.5114f85", NULL, NULL,
	  { 1, false }, NULL, { NULL }, ATLAS_OK,
	  { "1.0.0-beta.2-tier1" }, ATLAS_TAGS_PRERELEASE, 0 },
	{ "git tag must carry the build metadata too", REPO, "1.2.3+build.5", "v1.2.3", NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_CONFLICT,
	  { "must be 'v1.2.3+build.5'" }, ATLAS_TAGS_DEV, 0 },

	/* The v prefix, and git tag against VERSION. */
	{ "git tag without v", REPO, "1.2.3", "1.2.3", NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_CONFLICT,
	  { "git tag '1.2.3' does not match VERSION 1.2.3: the release tag must be 'v1.2.3'" },
	  ATLAS_TAGS_DEV, 0 },
	{ "VERSION with v", REPO, "v1.2.3", "v1.2.3", NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_SYNTAX,
	  { "starts with 'v'" }, ATLAS_TAGS_DEV, 1 },
	{ "git tag is another version", REPO, "1.2.3", "v1.2.4", SHA, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_CONFLICT,
	  { "git tag 'v1.2.4' does not match VERSION 1.2.3" }, ATLAS_TAGS_DEV, 0 },
	{ "git tag is a prefix of VERSION", REPO, "1.2.3-rc.1", "v1.2.3", SHA, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_CONFLICT,
	  { "must be 'v1.2.3-rc.1'" }, ATLAS_TAGS_DEV, 0 },
	{ "an empty git tag is no tag", REPO, "1.2.3", "", NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_OK,
	  { "dev-tier0" }, ATLAS_TAGS_DEV, 0 },

	/* No git, a shallow clone, a local build. */
	{ "no git: a local build", REPO, "1.2.3", NULL, NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_OK,
	  { "dev-tier0" }, ATLAS_TAGS_DEV, 0 },
	{ "shallow clone: a sha and no tag", REPO, "1.2.3", NULL, SHA, NULL,
	  { 1, false }, NULL, { NULL }, ATLAS_OK,
	  { "sha-0123abc-tier1", "dev-tier1" }, ATLAS_TAGS_DEV, 0 },
	{ "an empty sha is no git", REPO, "1.2.3", NULL, "", NULL,
	  { 1, false }, NULL, { NULL }, ATLAS_OK,
	  { "dev-tier1" }, ATLAS_TAGS_DEV, 0 },
	{ "upper-case sha is lowered", REPO, "1.2.3", NULL, SHA_UPPER, NULL,
	  { 2, true }, NULL, { NULL }, ATLAS_OK,
	  { "sha-0123abc-tier2-materials", "dev-tier2-materials" }, ATLAS_TAGS_DEV, 0 },
	{ "a SHA-256 repository's sha", REPO, "1.2.3", NULL, SHA256, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_OK,
	  { "sha-0123abc-tier0", "dev-tier0" }, ATLAS_TAGS_DEV, 0 },
	{ "short sha", REPO, "1.2.3", NULL, "0123abc", NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_SYNTAX,
	  { "has 7 digits" }, ATLAS_TAGS_DEV, 0 },
	{ "sha with a non-hex digit", REPO, "1.2.3", NULL,
	  "0123abc456def7890123abc456def7890123abcg", NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_SYNTAX,
	  { "holds 'g'" }, ATLAS_TAGS_DEV, 40 },

	/* Nightly builds. */
	{ "nightly", REPO, "1.2.3", NULL, SHA, "20260102",
	  { 1, false }, NULL, { NULL }, ATLAS_OK,
	  { "sha-0123abc-tier1", "nightly-20260102-tier1", "nightly-tier1" },
	  ATLAS_TAGS_NIGHTLY, 0 },
	{ "nightly on a release commit moves no version tag", REPO, "1.2.3", "v1.2.3", SHA, "20260102",
	  { 0, false }, NULL, { NULL }, ATLAS_OK,
	  { "sha-0123abc-tier0", "nightly-20260102-tier0", "nightly-tier0" },
	  ATLAS_TAGS_NIGHTLY, 0 },
	{ "nightly on a leap day", REPO, "1.2.3", NULL, NULL, "20240229",
	  { 2, true }, NULL, { NULL }, ATLAS_OK,
	  { "nightly-20240229-tier2-materials", "nightly-tier2-materials" },
	  ATLAS_TAGS_NIGHTLY, 0 },
	{ "nightly on a day that does not exist", REPO, "1.2.3", NULL, NULL, "21000229",
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_INVALID,
	  { "has no day 29" }, ATLAS_TAGS_DEV, 0 },
	{ "nightly in month 13", REPO, "1.2.3", NULL, NULL, "20261301",
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_INVALID,
	  { "has no month 13" }, ATLAS_TAGS_DEV, 0 },
	{ "nightly date with dashes", REPO, "1.2.3", NULL, NULL, "2026-01-02",
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_SYNTAX,
	  { "is not YYYYMMDD" }, ATLAS_TAGS_DEV, 0 },
	{ "nightly still checks the git tag", REPO, "1.2.3", "v1.2.2", NULL, "20260102",
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_CONFLICT,
	  { "does not match VERSION" }, ATLAS_TAGS_DEV, 0 },

	/* Duplicates are removed, keeping the first. */
	{ "duplicate extra tags", REPO, "1.2.3", NULL, SHA, NULL,
	  { 0, false }, NULL, { "pr-12", "dev", "sha-0123abc", "pr-12" }, ATLAS_OK,
	  { "sha-0123abc-tier0", "dev-tier0", "pr-12-tier0" }, ATLAS_TAGS_DEV, 0 },

	/* Invalid characters are errors, never rewritten. */
	{ "underscore in a pre-release", REPO, "1.2.3-rc_1", "v1.2.3-rc_1", NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_SYNTAX,
	  { "unexpected '_'" }, ATLAS_TAGS_DEV, 9 },
	{ "slash in a version", REPO, "1.2.3-feature/x", NULL, NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_SYNTAX,
	  { "unexpected '/'" }, ATLAS_TAGS_DEV, 14 },
	{ "space in an extra tag", REPO, "1.2.3", NULL, NULL, NULL,
	  { 0, false }, NULL, { "my tag" }, ATLAS_ERR_SYNTAX,
	  { "tag 'my tag-tier0' holds a space at column 3" }, ATLAS_TAGS_DEV, 3 },
	{ "extra tag starting with a dot", REPO, "1.2.3", NULL, NULL, NULL,
	  { 0, false }, NULL, { ".hidden" }, ATLAS_ERR_SYNTAX,
	  { "holds '.' at column 1" }, ATLAS_TAGS_DEV, 1 },
	{ "non-ASCII extra tag", REPO, "1.2.3", NULL, NULL, NULL,
	  { 0, false }, NULL, { "caf\xc3\xa9" }, ATLAS_ERR_SYNTAX,
	  { "holds byte 0xc3 at column 4" }, ATLAS_TAGS_DEV, 4 },
	{ "empty extra tag", REPO, "1.2.3", NULL, NULL, NULL,
	  { 0, false }, NULL, { "" }, ATLAS_ERR_SYNTAX,
	  { "cannot be empty" }, ATLAS_TAGS_DEV, 0 },

	/* SemVer syntax. */
	{ "empty VERSION", REPO, " \n", NULL, NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_SYNTAX,
	  { "the version is empty" }, ATLAS_TAGS_DEV, 1 },
	{ "two-part version", REPO, "1.2", NULL, NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_SYNTAX,
	  { "expected '.' after the minor number" }, ATLAS_TAGS_DEV, 4 },
	{ "leading zero in major", REPO, "01.2.3", NULL, NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_SYNTAX,
	  { "major number of version '01.2.3' has a leading zero" }, ATLAS_TAGS_DEV, 1 },
	{ "leading zero in a numeric pre-release", REPO, "1.2.3-rc.01", NULL, NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_SYNTAX,
	  { "leading zero" }, ATLAS_TAGS_DEV, 10 },
	{ "empty pre-release", REPO, "1.2.3-", NULL, NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_SYNTAX,
	  { "empty pre-release identifier" }, ATLAS_TAGS_DEV, 7 },
	{ "PEP 440 spelling is not SemVer", REPO, "1.2.3rc1", NULL, NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_SYNTAX,
	  { "unexpected 'r'" }, ATLAS_TAGS_DEV, 6 },

	/* Repositories. */
	{ "upper-case repository is lowered", "REGISTRY.EXAMPLE/Owner/ATLAS", "1.2.3", NULL, NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_OK,
	  { "dev-tier0" }, ATLAS_TAGS_DEV, 0 },
	{ "registry with a port", "localhost:5000/atlas", "1.2.3", NULL, NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_OK,
	  { "dev-tier0" }, ATLAS_TAGS_DEV, 0 },
	{ "repository without a registry", "owner/my_image__x.y-z", "1.2.3", NULL, NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_OK,
	  { "dev-tier0" }, ATLAS_TAGS_DEV, 0 },
	{ "repository with a tag", "registry.example/owner/atlas:1.0", "1.2.3", NULL, NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_SYNTAX,
	  { "holds a tag" }, ATLAS_TAGS_DEV, 29 },
	{ "repository with a digest", "registry.example/owner/atlas@sha256:ab", "1.2.3", NULL, NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_SYNTAX,
	  { "holds a digest" }, ATLAS_TAGS_DEV, 29 },
	{ "repository with an empty component", "registry.example/owner//atlas", "1.2.3", NULL, NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_SYNTAX,
	  { "holds '/'" }, ATLAS_TAGS_DEV, 24 },
	{ "repository with a trailing slash", "registry.example/owner/", "1.2.3", NULL, NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_SYNTAX,
	  { "an empty name" }, ATLAS_TAGS_DEV, 24 },
	{ "repository with a space", "registry.example/owner/at las", "1.2.3", NULL, NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_SYNTAX,
	  { "holds a space at column 26" }, ATLAS_TAGS_DEV, 26 },
	{ "three underscores", "owner/a___b", "1.2.3", NULL, NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_SYNTAX,
	  { "holds '_'" }, ATLAS_TAGS_DEV, 10 },
	{ "port that is not a number", "registry:http/atlas", "1.2.3", NULL, NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_SYNTAX,
	  { "port 'http' is not a number" }, ATLAS_TAGS_DEV, 10 },
	{ "host starting with a dash", "-bad.example/atlas", "1.2.3", NULL, NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_SYNTAX,
	  { "registry host '-bad.example' is not a host name" }, ATLAS_TAGS_DEV, 1 },
	{ "no repository", "", "1.2.3", NULL, NULL, NULL,
	  { 0, false }, NULL, { NULL }, ATLAS_ERR_INVALID,
	  { "no repository given" }, ATLAS_TAGS_DEV, 0 },

	/* Variants. */
	{ "tier 3 does not exist", REPO, "1.2.3", NULL, NULL, NULL,
	  { 3, false }, NULL, { NULL }, ATLAS_ERR_INVALID,
	  { "tier 3 does not exist" }, ATLAS_TAGS_DEV, 0 },
};

static size_t
count_strings(const char *const *list, size_t max)
{
	size_t n = 0;

	while (n < max && list[n] != NULL)
		n++;
	return n;
}

static atlas_tags_input
input_of(const tags_case *c)
{
	atlas_tags_input input = {
		.repo = c->repo,
		.version = c->version,
		.git_tag = c->git_tag,
		.git_sha = c->git_sha,
		.nightly_date = c->nightly,
		.variant = c->variant,
		.default_variant = c->default_variant,
		.extra = c->extra,
		.n_extra = count_strings(c->extra, 4),
	};
	return input;
}

/* The repository as it must appear in every reference. */
static char *
lower_copy(const char *s)
{
	char *out = strdup(s);

	assert_non_null(out);
	for (char *p = out; *p != '\0'; p++)
		if (*p >= 'A' && *p <= 'Z')
			*p = (char)(*p + 32);
	return out;
}

static void
test_tags_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const tags_case *c = &cases[i];
		atlas_tags_input input = input_of(c);
		atlas_error err = { 0 };
		atlas_tags *tags = atlas_tags_new(&input, &err);

		print_message("case: %s\n", c->name);
		if (c->status != ATLAS_OK) {
			assert_null(tags);
			assert_int_equal(err.status, c->status);
			if (strstr(err.message, c->expect[0]) == NULL)
				fail_msg("case '%s': message '%s' lacks '%s'", c->name,
				    err.message, c->expect[0]);
			if (c->column != 0)
				assert_int_equal(err.column, c->column);
			continue;
		}
		if (tags == NULL)
			fail_msg("case '%s': unexpected error: %s", c->name, err.message);
		char *repo = lower_copy(c->repo);
		assert_string_equal(atlas_tags_repo(tags), repo);
		assert_int_equal(atlas_tags_get_kind(tags), c->kind);
		assert_int_equal(atlas_tags_count(tags), count_strings(c->expect, MAX_TAGS));
		for (size_t t = 0; t < atlas_tags_count(tags); t++) {
			const atlas_tag *tag = atlas_tags_get(tags, t);
			char ref[512];
			assert_string_equal(tag->tag, c->expect[t]);
			snprintf(ref, sizeof ref, "%s:%s", repo, c->expect[t]);
			assert_string_equal(tag->ref, ref);
			assert_int_equal(tag->variant.tier, c->variant.tier);
			assert_int_equal(tag->variant.materials, c->variant.materials);
			assert_true(atlas_tags_is_valid(tag->tag));
		}
		assert_null(atlas_tags_get(tags, atlas_tags_count(tags)));
		free(repo);
		atlas_tags_free(tags);
	}
}

/* A tag of exactly 128 characters is fine; one more is an error. */
static void
test_tag_length_limit(void **state)
{
	static const struct {
		size_t pre_len;		/* "1.2.3-" + pre + "-" + suffix */
		atlas_variant variant;
		bool nightly;
		atlas_status status;
	} limits[] = {
		{ 116, { 0, false }, false, ATLAS_OK },	/* 128 characters */
		{ 117, { 0, false }, false, ATLAS_ERR_INVALID },	/* 129 */
		{ 106, { 2, true }, false, ATLAS_OK },	/* 128 with -materials */
		{ 107, { 2, true }, false, ATLAS_ERR_INVALID },
		{ 300, { 1, false }, true, ATLAS_OK },	/* a nightly has no version tag */
	};
	(void)state;
	for (size_t i = 0; i < sizeof limits / sizeof limits[0]; i++) {
		char version[512], git_tag[520];
		atlas_error err = { 0 };
		memcpy(version, "1.2.3-", 6);
		memset(version + 6, 'a', limits[i].pre_len);
		version[6 + limits[i].pre_len] = '\0';
		snprintf(git_tag, sizeof git_tag, "v%s", version);
		atlas_tags_input input = { .repo = REPO, .version = version,
		    .git_tag = git_tag, .variant = limits[i].variant,
		    .nightly_date = limits[i].nightly ? "20260102" : NULL };
		atlas_tags *tags = atlas_tags_new(&input, &err);
		print_message("limit case %zu\n", i);
		if (limits[i].status == ATLAS_OK) {
			assert_non_null(tags);
			for (size_t t = 0; t < atlas_tags_count(tags); t++)
				assert_true(strlen(atlas_tags_get(tags, t)->tag) <= 128);
			if (!limits[i].nightly)
				assert_int_equal(strlen(atlas_tags_get(tags, 0)->tag), 128);
		} else {
			assert_null(tags);
			assert_int_equal(err.status, limits[i].status);
			assert_non_null(strstr(err.message, "is 129 characters long; a tag holds at most 128"));
		}
		atlas_tags_free(tags);
	}
}

static void
test_is_valid(void **state)
{
	static const struct { const char *tag; bool valid; } valid_cases[] = {
		{ "a", true }, { "_", true }, { "_a", true }, { "9", true },
		{ "A.b-c_d", true }, { "1.2.3-tier0", true }, { "latest", true },
		{ ".a", false }, { "-a", false }, { "a b", false }, { "a:b", false },
		{ "a/b", false }, { "a+b", false }, { "", false }, { NULL, false },
	};
	char long_tag[200];
	(void)state;
	for (size_t i = 0; i < sizeof valid_cases / sizeof valid_cases[0]; i++)
		assert_int_equal(atlas_tags_is_valid(valid_cases[i].tag), valid_cases[i].valid);
	memset(long_tag, 'x', sizeof long_tag);
	long_tag[128] = '\0';
	assert_true(atlas_tags_is_valid(long_tag));
	long_tag[128] = 'x';
	long_tag[129] = '\0';
	assert_false(atlas_tags_is_valid(long_tag));
}

static void
test_version(void **state)
{
	static const struct { const char *text; const char *version; } version_cases[] = {
		{ "0.1.0\n", "0.1.0" },
		{ "\t1.2.3+build.5 \n", "1.2.3+build.5" },
		{ "1.0.0-0.3.7", "1.0.0-0.3.7" },
		{ "1.0.0-x.7.z.92", "1.0.0-x.7.z.92" },
		{ "1.0.0-x-y-z.--", "1.0.0-x-y-z.--" },
		{ "1.0.0+0017", "1.0.0+0017" },	/* build identifiers may lead with 0 */
		{ "v1.0.0", NULL },
		{ "1.0", NULL },
		{ "1.0.0.0", NULL },
		{ "1.0.0-rc..1", NULL },
		{ "1.0.0+", NULL },
		{ "1.0.0 1", NULL },
		{ "-1.0.0", NULL },
	};
	(void)state;
	for (size_t i = 0; i < sizeof version_cases / sizeof version_cases[0]; i++) {
		atlas_error err = { 0 };
		char *v = atlas_tags_version(version_cases[i].text, &err);
		print_message("version '%s'\n", version_cases[i].text);
		if (version_cases[i].version == NULL) {
			assert_null(v);
			assert_int_equal(err.status, ATLAS_ERR_SYNTAX);
			assert_true(err.column >= 1);
		} else {
			assert_non_null(v);
			assert_string_equal(v, version_cases[i].version);
		}
		free(v);
	}
}

/* Inputs under which the tags of all six variants are computed. */
static const tags_case all_cases[] = {
	{ "stable", REPO, "1.2.3", "v1.2.3", SHA, NULL, { 0, false }, NULL, { NULL }, ATLAS_OK, { NULL }, ATLAS_TAGS_RELEASE, 0 },
	{ "stable 0.y.z", REPO, "0.1.0", "v0.1.0", SHA, NULL, { 0, false }, NULL, { NULL }, ATLAS_OK, { NULL }, ATLAS_TAGS_RELEASE, 0 },
	{ "stable, other default", REPO, "3.0.0", "v3.0.0", NULL, NULL, { 0, false }, &tier1_materials, { NULL }, ATLAS_OK, { NULL }, ATLAS_TAGS_RELEASE, 0 },
	{ "stable with build metadata", REPO, "1.2.3+tier1", "v1.2.3+tier1", NULL, NULL, { 0, false }, NULL, { NULL }, ATLAS_OK, { NULL }, ATLAS_TAGS_RELEASE, 0 },
	{ "pre-release", REPO, "2.0.0-rc.1", "v2.0.0-rc.1", SHA, NULL, { 0, false }, NULL, { NULL }, ATLAS_OK, { NULL }, ATLAS_TAGS_PRERELEASE, 0 },
	{ "pre-release named like a variant", REPO, "2.0.0-tier1", "v2.0.0-tier1", SHA, NULL, { 0, false }, NULL, { NULL }, ATLAS_OK, { NULL }, ATLAS_TAGS_PRERELEASE, 0 },
	{ "nightly", REPO, "1.2.3", NULL, SHA, "20260102", { 0, false }, NULL, { NULL }, ATLAS_OK, { NULL }, ATLAS_TAGS_NIGHTLY, 0 },
	{ "shallow clone", REPO, "1.2.3", NULL, SHA, NULL, { 0, false }, NULL, { NULL }, ATLAS_OK, { NULL }, ATLAS_TAGS_DEV, 0 },
	{ "no git", REPO, "1.2.3", NULL, NULL, NULL, { 0, false }, NULL, { "latest", "tier0" }, ATLAS_OK, { NULL }, ATLAS_TAGS_DEV, 0 },
};

static const atlas_variant six_variants[] = {
	{ 0, false }, { 0, true }, { 1, false }, { 1, true }, { 2, false }, { 2, true },
};

static void
test_no_tag_shared_between_variants(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof all_cases / sizeof all_cases[0]; i++) {
		const tags_case *c = &all_cases[i];
		atlas_tags_input input = input_of(c);
		atlas_error err = { 0 };
		atlas_tags *all = atlas_tags_new_all(&input, NULL, 0, &err);
		size_t at = 0;

		print_message("case: %s\n", c->name);
		if (all == NULL)
			fail_msg("case '%s': %s", c->name, err.message);
		assert_int_equal(atlas_tags_get_kind(all), c->kind);
		/* The same tags as one variant at a time, in variant order. */
		for (size_t v = 0; v < 6; v++) {
			input.variant = six_variants[v];
			atlas_tags *one = atlas_tags_new(&input, &err);
			assert_non_null(one);
			assert_true(atlas_tags_count(one) > 0);
			for (size_t t = 0; t < atlas_tags_count(one); t++, at++) {
				const atlas_tag *a = atlas_tags_get(all, at);
				assert_non_null(a);
				assert_string_equal(a->ref, atlas_tags_get(one, t)->ref);
				assert_int_equal(a->variant.tier, six_variants[v].tier);
				assert_int_equal(a->variant.materials, six_variants[v].materials);
			}
			atlas_tags_free(one);
		}
		assert_int_equal(atlas_tags_count(all), at);
		/* Checked here again, independently of the library. */
		for (size_t a = 0; a < atlas_tags_count(all); a++)
			for (size_t b = a + 1; b < atlas_tags_count(all); b++)
				if (strcmp(atlas_tags_get(all, a)->tag, atlas_tags_get(all, b)->tag) == 0)
					fail_msg("case '%s': tag '%s' appears twice", c->name,
					    atlas_tags_get(all, a)->tag);
		atlas_tags_free(all);
	}
}

static void
test_all_detects_a_shared_tag(void **state)
{
	static const atlas_variant twice[] = { { 0, false }, { 1, false }, { 0, false } };
	atlas_tags_input input = { .repo = REPO, .version = "1.2.3" };
	atlas_error err = { 0 };
	(void)state;
	assert_null(atlas_tags_new_all(&input, twice, 3, &err));
	assert_int_equal(err.status, ATLAS_ERR_CONFLICT);
	assert_string_equal(err.message,
	    "tag 'dev-tier0' would be shared by variants tier0 and tier0");
	/* A bad variant is refused before anything is computed. */
	static const atlas_variant bad[] = { { 0, false }, { -1, false } };
	assert_null(atlas_tags_new_all(&input, bad, 2, &err));
	assert_int_equal(err.status, ATLAS_ERR_INVALID);
	/* The input's errors come through too. */
	input.git_tag = "v9.9.9";
	assert_null(atlas_tags_new_all(&input, NULL, 0, &err));
	assert_int_equal(err.status, ATLAS_ERR_CONFLICT);
}

static void
test_kind_names(void **state)
{
	static const struct { atlas_tags_kind kind; const char *name; } names[] = {
		{ ATLAS_TAGS_RELEASE, "release" },
		{ ATLAS_TAGS_PRERELEASE, "prerelease" },
		{ ATLAS_TAGS_NIGHTLY, "nightly" },
		{ ATLAS_TAGS_DEV, "dev" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof names / sizeof names[0]; i++)
		assert_string_equal(atlas_tags_kind_name(names[i].kind), names[i].name);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_tags_table),
		cmocka_unit_test(test_tag_length_limit),
		cmocka_unit_test(test_is_valid),
		cmocka_unit_test(test_version),
		cmocka_unit_test(test_no_tag_shared_between_variants),
		cmocka_unit_test(test_all_detects_a_shared_tag),
		cmocka_unit_test(test_kind_names),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
