/* spec.c - stub: to be implemented. */
#include "config.h"

#include <stdlib.h>

#include "internal.h"

atlas_spec *atlas_spec_parse(const char *text, atlas_error *err)
{
	(void)text;
	(void)err;
	return NULL;
}

void atlas_spec_free(atlas_spec *spec)
{
	(void)spec;
}

char *atlas_spec_format(const atlas_spec *spec)
{
	(void)spec;
	return NULL;
}

size_t atlas_spec_count(const atlas_spec *spec)
{
	(void)spec;
	return 0;
}

bool atlas_spec_contains(const atlas_spec *spec, const atlas_version *version, atlas_prereleases prereleases)
{
	(void)spec;
	(void)version;
	(void)prereleases;
	return false;
}

const char *atlas_spec_pin(const atlas_spec *spec)
{
	(void)spec;
	return NULL;
}
