/* test-version.c - unit tests of version.c: PEP 440 versions.
 *
 * Expected values are those of packaging's Version (str(), <, the
 * is_* properties), which the tables were checked against. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "atlas.h"

#define N_ELEMENTS(a) (sizeof (a) / sizeof (a)[0])

static atlas_version *
parse_or_fail(const char *text)
{
	atlas_error err = { 0 };
	atlas_version *v = atlas_version_parse(text, &err);

	if (v == NULL)
		fail_msg("'%s' did not parse: %s (column %u)", text, err.message, err.column);
	return v;
}

static int
sign(int x)
{
	return (x > 0) - (x < 0);
}

/* Every pair of this list compares as the positions do: PEP 440's order,
 * local labels, huge numbers and epochs included. */
static void
test_order_of_a_sorted_list(void **state)
{
	static const char *const sorted[] = {
		"0.dev0", "0a0", "0", "0.post0", "0.0.1", "0.1.dev1", "0.1a1",
		"0.1", "0.9", "0.10",
		"1.0.dev456", "1.0a1", "1.0a2.dev456", "1.0a12.dev456", "1.0a12",
		"1.0b1.dev456", "1.0b2", "1.0b2.post345.dev456", "1.0b2.post345",
		"1.0b2-346", "1.0c1.dev456", "1.0c1", "1.0rc2", "1.0c3", "1.0",
		"1.0+abc", "1.0+abc.2", "1.0+1", "1.0+1.a", "1.0+1.1", "1.0+2",
		"1.0+10", "1.0.post456.dev34", "1.0.post456", "1.0.post456+local",
		"1.0.1.dev0", "1.0.1", "1.1.dev1",
		"1.2+123abc", "1.2+123abc456", "1.2+abc", "1.2+abc123",
		"1.2+abc123def", "1.2+1234.abc", "1.2+123456", "1.2.r32+123456",
		"1.2.rev33+123456",
		"1.9", "1.10", "1.11a1", "2", "2.0.0.1", "10.0",
		"99999999999999999999", "100000000000000000000.0a1",
		"100000000000000000000",
		"1!0.dev0", "1!0", "1!1.0b2.post345.dev456", "1!1.0b2.post345",
		"1!1.0", "2!0.1",
	};
	atlas_version *v[N_ELEMENTS(sorted)];
	(void)state;

	for (size_t i = 0; i < N_ELEMENTS(sorted); i++)
		v[i] = parse_or_fail(sorted[i]);
	for (size_t i = 0; i < N_ELEMENTS(sorted); i++) {
		for (size_t j = 0; j < N_ELEMENTS(sorted); j++) {
			int expected = i < j ? -1 : i > j ? 1 : 0;
			int got = sign(atlas_version_compare(v[i], v[j]));
			if (got != expected)
				fail_msg("compare('%s', '%s') = %d, expected %d",
				    sorted[i], sorted[j], got, expected);
		}
	}
	for (size_t i = 0; i < N_ELEMENTS(sorted); i++)
		atlas_version_free(v[i]);
}

/* Different spellings of one version compare equal. */
static void
test_equal_spellings(void **state)
{
	static const struct { const char *a, *b; } cases[] = {
		{ "1", "1.0" },
		{ "1.0", "1.0.0.0" },
		{ "v1.0", "1.0" },
		{ "0!1.0", "1.0" },
		{ "1.0a", "1.0a0" },
		{ "1.0alpha1", "1.0a1" },
		{ "1.0c1", "1.0rc1" },
		{ "1.0pre1", "1.0rc1" },
		{ "1.0-1", "1.0.post1" },
		{ "1.0r", "1.0.post0" },
		{ "1.0dev", "1.0.dev0" },
		{ "1.0+Ubuntu-1", "1.0+ubuntu.1" },
		{ "1.0+007", "1.0+7" },
		{ "0001.0002", "1.2" },
		{ " 1.0\t", "1.0" },
	};
	(void)state;

	for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
		atlas_version *a = parse_or_fail(cases[i].a);
		atlas_version *b = parse_or_fail(cases[i].b);
		if (atlas_version_compare(a, b) != 0 || atlas_version_compare(b, a) != 0)
			fail_msg("'%s' and '%s' should compare equal", cases[i].a, cases[i].b);
		atlas_version_free(a);
		atlas_version_free(b);
	}
}

static void
test_normalize(void **state)
{
	static const struct { const char *input, *normalized; } cases[] = {
		{ "1.0", "1.0" },
		{ "v1.0", "1.0" },
		{ "V1.0", "1.0" },
		{ " 1.0 ", "1.0" },
		{ "\t1.0\n", "1.0" },
		{ "1.0.0", "1.0.0" },
		{ "01.002.0003", "1.2.3" },
		{ "0", "0" },
		{ "000", "0" },
		{ "1!1.0", "1!1.0" },
		{ "01!1.0", "1!1.0" },
		{ "0!1.0", "1.0" },
		{ "1.0a1", "1.0a1" },
		{ "1.0A1", "1.0a1" },
		{ "1.0alpha1", "1.0a1" },
		{ "1.0-alpha-1", "1.0a1" },
		{ "1.0.alpha.1", "1.0a1" },
		{ "1.0_a_1", "1.0a1" },
		{ "1.0a", "1.0a0" },
		{ "1.0alpha", "1.0a0" },
		{ "1.0b2", "1.0b2" },
		{ "1.0beta2", "1.0b2" },
		{ "1.0BETA", "1.0b0" },
		{ "1.0c1", "1.0rc1" },
		{ "1.0pre1", "1.0rc1" },
		{ "1.0preview1", "1.0rc1" },
		{ "1.0-rc1", "1.0rc1" },
		{ "1.0RC", "1.0rc0" },
		{ "1.0a01", "1.0a1" },
		{ "1.0-1", "1.0.post1" },
		{ "1.0-01", "1.0.post1" },
		{ "1.0post1", "1.0.post1" },
		{ "1.0.post1", "1.0.post1" },
		{ "1.0-post-1", "1.0.post1" },
		{ "1.0_post_1", "1.0.post1" },
		{ "1.0post", "1.0.post0" },
		{ "1.0.rev2", "1.0.post2" },
		{ "1.0r3", "1.0.post3" },
		{ "1.0-r", "1.0.post0" },
		{ "1.0.POST1", "1.0.post1" },
		{ "1.0dev1", "1.0.dev1" },
		{ "1.0.dev1", "1.0.dev1" },
		{ "1.0-dev-1", "1.0.dev1" },
		{ "1.0_dev", "1.0.dev0" },
		{ "1.0DEV", "1.0.dev0" },
		{ "1.0a1.post2.dev3", "1.0a1.post2.dev3" },
		{ "1.0rc1-2", "1.0rc1.post2" },
		{ "1.0rc1.post2-dev3", "1.0rc1.post2.dev3" },
		{ "1.0+ubuntu1", "1.0+ubuntu1" },
		{ "1.0+Ubuntu-1", "1.0+ubuntu.1" },
		{ "1.0+ubuntu_1.2", "1.0+ubuntu.1.2" },
		{ "1.0+abc.007", "1.0+abc.7" },
		{ "1.0+007", "1.0+7" },
		{ "1!2.0.post3.dev4+Ubuntu-1", "1!2.0.post3.dev4+ubuntu.1" },
		{ "v1!2.0rc1", "1!2.0rc1" },
		/* The separator after a letter may stand alone. */
		{ "1.0a.", "1.0a0" },
		{ "1.0.a", "1.0a0" },
		{ "1.0-a", "1.0a0" },
		{ "1.0a-1", "1.0a1" },
		{ "1.0a.dev", "1.0a0.dev0" },
		{ "2.0.0.0.0.0", "2.0.0.0.0.0" },
		{ "99999999999999999999999999.0", "99999999999999999999999999.0" },
		/* Python's str.isspace() whitespace: U+00A0 and U+3000. */
		{ "1.0\xc2\xa0", "1.0" },
		{ "\xe3\x80\x80" "1.0", "1.0" },
	};
	(void)state;

	for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
		atlas_version *v = parse_or_fail(cases[i].input);
		char *normal = atlas_version_normalize(v);
		assert_non_null(normal);
		if (strcmp(normal, cases[i].normalized) != 0)
			fail_msg("normalize('%s') = '%s', expected '%s'",
			    cases[i].input, normal, cases[i].normalized);
		free(normal);
		atlas_version_free(v);
	}
}

static void
test_invalid_versions_name_the_column(void **state)
{
	static const struct { const char *input; unsigned column; } cases[] = {
		{ "", 1 },
		{ " ", 1 },
		{ "abc", 1 },
		{ "v", 2 },
		{ "1.", 2 },
		{ ".1", 1 },
		{ "1..0", 2 },
		{ "1.0.", 4 },
		{ "1.0x", 4 },
		{ "1.0+", 5 },
		{ "1.0+.", 5 },
		{ "1.0+a..b", 6 },
		{ "1.0+a_", 6 },
		{ "1.0-", 4 },
		{ "1.0--1", 4 },
		{ "1.0a1a", 6 },
		{ "1.0.post1.post2", 10 },
		{ "1.0.dev1.post1", 9 },
		{ "1.0dev1a1", 8 },
		{ "1!", 3 },
		{ "!1.0", 1 },
		{ "1!2!3", 4 },
		{ "1.0 a1", 5 },
		{ "vv1.0", 2 },
		{ "v 1.0", 2 },
		{ "1,0", 2 },
		{ "1.0.*", 4 },
		{ "-1.0", 1 },
		{ "1.0+loc+al", 8 },
		/* Columns count characters, not bytes: "é" is two bytes. */
		{ "1.0+\xc3\xa9", 5 },
		{ "\xc3\xa9" "1.0", 1 },
		{ "\xc3\xa9\xc3\xa9x", 1 },
		{ "1.0\x01", 4 },
		{ "1.0rcc", 6 },
		{ "dev", 1 },
		{ "1.0.devx", 8 },
	};
	(void)state;

	for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
		atlas_error err = { 0 };
		atlas_version *v = atlas_version_parse(cases[i].input, &err);
		if (v != NULL)
			fail_msg("'%s' should be invalid", cases[i].input);
		assert_int_equal(err.status, ATLAS_ERR_SYNTAX);
		assert_int_equal(err.line, 1);
		if (err.column != cases[i].column)
			fail_msg("'%s': column %u, expected %u (%s)", cases[i].input,
			    err.column, cases[i].column, err.message);
		assert_true(strlen(err.message) > 0);
	}
}

static void
test_messages_say_what_is_wrong(void **state)
{
	static const struct { const char *input, *message; } cases[] = {
		{ "", "empty version" },
		{ "abc", "expected a release number such as '1.0'" },
		{ "1.0x", "unexpected 'x' in version" },
		{ "1.0\x01", "unexpected byte 0x01 in version" },
		{ "1.0+", "expected a local version label (letters and digits) after '+'" },
	};
	(void)state;

	for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
		atlas_error err = { 0 };
		assert_null(atlas_version_parse(cases[i].input, &err));
		assert_string_equal(err.message, cases[i].message);
	}
	/* A NULL error is allowed. */
	assert_null(atlas_version_parse("nope", NULL));
	assert_null(atlas_version_parse(NULL, NULL));
}

static void
test_release_kinds(void **state)
{
	static const struct {
		const char *input;
		bool pre, post, dev, local;
	} cases[] = {
		{ "1.0", false, false, false, false },
		{ "1.0a1", true, false, false, false },
		{ "1.0rc1", true, false, false, false },
		{ "1.0.dev1", true, false, true, false },
		{ "1.0a1.dev1", true, false, true, false },
		{ "1.0.post1", false, true, false, false },
		{ "1.0-1", false, true, false, false },
		{ "1.0.post1.dev1", true, true, true, false },
		{ "1.0b1.post1", true, true, false, false },
		{ "1.0+local", false, false, false, true },
		{ "1.0rc1.post1.dev1+x", true, true, true, true },
		{ "1!1.0", false, false, false, false },
	};
	(void)state;

	for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
		atlas_version *v = parse_or_fail(cases[i].input);
		if (atlas_version_is_prerelease(v) != cases[i].pre ||
		    atlas_version_is_postrelease(v) != cases[i].post ||
		    atlas_version_is_devrelease(v) != cases[i].dev ||
		    atlas_version_has_local(v) != cases[i].local)
			fail_msg("'%s': wrong pre/post/dev/local flags", cases[i].input);
		atlas_version_free(v);
	}
}

/* Python converts at most 4300 digits to an int, so packaging cannot
 * parse a longer number; neither do we.  Up to that, numbers are exact. */
static void
test_number_length_limit(void **state)
{
	static const size_t lengths[] = { 4300, 4301 };
	(void)state;

	for (size_t i = 0; i < N_ELEMENTS(lengths); i++) {
		char *text = malloc(lengths[i] + 3);
		atlas_error err = { 0 };
		atlas_version *v;

		assert_non_null(text);
		memcpy(text, "1.", 2);
		memset(text + 2, '7', lengths[i]);
		text[lengths[i] + 2] = '\0';
		v = atlas_version_parse(text, &err);
		if (lengths[i] <= 4300) {
			char *normal;
			assert_non_null(v);
			normal = atlas_version_normalize(v);
			assert_string_equal(normal, text);
			free(normal);
		} else {
			assert_null(v);
			assert_int_equal(err.status, ATLAS_ERR_INVALID);
			assert_int_equal(err.column, 3);
		}
		atlas_version_free(v);
		free(text);
	}
}

/* Pseudo-random bytes drawn from PEP 440's alphabet and beyond never
 * crash the parser; whatever parses normalises to a string that parses
 * again to an equal version with the same normal form. */
static void
test_garbage_round_trips_or_fails_cleanly(void **state)
{
	static const char alphabet[] = "0123456789...---___++!!vVaAbBcCrReEpPvViIoOsStTdDwWlLxX \t\xc3\xa9\x01";
	uint32_t seed = 12345;
	size_t parsed = 0;
	(void)state;

	for (int round = 0; round < 20000; round++) {
		char text[24];
		size_t len;
		atlas_error err = { 0 };
		atlas_version *v;

		seed = seed * 1103515245u + 12345u;
		len = (seed >> 16) % (sizeof text - 1);
		for (size_t i = 0; i < len; i++) {
			seed = seed * 1103515245u + 12345u;
			text[i] = alphabet[(seed >> 16) % (sizeof alphabet - 1)];
		}
		text[len] = '\0';
		v = atlas_version_parse(text, &err);
		if (v == NULL) {
			assert_true(err.column >= 1 && err.column <= len + 1);
			continue;
		}
		parsed++;
		char *normal = atlas_version_normalize(v);
		atlas_version *again = parse_or_fail(normal);
		char *normal_again = atlas_version_normalize(again);
		assert_int_equal(atlas_version_compare(v, again), 0);
		assert_string_equal(normal, normal_again);
		free(normal);
		free(normal_again);
		atlas_version_free(again);
		atlas_version_free(v);
	}
	/* The alphabet is rich in digits: some inputs must parse. */
	assert_true(parsed > 0);
}

static void
test_free_accepts_null(void **state)
{
	(void)state;
	atlas_version_free(NULL);
	assert_null(atlas_version_normalize(NULL));
}

static void
test_text_equal_is_pep440_equality_else_same_text(void **state)
{
	static const struct { const char *a, *b; bool equal; } cases[] = {
		{ "1.26.4", "1.26.4", true },
		{ "1.26.4", "1.26.4.0", true },
		{ "1.0", "v1.0", true },
		{ "1.0rc1", "1.0-RC-1", true },
		{ "1.0", "1.0.post0", false },
		{ "1.0", "1.0+local", false },
		{ "2.0", "1.0", false },
		{ "not-a-version", "not-a-version", true },
		{ "not-a-version", "Not-A-Version", false },
		{ "1.0", "not-a-version", false },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		assert_int_equal(atlas_version_text_equal(cases[i].a, cases[i].b), cases[i].equal);
		assert_int_equal(atlas_version_text_equal(cases[i].b, cases[i].a), cases[i].equal);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_order_of_a_sorted_list),
		cmocka_unit_test(test_equal_spellings),
		cmocka_unit_test(test_normalize),
		cmocka_unit_test(test_invalid_versions_name_the_column),
		cmocka_unit_test(test_messages_say_what_is_wrong),
		cmocka_unit_test(test_release_kinds),
		cmocka_unit_test(test_number_length_limit),
		cmocka_unit_test(test_garbage_round_trips_or_fails_cleanly),
		cmocka_unit_test(test_free_accepts_null),
		cmocka_unit_test(test_text_equal_is_pep440_equality_else_same_text),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
