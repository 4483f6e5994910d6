/// A C type as x86-64 lays it out: what the simulated heap's structs are made of.
public indirect enum CType: Sendable, Hashable, CustomStringConvertible {
    case integer(bytes: Int, signed: Bool)
    case bool
    case floating(bytes: Int)
    case pointer(CType)
    case array(CType, count: Int)
    /// A struct or union from the `TypeTable`, or one of vmscope's QEMU stand-ins (`QEMUTimer`).
    case named(String)

    public static let void = CType.named("void")

    public var description: String {
        switch self {
        case .integer(let bytes, let signed): (signed ? "int" : "uint") + "\(bytes * 8)_t"
        case .bool: "bool"
        case .floating(let bytes): bytes == 4 ? "float" : "double"
        case .pointer(let pointee): "\(pointee) *"
        case .array(let element, let count): "\(element)[\(count)]"
        case .named(let name): name
        }
    }

    /// The type after one `[]` or one `*`.
    public var elementType: CType? {
        switch self {
        case .pointer(let pointee): pointee
        case .array(let element, _): element
        default: nil
        }
    }

    public var isPointer: Bool {
        if case .pointer = self { true } else { false }
    }
}

/// One member of a laid-out struct.
public struct StructMember: Sendable, Hashable {
    public var name: String
    public var type: CType
    public var offset: Int

    public init(name: String, type: CType, offset: Int) {
        self.name = name
        self.type = type
        self.offset = offset
    }
}

/// A struct or union with C's x86-64 layout: natural alignment, padding, 8-byte pointers.
public struct StructLayout: Sendable, Hashable {
    public var name: String
    public var members: [StructMember]
    public var size: Int
    public var alignment: Int
    public var isUnion: Bool

    public init(name: String, members: [StructMember], size: Int, alignment: Int, isUnion: Bool = false) {
        self.name = name
        self.members = members
        self.size = size
        self.alignment = alignment
        self.isUnion = isUnion
    }

    public func member(named name: String) -> StructMember? {
        members.first { $0.name == name }
    }
}
