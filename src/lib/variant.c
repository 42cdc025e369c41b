/* variant.c - the name of an image variant. */
#include "config.h"

#include <stdio.h>

#include "internal.h"

char *
atlas_variant_suffix(const atlas_variant *variant)
{
	buf b;

	buf_init(&b);
	buf_printf(&b, "tier%d%s", variant->tier,
	    variant->materials ? "-materials" : "");
	return buf_take(&b);
}
