/// What happened at one step of a load, save or check.
public enum EventKind: Sendable, Hashable {
    case enterVMSD(name: String, version: Int)
    case leaveVMSD(name: String, succeeded: Bool)
    case versionCheck(vmsd: String, incoming: Int, minimum: Int, local: Int, verdict: VersionVerdict)
    case hook(HookKind, result: String, failed: Bool)
    /// `vmstate_field_exists`: whether the field is in this version of the stream, and why.
    case fieldExists(field: String, exists: Bool, reason: ExistsReason)
    /// `vmstate_n_elems` and `vmstate_size` for a field.
    case elementCount(field: String, count: Int, size: Int, detail: CountDetail)
    /// A VMS_POINTER or array-of-pointer slot read.
    case pointerDeref(slot: UInt64, target: UInt64)
    case allocation(base: UInt64, size: Int, zeroed: Bool, type: CType?, reason: AllocationReason)
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

/// Why `vmstate_field_exists` said yes or no.
public enum ExistsReason: Sendable, Hashable, CustomStringConvertible {
    /// `field->version_id <= version_id`.
    case version(field: Int, stream: Int)
    /// The `field_exists` test and what it returned.
    case test(Expression, Bool)

    public var description: String {
        switch self {
        case .version(let field, let stream):
            "field version \(field) \(field <= stream ? "<=" : ">") stream version \(stream)"
        case .test(let test, let result): "field_exists(\(test)) = \(result)"
        }
    }
}

/// Where `vmstate_n_elems` and `vmstate_size` took their numbers from.
public struct CountDetail: Sendable, Hashable, CustomStringConvertible {
    /// The VARRAY flag that gave the count, or nil for ARRAY / single.
    public var countFlag: FieldFlag?
    public var countOffset: Int
    /// The count as stored (before C's int conversion).
    public var storedCount: Int64
    public var isArray: Bool
    /// `num` when VMS_MULTIPLY_ELEMENTS multiplied the count (7.2).
    public var multipliedBy: Int?
    public var size: SizeSource

    public enum SizeSource: Sendable, Hashable {
        case field(Int)
        /// VMS_VBUFFER: the int32 at `offset`, times `multiplier` with VMS_MULTIPLY.
        case vbuffer(offset: Int, value: Int, multiplier: Int?)
        /// 2026: an array of pointers steps by the host pointer size.
        case hostPointer
    }

    public var description: String {
        var text: String
        if let countFlag {
            text = "\(countFlag.shortName) count at +0x\(String(countOffset, radix: 16)) = \(storedCount)"
        } else {
            text = isArray ? "ARRAY num \(storedCount)" : "single"
        }
        if let multipliedBy { text += " × num \(multipliedBy)" }
        switch size {
        case .field(let size): text += ", size \(size)"
        case .vbuffer(let offset, let value, let multiplier):
            text +=
                ", VBUFFER size at +0x\(String(offset, radix: 16)) = \(value)" + (multiplier.map { " × \($0)" } ?? "")
        case .hostPointer: text += ", host pointer size 8"
        }
        return text
    }
}

/// Why the engine allocated.
public enum AllocationReason: Sendable, Hashable, CustomStringConvertible {
    /// `vmstate_handle_alloc`: VMS_POINTER|VMS_ALLOC, size × n_elems, uninitialised.
    case bulk(size: Int, count: Int)
    /// A VALID marker into a NULL slot: `g_malloc0(field->size)`.
    case validMarker(size: Int)
    /// A VALID marker with VMS_ALLOC into a slot that held `previous` (seed patch).
    case validMarkerReplacing(previous: UInt64, size: Int)
    case tmp(load: Bool)
    case listElement(String)
    case treeKey, treeValue
    case byteArray
    case hook

    public var description: String {
        switch self {
        case .bulk(let size, let count): "VMS_ALLOC: size \(size) × \(count) elements (g_malloc)"
        case .validMarker(let size): "VALID marker: g_malloc0(field->size = \(size))"
        case .validMarkerReplacing(let previous, let size):
            "VALID marker with VMS_ALLOC: g_malloc0(\(size)) replaces 0x\(String(previous, radix: 16))"
        case .tmp(let load): "\(load ? "get_tmp" : "put_tmp"): g_malloc(size), first member = parent"
        case .listElement(let info): "\(info) element (g_malloc)"
        case .treeKey: "gtree key (g_malloc0)"
        case .treeValue: "gtree value (g_malloc0)"
        case .byteArray: "g_byte_array_set_size"
        case .hook: "hook allocation"
        }
    }
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
