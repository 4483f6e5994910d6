import Foundation
import Scenario
import Testing
import VMState

/// Every mistake in a scenario file names the file, line and column, and what was expected.
@Suite("Scenario parser")
struct ParserTests {
    func error(_ text: String) -> ScenarioError? {
        do {
            let scenario = try Scenario(parsing: text, file: "bad.vmscope")
            _ = try scenario.build(.source, profile: .default)
            _ = try scenario.build(.dest, profile: .default)
            return nil
        } catch {
            return error
        }
    }

    @Test(
        "mistakes are located",
        arguments: [
            ("struct S { uint32_t a }\nvmsd", 2, 5, "expected the VMSD's name"),
            ("struct S {\n  uint32_t a;\n  uint8_t 9b;\n}", 3, 11, "'9b' is not a number"),
            ("vmsd \"x\" for S { }", 1, 1, "unknown struct 'S'"),
            (
                "struct S { uint8_t a; }\nvmsd \"x\" for S {\n  fields { VMSTATE_NOPE(a, S) }\n}", 3, 12,
                "unknown macro VMSTATE_NOPE"
            ),
            (
                "struct S { uint8_t a; }\nvmsd \"x\" for S {\n  fields { VMSTATE_UINT8(a) }\n}", 3, 12,
                "VMSTATE_UINT8 takes 2 arguments"
            ),
            (
                "struct S { uint8_t a; }\nvmsd \"x\" for S {\n  fields { VMSTATE_UINT8(b, S) }\n}", 3, 26,
                "struct S has no member 'b'"
            ),
            ("struct S { uint8_t a; }\nvmsd \"x\" for S { version 1 }", 2, 18, "unknown VMSD member 'version'"),
            (
                "struct S { uint8_t a; }\nvmsd \"x\" for S { fields { field a { flags POINTER|NOPE } } }", 2, 51,
                "unknown flag 'NOPE'"
            ),
            (
                "struct S { uint8_t a; }\nvmsd \"x\" for S { fields { } }\ndevice \"x\" { source { b = 1 } }", 3, 23,
                "'S' has no member 'b'"
            ),
            (
                "struct S { uint8_t a; }\nvmsd \"x\" for S { fields { } }\ndevice \"x\" { source { a = \"long\" } }", 3,
                23, "cannot store a string in a uint8_t"
            ),
            ("title \"x\"\nexpect auto-alloc: wobbles", 2, 20, "unknown outcome 'wobbles'"),
            ("title \"x\"\nexpect auto-aloc: success", 2, 8, "unknown profile 'auto-aloc'; profiles are qemu-7.2,"),
            ("profile qemu-7.1", 1, 9, "unknown profile 'qemu-7.1'"),
            ("expect qemu-7.2 -> drop-auto-aloc: success", 1, 20, "unknown profile 'drop-auto-aloc'"),
            (
                "struct S { uint8_t a; }\nvmsd \"x\" for S { subsections { \"x/y\" } }", 2, 32,
                "subsection 'x/y' is not declared"
            ),
            ("title \"unterminated", 1, 7, "unterminated string"),
            ("struct S { uint8_t a; } $", 1, 25, "unexpected character '$'"),
        ])
    func located(text: String, line: Int, column: Int, message: String) {
        guard let error = error(text) else {
            Issue.record("no error for: \(text)")
            return
        }
        #expect(error.file == "bad.vmscope")
        #expect(error.location == SourceLocation(line: line, column: column), "\(error)")
        #expect(error.message.contains(message), "\(error)")
        #expect(error.description.hasPrefix("bad.vmscope:\(line):\(column): error: "))
    }

    @Test("every macro of the table parses")
    func macroTable() {
        #expect(MacroTable.malformedLines.isEmpty)
        #expect(MacroTable.definitions["VMSTATE_VARRAY_OF_POINTER_TO_STRUCT_UINT32_ALLOC"] != nil)
    }

    @Test("hooks, tests and values parse into their models")
    func models() throws {
        let scenario = try Scenario(
            parsing: """
                struct P { uint32_t a; uint32_t b; }
                struct T { P *parent; int64_t diff; bool skip; }
                test t = !skip && version_id >= 2
                vmsd "t" for T {
                    pre_save { diff = parent.b - parent.a }
                    post_load errp { error "bad" }
                    needed skip || diff == -1
                    fields { }
                }
                expect qemu-7.2 -> auto-alloc: error "x", leaks 2
                """, file: "ok.vmscope")
        let vmsd = try #require(scenario.document.vmsds.first)
        #expect(vmsd.preSave?.description == "{ diff = parent.b - parent.a }")
        #expect(vmsd.postLoad?.usesErrp == true)
        #expect(vmsd.needed?.description == "skip || (diff == -1)")
        #expect(scenario.document.tests["t"]?.description == "!skip && (version_id >= 2)")
        let expectation = try #require(scenario.document.expectations.first)
        #expect(expectation.sourceProfile == "qemu-7.2")
        #expect(expectation.destProfile == "auto-alloc")
        #expect(expectation.facts == [.error("x"), .leaks(2)])
    }

    @Test("struct layout follows C on x86-64")
    func layout() throws {
        let scenario = try Scenario(
            parsing: """
                struct A { uint8_t c; uint64_t q; uint16_t s; }
                struct B { uint8_t c; A a[2]; uint32_t *p; bool flag; }
                union U { uint8_t b; uint32_t w; }
                """, file: "layout.vmscope")
        let types = try scenario.build(.source, profile: .default).definitions.types
        #expect(types["A"]?.size == 24)
        #expect(types["A"]?.member(named: "q")?.offset == 8)
        #expect(types["B"]?.member(named: "a")?.offset == 8)
        #expect(types["B"]?.member(named: "p")?.offset == 56)
        #expect(types["B"]?.size == 72)
        #expect(types["U"]?.size == 4)
    }

    @Test("hostile nesting is an error, not a stack overflow (fuzz-scenario found the first)")
    func hostileNesting() throws {
        let fixtures = URL(fileURLWithPath: #filePath).deletingLastPathComponent().appendingPathComponent("Fixtures")
        // 1,400 '{' in a value, found by fuzz-scenario; the file is not UTF-8, as fuzz input is not.
        let found = try Data(contentsOf: fixtures.appendingPathComponent("fuzz/scenario-nested-braces"))
        let cases = [
            String(decoding: found, as: UTF8.self),
            "struct S { uint8_t a; }\nvmsd \"s\" for S { fields { field a { info uint8; flags SINGLE; field_exists "
                + String(repeating: "1+", count: 100_000) + "1 } } }",
            "struct S { uint8_t a; }\nvmsd \"s\" for S { fields { field a { info uint8; flags SINGLE; field_exists "
                + String(repeating: "(", count: 100_000) + "1" + String(repeating: ")", count: 100_000) + " } } }",
            "struct S { uint8_t " + String(repeating: "*", count: 100_000) + "a; }",
            "struct S { uint8_t a; }\ndevice \"s\" { source { a = " + String(repeating: "[", count: 100_000) + " } }",
        ]
        for text in cases {
            let error = try #require(self.error(text))
            #expect(
                error.message.contains("at most \(ScenarioParser.maximumNesting)"), "\(error.message.prefix(200))")
        }
    }
}
