import VMState

/// The events around the current step: step number, offset, bytes, path, what happened. The one
/// that just fired is marked and bold; when it is a failure whose message does not fit, the rest
/// of the message takes the rows under it.
enum StepLog {
    /// Where the columns of a row start, for a pane's inner rectangle.
    struct Columns {
        var stepDigits: Int
        var offsetDigits: Int
        var wide: Bool
        var byteColumns: Int
        var pathWidth: Int

        init(state: State, inner: Rect) {
            let session = state.session
            stepDigits = max(2, String(session.eventCount).count)
            offsetDigits = max(4, String(max(0, session.displayedOffsetLimit - 1), radix: 16).count)
            wide = inner.width >= 90
            byteColumns = wide ? 12 : 0
            // Narrow panes leave the path to the tree and the status line.
            pathWidth = wide ? min(34, inner.width / 4) : (inner.width >= 60 ? inner.width / 3 : 0)
        }

        /// Columns before the event text: marker, step, offset, bytes, path.
        var textOffset: Int {
            2 + stepDigits + 1 + offsetDigits + 1 + (wide ? byteColumns + 1 : 0) + (pathWidth > 0 ? pathWidth + 1 : 0)
        }
    }

    /// Rows at most given to the rest of a failure's message.
    static let maxContinuationRows = 4

    /// The pane's rows: an event index, or nil for a row that continues the current failure.
    static func rows(_ state: State, inner: Rect) -> (events: [Int?], continuation: [String]) {
        let columns = Columns(state: state, inner: inner)
        var continuation: [String] = []
        if let current = state.currentEvent, state.session.event(current).kind.isFailure {
            let room = inner.width - columns.textOffset
            let text = EventText.describe(state.session.event(current).kind, compact: !columns.wide)
            if room > 10, text.terminalWidth > room {
                let lines = wrapWords(text, width: room)
                continuation = Array(lines.dropFirst().prefix(min(maxContinuationRows, max(0, inner.height - 2))))
            }
        }
        let window = StepLogWindow(state: state, height: inner.height - continuation.count)
        var events: [Int?] = []
        for line in 0..<window.count {
            let index = window.first + line
            events.append(index)
            if index == state.currentEvent { events += continuation.map { _ in nil } }
        }
        return (events, continuation)
    }

    static func render(_ state: State, into screen: inout Screen, rect: Rect) {
        let session = state.session
        let focused = state.focus == .log && state.overlay == nil
        PaneFrame.draw(
            "step log \(state.step)/\(session.eventCount)", focused: focused, state: state, into: &screen, rect: rect)
        let inner = rect.inset(by: 1)
        guard !inner.isEmpty else { return }
        let theme = state.theme
        let glyphs = state.glyphs
        let columns = Columns(state: state, inner: inner)
        let (rows, continuation) = Self.rows(state, inner: inner)
        var continued = 0
        for (line, row) in rows.enumerated() {
            let y = inner.y + line
            guard let index = row else {
                // The rest of the current failure's message, under its text column.
                let style = theme.style(.category(.failure)).with([.bold])
                screen.put(continuation[continued], x: inner.x + columns.textOffset, y: y, style: style, clip: inner)
                continued += 1
                continue
            }
            let event = session.event(index)
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
                String(index + 1).leftPadded(to: columns.stepDigits) + " ", x: x + 1, y: y,
                style: theme.style(.dim), clip: inner)
            let offset =
                event.bytes.isEmpty
                ? String(repeating: " ", count: columns.offsetDigits)
                : String(session.displayOffset(event.bytes.lowerBound), radix: 16)
                    .leftPadded(to: columns.offsetDigits).replacingSpaces(with: "0")
            x = screen.put(offset + " ", x: x, y: y, style: theme.style(.offset), clip: inner)
            if columns.wide {
                let bytes =
                    session.bytes[safe: event.bytes].prefix(4).map { FieldValue.hex(UInt64($0), digits: 2) }
                    .joined(separator: " ") + (event.bytes.count > 4 ? glyphs.ellipsis : "")
                x = screen.put(
                    bytes.padded(to: columns.byteColumns) + " ", x: x, y: y, style: theme.style(.dim), clip: inner)
            }
            if columns.pathWidth > 0 {
                let path = session.path(ofEvent: index)
                x = screen.put(
                    path.truncatedLeft(to: columns.pathWidth, ellipsis: glyphs.ellipsis).padded(to: columns.pathWidth)
                        + " ",
                    x: x, y: y, style: isCurrent ? theme.style(.text).with([.bold]) : theme.style(.dim), clip: inner)
            }
            let room = inner.maxX - x
            var text = EventText.describe(event.kind, compact: !columns.wide)
            if isCurrent, !continuation.isEmpty {
                text = wrapWords(text, width: room).first ?? text
            } else if text.terminalWidth > room, columns.wide {
                text = EventText.describe(event.kind, compact: true)
            }
            screen.put(text.truncated(to: room, ellipsis: glyphs.ellipsis), x: x, y: y, style: base, clip: inner)
            if isCurrent {
                let highlight = theme.style(.unfocusedSelection)
                screen.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1)) { style in
                    if highlight.background != .default { style.background = highlight.background }
                    style.attributes.formUnion(highlight.attributes)
                }
            }
        }
        if session.eventCount == 0 {
            screen.put("no events", x: inner.x, y: inner.y, style: theme.style(.dim), clip: inner)
        } else if state.step == 0, rows.count < inner.height {
            screen.put(
                "press n to step", x: inner.x + 1, y: inner.y + rows.count, style: theme.style(.dim), clip: inner)
        }
    }
}
