/* check.c - stub: to be implemented. */
#include "config.h"

#include <stdlib.h>

#include "internal.h"

atlas_check *atlas_check_files(const char *const *paths, size_t n_paths, const atlas_check_options *options, atlas_error *err)
{
	(void)paths;
	(void)n_paths;
	(void)options;
	(void)err;
	return NULL;
}

void atlas_check_free(atlas_check *check)
{
	(void)check;
}

size_t atlas_check_count(const atlas_check *check)
{
	(void)check;
	return 0;
}

const atlas_diag *atlas_check_get(const atlas_check *check, size_t i)
{
	(void)check;
	(void)i;
	return NULL;
}

size_t atlas_check_errors(const atlas_check *check)
{
	(void)check;
	return 0;
}
