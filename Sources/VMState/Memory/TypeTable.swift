/// Struct layouts by name, with QEMU's opaque types already present.
public struct TypeTable: Sendable, Hashable {
    public private(set) var layouts: [String: StructLayout]
    /// Names in declaration order, for listings.
    public private(set) var order: [String]

    public init() {
        layouts = [:]
        order = []
        for layout in Self.qemuTypes { add(layout) }
    }

    public subscript(name: String) -> StructLayout? { layouts[name] }

    public mutating func add(_ layout: StructLayout) {
        if layouts[layout.name] == nil { order.append(layout.name) }
        layouts[layout.name] = layout
    }

    public enum LayoutError: Error, Equatable, CustomStringConvertible {
        case unknownType(String)
        case duplicateMember(String)
        public var description: String {
            switch self {
            case .unknownType(let name): "unknown type '\(name)'"
            case .duplicateMember(let name): "member '\(name)' declared twice"
            }
        }
    }

    /// Lays out `members` with C rules and adds the result.
    @discardableResult
    public mutating func define(
        _ name: String, members: [(name: String, type: CType)], isUnion: Bool = false
    ) throws -> StructLayout {
        var placed: [StructMember] = []
        var offset = 0
        var alignment = 1
        var size = 0
        for member in members {
            if placed.contains(where: { $0.name == member.name }) { throw LayoutError.duplicateMember(member.name) }
            let memberSize = try self.size(of: member.type)
            let memberAlign = try self.alignment(of: member.type)
            alignment = max(alignment, memberAlign)
            if isUnion {
                placed.append(StructMember(name: member.name, type: member.type, offset: 0))
                size = max(size, memberSize)
            } else {
                offset = Self.align(offset, to: memberAlign)
                placed.append(StructMember(name: member.name, type: member.type, offset: offset))
                offset += memberSize
                size = offset
            }
        }
        let layout = StructLayout(
            name: name, members: placed, size: Self.align(size, to: alignment), alignment: alignment, isUnion: isUnion)
        add(layout)
        return layout
    }

    public func size(of type: CType) throws -> Int {
        switch type {
        case .integer(let bytes, _): return bytes
        case .bool: return 1
        case .floating(let bytes): return bytes
        case .pointer: return 8
        case .array(let element, let count): return try size(of: element) * count
        case .named(let name):
            guard let layout = layouts[name] else { throw LayoutError.unknownType(name) }
            return layout.size
        }
    }

    public func alignment(of type: CType) throws -> Int {
        switch type {
        case .integer(let bytes, _): return bytes
        case .bool: return 1
        case .floating(let bytes): return bytes
        case .pointer: return 8
        case .array(let element, _): return try alignment(of: element)
        case .named(let name):
            guard let layout = layouts[name] else { throw LayoutError.unknownType(name) }
            return layout.alignment
        }
    }

    static func align(_ value: Int, to alignment: Int) -> Int {
        alignment <= 1 ? value : (value + alignment - 1) / alignment * alignment
    }

    /// Finds the member at `path` (`env.regs`, `queue.head`) inside `type`, following nested
    /// structs (not pointers): its offset from the start of `type` and its type.
    public func locate(path: [String], in type: String) -> (offset: Int, type: CType)? {
        var offset = 0
        var current = CType.named(type)
        for component in path {
            guard case .named(let name) = current, let layout = layouts[name],
                let member = layout.member(named: component)
            else { return nil }
            offset += member.offset
            current = member.type
        }
        return (offset, current)
    }

    /// vmscope's stand-ins for QEMU's opaque types: enough layout for the infos that touch them.
    static let qemuTypes: [StructLayout] = [
        // QEMUTimer: expire_time first; the rest (timer list, callback, opaque, next, attributes,
        // scale) only takes space.
        StructLayout(
            name: "QEMUTimer",
            members: [StructMember(name: "expire_time", type: .integer(bytes: 8, signed: true), offset: 0)],
            size: 48, alignment: 8),
        // QTAILQ_HEAD: tqh_first, tqh_circ.tql_prev.
        StructLayout(
            name: "QTAILQ_HEAD",
            members: [
                StructMember(name: "tqh_first", type: .pointer(.void), offset: 0),
                StructMember(name: "tql_prev", type: .pointer(.void), offset: 8),
            ], size: 16, alignment: 8),
        // QTAILQ_ENTRY: tqe_next, tqe_circ.tql_prev.
        StructLayout(
            name: "QTAILQ_ENTRY",
            members: [
                StructMember(name: "tqe_next", type: .pointer(.void), offset: 0),
                StructMember(name: "tql_prev", type: .pointer(.void), offset: 8),
            ], size: 16, alignment: 8),
        StructLayout(
            name: "QLIST_HEAD",
            members: [StructMember(name: "lh_first", type: .pointer(.void), offset: 0)], size: 8, alignment: 8),
        StructLayout(
            name: "QLIST_ENTRY",
            members: [
                StructMember(name: "le_next", type: .pointer(.void), offset: 0),
                StructMember(name: "le_prev", type: .pointer(.void), offset: 8),
            ], size: 16, alignment: 8),
        // GTree is opaque in GLib; vmscope keeps it as a node count and a list of nodes in
        // insertion order.
        StructLayout(
            name: "GTree",
            members: [
                StructMember(name: "nnodes", type: .integer(bytes: 8, signed: false), offset: 0),
                StructMember(name: "first", type: .pointer(.named("GTreeNode")), offset: 8),
                StructMember(name: "last", type: .pointer(.named("GTreeNode")), offset: 16),
            ], size: 24, alignment: 8),
        StructLayout(
            name: "GTreeNode",
            members: [
                StructMember(name: "key", type: .pointer(.void), offset: 0),
                StructMember(name: "value", type: .pointer(.void), offset: 8),
                StructMember(name: "next", type: .pointer(.named("GTreeNode")), offset: 16),
            ], size: 24, alignment: 8),
        StructLayout(
            name: "GByteArray",
            members: [
                StructMember(name: "data", type: .pointer(.integer(bytes: 1, signed: false)), offset: 0),
                StructMember(name: "len", type: .integer(bytes: 4, signed: false), offset: 8),
            ], size: 16, alignment: 8),
        StructLayout(
            name: "CPU_DoubleU",
            members: [
                StructMember(name: "d", type: .floating(bytes: 8), offset: 0),
                StructMember(name: "ll", type: .integer(bytes: 8, signed: false), offset: 0),
            ], size: 8, alignment: 8, isUnion: true),
        StructLayout(name: "void", members: [], size: 1, alignment: 1),
    ]
}
