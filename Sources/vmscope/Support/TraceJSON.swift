import Foundation
import Scenario
import VMState

/// `vmscope trace --json`: one object per device with every event.
enum TraceJSON {
    static func render(_ run: ScenarioRun, pair: ProfilePair, save: Bool) -> String {
        var devices: [[String: Any]] = []
        for device in run.devices {
            guard let trace = save ? device.save : device.load else { continue }
            var events: [[String: Any]] = []
            for (index, event) in trace.events.enumerated() {
                var object: [String: Any] = [
                    "step": index + 1, "kind": event.kind.label, "category": event.kind.category.rawValue,
                    "path": trace.path(of: event), "depth": event.depth, "summary": event.kind.summary,
                ]
                if !event.bytes.isEmpty {
                    object["offset"] = event.bytes.lowerBound
                    object["length"] = event.bytes.count
                    object["bytes"] = trace.byteText(event.bytes, limit: 64)
                }
                events.append(object)
            }
            var object: [String: Any] = [
                "vmsd": device.vmsd, "direction": trace.direction.rawValue,
                "profile": save ? pair.source.name : pair.dest.name, "source_profile": pair.source.name,
                "dest_profile": pair.dest.name, "outcome": trace.outcome.summary,
                "succeeded": trace.outcome.succeeded, "stream_length": trace.stream.count,
                "bytes_consumed": trace.bytesConsumed, "events": events,
            ]
            if let error = trace.streamError { object["stream_error"] = error }
            devices.append(object)
        }
        let data =
            (try? JSONSerialization.data(withJSONObject: ["devices": devices], options: [.prettyPrinted, .sortedKeys]))
            ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
