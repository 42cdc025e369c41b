/* test-name.c - unit tests of name.c: PEP 508 names, PEP 503 normalisation. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "atlas.h"

static void
test_validity(void **state)
{
	static const struct { const char *name; bool valid; } cases[] = {
		{ "a", true },
		{ "1", true },
		{ "requests", true },
		{ "Django", true },
		{ "zope.interface", true },
		{ "scikit-learn", true },
		{ "typing_extensions", true },
		{ "A1.b-2_c", true },
		{ "foo--bar", true },
		{ "", false },
		{ "-foo", false },
		{ "foo-", false },
		{ "foo_", false },
		{ ".foo", false },
		{ "foo bar", false },
		{ "foo!", false },
		{ "f\xc3\xa9", false },
		{ "_", false },
		{ "foo[bar]", false },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		if (atlas_name_is_valid(cases[i].name) != cases[i].valid)
			fail_msg("'%s': expected %s", cases[i].name,
			    cases[i].valid ? "valid" : "invalid");
	}
	assert_false(atlas_name_is_valid(NULL));
}

static void
test_canonicalize(void **state)
{
	static const struct { const char *name; const char *canonical; } cases[] = {
		{ "Django", "django" },
		{ "oslo.concurrency", "oslo-concurrency" },
		{ "Foo_Bar", "foo-bar" },
		{ "foo--bar", "foo-bar" },
		{ "foo-_.-bar", "foo-bar" },
		{ "FOO...BAR___BAZ", "foo-bar-baz" },
		{ "-foo-", "-foo-" },
		{ "__init__", "-init-" },
		{ "requests", "requests" },
		{ "", "" },
		{ "A.B_C-D", "a-b-c-d" },
		{ "caf\xc3\xa9", "caf\xc3\xa9" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = atlas_name_canonicalize(cases[i].name);
		assert_non_null(got);
		assert_string_equal(got, cases[i].canonical);
		free(got);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_validity),
		cmocka_unit_test(test_canonicalize),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
