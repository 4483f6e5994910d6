import Foundation
import Testing

@testable import MigrationStream

@Suite("device decoding and the dump")
struct DumpTests {
    func dump(_ stream: MigrationStream, _ options: AnalyzeDump.Options = .init()) -> (String, StreamError?) {
        let output = TextOutput()
        let error = AnalyzeDump(stream: stream, options: options).write(to: output)
        output.flush()
        return (output.text, error)
    }

    @Test("values render as the analyzer prints them")
    func minimalDump() throws {
        let stream = try StreamBuilder.minimal().open()
        let (text, error) = dump(stream)
        #expect(error == nil)
        // The minimal stream has a configuration section without subsections and no commands:
        // the analyzer reads it, so no extra keys.
        #expect(
            text == """
                {
                    "ram (2)": {
                        "section sizes": {
                            "pc.ram": "0x0000000000004000"
                        }
                    },
                    "dev (3)": {
                        "a": "0xdeadbeef",
                        "b": "0xfffe (-2)"
                    }
                }

                """)
    }

    @Test("the value tree carries byte ranges")
    func ranges() throws {
        let stream = try StreamBuilder.minimal().open()
        let section = try #require(stream.index.sections.last)
        let tree = try stream.decode(section)
        #expect(tree.children.map(\.name) == ["a", "b"])
        #expect(tree.children[0].range == section.body.lowerBound..<section.body.lowerBound + 4)
        #expect(tree.children[1].range == section.body.lowerBound + 4..<section.body.upperBound)
        #expect(stream.description(for: section)?["vmsd_name"] == .string("dev"))
    }

    @Test("--memory lists pages in first-seen order with their last contents")
    func memory() throws {
        let stream = try StreamBuilder.minimal().open()
        let (text, _) = dump(stream, .init(memory: true))
        let page = Array(repeating: "ab", count: 4096).joined(separator: " ")
        #expect(
            text.contains(
                "\"memory\": {\n            \"pc.ram (0x0000000000000000)\": \"\(page)\",\n"
                    + "            \"pc.ram (0x0000000000001000)\": \"Filled with 0x00\"\n        }"))
    }

    @Test("--offsets adds every value's range")
    func offsets() throws {
        let stream = try StreamBuilder.minimal().open()
        let section = try #require(stream.index.sections.last)
        let (text, _) = dump(stream, .init(offsets: true))
        let start = String(section.body.lowerBound, radix: 16)
        #expect(
            text.contains(
                "\"a\": {\n            \"@offset\": \"0x\(start)\",\n            \"@size\": 4,\n"
                    + "            \"value\": \"0xdeadbeef\"\n        }"))
    }

    func deviceStream(payload: [UInt8], desc: String, footer: Bool = true) -> StreamBuilder {
        var b = StreamBuilder()
        b.header()
        b.ramStart()
        b.sectionHeader(0x04, id: 3, name: "dev", version: 1)
        b.raw(payload)
        b.footer(3)
        b.u8(0)
        b.vmdesc(#"{"page_size": 4096, "devices": [{"name": "dev", "instance_id": 0, "fields": "# + desc + "}]}")
        return b
    }

    @Test("arrays unroll, structs nest, subsections and nullptr decode")
    func structure() throws {
        let desc = """
            [{"name": "r", "array_len": 2, "type": "uint8", "size": 1}, \
            {"name": "s", "type": "struct", "struct": {"vmsd_name": "s", "version": 1, \
            "fields": [{"name": "f", "type": "bool", "size": 1}]}, "size": 1}, \
            {"name": "p", "index": 0, "type": "nullptr", "size": 1}, \
            {"name": "p", "index": 1, "type": "int32", "size": 4}], \
            "subsections": [{"vmsd_name": "dev/sub", "version": 1, "fields": [{"name": "t", "type": "timer", "size": 2}]}]
            """
        var payload: [UInt8] = [1, 2, 1, 0x30, 0xff, 0xff, 0xff, 0xff, 0x05, 7]
        payload += Array("dev/sub".utf8) + [0, 0, 0, 1, 0xaa, 0xbb]
        let stream = try deviceStream(payload: payload, desc: desc).open()
        #expect(stream.index.error == nil)
        let (text, error) = dump(stream)
        #expect(error == nil)
        #expect(
            text.contains(
                """
                    "dev (3)": {
                        "r": [
                            "0x01",
                            "0x02"
                        ],
                        "s": {
                            "f": true
                        },
                        "p": [
                            "nullptr",
                            "0xffffffff (-1)"
                        ],
                        "dev/sub": {
                            "t": "aa bb"
                        }
                    }
                """))
        let tree = try stream.decode(try #require(stream.index.sections.last))
        #expect(tree.children.map(\.displayName) == ["r[0]", "r[1]", "s", "p[0]", "p[1]", "dev/sub"])
        #expect(tree.children[3].kind == .nullPointer)
        #expect(tree.children[5].kind == .subsection(version: 1))
    }

    @Test("a missing subsection is reported with the section and the subsection name")
    func missingSubsection() throws {
        let desc =
            #"[{"name": "a", "type": "uint8", "size": 1}], "subsections": [{"vmsd_name": "dev/x", "fields": []}]"#
        // The description says a subsection follows; the stream has a 7e footer there.
        var b = StreamBuilder()
        b.header()
        b.ramStart()
        b.sectionHeader(0x04, id: 3, name: "dev", version: 1)
        let at = b.count + 1
        b.raw([0x01])
        b.footer(3)
        b.u8(0)
        b.vmdesc(#"{"page_size": 4096, "devices": [{"name": "dev", "instance_id": 0, "fields": "# + desc + "}]}")
        let stream = try b.open()
        let (text, error) = dump(stream)
        let failure = try #require(error)
        #expect(failure.location?.offset == at)
        #expect(
            "\(failure)".contains(
                "section dev (3), field dev/x: expected subsection dev/x (0x05), found the end of the section payload"))
        // What decoded before it is still printed, as valid JSON, the failing section up to the
        // subsection.
        let value = try JSONParser.parse(text)
        #expect(value.members?.map(\.key) == ["ram (2)", "dev (3)"])
        #expect(value["dev (3)"]?.members?.map(\.key) == ["a"])
        #expect(value["dev (3)"]?["a"]?.string == "0x01")
    }

    @Test("a capability is a counted string, printed as its name (VMSDFieldCap)")
    func capability() throws {
        let payload: [UInt8] = [0x03] + Array("abc".utf8) + [0x0a] + Array("mapped-ram".utf8)
        let desc = #"[{"name": "c", "type": "capability", "size": 4}, {"name": "d", "type": "capability", "size": 4}]"#
        let (text, error) = dump(try deviceStream(payload: payload, desc: desc).open())
        #expect(error == nil)
        #expect(text.contains(#""c": "abc","#))
        #expect(text.contains(#""d": "mapped-ram""#))
    }

    @Test("nullptr must be the 0x30 marker")
    func badNullptr() throws {
        let stream = try deviceStream(payload: [0x31], desc: #"[{"name": "p", "type": "nullptr", "size": 1}]"#).open()
        let failure = try #require(dump(stream).1)
        #expect("\(failure)".contains("field p: expected the nullptr marker 0x30, found 0x31"))
    }

    @Test("a field size past the payload fails without allocating it")
    func hugeField() throws {
        let stream = try deviceStream(
            payload: [0, 0], desc: #"[{"name": "big", "type": "buffer", "size": 4294967296}]"#
        ).open()
        let section = try #require(stream.index.sections.last)
        #expect(section.extent == .inferredFromFooter)
        #expect(throws: StreamError.self) { try stream.decode(section) }
        let message = "\(try #require(dump(stream).1))"
        #expect(message.contains("field big: impossible length 0x100000000 (at most 0x2 bytes remain)"))
    }

    @Test("streams without vmdesc still decode: raw payloads with inferred extents")
    func noVMDesc() throws {
        var b = StreamBuilder()
        b.header()
        b.ramStart()
        b.sectionHeader(0x04, id: 3, name: "dev", version: 1)
        b.raw([1, 2, 3, 0x7e, 0, 0])  // looks like a footer start but the id differs
        b.footer(3)
        b.sectionHeader(0x04, id: 4, name: "other", version: 1)
        b.raw([9])
        b.footer(4)
        b.u8(0)
        let stream = try b.open()
        #expect(stream.index.error == nil)
        #expect(stream.index.sections.map(\.extent) == [.parsed, .inferredFromFooter, .inferredFromFooter])
        let (text, error) = dump(stream)
        #expect(error == nil)
        #expect(
            text.contains(
                """
                    "dev (3)": {
                        "data": "01 02 03 7e 00 00",
                        "extent": "inferred: payload ends at the next matching section footer"
                    },
                """))
    }

    @Test("footerless streams without vmdesc: extents end at the next plausible header")
    func footerless() throws {
        var b = StreamBuilder()
        b.header()
        b.sectionHeader(0x01, id: 2, name: "ram", version: 4)
        b.be64(0x1000 | 0x04)
        b.counted("pc.ram")
        b.be64(0x1000)
        b.be64(0x10)
        b.sectionHeader(0x04, id: 3, name: "dev", version: 1)
        b.raw([4, 0, 0])  // 04 alone is not a plausible header
        b.sectionHeader(0x04, id: 4, name: "timer", version: 2)
        b.raw([1, 2])
        b.u8(0)
        let stream = try b.open()
        #expect(stream.index.error == nil)
        #expect(stream.index.sectionFooters == false)
        #expect(stream.index.sections.map(\.body.count) == [31, 3, 2])
        #expect(stream.index.sections.dropFirst().allSatisfy { $0.extent == .inferredFromHeader })
    }

    @Test("a truncated real stream prints everything before the damage")
    func truncatedReal() throws {
        let bytes = try Fixtures.bytes("shared/pc-min", ".mig")
        var b = StreamBuilder()
        b.bytes = Array(bytes.prefix(0x44000))
        let stream = try b.open()
        let failure = try #require(stream.index.error)
        #expect(failure.location?.offset ?? 0 <= 0x44000)
        let (text, error) = dump(stream)
        #expect(error == failure)
        let value = try JSONParser.parse(text)
        #expect(value.members?.map(\.key).prefix(3) == ["configuration", "ram (2)", "timer (0)"])
    }

    /// pc-min cut to `length` bytes, in a temporary file that is removed after `body`.
    func withCutPCMin(_ length: Int, _ body: (String) throws -> Void) throws {
        var cut = StreamBuilder()
        cut.bytes = Array(try Fixtures.bytes("shared/pc-min", ".mig").prefix(length))
        let path = try cut.write()
        defer { try? FileManager.default.removeItem(at: URL(fileURLWithPath: path).deletingLastPathComponent()) }
        try body(path)
    }

    @Test("the section a stream is cut inside prints up to the cut: its values with a vmdesc, else its bytes")
    func cutSection() throws {
        let whole = try JSONParser.parse(try Fixtures.text("shared/pc-min", ".analyze.json"))
        let bytes = try Fixtures.bytes("shared/pc-min", ".mig")
        // 0x4443e is two bytes into the hpet's second timer's config.
        try withCutPCMin(0x44440) { path in try cutInsideHPET(path, bytes: bytes, whole: whole) }
        // Cut inside the first value: nothing decoded, so the bytes up to the cut, with a vmdesc too.
        try withCutPCMin(0x443fc) { path in
            let first = try MigrationStream(path: path, vmdescFrom: Fixtures.url("shared/pc-min", ".mig").path)
            let (firstText, firstError) = dump(first)
            #expect(firstError?.location?.field == "config")
            let firstValue = try JSONParser.parse(firstText)
            #expect(firstValue.members?.last?.key == "hpet (18)")
            #expect(firstValue["hpet (18)"]?["data"]?.string == "00 00")
            #expect(firstValue["hpet (18)"]?["extent"]?.string == "cut: the stream ends inside the payload")
        }
    }

    func cutInsideHPET(_ path: String, bytes: [UInt8], whole: JSONValue) throws {
        let lent = try MigrationStream(path: path, vmdescFrom: Fixtures.url("shared/pc-min", ".mig").path)
        let (text, error) = dump(lent)
        let failure = try #require(error)
        #expect(failure.location?.offset == 0x4443e && failure.location?.field == "timer[1].config")
        let value = try JSONParser.parse(text)
        #expect(value.members?.last?.key == "hpet (18)")
        let hpet = try #require(value["hpet (18)"]?.members)
        let reference = try #require(whole["hpet (18)"]?.members)
        #expect(hpet.map(\.key) == ["config", "isr", "hpet_counter", "num_timers", "timer"])
        #expect(Array(hpet.prefix(4)).elementsEqual(reference.prefix(4)) { $0.key == $1.key && $0.value == $1.value })
        let timers = try #require(value["hpet (18)"]?["timer"]?.array)
        #expect(timers.count == 2)
        #expect(timers.first == whole["hpet (18)"]?["timer"]?.array?.first)
        #expect(timers.last?.members?.map(\.key) == ["tn"] && timers.last?["tn"]?.string == "0x01")

        // Without a description, the payload's bytes up to the cut, marked as cut.
        let alone = try MigrationStream(path: path)
        let (rawText, rawError) = dump(alone)
        #expect(rawError == alone.index.error)
        // Without a vmdesc, the message says how to decode the devices of a stream cut short.
        #expect(
            "\(try #require(rawError))".hasSuffix(
                "found none before the end of the stream at 0x44440 (the stream may be cut short: --vmdesc FILE "
                    + "lends the vmdesc of a whole stream)"))
        let raw = try JSONParser.parse(rawText)
        #expect(raw.members?.last?.key == "hpet (18)")
        let payloadStart = try #require(alone.index.unfinished?.section?.body.lowerBound)
        let payload = bytes[payloadStart..<0x44440].map { String(format: "%02x", $0) }.joined(separator: " ")
        #expect(raw["hpet (18)"]?["data"]?.string == payload)
        #expect(raw["hpet (18)"]?["extent"]?.string == "cut: the stream ends inside the payload")
    }

    @Test("a stream that fails before any section prints nothing, not an empty object")
    func nothingDecoded() throws {
        var header = StreamBuilder()
        header.header()
        header.bytes.removeLast(2)
        let (text, error) = dump(try header.open())
        #expect(text.isEmpty)
        #expect(error != nil)

        var device = StreamBuilder()
        device.header()
        device.sectionHeader(0x04, id: 3, name: "dev", version: 1)
        device.raw([0x31])
        device.footer(3)
        device.u8(0)
        device.vmdesc(
            #"{"page_size": 4096, "devices": [{"name": "dev", "instance_id": 0, "fields": "#
                + #"[{"name": "p", "type": "nullptr", "size": 1}]}]}"#)
        // A section that fails at its first value prints its bytes, as one without description.
        let (failingText, failingError) = dump(try device.open())
        #expect(failingError != nil)
        let failing = try JSONParser.parse(failingText)
        #expect(failing.members?.map(\.key) == ["dev (3)"])
        #expect(failing["dev (3)"]?["data"]?.string == "31")
        #expect(failing["dev (3)"]?["extent"]?.string == "inferred: payload ends at the next matching section footer")
    }
}

@Suite("sections --json")
struct SectionsJSONTests {
    @Test("records and per-block page counts")
    func summary() throws {
        let stream = try StreamBuilder.minimal().open()
        let output = TextOutput()
        var json = PythonJSONWriter(output: output)
        SectionsJSON(stream: stream).write(&json)
        output.flush()
        let value = try JSONParser.parse(output.text)
        #expect(value["records"]?.array?.count == stream.index.records.count)
        let block = try #require(value["ram_blocks"]?.array?.first)
        #expect(block["name"] == .string("pc.ram"))
        #expect(block["data_pages"] == .number("1"))
        #expect(block["zero_pages"] == .number("1"))
        #expect(block["data_runs"] == .number("1"))
        #expect(block["zero_runs"] == .number("1"))
        #expect(value["error"] == nil)
    }
}

@Suite("damaged descriptions")
struct DamagedDescriptionTests {
    func stream(desc: String) throws -> MigrationStream {
        var b = StreamBuilder()
        b.header()
        b.ramStart()
        b.sectionHeader(0x04, id: 3, name: "dev", version: 1)
        b.raw([1, 2, 3, 4])
        b.footer(3)
        b.u8(0)
        b.vmdesc(#"{"page_size": 4096, "devices": [{"name": "dev", "instance_id": 0, "fields": "# + desc + "}]}")
        return try b.open()
    }

    @Test("an array_len of 4 Gi elements fails before building them")
    func hugeArray() throws {
        let stream = try stream(desc: #"[{"name": "a", "array_len": 4294967296, "type": "uint32", "size": 4}]"#)
        let section = try #require(stream.index.sections.last)
        #expect(throws: StreamError.self) { try stream.decode(section) }
        let message = "\(try #require(AnalyzeDump(stream: stream).write(to: TextOutput())))"
        #expect(message.contains("field a: impossible length 0x400000000"))
    }

    @Test("zero-size elements are bounded too")
    func zeroSizeArray() throws {
        let stream = try stream(desc: #"[{"name": "a", "array_len": 4294967296, "type": "buffer", "size": 0}]"#)
        let section = try #require(stream.index.sections.last)
        #expect(throws: StreamError.self) { try stream.decode(section) }
    }

    @Test("structs nested deeper than the limit fail cleanly")
    func deepStructs() throws {
        var desc = #"[{"name": "x", "type": "uint8", "size": 1}]"#
        for _ in 0..<80 {
            desc = #"[{"name": "s", "type": "struct", "struct": {"fields": "# + desc + "}, \"size\": 1}]"
        }
        let stream = try stream(desc: desc)
        let section = try #require(stream.index.sections.last)
        #expect(throws: StreamError.self) { try stream.decode(section) }
    }
}
