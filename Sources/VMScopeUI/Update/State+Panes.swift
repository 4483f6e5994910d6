/// Keys and mouse in the tree and hex panes.
extension State {
    mutating func handleTreeKey(_ key: Key) {
        let page = max(1, layout.tree.height - 3)
        let row = rows.visibleRow(of: selection, in: session.tree)
        switch key {
        case .down, .character("j"): selectRow(row + 1)
        case .up, .character("k"): selectRow(row - 1)
        case .pageDown: selectRow(row + page)
        case .pageUp: selectRow(row - page)
        case .home: selectRow(0)
        case .end: selectRow(rows.count - 1)
        case .enter, .character(" "): toggleCollapsed(rows.rows.isEmpty ? selection : rows.rows[row])
        case .character("l"): setCollapsed(rows.rows.isEmpty ? selection : rows.rows[row], false)
        case .character("h"):
            let node = rows.rows.isEmpty ? selection : rows.rows[row]
            if !session.tree[node].children.isEmpty && !collapsed.contains(node) {
                setCollapsed(node, true)
            } else if session.tree[node].parent >= 0 {
                selection = session.tree[node].parent
            }
        default: break
        }
    }

    mutating func selectRow(_ row: Int) {
        guard !rows.rows.isEmpty else { return }
        selection = rows.rows[max(0, min(row, rows.count - 1))]
        if let span = session.tree[selection].byteSpan { hexCursor = span.lowerBound }
    }

    mutating func toggleCollapsed(_ node: Int32) {
        guard !session.tree[node].children.isEmpty else { return }
        setCollapsed(node, !collapsed.contains(node))
    }

    mutating func setCollapsed(_ node: Int32, _ value: Bool) {
        guard !session.tree[node].children.isEmpty, collapsed.contains(node) != value else { return }
        if value { collapsed.insert(node) } else { collapsed.remove(node) }
        selection = node
        rows = TreeRows(tree: session.tree, collapsed: collapsed)
    }

    /// Selects `node`; with `reveal`, expands its ancestors so it has a row of its own.
    mutating func select(_ node: Int32, reveal: Bool) {
        selection = node
        guard reveal else { return }
        var changed = false
        var current = session.tree[node].parent
        while current >= 0 {
            if collapsed.remove(current) != nil { changed = true }
            current = session.tree[current].parent
        }
        if changed { rows = TreeRows(tree: session.tree, collapsed: collapsed) }
    }

    mutating func handleHexKey(_ key: Key) {
        let geometry = HexGeometry(pane: layout.hex, byteCount: session.displayedOffsetLimit)
        let perRow = geometry.bytesPerRow
        let page = max(1, geometry.visibleRows - 1) * perRow
        switch key {
        case .down, .character("j"): moveHexCursor(hexCursor + perRow)
        case .up, .character("k"): moveHexCursor(hexCursor - perRow)
        case .character("l"): moveHexCursor(hexCursor + 1)
        case .character("h"): moveHexCursor(hexCursor - 1)
        case .pageDown: moveHexCursor(hexCursor + page)
        case .pageUp: moveHexCursor(hexCursor - page)
        case .home: moveHexCursor(0)
        case .end: moveHexCursor(session.bytes.count - 1)
        case .enter: stepToByte(hexCursor)
        default: break
        }
    }

    /// Moves the hex cursor; the tree selects the field that consumed the byte.
    mutating func moveHexCursor(_ offset: Int) {
        guard !session.bytes.isEmpty else { return }
        hexCursor = max(0, min(offset, session.bytes.count - 1))
        let owner = session.owner[hexCursor]
        if owner >= 0 { selection = session.node(ofEvent: Int(owner)) }
    }

    mutating func handleMouse(_ mouse: MouseEvent) {
        if overlay != nil || prompt != nil {
            if mouse.action == .press, case .help = overlay { overlay = nil }
            return
        }
        let layout = self.layout
        guard !layout.tooSmall else { return }
        if layout.tree.contains(x: mouse.x, y: mouse.y) {
            focus = .tree
            let row = rows.visibleRow(of: selection, in: session.tree)
            switch mouse.action {
            case .wheelUp: selectRow(row - 3)
            case .wheelDown: selectRow(row + 3)
            case .press:
                let inner = layout.tree.inset(by: 1)
                guard inner.contains(x: mouse.x, y: mouse.y) else { return }
                let clicked = treeTop + (mouse.y - inner.y)
                guard clicked < rows.count else { return }
                if clicked == row { toggleCollapsed(rows.rows[clicked]) } else { selectRow(clicked) }
            }
        } else if layout.hex.contains(x: mouse.x, y: mouse.y) {
            focus = .hex
            let geometry = HexGeometry(pane: layout.hex, byteCount: session.displayedOffsetLimit)
            switch mouse.action {
            case .wheelUp: moveHexCursor(hexCursor - 3 * geometry.bytesPerRow)
            case .wheelDown: moveHexCursor(hexCursor + 3 * geometry.bytesPerRow)
            case .press:
                if let offset = geometry.offset(atX: mouse.x, y: mouse.y, topRow: hexTop), offset < session.bytes.count
                {
                    moveHexCursor(offset)
                }
            }
        } else if layout.log.contains(x: mouse.x, y: mouse.y) {
            focus = .log
            switch mouse.action {
            case .wheelUp: move(to: step - 1)
            case .wheelDown: move(to: step + 1)
            case .press:
                let inner = layout.log.inset(by: 1)
                guard inner.contains(x: mouse.x, y: mouse.y) else { return }
                let rows = StepLog.rows(self, inner: inner).events
                if let index = rows[safe: mouse.y - inner.y] ?? nil, index < session.eventCount { move(to: index + 1) }
            }
        }
    }
}

/// Which events the step log shows: the current one a third of the way down.
struct StepLogWindow {
    var first: Int
    var count: Int

    init(state: State, height: Int) {
        let total = state.session.eventCount
        let current = state.currentEvent ?? 0
        var first = current - height / 3
        first = max(0, min(first, total - height))
        self.first = max(0, first)
        count = max(0, min(height, total - self.first))
    }
}
