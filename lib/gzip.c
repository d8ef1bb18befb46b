/*
 * gzip.c - gzip with zlib and a decompressed-size cap (see gzip.h).
 */
#include "gzip.h"

#include <limits.h>
#include <string.h>

#include <zlib.h>

#define CHUNK (256u * 1024u)

/* Puts out back to its old length, wiping what was appended. */
static void
roll_back(mao_buf *out, size_t orig)
{
	if (out->data != NULL && out->len > orig) {
		memset(out->data + orig, 0, out->len - orig);
		out->len = orig;
		out->data[orig] = '\0';
	}
}

/* deflate with a gzip wrapper (windowBits 15 + 16). */
int
mao_gzip_compress(const void *in, size_t len, int level, mao_buf *out, mao_err *err)
{
	z_stream z;
	size_t orig = out->len;
	int zrc;

	memset(&z, 0, sizeof(z));
	if (level < -1 || level > 9)
		return mao_err_set(err, MAO_ERR_INVALID, "gzip: level %d out of range", level);
	if (deflateInit2(&z, level, Z_DEFLATED, 15 + 16, 8, Z_DEFAULT_STRATEGY) != Z_OK)
		return mao_err_set(err, MAO_ERR_NOMEM, "gzip: cannot initialise zlib");
	z.next_in = (Bytef *) in;
	do {
		size_t room;

		if (z.avail_in == 0 && len > 0) {
			z.avail_in = len > UINT_MAX ? UINT_MAX : (uInt) len;
			len -= z.avail_in;
		}
		if (mao_buf_reserve(out, CHUNK) != MAO_OK) {
			deflateEnd(&z);
			roll_back(out, orig);
			return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
		}
		room = out->cap - out->len - 1;
		z.next_out = (Bytef *) out->data + out->len;
		z.avail_out = room > UINT_MAX ? UINT_MAX : (uInt) room;
		zrc = deflate(&z, len == 0 ? Z_FINISH : Z_NO_FLUSH);
		out->len = (size_t) ((char *) z.next_out - out->data);
		out->data[out->len] = '\0';
	} while (zrc == Z_OK || zrc == Z_BUF_ERROR);
	deflateEnd(&z);
	if (zrc != Z_STREAM_END) {
		roll_back(out, orig);
		return mao_err_set(err, MAO_ERR_INVALID, "gzip: compression failed");
	}
	return MAO_OK;
}

/* inflate with a gzip-only wrapper, growing the output at most to max_out. */
int
mao_gzip_decompress(const void *in, size_t len, size_t max_out, mao_buf *out, mao_err *err)
{
	z_stream z;
	size_t orig = out->len, produced = 0;
	int zrc;

	memset(&z, 0, sizeof(z));
	if (inflateInit2(&z, 15 + 16) != Z_OK)
		return mao_err_set(err, MAO_ERR_NOMEM, "gzip: cannot initialise zlib");
	z.next_in = (Bytef *) in;
	for (;;) {
		size_t room, want;

		if (z.avail_in == 0 && len > 0) {
			z.avail_in = len > UINT_MAX ? UINT_MAX : (uInt) len;
			len -= z.avail_in;
		}
		/* grow by at most what the cap still allows, plus one byte to detect overflow */
		want = max_out - produced + 1;
		if (want > CHUNK)
			want = CHUNK;
		if ((out->data == NULL || out->cap - out->len - 1 < want) && mao_buf_reserve(out, want) != MAO_OK) {
			inflateEnd(&z);
			roll_back(out, orig);
			return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
		}
		room = out->cap - out->len - 1;
		if (room > max_out - produced + 1)
			room = max_out - produced + 1;
		z.next_out = (Bytef *) out->data + out->len;
		z.avail_out = room > UINT_MAX ? UINT_MAX : (uInt) room;
		zrc = inflate(&z, Z_NO_FLUSH);
		produced += (size_t) ((char *) z.next_out - (out->data + out->len));
		out->len = (size_t) ((char *) z.next_out - out->data);
		out->data[out->len] = '\0';
		if (produced > max_out) {
			inflateEnd(&z);
			roll_back(out, orig);
			return mao_err_set(err, MAO_ERR_TOO_LARGE, "gzip: decompressed size exceeds the limit of %zu bytes",
							   max_out);
		}
		if (zrc == Z_STREAM_END)
			break;
		if (zrc == Z_BUF_ERROR && z.avail_in == 0 && len == 0) {
			inflateEnd(&z);
			roll_back(out, orig);
			return mao_err_set(err, MAO_ERR_INVALID, "gzip: data truncated");
		}
		if (zrc != Z_OK && zrc != Z_BUF_ERROR) {
			inflateEnd(&z);
			roll_back(out, orig);
			return mao_err_set(err, MAO_ERR_INVALID, "gzip: corrupt data (%s)", z.msg ? z.msg : "inflate error");
		}
	}
	if (z.avail_in != 0 || len != 0) {
		inflateEnd(&z);
		roll_back(out, orig);
		return mao_err_set(err, MAO_ERR_INVALID, "gzip: bytes after the end of the stream");
	}
	inflateEnd(&z);
	return MAO_OK;
}
