/*
 * ship.h - sealing and shipping a document: gzip, an AWS Encryption SDK
 * envelope under the analytics KMS key (GenerateDataKey) with the mao:*
 * encryption context, PutObject to data/<account>/<region>/<date>_<interval>.json.enc
 * with SSE-KMS under the same key.
 */
#ifndef MAO_SENDER_SHIP_H
#define MAO_SENDER_SHIP_H

#include "sender.h"

/* Writes the object key for s into out (len >= 128). */
void snd_object_key(const snd_settings *s, char *out, size_t len);

/*
 * Seals json[0..len) for s: gzip, then an envelope under s->kms_key with
 * the context of s's account, region, run date and interval, appended to
 * sealed.  Returns MAO_OK or an error with a message.
 */
int snd_seal(const snd_settings *s, const char *json, size_t len, mao_buf *sealed, mao_err *err);

/* PutObject of sealed to s->bucket under snd_object_key() with SSE-KMS. */
int snd_ship(const snd_settings *s, const mao_buf *sealed, char *key_out, size_t key_len,
			 mao_err *err);

#endif /* MAO_SENDER_SHIP_H */
