/*
 * inventory.c - the `inventory` section: Systems Manager managed instances
 * (DescribeInstanceInformation, every page), and per instance its
 * applications (ListInventoryEntries, TypeName AWS:Application, every page)
 * and the patches installed inside the window [date_from, ce_end)
 * (DescribeInstancePatches, every page), document-format.md §4.6.  All JSON
 * 1.1 (AmazonSSM.<Op>).
 *
 * The reference asked GetInventory for AWS:PatchSummary first, only to
 * decide whether to ask for patches, and fetched the patches once per
 * summary item (duplicates).  DescribeInstancePatches answers an instance
 * that was never scanned with an empty list, so the pre-check is dropped:
 * one call fewer per patched instance, no duplicates.  The patches are asked
 * with a State filter (the installed states, and Failed): Missing,
 * NotApplicable and AvailableSecurityUpdate patches have no install time
 * (0) and never fall inside a window, and they are most of a Windows
 * instance's list, so the filter saves most of its pages.
 *
 * The two calls per instance are fanned out (snd_fanout): with hundreds of
 * instances, one at a time would take 2 x instances x latency.
 *
 * `services`, `users`, `processes`, `network_ports` and `certificates` stay
 * [] as in the reference: the loader has no table for them (see
 * docs/sender-sections.md).
 */
#include "sender.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#define JSON11 "application/x-amz-json-1.1"
#define SSM "AmazonSSM."

/* The instances and, per instance, what its two items found. */
typedef struct inv {
	cJSON *instances;         /* rows */
	char **ids;               /* instance ids, in row order */
	int n, cap;
	cJSON **apps;             /* per instance: application rows */
	cJSON **patches;          /* per instance: patch rows */
	double from, to;          /* the window, epoch seconds, [from, to) */
} inv;

/* A bool member copied, or null. */
static cJSON *
jbool(const cJSON *o, const char *key)
{
	const cJSON *v = cJSON_GetObjectItemCaseSensitive(o, key);

	return cJSON_IsBool(v) ? cJSON_Duplicate(v, 0) : cJSON_CreateNull();
}

/* A DescribeInstanceInformation page: one row per instance. */
static int
instances_page(snd_task *t, const cJSON *page, void *ctx)
{
	inv *v = ctx;
	const cJSON *x;

	(void) t;
	cJSON_ArrayForEach(x, cJSON_GetObjectItemCaseSensitive(page, "InstanceInformationList")) {
		const char *id = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(x, "InstanceId"));
		cJSON *row;

		if (id == NULL || *id == '\0' || strlen(id) > 255)
			continue;
		if (v->n == v->cap) {
			int cap = v->cap ? v->cap * 2 : 64;
			char **ids = realloc(v->ids, (size_t) cap * sizeof(*ids));

			if (ids == NULL)
				return -1;
			v->ids = ids;
			v->cap = cap;
		}
		if ((v->ids[v->n] = strdup(id)) == NULL)
			return -1;
		v->n++;
		row = cJSON_CreateObject();
		cJSON_AddStringToObject(row, "instance_id", id);
		cJSON_AddItemToObject(row, "platform", snd_jfit(x, "PlatformName", 50));
		cJSON_AddItemToObject(row, "platform_type", snd_jfit(x, "PlatformType", 255));
		cJSON_AddItemToObject(row, "platform_version", snd_jfit(x, "PlatformVersion", 50));
		cJSON_AddItemToObject(row, "agent_version", snd_jfit(x, "AgentVersion", 50));
		cJSON_AddItemToObject(row, "is_latest_version", jbool(x, "IsLatestVersion"));
		cJSON_AddItemToObject(row, "last_ping", snd_jepoch(x, "LastPingDateTime"));
		cJSON_AddItemToObject(row, "computer_name", snd_jfit(x, "ComputerName", 255));
		cJSON_AddItemToObject(row, "instance_type", snd_jfit(x, "ResourceType", 50));
		cJSON_AddItemToObject(row, "ip_address", snd_jfit(x, "IPAddress", 45));
		cJSON_AddItemToObject(row, "ping_status", snd_jfit(x, "PingStatus", 50));
		cJSON_AddItemToObject(row, "last_ping_date_time", snd_jepoch(x, "LastPingDateTime"));
		cJSON_AddItemToObject(row, "association_status", snd_jfit(x, "AssociationStatus", 255));
		cJSON_AddItemToObject(row, "association_execution_date", snd_jepoch(x, "LastAssociationExecutionDate"));
		cJSON_AddItemToObject(row, "association_success_date",
							  snd_jepoch(x, "LastSuccessfulAssociationExecutionDate"));
		cJSON_AddItemToArray(v->instances, row);
	}
	return 0;
}

/* One instance's page, with the instance it is about. */
typedef struct item_acc {
	inv *v;
	const char *id;
	cJSON *rows;
} item_acc;

/* A ListInventoryEntries page: one row per named application. */
static int
apps_page(snd_task *t, const cJSON *page, void *ctx)
{
	item_acc *a = ctx;
	const cJSON *e;

	(void) t;
	cJSON_ArrayForEach(e, cJSON_GetObjectItemCaseSensitive(page, "Entries")) {
		const char *name = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(e, "Name"));
		cJSON *row;

		if (name == NULL || *name == '\0')
			continue;          /* the loader's key: an application without a name has no row */
		row = cJSON_CreateObject();
		cJSON_AddStringToObject(row, "instance_id", a->id);
		cJSON_AddItemToObject(row, "name", snd_fit(name, 255));
		cJSON_AddItemToObject(row, "version", snd_jfit(e, "Version", 100));
		cJSON_AddItemToObject(row, "publisher", snd_jfit(e, "Publisher", 255));
		cJSON_AddItemToObject(row, "architecture", snd_jstr(e, "Architecture"));
		cJSON_AddItemToObject(row, "application_type", snd_jstr(e, "ApplicationType"));
		cJSON_AddItemToObject(row, "install_time", snd_jstr(e, "InstalledTime"));
		cJSON_AddItemToArray(a->rows, row);
	}
	return 0;
}

/* A string member that is neither absent nor empty, or NULL. */
static const char *
nonempty(const cJSON *o, const char *key)
{
	const char *s = cJSON_GetStringValue(cJSON_GetObjectItemCaseSensitive(o, key));

	return s && *s ? s : NULL;
}

/* A DescribeInstancePatches page: the patches installed inside the window. */
static int
patches_page(snd_task *t, const cJSON *page, void *ctx)
{
	item_acc *a = ctx;
	const cJSON *p;

	(void) t;
	cJSON_ArrayForEach(p, cJSON_GetObjectItemCaseSensitive(page, "Patches")) {
		const cJSON *when = cJSON_GetObjectItemCaseSensitive(p, "InstalledTime");
		const char *title = nonempty(p, "Title"), *cls = nonempty(p, "Classification");
		const char *sev = nonempty(p, "Severity");
		cJSON *row;

		if (!cJSON_IsNumber(when) || when->valuedouble < a->v->from || when->valuedouble >= a->v->to)
			continue;
		if (title == NULL)
			title = nonempty(p, "KBId");   /* the loader's key: a patch without a title goes by its KB id */
		if (title == NULL)
			continue;
		row = cJSON_CreateObject();
		cJSON_AddStringToObject(row, "instance_id", a->id);
		cJSON_AddItemToObject(row, "title", snd_fit(title, 255));
		cJSON_AddItemToObject(row, "classification", snd_fit(cls ? cls : "Normal", 100));
		cJSON_AddItemToObject(row, "severity", snd_fit(sev ? sev : "None", 50));
		cJSON_AddItemToObject(row, "state", snd_jfit(p, "State", 50));
		cJSON_AddItemToObject(row, "installed_time", snd_jepoch(p, "InstalledTime"));
		cJSON_AddItemToArray(a->rows, row);
	}
	return 0;
}

/* Item i: instance i's applications (i < n) or instance i - n's patches. */
static int
instance_item(snd_task *w, int i, void *ctx)
{
	static const snd_op list_apps = {"ssm", JSON11, SSM "ListInventoryEntries", NULL, "NextToken", NULL,
									 "inventory", "ssm:ListInventoryEntries"};
	static const snd_op list_patches = {"ssm", JSON11, SSM "DescribeInstancePatches", NULL, "NextToken", NULL,
										"inventory", "ssm:DescribeInstancePatches"};
	static const char *const installed[] = {"Installed", "InstalledOther", "InstalledPendingReboot",
											"InstalledRejected", "Failed", NULL};
	inv *v = ctx;
	int patches = i >= v->n, k = patches ? i - v->n : i, rc;
	item_acc a = {v, v->ids[k], cJSON_CreateArray()};
	cJSON *body = cJSON_CreateObject();

	cJSON_AddStringToObject(body, "InstanceId", a.id);
	if (!patches) {
		cJSON_AddStringToObject(body, "TypeName", "AWS:Application");
		cJSON_AddNumberToObject(body, "MaxResults", snd_page_size(w, 1, 50));
		rc = snd_item_pages(w, &list_apps, body, "InvalidInstanceId", apps_page, &a);
	} else {
		cJSON *f = cJSON_CreateObject(), *vals;
		size_t j;

		cJSON_AddStringToObject(f, "Key", "State");
		vals = cJSON_AddArrayToObject(f, "Values");
		for (j = 0; installed[j]; j++)
			cJSON_AddItemToArray(vals, cJSON_CreateString(installed[j]));
		cJSON_AddItemToArray(cJSON_AddArrayToObject(body, "Filters"), f);
		cJSON_AddNumberToObject(body, "MaxResults", snd_page_size(w, 10, 100));
		rc = snd_item_pages(w, &list_patches, body, "InvalidInstanceId", patches_page, &a);
	}
	cJSON_Delete(body);
	if (rc < 0) {
		cJSON_Delete(a.rows);
		return -1;
	}
	if (patches)
		v->patches[k] = a.rows;
	else
		v->apps[k] = a.rows;
	return 0;
}

/* See sender.h. */
void
snd_collect_inventory(snd_task *t)
{
	static const snd_op describe = {"ssm", JSON11, SSM "DescribeInstanceInformation", NULL, "NextToken", NULL,
									"inventory", "ssm:DescribeInstanceInformation"};
	static const char *const empty[] = {"services", "users", "processes", "network_ports", "certificates", NULL};
	inv v;
	cJSON *body, *out, *apps, *patches, *row;
	int i, failed = 0;
	size_t j;

	memset(&v, 0, sizeof(v));
	v.instances = cJSON_CreateArray();
	v.from = (double) snd_date_epoch(t->s->date_from);
	v.to = (double) snd_date_epoch(t->s->ce_end);
	body = cJSON_CreateObject();
	cJSON_AddNumberToObject(body, "MaxResults", snd_page_size(t, 5, 50));
	if (snd_pages(t, &describe, body, instances_page, &v) < 0) {
		cJSON_Delete(body);
		if (t->status == SND_OK) {   /* stopped by the page callback: out of memory */
			snd_task_message(t, "inventory", "ssm:DescribeInstanceInformation: out of memory");
			t->status = SND_FAILED;
		}
		cJSON_Delete(v.instances);
		for (i = 0; i < v.n; i++)
			free(v.ids[i]);
		free(v.ids);
		return;
	}
	cJSON_Delete(body);
	v.apps = v.n ? calloc((size_t) v.n, sizeof(*v.apps)) : NULL;
	v.patches = v.n ? calloc((size_t) v.n, sizeof(*v.patches)) : NULL;
	if (v.n && (v.apps == NULL || v.patches == NULL)) {
		snd_task_message(t, "inventory", "out of memory");
		failed = 1;
	} else
		failed = snd_fanout(t, 2 * v.n, instance_item, &v, NULL) > 0;

	apps = cJSON_CreateArray();
	patches = cJSON_CreateArray();
	for (i = 0; i < v.n; i++) {
		while (v.apps && v.apps[i] && (row = cJSON_DetachItemFromArray(v.apps[i], 0)) != NULL)
			cJSON_AddItemToArray(apps, row);
		while (v.patches && v.patches[i] && (row = cJSON_DetachItemFromArray(v.patches[i], 0)) != NULL)
			cJSON_AddItemToArray(patches, row);
		if (v.apps)
			cJSON_Delete(v.apps[i]);
		if (v.patches)
			cJSON_Delete(v.patches[i]);
		free(v.ids[i]);
	}
	free(v.apps);
	free(v.patches);
	free(v.ids);
	out = cJSON_CreateObject();
	t->items = cJSON_GetArraySize(v.instances) + cJSON_GetArraySize(apps) + cJSON_GetArraySize(patches);
	cJSON_AddItemToObject(out, "instances", v.instances);
	cJSON_AddItemToObject(out, "applications", apps);
	cJSON_AddItemToObject(out, "patches", patches);
	for (j = 0; empty[j]; j++)
		cJSON_AddItemToObject(out, empty[j], cJSON_CreateArray());
	t->value = out;
	if (failed && t->status < SND_PARTIAL)
		t->status = SND_PARTIAL;
}
