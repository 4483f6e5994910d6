/// A trace as a mailing-list transcript: plain ASCII, at most 72 columns, numbered steps,
/// offsets and bytes in hex, the events that matter, and one line for each run of the rest.
public struct ReviewTranscript {
    public static let width = 72

    /// The lines for `trace`, whose paths are shown relative to `root` (the device's VMSD).
    public static func lines(for trace: Trace, root: String) -> [String] {
        var lines = [" step offset bytes       event"]
        var elided: [Int] = []
        func flush() {
            guard !elided.isEmpty else { return }
            // The fields in the order the loader reached them, each once.
            var seen: Set<String> = []
            let fields = elided.compactMap { fieldName(of: trace.events[$0], in: trace) }.filter {
                seen.insert($0).inserted
            }
            var note = "  [... \(elided.count) step\(elided.count == 1 ? "" : "s")"
            if !fields.isEmpty { note += ": " + fields.joined(separator: ", ") }
            lines.append(fit(note, suffix: " ...]"))
            elided.removeAll()
        }
        for (index, event) in trace.events.enumerated() {
            guard matters(event.kind) else {
                elided.append(index)
                continue
            }
            flush()
            let step = pad(String(index + 1), 5)
            let offset = event.bytes.isEmpty ? "      " : "0x" + hexDigits(UInt64(event.bytes.lowerBound), 4)
            let bytes = ascii(trace.byteText(event.bytes, limit: 4)).padding(11)
            let path = relative(trace.path(of: event), root: root)
            let text = ascii((path.isEmpty ? "" : path + ": ") + short(event.kind))
            lines += wrap(text, prefix: "\(step) \(offset) \(bytes) ")
        }
        flush()
        return lines
    }

    /// Markers, allocations, checks that fail or decide, failures, leaks.
    static func matters(_ kind: EventKind) -> Bool {
        switch kind {
        case .markerRead, .markerWritten, .allocation, .free, .equalCheck, .lessEqualCheck, .error, .assertion,
            .fault, .leak, .streamError, .subsectionHeader, .check, .warning:
            return true
        case .versionCheck(_, _, _, _, let verdict): return verdict != .accepted
        case .fieldExists(_, let exists, _): return !exists
        case .subsectionPeek(_, let decision): return decision != .noSubsection && decision != .enter
        case .hook(_, _, let failed): return failed
        default: return false
        }
    }

    /// A compact, ASCII wording of an event for 72 columns.
    static func short(_ kind: EventKind) -> String {
        switch kind {
        case .markerRead(let byte, let meaning): return "marker \(hexDigits(UInt64(byte), 2)) read: \(meaning)"
        case .markerWritten(let byte, let meaning): return "marker \(hexDigits(UInt64(byte), 2)) written: \(meaning)"
        case .allocation(_, let size, let zeroed, let type, let reason):
            let why: String
            switch reason {
            case .bulk: why = "VMS_ALLOC bulk"
            case .validMarker: why = "VALID marker"
            case .validMarkerReplacing: why = "VALID marker, replaces old object"
            default: why = reason.description
            }
            return "alloc \(size) B \(type?.description ?? "bytes")\(zeroed ? " zeroed" : ""): \(why)"
        case .leak(_, let size, let type): return "LEAK \(size) B \(type)"
        case .fieldExists(let field, _, let reason): return "skip \(field): \(reason)"
        default: return kind.summary
        }
    }

    static func fieldName(of event: TraceEvent, in trace: Trace) -> String? {
        for component in trace.paths.components(of: event.path).reversed() {
            if case .field(let name) = component { return name }
        }
        return nil
    }

    static func relative(_ path: String, root: String) -> String {
        guard path.hasPrefix(root) else { return path }
        let rest = path.dropFirst(root.count)
        return rest.hasPrefix(".") ? String(rest.dropFirst()) : String(rest)
    }

    /// Replaces what is not printable ASCII (the ` ×` of counts, `…`) so mail clients keep it.
    public static func ascii(_ text: String) -> String {
        var result = ""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "×": result += "x"
            case "…": result += "..."
            default: result += scalar.isASCII && scalar.value >= 0x20 ? String(scalar) : "?"
            }
        }
        return result
    }

    /// `prefix` + `text`, wrapped at spaces onto lines indented to the text's column.
    public static func wrap(_ text: String, prefix: String) -> [String] {
        let room = width - prefix.count
        var lines: [String] = []
        var current = ""
        for word in text.split(separator: " ", omittingEmptySubsequences: false) {
            if !current.isEmpty && current.count + 1 + word.count > room {
                lines.append(current)
                current = ""
            }
            current += (current.isEmpty ? "" : " ") + word
        }
        lines.append(current)
        let indent = String(repeating: " ", count: prefix.count)
        return lines.enumerated().map { fit(($0.offset == 0 ? prefix : indent) + $0.element) }
    }

    /// Cuts a line to the width, keeping `suffix` at the end.
    public static func fit(_ line: String, suffix: String = "") -> String {
        let full = line + suffix
        guard full.count > width else { return full }
        return String(line.prefix(width - suffix.count - 3)) + "..." + suffix
    }

    static func pad(_ text: String, _ width: Int) -> String {
        text.count >= width ? text : String(repeating: " ", count: width - text.count) + text
    }

    static func hexDigits(_ value: UInt64, _ digits: Int) -> String {
        let text = String(value, radix: 16)
        return text.count >= digits ? text : String(repeating: "0", count: digits - text.count) + text
    }
}
