#!/usr/bin/env bash
# Runs bench/JobsBench.java against throwaway Phork servers (see with-server.sh), each granting
# credits and a daily quota that never run out:
#
#   submit                  workers disabled, so that only submission is measured
#   drain                   workers disabled in the server; the bench fills the queue, then starts
#                           one worker process (64 workers: no-op jobs mostly wait on the database)
#                           on the same database and times the drain
#   pickup, stream, render  workers enabled (8 workers, 64 running jobs per workspace), uploads up
#                           to 300MB; each part gets its own server
#
# Usage: bench/run-jobs-bench.sh [submit|pickup|drain|stream|render|all] [JobsBench flags, e.g. --duration 10]
set -euo pipefail

cd "$(dirname "$0")/.."

part="${1:-all}"
case "$part" in
	submit | pickup | drain | stream | render | all) ;;
	*)
		echo "usage: bench/run-jobs-bench.sh [submit|pickup|drain|stream|render|all] [JobsBench flags]" >&2
		exit 2
		;;
esac
shift $(($# > 0 ? 1 : 0))

export PHORK_STARTER_CREDITS=1000000000 PHORK_DAILY_QUOTA=1000000000

if [[ "$part" == submit || "$part" == all ]]; then
	PHORK_WORKER_ENABLED=false bench/with-server.sh bench/JobsBench.java submit "$@"
fi
if [[ "$part" == drain || "$part" == all ]]; then
	PHORK_WORKER_ENABLED=false PHORK_WORKER_CONCURRENCY=64 PHORK_MAX_RUNNING=64 \
		bench/with-server.sh bench/JobsBench.java drain "$@"
fi
for worker_part in pickup stream render; do
	if [[ "$part" == "$worker_part" || "$part" == all ]]; then
		PHORK_WORKER_ENABLED=true PHORK_WORKER_CONCURRENCY=8 PHORK_MAX_RUNNING=64 PHORK_MAX_UPLOAD=300MB \
			bench/with-server.sh bench/JobsBench.java "$worker_part" "$@"
	fi
done
