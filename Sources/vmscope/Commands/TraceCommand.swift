import ArgumentParser
import Foundation
import Scenario
import VMState

struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Print the load trace (or the save trace) of a scenario, one event a line."
    )

    @Argument(help: "A scenario or a QEMU C file (.c/.h) (default: the built-in demo).")
    var file: String?

    @OptionGroup var profiles: ProfileOptions

    @Flag(help: "Show the save on the source side instead of the load.")
    var save = false

    @Flag(help: "Print the trace as JSON.")
    var json = false

    @Flag(help: "A transcript for a review mail: ASCII, 72 columns, the steps that matter.")
    var review = false

    func run() throws {
        let input = try InputFile.load(file)
        let pair = try profiles.resolve(default: input.scenario.profiles)
        let run = try input.run(pair)
        if json {
            print(TraceJSON.render(run, pair: pair, save: save))
        } else if review {
            for line in ReviewPrinter(input: input, pair: pair).lines(run, save: save) { print(line) }
        } else {
            TracePrinter(input: input, pair: pair, showSave: save).print(run)
        }
        let traces = run.devices.compactMap { save ? $0.save : $0.load }
        if !traces.allSatisfy(\.outcome.succeeded) { throw ExitCode(1) }
    }
}
