import ArgumentParser
import Platform
import Scenario
import VMScopeUI
import VMState

/// `vmscope [FILE]`: the explorer.
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract:
            "Open the explorer on FILE (a scenario, QEMU C source or a migration stream), or on the built-in demo."
    )

    @Argument(help: "A scenario, a QEMU C file (.c/.h) or a migration stream (default: the built-in demo).")
    var file: String?

    @OptionGroup var profiles: ProfileOptions

    @OptionGroup var stream: StreamOptions

    @Flag(help: "Draw without colour (as with NO_COLOR).")
    var monochrome = false

    @Flag(help: "Draw with ASCII only (as in a locale that is not UTF-8).")
    var ascii = false

    func run() throws {
        let launch = try ExplorerLaunch.start(
            file, profiles: profiles, vmsds: stream.vmsds, vmdesc: stream.vmdesc, monochrome: monochrome, ascii: ascii)
        let terminal = launch.terminal
        var state = launch.state
        defer { terminal.close() }
        while !state.shouldQuit {
            terminal.draw(render(state, size: state.size))
            guard let event = terminal.nextEvent() else {
                if terminal.needsFullRedraw { state = update(state, .resize(terminal.size)) }
                continue
            }
            state = update(state, event)
        }
    }
}
