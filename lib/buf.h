/*
 * buf.h - a growable byte and string buffer.
 *
 * Ownership: a mao_buf owns its storage.  Initialise it with MAO_BUF_INIT or
 * mao_buf_init(), release it with mao_buf_free() (or mao_buf_detach() to take
 * the string away).  `data` is always NUL-terminated once anything has been
 * appended, so it can be used as a C string; it may also hold binary bytes
 * (use `len`).
 *
 * Errors are sticky: after an allocation failure every later append is a
 * no-op and returns MAO_ERR_NOMEM, so a sequence of appends can be checked
 * once with mao_buf_status().
 *
 * Growth never leaves copies behind: the old block is wiped before it is
 * freed, so a buffer may hold secret material (call mao_buf_free() as usual;
 * it wipes too).
 *
 * Not thread-safe; a buffer belongs to one thread at a time.
 */
#ifndef MAO_BUF_H
#define MAO_BUF_H

#include <stdarg.h>
#include <stddef.h>
#include <stdint.h>

#include "err.h"

typedef struct mao_buf {
	char *data;  /* owned; NULL until the first append */
	size_t len;  /* bytes used, not counting the terminating NUL */
	size_t cap;  /* bytes allocated */
	int failed;  /* non-zero after an allocation failure (sticky) */
} mao_buf;

#define MAO_BUF_INIT { NULL, 0, 0, 0 }

/* Initialises an empty buffer; allocates nothing. */
void mao_buf_init(mao_buf *b);

/* Wipes and frees the storage and leaves b empty and reusable. */
void mao_buf_free(mao_buf *b);

/* Sets the length to 0 (wiping the old bytes), keeps the storage and the error flag. */
void mao_buf_reset(mao_buf *b);

/* Returns MAO_OK, or MAO_ERR_NOMEM if any earlier operation failed. */
int mao_buf_status(const mao_buf *b);

/* Returns the contents as a C string: never NULL ("" when empty). Borrowed. */
const char *mao_buf_cstr(const mao_buf *b);

/*
 * Takes the contents away as a malloc'd NUL-terminated string that the
 * caller frees with free(); b is left empty.  Returns NULL if the buffer is
 * in the failed state or an allocation fails (b is then freed).
 */
char *mao_buf_detach(mao_buf *b);

/* Makes room for at least `extra` more bytes (plus the NUL). */
int mao_buf_reserve(mao_buf *b, size_t extra);

/* Appends n bytes from data (data may be NULL when n is 0). */
int mao_buf_append(mao_buf *b, const void *data, size_t n);

/* Appends the low n bytes (1..8) of v, most significant first (wire formats' big-endian integers). */
int mao_buf_append_be(mao_buf *b, uint64_t v, size_t n);

/* Appends a NUL-terminated string. */
int mao_buf_append_str(mao_buf *b, const char *s);

/* Appends one byte. */
int mao_buf_append_char(mao_buf *b, char c);

/* Appends printf-style formatted text. */
int mao_buf_printf(mao_buf *b, const char *fmt, ...) MAO_PRINTF_LIKE(2, 3);

/* Appends vprintf-style formatted text; ap is consumed as by vprintf. */
int mao_buf_vprintf(mao_buf *b, const char *fmt, va_list ap)
	MAO_PRINTF_LIKE(2, 0);

/* Appends n bytes as lowercase hexadecimal (2n characters). */
int mao_buf_append_hex(mao_buf *b, const void *data, size_t n);

/* Returns non-zero if c is an RFC 3986 unreserved character: A-Z a-z 0-9 - . _ ~ */
int mao_uri_unreserved(unsigned char c);

/*
 * Appends n bytes of s percent-encoded the way AWS canonicalises URIs:
 * every byte except the RFC 3986 unreserved characters becomes %XX with
 * uppercase hex.  With encode_slash == 0, '/' is kept as it is (use this
 * for paths and S3 keys); with encode_slash != 0 it becomes %2F (use this
 * for query keys and values).
 */
int mao_buf_append_uri_encoded(mao_buf *b, const char *s, size_t n,
							   int encode_slash);

/*
 * Appends n bytes of s with %XX sequences decoded.  A '%' not followed by
 * two hex digits is kept literally; '+' is kept as '+' (RFC 3986, not form
 * encoding).
 */
int mao_buf_append_uri_decoded(mao_buf *b, const char *s, size_t n);

#endif /* MAO_BUF_H */
