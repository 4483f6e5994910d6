/// Prints a stream the way QEMU's `scripts/analyze-migration.py -f FILE` does.
///
/// Where the analyzer (QEMU 7.2's) succeeds, the output is byte for byte the same: one object
/// keyed `"idstr (section_id)"` in order of first appearance, RAM as `section sizes`, devices
/// decoded with the vmdesc. Where the analyzer would give up (configuration subsections,
/// commands, no vmdesc, sections it has no reader for), the same shape is printed for everything,
/// plus a `"configuration"` entry and a `"commands"` list in stream order, and device payloads
/// without a description as `{"data": ..., "extent": ...}`. See `Samples/streams/README.md`.
public struct AnalyzeDump {
    public struct Options: Sendable {
        /// `-m`: RAM page contents, keyed `"block (0xaddress)"`.
        public var memory = false
        /// vmscope's own: every value with its byte range.
        public var offsets = false
        public init(memory: Bool = false, offsets: Bool = false) {
            self.memory = memory
            self.offsets = offsets
        }
    }

    public let stream: MigrationStream
    public let options: Options

    public init(stream: MigrationStream, options: Options = Options()) {
        self.stream = stream
        self.options = options
    }

    /// Whether analyze-migration.py would read this stream to the end: QEMU 7.2's, or for what
    /// only newer streams carry (SWITCHOVER_START, MULTIFD_FLUSH, a configuration described in
    /// the vmdesc), the analyzer of the QEMU that writes them. Only then is the output limited to
    /// exactly what the analyzer prints.
    public var analyzerCompatible: Bool {
        let index = stream.index
        guard let vmdesc = stream.vmdesc, index.error == nil else { return false }
        if let config = index.configuration, !config.subsections.isEmpty, vmdesc.configuration == nil {
            return false
        }
        // mapped-ram came with QEMU 9.0, but the analyzer of 10.0 still reads its block list as
        // plain RAM and fails; the extended dump is the useful one.
        if index.configuration?.has(capability: "mapped-ram") == true { return false }
        let plainRAM: RAMFlags = [.zero, .memSize, .page, .eos, .continue, .multifdFlush]
        for record in index.records {
            switch record.kind {
            case .command(let command):
                guard command.code == .switchoverStart, command.length == 0 else { return false }
            case .section(let section):
                if let ram = section.ram {
                    for (label, _) in ram.flagCounts where !Self.flags(label).isSubset(of: plainRAM) { return false }
                } else if section.header.idstr != "spapr/htab", stream.description(for: section) == nil {
                    return false
                }
            default: continue
            }
        }
        return !index.records.contains { $0.packaged }
    }

    /// Writes the dump followed by a newline (as Python's `print`). Returns the first error:
    /// the output then holds everything decoded before it, as valid JSON.
    @discardableResult
    public func write(to output: TextOutput) -> StreamError? {
        var json = PythonJSONWriter(output: output)
        let (error, wroteObject) = writeObject(&json)
        if wroteObject { output.write(byte: 0x0a) }
        return error
    }

    /// The dump without the trailing newline (what `-x` writes to state.json). The object is
    /// opened at its first entry, so a stream that fails before anything decodes prints nothing
    /// rather than an empty object that reads as a successful result.
    func writeObject(_ json: inout PythonJSONWriter) -> (failure: StreamError?, wroteObject: Bool) {
        let extended = !analyzerCompatible
        let plan = Plan(index: stream.index)
        var failure = stream.index.error ?? stream.vmdescError
        var opened = false
        func key(_ name: String, _ json: inout PythonJSONWriter) {
            if !opened { json.beginObject() }
            opened = true
            json.key(name)
        }
        var wroteCommands = false
        for entry in plan.entries {
            switch entry {
            case .configuration(let config):
                guard extended else { continue }
                key("configuration", &json)
                writeConfiguration(config, &json)
            case .command:
                guard extended, !wroteCommands else { continue }
                wroteCommands = true
                key("commands", &json)
                json.beginArray()
                for (offset, command) in stream.index.commands { writeCommand(command, offset: offset, &json) }
                json.endArray()
            case .section(let id):
                guard let object = plan.objects[id] else { continue }
                let first = object.chunks[0]
                if first.ram != nil {
                    key(first.header.analyzeKey, &json)
                    if let error = writeRAM(object.chunks, &json) {
                        failure = Self.first(failure, error)
                    }
                } else if first.header.idstr == "spapr/htab", stream.description(for: first) == nil, !extended {
                    key(first.header.analyzeKey, &json)
                    json.string("")
                } else {
                    // A section that fails to decode, or that the stream ends inside, prints what
                    // decoded before the failure, or its bytes when nothing did; the dump stops there.
                    let (tree, sectionFailure) = stream.decodeAsFarAsPossible(first)
                    key(first.header.analyzeKey, &json)
                    if stream.description(for: first) == nil || sectionFailure != nil && tree.children.isEmpty {
                        writeRaw(first, &json)
                    } else {
                        writeStruct(tree, &json)
                    }
                    if let sectionFailure {
                        if opened { json.endObject() }
                        return (Self.first(failure, sectionFailure), opened)
                    }
                }
            }
        }
        if !opened {
            // Nothing decoded: an empty object only when the stream really holds nothing.
            guard failure == nil else { return (failure, false) }
            json.beginObject()
        }
        json.endObject()
        return (failure, true)
    }

    /// Of two errors, the one earlier in the file: the damage a reader meets first. (A section
    /// that does not decode lies before where the scan stopped, or where a vmdesc error is.)
    private static func first(_ a: StreamError?, _ b: StreamError) -> StreamError {
        guard let a, let at = a.location?.offset else { return b }
        guard let bt = b.location?.offset else { return a }
        return bt < at ? b : a
    }

    // MARK: order of entries

    /// analyze-migration.py keeps sections in a dict keyed by section id: the position is the id's
    /// first appearance, the value the object of the last START/FULL with that id, fed by the
    /// PART/END records after it.
    struct Plan {
        enum Entry {
            case configuration(ConfigurationSection)
            case command
            case section(UInt32)
        }

        struct Object {
            var chunks: [SectionRecord]
        }

        var entries: [Entry] = []
        var objects: [UInt32: Object] = [:]

        init(index: StreamIndex) {
            var sawCommand = false
            for record in index.records {
                switch record.kind {
                case .configuration(let config): entries.append(.configuration(config))
                case .command:
                    if !sawCommand { entries.append(.command) }
                    sawCommand = true
                case .section(let section): add(section)
                default: continue
                }
            }
            // A device section the stream ends inside prints up to the cut.
            if let section = index.unfinished?.section, section.ram == nil { add(section) }
        }

        private mutating func add(_ section: SectionRecord) {
            let id = section.header.sectionID
            if objects[id] == nil { entries.append(.section(id)) }
            if section.header.type == .start || section.header.type == .full {
                objects[id] = Object(chunks: [section])
            } else {
                objects[id, default: Object(chunks: [])].chunks.append(section)
            }
        }
    }

    // MARK: devices

    private func writeStruct(_ node: VMStateNode, _ json: inout PythonJSONWriter) {
        json.beginObject()
        if options.offsets { writeRange(node.range, &json) }
        for group in Self.group(node.children) {
            json.key(group.key)
            if group.isList {
                json.beginArray()
                for item in group.nodes { writeNode(item, &json) }
                json.endArray()
            } else if let item = group.nodes.last {
                writeNode(item, &json)
            }
        }
        json.endObject()
    }

    private func writeNode(_ node: VMStateNode, _ json: inout PythonJSONWriter) {
        switch node.kind {
        case .structure, .subsection, .section:
            writeStruct(node, &json)
        case .field, .nullPointer, .raw:
            if options.offsets {
                json.beginObject()
                writeRange(node.range, &json)
                json.key("value")
            }
            switch AnalyzeValue.render(node, bytes: stream.bytes) {
            case .text(let text): json.string(text)
            case .bool(let flag): json.bool(flag)
            }
            if options.offsets { json.endObject() }
        }
    }

    private func writeRange(_ range: Range<Int>, _ json: inout PythonJSONWriter) {
        json.key("@offset")
        json.string("0x" + String(range.lowerBound, radix: 16))
        json.key("@size")
        json.literal(String(range.count))
    }

    struct Group {
        var key: String
        var nodes: [VMStateNode]
        var isList: Bool
    }

    /// Folds children into the analyzer's dict: an element with an index starts a list; a name
    /// seen again turns into (or extends) a list; a subsection name seen again is replaced.
    static func group(_ children: [VMStateNode]) -> [Group] {
        var groups: [Group] = []
        var position: [String: Int] = [:]
        for child in children {
            let isSubsection: Bool
            if case .subsection = child.kind { isSubsection = true } else { isSubsection = false }
            guard let at = position[child.name] else {
                position[child.name] = groups.count
                groups.append(Group(key: child.name, nodes: [child], isList: child.index != nil && !isSubsection))
                continue
            }
            if isSubsection {
                groups[at].nodes = [child]
                groups[at].isList = false
            } else {
                groups[at].nodes.append(child)
                groups[at].isList = true
            }
        }
        return groups
    }

    private func writeRaw(_ section: SectionRecord, _ json: inout PythonJSONWriter) {
        json.beginObject()
        if options.offsets { writeRange(section.body, &json) }
        json.key("data")
        json.string(Hex.spaced(stream.bytes(in: section.body)))
        if let note = Self.extentNote(section.extent) {
            json.key("extent")
            json.string(note)
        }
        json.endObject()
    }

    public static func extentNote(_ extent: SectionRecord.Extent) -> String? {
        switch extent {
        case .parsed, .vmdesc: nil
        case .inferredFromFooter: "inferred: payload ends at the next matching section footer"
        case .inferredFromHeader: "inferred: payload ends at the next plausible section header"
        case .cut: "cut: the stream ends inside the payload"
        }
    }

    // MARK: RAM

    private func writeRAM(_ chunks: [SectionRecord], _ json: inout PythonJSONWriter) -> StreamError? {
        json.beginObject()
        json.key("section sizes")
        json.beginObject()
        var sizes: [(String, UInt64)] = []
        var seen: [String: Int] = [:]
        for chunk in chunks {
            for block in chunk.ram?.blocks ?? [] {
                if let at = seen[block.name] {
                    sizes[at].1 = block.length
                } else {
                    seen[block.name] = sizes.count
                    sizes.append((block.name, block.length))
                }
            }
        }
        for (name, length) in sizes {
            json.key(name)
            json.string("0x" + Hex.pad(length, 16))
        }
        json.endObject()
        var error: StreamError?
        if options.memory {
            json.key("memory")
            json.beginObject()
            error = MemoryDump(stream: stream, chunks: chunks).write(&json)
            json.endObject()
        }
        json.endObject()
        return error
    }

    static func flags(_ label: String) -> RAMFlags {
        var flags = RAMFlags()
        for part in label.split(separator: "|") {
            if let (flag, _) = RAMFlags.names.first(where: { $0.1 == part }) {
                flags.insert(flag)
            } else {
                flags.insert(RAMFlags(rawValue: 1 << 63))
            }
        }
        return flags
    }

    // MARK: configuration and commands (extended output only)

    private func writeConfiguration(_ config: ConfigurationSection, _ json: inout PythonJSONWriter) {
        if let desc = stream.vmdesc?.configuration {
            var reader = ByteReader(
                bytes: stream.bytes, file: stream.path, offset: config.range.lowerBound + 1,
                limit: config.range.upperBound)
            reader.section = "configuration"
            if let tree = try? DeviceDecoder().decodeSection(desc, name: "configuration", reader: &reader) {
                writeStruct(tree, &json)
                return
            }
        }
        json.beginObject()
        json.key("len")
        json.string("0x" + Hex.pad(UInt64(config.machineType.utf8.count), 8))
        json.key("name")
        json.string(config.machineType)
        for sub in config.subsections {
            json.key(sub.name)
            json.beginObject()
            switch sub.value {
            case .targetPageBits(let bits):
                json.key("target_page_bits")
                json.string("0x" + Hex.pad(UInt64(bits), 8))
            case .capabilities(let caps):
                json.key("caps_count")
                json.string("0x" + Hex.pad(UInt64(caps.count), 8))
                json.key("capabilities")
                json.beginArray()
                for cap in caps { json.string(cap) }
                json.endArray()
            case .uuid(let bytes):
                json.key("uuid")
                json.string(bytes.map { Hex.pad(UInt64($0), 2) }.joined(separator: " "))
            case .raw(let range):
                json.key("data")
                json.string(Hex.spaced(stream.bytes(in: range)))
            }
            json.endObject()
        }
        json.endObject()
    }

    private func writeCommand(_ command: MigrationCommand, offset: Int, _ json: inout PythonJSONWriter) {
        json.beginObject()
        json.key("offset")
        json.string("0x" + Hex.pad(UInt64(offset), 8))
        json.key("command")
        json.string(command.name)
        switch command.payload {
        case .none: break
        case .ping(let value):
            json.key("value")
            json.string("0x" + Hex.pad(UInt64(value), 8))
        case .postcopyAdvise(let summary, let target):
            json.key("page_size_summary")
            json.string("0x" + Hex.pad(summary, 16))
            json.key("target_page_size")
            json.string("0x" + Hex.pad(target, 16))
        case .postcopyRAMDiscard(let version, let block, let ranges):
            json.key("version")
            json.string(Hex.byte(version))
            json.key("block")
            json.string(block)
            json.key("ranges")
            json.beginArray()
            for range in ranges {
                json.beginObject()
                json.key("start")
                json.string("0x" + Hex.pad(range.start, 16))
                json.key("length")
                json.string("0x" + Hex.pad(range.length, 16))
                json.endObject()
            }
            json.endArray()
        case .packaged(let length):
            json.key("length")
            json.string("0x" + Hex.pad(UInt64(length), 8))
        case .recvBitmap(let block):
            json.key("block")
            json.string(block)
        case .raw:
            json.key("data")
            json.string(Hex.spaced(stream.bytes(in: command.payloadRange)))
        }
        json.endObject()
    }
}
