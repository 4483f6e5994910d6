import ArgumentParser
import Platform
import VMScopeUI
import VMState

/// `vmscope demo FILE --script SCRIPT`: plays a key script in the live explorer, with pauses and
/// captions, so a presenter can run a review demo without typing.
struct DemoCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "demo",
        abstract: "Play a key script in the explorer: keys with pauses and captions. Space pauses, q stops.",
        discussion: """
            The script is the notation of `vmscope screenshot --script` (see `Samples/demos/`), with
            <pause SECONDS>, <caption TEXT> and <open FILE>. When it ends the explorer stays open.
            """
    )

    @Argument(help: "A scenario, a QEMU C file (.c/.h) or a migration stream (default: the built-in demo).")
    var file: String?

    @Option(help: "The key script to play.")
    var script: String

    @Option(help: "Seconds between two keys.")
    var delay: Double = 0.35

    @OptionGroup var profiles: ProfileOptions

    @OptionGroup var stream: StreamOptions

    func validate() throws {
        guard delay >= 0, delay <= 10 else { throw ValidationError("--delay is between 0 and 10 seconds") }
    }

    func run() throws {
        let text: String
        do {
            text = try String(contentsOfFile: script, encoding: .utf8)
        } catch {
            throw UserFailure.io("\(script): cannot read: \(error.fileErrorText)")
        }
        let keyScript: KeyScript
        do {
            keyScript = try KeyScript(parsing: text)
        } catch {
            throw UserFailure.input("\(script): \(error)")
        }
        let (state, terminal) = try ExplorerLaunch.start(
            file, profiles: profiles, vmsds: stream.vmsds, vmdesc: stream.vmdesc)
        defer { terminal.close() }
        try play(keyScript, state: state, terminal: terminal)
    }

    /// Runs the script against the terminal: the script's items at their pace, the presenter's
    /// space and q at any time.
    private func play(_ script: KeyScript, state start: State, terminal: Terminal) throws {
        var state = start
        var next = 0
        var paused = false
        var due = ContinuousClock.now
        let clock = ContinuousClock()
        while !state.shouldQuit {
            terminal.draw(render(state, size: state.size))
            // nextEvent waits up to a quarter of a second: the script's clock is checked after.
            if let event = terminal.nextEvent() {
                if next < script.items.count {
                    switch event {
                    case .key(.character(" ")):
                        paused.toggle()
                        state.caption = paused ? "paused: space goes on, q stops" : nil
                    case .key(.character("q")): return
                    case .resize: state = update(state, event)
                    default: break
                    }
                } else {
                    // After the script the explorer is the presenter's.
                    state = update(state, event)
                }
            } else if terminal.needsFullRedraw {
                state = update(state, .resize(terminal.size))
            }
            guard !paused, next < script.items.count, clock.now >= due else { continue }
            let item = script.items[next]
            next += 1
            switch item {
            case .pause(let seconds): due = clock.now + .milliseconds(Int(seconds * 1000))
            case .input: due = clock.now + .milliseconds(Int(delay * 1000))
            case .caption, .open: due = clock.now
            }
            state = try Replay.apply(item, to: state, open: ExplorerInput.opener)
            if next == script.items.count, state.caption == nil {
                state.caption = "demo finished: the explorer is yours (q quits)"
            }
        }
    }
}
