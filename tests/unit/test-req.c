/* test-req.c - unit tests of req.c: PEP 508 requirements.
 *
 * The expected fields, strings and errors are what packaging's
 * Requirement (the reference implementation) gives for the same inputs. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "atlas.h"

static char *
join_extras(const atlas_req *req)
{
	size_t len = 1;
	char *out;

	for (size_t i = 0; i < req->n_extras; i++)
		len += strlen(req->extras[i]) + 1;
	out = calloc(1, len);
	for (size_t i = 0; out != NULL && i < req->n_extras; i++) {
		if (i > 0)
			strcat(out, ",");
		strcat(out, req->extras[i]);
	}
	return out;
}

static void
assert_optional_equal(const char *what, const char *input, const char *got,
    const char *expected)
{
	if ((got == NULL) != (expected == NULL) ||
	    (got != NULL && strcmp(got, expected) != 0))
		fail_msg("'%s': %s is '%s', expected '%s'", input, what,
		    got ? got : "(null)", expected ? expected : "(null)");
}

static void
test_valid_requirements(void **state)
{
	static const struct {
		const char *text;
		const char *name;
		const char *extras;	/* sorted, joined by "," */
		const char *spec;
		const char *url;
		const char *marker;
		const char *formatted;
	} cases[] = {
		{ "requests", "requests", "", "", NULL, NULL, "requests" },
		{ "Requests>=2.0", "Requests", "", ">=2.0", NULL, NULL, "Requests>=2.0" },
		{ "  foo  ", "foo", "", "", NULL, NULL, "foo" },
		{ "foo==1.0", "foo", "", "==1.0", NULL, NULL, "foo==1.0" },
		{ "Foo.Bar[Sec, a] (>=1.0, <2) ; python_version < '3.12'", "Foo.Bar", "Sec,a", "<2,>=1.0", NULL, "python_version < \"3.12\"", "Foo.Bar[Sec,a]<2,>=1.0; python_version < \"3.12\"" },
		{ "foo[ b , a , b ]", "foo", "a,b", "", NULL, NULL, "foo[a,b]" },
		{ "foo[]", "foo", "", "", NULL, NULL, "foo" },
		{ "foo [ ]", "foo", "", "", NULL, NULL, "foo" },
		{ "foo[a]>=1", "foo", "a", ">=1", NULL, NULL, "foo[a]>=1" },
		{ "foo (>=1.0)", "foo", "", ">=1.0", NULL, NULL, "foo>=1.0" },
		{ "foo( >=1 , <2 )", "foo", "", "<2,>=1", NULL, NULL, "foo<2,>=1" },
		{ "foo()", "foo", "", "", NULL, NULL, "foo" },
		{ "foo>=1,", "foo", "", ">=1", NULL, NULL, "foo>=1" },
		{ "foo >=1 , <2 ,", "foo", "", "<2,>=1", NULL, NULL, "foo<2,>=1" },
		{ "foo==1.0.*", "foo", "", "==1.0.*", NULL, NULL, "foo==1.0.*" },
		{ "foo!=1.0.*", "foo", "", "!=1.0.*", NULL, NULL, "foo!=1.0.*" },
		{ "foo===bar", "foo", "", "===bar", NULL, NULL, "foo===bar" },
		{ "foo=== bar", "foo", "", "===bar", NULL, NULL, "foo===bar" },
		{ "foo== 1.0", "foo", "", "==1.0", NULL, NULL, "foo==1.0" },
		{ "foo~=1.0", "foo", "", "~=1.0", NULL, NULL, "foo~=1.0" },
		{ "foo>=1.0a1,!=1.5.post2", "foo", "", "!=1.5.post2,>=1.0a1", NULL, NULL, "foo!=1.5.post2,>=1.0a1" },
		{ "foo==1.0+Local.1", "foo", "", "==1.0+Local.1", NULL, NULL, "foo==1.0+Local.1" },
		{ "foo<=v1.0", "foo", "", "<=v1.0", NULL, NULL, "foo<=v1.0" },
		{ "foo>1!2.0", "foo", "", ">1!2.0", NULL, NULL, "foo>1!2.0" },
		{ "foo==1.0-1", "foo", "", "==1.0-1", NULL, NULL, "foo==1.0-1" },
		{ "foo @ https://example.com/foo-1.0.whl", "foo", "", "", "https://example.com/foo-1.0.whl", NULL, "foo @ https://example.com/foo-1.0.whl" },
		{ "foo@https://x/y", "foo", "", "", "https://x/y", NULL, "foo @ https://x/y" },
		{ "foo @ https://x/y;z", "foo", "", "", "https://x/y;z", NULL, "foo @ https://x/y;z" },
		{ "foo @ https://x/y ; os_name == 'posix'", "foo", "", "", "https://x/y", "os_name == \"posix\"", "foo @ https://x/y ; os_name == \"posix\"" },
		{ "foo @ https://x/y\x09"";os_name=='posix'", "foo", "", "", "https://x/y", "os_name == \"posix\"", "foo @ https://x/y ; os_name == \"posix\"" },
		{ "foo @ https://x/y ", "foo", "", "", "https://x/y", NULL, "foo @ https://x/y" },
		{ "foo[bar] @ file:///srv/wheels/x.whl", "foo", "bar", "", "file:///srv/wheels/x.whl", NULL, "foo[bar] @ file:///srv/wheels/x.whl" },
		{ "foo;os_name=='nt'", "foo", "", "", NULL, "os_name == \"nt\"", "foo; os_name == \"nt\"" },
		{ "foo ; extra == 'Dev_Tools'", "foo", "", "", NULL, "extra == \"dev-tools\"", "foo; extra == \"dev-tools\"" },
		{ "foo>=1.0;python_version>='3'and os_name=='posix'", "foo", "", ">=1.0", NULL, "python_version >= \"3\" and os_name == \"posix\"", "foo>=1.0; python_version >= \"3\" and os_name == \"posix\"" },
		{ "foo_", "foo_", "", "", NULL, NULL, "foo_" },
		{ "foo-bar_baz.qux", "foo-bar_baz.qux", "", "", NULL, NULL, "foo-bar_baz.qux" },
		{ "1", "1", "", "", NULL, NULL, "1" },
		{ "A", "A", "", "", NULL, NULL, "A" },
		{ "foo\x09"">=\x09""1.0", "foo", "", ">=1.0", NULL, NULL, "foo>=1.0" },
		{ "name ; (os_name == 'a' or os_name == 'b') and python_version < '4'", "name", "", "", NULL, "(os_name == \"a\" or os_name == \"b\") and python_version < \"4\"", "name; (os_name == \"a\" or os_name == \"b\") and python_version < \"4\"" },
		{ "foo ==1.0 ; os_name == \"it's\"", "foo", "", "==1.0", NULL, "os_name == \"it's\"", "foo==1.0; os_name == \"it's\"" },
		{ "foo [a,B,c-d] >1", "foo", "B,a,c-d", ">1", NULL, NULL, "foo[B,a,c-d]>1" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		atlas_error err = { 0 };
		atlas_req *req = atlas_req_parse(cases[i].text, &err), *again;
		char *extras, *spec, *marker, *formatted, *canonical;
		if (req == NULL)
			fail_msg("'%s': %s (column %u)", cases[i].text, err.message,
			    err.column);
		extras = join_extras(req);
		spec = atlas_spec_format(req->spec);
		marker = req->marker ? atlas_marker_format(req->marker) : NULL;
		formatted = atlas_req_format(req);
		canonical = atlas_name_canonicalize(cases[i].name);
		assert_optional_equal("name", cases[i].text, req->name, cases[i].name);
		assert_optional_equal("canonical name", cases[i].text,
		    req->canonical_name, canonical);
		assert_optional_equal("extras", cases[i].text, extras, cases[i].extras);
		assert_optional_equal("specifier", cases[i].text, spec, cases[i].spec);
		assert_optional_equal("url", cases[i].text, req->url, cases[i].url);
		assert_optional_equal("marker", cases[i].text, marker, cases[i].marker);
		assert_optional_equal("str", cases[i].text, formatted, cases[i].formatted);
		/* The normalised form parses back to itself. */
		again = atlas_req_parse(formatted, &err);
		assert_non_null(again);
		free(marker);
		marker = atlas_req_format(again);
		assert_optional_equal("reparsed str", cases[i].text, marker, formatted);
		atlas_req_free(again);
		free(canonical);
		free(formatted);
		free(marker);
		free(spec);
		free(extras);
		atlas_req_free(req);
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
		{ "", "Expected package name at the start of dependency specifier", 1 },
		{ "   ", "Expected package name at the start of dependency specifier", 4 },
		{ "-foo", "Expected package name at the start of dependency specifier", 1 },
		{ "foo-", "Expected semicolon (after name with no version specifier) or end", 4 },
		{ "foo>=1.0 bar", "Expected comma (within version specifier), semicolon (after version specifier) or end", 10 },
		{ "foo bar", "Expected semicolon (after name with no version specifier) or end", 5 },
		{ "foo[", "Expected matching RIGHT_BRACKET for LEFT_BRACKET, after extras", 5 },
		{ "foo[a", "Expected matching RIGHT_BRACKET for LEFT_BRACKET, after extras", 6 },
		{ "foo[a b]", "Expected comma between extra names", 7 },
		{ "foo[a,]", "Expected extra name after comma", 7 },
		{ "foo[,a]", "Expected matching RIGHT_BRACKET for LEFT_BRACKET, after extras", 5 },
		{ "foo[a,,b]", "Expected extra name after comma", 7 },
		{ "foo(>=1", "Expected matching RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after version specifier", 8 },
		{ "foo (>=1.0", "Expected matching RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after version specifier", 11 },
		{ "foo>=1.0.*", ".* suffix can only be used with `==` or `!=` operators", 10 },
		{ "foo>=1.0+local", "Local version label can only be used with `==` or `!=` operators", 9 },
		{ "foo~=1", "Expected semicolon (after name with no version specifier) or end", 4 },
		{ "foo>=1,,<2", "Expected comma (within version specifier), semicolon (after version specifier) or end", 8 },
		{ "foo @", "Expected URL after @", 6 },
		{ "foo @ ", "Expected URL after @", 7 },
		{ "foo @ https://x/y;z os_name", "Expected semicolon (after URL and whitespace) or end", 21 },
		{ "foo @ https://x/y\xc2""\xa0""; os_name == 'a'", "Expected whitespace after URL", 18 },
		{ "foo ;", "Expected a marker variable or quoted string", 6 },
		{ "foo ; os_name", "Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in", 14 },
		{ "foo ; os_name == 'a' )", "Expected end of dependency specifier", 22 },
		{ "foo>=1.0; (os_name == 'a'", "Expected matching RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after marker expression", 26 },
		{ "foo==1.0.post1.*", ".* suffix cannot be used with pre-release, post-release, dev or local versions", 16 },
		{ "foo===", "Expected semicolon (after name with no version specifier) or end", 4 },
		{ "foo[a]]", "Expected semicolon (after name with no version specifier) or end", 7 },
		{ "foo>>1", "Expected semicolon (after name with no version specifier) or end", 4 },
		{ "foo!1", "Expected semicolon (after name with no version specifier) or end", 4 },
		{ "foo=1.0", "Expected semicolon (after name with no version specifier) or end", 4 },
		{ "foo==1.0 ; os_name = 'a'", "Expected marker operator, one of <=, <, !=, ==, >=, >, ~=, ===, in, not in", 20 },
		{ "f\xc3""\xa9""e", "Expected package name at the start of dependency specifier", 1 },
		{ "foo\xc3""\xa9""", "Expected package name at the start of dependency specifier", 1 },
		{ "foo ! =1", "Expected semicolon (after name with no version specifier) or end", 5 },
		{ "foo>=1.0;", "Expected a marker variable or quoted string", 10 },
		{ "foo (>=1.0) bar", "Expected comma (within version specifier), semicolon (after version specifier) or end", 13 },
		{ "foo[a] extra", "Expected semicolon (after name with no version specifier) or end", 8 },
		{ "foo ;\x01""", "Expected a marker variable or quoted string", 6 },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		atlas_error err = { 0 };
		atlas_req *req = atlas_req_parse(cases[i].text, &err);
		if (req != NULL)
			fail_msg("'%s': parsed, expected an error", cases[i].text);
		assert_int_equal(err.status, ATLAS_ERR_SYNTAX);
		if (strcmp(err.message, cases[i].message) != 0 ||
		    err.column != cases[i].column)
			fail_msg("'%s': got '%s' at %u, expected '%s' at %u",
			    cases[i].text, err.message, err.column, cases[i].message,
			    cases[i].column);
	}
}

/* Garbage and huge input give an error or a result, never a crash. */
static void
test_garbage_and_size(void **state)
{
	static const char *const cases[] = {
		"\xff", "foo\xff", "foo[\x80]", "foo>=\xc3", "foo ; \xff",
		"foo (((((", "foo ; ((((((((((", "\x01foo",
	};
	size_t len = 1 << 20;
	char *big = malloc(len + 16);
	atlas_error err = { 0 };
	atlas_req *req;
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		req = atlas_req_parse(cases[i], &err);
		if (req != NULL)
			fail_msg("'%s': parsed", cases[i]);
		assert_true(err.column >= 1);
	}
	assert_non_null(big);
	/* A 1 MiB name is a valid name. */
	memset(big, 'a', len);
	big[len] = '\0';
	req = atlas_req_parse(big, &err);
	assert_non_null(req);
	assert_int_equal(strlen(req->name), len);
	atlas_req_free(req);
	/* 1 MiB of "(" after the semicolon stops at the nesting limit. */
	memcpy(big, "foo;", 4);
	memset(big + 4, '(', len - 4);
	req = atlas_req_parse(big, &err);
	assert_null(req);
	assert_string_equal(err.message,
	    "Marker expression is nested more than 200 levels deep");
	assert_int_equal(err.column, 205);
	free(big);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_valid_requirements),
		cmocka_unit_test(test_syntax_errors),
		cmocka_unit_test(test_garbage_and_size),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
