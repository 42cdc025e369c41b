/* set.c - stub: to be implemented. */
#include "config.h"

#include <stdlib.h>

#include "internal.h"

atlas_set *atlas_set_load(const char *dir, const atlas_variant *variant, bool use_locks, atlas_error *err)
{
	(void)dir;
	(void)variant;
	(void)use_locks;
	(void)err;
	return NULL;
}

void atlas_set_free(atlas_set *set)
{
	(void)set;
}

size_t atlas_set_count(const atlas_set *set)
{
	(void)set;
	return 0;
}

const atlas_pin *atlas_set_get(const atlas_set *set, size_t i)
{
	(void)set;
	(void)i;
	return NULL;
}

char *atlas_set_digest(const atlas_set *set)
{
	(void)set;
	return NULL;
}
