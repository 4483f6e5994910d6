/// `?`: every key, by what it is for.
enum HelpOverlay {
    static let lines: [String] = [
        "Stepping (the loader's trace is recorded: backwards is free)",
        "  n  Right   next event              p  Left    previous event",
        "  s          step into               o          step over (skip deeper)",
        "  u          step out                F          first failure",
        "  c          run to breakpoint, failure or end",
        "  C          run backwards to breakpoint, failure or start",
        "Breakpoints and marks",
        "  b          breakpoint on the selected node (c stops on entering it)",
        "  B          breakpoints on kinds: markers, allocs, checks, errors, leaks",
        "  m<letter>  set a mark              '<letter> jump to it     '' back",
        "Finding",
        "  g          go to offset (hex; +n/-n relative)",
        "  w          step to the event that consumed the byte at the hex cursor",
        "  /          search: a field name, or bytes as 0x31 00 or \"text\"",
        "  ;  ,       next / previous match",
        "Panes (Tab / Shift-Tab move focus; the mouse clicks and scrolls)",
        "  tree       Up/Down j/k move, Enter/Space fold, h parent/fold, l unfold",
        "  hex        Up/Down j/k rows, h/l bytes, Enter steps to the byte's event",
        "  log        Up/Down step, PgUp/PgDn page, Home/End first/last event",
        "Changing the input (every change re-runs checks, save and load)",
        "  f          flag editor on the selected field: Space toggles a bit",
        "             or a C callback's switch; +/- or Enter change a number",
        "  U          undo the last edit or profile switch",
        "  P          switch profiles: Enter both sides, s source, d destination",
        "  D          compare with another profile: n/N differences, </> profile",
        "Other",
        "  ?  F1      this help               q          quit",
        "",
        "Tree: · not reached  ○ loading  ✓ loaded  ◆ allocated  ∅ NULL",
        "      ⊘ skipped  ✗ failed   ▶ the loader is here   ● breakpoint",
        "Hex: a byte takes its field's colour once read; the step's bytes are lit;",
        "     the selected node, its element, struct and section are backgrounds;",
        "     markers and the failure byte have their own colours.",
    ]

    static func render(_ state: State, scroll: Int, into screen: inout Screen) {
        let theme = state.theme
        let glyphs = state.glyphs
        let width = min(screen.width - 2, 86)
        let height = min(screen.height - 2, lines.count + 3)
        let rect = screen.bounds.centered(width: width, height: height)
        screen.fill(rect)
        screen.box(
            rect, glyphs: glyphs, style: theme.style(.focusedBorder), title: "keys",
            titleStyle: theme.style(.focusedTitle))
        let inner = rect.inset(by: 1)
        let visible = inner.height - 1
        let first = max(0, min(scroll, lines.count - visible))
        for line in 0..<visible where first + line < lines.count {
            var text = lines[first + line]
            if glyphs.isASCII { text = asciiGlyphs(text) }
            let heading = !text.hasPrefix(" ") && !text.isEmpty
            screen.put(
                " " + text, x: inner.x, y: inner.y + line,
                style: theme.style(heading ? .title : .text).with(heading ? [.bold] : []), clip: inner)
        }
        let footer = first + visible < lines.count ? "Up/Down scroll, any other key closes" : "any key closes"
        screen.put(" " + footer, x: inner.x, y: inner.maxY - 1, style: theme.style(.dim), clip: inner)
    }

    static func asciiGlyphs(_ text: String) -> String {
        let ascii = Glyphs.ascii
        let pairs: [(String, String)] = [
            ("·", ascii.notReached), ("○", ascii.active), ("✓", ascii.loaded), ("◆", ascii.allocated),
            ("∅", ascii.null), ("⊘", ascii.skipped), ("✗", ascii.failed), ("▶", ascii.pointer),
            ("●", ascii.breakpoint),
        ]
        var result = text
        for (unicode, plain) in pairs { result = result.replacingOccurrences(of: unicode, with: plain) }
        return result
    }
}

extension String {
    func replacingOccurrences(of target: String, with replacement: String) -> String {
        guard !target.isEmpty else { return self }
        var result = ""
        var rest = Substring(self)
        while let range = rest.firstRange(of: target) {
            result += rest[..<range.lowerBound]
            result += replacement
            rest = rest[range.upperBound...]
        }
        return result + rest
    }
}
