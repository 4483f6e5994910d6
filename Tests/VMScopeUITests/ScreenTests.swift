import Testing
import VMState

@testable import VMScopeUI

@Suite("screen, layout, SVG")
struct ScreenTests {
    @Test("put clips to the rectangle and counts wide characters as two columns")
    func putClips() {
        var screen = Screen(width: 10, height: 2)
        let end = screen.put("日本x", x: 1, y: 0, style: .plain)
        #expect(end == 6)
        #expect(screen[1, 0].character == "日")
        #expect(screen[2, 0].isContinuation)
        #expect(screen.row(0) == " 日本x    ")
        screen.put("abcdef", x: 0, y: 1, style: .plain, clip: Rect(x: 2, y: 1, width: 3, height: 1))
        #expect(screen.row(1) == "  cde     ")
    }

    @Test("truncation keeps the end or the start", arguments: [("nvme-ctrl.queues[2].head", 12)])
    func truncation(text: String, width: Int) {
        #expect(text.truncated(to: width) == "nvme-ctrl.q…")
        #expect(text.truncatedLeft(to: width) == "…ues[2].head")
        #expect(text.truncated(to: width).terminalWidth == width)
    }

    @Test(
        "layouts: narrow below 118 columns, wide above; panes tile the screen",
        arguments: [
            Size(width: 60, height: 16), Size(width: 80, height: 24), Size(width: 120, height: 40),
            Size(width: 200, height: 60),
        ])
    func layouts(size: Size) {
        let layout = Layout(size: size)
        #expect(!layout.tooSmall)
        var covered = [Int](repeating: 0, count: size.width * size.height)
        for rect in [layout.tree, layout.hex, layout.log, layout.status] {
            for y in rect.y..<rect.maxY {
                for x in rect.x..<rect.maxX { covered[y * size.width + x] += 1 }
            }
        }
        #expect(covered.allSatisfy { $0 == 1 })
        let geometry = HexGeometry(pane: layout.hex, byteCount: 51)
        #expect(geometry.bytesPerRow == (size.width >= 80 ? 16 : 8))
        #expect(geometry.asciiColumn(geometry.bytesPerRow - 1) < layout.hex.maxX - 1)
    }

    @Test("hex geometry maps columns back to offsets")
    func hexHitTesting() {
        let geometry = HexGeometry(pane: Rect(x: 0, y: 0, width: 78, height: 10), byteCount: 51)
        for index in 0..<16 {
            #expect(geometry.offset(atX: geometry.hexColumn(index), y: 2, topRow: 0) == 16 + index)
            #expect(geometry.offset(atX: geometry.hexColumn(index) + 1, y: 2, topRow: 0) == 16 + index)
            #expect(geometry.offset(atX: geometry.asciiColumn(index), y: 1, topRow: 3) == 48 + index)
        }
        #expect(geometry.offset(atX: 0, y: 1, topRow: 0) == nil)
    }

    @Test("SVG: one text element per styled run, every glyph on its column, escaped")
    func svg() throws {
        var screen = Screen(width: 12, height: 2)
        screen.put("a<b", x: 0, y: 0, style: Style(foreground: .red))
        screen.put("ok", x: 5, y: 1, style: Style(foreground: .green, background: .indexed(24), attributes: [.bold]))
        let svg = screen.svg()
        #expect(svg.hasPrefix("<svg xmlns=\"http://www.w3.org/2000/svg\" width=\"108\" height=\"36\""))
        #expect(svg.contains("<text x=\"0 9 18\" y=\"14\" fill=\"#cd3131\">a&lt;b</text>"))
        #expect(svg.contains("<rect x=\"45\" y=\"18\" width=\"18\" height=\"18\" fill=\"#005f87\"/>"))
        #expect(svg.contains("font-weight=\"bold\">ok</text>"))
        #expect(svg.contains("font-family=\"DejaVu Sans Mono, monospace\""))
        #expect(svg.hasSuffix("</svg>\n"))
    }

    @Test("the whole demo screen as SVG has as many glyphs as non-blank cells")
    func svgGlyphCount() throws {
        let state = try demoState(keys: "n n n n n n n n n n n")
        let screen = render(state, size: state.size)
        let svg = screen.svg()
        var positions = 0
        for line in svg.split(separator: "\n") where line.hasPrefix("<text x=\"") {
            let xs = line.dropFirst("<text x=\"".count).prefix { $0 != "\"" }
            positions += xs.split(separator: " ").count
        }
        let visible = screen.cells.filter { !$0.isContinuation && $0.character != " " }.count
        #expect(positions == visible)
    }

    @Test("colours map down to the 8 basic ones")
    func basicColors() {
        #expect(TermColor.indexed(9).basic == .red)
        #expect(TermColor.indexed(196).basic == .red)
        #expect(TermColor.indexed(250).basic == .white)
        #expect(TermColor.indexed(235).basic == .black)
        #expect(TermColor.default.basic == .default)
    }
}

@Suite("session: the tree and the trace agree")
struct SessionTests {
    @Test("every event's node has the event's path", arguments: Profile.all.map(\.name))
    func pathsAgree(profile: String) throws {
        let state = try demoState(profile: profile)
        let session = state.session
        for index in 0..<session.eventCount {
            let node = session.node(ofEvent: index)
            #expect(session.tree.path(of: node) == session.path(ofEvent: index), "event \(index + 1)")
        }
    }

    @Test("node states over time: not reached, allocated, loaded, NULL")
    func nodeStates() throws {
        let state = try demoState()
        let tree = state.session.tree
        let queues = try #require(
            tree.exactMatch([.device("nvme-ctrl"), .field(name: "queues", vmsd: "nvme-ctrl", index: 1)]))
        let first = tree[queues].children[0]
        let second = tree[queues].children[1]
        #expect(tree.state(of: first, atStep: 0) == .notReached)
        #expect(tree.state(of: first, atStep: 9) == .active)
        #expect(tree.state(of: first, atStep: 11) == .allocated)
        #expect(tree.state(of: tree[first].children[0], atStep: 16) == .loaded)
        #expect(tree.state(of: second, atStep: 28) == .active)
        #expect(tree.state(of: second, atStep: 29) == .null)
        #expect(tree.state(of: queues, atStep: 67) == .loaded)
    }

    @Test("a re-run keeps the cursor on the same VMSD path")
    func rerunKeepsPath() throws {
        let state = try demoState(keys: "j j j j j")
        let path = state.session.tree.path(of: state.selection)
        let switched = try state.pressing("P <Up> <Enter>")
        #expect(switched.session.tree.path(of: switched.selection) == path)
    }
}
