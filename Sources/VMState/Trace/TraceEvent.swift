/// What happened at one step of a load, save or check.
public enum EventKind: Sendable, Hashable {
    case enterVMSD(name: String, version: Int)
    case leaveVMSD(name: String, succeeded: Bool)
    case versionCheck(vmsd: String, incoming: Int, minimum: Int, local: Int, verdict: VersionVerdict)
    case hook(HookKind, result: String, failed: Bool)
    /// `vmstate_field_exists`: whether the field is in this version of the stream, and why.
    case fieldExists(field: String, exists: Bool, reason: String)
    /// `vmstate_n_elems` and `vmstate_size` for a field.
    case elementCount(field: String, count: Int, size: Int, detail: String)
    /// A VMS_POINTER or array-of-pointer slot read.
    case pointerDeref(slot: UInt64, target: UInt64)
    case allocation(base: UInt64, size: Int, zeroed: Bool, type: String, reason: String)
    case free(base: UInt64, size: Int)
    /// A pointer marker read from the stream: 0x30 NULL, 0x31 VALID, or anything else.
    case markerRead(byte: UInt8, meaning: String)
    case markerWritten(byte: UInt8, meaning: String)
    case valueRead(info: String, value: FieldValue, address: UInt64)
    case valueWritten(info: String, value: FieldValue, address: UInt64)
    /// Bytes consumed or produced without touching memory (unused buffers).
    case skipped(count: Int)
    /// A `*_equal` check: the local value against the incoming one.
    case equalCheck(info: String, local: UInt64, incoming: UInt64, passed: Bool)
    /// An `int32 le` check: 0 <= incoming <= local.
    case lessEqualCheck(local: Int64, incoming: Int64, passed: Bool)
    case subsectionPeek(name: String?, decision: SubsectionDecision)
    case subsectionHeader(name: String, rawVersion: UInt32, version: Int)
    /// The 01 / 00 byte before each element of a qtailq, qlist or gtree.
    case listMarker(more: Bool)
    case nodeCount(Int)
    /// A `vmstate_check` rule evaluated on a field or VMSD.
    case check(rule: CheckRule, passed: Bool, detail: String)
    /// A note from vmscope that is not QEMU behaviour (a flag this profile does not define).
    case warning(String)
    /// A message QEMU prints or returns.
    case error(String)
    /// A failed `assert()` of vmstate.c: QEMU aborts here.
    case assertion(String)
    /// A memory access QEMU would crash on.
    case fault(address: UInt64, access: String)
    /// An allocation nothing points to at the end of the run.
    case leak(base: UInt64, size: Int, type: String)
    /// The stream's error got set (`qemu_file_set_error`), e.g. -5 after reading past the end.
    case streamError(Int)

    /// A stable one-word label, for filters, breakpoints and JSON.
    public var label: String {
        switch self {
        case .enterVMSD: "enter"
        case .leaveVMSD: "leave"
        case .versionCheck: "version"
        case .hook: "hook"
        case .fieldExists: "exists"
        case .elementCount: "count"
        case .pointerDeref: "deref"
        case .allocation: "alloc"
        case .free: "free"
        case .markerRead, .markerWritten: "marker"
        case .valueRead, .valueWritten: "value"
        case .skipped: "skip"
        case .equalCheck, .lessEqualCheck: "equal"
        case .subsectionPeek: "peek"
        case .subsectionHeader: "subsection"
        case .listMarker: "list"
        case .nodeCount: "nodes"
        case .check: "check"
        case .warning: "warning"
        case .error: "error"
        case .assertion: "assert"
        case .fault: "fault"
        case .leak: "leak"
        case .streamError: "stream-error"
        }
    }

    public var category: EventCategory {
        switch self {
        case .markerRead, .markerWritten: .marker
        case .allocation, .free: .allocation
        case .equalCheck(_, _, _, let passed), .lessEqualCheck(_, _, let passed): passed ? .check : .failure
        case .versionCheck(_, _, _, _, let verdict): verdict == .accepted ? .check : .failure
        case .check(_, let passed, _): passed ? .check : .failure
        case .fieldExists, .subsectionPeek: .check
        case .error, .assertion, .fault, .streamError: .failure
        case .leak: .leak
        case .warning: .check
        default: .structure
        }
    }

    /// Whether this event is a failure that ends (or dooms) the run.
    public var isFailure: Bool { category == .failure }
}

/// Groups of events for breakpoints and colours.
public enum EventCategory: String, Sendable, Hashable, CaseIterable {
    case structure, marker, allocation, check, failure, leak
}

public enum VersionVerdict: String, Sendable, Hashable {
    case accepted
    case tooNew = "too new"
    case tooOld = "too old"
}

public enum HookKind: String, Sendable, Hashable {
    case preLoad = "pre_load"
    case postLoad = "post_load"
    case preSave = "pre_save"
    case postSave = "post_save"
    case needed
}

/// What the subsection loop decided after peeking at the next bytes.
public enum SubsectionDecision: String, Sendable, Hashable {
    /// The next byte is not 0x05: no (more) subsections.
    case noSubsection = "no subsection"
    /// The name length byte is shorter than "parent/x".
    case nameTooShort = "name too short"
    /// Fewer bytes left than the name length.
    case truncated = "truncated name"
    /// The name does not start with the parent's name: left for the caller.
    case foreignPrefix = "other prefix, left unread"
    /// No candidate subsection has that name.
    case unknown = "unknown subsection"
    case enter = "enter"
}

/// One step of a trace.
public struct TraceEvent: Sendable, Hashable {
    public var kind: EventKind
    /// The stream bytes this step consumed or produced (absolute offsets; may be empty).
    public var bytes: Range<Int>
    public var path: PathID
    /// Nesting depth: VMSDs and fields entered, for step over / step out.
    public var depth: Int
    /// What the step did to the heap, in order.
    public var heapChanges: [HeapChange]

    public init(kind: EventKind, bytes: Range<Int>, path: PathID, depth: Int, heapChanges: [HeapChange] = []) {
        self.kind = kind
        self.bytes = bytes
        self.path = path
        self.depth = depth
        self.heapChanges = heapChanges
    }
}
