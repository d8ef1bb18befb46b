/*
 * xml.h - just enough XML reading for AWS responses (Query protocol and
 * S3 REST-XML): find elements by name, iterate over repeated elements and
 * decode their text (entities, numeric character references, CDATA).
 *
 * Not a validating parser: it scans for "<Name>" / "<Name ...>" /
 * "<Name/>" and the matching "</Name>", which is what AWS's flat,
 * namespace-free (default namespace only) documents need.  Element names
 * are matched exactly (case-sensitive).  Nothing is allocated except by
 * mao_xml_text_dup() and by mao_xml_text() into the caller's buffer.
 */
#ifndef MAO_XML_H
#define MAO_XML_H

#include <stddef.h>

#include "buf.h"

/*
 * Finds the next element `name` in [*pos, end).  On success sets
 * *content / *clen to its raw inner text (borrowed from the input),
 * advances *pos past its end tag and returns 1; returns 0 when there is
 * none (or it is not closed).
 */
int mao_xml_next(const char **pos, const char *end, const char *name,
				 const char **content, size_t *clen);

/* Finds the first element `name` in s[0..len); same outputs as mao_xml_next(). */
int mao_xml_find(const char *s, size_t len, const char *name,
				 const char **content, size_t *clen);

/* Appends the decoded text of raw XML content s[0..len) to out. */
int mao_xml_text(mao_buf *out, const char *s, size_t len);

/*
 * Returns the decoded text of the first element `name` in s[0..len) as a
 * malloc'd string (caller frees), or NULL when absent or out of memory.
 */
char *mao_xml_text_dup(const char *s, size_t len, const char *name);

#endif /* MAO_XML_H */
