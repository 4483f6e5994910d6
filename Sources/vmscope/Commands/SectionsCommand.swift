import ArgumentParser
import MigrationStream
import Platform

/// `vmscope sections FILE`: every top-level record with its offset.
struct SectionsCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "sections",
        abstract: "List every top-level record of a migration stream with its byte offset."
    )

    @Argument(help: "The migration stream.")
    var file: String

    @OptionGroup var lent: VMDescOption

    @Flag(name: .long, help: "Print a JSON array instead of text.")
    var json = false

    func run() throws {
        do {
            try list()
        } catch let failure as CommandFailure {
            failure.report()
            throw ExitCode(failure.code)
        }
    }

    private func list() throws {
        let stream: MigrationStream
        do {
            stream = try MigrationStream(path: file, vmdescFrom: lent.vmdesc)
        } catch {
            throw CommandFailure(message: "\(error)", code: 2)
        }
        CommandFailure.warn(stream.warnings + stream.misfits)
        let output = TextOutput(fileDescriptor: STDOUT_FILENO)
        if json {
            var writer = PythonJSONWriter(output: output)
            SectionsJSON(stream: stream).write(&writer)
            output.write(byte: 0x0a)
        } else {
            for line in SectionsReport(stream: stream).lines() {
                output.write(line)
                output.write(byte: 0x0a)
            }
        }
        if let problem = output.finish() {
            throw CommandFailure(message: "\(file): writing the output failed: \(problem)", code: 2)
        }
        if let error = stream.index.error ?? stream.vmdescError {
            throw CommandFailure(message: "\(error)", code: 1)
        }
    }
}
