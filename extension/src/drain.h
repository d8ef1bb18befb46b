/*
 * drain.h
 *		One poll of the background worker over the bucket.
 */
#ifndef MAO_DRAIN_H
#define MAO_DRAIN_H

extern bool mao_drain_bucket(const char **reason);

#endif							/* MAO_DRAIN_H */
