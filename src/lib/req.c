/* req.c - stub: to be implemented. */
#include "config.h"

#include <stdlib.h>

#include "internal.h"

atlas_req *atlas_req_parse(const char *text, atlas_error *err)
{
	(void)text;
	(void)err;
	return NULL;
}

void atlas_req_free(atlas_req *req)
{
	(void)req;
}

char *atlas_req_format(const atlas_req *req)
{
	(void)req;
	return NULL;
}
