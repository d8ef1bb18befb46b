/*
 * doc.c - see doc.h.
 */
#include "doc.h"

#include <stdio.h>
#include <string.h>

/* The reference's sections in order, their failed form, and their logs.message area. */
static const struct {
	const char *key;
	int object;               /* failed form {} (1) or [] (0) */
	const char *area;         /* logs.message key used when it is not collected */
} sections[] = {
	{"account", 1, "account"}, {"config", 0, "config"}, {"service", 0, "services_data"},
	{"cost", 0, "cost_analysis"}, {"security", 0, "security_all"}, {"inventory", 0, "inventory"},
	{"marketplace", 0, "marketplace"}, {"trusted_advisor", 0, "trusted_advisor"},
	{"health", 0, "health"}, {"application", 0, "application_signals"},
	{"resilience_hub", 0, "resilience_hub"}, {"service_resources", 0, "service_resources"},
	{"compute_optimizer", 0, "compute_optimizer"}, {"ri_sp_savings", 0, "ri_sp_savings"},
	{"config_inventory", 0, "config_inventory"}, {"support_tickets", 0, "support_tickets"},
};

static const char *const security_keys[] = {
	"security_hub", "guard_duty", "kms", "waf", "waf_rules", "cloudtrail",
	"secrets_manager", "certificate_manager", "inspector", NULL};

/* See doc.h. */
const char *
snd_status_name(int status)
{
	switch (status) {
	case SND_OK: return "ok";
	case SND_PARTIAL: return "partial";
	case SND_SKIPPED: return "skipped";
	case SND_FAILED: return "failed";
	default: return "not_implemented";
	}
}

/* Moves t's messages into msgs. */
static void
take_messages(cJSON *msgs, snd_task *t)
{
	cJSON *m;

	if (t->messages == NULL)
		return;
	while ((m = cJSON_DetachItemFromArray(t->messages, 0)) != NULL)
		cJSON_AddItemToArray(msgs, m);
	cJSON_Delete(t->messages);
	t->messages = NULL;
}

/* Adds the "not implemented" message for area. */
static void
not_implemented(cJSON *msgs, const char *area)
{
	cJSON *m = cJSON_CreateObject();

	cJSON_AddStringToObject(m, area, "not collected: not implemented in mao-sender " SND_VERSION);
	cJSON_AddItemToArray(msgs, m);
}

/* A section's metadata entry. */
static cJSON *
meta_entry(int status, int items, long ms)
{
	cJSON *e = cJSON_CreateObject();

	cJSON_AddStringToObject(e, "status", snd_status_name(status));
	cJSON_AddNumberToObject(e, "items", items);
	cJSON_AddNumberToObject(e, "ms", (double) ms);
	return e;
}

/* Builds `security` from its sub-tasks; sets *status, *items, *ms for the whole. */
static cJSON *
build_security(snd_task *tasks, size_t n, cJSON *msgs, cJSON *meta_subs,
			   int *status, int *items, long *ms)
{
	cJSON *sec = cJSON_CreateObject();
	size_t i, k;
	int collected = 0, all_ok = 1;

	*items = 0;
	*ms = 0;
	for (k = 0; security_keys[k]; k++) {
		snd_task *t = NULL;
		int second = 0;

		for (i = 0; i < n; i++) {
			if (strcmp(tasks[i].section, "security") != 0 || tasks[i].fn == NULL)
				continue;
			if (tasks[i].sub && strcmp(tasks[i].sub, security_keys[k]) == 0)
				t = &tasks[i], second = 0;
			else if (tasks[i].section2 && strcmp(tasks[i].section2, security_keys[k]) == 0)
				t = &tasks[i], second = 1;
		}
		if (t == NULL) {
			cJSON_AddItemToObject(sec, security_keys[k], cJSON_CreateArray());
			if (strcmp(security_keys[k], "waf_rules") != 0)
				not_implemented(msgs, security_keys[k]);
			cJSON_AddItemToObject(meta_subs, security_keys[k], meta_entry(SND_NOT_IMPLEMENTED, 0, 0));
			all_ok = 0;
			continue;
		}
		take_messages(msgs, t);
		{
			cJSON **v = second ? &t->value2 : &t->value;
			int st = second ? t->status2 : t->status, it = second ? t->items2 : t->items;

			cJSON_AddItemToObject(sec, security_keys[k], *v ? *v : cJSON_CreateArray());
			*v = NULL;
			cJSON_AddItemToObject(meta_subs, security_keys[k], meta_entry(st, it, t->ms));
			if (st == SND_OK || st == SND_PARTIAL)
				collected++;
			all_ok &= st == SND_OK;
			*items += it;
		}
		if (t->ms > *ms)
			*ms = t->ms;
	}
	/* ok when every part is; failed when none could be collected */
	*status = all_ok ? SND_OK : collected ? SND_PARTIAL : SND_FAILED;
	return sec;
}

/* See doc.h. */
cJSON *
snd_doc_build(const snd_settings *s, snd_task *tasks, size_t n, long total_ms, int requests)
{
	cJSON *doc = cJSON_CreateObject(), *logs = cJSON_CreateObject();
	cJSON *msgs = cJSON_CreateArray(), *meta = cJSON_CreateObject(), *msec, *w;
	size_t i, k;

	msec = cJSON_CreateObject();
	for (k = 0; k < sizeof(sections) / sizeof(sections[0]); k++) {
		const char *key = sections[k].key;
		snd_task *t = NULL;
		cJSON *value = NULL, *entry;
		char lkey[64];
		int status = SND_NOT_IMPLEMENTED, items = 0;
		long ms = 0;

		if (strcmp(key, "security") == 0) {
			cJSON *subs = cJSON_CreateObject();

			value = build_security(tasks, n, msgs, subs, &status, &items, &ms);
			entry = meta_entry(status, items, ms);
			cJSON_AddItemToObject(entry, "parts", subs);
		} else {
			int second = 0;

			for (i = 0; i < n; i++) {
				if (tasks[i].fn == NULL)
					continue;
				if (strcmp(tasks[i].section, key) == 0)
					t = &tasks[i], second = 0;
				else if (tasks[i].section2 && strcmp(tasks[i].section2, key) == 0)
					t = &tasks[i], second = 1;
			}
			if (t != NULL) {
				take_messages(msgs, t);
				value = second ? t->value2 : t->value;
				if (second)
					t->value2 = NULL;
				else
					t->value = NULL;
				status = second ? t->status2 : t->status;
				items = second ? t->items2 : t->items;
				ms = t->ms;
			} else {
				not_implemented(msgs, sections[k].area);
			}
			if (value == NULL)
				value = sections[k].object ? cJSON_CreateObject() : cJSON_CreateArray();
			entry = meta_entry(status, items, ms);
		}
		cJSON_AddItemToObject(doc, key, value);
		cJSON_AddItemToObject(msec, key, entry);
		snprintf(lkey, sizeof(lkey), "%s_status", key);
		cJSON_AddStringToObject(logs, lkey, status == SND_OK ? "Pass" : "Fail");
	}
	cJSON_AddItemToObject(logs, "message", msgs);
	cJSON_AddItemToObject(doc, "logs", logs);

	cJSON_AddStringToObject(meta, "sender", "mao-sender");
	cJSON_AddStringToObject(meta, "sender_version", SND_VERSION);
	cJSON_AddStringToObject(meta, "collected_at", s->collected_at);
	cJSON_AddStringToObject(meta, "account_id", s->account);
	cJSON_AddStringToObject(meta, "region", s->region);
	cJSON_AddStringToObject(meta, "interval", s->interval);
	cJSON_AddStringToObject(meta, "date", s->run_date);
	w = cJSON_AddObjectToObject(meta, "window");
	cJSON_AddStringToObject(w, "start", s->date_from);
	cJSON_AddStringToObject(w, "end", s->date_to);
	cJSON_AddNumberToObject(meta, "duration_ms", (double) total_ms);
	cJSON_AddNumberToObject(meta, "requests", requests);
	cJSON_AddNumberToObject(meta, "max_in_flight", s->max_in_flight);
	cJSON_AddItemToObject(meta, "sections", msec);
	cJSON_AddItemToObject(doc, "metadata", meta);
	return doc;
}
