import Foundation
import Testing

@testable import MigrationStream

/// The dump, the desc and the section listing against the real reference outputs.
@Suite("golden outputs of real QEMU streams")
struct GoldenTests {
    static func dump(_ name: String, options: AnalyzeDump.Options = .init()) throws -> (String, StreamError?) {
        let stream = try MigrationStream(path: Fixtures.url(name, ".mig").path)
        let output = TextOutput()
        let error = AnalyzeDump(stream: stream, options: options).write(to: output)
        output.flush()
        return (output.text, error)
    }

    @Test("dump is byte-identical to analyze-migration.py -f", arguments: Fixtures.withAnalyzeJSON)
    func dumpMatchesAnalyzer(name: String) throws {
        let (text, error) = try Self.dump(name)
        #expect(error == nil)
        let expected = try Fixtures.text(name, ".analyze.json")
        #expect(text == expected)
    }

    @Test(
        "dump reads every stream, including those the analyzer fails on, and names every section",
        arguments: Fixtures.streams)
    func dumpNamesEverySection(name: String) throws {
        let (text, error) = try Self.dump(name)
        #expect(error == nil)
        let parsed = try JSONParser.parse(text)
        let keys = Set(parsed.members?.map(\.key) ?? [])
        let stream = try MigrationStream(path: Fixtures.url(name, ".mig").path)
        #expect(!stream.index.sections.isEmpty)
        for section in stream.index.sections {
            #expect(keys.contains(section.header.analyzeKey), "missing \(section.header.analyzeKey)")
        }
        if Fixtures.exists(name, ".sections.txt") {
            // Every section name of the reference listing appears as a key.
            for line in try Fixtures.text(name, ".sections.txt").split(separator: "\n") where line.contains("SECTION_")
            {
                let fields = line.split(separator: " ")
                let id = fields.first { $0.hasPrefix("section_id=") }?.dropFirst(11) ?? ""
                let sectionName = fields.first { $0.hasPrefix("name=") }?.dropFirst(5) ?? ""
                #expect(keys.contains("\(sectionName) (\(id))"), "\(line)")
            }
        }
    }

    @Test("sections listing equals NAME.sections.txt", arguments: Fixtures.withSections)
    func sectionsMatchReference(name: String) throws {
        let stream = try MigrationStream(path: Fixtures.url(name, ".mig").path)
        #expect(stream.index.error == nil)
        let lines = SectionsReport(stream: stream).lines()
        let expected = try Fixtures.text(name, ".sections.txt").split(separator: "\n", omittingEmptySubsequences: false)
            .map(String.init).filter { !$0.isEmpty }
        #expect(lines == expected)
        // Offsets alone, so a format change still checks what matters.
        #expect(lines.map { $0.prefix(10) } == expected.map { $0.prefix(10) })
    }

    @Test("--desc equals analyze-migration.py -d desc", arguments: Fixtures.withDesc)
    func descMatchesAnalyzer(name: String) throws {
        let stream = try MigrationStream(path: Fixtures.url(name, ".mig").path)
        let vmdesc = try #require(stream.vmdesc)
        let output = TextOutput()
        var json = PythonJSONWriter(output: output)
        json.value(vmdesc.json)
        output.write(byte: 0x0a)
        output.flush()
        #expect(output.text == (try Fixtures.text(name, ".desc.json")))
    }
}
