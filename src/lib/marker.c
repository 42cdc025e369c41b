/* marker.c - stub: to be implemented. */
#include "config.h"

#include <stdlib.h>

#include "internal.h"

atlas_marker *atlas_marker_parse(const char *text, atlas_error *err)
{
	(void)text;
	(void)err;
	return NULL;
}

void atlas_marker_free(atlas_marker *marker)
{
	(void)marker;
}

char *atlas_marker_format(const atlas_marker *marker)
{
	(void)marker;
	return NULL;
}

atlas_status atlas_marker_evaluate(const atlas_marker *marker, const atlas_env *env, bool *result, atlas_error *err)
{
	(void)marker;
	(void)env;
	(void)result;
	(void)err;
	return ATLAS_ERR_INVALID;
}
