import Foundation
import Testing

@testable import MigrationStream

/// mapped-ram (QEMU 9.0+, `migrate file:` with the capability): each block entry of MEM_SIZE is
/// followed by a `MappedRamHeader`, the block's bitmap and its pages, and the stream goes on after
/// the pages.
@Suite("mapped-ram")
struct MappedRAMTests {
    static let pageSize = 0x1000

    /// A stream with one 4-page block of which pages 0 and 2 are in the file (0x11.. and 0x33..),
    /// then a device section. `pagesOffset` moves the pages; `version` the header's version.
    static func stream(pagesShift: Int = 0, version: UInt32 = 1, truncateBy: Int = 0) -> StreamBuilder {
        var b = StreamBuilder()
        b.header()
        b.configuration(machine: "pc", capabilities: ["mapped-ram"])
        b.sectionHeader(0x01, id: 1, name: "ram", version: 4)
        b.be64(0x4000 | 0x04)
        b.counted("pc.ram")
        b.be64(0x4000)
        let bitmapOffset = b.count + 28
        let pagesOffset = 0x2000 + pagesShift
        b.be32(version)
        b.be64(UInt64(pageSize))
        b.be64(UInt64(bitmapOffset))
        b.be64(UInt64(pagesOffset))
        b.raw([0b0000_0101] + [UInt8](repeating: 0, count: 7))
        b.raw([UInt8](repeating: 0, count: pagesOffset - b.count))
        for page in 0..<4 {
            let fill: UInt8 = page == 0 ? 0x11 : page == 2 ? 0x33 : 0x00
            b.raw([UInt8](repeating: fill, count: pageSize))
        }
        b.be64(0x10)
        b.footer(1)
        b.sectionHeader(0x04, id: 2, name: "dev", version: 1)
        b.be32(0xdead_beef)
        b.be16(0xfffe)
        b.footer(2)
        b.u8(0x00)
        b.vmdesc(StreamBuilder.minimalDesc)
        if truncateBy > 0 { b.bytes.removeLast(truncateBy) }
        return b
    }

    @Test("the scan jumps over the pages and counts them from the bitmap")
    func scan() throws {
        let stream = try Self.stream().open()
        #expect(stream.index.error == nil, "\(String(describing: stream.index.error))")
        #expect(stream.index.sections.map(\.header.idstr) == ["ram", "dev"])
        let ram = try #require(stream.index.sections.first?.ram)
        #expect(ram.flagCounts.map(\.label) == ["MEM_SIZE", "EOS"])
        let block = try #require(ram.blocks?.first)
        #expect(block.mappedRAM?.pagesOffset == 0x2000)
        let summary = try #require(stream.index.ramBlocks.first)
        #expect(summary.dataPages == 2)
        #expect(summary.zeroPages == 2)
        #expect(summary.dataBytes == 0x2000)
    }

    @Test("--memory lists every page of the block, zeros where the bitmap is clear")
    func memory() throws {
        let stream = try Self.stream().open()
        let output = TextOutput()
        #expect(AnalyzeDump(stream: stream, options: .init(memory: true)).write(to: output) == nil)
        output.flush()
        let json = try JSONParser.parse(output.text)
        let memory = try #require(
            json.members?.first { $0.key == "ram (1)" }?.value.members?.first { $0.key == "memory" })
        let pages = try #require(memory.value.members)
        #expect(pages.map(\.key) == (0..<4).map { "pc.ram (0x\(Hex.pad(UInt64($0 * Self.pageSize), 16)))" })
        #expect(pages[0].value == .string(([String](repeating: "11", count: Self.pageSize)).joined(separator: " ")))
        #expect(pages[1].value == .string("Filled with 0x00"))
        #expect(pages[2].value == .string(([String](repeating: "33", count: Self.pageSize)).joined(separator: " ")))
        // The device after the pages decodes.
        #expect(output.text.contains("\"dev (2)\""))
    }

    @Test("pages that do not start on a page boundary are refused, as QEMU does")
    func misaligned() throws {
        let stream = try Self.stream(pagesShift: 0x10).open()
        let error = try #require(stream.index.error)
        #expect("\(error)".contains("page-aligned"), "\(error)")
    }

    @Test(
        "headers that do not fit the file are errors with their offset",
        arguments: [
            (version: UInt32(2), truncateBy: 0, message: "expected mapped-ram header version <= 1, found 00000002"),
            (
                version: UInt32(1), truncateBy: 0x3000,
                message: "bytes of pages after the bitmap, page-aligned, inside the file"
            ),
        ])
    func badHeader(version: UInt32, truncateBy: Int, message: String) throws {
        let stream = try Self.stream(version: version, truncateBy: truncateBy).open()
        let error = try #require(stream.index.error)
        #expect("\(error)".contains(message), "\(error)")
        #expect(error.location?.offset ?? 0 > 0x40)
    }
}
