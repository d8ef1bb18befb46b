/*
 * buf.c - growable byte and string buffer (see buf.h).
 */
#include "buf.h"

#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <openssl/crypto.h>

static const char hex_lower[] = "0123456789abcdef";
static const char hex_upper[] = "0123456789ABCDEF";

/* Puts b in the sticky failed state; returns MAO_ERR_NOMEM. */
static int
mark_failed(mao_buf *b)
{
	b->failed = 1;
	return MAO_ERR_NOMEM;
}

/* Initialises an empty buffer without allocating. */
void
mao_buf_init(mao_buf *b)
{
	b->data = NULL;
	b->len = 0;
	b->cap = 0;
	b->failed = 0;
}

/* Wipes and frees the storage; b becomes an empty, usable buffer. */
void
mao_buf_free(mao_buf *b)
{
	if (b->data != NULL) {
		OPENSSL_cleanse(b->data, b->cap);
		free(b->data);
	}
	mao_buf_init(b);
}

/* Empties b (wiping the bytes) but keeps its storage and error flag. */
void
mao_buf_reset(mao_buf *b)
{
	if (b->data != NULL) {
		OPENSSL_cleanse(b->data, b->len);
		b->data[0] = '\0';
	}
	b->len = 0;
}

/* Returns MAO_ERR_NOMEM if an earlier operation failed, else MAO_OK. */
int
mao_buf_status(const mao_buf *b)
{
	return b->failed ? MAO_ERR_NOMEM : MAO_OK;
}

/* Returns the contents as a borrowed C string, "" when empty. */
const char *
mao_buf_cstr(const mao_buf *b)
{
	return b->data != NULL ? b->data : "";
}

/* Hands the contents to the caller as a malloc'd string; b becomes empty. */
char *
mao_buf_detach(mao_buf *b)
{
	char *s;

	if (b->failed) {
		mao_buf_free(b);
		return NULL;
	}
	if (b->data == NULL && mao_buf_reserve(b, 0) != MAO_OK) {
		mao_buf_free(b);
		return NULL;
	}
	s = b->data;
	mao_buf_init(b);
	return s;
}

/*
 * Grows the storage to hold `extra` more bytes and a NUL.  Moves the
 * contents by hand (malloc, copy, wipe, free) instead of realloc so that no
 * stale copy of secret bytes is left in freed memory.
 */
int
mao_buf_reserve(mao_buf *b, size_t extra)
{
	size_t need, cap;
	char *p;

	if (b->failed)
		return MAO_ERR_NOMEM;
	if (extra > SIZE_MAX - b->len - 1)
		return mark_failed(b);
	need = b->len + extra + 1;
	if (need <= b->cap)
		return MAO_OK;
	cap = b->cap > 0 ? b->cap : 64;
	while (cap < need) {
		if (cap > SIZE_MAX / 2) {
			cap = need;
			break;
		}
		cap *= 2;
	}
	p = malloc(cap);
	if (p == NULL)
		return mark_failed(b);
	if (b->data != NULL) {
		memcpy(p, b->data, b->len + 1);
		OPENSSL_cleanse(b->data, b->cap);
		free(b->data);
	} else
		p[0] = '\0';
	b->data = p;
	b->cap = cap;
	return MAO_OK;
}

/* Appends n raw bytes and keeps the NUL terminator. */
int
mao_buf_append(mao_buf *b, const void *data, size_t n)
{
	if (mao_buf_reserve(b, n) != MAO_OK)
		return MAO_ERR_NOMEM;
	if (n > 0)
		memcpy(b->data + b->len, data, n);
	b->len += n;
	b->data[b->len] = '\0';
	return MAO_OK;
}

/* See buf.h. */
int
mao_buf_append_be(mao_buf *b, uint64_t v, size_t n)
{
	unsigned char bytes[8];

	for (size_t i = 0; i < n && i < 8; i++)
		bytes[i] = (unsigned char) (v >> (8 * (n - 1 - i)));
	return mao_buf_append(b, bytes, n < 8 ? n : 8);
}

/* Appends a C string. */
int
mao_buf_append_str(mao_buf *b, const char *s)
{
	return mao_buf_append(b, s, strlen(s));
}

/* Appends a single byte. */
int
mao_buf_append_char(mao_buf *b, char c)
{
	return mao_buf_append(b, &c, 1);
}

/* Appends formatted text (see mao_buf_vprintf). */
int
mao_buf_printf(mao_buf *b, const char *fmt, ...)
{
	va_list ap;
	int rc;

	va_start(ap, fmt);
	rc = mao_buf_vprintf(b, fmt, ap);
	va_end(ap);
	return rc;
}

/* Appends formatted text, growing the buffer to the exact size needed. */
int
mao_buf_vprintf(mao_buf *b, const char *fmt, va_list ap)
{
	va_list ap2;
	int n;

	if (b->failed)
		return MAO_ERR_NOMEM;
	va_copy(ap2, ap);
	n = vsnprintf(NULL, 0, fmt, ap2);
	va_end(ap2);
	if (n < 0)
		return mark_failed(b);
	if (mao_buf_reserve(b, (size_t) n) != MAO_OK)
		return MAO_ERR_NOMEM;
	vsnprintf(b->data + b->len, (size_t) n + 1, fmt, ap);
	b->len += (size_t) n;
	return MAO_OK;
}

/* Appends bytes as lowercase hex. */
int
mao_buf_append_hex(mao_buf *b, const void *data, size_t n)
{
	const unsigned char *p = data;
	size_t i;

	if (n > SIZE_MAX / 2)
		return mark_failed(b);
	if (mao_buf_reserve(b, 2 * n) != MAO_OK)
		return MAO_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		b->data[b->len++] = hex_lower[p[i] >> 4];
		b->data[b->len++] = hex_lower[p[i] & 0x0f];
	}
	b->data[b->len] = '\0';
	return MAO_OK;
}

/* True for RFC 3986 unreserved characters (ASCII letters, digits, - . _ ~). */
int
mao_uri_unreserved(unsigned char c)
{
	return (c >= 'A' && c <= 'Z') || (c >= 'a' && c <= 'z') ||
		(c >= '0' && c <= '9') || c == '-' || c == '.' || c == '_' ||
		c == '~';
}

/* Appends s percent-encoded (AWS style, uppercase hex, '/' optional). */
int
mao_buf_append_uri_encoded(mao_buf *b, const char *s, size_t n,
						   int encode_slash)
{
	size_t i;

	if (n > SIZE_MAX / 3)
		return mark_failed(b);
	if (mao_buf_reserve(b, 3 * n) != MAO_OK)
		return MAO_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		unsigned char c = (unsigned char) s[i];

		if (mao_uri_unreserved(c) || (c == '/' && !encode_slash))
			b->data[b->len++] = (char) c;
		else {
			b->data[b->len++] = '%';
			b->data[b->len++] = hex_upper[c >> 4];
			b->data[b->len++] = hex_upper[c & 0x0f];
		}
	}
	b->data[b->len] = '\0';
	return MAO_OK;
}

/* Returns the value of a hex digit, or -1. */
static int
hex_value(unsigned char c)
{
	if (c >= '0' && c <= '9')
		return c - '0';
	if (c >= 'a' && c <= 'f')
		return c - 'a' + 10;
	if (c >= 'A' && c <= 'F')
		return c - 'A' + 10;
	return -1;
}

/* Appends s with valid %XX sequences decoded; everything else is copied. */
int
mao_buf_append_uri_decoded(mao_buf *b, const char *s, size_t n)
{
	size_t i;

	if (mao_buf_reserve(b, n) != MAO_OK)
		return MAO_ERR_NOMEM;
	for (i = 0; i < n; i++) {
		int hi, lo;

		if (s[i] == '%' && n - i >= 3 &&
			(hi = hex_value((unsigned char) s[i + 1])) >= 0 &&
			(lo = hex_value((unsigned char) s[i + 2])) >= 0) {
			b->data[b->len++] = (char) (hi << 4 | lo);
			i += 2;
		} else
			b->data[b->len++] = s[i];
	}
	b->data[b->len] = '\0';
	return MAO_OK;
}
