/*
 * set.c - the effective pinned set of an image variant.
 *
 * The set is every "name==version" of requirements-tier0 .. tierN (and
 * requirements-materials) that the image installs: requirements whose
 * marker is false for the image's environment (CPython 3.11 on linux
 * x86_64) are left out, and -r includes are followed, since pip installs
 * them too; -c constraint files are not, since they install nothing.
 * A requirement that is not pinned is no part of the set: `atlas req
 * check` is what rejects it.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <nettle/sha2.h>

#include "internal.h"
#include "reqfile-private.h"

typedef struct pin_entry {
	atlas_pin pin;		/* its strings are owned by the entry */
	unsigned column;	/* where the requirement starts, for errors */
	size_t seq;		/* the order pins were read in */
} pin_entry;

struct atlas_set {
	pin_entry *pins;
	size_t n;
	size_t cap;
};

/* What loading needs: the set, the files read and the environment. */
typedef struct loader {
	atlas_set *set;
	char **visited;		/* realpaths of the files read */
	size_t n_visited;
	atlas_env *env;
	atlas_error *err;
} loader;

static void
free_entry(pin_entry *e)
{
	free((char *)e->pin.name);
	free((char *)e->pin.canonical_name);
	free((char *)e->pin.version);
	free((char *)e->pin.file);
}

void
atlas_set_free(atlas_set *set)
{
	if (set == NULL)
		return;
	for (size_t i = 0; i < set->n; i++)
		free_entry(&set->pins[i]);
	free(set->pins);
	free(set);
}

static atlas_status
add_pin(loader *ld, const atlas_req *req, const char *version,
    const char *file, unsigned line, unsigned column)
{
	atlas_set *set = ld->set;

	if (set->n == set->cap) {
		size_t cap = set->cap ? set->cap * 2 : 64;
		pin_entry *grown = realloc(set->pins, cap * sizeof *grown);
		if (grown == NULL)
			goto nomem;
		set->pins = grown;
		set->cap = cap;
	}
	pin_entry *e = &set->pins[set->n];
	e->seq = set->n;
	e->pin.name = atlas_strdup_internal(req->name);
	e->pin.canonical_name = atlas_strdup_internal(req->canonical_name);
	e->pin.version = atlas_strdup_internal(version);
	e->pin.file = atlas_strdup_internal(file);
	e->pin.line = line;
	e->column = column;
	if (!e->pin.name || !e->pin.canonical_name || !e->pin.version || !e->pin.file) {
		free_entry(e);
		goto nomem;
	}
	set->n++;
	return ATLAS_OK;
nomem:
	return atlas_error_set(ld->err, ATLAS_ERR_NOMEM, file, 0, 0, "out of memory");
}

static bool
applies(const loader *ld, const atlas_req *req)
{
	bool result = true;

	if (req->marker == NULL || ld->env == NULL)
		return true;
	/* A marker that cannot be evaluated keeps the pin: the set must not
	 * lose a package silently. */
	if (atlas_marker_evaluate(req->marker, ld->env, &result, NULL) != ATLAS_OK)
		return true;
	return result;
}

static atlas_status
load_file(loader *ld, const char *path)
{
	atlas_reqfile *file;
	atlas_status status = ATLAS_OK;
	char *identity = realpath(path, NULL);

	if (identity != NULL) {
		for (size_t i = 0; i < ld->n_visited; i++) {
			if (strcmp(ld->visited[i], identity) == 0) {
				free(identity);
				return ATLAS_OK;
			}
		}
		char **grown = realloc(ld->visited, (ld->n_visited + 1) * sizeof *grown);
		if (grown == NULL) {
			free(identity);
			return atlas_error_set(ld->err, ATLAS_ERR_NOMEM, path, 0, 0, "out of memory");
		}
		ld->visited = grown;
		ld->visited[ld->n_visited++] = identity;
	}
	file = atlas_reqfile_load(path, NULL, NULL, ld->err);
	if (file == NULL)
		return ld->err ? ld->err->status : ATLAS_ERR_IO;
	if (file->n_errors > 0) {
		const atlas_error *e = &file->errors[0];
		status = atlas_error_set(ld->err, ATLAS_ERR_SYNTAX, e->file, e->line,
		    e->column, "%s", e->message);
		atlas_reqfile_free(file);
		return status;
	}
	for (size_t i = 0; i < file->n_lines && status == ATLAS_OK; i++) {
		const atlas_reqline *l = &file->lines[i];
		if (l->kind == ATLAS_LINE_INCLUDE) {
			char *included = reqfile_join_include(path, l->value);
			if (included == NULL)
				status = atlas_error_set(ld->err, ATLAS_ERR_NOMEM, path, 0, 0, "out of memory");
			else
				status = load_file(ld, included);
			free(included);
			continue;
		}
		if (l->kind != ATLAS_LINE_REQUIREMENT || l->req->url != NULL ||
		    !applies(ld, l->req))
			continue;
		const char *version = atlas_spec_pin(l->req->spec);
		if (version != NULL)
			status = add_pin(ld, l->req, version, path, l->line, l->column);
	}
	atlas_reqfile_free(file);
	return status;
}

static int
compare_entries(const void *a, const void *b)
{
	const pin_entry *x = a, *y = b;
	int r = strcmp(x->pin.canonical_name, y->pin.canonical_name);

	if (r != 0)
		return r;
	return x->seq < y->seq ? -1 : x->seq > y->seq;
}

/* Sort by name; one entry per package, or a conflict naming both. */
static atlas_status
settle(loader *ld)
{
	atlas_set *set = ld->set;
	size_t out = 0;

	if (set->n > 0)
		qsort(set->pins, set->n, sizeof *set->pins, compare_entries);
	for (size_t i = 0; i < set->n; i++) {
		if (out > 0 && strcmp(set->pins[out - 1].pin.canonical_name,
		    set->pins[i].pin.canonical_name) == 0) {
			const atlas_pin *first = &set->pins[out - 1].pin, *second = &set->pins[i].pin;
			if (!atlas_version_text_equal(first->version, second->version))
				return atlas_error_set(ld->err, ATLAS_ERR_CONFLICT, second->file,
				    second->line, set->pins[i].column,
				    "'%s' is pinned differently: %s==%s at %s:%u and %s==%s at %s:%u",
				    second->name, first->name, first->version, first->file,
				    first->line, second->name, second->version, second->file,
				    second->line);
			free_entry(&set->pins[i]);
			continue;
		}
		set->pins[out++] = set->pins[i];
	}
	set->n = out;
	return ATLAS_OK;
}

atlas_set *
atlas_set_load(const char *dir, const atlas_variant *variant, bool use_locks,
    atlas_error *err)
{
	const char *ext = use_locks ? "lock" : "txt";
	loader ld = { 0 };
	atlas_status status = ATLAS_OK;

	if (variant == NULL || variant->tier < 0 || variant->tier > 2) {
		atlas_error_set(err, ATLAS_ERR_INVALID, NULL, 0, 0,
		    "tier %d is not valid: expected 0, 1 or 2", variant ? variant->tier : -1);
		return NULL;
	}
	ld.err = err;
	ld.set = calloc(1, sizeof *ld.set);
	ld.env = atlas_env_new_default();
	if (ld.set == NULL) {
		atlas_error_set(err, ATLAS_ERR_NOMEM, NULL, 0, 0, "out of memory");
		status = ATLAS_ERR_NOMEM;
	}
	for (int t = 0; status == ATLAS_OK && t <= variant->tier + (variant->materials ? 1 : 0); t++) {
		char *path;
		buf b;
		buf_init(&b);
		if (t <= variant->tier)
			buf_printf(&b, "%s/requirements-tier%d.%s", dir ? dir : ".", t, ext);
		else
			buf_printf(&b, "%s/requirements-materials.%s", dir ? dir : ".", ext);
		path = buf_take(&b);
		if (path == NULL)
			status = atlas_error_set(err, ATLAS_ERR_NOMEM, NULL, 0, 0, "out of memory");
		else
			status = load_file(&ld, path);
		free(path);
	}
	if (status == ATLAS_OK)
		status = settle(&ld);
	for (size_t i = 0; i < ld.n_visited; i++)
		free(ld.visited[i]);
	free(ld.visited);
	atlas_env_free(ld.env);
	if (status != ATLAS_OK) {
		atlas_set_free(ld.set);
		return NULL;
	}
	return ld.set;
}

size_t
atlas_set_count(const atlas_set *set)
{
	return set ? set->n : 0;
}

const atlas_pin *
atlas_set_get(const atlas_set *set, size_t i)
{
	if (set == NULL || i >= set->n)
		return NULL;
	return &set->pins[i].pin;
}

char *
atlas_set_digest(const atlas_set *set)
{
	struct sha256_ctx ctx;
	uint8_t digest[SHA256_DIGEST_SIZE];
	char *hex;

	if (set == NULL)
		return NULL;
	sha256_init(&ctx);
	for (size_t i = 0; i < set->n; i++) {
		const atlas_pin *p = &set->pins[i].pin;
		sha256_update(&ctx, strlen(p->canonical_name), (const uint8_t *)p->canonical_name);
		sha256_update(&ctx, 2, (const uint8_t *)"==");
		sha256_update(&ctx, strlen(p->version), (const uint8_t *)p->version);
		sha256_update(&ctx, 1, (const uint8_t *)"\n");
	}
	sha256_digest(&ctx, SHA256_DIGEST_SIZE, digest);
	hex = malloc(2 * SHA256_DIGEST_SIZE + 1);
	if (hex == NULL)
		return NULL;
	for (size_t i = 0; i < SHA256_DIGEST_SIZE; i++)
		snprintf(hex + 2 * i, 3, "%02x", digest[i]);
	return hex;
}
