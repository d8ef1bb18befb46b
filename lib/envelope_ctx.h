/*
 * envelope_ctx.h - MAO's use of the encryption context: the sender binds
 * mao:account, mao:region, mao:date and mao:interval into every envelope;
 * the receiver checks them against the S3 key the envelope was read from,
 * data/<account>/<region>/<date>_<interval>[.suffix...].
 */
#ifndef MAO_ENVELOPE_CTX_H
#define MAO_ENVELOPE_CTX_H

#include "err.h"
#include "esdk_ec.h"

#define MAO_EC_ACCOUNT "mao:account"
#define MAO_EC_REGION "mao:region"
#define MAO_EC_DATE "mao:date"
#define MAO_EC_INTERVAL "mao:interval"

/*
 * Sets the four MAO keys in ec after checking their form: account 12
 * digits, region like eu-west-1, date YYYY-MM-DD, interval letters, digits
 * and '-' (1 to 32).
 */
int mao_envelope_ctx_set(mao_ec *ec, const char *account, const char *region,
						 const char *date, const char *interval, mao_err *err);

/*
 * Checks that ec carries the four MAO keys and that they equal the parts
 * of s3_key, which must be a data key: "data/" then account, region and
 * "<date>_<interval>" with nothing after the interval but an optional
 * ".suffix".  Keys under loaded/ or failed/ (or any other prefix) are
 * rejected.  The error names the first field that disagrees.
 */
int mao_envelope_ctx_check(const mao_ec *ec, const char *s3_key, mao_err *err);

#endif /* MAO_ENVELOPE_CTX_H */
