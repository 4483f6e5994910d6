import Foundation
import Scenario
import VMState

/// `vmscope trace --json`: one object per device with every event.
enum TraceJSON {
    static func render(_ run: ScenarioRun, pair: ProfilePair, save: Bool) -> String {
        var devices: [[String: Any]] = []
        for device in run.devices {
            guard let trace = save ? device.save : device.load else { continue }
            var object: [String: Any] = [
                "vmsd": device.vmsd, "direction": trace.direction.rawValue,
                "profile": save ? pair.source.name : pair.dest.name, "source_profile": pair.source.name,
                "dest_profile": pair.dest.name, "outcome": trace.outcome.summary,
                "succeeded": trace.outcome.succeeded, "stream_length": trace.stream.count,
                "bytes_consumed": trace.bytesConsumed, "events": events(trace),
            ]
            if let error = trace.streamError { object["stream_error"] = error }
            devices.append(object)
        }
        return text(["devices": devices])
    }

    /// A real stream: one object per top-level record, offsets in the file.
    static func render(
        records: [(name: String, summary: String?, trace: Trace)], file: String, profile: String
    ) -> String {
        let objects: [[String: Any]] = records.map { record in
            var object: [String: Any] = [
                "record": record.name, "offset": record.trace.streamBase, "profile": profile,
                "outcome": record.trace.outcome.summary, "succeeded": record.trace.outcome.succeeded,
                "events": events(record.trace),
            ]
            if let summary = record.summary { object["summary"] = summary }
            return object
        }
        return text(["file": file, "records": objects])
    }

    private static func events(_ trace: Trace) -> [[String: Any]] {
        trace.events.enumerated().map { index, event in
            var object: [String: Any] = [
                "step": index + 1, "kind": event.kind.label, "category": event.kind.category.rawValue,
                "path": trace.path(of: event), "depth": event.depth, "summary": event.kind.summary,
            ]
            if !event.bytes.isEmpty {
                object["offset"] = event.bytes.lowerBound
                object["length"] = event.bytes.count
                object["bytes"] = trace.byteText(event.bytes, limit: 64)
            }
            return object
        }
    }

    private static func text(_ object: [String: Any]) -> String {
        let data =
            (try? JSONSerialization.data(withJSONObject: object, options: [.prettyPrinted, .sortedKeys])) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
