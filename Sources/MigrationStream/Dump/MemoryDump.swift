/// The `memory` object of `-m`: one entry per page, keyed `"block (0x%016x)"`.
///
/// Python fills an OrderedDict, so a page sent twice (a live migration resends dirty pages) keeps
/// the position of its first record and the value of its last. Two passes reproduce that with
/// one bit per page instead of a table of every page: the first finds the pages sent more than
/// once and keeps only their last record.
struct MemoryDump {
    let stream: MigrationStream
    let chunks: [SectionRecord]

    private struct PageKey: Hashable {
        var block: String
        var address: UInt64
    }

    func write(_ json: inout PythonJSONWriter) -> StreamError? {
        let pageSize = stream.index.pageSize
        var lengths: [String: UInt64] = [:]
        for chunk in chunks { for block in chunk.ram?.blocks ?? [] { lengths[block.name] = block.length } }

        var seen = PageSet(lengths: lengths, pageSize: pageSize)
        var latest: [PageKey: RAMRecord] = [:]
        do {
            for chunk in chunks {
                try stream.forEachRAMRecord(in: chunk) { record in
                    guard Self.isPage(record) else { return }
                    if seen.insert(block: record.block, address: record.address) == false {
                        latest[PageKey(block: record.block, address: record.address)] = record
                    }
                }
            }
        } catch {
            return error
        }
        var emitted = PageSet(lengths: lengths, pageSize: pageSize)
        do {
            for chunk in chunks {
                try stream.forEachRAMRecord(in: chunk) { record in
                    if case .memSize(_, let blocks) = record.kind {
                        writeMappedPages(blocks, &emitted, &json)
                        return
                    }
                    guard Self.isPage(record), emitted.insert(block: record.block, address: record.address) else {
                        return
                    }
                    let shown = latest[PageKey(block: record.block, address: record.address)] ?? record
                    json.key("\(record.block) (0x\(Hex.pad(record.address, 16)))")
                    json.string(value(of: shown))
                }
            }
        } catch {
            return error
        }
        return nil
    }

    /// mapped-ram: every page of each block in order, where its block entry is; a page the
    /// bitmap leaves out reads as zeros.
    private func writeMappedPages(_ blocks: [RAMBlockInfo], _ emitted: inout PageSet, _ json: inout PythonJSONWriter) {
        let bytes = stream.file.bytes
        for block in blocks {
            guard let mapped = block.mappedRAM, !mapped.isIgnored else { continue }
            for (page, present) in MappedRAMPages(block: block, mapped: mapped, bytes: bytes) {
                let address = page * mapped.pageSize
                guard emitted.insert(block: block.name, address: address) else { continue }
                json.key("\(block.name) (0x\(Hex.pad(address, 16)))")
                if present {
                    let start = MappedRAMPages.offset(of: page, mapped)
                    json.string(Hex.spaced(stream.bytes(in: start..<(start + Int(mapped.pageSize)))))
                    stream.file.releaseBehind(start, every: 8 << 20)
                } else {
                    json.string("Filled with 0x00")
                }
            }
        }
    }

    private static func isPage(_ record: RAMRecord) -> Bool {
        switch record.kind {
        case .zeroPage, .page, .xbzrle, .compressedPage: true
        case .memSize, .multifdFlush, .endOfSection: false
        }
    }

    private func value(of record: RAMRecord) -> String {
        switch record.kind {
        case .zeroPage(let fill):
            // The analyzer reads the fill byte signed and prints it with '%02x'.
            let text = fill < 0x80 ? Hex.pad(UInt64(fill), 2) : "-" + String(256 - Int(fill), radix: 16)
            return "Filled with 0x" + text
        case .page(let data):
            return Hex.spaced(stream.bytes(in: data))
        case .xbzrle(_, let data):
            return "XBZRLE-encoded page, \(data.count) bytes"
        case .compressedPage(let data):
            return "zlib-compressed page, \(data.count) bytes"
        case .memSize, .multifdFlush, .endOfSection:
            return ""
        }
    }
}

/// One bit per page of each block; addresses outside the announced length go to a small set.
struct PageSet {
    private var bits: [String: [UInt64]] = [:]
    private var overflow: Set<String> = []
    private let pageSize: UInt64

    init(lengths: [String: UInt64], pageSize: UInt64) {
        self.pageSize = max(1, pageSize)
        for (name, length) in lengths {
            let pages = length / self.pageSize + 1
            bits[name] = Array(repeating: 0, count: Int(min(pages / 64 + 1, 1 << 26)))
        }
    }

    /// Inserts the page; returns false if it was already there.
    mutating func insert(block: String, address: UInt64) -> Bool {
        let page = address / pageSize
        if var words = bits[block], page / 64 < UInt64(words.count) {
            let word = Int(page / 64)
            let mask = UInt64(1) << (page % 64)
            if words[word] & mask != 0 { return false }
            bits[block] = nil
            words[word] |= mask
            bits[block] = words
            return true
        }
        return overflow.insert("\(block)@\(address)").inserted
    }
}
