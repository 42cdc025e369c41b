/* test-env.c - unit tests of env.c: marker environments. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include <cmocka.h>

#include "atlas.h"

static void
test_default_environment(void **state)
{
	static const struct { const char *key; const char *value; } cases[] = {
		{ "implementation_name", "cpython" },
		{ "implementation_version", "3.11.2" },
		{ "os_name", "posix" },
		{ "platform_machine", "x86_64" },
		{ "platform_release", "" },
		{ "platform_system", "Linux" },
		{ "platform_version", "" },
		{ "python_full_version", "3.11.2" },
		{ "platform_python_implementation", "CPython" },
		{ "python_version", "3.11" },
		{ "sys_platform", "linux" },
		{ "extra", "" },
	};
	atlas_env *env = atlas_env_new_default();
	(void)state;
	assert_non_null(env);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *got = atlas_env_get(env, cases[i].key);
		if (got == NULL || strcmp(got, cases[i].value) != 0)
			fail_msg("%s: got %s, expected '%s'", cases[i].key,
			    got ? got : "NULL", cases[i].value);
	}
	assert_null(atlas_env_get(env, "extras"));
	assert_null(atlas_env_get(env, "os.name"));
	atlas_env_free(env);
}

static void
test_empty_environment_has_no_values(void **state)
{
	static const char *const keys[] = { "python_version", "os_name", "extra",
		"sys_platform", "implementation_name" };
	atlas_env *env = atlas_env_new();
	(void)state;
	assert_non_null(env);
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++)
		assert_null(atlas_env_get(env, keys[i]));
	atlas_env_free(env);
	atlas_env_free(NULL);
}

static void
test_set_and_replace(void **state)
{
	static const struct { const char *key; const char *value; } cases[] = {
		{ "python_version", "3.8" },
		{ "python_version", "3.12" },
		{ "extra", "Foo.Bar" },
		{ "sys_platform", "win32" },
		{ "platform_release", "6.1.0-18-amd64" },
		{ "os_name", "" },
	};
	atlas_env *env = atlas_env_new();
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		atlas_error err = { 0 };
		assert_int_equal(atlas_env_set(env, cases[i].key, cases[i].value, &err),
		    ATLAS_OK);
		assert_string_equal(atlas_env_get(env, cases[i].key), cases[i].value);
	}
	atlas_env_free(env);
}

static void
test_unknown_keys_are_rejected(void **state)
{
	static const char *const keys[] = { "python", "os.name", "extras",
		"dependency_groups", "PYTHON_VERSION", "", "python_version " };
	atlas_env *env = atlas_env_new_default();
	(void)state;
	for (size_t i = 0; i < sizeof keys / sizeof keys[0]; i++) {
		atlas_error err = { 0 };
		assert_int_equal(atlas_env_set(env, keys[i], "x", &err), ATLAS_ERR_INVALID);
		assert_int_equal(err.status, ATLAS_ERR_INVALID);
		assert_non_null(strstr(err.message, "unknown marker variable"));
		assert_non_null(strstr(err.message, "\"extra\""));
		assert_null(atlas_env_get(env, keys[i]));
	}
	/* A NULL error is allowed. */
	assert_int_equal(atlas_env_set(env, "nope", "x", NULL), ATLAS_ERR_INVALID);
	atlas_env_free(env);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_default_environment),
		cmocka_unit_test(test_empty_environment_has_no_values),
		cmocka_unit_test(test_set_and_replace),
		cmocka_unit_test(test_unknown_keys_are_rejected),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
