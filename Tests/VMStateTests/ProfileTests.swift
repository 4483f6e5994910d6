import Scenario
import TestSupport
import Testing
import VMState

/// What differs between the profiles, one property at a time.
@Suite("Profiles")
struct ProfileTests {
    @Test("flag numbers")
    func flagNumbers() {
        #expect(Profile.qemu72.flagValues[.end] == 0x10000)
        #expect(Profile.qemu72.flagValues[.multiplyElements] == 0x4000)
        #expect(Profile.qemu10.flagValues[.multiplyElements] == nil)
        #expect(Profile.autoAlloc.flagValues[.arrayOfPointerAutoAlloc] == 0x10000)
        #expect(Profile.autoAlloc.flagValues[.end] == 0x20000)
        #expect(Profile.dropAutoAlloc.flagValues[.arrayOfPointerAutoAlloc] == nil)
        #expect(Profile.dropAutoAlloc.flagValues[.end] == 0x10000)
        // The same raw number means different flags in different profiles.
        #expect(Profile.autoAlloc.flags(fromRaw: 0x10000).flags == [.arrayOfPointerAutoAlloc])
        #expect(Profile.dropAutoAlloc.flags(fromRaw: 0x10000).flags == [.end])
        #expect(
            Profile.dropAutoAlloc.rawValue(of: [.pointer, .varrayUInt32, .arrayOfPointer, .struct, .alloc]) == 0x284a)
        #expect(Profile.default == .dropAutoAlloc)
    }

    @Test("the NVMe macro expands per profile")
    func macroExpansion() throws {
        let scenario = try Scenario.demo()
        var queues: [String: VMStateField] = [:]
        for profile in [Profile.autoAlloc, .dropAutoAlloc, .qemu72] {
            let definitions = try scenario.build(.dest, profile: profile).definitions
            queues[profile.name] = try #require(definitions["nvme-ctrl"]?.fields.last)
        }
        #expect(
            queues["auto-alloc"]?.flags == [
                .pointer, .varrayUInt32, .arrayOfPointer, .struct, .arrayOfPointerAutoAlloc,
            ])
        #expect(queues["drop-auto-alloc"]?.flags == [.pointer, .varrayUInt32, .arrayOfPointer, .struct, .alloc])
        #expect(queues["auto-alloc"]?.size == 16)
        #expect(queues["qemu-7.2"]?.size == 8)
    }

    @Test("check rules per profile")
    func checkRules() {
        #expect(Profile.qemu72.checkRules.isEmpty)
        #expect(Profile.qemu10.checkRules == [.nestedStructs, .endOfList, .subsectionPrefix, .nestedSubsections])
        #expect(Profile.autoAlloc.checkRules.contains(.arrayOfPointerNeedsCount))
        #expect(!Profile.dropAutoAlloc.checkRules.contains(.arrayOfPointerNeedsCount))
        #expect(Profile.dropAutoAlloc.checkRules.contains(.arrayOfPointerWithoutAllocNeedsCount))
    }

    static let holder = """
        struct Item { uint32_t value; }
        struct Holder { uint32_t n; Item **items; }
        vmsd "item" for Item as vmstate_item { version_id 1  minimum_version_id 1  fields { VMSTATE_UINT32(value, Item) } }
        """

    func check(_ field: String, _ profile: Profile, end: String = "") throws -> CheckReport {
        let fixture = try Fixture(
            Self.holder + """
                vmsd "holder" for Holder {
                    version_id 1  minimum_version_id 1
                    fields { VMSTATE_UINT32(n, Holder)  \(field) }
                    \(end)
                }
                device "holder" { }
                """)
        let side = try fixture.scenario.build(.dest, profile: profile)
        return Engine.check(["holder"], definitions: side.definitions, profile: profile)
    }

    @Test("toggling ALLOC off the demo's queues fails the check")
    func allocOff() throws {
        let field = """
            field items { vmsd vmstate_item; flags POINTER|VARRAY_UINT32|ARRAY_OF_POINTER|STRUCT
                num_offset n; size sizeof(Item) }
            """
        // Without ALLOC the seed patch wants size 0 (C7a); with a count, C7c holds.
        let drop = try check(field, .dropAutoAlloc)
        #expect(drop.failures.map(\.rule) == [.arrayOfPointerWithoutSize])
        let withAlloc = try check(field.replacingFirst("STRUCT", with: "STRUCT|ALLOC"), .dropAutoAlloc)
        #expect(withAlloc.passed)
        // Under AUTO_ALLOC the same flags need AUTO_ALLOC for a size.
        #expect(try check(field, .autoAlloc).failures.map(\.rule) == [.arrayOfPointerWithoutSize])
        #expect(
            try check(field.replacingFirst("STRUCT", with: "STRUCT|ARRAY_OF_POINTER_AUTO_ALLOC"), .autoAlloc).passed)
    }

    @Test("AUTO_ALLOC without ARRAY_OF_POINTER")
    func autoAllocAlone() throws {
        let report = try check(
            "field items { vmsd vmstate_item; flags POINTER|STRUCT|ARRAY_OF_POINTER_AUTO_ALLOC; size 4 }", .autoAlloc)
        #expect(report.failures.map(\.rule) == [.autoAllocNeedsArrayOfPointer])
        // The seed patch has no such flag: vmscope warns and ignores it.
        let drop = try check(
            "field items { vmsd vmstate_item; flags POINTER|STRUCT|ARRAY_OF_POINTER_AUTO_ALLOC; size 4 }",
            .dropAutoAlloc)
        #expect(drop.passed)
        #expect(drop.warnings.count == 1)
    }

    @Test("end of list under another header's VMS_END")
    func endOfList() throws {
        // 0x10000 is VMS_END in 7.2 and the seed patch, AUTO_ALLOC in Peter Xu's series.
        let field = "VMSTATE_UINT32(n, Holder)"
        #expect(try check(field, .dropAutoAlloc, end: "end_of_list 0x10000").passed)
        #expect(try check(field, .autoAlloc, end: "end_of_list 0x10000").failures.map(\.rule) == [.endOfList])
        #expect(try check(field, .autoAlloc, end: "end_of_list 0x20000").passed)
    }

    @Test("subsection names start with the parent's")
    func subsectionPrefix() throws {
        let fixture = try Fixture(
            """
            struct S { uint8_t a; }
            vmsd "other/sub" for S { fields { VMSTATE_UINT8(a, S) } }
            vmsd "dev" for S { fields { } subsections { "other/sub" } }
            device "dev" { }
            """)
        let side = try fixture.scenario.build(.dest, profile: .qemu10)
        let report = Engine.check(["dev"], definitions: side.definitions, profile: .qemu10)
        #expect(report.failures.map(\.rule) == [.subsectionPrefix])
    }

    @Test("a VMSD that contains itself is reported, not recursed into for ever")
    func selfReference() throws {
        let fixture = try Fixture(
            """
            struct Node { uint32_t v; Node *next; }
            vmsd "node" for Node as vmstate_node {
                fields { VMSTATE_UINT32(v, Node)  VMSTATE_STRUCT_POINTER(next, Node, vmstate_node, Node) }
            }
            device "node" { source { v = 1, next = new Node { v = 2 } } dest { next = new Node { next = new Node } } }
            """)
        let side = try fixture.scenario.build(.dest, profile: .dropAutoAlloc)
        let report = Engine.check(["node"], definitions: side.definitions, profile: .dropAutoAlloc)
        #expect(report.failures.contains { $0.detail.contains("contains itself") })
        // Writing the vmdesc asks whether the field can be compressed, which recurses into the
        // VMSD for ever in QEMU (a stack overflow); vmscope stops at its nesting bound.
        let saved = try fixture.save(.dropAutoAlloc)
        guard case .limitExceeded(let detail) = saved.outcome else {
            Issue.record("expected the nesting bound, got \(saved.outcome)")
            return
        }
        #expect(detail.contains("nested deeper"))
    }
}
