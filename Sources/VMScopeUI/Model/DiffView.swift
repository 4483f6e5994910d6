import VMState

/// Two profiles' load traces of the same input, aligned row by row.
public struct DiffView: Sendable {
    public enum Mark: Sendable, Hashable {
        /// Same event on both sides.
        case same
        /// Same place, different outcome (`marker 0x31 VALID` against `marker 0x31 unexpected`).
        case changed
        case leftOnly, rightOnly
    }

    public struct Row: Sendable, Hashable {
        /// Global event indices.
        public var left: Int?
        public var right: Int?
        public var mark: Mark
    }

    public var leftProfiles: ProfileChoice
    public var rightProfiles: ProfileChoice
    public var left: Session
    public var right: Session
    public var rows: [Row]
    public var firstDifference: Int?
    public var top = 0
    public var selected = 0

    /// Events further apart than this are not re-synchronised.
    static let window = 48

    public init(left: Session, leftProfiles: ProfileChoice, right: Session, rightProfiles: ProfileChoice) {
        self.left = left
        self.right = right
        self.leftProfiles = leftProfiles
        self.rightProfiles = rightProfiles
        rows = Self.align(left, right)
        firstDifference = rows.firstIndex { $0.mark != .same }
        selected = firstDifference ?? 0
    }

    /// Where an event happened and what kind it is: rows with the same key are the same step of
    /// both loads, whatever each decided there.
    static func keys(_ session: Session) -> [Int] {
        (0..<session.eventCount).map { index in
            var hasher = Hasher()
            hasher.combine(session.path(ofEvent: index))
            hasher.combine(session.event(index).kind.label)
            return hasher.finalize()
        }
    }

    /// Traces whose product of lengths stays under this are aligned exactly (longest common
    /// subsequence of keys); longer ones by a windowed re-synchronisation.
    static let exactLimit = 4_000_000

    static func align(_ left: Session, _ right: Session) -> [Row] {
        let leftKeys = keys(left)
        let rightKeys = keys(right)
        func same(_ a: Int, _ b: Int) -> Bool {
            let x = left.event(a)
            let y = right.event(b)
            return TraceComparison.sameBehaviour(x.kind, y.kind)
                && left.bytes[safe: x.bytes] == right.bytes[safe: y.bytes]
        }
        var rows: [Row] = []
        var pendingLeft: [Int] = []
        var pendingRight: [Int] = []
        // A gap between matches: events at the same path face each other as changed, the rest
        // are one-sided.
        func flush() {
            var paired = 0
            while paired < min(pendingLeft.count, pendingRight.count),
                left.path(ofEvent: pendingLeft[paired]) == right.path(ofEvent: pendingRight[paired])
            {
                rows.append(Row(left: pendingLeft[paired], right: pendingRight[paired], mark: .changed))
                paired += 1
            }
            rows += pendingLeft.dropFirst(paired).map { Row(left: $0, right: nil, mark: .leftOnly) }
            rows += pendingRight.dropFirst(paired).map { Row(left: nil, right: $0, mark: .rightOnly) }
            pendingLeft.removeAll()
            pendingRight.removeAll()
        }
        func match(_ i: Int, _ j: Int) {
            flush()
            rows.append(Row(left: i, right: j, mark: same(i, j) ? .same : .changed))
        }
        if leftKeys.count * rightKeys.count <= exactLimit {
            let width = rightKeys.count + 1
            // common[i * width + j]: longest common subsequence of the keys from i and j on.
            var common = [UInt16](repeating: 0, count: (leftKeys.count + 1) * width)
            for i in stride(from: leftKeys.count - 1, through: 0, by: -1) {
                for j in stride(from: rightKeys.count - 1, through: 0, by: -1) {
                    common[i * width + j] =
                        leftKeys[i] == rightKeys[j]
                        ? common[(i + 1) * width + j + 1] + 1
                        : max(common[(i + 1) * width + j], common[i * width + j + 1])
                }
            }
            var i = 0
            var j = 0
            while i < leftKeys.count && j < rightKeys.count {
                if leftKeys[i] == rightKeys[j] && common[i * width + j] == common[(i + 1) * width + j + 1] + 1 {
                    match(i, j)
                    i += 1
                    j += 1
                } else if common[(i + 1) * width + j] >= common[i * width + j + 1] {
                    pendingLeft.append(i)
                    i += 1
                } else {
                    pendingRight.append(j)
                    j += 1
                }
            }
            pendingLeft += Array(i..<leftKeys.count)
            pendingRight += Array(j..<rightKeys.count)
            flush()
            return rows
        }
        var i = 0
        var j = 0
        while i < leftKeys.count || j < rightKeys.count {
            if i < leftKeys.count, j < rightKeys.count, leftKeys[i] == rightKeys[j] {
                match(i, j)
                i += 1
                j += 1
                continue
            }
            // The nearest pair of equal keys ahead, the fewer skipped the better.
            var resync: (Int, Int)?
            search: for distance in 1..<(2 * window) {
                for a in 0...distance {
                    let b = distance - a
                    guard a < window, b < window, i + a < leftKeys.count, j + b < rightKeys.count else { continue }
                    if leftKeys[i + a] == rightKeys[j + b] {
                        resync = (a, b)
                        break search
                    }
                }
            }
            let (a, b) = resync ?? (min(1, leftKeys.count - i), min(1, rightKeys.count - j))
            pendingLeft += Array(i..<i + a)
            pendingRight += Array(j..<j + b)
            i += a
            j += b
            if resync == nil { flush() }
        }
        flush()
        return rows
    }

    /// Next row after `row` that differs, searching forward or backward.
    public func difference(after row: Int, forward: Bool) -> Int? {
        if forward {
            let starts = rows.indices.first { $0 > row && rows[$0].mark != .same && rows[$0 - 1].mark == .same }
            return starts ?? rows.indices.first { $0 > row && rows[$0].mark != .same }
        }
        return rows.indices.last { $0 < row && rows[$0].mark != .same }
    }
}

extension Array where Element == UInt8 {
    /// The bytes of `range` that exist.
    subscript(safe range: Range<Int>) -> ArraySlice<UInt8> {
        let lower = Swift.max(0, Swift.min(range.lowerBound, count))
        let upper = Swift.max(lower, Swift.min(range.upperBound, count))
        return self[lower..<upper]
    }
}
