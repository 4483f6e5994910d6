import Platform
import Scenario
import VMState

/// `vmscope trace --json`: one object per device with every event. Keys are snake_case and
/// sorted; a value that does not apply (an event without bytes) is left out, not null.
enum TraceJSON {
    struct Device: Encodable {
        var vmsd: String
        var direction: String
        var profile: String
        var sourceProfile: String
        var destProfile: String
        var outcome: String
        var succeeded: Bool
        var streamLength: Int
        var bytesConsumed: Int
        var streamError: Int?
        var events: [Event]
    }

    struct Record: Encodable {
        var record: String
        var offset: Int
        var profile: String
        var outcome: String
        var succeeded: Bool
        var summary: String?
        var events: [Event]
    }

    struct Event: Encodable {
        var step: Int
        var kind: String
        var category: String
        var path: String
        var depth: Int
        var summary: String
        var offset: Int?
        var length: Int?
        var bytes: String?
    }

    static func render(_ run: ScenarioRun, pair: ProfilePair, save: Bool) -> String {
        let devices = run.devices.compactMap { device -> Device? in
            guard let trace = save ? device.save : device.load else { return nil }
            return Device(
                vmsd: device.vmsd, direction: trace.direction.rawValue,
                profile: save ? pair.source.name : pair.dest.name, sourceProfile: pair.source.name,
                destProfile: pair.dest.name, outcome: trace.outcome.summary, succeeded: trace.outcome.succeeded,
                streamLength: trace.stream.count, bytesConsumed: trace.bytesConsumed,
                streamError: trace.streamError, events: events(trace))
        }
        return text(["devices": devices])
    }

    /// A real stream: one object per top-level record, offsets in the file.
    static func render(
        records: [(name: String, summary: String?, trace: Trace, byteText: (Range<Int>, Int) -> String)], file: String,
        profile: String
    ) -> String {
        struct Stream: Encodable {
            var file: String
            var records: [Record]
        }
        let objects = records.map { record in
            Record(
                record: record.name, offset: record.trace.streamBase, profile: profile,
                outcome: record.trace.outcome.summary, succeeded: record.trace.outcome.succeeded,
                summary: record.summary, events: events(record.trace, byteText: record.byteText))
        }
        return text(Stream(file: file, records: objects))
    }

    private static func events(_ trace: Trace, byteText: ((Range<Int>, Int) -> String)? = nil) -> [Event] {
        trace.events.enumerated().map { index, event in
            let bytes = event.bytes
            return Event(
                step: index + 1, kind: event.kind.label, category: event.kind.category.rawValue,
                path: trace.path(of: event), depth: event.depth, summary: event.kind.summary,
                offset: bytes.isEmpty ? nil : bytes.lowerBound, length: bytes.isEmpty ? nil : bytes.count,
                bytes: bytes.isEmpty ? nil : byteText?(bytes, 64) ?? trace.byteText(bytes, limit: 64))
        }
    }

    private static func text(_ value: some Encodable) -> String {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        encoder.keyEncodingStrategy = .convertToSnakeCase
        // Every value here is a string, an integer or a flag, which always encode.
        let data = (try? encoder.encode(value)) ?? Data()
        return String(decoding: data, as: UTF8.self)
    }
}
