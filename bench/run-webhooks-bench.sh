#!/usr/bin/env bash
# Runs bench/WebhooksBench.java against a throwaway Phork server (see with-server.sh) that runs the
# workers and the webhook dispatcher in one process: 64 workers (solid jobs mostly wait on the
# database), credits and a daily quota that never run out, webhooks allowed to the bench's receiver
# on loopback over http, and a timeout long enough for the backlog part to hold its requests.
#
# Usage: bench/run-webhooks-bench.sh [--events 10000]
set -euo pipefail

cd "$(dirname "$0")/.."

export PHORK_STARTER_CREDITS=1000000000 PHORK_DAILY_QUOTA=1000000000
export PHORK_WORKER_ENABLED=true PHORK_WORKER_CONCURRENCY=64 PHORK_MAX_RUNNING=64
export PHORK_WEBHOOK_ALLOW_HTTP=true PHORK_ALLOW_PRIVATE_URLS=true PHORK_WEBHOOK_TIMEOUT=300s
exec bench/with-server.sh bench/WebhooksBench.java "$@"
