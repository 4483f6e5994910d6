import MigrationStream
import Scenario
import VMState

/// A real QEMU migration stream: every top-level record becomes one entry of the explorer, in
/// file order, so the section list is the top of the tree. Device sections are stepped through
/// the engine with their vmdesc description; RAM is shown as runs of zero and data pages and a
/// per-block summary; the other records (header, configuration, commands, EOF, vmdesc) say what
/// they hold. Offsets are file offsets.
public struct StreamSource: ExplorerSource {
    public let stream: MigrationStream
    public var displayName: String
    public var defaultProfiles: ProfileChoice

    /// The entry after the last record of a damaged stream, whose one step is the damage.
    public static let damageName = "damage"
    /// The entry after the records that lists the stream's warnings.
    public static let warningsName = "warnings"

    /// How many RAM runs one section lists before it sums up the rest.
    static let maxRunsPerSection = 2000
    /// How many RAM records are read, over all sections, to list runs: the first frame on a
    /// stream of many GiB must not wait for every page header.
    static let maxRAMRecords = 20_000
    /// How many bytes of a record the hex pane shows when it is long (RAM, a section's payload
    /// without description).
    static let windowForLongRecords = 4096
    /// Past that, the hex pane shows this much of the start of each run of RAM pages.
    static let windowForRAMRuns = 256
    /// How much of the vmdesc JSON the hex pane shows: all of it on any machine seen so far (a
    /// q35 with many devices writes a few hundred KiB), so `g` reaches every byte of it.
    static let windowForVMDesc = 4 << 20

    /// VMSDs to load the matching sections with instead of the vmdesc's: a scenario or a QEMU C
    /// file, e.g. the patched device whose load fails. Sections match by VMSD name.
    public var vmsds: (scenario: Scenario, label: String)?

    public init(stream: MigrationStream, displayName: String, vmsds: (scenario: Scenario, label: String)? = nil) {
        self.stream = stream
        self.displayName = displayName
        self.vmsds = vmsds
        // Streams on disk come from released QEMU: 7.2 unless the vmdesc has 8.2+'s keys.
        let newer = stream.vmdesc?.configuration != nil
        defaultProfiles = ProfileChoice(both: newer ? .qemu10 : .qemu72)
    }

    public var isEditable: Bool { true }
    public var canSwitchProfiles: Bool { true }
    public var usesAbsoluteOffsets: Bool { false }
    public var showsFileOffsets: Bool { true }

    public func run(_ profiles: ProfileChoice, edits: [FieldEdit]) throws -> [DeviceRecord] {
        var devices: [DeviceRecord] = []
        var firstRAM = true
        var ramBudget = Self.maxRAMRecords
        let given = try givenModels(profile: profiles.dest)
        for record in stream.index.records {
            var device: DeviceRecord
            switch record.kind {
            case .section(let section) where section.ram != nil:
                device = ramSection(record, section, summary: firstRAM, budget: &ramBudget)
                firstRAM = false
            case .section(let section):
                device =
                    try steppedSection(record, section, given: given, profiles: profiles, edits: edits)
                    ?? plainRecord(record)
            default:
                device = plainRecord(record)
            }
            device.summary = Self.summary(of: record)
            devices.append(device)
        }
        // A section the stream ends inside is loaded up to the cut, as a destination would: the
        // fields before it, then the loader's own error where it runs out of stream (without a
        // description, its bytes up to the cut).
        if let record = stream.index.unfinished, let section = record.section {
            var device =
                section.ram != nil
                ? ramSection(record, section, summary: firstRAM, budget: &ramBudget)
                : try steppedSection(record, section, given: given, profiles: profiles, edits: edits)
                    ?? plainRecord(record)
            device.summary = Self.summary(of: record)
            devices.append(device)
        }
        if let damage = damage(after: devices.last) {
            devices.append(damage)
            if let notes = notes(damage: nil) { devices.append(notes) }
        } else {
            // The last record fails on the damage; say what the scan found there, unless that is
            // the scan's own message already.
            let damage = failsWithScanError(devices.last) ? nil : stream.index.error
            if let notes = notes(damage: damage) { devices.append(notes) }
        }
        return devices
    }

    /// Whether `record` fails with the scan's own error, word for word: a RAM chunk cut short.
    public func failsWithScanError(_ record: DeviceRecord?) -> Bool {
        guard let error = stream.index.error, let record else { return false }
        return record.load.outcome.summary == error.detailAtOffset
    }

    /// The damage step after the last record, unless that record's load already failed on the
    /// damaged bytes (a cut section, a damaged footer), saying what the scan found.
    private func damage(after last: DeviceRecord?) -> DeviceRecord? {
        let shownEnd = last.map { $0.windows.last?.range.upperBound ?? $0.load.streamBase + $0.load.stream.count } ?? 0
        if let error = stream.index.error {
            // (A cut right after the bytes it shows is the end of the file it failed to read.)
            if let last, !last.load.outcome.succeeded, let offset = error.location?.offset,
                offset < shownEnd || offset == stream.file.count
                    || stream.index.unfinished?.offset == last.load.streamBase
            {
                return nil
            }
            return damage(error, after: shownEnd)
        }
        if let error = stream.vmdescError, stream.index.vmdescRange == nil {
            // No vmdesc record at all, only bytes after EOF that are not one.
            return damage(error, after: shownEnd)
        }
        return nil
    }

    /// What a loader lets pass but a reader should hear about (a vmdesc missing after EOF, a
    /// header newer than its vmdesc entry): one step each, without bytes of their own, since the
    /// bytes they name are shown with their records.
    ///
    /// `damage` is a scan error that the last record's failure stands for (no damage step of
    /// its own): said here too, so the explorer shows where and why the scan stopped.
    private func notes(damage: StreamError?) -> DeviceRecord? {
        let notes = stream.warnings + stream.misfits
        guard !notes.isEmpty || damage != nil else { return nil }
        var builder = RecordTraceBuilder(name: Self.warningsName)
        if let damage { builder.warn(damage.scanNote) }
        for note in notes { builder.warn(note.detail(viewing: stream.path)) }
        return builder.device(bytes: UnsafeRawBufferPointer(start: nil, count: 0), base: stream.file.count)
    }

    /// A device section stepped by the engine: with the given VMSDs when one matches, else with
    /// the vmdesc's description; nil when neither describes it.
    private func steppedSection(
        _ record: StreamRecord, _ section: SectionRecord, given: [String: SectionModel], profiles: ProfileChoice,
        edits: [FieldEdit]
    ) throws -> DeviceRecord? {
        if var model = given[vmsdName(of: section)] {
            // What the source's callbacks returned, as far as its vmdesc tells; the user's own
            // edits come after and win.
            let derived = stream.description(for: section).map {
                VMDescSwitches.edits(for: model.vmsd, description: $0, definitions: model.definitions)
            }
            for edit in (derived ?? []) + edits { edit.apply(to: &model.definitions) }
            return load(record, section, model: model, profile: profiles.dest, from: vmsds?.label)
        }
        guard stream.description(for: section) != nil else { return nil }
        return deviceSection(record, section, profile: profiles.dest, edits: edits)
    }

    /// The VMSD a section was saved with: the vmdesc's `vmsd_name`, else the idstr after its
    /// device path (`0000:00:03.0/e1000` saves `e1000`).
    public func vmsdName(of section: SectionRecord) -> String {
        if let name = stream.description(for: section)?["vmsd_name"]?.string { return name }
        return section.header.idstr.split(separator: "/").last.map(String.init) ?? section.header.idstr
    }

    /// The given file's devices, built for the destination profile, by VMSD name: each section
    /// that matches loads into a fresh copy of its device's destination state.
    private func givenModels(profile: Profile) throws -> [String: SectionModel] {
        guard let vmsds else { return [:] }
        let side = try vmsds.scenario.build(.dest, profile: profile)
        var models: [String: SectionModel] = [:]
        for device in side.devices where models[device.vmsd] == nil {
            models[device.vmsd] = SectionModel(
                definitions: side.definitions, heap: side.heap, opaque: device.opaque, vmsd: device.vmsd)
        }
        return models
    }

    /// A device section stepped by the engine, its VMSDs rebuilt from the vmdesc.
    private func deviceSection(
        _ record: StreamRecord, _ section: SectionRecord, profile: Profile, edits: [FieldEdit]
    ) -> DeviceRecord {
        var model: SectionModel
        do {
            model = try stream.model(for: section)
        } catch {
            // A description that builds no VMSD (a damaged vmdesc entry) fails this section only.
            let first = section.body.lowerBound..<min(section.body.upperBound, section.body.lowerBound + 1)
            return failedBeforeLoading(record, name: Self.title(record, section), error.detail, bytes: first)
        }
        for edit in edits { edit.apply(to: &model.definitions) }
        return load(record, section, model: model, profile: profile, from: nil)
    }

    /// Loads a section's payload with `model`, at the version its header carries.
    private func load(
        _ record: StreamRecord, _ section: SectionRecord, model: SectionModel, profile: Profile, from label: String?
    ) -> DeviceRecord {
        let check = Engine.check([model.vmsd], definitions: model.definitions, profile: profile)
        let name = Self.title(record, section) + (label.map { " [VMSDs of \($0)]" } ?? "")
        // qemu_loadvm_section_start_full turns a version newer than the device's away before
        // any field is read.
        if let local = model.definitions[model.vmsd]?.versionID, Int(section.header.versionID) > local {
            let refused = failedBeforeLoading(
                record, name: name, section.header.unsupportedVersion(local: local), bytes: section.header.versionRange)
            return DeviceRecord(name: name, load: refused.load, destCheck: check, definitions: model.definitions)
        }
        // The loader may peek past the payload (the footer, the next section), as in QEMU.
        // Given VMSDs may read far past the section, as QEMU would before its footer check.
        let end = min(stream.file.count, section.body.upperBound + (label == nil ? 512 : 16 << 20))
        var trace = Engine.load(
            model.vmsd, definitions: model.definitions, stream: Array(stream.bytes(in: section.body.lowerBound..<end)),
            streamBase: section.body.lowerBound, heap: model.heap, opaque: model.opaque,
            version: Int(section.header.versionID), profile: profile)
        // Where the footer is, or should be: a section whose footer is damaged ends where it starts.
        let footer = section.footerOffset ?? (stream.index.sectionFooters == true ? section.body.upperBound : nil)
        if trace.outcome.succeeded, let footer {
            checkFooter(&trace, section, at: section.body.lowerBound + trace.bytesConsumed, expected: footer)
        }
        Self.addFraming(&trace, section)
        // Show the section from its header to its footer, and anything a failed load read
        // beyond them (events keep their file offsets).
        let reached = min(end, trace.events.reduce(record.end) { max($0, $1.bytes.upperBound) })
        trace.stream = Array(stream.bytes(in: record.offset..<reached))
        trace.streamBase = record.offset
        return DeviceRecord(name: name, load: trace, destCheck: check, definitions: model.definitions)
    }

    /// The section's header and footer as steps of the record, before and after its VMSD: the
    /// loader reads them around the fields (qemu_loadvm_section_start_full, check_section_footer).
    static func addFraming(_ trace: inout Trace, _ section: SectionRecord) {
        let header = section.header
        let text = "section header: " + describe(header)
        // On the VMSD's own path: the record's node in the tree, named in the trace.
        let path = trace.events.first { if case .enterVMSD = $0.kind { true } else { false } }?.path ?? .root
        let read = TraceEvent(
            kind: .markerRead(byte: header.type.rawValue, meaning: text), bytes: header.range, path: path, depth: 1)
        trace.events.insert(read, at: 0)
        guard trace.outcome.succeeded, let footer = section.footerOffset else { return }
        trace.events.append(
            TraceEvent(
                kind: .markerRead(
                    byte: SectionType.footer.rawValue, meaning: "section footer, section id \(header.sectionID)"),
                bytes: footer..<footer + 5, path: path, depth: 1))
    }

    /// `SECTION_FULL apic, section id 7, instance 0, version 3`: a START or FULL header.
    static func describe(_ header: SectionHeader) -> String {
        "\(header.type.label) \(header.idstr.escapingControls), section id \(header.sectionID), "
            + "instance \(header.instanceID), version \(header.versionID)"
    }

    /// A section that fails before any field is read: one step, on `bytes`, over the start of
    /// the record.
    private func failedBeforeLoading(_ record: StreamRecord, name: String, _ message: String, bytes: Range<Int>)
        -> DeviceRecord
    {
        var builder = RecordTraceBuilder(name: name)
        builder.fail(message, bytes: bytes)
        let window = Self.head(of: record)
        return builder.device(bytes: stream.bytes(in: window), base: window.lowerBound)
    }

    /// The bytes the hex pane shows of a long record: its first `windowForLongRecords`.
    static func head(of record: StreamRecord) -> Range<Int> {
        record.offset..<min(record.end, record.offset + windowForLongRecords)
    }

    /// `check_section_footer`: after the load QEMU reads the footer where the loader stopped. A
    /// VMSD that reads more or less than the section holds fails there, as on a real destination.
    private func checkFooter(_ trace: inout Trace, _ section: SectionRecord, at offset: Int, expected footer: Int) {
        guard offset != footer || section.footerOffset == nil else { return }
        let idstr = section.header.idstr
        let id = section.header.sectionID
        let bytes = stream.bytes
        let message: String
        var shown = offset..<min(bytes.count, offset + 1)
        if offset >= bytes.count {
            // The mark itself cannot be read: QEMU reports the file error, -EIO.
            message = "check_section_footer: Read section footer failed: -5"
            shown = max(0, bytes.count - 1)..<bytes.count
        } else if bytes[offset] == SectionType.footer.rawValue {
            // Bytes past the end read as zero, as QEMU's do.
            let read = (1...4).reduce(UInt32(0)) { id, index in
                id << 8 | UInt32(offset + index < bytes.count ? bytes[offset + index] : 0)
            }
            guard read != id else { return }
            message =
                "Mismatched section id in footer for \(idstr) - read 0x\(String(read, radix: 16)) "
                + "expected 0x\(String(id, radix: 16))"
            shown = offset..<min(bytes.count, offset + 5)
        } else {
            message = "Missing section footer for \(idstr)"
        }
        let reason: String
        if offset >= bytes.count {
            reason = "the stream ends where the footer starts"
        } else if offset + 5 > bytes.count {
            reason = "the stream ends inside the footer"
        } else if offset == footer {
            // The loader read the payload exactly: the footer is what is damaged, as the scan found.
            let damage = stream.index.error.flatMap { error in
                error.location.map { shown.contains($0.offset) } == true ? error.detail : nil
            }
            reason = damage ?? "the footer is damaged"
        } else if offset < footer {
            reason = "the VMSDs read 0x\(String(footer - offset, radix: 16)) bytes less than the section holds"
        } else {
            reason = "the VMSDs read 0x\(String(offset - footer, radix: 16)) bytes more than the section holds"
        }
        let root = trace.events.first?.path ?? .root
        trace.events.append(TraceEvent(kind: .error(message + " (" + reason + ")"), bytes: shown, path: root, depth: 1))
        trace.outcome = .failed(code: -22, messages: [message])
    }

    static func title(_ record: StreamRecord, _ section: SectionRecord) -> String {
        let header = section.header
        return "\(header.type.label) \(header.idstr.escapingControls) (\(header.sectionID)) v\(header.versionID)"
    }

    /// A RAM chunk: the MEM_SIZE block list, runs of zero and data pages with their offsets, EOS.
    private func ramSection(_ record: StreamRecord, _ section: SectionRecord, summary: Bool, budget: inout Int)
        -> DeviceRecord
    {
        var builder = RecordTraceBuilder(name: Self.title(record, section))
        builder.add(
            "section header", .text("\(section.header.type.label) ram, version \(section.header.versionID)"),
            bytes: section.header.range)
        // The summary of each RAMBlock goes on its entry in MEM_SIZE (without bytes if there is none).
        var summarized = !summary
        func summarize(_ block: RAMBlockSummary, bytes: Range<Int>) {
            let text =
                "\(Self.count(block.zeroPages, "zero page")) in \(Self.count(block.zeroRuns, "run")), "
                + "\(Self.count(block.dataPages, "data page")) in \(Self.count(block.dataRuns, "run")) "
                + "(\(block.dataBytes) bytes), length 0x\(String(block.length, radix: 16))"
            builder.add("RAMBlock", .text(text), bytes: bytes, path: ["RAMBlocks", block.name])
        }
        // The hex pane holds the chunk's first bytes, then the start of each later run and record.
        let windowEnd = min(record.end, section.body.lowerBound + Self.windowForLongRecords)
        var windows: [Range<Int>] = []
        func shown(_ range: Range<Int>) -> Range<Int> {
            guard range.lowerBound >= windowEnd else { return range.clamped(to: range.lowerBound..<windowEnd) }
            let start = max(range.lowerBound, windows.last?.upperBound ?? windowEnd)
            let window = start..<max(start, min(range.upperBound, range.lowerBound + Self.windowForRAMRuns))
            if let last = windows.last, last.upperBound == window.lowerBound {
                windows[windows.count - 1] = last.lowerBound..<window.upperBound
            } else if !window.isEmpty {
                windows.append(window)
            }
            return window
        }
        var run: (first: RAMRecord, last: RAMRecord, count: Int)?
        var runs = 0
        var hidden = 0
        var failure: StreamError?
        func flush() {
            guard let current = run else { return }
            run = nil
            runs += 1
            guard runs <= Self.maxRunsPerSection else {
                hidden += 1
                return
            }
            let pageSize = stream.index.pageSize
            let kind = Self.kindName(current.first.kind)
            let last = current.last.address + pageSize - 1
            let text =
                "\(Self.count(current.count, kind + " page")) at 0x\(String(current.first.address, radix: 16))"
                + "..0x\(String(last, radix: 16)), stream 0x\(String(current.first.offset, radix: 16))"
                + "..0x\(String(current.last.end, radix: 16))"
            builder.add(
                "RAM", .text(text), bytes: shown(current.first.offset..<current.last.end),
                path: ["runs", "\(current.first.block) 0x\(String(current.first.address, radix: 16))"])
        }
        do {
            let limit = budget
            var read = 0
            defer { budget -= read }
            try stream.forEachRAMRecord(in: section, limit: limit) { ram in
                read += 1
                switch ram.kind {
                case .zeroPage, .page, .xbzrle, .compressedPage:
                    if let current = run, current.last.block == ram.block,
                        Self.kindName(current.last.kind) == Self.kindName(ram.kind),
                        current.last.address + stream.index.pageSize == ram.address
                    {
                        run = (current.first, ram, current.count + 1)
                    } else {
                        flush()
                        run = (ram, ram, 1)
                    }
                case .memSize(let total, let blocks):
                    flush()
                    builder.add(
                        "MEM_SIZE", .text("\(blocks.count) blocks, 0x\(String(total, radix: 16)) bytes of RAM"),
                        bytes: shown(ram.offset..<min(ram.end, blocks.first?.range.lowerBound ?? ram.end)))
                    if !summarized {
                        summarized = true
                        for summary in stream.index.ramBlocks {
                            let entry = blocks.first { $0.name == summary.name }?.range ?? 0..<0
                            summarize(summary, bytes: entry.isEmpty ? entry : shown(entry))
                        }
                    }
                    for block in blocks {
                        guard let mapped = block.mappedRAM else { continue }
                        builder.add(
                            "mapped-ram", .text(Self.describe(mapped, block)),
                            bytes: block.range, path: ["mapped-ram", block.name])
                    }
                case .multifdFlush:
                    flush()
                    builder.add("MULTIFD_FLUSH", .text("multifd sync"), bytes: shown(ram.offset..<ram.end))
                case .endOfSection:
                    flush()
                    builder.add("EOS", .text("end of this RAM chunk"), bytes: shown(ram.offset..<ram.end))
                }
            }
        } catch {
            flush()
            failure = error
        }
        flush()
        if !summarized { for summary in stream.index.ramBlocks { summarize(summary, bytes: 0..<0) } }
        if hidden > 0 { builder.add("RAM", .text("\(Self.count(hidden, "more run")) not listed")) }
        if let summary = section.ram, budget <= 0 {
            let counts = summary.flagCounts.map { "\($0.label) \($0.count)" }.joined(separator: ", ")
            builder.add(
                "RAM",
                .text(
                    "\(summary.records) records in this chunk (runs are listed for the first "
                        + "\(Self.maxRAMRecords) RAM records of the stream): \(counts)"))
        }
        // A chunk the stream ends inside fails at the cut, also when the listing stopped before it;
        // the failure sits on the bytes it could not read (the last byte when none are left).
        if let failure = failure ?? (section.extent == .cut ? stream.index.error : nil) {
            let count = stream.file.count
            let offset = min(failure.location?.offset ?? count, count)
            let bytes = offset < count ? offset..<min(count, offset + 16) : max(0, count - 1)..<count
            builder.fail(failure.detailAtOffset, bytes: shown(bytes))
        } else if let footer = section.footerOffset {
            builder.add(
                "section footer", .text("section id \(section.header.sectionID)"), bytes: shown(footer..<footer + 5))
        }
        return builder.device(
            bytes: stream.bytes(in: section.header.range.lowerBound..<windowEnd),
            windows: windows.map { ByteWindow(base: $0.lowerBound, bytes: Array(stream.bytes(in: $0))) })
    }

    /// Where a mapped-ram block's bitmap and pages are, and how many pages the file holds.
    static func describe(_ mapped: MappedRAMHeader, _ block: RAMBlockInfo) -> String {
        if mapped.isIgnored { return "shared block left out (x-ignore-shared): no bitmap, no pages" }
        let pages = block.length / max(1, mapped.pageSize)
        let hex = { (value: UInt64) in "0x" + String(value, radix: 16) }
        return "bitmap at \(hex(mapped.bitmapOffset)), \(Self.count(Int(pages), "page")) at \(hex(mapped.pagesOffset))"
            + "..\(hex(mapped.pagesOffset + block.length)) in the file"
    }

    /// A record's place in the file, for the tree: `inst 0, 0xe4 bytes at 0x43df1`.
    static func summary(of record: StreamRecord) -> String {
        let place = "0x\(String(record.end - record.offset, radix: 16)) bytes at 0x\(String(record.offset, radix: 16))"
        if case .section(let section) = record.kind, section.header.type == .full || section.header.type == .start {
            return "inst \(section.header.instanceID), " + place
        }
        return place
    }

    /// `1 run`, `2 runs`.
    static func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }

    static func kindName(_ kind: RAMRecord.Kind) -> String {
        switch kind {
        case .zeroPage: "zero"
        case .page: "data"
        case .xbzrle: "XBZRLE"
        case .compressedPage: "compressed"
        default: "other"
        }
    }

    /// The header, the configuration, a command, EOF, the vmdesc, or a section without a
    /// description: what it holds, over its bytes.
    private func plainRecord(_ record: StreamRecord) -> DeviceRecord {
        var builder: RecordTraceBuilder
        var window = record.offset..<record.end
        switch record.kind {
        case .fileHeader(let magic, let version):
            builder = RecordTraceBuilder(name: "file header")
            builder.add("magic", .unsigned(UInt64(magic), width: 4), bytes: record.offset..<record.offset + 4)
            builder.add("version", .unsigned(UInt64(version), width: 4), bytes: record.offset + 4..<record.end)
        case .configuration(let configuration):
            builder = RecordTraceBuilder(name: "configuration")
            let subsections = configuration.subsections.first?.range.lowerBound ?? record.end
            builder.add("machine", .text(configuration.machineType), bytes: record.offset..<subsections)
            for subsection in configuration.subsections {
                builder.add(subsection.name, .text("\(subsection.value)"), bytes: subsection.range)
            }
        case .command(let command):
            builder = RecordTraceBuilder(name: "COMMAND \(command.name)")
            builder.add(command.name, .text("\(command.payload)"), bytes: record.offset..<record.end)
        case .section(let section):
            builder = RecordTraceBuilder(name: Self.title(record, section))
            let header = section.header
            builder.add(
                "section header", .text(Self.describe(header)), bytes: header.range)
            builder.add(
                "payload",
                .text(
                    "\(Self.count(section.body.count, "byte")) without a vmdesc description"
                        + (AnalyzeDump.extentNote(section.extent).map { " (extent \($0))" } ?? "")),
                bytes: section.body.lowerBound..<min(section.body.upperBound, section.body.lowerBound + 64))
            window = Self.head(of: record)
            // The end of the record: its footer, or the cut the stream ends at, in the scan's words.
            var last: Range<Int>?
            if section.extent == .cut, let error = stream.index.error {
                // On the byte the error names (the last one when it names the end of the file).
                let end = stream.file.count
                let offset = min(max(error.location?.offset ?? end, record.offset), end)
                last = offset < end ? offset..<min(end, offset + 16) : max(record.offset, end - 1)..<end
                builder.fail(error.detailAtOffset, bytes: last ?? end..<end)
            } else if let footer = section.footerOffset {
                last = footer..<footer + 5
                builder.add("section footer", .text("section id \(header.sectionID)"), bytes: last ?? footer..<footer)
            }
            if let last, last.lowerBound >= window.upperBound {
                let tail = ByteWindow(base: last.lowerBound, bytes: Array(stream.bytes(in: last)))
                return builder.device(bytes: stream.bytes(in: window), base: window.lowerBound, windows: [tail])
            }
        case .eof:
            builder = RecordTraceBuilder(name: "EOF")
            builder.add("QEMU_VM_EOF", .text("end of the device state"), bytes: record.offset..<record.end)
        case .vmdescription(let json):
            builder = RecordTraceBuilder(name: "vmdesc")
            let devices = stream.vmdesc?.devices.count ?? 0
            // The byte the error names, kept inside the JSON (a length one short ends it early).
            let damage = stream.vmdescError.flatMap { error in
                error.location.flatMap { location in
                    (record.offset...record.end).contains(location.offset)
                        ? (error, min(max(location.offset, json.lowerBound), json.upperBound - 1)) : nil
                }
            }
            builder.add(
                "vmdesc",
                .text(
                    "\(json.count) bytes of JSON "
                        + (damage == nil ? "describing \(devices) devices" : "that do not parse")),
                bytes: record.offset..<json.lowerBound)
            window = record.offset..<min(record.end, record.offset + Self.windowForVMDesc)
            if let (error, offset) = damage {
                // The damage is a failure to go to (F, g): without the vmdesc no device decodes.
                builder.fail(error.detail + "; device sections show as raw bytes", bytes: offset..<offset + 1)
                if offset >= window.upperBound {
                    let half = Self.windowForLongRecords / 2
                    window = max(record.offset, offset - half)..<min(record.end, offset + half)
                }
            }
        }
        return builder.device(bytes: stream.bytes(in: window), base: window.lowerBound)
    }

    /// Where the scan stopped on a damaged stream; its bytes start after `shownEnd`, the end of
    /// the records before it, since the hex pane lays file offsets out in order.
    private func damage(_ error: StreamError, after shownEnd: Int) -> DeviceRecord {
        var builder = RecordTraceBuilder(name: Self.damageName)
        let offset = min(error.location?.offset ?? stream.file.count, stream.file.count)
        // The failing step sits on the bytes it could not read (the last byte when none are left).
        let end = min(stream.file.count, offset + 16)
        // The step shows the offset; the file is the one open.
        builder.fail(error.detail, bytes: offset < end ? offset..<end : max(0, offset - 1)..<offset)
        // From the end of what is shown, so a section header cut off by the damage is shown whole
        // (an idstr is at most 255 bytes), unless the records before it end far earlier.
        let start = max(shownEnd, offset - 272)
        let window = start..<max(start, min(stream.file.count, offset + 48))
        return builder.device(bytes: stream.bytes(in: window), base: window.lowerBound)
    }
}

/// Builds the small trace of a record that the engine does not step.
struct RecordTraceBuilder {
    var paths = PathTable()
    var events: [TraceEvent] = []
    let root: PathID
    let name: String
    var outcome: RunOutcome = .success

    init(name: String) {
        self.name = name
        root = paths.child(of: .root, .vmsd(name))
    }

    /// An event labelled `label`, at the tree node `path` (default: a node named `label`).
    mutating func add(_ label: String, _ value: FieldValue, bytes: Range<Int> = 0..<0, path: [String] = []) {
        var id = root
        for component in (path.isEmpty ? [label] : path) { id = paths.child(of: id, .field(component)) }
        events.append(
            TraceEvent(
                kind: .valueRead(info: label, value: value, address: 0), bytes: bytes, path: id, depth: path.count + 1))
    }

    mutating func warn(_ message: String) {
        events.append(TraceEvent(kind: .warning(message), bytes: 0..<0, path: root, depth: 1))
    }

    mutating func fail(_ message: String, bytes: Range<Int> = 0..<0) {
        events.append(TraceEvent(kind: .error(message), bytes: bytes, path: root, depth: 1))
        outcome = .failed(code: -22, messages: [message])
    }

    func device(bytes: UnsafeRawBufferPointer, base: Int? = nil, windows: [ByteWindow] = []) -> DeviceRecord {
        let start = base ?? events.first { !$0.bytes.isEmpty }?.bytes.lowerBound ?? 0
        let shown = Array(bytes)
        // Events reach only the bytes shown.
        let end = start + shown.count
        let kept = events.map { event -> TraceEvent in
            var event = event
            let inWindow = windows.contains { $0.contains(event.bytes) }
            if !inWindow, event.bytes.lowerBound < start || event.bytes.upperBound > end {
                event.bytes = event.bytes.clamped(to: start..<max(start, end))
                if event.bytes.isEmpty { event.bytes = 0..<0 }
            }
            return event
        }
        let trace = Trace(
            direction: .load, profile: .qemu72, events: kept, paths: paths, stream: shown, streamBase: start,
            initialHeap: Heap(), finalHeap: Heap(), outcome: outcome, streamError: nil, bytesConsumed: shown.count,
            vmdesc: nil)
        var record = DeviceRecord(name: name, load: trace, definitions: Definitions())
        record.windows = windows
        return record
    }
}
