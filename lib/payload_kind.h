/*
 * payload_kind.h - tells an envelope (ESDK message), gzip data and plain
 * JSON apart by their first bytes, for callers such as mao_ingest that
 * accept any of them.
 */
#ifndef MAO_PAYLOAD_KIND_H
#define MAO_PAYLOAD_KIND_H

#include <stddef.h>

typedef enum mao_payload_kind {
	MAO_PAYLOAD_UNKNOWN = 0,
	MAO_PAYLOAD_ESDK,  /* 0x01 0x80 <v1 suite> or 0x02 <v2 suite> */
	MAO_PAYLOAD_GZIP,  /* 0x1f 0x8b 0x08 */
	MAO_PAYLOAD_JSON   /* optional UTF-8 BOM and whitespace, then '{' or '[' */
} mao_payload_kind;

/* Classifies p[0..len) by its magic bytes; nothing is decoded. */
mao_payload_kind mao_payload_detect(const void *p, size_t len);

/* Returns a static name: "esdk", "gzip", "json" or "unknown". */
const char *mao_payload_kind_name(mao_payload_kind k);

#endif /* MAO_PAYLOAD_KIND_H */
