/*
 * esdk_ec.c - encryption contexts and their wire form (see esdk_ec.h).
 */
#include "esdk_ec.h"

#include <stdlib.h>
#include <string.h>

#define EC_FIELD_MAX 65535u

/* Well-formed UTF-8 check (RFC 3629). */
int
mao_utf8_valid(const char *s, size_t len)
{
	const unsigned char *p = (const unsigned char *) s;
	size_t i = 0;

	while (i < len) {
		unsigned char c = p[i];
		size_t n;
		unsigned long cp;

		if (c < 0x80) {
			i++;
			continue;
		} else if (c >= 0xc2 && c <= 0xdf) {
			n = 1;
			cp = c & 0x1f;
		} else if (c >= 0xe0 && c <= 0xef) {
			n = 2;
			cp = c & 0x0f;
		} else if (c >= 0xf0 && c <= 0xf4) {
			n = 3;
			cp = c & 0x07;
		} else
			return 0;
		if (len - i <= n)
			return 0;
		for (size_t k = 1; k <= n; k++) {
			if ((p[i + k] & 0xc0) != 0x80)
				return 0;
			cp = (cp << 6) | (p[i + k] & 0x3f);
		}
		if ((n == 2 && cp < 0x800) || (n == 3 && (cp < 0x10000 || cp > 0x10ffff)) ||
			(cp >= 0xd800 && cp <= 0xdfff))
			return 0;
		i += n + 1;
	}
	return 1;
}

/* Initialises an empty context. */
void
mao_ec_init(mao_ec *ec)
{
	ec->entries = NULL;
	ec->n = 0;
	ec->cap = 0;
}

/* Frees all entries. */
void
mao_ec_free(mao_ec *ec)
{
	for (size_t i = 0; i < ec->n; i++) {
		free(ec->entries[i].key);
		free(ec->entries[i].value);
	}
	free(ec->entries);
	mao_ec_init(ec);
}

/* Bytewise comparison of two keys, shorter first on a common prefix. */
static int
key_cmp(const char *a, size_t alen, const char *b, size_t blen)
{
	int c = memcmp(a, b, alen < blen ? alen : blen);

	if (c != 0)
		return c;
	return alen < blen ? -1 : alen > blen ? 1 : 0;
}

/* Copies n bytes into a fresh NUL-terminated block, or NULL. */
static char *
dup_bytes(const char *s, size_t n)
{
	char *d = malloc(n + 1);

	if (d == NULL)
		return NULL;
	if (n > 0)
		memcpy(d, s, n);
	d[n] = '\0';
	return d;
}

/* Inserts or replaces one pair, keeping the order. */
int
mao_ec_set(mao_ec *ec, const char *key, size_t key_len,
		   const char *value, size_t value_len, mao_err *err)
{
	size_t lo = 0, hi = ec->n;
	char *k, *v;

	if (key_len > EC_FIELD_MAX || value_len > EC_FIELD_MAX)
		return mao_err_set(err, MAO_ERR_INVALID, "encryption context entry longer than 65535 bytes");
	if (!mao_utf8_valid(key, key_len) || !mao_utf8_valid(value, value_len))
		return mao_err_set(err, MAO_ERR_INVALID, "encryption context entry is not valid UTF-8");
	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = key_cmp(ec->entries[mid].key, ec->entries[mid].key_len, key, key_len);

		if (c == 0) {
			v = dup_bytes(value, value_len);
			if (v == NULL)
				return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
			free(ec->entries[mid].value);
			ec->entries[mid].value = v;
			ec->entries[mid].value_len = value_len;
			return MAO_OK;
		}
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	if (ec->n == ec->cap) {
		size_t ncap = ec->cap ? ec->cap * 2 : 8;
		mao_ec_entry *ne = realloc(ec->entries, ncap * sizeof(*ne));

		if (ne == NULL)
			return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
		ec->entries = ne;
		ec->cap = ncap;
	}
	k = dup_bytes(key, key_len);
	v = dup_bytes(value, value_len);
	if (k == NULL || v == NULL) {
		free(k);
		free(v);
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	}
	memmove(&ec->entries[lo + 1], &ec->entries[lo], (ec->n - lo) * sizeof(mao_ec_entry));
	ec->entries[lo].key = k;
	ec->entries[lo].key_len = key_len;
	ec->entries[lo].value = v;
	ec->entries[lo].value_len = value_len;
	ec->n++;
	return MAO_OK;
}

/* Convenience wrapper for C strings. */
int
mao_ec_set_str(mao_ec *ec, const char *key, const char *value, mao_err *err)
{
	return mao_ec_set(ec, key, strlen(key), value, strlen(value), err);
}

/* Binary search by key. */
const mao_ec_entry *
mao_ec_get(const mao_ec *ec, const char *key)
{
	size_t lo = 0, hi = ec->n, klen = strlen(key);

	while (lo < hi) {
		size_t mid = lo + (hi - lo) / 2;
		int c = key_cmp(ec->entries[mid].key, ec->entries[mid].key_len, key, klen);

		if (c == 0)
			return &ec->entries[mid];
		if (c < 0)
			lo = mid + 1;
		else
			hi = mid;
	}
	return NULL;
}

/* Copies every pair of src into dst. */
int
mao_ec_merge(mao_ec *dst, const mao_ec *src, mao_err *err)
{
	for (size_t i = 0; i < src->n; i++) {
		const mao_ec_entry *e = &src->entries[i];
		int rc = mao_ec_set(dst, e->key, e->key_len, e->value, e->value_len, err);

		if (rc != MAO_OK)
			return rc;
	}
	return MAO_OK;
}

/* Wire form: count, then (key length, key, value length, value) pairs. */
int
mao_ec_serialize(const mao_ec *ec, mao_buf *out, mao_err *err)
{
	size_t total = 2;

	if (ec == NULL || ec->n == 0)
		return MAO_OK;
	if (ec->n > EC_FIELD_MAX)
		return mao_err_set(err, MAO_ERR_INVALID, "encryption context has too many entries");
	for (size_t i = 0; i < ec->n; i++)
		total += 4 + ec->entries[i].key_len + ec->entries[i].value_len;
	if (total > EC_FIELD_MAX)
		return mao_err_set(err, MAO_ERR_INVALID, "encryption context longer than 65535 bytes");
	mao_buf_append_be(out, ec->n, 2);
	for (size_t i = 0; i < ec->n; i++) {
		mao_buf_append_be(out, ec->entries[i].key_len, 2);
		mao_buf_append(out, ec->entries[i].key, ec->entries[i].key_len);
		mao_buf_append_be(out, ec->entries[i].value_len, 2);
		mao_buf_append(out, ec->entries[i].value, ec->entries[i].value_len);
	}
	if (mao_buf_status(out) != MAO_OK)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	return MAO_OK;
}

/* Parses the wire form; the context must come out with as many distinct keys as counted. */
int
mao_ec_parse(const unsigned char *in, size_t len, mao_ec *ec, mao_err *err)
{
	size_t pos = 2, count;

	if (len == 0)
		return MAO_OK;
	if (len < 2)
		return mao_err_set(err, MAO_ERR_INVALID, "encryption context truncated");
	count = ((size_t) in[0] << 8) | in[1];
	if (count == 0)
		return mao_err_set(err, MAO_ERR_INVALID, "encryption context with an entry count of 0");
	for (size_t i = 0; i < count; i++) {
		size_t kl, vl;
		const unsigned char *k, *v;
		int rc;

		if (len - pos < 2)
			goto truncated;
		kl = ((size_t) in[pos] << 8) | in[pos + 1];
		pos += 2;
		if (len - pos < kl)
			goto truncated;
		k = in + pos;
		pos += kl;
		if (len - pos < 2)
			goto truncated;
		vl = ((size_t) in[pos] << 8) | in[pos + 1];
		pos += 2;
		if (len - pos < vl)
			goto truncated;
		v = in + pos;
		pos += vl;
		rc = mao_ec_set(ec, (const char *) k, kl, (const char *) v, vl, err);
		if (rc != MAO_OK) {
			mao_ec_free(ec);
			return rc;
		}
		if (ec->n != i + 1) {
			mao_ec_free(ec);
			return mao_err_set(err, MAO_ERR_INVALID, "encryption context has a duplicate key");
		}
	}
	if (pos != len) {
		mao_ec_free(ec);
		return mao_err_set(err, MAO_ERR_INVALID, "encryption context has trailing bytes");
	}
	return MAO_OK;
truncated:
	mao_ec_free(ec);
	return mao_err_set(err, MAO_ERR_INVALID, "encryption context truncated");
}
