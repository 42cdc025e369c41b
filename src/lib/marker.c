/*
 * marker.c - PEP 508 environment markers, as packaging parses, formats and
 * evaluates them (packaging/_tokenizer.py, _parser.py and markers.py).
 *
 * The grammar is packaging's recursive descent, token for token, so that
 * the same inputs are accepted, the same errors are reported at the same
 * places, and str(Marker) is reproduced byte for byte.
 */
#include "config.h"

#include <stdlib.h>
#include <string.h>
#include <strings.h>

#include "internal.h"

/* packaging's _MAX_MARKER_NESTING: CPython's own parser allows 200 nested
 * parentheses.  It also bounds every recursion in this file. */
#define MAX_NESTING 200

typedef struct mnode mnode;

/* A comparison "lhs op rhs"; each side is a variable or a string. */
typedef struct mitem {
	char *lhs;
	char *op;
	char *rhs;
	bool lhs_is_var;
	bool rhs_is_var;
} mitem;

/* A comparison, or a list of atoms joined by "and"/"or".  is_or[i], for
 * i > 0, is the operator between kids[i - 1] and kids[i]. */
struct mnode {
	bool is_item;
	mitem item;
	mnode **kids;
	bool *is_or;
	size_t n;
	size_t cap;
};

struct atlas_marker {
	mnode *root;
};

/* ------------------------------------------------------------------ */
/* Characters                                                          */
/* ------------------------------------------------------------------ */

/* Decode one UTF-8 character; invalid bytes decode as themselves (one
 * byte each), which keeps scanning total on garbage. */
static unsigned long
utf8_decode(const char *text, size_t pos, size_t *len)
{
	const unsigned char *s = (const unsigned char *)text + pos;
	unsigned long cp;
	size_t n, i;

	if (s[0] < 0x80) {
		*len = 1;
		return s[0];
	}
	if ((s[0] & 0xe0) == 0xc0) {
		n = 2;
		cp = s[0] & 0x1f;
	} else if ((s[0] & 0xf0) == 0xe0) {
		n = 3;
		cp = s[0] & 0x0f;
	} else if ((s[0] & 0xf8) == 0xf0) {
		n = 4;
		cp = s[0] & 0x07;
	} else {
		*len = 1;
		return s[0];
	}
	for (i = 1; i < n; i++) {
		if ((s[i] & 0xc0) != 0x80) {
			*len = 1;
			return s[0];
		}
		cp = (cp << 6) | (s[i] & 0x3f);
	}
	*len = n;
	return cp;
}

static bool
is_unicode_space(unsigned long cp)
{
	return (cp >= 0x09 && cp <= 0x0d) || (cp >= 0x1c && cp <= 0x20) ||
	    cp == 0x85 || cp == 0xa0 || cp == 0x1680 ||
	    (cp >= 0x2000 && cp <= 0x200a) || cp == 0x2028 || cp == 0x2029 ||
	    cp == 0x202f || cp == 0x205f || cp == 0x3000;
}

/*
 * Python's \w: letters, digits and "_".  Outside ASCII this is an
 * approximation, as there is no Unicode database here: the Latin-1 letters
 * and digits, and every later character outside the blocks of marks,
 * punctuation, symbols, private use and format characters.  It only
 * decides where a word ends next to a non-ASCII character, which the
 * grammar rejects in any case; at worst an error is worded differently.
 */
static bool
is_word_cp(unsigned long cp)
{
	static const unsigned long non_word[][2] = {
		{ 0x0300, 0x036f }, { 0x2000, 0x206f }, { 0x20a0, 0x20ff },
		{ 0x2190, 0x23ff }, { 0x2500, 0x27bf }, { 0x2e00, 0x2e7f },
		{ 0x3000, 0x303f }, { 0xd800, 0xf8ff }, { 0xfe00, 0xfe0f },
		{ 0xfe20, 0xfe2f }, { 0xfeff, 0xfeff }, { 0xff00, 0xff0f },
		{ 0xfff0, 0xffff }, { 0x1f000, 0x1faff },
	};

	if (cp < 0x80)
		return is_ascii_alnum((int)cp) || cp == '_';
	if (cp < 0x100)
		return cp == 0xaa || cp == 0xb2 || cp == 0xb3 || cp == 0xb5 ||
		    cp == 0xb9 || cp == 0xba || (cp >= 0xbc && cp <= 0xbe) ||
		    (cp >= 0xc0 && cp != 0xd7 && cp != 0xf7);
	if (is_unicode_space(cp))
		return false;
	for (size_t i = 0; i < sizeof non_word / sizeof non_word[0]; i++)
		if (cp >= non_word[i][0] && cp <= non_word[i][1])
			return false;
	return true;
}

size_t
pep508_space_at_utf8(const char *text, size_t pos)
{
	size_t len;
	unsigned long cp;

	if (text[pos] == '\0')
		return 0;
	cp = utf8_decode(text, pos, &len);
	return is_unicode_space(cp) ? len : 0;
}

bool
pep508_word_at(const char *text, size_t pos)
{
	size_t len;

	if (text[pos] == '\0')
		return false;
	return is_word_cp(utf8_decode(text, pos, &len));
}

bool
pep508_word_before(const char *text, size_t pos)
{
	size_t start = pos, len;
	unsigned long cp;

	if (pos == 0)
		return false;
	/* Step back over continuation bytes to the start of the character;
	 * when they do not form one, the byte before stands alone. */
	do
		start--;
	while (start > 0 && pos - start < 4 &&
	    ((unsigned char)text[start] & 0xc0) == 0x80);
	cp = utf8_decode(text, start, &len);
	if (start + len != pos)
		cp = (unsigned char)text[pos - 1];
	return is_word_cp(cp);
}

unsigned
pep508_column(const char *text, size_t offset)
{
	unsigned column = 1;
	size_t i = 0;

	while (i < offset && text[i] != '\0') {
		size_t len;
		utf8_decode(text, i, &len);
		i += len;
		column++;
	}
	return column;
}

/* ------------------------------------------------------------------ */
/* packaging's SPECIFIER token (Specifier._specifier_regex_str)        */
/* ------------------------------------------------------------------ */

/*
 * Every quantifier of that regex is possessive and everything after each
 * alternation is optional, so the first alternative that matches wins and
 * a greedy scan without backtracking gives the regex's match exactly.
 */

static size_t
skip_spaces(const char *s, size_t p)
{
	size_t n;

	while ((n = pep508_space_at(s, p)) > 0)
		p += n;
	return p;
}

static bool
match_ci(const char *s, size_t p, const char *word)
{
	for (size_t i = 0; word[i] != '\0'; i++)
		if (ascii_lower((unsigned char)s[p + i]) != word[i])
			return false;
	return true;
}

static size_t
skip_digits(const char *s, size_t p)
{
	while (is_ascii_digit((unsigned char)s[p]))
		p++;
	return p;
}

static size_t
skip_separator(const char *s, size_t p)
{
	return (s[p] == '-' || s[p] == '_' || s[p] == '.') ? p + 1 : p;
}

/* One of the words at s + p, the first that matches in order; returns
 * the position after it, or 0 (never a valid position after a word). */
static size_t
match_words(const char *s, size_t p, const char *const *words)
{
	for (size_t i = 0; words[i] != NULL; i++)
		if (match_ci(s, p, words[i]))
			return p + strlen(words[i]);
	return 0;
}

/* v?+ (?:[0-9]++!)?+ [0-9]++ (?:\.[0-9]++)*+ ; min_parts is 2 for ~=. */
static size_t
match_release(const char *s, size_t p, int min_parts)
{
	size_t q;
	int parts = 1;

	if (s[p] == 'v' || s[p] == 'V')
		p++;
	q = skip_digits(s, p);
	if (q > p && s[q] == '!')
		p = q + 1;
	q = skip_digits(s, p);
	if (q == p)
		return 0;
	p = q;
	while (s[p] == '.' && is_ascii_digit((unsigned char)s[p + 1])) {
		p = skip_digits(s, p + 1);
		parts++;
	}
	return parts >= min_parts ? p : 0;
}

static size_t
match_pre_post_dev(const char *s, size_t p)
{
	static const char *const pre[] = { "alpha", "beta", "preview", "pre",
		"a", "b", "c", "rc", NULL };
	static const char *const post[] = { "post", "rev", "r", NULL };
	size_t q;

	q = match_words(s, skip_separator(s, p), pre);
	if (q > 0)
		p = skip_digits(s, skip_separator(s, q));
	if (s[p] == '-' && is_ascii_digit((unsigned char)s[p + 1])) {
		p = skip_digits(s, p + 1);
	} else {
		q = match_words(s, skip_separator(s, p), post);
		if (q > 0)
			p = skip_digits(s, skip_separator(s, q));
	}
	q = skip_separator(s, p);
	if (match_ci(s, q, "dev"))
		p = skip_digits(s, skip_separator(s, q + 3));
	return p;
}

static size_t
match_local(const char *s, size_t p)
{
	size_t q;

	if (s[p] != '+' || !is_ascii_alnum((unsigned char)s[p + 1]))
		return p;
	p++;
	for (;;) {
		while (is_ascii_alnum((unsigned char)s[p]))
			p++;
		q = skip_separator(s, p);
		if (q == p || !is_ascii_alnum((unsigned char)s[q]))
			return p;
		p = q;
	}
}

size_t
pep508_specifier_match(const char *s, size_t pos)
{
	size_t p, q;

	if (strncmp(s + pos, "===", 3) == 0) {
		p = q = skip_spaces(s, pos + 3);
		while (s[q] != '\0' && s[q] != ';' && s[q] != ')' &&
		    pep508_space_at(s, q) == 0) {
			size_t len;
			utf8_decode(s, q, &len);
			q += len;
		}
		if (q > p)
			return q - pos;
	}
	if (strncmp(s + pos, "==", 2) == 0 || strncmp(s + pos, "!=", 2) == 0) {
		p = match_release(s, skip_spaces(s, pos + 2), 1);
		if (p == 0)
			return 0;
		if (s[p] == '.' && s[p + 1] == '*')
			return p + 2 - pos;
		return match_local(s, match_pre_post_dev(s, p)) - pos;
	}
	if (strncmp(s + pos, "~=", 2) == 0) {
		p = match_release(s, skip_spaces(s, pos + 2), 2);
		return p == 0 ? 0 : match_pre_post_dev(s, p) - pos;
	}
	if (s[pos] == '<' || s[pos] == '>') {
		p = pos + (s[pos + 1] == '=' ? 2 : 1);
		p = match_release(s, skip_spaces(s, p), 1);
		return p == 0 ? 0 : match_pre_post_dev(s, p) - pos;
	}
	return 0;
}

/* ------------------------------------------------------------------ */
/* Tokens                                                              */
/* ------------------------------------------------------------------ */

typedef struct lexer {
	const char *src;
	size_t pos;
	atlas_error *err;
} lexer;

/* packaging reports a span; the column is where its caret points. */
static void *
syntax_error_at(lexer *lx, size_t where, const char *message)
{
	atlas_error_set(lx->err, ATLAS_ERR_SYNTAX, NULL, 1,
	    pep508_column(lx->src, where), "%s", message);
	return NULL;
}

static void *
syntax_error(lexer *lx, const char *message)
{
	return syntax_error_at(lx, lx->pos, message);
}

static void *
out_of_memory(lexer *lx)
{
	atlas_error_set(lx->err, ATLAS_ERR_NOMEM, NULL, 0, 0, "out of memory");
	return NULL;
}

static char *
dup_or_fail(lexer *lx, const char *s)
{
	char *copy = atlas_strdup_internal(s);

	return copy != NULL ? copy : out_of_memory(lx);
}

/* WS: [ \t]+ */
static void
consume_ws(lexer *lx)
{
	while (lx->src[lx->pos] == ' ' || lx->src[lx->pos] == '\t')
		lx->pos++;
}

/* \bWORD\b at the current position; moves past it when it matches. */
static bool
match_keyword(lexer *lx, const char *word)
{
	size_t n = strlen(word);

	if (strncmp(lx->src + lx->pos, word, n) != 0)
		return false;
	if (pep508_word_before(lx->src, lx->pos) ||
	    pep508_word_at(lx->src, lx->pos + n))
		return false;
	lx->pos += n;
	return true;
}

/* The VARIABLE token, normalised as packaging's process_env_var does:
 * "." becomes "_" and python_implementation is the modern name. */
static const char *
match_variable(lexer *lx)
{
	static const char *const spellings[][2] = {
		{ "python_version", "python_version" },
		{ "python_full_version", "python_full_version" },
		{ "os.name", "os_name" },
		{ "os_name", "os_name" },
		{ "sys.platform", "sys_platform" },
		{ "sys_platform", "sys_platform" },
		{ "platform_release", "platform_release" },
		{ "platform_system", "platform_system" },
		{ "platform.version", "platform_version" },
		{ "platform_version", "platform_version" },
		{ "platform.machine", "platform_machine" },
		{ "platform_machine", "platform_machine" },
		{ "platform.python_implementation", "platform_python_implementation" },
		{ "platform_python_implementation", "platform_python_implementation" },
		{ "python_implementation", "platform_python_implementation" },
		{ "implementation_name", "implementation_name" },
		{ "implementation_version", "implementation_version" },
		{ "extras", "extras" },
		{ "extra", "extra" },
		{ "dependency_groups", "dependency_groups" },
	};

	for (size_t i = 0; i < sizeof spellings / sizeof spellings[0]; i++)
		if (lx->src[lx->pos] == spellings[i][0][0] && match_keyword(lx, spellings[i][0]))
			return spellings[i][1];
	return NULL;
}

static void
put_utf8(buf *b, unsigned long cp)
{
	char out[4];

	if (cp < 0x80) {
		buf_putc(b, (char)cp);
		return;
	}
	if (cp < 0x800) {
		out[0] = (char)(0xc0 | (cp >> 6));
		out[1] = (char)(0x80 | (cp & 0x3f));
		buf_append(b, out, 2);
	} else if (cp < 0x10000) {
		out[0] = (char)(0xe0 | (cp >> 12));
		out[1] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[2] = (char)(0x80 | (cp & 0x3f));
		buf_append(b, out, 3);
	} else {
		out[0] = (char)(0xf0 | (cp >> 18));
		out[1] = (char)(0x80 | ((cp >> 12) & 0x3f));
		out[2] = (char)(0x80 | ((cp >> 6) & 0x3f));
		out[3] = (char)(0x80 | (cp & 0x3f));
		buf_append(b, out, 4);
	}
}

static int
hex_value(int c)
{
	if (is_ascii_digit(c))
		return c - '0';
	c = ascii_lower(c);
	return (c >= 'a' && c <= 'f') ? c - 'a' + 10 : -1;
}

/*
 * The value of a quoted string, as packaging's process_python_str gets it:
 * the text between the quotes when there is no backslash, else what
 * ast.literal_eval makes of the Python string literal.  Returns false
 * where literal_eval raises: a raw line break, an escaped closing quote,
 * a malformed \x, \u or \U escape.  Two cases Python accepts are refused:
 * \N{NAME} (it needs the Unicode name database) and an escape that makes
 * a NUL character (a C string cannot hold one).
 */
static bool
decode_python_string(const char *s, size_t n, buf *out)
{
	for (size_t i = 0; i < n; i++) {
		int c = (unsigned char)s[i];
		if (c == '\n' || c == '\r')
			return false;
		if (c != '\\') {
			buf_putc(out, (char)c);
			continue;
		}
		if (++i >= n)
			return false;	/* the backslash escapes the closing quote */
		c = (unsigned char)s[i];
		switch (c) {
		case '\n':
			break;
		case '\r':
			if (i + 1 < n && s[i + 1] == '\n')
				i++;
			break;
		case '\\': case '\'': case '"':
			buf_putc(out, (char)c);
			break;
		case 'a': buf_putc(out, '\a'); break;
		case 'b': buf_putc(out, '\b'); break;
		case 'f': buf_putc(out, '\f'); break;
		case 'n': buf_putc(out, '\n'); break;
		case 'r': buf_putc(out, '\r'); break;
		case 't': buf_putc(out, '\t'); break;
		case 'v': buf_putc(out, '\v'); break;
		case 'x': case 'u': case 'U': {
			size_t digits = c == 'x' ? 2 : c == 'u' ? 4 : 8;
			unsigned long cp = 0;
			for (size_t k = 1; k <= digits; k++) {
				int h = i + k < n ? hex_value((unsigned char)s[i + k]) : -1;
				if (h < 0)
					return false;
				cp = cp * 16 + (unsigned long)h;
			}
			if (cp == 0 || cp > 0x10ffff)
				return false;
			put_utf8(out, cp);
			i += digits;
			break;
		}
		default:
			if (c >= '0' && c <= '7') {
				unsigned long cp = 0;
				size_t k;
				for (k = 0; k < 3 && i + k < n &&
				    s[i + k] >= '0' && s[i + k] <= '7'; k++)
					cp = cp * 8 + (unsigned long)(s[i + k] - '0');
				if (cp == 0)
					return false;
				put_utf8(out, cp);
				i += k - 1;
			} else if (c == 'N') {
				return false;
			} else {
				/* An unknown escape stays as written. */
				buf_putc(out, '\\');
				buf_putc(out, (char)c);
			}
		}
	}
	return true;
}

/* marker_var = VARIABLE | QUOTED_STRING; sets *is_var. */
static char *
parse_marker_var(lexer *lx, bool *is_var)
{
	const char *var = match_variable(lx);
	size_t start = lx->pos, end;
	char quote;
	buf value;

	if (var != NULL) {
		*is_var = true;
		return dup_or_fail(lx, var);
	}
	quote = lx->src[start];
	if (quote != '\'' && quote != '"')
		return syntax_error(lx, "Expected a marker variable or quoted string");
	for (end = start + 1; lx->src[end] != '\0' && lx->src[end] != quote; end++)
		continue;
	if (lx->src[end] == '\0')
		return syntax_error(lx, "Expected a marker variable or quoted string");
	lx->pos = end + 1;
	*is_var = false;
	buf_init(&value);
	buf_puts(&value, "");
	if (!decode_python_string(lx->src + start + 1, end - start - 1, &value)) {
		buf_free(&value);
		return syntax_error_at(lx, start, "Invalid quoted string");
	}
	if (value.failed)
		return out_of_memory(lx);
	return buf_take(&value);
}

/* marker_op = IN | NOT WS IN | OP */
static char *
parse_marker_op(lexer *lx)
{
	static const char *const ops[] = { "===", "==", "~=", "!=", "<=", ">=",
		"<", ">" };
	const char *op = NULL;

	if (match_keyword(lx, "in")) {
		op = "in";
	} else if (match_keyword(lx, "not")) {
		if (lx->src[lx->pos] != ' ' && lx->src[lx->pos] != '\t')
			return syntax_error(lx, "Expected whitespace after 'not'");
		consume_ws(lx);
		if (!match_keyword(lx, "in"))
			return syntax_error(lx, "Expected 'in' after 'not'");
		op = "not in";
	} else {
		for (size_t i = 0; i < sizeof ops / sizeof ops[0]; i++) {
			if (strncmp(lx->src + lx->pos, ops[i], strlen(ops[i])) == 0) {
				op = ops[i];
				lx->pos += strlen(op);
				break;
			}
		}
	}
	if (op == NULL)
		return syntax_error(lx, "Expected marker operator, one of <=, <, !=, "
		    "==, >=, >, ~=, ===, in, not in");
	return dup_or_fail(lx, op);
}

/* ------------------------------------------------------------------ */
/* Tree                                                                */
/* ------------------------------------------------------------------ */

static void
node_free(mnode *node)
{
	if (node == NULL)
		return;
	if (node->is_item) {
		mem_free(node->item.lhs);
		mem_free(node->item.op);
		mem_free(node->item.rhs);
	}
	for (size_t i = 0; i < node->n; i++)
		node_free(node->kids[i]);
	mem_free(node->kids);
	mem_free(node->is_or);
	mem_free(node);
}

static bool
node_append(mnode *list, mnode *kid, bool is_or)
{
	if (list->n == list->cap) {
		/* Doubling keeps a long chain of "and" linear. */
		size_t cap = list->cap ? list->cap * 2 : 4;
		mnode **kids = mem_realloc(list->kids, list->cap * sizeof *kids, cap * sizeof *kids);
		bool *ors;
		if (kids == NULL)
			return false;
		list->kids = kids;
		ors = mem_realloc(list->is_or, list->cap * sizeof *ors, cap * sizeof *ors);
		if (ors == NULL)
			return false;
		list->is_or = ors;
		list->cap = cap;
	}
	list->kids[list->n] = kid;
	list->is_or[list->n] = is_or;
	list->n++;
	return true;
}

static bool
is_set_variable(const char *name)
{
	return strcmp(name, "extras") == 0 || strcmp(name, "dependency_groups") == 0;
}

/* packaging's _normalize_extras: the string compared with "extra", or
 * tested for membership in a set-valued variable, is kept canonical. */
static bool
normalize_extra_item(mitem *item)
{
	char **side = NULL, *canonical;

	if (item->lhs_is_var && strcmp(item->lhs, "extra") == 0 && !item->rhs_is_var)
		side = &item->rhs;
	else if (item->rhs_is_var && !item->lhs_is_var &&
	    (strcmp(item->rhs, "extra") == 0 || is_set_variable(item->rhs)))
		side = &item->lhs;
	if (side == NULL)
		return true;
	canonical = atlas_name_canonicalize(*side);
	if (canonical == NULL)
		return false;
	mem_free(*side);
	*side = canonical;
	return true;
}

/* ------------------------------------------------------------------ */
/* Parser                                                              */
/* ------------------------------------------------------------------ */

static mnode *parse_marker_list(lexer *lx, int depth);

/* marker_item = marker_var WS? marker_op WS? marker_var */
static mnode *
parse_marker_item(lexer *lx)
{
	mnode *node = mem_calloc(1, sizeof *node);

	if (node == NULL)
		return out_of_memory(lx);
	node->is_item = true;
	if ((node->item.lhs = parse_marker_var(lx, &node->item.lhs_is_var)) == NULL)
		goto fail;
	consume_ws(lx);
	if ((node->item.op = parse_marker_op(lx)) == NULL)
		goto fail;
	consume_ws(lx);
	if ((node->item.rhs = parse_marker_var(lx, &node->item.rhs_is_var)) == NULL)
		goto fail;
	if (!normalize_extra_item(&node->item)) {
		out_of_memory(lx);
		goto fail;
	}
	return node;
fail:
	node_free(node);
	return NULL;
}

/* marker_atom = WS? "(" marker ")" WS? | WS? marker_item WS? */
static mnode *
parse_marker_atom(lexer *lx, int depth)
{
	mnode *atom;

	consume_ws(lx);
	if (lx->src[lx->pos] == '(') {
		if (depth >= MAX_NESTING)
			return syntax_error(lx, "Marker expression is nested more than "
			    "200 levels deep");
		lx->pos++;
		atom = parse_marker_list(lx, depth + 1);
		if (atom == NULL)
			return NULL;
		if (lx->src[lx->pos] != ')') {
			node_free(atom);
			return syntax_error(lx, "Expected matching RIGHT_PARENTHESIS "
			    "for LEFT_PARENTHESIS, after marker expression");
		}
		lx->pos++;
	} else {
		atom = parse_marker_item(lx);
		if (atom == NULL)
			return NULL;
	}
	consume_ws(lx);
	return atom;
}

/* BOOLOP: \b(or|and)\b; sets *is_or. */
static bool
match_boolop(lexer *lx, bool *is_or)
{
	if (match_keyword(lx, "or")) {
		*is_or = true;
		return true;
	}
	if (match_keyword(lx, "and")) {
		*is_or = false;
		return true;
	}
	return false;
}

/* marker = marker_atom (BOOLOP marker_atom)* */
static mnode *
parse_marker_list(lexer *lx, int depth)
{
	mnode *list = mem_calloc(1, sizeof *list), *atom;
	bool is_or = false;

	if (list == NULL)
		return out_of_memory(lx);
	do {
		atom = parse_marker_atom(lx, depth);
		if (atom == NULL)
			goto fail;
		if (!node_append(list, atom, is_or)) {
			node_free(atom);
			out_of_memory(lx);
			goto fail;
		}
	} while (match_boolop(lx, &is_or));
	return list;
fail:
	node_free(list);
	return NULL;
}

atlas_marker *
pep508_marker_parse_at(const char *text, size_t *pos, atlas_error *err)
{
	lexer lx = { text, *pos, err };
	atlas_marker *marker;
	mnode *root = parse_marker_list(&lx, 0);

	if (root == NULL)
		return NULL;
	marker = mem_malloc(sizeof *marker);
	if (marker == NULL) {
		node_free(root);
		return out_of_memory(&lx);
	}
	marker->root = root;
	*pos = lx.pos;
	return marker;
}

atlas_marker *
atlas_marker_parse(const char *text, atlas_error *err)
{
	size_t pos = 0;
	atlas_marker *marker = pep508_marker_parse_at(text, &pos, err);

	if (marker != NULL && text[pos] != '\0') {
		lexer lx = { text, pos, err };
		atlas_marker_free(marker);
		return syntax_error(&lx, "Expected end of marker expression");
	}
	return marker;
}

void
atlas_marker_free(atlas_marker *marker)
{
	if (marker == NULL)
		return;
	node_free(marker->root);
	mem_free(marker);
}

/* ------------------------------------------------------------------ */
/* Formatting: packaging's _format_marker                              */
/* ------------------------------------------------------------------ */

/*
 * A string goes in double quotes unless it holds one.  packaging raises
 * when it holds both kinds; here the double quote is escaped as \x22,
 * which packaging reads back to the same value, so str() never fails.
 */
static void
format_value(buf *b, const char *value, bool is_var)
{
	if (is_var) {
		buf_puts(b, value);
	} else if (strchr(value, '"') == NULL) {
		buf_printf(b, "\"%s\"", value);
	} else if (strchr(value, '\'') == NULL) {
		buf_printf(b, "'%s'", value);
	} else {
		buf_putc(b, '"');
		for (const char *p = value; *p != '\0'; p++) {
			if (*p == '"')
				buf_puts(b, "\\x22");
			else if (*p == '\\')
				buf_puts(b, "\\\\");
			else
				buf_putc(b, *p);
		}
		buf_putc(b, '"');
	}
}

/* A list of one list or one comparison is transparent: packaging unwraps
 * [[...]] keeping whether it is the outermost level. */
static void
format_node(buf *b, const mnode *node, bool first)
{
	while (!node->is_item && node->n == 1)
		node = node->kids[0];
	if (node->is_item) {
		format_value(b, node->item.lhs, node->item.lhs_is_var);
		buf_printf(b, " %s ", node->item.op);
		format_value(b, node->item.rhs, node->item.rhs_is_var);
		return;
	}
	if (!first)
		buf_putc(b, '(');
	for (size_t i = 0; i < node->n; i++) {
		if (i > 0)
			buf_puts(b, node->is_or[i] ? " or " : " and ");
		format_node(b, node->kids[i], false);
	}
	if (!first)
		buf_putc(b, ')');
}

char *
atlas_marker_format(const atlas_marker *marker)
{
	buf b;

	if (marker == NULL)
		return NULL;
	buf_init(&b);
	buf_puts(&b, "");
	format_node(&b, marker->root, true);
	return buf_take(&b);
}

/* ------------------------------------------------------------------ */
/* Evaluation: packaging's _evaluate_markers                           */
/* ------------------------------------------------------------------ */

/* Python's repr of a str, near enough for a message. */
static void
put_repr(buf *b, const char *s)
{
	char quote = (strchr(s, '\'') != NULL && strchr(s, '"') == NULL) ? '"' : '\'';

	buf_putc(b, quote);
	for (; *s != '\0'; s++) {
		if (*s == quote || *s == '\\')
			buf_putc(b, '\\');
		buf_putc(b, *s);
	}
	buf_putc(b, quote);
}

static bool
requires_version(const char *key)
{
	return strcmp(key, "implementation_version") == 0 ||
	    strcmp(key, "platform_release") == 0 ||
	    strcmp(key, "python_full_version") == 0 ||
	    strcmp(key, "python_version") == 0;
}

/* Python's str.strip(): Unicode whitespace at both ends. */
static char *
strip_spaces(const char *s)
{
	size_t start = skip_spaces(s, 0), end = start, p = start;

	while (s[p] != '\0') {
		size_t n = pep508_space_at(s, p), len;
		if (n > 0) {
			p += n;
			continue;
		}
		utf8_decode(s, p, &len);
		p += len;
		end = p;
	}
	return atlas_strndup_internal(s + start, end - start);
}

/*
 * Specifier(op + rhs).contains(lhs, prereleases=True).  Returns 1 or 0, -1
 * when op + rhs is not a valid Specifier (the caller falls back to
 * comparing strings), -2 when out of memory.
 */
static int
version_contains(const char *op, const char *lhs, const char *rhs)
{
	buf text;
	size_t p, n;
	char *version, *clause;
	atlas_spec *spec;
	atlas_version *parsed;
	int result;

	buf_init(&text);
	buf_printf(&text, "%s%s", op, rhs);
	if (text.failed)
		return -2;
	p = skip_spaces(text.data, 0);
	n = pep508_specifier_match(text.data, p);
	if (n == 0 || text.data[skip_spaces(text.data, p + n)] != '\0') {
		buf_free(&text);
		return -1;
	}
	buf_free(&text);
	version = strip_spaces(rhs);
	if (version == NULL)
		return -2;
	if (strcmp(op, "===") == 0) {
		/* Arbitrary equality compares the strings, ignoring case. */
		result = strcasecmp(lhs, version) == 0;
		mem_free(version);
		return result;
	}
	buf_init(&text);
	buf_printf(&text, "%s%s", op, version);
	mem_free(version);
	clause = buf_take(&text);
	if (clause == NULL)
		return -2;
	spec = atlas_spec_parse(clause, NULL);
	mem_free(clause);
	parsed = atlas_version_parse(lhs, NULL);
	result = spec != NULL && parsed != NULL &&
	    atlas_spec_contains(spec, parsed, ATLAS_PRERELEASES_YES);
	atlas_spec_free(spec);
	atlas_version_free(parsed);
	return result;
}

/* packaging's _eval_op. */
static atlas_status
eval_op(const char *lhs, const char *op, const char *rhs, const char *key,
    bool *result, atlas_error *err)
{
	if (requires_version(key)) {
		int contained = version_contains(op, lhs, rhs);
		if (contained == -2)
			return atlas_error_set(err, ATLAS_ERR_NOMEM, NULL, 0, 0,
			    "out of memory");
		if (contained >= 0) {
			*result = contained == 1;
			return ATLAS_OK;
		}
	}
	if (strcmp(op, "in") == 0) {
		*result = strstr(rhs, lhs) != NULL;
	} else if (strcmp(op, "not in") == 0) {
		*result = strstr(rhs, lhs) == NULL;
	} else if (strcmp(op, "<") == 0 || strcmp(op, ">") == 0) {
		*result = false;
	} else if (strcmp(op, "==") == 0 || strcmp(op, "<=") == 0 ||
	    strcmp(op, ">=") == 0) {
		*result = strcmp(lhs, rhs) == 0;
	} else if (strcmp(op, "!=") == 0) {
		*result = strcmp(lhs, rhs) != 0;
	} else {
		buf msg;
		buf_init(&msg);
		buf_printf(&msg, "Undefined <Op('%s')> on ", op);
		put_repr(&msg, lhs);
		buf_puts(&msg, " and ");
		put_repr(&msg, rhs);
		buf_puts(&msg, ".");
		atlas_error_set(err, ATLAS_ERR_INVALID, NULL, 0, 0, "%s",
		    msg.failed ? "undefined comparison" : msg.data);
		buf_free(&msg);
		return ATLAS_ERR_INVALID;
	}
	return ATLAS_OK;
}

/* An environment value as packaging prepares it: "extra" canonical, and
 * a python_full_version of an untagged build ("3.11.2+") made PEP 440. */
static char *
lookup(const atlas_env *env, const char *key, atlas_error *err)
{
	const char *value = atlas_env_get(env, key);
	char *prepared;
	size_t len;

	if (value == NULL) {
		atlas_error_set(err, ATLAS_ERR_UNDEFINED, NULL, 0, 0,
		    "marker variable '%s' is not defined in the environment", key);
		return NULL;
	}
	if (strcmp(key, "extra") == 0)
		prepared = atlas_name_canonicalize(value);
	else if (strcmp(key, "python_full_version") == 0 &&
	    (len = strlen(value)) > 0 && value[len - 1] == '+') {
		buf b;
		buf_init(&b);
		buf_printf(&b, "%slocal", value);
		prepared = buf_take(&b);
	} else {
		prepared = atlas_strdup_internal(value);
	}
	if (prepared == NULL)
		atlas_error_set(err, ATLAS_ERR_NOMEM, NULL, 0, 0, "out of memory");
	return prepared;
}

static atlas_status
eval_item(const mitem *item, const atlas_env *env, bool *result,
    atlas_error *err)
{
	const char *key, *lhs, *rhs;
	char *looked_up;
	atlas_status status;

	/* As in packaging: a variable on the left is looked up and the right
	 * side taken as written; otherwise the right side names the key. */
	if (item->lhs_is_var) {
		key = item->lhs;
		if ((looked_up = lookup(env, key, err)) == NULL)
			return err ? err->status : ATLAS_ERR_UNDEFINED;
		lhs = looked_up;
		rhs = item->rhs;
	} else {
		key = item->rhs;
		if ((looked_up = lookup(env, key, err)) == NULL)
			return err ? err->status : ATLAS_ERR_UNDEFINED;
		lhs = item->lhs;
		rhs = looked_up;
	}
	status = eval_op(lhs, item->op, rhs, key, result, err);
	mem_free(looked_up);
	return status;
}

/* Every comparison is evaluated, in order, as packaging does: an error
 * anywhere is an error even when the result is already known.  "and"
 * binds tighter than "or". */
static atlas_status
eval_node(const mnode *node, const atlas_env *env, bool *result,
    atlas_error *err)
{
	bool any = false, group = true;

	if (node->is_item)
		return eval_item(&node->item, env, result, err);
	for (size_t i = 0; i < node->n; i++) {
		bool value;
		atlas_status status = eval_node(node->kids[i], env, &value, err);
		if (status != ATLAS_OK)
			return status;
		if (i > 0 && node->is_or[i]) {
			any = any || group;
			group = true;
		}
		group = group && value;
	}
	*result = any || group;
	return ATLAS_OK;
}

atlas_status
atlas_marker_evaluate(const atlas_marker *marker, const atlas_env *env,
    bool *result, atlas_error *err)
{
	bool value = false;
	atlas_status status;

	if (marker == NULL || env == NULL)
		return atlas_error_set(err, ATLAS_ERR_INVALID, NULL, 0, 0,
		    "no marker or no environment");
	status = eval_node(marker->root, env, &value, err);
	if (status == ATLAS_OK)
		*result = value;
	return status;
}
