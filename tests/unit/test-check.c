/* test-check.c - unit tests of check.c: the checks of `atlas req check`. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "atlas.h"

#define FIXTURES TEST_SRCDIR "/fixtures/reqfiles/"
#define MAX_FILES 4
#define MAX_DIAGS 12

typedef struct want_diag {
	const char *code;
	const char *file;	/* relative to FIXTURES */
	unsigned line;
	unsigned column;
	const char *message_part;
} want_diag;

typedef struct check_case {
	const char *name;
	const char *files[MAX_FILES];	/* relative to FIXTURES */
	bool syntax_only;
	want_diag diags[MAX_DIAGS];	/* in the order reported */
} check_case;

static const check_case check_cases[] = {
	{ "a clean file", { "check/clean.txt" }, false, { { 0 } } },
	{ "the pin policy", { "check/policy.txt" }, false,
	  { { "unpinned", "check/policy.txt", 1, 1,
	      "'numpy' is not pinned: '>=1.26' allows more than one version; expected 'numpy==VERSION'" },
	    { "editable", "check/policy.txt", 3, 1,
	      "editable requirement './local/project' is not allowed in image requirement files" },
	    { "unpinned", "check/policy.txt", 4, 1, "is a local path or URL, which cannot be pinned" },
	    { "duplicate", "check/policy.txt", 5, 1,
	      "'Pandas' is listed twice in this file: first at line 2" },
	    { "unpinned", "check/policy.txt", 6, 1, "'pkg' comes from a URL and is not pinned" },
	    { "unpinned", "check/policy.txt", 7, 1, "'==1.13.*' allows more than one version" } } },
	{ "--syntax-only has no pin policy", { "check/policy.txt" }, true, { { 0 } } },
	{ "packages pinned differently in two files", { "check/tier-a.txt", "check/tier-b.txt", "check/tier-c.txt" }, false,
	  /* numpy 1.26.4 and 1.26.4.0 are one version; old==1.0 has a
	   * marker that is false for the image. */
	  { { "conflict", "check/tier-b.txt", 1, 1,
	      "'requests' is pinned to 2.31.0 here but to 2.32.3 in " } } },
	{ "the same name twice, both with markers, is a split by platform", { "check/markers.txt" }, false,
	  { { "duplicate", "check/markers.txt", 4, 1, "'bar' is listed twice in this file: first at line 3" } } },
	{ "an include cycle, through a constraint file", { "check/cycle/a.txt" }, false,
	  { { "include-cycle", "check/cycle/c.txt", 1, 1, "include cycle: " } } },
	{ "--syntax-only does not open includes", { "check/cycle/a.txt" }, true, { { 0 } } },
	{ "includes, read once; a constraint file may hold ranges",
	  { "check/includes.txt", "check/tier-a.txt" }, false,
	  { { "missing-file", "check/includes.txt", 3, 1, "cannot read included file '" } } },
	{ "a lock against its .txt", { "check/locks/requirements-x.txt", "check/locks/requirements-x.lock" }, false,
	  { { "lock-mismatch", "check/locks/requirements-x.txt", 3, 1,
	      "'scipy' is not in the lock " },
	    { "lock-mismatch", "check/locks/requirements-x.lock", 8, 1,
	      "'requests' is locked at 2.31.0 but pinned to 2.32.3 in " },
	    { "lock-unpinned", "check/locks/requirements-x.lock", 10, 1, "'urllib3' is not pinned" },
	    { "lock-hash", "check/locks/requirements-x.lock", 12, 1,
	      "lock entry 'idna' has no sha256 hash: expected --hash=sha256:<64 lower-case hex digits>" },
	    { "lock-hash", "check/locks/requirements-x.lock", 14, 12,
	      "malformed sha256 hash for 'charset-normalizer': expected 64 lower-case hex digits, found 63 characters" },
	    { "lock-hash", "check/locks/requirements-x.lock", 15, 12,
	      "expected 64 lower-case hex digits, found 'g'" },
	    { "lock-hash", "check/locks/requirements-x.lock", 16, 1, "lock entry 'six' has no sha256 hash" } } },
	{ "a lock alone adds transitive pins freely", { "check/locks/requirements-y.lock" }, false, { { 0 } } },
	{ "a good lock and its .txt", { "check/locks/requirements-y.txt", "check/locks/requirements-y.lock" }, false,
	  { { 0 } } },
	{ "locks of two tiers must agree", { "check/locks/requirements-y.lock", "check/locks/requirements-z.lock" }, false,
	  { { "conflict", "check/locks/requirements-z.lock", 1, 1,
	      "'numpy' is pinned to 2.0.0 here but to 1.26.4 in " } } },
	{ "a missing file among good ones", { "check/clean.txt", "check/no-such-file.txt" }, false,
	  { { "missing-file", "check/no-such-file.txt", 0, 0, "No such file or directory" } } },
	{ "syntax errors and unknown options", { "parse/errors.txt" }, true,
	  { { "unknown-option", "parse/errors.txt", 2, 1, "unknown option '--bogus-option'" },
	    { "syntax", "parse/errors.txt", 3, 21, "invalid requirement" },
	    { "syntax", "parse/errors.txt", 4, 17, "hash algorithm 'md5' is not allowed" },
	    { "unknown-option", "parse/errors.txt", 5, 1, "unknown option '-x'" },
	    { "syntax", "parse/errors.txt", 6, 1, "needs a value" },
	    { "syntax", "parse/errors.txt", 7, 17, "--hash needs ALGORITHM:DIGEST" },
	    { "syntax", "parse/errors.txt", 8, 1, "takes no value" },
	    { "syntax", "parse/errors.txt", 9, 18, "unterminated quote" },
	    { "syntax", "parse/errors.txt", 10, 23, "invalid environment marker" },
	    { "syntax", "parse/errors.txt", 11, 1, "ambiguous option" } } },
};

static atlas_status
expected_status(const char *code)
{
	if (strcmp(code, "missing-file") == 0)
		return ATLAS_ERR_IO;
	if (strcmp(code, "syntax") == 0)
		return ATLAS_ERR_SYNTAX;
	if (strcmp(code, "conflict") == 0 || strcmp(code, "lock-mismatch") == 0)
		return ATLAS_ERR_CONFLICT;
	return ATLAS_ERR_INVALID;
}

static void
test_check_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof check_cases / sizeof check_cases[0]; i++) {
		const check_case *c = &check_cases[i];
		char paths[MAX_FILES][1024];
		const char *argv[MAX_FILES];
		size_t n_files = 0, n_diags = 0;
		atlas_check_options options = { c->syntax_only, NULL, NULL };
		atlas_error err = { 0 };

		while (n_files < MAX_FILES && c->files[n_files] != NULL) {
			snprintf(paths[n_files], sizeof paths[n_files], FIXTURES "%s", c->files[n_files]);
			argv[n_files] = paths[n_files];
			n_files++;
		}
		while (n_diags < MAX_DIAGS && c->diags[n_diags].code != NULL)
			n_diags++;
		atlas_check *check = atlas_check_files(argv, n_files, &options, &err);
		assert_non_null(check);
		for (size_t d = 0; d < atlas_check_count(check) && d < n_diags; d++) {
			const atlas_diag *got = atlas_check_get(check, d);
			const want_diag *want = &c->diags[d];
			const char *file = got->where.file;
			size_t fl = strlen(file), wl = strlen(want->file);
			if (strcmp(got->code, want->code) != 0 || fl < wl ||
			    strcmp(file + fl - wl, want->file) != 0 ||
			    got->where.line != want->line || got->where.column != want->column ||
			    strstr(got->where.message, want->message_part) == NULL)
				fail_msg("%s: diagnostic %zu is %s:%u:%u [%s] '%s', expected %s:%u:%u [%s] '%s'",
				    c->name, d, file, got->where.line, got->where.column, got->code,
				    got->where.message, want->file, want->line, want->column, want->code,
				    want->message_part);
			assert_int_equal(got->severity, ATLAS_SEVERITY_ERROR);
			assert_int_equal(got->where.status, expected_status(want->code));
			/* Every diagnostic about a line carries that line. */
			if (want->line > 0)
				assert_non_null(got->source_line);
			else
				assert_null(got->source_line);
		}
		if (atlas_check_count(check) != n_diags)
			fail_msg("%s: %zu diagnostics (first: %s), expected %zu", c->name,
			    atlas_check_count(check), atlas_check_count(check) ?
			    atlas_check_get(check, 0)->where.message : "-", n_diags);
		assert_int_equal(atlas_check_errors(check), n_diags);
		assert_null(atlas_check_get(check, n_diags));
		atlas_check_free(check);
	}
}

/* The messages that name a second place name it exactly. */
static void
test_both_places_named(void **state)
{
	static const struct { const char *files[2]; const char *message; } named[] = {
		{ { "check/tier-a.txt", "check/tier-b.txt" },
		  "'requests' is pinned to 2.31.0 here but to 2.32.3 in " FIXTURES "check/tier-a.txt:3" },
		{ { "check/locks/requirements-x.txt", "check/locks/requirements-x.lock" },
		  "'scipy' is not in the lock " FIXTURES "check/locks/requirements-x.lock: run 'make lock' to regenerate it" },
		{ { "check/cycle/a.txt", NULL },
		  "include cycle: " FIXTURES "check/cycle/a.txt -> " FIXTURES "check/cycle/b.txt -> "
		  FIXTURES "check/cycle/c.txt -> " FIXTURES "check/cycle/a.txt" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof named / sizeof named[0]; i++) {
		char a[1024], b[1024];
		const char *argv[2] = { a, b };
		snprintf(a, sizeof a, FIXTURES "%s", named[i].files[0]);
		if (named[i].files[1] != NULL)
			snprintf(b, sizeof b, FIXTURES "%s", named[i].files[1]);
		atlas_check *check = atlas_check_files(argv, named[i].files[1] ? 2 : 1, NULL, NULL);
		assert_non_null(check);
		assert_true(atlas_check_count(check) >= 1);
		assert_string_equal(atlas_check_get(check, 0)->where.message, named[i].message);
		atlas_check_free(check);
	}
}

static void
test_source_line_is_the_physical_line(void **state)
{
	const char *argv[] = { FIXTURES "check/locks/requirements-x.lock" };
	atlas_check *check = atlas_check_files(argv, 1, NULL, NULL);
	(void)state;
	assert_non_null(check);
	for (size_t i = 0; i < atlas_check_count(check); i++) {
		const atlas_diag *d = atlas_check_get(check, i);
		if (d->where.line == 14)
			assert_string_equal(d->source_line,
			    "    --hash=sha256:fffffffffffffffffffffffffffffffffffffffffffffffffffffffffffffff \\");
		if (d->where.line == 12)
			assert_string_equal(d->source_line, "idna==3.7");
	}
	atlas_check_free(check);
}

static void
test_no_files(void **state)
{
	atlas_check *check = atlas_check_files(NULL, 0, NULL, NULL);
	(void)state;
	assert_non_null(check);
	assert_int_equal(atlas_check_count(check), 0);
	assert_int_equal(atlas_check_errors(check), 0);
	atlas_check_free(check);
	atlas_check_free(NULL);
	assert_int_equal(atlas_check_count(NULL), 0);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_check_cases),
		cmocka_unit_test(test_both_places_named),
		cmocka_unit_test(test_source_line_is_the_physical_line),
		cmocka_unit_test(test_no_files),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
