/*
 * codec.c - base64 and JSON string quoting (see codec.h).
 */
#include "codec.h"

#include <string.h>

static const char b64[] =
	"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/* Appends the base64 encoding of data. */
int
mao_base64_encode(mao_buf *out, const void *data, size_t len)
{
	const unsigned char *p = data;
	size_t i;
	char q[4];

	mao_buf_append(out, "", 0);
	for (i = 0; i + 2 < len; i += 3) {
		q[0] = b64[p[i] >> 2];
		q[1] = b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
		q[2] = b64[((p[i + 1] & 15) << 2) | (p[i + 2] >> 6)];
		q[3] = b64[p[i + 2] & 63];
		mao_buf_append(out, q, 4);
	}
	if (len - i == 1) {
		q[0] = b64[p[i] >> 2];
		q[1] = b64[(p[i] & 3) << 4];
		q[2] = q[3] = '=';
		mao_buf_append(out, q, 4);
	} else if (len - i == 2) {
		q[0] = b64[p[i] >> 2];
		q[1] = b64[((p[i] & 3) << 4) | (p[i + 1] >> 4)];
		q[2] = b64[(p[i + 1] & 15) << 2];
		q[3] = '=';
		mao_buf_append(out, q, 4);
	}
	return mao_buf_status(out);
}

/* Value of a base64 character, or -1. */
static int
b64_value(unsigned char c)
{
	if (c >= 'A' && c <= 'Z')
		return c - 'A';
	if (c >= 'a' && c <= 'z')
		return c - 'a' + 26;
	if (c >= '0' && c <= '9')
		return c - '0' + 52;
	if (c == '+' || c == '-')
		return 62;
	if (c == '/' || c == '_')
		return 63;
	return -1;
}

/* Appends the decoded bytes of base64 text. */
int
mao_base64_decode(mao_buf *out, const char *s, size_t len)
{
	unsigned long acc = 0;
	int bits = 0;
	size_t i;

	mao_buf_append(out, "", 0);
	for (i = 0; i < len; i++) {
		unsigned char c = (unsigned char) s[i];
		int v;

		if (c == ' ' || c == '\n' || c == '\r' || c == '\t')
			continue;
		if (c == '=')
			break;
		v = b64_value(c);
		if (v < 0)
			return MAO_ERR_INVALID;
		acc = ((acc << 6) | (unsigned long) v) & 0xFFFFFF;
		bits += 6;
		if (bits >= 8) {
			bits -= 8;
			mao_buf_append_char(out, (char) ((acc >> bits) & 0xFF));
		}
	}
	return mao_buf_status(out);
}

/* Appends a quoted JSON string. */
int
mao_json_append_string(mao_buf *out, const char *s)
{
	const unsigned char *p = (const unsigned char *) s;

	mao_buf_append_char(out, '"');
	for (; *p; p++) {
		if (*p == '"' || *p == '\\') {
			mao_buf_append_char(out, '\\');
			mao_buf_append_char(out, (char) *p);
		} else if (*p < 0x20)
			mao_buf_printf(out, "\\u%04x", *p);
		else
			mao_buf_append_char(out, (char) *p);
	}
	mao_buf_append_char(out, '"');
	return mao_buf_status(out);
}
