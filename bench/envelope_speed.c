/*
 * envelope_speed.c - the envelope benchmark's measuring program: encrypt
 * and decrypt throughput of lib/esdk (one-shot API, in memory, raw AES
 * keyring, suite 0x0478) for one payload size and frame length.
 *
 *   envelope_speed BYTES FRAME_LENGTH SECONDS
 *
 * Prints "encrypt <bytes/s>" and "decrypt <bytes/s>": the best of as many
 * repetitions as fit in SECONDS (at least 3).  bench/envelope drives it.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <time.h>

#include "buf.h"
#include "esdk_decrypt.h"
#include "esdk_encrypt.h"
#include "esdk_raw_aes.h"

/* Monotonic seconds. */
static double
now(void)
{
	struct timespec ts;

	clock_gettime(CLOCK_MONOTONIC, &ts);
	return (double) ts.tv_sec + (double) ts.tv_nsec / 1e9;
}

/* Runs the measurement. */
int
main(int argc, char **argv)
{
	static const unsigned char key[32] = "bench-key-bench-key-bench-key-32";
	size_t size, i;
	unsigned long frame;
	double secs, best_enc = 0, best_dec = 0, start;
	unsigned char *pt;
	mao_keyring *kr = NULL;
	mao_esdk_encrypt_opts eo;
	mao_esdk_decrypt_opts dopt;
	mao_buf ct = MAO_BUF_INIT, out = MAO_BUF_INIT;
	mao_err err;
	int reps;

	if (argc != 4) {
		fprintf(stderr, "usage: envelope_speed BYTES FRAME_LENGTH SECONDS\n");
		return 2;
	}
	size = strtoul(argv[1], NULL, 10);
	frame = strtoul(argv[2], NULL, 10);
	secs = atof(argv[3]);
	pt = malloc(size ? size : 1);
	for (i = 0; i < size; i++)
		pt[i] = (unsigned char) (i * 31 + (i >> 12));
	if (pt == NULL || mao_raw_aes_keyring_new("bench", "k", key, 32, &kr, &err) != MAO_OK)
		return 1;
	mao_esdk_encrypt_opts_init(&eo);
	eo.keyrings = &kr;
	eo.n_keyrings = 1;
	eo.frame_length = (uint32_t) frame;
	mao_esdk_decrypt_opts_init(&dopt);
	dopt.keyrings = &kr;
	dopt.n_keyrings = 1;
	for (reps = 0, start = now(); reps < 3 || now() - start < secs; reps++) {
		double t0;

		mao_buf_reset(&ct);
		t0 = now();
		if (mao_esdk_encrypt(&eo, pt, size, &ct, &err) != MAO_OK) {
			fprintf(stderr, "encrypt: %s\n", err.msg);
			return 1;
		}
		t0 = now() - t0;
		if (best_enc == 0 || size / t0 > best_enc)
			best_enc = size / t0;
		mao_buf_reset(&out);
		t0 = now();
		if (mao_esdk_decrypt(&dopt, ct.data, ct.len, &out, NULL, &err) != MAO_OK || out.len != size) {
			fprintf(stderr, "decrypt: %s\n", err.msg);
			return 1;
		}
		t0 = now() - t0;
		if (best_dec == 0 || size / t0 > best_dec)
			best_dec = size / t0;
	}
	printf("encrypt %.0f\ndecrypt %.0f\nreps %d\n", best_enc, best_dec, reps);
	mao_buf_free(&ct);
	mao_buf_free(&out);
	mao_keyring_free(kr);
	free(pt);
	return 0;
}
