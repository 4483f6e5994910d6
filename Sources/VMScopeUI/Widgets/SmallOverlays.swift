import VMState

/// `P`: pick a profile for both sides, the source or the destination.
enum ProfilePicker {
    static func render(_ state: State, selected: Int, into screen: inout Screen) {
        let theme = state.theme
        let glyphs = state.glyphs
        let profiles = Profile.all
        let width = min(screen.width - 2, 92)
        let rect = screen.bounds.centered(width: width, height: profiles.count + 5)
        screen.fill(rect)
        screen.box(
            rect, glyphs: glyphs, style: theme.style(.focusedBorder),
            title: "profiles (now \(state.profiles.label(arrow: glyphs.arrow)))", titleStyle: theme.style(.focusedTitle)
        )
        let inner = rect.inset(by: 1)
        for (index, profile) in profiles.enumerated() {
            var sides: [String] = []
            if profile == state.profiles.source { sides.append("src") }
            if profile == state.profiles.dest { sides.append("dst") }
            let tag = sides.joined(separator: "+").padded(to: 8)
            let text =
                (index == selected ? glyphs.pointer : " ") + " " + tag + profile.name.padded(to: 16) + " "
                + profile.summary
            let style = theme.style(index == selected ? .selection : .text)
            screen.put(
                text.truncated(to: inner.width, ellipsis: glyphs.ellipsis), x: inner.x, y: inner.y + index,
                style: style, clip: inner)
        }
        screen.put(
            " Enter both sides   s source only   d destination only   Esc cancel", x: inner.x, y: inner.maxY - 1,
            style: theme.style(.dim), clip: inner)
    }
}

/// `B`: event-kind breakpoints and the list of node breakpoints.
enum BreakpointsOverlay {
    static func render(_ state: State, into screen: inout Screen) {
        let theme = state.theme
        let glyphs = state.glyphs
        let kinds: [(String, EventCategory, String)] = [
            ("m", .marker, "pointer markers (0x30 NULL, 0x31 VALID)"), ("a", .allocation, "allocations and frees"),
            ("k", .check, "checks: versions, field_exists, *_equal, subsection peeks"),
            ("e", .failure, "errors, asserts, faults (c always stops on these)"), ("l", .leak, "leaks"),
        ]
        let nodes = state.breakpoints.nodes
        let width = min(screen.width - 2, 76)
        let rect = screen.bounds.centered(width: width, height: kinds.count + min(nodes.count, 6) + 6)
        screen.fill(rect)
        screen.box(
            rect, glyphs: glyphs, style: theme.style(.focusedBorder), title: "breakpoints",
            titleStyle: theme.style(.focusedTitle))
        let inner = rect.inset(by: 1)
        var y = inner.y
        for (key, category, text) in kinds {
            let on = state.breakpoints.categories.contains(category)
            screen.put(
                " \(key)  \(on ? glyphs.checkboxOn : glyphs.checkboxOff) \(text)", x: inner.x, y: y,
                style: theme.style(on ? .category(category) : .text), clip: inner)
            y += 1
        }
        y += 1
        screen.put(
            nodes.isEmpty ? " no field breakpoints (b on a tree node sets one)" : " fields:", x: inner.x, y: y,
            style: theme.style(.dim), clip: inner)
        y += 1
        let tree = state.session.tree
        for components in nodes.prefix(6) {
            let label = tree.exactMatch(components).map { tree.path(of: $0) } ?? "(not in this run)"
            screen.put("   \(glyphs.breakpoint) \(label)", x: inner.x, y: y, style: theme.style(.text), clip: inner)
            y += 1
        }
        screen.put(
            " d remove the last field   x clear all   other keys close", x: inner.x, y: inner.maxY - 1,
            style: theme.style(.dim), clip: inner)
    }
}
