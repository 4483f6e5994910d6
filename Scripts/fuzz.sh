#!/usr/bin/env bash
# Runs one libFuzzer target for SECONDS seconds: Scripts/fuzz.sh TARGET SECONDS [JOBS]
# Targets: fuzz-scenario, fuzz-cimport, fuzz-load, fuzz-stream, fuzz-vmdesc, fuzz-section (see Package.swift).
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
        fuzz-cimport) cp Samples/c/*.c Samples/c/*.h Tests/ScenarioTests/Fixtures/c/*.c "$corpus"/ ;;
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
        fuzz-stream) find Tests Samples -name '*.mig' -size -2M -exec cp {} "$corpus"/ \; ;;
        fuzz-vmdesc)
            # The vmdesc JSON of each test stream, cut out by `vmscope dump --desc`.
            for stream in $(find Tests Samples -name '*.mig' -size -2M); do
                .build/debug/vmscope dump --desc "$stream" > "$corpus/$(basename "$stream" .mig).json" 2>/dev/null || true
            done ;;
        fuzz-section)
            # A device entry, 00, and its payload, from the samples' saved streams.
            for sample in Samples/*.vmscope; do
                out=$corpus/$(basename "$sample" .vmscope)
                if .build/debug/vmscope save "$sample" --profile qemu-7.2 -o "$out.state" --vmdesc "$out.json" >/dev/null 2>&1; then
                    { sed -e 's/^{//' -e 's/}$//' "$out.json" | tr -d '\n'; printf '\0'; cat "$out.state"; } > "$out"
                fi
                rm -f "$out.state" "$out.json"
            done ;;
        *) echo "unknown target $target" >&2; exit 2 ;;
    esac
fi

# Swift's own backtracer would catch the trap before libFuzzer writes the crash file.
export SWIFT_BACKTRACE=enable=no
export ASAN_OPTIONS=detect_leaks=0:allocator_may_return_null=1:quarantine_size_mb=32:malloc_context_size=5
# Whole test streams are large; fuzzing their first 256 KiB (truncations included) is faster.
case $target in fuzz-stream) maxlen=262144 ;; fuzz-vmdesc) maxlen=65536 ;; *) maxlen=0 ;; esac
exec "$scratch/debug/$target" "$corpus" -max_total_time="$seconds" -rss_limit_mb=4096 -max_len=$maxlen \
    -artifact_prefix="$crashes/" -print_final_stats=1 ${3:+-jobs=$3 -workers=$3}
