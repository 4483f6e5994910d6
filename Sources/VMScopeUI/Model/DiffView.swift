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

    static func align(_ left: Session, _ right: Session) -> [Row] {
        let leftKeys = keys(left)
        let rightKeys = keys(right)
        var rows: [Row] = []
        var i = 0
        var j = 0
        func same(_ a: Int, _ b: Int) -> Bool {
            let x = left.event(a)
            let y = right.event(b)
            return x.kind == y.kind && left.bytes[safe: x.bytes] == right.bytes[safe: y.bytes]
        }
        while i < leftKeys.count || j < rightKeys.count {
            if i < leftKeys.count, j < rightKeys.count, leftKeys[i] == rightKeys[j] {
                rows.append(Row(left: i, right: j, mark: same(i, j) ? .same : .changed))
                i += 1
                j += 1
                continue
            }
            // Find the nearest pair of equal keys ahead, the fewer skipped the better.
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
            if let (a, b) = resync {
                let paired = min(a, b)
                for offset in 0..<paired { rows.append(Row(left: i + offset, right: j + offset, mark: .changed)) }
                for offset in paired..<a { rows.append(Row(left: i + offset, right: nil, mark: .leftOnly)) }
                for offset in paired..<b { rows.append(Row(left: nil, right: j + offset, mark: .rightOnly)) }
                i += a
                j += b
            } else if i < leftKeys.count, j < rightKeys.count {
                rows.append(Row(left: i, right: j, mark: .changed))
                i += 1
                j += 1
            } else if i < leftKeys.count {
                rows.append(Row(left: i, right: nil, mark: .leftOnly))
                i += 1
            } else {
                rows.append(Row(left: nil, right: j, mark: .rightOnly))
                j += 1
            }
        }
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
