/*
 * test_esdk_vectors.c - the ESDK decrypt vectors that use raw AES keyrings
 * (test/vectors/esdk/from-dafny: 77 plain and multi-keyring vectors and 55
 * with a reproduced encryption context, all eleven suites), their parsed
 * headers, and the 46 message format v2 commitment known-answer tests.
 *
 * Usage: test_esdk_vectors VECTOR_DIR   (test/vectors/esdk)
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "buf.h"
#include "codec.h"
#include "crypto_util.h"
#include "esdk_decrypt.h"
#include "esdk_kdf.h"
#include "esdk_raw_aes.h"
#include "esdk_sig.h"
#include "mini_json.h"
#include "testutil.h"

static const char *vdir;

/* Reads VECTOR_DIR/rel (a "file://" prefix is dropped); caller frees. */
static char *
read_rel(const char *sub, const char *rel, size_t *len)
{
	char path[1024];

	if (strncmp(rel, "file://", 7) == 0)
		rel += 7;
	snprintf(path, sizeof(path), "%s/%s%s%s", vdir, sub, *sub ? "/" : "", rel);
	return t_read_file(path, len);
}

/* Parses a JSON file under VECTOR_DIR. */
static mj_value *
load_json(const char *rel)
{
	size_t len;
	char *text = read_rel("", rel, &len), errbuf[200];
	mj_value *v;

	if (text == NULL)
		return NULL;
	v = mj_parse(text, len, errbuf, sizeof(errbuf));
	if (v == NULL)
		fprintf(stderr, "%s: %s\n", rel, errbuf);
	free(text);
	return v;
}

/* Builds a raw AES keyring from a "raw" key description and the keys manifest. */
static mao_keyring *
raw_keyring(const mj_value *keys, const mj_value *desc)
{
	const char *name = mj_get_string(desc, "key"), *pid = mj_get_string(desc, "provider-id");
	const mj_value *k = name ? mj_get(keys, name) : NULL;
	const char *mat = k ? mj_get_string(k, "material") : NULL;
	const char *kid = k ? mj_get_string(k, "key-id") : NULL;
	mao_buf raw = MAO_BUF_INIT;
	mao_keyring *kr = NULL;

	if (mat == NULL || pid == NULL || kid == NULL ||
		mao_base64_decode(&raw, mat, strlen(mat)) != MAO_OK)
		return NULL;
	mao_raw_aes_keyring_new(pid, kid, (unsigned char *) raw.data, raw.len, &kr, NULL);
	mao_buf_free(&raw);
	return kr;
}

/* Collects keyrings for a key description (raw, multi-keyring, required-EC CMM). */
static int
build_keyrings(const mj_value *keys, const mj_value *desc, mao_keyring **krs, size_t *n)
{
	const char *type = mj_get_string(desc, "type");

	if (type == NULL)
		return 0;
	if (strcmp(type, "raw") == 0) {
		if (*n >= 8 || (krs[*n] = raw_keyring(keys, desc)) == NULL)
			return 0;
		(*n)++;
		return 1;
	}
	if (strcmp(type, "multi-keyring") == 0) {
		const mj_value *g = mj_get(desc, "generator"), *c = mj_get(desc, "childKeyrings");

		if (g != NULL && !build_keyrings(keys, g, krs, n))
			return 0;
		for (size_t i = 0; c != NULL && i < c->n_items; i++)
			if (!build_keyrings(keys, &c->items[i], krs, n))
				return 0;
		return 1;
	}
	if (strcmp(type, "required-encryption-context-cmm") == 0)
		return build_keyrings(keys, mj_get(desc, "underlying"), krs, n);
	return 0;
}

/* Runs every scenario of one decrypt manifest; returns the number run. */
static int
run_manifest(t_ctx *t, const char *manifest, int *per_suite)
{
	mj_value *m = load_json(manifest), *keys = NULL;
	const mj_value *tests;
	int run = 0;

	if (!T_CHECK(t, m != NULL, "manifest %s loads", manifest))
		return 0;
	{
		char rel[256];
		const char *kf = m ? mj_get_string(m, "keys") : NULL;

		snprintf(rel, sizeof(rel), "from-dafny/%s", kf ? kf + 7 : "");
		keys = load_json(rel);
	}
	tests = mj_get(m, "tests");
	T_CHECK(t, keys != NULL && tests != NULL, "keys and tests of %s", manifest);
	for (size_t i = 0; keys && tests && i < tests->n_items; i++) {
		const char *id = tests->keys[i];
		const mj_value *sc = mj_get(&tests->items[i], "decryption-scenario");
		const mj_value *rep = mj_get(sc, "reproduced-encryption-context");
		mao_keyring *krs[8];
		size_t nk = 0, ct_len = 0, pt_len = 0;
		char *ct = read_rel("from-dafny", mj_get_string(sc, "ciphertext"), &ct_len);
		char *pt = read_rel("from-dafny", mj_get_string(sc, "result"), &pt_len);
		mao_esdk_decrypt_opts o;
		mao_ec rec = MAO_EC_INIT;
		mao_buf out = MAO_BUF_INIT;
		mao_esdk_header h;
		mao_err err;
		unsigned suite = (unsigned) strtoul(mj_get_string(sc, "algorithmSuiteId"), NULL, 16);
		int rc;

		if (!T_CHECK(t, ct && pt && build_keyrings(mj_get(keys, "keys"), mj_get(sc, "decryptKeyDescription"),
												   krs, &nk),
					 "%s: inputs", id)) {
			free(ct);
			free(pt);
			continue;
		}
		for (size_t j = 0; rep != NULL && j < rep->n_items; j++)
			mao_ec_set_str(&rec, rep->keys[j], rep->items[j].string, NULL);
		mao_esdk_decrypt_opts_init(&o);
		o.keyrings = krs;
		o.n_keyrings = nk;
		o.reproduced_ec = rec.n ? &rec : NULL;
		rc = mao_esdk_decrypt(&o, ct, ct_len, &out, &h, &err);
		if (T_CHECK(t, rc == MAO_OK, "%s (suite %04x): decrypt: %s", id, suite, err.msg)) {
			T_SAME(t, id, pt, pt_len, out.data, out.len);
			T_CHECK(t, h.suite->id == suite, "%s: suite", id);
			per_suite[h.suite->id]++;
		}
		/* the same message fed one byte at a time through the streaming API */
		if (run % 11 == 0) {
			mao_esdk_decryptor *d;
			mao_buf sout = MAO_BUF_INIT;

			rc = mao_esdk_decryptor_new(&o, &d, &err);
			for (size_t j = 0; rc == MAO_OK && j < ct_len; j++)
				rc = mao_esdk_decrypt_update(d, ct + j, 1, &sout, &err);
			if (rc == MAO_OK)
				rc = mao_esdk_decrypt_finish(d, &sout, &err);
			T_CHECK(t, rc == MAO_OK, "%s: byte-wise streaming: %s", id, err.msg);
			T_SAME(t, "streamed plaintext", pt, pt_len, sout.data, sout.len);
			mao_esdk_decryptor_free(d);
			mao_buf_free(&sout);
		}
		/* without the reproduced context these vectors cannot authenticate */
		if (rec.n > 0 && strstr(manifest, "required-ec") != NULL) {
			mao_buf o2 = MAO_BUF_INIT;

			o.reproduced_ec = NULL;
			rc = mao_esdk_decrypt(&o, ct, ct_len, &o2, NULL, &err);
			T_CHECK(t, rc != MAO_OK && o2.len == 0, "%s: fails without the reproduced context", id);
			mao_buf_free(&o2);
		}
		run++;
		mao_esdk_header_free(&h);
		mao_buf_free(&out);
		mao_ec_free(&rec);
		for (size_t j = 0; j < nk; j++)
			mao_keyring_free(krs[j]);
		free(ct);
		free(pt);
	}
	mj_free(keys);
	mj_free(m);
	return run;
}

/* Decodes the hex string s into out. */
static void
hex_decode(const char *s, mao_buf *out)
{
	for (size_t i = 0; s[i] && s[i + 1]; i += 2) {
		char b[3] = {s[i], s[i + 1], 0};
		mao_buf_append_char(out, (char) strtoul(b, NULL, 16));
	}
}

/* The parser agrees with raw-aes-headers.json and re-serialises each header body byte for byte. */
static void
test_headers(t_ctx *t)
{
	mj_value *hs = load_json("from-dafny/raw-aes-headers.json");
	mao_esdk_limits lim;
	int n = 0;

	mao_esdk_limits_default(&lim);
	if (!T_CHECK(t, hs != NULL, "raw-aes-headers.json loads"))
		return;
	for (size_t i = 0; i < hs->n_items; i++) {
		const mj_value *e = &hs->items[i], *ec = mj_get(e, "encryptionContext");
		const mj_value *edks = mj_get(e, "encryptedDataKeys");
		const char *id = hs->keys[i];
		size_t ct_len = 0, used = 0;
		char rel[200], *ct;
		mao_esdk_header h;
		mao_buf body = MAO_BUF_INIT, mid = MAO_BUF_INIT;
		mao_err err;

		snprintf(rel, sizeof(rel), "ciphertexts/%s", id);
		ct = read_rel("from-dafny", rel, &ct_len);
		if (!T_CHECK(t, ct != NULL, "%s: ciphertext", id))
			continue;
		if (T_CHECK(t, mao_esdk_header_parse((unsigned char *) ct, ct_len, &lim, &h, &used, &err) == MAO_OK &&
					used > 0, "%s: header parses: %s", id, err.msg)) {
			const char *mh = mj_get_string(e, "messageId");

			T_CHECK(t, h.version == (int) mj_get_number(e, "version", 0), "%s: version", id);
			T_CHECK(t, h.frame_length == (uint32_t) mj_get_number(e, "frameLength", -1), "%s: frame length", id);
			T_CHECK(t, h.body_len == (size_t) mj_get_number(e, "headerBodyLength", -1), "%s: body length", id);
			if (mh != NULL) {
				hex_decode(mh, &mid);
				T_SAME(t, "message id", mid.data, mid.len, (char *) h.message_id, h.message_id_len);
			}
			T_CHECK(t, ec == NULL || ec->n_items == h.ec.n, "%s: context entries", id);
			T_CHECK(t, edks != NULL && edks->n_items == h.n_edks, "%s: EDK count", id);
			for (size_t j = 0; edks != NULL && j < edks->n_items && j < h.n_edks; j++) {
				mao_buf info = MAO_BUF_INIT;
				const char *ih = mj_get_string(&edks->items[j], "providerInfoHex");

				hex_decode(ih ? ih : "", &info);
				T_STREQ(t, "provider id", mj_get_string(&edks->items[j], "providerId"), h.edks[j].provider_id);
				T_SAME(t, "provider info", info.data, info.len, (char *) h.edks[j].provider_info,
					   h.edks[j].provider_info_len);
				mao_buf_free(&info);
			}
			T_CHECK(t, mao_esdk_header_serialize_body(&h, &body, &err) == MAO_OK, "%s: serialise", id);
			T_SAME(t, "header body round trip", ct, h.body_len, body.data, body.len);
			mao_esdk_header_free(&h);
			n++;
		}
		/* every strict prefix of the header asks for more input */
		for (size_t cut = 0; cut < used; cut += 7) {
			size_t u2 = 1;
			int rc = mao_esdk_header_parse((unsigned char *) ct, cut, &lim, &h, &u2, &err);

			if (!T_CHECK(t, rc == MAO_OK && u2 == 0, "%s: prefix %zu wants more", id, cut))
				break;
		}
		mao_buf_free(&body);
		mao_buf_free(&mid);
		free(ct);
	}
	T_CHECK(t, n == 132, "132 headers checked (%d)", n);
	mj_free(hs);
}

typedef struct static_kr {
	mao_keyring base;
	unsigned char key[32];
} static_kr;

/* A test keyring that hands out a known data key for any EDK. */
static int
static_decrypt(mao_keyring *kr, mao_esdk_materials *m, const mao_esdk_edk *e, size_t n, mao_err *err)
{
	(void) e;
	(void) n;
	(void) err;
	memcpy(m->data_key, ((static_kr *) kr)->key, 32);
	m->has_data_key = 1;
	return MAO_OK;
}

/* Appends base64 field `key` of v decoded to out; 0 if absent. */
static int
b64_field(const mj_value *v, const char *key, mao_buf *out)
{
	const char *s = mj_get_string(v, key);

	return s != NULL && mao_base64_decode(out, s, strlen(s)) == MAO_OK;
}

/* The 46 commitment known-answer tests. */
static void
test_kat(t_ctx *t)
{
	mj_value *k = load_json("commitment-kat/commitment_known_answer_tests.json");
	const mj_value *tests = k ? mj_get(k, "tests") : NULL;
	int ok = 0, bad = 0;

	if (!T_CHECK(t, tests != NULL, "KAT file loads"))
		return;
	for (size_t i = 0; i < tests->n_items; i++) {
		const mj_value *v = &tests->items[i];
		const mj_value *frames = mj_get(v, "plaintext-frames");
		const char *comment = mj_get_string(v, "comment");
		mao_buf ct = MAO_BUF_INIT, dek = MAO_BUF_INIT, commit = MAO_BUF_INIT, cek = MAO_BUF_INIT;
		mao_buf mid = MAO_BUF_INIT, expect = MAO_BUF_INIT, out = MAO_BUF_INIT, hdr = MAO_BUF_INIT;
		static_kr kr = {{"static", NULL, static_decrypt, NULL}, {0}};
		mao_keyring *krs[1] = {&kr.base};
		mao_esdk_decrypt_opts o;
		mao_esdk_header h;
		mao_err err;
		int status = mj_get_bool(v, "status", 0), rc;

		T_CHECK(t, b64_field(v, "ciphertext", &ct) && b64_field(v, "decrypted-dek", &dek) &&
				b64_field(v, "commitment", &commit) && b64_field(v, "message-id", &mid) &&
				b64_field(v, "header", &hdr) && dek.len == 32, "KAT %s: fields", comment);
		if (dek.len == 32)
			memcpy(kr.key, dek.data, 32);
		for (size_t j = 0; frames != NULL && j < frames->n_items; j++)
			mao_buf_append_str(&expect, frames->items[j].string);
		mao_esdk_decrypt_opts_init(&o);
		o.keyrings = krs;
		o.n_keyrings = 1;
		o.require_commitment = 1;
		rc = mao_esdk_decrypt(&o, ct.data, ct.len, &out, &h, &err);
		if (status) {
			if (T_CHECK(t, rc == MAO_OK, "KAT %s: decrypts: %s", comment, err.msg)) {
				unsigned char ck[32], key[32];

				T_SAME(t, comment, expect.data, expect.len, out.data, out.len);
				T_SAME(t, "message id", mid.data, mid.len, (char *) h.message_id, h.message_id_len);
				T_CHECK(t, mao_esdk_commit_key(h.suite, dek.data ? (unsigned char *) dek.data : ck,
											   h.message_id, 32, ck) == MAO_OK &&
						commit.len == 32 && memcmp(ck, commit.data, 32) == 0, "KAT %s: commit key", comment);
				if (b64_field(v, "content-encryption-key", &cek))
					T_CHECK(t, mao_esdk_derive_key(h.suite, (unsigned char *) dek.data, h.message_id, 32, key) == MAO_OK &&
							cek.len == 32 && memcmp(key, cek.data, 32) == 0, "KAT %s: content key", comment);
				T_CHECK(t, h.total_len == hdr.len - (hdr.len > h.total_len ? hdr.len - h.total_len : 0),
						"KAT %s: header length", comment);
				ok++;
			}
		} else {
			T_CHECK(t, rc != MAO_OK && out.len == 0 && strstr(err.msg, "commitment") != NULL,
					"KAT %s: must fail on commitment (got %s)", comment, err.msg);
			bad++;
		}
		mao_esdk_header_free(&h);
		mao_buf_free(&ct);
		mao_buf_free(&dek);
		mao_buf_free(&commit);
		mao_buf_free(&cek);
		mao_buf_free(&mid);
		mao_buf_free(&expect);
		mao_buf_free(&out);
		mao_buf_free(&hdr);
	}
	T_CHECK(t, ok == 41 && bad == 5, "KATs: %d decrypted, %d rejected (41 and 5 expected)", ok, bad);
	printf("commitment KATs: %d decrypted, %d rejected\n", ok, bad);
	mj_free(k);
}

/* Runs everything against VECTOR_DIR. */
int
main(int argc, char **argv)
{
	t_ctx t = {0, 0};
	int per_suite[0x10000] = {0}, a, b, suites = 0;

	if (argc != 2) {
		fprintf(stderr, "usage: %s VECTOR_DIR\n", argv[0]);
		return 2;
	}
	vdir = argv[1];
	a = run_manifest(&t, "from-dafny/decrypt-manifest-raw-aes.json", per_suite);
	b = run_manifest(&t, "from-dafny/decrypt-manifest-raw-aes-required-ec.json", per_suite);
	T_CHECK(&t, a == 77 && b == 55, "vector counts: %d and %d (77 and 55 expected)", a, b);
	for (size_t i = 0; mao_esdk_suite_at(i) != NULL; i++) {
		int c = per_suite[mao_esdk_suite_at(i)->id];

		T_CHECK(&t, c == 12, "suite %04x: %d vectors decrypted (12 expected)", mao_esdk_suite_at(i)->id, c);
		printf("suite %04x: %d vectors decrypted\n", mao_esdk_suite_at(i)->id, c);
		suites += c > 0;
	}
	T_CHECK(&t, suites == 11, "all 11 suites covered");
	test_headers(&t);
	test_kat(&t);
	return t_summary(&t, "test_esdk_vectors");
}
