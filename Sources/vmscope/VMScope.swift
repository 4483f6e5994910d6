import ArgumentParser
import Platform
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
            exitProcess(exit.rawValue)
        } catch let failure as UserFailure {
            StandardError.writeLine("vmscope: " + failure.message)
            exitProcess(failure.exitCode)
        } catch {
            let code = exitCode(for: error)
            if code == .success {
                print(fullMessage(for: error))
                exitProcess(0)
            }
            StandardError.writeLine(fullMessage(for: error))
            // Usage errors are 2, as for every vmscope command.
            exitProcess(2)
        }
    }
}

/// The C library's `exit`, which `ParsableCommand.exit(withError:)` hides inside the command.
private func exitProcess(_ status: Int32) -> Never { exit(status) }
