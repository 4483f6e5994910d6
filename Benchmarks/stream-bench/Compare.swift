#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// One finished child process: its wall time and peak resident set.
struct ChildRun {
    var seconds: Double
    var peakRSSKiB: Int
    var succeeded: Bool
}

/// The system's Python if there is one, else whatever `python3` is on PATH.
func defaultPython() -> String {
    access("/usr/bin/python3", X_OK) == 0 ? "/usr/bin/python3" : "python3"
}

/// Runs `arguments` (looked up in PATH) with stdout on the open descriptor `output`; stdin and
/// stderr are kept.
func runChild(_ arguments: [String], stdoutTo output: Int32) -> ChildRun {
    var actions = posix_spawn_file_actions_t()
    posix_spawn_file_actions_init(&actions)
    defer { posix_spawn_file_actions_destroy(&actions) }
    posix_spawn_file_actions_adddup2(&actions, output, 1)
    let argv = arguments.map { strdup($0) } + [nil]
    defer { for argument in argv { free(argument) } }
    var pid = pid_t()
    let start = now()
    let spawned = posix_spawnp(&pid, arguments[0], &actions, nil, argv, environ)
    guard spawned == 0 else {
        complain("stream-bench: cannot run \(arguments[0]): \(String(cString: strerror(spawned)))")
        return ChildRun(seconds: 0, peakRSSKiB: 0, succeeded: false)
    }
    var status: Int32 = 0
    var usage = rusage()
    var waited = wait4(pid, &status, 0, &usage)
    while waited < 0 && errno == EINTR { waited = wait4(pid, &status, 0, &usage) }
    let seconds = now() - start
    // Exited normally with status 0: the low 7 bits hold the signal, the next 8 the exit code.
    let succeeded = waited == pid && status & 0x7f == 0 && (status >> 8) & 0xff == 0
    return ChildRun(seconds: seconds, peakRSSKiB: Int(usage.ru_maxrss), succeeded: succeeded)
}

/// A fresh file in `$TMPDIR` (or /tmp), opened for writing and already unlinked: it goes away
/// with its descriptor, however the run ends.
func anonymousFile() -> Int32? {
    let directory = getenv("TMPDIR").map { String(cString: $0) } ?? "/tmp"
    var template = Array((directory + "/stream-bench-XXXXXX").utf8CString)
    let fd = template.withUnsafeMutableBufferPointer { mkstemp($0.baseAddress!) }
    guard fd >= 0 else { return nil }
    template.withUnsafeBufferPointer { _ = unlink($0.baseAddress!) }
    return fd
}

/// Everything written to `fd` so far, read back from its start.
func fileBytes(_ fd: Int32) -> [UInt8]? {
    var bytes: [UInt8] = []
    var chunk = [UInt8](repeating: 0, count: 1 << 16)
    var offset: off_t = 0
    while true {
        let n = chunk.withUnsafeMutableBytes { pread(fd, $0.baseAddress, $0.count, offset) }
        if n < 0 { return nil }
        if n == 0 { return bytes }
        bytes += chunk[0..<n]
        offset += off_t(n)
    }
}

func median(_ values: [Double]) -> Double {
    let sorted = values.sorted()
    guard !sorted.isEmpty else { return 0 }
    let middle = sorted.count / 2
    return sorted.count % 2 == 1 ? sorted[middle] : (sorted[middle - 1] + sorted[middle]) / 2
}

/// `vmscope dump FILE` against `python3 ANALYZER -f FILE`, the figure issue 3 sets a target for.
///
/// The interpreter should be a real one: a version manager's `python3` shim (pyenv) adds about
/// 0.1 s of its own to every run, which would flatter the ratio.
///
/// The two run in turn, `runs` times each after one round whose outputs are compared, so that
/// both see the same page cache and the same load on the machine.
func compare(path: String, analyzer: String, vmscope: String, python: String, runs: Int) -> Int32 {
    let ours = [vmscope, "dump", path]
    let theirs = [python, analyzer, "-f", path]
    guard let oursOutput = anonymousFile(), let theirsOutput = anonymousFile() else {
        complain("stream-bench: cannot create a temporary file: \(String(cString: strerror(errno)))")
        return 2
    }
    let devNull = open("/dev/null", O_WRONLY)
    defer {
        close(oursOutput)
        close(theirsOutput)
        close(devNull)
    }
    let first = (runChild(ours, stdoutTo: oursOutput), runChild(theirs, stdoutTo: theirsOutput))
    guard first.0.succeeded, first.1.succeeded else {
        complain("stream-bench: \((first.0.succeeded ? theirs : ours).joined(separator: " ")) failed")
        return 1
    }
    let same = fileBytes(oursOutput).map { $0 == fileBytes(theirsOutput) } ?? false
    var oursRuns: [ChildRun] = []
    var theirsRuns: [ChildRun] = []
    for _ in 0..<runs {
        oursRuns.append(runChild(ours, stdoutTo: devNull))
        theirsRuns.append(runChild(theirs, stdoutTo: devNull))
    }
    let oursMedian = median(oursRuns.map(\.seconds))
    let theirsMedian = median(theirsRuns.map(\.seconds))
    func line(_ name: String, _ results: [ChildRun], _ middle: Double) -> String {
        let best = results.map(\.seconds).min() ?? 0
        let rss = results.map(\.peakRSSKiB).max() ?? 0
        return name + "median \(fixed(middle * 1000, 1)) ms   best \(fixed(best * 1000, 1)) ms   "
            + "peak RSS \(fixed(Double(rss) / 1024, 1)) MiB"
    }
    print("file        \(path)")
    print("commands    \(ours.joined(separator: " "))")
    print("            \(theirs.joined(separator: " "))")
    print("runs        \(runs) of each, in turn, after one round that compared the outputs")
    print(line("vmscope     ", oursRuns, oursMedian))
    print(line("analyzer    ", theirsRuns, theirsMedian))
    print("ratio       \(fixed(theirsMedian / max(oursMedian, 1e-9), 1))x (median against median)")
    print("outputs     \(same ? "identical" : "DIFFER")")
    return same ? 0 : 1
}
