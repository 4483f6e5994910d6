// libFuzzer target: arbitrary bytes as a QEMU C file, preprocessed, parsed, laid out and resolved
// by the importer, then the scenario it writes run under every profile. Any crash, hang or
// unbounded growth is a bug; diagnostics are expected.
import FuzzDriver
import Glibc
import Scenario
import VMState

/// Small bounds keep each input fast; the real bounds are tested elsewhere.
let limits = EngineLimits(maxNesting: 16, maxEvents: 20_000, maxAllocation: 1 << 16)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    // The file may include itself or a header of its own: both resolve in memory.
    let reader = InMemorySourceReader(["fuzz.c": String(decoding: bytes, as: UTF8.self), "fuzz.h": "#define FUZZ 1\n"])
    let result = CImporter.importFiles(["fuzz.c"], options: CImportOptions(), reader: reader)
    guard let scenario = result.scenario else { return 0 }
    for profile in Profile.all {
        _ = try? scenario.run(source: profile, dest: profile, limits: limits)
    }
    return 0
}

exit(runFuzzer(fuzzOne))
