import VMState

/// A stated outcome that did not happen.
public struct ExpectationMismatch: Sendable, Hashable, CustomStringConvertible {
    public var expectation: String
    public var fact: ExpectedFact
    public var actual: String
    public var location: SourceLocation

    public var description: String { "\(location): expected \(expectation): \(fact), got \(actual)" }
}

extension Scenario {
    /// Runs every `expect` line of the file and returns the facts that did not hold.
    public func verifyExpectations() throws(ScenarioError) -> [ExpectationMismatch] {
        var mismatches: [ExpectationMismatch] = []
        for expectation in document.expectations {
            guard let source = Profile.named(expectation.sourceProfile),
                let dest = Profile.named(expectation.destProfile)
            else {
                throw ScenarioError(
                    file: document.file, location: expectation.location,
                    message: "unknown profile in 'expect \(expectation.sourceProfile)"
                        + " -> \(expectation.destProfile)'; profiles are \(Profile.all.map(\.name).joined(separator: ", "))"
                )
            }
            let run = try self.run(source: source, dest: dest)
            let label = source == dest ? source.name : "\(source.name) -> \(dest.name)"
            for fact in expectation.facts {
                if let actual = Self.mismatch(fact, in: run) {
                    mismatches.append(
                        ExpectationMismatch(
                            expectation: label, fact: fact, actual: actual, location: expectation.location))
                }
            }
        }
        return mismatches
    }

    /// What actually happened, when it is not `fact`; nil when the fact holds.
    static func mismatch(_ fact: ExpectedFact, in run: ScenarioRun) -> String? {
        let loads = run.devices.map(\.load)
        let outcome = loads.first { !$0.outcome.succeeded }?.outcome ?? .success
        func count(_ label: String) -> Int {
            loads.reduce(0) { total, trace in total + trace.events.filter { $0.kind.label == label }.count }
        }
        switch fact {
        case .success:
            return outcome.succeeded ? nil : outcome.summary
        case .error(let message):
            if case .failed(_, let messages) = outcome, messages.contains(message) { return nil }
            return outcome.summary
        case .assertion(let condition):
            if case .assertionFailed(let actual) = outcome, condition.map(actual.hasPrefix) ?? true { return nil }
            return outcome.summary
        case .fault:
            if case .fault = outcome { return nil }
            return outcome.summary
        case .checkPasses:
            let failures = run.devices.flatMap { $0.sourceCheck.failures + $0.destCheck.failures }
            return failures.isEmpty ? nil : "check failed: " + failures.map(\.detail).joined(separator: "; ")
        case .checkFails(let rule):
            let failures = run.devices.flatMap { $0.destCheck.failures }
            if !failures.isEmpty && (rule == nil || failures.contains { $0.rule?.rawValue == rule }) { return nil }
            return failures.isEmpty
                ? "every check passed" : "failed " + failures.compactMap { $0.rule?.rawValue }.joined(separator: ", ")
        case .leaks(let expected):
            let actual = count("leak")
            return actual == expected ? nil : "\(actual) leaks"
        case .allocations(let expected):
            let actual = loads.reduce(0) { total, trace in
                total + trace.events.filter { if case .allocation = $0.kind { true } else { false } }.count
            }
            return actual == expected ? nil : "\(actual) allocations"
        case .bytes(let expected):
            let saved = run.devices.compactMap(\.save).flatMap(\.stream)
            return saved == expected ? nil : "bytes " + saved.map { hexByte($0) }.joined(separator: " ")
        case .streamError(let code):
            let actual = loads.compactMap(\.streamError).first ?? 0
            return actual == code ? nil : "stream error \(actual == 0 ? "none" : String(actual))"
        case .failure(let code):
            if case .failed(let actual, _) = outcome, actual == code { return nil }
            return outcome.summary
        case .value(let path, let expected):
            guard let device = run.dest.devices.first,
                let structType = run.dest.definitions[device.vmsd]?.structType
            else { return "no destination device" }
            let evaluator = ExpressionEvaluator(
                heap: run.dest.heap, types: run.dest.definitions.types, opaque: device.opaque, structType: structType,
                versionID: 0)
            guard let steps = try? ScenarioParser.parseMemberPath(path),
                let actual = try? evaluator.evaluate(.member(steps))
            else { return "\(path) cannot be read" }
            return actual == expected ? nil : "\(path) = \(actual) (0x\(String(UInt64(bitPattern: actual), radix: 16)))"
        }
    }
}

func hexByte(_ byte: UInt8) -> String {
    byte < 16 ? "0" + String(byte, radix: 16) : String(byte, radix: 16)
}
