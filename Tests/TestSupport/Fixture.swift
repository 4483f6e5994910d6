import Scenario
import VMState

/// A scenario written inline in a test, with helpers to save, load and read values back.
public struct Fixture {
    public let scenario: Scenario

    public init(_ text: String, file: String = "test.vmscope") throws {
        scenario = try Scenario(parsing: text, file: file)
    }

    /// Saves the first device's source state.
    public func save(_ profile: Profile) throws -> Trace {
        let side = try scenario.build(.source, profile: profile)
        let device = side.devices[0]
        return Engine.save(
            device.vmsd, definitions: side.definitions, heap: side.heap, opaque: device.opaque, profile: profile)
    }

    /// Loads `bytes` into the first device's destination state at `version` (default: the VMSD's).
    public func load(_ bytes: [UInt8], _ profile: Profile, version: Int? = nil) throws -> Loaded {
        let side = try scenario.build(.dest, profile: profile)
        let device = side.devices[0]
        let trace = Engine.load(
            device.vmsd, definitions: side.definitions, stream: bytes, heap: side.heap, opaque: device.opaque,
            version: version ?? device.loadVersion, profile: profile)
        return Loaded(
            trace: trace, opaque: device.opaque, types: side.definitions.types,
            structType: side.definitions[device.vmsd]?.structType)
    }

    /// Runs the whole scenario (save under `source`, load under `dest`).
    public func run(_ source: Profile, _ dest: Profile? = nil) throws -> ScenarioRun {
        try scenario.run(source: source, dest: dest ?? source)
    }

    /// QEMU's `load_vmstate` harness: loading any truncation of `wire` must fail (0 bytes, all but
    /// the last two, the first half, the second half); returns the truncations that did not.
    public func truncationsThatLoad(_ wire: [UInt8], _ profile: Profile, version: Int? = nil) throws -> [Int] {
        var cuts: [Range<Int>] = [0..<0]
        if wire.count > 3 { cuts.append(0..<(wire.count - 2)) }
        cuts.append(0..<(wire.count / 2))
        cuts.append((wire.count / 2)..<(wire.count / 2 * 2))
        var loaded: [Int] = []
        for (index, cut) in cuts.enumerated() {
            let result = try load(Array(wire[cut]), profile, version: version)
            if result.trace.outcome.succeeded && result.trace.streamError == nil { loaded.append(index) }
        }
        return loaded
    }
}

/// The result of a load, with typed access to the destination struct.
public struct Loaded {
    public let trace: Trace
    public let opaque: UInt64
    public let types: TypeTable
    public let structType: String?

    public var heap: Heap { trace.finalHeap }

    /// The integer at `path` (`queues[2].head`, `a`) after the load.
    public func value(_ path: String) throws -> Int64 {
        let evaluator = ExpressionEvaluator(
            heap: heap, types: types, opaque: opaque, structType: structType, versionID: 0)
        return try evaluator.evaluate(.member(Self.steps(path)))
    }

    public static func steps(_ path: String) -> [MemberStep] {
        var steps: [MemberStep] = []
        for part in path.split(separator: ".") {
            var name = Substring(part)
            var indexes: [Int64] = []
            while let open = name.lastIndex(of: "["), let index = Int64(name[name.index(after: open)...].dropLast()) {
                indexes.insert(index, at: 0)
                name = name[..<open]
            }
            steps.append(.name(String(name)))
            steps += indexes.map { .index(.integer($0)) }
        }
        return steps
    }

    public var message: String {
        if case .failed(_, let messages) = trace.outcome { return messages.last ?? "" }
        return trace.outcome.summary
    }

    public var firstMessage: String {
        if case .failed(_, let messages) = trace.outcome { return messages.first ?? "" }
        return trace.outcome.summary
    }

    public func count(_ label: String) -> Int { trace.events.filter { $0.kind.label == label }.count }
}

/// `"01 02 ff"` → bytes.
public func hexBytes(_ text: String) -> [UInt8] {
    text.split(whereSeparator: { $0 == " " || $0 == "\n" }).compactMap { UInt8($0, radix: 16) }
}

public func hexString(_ bytes: [UInt8]) -> String {
    bytes.map { $0 < 16 ? "0" + String($0, radix: 16) : String($0, radix: 16) }.joined(separator: " ")
}

extension String {
    /// The text with the first `target` replaced (Foundation-free).
    public func replacingFirst(_ target: String, with replacement: String) -> String {
        guard let range = range(of: target) else { return self }
        return String(self[..<range.lowerBound]) + replacement + String(self[range.upperBound...])
    }

    private func range(of target: String) -> Range<String.Index>? {
        var index = startIndex
        while index < endIndex {
            if self[index...].hasPrefix(target) { return index..<self.index(index, offsetBy: target.count) }
            index = self.index(after: index)
        }
        return nil
    }
}
