/// How a run ended, as QEMU would have ended it.
public enum RunOutcome: Sendable, Hashable {
    case success
    /// The load or save returned an error: its code (-22, -5, ...) and the messages QEMU printed
    /// (`error_report`, 7.2) or returned (`Error`, 2026).
    case failed(code: Int, messages: [String])
    /// An `assert()` in vmstate.c failed: QEMU aborts.
    case assertionFailed(String)
    /// A memory access QEMU would crash on.
    case fault(String)
    /// vmscope stopped: the input passed one of its bounds (see `EngineLimits`).
    case limitExceeded(String)

    public var succeeded: Bool { self == .success }

    /// The message a user reads first.
    public var summary: String {
        switch self {
        case .success: "success"
        case .failed(let code, let messages):
            messages.isEmpty ? "failed with \(code)" : messages.joined(separator: "\n")
        case .assertionFailed(let condition): "assertion failed: \(condition)"
        case .fault(let detail): "fault: \(detail)"
        case .limitExceeded(let detail): "vmscope limit: \(detail)"
        }
    }
}

public enum RunDirection: String, Sendable, Hashable {
    case load, save, check
}

/// One run of the engine: every event in order, and what it left behind.
public struct Trace: Sendable {
    public var direction: RunDirection
    public var profile: Profile
    public var events: [TraceEvent]
    public var paths: PathTable
    /// The stream the run read or wrote.
    public var stream: [UInt8]
    /// The absolute offset of `stream[0]` (non-zero for a section inside a real stream).
    public var streamBase: Int
    /// The heap before the first event.
    public var initialHeap: Heap
    /// The heap after the last event.
    public var finalHeap: Heap
    public var outcome: RunOutcome
    /// The stream's error at the end (`qemu_file_get_error`): -5 after reading past the end.
    public var streamError: Int?
    /// Bytes of `stream` the load consumed.
    public var bytesConsumed: Int
    /// The vmdesc JSON object a save wrote (QEMU's compact form), when asked for.
    public var vmdesc: String?

    public init(
        direction: RunDirection, profile: Profile, events: [TraceEvent], paths: PathTable, stream: [UInt8],
        streamBase: Int, initialHeap: Heap, finalHeap: Heap, outcome: RunOutcome, streamError: Int?,
        bytesConsumed: Int, vmdesc: String?
    ) {
        self.direction = direction
        self.profile = profile
        self.events = events
        self.paths = paths
        self.stream = stream
        self.streamBase = streamBase
        self.initialHeap = initialHeap
        self.finalHeap = finalHeap
        self.outcome = outcome
        self.streamError = streamError
        self.bytesConsumed = bytesConsumed
        self.vmdesc = vmdesc
    }

    public func path(of event: TraceEvent) -> String { paths.string(event.path) }

    /// The heap after `step` events (0 = before the first). Replays forward from the start or
    /// backward from the end, whichever is shorter.
    public func heap(afterSteps step: Int) -> Heap {
        let step = max(0, min(step, events.count))
        if step <= events.count / 2 {
            var heap = initialHeap
            for event in events[0..<step] {
                for change in event.heapChanges { heap.apply(change) }
            }
            return heap
        }
        var heap = finalHeap
        for event in events[step...].reversed() {
            for change in event.heapChanges.reversed() { heap.revert(change) }
        }
        return heap
    }

    /// The first event whose bytes include `offset`: "which step consumed this byte".
    public func step(consuming offset: Int) -> Int? {
        events.firstIndex { $0.bytes.contains(offset) }
    }

    public var failureStep: Int? { events.firstIndex { $0.kind.isFailure } }
}
