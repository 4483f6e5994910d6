import Foundation
// libFuzzer target: one device section whose description and payload are both fuzzed. The
// input is split at its first 0x00: the vmdesc device entry (JSON) before, the payload after.
// The section is decoded as analyze-migration.py would, and stepped through the engine.
import FuzzDriver
import Glibc
import MigrationStream
import VMState

let path = "/dev/shm/vmscope-fuzz-section-\(getpid()).mig"
let limits = EngineLimits(maxNesting: 16, maxEvents: 50_000, maxAllocation: 1 << 20)

func be32(_ value: Int) -> [UInt8] {
    [UInt8(value >> 24 & 0xff), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
}

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let input = data.map { Array(UnsafeBufferPointer(start: $0, count: size)) } ?? []
    let split = input.firstIndex(of: 0) ?? input.count
    let entry = Array(input[..<split])
    let payload = Array(input[min(split + 1, input.count)...])
    // magic, version 3, configuration "pc", FULL section 0 "dev" v1, payload, footer, EOF, vmdesc.
    var stream: [UInt8] = [0x51, 0x45, 0x56, 0x4d, 0, 0, 0, 3, 0x07] + be32(2) + Array("pc".utf8)
    stream += [0x04] + be32(0) + [3] + Array("dev".utf8) + be32(0) + be32(1) + payload + [0x7e] + be32(0) + [0x00]
    let json =
        Array("{\"page_size\": 4096, \"devices\": [{\"name\": \"dev\", \"instance_id\": 0, ".utf8) + entry
        + Array("}]}".utf8)
    stream += [0x06] + be32(json.count) + json
    guard (try? Data(stream).write(to: URL(fileURLWithPath: path))) != nil,
        let opened = try? MigrationStream(path: path)
    else { return 0 }
    for section in opened.index.sections where section.ram == nil {
        _ = try? opened.decode(section)
        _ = try? opened.loadTrace(section, profile: .qemu72, limits: limits)
    }
    return 0
}

let status = runFuzzer(fuzzOne)
unlink(path)
exit(status)
