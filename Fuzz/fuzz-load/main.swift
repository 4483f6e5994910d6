import Foundation
// libFuzzer target: arbitrary bytes loaded as a stream against every sample's VMSDs, under
// every profile. The samples are read from Samples/ at start (run from the package root).
import FuzzDriver
import Glibc
import Scenario
import VMState

let limits = EngineLimits(maxNesting: 16, maxEvents: 50_000, maxAllocation: 1 << 20)

/// Every sample's destination side under every profile.
let sides: [BuiltSide] = {
    let directory = URL(fileURLWithPath: "Samples")
    let names = (try? FileManager.default.contentsOfDirectory(atPath: directory.path)) ?? []
    var sides: [BuiltSide] = []
    for name in names.sorted() where name.hasSuffix(".vmscope") {
        guard let text = try? String(contentsOf: directory.appendingPathComponent(name), encoding: .utf8),
            let scenario = try? Scenario(parsing: text, file: name)
        else { continue }
        for profile in Profile.all {
            if let side = try? scenario.build(.dest, profile: profile) { sides.append(side) }
        }
    }
    return sides
}()

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    guard let selector = bytes.first, !sides.isEmpty else { return 0 }
    // The first byte picks the sample and profile; the rest is the stream.
    let side = sides[Int(selector) % sides.count]
    for device in side.devices {
        _ = Engine.load(
            device.vmsd, definitions: side.definitions, stream: Array(bytes.dropFirst()), heap: side.heap,
            opaque: device.opaque, profile: side.profile, limits: limits)
    }
    return 0
}

guard !sides.isEmpty else {
    FileHandle.standardError.write(Data("fuzz-load: run from the package root (no Samples/ found)\n".utf8))
    exit(2)
}
exit(runFuzzer(fuzzOne))
