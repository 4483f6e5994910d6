import Foundation
import MigrationStream

// stream-bench: dumps a migration stream to /dev/null as `vmscope dump` does and reports wall
// time, throughput and peak RSS. Build with `swift build -c release --product stream-bench`.
//
// usage: stream-bench FILE [--runs N] [--memory]
#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

func now() -> Double {
    var ts = timespec()
    clock_gettime(CLOCK_MONOTONIC, &ts)
    return Double(ts.tv_sec) + Double(ts.tv_nsec) / 1e9
}

func peakRSSKiB() -> Int {
    var usage = rusage()
    getrusage(__rusage_who_t(RUSAGE_SELF.rawValue), &usage)
    return Int(usage.ru_maxrss)  // KiB on Linux
}

var arguments = Array(CommandLine.arguments.dropFirst())
var runs = 1
var memory = false
if let at = arguments.firstIndex(of: "--runs"), at + 1 < arguments.count, let n = Int(arguments[at + 1]) {
    runs = max(1, n)
    arguments.removeSubrange(at...(at + 1))
}
if let at = arguments.firstIndex(of: "--memory") {
    memory = true
    arguments.remove(at: at)
}
guard let path = arguments.first else {
    FileHandle.standardError.write(Data("usage: stream-bench FILE [--runs N] [--memory]\n".utf8))
    exit(2)
}

let devNull = open("/dev/null", O_WRONLY)
var times: [Double] = []
var size = 0
for _ in 0..<runs {
    let start = now()
    do {
        let stream = try MigrationStream(path: path)
        size = stream.file.count
        let output = TextOutput(fileDescriptor: devNull)
        if let error = AnalyzeDump(stream: stream, options: .init(memory: memory)).write(to: output) {
            FileHandle.standardError.write(Data("stream-bench: \(error)\n".utf8))
            exit(1)
        }
        _ = output.finish()
    } catch {
        FileHandle.standardError.write(Data("stream-bench: \(error)\n".utf8))
        exit(2)
    }
    times.append(now() - start)
}
let best = times.min() ?? 0
let mean = times.reduce(0, +) / Double(times.count)
let megabytes = Double(size) / 1e6
print("file        \(path) (\(size) bytes)")
print("runs        \(runs)")
print("wall best   \(String(format: "%.3f", best)) s   mean \(String(format: "%.3f", mean)) s")
print("throughput  \(String(format: "%.0f", megabytes / best)) MB/s (best)")
print("peak RSS    \(peakRSSKiB()) KiB (\(String(format: "%.1f", Double(peakRSSKiB()) / 1024)) MiB)")
