/* test-buf.c - unit tests of buf.c: growable strings and arenas. */
#include "config.h"

#include <setjmp.h>
#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>
#include <stdlib.h>
#include <string.h>

#include <cmocka.h>

#include "internal.h"

static void
test_append_puts_putc_printf_build_one_string(void **state)
{
	static const struct {
		const char *pieces[4];
		const char *expected;
	} cases[] = {
		{ { NULL }, "" },
		{ { "a", NULL }, "a" },
		{ { "numpy", "==", "2.3.5", NULL }, "numpy==2.3.5" },
		{ { "", "", "x", NULL }, "x" },
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		buf b;
		buf_init(&b);
		for (size_t j = 0; cases[i].pieces[j] != NULL; j++)
			buf_puts(&b, cases[i].pieces[j]);
		char *s = buf_take(&b);
		assert_non_null(s);
		assert_string_equal(s, cases[i].expected);
		free(s);
	}

	buf b;
	buf_init(&b);
	buf_putc(&b, '[');
	buf_append(&b, "abcdef", 3);
	buf_printf(&b, "%d-%s", 42, "x");
	buf_putc(&b, ']');
	char *s = buf_take(&b);
	assert_string_equal(s, "[abc42-x]");
	free(s);
}

static void
test_growth_keeps_every_byte(void **state)
{
	buf b;
	(void)state;
	buf_init(&b);
	/* Past several doublings, with printf crossing the boundaries. */
	for (int i = 0; i < 10000; i++)
		buf_printf(&b, "%04d", i % 10000);
	assert_int_equal(b.len, 40000);
	assert_int_equal(strlen(b.data), 40000);
	assert_memory_equal(b.data + 4 * 9999, "9999", 4);
	buf_free(&b);
	assert_null(b.data);
	assert_int_equal(b.len, 0);
}

static void
test_take_resets_the_buffer(void **state)
{
	buf b;
	(void)state;
	buf_init(&b);
	buf_puts(&b, "first");
	char *first = buf_take(&b);
	buf_puts(&b, "second");
	char *second = buf_take(&b);
	assert_string_equal(first, "first");
	assert_string_equal(second, "second");
	free(first);
	free(second);
}

static void
test_strdup_helpers_copy_exactly(void **state)
{
	static const struct { const char *in; size_t n; const char *out; } cases[] = {
		{ "abc", 3, "abc" },
		{ "abc", 2, "ab" },
		{ "abc", 0, "" },
		{ "a\0b", 3, "a" },	/* n bytes are copied; the C string ends at NUL */
	};
	(void)state;
	for (size_t i = 0; i < sizeof cases / sizeof cases[0]; i++) {
		char *s = atlas_strndup_internal(cases[i].in, cases[i].n);
		assert_string_equal(s, cases[i].out);
		free(s);
		s = scratch_strndup(cases[i].in, cases[i].n);
		assert_string_equal(s, cases[i].out);
		free(s);
	}
	char *s = atlas_strdup_internal("pinned");
	assert_string_equal(s, "pinned");
	free(s);
}

static void
test_arena_serves_until_destroyed(void **state)
{
	(void)state;
	arena *a = arena_new();
	assert_non_null(a);
	assert_null(arena_enter(a));

	/* Many small blocks and a few large ones, all usable at once. */
	char *small[5000];
	for (size_t i = 0; i < 5000; i++) {
		small[i] = mem_malloc(16);
		assert_non_null(small[i]);
		memset(small[i], (int)(i & 0x7f), 16);
	}
	char *large = mem_calloc(1, 1 << 20);
	assert_non_null(large);
	for (size_t i = 0; i < (1 << 20); i += 4096)
		assert_int_equal(large[i], 0);
	for (size_t i = 0; i < 5000; i++)
		assert_int_equal(small[i][15], (char)(i & 0x7f));

	/* realloc keeps the contents; free is a no-op inside an arena. */
	char *grown = mem_malloc(4);
	memcpy(grown, "abc", 4);
	grown = mem_realloc(grown, 4, 4096);
	assert_string_equal(grown, "abc");
	mem_free(grown);

	/* A string built while the arena is entered comes from it too. */
	buf b;
	buf_init(&b);
	buf_puts(&b, "arena string");
	char *s = buf_take(&b);
	assert_string_equal(s, "arena string");

	/* Leaving restores plain malloc; the arena's blocks die with it. */
	assert_ptr_equal(arena_enter(NULL), a);
	char *heap = mem_malloc(8);
	assert_non_null(heap);
	mem_free(heap);
	arena_destroy(a);
}

static void
test_scratch_buffer_is_malloced_inside_an_arena(void **state)
{
	(void)state;
	arena *a = arena_new();
	arena_enter(a);
	buf b;
	buf_init_scratch(&b);
	buf_puts(&b, "scratch");
	char *s = buf_take(&b);
	arena_enter(NULL);
	arena_destroy(a);
	/* Still valid after the arena is gone: it came from malloc. */
	assert_string_equal(s, "scratch");
	free(s);
}

int
main(void)
{
	const struct CMUnitTest tests[] = {
		cmocka_unit_test(test_append_puts_putc_printf_build_one_string),
		cmocka_unit_test(test_growth_keeps_every_byte),
		cmocka_unit_test(test_take_resets_the_buffer),
		cmocka_unit_test(test_strdup_helpers_copy_exactly),
		cmocka_unit_test(test_arena_serves_until_destroyed),
		cmocka_unit_test(test_scratch_buffer_is_malloced_inside_an_arena),
	};
	return cmocka_run_group_tests(tests, NULL, NULL);
}
