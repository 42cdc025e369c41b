/*
 * version-internal.h - the parts of a PEP 440 version that spec.c needs.
 * Not installed; nothing here is exported from the shared library.
 */
#ifndef ATLAS_VERSION_INTERNAL_H
#define ATLAS_VERSION_INTERNAL_H

#include <stdbool.h>
#include <stddef.h>

#include "atlas.h"
#include "internal.h"

/* Python refuses to convert a string of more digits than this to an int,
 * so packaging cannot parse such a version; neither do we. */
#define VERSION_MAX_DIGITS 4300

/* One segment of a local label: a number (leading zeros stripped) or a
 * lower-cased alphanumeric string. */
typedef struct version_local {
	const char *text;
	bool numeric;
} version_local;

/*
 * Every number is kept as its decimal digits without leading zeros ("0"
 * for zero), because PEP 440 numbers are unbounded: two numbers compare
 * by length first, then digit by digit.
 */
struct atlas_version {
	char *text;		/* the string parsed, as given */
	char *pool;		/* storage of every string below */
	/* text, pool and release live in the block of the struct itself. */
	const char *epoch;	/* "0" when absent */
	const char **release;
	size_t n_release;
	size_t n_trimmed;	/* release length without trailing zeros */
	char pre_letter;	/* 0 (none), 'a', 'b' or 'r' (rc) */
	const char *pre_number;	/* NULL when no pre-release */
	const char *post_number;	/* NULL when no post-release */
	const char *dev_number;	/* NULL when no development release */
	version_local *local;	/* NULL when no local label */
	size_t n_local;
};

/* Append the canonical form atlas_version_normalize gives. */
void version_normalize_into(buf *b, const atlas_version *version);

/* Compare two numbers given as digits without leading zeros. */
int version_compare_numbers(const char *a, const char *b);

/* Compare epoch, release and pre/post/dev: the whole order except the
 * local label.  Zero means "a is b or one of b's local versions". */
int version_compare_public(const atlas_version *a, const atlas_version *b);

/* Compare epoch, release and the pre-release part (its rank and number)
 * only: zero means a is b's release or one of its post-releases, as
 * packaging's AFTER_POSTS boundary sees it. */
int version_compare_pre_family(const atlas_version *a, const atlas_version *b);

/* Parse without the 4300-digit limit: for bounds that spec.c computes
 * (an incremented number may grow one digit past the limit). */
atlas_version *version_parse_unlimited(const char *text, atlas_error *err);

/* atlas_version_parse of the len bytes at text, which need not be
 * followed by a NUL. */
atlas_version *version_parse_n(const char *text, size_t len, atlas_error *err);

/* The byte length of the whitespace character (as Python's str.isspace()
 * sees it, in UTF-8) at s, or 0 when s does not start with one. */
size_t version_space_length(const char *s);

/* The 1-based character (not byte) column of byte offset pos in text. */
unsigned version_column(const char *text, size_t pos);

#endif /* ATLAS_VERSION_INTERNAL_H */
