import Foundation
import TestSupport
import Testing

/// QEMU itself: Scripts/check-qemu-import.sh imports every VMSD of QEMU's hw/ tree and compares
/// `--describe` with qemu-system-x86_64's -dump-vmstate. It runs only where a QEMU source tree is
/// in /tmp (`apt-get source qemu` there); CI has none, so it is skipped there.
@Suite("C import: QEMU's tree")
struct CImportQEMUTests {
    static var qemuSource: String? {
        let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
        return entries.sorted().map { "/tmp/" + $0 }.first {
            $0.hasPrefix("/tmp/qemu-") && FileManager.default.fileExists(atPath: $0 + "/include/migration/vmstate.h")
        }
    }

    @Test(
        "at least 95% of hw/'s VMSDs without a placeholder and of dumped devices matching",
        .enabled(if: qemuSource != nil))
    func checkScript() throws {
        let source = try #require(Self.qemuSource)
        var environment = ["QEMU_SRC": source]
        if let binary = vmscopeBinary { environment["VMSCOPE"] = binary.path }
        let result = try run(
            packageRoot.appendingPathComponent("Scripts/check-qemu-import.sh").path, [], environment: environment)
        #expect(result.status == 0, "\(result.stderr)")
        func percentage(_ label: String) -> Double? {
            let line = result.stdout.split(separator: "\n").first { $0.hasPrefix(label) }
            return line.flatMap { $0.split(separator: "=").last }.flatMap {
                Double($0.trimmingCharacters(in: .whitespaces).dropLast())
            }
        }
        let imported = try #require(percentage("VMSDs imported without a placeholder"), "\(result.stdout)")
        #expect(imported >= 95)
        if !result.stdout.contains("dumped devices matching exactly: skipped") {
            let matching = try #require(percentage("dumped devices matching exactly"), "\(result.stdout)")
            #expect(matching >= 95)
        }
    }
}
