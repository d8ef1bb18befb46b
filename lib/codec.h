/*
 * codec.h - base64 (RFC 4648, with padding) and JSON string quoting into
 * mao_buf buffers.  No allocation beyond the caller's buffer.
 */
#ifndef MAO_CODEC_H
#define MAO_CODEC_H

#include <stddef.h>

#include "buf.h"

/* Appends the base64 encoding of data[0..len) to out. */
int mao_base64_encode(mao_buf *out, const void *data, size_t len);

/*
 * Appends the bytes that base64 text s[0..len) encodes to out.  Whitespace
 * is skipped; padding is optional.  Returns MAO_OK, MAO_ERR_INVALID for a
 * character outside the alphabet, or MAO_ERR_NOMEM.
 */
int mao_base64_decode(mao_buf *out, const char *s, size_t len);

/* Appends s as a quoted JSON string (escaping '"', '\\' and control characters). */
int mao_json_append_string(mao_buf *out, const char *s);

#endif /* MAO_CODEC_H */
