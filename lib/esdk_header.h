/*
 * esdk_header.h - the ESDK message header (format versions 1 and 2):
 * parse, serialise, limits.
 *
 * Ownership: a mao_esdk_header owns its encryption context and encrypted
 * data keys; release with mao_esdk_header_free().  Parsing checks every
 * length against the input and the limits before allocating anything for it.
 */
#ifndef MAO_ESDK_HEADER_H
#define MAO_ESDK_HEADER_H

#include <stddef.h>
#include <stdint.h>

#include "buf.h"
#include "err.h"
#include "esdk_ec.h"
#include "esdk_suite.h"

#define MAO_ESDK_CONTENT_NONFRAMED 1
#define MAO_ESDK_CONTENT_FRAMED 2
#define MAO_ESDK_TAG_LEN 16
#define MAO_ESDK_IV_LEN 12
/* Largest body of a non-framed message the format allows (GCM limit). */
#define MAO_ESDK_NONFRAMED_MAX ((((uint64_t) 1) << 36) - 32)

/* Resource limits applied while reading a message. */
typedef struct mao_esdk_limits {
	size_t max_edks;          /* encrypted data keys in a header */
	size_t max_header;        /* header bytes, authentication included */
	uint32_t max_frame_length;/* frame length a framed message may declare */
	uint64_t max_body;        /* plaintext bytes of the whole message */
} mao_esdk_limits;

/* Fills l with the defaults: 16 EDKs, 1 MiB header, 16 MiB frames, 4 GiB body. */
void mao_esdk_limits_default(mao_esdk_limits *l);

/* One encrypted data key.  Provider id and info are NUL-terminated copies. */
typedef struct mao_esdk_edk {
	char *provider_id;          /* owned */
	size_t provider_id_len;
	unsigned char *provider_info; /* owned, NUL-terminated */
	size_t provider_info_len;
	unsigned char *ciphertext;  /* owned */
	size_t ciphertext_len;
} mao_esdk_edk;

/* Frees the fields of one EDK (not the struct itself). */
void mao_esdk_edk_clear(mao_esdk_edk *edk);

/* Fills dst with copies of the given fields. */
int mao_esdk_edk_set(mao_esdk_edk *dst, const char *provider_id, size_t id_len,
					 const void *info, size_t info_len,
					 const void *ct, size_t ct_len);

typedef struct mao_esdk_header {
	int version;                      /* 1 or 2 */
	const mao_esdk_suite *suite;
	unsigned char message_id[32];     /* 16 bytes used in v1 */
	size_t message_id_len;
	mao_ec ec;                        /* owned: the stored context */
	mao_esdk_edk *edks;               /* owned */
	size_t n_edks;
	int content_type;                 /* MAO_ESDK_CONTENT_* */
	uint32_t frame_length;            /* 0 for non-framed */
	unsigned char commitment[32];     /* v2 committing suites */
	unsigned char iv[MAO_ESDK_IV_LEN];/* header auth IV (v1; zeros in v2) */
	unsigned char tag[MAO_ESDK_TAG_LEN]; /* header auth tag */
	size_t body_len;                  /* bytes of the header body (the auth AAD) */
	size_t total_len;                 /* body_len plus the authentication */
} mao_esdk_header;

/* Initialises an empty header. */
void mao_esdk_header_init(mao_esdk_header *h);

/* Frees what h owns and re-initialises it. */
void mao_esdk_header_free(mao_esdk_header *h);

/*
 * Parses a header from the start of in[0..len).  On success with the whole
 * header present, *consumed is its length (h->total_len).  If the input
 * ends before the header does (and no limit is already exceeded), returns
 * MAO_OK with *consumed == 0 and h left empty: call again with more bytes.
 * Any malformation or exceeded limit is an error.
 */
int mao_esdk_header_parse(const unsigned char *in, size_t len,
						  const mao_esdk_limits *lim, mao_esdk_header *h,
						  size_t *consumed, mao_err *err);

/* Appends the header body of h (everything before the authentication) to out. */
int mao_esdk_header_serialize_body(const mao_esdk_header *h, mao_buf *out, mao_err *err);

/* Appends the header authentication (v1: IV and tag; v2: tag) to out. */
int mao_esdk_header_serialize_auth(const mao_esdk_header *h, mao_buf *out, mao_err *err);

#endif /* MAO_ESDK_HEADER_H */
