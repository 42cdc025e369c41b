/* test-reqfile.c - unit tests of reqfile.c: pip requirement files. */
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
#include "reqfile-private.h"

#define FIXTURES TEST_SRCDIR "/fixtures/reqfiles/parse/"
#define MAX_LINES 32
#define MAX_ERRORS 12

/* One expected line.  what is, by kind: the canonical name of a
 * requirement; "option" or "option=value" of an option; the value
 * (path, URL, include) of the others. */
typedef struct want_line {
	atlas_line_kind kind;
	unsigned line;
	unsigned column;
	const char *what;
	size_t n_hashes;
} want_line;

typedef struct want_error {
	unsigned line;
	unsigned column;
	atlas_status status;
	const char *message_part;
} want_error;

typedef struct parse_case {
	const char *name;
	const char *data;	/* in memory, or NULL to read fixture */
	const char *fixture;
	want_line lines[MAX_LINES];
	want_error errors[MAX_ERRORS];
} parse_case;

#define R ATLAS_LINE_REQUIREMENT
#define INC ATLAS_LINE_INCLUDE
#define CON ATLAS_LINE_CONSTRAINT
#define OPT ATLAS_LINE_OPTION
#define ED ATLAS_LINE_EDITABLE
#define PATH ATLAS_LINE_PATH
#define SYN ATLAS_ERR_SYNTAX
#define UNK REQFILE_UNKNOWN_OPTION

static const parse_case parse_cases[] = {
	{ "one pin", "numpy==1.26.4\n", NULL,
	  { { R, 1, 1, "numpy", 0 } }, { { 0 } } },
	{ "empty file", "", NULL, { { 0 } }, { { 0 } } },
	{ "blank lines and comments only", "  \t \n\n   # only a comment\n#\n", NULL,
	  { { 0 } }, { { 0 } } },
	{ "BOM and CRLF", "\xEF\xBB\xBF" "a==1\r\nb==2\r\n", NULL,
	  { { R, 1, 1, "a", 0 }, { R, 2, 1, "b", 0 } }, { { 0 } } },
	{ "every line break str.splitlines knows",
	  "a==1\rb==2\x0b" "c==3\x0c" "d==4\xc2\x85" "e==5\xe2\x80\xa8" "f==6\x1c" "g==7\n", NULL,
	  { { R, 1, 1, "a", 0 }, { R, 2, 1, "b", 0 }, { R, 3, 1, "c", 0 },
	    { R, 4, 1, "d", 0 }, { R, 5, 1, "e", 0 }, { R, 6, 1, "f", 0 },
	    { R, 7, 1, "g", 0 } }, { { 0 } } },
	{ "continuation joins", "Pan\\\ndas==2.2.2\nx==1\n", NULL,
	  { { R, 1, 1, "pandas", 0 }, { R, 3, 1, "x", 0 } }, { { 0 } } },
	{ "a comment line ending in a backslash is not joined",
	  "# comment \\\nb==1\n", NULL, { { R, 2, 1, "b", 0 } }, { { 0 } } },
	{ "a comment after a requirement swallows the next line",
	  "a==1 # c \\\nswallowed==1\nb==2", NULL,
	  { { R, 1, 1, "a", 0 }, { R, 3, 1, "b", 0 } }, { { 0 } } },
	{ "a comment line ends a continuation", "a==1 \\\n  # comment\nb==2\n", NULL,
	  { { R, 1, 1, "a", 0 }, { R, 3, 1, "b", 0 } }, { { 0 } } },
	{ "a backslash on the last line", "last==1 \\", NULL,
	  { { R, 1, 1, "last", 0 } }, { { 0 } } },
	{ "backslashes go from both ends of a continued line", "\\\\a==1\\\\\n", NULL,
	  { { R, 1, 3, "a", 0 } }, { { 0 } } },
	{ "a line of only a backslash before a requirement", "   \\\nnumpy==1\n", NULL,
	  { { R, 2, 1, "numpy", 0 } }, { { 0 } } },
	{ "a '#' inside a word is not a comment", "pkg @ https://h.example/p#frag\n", NULL,
	  { { R, 1, 1, "pkg", 0 } }, { { 0 } } },
	{ "indented requirement keeps its column", "   numpy==1.0\n", NULL,
	  { { R, 1, 4, "numpy", 0 } }, { { 0 } } },
	{ "a tab separates options only after a space", "-r\tinc.txt\n", NULL,
	  { { INC, 1, 1, "inc.txt", 0 } }, { { 0 } } },
	{ "a tab does not start the options", "a==1\t--hash=sha256:xx\n", NULL,
	  { { 0 } }, { { 1, 6, SYN, "invalid requirement" } } },
	{ "an include wins over global options", "--pre -r x.txt\n", NULL,
	  { { INC, 1, 7, "x.txt", 0 } }, { { 0 } } },
	{ "an editable wins over an include", "-e . -r x.txt\n", NULL,
	  { { ED, 1, 1, ".", 0 } }, { { 0 } } },
	{ "an include wins over a constraint", "-c c.txt -r r.txt\n", NULL,
	  { { INC, 1, 10, "r.txt", 0 } }, { { 0 } } },
	{ "several global options on a line", "--pre --no-index -i https://i.example\n", NULL,
	  { { OPT, 1, 1, "--pre", 0 }, { OPT, 1, 7, "--no-index", 0 },
	    { OPT, 1, 18, "--index-url=https://i.example", 0 } }, { { 0 } } },
	{ "a requirement ignores global options", "a==1 -r x.txt --pre\n", NULL,
	  { { R, 1, 1, "a", 0 } }, { { 0 } } },
	{ "hashes in both spellings", "a==1 --hash=sha256:AA --hash sha384:BB --hash=sha512:CC\n", NULL,
	  { { R, 1, 1, "a", 3 } }, { { 0 } } },
	{ "a hash without a requirement is ignored", "--hash=sha256:abc\n", NULL,
	  { { 0 } }, { { 0 } } },
	{ "'--' ends the options", "a==1 -- --bogus\n", NULL,
	  { { R, 1, 1, "a", 0 } }, { { 0 } } },
	{ "options are split like a shell", "a==1 --hash=\"sha256:q\"\n-i 'https://x.example/a b'\n", NULL,
	  { { R, 1, 1, "a", 1 }, { OPT, 2, 1, "--index-url=https://x.example/a b", 0 } }, { { 0 } } },
	{ "long options may be abbreviated", "--extra-index https://x.example\n--ind https://y.example\n", NULL,
	  { { OPT, 1, 1, "--extra-index-url=https://x.example", 0 },
	    { OPT, 2, 1, "--index-url=https://y.example", 0 } }, { { 0 } } },
	{ "short options cluster and take attached values", "-rr.txt\n-ihttps://i.example\n-Zc c.txt\n", NULL,
	  { { INC, 1, 1, "r.txt", 0 }, { OPT, 2, 1, "--index-url=https://i.example", 0 },
	    { CON, 3, 1, "c.txt", 0 } }, { { 0 } } },
	{ "the old --pypi-url spelling", "--pypi-url https://p.example\n", NULL,
	  { { OPT, 1, 1, "--index-url=https://p.example", 0 } }, { { 0 } } },
	{ "per-requirement options alone are ignored", "-Cfoo=bar\n--global-option=x\n", NULL,
	  { { 0 } }, { { 0 } } },
	{ "a marker with no space before ';'", "plain;python_version<\"3.8\"\n", NULL,
	  { { R, 1, 1, "plain", 0 } }, { { 0 } } },
	{ "an empty marker after ';' is none, as for pip", "foo;\n", NULL,
	  { { R, 1, 1, "foo", 0 } }, { { 0 } } },
	{ "URLs and paths", "https://e.example/d/thing-1.0-py3-none-any.whl\n./project\n"
	  "../p[extra]\ndist/a-1.0.tar.gz\ngit+https://g.example/r.git#egg=r\n"
	  "a-1.0.zip\n./scripts/dev/checkers\n", NULL,
	  { { PATH, 1, 1, "https://e.example/d/thing-1.0-py3-none-any.whl", 0 },
	    { PATH, 2, 1, "./project", 0 }, { PATH, 3, 1, "../p[extra]", 0 },
	    { PATH, 4, 1, "dist/a-1.0.tar.gz", 0 },
	    { PATH, 5, 1, "git+https://g.example/r.git#egg=r", 0 },
	    { PATH, 6, 1, "a-1.0.zip", 0 }, { PATH, 7, 1, "./scripts/dev/checkers", 0 } },
	  { { 0 } } },
	{ "a URL's marker follows '; '", "https://e.example/a-1.0.tar.gz; python_version > \"3\"\n", NULL,
	  { { PATH, 1, 1, "https://e.example/a-1.0.tar.gz", 0 } }, { { 0 } } },
	{ "name @ URL is a requirement", "pkg @ https://e.example/pkg-1.0.tar.gz\n", NULL,
	  { { R, 1, 1, "pkg", 0 } }, { { 0 } } },
	{ "a bad wheel file name", "https://e.example/y.whl\n", NULL,
	  { { 0 } }, { { 1, 19, SYN, "not a valid wheel file name" } } },
	{ "a bad #egg= name", "git+https://g.example/r#egg=a=b\n", NULL,
	  { { 0 } }, { { 1, 29, SYN, "#egg= needs a project name" } } },
	{ "a path with an operator is a broken requirement", "baz[x]==1--index-url=http://y\n", NULL,
	  { { 0 } }, { { 1, 10, SYN, "invalid requirement" } } },
	{ "an editable of a plain URL", "-e https://e.example/p.tar.gz\n", NULL,
	  { { 0 } }, { { 1, 4, SYN, "VCS URL" } } },
	{ "a bad marker", "baz ; python_version <<< \"3\"\n", NULL,
	  { { 0 } }, { { 1, 23, SYN, "invalid environment marker" } } },
	{ "a marker alone", "; python_version < \"3\"\n", NULL,
	  { { 0 } }, { { 1, 1, SYN, "expected a package name" } } },
	{ "an error on a continuation line points there", "a==1 \\\n   --hash=md5:x\n", NULL,
	  { { 0 } }, { { 2, 11, SYN, "hash algorithm 'md5' is not allowed" } } },
	{ "a column counts characters, not bytes", "a ; extra == \"\xc3\xa9\" bogus\n", NULL,
	  { { 0 } }, { { 1, 18, SYN, "invalid environment marker" } } },
	{ "invalid UTF-8 is reported and parsing goes on", "a==1 # \xff\n\xc0\xaf" "b==2\nc==3\n", NULL,
	  { { R, 1, 1, "a", 0 }, { R, 3, 1, "c", 0 } },
	  { { 1, 8, SYN, "invalid UTF-8 (byte 0xFF)" }, { 2, 1, SYN, "invalid UTF-8 (byte 0xC0)" },
	    { 2, 1, SYN, "invalid requirement" } } },

	/* Fixture files. */
	{ "CRLF and a BOM (fixture)", NULL, "crlf-bom.txt",
	  { { R, 2, 1, "numpy", 0 }, { R, 3, 1, "pandas", 1 }, { R, 6, 1, "scipy", 0 } },
	  { { 0 } } },
	{ "continuations and comments (fixture)", NULL, "continuation.txt",
	  { { R, 2, 1, "numpy", 0 }, { R, 3, 1, "pandas", 0 }, { R, 6, 1, "scipy", 0 },
	    { R, 8, 1, "requests", 0 }, { R, 10, 1, "url-part", 0 }, { R, 11, 1, "last", 0 } },
	  { { 0 } } },
	{ "every kind of line (fixture)", NULL, "kinds.txt",
	  { { R, 1, 1, "numpy", 0 }, { R, 2, 1, "foo-bar", 0 }, { R, 3, 1, "pkg", 0 },
	    { PATH, 4, 1, "https://example.org/dist/thing-1.0-py3-none-any.whl", 0 },
	    { PATH, 5, 1, "./local/project", 0 }, { PATH, 6, 1, "../sibling/project[extra]", 0 },
	    { PATH, 7, 1, "dist/archive-1.0.tar.gz", 0 },
	    { PATH, 8, 1, "git+https://git.example/org/repo.git#egg=repo", 0 },
	    { R, 9, 1, "plain", 0 }, { R, 10, 1, "old", 0 } },
	  { { 0 } } },
	{ "every option (fixture)", NULL, "options.txt",
	  { { OPT, 1, 1, "--index-url=https://index.example/simple", 0 },
	    { OPT, 2, 1, "--index-url=https://index.example/simple", 0 },
	    { OPT, 3, 1, "--extra-index-url=https://wheels.example/whl/cpu", 0 },
	    { OPT, 4, 1, "--no-index", 0 },
	    { OPT, 5, 1, "--find-links=./wheels", 0 },
	    { OPT, 6, 1, "--find-links=https://example.org/links", 0 },
	    { OPT, 7, 1, "--pre", 0 },
	    { OPT, 8, 1, "--prefer-binary", 0 },
	    { OPT, 9, 1, "--only-binary=:all:", 0 },
	    { OPT, 10, 1, "--no-binary=numpy,scipy", 0 },
	    { OPT, 11, 1, "--require-hashes", 0 },
	    { OPT, 12, 1, "--trusted-host=example.org", 0 },
	    { OPT, 13, 1, "--use-feature=fast-deps", 0 },
	    { OPT, 14, 1, "--always-unzip", 0 },
	    { OPT, 15, 1, "--always-unzip", 0 },
	    { OPT, 16, 1, "--extra-index-url=https://abbreviated.example.org/simple", 0 },
	    { INC, 17, 1, "other.txt", 0 }, { INC, 18, 1, "other.txt", 0 },
	    { CON, 19, 1, "constraints.txt", 0 }, { CON, 20, 1, "constraints.txt", 0 },
	    { INC, 21, 1, "other.txt", 0 },
	    { ED, 22, 1, "git+https://git.example/org/repo.git@v1#egg=repo", 0 },
	    { ED, 23, 1, "./local/project", 0 },
	    { R, 24, 1, "numpy", 2 }, { R, 25, 1, "pkg", 0 } },
	  { { 0 } } },
	{ "errors are collected, parsing goes on (fixture)", NULL, "errors.txt",
	  { { R, 1, 1, "numpy", 0 }, { R, 12, 1, "ok", 0 } },
	  { { 2, 1, UNK, "unknown option '--bogus-option'" },
	    { 3, 21, SYN, "invalid requirement: Expected semicolon" },
	    { 4, 17, SYN, "hash algorithm 'md5' is not allowed: expected sha256, sha384 or sha512" },
	    { 5, 1, UNK, "unknown option '-x'" },
	    { 6, 1, SYN, "option --index-url needs a value: expected --index-url URL" },
	    { 7, 17, SYN, "--hash needs ALGORITHM:DIGEST" },
	    { 8, 1, SYN, "option --pre takes no value" },
	    { 9, 18, SYN, "unterminated quote: expected a closing '" },
	    { 10, 23, SYN, "invalid environment marker" },
	    { 11, 1, SYN, "ambiguous option '--pr': could be --pre, --prefer-binary" } } },
};

/* "option" or "option=value", for comparing option lines. */
static void
describe(const atlas_reqline *l, char *out, size_t size)
{
	switch (l->kind) {
	case ATLAS_LINE_REQUIREMENT:
		snprintf(out, size, "%s", l->req->canonical_name);
		break;
	case ATLAS_LINE_OPTION:
		if (l->value != NULL)
			snprintf(out, size, "%s=%s", l->option, l->value);
		else
			snprintf(out, size, "%s", l->option);
		break;
	default:
		snprintf(out, size, "%s", l->value ? l->value : "(null)");
		break;
	}
}

static atlas_reqfile *
parse_case_file(const parse_case *c, atlas_getenv_fn getenv_fn, void *ctx)
{
	atlas_error err = { 0 };
	atlas_reqfile *f;

	if (c->data != NULL) {
		f = atlas_reqfile_parse("mem.txt", c->data, strlen(c->data), getenv_fn,
		    ctx, &err);
	} else {
		char path[1024];
		snprintf(path, sizeof path, FIXTURES "%s", c->fixture);
		f = atlas_reqfile_load(path, getenv_fn, ctx, &err);
	}
	if (f == NULL)
		fail_msg("%s: parse failed: %s", c->name, err.message);
	return f;
}

static void
test_parse_cases(void **state)
{
	(void)state;
	for (size_t i = 0; i < sizeof parse_cases / sizeof parse_cases[0]; i++) {
		const parse_case *c = &parse_cases[i];
		atlas_reqfile *f = parse_case_file(c, NULL, NULL);
		size_t n_lines = 0, n_errors = 0;
		while (n_lines < MAX_LINES && c->lines[n_lines].what != NULL)
			n_lines++;
		while (n_errors < MAX_ERRORS && c->errors[n_errors].message_part != NULL)
			n_errors++;

		for (size_t e = 0; e < f->n_errors && e < n_errors; e++) {
			const atlas_error *got = &f->errors[e];
			const want_error *want = &c->errors[e];
			if (got->line != want->line || got->column != want->column ||
			    got->status != want->status ||
			    strstr(got->message, want->message_part) == NULL)
				fail_msg("%s: error %zu is %u:%u (%d) '%s', expected %u:%u (%d) '%s'",
				    c->name, e, got->line, got->column, got->status, got->message,
				    want->line, want->column, want->status, want->message_part);
		}
		if (f->n_errors != n_errors)
			fail_msg("%s: %zu errors (first: %s), expected %zu", c->name, f->n_errors,
			    f->n_errors ? f->errors[0].message : "-", n_errors);
		for (size_t l = 0; l < f->n_lines && l < n_lines; l++) {
			const atlas_reqline *got = &f->lines[l];
			const want_line *want = &c->lines[l];
			char what[512];
			describe(got, what, sizeof what);
			if (got->kind != want->kind || got->line != want->line ||
			    got->column != want->column || strcmp(what, want->what) != 0 ||
			    got->n_hashes != want->n_hashes)
				fail_msg("%s: line %zu is kind %d at %u:%u '%s' (%zu hashes), "
				    "expected kind %d at %u:%u '%s' (%zu hashes)", c->name, l,
				    got->kind, got->line, got->column, what, got->n_hashes,
				    want->kind, want->line, want->column, want->what, want->n_hashes);
			assert_non_null(got->text);
			assert_true(got->kind == ATLAS_LINE_REQUIREMENT ? got->req != NULL : got->req == NULL);
		}
		if (f->n_lines != n_lines)
			fail_msg("%s: %zu lines, expected %zu", c->name, f->n_lines, n_lines);
		for (size_t e = 0; e < f->n_errors; e++)
			assert_string_equal(f->errors[e].file, f->path);
		atlas_reqfile_free(f);
	}
}

/* NUL bytes: harmless in a comment, an error anywhere else. */
static void
test_nul_bytes(void **state)
{
#define NUL_IN_COMMENT "a==1 # \0 nul\n"
#define NUL_IN_REQUIREMENT "a==\0" "1\nb==2\n"
#define NUL_IN_OPTION "--index-url https://x\0y\n"
	static const struct {
		const char *data;
		size_t len;
		size_t n_lines;
		unsigned error_line, error_column;	/* 0: no error */
	} cases[] = {
		{ NUL_IN_COMMENT, sizeof NUL_IN_COMMENT - 1, 1, 0, 0 },
		{ NUL_IN_REQUIREMENT, sizeof NUL_IN_REQUIREMENT - 1, 1, 1, 4 },
		{ NUL_IN_OPTION, sizeof NUL_IN_OPTION - 1, 0, 1, 22 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		atlas_reqfile *f = atlas_reqfile_parse("nul.txt", cases[i].data, cases[i].len,
		    NULL, NULL, NULL);
		assert_non_null(f);
		assert_int_equal(f->n_lines, cases[i].n_lines);
		assert_int_equal(f->n_errors, cases[i].error_line ? 1 : 0);
		if (cases[i].error_line) {
			assert_int_equal(f->errors[0].line, cases[i].error_line);
			assert_int_equal(f->errors[0].column, cases[i].error_column);
			assert_non_null(strstr(f->errors[0].message, "NUL byte"));
		}
		/* The line stays printable, with its columns: the NUL shows
		 * as one character. */
		const char *end = memchr(cases[i].data, '\n', cases[i].len);
		assert_int_equal(strlen(atlas_reqfile_line_text(f, 1)),
		    (size_t)(end - cases[i].data));
		atlas_reqfile_free(f);
	}
}

/* The joined, comment-free text of logical lines. */
static void
test_logical_text(void **state)
{
	static const struct { const char *data; const char *text; } cases[] = {
		{ "a\\\n==1 \\\n  --hash=sha256:x   # c\n", "a==1   --hash=sha256:x" },
		{ "  b==2  \t\n", "b==2" },
		{ "x==1 ; python_version > \"3\"  # c\n", "x==1 ; python_version > \"3\"" },
		{ "# c\n\\\n-r\\\n  f.txt\n", "-r  f.txt" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		atlas_reqfile *f = atlas_reqfile_parse("t.txt", cases[i].data,
		    strlen(cases[i].data), NULL, NULL, NULL);
		assert_non_null(f);
		assert_int_equal(f->n_errors, 0);
		assert_int_equal(f->n_lines, 1);
		assert_string_equal(f->lines[0].text, cases[i].text);
		atlas_reqfile_free(f);
	}
}

static const char *
fake_getenv(const char *name, void *ctx)
{
	static const char *const vars[][2] = {
		{ "INDEX_URL", "https://mirror.example" },
		{ "PKG_VERSION", "1.2.3" },
		{ "EMPTY_VARIABLE", "" },
		{ "lower_case", "9" },
	};
	(*(int *)ctx)++;
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		if (strcmp(vars[i][0], name) == 0)
			return vars[i][1];
	return NULL;
}

static void
test_environment_variables(void **state)
{
	static const parse_case c = { "${VAR} expansion (fixture)", NULL, "envvars.txt",
	    { { OPT, 1, 1, "--index-url=https://mirror.example/simple", 0 },
	      { R, 2, 1, "pkg", 0 } },
	    { { 3, 6, SYN, "${UNSET_VARIABLE} is not set" },
	      { 4, 6, SYN, "invalid requirement" },
	      { 5, 6, SYN, "${EMPTY_VARIABLE} is not set" } } };
	int lookups = 0;
	atlas_reqfile *f;
	(void)state;

	f = parse_case_file(&c, fake_getenv, &lookups);
	/* Only upper-case names are looked up: ${lower_case} is not. */
	assert_int_equal(lookups, 4);
	assert_int_equal(f->n_lines, 2);
	assert_string_equal(f->lines[0].value, "https://mirror.example/simple");
	assert_string_equal(atlas_spec_pin(f->lines[1].req->spec), "1.2.3");
	assert_string_equal(f->lines[1].text, "pkg==1.2.3");
	assert_int_equal(f->n_errors, 3);
	for (size_t e = 0; e < 3; e++) {
		assert_int_equal(f->errors[e].line, c.errors[e].line);
		assert_int_equal(f->errors[e].column, c.errors[e].column);
		assert_non_null(strstr(f->errors[e].message, c.errors[e].message_part));
	}
	atlas_reqfile_free(f);
}

static void
test_line_text(void **state)
{
	static const struct { unsigned n; const char *text; } cases[] = {
		{ 1, "# A Windows editor wrote this." },
		{ 2, "numpy==1.26.4" },
		{ 3, "pandas==2.2.2 \\" },
		{ 5, "" },
		{ 6, "scipy==1.13.1" },
		{ 0, NULL },
		{ 7, NULL },
	};
	atlas_reqfile *f = atlas_reqfile_load(FIXTURES "crlf-bom.txt", NULL, NULL, NULL);
	(void)state;
	assert_non_null(f);
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		const char *got = atlas_reqfile_line_text(f, cases[i].n);
		if (cases[i].text == NULL)
			assert_null(got);
		else
			assert_string_equal(got, cases[i].text);
	}
	atlas_reqfile_free(f);
	assert_null(atlas_reqfile_line_text(NULL, 1));
}

static void
test_hash_positions(void **state)
{
	static const struct { size_t line, hash; bool found; unsigned at_line, at_column; } cases[] = {
		{ 1, 0, true, 4, 12 },
		{ 0, 0, false, 0, 0 },
		{ 1, 1, false, 0, 0 },
		{ 9, 0, false, 0, 0 },
	};
	atlas_reqfile *f = atlas_reqfile_load(FIXTURES "crlf-bom.txt", NULL, NULL, NULL);
	(void)state;
	assert_non_null(f);
	assert_string_equal(f->lines[1].hashes[0],
	    "sha256:aaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaaa");
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		unsigned line = 0, column = 0;
		assert_int_equal(reqfile_hash_where(f, cases[i].line, cases[i].hash, &line, &column),
		    cases[i].found);
		if (cases[i].found) {
			assert_int_equal(line, cases[i].at_line);
			assert_int_equal(column, cases[i].at_column);
		}
	}
	atlas_reqfile_free(f);
}

static void
test_join_include(void **state)
{
	static const char *const cases[][3] = {
		{ "requirements/a.txt", "b.txt", "requirements/b.txt" },
		{ "a.txt", "b.txt", "b.txt" },
		{ "x/y/a.txt", "./sub/./b.txt", "x/y/sub/./b.txt" },
		{ "x/a.txt", "../b.txt", "x/../b.txt" },
		{ "x/a.txt", "/abs/b.txt", "/abs/b.txt" },
		{ "/r/a.txt", ".//b.txt", "/r/b.txt" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *got = reqfile_join_include(cases[i][0], cases[i][1]);
		assert_string_equal(got, cases[i][2]);
		free(got);
	}
}

static void
test_load_missing_file(void **state)
{
	atlas_error err = { 0 };
	(void)state;
	assert_null(atlas_reqfile_load(FIXTURES "no-such-file.txt", NULL, NULL, &err));
	assert_int_equal(err.status, ATLAS_ERR_IO);
	assert_non_null(strstr(err.message, "no-such-file.txt"));
	assert_non_null(strstr(err.message, "No such file"));
	assert_null(atlas_reqfile_load(FIXTURES, NULL, NULL, &err));
	assert_int_equal(err.status, ATLAS_ERR_IO);
}

/* Garbage never crashes and every error has a place. */
static void
test_hostile_input(void **state)
{
	/* lines and errors of -1 are not checked (random input). */
	static const struct { size_t size; unsigned seed; char fill; int lines, errors; } cases[] = {
		{ 1 << 20, 0, 'a', 1, 0 },	/* a name of 1 MB */
		{ 1 << 20, 0, '\\', 0, 0 },	/* 1 MB of backslashes: one empty line */
		{ 1 << 20, 0, '-', 0, 1 },	/* a 1 MB option */
		{ 1 << 20, 0, '"', 0, 1 },	/* 1 MB of quotes */
		{ 1 << 20, 0, '\n', 0, 0 },	/* a million empty lines */
		{ 1 << 16, 1, 0, -1, -1 },	/* random bytes */
		{ 1 << 16, 2, 0, -1, -1 },
		{ 1 << 16, 3, 0, -1, -1 },
		{ 1 << 16, 4, 0, -1, -1 },
	};
	static const char alphabet[] = "ab=<>!~;@[],.#\\ \t\r\n\"'-$/{}:AZ\0\xff\xc3\xa9";
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *data = malloc(cases[i].size);
		uint32_t x = cases[i].seed;
		assert_non_null(data);
		for (size_t k = 0; k < cases[i].size; k++) {
			x = x * 1664525u + 1013904223u;
			data[k] = cases[i].fill ? cases[i].fill :
			    alphabet[(x >> 16) % (sizeof alphabet - 1)];
		}
		if (cases[i].fill == '-')
			data[0] = data[1] = '-';
		atlas_reqfile *f = atlas_reqfile_parse("junk.txt", data, cases[i].size,
		    NULL, NULL, NULL);
		assert_non_null(f);
		for (size_t e = 0; e < f->n_errors; e++) {
			assert_true(f->errors[e].line >= 1);
			assert_non_null(atlas_reqfile_line_text(f, f->errors[e].line));
			assert_true(f->errors[e].column >= 1);
		}
		for (size_t l = 0; l < f->n_lines; l++)
			assert_non_null(atlas_reqfile_line_text(f, f->lines[l].line));
		if (cases[i].lines >= 0)
			assert_int_equal(f->n_lines, cases[i].lines);
		if (cases[i].errors >= 0)
			assert_int_equal(f->n_errors, cases[i].errors);
		atlas_reqfile_free(f);
		free(data);
	}
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_parse_cases),
		cmocka_unit_test(test_nul_bytes),
		cmocka_unit_test(test_logical_text),
		cmocka_unit_test(test_environment_variables),
		cmocka_unit_test(test_line_text),
		cmocka_unit_test(test_hash_positions),
		cmocka_unit_test(test_join_include),
		cmocka_unit_test(test_load_missing_file),
		cmocka_unit_test(test_hostile_input),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
