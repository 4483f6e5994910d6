import VMState

/// `D`: two profiles' load traces side by side, aligned; the first difference is marked.
enum DiffPane {
    static func render(_ state: State, view: DiffView, into screen: inout Screen) {
        let theme = state.theme
        let glyphs = state.glyphs
        let rect = Rect(x: 0, y: 0, width: screen.width, height: screen.height - 1)
        screen.fill(rect)
        let first = view.firstDifference.map { "first difference at row \($0 + 1)" } ?? "no difference"
        let title =
            "compare \(view.leftProfiles.label(arrow: glyphs.arrow)) | \(view.rightProfiles.label(arrow: glyphs.arrow)): \(first)"
        screen.box(
            rect, glyphs: glyphs, style: theme.style(.focusedBorder), title: title,
            titleStyle: theme.style(.focusedTitle))
        let inner = rect.inset(by: 1)
        guard inner.width > 10, inner.height > 4 else { return }
        let half = (inner.width - 3) / 2
        let leftX = inner.x + 2
        let rightX = leftX + half + 1
        // Header and outcome lines.
        let rightWidth = inner.maxX - rightX
        screen.put(
            (view.leftProfiles.label(arrow: glyphs.arrow) + ": " + outcome(view.left))
                .truncated(to: half, ellipsis: glyphs.ellipsis), x: leftX, y: inner.y,
            style: theme.style(view.left.succeeded ? .category(.check) : .category(.failure)),
            clip: Rect(x: leftX, y: inner.y, width: half, height: 1))
        screen.put(glyphs.separator, x: rightX - 1, y: inner.y, style: theme.style(.border))
        screen.put(
            (view.rightProfiles.label(arrow: glyphs.arrow) + ": " + outcome(view.right))
                .truncated(to: rightWidth, ellipsis: glyphs.ellipsis), x: rightX, y: inner.y,
            style: theme.style(view.right.succeeded ? .category(.check) : .category(.failure)),
            clip: Rect(x: rightX, y: inner.y, width: rightWidth, height: 1))
        let listTop = inner.y + 1
        let visible = inner.height - 2
        let stepDigits = max(2, String(max(view.left.eventCount, view.right.eventCount)).count)
        for line in 0..<visible {
            let index = view.top + line
            guard index < view.rows.count else { break }
            let row = view.rows[index]
            let y = listTop + line
            let isSelected = index == view.selected
            let (glyph, role): (String, Role) =
                switch row.mark {
                case .same: (" ", .text)
                case .changed: ("≠", .diffChanged)
                case .leftOnly: ("-", .diffRemoved)
                case .rightOnly: ("+", .diffAdded)
                }
            let markGlyph = glyphs.isASCII && glyph == "≠" ? "!" : glyph
            let pointer = index == view.firstDifference ? glyphs.pointer : " "
            screen.put(pointer, x: inner.x, y: y, style: theme.style(.category(.failure)).with([.bold]))
            screen.put(markGlyph, x: inner.x + 1, y: y, style: theme.style(role))
            let clipLeft = Rect(x: leftX, y: y, width: half, height: 1)
            let clipRight = Rect(x: rightX, y: y, width: inner.maxX - rightX, height: 1)
            if let left = row.left {
                screen.put(
                    cell(view.left, left, digits: stepDigits, width: half, full: needsFullText(view, row))
                        .truncated(to: half, ellipsis: glyphs.ellipsis), x: leftX,
                    y: y,
                    style: style(view.left, left, row.mark, theme), clip: clipLeft)
            }
            screen.put(glyphs.separator, x: rightX - 1, y: y, style: theme.style(.border))
            if let right = row.right {
                screen.put(
                    cell(view.right, right, digits: stepDigits, width: rightWidth, full: needsFullText(view, row))
                        .truncated(to: rightWidth, ellipsis: glyphs.ellipsis), x: rightX, y: y,
                    style: style(view.right, right, row.mark, theme), clip: clipRight)
            }
            if isSelected {
                // The overlay has the focus: its cursor is a full selection (reverse without
                // colour), since underline already marks rows only B has.
                let selected = theme.style(.selection)
                screen.restyle(Rect(x: inner.x + 2, y: y, width: inner.width - 2, height: 1)) { style in
                    if selected.background != .default { style.background = selected.background }
                    style.attributes.formUnion(selected.attributes)
                }
            }
        }
        let footer = " n/N next/previous difference   </> other profile   Enter go to step   Esc close"
        screen.put(footer, x: inner.x, y: inner.maxY - 1, style: theme.style(.dim), clip: inner)
    }

    static func outcome(_ session: Session) -> String {
        guard let failing = session.devices.first(where: { !$0.load.outcome.succeeded }) else {
            return "loads, \(session.eventCount) events"
        }
        let message = failing.load.outcome.summary.split(separator: "\n").first.map(String.init) ?? ""
        return "fails at step \((session.failureStep ?? 0) + 1): \(message)"
    }

    static func cell(_ session: Session, _ index: Int, digits: Int, width: Int, full: Bool = false) -> String {
        let event = session.event(index)
        let offset = event.bytes.isEmpty ? "    " : String(event.bytes.lowerBound, radix: 16).leftPadded(to: 4)
        let path = session.path(ofEvent: index)
        let shortPath = path.truncatedLeft(to: max(8, width / 3))
        return String(index + 1).leftPadded(to: digits) + " " + offset + " " + shortPath + ": "
            + EventText.describe(event.kind, compact: !full)
    }

    /// A changed row whose short texts read the same shows the full ones: the difference is in
    /// the detail (`host pointer size 8` against `size 8`).
    static func needsFullText(_ view: DiffView, _ row: DiffView.Row) -> Bool {
        guard row.mark == .changed, let left = row.left, let right = row.right else { return false }
        return EventText.describe(view.left.event(left).kind, compact: true)
            == EventText.describe(view.right.event(right).kind, compact: true)
    }

    static func style(_ session: Session, _ index: Int, _ mark: DiffView.Mark, _ theme: Theme) -> Style {
        let event = session.event(index)
        var style = theme.style(event.kind.category == .structure ? .text : .category(event.kind.category))
        if mark != .same { style.attributes.insert(.bold) }
        return style
    }
}
