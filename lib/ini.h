/*
 * ini.h - reading the AWS shared config and credentials files.
 *
 * The format the SDKs read: "[section]" headers ("[profile name]" in the
 * config file, "[name]" in the credentials file), "key = value" lines,
 * comments starting with '#' or ';' at the start of a line, and nested
 * sub-sections (a key with an empty value followed by indented lines),
 * which are skipped.  Keys are case-sensitive as in botocore; whitespace
 * around keys and values is trimmed.
 */
#ifndef MAO_INI_H
#define MAO_INI_H

#include <stddef.h>

#include "err.h"

/* One key/value pair of a section; strings owned by the mao_ini. */
typedef struct mao_ini_entry {
	char *section;
	char *key;
	char *value;
} mao_ini_entry;

/* A parsed file; release with mao_ini_free() (values are wiped: they may be secrets). */
typedef struct mao_ini {
	mao_ini_entry *entries;
	size_t n;
	char **sections;          /* every section name seen, even empty ones */
	size_t n_sections;
} mao_ini;

/*
 * Reads path into ini (which must be zeroed).  A missing file is not an
 * error (ini stays empty, *found = 0); found may be NULL.
 */
int mao_ini_read(const char *path, mao_ini *ini, int *found, mao_err *err);

/* Parses text[0..len) into ini (which must be zeroed). */
int mao_ini_parse(const char *text, size_t len, mao_ini *ini, mao_err *err);

/* The value of key in section, or NULL.  Borrowed. */
const char *mao_ini_get(const mao_ini *ini, const char *section, const char *key);

/* Non-zero if the section exists. */
int mao_ini_has_section(const mao_ini *ini, const char *section);

/* Frees everything (wiping values). */
void mao_ini_free(mao_ini *ini);

#endif /* MAO_INI_H */
