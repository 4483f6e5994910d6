import ArgumentParser
import MigrationStream
import Platform
import Scenario
import VMScopeUI
import VMState

struct TraceCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "trace",
        abstract: "Print the load trace (or the save trace) of a scenario, one event a line.",
        discussion: """
            On a QEMU migration stream: every record in file order, each device section loaded field by \
            field with the VMSDs of its vmdesc, offsets in the file (the explorer's steps as text).
            """
    )

    @Argument(help: "A scenario, a QEMU C file (.c/.h) or a migration stream (default: the built-in demo).")
    var file: String?

    @OptionGroup var profiles: ProfileOptions

    @OptionGroup var stream: StreamOptions

    @Flag(help: "Show the save on the source side instead of the load.")
    var save = false

    @Flag(help: "Print the trace as JSON.")
    var json = false

    @Flag(help: "A transcript for a review mail: ASCII, 72 columns, the steps that matter.")
    var review = false

    func validate() throws {
        if json && review { throw ValidationError("--json and --review are two different outputs: choose one") }
    }

    func run() throws {
        if let file, ExplorerInput.isStream(file) {
            try traceStream(file)
            return
        }
        let input = try InputFile.load(file)
        try StreamOptions.rejectForScenario(file, vmsds: stream.vmsds, vmdesc: stream.vmdesc)
        let pair = try profiles.resolve(default: input.scenario.profiles)
        let run = try input.run(pair)
        if json {
            print(TraceJSON.render(run, pair: pair, save: save))
        } else if review {
            for line in ReviewPrinter(input: input, pair: pair).lines(run, save: save) { print(line) }
        } else {
            TracePrinter(input: input, pair: pair, showSave: save).print(run)
        }
        let traces = run.devices.compactMap { device in (save ? device.save : device.load).map { (device.vmsd, $0) } }
        if let failure = Self.failure(in: traces, file: file ?? "the demo") { throw failure }
    }

    /// The records of a real stream as the explorer steps them.
    private func traceStream(_ path: String) throws {
        if save {
            throw UserFailure.usage("\(path): a migration stream is a load; --save takes a scenario")
        }
        let input = try ExplorerInput.open(path, options: profiles, vmsds: stream.vmsds, vmdesc: stream.vmdesc)
        let records = try input.source.run(input.profiles, edits: [])
        guard let source = input.source as? StreamSource else {
            throw UserFailure.io("\(path): not read as a migration stream")
        }
        let stream = source.stream
        CommandFailure.warn(stream.warnings + stream.misfits)
        let profile = input.profiles.dest.name
        if json {
            print(
                TraceJSON.render(
                    records: records.map { ($0.name, $0.summary, $0.load, $0.byteText) }, file: path, profile: profile))
        } else if review {
            for line in StreamReviewPrinter(path: path, profile: input.profiles.dest, stream: stream).lines(records) {
                print(line)
            }
        } else {
            print(
                "vmscope trace: \(path), a QEMU migration stream; "
                    + StreamReviewPrinter.described(stream, profile: profile))
            for record in records {
                let count = record.load.events.count
                print("\(record.name): \(count) event\(count == 1 ? "" : "s")")
                for line in record.load.textLines(byteText: record.byteText) { print(line) }
                if !record.load.outcome.succeeded { print("result: \(record.load.outcome.summary)") }
            }
        }
        guard let failure = Self.failure(in: records.map { ($0.name, $0.load) }, file: path) else { return }
        let failed = records.first { !$0.load.outcome.succeeded }
        if let damage = stream.index.error {
            // The scan's own message, at its offset, as `dump` and `sections` give it (a RAM
            // chunk cut short fails with it too).
            if failed?.name == StreamSource.damageName || source.failsWithScanError(failed) {
                throw UserFailure.input("\(damage)")
            }
            // The last record fails where the scan stopped (a section or footer cut short, a
            // damaged footer): QEMU's message, then what the scan found there.
            let last = records.last { $0.name != StreamSource.warningsName }
            if let failed, failed.load.streamBase == last?.load.streamBase {
                throw UserFailure.input(failure.message + " (\(damage.scanNote))")
            }
        }
        throw failure
    }

    /// The first run that failed, for stderr (stdout carries the trace): where and why.
    static func failure(in runs: [(name: String, trace: Trace)], file: String) -> UserFailure? {
        guard let (name, trace) = runs.first(where: { !$0.trace.outcome.succeeded }) else { return nil }
        var place = ""
        if let step = trace.failureStep {
            // An error event has no bytes of its own: the read it reports is the one before it.
            let read = trace.events[...step].last { !$0.bytes.isEmpty }
            let offset = read.map { ", offset 0x" + String($0.bytes.lowerBound, radix: 16) } ?? ""
            let path = trace.path(of: trace.events[step])
            place = "step \(step + 1)\(offset)" + (path == name ? "" : ", " + path) + ": "
        }
        let why = oneLine(trace.outcome)
        return .input("\(file): \(name): \(place)\(why)")
    }
}
