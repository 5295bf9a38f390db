#!/usr/bin/env bash
# Runs the JMH benchmarks from the repository root and cleans up the audit trails they write (the checkpointed
# variant's trail and anchor too; it signs with the checked-in, benchmark-only benchmarks/bench-checkpoint-key.pem).
#   benchmarks/run.sh                  # full run, with the GC profiler (B/op)
#   benchmarks/run.sh --smoke          # one short iteration per variant: checks the benchmarks still run
# Extra arguments go to JMH, e.g. benchmarks/run.sh -rf json -rff target/jmh.json
set -euo pipefail
cd "$(dirname "$0")/.."
[ -f benchmarks/target/benchmarks.jar ] || mvn -B -q -ntp -DskipTests package
TRAILS=(target/bench-audit target/bench-audit-cp target/bench-audit-cp-anchor.note
  target/bench-audit-session target/bench-audit-state target/bench-audit-saga target/bench-audit-pipeline
  target/bench-audit-throughput target/bench-peer-logback target/bench-audit-startup)
rm -rf "${TRAILS[@]}"
trap 'rm -rf "${TRAILS[@]}"' EXIT
if [ "${1:-}" = "--smoke" ]; then
  shift
  java -jar benchmarks/target/benchmarks.jar -wi 1 -w 200ms -i 1 -r 200ms "$@"
else
  java -jar benchmarks/target/benchmarks.jar -prof gc "$@"
fi
