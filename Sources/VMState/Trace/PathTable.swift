/// Where in the VMSD tree an event happened: `nvme-ctrl.queues[2].head`.
public enum PathComponent: Sendable, Hashable {
    /// The top-level VMSD of a run.
    case vmsd(String)
    /// A field of the enclosing VMSD.
    case field(String)
    /// Element `i` of the enclosing field.
    case element(Int)
    /// A nested VMSD entered through a STRUCT/VSTRUCT/tmp/list element; not printed.
    case nested(String)
    /// A subsection; printed as `/suffix` after its parent (`dev/extra`).
    case subsection(name: String, parent: String)
}

/// An interned path: events share their prefixes instead of each holding a string.
public struct PathID: Sendable, Hashable, Comparable {
    public let raw: Int32
    public static let root = PathID(raw: -1)
    public static func < (lhs: PathID, rhs: PathID) -> Bool { lhs.raw < rhs.raw }
}

public struct PathTable: Sendable, Hashable {
    /// A node stores interned names, so finding a child hashes three integers, not strings.
    private struct Node: Sendable, Hashable {
        var parent: Int32
        var tag: UInt8
        var value: Int32
        var extra: Int32
    }
    private static let vmsdTag: UInt8 = 0
    private static let fieldTag: UInt8 = 1
    private static let elementTag: UInt8 = 2
    private static let nestedTag: UInt8 = 3
    private static let subsectionTag: UInt8 = 4

    private var nodes: [Node] = []
    private var lookup: [Node: Int32] = [:]
    private var names: [String] = []
    private var nameIDs: [String: Int32] = [:]

    public init() {}

    public var count: Int { nodes.count }

    /// The number standing for `name` in this table.
    public mutating func intern(_ name: String) -> Int32 {
        if let id = nameIDs[name] { return id }
        let id = Int32(names.count)
        names.append(name)
        nameIDs[name] = id
        return id
    }

    /// The id of `parent` + `component`, made on first use.
    public mutating func child(of parent: PathID, _ component: PathComponent) -> PathID {
        switch component {
        case .vmsd(let name): return child(of: parent, tag: Self.vmsdTag, value: intern(name))
        case .field(let name): return child(of: parent, tag: Self.fieldTag, value: intern(name))
        case .element(let index): return element(index, of: parent)
        case .nested(let name): return child(of: parent, tag: Self.nestedTag, value: intern(name))
        case .subsection(let name, let parentName):
            return child(of: parent, tag: Self.subsectionTag, value: intern(name), extra: intern(parentName))
        }
    }

    /// The field child whose name was interned as `name`.
    public mutating func field(_ name: Int32, of parent: PathID) -> PathID {
        child(of: parent, tag: Self.fieldTag, value: name)
    }

    public mutating func element(_ index: Int, of parent: PathID) -> PathID {
        child(of: parent, tag: Self.elementTag, value: Int32(truncatingIfNeeded: index))
    }

    private mutating func child(of parent: PathID, tag: UInt8, value: Int32, extra: Int32 = -1) -> PathID {
        let node = Node(parent: parent.raw, tag: tag, value: value, extra: extra)
        if let existing = lookup[node] { return PathID(raw: existing) }
        let id = Int32(nodes.count)
        nodes.append(node)
        lookup[node] = id
        return PathID(raw: id)
    }

    public func parent(of id: PathID) -> PathID {
        id == .root ? .root : PathID(raw: nodes[Int(id.raw)].parent)
    }

    public func component(of id: PathID) -> PathComponent? {
        guard id != .root else { return nil }
        let node = nodes[Int(id.raw)]
        switch node.tag {
        case Self.vmsdTag: return .vmsd(names[Int(node.value)])
        case Self.fieldTag: return .field(names[Int(node.value)])
        case Self.elementTag: return .element(Int(node.value))
        case Self.nestedTag: return .nested(names[Int(node.value)])
        default: return .subsection(name: names[Int(node.value)], parent: names[Int(node.extra)])
        }
    }

    /// The components from the root down to `id`.
    public func components(of id: PathID) -> [PathComponent] {
        var result: [PathComponent] = []
        var current = id
        while current != .root, let component = component(of: current) {
            result.append(component)
            current = parent(of: current)
        }
        return result.reversed()
    }

    /// Whether `id` is `ancestor` or lies below it.
    public func isDescendant(_ id: PathID, of ancestor: PathID) -> Bool {
        var current = id
        while true {
            if current == ancestor { return true }
            if current == .root { return false }
            current = PathID(raw: nodes[Int(current.raw)].parent)
        }
    }

    /// `nvme-ctrl.queues[2].head`, `dev/extra.extra`.
    public func string(_ id: PathID) -> String {
        Self.render(components(of: id))
    }

    public static func render(_ components: [PathComponent]) -> String {
        var text = ""
        for component in components {
            switch component {
            case .vmsd(let name): text += text.isEmpty ? name : "." + name
            case .field(let name): text += text.isEmpty ? name : "." + name
            case .element(let index): text += "[\(index)]"
            case .nested: break
            case .subsection(let name, let parent):
                let suffix = name.hasPrefix(parent + "/") ? String(name.dropFirst(parent.count + 1)) : name
                text += text.isEmpty ? name : "/" + suffix
            }
        }
        return text
    }
}
