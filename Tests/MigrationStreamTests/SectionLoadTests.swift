import Foundation
import MigrationStream
import Testing
import VMState

/// Real device sections stepped through the engine with their vmdesc descriptions.
@Suite("Real sections through the engine")
struct SectionLoadTests {
    static let streams: [String] = {
        let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        let enumerator = FileManager.default.enumerator(atPath: directory.path)
        var found: [String] = []
        while let path = enumerator?.nextObject() as? String {
            if path.hasSuffix(".mig") { found.append(directory.appendingPathComponent(path).path) }
        }
        return found.sorted()
    }()

    @Test("every described device section loads and consumes exactly its payload", arguments: streams)
    func everySection(path: String) throws {
        let stream = try MigrationStream(path: path)
        var loaded = 0
        for section in stream.index.sections where section.ram == nil && stream.description(for: section) != nil {
            // Sections whose extent had to be inferred (no footer) are checked the same way.
            let trace = try stream.loadTrace(section)
            #expect(trace.outcome == .success, "\(section.header.idstr): \(trace.outcome.summary)")
            #expect(trace.bytesConsumed == section.body.count, "\(section.header.idstr)")
            #expect(trace.events.allSatisfy { $0.bytes.isEmpty || $0.bytes.upperBound <= section.body.upperBound })
            loaded += 1
        }
        #expect(loaded > 0 || stream.vmdesc == nil)
    }

    @Test("the decoded values match the dump's tree byte for byte")
    func valuesMatchDecoder() throws {
        let path = try #require(Self.streams.first { $0.hasSuffix("pc-min.mig") })
        let stream = try MigrationStream(path: path)
        let section = try #require(stream.index.sections.first { $0.header.idstr == "cpu" })
        let trace = try stream.loadTrace(section)
        let tree = try stream.decode(section)
        // Every leaf of the decoder's tree is consumed by a step of the trace, at the same bytes.
        var leaves: [Range<Int>] = []
        func walk(_ node: VMStateNode) {
            if node.children.isEmpty, case .field = node.kind { leaves.append(node.range) }
            node.children.forEach(walk)
        }
        walk(tree)
        let consumed = Set(trace.events.map(\.bytes).filter { !$0.isEmpty })
        #expect(!leaves.isEmpty)
        for leaf in leaves where !leaf.isEmpty { #expect(consumed.contains(leaf), "\(leaf)") }
    }
}
