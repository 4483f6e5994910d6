import Platform

/// Writes outputs atomically (a temporary file renamed into place) and never over an input.
enum OutputFile {
    static func write(_ data: Data, to path: String, inputs: [String?]) throws {
        let target = URL(fileURLWithPath: path).standardizedFileURL.resolvingSymlinksInPath()
        for input in inputs.compactMap({ $0 }) {
            let source = URL(fileURLWithPath: input).standardizedFileURL.resolvingSymlinksInPath()
            if source.path == target.path {
                throw UserFailure.io("\(path): refusing to overwrite an input file")
            }
        }
        let directory = target.deletingLastPathComponent()
        let temporary = directory.appendingPathComponent(".\(target.lastPathComponent).vmscope-\(getpid()).tmp")
        do {
            try data.write(to: temporary)
        } catch {
            try? FileManager.default.removeItem(at: temporary)
            throw UserFailure.io("\(path): cannot write: \(error.fileErrorText)")
        }
        // rename(2) replaces the target atomically: a reader sees the old file or the new one.
        guard rename(temporary.path, target.path) == 0 else {
            let reason = String(cString: strerror(errno))
            try? FileManager.default.removeItem(at: temporary)
            throw UserFailure.io("\(path): cannot write: \(reason)")
        }
    }
}
