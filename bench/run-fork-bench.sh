#!/usr/bin/env bash
# Fork and commit-list latency against history length (see ForkBench.java).
# Usage: bench/run-fork-bench.sh [--sizes 10,1000,10000] [--samples 500]
exec "$(dirname "$0")/with-server.sh" bench/ForkBench.java "$@"
