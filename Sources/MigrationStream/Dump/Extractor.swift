#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

/// `dump --extract DIR` (analyze-migration.py's `-x`): `desc.json`, `state.json` and one file
/// per RAMBlock holding the block's memory, zero pages left as holes.
///
/// Every file is written to a temporary name in DIR and renamed into place, so an interrupted run
/// leaves no half-written file; nothing is ever written over the input stream.
public struct Extractor {
    public let stream: MigrationStream
    public let directory: String

    public struct Failure: Error, CustomStringConvertible {
        public var description: String
        /// 1: the stream failed to decode; 2: an I/O or usage problem.
        public var exitCode: Int32
    }

    public init(stream: MigrationStream, directory: String) {
        self.stream = stream
        self.directory = directory
    }

    /// Writes the files and prints their names (as the analyzer does) to `log`.
    public func run(log: (String) -> Void) throws(Failure) {
        if let reason = Self.makeDirectories(directory) {
            throw Failure(description: "\(directory): cannot create the directory: \(reason)", exitCode: 2)
        }
        if let vmdesc = stream.vmdesc {
            let output = TextOutput()
            var json = PythonJSONWriter(output: output)
            json.value(vmdesc.json)
            output.flush()
            try writeFile("desc.json", contents: output.collected)
            log("desc.json")
        }
        for block in stream.index.ramBlocks {
            try writeBlock(block)
            log(block.name)
        }
        let output = TextOutput()
        var json = PythonJSONWriter(output: output)
        let (failure, wroteObject) = AnalyzeDump(stream: stream).writeObject(&json)
        output.flush()
        if wroteObject {
            try writeFile("state.json", contents: output.collected)
            log("state.json")
        }
        if let failure { throw Failure(description: "\(failure)", exitCode: 1) }
    }

    /// The file for a block: its name below DIR, leading slashes dropped as `./` + name does in
    /// the analyzer; names that would leave DIR are refused.
    func destination(for name: String) throws(Failure) -> String {
        let relative = String(name.drop { $0 == "/" })
        let parts = relative.split(separator: "/", omittingEmptySubsequences: true)
        guard !parts.isEmpty, !parts.contains(where: { $0 == ".." || $0 == "." }) else {
            throw Failure(description: "refusing to write RAMBlock \"\(name)\": not a safe file name", exitCode: 2)
        }
        return directory + "/" + parts.joined(separator: "/")
    }

    private func writeFile(_ name: String, contents: [UInt8]) throws(Failure) {
        let path = try destination(for: name)
        try withTemporary(path) { fd throws(Failure) in
            var done = 0
            while done < contents.count {
                let n = contents.withUnsafeBytes { write(fd, $0.baseAddress.map { $0 + done }, contents.count - done) }
                guard n > 0 else { throw ioFailure(path) }
                done += n
            }
        }
    }

    private func writeBlock(_ block: RAMBlockSummary) throws(Failure) {
        let path = try destination(for: block.name)
        if let slash = path.lastIndex(of: "/") {
            if let reason = Self.makeDirectories(String(path[..<slash])) {
                throw Failure(description: "\(path): cannot create its directory: \(reason)", exitCode: 2)
            }
        }
        let pageSize = stream.index.pageSize
        try withTemporary(path) { fd throws(Failure) in
            guard ftruncate(fd, off_t(clamping: block.length)) == 0 else { throw ioFailure(path) }
            var failure: Failure?
            for record in stream.index.records {
                guard let section = record.section, section.ram != nil, failure == nil else { continue }
                do {
                    try stream.forEachRAMRecord(in: section) { page in
                        guard failure == nil else { return }
                        if case .memSize = page.kind {} else if page.block != block.name { return }
                        switch page.kind {
                        case .memSize(_, let blocks):
                            // mapped-ram: the pages the bitmap marks, from their place in the file.
                            for entry in blocks where entry.name == block.name {
                                guard let mapped = entry.mappedRAM, !mapped.isIgnored, failure == nil else { continue }
                                for (index, present) in MappedRAMPages(
                                    block: entry, mapped: mapped, bytes: stream.file.bytes)
                                where present && failure == nil {
                                    let start = MappedRAMPages.offset(of: index, mapped)
                                    let bytes = stream.bytes(in: start..<(start + Int(mapped.pageSize)))
                                    let at = off_t(clamping: index * mapped.pageSize)
                                    if pwrite(fd, bytes.baseAddress, bytes.count, at) != bytes.count {
                                        failure = ioFailure(path)
                                    }
                                    stream.file.releaseBehind(start, every: 8 << 20)
                                }
                            }
                        case .page(let data):
                            let bytes = stream.bytes(in: data)
                            if pwrite(fd, bytes.baseAddress, bytes.count, off_t(clamping: page.address)) != bytes.count
                            {
                                failure = ioFailure(path)
                            }
                        case .zeroPage(let fill):
                            // A zero page stays a hole; a filled one is written out.
                            let bytes = [UInt8](repeating: fill, count: Int(pageSize))
                            if fill != 0, pwrite(fd, bytes, bytes.count, off_t(clamping: page.address)) != bytes.count {
                                failure = ioFailure(path)
                            }
                        default:
                            break
                        }
                    }
                } catch {
                    failure = Failure(description: "\(error)", exitCode: 1)
                }
            }
            if let failure { throw failure }
        }
    }

    /// Creates `path.tmp-PID`, hands its descriptor to `body`, then renames it onto `path`.
    private func withTemporary(_ path: String, _ body: (Int32) throws(Failure) -> Void) throws(Failure) {
        if isInput(path) {
            throw Failure(description: "\(path): refusing to overwrite the input stream", exitCode: 2)
        }
        let temporary = path + ".tmp-\(getpid())"
        let fd = open(temporary, O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0o644)
        guard fd >= 0 else { throw ioFailure(temporary) }
        do {
            try body(fd)
        } catch {
            close(fd)
            unlink(temporary)
            throw error
        }
        guard close(fd) == 0, rename(temporary, path) == 0 else {
            let failure = ioFailure(path)
            unlink(temporary)
            throw failure
        }
    }

    /// `mkdir -p`: nil when `path` is a directory now, else why not.
    static func makeDirectories(_ path: String) -> String? {
        var prefix = path.hasPrefix("/") ? "/" : ""
        for part in path.split(separator: "/") {
            prefix += part + "/"
            if mkdir(prefix, 0o755) != 0 && errno != EEXIST { return String(cString: strerror(errno)) }
        }
        var info = stat()
        guard stat(path, &info) == 0 else { return String(cString: strerror(errno)) }
        return (info.st_mode & S_IFMT) == S_IFDIR ? nil : "a file of that name exists"
    }

    private func isInput(_ path: String) -> Bool {
        var input = stat()
        var target = stat()
        guard stat(stream.path, &input) == 0, stat(path, &target) == 0 else { return false }
        return input.st_dev == target.st_dev && input.st_ino == target.st_ino
    }

    private func ioFailure(_ path: String) -> Failure {
        Failure(description: "\(path): \(String(cString: strerror(errno)))", exitCode: 2)
    }
}
