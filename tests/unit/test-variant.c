/* test-variant.c - unit tests of variant.c: variant names. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>

#include <cmocka.h>

#include "atlas.h"

static void
test_suffix_of_every_variant(void **state)
{
	static const struct { atlas_variant variant; const char *suffix; } cases[] = {
		{ { 0, false }, "tier0" },
		{ { 1, false }, "tier1" },
		{ { 2, false }, "tier2" },
		{ { 0, true }, "tier0-materials" },
		{ { 1, true }, "tier1-materials" },
		{ { 2, true }, "tier2-materials" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *suffix = atlas_variant_suffix(&cases[i].variant);
		assert_string_equal(suffix, cases[i].suffix);
		free(suffix);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_suffix_of_every_variant),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
