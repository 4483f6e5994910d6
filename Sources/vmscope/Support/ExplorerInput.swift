import ArgumentParser
import MigrationStream
import Platform
import Scenario
import VMScopeUI
import VMState

/// What the explorer (and `screenshot`) opens: a real stream when the file starts with `QEVM`,
/// else a scenario (or the built-in demo).
struct ExplorerInput {
    var source: any ExplorerSource
    var profiles: ProfileChoice
    var path: String?

    static func open(_ path: String?, options: ProfileOptions, vmsds: [String] = [], vmdesc: String? = nil) throws
        -> ExplorerInput
    {
        if let path, Self.isStream(path) {
            if options.sourceProfile != nil {
                throw UserFailure.usage(
                    "\(path): a migration stream was saved by the QEMU that wrote it; --source-profile is for "
                        + "scenarios (--profile or --dest-profile choose the loader)")
            }
            let stream: MigrationStream
            do {
                stream = try MigrationStream(path: path, vmdescFrom: vmdesc)
            } catch {
                throw UserFailure.io("\(error)")
            }
            let given =
                vmsds.isEmpty
                ? nil
                : (
                    scenario: try InputFile.loadVMSDs(vmsds),
                    label: vmsds.map { URL(fileURLWithPath: $0).lastPathComponent }.joined(separator: " ")
                )
            let source = StreamSource(stream: stream, displayName: path, vmsds: given)
            let defaults = source.defaultProfiles
            let pair = try options.resolve(default: (defaults.source, defaults.dest))
            if let given {
                try Self.requireMatch(given.scenario, file: given.label, source: source, profile: pair.dest)
            }
            return ExplorerInput(
                source: source, profiles: ProfileChoice(source: pair.source, dest: pair.dest), path: path)
        }
        let input = try InputFile.load(path)
        try StreamOptions.rejectForScenario(path, vmsds: vmsds, vmdesc: vmdesc)
        let pair = try options.resolve(default: input.scenario.profiles)
        return ExplorerInput(
            source: ScenarioSource(scenario: input.scenario, displayName: input.displayName),
            profiles: ProfileChoice(source: pair.source, dest: pair.dest), path: path)
    }

    /// `--vmsds FILE` must name the VMSD of at least one section: otherwise the run would quietly
    /// be the vmdesc's.
    static func requireMatch(_ scenario: Scenario, file: String, source: StreamSource, profile: Profile) throws {
        let devices: [String]
        do {
            devices = try scenario.build(.dest, profile: profile).devices.map(\.vmsd)
        } catch {
            throw UserFailure.input("\(error)")
        }
        let sections = Set(source.stream.index.sections.filter { $0.ram == nil }.map(source.vmsdName))
        guard devices.contains(where: sections.contains) else {
            // Sections after damage are not in the index: say where reading stopped.
            let damage = source.stream.index.error.map { error in
                "; the stream was read only up to its damage"
                    + (error.location.map { " at 0x" + String($0.offset, radix: 16) } ?? "") + " (\(error))"
            }
            throw UserFailure.input(
                "\(file): none of its devices (\(devices.joined(separator: ", "))) is a section of the stream; "
                    + "sections are saved with \(sections.sorted().prefix(12).joined(separator: ", "))"
                    + (sections.count > 12 ? ", ..." : "") + (damage ?? ""))
        }
    }

    /// A migration stream starts with the `QEVM` magic.
    static func isStream(_ path: String) -> Bool {
        guard let file = fopen(path, "rb") else { return false }
        defer { fclose(file) }
        var magic = [UInt8](repeating: 0, count: 4)
        let count = magic.withUnsafeMutableBytes { fread($0.baseAddress, 1, 4, file) }
        return startsLikeStream(magic.prefix(count))
    }

    /// Bytes that begin with `QEVM`, or are all of a file cut inside it (1 to 3 bytes of it):
    /// a migration stream, whose reader then says where it ends.
    static func startsLikeStream(_ head: some Collection<UInt8>) -> Bool {
        let magic: [UInt8] = [0x51, 0x45, 0x56, 0x4d]
        return !head.isEmpty && head.prefix(4).elementsEqual(magic.prefix(min(4, head.count)))
    }
}

extension ExplorerInput {
    /// What a script's `<open FILE>` does: a fresh explorer on FILE, same size and display.
    static func opener(_ path: String, _ current: State) throws -> State {
        let input = try ExplorerInput.open(path, options: try ProfileOptions.parse([]))
        do {
            return try State(
                source: input.source, profiles: input.profiles, size: current.size, options: current.options)
        } catch {
            throw UserFailure.input("\(path): \(error)")
        }
    }
}

/// `--vmsds FILE` and `--vmdesc FILE` of the commands that open a stream.
struct StreamOptions: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Load a stream's sections with the VMSDs of FILE (a scenario, or QEMU C files: repeat the option), "
                + "matched by VMSD name, instead of the stream's vmdesc.", valueName: "FILE"))
    var vmsds: [String] = []

    @OptionGroup var lent: VMDescOption

    var vmdesc: String? { lent.vmdesc }

    /// `--vmsds` and `--vmdesc` are for streams; `path` is a scenario or C file (or the demo).
    static func rejectForScenario(_ path: String?, vmsds: [String], vmdesc: String?) throws {
        for (option, given) in [("--vmsds", !vmsds.isEmpty), ("--vmdesc", vmdesc != nil)] where given {
            throw UserFailure.usage("\(option) is for a migration stream; \(path ?? "the demo") is not one")
        }
    }
}

/// `--vmdesc FILE` of the commands that read a stream.
struct VMDescOption: ParsableArguments {
    @Option(
        help: ArgumentHelp(
            "Take the device descriptions from FILE: another stream of the same machine, or a vmdesc as JSON "
                + "(dump --desc). For a stream cut before its own vmdesc.", valueName: "FILE"))
    var vmdesc: String?
}
