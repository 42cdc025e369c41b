/*
 * reqfile.c - pip requirement files, read the way pip reads them.
 *
 * pip's parser (pip/_internal/req/req_file.py) works in stages, and so
 * does this one, since its quirks are part of the format:
 *   1. split into physical lines as Python's str.splitlines does;
 *   2. join a line ending in a backslash with the next one, except that
 *      a comment line is never joined (and ends a continuation);
 *   3. cut comments: a '#' at the start or after white space;
 *   4. strip white space and drop empty lines;
 *   5. expand ${NAME} for NAME in [A-Z0-9_] when set and not empty;
 *   6. split at the first space-separated token that starts with '-':
 *      before it is the requirement, after it the options, which are
 *      split like a POSIX shell (shlex) and parsed like optparse does
 *      (abbreviated long options, clustered short ones).
 * Every byte of a logical line remembers its physical line and offset,
 * so that errors point at the physical line and column.  Columns count
 * characters, as the rest of libatlas does.
 *
 * The requirement part is told apart as pip's install_req_from_line does
 * (a URL, an archive, a local path, else PEP 508), except where pip asks
 * the file system: a path to a directory that might exist is accepted,
 * since only the installing machine can tell.  Input that pip cannot
 * decode (invalid UTF-8) or that cannot be text (a NUL byte outside a
 * comment) is an error at its place; parsing goes on with the next line.
 */
#include "config.h"

#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include "internal.h"
#include "reqfile-private.h"

/* Where one byte of a logical line came from. */
typedef struct srcpos {
	unsigned line;		/* 1-based physical line */
	size_t offset;		/* byte offset in that line */
} srcpos;

/* Where a stretch of a logical line came from, from byte `from` up to
 * the next run: a run of source bytes, or one place for all of them. */
typedef struct pos_run {
	size_t from;
	srcpos at;		/* where byte `from` came from */
	bool fixed;		/* every byte stands for `at` (an expanded ${NAME}) */
} pos_run;

/* A logical line being built: bytes and where each came from.  Places
 * are kept as runs, one for each piece appended, not one for each byte:
 * most lines are one piece, and few places are ever asked for. */
typedef struct logical {
	char *text;		/* NUL-terminated */
	size_t len;
	size_t cap;
	pos_run *runs;
	size_t n_runs;
	size_t cap_runs;
	bool failed;
	bool unexpanded;	/* a ${NAME} was left as written */
} logical;

/* Where a hash value starts: its source byte, and how many columns past
 * it (past the end of the line).  The column is counted only when a
 * check asks, as most hashes are never reported. */
typedef struct hash_where {
	srcpos at;
	unsigned past;
} hash_where;

/* The file as handed out, with what only this module needs. */
typedef struct reqfile_impl {
	atlas_reqfile pub;	/* first, so that the public pointer is ours */
	char *display;		/* every physical line, each NUL-terminated */
	char **physical;	/* physical[n - 1] is line n */
	size_t n_physical;
	hash_where **hashes_at;	/* per line of pub.lines, per hash */
	size_t *name_hashes;	/* per line: name_hash of its canonical name */
	size_t cap_lines;
	size_t cap_errors;
	arena *objects;		/* what the lines point to, and the path */
	bool failed;		/* an allocation failed */
} reqfile_impl;

/* What parsing needs besides the result. */
typedef struct parser {
	reqfile_impl *rf;
	const char *raw;	/* the input after the BOM */
	/* A buffer the parse may keep as rf->display, holding raw at its
	 * start or 3 bytes in (after a BOM), with room for a NUL after it;
	 * NULL when raw is the caller's. */
	char *reusable;
	size_t *start;		/* byte offset of each physical line in raw */
	size_t *lens;		/* byte length of each physical line */
	bool any_nul;
	atlas_getenv_fn getenv_fn;
	void *ctx;
} parser;

/* ------------------------------------------------------------------ */
/* Characters                                                          */
/* ------------------------------------------------------------------ */

/* The length of the UTF-8 character at s, counting a byte that does not
 * start a well-formed sequence as one character, as marker.c does. */
static size_t
char_len(const char *s)
{
	const unsigned char *u = (const unsigned char *)s;
	size_t n;

	if (u[0] < 0x80)
		return 1;
	if ((u[0] & 0xe0) == 0xc0)
		n = 2;
	else if ((u[0] & 0xf0) == 0xe0)
		n = 3;
	else if ((u[0] & 0xf8) == 0xf0)
		n = 4;
	else
		return 1;
	for (size_t i = 1; i < n; i++)
		if ((u[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

/* The byte offset of 1-based character column col in s. */
static size_t
column_to_offset(const char *s, unsigned col)
{
	size_t i = 0;

	for (unsigned c = 1; c < col && s[i] != '\0'; c++)
		i += char_len(s + i);
	return i;
}

/*
 * The length of a well-formed UTF-8 sequence at s (n bytes left), or 0.
 * This is Python's strict decoder: no overlong forms, no surrogates,
 * nothing above U+10FFFF.
 */
static size_t
utf8_valid_len(const unsigned char *s, size_t n)
{
	unsigned char lo = 0x80, hi = 0xbf;
	size_t len;

	if (s[0] < 0x80)
		return 1;
	if (s[0] >= 0xc2 && s[0] <= 0xdf)
		len = 2;
	else if (s[0] >= 0xe0 && s[0] <= 0xef) {
		len = 3;
		if (s[0] == 0xe0)
			lo = 0xa0;
		else if (s[0] == 0xed)
			hi = 0x9f;
	} else if (s[0] >= 0xf0 && s[0] <= 0xf4) {
		len = 4;
		if (s[0] == 0xf0)
			lo = 0x90;
		else if (s[0] == 0xf4)
			hi = 0x8f;
	} else
		return 0;
	if (n < len || s[1] < lo || s[1] > hi)
		return 0;
	for (size_t i = 2; i < len; i++)
		if (s[i] < 0x80 || s[i] > 0xbf)
			return 0;
	return len;
}

/* The bytes that may start a line break, for skipping the others fast. */
static const bool may_break[256] = {
	['\n'] = true, ['\v'] = true, ['\f'] = true, ['\r'] = true,
	[0x1c] = true, [0x1d] = true, [0x1e] = true, [0xc2] = true, [0xe2] = true,
};

/* The length of a line break at s (n bytes left) as str.splitlines sees
 * it, or 0. */
static size_t
line_break_len(const char *s, size_t n)
{
	const unsigned char *u = (const unsigned char *)s;

	switch (u[0]) {
	case '\r':
		return n > 1 && u[1] == '\n' ? 2 : 1;
	case '\n': case '\v': case '\f': case 0x1c: case 0x1d: case 0x1e:
		return 1;
	case 0xc2:
		return n > 1 && u[1] == 0x85 ? 2 : 0;
	case 0xe2:
		return n > 2 && u[1] == 0x80 && (u[2] == 0xa8 || u[2] == 0xa9) ? 3 : 0;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Results and errors                                                  */
/* ------------------------------------------------------------------ */

/* Where byte idx of the logical line, one of the run's, came from. */
static srcpos
run_pos(const pos_run *run, size_t idx)
{
	if (run->fixed)
		return run->at;
	return (srcpos){ run->at.line, run->at.offset + (idx - run->from) };
}

/* Where byte idx of a logical line came from. */
static srcpos
lg_pos(const logical *lg, size_t idx)
{
	size_t r = lg->n_runs;

	while (r > 1 && lg->runs[r - 1].from > idx)
		r--;
	if (r == 0)
		return (srcpos){ 0, 0 };
	return run_pos(&lg->runs[r - 1], idx);
}

static unsigned
column_at(const reqfile_impl *rf, srcpos p)
{
	if (p.line == 0 || p.line > rf->n_physical)
		return 1;
	return pep508_column(rf->physical[p.line - 1], p.offset);
}

static void add_error(reqfile_impl *rf, atlas_status status, unsigned line,
    unsigned column, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
add_error(reqfile_impl *rf, atlas_status status, unsigned line,
    unsigned column, const char *fmt, ...)
{
	atlas_error *e;
	va_list ap;

	if (rf->pub.n_errors == rf->cap_errors) {
		size_t cap = rf->cap_errors ? rf->cap_errors * 2 : 8;
		atlas_error *grown = realloc(rf->pub.errors, cap * sizeof *grown);
		if (grown == NULL) {
			rf->failed = true;
			return;
		}
		rf->pub.errors = grown;
		rf->cap_errors = cap;
	}
	e = &rf->pub.errors[rf->pub.n_errors++];
	atlas_error_set(e, status, rf->pub.path, line, column, "%s", "");
	va_start(ap, fmt);
	vsnprintf(e->message, sizeof e->message, fmt, ap);
	va_end(ap);
}

/* Where byte idx of a logical line came from; past the end, the columns
 * after its last character. */
static void
where(const reqfile_impl *rf, const logical *lg, size_t idx, unsigned *line,
    unsigned *column)
{
	if (idx < lg->len) {
		srcpos at = lg_pos(lg, idx);
		*line = at.line;
		*column = column_at(rf, at);
		return;
	}
	srcpos last = lg_pos(lg, lg->len - 1);
	*line = last.line;
	*column = column_at(rf, last) + (unsigned)(idx - lg->len + 1);
}

static void error_at(parser *p, const logical *lg, size_t idx,
    atlas_status status, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
error_at(parser *p, const logical *lg, size_t idx, atlas_status status,
    const char *fmt, ...)
{
	char message[ATLAS_ERROR_MESSAGE_MAX];
	unsigned line, column;
	va_list ap;

	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	where(p->rf, lg, idx, &line, &column);
	add_error(p->rf, status, line, column, "%s", message);
}

/* A new, zeroed line at the end of the result, or NULL. */
static atlas_reqline *
new_reqline(reqfile_impl *rf)
{
	if (rf->pub.n_lines == rf->cap_lines) {
		size_t cap = rf->cap_lines ? rf->cap_lines * 2 : 16;
		atlas_reqline *lines = realloc(rf->pub.lines, cap * sizeof *lines);
		if (lines == NULL) {
			rf->failed = true;
			return NULL;
		}
		rf->pub.lines = lines;
		hash_where **at = realloc(rf->hashes_at, cap * sizeof *at);
		if (at == NULL) {
			rf->failed = true;
			return NULL;
		}
		rf->hashes_at = at;
		size_t *hashes = realloc(rf->name_hashes, cap * sizeof *hashes);
		if (hashes == NULL) {
			rf->failed = true;
			return NULL;
		}
		rf->name_hashes = hashes;
		rf->cap_lines = cap;
	}
	rf->hashes_at[rf->pub.n_lines] = NULL;
	rf->name_hashes[rf->pub.n_lines] = 0;
	atlas_reqline *l = &rf->pub.lines[rf->pub.n_lines++];
	memset(l, 0, sizeof *l);
	return l;
}

/* ------------------------------------------------------------------ */
/* Logical lines                                                       */
/* ------------------------------------------------------------------ */

static void
lg_reserve(logical *lg, size_t extra)
{
	if (lg->failed || lg->len + extra + 1 <= lg->cap)
		return;
	size_t cap = lg->cap ? lg->cap : 64;
	while (cap < lg->len + extra + 1)
		cap *= 2;
	char *text = realloc(lg->text, cap);
	if (text == NULL) {
		lg->failed = true;
		return;
	}
	lg->text = text;
	lg->cap = cap;
}

/* Start a run at byte `from` of the line. */
static void
lg_push_run(logical *lg, size_t from, srcpos at, bool fixed)
{
	if (lg->failed)
		return;
	if (lg->n_runs == lg->cap_runs) {
		size_t cap = lg->cap_runs ? lg->cap_runs * 2 : 8;
		pos_run *runs = realloc(lg->runs, cap * sizeof *runs);
		if (runs == NULL) {
			lg->failed = true;
			return;
		}
		lg->runs = runs;
		lg->cap_runs = cap;
	}
	lg->runs[lg->n_runs++] = (pos_run){ from, at, fixed };
}

/* Append n bytes whose places start at `at`: one place for them all when
 * fixed (an expanded ${NAME}), else one a byte from there. */
static void
lg_append_run(logical *lg, const char *s, size_t n, srcpos at, bool fixed)
{
	lg_reserve(lg, n);
	lg_push_run(lg, lg->len, at, fixed);
	if (lg->failed)
		return;
	memcpy(lg->text + lg->len, s, n);
	lg->len += n;
	lg->text[lg->len] = '\0';
}

/* Append n bytes that come from physical line `line` at offset. */
static void
lg_append(logical *lg, const char *s, size_t n, unsigned line, size_t offset)
{
	lg_append_run(lg, s, n, (srcpos){ line, offset }, false);
}

/* Append n bytes that all stand for one place (an expanded ${NAME}). */
static void
lg_append_at(logical *lg, const char *s, size_t n, srcpos at)
{
	lg_append_run(lg, s, n, at, true);
}

/* Append bytes [from, to) of another logical line, with their places. */
static void
lg_append_span(logical *lg, const logical *in, size_t from, size_t to)
{
	size_t n = to - from;

	lg_reserve(lg, n);
	for (size_t r = 0; r < in->n_runs && !lg->failed; r++) {
		size_t start = in->runs[r].from > from ? in->runs[r].from : from;
		size_t end = r + 1 < in->n_runs ? in->runs[r + 1].from : in->len;
		if (start >= to || end <= from || start >= end)
			continue;
		lg_push_run(lg, lg->len + (start - from), run_pos(&in->runs[r], start),
		    in->runs[r].fixed);
	}
	if (lg->failed)
		return;
	memcpy(lg->text + lg->len, in->text + from, n);
	lg->len += n;
	lg->text[lg->len] = '\0';
}

static void
lg_clear(logical *lg)
{
	lg->len = 0;
	lg->n_runs = 0;
	lg->unexpanded = false;
	if (lg->text != NULL)
		lg->text[0] = '\0';
}

static void
lg_free(logical *lg)
{
	free(lg->text);
	free(lg->runs);
	memset(lg, 0, sizeof *lg);
}

/* Keep bytes [from, to) only. */
static void
lg_slice(logical *lg, size_t from, size_t to)
{
	size_t kept = 0;

	/* Runs are rewritten in order, each from itself, so in place. */
	for (size_t r = 0; r < lg->n_runs; r++) {
		size_t start = lg->runs[r].from > from ? lg->runs[r].from : from;
		size_t end = r + 1 < lg->n_runs ? lg->runs[r + 1].from : lg->len;
		if (start >= to || end <= from || start >= end)
			continue;
		srcpos at = run_pos(&lg->runs[r], start);
		lg->runs[kept++] = (pos_run){ start - from, at, lg->runs[r].fixed };
	}
	lg->n_runs = kept;
	memmove(lg->text, lg->text + from, to - from);
	lg->len = to - from;
	lg->text[lg->len] = '\0';
}

/* ------------------------------------------------------------------ */
/* Options, as optparse parses them for pip                            */
/* ------------------------------------------------------------------ */

typedef enum opt_role {
	ROLE_GLOBAL,		/* applies to the whole install */
	ROLE_FORMAT,		/* --no-binary, --only-binary: names or :all: */
	ROLE_INCLUDE,		/* -r */
	ROLE_CONSTRAINT,	/* -c */
	ROLE_EDITABLE,		/* -e */
	ROLE_HASH,		/* --hash, per requirement */
	ROLE_CONFIG,		/* --config-settings, per requirement */
	ROLE_PER_REQ		/* --global-option, per requirement */
} opt_role;

typedef struct optdef {
	const char *name;	/* the long spelling matched */
	const char *canonical;	/* the name reported */
	char short_name;
	bool takes_value;
	opt_role role;
	const char *metavar;	/* what the value is, for messages */
} optdef;

/*
 * pip's SUPPORTED_OPTIONS and SUPPORTED_OPTIONS_REQ, plus -Z/--always-unzip,
 * which old pip accepted and old files still carry.  --use-feature takes
 * any value here: its valid values change with every pip release.
 */
static const optdef optdefs[] = {
	{ "--always-unzip", "--always-unzip", 'Z', false, ROLE_GLOBAL, NULL },
	{ "--config-settings", "--config-settings", 'C', true, ROLE_CONFIG, "KEY=VALUE" },
	{ "--constraint", "--constraint", 'c', true, ROLE_CONSTRAINT, "FILE" },
	{ "--editable", "--editable", 'e', true, ROLE_EDITABLE, "PATH-OR-URL" },
	{ "--extra-index-url", "--extra-index-url", 0, true, ROLE_GLOBAL, "URL" },
	{ "--find-links", "--find-links", 'f', true, ROLE_GLOBAL, "URL" },
	{ "--global-option", "--global-option", 0, true, ROLE_PER_REQ, "OPTION" },
	{ "--hash", "--hash", 0, true, ROLE_HASH, "ALGORITHM:DIGEST" },
	{ "--index-url", "--index-url", 'i', true, ROLE_GLOBAL, "URL" },
	{ "--no-binary", "--no-binary", 0, true, ROLE_FORMAT, "NAMES" },
	{ "--no-index", "--no-index", 0, false, ROLE_GLOBAL, NULL },
	{ "--only-binary", "--only-binary", 0, true, ROLE_FORMAT, "NAMES" },
	{ "--pre", "--pre", 0, false, ROLE_GLOBAL, NULL },
	{ "--prefer-binary", "--prefer-binary", 0, false, ROLE_GLOBAL, NULL },
	{ "--pypi-url", "--index-url", 0, true, ROLE_GLOBAL, "URL" },
	{ "--require-hashes", "--require-hashes", 0, false, ROLE_GLOBAL, NULL },
	{ "--requirement", "--requirement", 'r', true, ROLE_INCLUDE, "FILE" },
	{ "--trusted-host", "--trusted-host", 0, true, ROLE_GLOBAL, "HOST" },
	{ "--use-feature", "--use-feature", 0, true, ROLE_GLOBAL, "FEATURE" },
};
#define N_OPTDEFS (sizeof optdefs / sizeof optdefs[0])

#define KNOWN_OPTIONS "-r, -c, -e, -i, -f, --extra-index-url, --no-index, " \
	"--pre, --hash, ..."

/* A token of the options part: its text and where it started. */
typedef struct token {
	char *text;
	size_t at;
} token;

/* One option found on a line. */
typedef struct found_opt {
	const optdef *def;
	const char *value;	/* points into a token; NULL for a flag */
	size_t at;		/* the option's index in the logical line */
	size_t value_at;	/* the value's index */
} found_opt;

static void
free_tokens(token *tokens, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(tokens[i].text);
	free(tokens);
}

/* Tokens are scratch, freed with their line: they come from malloc, not
 * from the file's arena, which keeps only what the result points to. */
static bool
push_token(token **tokens, size_t *n, size_t *cap, buf *b, size_t at)
{
	char *text;

	if (b->failed || (text = malloc(b->len + 1)) == NULL)
		return false;
	memcpy(text, b->data ? b->data : "", b->len);
	text[b->len] = '\0';
	b->len = 0;
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 8;
		token *grown = realloc(*tokens, c * sizeof *grown);
		if (grown == NULL) {
			free(text);
			return false;
		}
		*tokens = grown;
		*cap = c;
	}
	(*tokens)[(*n)++] = (token){ text, at };
	return true;
}

static bool
is_shlex_space(int c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/* What ends a plain run of a word: white space, a quote, a backslash. */
static const bool shlex_special[256] = {
	[' '] = true, ['\t'] = true, ['\r'] = true, ['\n'] = true,
	['\''] = true, ['"'] = true, ['\\'] = true,
};

/*
 * Split text[from, len) as shlex.split does in POSIX mode: quotes,
 * backslash escapes (in double quotes only before '"' and '\'), no
 * comments.  Returns false with *err_at and *err_msg on a shlex error,
 * or with *err_msg NULL when out of memory.
 */
static bool
shlex_split(const logical *lg, size_t from, token **out, size_t *n_out,
    size_t *err_at, const char **err_msg)
{
	enum { SPACE, WORD, SQUOTE, DQUOTE, ESCAPE } state = SPACE, escaped_from = WORD;
	token *tokens = NULL;
	size_t n = 0, cap = 0, start = 0, mark = 0;
	buf b;

	buf_init_scratch(&b);
	/* No token is longer than the options: one allocation for all. */
	buf_reserve_more(&b, lg->len - from);
	*err_msg = NULL;
	for (size_t i = from;; i++) {
		int c = i < lg->len ? (unsigned char)lg->text[i] : -1;
		switch (state) {
		case SPACE:
			if (c < 0)
				goto done;
			if (is_shlex_space(c))
				break;
			start = i;
			if (c == '\\') {
				escaped_from = WORD;
				state = ESCAPE;
				mark = i;
			} else if (c == '\'' || c == '"') {
				state = c == '\'' ? SQUOTE : DQUOTE;
				mark = i;
			} else {
				buf_putc(&b, (char)c);
				state = WORD;
			}
			break;
		case WORD:
			if (c < 0 || is_shlex_space(c)) {
				if (!push_token(&tokens, &n, &cap, &b, start))
					goto nomem;
				if (c < 0)
					goto done;
				state = SPACE;
			} else if (c == '\'' || c == '"') {
				state = c == '\'' ? SQUOTE : DQUOTE;
				mark = i;
			} else if (c == '\\') {
				escaped_from = WORD;
				state = ESCAPE;
				mark = i;
			} else {
				/* The rest of a plain run at once. */
				size_t end = i + 1;
				while (end < lg->len && !shlex_special[(unsigned char)lg->text[end]])
					end++;
				buf_append(&b, lg->text + i, end - i);
				i = end - 1;
			}
			break;
		case SQUOTE:
		case DQUOTE:
			if (c < 0) {
				*err_at = mark;
				*err_msg = state == SQUOTE ?
				    "unterminated quote: expected a closing '" :
				    "unterminated quote: expected a closing \"";
				goto fail;
			}
			if (c == (state == SQUOTE ? '\'' : '"'))
				state = WORD;
			else if (c == '\\' && state == DQUOTE) {
				escaped_from = DQUOTE;
				state = ESCAPE;
				mark = i;
			} else
				buf_putc(&b, (char)c);
			break;
		case ESCAPE:
			if (c < 0) {
				*err_at = mark;
				*err_msg = "a backslash at the end of the options "
				    "has nothing to escape";
				goto fail;
			}
			if (escaped_from == DQUOTE && c != '\\' && c != '"')
				buf_putc(&b, '\\');
			buf_putc(&b, (char)c);
			state = escaped_from;
			break;
		}
	}
done:
	buf_free(&b);
	*out = tokens;
	*n_out = n;
	return true;
nomem:
	*err_msg = NULL;
fail:
	buf_free(&b);
	free_tokens(tokens, n);
	return false;
}

/* The option a long spelling means: exact, or a unique prefix, as
 * optparse allows.  *ambiguous is set when several match. */
static const optdef *
match_long(const char *name, size_t len, bool *ambiguous, char *choices,
    size_t choices_size)
{
	const optdef *found = NULL;
	size_t matches = 0;

	*ambiguous = false;
	/* Every long name starts with "--": its third byte rules out most
	 * of them before a comparison. */
	for (size_t i = 0; i < N_OPTDEFS; i++)
		if ((len < 3 || optdefs[i].name[2] == name[2]) &&
		    strncmp(optdefs[i].name, name, len) == 0 && optdefs[i].name[len] == '\0')
			return &optdefs[i];
	choices[0] = '\0';
	for (size_t i = 0; i < N_OPTDEFS; i++) {
		if (strncmp(optdefs[i].name, name, len) != 0)
			continue;
		found = &optdefs[i];
		size_t used = strlen(choices);
		snprintf(choices + used, choices_size - used, "%s%s",
		    matches ? ", " : "", optdefs[i].name);
		matches++;
	}
	if (matches > 1) {
		*ambiguous = true;
		return NULL;
	}
	return found;
}

static const optdef *
match_short(char c)
{
	for (size_t i = 0; i < N_OPTDEFS; i++)
		if (optdefs[i].short_name == c)
			return &optdefs[i];
	return NULL;
}

/* Check an option's value as pip's callbacks do; false after reporting. */
static bool
check_value(parser *p, const logical *lg, const found_opt *o)
{
	const char *v = o->value;

	switch (o->def->role) {
	case ROLE_HASH: {
		const char *colon = strchr(v, ':');
		if (colon == NULL) {
			error_at(p, lg, o->value_at, ATLAS_ERR_SYNTAX,
			    "--hash needs ALGORITHM:DIGEST, e.g. --hash=sha256:<64 hex digits>, not '%s'", v);
			return false;
		}
		size_t n = (size_t)(colon - v);
		if (!((n == 6 && strncmp(v, "sha256", 6) == 0) ||
		    (n == 6 && strncmp(v, "sha384", 6) == 0) ||
		    (n == 6 && strncmp(v, "sha512", 6) == 0))) {
			error_at(p, lg, o->value_at, ATLAS_ERR_SYNTAX,
			    "hash algorithm '%.*s' is not allowed: expected sha256, sha384 or sha512",
			    (int)(n > 64 ? 64 : n), v);
			return false;
		}
		return true;
	}
	case ROLE_CONFIG:
		if (strchr(v, '=') == NULL) {
			error_at(p, lg, o->value_at, ATLAS_ERR_SYNTAX,
			    "%s needs KEY=VALUE, not '%s'", o->def->canonical, v);
			return false;
		}
		return true;
	case ROLE_FORMAT:
		if (v[0] == '-') {
			error_at(p, lg, o->at, ATLAS_ERR_SYNTAX,
			    "%s needs a value: expected :all:, :none: or package names separated by commas",
			    o->def->canonical);
			return false;
		}
		return true;
	default:
		return true;
	}
}

static bool
push_found(found_opt **found, size_t *n, size_t *cap, found_opt o)
{
	if (*n == *cap) {
		size_t c = *cap ? *cap * 2 : 4;
		found_opt *grown = realloc(*found, c * sizeof *grown);
		if (grown == NULL)
			return false;
		*found = grown;
		*cap = c;
	}
	(*found)[(*n)++] = o;
	return true;
}

/*
 * Parse the option tokens as optparse does.  Arguments that are not
 * options are skipped, as pip ignores them; "--" ends the options.
 * Returns false after reporting an error (or on allocation failure,
 * which sets rf->failed).
 */
static bool
parse_options(parser *p, const logical *lg, const token *tokens, size_t n,
    found_opt **found_out, size_t *n_found)
{
	found_opt *found = NULL;
	size_t nf = 0, cap = 0;
	char choices[256];

	for (size_t t = 0; t < n; t++) {
		const char *a = tokens[t].text;
		if (strcmp(a, "--") == 0)
			break;
		if (a[0] == '-' && a[1] == '-') {
			const char *eq = strchr(a, '=');
			size_t len = eq ? (size_t)(eq - a) : strlen(a);
			bool ambiguous;
			const optdef *def = match_long(a, len, &ambiguous, choices, sizeof choices);
			if (def == NULL && ambiguous) {
				error_at(p, lg, tokens[t].at, ATLAS_ERR_SYNTAX,
				    "ambiguous option '%.*s': could be %s", (int)(len > 64 ? 64 : len), a, choices);
				goto fail;
			}
			if (def == NULL) {
				error_at(p, lg, tokens[t].at, REQFILE_UNKNOWN_OPTION,
				    "unknown option '%.*s': expected a requirement or one of pip's requirement-file options (" KNOWN_OPTIONS ")",
				    (int)(len > 64 ? 64 : len), a);
				goto fail;
			}
			found_opt o = { def, NULL, tokens[t].at, tokens[t].at };
			if (def->takes_value) {
				if (eq != NULL) {
					o.value = eq + 1;
					o.value_at = tokens[t].at + (size_t)(eq - a) + 1;
				} else if (t + 1 < n) {
					t++;
					o.value = tokens[t].text;
					o.value_at = tokens[t].at;
				} else {
					error_at(p, lg, tokens[t].at, ATLAS_ERR_SYNTAX,
					    "option %s needs a value: expected %s %s",
					    def->canonical, def->canonical, def->metavar);
					goto fail;
				}
			} else if (eq != NULL) {
				error_at(p, lg, tokens[t].at, ATLAS_ERR_SYNTAX,
				    "option %s takes no value", def->canonical);
				goto fail;
			}
			if (!check_value(p, lg, &o))
				goto fail;
			if (!push_found(&found, &nf, &cap, o))
				goto nomem;
		} else if (a[0] == '-' && a[1] != '\0') {
			for (size_t j = 1; a[j] != '\0'; j++) {
				const optdef *def = match_short(a[j]);
				if (def == NULL) {
					error_at(p, lg, tokens[t].at, REQFILE_UNKNOWN_OPTION,
					    "unknown option '-%c': expected a requirement or one of pip's requirement-file options (" KNOWN_OPTIONS ")",
					    a[j]);
					goto fail;
				}
				found_opt o = { def, NULL, tokens[t].at, tokens[t].at };
				bool last = false;
				if (def->takes_value) {
					last = true;
					if (a[j + 1] != '\0') {
						o.value = a + j + 1;
						o.value_at = tokens[t].at + j + 1;
					} else if (t + 1 < n) {
						o.value = tokens[t + 1].text;
						o.value_at = tokens[t + 1].at;
					} else {
						error_at(p, lg, tokens[t].at, ATLAS_ERR_SYNTAX,
						    "option -%c needs a value: expected -%c %s",
						    a[j], a[j], def->metavar);
						goto fail;
					}
				}
				if (!check_value(p, lg, &o))
					goto fail;
				if (!push_found(&found, &nf, &cap, o))
					goto nomem;
				if (last) {
					if (a[j + 1] == '\0')
						t++;
					break;
				}
			}
		}
		/* Anything else is an argument that pip's optparse collects
		 * and then ignores. */
	}
	*found_out = found;
	*n_found = nf;
	return true;
nomem:
	p->rf->failed = true;
fail:
	free(found);
	return false;
}

/* ------------------------------------------------------------------ */
/* Requirements, as pip's install_req_from_line tells them apart      */
/* ------------------------------------------------------------------ */

/* pip's is_url: a scheme pip downloads from, or a VCS scheme. */
static bool
is_url(const char *s, size_t n)
{
	static const char *const schemes[] = {
		"http", "https", "file", "ftp",
		"bzr+http", "bzr+https", "bzr+ssh", "bzr+sftp", "bzr+ftp",
		"bzr+lp", "bzr+file",
		"git+http", "git+https", "git+ssh", "git+git", "git+file",
		"hg+file", "hg+http", "hg+https", "hg+ssh", "hg+static-http",
		"svn+ssh", "svn+http", "svn+https", "svn+svn", "svn+file",
	};
	const char *colon = memchr(s, ':', n);

	if (colon == NULL)
		return false;
	size_t len = (size_t)(colon - s);
	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
		if (strlen(schemes[i]) != len)
			continue;
		size_t k = 0;
		while (k < len && ascii_lower((unsigned char)s[k]) == schemes[i][k])
			k++;
		if (k == len)
			return true;
	}
	return false;
}

static bool
looks_like_path(const char *s, size_t n)
{
	return memchr(s, '/', n) != NULL || (n > 0 && s[0] == '.');
}

/*
 * Whether a path-like text can be a local project pip would install.
 * pip accepts such a path when the directory exists, which only the
 * machine that installs can tell; what holds white space, quotes or a
 * version operator is a broken requirement, not a path, and is parsed
 * as one so that the error says why.
 */
static bool
plausible_path(const char *s, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (strchr("=<>!,'\" \t", s[i]) != NULL || pep508_space_at(s, i) > 0)
			return false;
	return true;
}

/* pip's is_archive_file, after _strip_extras. */
static bool
is_archive(const char *s, size_t n)
{
	static const char *const exts[] = {
		".zip", ".whl", ".tar.bz2", ".tbz", ".tar.xz", ".txz", ".tlz",
		".tar.lz", ".tar.lzma", ".tar.gz", ".tgz", ".tar",
	};

	if (n > 0 && s[n - 1] == ']') {
		const char *open = memchr(s, '[', n);
		if (open != NULL && open != s)
			n = (size_t)(open - s);
	}
	/* Every extension ends in one of these: most requirements end in a
	 * digit of their version and are done here. */
	if (n == 0 || strchr("pl2zar", ascii_lower((unsigned char)s[n - 1])) == NULL)
		return false;
	for (size_t i = 0; i < sizeof exts / sizeof exts[0]; i++) {
		size_t e = strlen(exts[i]);
		if (n <= e || s[n - e - 1] == '/')
			continue;
		size_t k = 0;
		while (k < e && ascii_lower((unsigned char)s[n - e + k]) == exts[i][k])
			k++;
		if (k == e)
			return true;
	}
	return false;
}

/* Python's str.strip() of text[*from, *to). */
static void
strip_range(const char *text, size_t *from, size_t *to)
{
	size_t i = *from, end = *from, k;

	while (i < *to && (k = pep508_space_at(text, i)) > 0)
		i += k;
	*from = i;
	end = i;
	/* An ASCII byte is a character of its own, so trailing ASCII white
	 * space is found from the end; other bytes need the scan below. */
	for (size_t j = *to; j > i && (unsigned char)text[j - 1] < 0x80; j--) {
		if (pep508_space_at(text, j - 1) == 0) {
			*to = j;
			return;
		}
		if (j - 1 == i) {
			*to = i;
			return;
		}
	}
	while (i < *to) {
		if ((k = pep508_space_at(text, i)) > 0)
			i += k;
		else {
			i += char_len(text + i);
			end = i;
		}
	}
	*to = end < *to ? end : *to;
}

/* The name of the first ${NAME} left as written, for a hint. */
static void
first_unexpanded(const char *text, char *name, size_t size)
{
	const char *s = strstr(text, "${");

	name[0] = '\0';
	while (s != NULL) {
		size_t k = 2;
		while ((s[k] >= 'A' && s[k] <= 'Z') || is_ascii_digit((unsigned char)s[k]) || s[k] == '_')
			k++;
		if (k > 2 && s[k] == '}') {
			snprintf(name, size, "%.*s", (int)(k + 1), s);
			return;
		}
		s = strstr(s + 2, "${");
	}
}

/*
 * What pip checks of a URL or file name before anything is fetched: a
 * wheel's file name must be NAME-VERSION(-BUILD)-PYTHON-ABI-PLATFORM.whl,
 * and "#egg=" must name a project.  False after reporting.
 */
static bool
check_link(parser *p, const logical *lg, size_t at, const char *s, size_t n)
{
	size_t end = n, base = 0;

	for (size_t i = 0; i < n; i++) {
		if (s[i] == '#' || (s[i] == '?' && is_url(s, n))) {
			end = i;
			break;
		}
	}
	for (size_t i = 0; i < end; i++)
		if (s[i] == '/')
			base = i + 1;
	if (end - base > 4 && strncmp(s + end - 4, ".whl", 4) == 0) {
		/* pip's wheel_file_re: only the version may be empty, a build
		 * tag starts with a digit, and nothing holds white space. */
		size_t starts[7], parts = 0;
		bool ok = true;
		starts[parts++] = base;
		for (size_t i = base; i < end - 4 && ok; i++) {
			if (s[i] == '-') {
				if (parts == 6)
					ok = false;
				else
					starts[parts++] = i + 1;
			} else if (pep508_space_at(s, i) > 0)
				ok = false;
		}
		starts[parts] = end - 4 + 1;
		ok = ok && (parts == 5 || parts == 6);
		for (size_t k = 0; ok && k < parts; k++)
			if (k != 1 && starts[k + 1] - 1 == starts[k])
				ok = false;
		if (ok && parts == 6 && !is_ascii_digit((unsigned char)s[starts[2]]))
			ok = false;
		if (!ok) {
			error_at(p, lg, at + base, ATLAS_ERR_SYNTAX,
			    "'%.*s' is not a valid wheel file name: expected NAME-VERSION-PYTHON-ABI-PLATFORM.whl",
			    (int)(end - base > 200 ? 200 : end - base), s + base);
			return false;
		}
	}
	for (size_t i = end; i + 5 <= n; i++) {
		if ((s[i] == '#' || s[i] == '&') && strncmp(s + i + 1, "egg=", 4) == 0) {
			size_t from = i + 5, to = from;
			while (to < n && s[to] != '&')
				to++;
			char *egg = scratch_strndup(s + from, to - from);
			if (egg == NULL) {
				p->rf->failed = true;
				return false;
			}
			atlas_req *req = to > from ? atlas_req_parse(egg, NULL) : NULL;
			if (req == NULL && to > from)
				error_at(p, lg, at + from, ATLAS_ERR_SYNTAX,
				    "#egg= needs a project name, not '%s'", egg);
			atlas_req_free(req);
			free(egg);
			if (req == NULL && to > from)
				return false;
			break;
		}
	}
	return true;
}

/*
 * The requirement part of a line, [0, len): a PEP 508 requirement, or a
 * local path or URL.  Like pip, markers are cut off at the first ';'
 * (at the first "; " after a URL) and parsed on their own.
 */
static void
handle_requirement(parser *p, logical *lg, size_t len,
    const found_opt *found, size_t n_found)
{
	char *text = lg->text;
	bool url = is_url(text, len);
	size_t name_to = len, marker_from = len;
	atlas_marker *marker = NULL;
	atlas_req *req = NULL;
	atlas_error e;
	atlas_line_kind kind;

	error_clear(&e);
	for (const char *semi = memchr(text, ';', len); semi != NULL;
	    semi = memchr(semi + 1, ';', len - (size_t)(semi - text) - 1)) {
		size_t i = (size_t)(semi - text);
		if (!url || (i + 1 < len && text[i + 1] == ' ')) {
			name_to = i;
			marker_from = i + (url ? 2 : 1);
			break;
		}
	}
	size_t name_from = 0, mfrom = marker_from, mto = len;
	strip_range(text, &name_from, &name_to);
	strip_range(text, &mfrom, &mto);
	if (mfrom < mto) {
		char *mtext = scratch_strndup(text + mfrom, mto - mfrom);
		if (mtext == NULL) {
			p->rf->failed = true;
			return;
		}
		marker = atlas_marker_parse(mtext, &e);
		if (marker == NULL) {
			if (e.status == ATLAS_ERR_NOMEM)
				p->rf->failed = true;
			else
				error_at(p, lg, mfrom + column_to_offset(mtext, e.column ? e.column : 1),
				    ATLAS_ERR_SYNTAX, "invalid environment marker: %s", e.message);
			free(mtext);
			return;
		}
		free(mtext);
	}

	const char *name = text + name_from;
	size_t name_len = name_to - name_from;
	const char *at = memchr(name, '@', name_len);
	bool pep508_url = at != NULL && !looks_like_path(name, (size_t)(at - name));
	if (name_len == 0) {
		/* Only a marker: pip parses "" as a requirement and fails. */
		error_at(p, lg, 0, ATLAS_ERR_SYNTAX,
		    "invalid requirement: expected a package name before ';'");
		atlas_marker_free(marker);
		return;
	}
	if (is_url(name, name_len) || (is_archive(name, name_len) && !pep508_url) ||
	    (!pep508_url && looks_like_path(name, name_len) && plausible_path(name, name_len))) {
		if (!check_link(p, lg, name_from, name, name_len)) {
			atlas_marker_free(marker);
			return;
		}
		kind = ATLAS_LINE_PATH;
		atlas_marker_free(marker);
		marker = NULL;
	} else {
		kind = ATLAS_LINE_REQUIREMENT;
		/* The requirement is parsed where it stands, ended for the
		 * while by a NUL over the byte after it, instead of copied. */
		char *rtext = text + name_from, saved = text[name_to];
		text[name_to] = '\0';
		req = atlas_req_parse(rtext, &e);
		if (req == NULL) {
			char var[80];
			atlas_marker_free(marker);
			if (e.status == ATLAS_ERR_NOMEM) {
				p->rf->failed = true;
				text[name_to] = saved;
				return;
			}
			var[0] = '\0';
			if (lg->unexpanded)
				first_unexpanded(rtext, var, sizeof var);
			error_at(p, lg, name_from + column_to_offset(rtext, e.column ? e.column : 1),
			    ATLAS_ERR_SYNTAX, "invalid requirement: %s%s%s%s", e.message,
			    var[0] ? " (" : "", var, var[0] ? " is not set, so it was left as written)" : "");
			text[name_to] = saved;
			return;
		}
		text[name_to] = saved;
		if (marker != NULL) {
			atlas_marker_free(req->marker);
			req->marker = marker;
			marker = NULL;
		}
	}

	atlas_reqline *l = new_reqline(p->rf);
	if (l == NULL) {
		atlas_req_free(req);
		return;
	}
	size_t index = p->rf->pub.n_lines - 1;
	l->kind = kind;
	/* Where the text starts: normally the first physical line, but a
	 * line of only a backslash before it would leave the column on
	 * another line than the line number. */
	srcpos first = lg_pos(lg, 0);
	l->line = first.line;
	l->column = column_at(p->rf, first);
	l->req = req;
	if (req != NULL)
		p->rf->name_hashes[index] = name_hash(req->canonical_name);
	l->text = atlas_strndup_internal(lg->text, lg->len);
	if (kind == ATLAS_LINE_PATH)
		l->value = atlas_strndup_internal(name, name_len);
	if (l->text == NULL || (kind == ATLAS_LINE_PATH && l->value == NULL))
		p->rf->failed = true;

	size_t n_hashes = 0;
	for (size_t i = 0; i < n_found; i++)
		if (found[i].def->role == ROLE_HASH)
			n_hashes++;
	if (n_hashes == 0)
		return;
	l->hashes = mem_calloc(n_hashes, sizeof *l->hashes);
	p->rf->hashes_at[index] = mem_calloc(n_hashes, sizeof *p->rf->hashes_at[index]);
	if (l->hashes == NULL || p->rf->hashes_at[index] == NULL) {
		p->rf->failed = true;
		return;
	}
	for (size_t i = 0; i < n_found; i++) {
		if (found[i].def->role != ROLE_HASH)
			continue;
		hash_where *hw = &p->rf->hashes_at[index][l->n_hashes];
		size_t value_at = found[i].value_at;
		/* As where() sees it. */
		hw->at = lg_pos(lg, value_at < lg->len ? value_at : lg->len - 1);
		hw->past = value_at < lg->len ? 0 : (unsigned)(value_at - lg->len + 1);
		l->hashes[l->n_hashes] = atlas_strdup_internal(found[i].value);
		if (l->hashes[l->n_hashes++] == NULL)
			p->rf->failed = true;
	}
}

/*
 * pip installs an editable from a local directory or a VCS URL (its
 * scheme spelled "git+https:", or "git:" which pip rewrites); any other
 * URL is rejected.  Whether a directory exists is the installing
 * machine's business.
 */
static bool
editable_target_ok(const char *value)
{
	static const char *const vcs[] = { "git", "hg", "svn", "bzr" };
	size_t n = 0;

	while (is_ascii_alnum((unsigned char)value[n]) || value[n] == '+' ||
	    value[n] == '-' || value[n] == '.')
		n++;
	/* No scheme, or one letter: a path (perhaps "C:\\..."). */
	if (value[n] != ':' || n < 2 || !is_ascii_alpha((unsigned char)value[0]))
		return true;
	if (n == 4 && strncmp(value, "file", 4) == 0)
		return true;
	for (size_t i = 0; i < sizeof vcs / sizeof vcs[0]; i++) {
		size_t k = strlen(vcs[i]);
		if (n >= k && strncmp(value, vcs[i], k) == 0 && (n == k || value[k] == '+'))
			return true;
	}
	return false;
}

/* One line of a kind other than a requirement, for option o. */
static void
emit_option_line(parser *p, const logical *lg, atlas_line_kind kind,
    const found_opt *o)
{
	atlas_reqline *l = new_reqline(p->rf);
	unsigned line, column;

	if (l == NULL)
		return;
	where(p->rf, lg, o->at, &line, &column);
	l->kind = kind;
	l->line = line;
	l->column = column;
	l->text = atlas_strndup_internal(lg->text, lg->len);
	l->option = atlas_strdup_internal(o->def->canonical);
	if (o->value != NULL)
		l->value = atlas_strdup_internal(o->value);
	if (l->text == NULL || l->option == NULL || (o->value != NULL && l->value == NULL))
		p->rf->failed = true;
}

/* ------------------------------------------------------------------ */
/* One logical line                                                    */
/* ------------------------------------------------------------------ */

/* Stage 3: cut a comment, a '#' at the start or after white space. */
static void
cut_comment(logical *lg)
{
	bool after_space = true;
	const char *hash = memchr(lg->text, '#', lg->len);

	/* Most lines are decided by their '#' bytes alone: none, or each
	 * after an ASCII byte, which is always a character of its own.  A
	 * '#' after another byte is left to the scan below. */
	while (hash != NULL) {
		size_t i = (size_t)(hash - lg->text);
		if (i > 0 && (unsigned char)lg->text[i - 1] >= 0x80)
			break;
		if (i == 0 || pep508_space_at(lg->text, i - 1) > 0) {
			lg->len = i;
			lg->text[i] = '\0';
			return;
		}
		hash = memchr(hash + 1, '#', lg->len - i - 1);
	}
	if (hash == NULL)
		return;
	for (size_t i = 0; i < lg->len;) {
		if (lg->text[i] == '#' && after_space) {
			lg->len = i;
			lg->text[i] = '\0';
			return;
		}
		size_t k = pep508_space_at(lg->text, i);
		after_space = k > 0;
		i += k > 0 ? k : char_len(lg->text + i);
	}
}

static bool
is_var_char(int c)
{
	return (c >= 'A' && c <= 'Z') || is_ascii_digit(c) || c == '_';
}

/* Stage 5: expand ${NAME} into out. */
static void
expand_variables(parser *p, const logical *in, logical *out)
{
	lg_clear(out);
	for (size_t i = 0; i < in->len;) {
		if (in->text[i] == '$' && in->text[i + 1] == '{') {
			size_t k = i + 2;
			while (k < in->len && is_var_char((unsigned char)in->text[k]))
				k++;
			if (k > i + 2 && k < in->len && in->text[k] == '}') {
				char *name = scratch_strndup(in->text + i + 2, k - i - 2);
				const char *value = NULL;
				if (name == NULL) {
					out->failed = true;
					return;
				}
				/* The callback is the caller's code: what it makes
				 * must not come from this file's arena. */
				arena *ours = arena_enter(NULL);
				value = p->getenv_fn ? p->getenv_fn(name, p->ctx) : getenv(name);
				arena_enter(ours);
				free(name);
				if (value != NULL && value[0] != '\0') {
					lg_append_at(out, value, strlen(value), lg_pos(in, i));
				} else {
					/* pip leaves an unset or empty variable as written. */
					out->unexpanded = true;
					lg_append_span(out, in, i, k + 1);
				}
				i = k + 1;
				continue;
			}
		}
		/* Up to the next '$' nothing changes. */
		const char *dollar = memchr(in->text + i + 1, '$', in->len - i - 1);
		size_t next = dollar ? (size_t)(dollar - in->text) : in->len;
		lg_append_span(out, in, i, next);
		i = next;
	}
}

static void
process_logical(parser *p, logical *lg, logical *expanded)
{
	reqfile_impl *rf = p->rf;
	token *tokens = NULL;
	found_opt *found = NULL;
	size_t n_tokens = 0, n_found = 0, k, args_len;

	cut_comment(lg);
	size_t from = 0, to = lg->len;
	strip_range(lg->text, &from, &to);
	if (from >= to)
		return;
	lg_slice(lg, from, to);
	/* Without a '$' there is nothing to expand, and nothing to copy. */
	if (memchr(lg->text, '$', lg->len) != NULL) {
		expand_variables(p, lg, expanded);
		if (expanded->failed) {
			rf->failed = true;
			return;
		}
		lg = expanded;
	}

	/* A NUL byte cannot be part of a requirement; where it survived
	 * comment removal, the line is rejected. */
	if (p->any_nul) {
		for (size_t i = 0; i < lg->len; i++) {
			srcpos sp = lg_pos(lg, i);
			if (p->raw[p->start[sp.line - 1] + sp.offset] == '\0' && lg->text[i] == '?') {
				error_at(p, lg, i, ATLAS_ERR_SYNTAX,
				    "NUL byte in a requirement line: requirement files are text");
				return;
			}
		}
	}

	/* Stage 6: the first token (split at single spaces) that starts
	 * with '-' starts the options. */
	for (k = 0; k < lg->len; k++) {
		const char *dash = memchr(lg->text + k, '-', lg->len - k);
		if (dash == NULL) {
			k = lg->len;
			break;
		}
		k = (size_t)(dash - lg->text);
		if (k == 0 || lg->text[k - 1] == ' ')
			break;
	}
	args_len = k == 0 ? 0 : k == lg->len ? lg->len : k - 1;

	if (k < lg->len) {
		size_t err_at = 0;
		const char *err_msg = NULL;
		if (!shlex_split(lg, k, &tokens, &n_tokens, &err_at, &err_msg)) {
			if (err_msg == NULL)
				rf->failed = true;
			else
				error_at(p, lg, err_at, ATLAS_ERR_SYNTAX, "%s", err_msg);
			return;
		}
		if (!parse_options(p, lg, tokens, n_tokens, &found, &n_found))
			goto out;
	}

	if (args_len > 0) {
		handle_requirement(p, lg, args_len, found, n_found);
		goto out;
	}
	/* pip's precedence: an editable, else the first include, else the
	 * first constraint, else every option applies. */
	for (atlas_line_kind kind = ATLAS_LINE_EDITABLE;;) {
		opt_role role = kind == ATLAS_LINE_EDITABLE ? ROLE_EDITABLE :
		    kind == ATLAS_LINE_INCLUDE ? ROLE_INCLUDE : ROLE_CONSTRAINT;
		for (size_t i = 0; i < n_found; i++) {
			if (found[i].def->role != role)
				continue;
			if (kind == ATLAS_LINE_EDITABLE && !editable_target_ok(found[i].value))
				error_at(p, lg, found[i].value_at, ATLAS_ERR_SYNTAX,
				    "-e needs a local project path or a VCS URL (git+https://..., hg+https://, svn+https://, bzr+https://), not '%s'",
				    found[i].value);
			else
				emit_option_line(p, lg, kind, &found[i]);
			goto out;
		}
		if (kind == ATLAS_LINE_EDITABLE)
			kind = ATLAS_LINE_INCLUDE;
		else if (kind == ATLAS_LINE_INCLUDE)
			kind = ATLAS_LINE_CONSTRAINT;
		else
			break;
	}
	for (size_t i = 0; i < n_found; i++)
		if (found[i].def->role == ROLE_GLOBAL || found[i].def->role == ROLE_FORMAT)
			emit_option_line(p, lg, ATLAS_LINE_OPTION, &found[i]);
out:
	free(found);
	free_tokens(tokens, n_tokens);
}

/* ------------------------------------------------------------------ */
/* The file                                                            */
/* ------------------------------------------------------------------ */

/* Stage 1: split into physical lines, keep a printable copy of each. */
static bool
split_lines(parser *p, const char *data, size_t len)
{
	reqfile_impl *rf = p->rf;
	size_t n = 0, cap = 16, i = 0, out = 0;

	p->start = malloc(cap * sizeof *p->start);
	size_t *lens = malloc(cap * sizeof *lens);
	if (p->start == NULL || lens == NULL)
		goto nomem;
	while (i < len) {
		size_t s = i, brk = 0;
		/* Skip the bytes that cannot start a line break, then ask. */
		for (;;) {
			/* ASCII from 0x20 up never breaks a line: skip eight
			 * bytes at a time while none is below 0x20 (the lowest
			 * such byte sets its top bit in the subtraction) or
			 * above 0x7f. */
			uint64_t word;
			while (i + 8 <= len && (memcpy(&word, data + i, 8),
			    ((word - 0x2020202020202020ULL) | word) & 0x8080808080808080ULL) == 0)
				i += 8;
			while (i < len && !may_break[(unsigned char)data[i]])
				i++;
			if (i >= len || (brk = line_break_len(data + i, len - i)) > 0)
				break;
			i++;
		}
		if (n == cap) {
			cap *= 2;
			size_t *grown = realloc(p->start, cap * sizeof *grown);
			if (grown == NULL)
				goto nomem;
			p->start = grown;
			grown = realloc(lens, cap * sizeof *grown);
			if (grown == NULL)
				goto nomem;
			lens = grown;
		}
		p->start[n] = s;
		lens[n++] = i - s;
		i += brk;
	}
	/* Every line is at most as long as it was with its break, so the
	 * copies with their NULs fit in len + 1 bytes. */
	rf->physical = malloc((n ? n : 1) * sizeof *rf->physical);
	if (rf->physical == NULL)
		goto nomem;
	/* Lines are moved down over their breaks in a buffer the file may
	 * keep, saving a copy of the whole input; not where a NUL byte is,
	 * as the check for NULs in requirements reads the raw input. */
	if (p->reusable != NULL && memchr(data, '\0', len) == NULL) {
		rf->display = p->reusable;
		p->reusable = NULL;
	} else {
		rf->display = malloc(len + 1);
		if (rf->display == NULL)
			goto nomem;
	}
	for (size_t l = 0; l < n; l++) {
		char *line = rf->display + out;
		rf->physical[l] = line;
		memmove(line, data + p->start[l], lens[l]);
		/* Keep the line printable and its columns true. */
		for (char *nul = memchr(line, '\0', lens[l]); nul != NULL;
		    nul = memchr(nul, '\0', lens[l] - (size_t)(nul - line))) {
			*nul = '?';
			p->any_nul = true;
		}
		out += lens[l];
		rf->display[out++] = '\0';
	}
	rf->n_physical = n;
	p->lens = lens;
	return true;
nomem:
	free(lens);
	return false;
}

/* pip cannot decode a file that is not UTF-8; say where it breaks. */
static void
check_encoding(parser *p)
{
	reqfile_impl *rf = p->rf;

	/* The printable copies of the lines hold the input's bytes but for
	 * NUL, which is valid UTF-8 as '?' is. */
	for (size_t l = 0; l < rf->n_physical; l++) {
		const unsigned char *s = (const unsigned char *)rf->physical[l];
		size_t n = p->lens[l];
		for (size_t i = 0; i < n;) {
			/* ASCII is valid: skip it eight bytes at a time. */
			uint64_t word;
			if (i + 8 <= n && (memcpy(&word, s + i, 8),
			    (word & 0x8080808080808080ULL) == 0)) {
				i += 8;
				continue;
			}
			if (s[i] < 0x80) {
				i++;
				continue;
			}
			size_t k = utf8_valid_len(s + i, n - i);
			if (k == 0) {
				add_error(rf, ATLAS_ERR_SYNTAX, (unsigned)l + 1,
				    pep508_column(rf->physical[l], i),
				    "invalid UTF-8 (byte 0x%02X): requirement files must be UTF-8 text",
				    s[i]);
				break;
			}
			i += k;
		}
	}
}

/* Does physical line s open with a comment (COMMENT_RE.match)? */
static bool
is_comment_line(const char *s)
{
	size_t i = 0, k;

	while ((k = pep508_space_at(s, i)) > 0)
		i += k;
	return s[i] == '#';
}

/* Stage 2: join continuation lines and process each logical line. */
static void
join_and_process(parser *p)
{
	reqfile_impl *rf = p->rf;
	logical lg = { 0 }, expanded = { 0 };
	bool joining = false;

	for (size_t l = 0; l < rf->n_physical && !rf->failed; l++) {
		const char *s = rf->physical[l];
		size_t n = p->lens[l];
		unsigned line = (unsigned)l + 1;
		bool comment = is_comment_line(s);

		if (n == 0 || s[n - 1] != '\\' || comment) {
			if (!joining)
				lg_clear(&lg);
			if (comment)
				/* pip prefixes a space so that the comment is cut
				 * even where it follows a continuation. */
				lg_append(&lg, " ", 1, line, 0);
			lg_append(&lg, s, n, line, 0);
			if (lg.failed)
				break;
			process_logical(p, &lg, &expanded);
			joining = false;
		} else {
			/* str.strip("\\"): backslashes go from both ends. */
			size_t a = 0, b = n;
			while (a < b && s[a] == '\\')
				a++;
			while (b > a && s[b - 1] == '\\')
				b--;
			if (!joining) {
				lg_clear(&lg);
				joining = true;
			}
			lg_append(&lg, s + a, b - a, line, a);
		}
		if (lg.failed)
			rf->failed = true;
	}
	if (joining && !lg.failed && !rf->failed)
		process_logical(p, &lg, &expanded);
	if (lg.failed || expanded.failed)
		rf->failed = true;
	lg_free(&lg);
	lg_free(&expanded);
}

/* atlas_reqfile_parse, which may keep reusable (see parser.reusable) and
 * then sets it to NULL. */
static atlas_reqfile *
parse(const char *path, const char *data, size_t len, char **reusable,
    atlas_getenv_fn getenv_fn, void *ctx, atlas_error *err)
{
	reqfile_impl *rf = calloc(1, sizeof *rf);
	parser p = { 0 };
	arena *previous = NULL;

	if (rf == NULL || (rf->objects = arena_new()) == NULL)
		goto nomem;
	/* Every string and object of a line comes from the file's arena,
	 * freed at once with the file. */
	previous = arena_enter(rf->objects);
	rf->pub.path = atlas_strdup_internal(path ? path : "");
	if (rf->pub.path == NULL)
		goto nomem;
	if (data == NULL)
		len = 0;
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0) {
		data += 3;
		len -= 3;
	}
	p.rf = rf;
	p.raw = data;
	p.reusable = reusable != NULL ? *reusable : NULL;
	p.getenv_fn = getenv_fn;
	p.ctx = ctx;
	if (!split_lines(&p, data ? data : "", len))
		goto nomem;
	check_encoding(&p);
	join_and_process(&p);
	if (rf->failed)
		goto nomem;
	arena_enter(previous);
	free(p.start);
	free(p.lens);
	if (reusable != NULL && p.reusable == NULL)
		*reusable = NULL;
	return &rf->pub;
nomem:
	arena_enter(previous);
	free(p.start);
	free(p.lens);
	if (reusable != NULL && p.reusable == NULL)
		*reusable = NULL;
	atlas_reqfile_free(rf ? &rf->pub : NULL);
	atlas_error_set(err, ATLAS_ERR_NOMEM, path, 0, 0, "out of memory");
	return NULL;
}

atlas_reqfile *
atlas_reqfile_parse(const char *path, const char *data, size_t len,
    atlas_getenv_fn getenv_fn, void *ctx, atlas_error *err)
{
	return parse(path, data, len, NULL, getenv_fn, ctx, err);
}

atlas_reqfile *
atlas_reqfile_load(const char *path, atlas_getenv_fn getenv_fn, void *ctx,
    atlas_error *err)
{
	FILE *f = fopen(path, "rb");
	struct stat st;
	char *data = NULL;
	size_t len = 0, cap = 0, n;

	if (f == NULL) {
		atlas_error_set(err, ATLAS_ERR_IO, path, 0, 0, "cannot read '%s': %s",
		    path, strerror(errno));
		return NULL;
	}
	/* A regular file is read in one go into a buffer of its size; a
	 * pipe or a file that grows is read on in doubling steps. */
	if (fstat(fileno(f), &st) == 0 && S_ISREG(st.st_mode) && st.st_size > 0 &&
	    (unsigned long long)st.st_size < (size_t)-1 / 2)
		cap = (size_t)st.st_size + 1;
	for (;;) {
		if (len == cap) {
			size_t grown_cap = cap ? cap * 2 : 65536;
			char *grown = grown_cap > cap ? realloc(data, grown_cap) : NULL;
			if (grown == NULL) {
				free(data);
				fclose(f);
				atlas_error_set(err, ATLAS_ERR_NOMEM, path, 0, 0, "out of memory");
				return NULL;
			}
			data = grown;
			cap = grown_cap;
		} else if (data == NULL && (data = malloc(cap)) == NULL) {
			fclose(f);
			atlas_error_set(err, ATLAS_ERR_NOMEM, path, 0, 0, "out of memory");
			return NULL;
		}
		n = fread(data + len, 1, cap - len, f);
		len += n;
		if (n == 0)
			break;
	}
	if (ferror(f)) {
		int saved = errno;
		fclose(f);
		free(data);
		atlas_error_set(err, ATLAS_ERR_IO, path, 0, 0, "cannot read '%s': %s",
		    path, strerror(saved));
		return NULL;
	}
	fclose(f);
	/* The file may keep the buffer for its lines when there is room for
	 * a NUL after the input. */
	char *reusable = len < cap ? data : NULL;
	atlas_reqfile *file = parse(path, data ? data : "", len, &reusable,
	    getenv_fn, ctx, err);
	if (reusable != NULL || len >= cap)
		free(data);
	return file;
}

void
atlas_reqfile_free(atlas_reqfile *file)
{
	reqfile_impl *rf = (reqfile_impl *)file;

	if (rf == NULL)
		return;
	/* The lines' strings and objects, and the path, are in the arena. */
	free(rf->pub.lines);
	free(rf->hashes_at);
	free(rf->name_hashes);
	free(rf->pub.errors);
	free(rf->physical);
	free(rf->display);
	arena_destroy(rf->objects);
	free(rf);
}

const char *
atlas_reqfile_line_text(const atlas_reqfile *file, unsigned n)
{
	const reqfile_impl *rf = (const reqfile_impl *)file;

	if (rf == NULL || n == 0 || n > rf->n_physical)
		return NULL;
	return rf->physical[n - 1];
}

bool
reqfile_hash_where(const atlas_reqfile *file, size_t line_index,
    size_t hash_index, unsigned *line, unsigned *column)
{
	const reqfile_impl *rf = (const reqfile_impl *)file;

	if (rf == NULL || line_index >= rf->pub.n_lines ||
	    hash_index >= rf->pub.lines[line_index].n_hashes ||
	    rf->hashes_at[line_index] == NULL)
		return false;
	const hash_where *hw = &rf->hashes_at[line_index][hash_index];
	*line = hw->at.line;
	*column = column_at(rf, hw->at) + hw->past;
	return true;
}

const size_t *
reqfile_name_hashes(const atlas_reqfile *file)
{
	return ((const reqfile_impl *)file)->name_hashes;
}

char *
reqfile_join_include(const char *including, const char *value)
{
	const char *slash = strrchr(including, '/');
	buf b;

	buf_init(&b);
	if (value[0] != '/' && slash != NULL)
		buf_append(&b, including, (size_t)(slash - including) + 1);
	/* Drop "./" steps, which only make the name longer; ".." stays, as
	 * it means something else after a symbolic link. */
	while (value[0] == '.' && value[1] == '/') {
		value += 2;
		while (value[0] == '/')
			value++;
	}
	buf_puts(&b, value);
	return buf_take(&b);
}
