#!/usr/bin/env bash
# Server time and weight of a studio project page (see StudioBench.java).
# Usage: bench/run-studio-bench.sh [--scenes 50] [--commits 200] [--samples 300]
exec "$(dirname "$0")/with-server.sh" bench/StudioBench.java "$@"
