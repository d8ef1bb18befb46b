/*
 * lambda_runtime.c - see lambda_runtime.h.
 */
#include "lambda_runtime.h"

#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include <cJSON.h>

#define RUNTIME_PATH "/2018-06-01/runtime"

struct mao_lambda_runtime {
	char base[512];           /* http://host:port/2018-06-01/runtime */
	mao_http_client *http;
	const volatile sig_atomic_t *cancel;
};

/* See lambda_runtime.h. */
int
mao_lambda_runtime_new(const char *api, const volatile sig_atomic_t *cancel,
					   mao_lambda_runtime **out, mao_err *err)
{
	/* next blocks until an event comes: no total timeout worth the name */
	mao_http_options hopts = {0, 24L * 3600 * 1000, 16UL * 1024 * 1024, 0};
	mao_lambda_runtime *rt;
	int rc;

	*out = NULL;
	if (api == NULL)
		api = getenv("AWS_LAMBDA_RUNTIME_API");
	if (api == NULL || *api == '\0' || strlen(api) > 256 || strchr(api, '/') != NULL)
		return mao_err_set(err, MAO_ERR_INVALID, "AWS_LAMBDA_RUNTIME_API is not a host:port");
	rt = calloc(1, sizeof(*rt));
	if (rt == NULL)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	snprintf(rt->base, sizeof(rt->base), "http://%s" RUNTIME_PATH, api);
	rt->cancel = cancel;
	rc = mao_http_client_new(&hopts, &rt->http, err);
	if (rc != MAO_OK) {
		free(rt);
		return rc;
	}
	*out = rt;
	return MAO_OK;
}

/* See lambda_runtime.h. */
void
mao_lambda_runtime_free(mao_lambda_runtime *rt)
{
	if (rt == NULL)
		return;
	mao_http_client_free(rt->http);
	free(rt);
}

/* See lambda_runtime.h. */
void
mao_lambda_invocation_free(mao_lambda_invocation *inv)
{
	free(inv->event);
	memset(inv, 0, sizeof(*inv));
}

/* See lambda_runtime.h. */
int
mao_lambda_next(mao_lambda_runtime *rt, mao_lambda_invocation *inv, mao_err *err)
{
	char url[600];
	mao_http_request req;
	mao_http_response resp;
	const char *id, *deadline;
	int rc;

	memset(inv, 0, sizeof(*inv));
	snprintf(url, sizeof(url), "%s/invocation/next", rt->base);
	memset(&req, 0, sizeof(req));
	req.method = "GET";
	req.url = url;
	req.cancel = rt->cancel;
	mao_http_response_init(&resp);
	rc = mao_http_perform(rt->http, &req, &resp, err);
	if (rc == MAO_OK && resp.http_status == 410)
		rc = mao_err_set(err, MAO_ERR_NOT_FOUND, "the Runtime API is gone (HTTP 410)");
	else if (rc == MAO_OK && resp.http_status != 200)
		rc = mao_err_set(err, MAO_ERR_INVALID, "the Runtime API answered HTTP %ld to next",
						 resp.http_status);
	if (rc == MAO_OK) {
		id = mao_http_response_header(&resp, "Lambda-Runtime-Aws-Request-Id");
		deadline = mao_http_response_header(&resp, "Lambda-Runtime-Deadline-Ms");
		if (id == NULL || *id == '\0' || strlen(id) >= sizeof(inv->request_id))
			rc = mao_err_set(err, MAO_ERR_INVALID, "an invocation without a usable request id");
		else {
			snprintf(inv->request_id, sizeof(inv->request_id), "%s", id);
			inv->deadline_ms = deadline ? strtoll(deadline, NULL, 10) : 0;
			inv->event = strdup(mao_buf_cstr(&resp.body));
			if (inv->event == NULL)
				rc = mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
		}
	}
	mao_http_response_free(&resp);
	if (rc != MAO_OK)
		mao_lambda_invocation_free(inv);
	return rc;
}

/* POSTs body to base + path, with the error-type header when type is set. */
static int
post(mao_lambda_runtime *rt, const char *path, const char *body, const char *type, mao_err *err)
{
	char url[1024];
	mao_header h[2] = {{"Content-Type", "application/json"},
					   {"Lambda-Runtime-Function-Error-Type", type}};
	mao_http_request req;
	mao_http_response resp;
	int rc;

	snprintf(url, sizeof(url), "%s%s", rt->base, path);
	memset(&req, 0, sizeof(req));
	req.method = "POST";
	req.url = url;
	req.headers = h;
	req.n_headers = type ? 2 : 1;
	req.body = body;
	req.body_len = strlen(body);
	/* not cancellable: a result computed before SIGTERM is still worth delivering */
	mao_http_response_init(&resp);
	rc = mao_http_perform(rt->http, &req, &resp, err);
	if (rc == MAO_OK && resp.http_status >= 300)
		rc = mao_err_set(err, MAO_ERR_INVALID, "the Runtime API answered HTTP %ld to %s",
						 resp.http_status, path);
	mao_http_response_free(&resp);
	return rc;
}

/* The {"errorMessage", "errorType"} body (caller frees with cJSON_free), or NULL. */
static char *
error_body(const char *type, const char *message)
{
	cJSON *e = cJSON_CreateObject();
	char *text;

	cJSON_AddStringToObject(e, "errorMessage", message ? message : "");
	cJSON_AddStringToObject(e, "errorType", type);
	text = cJSON_PrintUnformatted(e);
	cJSON_Delete(e);
	return text;
}

/* See lambda_runtime.h. */
int
mao_lambda_respond(mao_lambda_runtime *rt, const char *request_id, const char *json, mao_err *err)
{
	char path[256];

	snprintf(path, sizeof(path), "/invocation/%s/response", request_id);
	return post(rt, path, json, NULL, err);
}

/* Posts an error body of type and message to path. */
static int
post_error(mao_lambda_runtime *rt, const char *path, const char *type, const char *message,
		   mao_err *err)
{
	char *body = error_body(type, message);
	int rc;

	if (body == NULL)
		return mao_err_set(err, MAO_ERR_NOMEM, "out of memory");
	rc = post(rt, path, body, type, err);
	cJSON_free(body);
	return rc;
}

/* See lambda_runtime.h. */
int
mao_lambda_fail(mao_lambda_runtime *rt, const char *request_id, const char *type,
				const char *message, mao_err *err)
{
	char path[256];

	snprintf(path, sizeof(path), "/invocation/%s/error", request_id);
	return post_error(rt, path, type, message, err);
}

/* See lambda_runtime.h. */
int
mao_lambda_init_error(mao_lambda_runtime *rt, const char *type, const char *message, mao_err *err)
{
	return post_error(rt, "/init/error", type, message, err);
}
