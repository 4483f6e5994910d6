import VMState

/// The last row: file, profiles, step k/n, offset, VMSD path, last event, key hints; or the
/// prompt, or a notice.
enum StatusLine {
    /// `nvme-demo.vmscope` for `built-in demo (nvme-demo.vmscope)`, the base name of a path.
    static func shortName(_ displayName: String) -> String {
        if let open = displayName.lastIndex(of: "("), displayName.hasSuffix(")") {
            return String(displayName[displayName.index(after: open)..<displayName.index(before: displayName.endIndex)])
        }
        return displayName.split(separator: "/").last.map(String.init) ?? displayName
    }

    static func render(_ state: State, into screen: inout Screen, rect: Rect) {
        let theme = state.theme
        let glyphs = state.glyphs
        let bar = theme.style(.statusBar)
        screen.fill(rect, style: bar)
        if let prompt = state.prompt {
            let text = prompt.label + prompt.text
            let x = screen.put(text, x: rect.x, y: rect.y, style: theme.style(.prompt), clip: rect)
            screen.put("_", x: x, y: rect.y, style: theme.style(.prompt).with([.bold]), clip: rect)
            return
        }
        if let pending = state.pending {
            let text = pending == .setMark ? "mark: press a letter to set" : "jump: press a letter (or ' for back)"
            screen.put(text, x: rect.x, y: rect.y, style: theme.style(.prompt), clip: rect)
            return
        }
        let session = state.session
        let name = shortName(state.source.displayName)
        let path = state.session.tree.path(of: state.selection)
        let last: String
        if let current = state.currentEvent {
            last = EventText.describe(session.event(current).kind, compact: true)
        } else {
            last =
                "ready: "
                + (session.succeeded ? "load succeeds" : "load fails at step \((session.failureStep ?? 0) + 1)")
                + (session.warningCount == 0
                    ? "" : ", \(session.warningCount) warning\(session.warningCount == 1 ? "" : "s")")
        }
        let hints = rect.width >= 170 ? "n/p step  c run  f flags  P profile  D diff  ? help  q quit" : "? help  q quit"
        var right = hints
        var rightRole: Role = .statusKey
        if let caption = state.caption {
            right = caption
            rightRole = .notice
        }
        if let notice = state.notice {
            right = notice.text
            rightRole = notice.isError ? .warning : .notice
        }
        let separator = " \(glyphs.separator) "
        let roomy = state.notice != nil || state.caption != nil
        let rightWidth = min(right.terminalWidth, roomy ? max(rect.width / 2, rect.width - 60) : 20)
        let leftRoom = rect.width - rightWidth - 3
        // Segments in display order with a priority (lower is kept longer); the path shrinks
        // before anything is dropped.
        var segments: [(text: String, priority: Int)] = [
            (name, 5), (state.profiles.label(arrow: glyphs.arrow), 2), ("step \(state.step)/\(session.eventCount)", 0),
            ("@0x" + String(session.displayOffset(state.hexCursor), radix: 16), 3), (path, 1), (last, 4),
        ]
        func width(_ items: [(text: String, priority: Int)]) -> Int {
            1 + items.map(\.text.terminalWidth).reduce(0, +) + separator.terminalWidth * max(0, items.count - 1)
        }
        // Make room: drop the file name, cut the event text, shrink the path, then drop the
        // event, the offset and the profiles, in that order.
        func shrink(_ priority: Int, to minimum: Int, left: Bool) {
            guard let index = segments.firstIndex(where: { $0.priority == priority }) else { return }
            let excess = width(segments) - leftRoom
            guard excess > 0 else { return }
            let target = max(minimum, segments[index].text.terminalWidth - excess)
            segments[index].text =
                left
                ? segments[index].text.truncatedLeft(to: target, ellipsis: glyphs.ellipsis)
                : segments[index].text.truncated(to: target, ellipsis: glyphs.ellipsis)
        }
        if width(segments) > leftRoom { segments.removeAll { $0.priority == 5 } }
        shrink(4, to: 20, left: false)
        shrink(1, to: 16, left: true)
        for priority in [4, 3, 2] where width(segments) > leftRoom {
            segments.removeAll { $0.priority == priority }
        }
        shrink(1, to: 8, left: true)
        let left = " " + segments.map(\.text).joined(separator: separator)
        screen.put(
            left.truncated(to: leftRoom, ellipsis: glyphs.ellipsis), x: rect.x, y: rect.y, style: bar, clip: rect)
        let shown = right.truncated(to: rightWidth, ellipsis: glyphs.ellipsis)
        screen.put(
            " " + shown + " ", x: rect.maxX - shown.terminalWidth - 2, y: rect.y, style: theme.style(rightRole),
            clip: rect)
    }
}
