import VMState

/// The flag editor on one field: every `VMS_*` bit, then size, num and version_id, then the C
/// callbacks that imported C turned into switches (the field's `field_exists`, its VMSD's
/// `needed` and hooks), so "what if `needed()` returns false" is one key.
public struct FlagEditor: Sendable, Hashable {
    public enum Row: Sendable, Hashable {
        case flag(FieldFlag)
        case size, sizeOffset, start, num, versionID
        /// The field's `field_exists` C callback.
        case fieldExists(name: String)
        /// The VMSD's `needed` C callback.
        case needed(name: String)
        /// One of the VMSD's hooks, by its C function.
        case hook(HookKind, name: String)

        public var title: String {
            switch self {
            case .flag(let flag): flag.rawValue
            case .size: "size"
            case .sizeOffset: "size_offset"
            case .start: "start"
            case .num: "num"
            case .versionID: "version_id"
            case .fieldExists(let name): "field_exists: \(name)()"
            case .needed(let name): "needed: \(name)()"
            case .hook(let kind, let name): "\(kind.rawValue): \(name)()"
            }
        }
    }

    public static let fieldRows: [Row] =
        FieldFlag.allCases.map { .flag($0) } + [.size, .sizeOffset, .start, .num, .versionID]

    /// The field's rows, then a switch row for each C callback of the field and its VMSD.
    public static func rows(field: VMStateField?, vmsd: VMStateDescription?) -> [Row] {
        var rows = fieldRows
        if case .callbackSwitch(let name, _) = field?.fieldExists { rows.append(.fieldExists(name: name)) }
        if case .callbackSwitch(let name, _) = vmsd?.needed { rows.append(.needed(name: name)) }
        for kind in VMStateDescription.hookKinds {
            if let name = vmsd?[hook: kind]?.callbackName { rows.append(.hook(kind, name: name)) }
        }
        return rows
    }

    /// The field, by path, so the editor follows it across re-runs.
    public var field: [Tree.Component]
    public var vmsd: String
    public var fieldIndex: Int
    public var rows: [Row]
    public var selected = 0
    public var top = 0

    public init(field: [Tree.Component], vmsd: String, fieldIndex: Int, rows: [Row] = FlagEditor.fieldRows) {
        self.field = field
        self.vmsd = vmsd
        self.fieldIndex = fieldIndex
        self.rows = rows
    }

    public var row: Row { rows[max(0, min(selected, rows.count - 1))] }

    /// What a switch row's callback returns now: `true`/`false`, or the hook's return value.
    public static func switchValue(_ row: Row, field: VMStateField?, vmsd: VMStateDescription?) -> String? {
        switch row {
        case .fieldExists:
            if case .callbackSwitch(_, let value) = field?.fieldExists { return "\(value)" }
        case .needed:
            if case .callbackSwitch(_, let value) = vmsd?.needed { return "\(value)" }
        case .hook(let kind, _):
            guard let hook = vmsd?[hook: kind] else { return nil }
            return hook.statements.isEmpty ? (hook.usesErrp ? "true" : "0") : (hook.usesErrp ? "false" : "-22")
        default: break
        }
        return nil
    }
}

/// What a re-run changed: the flag editor's and the status line's answer to "what now?".
public struct RerunReport: Sendable, Hashable {
    /// `VMS_ALLOC off`, `size 16 -> 8`, `profile qemu-7.2`, `undo`.
    public var change: String
    /// Check findings that fail after the change: `C7a nvme-ctrl.queues: ...`.
    public var failedChecks: [String]
    /// The same, whole: rule, path, what QEMU asserts.
    public var failedFindings: [CheckFinding]
    /// Failures that the change fixed.
    public var fixedChecks: [String]
    public var oldByteCount: Int
    public var newByteCount: Int
    /// First byte that differs, if any.
    public var firstByteDifference: Int?
    /// The new stream's bytes from there (or from the start), a few of them.
    public var bytePreview: String
    /// First step (0-based event index) where the load trace differs, with both events.
    public var firstStepDifference: Int?
    public var before: String?
    public var after: String?
    public var outcome: String

    public init(change: String, old: Session, new: Session) {
        self.change = change
        let newFailedList = new.failedChecks.map(Self.describe)
        failedChecks = newFailedList
        failedFindings = new.failedChecks
        fixedChecks = old.failedChecks.map(Self.describe).filter { !Set(newFailedList).contains($0) }
        oldByteCount = old.bytes.count
        newByteCount = new.bytes.count
        let common = min(old.bytes.count, new.bytes.count)
        var difference: Int?
        for offset in 0..<common where old.bytes[offset] != new.bytes[offset] {
            difference = offset
            break
        }
        if difference == nil, old.bytes.count != new.bytes.count { difference = common }
        firstByteDifference = difference
        let from = difference ?? 0
        bytePreview = new.bytes[min(from, new.bytes.count)..<min(new.bytes.count, from + 12)]
            .map { FieldValue.hex(UInt64($0), digits: 2) }.joined(separator: " ")
        var step: Int?
        let events = min(old.eventCount, new.eventCount)
        for index in 0..<events {
            let a = old.event(index)
            let b = new.event(index)
            if a.kind != b.kind || a.bytes != b.bytes || old.path(ofEvent: index) != new.path(ofEvent: index) {
                step = index
                break
            }
        }
        if step == nil, old.eventCount != new.eventCount { step = events }
        firstStepDifference = step
        if let step {
            before = step < old.eventCount ? old.path(ofEvent: step) + ": " + old.event(step).kind.summary : "(end)"
            after = step < new.eventCount ? new.path(ofEvent: step) + ": " + new.event(step).kind.summary : "(end)"
        }
        if let failing = new.devices.first(where: { !$0.load.outcome.succeeded }) {
            outcome =
                "load FAILED: " + (failing.load.outcome.summary.split(separator: "\n").last.map(String.init) ?? "")
        } else {
            outcome = "load succeeded"
        }
    }

    static func describe(_ finding: CheckFinding) -> String {
        "\(finding.rule?.rawValue ?? "warning") \(finding.path): \(finding.detail)"
    }
}
