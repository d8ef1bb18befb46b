/*
 * lambda_runtime.h - the client side of the AWS Lambda Runtime API, for a
 * binary that is its own custom runtime (provided.al2023, "bootstrap").
 *
 *   GET  /2018-06-01/runtime/invocation/next            the next event (blocks)
 *   POST /2018-06-01/runtime/invocation/<id>/response   its result
 *   POST /2018-06-01/runtime/invocation/<id>/error      its failure
 *   POST /2018-06-01/runtime/init/error                 the runtime cannot start
 *
 * The API's address comes from AWS_LAMBDA_RUNTIME_API (host:port).  Errors
 * are posted as {"errorMessage", "errorType"} with the
 * Lambda-Runtime-Function-Error-Type header.  The client keeps one HTTP
 * connection; one thread at a time.
 */
#ifndef MAO_LAMBDA_RUNTIME_H
#define MAO_LAMBDA_RUNTIME_H

#include <signal.h>

#include "err.h"
#include "http.h"

typedef struct mao_lambda_runtime mao_lambda_runtime; /* opaque */

/* One invocation; owns its strings; release with mao_lambda_invocation_free(). */
typedef struct mao_lambda_invocation {
	char request_id[128];     /* Lambda-Runtime-Aws-Request-Id */
	long long deadline_ms;    /* Lambda-Runtime-Deadline-Ms (epoch ms), 0 when absent */
	char *event;              /* the event's JSON text, NUL-terminated */
} mao_lambda_invocation;

/*
 * Creates a client for api ("host:port"; NULL: AWS_LAMBDA_RUNTIME_API).
 * cancel (borrowed, may be NULL) stops a waiting next (SIGTERM).
 */
int mao_lambda_runtime_new(const char *api, const volatile sig_atomic_t *cancel,
						   mao_lambda_runtime **out, mao_err *err);

/* Frees the client; NULL is ignored. */
void mao_lambda_runtime_free(mao_lambda_runtime *rt);

/*
 * Waits for the next invocation.  MAO_OK: inv is filled.  MAO_ERR_NOT_FOUND:
 * the API said 410 Gone (the environment is shutting down).
 * MAO_ERR_CANCELLED: the cancel flag was set.  Anything else: the API
 * could not be reached or answered nonsense (message in err).  In every
 * case but MAO_OK the runtime should stop serving.
 */
int mao_lambda_next(mao_lambda_runtime *rt, mao_lambda_invocation *inv, mao_err *err);

/* Frees what inv owns and leaves it empty. */
void mao_lambda_invocation_free(mao_lambda_invocation *inv);

/* Posts json (a JSON document) as the invocation's response. */
int mao_lambda_respond(mao_lambda_runtime *rt, const char *request_id, const char *json,
					   mao_err *err);

/* Posts {"errorMessage": message, "errorType": type} as the invocation's error. */
int mao_lambda_fail(mao_lambda_runtime *rt, const char *request_id, const char *type,
					const char *message, mao_err *err);

/* Posts an initialisation error (the runtime then exits; Lambda reports it). */
int mao_lambda_init_error(mao_lambda_runtime *rt, const char *type, const char *message,
						  mao_err *err);

#endif /* MAO_LAMBDA_RUNTIME_H */
