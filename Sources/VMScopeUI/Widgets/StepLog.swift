import VMState

/// The events around the current step: step number, offset, bytes, path, what happened. The one
/// that just fired is marked and bold.
enum StepLog {
    static func render(_ state: State, into screen: inout Screen, rect: Rect) {
        let session = state.session
        let focused = state.focus == .log && state.overlay == nil
        PaneFrame.draw(
            "step log \(state.step)/\(session.eventCount)", focused: focused, state: state, into: &screen, rect: rect)
        let inner = rect.inset(by: 1)
        guard !inner.isEmpty else { return }
        let theme = state.theme
        let glyphs = state.glyphs
        let window = StepLogWindow(state: state, height: inner.height)
        let stepDigits = max(2, String(session.eventCount).count)
        let offsetDigits = max(4, String(max(0, session.displayedOffsetLimit - 1), radix: 16).count)
        let wide = inner.width >= 90
        let byteColumns = wide ? 12 : 0
        // Narrow panes leave the path to the tree and the status line.
        let pathWidth = wide ? min(34, inner.width / 4) : (inner.width >= 60 ? inner.width / 3 : 0)
        for line in 0..<window.count {
            let index = window.first + line
            let event = session.event(index)
            let y = inner.y + line
            let isCurrent = index == state.currentEvent
            var x = inner.x
            let role = EventText.role(event.kind)
            var base = theme.style(role)
            if event.kind.category == .structure { base = theme.style(.text) }
            if index >= state.step { base = theme.style(.dim) }
            if isCurrent { base.attributes.insert(.bold) }
            x = screen.put(
                isCurrent ? glyphs.pointer : " ", x: x, y: y, style: theme.style(.category(.failure)).with([.bold]),
                clip: inner)
            x = screen.put(
                String(index + 1).leftPadded(to: stepDigits) + " ", x: x + 1, y: y, style: theme.style(.dim),
                clip: inner)
            let offset =
                event.bytes.isEmpty
                ? String(repeating: " ", count: offsetDigits)
                : String(session.displayOffset(event.bytes.lowerBound), radix: 16).leftPadded(to: offsetDigits)
                    .replacingSpaces(with: "0")
            x = screen.put(offset + " ", x: x, y: y, style: theme.style(.offset), clip: inner)
            if wide {
                let bytes =
                    session.bytes[safe: event.bytes].prefix(4).map { FieldValue.hex(UInt64($0), digits: 2) }
                    .joined(separator: " ") + (event.bytes.count > 4 ? glyphs.ellipsis : "")
                x = screen.put(bytes.padded(to: byteColumns) + " ", x: x, y: y, style: theme.style(.dim), clip: inner)
            }
            if pathWidth > 0 {
                let path = session.path(ofEvent: index)
                x = screen.put(
                    path.truncatedLeft(to: pathWidth, ellipsis: glyphs.ellipsis).padded(to: pathWidth) + " ",
                    x: x, y: y, style: isCurrent ? theme.style(.text).with([.bold]) : theme.style(.dim), clip: inner)
            }
            let room = inner.maxX - x
            var text = EventText.describe(event.kind, compact: !wide)
            if text.terminalWidth > room, wide { text = EventText.describe(event.kind, compact: true) }
            screen.put(text.truncated(to: room, ellipsis: glyphs.ellipsis), x: x, y: y, style: base, clip: inner)
            if isCurrent {
                let highlight = theme.style(focused ? .unfocusedSelection : .unfocusedSelection)
                screen.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1)) { style in
                    if highlight.background != .default { style.background = highlight.background }
                    style.attributes.formUnion(highlight.attributes)
                }
            }
        }
        if session.eventCount == 0 {
            screen.put("no events", x: inner.x, y: inner.y, style: theme.style(.dim), clip: inner)
        } else if state.step == 0, window.count < inner.height {
            screen.put(
                "press n to step", x: inner.x + 1, y: inner.y + window.count, style: theme.style(.dim), clip: inner)
        }
    }
}
