/*
 * test_esdk.c - the envelope's own tests: round trips for every suite at
 * several frame lengths (exact multiples, empty payloads, non-framed),
 * streaming in odd chunk sizes, single-byte tampering of every byte of
 * small messages, truncation at every byte, trailing bytes, wrong keys and
 * contexts, headers that claim huge sizes, the KMS keyring against an
 * in-process fake KMS, the encryption context and MAO key helpers, gzip
 * (bomb included) and payload detection.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "crypto_util.h"
#include "envelope_ctx.h"
#include "esdk_decrypt.h"
#include "esdk_encrypt.h"
#include "esdk_gcm.h"
#include "esdk_kms.h"
#include "esdk_raw_aes.h"
#include "gzip.h"
#include "payload_kind.h"
#include "testutil.h"

static const unsigned char key1[32] = "0123456789abcdef0123456789abcdef";
static const unsigned char key2[32] = "fedcba9876543210fedcba9876543210";

/* Fills buf with a deterministic pattern. */
static void
pattern(unsigned char *buf, size_t n, unsigned seed)
{
	for (size_t i = 0; i < n; i++) {
		seed = seed * 1103515245u + 12345u;
		buf[i] = (unsigned char) (seed >> 16);
	}
}

/* Encrypts pt with one keyring and the options given. */
static int
enc(mao_keyring *kr, const mao_ec *ec, uint16_t suite, uint32_t fl, int nonframed,
	const unsigned char *pt, size_t len, mao_buf *out)
{
	mao_esdk_encrypt_opts o;
	mao_keyring *krs[1] = {kr};
	mao_err err;
	int rc;

	mao_esdk_encrypt_opts_init(&o);
	o.keyrings = krs;
	o.n_keyrings = 1;
	o.ec = ec;
	o.suite_id = suite;
	o.frame_length = fl;
	o.nonframed = nonframed;
	rc = mao_esdk_encrypt(&o, pt, len, out, &err);
	if (rc != MAO_OK)
		fprintf(stderr, "encrypt: %s\n", err.msg);
	return rc;
}

/* One-shot decrypt with one keyring (and an optional reproduced context). */
static int
dec(mao_keyring *kr, const mao_ec *rep, const void *ct, size_t len, mao_buf *out, mao_err *err)
{
	mao_esdk_decrypt_opts o;
	mao_keyring *krs[1] = {kr};

	mao_esdk_decrypt_opts_init(&o);
	o.keyrings = krs;
	o.n_keyrings = 1;
	o.reproduced_ec = rep;
	return mao_esdk_decrypt(&o, ct, len, out, NULL, err);
}

/* Every suite, frame lengths around the payload size, streaming both ways. */
static void
test_round_trips(t_ctx *t, mao_keyring *kr)
{
	static const size_t sizes[] = {0, 1, 100, 127, 128, 129, 4096, 10000, 65536, 100001};
	static const uint32_t frames[] = {1, 128, 4096, 65536};
	unsigned char *pt = malloc(100001);
	mao_ec ec = MAO_EC_INIT;
	int n = 0;

	pattern(pt, 100001, 7);
	mao_ec_set_str(&ec, "purpose", "test", NULL);
	for (size_t s = 0; mao_esdk_suite_at(s) != NULL; s++) {
		uint16_t suite = mao_esdk_suite_at(s)->id;

		for (size_t i = 0; i < sizeof(sizes) / sizeof(sizes[0]); i++)
			for (size_t f = 0; f < sizeof(frames) / sizeof(frames[0]) + 1; f++) {
				int nonframed = f == sizeof(frames) / sizeof(frames[0]);
				uint32_t fl = nonframed ? 0 : frames[f];
				mao_buf ct = MAO_BUF_INIT, out = MAO_BUF_INIT;
				mao_esdk_header h;
				mao_err err;
				mao_esdk_decrypt_opts o;
				mao_keyring *krs[1] = {kr};

				if (fl == 1 && sizes[i] > 200)
					continue;
				if (!T_CHECK(t, enc(kr, &ec, suite, fl, nonframed, pt, sizes[i], &ct) == MAO_OK,
							 "encrypt suite %04x size %zu frame %u", suite, sizes[i], fl))
					continue;
				mao_esdk_decrypt_opts_init(&o);
				o.keyrings = krs;
				o.n_keyrings = 1;
				o.reproduced_ec = &ec;
				T_CHECK(t, mao_esdk_decrypt(&o, ct.data, ct.len, &out, &h, &err) == MAO_OK,
						"decrypt suite %04x size %zu frame %u: %s", suite, sizes[i], fl, err.msg);
				T_SAME(t, "round trip", (char *) pt, sizes[i], out.data, out.len);
				T_CHECK(t, h.suite != NULL && h.suite->id == suite && h.frame_length == fl &&
						mao_ec_get(&h.ec, "purpose") != NULL, "header of suite %04x", suite);
				mao_esdk_header_free(&h);
				/* streaming decrypt in chunks of 1000 bytes */
				{
					mao_esdk_decryptor *d;
					mao_buf so = MAO_BUF_INIT;
					int rc = mao_esdk_decryptor_new(&o, &d, &err);

					for (size_t p = 0; rc == MAO_OK && p < ct.len; p += 1000)
						rc = mao_esdk_decrypt_update(d, ct.data + p, ct.len - p < 1000 ? ct.len - p : 1000, &so, &err);
					if (rc == MAO_OK)
						rc = mao_esdk_decrypt_finish(d, &so, &err);
					T_CHECK(t, rc == MAO_OK, "streaming decrypt: %s", err.msg);
					T_SAME(t, "streamed", (char *) pt, sizes[i], so.data, so.len);
					mao_esdk_decryptor_free(d);
					mao_buf_free(&so);
				}
				n++;
				mao_buf_free(&ct);
				mao_buf_free(&out);
			}
	}
	/* streaming encrypt in uneven pieces equals a valid message */
	{
		mao_esdk_encrypt_opts o;
		mao_keyring *krs[1] = {kr};
		mao_esdk_encryptor *e;
		mao_buf ct = MAO_BUF_INIT, out = MAO_BUF_INIT;
		mao_err err;
		size_t p = 0, step = 1;
		int rc;

		mao_esdk_encrypt_opts_init(&o);
		o.keyrings = krs;
		o.n_keyrings = 1;
		o.frame_length = 100;
		rc = mao_esdk_encryptor_new(&o, &e, &err);
		while (rc == MAO_OK && p < 10000) {
			size_t k = step > 10000 - p ? 10000 - p : step;

			rc = mao_esdk_encrypt_update(e, pt + p, k, &ct, &err);
			p += k;
			step = step * 3 % 257 + 1;
		}
		if (rc == MAO_OK)
			rc = mao_esdk_encrypt_finish(e, &ct, &err);
		mao_esdk_encryptor_free(e);
		T_CHECK(t, rc == MAO_OK && dec(kr, NULL, ct.data, ct.len, &out, &err) == MAO_OK,
				"streamed encrypt decrypts: %s", err.msg);
		T_SAME(t, "streamed encrypt", (char *) pt, 10000, out.data, out.len);
		/* 10000 = 100 frames of 100: 99 regular frames and a full final frame */
		T_CHECK(t, ct.len > 0, "non-empty");
		mao_buf_free(&ct);
		mao_buf_free(&out);
	}
	printf("round trips: %d (11 suites, sizes 0..100001, frames 1..65536 and non-framed)\n", n);
	mao_ec_free(&ec);
	free(pt);
}

/*
 * Flips every bit pattern 0x01 and 0x80 of every byte of a small message
 * of `suite` and checks that decryption fails, one-shot with nothing
 * released and streaming with nothing but authentic earlier frames.
 */
static void
test_tamper(t_ctx *t, mao_keyring *kr, uint16_t suite, int nonframed)
{
	unsigned char pt[100];
	mao_buf ct = MAO_BUF_INIT;
	mao_ec ec = MAO_EC_INIT;
	int rejected = 0, total = 0;

	pattern(pt, sizeof(pt), 3);
	mao_ec_set_str(&ec, "k", "v", NULL);
	if (!T_CHECK(t, enc(kr, &ec, suite, 32, nonframed, pt, sizeof(pt), &ct) == MAO_OK, "encrypt"))
		return;
	for (size_t i = 0; i < ct.len; i++)
		for (int b = 0; b < 2; b++) {
			mao_buf out = MAO_BUF_INIT, so = MAO_BUF_INIT;
			mao_err err;
			mao_esdk_decrypt_opts o;
			mao_keyring *krs[1] = {kr};
			mao_esdk_decryptor *d;
			int rc;

			ct.data[i] ^= (char) (b ? 0x80 : 0x01);
			total++;
			rc = dec(kr, NULL, ct.data, ct.len, &out, &err);
			if (T_CHECK(t, rc != MAO_OK && out.len == 0, "suite %04x: flipped byte %zu (of %zu) rejected",
						suite, i, ct.len))
				rejected++;
			mao_esdk_decrypt_opts_init(&o);
			o.keyrings = krs;
			o.n_keyrings = 1;
			rc = mao_esdk_decryptor_new(&o, &d, &err);
			for (size_t p = 0; rc == MAO_OK && p < ct.len; p += 7)
				rc = mao_esdk_decrypt_update(d, ct.data + p, ct.len - p < 7 ? ct.len - p : 7, &so, &err);
			if (rc == MAO_OK)
				rc = mao_esdk_decrypt_finish(d, &so, &err);
			T_CHECK(t, rc != MAO_OK && so.len < sizeof(pt) && memcmp(so.data ? so.data : "", pt, so.len) == 0,
					"suite %04x: streaming, flipped byte %zu: only authentic frames released", suite, i);
			mao_esdk_decryptor_free(d);
			ct.data[i] ^= (char) (b ? 0x80 : 0x01);
			mao_buf_free(&out);
			mao_buf_free(&so);
		}
	printf("tampering suite %04x%s: %d of %d single-byte flips rejected (%zu-byte message)\n", suite,
		   nonframed ? " non-framed" : "", rejected, total, ct.len);
	mao_buf_free(&ct);
	mao_ec_free(&ec);
}

/*
 * Every strict prefix fails; streamed, a prefix releases only whole
 * authentic frames and (signed suites) never the final frame; trailing
 * bytes fail.
 */
static void
test_truncation(t_ctx *t, mao_keyring *kr, uint16_t suite)
{
	unsigned char pt[300];
	mao_buf ct = MAO_BUF_INIT;
	int is_signed = mao_esdk_suite_by_id(suite)->signature != MAO_SIG_NONE;
	int n = 0;

	pattern(pt, sizeof(pt), 11);
	if (!T_CHECK(t, enc(kr, NULL, suite, 64, 0, pt, sizeof(pt), &ct) == MAO_OK, "encrypt"))
		return;
	for (size_t cut = 0; cut < ct.len; cut++) {
		mao_buf out = MAO_BUF_INIT, so = MAO_BUF_INIT;
		mao_esdk_decrypt_opts o;
		mao_keyring *krs[1] = {kr};
		mao_esdk_decryptor *d;
		mao_err err;
		int rc;

		rc = dec(kr, NULL, ct.data, cut, &out, &err);
		T_CHECK(t, rc != MAO_OK && out.len == 0, "suite %04x: prefix of %zu bytes rejected", suite, cut);
		mao_esdk_decrypt_opts_init(&o);
		o.keyrings = krs;
		o.n_keyrings = 1;
		rc = mao_esdk_decryptor_new(&o, &d, &err);
		if (rc == MAO_OK)
			rc = mao_esdk_decrypt_update(d, ct.data, cut, &so, &err);
		T_CHECK(t, rc == MAO_OK, "prefix %zu: no error before the end", cut);
		T_CHECK(t, so.len % 64 == 0 && so.len <= (is_signed ? 256u : 300u) &&
				memcmp(so.data ? so.data : "", pt, so.len) == 0,
				"suite %04x: prefix %zu released %zu bytes", suite, cut, so.len);
		T_CHECK(t, mao_esdk_decrypt_finish(d, &so, &err) != MAO_OK && strstr(err.msg, "truncated") != NULL,
				"prefix %zu: finish says truncated", cut);
		mao_esdk_decryptor_free(d);
		mao_buf_free(&out);
		mao_buf_free(&so);
		n++;
	}
	{
		mao_buf out = MAO_BUF_INIT;
		mao_err err;

		mao_buf_append(&ct, "\0", 1);
		T_CHECK(t, dec(kr, NULL, ct.data, ct.len, &out, &err) != MAO_OK && out.len == 0,
				"suite %04x: a trailing byte is rejected", suite);
		mao_buf_free(&out);
	}
	printf("truncation suite %04x: %d prefixes rejected\n", suite, n);
	mao_buf_free(&ct);
}

/* Wrong wrapping key, wrong name, wrong or missing context values. */
static void
test_wrong_key_context(t_ctx *t, mao_keyring *kr)
{
	mao_keyring *other = NULL, *renamed = NULL;
	mao_ec ec = MAO_EC_INIT, bad = MAO_EC_INIT, extra = MAO_EC_INIT;
	mao_buf ct = MAO_BUF_INIT, out = MAO_BUF_INIT;
	unsigned char pt[50];
	mao_err err;

	pattern(pt, sizeof(pt), 5);
	mao_ec_set_str(&ec, "mao:account", "123456789012", NULL);
	mao_raw_aes_keyring_new("mao", "key-1", key2, 32, &other, NULL);
	mao_raw_aes_keyring_new("mao", "key-2", key1, 32, &renamed, NULL);
	enc(kr, &ec, 0, 0, 0, pt, sizeof(pt), &ct);
	T_CHECK(t, dec(other, NULL, ct.data, ct.len, &out, &err) != MAO_OK && out.len == 0 &&
			strstr(err.msg, "does not unwrap") != NULL, "wrong wrapping key: %s", err.msg);
	T_CHECK(t, dec(renamed, NULL, ct.data, ct.len, &out, &err) != MAO_OK && out.len == 0 &&
			strstr(err.msg, "no encrypted data key") != NULL, "wrong key name: %s", err.msg);
	mao_ec_set_str(&bad, "mao:account", "999999999999", NULL);
	T_CHECK(t, dec(kr, &bad, ct.data, ct.len, &out, &err) != MAO_OK && out.len == 0 &&
			strstr(err.msg, "mismatch") != NULL, "different context value: %s", err.msg);
	mao_ec_set_str(&extra, "mao:region", "eu-west-1", NULL);
	T_CHECK(t, dec(kr, &extra, ct.data, ct.len, &out, &err) != MAO_OK && out.len == 0,
			"a context key the message lacks: %s", err.msg);
	T_CHECK(t, dec(kr, &ec, ct.data, ct.len, &out, &err) == MAO_OK && out.len == sizeof(pt),
			"the right context: %s", err.msg);
	/* a context that is bound at encryption but not stored authenticates only with it */
	mao_keyring_free(other);
	mao_keyring_free(renamed);
	mao_ec_free(&ec);
	mao_ec_free(&bad);
	mao_ec_free(&extra);
	mao_buf_free(&ct);
	mao_buf_free(&out);
}

/* Headers that claim huge sizes fail at once. */
static void
test_huge_claims(t_ctx *t, mao_keyring *kr)
{
	unsigned char pt[10] = "0123456789";
	mao_buf ct = MAO_BUF_INIT, out = MAO_BUF_INIT;
	mao_esdk_header h;
	mao_esdk_limits lim;
	size_t used;
	mao_err err;

	mao_esdk_limits_default(&lim);
	/* a v2 framed message; patch its frame length to 0xffffffff */
	enc(kr, NULL, 0x0478, 4096, 0, pt, sizeof(pt), &ct);
	if (mao_esdk_header_parse((unsigned char *) ct.data, ct.len, &lim, &h, &used, &err) == MAO_OK && used > 0) {
		size_t fl_off = h.body_len - 32 - 4;
		mao_buf copy = MAO_BUF_INIT;

		mao_esdk_header_free(&h);
		mao_buf_append(&copy, ct.data, ct.len);
		memset(copy.data + fl_off, 0xff, 4);
		T_CHECK(t, dec(kr, NULL, copy.data, copy.len, &out, &err) != MAO_OK &&
				strstr(err.msg, "frame length") != NULL, "frame length 2^32-1: %s", err.msg);
		/* EDK count 0xffff */
		mao_buf_reset(&copy);
		mao_buf_append(&copy, ct.data, ct.len);
		{
			size_t off = 1 + 2 + 32 + 2; /* version, suite, message id, AAD length (empty AAD) */

			copy.data[off] = (char) 0xff;
			copy.data[off + 1] = (char) 0xff;
			T_CHECK(t, dec(kr, NULL, copy.data, copy.len, &out, &err) != MAO_OK &&
					strstr(err.msg, "encrypted data keys") != NULL, "65535 EDKs: %s", err.msg);
		}
		mao_buf_free(&copy);
	}
	mao_buf_reset(&ct);
	/* non-framed body claiming 2^40 bytes */
	enc(kr, NULL, 0x0478, 0, 1, pt, sizeof(pt), &ct);
	if (mao_esdk_header_parse((unsigned char *) ct.data, ct.len, &lim, &h, &used, &err) == MAO_OK && used > 0) {
		mao_esdk_decryptor *d;
		mao_esdk_decrypt_opts o;
		mao_keyring *krs[1] = {kr};

		ct.data[used + 12 + 2] = 0x01; /* content length 0x0000_0100_0000_000a */
		T_CHECK(t, dec(kr, NULL, ct.data, ct.len, &out, &err) != MAO_OK && strstr(err.msg, "limit") != NULL,
				"huge non-framed body: %s", err.msg);
		/* streaming: the claim fails as soon as its 20 bytes arrive */
		mao_esdk_decrypt_opts_init(&o);
		o.keyrings = krs;
		o.n_keyrings = 1;
		mao_esdk_decryptor_new(&o, &d, &err);
		T_CHECK(t, mao_esdk_decrypt_update(d, ct.data, used + 20, &out, &err) != MAO_OK,
				"huge body fails before its bytes arrive");
		mao_esdk_decryptor_free(d);
		mao_esdk_header_free(&h);
	}
	/* body limit: 10 bytes allowed, 11 sent */
	{
		mao_esdk_decrypt_opts o;
		mao_keyring *krs[1] = {kr};

		mao_buf_reset(&ct);
		enc(kr, NULL, 0, 4, 0, pt, sizeof(pt), &ct);
		mao_esdk_decrypt_opts_init(&o);
		o.keyrings = krs;
		o.n_keyrings = 1;
		o.limits.max_body = 9;
		T_CHECK(t, mao_esdk_decrypt(&o, ct.data, ct.len, &out, NULL, &err) != MAO_OK && out.len == 0,
				"body limit: %s", err.msg);
		o.limits.max_body = 10;
		T_CHECK(t, mao_esdk_decrypt(&o, ct.data, ct.len, &out, NULL, &err) == MAO_OK, "at the body limit");
		mao_buf_reset(&out);
		o.limits.max_header = 100;
		T_CHECK(t, mao_esdk_decrypt(&o, ct.data, ct.len, &out, NULL, &err) != MAO_OK &&
				strstr(err.msg, "limit") != NULL, "header limit: %s", err.msg);
		o.limits.max_header = 1 << 20;
		o.require_commitment = 1;
		mao_buf_reset(&ct);
		enc(kr, NULL, 0x0178, 4, 0, pt, sizeof(pt), &ct);
		T_CHECK(t, mao_esdk_decrypt(&o, ct.data, ct.len, &out, NULL, &err) != MAO_OK,
				"commitment required: %s", err.msg);
	}
	/* garbage and an empty input */
	T_CHECK(t, dec(kr, NULL, "", 0, &out, &err) != MAO_OK, "empty input");
	T_CHECK(t, dec(kr, NULL, "{\"a\":1}", 7, &out, &err) != MAO_OK && strstr(err.msg, "not an ESDK") != NULL,
			"JSON is not a message: %s", err.msg);
	mao_buf_free(&ct);
	mao_buf_free(&out);
}

#if defined(__SANITIZE_ADDRESS__)
/* ASan's count of live heap bytes (compiler-rt's allocator interface). */
size_t __sanitizer_get_current_allocated_bytes(void);
#define HEAP_NOW() __sanitizer_get_current_allocated_bytes()
#else
#define HEAP_NOW() ((size_t) 0)
#endif

/*
 * Claims within the limits (a 16 MiB frame, a 3 GiB non-framed body) on
 * a short input: the decryptor waits for the bytes without reserving room
 * for them, so the heap grows by no more than the input.
 */
static void
test_claims_allocate_nothing(t_ctx *t, mao_keyring *kr)
{
	unsigned char pt[20] = "twenty bytes of text";
	mao_esdk_limits lim;
	int kinds;

	mao_esdk_limits_default(&lim);
	for (kinds = 0; kinds < 2; kinds++) {
		mao_buf ct = MAO_BUF_INIT, out = MAO_BUF_INIT;
		mao_esdk_decrypt_opts o;
		mao_esdk_decryptor *d;
		mao_esdk_header h;
		size_t used = 0, before, peak;
		mao_err err;
		int rc;

		enc(kr, NULL, 0x0478, kinds == 0 ? lim.max_frame_length : 0, kinds == 1, pt, sizeof(pt), &ct);
		if (!T_CHECK(t, mao_esdk_header_parse((unsigned char *) ct.data, ct.len, &lim, &h, &used, &err) == MAO_OK &&
					 used > 0, "header"))
			continue;
		mao_esdk_header_free(&h);
		if (kinds == 0)
			memcpy(ct.data + used, "\0\0\0\1", 4);  /* final frame -> a regular 16 MiB frame */
		else
			memcpy(ct.data + used + 12, "\0\0\0\0\xc0\0\0\0", 8); /* body of 3 GiB */
		mao_esdk_decrypt_opts_init(&o);
		o.keyrings = &kr;
		o.n_keyrings = 1;
		before = HEAP_NOW();
		rc = mao_esdk_decryptor_new(&o, &d, &err);
		if (rc == MAO_OK)
			rc = mao_esdk_decrypt_update(d, ct.data, ct.len, &out, &err);
		peak = HEAP_NOW();
		T_CHECK(t, rc == MAO_OK && out.len == 0, "%s claim waits for its bytes", kinds ? "body" : "frame");
		printf("%s claim: heap grew by %zu bytes for a %zu-byte input\n", kinds ? "body" : "frame", peak - before, ct.len);
		T_CHECK(t, peak - before < 64 * 1024 + ct.len, "%s claim: heap grew by %zu bytes only",
				kinds ? "body" : "frame", peak - before);
		T_CHECK(t, mao_esdk_decrypt_finish(d, &out, &err) != MAO_OK && strstr(err.msg, "truncated") != NULL,
				"then truncated: %s", err.msg);
		mao_esdk_decryptor_free(d);
		before = HEAP_NOW();
		T_CHECK(t, mao_esdk_decrypt(&o, ct.data, ct.len, &out, NULL, &err) != MAO_OK && out.len == 0,
				"one-shot: %s", err.msg);
		T_CHECK(t, out.cap < 64 * 1024 + ct.len, "one-shot reserved %zu bytes only", out.cap);
		mao_buf_free(&ct);
		mao_buf_free(&out);
	}
}

/* An in-process fake KMS: AES-GCM under a per-key secret, the context as AAD. */
typedef struct fake_kms {
	int calls_generate, calls_encrypt, calls_decrypt;
	int lie_about_arn;
} fake_kms;

/* The fake's key secret for an ARN (the ARN's SHA-256). */
static void
fake_secret(const char *arn, unsigned char k[32])
{
	mao_sha256(arn, strlen(arn), k);
}

/* Fake Encrypt: blob = ARN length, ARN, IV, ciphertext, tag. */
static int
fake_encrypt(void *ctx, const char *key_id, const mao_ec *ec, const unsigned char *pt,
			 size_t len, mao_buf *blob, mao_buf *key_arn, mao_err *err)
{
	unsigned char k[32], iv[12] = {1, 2, 3}, tag[16], ctb[64];
	mao_buf aad = MAO_BUF_INIT;
	mao_gcm g;

	((fake_kms *) ctx)->calls_encrypt++;
	if (strncmp(key_id, "arn:aws:kms:", 12) != 0 || len > 64)
		return mao_err_set(err, MAO_ERR_AWS, "NotFoundException");
	fake_secret(key_id, k);
	mao_ec_serialize(ec, &aad, NULL);
	mao_gcm_init(&g, 1, k, 32);
	mao_gcm_run(&g, iv, aad.data, aad.len, pt, len, ctb, tag);
	mao_gcm_free(&g);
	mao_buf_append_char(blob, (char) strlen(key_id));
	mao_buf_append_str(blob, key_id);
	mao_buf_append(blob, iv, 12);
	mao_buf_append(blob, ctb, len);
	mao_buf_append(blob, tag, 16);
	mao_buf_append_str(key_arn, key_id);
	mao_buf_free(&aad);
	return MAO_OK;
}

/* Fake GenerateDataKey: random-ish bytes, then Encrypt. */
static int
fake_generate(void *ctx, const char *key_id, const mao_ec *ec, size_t n, mao_buf *pt,
			  mao_buf *blob, mao_buf *key_arn, mao_err *err)
{
	unsigned char dk[32];

	((fake_kms *) ctx)->calls_generate++;
	pattern(dk, sizeof(dk), (unsigned) ((fake_kms *) ctx)->calls_generate * 77u);
	mao_buf_append(pt, dk, n);
	((fake_kms *) ctx)->calls_encrypt--;
	return fake_encrypt(ctx, key_id, ec, dk, n, blob, key_arn, err);
}

/* Fake Decrypt: checks KeyId against the blob's key, opens with the context. */
static int
fake_decrypt(void *ctx, const char *key_id, const mao_ec *ec, const unsigned char *blob,
			 size_t len, mao_buf *pt, mao_buf *key_arn, mao_err *err)
{
	fake_kms *f = ctx;
	unsigned char k[32], out[64], tag[16];
	mao_buf aad = MAO_BUF_INIT;
	size_t al, clen;
	char arn[256];
	mao_gcm g;
	int rc;

	f->calls_decrypt++;
	if (len < 1 || (al = blob[0]) + 1 + 12 + 16 > len || len - al - 29 > 64)
		return mao_err_set(err, MAO_ERR_AWS, "InvalidCiphertextException");
	memcpy(arn, blob + 1, al);
	arn[al] = '\0';
	if (strcmp(arn, key_id) != 0)
		return mao_err_set(err, MAO_ERR_AWS, "IncorrectKeyException");
	clen = len - al - 29;
	fake_secret(arn, k);
	mao_ec_serialize(ec, &aad, NULL);
	memcpy(tag, blob + len - 16, 16);
	mao_gcm_init(&g, 0, k, 32);
	rc = mao_gcm_run(&g, blob + 1 + al, aad.data, aad.len, blob + 1 + al + 12, clen, out, tag);
	mao_gcm_free(&g);
	mao_buf_free(&aad);
	if (rc != MAO_OK)
		return mao_err_set(err, MAO_ERR_AWS, "InvalidCiphertextException");
	mao_buf_append(pt, out, clen);
	mao_buf_append_str(key_arn, f->lie_about_arn ? "arn:aws:kms:eu-west-1:111122223333:key/other" : arn);
	return MAO_OK;
}

/* The KMS keyring against the fake. */
static void
test_kms_keyring(t_ctx *t, mao_keyring *raw)
{
	static const char *a1 = "arn:aws:kms:eu-west-1:111122223333:key/1111";
	static const char *a2 = "arn:aws:kms:eu-west-1:111122223333:key/2222";
	static const char *a3 = "arn:aws:kms:eu-west-1:111122223333:key/3333";
	fake_kms f = {0, 0, 0, 0};
	mao_kms_ops ops = {&f, fake_generate, fake_encrypt, fake_decrypt};
	const char *both[2] = {a1, a2};
	mao_keyring *enc_kr = NULL, *k2 = NULL, *k3 = NULL, *krs[2];
	mao_esdk_encrypt_opts eo;
	mao_esdk_decrypt_opts o;
	mao_ec ec = MAO_EC_INIT;
	mao_buf ct = MAO_BUF_INIT, out = MAO_BUF_INIT;
	mao_esdk_header h;
	mao_err err;
	int rc;

	mao_envelope_ctx_set(&ec, "123456789012", "eu-west-1", "2026-11-26", "daily", NULL);
	T_CHECK(t, mao_kms_keyring_new(&ops, both, 2, &enc_kr, &err) == MAO_OK, "KMS keyring: %s", err.msg);
	mao_kms_keyring_new(&ops, &a2, 1, &k2, NULL);
	mao_kms_keyring_new(&ops, &a3, 1, &k3, NULL);
	/* KMS generator plus a raw AES key in the same message */
	krs[0] = enc_kr;
	krs[1] = raw;
	mao_esdk_encrypt_opts_init(&eo);
	eo.keyrings = krs;
	eo.n_keyrings = 2;
	eo.ec = &ec;
	rc = mao_esdk_encrypt(&eo, "hello", 5, &ct, &err);
	T_CHECK(t, rc == MAO_OK && f.calls_generate == 1 && f.calls_encrypt == 1, "encrypt: %s (%d generate, %d encrypt)",
			err.msg, f.calls_generate, f.calls_encrypt);
	mao_esdk_decrypt_opts_init(&o);
	o.keyrings = &k2;
	o.n_keyrings = 1;
	rc = mao_esdk_decrypt(&o, ct.data, ct.len, &out, &h, &err);
	T_CHECK(t, rc == MAO_OK && out.len == 5 && f.calls_decrypt == 1, "decrypt with the second ARN: %s", err.msg);
	if (rc == MAO_OK) {
		T_CHECK(t, h.n_edks == 3, "three EDKs (%zu)", h.n_edks);
		T_STREQ(t, "EDK 0 provider", "aws-kms", h.edks[0].provider_id);
		T_STREQ(t, "EDK 0 key", a1, (char *) h.edks[0].provider_info);
		T_STREQ(t, "EDK 1 key", a2, (char *) h.edks[1].provider_info);
		T_CHECK(t, mao_envelope_ctx_check(&h.ec, "data/123456789012/eu-west-1/2026-11-26_daily.json.gz.enc", &err) == MAO_OK,
				"context matches its key: %s", err.msg);
	}
	mao_esdk_header_free(&h);
	mao_buf_reset(&out);
	/* an ARN that is not in the message: KMS is not even called */
	f.calls_decrypt = 0;
	o.keyrings = &k3;
	T_CHECK(t, mao_esdk_decrypt(&o, ct.data, ct.len, &out, NULL, &err) != MAO_OK && f.calls_decrypt == 0,
			"unconfigured ARN: no KMS call (%s)", err.msg);
	/* KMS answering for another key is refused */
	f.lie_about_arn = 1;
	o.keyrings = &k2;
	T_CHECK(t, mao_esdk_decrypt(&o, ct.data, ct.len, &out, NULL, &err) != MAO_OK && out.len == 0,
			"a Decrypt answered by another key is refused: %s", err.msg);
	f.lie_about_arn = 0;
	/* the raw AES key alone opens it too */
	o.keyrings = &raw;
	T_CHECK(t, mao_esdk_decrypt(&o, ct.data, ct.len, &out, NULL, &err) == MAO_OK && out.len == 5,
			"raw AES key of the same message: %s", err.msg);
	mao_buf_reset(&out);
	/* a context tampered in transit: KMS refuses (its AAD) before the header check */
	{
		mao_ec wrong = MAO_EC_INIT;

		mao_ec_set_str(&wrong, MAO_EC_DATE, "2026-11-27", NULL);
		o.keyrings = &k2;
		o.reproduced_ec = &wrong;
		T_CHECK(t, mao_esdk_decrypt(&o, ct.data, ct.len, &out, NULL, &err) != MAO_OK, "wrong date: %s", err.msg);
		o.reproduced_ec = NULL;
		mao_ec_free(&wrong);
	}
	T_CHECK(t, mao_kms_keyring_new(&ops, NULL, 0, &(mao_keyring *) {NULL}, &err) != MAO_OK, "no key id");
	mao_keyring_free(enc_kr);
	mao_keyring_free(k2);
	mao_keyring_free(k3);
	mao_ec_free(&ec);
	mao_buf_free(&ct);
	mao_buf_free(&out);
}

/* Context wire form and the MAO key check. */
static void
test_contexts(t_ctx *t)
{
	mao_ec ec = MAO_EC_INIT, back = MAO_EC_INIT;
	mao_buf w = MAO_BUF_INIT;
	mao_err err;
	static const unsigned char dup[] = {0, 2, 0, 1, 'a', 0, 1, 'x', 0, 1, 'a', 0, 1, 'y'};
	static const unsigned char zero[] = {0, 0};
	static const unsigned char unsorted[] = {0, 2, 0, 1, 'b', 0, 1, 'x', 0, 1, 'a', 0, 1, 'y'};
	static const unsigned char badutf[] = {0, 1, 0, 1, 0xff, 0, 0};

	mao_ec_set_str(&ec, "b", "2", NULL);
	mao_ec_set_str(&ec, "a", "1", NULL);
	mao_ec_set_str(&ec, "aa", "3", NULL);
	mao_ec_set_str(&ec, "a", "one", NULL);
	T_CHECK(t, ec.n == 3 && strcmp(ec.entries[0].key, "a") == 0 && strcmp(ec.entries[1].key, "aa") == 0 &&
			strcmp(ec.entries[0].value, "one") == 0, "sorted, replaced");
	mao_ec_serialize(&ec, &w, NULL);
	T_SAME(t, "wire form", "\0\3\0\1a\0\3one\0\2aa\0\0013\0\1b\0\0012", 23, w.data, w.len);
	T_CHECK(t, mao_ec_parse((unsigned char *) w.data, w.len, &back, &err) == MAO_OK && back.n == 3, "parse back");
	mao_ec_free(&back);
	T_CHECK(t, mao_ec_parse(dup, sizeof(dup), &back, &err) != MAO_OK, "duplicate key rejected");
	T_CHECK(t, mao_ec_parse(zero, sizeof(zero), &back, &err) != MAO_OK, "count 0 rejected");
	T_CHECK(t, mao_ec_parse(unsorted, sizeof(unsorted), &back, &err) == MAO_OK && back.n == 2 &&
			strcmp(back.entries[0].key, "a") == 0, "unsorted keys accepted, kept sorted");
	mao_ec_free(&back);
	T_CHECK(t, mao_ec_parse(badutf, sizeof(badutf), &back, &err) != MAO_OK, "bad UTF-8 rejected");
	T_CHECK(t, mao_ec_parse((unsigned char *) w.data, w.len - 1, &back, &err) != MAO_OK, "truncated rejected");
	T_CHECK(t, mao_ec_set(&ec, "k", 1, "\xc0\x80", 2, &err) != MAO_OK, "overlong UTF-8 rejected");
	mao_buf_reset(&w);
	mao_ec_free(&ec);
	mao_ec_serialize(&ec, &w, NULL);
	T_CHECK(t, w.len == 0, "empty context serialises to nothing");

	T_CHECK(t, mao_envelope_ctx_set(&ec, "123456789012", "eu-west-1", "2026-11-26", "daily", &err) == MAO_OK, "set");
	T_CHECK(t, mao_envelope_ctx_set(&ec, "12345678901", "eu-west-1", "2026-11-26", "daily", &err) != MAO_OK, "short account");
	T_CHECK(t, mao_envelope_ctx_set(&ec, "123456789012", "eu-west-1", "2026-13-26", "daily", &err) != MAO_OK, "bad month");
	T_CHECK(t, mao_envelope_ctx_check(&ec, "data/123456789012/eu-west-1/2026-11-26_daily.json.enc", &err) == MAO_OK,
			"matching key: %s", err.msg);
	T_CHECK(t, mao_envelope_ctx_check(&ec, "data/123456789012/eu-west-1/2026-11-26_daily", &err) == MAO_OK,
			"matching key without a suffix");
	T_CHECK(t, mao_envelope_ctx_check(&ec, "data/210987654321/eu-west-1/2026-11-26_daily.json.enc", &err) != MAO_OK &&
			strstr(err.msg, "mao:account") != NULL, "other account: %s", err.msg);
	T_CHECK(t, mao_envelope_ctx_check(&ec, "data/123456789012/us-east-1/2026-11-26_daily.json.enc", &err) != MAO_OK &&
			strstr(err.msg, "mao:region") != NULL, "other region: %s", err.msg);
	T_CHECK(t, mao_envelope_ctx_check(&ec, "data/123456789012/eu-west-1/2026-11-25_daily.json.enc", &err) != MAO_OK &&
			strstr(err.msg, "mao:date") != NULL, "other date: %s", err.msg);
	T_CHECK(t, mao_envelope_ctx_check(&ec, "data/123456789012/eu-west-1/2026-11-26_hourly.json.enc", &err) != MAO_OK &&
			strstr(err.msg, "mao:interval") != NULL, "other interval: %s", err.msg);
	T_CHECK(t, mao_envelope_ctx_check(&ec, "loaded/123456789012/eu-west-1/2026-11-26_daily.json.enc", &err) != MAO_OK &&
			strstr(err.msg, "loaded/") != NULL, "loaded/ is not a data key: %s", err.msg);
	T_CHECK(t, mao_envelope_ctx_check(&ec, "failed/123456789012/eu-west-1/2026-11-26_daily.json.enc", &err) != MAO_OK,
			"failed/ is not a data key");
	T_CHECK(t, mao_envelope_ctx_check(&ec, "data/123456789012/eu-west-1/x/2026-11-26_daily.json.enc", &err) != MAO_OK,
			"extra path level");
	T_CHECK(t, mao_envelope_ctx_check(&ec, "data/123456789012/eu-west-1/2026-11-26daily", &err) != MAO_OK, "no underscore");
	mao_ec_free(&ec);
	mao_ec_set_str(&ec, MAO_EC_ACCOUNT, "123456789012", NULL);
	T_CHECK(t, mao_envelope_ctx_check(&ec, "data/123456789012/eu-west-1/2026-11-26_daily.json.enc", &err) != MAO_OK &&
			strstr(err.msg, "no mao:region") != NULL, "missing key: %s", err.msg);
	mao_ec_free(&ec);
	mao_buf_free(&w);
}

/* gzip round trip, corruption, truncation, the bomb, detection. */
static void
test_gzip(t_ctx *t)
{
	size_t n = 3u << 20;
	unsigned char *big = calloc(1, n);
	mao_buf z = MAO_BUF_INIT, out = MAO_BUF_INIT;
	mao_err err;
	static const char json[] = "  {\"a\": [1, 2, 3]}";

	pattern(big, 1000, 1);
	T_CHECK(t, mao_gzip_compress(big, n, 6, &z, &err) == MAO_OK && z.len < n / 100, "compress 3 MiB: %zu bytes", z.len);
	T_CHECK(t, mao_payload_detect(z.data, z.len) == MAO_PAYLOAD_GZIP, "gzip detected");
	T_CHECK(t, mao_gzip_decompress(z.data, z.len, n, &out, &err) == MAO_OK, "decompress at the cap: %s", err.msg);
	T_SAME(t, "gzip round trip", (char *) big, n, out.data, out.len);
	mao_buf_reset(&out);
	T_CHECK(t, mao_gzip_decompress(z.data, z.len, n - 1, &out, &err) == MAO_ERR_TOO_LARGE && out.len == 0,
			"one byte over the cap: %s", err.msg);
	T_CHECK(t, mao_gzip_decompress(z.data, z.len - 1, n, &out, &err) != MAO_OK && out.len == 0, "truncated gzip");
	mao_buf_append_char(&z, 'x');
	T_CHECK(t, mao_gzip_decompress(z.data, z.len, n, &out, &err) != MAO_OK && out.len == 0, "trailing byte");
	/* the CRC-32 of the trailer (a flip inside a run of zeros may decode to the same bytes) */
	z.data[z.len - 1 - 8] ^= 0x55;
	T_CHECK(t, mao_gzip_decompress(z.data, z.len - 1, n, &out, &err) != MAO_OK && out.len == 0, "bad CRC: %s", err.msg);
	z.data[z.len - 1 - 8] ^= 0x55;
	z.data[3] = (char) 0xe0; /* reserved flag bits */
	T_CHECK(t, mao_gzip_decompress(z.data, z.len - 1, n, &out, &err) != MAO_OK && out.len == 0, "bad header: %s", err.msg);
	mao_buf_reset(&z);
	free(big);
	/* a bomb: 1 GiB of zeros compresses to about 1 MiB; the cap stops it at 16 MiB */
	{
		size_t chunk = 64u << 20;
		unsigned char *zeros = calloc(1, chunk);
		mao_buf bomb = MAO_BUF_INIT;

		mao_gzip_compress(zeros, chunk, 9, &bomb, NULL);
		free(zeros);
		T_CHECK(t, bomb.len < chunk / 500, "bomb of %zu bytes", bomb.len);
		T_CHECK(t, mao_gzip_decompress(bomb.data, bomb.len, 16u << 20, &out, &err) == MAO_ERR_TOO_LARGE &&
				out.len == 0 && out.cap <= (32u << 20) + 64, "bomb rejected (%s), buffer stayed within twice the cap", err.msg);
		mao_buf_free(&bomb);
	}
	mao_gzip_compress("", 0, -1, &z, NULL);
	T_CHECK(t, mao_gzip_decompress(z.data, z.len, 0, &out, &err) == MAO_OK && out.len == 0, "empty gzip: %s %zu", err.msg, z.len);
	T_CHECK(t, mao_payload_detect(json, strlen(json)) == MAO_PAYLOAD_JSON, "JSON detected");
	T_CHECK(t, mao_payload_detect("\xef\xbb\xbf[]", 5) == MAO_PAYLOAD_JSON, "JSON with a BOM");
	T_CHECK(t, mao_payload_detect("\x02\x04\x78", 3) == MAO_PAYLOAD_ESDK, "v2 message detected");
	T_CHECK(t, mao_payload_detect("\x01\x80\x03\x78", 4) == MAO_PAYLOAD_ESDK, "v1 message detected");
	T_CHECK(t, mao_payload_detect("\x02\x03\x78", 3) == MAO_PAYLOAD_UNKNOWN, "v1 suite in a v2 header is not");
	T_CHECK(t, mao_payload_detect("hello", 5) == MAO_PAYLOAD_UNKNOWN, "text is unknown");
	T_STREQ(t, "kind name", "esdk", mao_payload_kind_name(MAO_PAYLOAD_ESDK));
	mao_buf_free(&z);
	mao_buf_free(&out);
}

/* Runs everything. */
int
main(int argc, char **argv)
{
	t_ctx t = {0, 0};
	mao_keyring *kr = NULL;
	mao_err err;
	static const uint16_t tamper_suites[] = {0x0478, 0x0578, 0x0014, 0x0178, 0x0214, 0x0378};

	(void) argc;
	(void) argv;
	T_CHECK(&t, mao_raw_aes_keyring_new("mao", "key-1", key1, 32, &kr, &err) == MAO_OK, "keyring: %s", err.msg);
	T_CHECK(&t, mao_raw_aes_keyring_new("aws-kms", "x", key1, 32, &(mao_keyring *) {NULL}, &err) != MAO_OK,
			"raw AES namespace aws-kms refused");
	T_CHECK(&t, mao_raw_aes_keyring_new("mao", "x", key1, 31, &(mao_keyring *) {NULL}, &err) != MAO_OK,
			"31-byte key refused");
	test_round_trips(&t, kr);
	for (size_t i = 0; i < sizeof(tamper_suites) / sizeof(tamper_suites[0]); i++) {
		test_tamper(&t, kr, tamper_suites[i], 0);
		test_truncation(&t, kr, tamper_suites[i]);
	}
	test_tamper(&t, kr, 0x0478, 1);
	test_tamper(&t, kr, 0x0578, 1);
	test_wrong_key_context(&t, kr);
	test_huge_claims(&t, kr);
	test_claims_allocate_nothing(&t, kr);
	test_kms_keyring(&t, kr);
	test_contexts(&t);
	test_gzip(&t);
	mao_keyring_free(kr);
	return t_summary(&t, "test_esdk");
}
