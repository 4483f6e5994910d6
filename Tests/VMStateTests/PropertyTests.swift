import Scenario
import TestSupport
import Testing
import VMState

/// Generated VMSDs and states: save then load under one profile gives the source state back,
/// and the two 2026 semantics put the same bytes on the wire.
@Suite("Properties")
struct PropertyTests {
    /// A generated scenario and the members whose values must survive the migration.
    struct Case {
        var text: String
        var leaves: [String]
    }

    static let scalars: [(macro: String, type: String, bytes: Int, signed: Bool)] = [
        ("UINT8", "uint8_t", 1, false), ("UINT16", "uint16_t", 2, false), ("UINT32", "uint32_t", 4, false),
        ("UINT64", "uint64_t", 8, false), ("INT8", "int8_t", 1, true), ("INT16", "int16_t", 2, true),
        ("INT32", "int32_t", 4, true), ("INT64", "int64_t", 8, true), ("BOOL", "bool", 1, false),
    ]

    static func value(_ random: inout SeededRandom, bytes: Int, signed: Bool, isBool: Bool) -> Int64 {
        if isBool { return random.chance(50) ? 1 : 0 }
        let raw = random.next() & (bytes == 8 ? UInt64.max : (1 << UInt64(bytes * 8)) - 1)
        if signed, bytes < 8 {
            let shift = UInt64(64 - bytes * 8)
            return Int64(bitPattern: raw << shift) >> Int64(shift)
        }
        return Int64(bitPattern: raw)
    }

    /// Builds a case; `legacyPointers` gives the destination the same non-NULL slots as the
    /// source (what 7.2 and 10.x require), else NULL slots to allocate into.
    static func generate(seed: UInt64, legacyPointers: Bool) -> Case {
        var random = SeededRandom(seed: seed)
        var members: [String] = []
        var fields: [String] = []
        var source: [String] = []
        var dest: [String] = []
        var leaves: [String] = []
        let innerFields = (0..<(1 + random.below(3))).map { _ in scalars[random.below(scalars.count)] }
        let inner =
            "struct Inner { "
            + innerFields.enumerated().map { "\($0.element.type) m\($0.offset);" }.joined(separator: " ") + " }"
        let innerVMSD = """
            vmsd "inner" for Inner as vmstate_inner {
                version_id 1  minimum_version_id 1
                fields { \(innerFields.enumerated().map { "VMSTATE_\($0.element.macro)(m\($0.offset), Inner)" }.joined(separator: " ")) }
            }
            """
        func innerValue(_ random: inout SeededRandom) -> String {
            "{ "
                + innerFields.enumerated().map {
                    "m\($0.offset) = \(value(&random, bytes: $0.element.bytes, signed: $0.element.signed, isBool: $0.element.macro == "BOOL"))"
                }.joined(separator: ", ") + " }"
        }

        for index in 0..<(2 + random.below(6)) {
            let name = "f\(index)"
            switch random.below(7) {
            case 0, 1:
                let scalar = scalars[random.below(scalars.count)]
                members.append("\(scalar.type) \(name);")
                fields.append("VMSTATE_\(scalar.macro)(\(name), Dev)")
                source.append(
                    "\(name) = \(value(&random, bytes: scalar.bytes, signed: scalar.signed, isBool: scalar.macro == "BOOL"))"
                )
                leaves.append(name)
            case 2:
                let scalar = scalars[random.below(scalars.count - 1)]
                let count = 1 + random.below(5)
                members.append("\(scalar.type) \(name)[\(count)];")
                fields.append("VMSTATE_\(scalar.macro)_ARRAY(\(name), Dev, \(count))")
                let values = (0..<count).map { _ in
                    String(value(&random, bytes: scalar.bytes, signed: scalar.signed, isBool: false))
                }
                source.append("\(name) = [\(values.joined(separator: ", "))]")
                leaves += (0..<count).map { "\(name)[\($0)]" }
            case 3:
                let count = 1 + random.below(3)
                members.append("Inner \(name)[\(count)];")
                fields.append("VMSTATE_STRUCT_ARRAY(\(name), Dev, \(count), 0, vmstate_inner, Inner)")
                source.append("\(name) = [\((0..<count).map { _ in innerValue(&random) }.joined(separator: ", "))]")
                for element in 0..<count { leaves += innerFields.indices.map { "\(name)[\(element)].m\($0)" } }
            case 4:
                let count = random.below(4)
                members.append("uint32_t n\(index); uint16_t *\(name);")
                fields.append("VMSTATE_UINT32(n\(index), Dev)")
                fields.append("VMSTATE_VARRAY_UINT32_ALLOC(\(name), Dev, n\(index), 0, vmstate_info_uint16, uint16_t)")
                let values = (0..<count).map { _ in String(random.below(65536)) }
                source.append("n\(index) = \(count)")
                if count > 0 { source.append("\(name) = new uint16_t[\(count)] [\(values.joined(separator: ", "))]") }
                leaves.append("n\(index)")
                leaves += (0..<count).map { "\(name)[\($0)]" }
            case 5:
                let count = 1 + random.below(4)
                members.append("uint32_t n\(index); Inner **\(name);")
                fields.append("VMSTATE_UINT32(n\(index), Dev)")
                fields.append(
                    "VMSTATE_VARRAY_OF_POINTER_TO_STRUCT_UINT32_ALLOC(\(name), Dev, n\(index), vmstate_inner, Inner)")
                let present = (0..<count).map { _ in random.chance(70) }
                let elements = present.map { $0 ? "new Inner \(innerValue(&random))" : "null" }
                source.append(
                    "n\(index) = \(count), \(name) = new Inner *[\(count)] [\(elements.joined(separator: ", "))]")
                let slots = present.map { legacyPointers && $0 ? "new Inner" : "null" }
                dest.append("\(name) = new Inner *[\(count)] [\(slots.joined(separator: ", "))]")
                leaves.append("n\(index)")
                for (element, isPresent) in present.enumerated() where isPresent {
                    leaves += innerFields.indices.map { "\(name)[\(element)].m\($0)" }
                }
            default:
                members.append("uint32_t \(name);")
                fields.append("VMSTATE_UINT32_EQUAL(\(name), Dev, NULL)")
                let number = random.below(1000)
                source.append("\(name) = \(number)")
                dest.append("\(name) = \(number)")
                leaves.append(name)
            }
        }
        let sendExtra = random.chance(50)
        members.append("uint64_t extra; bool send_extra;")
        source.append("extra = \(random.below(1 << 30)), send_extra = \(sendExtra)")
        if sendExtra { leaves.append("extra") }
        let text = """
            \(inner)
            struct Dev { \(members.joined(separator: " ")) }
            \(innerVMSD)
            vmsd "dev/extra" for Dev { version_id 1  minimum_version_id 1  needed send_extra  fields { VMSTATE_UINT64(extra, Dev) } }
            vmsd "dev" for Dev {
                version_id 1  minimum_version_id 1
                fields { \(fields.joined(separator: "\n")) }
                subsections { "dev/extra" }
            }
            device "dev" { source { \(source.joined(separator: ", ")) } dest { \(dest.joined(separator: ", ")) } }
            """
        return Case(text: text, leaves: leaves)
    }

    static let seeds: [UInt64] = Array(1...60)

    @Test("save then load gives the source state back", arguments: Profile.all)
    func roundTrip(profile: Profile) throws {
        for seed in Self.seeds {
            let generated = Self.generate(seed: seed, legacyPointers: profile.pointerArrays == .nullMarkerOnly)
            let run = try Fixture(generated.text).run(profile)
            let device = try #require(run.devices.first)
            #expect(device.load.outcome == .success, "seed \(seed): \(device.load.outcome.summary)")
            #expect(device.destCheck.passed, "seed \(seed): \(device.destCheck.failures)")
            guard let structType = run.dest.definitions["dev"]?.structType else { continue }
            let source = ExpressionEvaluator(
                heap: run.source.heap, types: run.source.definitions.types, opaque: run.source.devices[0].opaque,
                structType: structType, versionID: 0)
            let dest = ExpressionEvaluator(
                heap: device.load.finalHeap, types: run.dest.definitions.types, opaque: run.dest.devices[0].opaque,
                structType: structType, versionID: 0)
            for leaf in generated.leaves {
                let path = Expression.member(Loaded.steps(leaf))
                #expect(try dest.evaluate(path) == source.evaluate(path), "seed \(seed): \(leaf) under \(profile)")
            }
            #expect(traceProblems(device.load).isEmpty, "seed \(seed)")
            #expect(device.load.events.allSatisfy { $0.kind.label != "leak" }, "seed \(seed) leaks")
        }
    }

    @Test("auto-alloc and drop-auto-alloc put the same bytes on the wire")
    func sameWire() throws {
        for seed in Self.seeds {
            let fixture = try Fixture(Self.generate(seed: seed, legacyPointers: false).text)
            let autoAlloc = try fixture.save(.autoAlloc)
            let drop = try fixture.save(.dropAutoAlloc)
            #expect(autoAlloc.outcome == .success && drop.outcome == .success, "seed \(seed)")
            #expect(autoAlloc.stream == drop.stream, "seed \(seed)")
            #expect(autoAlloc.vmdesc == drop.vmdesc, "seed \(seed)")
        }
    }

    @Test("qemu-7.2 and qemu-10 put the same bytes on the wire")
    func legacyWire() throws {
        for seed in Self.seeds {
            let fixture = try Fixture(Self.generate(seed: seed, legacyPointers: true).text)
            #expect(try fixture.save(.qemu72).stream == fixture.save(.qemu10).stream, "seed \(seed)")
        }
    }
}
