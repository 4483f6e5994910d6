import Scenario
import Testing
import VMState

/// The preprocessor: defines, conditionals, includes, and bounds on hostile input.
@Suite("C import: preprocessor")
struct CImportPreprocessorTests {
    @Test("defines, expressions, #if on defined constants, an include through -I")
    func definesAndIncludes() {
        let result = CImportFixtures.importFixtures(["defines.c"])
        #expect(CImportFixtures.warnings(result).isEmpty, "\(result.diagnostics)")
        let description = CImportFixtures.descriptions(result)["timer-dev/v2"]
        #expect(description?["version_id"] as? Int == 21)
        #expect(description?["minimum_version_id"] as? Int == 10)
        let fields = CImportFixtures.fields(description)
        #expect(fields.map(\.0) == ["regs", "deadline", "deadline[TIMER_B]", "ctl_byte", "many"])
        // NR_REGS = (0x40 >> 2) + 4 = 20 uint32 registers; TIMER_MAX = 5 deadlines.
        let document = result.document
        let types = try? result.scenario?.build(.source, profile: .qemu72).definitions.types
        #expect(
            types?["TimerDev"]?.member(named: "deadline")?.type == .array(.integer(bytes: 8, signed: false), count: 5))
        #expect(types?["TimerDev"]?.member(named: "regs")?.offset == 0)
        #expect(types?["TimerDev"]?.member(named: "deadline")?.offset == 80)
        #expect(document?.constants["TIMER_B"] == 3)
    }

    @Test("-D defines a macro before the first line")
    func commandLineDefine() {
        var options = CImportOptions()
        options.defines = [("CONFIG_BIG", "1")]
        let result = CImportFixtures.importFixtures(["defines.c"], options: options)
        let types = try? result.scenario?.build(.source, profile: .qemu72).definitions.types
        // With CONFIG_BIG, EXTRA_REGS is 16: 32 registers.
        #expect(types?["TimerDev"]?.member(named: "deadline")?.offset == 128)
    }

    @Test("a header not found is skipped with a note; a header given on the command line is found")
    func headers() {
        let files = [
            "dev.c": """
            #include "qemu/osdep.h"
            #include "hw/dev/regs.h"
            typedef struct D { uint32_t r[NREGS]; } D;
            static const VMStateDescription vmstate_d = {
                .name = "d", .version_id = 1, .minimum_version_id = 1,
                .fields = (VMStateField[]) { VMSTATE_UINT32_ARRAY(r, D, NREGS), VMSTATE_END_OF_LIST() }
            };
            """,
            "include/hw/dev/regs.h": "#define NREGS 6\n",
        ]
        let withoutHeader = CImportFixtures.importText(files, main: ["dev.c"])
        #expect(withoutHeader.diagnostics.contains { $0.severity == .note && $0.message.contains("qemu/osdep.h") })
        #expect(withoutHeader.diagnostics.contains { $0.severity == .warning && $0.message.contains("NREGS") })
        let withHeader = CImportFixtures.importText(files, main: ["dev.c", "include/hw/dev/regs.h"])
        #expect(CImportFixtures.warnings(withHeader).isEmpty, "\(withHeader.diagnostics)")
        let types = try? withHeader.scenario?.build(.source, profile: .default).definitions.types
        #expect(types?["D"]?.size == 24)
    }

    @Test("#, ## and variadic macros expand as C says")
    func macroOperators() {
        let files = [
            "m.c": """
            #define CAT(a, b) a ## b
            #define NAME(x) #x
            #define FIRST(x, ...) x
            #define COUNT(...) FIRST(__VA_ARGS__, 0)
            #define FIELD(n) VMSTATE_UINT32(CAT(reg, n), S)
            #define SELF SELF + 1
            typedef struct S { uint32_t reg1; uint32_t reg2; uint32_t self; } S;
            static const VMStateDescription vmstate_s = {
                .name = NAME(my-dev),
                .version_id = COUNT(7, 8),
                .fields = (VMStateField[]) { FIELD(1), FIELD(2), VMSTATE_END_OF_LIST() }
            };
            """
        ]
        let result = CImportFixtures.importText(files)
        let description = CImportFixtures.descriptions(result)["my-dev"]
        #expect(description?["version_id"] as? Int == 7)
        #expect(CImportFixtures.fields(description).map(\.0) == ["reg1", "reg2"])
    }

    @Test("#if, #ifdef, #elif and #else pick one group; #if 0 text is never read")
    func conditionals() {
        let files = [
            "c.c": """
            #define A 2
            #if A == 1
            #define PICK one
            #elif A == 2 && !defined(B)
            #define PICK two
            #else
            #define PICK three
            #endif
            #if 0
            this is not C, and an unmatched ' quote
            #endif
            #ifndef A
            #error not taken
            #endif
            typedef struct S { uint32_t one, two, three; } S;
            static const VMStateDescription vmstate_s = {
                .name = "s",
                .fields = (VMStateField[]) { VMSTATE_UINT32(PICK, S), VMSTATE_END_OF_LIST() }
            };
            """
        ]
        let result = CImportFixtures.importText(files)
        #expect(CImportFixtures.warnings(result).isEmpty, "\(result.diagnostics)")
        #expect(CImportFixtures.fields(CImportFixtures.descriptions(result)["s"]).map(\.0) == ["two"])
    }

    /// Hostile nesting, by name (the texts are too long to show as test arguments).
    static let nesting: [String: (text: String, severity: CDiagnostic.Severity)] = [
        "parentheses at file scope": (String(repeating: "(", count: 100_000), .warning),
        "a recursive macro's arguments": (
            "#define F(x) F(x)\nF(" + String(repeating: "F(", count: 20_000) + String(repeating: ")", count: 20_000)
                + ")", .error
        ),
        "an #if expression": (
            "#if " + String(repeating: "(", count: 50_000) + "1" + String(repeating: ")", count: 50_000) + "\n#endif",
            .warning
        ),
        "a field macro's argument": (
            "static const VMStateDescription v = { .fields = (VMStateField[]) { VMSTATE_UINT32("
                + String(repeating: "[", count: 50_000) + ") } };", .error
        ),
        "struct definitions": (
            "struct A { " + String(repeating: "struct { ", count: 5_000) + "int x;"
                + String(repeating: "};", count: 5_000) + " };", .error
        ),
        "an initializer's braces": ("int x = " + String(repeating: "{", count: 100_000) + ";", .warning),
        "a macro that doubles its argument, nested": (
            "#define A0(x) x x\n" + (1...6).map { "#define A\($0)(x) A\($0 - 1)(A\($0 - 1)(x))\n" }.joined()
                + "int y = A6(1);", .error
        ),
    ]

    @Test("deep nesting is reported, never a crash", arguments: nesting.keys.sorted())
    func deepNesting(name: String) throws {
        let (text, severity) = try #require(Self.nesting[name])
        let result = CImportFixtures.importText(["deep.c": text])
        #expect(result.diagnostics.contains { $0.severity == severity && $0.file == "deep.c" })
    }

    @Test("a macro that expands to itself stops")
    func selfReference() {
        let files = ["s.c": "#define LOOP LOOP\n#define A B\n#define B A\nint LOOP; int A;\n"]
        let result = CImportFixtures.importText(files)
        #expect(!result.hasErrors)
    }

    @Test("random bytes never crash the importer", arguments: 0..<20)
    func garbage(seed: Int) {
        var generator = SplitMix(seed: UInt64(seed))
        let alphabet = Array("{}()[]#;,.*&=\"'\\/ \n\tabcXYZ_019VMSTATE_UINT32(#define #if #include \"x.h\"".utf8)
        var bytes: [UInt8] = []
        for _ in 0..<2_000 { bytes.append(alphabet[Int(generator.next() % UInt64(alphabet.count))]) }
        let result = CImportFixtures.importText(["g.c": String(decoding: bytes, as: UTF8.self)])
        #expect(result.vmsds.count < 100)
    }
}

/// A small deterministic generator for the garbage test.
struct SplitMix {
    var state: UInt64
    init(seed: UInt64) { state = seed &+ 0x9e37_79b9_7f4a_7c15 }
    mutating func next() -> UInt64 {
        state &+= 0x9e37_79b9_7f4a_7c15
        var value = state
        value = (value ^ (value >> 30)) &* 0xbf58_476d_1ce4_e5b9
        value = (value ^ (value >> 27)) &* 0x94d0_49bb_1331_11eb
        return value ^ (value >> 31)
    }
}
