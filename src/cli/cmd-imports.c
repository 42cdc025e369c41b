/*
 * cmd-imports.c - atlas imports: import validation inside the image.
 *
 * Two questions, answered from the installed dist-info and from child
 * interpreters:
 *   - does every distribution the requirement files name match its pin?
 *   - does every top-level module of every requested distribution import,
 *     in a fresh interpreter, within the time limit?
 * Modules run N at a time, each in its own interpreter, so one import
 * cannot mask or break another.  Results as text, JSON or JUnit XML.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <limits.h>
#include <math.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "cli.h"

#define DEFAULT_TIMEOUT 120.0
#define MAX_JOBS 256

/* Runs in the child.  The current directory is dropped from sys.path so
 * that a stray file there cannot stand in for an installed module, and
 * the directory under test comes first. */
static const char import_code[] =
    "import importlib, sys\n"
    "sys.path[:] = [p for p in sys.path if p not in ('', '.')]\n"
    "if sys.argv[2] not in sys.path:\n"
    "    sys.path.insert(0, sys.argv[2])\n"
    "importlib.import_module(sys.argv[1])\n";

static const char site_code[] =
    "import sysconfig; print(sysconfig.get_paths()['purelib'])";

bool
cli_parse_seconds(const char *command, const char *option, const char *value,
    double *seconds)
{
	char *end;
	double v;

	errno = 0;
	v = strtod(value, &end);
	if (errno != 0 || end == value || *end != '\0' || !isfinite(v) || v <= 0 || v > 86400) {
		cli_usage(command, "%s=%s is not valid; give seconds, more than 0 and at most 86400",
		    option, value);
		return false;
	}
	*seconds = v;
	return true;
}

unsigned
cli_default_jobs(void)
{
	long n = sysconf(_SC_NPROCESSORS_ONLN);
	return n < 1 ? 1 : n > MAX_JOBS ? MAX_JOBS : (unsigned)n;
}

char *
cli_python_site_packages(const char *python, atlas_error *err)
{
	const char *argv[] = { python, "-c", site_code, NULL };
	atlas_proc_spec spec = { argv, 60 };
	atlas_proc *proc = atlas_proc_run(&spec, 1, 1, err);
	const atlas_proc_result *r;
	char *dir = NULL;

	if (proc == NULL)
		return NULL;
	r = atlas_proc_get(proc, 0);
	if (r->started && !r->timed_out && r->exit_code == 0)
		dir = atlas_proc_last_line(r);
	if (dir == NULL || dir[0] == '\0') {
		char *last = atlas_proc_last_line(r);
		atlas_error_set(err, ATLAS_ERR_IO, NULL, 0, 0,
		    "cannot ask '%s' where site-packages is: %s", python,
		    r->error ? r->error : r->timed_out ? "no answer within 60 s"
		    : last ? last : "no output");
		free(last);
		free(dir);
		dir = NULL;
	}
	atlas_proc_free(proc);
	return dir;
}

/* Write s as XML character data (or an attribute value): markup
 * characters escaped, bytes that XML 1.0 cannot hold (control
 * characters, invalid UTF-8, U+FFFE, U+FFFF) replaced with U+FFFD. */
void
cli_xml_escape(FILE *out, const char *s, bool attribute)
{
	const unsigned char *p = (const unsigned char *)(s ? s : "");

	while (*p) {
		unsigned char c = *p;
		size_t n = c < 0x80 ? 1 : (c >> 5) == 0x6 ? 2 : (c >> 4) == 0xe ? 3 : (c >> 3) == 0x1e ? 4 : 0;
		unsigned long cp = n == 1 ? c : n == 2 ? c & 0x1f : n == 3 ? c & 0x0f : c & 0x07;
		bool valid = n > 0;

		for (size_t k = 1; valid && k < n; k++) {
			if ((p[k] & 0xc0) != 0x80)
				valid = false;
			else
				cp = (cp << 6) | (p[k] & 0x3f);
		}
		if (valid && ((n == 2 && cp < 0x80) || (n == 3 && cp < 0x800) || (n == 4 && cp < 0x10000)
		    || cp > 0x10ffff || (cp >= 0xd800 && cp <= 0xdfff) || cp == 0xfffe || cp == 0xffff))
			valid = false;
		if (valid && cp < 0x20 && cp != '\t' && cp != '\n' && cp != '\r')
			valid = false;
		if (!valid) {
			fputs("\xEF\xBF\xBD", out);
			p++;
			continue;
		}
		switch (cp) {
		case '&': fputs("&amp;", out); break;
		case '<': fputs("&lt;", out); break;
		case '>': fputs("&gt;", out); break;
		case '"': fputs(attribute ? "&quot;" : "\"", out); break;
		case '\'': fputs(attribute ? "&apos;" : "'", out); break;
		/* Attribute values normalise white space unless it is a reference. */
		case '\n': fputs(attribute ? "&#10;" : "\n", out); break;
		case '\r': fputs("&#13;", out); break;
		case '\t': fputs(attribute ? "&#9;" : "\t", out); break;
		default: fwrite(p, 1, n, out);
		}
		p += n;
	}
}

/* One requested distribution, from a requirement file. */
typedef struct wanted {
	const atlas_req *req;
	const char *file;
	unsigned line;
} wanted;

typedef struct pin_result {
	const wanted *w;
	const atlas_dist *dist;	/* NULL: not installed */
	const char *pinned;	/* the pin, or NULL when only a range is given */
	bool ok;
	char *problem;		/* malloc'd when !ok */
} pin_result;

typedef enum import_status {
	IMPORT_OK,
	IMPORT_FAILED,
	IMPORT_TIMEOUT,
	IMPORT_EXCLUDED
} import_status;

typedef struct module_check {
	const char *module;
	const char *dist;	/* the distribution's name, as written */
	const char *reason;	/* the exclusion's reason */
	size_t job;		/* index into the proc results */
	import_status status;
	double seconds;
	char *error;		/* the last line of the child's output */
	const char *output;	/* all of it */
} module_check;

typedef struct state {
	const char *python;
	const char *site;
	double timeout;
	atlas_distinfo *dists;
	atlas_exclude *exclude;
	atlas_reqfile **files;
	size_t n_files;
	char **seen;		/* requirement files read, to stop include cycles */
	size_t n_seen;
	wanted *wanted;
	size_t n_wanted;
	atlas_env *env;
	pin_result *pins;
	size_t n_pins;
	module_check *modules;
	size_t n_modules;
	atlas_proc *proc;
} state;

static void
print_file_error(const atlas_error *e)
{
	fputs(e->file[0] ? e->file : "<input>", stderr);
	if (e->line > 0) {
		fprintf(stderr, ":%u", e->line);
		if (e->column > 0)
			fprintf(stderr, ":%u", e->column);
	}
	fprintf(stderr, ": error: %s\n", e->message);
}

/* The same requirement named twice (a .txt and its .lock, or two files
 * including a third) is checked once. */
static bool
already_wanted(const state *st, const atlas_req *req)
{
	char *spec = atlas_spec_format(req->spec);
	bool found = false;

	for (size_t i = 0; spec != NULL && !found && i < st->n_wanted; i++) {
		char *other;
		if (strcmp(st->wanted[i].req->canonical_name, req->canonical_name) != 0)
			continue;
		other = atlas_spec_format(st->wanted[i].req->spec);
		found = other != NULL && strcmp(spec, other) == 0;
		free(other);
	}
	free(spec);
	return found;
}

/* Read a requirement file and, through -r, the ones it includes.
 * Returns false after printing why (the caller exits with 2). */
static bool
load_requirements(state *st, const char *path, unsigned depth)
{
	atlas_error err = { 0 };
	atlas_reqfile *file;
	char *real = realpath(path, NULL);

	if (real == NULL) {
		fprintf(stderr, "atlas: imports: %s: cannot read: %s\n", path, strerror(errno));
		return false;
	}
	for (size_t i = 0; i < st->n_seen; i++) {
		if (strcmp(st->seen[i], real) == 0) {
			free(real);
			return true;	/* read already: a diamond or a cycle */
		}
	}
	char **seen = realloc(st->seen, (st->n_seen + 1) * sizeof *seen);
	if (seen == NULL || depth > 64) {
		free(real);
		fprintf(stderr, "atlas: imports: %s: %s\n", path,
		    seen ? "includes nest too deeply" : "out of memory");
		if (seen)
			st->seen = seen;
		return false;
	}
	st->seen = seen;
	st->seen[st->n_seen++] = real;

	file = atlas_reqfile_load(path, NULL, NULL, &err);
	if (file == NULL) {
		if (err.message[0] == '\0')
			snprintf(err.message, sizeof err.message, "cannot be read");
		if (err.file[0] == '\0')
			snprintf(err.file, sizeof err.file, "%s", path);
		print_file_error(&err);
		return false;
	}
	atlas_reqfile **files = realloc(st->files, (st->n_files + 1) * sizeof *files);
	if (files == NULL) {
		atlas_reqfile_free(file);
		fprintf(stderr, "atlas: imports: out of memory\n");
		return false;
	}
	st->files = files;
	st->files[st->n_files++] = file;
	if (file->n_errors > 0) {
		for (size_t i = 0; i < file->n_errors; i++)
			print_file_error(&file->errors[i]);
		return false;
	}
	for (size_t i = 0; i < file->n_lines; i++) {
		const atlas_reqline *l = &file->lines[i];
		if (l->kind == ATLAS_LINE_INCLUDE && l->value != NULL) {
			/* An include is relative to the file that names it. */
			char include[PATH_MAX];
			const char *slash = strrchr(path, '/');
			if (l->value[0] == '/' || slash == NULL)
				snprintf(include, sizeof include, "%s", l->value);
			else
				snprintf(include, sizeof include, "%.*s/%s",
				    (int)(slash - path), path, l->value);
			if (!load_requirements(st, include, depth + 1))
				return false;
			continue;
		}
		if (l->kind != ATLAS_LINE_REQUIREMENT || l->req == NULL)
			continue;
		if (l->req->marker != NULL) {
			bool applies = true;
			/* A marker that cannot be evaluated keeps the requirement:
			 * better one check too many than one missed. */
			if (atlas_marker_evaluate(l->req->marker, st->env, &applies, NULL) == ATLAS_OK
			    && !applies)
				continue;
		}
		if (already_wanted(st, l->req))
			continue;
		wanted *w = realloc(st->wanted, (st->n_wanted + 1) * sizeof *w);
		if (w == NULL) {
			fprintf(stderr, "atlas: imports: out of memory\n");
			return false;
		}
		st->wanted = w;
		st->wanted[st->n_wanted++] = (wanted){ l->req, file->path, l->line };
	}
	return true;
}

static void
check_pins(state *st)
{
	st->pins = calloc(st->n_wanted ? st->n_wanted : 1, sizeof *st->pins);
	if (st->pins == NULL)
		return;
	for (size_t i = 0; i < st->n_wanted; i++) {
		const wanted *w = &st->wanted[i];
		pin_result *p = &st->pins[st->n_pins++];
		char text[1024];

		p->w = w;
		p->dist = atlas_distinfo_find(st->dists, w->req->name);
		p->pinned = atlas_spec_pin(w->req->spec);
		p->ok = true;
		if (p->dist == NULL) {
			snprintf(text, sizeof text, "not installed");
			p->ok = false;
		} else if (p->pinned != NULL) {
			if (!atlas_version_text_equal(p->dist->version, p->pinned)) {
				snprintf(text, sizeof text, "installed %s, pinned %s",
				    p->dist->version, p->pinned);
				p->ok = false;
			}
		} else if (atlas_spec_count(w->req->spec) > 0) {
			atlas_version *v = atlas_version_parse(p->dist->version, NULL);
			if (v == NULL || !atlas_spec_contains(w->req->spec, v, ATLAS_PRERELEASES_YES)) {
				char *spec = atlas_spec_format(w->req->spec);
				snprintf(text, sizeof text, "installed %s, required %s",
				    p->dist->version, spec ? spec : "(a specifier set)");
				free(spec);
				p->ok = false;
			}
			atlas_version_free(v);
		}
		if (!p->ok)
			p->problem = strdup(text);
	}
}

static int
compare_modules(const void *a, const void *b)
{
	const module_check *x = a, *y = b;
	return strcmp(x->module, y->module);
}

/* The modules to import: every top-level module of every requested
 * distribution that is installed, or of every installed one when no
 * requirement file is given.  A module two distributions provide (a
 * namespace package) is imported once. */
static bool
collect_modules(state *st)
{
	size_t cap = 0;

	for (size_t i = 0; i < atlas_distinfo_count(st->dists); i++) {
		const atlas_dist *d = atlas_distinfo_get(st->dists, i);
		bool requested = st->n_wanted == 0;
		for (size_t k = 0; !requested && k < st->n_pins; k++)
			requested = st->pins[k].dist == d;
		if (!requested)
			continue;
		for (size_t m = 0; m < d->n_top_level; m++) {
			if (st->n_modules == cap) {
				cap = cap ? cap * 2 : 64;
				module_check *mods = realloc(st->modules, cap * sizeof *mods);
				if (mods == NULL)
					return false;
				st->modules = mods;
			}
			st->modules[st->n_modules++] = (module_check){
				.module = d->top_level[m], .dist = d->name };
		}
	}
	if (st->n_modules > 1)
		qsort(st->modules, st->n_modules, sizeof *st->modules, compare_modules);
	size_t out = 0;
	for (size_t i = 0; i < st->n_modules; i++)
		if (out == 0 || strcmp(st->modules[out - 1].module, st->modules[i].module) != 0)
			st->modules[out++] = st->modules[i];
	st->n_modules = out;
	return true;
}

static bool
run_imports(state *st, unsigned jobs, atlas_error *err)
{
	size_t n_jobs = 0;
	const char *(*argvs)[7] = calloc(st->n_modules ? st->n_modules : 1, sizeof *argvs);
	atlas_proc_spec *specs = calloc(st->n_modules ? st->n_modules : 1, sizeof *specs);

	if (argvs == NULL || specs == NULL) {
		free(argvs);
		free(specs);
		atlas_error_set(err, ATLAS_ERR_NOMEM, NULL, 0, 0, "out of memory");
		return false;
	}
	for (size_t i = 0; i < st->n_modules; i++) {
		module_check *m = &st->modules[i];
		m->reason = atlas_exclude_find(st->exclude, m->module);
		if (m->reason != NULL) {
			m->status = IMPORT_EXCLUDED;
			continue;
		}
		/* -B: validation writes no bytecode into what it validates. */
		argvs[n_jobs][0] = st->python;
		argvs[n_jobs][1] = "-B";
		argvs[n_jobs][2] = "-c";
		argvs[n_jobs][3] = import_code;
		argvs[n_jobs][4] = m->module;
		argvs[n_jobs][5] = st->site;
		argvs[n_jobs][6] = NULL;
		specs[n_jobs] = (atlas_proc_spec){ argvs[n_jobs], st->timeout };
		m->job = n_jobs++;
	}
	st->proc = atlas_proc_run(specs, n_jobs, jobs, err);
	free(argvs);
	free(specs);
	if (st->proc == NULL)
		return false;
	for (size_t i = 0; i < st->n_modules; i++) {
		module_check *m = &st->modules[i];
		if (m->status == IMPORT_EXCLUDED)
			continue;
		const atlas_proc_result *r = atlas_proc_get(st->proc, m->job);
		char text[1024];
		m->seconds = r->seconds;
		m->output = r->output;
		if (r->started && !r->timed_out && r->signal == 0 && r->exit_code == 0) {
			m->status = IMPORT_OK;
			continue;
		}
		m->status = r->timed_out ? IMPORT_TIMEOUT : IMPORT_FAILED;
		char *last = atlas_proc_last_line(r);
		if (!r->started)
			snprintf(text, sizeof text, "%s", r->error ? r->error : "could not be run");
		else if (r->timed_out)
			snprintf(text, sizeof text, "no answer within %g s", st->timeout);
		else if (r->signal != 0)
			snprintf(text, sizeof text, "killed by signal %d", r->signal);
		else
			snprintf(text, sizeof text, "%s", last ? last : "failed with no message");
		free(last);
		m->error = strdup(text);
	}
	return true;
}

static const char *
status_name(import_status s)
{
	switch (s) {
	case IMPORT_OK: return "ok";
	case IMPORT_FAILED: return "failed";
	case IMPORT_TIMEOUT: return "timeout";
	case IMPORT_EXCLUDED: return "excluded";
	}
	return "failed";
}

typedef struct counts {
	size_t ok, failed, excluded, pins_wrong, dist_errors;
	double seconds;
} counts;

static counts
count(const state *st)
{
	counts c = { 0 };
	for (size_t i = 0; i < st->n_modules; i++) {
		const module_check *m = &st->modules[i];
		if (m->status == IMPORT_OK)
			c.ok++;
		else if (m->status == IMPORT_EXCLUDED)
			c.excluded++;
		else
			c.failed++;
		c.seconds += m->seconds;
	}
	for (size_t i = 0; i < st->n_pins; i++)
		c.pins_wrong += !st->pins[i].ok;
	c.dist_errors = atlas_distinfo_error_count(st->dists);
	return c;
}

/* A file in site-packages, named relative to it: shorter to read, and
 * the same wherever the directory is. */
static const char *
site_relative(const state *st, const char *path)
{
	size_t n = strlen(st->site);
	while (n > 1 && st->site[n - 1] == '/')
		n--;
	if (strncmp(path, st->site, n) == 0 && path[n] == '/')
		return path + n + 1;
	return path;
}

static void
print_text(const state *st, const counts *c)
{
	for (size_t i = 0; i < c->dist_errors; i++) {
		const atlas_error *e = atlas_distinfo_error_get(st->dists, i);
		if (e->line > 0)
			printf("%-8s dist-info %s:%u: %s\n", "FAILED", site_relative(st, e->file),
			    e->line, e->message);
		else
			printf("%-8s dist-info %s: %s\n", "FAILED", site_relative(st, e->file),
			    e->message);
	}
	for (size_t i = 0; i < st->n_pins; i++) {
		const pin_result *p = &st->pins[i];
		if (p->ok)
			printf("%-8s pin %s %s\n", "ok", p->w->req->name, p->dist->version);
		else
			printf("%-8s pin %s: %s\n", "FAILED", p->w->req->name, p->problem);
	}
	for (size_t i = 0; i < st->n_modules; i++) {
		const module_check *m = &st->modules[i];
		switch (m->status) {
		case IMPORT_OK:
			printf("%-8s import %s (%s)\n", "ok", m->module, m->dist);
			break;
		case IMPORT_EXCLUDED:
			printf("%-8s import %s (%s): excluded: %s\n", "skipped", m->module, m->dist, m->reason);
			break;
		default:
			printf("%-8s import %s (%s): %s\n", m->status == IMPORT_TIMEOUT ? "TIMEOUT" : "FAILED",
			    m->module, m->dist, m->error);
		}
	}
	printf("%zu module%s: %zu ok, %zu failed, %zu excluded; %zu pin%s checked, %zu wrong\n",
	    st->n_modules, st->n_modules == 1 ? "" : "s", c->ok, c->failed, c->excluded,
	    st->n_pins, st->n_pins == 1 ? "" : "s", c->pins_wrong);
}

static void
print_json(const state *st, const counts *c)
{
	json_t *o = json_object(), *errors = json_array(), *pins = json_array(),
	    *imports = json_array(), *summary = json_object();

	json_object_set_new(o, "site_packages", cli_json_string(st->site));
	json_object_set_new(o, "distributions", json_integer((json_int_t)atlas_distinfo_count(st->dists)));
	for (size_t i = 0; i < c->dist_errors; i++) {
		const atlas_error *e = atlas_distinfo_error_get(st->dists, i);
		json_t *je = json_object();
		json_object_set_new(je, "file", cli_json_string(e->file));
		json_object_set_new(je, "line", json_integer(e->line));
		json_object_set_new(je, "message", cli_json_string(e->message));
		json_array_append_new(errors, je);
	}
	json_object_set_new(o, "errors", errors);
	for (size_t i = 0; i < st->n_pins; i++) {
		const pin_result *p = &st->pins[i];
		json_t *jp = json_object();
		char *spec = atlas_spec_format(p->w->req->spec);
		json_object_set_new(jp, "name", cli_json_string(p->w->req->name));
		json_object_set_new(jp, "required", spec ? cli_json_string(spec) : json_null());
		json_object_set_new(jp, "installed", p->dist ? cli_json_string(p->dist->version) : json_null());
		json_object_set_new(jp, "ok", json_boolean(p->ok));
		json_object_set_new(jp, "error", p->problem ? cli_json_string(p->problem) : json_null());
		json_object_set_new(jp, "file", cli_json_string(p->w->file));
		json_object_set_new(jp, "line", json_integer(p->w->line));
		free(spec);
		json_array_append_new(pins, jp);
	}
	json_object_set_new(o, "pins", pins);
	for (size_t i = 0; i < st->n_modules; i++) {
		const module_check *m = &st->modules[i];
		json_t *jm = json_object();
		json_object_set_new(jm, "module", cli_json_string(m->module));
		json_object_set_new(jm, "distribution", cli_json_string(m->dist));
		json_object_set_new(jm, "status", json_string(status_name(m->status)));
		json_object_set_new(jm, "seconds", json_real(m->seconds));
		json_object_set_new(jm, "error", m->error ? cli_json_string(m->error) : json_null());
		json_object_set_new(jm, "reason", m->reason ? cli_json_string(m->reason) : json_null());
		json_array_append_new(imports, jm);
	}
	json_object_set_new(o, "imports", imports);
	json_object_set_new(summary, "modules", json_integer((json_int_t)st->n_modules));
	json_object_set_new(summary, "ok", json_integer((json_int_t)c->ok));
	json_object_set_new(summary, "failed", json_integer((json_int_t)c->failed));
	json_object_set_new(summary, "excluded", json_integer((json_int_t)c->excluded));
	json_object_set_new(summary, "pins_wrong", json_integer((json_int_t)c->pins_wrong));
	json_object_set_new(o, "summary", summary);
	json_object_set_new(o, "ok", json_boolean(c->failed == 0 && c->pins_wrong == 0 && c->dist_errors == 0));
	cli_json_line(o);
}

static void
junit_attr(const char *name, const char *value)
{
	printf(" %s=\"", name);
	cli_xml_escape(stdout, value, true);
	putchar('"');
}

static void
print_junit(const state *st, const counts *c)
{
	size_t setup_tests = c->dist_errors + st->n_pins;
	size_t setup_failures = c->dist_errors + c->pins_wrong;

	puts("<?xml version=\"1.0\" encoding=\"UTF-8\"?>");
	printf("<testsuites name=\"atlas imports\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\" time=\"%.3f\">\n",
	    setup_tests + st->n_modules, setup_failures + c->failed, c->excluded, c->seconds);

	printf("  <testsuite name=\"distributions\" tests=\"%zu\" failures=\"%zu\" skipped=\"0\" time=\"0\">\n",
	    setup_tests, setup_failures);
	for (size_t i = 0; i < c->dist_errors; i++) {
		const atlas_error *e = atlas_distinfo_error_get(st->dists, i);
		printf("    <testcase classname=\"dist-info\"");
		junit_attr("name", site_relative(st, e->file));
		printf(">\n      <failure type=\"dist-info\"");
		junit_attr("message", e->message);
		printf("/>\n    </testcase>\n");
	}
	for (size_t i = 0; i < st->n_pins; i++) {
		const pin_result *p = &st->pins[i];
		printf("    <testcase classname=\"pins\"");
		junit_attr("name", p->w->req->name);
		junit_attr("file", p->w->file);
		printf(" line=\"%u\"", p->w->line);
		if (p->ok) {
			printf("/>\n");
			continue;
		}
		printf(">\n      <failure type=\"pin\"");
		junit_attr("message", p->problem);
		printf("/>\n    </testcase>\n");
	}
	printf("  </testsuite>\n");

	printf("  <testsuite name=\"imports\" tests=\"%zu\" failures=\"%zu\" skipped=\"%zu\" time=\"%.3f\">\n",
	    st->n_modules, c->failed, c->excluded, c->seconds);
	for (size_t i = 0; i < st->n_modules; i++) {
		const module_check *m = &st->modules[i];
		char classname[512];
		snprintf(classname, sizeof classname, "imports.%s", m->dist);
		printf("    <testcase");
		junit_attr("classname", classname);
		junit_attr("name", m->module);
		printf(" time=\"%.3f\"", m->seconds);
		if (m->status == IMPORT_OK) {
			printf("/>\n");
			continue;
		}
		if (m->status == IMPORT_EXCLUDED) {
			printf(">\n      <skipped");
			junit_attr("message", m->reason);
			printf("/>\n    </testcase>\n");
			continue;
		}
		printf(">\n      <failure");
		junit_attr("type", m->status == IMPORT_TIMEOUT ? "timeout" : "import");
		junit_attr("message", m->error);
		printf(">");
		cli_xml_escape(stdout, m->output, false);
		printf("</failure>\n    </testcase>\n");
	}
	printf("  </testsuite>\n</testsuites>\n");
}

static void
state_free(state *st)
{
	for (size_t i = 0; i < st->n_files; i++)
		atlas_reqfile_free(st->files[i]);
	free(st->files);
	for (size_t i = 0; i < st->n_seen; i++)
		free(st->seen[i]);
	free(st->seen);
	free(st->wanted);
	for (size_t i = 0; i < st->n_pins; i++)
		free(st->pins[i].problem);
	free(st->pins);
	for (size_t i = 0; i < st->n_modules; i++)
		free(st->modules[i].error);
	free(st->modules);
	atlas_proc_free(st->proc);
	atlas_exclude_free(st->exclude);
	atlas_distinfo_free(st->dists);
	atlas_env_free(st->env);
}

int
cmd_imports(int argc, char **argv)
{
	static const struct option options[] = {
		{ "site-packages", required_argument, NULL, 's' },
		{ "requirements", required_argument, NULL, 'r' },
		{ "exclude", required_argument, NULL, 'x' },
		{ "jobs", required_argument, NULL, 'j' },
		{ "timeout", required_argument, NULL, 't' },
		{ "python", required_argument, NULL, 'p' },
		{ "format", required_argument, NULL, 'f' },
		{ NULL, 0, NULL, 0 }
	};
	state st = { .python = "python3", .timeout = DEFAULT_TIMEOUT };
	const char *site_option = NULL, *exclude_path = NULL, *format = "text";
	const char **req_paths = calloc((size_t)argc + 1, sizeof *req_paths);
	size_t n_req_paths = 0;
	unsigned jobs = cli_default_jobs();
	char *site_owned = NULL;
	atlas_error err = { 0 };
	int opt, status = EXIT_USAGE;

	if (req_paths == NULL)
		return cli_usage("imports", "out of memory");
	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 's':
			site_option = optarg;
			break;
		case 'r':
			req_paths[n_req_paths++] = optarg;
			break;
		case 'x':
			exclude_path = optarg;
			break;
		case 'j': {
			char *end;
			long n;
			errno = 0;
			n = strtol(optarg, &end, 10);
			if (errno || end == optarg || *end || n < 1 || n > MAX_JOBS) {
				cli_usage("imports", "--jobs=%s is not valid; give a number from 1 to %d",
				    optarg, MAX_JOBS);
				goto out;
			}
			jobs = (unsigned)n;
			break;
		}
		case 't':
			if (!cli_parse_seconds("imports", "--timeout", optarg, &st.timeout))
				goto out;
			break;
		case 'p':
			if (optarg[0] == '\0') {
				cli_usage("imports", "--python needs a program");
				goto out;
			}
			st.python = optarg;
			break;
		case 'f':
			if (!cli_check_format("imports", optarg, "junit"))
				goto out;
			format = optarg;
			break;
		default:
			goto out;
		}
	}
	if (optind < argc) {
		cli_usage("imports", "unexpected argument '%s'", argv[optind]);
		goto out;
	}

	if (site_option == NULL) {
		site_owned = cli_python_site_packages(st.python, &err);
		if (site_owned == NULL) {
			fprintf(stderr, "atlas: imports: %s\n", err.message);
			goto out;
		}
	}
	st.site = site_option ? site_option : site_owned;
	st.dists = atlas_distinfo_load(st.site, &err);
	if (st.dists == NULL) {
		fprintf(stderr, "atlas: imports: %s: %s\n", st.site, err.message);
		goto out;
	}
	if (exclude_path != NULL) {
		st.exclude = atlas_exclude_load(exclude_path, &err);
		if (st.exclude == NULL) {
			print_file_error(&err);
			goto out;
		}
	}
	st.env = atlas_env_new_default();
	for (size_t i = 0; i < n_req_paths; i++)
		if (!load_requirements(&st, req_paths[i], 0))
			goto out;
	check_pins(&st);
	if ((st.n_wanted > 0 && st.pins == NULL) || !collect_modules(&st)) {
		fprintf(stderr, "atlas: imports: out of memory\n");
		goto out;
	}
	if (!run_imports(&st, jobs, &err)) {
		fprintf(stderr, "atlas: imports: cannot run the imports: %s\n", err.message);
		goto out;
	}

	counts c = count(&st);
	if (strcmp(format, "json") == 0)
		print_json(&st, &c);
	else if (strcmp(format, "junit") == 0)
		print_junit(&st, &c);
	else
		print_text(&st, &c);
	status = c.failed || c.pins_wrong || c.dist_errors ? EXIT_PROBLEMS : EXIT_CLEAN;
out:
	state_free(&st);
	free(site_owned);
	free(req_paths);
	return status;
}
