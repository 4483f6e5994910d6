import Foundation
// libFuzzer target: arbitrary bytes as a migration stream file. Opening, the section index,
// RAM records, every device section's decoding and the analyze-compatible dump must end with a
// result or an error, never a crash or a hang.
import FuzzDriver
import Glibc
import MigrationStream

/// The stream library maps files, so each input is written to memory-backed /dev/shm first.
let path = "/dev/shm/vmscope-fuzz-stream-\(getpid()).mig"

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let bytes = data.map { Data(bytes: $0, count: size) } ?? Data()
    guard (try? bytes.write(to: URL(fileURLWithPath: path))) != nil,
        let stream = try? MigrationStream(path: path)
    else { return 0 }
    for section in stream.index.sections {
        if section.ram != nil {
            _ = try? stream.ramRecords(in: section)
        } else {
            _ = try? stream.decode(section)
        }
    }
    let output = TextOutput()
    _ = AnalyzeDump(stream: stream, options: .init(memory: size < 65536, offsets: true)).write(to: output)
    _ = output.finish()
    return 0
}

let status = runFuzzer(fuzzOne)
unlink(path)
exit(status)
