import Testing

@testable import MigrationStream

@Suite("vmdesc JSON parser and Python-compatible writer")
struct JSONTests {
    func render(_ value: JSONValue) -> String {
        let output = TextOutput()
        var json = PythonJSONWriter(output: output)
        json.value(value)
        output.flush()
        return output.text
    }

    @Test("keeps key order and duplicate keys")
    func duplicates() throws {
        let value = try JSONParser.parse(#"{"b": 1, "a": [true, null], "b": {"x": "y"}}"#)
        #expect(value.members?.map(\.key) == ["b", "a", "b"])
        #expect(value["b"] == .object([.init(key: "x", value: .string("y"))]))
        // Python's OrderedDict: first position, last value.
        #expect(
            render(value)
                == "{\n    \"b\": {\n        \"x\": \"y\"\n    },\n    \"a\": [\n        true,\n        null\n    ]\n}")
    }

    @Test("empty containers and nesting as json.dumps(indent=4)")
    func layout() throws {
        let value = try JSONParser.parse(#"{"a": {}, "b": [], "c": [[1]]}"#)
        #expect(
            render(value)
                == "{\n    \"a\": {},\n    \"b\": [],\n    \"c\": [\n        [\n            1\n        ]\n    ]\n}")
    }

    @Test("ensure_ascii escaping")
    func escaping() throws {
        let value = try JSONParser.parse(#"["\u00e9\u20ac\ud83d\ude00", "q\"b\\s\/\n\t\r\b\f\u0001\u007f~"]"#)
        let expected =
            "[\n    \"\\u00e9\\u20ac\\ud83d\\ude00\",\n"
            + "    \"q\\\"b\\\\s/\\n\\t\\r\\b\\f\\u0001\\u007f~\"\n]"
        #expect(render(value) == expected)
    }

    @Test("numbers as Python prints them")
    func numbers() throws {
        let value = try JSONParser.parse(
            "[-0, 12345678901234567890, 1.5, 1e5, 1E-7, 0.0001, 1e16, -2.50, NaN, -Infinity]")
        #expect(
            render(value) == "[\n    0,\n    12345678901234567890,\n    1.5,\n    100000.0,\n    1e-07,\n"
                + "    0.0001,\n    1e+16,\n    -2.5,\n    NaN,\n    -Infinity\n]")
    }

    @Test(
        "errors carry the offset",
        arguments: [
            (#"{"a": 1,}"#, 8, "expected a string key"),
            (#"{"a" 1}"#, 5, "expected ':'"),
            (#"[1 2]"#, 3, "expected ',' or ']'"),
            ("[\"a\u{1}\"]", 3, "control character 0x01 in string"),
            (#"{"a": tru}"#, 6, "invalid literal"),
            (#"{} x"#, 3, "extra data after the JSON value"),
            (#"["abc"#, 5, "unterminated string"),
            (#"["\x"]"#, 3, "invalid escape \\'x'"),
            ("", 0, "unexpected end of JSON"),
        ])
    func errors(text: String, offset: Int, message: String) {
        #expect(throws: JSONParser.Failure(offset: offset, message: message)) { try JSONParser.parse(text) }
    }

    @Test("nesting 10,000 deep is an error, not a stack overflow")
    func deepNesting() {
        let deep = String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000)
        #expect(throws: JSONParser.Failure(offset: 257, message: "nesting deeper than 256")) {
            try JSONParser.parse(deep)
        }
        let objects = String(repeating: #"{"a":"#, count: 10_000)
        #expect(throws: JSONParser.Failure.self) { try JSONParser.parse(objects) }
    }

    @Test("a damaged vmdesc in a stream is reported at its file offset")
    func damagedVMDesc() throws {
        var b = StreamBuilder()
        b.header()
        b.u8(0)
        let jsonStart = b.count + 5
        b.vmdesc(#"{"page_size": 4096, "devices": [}"#)
        let stream = try b.open()
        #expect(stream.index.error == nil)
        let error = try #require(stream.vmdescError)
        #expect(error.location?.offset == jsonStart + 32)
        #expect("\(error)".contains("invalid vmdesc JSON: unexpected character '}'"))
    }

    @Test("a vmdesc nested 10,000 deep fails cleanly")
    func deepVMDesc() throws {
        var b = StreamBuilder()
        b.header()
        b.u8(0)
        b.vmdesc(String(repeating: "[", count: 10_000) + String(repeating: "]", count: 10_000))
        let stream = try b.open()
        #expect("\(try #require(stream.vmdescError))".contains("nesting deeper than 256"))
        #expect(stream.vmdesc == nil)
    }
}
