/*
 * ini.c - AWS shared config/credentials file reader (see ini.h).
 */
#include "ini.h"

#include <errno.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto_util.h"

/* Copies s[0..n) trimmed of spaces and tabs into a new string. */
static char *
dup_trim(const char *s, size_t n)
{
	char *p;

	while (n > 0 && (*s == ' ' || *s == '\t'))
		s++, n--;
	while (n > 0 && (s[n - 1] == ' ' || s[n - 1] == '\t' || s[n - 1] == '\r'))
		n--;
	p = malloc(n + 1);
	if (p != NULL) {
		memcpy(p, s, n);
		p[n] = '\0';
	}
	return p;
}

/* Adds a section name (once). */
static int
add_section(mao_ini *ini, char *name)
{
	size_t i;
	char **ns;

	for (i = 0; i < ini->n_sections; i++)
		if (strcmp(ini->sections[i], name) == 0) {
			free(name);
			return MAO_OK;
		}
	ns = realloc(ini->sections, (ini->n_sections + 1) * sizeof(*ns));
	if (ns == NULL) {
		free(name);
		return MAO_ERR_NOMEM;
	}
	ini->sections = ns;
	ini->sections[ini->n_sections++] = name;
	return MAO_OK;
}

/* Parses the text of a file. */
int
mao_ini_parse(const char *text, size_t len, mao_ini *ini, mao_err *err)
{
	const char *p = text, *end = text + len;
	const char *section = NULL;
	int in_sub = 0;

	while (p < end) {
		const char *nl = memchr(p, '\n', (size_t) (end - p));
		const char *le = nl ? nl : end, *q = p, *eq;
		int indented = (*p == ' ' || *p == '\t');

		while (q < le && (*q == ' ' || *q == '\t' || *q == '\r'))
			q++;
		if (q == le || *q == '#' || *q == ';') {
			p = nl ? nl + 1 : end;
			continue;
		}
		if (*q == '[' && !indented) {
			const char *rb = memchr(q, ']', (size_t) (le - q));
			char *name;

			if (rb == NULL)
				return mao_err_set(err, MAO_ERR_INVALID, "config file: unterminated section header");
			name = dup_trim(q + 1, (size_t) (rb - q - 1));
			if (name == NULL || add_section(ini, name) != MAO_OK)
				return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
			section = ini->sections[ini->n_sections - 1];
			in_sub = 0;
		} else if (indented && in_sub) {
			/* a nested sub-section line: skipped */
		} else if ((eq = memchr(q, '=', (size_t) (le - q))) != NULL && section != NULL) {
			mao_ini_entry *ne = realloc(ini->entries, (ini->n + 1) * sizeof(*ne));
			mao_ini_entry *e;

			if (ne == NULL)
				return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
			ini->entries = ne;
			e = &ini->entries[ini->n];
			e->section = strdup(section);
			e->key = dup_trim(q, (size_t) (eq - q));
			e->value = dup_trim(eq + 1, (size_t) (le - eq - 1));
			if (e->section == NULL || e->key == NULL || e->value == NULL) {
				free(e->section);
				free(e->key);
				free(e->value);
				return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
			}
			in_sub = e->value[0] == '\0';
			ini->n++;
		}
		p = nl ? nl + 1 : end;
	}
	return MAO_OK;
}

/* Reads and parses a file; a missing file is empty. */
int
mao_ini_read(const char *path, mao_ini *ini, int *found, mao_err *err)
{
	FILE *f;
	mao_buf b = MAO_BUF_INIT;
	char chunk[4096];
	size_t n;
	int rc;

	if (found)
		*found = 0;
	if (path == NULL)
		return MAO_OK;
	f = fopen(path, "r");
	if (f == NULL) {
		if (errno == ENOENT || errno == ENOTDIR)
			return MAO_OK;
		return mao_err_set(err, MAO_ERR_CREDENTIALS, "cannot read %s: %s", path, strerror(errno));
	}
	while ((n = fread(chunk, 1, sizeof(chunk), f)) > 0)
		mao_buf_append(&b, chunk, n);
	mao_secure_zero(chunk, sizeof(chunk));
	fclose(f);
	if (mao_buf_status(&b) != MAO_OK) {
		mao_buf_free(&b);
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	}
	if (found)
		*found = 1;
	rc = mao_ini_parse(mao_buf_cstr(&b), b.len, ini, err);
	mao_buf_free(&b);
	return rc;
}

/* Looks a key up (the last occurrence wins, as in botocore). */
const char *
mao_ini_get(const mao_ini *ini, const char *section, const char *key)
{
	const char *v = NULL;
	size_t i;

	for (i = 0; i < ini->n; i++)
		if (strcmp(ini->entries[i].section, section) == 0 &&
			strcmp(ini->entries[i].key, key) == 0)
			v = ini->entries[i].value;
	return v;
}

/* Non-zero if the section exists. */
int
mao_ini_has_section(const mao_ini *ini, const char *section)
{
	size_t i;

	for (i = 0; i < ini->n_sections; i++)
		if (strcmp(ini->sections[i], section) == 0)
			return 1;
	return 0;
}

/* Frees the parsed file, wiping values. */
void
mao_ini_free(mao_ini *ini)
{
	size_t i;

	for (i = 0; i < ini->n; i++) {
		mao_secure_zero(ini->entries[i].value, strlen(ini->entries[i].value));
		free(ini->entries[i].value);
		free(ini->entries[i].key);
		free(ini->entries[i].section);
	}
	for (i = 0; i < ini->n_sections; i++)
		free(ini->sections[i]);
	free(ini->entries);
	free(ini->sections);
	memset(ini, 0, sizeof(*ini));
}
