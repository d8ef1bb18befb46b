/*
 * esdk_ec.h - encryption contexts: an ordered set of UTF-8 key/value pairs
 * bound to an ESDK message (and, through the AAD, to every data key).
 *
 * Ownership: a mao_ec owns copies of its keys and values.  Initialise with
 * MAO_EC_INIT or mao_ec_init(), release with mao_ec_free().  Entries are
 * kept sorted by key (bytewise), which is the order of the wire form.
 */
#ifndef MAO_ESDK_EC_H
#define MAO_ESDK_EC_H

#include <stddef.h>

#include "buf.h"
#include "err.h"

typedef struct mao_ec_entry {
	char *key;        /* owned, NUL-terminated; key_len bytes */
	size_t key_len;
	char *value;      /* owned, NUL-terminated; value_len bytes */
	size_t value_len;
} mao_ec_entry;

typedef struct mao_ec {
	mao_ec_entry *entries; /* owned, sorted by key */
	size_t n;
	size_t cap;
} mao_ec;

#define MAO_EC_INIT { NULL, 0, 0 }

/* Initialises an empty context; allocates nothing. */
void mao_ec_init(mao_ec *ec);

/* Frees every entry and leaves ec empty and reusable. */
void mao_ec_free(mao_ec *ec);

/*
 * Sets key to value (both copied; lengths in bytes), replacing an existing
 * value.  Keys and values must be valid UTF-8 and at most 65535 bytes.
 */
int mao_ec_set(mao_ec *ec, const char *key, size_t key_len,
			   const char *value, size_t value_len, mao_err *err);

/* Same with NUL-terminated strings. */
int mao_ec_set_str(mao_ec *ec, const char *key, const char *value, mao_err *err);

/* Returns the entry for key (NUL-terminated), or NULL.  Borrowed. */
const mao_ec_entry *mao_ec_get(const mao_ec *ec, const char *key);

/* Copies src into dst (dst must be initialised; its old entries are kept and overwritten by key). */
int mao_ec_merge(mao_ec *dst, const mao_ec *src, mao_err *err);

/*
 * Appends the wire form (count, then sorted length-prefixed pairs; nothing
 * at all for an empty context) to out.  Fails if it would exceed 65535 bytes.
 */
int mao_ec_serialize(const mao_ec *ec, mao_buf *out, mao_err *err);

/*
 * Parses the wire form in[0..len) (len 0 is the empty context) into ec,
 * which must be empty.  Rejects trailing bytes, duplicate keys, an explicit
 * count of 0, non-UTF-8 text and truncation.  Keys out of order are
 * accepted (older SDKs wrote them so; authentication covers the raw bytes).
 */
int mao_ec_parse(const unsigned char *in, size_t len, mao_ec *ec, mao_err *err);

/* Returns non-zero if s[0..len) is well-formed UTF-8 (no overlongs, no surrogates). */
int mao_utf8_valid(const char *s, size_t len);

#endif /* MAO_ESDK_EC_H */
