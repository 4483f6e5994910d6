import Foundation
import Testing

@testable import MigrationStream

/// One byte of pc-min changed where the stream and its vmdesc must agree: section names and
/// instances, versions, and what follows EOF.
@Suite("stream against its vmdesc")
struct VMDescConsistencyTests {
    static func changed(_ offset: Int, to value: UInt8) throws -> MigrationStream {
        var bytes = try Fixtures.bytes("shared/pc-min", ".mig")
        bytes[offset] = value
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vmscope-changed-\(UUID()).mig")
        try Data(bytes).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        return try MigrationStream(path: path.path)
    }

    @Test(
        "a FULL section the vmdesc does not describe stops the index at its header",
        arguments: [
            (0x43df7, UInt8(ascii: "A"), "'Apic' instance 0"),  // a name byte
            (0x43dfe, 1, "'apic' instance 1"),  // the instance
        ])
    func undescribedSection(offset: Int, value: UInt8, found: String) throws {
        let stream = try Self.changed(offset, to: value)
        let error = try #require(stream.index.error)
        #expect(error.location?.offset == 0x43df1)
        #expect("\(error)".contains("expected a section the vmdesc describes, found \(found), which it does not"))
        #expect("\(error)".contains("(QEMU: Unknown savevm section or instance"))
        #expect(stream.index.sections.last?.header.idstr == "kvm-tpr-opt")
        let cpu = try #require(stream.index.sections.first { $0.header.idstr == "cpu" })
        #expect(try stream.decode(cpu).children.count > 10)
    }

    @Test("a header's section id changed to a later section's: the footer check fails, nothing is swallowed")
    func sectionIDOfALaterSection() throws {
        // apic (7) becomes 12, the id of dma, whose footer comes 0x2b5 bytes later.
        let stream = try Self.changed(0x43df5, to: 0x0c)
        let error = try #require(stream.index.error)
        #expect(error.location?.offset == 0x43eb9)
        #expect("\(error)".contains("expected footer section id 0x0000000c, found 0x00000007"))
        let apic = try #require(stream.index.sections.last)
        #expect(apic.header.idstr == "apic" && apic.body == 0x43e03..<0x43eb8)
    }

    @Test("a vmdesc field size the payload cannot hold: a misfit, not a cut stream")
    func fieldSizeMisfit() throws {
        let bytes = try Fixtures.bytes("shared/pc-min", ".mig")
        let entry = Array(#""name": "apicbase", "type": "uint32", "size": 4"#.utf8)
        let at = try #require(
            (0x467d7..<bytes.count - entry.count).first { Array(bytes[$0..<$0 + entry.count]) == entry })
        let stream = try Self.changed(at + entry.count - 1, to: UInt8(ascii: "8"))
        #expect(stream.index.error == nil && stream.warnings.isEmpty)
        let apic = try #require(stream.index.sections.first { $0.header.idstr == "apic" })
        let message =
            "offset 0x43eb4, section apic (7), field timer_expiry: expected 8 more byte(s), as the vmdesc describes "
            + "the field, found 4 before the payload ends at 0x43eb8"
        #expect(stream.misfits.map { "\($0)" }.map { $0.hasSuffix(message) } == [true])
        #expect(throws: StreamError.self) { try stream.decode(apic) }
        do { _ = try stream.decode(apic) } catch { #expect("\(error)".hasSuffix(message), "\(error)") }
    }

    @Test("a stream with section footers that ends at EOF, with no vmdesc after it, may be cut: a warning")
    func noVMDescAtAll() throws {
        let bytes = try Fixtures.bytes("shared/pc-min", ".mig").prefix(0x467d7)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vmscope-noeof-\(UUID()).mig")
        try Data(bytes).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let stream = try MigrationStream(path: path.path)
        #expect(stream.index.error == nil && stream.vmdesc == nil && stream.vmdescError == nil)
        #expect(stream.warnings.count == 1)
        #expect(stream.warnings.first?.location?.offset == 0x467d7)
        #expect("\(stream.warnings[0])".contains("QEMU writes unless the machine has suppress-vmdesc=on"))
        // An old machine type writes neither footers nor a vmdesc: nothing to warn about.
        #expect(try MigrationStream(path: Fixtures.url("samples/pc-i440fx-2.2-min", ".mig").path).warnings.isEmpty)
        // Nor does a postcopy migration: its stream has no vmdesc.
        let postcopy = try Fixtures.bytes("samples/pc-postcopy-advise", ".mig").prefix(0x467fa)
        let cut = FileManager.default.temporaryDirectory.appendingPathComponent("vmscope-postcopy-\(UUID()).mig")
        try Data(postcopy).write(to: cut)
        defer { try? FileManager.default.removeItem(at: cut) }
        #expect(try MigrationStream(path: cut.path).warnings.isEmpty)
    }

    @Test("a section header newer than its vmdesc entry is a warning; the dump is the analyzer's")
    func newerHeader() throws {
        let stream = try Self.changed(0x43e02, to: 9)
        #expect(stream.index.error == nil)
        #expect(stream.warnings.count == 1)
        #expect(stream.warnings.first?.location?.offset == 0x43dff)
        #expect("\(stream.warnings[0])".contains("(QEMU: savevm: unsupported version 9 for 'apic' v3)"))
    }

    @Test("an early EOF: the rest is a warning, and the vmdesc at the end still describes the devices")
    func earlyEOF() throws {
        let stream = try Self.changed(0x43df1, to: 0x00)
        #expect(stream.index.error == nil && stream.vmdescError == nil)
        #expect(stream.vmdesc != nil)
        #expect(stream.warnings.first?.location?.offset == 0x43df2)
        #expect("\(stream.warnings[0])".contains("expected the vmdesc record (0x06) after EOF, found 0x00"))
        // The vmdesc found at the end describes devices whose sections the early EOF left out.
        #expect(stream.warnings.count == 2)
        #expect(stream.warnings.last?.location?.offset == 0x43df1)
        #expect("\(stream.warnings.last!)".contains("found none for 26 of its 30, the first 'apic' 0"))
        let cpu = try #require(stream.index.sections.first { $0.header.idstr == "cpu" })
        #expect(try stream.decode(cpu).children.count > 10)
    }

    @Test("bytes after EOF that are no vmdesc: the stream has none")
    func noVMDescAfterEOF() throws {
        let stream = try Self.changed(0x467d7, to: 0x05)
        #expect(stream.vmdesc == nil)
        let error = try #require(stream.vmdescError)
        #expect(error.location?.offset == 0x467d7)
        #expect("\(error)".contains("expected the vmdesc record (0x06) after EOF, found 0x05"))
    }
}
