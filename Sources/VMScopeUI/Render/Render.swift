/// Draws the explorer for a terminal size. Pure: the same state and size give the same screen.
public func render(_ state: State, size: Size) -> Screen {
    var screen = Screen(size: size)
    let theme = state.theme
    let glyphs = state.glyphs
    let layout = Layout(size: size)
    if layout.tooSmall {
        let message = [
            "vmscope needs at least \(Layout.minimum.width)x\(Layout.minimum.height)",
            "this terminal is \(size.width)x\(size.height)",
            "enlarge it, or press q to quit",
        ]
        // Wrapped at word boundaries; where that does not fit, the short form.
        var lines = message.flatMap { wrapWords($0, width: size.width) }
        if lines.count > size.height {
            lines = [
                "vmscope needs \(Layout.minimum.width)x\(Layout.minimum.height)",
                "this is \(size.width)x\(size.height)",
                "enlarge, or q quits",
            ].flatMap { wrapWords($0, width: size.width) }
        }
        let top = max(0, (size.height - lines.count) / 2)
        for (index, line) in lines.enumerated() {
            let x = max(0, (size.width - line.terminalWidth) / 2)
            screen.put(line, x: x, y: top + index, style: theme.style(index == 0 ? .warning : .text))
        }
        return screen
    }
    TreePane.render(state, into: &screen, rect: layout.tree)
    HexPane.render(state, into: &screen, rect: layout.hex)
    StepLog.render(state, into: &screen, rect: layout.log)
    StatusLine.render(state, into: &screen, rect: layout.status)
    switch state.overlay {
    case .help(let scroll): HelpOverlay.render(state, scroll: scroll, into: &screen)
    case .flagEditor(let editor): FlagEditorPane.render(state, editor: editor, into: &screen)
    case .profilePicker(let selected): ProfilePicker.render(state, selected: selected, into: &screen)
    case .breakpoints: BreakpointsOverlay.render(state, into: &screen)
    case .diff(let view): DiffPane.render(state, view: view, into: &screen)
    case nil: break
    }
    if glyphs.isASCII { screen.replaceNonASCII() }
    return screen
}

/// A pane's frame: box, title, focus.
enum PaneFrame {
    static func draw(_ title: String, focused: Bool, state: State, into screen: inout Screen, rect: Rect) {
        let theme = state.theme
        screen.fill(rect)
        screen.box(
            rect, glyphs: state.glyphs, style: theme.style(focused ? .focusedBorder : .border), title: title,
            titleStyle: theme.style(focused ? .focusedTitle : .title))
    }
}

/// Splits `text` into lines of at most `width` columns at spaces (a longer word is cut).
func wrapWords(_ text: String, width: Int) -> [String] {
    guard width > 0 else { return [] }
    var lines: [String] = []
    var line = ""
    for word in text.split(separator: " ").map(String.init) {
        if line.isEmpty {
            line = word
        } else if line.terminalWidth + 1 + word.terminalWidth <= width {
            line += " " + word
        } else {
            lines.append(line)
            line = word
        }
        while line.terminalWidth > width {
            lines.append(String(line.prefix(width)))
            line = String(line.dropFirst(width))
        }
    }
    if !line.isEmpty { lines.append(line) }
    return lines
}
