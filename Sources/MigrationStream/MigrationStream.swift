/// A QEMU migration stream opened for reading: the mapped file, its section index and its vmdesc.
///
/// ```swift
/// let stream = try MigrationStream(path: "vm.mig")
/// for record in stream.index.records { ... }             // every top-level record, with offsets
/// if let section = stream.index.sections.first(where: { $0.header.idstr == "cpu" }) {
///     let tree = try stream.decode(section)             // fields with byte ranges
///     let desc = stream.description(for: section)       // its vmdesc entry
/// }
/// ```
///
/// Opening scans the container once (RAM records included) and parses the vmdesc; device
/// sections are decoded only when asked.
public final class MigrationStream: Sendable {
    public let file: MappedFile
    public let index: StreamIndex
    /// The trailing description, if the stream has one and it parsed.
    public let vmdesc: VMDesc?
    /// Why the vmdesc could not be used, when the stream has one.
    public let vmdescError: StreamError?
    /// What a loader would let pass but a reader should hear about: bytes between EOF and the
    /// vmdesc, a section header newer than its vmdesc entry.
    public let warnings: [StreamError]
    /// Described sections whose payload their description does not fit (their extent came from
    /// the footer): why, for each. Decoding them fails with the same error, so only commands
    /// that decode no field (`sections`) or that load with QEMU's messages (`trace`) print these.
    public let misfits: [StreamError]
    /// Device sections already decoded while their extents were checked, by payload offset:
    /// `decode` returns these rather than reading the section a second time.
    private let decoded: [Int: VMStateNode]

    public var path: String { file.path }
    public var bytes: UnsafeRawBufferPointer { file.bytes }

    /// Opens and scans `path`. Throws only when a file cannot be opened or `vmdescFrom` is no
    /// vmdesc; a damaged stream opens with `index.error` (or `vmdescError`) set and everything
    /// before the damage indexed.
    ///
    /// `vmdescFrom` gives the device descriptions from another file instead of the stream's own:
    /// a stream of the same machine, or a vmdesc as JSON (`vmscope dump --desc`,
    /// `analyze-migration.py -d desc`). A stream cut short has lost its vmdesc; with one from a
    /// whole stream its device sections still decode, and the cut is found in the field it falls in.
    public init(path: String, vmdescFrom other: String? = nil) throws(StreamError) {
        file = try MappedFile(path: path)
        var scanner = StreamScanner(file: file, vmdesc: nil, pageSize: 4096)
        var index = scanner.scan()
        var vmdesc: VMDesc?
        var vmdescError: StreamError?
        var warnings: [StreamError] = []
        var misfits: [StreamError] = []
        let trailing = index.error != nil || index.trailingBytes != nil
        if let other {
            let lent = try Self.vmdesc(from: other)
            vmdesc = lent.vmdesc
            if let theirs = lent.machine, let ours = index.configuration?.machineType, theirs != ours {
                // Another machine type's devices differ: sections it does not describe end the index.
                warnings.append(
                    .unexpected(
                        .init(file: other, offset: 0, section: "vmdesc"),
                        expected: "the vmdesc of a \(ours.escapingControls) stream, as \(path) is",
                        found: "one from a \(theirs.escapingControls) stream"))
            }
        } else if let range = index.vmdescRange ?? (trailing ? Self.trailingVMDesc(file.bytes) : nil) {
            // A stream damaged before its EOF still ends with its vmdesc: found by its framing
            // from the end, the sections before the damage decode and the damage is pinned exactly.
            do {
                let json = try JSONParser.parse(UnsafeRawBufferPointer(rebasing: file.bytes[range]))
                guard json["devices"]?.array != nil else {
                    throw StreamError.unexpected(
                        .init(file: path, offset: range.lowerBound, section: "vmdesc"),
                        expected: "a JSON object with a \"devices\" array", found: "none")
                }
                vmdesc = VMDesc(json: json, range: range)
            } catch let failure as JSONParser.Failure {
                vmdescError = .invalidJSON(
                    .init(file: path, offset: range.lowerBound + failure.offset, section: "vmdesc"),
                    message: failure.message)
            } catch let error as StreamError {
                vmdescError = error
            } catch {
                vmdescError = .unsupported(
                    .init(file: path, offset: range.lowerBound, section: "vmdesc"), message: "\(error)")
            }
        }
        if let extra = index.trailingBytes, other == nil {
            // QEMU reads one byte after EOF, expecting the vmdesc; anything else it reports
            // ("Expected vmdescription section, but got %d") and ignores, and so does the analyzer.
            let found = file.bytes[extra.lowerBound]
            let error = StreamError.unexpected(
                .init(file: path, offset: extra.lowerBound, section: "vmdesc"),
                expected: "the vmdesc record (0x06) after EOF",
                found: "\(Hex.byte(found)) and 0x\(String(extra.count, radix: 16)) bytes QEMU ignores")
            if vmdesc == nil, vmdescError == nil { vmdescError = error } else { warnings.append(error) }
        }
        let postcopy = index.commands.contains { entry in
            switch entry.command.payload {
            case .postcopyAdvise, .packaged: true
            default: false
            }
        }
        if other == nil, vmdesc == nil, vmdescError == nil, index.error == nil, index.sectionFooters == true,
            !postcopy, let last = index.records.last, case .eof = last.kind
        {
            // QEMU writes the vmdesc after a precopy EOF unless the machine suppresses it, as the
            // old machine types do (they also drop the section footers): here the file ends.
            warnings.append(
                .unexpected(
                    .init(file: path, offset: last.end, section: "vmdesc"),
                    expected: "the vmdesc record (0x06) after EOF, which QEMU writes unless the machine has "
                        + "suppress-vmdesc=on",
                    found: "the end of the file; the stream may be cut here (--vmdesc FILE lends the vmdesc of a "
                        + "whole stream)"))
        }
        var decoded: [Int: VMStateNode] = [:]
        if let vmdesc {
            (index, decoded) = Self.confirmExtents(index, vmdesc: vmdesc, file: file)
            index = Self.requireDescriptions(index, vmdesc: vmdesc, file: path)
            warnings += Self.versionMismatches(index, vmdesc: vmdesc, file: path)
            misfits = Self.misfits(index, vmdesc: vmdesc, file: file)
            if other == nil, index.error == nil, let missing = Self.unsaved(index, vmdesc: vmdesc, file: path) {
                warnings.append(missing)
            }
        }
        self.index = index
        self.vmdesc = vmdesc
        self.vmdescError = vmdescError
        self.warnings = warnings
        self.misfits = misfits
        self.decoded = decoded
    }

    /// QEMU writes a vmdesc entry for every FULL section: one it does not describe has a damaged
    /// name or instance (or the vmdesc is another machine's). The analyzer stops there, and a
    /// destination would say "Unknown savevm section or instance"; so does the index.
    private static func requireDescriptions(_ index: StreamIndex, vmdesc: VMDesc, file: String) -> StreamIndex {
        guard
            let at = index.records.firstIndex(where: { record in
                guard let section = record.section, section.ram == nil, section.header.type == .full else {
                    return false
                }
                return vmdesc.device(for: section.header) == nil
            }), let header = index.records[at].section?.header
        else { return index }
        var cut = index
        cut.records.removeSubrange(at...)
        let name = header.idstr.escapingControls
        cut.error = .unexpected(
            .init(file: file, offset: index.records[at].offset, section: header.analyzeKey),
            expected: "a section the vmdesc describes",
            found: "'\(name)' instance \(header.instanceID), which it does not (QEMU: Unknown savevm section or "
                + "instance '\(name)' \(header.instanceID))")
        cut.trailingBytes = nil
        cut.unfinished = nil
        return cut
    }

    /// Devices the stream's own vmdesc describes but no section carries. QEMU writes the two
    /// together, so a stream that reached EOF without them ended early: an EOF byte in place of
    /// a section type, say, which QEMU's loader itself accepts.
    private static func unsaved(_ index: StreamIndex, vmdesc: VMDesc, file: String) -> StreamError? {
        var saved = Set<String>()
        for section in index.sections where section.header.type == .full || section.header.type == .start {
            saved.insert("\(section.header.idstr) \(section.header.instanceID)")
        }
        let missing = vmdesc.devices.compactMap { entry -> String? in
            guard let name = entry["name"]?.string, let instance = entry["instance_id"]?.int else { return nil }
            return saved.contains("\(name) \(instance)") ? nil : "'\(name.escapingControls)' \(instance)"
        }
        guard let first = missing.first, let eof = index.records.last(where: { $0.kind == .eof }) else { return nil }
        return .unexpected(
            .init(file: file, offset: eof.offset, section: "EOF"),
            expected: "a section for each device the vmdesc describes before EOF",
            found: "none for \(missing.count) of its \(vmdesc.devices.count), the first \(first); the stream may have "
                + "ended early")
    }

    /// The device sections that a FULL or START header opens and the vmdesc describes, with
    /// their position among the records and their description.
    private static func describedDevices(_ index: StreamIndex, vmdesc: VMDesc)
        -> [(position: Int, section: SectionRecord, entry: JSONValue)]
    {
        index.records.indices.compactMap { position in
            guard let section = index.records[position].section, section.ram == nil,
                section.header.type == .full || section.header.type == .start,
                let entry = vmdesc.device(for: section.header)
            else { return nil }
            return (position, section, entry)
        }
    }

    /// Section headers newer than their vmdesc entry: QEMU writes both from one VMSD, so only
    /// damage makes them differ, and a destination with that VMSD turns the section away.
    private static func versionMismatches(_ index: StreamIndex, vmdesc: VMDesc, file: String) -> [StreamError] {
        describedDevices(index, vmdesc: vmdesc).compactMap { _, section, entry -> StreamError? in
            guard let described = entry["version"]?.int, Int(section.header.versionID) > described else { return nil }
            return .unexpected(
                .init(file: file, offset: section.header.versionRange.lowerBound, section: section.header.analyzeKey),
                expected: "version \(described) or older, as the vmdesc describes",
                found:
                    "version \(section.header.versionID) (QEMU: \(section.header.unsupportedVersion(local: described)))"
            )
        }
    }

    /// The vmdesc of another stream, or a file that is one as JSON; with the machine type of
    /// that stream, when it is one with a configuration section.
    static func vmdesc(from path: String) throws(StreamError) -> (vmdesc: VMDesc, machine: String?) {
        let file = try MappedFile(path: path)
        let location = StreamError.Location(file: path, offset: 0, section: "vmdesc")
        if file.count >= 4, ByteReader.loadBE32(file.bytes, 0) == SectionType.fileMagic {
            let stream = try MigrationStream(path: path)
            guard let vmdesc = stream.vmdesc else {
                throw stream.vmdescError ?? .unsupported(location, message: "the stream has no vmdesc to lend")
            }
            return (VMDesc(json: vmdesc.json, range: nil), stream.index.configuration?.machineType)
        }
        let json: JSONValue
        do {
            json = try JSONParser.parse(file.bytes)
        } catch {
            throw .invalidJSON(.init(file: path, offset: error.offset, section: "vmdesc"), message: error.message)
        }
        guard json["devices"]?.array != nil else {
            throw .unexpected(location, expected: "a vmdesc: a JSON object with a \"devices\" array", found: "none")
        }
        return (VMDesc(json: json, range: nil), nil)
    }

    /// The JSON of a vmdesc record (`06`, be32 length, `{`...) that ends exactly at the end of the
    /// file, searched from the end over at most the last 64 MiB.
    static func trailingVMDesc(_ bytes: UnsafeRawBufferPointer) -> Range<Int>? {
        let count = bytes.count
        guard count >= 7 else { return nil }
        var at = count - 7
        let lowest = max(0, count - (64 << 20))
        while at >= lowest {
            if bytes[at] == SectionType.vmdescription.rawValue, bytes[at + 5] == UInt8(ascii: "{"),
                Int(ByteReader.loadBE32(bytes, at + 1)) == count - at - 5
            {
                return (at + 5)..<count
            }
            at -= 1
        }
        return nil
    }

    /// Re-checks inferred device extents against the vmdesc, and scans again with the vmdesc
    /// guiding when an inferred extent (or the page size) was wrong.
    private static func confirmExtents(_ first: StreamIndex, vmdesc: VMDesc, file: MappedFile)
        -> (StreamIndex, decoded: [Int: VMStateNode])
    {
        var index = first
        var decoded: [Int: VMStateNode] = [:]
        // A damaged stream is scanned again with the vmdesc: the damage is then found where the
        // description says the bytes go wrong, not where a heuristic gave up.
        var mismatch = vmdesc.pageSize != first.pageSize || first.error != nil
        for (position, found, desc) in describedDevices(first, vmdesc: vmdesc) where !mismatch {
            var section = found
            if let node = try? decodePayload(section, with: desc, file: file) {
                section.extent = .vmdesc
                index.records[position].kind = .section(section)
                // It read exactly the payload, so decoding the payload alone gives this tree.
                decoded[section.body.lowerBound] = node
            } else {
                mismatch = true
            }
        }
        guard mismatch else { return (index, decoded) }
        var scanner = StreamScanner(file: file, vmdesc: vmdesc, pageSize: vmdesc.pageSize)
        return (scanner.scan(), [:])
    }

    /// Described sections whose payload the description does not fit: their extent came from
    /// the footer.
    private static func misfits(_ index: StreamIndex, vmdesc: VMDesc, file: MappedFile) -> [StreamError] {
        describedDevices(index, vmdesc: vmdesc).compactMap { _, section, desc -> StreamError? in
            guard section.extent != .vmdesc else { return nil }
            do throws(StreamError) {
                _ = try decodePayload(section, with: desc, file: file)
                return nil
            } catch {
                return error
            }
        }
    }

    /// Decodes a delimited payload with its description, which must read all of it and no more.
    private static func decodePayload(_ section: SectionRecord, with desc: JSONValue, file: MappedFile)
        throws(StreamError) -> VMStateNode
    {
        let (node, failure) = decodePayloadPartially(section, with: desc, file: file)
        if let failure { throw failure }
        return node
    }

    /// As `decodePayload`, keeping the values decoded before a failure.
    private static func decodePayloadPartially(_ section: SectionRecord, with desc: JSONValue, file: MappedFile)
        -> (node: VMStateNode, failure: StreamError?)
    {
        var reader = ByteReader(
            bytes: file.bytes, file: file.path, offset: section.body.lowerBound, limit: section.body.upperBound)
        reader.section = section.header.analyzeKey
        let (node, failure) = DeviceDecoder().decodeSectionPartially(
            desc, name: section.header.idstr, reader: &reader)
        if let failure {
            // Only a payload the stream ends inside is really cut short.
            return (node, section.extent == .cut ? failure : pastPayload(failure, of: section))
        }
        guard reader.offset == section.body.upperBound else {
            let failure = StreamError.unexpected(
                reader.location(),
                expected: "the description to cover the payload up to offset 0x"
                    + String(section.body.upperBound, radix: 16),
                found: "\(section.body.upperBound - reader.offset) byte(s) left")
            return (node, failure)
        }
        return (node, nil)
    }

    /// The vmdesc entry describing `section`, if any.
    public func description(for section: SectionRecord) -> JSONValue? {
        vmdesc?.device(for: section.header)
    }

    /// Decodes a device section into a value tree with byte ranges. Without a description the
    /// tree is one `.raw` node covering the payload.
    public func decode(_ section: SectionRecord) throws(StreamError) -> VMStateNode {
        let (node, failure) = decodeAsFarAsPossible(section)
        if let failure { throw failure }
        return node
    }

    /// Decodes a device section as `decode` does and, where that fails, gives the values decoded
    /// before the failure with it: for a section the stream ends inside (`index.unfinished`),
    /// everything up to the cut.
    public func decodeAsFarAsPossible(_ section: SectionRecord) -> (node: VMStateNode, failure: StreamError?) {
        guard let desc = description(for: section), section.ram == nil else {
            let raw = VMStateNode(name: "data", type: "buffer", kind: .raw, range: section.body)
            let node = VMStateNode(
                name: section.header.idstr, type: section.header.idstr, kind: .section,
                range: section.body, children: [raw])
            return (node, nil)
        }
        if let node = decoded[section.body.lowerBound] { return (node, nil) }
        return Self.decodePayloadPartially(section, with: desc, file: file)
    }

    /// A description that reads past a delimited payload: the stream goes on after it (the
    /// footer, the next section), so the description and the payload disagree; the stream was
    /// not cut, as a truncation error would say.
    static func pastPayload(_ error: StreamError, of section: SectionRecord) -> StreamError {
        guard case .truncated(let location, let needed, let available) = error else { return error }
        return .unexpected(
            location, expected: "\(needed) more byte(s), as the vmdesc describes the field",
            found: "\(available) before the payload ends at 0x\(String(section.body.upperBound, radix: 16))")
    }

    /// The bytes of `range` (clamped to the file). Valid while the stream is alive.
    public func bytes(in range: Range<Int>) -> UnsafeRawBufferPointer {
        let clamped = range.clamped(to: 0..<file.count)
        return UnsafeRawBufferPointer(rebasing: file.bytes[clamped])
    }

    /// Every RAM record of a RAM section chunk, read again from the stream.
    public func ramRecords(in section: SectionRecord) throws(StreamError) -> [RAMRecord] {
        var records: [RAMRecord] = []
        try forEachRAMRecord(in: section) { records.append($0) }
        return records
    }

    /// Calls `body` for each RAM record of `section` (at most `limit` of them), without keeping
    /// them.
    public func forEachRAMRecord(in section: SectionRecord, limit: Int = .max, _ body: (RAMRecord) -> Void)
        throws(StreamError)
    {
        guard section.ram != nil else { return }
        var parser = RAMParser(
            pageSize: index.pageSize, ignoreShared: index.configuration?.has(capability: "x-ignore-shared") ?? false,
            postcopy: index.commands.contains { if case .postcopyAdvise = $0.command.payload { true } else { false } },
            mappedRAM: index.configuration?.has(capability: "mapped-ram") ?? false)
        // CONTINUE records refer to the block of the previous page, possibly in an earlier chunk.
        if let previous = section.ram?.startBlock { parser.resume(block: previous) }
        var reader = ByteReader(
            bytes: file.bytes, file: path, offset: section.body.lowerBound,
            limit: section.body.upperBound)
        reader.section = section.header.analyzeKey
        // Keep the resident set bounded on huge sections, as the scan does.
        var released = section.body.lowerBound
        var count = 0
        // A chunk the stream ends inside has no EOS: reading on at its end fails as the scan did,
        // also when the cut falls between two records.
        while (section.extent == .cut || !reader.atEnd) && count < limit {
            let record = try parser.next(&reader)
            count += 1
            body(record)
            if case .endOfSection = record.kind { break }
            if reader.offset - released > 8 << 20 {
                file.releaseChunks(released..<(reader.offset - (2 << 20)))
                released = reader.offset - (4 << 20)
            }
        }
        if section.body.count > 4 << 20 { file.releaseChunks(released..<reader.offset) }
    }
}
