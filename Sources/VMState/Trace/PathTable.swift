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
    private struct Node: Sendable, Hashable {
        var parent: PathID
        var component: PathComponent
    }
    private var nodes: [Node] = []
    private var lookup: [Node: PathID] = [:]

    public init() {}

    public var count: Int { nodes.count }

    /// The id of `parent` + `component`, made on first use.
    public mutating func child(of parent: PathID, _ component: PathComponent) -> PathID {
        let node = Node(parent: parent, component: component)
        if let existing = lookup[node] { return existing }
        let id = PathID(raw: Int32(nodes.count))
        nodes.append(node)
        lookup[node] = id
        return id
    }

    public func parent(of id: PathID) -> PathID {
        id == .root ? .root : nodes[Int(id.raw)].parent
    }

    public func component(of id: PathID) -> PathComponent? {
        id == .root ? nil : nodes[Int(id.raw)].component
    }

    /// The components from the root down to `id`.
    public func components(of id: PathID) -> [PathComponent] {
        var result: [PathComponent] = []
        var current = id
        while current != .root {
            let node = nodes[Int(current.raw)]
            result.append(node.component)
            current = node.parent
        }
        return result.reversed()
    }

    /// Whether `id` is `ancestor` or lies below it.
    public func isDescendant(_ id: PathID, of ancestor: PathID) -> Bool {
        var current = id
        while true {
            if current == ancestor { return true }
            if current == .root { return false }
            current = nodes[Int(current.raw)].parent
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
