import Platform

/// Runs another program to completion (rsvg-convert for `screenshot --png`).
enum ChildProcess {
    /// The program's exit status, or 128 + the signal that ended it, as a shell reports it.
    static func run(_ path: String, arguments: [String]) throws -> Int32 {
        let environment = ProcessInfo.processInfo.environment.map { "\($0.key)=\($0.value)" }
        let argv = ([path] + arguments).map { strdup($0) }
        let envp = environment.map { strdup($0) }
        defer { for string in argv + envp { free(string) } }
        var pid = pid_t()
        let spawned = posix_spawn(&pid, path, nil, nil, argv + [nil], envp + [nil])
        guard spawned == 0 else {
            throw UserFailure.io("\(path): cannot run: \(String(cString: strerror(spawned)))")
        }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) < 0 {
            guard errno == EINTR else {
                throw UserFailure.io("\(path): lost track of the process: \(String(cString: strerror(errno)))")
            }
        }
        let signal = status & 0x7f
        return signal == 0 ? (status >> 8) & 0xff : 128 + signal
    }
}
