#!/usr/bin/env bash
# Merge and blame latency against history length (see MergeBench.java).
# Usage: bench/run-merge-bench.sh [--merge-histories 10,1000] [--blame-histories 100,10000] [--samples 200]
exec "$(dirname "$0")/with-server.sh" bench/MergeBench.java "$@"
