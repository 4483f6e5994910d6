import ArgumentParser
import Foundation
import Scenario
import VMScopeUI
import VMState

/// `vmscope [FILE]`: the explorer.
struct ExploreCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "explore",
        abstract: "Open the explorer on FILE (a scenario or a QEMU migration stream), or on the built-in demo."
    )

    @Argument(help: "A scenario file or a QEMU migration stream (default: the built-in demo).")
    var file: String?

    @OptionGroup var profiles: ProfileOptions

    @Flag(help: "Draw without colour (as with NO_COLOR).")
    var monochrome = false

    @Flag(help: "Draw with ASCII only (as in a locale that is not UTF-8).")
    var ascii = false

    func run() throws {
        // Everything that can fail on the input fails before the terminal is touched.
        let input = try ExplorerInput.open(file, options: profiles)
        var state: State
        do {
            state = try State(source: input.source, profiles: input.profiles, size: Size(width: 80, height: 24))
        } catch {
            throw UserFailure.input("\(error)")
        }
        let terminal: Terminal
        do {
            terminal = try Terminal(forceMonochrome: monochrome, forceASCII: ascii)
        } catch {
            throw UserFailure(message: error.message, exitCode: 2)
        }
        defer { terminal.close() }
        state = state.with(
            size: terminal.size, options: DisplayOptions(unicode: terminal.unicode, colorMode: terminal.colorMode))
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
