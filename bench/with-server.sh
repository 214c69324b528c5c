#!/usr/bin/env bash
# Runs a benchmark program against a throwaway Phork server: a fresh data folder (embedded
# PostgreSQL) on a free port, stopped and deleted afterwards, also when something fails.
#
# Usage: bench/with-server.sh bench/SomeBench.java [arguments for it]
#        The program gets its arguments, then --url <server>; PHORK_* variables set by the caller
#        configure the server, and PHORK_BENCH_DATA_DIR tells the program the server's data folder.
# Env:   PHORK_JAR  the server jar (default target/phork.jar, built with ./mvnw if missing)
#        JAVA_HOME  used when it is a JDK 21 or newer
#        PHORK_BENCH_START_TIMEOUT  seconds to wait for the server to start (default 90)
set -euo pipefail

cd "$(dirname "$0")/.."

java_major() {
	"$1/bin/java" -version 2>&1 | sed -n 's/.*version "\([0-9]*\).*/\1/p' | head -n 1
}

find_jdk() {
	local candidate major
	for candidate in "${JAVA_HOME:-}" /usr/lib/jvm/temurin-25-jdk-amd64 /usr/lib/jvm/*-21* /usr/lib/jvm/*-25*; do
		[[ -n "$candidate" && -x "$candidate/bin/java" ]] || continue
		major=$(java_major "$candidate")
		if [[ -n "$major" && "$major" -ge 21 ]]; then
			echo "$candidate"
			return
		fi
	done
	echo "No JDK 21 or newer found (set JAVA_HOME)." >&2
	exit 1
}

free_port() {
	local port
	while true; do
		port=$((20000 + RANDOM % 20000))
		if ! (echo >"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
			echo "$port"
			return
		fi
	done
}

export JAVA_HOME
JAVA_HOME=$(find_jdk)
java="$JAVA_HOME/bin/java"
jar="${PHORK_JAR:-target/phork.jar}"

if [[ ! -f "$jar" ]]; then
	echo "Building $jar ..." >&2
	./mvnw -q -DskipTests package
fi
if [[ ! -f "$jar" ]]; then
	echo "Server jar $jar not found." >&2
	exit 1
fi

data_dir=$(mktemp -d -t phork-bench.XXXXXX)
server_pid=""

cleanup() {
	local status=$?
	if [[ -n "$server_pid" ]]; then
		if [[ $status -ne 0 ]]; then
			echo "Server log (last 40 lines):" >&2
			tail -n 40 "$data_dir/server.log" >&2 || true
		fi
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
	fi
	rm -rf "$data_dir"
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

port=$(free_port)
echo "Starting Phork ($jar, $("$java" -version 2>&1 | head -n 1)) on port $port, data in $data_dir" >&2
# The benchmarks register their many users from this one address: lift that limit unless the caller set it.
PHORK_DATA_DIR="$data_dir" PHORK_REGISTRATIONS_PER_ADDRESS="${PHORK_REGISTRATIONS_PER_ADDRESS:-1000000}" \
	"$java" -jar "$jar" --server.port="$port" --management.server.port=0 >"$data_dir/server.log" 2>&1 &
server_pid=$!

url="http://127.0.0.1:$port"
started=$SECONDS
until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/health")" == "200" ]]; do
	if ! kill -0 "$server_pid" 2>/dev/null; then
		echo "The server exited during startup." >&2
		exit 1
	fi
	if ((SECONDS - started >= ${PHORK_BENCH_START_TIMEOUT:-90})); then
		echo "The server did not answer GET /health with 200 within ${PHORK_BENCH_START_TIMEOUT:-90} s." >&2
		exit 1
	fi
	sleep 1
done
echo "Server ready after $((SECONDS - started)) s." >&2

program="$1"
shift
PHORK_BENCH_DATA_DIR="$data_dir" "$java" "$program" "$@" --url "$url"
