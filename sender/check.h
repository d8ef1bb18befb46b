/*
 * check.h - `mao-sender check`: tries each implemented service's read
 * permission with one call and prints a table.
 */
#ifndef MAO_SENDER_CHECK_H
#define MAO_SENDER_CHECK_H

#include <stdio.h>

#include "sender.h"

/* Runs every probe with t's client; prints the table to out; returns the number that failed. */
int snd_check(snd_task *t, FILE *out);

#endif /* MAO_SENDER_CHECK_H */
