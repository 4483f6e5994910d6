extension EventKind {
    /// One line saying what happened, for the step log and `vmscope trace`.
    public var summary: String {
        switch self {
        case .enterVMSD(let name, let version):
            return "enter \(VMStateDescription.qemuName(of: name)) at version \(version)"
        case .leaveVMSD(let name, let succeeded):
            return "leave \(VMStateDescription.qemuName(of: name))" + (succeeded ? "" : " (failed)")
        case .versionCheck(let vmsd, let incoming, let minimum, let local, let verdict):
            return "version \(incoming) of \(vmsd) against \(minimum)...\(local): \(verdict.rawValue)"
        case .hook(let kind, let result, let failed): return "\(kind.rawValue) \(result)" + (failed ? ": FAILED" : "")
        case .fieldExists(let field, let exists, let reason):
            return exists ? "field \(field): \(reason)" : "skip \(field): \(reason)"
        case .elementCount(_, let count, let size, let detail): return "n_elems \(count), size \(size) (\(detail))"
        case .pointerDeref(let slot, let target):
            return "*0x\(hex(slot)) = " + (target == 0 ? "NULL" : "0x\(hex(target))")
        case .allocation(let base, let size, let zeroed, let type, let reason):
            return "alloc \(size) bytes at 0x\(hex(base)) (\(type?.description ?? "bytes"), "
                + "\(zeroed ? "zeroed" : "uninitialised")): \(reason)"
        case .free(let base, let size): return "free \(size) bytes at 0x\(hex(base))"
        case .markerRead(let byte, let meaning): return "marker 0x\(hex(UInt64(byte), 2)) read: \(meaning)"
        case .markerWritten(let byte, let meaning): return "marker 0x\(hex(UInt64(byte), 2)) written: \(meaning)"
        case .valueRead(let info, let value, let address):
            return "\(info) \(value)" + (address == 0 ? "" : " -> 0x\(hex(address))")
        case .valueWritten(let info, let value, let address):
            return "\(info) \(value)" + (address == 0 ? "" : " <- 0x\(hex(address))")
        case .skipped(let count): return "\(count) unused bytes"
        case .equalCheck(let info, let local, let incoming, let passed):
            return "\(info): local 0x\(hex(local)) \(passed ? "==" : "!=") incoming 0x\(hex(incoming))"
                + (passed ? "" : ": FAILED")
        case .lessEqualCheck(let local, let incoming, let passed):
            return "int32 le: 0 <= \(incoming) <= \(local)" + (passed ? "" : ": FAILED")
        case .subsectionPeek(let name, let decision):
            return "subsection peek" + (name.map { " '\($0)'" } ?? "") + ": \(decision.rawValue)"
        case .subsectionHeader(let name, let rawVersion, let version):
            return "subsection '\(name)' version \(version)"
                + (UInt32(version) != rawVersion ? " (be32 0x\(hex(UInt64(rawVersion), 8)) truncated to a byte)" : "")
        case .listMarker(let more): return more ? "01: another element" : "00: end of list"
        case .nodeCount(let count): return "count \(count)"
        case .check(let rule, let passed, let detail):
            return "check \(rule.rawValue) \(passed ? "passed" : "FAILED"): \(detail)"
        case .warning(let text): return "warning: \(text)"
        case .error(let text): return "error: \(text)"
        case .assertion(let condition): return "ASSERTION FAILED: \(condition) (QEMU aborts)"
        case .fault(let address, let access):
            return "FAULT at 0x\(hex(address)): \(access) (QEMU would crash)"
        case .leak(let base, let size, let type): return "leak: \(size) bytes at 0x\(hex(base)) (\(type))"
        case .streamError(let code): return "stream error \(code)"
        }
    }
}

func hex(_ value: UInt64, _ digits: Int = 1) -> String {
    let text = String(value, radix: 16)
    return text.count >= digits ? text : String(repeating: "0", count: digits - text.count) + text
}

extension Trace {
    /// The trace as text, one event a line: step, offset, bytes, path, what happened.
    /// `byteText` gives an event's bytes where they are not in `stream` (a real stream's record
    /// that keeps only some of its bytes).
    public func textLines(includeStructure: Bool = true, byteText: ((Range<Int>, Int) -> String)? = nil) -> [String] {
        var lines: [String] = []
        for (index, event) in events.enumerated() {
            if !includeStructure, event.kind.category == .structure { continue }
            let offset = event.bytes.isEmpty ? "          " : "0x" + hex(UInt64(event.bytes.lowerBound), 8)
            let bytes = byteText?(event.bytes, 8) ?? self.byteText(event.bytes, limit: 8)
            let indent = String(repeating: " ", count: min(event.depth, 12))
            lines.append(
                "\(pad(String(index + 1), 5)) \(offset) \(bytes.padding(24)) \(indent)\(path(of: event)): \(event.kind.summary)"
            )
        }
        return lines
    }

    /// `31 00 00 00 00`, shortened with `..` past `limit` bytes.
    public func byteText(_ range: Range<Int>, limit: Int) -> String {
        let lower = range.lowerBound - streamBase
        let upper = range.upperBound - streamBase
        guard lower >= 0, upper <= stream.count, lower < upper else { return "" }
        return Self.byteText(stream[lower..<upper], limit: limit)
    }

    /// `31 00 00 00 00`, shortened with `..` past `limit` bytes.
    public static func byteText(_ bytes: ArraySlice<UInt8>, limit: Int) -> String {
        let shown = bytes.prefix(limit).map { hex(UInt64($0), 2) }.joined(separator: " ")
        return bytes.count > limit ? shown + " .." : shown
    }

    private func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }
}

extension String {
    func padding(_ width: Int) -> String {
        count >= width ? self : self + String(repeating: " ", count: width - count)
    }
}
