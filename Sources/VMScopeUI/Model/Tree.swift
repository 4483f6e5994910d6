import VMState

/// The VMSD field tree: every VMSD, field, array element, nested struct and subsection of a
/// run, whether the loader reached it or not, with what happened to each and when.
///
/// Nodes are numbered in creation order, so a parent's id is always below its children's:
/// a pass over ids in reverse order is bottom-up.
public struct Tree: Sendable {
    public enum Component: Sendable, Hashable {
        /// A device's top-level VMSD.
        case device(String)
        /// Field `index` of VMSD `vmsd`.
        case field(name: String, vmsd: String, index: Int)
        case element(Int)
        /// A subsection and the VMSD it belongs to.
        case subsection(name: String, parent: String)
    }

    /// What a field node needs for display and the flag editor.
    public struct FieldInfo: Sendable, Hashable {
        public var flags: FieldFlags
        public var info: String?
        public var size: Int
        public var num: Int
        public var versionID: Int
    }

    public struct Node: Sendable {
        public var component: Component
        public var parent: Int32
        public var children: [Int32] = []
        public var depth: Int
        /// Position among the parent's children (colours alternate by it).
        public var ordinal: Int = 0
        public var device: Int
        public var field: FieldInfo?
        /// The VMSD version, for device and subsection nodes.
        public var version: Int?
        // What happened, as global event indices (-1: never). Subtree-wide where marked.
        /// First and last event in the subtree.
        public var firstEvent: Int32 = -1
        public var lastEvent: Int32 = -1
        /// Byte span of the subtree's events (absolute, in the session's byte space).
        public var byteLower = Int.max
        public var byteUpper = Int.min
        public var valueEvent: Int32 = -1
        public var allocEvent: Int32 = -1
        public var nullEvent: Int32 = -1
        public var skipEvent: Int32 = -1
        /// First failure in the subtree.
        public var failEvent: Int32 = -1

        public var byteSpan: Range<Int>? { byteLower < byteUpper ? byteLower..<byteUpper : nil }
        public var isField: Bool { if case .field = component { true } else { false } }
    }

    public internal(set) var nodes: [Node] = []
    /// The top-level node of each device.
    public internal(set) var roots: [Int32] = []

    public var count: Int { nodes.count }

    public subscript(id: Int32) -> Node { nodes[Int(id)] }

    /// `queues`, `[2]`, `nvme-ctrl v1`, `nvme-ctrl/extra`.
    public func name(of id: Int32) -> String {
        switch nodes[Int(id)].component {
        case .device(let name): name
        case .field(let name, _, _): name
        case .element(let index): "[\(index)]"
        case .subsection(let name, _): name
        }
    }

    /// Ancestors from the root down to `id`, inclusive.
    public func chain(of id: Int32) -> [Int32] {
        var result: [Int32] = []
        var current = id
        while current >= 0 {
            result.append(current)
            current = nodes[Int(current)].parent
        }
        return result.reversed()
    }

    /// `nvme-ctrl.queues[2].head`, `dev/extra.a`: the VMSD path QEMU's messages use.
    public func path(of id: Int32) -> String {
        var text = ""
        for node in chain(of: id) {
            switch nodes[Int(node)].component {
            case .device(let name): text += name
            case .field(let name, _, _): text += text.isEmpty ? name : "." + name
            case .element(let index): text += "[\(index)]"
            case .subsection(let name, let parent):
                // As the trace prints it: `dev/extra`, the parent's name left out.
                text += name.hasPrefix(parent + "/") ? "/" + name.dropFirst(parent.count + 1) : "/" + name
            }
        }
        return text
    }

    /// Whether `id` is `ancestor` or below it.
    public func isDescendant(_ id: Int32, of ancestor: Int32) -> Bool {
        var current = id
        while current >= 0 {
            if current == ancestor { return true }
            current = nodes[Int(current)].parent
        }
        return false
    }

    /// The node with the same components in this tree: how the cursor keeps its place across
    /// a re-run. Falls back to the deepest match.
    public func matching(_ components: [Component]) -> Int32? {
        guard let first = components.first, let root = roots.first(where: { nodes[Int($0)].component == first })
        else { return roots.first }
        var current = root
        for component in components.dropFirst() {
            guard let next = nodes[Int(current)].children.first(where: { nodes[Int($0)].component == component }) else {
                break
            }
            current = next
        }
        return current
    }

    public func components(of id: Int32) -> [Component] {
        chain(of: id).map { nodes[Int($0)].component }
    }

    /// What the node's state is once `step` events have fired.
    public func state(of id: Int32, atStep step: Int) -> NodeState {
        let node = nodes[Int(id)]
        let fired = Int32(step)
        if node.failEvent >= 0 && node.failEvent < fired { return .failed }
        if node.nullEvent >= 0 && node.nullEvent < fired { return .null }
        if node.skipEvent >= 0 && node.skipEvent < fired { return .skipped }
        if node.firstEvent < 0 || node.firstEvent >= fired { return .notReached }
        if node.allocEvent >= 0 && node.allocEvent < fired { return .allocated }
        return node.lastEvent < fired ? .loaded : .active
    }
}

/// What the tree shows of a node at a step.
public enum NodeState: Sendable, Hashable {
    case notReached, active, loaded, allocated, null, skipped, failed

    public func glyph(_ glyphs: Glyphs) -> String {
        switch self {
        case .notReached: glyphs.notReached
        case .active: glyphs.active
        case .loaded: glyphs.loaded
        case .allocated: glyphs.allocated
        case .null: glyphs.null
        case .skipped: glyphs.skipped
        case .failed: glyphs.failed
        }
    }

    public var role: Role {
        switch self {
        case .notReached: .dim
        case .active: .text
        case .loaded: .category(.check)
        case .allocated: .category(.allocation)
        case .null: .category(.marker)
        case .skipped: .dim
        case .failed: .category(.failure)
        }
    }
}
