/* reqfile.c - stub: to be implemented. */
#include "config.h"

#include <stdlib.h>

#include "internal.h"

atlas_reqfile *atlas_reqfile_parse(const char *path, const char *data, size_t len, atlas_getenv_fn getenv_fn, void *ctx, atlas_error *err)
{
	(void)path;
	(void)data;
	(void)len;
	(void)getenv_fn;
	(void)ctx;
	(void)err;
	return NULL;
}

atlas_reqfile *atlas_reqfile_load(const char *path, atlas_getenv_fn getenv_fn, void *ctx, atlas_error *err)
{
	(void)path;
	(void)getenv_fn;
	(void)ctx;
	(void)err;
	return NULL;
}

void atlas_reqfile_free(atlas_reqfile *file)
{
	(void)file;
}

const char *atlas_reqfile_line_text(const atlas_reqfile *file, unsigned n)
{
	(void)file;
	(void)n;
	return NULL;
}
