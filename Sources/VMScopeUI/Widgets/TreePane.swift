import VMState

/// The VMSD tree: one row a node, with expander, state glyph, name, flags and value.
enum TreePane {
    static func render(_ state: State, into screen: inout Screen, rect: Rect) {
        let session = state.session
        let tree = session.tree
        let focused = state.focus == .tree && state.overlay == nil
        let title =
            "VMSD tree · " + StatusLine.shortName(state.source.displayName)
            + (state.edits.isEmpty ? "" : " (\(state.edits.count) edit\(state.edits.count == 1 ? "" : "s"))")
        PaneFrame.draw(title, focused: focused, state: state, into: &screen, rect: rect)
        let inner = rect.inset(by: 1)
        guard !inner.isEmpty else { return }
        let theme = state.theme
        let glyphs = state.glyphs
        let selectedRow = state.rows.visibleRow(of: state.selection, in: tree)
        let currentRow = state.currentEvent.map { state.rows.visibleRow(of: session.node(ofEvent: $0), in: tree) }
        let breakpoints = Set(state.breakpointNodes)
        for line in 0..<inner.height {
            let rowIndex = state.treeTop + line
            guard rowIndex < state.rows.count else { break }
            let id = state.rows.rows[rowIndex]
            let node = tree[id]
            let y = inner.y + line
            let isSelected = rowIndex == selectedRow
            var x = inner.x
            // Gutter: breakpoint, then the loader's position.
            if breakpoints.contains(id) {
                screen.put(glyphs.breakpoint, x: x, y: y, style: theme.style(.category(.failure)))
            }
            if currentRow == rowIndex {
                screen.put(glyphs.pointer, x: x + 1, y: y, style: theme.style(.stepBytes).with([]))
            }
            x += 2
            x += 2 * min(node.depth, 12)
            let expander =
                node.children.isEmpty ? " " : (state.collapsed.contains(id) ? glyphs.collapsed : glyphs.expanded)
            x = screen.put(expander + " ", x: x, y: y, style: theme.style(.dim), clip: inner)
            let nodeState = tree.state(of: id, atStep: state.step)
            x = screen.put(nodeState.glyph(glyphs) + " ", x: x, y: y, style: theme.style(nodeState.role), clip: inner)
            let nameStyle = nodeState == .notReached ? theme.style(.dim) : theme.style(.text)
            let name = label(of: id, in: tree)
            var end = x + name.terminalWidth
            x = screen.put(name, x: x, y: y, style: nameStyle.with(node.isField ? [] : [.bold]), clip: inner)
            for (text, role) in details(of: id, state: state, nodeState: nodeState) {
                end += 1 + text.terminalWidth
                x = screen.put(" " + text, x: x, y: y, style: theme.style(role), clip: inner)
            }
            // A row cut by the pane says so.
            if end > inner.maxX { screen.put(glyphs.ellipsis, x: inner.maxX - 1, y: y, style: theme.style(.dim)) }
            if isSelected {
                let role: Role = focused ? .selection : .unfocusedSelection
                let selected = theme.style(role)
                screen.restyle(Rect(x: inner.x + 2, y: y, width: inner.width - 2, height: 1)) { style in
                    style.background = selected.background
                    style.attributes.formUnion(selected.attributes)
                    if state.theme.mode == .color, focused { style.foreground = selected.foreground }
                }
            }
        }
        if state.rows.count > inner.height {
            let position =
                "\(state.treeTop + 1)-\(min(state.rows.count, state.treeTop + inner.height))/\(state.rows.count)"
            screen.put(
                " " + position + " ", x: rect.maxX - position.count - 4, y: rect.maxY - 1, style: theme.style(.dim))
        }
    }

    static func label(of id: Int32, in tree: Tree) -> String {
        let node = tree[id]
        switch node.component {
        case .device(let name): return name + (node.version.map { " v\($0)" } ?? "")
        case .subsection(let name, let parent):
            return "/" + (name.hasPrefix(parent + "/") ? String(name.dropFirst(parent.count + 1)) : name)
        default: return tree.name(of: id)
        }
    }

    /// The flags a pointer-array review turns on, first, so that a narrow pane cuts the others.
    static let leadingFlags: [FieldFlag] = [.arrayOfPointer, .alloc, .arrayOfPointerAutoAlloc]

    /// Type, flags, value and what happened, each with its role.
    static func details(of id: Int32, state: State, nodeState: NodeState) -> [(String, Role)] {
        let session = state.session
        let node = session.tree[id]
        var parts: [(String, Role)] = []
        if case .device = node.component, let summary = session.devices[node.device].summary {
            parts.append((summary, .dim))
        }
        if let field = node.field {
            let isScalar = field.flags.subtracting([.single]).isEmpty
            if let info = field.info, isScalar { parts.append((info, .dim)) }
            let shown = field.flags.subtracting([.single])
            let ordered = leadingFlags.filter { shown.contains($0) } + shown.filter { !leadingFlags.contains($0) }
            let flags = ordered.map(\.abbreviation).joined(separator: "|")
            if !flags.isEmpty { parts.append(("[" + flags + "]", .dim)) }
        }
        if node.valueEvent >= 0, node.valueEvent < state.step {
            switch session.event(Int(node.valueEvent)).kind {
            case .valueRead(_, let value, _), .valueWritten(_, let value, _): parts.append(("= " + value.short, .text))
            default: break
            }
        }
        switch nodeState {
        case .null: parts.append(("NULL", .category(.marker)))
        case .allocated:
            if case .allocation(_, let size, let zeroed, _, _) = session.event(Int(node.allocEvent)).kind {
                parts.append(("alloc \(size)B" + (zeroed ? " zeroed" : ""), .category(.allocation)))
            }
        case .skipped: parts.append(("skipped", .dim))
        case .failed:
            if node.failEvent >= 0, session.node(ofEvent: Int(node.failEvent)) == id {
                parts.append(("FAILED", .category(.failure)))
            }
        default: break
        }
        if node.children.count > 0, case .field = node.component, state.collapsed.contains(id) {
            parts.append(("(\(node.children.count))", .dim))
        }
        return parts
    }
}
