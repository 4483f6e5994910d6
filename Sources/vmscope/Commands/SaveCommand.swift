import ArgumentParser
import Foundation
import Scenario
import VMState

struct SaveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "save",
        abstract: "Write the bytes the source saves (vmstate_save_state), and optionally its vmdesc."
    )

    @Argument(help: "A scenario file (default: the built-in demo).")
    var file: String?

    @Option(name: .shortAndLong, help: "Where to write the saved bytes.")
    var output: String

    @Option(help: "Where to write the vmdesc JSON of the saved devices.")
    var vmdesc: String?

    @OptionGroup var profiles: ProfileOptions

    func run() throws {
        let input = try InputFile.load(file)
        let pair = try profiles.resolve(default: input.scenario.profiles)
        let side: BuiltSide
        do {
            side = try input.scenario.build(.source, profile: pair.source)
        } catch {
            throw UserFailure.input("\(error)")
        }
        var bytes: [UInt8] = []
        var descriptions: [String] = []
        for device in side.devices {
            let trace = Engine.save(
                device.vmsd, definitions: side.definitions, heap: side.heap, opaque: device.opaque,
                profile: pair.source, streamBase: bytes.count)
            guard trace.outcome.succeeded else {
                throw UserFailure.input("\(input.displayName): saving \(device.vmsd) failed: \(trace.outcome.summary)")
            }
            bytes += trace.stream
            if let description = trace.vmdesc { descriptions.append(description) }
        }
        try OutputFile.write(Data(bytes), to: output, inputs: [input.path])
        if let vmdesc {
            let text = descriptions.count == 1 ? descriptions[0] : "[" + descriptions.joined(separator: ", ") + "]"
            try OutputFile.write(Data((text + "\n").utf8), to: vmdesc, inputs: [input.path, output])
        }
        FileHandle.standardError.write(Data("vmscope: wrote \(bytes.count) bytes to \(output)\n".utf8))
    }
}
