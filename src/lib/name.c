/* name.c - PEP 508 distribution names and PEP 503 normalisation. */
#include "config.h"

#include <stdlib.h>
#include <string.h>

#include "internal.h"

/*
 * PEP 508: ^([A-Z0-9]|[A-Z0-9][A-Z0-9._-]*[A-Z0-9])$, case-insensitive and
 * ASCII only, which is packaging's utils._validate_regex.
 */
bool
atlas_name_is_valid(const char *name)
{
	size_t len;

	if (name == NULL || (len = strlen(name)) == 0)
		return false;
	if (!is_ascii_alnum((unsigned char)name[0]) ||
	    !is_ascii_alnum((unsigned char)name[len - 1]))
		return false;
	for (size_t i = 1; i + 1 < len; i++) {
		int c = (unsigned char)name[i];
		if (!is_ascii_alnum(c) && c != '.' && c != '_' && c != '-')
			return false;
	}
	return true;
}

/*
 * re.sub(r"[-_.]+", "-", name).lower() from PEP 503.  Only ASCII letters
 * are lowered: valid names are ASCII, and other bytes are kept so that
 * arbitrary marker values survive unchanged.
 */
char *
atlas_name_canonicalize(const char *name)
{
	size_t len = strlen(name), n = 0;
	char *out = mem_malloc(len + 1);

	if (out == NULL)
		return NULL;
	for (size_t i = 0; i < len; i++) {
		int c = (unsigned char)name[i];
		/* Most bytes of a name are lower-case letters and digits. */
		if ((unsigned)(c - 'a') < 26 || (unsigned)(c - '0') < 10) {
			out[n++] = (char)c;
		} else if (c == '-' || c == '_' || c == '.') {
			/* A run of separators becomes one '-'. */
			if (i > 0 && (name[i - 1] == '-' || name[i - 1] == '_' ||
			    name[i - 1] == '.'))
				continue;
			out[n++] = '-';
		} else {
			out[n++] = (char)ascii_lower(c);
		}
	}
	out[n] = '\0';
	return out;
}
