/* test-marker.c - unit tests of marker.c: PEP 508 environment markers.
 *
 * The expected strings, errors and values are what packaging (the
 * reference implementation) gives for the same inputs. */
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
test_format_is_packaging_str(void **state)
{
	static const struct { const char *text; const char *formatted; } cases[] = {
		{ "python_version >= \"3.8\"", "python_version >= \"3.8\"" },
		{ "python_version>='3.8'", "python_version >= \"3.8\"" },
		{ "  os_name=='posix'  ", "os_name == \"posix\"" },
		{ "os.name == \"posix\"", "os_name == \"posix\"" },
		{ "sys.platform == 'linux'", "sys_platform == \"linux\"" },
		{ "platform.python_implementation == \"CPython\"", "platform_python_implementation == \"CPython\"" },
		{ "python_implementation == \"CPython\"", "platform_python_implementation == \"CPython\"" },
		{ "platform.version == \"x\"", "platform_version == \"x\"" },
		{ "platform.machine in \"x86_64 aarch64\"", "platform_machine in \"x86_64 aarch64\"" },
		{ "extra == \"Foo.Bar\"", "extra == \"foo-bar\"" },
		{ "\"Foo_Bar\" == extra", "\"foo-bar\" == extra" },
		{ "\"Foo.Bar\" in extras", "\"foo-bar\" in extras" },
		{ "\"Dev_Tools\" in dependency_groups", "\"dev-tools\" in dependency_groups" },
		{ "os_name == 'it\"s'", "os_name == 'it\"s'" },
		{ "os_name == \"it's\"", "os_name == \"it's\"" },
		{ "(os_name == \"a\")", "os_name == \"a\"" },
		{ "((os_name == \"a\"))", "os_name == \"a\"" },
		{ "(os_name == \"a\" or os_name == \"b\") and python_version > \"3\"", "(os_name == \"a\" or os_name == \"b\") and python_version > \"3\"" },
		{ "os_name == \"a\" or (os_name == \"b\" and python_version > \"3\")", "os_name == \"a\" or (os_name == \"b\" and python_version > \"3\")" },
		{ "((os_name == \"a\" or os_name == \"b\")) and (python_version > \"3\")", "(os_name == \"a\" or os_name == \"b\") and python_version > \"3\"" },
		{ "os_name == \"a\" and os_name == \"b\" or os_name == \"c\"", "os_name == \"a\" and os_name == \"b\" or os_name == \"c\"" },
		{ "python_version not in \"2.7 3.4\"", "python_version not in \"2.7 3.4\"" },
		{ "python_version not\x09""in \"2.7\"", "python_version not in \"2.7\"" },
		{ "python_version\x09""===\x09""\"3.11\"", "python_version === \"3.11\"" },
		{ "python_version ~= \"3.8\"", "python_version ~= \"3.8\"" },
		{ "os_name == sys_platform", "os_name == sys_platform" },
		{ "\"a\" == \"b\"", "\"a\" == \"b\"" },
		{ "os_name == \"a\\tb\"", "os_name == \"a\x09""b\"" },
		{ "os_name == \"\\x41\\u00e9\"", "os_name == \"A\xc3""\xa9""\"" },
		{ "os_name == \"\\d\"", "os_name == \"\\d\"" },
		{ "(((os_name == \"a\") and ((os_name == \"b\"))))", "os_name == \"a\" and os_name == \"b\"" },
		{ "implementation_name==\"cpython\"and os_name==\"posix\"", "implementation_name == \"cpython\" and os_name == \"posix\"" },
		{ "os_name != \"\"", "os_name != \"\"" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		atlas_error err = { 0 };
		atlas_marker *marker = atlas_marker_parse(cases[i].text, &err);
		char *text, *again;
		atlas_marker *reparsed;
		if (marker == NULL)
			fail_msg("'%s': %s", cases[i].text, err.message);
		text = atlas_marker_format(marker);
		assert_non_null(text);
		if (strcmp(text, cases[i].formatted) != 0)
			fail_msg("'%s': got '%s', expected '%s'", cases[i].text, text,
			    cases[i].formatted);
		/* The normalised form is a fixed point. */
		reparsed = atlas_marker_parse(text, &err);
		assert_non_null(reparsed);
		again = atlas_marker_format(reparsed);
		assert_string_equal(again, text);
		free(again);
		free(text);
		atlas_marker_free(reparsed);
		atlas_marker_free(marker);
	}
}

static void
test_syntax_errors(void **state)
{
	static const struct {
		const char *text;
		const char *message;
		unsigned column;
	} cases[] = {
		{ "", "Expected a marker variable or quoted string", 1 },
		{ "os_name", "Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in", 8 },
		{ "os_name ==", "Expected a marker variable or quoted string", 11 },
		{ "os_name = \"a\"", "Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in", 9 },
		{ "os_name == \"a\" and", "Expected a marker variable or quoted string", 19 },
		{ "(os_name == \"a\"", "Expected matching RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after marker expression", 16 },
		{ "os_name == \"a\")", "Expected end of marker expression", 15 },
		{ "os_name == \"a", "Expected a marker variable or quoted string", 12 },
		{ "python_version notin \"3\"", "Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in", 16 },
		{ "python_version not \"3\"", "Expected 'in' after 'not'", 20 },
		{ "python_version not  \"3\"", "Expected 'in' after 'not'", 21 },
		{ "foo == \"a\"", "Expected a marker variable or quoted string", 1 },
		{ "\"a\" == \"b\" xor \"c\" == \"d\"", "Expected end of marker expression", 12 },
		{ "os_name == \"a\" and_ os_name == \"b\"", "Expected end of marker expression", 16 },
		{ "os_name == \"\\x4\"", "Invalid quoted string", 12 },
		{ "os_name == \"\\N{DASH}\"", "Invalid quoted string", 12 },
		{ "os_name == \"a\\\"", "Invalid quoted string", 12 },
		{ "os_name == 'a\x0a""b'", "Invalid quoted string", 12 },
		{ "os_nameand == \"a\"", "Expected a marker variable or quoted string", 1 },
		{ "os_name == \"a\"and", "Expected a marker variable or quoted string", 18 },
		{ "os_name === ", "Expected a marker variable or quoted string", 13 },
		{ "((", "Expected a marker variable or quoted string", 3 },
		{ "os_name == \"\xc3""\xa9""\" or", "Expected a marker variable or quoted string", 18 },
		{ "os_name == \"a\" AND os_name == \"b\"", "Expected end of marker expression", 16 },
		{ "\x09""os_name\x09""==\x09""\"a\"\x09"")", "Expected end of marker expression", 17 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		atlas_error err = { 0 };
		atlas_marker *marker = atlas_marker_parse(cases[i].text, &err);
		if (marker != NULL)
			fail_msg("'%s': parsed, expected an error", cases[i].text);
		assert_int_equal(err.status, ATLAS_ERR_SYNTAX);
		if (strcmp(err.message, cases[i].message) != 0 ||
		    err.column != cases[i].column)
			fail_msg("'%s': got '%s' at %u, expected '%s' at %u",
			    cases[i].text, err.message, err.column, cases[i].message,
			    cases[i].column);
	}
}

/* packaging allows 200 nested parentheses, like CPython's parser. */
static void
test_nesting_is_bounded(void **state)
{
	static const struct { size_t depth; bool ok; } cases[] = {
		{ 1, true }, { 199, true }, { 200, true }, { 201, false },
		{ 100000, false },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		size_t depth = cases[i].depth, len = 2 * depth + 32;
		char *text = malloc(len);
		atlas_error err = { 0 };
		atlas_marker *marker;
		assert_non_null(text);
		memset(text, '(', depth);
		strcpy(text + depth, "os_name == \"a\"");
		memset(text + depth + 14, ')', depth);
		text[2 * depth + 14] = '\0';
		marker = atlas_marker_parse(text, &err);
		if (cases[i].ok) {
			char *formatted;
			assert_non_null(marker);
			formatted = atlas_marker_format(marker);
			assert_string_equal(formatted, "os_name == \"a\"");
			free(formatted);
		} else {
			assert_null(marker);
			assert_string_equal(err.message,
			    "Marker expression is nested more than 200 levels deep");
			assert_int_equal(err.column, 201);
		}
		atlas_marker_free(marker);
		free(text);
	}
}

/* Bytes that are not UTF-8, and long input, give errors, not crashes. */
static void
test_garbage(void **state)
{
	static const char *const cases[] = {
		"\xff\xfe", "os_name == \xff", "\"\xc3\" == os_name and", "\x01\x02\x03",
		"os_name \xc2\xa0== \"a\"", "(\x80)", "'\\x", "\"\\U0011ffff\" == os_name",
	};
	size_t len = 1 << 20;
	char *big = malloc(len + 1);
	atlas_error err = { 0 };
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		atlas_marker *marker = atlas_marker_parse(cases[i], &err);
		assert_null(marker);
		assert_int_equal(err.status, ATLAS_ERR_SYNTAX);
		assert_true(err.column >= 1);
	}
	assert_non_null(big);
	memset(big, 'x', len);
	big[len] = '\0';
	assert_null(atlas_marker_parse(big, &err));
	assert_int_equal(err.column, 1);
	big[0] = '"';
	big[len - 1] = '"';
	assert_null(atlas_marker_parse(big, &err));
	assert_int_equal(err.column, (unsigned)len + 1);
	free(big);
}

static void
test_evaluate(void **state)
{
	/* An env change "key=value" sets a variable of the default
	 * environment; "-key" removes it. */
	static const struct {
		const char *text;
		const char *change;
		bool value;
		atlas_status status;
	} cases[] = {
		{ "python_version >= \"3.8\"", NULL, true, ATLAS_OK },
		{ "python_version < \"3.11\"", NULL, false, ATLAS_OK },
		{ "python_version == \"3.11.*\"", NULL, true, ATLAS_OK },
		{ "python_version == \"3.1\"", NULL, false, ATLAS_OK },
		{ "python_full_version >= \"3.11.1\"", NULL, true, ATLAS_OK },
		{ "python_full_version < \"3.11.2\"", NULL, false, ATLAS_OK },
		{ "python_version ~= \"3.8\"", NULL, true, ATLAS_OK },
		{ "python_version ~= \"3.12\"", NULL, false, ATLAS_OK },
		{ "python_version === \"3.11\"", NULL, true, ATLAS_OK },
		{ "python_version > \"3.11a1\"", NULL, true, ATLAS_OK },
		{ "python_full_version > \"3.11.2\"", "python_full_version=3.11.3a1", true, ATLAS_OK },
		{ "python_full_version == \"3.11.2\"", "python_full_version=3.11.2+", true, ATLAS_OK },
		{ "python_full_version < \"3.11.3\"", "python_full_version=3.11.2+", true, ATLAS_OK },
		{ "python_version in \"3.10 3.11\"", NULL, true, ATLAS_OK },
		{ "python_version not in \"3.10 3.11\"", NULL, false, ATLAS_OK },
		{ "python_version < \"abc\"", NULL, false, ATLAS_OK },
		{ "python_version == \"abc\"", "python_version=abc", true, ATLAS_OK },
		{ "python_version >= \"3\"", "python_version=foo", false, ATLAS_OK },
		{ "\"3.8\" < python_version", NULL, true, ATLAS_OK },
		{ "\"3.12\" < python_version", NULL, false, ATLAS_OK },
		{ "os_name == \"posix\"", NULL, true, ATLAS_OK },
		{ "os_name != \"posix\"", NULL, false, ATLAS_OK },
		{ "os_name < \"z\"", NULL, false, ATLAS_OK },
		{ "os_name <= \"posix\"", NULL, true, ATLAS_OK },
		{ "os_name >= \"posix\"", NULL, true, ATLAS_OK },
		{ "os_name > \"a\"", NULL, false, ATLAS_OK },
		{ "\"os\" in os_name", NULL, true, ATLAS_OK },
		{ "\"os\" not in os_name", NULL, false, ATLAS_OK },
		{ "sys_platform == \"linux\" and platform_machine == \"x86_64\"", NULL, true, ATLAS_OK },
		{ "sys_platform == \"win32\" or platform_machine == \"x86_64\"", NULL, true, ATLAS_OK },
		{ "sys_platform == \"win32\" or platform_machine == \"x86_64\" and os_name == \"nt\"", NULL, false, ATLAS_OK },
		{ "(sys_platform == \"win32\" or platform_machine == \"x86_64\") and os_name == \"nt\"", NULL, false, ATLAS_OK },
		{ "platform_python_implementation == \"CPython\"", NULL, true, ATLAS_OK },
		{ "implementation_name == \"cpython\"", NULL, true, ATLAS_OK },
		{ "platform_system == \"Linux\"", NULL, true, ATLAS_OK },
		{ "platform_release == \"\"", NULL, true, ATLAS_OK },
		{ "platform_release >= \"5\"", "platform_release=6.1.0-18-amd64", false, ATLAS_OK },
		{ "platform_release >= \"5\"", "platform_release=6.1.0", true, ATLAS_OK },
		{ "extra == \"test\"", NULL, false, ATLAS_OK },
		{ "extra == \"Test_X\"", "extra=test.x", true, ATLAS_OK },
		{ "extra == \"test-x\"", "extra=Test__X", true, ATLAS_OK },
		{ "\"Test.X\" == extra", "extra=test-x", true, ATLAS_OK },
		{ "extra != \"test\"", "extra=test", false, ATLAS_OK },
		{ "os_name == sys_platform", NULL, false, ATLAS_OK },
		{ "os_name == sys_platform", "os_name=sys_platform", true, ATLAS_OK },
		{ "\"posix\" == \"os_name\"", NULL, true, ATLAS_OK },
		{ "\"3.11\" in python_version", NULL, true, ATLAS_OK },
		{ "os_name ~= \"posix\"", NULL, false, ATLAS_ERR_INVALID },
		{ "os_name === \"posix\"", NULL, false, ATLAS_ERR_INVALID },
		{ "extra == \"a\"", "-extra", false, ATLAS_ERR_UNDEFINED },
		{ "os_name == \"nt\" and extra == \"a\"", "-extra", false, ATLAS_ERR_UNDEFINED },
		{ "\"x\" in extras", NULL, false, ATLAS_ERR_UNDEFINED },
		{ "python_version ~= \"3\"", NULL, false, ATLAS_ERR_INVALID },
		{ "\"a\" == \"b\"", NULL, false, ATLAS_ERR_UNDEFINED },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		atlas_error err = { 0 };
		atlas_env *env = atlas_env_new_default();
		atlas_marker *marker = atlas_marker_parse(cases[i].text, &err);
		atlas_status status;
		bool value = !cases[i].value;
		assert_non_null(marker);
		if (cases[i].change != NULL && cases[i].change[0] == '-') {
			/* Rebuild the default without the removed key. */
			static const char *const keys[] = { "implementation_name",
				"implementation_version", "os_name", "platform_machine",
				"platform_release", "platform_system", "platform_version",
				"python_full_version", "platform_python_implementation",
				"python_version", "sys_platform", "extra" };
			atlas_env *partial = atlas_env_new();
			for (size_t k = 0; k < sizeof keys / sizeof keys[0]; k++)
				if (strcmp(keys[k], cases[i].change + 1) != 0)
					atlas_env_set(partial, keys[k], atlas_env_get(env, keys[k]), NULL);
			atlas_env_free(env);
			env = partial;
		} else if (cases[i].change != NULL) {
			char key[64];
			const char *eq = strchr(cases[i].change, '=');
			memcpy(key, cases[i].change, (size_t)(eq - cases[i].change));
			key[eq - cases[i].change] = '\0';
			assert_int_equal(atlas_env_set(env, key, eq + 1, NULL), ATLAS_OK);
		}
		status = atlas_marker_evaluate(marker, env, &value, &err);
		if (status != cases[i].status)
			fail_msg("'%s' (%s): status %d (%s), expected %d", cases[i].text,
			    cases[i].change ? cases[i].change : "default", status,
			    status ? err.message : "", cases[i].status);
		if (status == ATLAS_OK && value != cases[i].value)
			fail_msg("'%s' (%s): got %d", cases[i].text,
			    cases[i].change ? cases[i].change : "default", value);
		if (status == ATLAS_ERR_UNDEFINED)
			assert_non_null(strstr(err.message, "'"));
		atlas_marker_free(marker);
		atlas_env_free(env);
	}
}

static void
test_undefined_names_the_variable(void **state)
{
	static const struct { const char *text; const char *name; } cases[] = {
		{ "os_name == \"a\"", "'os_name'" },
		{ "\"a\" in extras", "'extras'" },
		{ "dependency_groups == \"a\"", "'dependency_groups'" },
		{ "\"a\" == \"b\"", "'b'" },
		{ "python_version > \"3\" and extra == \"x\"", "'python_version'" },
	};
	atlas_env *env = atlas_env_new();
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		atlas_error err = { 0 };
		bool value;
		atlas_marker *marker = atlas_marker_parse(cases[i].text, &err);
		assert_non_null(marker);
		assert_int_equal(atlas_marker_evaluate(marker, env, &value, &err),
		    ATLAS_ERR_UNDEFINED);
		if (strstr(err.message, cases[i].name) == NULL)
			fail_msg("'%s': message '%s' does not name %s", cases[i].text,
			    err.message, cases[i].name);
		atlas_marker_free(marker);
	}
	atlas_env_free(env);
}

/*
 * Where packaging cannot be followed.  A value holding both kinds of quote
 * (only escapes make one) makes packaging's str() raise; here the double
 * quote is written as \x22, which reads back to the same value.  A NUL
 * character cannot live in a C string, so an escape that makes one is an
 * "Invalid quoted string" (packaging accepts it), and so is \N{NAME},
 * which would need the Unicode name database.
 */
static void
test_deliberate_differences(void **state)
{
	static const struct { const char *text; const char *formatted; } formats[] = {
		{ "os_name == \"'\\x22\"", "os_name == \"'\\x22\"" },
		{ "os_name == \"\\x22'\\\\\"", "os_name == \"\\x22'\\\\\"" },
	};
	static const char *const refused[] = {
		"os_name == \"\\0\"", "os_name == \"\\x00\"", "os_name == \"\\u0000\"",
		"os_name == \"\\N{EN DASH}\"",
	};
	(void)state;
	for (size_t i = 0; i < sizeof formats / sizeof formats[0]; i++) {
		atlas_error err = { 0 };
		atlas_marker *marker = atlas_marker_parse(formats[i].text, &err), *again;
		char *text, *text_again;
		assert_non_null(marker);
		text = atlas_marker_format(marker);
		assert_string_equal(text, formats[i].formatted);
		again = atlas_marker_parse(text, &err);
		assert_non_null(again);
		text_again = atlas_marker_format(again);
		assert_string_equal(text_again, text);
		free(text_again);
		free(text);
		atlas_marker_free(again);
		atlas_marker_free(marker);
	}
	for (size_t i = 0; i < sizeof refused / sizeof refused[0]; i++) {
		atlas_error err = { 0 };
		assert_null(atlas_marker_parse(refused[i], &err));
		assert_string_equal(err.message, "Invalid quoted string");
		assert_int_equal(err.column, 12);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_format_is_packaging_str),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_nesting_is_bounded),
		cmocka_unit_test(test_garbage),
		cmocka_unit_test(test_evaluate),
		cmocka_unit_test(test_undefined_names_the_variable),
		cmocka_unit_test(test_deliberate_differences),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
