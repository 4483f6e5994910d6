import ArgumentParser
import MigrationStream
import Platform
import Scenario
import VMState

struct SaveCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "save",
        abstract: "Write the bytes the source saves (vmstate_save_state), and optionally its vmdesc."
    )

    @Argument(help: "A scenario or a QEMU C file (.c/.h) (default: the built-in demo).")
    var file: String?

    @Option(name: .shortAndLong, help: "Where to write the saved bytes.")
    var output: String

    @Option(help: "Where to write the vmdesc JSON of the saved devices.")
    var vmdesc: String?

    @Flag(help: "Write a complete migration stream (magic, configuration, FULL sections, EOF, vmdesc).")
    var stream = false

    @Option(help: "The machine type named in the stream's configuration section.")
    var machine = "pc-i440fx-7.2"

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
        var builder = StreamBuilder(machine: machine)
        for device in side.devices {
            let trace = Engine.save(
                device.vmsd, definitions: side.definitions, heap: side.heap, opaque: device.opaque,
                profile: pair.source, streamBase: bytes.count)
            guard trace.outcome.succeeded else {
                throw UserFailure.input("\(input.displayName): saving \(device.vmsd) failed: \(trace.outcome.summary)")
            }
            bytes += trace.stream
            if let description = trace.vmdesc { descriptions.append(description) }
            builder.devices.append(
                StreamBuilder.Device(
                    idstr: device.idstr, instanceID: UInt32(truncatingIfNeeded: device.instanceID),
                    version: UInt32(truncatingIfNeeded: side.definitions[device.vmsd]?.versionID ?? 0),
                    payload: trace.stream, vmdesc: trace.vmdesc ?? "{}"))
        }
        if stream { bytes = builder.bytes() }
        try OutputFile.write(Data(bytes), to: output, inputs: [input.path])
        if let vmdesc {
            let text = descriptions.count == 1 ? descriptions[0] : "[" + descriptions.joined(separator: ", ") + "]"
            try OutputFile.write(Data((text + "\n").utf8), to: vmdesc, inputs: [input.path, output])
        }
        StandardError.writeLine("vmscope: wrote \(bytes.count) bytes to \(output)")
    }
}
