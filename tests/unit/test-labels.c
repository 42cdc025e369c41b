/* test-labels.c - unit tests of labels.c: the OCI labels of an image. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "atlas.h"

#define DIGEST "9f86d081884c7d659a2feaa0c55ad015a3bf4f1b2b0b822cd15d6c15b0f00a08"
#define SHA "0123abc456def7890123abc456def7890123abcd"
#define MAX_LABELS 16

typedef struct label_pair {
	const char *key;
	const char *value;
} label_pair;

typedef struct labels_case {
	const char *name;
	atlas_labels_input input;
	atlas_status status;
	/* On success every label in order; on failure expect[0].value is
	 * a part of the message. */
	label_pair expect[MAX_LABELS];
} labels_case;

static const labels_case cases[] = {
	{ "every label", {
		.version = "1.2.3\n", .source_date_epoch = "1767323045",
		.requirements_sha256 = DIGEST, .variant = { 1, true },
		.title = "atlas", .description = "Python data science, in tiers",
		.revision = SHA, .source = "https://example.org/owner/atlas",
		.url = "https://example.org/owner/atlas#readme",
		.licenses = "Apache-2.0", .base_name = "registry.example/library/python:3.11-slim-bookworm" },
	  ATLAS_OK, {
		{ "io.atlas.materials", "true" },
		{ "io.atlas.requirements.sha256", DIGEST },
		{ "io.atlas.tier", "1" },
		{ "org.opencontainers.image.base.name", "registry.example/library/python:3.11-slim-bookworm" },
		{ "org.opencontainers.image.created", "2026-01-02T03:04:05Z" },
		{ "org.opencontainers.image.description", "Python data science, in tiers" },
		{ "org.opencontainers.image.licenses", "Apache-2.0" },
		{ "org.opencontainers.image.revision", SHA },
		{ "org.opencontainers.image.source", "https://example.org/owner/atlas" },
		{ "org.opencontainers.image.title", "atlas" },
		{ "org.opencontainers.image.url", "https://example.org/owner/atlas#readme" },
		{ "org.opencontainers.image.version", "1.2.3" } } },
	{ "only what is required; empty optional values leave labels out", {
		.version = "0.1.0-rc.1+build.7", .source_date_epoch = "0",
		.requirements_sha256 = DIGEST, .variant = { 0, false },
		.title = "", .revision = "" },
	  ATLAS_OK, {
		{ "io.atlas.materials", "false" },
		{ "io.atlas.requirements.sha256", DIGEST },
		{ "io.atlas.tier", "0" },
		{ "org.opencontainers.image.created", "1970-01-01T00:00:00Z" },
		{ "org.opencontainers.image.version", "0.1.0-rc.1+build.7" } } },
	{ "a leap day and the last second of a year", {
		.version = "2.0.0", .source_date_epoch = "1709251199",
		.requirements_sha256 = DIGEST, .variant = { 2, false } },
	  ATLAS_OK, {
		{ "io.atlas.materials", "false" },
		{ "io.atlas.requirements.sha256", DIGEST },
		{ "io.atlas.tier", "2" },
		{ "org.opencontainers.image.created", "2024-02-29T23:59:59Z" },
		{ "org.opencontainers.image.version", "2.0.0" } } },
	{ "the last second RFC 3339 can write", {
		.version = "2.0.0", .source_date_epoch = "253402300799",
		.requirements_sha256 = DIGEST, .variant = { 2, true } },
	  ATLAS_OK, {
		{ "io.atlas.materials", "true" },
		{ "io.atlas.requirements.sha256", DIGEST },
		{ "io.atlas.tier", "2" },
		{ "org.opencontainers.image.created", "9999-12-31T23:59:59Z" },
		{ "org.opencontainers.image.version", "2.0.0" } } },

	/* Errors, each naming what is wrong. */
	{ "no SOURCE_DATE_EPOCH", {
		.version = "1.2.3", .requirements_sha256 = DIGEST },
	  ATLAS_ERR_INVALID, { { NULL, "no SOURCE_DATE_EPOCH given" } } },
	{ "SOURCE_DATE_EPOCH not a number", {
		.version = "1.2.3", .source_date_epoch = "2026-01-02", .requirements_sha256 = DIGEST },
	  ATLAS_ERR_SYNTAX, { { NULL, "SOURCE_DATE_EPOCH '2026-01-02' is not a number" } } },
	{ "negative SOURCE_DATE_EPOCH", {
		.version = "1.2.3", .source_date_epoch = "-1", .requirements_sha256 = DIGEST },
	  ATLAS_ERR_SYNTAX, { { NULL, "is not a number" } } },
	{ "SOURCE_DATE_EPOCH after 9999", {
		.version = "1.2.3", .source_date_epoch = "253402300800", .requirements_sha256 = DIGEST },
	  ATLAS_ERR_INVALID, { { NULL, "after the year 9999" } } },
	{ "huge SOURCE_DATE_EPOCH does not overflow", {
		.version = "1.2.3", .source_date_epoch = "99999999999999999999999999", .requirements_sha256 = DIGEST },
	  ATLAS_ERR_INVALID, { { NULL, "after the year 9999" } } },
	{ "not SemVer", {
		.version = "1.2", .source_date_epoch = "0", .requirements_sha256 = DIGEST },
	  ATLAS_ERR_SYNTAX, { { NULL, "expected '.' after the minor number" } } },
	{ "no version", {
		.source_date_epoch = "0", .requirements_sha256 = DIGEST },
	  ATLAS_ERR_INVALID, { { NULL, "no version given" } } },
	{ "no requirement digest", {
		.version = "1.2.3", .source_date_epoch = "0" },
	  ATLAS_ERR_INVALID, { { NULL, "no requirement set digest" } } },
	{ "short requirement digest", {
		.version = "1.2.3", .source_date_epoch = "0", .requirements_sha256 = "abc" },
	  ATLAS_ERR_SYNTAX, { { NULL, "has 3 digits, not 64" } } },
	{ "upper-case requirement digest", {
		.version = "1.2.3", .source_date_epoch = "0",
		.requirements_sha256 = "9F86D081884C7D659A2FEAA0C55AD015A3BF4F1B2B0B822CD15D6C15B0F00A08" },
	  ATLAS_ERR_SYNTAX, { { NULL, "not lower-case hexadecimal" } } },
	{ "revision that is not a sha", {
		.version = "1.2.3", .source_date_epoch = "0", .requirements_sha256 = DIGEST,
		.revision = "main" },
	  ATLAS_ERR_SYNTAX, { { NULL, "the revision 'main' is not lower-case hexadecimal" } } },
	{ "newline in a description", {
		.version = "1.2.3", .source_date_epoch = "0", .requirements_sha256 = DIGEST,
		.description = "two\nlines" },
	  ATLAS_ERR_SYNTAX, { { NULL, "the description holds the control character 0x0a at column 4" } } },
	{ "tab in a title", {
		.version = "1.2.3", .source_date_epoch = "0", .requirements_sha256 = DIGEST,
		.title = "at\tlas" },
	  ATLAS_ERR_SYNTAX, { { NULL, "the title holds the control character 0x09" } } },
	{ "tier 3", {
		.version = "1.2.3", .source_date_epoch = "0", .requirements_sha256 = DIGEST,
		.variant = { 3, false } },
	  ATLAS_ERR_INVALID, { { NULL, "tier 3 does not exist" } } },
};

static void
test_labels_table(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const labels_case *c = &cases[i];
		atlas_error err = { 0 };
		atlas_labels *labels = atlas_labels_new(&c->input, &err);
		size_t n = 0;

		print_message("case: %s\n", c->name);
		if (c->status != ATLAS_OK) {
			assert_null(labels);
			assert_int_equal(err.status, c->status);
			if (strstr(err.message, c->expect[0].value) == NULL)
				fail_msg("case '%s': message '%s' lacks '%s'", c->name,
				    err.message, c->expect[0].value);
			continue;
		}
		if (labels == NULL)
			fail_msg("case '%s': unexpected error: %s", c->name, err.message);
		while (n < MAX_LABELS && c->expect[n].key != NULL)
			n++;
		assert_int_equal(atlas_labels_count(labels), n);
		for (size_t l = 0; l < n; l++) {
			const atlas_label *label = atlas_labels_get(labels, l);
			assert_string_equal(label->key, c->expect[l].key);
			assert_string_equal(label->value, c->expect[l].value);
			assert_string_equal(atlas_labels_lookup(labels, c->expect[l].key),
			    c->expect[l].value);
			if (l > 0)
				assert_true(strcmp(atlas_labels_get(labels, l - 1)->key, label->key) < 0);
		}
		assert_null(atlas_labels_get(labels, n));
		assert_null(atlas_labels_lookup(labels, "org.opencontainers.image.vendor"));
		atlas_labels_free(labels);
	}
}

/* The same input gives the same labels: nothing comes from the clock. */
static void
test_labels_are_reproducible(void **state)
{
	static const char *const epochs[] = { "1767323045", "0", "1700000000" };
	(void)state;
	for (size_t e = 0; e < sizeof epochs / sizeof epochs[0]; e++) {
		atlas_labels_input input = {
			.version = "1.2.3", .source_date_epoch = epochs[e],
			.requirements_sha256 = DIGEST, .variant = { 2, true },
			.revision = SHA, .title = "atlas",
		};
		atlas_error err = { 0 };
		atlas_labels *first = atlas_labels_new(&input, &err);
		atlas_labels *second = atlas_labels_new(&input, &err);
		assert_non_null(first);
		assert_non_null(second);
		assert_int_equal(atlas_labels_count(first), atlas_labels_count(second));
		for (size_t i = 0; i < atlas_labels_count(first); i++) {
			assert_string_equal(atlas_labels_get(first, i)->key,
			    atlas_labels_get(second, i)->key);
			assert_string_equal(atlas_labels_get(first, i)->value,
			    atlas_labels_get(second, i)->value);
		}
		atlas_labels_free(first);
		atlas_labels_free(second);
	}
}

static void
test_free_accepts_null(void **state)
{
	(void)state;
	atlas_labels_free(NULL);
	atlas_tags_free(NULL);
	assert_int_equal(atlas_labels_count(NULL), 0);
	assert_null(atlas_labels_lookup(NULL, "io.atlas.tier"));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_labels_table),
		cmocka_unit_test(test_labels_are_reproducible),
		cmocka_unit_test(test_free_accepts_null),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
