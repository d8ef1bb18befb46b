/*
 * gzip.h - gzip (RFC 1952) compression and decompression with zlib, with a
 * cap on the decompressed size so that a small bomb is an error rather than
 * an out-of-memory.
 *
 * Output is appended to the caller's mao_buf; on failure the buffer is
 * restored to its old length.
 */
#ifndef MAO_GZIP_H
#define MAO_GZIP_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

/* Compresses in[0..len) as one gzip member at level (0-9; -1 for zlib's default). */
int mao_gzip_compress(const void *in, size_t len, int level, mao_buf *out, mao_err *err);

/*
 * Decompresses one gzip member in[0..len) (trailing bytes are an error).
 * More than max_out decompressed bytes is MAO_ERR_TOO_LARGE, detected
 * before the buffer grows past max_out.
 */
int mao_gzip_decompress(const void *in, size_t len, size_t max_out, mao_buf *out, mao_err *err);

#endif /* MAO_GZIP_H */
