import Foundation
import Testing

@testable import MigrationStream

/// `--vmdesc`: a stream cut before its own vmdesc decodes with one from another file.
@Suite("vmdesc from another file")
struct LentVMDescTests {
    /// pc-min cut 13 bytes into the apic's payload (its isr buffer is the field the cut falls in).
    static func cutStream() throws -> String {
        let bytes = try Fixtures.bytes("shared/pc-min", ".mig").prefix(0x43e10)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vmscope-cut-\(UUID()).mig")
        try Data(bytes).write(to: path)
        return path.path
    }

    @Test("from a whole stream or its desc JSON, the devices before the cut decode and the cut is in its field")
    func cutStreamDecodes() throws {
        let cut = try Self.cutStream()
        defer { try? FileManager.default.removeItem(atPath: cut) }
        let alone = try MigrationStream(path: cut)
        #expect(alone.vmdesc == nil)
        for lender in [Fixtures.url("shared/pc-min", ".mig").path, Fixtures.url("shared/pc-min", ".desc.json").path] {
            let stream = try MigrationStream(path: cut, vmdescFrom: lender)
            #expect(stream.vmdesc?.range == nil)
            let cpu = try #require(stream.index.sections.first { $0.header.idstr == "cpu" })
            #expect(try stream.decode(cpu).children.count > 10)
            let error = try #require(stream.index.error)
            #expect(error.location?.offset == 0x43e10)
            #expect(error.location?.section == "apic (7)")
            #expect(error.location?.field == "isr")
            #expect("\(error)".contains("unexpected end of stream: expected 32 more byte(s), found 0"))
        }
        // The section the cut falls in is kept apart from the records, its payload up to the end.
        for stream in [alone, try MigrationStream(path: cut, vmdescFrom: Fixtures.url("shared/pc-min", ".mig").path)] {
            let unfinished = try #require(stream.index.unfinished)
            #expect(unfinished.offset == 0x43df1 && unfinished.end == 0x43e10)
            let section = try #require(unfinished.section)
            #expect(section.header.idstr == "apic" && section.body == 0x43e03..<0x43e10 && section.extent == .cut)
            #expect(!stream.index.records.contains { $0.offset == unfinished.offset })
            #expect(
                SectionsReport(stream: stream).lines().last
                    == "0x00043df1 SECTION_FULL   section_id=7 name=apic instance_id=0 version_id=3 body_size=13 "
                    + "extent=cut")
        }
    }

    @Test("a cut right where a subsection starts names the subsection, at the cut")
    func cutAtSubsection() throws {
        let bytes = try Fixtures.bytes("shared/pc-min", ".mig")
        let lender = Fixtures.url("shared/pc-min", ".mig").path
        let cuts = [
            (0x43d1c, "cpu (5)", "cpu/poll_control_msr"), (0x44891, "fdc (22)", "fdrive/media_rate"),
            (0x46715, "0000:00:01.3/piix4_pm (30)", "piix4_pm/memhp"),
        ]
        for (offset, section, subsection) in cuts {
            #expect(bytes[offset] == 0x05)
            let path = FileManager.default.temporaryDirectory.appendingPathComponent("vmscope-sub-\(UUID()).mig")
            try Data(bytes.prefix(offset)).write(to: path)
            defer { try? FileManager.default.removeItem(at: path) }
            let error = try #require(try MigrationStream(path: path.path, vmdescFrom: lender).index.error)
            #expect(error.location?.offset == offset && error.location?.section == section)
            #expect(error.location?.field == subsection)
            #expect("\(error)".hasSuffix("unexpected end of stream: expected 1 more byte(s), found 0"))
        }
    }

    @Test("a vmdesc lent by a stream of another machine type is a warning")
    func otherMachine() throws {
        let cut = try Self.cutStream()
        defer { try? FileManager.default.removeItem(atPath: cut) }
        let lender = Fixtures.url("shared/q35-min", ".mig").path
        let stream = try MigrationStream(path: cut, vmdescFrom: lender)
        #expect(stream.warnings.count == 1)
        #expect(stream.warnings.first?.location?.file == lender)
        #expect(
            "\(stream.warnings[0])".hasSuffix(
                "expected the vmdesc of a pc-i440fx-7.2 stream, as \(cut) is, found one from a pc-q35-7.2 stream"))
        // The same machine type: nothing to say.
        #expect(try MigrationStream(path: cut, vmdescFrom: Fixtures.url("shared/pc-min", ".mig").path).warnings.isEmpty)
    }

    @Test("a lent description that stops short on a payload byte 0x7e does not end the section there")
    func shortWalkOnPayloadFooterByte() throws {
        // pc-min's vmdesc with the rtc described 3 bytes short: its walk stops on a 0x7e of the
        // payload, which a footer with another id would also start with.
        var desc =
            try JSONSerialization.jsonObject(with: Data(Fixtures.bytes("shared/pc-min", ".desc.json")))
            as? [String: Any]
        var devices = try #require(desc?["devices"] as? [[String: Any]])
        let rtc = try #require(devices.firstIndex { $0["name"] as? String == "mc146818rtc" })
        var fields = try #require(devices[rtc]["fields"] as? [[String: Any]])
        let unused = try #require(fields.firstIndex { $0["name"] as? String == "unused[1]" })
        fields[unused]["size"] = 22
        fields.removeLast()
        devices[rtc]["fields"] = fields
        desc?["devices"] = devices
        let lender = FileManager.default.temporaryDirectory.appendingPathComponent("vmscope-short-\(UUID()).json")
        try JSONSerialization.data(withJSONObject: desc as Any).write(to: lender)
        defer { try? FileManager.default.removeItem(at: lender) }
        let path = Fixtures.url("shared/pc-min", ".mig").path
        let stream = try MigrationStream(path: path, vmdescFrom: lender.path)
        #expect(stream.index.error == nil, "\(stream.index.error.map { "\($0)" } ?? "")")
        #expect(stream.index.records.count == (try MigrationStream(path: path)).index.records.count)
        #expect(stream.misfits.count == 1)
    }

    @Test("without footers, a cut after a payload byte 0x00 is a cut, not an EOF record")
    func footerlessCutOnZero() throws {
        // pc-i440fx-2.3 writes no section footers; the vmmouse payload is cut after a 0x00.
        let whole = Fixtures.url("shared/pc-i440fx-2.3-min", ".mig").path
        let bytes = try Fixtures.bytes("shared/pc-i440fx-2.3-min", ".mig").prefix(0x44a60)
        #expect(bytes.last == 0)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vmscope-2.3-\(UUID()).mig")
        try Data(bytes).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let stream = try MigrationStream(path: path.path, vmdescFrom: whole)
        let error = try #require(stream.index.error)
        #expect(
            "\(error)".hasSuffix(
                "section vmmouse (26), field queue: unexpected end of stream: expected 4096 more byte(s), found 16"))
        #expect(stream.index.unfinished?.section?.header.idstr == "vmmouse")
        #expect(!stream.index.records.contains { $0.kind == .eof })
    }

    @Test("a lender that is no vmdesc is an error naming it")
    func badLenders() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vmscope-lenders-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        let notJSON = directory.appendingPathComponent("not.json")
        try Data("{\"devices\": [}".utf8).write(to: notJSON)
        let noDevices = directory.appendingPathComponent("nodevices.json")
        try Data("{\"page_size\": 4096}".utf8).write(to: noDevices)
        let stream = Fixtures.url("shared/pc-min", ".mig").path
        // A stream without a vmdesc has none to lend.
        let noVMDesc = Fixtures.url("samples/pc-i440fx-2.2-min", ".mig").path
        let cases: [(String, Int, String)] = [
            (notJSON.path, 13, "invalid vmdesc JSON"),
            (noDevices.path, 0, "expected a vmdesc: a JSON object with a \"devices\" array"),
            (noVMDesc, 0, "the stream has no vmdesc to lend"),
        ]
        for (lender, offset, message) in cases {
            #expect(throws: StreamError.self) { try MigrationStream(path: stream, vmdescFrom: lender) }
            do {
                _ = try MigrationStream(path: stream, vmdescFrom: lender)
            } catch {
                #expect(error.location?.file == lender)
                #expect(error.location?.offset == offset, "\(error)")
                #expect("\(error)".contains(message), "\(error)")
            }
        }
    }
}
