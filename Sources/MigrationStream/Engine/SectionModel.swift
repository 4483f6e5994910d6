import VMState

/// A device section of a real stream as engine input: VMSDs rebuilt from its vmdesc entry, a C
/// layout made from the field sizes, and a zeroed destination struct to load into.
public struct SectionModel: Sendable {
    public var definitions: Definitions
    public var heap: Heap
    public var opaque: UInt64
    /// The section's top-level VMSD.
    public var vmsd: String

    /// The load runs at the version the section's header carries.
    public init(definitions: Definitions, heap: Heap, opaque: UInt64, vmsd: String) {
        self.definitions = definitions
        self.heap = heap
        self.opaque = opaque
        self.vmsd = vmsd
    }
}

extension MigrationStream {
    /// The engine's view of `section`, from its vmdesc entry.
    public func model(for section: SectionRecord, limits: EngineLimits = .standard) throws(StreamError)
        -> SectionModel
    {
        let location = StreamError.Location(
            file: path, offset: section.body.lowerBound, section: section.header.analyzeKey)
        guard section.ram == nil, let description = description(for: section) else {
            throw .unsupported(location, message: "the section has no vmdesc description to step it with")
        }
        var converter = VMDescConverter(location: location)
        let name = try converter.vmsd(from: description, depth: 0)
        let structType = converter.definitions[name]?.structType ?? name
        var definitions = converter.definitions
        definitions.types = converter.types
        var heap = Heap()
        let size = (try? converter.types.size(of: .named(structType))) ?? 1
        // The struct is laid out from the vmdesc's sizes: a hostile one could ask for any amount.
        let limit = limits.maxAllocation
        guard size <= limit else {
            throw .unsupported(
                location,
                message: "the vmdesc lays the device out in 0x\(String(size, radix: 16)) bytes, "
                    + "more than the 0x\(String(limit, radix: 16)) vmscope simulates")
        }
        guard
            let root = heap.allocate(size: max(size, 1), type: .named(structType), zeroed: true, origin: .initialState)
        else { throw .unsupported(location, message: "cannot allocate the device struct") }
        return SectionModel(definitions: definitions, heap: heap, opaque: root.base, vmsd: name)
    }

    /// Steps `section` through the engine: every field, element and subsection as trace events
    /// with absolute byte offsets. The stream goes on past the section (footer, next section) as
    /// the loader's subsection peek sees it in QEMU.
    public func loadTrace(
        _ section: SectionRecord, profile: Profile = .qemu72, limits: EngineLimits = .standard
    ) throws(StreamError) -> Trace {
        let model = try model(for: section, limits: limits)
        let end = min(file.count, section.body.upperBound + 512)
        let bytes = Array(self.bytes(in: section.body.lowerBound..<end))
        return Engine.load(
            model.vmsd, definitions: model.definitions, stream: bytes, streamBase: section.body.lowerBound,
            heap: model.heap, opaque: model.opaque, version: Int(section.header.versionID), profile: profile,
            limits: limits)
    }
}

/// Turns vmdesc objects (`{"vmsd_name", "version", "fields", "subsections"}`) into VMSDs and
/// struct layouts. Leaves the engine can interpret (integers, bool, NULL markers) keep their
/// type; everything else is read as `size` raw bytes, as analyze-migration.py does.
///
/// A subsection loads into its parent's struct, so each VMSD's struct ends with room for its
/// subsections, and a subsection's field offsets are shifted to where that room is.
struct VMDescConverter {
    var definitions = Definitions()
    var types = TypeTable()
    let location: StreamError.Location
    static let maxDepth = 64

    init(location: StreamError.Location) {
        self.location = location
    }

    /// A VMSD laid out on its own, before its place in the opaque is known.
    struct Built {
        var name: String
        var version: Int
        var fields: [VMStateField]
        var subsections: [(built: Built, offset: Int)]
        var structName: String
    }

    /// Builds and registers the VMSD of `object` (a device entry or a struct's description).
    mutating func vmsd(from object: JSONValue, depth: Int) throws(StreamError) -> String {
        let built = try build(object, depth: depth)
        return register(built, base: 0, keepName: false)
    }

    private mutating func build(_ object: JSONValue, depth: Int) throws(StreamError) -> Built {
        guard depth < Self.maxDepth else {
            throw .unsupported(location, message: "vmdesc structs nested deeper than \(Self.maxDepth)")
        }
        // 7.2 describes a pointer array whose first entry is NULL as `"struct": {}`: nothing to
        // step with, which the trace then shows.
        let name = object["vmsd_name"]?.string ?? "(undescribed)"
        var fields: [VMStateField] = []
        var members: [(name: String, type: CType)] = []
        for (position, entry) in (object["fields"]?.array ?? []).enumerated() {
            let (field, type) = try self.field(from: entry, depth: depth)
            members.append(("m\(position)", type))
            fields.append(field)
        }
        var subsections: [Built] = []
        for (position, subsection) in (object["subsections"]?.array ?? []).enumerated() {
            let built = try build(subsection, depth: depth + 1)
            subsections.append(built)
            let size = (try? types.size(of: .named(built.structName))) ?? 0
            members.append(("s\(position)", .array(.integer(bytes: 1, signed: false), count: max(size, 1))))
        }
        // Each description gets its own struct: two descriptions of one VMSD may differ.
        let structName = "vmdesc:\(name)#\(types.order.count)"
        let layout: StructLayout
        do {
            layout = try types.define(structName, members: members)
        } catch {
            throw .unsupported(location, message: "vmdesc of \(name): \(error)")
        }
        for index in fields.indices { fields[index].offset = layout.members[index].offset }
        let placed = subsections.enumerated().map { ($0.element, layout.members[fields.count + $0.offset].offset) }
        return Built(
            name: name, version: object["version"]?.int ?? 0, fields: fields, subsections: placed,
            structName: structName)
    }

    /// Adds `built` and its subsections, with field offsets counted from the opaque, and
    /// returns the name it is registered under. Subsections keep their names (the loader finds
    /// them by the name on the wire; a second description of one keeps the first). Another
    /// VMSD whose name is taken, such as vga's nested "vga" struct, gets a `#2` suffix.
    @discardableResult
    private mutating func register(_ built: Built, base: Int, keepName: Bool) -> String {
        var name = built.name
        if let existing = definitions[name] {
            // The same VMSD described again (elements of a non-compressible array) is reused,
            // so its name still prefixes its subsections' names.
            if keepName || Self.sameShape(existing, built) { return name }
            var copy = 2
            while definitions["\(built.name)#\(copy)"] != nil { copy += 1 }
            name = "\(built.name)#\(copy)"
        }
        var fields = built.fields
        for index in fields.indices { fields[index].offset += base }
        for (subsection, offset) in built.subsections {
            register(subsection, base: base + offset, keepName: true)
        }
        definitions.add(
            VMStateDescription(
                name: name, versionID: built.version, minimumVersionID: 0, fields: fields,
                subsections: built.subsections.map(\.built.name), structType: built.structName))
        return name
    }

    static func plain(_ info: VMStateInfo) -> VMStateInfo {
        switch info {
        case .int32Equal, .int32LE: .int32
        case .uint8Equal: .uint8
        case .uint16Equal: .uint16
        case .uint32Equal: .uint32
        case .uint64Equal: .uint64
        default: info
        }
    }

    /// Whether `built` describes the same fields and subsections as `existing`.
    static func sameShape(_ existing: VMStateDescription, _ built: Built) -> Bool {
        existing.subsections == built.subsections.map(\.built.name)
            && existing.fields.map { [$0.name, $0.info?.name ?? "", "\($0.num)", "\($0.size)"] }
                == built.fields.map { [$0.name, $0.info?.name ?? "", "\($0.num)", "\($0.size)"] }
    }

    /// One vmdesc field entry: the VMStateField that reads it and the C type that holds it.
    private mutating func field(from entry: JSONValue, depth: Int) throws(StreamError) -> (VMStateField, CType) {
        // As the decoder: an entry without these is a damaged vmdesc, not a field to guess at.
        guard let name = entry["name"]?.string, let type = entry["type"]?.string else {
            throw .unexpected(
                location, expected: "a vmdesc field with \"name\" and \"type\"", found: "an entry without them")
        }
        let size = max(0, entry["size"]?.int ?? 0)
        let count = entry["array_len"]?.int
        var field = VMStateField(name: name, size: size, flags: [.single])
        var memberType: CType
        switch type {
        case "struct", "vstruct":
            // A vstruct writes its VMSD's keys into the entry itself.
            let nested = type == "struct" ? entry["struct"] ?? .object([]) : entry
            let built = try build(nested, depth: depth + 1)
            let registered = register(built, base: 0, keepName: false)
            field.vmsd = registered
            field.flags = [.struct]
            memberType = .named(built.structName)
            field.size = (try? types.size(of: memberType)) ?? 0
        case "nullptr":
            field.info = .nullptr
            memberType = .integer(bytes: 1, signed: false)
        case "ptr-marker":
            // 2026: 0x30 for NULL, 0x31 before a valid element (whose entry follows).
            field.info = .opaque("ptr-marker")
            memberType = .integer(bytes: 1, signed: false)
        default:
            // With no destination device to compare with, `*_equal` and `int32 le` fields are
            // read as the plain integers they carry.
            let info = Self.plain(VMStateInfo(name: type))
            if let width = info.integerWidth, width == size, info != .cpuDouble, info != .float64 {
                field.info = info
                memberType = info == .bool ? .bool : .integer(bytes: width, signed: info.isSigned)
            } else {
                field.info = .opaque(type)
                memberType = .array(.integer(bytes: 1, signed: false), count: max(size, 1))
            }
        }
        // An array whose elements the vmdesc lists one by one: this entry is element `index`.
        if count == nil { field.listedIndex = entry["index"]?.int }
        if let count, count > 1 {
            guard count <= 1 << 20 else {
                throw .impossibleLength(location, length: UInt64(count), limit: 1 << 20)
            }
            field.flags.remove(.single)
            field.flags.insert(.array)
            field.num = count
            memberType = .array(memberType, count: count)
        }
        return (field, memberType)
    }
}
