/*
 * fuzz_decrypt.c - libFuzzer target for the envelope's decrypt parser:
 * header parsing, the encryption context wire form, and the streaming
 * decryptor (fed in two pieces split at an input-chosen point) with raw AES
 * keyrings whose key matches the seed corpus, so mutated messages get past
 * the key unwrap and exercise the body and footer paths too.
 *
 * Build and run: see test/fuzz/README.md.
 */
#include <stddef.h>
#include <stdint.h>
#include <string.h>

#include "buf.h"
#include "esdk_decrypt.h"
#include "esdk_ec.h"
#include "esdk_header.h"
#include "esdk_raw_aes.h"

int LLVMFuzzerTestOneInput(const uint8_t *data, size_t size);

/* The corpus key (32 bytes of 0x42) under namespace "fuzz", name "k". */
static const unsigned char fuzz_key[32] = {
	0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42,
	0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42, 0x42};

/* One input: header parse, context parse, one-shot and split streaming decrypt. */
int
LLVMFuzzerTestOneInput(const uint8_t *data, size_t size)
{
	mao_keyring *kr = NULL;
	mao_esdk_decrypt_opts o;
	mao_esdk_limits lim;
	mao_esdk_header h;
	mao_buf out = MAO_BUF_INIT;
	mao_esdk_decryptor *d;
	mao_ec ec = MAO_EC_INIT;
	size_t used, split;

	mao_esdk_limits_default(&lim);
	lim.max_frame_length = 1u << 20;
	if (mao_esdk_header_parse(data, size, &lim, &h, &used, NULL) == MAO_OK && used > 0) {
		mao_buf body = MAO_BUF_INIT;

		/* what parses re-serialises to as many bytes (contexts come out sorted) and parses again */
		if (mao_esdk_header_serialize_body(&h, &body, NULL) == MAO_OK) {
			mao_esdk_header h2;
			size_t used2;

			if (body.len != h.body_len)
				__builtin_trap();
			mao_buf_append(&body, data + h.body_len, h.total_len - h.body_len);
			if (mao_esdk_header_parse((unsigned char *) body.data, body.len, &lim, &h2, &used2, NULL) != MAO_OK ||
				used2 != h.total_len || h2.n_edks != h.n_edks || h2.ec.n != h.ec.n)
				__builtin_trap();
			mao_esdk_header_free(&h2);
		}
		mao_buf_free(&body);
		mao_esdk_header_free(&h);
	}
	if (size < 4096 && mao_ec_parse(data, size, &ec, NULL) == MAO_OK) {
		mao_buf w = MAO_BUF_INIT;

		mao_ec back = MAO_EC_INIT;

		if (mao_ec_serialize(&ec, &w, NULL) != MAO_OK || w.len != size ||
			mao_ec_parse((unsigned char *) w.data, w.len, &back, NULL) != MAO_OK || back.n != ec.n)
			__builtin_trap();
		mao_ec_free(&back);
		mao_buf_free(&w);
	}
	mao_ec_free(&ec);
	if (mao_raw_aes_keyring_new("fuzz", "k", fuzz_key, 32, &kr, NULL) != MAO_OK)
		return 0;
	mao_esdk_decrypt_opts_init(&o);
	o.keyrings = &kr;
	o.n_keyrings = 1;
	o.limits = lim;
	if (mao_esdk_decrypt(&o, data, size, &out, NULL, NULL) != MAO_OK && out.len != 0)
		__builtin_trap(); /* one-shot is all or nothing */
	mao_buf_free(&out);
	split = size ? data[size - 1] % (size + 1) : 0;
	if (mao_esdk_decryptor_new(&o, &d, NULL) == MAO_OK) {
		if (mao_esdk_decrypt_update(d, data, split, &out, NULL) == MAO_OK &&
			mao_esdk_decrypt_update(d, data + split, size - split, &out, NULL) == MAO_OK)
			(void) mao_esdk_decrypt_finish(d, &out, NULL);
		mao_esdk_decryptor_free(d);
	}
	mao_buf_free(&out);
	mao_keyring_free(kr);
	return 0;
}
