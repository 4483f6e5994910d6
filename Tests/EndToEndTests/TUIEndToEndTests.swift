import Foundation
import Testing

/// The real binary in a real (tmux) terminal: keys in, screen out, exit codes, and the terminal
/// given back after quitting and after signals. Skipped when tmux or the binary is missing.
@Suite("explorer under tmux", .serialized, .enabled(if: TmuxHarness.available))
struct TUIEndToEndTests {
    let binary = TmuxHarness.binary ?? "vmscope"

    /// The shell line: run the explorer, then report its exit code and the tty modes.
    func command(_ environment: String = "TERM=tmux-256color", arguments: String = "") -> String {
        "env \(environment) \(binary) \(arguments); echo EXIT=$?; stty -a; sleep 60"
    }

    @Test("step to the VALID marker and its allocation, open the flag editor, quit with q (exit 0)")
    func stepAndQuit() {
        let tmux = TmuxHarness(name: "quit")
        defer { tmux.stop() }
        tmux.start(command())
        #expect(tmux.waitFor("step 0/69").found)
        for _ in 0..<11 { tmux.send("n") }
        let allocated = tmux.waitFor("step 11/69")
        #expect(allocated.found)
        #expect(allocated.screen.contains("marker 0x31 read: VALID"))
        #expect(allocated.screen.contains("◆ [0] alloc 16B zeroed"))
        tmux.send("g", "1", "3", "Enter")  // go to offset 0x13: the NULL marker of queues[1]
        #expect(tmux.waitFor("@0x13").found)
        tmux.send("w")
        #expect(tmux.waitFor("step 29/69").found)
        tmux.send("?")
        #expect(tmux.waitFor("step into").found)
        tmux.send("Escape")
        // Ctrl-S must not freeze the screen (XON/XOFF is off inside the explorer only).
        tmux.send("C-s", "n")
        #expect(tmux.waitFor("step 30/69").found)
        tmux.send("q")
        let exited = tmux.waitFor("EXIT=")
        #expect(exited.screen.contains("EXIT=0"))
        #expect(tmux.waitFor("icanon").found)
        let modes = Self.modes(tmux.capture())
        #expect(modes.contains("ixon") && !modes.contains("-ixon"), "flow control given back to the shell")
    }

    @Test("toggling VMS_ALLOC off on queues makes check C7a fail")
    func flagEditor() {
        let tmux = TmuxHarness(name: "flags")
        defer { tmux.stop() }
        tmux.start(command())
        #expect(tmux.waitFor("step 0/69").found)
        tmux.send("j", "j", "f")
        #expect(tmux.waitFor("flags of nvme-ctrl.queues").found)
        for _ in 0..<13 { tmux.send("Down") }
        tmux.send("Space")
        let failed = tmux.waitFor("check C7a FAILED")
        #expect(failed.found)
        #expect(failed.screen.contains("trace first differs at step 10"))
        tmux.send("U")
        #expect(tmux.waitFor("undo: load succeeded").found)
        tmux.send("Escape", "q")
        #expect(tmux.waitFor("EXIT=0").found)
    }

    @Test("the layout follows the terminal size; below 60x16 it says so")
    func resize() {
        let tmux = TmuxHarness(name: "resize")
        defer { tmux.stop() }
        tmux.start(command(), width: 80, height: 24)
        #expect(tmux.waitFor("step 0/69").found)
        tmux.tmux(["resize-window", "-t", tmux.session, "-x", "50", "-y", "12"])
        #expect(tmux.waitFor("needs at least 60x16").found)
        tmux.tmux(["resize-window", "-t", tmux.session, "-x", "130", "-y", "40"])
        #expect(tmux.waitFor("stream 50 bytes").found)
        tmux.send("q")
        #expect(tmux.waitFor("EXIT=0").found)
    }

    @Test("a real stream opens in the explorer with its records at the top of the tree")
    func realStream() {
        let tmux = TmuxHarness(name: "stream")
        defer { tmux.stop() }
        tmux.start(command(arguments: "Tests/MigrationStreamTests/Fixtures/shared/pc-min.mig"), width: 120, height: 40)
        let opened = tmux.waitFor("SECTION_START ram (2) v4")
        #expect(opened.found)
        #expect(opened.screen.contains("file header"))
        #expect(opened.screen.contains("qemu-7.2"))
        tmux.send("g", "4", "3", "e", "0", "3", "Enter", "w")
        #expect(tmux.waitFor("apic.apicbase").found)
        tmux.send("q")
        #expect(tmux.waitFor("EXIT=0").found)
    }

    @Test("vmscope demo plays a script with captions, then leaves the explorer to the presenter")
    func demo() throws {
        let script = FileManager.default.temporaryDirectory.appendingPathComponent("vmscope-demo-\(getpid()).keys")
        try "<caption first caption> n n n <pause 0.2> <caption second caption> n\n".write(
            to: script, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: script) }
        let tmux = TmuxHarness(name: "demo")
        defer { tmux.stop() }
        tmux.start(command(arguments: "demo --script \(script.path) --delay 0.1"), width: 120, height: 40)
        #expect(tmux.waitFor("first caption").found)
        let second = tmux.waitFor("second caption")
        #expect(second.found)
        #expect(tmux.waitFor("step 4/69").found)
        tmux.send("n")
        #expect(tmux.waitFor("step 5/69").found)
        tmux.send("q")
        #expect(tmux.waitFor("EXIT=0").found)
    }

    @Test("stdout not a terminal: a clear message, exit 2")
    func notATTY() {
        let tmux = TmuxHarness(name: "notty")
        defer { tmux.stop() }
        let errors = FileManager.default.temporaryDirectory.appendingPathComponent("vmscope-notty-\(getpid()).txt").path
        tmux.start("env TERM=tmux-256color \(binary) > /dev/null 2> \(errors); echo EXIT=$?; sleep 60")
        let exited = tmux.waitFor("EXIT=")
        #expect(exited.screen.contains("EXIT=2"))
        let message = (try? String(contentsOfFile: errors, encoding: .utf8)) ?? ""
        #expect(message.contains("standard output is not a terminal"))
        #expect(message.contains("vmscope trace"))
        try? FileManager.default.removeItem(atPath: errors)
    }

    @Test("TERM=dumb: a clear message, exit 2")
    func dumbTerminal() {
        let tmux = TmuxHarness(name: "dumb")
        defer { tmux.stop() }
        tmux.start("env TERM=dumb \(binary); echo EXIT=$?; sleep 60")
        let exited = tmux.waitFor("EXIT=")
        #expect(exited.screen.contains("EXIT=2"))
        #expect(exited.screen.contains("cannot move the cursor"))
        #expect(exited.screen.contains("vmscope trace"))
    }

    /// The tty modes `stty -a` printed after the explorer ended.
    static func modes(_ screen: String) -> Set<String> {
        Set(screen.split(whereSeparator: { $0 == " " || $0 == "\n" || $0 == ";" }).map(String.init))
    }

    @Test(
        "SIGTERM and SIGINT give the terminal back (echo, icanon) and exit 128+signal",
        arguments: [("TERM", Int32(15)), ("INT", Int32(2))])
    func signals(name: String, number: Int32) throws {
        let tmux = TmuxHarness(name: "sig\(name)")
        defer { tmux.stop() }
        tmux.start(command())
        #expect(tmux.waitFor("step 0/69").found)
        tmux.send("n", "n")
        #expect(tmux.waitFor("step 2/69").found)
        let pid = try #require(tmux.programPID())
        kill(pid, number)
        let exited = tmux.waitFor("EXIT=")
        #expect(exited.screen.contains("EXIT=\(128 + number)"))
        #expect(tmux.waitFor("icanon").found)
        let modes = Self.modes(tmux.capture())
        #expect(modes.contains("echo"))
        #expect(modes.contains("icanon"))
        #expect(!modes.contains("-echo"))
        #expect(!modes.contains("-icanon"))
        #expect(!tmux.capture().contains("step 2/69"))  // the alternate screen is gone
    }

    @Test("Ctrl-Z suspends (terminal given back), fg redraws and the explorer goes on")
    func suspendAndResume() {
        let tmux = TmuxHarness(name: "tstp")
        defer { tmux.stop() }
        // Job control needs an interactive shell.
        tmux.start("env PS1='READY> ' bash --norc --noprofile -i")
        #expect(tmux.waitFor("READY>").found)
        tmux.send("TERM=tmux-256color \(binary)", "Enter")
        #expect(tmux.waitFor("step 0/69").found)
        tmux.send("n", "n")
        #expect(tmux.waitFor("step 2/69").found)
        tmux.send("C-z")
        #expect(tmux.waitFor("Stopped").found)
        tmux.send("echo MODES=$(stty -a | tr ' ;' '\\n\\n' | grep -x -e echo -e icanon | tr '\\n' ,)", "Enter")
        #expect(tmux.waitFor("MODES=icanon,echo,").found)
        tmux.send("fg", "Enter")
        #expect(tmux.waitFor("step 2/69").found)
        tmux.send("n")
        #expect(tmux.waitFor("step 3/69").found)
        tmux.send("q")
        tmux.send("echo EXIT=$?", "Enter")
        #expect(tmux.waitFor("EXIT=0").found)
    }
}
