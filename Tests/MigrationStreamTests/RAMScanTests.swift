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
}
