/// Where two runs of the same (or a changed) scenario part ways: what `vmscope diff` and the
/// explorer's comparison view show.
public struct TraceComparison: Sendable {
    /// The index of the first event that differs, in each trace; nil when the traces agree.
    public var firstDifference: (left: Int, right: Int)?
    /// The first stream offset where the bytes differ, nil when equal.
    public var firstByteDifference: Int?
    public var bytesEqual: Bool
    /// Index pairs of events that correspond, in order, for side-by-side display.
    public var alignment: [(left: Int?, right: Int?)]

    /// Compares two traces event by event. Addresses are left out of the comparison: the two
    /// runs allocate the same objects at different places.
    public init(_ left: Trace, _ right: Trace) {
        let leftKeys = left.events.map { Self.key($0, in: left) }
        let rightKeys = right.events.map { Self.key($0, in: right) }
        var common = 0
        while common < leftKeys.count && common < rightKeys.count && leftKeys[common] == rightKeys[common] {
            common += 1
        }
        firstDifference =
            common == leftKeys.count && common == rightKeys.count ? nil : (common, common)
        let leftBytes = left.stream
        let rightBytes = right.stream
        let shared = zip(leftBytes, rightBytes).prefix { $0 == $1 }.count
        bytesEqual = leftBytes == rightBytes
        firstByteDifference = bytesEqual ? nil : shared
        alignment = Self.align(leftKeys, rightKeys)
    }

    /// What must match for two events to be "the same step": what the loader did, not how the
    /// profile explains it (7.2 takes an array of pointers' stride from `size`, 2026 from the host
    /// pointer; both step by 8, so they are the same step).
    static func key(_ event: TraceEvent, in trace: Trace) -> String {
        let what: String
        switch event.kind {
        case .elementCount(let field, let count, let size, _): what = "\(field): n_elems \(count), size \(size)"
        default: what = withoutAddresses(event.kind.summary)
        }
        return trace.path(of: event) + "|" + what
    }

    /// Whether two events did the same thing, however each profile explains it (the rule of
    /// `key`, for callers that hold events rather than strings).
    public static func sameBehaviour(_ a: EventKind, _ b: EventKind) -> Bool {
        switch (a, b) {
        case (.elementCount(let fieldA, let countA, let sizeA, _), .elementCount(let fieldB, let countB, let sizeB, _)):
            fieldA == fieldB && countA == countB && sizeA == sizeB
        default: a == b
        }
    }

    /// The summary with heap addresses (`0x55d0...`) replaced, since two runs differ there.
    public static func withoutAddresses(_ text: String) -> String {
        var result = ""
        var characters = Array(text)
        characters.append(" ")
        var index = 0
        while index < characters.count - 1 {
            if characters[index] == "0", characters[index + 1] == "x" {
                var end = index + 2
                while end < characters.count, characters[end].isHexDigit { end += 1 }
                if end - index - 2 >= 9 {
                    result += "0x…"
                    index = end
                    continue
                }
            }
            result.append(characters[index])
            index += 1
        }
        return result
    }

    /// A longest-common-subsequence alignment, bounded so huge traces stay linear: past the
    /// bound, the tails are paired index by index.
    static func align(_ left: [String], _ right: [String], bound: Int = 4000) -> [(left: Int?, right: Int?)] {
        var prefix = 0
        while prefix < left.count && prefix < right.count && left[prefix] == right[prefix] { prefix += 1 }
        var pairs: [(left: Int?, right: Int?)] = (0..<prefix).map { ($0, $0) }
        let leftRest = Array(left[prefix...].prefix(bound))
        let rightRest = Array(right[prefix...].prefix(bound))
        let rows = leftRest.count
        let columns = rightRest.count
        // Table of LCS lengths of suffixes.
        var table = [[Int]](repeating: [Int](repeating: 0, count: columns + 1), count: rows + 1)
        if rows > 0 && columns > 0 {
            for i in stride(from: rows - 1, through: 0, by: -1) {
                for j in stride(from: columns - 1, through: 0, by: -1) {
                    table[i][j] =
                        leftRest[i] == rightRest[j] ? table[i + 1][j + 1] + 1 : max(table[i + 1][j], table[i][j + 1])
                }
            }
        }
        var i = 0
        var j = 0
        while i < rows || j < columns {
            if i < rows && j < columns && leftRest[i] == rightRest[j] {
                pairs.append((prefix + i, prefix + j))
                i += 1
                j += 1
            } else if j < columns && (i == rows || table[i][j + 1] >= table[i + 1][j]) {
                pairs.append((nil, prefix + j))
                j += 1
            } else {
                pairs.append((prefix + i, nil))
                i += 1
            }
        }
        var leftIndex = prefix + rows
        var rightIndex = prefix + columns
        while leftIndex < left.count || rightIndex < right.count {
            pairs.append((leftIndex < left.count ? leftIndex : nil, rightIndex < right.count ? rightIndex : nil))
            leftIndex += 1
            rightIndex += 1
        }
        return pairs
    }
}
