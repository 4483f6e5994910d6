import Foundation
import MigrationStream
import Scenario
import VMScopeUI
import VMState

/// What the explorer (and `screenshot`) opens: a real stream when the file starts with `QEVM`,
/// else a scenario (or the built-in demo).
struct ExplorerInput {
    var source: any ExplorerSource
    var profiles: ProfileChoice
    var path: String?

    static func open(_ path: String?, options: ProfileOptions) throws -> ExplorerInput {
        if let path, Self.isStream(path) {
            let stream: MigrationStream
            do {
                stream = try MigrationStream(path: path)
            } catch {
                throw UserFailure.io("\(error)")
            }
            let source = StreamSource(stream: stream, displayName: path)
            let defaults = source.defaultProfiles
            let pair = try options.resolve(default: (defaults.source, defaults.dest))
            return ExplorerInput(
                source: source, profiles: ProfileChoice(source: pair.source, dest: pair.dest), path: path)
        }
        let input = try InputFile.load(path)
        let pair = try options.resolve(default: input.scenario.profiles)
        return ExplorerInput(
            source: ScenarioSource(scenario: input.scenario, displayName: input.displayName),
            profiles: ProfileChoice(source: pair.source, dest: pair.dest), path: path)
    }

    /// A migration stream starts with the `QEVM` magic.
    static func isStream(_ path: String) -> Bool {
        guard let handle = FileHandle(forReadingAtPath: path) else { return false }
        defer { try? handle.close() }
        return (try? handle.read(upToCount: 4)) == Data([0x51, 0x45, 0x56, 0x4d])
    }
}

extension ExplorerInput {
    /// What a script's `<open FILE>` does: a fresh explorer on FILE, same size and display.
    static func opener(_ path: String, _ current: State) throws -> State {
        let input = try ExplorerInput.open(path, options: try ProfileOptions.parse([]))
        do {
            return try State(
                source: input.source, profiles: input.profiles, size: current.size, options: current.options)
        } catch {
            throw UserFailure.input("\(path): \(error)")
        }
    }
}
