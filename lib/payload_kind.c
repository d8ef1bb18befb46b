/*
 * payload_kind.c - magic-byte detection (see payload_kind.h).
 */
#include "payload_kind.h"

#include <stdint.h>

#include "esdk_suite.h"

/* Checks the ESDK header prefix, then gzip's magic, then JSON's first character. */
mao_payload_kind
mao_payload_detect(const void *p, size_t len)
{
	const unsigned char *b = p;
	const mao_esdk_suite *s;
	size_t i = 0;

	if (len >= 4 && b[0] == 0x01 && b[1] == 0x80) {
		s = mao_esdk_suite_by_id((uint16_t) ((b[2] << 8) | b[3]));
		if (s != NULL && s->version == 1)
			return MAO_PAYLOAD_ESDK;
	}
	if (len >= 3 && b[0] == 0x02) {
		s = mao_esdk_suite_by_id((uint16_t) ((b[1] << 8) | b[2]));
		if (s != NULL && s->version == 2)
			return MAO_PAYLOAD_ESDK;
	}
	if (len >= 3 && b[0] == 0x1f && b[1] == 0x8b && b[2] == 0x08)
		return MAO_PAYLOAD_GZIP;
	if (len >= 3 && b[0] == 0xef && b[1] == 0xbb && b[2] == 0xbf)
		i = 3;
	while (i < len && (b[i] == ' ' || b[i] == '\t' || b[i] == '\r' || b[i] == '\n'))
		i++;
	if (i < len && (b[i] == '{' || b[i] == '['))
		return MAO_PAYLOAD_JSON;
	return MAO_PAYLOAD_UNKNOWN;
}

/* Static names. */
const char *
mao_payload_kind_name(mao_payload_kind k)
{
	switch (k) {
	case MAO_PAYLOAD_ESDK:
		return "esdk";
	case MAO_PAYLOAD_GZIP:
		return "gzip";
	case MAO_PAYLOAD_JSON:
		return "json";
	default:
		return "unknown";
	}
}
