/// How a QEMU version words and delivers its load and save errors.
///
/// `legacy` prints each message with `error_report()` where it happens (7.2, 10.x);
/// `errp` builds one `Error` that callers prefix on the way up (the 2026 code).
/// A nil text means that version says nothing at that point.
public enum MessageStyle: Sendable, Hashable {
    case legacy
    case errp

    public var propagatesErrors: Bool { self == .errp }

    public func versionTooNew(_ vmsd: String, incoming: Int, local: Int) -> String {
        "\(vmsd): incoming version_id \(incoming) is too new for local version_id \(local)"
    }

    public func versionTooOld(_ vmsd: String, incoming: Int, minimum: Int) -> String {
        // 7.2's format string has two spaces before the number.
        let gap = self == .legacy ? "  " : " "
        return "\(vmsd): incoming version_id \(incoming) is too old for local minimum version_id\(gap)\(minimum)"
    }

    public func preLoadFailed(_ vmsd: VMStateDescription, ret: Int?, cause: String?) -> String? {
        guard self == .errp else { return nil }
        let head =
            "pre load hook failed for: '\(vmsd.name)', version_id: \(vmsd.versionID), "
            + "minimum version_id: \(vmsd.minimumVersionID)"
        if let cause { return head + ": " + cause }
        return head + ", ret: \(ret ?? -1)"
    }

    public func postLoadFailed(_ vmsd: VMStateDescription, ret: Int?, cause: String?) -> String? {
        guard self == .errp else { return nil }
        let head =
            "post load hook failed for: \(vmsd.name), version_id: \(vmsd.versionID), "
            + "minimum_version: \(vmsd.minimumVersionID)"
        if let cause { return head + ": " + cause }
        return head + ", ret: \(ret ?? -1)"
    }

    public func inputValidationFailed(_ vmsd: VMStateDescription, field: String) -> String {
        switch self {
        case .legacy: "Input validation failed: \(vmsd.qemuName)/\(field)"
        case .errp: "Input validation failed: \(vmsd.qemuName)/\(field) version_id: \(vmsd.versionID)"
        }
    }

    /// After an element failed or left a stream error. 7.2 names the field; 2026 says the
    /// stream error, or keeps the callee's error.
    public func fieldLoadFailed(_ vmsd: String, field: String, streamError: Int?) -> String? {
        switch self {
        case .legacy: return "Failed to load \(vmsd):\(field)"
        case .errp:
            guard let streamError else { return nil }
            return "Failed to load \(vmsd) state: stream error: \(streamError)"
        }
    }

    /// An info callback without an `Error **` failed (2026 wording).
    public func elementLoadFailed(info: String, field: String) -> String? {
        self == .errp ? "Failed to load element of type \(info) for \(field)" : nil
    }

    /// A NULL destination slot found a byte other than 0x30 (7.2/10.x) or another marker (2026).
    public func unexpectedMarker(_ byte: UInt8) -> String {
        switch self {
        case .legacy: "vmstate: get_nullptr expected VMS_NULLPTR_MARKER"
        case .errp: "Unexpected ptr marker: \(byte)"
        }
    }

    public func unknownSubsection(_ name: String, parent: String) -> String? {
        self == .errp ? "VM subsection '\(name)' in '\(parent)' does not exist" : nil
    }

    public func subsectionLoadFailed(_ name: String, parent: String, cause: String) -> String {
        self == .errp ? "Loading VM subsection '\(name)' in '\(parent)' failed: \(cause)" : cause
    }

    public func preSaveFailed(_ vmsd: String, cause: String?) -> String {
        if self == .errp, let cause { return "pre-save for \(vmsd) failed: \(cause)" }
        return "pre-save failed: \(vmsd)"
    }

    public func fieldSaveFailed(_ vmsd: String, field: String, cause: String?) -> String {
        if self == .errp, let cause { return "Save of field \(vmsd)/\(field) failed: \(cause)" }
        return "Save of field \(vmsd)/\(field) failed"
    }

    public func outputValidationFailed(_ vmsd: String, field: String) -> String {
        "Output state validation failed: \(vmsd)/\(field)"
    }
}
