/*
 * xmltree.h - a small XML tree for AWS Query/EC2 responses (elements, text,
 * no attributes kept, no namespaces), so that nested lists (<item> inside
 * <item>) can be walked safely.  Text is entity-decoded by lib/xml.
 *
 * Ownership: snd_xml_parse() returns a tree the caller frees with
 * snd_xml_free(); every node and string belongs to the tree.
 */
#ifndef MAO_SENDER_XMLTREE_H
#define MAO_SENDER_XMLTREE_H

#include <stddef.h>

typedef struct snd_xml {
	char *name;
	char *text;               /* decoded text of a leaf ("" for containers) */
	struct snd_xml *child;    /* first child */
	struct snd_xml *next;     /* next sibling */
} snd_xml;

/* Parses s[0..len); NULL on malformed input or out of memory. */
snd_xml *snd_xml_parse(const char *s, size_t len);

/* Frees a tree (NULL is ignored). */
void snd_xml_free(snd_xml *x);

/* The first child named name, or NULL. */
const snd_xml *snd_xml_child(const snd_xml *x, const char *name);

/* Follows a '/'-separated path of child names; NULL when absent. */
const snd_xml *snd_xml_path(const snd_xml *x, const char *path);

/* The text at path, or NULL when absent. */
const char *snd_xml_get(const snd_xml *x, const char *path);

#endif /* MAO_SENDER_XMLTREE_H */
