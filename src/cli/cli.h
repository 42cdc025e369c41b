/*
 * cli.h - what the subcommands of atlas share.  The CLI owns stdout,
 * stderr and the exit code; libatlas only returns values.
 */
#ifndef ATLAS_CLI_H
#define ATLAS_CLI_H

#include <stdbool.h>
#include <stdio.h>

#include <jansson.h>

#include "atlas.h"

/* Exit codes of every subcommand. */
enum {
	EXIT_CLEAN = 0,		/* done, nothing wrong */
	EXIT_PROBLEMS = 1,	/* the input has problems */
	EXIT_USAGE = 2		/* bad usage, or an I/O error */
};

typedef enum cli_format {
	CLI_FORMAT_TEXT,
	CLI_FORMAT_JSON,
	CLI_FORMAT_GITHUB
} cli_format;

typedef int (*cli_main_fn)(int argc, char **argv);

typedef struct cli_command {
	const char *group;	/* "version" */
	const char *name;	/* "normalize"; NULL for a one-word command */
	cli_main_fn main;
	const char *usage;	/* the arguments, for --help */
	const char *summary;	/* one line */
} cli_command;

/* The subcommands, one cmd-<group>-<name>.c each. */
int cmd_bake(int argc, char **argv);
int cmd_gpu(int argc, char **argv);
int cmd_health(int argc, char **argv);
int cmd_imports(int argc, char **argv);
int cmd_labels(int argc, char **argv);
int cmd_marker_eval(int argc, char **argv);
int cmd_req_check(int argc, char **argv);
int cmd_req_parse(int argc, char **argv);
int cmd_req_set(int argc, char **argv);
int cmd_sbom(int argc, char **argv);
int cmd_spec_match(int argc, char **argv);
int cmd_tags(int argc, char **argv);
int cmd_version_compare(int argc, char **argv);
int cmd_version_normalize(int argc, char **argv);
int cmd_version_sort(int argc, char **argv);

/* The command table, in atlas.c. */
extern const cli_command cli_commands[];

/* Print "atlas: <what>: <message>" on stderr and return EXIT_USAGE. */
int cli_usage(const char *what, const char *fmt, ...) __attribute__((format(printf, 2, 3)));

/* Parse a --format value; github only where allowed.  On a bad value it
 * prints the valid ones and returns false. */
bool cli_parse_format(const char *command, const char *value, bool allow_github,
    cli_format *format);

/* Check a --format value that is text, json or the command's own extra
 * format ("args", "digest", ...); prints the valid ones and returns false
 * when it is none of them. */
bool cli_check_format(const char *command, const char *value, const char *extra);

/* Parse a tier, 0, 1 or 2, given as option (like "--tier"). */
bool cli_parse_tier(const char *command, const char *option, const char *value,
    int *tier);

/* Parse --prereleases=yes|no. */
bool cli_parse_prereleases(const char *command, const char *value,
    atlas_prereleases *prereleases);

/* A JSON string for any bytes: invalid UTF-8 becomes U+FFFD, since
 * inputs may be garbage and JSON Lines must stay valid. */
json_t *cli_json_string(const char *s);

/* Write one JSON object as a line of JSON Lines on stdout, and release it. */
void cli_json_line(json_t *object);

/* A problem with one command-line argument, for people:
 * "atlas: error: <kind> '<input>': <message> (column N)". */
void cli_print_input_error(const char *kind, const char *input,
    const atlas_error *err);

/* A problem in a file, like a compiler: file:line:col: severity: message,
 * then the line and a caret under the column. */
void cli_print_diag(const atlas_diag *diag, cli_format format);

/* Run git with args in the current directory and keep the first line it
 * prints: 0 when git exited 0 (*line is malloc'd), 1 when git exited
 * non-zero (not a repository, no tag: the caller says what that means),
 * -1 when git could not be run at all. */
int cli_git_line(const char *const *args, char **line);

/* --from-git for atlas tags, labels and bake: HEAD's sha and, when tag
 * is not NULL, the version tag (v*) on it, malloc'd, or NULL when git has
 * none (no tag, as in a shallow clone, is a build that is no release).
 * Outside a repository it notes on stderr that the build goes without
 * `lost`.  Returns false, after saying so, only when git cannot run. */
bool cli_git_head(const char *command, const char *lost, char **sha, char **tag);

/* The build time for labels: *epoch when given, else SOURCE_DATE_EPOCH,
 * else the commit time from git (kept in *owned); never the clock.
 * Prints why and returns false when there is none. */
bool cli_source_date_epoch(const char *command, const char **epoch, char **owned);

/* The SemVer version in VERSION text, trimmed and malloc'd; NULL after
 * saying what is wrong and where the text came from (version_file, or
 * --version when NULL). */
char *cli_semver(const char *command, const char *version, const char *version_file);

/* The VERSION text for atlas tags and atlas labels: *version when given
 * (then *version_file must be NULL), else the text of *version_file,
 * "VERSION" by default, kept in *owned.  Prints why and returns false
 * when both are given or the file cannot be read. */
bool cli_version_text(const char *command, const char **version,
    const char **version_file, char **owned);

/* For atlas gpu and atlas health (defined in cmd-gpu.c).  The probe
 * loads ATLAS_LIBCUDA and ATLAS_LIBNVML when set; in the static build it
 * returns NULL with ATLAS_ERR_INVALID, since that build cannot dlopen. */
atlas_gpu *cli_gpu_probe(atlas_error *err);
void cli_gpu_free(atlas_gpu *gpu);
/* The probe's result as a JSON object; err explains a NULL gpu. */
json_t *cli_gpu_json(const atlas_gpu *gpu, const atlas_error *err);
/* One line for people, malloc'd: "NVIDIA driver 550.54.15, CUDA 12.4, 2 GPUs". */
char *cli_gpu_summary(const atlas_gpu *gpu, const atlas_error *err);

/* For atlas health, atlas imports and atlas sbom (defined in cmd-imports.c). */
/* Parse a time limit in seconds (0 < s <= 86400); prints why not. */
bool cli_parse_seconds(const char *command, const char *option, const char *value,
    double *seconds);
/* How many children to run at once by default: the online cores. */
unsigned cli_default_jobs(void);
/* Ask python where its site-packages (purelib) is; malloc'd, or NULL. */
char *cli_python_site_packages(const char *python, atlas_error *err);
/* Write s escaped for XML text or an attribute value, replacing what
 * XML 1.0 cannot hold (control bytes, invalid UTF-8) with U+FFFD. */
void cli_xml_escape(FILE *out, const char *s, bool attribute);

#endif /* ATLAS_CLI_H */
