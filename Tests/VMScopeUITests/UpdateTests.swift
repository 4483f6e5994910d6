import Foundation
import Scenario
import Testing
import VMState

@testable import VMScopeUI

@Suite("update: each key's effect on the state")
struct UpdateTests {
    @Test("n, s and Right step forward; p and Left step back; the tree and hex follow")
    func stepping() throws {
        let start = try demoState()
        #expect(start.step == 0)
        for key in ["n", "s", "<Right>"] {
            let state = try start.pressing("n n n n n n n n n " + key)
            #expect(state.step == 10)
            #expect(state.session.tree.path(of: state.selection) == "nvme-ctrl.queues[0]")
            #expect(state.hexCursor == 4)  // the VALID marker byte
        }
        for key in ["p", "<Left>"] {
            #expect(try start.pressing("n n n " + key).step == 2)
        }
        #expect(try start.pressing("p").step == 0)
        #expect(try start.pressing("p").notice?.text == "start of the trace")
    }

    @Test("o steps over a field; u steps out of it")
    func overAndOut() throws {
        // Step 6 is `field queues` at depth 2; the next event at depth <= 2 after the whole
        // array is the subsection peek of nvme-ctrl (step 68).
        let atQueues = try demoState(keys: "n n n n n n")
        #expect(atQueues.session.event(5).depth == 2)
        let over = try atQueues.pressing("o")
        #expect(over.step == 68)
        // From inside queues[0].id (step 16, depth 4), u leaves id: the next shallower event.
        let inside = try demoState(keys: String(repeating: "n ", count: 16))
        let out = try inside.pressing("u")
        #expect(out.session.event(out.step - 1).depth < inside.session.event(15).depth)
        #expect(out.step == 17)
        // From inside queues[0] itself (step 13, entering nvme-queue), u stops at queues[1].
        let element = try demoState(keys: String(repeating: "n ", count: 13)).pressing("u")
        #expect(element.session.tree.path(of: element.selection) == "nvme-ctrl.queues[1]")
        #expect(element.step == 28)
    }

    @Test("c stops once per failure, not at each of its events")
    func continuePastOneFailure() throws {
        // 7.2: the error, the stream error and "Failed to load" are one failure.
        let first = try demoState(keys: "c", profile: "qemu-7.2")
        #expect(first.step == 11)
        let second = try first.pressing("c")
        #expect(second.step == second.session.eventCount)
    }

    @Test("c runs to the end when nothing stops it, C back to the start")
    func continueWithoutBreakpoints() throws {
        let end = try demoState(keys: "c")
        #expect(end.step == end.session.eventCount)
        #expect(try end.pressing("C").step == 0)
    }

    @Test("B m sets a marker breakpoint: c stops at each marker, C goes back")
    func kindBreakpoints() throws {
        let state = try demoState(keys: "B m <Esc> c")
        #expect(state.breakpoints.categories == [.marker])
        #expect(state.step == 10)
        #expect(try state.pressing("c").step == 29)  // the NULL marker of queues[1]
        #expect(try state.pressing("c c").step == 31)
        #expect(try state.pressing("c c C").step == 29)
    }

    @Test("b on a tree node: c stops when the loader enters it")
    func nodeBreakpoint() throws {
        // Rows: nvme-ctrl, nr_queues, queues, [0], id, head ... select head of [0].
        let state = try demoState(keys: "j j j j j b")
        #expect(state.session.tree.path(of: state.selection) == "nvme-ctrl.queues[0].head")
        #expect(state.breakpoints.nodes.count == 1)
        let stopped = try state.pressing("c")
        #expect(stopped.step == 17)
        #expect(stopped.session.path(ofEvent: 16) == "nvme-ctrl.queues[0].head")
        #expect(try stopped.pressing("b").breakpoints.nodes.isEmpty)  // b again removes it
    }

    @Test("c stops at a failure")
    func continueToFailure() throws {
        let state = try demoState(keys: "c", profile: "qemu-7.2")
        #expect(state.step == 11)
        #expect(state.session.event(10).kind.isFailure)
        #expect(try demoState(keys: "F", profile: "qemu-7.2").step == 11)
    }

    @Test("g goes to an offset and selects the field that consumed it; w steps there")
    func gotoOffset() throws {
        let state = try demoState(keys: "g 17 <Enter>")
        #expect(state.hexCursor == 0x17)
        #expect(state.focus == .hex)
        #expect(state.session.tree.path(of: state.selection) == "nvme-ctrl.queues[2].head")
        let stepped = try state.pressing("w")
        #expect(stepped.step == 40)
        #expect(stepped.session.event(39).bytes.contains(0x17))
        #expect(try demoState(keys: "g zz <Enter>").notice?.isError == true)
        #expect(try demoState(keys: "g 999 <Enter>").notice?.text.hasPrefix("offset 0x999 is outside") == true)
        #expect(try demoState(keys: "g -5 <Enter>").notice?.text.hasPrefix("offset -0x5 is outside") == true)
        #expect(try state.pressing("g +4 <Enter>").hexCursor == 0x1b)
    }

    @Test("Enter in the hex pane is 'which step consumed this byte'")
    func hexEnter() throws {
        let state = try demoState(keys: "<Tab> j j <Enter>")
        #expect(state.focus == .hex)
        #expect(state.hexCursor == 32)
        #expect(state.step - 1 == Int(state.session.owner[32]))
    }

    @Test("/ finds a field by name; ; repeats; bytes with 0x")
    func search() throws {
        let state = try demoState(keys: "/ tail <Enter>")
        #expect(state.session.tree.path(of: state.selection) == "nvme-ctrl.queues[0].tail")
        #expect(
            try state.pressing(";").session.tree.path(of: try state.pressing(";").selection)
                == "nvme-ctrl.queues[1].tail")
        let bytes = try demoState(keys: "/ 0x31 00 02 <Enter>")
        #expect(bytes.hexCursor == 0x14)
        #expect(bytes.focus == .hex)
        #expect(try demoState(keys: "/ nosuchfield <Enter>").notice?.isError == true)
    }

    @Test("marks: m a sets, ' a returns, '' goes back")
    func marks() throws {
        let state = try demoState(keys: "n n n n m a n n n n n")
        #expect(state.step == 9)
        let back = try state.pressing("' a")
        #expect(back.step == 4)
        #expect(try back.pressing("' '").step == 9)
        #expect(try state.pressing("' z").notice?.isError == true)
    }

    @Test("Tab and Shift-Tab move focus")
    func focus() throws {
        let state = try demoState()
        #expect(try state.pressing("<Tab>").focus == .hex)
        #expect(try state.pressing("<Tab> <Tab>").focus == .log)
        #expect(try state.pressing("<Tab> <Tab> <Tab>").focus == .tree)
        #expect(try state.pressing("<S-Tab>").focus == .log)
    }

    @Test("tree keys: j/k move, Enter folds, h goes to the parent")
    func treeKeys() throws {
        let state = try demoState(keys: "j j")
        #expect(state.session.tree.path(of: state.selection) == "nvme-ctrl.queues")
        let folded = try state.pressing("<Enter>")
        #expect(folded.rows.count == 3)
        #expect(try folded.pressing("<Enter>").rows.count == state.rows.count)
        let parent = try state.pressing("j h h")
        #expect(parent.session.tree.path(of: parent.selection) == "nvme-ctrl.queues")
        #expect(try state.pressing("k").selection == state.session.tree.roots[0] + 1)
    }

    @Test("? opens help, any key closes it; q quits")
    func helpAndQuit() throws {
        let help = try demoState(keys: "?")
        guard case .help = help.overlay else {
            Issue.record("help is not open")
            return
        }
        #expect(try help.pressing("x").overlay == nil)
        #expect(try demoState(keys: "q").shouldQuit)
    }

    @Test("f: toggling VMS_ALLOC off on queues re-runs: C7a fails, the stream and trace change; U undoes")
    func flagEditor() throws {
        let editor = try demoState(keys: "j j f")
        guard case .flagEditor(let open) = editor.overlay else {
            Issue.record("flag editor is not open")
            return
        }
        #expect(open.vmsd == "nvme-ctrl")
        #expect(open.fieldIndex == 1)
        let toggled = try editor.pressing(String(repeating: "<Down> ", count: 13) + "<Space>")
        #expect(toggled.edits == [FieldEdit(vmsd: "nvme-ctrl", field: 1, change: .toggleFlag(.alloc))])
        let report = try #require(toggled.lastRerun)
        #expect(report.failedChecks.contains { $0.hasPrefix("C7a nvme-ctrl.queues") })
        #expect(report.oldByteCount == 50)
        #expect(report.newByteCount == 47)
        #expect(report.firstByteDifference == 4)
        #expect(report.firstStepDifference == 9)
        let failedAfterToggle = !toggled.session.succeeded
        #expect(failedAfterToggle)
        #expect(toggled.session.tree.path(of: toggled.selection) == "nvme-ctrl.queues")
        let undone = try toggled.pressing("U")
        #expect(undone.edits.isEmpty)
        let succeededAfterUndo = undone.session.succeeded
        #expect(succeededAfterUndo)
        #expect(undone.session.bytes.count == 50)
    }

    @Test("f on a field: + and - change size; Enter types a number")
    func flagEditorNumbers() throws {
        let bigger = try demoState(keys: "j j f <End> <Up> <Up> <Up> <Up> +")
        #expect(bigger.edits == [FieldEdit(vmsd: "nvme-ctrl", field: 1, change: .size(17))])
        // size_offset: what C7a wants 0 for a plain array of pointers.
        let offset = try demoState(keys: "j j f <End> <Up> <Up> <Up> +")
        #expect(offset.edits == [FieldEdit(vmsd: "nvme-ctrl", field: 1, change: .sizeOffset(1))])
        #expect(offset.lastRerun?.change == "size_offset 0 → 1")
        // version_id 3 > stream version 1: vmstate_field_exists skips queues.
        let typed = try demoState(keys: "j j f <End> <Enter> 3 <Enter> <Esc> c")
        #expect(typed.edits == [FieldEdit(vmsd: "nvme-ctrl", field: 1, change: .versionID(3))])
        let queues = try #require(
            typed.session.tree.exactMatch([.device("nvme-ctrl"), .field(name: "queues", vmsd: "nvme-ctrl", index: 1)]))
        #expect(typed.session.tree.state(of: queues, atStep: typed.step) == .skipped)
    }

    @Test("f on a field of imported C: its callbacks are switches; needed() false drops the subsection")
    func callbackSwitches() throws {
        let sample = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().appendingPathComponent("Samples/c/toy-uart.c").path
        let scenario = try #require(CImporter.importFiles([sample], options: CImportOptions()).scenario)
        let state = try State(
            source: ScenarioSource(scenario: scenario, displayName: "toy-uart.c"), size: Size(width: 120, height: 50))
        let editor = try state.pressing("/ fifo_timeout <Enter> f")
        guard case .flagEditor(let open) = editor.overlay else {
            Issue.record("flag editor is not open")
            return
        }
        #expect(open.rows.last == .needed(name: "toy_uart_timeout_needed"))
        #expect(FlagEditor.switchValue(open.rows.last!, field: nil, vmsd: editor.currentVMSD(open.vmsd)) == "true")
        let off = try editor.pressing("<End> <Space>")
        #expect(off.edits == [FieldEdit(vmsd: "toy-uart/timeout", change: .needed(false))])
        let report = try #require(off.lastRerun)
        #expect(report.outcome == "load succeeded")
        #expect(report.newByteCount < report.oldByteCount)
        #expect(report.after?.contains("subsection peek: no subsection") == true)
        // Space again: back to true, the original stream.
        let on = try off.pressing("<Space>")
        #expect(on.session.bytes.count == report.oldByteCount)
    }

    @Test("P switches profiles; U undoes the switch")
    func profiles() throws {
        let auto = try demoState(keys: "P <Up> <Enter>")
        #expect(auto.profiles == ProfileChoice(both: .autoAlloc))
        let succeeded = auto.session.succeeded
        #expect(succeeded)
        let old = try demoState(keys: "P <Home> <Enter>")
        #expect(old.profiles.dest == .qemu72)
        let failed = !old.session.succeeded
        #expect(failed)
        let destOnly = try demoState(keys: "P <Home> d")
        #expect(destOnly.profiles == ProfileChoice(source: .dropAutoAlloc, dest: .qemu72))
        #expect(try old.pressing("U").profiles == ProfileChoice(both: .dropAutoAlloc))
    }

    @Test("D compares with another profile: rows aligned, first difference marked")
    func diff() throws {
        let state = try demoState(keys: "D")
        guard case .diff(let view) = state.overlay else {
            Issue.record("diff is not open")
            return
        }
        #expect(view.rightProfiles.dest != state.profiles.dest)
        let first = try #require(view.firstDifference)
        #expect(view.rows[..<first].allSatisfy { $0.mark == .same })
        #expect(view.rows[first].mark != .same)
        #expect(try state.pressing("<Esc>").overlay == nil)
    }

    @Test("mouse: a click selects a tree row or a byte; the wheel steps in the log")
    func mouse() throws {
        let state = try demoState()
        let layout = state.layout
        let clicked = try state.pressing("<click \(layout.tree.x + 10) \(layout.tree.y + 3)>")
        #expect(clicked.session.tree.path(of: clicked.selection) == "nvme-ctrl.queues")
        let geometry = HexGeometry(pane: layout.hex, byteCount: state.session.bytes.count)
        let byte = try state.pressing("<click \(geometry.hexColumn(4)) \(geometry.inner.y + 1)>")
        #expect(byte.hexCursor == 20)
        #expect(byte.focus == .hex)
        let wheel = try state.pressing("<wheeldown \(layout.log.x + 5) \(layout.log.y + 3)>")
        #expect(wheel.step == 1)
    }

    @Test("resize: the state takes the new size, cursors stay on screen")
    func resize() throws {
        let state = try demoState(keys: "<resize 60x16> c")
        #expect(state.size == Size(width: 60, height: 16))
        #expect(state.layout.tooSmall == false)
        #expect(try state.pressing("<resize 50x10>").layout.tooSmall)
        // While the screen is too small only q acts: no step moves unseen.
        let start = try demoState(keys: "<resize 60x16>")
        let small = try start.pressing("<resize 50x10> n n / x")
        #expect(small.step == start.step && small.prompt == nil && !small.shouldQuit)
        #expect(try small.pressing("q").shouldQuit)
        #expect(try small.pressing("<resize 60x16> n").step == start.step + 1)
    }

    @Test("log keys: Up/Down step, Home/End go to the first and last event, PgDn pages")
    func logKeys() throws {
        let log = try demoState(keys: "<Tab> <Tab>")
        #expect(log.focus == .log)
        #expect(try log.pressing("<Down> <Down> <Up>").step == 1)
        #expect(try log.pressing("<End>").step == log.session.eventCount)
        #expect(try log.pressing("<End> <Home>").step == 0)
        #expect(try log.pressing("<PgDn>").step == log.layout.log.height - 2)
    }

    @Test("hex keys: h/l move a byte, Up/Down a row, Home/End the ends; the tree follows the byte")
    func hexKeys() throws {
        let hex = try demoState(keys: "<Tab>")
        #expect(try hex.pressing("l l l l").hexCursor == 4)
        #expect(try hex.pressing("l l h").hexCursor == 1)
        #expect(try hex.pressing("<Down>").hexCursor == 16)
        let end = try hex.pressing("<End>")
        #expect(end.hexCursor == end.session.bytes.count - 1)
        #expect(try end.pressing("<Home>").hexCursor == 0)
        let marker = try hex.pressing("l l l l")
        #expect(marker.session.tree.path(of: marker.selection) == "nvme-ctrl.queues[0]")
    }
}
