import Foundation
import Testing
import VMState

@testable import MigrationStream

/// Inputs the fuzz targets crashed on, kept as they were found (`Fixtures/fuzz/`).
@Suite("fuzz regressions")
struct FuzzRegressionTests {
    /// fuzz-section's input: a vmdesc device entry (JSON), 0x00, the section's payload.
    static func sectionStream(_ name: String, patch: (at: String, with: String)? = nil) throws -> MigrationStream {
        var input = try [UInt8](Data(contentsOf: Fixtures.root.appendingPathComponent("fuzz/" + name)))
        if let patch, let range = input.firstRange(of: Array(patch.at.utf8)) {
            input.replaceSubrange(range, with: Array(patch.with.utf8))
        }
        let split = input.firstIndex(of: 0) ?? input.count
        var b = StreamBuilder()
        b.header()
        b.configuration(machine: "pc")
        b.sectionHeader(0x04, id: 0, name: "dev", version: 1)
        b.raw(Array(input[min(split + 1, input.count)...]))
        b.footer(0)
        b.u8(0)
        b.vmdesc(
            #"{"page_size": 4096, "devices": [{"name": "dev", "instance_id": 0, "#
                + String(decoding: input[..<split], as: UTF8.self) + "}]}")
        return try b.open()
    }

    @Test("a vmdesc whose sizes lay the device out in terabytes is refused, not allocated")
    func hugeStruct() throws {
        // One of its fields has no "type" key, which is now refused first: mended, so the
        // layout check is what refuses it.
        let stream = try Self.sectionStream("section-huge-struct", patch: (#""ty%pe""#, #""type""#))
        let section = try #require(stream.index.sections.first { $0.ram == nil })
        #expect {
            _ = try Self.sectionStream("section-huge-struct").loadTrace(section)
        } throws: { error in
            "\(error)".contains(#"expected a vmdesc field with "name" and "type""#)
        }
        for limits in [EngineLimits(maxNesting: 16, maxEvents: 50_000, maxAllocation: 1 << 20), .standard] {
            #expect {
                _ = try stream.loadTrace(section, limits: limits)
            } throws: { error in
                "\(error)".contains("vmscope simulates")
            }
        }
    }
}
