import VMState

/// The byte stream: offset, hex, ASCII. Bytes take their field's colour once read; the current
/// step's bytes are lit; the selected node and up to three enclosing nodes (element, struct,
/// section) are nested background layers, as ksv does; markers and the failure byte stand out.
enum HexPane {
    /// The byte ranges of the nested highlight, innermost first: the selected node and the
    /// enclosing nodes whose spans differ, four at most.
    static func nestedSpans(_ state: State) -> [Range<Int>] {
        let tree = state.session.tree
        var spans: [Range<Int>] = []
        var current = state.selection
        while current >= 0, spans.count < 4 {
            if let span = tree[current].byteSpan, spans.last != span { spans.append(span) }
            current = tree[current].parent
        }
        return spans
    }

    /// Where the failure is pinned: the bytes of the failing step, else the last byte read
    /// before it (a bad marker, a truncated stream).
    static func failureOffset(_ state: State) -> Int? {
        guard let failure = state.session.failureStep, failure < state.step else { return nil }
        let bytes = state.session.event(failure).bytes
        return bytes.isEmpty ? max(0, bytes.lowerBound - 1) : bytes.lowerBound
    }

    static func render(_ state: State, into screen: inout Screen, rect: Rect) {
        let session = state.session
        let focused = state.focus == .hex && state.overlay == nil
        let title =
            session.showsFileOffsets
            ? "stream, file offsets · load under \(state.profiles.dest.name)"
            : "stream \(session.bytes.count) bytes · load under \(state.profiles.dest.name)"
        PaneFrame.draw(title, focused: focused, state: state, into: &screen, rect: rect)
        let geometry = HexGeometry(pane: rect, byteCount: session.displayedOffsetLimit)
        let inner = geometry.inner
        guard !inner.isEmpty else { return }
        let theme = state.theme
        let spans = nestedSpans(state)
        let current = state.currentEvent.map { session.event($0).bytes } ?? 0..<0
        let failure = failureOffset(state)
        let perRow = geometry.bytesPerRow
        for line in 0..<inner.height {
            let row = state.hexTop + line
            let start = row * perRow
            guard start < session.bytes.count else { break }
            let y = inner.y + line
            // A row may open with filler: its label comes from its first real byte.
            let firstReal = (start..<min(start + perRow, session.bytes.count)).first { !session.isPadding($0) } ?? start
            let label = session.displayOffset(firstReal) - (firstReal - start)
            let offsetText = String(max(0, label), radix: 16).leftPadded(to: geometry.offsetDigits)
                .replacingSpaces(with: "0")
            screen.put(offsetText, x: inner.x, y: y, style: theme.style(.offset), clip: inner)
            for index in 0..<perRow {
                let offset = start + index
                guard offset < session.bytes.count else { break }
                // Filler between a real stream's records: nothing to show.
                if session.showsFileOffsets && session.isPadding(offset) { continue }
                let byte = session.bytes[offset]
                var style = byteStyle(offset, state: state, spans: spans, current: current, failure: failure)
                if focused && offset == state.hexCursor {
                    style.attributes.formUnion(theme.style(.hexCursor).attributes)
                }
                // A step that read nothing (a check, an allocation) is shown where the reader stands.
                if current.isEmpty, state.currentEvent != nil, offset == current.lowerBound {
                    style.attributes.formUnion([.underline, .bold])
                }
                let hexText = FieldValue.hex(UInt64(byte), digits: 2)
                screen.put(hexText, x: geometry.hexColumn(index), y: y, style: style, clip: inner)
                // The gap after a byte that continues the same highlight keeps its background.
                if index + 1 < perRow, offset + 1 < session.bytes.count,
                    let gapBackground = sharedBackground(offset, state: state, spans: spans, current: current)
                {
                    var gap = Style()
                    gap.background = gapBackground
                    let gapStart = geometry.hexColumn(index) + 2
                    for column in gapStart..<geometry.hexColumn(index + 1) {
                        screen.put(" ", x: column, y: y, style: gap)
                    }
                }
                let character: Unicode.Scalar = byte >= 0x20 && byte < 0x7F ? Unicode.Scalar(byte) : "."
                screen.put(character, x: geometry.asciiColumn(index), y: y, style: style)
            }
        }
        let total = (session.bytes.count + perRow - 1) / perRow
        if total > inner.height {
            let position = " 0x\(String(session.displayOffset(state.hexCursor), radix: 16)) "
            screen.put(position, x: rect.maxX - position.count - 2, y: rect.maxY - 1, style: theme.style(.dim))
        }
    }

    /// The background the gap between `offset` and the next byte takes: the layer both share.
    static func sharedBackground(_ offset: Int, state: State, spans: [Range<Int>], current: Range<Int>) -> TermColor? {
        guard state.theme.mode == .color else { return nil }
        if current.contains(offset) && current.contains(offset + 1) { return state.theme.style(.stepBytes).background }
        for (level, span) in spans.enumerated() where span.contains(offset) && span.contains(offset + 1) {
            return state.theme.style(.nest(level)).background
        }
        return nil
    }

    /// The style of one byte at the current step.
    static func byteStyle(_ offset: Int, state: State, spans: [Range<Int>], current: Range<Int>, failure: Int?) -> Style
    {
        let theme = state.theme
        let session = state.session
        if current.contains(offset) { return theme.style(.stepBytes) }
        if offset == failure { return theme.style(.failureByte) }
        var style: Style
        let owner = Int(session.owner[offset])
        if owner < 0 {
            style = theme.style(.unconsumed)
        } else if owner >= state.step {
            style = theme.style(.notYetRead)
        } else {
            let event = session.event(owner)
            switch event.kind.category {
            case .marker, .failure: style = theme.style(.category(event.kind.category))
            default:
                let node = session.node(ofEvent: owner)
                style = theme.style(.field(session.tree[node].ordinal))
                if insideAllocation(node, step: state.step, tree: session.tree) { style.attributes.insert(.underline) }
            }
        }
        for (level, span) in spans.enumerated() where span.contains(offset) {
            let layer = theme.style(.nest(level))
            if theme.mode == .color {
                style.background = layer.background
            } else {
                style.attributes.formUnion(layer.attributes)
            }
            break
        }
        return style
    }

    /// Whether the node lies in an element the loader allocated: those bytes went to fresh memory.
    static func insideAllocation(_ node: Int32, step: Int, tree: Tree) -> Bool {
        var current = node
        while current >= 0 {
            let allocation = tree[current].allocEvent
            if allocation >= 0 && allocation < step { return true }
            current = tree[current].parent
        }
        return false
    }
}

extension String {
    func replacingSpaces(with character: Character) -> String {
        String(map { $0 == " " ? character : $0 })
    }
}
