/*
 * distinfo.c - installed distributions, read from the *.dist-info
 * directories of a site-packages directory: METADATA (RFC 822 headers),
 * RECORD (CSV) and top_level.txt.
 *
 * These files are written by many tools over many years, so the reader
 * takes what it can use and reports the rest as errors instead of
 * giving up on the whole directory.
 */
#include "config.h"

#include <dirent.h>
#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>

#include <nettle/sha2.h>

#include "internal.h"

/* A dist-info file larger than this is not metadata. */
#define MAX_FILE_SIZE (64u * 1024 * 1024)

struct atlas_distinfo {
	atlas_dist *dists;
	size_t n_dists;
	atlas_error *errors;
	size_t n_errors;
	bool failed;		/* an allocation failed somewhere */
};

/* A growable array of strings; failure is sticky like buf's. */
typedef struct strvec {
	char **items;
	size_t n;
	size_t cap;
	bool failed;
} strvec;

static void
strvec_push_owned(strvec *v, char *s)
{
	if (s == NULL || v->failed) {
		free(s);
		v->failed = true;
		return;
	}
	if (v->n == v->cap) {
		size_t cap = v->cap ? v->cap * 2 : 8;
		char **items = realloc(v->items, cap * sizeof *items);
		if (items == NULL) {
			free(s);
			v->failed = true;
			return;
		}
		v->items = items;
		v->cap = cap;
	}
	v->items[v->n++] = s;
}

static void
strvec_free(strvec *v)
{
	for (size_t i = 0; i < v->n; i++)
		free(v->items[i]);
	free(v->items);
	memset(v, 0, sizeof *v);
}

static void
free_strings(char **items, size_t n)
{
	for (size_t i = 0; i < n; i++)
		free(items[i]);
	free(items);
}

static void
dist_clear(atlas_dist *d)
{
	free(d->name);
	free(d->canonical_name);
	free(d->version);
	free(d->license);
	free(d->license_expression);
	free(d->license_text);
	free_strings(d->license_classifiers, d->n_license_classifiers);
	free_strings(d->requires_dist, d->n_requires_dist);
	free_strings(d->top_level, d->n_top_level);
	free_strings(d->files, d->n_files);
	free(d->dist_info);
	memset(d, 0, sizeof *d);
}

static void add_error(atlas_distinfo *list, atlas_status status, const char *file,
    unsigned line, const char *fmt, ...) __attribute__((format(printf, 5, 6)));

static void
add_error(atlas_distinfo *list, atlas_status status, const char *file,
    unsigned line, const char *fmt, ...)
{
	char message[ATLAS_ERROR_MESSAGE_MAX];
	va_list ap;
	atlas_error *errors = realloc(list->errors,
	    (list->n_errors + 1) * sizeof *errors);

	if (errors == NULL) {
		list->failed = true;
		return;
	}
	list->errors = errors;
	va_start(ap, fmt);
	vsnprintf(message, sizeof message, fmt, ap);
	va_end(ap);
	atlas_error_set(&list->errors[list->n_errors++], status, file, line, 0,
	    "%s", message);
}

/* Read a whole file, NUL-terminated; NULL with errno set on failure. */
static char *
read_whole_file(const char *path, size_t *len)
{
	FILE *f = fopen(path, "rb");
	buf b;
	char chunk[8192];
	size_t n;

	if (f == NULL)
		return NULL;
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0) {
		buf_append(&b, chunk, n);
		if (b.len > MAX_FILE_SIZE) {
			fclose(f);
			buf_free(&b);
			errno = EFBIG;
			return NULL;
		}
	}
	if (ferror(f)) {
		int saved = errno;
		fclose(f);
		buf_free(&b);
		errno = saved ? saved : EIO;
		return NULL;
	}
	fclose(f);
	*len = b.len;
	char *data = buf_take(&b);
	if (data == NULL)
		errno = ENOMEM;
	return data;
}

static char *
trimmed_copy(const char *s, size_t n)
{
	while (n > 0 && is_ascii_space((unsigned char)*s))
		s++, n--;
	while (n > 0 && is_ascii_space((unsigned char)s[n - 1]))
		n--;
	return atlas_strndup_internal(s, n);
}

static bool
header_is(const char *name, size_t n, const char *want)
{
	if (strlen(want) != n)
		return false;
	for (size_t i = 0; i < n; i++)
		if (ascii_lower((unsigned char)name[i]) != ascii_lower((unsigned char)want[i]))
			return false;
	return true;
}

/* An identifier as Python 3 spells them; bytes beyond ASCII are taken
 * on trust, since a non-ASCII module name is valid Python. */
static bool
is_identifier(const char *s, size_t n)
{
	if (n == 0 || is_ascii_digit((unsigned char)s[0]))
		return false;
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char)s[i];
		if (!is_ascii_alnum(c) && c != '_' && c < 0x80)
			return false;
	}
	return true;
}

static bool
is_dotted_identifier(const char *s)
{
	const char *start = s;
	for (const char *p = s;; p++) {
		if (*p == '.' || *p == '\0') {
			if (!is_identifier(start, (size_t)(p - start)))
				return false;
			if (*p == '\0')
				return true;
			start = p + 1;
		}
	}
}

/* One header of METADATA, its continuation lines joined by "\n". */
typedef struct header {
	const char *name;
	size_t name_len;
	buf value;
	unsigned line;
} header;

typedef struct metadata_state {
	atlas_dist *dist;
	strvec classifiers;
	strvec requires;
	char *name;
	char *version;
	unsigned name_line;
} metadata_state;

static void
take_header(metadata_state *st, header *h)
{
	char *value = buf_take(&h->value);
	char *clean;

	if (value == NULL) {
		st->classifiers.failed = true;
		return;
	}
	clean = trimmed_copy(value, strlen(value));
	free(value);
	if (clean == NULL) {
		st->classifiers.failed = true;
		return;
	}
	/* The first of a single-valued field wins, as in importlib.metadata. */
	if (header_is(h->name, h->name_len, "Name") && st->name == NULL) {
		st->name = clean;
		st->name_line = h->line;
	} else if (header_is(h->name, h->name_len, "Version") && st->version == NULL) {
		st->version = clean;
	} else if (header_is(h->name, h->name_len, "License-Expression")
	    && st->dist->license_expression == NULL && clean[0] != '\0') {
		st->dist->license_expression = clean;
	} else if (header_is(h->name, h->name_len, "License")
	    && st->dist->license_text == NULL && clean[0] != '\0') {
		st->dist->license_text = clean;
	} else if (header_is(h->name, h->name_len, "Requires-Dist") && clean[0] != '\0') {
		strvec_push_owned(&st->requires, clean);
	} else if (header_is(h->name, h->name_len, "Classifier")
	    && strncmp(clean, "License ::", 10) == 0) {
		/* "License :: OSI Approved :: MIT License" names "MIT License";
		 * a bare category such as "License :: OSI Approved" names none. */
		const char *last = clean;
		int parts = 1;
		for (const char *p = strstr(clean, "::"); p; p = strstr(p + 2, "::")) {
			last = p + 2;
			parts++;
		}
		if (parts >= 2 && strcmp(clean, "License :: OSI Approved") != 0)
			strvec_push_owned(&st->classifiers, trimmed_copy(last, strlen(last)));
		free(clean);
	} else {
		free(clean);
	}
}

/* Parse METADATA's headers; the body (the long description) ends them.
 * Returns false only when out of memory. */
static bool
parse_metadata(atlas_distinfo *list, metadata_state *st, const char *path,
    const char *data, size_t len)
{
	header h = { 0 };
	bool open = false;
	unsigned line = 0;
	size_t pos = 0;

	buf_init(&h.value);
	/* A UTF-8 byte order mark is not part of the first header's name. */
	if (len >= 3 && memcmp(data, "\xEF\xBB\xBF", 3) == 0)
		pos = 3;
	while (pos < len) {
		const char *start = data + pos;
		const char *nl = memchr(start, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - start) : len - pos;
		pos += n + (nl != NULL);
		line++;
		if (n > 0 && start[n - 1] == '\r')
			n--;
		if (n == 0)
			break;	/* the blank line before the body */
		if (start[0] == ' ' || start[0] == '\t') {
			if (open) {
				buf_putc(&h.value, '\n');
				buf_append(&h.value, start, n);
				while (h.value.len > 0 && is_ascii_space((unsigned char)h.value.data[h.value.len - 1]))
					h.value.data[--h.value.len] = '\0';
			}
			continue;
		}
		if (open) {
			take_header(st, &h);
			open = false;
		}
		const char *colon = memchr(start, ':', n);
		if (colon == NULL || colon == start) {
			add_error(list, ATLAS_ERR_SYNTAX, path, line,
			    "not a \"Name: value\" header; line ignored");
			continue;
		}
		h.name = start;
		h.name_len = (size_t)(colon - start);
		h.line = line;
		buf_init(&h.value);
		buf_append(&h.value, colon + 1, n - (size_t)(colon + 1 - start));
		open = true;
	}
	if (open)
		take_header(st, &h);
	buf_free(&h.value);
	return !st->classifiers.failed && !st->requires.failed;
}

/* RECORD is CSV: path,hash,size, with "..." quoting ("" for a quote)
 * around any field that holds a comma, a quote or a line break. */
static void
parse_record(atlas_distinfo *list, strvec *files, const char *path,
    const char *data, size_t len)
{
	buf field;
	unsigned line = 1, quote_line = 0;
	int field_index = 0;
	size_t field_chars = 0;	/* of the current field, whichever it is */
	bool quoted = false;

	buf_init(&field);
	for (size_t i = 0; i <= len; i++) {
		char c = i < len ? data[i] : '\n';
		bool at_end = i == len;

		if (quoted && !at_end) {
			if (c == '"') {
				if (i + 1 < len && data[i + 1] == '"') {
					if (field_index == 0)
						buf_putc(&field, '"');
					i++;
				} else {
					quoted = false;
				}
			} else {
				if (c == '\n')
					line++;
				if (field_index == 0)
					buf_putc(&field, c);
			}
			continue;
		}
		if (quoted && at_end) {
			add_error(list, ATLAS_ERR_SYNTAX, path, quote_line,
			    "a quoted field is never closed; the rest of the file is ignored");
			break;
		}
		if (c == '"' && field_chars == 0) {
			quoted = true;
			quote_line = line;
			field_chars++;
			continue;
		}
		if (c == ',') {
			if (field_index == 0 && field.len > 0)
				strvec_push_owned(files, buf_take(&field));
			buf_free(&field);
			field_index++;
			field_chars = 0;
			continue;
		}
		if (c == '\n' || c == '\r') {
			if (field_index == 0 && field.len > 0)
				strvec_push_owned(files, buf_take(&field));
			if (field.failed)
				files->failed = true;
			buf_free(&field);
			if (c == '\r' && i + 1 < len && data[i + 1] == '\n')
				i++;
			line++;
			field_index = 0;
			field_chars = 0;
			continue;
		}
		if (field_index == 0)
			buf_putc(&field, c);
		field_chars++;
	}
	if (field.failed)
		files->failed = true;
	buf_free(&field);
}

static void
push_module(strvec *modules, const char *name, size_t n)
{
	if (is_identifier(name, n))
		strvec_push_owned(modules, atlas_strndup_internal(name, n));
}

/* Without top_level.txt, what RECORD installs at the top of
 * site-packages tells: a package directory with an __init__.py, a
 * module "name.py" or an extension "name.cpython-311-x86_64-linux-gnu.so". */
static void
derive_top_level(strvec *modules, char *const *files, size_t n_files)
{
	for (size_t i = 0; i < n_files; i++) {
		const char *p = files[i];
		const char *slash = strchr(p, '/');
		size_t n;

		if (p[0] == '/' || strncmp(p, "../", 3) == 0 || strncmp(p, "./", 2) == 0)
			continue;
		if (slash != NULL) {
			if (strcmp(slash + 1, "__init__.py") == 0)
				push_module(modules, p, (size_t)(slash - p));
			continue;
		}
		n = strlen(p);
		if (n > 3 && strcmp(p + n - 3, ".py") == 0)
			push_module(modules, p, n - 3);
		else if (n > 3 && (strcmp(p + n - 3, ".so") == 0 || strcmp(p + n - 4, ".pyd") == 0))
			push_module(modules, p, strcspn(p, "."));
	}
}

static void
parse_top_level(strvec *modules, const char *data, size_t len)
{
	size_t pos = 0;

	while (pos < len) {
		const char *start = data + pos;
		const char *nl = memchr(start, '\n', len - pos);
		size_t n = nl ? (size_t)(nl - start) : len - pos;
		pos += n + (nl != NULL);
		char *entry = trimmed_copy(start, n);
		if (entry == NULL) {
			modules->failed = true;
			return;
		}
		/* Old setuptools writes namespace packages as paths. */
		for (char *p = entry; *p; p++)
			if (*p == '/' || *p == '\\')
				*p = '.';
		if (entry[0] != '\0' && entry[0] != '#' && is_dotted_identifier(entry))
			strvec_push_owned(modules, entry);
		else
			free(entry);
	}
}

static int
compare_strings(const void *a, const void *b)
{
	return strcmp(*(char *const *)a, *(char *const *)b);
}

static void
sort_unique(strvec *v)
{
	size_t out = 0;

	if (v->n == 0)
		return;
	qsort(v->items, v->n, sizeof *v->items, compare_strings);
	for (size_t i = 0; i < v->n; i++) {
		if (out > 0 && strcmp(v->items[out - 1], v->items[i]) == 0)
			free(v->items[i]);
		else
			v->items[out++] = v->items[i];
	}
	v->n = out;
}

/* One line for people: the SPDX expression when there is one, a short
 * License field, the classifiers, or the first line of a long License. */
static char *
license_summary(const atlas_dist *d)
{
	const char *text = d->license_text;
	bool text_usable = text != NULL && strchr(text, '\n') == NULL
	    && strlen(text) <= 100 && strcmp(text, "UNKNOWN") != 0;

	if (d->license_expression != NULL)
		return atlas_strdup_internal(d->license_expression);
	if (text_usable)
		return atlas_strdup_internal(text);
	if (d->n_license_classifiers > 0) {
		buf b;
		buf_init(&b);
		for (size_t i = 0; i < d->n_license_classifiers; i++) {
			if (i > 0)
				buf_puts(&b, ", ");
			buf_puts(&b, d->license_classifiers[i]);
		}
		return buf_take(&b);
	}
	if (text != NULL && strcmp(text, "UNKNOWN") != 0)
		return trimmed_copy(text, strcspn(text, "\n"));
	return NULL;
}

static char *
path_join(const char *dir, const char *a, const char *b)
{
	buf p;
	buf_init(&p);
	buf_printf(&p, "%s/%s%s%s", dir, a, b ? "/" : "", b ? b : "");
	return buf_take(&p);
}

/* Read one dist-info directory into d.  Returns false when the
 * distribution is unusable (already reported) or memory ran out. */
static bool
read_dist(atlas_distinfo *list, const char *site, const char *entry, atlas_dist *d)
{
	metadata_state st = { .dist = d };
	strvec files = { 0 }, modules = { 0 };
	char *path, *data;
	size_t len = 0;
	bool ok = false;

	d->dist_info = atlas_strdup_internal(entry);
	path = path_join(site, entry, "METADATA");
	if (d->dist_info == NULL || path == NULL) {
		list->failed = true;
		goto out;
	}
	data = read_whole_file(path, &len);
	if (data == NULL) {
		add_error(list, ATLAS_ERR_IO, path, 0,
		    "cannot read METADATA: %s; distribution ignored", strerror(errno));
		goto out;
	}
	if (!parse_metadata(list, &st, path, data, len))
		list->failed = true;
	free(data);
	if (st.name == NULL || st.name[0] == '\0' || st.version == NULL || st.version[0] == '\0') {
		add_error(list, ATLAS_ERR_INVALID, path, 0,
		    "METADATA has no %s; distribution ignored",
		    st.name == NULL || st.name[0] == '\0' ? "Name" : "Version");
		goto out;
	}
	if (!atlas_name_is_valid(st.name)) {
		add_error(list, ATLAS_ERR_INVALID, path, st.name_line,
		    "'%s' is not a valid distribution name; distribution ignored", st.name);
		goto out;
	}
	d->canonical_name = atlas_name_canonicalize(st.name);
	if (d->canonical_name == NULL) {
		list->failed = true;
		goto out;
	}
	d->name = st.name;
	d->version = st.version;
	st.name = st.version = NULL;

	free(path);
	path = path_join(site, entry, "RECORD");
	if (path == NULL) {
		list->failed = true;
		goto out;
	}
	data = read_whole_file(path, &len);
	if (data != NULL) {
		parse_record(list, &files, path, data, len);
		free(data);
	} else if (errno != ENOENT) {
		add_error(list, ATLAS_ERR_IO, path, 0, "cannot read RECORD: %s", strerror(errno));
	}

	free(path);
	path = path_join(site, entry, "top_level.txt");
	if (path == NULL) {
		list->failed = true;
		goto out;
	}
	data = read_whole_file(path, &len);
	if (data != NULL) {
		parse_top_level(&modules, data, len);
		free(data);
	} else {
		if (errno != ENOENT)
			add_error(list, ATLAS_ERR_IO, path, 0,
			    "cannot read top_level.txt: %s; using RECORD instead", strerror(errno));
		derive_top_level(&modules, files.items, files.n);
	}
	sort_unique(&modules);
	if (files.failed || modules.failed || st.classifiers.failed || st.requires.failed) {
		list->failed = true;
		goto out;
	}
	d->files = files.items;
	d->n_files = files.n;
	d->top_level = modules.items;
	d->n_top_level = modules.n;
	d->license_classifiers = st.classifiers.items;
	d->n_license_classifiers = st.classifiers.n;
	d->requires_dist = st.requires.items;
	d->n_requires_dist = st.requires.n;
	memset(&files, 0, sizeof files);
	memset(&modules, 0, sizeof modules);
	memset(&st.classifiers, 0, sizeof st.classifiers);
	memset(&st.requires, 0, sizeof st.requires);
	d->license = license_summary(d);
	if (d->license == NULL && (d->license_expression || d->n_license_classifiers
	    || (d->license_text && strcmp(d->license_text, "UNKNOWN") != 0))) {
		list->failed = true;
		goto out;
	}
	ok = true;
out:
	free(path);
	free(st.name);
	free(st.version);
	strvec_free(&st.classifiers);
	strvec_free(&st.requires);
	strvec_free(&files);
	strvec_free(&modules);
	if (!ok)
		dist_clear(d);
	return ok;
}

static int
compare_dists(const void *a, const void *b)
{
	const atlas_dist *x = a, *y = b;
	int c = strcmp(x->canonical_name, y->canonical_name);
	return c ? c : strcmp(x->dist_info, y->dist_info);
}

static bool
ends_with(const char *s, const char *suffix)
{
	size_t n = strlen(s), m = strlen(suffix);
	return n > m && strcmp(s + n - m, suffix) == 0;
}

atlas_distinfo *
atlas_distinfo_load(const char *site_packages, atlas_error *err)
{
	atlas_distinfo *list;
	DIR *dir;
	struct dirent *ent;
	size_t cap = 0;

	dir = opendir(site_packages);
	if (dir == NULL) {
		atlas_error_set(err, ATLAS_ERR_IO, site_packages, 0, 0,
		    "cannot read the site-packages directory: %s", strerror(errno));
		return NULL;
	}
	list = calloc(1, sizeof *list);
	if (list == NULL) {
		closedir(dir);
		atlas_error_set(err, ATLAS_ERR_NOMEM, site_packages, 0, 0, "out of memory");
		return NULL;
	}
	while (!list->failed && (ent = readdir(dir)) != NULL) {
		struct stat sb;
		char *path;

		if (!ends_with(ent->d_name, ".dist-info"))
			continue;
		path = path_join(site_packages, ent->d_name, NULL);
		if (path == NULL) {
			list->failed = true;
			break;
		}
		if (stat(path, &sb) != 0 || !S_ISDIR(sb.st_mode)) {
			free(path);
			continue;
		}
		free(path);
		if (list->n_dists == cap) {
			size_t new_cap = cap ? cap * 2 : 16;
			atlas_dist *dists = realloc(list->dists, new_cap * sizeof *dists);
			if (dists == NULL) {
				list->failed = true;
				break;
			}
			list->dists = dists;
			cap = new_cap;
		}
		memset(&list->dists[list->n_dists], 0, sizeof list->dists[0]);
		if (read_dist(list, site_packages, ent->d_name, &list->dists[list->n_dists]))
			list->n_dists++;
	}
	closedir(dir);
	if (list->failed) {
		atlas_distinfo_free(list);
		atlas_error_set(err, ATLAS_ERR_NOMEM, site_packages, 0, 0, "out of memory");
		return NULL;
	}
	if (list->n_dists > 1)
		qsort(list->dists, list->n_dists, sizeof *list->dists, compare_dists);

	/* Two dist-info directories of one distribution are the leftovers
	 * of a broken upgrade: which one Python reads is an accident, so
	 * the first is kept and the other reported. */
	size_t out = 0;
	for (size_t i = 0; i < list->n_dists; i++) {
		if (out > 0 && strcmp(list->dists[out - 1].canonical_name,
		    list->dists[i].canonical_name) == 0) {
			char *where = path_join(site_packages, list->dists[i].dist_info, NULL);
			add_error(list, ATLAS_ERR_CONFLICT, where ? where : site_packages, 0,
			    "a second dist-info directory of '%s'; ignored",
			    list->dists[i].canonical_name);
			free(where);
			dist_clear(&list->dists[i]);
		} else {
			list->dists[out++] = list->dists[i];
		}
	}
	list->n_dists = out;
	if (list->failed) {
		atlas_distinfo_free(list);
		atlas_error_set(err, ATLAS_ERR_NOMEM, site_packages, 0, 0, "out of memory");
		return NULL;
	}
	return list;
}

void
atlas_distinfo_free(atlas_distinfo *dists)
{
	if (dists == NULL)
		return;
	for (size_t i = 0; i < dists->n_dists; i++)
		dist_clear(&dists->dists[i]);
	free(dists->dists);
	free(dists->errors);
	free(dists);
}

size_t
atlas_distinfo_count(const atlas_distinfo *dists)
{
	return dists ? dists->n_dists : 0;
}

const atlas_dist *
atlas_distinfo_get(const atlas_distinfo *dists, size_t i)
{
	return dists && i < dists->n_dists ? &dists->dists[i] : NULL;
}

const atlas_dist *
atlas_distinfo_find(const atlas_distinfo *dists, const char *name)
{
	char *canonical;
	const atlas_dist *found = NULL;
	size_t lo = 0, hi;

	if (dists == NULL || name == NULL)
		return NULL;
	canonical = atlas_name_canonicalize(name);
	if (canonical == NULL)
		return NULL;
	hi = dists->n_dists;
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = strcmp(dists->dists[mid].canonical_name, canonical);
		if (c == 0) {
			found = &dists->dists[mid];
			break;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	free(canonical);
	return found;
}

size_t
atlas_distinfo_error_count(const atlas_distinfo *dists)
{
	return dists ? dists->n_errors : 0;
}

const atlas_error *
atlas_distinfo_error_get(const atlas_distinfo *dists, size_t i)
{
	return dists && i < dists->n_errors ? &dists->errors[i] : NULL;
}

/* Fields are separated by a byte no metadata holds, so that moving
 * text from one field to the next changes the digest. */
static void
hash_field(struct sha256_ctx *ctx, const char *s, char end)
{
	if (s != NULL)
		sha256_update(ctx, strlen(s), (const uint8_t *)s);
	sha256_update(ctx, 1, (const uint8_t *)&end);
}

char *
atlas_distinfo_digest(const atlas_distinfo *dists)
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	char *hex;

	sha256_init(&ctx);
	for (size_t i = 0; i < atlas_distinfo_count(dists); i++) {
		const atlas_dist *d = &dists->dists[i];
		hash_field(&ctx, d->canonical_name, '\x1f');
		hash_field(&ctx, d->version, '\x1f');
		hash_field(&ctx, d->license_expression, '\x1f');
		hash_field(&ctx, d->license_text, '\x1f');
		for (size_t j = 0; j < d->n_license_classifiers; j++)
			hash_field(&ctx, d->license_classifiers[j], '\x1e');
		hash_field(&ctx, NULL, '\n');
	}
	sha256_digest(&ctx, sizeof digest, digest);
	hex = malloc(2 * sizeof digest + 1);
	if (hex == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof digest; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	return hex;
}
