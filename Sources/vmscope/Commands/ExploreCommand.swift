import ArgumentParser
import Scenario
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

    func run() throws {
        let input = try InputFile.load(file)
        let pair = try profiles.resolve(default: input.scenario.profiles)
        // Until the terminal UI lands, show the load trace of the scenario.
        let run = try input.run(pair)
        TracePrinter(input: input, pair: pair, showSave: false).print(run)
        print("(the interactive explorer is coming: this is `vmscope trace`)")
        if !run.devices.allSatisfy({ $0.load.outcome.succeeded }) { throw ExitCode(1) }
    }
}
