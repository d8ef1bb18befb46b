# test/sender/aws_env.sh - the AWS side of a mao-sender suite: moto_server
# with its SigV4 checking on (an IAM user, a role and a KMS key made by
# test/fakes/moto_setup.py), a second moto_server for S3 behind the
# signature-checking proxy (test/fakes/s3_sigv4_proxy.py), the bucket
# mao-data, and the environment mao-sender reads.
#
# Source it after test/fakes/lib.sh, with $work set; then
#   sender_aws_start [ENDPOINT]   ENDPOINT (optional): where the sender's
#                                 non-S3 calls go instead of moto (a fake in
#                                 front of it); call sender_aws_endpoint later
#                                 to set it once that fake runs
# sets aport (moto's port), s3 (the proxy's URL), akid, secret, arn (the KMS
# key), account, and defines s3tool BUCKET-COMMAND ... (test/e2e/s3tool.py).

sender_aws_start() {
	aport=$(free_port)
	INITIAL_NO_AUTH_ACTION_COUNT=0 start_fake "$work/moto.log" moto_server -H 127.0.0.1 -p "$aport"
	local mport
	mport=$(free_port)
	start_fake "$work/moto-s3.log" env -u INITIAL_NO_AUTH_ACTION_COUNT moto_server -H 127.0.0.1 -p "$mport"
	wait_http "http://127.0.0.1:$aport/moto-api/" && wait_http "http://127.0.0.1:$mport/moto-api/" || return 1
	python3 test/fakes/moto_setup.py "http://127.0.0.1:$aport" "$work/setup.json" || return 1
	read -r akid secret arn account < <(python3 -c 'import json, sys
d = json.load(open(sys.argv[1]))
print(d["access_key_id"], d["secret_access_key"], d["key_arn"], d["account"])' "$work/setup.json")
	MAO_PROXY_CREDENTIALS="$akid:$secret" start_fake "$work/proxy.log" python3 test/fakes/s3_sigv4_proxy.py \
		--upstream "http://127.0.0.1:$mport" --port-file "$work/proxy.port" --port 0
	s3="http://127.0.0.1:$(wait_port_file "$work/proxy.port")" || return 1
	s3tool mb mao-data || return 1
	unset AWS_PROFILE AWS_SESSION_TOKEN AWS_REGION AWS_DEFAULT_REGION REGION BUCKET ANALYTICS_KMS_KEY \
		PARTNER CUSTOMER CATEGORY ENVIRONMENT PRODUCT INTERVAL MAO_SENDER_DATE AWS_LAMBDA_RUNTIME_API \
		AWS_CONTAINER_CREDENTIALS_FULL_URI AWS_CONTAINER_CREDENTIALS_RELATIVE_URI AWS_CONTAINER_AUTHORIZATION_TOKEN
	export AWS_ACCESS_KEY_ID=$akid AWS_SECRET_ACCESS_KEY=$secret AWS_EC2_METADATA_DISABLED=true \
		AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent \
		AWS_ENDPOINT_URL="${1:-http://127.0.0.1:$aport}" AWS_ENDPOINT_URL_S3="$s3"
}

s3tool() { python3 test/e2e/s3tool.py "$s3" "$akid" "$secret" "$@"; }

# sender_doc_window FILE: prints "date start end interval" of a plain or sealed document
# (sealed: decrypted with mao-envelope under the KMS key, the context checked against KEY).
sender_doc_window() {
	python3 -c 'import json,sys; m=json.load(open(sys.argv[1]))["metadata"]; print(m["date"], m["window"]["start"], m["window"]["end"], m["interval"])' "$1"
}

# sender_object_window KEY: fetches s3://mao-data/KEY, decrypts and prints its window as above.
sender_object_window() {
	local f="$work/object.$$"
	s3tool get mao-data "$1" "$f.enc" >/dev/null \
		&& envelope/mao-envelope decrypt --kms-key "$arn" --check-key "$1" --in "$f.enc" --out "$f.gz" \
		&& gzip -dc "$f.gz" >"$f.json" && sender_doc_window "$f.json"
	rm -f "$f.enc" "$f.gz" "$f.json"
}
