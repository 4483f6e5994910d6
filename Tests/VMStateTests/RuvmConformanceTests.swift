import Scenario
import TestSupport
import Testing
import VMState

/// The AUTO_ALLOC cases (B) and ruvm's extra cases (C) of conformance-cases.md, by their names.
/// Error texts are the 2026 ones, so these run under `auto-alloc` and `drop-auto-alloc`; the
/// 7.2 wording is tested where it differs.
@Suite("ruvm and AUTO_ALLOC cases")
struct RuvmConformanceTests {
    static let modern: [Profile] = [.autoAlloc, .dropAutoAlloc]

    static func nulls(source: String = "", dest: String = "ar_items_num = 4, ar = new TestStructTriv *[4]") -> String {
        """
        struct TestStructTriv { int32_t i; }
        struct TestArrayOfPtrToStuctWithNulls { uint32_t ar_items_num; TestStructTriv **ar; }
        vmsd "test/tst" for TestStructTriv as vmsd_tst {
            version_id 1  minimum_version_id 1
            fields { VMSTATE_INT32(i, TestStructTriv) }
        }
        vmsd "test/arps_with_nulls" for TestArrayOfPtrToStuctWithNulls {
            version_id 1  minimum_version_id 1
            fields {
                VMSTATE_VARRAY_OF_POINTER_TO_STRUCT_UINT32_ALLOC(ar, TestArrayOfPtrToStuctWithNulls, ar_items_num,
                    vmsd_tst, TestStructTriv)
            }
        }
        device "test/arps_with_nulls" { source { \(source) } dest { \(dest) } }
        """
    }
    static let nullsSource = """
        ar_items_num = 4,
        ar = new TestStructTriv *[4] [new TestStructTriv { i = 0 }, null, new TestStructTriv { i = 2 },
            new TestStructTriv { i = 3 }]
        """
    static let nullsWire = hexBytes("31 00 00 00 00 30 31 00 00 00 02 31 00 00 00 03 00")

    @Test("array_ptr_nulls_str_save", arguments: modern)
    func nullsSave(profile: Profile) throws {
        let trace = try Fixture(Self.nulls(source: Self.nullsSource)).save(profile)
        #expect(trace.stream + [0] == Self.nullsWire)
        // B3: the vmdesc has a ptr-marker entry before every element and no index keys.
        let expected =
            #"{"vmsd_name": "test/arps_with_nulls", "version": 1, "fields": ["#
            + #"{"name": "ar", "type": "ptr-marker", "size": 1}, {"name": "ar", "type": "struct", "struct": "#
            + #"{"vmsd_name": "test/tst", "version": 1, "fields": [{"name": "i", "type": "int32", "size": 4}]}, "size": 4}, "#
            + #"{"name": "ar", "type": "ptr-marker", "size": 1}, {"name": "ar", "type": "ptr-marker", "size": 1}, "#
            + #"{"name": "ar", "type": "struct", "struct": {"vmsd_name": "test/tst", "version": 1, "fields": "#
            + #"[{"name": "i", "type": "int32", "size": 4}]}, "size": 4}, {"name": "ar", "type": "ptr-marker", "size": 1}, "#
            + #"{"name": "ar", "type": "struct", "struct": {"vmsd_name": "test/tst", "version": 1, "fields": "#
            + #"[{"name": "i", "type": "int32", "size": 4}]}, "size": 4}]}"#
        #expect(trace.vmdesc == expected)
    }

    @Test("array_ptr_nulls_str_load", arguments: modern)
    func nullsLoad(profile: Profile) throws {
        let loaded = try Fixture(Self.nulls()).load(Self.nullsWire, profile, version: 1)
        #expect(loaded.trace.outcome == .success)
        #expect(loaded.trace.streamError == nil)
        #expect(try loaded.value("ar[1]") == 0)
        #expect(try [0, 2, 3].map { try loaded.value("ar[\($0)].i") } == [0, 2, 3])
        // Three fresh zeroed allocations, one per VALID marker.
        let allocations = loaded.trace.events.compactMap { event -> Bool? in
            if case .allocation(_, let size, let zeroed, _, _) = event.kind, size == 4 { return zeroed }
            return nil
        }
        #expect(allocations == [true, true, true])
        #expect(traceProblems(loaded.trace).isEmpty)
    }

    @Test("array_ptr_bad_marker", arguments: modern)
    func badMarker(profile: Profile) throws {
        let loaded = try Fixture(Self.nulls()).load(hexBytes("32 00 00 00 00"), profile, version: 1)
        #expect(loaded.message == "Unexpected ptr marker: 50")
        #expect(loaded.trace.streamError == -22)
    }

    @Test("all NULL markers leave every slot NULL", arguments: modern)
    func allNull(profile: Profile) throws {
        let loaded = try Fixture(Self.nulls()).load(hexBytes("30 30 30 30 00"), profile, version: 1)
        #expect(loaded.trace.outcome == .success)
        #expect(try (0..<4).map { try loaded.value("ar[\($0)]") } == [0, 0, 0, 0])
    }

    @Test("non-NULL destination slot: auto-alloc asserts, drop-auto-alloc reallocates and leaks")
    func nonNullSlot() throws {
        let fixture = try Fixture(
            Self.nulls(dest: "ar_items_num = 4, ar = new TestStructTriv *[4] [new TestStructTriv { i = 9 }]"))
        let autoAlloc = try fixture.load(Self.nullsWire, .autoAlloc, version: 1)
        guard case .assertionFailed(let condition) = autoAlloc.trace.outcome else {
            Issue.record("auto-alloc should assert, got \(autoAlloc.trace.outcome)")
            return
        }
        #expect(condition.hasPrefix("!auto_alloc || *slot == NULL"))
        let drop = try fixture.load(Self.nullsWire, .dropAutoAlloc, version: 1)
        #expect(drop.trace.outcome == .success)
        #expect(try drop.value("ar[0].i") == 0)
        #expect(drop.count("leak") == 1)
    }

    @Test("VALID marker at a field without per-element allocation asserts")
    func validMarkerWithoutAlloc() throws {
        let fixture = try Fixture(
            QEMUConformanceTests.arrayOfStructPointers(dest: "ar = [null, null, null, null]"))
        let wire = hexBytes("31 00 00 00 00 30 30 30 00")
        #expect(
            try fixture.load(wire, .autoAlloc, version: 1).trace.outcome
                == .assertionFailed("field->flags & VMS_ARRAY_OF_POINTER_AUTO_ALLOC"))
        #expect(
            try fixture.load(wire, .dropAutoAlloc, version: 1).trace.outcome
                == .assertionFailed("field->flags & VMS_ALLOC"))
        // Before 2026 there is no VALID marker: any byte but 0x30 is an error.
        let legacy = try fixture.load(wire, .qemu72, version: 1)
        #expect(legacy.firstMessage == "vmstate: get_nullptr expected VMS_NULLPTR_MARKER")
        #expect(legacy.message == "Failed to load test/arps:ar")
        #expect(
            try fixture.load(hexBytes("35 00"), .dropAutoAlloc, version: 1).message == "Unexpected ptr marker: 53")
    }

    static let dev = """
        struct Inner { uint8_t x; int16_t y; }
        struct Dev { uint32_t reg; Inner inner; uint16_t extra; bool send_extra; }
        vmsd "inner" for Inner as vmstate_inner {
            version_id 1  minimum_version_id 1
            fields { VMSTATE_UINT8(x, Inner)  VMSTATE_INT16(y, Inner) }
        }
        vmsd "dev/extra" for Dev {
            version_id 3  minimum_version_id 3
            needed send_extra
            fields { VMSTATE_UINT16(extra, Dev) }
        }
        vmsd "dev" for Dev {
            version_id 1  minimum_version_id 1
            fields {
                VMSTATE_UINT32(reg, Dev)
                VMSTATE_STRUCT(inner, Dev, 0, vmstate_inner, Inner)
            }
            subsections { "dev/extra" }
        }
        """
    static let present = hexBytes("11 22 33 44 07 ff fe 05 09 64 65 76 2f 65 78 74 72 61 00 00 00 03 be ef 00")

    static func dev(source: String = "", dest: String = "") throws -> Fixture {
        try Fixture(dev + "\ndevice \"dev\" { source { \(source) } dest { \(dest) } }")
    }
    static let devSource = "reg = 0x11223344, extra = 0xbeef, inner = { x = 7, y = -2 }"

    @Test("subsection_present", arguments: Profile.all)
    func subsectionPresent(profile: Profile) throws {
        let fixture = try Self.dev(source: Self.devSource + ", send_extra = true")
        #expect(try fixture.save(profile).stream + [0] == Self.present)
        let loaded = try fixture.load(Self.present, profile, version: 1)
        #expect(loaded.trace.outcome == .success)
        #expect(try ["reg", "inner.x", "inner.y", "extra"].map(loaded.value) == [0x1122_3344, 7, -2, 0xbeef])
        #expect(try loaded.value("send_extra") == 0)
    }

    @Test("subsection_absent", arguments: Profile.all)
    func subsectionAbsent(profile: Profile) throws {
        let fixture = try Self.dev(source: Self.devSource + ", send_extra = false", dest: "extra = 0x1234")
        let wire = hexBytes("11 22 33 44 07 ff fe 00")
        #expect(try fixture.save(profile).stream + [0] == wire)
        #expect(try fixture.truncationsThatLoad(wire, profile, version: 1).isEmpty)
        let loaded = try fixture.load(wire, profile, version: 1)
        #expect(try ["extra", "inner.x", "inner.y"].map(loaded.value) == [0x1234, 7, -2])
    }

    @Test("subsection_unknown")
    func subsectionUnknown() throws {
        var wire = Self.present
        wire[17] = UInt8(ascii: "X")
        for profile in Self.modern {
            #expect(
                try Self.dev().load(wire, profile, version: 1).message
                    == "VM subsection 'dev/extrX' in 'dev' does not exist")
        }
        // 7.2 returns -ENOENT without a word, and leaves the stream error clear.
        let legacy = try Self.dev().load(wire, .qemu72, version: 1)
        #expect(legacy.trace.outcome == .failed(code: -2, messages: []))
        #expect(legacy.trace.streamError == nil)
    }

    @Test("subsection other prefix left alone", arguments: Profile.all)
    func otherPrefix(profile: Profile) throws {
        let loaded = try Self.dev().load(hexBytes("11 22 33 44 07 ff fe 05 05 6f 74 68 65 72"), profile, version: 1)
        #expect(loaded.trace.outcome == .success)
        #expect(loaded.trace.bytesConsumed == 7)
        #expect(loaded.trace.streamError == nil)
    }

    @Test("subsection_too_old")
    func subsectionTooOld() throws {
        var wire = Self.present
        wire[21] = 0x02
        for profile in Self.modern {
            #expect(
                try Self.dev().load(wire, profile, version: 1).message
                    == "Loading VM subsection 'dev/extra' in 'dev' failed: dev/extra: incoming version_id 2 is too old "
                    + "for local minimum version_id 3")
        }
        #expect(
            try Self.dev().load(wire, .qemu72, version: 1).message
                == "dev/extra: incoming version_id 2 is too old for local minimum version_id  3")
    }

    @Test("subsection_version_is_one_byte", arguments: Profile.all)
    func subsectionVersionOneByte(profile: Profile) throws {
        var wire = Self.present
        wire[20] = 0x01
        let loaded = try Self.dev().load(wire, profile, version: 1)
        #expect(loaded.trace.outcome == .success)
        #expect(try loaded.value("extra") == 0xbeef)
    }

    @Test("section_too_old_and_too_new")
    func sectionVersions() throws {
        let fixture = try Fixture(QEMUConformanceTests.versioned)
        for profile in Self.modern {
            #expect(
                try fixture.load([], profile, version: 0).message
                    == "test/versioned: incoming version_id 0 is too old for local minimum version_id 1")
            #expect(
                try fixture.load([], profile, version: 3).message
                    == "test/versioned: incoming version_id 3 is too new for local version_id 2")
        }
        #expect(
            try fixture.load([], .qemu72, version: 0).message
                == "test/versioned: incoming version_id 0 is too old for local minimum version_id  1")
    }

    @Test("nested vstruct error", arguments: modern)
    func nestedVStruct(profile: Profile) throws {
        let fixture = try Fixture(
            """
            struct Inner { uint8_t pad; }
            struct Outer { Inner inner; }
            vmsd "inner" for Inner as vmstate_inner { version_id 2  minimum_version_id 2  fields { } }
            vmsd "outer" for Outer {
                version_id 1  minimum_version_id 1
                fields { VMSTATE_VSTRUCT(inner, Outer, vmstate_inner, Inner, 1) }
            }
            device "outer" { }
            """)
        #expect(
            try fixture.load([0], profile, version: 1).message
                == "inner: incoming version_id 1 is too old for local minimum version_id 2")
    }

    @Test("truncated_stream_reports_eio")
    func truncated() throws {
        let fixture = try Fixture(QEMUConformanceTests.primitive)
        let wire = Array(QEMUConformanceTests.primitiveWire.prefix(4))
        for profile in Self.modern {
            let loaded = try fixture.load(wire, profile, version: 1)
            #expect(loaded.message == "Failed to load simple/primitive state: stream error: -5")
            #expect(loaded.trace.streamError == -5)
        }
        let legacy = try fixture.load(wire, .qemu72, version: 1)
        #expect(legacy.message == "Failed to load simple/primitive:u16_1")
        #expect(legacy.trace.streamError == -5)
    }

    static let misc = """
        struct Misc {
            uint32_t magic; int32_t count; uint32_t len; uint16_t *data; uint32_t blob_len; uint8_t *blob;
            uint8_t fixed[3]; int32_t limit;
        }
        test len_ok = len <= 4
        vmsd "misc" for Misc {
            version_id 1  minimum_version_id 1
            fields {
                VMSTATE_UINT32_EQUAL(magic, Misc, NULL)
                VMSTATE_UNUSED(3)
                VMSTATE_INT32_EQUAL(count, Misc, NULL)
                VMSTATE_UINT32(len, Misc)
                VMSTATE_VALIDATE("len_ok", len_ok)
                VMSTATE_VARRAY_UINT32_ALLOC(data, Misc, len, 0, vmstate_info_uint16, uint16_t)
                VMSTATE_UINT32(blob_len, Misc)
                VMSTATE_VBUFFER_ALLOC_UINT32(blob, Misc, 0, NULL, blob_len)
                VMSTATE_BUFFER(fixed, Misc)
                VMSTATE_INT32_POSITIVE_LE(limit, Misc)
            }
        }
        """
    static let miscWire = hexBytes(
        "00 00 ca fe 00 00 00 ff ff ff ff 00 00 00 02 01 02 03 04 00 00 00 03 09 08 07 61 62 63 00 00 00 05 00")

    static func misc(dest: String) throws -> Fixture {
        let source = """
            magic = 0xcafe, count = -1, len = 2, data = new uint16_t[2] [0x0102, 0x0304], blob_len = 3,
            blob = new uint8_t[3] [9, 8, 7], fixed = "abc", limit = 5
            """
        return try Fixture(misc + "\ndevice \"misc\" { source { \(source) } dest { \(dest) } }")
    }

    @Test("buffers_varrays_and_checks", arguments: Profile.all)
    func buffersAndChecks(profile: Profile) throws {
        let fixture = try Self.misc(dest: "magic = 0xcafe, count = -1, limit = 10")
        #expect(try fixture.save(profile).stream + [0] == Self.miscWire)
        var wire = Self.miscWire
        wire.replaceSubrange(4..<7, with: [1, 2, 3])
        let loaded = try fixture.load(wire, profile, version: 1)
        #expect(loaded.trace.outcome == .success)
        #expect(
            try ["len", "data[0]", "data[1]", "blob_len", "blob[2]", "fixed[2]", "limit"].map(loaded.value)
                == [2, 0x0102, 0x0304, 3, 7, 0x63, 5])
        #expect(loaded.count("skip") == 1)
    }

    @Test("equal_mismatch", arguments: modern)
    func equalMismatch(profile: Profile) throws {
        #expect(
            try Self.misc(dest: "magic = 0xcafe, count = 0, limit = 10").load(Self.miscWire, profile).message
                == "0 != ffffffff")
        let magic = try Self.misc(dest: "magic = 1, count = -1, limit = 10").load(Self.miscWire, profile)
        #expect(magic.message == "1 != cafe")
        #expect(magic.trace.streamError == -22)
    }

    @Test("int32_le_rejects_larger", arguments: modern)
    func lessEqual(profile: Profile) throws {
        #expect(
            try Self.misc(dest: "magic = 0xcafe, count = -1, limit = 4").load(Self.miscWire, profile).message
                == "Invalid value 5 expecting positive value <= 4")
    }

    @Test("validate_failure")
    func validateFailure() throws {
        var wire = Self.miscWire
        wire[14] = 5
        let fixture = try Self.misc(dest: "magic = 0xcafe, count = -1, limit = 10")
        for profile in Self.modern {
            #expect(try fixture.load(wire, profile).message == "Input validation failed: misc/len_ok version_id: 1")
        }
        let legacy = try fixture.load(wire, .qemu72)
        #expect(legacy.message == "Input validation failed: misc/len_ok")
        #expect(legacy.trace.outcome == .failed(code: -1, messages: ["Input validation failed: misc/len_ok"]))
    }

    @Test("hook_errors", arguments: modern)
    func hookErrors(profile: Profile) throws {
        let preLoad = try Fixture(
            """
            struct Hooked { uint32_t x; }
            vmsd "hooked" for Hooked { version_id 2  pre_load { return -22 }  fields { } }
            device "hooked" { }
            """)
        #expect(
            try preLoad.load([0], profile, version: 2).message
                == "pre load hook failed for: 'hooked', version_id: 2, minimum version_id: 0, ret: -22")
        let postLoad = try Fixture(
            """
            struct Hooked { uint32_t x; }
            vmsd "hooked" for Hooked {
                version_id 2  minimum_version_id 1
                post_load errp { error "bad version 1" }
                fields { }
            }
            device "hooked" { }
            """)
        #expect(
            try postLoad.load([0], profile, version: 1).message
                == "post load hook failed for: hooked, version_id: 2, minimum_version: 1: bad version 1")
        let preSave = try Fixture(
            """
            struct Hooked { uint32_t x; }
            vmsd "hooked" for Hooked { pre_save { return -1 }  fields { } }
            device "hooked" { }
            """)
        #expect(preSave.scenario.document.vmsds.count == 1)
        #expect(try preSave.save(profile).outcome == .failed(code: -1, messages: ["pre-save failed: hooked"]))
    }

    @Test("vmdesc")
    func vmdesc() throws {
        let fixture = try Fixture(
            """
            struct Segment { uint32_t selector; uint64_t base; }
            struct CPU { Segment segs[3]; uint64_t regs[2]; uint32_t flags; uint8_t extra; }
            test always = 1
            vmsd "segment" for Segment as vmstate_segment {
                version_id 1  minimum_version_id 1
                fields { VMSTATE_UINT32(selector, Segment)  VMSTATE_UINT64(base, Segment) }
            }
            vmsd "cpu/extra" for CPU {
                version_id 1  minimum_version_id 1
                needed extra != 0
                fields { VMSTATE_UINT8(extra, CPU) }
            }
            vmsd "cpu" for CPU {
                version_id 3  minimum_version_id 1
                fields {
                    VMSTATE_STRUCT_ARRAY(segs, CPU, 3, 0, vmstate_segment, Segment)
                    VMSTATE_UINT64_ARRAY(regs, CPU, 2)
                    VMSTATE_UINT32(flags, CPU)
                    VMSTATE_UINT32_TEST(flags, CPU, always)
                }
                subsections { "cpu/extra" }
            }
            device "cpu" { source { extra = 1 } }
            """)
        let expected =
            #"{"vmsd_name": "cpu", "version": 3, "fields": [{"name": "segs", "array_len": 3, "type": "struct", "struct": "#
            + #"{"vmsd_name": "segment", "version": 1, "fields": [{"name": "selector", "type": "uint32", "size": 4}, "#
            + #"{"name": "base", "type": "uint64", "size": 8}]}, "size": 12}, {"name": "regs", "array_len": 2, "#
            + #""type": "uint64", "size": 8}, {"name": "flags[0]", "type": "uint32", "size": 4}, {"name": "flags[1]", "#
            + #""type": "uint32", "size": 4}], "subsections": [{"vmsd_name": "cpu/extra", "version": 1, "fields": "#
            + #"[{"name": "extra", "type": "uint8", "size": 1}]}]}"#
        for profile in Profile.all {
            let trace = try fixture.save(profile)
            #expect(trace.stream.count == 76)
            #expect(trace.vmdesc == expected, "\(profile.name)")
        }
    }
}
