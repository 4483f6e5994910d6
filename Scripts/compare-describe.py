#!/usr/bin/env python3
"""Compares `vmscope import --describe` output with QEMU's -dump-vmstate JSON.

Usage: compare-describe.py DESCRIBE.json DUMP.json [DUMP2.json ...] [--verbose]

A dumped device matches when the Description of its VMSD (found by name; a name vmscope saw
more than once matches if any of them does) equals the dump's: field names and order,
version_id, field_exists, size, nested Descriptions and Subsections, key order included.
Prints one line per miss with the first difference, then the percentage.
"""
import json
import sys


def load_ordered(path):
    with open(path) as handle:
        return json.load(handle, object_pairs_hook=list)


def to_plain(pairs):
    """Keeps key order: objects become lists of (key, value)."""
    if isinstance(pairs, list) and all(isinstance(item, tuple) and len(item) == 2 for item in pairs) and pairs:
        return [(key, to_plain(value)) for key, value in pairs]
    if isinstance(pairs, list):
        return [to_plain(item) for item in pairs]
    return pairs


def first_difference(mine, theirs, path="Description"):
    if type(mine) != type(theirs):
        return f"{path}: {short(mine)} != {short(theirs)}"
    if isinstance(mine, list) and mine and isinstance(mine[0], tuple) or (isinstance(theirs, list) and theirs and isinstance(theirs[0], tuple)):
        mine_keys = [key for key, _ in mine]
        their_keys = [key for key, _ in theirs]
        if mine_keys != their_keys:
            return f"{path}: keys {mine_keys} != {their_keys}"
        for (key, a), (_, b) in zip(mine, theirs):
            label = path + "." + key
            if key == "Fields" or key == "Subsections":
                label = path + "." + key
            difference = first_difference(a, b, label)
            if difference:
                return difference
        return None
    if isinstance(mine, list):
        if len(mine) != len(theirs):
            names_a = [dict(item).get("field", dict(item).get("name")) if isinstance(item, list) else item for item in mine]
            names_b = [dict(item).get("field", dict(item).get("name")) if isinstance(item, list) else item for item in theirs]
            return f"{path}: {len(mine)} entries {names_a} != {len(theirs)} {names_b}"
        for index, (a, b) in enumerate(zip(mine, theirs)):
            label = f"{path}[{index}]"
            if isinstance(b, list) and b and isinstance(b[0], tuple):
                label += "(" + str(dict(b).get("field", dict(b).get("name"))) + ")"
            difference = first_difference(a, b, label)
            if difference:
                return difference
        return None
    if mine != theirs:
        return f"{path}: {short(mine)} != {short(theirs)}"
    return None


def short(value):
    text = json.dumps(value) if not isinstance(value, list) else str(value)
    return text if len(text) < 80 else text[:77] + "..."


def main():
    arguments = [argument for argument in sys.argv[1:] if not argument.startswith("--")]
    verbose = "--verbose" in sys.argv
    mine = to_plain(load_ordered(arguments[0]))
    by_name = {}
    for key, value in mine:
        name = dict(value).get("name")
        by_name.setdefault(name, []).append(value)
    devices = {}
    for dump in arguments[1:]:
        for key, value in to_plain(load_ordered(dump)):
            if key == "vmschkmachine":
                continue
            devices[key] = dict(value)["Description"]
    matched = 0
    misses = []
    for device, description in sorted(devices.items()):
        name = dict(description)["name"]
        candidates = by_name.get(name, [])
        if not candidates:
            misses.append(f"{device} ({name}): not imported")
            continue
        differences = [first_difference(candidate, description) for candidate in candidates]
        if any(difference is None for difference in differences):
            matched += 1
        else:
            misses.append(f"{device} ({name}): {differences[0]}")
    for miss in misses:
        print("miss: " + miss)
    total = len(devices)
    print(f"dumped devices matching exactly: {matched}/{total} = {100.0 * matched / max(total, 1):.1f}%")


if __name__ == "__main__":
    main()
