/* error.c - errors as values. */
#include "config.h"

#include <stdarg.h>
#include <stdio.h>
#include <string.h>

#include "atlas.h"

atlas_status
atlas_error_set(atlas_error *err, atlas_status status, const char *file,
    unsigned line, unsigned column, const char *fmt, ...)
{
	va_list ap;

	if (err == NULL)
		return status;
	err->status = status;
	err->line = line;
	err->column = column;
	snprintf(err->file, sizeof err->file, "%s", file ? file : "");
	va_start(ap, fmt);
	vsnprintf(err->message, sizeof err->message, fmt, ap);
	va_end(ap);
	return status;
}

const char *
atlas_status_name(atlas_status status)
{
	switch (status) {
	case ATLAS_OK:
		return "ok";
	case ATLAS_ERR_SYNTAX:
		return "syntax error";
	case ATLAS_ERR_IO:
		return "I/O error";
	case ATLAS_ERR_NOMEM:
		return "out of memory";
	case ATLAS_ERR_INVALID:
		return "invalid value";
	case ATLAS_ERR_CONFLICT:
		return "conflict";
	case ATLAS_ERR_UNDEFINED:
		return "undefined variable";
	}
	return "unknown error";
}
