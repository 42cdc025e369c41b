/* test-proc.c - unit tests of proc.c: children with a time limit. */
#include "config.h"

#include <setjmp.h>
#include <signal.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "atlas.h"

typedef struct proc_case {
	const char *argv[6];
	double timeout;
	bool started;
	bool timed_out;
	int exit_code;
	int signal;
	const char *output;	/* exact, or NULL: not checked */
	const char *error;	/* exact, or NULL: none */
} proc_case;

static const proc_case cases[] = {
	{ { "sh", "-c", "echo out; echo err >&2; exit 3", NULL }, 0,
	  true, false, 3, 0, "out\nerr\n", NULL },
	{ { "sh", "-c", "printf '%s' \"$0\"", "-x", NULL }, 10,
	  true, false, 0, 0, "-x", NULL },
	/* stdin is /dev/null: cat ends at once. */
	{ { "sh", "-c", "cat; echo done", NULL }, 10, true, false, 0, 0, "done\n", NULL },
	{ { "sh", "-c", "sleep 30", NULL }, 0.3, true, true, -1, SIGKILL, "", NULL },
	/* The whole group goes: the background sleep holds the pipe too. */
	{ { "sh", "-c", "sleep 30 & wait", NULL }, 0.3,
	  true, true, -1, SIGKILL, "", NULL },
	{ { "sh", "-c", "kill -TERM $$", NULL }, 10, true, false, -1, SIGTERM, "", NULL },
	{ { "/nonexistent/program", NULL }, 10, false, false, -1, 0, NULL,
	  "cannot run '/nonexistent/program': No such file or directory" },
	{ { NULL }, 10, false, false, -1, 0, NULL, "no program given" },
};

static void
check_results(const atlas_proc *proc, const proc_case *c, size_t n)
{
	assert_int_equal(atlas_proc_count(proc), n);
	for (size_t i = 0; i < n; i++) {
		const atlas_proc_result *r = atlas_proc_get(proc, i);
		print_message("case %zu: %s\n", i, c[i].argv[0] ? c[i].argv[0] : "(none)");
		assert_int_equal(r->started, c[i].started);
		assert_int_equal(r->timed_out, c[i].timed_out);
		assert_int_equal(r->exit_code, c[i].exit_code);
		assert_int_equal(r->signal, c[i].signal);
		if (c[i].output != NULL)
			assert_string_equal(r->output, c[i].output);
		if (c[i].error != NULL)
			assert_string_equal(r->error, c[i].error);
		else
			assert_null(r->error);
	}
	assert_null(atlas_proc_get(proc, n));
}

static void
test_one_at_a_time(void **state)
{
	size_t n = sizeof cases / sizeof cases[0];
	atlas_proc_spec specs[sizeof cases / sizeof cases[0]];
	(void)state;
	for (size_t i = 0; i < n; i++)
		specs[i] = (atlas_proc_spec){ cases[i].argv, cases[i].timeout };
	atlas_proc *proc = atlas_proc_run(specs, n, 1, NULL);
	assert_non_null(proc);
	check_results(proc, cases, n);
	atlas_proc_free(proc);
}

static void
test_in_parallel_results_keep_spec_order(void **state)
{
	size_t n = sizeof cases / sizeof cases[0];
	atlas_proc_spec specs[sizeof cases / sizeof cases[0]];
	(void)state;
	for (size_t i = 0; i < n; i++)
		specs[i] = (atlas_proc_spec){ cases[i].argv, cases[i].timeout };
	for (unsigned jobs = 2; jobs <= 8; jobs *= 2) {
		atlas_proc *proc = atlas_proc_run(specs, n, jobs, NULL);
		assert_non_null(proc);
		check_results(proc, cases, n);
		atlas_proc_free(proc);
	}
}

static void
test_output_is_capped(void **state)
{
	const char *argv[] = { "sh", "-c", "head -c 1000000 /dev/zero | tr '\\000' x", NULL };
	atlas_proc_spec spec = { argv, 30 };
	atlas_proc *proc = atlas_proc_run(&spec, 1, 1, NULL);
	const atlas_proc_result *r;
	(void)state;
	assert_non_null(proc);
	r = atlas_proc_get(proc, 0);
	/* Everything is drained (the writer ends normally), a part kept. */
	assert_int_equal(r->exit_code, 0);
	assert_int_equal(strlen(r->output), 256 * 1024);
	assert_int_equal(strspn(r->output, "x"), 256 * 1024);
	atlas_proc_free(proc);
}

static void
test_no_specs(void **state)
{
	atlas_proc *proc = atlas_proc_run(NULL, 0, 4, NULL);
	(void)state;
	assert_non_null(proc);
	assert_int_equal(atlas_proc_count(proc), 0);
	atlas_proc_free(proc);
	atlas_proc_free(NULL);
}

static void
test_last_line(void **state)
{
	static const struct { const char *output; const char *last; } cases_[] = {
		{ "Traceback:\n  File x\nImportError: no\n", "ImportError: no" },
		{ "one\ntwo", "two" },
		{ "  indented  \n\n \t\n", "indented" },
		{ "only", "only" },
		{ "\n\n", NULL },
		{ "", NULL },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases_ / sizeof cases_[0]; i++) {
		atlas_proc_result r = { .output = (char *)cases_[i].output };
		char *last = atlas_proc_last_line(&r);
		if (cases_[i].last == NULL)
			assert_null(last);
		else
			assert_string_equal(last, cases_[i].last);
		free(last);
	}
	atlas_proc_result none = { 0 };
	assert_null(atlas_proc_last_line(&none));
	assert_null(atlas_proc_last_line(NULL));
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_one_at_a_time),
		cmocka_unit_test(test_in_parallel_results_keep_spec_order),
		cmocka_unit_test(test_output_is_capped),
		cmocka_unit_test(test_no_specs),
		cmocka_unit_test(test_last_line),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
