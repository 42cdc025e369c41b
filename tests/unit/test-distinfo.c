/* test-distinfo.c - unit tests of distinfo.c: reading *.dist-info. */
#include "config.h"

#define _XOPEN_SOURCE 700
#include <errno.h>
#include <ftw.h>
#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cmocka.h>

#include "atlas.h"

#define MAX_FILES 12

/* A site-packages directory described as files; a path ending in "/"
 * is an empty directory. */
typedef struct tree_file {
	const char *path;
	const char *content;
} tree_file;

static int
remove_entry(const char *path, const struct stat *sb, int flag, struct FTW *ftw)
{
	(void)sb;
	(void)flag;
	(void)ftw;
	return remove(path);
}

static void
remove_tree(const char *dir)
{
	nftw(dir, remove_entry, 16, FTW_DEPTH | FTW_PHYS);
}

static void
make_parents(char *path)
{
	for (char *p = path + 1; *p; p++) {
		if (*p != '/')
			continue;
		*p = '\0';
		mkdir(path, 0755);
		*p = '/';
	}
}

/* Build the tree in a new temporary directory; returns its path. */
static char *
make_tree(const tree_file *files)
{
	const char *tmp = getenv("TMPDIR");
	char *dir = malloc(4096);
	assert_non_null(dir);
	snprintf(dir, 4096, "%s/test-distinfo.XXXXXX", tmp && *tmp ? tmp : "/tmp");
	assert_non_null(mkdtemp(dir));
	for (size_t i = 0; i < MAX_FILES && files[i].path; i++) {
		char path[4096];
		snprintf(path, sizeof path, "%s/%s", dir, files[i].path);
		make_parents(path);
		if (path[strlen(path) - 1] == '/')
			continue;
		FILE *f = fopen(path, "wb");
		assert_non_null(f);
		fputs(files[i].content, f);
		fclose(f);
	}
	return dir;
}

/* Strings joined by sep, for comparing whole arrays at once. */
static char *
join(char *const *items, size_t n, const char *sep)
{
	size_t len = 1;
	for (size_t i = 0; i < n; i++)
		len += strlen(items[i]) + strlen(sep);
	char *s = calloc(1, len);
	assert_non_null(s);
	for (size_t i = 0; i < n; i++) {
		if (i > 0)
			strcat(s, sep);
		strcat(s, items[i]);
	}
	return s;
}

typedef struct dist_case {
	const char *title;
	tree_file files[MAX_FILES];
	/* What the first distribution holds (when n_dists > 0). */
	size_t n_dists;
	const char *names;	/* canonical names of all, joined by "," */
	const char *name;
	const char *version;
	const char *license;	/* NULL: none */
	const char *license_expression;
	const char *classifiers;	/* joined by "|" */
	const char *requires;	/* joined by "|" */
	const char *top_level;	/* joined by "," */
	const char *record;	/* joined by "|" */
	/* The errors: how many, and what the first one says. */
	size_t n_errors;
	atlas_status error_status;
	unsigned error_line;
	const char *error_message;	/* a part of it */
	const char *error_file;		/* the end of its file name */
} dist_case;

static const dist_case cases[] = {
	{
		.title = "top_level.txt names the modules, sorted, unique, comments skipped",
		.files = {
			{ "Foo.Bar-1.0.dist-info/METADATA",
			  "Metadata-Version: 2.1\nName: Foo.Bar\nVersion: 1.0\n" },
			{ "Foo.Bar-1.0.dist-info/top_level.txt", "foo\n  bar  \n\n# note\nfoo\nnot a module\n" },
			{ "Foo.Bar-1.0.dist-info/RECORD", "other.py,,\n" },
		},
		.n_dists = 1, .names = "foo-bar", .name = "Foo.Bar", .version = "1.0",
		.classifiers = "", .requires = "", .top_level = "bar,foo", .record = "other.py",
	},
	{
		.title = "without top_level.txt, RECORD tells the top-level modules",
		.files = {
			{ "d-1.dist-info/METADATA", "Name: d\nVersion: 1\n" },
			{ "d-1.dist-info/RECORD",
			  "pkg/__init__.py,sha256=abc,10\n"
			  "pkg/sub/__init__.py,sha256=abc,10\n"
			  "mod.py,sha256=abc,3\n"
			  "_ext.cpython-311-x86_64-linux-gnu.so,sha256=abc,100\n"
			  "_abi.abi3.so,,\n"
			  "../../bin/tool,,\n"
			  "d-1.dist-info/METADATA,,\n"
			  "nopkg/data.txt,,\n"
			  "__pycache__/mod.cpython-311.pyc,,\n"
			  "9lives.py,,\n" },
		},
		.n_dists = 1, .names = "d", .name = "d", .version = "1",
		.classifiers = "", .requires = "", .top_level = "_abi,_ext,mod,pkg",
		.record = "pkg/__init__.py|pkg/sub/__init__.py|mod.py|_ext.cpython-311-x86_64-linux-gnu.so"
		    "|_abi.abi3.so|../../bin/tool|d-1.dist-info/METADATA|nopkg/data.txt"
		    "|__pycache__/mod.cpython-311.pyc|9lives.py",
	},
	{
		.title = "RECORD's CSV quoting: commas, doubled quotes, CRLF, blank lines",
		.files = {
			{ "q-1.dist-info/METADATA", "Name: q\nVersion: 1\n" },
			{ "q-1.dist-info/RECORD",
			  "\"a,b/__init__.py\",sha256=x,1\r\n"
			  "\r\n"
			  "\"q\"\"uote.py\",,\n"
			  "plain.py,\"sha256=,\",\"7\"\n"
			  "\"multi\nline.txt\",,\n"
			  "last.py" },
		},
		.n_dists = 1, .names = "q", .name = "q", .version = "1",
		.classifiers = "", .requires = "", .top_level = "last,plain",
		.record = "a,b/__init__.py|q\"uote.py|plain.py|multi\nline.txt|last.py",
	},
	{
		.title = "METADATA with a BOM, CRLF, continuation lines and a body",
		.files = {
			{ "m-2.dist-info/METADATA",
			  "\xEF\xBB\xBFMetadata-Version: 2.1\r\n"
			  "name: M\r\n"
			  "VERSION:   2.0b1  \r\n"
			  "License: Short Licence\r\n"
			  "  with a second line\r\n"
			  "Requires-Dist: numpy>=1.20\r\n"
			  "Requires-Dist: extra-thing; extra == \"x\"\r\n"
			  "Classifier: License :: OSI Approved :: MIT License\r\n"
			  "Classifier: License :: OSI Approved\r\n"
			  "Classifier: Topic :: Science\r\n"
			  "\r\n"
			  "Name: body-is-not-metadata\r\n"
			  "Version: 9\r\n" },
		},
		.n_dists = 1, .names = "m", .name = "M", .version = "2.0b1",
		.license = "MIT License", .classifiers = "MIT License",
		.requires = "numpy>=1.20|extra-thing; extra == \"x\"", .top_level = "", .record = "",
	},
	{
		.title = "License-Expression wins over License and classifiers",
		.files = {
			{ "e-1.dist-info/METADATA",
			  "Name: e\nVersion: 1\nLicense: BSD\nLicense-Expression: Apache-2.0 OR MIT\n"
			  "Classifier: License :: OSI Approved :: BSD License\n" },
		},
		.n_dists = 1, .names = "e", .name = "e", .version = "1",
		.license = "Apache-2.0 OR MIT", .license_expression = "Apache-2.0 OR MIT",
		.classifiers = "BSD License", .requires = "", .top_level = "", .record = "",
	},
	{
		.title = "a short License field is the license; UNKNOWN is none",
		.files = {
			{ "a-1.dist-info/METADATA", "Name: a\nVersion: 1\nLicense: BSD-3-Clause\n" },
			{ "b-1.dist-info/METADATA", "Name: b\nVersion: 1\nLicense: UNKNOWN\n" },
		},
		.n_dists = 2, .names = "a,b", .name = "a", .version = "1",
		.license = "BSD-3-Clause", .classifiers = "", .requires = "", .top_level = "", .record = "",
	},
	{
		.title = "a license text with no classifier gives its first line",
		.files = {
			{ "t-1.dist-info/METADATA",
			  "Name: t\nVersion: 1\nLicense: Copyright (c) T\n        Permission is granted.\n" },
		},
		.n_dists = 1, .names = "t", .name = "t", .version = "1",
		.license = "Copyright (c) T", .classifiers = "", .requires = "", .top_level = "", .record = "",
	},
	{
		.title = "no METADATA: the distribution is left out, with an I/O error",
		.files = {
			{ "gone-1.dist-info/RECORD", "gone.py,,\n" },
			{ "ok-1.dist-info/METADATA", "Name: ok\nVersion: 1\n" },
		},
		.n_dists = 1, .names = "ok", .name = "ok", .version = "1",
		.classifiers = "", .requires = "", .top_level = "", .record = "",
		.n_errors = 1, .error_status = ATLAS_ERR_IO, .error_message = "cannot read METADATA",
		.error_file = "gone-1.dist-info/METADATA",
	},
	{
		.title = "no Version: left out, the rest still read",
		.files = {
			{ "nov.dist-info/METADATA", "Name: nov\n" },
			{ "z-3.dist-info/METADATA", "Name: z\nVersion: 3\n" },
		},
		.n_dists = 1, .names = "z", .name = "z", .version = "3",
		.classifiers = "", .requires = "", .top_level = "", .record = "",
		.n_errors = 1, .error_status = ATLAS_ERR_INVALID, .error_message = "has no Version",
		.error_file = "nov.dist-info/METADATA",
	},
	{
		.title = "an invalid name is reported at its line",
		.files = {
			{ "bad.dist-info/METADATA", "Metadata-Version: 2.1\nName: -bad-\nVersion: 1\n" },
		},
		.n_dists = 0, .names = "",
		.n_errors = 1, .error_status = ATLAS_ERR_INVALID, .error_line = 2,
		.error_message = "'-bad-' is not a valid distribution name",
		.error_file = "bad.dist-info/METADATA",
	},
	{
		.title = "a header line without a colon is reported and skipped",
		.files = {
			{ "h-1.dist-info/METADATA", "Name: h\ngarbage line\nVersion: 1\n" },
		},
		.n_dists = 1, .names = "h", .name = "h", .version = "1",
		.classifiers = "", .requires = "", .top_level = "", .record = "",
		.n_errors = 1, .error_status = ATLAS_ERR_SYNTAX, .error_line = 2,
		.error_message = "not a \"Name: value\" header",
		.error_file = "h-1.dist-info/METADATA",
	},
	{
		.title = "an unclosed quote in RECORD keeps the rows before it",
		.files = {
			{ "r-1.dist-info/METADATA", "Name: r\nVersion: 1\n" },
			{ "r-1.dist-info/RECORD", "good.py,,\nalso.py,,\n\"broken.py,,\nmore.py,,\n" },
		},
		.n_dists = 1, .names = "r", .name = "r", .version = "1",
		.classifiers = "", .requires = "", .top_level = "also,good", .record = "good.py|also.py",
		.n_errors = 1, .error_status = ATLAS_ERR_SYNTAX, .error_line = 3,
		.error_message = "never closed", .error_file = "r-1.dist-info/RECORD",
	},
	{
		.title = "two dist-info directories of one distribution: the first is kept",
		.files = {
			{ "Dup-1.0.dist-info/METADATA", "Name: Dup\nVersion: 1.0\n" },
			{ "dup-2.0.dist-info/METADATA", "Name: dup\nVersion: 2.0\n" },
		},
		.n_dists = 1, .names = "dup", .name = "Dup", .version = "1.0",
		.classifiers = "", .requires = "", .top_level = "", .record = "",
		.n_errors = 1, .error_status = ATLAS_ERR_CONFLICT,
		.error_message = "a second dist-info directory of 'dup'",
		.error_file = "dup-2.0.dist-info",
	},
	{
		.title = "only *.dist-info directories count",
		.files = {
			{ "file.dist-info", "not a directory" },
			{ "pkg-1.egg-info/PKG-INFO", "Name: pkg\nVersion: 1\n" },
			{ "empty/", "" },
			{ "y-1.dist-info/METADATA", "Name: y\nVersion: 1\n" },
		},
		.n_dists = 1, .names = "y", .name = "y", .version = "1",
		.classifiers = "", .requires = "", .top_level = "", .record = "",
	},
	{
		.title = "garbage bytes in METADATA do not stop the reader",
		.files = {
			{ "g-1.dist-info/METADATA", "Name: g\n\x01\x02\xff: \xfe\nVersion: 1\nLicense: \xff\xfe\n" },
		},
		.n_dists = 1, .names = "g", .name = "g", .version = "1", .license = "\xff\xfe",
		.classifiers = "", .requires = "", .top_level = "", .record = "",
	},
};

static void
check_case(const dist_case *c)
{
	char *dir = make_tree(c->files);
	atlas_error err = { 0 };
	atlas_distinfo *list = atlas_distinfo_load(dir, &err);

	print_message("case: %s\n", c->title);
	assert_non_null(list);
	assert_int_equal(atlas_distinfo_count(list), c->n_dists);

	char *names[16];
	for (size_t i = 0; i < c->n_dists; i++)
		names[i] = atlas_distinfo_get(list, i)->canonical_name;
	char *joined = join(names, c->n_dists, ",");
	assert_string_equal(joined, c->names);
	free(joined);

	if (c->n_dists > 0) {
		const atlas_dist *d = atlas_distinfo_get(list, 0);
		assert_string_equal(d->name, c->name);
		assert_string_equal(d->version, c->version);
		if (c->license)
			assert_string_equal(d->license, c->license);
		else
			assert_null(d->license);
		if (c->license_expression)
			assert_string_equal(d->license_expression, c->license_expression);
		else
			assert_null(d->license_expression);
		struct { char **items; size_t n; const char *sep, *want; } arrays[] = {
			{ d->license_classifiers, d->n_license_classifiers, "|", c->classifiers },
			{ d->requires_dist, d->n_requires_dist, "|", c->requires },
			{ d->top_level, d->n_top_level, ",", c->top_level },
			{ d->files, d->n_files, "|", c->record },
		};
		for (size_t i = 0; i < sizeof arrays / sizeof arrays[0]; i++) {
			char *got = join(arrays[i].items, arrays[i].n, arrays[i].sep);
			assert_string_equal(got, arrays[i].want);
			free(got);
		}
	}

	assert_int_equal(atlas_distinfo_error_count(list), c->n_errors);
	if (c->n_errors > 0) {
		const atlas_error *e = atlas_distinfo_error_get(list, 0);
		assert_int_equal(e->status, c->error_status);
		assert_int_equal(e->line, c->error_line);
		if (strstr(e->message, c->error_message) == NULL)
			fail_msg("error '%s' does not say '%s'", e->message, c->error_message);
		size_t n = strlen(e->file), m = strlen(c->error_file);
		assert_true(n >= m);
		assert_string_equal(e->file + n - m, c->error_file);
	}
	assert_null(atlas_distinfo_error_get(list, c->n_errors));
	assert_null(atlas_distinfo_get(list, c->n_dists));
	atlas_distinfo_free(list);
	remove_tree(dir);
	free(dir);
}

static void
test_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++)
		check_case(&cases[i]);
}

static void
test_find_takes_any_spelling(void **state)
{
	static const tree_file files[] = {
		{ "Zope.Interface-6.0.dist-info/METADATA", "Name: zope.interface\nVersion: 6.0\n" },
		{ "a_b-1.dist-info/METADATA", "Name: A_B\nVersion: 1\n" },
		{ NULL, NULL },
	};
	static const struct { const char *query; const char *found; } lookups[] = {
		{ "zope.interface", "zope.interface" },
		{ "Zope-Interface", "zope.interface" },
		{ "ZOPE__INTERFACE", "zope.interface" },
		{ "a-b", "A_B" },
		{ "a.b", "A_B" },
		{ "ab", NULL },
		{ "zope", NULL },
	};
	char *dir = make_tree(files);
	atlas_distinfo *list = atlas_distinfo_load(dir, NULL);
	(void)state;

	assert_non_null(list);
	for (size_t i = 0; i < sizeof lookups / sizeof lookups[0]; i++) {
		const atlas_dist *d = atlas_distinfo_find(list, lookups[i].query);
		if (lookups[i].found == NULL)
			assert_null(d);
		else
			assert_string_equal(d->name, lookups[i].found);
	}
	atlas_distinfo_free(list);
	remove_tree(dir);
	free(dir);
}

static void
test_digest_follows_content(void **state)
{
	static const struct { tree_file a[3]; tree_file b[3]; bool equal; } pairs[] = {
		{ { { "x-1.dist-info/METADATA", "Name: x\nVersion: 1\n" } },
		  { { "X-1.dist-info/METADATA", "Name: X\nVersion: 1\n" } }, true },
		{ { { "x-1.dist-info/METADATA", "Name: x\nVersion: 1\n" } },
		  { { "x-1.dist-info/METADATA", "Name: x\nVersion: 1.0\n" } }, false },
		{ { { "x-1.dist-info/METADATA", "Name: x\nVersion: 1\nLicense: MIT\n" } },
		  { { "x-1.dist-info/METADATA", "Name: x\nVersion: 1\nLicense-Expression: MIT\n" } }, false },
		{ { { "x-1.dist-info/METADATA", "Name: x\nVersion: 1\n" },
		    { "y-1.dist-info/METADATA", "Name: y\nVersion: 1\n" } },
		  { { "x-1.dist-info/METADATA", "Name: x\nVersion: 1\n" } }, false },
	};
	(void)state;
	for (size_t i = 0; i < sizeof pairs / sizeof pairs[0]; i++) {
		char *da = make_tree(pairs[i].a), *db = make_tree(pairs[i].b);
		atlas_distinfo *la = atlas_distinfo_load(da, NULL), *lb = atlas_distinfo_load(db, NULL);
		char *ha = atlas_distinfo_digest(la), *hb = atlas_distinfo_digest(lb);
		assert_int_equal(strlen(ha), 64);
		assert_int_equal(strcmp(ha, hb) == 0, pairs[i].equal);
		free(ha);
		free(hb);
		atlas_distinfo_free(la);
		atlas_distinfo_free(lb);
		remove_tree(da);
		remove_tree(db);
		free(da);
		free(db);
	}
}

static void
test_missing_directory_is_an_io_error(void **state)
{
	atlas_error err = { 0 };
	(void)state;
	assert_null(atlas_distinfo_load("/nonexistent/site-packages", &err));
	assert_int_equal(err.status, ATLAS_ERR_IO);
	assert_string_equal(err.file, "/nonexistent/site-packages");
	assert_non_null(strstr(err.message, "No such file"));
	/* NULL is accepted everywhere a list is taken. */
	assert_int_equal(atlas_distinfo_count(NULL), 0);
	assert_null(atlas_distinfo_get(NULL, 0));
	assert_null(atlas_distinfo_find(NULL, "x"));
	atlas_distinfo_free(NULL);
}

static void
test_fixture_tree(void **state)
{
	atlas_distinfo *list = atlas_distinfo_load(TEST_SRCDIR "/fixtures/site-packages/good", NULL);
	const atlas_dist *beta;
	(void)state;

	assert_non_null(list);
	assert_int_equal(atlas_distinfo_count(list), 3);
	assert_int_equal(atlas_distinfo_error_count(list), 0);
	beta = atlas_distinfo_find(list, "beta");
	assert_non_null(beta);
	assert_int_equal(beta->n_top_level, 1);
	assert_string_equal(beta->top_level[0], "beta");
	assert_int_equal(beta->n_files, 4);
	assert_string_equal(beta->files[2], "beta-2.1.dist-info/odd,name.txt");
	atlas_distinfo_free(list);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_cases),
		cmocka_unit_test(test_find_takes_any_spelling),
		cmocka_unit_test(test_digest_follows_content),
		cmocka_unit_test(test_missing_directory_is_an_io_error),
		cmocka_unit_test(test_fixture_tree),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
