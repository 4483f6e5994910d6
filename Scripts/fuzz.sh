#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS seconds: Scripts/fuzz.sh TARGET SECONDS [JOBS]
# Targets: fuzz-scenario, fuzz-load (and the stream targets when present: see Package.swift).
# The corpus lives in .build-fuzz/corpus/TARGET (seeded from Samples/ and the test streams);
# crashes are written to Fuzz/crashes/TARGET/ so they can become regression tests.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: Scripts/fuzz.sh TARGET SECONDS}
seconds=${2:-60}
scratch=.build-fuzz
corpus=$scratch/corpus/$target
crashes=Fuzz/crashes/$target
mkdir -p "$corpus" "$crashes"

FUZZ=1 swift build -c debug --scratch-path "$scratch" -Xswiftc -sanitize=fuzzer,address --product "$target" >&2

# Seeds: the samples for the scenario target; saved streams of the samples for the load target.
if [ -z "$(ls -A "$corpus")" ]; then
    case $target in
        fuzz-scenario) cp Samples/*.vmscope "$corpus"/ ;;
        fuzz-load)
            for sample in Samples/*.vmscope; do
                for index in 0 1 2 3; do
                    out=$corpus/$(basename "$sample" .vmscope)-$index
                    if .build/debug/vmscope save "$sample" -o "$out.state" >/dev/null 2>&1; then
                        { printf "\\x$(printf %02x $index)"; cat "$out.state"; } > "$out"
                    fi
                    rm -f "$out.state"
                done
            done ;;
        *) find Tests -name '*.mig' -size -2M -exec cp {} "$corpus"/ \; 2>/dev/null || true ;;
    esac
fi

# Swift's own backtracer would catch the trap before libFuzzer writes the crash file.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1:quarantine_size_mb=32:malloc_context_size=5
exec "$scratch/debug/$target" "$corpus" -max_total_time="$seconds" -rss_limit_mb=4096 \
    -artifact_prefix="$crashes/" -print_final_stats=1 ${3:+-jobs=$3 -workers=$3}
