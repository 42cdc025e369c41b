/*
 * version.c - PEP 440 versions: parse, normalise, compare.
 *
 * The parser follows packaging's VERSION_PATTERN, whose quantifiers are
 * possessive: every optional part is taken greedily and never given back,
 * so a single left-to-right pass with no backtracking accepts exactly the
 * strings the regular expression accepts.  The order is packaging's
 * _cmpkey.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "version-internal.h"

size_t
version_space_length(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;

	if ((u[0] >= 0x09 && u[0] <= 0x0d) || (u[0] >= 0x1c && u[0] <= 0x20))
		return 1;
	/* U+0085 and U+00A0. */
	if (u[0] == 0xc2 && (u[1] == 0x85 || u[1] == 0xa0))
		return 2;
	/* U+1680. */
	if (u[0] == 0xe1 && u[1] == 0x9a && u[2] == 0x80)
		return 3;
	if (u[0] == 0xe2 && u[1] == 0x80) {
		/* U+2000..U+200A, U+2028, U+2029, U+202F. */
		if ((u[2] >= 0x80 && u[2] <= 0x8a) || u[2] == 0xa8 || u[2] == 0xa9 || u[2] == 0xaf)
			return 3;
		return 0;
	}
	/* U+205F. */
	if (u[0] == 0xe2 && u[1] == 0x81 && u[2] == 0x9f)
		return 3;
	/* U+3000. */
	if (u[0] == 0xe3 && u[1] == 0x80 && u[2] == 0x80)
		return 3;
	return 0;
}

unsigned
version_column(const char *text, size_t pos)
{
	unsigned column = 1;

	/* Count the bytes that start a UTF-8 character. */
	for (size_t i = 0; i < pos; i++)
		if (((unsigned char)text[i] & 0xc0) != 0x80)
			column++;
	return column;
}

int
version_compare_numbers(const char *a, const char *b)
{
	size_t la = strlen(a), lb = strlen(b);
	int cmp;

	if (la != lb)
		return la < lb ? -1 : 1;
	cmp = strcmp(a, b);
	return (cmp > 0) - (cmp < 0);
}

/* ------------------------------------------------------------------ */
/* Parsing                                                             */
/* ------------------------------------------------------------------ */

typedef struct parser {
	const char *text;
	size_t pos;
	bool limited;		/* refuse numbers Python cannot convert */
	char *pool;		/* where the normalised pieces are copied */
	size_t pool_len;
	atlas_error *err;
	atlas_status status;
} parser;

static size_t
digits_at(const char *s)
{
	size_t n = 0;

	while (is_ascii_digit(s[n]))
		n++;
	return n;
}

static size_t
separator_at(const char *s)
{
	return (*s == '.' || *s == '-' || *s == '_') ? 1 : 0;
}

/* The length of word when s starts with it, ignoring ASCII case; else 0. */
static size_t
word_at(const char *s, const char *word)
{
	size_t n = 0;

	while (word[n] != '\0') {
		if (ascii_lower((unsigned char)s[n]) != word[n])
			return 0;
		n++;
	}
	return n;
}

static bool
fail(parser *p, atlas_status status, size_t pos, const char *message)
{
	if (p->status == ATLAS_OK) {
		p->status = status;
		atlas_error_set(p->err, status, "", 1, version_column(p->text, pos), "%s", message);
	}
	return false;
}

/* Copy n bytes of the input at pos into the pool, lower-cased. */
static const char *
pool_copy(parser *p, size_t pos, size_t n)
{
	char *out = p->pool + p->pool_len;

	for (size_t i = 0; i < n; i++)
		out[i] = (char)ascii_lower((unsigned char)p->text[pos + i]);
	out[n] = '\0';
	p->pool_len += n + 1;
	return out;
}

/* Copy a run of n digits at pos into the pool without leading zeros. */
static const char *
pool_number(parser *p, size_t pos, size_t n)
{
	if (p->limited && n > VERSION_MAX_DIGITS) {
		fail(p, ATLAS_ERR_INVALID, pos,
		    "number has more than 4300 digits, more than Python converts to an int");
		return NULL;
	}
	while (n > 1 && p->text[pos] == '0') {
		pos++;
		n--;
	}
	return pool_copy(p, pos, n);
}

/* The implicit 0 of an absent epoch or of a letter without a number. */
static const char *
pool_zero(parser *p)
{
	char *out = p->pool + p->pool_len;

	out[0] = '0';
	out[1] = '\0';
	p->pool_len += 2;
	return out;
}

static size_t
skip_spaces(const char *text, size_t pos)
{
	size_t n;

	while ((n = version_space_length(text + pos)) > 0)
		pos += n;
	return pos;
}

/* The optional number after a pre, post or dev letter: implicitly 0. */
static const char *
letter_number(parser *p)
{
	size_t n = digits_at(p->text + p->pos);
	const char *number;

	if (n == 0)
		return pool_zero(p);
	number = pool_number(p, p->pos, n);
	p->pos += n;
	return number;
}

/* v->release has room for one number more than the text has dots. */
static bool
parse_release(parser *p, atlas_version *v)
{
	for (;;) {
		size_t n = digits_at(p->text + p->pos);
		const char *number;

		number = pool_number(p, p->pos, n);
		if (number == NULL)
			return false;
		v->release[v->n_release++] = number;
		p->pos += n;
		if (p->text[p->pos] != '.' || !is_ascii_digit(p->text[p->pos + 1]))
			return true;
		p->pos++;
	}
}

static bool
parse_pre(parser *p, atlas_version *v)
{
	/* The order of packaging's alternation, which takes the first that
	 * fits: "alpha" before "a", "preview" before "pre". */
	static const struct { const char *word; char letter; } words[] = {
		{ "alpha", 'a' }, { "a", 'a' }, { "beta", 'b' }, { "b", 'b' },
		{ "preview", 'r' }, { "pre", 'r' }, { "c", 'r' }, { "rc", 'r' },
	};
	size_t q = p->pos + separator_at(p->text + p->pos);

	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		size_t n = word_at(p->text + q, words[i].word);
		if (n == 0)
			continue;
		q += n;
		p->pos = q + separator_at(p->text + q);
		v->pre_letter = words[i].letter;
		v->pre_number = letter_number(p);
		return v->pre_number != NULL;
	}
	return true;
}

static bool
parse_post(parser *p, atlas_version *v)
{
	static const char *const words[] = { "post", "rev", "r" };
	const char *text = p->text;
	size_t q;

	/* The implicit post-release: "1.0-1". */
	if (text[p->pos] == '-' && is_ascii_digit(text[p->pos + 1])) {
		size_t n = digits_at(text + p->pos + 1);
		v->post_number = pool_number(p, p->pos + 1, n);
		p->pos += 1 + n;
		return v->post_number != NULL;
	}
	q = p->pos + separator_at(text + p->pos);
	for (size_t i = 0; i < sizeof words / sizeof words[0]; i++) {
		size_t n = word_at(text + q, words[i]);
		if (n == 0)
			continue;
		q += n;
		p->pos = q + separator_at(text + q);
		v->post_number = letter_number(p);
		return v->post_number != NULL;
	}
	return true;
}

static bool
parse_dev(parser *p, atlas_version *v)
{
	size_t q = p->pos + separator_at(p->text + p->pos);
	size_t n = word_at(p->text + q, "dev");

	if (n == 0)
		return true;
	q += n;
	p->pos = q + separator_at(p->text + q);
	v->dev_number = letter_number(p);
	return v->dev_number != NULL;
}

static bool
parse_local(parser *p, atlas_version *v)
{
	const char *text = p->text;
	size_t cap = 0;

	if (text[p->pos] != '+')
		return true;
	if (!is_ascii_alnum(text[p->pos + 1]))
		return fail(p, ATLAS_ERR_SYNTAX, p->pos + 1,
		    "expected a local version label (letters and digits) after '+'");
	p->pos++;
	for (;;) {
		size_t start = p->pos, n = 0;
		bool numeric = true;

		while (is_ascii_alnum(text[start + n])) {
			if (!is_ascii_digit(text[start + n]))
				numeric = false;
			n++;
		}
		if (v->n_local == cap) {
			version_local *grown;
			cap = cap ? cap * 2 : 4;
			grown = mem_realloc(v->local, v->n_local * sizeof *grown,
			    cap * sizeof *grown);
			if (grown == NULL)
				return fail(p, ATLAS_ERR_NOMEM, p->pos, "out of memory");
			v->local = grown;
		}
		v->local[v->n_local].numeric = numeric;
		v->local[v->n_local].text = numeric ? pool_number(p, start, n) : pool_copy(p, start, n);
		if (v->local[v->n_local].text == NULL)
			return false;
		v->n_local++;
		p->pos = start + n;
		if (!separator_at(text + p->pos) || !is_ascii_alnum(text[p->pos + 1]))
			return true;
		p->pos++;
	}
}

static void
describe_unexpected(parser *p)
{
	unsigned char c = (unsigned char)p->text[p->pos];
	char message[96];

	if (c >= 0x21 && c <= 0x7e)
		snprintf(message, sizeof message, "unexpected '%c' in version", c);
	else
		snprintf(message, sizeof message, "unexpected byte 0x%02x in version", c);
	fail(p, ATLAS_ERR_SYNTAX, p->pos, message);
}

/*
 * Most versions in requirement files are plain release numbers, such
 * as "2.31.0": this makes the same version as parse_version from the
 * len bytes at text (which need not end there) without its general
 * machinery.  NULL with *plain false when the text is anything else
 * (an epoch, a letter, a space, a number too long for Python), which
 * parse_version then reads; NULL with *plain true when out of memory.
 */
static atlas_version *
parse_plain_release(const char *text, size_t len, bool *plain)
{
	size_t n_numbers = 1, run = 0;
	atlas_version *v;

	*plain = false;
	if (len == 0 || !is_ascii_digit(text[0]) || !is_ascii_digit(text[len - 1]))
		return NULL;
	for (size_t i = 0; i < len; i++) {
		if (is_ascii_digit(text[i])) {
			if (++run > VERSION_MAX_DIGITS)
				return NULL;
		} else if (text[i] == '.' && run > 0) {
			run = 0;
			n_numbers++;
		} else {
			return NULL;
		}
	}
	*plain = true;
	/* The block of parse_version: the struct, the release numbers, the
	 * text, then the pool with "0" for the epoch and each number with
	 * its NUL, never longer than the text and its NUL. */
	size_t release_size = n_numbers * sizeof *v->release;
	size_t block_size = sizeof *v + release_size + (len + 1) + 2 + (len + 1);
	v = mem_malloc(block_size);
	if (v == NULL)
		return NULL;
	memset(v, 0, sizeof *v);
	v->release = (const char **)(v + 1);
	v->text = (char *)v->release + release_size;
	memcpy(v->text, text, len);
	v->text[len] = '\0';
	char *pool = v->pool = v->text + len + 1;
	pool[0] = '0';
	pool[1] = '\0';
	v->epoch = pool;
	pool += 2;
	for (size_t i = 0; i < len; i++) {
		size_t start = i;
		while (i < len && text[i] != '.')
			i++;
		/* Without leading zeros, "0" for zero. */
		while (i - start > 1 && text[start] == '0')
			start++;
		memcpy(pool, text + start, i - start);
		pool[i - start] = '\0';
		v->release[v->n_release++] = pool;
		if (i - start != 1 || text[start] != '0')
			v->n_trimmed = v->n_release;
		pool += i - start + 1;
	}
	mem_shrink(v, block_size, (size_t)(pool - (char *)v));
	return v;
}

static atlas_version *
parse_version(const char *text, atlas_error *err, bool limited)
{
	atlas_version *v;
	parser p = { .text = text, .limited = limited, .err = err, .status = ATLAS_OK };
	size_t len;

	if (text == NULL) {
		atlas_error_set(err, ATLAS_ERR_INVALID, "", 1, 0, "no version given");
		return NULL;
	}
	len = strlen(text);
	bool plain;
	v = parse_plain_release(text, len, &plain);
	if (plain) {
		if (v == NULL)
			atlas_error_set(err, ATLAS_ERR_NOMEM, "", 1, 0, "out of memory");
		return v;
	}
	/* One block holds the version, its release numbers (one more than
	 * the text has dots, at most), the text and the pool: a version is
	 * one allocation.  Every piece in the pool is at most as long as its
	 * source plus a NUL, and an implicit "0" costs two bytes: twice the
	 * input is enough. */
	size_t n_dots = 0;
	for (const char *dot = strchr(text, '.'); dot != NULL; dot = strchr(dot + 1, '.'))
		n_dots++;
	size_t release_size = (n_dots + 1) * sizeof *v->release, block_size;
	if (len > ((size_t)-1 - sizeof *v - release_size - 16) / 3) {
		atlas_error_set(err, ATLAS_ERR_NOMEM, "", 1, 0, "out of memory");
		return NULL;
	}
	block_size = sizeof *v + release_size + len + 1 + 2 * len + 16;
	v = mem_calloc(1, block_size);
	if (v == NULL) {
		atlas_error_set(err, ATLAS_ERR_NOMEM, "", 1, 0, "out of memory");
		return NULL;
	}
	v->release = (const char **)(v + 1);
	v->text = (char *)v->release + release_size;
	memcpy(v->text, text, len + 1);
	v->pool = p.pool = v->text + len + 1;

	p.pos = skip_spaces(text, 0);
	if (text[p.pos] == '\0') {
		fail(&p, ATLAS_ERR_SYNTAX, 0, "empty version");
		goto failed;
	}
	if (text[p.pos] == 'v' || text[p.pos] == 'V')
		p.pos++;

	/* An epoch is digits followed by "!"; otherwise they are the release. */
	size_t n = digits_at(text + p.pos);
	if (n > 0 && text[p.pos + n] == '!') {
		v->epoch = pool_number(&p, p.pos, n);
		if (v->epoch == NULL)
			goto failed;
		p.pos += n + 1;
	} else {
		v->epoch = pool_zero(&p);
	}
	if (!is_ascii_digit(text[p.pos])) {
		fail(&p, ATLAS_ERR_SYNTAX, p.pos,
		    text[p.pos] == '\0' ? "the version ends before its release number"
		    : "expected a release number such as '1.0'");
		goto failed;
	}
	if (!parse_release(&p, v) || !parse_pre(&p, v) || !parse_post(&p, v) ||
	    !parse_dev(&p, v) || !parse_local(&p, v))
		goto failed;
	p.pos = skip_spaces(text, p.pos);
	if (text[p.pos] != '\0') {
		describe_unexpected(&p);
		goto failed;
	}

	v->n_trimmed = v->n_release;
	while (v->n_trimmed > 0 && strcmp(v->release[v->n_trimmed - 1], "0") == 0)
		v->n_trimmed--;
	/* The pool was sized for the worst case. */
	mem_shrink(v, block_size, (size_t)(v->pool - (char *)v) + p.pool_len);
	return v;

failed:
	atlas_version_free(v);
	return NULL;
}

atlas_version *
atlas_version_parse(const char *text, atlas_error *err)
{
	return parse_version(text, err, true);
}

atlas_version *
version_parse_unlimited(const char *text, atlas_error *err)
{
	return parse_version(text, err, false);
}

atlas_version *
version_parse_n(const char *text, size_t len, atlas_error *err)
{
	bool plain;
	atlas_version *v = parse_plain_release(text, len, &plain);
	char *copy;

	if (plain) {
		if (v == NULL)
			atlas_error_set(err, ATLAS_ERR_NOMEM, "", 1, 0, "out of memory");
		return v;
	}
	copy = scratch_strndup(text, len);
	if (copy == NULL) {
		atlas_error_set(err, ATLAS_ERR_NOMEM, "", 1, 0, "out of memory");
		return NULL;
	}
	v = parse_version(copy, err, true);
	free(copy);
	return v;
}

void
atlas_version_free(atlas_version *version)
{
	if (version == NULL)
		return;
	/* The text, the pool and the release numbers share its block. */
	mem_free(version->local);
	mem_free(version);
}

/* ------------------------------------------------------------------ */
/* Normalising                                                         */
/* ------------------------------------------------------------------ */

char *
atlas_version_normalize(const atlas_version *version)
{
	buf b;

	if (version == NULL)
		return NULL;
	buf_init(&b);
	version_normalize_into(&b, version);
	return buf_take(&b);
}

void
version_normalize_into(buf *b, const atlas_version *version)
{
	if (strcmp(version->epoch, "0") != 0)
		buf_printf(b, "%s!", version->epoch);
	for (size_t i = 0; i < version->n_release; i++) {
		if (i > 0)
			buf_putc(b, '.');
		buf_puts(b, version->release[i]);
	}
	if (version->pre_letter != 0)
		buf_printf(b, "%s%s", version->pre_letter == 'a' ? "a"
		    : version->pre_letter == 'b' ? "b" : "rc", version->pre_number);
	if (version->post_number != NULL)
		buf_printf(b, ".post%s", version->post_number);
	if (version->dev_number != NULL)
		buf_printf(b, ".dev%s", version->dev_number);
	for (size_t i = 0; i < version->n_local; i++) {
		buf_putc(b, i == 0 ? '+' : '.');
		buf_puts(b, version->local[i].text);
	}
}

/* ------------------------------------------------------------------ */
/* Ordering: packaging's _cmpkey                                       */
/* ------------------------------------------------------------------ */

static int
compare_ints(int a, int b)
{
	return (a > b) - (a < b);
}

/* Epoch, then the release with trailing zeros ignored ("1.0" is "1"). */
static int
compare_base(const atlas_version *a, const atlas_version *b)
{
	int cmp = version_compare_numbers(a->epoch, b->epoch);
	size_t n = a->n_trimmed < b->n_trimmed ? a->n_trimmed : b->n_trimmed;

	if (cmp != 0)
		return cmp;
	for (size_t i = 0; i < n; i++) {
		cmp = version_compare_numbers(a->release[i], b->release[i]);
		if (cmp != 0)
			return cmp;
	}
	return compare_ints((int)(a->n_trimmed > n), (int)(b->n_trimmed > n));
}

/* A development release without pre- or post-release sorts before every
 * pre-release of its release; a final release after its pre-releases. */
static int
pre_rank(const atlas_version *v)
{
	if (v->pre_letter == 0)
		return (v->post_number == NULL && v->dev_number != NULL) ? -1 : 3;
	return v->pre_letter == 'a' ? 0 : v->pre_letter == 'b' ? 1 : 2;
}

int
version_compare_pre_family(const atlas_version *a, const atlas_version *b)
{
	int cmp = compare_base(a, b);

	if (cmp == 0)
		cmp = compare_ints(pre_rank(a), pre_rank(b));
	if (cmp == 0)
		cmp = version_compare_numbers(a->pre_number ? a->pre_number : "0",
		    b->pre_number ? b->pre_number : "0");
	return cmp;
}

int
version_compare_public(const atlas_version *a, const atlas_version *b)
{
	int cmp = version_compare_pre_family(a, b);

	if (cmp != 0)
		return cmp;
	/* No post-release sorts before any post-release. */
	cmp = compare_ints(a->post_number != NULL, b->post_number != NULL);
	if (cmp == 0 && a->post_number != NULL)
		cmp = version_compare_numbers(a->post_number, b->post_number);
	if (cmp != 0)
		return cmp;
	/* A development release sorts before the same version without one. */
	cmp = compare_ints(a->dev_number == NULL, b->dev_number == NULL);
	if (cmp == 0 && a->dev_number != NULL)
		cmp = version_compare_numbers(a->dev_number, b->dev_number);
	return cmp;
}

/* Local labels: none sorts first; segments compare pairwise, a string
 * before a number; when one label is a prefix of the other, the shorter
 * sorts first. */
static int
compare_local(const atlas_version *a, const atlas_version *b)
{
	size_t n = a->n_local < b->n_local ? a->n_local : b->n_local;

	for (size_t i = 0; i < n; i++) {
		const version_local *x = &a->local[i], *y = &b->local[i];
		int cmp;

		if (x->numeric != y->numeric)
			return x->numeric ? 1 : -1;
		if (x->numeric)
			cmp = version_compare_numbers(x->text, y->text);
		else
			cmp = strcmp(x->text, y->text);
		if (cmp != 0)
			return cmp > 0 ? 1 : -1;
	}
	return compare_ints(a->n_local > n, b->n_local > n);
}

int
atlas_version_compare(const atlas_version *a, const atlas_version *b)
{
	int cmp = version_compare_public(a, b);

	return cmp != 0 ? cmp : compare_local(a, b);
}

bool
atlas_version_is_prerelease(const atlas_version *version)
{
	return version->pre_letter != 0 || version->dev_number != NULL;
}

bool
atlas_version_is_postrelease(const atlas_version *version)
{
	return version->post_number != NULL;
}

bool
atlas_version_is_devrelease(const atlas_version *version)
{
	return version->dev_number != NULL;
}

bool
atlas_version_has_local(const atlas_version *version)
{
	return version->n_local > 0;
}

bool
atlas_version_text_equal(const char *a, const char *b)
{
	atlas_version *va = atlas_version_parse(a, NULL);
	atlas_version *vb = atlas_version_parse(b, NULL);
	bool same = va && vb ? atlas_version_compare(va, vb) == 0 : strcmp(a, b) == 0;

	atlas_version_free(va);
	atlas_version_free(vb);
	return same;
}
