import Foundation
import TestSupport
import Testing

/// The built binary, as a user runs it.
@Suite("vmscope command line")
struct CommandLineTests {
    @Test("trace shows the demo's markers, allocations and offsets", arguments: ["auto-alloc", "drop-auto-alloc"])
    func traceDemo(profile: String) throws {
        let result = try runVMScope(["trace", "--profile", profile])
        #expect(result.status == 0, "\(result.stderr)")
        #expect(result.stdout.contains("0x00000004 31"))
        #expect(result.stdout.contains("marker 0x31 read: VALID: element follows"))
        #expect(result.stdout.contains("0x00000013 30"))
        #expect(result.stdout.contains("marker 0x30 read: NULL"))
        #expect(result.stdout.contains("alloc 16 bytes at 0x"))
        #expect(result.stdout.contains("result: success"))
    }

    @Test("check passes on the demo under both 2026 profiles", arguments: ["auto-alloc", "drop-auto-alloc"])
    func checkDemo(profile: String) throws {
        let result = try runVMScope(["check", "--profile", profile])
        #expect(result.status == 0)
        #expect(result.stdout.contains("all checks passed"))
    }

    @Test("a failed check exits 1 and names the rule")
    func failedCheck() throws {
        let result = try runVMScope(["check", "Samples/missing-count.vmscope", "--profile", "auto-alloc"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("FAILED  C7b holder.items"))
    }

    @Test("an assertion exits 1")
    func assertion() throws {
        let result = try runVMScope(["trace", "Samples/non-null-slot.vmscope", "--profile", "auto-alloc"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("ASSERTION FAILED: !auto_alloc || *slot == NULL"))
    }

    @Test("a failed trace names the step, offset and path on stderr")
    func failedTraceOnStderr() throws {
        let result = try runVMScope(["trace", "Samples/bad-marker.vmscope"])
        #expect(result.status == 1)
        #expect(
            result.stderr
                == "vmscope: Samples/bad-marker.vmscope: nvme-ctrl: step 11, offset 0x4, nvme-ctrl.queues[0]: "
                + "Unexpected ptr marker: 50\n")
    }

    @Test("a damaged stream: trace gives dump's message, a cut section says where the stream ends, --review works")
    func damagedStreamTrace() throws {
        let original = packageRoot.appendingPathComponent("Tests/MigrationStreamTests/Fixtures/shared/pc-min.mig")
        let bytes = try Data(contentsOf: original)
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("vmscope-damaged-\(UUID())")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        func write(_ name: String, _ data: Data) throws -> String {
            let url = directory.appendingPathComponent(name)
            try data.write(to: url)
            return url.path
        }
        // Cut inside the RAM: the same message and offset from trace as from dump.
        let ram = try write("ram.mig", bytes.prefix(0x1000))
        let dump = try runVMScope(["dump", ram])
        let trace = try runVMScope(["trace", ram])
        #expect(dump.status == 1 && trace.status == 1)
        #expect(
            trace.stderr == dump.stderr && trace.stderr.contains("offset 0x1000, section ram (2)"), "\(trace.stderr)")

        // Cut inside the apic's isr, with the vmdesc of the whole stream: QEMU's message, then the cut.
        let apic = try write("apic.mig", bytes.prefix(0x43e20))
        let cut = try runVMScope(["trace", apic, "--vmdesc", original.path])
        #expect(cut.status == 1)
        #expect(
            cut.stderr.hasSuffix(
                "apic.isr: Failed to load apic:isr (the stream is cut: offset 0x43e10, section apic (7), field isr: "
                    + "unexpected end of stream: expected 32 more byte(s), found 16)\n"), "\(cut.stderr)")
        let review = try runVMScope(["trace", "--review", apic, "--vmdesc", original.path])
        #expect(review.status == 1)
        let lines = review.stdout.split(separator: "\n", omittingEmptySubsequences: false)
        #expect(lines.contains("10 records, 1 fail: SECTION_FULL apic (7) v3"))
        #expect(lines.contains { $0.hasPrefix("Damage: offset 0x43e10, section apic (7), field isr") })
        #expect(lines.contains { $0.contains("isr: error: Failed to load apic:isr") })
        #expect(lines.allSatisfy { $0.count <= 72 && $0.allSatisfy(\.isASCII) })
        // A failure inside a nested VMSD: both of QEMU's messages on the outcome line.
        let hpet = try write("hpet.mig", bytes.prefix(0x44440))
        let nested = try runVMScope(["trace", "--review", hpet, "--vmdesc", original.path])
        #expect(nested.stdout.contains("Outcome: Failed to load hpet_timer:config; Failed to load hpet:timer\n"))

        // Cut right after EOF: no vmdesc; the review says so and carries the warning.
        let noVMDesc = try write("noeof.mig", bytes.prefix(0x467d7))
        let bare = try runVMScope(["trace", "--review", noVMDesc])
        #expect(bare.status == 0)
        let bareLines = bare.stdout.split(separator: "\n")
        #expect(bareLines.contains("A QEMU migration stream; no vmdesc, device sections shown as raw bytes"))
        #expect(bareLines.contains { $0.hasPrefix("Warning: offset 0x467d7, section vmdesc: expected the vmdesc") })

        // A file cut inside the magic is a stream, not a scenario.
        let magic = try write("magic.mig", bytes.prefix(3))
        let short = try runVMScope(["trace", magic])
        #expect(short.status == 1)
        #expect(
            short.stderr.contains("section file header: unexpected end of stream: expected 4 more byte(s), found 3"))

        // The source of a stream is the QEMU that wrote it.
        let source = try runVMScope(["trace", original.path, "--source-profile", "qemu-10"])
        #expect(source.status == 2 && source.stderr.contains("--source-profile is for scenarios"))
    }

    @Test("a qemu-7.2 source into an auto-alloc destination")
    func crossVersion() throws {
        let result = try runVMScope(["trace", "--source-profile", "qemu-7.2", "--dest-profile", "auto-alloc"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("Unexpected ptr marker: 0"))
    }

    @Test("profiles lists the four with their flag numbers")
    func profiles() throws {
        let result = try runVMScope(["profiles"])
        #expect(result.status == 0)
        for name in ["qemu-7.2", "qemu-10", "auto-alloc", "drop-auto-alloc (default)"] {
            #expect(result.stdout.contains(name))
        }
        #expect(result.stdout.contains("VMS_ARRAY_OF_POINTER_AUTO_ALLOC    0x10000"))
    }

    @Test("save writes the bytes and the vmdesc, and never over its input")
    func save() throws {
        let directory = try makeTemporaryDirectory("vmscope-save")
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("demo.bin")
        let vmdesc = directory.appendingPathComponent("demo.json")
        let result = try runVMScope(["save", "-o", output.path, "--vmdesc", vmdesc.path])
        #expect(result.status == 0, "\(result.stderr)")
        let bytes = try Data(contentsOf: output)
        #expect(bytes.count == 50)
        #expect(Array(bytes.prefix(5)) == [0, 0, 0, 4, 0x31])
        let json = try JSONSerialization.jsonObject(with: try Data(contentsOf: vmdesc)) as? [String: Any]
        #expect(json?["vmsd_name"] as? String == "nvme-ctrl")

        let copy = directory.appendingPathComponent("copy.vmscope")
        try FileManager.default.copyItem(at: packageRoot.appendingPathComponent("Samples/nvme-demo.vmscope"), to: copy)
        let refused = try runVMScope(["save", copy.path, "-o", copy.path])
        #expect(refused.status == 2)
        #expect(refused.stderr.contains("refusing to overwrite an input file"))
        #expect(try String(contentsOf: copy, encoding: .utf8).hasPrefix("# The built-in demo"))
    }

    @Test("trace --json is JSON with every event")
    func json() throws {
        let result = try runVMScope(["trace", "--json"])
        #expect(result.status == 0)
        let object = try JSONSerialization.jsonObject(with: Data(result.stdout.utf8)) as? [String: Any]
        let device = (object?["devices"] as? [[String: Any]])?.first
        let events = device?["events"] as? [[String: Any]]
        #expect(events?.count == 69)
        #expect(events?.contains { $0["kind"] as? String == "alloc" } == true)
    }

    @Test("bytes read as a name print as escapes, never as raw control characters")
    func controlBytes() throws {
        // A NULL marker where data was expected desynchronises the load: the subsection peek
        // reads the footer and EOF as a name.
        for arguments in [["trace"], ["trace", "--json"], ["trace", "--review"]] {
            let result = try runVMScope(arguments + ["Samples/null-marker-desync.vmscope"])
            let controls = result.stdout.unicodeScalars.filter {
                ($0.value < 0x20 && $0 != "\n") || $0.value == 0x7f || $0 == "\u{fffd}"
            }
            #expect(controls.isEmpty, "\(arguments): \(controls.map(\.value))")
        }
        let text = try runVMScope(["trace", "Samples/null-marker-desync.vmscope"]).stdout
        #expect(text.contains(#"subsection peek '\x00\x00\x00\x01\x00"#))
    }

    @Test("trace --json --review is refused: two outputs at once")
    func jsonAndReview() throws {
        let result = try runVMScope(["trace", "--json", "--review", "Samples/null-marker-desync.vmscope"])
        #expect(result.status == 2)
        #expect(result.stdout.isEmpty)
        #expect(result.stderr.contains("--json and --review are two different outputs: choose one"))
    }

    @Test("dump --offsets with --desc or --extract is refused rather than ignored")
    func offsetsWithDesc() throws {
        let stream = packageRoot.appendingPathComponent("Tests/MigrationStreamTests/Fixtures/shared/pc-min.mig").path
        for other in [["--desc"], ["--extract", "/tmp/vmscope-never-written-\(getpid())"]] {
            let result = try runVMScope(["dump", "--offsets", stream] + other)
            #expect(result.status == 2)
            #expect(result.stdout.isEmpty)
            #expect(result.stderr.contains("--offsets applies to the decoded dump, not to --desc or --extract"))
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/vmscope-never-written-\(getpid())"))
    }

    @Test("trace on a real stream: every record, device fields at their file offsets")
    func traceStream() throws {
        let stream = packageRoot.appendingPathComponent("Tests/MigrationStreamTests/Fixtures/shared/pc-min.mig").path
        let result = try runVMScope(["trace", stream])
        #expect(result.status == 0, "\(result.stderr)")
        let lines = result.stdout.split(separator: "\n")
        #expect(lines.first?.hasSuffix("a QEMU migration stream; device sections loaded under qemu-7.2") == true)
        // The apic's fields between its section header and footer.
        #expect(lines.contains("SECTION_FULL apic (7) v3: 90 events"))
        #expect(
            lines.contains {
                $0.contains("0x00043df1 04 00 00 00 07 04 61 70 ..")
                    && $0.hasSuffix(
                        "apic: marker 0x04 read: section header: SECTION_FULL apic, section id 7, instance 0, version 3"
                    )
            })
        #expect(lines.contains { $0.contains("0x00043eb8 7e 00 00 00 07") && $0.hasSuffix("section id 7") })
        // The apic's apicbase at its file offset (the one the README's `g 43e03` goes to).
        #expect(lines.contains { $0.contains("0x00043e03 fe e0 09 00") && $0.contains("apic.apicbase") })
        // A run of RAM pages far into its chunk, with its first record's header (page 0x12000,
        // flags PAGE|CONTINUE).
        #expect(
            lines.contains {
                $0.contains("0x000132ae 00 00 00 00 00 01 20 28 ..") && $0.contains("46 data pages at 0x12000")
            })

        let json = try runVMScope(["trace", "--json", stream])
        let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
        let records = object?["records"] as? [[String: Any]]
        #expect(records?.first?["record"] as? String == "file header")
        let apic = records?.first { $0["record"] as? String == "SECTION_FULL apic (7) v3" }
        #expect(apic?["offset"] as? Int == 0x43df1)
        #expect((apic?["summary"] as? String)?.hasPrefix("inst 0, ") == true)
        #expect(records?.last?["record"] as? String == "vmdesc")
        let part = records?.first { $0["record"] as? String == "SECTION_PART ram (2) v4" }
        let run = (part?["events"] as? [[String: Any]])?.first { $0["offset"] as? Int == 0x132ae }
        #expect((run?["bytes"] as? String)?.hasPrefix("00 00 00 00 00 01 20 28 ") == true)

        // Commands and configuration subsections in dump's words, not Swift's.
        let samples = packageRoot.appendingPathComponent("Samples/streams")
        let postcopy = try runVMScope(["trace", samples.appendingPathComponent("pc-postcopy-advise.mig").path])
        #expect(postcopy.stdout.contains(#"POSTCOPY_ADVISE "page_size_summary 0x1000, target_page_size 0x1000""#))
        #expect(postcopy.stdout.contains(#"PING "value 0x1""#))
        let shared = try runVMScope(["trace", samples.appendingPathComponent("pc-ignore-shared.mig").path])
        #expect(shared.stdout.contains(#"configuration/capabilities "caps_count 1, capabilities x-ignore-shared""#))

        let save = try runVMScope(["trace", "--save", stream])
        #expect(save.status == 2)
        #expect(save.stderr.contains("a migration stream is a load"))
    }

    @Test("mistakes get a message and the right exit code")
    func errors() throws {
        let directory = FileManager.default.temporaryDirectory
        let bad = directory.appendingPathComponent("bad-\(getpid()).vmscope")
        try "struct S { uint8_t a; }\nvmsd \"s\" for S { fields { VMSTATE_UINT8(b, S) } }\n".write(
            to: bad, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: bad) }
        let parse = try runVMScope(["trace", bad.path])
        #expect(parse.status == 1)
        #expect(parse.stderr.contains("\(bad.path):2:41: error: struct S has no member 'b'"))
        #expect(parse.stdout.isEmpty)

        let missing = try runVMScope(["trace", "/nonexistent/file.vmscope"])
        #expect(missing.status == 2)
        #expect(missing.stderr.contains("/nonexistent/file.vmscope: cannot open: No such file or directory"))

        let folder = try runVMScope(["trace", directory.path])
        #expect(folder.status == 2)
        #expect(folder.stderr.contains("a directory, not a file"))

        let profile = try runVMScope(["trace", "--profile", "qemu-99"])
        #expect(profile.status == 2)
        #expect(profile.stderr.contains("unknown profile 'qemu-99'"))

        let usage = try runVMScope(["trace", "--bogus"])
        #expect(usage.status == 2)
    }

    @Test("an empty file or one without a device is an error, never an empty success")
    func nothingToRun() throws {
        let directory = try makeTemporaryDirectory("vmscope-empty")
        defer { try? FileManager.default.removeItem(at: directory) }
        let empty = directory.appendingPathComponent("empty.vmscope").path
        let emptyC = directory.appendingPathComponent("empty.c").path
        let noDevice = directory.appendingPathComponent("nodev.vmscope").path
        try "".write(toFile: empty, atomically: true, encoding: .utf8)
        try "".write(toFile: emptyC, atomically: true, encoding: .utf8)
        try "struct S { uint8_t a; }\nvmsd \"s\" for S { fields { VMSTATE_UINT8(a, S) } }\n".write(
            toFile: noDevice, atomically: true, encoding: .utf8)
        let output = directory.appendingPathComponent("out.bin").path
        for command in [
            ["trace"], ["check"], ["diff"], ["save", "-o", output], ["screenshot", "-o", output + ".svg"],
        ] {
            let result = try runVMScope(command + [empty])
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr.contains("\(empty): the file is empty"), "\(command): \(result.stderr)")
        }
        let c = try runVMScope(["trace", emptyC])
        #expect(c.status == 1)
        #expect(c.stderr.contains("no VMStateDescription"))
        for command in [["trace"], ["diff"], ["save", "-o", output], ["screenshot", "-o", output + ".svg"]] {
            let result = try runVMScope(command + [noDevice])
            #expect(result.status == 1, "\(command)")
            #expect(result.stderr.contains("1 VMSD(s) but no device to run"), "\(command): \(result.stderr)")
        }
        // check needs only VMSDs.
        #expect(try runVMScope(["check", noDevice]).status == 0)
        #expect(!FileManager.default.fileExists(atPath: output))
    }
}
