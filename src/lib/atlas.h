/*
 * atlas.h - the one public header of libatlas.
 *
 * libatlas holds the logic of ATLAS build: PEP 440 versions and
 * specifiers, PEP 508 requirements and markers, pip requirement files,
 * the effective requirement set of an image variant, tags and labels,
 * and reading installed distributions.
 *
 * Ownership rule, stated once for the whole library:
 *   - An object returned by atlas_<module>_new, _parse or _load is owned
 *     by the caller and is released with the matching atlas_<module>_free.
 *     Every _free accepts NULL.
 *   - A "char *" result is a new string owned by the caller: free() it.
 *   - A "const char *" result, and every pointer field of a struct
 *     handed out by the library, points into the object it came from and
 *     lives exactly as long as that object.
 *
 * The library never prints and never exits.  A function that can fail
 * takes an atlas_error * (which may be NULL) and fills it on failure;
 * it returns NULL, false or a negative atlas_status.
 */
#ifndef ATLAS_H
#define ATLAS_H

#include <stdbool.h>
#include <stddef.h>

#ifdef __cplusplus
extern "C" {
#endif

/* ------------------------------------------------------------------ */
/* Errors                                                              */
/* ------------------------------------------------------------------ */

typedef enum atlas_status {
	ATLAS_OK = 0,
	ATLAS_ERR_SYNTAX = -1,	/* the input does not follow its grammar */
	ATLAS_ERR_IO = -2,	/* a file could not be read or written */
	ATLAS_ERR_NOMEM = -3,	/* an allocation failed */
	ATLAS_ERR_INVALID = -4,	/* a well-formed but unacceptable value */
	ATLAS_ERR_CONFLICT = -5,	/* two inputs disagree */
	ATLAS_ERR_UNDEFINED = -6	/* a marker variable has no value */
} atlas_status;

#define ATLAS_ERROR_FILE_MAX 1024
#define ATLAS_ERROR_MESSAGE_MAX 512

/*
 * Where and what went wrong.  line and column are 1-based; 0 means the
 * error is not about a line (or a column).  For a string parsed on its
 * own (a version, a requirement) file is empty, line is 1 and column is
 * the 1-based character offset in that string.
 */
typedef struct atlas_error {
	atlas_status status;
	unsigned line;
	unsigned column;
	char file[ATLAS_ERROR_FILE_MAX];
	char message[ATLAS_ERROR_MESSAGE_MAX];
} atlas_error;

/* Fill err (when not NULL) and return status.  Used by every module. */
atlas_status atlas_error_set(atlas_error *err, atlas_status status,
    const char *file, unsigned line, unsigned column, const char *fmt, ...)
    __attribute__((format(printf, 6, 7)));

/* A short English name of a status ("syntax error", "I/O error", ...). */
const char *atlas_status_name(atlas_status status);

/* ------------------------------------------------------------------ */
/* PEP 440 versions                    (version.c)                     */
/* ------------------------------------------------------------------ */

typedef struct atlas_version atlas_version;

/* Parse any valid PEP 440 spelling (leading v, whitespace, epochs,
 * pre/post/dev in every spelling, implicit post "1.0-1", local). */
atlas_version *atlas_version_parse(const char *text, atlas_error *err);
void atlas_version_free(atlas_version *version);
/* The canonical PEP 440 form, e.g. "1.0rc1.post2.dev3+ubuntu.1". */
char *atlas_version_normalize(const atlas_version *version);
/* Total PEP 440 order, local versions included: <0, 0 or >0. */
int atlas_version_compare(const atlas_version *a, const atlas_version *b);
/* A pre-release or a development release. */
bool atlas_version_is_prerelease(const atlas_version *version);
bool atlas_version_is_postrelease(const atlas_version *version);
bool atlas_version_is_devrelease(const atlas_version *version);
bool atlas_version_has_local(const atlas_version *version);

/* ------------------------------------------------------------------ */
/* PEP 440 specifier sets               (spec.c)                       */
/* ------------------------------------------------------------------ */

typedef struct atlas_spec atlas_spec;

typedef enum atlas_prereleases {
	ATLAS_PRERELEASES_DEFAULT = 0,	/* PEP 440: only when a clause names one */
	ATLAS_PRERELEASES_YES,
	ATLAS_PRERELEASES_NO
} atlas_prereleases;

/* Parse a comma-separated specifier set; "" is the empty set. */
atlas_spec *atlas_spec_parse(const char *text, atlas_error *err);
void atlas_spec_free(atlas_spec *spec);
/* The normalised string: clauses without spaces, sorted, joined by ",".
 * This is the string packaging's str(SpecifierSet) gives. */
char *atlas_spec_format(const atlas_spec *spec);
size_t atlas_spec_count(const atlas_spec *spec);
/* Containment of one version, with PEP 440's pre- and post-release
 * exclusion rules. */
bool atlas_spec_contains(const atlas_spec *spec, const atlas_version *version,
    atlas_prereleases prereleases);
/* When the set is exactly one "==V" clause without a wildcard, return V
 * as written; otherwise NULL.  This is what "pinned" means. */
const char *atlas_spec_pin(const atlas_spec *spec);

/* ------------------------------------------------------------------ */
/* PEP 503 names                        (name.c)                       */
/* ------------------------------------------------------------------ */

/* A valid PEP 508 distribution name. */
bool atlas_name_is_valid(const char *name);
/* Lower case, runs of "-", "_" and "." as one "-". */
char *atlas_name_canonicalize(const char *name);

/* ------------------------------------------------------------------ */
/* Marker environments                  (env.c)                        */
/* ------------------------------------------------------------------ */

typedef struct atlas_env atlas_env;

/* An empty environment. */
atlas_env *atlas_env_new(void);
/* The image's environment: CPython 3.11 on linux x86_64. */
atlas_env *atlas_env_new_default(void);
void atlas_env_free(atlas_env *env);
atlas_status atlas_env_set(atlas_env *env, const char *key, const char *value,
    atlas_error *err);
/* NULL when the variable has no value. */
const char *atlas_env_get(const atlas_env *env, const char *key);

/* ------------------------------------------------------------------ */
/* PEP 508 environment markers          (marker.c)                     */
/* ------------------------------------------------------------------ */

typedef struct atlas_marker atlas_marker;

atlas_marker *atlas_marker_parse(const char *text, atlas_error *err);
void atlas_marker_free(atlas_marker *marker);
/* The normalised string packaging's str(Marker) gives. */
char *atlas_marker_format(const atlas_marker *marker);
/* Evaluate against env; "extra" compares with its canonical name. */
atlas_status atlas_marker_evaluate(const atlas_marker *marker,
    const atlas_env *env, bool *result, atlas_error *err);

/* ------------------------------------------------------------------ */
/* PEP 508 requirements                 (req.c)                        */
/* ------------------------------------------------------------------ */

typedef struct atlas_req {
	char *name;		/* as written */
	char *canonical_name;	/* PEP 503 */
	char **extras;		/* sorted, as written */
	size_t n_extras;
	atlas_spec *spec;	/* never NULL; empty when none */
	char *url;		/* "name @ url", else NULL */
	atlas_marker *marker;	/* NULL when absent */
} atlas_req;

atlas_req *atlas_req_parse(const char *text, atlas_error *err);
void atlas_req_free(atlas_req *req);
/* The normalised string packaging's str(Requirement) gives. */
char *atlas_req_format(const atlas_req *req);

/* ------------------------------------------------------------------ */
/* pip requirement files                (reqfile.c)                    */
/* ------------------------------------------------------------------ */

typedef enum atlas_line_kind {
	ATLAS_LINE_REQUIREMENT,	/* a PEP 508 requirement */
	ATLAS_LINE_INCLUDE,	/* -r FILE, --requirement FILE */
	ATLAS_LINE_CONSTRAINT,	/* -c FILE, --constraint FILE */
	ATLAS_LINE_OPTION,	/* a global option: --index-url, --pre, ... */
	ATLAS_LINE_EDITABLE,	/* -e TARGET */
	ATLAS_LINE_PATH		/* a local path or a bare URL */
} atlas_line_kind;

typedef struct atlas_reqline {
	atlas_line_kind kind;
	unsigned line;		/* first physical line of the logical line */
	unsigned column;	/* where the requirement or option starts */
	char *text;		/* the logical line, joined and expanded */
	atlas_req *req;		/* ATLAS_LINE_REQUIREMENT, else NULL */
	char **hashes;		/* "--hash" values, e.g. "sha256:ab12..." */
	size_t n_hashes;
	char *option;		/* the option's long name, e.g. "--index-url" */
	char *value;		/* its value, or the include's path; may be NULL */
} atlas_reqline;

typedef struct atlas_reqfile {
	char *path;		/* as given */
	atlas_reqline *lines;
	size_t n_lines;
	atlas_error *errors;	/* syntax errors; parsing goes on after one */
	size_t n_errors;
} atlas_reqfile;

/* Looks up ${NAME} for expansion; NULL means unset (left as written). */
typedef const char *(*atlas_getenv_fn)(const char *name, void *ctx);

/* Parse a requirement file held in memory (any bytes: CRLF, a UTF-8
 * BOM, invalid UTF-8 and NUL bytes are handled).  getenv_fn NULL means
 * the process environment.  Returns NULL only when out of memory;
 * syntax errors are collected in the result. */
atlas_reqfile *atlas_reqfile_parse(const char *path, const char *data,
    size_t len, atlas_getenv_fn getenv_fn, void *ctx, atlas_error *err);
/* Read and parse a file; NULL with ATLAS_ERR_IO when it cannot be read. */
atlas_reqfile *atlas_reqfile_load(const char *path, atlas_getenv_fn getenv_fn,
    void *ctx, atlas_error *err);
void atlas_reqfile_free(atlas_reqfile *file);
/* The text of physical line n (1-based) without its line ending, for
 * showing a diagnostic; NULL when out of range. */
const char *atlas_reqfile_line_text(const atlas_reqfile *file, unsigned n);

/* ------------------------------------------------------------------ */
/* Checking requirement files            (check.c)                     */
/* ------------------------------------------------------------------ */

typedef enum atlas_severity {
	ATLAS_SEVERITY_ERROR,
	ATLAS_SEVERITY_WARNING,
	ATLAS_SEVERITY_NOTE
} atlas_severity;

typedef struct atlas_diag {
	atlas_severity severity;
	const char *code;	/* a stable short name: "syntax", "unpinned", ... */
	atlas_error where;	/* file, line, column and message */
	const char *source_line;	/* the offending line's text, or NULL */
} atlas_diag;

typedef struct atlas_check_options {
	bool syntax_only;	/* grammar only: no pin policy, no includes */
	atlas_getenv_fn getenv_fn;
	void *ctx;
} atlas_check_options;

typedef struct atlas_check atlas_check;

/* Check the named files together (pins, duplicates, conflicts between
 * files, .lock against .txt, includes and cycles).  NULL only when out
 * of memory; every problem, I/O included, is a diagnostic. */
atlas_check *atlas_check_files(const char *const *paths, size_t n_paths,
    const atlas_check_options *options, atlas_error *err);
void atlas_check_free(atlas_check *check);
size_t atlas_check_count(const atlas_check *check);
const atlas_diag *atlas_check_get(const atlas_check *check, size_t i);
size_t atlas_check_errors(const atlas_check *check);

/* ------------------------------------------------------------------ */
/* The effective set of a variant        (set.c)                       */
/* ------------------------------------------------------------------ */

typedef struct atlas_variant {
	int tier;		/* 0, 1 or 2; tier N includes every lower tier */
	bool materials;
} atlas_variant;

typedef struct atlas_pin {
	const char *name;	/* as written */
	const char *canonical_name;
	const char *version;	/* as pinned */
	const char *file;	/* where it is pinned */
	unsigned line;
} atlas_pin;

typedef struct atlas_set atlas_set;

/* Read requirements-tier0.txt .. tierN.txt (and requirements-materials.txt)
 * from dir; use_locks reads the .lock files instead. A package pinned
 * differently in two files is an ATLAS_ERR_CONFLICT naming both. */
atlas_set *atlas_set_load(const char *dir, const atlas_variant *variant,
    bool use_locks, atlas_error *err);
void atlas_set_free(atlas_set *set);
size_t atlas_set_count(const atlas_set *set);
/* Pins sorted by canonical name. */
const atlas_pin *atlas_set_get(const atlas_set *set, size_t i);
/* Lower-case hex SHA-256 of "canonical==version\n" over the sorted pins. */
char *atlas_set_digest(const atlas_set *set);
/* "tier1-materials" */
char *atlas_variant_suffix(const atlas_variant *variant);

#ifdef __cplusplus
}
#endif

#endif /* ATLAS_H */
