/*
 * check.c - the checks of `atlas req check`.
 *
 * Every file named is parsed; unless the check is syntax-only, its -r
 * and -c includes are followed (relative to the including file, each
 * file read once, cycles reported with their chain) and the pin policy
 * of the image's requirement files applies:
 *   - every requirement is pinned with == ("unpinned"); a constraint
 *     file reached through -c may hold ranges;
 *   - a name appears once per file ("duplicate"), unless both lines
 *     carry markers, the way lock generators split a package by
 *     platform;
 *   - files checked together agree on each package's version
 *     ("conflict"); a .lock and its .txt sibling are compared instead
 *     ("lock-mismatch": every .txt entry is in the .lock at its pin,
 *     while the .lock may add transitive dependencies);
 *   - .lock entries are pinned and carry a well-formed sha256 hash
 *     ("lock-unpinned", "lock-hash");
 *   - no editable installs ("editable").
 * Pins whose marker is false for the image (CPython 3.11 on linux
 * x86_64) take no part in conflicts, as they are never installed.
 */
#include "config.h"

#include <errno.h>
#include <limits.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"
#include "reqfile-private.h"

typedef struct entry {
	atlas_diag diag;
	size_t order;		/* of the file it is about */
	size_t seq;		/* to keep the sort stable */
	char *source;		/* owned copy of the source line */
} entry;

struct atlas_check {
	entry *entries;
	size_t n;
	size_t cap;
	size_t errors;
	bool failed;
};

/* A file reached by the check. */
typedef struct loaded {
	char *path;		/* as shown: given, or joined to its includer */
	char *identity;		/* realpath, to read each file once */
	atlas_reqfile *file;
	size_t order;
	bool constraint_only;	/* reached only through -c */
	bool is_lock;
	struct name_index *by_name;	/* its requirements by name */
} loaded;

/* No entry, in name_index and in the chains of pins. */
#define NONE ((size_t)-1)

/*
 * One name of a name_table.  Slots are small and carry part of the hash,
 * so that the table of a large file stays in the processor's caches and
 * a probe reads a name from memory only when the hashes agree.
 */
typedef struct name_slot {
	uint32_t tag;		/* the high half of the hash */
	uint32_t first;		/* the first item of that name plus one; 0: empty */
} name_slot;

/*
 * An open-addressing table of the names of n items, at most two thirds
 * full.  The items are the caller's: the table asks for an item's hash,
 * which is at hand, and reads its name only when the hashes agree, since
 * in a large file every name read is a cache miss.
 */
typedef struct name_table {
	name_slot *slots;
	size_t mask;		/* the number of slots less one, a power of two */
	const void *items;
	bool (*has_name)(const void *items, size_t i);
	size_t (*hash_of)(const void *items, size_t i);	/* name_hash of the name */
	const char *(*name_of)(const void *items, size_t i);
} name_table;

/*
 * The requirement lines of a file grouped by canonical name, for finding
 * names without a scan or a sort: the first line of each name, and for
 * each line the next one of the same name, in file order.
 */
typedef struct name_index {
	name_table table;	/* over the file's lines */
	size_t *next;		/* per line of the file, or NONE */
	bool *repeated;		/* per line: an earlier line has its name */
} name_index;

/* One pin seen, for conflicts between files. */
typedef struct pin_seen {
	const char *canonical;
	const char *version;
	const loaded *from;
	const atlas_reqline *line;
	size_t hash;		/* name_hash of canonical */
} pin_seen;

typedef struct checker {
	atlas_check *check;
	const atlas_check_options *options;
	loaded *files;
	size_t n_files;
	size_t cap_files;
	const char **stack;	/* identities of the includes being followed */
	const char **stack_paths;
	size_t depth;
	size_t cap_stack;
	size_t next_order;
	atlas_env *env;
} checker;

/* ------------------------------------------------------------------ */
/* Diagnostics                                                         */
/* ------------------------------------------------------------------ */

static void report(checker *c, size_t order, const char *code,
    atlas_status status, const char *file, unsigned line, unsigned column,
    const char *source, const char *fmt, ...) __attribute__((format(printf, 9, 10)));

static void
report(checker *c, size_t order, const char *code, atlas_status status,
    const char *file, unsigned line, unsigned column, const char *source,
    const char *fmt, ...)
{
	atlas_check *ch = c->check;
	va_list ap;
	entry *e;

	if (ch->n == ch->cap) {
		size_t cap = ch->cap ? ch->cap * 2 : 16;
		entry *grown = realloc(ch->entries, cap * sizeof *grown);
		if (grown == NULL) {
			ch->failed = true;
			return;
		}
		ch->entries = grown;
		ch->cap = cap;
	}
	e = &ch->entries[ch->n];
	memset(e, 0, sizeof *e);
	e->order = order;
	e->seq = ch->n;
	e->diag.severity = ATLAS_SEVERITY_ERROR;
	e->diag.code = code;
	atlas_error_set(&e->diag.where, status, file, line, column, "%s", "");
	va_start(ap, fmt);
	vsnprintf(e->diag.where.message, sizeof e->diag.where.message, fmt, ap);
	va_end(ap);
	if (source != NULL) {
		e->source = atlas_strdup_internal(source);
		if (e->source == NULL) {
			ch->failed = true;
			return;
		}
	}
	ch->n++;
	ch->errors++;
}

/* A problem at a line of a loaded file, shown with that line. */
#define REPORT_AT(c, lf, code, status, line, column, ...) \
	report((c), (lf)->order, (code), (status), (lf)->path, (line), (column), \
	    atlas_reqfile_line_text((lf)->file, (line)), __VA_ARGS__)

static int
compare_entries(const void *a, const void *b)
{
	const entry *x = a, *y = b;

	if (x->order != y->order)
		return x->order < y->order ? -1 : 1;
	if (x->diag.where.line != y->diag.where.line)
		return x->diag.where.line < y->diag.where.line ? -1 : 1;
	if (x->diag.where.column != y->diag.where.column)
		return x->diag.where.column < y->diag.where.column ? -1 : 1;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* ------------------------------------------------------------------ */
/* Reading files and following includes                                */
/* ------------------------------------------------------------------ */

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n >= m && strcmp(s + n - m, suffix) == 0;
}

static bool
is_remote(const char *path)
{
	static const char *const schemes[] = { "http:", "https:", "file:" };

	for (size_t i = 0; i < sizeof schemes / sizeof schemes[0]; i++) {
		size_t n = strlen(schemes[i]), k = 0;
		while (k < n && ascii_lower((unsigned char)path[k]) == schemes[i][k])
			k++;
		if (k == n)
			return true;
	}
	return false;
}

static loaded *
find_loaded(checker *c, const char *identity)
{
	for (size_t i = 0; i < c->n_files; i++)
		if (strcmp(c->files[i].identity, identity) == 0)
			return &c->files[i];
	return NULL;
}

static bool
push_stack(checker *c, const char *identity, const char *path)
{
	if (c->depth == c->cap_stack) {
		size_t cap = c->cap_stack ? c->cap_stack * 2 : 8;
		const char **s = realloc(c->stack, cap * sizeof *s);
		if (s == NULL)
			return false;
		c->stack = s;
		s = realloc(c->stack_paths, cap * sizeof *s);
		if (s == NULL)
			return false;
		c->stack_paths = s;
		c->cap_stack = cap;
	}
	c->stack[c->depth] = identity;
	c->stack_paths[c->depth++] = path;
	return true;
}

/* The place that led to a file: NULL for a file named by the caller. */
typedef struct via {
	const loaded *from;
	const atlas_reqline *line;
} via;

static void visit(checker *c, const char *path, const via *how, bool constraint);

static void
report_reqfile_errors(checker *c, const loaded *lf)
{
	const atlas_reqfile *f = lf->file;

	for (size_t i = 0; i < f->n_errors; i++) {
		const atlas_error *e = &f->errors[i];
		bool unknown = e->status == REQFILE_UNKNOWN_OPTION;
		REPORT_AT(c, lf, unknown ? "unknown-option" : "syntax", e->status,
		    e->line, e->column, "%s", e->message);
	}
}

static void
follow_includes(checker *c, size_t index)
{
	/* c->files may move while visiting; work through the index. */
	for (size_t i = 0; i < c->files[index].file->n_lines; i++) {
		const atlas_reqline *l = &c->files[index].file->lines[i];
		if (l->kind != ATLAS_LINE_INCLUDE && l->kind != ATLAS_LINE_CONSTRAINT)
			continue;
		const loaded *from = &c->files[index];
		if (is_remote(l->value)) {
			REPORT_AT(c, from, "missing-file", ATLAS_ERR_IO, l->line, l->column,
			    "cannot follow '%s %s': files over the network are not checked",
			    l->option, l->value);
			continue;
		}
		char *path = reqfile_join_include(from->path, l->value);
		if (path == NULL) {
			c->check->failed = true;
			return;
		}
		via how = { from, l };
		visit(c, path, &how, l->kind == ATLAS_LINE_CONSTRAINT);
		free(path);
	}
}

static void
report_cycle(checker *c, const via *how, const char *path, const char *identity)
{
	buf chain;
	size_t first = 0;

	while (first < c->depth && strcmp(c->stack[first], identity) != 0)
		first++;
	buf_init(&chain);
	for (size_t i = first; i < c->depth; i++) {
		buf_puts(&chain, c->stack_paths[i]);
		buf_puts(&chain, " -> ");
	}
	buf_puts(&chain, path);
	char *text = buf_take(&chain);
	REPORT_AT(c, how->from, "include-cycle", ATLAS_ERR_INVALID,
	    how->line->line, how->line->column,
	    "include cycle: %s", text ? text : path);
	free(text);
}

static void
visit(checker *c, const char *path, const via *how, bool constraint)
{
	atlas_error err = { 0 };
	char *identity = realpath(path, NULL);

	if (identity == NULL) {
		int saved = errno;
		if (how == NULL)
			report(c, c->next_order++, "missing-file", ATLAS_ERR_IO, path, 0, 0,
			    NULL, "cannot read '%s': %s", path, strerror(saved));
		else
			REPORT_AT(c, how->from, "missing-file", ATLAS_ERR_IO,
			    how->line->line, how->line->column,
			    "cannot read included file '%s': %s", path, strerror(saved));
		return;
	}
	for (size_t i = 0; i < c->depth; i++) {
		if (strcmp(c->stack[i], identity) == 0) {
			report_cycle(c, how, path, identity);
			free(identity);
			return;
		}
	}
	loaded *seen = find_loaded(c, identity);
	if (seen != NULL) {
		/* Read once; a file also reached through -r is held to the
		 * full policy. */
		if (!constraint)
			seen->constraint_only = false;
		free(identity);
		return;
	}

	atlas_reqfile *file = atlas_reqfile_load(path, c->options->getenv_fn,
	    c->options->ctx, &err);
	if (file == NULL) {
		if (err.status == ATLAS_ERR_NOMEM)
			c->check->failed = true;
		else if (how == NULL)
			report(c, c->next_order++, "missing-file", ATLAS_ERR_IO, path, 0, 0,
			    NULL, "%s", err.message);
		else
			REPORT_AT(c, how->from, "missing-file", ATLAS_ERR_IO,
			    how->line->line, how->line->column,
			    "cannot read included file: %s", err.message);
		free(identity);
		return;
	}
	if (c->n_files == c->cap_files) {
		size_t cap = c->cap_files ? c->cap_files * 2 : 8;
		loaded *grown = realloc(c->files, cap * sizeof *grown);
		if (grown == NULL) {
			atlas_reqfile_free(file);
			free(identity);
			c->check->failed = true;
			return;
		}
		c->files = grown;
		c->cap_files = cap;
	}
	size_t index = c->n_files++;
	loaded *lf = &c->files[index];
	lf->path = atlas_strdup_internal(path);
	lf->identity = identity;
	lf->file = file;
	lf->order = c->next_order++;
	lf->constraint_only = constraint;
	lf->is_lock = ends_with(path, ".lock");
	lf->by_name = NULL;
	if (lf->path == NULL) {
		c->check->failed = true;
		return;
	}
	report_reqfile_errors(c, lf);
	if (c->options->syntax_only)
		return;
	if (!push_stack(c, c->files[index].identity, c->files[index].path)) {
		c->check->failed = true;
		return;
	}
	follow_includes(c, index);
	c->depth--;
}

/* ------------------------------------------------------------------ */
/* The pin policy                                                      */
/* ------------------------------------------------------------------ */

/* Whether a requirement is installed in the image at all. */
static bool
applies(const checker *c, const atlas_req *req)
{
	bool result = true;

	if (req->marker == NULL || c->env == NULL)
		return true;
	/* A marker that cannot be evaluated counts as true: better a
	 * conflict too many than one missed. */
	if (atlas_marker_evaluate(req->marker, c->env, &result, NULL) != ATLAS_OK)
		return true;
	return result;
}

static const char *
pin_of(const atlas_req *req)
{
	return req->url != NULL ? NULL : atlas_spec_pin(req->spec);
}

/* Whether two pinned requirements pin the same version: their specifiers
 * parsed the versions already. */
static bool
same_pin(const atlas_req *a, const atlas_req *b)
{
	const atlas_version *va = spec_pin_version(a->spec);
	const atlas_version *vb = spec_pin_version(b->spec);

	if (va != NULL && vb != NULL)
		return atlas_version_compare(va, vb) == 0;
	return atlas_version_text_equal(pin_of(a), pin_of(b));
}

/* The first character that is not a lower-case hex digit, or n.  pip
 * compares hashes with hashlib's lower-case hexdigest, so an upper-case
 * digest could never match. */
static size_t
first_non_hex(const char *s, size_t n)
{
	static const bool lower_hex[256] = {
		['0'] = true, ['1'] = true, ['2'] = true, ['3'] = true, ['4'] = true,
		['5'] = true, ['6'] = true, ['7'] = true, ['8'] = true, ['9'] = true,
		['a'] = true, ['b'] = true, ['c'] = true, ['d'] = true, ['e'] = true,
		['f'] = true,
	};

	for (size_t i = 0; i < n; i++)
		if (!lower_hex[(unsigned char)s[i]])
			return i;
	return n;
}

static void
check_lock_hashes(checker *c, const loaded *lf, size_t index)
{
	const atlas_reqline *l = &lf->file->lines[index];
	size_t sha256 = 0;

	for (size_t h = 0; h < l->n_hashes; h++) {
		const char *hash = l->hashes[h];
		unsigned line = l->line, column = l->column;
		if (strncmp(hash, "sha256:", 7) != 0)
			continue;
		sha256++;
		const char *digest = hash + 7;
		size_t n = strlen(digest);
		size_t bad = first_non_hex(digest, n);
		if (n == 64 && bad == n)
			continue;
		reqfile_hash_where(lf->file, index, h, &line, &column);
		if (n != 64)
			REPORT_AT(c, lf, "lock-hash", ATLAS_ERR_INVALID, line, column,
			    "malformed sha256 hash for '%s': expected 64 lower-case hex digits, found %zu characters",
			    l->req->name, n);
		else if (digest[bad] > ' ' && digest[bad] < 0x7f)
			REPORT_AT(c, lf, "lock-hash", ATLAS_ERR_INVALID, line, column,
			    "malformed sha256 hash for '%s': expected 64 lower-case hex digits, found '%c'",
			    l->req->name, digest[bad]);
		else
			REPORT_AT(c, lf, "lock-hash", ATLAS_ERR_INVALID, line, column,
			    "malformed sha256 hash for '%s': expected 64 lower-case hex digits, found byte 0x%02X",
			    l->req->name, (unsigned char)digest[bad]);
	}
	if (sha256 == 0)
		REPORT_AT(c, lf, "lock-hash", ATLAS_ERR_INVALID, l->line, l->column,
		    "lock entry '%s' has no sha256 hash: expected --hash=sha256:<64 lower-case hex digits>",
		    l->req->name);
}

static void
check_requirement(checker *c, const loaded *lf, size_t index)
{
	const atlas_reqline *l = &lf->file->lines[index];
	const atlas_req *req = l->req;
	const char *pin = pin_of(req);

	if (pin == NULL) {
		char *spec = req->url ? NULL : atlas_spec_format(req->spec);
		const char *code = lf->is_lock ? "lock-unpinned" : "unpinned";
		if (lf->is_lock || !lf->constraint_only) {
			if (req->url != NULL)
				REPORT_AT(c, lf, code, ATLAS_ERR_INVALID, l->line, l->column,
				    "'%s' comes from a URL and is not pinned: expected '%s==VERSION'",
				    req->name, req->name);
			else if (spec != NULL && spec[0] != '\0')
				REPORT_AT(c, lf, code, ATLAS_ERR_INVALID, l->line, l->column,
				    "'%s' is not pinned: '%s' allows more than one version; expected '%s==VERSION'",
				    req->name, spec, req->name);
			else
				REPORT_AT(c, lf, code, ATLAS_ERR_INVALID, l->line, l->column,
				    "'%s' is not pinned: expected '%s==VERSION'", req->name, req->name);
		}
		free(spec);
	}
	if (lf->is_lock)
		check_lock_hashes(c, lf, index);
}

/* A table for n items, its item functions to be filled in. */
static bool
table_init(name_table *t, size_t n)
{
	size_t n_slots = 16;

	t->slots = NULL;
	if (n >= UINT32_MAX)
		return false;
	while (n_slots < n + n / 2)
		n_slots *= 2;
	t->mask = n_slots - 1;
	t->slots = calloc(n_slots, sizeof *t->slots);
	return t->slots != NULL;
}

/* The slot of name: where it is, or the empty one where it would go. */
static name_slot *
table_find(const name_table *t, const char *name, size_t hash)
{
	uint32_t tag = (uint32_t)((unsigned long long)hash >> 32);
	size_t i = hash & t->mask;

	for (; t->slots[i].first != 0; i = (i + 1) & t->mask) {
		size_t item = t->slots[i].first - 1;
		if (t->slots[i].tag == tag && t->hash_of(t->items, item) == hash &&
		    strcmp(t->name_of(t->items, item), name) == 0)
			break;
	}
	return &t->slots[i];
}

/*
 * Chain the n items in groups of the same name, in their order: next[i]
 * is the next item named as item i, repeated[i] whether an earlier one
 * is.  The table ends up holding the first item of each name.
 */
static void
table_chain(name_table *t, size_t n, size_t *next, bool *repeated)
{
	/* Backwards, so that each chain comes out in order. */
	for (size_t i = n; i-- > 0;) {
		repeated[i] = false;
		next[i] = NONE;
		if (!t->has_name(t->items, i))
			continue;
		size_t hash = t->hash_of(t->items, i);
		uint32_t tag = (uint32_t)((unsigned long long)hash >> 32);
		name_slot *slot = &t->slots[hash & t->mask];
		/* A name read only for a probe that may match. */
		while (slot->first != 0 && (slot->tag != tag ||
		    t->hash_of(t->items, slot->first - 1) != hash ||
		    strcmp(t->name_of(t->items, slot->first - 1), t->name_of(t->items, i)) != 0))
			slot = &t->slots[((size_t)(slot - t->slots) + 1) & t->mask];
		if (slot->first != 0) {
			next[i] = slot->first - 1;
			repeated[slot->first - 1] = true;
		} else {
			slot->tag = tag;
		}
		slot->first = (uint32_t)i + 1;
	}
}

static void
name_index_free(name_index *ix)
{
	if (ix == NULL)
		return;
	free(ix->table.slots);
	free(ix->next);
	free(ix->repeated);
	free(ix);
}

/* The items of a file's name_index: the lines of an atlas_reqfile. */
static bool
line_has_name(const void *items, size_t i)
{
	return ((const atlas_reqfile *)items)->lines[i].kind == ATLAS_LINE_REQUIREMENT;
}

static size_t
line_hash(const void *items, size_t i)
{
	return reqfile_name_hashes(items)[i];
}

static const char *
line_name(const void *items, size_t i)
{
	return ((const atlas_reqfile *)items)->lines[i].req->canonical_name;
}

/* Group a file's requirements by name, once. */
static bool
index_names(checker *c, loaded *lf)
{
	const atlas_reqfile *f = lf->file;
	size_t n = f->n_lines ? f->n_lines : 1;
	name_index *ix;

	if (lf->by_name != NULL)
		return true;
	ix = calloc(1, sizeof *ix);
	if (ix == NULL)
		goto nomem;
	ix->next = malloc(n * sizeof *ix->next);
	ix->repeated = malloc(n * sizeof *ix->repeated);
	if (!table_init(&ix->table, f->n_lines) || ix->next == NULL || ix->repeated == NULL)
		goto nomem;
	ix->table.items = f;
	ix->table.has_name = line_has_name;
	ix->table.hash_of = line_hash;
	ix->table.name_of = line_name;
	table_chain(&ix->table, f->n_lines, ix->next, ix->repeated);
	lf->by_name = ix;
	return true;
nomem:
	name_index_free(ix);
	c->check->failed = true;
	return false;
}

/* The first requirement line of lf named canonical, or NONE. */
static size_t
first_named(const loaded *lf, const char *canonical)
{
	const name_slot *slot = table_find(&lf->by_name->table, canonical,
	    name_hash(canonical));

	return slot->first != 0 ? slot->first - 1 : NONE;
}

/* The same name twice in a file, reported at the later line. */
static void
check_duplicates(checker *c, loaded *lf)
{
	const atlas_reqline *lines = lf->file->lines;

	if (!index_names(c, lf))
		return;
	for (size_t j = 0; j < lf->file->n_lines; j++) {
		const atlas_reqline *l = &lines[j];
		if (l->kind != ATLAS_LINE_REQUIREMENT || !lf->by_name->repeated[j])
			continue;
		for (size_t i = first_named(lf, l->req->canonical_name); i < j;
		    i = lf->by_name->next[i]) {
			const atlas_reqline *prev = &lines[i];
			if (prev->req->marker != NULL && l->req->marker != NULL)
				continue;
			REPORT_AT(c, lf, "duplicate", ATLAS_ERR_INVALID, l->line, l->column,
			    "'%s' is listed twice in this file: first at line %u",
			    l->req->name, prev->line);
			break;
		}
	}
}

static void
check_file_policy(checker *c, loaded *lf)
{
	const atlas_reqfile *f = lf->file;

	check_duplicates(c, lf);
	for (size_t i = 0; i < f->n_lines; i++) {
		const atlas_reqline *l = &f->lines[i];
		switch (l->kind) {
		case ATLAS_LINE_REQUIREMENT:
			check_requirement(c, lf, i);
			break;
		case ATLAS_LINE_PATH:
			if (lf->is_lock || !lf->constraint_only)
				REPORT_AT(c, lf, lf->is_lock ? "lock-unpinned" : "unpinned",
				    ATLAS_ERR_INVALID, l->line, l->column,
				    "'%s' is a local path or URL, which cannot be pinned: expected NAME==VERSION",
				    l->value);
			break;
		case ATLAS_LINE_EDITABLE:
			REPORT_AT(c, lf, "editable", ATLAS_ERR_INVALID, l->line, l->column,
			    "editable requirement '%s' is not allowed in image requirement files: expected NAME==VERSION",
			    l->value);
			break;
		default:
			break;
		}
	}
}

/* X.lock and X.txt in the same directory. */
static bool
are_siblings(const loaded *a, const loaded *b)
{
	const loaded *lock = a->is_lock ? a : b, *txt = a->is_lock ? b : a;
	size_t n = strlen(lock->identity);

	if (lock == txt || !lock->is_lock || !ends_with(txt->identity, ".txt"))
		return false;
	return strlen(txt->identity) == n - 1 &&
	    strncmp(lock->identity, txt->identity, n - 4) == 0;
}

/* The items of the table of pins. */
static bool
pin_has_name(const void *items, size_t i)
{
	(void)items;
	(void)i;
	return true;
}

static size_t
pin_hash(const void *items, size_t i)
{
	return ((const pin_seen *)items)[i].hash;
}

static const char *
pin_name(const void *items, size_t i)
{
	return ((const pin_seen *)items)[i].canonical;
}

/* The same package pinned differently in two files. */
static void
check_conflicts(checker *c)
{
	pin_seen *pins = NULL;
	size_t n = 0, cap = 0, *next = NULL;
	bool *repeated = NULL;
	name_table table = { 0 };

	/* A conflict is between two files. */
	if (c->n_files < 2)
		return;

	for (size_t f = 0; f < c->n_files; f++) {
		const atlas_reqfile *file = c->files[f].file;
		for (size_t i = 0; i < file->n_lines; i++) {
			const atlas_reqline *l = &file->lines[i];
			const char *pin;
			if (l->kind != ATLAS_LINE_REQUIREMENT || (pin = pin_of(l->req)) == NULL ||
			    !applies(c, l->req))
				continue;
			if (n == cap) {
				cap = cap ? cap * 2 : 64;
				pin_seen *grown = realloc(pins, cap * sizeof *grown);
				if (grown == NULL)
					goto nomem;
				pins = grown;
			}
			pins[n] = (pin_seen){ l->req->canonical_name, pin, &c->files[f], l,
			    reqfile_name_hashes(file)[i] };
			n++;
		}
	}
	next = malloc((n ? n : 1) * sizeof *next);
	repeated = malloc((n ? n : 1) * sizeof *repeated);
	if (!table_init(&table, n) || next == NULL || repeated == NULL)
		goto nomem;
	table.items = pins;
	table.has_name = pin_has_name;
	table.hash_of = pin_hash;
	table.name_of = pin_name;
	table_chain(&table, n, next, repeated);
	for (size_t j = 0; j < n; j++) {
		if (!repeated[j])
			continue;
		const name_slot *slot = table_find(&table, pins[j].canonical, pins[j].hash);
		for (size_t i = slot->first - 1; i < j; i = next[i]) {
			if (pins[i].from == pins[j].from || are_siblings(pins[i].from, pins[j].from))
				continue;
			if (!same_pin(pins[i].line->req, pins[j].line->req))
				REPORT_AT(c, pins[j].from, "conflict", ATLAS_ERR_CONFLICT,
				    pins[j].line->line, pins[j].line->column,
				    "'%s' is pinned to %s here but to %s in %s:%u",
				    pins[j].line->req->name, pins[j].version, pins[i].version,
				    pins[i].from->path, pins[i].line->line);
			break;
		}
	}
	goto out;
nomem:
	c->check->failed = true;
out:
	free(table.slots);
	free(next);
	free(repeated);
	free(pins);
}

/* The first requirement of lf named canonical that applies, or NULL. */
static const atlas_reqline *
find_requirement(checker *c, loaded *lf, const char *canonical)
{
	if (!index_names(c, lf))
		return NULL;
	for (size_t i = first_named(lf, canonical); i != NONE; i = lf->by_name->next[i]) {
		const atlas_reqline *l = &lf->file->lines[i];
		if (applies(c, l->req))
			return l;
	}
	return NULL;
}

/* Every entry of X.txt is in X.lock, at its pin. */
static void
check_lock_against_txt(checker *c, loaded *lock, const loaded *txt)
{
	for (size_t i = 0; i < txt->file->n_lines; i++) {
		const atlas_reqline *t = &txt->file->lines[i];
		if (t->kind != ATLAS_LINE_REQUIREMENT || !applies(c, t->req))
			continue;
		const atlas_reqline *k = find_requirement(c, lock, t->req->canonical_name);
		if (k == NULL) {
			REPORT_AT(c, txt, "lock-mismatch", ATLAS_ERR_CONFLICT, t->line, t->column,
			    "'%s' is not in the lock %s: run 'make lock' to regenerate it",
			    t->req->name, lock->path);
			continue;
		}
		const char *want = pin_of(t->req), *have = pin_of(k->req);
		if (want != NULL && have != NULL && !same_pin(t->req, k->req))
			REPORT_AT(c, lock, "lock-mismatch", ATLAS_ERR_CONFLICT, k->line, k->column,
			    "'%s' is locked at %s but pinned to %s in %s:%u",
			    k->req->name, have, want, txt->path, t->line);
	}
}

static void
check_policy(checker *c)
{
	for (size_t f = 0; f < c->n_files; f++)
		check_file_policy(c, &c->files[f]);
	check_conflicts(c);
	for (size_t f = 0; f < c->n_files; f++) {
		if (!c->files[f].is_lock)
			continue;
		for (size_t t = 0; t < c->n_files; t++)
			if (are_siblings(&c->files[f], &c->files[t]))
				check_lock_against_txt(c, &c->files[f], &c->files[t]);
	}
}

/* ------------------------------------------------------------------ */
/* The API                                                             */
/* ------------------------------------------------------------------ */

atlas_check *
atlas_check_files(const char *const *paths, size_t n_paths,
    const atlas_check_options *options, atlas_error *err)
{
	static const atlas_check_options defaults = { 0 };
	checker c = { 0 };

	c.check = calloc(1, sizeof *c.check);
	c.options = options ? options : &defaults;
	if (c.check == NULL)
		goto nomem;
	for (size_t i = 0; i < n_paths && !c.check->failed; i++)
		visit(&c, paths[i], NULL, false);
	if (!c.options->syntax_only && !c.check->failed) {
		c.env = atlas_env_new_default();
		check_policy(&c);
	}
	if (c.check->failed)
		goto nomem;
	if (c.check->n > 0)
		qsort(c.check->entries, c.check->n, sizeof *c.check->entries, compare_entries);
	for (size_t i = 0; i < c.check->n; i++)
		c.check->entries[i].diag.source_line = c.check->entries[i].source;
	goto out;
nomem:
	atlas_check_free(c.check);
	c.check = NULL;
	atlas_error_set(err, ATLAS_ERR_NOMEM, NULL, 0, 0, "out of memory");
out:
	for (size_t i = 0; i < c.n_files; i++) {
		free(c.files[i].path);
		free(c.files[i].identity);
		name_index_free(c.files[i].by_name);
		atlas_reqfile_free(c.files[i].file);
	}
	free(c.files);
	free(c.stack);
	free(c.stack_paths);
	atlas_env_free(c.env);
	return c.check;
}

void
atlas_check_free(atlas_check *check)
{
	if (check == NULL)
		return;
	for (size_t i = 0; i < check->n; i++)
		free(check->entries[i].source);
	free(check->entries);
	free(check);
}

size_t
atlas_check_count(const atlas_check *check)
{
	return check ? check->n : 0;
}

const atlas_diag *
atlas_check_get(const atlas_check *check, size_t i)
{
	if (check == NULL || i >= check->n)
		return NULL;
	return &check->entries[i].diag;
}

size_t
atlas_check_errors(const atlas_check *check)
{
	return check ? check->errors : 0;
}
