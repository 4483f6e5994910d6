// libFuzzer target: arbitrary bytes as a scenario file, parsed, built and run under every
// profile. Any crash, hang or unbounded growth is a bug; errors are expected.
import FuzzDriver
import Glibc
import Scenario
import VMState

/// Small bounds keep each input fast; the real bounds are tested elsewhere.
let limits = EngineLimits(maxNesting: 16, maxEvents: 20_000, maxAllocation: 1 << 16)

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let text = String(decoding: bytes, as: UTF8.self)
    guard let scenario = try? Scenario(parsing: text, file: "fuzz.vmscope") else { return 0 }
    for profile in Profile.all {
        _ = try? scenario.run(source: profile, dest: profile, limits: limits)
    }
    return 0
}

exit(runFuzzer(fuzzOne))
