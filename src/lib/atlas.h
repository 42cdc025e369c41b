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
/* Whether two version texts name one version: PEP 440 equality when both
 * parse, else the same text.  For pins read from different files. */
bool atlas_version_text_equal(const char *a, const char *b);
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
	ATLAS_PRERELEASES_DEFAULT = 0,	/* as packaging 26: when the clauses admit it */
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
/* Containment of one version, exactly as packaging 26's
 * SpecifierSet.contains(): with PEP 440's post-release and local rules
 * for > and <, and pre-releases excluded only by ATLAS_PRERELEASES_NO
 * (a single candidate has no final release to prefer). */
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
	unsigned line;		/* the physical line and column where the */
	unsigned column;	/* requirement or option starts */
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
	atlas_error *errors;	/* syntax errors, ATLAS_ERR_INVALID for an
				 * unknown option; parsing goes on */
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

/* ------------------------------------------------------------------ */
/* Image tags                           (tags.c)                       */
/* ------------------------------------------------------------------ */

/*
 * What a build knows about itself.  The library never runs git: the
 * caller says what git said.  A tag is only ever rejected, never
 * rewritten: a character a tag cannot hold is an error, since a
 * silently changed tag is not the one that was asked for.  The one
 * normalisation is lower case, for the repository and the sha.
 * SemVer build metadata ("+build.5") is dropped from tags: SemVer gives
 * it no meaning in precedence, and turning "+" into "-" would make a
 * pre-release look-alike ("1.2.3-build.5") that sorts wrongly.
 */
typedef struct atlas_tags_input {
	const char *repo;	/* "registry.example/owner/atlas"; no tag, no digest */
	const char *version;	/* the text of VERSION: SemVer, white space around ignored */
	const char *git_tag;	/* the release tag on the commit ("v1.2.3" or
				 * "refs/tags/v1.2.3"), or NULL */
	const char *git_sha;	/* 40 (or 64) hex digits, or NULL without git */
	const char *nightly_date;	/* "YYYYMMDD" for a nightly build, else NULL */
	atlas_variant variant;
	/* The variant that also gets "X.Y.Z" and "latest"; NULL means
	 * tier 0 without materials. */
	const atlas_variant *default_variant;
	/* More tags for this variant, each followed by "-<variant>" like
	 * every computed tag (e.g. "pr-12" gives "pr-12-tier1"). */
	const char *const *extra;
	size_t n_extra;
} atlas_tags_input;

typedef enum atlas_tags_kind {
	ATLAS_TAGS_RELEASE,	/* a release tag on a stable version */
	ATLAS_TAGS_PRERELEASE,	/* a release tag on a SemVer pre-release */
	ATLAS_TAGS_NIGHTLY,	/* a nightly date; wins over a release tag */
	ATLAS_TAGS_DEV		/* none of these: a local build */
} atlas_tags_kind;

typedef struct atlas_tag {
	const char *tag;	/* "0.1.0-tier1" */
	const char *ref;	/* "registry.example/owner/atlas:0.1.0-tier1" */
	atlas_variant variant;
} atlas_tag;

typedef struct atlas_tags atlas_tags;

/* The tags of input->variant, in a stable order: version tags, moving
 * tags, the sha tag, nightly or dev tags, extra tags; duplicates
 * removed.  ATLAS_ERR_SYNTAX for a malformed input, ATLAS_ERR_INVALID
 * for a tag over 128 characters, ATLAS_ERR_CONFLICT when the git tag is
 * not "v" + VERSION. */
atlas_tags *atlas_tags_new(const atlas_tags_input *input, atlas_error *err);
/* The tags of each of variants[0..n_variants) (NULL: the 6 variants,
 * tier 0..2 each without then with materials) in that order, and
 * ATLAS_ERR_CONFLICT when two variants would share a tag.
 * input->variant is ignored. */
atlas_tags *atlas_tags_new_all(const atlas_tags_input *input,
    const atlas_variant *variants, size_t n_variants, atlas_error *err);
void atlas_tags_free(atlas_tags *tags);
size_t atlas_tags_count(const atlas_tags *tags);
const atlas_tag *atlas_tags_get(const atlas_tags *tags, size_t i);
/* The repository, lower case. */
const char *atlas_tags_repo(const atlas_tags *tags);
atlas_tags_kind atlas_tags_get_kind(const atlas_tags *tags);
/* "release", "prerelease", "nightly", "dev" */
const char *atlas_tags_kind_name(atlas_tags_kind kind);
/* A valid tag: [A-Za-z0-9_][A-Za-z0-9._-]{0,127}. */
bool atlas_tags_is_valid(const char *tag);
/* The SemVer 2.0.0 version in the text of a VERSION file, without the
 * white space around it; NULL with ATLAS_ERR_SYNTAX and the column of
 * the fault when it is not one (a leading "v" included). */
char *atlas_tags_version(const char *version_text, atlas_error *err);

/* ------------------------------------------------------------------ */
/* OCI image labels                     (labels.c)                     */
/* ------------------------------------------------------------------ */

/*
 * The labels of an image.  created comes from source_date_epoch,
 * never from the clock, so that a rebuild gives the same labels.
 * Optional values that are NULL or empty leave their label out: a
 * missing label says less than a made-up one.  No value may hold a
 * control character, since every output format is one label a line.
 */
typedef struct atlas_labels_input {
	const char *version;	/* required: the text of VERSION (SemVer) */
	const char *source_date_epoch;	/* required: decimal seconds since 1970 */
	const char *requirements_sha256;	/* required: 64 hex, the
						 * effective set's digest */
	atlas_variant variant;
	const char *title;	/* optional, e.g. "atlas" */
	const char *description;	/* optional */
	const char *revision;	/* optional: the git sha (40 or 64 hex) */
	const char *source;	/* optional: the source repository's URL */
	const char *url;	/* optional: where to read about the image */
	const char *licenses;	/* optional: an SPDX expression */
	const char *base_name;	/* optional: the base image reference */
} atlas_labels_input;

typedef struct atlas_label {
	const char *key;	/* "org.opencontainers.image.version" */
	const char *value;
} atlas_label;

typedef struct atlas_labels atlas_labels;

/* The labels sorted by key.  ATLAS_ERR_SYNTAX or ATLAS_ERR_INVALID,
 * naming the field, for a bad input. */
atlas_labels *atlas_labels_new(const atlas_labels_input *input,
    atlas_error *err);
void atlas_labels_free(atlas_labels *labels);
size_t atlas_labels_count(const atlas_labels *labels);
const atlas_label *atlas_labels_get(const atlas_labels *labels, size_t i);
/* The value of key, or NULL when there is no such label. */
const char *atlas_labels_lookup(const atlas_labels *labels, const char *key);

/* ------------------------------------------------------------------ */
/* Installed distributions               (distinfo.c)                  */
/* ------------------------------------------------------------------ */

/*
 * One distribution as its *.dist-info directory describes it.  Inputs
 * may be garbage: a distribution whose METADATA has no usable Name or
 * Version is left out and reported as an error of the list, while a
 * broken RECORD or top_level.txt only costs what could not be read.
 */
typedef struct atlas_dist {
	char *name;		/* METADATA "Name", as written */
	char *canonical_name;	/* PEP 503 */
	char *version;		/* METADATA "Version", as written */
	char *license;		/* one line for people: the expression, the
				 * License field or the license classifiers;
				 * NULL when METADATA says nothing */
	char *license_expression;	/* "License-Expression" (PEP 639), or NULL */
	char *license_text;	/* "License", or NULL */
	char **license_classifiers;	/* "MIT License" of "License :: OSI
					 * Approved :: MIT License" */
	size_t n_license_classifiers;
	char **requires_dist;	/* "Requires-Dist" values, as written */
	size_t n_requires_dist;
	char **top_level;	/* importable top-level modules, sorted, unique */
	size_t n_top_level;
	char **files;		/* the paths of RECORD, in file order */
	size_t n_files;
	char *dist_info;	/* the directory's name, "numpy-1.26.4.dist-info" */
} atlas_dist;

typedef struct atlas_distinfo atlas_distinfo;

/* Read every *.dist-info directory of a site-packages directory.  NULL
 * with ATLAS_ERR_IO only when the directory cannot be listed; problems
 * in single distributions are collected as the list's errors. */
atlas_distinfo *atlas_distinfo_load(const char *site_packages, atlas_error *err);
void atlas_distinfo_free(atlas_distinfo *dists);
/* Distributions sorted by canonical name. */
size_t atlas_distinfo_count(const atlas_distinfo *dists);
const atlas_dist *atlas_distinfo_get(const atlas_distinfo *dists, size_t i);
/* By any spelling of the name; NULL when not installed. */
const atlas_dist *atlas_distinfo_find(const atlas_distinfo *dists, const char *name);
/* Problems found while reading (file, line and message each). */
size_t atlas_distinfo_error_count(const atlas_distinfo *dists);
const atlas_error *atlas_distinfo_error_get(const atlas_distinfo *dists, size_t i);
/* Lower-case hex SHA-256 over every distribution's canonical name,
 * version and license fields, in list order: equal lists, equal digests. */
char *atlas_distinfo_digest(const atlas_distinfo *dists);

/* ------------------------------------------------------------------ */
/* Import exclusions                     (exclude.c)                   */
/* ------------------------------------------------------------------ */

/*
 * The reviewed list of modules that import validation skips, one
 * "module  # reason" a line.  A line without a reason is an error:
 * nothing is excluded without saying why.
 */
typedef struct atlas_exclusion {
	const char *module;
	const char *reason;
	unsigned line;
} atlas_exclusion;

typedef struct atlas_exclude atlas_exclude;

/* Parse exclusions held in memory; path names them in errors.  Every
 * problem is returned as an error (ATLAS_ERR_SYNTAX at the first bad
 * line), since a half-read exclusion list would change results. */
atlas_exclude *atlas_exclude_parse(const char *path, const char *data,
    size_t len, atlas_error *err);
/* Read and parse a file; ATLAS_ERR_IO when it cannot be read. */
atlas_exclude *atlas_exclude_load(const char *path, atlas_error *err);
void atlas_exclude_free(atlas_exclude *exclude);
size_t atlas_exclude_count(const atlas_exclude *exclude);
const atlas_exclusion *atlas_exclude_get(const atlas_exclude *exclude, size_t i);
/* The reason a module (or a parent package of it) is excluded, or NULL. */
const char *atlas_exclude_find(const atlas_exclude *exclude, const char *module);

/* ------------------------------------------------------------------ */
/* Child processes with a time limit     (proc.c)                      */
/* ------------------------------------------------------------------ */

/* One program to run: argv[0] is looked up in PATH, no shell. */
typedef struct atlas_proc_spec {
	const char *const *argv;	/* NULL-terminated */
	double timeout;		/* seconds; 0 or less means none */
} atlas_proc_spec;

typedef struct atlas_proc_result {
	bool started;		/* false: the program could not be run */
	bool timed_out;		/* killed at its time limit */
	int exit_code;		/* when it exited, else -1 */
	int signal;		/* the signal that ended it, else 0 */
	double seconds;		/* wall-clock time from start to end */
	char *output;		/* stdout and stderr interleaved (capped) */
	char *error;		/* why it could not be run, else NULL */
} atlas_proc_result;

typedef struct atlas_proc atlas_proc;

/* Run every spec, at most max_parallel at a time (0 means 1), with
 * stdin from /dev/null.  A child that outlives its time limit is killed
 * with its whole process group.  Returns NULL only when the machinery
 * itself fails (pipes, fork); a program that cannot be run is a result.
 * The caller releases the results with atlas_proc_free. */
atlas_proc *atlas_proc_run(const atlas_proc_spec *specs, size_t n_specs,
    unsigned max_parallel, atlas_error *err);
void atlas_proc_free(atlas_proc *proc);
size_t atlas_proc_count(const atlas_proc *proc);
/* Results in the order of the specs. */
const atlas_proc_result *atlas_proc_get(const atlas_proc *proc, size_t i);
/* The last non-empty line of a result's output (a traceback's message),
 * or NULL when there is none. */
char *atlas_proc_last_line(const atlas_proc_result *result);

/* ------------------------------------------------------------------ */
/* The NVIDIA driver                     (gpu.c)                       */
/* ------------------------------------------------------------------ */

typedef enum atlas_gpu_state {
	ATLAS_GPU_NO_DRIVER,	/* neither library loads: a CPU-only host */
	ATLAS_GPU_OK,		/* the driver answered */
	ATLAS_GPU_FAILED	/* a driver library loads but fails */
} atlas_gpu_state;

typedef struct atlas_gpu_device {
	unsigned index;
	char *name;
	unsigned long long total_memory;	/* bytes */
} atlas_gpu_device;

typedef struct atlas_gpu {
	atlas_gpu_state state;
	char *driver_version;	/* NVML's "550.54.15", or NULL */
	int cuda_version;	/* cuDriverGetVersion's 12040, or 0 */
	bool have_cuda;		/* libcuda loaded */
	bool have_nvml;		/* libnvidia-ml loaded */
	/* CUDA's view when libcuda loads (what frameworks see), else NVML's. */
	atlas_gpu_device *devices;
	size_t n_devices;
	char *error;		/* ATLAS_GPU_FAILED: which call failed and how */
} atlas_gpu;

/* Ask the driver through dlopen of libcuda and NVML, no python.
 * libcuda and libnvml name the libraries (NULL: "libcuda.so.1" and
 * "libnvidia-ml.so.1").  A missing or failing driver is a state of the
 * result: cuInit's CUDA_ERROR_NO_DEVICE and nvmlInit's "driver not
 * loaded" mean no GPU here (ATLAS_GPU_OK, no devices), any other
 * failure of a loaded library is ATLAS_GPU_FAILED.  NULL
 * (ATLAS_ERR_NOMEM) only when out of memory. */
atlas_gpu *atlas_gpu_probe(const char *libcuda, const char *libnvml,
    atlas_error *err);
void atlas_gpu_free(atlas_gpu *gpu);

#ifdef __cplusplus
}
#endif

#endif /* ATLAS_H */
