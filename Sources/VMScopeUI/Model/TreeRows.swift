/// The rows the tree pane can show: nodes in depth-first order, skipping the insides of
/// collapsed nodes. Rebuilt only when something is expanded or collapsed, never on a step.
public struct TreeRows: Sendable {
    public private(set) var rows: [Int32] = []
    /// Row of each node, -1 when hidden inside a collapsed ancestor.
    public private(set) var rowOf: [Int32] = []

    public init() {}

    public init(tree: Tree, collapsed: Set<Int32>) {
        rowOf = [Int32](repeating: -1, count: tree.count)
        rows.reserveCapacity(min(tree.count, 1 << 20))
        var stack: [Int32] = tree.roots.reversed()
        while let node = stack.popLast() {
            rowOf[Int(node)] = Int32(rows.count)
            rows.append(node)
            if !collapsed.contains(node) {
                stack.append(contentsOf: tree[node].children.reversed())
            }
        }
    }

    public var count: Int { rows.count }

    /// The node itself when shown, else its nearest shown ancestor.
    public func visibleRow(of node: Int32, in tree: Tree) -> Int {
        var current = node
        // An empty tree (nothing to run) has no row 0 either; callers clamp to the row count.
        while current >= 0, Int(current) < tree.count {
            if Int(current) < rowOf.count, rowOf[Int(current)] >= 0 { return Int(rowOf[Int(current)]) }
            current = tree[current].parent
        }
        return 0
    }
}
