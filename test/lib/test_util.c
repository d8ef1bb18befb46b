/*
 * test_util.c - unit tests for lib/err, lib/buf, lib/crypto_util and
 * lib/timeutil (the small pieces SigV4 is built on).
 *
 * Hash and HMAC expectations are the published FIPS 180-2 and RFC 4231
 * test vectors.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto_util.h"
#include "err.h"
#include "testutil.h"
#include "timeutil.h"

/* Error records: codes, messages, truncation, NULL tolerance. */
static void
test_err(t_ctx *t)
{
	mao_err e;
	char big[600];

	memset(big, 'x', sizeof(big) - 1);
	big[sizeof(big) - 1] = '\0';
	T_CHECK(t, mao_err_set(&e, MAO_ERR_INVALID, "field %s", "region") == MAO_ERR_INVALID,
			"mao_err_set returns the code");
	T_STREQ(t, "error message", "field region", e.msg);
	mao_err_set(&e, MAO_ERR_NOMEM, "%s", big);
	T_CHECK(t, strlen(e.msg) == MAO_ERR_MSG_MAX - 1, "long messages are truncated");
	mao_err_clear(&e);
	T_CHECK(t, e.code == MAO_OK && e.msg[0] == '\0', "mao_err_clear");
	T_CHECK(t, mao_err_set(NULL, MAO_ERR_CRYPTO, "x") == MAO_ERR_CRYPTO, "NULL err is fine");
	mao_err_clear(NULL);
	T_STREQ(t, "status name", "invalid argument", mao_status_str(MAO_ERR_INVALID));
	T_STREQ(t, "unknown status name", "unknown error", mao_status_str(12345));
}

/* Buffers: appends, printf growth, binary data, detach, reset. */
static void
test_buf(t_ctx *t)
{
	mao_buf b = MAO_BUF_INIT;
	char *s;
	int i;

	T_STREQ(t, "empty buffer", "", mao_buf_cstr(&b));
	mao_buf_append_str(&b, "abc");
	mao_buf_append_char(&b, '-');
	mao_buf_printf(&b, "%d/%s", 42, "x");
	T_STREQ(t, "appends", "abc-42/x", mao_buf_cstr(&b));
	for (i = 0; i < 1000; i++)
		mao_buf_printf(&b, "%04d", i);
	T_CHECK(t, b.len == 8 + 4000 && mao_buf_status(&b) == MAO_OK, "growth, len %zu", b.len);
	T_CHECK(t, memcmp(b.data + b.len - 4, "0999", 4) == 0 && b.data[b.len] == '\0',
			"content after growth");
	mao_buf_reset(&b);
	T_CHECK(t, b.len == 0 && b.cap > 0 && mao_buf_cstr(&b)[0] == '\0', "reset keeps storage");
	mao_buf_append(&b, "a\0b", 3);
	T_CHECK(t, b.len == 3 && memcmp(b.data, "a\0b", 4) == 0, "binary bytes and NUL");
	mao_buf_append(&b, NULL, 0);
	T_CHECK(t, b.len == 3, "appending nothing");
	s = mao_buf_detach(&b);
	T_CHECK(t, s != NULL && memcmp(s, "a\0b", 4) == 0 && b.data == NULL && b.len == 0,
			"detach hands over the storage");
	free(s);
	s = mao_buf_detach(&b);
	T_STREQ(t, "detach of an empty buffer", "", s);
	free(s);
	mao_buf_append_hex(&b, "\x00\x7f\xff", 3);
	T_STREQ(t, "hex", "007fff", mao_buf_cstr(&b));
	mao_buf_free(&b);
	T_CHECK(t, b.data == NULL && b.len == 0 && b.cap == 0, "free empties");

	/* Sticky failure: an impossible reservation fails and later appends too. */
	T_CHECK(t, mao_buf_reserve(&b, (size_t) -1) == MAO_ERR_NOMEM, "huge reserve fails");
	T_CHECK(t, mao_buf_append_str(&b, "x") == MAO_ERR_NOMEM &&
			mao_buf_status(&b) == MAO_ERR_NOMEM, "failure is sticky");
	T_CHECK(t, mao_buf_detach(&b) == NULL, "detach of a failed buffer is NULL");
	mao_buf_free(&b);
	T_CHECK(t, mao_buf_status(&b) == MAO_OK, "free clears the failure");
}

/* Checks one URI encoding. */
static void
check_enc(t_ctx *t, const char *in, size_t n, int encode_slash, const char *expect)
{
	mao_buf b = MAO_BUF_INIT;

	mao_buf_append_uri_encoded(&b, in, n, encode_slash);
	T_STREQ(t, encode_slash ? "uri encoding with '/'" : "uri encoding keeping '/'",
			expect, mao_buf_cstr(&b));
	mao_buf_free(&b);
}

/* Checks one URI decoding. */
static void
check_dec(t_ctx *t, const char *in, const char *expect, size_t expect_len)
{
	mao_buf b = MAO_BUF_INIT;

	mao_buf_append_uri_decoded(&b, in, strlen(in));
	T_SAME(t, "uri decoding", expect, expect_len, b.data, b.len);
	mao_buf_free(&b);
}

/* Percent-encoding as AWS canonicalises it. */
static void
test_uri(t_ctx *t)
{
	const char *unreserved =
		"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-._~";
	int c, n = 0;

	for (c = 0; c < 256; c++)
		n += mao_uri_unreserved((unsigned char) c) ? 1 : 0;
	T_CHECK(t, n == 66, "66 unreserved characters, got %d", n);
	check_enc(t, unreserved, strlen(unreserved), 1, unreserved);
	check_enc(t, "a b/c+d%e=f~g", 13, 0, "a%20b/c%2Bd%25e%3Df~g");
	check_enc(t, "a b/c+d%e=f~g", 13, 1, "a%20b%2Fc%2Bd%25e%3Df~g");
	check_enc(t, "\xc3\xa9\xe6\x97\xa5", 5, 0, "%C3%A9%E6%97%A5");
	check_enc(t, "!*'();:@&$,?#[]", 15, 1, "%21%2A%27%28%29%3B%3A%40%26%24%2C%3F%23%5B%5D");
	check_enc(t, "a\0b", 3, 1, "a%00b");
	check_enc(t, "", 0, 1, "");
	check_dec(t, "a%20b%2Bc+d", "a b+c+d", 7);
	check_dec(t, "%c3%A9", "\xc3\xa9", 2);
	check_dec(t, "100%", "100%", 4);
	check_dec(t, "%zz%4", "%zz%4", 5);
	check_dec(t, "%00x", "\0x", 2);
}

/* SHA-256, HMAC-SHA256, hex and the streaming digest. */
static void
test_crypto(t_ctx *t)
{
	static const char *hmac_tc6_data =
		"Test Using Larger Than Block-Size Key - Hash Key First";
	unsigned char key[131], md[MAO_SHA256_LEN], md2[MAO_SHA256_LEN];
	char hex[MAO_SHA256_HEX_LEN + 1];
	mao_sha256_ctx ctx;
	char *big;
	size_t i;

	T_CHECK(t, mao_sha256_hex("", 0, hex) == MAO_OK, "sha256 of nothing");
	T_STREQ(t, "sha256('')", MAO_SHA256_EMPTY_HEX, hex);
	mao_sha256_hex("abc", 3, hex);
	T_STREQ(t, "sha256('abc')",
			"ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad", hex);

	memset(key, 0x0b, 20);
	mao_hmac_sha256(key, 20, "Hi There", 8, md);
	mao_hex_encode(md, sizeof(md), hex);
	T_STREQ(t, "RFC 4231 case 1",
			"b0344c61d8db38535ca8afceaf0bf12b881dc200c9833da726e9376c2e32cff7", hex);
	mao_hmac_sha256("Jefe", 4, "what do ya want for nothing?", 28, md);
	mao_hex_encode(md, sizeof(md), hex);
	T_STREQ(t, "RFC 4231 case 2",
			"5bdcc146bf60754e6a042426089575c75a003f089d2739839dec58b964ec3843", hex);
	memset(key, 0xaa, sizeof(key));
	mao_hmac_sha256(key, sizeof(key), hmac_tc6_data, strlen(hmac_tc6_data), md);
	mao_hex_encode(md, sizeof(md), hex);
	T_STREQ(t, "RFC 4231 case 6",
			"60e431591ee0b67f0d8a26aacbf5b77f8e0bc6213728c5140546040f0ee37f54", hex);
	T_CHECK(t, mao_hmac_sha256(NULL, 0, NULL, 0, md) == MAO_OK, "HMAC with empty key and data");

	/* Streaming equals one-shot over 1 MiB fed in uneven pieces. */
	big = malloc(1 << 20);
	if (T_CHECK(t, big != NULL, "allocation")) {
		for (i = 0; i < (1u << 20); i++)
			big[i] = (char) (i * 7 + 3);
		mao_sha256(big, 1 << 20, md);
		T_CHECK(t, mao_sha256_init(&ctx) == MAO_OK, "stream init");
		for (i = 0; i < (1u << 20); i += 4099)
			mao_sha256_update(&ctx, big + i, (1u << 20) - i < 4099 ? (1u << 20) - i : 4099);
		T_CHECK(t, mao_sha256_final(&ctx, md2) == MAO_OK && memcmp(md, md2, sizeof(md)) == 0,
				"streamed digest equals one-shot");
		T_CHECK(t, ctx.md_ctx == NULL, "final releases the context");
		free(big);
	}
	T_CHECK(t, mao_sha256_init(&ctx) == MAO_OK, "stream init");
	mao_sha256_abort(&ctx);
	mao_sha256_abort(&ctx);
	T_CHECK(t, mao_sha256_update(&ctx, "x", 1) == MAO_ERR_INVALID,
			"update after abort is refused");

	T_CHECK(t, mao_is_lower_hex("0a9f", 4) && !mao_is_lower_hex("0A9F", 4) &&
			!mao_is_lower_hex("", 0) && !mao_is_lower_hex("0g", 2), "lower hex check");
	T_CHECK(t, mao_mem_equal_ct("abc", "abc", 3) && !mao_mem_equal_ct("abc", "abd", 3),
			"constant-time compare");
	memset(key, 0x5a, sizeof(key));
	mao_secure_zero(key, sizeof(key));
	for (i = 0; i < sizeof(key) && key[i] == 0; i++)
		;
	T_CHECK(t, i == sizeof(key), "secure zero");
}

/* Checks one successful parse. */
static void
check_time(t_ctx *t, const char *s, long long expect)
{
	time_t v = 0;
	int rc = mao_time_parse_iso8601(s, &v);

	T_CHECK(t, rc == MAO_OK && (long long) v == expect,
			"parse \"%s\": rc %d, got %lld, want %lld", s, rc, (long long) v, expect);
}

/* Timestamps: ISO 8601 parsing and the X-Amz-Date form. */
static void
test_time(t_ctx *t)
{
	static const char *bad[] = {
		"", "garbage", "2015-08-30T12:36:00", "2015-08-30 12:36", "2015-02-29T00:00:00Z",
		"2015-13-01T00:00:00Z", "2015-08-30T24:00:00Z", "2015-08-30T12:36:00.Z",
		"2015-08-30T12:36:00Zjunk", "2015-08-30T12:36:00+2", "20150830T1236Z", NULL
	};
	char out[MAO_AMZ_DATE_LEN + 1];
	time_t v;
	int i;

	check_time(t, "2015-08-30T12:36:00Z", 1440938160LL);
	check_time(t, "20150830T123600Z", 1440938160LL);
	check_time(t, "2015-08-30T12:36:00.123456Z", 1440938160LL);
	check_time(t, "2015-08-30T14:36:00+02:00", 1440938160LL);
	check_time(t, "2015-08-30T10:06:00-0230", 1440938160LL);
	check_time(t, "1970-01-01T00:00:00Z", 0);
	check_time(t, "2016-02-29T00:00:00Z", 1456704000LL);
	check_time(t, "2000-03-01T00:00:00Z", 951868800LL);
	check_time(t, "2038-01-19T03:14:08Z", 2147483648LL);
	check_time(t, "1969-12-31T23:59:59Z", -1);
	for (i = 0; bad[i] != NULL; i++)
		T_CHECK(t, mao_time_parse_iso8601(bad[i], &v) == MAO_ERR_INVALID,
				"\"%s\" is rejected", bad[i]);
	T_CHECK(t, mao_time_parse_iso8601(NULL, &v) == MAO_ERR_INVALID, "NULL is rejected");
	T_CHECK(t, mao_time_format_amz(1440938160, out) == MAO_OK, "format");
	T_STREQ(t, "X-Amz-Date", "20150830T123600Z", out);
	mao_time_format_amz(0, out);
	T_STREQ(t, "X-Amz-Date of the epoch", "19700101T000000Z", out);
	T_CHECK(t, (long long) mao_time_from_civil(2024, 5, 17, 8, 30, 15) == 1715934615LL,
			"civil to epoch");
}

/* Runs every group and reports. */
int
main(void)
{
	t_ctx t = {0, 0};

	test_err(&t);
	test_buf(&t);
	test_uri(&t);
	test_crypto(&t);
	test_time(&t);
	return t_summary(&t, "test_util");
}
