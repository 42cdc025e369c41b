/* buf.c - growable strings shared by the modules of libatlas. */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/mman.h>

#include "internal.h"

/* ------------------------------------------------------------------ */
/* Arenas                                                              */
/* ------------------------------------------------------------------ */

/* Chunks start small, for the many short files, and double up to a size
 * where a large file needs a few.  A request over a quarter of the chunk
 * size gets a chunk of its own. */
#define ARENA_FIRST_CHUNK (16 * 1024)
#define ARENA_CHUNK (8 * 1024 * 1024)
/* Blocks are aligned for any pointer or size_t they may hold. */
#define ARENA_ALIGN sizeof(size_t)
/*
 * Chunks of this size and more are mapped on their own, aligned to it
 * and offered to the kernel for transparent huge pages: a 100,000-line
 * file fills some 35 MB of fresh memory, and taking it in 2 MB pages
 * costs a few dozen page faults instead of thousands.
 */
#define ARENA_HUGE_PAGE (2 * 1024 * 1024)

typedef struct arena_chunk {
	struct arena_chunk *next;
	size_t used;
	size_t size;
	size_t mapped;		/* bytes to munmap, 0 when from malloc */
	size_t data[];		/* aligned for size_t */
} arena_chunk;

struct arena {
	arena_chunk *head;	/* the chunk small blocks come from */
	size_t next_size;	/* of the next chunk */
};

/* Read for every block: the initial-exec model makes that a plain load
 * instead of a call to __tls_get_addr. */
static _Thread_local arena *current_arena __attribute__((tls_model("initial-exec")));

arena *
arena_new(void)
{
	return calloc(1, sizeof(arena));
}

/* A chunk of `total` bytes, header included, or NULL. */
static arena_chunk *
chunk_new(size_t total)
{
	arena_chunk *c = NULL;

#if defined(MAP_ANONYMOUS) && defined(MADV_HUGEPAGE)
	if (total >= ARENA_HUGE_PAGE && total % ARENA_HUGE_PAGE == 0) {
		/* Map one huge page more than needed, so that an aligned
		 * stretch fits, and give the rest back. */
		size_t span = total + ARENA_HUGE_PAGE;
		char *base = mmap(NULL, span, PROT_READ | PROT_WRITE,
		    MAP_PRIVATE | MAP_ANONYMOUS, -1, 0);
		if (base != MAP_FAILED) {
			uintptr_t at = ((uintptr_t)base + ARENA_HUGE_PAGE - 1) &
			    ~(uintptr_t)(ARENA_HUGE_PAGE - 1);
			size_t head = at - (uintptr_t)base;
			if (head > 0)
				munmap(base, head);
			if (span - head > total)
				munmap((char *)at + total, span - head - total);
			/* Only advice: without huge pages the chunk still works. */
			madvise((void *)at, total, MADV_HUGEPAGE);
			c = (arena_chunk *)at;
			c->mapped = total;
			return c;
		}
	}
#endif
	c = malloc(total);
	if (c != NULL)
		c->mapped = 0;
	return c;
}

static void
chunk_free(arena_chunk *c)
{
#if defined(MAP_ANONYMOUS) && defined(MADV_HUGEPAGE)
	if (c->mapped > 0) {
		munmap(c, c->mapped);
		return;
	}
#endif
	free(c);
}

void
arena_destroy(arena *a)
{
	if (a == NULL)
		return;
	for (arena_chunk *c = a->head, *next; c != NULL; c = next) {
		next = c->next;
		chunk_free(c);
	}
	free(a);
}

arena *
arena_enter(arena *a)
{
	arena *previous = current_arena;

	current_arena = a;
	return previous;
}

static size_t
arena_round(size_t n)
{
	return (n + ARENA_ALIGN - 1) & ~(ARENA_ALIGN - 1);
}

static void *arena_alloc_slow(arena *a, size_t need);

/* A block of n bytes, or NULL.  Most blocks fit in the current chunk:
 * that is all this does inline, a new chunk is left to the slow path. */
static inline void *
arena_alloc(arena *a, size_t n)
{
	arena_chunk *c = a->head;
	size_t need;

	if (n > SIZE_MAX / 2)
		return NULL;
	need = arena_round(n ? n : 1);
	if (c != NULL && c->size - c->used >= need) {
		char *block = (char *)c->data + c->used;
		c->used += need;
		return block;
	}
	return arena_alloc_slow(a, need);
}

/* A block of need bytes (rounded) from a new chunk, or NULL. */
static void *
arena_alloc_slow(arena *a, size_t need)
{
	arena_chunk *c = a->head;
	size_t chunk = a->next_size ? a->next_size : ARENA_FIRST_CHUNK;
	bool own = need > chunk / 4;
	size_t size = own ? need : chunk - sizeof(arena_chunk);
	arena_chunk *fresh = chunk_new(sizeof *fresh + size);

	if (fresh == NULL)
		return NULL;
	fresh->used = need;
	fresh->size = size;
	if (!own && chunk < ARENA_CHUNK)
		a->next_size = chunk * 2;
	if (own && c != NULL) {
		/* Keep filling the current chunk after a big block. */
		fresh->next = c->next;
		c->next = fresh;
	} else {
		fresh->next = c;
		a->head = fresh;
	}
	return fresh->data;
}

void *
mem_malloc(size_t n)
{
	if (current_arena == NULL)
		return malloc(n);
	return arena_alloc(current_arena, n);
}

void *
mem_calloc(size_t n, size_t size)
{
	void *p;

	if (size != 0 && n > SIZE_MAX / size)
		return NULL;
	if (current_arena == NULL)
		return calloc(n, size);
	p = arena_alloc(current_arena, n * size);
	if (p != NULL)
		memset(p, 0, n * size);
	return p;
}

void *
mem_realloc(void *p, size_t old_size, size_t n)
{
	arena *a = current_arena;
	arena_chunk *c;

	if (a == NULL)
		return realloc(p, n);
	if (p == NULL)
		return arena_alloc(a, n);
	if (n <= old_size)
		return p;
	/* The last block of the current chunk grows in place. */
	c = a->head;
	if (c != NULL && n <= SIZE_MAX / 2 &&
	    (char *)p + arena_round(old_size ? old_size : 1) == (char *)c->data + c->used &&
	    c->size - c->used >= arena_round(n) - arena_round(old_size ? old_size : 1)) {
		c->used += arena_round(n) - arena_round(old_size ? old_size : 1);
		return p;
	}
	void *grown = arena_alloc(a, n);
	if (grown != NULL)
		memcpy(grown, p, old_size);
	return grown;
}

void
mem_free(void *p)
{
	if (current_arena == NULL)
		free(p);
}

void
mem_shrink(void *p, size_t old_size, size_t n)
{
	arena_chunk *c;

	if (current_arena == NULL || p == NULL || n >= old_size)
		return;
	c = current_arena->head;
	if (c != NULL && (char *)p + arena_round(old_size ? old_size : 1) ==
	    (char *)c->data + c->used)
		c->used -= arena_round(old_size ? old_size : 1) - arena_round(n ? n : 1);
}

/* ------------------------------------------------------------------ */
/* Growable strings                                                    */
/* ------------------------------------------------------------------ */

void
buf_init(buf *b)
{
	memset(b, 0, sizeof *b);
}

void
buf_init_scratch(buf *b)
{
	buf_init(b);
	b->scratch = true;
}

void
buf_free(buf *b)
{
	bool scratch = b->scratch;

	if (scratch)
		free(b->data);
	else
		mem_free(b->data);
	buf_init(b);
	b->scratch = scratch;
}

static int
buf_reserve(buf *b, size_t extra)
{
	if (b->failed)
		return -1;
	if (b->len + extra + 1 <= b->cap)
		return 0;
	size_t cap = b->cap ? b->cap : 32;
	while (cap < b->len + extra + 1) {
		if (cap > ((size_t)-1) / 2) {
			b->failed = 1;
			return -1;
		}
		cap *= 2;
	}
	char *data = b->scratch ? realloc(b->data, cap) : mem_realloc(b->data, b->cap, cap);
	if (data == NULL) {
		b->failed = 1;
		return -1;
	}
	b->data = data;
	b->cap = cap;
	return 0;
}

void
buf_reserve_more(buf *b, size_t extra)
{
	buf_reserve(b, extra);
}

void
buf_append(buf *b, const char *s, size_t n)
{
	if (buf_reserve(b, n) < 0)
		return;
	if (n > 0)
		memcpy(b->data + b->len, s, n);
	b->len += n;
	b->data[b->len] = '\0';
}

void
buf_puts(buf *b, const char *s)
{
	buf_append(b, s, strlen(s));
}

void
buf_putc(buf *b, char c)
{
	buf_append(b, &c, 1);
}

void
buf_printf(buf *b, const char *fmt, ...)
{
	va_list ap;
	va_start(ap, fmt);
	int n = vsnprintf(NULL, 0, fmt, ap);
	va_end(ap);
	if (n < 0) {
		b->failed = 1;
		return;
	}
	if (buf_reserve(b, (size_t)n) < 0)
		return;
	va_start(ap, fmt);
	vsnprintf(b->data + b->len, (size_t)n + 1, fmt, ap);
	va_end(ap);
	b->len += (size_t)n;
}

char *
buf_take(buf *b)
{
	char *s;
	if (b->failed) {
		buf_free(b);
		return NULL;
	}
	if (b->data != NULL && !b->scratch)
		mem_shrink(b->data, b->cap, b->len + 1);
	s = b->data ? b->data : b->scratch ? calloc(1, 1) : mem_calloc(1, 1);
	bool scratch = b->scratch;
	buf_init(b);
	b->scratch = scratch;
	return s;
}

/* The n bytes at s, NUL-terminated, in copy (n + 1 bytes, or NULL). */
static char *
copy_bytes(char *copy, const char *s, size_t n)
{
	if (copy == NULL)
		return NULL;
	memcpy(copy, s, n);
	copy[n] = '\0';
	return copy;
}

char *
atlas_strndup_internal(const char *s, size_t n)
{
	return copy_bytes(mem_malloc(n + 1), s, n);
}

char *
scratch_strndup(const char *s, size_t n)
{
	return copy_bytes(malloc(n + 1), s, n);
}

char *
atlas_strdup_internal(const char *s)
{
	return atlas_strndup_internal(s, strlen(s));
}
