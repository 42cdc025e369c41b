/* env.c - stub: to be implemented. */
#include "config.h"

#include <stdlib.h>

#include "internal.h"

atlas_env *atlas_env_new(void)
{
	return NULL;
}

atlas_env *atlas_env_new_default(void)
{
	return NULL;
}

void atlas_env_free(atlas_env *env)
{
	(void)env;
}

atlas_status atlas_env_set(atlas_env *env, const char *key, const char *value, atlas_error *err)
{
	(void)env;
	(void)key;
	(void)value;
	(void)err;
	return ATLAS_ERR_INVALID;
}

const char *atlas_env_get(const atlas_env *env, const char *key)
{
	(void)env;
	(void)key;
	return NULL;
}
