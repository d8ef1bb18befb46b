/*
 * envelope_ctx.c - the MAO encryption context and its S3 key check (see
 * envelope_ctx.h).
 */
#include "envelope_ctx.h"

#include <string.h>

/* Twelve ASCII digits. */
static int
valid_account(const char *s, size_t n)
{
	if (n != 12)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (s[i] < '0' || s[i] > '9')
			return 0;
	return 1;
}

/* Lowercase letters, digits and '-', starting with a letter, at most 32. */
static int
valid_region(const char *s, size_t n)
{
	if (n < 3 || n > 32 || s[0] < 'a' || s[0] > 'z' || s[n - 1] == '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

/* YYYY-MM-DD with a plausible month and day. */
static int
valid_date(const char *s, size_t n)
{
	int m, d;

	if (n != 10 || s[4] != '-' || s[7] != '-')
		return 0;
	for (size_t i = 0; i < n; i++)
		if (i != 4 && i != 7 && (s[i] < '0' || s[i] > '9'))
			return 0;
	m = (s[5] - '0') * 10 + (s[6] - '0');
	d = (s[8] - '0') * 10 + (s[9] - '0');
	return m >= 1 && m <= 12 && d >= 1 && d <= 31;
}

/* Letters, digits and '-', 1 to 32. */
static int
valid_interval(const char *s, size_t n)
{
	if (n < 1 || n > 32)
		return 0;
	for (size_t i = 0; i < n; i++)
		if (!((s[i] >= 'a' && s[i] <= 'z') || (s[i] >= 'A' && s[i] <= 'Z') ||
			  (s[i] >= '0' && s[i] <= '9') || s[i] == '-'))
			return 0;
	return 1;
}

/* Validates and stores the four keys. */
int
mao_envelope_ctx_set(mao_ec *ec, const char *account, const char *region,
					 const char *date, const char *interval, mao_err *err)
{
	int rc;

	if (account == NULL || !valid_account(account, strlen(account)))
		return mao_err_set(err, MAO_ERR_INVALID, "mao:account must be 12 digits");
	if (region == NULL || !valid_region(region, strlen(region)))
		return mao_err_set(err, MAO_ERR_INVALID, "mao:region is not a region name");
	if (date == NULL || !valid_date(date, strlen(date)))
		return mao_err_set(err, MAO_ERR_INVALID, "mao:date must be YYYY-MM-DD");
	if (interval == NULL || !valid_interval(interval, strlen(interval)))
		return mao_err_set(err, MAO_ERR_INVALID, "mao:interval must be 1 to 32 letters, digits or '-'");
	if ((rc = mao_ec_set_str(ec, MAO_EC_ACCOUNT, account, err)) != MAO_OK ||
		(rc = mao_ec_set_str(ec, MAO_EC_REGION, region, err)) != MAO_OK ||
		(rc = mao_ec_set_str(ec, MAO_EC_DATE, date, err)) != MAO_OK ||
		(rc = mao_ec_set_str(ec, MAO_EC_INTERVAL, interval, err)) != MAO_OK)
		return rc;
	return MAO_OK;
}

/* Compares one context value with the key part s[0..n). */
static int
same(const mao_ec *ec, const char *name, const char *s, size_t n, mao_err *err)
{
	const mao_ec_entry *e = mao_ec_get(ec, name);

	if (e == NULL)
		return mao_err_set(err, MAO_ERR_INVALID, "envelope context has no %s", name);
	if (e->value_len != n || memcmp(e->value, s, n) != 0)
		return mao_err_set(err, MAO_ERR_INVALID, "envelope %s \"%.64s\" disagrees with the object key (\"%.*s\")",
						   name, e->value, (int) (n > 64 ? 64 : n), s);
	return MAO_OK;
}

/* Splits the key and compares each part. */
int
mao_envelope_ctx_check(const mao_ec *ec, const char *s3_key, mao_err *err)
{
	const char *p, *acct, *reg, *date, *intv, *end;
	size_t acct_n, reg_n, intv_n;
	int rc;

	if (s3_key == NULL)
		return mao_err_set(err, MAO_ERR_INVALID, "no object key");
	if (strncmp(s3_key, "loaded/", 7) == 0 || strncmp(s3_key, "failed/", 7) == 0)
		return mao_err_set(err, MAO_ERR_INVALID, "object key \"%.100s\" is under %.6s/, not a data key",
						   s3_key, s3_key);
	if (strncmp(s3_key, "data/", 5) != 0)
		return mao_err_set(err, MAO_ERR_INVALID, "object key \"%.100s\" is not under data/", s3_key);
	acct = s3_key + 5;
	p = strchr(acct, '/');
	if (p == NULL)
		goto malformed;
	acct_n = (size_t) (p - acct);
	reg = p + 1;
	p = strchr(reg, '/');
	if (p == NULL)
		goto malformed;
	reg_n = (size_t) (p - reg);
	date = p + 1;
	if (strchr(date, '/') != NULL || strlen(date) < 12 || date[10] != '_')
		goto malformed;
	intv = date + 11;
	end = strchr(intv, '.');
	intv_n = end ? (size_t) (end - intv) : strlen(intv);
	if (!valid_account(acct, acct_n) || !valid_region(reg, reg_n) || !valid_date(date, 10) ||
		!valid_interval(intv, intv_n))
		goto malformed;
	if ((rc = same(ec, MAO_EC_ACCOUNT, acct, acct_n, err)) != MAO_OK ||
		(rc = same(ec, MAO_EC_REGION, reg, reg_n, err)) != MAO_OK ||
		(rc = same(ec, MAO_EC_DATE, date, 10, err)) != MAO_OK ||
		(rc = same(ec, MAO_EC_INTERVAL, intv, intv_n, err)) != MAO_OK)
		return rc;
	return MAO_OK;
malformed:
	return mao_err_set(err, MAO_ERR_INVALID, "object key \"%.100s\" is not data/<account>/<region>/<date>_<interval>...",
					   s3_key);
}
