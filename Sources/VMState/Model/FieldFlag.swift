/// One `VMS_*` bit of `enum VMStateFlags`, held symbolically.
///
/// The numbers behind the names differ between QEMU versions and patch series
/// (`VMS_END` is 0x10000 in 7.2 and 0x20000 with AUTO_ALLOC), so a field keeps the
/// names and a `Profile` maps them to numbers.
public enum FieldFlag: String, CaseIterable, Sendable, Hashable, Comparable {
    case single = "VMS_SINGLE"
    case pointer = "VMS_POINTER"
    case array = "VMS_ARRAY"
    case `struct` = "VMS_STRUCT"
    case varrayInt32 = "VMS_VARRAY_INT32"
    case buffer = "VMS_BUFFER"
    case arrayOfPointer = "VMS_ARRAY_OF_POINTER"
    case varrayUInt16 = "VMS_VARRAY_UINT16"
    case vbuffer = "VMS_VBUFFER"
    case multiply = "VMS_MULTIPLY"
    case varrayUInt8 = "VMS_VARRAY_UINT8"
    case varrayUInt32 = "VMS_VARRAY_UINT32"
    case mustExist = "VMS_MUST_EXIST"
    case alloc = "VMS_ALLOC"
    case multiplyElements = "VMS_MULTIPLY_ELEMENTS"
    case vstruct = "VMS_VSTRUCT"
    case arrayOfPointerAutoAlloc = "VMS_ARRAY_OF_POINTER_AUTO_ALLOC"
    case end = "VMS_END"

    /// QEMU's name without the `VMS_` prefix, as written in scenario files.
    public var shortName: String { String(rawValue.dropFirst(4)) }

    /// A compact label for narrow panes (`AOP`, `VARRAY_U32`, ...).
    public var abbreviation: String {
        switch self {
        case .single: "SINGLE"
        case .pointer: "PTR"
        case .array: "ARRAY"
        case .struct: "STRUCT"
        case .varrayInt32: "VARR_I32"
        case .buffer: "BUF"
        case .arrayOfPointer: "AOP"
        case .varrayUInt16: "VARR_U16"
        case .vbuffer: "VBUF"
        case .multiply: "MUL"
        case .varrayUInt8: "VARR_U8"
        case .varrayUInt32: "VARR_U32"
        case .mustExist: "MUST"
        case .alloc: "ALLOC"
        case .multiplyElements: "MUL_EL"
        case .vstruct: "VSTRUCT"
        case .arrayOfPointerAutoAlloc: "AUTO"
        case .end: "END"
        }
    }

    /// Looks a flag up by `VMS_ALLOC` or `ALLOC`.
    public init?(name: String) {
        let full = name.hasPrefix("VMS_") ? name : "VMS_" + name
        guard let flag = FieldFlag(rawValue: full) else { return nil }
        self = flag
    }

    public static func < (lhs: FieldFlag, rhs: FieldFlag) -> Bool { lhs.position < rhs.position }

    /// The flag's place in QEMU's declaration order (and its bit in `FieldFlags`).
    var position: UInt32 {
        switch self {
        case .single: 0
        case .pointer: 1
        case .array: 2
        case .struct: 3
        case .varrayInt32: 4
        case .buffer: 5
        case .arrayOfPointer: 6
        case .varrayUInt16: 7
        case .vbuffer: 8
        case .multiply: 9
        case .varrayUInt8: 10
        case .varrayUInt32: 11
        case .mustExist: 12
        case .alloc: 13
        case .multiplyElements: 14
        case .vstruct: 15
        case .arrayOfPointerAutoAlloc: 16
        case .end: 17
        }
    }
}

/// A set of `VMS_*` flags.
public struct FieldFlags: Sendable, Hashable, Sequence, ExpressibleByArrayLiteral, CustomStringConvertible {
    private var bits: UInt32

    public init() { bits = 0 }
    public init(arrayLiteral elements: FieldFlag...) {
        bits = 0
        for flag in elements { insert(flag) }
    }
    public init<S: Sequence>(_ flags: S) where S.Element == FieldFlag {
        bits = 0
        for flag in flags { insert(flag) }
    }

    private static func bit(_ flag: FieldFlag) -> UInt32 {
        1 << flag.position
    }

    public func contains(_ flag: FieldFlag) -> Bool { bits & Self.bit(flag) != 0 }
    /// True when every flag of `other` is set.
    public func contains(all other: FieldFlags) -> Bool { bits & other.bits == other.bits }
    /// True when any flag of `other` is set.
    public func contains(any other: FieldFlags) -> Bool { bits & other.bits != 0 }
    public mutating func insert(_ flag: FieldFlag) { bits |= Self.bit(flag) }
    public mutating func remove(_ flag: FieldFlag) { bits &= ~Self.bit(flag) }
    public mutating func toggle(_ flag: FieldFlag) { bits ^= Self.bit(flag) }
    public var isEmpty: Bool { bits == 0 }

    public func union(_ other: FieldFlags) -> FieldFlags {
        var result = self
        result.bits |= other.bits
        return result
    }
    public func intersection(_ other: FieldFlags) -> FieldFlags {
        var result = self
        result.bits &= other.bits
        return result
    }
    public func subtracting(_ other: FieldFlags) -> FieldFlags {
        var result = self
        result.bits &= ~other.bits
        return result
    }

    public func makeIterator() -> IndexingIterator<[FieldFlag]> {
        FieldFlag.allCases.filter { contains($0) }.makeIterator()
    }

    /// `POINTER|VARRAY_UINT32|...` in QEMU's declaration order.
    public var description: String {
        isEmpty ? "0" : map(\.shortName).joined(separator: "|")
    }

    /// The count flags in QEMU's priority order: `vmstate_n_elems` takes the first one set.
    public static let countFlags: [FieldFlag] = [.array, .varrayInt32, .varrayUInt32, .varrayUInt16, .varrayUInt8]
}
