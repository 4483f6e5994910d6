import VMState

/// Checks the invariants every trace must keep: each event's bytes lie inside the stream, and
/// no two events claim the same byte. Returns what is wrong, empty when all is well.
public func traceProblems(_ trace: Trace) -> [String] {
    var problems: [String] = []
    var claimed = [Int?](repeating: nil, count: trace.stream.count)
    for (index, event) in trace.events.enumerated() where !event.bytes.isEmpty {
        let lower = event.bytes.lowerBound - trace.streamBase
        let upper = event.bytes.upperBound - trace.streamBase
        guard lower >= 0, upper <= trace.stream.count else {
            problems.append("event \(index + 1) (\(event.kind.label)) has bytes \(event.bytes) outside the stream")
            continue
        }
        for byte in lower..<upper {
            if let owner = claimed[byte] {
                problems.append("byte \(byte) claimed by events \(owner + 1) and \(index + 1)")
            }
            claimed[byte] = index
        }
    }
    return problems
}
