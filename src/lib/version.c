/* version.c - stub: to be implemented. */
#include "config.h"

#include <stdlib.h>

#include "internal.h"

atlas_version *atlas_version_parse(const char *text, atlas_error *err)
{
	(void)text;
	(void)err;
	return NULL;
}

void atlas_version_free(atlas_version *version)
{
	(void)version;
}

char *atlas_version_normalize(const atlas_version *version)
{
	(void)version;
	return NULL;
}

int atlas_version_compare(const atlas_version *a, const atlas_version *b)
{
	(void)a;
	(void)b;
	return 0;
}

bool atlas_version_is_prerelease(const atlas_version *version)
{
	(void)version;
	return false;
}

bool atlas_version_is_postrelease(const atlas_version *version)
{
	(void)version;
	return false;
}

bool atlas_version_is_devrelease(const atlas_version *version)
{
	(void)version;
	return false;
}

bool atlas_version_has_local(const atlas_version *version)
{
	(void)version;
	return false;
}
