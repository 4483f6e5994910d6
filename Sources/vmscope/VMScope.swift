import ArgumentParser
import Foundation
import Scenario
import VMState

@main
struct VMScope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vmscope",
        abstract: "Explore QEMU's VMState migration format: step the loader, watch markers and allocations.",
        discussion: """
            With no subcommand, vmscope runs on FILE (a scenario, a QEMU C file with VMSDs, or a QEMU \
            migration stream), or on the built-in NVMe demo when no FILE is given.
            Exit codes: 0 ok, 1 the input does not load or check, 2 usage or I/O error.
            """,
        subcommands: [
            ExploreCommand.self, TraceCommand.self, CheckCommand.self, DiffCommand.self, SaveCommand.self,
            DumpCommand.self, SectionsCommand.self, ScreenshotCommand.self, DemoCommand.self, ImportCommand.self,
            ProfilesCommand.self,
        ],
        defaultSubcommand: ExploreCommand.self
    )

    static func main() {
        do {
            var command = try parseAsRoot()
            try command.run()
        } catch let exit as ExitCode {
            Foundation.exit(exit.rawValue)
        } catch let failure as UserFailure {
            FileHandle.standardError.write(Data(("vmscope: " + failure.message + "\n").utf8))
            Foundation.exit(failure.exitCode)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                Foundation.exit(0)
            }
            FileHandle.standardError.write(Data((fullMessage(for: error) + "\n").utf8))
            // Usage errors are 2, as for every vmscope command.
            Foundation.exit(2)
        }
    }
}
