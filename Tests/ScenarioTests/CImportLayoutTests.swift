import Foundation
import Scenario
import Testing
import VMState

/// Struct layouts as GCC makes them on x86-64 (the numbers are GCC's: Fixtures/c/layout.c
/// asserts them with _Static_assert), through the scenario the import writes.
@Suite("C import: layouts")
struct CImportLayoutTests {
    /// layout.c with a VMSD that uses every struct, so the scenario declares them.
    static func importLayouts() throws -> (CImportResult, TypeTable) {
        let text = try String(contentsOfFile: CImportFixtures.path("layout.c"), encoding: .utf8)
        let vmsds = """
            static const VMStateDescription vmstate_layouts = {
                .name = "layouts",
                .fields = (VMStateField[]) {
                    VMSTATE_UINT16(c, Padded),
                    VMSTATE_STRUCT(z, Bits, 0, vmstate_layouts, Bits),
                    VMSTATE_UINT16(c, Packed),
                    VMSTATE_UINT32(b, Aligned),
                    VMSTATE_UINT16(hi, WithUnion),
                    VMSTATE_UINT8_2DARRAY(grid, WithUnion, 3, 5),
                    VMSTATE_STRUCT_ARRAY(inner, WithUnion, 2, 0, vmstate_layouts, Padded),
                    VMSTATE_BOOL(flag, WithUnion),
                    VMSTATE_END_OF_LIST()
                }
            };
            """
        let result = CImportFixtures.importText(["layout.c": text + vmsds])
        let types = try #require(result.scenario).build(.source, profile: .qemu72).definitions.types
        return (result, types)
    }

    @Test("sizes and offsets match GCC")
    func gccLayouts() throws {
        let (result, types) = try Self.importLayouts()
        #expect(CImportFixtures.warnings(result).isEmpty, "\(result.diagnostics)")
        #expect(types["Padded"]?.size == 24)
        #expect(types["Padded"]?.member(named: "c")?.offset == 16)
        #expect(types["Bits"]?.size == 12)
        #expect(types["Bits"]?.member(named: "z")?.offset == 8)
        #expect(types["Packed"]?.size == 7)
        #expect(types["Packed"]?.member(named: "c")?.offset == 5)
        #expect(types["Aligned"]?.size == 32)
        #expect(types["Aligned"]?.member(named: "b")?.offset == 16)
        #expect(types["WithUnion"]?.size == 96)
        // `hi` is in an anonymous union: the scenario names it `_anon1`, and the field's path goes
        // through it to the same offset.
        #expect(types["WithUnion"]?.member(named: "_anon1")?.offset == 4)
        let fields = try #require(result.scenario).build(.source, profile: .qemu72).definitions["layouts"]?.fields
        #expect(fields?[4].name == "hi" && fields?[4].offset == 6)
        #expect(types["WithUnion"]?.member(named: "grid")?.offset == 8)
        #expect(types["WithUnion"]?.member(named: "inner")?.offset == 40)
        #expect(types["WithUnion"]?.member(named: "flag")?.offset == 88)
    }

    @Test("the sizes the fields report are the layouts'")
    func describedSizes() throws {
        let (result, _) = try Self.importLayouts()
        let fields = CImportFixtures.fields(CImportFixtures.descriptions(result)["layouts"])
        #expect(fields.map(\.3) == [2, 12, 2, 4, 2, 1, 24, 1])
    }

    @Test("the written scenario lays the structs out the same")
    func roundTrip() throws {
        let (result, types) = try Self.importLayouts()
        let document = try #require(result.document)
        let text = ScenarioText.render(document)
        let reread = try Scenario(parsing: text, file: "layout.vmscope").build(.source, profile: .qemu72)
        for name in ["Padded", "Bits", "Packed", "Aligned", "WithUnion"] {
            #expect(reread.definitions.types[name]?.size == types[name]?.size, "\(name)")
        }
    }

    @Test("an unknown type is guessed with a warning; --size corrects it")
    func unknownTypes() throws {
        let result = CImportFixtures.importFixtures(["unknown.c"])
        let warning = try #require(result.diagnostics.first { $0.message.contains("MysteryType") })
        #expect(warning.severity == .warning)
        #expect(warning.file.hasSuffix("unknown.c"))
        #expect(warning.line == 7)
        let guessed = try #require(result.scenario).build(.source, profile: .default).definitions.types
        #expect(guessed["Odd"]?.member(named: "after")?.offset == 16)

        var options = CImportOptions()
        // --size MysteryType=12:8
        options.sizeOverrides = ["MysteryType": 12, "MysteryType@align": 8]
        let sized = CImportFixtures.importFixtures(["unknown.c"], options: options)
        #expect(!sized.diagnostics.contains { $0.message.contains("unknown type") })
        let types = try #require(sized.scenario).build(.source, profile: .default).definitions.types
        #expect(types["Odd"]?.member(named: "after")?.offset == 20)
    }

    @Test(
        "QEMU's opaque types have their measured sizes",
        arguments: [
            ("PCIDevice", 2608), ("USBDevice", 5864), ("MemoryRegion", 272), ("QEMUTimer", 48), ("Fifo8", 24),
            ("DeviceState", 160), ("SysBusDevice", 816), ("I2CSlave", 168),
        ])
    func opaqueSizes(name: String, size: Int) {
        #expect(QEMUTypeSizes.table[name]?.size == size)
    }
}
