import Foundation
import Testing

@testable import MigrationStream

/// The scanner reads runs of CONTINUE pages without building a record for each. What it counts
/// must be what reading every record would give, whatever order the flag combinations come in.
@Suite("RAM scan")
struct RAMScanTests {
    /// A PART section over two blocks: named and CONTINUE pages and zero pages, a gap in the
    /// addresses, and a switch of block.
    static func mixedPages() -> StreamBuilder {
        var b = StreamBuilder()
        b.header()
        b.configuration()
        b.sectionHeader(0x01, id: 2, name: "ram", version: 4)
        b.be64(0x10000 | 0x04)
        b.counted("a")
        b.be64(0x8000)
        b.counted("b")
        b.be64(0x8000)
        b.be64(0x10)
        b.footer(2)
        b.u8(0x02)  // PART
        b.be32(2)
        func page(_ address: UInt64, _ flags: UInt64, block: String? = nil) {
            b.be64(address | flags)
            if let block { b.counted(block) }
            if flags & 0x02 != 0 {
                b.u8(0)
            } else {
                b.raw([UInt8](repeating: UInt8(address >> 12), count: 4096))
            }
        }
        page(0x0000, 0x08, block: "a")  // PAGE
        page(0x1000, 0x28)  // PAGE|CONTINUE
        page(0x2000, 0x22)  // ZERO|CONTINUE: first seen, read as a record
        page(0x3000, 0x22)
        page(0x5000, 0x28)  // a gap: a new run of data pages
        page(0x0000, 0x02, block: "b")  // ZERO
        page(0x1000, 0x22)
        page(0x2000, 0x28)
        page(0x3000, 0x28)
        b.be64(0x10)
        b.footer(2)
        b.u8(0x00)
        return b
    }

    @Test("runs of CONTINUE records count as record by record")
    func continuedRuns() throws {
        let stream = try Self.mixedPages().open()
        #expect(stream.index.error == nil)
        let part = try #require(stream.index.sections.last?.ram)
        #expect(part.records == 10)
        #expect(part.flagCounts.map(\.label) == ["PAGE", "PAGE|CONTINUE", "ZERO|CONTINUE", "ZERO", "EOS"])
        #expect(part.flagCounts.map(\.count) == [1, 4, 3, 1, 1])
        let blocks = stream.index.ramBlocks
        #expect(blocks.map(\.name) == ["a", "b"])
        #expect(blocks.map(\.dataPages) == [3, 2])
        #expect(blocks.map(\.zeroPages) == [2, 2])
        #expect(blocks.map(\.dataRuns) == [2, 1])
        #expect(blocks.map(\.zeroRuns) == [1, 1])
        #expect(blocks.map(\.dataBytes) == [3 * 4096, 2 * 4096])
    }

    @Test("a CONTINUE page cut short is reported by the record reader")
    func truncatedContinuedPage() throws {
        var b = StreamBuilder()
        b.header()
        b.configuration()
        b.ramStart()
        b.u8(0x02)
        b.be32(2)
        b.be64(0x0000 | 0x08)
        b.counted("pc.ram")
        b.raw([UInt8](repeating: 1, count: 4096))
        b.be64(0x1000 | 0x28)
        b.raw([UInt8](repeating: 2, count: 4096))
        b.be64(0x2000 | 0x28)
        b.raw([UInt8](repeating: 3, count: 4096))
        let cut = b.bytes.count
        b.be64(0x3000 | 0x28)
        b.raw([UInt8](repeating: 4, count: 100))
        let stream = try b.open()
        let error = try #require(stream.index.error)
        // The header was read; the page it announces is not all there.
        #expect(error.location?.offset == cut + 8)
        #expect("\(error)".contains("4096"))
        #expect(stream.index.ramBlocks.first?.dataPages == 3)
    }
    @Test("a RAM chunk the stream ends inside is kept, with the records before the cut")
    func cutChunkIsKept() throws {
        var b = StreamBuilder()
        b.header()
        b.configuration()
        b.ramStart(block: "a", length: 0x10000)
        let partStart = b.bytes.count
        b.u8(0x02)  // PART
        b.be32(2)
        b.be64(0x0000 | 0x08)  // PAGE, naming the block
        b.counted("a")
        b.raw([UInt8](repeating: 1, count: 4096))
        b.be64(0x1000 | 0x28)  // PAGE|CONTINUE
        b.raw([UInt8](repeating: 2, count: 4096))
        b.be64(0x2000 | 0x22)  // ZERO|CONTINUE, twice
        b.u8(0)
        b.be64(0x3000 | 0x22)
        b.u8(0)
        let cut = b.bytes.count
        b.be64(0x4000 | 0x28)  // a page whose data the stream ends inside
        b.raw([UInt8](repeating: 3, count: 100))
        let path = try b.write()
        defer { Self.remove(path) }
        var kept: [StreamRecord] = []
        for inBulk in [true, false] {
            var scanner = StreamScanner(file: try MappedFile(path: path), vmdesc: nil, pageSize: 4096)
            scanner.readsRunsInBulk = inBulk
            let index = scanner.scan()
            #expect(index.error?.location?.offset == cut + 8)
            let unfinished = try #require(index.unfinished)
            kept.append(unfinished)
            #expect(unfinished.offset == partStart && unfinished.end == b.bytes.count)
            let section = try #require(unfinished.section)
            #expect(section.header.type == .part && section.extent == .cut)
            #expect(section.body == partStart + 5..<b.bytes.count)
            let ram = try #require(section.ram)
            #expect(ram.records == 4)
            #expect(
                ram.flagCounts.map { "\($0.label) \($0.count)" } == ["PAGE 1", "PAGE|CONTINUE 1", "ZERO|CONTINUE 2"])
            #expect(!index.records.contains { $0.offset == partStart })
            #expect(index.ramBlocks.map(\.dataPages) == [2] && index.ramBlocks.map(\.zeroPages) == [2])
        }
        #expect(kept[0] == kept[1])
        let stream = try MigrationStream(path: path)
        #expect(
            SectionsReport(stream: stream).lines().last
                == "0x\(Hex.pad(UInt64(partStart), 8)) SECTION_PART   section_id=2 name=ram instance_id=0 version_id=4 "
                + "body_size=\(b.bytes.count - partStart - 5) ram_records=4 "
                + "ram_flag_counts={\"PAGE\": 1, \"PAGE|CONTINUE\": 1, \"ZERO|CONTINUE\": 2} extent=cut")
    }

    /// Removes a stream `StreamBuilder.write` made, with its folder.
    static func remove(_ path: String) {
        try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent())
    }

    /// Everything the scan found, as text, read with or without the bulk reading of runs.
    static func scanned(_ path: String, inBulk: Bool) throws -> String {
        var scanner = StreamScanner(file: try MappedFile(path: path), vmdesc: nil, pageSize: 4096)
        scanner.readsRunsInBulk = inBulk
        let index = scanner.scan()
        let sections = index.sections.map { "\($0.header.idstr) \($0.body) \(String(describing: $0.ram))" }
        return (["error \(String(describing: index.error))", "blocks \(index.ramBlocks)"] + sections)
            .joined(separator: "\n")
    }

    @Test("bulk reading of runs equals reading record by record, on random streams", arguments: 0..<4)
    func randomStreams(batch: UInt64) throws {
        for seed in batch * 100..<(batch + 1) * 100 {
            let path = try RandomRAMStream(seed: seed).builder.write()
            defer { Self.remove(path) }
            let bulk = try Self.scanned(path, inBulk: true)
            let byRecord = try Self.scanned(path, inBulk: false)
            #expect(bulk == byRecord, "seed \(seed)")
        }
    }

    @Test("a stream large enough for the page mapper reads the same in bulk")
    func pageMapperStream() throws {
        var b = StreamBuilder()
        b.header()
        b.configuration()
        b.ramStart(block: "pc.ram", length: 1 << 32)
        b.u8(0x02)
        b.be32(2)
        b.be64(0x08)
        b.counted("pc.ram")
        b.raw([UInt8](repeating: 1, count: 4096))
        let page = [UInt8](repeating: 2, count: 4096)
        for index in 1...25_000 {
            let address = UInt64(index) << 12
            if index % 3 == 0 {
                b.be64(address | 0x22)
                b.u8(0)
            } else {
                b.be64(address | 0x28)
                b.raw(page)
            }
        }
        b.be64(0x10)
        b.footer(2)
        b.u8(0x00)
        #expect(b.bytes.count >= StreamScanner.largeStream)
        let path = try b.write()
        defer { Self.remove(path) }
        let bulk = try Self.scanned(path, inBulk: true)
        #expect(bulk == (try Self.scanned(path, inBulk: false)))
        #expect(bulk.contains("dataPages: 16668"))
    }
}

/// A RAM stream drawn from a seed: several chunks of records of every kind over three blocks (one
/// the MEM_SIZE list does not name), target pages of 512 bytes to 64 KiB, address gaps, zero pages
/// with a non-zero fill, flag combinations with extra bits, and sometimes a cut or a flipped byte.
struct RandomRAMStream {
    var builder = StreamBuilder()
    private var state: UInt64

    init(seed: UInt64) {
        state = seed
        let pageBits = [12, 12, 9, 10, 13, 16][draw(6)]
        let pageSize = UInt64(1) << UInt64(pageBits)
        builder.header()
        builder.configuration()
        if pageBits != 12 {
            builder.u8(0x05)  // subsection of the configuration
            builder.counted("configuration/target-page-bits")
            builder.be32(1)
            builder.be32(UInt32(pageBits))
        }
        builder.sectionHeader(0x01, id: 2, name: "ram", version: 4)
        builder.be64((0x200 * pageSize) | 0x04)
        for name in ["a", "b"] {
            builder.counted(name)
            builder.be64(0x100 * pageSize)
        }
        builder.be64(0x10)
        builder.footer(2)
        var next: [String: UInt64] = ["a": 0, "b": 0, "unlisted": 0]
        var block = "a"
        for _ in 0..<(1 + draw(4)) {
            builder.u8(0x02)
            builder.be32(2)
            for _ in 0..<draw(40) {
                var address = next[block, default: 0]
                if draw(6) == 0 { address += pageSize * UInt64(1 + draw(3)) }
                if draw(10) == 0 { address = 0 }
                next[block] = address + pageSize
                let data = [UInt8](repeating: UInt8(truncatingIfNeeded: draw(256)), count: Int(pageSize))
                switch draw(100) {
                case 0..<40:
                    builder.be64(address | 0x28)
                    builder.raw(data)
                case 40..<62:
                    builder.be64(address | 0x22)
                    builder.u8(draw(5) == 0 ? 7 : 0)
                case 62..<72:
                    block = ["a", "b", "unlisted"][draw(3)]
                    builder.be64(address | 0x08)
                    builder.counted(block)
                    builder.raw(data)
                case 72..<80:
                    block = ["a", "b", "unlisted"][draw(3)]
                    builder.be64(address | 0x02)
                    builder.counted(block)
                    builder.u8(0)
                case 80..<85:
                    builder.be64(address | 0x60)  // XBZRLE|CONTINUE
                    builder.u8(1)
                    builder.be16(2)
                    builder.raw([1, 2])
                case 85..<88:
                    builder.be64(address | 0x120)  // COMPRESS_PAGE|CONTINUE
                    builder.be32(3)
                    builder.raw([1, 2, 3])
                case 88..<91:
                    builder.be64(0x200)  // MULTIFD_FLUSH
                default:
                    builder.be64(address | [0x2a, 0x29, 0x38, 0x228, 0x0a, 0x30][draw(6)])
                    builder.raw(data)
                }
            }
            builder.be64(0x10)
            builder.footer(2)
        }
        builder.u8(0x00)
        switch draw(4) {
        case 0: builder.bytes.removeSubrange(draw(builder.bytes.count)...)
        case 1: builder.bytes[draw(builder.bytes.count)] ^= UInt8(1 + draw(255))
        default: break
        }
    }

    /// A number below `bound` (SplitMix64).
    private mutating func draw(_ bound: Int) -> Int {
        state &+= 0x9e37_79b9_7f4a_7c15
        var z = state
        z = (z ^ (z >> 30)) &* 0xbf58_476d_1ce4_e5b9
        z = (z ^ (z >> 27)) &* 0x94d0_49bb_1331_11eb
        return Int((z ^ (z >> 31)) % UInt64(bound))
    }
}
