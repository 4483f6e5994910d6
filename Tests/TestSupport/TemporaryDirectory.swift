import Foundation

/// A new, empty directory under the system's temporary one, named `PREFIX-UUID`. The caller
/// removes it (`defer { try? FileManager.default.removeItem(at: directory) }`).
public func makeTemporaryDirectory(_ prefix: String) throws -> URL {
    let directory = FileManager.default.temporaryDirectory.appendingPathComponent("\(prefix)-\(UUID())")
    try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
    return directory
}
