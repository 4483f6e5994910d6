import MigrationStream
import Scenario
import VMScopeUI
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
            lines += ReviewTranscript.wrap(ReviewTranscript.ascii(oneLine(trace.outcome)), prefix: "Outcome: ")
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

/// `vmscope trace --review STREAM`: what a reply about a stream that will not load needs, the
/// records that fail with their transcripts, the ones that load counted in one line.
struct StreamReviewPrinter {
    var path: String
    var profile: Profile
    var stream: MigrationStream

    /// How the device sections of `stream` are shown, for the head of a trace or a review.
    static func described(_ stream: MigrationStream, profile: String) -> String {
        stream.vmdesc == nil
            ? "no vmdesc, device sections shown as raw bytes" : "device sections loaded under \(profile)"
    }

    func lines(_ records: [DeviceRecord]) -> [String] {
        func fit(_ line: String) -> String { ReviewTranscript.fit(ReviewTranscript.ascii(line)) }
        func wrap(_ text: String, _ prefix: String) -> [String] {
            ReviewTranscript.wrap(ReviewTranscript.ascii(text), prefix: prefix)
        }
        let damage = stream.index.error
        var lines = [
            fit("vmscope review of \(path)"),
            fit("A QEMU migration stream; " + Self.described(stream, profile: profile.name)),
        ]
        // The damage and warnings entries are the Damage and Warning lines; the records are the
        // stream's own.
        let own = records.filter { $0.name != StreamSource.damageName && $0.name != StreamSource.warningsName }
        let failed = own.filter { !$0.load.outcome.succeeded }
        let verdict =
            failed.isEmpty
            ? (damage == nil ? "all of them load" : "all of them load up to the damage")
            : "\(failed.count) fail: " + failed.map(\.name).joined(separator: ", ")
        lines.append(fit("\(own.count) records, " + verdict))
        if let damage { lines += wrap(damage.detailAtOffset, "Damage: ") }
        if let error = stream.vmdescError { lines += wrap(error.detailAtOffset, "Vmdesc: ") }
        for warning in stream.warnings + stream.misfits {
            lines += wrap(warning.detail(viewing: stream.path), "Warning: ")
        }
        for record in failed {
            lines.append("")
            let steps = record.load.events.count
            let place = "\(record.name) at 0x\(String(record.load.streamBase, radix: 16))"
            lines.append(fit("\(place): \(steps) step\(steps == 1 ? "" : "s")"))
            lines += wrap(oneLine(record.load.outcome), "Outcome: ")
            lines.append("")
            let root = record.load.events.first.map { record.load.path(of: $0) } ?? record.name
            lines += ReviewTranscript.lines(for: record.load, root: root)
        }
        return lines
    }
}

/// A run's outcome on one line: QEMU's messages, innermost first, joined as `trace` joins them.
func oneLine(_ outcome: RunOutcome) -> String {
    outcome.summary.split(separator: "\n").joined(separator: "; ")
}
