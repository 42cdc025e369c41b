/* name.c - stub: to be implemented. */
#include "config.h"

#include <stdlib.h>

#include "internal.h"

bool atlas_name_is_valid(const char *name)
{
	(void)name;
	return false;
}

char *atlas_name_canonicalize(const char *name)
{
	(void)name;
	return NULL;
}
