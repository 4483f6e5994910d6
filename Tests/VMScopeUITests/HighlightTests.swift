import Testing
import VMState

@testable import VMScopeUI

/// The classic bug of hex viewers is a highlight one byte off. These check, for every step of
/// the demo under each profile, that exactly the bytes of the event that fired are lit, and that
/// the nested layers cover exactly the selected node's and its ancestors' spans.
@Suite("hex highlight, byte for byte")
struct HighlightTests {
    static let profiles = Profile.all.map(\.name)

    /// The bytes the hex pane draws in `role`'s background, by offset.
    static func offsets(in screen: Screen, state: State, background: TermColor) -> Set<Int> {
        let geometry = HexGeometry(pane: state.layout.hex, byteCount: state.session.bytes.count)
        var result = Set<Int>()
        for line in 0..<geometry.visibleRows {
            for index in 0..<geometry.bytesPerRow {
                let offset = (state.hexTop + line) * geometry.bytesPerRow + index
                guard offset < state.session.bytes.count else { continue }
                let hexCell = screen[geometry.hexColumn(index), geometry.inner.y + line]
                let asciiCell = screen[geometry.asciiColumn(index), geometry.inner.y + line]
                if hexCell.style.background == background {
                    // The ASCII column must agree with the hex column.
                    #expect(asciiCell.style.background == background, "offset \(offset)")
                    result.insert(offset)
                }
            }
        }
        return result
    }

    @Test("the current step's bytes, every step", arguments: profiles)
    func stepBytes(profile: String) throws {
        var state = try demoState(profile: profile)
        let lit = state.theme.style(.stepBytes).background
        for step in 1...state.session.eventCount {
            state = update(state, .key(.character("n")))
            #expect(state.step == step)
            let event = state.session.event(step - 1)
            let screen = render(state, size: state.size)
            let expected = Set(event.bytes.filter { $0 < state.session.bytes.count })
            #expect(
                Self.offsets(in: screen, state: state, background: lit) == expected,
                "step \(step): \(event.kind.summary)")
        }
    }

    @Test("the byte text under the highlight is the event's bytes")
    func bytesAreTheEventsBytes() throws {
        // Step 10 reads the VALID marker 0x31 at offset 4.
        let state = try demoState(keys: String(repeating: "n ", count: 10))
        let event = state.session.event(9)
        #expect(event.bytes == 4..<5)
        let screen = render(state, size: state.size)
        let geometry = HexGeometry(pane: state.layout.hex, byteCount: state.session.bytes.count)
        #expect(screen[geometry.hexColumn(4), geometry.inner.y].character == "3")
        #expect(screen[geometry.hexColumn(4) + 1, geometry.inner.y].character == "1")
        #expect(screen[geometry.asciiColumn(4), geometry.inner.y].character == "1")
    }

    @Test("nested layers: selected node, then element, array, section", arguments: [16, 19, 40, 60])
    func nestedLayers(steps: Int) throws {
        let state = try demoState(keys: String(repeating: "n ", count: steps))
        let screen = render(state, size: state.size)
        let tree = state.session.tree
        var expectedSpans: [Range<Int>] = []
        var node = state.selection
        while node >= 0, expectedSpans.count < 4 {
            if let span = tree[node].byteSpan, expectedSpans.last != span { expectedSpans.append(span) }
            node = tree[node].parent
        }
        #expect(HexPane.nestedSpans(state) == expectedSpans)
        let current = state.session.event(steps - 1).bytes
        var claimed = Set(current)
        for (level, span) in expectedSpans.enumerated() {
            let background = state.theme.style(.nest(level)).background
            let expected = Set(span).subtracting(claimed)
            #expect(
                Self.offsets(in: screen, state: state, background: background) == expected, "level \(level) \(span)")
            claimed.formUnion(span)
        }
    }

    @Test("moving the hex cursor selects the node that consumed the byte")
    func byteSelectsNode() throws {
        var state = try demoState(keys: "<Tab>")
        for offset in 0..<state.session.bytes.count {
            state = try state.pressing("g \(String(offset, radix: 16)) <Enter>")
            let owner = Int(state.session.owner[offset])
            if owner >= 0 {
                #expect(state.selection == state.session.node(ofEvent: owner))
                #expect(state.session.event(owner).bytes.contains(offset))
            }
        }
    }

    @Test("every byte the load consumed has exactly one owner event, and ranges do not overlap")
    func owners() throws {
        for profile in Profile.all {
            let state = try demoState(profile: profile.name)
            let session = state.session
            var seen = [Int](repeating: 0, count: session.bytes.count)
            for index in 0..<session.eventCount {
                for offset in session.event(index).bytes where offset < seen.count { seen[offset] += 1 }
            }
            for offset in 0..<session.bytes.count {
                #expect(seen[offset] <= 1)
                #expect((seen[offset] == 1) == (session.owner[offset] >= 0))
            }
        }
    }
}
