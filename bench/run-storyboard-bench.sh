#!/usr/bin/env bash
# What editing one scene of a 20-scene storyboard costs, against the seed's boundary rule, and how
# long planning a 200-scene storyboard takes (see StoryboardBench.java).
# Usage: bench/run-storyboard-bench.sh [--scenes 20] [--plan-scenes 200] [--samples 50]
exec "$(dirname "$0")/with-server.sh" bench/StoryboardBench.java "$@"
