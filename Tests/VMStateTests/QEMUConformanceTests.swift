import Scenario
import TestSupport
import Testing
import VMState

/// QEMU's tests/unit/test-vmstate.c, case by case, on vmscope's engine. The wire bytes include
/// the `00` (QEMU_VM_EOF) the QEMU harness appends after the state.
/// Unless a test says otherwise it runs under every profile: these VMSDs mean the same in all.
@Suite("QEMU test-vmstate.c")
struct QEMUConformanceTests {
    static let primitive = """
        struct TestSimple {
            bool b_1; bool b_2; uint8_t u8_1; uint16_t u16_1; uint32_t u32_1; uint64_t u64_1;
            int8_t i8_1; int8_t i8_2; int16_t i16_1; int16_t i16_2; int32_t i32_1; int32_t i32_2;
            int64_t i64_1; int64_t i64_2;
        }
        vmsd "simple/primitive" for TestSimple {
            version_id 1
            minimum_version_id 1
            fields {
                VMSTATE_BOOL(b_1, TestSimple)  VMSTATE_BOOL(b_2, TestSimple)  VMSTATE_UINT8(u8_1, TestSimple)
                VMSTATE_UINT16(u16_1, TestSimple)  VMSTATE_UINT32(u32_1, TestSimple)
                VMSTATE_UINT64(u64_1, TestSimple)  VMSTATE_INT8(i8_1, TestSimple)  VMSTATE_INT8(i8_2, TestSimple)
                VMSTATE_INT16(i16_1, TestSimple)  VMSTATE_INT16(i16_2, TestSimple)
                VMSTATE_INT32(i32_1, TestSimple)  VMSTATE_INT32(i32_2, TestSimple)
                VMSTATE_INT64(i64_1, TestSimple)  VMSTATE_INT64(i64_2, TestSimple)
            }
        }
        device "simple/primitive" {
            source {
                b_1 = true, b_2 = false, u8_1 = 130, u16_1 = 512, u32_1 = 70000, u64_1 = 12121212,
                i8_1 = 65, i8_2 = -65, i16_1 = 512, i16_2 = -512, i32_1 = 70000, i32_2 = -70000,
                i64_1 = 12121212, i64_2 = -12121212
            }
        }
        """
    static let primitiveWire = hexBytes(
        """
        01 00 82 02 00 00 01 11 70 00 00 00 00 00 b8 f4 7c 41 bf 02 00 fe 00
        00 01 11 70 ff fe ee 90 00 00 00 00 00 b8 f4 7c ff ff ff ff ff 47 0b 84 00
        """)

    @Test("simple/primitive", arguments: Profile.all)
    func simplePrimitive(profile: Profile) throws {
        let fixture = try Fixture(Self.primitive)
        let saved = try fixture.save(profile)
        #expect(saved.outcome == .success)
        #expect(saved.stream + [0] == Self.primitiveWire)
        #expect(try fixture.truncationsThatLoad(Self.primitiveWire, profile, version: 1).isEmpty)
        let loaded = try fixture.load(Self.primitiveWire, profile, version: 1)
        #expect(loaded.trace.outcome == .success)
        #expect(loaded.trace.streamError == nil)
        let expected: [(String, Int64)] = [
            ("b_1", 1), ("b_2", 0), ("u8_1", 130), ("u16_1", 512), ("u32_1", 70000), ("u64_1", 12_121_212),
            ("i8_1", 65), ("i8_2", -65), ("i16_1", 512), ("i16_2", -512), ("i32_1", 70000), ("i32_2", -70000),
            ("i64_1", 12_121_212), ("i64_2", -12_121_212),
        ]
        for (member, value) in expected { #expect(try loaded.value(member) == value, "\(member)") }
        #expect(traceProblems(loaded.trace).isEmpty)
        #expect(traceProblems(saved).isEmpty)
    }

    @Test("simple/array", arguments: Profile.all)
    func simpleArray(profile: Profile) throws {
        let fixture = try Fixture(
            """
            struct TestSimpleArray { uint16_t u16_1[3]; }
            vmsd "simple/array" for TestSimpleArray {
                version_id 1  minimum_version_id 1
                fields { VMSTATE_UINT16_ARRAY(u16_1, TestSimpleArray, 3) }
            }
            device "simple/array" { source { u16_1 = [0x42, 0x43, 0x44] } }
            """)
        let wire = hexBytes("00 42 00 43 00 44 00")
        #expect(try fixture.save(profile).stream + [0] == wire)
        #expect(try fixture.truncationsThatLoad(wire, profile, version: 1).isEmpty)
        let loaded = try fixture.load(wire, profile, version: 1)
        #expect(loaded.trace.outcome == .success)
        #expect(try [0, 1, 2].map { try loaded.value("u16_1[\($0)]") } == [0x42, 0x43, 0x44])
    }

    static let versioned = """
        struct TestStruct { uint32_t a; uint32_t b; uint32_t c; uint64_t d; uint32_t e; uint64_t f; }
        vmsd "test/versioned" for TestStruct {
            version_id 2  minimum_version_id 1
            fields {
                VMSTATE_UINT32(a, TestStruct)
                VMSTATE_UINT32_V(b, TestStruct, 2)
                VMSTATE_UINT32(c, TestStruct)
                VMSTATE_UINT64(d, TestStruct)
                VMSTATE_UINT32_V(e, TestStruct, 2)
                VMSTATE_UINT64_V(f, TestStruct, 2)
            }
        }
        device "test/versioned" { dest { b = 200, e = 500, f = 600 } }
        """

    @Test("versioned/load/v1", arguments: Profile.all)
    func versionedLoadV1(profile: Profile) throws {
        let wire = hexBytes("00 00 00 0a 00 00 00 1e 00 00 00 00 00 00 00 28 00")
        let loaded = try Fixture(Self.versioned).load(wire, profile, version: 1)
        #expect(loaded.trace.streamError == nil)
        #expect(try ["a", "b", "c", "d", "e", "f"].map(loaded.value) == [10, 200, 30, 40, 500, 600])
    }

    @Test("versioned/load/v2", arguments: Profile.all)
    func versionedLoadV2(profile: Profile) throws {
        let wire = hexBytes(
            "00 00 00 0a 00 00 00 14 00 00 00 1e 00 00 00 00 00 00 00 28 00 00 00 32 00 00 00 00 00 00 00 3c 00")
        let loaded = try Fixture(Self.versioned).load(wire, profile, version: 2)
        #expect(loaded.trace.streamError == nil)
        #expect(try ["a", "b", "c", "d", "e", "f"].map(loaded.value) == [10, 20, 30, 40, 50, 60])
    }

    static func skip(source: String = "", dest: String = "") -> String {
        """
        struct TestStruct { uint32_t a; uint32_t b; uint32_t c; uint64_t d; uint32_t e; uint64_t f; bool skip_c_e; }
        test test_skip = !skip_c_e
        vmsd "test/skip" for TestStruct {
            version_id 2  minimum_version_id 1
            fields {
                VMSTATE_UINT32(a, TestStruct)
                VMSTATE_UINT32(b, TestStruct)
                VMSTATE_UINT32_TEST(c, TestStruct, test_skip)
                VMSTATE_UINT64(d, TestStruct)
                VMSTATE_UINT32_TEST(e, TestStruct, test_skip)
                VMSTATE_UINT64_V(f, TestStruct, 2)
            }
        }
        device "test/skip" { source { \(source) } dest { \(dest) } }
        """
    }

    @Test("field_exists/load/noskip", arguments: Profile.all)
    func fieldExistsLoadNoSkip(profile: Profile) throws {
        let wire = hexBytes(
            "00 00 00 0a 00 00 00 14 00 00 00 1e 00 00 00 00 00 00 00 28 00 00 00 32 00 00 00 00 00 00 00 3c 00")
        let loaded = try Fixture(Self.skip(dest: "skip_c_e = false")).load(wire, profile, version: 2)
        #expect(loaded.trace.streamError == nil)
        #expect(try ["a", "b", "c", "d", "e", "f"].map(loaded.value) == [10, 20, 30, 40, 50, 60])
    }

    @Test("field_exists/load/skip", arguments: Profile.all)
    func fieldExistsLoadSkip(profile: Profile) throws {
        let wire = hexBytes("00 00 00 0a 00 00 00 14 00 00 00 00 00 00 00 28 00 00 00 00 00 00 00 3c 00")
        let loaded = try Fixture(Self.skip(dest: "skip_c_e = true, c = 300, e = 500")).load(wire, profile, version: 2)
        #expect(loaded.trace.streamError == nil)
        #expect(try ["a", "b", "c", "d", "e", "f"].map(loaded.value) == [10, 20, 300, 40, 500, 60])
    }

    @Test("field_exists/save/noskip", arguments: Profile.all)
    func fieldExistsSaveNoSkip(profile: Profile) throws {
        let trace = try Fixture(Self.skip(source: "a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, skip_c_e = false"))
            .save(profile)
        #expect(
            hexString(trace.stream)
                == "00 00 00 01 00 00 00 02 00 00 00 03 00 00 00 00 00 00 00 04 00 00 00 05 00 00 00 00 00 00 00 06")
    }

    @Test("field_exists/save/skip", arguments: Profile.all)
    func fieldExistsSaveSkip(profile: Profile) throws {
        let trace = try Fixture(Self.skip(source: "a = 1, b = 2, c = 3, d = 4, e = 5, f = 6, skip_c_e = true"))
            .save(profile)
        #expect(hexString(trace.stream) == "00 00 00 01 00 00 00 02 00 00 00 00 00 00 00 04 00 00 00 00 00 00 00 06")
    }

    static func arrayOfStructPointers(source: String = "", dest: String = "") -> String {
        """
        struct TestStructTriv { int32_t i; }
        struct TestArrayOfPtrToStuct { TestStructTriv *ar[4]; }
        vmsd "test/tst" for TestStructTriv as vmsd_tst {
            version_id 1  minimum_version_id 1
            fields { VMSTATE_INT32(i, TestStructTriv) }
        }
        vmsd "test/arps" for TestArrayOfPtrToStuct {
            version_id 1  minimum_version_id 1
            fields { VMSTATE_ARRAY_OF_POINTER_TO_STRUCT(ar, TestArrayOfPtrToStuct, 4, 0, vmsd_tst, TestStructTriv) }
        }
        device "test/arps" { source { \(source) } dest { \(dest) } }
        """
    }

    @Test("array/ptr/str/no0/save", arguments: Profile.all)
    func arrayPtrStrNo0Save(profile: Profile) throws {
        let source = """
            ar = [new TestStructTriv { i = 0 }, new TestStructTriv { i = 1 }, new TestStructTriv { i = 2 },
                  new TestStructTriv { i = 3 }]
            """
        let trace = try Fixture(Self.arrayOfStructPointers(source: source)).save(profile)
        #expect(hexString(trace.stream + [0]) == "00 00 00 00 00 00 00 01 00 00 00 02 00 00 00 03 00")
    }

    @Test("array/ptr/str/no0/load", arguments: Profile.all)
    func arrayPtrStrNo0Load(profile: Profile) throws {
        let dest = "ar = [new TestStructTriv, new TestStructTriv, new TestStructTriv, new TestStructTriv]"
        let loaded = try Fixture(Self.arrayOfStructPointers(dest: dest))
            .load(hexBytes("00 00 00 00 00 00 00 01 00 00 00 02 00 00 00 03 00"), profile, version: 1)
        #expect(loaded.trace.outcome == .success)
        #expect(try (0..<4).map { try loaded.value("ar[\($0)].i") } == [0, 1, 2, 3])
    }

    @Test("array/ptr/str/0/save", arguments: Profile.all)
    func arrayPtrStr0Save(profile: Profile) throws {
        let source =
            "ar = [new TestStructTriv { i = 0 }, null, new TestStructTriv { i = 2 }, new TestStructTriv { i = 3 }]"
        let trace = try Fixture(Self.arrayOfStructPointers(source: source)).save(profile)
        #expect(hexString(trace.stream + [0]) == "00 00 00 00 30 00 00 00 02 00 00 00 03 00")
    }

    @Test("array/ptr/str/0/load", arguments: Profile.all)
    func arrayPtrStr0Load(profile: Profile) throws {
        let dest = "ar = [new TestStructTriv, null, new TestStructTriv, new TestStructTriv]"
        let loaded = try Fixture(Self.arrayOfStructPointers(dest: dest))
            .load(hexBytes("00 00 00 00 30 00 00 00 02 00 00 00 03 00"), profile, version: 1)
        #expect(loaded.trace.outcome == .success)
        #expect(loaded.trace.streamError == nil)
        #expect(try loaded.value("ar[1]") == 0)
        #expect(try [0, 2, 3].map { try loaded.value("ar[\($0)].i") } == [0, 2, 3])
    }

    static func arrayOfIntPointers(source: String = "", dest: String = "") -> String {
        """
        struct TestArrayOfPtrToInt { int32_t data[4]; int32_t *ar[4]; }
        vmsd "test/arps" for TestArrayOfPtrToInt {
            version_id 1  minimum_version_id 1
            fields { VMSTATE_ARRAY_OF_POINTER(ar, TestArrayOfPtrToInt, 4, 0, vmstate_info_int32, int32_t *) }
        }
        device "test/arps" { source { \(source) } dest { \(dest) } }
        """
    }

    @Test("array/ptr/prim/0/save", arguments: Profile.all)
    func arrayPtrPrim0Save(profile: Profile) throws {
        let source = "data = [0, 1, 2, 3], ar = [&data[0], null, &data[2], &data[3]]"
        let trace = try Fixture(Self.arrayOfIntPointers(source: source)).save(profile)
        #expect(hexString(trace.stream + [0]) == "00 00 00 00 30 00 00 00 02 00 00 00 03 00")
    }

    @Test("array/ptr/prim/0/load", arguments: Profile.all)
    func arrayPtrPrim0Load(profile: Profile) throws {
        let dest = "data = [3, 42, 1, 0], ar = [&data[0], null, &data[2], &data[3]]"
        let loaded = try Fixture(Self.arrayOfIntPointers(dest: dest))
            .load(hexBytes("00 00 00 00 30 00 00 00 02 00 00 00 03 00"), profile, version: 1)
        #expect(loaded.trace.outcome == .success)
        // The 42 behind the NULL slot is untouched.
        #expect(try (0..<4).map { try loaded.value("data[\($0)]") } == [0, 42, 2, 3])
    }

    static func queue(source: String = "", dest: String = "") -> String {
        """
        struct TestQtailqElement { bool b; uint8_t u8; QTAILQ_ENTRY next; }
        struct TestQtailq { int16_t i16; QTAILQ_HEAD q; int32_t i32; }
        vmsd "test/queue-element" for TestQtailqElement as vmstate_q_element {
            version_id 1  minimum_version_id 1
            fields { VMSTATE_BOOL(b, TestQtailqElement)  VMSTATE_UINT8(u8, TestQtailqElement) }
        }
        vmsd "test/queue" for TestQtailq {
            version_id 1  minimum_version_id 1
            fields {
                VMSTATE_INT16(i16, TestQtailq)
                VMSTATE_QTAILQ_V(q, TestQtailq, 1, vmstate_q_element, TestQtailqElement, next)
                VMSTATE_INT32(i32, TestQtailq)
            }
        }
        device "test/queue" { source { \(source) } dest { \(dest) } }
        """
    }
    static let queueWire = hexBytes("fe 00 01 01 82 01 00 41 00 00 01 11 70 00")

    @Test("qtailq/save/saveq", arguments: Profile.all)
    func qtailqSave(profile: Profile) throws {
        let source = """
            i16 = -512, i32 = 70000,
            q = qtailq(next) [ new TestQtailqElement { b = true, u8 = 130 }, new TestQtailqElement { b = false, u8 = 65 } ]
            """
        #expect(try Fixture(Self.queue(source: source)).save(profile).stream + [0] == Self.queueWire)
    }

    @Test("qtailq/load/loadq", arguments: Profile.all)
    func qtailqLoad(profile: Profile) throws {
        let loaded = try Fixture(Self.queue(dest: "q = qtailq(next) []")).load(Self.queueWire, profile, version: 1)
        #expect(loaded.trace.outcome == .success)
        #expect(loaded.trace.streamError == nil)
        // The next byte after the state is the EOF marker.
        #expect(loaded.trace.bytesConsumed == Self.queueWire.count - 1)
        #expect(try loaded.value("i16") == -512)
        #expect(try loaded.value("i32") == 70000)
        let first = UInt64(bitPattern: try loaded.value("q.tqh_first"))
        let second = loaded.heap.readPointer(first + 8) ?? 0
        #expect(loaded.heap.read(first, count: 2) == [1, 130])
        #expect(loaded.heap.read(second, count: 2) == [0, 65])
        #expect(loaded.heap.readPointer(second + 8) == 0)
        // The head's tql_prev points at the last element's link.
        #expect(UInt64(bitPattern: try loaded.value("q.tql_prev")) == second + 8)
    }

    static func qlist(source: String = "", dest: String = "") -> String {
        """
        struct TestQListElement { uint32_t id; QLIST_ENTRY next; }
        struct TestQListContainer { uint32_t id; QLIST_HEAD list; }
        vmsd "test/queue list" for TestQListElement as vmstate_qlist_element {
            version_id 1  minimum_version_id 1
            fields { VMSTATE_UINT32(id, TestQListElement) }
        }
        vmsd "test/container/qlist" for TestQListContainer {
            version_id 1  minimum_version_id 1
            fields {
                VMSTATE_UINT32(id, TestQListContainer)
                VMSTATE_QLIST_V(list, TestQListContainer, 1, vmstate_qlist_element, TestQListElement, next)
            }
        }
        device "test/container/qlist" { source { \(source) } dest { \(dest) } }
        """
    }
    static let qlistWire = hexBytes("00 00 00 01 01 00 00 00 0a 01 00 00 0b 00 01 00 0c 00 00 01 0d 00 00 00 00 00")

    @Test("qlist/save/saveqlist", arguments: Profile.all)
    func qlistSave(profile: Profile) throws {
        let source = """
            id = 1, list = qlist(next) [ new TestQListElement { id = 0x0a }, new TestQListElement { id = 0x0b00 },
                new TestQListElement { id = 0xc0000 }, new TestQListElement { id = 0xd000000 } ]
            """
        #expect(try Fixture(Self.qlist(source: source)).save(profile).stream + [0] == Self.qlistWire)
    }

    @Test("qlist/load/loadqlist", arguments: Profile.all)
    func qlistLoad(profile: Profile) throws {
        let loaded = try Fixture(Self.qlist()).load(Self.qlistWire, profile, version: 1)
        #expect(loaded.trace.outcome == .success)
        var ids: [UInt64] = []
        var element = UInt64(bitPattern: try loaded.value("list.lh_first"))
        while element != 0, ids.count < 10 {
            ids.append(loaded.heap.readUnsigned(element, width: 4) ?? 0)
            element = loaded.heap.readPointer(element + 8) ?? 0
        }
        #expect(ids == [0x0a, 0x0b00, 0xc0000, 0xd000000])
    }

    static let gtreeTypes = """
        struct Interval { uint64_t low; uint64_t high; }
        struct Mapping { uint64_t phys_addr; uint32_t flags; }
        struct TestGTreeDomain { int32_t id; GTree *mappings; }
        struct TestGTreeIOMMU { int32_t id; GTree *domains; }
        vmsd "interval" for Interval as vmstate_interval {
            version_id 1  minimum_version_id 1
            fields { VMSTATE_UINT64(low, Interval)  VMSTATE_UINT64(high, Interval) }
        }
        vmsd "mapping" for Mapping as vmstate_mapping {
            version_id 1  minimum_version_id 1
            fields { VMSTATE_UINT64(phys_addr, Mapping)  VMSTATE_UINT32(flags, Mapping) }
        }
        vmsd "domain" for TestGTreeDomain as vmstate_domain {
            version_id 1  minimum_version_id 1
            fields {
                VMSTATE_INT32(id, TestGTreeDomain)
                VMSTATE_GTREE_V(mappings, TestGTreeDomain, 1, { vmstate_mapping, vmstate_interval }, Interval, Mapping)
            }
        }
        vmsd "iommu" for TestGTreeIOMMU {
            version_id 1  minimum_version_id 1
            fields {
                VMSTATE_INT32(id, TestGTreeIOMMU)
                VMSTATE_GTREE_DIRECT_KEY_V(domains, TestGTreeIOMMU, 1, vmstate_domain, TestGTreeDomain)
            }
        }
        """
    static let domainMappings = """
        gtree [
            new Interval { low = 0x1000, high = 0x1fff }: new Mapping { phys_addr = 0xa000, flags = 1 },
            new Interval { low = 0x4000, high = 0x4fff }: new Mapping { phys_addr = 0xe0000, flags = 2 },
        ]
        """
    static let domainWire = hexBytes(
        """
        00 00 00 06 00 00 00 02
        01 00 00 00 00 00 00 10 00 00 00 00 00 00 00 1f ff 00 00 00 00 00 00 a0 00 00 00 00 01
        01 00 00 00 00 00 00 40 00 00 00 00 00 00 00 4f ff 00 00 00 00 00 0e 00 00 00 00 00 02
        00 00
        """)

    @Test("gtree/save/savedomain", arguments: Profile.all)
    func gtreeSaveDomain(profile: Profile) throws {
        let fixture = try Fixture(
            Self.gtreeTypes + "\ndevice \"domain\" { source { id = 6, mappings = \(Self.domainMappings) } }")
        #expect(try fixture.save(profile).stream + [0] == Self.domainWire)
    }

    @Test("gtree/load/loaddomain", arguments: Profile.all)
    func gtreeLoadDomain(profile: Profile) throws {
        // The domain's pre_load creates the empty tree.
        let fixture = try Fixture(Self.gtreeTypes + "\ndevice \"domain\" { dest { mappings = gtree [] } }")
        let loaded = try fixture.load(Self.domainWire, profile, version: 1)
        #expect(loaded.trace.outcome == .success)
        #expect(try loaded.value("id") == 6)
        let tree = UInt64(bitPattern: try loaded.value("mappings"))
        #expect(loaded.heap.readUnsigned(tree, width: 8) == 2)
        let node = loaded.heap.readPointer(tree + 8) ?? 0
        let key = loaded.heap.readPointer(node) ?? 0
        let value = loaded.heap.readPointer(node + 8) ?? 0
        #expect(loaded.heap.readUnsigned(key + 8, width: 8) == 0x1fff)
        #expect(loaded.heap.readUnsigned(value, width: 8) == 0xa000)
    }

    static let iommuWire = hexBytes(
        """
        00 00 00 07 00 00 00 02
        01 00 00 00 00 00 00 00 05 00 00 00 05 00 00 00 01
           01 00 00 00 00 01 00 00 00 00 00 00 00 01 ff ff ff 00 00 00 00 0f 00 00 00 00 00 00 03 00
        01 00 00 00 00 00 00 00 06 00 00 00 06 00 00 00 02
           01 00 00 00 00 00 00 10 00 00 00 00 00 00 00 1f ff 00 00 00 00 00 00 a0 00 00 00 00 01
           01 00 00 00 00 00 00 40 00 00 00 00 00 00 00 4f ff 00 00 00 00 00 0e 00 00 00 00 00 02 00
        00 00
        """)

    @Test("gtree/save/saveiommu", arguments: Profile.all)
    func gtreeSaveIOMMU(profile: Profile) throws {
        let source = """
            id = 7, domains = gtree [
                5: new TestGTreeDomain { id = 5, mappings = gtree [
                    new Interval { low = 0x1000000, high = 0x1ffffff }: new Mapping { phys_addr = 0xf000000, flags = 3 } ] },
                6: new TestGTreeDomain { id = 6, mappings = \(Self.domainMappings) },
            ]
            """
        let fixture = try Fixture(Self.gtreeTypes + "\ndevice \"iommu\" { source { \(source) } }")
        #expect(try fixture.save(profile).stream + [0] == Self.iommuWire)
    }

    @Test("gtree/load/loadiommu", arguments: Profile.all)
    func gtreeLoadIOMMU(profile: Profile) throws {
        // Each domain's pre_load creates its empty tree, as QEMU's test does; the iommu's tree
        // exists before the load.
        let types = Self.gtreeTypes.replacingFirst(
            "vmsd \"domain\" for TestGTreeDomain as vmstate_domain {",
            with: "vmsd \"domain\" for TestGTreeDomain as vmstate_domain {\n    pre_load { mappings = new GTree }")
        let fixture = try Fixture(types + "\ndevice \"iommu\" { dest { domains = gtree [] } }")
        let loaded = try fixture.load(Self.iommuWire, profile, version: 1)
        #expect(loaded.trace.outcome == .success)
        #expect(try loaded.value("id") == 7)
        let tree = UInt64(bitPattern: try loaded.value("domains"))
        #expect(loaded.heap.readUnsigned(tree, width: 8) == 2)
        let first = loaded.heap.readPointer(tree + 8) ?? 0
        #expect(loaded.heap.readPointer(first) == 5)
        let domain = loaded.heap.readPointer(first + 8) ?? 0
        #expect(loaded.heap.readUnsigned(domain, width: 4) == 5)
        let mappings = loaded.heap.readPointer(domain + 8) ?? 0
        #expect(loaded.heap.readUnsigned(mappings, width: 8) == 1)
    }

    @Test("gtree load without a tree faults", arguments: [Profile.default])
    func gtreeLoadWithoutTree(profile: Profile) throws {
        // Without the pre_load, a domain's tree pointer is NULL and g_tree_insert crashes QEMU.
        let fixture = try Fixture(Self.gtreeTypes + "\ndevice \"iommu\" { dest { domains = gtree [] } }")
        let loaded = try fixture.load(Self.iommuWire, profile, version: 1)
        guard case .fault = loaded.trace.outcome else {
            Issue.record("expected a fault, got \(loaded.trace.outcome)")
            return
        }
    }

    static let tmp = """
        struct TestStruct { uint32_t a; uint32_t b; uint64_t d; uint64_t f; }
        struct TmpTestStruct { TestStruct *parent; int64_t diff; }
        vmsd "test/tmp_child_parent" for TestStruct as vmstate_tmp_back_to_parent {
            fields { VMSTATE_UINT64(f, TestStruct) }
        }
        vmsd "test/tmp_child" for TmpTestStruct as vmstate_tmp_child {
            pre_save { diff = parent.b - parent.a }
            post_load { parent.b = parent.a + diff }
            fields {
                VMSTATE_INT64(diff, TmpTestStruct)
                VMSTATE_STRUCT_POINTER(parent, TmpTestStruct, vmstate_tmp_back_to_parent, TestStruct)
            }
        }
        vmsd "test/with_tmp" for TestStruct {
            version_id 1
            fields {
                VMSTATE_UINT32(a, TestStruct)
                VMSTATE_UINT64(d, TestStruct)
                VMSTATE_WITH_TMP(TestStruct, TmpTestStruct, vmstate_tmp_child)
            }
        }
        device "test/with_tmp" { source { a = 2, b = 4, d = 1, f = 8 } }
        """

    @Test("tmp_struct", arguments: Profile.all)
    func tmpStruct(profile: Profile) throws {
        let fixture = try Fixture(Self.tmp)
        let wire = hexBytes("00 00 00 02 00 00 00 00 00 00 00 01 00 00 00 00 00 00 00 02 00 00 00 00 00 00 00 08 00")
        let saved = try fixture.save(profile)
        #expect(saved.stream + [0] == wire)
        #expect(try fixture.truncationsThatLoad(wire, profile, version: 1).isEmpty)
        let loaded = try fixture.load(wire, profile, version: 1)
        #expect(loaded.trace.outcome == .success)
        #expect(try ["a", "b", "d", "f"].map(loaded.value) == [2, 4, 1, 8])
        // The tmp struct is allocated and freed around the child VMSD.
        #expect(loaded.count("alloc") == 1)
        #expect(loaded.count("free") == 1)
        #expect(loaded.count("leak") == 0)
    }
}
