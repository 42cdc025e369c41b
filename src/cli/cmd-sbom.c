/*
 * cmd-sbom.c - atlas sbom: a CycloneDX 1.5 JSON SBOM of the Python
 * distributions installed in a site-packages directory.
 *
 * The document is reproducible: the serial number is derived from the
 * content and the timestamp comes from SOURCE_DATE_EPOCH when it is
 * set, so equal images give equal SBOMs.
 */
#include "config.h"

#include <errno.h>
#include <getopt.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <sys/stat.h>
#include <time.h>
#include <unistd.h>

#include "cli.h"

/* A name-based UUID (RFC 4122 version 5 layout) made of the first 128
 * bits of the content's SHA-256: the version and variant bits are set
 * so that CycloneDX's schema accepts it. */
static bool
serial_from_digest(const char *hex, char *out, size_t size)
{
	char u[33];

	if (hex == NULL || strlen(hex) < 32)
		return false;
	memcpy(u, hex, 32);
	u[32] = '\0';
	u[12] = '5';
	int nibble = u[16] >= 'a' ? u[16] - 'a' + 10 : u[16] - '0';
	u[16] = "89ab"[nibble & 3];
	snprintf(out, size, "urn:uuid:%.8s-%.4s-%.4s-%.4s-%.12s", u, u + 8, u + 12, u + 16, u + 20);
	return true;
}

/* SOURCE_DATE_EPOCH when set (it must be a plain number of seconds),
 * else now. */
static bool
timestamp(char *out, size_t size)
{
	const char *epoch = getenv("SOURCE_DATE_EPOCH");
	time_t t;
	struct tm tm;

	if (epoch != NULL && epoch[0] != '\0') {
		char *end;
		long long v;
		errno = 0;
		v = strtoll(epoch, &end, 10);
		if (errno || *end || v < 0 || epoch[0] < '0' || epoch[0] > '9') {
			cli_usage("sbom", "SOURCE_DATE_EPOCH=%s is not valid; give seconds since 1970", epoch);
			return false;
		}
		t = (time_t)v;
	} else {
		t = time(NULL);
	}
	if (gmtime_r(&t, &tm) == NULL || strftime(out, size, "%Y-%m-%dT%H:%M:%SZ", &tm) == 0) {
		cli_usage("sbom", "SOURCE_DATE_EPOCH=%s is out of range", epoch ? epoch : "");
		return false;
	}
	return true;
}

/* What a purl's version may hold unencoded; "+" of a local version
 * must be encoded. */
static bool
is_purl_safe(unsigned char c)
{
	return (c >= 'a' && c <= 'z') || (c >= 'A' && c <= 'Z') || (c >= '0' && c <= '9')
	    || c == '.' || c == '-' || c == '_' || c == '~';
}

/* The purl of a PyPI package: its canonical name, and the version with
 * the characters a purl reserves percent-encoded. */
static char *
purl(const atlas_dist *d)
{
	static const char hex[] = "0123456789ABCDEF";
	size_t n = strlen(d->canonical_name), v = strlen(d->version);
	char *out = malloc(sizeof "pkg:pypi/@" + n + 3 * v);
	char *p;

	if (out == NULL)
		return NULL;
	p = out + sprintf(out, "pkg:pypi/%s@", d->canonical_name);
	for (const unsigned char *s = (const unsigned char *)d->version; *s; s++) {
		if (is_purl_safe(*s)) {
			*p++ = (char)*s;
		} else {
			*p++ = '%';
			*p++ = hex[*s >> 4];
			*p++ = hex[*s & 15];
		}
	}
	*p = '\0';
	return out;
}

static void
append_license_name(json_t *list, const char *name)
{
	json_t *l = json_object(), *e = json_object();
	json_object_set_new(l, "name", cli_json_string(name));
	json_object_set_new(e, "license", l);
	json_array_append_new(list, e);
}

/* The same choice as the distribution's one-line license: an SPDX
 * expression, else a short License field, else the classifiers (one
 * entry each), else the first line of a long License text. */
static json_t *
licenses_json(const atlas_dist *d)
{
	json_t *list = json_array();

	if (d->license_expression != NULL) {
		json_t *e = json_object();
		json_object_set_new(e, "expression", cli_json_string(d->license_expression));
		json_array_append_new(list, e);
	} else if (d->license != NULL && d->license_text != NULL
	    && strcmp(d->license, d->license_text) == 0) {
		append_license_name(list, d->license_text);
	} else if (d->n_license_classifiers > 0) {
		for (size_t i = 0; i < d->n_license_classifiers; i++)
			append_license_name(list, d->license_classifiers[i]);
	} else if (d->license != NULL) {
		append_license_name(list, d->license);
	}
	return list;
}

static json_t *
build_document(const atlas_distinfo *dists, const char *serial, const char *when)
{
	json_t *doc = json_object(), *metadata = json_object(), *tools = json_object(),
	    *tool_list = json_array(), *tool = json_object(), *components = json_array();

	json_object_set_new(doc, "bomFormat", json_string("CycloneDX"));
	json_object_set_new(doc, "specVersion", json_string("1.5"));
	json_object_set_new(doc, "serialNumber", json_string(serial));
	json_object_set_new(doc, "version", json_integer(1));
	json_object_set_new(metadata, "timestamp", json_string(when));
	json_object_set_new(tool, "type", json_string("application"));
	json_object_set_new(tool, "name", json_string("atlas"));
	json_object_set_new(tool, "version", json_string(PACKAGE_VERSION));
	json_array_append_new(tool_list, tool);
	json_object_set_new(tools, "components", tool_list);
	json_object_set_new(metadata, "tools", tools);
	json_object_set_new(doc, "metadata", metadata);
	for (size_t i = 0; i < atlas_distinfo_count(dists); i++) {
		const atlas_dist *d = atlas_distinfo_get(dists, i);
		char *p = purl(d);
		json_t *c = json_object();
		if (p == NULL) {
			json_decref(c);
			json_decref(doc);
			json_decref(components);
			return NULL;
		}
		json_object_set_new(c, "type", json_string("library"));
		json_object_set_new(c, "bom-ref", cli_json_string(p));
		json_object_set_new(c, "name", cli_json_string(d->name));
		json_object_set_new(c, "version", cli_json_string(d->version));
		json_t *licenses = licenses_json(d);
		if (json_array_size(licenses) > 0)
			json_object_set_new(c, "licenses", licenses);
		else
			json_decref(licenses);
		json_object_set_new(c, "purl", cli_json_string(p));
		free(p);
		json_array_append_new(components, c);
	}
	json_object_set_new(doc, "components", components);
	return doc;
}

/* Write to a temporary file beside the target and rename it into
 * place, so that a reader never sees half a document. */
static bool
write_atomically(const char *path, const char *text)
{
	size_t n = strlen(path);
	char *tmp = malloc(n + sizeof ".tmp.XXXXXX");
	int fd;
	FILE *f;

	if (tmp == NULL) {
		fprintf(stderr, "atlas: sbom: out of memory\n");
		return false;
	}
	snprintf(tmp, n + sizeof ".tmp.XXXXXX", "%s.tmp.XXXXXX", path);
	fd = mkstemp(tmp);
	if (fd < 0) {
		fprintf(stderr, "atlas: sbom: %s: cannot create: %s\n", path, strerror(errno));
		free(tmp);
		return false;
	}
	/* mkstemp makes the file private; an SBOM is for everyone to read. */
	mode_t mask = umask(0);
	umask(mask);
	f = fchmod(fd, 0666 & ~mask) == 0 ? fdopen(fd, "w") : NULL;
	if (f == NULL || fputs(text, f) == EOF || fflush(f) != 0 || fsync(fileno(f)) != 0) {
		fprintf(stderr, "atlas: sbom: %s: cannot write: %s\n", path, strerror(errno));
		if (f != NULL)
			fclose(f);
		else
			close(fd);
		unlink(tmp);
		free(tmp);
		return false;
	}
	if (fclose(f) != 0 || rename(tmp, path) != 0) {
		fprintf(stderr, "atlas: sbom: %s: cannot write: %s\n", path, strerror(errno));
		unlink(tmp);
		free(tmp);
		return false;
	}
	free(tmp);
	return true;
}

int
cmd_sbom(int argc, char **argv)
{
	static const struct option options[] = {
		{ "site-packages", required_argument, NULL, 's' },
		{ "output", required_argument, NULL, 'o' },
		{ "python", required_argument, NULL, 'p' },
		{ NULL, 0, NULL, 0 }
	};
	const char *site = NULL, *output = NULL, *python = "python3";
	char *site_owned = NULL, *digest = NULL, *text = NULL;
	char serial[64], when[64];
	atlas_distinfo *dists = NULL;
	atlas_error err = { 0 };
	json_t *doc = NULL;
	int opt, status = EXIT_USAGE;

	optind = 1;
	while ((opt = getopt_long(argc, argv, "", options, NULL)) != -1) {
		switch (opt) {
		case 's':
			site = optarg;
			break;
		case 'o':
			if (optarg[0] == '\0')
				return cli_usage("sbom", "--output needs a file name");
			output = optarg;
			break;
		case 'p':
			if (optarg[0] == '\0')
				return cli_usage("sbom", "--python needs a program");
			python = optarg;
			break;
		default:
			return EXIT_USAGE;
		}
	}
	if (optind < argc)
		return cli_usage("sbom", "unexpected argument '%s'", argv[optind]);
	if (!timestamp(when, sizeof when))
		return EXIT_USAGE;
	if (site == NULL) {
		site_owned = cli_python_site_packages(python, &err);
		if (site_owned == NULL) {
			fprintf(stderr, "atlas: sbom: %s\n", err.message);
			return EXIT_USAGE;
		}
		site = site_owned;
	}
	dists = atlas_distinfo_load(site, &err);
	if (dists == NULL) {
		fprintf(stderr, "atlas: sbom: %s: %s\n", site, err.message);
		goto out;
	}
	/* An SBOM that silently leaves a package out is worse than none. */
	if (atlas_distinfo_error_count(dists) > 0) {
		for (size_t i = 0; i < atlas_distinfo_error_count(dists); i++) {
			const atlas_error *e = atlas_distinfo_error_get(dists, i);
			fprintf(stderr, "%s", e->file);
			if (e->line > 0)
				fprintf(stderr, ":%u", e->line);
			fprintf(stderr, ": error: %s\n", e->message);
		}
		fprintf(stderr, "atlas: sbom: %s: unreadable distributions; no SBOM written\n", site);
		status = EXIT_PROBLEMS;
		goto out;
	}
	digest = atlas_distinfo_digest(dists);
	if (!serial_from_digest(digest, serial, sizeof serial)
	    || (doc = build_document(dists, serial, when)) == NULL
	    || (text = json_dumps(doc, JSON_INDENT(2) | JSON_PRESERVE_ORDER)) == NULL) {
		fprintf(stderr, "atlas: sbom: out of memory\n");
		goto out;
	}
	if (output == NULL) {
		fputs(text, stdout);
		putchar('\n');
		status = fflush(stdout) == 0 ? EXIT_CLEAN : EXIT_USAGE;
	} else {
		size_t n = strlen(text);
		char *with_newline = malloc(n + 2);
		if (with_newline == NULL) {
			fprintf(stderr, "atlas: sbom: out of memory\n");
			goto out;
		}
		memcpy(with_newline, text, n);
		memcpy(with_newline + n, "\n", 2);
		status = write_atomically(output, with_newline) ? EXIT_CLEAN : EXIT_USAGE;
		free(with_newline);
	}
out:
	free(text);
	json_decref(doc);
	free(digest);
	atlas_distinfo_free(dists);
	free(site_owned);
	return status;
}
