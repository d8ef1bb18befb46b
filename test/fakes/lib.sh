# test/fakes/lib.sh - shell helpers for suites that run loopback servers.
# Source it; it sets a trap that stops every server started with start_fake.
fake_pids=()

# Stops the servers this shell started (by pid), then runs extra cleanup.
stop_fakes() {
	local p
	for p in "${fake_pids[@]}"; do
		kill "$p" 2>/dev/null || true
	done
	for p in "${fake_pids[@]}"; do
		wait "$p" 2>/dev/null || true
	done
	fake_pids=()
}
trap stop_fakes EXIT

# wait_port_file FILE: waits (up to 30 s) until FILE exists; prints its content.
wait_port_file() {
	local i
	for i in $(seq 1 300); do
		if [ -s "$1" ]; then cat "$1"; return 0; fi
		sleep 0.1
	done
	echo "timed out waiting for $1" >&2
	return 1
}

# free_port: prints a loopback TCP port that was free a moment ago.
free_port() {
	python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1]); s.close()'
}

# wait_http URL: waits (up to 60 s) until URL answers at all.
wait_http() {
	local i
	for i in $(seq 1 600); do
		if python3 -c 'import sys,urllib.request,urllib.error
try:
    urllib.request.urlopen(sys.argv[1], timeout=1)
except urllib.error.HTTPError:
    pass' "$1" 2>/dev/null; then return 0; fi
		sleep 0.1
	done
	echo "timed out waiting for $1" >&2
	return 1
}

# start_fake LOG CMD...: starts CMD in the background with output to LOG.
start_fake() {
	local log=$1
	shift
	"$@" >"$log" 2>&1 &
	fake_pids+=($!)
}

export ASAN_OPTIONS=detect_leaks=1:abort_on_error=0:halt_on_error=1
export UBSAN_OPTIONS=print_stacktrace=1:halt_on_error=1
