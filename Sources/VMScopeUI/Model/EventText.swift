import VMState

/// Words for events in the step log: the engine's own summary when there is room, a short form
/// for narrow panes.
public enum EventText {
    public static func describe(_ kind: EventKind, compact: Bool) -> String {
        guard compact else { return kind.summary }
        switch kind {
        case .enterVMSD(let name, let version): return "enter \(name) v\(version)"
        case .leaveVMSD(let name, let succeeded): return "leave \(name)" + (succeeded ? "" : " FAILED")
        case .versionCheck(_, let incoming, let minimum, let local, let verdict):
            return "version \(incoming) in \(minimum)..\(local): \(verdict.rawValue)"
        case .hook(let hook, let result, let failed): return "\(hook.rawValue) \(result)" + (failed ? " FAILED" : "")
        case .fieldExists(let field, let exists, _): return exists ? "field \(field)" : "skip \(field)"
        case .elementCount(_, let count, let size, _): return "n_elems \(count) size \(size)"
        case .pointerDeref(_, let target): return "slot = " + (target == 0 ? "NULL" : "0x" + String(target, radix: 16))
        case .allocation(let base, let size, let zeroed, let type, let reason):
            return "alloc \(size)B \(zeroed ? "zeroed" : "uninit") \(type?.description ?? "bytes") at 0x"
                + "\(String(base, radix: 16)): \(reason)"
        case .free(_, let size): return "free \(size)B"
        case .markerRead(let byte, let meaning), .markerWritten(let byte, let meaning):
            let word = meaning.split(separator: ":").first.map(String.init) ?? meaning
            return "marker 0x\(FieldValue.hex(UInt64(byte), digits: 2)) \(word)"
        case .valueRead(let info, let value, _), .valueWritten(let info, let value, _):
            return "\(info) = \(value.short)"
        case .skipped(let count): return "\(count) unused bytes"
        case .equalCheck(let info, let local, let incoming, let passed):
            return "\(info) 0x\(String(local, radix: 16)) \(passed ? "==" : "!=") 0x\(String(incoming, radix: 16))"
        case .lessEqualCheck(let local, let incoming, let passed):
            return "int32 le \(incoming) <= \(local)" + (passed ? "" : " FAILED")
        case .subsectionPeek(let name, let decision):
            return "peek" + (name.map { " \($0)" } ?? "") + ": \(decision.rawValue)"
        case .subsectionHeader(let name, _, let version): return "subsection \(name) v\(version)"
        case .listMarker(let more): return more ? "list: more" : "list: end"
        case .nodeCount(let count): return "count \(count)"
        case .check(let rule, let passed, _): return "check \(rule.rawValue) \(passed ? "ok" : "FAILED")"
        case .warning(let text): return "warning: \(text)"
        case .error(let text): return "error: \(text)"
        case .assertion(let condition): return "ASSERT \(condition)"
        case .fault(let address, _): return "FAULT at 0x\(String(address, radix: 16))"
        case .leak(_, let size, let type): return "leak \(size)B \(type)"
        case .streamError(let code): return "stream error \(code)"
        }
    }

    /// The role an event is drawn in.
    public static func role(_ kind: EventKind) -> Role {
        .category(kind.category)
    }
}
