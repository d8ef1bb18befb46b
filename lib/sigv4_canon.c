/*
 * sigv4_canon.c - SigV4 canonicalisation: URI, query string and headers
 * (see sigv4.h for the rules).
 */
#include "sigv4.h"

#include <stdint.h>
#include <stdlib.h>
#include <string.h>

/* Headers never signed: hop-by-hop ones and those proxies rewrite (botocore's list). */
static const char *const unsigned_headers[] = {
	"connection", "expect", "keep-alive", "proxy-authenticate",
	"proxy-authorization", "te", "trailer", "transfer-encoding", "upgrade",
	"user-agent", "x-amzn-trace-id", NULL
};

/* ASCII lowercase of one byte. */
static char
lower_ascii(char c)
{
	return (c >= 'A' && c <= 'Z') ? (char) (c - 'A' + 'a') : c;
}

/* Case-insensitive ASCII comparison of two C strings for equality. */
static int
ascii_ieq(const char *a, const char *b)
{
	while (*a != '\0' && lower_ascii(*a) == lower_ascii(*b)) {
		a++;
		b++;
	}
	return lower_ascii(*a) == lower_ascii(*b);
}

/* True for an RFC 9110 token character (allowed in header names and methods). */
static int
is_tchar(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		(c >= '0' && c <= '9') || (c != '\0' && strchr("!#$%&'*+-.^_`|~", c) != NULL);
}

/* Non-zero if name (any case) is in the never-signed list. */
int
mao_sigv4_header_is_unsigned(const char *name)
{
	size_t i;

	for (i = 0; unsigned_headers[i] != NULL; i++)
		if (ascii_ieq(name, unsigned_headers[i]))
			return 1;
	return 0;
}

/* ---------------------------------------------------------------- URI */

/* One path segment: a slice of the wire path. */
typedef struct seg {
	const char *p;
	size_t len;
} seg;

/*
 * Appends path with dot segments removed and runs of '/' collapsed, the way
 * botocore's remove_dot_segments() does: "/a/./b/../c//" -> "/a/c/"; a
 * trailing slash is kept only when something is left.
 */
static int
append_normalized_path(const char *path, mao_buf *out)
{
	size_t n = strlen(path), nsegs = 0, cap = 1, i, start;
	seg *segs;

	for (i = 0; i < n; i++)
		if (path[i] == '/')
			cap++;
	segs = malloc(cap * sizeof(*segs));
	if (segs == NULL)
		return MAO_ERR_NOMEM;
	for (start = 0; start <= n; start = i + 1) {
		size_t len;

		for (i = start; i < n && path[i] != '/'; i++)
			;
		len = i - start;
		if (len == 0 || (len == 1 && path[start] == '.'))
			continue;
		if (len == 2 && path[start] == '.' && path[start + 1] == '.') {
			if (nsegs > 0)
				nsegs--;
			continue;
		}
		segs[nsegs].p = path + start;
		segs[nsegs].len = len;
		nsegs++;
	}
	mao_buf_append_char(out, '/');
	for (i = 0; i < nsegs; i++) {
		if (i > 0)
			mao_buf_append_char(out, '/');
		mao_buf_append(out, segs[i].p, segs[i].len);
	}
	if (nsegs > 0 && path[n - 1] == '/')
		mao_buf_append_char(out, '/');
	free(segs);
	return mao_buf_status(out);
}

/* Appends the canonical URI of a wire path (see sigv4.h). */
int
mao_sigv4_canonical_uri(const char *path, int normalize, int double_encode,
						mao_buf *out)
{
	mao_buf tmp = MAO_BUF_INIT;
	int rc;

	if (path == NULL || path[0] == '\0')
		path = "/";
	if (path[0] != '/')
		return MAO_ERR_INVALID;
	if (normalize)
		rc = append_normalized_path(path, &tmp);
	else
		rc = mao_buf_append_str(&tmp, path);
	if (rc == MAO_OK) {
		if (double_encode)
			/* Encode the wire path as it is: "%20" becomes "%2520". */
			rc = mao_buf_append_uri_encoded(out, tmp.data, tmp.len, 0);
		else {
			/* Encode once: decode what the caller encoded, then encode
			 * exactly the characters AWS encodes. */
			mao_buf raw = MAO_BUF_INIT;

			rc = mao_buf_append_uri_decoded(&raw, tmp.data, tmp.len);
			if (rc == MAO_OK)
				rc = mao_buf_append_uri_encoded(out, raw.data, raw.len, 0);
			mao_buf_free(&raw);
		}
	}
	mao_buf_free(&tmp);
	return rc;
}

/* -------------------------------------------------------------- query */

/* One query parameter: offsets into an arena while building, then pointers. */
typedef struct qparam {
	size_t key_off;
	size_t val_off;
	const char *key;
	const char *val;
} qparam;

/* Orders parameters by encoded key, then encoded value (byte order). */
static int
qparam_cmp(const void *a, const void *b)
{
	const qparam *x = a, *y = b;
	int c = strcmp(x->key, y->key);

	return c != 0 ? c : strcmp(x->val, y->val);
}

/* Appends a decoded-then-encoded copy of s[0..n) plus a NUL to the arena. */
static void
arena_add_reencoded(mao_buf *arena, const char *s, size_t n)
{
	mao_buf raw = MAO_BUF_INIT;

	mao_buf_append_uri_decoded(&raw, s, n);
	if (mao_buf_status(&raw) != MAO_OK)
		arena->failed = 1;
	else
		mao_buf_append_uri_encoded(arena, mao_buf_cstr(&raw), raw.len, 1);
	mao_buf_append_char(arena, '\0');
	mao_buf_free(&raw);
}

/* Appends the canonical query string (see sigv4.h). */
int
mao_sigv4_canonical_query(const char *query, const mao_header *extra,
						  size_t n_extra, mao_buf *out)
{
	mao_buf arena = MAO_BUF_INIT;
	qparam *params;
	size_t cap = n_extra + 1, n = 0, i, qlen;
	const char *p, *end;
	int rc;

	if (query == NULL)
		query = "";
	qlen = strlen(query);
	end = query + qlen;

	for (i = 0; i < qlen; i++)
		if (query[i] == '&')
			cap++;
	if (cap > SIZE_MAX / sizeof(*params))
		return MAO_ERR_NOMEM;
	params = malloc(cap * sizeof(*params));
	if (params == NULL)
		return MAO_ERR_NOMEM;

	for (p = query; qlen > 0 && p <= end; p++) {
		const char *amp = memchr(p, '&', (size_t) (end - p));
		const char *stop = amp != NULL ? amp : end;
		const char *eq = memchr(p, '=', (size_t) (stop - p));

		if (stop > p) {
			params[n].key_off = arena.len;
			arena_add_reencoded(&arena, p, (size_t) ((eq != NULL ? eq : stop) - p));
			params[n].val_off = arena.len;
			if (eq != NULL)
				arena_add_reencoded(&arena, eq + 1, (size_t) (stop - eq - 1));
			else
				mao_buf_append_char(&arena, '\0');
			n++;
		}
		p = stop;
	}
	for (i = 0; i < n_extra; i++) {
		params[n].key_off = arena.len;
		mao_buf_append_uri_encoded(&arena, extra[i].name, strlen(extra[i].name), 1);
		mao_buf_append_char(&arena, '\0');
		params[n].val_off = arena.len;
		mao_buf_append_uri_encoded(&arena, extra[i].value, strlen(extra[i].value), 1);
		mao_buf_append_char(&arena, '\0');
		n++;
	}
	rc = mao_buf_status(&arena);
	if (rc == MAO_OK) {
		for (i = 0; i < n; i++) {
			params[i].key = arena.data + params[i].key_off;
			params[i].val = arena.data + params[i].val_off;
		}
		qsort(params, n, sizeof(*params), qparam_cmp);
		for (i = 0; i < n; i++) {
			if (i > 0)
				mao_buf_append_char(out, '&');
			mao_buf_append_str(out, params[i].key);
			mao_buf_append_char(out, '=');
			mao_buf_append_str(out, params[i].val);
		}
		rc = mao_buf_status(out);
	}
	free(params);
	mao_buf_free(&arena);
	return rc;
}

/* ------------------------------------------------------------ headers */

/* One header being canonicalised: lowercase name in an arena, original order. */
typedef struct hentry {
	size_t name_off;
	const char *name;
	const char *value;
	size_t index;
} hentry;

/* Orders headers by lowercase name; equal names keep their given order. */
static int
hentry_cmp(const void *a, const void *b)
{
	const hentry *x = a, *y = b;
	int c = strcmp(x->name, y->name);

	if (c != 0)
		return c;
	return x->index < y->index ? -1 : x->index > y->index;
}

/* True for the whitespace that canonical values trim and collapse. */
static int
is_ws(char c)
{
	return c == ' ' || c == '\t' || c == '\r' || c == '\n';
}

/*
 * Checks that CR and LF appear in value only as line folding (followed by
 * a space or tab), so that a value cannot smuggle in another header.
 */
static int
value_is_safe(const char *value)
{
	const char *p;

	for (p = value; *p != '\0'; p++) {
		if (*p == '\r' || *p == '\n') {
			while (*p == '\r' || *p == '\n')
				p++;
			if (*p != ' ' && *p != '\t')
				return 0;
		}
	}
	return 1;
}

/* Appends value trimmed, with inner whitespace runs collapsed to one space. */
static void
append_trimmed_value(mao_buf *out, const char *value)
{
	const char *p = value;
	int pending_space = 0, any = 0;

	for (; *p != '\0'; p++) {
		if (is_ws(*p)) {
			pending_space = any;
			continue;
		}
		if (pending_space)
			mao_buf_append_char(out, ' ');
		pending_space = 0;
		mao_buf_append_char(out, *p);
		any = 1;
	}
}

/* Appends the canonical header block and signed header list (see sigv4.h). */
int
mao_sigv4_canonical_headers(const mao_header *headers, size_t n,
							mao_buf *canonical, mao_buf *signed_names,
							mao_err *err)
{
	mao_buf arena = MAO_BUF_INIT;
	hentry *ents;
	size_t i, m = 0;
	int rc = MAO_OK;

	if (n > SIZE_MAX / sizeof(*ents))
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	ents = malloc((n > 0 ? n : 1) * sizeof(*ents));
	if (ents == NULL)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	for (i = 0; i < n; i++) {
		const char *name = headers[i].name, *c;

		if (name == NULL || name[0] == '\0' || headers[i].value == NULL) {
			rc = mao_err_set(err, MAO_ERR_INVALID,
							 "header %zu has no name or no value", i);
			goto out;
		}
		for (c = name; *c != '\0'; c++)
			if (!is_tchar((unsigned char) *c)) {
				rc = mao_err_set(err, MAO_ERR_INVALID,
								 "header %zu has an invalid name", i);
				goto out;
			}
		if (!value_is_safe(headers[i].value)) {
			rc = mao_err_set(err, MAO_ERR_INVALID,
							 "header %.64s: a line break in the value is not followed by whitespace",
							 name);
			goto out;
		}
		if (mao_sigv4_header_is_unsigned(name))
			continue;
		ents[m].name_off = arena.len;
		for (c = name; *c != '\0'; c++)
			mao_buf_append_char(&arena, lower_ascii(*c));
		mao_buf_append_char(&arena, '\0');
		ents[m].value = headers[i].value;
		ents[m].index = i;
		m++;
	}
	if (mao_buf_status(&arena) != MAO_OK) {
		rc = mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
		goto out;
	}
	for (i = 0; i < m; i++)
		ents[i].name = arena.data + ents[i].name_off;
	qsort(ents, m, sizeof(*ents), hentry_cmp);
	for (i = 0; i < m; i++) {
		int first = (i == 0 || strcmp(ents[i].name, ents[i - 1].name) != 0);
		int last = (i + 1 == m || strcmp(ents[i].name, ents[i + 1].name) != 0);

		if (first) {
			if (i > 0)
				mao_buf_append_char(signed_names, ';');
			mao_buf_append_str(signed_names, ents[i].name);
			mao_buf_append_str(canonical, ents[i].name);
			mao_buf_append_char(canonical, ':');
		} else
			mao_buf_append_char(canonical, ',');
		append_trimmed_value(canonical, ents[i].value);
		if (last)
			mao_buf_append_char(canonical, '\n');
	}
	if (mao_buf_status(canonical) != MAO_OK ||
		mao_buf_status(signed_names) != MAO_OK)
		rc = mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
out:
	free(ents);
	mao_buf_free(&arena);
	return rc;
}
