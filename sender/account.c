/*
 * account.c - the `account` section: the account id (STS, resolved by the
 * run before any collector), account:GetAccountInformation,
 * GetContactInformation and GetAlternateContact (BILLING, OPERATIONS,
 * SECURITY; ResourceNotFound -> null), and the operator's metadata.
 * A call that fails is said in logs.message and its fields keep the
 * reference's fallbacks (name = account id, contact_info {}).
 */
#include "sender.h"

#include <stdio.h>
#include <string.h>

/* The operator's value, or the reference's literal "None" when unset. */
static cJSON *
meta_value(const char *v)
{
	return cJSON_CreateString(v && *v ? v : "None");
}

/* Calls the Account API operation op (REST-JSON POST /<op>) with body. */
static int
account_call(snd_task *t, const char *op, const char *body, cJSON **out, snd_fail *f)
{
	char path[64];

	snprintf(path, sizeof(path), "/%s", op);
	return snd_call_rest_json(t, "account", "POST", path, NULL, body, out, f);
}

/* Builds contact_info from a GetContactInformation answer. */
static cJSON *
contact_info(const cJSON *ci)
{
	static const char *const map[][2] = {
		{"address_line1", "AddressLine1"}, {"address_line2", "AddressLine2"},
		{"address_line3", "AddressLine3"}, {"city", "City"},
		{"country_code", "CountryCode"}, {"postal_code", "PostalCode"},
		{"state_or_region", "StateOrRegion"}, {"company_name", "CompanyName"},
		{"phone_number", "PhoneNumber"}, {"website_url", "WebsiteUrl"},
		{"full_name", "FullName"}};
	cJSON *o = cJSON_CreateObject();
	size_t i;

	for (i = 0; i < sizeof(map) / sizeof(map[0]); i++)
		cJSON_AddItemToObject(o, map[i][0], snd_jstr(ci, map[i][1]));
	return o;
}

/* See sender.h. */
void
snd_collect_account(snd_task *t)
{
	static const char *const types[] = {"BILLING", "OPERATIONS", "SECURITY"};
	const snd_settings *s = t->s;
	cJSON *a = cJSON_CreateObject(), *info = NULL, *ci = NULL, *alt;
	snd_fail f;
	size_t i;

	cJSON_AddStringToObject(a, "account_id", s->account);
	if (account_call(t, "getAccountInformation", "{}", &info, &f) == MAO_OK) {
		const cJSON *n = cJSON_GetObjectItemCaseSensitive(info, "AccountName");
		cJSON_AddStringToObject(a, "account_name", cJSON_IsString(n) ? n->valuestring : s->account);
	} else {
		snd_task_fail(t, "account", "account:GetAccountInformation", &f);
		cJSON_AddStringToObject(a, "account_name", s->account);
	}
	cJSON_AddNullToObject(a, "account_email");
	cJSON_AddStringToObject(a, "account_status", "ACTIVE");
	cJSON_AddNullToObject(a, "account_arn");
	cJSON_AddItemToObject(a, "partner_name", meta_value(s->partner));
	cJSON_AddItemToObject(a, "customer_name", meta_value(s->customer));
	cJSON_AddItemToObject(a, "category", meta_value(s->category));
	cJSON_AddItemToObject(a, "account_type", meta_value(s->environment));
	cJSON_AddNullToObject(a, "joined_method");
	cJSON_AddItemToObject(a, "joined_timestamp", info ? snd_jepoch(info, "AccountCreatedDate") : cJSON_CreateNull());
	cJSON_AddStringToObject(a, "region", s->region);
	cJSON_AddItemToObject(a, "product", meta_value(s->product));
	if (account_call(t, "getContactInformation", "{}", &ci, &f) == MAO_OK)
		cJSON_AddItemToObject(a, "contact_info",
							  contact_info(cJSON_GetObjectItemCaseSensitive(ci, "ContactInformation")));
	else {
		snd_task_fail(t, "account", "account:GetContactInformation", &f);
		cJSON_AddItemToObject(a, "contact_info", cJSON_CreateObject());
	}
	alt = cJSON_AddObjectToObject(a, "alternate_contacts");
	for (i = 0; i < 3; i++) {
		char body[64], key[16];
		cJSON *r = NULL;
		size_t k;

		snprintf(body, sizeof(body), "{\"AlternateContactType\":\"%s\"}", types[i]);
		for (k = 0; types[i][k] && k + 1 < sizeof(key); k++)
			key[k] = (char) (types[i][k] - 'A' + 'a');
		key[k] = '\0';
		if (account_call(t, "getAlternateContact", body, &r, &f) == MAO_OK) {
			const cJSON *c = cJSON_GetObjectItemCaseSensitive(r, "AlternateContact");
			cJSON *o = cJSON_AddObjectToObject(alt, key);

			cJSON_AddItemToObject(o, "name", snd_jstr(c, "Name"));
			cJSON_AddItemToObject(o, "title", snd_jstr(c, "Title"));
			cJSON_AddItemToObject(o, "email", snd_jstr(c, "EmailAddress"));
			cJSON_AddItemToObject(o, "phone", snd_jstr(c, "PhoneNumber"));
		} else if (strcmp(f.code, "ResourceNotFoundException") == 0) {
			cJSON_AddNullToObject(alt, key);
		} else {
			snd_task_fail(t, "account", "account:GetAlternateContact", &f);
			cJSON_AddNullToObject(alt, key);
		}
		cJSON_Delete(r);
	}
	cJSON_Delete(info);
	cJSON_Delete(ci);
	/* the account is known from STS: calls that failed only degrade fields */
	if (t->status == SND_FAILED || t->status == SND_SKIPPED)
		t->status = SND_PARTIAL;
	t->value = a;
	t->items = 1;
}
