import Testing
import VMState

@testable import VMScopeUI

/// Golden frames of the main screens at 80x24 and 120x40, stored in `Frames/`.
@Suite("render: golden frames")
struct RenderTests {
    static let sizes = [Size(width: 80, height: 24), Size(width: 120, height: 40)]

    /// The screens the README and the screenshots show, by key script.
    static let screens: [(name: String, keys: String, profile: String?)] = [
        ("start", "", nil),
        ("valid-marker-alloc", "n n n n n n n n n n n", nil),
        ("null-marker", String(repeating: "n ", count: 29), nil),
        ("flag-editor-alloc-off", "j j f " + String(repeating: "<Down> ", count: 13) + "<Space>", nil),
        ("after-alloc-off", "j j f " + String(repeating: "<Down> ", count: 13) + "<Space> <Esc> c", nil),
        ("profile-diff", "D", nil),
        ("qemu72-failure", "c", "qemu-7.2"),
        ("help", "?", nil),
        ("profile-picker", "P", nil),
        ("breakpoints", "B m a", nil),
        ("search-prompt", "/queu", nil),
    ]

    @Test("main screens", arguments: screens, sizes)
    func frame(screen: (name: String, keys: String, profile: String?), size: Size) throws {
        let state = try demoState(size: size, keys: screen.keys, profile: screen.profile)
        Golden.check(render(state, size: size), named: "\(screen.name)-\(size)")
    }

    @Test("below 60x16 the screen says it is too small")
    func tooSmall() throws {
        let state = try demoState(size: Size(width: 59, height: 16))
        let screen = render(state, size: state.size)
        #expect(screen.contains("vmscope needs at least 60x16"))
        #expect(screen.contains("this terminal is 59x16"))
        #expect(!render(state, size: Size(width: 60, height: 16)).contains("needs at least"))
        // 20x5: the short form, wrapped, nothing cut.
        let tiny = render(state, size: Size(width: 20, height: 5)).text
        for word in ["vmscope", "needs", "60x16", "20x5", "enlarge", "q quits"] {
            #expect(tiny.contains(word), "\(word) missing from\n\(tiny)")
        }
    }

    @Test("ASCII fallbacks draw no character above 0x7e")
    func ascii() throws {
        var state = try demoState(keys: "n n n n n n n n n n n")
        state = state.with(size: state.size, options: DisplayOptions(unicode: false, colorMode: .color))
        let screen = render(state, size: state.size)
        #expect(screen.cells.allSatisfy { $0.character.value < 0x7F })
        Golden.check(screen, named: "ascii-valid-marker-alloc-120x40")
    }

    @Test("monochrome: no colours, meaning carried by attributes")
    func monochrome() throws {
        var state = try demoState(keys: "n n n n n n n n n n")
        state = state.with(size: state.size, options: DisplayOptions(unicode: true, colorMode: .monochrome))
        let screen = render(state, size: state.size)
        #expect(screen.cells.allSatisfy { $0.style.foreground == .default && $0.style.background == .default })
        let geometry = HexGeometry(pane: state.layout.hex, byteCount: state.session.bytes.count)
        // The VALID marker byte (offset 4) is the current step's: reverse + bold.
        let marker = screen[geometry.hexColumn(4), geometry.inner.y]
        #expect(marker.style.attributes.contains(.reverse))
        #expect(marker.style.attributes.contains(.bold))
    }

    @Test("monochrome: the comparison's cursor row is reversed, and only it")
    func monochromeDiffCursor() throws {
        var state = try demoState(keys: "D")
        state = state.with(size: state.size, options: DisplayOptions(unicode: true, colorMode: .monochrome))
        let screen = render(state, size: state.size)
        let width = state.size.width
        // Rows above the status line that are mostly reversed: the cursor's row.
        let reversedRows = (0..<(state.size.height - 1)).filter { !screen.row($0).contains("┌") }.filter { y in
            (0..<width).filter { screen[$0, y].style.attributes.contains(.reverse) }.count > width / 2
        }
        #expect(reversedRows.count == 1, "\(reversedRows.map { screen.row($0) })")
    }

    @Test("the same state renders the same screen")
    func deterministic() throws {
        let state = try demoState(keys: "n n n n n n n n n n n")
        #expect(render(state, size: state.size) == render(state, size: state.size))
    }
}
