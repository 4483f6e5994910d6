import ArgumentParser
import MigrationStream
import Platform

/// `vmscope dump FILE`: the stream as analyze-migration.py prints it.
struct DumpCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump",
        abstract: "Decode a QEMU migration stream as JSON, like QEMU's scripts/analyze-migration.py.",
        discussion: """
            Exit status: 0 decoded, 1 the stream failed to decode (what decoded is printed, the error \
            goes to stderr), 2 usage or I/O error.
            """
    )

    @Argument(help: "The migration stream (e.g. made with migrate \"exec:cat > FILE\").")
    var file: String

    @Flag(name: .long, help: "Print the vmdesc JSON (as analyze-migration.py -d desc).")
    var desc = false

    @Flag(name: [.short, .long], help: "Also print RAM page contents (as analyze-migration.py -m).")
    var memory = false

    @Option(name: [.short, .long], help: "Write desc.json, state.json and one file per RAMBlock into DIR (as -x).")
    var extract: String?

    @OptionGroup var lent: VMDescOption

    @Flag(name: .long, help: "Print every value with its byte offset and size.")
    var offsets = false

    func validate() throws {
        // --offsets is vmscope's own: refused where it would be silently ignored.
        if offsets && (desc || extract != nil) {
            throw ValidationError("--offsets applies to the decoded dump, not to --desc or --extract")
        }
    }

    func run() throws {
        do {
            try dump()
        } catch let failure as CommandFailure {
            failure.report()
            throw ExitCode(failure.code)
        }
    }

    private func dump() throws {
        let stream: MigrationStream
        do {
            stream = try MigrationStream(path: file, vmdescFrom: lent.vmdesc)
        } catch {
            throw CommandFailure(message: "\(error)", code: 2)
        }
        CommandFailure.warn(stream.warnings)
        if let extract {
            do {
                try Extractor(stream: stream, directory: extract).run { print($0) }
            } catch {
                throw CommandFailure(message: error.description, code: error.exitCode)
            }
            return
        }
        let output = TextOutput(fileDescriptor: STDOUT_FILENO)
        var failure: StreamError?
        if desc {
            guard let vmdesc = stream.vmdesc else {
                _ = output.finish()
                let reason = stream.vmdescError.map { "\($0)" } ?? "\(file): the stream has no vmdesc"
                throw CommandFailure(message: reason, code: 1)
            }
            var json = PythonJSONWriter(output: output)
            json.value(vmdesc.json)
            output.write(byte: 0x0a)
        } else {
            let dump = AnalyzeDump(stream: stream, options: .init(memory: memory, offsets: offsets))
            failure = dump.write(to: output)
        }
        if let problem = output.finish() {
            throw CommandFailure(message: "\(file): writing the output failed: \(problem)", code: 2)
        }
        if let failure { throw CommandFailure(message: "\(failure)", code: 1) }
    }
}

/// An error message for stderr and the exit status that goes with it.
struct CommandFailure: Error, CustomStringConvertible {
    var message: String
    var code: Int32
    var description: String { message }

    /// Writes `vmscope: message` to stderr.
    func report() { StandardError.writeLine("vmscope: " + message) }

    /// Writes each of a stream's warnings to stderr; they do not change the exit status.
    static func warn(_ warnings: [StreamError]) {
        for warning in warnings { CommandFailure(message: "warning: \(warning)", code: 0).report() }
    }
}
