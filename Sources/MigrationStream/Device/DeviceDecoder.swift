/// Decodes a device section's payload with its vmdesc description, as analyze-migration.py reads
/// it: fields in order (`array_len` unrolled), each reading `size` bytes or recursing into a
/// struct, then every subsection the description lists (`05`, name, be32 version, fields).
///
/// The description is trusted about which subsections were sent, exactly as the analyzer does.
public struct DeviceDecoder {
    /// Structs and subsections nest at most this deep.
    public static let maximumDepth = 64
    /// More elements than this in one array is taken for a damaged description.
    public static let maximumElements = 1 << 24

    public init() {}

    /// Decodes a section payload starting at `reader.offset` with the device description `desc`
    /// (an object with `fields` and optional `subsections`).
    public func decodeSection(_ desc: JSONValue, name: String, reader: inout ByteReader) throws(StreamError)
        -> VMStateNode
    {
        let (node, failure) = decodeSectionPartially(desc, name: name, reader: &reader)
        if let failure { throw failure }
        return node
    }

    /// Decodes as `decodeSection` does, and keeps what decoded before a failure: the tree then
    /// holds every value read whole, inside the structs and subsections that were open, each
    /// ending at its last whole value; `failure` says where and why the decoding stopped.
    public func decodeSectionPartially(_ desc: JSONValue, name: String, reader: inout ByteReader)
        -> (node: VMStateNode, failure: StreamError?)
    {
        let start = reader.offset
        var children: [VMStateNode] = []
        var failure: StreamError?
        do {
            try decodeStruct(desc, path: "", depth: 0, reader: &reader, into: &children)
        } catch {
            failure = error
        }
        let end = failure == nil ? reader.offset : Self.end(of: children, from: start)
        let node = VMStateNode(
            name: name, type: desc["vmsd_name"]?.string ?? name, kind: .section, range: start..<end,
            children: children)
        return (node, failure)
    }

    /// Where a container that stopped early ends: after its last whole value, or at `start`.
    private static func end(of children: [VMStateNode], from start: Int) -> Int {
        children.last.map { max($0.range.upperBound, start) } ?? start
    }

    /// Appends each value to `nodes` as it decodes, so that a failure leaves what came before.
    private func decodeStruct(
        _ desc: JSONValue, path: String, depth: Int, reader: inout ByteReader, into nodes: inout [VMStateNode]
    ) throws(StreamError) {
        guard depth < Self.maximumDepth else {
            throw .unsupported(reader.location(), message: "vmdesc nests structs deeper than \(Self.maximumDepth)")
        }
        guard let fields = desc["fields"]?.array else {
            throw .unexpected(
                withField(reader, path).location(), expected: "a vmdesc entry with \"fields\"", found: "none")
        }
        for field in fields {
            guard let name = field["name"]?.string, let type = field["type"]?.string else {
                throw .unexpected(
                    withField(reader, path).location(), expected: "a vmdesc field with \"name\" and \"type\"",
                    found: "an entry without them")
            }
            let count = field["array_len"]?.int
            let elements = count.map { max(0, $0) } ?? 1
            // An array_len from a damaged description must not build millions of nodes before
            // the first read fails: check the bytes it needs against what is left up front.
            let elementSize = type == "struct" ? 0 : max(0, field["size"]?.int ?? 0)
            let (needed, overflow) = elements.multipliedReportingOverflow(by: elementSize)
            if !overflow, elements <= Self.maximumElements, needed > reader.remaining, needed <= reader.bytes.count {
                // A size a stream of this length could hold: this one ends early (cut short).
                throw .truncated(
                    withField(reader, path.isEmpty ? name : path + "." + name).location(), needed: needed,
                    available: reader.remaining)
            }
            if overflow || needed > reader.remaining || elements > Self.maximumElements {
                throw .impossibleLength(
                    withField(reader, path.isEmpty ? name : path + "." + name).location(),
                    length: overflow ? UInt64.max : UInt64(max(needed, elements)),
                    limit: UInt64(elementSize == 0 ? Self.maximumElements : reader.remaining))
            }
            for element in 0..<elements {
                let index = count != nil ? element : field["index"]?.int
                let fieldPath = path.isEmpty ? name : path + "." + name
                let elementPath = index.map { "\(fieldPath)[\($0)]" } ?? fieldPath
                try decodeField(
                    field, name: name, type: type, index: index, path: elementPath, depth: depth,
                    reader: &reader, into: &nodes)
            }
        }
        if let subsections = desc["subsections"]?.array {
            for sub in subsections {
                try decodeSubsection(sub, parentPath: path, depth: depth, reader: &reader, into: &nodes)
            }
        }
    }

    private func decodeField(
        _ field: JSONValue, name: String, type: String, index: Int?, path: String, depth: Int,
        reader: inout ByteReader, into nodes: inout [VMStateNode]
    ) throws(StreamError) {
        let start = reader.offset
        if type == "struct" {
            guard let inner = field["struct"] else {
                throw .unexpected(
                    withField(reader, path).location(), expected: "a \"struct\" description", found: "none")
            }
            try decodeNested(inner, path: path, depth: depth + 1, start: start, reader: &reader, into: &nodes) {
                VMStateNode(name: name, type: type, index: index, kind: .structure, range: $1, children: $0)
            }
            return
        }
        guard let size = field["size"]?.int, size >= 0 else {
            throw .unexpected(
                withField(reader, path).location(), expected: "a non-negative \"size\"",
                found: field["size"].map { "\($0)" } ?? "none")
        }
        do throws(StreamError) {
            nodes.append(try decodeLeaf(field, name: name, type: type, index: index, size: size, reader: &reader))
        } catch {
            throw error.within(field: path)
        }
    }

    /// A value of `size` bytes (a capability's counted string, a nullptr marker, a plain field).
    private func decodeLeaf(
        _ field: JSONValue, name: String, type: String, index: Int?, size: Int, reader: inout ByteReader
    ) throws(StreamError) -> VMStateNode {
        let start = reader.offset
        if type == "capability" {
            // A capability name goes on the wire as a counted string (`size` is only the
            // first one's); the analyzer reads it the same way.
            let length = try reader.u8()
            _ = try reader.range(UInt64(length))
            return VMStateNode(name: name, type: type, index: index, kind: .field, range: start..<reader.offset)
        }
        let range = try reader.range(UInt64(size))
        if type == "nullptr" {
            // QEMU writes VMS_NULLPTR_MARKER ('0') for a NULL entry of an array of pointers.
            guard size == 1, reader.bytes[range.lowerBound] == 0x30 else {
                let found = size == 1 ? Hex.byte(reader.bytes[range.lowerBound]) : "\(size) bytes"
                throw StreamError.unexpected(
                    reader.location(at: start), expected: "the nullptr marker 0x30", found: found)
            }
            return VMStateNode(name: name, type: type, index: index, kind: .nullPointer, range: range)
        }
        if type == "bool", size == 0 {
            throw StreamError.unexpected(reader.location(at: start), expected: "a bool of 1 byte", found: "size 0")
        }
        return VMStateNode(name: name, type: type, index: index, kind: .field, range: range)
    }

    private func decodeSubsection(
        _ sub: JSONValue, parentPath: String, depth: Int, reader: inout ByteReader, into nodes: inout [VMStateNode]
    ) throws(StreamError) {
        let start = reader.offset
        let vmsdName = sub["vmsd_name"]?.string ?? "?"
        guard !reader.atEnd else {
            // A payload that runs to the end of the file (no footer delimits it) is cut short here.
            if reader.limit == reader.bytes.count {
                throw .truncated(withField(reader, vmsdName).location(), needed: 1, available: 0)
            }
            throw .unexpected(
                withField(reader, vmsdName).location(), expected: "subsection \(vmsdName) (0x05)",
                found: "the end of the section payload")
        }
        let marker: UInt8
        do {
            marker = try reader.u8()
        } catch {
            throw error.within(field: vmsdName)
        }
        guard marker == SectionType.subsection.rawValue else {
            // analyze-migration.py: "Subsection %s not found at offset %x".
            throw .unexpected(
                withField(reader, vmsdName).location(at: start), expected: "subsection \(vmsdName) (0x05)",
                found: Hex.byte(marker))
        }
        let name: String
        let version: UInt32
        do {
            name = try reader.countedString()
            version = try reader.be32()
        } catch {
            throw error.within(field: vmsdName)
        }
        try decodeNested(sub, path: name, depth: depth + 1, start: start, reader: &reader, into: &nodes) {
            VMStateNode(name: name, type: vmsdName, kind: .subsection(version: version), range: $1, children: $0)
        }
    }

    /// Decodes the fields of a struct or subsection starting at `start` (its header, if any, read
    /// already) and appends the node `make` builds from them; on a failure the node ends at its
    /// last whole value (or its header) and the error goes on.
    private func decodeNested(
        _ desc: JSONValue, path: String, depth: Int, start: Int, reader: inout ByteReader,
        into nodes: inout [VMStateNode], make: ([VMStateNode], Range<Int>) -> VMStateNode
    ) throws(StreamError) {
        let fieldsStart = reader.offset
        var children: [VMStateNode] = []
        do {
            try decodeStruct(desc, path: path, depth: depth, reader: &reader, into: &children)
        } catch {
            nodes.append(make(children, start..<Self.end(of: children, from: fieldsStart)))
            throw error
        }
        nodes.append(make(children, start..<reader.offset))
    }

    private func withField(_ reader: ByteReader, _ path: String) -> ByteReader {
        var copy = reader
        if copy.field.isEmpty { copy.field = path }
        return copy
    }
}
