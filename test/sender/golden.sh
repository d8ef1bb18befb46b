# test/sender/golden.sh - the collection of the golden test, shared by
# test/sender/record-golden and test/suites/97-sender-golden.  Source it
# after test/fakes/lib.sh, from the top of the tree.

# A fixed key pair: the fixture endpoint checks every signature against it.
GOLDEN_AKID=AKIAMAOGOLDENTEST000
GOLDEN_SECRET=mao-golden-test-secret-key

# golden_sender_env ENDPOINT AKID SECRET: the environment of a collection
# whose every AWS call goes to ENDPOINT.
golden_sender_env() {
	unset AWS_PROFILE AWS_SESSION_TOKEN AWS_REGION AWS_DEFAULT_REGION REGION BUCKET ANALYTICS_KMS_KEY \
		PARTNER CUSTOMER CATEGORY ENVIRONMENT PRODUCT INTERVAL MAO_SENDER_DATE MAO_SENDER_PAGE_SIZE \
		MAO_SENDER_MAX_IN_FLIGHT
	local v
	for v in $(env | grep -o '^AWS_ENDPOINT_URL_[A-Z0-9_]*'); do unset "$v"; done
	export AWS_ACCESS_KEY_ID=$2 AWS_SECRET_ACCESS_KEY=$3 AWS_EC2_METADATA_DISABLED=true \
		AWS_CONFIG_FILE=/nonexistent AWS_SHARED_CREDENTIALS_FILE=/nonexistent AWS_ENDPOINT_URL=$1
}

# golden_collect OUT ERR: the golden collection (date, region, page size).
golden_collect() {
	sender/mao-sender collect --out "$1" --region us-east-1 --date 2026-11-20 --page-size 5 2>"$2"
}

# golden_replay WORK: the endpoint with the golden fixtures and the others
# (test/fixtures/aws), no upstream; one collection into WORK/doc.json, its
# stderr in WORK/collect.err, the endpoint's stats in WORK/stats.json.
# Returns the collection's exit status.
golden_replay() {
	local work=$1 url rc=0
	MAO_PROXY_CREDENTIALS="$GOLDEN_AKID:$GOLDEN_SECRET" start_fake "$work/replay.log" python3 test/fakes/aws_fixtures.py \
		--fixtures test/fixtures/golden --fixtures test/fixtures/aws --port-file "$work/replay.port"
	url="http://127.0.0.1:$(wait_port_file "$work/replay.port")" || return 1
	(golden_sender_env "$url" "$GOLDEN_AKID" "$GOLDEN_SECRET" && golden_collect "$work/doc.json" "$work/collect.err") || rc=$?
	python3 -c 'import sys, urllib.request
print(urllib.request.urlopen(sys.argv[1], timeout=10).read().decode())' "$url/__fixtures/stats" >"$work/stats.json"
	return $rc
}
