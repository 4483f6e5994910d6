/// The result of one scan over a stream: every top-level record with its byte range, the RAM
/// totals per block, and where (and why) the scan stopped if the stream is damaged.
public struct StreamIndex: Sendable {
    public var records: [StreamRecord] = []
    /// Per-RAMBlock totals, in MEM_SIZE order.
    public var ramBlocks: [RAMBlockSummary] = []
    /// The target page size the RAM records were read with.
    public var pageSize: UInt64 = 4096
    /// Whether sections carry footers (`send-section-footer`); nil when no section was seen.
    public var sectionFooters: Bool?
    /// Set when the scan could not reach the end: everything before it is in `records`.
    public var error: StreamError?
    /// Bytes after the last record that belong to none (e.g. after the vmdesc).
    public var trailingBytes: Range<Int>?
    /// A section the stream ends inside, not in `records`: its header was read, its payload
    /// (extent `.cut`) runs to the end of the file, and `error` says where it was cut. A
    /// destination loads such a section up to the cut, so the explorer steps it too. For a RAM
    /// chunk, its summary counts the records before the cut.
    public var unfinished: StreamRecord?

    public init() {}

    public var configuration: ConfigurationSection? {
        for record in records { if case .configuration(let config) = record.kind { return config } }
        return nil
    }

    public var commands: [(offset: Int, command: MigrationCommand)] {
        records.compactMap { record in
            if case .command(let command) = record.kind { return (record.offset, command) }
            return nil
        }
    }

    /// The vmdesc JSON text range, found right after the EOF record.
    public var vmdescRange: Range<Int>? {
        for record in records.reversed() { if case .vmdescription(let json) = record.kind { return json } }
        return nil
    }

    public var sections: [SectionRecord] { records.compactMap(\.section) }

    /// `records`, then the section the stream ends inside, if any: what a listing shows.
    public var recordsThroughCut: [StreamRecord] { records + (unfinished.map { [$0] } ?? []) }

    /// The record starting at `offset`, if any.
    public func record(at offset: Int) -> StreamRecord? {
        var low = 0
        var high = records.count
        while low < high {
            let mid = (low + high) / 2
            if records[mid].offset < offset { low = mid + 1 } else { high = mid }
        }
        return low < records.count && records[low].offset == offset ? records[low] : nil
    }
}
