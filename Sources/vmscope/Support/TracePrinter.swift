import Scenario
import VMState

/// Prints runs as `vmscope trace` shows them.
struct TracePrinter {
    var input: InputFile
    var pair: ProfilePair
    var showSave: Bool

    func print(_ run: ScenarioRun) {
        Swift.print("vmscope trace: \(input.displayName)")
        for device in run.devices {
            guard let trace = showSave ? device.save : device.load else {
                Swift.print("\(device.vmsd): the scenario gives the bytes, nothing was saved")
                continue
            }
            let profile = showSave ? pair.source.name : pair.dest.name
            var size = "\(trace.stream.count) bytes"
            if trace.direction == .load, let saved = device.save?.stream.count, saved < trace.stream.count {
                // The loader reads on into what QEMU writes next; the device's own bytes are the saved ones.
                size = "\(saved) saved bytes (then \(trace.stream.count - saved) of footer, EOF and vmdesc)"
            }
            // The pair is worth naming only when the two sides differ.
            let pairText = pair.source == pair.dest ? "" : " (\(pair.label))"
            Swift.print(
                "\(device.vmsd): \(trace.direction.rawValue) under \(profile)\(pairText), "
                    + "\(size), \(trace.events.count) events")
            for line in trace.textLines() { Swift.print(line) }
            Swift.print("result: \(trace.outcome.summary)" + footer(trace, saved: device.save?.stream.count))
        }
    }

    private func footer(_ trace: Trace, saved: Int?) -> String {
        var parts: [String] = []
        if trace.direction == .load {
            // After the saved state the stream goes on as in QEMU: footer, EOF, vmdesc.
            let total = saved.map { "the \($0) saved" } ?? "\(trace.stream.count)"
            parts.append("consumed \(trace.bytesConsumed) of \(total) bytes")
            if let error = trace.streamError { parts.append("stream error \(error)") }
        }
        let leaks = trace.events.filter { if case .leak = $0.kind { true } else { false } }.count
        if leaks > 0 { parts.append("\(leaks) leaked") }
        return parts.isEmpty ? "" : " (" + parts.joined(separator: ", ") + ")"
    }
}
