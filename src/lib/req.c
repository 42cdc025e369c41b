/*
 * req.c - PEP 508 requirements, as packaging's Requirement parses and
 * prints them (packaging/_parser.py and requirements.py).
 *
 * The parser follows packaging's recursive descent step by step, so the
 * same strings are accepted and errors carry packaging's messages at the
 * column its caret points to.  The version specifier is found here by the
 * grammar and handed to atlas_spec_parse for its meaning.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

typedef struct reqlexer {
	const char *src;
	size_t pos;
	atlas_error *err;
	/* The specifier list read in one pass, [list_from, list_to) of src,
	 * left in place rather than copied; list_to is 0 when there is none. */
	size_t list_from, list_to;
} reqlexer;

static void *
syntax_error_at(reqlexer *lx, size_t where, const char *message)
{
	atlas_error_set(lx->err, ATLAS_ERR_SYNTAX, NULL, 1,
	    pep508_column(lx->src, where), "%s", message);
	return NULL;
}

static void *
out_of_memory(reqlexer *lx)
{
	atlas_error_set(lx->err, ATLAS_ERR_NOMEM, NULL, 0, 0, "out of memory");
	return NULL;
}

/* WS: [ \t]+ */
static void
consume_ws(reqlexer *lx)
{
	while (lx->src[lx->pos] == ' ' || lx->src[lx->pos] == '\t')
		lx->pos++;
}

/* The length in bytes of the character at s + p: a UTF-8 sequence, or a
 * single byte when the bytes there do not form one. */
static size_t
char_len(const char *s, size_t p)
{
	const unsigned char *u = (const unsigned char *)s + p;
	size_t n = u[0] < 0xc0 ? 1 : u[0] < 0xe0 ? 2 : u[0] < 0xf0 ? 3 : u[0] < 0xf8 ? 4 : 1;

	for (size_t i = 1; i < n; i++)
		if ((u[i] & 0xc0) != 0x80)
			return 1;
	return n;
}

static bool
is_name_char(int c)
{
	return is_ascii_alnum(c) || c == '.' || c == '_' || c == '-';
}

/*
 * IDENTIFIER: \b[a-zA-Z0-9][a-zA-Z0-9._-]*\b.  The regex backtracks from
 * the longest run to the longest prefix that ends on a word boundary, so
 * "foo-" is "foo" but "foo_" stays "foo_" ("_" is a word character).
 * Returns the length, 0 when there is none.
 */
static size_t
match_identifier(const reqlexer *lx)
{
	const char *s = lx->src;
	size_t start = lx->pos, end = start;

	if (!is_ascii_alnum((unsigned char)s[start]) ||
	    pep508_word_before(s, start))
		return 0;
	while (is_name_char((unsigned char)s[end]))
		end++;
	/* The usual end: a letter, digit or "_" before an ASCII byte that
	 * is not a name character, so no word character. */
	if ((is_ascii_alnum((unsigned char)s[end - 1]) || s[end - 1] == '_') &&
	    (unsigned char)s[end] < 0x80)
		return end - start;
	for (; end > start; end--) {
		bool before = pep508_word_before(s, end), after = pep508_word_at(s, end);
		if (before != after)
			return end - start;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Version specifiers                                                  */
/* ------------------------------------------------------------------ */

/* Append one clause as Specifier() reads it: the operator, then the
 * version with the whitespace around it stripped. */
static void
put_clause(buf *out, const char *text, size_t len)
{
	size_t op_len, start, end;

	if (strncmp(text, "===", 3) == 0)
		op_len = 3;
	else if (len >= 2 && strchr("~=!<>", text[0]) != NULL && text[1] == '=')
		op_len = 2;
	else
		op_len = 1;
	buf_append(out, text, op_len);
	start = op_len;
	while (start < len && pep508_space_at(text, start) > 0)
		start += pep508_space_at(text, start);
	end = start;
	for (size_t p = start; p < len;) {
		size_t n = pep508_space_at(text, p);
		if (n > 0) {
			p += n;
		} else {
			p += char_len(text, p);
			end = p;
		}
	}
	buf_append(out, text + start, end - start);
}

/*
 * SpecifierSet(text): split at commas, skip the empty items (the grammar
 * lets only a trailing one through, but "===" swallows commas), and read
 * each item as Specifier() does.
 */
static atlas_spec *
parse_specifier_set(const char *text, atlas_error *err)
{
	buf clauses;
	atlas_spec *spec;

	buf_init_scratch(&clauses);
	buf_puts(&clauses, "");
	for (const char *item = text; *item != '\0';) {
		size_t len = strcspn(item, ","), a = 0, b = len;
		while (a < b && pep508_space_at(item, a) > 0)
			a += pep508_space_at(item, a);
		while (b > a && (item[b - 1] == ' ' || item[b - 1] == '\t'))
			b--;
		if (b > a) {
			if (clauses.len > 0)
				buf_putc(&clauses, ',');
			put_clause(&clauses, item + a, b - a);
		}
		item += len;
		if (*item == ',')
			item++;
	}
	if (clauses.failed) {
		atlas_error_set(err, ATLAS_ERR_NOMEM, NULL, 0, 0, "out of memory");
		return NULL;
	}
	spec = atlas_spec_parse(clauses.data, err);
	buf_free(&clauses);
	return spec;
}

/*
 * Whether parse_specifier_set would hand a specifier list to
 * atlas_spec_parse unchanged: no white space to strip (a list holds no
 * other byte than tab for it) and no empty item to skip.
 */
static bool
is_clean_list(const char *s, size_t len)
{
	if (len > 0 && (s[0] == ',' || s[len - 1] == ','))
		return false;
	for (size_t i = 0; i < len; i++)
		if (s[i] == ' ' || s[i] == '\t' || (s[i] == ',' && s[i + 1] == ','))
			return false;
	return true;
}

/* SPECIFIER_LIST: [\t\x20-\x28\x2a-\x3a\x3c-\x7e]*(?=[;)]|\Z) */
static bool
is_specifier_list_char(int c)
{
	return c == '\t' || (c >= 0x20 && c <= 0x7e && c != ')' && c != ';');
}

/*
 * Whether one stripped item of a specifier list is an operator other
 * than "~=" and "===" followed by a plain release ("==1.2.3"): such an
 * item is a whole SPECIFIER token, which pep508_specifier_match would
 * confirm at the cost of a copy.
 */
static bool
is_plain_clause(const char *s, size_t len)
{
	size_t i;

	if (len >= 2 && s[1] == '=' && (s[0] == '=' || s[0] == '!' || s[0] == '<' || s[0] == '>'))
		i = 2;
	else if (len >= 1 && (s[0] == '<' || s[0] == '>'))
		i = 1;
	else
		return false;
	if (i >= len || !is_ascii_digit(s[i]) || !is_ascii_digit(s[len - 1]))
		return false;
	for (; i < len; i++)
		if (!is_ascii_digit(s[i]) && (s[i] != '.' || !is_ascii_digit(s[i + 1])))
			return false;
	return true;
}

/*
 * The usual line of a pinned file, "name==1.2.3" (spaces allowed around
 * "==") and nothing else: no extras, URL or marker, and a plain release.
 * Returns the length of its name, which ends in a letter or digit, and
 * sets *spec_at to where "==" starts; 0 for any other line.  The grammar
 * reads such a line as that name and the one clause "==1.2.3", which
 * atlas_spec_parse strips of the spaces itself, so atlas_req_parse
 * makes it without its general passes.
 */
static size_t
simple_pin_name_length(const char *s, size_t *spec_at)
{
	size_t n = 0, i;

	while (is_name_char((unsigned char)s[n]))
		n++;
	if (n == 0 || !is_ascii_alnum((unsigned char)s[0]) ||
	    !is_ascii_alnum((unsigned char)s[n - 1]))
		return 0;
	for (i = n; s[i] == ' '; i++)
		;
	if (s[i] != '=' || s[i + 1] != '=')
		return 0;
	*spec_at = i;
	for (i += 2; s[i] == ' '; i++)
		;
	if (!is_ascii_digit(s[i]))
		return 0;
	/* Digits and single dots to the end, the last a digit. */
	for (; s[i] != '\0'; i++)
		if (!is_ascii_digit(s[i]) && (s[i] != '.' || !is_ascii_digit(s[i + 1])))
			return 0;
	return n;
}

/*
 * packaging's _try_parse_specifier_set: the whole list up to ";", ")" or
 * the end is read in one pass when every comma-separated item is a valid
 * Specifier and only the last item may be empty (a trailing comma).
 */
static bool
try_specifier_set(reqlexer *lx, buf *out)
{
	const char *s = lx->src;
	size_t start = lx->pos, end = start, item;
	size_t n_items = 0, n_commas = 0;
	bool empty_seen = false;

	while (is_specifier_list_char((unsigned char)s[end]))
		end++;
	if (end == start || (s[end] != '\0' && s[end] != ';' && s[end] != ')'))
		return false;
	for (item = start; item <= end;) {
		size_t stop = item, a, b, n;
		while (stop < end && s[stop] != ',')
			stop++;
		a = item;
		b = stop;
		while (a < b && (s[a] == ' ' || s[a] == '\t'))
			a++;
		while (b > a && (s[b - 1] == ' ' || s[b - 1] == '\t'))
			b--;
		if (a == b) {
			if (empty_seen)
				return false;
			empty_seen = true;
		} else {
			if (empty_seen)
				return false;
			/* Each item is a Specifier of its own: "===" takes any
			 * text, commas included, so match it alone. */
			if (!is_plain_clause(s + a, b - a)) {
				char *alone = scratch_strndup(s + a, b - a);
				if (alone == NULL) {
					out->failed = 1;
					return false;
				}
				n = pep508_specifier_match(alone, 0);
				free(alone);
				if (n != b - a)
					return false;
			}
			n_items++;
		}
		if (stop < end)
			n_commas++;
		item = stop + 1;
	}
	if (n_items == 0 || (n_items != n_commas + 1 && n_items != n_commas))
		return false;
	if (out->len == 0) {
		lx->list_from = start;
		lx->list_to = end;
	} else {
		buf_append(out, s + start, end - start);
	}
	lx->pos = end;
	return true;
}

/* version_many = (SPECIFIER (WS? COMMA WS? SPECIFIER)*)?; *any is set
 * when the result is not empty (packaging's truth of the specifier). */
static bool
parse_version_many(reqlexer *lx, buf *out, bool *any)
{
	const char *s = lx->src;
	size_t n;

	*any = false;
	if (s[lx->pos] == '\0')
		return true;
	if (try_specifier_set(lx, out)) {
		*any = true;
		return true;
	}
	while ((n = pep508_specifier_match(s, lx->pos)) > 0) {
		size_t span_start = lx->pos;
		lx->pos += n;
		if (s[lx->pos] == '.' && s[lx->pos + 1] == '*') {
			bool equality = strncmp(s + span_start, "!=", 2) == 0 ||
			    (strncmp(s + span_start, "==", 2) == 0 &&
			    strncmp(s + span_start, "===", 3) != 0);
			syntax_error_at(lx, lx->pos + 1, equality ?
			    ".* suffix cannot be used with pre-release, post-release, "
			    "dev or local versions" :
			    ".* suffix can only be used with `==` or `!=` operators");
			return false;
		}
		if (s[lx->pos] == '+' && ((s[lx->pos + 1] >= 'a' && s[lx->pos + 1] <= 'z') ||
		    is_ascii_digit((unsigned char)s[lx->pos + 1]))) {
			syntax_error_at(lx, lx->pos, "Local version label can "
			    "only be used with `==` or `!=` operators");
			return false;
		}
		buf_append(out, s + span_start, n);
		*any = true;
		consume_ws(lx);
		if (s[lx->pos] != ',')
			break;
		buf_putc(out, ',');
		lx->pos++;
		consume_ws(lx);
	}
	return true;
}

/* specifier = "(" WS? version_many ")" WS? | version_many */
static bool
parse_specifier(reqlexer *lx, buf *out, bool *any)
{
	if (lx->src[lx->pos] != '(')
		return parse_version_many(lx, out, any);
	lx->pos++;
	consume_ws(lx);
	if (!parse_version_many(lx, out, any))
		return false;
	if (lx->src[lx->pos] != ')') {
		syntax_error_at(lx, lx->pos, "Expected matching "
		    "RIGHT_PARENTHESIS for LEFT_PARENTHESIS, after version specifier");
		return false;
	}
	lx->pos++;
	consume_ws(lx);
	return true;
}

/* ------------------------------------------------------------------ */
/* Extras                                                              */
/* ------------------------------------------------------------------ */

static int
compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static bool
add_extra(atlas_req *req, const char *text, size_t len)
{
	char **extras, *extra = atlas_strndup_internal(text, len);

	if (extra == NULL)
		return false;
	/* packaging keeps a set: a repeated spelling counts once. */
	for (size_t i = 0; i < req->n_extras; i++) {
		if (strcmp(req->extras[i], extra) == 0) {
			mem_free(extra);
			return true;
		}
	}
	extras = mem_realloc(req->extras, req->n_extras * sizeof *extras,
	    (req->n_extras + 1) * sizeof *extras);
	if (extras == NULL) {
		mem_free(extra);
		return false;
	}
	req->extras = extras;
	req->extras[req->n_extras++] = extra;
	return true;
}

/* extras = "[" WS? (IDENTIFIER (WS? "," WS? IDENTIFIER)*)? WS? "]" WS? */
static bool
parse_extras(reqlexer *lx, atlas_req *req)
{
	size_t n;

	if (lx->src[lx->pos] != '[')
		return true;
	lx->pos++;
	consume_ws(lx);
	if ((n = match_identifier(lx)) > 0) {
		if (!add_extra(req, lx->src + lx->pos, n))
			return out_of_memory(lx);
		lx->pos += n;
		for (;;) {
			consume_ws(lx);
			if (match_identifier(lx) > 0) {
				syntax_error_at(lx, lx->pos,
				    "Expected comma between extra names");
				return false;
			}
			if (lx->src[lx->pos] != ',')
				break;
			lx->pos++;
			consume_ws(lx);
			if ((n = match_identifier(lx)) == 0) {
				syntax_error_at(lx, lx->pos,
				    "Expected extra name after comma");
				return false;
			}
			if (!add_extra(req, lx->src + lx->pos, n))
				return out_of_memory(lx);
			lx->pos += n;
		}
	}
	consume_ws(lx);
	if (lx->src[lx->pos] != ']') {
		syntax_error_at(lx, lx->pos, "Expected matching RIGHT_BRACKET "
		    "for LEFT_BRACKET, after extras");
		return false;
	}
	lx->pos++;
	consume_ws(lx);
	if (req->n_extras > 1)
		qsort(req->extras, req->n_extras, sizeof *req->extras, compare_strings);
	return true;
}

/* ------------------------------------------------------------------ */
/* Requirements                                                        */
/* ------------------------------------------------------------------ */

/* requirement_marker = ";" marker; what is the text expected instead. */
static bool
parse_requirement_marker(reqlexer *lx, atlas_req *req, const char *expected)
{
	if (lx->src[lx->pos] != ';') {
		char message[160];
		snprintf(message, sizeof message, "Expected %s or end", expected);
		syntax_error_at(lx, lx->pos, message);
		return false;
	}
	lx->pos++;
	req->marker = pep508_marker_parse_at(lx->src, &lx->pos, lx->err);
	return req->marker != NULL;
}

/* requirement_details = "@" WS? URL (WS requirement_marker?)?
 *                     | specifier requirement_marker? */
static bool
parse_details(reqlexer *lx, atlas_req *req, buf *spec_text, bool *any)
{
	const char *s = lx->src;

	*any = false;
	if (s[lx->pos] == '@') {
		size_t url_start;
		lx->pos++;
		consume_ws(lx);
		url_start = lx->pos;
		while (s[lx->pos] != '\0' && pep508_space_at(s, lx->pos) == 0)
			lx->pos += char_len(s, lx->pos);
		if (lx->pos == url_start) {
			syntax_error_at(lx, lx->pos, "Expected URL after @");
			return false;
		}
		req->url = atlas_strndup_internal(s + url_start, lx->pos - url_start);
		if (req->url == NULL)
			return out_of_memory(lx);
		if (s[lx->pos] == '\0')
			return true;
		if (s[lx->pos] != ' ' && s[lx->pos] != '\t') {
			syntax_error_at(lx, lx->pos, "Expected whitespace after URL");
			return false;
		}
		consume_ws(lx);
		if (s[lx->pos] == '\0')
			return true;
		return parse_requirement_marker(lx, req,
		    "semicolon (after URL and whitespace)");
	}
	if (!parse_specifier(lx, spec_text, any))
		return false;
	if (s[lx->pos] == '\0')
		return true;
	return parse_requirement_marker(lx, req, *any ?
	    "comma (within version specifier), semicolon (after version specifier)" :
	    "semicolon (after name with no version specifier)");
}

atlas_req *
atlas_req_parse(const char *text, atlas_error *err)
{
	reqlexer lx = { .src = text, .pos = 0, .err = err };
	atlas_req *req = mem_calloc(1, sizeof *req);
	buf spec_text;
	size_t n;
	bool any;

	if (req == NULL)
		return out_of_memory(&lx);
	/* Most lists are read in place: the buffer is only filled, and
	 * allocated, for those that are not. */
	buf_init_scratch(&spec_text);
	/* The usual line of a pinned file goes the short way. */
	size_t spec_at;
	if ((n = simple_pin_name_length(text, &spec_at)) > 0) {
		req->name = atlas_strndup_internal(text, n);
		if (req->name == NULL || (req->canonical_name =
		    atlas_name_canonicalize(req->name)) == NULL) {
			out_of_memory(&lx);
			goto fail;
		}
		req->spec = spec_parse_n(text + spec_at, strlen(text + spec_at), err);
		if (req->spec == NULL) {
			if (err != NULL)
				err->column = 0;
			goto fail;
		}
		return req;
	}
	consume_ws(&lx);
	if ((n = match_identifier(&lx)) == 0) {
		syntax_error_at(&lx, lx.pos, "Expected package name at the "
		    "start of dependency specifier");
		goto fail;
	}
	req->name = atlas_strndup_internal(text + lx.pos, n);
	if (req->name == NULL || (req->canonical_name =
	    atlas_name_canonicalize(req->name)) == NULL) {
		out_of_memory(&lx);
		goto fail;
	}
	lx.pos += n;
	consume_ws(&lx);
	if (!parse_extras(&lx, req) || !parse_details(&lx, req, &spec_text, &any))
		goto fail;
	if (text[lx.pos] != '\0') {
		syntax_error_at(&lx, lx.pos, "Expected end of dependency specifier");
		goto fail;
	}
	if (spec_text.failed) {
		out_of_memory(&lx);
		goto fail;
	}
	if (lx.list_to > 0 && is_clean_list(text + lx.list_from, lx.list_to - lx.list_from)) {
		/* SpecifierSet() would give the list back as it is. */
		req->spec = spec_parse_n(text + lx.list_from, lx.list_to - lx.list_from, err);
	} else {
		if (lx.list_to > 0)
			buf_append(&spec_text, text + lx.list_from, lx.list_to - lx.list_from);
		if (spec_text.failed) {
			out_of_memory(&lx);
			goto fail;
		}
		req->spec = parse_specifier_set(spec_text.data ? spec_text.data : "", err);
	}
	if (req->spec == NULL) {
		if (err != NULL)
			err->column = 0;
		goto fail;
	}
	buf_free(&spec_text);
	return req;
fail:
	buf_free(&spec_text);
	atlas_req_free(req);
	return NULL;
}

void
atlas_req_free(atlas_req *req)
{
	if (req == NULL)
		return;
	mem_free(req->name);
	mem_free(req->canonical_name);
	for (size_t i = 0; i < req->n_extras; i++)
		mem_free(req->extras[i]);
	mem_free(req->extras);
	atlas_spec_free(req->spec);
	mem_free(req->url);
	atlas_marker_free(req->marker);
	mem_free(req);
}

/* str(Requirement): name[extras]specifier @ url ; marker */
char *
atlas_req_format(const atlas_req *req)
{
	buf b;
	char *spec = req->spec ? atlas_spec_format(req->spec) : NULL;
	char *marker = req->marker ? atlas_marker_format(req->marker) : NULL;

	buf_init(&b);
	buf_puts(&b, req->name);
	if (req->n_extras > 0) {
		buf_putc(&b, '[');
		for (size_t i = 0; i < req->n_extras; i++) {
			if (i > 0)
				buf_putc(&b, ',');
			buf_puts(&b, req->extras[i]);
		}
		buf_putc(&b, ']');
	}
	if (spec != NULL)
		buf_puts(&b, spec);
	if (req->url != NULL) {
		buf_printf(&b, " @ %s", req->url);
		if (marker != NULL)
			buf_putc(&b, ' ');
	}
	if (marker != NULL)
		buf_printf(&b, "; %s", marker);
	if ((req->spec != NULL && spec == NULL) || (req->marker != NULL && marker == NULL))
		b.failed = 1;
	mem_free(spec);
	mem_free(marker);
	return buf_take(&b);
}
