import Foundation
import MigrationStream
import Scenario
import Testing
import VMState

@testable import VMScopeUI

/// A real QEMU stream in the explorer: the records in file order at the top of the tree, device
/// sections stepped by the engine, offsets shown as file offsets.
@Suite("Real streams in the explorer")
struct StreamSourceTests {
    static let fixture = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("MigrationStreamTests/Fixtures/shared/pc-min.mig").path

    func state() throws -> State {
        let stream = try MigrationStream(path: Self.fixture)
        return try State(
            source: StreamSource(stream: stream, displayName: "pc-min.mig"), size: Size(width: 120, height: 40))
    }

    @Test("every record is an entry, in file order, and every device section loads")
    func records() throws {
        let state = try state()
        let devices = state.session.devices
        let stream = try MigrationStream(path: Self.fixture)
        #expect(devices.count == stream.index.records.count)
        #expect(devices.first?.name == "file header")
        #expect(devices.contains { $0.name == "SECTION_FULL cpu (5) v12" })
        #expect(devices.last?.name == "vmdesc")
        for device in devices { #expect(device.load.outcome == .success, "\(device.name): \(device.load.outcome)") }
        let starts = devices.map(\.load.streamBase)
        #expect(starts == starts.sorted())
        // The tree's section list says instance, size and offset of each record.
        let apic = try #require(devices.first { $0.name == "SECTION_FULL apic (7) v3" })
        #expect(apic.summary?.hasPrefix("inst 0, 0x") == true)
        #expect(apic.summary?.hasSuffix("bytes at 0x43df1") == true)
        #expect(devices.first?.summary == "0x8 bytes at 0x0")
        // Each device section reads its header first and its footer last, on their bytes.
        var framed = 0
        for section in stream.index.sections where section.ram == nil {
            let device = try #require(devices.first { $0.load.streamBase == section.header.range.lowerBound })
            let footer = try #require(section.footerOffset)
            guard case .markerRead(0x04, let header) = device.load.events.first?.kind,
                case .markerRead(0x7e, let end) = device.load.events.last?.kind
            else {
                Issue.record("\(device.name) is not framed by its header and footer")
                continue
            }
            #expect(header.hasPrefix("section header: SECTION_FULL \(section.header.idstr), section id "))
            #expect(end == "section footer, section id \(section.header.sectionID)")
            #expect(device.load.events.first?.bytes == section.header.range)
            #expect(device.load.events.last?.bytes == footer..<footer + 5)
            framed += 1
        }
        #expect(framed == 30)
    }

    @Test("offsets shown are file offsets; filler is never owned")
    func fileOffsets() throws {
        let session = try state().session
        #expect(session.showsFileOffsets)
        for index in 0..<session.eventCount {
            let shifted = session.event(index).bytes
            guard !shifted.isEmpty else { continue }
            let (device, local) = session.locate(index)
            let original = session.devices[device].load.events[local].bytes
            #expect(session.displayOffset(shifted.lowerBound) == original.lowerBound)
            #expect(session.byteOffset(ofDisplayed: original.lowerBound) == shifted.lowerBound)
            // The bytes shown are the file's bytes.
            let file = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.fixture)))
            #expect(Array(session.bytes[shifted]) == Array(file[original]))
            if index > 200 { break }
        }
        for offset in 0..<session.bytes.count where session.isPadding(offset) {
            #expect(session.owner[offset] < 0)
            // A row of the hex pane covers consecutive file offsets.
            if let next = (offset..<session.bytes.count).first(where: { !session.isPadding($0) }) {
                #expect(session.displayOffset(next) % 16 == next % 16)
            }
        }
    }

    /// Damage to pc-min: cut to a length, or one byte changed (the apic footer's 0x7e, the apic
    /// header's section type), with the offset and message the error must carry.
    static let damages: [(cut: Int?, flip: (Int, UInt8)?, offset: Int, message: String)] = [
        (20, nil, 0x9, "field len: unexpected end of stream: expected 13 more byte(s), found 7"),
        (0x43610, nil, 0x43603, "section cpu (5)"),
        (nil, (0x43eb8, 0x7f), 0x43eb8, "section apic (7): expected section footer 0x7e, found 0x7f"),
        (nil, (0x43df1, 0x09), 0x43df1, "expected a section type (00-08 or 7e), found 0x09"),
        (278_032, nil, 0x43e03, "found none before the end of the stream at 0x43e10"),
    ]

    @Test(
        "a damaged stream ends in a damage step on the byte of the error; what comes before decodes",
        arguments: 0..<damages.count)
    func damage(_ which: Int) throws {
        let damage = Self.damages[which]
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.fixture)))
        if let cut = damage.cut { bytes = Array(bytes.prefix(cut)) }
        if let (offset, value) = damage.flip { bytes[offset] = value }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vmscope-damage-\(UUID()).mig")
        try Data(bytes).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let stream = try MigrationStream(path: path.path)
        let error = try #require(stream.index.error)
        #expect(error.location?.offset == damage.offset, "\(error)")
        #expect("\(error)".contains(damage.message), "\(error)")
        let state = try State(
            source: StreamSource(stream: stream, displayName: "damaged.mig"), size: Size(width: 120, height: 40)
        ).pressing("c")
        let session = state.session
        let step = try #require(state.currentEvent)
        // A damaged footer after a good payload: the payload is stepped, and QEMU's footer check
        // fails on the footer's bytes, saying what the scan found there; no damage step repeats it.
        if damage.offset == 0x43eb8 {
            let (records, notes) = splitNotes(session.devices)
            let apic = try #require(records.last)
            #expect(notes.first?.hasPrefix("the scan stopped: offset 0x43eb8") == true)
            #expect(apic.name == "SECTION_FULL apic (7) v3")
            #expect(apic.load.outcome == .failed(code: -22, messages: ["Missing section footer for apic"]))
            #expect(session.event(step).kind.summary.contains(damage.message))
            #expect(session.displayOffset(session.event(step).bytes.lowerBound) == damage.offset)
            return
        }
        // A damage step, or the section the stream is cut inside failing with the scan's words.
        let last = try #require(session.devices.last)
        #expect(last.name == "damage" || last.load.outcome.summary == error.detailAtOffset, "\(last.name)")
        let event = session.event(step)
        guard case .error = event.kind else {
            Issue.record("the run stops at \(event.kind), not at the damage")
            return
        }
        #expect(session.displayOffset(event.bytes.lowerBound) == damage.offset)
        // The whole message is on screen, under the failing step.
        let screen = render(state, size: state.size).text
        for word in error.detail.split(separator: " ") { #expect(screen.contains(word), "\(word)") }
        // Every byte shown sits at its file offset's column, each once, in file order.
        let shown = (0..<session.bytes.count).filter { !session.isPadding($0) }.map(session.displayOffset)
        #expect(shown == shown.sorted() && Set(shown).count == shown.count)
        // Nothing is left out between the record before the damage and the damage itself.
        let before = session.devices.dropLast().last.map { $0.load.streamBase + $0.load.stream.count } ?? 0
        #expect(Set(before..<damage.offset).isSubset(of: Set(shown)))
        for (display, file) in zip((0..<session.bytes.count).filter { !session.isPadding($0) }, shown) {
            #expect(display % 16 == file % 16)
        }
        // Device sections before the damage are stepped field by field, not shown as raw bytes.
        if damage.flip != nil {
            #expect(session.devices.contains { $0.name.contains("kvm-tpr-opt") && $0.load.events.count > 10 })
        }
    }

    @Test("a damaged footer fails the section's load with QEMU's footer message, then the damage follows")
    func damagedFooter() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vmscope-id-\(UUID()).mig")
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.fixture)))
        bytes[0x43df5] = 0x0c  // apic's section id 7 becomes 12
        try Data(bytes).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let stream = try MigrationStream(path: path.path)
        let (devices, notes) = splitNotes(
            try StreamSource(stream: stream, displayName: "id.mig").run(ProfileChoice(both: .qemu72), edits: []))
        let apic = try #require(devices.last)
        #expect(apic.name == "SECTION_FULL apic (12) v3")
        #expect(
            apic.load.outcome
                == .failed(code: -22, messages: ["Mismatched section id in footer for apic - read 0x7 expected 0xc"]))
        // The footer's five bytes, with what the scan found in them; no damage step repeats it.
        #expect(apic.load.events.last?.bytes == 0x43eb8..<0x43ebd)
        let text = apic.load.events.last?.kind.summary ?? ""
        #expect(text.contains("expected footer section id 0x0000000c, found 0x00000007"), "\(text)")
        #expect(!devices.contains { $0.name == StreamSource.damageName })
        #expect(notes.count == 1 && notes.first?.hasPrefix("the scan stopped: offset 0x43eb9") == true)
    }

    @Test("a damaged footer with a warning: the warnings come last, and no damage step repeats the footer's")
    func damagedFooterWithWarning() throws {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.fixture)))
        bytes[0x435af] = 3  // timer's header version, newer than its vmdesc entry: a warning
        bytes[0x43df5] = 0x0c  // apic's section id 7 becomes 12: its footer check fails
        let (records, notes) = splitNotes(try run(bytes))
        #expect(records.last?.name == "SECTION_FULL apic (12) v3")
        #expect(notes.count == 2)
        #expect(notes.first?.hasPrefix("the scan stopped: offset 0x43eb9, section apic (12)") == true)
        #expect(notes.last?.contains("savevm: unsupported version 3 for 'timer' v2") == true)
    }

    @Test(
        "a stream cut at or inside a footer fails the footer check as QEMU's does",
        arguments: [
            (0x43eb8, "check_section_footer: Read section footer failed: -5", 0x43eb7..<0x43eb8),
            (0x43eba, "Mismatched section id in footer for apic - read 0x0 expected 0x7", 0x43eb8..<0x43eba),
        ])
    func cutFooter(length: Int, message: String, bytes shown: Range<Int>) throws {
        let bytes = Array(try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.fixture))).prefix(length))
        let (records, notes) = splitNotes(try run(bytes, vmdescFrom: Self.fixture))
        #expect(notes.count == 1 && notes.first?.hasPrefix("the stream is cut: offset 0x") == true)
        let apic = try #require(records.last)
        #expect(apic.name == "SECTION_FULL apic (7) v3")
        #expect(apic.load.outcome == .failed(code: -22, messages: [message]))
        #expect(apic.load.events.last?.bytes == shown)
    }

    @Test("a vmdesc field without a name fails its section only, with the decoder's message")
    func unnamedVMDescField() throws {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.fixture)))
        let entry = Array(#""name": "apicbase""#.utf8)
        let at = try #require(
            (0x467d7..<bytes.count - entry.count).first { Array(bytes[$0..<$0 + entry.count]) == entry })
        bytes[at + 2] = UInt8(ascii: "A")  // "nAme"
        let (devices, _) = splitNotes(try run(bytes))
        let apic = try #require(devices.first { $0.name == "SECTION_FULL apic (7) v3" })
        #expect(
            apic.load.outcome.summary.hasSuffix(
                #"expected a vmdesc field with "name" and "type", found an entry without them"#))
        let failed = devices.filter { !$0.load.outcome.succeeded }.map(\.name)
        #expect(failed == ["SECTION_FULL apic (7) v3"])
    }

    /// The entries before the last `warnings` one, and that one's texts (none without it).
    func splitNotes(_ devices: [DeviceRecord]) -> (records: [DeviceRecord], notes: [String]) {
        guard let last = devices.last, last.name == StreamSource.warningsName else { return (devices, []) }
        let texts = last.load.events.map { event -> String in
            if case .warning(let text) = event.kind { return text }
            return "not a warning: \(event.kind)"
        }
        return (Array(devices.dropLast()), texts)
    }

    /// The explorer's entries for a stream of `bytes` (and the vmdesc of `vmdescFrom`).
    func run(_ bytes: [UInt8], vmdescFrom lender: String? = nil) throws -> [DeviceRecord] {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vmscope-bytes-\(UUID()).mig")
        try Data(bytes).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let stream = try MigrationStream(path: path.path, vmdescFrom: lender)
        return try StreamSource(stream: stream, displayName: "bytes.mig").run(ProfileChoice(both: .qemu72), edits: [])
    }

    @Test("the stream's warnings are steps of a last entry, and the status line counts them")
    func warnings() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vmscope-noeof-\(UUID()).mig")
        // Cut right after EOF: no vmdesc, which a stream with section footers should have.
        try Data(try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.fixture))).prefix(0x467d7)).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let stream = try MigrationStream(path: path.path)
        let state = try State(
            source: StreamSource(stream: stream, displayName: "noeof.mig"), size: Size(width: 120, height: 30))
        let notes = try #require(state.session.devices.last)
        #expect(notes.name == StreamSource.warningsName && notes.load.outcome.succeeded)
        #expect(notes.load.events.count == 1)
        guard case .warning(let text) = notes.load.events[0].kind else {
            Issue.record("not a warning: \(notes.load.events[0].kind)")
            return
        }
        #expect(text.hasPrefix("offset 0x467d7, section vmdesc: expected the vmdesc record (0x06) after EOF"))
        #expect(render(state, size: state.size).text.contains("ready: load succeeds, 1 warning"))
    }

    @Test("the vmdesc is shown whole: every byte of its JSON can be gone to")
    func wholeVMDesc() throws {
        let session = try state().session
        let json = try #require(try MigrationStream(path: Self.fixture).index.vmdescRange)
        #expect(json.count > 90_000)
        for offset in [json.lowerBound, json.lowerBound + 0x1000, json.upperBound - 1] {
            let shown = try #require(session.byteOffset(ofDisplayed: offset), "0x\(String(offset, radix: 16))")
            #expect(session.displayOffset(shown) == offset)
        }
    }

    @Test("a section the stream ends inside is stepped up to the cut and fails there, as QEMU's loader does")
    func cutSection() throws {
        let cut = FileManager.default.temporaryDirectory.appendingPathComponent("vmscope-cut-\(UUID()).mig")
        // 13 bytes into the apic's payload: apicbase to dest_mode are there, isr is not.
        try Data(try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.fixture))).prefix(0x43e10)).write(to: cut)
        defer { try? FileManager.default.removeItem(at: cut) }
        let stream = try MigrationStream(path: cut.path, vmdescFrom: Self.fixture)
        let (devices, notes) = splitNotes(
            try StreamSource(stream: stream, displayName: "cut.mig").run(ProfileChoice(both: .qemu72), edits: []))
        let apic = try #require(devices.last)
        #expect(apic.name == "SECTION_FULL apic (7) v3")
        #expect(apic.load.outcome == .failed(code: -5, messages: ["Failed to load apic:isr"]))
        let read = apic.load.events.filter { !$0.bytes.isEmpty }.map { apic.load.path(of: $0) }
        #expect(read.suffix(2) == ["apic.log_dest", "apic.dest_mode"])
        #expect(apic.load.events.last { !$0.bytes.isEmpty }?.bytes == 0x43e0f..<0x43e10)
        // The loader's error is the damage: no second record repeats it; the last entry says
        // where the stream is cut.
        #expect(!devices.contains { $0.name == StreamSource.damageName })
        #expect(notes == ["the stream is cut: " + (stream.index.error?.detailAtOffset ?? "?")])
        #expect(notes.first?.hasPrefix("the stream is cut: offset 0x43e10, section apic (7), field isr") == true)

        // Without a description the section cannot be stepped: its header and bytes up to the cut,
        // failing with the scan's message.
        let bare = try MigrationStream(path: cut.path)
        let alone = try StreamSource(stream: bare, displayName: "cut.mig").run(ProfileChoice(both: .qemu72), edits: [])
        let raw = try #require(alone.last)
        #expect(raw.name == "SECTION_FULL apic (7) v3")
        #expect(raw.load.events.first?.bytes == 0x43df1..<0x43e03)
        #expect(raw.load.outcome.summary == (try #require(bare.index.error)).detailAtOffset)
        #expect(!alone.contains { $0.name == StreamSource.damageName })
        #expect(alone.dropLast().last?.name == "SECTION_FULL kvm-tpr-opt (6) v1")
    }

    @Test("a RAM chunk the stream ends inside shows its runs up to the cut and fails with the scan's message")
    func cutRAMChunk() throws {
        // Inside the 13th of pc.bios's data pages (CONTINUE records of 8 + 4096 bytes from 0x132ae):
        // its header at 0x1f30e is there, and 3306 bytes of its data.
        let bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.fixture))).prefix(0x20000)
        let (devices, notes) = splitNotes(try run(Array(bytes)))
        let part = try #require(devices.last)
        #expect(part.name == "SECTION_PART ram (2) v4")
        let runs = part.load.events.compactMap { event -> String? in
            guard case .valueRead("RAM", .text(let text), _) = event.kind else { return nil }
            return text
        }
        #expect(runs.last == "12 data pages at 0x12000..0x1dfff, stream 0x132ae..0x1f30e")
        #expect(
            part.load.outcome.summary.hasSuffix(
                "offset 0x1f316, section ram (2), field PAGE|CONTINUE record at 0x1f30e, page 0x1e000 of pc.bios: "
                    + "unexpected end of stream: expected 4096 more byte(s), found 3306"),
            "\(part.load.outcome.summary)")
        // The chunk's failure is the damage, in the scan's own words: no damage step, no note.
        #expect(!devices.contains { $0.name == StreamSource.damageName })
        #expect(notes.isEmpty)
        // The failing step sits on the bytes at the cut's offset, far past the chunk's first 4 KiB.
        let failure = try #require(part.load.failureStep.map { part.load.events[$0] })
        #expect(failure.bytes == 0x1f316..<0x1f326)
        #expect(part.byteText(failure.bytes, limit: 16) == Trace.byteText(bytes[0x1f316..<0x1f326], limit: 16))

        // Cut between two records (after 432 zero pages of pc.ram): the chunk fails the same way.
        let (between, betweenNotes) = splitNotes(try run(Array(bytes.prefix(0x1000))))
        let chunk = try #require(between.last)
        #expect(chunk.name == "SECTION_PART ram (2) v4")
        #expect(
            chunk.load.outcome.summary.hasSuffix(
                "offset 0x1000, section ram (2), field RAM record header: unexpected end of stream: "
                    + "expected 8 more byte(s), found 0"),
            "\(chunk.load.outcome.summary)")
        #expect(!between.contains { $0.name == StreamSource.damageName })
        #expect(betweenNotes.isEmpty)
    }

    /// pc-min with one byte changed, as the explorer opens it.
    func session(changing offset: Int, to value: UInt8) throws -> Session {
        var bytes = try [UInt8](Data(contentsOf: URL(fileURLWithPath: Self.fixture)))
        bytes[offset] = value
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vmscope-changed-\(UUID()).mig")
        try Data(bytes).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let stream = try MigrationStream(path: path.path)
        return try State(
            source: StreamSource(stream: stream, displayName: "changed.mig"), size: Size(width: 120, height: 40)
        )
        .session
    }

    @Test("a section version newer than the device's is turned away before any field, as savevm does")
    func versionTooNew() throws {
        // The last byte of apic's header version (the vmdesc still says version 3).
        let session = try session(changing: 0x43e02, to: 9)
        let apic = try #require(session.devices.first { $0.name == "SECTION_FULL apic (7) v9" })
        #expect(apic.load.outcome == .failed(code: -22, messages: ["savevm: unsupported version 9 for 'apic' v3"]))
        #expect(apic.load.events.count == 1)
        #expect(apic.load.events.first?.bytes == 0x43dff..<0x43e03)
        // The sections around it load as before.
        #expect(session.devices.first { $0.name == "SECTION_FULL fw_cfg (8) v2" }?.load.outcome == .success)
    }

    @Test("a vmdesc that does not parse is a failure at its byte; the devices show as raw bytes")
    func damagedVMDesc() throws {
        let session = try session(changing: 0x4883e, to: UInt8(ascii: "A"))
        let vmdesc = try #require(session.devices.last)
        #expect(vmdesc.name == "vmdesc")
        guard case .failed(_, let messages) = vmdesc.load.outcome else {
            Issue.record("the vmdesc record does not fail: \(vmdesc.load.outcome)")
            return
        }
        #expect(messages.first?.contains("invalid vmdesc JSON: unexpected character 'A'") == true)
        #expect(vmdesc.load.events.last?.bytes == 0x4883e..<0x4883f)
        #expect(vmdesc.load.streamBase <= 0x4883e && 0x4883e < vmdesc.load.streamBase + vmdesc.load.stream.count)
        let apic = try #require(session.devices.first { $0.name == "SECTION_FULL apic (7) v3" })
        // Header, payload, footer.
        #expect(apic.load.outcome == .success && apic.load.events.count == 3)
    }

    @Test("each RAM run and EOS shows the bytes at its file offset, also past a chunk's first 4 KiB")
    func ramRunBytes() throws {
        let session = try state().session
        let bytes = try Array(Data(contentsOf: URL(fileURLWithPath: Self.fixture)))
        var checked = 0
        var pastFirstWindow = 0
        for index in 0..<session.eventCount {
            let event = session.event(index)
            guard case .valueRead(let label, .text(let text), _) = event.kind, label == "RAM" || label == "EOS" else {
                continue
            }
            // A run says where it is: "46 data pages at 0x12000..0x3ffff, stream 0x132ae..0x4141e".
            let start = session.displayOffset(event.bytes.lowerBound)
            if label == "RAM", let range = text.range(of: "stream 0x") {
                let hex = text[range.upperBound...].prefix { $0.isHexDigit }
                #expect(start == Int(hex, radix: 16), "\(text)")
            }
            #expect(!event.bytes.isEmpty, "\(label) \(text)")
            #expect(Array(session.bytes[event.bytes]) == Array(bytes[start..<start + event.bytes.count]), "\(text)")
            checked += 1
            let device = session.devices[session.locate(index).device]
            if start >= device.load.streamBase + device.load.stream.count { pastFirstWindow += 1 }
        }
        #expect(checked == 11)
        #expect(pastFirstWindow == 8)
        // Each RAMBlock's summary sits on its MEM_SIZE entry: the counted name, then the length.
        var blocks = 0
        for index in 0..<session.eventCount {
            guard case .valueRead("RAMBlock", _, _) = session.event(index).kind else { continue }
            let name = try #require(session.path(ofEvent: index).components(separatedBy: "RAMBlocks.").last)
            let entry = Array(session.bytes[session.event(index).bytes])
            #expect(entry.count == 1 + name.utf8.count + 8)
            #expect(Array(entry.prefix(1 + name.utf8.count)) == [UInt8(name.utf8.count)] + Array(name.utf8))
            blocks += 1
        }
        #expect(blocks == 6)
        // Each chunk ends with its footer, 7e and the section id, shown at its offset.
        let chunks = session.devices.filter { $0.name.hasSuffix("ram (2) v4") }
        #expect(chunks.count == 3)
        for chunk in chunks {
            guard case .valueRead("section footer", _, _) = chunk.load.events.last?.kind,
                let footer = chunk.load.events.last?.bytes
            else {
                Issue.record("\(chunk.name) does not end with its footer")
                continue
            }
            #expect(chunk.byteText(footer, limit: 8) == "7e 00 00 00 02")
        }
    }

    @Test("a VMSD nested in one of the same name (fdc's state is VMSD fdc) is named as QEMU names it")
    func sameNamedVMSDs() throws {
        #expect(VMStateDescription.qemuName(of: "fdc#2") == "fdc")
        #expect(VMStateDescription.qemuName(of: "a#b") == "a#b")
        #expect(VMStateDescription.qemuName(of: "#2") == "#2")
        #expect(VMStateDescription.qemuName(of: "x#") == "x#")
        // pc-min cut inside the fdc's fifo, loaded with the whole stream's vmdesc.
        let bytes = try Data(contentsOf: URL(fileURLWithPath: Self.fixture)).prefix(0x44700)
        let cut = FileManager.default.temporaryDirectory.appendingPathComponent("vmscope-fdc-\(UUID()).mig")
        try bytes.write(to: cut)
        defer { try? FileManager.default.removeItem(at: cut) }
        let stream = try MigrationStream(path: cut.path, vmdescFrom: Self.fixture)
        let devices = try StreamSource(stream: stream, displayName: "cut.mig").run(
            ProfileChoice(both: .qemu72), edits: [])
        let fdc = try #require(devices.first { $0.name == "SECTION_FULL fdc (22) v2" })
        #expect(fdc.load.outcome.summary == "Failed to load fdc:fifo\nFailed to load fdc:state")
        #expect(fdc.load.events.contains { fdc.load.path(of: $0) == "fdc.state.fifo" })
        for event in fdc.load.events {
            #expect(!fdc.load.path(of: event).contains("#") && !event.kind.summary.contains("#"))
        }
    }

    @Test("an array the vmdesc lists element by element (fdc's drives) steps as elements of one field")
    func listedElements() throws {
        let session = try state().session
        let paths = Set((0..<session.eventCount).map { session.path(ofEvent: $0) })
        #expect(paths.contains("fdc.state.drives[0].head") && paths.contains("fdc.state.drives[1].head"))
        #expect(!paths.contains("fdc.state.drives.head"))
        // One tree node for the field, with a node per element.
        let tree = session.tree
        let drives = (0..<Int32(tree.count)).filter { tree.path(of: $0) == "SECTION_FULL fdc (22) v2.state.drives" }
        #expect(drives.count == 1)
        let elements = drives.first.map { tree[$0].children.map { tree.path(of: $0) } } ?? []
        #expect(elements.map { $0.split(separator: ".").last ?? "" } == ["drives[0]", "drives[1]"], "\(elements)")
    }

    @Test("going to a file offset lands on the byte of that offset")
    func goTo() throws {
        let stream = try MigrationStream(path: Self.fixture)
        let cpu = try #require(stream.index.sections.first { $0.header.idstr == "cpu" })
        let state = try state().pressing("g \(String(cpu.body.lowerBound, radix: 16)) <Enter> w")
        let index = try #require(state.currentEvent)
        #expect(state.session.displayOffset(state.session.event(index).bytes.lowerBound) == cpu.body.lowerBound)
        #expect(state.session.tree.path(of: state.selection).contains("cpu"))

        // The start of a run past the first 4 KiB of its chunk is shown, and leads to the run.
        let run = try self.state().pressing("g 130ed <Enter> w")
        let runEvent = try #require(run.currentEvent)
        #expect(run.session.displayOffset(run.session.event(runEvent).bytes.lowerBound) == 0x130ed)
        // Each run is a row of its own, named by its block and first page.
        #expect(run.session.path(ofEvent: runEvent).hasSuffix("runs./rom@etc/acpi/tables 0x1000"))
        // A page further into a run is in the file but not shown: say why.
        let unshown = try self.state().pressing("g 14000 <Enter>")
        #expect(
            unshown.notice?.text
                == "offset 0x14000 is not shown: the hex pane holds a long record's first 4 KiB "
                + "and each RAM run's first 256 bytes")
        let past = try self.state().pressing("g 7fffffff <Enter>")
        #expect(past.notice?.text.hasPrefix("offset 0x7fffffff is outside the bytes shown (0x0..0x") == true)
    }

    @Test("a RAM chunk cut past the records the explorer lists still fails at the cut")
    func cutChunkPastListing() throws {
        var bytes: [UInt8] = []
        func be32(_ value: UInt32) { bytes += withUnsafeBytes(of: value.bigEndian, Array.init) }
        func be64(_ value: UInt64) { bytes += withUnsafeBytes(of: value.bigEndian, Array.init) }
        func counted(_ text: String) { bytes += [UInt8(text.utf8.count)] + Array(text.utf8) }
        be32(0x5145_564d)
        be32(3)
        bytes.append(0x07)  // configuration
        be32(5)
        bytes += Array("isapc".utf8)
        bytes.append(0x01)  // START ram (2), MEM_SIZE of one block, EOS, footer
        be32(2)
        counted("ram")
        be32(0)
        be32(4)
        be64(0x1000_0000 | 0x04)
        counted("pc.ram")
        be64(0x1000_0000)
        be64(0x10)
        bytes.append(0x7e)
        be32(2)
        bytes.append(0x02)  // PART: more zero pages than the explorer lists, then a cut
        be32(2)
        be64(0x02)
        counted("pc.ram")
        bytes.append(0)
        let pages = StreamSource.maxRAMRecords + 50
        for page in 1..<pages {
            be64(UInt64(page) << 12 | 0x22)
            bytes.append(0)
        }
        be64(UInt64(pages) << 12 | 0x22)  // a header without its fill byte
        let (devices, notes) = splitNotes(try run(bytes))
        let chunk = try #require(devices.last)
        #expect(chunk.name == "SECTION_PART ram (2) v4")
        #expect(
            chunk.load.outcome.summary.hasSuffix(
                "offset 0x\(String(bytes.count, radix: 16)), section ram (2), field ZERO|CONTINUE record at "
                    + "0x\(String(bytes.count - 8, radix: 16)), page 0x\(String(pages << 12, radix: 16)) of pc.ram: "
                    + "unexpected end of stream: expected 1 more byte(s), found 0"), "\(chunk.load.outcome.summary)")
        #expect(!devices.contains { $0.name == StreamSource.damageName })
        #expect(notes.isEmpty)
    }
}

@Suite("Demo scripts")
struct DemoScriptTests {
    @Test("pauses, captions and opens parse; captions reach the status line")
    func items() throws {
        let script = try KeyScript(parsing: "<caption Look here> n <pause 1.5> <open Samples/x.vmscope>")
        #expect(script.items.count == 4)
        #expect(script.items[0] == .caption("Look here"))
        #expect(script.items[2] == .pause(seconds: 1.5))
        #expect(script.items[3] == .open("Samples/x.vmscope"))
        #expect(script.events.count == 1)
        let state = try State(source: try ScenarioSource.demo(), size: Size(width: 120, height: 40))
        let shown = Replay.run(try KeyScript(parsing: "<caption Look here> n"), from: state)
        #expect(shown.caption == "Look here")
        #expect(render(shown, size: shown.size).text.contains("Look here"))
        // A caption after a run is what the status line shows, not the run's notice.
        let afterRun = Replay.run(try KeyScript(parsing: "c <caption The end>"), from: state)
        #expect(render(afterRun, size: afterRun.size).text.split(separator: "\n").last?.contains("The end") == true)
        // Without an opener, <open> says it cannot.
        let refused = Replay.run(try KeyScript(parsing: "<open Samples/x.vmscope>"), from: state)
        #expect(refused.notice?.isError == true)
        #expect(throws: KeyScript.ParseError.self) { try KeyScript(parsing: "<pause soon>") }
    }
}

/// C callbacks of given VMSDs, set from the stream's vmdesc: what the source sent is what its
/// callbacks returned.
@Suite("vmdesc-derived callback switches")
struct VMDescSwitchTests {
    @Test("a field the vmdesc lists existed, one it skips did not; config[k] tells duplicates apart")
    func fieldsAndSubsections() throws {
        let off = Expression.callbackSwitch(name: "off", value: true)
        let definitions = Definitions(vmsds: [
            VMStateDescription(
                name: "pci",
                fields: [
                    VMStateField(
                        name: "config", size: 256, fieldExists: .callbackSwitch(name: "is_not_pcie", value: true)),
                    VMStateField(
                        name: "config", size: 4096, fieldExists: .callbackSwitch(name: "is_pcie", value: true)),
                ]),
            VMStateDescription(
                name: "nic",
                fields: [
                    VMStateField(name: "parent_obj", flags: [.struct], vmsd: "pci"),
                    VMStateField(name: "unused", size: 4, fieldExists: off),
                    VMStateField(name: "unused", size: 4),
                    VMStateField(name: "regs", size: 4, flags: [.array]),
                    VMStateField(name: "tail", size: 4, fieldExists: off),
                ],
                subsections: ["nic/mit", "nic/tso"]),
            VMStateDescription(name: "nic/mit", needed: .callbackSwitch(name: "mit_needed", value: true)),
            VMStateDescription(name: "nic/tso", needed: .callbackSwitch(name: "tso_needed", value: true)),
        ])
        let description = try JSONParser.parse(
            #"{"vmsd_name": "nic", "fields": [{"name": "parent_obj", "type": "struct", "struct": {"vmsd_name": "pci", "#
                + #""fields": [{"name": "config[0]", "size": 256}]}}, {"name": "unused[1]", "size": 4}, "#
                + #"{"name": "regs", "index": 0, "size": 4}, {"name": "regs", "index": 1, "size": 4}, "#
                + #"{"name": "tail", "size": 4}], "subsections": [{"vmsd_name": "nic/tso", "fields": []}]}"#)
        let edits = VMDescSwitches.edits(for: "nic", description: description, definitions: definitions)
        #expect(
            Set(edits) == [
                FieldEdit(vmsd: "pci", field: 0, change: .callback(true)),
                FieldEdit(vmsd: "pci", field: 1, change: .callback(false)),
                FieldEdit(vmsd: "nic", field: 1, change: .callback(false)),
                FieldEdit(vmsd: "nic", field: 4, change: .callback(true)),
                FieldEdit(vmsd: "nic/mit", change: .needed(false)),
                FieldEdit(vmsd: "nic/tso", change: .needed(true)),
            ])
    }
}

/// A stream whose sections load with given VMSDs: the flag editor's changes apply to them once.
@Suite("Given VMSDs in the explorer")
struct GivenVMSDExplorerTests {
    @Test("toggling VMS_ALLOC on a given VMSD's queues fails the load, and U brings it back")
    func toggleOnce() throws {
        let scenario = try Scenario.demo()
        let side = try scenario.build(.source, profile: .dropAutoAlloc)
        var builder = StreamBuilder(machine: "pc-i440fx-7.2")
        for device in side.devices {
            let trace = Engine.save(
                device.vmsd, definitions: side.definitions, heap: side.heap, opaque: device.opaque,
                profile: .dropAutoAlloc)
            builder.devices.append(
                StreamBuilder.Device(
                    idstr: device.idstr, instanceID: 0, version: 1, payload: trace.stream, vmdesc: trace.vmdesc ?? "{}")
            )
        }
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vmscope-given-\(UUID()).mig")
        try Data(builder.bytes()).write(to: path)
        defer { try? FileManager.default.removeItem(at: path) }
        let source = StreamSource(
            stream: try MigrationStream(path: path.path), displayName: "demo.mig",
            vmsds: (scenario: scenario, label: "nvme-demo.vmscope"))
        let state = try State(
            source: source, profiles: ProfileChoice(both: .dropAutoAlloc), size: Size(width: 120, height: 40))
        let loadsAtFirst = state.session.succeeded
        #expect(loadsAtFirst)
        // The search finds nr_queues first; `;` goes on to queues.
        let toggled = try state.pressing("/ queues <Enter> ; f " + String(repeating: "<Down> ", count: 13) + "<Space>")
        #expect(toggled.edits == [FieldEdit(vmsd: "nvme-ctrl", field: 1, change: .toggleFlag(.alloc))])
        let loadsToggled = toggled.session.succeeded
        #expect(!loadsToggled)
        let loadsUndone = try toggled.pressing("U").session.succeeded
        #expect(loadsUndone)
    }
}
