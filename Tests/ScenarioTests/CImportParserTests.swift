import Foundation
import Scenario
import Testing
import VMState

/// Reading QEMU's VMSD initializers: subsection spellings, field arrays, callbacks, unknown
/// macros, and syntax errors with their place.
@Suite("C import: parser")
struct CImportParserTests {
    @Test("both subsection spellings, lists in arrays of their own, an empty list")
    func subsections() {
        let result = CImportFixtures.importFixtures(["subsections.c"])
        #expect(CImportFixtures.warnings(result).isEmpty, "\(result.diagnostics)")
        let descriptions = CImportFixtures.descriptions(result)
        func subsectionNames(_ name: String) -> [String]? {
            (descriptions[name]?["Subsections"] as? [[String: Any]])?.compactMap { $0["name"] as? String }
        }
        #expect(subsectionNames("port") == ["port/b", "port/c"])
        #expect(subsectionNames("port-new") == ["port/b", "port/c"])
        #expect(subsectionNames("port-arrays") == ["port/c"])
        #expect(CImportFixtures.fields(descriptions["port-arrays"]).map(\.0) == ["a"])
        // QEMU's dump prints an empty list, and no "Fields" when there are none.
        #expect(subsectionNames("port-empty") == [])
        #expect(descriptions["port-empty"]?["Fields"] == nil)
        #expect(descriptions["port/b"]?["Subsections"] == nil)
        let document = result.document
        #expect(document?.vmsds.first { $0.name == "port" }?.subsections.map(\.name) == ["port/b", "port/c"])
    }

    @Test("callbacks become switches: listed, defaulting to true and 0, and flipped by one edit")
    func callbacks() throws {
        let result = CImportFixtures.importFixtures(["callbacks.c"])
        let switches = result.switches.map(\.description)
        #expect(
            switches.sorted() == [
                "cb.sometimes (field 1): field_exists = cb_sometimes_exists() -> true",
                "cb/extra: needed = cb_extra_needed() -> true",
                "cb: post_load = cb_post_load() -> 0",
                "cb: pre_load = cb_pre_load() -> 0",
                "cb: pre_save = cb_pre_save() -> 0",
            ])
        let scenario = try #require(result.scenario)
        let profile = Profile.qemu72
        let run = try scenario.run(source: profile, dest: profile)
        #expect(run.devices.first?.load.outcome.succeeded == true)
        let saved = run.devices.first?.save?.stream ?? []

        // What if needed() returns false: the subsection is not sent.
        let notNeeded = try scenario.run(
            source: profile, dest: profile, edits: [FieldEdit(vmsd: "cb/extra", change: .needed(false))])
        #expect((notNeeded.devices.first?.save?.stream.count ?? 0) < saved.count)
        // What if field_exists says no.
        let skipped = try scenario.run(
            source: profile, dest: profile, edits: [FieldEdit(vmsd: "cb", field: 1, change: .callback(false))])
        #expect((skipped.devices.first?.save?.stream.count ?? 0) == saved.count - 4)
        // What if post_load fails.
        let failing = try scenario.run(
            source: profile, dest: profile, edits: [FieldEdit(vmsd: "cb", change: .hookReturns(.postLoad, -22))])
        #expect(failing.devices.first?.load.outcome.succeeded == false)
    }

    @Test("an unknown macro is a warning with its place and a placeholder field; the scenario still runs")
    func unknownMacro() throws {
        let result = CImportFixtures.importFixtures(["unknown.c"])
        let warning = try #require(result.diagnostics.first { $0.message.contains("VMSTATE_FROBNICATE") })
        #expect(warning.severity == .warning)
        #expect(warning.file.hasSuffix("unknown.c") && warning.line == 17 && warning.column == 9)
        #expect(result.vmsds.first?.placeholderCount == 1)
        let side = try #require(result.scenario).build(.source, profile: .default)
        let field = try #require(side.definitions["odd"]?.fields[1])
        #expect(field.isPlaceholder)
        #expect(field.macro == "VMSTATE_FROBNICATE(mystery, Odd, 3)")
        let run = try #require(result.scenario).run(source: .default, dest: .default)
        #expect(run.devices.first?.load.outcome.succeeded == true)
    }

    @Test(
        "syntax errors name the file, line, column and what was expected",
        arguments: [
            (
                "static const VMStateDescription v = {\n    .name = \"v\",\n    .fields = (VMStateField[]) {\n"
                    + "        VMSTATE_UINT32(a, S)\n        VMSTATE_UINT32(b, S),\n        VMSTATE_END_OF_LIST()\n    }\n};",
                5, 9, "expected ',' or '}' after a field, found 'VMSTATE_UINT32'"
            ),
            (
                "static const VMStateDescription v = {\n    .name = \"v\",\n    .fields = (VMStateField[]) {\n"
                    + "        VMSTATE_UINT32(a, S,\n        VMSTATE_END_OF_LIST()\n    }\n};",
                4, 9, "expected ')' to close VMSTATE_UINT32(, found the end of the file"
            ),
            (
                "static const VMStateDescription v = {\n    name = \"v\",\n};", 2, 5,
                "expected '.member =' in the VMStateDescription v, found 'name'"
            ),
            (
                "static const VMStateDescription v = {\n    .version_id 1,\n};", 2, 17,
                "expected '=', found '1'"
            ),
            (
                "static const VMStateDescription v = {\n    .fields = (VMStateField[]) {\n        VMSTATE_UINT32(a, S),\n",
                4, 1, "expected '}', found the end of the file"
            ),
        ])
    func syntaxErrors(text: String, line: Int, column: Int, message: String) throws {
        let result = CImportFixtures.importText(["bad.c": text])
        #expect(result.hasErrors)
        let error = try #require(result.diagnostics.first { $0.severity == .error })
        #expect(error.file == "bad.c")
        #expect(error.line == line && error.column == column, "\(error)")
        #expect(error.message.hasPrefix(message), "\(error)")
    }

    @Test("function bodies, attributes, comments and other initializers are skipped")
    func unrelatedCode() {
        let files = [
            "u.c": """
            /* a comment with VMSTATE_UINT32(nope, S) in it */
            typedef struct S { uint32_t a; } __attribute__((aligned(8))) S;
            static const MemoryRegionOps ops = { .read = s_read, .write = s_write, .endianness = 2 };
            static void s_reset(DeviceState *dev) { S *s = S(dev); if (s) { s->a = 0; } }
            static Property props[] = { DEFINE_PROP_UINT32("a", S, a, 0), DEFINE_PROP_END_OF_LIST(), };
            int table[] = { 1, 2, 3 };
            G_STATIC_ASSERT(sizeof(S) == 8);
            static const VMStateDescription vmstate_s = {
                .name = "s", // the name
                .version_id = ARRAY_SIZE(table),
                .fields = (VMStateField[]) { VMSTATE_UINT32(a, S), VMSTATE_END_OF_LIST() }
            };
            type_init(s_register)
            """
        ]
        let result = CImportFixtures.importText(files)
        #expect(CImportFixtures.warnings(result).isEmpty, "\(result.diagnostics)")
        #expect(result.vmsds.map(\.name) == ["s"])
        #expect(CImportFixtures.descriptions(result)["s"]?["version_id"] as? Int == 3)
    }

    @Test("a gtree's pair of VMSDs, a VMSD array, and an explicit field")
    func gtreeAndExplicit() {
        let files = [
            "t.c": """
            typedef struct Key { uint64_t low, high; } Key;
            typedef struct Val { uint32_t flags; } Val;
            typedef struct T { GTree *tree; uint16_t count; } T;
            static const VMStateDescription vmstate_pair[2] = {
                { .name = "val", .fields = (VMStateField[]) { VMSTATE_UINT32(flags, Val), VMSTATE_END_OF_LIST() } },
                { .name = "key", .fields = (VMStateField[]) { VMSTATE_UINT64(low, Key), VMSTATE_END_OF_LIST() } },
            };
            static const VMStateDescription vmstate_t = {
                .name = "t",
                .fields = (VMStateField[]) {
                    VMSTATE_GTREE_V(tree, T, 1, vmstate_pair, Key, Val),
                    { .name = "count", .size = sizeof(uint16_t), .info = &vmstate_info_uint16,
                      .flags = VMS_SINGLE, .offset = offsetof(T, count), .version_id = 2 },
                    VMSTATE_END_OF_LIST()
                }
            };
            """
        ]
        let result = CImportFixtures.importText(files)
        #expect(CImportFixtures.warnings(result).isEmpty, "\(result.diagnostics)")
        let description = CImportFixtures.descriptions(result)["t"]
        #expect(CImportFixtures.fields(description).map { "\($0.0) \($0.1) \($0.3)" } == ["tree 1 4", "count 2 2"])
        let tree = (description?["Fields"] as? [[String: Any]])?.first?["Description"] as? [String: Any]
        #expect(tree?["name"] as? String == "val")
    }

    @Test("a declarator with 100,000 '*' or '[1]' is an error, not a stack overflow")
    func hostileDeclarators() throws {
        for declarator in [
            String(repeating: "*", count: 100_000) + "a", "a" + String(repeating: "[1]", count: 100_000),
        ] {
            let result = CImportFixtures.importText(["bad.c": "struct S { int \(declarator); };\n"])
            let error = try #require(result.diagnostics.first { $0.severity == .error })
            #expect(error.message.hasPrefix("a declarator with more than 200"), "\(error)")
        }
    }
}
