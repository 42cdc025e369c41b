/* test-error.c - unit tests of error.c: errors as values. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "atlas.h"

static void
test_set_fills_every_field(void **state)
{
	atlas_error err;
	(void)state;
	assert_int_equal(atlas_error_set(&err, ATLAS_ERR_SYNTAX, "a.txt", 3, 7,
	    "expected %s", "'=='"), ATLAS_ERR_SYNTAX);
	assert_int_equal(err.status, ATLAS_ERR_SYNTAX);
	assert_string_equal(err.file, "a.txt");
	assert_int_equal(err.line, 3);
	assert_int_equal(err.column, 7);
	assert_string_equal(err.message, "expected '=='");
}

static void
test_set_accepts_null_error_and_file(void **state)
{
	atlas_error err;
	(void)state;
	assert_int_equal(atlas_error_set(NULL, ATLAS_ERR_IO, NULL, 0, 0, "x"), ATLAS_ERR_IO);
	atlas_error_set(&err, ATLAS_ERR_IO, NULL, 0, 0, "no file");
	assert_string_equal(err.file, "");
}

static void
test_long_message_is_truncated_not_overflowed(void **state)
{
	atlas_error err;
	char big[4096];
	(void)state;
	memset(big, 'x', sizeof big - 1);
	big[sizeof big - 1] = '\0';
	atlas_error_set(&err, ATLAS_ERR_INVALID, big, 1, 1, "%s", big);
	assert_int_equal(strlen(err.message), ATLAS_ERROR_MESSAGE_MAX - 1);
	assert_int_equal(strlen(err.file), ATLAS_ERROR_FILE_MAX - 1);
}

static void
test_every_status_has_a_name(void **state)
{
	static const struct { atlas_status status; const char *name; } cases[] = {
		{ ATLAS_OK, "ok" },
		{ ATLAS_ERR_SYNTAX, "syntax error" },
		{ ATLAS_ERR_IO, "I/O error" },
		{ ATLAS_ERR_NOMEM, "out of memory" },
		{ ATLAS_ERR_INVALID, "invalid value" },
		{ ATLAS_ERR_CONFLICT, "conflict" },
		{ ATLAS_ERR_UNDEFINED, "undefined variable" },
		{ (atlas_status)-99, "unknown error" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		assert_string_equal(atlas_status_name(cases[i].status), cases[i].name);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_set_fills_every_field),
		cmocka_unit_test(test_set_accepts_null_error_and_file),
		cmocka_unit_test(test_long_message_is_truncated_not_overflowed),
		cmocka_unit_test(test_every_status_has_a_name),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
