/*
 * internal.h - helpers shared by the modules of libatlas.  Not installed;
 * nothing here is exported from the shared library.
 */
#ifndef ATLAS_INTERNAL_H
#define ATLAS_INTERNAL_H

#include <stdarg.h>
#include <stdbool.h>
#include <stddef.h>

#include "atlas.h"

/* A growable, always NUL-terminated byte string.  Allocation failure is
 * sticky: after one, failed is set and every later call does nothing, so
 * callers check once at the end. */
typedef struct buf {
	char *data;
	size_t len;
	size_t cap;
	int failed;
	bool scratch;		/* malloc'd even inside an arena */
} buf;

void buf_init(buf *b);
/* A buf for a string that is thrown away before the parse that makes it
 * ends: it takes memory from malloc, which reuses it, even while an arena
 * is entered.  buf_take of it gives a string to free(). */
void buf_init_scratch(buf *b);
void buf_free(buf *b);
void buf_append(buf *b, const char *s, size_t n);
/* Make room for extra more bytes at once, for a caller that knows how
 * long the string will grow (failure is sticky, as for the others). */
void buf_reserve_more(buf *b, size_t extra);
void buf_puts(buf *b, const char *s);
void buf_putc(buf *b, char c);
void buf_printf(buf *b, const char *fmt, ...) __attribute__((format(printf, 2, 3)));
/* Hand the string to the caller (NULL on failure) and reset b. */
char *buf_take(buf *b);

/*
 * Arenas.  Parsing a requirement file makes some ten small objects a line
 * (names, specifiers, versions, markers, hashes), and freeing 100,000s
 * of them one by one costs as much as making them.  While an arena is
 * entered, the mem_* functions below (and so buf, the strdup helpers and
 * every parser built on them) take memory from it, mem_free does
 * nothing, and the whole arena is released at once by arena_destroy.
 * Blocks carry no header, so that a small string costs its length only.
 * With no arena entered they are malloc, calloc, realloc and free.  The
 * arena is per thread, so that parsing in two threads stays safe.
 * Whatever is made while an arena is entered must live exactly as long
 * as the arena: only code that owns the arena enters it.
 */
typedef struct arena arena;

arena *arena_new(void);
void arena_destroy(arena *a);
/* Make a the current arena (NULL: none); returns the one it replaces,
 * for arena_enter(previous) when done. */
arena *arena_enter(arena *a);

void *mem_malloc(size_t n);
void *mem_calloc(size_t n, size_t size);
/* old_size is what p was last given (0 for NULL): an arena does not
 * record the sizes of its blocks. */
void *mem_realloc(void *p, size_t old_size, size_t n);
void mem_free(void *p);
/* Give back the end of a block of old_size bytes past its first n: an
 * arena takes it back when the block is its latest, else nothing
 * happens.  For blocks sized for the worst case before their use. */
void mem_shrink(void *p, size_t old_size, size_t n);

/* An empty error, as "= { 0 }" makes it without writing its 1.5 KiB:
 * parsers keep one for every line and clause they parse. */
static inline void
error_clear(atlas_error *e)
{
	e->status = ATLAS_OK;
	e->line = 0;
	e->column = 0;
	e->file[0] = '\0';
	e->message[0] = '\0';
}

/* A hash of a string for hash tables: FNV-1a, with its high bits folded
 * down, since tables use the low bits, which FNV alone spreads poorly. */
static inline size_t
name_hash(const char *s)
{
	unsigned long long h = 14695981039346656037ULL;

	for (; *s != '\0'; s++)
		h = (h ^ (unsigned char)*s) * 1099511628211ULL;
	h ^= h >> 32;
	h *= 0x9e3779b97f4a7c15ULL;
	h ^= h >> 29;
	return (size_t)h;
}

/* atlas_spec_parse of the len bytes at text, which need not end there
 * but must lie in a NUL-terminated string. */
atlas_spec *spec_parse_n(const char *text, size_t len, atlas_error *err);

/* The parsed version of atlas_spec_pin(spec), or NULL when not pinned. */
const atlas_version *spec_pin_version(const atlas_spec *spec);

/* strdup and strndup that return NULL on allocation failure. */
char *atlas_strdup_internal(const char *s);
char *atlas_strndup_internal(const char *s, size_t n);
/* strndup from malloc even inside an arena, for scratch copies: free()
 * the result. */
char *scratch_strndup(const char *s, size_t n);

/* ASCII classification that does not depend on the locale. */
static inline int is_ascii_space(int c) { return c == ' ' || c == '\t' || c == '\n' || c == '\r' || c == '\f' || c == '\v'; }
static inline int is_ascii_digit(int c) { return c >= '0' && c <= '9'; }
static inline int is_ascii_alpha(int c) { return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z'); }
static inline int is_ascii_alnum(int c) { return is_ascii_alpha(c) || is_ascii_digit(c); }
static inline int ascii_lower(int c) { return (c >= 'A' && c <= 'Z') ? c + 32 : c; }

/* PEP 508 scanning that marker.c provides and req.c shares.  Offsets are
 * in bytes; columns count characters, as packaging's spans do. */
/* Parse a marker expression from *pos up to where it ends, without
 * requiring the end of text; *pos moves past it. */
atlas_marker *pep508_marker_parse_at(const char *text, size_t *pos,
    atlas_error *err);
/* The length of packaging's SPECIFIER token at text + pos, 0 if none. */
size_t pep508_specifier_match(const char *text, size_t pos);
/* The length of one Unicode whitespace character (Python's \s) at
 * text + pos, 0 if there is none.  Parsers ask this of nearly every
 * character, so ASCII is answered inline and only other bytes make a
 * call. */
size_t pep508_space_at_utf8(const char *text, size_t pos);
static inline size_t
pep508_space_at(const char *text, size_t pos)
{
	unsigned char c = (unsigned char)text[pos];

	if (c < 0x80)
		return (c >= 0x09 && c <= 0x0d) || (c >= 0x1c && c <= 0x20);
	return pep508_space_at_utf8(text, pos);
}
/* Whether the character at text + pos, or the one before it, is a regex
 * word character (Python's \w); false at either end of the text. */
bool pep508_word_at(const char *text, size_t pos);
bool pep508_word_before(const char *text, size_t pos);
/* The 1-based character column of byte offset. */
unsigned pep508_column(const char *text, size_t offset);

#endif /* ATLAS_INTERNAL_H */
