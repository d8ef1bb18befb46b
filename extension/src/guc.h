/*
 * guc.h
 *		The mao.* settings.
 */
#ifndef MAO_GUC_H
#define MAO_GUC_H

extern char *mao_bucket;
extern char *mao_prefix;
extern char *mao_region;
extern char *mao_endpoint_url;
extern char *mao_database;
extern char *mao_role;
extern char *mao_keyring;
extern int	mao_poll_interval;
extern int	mao_max_object_size_kb;

extern void mao_define_gucs(bool preloading);

#endif							/* MAO_GUC_H */
