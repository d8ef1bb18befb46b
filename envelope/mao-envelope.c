/*
 * mao-envelope - encrypt, decrypt and inspect MAO envelopes (AWS Encryption
 * SDK messages) from the command line, for operators and tests.
 *
 *   mao-envelope encrypt|decrypt|inspect [options]      (--help for the list)
 *
 * Exit status: 0 success; 1 the message could not be encrypted, decrypted
 * or verified (bad data, wrong key or context, failed authentication);
 * 2 usage error; 3 input/output error.
 */
#include <errno.h>
#include <stdint.h>
#include <stdio.h>
#include <stdlib.h>
#include <string.h>
#include <unistd.h>

#include "buf.h"
#include "crypto_util.h"
#include "envelope_ctx.h"
#include "esdk_decrypt.h"
#include "esdk_encrypt.h"
#include "esdk_kms.h"
#include "esdk_kms_aws.h"
#include "esdk_raw_aes.h"
#include "http.h"

#define EXIT_CRYPTO 1
#define EXIT_USAGE 2
#define EXIT_IO 3
#define MAX_KEYRINGS 8
#define CHUNK (1u << 20)

static const char usage_text[] =
	"usage: mao-envelope encrypt|decrypt|inspect [options]\n"
	"\n"
	"  encrypt   plaintext in, AWS Encryption SDK message out (format v2,\n"
	"            suite 0x0478 = AES-256-GCM, HKDF-SHA512, key commitment)\n"
	"  decrypt   message in, plaintext out; frames are written only after\n"
	"            they authenticate (a failure can leave earlier, authentic\n"
	"            frames on stdout; with --out the file appears only on success)\n"
	"  inspect   print the message header as JSON (no key needed; the header\n"
	"            is NOT authenticated by inspect)\n"
	"\n"
	"options:\n"
	"  --raw-aes NAMESPACE:NAME:KEYFILE   raw AES keyring; KEYFILE holds the 32\n"
	"                                     raw key bytes (may be repeated)\n"
	"  --kms-key ARN                      AWS KMS keyring (may be repeated; the first\n"
	"                                     generates the data key); credentials, region\n"
	"                                     and endpoint (AWS_ENDPOINT_URL_KMS) as the\n"
	"                                     AWS SDKs find them\n"
	"  --context KEY=VALUE                encryption context (repeatable); on\n"
	"                                     decrypt, values the message must carry\n"
	"  --mao ACCOUNT:REGION:DATE:INTERVAL the MAO context (mao:account, ...)\n"
	"  --check-key S3KEY                  decrypt: the MAO context must match this\n"
	"                                     object key (data/<acct>/<region>/<date>_<interval>...)\n"
	"  --frame-length N                   encrypt: bytes per frame (default 4096)\n"
	"  --suite ID                         encrypt: algorithm suite (default 0x0478)\n"
	"  --max-size N                       decrypt: largest plaintext accepted\n"
	"                                     (default 4 GiB)\n"
	"  --in FILE, --out FILE              default stdin / stdout\n"
	"  --help\n";

typedef struct opts {
	const char *cmd;
	const char *in;
	const char *out;
	const char *check_key;
	mao_keyring *keyrings[MAX_KEYRINGS];
	size_t n_keyrings;
	mao_ec ec;
	const char *kms_keys[MAX_KEYRINGS];
	size_t n_kms;
	mao_kms_aws *kms;
	uint32_t frame_length;
	uint16_t suite;
	uint64_t max_size;
} opts;

/* Prints a message to stderr and returns the exit code. */
static int
fail(int code, const char *fmt, const char *arg)
{
	fprintf(stderr, "mao-envelope: ");
	fprintf(stderr, fmt, arg);
	fputc('\n', stderr);
	return code;
}

/* Reads a whole (small) file into a buffer; returns 0 on success. */
static int
read_small_file(const char *path, mao_buf *b, size_t max)
{
	FILE *f = fopen(path, "rb");
	char tmp[4096];
	size_t n;

	if (f == NULL)
		return -1;
	while ((n = fread(tmp, 1, sizeof(tmp), f)) > 0) {
		if (b->len + n > max) {
			fclose(f);
			mao_secure_zero(tmp, sizeof(tmp));
			return -2;
		}
		mao_buf_append(b, tmp, n);
	}
	mao_secure_zero(tmp, sizeof(tmp));
	n = (size_t) ferror(f);
	fclose(f);
	return n ? -1 : 0;
}

/* --raw-aes NAMESPACE:NAME:KEYFILE (the key file path may contain ':'). */
static int
add_raw_aes(opts *o, const char *spec)
{
	char *copy = strdup(spec), *name, *file;
	mao_buf key = MAO_BUF_INIT;
	mao_err err;
	int rc;

	if (copy == NULL)
		return fail(EXIT_IO, "%s", "out of memory");
	name = strchr(copy, ':');
	file = name ? strchr(name + 1, ':') : NULL;
	if (name == NULL || file == NULL || name == copy || file == name + 1 || file[1] == '\0') {
		free(copy);
		return fail(EXIT_USAGE, "--raw-aes wants NAMESPACE:NAME:KEYFILE, got \"%s\"", spec);
	}
	*name++ = '\0';
	*file++ = '\0';
	if (o->n_keyrings == MAX_KEYRINGS) {
		free(copy);
		return fail(EXIT_USAGE, "%s", "too many keyrings");
	}
	rc = read_small_file(file, &key, 64);
	if (rc != 0) {
		rc = rc == -2 ? fail(EXIT_USAGE, "key file %s is not 32 bytes", file)
			: fail(EXIT_IO, "cannot read key file %s", file);
		mao_buf_free(&key);
		free(copy);
		return rc;
	}
	if (key.len != 32) {
		mao_buf_free(&key);
		rc = fail(EXIT_USAGE, "key file %s must hold exactly 32 raw bytes", file);
		free(copy);
		return rc;
	}
	if (mao_raw_aes_keyring_new(copy, name, (unsigned char *) key.data, key.len,
								&o->keyrings[o->n_keyrings], &err) != MAO_OK) {
		mao_buf_free(&key);
		free(copy);
		return fail(EXIT_USAGE, "%s", err.msg);
	}
	o->n_keyrings++;
	mao_buf_free(&key);
	free(copy);
	return 0;
}

/* Parses a non-negative decimal number; returns 0 on success. */
static int
parse_u64(const char *s, uint64_t *v, int base)
{
	char *end;
	unsigned long long x;

	if (s == NULL || *s == '\0' || *s == '-')
		return -1;
	errno = 0;
	x = strtoull(s, &end, base);
	if (errno != 0 || *end != '\0')
		return -1;
	*v = x;
	return 0;
}

/* Parses the command line into o; returns 0 or an exit code. */
static int
parse_args(int argc, char **argv, opts *o)
{
	mao_err err;

	if (argc < 2)
		return fail(EXIT_USAGE, "%s", "missing command (encrypt, decrypt or inspect); see --help");
	if (strcmp(argv[1], "--help") == 0 || strcmp(argv[1], "-h") == 0) {
		fputs(usage_text, stdout);
		exit(0);
	}
	o->cmd = argv[1];
	if (strcmp(o->cmd, "encrypt") != 0 && strcmp(o->cmd, "decrypt") != 0 && strcmp(o->cmd, "inspect") != 0)
		return fail(EXIT_USAGE, "unknown command \"%s\"; see --help", o->cmd);
	for (int i = 2; i < argc; i++) {
		const char *a = argv[i], *v = i + 1 < argc ? argv[i + 1] : NULL;
		uint64_t n;
		int rc;

		if (strcmp(a, "--help") == 0 || strcmp(a, "-h") == 0) {
			fputs(usage_text, stdout);
			exit(0);
		}
		if (v == NULL)
			return fail(EXIT_USAGE, "%s needs a value (or unknown option)", a);
		i++;
		if (strcmp(a, "--raw-aes") == 0) {
			if ((rc = add_raw_aes(o, v)) != 0)
				return rc;
		} else if (strcmp(a, "--kms-key") == 0) {
			if (strncmp(v, "arn:", 4) != 0 || strstr(v, ":kms:") == NULL)
				return fail(EXIT_USAGE, "--kms-key wants a KMS key ARN (arn:aws:kms:REGION:ACCOUNT:key/ID), got \"%s\"", v);
			if (o->n_kms == MAX_KEYRINGS)
				return fail(EXIT_USAGE, "%s", "too many --kms-key");
			o->kms_keys[o->n_kms++] = v;
		} else if (strcmp(a, "--context") == 0) {
			const char *eq = strchr(v, '=');

			if (eq == NULL || eq == v)
				return fail(EXIT_USAGE, "--context wants KEY=VALUE, got \"%s\"", v);
			if (mao_ec_set(&o->ec, v, (size_t) (eq - v), eq + 1, strlen(eq + 1), &err) != MAO_OK)
				return fail(EXIT_USAGE, "--context: %s", err.msg);
		} else if (strcmp(a, "--mao") == 0) {
			char *c = strdup(v), *p[4] = {0};
			int k = 0;

			if (c == NULL)
				return fail(EXIT_IO, "%s", "out of memory");
			p[0] = c;
			for (char *s = c; *s && k < 3; s++)
				if (*s == ':') {
					*s = '\0';
					p[++k] = s + 1;
				}
			rc = k == 3 ? mao_envelope_ctx_set(&o->ec, p[0], p[1], p[2], p[3], &err) : MAO_ERR_INVALID;
			free(c);
			if (k != 3)
				return fail(EXIT_USAGE, "--mao wants ACCOUNT:REGION:DATE:INTERVAL, got \"%s\"", v);
			if (rc != MAO_OK)
				return fail(EXIT_USAGE, "--mao: %s", err.msg);
		} else if (strcmp(a, "--check-key") == 0) {
			o->check_key = v;
		} else if (strcmp(a, "--frame-length") == 0) {
			if (parse_u64(v, &n, 10) != 0 || n == 0 || n > 0xffffffffu)
				return fail(EXIT_USAGE, "--frame-length must be 1 to 4294967295, got \"%s\"", v);
			o->frame_length = (uint32_t) n;
		} else if (strcmp(a, "--suite") == 0) {
			if (parse_u64(v, &n, 16) != 0 || n > 0xffff || mao_esdk_suite_by_id((uint16_t) n) == NULL)
				return fail(EXIT_USAGE, "--suite: unknown algorithm suite \"%s\"", v);
			o->suite = (uint16_t) n;
		} else if (strcmp(a, "--max-size") == 0) {
			if (parse_u64(v, &n, 10) != 0)
				return fail(EXIT_USAGE, "--max-size must be a number of bytes, got \"%s\"", v);
			o->max_size = n;
		} else if (strcmp(a, "--in") == 0) {
			o->in = v;
		} else if (strcmp(a, "--out") == 0) {
			o->out = v;
		} else
			return fail(EXIT_USAGE, "unknown option \"%s\"; see --help", a);
	}
	if (o->n_kms > 0 && strcmp(o->cmd, "inspect") != 0) {
		mao_kms_ops ops;

		if (o->n_keyrings == MAX_KEYRINGS)
			return fail(EXIT_USAGE, "%s", "too many keyrings");
		if (mao_http_global_init(&err) != MAO_OK || mao_kms_aws_new(NULL, &o->kms, &err) != MAO_OK)
			return fail(EXIT_CRYPTO, "kms: %s", err.msg);
		mao_kms_aws_ops(o->kms, &ops);
		/* the KMS keyring goes first: its first key generates the data key */
		memmove(&o->keyrings[1], &o->keyrings[0], o->n_keyrings * sizeof(o->keyrings[0]));
		if (mao_kms_keyring_new(&ops, o->kms_keys, o->n_kms, &o->keyrings[0], &err) != MAO_OK) {
			memmove(&o->keyrings[0], &o->keyrings[1], o->n_keyrings * sizeof(o->keyrings[0]));
			return fail(EXIT_USAGE, "--kms-key: %s", err.msg);
		}
		o->n_keyrings++;
	}
	if (strcmp(o->cmd, "inspect") != 0 && o->n_keyrings == 0)
		return fail(EXIT_USAGE, "%s needs a keyring: --raw-aes NAMESPACE:NAME:KEYFILE or --kms-key ARN", o->cmd);
	return 0;
}

/* Output: stdout, or FILE.tmp renamed to FILE on success. */
typedef struct sink {
	FILE *f;
	const char *path;
	char *tmp;
} sink;

/* Opens the output. */
static int
sink_open(sink *s, const char *path)
{
	s->path = path;
	s->tmp = NULL;
	if (path == NULL || strcmp(path, "-") == 0) {
		s->f = stdout;
		s->path = NULL;
		return 0;
	}
	s->tmp = malloc(strlen(path) + 16);
	if (s->tmp == NULL)
		return -1;
	sprintf(s->tmp, "%s.tmp-%ld", path, (long) getpid());
	s->f = fopen(s->tmp, "wb");
	return s->f ? 0 : -1;
}

/* Writes and clears buffered output. */
static int
sink_write(sink *s, mao_buf *b)
{
	if (b->len > 0 && fwrite(b->data, 1, b->len, s->f) != b->len)
		return -1;
	mao_buf_reset(b);
	return 0;
}

/* Closes the output; renames on success, removes on failure. */
static int
sink_close(sink *s, int ok)
{
	int rc = 0;

	if (s->f == NULL)
		return ok ? -1 : 0;
	if (fflush(s->f) != 0)
		rc = -1;
	if (s->path != NULL) {
		if (fclose(s->f) != 0)
			rc = -1;
		if (ok && rc == 0 && rename(s->tmp, s->path) != 0)
			rc = -1;
		if (!ok || rc != 0)
			unlink(s->tmp);
	}
	free(s->tmp);
	s->f = NULL;
	return rc;
}

/* Opens the input. */
static FILE *
source_open(const char *path)
{
	if (path == NULL || strcmp(path, "-") == 0)
		return stdin;
	return fopen(path, "rb");
}

/* Streams plaintext through an encryptor. */
static int
do_encrypt(opts *o, FILE *in, sink *out)
{
	mao_esdk_encrypt_opts eo;
	mao_esdk_encryptor *e;
	mao_buf ob = MAO_BUF_INIT;
	unsigned char *chunk = malloc(CHUNK);
	mao_err err;
	size_t n;
	int rc, code = 0;

	if (chunk == NULL)
		return fail(EXIT_IO, "%s", "out of memory");
	mao_esdk_encrypt_opts_init(&eo);
	eo.keyrings = o->keyrings;
	eo.n_keyrings = o->n_keyrings;
	eo.ec = &o->ec;
	eo.suite_id = o->suite;
	eo.frame_length = o->frame_length;
	rc = mao_esdk_encryptor_new(&eo, &e, &err);
	if (rc != MAO_OK) {
		free(chunk);
		return fail(EXIT_CRYPTO, "encrypt: %s", err.msg);
	}
	while (rc == MAO_OK && (n = fread(chunk, 1, CHUNK, in)) > 0) {
		rc = mao_esdk_encrypt_update(e, chunk, n, &ob, &err);
		if (rc == MAO_OK && sink_write(out, &ob) != 0)
			code = fail(EXIT_IO, "%s", "write error");
		if (code)
			break;
	}
	if (code == 0 && ferror(in))
		code = fail(EXIT_IO, "%s", "read error");
	if (code == 0 && rc == MAO_OK)
		rc = mao_esdk_encrypt_finish(e, &ob, &err);
	if (code == 0 && rc != MAO_OK)
		code = fail(EXIT_CRYPTO, "encrypt: %s", err.msg);
	if (code == 0 && sink_write(out, &ob) != 0)
		code = fail(EXIT_IO, "%s", "write error");
	mao_esdk_encryptor_free(e);
	mao_secure_zero(chunk, CHUNK);
	free(chunk);
	mao_buf_free(&ob);
	return code;
}

/* Streams a message through a decryptor, writing authenticated plaintext. */
static int
do_decrypt(opts *o, FILE *in, sink *out)
{
	mao_esdk_decrypt_opts dopt;
	mao_esdk_decryptor *d;
	mao_buf ob = MAO_BUF_INIT;
	unsigned char *chunk = malloc(CHUNK);
	mao_err err;
	size_t n;
	int rc, code = 0;

	if (chunk == NULL)
		return fail(EXIT_IO, "%s", "out of memory");
	mao_esdk_decrypt_opts_init(&dopt);
	dopt.keyrings = o->keyrings;
	dopt.n_keyrings = o->n_keyrings;
	dopt.reproduced_ec = o->ec.n > 0 ? &o->ec : NULL;
	if (o->max_size > 0)
		dopt.limits.max_body = o->max_size;
	rc = mao_esdk_decryptor_new(&dopt, &d, &err);
	while (rc == MAO_OK && code == 0 && (n = fread(chunk, 1, CHUNK, in)) > 0) {
		rc = mao_esdk_decrypt_update(d, chunk, n, &ob, &err);
		/* with --check-key, nothing is written before the context is checked */
		if (rc == MAO_OK && o->check_key != NULL && mao_esdk_decryptor_header(d) != NULL &&
			mao_envelope_ctx_check(&mao_esdk_decryptor_header(d)->ec, o->check_key, &err) != MAO_OK)
			rc = MAO_ERR_INVALID;
		if (rc == MAO_OK && sink_write(out, &ob) != 0)
			code = fail(EXIT_IO, "%s", "write error");
	}
	if (code == 0 && ferror(in))
		code = fail(EXIT_IO, "%s", "read error");
	if (code == 0 && rc == MAO_OK)
		rc = mao_esdk_decrypt_finish(d, &ob, &err);
	if (code == 0 && rc != MAO_OK)
		code = fail(EXIT_CRYPTO, "decrypt: %s", err.msg);
	if (code == 0 && sink_write(out, &ob) != 0)
		code = fail(EXIT_IO, "%s", "write error");
	mao_esdk_decryptor_free(d);
	free(chunk);
	mao_buf_free(&ob);
	return code;
}

/* Appends s[0..n) as a JSON string (bytes that are not UTF-8 as \u00XX). */
static void
json_str(mao_buf *b, const char *s, size_t n)
{
	int utf8 = mao_utf8_valid(s, n);

	mao_buf_append_char(b, '"');
	for (size_t i = 0; i < n; i++) {
		unsigned char c = (unsigned char) s[i];

		if (c == '"' || c == '\\')
			mao_buf_printf(b, "\\%c", c);
		else if (c < 0x20 || c == 0x7f || (!utf8 && c >= 0x80))
			mao_buf_printf(b, "\\u%04x", c);
		else
			mao_buf_append_char(b, (char) c);
	}
	mao_buf_append_char(b, '"');
}

/* True if p[0..n) is UTF-8 without control characters. */
static int
printable(const unsigned char *p, size_t n)
{
	for (size_t i = 0; i < n; i++)
		if (p[i] < 0x20 || p[i] == 0x7f)
			return 0;
	return mao_utf8_valid((const char *) p, n);
}

/* Reads just enough of the message for its header and prints it as JSON. */
static int
do_inspect(FILE *in, sink *out)
{
	mao_buf data = MAO_BUF_INIT, j = MAO_BUF_INIT;
	mao_esdk_limits lim;
	mao_esdk_header h;
	unsigned char chunk[4096];
	size_t used = 0, n;
	mao_err err;
	int code = 0;

	mao_esdk_limits_default(&lim);
	lim.max_edks = 65535;
	for (;;) {
		n = fread(chunk, 1, sizeof(chunk), in);
		mao_buf_append(&data, chunk, n);
		if (mao_esdk_header_parse((unsigned char *) data.data, data.len, &lim, &h, &used, &err) != MAO_OK) {
			mao_buf_free(&data);
			return fail(EXIT_CRYPTO, "inspect: %s", err.msg);
		}
		if (used > 0)
			break;
		if (n == 0) {
			mao_buf_free(&data);
			return fail(EXIT_CRYPTO, "%s", "inspect: input ends inside the message header");
		}
	}
	mao_buf_printf(&j, "{\n  \"version\": %d,\n  \"suite\": \"0x%04x\",\n  \"suite_name\": \"%s\",\n",
				   h.version, h.suite->id, h.suite->name);
	mao_buf_append_str(&j, "  \"message_id\": \"");
	mao_buf_append_hex(&j, h.message_id, h.message_id_len);
	mao_buf_append_str(&j, "\",\n  \"encryption_context\": {");
	for (size_t i = 0; i < h.ec.n; i++) {
		mao_buf_append_str(&j, i ? ",\n    " : "\n    ");
		json_str(&j, h.ec.entries[i].key, h.ec.entries[i].key_len);
		mao_buf_append_str(&j, ": ");
		json_str(&j, h.ec.entries[i].value, h.ec.entries[i].value_len);
	}
	mao_buf_append_str(&j, h.ec.n ? "\n  },\n" : "},\n");
	mao_buf_append_str(&j, "  \"encrypted_data_keys\": [");
	for (size_t i = 0; i < h.n_edks; i++) {
		const mao_esdk_edk *e = &h.edks[i];

		mao_buf_append_str(&j, i ? ",\n    {\"provider_id\": " : "\n    {\"provider_id\": ");
		json_str(&j, e->provider_id, e->provider_id_len);
		if (printable(e->provider_info, e->provider_info_len)) {
			mao_buf_append_str(&j, ", \"provider_info\": ");
			json_str(&j, (const char *) e->provider_info, e->provider_info_len);
		} else if (e->provider_info_len >= 20 &&
				   memcmp(e->provider_info + e->provider_info_len - 20, "\0\0\0\x80\0\0\0\x0c", 8) == 0) {
			/* raw AES: key name, tag bits, IV length, IV */
			mao_buf_append_str(&j, ", \"raw_aes_key_name\": ");
			json_str(&j, (const char *) e->provider_info, e->provider_info_len - 20);
		}
		mao_buf_append_str(&j, ", \"provider_info_hex\": \"");
		mao_buf_append_hex(&j, e->provider_info, e->provider_info_len);
		mao_buf_printf(&j, "\", \"ciphertext_length\": %zu}", e->ciphertext_len);
	}
	mao_buf_printf(&j, "\n  ],\n  \"content_type\": \"%s\",\n  \"frame_length\": %u,\n"
				   "  \"header_length\": %zu,\n  \"key_commitment\": %s,\n  \"signed\": %s,\n"
				   "  \"authenticated\": false\n}\n",
				   h.content_type == MAO_ESDK_CONTENT_FRAMED ? "framed" : "non-framed",
				   (unsigned) h.frame_length, h.total_len, h.suite->commitment ? "true" : "false",
				   h.suite->signature ? "true" : "false");
	if (mao_buf_status(&j) != MAO_OK || sink_write(out, &j) != 0)
		code = fail(EXIT_IO, "%s", "write error");
	mao_esdk_header_free(&h);
	mao_buf_free(&data);
	mao_buf_free(&j);
	return code;
}

/* Parses arguments, opens the streams, runs the command. */
int
main(int argc, char **argv)
{
	opts o;
	sink out = {NULL, NULL, NULL};
	FILE *in;
	int code;

	memset(&o, 0, sizeof(o));
	mao_ec_init(&o.ec);
	code = parse_args(argc, argv, &o);
	if (code == 0) {
		in = source_open(o.in);
		if (in == NULL)
			code = fail(EXIT_IO, "cannot open input %s", o.in);
		else if (sink_open(&out, o.out) != 0) {
			code = fail(EXIT_IO, "cannot open output %s", o.out);
			if (in != stdin)
				fclose(in);
		} else {
			if (strcmp(o.cmd, "encrypt") == 0)
				code = do_encrypt(&o, in, &out);
			else if (strcmp(o.cmd, "decrypt") == 0)
				code = do_decrypt(&o, in, &out);
			else
				code = do_inspect(in, &out);
			if (in != stdin)
				fclose(in);
			if (sink_close(&out, code == 0) != 0 && code == 0)
				code = fail(EXIT_IO, "cannot write output %s", o.out ? o.out : "(stdout)");
		}
	}
	for (size_t i = 0; i < o.n_keyrings; i++)
		mao_keyring_free(o.keyrings[i]);
	if (o.kms != NULL) {
		mao_kms_aws_free(o.kms);
		mao_http_global_cleanup();
	}
	mao_ec_free(&o.ec);
	return code;
}
