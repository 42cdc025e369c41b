/* env.c - marker environments: the values marker variables take. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

/* The PEP 508 marker variables, and "extra", which a requirement's
 * context supplies rather than the interpreter. */
static const char *const env_keys[] = {
	"implementation_name",
	"implementation_version",
	"os_name",
	"platform_machine",
	"platform_release",
	"platform_system",
	"platform_version",
	"python_full_version",
	"platform_python_implementation",
	"python_version",
	"sys_platform",
	"extra",
};

#define ENV_NKEYS (sizeof env_keys / sizeof env_keys[0])

struct atlas_env {
	char *values[ENV_NKEYS];	/* NULL: no value */
};

static int
env_key_index(const char *key)
{
	for (size_t i = 0; i < ENV_NKEYS; i++)
		if (strcmp(env_keys[i], key) == 0)
			return (int)i;
	return -1;
}

atlas_env *
atlas_env_new(void)
{
	return calloc(1, sizeof(atlas_env));
}

/*
 * The image runs CPython 3.11 on linux x86_64.  Every value below is what
 * packaging's default_environment() reports inside the image:
 *   - python_full_version is 3.11.2, the python3.11 of Debian bookworm,
 *     which the locally built base uses; the upstream python:3.11 images
 *     carry a later patch release, which no requirement of ours tells
 *     apart (they all compare python_version).
 *   - implementation_version equals python_full_version on CPython.
 *   - platform_release and platform_version come from uname() of the
 *     kernel the container happens to run on, so they are unknowable when
 *     the image is built; packaging's convention for an unknown value is
 *     the empty string.
 *   - extra is "", as Marker.evaluate() sets it for metadata, so that
 *     'extra == "x"' evaluates to false instead of failing.
 */
atlas_env *
atlas_env_new_default(void)
{
	static const char *const defaults[][2] = {
		{ "implementation_name", "cpython" },
		{ "implementation_version", "3.11.2" },
		{ "os_name", "posix" },
		{ "platform_machine", "x86_64" },
		{ "platform_release", "" },
		{ "platform_system", "Linux" },
		{ "platform_version", "" },
		{ "python_full_version", "3.11.2" },
		{ "platform_python_implementation", "CPython" },
		{ "python_version", "3.11" },
		{ "sys_platform", "linux" },
		{ "extra", "" },
	};
	atlas_env *env = atlas_env_new();

	if (env == NULL)
		return NULL;
	for (size_t i = 0; i < sizeof defaults / sizeof defaults[0]; i++) {
		if (atlas_env_set(env, defaults[i][0], defaults[i][1], NULL) != ATLAS_OK) {
			atlas_env_free(env);
			return NULL;
		}
	}
	return env;
}

void
atlas_env_free(atlas_env *env)
{
	if (env == NULL)
		return;
	for (size_t i = 0; i < ENV_NKEYS; i++)
		free(env->values[i]);
	free(env);
}

atlas_status
atlas_env_set(atlas_env *env, const char *key, const char *value,
    atlas_error *err)
{
	int i = env_key_index(key);
	char *copy;

	if (i < 0)
		return atlas_error_set(err, ATLAS_ERR_INVALID, NULL, 0, 0,
		    "unknown marker variable '%s' (the known ones are the PEP 508 "
		    "variables, such as python_version, and \"extra\")", key);
	copy = atlas_strdup_internal(value);
	if (copy == NULL)
		return atlas_error_set(err, ATLAS_ERR_NOMEM, NULL, 0, 0,
		    "out of memory");
	free(env->values[i]);
	env->values[i] = copy;
	return ATLAS_OK;
}

const char *
atlas_env_get(const atlas_env *env, const char *key)
{
	int i;

	if (env == NULL || key == NULL || (i = env_key_index(key)) < 0)
		return NULL;
	return env->values[i];
}
