import Scenario
import VMState

/// `vmscope trace --review`: a header and the transcript of each device, ASCII, 72 columns.
struct ReviewPrinter {
    var input: InputFile
    var pair: ProfilePair

    func lines(_ run: ScenarioRun, save: Bool) -> [String] {
        var lines = [
            fit("vmscope review of \(input.path ?? "the built-in demo")"),
            fit(
                pair.source == pair.dest
                    ? "Profile: \(pair.source.name), source and destination"
                    : "Profiles: source \(pair.source.name), destination \(pair.dest.name)"),
        ]
        for device in run.devices {
            guard let trace = save ? device.save : device.load else { continue }
            lines.append("")
            let saved = device.save.map { "saved \($0.stream.count) bytes, " } ?? "given bytes, "
            lines.append(
                fit("Device \(device.vmsd): \(saved)\(trace.direction.rawValue) in \(trace.events.count) steps"))
            let allocations = trace.events.filter { $0.kind.label == "alloc" }.count
            let leaks = trace.events.filter { $0.kind.label == "leak" }.count
            let check = save ? device.sourceCheck : device.destCheck
            let checks =
                check.profile.checkRules.isEmpty
                ? "no vmstate_check in \(check.profile.name)"
                : check.passed
                    ? "checks pass"
                    : "checks FAIL: " + check.failures.compactMap { $0.rule?.rawValue }.joined(separator: " ")
            lines += ReviewTranscript.wrap(ReviewTranscript.ascii(trace.outcome.summary), prefix: "Outcome: ")
            lines.append(fit("\(allocations) allocations, \(leaks) leaks; \(checks)"))
            for failure in check.failures {
                lines += ReviewTranscript.wrap(
                    ReviewTranscript.ascii("\(failure.path): \(failure.detail)"),
                    prefix: "  \(failure.rule?.rawValue ?? "") ")
            }
            lines.append("")
            lines += ReviewTranscript.lines(for: trace, root: device.vmsd)
        }
        return lines
    }

    private func fit(_ line: String) -> String { ReviewTranscript.fit(ReviewTranscript.ascii(line)) }
}
