#!/usr/bin/env bash
# Imports every VMSD of QEMU's hw/ tree with `vmscope import` and compares `--describe` with the
# Descriptions of `qemu-system-x86_64 -dump-vmstate` (machines pc and q35). Prints:
#   VMSDs imported without a placeholder: N/M = P%
#   dumped devices matching exactly: N/M = P%
# with the misses and the import time. VMSCOPE names the binary to use; by default a release
# build of this checkout is made (incrementally) first.
#
# Needs QEMU's source (QEMU_SRC, default: the first /tmp/qemu-* holding hw/; Debian's is
# `apt-get source qemu` in /tmp) and python3. The device comparison needs qemu-system-x86_64 of
# the same version (Debian bookworm's package is 7.2). VMSCOPE names the binary (default: a
# release build of this checkout, built if missing). The source is never copied here.
set -euo pipefail
cd "$(dirname "$0")/.."
root=$(pwd)

if [ -z "${QEMU_SRC:-}" ]; then
    for candidate in /tmp/qemu-*/; do
        if [ -d "$candidate/hw" ] && [ -f "$candidate/include/migration/vmstate.h" ]; then
            QEMU_SRC=${candidate%/}
            break
        fi
    done
fi
if [ -z "${QEMU_SRC:-}" ] || [ ! -d "$QEMU_SRC/hw" ]; then
    echo "check-qemu-import: no QEMU source (set QEMU_SRC, or apt-get source qemu in /tmp)" >&2
    exit 2
fi

if [ -z "${VMSCOPE:-}" ]; then
    VMSCOPE=$root/.build/release/vmscope
    swift build -c release --product vmscope >&2
fi

work=$(mktemp -d /tmp/vmscope-qemu-check.XXXXXX)
trap 'rm -rf "$work"' EXIT

# QAPI's generated headers declare the enums device structs use; a build tree has them.
if [ -f "$QEMU_SRC/scripts/qapi-gen.py" ]; then
    python3 "$QEMU_SRC/scripts/qapi-gen.py" -o "$work/generated/qapi" -b "$QEMU_SRC/qapi/qapi-schema.json" >/dev/null
fi

# QEMU's dumps: every device class with a VMSD.
dumps=()
if command -v qemu-system-x86_64 >/dev/null 2>&1; then
    for machine in pc q35; do
        qemu-system-x86_64 -M "$machine" -display none -dump-vmstate "$work/$machine.json" >/dev/null 2>&1 || true
        [ -s "$work/$machine.json" ] && dumps+=("$work/$machine.json")
    done
fi

# Every .c of hw/, and the few files elsewhere that define VMSDs hw/ devices nest.
(cd "$QEMU_SRC" && find hw -name '*.c' | sort) > "$work/files"
for extra in util/fifo8.c; do
    [ -f "$QEMU_SRC/$extra" ] && echo "$extra" >> "$work/files"
done

# Debian's build configuration, as far as device state layouts depend on it.
defines=(-D CONFIG_LINUX -D CONFIG_POSIX -D CONFIG_INT128 -D CONFIG_TPM -D CONFIG_SPICE)

# Two system libraries' headers describe device state (qxl's SPICE structures, usb-redir's
# protocol headers): Debian builds QEMU with them (apt-get install libspice-protocol-dev
# libusbredirparser-dev). Only those headers are offered, not all of /usr/include.
system=()
[ -d /usr/include/spice-1 ] && system+=(-I /usr/include/spice-1)
if ls /usr/include/usbredir*.h >/dev/null 2>&1; then
    mkdir -p "$work/system"
    ln -s /usr/include/usbredir*.h "$work/system/"
    system+=(-I "$work/system")
fi
[ ${#system[@]} -gt 0 ] || echo "check-qemu-import: no SPICE or usbredir headers; qxl and usb-redir will miss" >&2

cd "$QEMU_SRC"
start=$(date +%s.%N)
"$VMSCOPE" import $(cat "$work/files") -I include -I . -I "$work/generated" "${system[@]}" "${defines[@]}" \
    --describe --summary --quiet > "$work/describe.json" 2> "$work/import.log" || {
    echo "check-qemu-import: vmscope import failed:" >&2
    grep ': error:' "$work/import.log" | head -20 >&2
    exit 1
}
end=$(date +%s.%N)
cd "$root"

python3 - "$work/import.log" "$QEMU_SRC" <<'PY'
import re, subprocess, sys
log, source = sys.argv[1], sys.argv[2]
lines = open(log).read().splitlines()
entries = [re.match(r"  (.*) \((\S+), (\S+):(\d+)\): (\d+) field\(s\), .*?(?:, (\d+) placeholder\(s\))?$", line) for line in lines]
entries = [entry for entry in entries if entry]
hw = [entry for entry in entries if entry.group(3).startswith("hw/")]
clean = [entry for entry in hw if not entry.group(6)]
# A cross-check that the parser found every definition: QEMU's own spelling, one a line.
grep = subprocess.run(
    ["grep", "-rhoE", r"VMStateDescription\s+[A-Za-z_0-9]+\s*(\[[^]]*\])?\s*=", "hw", "--include=*.c"],
    cwd=source, capture_output=True, text=True).stdout.split("\n")
declared = {re.sub(r"\[.*", "", re.sub(r"\s*=$", "", line).split()[-1]) for line in grep if line}
found = {re.sub(r"\[\d+\]$", "", entry.group(2)) for entry in hw}
missed = sorted(name for name in declared if name and name not in found)
for entry in hw:
    if entry.group(6):
        print(f"placeholder: {entry.group(1)} ({entry.group(2)}, {entry.group(3)}:{entry.group(4)}): {entry.group(6)} of {entry.group(5)} fields")
if missed:
    print(f"not found by the parser (declared per grep): {', '.join(missed)}")
print(f"VMSDs imported without a placeholder: {len(clean)}/{len(hw)} = {100.0 * len(clean) / max(len(hw), 1):.1f}%")
PY

if [ ${#dumps[@]} -gt 0 ]; then
    python3 "$root/Scripts/compare-describe.py" "$work/describe.json" "${dumps[@]}"
else
    echo "dumped devices matching exactly: skipped (no qemu-system-x86_64)"
fi
echo "import time: $(echo "$end - $start" | bc) s ($(wc -l < "$work/files") files)"
