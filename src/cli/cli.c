/* cli.c - output and option helpers shared by the subcommands. */
#include "config.h"

#include <errno.h>
#include <stdarg.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "cli.h"

int
cli_usage(const char *what, const char *fmt, ...)
{
	va_list ap;

	fprintf(stderr, "atlas: %s: ", what);
	va_start(ap, fmt);
	vfprintf(stderr, fmt, ap);
	va_end(ap);
	fputc('\n', stderr);
	return EXIT_USAGE;
}

bool
cli_parse_format(const char *command, const char *value, bool allow_github,
    cli_format *format)
{
	if (strcmp(value, "text") == 0)
		*format = CLI_FORMAT_TEXT;
	else if (strcmp(value, "json") == 0)
		*format = CLI_FORMAT_JSON;
	else if (allow_github && strcmp(value, "github") == 0)
		*format = CLI_FORMAT_GITHUB;
	else {
		cli_usage(command, "--format=%s is not valid; valid values: text, json%s",
		    value, allow_github ? ", github" : "");
		return false;
	}
	return true;
}

bool
cli_check_format(const char *command, const char *value, const char *extra)
{
	if (strcmp(value, "text") == 0 || strcmp(value, "json") == 0 ||
	    strcmp(value, extra) == 0)
		return true;
	cli_usage(command, "--format=%s is not valid; valid values: text, json, %s",
	    value, extra);
	return false;
}

bool
cli_parse_tier(const char *command, const char *option, const char *value,
    int *tier)
{
	if (value[0] >= '0' && value[0] <= '2' && value[1] == '\0') {
		*tier = value[0] - '0';
		return true;
	}
	cli_usage(command, "%s=%s is not valid; valid values: 0, 1, 2", option, value);
	return false;
}

bool
cli_parse_prereleases(const char *command, const char *value,
    atlas_prereleases *prereleases)
{
	if (strcmp(value, "yes") == 0)
		*prereleases = ATLAS_PRERELEASES_YES;
	else if (strcmp(value, "no") == 0)
		*prereleases = ATLAS_PRERELEASES_NO;
	else {
		cli_usage(command, "--prereleases=%s is not valid; valid values: yes, no", value);
		return false;
	}
	return true;
}

void
cli_json_line(json_t *object)
{
	/* Keys stay in insertion order so that output is stable to diff. */
	json_dumpf(object, stdout, JSON_COMPACT | JSON_PRESERVE_ORDER | JSON_ENSURE_ASCII);
	fputc('\n', stdout);
	json_decref(object);
}

json_t *
cli_json_string(const char *s)
{
	json_t *j = json_string(s);
	if (j != NULL)
		return j;
	/* Keep every valid sequence and replace each bad byte. */
	size_t len = strlen(s), out = 0;
	char *clean = malloc(len * 3 + 1);
	if (clean == NULL)
		return json_null();
	for (size_t i = 0; i < len;) {
		unsigned char c = (unsigned char)s[i];
		size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
		json_t *probe = NULL;
		if (n > 0 && i + n <= len)
			probe = json_stringn(s + i, n);
		if (probe != NULL) {
			memcpy(clean + out, s + i, n);
			out += n;
			i += n;
			json_decref(probe);
		} else {
			memcpy(clean + out, "\xEF\xBF\xBD", 3);
			out += 3;
			i++;
		}
	}
	j = json_stringn(clean, out);
	free(clean);
	return j ? j : json_null();
}

void
cli_print_input_error(const char *kind, const char *input, const atlas_error *err)
{
	if (err->column > 0)
		fprintf(stderr, "atlas: error: %s '%s': %s (column %u)\n", kind, input,
		    err->message, err->column);
	else
		fprintf(stderr, "atlas: error: %s '%s': %s\n", kind, input, err->message);
}

static const char *
severity_name(atlas_severity severity)
{
	switch (severity) {
	case ATLAS_SEVERITY_ERROR:
		return "error";
	case ATLAS_SEVERITY_WARNING:
		return "warning";
	case ATLAS_SEVERITY_NOTE:
		return "notice";
	}
	return "error";
}

/* Workflow commands end at a newline and treat '%' specially. */
static void
print_github_escaped(const char *s, bool property)
{
	for (; *s; s++) {
		switch (*s) {
		case '%': fputs("%25", stdout); break;
		case '\r': fputs("%0D", stdout); break;
		case '\n': fputs("%0A", stdout); break;
		case ':': if (property) fputs("%3A", stdout); else putchar(':'); break;
		case ',': if (property) fputs("%2C", stdout); else putchar(','); break;
		default: putchar(*s);
		}
	}
}

static void
print_caret_line(const char *source, unsigned line, unsigned column)
{
	unsigned i;
	int width;

	width = fprintf(stderr, "%5u | ", line);
	/* Replace control bytes so the caret stays under its column. */
	for (const char *p = source; *p; p++)
		fputc((unsigned char)*p < 0x20 && *p != '\t' ? '?' : *p, stderr);
	fputc('\n', stderr);
	fprintf(stderr, "%*s| ", width - 2, "");
	for (i = 1; i < column && source[i - 1] != '\0'; i++)
		fputc(source[i - 1] == '\t' ? '\t' : ' ', stderr);
	fputs("^\n", stderr);
}

void
cli_print_diag(const atlas_diag *diag, cli_format format)
{
	const atlas_error *w = &diag->where;

	if (format == CLI_FORMAT_GITHUB) {
		printf("::%s ", diag->severity == ATLAS_SEVERITY_NOTE ? "notice" :
		    severity_name(diag->severity));
		fputs("file=", stdout);
		print_github_escaped(w->file, true);
		if (w->line > 0)
			printf(",line=%u", w->line);
		if (w->column > 0)
			printf(",col=%u", w->column);
		printf(",title=atlas %s::", diag->code);
		print_github_escaped(w->message, false);
		putchar('\n');
		return;
	}
	if (format == CLI_FORMAT_JSON) {
		json_t *o = json_object();
		json_object_set_new(o, "file", cli_json_string(w->file));
		json_object_set_new(o, "line", json_integer(w->line));
		json_object_set_new(o, "column", json_integer(w->column));
		json_object_set_new(o, "severity", json_string(severity_name(diag->severity)));
		json_object_set_new(o, "code", json_string(diag->code));
		json_object_set_new(o, "message", cli_json_string(w->message));
		cli_json_line(o);
		return;
	}
	fputs(w->file[0] ? w->file : "<input>", stderr);
	if (w->line > 0) {
		fprintf(stderr, ":%u", w->line);
		if (w->column > 0)
			fprintf(stderr, ":%u", w->column);
	}
	fprintf(stderr, ": %s: %s [%s]\n", severity_name(diag->severity), w->message, diag->code);
	if (diag->source_line != NULL && w->line > 0)
		print_caret_line(diag->source_line, w->line, w->column ? w->column : 1);
}

int
cli_git_line(const char *const *args, char **line)
{
	const char *argv[16];
	size_t n_argv = 0;
	atlas_proc *proc;
	const atlas_proc_result *result;
	int rc;

	*line = NULL;
	argv[n_argv++] = "git";
	for (size_t i = 0; args[i] != NULL && n_argv < 15; i++)
		argv[n_argv++] = args[i];
	argv[n_argv] = NULL;
	atlas_proc_spec spec = { argv, 0 };
	proc = atlas_proc_run(&spec, 1, 1, NULL);
	if (proc == NULL)
		return -1;
	result = atlas_proc_get(proc, 0);
	if (!result->started || result->exit_code < 0 || result->exit_code == 127)
		rc = -1;
	else if (result->exit_code != 0)
		rc = 1;
	else {
		const char *out = result->output ? result->output : "";
		*line = strndup(out, strcspn(out, "\r\n"));
		rc = *line ? 0 : -1;
	}
	atlas_proc_free(proc);
	return rc;
}

/* VERSION holds one line; anything larger is not a version file. */
#define VERSION_FILE_MAX 4096

bool
cli_version_text(const char *command, const char **version,
    const char **version_file, char **owned)
{
	FILE *f;
	size_t len;

	if (*version != NULL && *version_file != NULL) {
		cli_usage(command, "give --version or --version-file, not both");
		return false;
	}
	if (*version != NULL)
		return true;
	if (*version_file == NULL)
		*version_file = "VERSION";
	f = fopen(*version_file, "rb");
	*owned = f ? malloc(VERSION_FILE_MAX + 1) : NULL;
	if (*owned == NULL) {
		cli_usage(command, "cannot read %s: %s", *version_file, strerror(errno));
		if (f)
			fclose(f);
		return false;
	}
	len = fread(*owned, 1, VERSION_FILE_MAX, f);
	if (ferror(f)) {
		cli_usage(command, "cannot read %s: %s", *version_file, strerror(errno));
		fclose(f);
		return false;
	}
	fclose(f);
	(*owned)[len] = '\0';
	*version = *owned;
	return true;
}

bool
cli_git_head(const char *command, const char *lost, char **sha, char **tag)
{
	static const char *const rev_parse[] = { "rev-parse", "--verify", "-q", "HEAD^{commit}", NULL };
	/* Only version tags: another tag on the commit is not a release. */
	static const char *const describe[] = { "describe", "--exact-match", "--tags",
	    "--match", "v[0-9]*", "HEAD", NULL };
	int rc = cli_git_line(rev_parse, sha);

	if (rc < 0) {
		cli_usage(command, "--from-git: git cannot be run; is it installed?");
		return false;
	}
	if (rc > 0)
		fprintf(stderr, "atlas: %s: note: not a git repository (or no commit yet): %s\n",
		    command, lost);
	else if (tag != NULL && cli_git_line(describe, tag) != 0)
		*tag = NULL;
	return true;
}

bool
cli_source_date_epoch(const char *command, const char **epoch, char **owned)
{
	static const char *const log_time[] = { "log", "-1", "--format=%ct", NULL };
	const char *env = getenv("SOURCE_DATE_EPOCH");

	if (*epoch == NULL && env != NULL && env[0] != '\0')
		*epoch = env;
	if (*epoch != NULL)
		return true;
	if (cli_git_line(log_time, owned) != 0 || (*owned)[0] == '\0') {
		cli_usage(command, "SOURCE_DATE_EPOCH is not set and there is no "
		    "commit time (not a git repository, or git is not installed): "
		    "set SOURCE_DATE_EPOCH to the build's time in seconds");
		return false;
	}
	*epoch = *owned;
	return true;
}

char *
cli_semver(const char *command, const char *version, const char *version_file)
{
	atlas_error err = { 0 };
	char *semver = atlas_tags_version(version, &err);

	if (semver == NULL)
		fprintf(stderr, "atlas: %s: error: %s: %s\n", command,
		    version_file ? version_file : "--version", err.message);
	return semver;
}
