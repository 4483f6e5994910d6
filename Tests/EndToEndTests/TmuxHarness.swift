import Foundation
import TestSupport

/// Drives the built `vmscope` in a detached tmux session on a socket of its own
/// (`tmux -L vmscope-test-<pid>-<name>`), so no one else's tmux is touched.
struct TmuxHarness {
    let socket: String
    let session = "vmscope"

    /// `$VMSCOPE_BINARY` if set, else the `vmscope` binary next to the test bundle
    /// (`.build/<triple>/debug/`), else `.build/debug`.
    static var binary: String? {
        if ProcessInfo.processInfo.environment["VMSCOPE_BINARY"] != nil { return vmscopeBinary?.path }
        var candidates: [String] = []
        let runner = URL(fileURLWithPath: CommandLine.arguments.first ?? "").deletingLastPathComponent()
        candidates.append(runner.appendingPathComponent("vmscope").path)
        candidates.append(runner.deletingLastPathComponent().appendingPathComponent("vmscope").path)
        let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent()
        candidates.append(root.appendingPathComponent(".build/debug/vmscope").path)
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0) }
    }

    static var tmux: String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        return path.split(separator: ":").map { "\($0)/tmux" }.first {
            FileManager.default.isExecutableFile(atPath: $0)
        }
    }

    /// Whether the end-to-end tests can run: tmux and the built binary are there.
    static var available: Bool { tmux != nil && binary != nil }

    init(name: String) {
        socket = "vmscope-test-\(getpid())-\(name)"
    }

    /// Runs tmux and waits for it. posix_spawn with a clean signal mask and default handlers
    /// (the test runner's threads block signals, and the server and the explorer would inherit
    /// that), output to a file (the server new-session starts keeps inherited pipes open).
    @discardableResult
    func tmux(_ arguments: [String]) -> (status: Int32, output: String) {
        guard let tool = Self.tmux else { return (127, "") }
        let outputPath = FileManager.default.temporaryDirectory
            .appendingPathComponent("\(socket)-\(UUID().uuidString).out").path
        defer { try? FileManager.default.removeItem(atPath: outputPath) }
        var actions = posix_spawn_file_actions_t()
        posix_spawn_file_actions_init(&actions)
        defer { posix_spawn_file_actions_destroy(&actions) }
        posix_spawn_file_actions_addopen(&actions, 0, "/dev/null", O_RDONLY, 0)
        posix_spawn_file_actions_addopen(&actions, 1, outputPath, O_WRONLY | O_CREAT | O_TRUNC, 0o600)
        posix_spawn_file_actions_adddup2(&actions, 1, 2)
        var attributes = posix_spawnattr_t()
        posix_spawnattr_init(&attributes)
        defer { posix_spawnattr_destroy(&attributes) }
        var empty = sigset_t()
        sigemptyset(&empty)
        var all = sigset_t()
        sigfillset(&all)
        posix_spawnattr_setsigmask(&attributes, &empty)
        posix_spawnattr_setsigdefault(&attributes, &all)
        posix_spawnattr_setflags(&attributes, Int16(POSIX_SPAWN_SETSIGMASK | POSIX_SPAWN_SETSIGDEF))
        let argv = ([tool, "-L", socket] + arguments).map { strdup($0) } + [nil]
        defer { for pointer in argv { free(pointer) } }
        var pid: pid_t = 0
        guard posix_spawn(&pid, tool, &actions, &attributes, argv, environ) == 0 else { return (127, "") }
        var status: Int32 = 0
        while waitpid(pid, &status, 0) == -1 && errno == EINTR {}
        let data = FileManager.default.contents(atPath: outputPath) ?? Data()
        let exitStatus = (status & 0x7f) == 0 ? (status >> 8) & 0xff : 128 + (status & 0x7f)
        return (exitStatus, String(decoding: data, as: UTF8.self))
    }

    /// Starts `command` (a shell line) in a new session of the given size.
    func start(_ command: String, width: Int = 120, height: Int = 40) {
        tmux(["new-session", "-d", "-s", session, "-x", "\(width)", "-y", "\(height)", command])
    }

    func send(_ keys: String...) {
        tmux(["send-keys", "-t", session] + keys)
    }

    func capture() -> String {
        tmux(["capture-pane", "-t", session, "-p"]).output
    }

    /// Polls the pane until `text` shows, up to `timeout` seconds; returns the last capture.
    func waitFor(_ text: String, timeout: Double = 15) -> (found: Bool, screen: String) {
        let deadline = Date().addingTimeInterval(timeout)
        var screen = ""
        while Date() < deadline {
            screen = capture()
            if screen.contains(text) { return (true, screen) }
            usleep(50_000)
        }
        return (false, screen)
    }

    /// The process id of the pane's shell's child: the program under test.
    func programPID() -> Int32? {
        let shell = tmux(["display-message", "-p", "-t", session, "#{pane_pid}"]).output
            .trimmingCharacters(in: .whitespacesAndNewlines)
        guard let shellPID = Int32(shell) else { return nil }
        let children =
            (try? String(contentsOfFile: "/proc/\(shellPID)/task/\(shellPID)/children", encoding: .utf8)) ?? ""
        return children.split(separator: " ").compactMap { Int32($0) }.first
    }

    func stop() {
        tmux(["kill-server"])
    }
}
