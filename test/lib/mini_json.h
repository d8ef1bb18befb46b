/*
 * mini_json.h - a small JSON reader for test fixtures (context.json of the
 * SigV4 suite).  Not for production input: it builds a tree in memory and
 * keeps numbers as doubles.
 *
 * Ownership: mj_parse() returns a tree the caller frees with mj_free();
 * every pointer reached from it (strings, items, keys) belongs to the tree.
 */
#ifndef MAO_MINI_JSON_H
#define MAO_MINI_JSON_H

#include <stddef.h>

typedef enum mj_type {
	MJ_NULL, MJ_BOOL, MJ_NUMBER, MJ_STRING, MJ_ARRAY, MJ_OBJECT
} mj_type;

typedef struct mj_value {
	mj_type type;
	int boolean;              /* MJ_BOOL */
	double number;            /* MJ_NUMBER */
	char *string;             /* MJ_STRING: UTF-8, NUL-terminated */
	size_t string_len;        /* MJ_STRING: bytes, may include NULs */
	struct mj_value *items;   /* MJ_ARRAY elements or MJ_OBJECT values */
	char **keys;              /* MJ_OBJECT keys, parallel to items */
	size_t n_items;
} mj_value;

/*
 * Parses text[0..len).  Returns a tree, or NULL with a message in errbuf
 * (errlen bytes) on a syntax error or allocation failure.
 */
mj_value *mj_parse(const char *text, size_t len, char *errbuf, size_t errlen);

/* Frees a tree from mj_parse(); NULL is ignored. */
void mj_free(mj_value *v);

/* Returns the member `key` of an object, or NULL (also when v is not an object). */
const mj_value *mj_get(const mj_value *v, const char *key);

/* Returns the string member `key`, or NULL if absent or not a string. Borrowed. */
const char *mj_get_string(const mj_value *v, const char *key);

/* Returns the boolean member `key`, or dflt if absent or not a boolean. */
int mj_get_bool(const mj_value *v, const char *key, int dflt);

/* Returns the number member `key`, or dflt if absent or not a number. */
double mj_get_number(const mj_value *v, const char *key, double dflt);

#endif /* MAO_MINI_JSON_H */
