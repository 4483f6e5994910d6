import Foundation
import MigrationStream
import TestSupport
import Testing
import VMState

/// Damaged copies of real streams: every one decodes to a result or a clean error.
@Suite("Corrupted streams")
struct CorruptionTests {
    enum Damage: String, CaseIterable {
        case truncate, flip, inflateLength, damageVMDesc, splice
    }

    static let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")

    static func damaged(_ original: [UInt8], other: [UInt8], damage: Damage, seed: UInt64) -> [UInt8] {
        var random = SeededRandom(seed: seed)
        var bytes = original
        switch damage {
        case .truncate:
            bytes = Array(bytes.prefix(random.below(bytes.count)))
        case .flip:
            for _ in 0..<(1 + random.below(8)) {
                let at = random.below(bytes.count)
                bytes[at] ^= UInt8(1 << random.below(8))
            }
        case .inflateLength:
            // Any aligned 4 bytes that could be a length, made huge.
            let at = random.below(bytes.count - 4)
            bytes.replaceSubrange(at..<at + 4, with: [0xff, 0xff, 0xff, UInt8(random.below(256))])
        case .damageVMDesc:
            // The vmdesc is the tail of the file: damage a byte in its last tenth.
            let start = bytes.count - bytes.count / 10
            let at = start + random.below(bytes.count - start)
            bytes[at] = [0x7b, 0x7d, 0x22, 0x5b, 0x00, 0x2c][random.below(6)]
        case .splice:
            let cut = random.below(bytes.count)
            let from = random.below(other.count)
            bytes = Array(bytes.prefix(cut)) + Array(other[from...])
        }
        return bytes
    }

    @Test("damaged copies decode or fail cleanly", arguments: Damage.allCases)
    func damagedCopies(damage: Damage) throws {
        let first = try [UInt8](Data(contentsOf: Self.fixtures.appendingPathComponent("shared/pc-min.mig")))
        let second = try [UInt8](Data(contentsOf: Self.fixtures.appendingPathComponent("shared/q35-min.mig")))
        let path = FileManager.default.temporaryDirectory.appendingPathComponent(
            "vmscope-corrupt-\(getpid())-\(damage.rawValue).mig")
        defer { try? FileManager.default.removeItem(at: path) }
        var failures = 0
        for seed in UInt64(1)...24 {
            let bytes = Self.damaged(
                seed % 2 == 0 ? first : second, other: seed % 2 == 0 ? second : first,
                damage: damage, seed: seed)
            try Data(bytes).write(to: path)
            let stream = try MigrationStream(path: path.path)
            let output = TextOutput()
            if AnalyzeDump(stream: stream, options: .init(offsets: true)).write(to: output) != nil { failures += 1 }
            _ = output.finish()
            for section in stream.index.sections where section.ram == nil {
                _ = try? stream.decode(section)
                if let trace = try? stream.loadTrace(section, limits: EngineLimits(maxEvents: 200_000)) {
                    // Whatever the damage, every event stays inside the bytes the engine was given.
                    let end = trace.streamBase + trace.stream.count
                    #expect(
                        trace.events.allSatisfy {
                            $0.bytes.lowerBound >= trace.streamBase && $0.bytes.upperBound <= end
                        })
                }
            }
        }
        // Most damage is noticed; a flipped bit inside a value can be a valid stream.
        if damage == .truncate || damage == .splice { #expect(failures > 12) }
    }
}
