/*
 * test_aws.c - offline checks of lib/aws and lib/xml: endpoint resolution
 * (defaults, global services, AWS_ENDPOINT_URL[_<SERVICE>]), AWS error
 * parsing from JSON, XML and headers, HTTP dates, XML text decoding.
 */
#include <stdio.h>
#include <stdlib.h>
#include <string.h>

#include "aws.h"
#include "testutil.h"
#include "codec.h"
#include "ini.h"
#include "xml.h"

/* Resolves and checks one endpoint. */
static void
check_ep(t_ctx *t, const char *service, const char *region, const char *host,
		 const char *signing_region, const char *scheme, const char *base)
{
	mao_aws_endpoint ep;
	mao_err err;

	T_CHECK(t, mao_aws_resolve_endpoint(service, region, NULL, &ep, &err) == MAO_OK,
			"resolve %s %s: %s", service, region, err.msg);
	T_STREQ(t, "host", host, ep.host);
	T_STREQ(t, "signing region", signing_region, ep.signing_region);
	T_STREQ(t, "scheme", scheme, ep.scheme);
	T_STREQ(t, "base path", base, ep.base_path);
}

/* Endpoint defaults and overrides. */
static void
test_endpoints(t_ctx *t)
{
	mao_aws_endpoint ep;

	unsetenv("AWS_ENDPOINT_URL");
	unsetenv("AWS_ENDPOINT_URL_KMS");
	unsetenv("AWS_ENDPOINT_URL_S3");
	unsetenv("AWS_STS_REGIONAL_ENDPOINTS");
	unsetenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	check_ep(t, "kms", "eu-west-1", "kms.eu-west-1.amazonaws.com", "eu-west-1", "https", "");
	check_ep(t, "s3", "us-east-1", "s3.us-east-1.amazonaws.com", "us-east-1", "https", "");
	check_ep(t, "sts", "eu-central-1", "sts.eu-central-1.amazonaws.com", "eu-central-1", "https", "");
	check_ep(t, "kms", "cn-north-1", "kms.cn-north-1.amazonaws.com.cn", "cn-north-1", "https", "");
	check_ep(t, "iam", "eu-west-3", "iam.amazonaws.com", "us-east-1", "https", "");
	check_ep(t, "iam", "us-gov-west-1", "iam.us-gov.amazonaws.com", "us-gov-west-1", "https", "");
	check_ep(t, "iam", "cn-northwest-1", "iam.cn-north-1.amazonaws.com.cn", "cn-north-1", "https", "");
	check_ep(t, "savingsplans", "eu-west-1", "savingsplans.amazonaws.com", "us-east-1", "https", "");
	check_ep(t, "savingsplans", "cn-north-1", "savingsplans.cn-north-1.amazonaws.com.cn", "cn-north-1", "https", "");
	check_ep(t, "ce", "ap-southeast-2", "ce.us-east-1.amazonaws.com", "us-east-1", "https", "");
	check_ep(t, "ce", "cn-north-1", "ce.cn-northwest-1.amazonaws.com.cn", "cn-northwest-1", "https", "");
	check_ep(t, "compute-optimizer", "eu-west-1", "compute-optimizer.eu-west-1.amazonaws.com", "eu-west-1",
			 "https", "");
	setenv("AWS_STS_REGIONAL_ENDPOINTS", "legacy", 1);
	check_ep(t, "sts", "eu-central-1", "sts.amazonaws.com", "us-east-1", "https", "");
	unsetenv("AWS_STS_REGIONAL_ENDPOINTS");
	setenv("AWS_ENDPOINT_URL", "http://127.0.0.1:4566/", 1);
	check_ep(t, "kms", "eu-west-1", "127.0.0.1:4566", "eu-west-1", "http", "");
	setenv("AWS_ENDPOINT_URL_KMS", "HTTPS://kms.local:8443/base/path/", 1);
	check_ep(t, "kms", "eu-west-1", "kms.local:8443", "eu-west-1", "https", "/base/path");
	check_ep(t, "sts", "eu-west-1", "127.0.0.1:4566", "eu-west-1", "http", "");
	setenv("AWS_ENDPOINT_URL_SECRETS_MANAGER", "http://sm:1", 1);
	check_ep(t, "secretsmanager", "eu-west-1", "sm:1", "eu-west-1", "http", "");
	unsetenv("AWS_ENDPOINT_URL_SECRETS_MANAGER");
	setenv("AWS_ENDPOINT_URL_COST_EXPLORER", "http://ce:2", 1);
	check_ep(t, "ce", "us-east-1", "ce:2", "us-east-1", "http", "");
	unsetenv("AWS_ENDPOINT_URL_COST_EXPLORER");
	setenv("AWS_ENDPOINT_URL_COMPUTE_OPTIMIZER", "http://co:3", 1);
	check_ep(t, "compute-optimizer", "eu-west-1", "co:3", "eu-west-1", "http", "");
	unsetenv("AWS_ENDPOINT_URL_COMPUTE_OPTIMIZER");
	setenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS", "true", 1);
	check_ep(t, "kms", "eu-west-1", "kms.eu-west-1.amazonaws.com", "eu-west-1", "https", "");
	unsetenv("AWS_IGNORE_CONFIGURED_ENDPOINT_URLS");
	T_CHECK(t, mao_aws_resolve_endpoint("kms", "eu-west-1", "http://x:1", &ep, NULL) == MAO_OK &&
			strcmp(ep.host, "x:1") == 0 && ep.custom, "explicit override");
	T_CHECK(t, mao_aws_resolve_endpoint("kms", "eu-west-1", "ftp://x", &ep, NULL) == MAO_ERR_INVALID,
			"ftp refused");
	T_CHECK(t, mao_aws_resolve_endpoint("kms", "eu-west-1/../x", NULL, &ep, NULL) == MAO_ERR_INVALID,
			"bad region refused");
	unsetenv("AWS_ENDPOINT_URL");
	unsetenv("AWS_ENDPOINT_URL_KMS");
}

/* Parses body/headers as an error response of the given status. */
static void
check_error(t_ctx *t, long status, const char *body, const char *hname,
			const char *hvalue, const char *code, const char *msg, const char *rid)
{
	mao_aws_response r;
	mao_http_header h[1];

	mao_aws_response_init(&r);
	r.http.http_status = status;
	mao_buf_append_str(&r.http.body, body);
	if (hname != NULL) {
		h[0].name = (char *) hname;
		h[0].value = (char *) hvalue;
		r.http.headers = h;
		r.http.n_headers = 1;
	}
	mao_aws_parse_error(&r);
	T_STREQ(t, "code", code, r.code);
	T_STREQ(t, "message", msg, r.message);
	T_STREQ(t, "request id", rid, r.request_id);
	r.http.headers = NULL;
	r.http.n_headers = 0;
	mao_aws_response_free(&r);
}

/* JSON, XML, Query-protocol and header-only errors. */
static void
test_errors(t_ctx *t)
{
	check_error(t, 400, "{\"__type\":\"com.amazonaws.kms#ThrottlingException\",\"message\":\"Rate exceeded\"}",
				"x-amzn-RequestId", "abc-1", "ThrottlingException", "Rate exceeded", "abc-1");
	check_error(t, 400, "  {\"code\":\"InvalidCiphertextException\",\"Message\":\"bad\"}",
				NULL, NULL, "InvalidCiphertextException", "bad", "");
	check_error(t, 503, "<?xml version=\"1.0\"?><Error><Code>SlowDown</Code><Message>a &amp; b &lt;c&gt;</Message>"
				"<RequestId>RID9</RequestId></Error>", NULL, NULL, "SlowDown", "a & b <c>", "RID9");
	check_error(t, 403, "<ErrorResponse xmlns=\"https://sts.amazonaws.com/doc/2011-06-15/\"><Error><Type>Sender</Type>"
				"<Code>SignatureDoesNotMatch</Code><Message>sig</Message></Error><RequestId>q1</RequestId>"
				"</ErrorResponse>", NULL, NULL, "SignatureDoesNotMatch", "sig", "q1");
	check_error(t, 404, "", "x-amz-request-id", "s3rid", "NotFound", "", "s3rid");
	check_error(t, 400, "{}", "x-amzn-ErrorType", "ValidationException:http://internal",
				"ValidationException", "", "");
	check_error(t, 418, "garbage", NULL, NULL, "HTTP418", "", "");
	T_CHECK(t, mao_aws_is_throttling("SlowDown") && mao_aws_is_throttling("RequestLimitExceeded") &&
			!mao_aws_is_throttling("AccessDenied"), "throttling codes");
}

/* HTTP dates and XML helpers. */
static void
test_misc(t_ctx *t)
{
	time_t v;
	char *s;
	const char *doc = "<R><Contents><Key>a&#x20;b&#43;&#xE9;</Key><Size>1</Size></Contents>"
		"<Contents><Key><![CDATA[x<y]]></Key></Contents><KeyCount>2</KeyCount><Empty/></R>";
	const char *p = doc, *c;
	size_t cl;
	int n = 0;

	T_CHECK(t, mao_time_parse_http("Sun, 06 Nov 1994 08:49:37 GMT", &v) == MAO_OK && v == 784111777,
			"RFC 1123 date");
	T_CHECK(t, mao_time_parse_http("Sun, 06 Foo 1994 08:49:37 GMT", &v) == MAO_ERR_INVALID, "bad month");
	T_CHECK(t, mao_time_parse_http("yesterday", &v) == MAO_ERR_INVALID, "garbage date");
	while (mao_xml_next(&p, doc + strlen(doc), "Contents", &c, &cl))
		n++;
	T_CHECK(t, n == 2, "two Contents (%d)", n);
	s = mao_xml_text_dup(doc, strlen(doc), "Key");
	T_STREQ(t, "decoded key", "a b+\xc3\xa9", s);
	free(s);
	s = mao_xml_text_dup(doc, strlen(doc), "KeyCount");
	T_STREQ(t, "KeyCount not confused with Key", "2", s);
	free(s);
	s = mao_xml_text_dup(doc, strlen(doc), "Empty");
	T_STREQ(t, "empty element", "", s);
	free(s);
	p = strstr(doc, "</Contents>") + 1;
	T_CHECK(t, mao_xml_next(&p, doc + strlen(doc), "Key", &c, &cl) && cl == 15, "CDATA raw");
}

/* Base64 (RFC 4648 vectors), JSON quoting and the shared-file format. */
static void
test_codec_ini(t_ctx *t)
{
	static const char *const plain[] = {"", "f", "fo", "foo", "foob", "fooba", "foobar"};
	static const char *const enc[] = {"", "Zg==", "Zm8=", "Zm9v", "Zm9vYg==", "Zm9vYmE=", "Zm9vYmFy"};
	const char *ini_text = "# c\n[default]\nregion = eu-west-1 \n; c2\n[profile x]\n"
		"aws_access_key_id=AK\ns3 =\n  addressing_style = path\nregion=us-east-2\n[empty]\n";
	mao_ini ini;
	int i;

	for (i = 0; i < 7; i++) {
		mao_buf b = MAO_BUF_INIT, d = MAO_BUF_INIT;

		mao_base64_encode(&b, plain[i], strlen(plain[i]));
		T_STREQ(t, "base64", enc[i], mao_buf_cstr(&b));
		T_CHECK(t, mao_base64_decode(&d, enc[i], strlen(enc[i])) == MAO_OK, "decode");
		T_STREQ(t, "base64 decoded", plain[i], mao_buf_cstr(&d));
		mao_buf_free(&b);
		mao_buf_free(&d);
	}
	{
		mao_buf d = MAO_BUF_INIT, j = MAO_BUF_INIT;

		T_CHECK(t, mao_base64_decode(&d, "Zm9v*", 5) == MAO_ERR_INVALID, "bad base64");
		mao_json_append_string(&j, "a\"b\\c\n\x01\xc3\xa9");
		T_STREQ(t, "json", "\"a\\\"b\\\\c\\u000a\\u0001\xc3\xa9\"", mao_buf_cstr(&j));
		mao_buf_free(&d);
		mao_buf_free(&j);
	}
	memset(&ini, 0, sizeof(ini));
	T_CHECK(t, mao_ini_parse(ini_text, strlen(ini_text), &ini, NULL) == MAO_OK, "ini parse");
	T_STREQ(t, "ini region", "eu-west-1", mao_ini_get(&ini, "default", "region"));
	T_STREQ(t, "ini key", "AK", mao_ini_get(&ini, "profile x", "aws_access_key_id"));
	T_STREQ(t, "ini after sub-section", "us-east-2", mao_ini_get(&ini, "profile x", "region"));
	T_CHECK(t, mao_ini_get(&ini, "profile x", "addressing_style") == NULL, "sub-section skipped");
	T_CHECK(t, mao_ini_has_section(&ini, "empty") && !mao_ini_has_section(&ini, "nope"), "sections");
	mao_ini_free(&ini);
}

/* Entry point. */
int
main(void)
{
	t_ctx t = {0, 0};

	test_endpoints(&t);
	test_errors(&t);
	test_misc(&t);
	test_codec_ini(&t);
	return t_summary(&t, "test_aws");
}
