/*
 * fuzz-reqfile.c - libFuzzer target for the requirement-file parser.
 *
 * Each input is parsed as a whole requirement file by
 * atlas_reqfile_parse, then every result is walked: each requirement is
 * formatted, the formatted text must parse again to the same text, and
 * every diagnostic must point at a line that exists.  AddressSanitizer
 * and UBSan catch memory and arithmetic errors; abort() flags a broken
 * property.  Built and run by `make fuzz`.
 *
 * ATLAS_FUZZ_NO_ROUNDTRIP=1 in the environment turns the round-trip
 * property off, for a run that looks only for memory errors after a
 * round-trip finding is known.
 */
#include "config.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "atlas.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* Lengths are added here so that the compiler cannot drop the reads
 * that let AddressSanitizer check every string the parser hands out. */
static volatile size_t length_sink;

/* A fixed environment, so that a finding reproduces on any machine:
 * ${VAR} expansion sees only these names. */
static const char *
fuzz_getenv(const char *name, void *ctx)
{
	static const struct { const char *name, *value; } vars[] = {
		{ "PIP_INDEX", "https://example.invalid/simple" },
		{ "VERSION", "1.0" },
		{ "REQ", "numpy==1.26.4 ; python_version >= '3.9'" },
		{ "EMPTY", "" },
		{ "NESTED", "${VERSION}" },
		{ "BAD", "[\\" },
	};

	(void)ctx;
	for (size_t i = 0; i < sizeof vars / sizeof vars[0]; i++)
		if (strcmp(vars[i].name, name) == 0)
			return vars[i].value;
	return NULL;
}

static void
fail(const char *what, const char *detail)
{
	fprintf(stderr, "fuzz-reqfile: %s: %s\n", what, detail ? detail : "(null)");
	abort();
}

/* An error must be a terminated string that fits its buffer. */
static void
check_error_strings(const atlas_error *err)
{
	if (memchr(err->message, '\0', sizeof err->message) == NULL)
		fail("unterminated error message", NULL);
	if (memchr(err->file, '\0', sizeof err->file) == NULL)
		fail("unterminated error file name", NULL);
}

/* format(parse(format(r))) == format(r): the normal form is stable. */
static void
check_roundtrip(const atlas_req *req)
{
	atlas_error err = { 0 };
	char *text = atlas_req_format(req);
	atlas_req *again;
	char *text_again;

	if (text == NULL)
		return;		/* out of memory */
	again = atlas_req_parse(text, &err);
	if (again == NULL)
		fail("formatted requirement does not parse again", text);
	text_again = atlas_req_format(again);
	if (text_again != NULL && strcmp(text, text_again) != 0) {
		fprintf(stderr, "fuzz-reqfile: first format:  %s\n", text);
		fprintf(stderr, "fuzz-reqfile: second format: %s\n", text_again);
		fail("formatting is not stable", text);
	}
	free(text_again);
	atlas_req_free(again);
	free(text);
}

static void
walk_requirement(const atlas_req *req, bool roundtrip)
{
	char *spec = atlas_spec_format(req->spec);
	char *marker = req->marker ? atlas_marker_format(req->marker) : NULL;

	if (req->name == NULL || req->canonical_name == NULL)
		fail("requirement without a name", NULL);
	length_sink += strlen(req->name) + strlen(req->canonical_name);
	for (size_t i = 0; i < req->n_extras; i++) {
		if (req->extras[i] == NULL)
			fail("NULL extra", req->name);
		length_sink += strlen(req->extras[i]);
	}
	if (req->url != NULL)
		length_sink += strlen(req->url);
	if (atlas_spec_pin(req->spec) != NULL)
		length_sink += strlen(atlas_spec_pin(req->spec));
	if (spec != NULL)
		length_sink += strlen(spec);
	if (marker != NULL)
		length_sink += strlen(marker);
	free(spec);
	free(marker);
	if (roundtrip)
		check_roundtrip(req);
}

int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	static int roundtrip = -1;
	atlas_error err = { 0 };
	atlas_reqfile *file;
	unsigned last_line = 0;

	if (roundtrip < 0) {
		const char *off = getenv("ATLAS_FUZZ_NO_ROUNDTRIP");
		roundtrip = !(off && *off && strcmp(off, "0") != 0);
	}
	file = atlas_reqfile_parse("fuzz.txt", (const char *)data, size,
	    fuzz_getenv, NULL, &err);
	if (file == NULL) {
		/* Only out of memory may give no result at all. */
		if (err.status != ATLAS_ERR_NOMEM)
			fail("atlas_reqfile_parse returned NULL", err.message);
		return 0;
	}

	/* Every physical line can be shown; one past the end cannot. */
	for (unsigned n = 1;; n++) {
		const char *text = atlas_reqfile_line_text(file, n);
		if (text == NULL)
			break;
		length_sink += strlen(text);
		last_line = n;
	}
	if (atlas_reqfile_line_text(file, 0) != NULL)
		fail("line 0 has a text", NULL);

	for (size_t i = 0; i < file->n_lines; i++) {
		const atlas_reqline *line = &file->lines[i];
		if (line->line == 0 || line->line > last_line)
			fail("logical line outside the file", line->text);
		if (line->text == NULL)
			fail("logical line without text", NULL);
		length_sink += strlen(line->text);
		for (size_t h = 0; h < line->n_hashes; h++)
			length_sink += strlen(line->hashes[h]);
		if (line->option != NULL)
			length_sink += strlen(line->option);
		if (line->value != NULL)
			length_sink += strlen(line->value);
		if (line->kind == ATLAS_LINE_REQUIREMENT) {
			if (line->req == NULL)
				fail("requirement line without a requirement", line->text);
			/*
			 * packaging reads a marker string holding a backslash
			 * through ast.literal_eval (Python escapes: "\r" is a
			 * carriage return) but str() writes the value back
			 * unescaped, so such a normal form is not stable in
			 * packaging either.  atlas follows packaging: skip them.
			 */
			walk_requirement(line->req, roundtrip &&
			    strchr(line->text, '\\') == NULL);
		}
	}
	for (size_t i = 0; i < file->n_errors; i++) {
		check_error_strings(&file->errors[i]);
		if (file->errors[i].line > last_line + 1)
			fail("error beyond the end of the file", file->errors[i].message);
	}
	atlas_reqfile_free(file);
	return 0;
}
