import Foundation
import Scenario
import TestSupport
import Testing
import VMState

/// Imported C as scenarios: the samples run, the written text reads back to the same
/// definitions, values can be set, and the command line takes C files.
@Suite("C import: scenarios")
struct CImportScenarioTests {
    static let samples = ["nvme-demo.c", "toy-uart.c", "toy-dma.c"]

    static func importSample(_ name: String) -> CImportResult {
        CImporter.importFiles([packageRoot.appendingPathComponent("Samples/c/\(name)").path], options: CImportOptions())
    }

    @Test("every C sample imports with no warning and its scenario runs", arguments: samples)
    func samplesRun(name: String) throws {
        let result = Self.importSample(name)
        #expect(CImportFixtures.warnings(result).isEmpty, "\(result.diagnostics)")
        #expect(result.vmsds.allSatisfy { $0.placeholderCount == 0 })
        let scenario = try #require(result.scenario)
        // The 2026 macro of the NVMe demo cannot allocate per element under 7.2 and 10.x.
        let profiles: [Profile] = name == "nvme-demo.c" ? [.autoAlloc, .dropAutoAlloc] : Profile.all
        for profile in profiles {
            let run = try scenario.run(source: profile, dest: profile)
            #expect(run.devices.count == 1)
            for device in run.devices {
                #expect(device.load.outcome.succeeded, "\(profile.name): \(device.load.outcome.summary)")
                #expect(device.destCheck.passed, "\(profile.name)")
            }
        }
    }

    @Test("every macro family's scenario runs: a count also migrated as a scalar keeps its count")
    func familiesRun() throws {
        // count16 is VMSTATE_VARRAY_UINT16_UNSAFE's count and, later, an explicit uint16 field:
        // the pattern must not replace the count, or the save reads past inline_vals[16].
        let result = CImportFixtures.importFixtures(["families.c"])
        let scenario = try #require(result.scenario)
        for profile in Profile.all {
            let run = try scenario.run(source: profile, dest: profile)
            for device in run.devices {
                #expect(device.save?.outcome.succeeded == true, "\(profile.name): save")
                #expect(device.load.outcome.succeeded, "\(profile.name): \(device.load.outcome.summary)")
            }
        }
        let text = try ScenarioText.render(#require(result.document))
        #expect(!text.contains("count16 = 0x"), "count16 got the pattern")
    }

    @Test("the NVMe demo in C puts the built-in demo's layout and fields on the wire")
    func nvmeMatchesDemo() throws {
        let imported = try #require(Self.importSample("nvme-demo.c").scenario)
        let demo = try Scenario.demo()
        for profile in [Profile.autoAlloc, .dropAutoAlloc] {
            let fromC = try imported.build(.source, profile: profile).definitions
            let fromDemo = try demo.build(.source, profile: profile).definitions
            for name in ["nvme-queue", "nvme-ctrl"] {
                let cFields = fromC[name]?.fields.map { [$0.name, "\($0.flags)", "\($0.size)", "\($0.offset)"] }
                let demoFields = fromDemo[name]?.fields.map { [$0.name, "\($0.flags)", "\($0.size)", "\($0.offset)"] }
                #expect(cFields == demoFields, "\(name) under \(profile.name)")
            }
            #expect(fromC.types["NvmeCtrl"]?.size == fromDemo.types["NvmeCtrl"]?.size)
        }
    }

    @Test(
        "the written scenario reads back to the same definitions",
        arguments: samples.map { "Samples/c/\($0)" } + ["families.c", "subsections.c", "callbacks.c", "defines.c"])
    func roundTrip(file: String) throws {
        let path =
            file.hasPrefix("Samples/") ? packageRoot.appendingPathComponent(file).path : CImportFixtures.path(file)
        var options = CImportOptions()
        options.includeDirectories = [CImportFixtures.path("include")]
        let result = CImporter.importFiles([path], options: options)
        let document = try #require(result.document)
        let reread = try Scenario(parsing: ScenarioText.render(document), file: "reread.vmscope")
        let original = Scenario(document: document)
        for profile in Profile.all {
            let before = try original.build(.source, profile: profile)
            let after = try reread.build(.source, profile: profile)
            #expect(before.definitions == after.definitions, "\(file) under \(profile.name)")
            #expect(before.devices.count == after.devices.count)
        }
    }

    @Test("--values sets the source state over the pattern")
    func valuesFile() throws {
        var options = CImportOptions()
        options.values = ("regs[1] = 0x1234\nloopback = false\n", "values.txt")
        let path = packageRoot.appendingPathComponent("Samples/c/toy-uart.c").path
        let result = CImporter.importFiles([path], options: options)
        #expect(CImportFixtures.warnings(result).isEmpty, "\(result.diagnostics)")
        let run = try #require(result.scenario).run(source: .qemu72, dest: .qemu72)
        let stream = try #require(run.devices.first?.save?.stream)
        // regs[0] holds the pattern (its offset, 1096 after SysBusDevice, MemoryRegion and the
        // irq, plus one), regs[1] the value given.
        let regs = Array(stream[0..<8])
        #expect(regs == [0, 0, 0x04, 0x49, 0, 0, 0x12, 0x34])
    }

    @Test("the pattern ties bytes to offsets")
    func pattern() throws {
        let result = Self.importSample("toy-dma.c")
        let device = try #require(result.document?.devices.first)
        let value = device.source.first { MemberStep.render($0.target) == "chan[1].len" }?.value
        // chan[1] starts at 24 in ToyDmaState; len is at 16 in a channel.
        #expect(value == .integer(24 + 16 + 1))
    }

    @Test("vmscope import, trace and check take C files")
    func commandLine() throws {
        let directory = try makeTemporaryDirectory("vmscope-cimport")
        defer { try? FileManager.default.removeItem(at: directory) }
        let output = directory.appendingPathComponent("uart.vmscope").path

        let imported = try runVMScope(["import", "Samples/c/toy-uart.c", "-o", output])
        #expect(imported.status == 0, "\(imported.stderr)")
        #expect(imported.stdout.contains("toy-uart/timeout: needed = toy_uart_timeout_needed() -> true"))
        #expect(FileManager.default.fileExists(atPath: output))

        let described = try runVMScope(["import", "Samples/c/toy-uart.c", "--describe"])
        #expect(described.status == 0)
        let json = try JSONSerialization.jsonObject(with: Data(described.stdout.utf8)) as? [String: Any]
        #expect(json?["toy-uart"] != nil)

        let traced = try runVMScope(["trace", "Samples/c/toy-uart.c", "--profile", "qemu-7.2"])
        #expect(traced.status == 0, "\(traced.stderr)")
        #expect(traced.stdout.contains("toy-uart.rx.data"))
        let fromScenario = try runVMScope(["trace", output, "--profile", "qemu-7.2"])
        #expect(
            fromScenario.stdout.split(separator: "\n").dropFirst() == traced.stdout.split(separator: "\n").dropFirst())

        let checked = try runVMScope(["check", "Samples/c/nvme-demo.c", "--profile", "auto-alloc"])
        #expect(checked.status == 0, "\(checked.stdout)")

        let bad = directory.appendingPathComponent("bad.c")
        try
            "static const VMStateDescription v = { .fields = (VMStateField[]) { VMSTATE_UINT32(a, S) VMSTATE_END_OF_LIST() } };"
            .write(to: bad, atomically: true, encoding: .utf8)
        let failed = try runVMScope(["import", bad.path, "--describe"])
        #expect(failed.status == 1)
        #expect(failed.stderr.contains("bad.c:1:"))
    }

    @Test("headers missing from -I fold into one note per including file")
    func skippedIncludesFold() throws {
        let directory = try makeTemporaryDirectory("vmscope-cinclude")
        defer { try? FileManager.default.removeItem(at: directory) }
        let source = directory.appendingPathComponent("dev.c")
        try """
        #include "qemu/osdep.h"
        #include "hw/qdev-core.h"
        #include <stdint.h>
        typedef struct S { uint32_t a; } S;
        static const VMStateDescription vmstate_s = {
            .name = "s", .version_id = 1, .minimum_version_id = 1,
            .fields = (const VMStateField[]) { VMSTATE_UINT32(a, S), VMSTATE_END_OF_LIST() },
        };
        """.write(to: source, atomically: true, encoding: .utf8)
        let summary = try runVMScope(["import", source.path, "--summary"])
        #expect(summary.status == 0, "\(summary.stderr)")
        let notes = summary.stderr.split(separator: "\n").filter { $0.contains("#include") }
        #expect(
            notes == [
                "\(source.path):1:2: note: skipped 3 #include files not found through -I: "
                    + "\"qemu/osdep.h\" \"hw/qdev-core.h\" <stdint.h>"
            ])
        let quiet = try runVMScope(["import", source.path, "--summary", "--quiet"])
        #expect(!quiet.stderr.contains("#include"))
    }
}
