import Foundation
import Testing
import VMState

@testable import Scenario

/// The macro table: every line resolves from C under every profile, and the families give the
/// sizes QEMU 7.2's -dump-vmstate shows.
@Suite("C import: macro table")
struct CImportMacroTableTests {
    static let prelude = """
        typedef struct Inner { uint32_t n; uint32_t f[8]; uint64_t x; } Inner;
        typedef struct Fifo32 { Fifo8 fifo; } Fifo32;
        typedef struct Hotplug {
            uint32_t hotplug_select;
            AcpiPciHpPciStatus acpi_pcihp_pci_status[256];
            uint32_t acpi_index;
        } Hotplug;
        typedef struct S {
            uint32_t f[8];
            uint32_t n;
            uint32_t *p;
            Inner inner;
            Fifo32 fifo32;
            Hotplug pcihp;
        } S;
        static bool t_fn(void *opaque, int version_id) { return true; }
        static const VMStateDescription vmstate_inner = {
            .name = "inner",
            .fields = (VMStateField[]) { VMSTATE_UINT32(n, Inner), VMSTATE_END_OF_LIST() }
        };
        static const VMStateDescription vmstate_pair[2] = {
            { .name = "value", .fields = (VMStateField[]) { VMSTATE_UINT32(n, Inner), VMSTATE_END_OF_LIST() } },
            { .name = "key", .fields = (VMStateField[]) { VMSTATE_UINT64(x, Inner), VMSTATE_END_OF_LIST() } },
        };

        """

    /// Macros whose expansion reaches into a member of their first argument.
    static let structArguments = ["VMSTATE_FIFO32": "fifo32", "VMSTATE_PCI_HOTPLUG": "pcihp"]

    /// A call of `definition` with arguments that suit each parameter's role.
    static func call(_ definition: MacroDefinition) -> String {
        if definition.isObjectLike { return definition.name }
        if let member = structArguments[definition.name] {
            let arguments = [member] + definition.parameters.dropFirst().map { $0 == "s" ? "S" : "t_fn" }
            return "\(definition.name)(" + arguments.joined(separator: ", ") + ")"
        }
        let roles = definition.parameterRoles
        var usedPath = false
        let arguments = definition.parameters.map { parameter -> String in
            switch roles[parameter] {
            case .path:
                defer { usedPath = true }
                return usedPath ? "n" : "f"
            case .structType: return "S"
            case .type, .pointee: return "Inner"
            case .integer: return "2"
            case .test: return "t_fn"
            case .vmsd: return "vmstate_inner"
            case .vmsdPair: return "vmstate_pair"
            case .info: return "vmstate_info_uint32"
            case .text, nil: return "\"hint\""
            }
        }
        return "\(definition.name)(\(arguments.joined(separator: ", ")))"
    }

    static let macroNames = MacroTable.definitions.keys.sorted()

    @Test("the table has QEMU 7.2's vmstate.h macros and the common device ones")
    func coverage() {
        let expected = [
            "VMSTATE_UINT32_V", "VMSTATE_INT32_POSITIVE_LE", "VMSTATE_SINGLE_FULL", "VMSTATE_POINTER_TEST",
            "VMSTATE_UINT16_SUB_ARRAY", "VMSTATE_UINT64_2DARRAY_V", "VMSTATE_VARRAY_UINT16_UNSAFE",
            "VMSTATE_STRUCT_VARRAY_POINTER_KNOWN", "VMSTATE_STRUCT_2DARRAY_TEST", "VMSTATE_VSTRUCT_TEST",
            "VMSTATE_ARRAY_OF_POINTER_TO_STRUCT", "VMSTATE_BUFFER_UNSAFE_INFO_TEST", "VMSTATE_PARTIAL_VBUFFER_UINT32",
            "VMSTATE_UNUSED_VARRAY_UINT32", "VMSTATE_WITH_TMP", "VMSTATE_VALIDATE", "VMSTATE_GTREE_DIRECT_KEY_V",
            "VMSTATE_TIMER_PTR_ARRAY", "VMSTATE_PCI_DEVICE", "VMSTATE_USB_DEVICE", "VMSTATE_VIRTIO_DEVICE",
            "VMSTATE_CPU", "VMSTATE_MACADDR", "VMSTATE_PTIMER", "VMSTATE_FIFO8", "VMSTATE_CLOCK",
            "VMSTATE_I2C_SLAVE", "VMSTATE_VARRAY_OF_POINTER_TO_STRUCT_UINT8_ALLOC",
        ]
        for name in expected { #expect(MacroTable.definitions[name] != nil, "\(name)") }
        #expect(MacroTable.malformedLines.isEmpty)
        #expect(MacroTable.definitions.count > 180)
    }

    @Test("every macro resolves from C under every profile", arguments: macroNames)
    func resolves(name: String) throws {
        let definition = try #require(MacroTable.definitions[name])
        let text =
            Self.prelude + """
                static const VMStateDescription vmstate_s = {
                    .name = "s",
                    .fields = (VMStateField[]) {
                        \(Self.call(definition)),
                        VMSTATE_END_OF_LIST()
                    }
                };
                """
        let result = CImportFixtures.importText(["m.c": text])
        let unexpected = CImportFixtures.warnings(result).filter {
            !$0.message.contains("not defined in the files read")
        }
        #expect(unexpected.isEmpty, "\(unexpected)")
        let vmsd = try #require(result.vmsds.first { $0.name == "s" })
        #expect(vmsd.placeholderCount == 0)
        for profile in Profile.all {
            let side = try #require(result.scenario).build(.source, profile: profile)
            #expect(side.definitions["s"]?.fields.isEmpty == false, "\(profile.name)")
        }
    }

    @Test("every family's Description matches families.describe.json")
    func families() throws {
        let result = CImportFixtures.importFixtures(["families.c"])
        let expected = try String(contentsOfFile: CImportFixtures.path("families.describe.json"), encoding: .utf8)
        #expect(result.descriptionJSON == expected)
    }

    @Test(
        "sizes as QEMU 7.2 sets them",
        arguments: [
            ("VMSTATE_TIMER_PTR(f, S)", 8), ("VMSTATE_STRUCT_POINTER(p, S, vmstate_inner, Inner)", 8),
            ("VMSTATE_ARRAY_OF_POINTER(f, S, 2, 0, vmstate_info_uint32, uint32_t *)", 8),
            ("VMSTATE_VBUFFER(p, S, 0, NULL, n)", 0), ("VMSTATE_UNUSED(12)", 12),
            ("VMSTATE_STATIC_BUFFER(f, S, 0, NULL, 4, 20)", 16), ("VMSTATE_BUFFER(f, S)", 32),
            ("VMSTATE_PCI_DEVICE(inner, S)", 2608), ("VMSTATE_VBUFFER_MULTIPLY(p, S, 0, NULL, n, 3)", 3),
        ])
    func sizes(call: String, size: Int) {
        let text =
            Self.prelude + """
                static const VMStateDescription vmstate_s = {
                    .name = "s", .fields = (VMStateField[]) { \(call), VMSTATE_END_OF_LIST() }
                };
                """
        let result = CImportFixtures.importText(["m.c": text])
        #expect(CImportFixtures.fields(CImportFixtures.descriptions(result)["s"]).first?.3 == size)
    }

    @Test("ARRAY_OF_POINTER carries the pointer size in 7.2 and none in the 2026 profiles")
    func arrayOfPointerPerProfile() throws {
        let text =
            Self.prelude + """
                static const VMStateDescription vmstate_s = {
                    .name = "s",
                    .fields = (VMStateField[]) {
                        VMSTATE_ARRAY_OF_POINTER(f, S, 2, 0, vmstate_info_uint32, uint32_t *),
                        VMSTATE_VARRAY_OF_POINTER_TO_STRUCT_UINT8_ALLOC(p, S, n, vmstate_inner, Inner),
                        VMSTATE_END_OF_LIST()
                    }
                };
                """
        let scenario = try #require(CImportFixtures.importText(["m.c": text]).scenario)
        let legacy = try #require(try scenario.build(.source, profile: .qemu72).definitions["s"])
        let auto = try #require(try scenario.build(.source, profile: .autoAlloc).definitions["s"])
        let drop = try #require(try scenario.build(.source, profile: .dropAutoAlloc).definitions["s"])
        #expect(legacy.fields[0].size == 8)
        #expect(auto.fields[0].size == 0)
        #expect(auto.fields[1].flags.contains(.arrayOfPointerAutoAlloc))
        #expect(drop.fields[1].flags.contains(.alloc) && !drop.fields[1].flags.contains(.arrayOfPointerAutoAlloc))
        #expect(auto.fields[1].size == 48 && legacy.fields[1].size == 8)
    }
}
