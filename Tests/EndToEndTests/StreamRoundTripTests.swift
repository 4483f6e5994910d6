import Foundation
import MigrationStream
import TestSupport
import Testing
import VMState

/// `vmscope save --stream` writes streams the stream reader, the dump and the engine all read back.
@Suite("Saved streams read back")
struct StreamRoundTripTests {
    @Test("every sample's stream decodes, dumps and steps", arguments: ReviewTests.samples)
    func roundTrip(sample: String) throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent(
            "vmscope-rt-\(getpid())-\(sample.split(separator: "/").last ?? "")")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        for profile in ["qemu-7.2", "drop-auto-alloc"] {
            let path = directory.appendingPathComponent("\(profile).mig").path
            let saved = try runVMScope(["save", "--stream", "--profile", profile, sample, "-o", path])
            // Samples that fail on the source side (an assertion in pre_save, ...) write nothing.
            guard saved.status == 0 else { continue }
            let stream = try MigrationStream(path: path)
            #expect(stream.index.error == nil, "\(sample) \(profile)")
            #expect(stream.vmdesc != nil)
            let sections = stream.index.sections.filter { $0.ram == nil }
            #expect(!sections.isEmpty)
            var describedRightly = true
            for section in sections {
                #expect(section.footerOffset != nil)
                let trace = try stream.loadTrace(section, profile: Profile.named(profile) ?? .qemu72)
                if section.extent == .vmdesc {
                    #expect(trace.outcome == .success, "\(sample) \(profile): \(trace.outcome.summary)")
                    #expect(trace.bytesConsumed == section.body.count, "\(sample) \(profile)")
                } else {
                    // 7.2's vmdesc hides the NULL entries of a compressed pointer array, so its
                    // description does not match the payload; the footer still bounds it.
                    describedRightly = false
                    #expect(profile == "qemu-7.2", "\(sample) \(profile): extent \(section.extent)")
                    #expect(trace.outcome != .success || trace.bytesConsumed != section.body.count)
                }
            }
            let dump = try runVMScope(["dump", path])
            #expect(dump.status == (describedRightly ? 0 : 1), "\(sample) \(profile): \(dump.stderr)")
        }
    }

    @Test("the demo's stream carries the scenario's values")
    func demoValues() throws {
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("vmscope-demo-\(getpid()).mig").path
        defer { try? FileManager.default.removeItem(atPath: path) }
        #expect(
            try runVMScope(["save", "--stream", "--profile", "qemu-7.2", "Samples/field-exists.vmscope", "-o", path])
                .status == 0)
        let dump = try runVMScope(["dump", path])
        let json = try JSONSerialization.jsonObject(with: Data(dump.stdout.utf8)) as? [String: Any]
        let device = json?["test/skip (0)"] as? [String: Any]
        #expect(device?["a"] as? String == "0x00000001")
        #expect(device?["c"] as? String == "0x00000003")
        #expect(device?["d"] as? String == "0x0000000000000004")
    }
}

/// `--vmsds FILE`: a stream's sections loaded with the VMSDs of a scenario or C file (the patched
/// device) instead of the stream's vmdesc, so a patch that breaks the load fails as QEMU would.
@Suite("Streams against given VMSDs")
struct GivenVMSDTests {
    @Test("the demo's stream loads with its own VMSDs and fails with patched ones")
    func patchedVMSDs() throws {
        let directory = try makeTemporaryDirectory("vmscope-vmsds")
        defer { try? FileManager.default.removeItem(at: directory) }
        let stream = directory.appendingPathComponent("demo.mig").path
        #expect(try runVMScope(["save", "--stream", "-o", stream]).status == 0)
        let demo = try String(
            contentsOf: packageRoot.appendingPathComponent("Samples/nvme-demo.vmscope"), encoding: .utf8)
        func trace(_ scenario: String) throws -> ProcessResult {
            let path = directory.appendingPathComponent("given-\(UUID()).vmscope").path
            try scenario.write(toFile: path, atomically: true, encoding: .utf8)
            return try runVMScope(["trace", stream, "--profile", "drop-auto-alloc", "--vmsds", path])
        }

        let same = try trace(demo)
        #expect(same.status == 0, "\(same.stderr)")
        #expect(same.stdout.contains("SECTION_FULL nvme-ctrl (0) v1 [VMSDs of "))
        #expect(same.stdout.contains("nvme-ctrl.queues[3].size: uint32 0x00000100"))

        // A patch drops a field: the old stream no longer lines up.
        let dropped = try trace(demo.replacingOccurrences(of: "        VMSTATE_UINT32(size, NvmeQueue)\n", with: ""))
        #expect(dropped.status == 1)
        #expect(dropped.stdout.contains("result: Unexpected ptr marker: 0"))

        // A patch adds a field: the loader reads into the footer, and the footer check fails.
        let queues =
            "VMSTATE_VARRAY_OF_POINTER_TO_STRUCT_UINT32_ALLOC(queues, NvmeCtrl, nr_queues, vmstate_nvme_queue, NvmeQueue)\n"
        let added = try trace(
            demo.replacingOccurrences(of: queues, with: queues + "        VMSTATE_UINT32(nr_queues, NvmeCtrl)\n"))
        #expect(added.status == 1)
        #expect(added.stdout.contains("result: Missing section footer for nvme-ctrl"))
        #expect(added.stdout.contains("bytes more than the section holds"))

        // A patch raises the minimum version: the old stream is refused at the gate.
        let raised = try trace(
            demo.replacingOccurrences(
                of: "as vmstate_nvme_ctrl {\n    version_id 1\n    minimum_version_id 1",
                with: "as vmstate_nvme_ctrl {\n    version_id 2\n    minimum_version_id 2"))
        #expect(raised.status == 1)
        #expect(raised.stdout.contains("incoming version_id 1 is too old for local minimum version_id 2"))
    }

    @Test("a file with no matching section, or --vmsds or --vmdesc without a stream, is refused")
    func mismatches() throws {
        let stream = packageRoot.appendingPathComponent("Tests/MigrationStreamTests/Fixtures/shared/pc-min.mig").path
        let none = try runVMScope(["trace", stream, "--vmsds", "Samples/nvme-demo.vmscope"])
        #expect(none.status == 1)
        #expect(none.stderr.contains("none of its devices (nvme-ctrl) is a section of the stream"))
        let notStream = try runVMScope(["trace", "Samples/nvme-demo.vmscope", "--vmsds", "Samples/nvme-demo.vmscope"])
        #expect(notStream.status == 2)
        #expect(notStream.stderr.contains("--vmsds is for a migration stream; Samples/nvme-demo.vmscope is not one"))
        let lent = try runVMScope(["trace", "Samples/nvme-demo.vmscope", "--vmdesc", stream])
        #expect(lent.status == 2)
        #expect(lent.stderr.contains("--vmdesc is for a migration stream; Samples/nvme-demo.vmscope is not one"))
    }
}
