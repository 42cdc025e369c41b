/*
 * labels.c - the OCI labels of an image (DESIGN section 8).
 *
 * Every value comes from the input; "created" comes from
 * SOURCE_DATE_EPOCH and never from the clock, so two builds of one
 * commit carry the same labels.
 */
#include "config.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "internal.h"

/* 9999-12-31T23:59:59Z: RFC 3339 has four digits for the year. */
#define EPOCH_MAX 253402300799LL

struct atlas_labels {
	atlas_label *items;
	size_t n_items;
};

static atlas_status
nomem(atlas_error *err)
{
	return atlas_error_set(err, ATLAS_ERR_NOMEM, "", 0, 0, "out of memory");
}

/* Parse decimal seconds into an RFC 3339 UTC time, e.g.
 * "2026-01-02T03:04:05Z". */
static atlas_status
format_created(const char *epoch_text, char *out, size_t size, atlas_error *err)
{
	long long seconds = 0;
	struct tm tm;
	time_t t;
	size_t i;

	if (epoch_text == NULL || epoch_text[0] == '\0')
		return atlas_error_set(err, ATLAS_ERR_INVALID, "", 0, 0,
		    "no SOURCE_DATE_EPOCH given: 'created' comes from it (or "
		    "the commit time), never from the clock");
	for (i = 0; epoch_text[i] != '\0'; i++) {
		if (!is_ascii_digit((unsigned char)epoch_text[i]))
			return atlas_error_set(err, ATLAS_ERR_SYNTAX, "", 1,
			    (unsigned)(i + 1),
			    "SOURCE_DATE_EPOCH '%s' is not a number of seconds "
			    "(decimal digits only)", epoch_text);
		seconds = seconds * 10 + (epoch_text[i] - '0');
		if (seconds > EPOCH_MAX)
			return atlas_error_set(err, ATLAS_ERR_INVALID, "", 1, 1,
			    "SOURCE_DATE_EPOCH '%s' is after the year 9999",
			    epoch_text);
	}
	t = (time_t)seconds;
	if ((long long)t != seconds || gmtime_r(&t, &tm) == NULL)
		return atlas_error_set(err, ATLAS_ERR_INVALID, "", 1, 1,
		    "SOURCE_DATE_EPOCH '%s' cannot be represented on this system",
		    epoch_text);
	if (strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0)
		return atlas_error_set(err, ATLAS_ERR_INVALID, "", 1, 1,
		    "SOURCE_DATE_EPOCH '%s' cannot be formatted", epoch_text);
	return ATLAS_OK;
}

/* A value goes on one line in every output format. */
static atlas_status
check_value(const char *field, const char *value, atlas_error *err)
{
	for (size_t i = 0; value[i] != '\0'; i++) {
		unsigned char c = (unsigned char)value[i];
		if (c < 0x20 || c == 0x7f)
			return atlas_error_set(err, ATLAS_ERR_SYNTAX, "", 1,
			    (unsigned)(i + 1),
			    "the %s holds the control character 0x%02x at "
			    "column %zu", field, c, i + 1);
	}
	return ATLAS_OK;
}

static atlas_status
check_hex(const char *field, const char *value, size_t len1, size_t len2,
    atlas_error *err)
{
	size_t len = strlen(value);

	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)value[i];
		if (!is_ascii_digit(c) && !(c >= 'a' && c <= 'f'))
			return atlas_error_set(err, ATLAS_ERR_SYNTAX, "", 1,
			    (unsigned)(i + 1),
			    "the %s '%s' is not lower-case hexadecimal (column %zu)",
			    field, value, i + 1);
	}
	if (len != len1 && len != len2)
		return atlas_error_set(err, ATLAS_ERR_SYNTAX, "", 1, 1,
		    "the %s '%s' has %zu digits, not %zu", field, value, len, len1);
	return ATLAS_OK;
}

static atlas_status
labels_add(atlas_labels *labels, const char *key, const char *value,
    atlas_error *err)
{
	char *k = atlas_strdup_internal(key);
	char *v = atlas_strdup_internal(value);

	if (k == NULL || v == NULL) {
		free(k);
		free(v);
		return nomem(err);
	}
	labels->items[labels->n_items].key = k;
	labels->items[labels->n_items].value = v;
	labels->n_items++;
	return ATLAS_OK;
}

static int
compare_labels(const void *a, const void *b)
{
	return strcmp(((const atlas_label *)a)->key, ((const atlas_label *)b)->key);
}

atlas_labels *
atlas_labels_new(const atlas_labels_input *input, atlas_error *err)
{
	const struct { const char *key; const char *field; const char *value; } optional[] = {
		{ "org.opencontainers.image.title", "title", input->title },
		{ "org.opencontainers.image.description", "description", input->description },
		{ "org.opencontainers.image.revision", "revision", input->revision },
		{ "org.opencontainers.image.source", "source", input->source },
		{ "org.opencontainers.image.url", "url", input->url },
		{ "org.opencontainers.image.licenses", "licenses", input->licenses },
		{ "org.opencontainers.image.base.name", "base image name", input->base_name },
	};
	const size_t n_optional = sizeof optional / sizeof optional[0];
	char created[32], tier[16];
	char *version = NULL;
	atlas_labels *labels;

	if (input->variant.tier < 0 || input->variant.tier > 2) {
		atlas_error_set(err, ATLAS_ERR_INVALID, "", 0, 0,
		    "tier %d does not exist; valid tiers: 0, 1, 2", input->variant.tier);
		return NULL;
	}
	version = atlas_tags_version(input->version, err);
	if (version == NULL)
		return NULL;
	if (format_created(input->source_date_epoch, created, sizeof created, err) != ATLAS_OK)
		goto fail_early;
	if (input->requirements_sha256 == NULL) {
		atlas_error_set(err, ATLAS_ERR_INVALID, "", 0, 0,
		    "no requirement set digest given");
		goto fail_early;
	}
	if (check_hex("requirement set digest", input->requirements_sha256,
	    64, 64, err) != ATLAS_OK)
		goto fail_early;
	for (size_t i = 0; i < n_optional; i++)
		if (optional[i].value != NULL &&
		    check_value(optional[i].field, optional[i].value, err) != ATLAS_OK)
			goto fail_early;
	if (input->revision != NULL && input->revision[0] != '\0' &&
	    check_hex("revision", input->revision, 40, 64, err) != ATLAS_OK)
		goto fail_early;

	labels = calloc(1, sizeof *labels);
	if (labels == NULL || (labels->items = calloc(n_optional + 5,
	    sizeof *labels->items)) == NULL) {
		free(labels);
		nomem(err);
		goto fail_early;
	}
	snprintf(tier, sizeof tier, "%d", input->variant.tier);
	if (labels_add(labels, "io.atlas.tier", tier, err) != ATLAS_OK ||
	    labels_add(labels, "io.atlas.materials",
		input->variant.materials ? "true" : "false", err) != ATLAS_OK ||
	    labels_add(labels, "io.atlas.requirements.sha256",
		input->requirements_sha256, err) != ATLAS_OK ||
	    labels_add(labels, "org.opencontainers.image.version", version, err) != ATLAS_OK ||
	    labels_add(labels, "org.opencontainers.image.created", created, err) != ATLAS_OK)
		goto fail;
	for (size_t i = 0; i < n_optional; i++)
		if (optional[i].value != NULL && optional[i].value[0] != '\0' &&
		    labels_add(labels, optional[i].key, optional[i].value, err) != ATLAS_OK)
			goto fail;
	qsort(labels->items, labels->n_items, sizeof *labels->items, compare_labels);
	free(version);
	return labels;

fail:
	atlas_labels_free(labels);
fail_early:
	free(version);
	return NULL;
}

void
atlas_labels_free(atlas_labels *labels)
{
	if (labels == NULL)
		return;
	for (size_t i = 0; i < labels->n_items; i++) {
		free((char *)labels->items[i].key);
		free((char *)labels->items[i].value);
	}
	free(labels->items);
	free(labels);
}

size_t
atlas_labels_count(const atlas_labels *labels)
{
	return labels ? labels->n_items : 0;
}

const atlas_label *
atlas_labels_get(const atlas_labels *labels, size_t i)
{
	return labels && i < labels->n_items ? &labels->items[i] : NULL;
}

const char *
atlas_labels_lookup(const atlas_labels *labels, const char *key)
{
	for (size_t i = 0; labels != NULL && i < labels->n_items; i++)
		if (strcmp(labels->items[i].key, key) == 0)
			return labels->items[i].value;
	return NULL;
}
