#!/usr/bin/env bash
# Make a real QEMU migration stream: start QEMU with QMP on a unix socket, optionally let the
# guest run, set capabilities, run `migrate "exec:cat > FILE"` and wait for it to complete.
#
# usage: make-stream.sh [options] OUT.mig [-- extra QEMU arguments]
#   -M MACHINE        machine type (default: pc)
#   -m MEM            guest memory (default: 32)
#   -d DEVICE         add `-device DEVICE` (repeatable)
#   -c CAPABILITY     enable a migration capability, e.g. x-ignore-shared, postcopy-ram (repeatable)
#   -r SECONDS        let the guest run this long before migrating (default: stay paused, -S)
#   -q QEMU           the QEMU binary (default: qemu-system-x86_64)
#   -b BYTES/S        max-bandwidth (default: 10 GB/s)
#   -F                migrate to `file:OUT` instead of `exec:cat > OUT` (for mapped-ram, QEMU 9+)
set -euo pipefail

machine=pc mem=32 run=0 qemu=qemu-system-x86_64 bandwidth=10000000000 file=0
devices=() caps=()
while getopts "M:m:d:c:r:q:b:Fh" opt; do
    case $opt in
        M) machine=$OPTARG ;;
        m) mem=$OPTARG ;;
        d) devices+=(-device "$OPTARG") ;;
        c) caps+=("$OPTARG") ;;
        r) run=$OPTARG ;;
        q) qemu=$OPTARG ;;
        b) bandwidth=$OPTARG ;;
        F) file=1 ;;
        *) sed -n '2,15p' "$0"; exit 2 ;;
    esac
done
shift $((OPTIND - 1))
[ $# -ge 1 ] || { sed -n '2,15p' "$0"; exit 2; }
out=$(realpath -m "$1")
shift
[ "${1:-}" = "--" ] && shift

work=$(mktemp -d)
sock=$work/qmp.sock
cleanup() {
    [ -n "${qpid:-}" ] && kill "$qpid" 2>/dev/null || true
    rm -rf "$work"
}
trap cleanup EXIT

paused=(-S)
[ "$run" != 0 ] && paused=()
"$qemu" -M "$machine" -m "$mem" -accel tcg -display none -nodefaults "${paused[@]}" \
    "${devices[@]}" -qmp "unix:$sock,server=on,wait=off" "$@" >"$work/qemu.log" 2>&1 &
qpid=$!

python3 - "$sock" "$out" "$run" "$bandwidth" "$file" "${caps[@]}" <<'PY'
import json, socket, sys, time

sock_path, out, run, bandwidth = sys.argv[1], sys.argv[2], float(sys.argv[3]), int(sys.argv[4])
to_file, caps = sys.argv[5] == "1", sys.argv[6:]
for _ in range(100):
    try:
        s = socket.socket(socket.AF_UNIX)
        s.connect(sock_path)
        break
    except OSError:
        time.sleep(0.1)
else:
    sys.exit("make-stream: QEMU did not open its QMP socket")
f = s.makefile("rw")
json.loads(f.readline())  # greeting

def qmp(cmd, **args):
    f.write(json.dumps({"execute": cmd, "arguments": args}) + "\n")
    f.flush()
    while True:
        reply = json.loads(f.readline())
        if "return" in reply:
            return reply["return"]
        if "error" in reply:
            sys.exit("make-stream: %s failed: %s" % (cmd, reply["error"]["desc"]))

qmp("qmp_capabilities")
if run > 0:
    time.sleep(run)
if caps:
    qmp("migrate-set-capabilities", capabilities=[{"capability": c, "state": True} for c in caps])
qmp("migrate-set-parameters", **{"max-bandwidth": bandwidth})
qmp("migrate", uri="file:" + out if to_file else "exec:cat > '%s'" % out.replace("'", "'\\''"))
deadline = time.time() + 60
while True:
    status = qmp("query-migrate").get("status")
    if status == "completed":
        break
    if status in ("failed", "cancelled"):
        sys.exit("make-stream: migration %s" % status)
    if time.time() > deadline:
        # With postcopy-ram but no return path (exec:) the source never reports completion,
        # although the stream itself is complete.
        print("make-stream: still '%s' after 60 s; keeping what was written" % status, file=sys.stderr)
        break
    time.sleep(0.05)
qmp("quit")
PY
wait "$qpid" 2>/dev/null || true
qpid=
echo "$out: $(stat -c %s "$out") bytes"
