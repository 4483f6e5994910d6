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
        var segments: [String] = [name, state.profiles.label(arrow: glyphs.arrow), "step \(state.step)/\(session.eventCount)"]
        segments.append("@0x" + String(state.hexCursor, radix: 16))
        let path = state.session.tree.path(of: state.selection)
        segments.append(path)
        var last = ""
        if let current = state.currentEvent {
            last = EventText.describe(session.event(current).kind, compact: true)
        } else {
            last = "ready: " + (session.succeeded ? "load succeeds" : "load fails at step \((session.failureStep ?? 0) + 1)")
        }
        let hints = rect.width >= 170 ? "n/p step  c run  f flags  P profile  D diff  ? help  q quit" : "? help  q quit"
        var right = hints
        var rightRole: Role = .statusKey
        if let notice = state.notice {
            right = notice.text
            rightRole = notice.isError ? .warning : .notice
        }
        let separator = " \(glyphs.separator) "
        let rightWidth = min(right.terminalWidth, max(rect.width / 2, rect.width - 40))
        let leftRoom = rect.width - rightWidth - 2
        var left = " " + segments.joined(separator: separator)
        if !last.isEmpty { left += separator + last }
        if left.terminalWidth > leftRoom {
            // Shorten the path first, then drop the event.
            let fixed = " " + segments.dropLast().joined(separator: separator) + separator
            let pathRoom = max(8, leftRoom - fixed.terminalWidth - (last.isEmpty ? 0 : min(last.terminalWidth, 24) + 3))
            left = fixed + path.truncatedLeft(to: pathRoom, ellipsis: glyphs.ellipsis)
            if !last.isEmpty, leftRoom - left.terminalWidth > 8 {
                left += separator + last.truncated(to: leftRoom - left.terminalWidth - 3, ellipsis: glyphs.ellipsis)
            }
        }
        screen.put(left.truncated(to: leftRoom, ellipsis: glyphs.ellipsis), x: rect.x, y: rect.y, style: bar, clip: rect)
        let shown = right.truncated(to: rightWidth, ellipsis: glyphs.ellipsis)
        screen.put(" " + shown + " ", x: rect.maxX - shown.terminalWidth - 2, y: rect.y, style: theme.style(rightRole), clip: rect)
    }
}
