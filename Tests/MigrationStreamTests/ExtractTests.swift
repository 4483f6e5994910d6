import Foundation
import Testing

@testable import MigrationStream

@Suite("--extract and --memory")
struct ExtractTests {
    @Test("writes desc.json, state.json and sparse RAMBlock files")
    func extract() throws {
        let path = try StreamBuilder.minimal().write()
        let stream = try MigrationStream(path: path)
        let dir = (path as NSString).deletingLastPathComponent + "/out"
        var printed: [String] = []
        try Extractor(stream: stream, directory: dir).run { printed.append($0) }
        #expect(printed == ["desc.json", "pc.ram", "state.json"])
        let ram = try Data(contentsOf: URL(fileURLWithPath: dir + "/pc.ram"))
        #expect(ram.count == 0x4000)
        #expect(ram.prefix(4096).allSatisfy { $0 == 0xab })
        #expect(ram.dropFirst(4096).allSatisfy { $0 == 0 })
        let state = try String(contentsOfFile: dir + "/state.json", encoding: .utf8)
        #expect(state.hasPrefix("{\n    \"ram (2)\""))
        #expect(!state.hasSuffix("\n"))
        let desc = try String(contentsOfFile: dir + "/desc.json", encoding: .utf8)
        #expect(desc.hasPrefix("{\n    \"page_size\": 4096,"))
        // No temporary file is left behind.
        let left = try FileManager.default.contentsOfDirectory(atPath: dir).filter { $0.contains(".tmp-") }
        #expect(left.isEmpty)
    }

    @Test("refuses to overwrite the input stream")
    func refusesInput() throws {
        var b = StreamBuilder()
        b.header()
        b.ramStart(block: "stream.mig")
        b.u8(0)
        let path = try b.write(name: "stream")
        let before = try Data(contentsOf: URL(fileURLWithPath: path))
        let stream = try MigrationStream(path: path)
        let dir = (path as NSString).deletingLastPathComponent
        #expect(throws: Extractor.Failure.self) { try Extractor(stream: stream, directory: dir).run { _ in } }
        #expect(try Data(contentsOf: URL(fileURLWithPath: path)) == before)
    }

    @Test("refuses block names that leave the directory")
    func unsafeName() throws {
        var b = StreamBuilder()
        b.header()
        b.ramStart(block: "../escape")
        b.u8(0)
        let stream = try b.open()
        let extractor = Extractor(stream: stream, directory: "/tmp/never")
        #expect(throws: Extractor.Failure.self) { try extractor.destination(for: "../escape") }
        #expect(try extractor.destination(for: "/rom@etc/acpi/tables") == "/tmp/never/rom@etc/acpi/tables")
    }

    @Test("--memory on pc-min equals the analyzer's -m (with Python 2's byte iteration)")
    func memoryGolden() throws {
        let stream = try MigrationStream(path: Fixtures.url("shared/pc-min", ".mig").path)
        let output = TextOutput()
        #expect(AnalyzeDump(stream: stream, options: .init(memory: true)).write(to: output) == nil)
        output.flush()
        #expect(output.text == (try Fixtures.text("shared/pc-min", ".memory.json")))
    }
}
