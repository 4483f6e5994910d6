import Foundation
import TestSupport
import Testing

/// The review workflow: `vmscope diff` and `vmscope trace --review` as a reviewer uses them.
@Suite("Review workflow")
struct ReviewTests {
    static let samples: [String] = {
        let directory = packageRoot.appendingPathComponent("Samples")
        let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
        return names.filter { $0.hasSuffix(".vmscope") }.sorted().map { "Samples/" + $0 }
    }()

    @Test("diff: the demo puts equal bytes on the wire under both 2026 profiles")
    func demoEquivalent() throws {
        let result = try runVMScope(["diff", "--profile", "auto-alloc", "--profile", "drop-auto-alloc"])
        #expect(result.status == 0)
        #expect(result.stdout.contains("wire bytes: equal (50 bytes)"))
        #expect(result.stdout.contains("verdict: equivalent"))
    }

    @Test("diff: a non-NULL slot parts the two semantics at the step that asserts")
    func nonNullSlot() throws {
        let result = try runVMScope(
            ["diff", "Samples/non-null-slot.vmscope", "--profile", "auto-alloc", "--profile", "drop-auto-alloc"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("first differing load step: A step 10, B step 10"))
        #expect(result.stdout.contains("ASSERTION FAILED: !auto_alloc || *slot == NULL"))
        #expect(result.stdout.contains("leaks: A 0, B 1"))
    }

    @Test("diff: a missing count fails a rule in one profile only")
    func missingCount() throws {
        let result = try runVMScope(
            ["diff", "Samples/missing-count.vmscope", "--profile", "auto-alloc", "--profile", "drop-auto-alloc"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("destination check C7b holder.items: fails in A, passes in B"))
        #expect(result.stdout.contains("wire bytes: DIFFER at offset 0x0"))
    }

    @Test("diff: a qemu-7.2 source against an auto-alloc destination, and back")
    func crossVersion() throws {
        let result = try runVMScope([
            "diff", "--source-profile", "qemu-7.2", "--dest-profile", "auto-alloc", "--source-profile", "auto-alloc",
        ])
        #expect(result.status == 1)
        #expect(result.stdout.contains("A: qemu-7.2 -> auto-alloc"))
        #expect(result.stdout.contains("B: auto-alloc"))
        #expect(result.stdout.contains("Unexpected ptr marker: 0"))
    }

    @Test("diff: 7.2 against auto-alloc parts at the marker, not at how each explains the stride")
    func stepOfTheSplit() throws {
        let result = try runVMScope(["diff", "--profile", "qemu-7.2", "--profile", "auto-alloc"])
        #expect(result.status == 1)
        // Both step the slot array by 8 (7.2 from `size`, 2026 from the host pointer): the first
        // real difference is the marker byte.
        #expect(result.stdout.contains("first differing load step: A step 10, B step 10"))
        #expect(result.stdout.contains("A: 0x4 nvme-ctrl.queues[0]: marker 0x00 read: unexpected"))
        // The two-line 7.2 error stays under its label.
        #expect(
            result.stdout.contains(
                "  outcome:\n    A: vmstate: get_nullptr expected VMS_NULLPTR_MARKER\n"
                    + "       Failed to load nvme-ctrl:queues\n    B: success\n"))
    }

    @Test("diff: one run is a usage error, not a run compared with itself")
    func oneRun() throws {
        for arguments in [
            ["diff"], ["diff", "--profile", "auto-alloc"], ["diff", "--dest-profile", "drop-auto-alloc"],
        ] {
            let result = try runVMScope(arguments)
            #expect(result.status == 2, "\(arguments)")
            #expect(result.stderr.contains("diff compares two runs"), "\(arguments): \(result.stderr)")
            #expect(result.stdout.isEmpty)
        }
    }

    @Test("diff: two versions of a scenario")
    func twoFiles() throws {
        let result = try runVMScope(["diff", "Samples/nvme-demo.vmscope", "Samples/non-null-slot.vmscope"])
        #expect(result.status == 1)
        #expect(result.stdout.contains("A: Samples/nvme-demo.vmscope, drop-auto-alloc"))
    }

    @Test("review transcripts are ASCII and at most 72 columns", arguments: samples)
    func reviewWidth(sample: String) throws {
        for profile in ["qemu-7.2", "qemu-10", "auto-alloc", "drop-auto-alloc"] {
            let result = try runVMScope(["trace", "--review", "--profile", profile, sample])
            #expect(!result.stdout.isEmpty)
            for line in result.stdout.split(separator: "\n") {
                #expect(line.count <= 72, "\(sample) \(profile): \(line)")
                #expect(line.unicodeScalars.allSatisfy { $0.isASCII && $0.value >= 0x20 }, "\(sample): \(line)")
            }
        }
    }

    @Test("the review transcript keeps the steps that matter")
    func reviewContent() throws {
        let result = try runVMScope(["trace", "--review", "--profile", "auto-alloc"])
        #expect(result.stdout.contains("   10 0x0004 31          queues[0]: marker 31 read: VALID: element\n"))
        #expect(result.stdout.contains("   29 0x0013 30          queues[1]: marker 30 read: NULL: slot left as"))
        #expect(result.stdout.contains("   51                    queues[3]: alloc 16 B NvmeQueue zeroed: VALID\n"))
        // Elided fields in load order: the element, then its members as NvmeQueue declares them.
        #expect(result.stdout.contains("[... 17 steps: queues, id, head, tail, size ...]"))
    }
}

extension ReviewTests {
    @Test("the seed patch demo script runs headlessly to its end")
    func demoScript() throws {
        let output = FileManager.default.temporaryDirectory.appendingPathComponent("vmscope-seed-\(getpid()).svg")
        defer { try? FileManager.default.removeItem(at: output) }
        let result = try runVMScope([
            "screenshot", "--script", "Samples/demos/seed-patch.keys", "--size", "120x40", "-o", output.path, "--text",
        ])
        #expect(result.status == 0, "\(result.stderr)")
        // It ends on the non-NULL-slot sample under drop-auto-alloc, where the old queue leaks.
        #expect(result.stdout.contains("drop-auto-alloc"))
        #expect(result.stdout.contains("leak: 16 bytes"))
        #expect(FileManager.default.fileExists(atPath: output.path))
    }
}
