/// One decoded piece of a device section, with the bytes it came from.
///
/// A section decodes into a tree: the section node holds fields, structs hold their fields and
/// subsections, leaves hold a byte range whose value is rendered on demand.
public struct VMStateNode: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// A whole device section (the root).
        case section
        /// A leaf value; `type` is the vmdesc type (`"uint32"`, `"buffer"`, `"timer"`...).
        case field
        /// A `"struct"` field: children are the nested VMSD's fields and subsections.
        case structure
        /// A subsection: `05`, name, be32 version, then the subsection's fields.
        case subsection(version: UInt32)
        /// A NULL entry of an array of pointers: the single byte `0x30`.
        case nullPointer
        /// Payload bytes that no description covers (stream without vmdesc, old-style section).
        case raw
    }

    /// The name the analyzer prints: field name, or subsection name as read from the stream.
    public var name: String
    /// vmdesc `type`; `"struct"` for structs, the subsection's vmsd name for subsections.
    public var type: String
    /// Element index for array elements (`array_len` unrolled, or an explicit `index`).
    public var index: Int?
    public var kind: Kind
    /// Absolute byte range in the file. For subsections this includes the `05` header.
    public var range: Range<Int>
    public var children: [VMStateNode]

    public init(
        name: String, type: String, index: Int? = nil, kind: Kind, range: Range<Int>, children: [VMStateNode] = []
    ) {
        self.name = name
        self.type = type
        self.index = index
        self.kind = kind
        self.range = range
        self.children = children
    }

    /// `name[index]` for array elements.
    public var displayName: String { index.map { "\(name)[\($0)]" } ?? name }
}
