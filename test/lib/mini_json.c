/*
 * mini_json.c - a small recursive-descent JSON reader for test fixtures
 * (see mini_json.h).  RFC 8259 syntax, depth limited to 64.
 */
#include "mini_json.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define MJ_MAX_DEPTH 64

typedef struct mj_parser {
	const char *p;
	const char *end;
	char *err;
	size_t errlen;
	int depth;
} mj_parser;

static int parse_value(mj_parser *ps, mj_value *out);

/* Records the first error with the offset where it happened; returns 0. */
static int
fail(mj_parser *ps, const char *what)
{
	if (ps->err != NULL && ps->err[0] == '\0')
		snprintf(ps->err, ps->errlen, "%s", what);
	return 0;
}

/* Skips JSON whitespace. */
static void
skip_ws(mj_parser *ps)
{
	while (ps->p < ps->end &&
		   (*ps->p == ' ' || *ps->p == '\t' || *ps->p == '\n' || *ps->p == '\r'))
		ps->p++;
}

/* Frees what v owns (not v itself). */
static void
free_contents(mj_value *v)
{
	size_t i;

	free(v->string);
	for (i = 0; i < v->n_items; i++) {
		free_contents(&v->items[i]);
		if (v->keys != NULL)
			free(v->keys[i]);
	}
	free(v->items);
	free(v->keys);
	memset(v, 0, sizeof(*v));
}

/* Frees a whole tree. */
void
mj_free(mj_value *v)
{
	if (v == NULL)
		return;
	free_contents(v);
	free(v);
}

/* Appends one byte to a growing string. */
static int
str_put(char **s, size_t *len, size_t *cap, char c)
{
	if (*len + 2 > *cap) {
		size_t ncap = *cap ? *cap * 2 : 32;
		char *n = realloc(*s, ncap);

		if (n == NULL)
			return 0;
		*s = n;
		*cap = ncap;
	}
	(*s)[(*len)++] = c;
	(*s)[*len] = '\0';
	return 1;
}

/* Reads 4 hex digits of a \u escape. */
static int
read_hex4(mj_parser *ps, unsigned *out)
{
	unsigned v = 0;
	int i;

	if (ps->end - ps->p < 4)
		return 0;
	for (i = 0; i < 4; i++) {
		char c = ps->p[i];

		v <<= 4;
		if (c >= '0' && c <= '9')
			v |= (unsigned) (c - '0');
		else if (c >= 'a' && c <= 'f')
			v |= (unsigned) (c - 'a' + 10);
		else if (c >= 'A' && c <= 'F')
			v |= (unsigned) (c - 'A' + 10);
		else
			return 0;
	}
	ps->p += 4;
	*out = v;
	return 1;
}

/* Appends a code point as UTF-8. */
static int
put_utf8(char **s, size_t *len, size_t *cap, unsigned cp)
{
	if (cp < 0x80)
		return str_put(s, len, cap, (char) cp);
	if (cp < 0x800)
		return str_put(s, len, cap, (char) (0xc0 | cp >> 6)) &&
			str_put(s, len, cap, (char) (0x80 | (cp & 0x3f)));
	if (cp < 0x10000)
		return str_put(s, len, cap, (char) (0xe0 | cp >> 12)) &&
			str_put(s, len, cap, (char) (0x80 | ((cp >> 6) & 0x3f))) &&
			str_put(s, len, cap, (char) (0x80 | (cp & 0x3f)));
	return str_put(s, len, cap, (char) (0xf0 | cp >> 18)) &&
		str_put(s, len, cap, (char) (0x80 | ((cp >> 12) & 0x3f))) &&
		str_put(s, len, cap, (char) (0x80 | ((cp >> 6) & 0x3f))) &&
		str_put(s, len, cap, (char) (0x80 | (cp & 0x3f)));
}

/* Parses a string literal (the opening quote is at ps->p). */
static int
parse_string(mj_parser *ps, char **out, size_t *out_len)
{
	char *s = NULL;
	size_t len = 0, cap = 0;

	ps->p++; /* opening quote */
	if (!str_put(&s, &len, &cap, 'x'))
		return fail(ps, "out of memory");
	len = 0;
	s[0] = '\0';
	while (ps->p < ps->end && *ps->p != '"') {
		unsigned char c = (unsigned char) *ps->p++;

		if (c < 0x20) {
			free(s);
			return fail(ps, "control character in string");
		}
		if (c != '\\') {
			if (!str_put(&s, &len, &cap, (char) c))
				goto oom;
			continue;
		}
		if (ps->p >= ps->end)
			break;
		c = (unsigned char) *ps->p++;
		switch (c) {
		case '"': case '\\': case '/':
			if (!str_put(&s, &len, &cap, (char) c))
				goto oom;
			break;
		case 'b': if (!str_put(&s, &len, &cap, '\b')) goto oom; break;
		case 'f': if (!str_put(&s, &len, &cap, '\f')) goto oom; break;
		case 'n': if (!str_put(&s, &len, &cap, '\n')) goto oom; break;
		case 'r': if (!str_put(&s, &len, &cap, '\r')) goto oom; break;
		case 't': if (!str_put(&s, &len, &cap, '\t')) goto oom; break;
		case 'u': {
			unsigned cp, lo;

			if (!read_hex4(ps, &cp)) {
				free(s);
				return fail(ps, "bad \\u escape");
			}
			if (cp >= 0xd800 && cp <= 0xdbff) {
				if (ps->end - ps->p < 6 || ps->p[0] != '\\' || ps->p[1] != 'u') {
					free(s);
					return fail(ps, "lone surrogate");
				}
				ps->p += 2;
				if (!read_hex4(ps, &lo) || lo < 0xdc00 || lo > 0xdfff) {
					free(s);
					return fail(ps, "bad surrogate pair");
				}
				cp = 0x10000 + ((cp - 0xd800) << 10) + (lo - 0xdc00);
			} else if (cp >= 0xdc00 && cp <= 0xdfff) {
				free(s);
				return fail(ps, "lone surrogate");
			}
			if (!put_utf8(&s, &len, &cap, cp))
				goto oom;
			break;
		}
		default:
			free(s);
			return fail(ps, "bad escape");
		}
	}
	if (ps->p >= ps->end) {
		free(s);
		return fail(ps, "unterminated string");
	}
	ps->p++; /* closing quote */
	*out = s;
	*out_len = len;
	return 1;
oom:
	free(s);
	return fail(ps, "out of memory");
}

/* Parses a number with strtod after checking the JSON grammar. */
static int
parse_number(mj_parser *ps, mj_value *out)
{
	const char *q = ps->p;
	char tmp[64];
	size_t n;

	if (q < ps->end && *q == '-')
		q++;
	if (q >= ps->end || *q < '0' || *q > '9')
		return fail(ps, "bad number");
	if (*q == '0')
		q++;
	else
		while (q < ps->end && *q >= '0' && *q <= '9')
			q++;
	if (q < ps->end && *q == '.') {
		q++;
		if (q >= ps->end || *q < '0' || *q > '9')
			return fail(ps, "bad number");
		while (q < ps->end && *q >= '0' && *q <= '9')
			q++;
	}
	if (q < ps->end && (*q == 'e' || *q == 'E')) {
		q++;
		if (q < ps->end && (*q == '+' || *q == '-'))
			q++;
		if (q >= ps->end || *q < '0' || *q > '9')
			return fail(ps, "bad number");
		while (q < ps->end && *q >= '0' && *q <= '9')
			q++;
	}
	n = (size_t) (q - ps->p);
	if (n >= sizeof(tmp))
		return fail(ps, "number too long");
	memcpy(tmp, ps->p, n);
	tmp[n] = '\0';
	out->type = MJ_NUMBER;
	out->number = strtod(tmp, NULL);
	ps->p = q;
	return 1;
}

/* Matches a literal keyword such as "true". */
static int
parse_word(mj_parser *ps, const char *word)
{
	size_t n = strlen(word);

	if ((size_t) (ps->end - ps->p) < n || memcmp(ps->p, word, n) != 0)
		return fail(ps, "unexpected token");
	ps->p += n;
	return 1;
}

/* Parses an array or object body; `object` selects which. */
static int
parse_container(mj_parser *ps, mj_value *out, int object)
{
	size_t cap = 0;
	char close = object ? '}' : ']';

	out->type = object ? MJ_OBJECT : MJ_ARRAY;
	if (++ps->depth > MJ_MAX_DEPTH)
		return fail(ps, "nesting too deep");
	ps->p++; /* opening bracket */
	skip_ws(ps);
	if (ps->p < ps->end && *ps->p == close) {
		ps->p++;
		ps->depth--;
		return 1;
	}
	for (;;) {
		char *key = NULL;
		size_t key_len;

		skip_ws(ps);
		if (object) {
			if (ps->p >= ps->end || *ps->p != '"')
				return fail(ps, "expected a member name");
			if (!parse_string(ps, &key, &key_len))
				return 0;
			skip_ws(ps);
			if (ps->p >= ps->end || *ps->p != ':') {
				free(key);
				return fail(ps, "expected ':'");
			}
			ps->p++;
		}
		if (out->n_items == cap) {
			size_t ncap = cap ? cap * 2 : 8;
			mj_value *ni = realloc(out->items, ncap * sizeof(*ni));

			if (ni == NULL) {
				free(key);
				return fail(ps, "out of memory");
			}
			out->items = ni;
			if (object) {
				char **nk = realloc(out->keys, ncap * sizeof(*nk));

				if (nk == NULL) {
					free(key);
					return fail(ps, "out of memory");
				}
				out->keys = nk;
			}
			cap = ncap;
		}
		memset(&out->items[out->n_items], 0, sizeof(mj_value));
		if (object)
			out->keys[out->n_items] = key;
		out->n_items++;
		if (!parse_value(ps, &out->items[out->n_items - 1]))
			return 0;
		skip_ws(ps);
		if (ps->p < ps->end && *ps->p == ',') {
			ps->p++;
			continue;
		}
		if (ps->p < ps->end && *ps->p == close) {
			ps->p++;
			ps->depth--;
			return 1;
		}
		return fail(ps, object ? "expected ',' or '}'" : "expected ',' or ']'");
	}
}

/* Parses any value at ps->p into out (out must be zeroed). */
static int
parse_value(mj_parser *ps, mj_value *out)
{
	skip_ws(ps);
	if (ps->p >= ps->end)
		return fail(ps, "unexpected end of input");
	switch (*ps->p) {
	case '{':
		return parse_container(ps, out, 1);
	case '[':
		return parse_container(ps, out, 0);
	case '"':
		out->type = MJ_STRING;
		return parse_string(ps, &out->string, &out->string_len);
	case 't':
		out->type = MJ_BOOL;
		out->boolean = 1;
		return parse_word(ps, "true");
	case 'f':
		out->type = MJ_BOOL;
		out->boolean = 0;
		return parse_word(ps, "false");
	case 'n':
		out->type = MJ_NULL;
		return parse_word(ps, "null");
	default:
		return parse_number(ps, out);
	}
}

/* Parses a complete document; trailing non-whitespace is an error. */
mj_value *
mj_parse(const char *text, size_t len, char *errbuf, size_t errlen)
{
	mj_parser ps;
	mj_value *v = calloc(1, sizeof(*v));
	char dummy[1];

	if (errbuf == NULL || errlen == 0) {
		errbuf = dummy;
		errlen = sizeof(dummy);
	}
	errbuf[0] = '\0';
	if (v == NULL) {
		snprintf(errbuf, errlen, "out of memory");
		return NULL;
	}
	ps.p = text;
	ps.end = text + len;
	ps.err = errbuf;
	ps.errlen = errlen;
	ps.depth = 0;
	if (!parse_value(&ps, v)) {
		mj_free(v);
		return NULL;
	}
	skip_ws(&ps);
	if (ps.p != ps.end) {
		fail(&ps, "trailing characters after the document");
		mj_free(v);
		return NULL;
	}
	return v;
}

/* Looks up an object member by name (first match). */
const mj_value *
mj_get(const mj_value *v, const char *key)
{
	size_t i;

	if (v == NULL || v->type != MJ_OBJECT)
		return NULL;
	for (i = 0; i < v->n_items; i++)
		if (strcmp(v->keys[i], key) == 0)
			return &v->items[i];
	return NULL;
}

/* Looks up a string member. */
const char *
mj_get_string(const mj_value *v, const char *key)
{
	const mj_value *m = mj_get(v, key);

	return m != NULL && m->type == MJ_STRING ? m->string : NULL;
}

/* Looks up a boolean member with a default. */
int
mj_get_bool(const mj_value *v, const char *key, int dflt)
{
	const mj_value *m = mj_get(v, key);

	return m != NULL && m->type == MJ_BOOL ? m->boolean : dflt;
}

/* Looks up a number member with a default. */
double
mj_get_number(const mj_value *v, const char *key, double dflt)
{
	const mj_value *m = mj_get(v, key);

	return m != NULL && m->type == MJ_NUMBER ? m->number : dflt;
}
