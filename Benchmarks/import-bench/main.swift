// import-bench: how fast `vmscope import` reads QEMU's device tree.
// Run: swift run -c release import-bench [QEMU_SOURCE] [--runs N] [--document]
// QEMU_SOURCE defaults to the first /tmp/qemu-* holding hw/ (apt-get source qemu in /tmp).
// It imports every .c of hw/ with -I include -I . (as Scripts/check-qemu-import.sh does) and
// prints the wall time of each run, the best, and what was found.
import Foundation
import Scenario
import VMState

let arguments = Array(CommandLine.arguments.dropFirst())
var runs = 3
if let index = arguments.firstIndex(of: "--runs"), index + 1 < arguments.count, let value = Int(arguments[index + 1]) {
    runs = max(1, value)
}
let buildsDocument = arguments.contains("--document")

func defaultSource() -> String? {
    let entries = (try? FileManager.default.contentsOfDirectory(atPath: "/tmp")) ?? []
    for entry in entries.sorted() where entry.hasPrefix("qemu-") {
        let path = "/tmp/" + entry
        if FileManager.default.fileExists(atPath: path + "/hw") { return path }
    }
    return nil
}

guard let source = arguments.first(where: { !$0.hasPrefix("--") && Int($0) == nil }) ?? defaultSource() else {
    print("import-bench: no QEMU source; give its directory (apt-get source qemu in /tmp)")
    exit(2)
}
guard FileManager.default.changeCurrentDirectoryPath(source) else {
    print("import-bench: cannot enter \(source)")
    exit(2)
}
var files: [String] = []
if let walker = FileManager.default.enumerator(atPath: "hw") {
    for case let path as String in walker where path.hasSuffix(".c") { files.append("hw/" + path) }
}
files.sort()

var options = CImportOptions()
options.includeDirectories = ["include", "."]
options.defines = [("CONFIG_LINUX", "1"), ("CONFIG_POSIX", "1"), ("CONFIG_INT128", "1")]
options.buildsDocument = buildsDocument

var times: [Double] = []
var last: CImportResult?
for run in 1...runs {
    let start = DispatchTime.now()
    last = CImporter.importFiles(files, options: options)
    let seconds = Double(DispatchTime.now().uptimeNanoseconds - start.uptimeNanoseconds) / 1e9
    times.append(seconds)
    print(String(format: "run %d: %.3f s", run, seconds))
}
if let result = last {
    let clean = result.vmsds.filter { $0.placeholderCount == 0 }.count
    print(
        "\(files.count) files, \(result.vmsds.count) VMSDs (\(clean) without a placeholder), "
            + "\(result.diagnostics.filter { $0.severity == .warning }.count) warnings"
            + (buildsDocument ? ", scenario of \(result.document?.structs.count ?? 0) structs" : ""))
}
print(String(format: "best of %d: %.3f s", runs, times.min() ?? 0))
