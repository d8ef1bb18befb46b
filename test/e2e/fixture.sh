# test/e2e/fixture.sh - the S3 side of the receiver end-to-end suites, shared
# by the worker's (70-worker-s3) and the runner's (81-runner-s3).  Source it
# after test/fakes/lib.sh, with $work set and the current directory the
# repository's top.
#
#   e2e_start_s3          moto_server (its S3 signature check off) behind
#                         test/fakes/s3_sigv4_proxy.py, which checks every
#                         request's signature with botocore; sets s3, akid,
#                         secret, mport, pport, proxy_pid; defines s3tool
#   e2e_restart_proxy     starts the proxy again on the same port
#   e2e_make_objects      seals the mixed set of objects under $work/objects
#                         with a raw AES key in $work/key.bin; sets keyring,
#                         good_keys and bad_keys
#   e2e_upload BUCKET     uploads good then bad objects to BUCKET
#
# The mix: envelopes of three accounts (one with gzip inside), a plain
# reference-format JSON document; then garbage, a tampered envelope, an
# envelope under another account's key, and a document the loader rejects.

e2e_start_proxy_on() { # PORT (0: any)
	MAO_PROXY_CREDENTIALS="$akid:$secret" start_fake "$work/proxy.log" \
		python3 test/fakes/s3_sigv4_proxy.py --upstream "http://127.0.0.1:$mport" \
		--port-file "$work/proxy.port" --port "$1"
	proxy_pid=${fake_pids[-1]}
	pport=$(wait_port_file "$work/proxy.port")
}

e2e_start_s3() {
	akid=AKIAMAOE2ETEST000001
	secret=$(python3 -c 'import secrets; print(secrets.token_urlsafe(30))')
	mport=$(free_port)
	start_fake "$work/moto.log" env -u INITIAL_NO_AUTH_ACTION_COUNT moto_server -H 127.0.0.1 -p "$mport"
	e2e_start_proxy_on 0
	wait_http "http://127.0.0.1:$mport/moto-api/"
	s3="http://127.0.0.1:$pport"
}

e2e_restart_proxy() {
	rm -f "$work/proxy.port"
	e2e_start_proxy_on "$pport"
}

s3tool() { python3 test/e2e/s3tool.py "$s3" "$akid" "$secret" "$@"; }

e2e_seal() { # OUT ACCOUNT REGION DATE PLAINTEXT-FILE
	envelope/mao-envelope encrypt --raw-aes "mao:e2e:$work/key.bin" --mao "$2:$3:$4:DAILY" --in "$5" --out "$1"
}

e2e_make_objects() {
	local d=test/data o=$work/objects
	mkdir -p "$o"
	head -c 32 /dev/urandom >"$work/key.bin"
	chmod 644 "$work/key.bin"
	chmod 755 "$work"
	keyring="raw-aes:mao:e2e:$work/key.bin"
	gzip -c $d/account-b-2026-11-20.json >"$o/b.json.gz"
	e2e_seal "$o/a.enc" 111122223333 eu-west-1 2026-11-20 $d/account-a-2026-11-20.json
	e2e_seal "$o/b.enc" 444455556666 us-east-1 2026-11-20 "$o/b.json.gz"
	e2e_seal "$o/c.enc" 777788889999 ap-southeast-1 2026-11-20 $d/account-c-2026-11-20.json
	cp $d/account-a-2026-11-21.json "$o/a2.json"
	# random bytes behind a text start, so that no run mistakes them for JSON ({, [) or gzip
	{ printf 'not an envelope: '; head -c 2000 /dev/urandom; } >"$o/garbage"
	e2e_seal "$o/tampered.enc" 777788889999 ap-southeast-1 2026-11-21 $d/account-c-2026-11-20.json
	e2e_seal "$o/c23.enc" 777788889999 ap-southeast-1 2026-11-23 $d/account-c-2026-11-20.json
	python3 -c 'import sys; p=sys.argv[1]; d=bytearray(open(p,"rb").read()); d[len(d)//2]^=0x40; open(p,"wb").write(d)' "$o/tampered.enc"
	python3 - "$d/account-c-2026-11-20.json" "$o/rejected.json" <<'PY'
import json, sys
doc = json.load(open(sys.argv[1]))
doc["account"]["account_id"] = "12345"   # not a 12-digit id: the loader refuses it
json.dump(doc, open(sys.argv[2], "w"))
PY
	good_keys=(
		"data/111122223333/eu-west-1/2026-11-20_DAILY.json.enc"
		"data/444455556666/us-east-1/2026-11-20_DAILY.json.enc"
		"data/777788889999/ap-southeast-1/2026-11-20_DAILY.json.enc"
		"data/111122223333/eu-west-1/2026-11-21_DAILY.json"
	)
	bad_keys=(
		"data/555566667777/eu-central-1/2026-11-20_DAILY.json.enc"
		"data/777788889999/ap-southeast-1/2026-11-21_DAILY.json.enc"
		"data/444455556666/us-east-1/2026-11-21_DAILY.json.enc"
		"data/777788889999/ap-southeast-1/2026-11-22_DAILY.json"
	)
}

e2e_upload() { # BUCKET
	local o=$work/objects
	s3tool put "$1" "${good_keys[0]}" "$o/a.enc"
	s3tool put "$1" "${good_keys[1]}" "$o/b.enc"
	s3tool put "$1" "${good_keys[2]}" "$o/c.enc"
	s3tool put "$1" "${good_keys[3]}" "$o/a2.json"
	s3tool put "$1" "${bad_keys[0]}" "$o/garbage"
	s3tool put "$1" "${bad_keys[1]}" "$o/tampered.enc"
	s3tool put "$1" "${bad_keys[2]}" "$o/a.enc"          # account A's envelope under B's key
	s3tool put "$1" "${bad_keys[3]}" "$o/rejected.json"
}
