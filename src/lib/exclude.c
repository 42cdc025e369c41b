/*
 * exclude.c - the import exclusion list: "module  # reason" a line.
 *
 * The list is reviewed like code, so it is strict: a line that is not
 * a module name followed by a reason stops the whole list, with the
 * line and column of the problem.
 */
#include "config.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "internal.h"

struct atlas_exclude {
	atlas_exclusion *items;
	size_t n_items;
	char *storage;		/* the copy of the text the items point into */
};

static bool
is_module_char(unsigned char c)
{
	/* Bytes beyond ASCII may be part of a Python 3 identifier. */
	return is_ascii_alnum(c) || c == '_' || c == '.' || c >= 0x80;
}

static bool
is_module_name(const char *s)
{
	if (*s == '\0' || *s == '.' || is_ascii_digit((unsigned char)*s))
		return false;
	for (const char *p = s; *p; p++) {
		if (*p == '.' && (p[1] == '\0' || p[1] == '.' || is_ascii_digit((unsigned char)p[1])))
			return false;
	}
	return true;
}

atlas_exclude *
atlas_exclude_parse(const char *path, const char *data, size_t len,
    atlas_error *err)
{
	atlas_exclude *ex = calloc(1, sizeof *ex);
	size_t cap = 0;
	unsigned line = 0;
	char *p, *end;

	if (ex == NULL || (ex->storage = atlas_strndup_internal(data, len)) == NULL) {
		free(ex);
		atlas_error_set(err, ATLAS_ERR_NOMEM, path, 0, 0, "out of memory");
		return NULL;
	}
	p = ex->storage;
	end = p + len;
	if (len >= 3 && memcmp(p, "\xEF\xBB\xBF", 3) == 0)
		p += 3;
	while (p < end) {
		char *start = p, *nl = memchr(p, '\n', (size_t)(end - p));
		char *stop = nl ? nl : end;
		char *q = start, *name, *name_end, *reason;

		line++;
		p = nl ? nl + 1 : end;
		*stop = '\0';
		if (stop > start && stop[-1] == '\r')
			*--stop = '\0';
		if (memchr(start, '\0', (size_t)(stop - start)) != NULL) {
			atlas_error_set(err, ATLAS_ERR_SYNTAX, path, line, 0,
			    "a NUL byte in an exclusion line");
			goto fail;
		}
		while (*q == ' ' || *q == '\t')
			q++;
		if (*q == '\0' || *q == '#')
			continue;	/* a blank line or a comment of the file */
		name = q;
		while (*q && is_module_char((unsigned char)*q))
			q++;
		name_end = q;
		while (*q == ' ' || *q == '\t')
			q++;
		if (name_end == name || (*q != '#' && *q != '\0')) {
			atlas_error_set(err, ATLAS_ERR_SYNTAX, path, line,
			    (unsigned)(q - start) + 1,
			    "expected \"module  # reason\"");
			goto fail;
		}
		if (*q == '\0') {
			atlas_error_set(err, ATLAS_ERR_SYNTAX, path, line,
			    (unsigned)(name_end - start) + 1,
			    "no reason given; write \"module  # why it is excluded\"");
			goto fail;
		}
		reason = q + 1;
		while (*reason == ' ' || *reason == '\t' || *reason == '#')
			reason++;
		char *reason_end = reason + strlen(reason);
		while (reason_end > reason && is_ascii_space((unsigned char)reason_end[-1]))
			*--reason_end = '\0';
		if (*reason == '\0') {
			atlas_error_set(err, ATLAS_ERR_SYNTAX, path, line,
			    (unsigned)(q - start) + 1,
			    "the reason is empty; say why the module is excluded");
			goto fail;
		}
		*name_end = '\0';
		if (!is_module_name(name)) {
			atlas_error_set(err, ATLAS_ERR_SYNTAX, path, line,
			    (unsigned)(name - start) + 1,
			    "'%s' is not a module name", name);
			goto fail;
		}
		if (atlas_exclude_find(ex, name) != NULL) {
			for (size_t i = 0; i < ex->n_items; i++) {
				if (strcmp(ex->items[i].module, name) != 0)
					continue;
				atlas_error_set(err, ATLAS_ERR_CONFLICT, path, line,
				    (unsigned)(name - start) + 1,
				    "'%s' is already excluded on line %u", name, ex->items[i].line);
				goto fail;
			}
		}
		if (ex->n_items == cap) {
			size_t new_cap = cap ? cap * 2 : 16;
			atlas_exclusion *items = realloc(ex->items, new_cap * sizeof *items);
			if (items == NULL) {
				atlas_error_set(err, ATLAS_ERR_NOMEM, path, 0, 0, "out of memory");
				goto fail;
			}
			ex->items = items;
			cap = new_cap;
		}
		ex->items[ex->n_items++] = (atlas_exclusion){ name, reason, line };
	}
	return ex;
fail:
	atlas_exclude_free(ex);
	return NULL;
}

atlas_exclude *
atlas_exclude_load(const char *path, atlas_error *err)
{
	FILE *f = fopen(path, "rb");
	buf b;
	char chunk[8192];
	size_t n;
	atlas_exclude *ex;

	if (f == NULL) {
		atlas_error_set(err, ATLAS_ERR_IO, path, 0, 0, "cannot open: %s", strerror(errno));
		return NULL;
	}
	buf_init(&b);
	while ((n = fread(chunk, 1, sizeof chunk, f)) > 0)
		buf_append(&b, chunk, n);
	if (ferror(f)) {
		atlas_error_set(err, ATLAS_ERR_IO, path, 0, 0, "cannot read: %s", strerror(errno));
		fclose(f);
		buf_free(&b);
		return NULL;
	}
	fclose(f);
	if (b.failed) {
		buf_free(&b);
		atlas_error_set(err, ATLAS_ERR_NOMEM, path, 0, 0, "out of memory");
		return NULL;
	}
	ex = atlas_exclude_parse(path, b.data ? b.data : "", b.len, err);
	buf_free(&b);
	return ex;
}

void
atlas_exclude_free(atlas_exclude *exclude)
{
	if (exclude == NULL)
		return;
	free(exclude->items);
	free(exclude->storage);
	free(exclude);
}

size_t
atlas_exclude_count(const atlas_exclude *exclude)
{
	return exclude ? exclude->n_items : 0;
}

const atlas_exclusion *
atlas_exclude_get(const atlas_exclude *exclude, size_t i)
{
	return exclude && i < exclude->n_items ? &exclude->items[i] : NULL;
}

const char *
atlas_exclude_find(const atlas_exclude *exclude, const char *module)
{
	if (exclude == NULL || module == NULL)
		return NULL;
	for (size_t i = 0; i < exclude->n_items; i++) {
		const char *m = exclude->items[i].module;
		size_t n = strlen(m);
		/* Excluding a package excludes its submodules too. */
		if (strncmp(module, m, n) == 0 && (module[n] == '\0' || module[n] == '.'))
			return exclude->items[i].reason;
	}
	return NULL;
}
