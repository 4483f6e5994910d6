import Foundation

/// The package's root, found from this file.
public let packageRoot = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
    .deletingLastPathComponent()

/// The built `vmscope` binary: `$VMSCOPE_BINARY` if set (CI runs the end-to-end tests once more on
/// the release build), else the debug build, as `swift test` builds it.
public var vmscopeBinary: URL? {
    if let chosen = ProcessInfo.processInfo.environment["VMSCOPE_BINARY"] {
        return URL(fileURLWithPath: chosen, relativeTo: packageRoot).absoluteURL
    }
    let candidates = [".build/debug/vmscope", ".build/x86_64-unknown-linux-gnu/debug/vmscope"]
    return candidates.map { packageRoot.appendingPathComponent($0) }
        .first { FileManager.default.isExecutableFile(atPath: $0.path) }
}

public struct ProcessResult: Sendable {
    public var status: Int32
    public var stdout: String
    public var stderr: String
}

/// Runs vmscope with `arguments` in the package root and waits for it.
public func runVMScope(_ arguments: [String], environment: [String: String] = [:]) throws -> ProcessResult {
    guard let binary = vmscopeBinary else {
        throw CocoaError(.fileNoSuchFile, userInfo: [NSLocalizedDescriptionKey: "vmscope is not built"])
    }
    return try run(binary.path, arguments, environment: environment)
}

public func run(_ executable: String, _ arguments: [String], environment: [String: String] = [:]) throws
    -> ProcessResult
{
    let process = Process()
    process.executableURL = URL(fileURLWithPath: executable)
    process.arguments = arguments
    process.currentDirectoryURL = packageRoot
    var merged = ProcessInfo.processInfo.environment
    for (key, value) in environment { merged[key] = value }
    process.environment = merged
    let output = Pipe()
    let errors = Pipe()
    process.standardOutput = output
    process.standardError = errors
    process.standardInput = FileHandle.nullDevice
    try process.run()
    // Drain stderr on another thread while reading stdout, so neither pipe can fill and stall
    // the child.
    let collected = Collected()
    let group = DispatchGroup()
    group.enter()
    DispatchQueue.global().async {
        collected.set(errors.fileHandleForReading.readDataToEndOfFile())
        group.leave()
    }
    let stdout = output.fileHandleForReading.readDataToEndOfFile()
    group.wait()
    let stderr = collected.get()
    process.waitUntilExit()
    return ProcessResult(
        status: process.terminationStatus, stdout: String(decoding: stdout, as: UTF8.self),
        stderr: String(decoding: stderr, as: UTF8.self))
}

/// Data handed from the reader thread back to the caller.
private final class Collected: @unchecked Sendable {
    private let lock = NSLock()
    private var data = Data()
    func set(_ value: Data) { lock.withLock { data = value } }
    func get() -> Data { lock.withLock { data } }
}
