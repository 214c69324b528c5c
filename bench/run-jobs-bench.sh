#!/usr/bin/env bash
# Runs bench/JobsBench.java against throwaway Phork servers: each on a free port with a fresh data
# folder (embedded PostgreSQL), stopped and deleted afterwards, also when something fails.
#
#   submit          a server with workers disabled, so that only submission is measured
#   pickup, stream, render
#                   one server with workers enabled (8 workers, 64 running jobs per workspace) and
#                   uploads up to 300MB; the three parts run one after another against it
# Both servers grant credits and a daily quota that never run out.
#
# Usage: bench/run-jobs-bench.sh [submit|pickup|stream|render|all] [JobsBench flags, e.g. --duration 10]
#        (flags go to every part; each part ignores the ones it does not use)
# Env:   PHORK_JAR  the server jar (default target/phork.jar, built with ./mvnw if missing)
#        JAVA_HOME  used when it is a JDK 21 or newer
set -euo pipefail

cd "$(dirname "$0")/.."

part="${1:-all}"
case "$part" in
	submit | pickup | stream | render | all) ;;
	*)
		echo "usage: bench/run-jobs-bench.sh [submit|pickup|stream|render|all] [JobsBench flags]" >&2
		exit 2
		;;
esac
shift $(($# > 0 ? 1 : 0))

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

data_dir=""
server_pid=""
url=""

stop_server() {
	if [[ -n "$server_pid" ]]; then
		kill "$server_pid" 2>/dev/null || true
		wait "$server_pid" 2>/dev/null || true
		server_pid=""
	fi
	if [[ -n "$data_dir" ]]; then
		rm -rf "$data_dir"
		data_dir=""
	fi
}

cleanup() {
	local status=$?
	if [[ $status -ne 0 && -n "$server_pid" ]]; then
		echo "Server log (last 40 lines):" >&2
		tail -n 40 "$data_dir/server.log" >&2 || true
	fi
	stop_server
	exit "$status"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

# start_server VAR=value ...: a server with those settings on top of credits and a quota that never run out.
start_server() {
	data_dir=$(mktemp -d -t phork-jobs-bench.XXXXXX)
	local port
	port=$(free_port)
	echo "Starting Phork ($jar, $("$java" -version 2>&1 | head -n 1)) on port $port, data in $data_dir, $*" >&2
	env PHORK_DATA_DIR="$data_dir" PHORK_STARTER_CREDITS=1000000000 PHORK_DAILY_QUOTA=1000000000 "$@" \
		"$java" -jar "$jar" --server.port="$port" >"$data_dir/server.log" 2>&1 &
	server_pid=$!

	url="http://127.0.0.1:$port"
	local started=$SECONDS
	until [[ "$(curl -s -o /dev/null -w '%{http_code}' "$url/health")" == "200" ]]; do
		if ! kill -0 "$server_pid" 2>/dev/null; then
			echo "The server exited during startup." >&2
			exit 1
		fi
		if ((SECONDS - started >= 90)); then
			echo "The server did not answer GET /health with 200 within 90 s." >&2
			exit 1
		fi
		sleep 1
	done
	echo "Server ready after $((SECONDS - started)) s." >&2
}

if [[ "$part" == submit || "$part" == all ]]; then
	start_server PHORK_WORKER_ENABLED=false
	"$java" bench/JobsBench.java submit --url "$url" "$@"
	stop_server
fi

worker_parts=()
case "$part" in
	all) worker_parts=(pickup stream render) ;;
	pickup | stream | render) worker_parts=("$part") ;;
esac
if ((${#worker_parts[@]} > 0)); then
	start_server PHORK_WORKER_ENABLED=true PHORK_WORKER_CONCURRENCY=8 PHORK_MAX_RUNNING=64 PHORK_MAX_UPLOAD=300MB
	for worker_part in "${worker_parts[@]}"; do
		"$java" bench/JobsBench.java "$worker_part" --url "$url" --data-dir "$data_dir" "$@"
	done
	stop_server
fi
