import Foundation
import Testing
import VMState

@testable import MigrationStream

/// Sections whose ids and names repeat, as a damaged or hand-made stream may have them.
@Suite("Repeated sections")
struct RepeatedSectionTests {
    @Test("two FULL sections with one id and one name are both indexed, decoded and stepped")
    func repeatedIDs() throws {
        var b = StreamBuilder()
        b.header()
        b.configuration()
        for value: UInt32 in [1, 2] {
            b.sectionHeader(0x04, id: 3, name: "dev", version: 1)
            b.be32(value)
            b.be16(0xfffe)
            b.footer(3)
        }
        b.u8(0x00)
        b.vmdesc(StreamBuilder.minimalDesc)
        let stream = try b.open()
        #expect(stream.index.error == nil)
        let sections = stream.index.sections.filter { $0.header.idstr == "dev" }
        #expect(sections.count == 2)
        for section in sections {
            let trace = try stream.loadTrace(section)
            #expect(trace.outcome == .success)
            #expect(trace.bytesConsumed == 6)
        }
        // The dump keeps both, as analyze-migration.py would print the key twice (the last wins
        // in its dictionary): vmscope prints the same shape.
        let output = TextOutput()
        #expect(AnalyzeDump(stream: stream).write(to: output) == nil)
        #expect(output.finish() == nil)
        #expect(String(decoding: output.collected, as: UTF8.self).contains("\"dev (3)\""))
    }

    @Test("a RAM block list that runs past the end of the file is an error at its offset")
    func blockListPastEnd() throws {
        var b = StreamBuilder()
        b.header()
        b.configuration()
        b.sectionHeader(0x01, id: 2, name: "ram", version: 4)
        b.be64(0x10000 | 0x04)
        b.counted("pc.ram")
        b.be64(0x8000)
        // The total announces more RAM than the one block gives; the next block's name is cut.
        b.u8(200)
        b.raw(Array("short".utf8))
        let stream = try b.open()
        let error = try #require(stream.index.error)
        #expect(error.location?.offset ?? 0 >= 0x1a)
        #expect("\(error)".contains("ram"))
    }
}
