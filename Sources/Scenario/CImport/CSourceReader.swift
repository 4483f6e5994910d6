#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// Where the importer reads C files from: the disk, or a table of texts in tests.
public protocol CSourceReader: Sendable {
    /// The file's bytes, nil when it cannot be read.
    func read(_ path: String) -> [UInt8]?
    /// Whether a regular file exists at `path`.
    func exists(_ path: String) -> Bool
}

/// Reads files from the local file system.
public struct LocalSourceReader: CSourceReader {
    public init() {}

    public func read(_ path: String) -> [UInt8]? {
        guard exists(path), let handle = fopen(path, "rb") else { return nil }
        defer { fclose(handle) }
        var bytes: [UInt8] = []
        var chunk = [UInt8](repeating: 0, count: 1 << 16)
        while true {
            let count = chunk.withUnsafeMutableBytes { fread($0.baseAddress, 1, $0.count, handle) }
            if count <= 0 { break }
            bytes.append(contentsOf: chunk[0..<count])
        }
        return bytes
    }

    public func exists(_ path: String) -> Bool {
        var info = stat()
        guard stat(path, &info) == 0 else { return false }
        return (info.st_mode & S_IFMT) == S_IFREG
    }
}

/// Files given as text: for tests and for C typed into the explorer.
public struct InMemorySourceReader: CSourceReader {
    public var files: [String: String]

    public init(_ files: [String: String]) {
        self.files = files
    }

    public func read(_ path: String) -> [UInt8]? {
        files[CPath.normalize(path)].map { Array($0.utf8) }
    }

    public func exists(_ path: String) -> Bool { files[CPath.normalize(path)] != nil }
}

/// Path arithmetic on `/`-separated paths, without touching the disk.
enum CPath {
    static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        return slash == path.startIndex ? "/" : String(path[..<slash])
    }

    static func join(_ directory: String, _ name: String) -> String {
        if name.hasPrefix("/") { return normalize(name) }
        return normalize(directory == "." ? name : directory + "/" + name)
    }

    /// Removes `.` and `name/..` parts; keeps a leading `/` and leading `..`.
    static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var parts: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = parts.last, last != ".." {
                parts.removeLast()
                continue
            }
            if part == ".." && absolute { continue }
            parts.append(part)
        }
        let joined = parts.joined(separator: "/")
        return absolute ? "/" + joined : (joined.isEmpty ? "." : joined)
    }
}
