/*
 * reqfile-private.h - what reqfile.c tells check.c beyond the public
 * struct.  Not installed, not exported (no atlas_ prefix).
 */
#ifndef ATLAS_REQFILE_PRIVATE_H
#define ATLAS_REQFILE_PRIVATE_H

#include <stdbool.h>
#include <stddef.h>

#include "atlas.h"

/*
 * Where the value of the hash_index-th "--hash" of file->lines[line_index]
 * starts: a lock entry's hashes sit on continuation lines, and a bad one
 * is best shown on its own physical line.  False when out of range.
 */
bool reqfile_hash_where(const atlas_reqfile *file, size_t line_index,
    size_t hash_index, unsigned *line, unsigned *column);

/*
 * name_hash of the canonical name of each requirement line, 0 for other
 * lines: computed while the name is at hand, so that the checks find
 * names without reading them again.  NULL when the file has no lines.
 */
const size_t *reqfile_name_hashes(const atlas_reqfile *file);

/*
 * The path of a file that `including` names with -r or -c: pip joins it
 * to the including file's directory.  A new string, NULL when out of
 * memory.
 */
char *reqfile_join_include(const char *including, const char *value);

/*
 * Errors of an atlas_reqfile carry ATLAS_ERR_INVALID for an option that
 * pip does not know (check reports these as "unknown-option") and
 * ATLAS_ERR_SYNTAX for everything else.
 */
#define REQFILE_UNKNOWN_OPTION ATLAS_ERR_INVALID

#endif /* ATLAS_REQFILE_PRIVATE_H */
