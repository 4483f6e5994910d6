import MigrationStream

// stream-bench: dumps a migration stream to /dev/null as `vmscope dump` does and reports wall
// time, throughput and peak RSS. With `--compare ANALYZER` it runs `vmscope dump` (the binary
// next to this one, or `--vmscope PATH`) and `python3 ANALYZER -f` (`/usr/bin/python3` when it
// exists, or `--python PATH`) in turn instead, and reports both, their ratio and whether their
// outputs are identical.
// Build both, one product per command: `swift build -c release --product stream-bench`, then
// `swift build -c release --product vmscope`.
//
// usage: stream-bench FILE [--runs N] [--memory] [--compare ANALYZER [--vmscope PATH] [--python PATH]]
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

func complain(_ message: String) {
    var line = Array((message + "\n").utf8)
    _ = line.withUnsafeMutableBytes { write(2, $0.baseAddress, $0.count) }
}

func fixed(_ value: Double, _ digits: Int) -> String {
    var scale = 1.0
    for _ in 0..<digits { scale *= 10 }
    let rounded = (value * scale).rounded() / scale
    var text = String(rounded)
    if let dot = text.firstIndex(of: ".") {
        let decimals = text.distance(from: dot, to: text.endIndex) - 1
        if digits == 0 {
            text = String(text[..<dot])
        } else if decimals < digits {
            text += String(repeating: "0", count: digits - decimals)
        }
    }
    return text
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
/// Takes `--name VALUE` out of the arguments; a name without its value is a usage error.
@MainActor func option(_ name: String) -> String? {
    guard let at = arguments.firstIndex(of: name) else { return nil }
    guard at + 1 < arguments.count else {
        complain("stream-bench: \(name) needs a value")
        exit(2)
    }
    defer { arguments.removeSubrange(at...(at + 1)) }
    return arguments[at + 1]
}
let analyzer = option("--compare")
let python = option("--python") ?? defaultPython()
let here = CommandLine.arguments[0]
let vmscope =
    option("--vmscope") ?? (here.contains("/") ? String(here[..<here.lastIndex(of: "/")!]) + "/vmscope" : "vmscope")
guard let path = arguments.first else {
    complain("usage: stream-bench FILE [--runs N] [--memory] [--compare ANALYZER [--vmscope PATH] [--python PATH]]")
    exit(2)
}
if let analyzer {
    if memory { complain("stream-bench: --memory is not compared; the comparison is of plain dumps") }
    exit(compare(path: path, analyzer: analyzer, vmscope: vmscope, python: python, runs: runs))
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
            complain("stream-bench: \(error)")
            exit(1)
        }
        _ = output.finish()
    } catch {
        complain("stream-bench: \(error)")
        exit(2)
    }
    times.append(now() - start)
}
let best = times.min() ?? 0
let mean = times.reduce(0, +) / Double(times.count)
let megabytes = Double(size) / 1e6
print("file        \(path) (\(size) bytes)")
print("runs        \(runs)")
print("wall best   \(fixed(best, 3)) s   mean \(fixed(mean, 3)) s")
print("throughput  \(fixed(megabytes / best, 0)) MB/s (best)")
print("peak RSS    \(peakRSSKiB()) KiB (\(fixed(Double(peakRSSKiB()) / 1024, 1)) MiB)")
