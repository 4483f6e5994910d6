/// Per-RAMBlock totals over the whole stream: page counts and runs of zero and data pages.
///
/// Runs are counted, not stored, so the summary stays the same size for any stream length.
public struct RAMBlockSummary: Sendable, Equatable {
    public var name: String
    public var length: UInt64
    public var zeroPages: Int = 0
    public var dataPages: Int = 0
    public var xbzrlePages: Int = 0
    public var compressedPages: Int = 0
    /// Maximal runs of consecutive page addresses carried by the same kind of record.
    public var zeroRuns: Int = 0
    public var dataRuns: Int = 0
    /// Pages sent more than once are counted each time (a live migration resends dirty pages).
    public var dataBytes: UInt64 = 0

    public init(name: String, length: UInt64) {
        self.name = name
        self.length = length
    }

    var lastAddress: UInt64?
    var lastWasZero = false

    mutating func note(address: UInt64, zero: Bool, pageSize: UInt64) {
        let continuesRun = lastAddress.map { $0 &+ pageSize == address } ?? false && lastWasZero == zero
        if !continuesRun {
            if zero { zeroRuns += 1 } else { dataRuns += 1 }
        }
        if zero { zeroPages += 1 } else { dataPages += 1 }
        lastAddress = address
        lastWasZero = zero
    }
}
