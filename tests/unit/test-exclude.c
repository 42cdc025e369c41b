/* test-exclude.c - unit tests of exclude.c: the import exclusion list. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <string.h>

#include <cmocka.h>

#include "atlas.h"

static void
test_valid_lists(void **state)
{
	static const struct {
		const char *text;
		size_t n;
		const char *module[3];
		const char *reason[3];
		unsigned line[3];
	} cases[] = {
		{ "", 0, { NULL }, { NULL }, { 0 } },
		{ "# only a header\n\n   \n", 0, { NULL }, { NULL }, { 0 } },
		{ "triton  # needs a GPU at import time\n", 1,
		  { "triton" }, { "needs a GPU at import time" }, { 1 } },
		{ "# header\n\tvllm.entrypoints\t#\tstarts a server  \r\nxformers #why\n", 2,
		  { "vllm.entrypoints", "xformers" }, { "starts a server", "why" }, { 2, 3 } },
		{ "\xEF\xBB\xBF" "a # one\nb## two\n_c9 # three # with a hash", 3,
		  { "a", "b", "_c9" }, { "one", "two", "three # with a hash" }, { 1, 2, 3 } },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		atlas_error err = { 0 };
		atlas_exclude *ex = atlas_exclude_parse("x.txt", cases[i].text,
		    strlen(cases[i].text), &err);
		print_message("case %zu: %s\n", i, err.message);
		assert_non_null(ex);
		assert_int_equal(atlas_exclude_count(ex), cases[i].n);
		for (size_t k = 0; k < cases[i].n; k++) {
			const atlas_exclusion *e = atlas_exclude_get(ex, k);
			assert_string_equal(e->module, cases[i].module[k]);
			assert_string_equal(e->reason, cases[i].reason[k]);
			assert_int_equal(e->line, cases[i].line[k]);
		}
		assert_null(atlas_exclude_get(ex, cases[i].n));
		atlas_exclude_free(ex);
	}
}

static void
test_bad_lines_stop_the_list(void **state)
{
	static const struct {
		const char *text;
		atlas_status status;
		unsigned line, column;
		const char *message;
	} cases[] = {
		{ "triton\n", ATLAS_ERR_SYNTAX, 1, 7,
		  "no reason given; write \"module  # why it is excluded\"" },
		{ "ok # fine\n  torch   \n", ATLAS_ERR_SYNTAX, 2, 8,
		  "no reason given; write \"module  # why it is excluded\"" },
		{ "torch #   \n", ATLAS_ERR_SYNTAX, 1, 7,
		  "the reason is empty; say why the module is excluded" },
		{ "torch cuda # two names\n", ATLAS_ERR_SYNTAX, 1, 7, "expected \"module  # reason\"" },
		{ "-torch # dash\n", ATLAS_ERR_SYNTAX, 1, 1, "expected \"module  # reason\"" },
		{ "9lives # digit\n", ATLAS_ERR_SYNTAX, 1, 1, "'9lives' is not a module name" },
		{ "a..b # dots\n", ATLAS_ERR_SYNTAX, 1, 1, "'a..b' is not a module name" },
		{ "a. # dot\n", ATLAS_ERR_SYNTAX, 1, 1, "'a.' is not a module name" },
		{ "x # one\ny # two\nx # again\n", ATLAS_ERR_CONFLICT, 3, 1,
		  "'x' is already excluded on line 1" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		atlas_error err = { 0 };
		print_message("case %zu: %s", i, cases[i].text);
		assert_null(atlas_exclude_parse("ex.txt", cases[i].text, strlen(cases[i].text), &err));
		assert_int_equal(err.status, cases[i].status);
		assert_string_equal(err.file, "ex.txt");
		assert_int_equal(err.line, cases[i].line);
		assert_int_equal(err.column, cases[i].column);
		assert_string_equal(err.message, cases[i].message);
	}
}

static void
test_nul_byte_is_an_error(void **state)
{
	static const char text[] = "a # ok\nb\0c # hidden\n";
	atlas_error err = { 0 };
	(void)state;
	assert_null(atlas_exclude_parse("n.txt", text, sizeof text - 1, &err));
	assert_int_equal(err.line, 2);
	assert_int_equal(err.status, ATLAS_ERR_SYNTAX);
}

static void
test_find_covers_submodules(void **state)
{
	static const char text[] = "vllm.entrypoints # server\ntriton # gpu\n";
	static const struct { const char *module; const char *reason; } lookups[] = {
		{ "triton", "gpu" },
		{ "triton.language", "gpu" },
		{ "tritonclient", NULL },
		{ "vllm", NULL },
		{ "vllm.entrypoints", "server" },
		{ "vllm.entrypoints.api", "server" },
		{ "vllm.entrypointsx", NULL },
	};
	atlas_exclude *ex = atlas_exclude_parse("f.txt", text, sizeof text - 1, NULL);
	(void)state;
	assert_non_null(ex);
	for (size_t i = 0; i < sizeof lookups / sizeof lookups[0]; i++) {
		const char *reason = atlas_exclude_find(ex, lookups[i].module);
		if (lookups[i].reason == NULL)
			assert_null(reason);
		else
			assert_string_equal(reason, lookups[i].reason);
	}
	assert_null(atlas_exclude_find(NULL, "x"));
	atlas_exclude_free(ex);
}

static void
test_load(void **state)
{
	atlas_error err = { 0 };
	atlas_exclude *ex;
	(void)state;

	assert_null(atlas_exclude_load("/nonexistent/exclusions.txt", &err));
	assert_int_equal(err.status, ATLAS_ERR_IO);
	assert_string_equal(err.file, "/nonexistent/exclusions.txt");
	/* The file the image uses must parse. */
	ex = atlas_exclude_load(TEST_SRCDIR "/../docker/atlas/import-exclusions.txt", &err);
	if (ex == NULL)
		fail_msg("%s:%u: %s", err.file, err.line, err.message);
	atlas_exclude_free(ex);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_lists),
		cmocka_unit_test(test_bad_lines_stop_the_list),
		cmocka_unit_test(test_nul_byte_is_an_error),
		cmocka_unit_test(test_find_covers_submodules),
		cmocka_unit_test(test_load),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
