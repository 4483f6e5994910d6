#!/usr/bin/env bash
# Regenerates the screenshots from the key scripts beside this file:
#   screenshots/NAME.keys -> screenshots/NAME.svg and NAME.png (120x40), on the built-in demo
#   or on the file a "# file: PATH" line of the script names.
set -euo pipefail
cd "$(dirname "$0")/.."
swift build --product vmscope
bin="$(swift build --show-bin-path)/vmscope"
png=()
command -v rsvg-convert >/dev/null 2>&1 && png=(--png) || echo "make.sh: no rsvg-convert, SVG only" >&2
for keys in screenshots/*.keys; do
    name="${keys%.keys}"
    file=$(sed -n 's/^# file: //p' "$keys" | head -n 1)
    "$bin" screenshot ${file:+"$file"} --script "$keys" --size 120x40 -o "$name.svg" "${png[@]}"
    echo "wrote $name.svg${png:+ and $name.png}"
done
