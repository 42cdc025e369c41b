/* test-set.c - unit tests of set.c: the effective pinned set of a variant. */
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

#define FIXTURES TEST_SRCDIR "/fixtures/reqfiles/set/"
#define MAX_PINS 8

typedef struct want_pin {
	const char *name;
	const char *canonical_name;
	const char *version;
	const char *file;	/* relative to FIXTURES */
	unsigned line;
} want_pin;

typedef struct set_case {
	const char *name;
	const char *dir;
	atlas_variant variant;
	bool use_locks;
	want_pin pins[MAX_PINS];
	/* sha256sum of the "canonical==version\n" lines, computed apart;
	 * NULL when not checked. */
	const char *digest;
} set_case;

static const set_case set_cases[] = {
	{ "tier 0", "variant", { 0, false }, false,
	  { { "numpy", "numpy", "1.26.4", "variant/requirements-tier0.txt", 1 },
	    { "Pandas", "pandas", "2.2.2", "variant/requirements-tier0.txt", 2 } },
	  "27c94509f81977212eeb59c60c753beffb4cb24ae0b860e9f1227ba9c5b942a4" },
	/* tier 1 includes tier 0 with -r and pins numpy again, equally; a
	 * Windows-only pin and an unpinned requirement are no part of it. */
	{ "tier 1", "variant", { 1, false }, false,
	  { { "numpy", "numpy", "1.26.4", "variant/requirements-tier0.txt", 1 },
	    { "Pandas", "pandas", "2.2.2", "variant/requirements-tier0.txt", 2 },
	    { "torch", "torch", "2.3.1", "variant/requirements-tier1.txt", 2 } },
	  NULL },
	{ "tier 2 with materials", "variant", { 2, true }, false,
	  { { "ase", "ase", "3.23.0", "variant/requirements-materials.txt", 1 },
	    { "numpy", "numpy", "1.26.4", "variant/requirements-tier0.txt", 1 },
	    { "Pandas", "pandas", "2.2.2", "variant/requirements-tier0.txt", 2 },
	    { "pymatgen", "pymatgen", "2024.6.10", "variant/requirements-materials.txt", 2 },
	    { "torch", "torch", "2.3.1", "variant/requirements-tier1.txt", 2 },
	    { "vllm", "vllm", "0.5.0", "variant/requirements-tier2.txt", 1 } },
	  "0100da436ea45d965ec4cebd2456f75d93e180fa89b177dd5ddaa153beb2b9ca" },
	{ "tier 0 from its lock", "variant", { 0, false }, true,
	  { { "numpy", "numpy", "1.26.4", "variant/requirements-tier0.lock", 1 },
	    { "six", "six", "1.16.0", "variant/requirements-tier0.lock", 3 } },
	  NULL },
	{ "an empty set", "empty", { 0, false }, false, { { 0 } },
	  "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855" },
};

static void
test_sets(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof set_cases / sizeof set_cases[0]; i++) {
		const set_case *c = &set_cases[i];
		atlas_error err = { 0 };
		char dir[1024];
		size_t n = 0;

		snprintf(dir, sizeof dir, FIXTURES "%s", c->dir);
		atlas_set *set = atlas_set_load(dir, &c->variant, c->use_locks, &err);
		if (set == NULL)
			fail_msg("%s: %s", c->name, err.message);
		while (n < MAX_PINS && c->pins[n].name != NULL)
			n++;
		if (atlas_set_count(set) != n)
			fail_msg("%s: %zu pins, expected %zu", c->name, atlas_set_count(set), n);
		for (size_t p = 0; p < n; p++) {
			const atlas_pin *got = atlas_set_get(set, p);
			const want_pin *want = &c->pins[p];
			char file[1024];
			snprintf(file, sizeof file, FIXTURES "%s", want->file);
			assert_string_equal(got->name, want->name);
			assert_string_equal(got->canonical_name, want->canonical_name);
			assert_string_equal(got->version, want->version);
			assert_string_equal(got->file, file);
			assert_int_equal(got->line, want->line);
		}
		assert_null(atlas_set_get(set, n));
		if (c->digest != NULL) {
			char *digest = atlas_set_digest(set);
			assert_string_equal(digest, c->digest);
			free(digest);
		}
		atlas_set_free(set);
	}
}

static void
test_errors(void **state)
{
	static const struct {
		const char *dir;
		atlas_variant variant;
		bool use_locks;
		atlas_status status;
		const char *file;	/* relative to FIXTURES; NULL: none */
		unsigned line;
		const char *message_part;	/* may name FIXTURES with "@" */
	} cases[] = {
		{ "conflict", { 1, false }, false, ATLAS_ERR_CONFLICT,
		  "conflict/requirements-tier1.txt", 2,
		  "'numpy' is pinned differently: numpy==1.26.4 at @conflict/requirements-tier0.txt:1 "
		  "and numpy==2.0.0 at @conflict/requirements-tier1.txt:2" },
		{ "variant", { 1, false }, true, ATLAS_ERR_IO,
		  "variant/requirements-tier1.lock", 0,
		  "cannot read '@variant/requirements-tier1.lock': No such file or directory" },
		{ "variant", { 2, true }, true, ATLAS_ERR_IO,
		  "variant/requirements-tier1.lock", 0, "requirements-tier1.lock" },
		{ "no-such-dir", { 0, false }, false, ATLAS_ERR_IO,
		  "no-such-dir/requirements-tier0.txt", 0, "No such file or directory" },
		{ "broken", { 0, false }, false, ATLAS_ERR_SYNTAX,
		  "broken/requirements-tier0.txt", 2, "invalid requirement" },
		{ "variant", { 3, false }, false, ATLAS_ERR_INVALID, NULL, 0,
		  "tier 3 is not valid: expected 0, 1 or 2" },
		{ "variant", { -1, false }, false, ATLAS_ERR_INVALID, NULL, 0, "tier -1 is not valid" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		atlas_error err = { 0 };
		char dir[1024], file[1024], message[2048];
		size_t out = 0;

		snprintf(dir, sizeof dir, FIXTURES "%s", cases[i].dir);
		for (const char *m = cases[i].message_part; *m && out + sizeof FIXTURES < sizeof message; m++) {
			if (*m == '@') {
				memcpy(message + out, FIXTURES, sizeof FIXTURES - 1);
				out += sizeof FIXTURES - 1;
			} else
				message[out++] = *m;
		}
		message[out] = '\0';
		assert_null(atlas_set_load(dir, &cases[i].variant, cases[i].use_locks, &err));
		assert_int_equal(err.status, cases[i].status);
		if (strstr(err.message, message) == NULL)
			fail_msg("case %zu: message '%s' lacks '%s'", i, err.message, message);
		if (cases[i].file != NULL) {
			snprintf(file, sizeof file, FIXTURES "%s", cases[i].file);
			assert_string_equal(err.file, file);
			assert_int_equal(err.line, cases[i].line);
		}
	}
}

static void
test_null_arguments(void **state)
{
	(void)state;
	assert_int_equal(atlas_set_count(NULL), 0);
	assert_null(atlas_set_get(NULL, 0));
	assert_null(atlas_set_digest(NULL));
	atlas_set_free(NULL);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_sets),
		cmocka_unit_test(test_errors),
		cmocka_unit_test(test_null_arguments),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
