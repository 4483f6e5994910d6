import VMScopeUI

/// What `explore` and `demo` share: the explorer's first state, built before the terminal is
/// touched so a bad input fails on a plain screen, then fitted to the terminal.
enum ExplorerLaunch {
    /// Opens FILE, then the terminal; the caller closes the terminal.
    static func start(
        _ file: String?, profiles: ProfileOptions, vmsds: [String] = [], vmdesc: String? = nil,
        monochrome: Bool = false,
        ascii: Bool = false
    ) throws -> (state: State, terminal: Terminal) {
        let input = try ExplorerInput.open(file, options: profiles, vmsds: vmsds, vmdesc: vmdesc)
        let state: State
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
        let fitted = state.with(
            size: terminal.size, options: DisplayOptions(unicode: terminal.unicode, colorMode: terminal.colorMode))
        return (fitted, terminal)
    }
}
