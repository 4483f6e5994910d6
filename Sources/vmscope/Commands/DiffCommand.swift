import ArgumentParser
import Scenario
import VMState

struct DiffCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "diff",
        abstract: "Where two runs diverge: two profiles, two source/destination pairs, or two versions of a file.",
        discussion: """
            vmscope diff --profile auto-alloc --profile drop-auto-alloc
            vmscope diff FILE --source-profile qemu-7.2 --dest-profile auto-alloc \\
                              --source-profile auto-alloc
            vmscope diff BEFORE.vmscope AFTER.vmscope --profile drop-auto-alloc
            Exit 0 when the runs are equivalent (same wire bytes, outcome, checks, allocations and leaks), 1 when not.
            """
    )

    @Argument(help: "One scenario or C file, or two (before and after a change). Default: the built-in demo.")
    var files: [String] = []

    @Option(name: .long, help: "A profile for both sides of a run; give it twice to compare two.")
    var profile: [String] = []

    @Option(name: .long, help: "The saving side's profile of run A, then of run B.")
    var sourceProfile: [String] = []

    @Option(name: .long, help: "The loading side's profile of run A, then of run B.")
    var destProfile: [String] = []

    func validate() throws {
        guard files.count <= 2 else { throw ValidationError("give at most two files") }
        guard profile.count <= 2, sourceProfile.count <= 2, destProfile.count <= 2 else {
            throw ValidationError("give each profile option at most twice (run A, run B)")
        }
    }

    func run() throws {
        let inputs = try (files.isEmpty ? [nil] : files.map { Optional($0) }).map { try InputFile.load($0) }
        let before = inputs[0]
        let after = inputs.count > 1 ? inputs[1] : inputs[0]
        let defaults = before.scenario.profiles
        func pick(_ values: [String], _ index: Int) throws -> Profile? {
            guard !values.isEmpty else { return nil }
            return try ProfileOptions.named(values[min(index, values.count - 1)])
        }
        func pair(_ index: Int) throws -> ProfilePair {
            let both = try pick(profile, index)
            return ProfilePair(
                source: try pick(sourceProfile, index) ?? both ?? defaults.source,
                dest: try pick(destProfile, index) ?? both ?? defaults.dest)
        }
        let left = try pair(0)
        let right = try pair(1)
        if inputs.count == 1, left.source == right.source, left.dest == right.dest {
            throw UserFailure.usage(
                "diff compares two runs, and both would be \(left.label): give --profile twice (run A, then "
                    + "run B), --source-profile/--dest-profile for each run, or two files")
        }
        let runA = try before.run(left)
        let runB = try after.run(right)
        let report = DiffReport(
            labelA: label(before, left, sameFile: inputs.count == 1),
            labelB: label(after, right, sameFile: inputs.count == 1), runA: runA, runB: runB)
        for line in report.lines { print(line) }
        if !report.equivalent { throw ExitCode(1) }
    }

    private func label(_ input: InputFile, _ pair: ProfilePair, sameFile: Bool) -> String {
        (sameFile ? "" : "\(input.displayName), ") + pair.label
    }
}

/// The comparison of two scenario runs, device by device.
struct DiffReport {
    var lines: [String] = []
    var equivalent = true

    init(labelA: String, labelB: String, runA: ScenarioRun, runB: ScenarioRun) {
        lines.append("A: \(labelA)")
        lines.append("B: \(labelB)")
        for (deviceA, deviceB) in zip(runA.devices, runB.devices) {
            lines.append("")
            lines.append("device \(deviceA.vmsd):")
            compare(deviceA, deviceB)
        }
        if runA.devices.count != runB.devices.count {
            equivalent = false
            lines.append("the runs have \(runA.devices.count) and \(runB.devices.count) devices")
        }
        lines.append("")
        lines.append(equivalent ? "verdict: equivalent" : "verdict: DIFFERENT")
    }

    private mutating func compare(_ a: DeviceRun, _ b: DeviceRun) {
        // Wire bytes: what the sources saved (or the given stream).
        let bytesA = a.save?.stream ?? a.load.stream
        let bytesB = b.save?.stream ?? b.load.stream
        if bytesA == bytesB {
            lines.append("  wire bytes: equal (\(bytesA.count) bytes)")
        } else {
            equivalent = false
            let offset = zip(bytesA, bytesB).prefix { $0 == $1 }.count
            let show = { (bytes: [UInt8]) in
                bytes.dropFirst(offset).prefix(8).map { FieldValue.hex(UInt64($0), digits: 2) }.joined(separator: " ")
            }
            lines.append(
                "  wire bytes: DIFFER at offset 0x\(String(offset, radix: 16)) (A \(bytesA.count) bytes, B \(bytesB.count))"
            )
            lines.append("    A: \(show(bytesA))")
            lines.append("    B: \(show(bytesB))")
        }
        let comparison = TraceComparison(a.load, b.load)
        if let (left, right) = comparison.firstDifference {
            lines.append("  first differing load step: A step \(left + 1), B step \(right + 1)")
            lines.append("    A: \(describe(a.load, left))")
            lines.append("    B: \(describe(b.load, right))")
        } else {
            lines.append("  load traces: the same \(a.load.events.count) steps")
        }
        let allocationsA = events(a.load, "alloc")
        let allocationsB = events(b.load, "alloc")
        if let index = Array(zip(allocationsA, allocationsB)).firstIndex(where: { !sameEvent(a.load, $0, b.load, $1) })
        {
            lines.append(
                "  first differing allocation: A step \(allocationsA[index] + 1), B step \(allocationsB[index] + 1)")
        }
        let outcomeA = a.load.outcome.summary
        let outcomeB = b.load.outcome.summary
        if outcomeA.contains("\n") || outcomeB.contains("\n") {
            // 7.2's error_report texts run over two lines: keep them under their side's label.
            lines.append("  outcome:")
            for (label, text) in [("A", outcomeA), ("B", outcomeB)] {
                lines.append("    \(label): " + text.replacing("\n", with: "\n       "))
            }
        } else {
            lines.append("  outcome: A \(outcomeA); B \(outcomeB)")
        }
        if a.load.outcome != b.load.outcome { equivalent = false }
        let leaksA = events(a.load, "leak").count
        let leaksB = events(b.load, "leak").count
        lines.append("  allocations: A \(allocationsA.count), B \(allocationsB.count); leaks: A \(leaksA), B \(leaksB)")
        if allocationsA.count != allocationsB.count || leaksA != leaksB { equivalent = false }
        for (name, reportA, reportB) in [
            ("source", a.sourceCheck, b.sourceCheck), ("destination", a.destCheck, b.destCheck),
        ] {
            let failedA = Set(reportA.failures.map { "\($0.rule?.rawValue ?? "") \($0.path)" })
            let failedB = Set(reportB.failures.map { "\($0.rule?.rawValue ?? "") \($0.path)" })
            if failedA == failedB {
                lines.append(
                    "  \(name) checks: \(failedA.isEmpty ? "pass in both" : "fail alike: " + failedA.sorted().joined(separator: ", "))"
                )
                continue
            }
            equivalent = false
            for rule in failedA.subtracting(failedB).sorted() {
                lines.append("  \(name) check \(rule): fails in A, passes in B")
            }
            for rule in failedB.subtracting(failedA).sorted() {
                lines.append("  \(name) check \(rule): passes in A, fails in B")
            }
        }
    }

    private func events(_ trace: Trace, _ label: String) -> [Int] {
        trace.events.indices.filter { trace.events[$0].kind.label == label }
    }

    private func sameEvent(_ left: Trace, _ i: Int, _ right: Trace, _ j: Int) -> Bool {
        TraceComparison.withoutAddresses(left.events[i].kind.summary)
            == TraceComparison.withoutAddresses(right.events[j].kind.summary)
    }

    private func describe(_ trace: Trace, _ index: Int) -> String {
        guard index < trace.events.count else { return "(the trace has ended)" }
        let event = trace.events[index]
        let offset = event.bytes.isEmpty ? "" : "0x\(String(event.bytes.lowerBound, radix: 16)) "
        return "\(offset)\(trace.path(of: event)): \(event.kind.summary)"
    }
}
