/* test-spec.c - unit tests of spec.c: PEP 440 specifier sets.
 *
 * Expected values are those of packaging's SpecifierSet (str(), len(),
 * contains() with prereleases None, True and False), which the tables
 * were checked against. */
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
#define DEFAULT ATLAS_PRERELEASES_DEFAULT
#define YES ATLAS_PRERELEASES_YES
#define NO ATLAS_PRERELEASES_NO

static atlas_spec *
parse_or_fail(const char *text)
{
	atlas_error err = { 0 };
	atlas_spec *spec = atlas_spec_parse(text, &err);

	if (spec == NULL)
		fail_msg("'%s' did not parse: %s (column %u)", text, err.message, err.column);
	return spec;
}

static void
test_format_count_and_pin(void **state)
{
	static const struct {
		const char *input, *formatted;
		size_t count;
		const char *pin;
	} cases[] = {
		{ "", "", 0, NULL },
		{ " ", "", 0, NULL },
		{ ",", "", 0, NULL },
		{ " , ,", "", 0, NULL },
		{ ">=1.0", ">=1.0", 1, NULL },
		{ ">= 1.0", ">=1.0", 1, NULL },
		{ " >=1.0 ", ">=1.0", 1, NULL },
		{ ">=1.0,", ">=1.0", 1, NULL },
		{ ">=1.0,<2.0", "<2.0,>=1.0", 2, NULL },
		{ "<2.0,>=1.0", "<2.0,>=1.0", 2, NULL },
		{ ">=1.0, <2.0, !=1.5", "!=1.5,<2.0,>=1.0", 3, NULL },
		{ "==1.0", "==1.0", 1, "1.0" },
		{ "== 1.0", "==1.0", 1, "1.0" },
		{ "==v1.0", "==v1.0", 1, "v1.0" },
		{ "==1.0+Local", "==1.0+Local", 1, "1.0+Local" },
		{ "==1.0-1", "==1.0-1", 1, "1.0-1" },
		{ "==1.0.*", "==1.0.*", 1, NULL },
		{ "!=1.0.*", "!=1.0.*", 1, NULL },
		{ "!=1.0", "!=1.0", 1, NULL },
		{ "~=1.4.5", "~=1.4.5", 1, NULL },
		{ "~= 1.4", "~=1.4", 1, NULL },
		{ "===foo", "===foo", 1, NULL },
		{ "=== foo", "===foo", 1, NULL },
		{ "====1", "====1", 1, NULL },
		/* Duplicates go: equal after trimming trailing zeros of the
		 * release, except for ~=, === and wildcards. */
		{ ">=1.0,>=1.0", ">=1.0", 2, NULL },
		{ ">=1.0,>=1.0.0", ">=1.0", 2, NULL },
		{ "==2.0.0,==2", "==2", 2, NULL },
		{ "~=1.0,~=1.0.0", "~=1.0,~=1.0.0", 2, NULL },
		{ "==1.0.*,==1.0.0.*", "==1.0.*,==1.0.0.*", 2, NULL },
		{ "===1.0,===1.0", "===1.0", 2, NULL },
		{ ">1,<2,>=0.5,<=3,!=1.5,==1.*", "!=1.5,<2,<=3,==1.*,>1,>=0.5", 6, NULL },
		/* Python's whitespace includes U+3000 and U+00A0. */
		{ ">=1.0\xe3\x80\x80", ">=1.0", 1, NULL },
		{ "\xc2\xa0>=1.0", ">=1.0", 1, NULL },
		{ "<1.0a1", "<1.0a1", 1, NULL },
		{ ">=1!1.0", ">=1!1.0", 1, NULL },
		{ ">=1.0RC1", ">=1.0RC1", 1, NULL },
	};
	(void)state;

	for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
		atlas_spec *spec = parse_or_fail(cases[i].input);
		char *formatted = atlas_spec_format(spec);
		const char *pin = atlas_spec_pin(spec);

		assert_non_null(formatted);
		if (strcmp(formatted, cases[i].formatted) != 0)
			fail_msg("format('%s') = '%s', expected '%s'", cases[i].input,
			    formatted, cases[i].formatted);
		if (atlas_spec_count(spec) != cases[i].count)
			fail_msg("count('%s') = %zu, expected %zu", cases[i].input,
			    atlas_spec_count(spec), cases[i].count);
		if (cases[i].pin == NULL)
			assert_null(pin);
		else
			assert_string_equal(pin, cases[i].pin);
		free(formatted);
		atlas_spec_free(spec);
	}
}

static void
test_invalid_specifiers_name_the_column(void **state)
{
	static const struct { const char *input; unsigned column; } cases[] = {
		{ "1.0", 1 },
		{ "abc", 1 },
		{ "=1.0", 1 },
		{ "=>1.0", 1 },
		{ ">=", 3 },
		{ ">=1.0,<", 8 },
		{ "~=1", 3 },
		{ "~=1.*", 4 },
		{ "~=1.0.*", 6 },
		{ ">=1.0.*", 6 },
		{ "<1.*", 3 },
		{ "==1.0a1.*", 6 },
		{ "==1.0+l.*", 6 },
		{ ">=1.0+local", 6 },
		{ "~=1.0+l", 6 },
		{ "<=1.0+l", 6 },
		{ "==1.0.", 6 },
		{ "==1.0 a1", 7 },
		{ "===", 4 },
		{ "=== ", 4 },
		{ "===a b", 5 },
		{ "===a;b", 5 },
		{ "===a)", 5 },
		{ ">=1.0;python_version", 6 },
		{ "(>=1.0)", 1 },
		{ ">=1.0,junk", 7 },
		{ ">=1.0,, <2,x", 12 },
		{ "== 1.*.0", 5 },
		{ "==.*", 3 },
		{ "!=*", 3 },
		{ ">=1.0+", 7 },
		{ ">= 1.0 2", 8 },
		/* Columns count characters: "\xc3\xa9" is one. */
		{ "\xc3\xa9,>=x", 1 },
		{ ">=1,\xc3\xa9", 5 },
	};
	(void)state;

	for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
		atlas_error err = { 0 };
		atlas_spec *spec = atlas_spec_parse(cases[i].input, &err);
		if (spec != NULL)
			fail_msg("'%s' should be invalid", cases[i].input);
		assert_int_equal(err.status, ATLAS_ERR_SYNTAX);
		assert_int_equal(err.line, 1);
		if (err.column != cases[i].column)
			fail_msg("'%s': column %u, expected %u (%s)", cases[i].input,
			    err.column, cases[i].column, err.message);
	}
}

static void
test_messages_say_what_is_wrong(void **state)
{
	static const struct { const char *input, *message; } cases[] = {
		{ "1.0", "expected an operator: ~=, ==, !=, <=, >=, <, > or ===" },
		{ ">=", "expected a version after '>='" },
		{ "~=1", "'~=' needs at least two release numbers, as in '~=1.4'" },
		{ ">=1.*", "a wildcard '.*' is allowed only with == and !=, not with '>='" },
		{ "==1.0a1.*", "a wildcard '.*' must follow release numbers only, as in '==1.2.*'" },
		{ "<1.0+l", "a local version '+...' is allowed only with == and !=, not with '<'" },
		{ "===a b", "an arbitrary version after '===' cannot contain whitespace, ';' or ')'" },
		{ ">=1.0x", "unexpected 'x' in version" },
	};
	(void)state;

	for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
		atlas_error err = { 0 };
		assert_null(atlas_spec_parse(cases[i].input, &err));
		assert_string_equal(err.message, cases[i].message);
	}
	assert_null(atlas_spec_parse(NULL, NULL));
}

static void
test_contains(void **state)
{
	static const struct {
		const char *spec, *version;
		atlas_prereleases prereleases;
		bool expected;
	} cases[] = {
		/* Plain comparisons; a pre-release that the clauses admit is in
		 * unless prereleases is "no" (packaging 26: one candidate has no
		 * alternative). */
		{ ">=1.0", "1.0", DEFAULT, true },
		{ ">=1.0", "0.9", DEFAULT, false },
		{ ">=1.0", "1.0.dev0", DEFAULT, false },
		{ ">=1.0", "2.0a1", DEFAULT, true },
		{ ">=1.0", "2.0a1", NO, false },
		{ ">=1.0", "2.0a1", YES, true },
		{ ">=1.0", "1.0+local", DEFAULT, true },
		/* The empty set holds everything but, with "no", pre-releases. */
		{ "", "1.0", DEFAULT, true },
		{ "", "1.0a1", DEFAULT, true },
		{ "", "1.0a1", NO, false },
		{ "", "1.0.dev1", NO, false },
		{ "", "1.0.post1", NO, true },
		/* <V excludes V's pre-releases unless V is one. */
		{ "<2.0", "1.9", DEFAULT, true },
		{ "<2.0", "2.0a1", DEFAULT, false },
		{ "<2.0", "2.0a1", YES, false },
		{ "<2.0", "2.0.dev0", YES, false },
		{ "<2.0", "1.9.post1", DEFAULT, true },
		{ "<2.0", "2.0+local", DEFAULT, false },
		{ "<2.0a2", "2.0a1", DEFAULT, true },
		{ "<2.0a2", "2.0a2.dev1", DEFAULT, true },
		{ "<2.0.post1", "2.0", DEFAULT, true },
		{ "<2.0.post1", "2.0a1", DEFAULT, true },
		{ "<2.0.post1", "2.0.post1.dev0", DEFAULT, false },
		/* Nothing sorts below 0.dev0. */
		{ "<0", "0.dev0", YES, false },
		{ "<0a1", "0a0", DEFAULT, true },
		/* >V excludes V's post-releases and local versions unless V is a
		 * post- or dev release. */
		{ ">1.0", "1.0.post1", DEFAULT, false },
		{ ">1.0", "1.0+local", DEFAULT, false },
		{ ">1.0", "1.0.1", DEFAULT, true },
		{ ">1.0", "1.1a1", DEFAULT, true },
		{ ">1.0", "1.1a1", NO, false },
		{ ">1.0.post1", "1.0.post2", DEFAULT, true },
		{ ">1.0.post1", "1.0.post1+local", DEFAULT, false },
		{ ">1.0a1", "1.0a1.post1", DEFAULT, false },
		{ ">1.0a1", "1.0a2", DEFAULT, true },
		{ ">1.0a1", "1.0", DEFAULT, true },
		{ ">1.0.dev1", "1.0.dev2", DEFAULT, true },
		{ ">1.0.dev1", "1.0.dev1+l", DEFAULT, false },
		/* <=V holds V's local versions. */
		{ "<=1.0", "1.0+local", DEFAULT, true },
		{ "<=1.0", "1.0.post1", DEFAULT, false },
		{ "<=1.0", "1.0a1", DEFAULT, true },
		{ "<=1.0", "1.0a1", NO, false },
		/* ==V without a local label holds V's local versions. */
		{ "==1.0", "1.0.0", DEFAULT, true },
		{ "==1.0", "1.0+local", DEFAULT, true },
		{ "==1.0", "1.0.post1", DEFAULT, false },
		{ "==1.0+local", "1.0+local", DEFAULT, true },
		{ "==1.0+local", "1.0", DEFAULT, false },
		{ "==1.0+local", "1.0+other", DEFAULT, false },
		{ "==1.0+local", "1.0+local.1", DEFAULT, false },
		{ "==1.0a1", "1.0a1", DEFAULT, true },
		{ "==1.0a1", "1.0a1", NO, false },
		/* != is the complement of ==. */
		{ "!=1.0", "1.0+local", DEFAULT, false },
		{ "!=1.0", "1.0.1", DEFAULT, true },
		{ "!=1.0+local", "1.0", DEFAULT, true },
		{ "!=1.0+local", "1.0+local", DEFAULT, false },
		/* Wildcards: [V.dev0, next prefix .dev0). */
		{ "==1.*", "1.9", DEFAULT, true },
		{ "==1.*", "1.0a1", DEFAULT, true },
		{ "==1.*", "1.0a1", NO, false },
		{ "==1.*", "1.0.dev0", YES, true },
		{ "==1.*", "2.0.dev0", DEFAULT, false },
		{ "==1.*", "0.9", DEFAULT, false },
		{ "==1.0.*", "1.0", DEFAULT, true },
		{ "==1.0.*", "1", DEFAULT, true },
		{ "==1.0.*", "1.0.5+l", DEFAULT, true },
		{ "==1.0.*", "1.1", DEFAULT, false },
		{ "==1.0.0.*", "1.0", DEFAULT, true },
		{ "==1!1.*", "1.5", DEFAULT, false },
		{ "==1!1.*", "1!1.5", DEFAULT, true },
		{ "!=1.*", "1.5", DEFAULT, false },
		{ "!=1.*", "2.0", DEFAULT, true },
		{ "!=1.*", "0.9", DEFAULT, true },
		{ "!=1.0.*", "1.0.post1", DEFAULT, false },
		/* ~=: at least V, below the next prefix. */
		{ "~=1.4.5", "1.4.5", DEFAULT, true },
		{ "~=1.4.5", "1.4.9", DEFAULT, true },
		{ "~=1.4.5", "1.5", DEFAULT, false },
		{ "~=1.4.5", "1.5.dev0", DEFAULT, false },
		{ "~=1.4.5", "1.4.4", DEFAULT, false },
		{ "~=1.4", "1.9", DEFAULT, true },
		{ "~=1.4", "2.0", DEFAULT, false },
		{ "~=1.4", "2.0a1", DEFAULT, false },
		{ "~=1.4", "1.4a1", DEFAULT, false },
		{ "~=1.4.5a4", "1.4.5a5", DEFAULT, true },
		{ "~=1.4.5a4", "1.4.9", DEFAULT, true },
		{ "~=1.4.5a4", "1.5a1", DEFAULT, false },
		{ "~=1.0.post1", "1.0", DEFAULT, false },
		{ "~=1.0.post1", "1.0.post2", DEFAULT, true },
		{ "~=1!2.0", "1!2.5", DEFAULT, true },
		{ "~=1!2.0", "2.5", DEFAULT, false },
		{ "~=0.9", "0.9.post1+l", DEFAULT, true },
		/* ===: the text as given, ignoring case. */
		{ "===1.0", "1.0", DEFAULT, true },
		{ "===1.0", "1.0.0", DEFAULT, false },
		{ "===1.0", "v1.0", DEFAULT, false },
		{ "===1.0a1", "1.0A1", DEFAULT, true },
		{ "===1.0a1", "1.0A1", NO, false },
		{ "===1.0+Local", "1.0+local", DEFAULT, true },
		{ "===1.0", " 1.0", DEFAULT, false },
		{ "===1.0,>=0.5", "1.0", DEFAULT, true },
		{ "===1.0,>=2", "1.0", DEFAULT, false },
		/* Several clauses: all must hold. */
		{ ">=1.0,<2.0,!=1.5", "1.5", DEFAULT, false },
		{ ">=1.0,<2.0,!=1.5", "1.6", DEFAULT, true },
		{ ">=1.0,<2.0,!=1.5", "1.6a1", DEFAULT, true },
		{ ">=1.0,<2.0,!=1.5", "1.6a1", NO, false },
		{ ">=1.0a1,<2.0", "1.5b1", DEFAULT, true },
		{ ">=2.0,<1.0", "1.5", DEFAULT, false },
		{ ">=1.0,<=1.0", "1.0+l", DEFAULT, true },
		{ ">=1.0,<=1.0", "1.0.post1", DEFAULT, false },
	};
	(void)state;

	for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
		atlas_spec *spec = parse_or_fail(cases[i].spec);
		atlas_error err = { 0 };
		atlas_version *v = atlas_version_parse(cases[i].version, &err);

		assert_non_null(v);
		if (atlas_spec_contains(spec, v, cases[i].prereleases) != cases[i].expected)
			fail_msg("'%s' contains '%s' (prereleases %d) should be %s",
			    cases[i].spec, cases[i].version, (int)cases[i].prereleases,
			    cases[i].expected ? "true" : "false");
		atlas_version_free(v);
		atlas_spec_free(spec);
	}
}

/* Bounds computed from huge numbers stay exact: ~= and wildcards add one
 * to a release number. */
static void
test_huge_numbers_in_bounds(void **state)
{
	static const struct { const char *spec, *version; bool expected; } cases[] = {
		{ "~=1.99999999999999999999999", "1.99999999999999999999999.5", true },
		{ "~=1.99999999999999999999999", "1.100000000000000000000000", true },
		{ "~=1.99999999999999999999999", "2.0", false },
		{ "~=1.99999999999999999999999.0", "1.99999999999999999999999.9", true },
		{ "~=1.99999999999999999999999.0", "1.100000000000000000000000", false },
		{ "==99999999999999999999.*", "99999999999999999999.7", true },
		{ "==99999999999999999999.*", "100000000000000000000", false },
		{ "!=99999999999999999999.*", "100000000000000000000", true },
	};
	(void)state;

	for (size_t i = 0; i < N_ELEMENTS(cases); i++) {
		atlas_spec *spec = parse_or_fail(cases[i].spec);
		atlas_version *v = atlas_version_parse(cases[i].version, NULL);

		assert_non_null(v);
		if (atlas_spec_contains(spec, v, DEFAULT) != cases[i].expected)
			fail_msg("'%s' contains '%s' should be %s", cases[i].spec,
			    cases[i].version, cases[i].expected ? "true" : "false");
		atlas_version_free(v);
		atlas_spec_free(spec);
	}
}

static void
test_null_arguments(void **state)
{
	atlas_version *v = atlas_version_parse("1.0", NULL);
	(void)state;

	atlas_spec_free(NULL);
	assert_null(atlas_spec_format(NULL));
	assert_int_equal(atlas_spec_count(NULL), 0);
	assert_null(atlas_spec_pin(NULL));
	assert_false(atlas_spec_contains(NULL, v, DEFAULT));
	atlas_version_free(v);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_count_and_pin),
		cmocka_unit_test(test_invalid_specifiers_name_the_column),
		cmocka_unit_test(test_messages_say_what_is_wrong),
		cmocka_unit_test(test_contains),
		cmocka_unit_test(test_huge_numbers_in_bounds),
		cmocka_unit_test(test_null_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
