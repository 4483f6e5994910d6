import Platform
import Scenario
import VMState

/// What the user gave on the command line: a scenario file, or the built-in demo.
struct InputFile {
    var path: String?
    var scenario: Scenario

    var displayName: String { path ?? "built-in demo (\(Scenario.demoFileName))" }

    /// What a command needs of the input: something to run (a device), or only VMSDs to check.
    enum Need {
        case device, vmsd
    }

    static func load(_ path: String?, needs: Need = .device) throws -> InputFile {
        let input = try read(path)
        try input.require(needs)
        return input
    }

    /// A clear error for a file that parses but holds nothing to work on: the commands would
    /// otherwise report an empty success.
    private func require(_ need: Need) throws {
        let name = path ?? Scenario.demoFileName
        if scenario.document.vmsds.isEmpty {
            let what =
                path.map { $0.hasSuffix(".c") || $0.hasSuffix(".h") } == true
                ? "no VMStateDescription" : "no vmsd (and no device)"
            throw UserFailure.input("\(name): \(what): nothing to run or check")
        }
        if need == .device, scenario.document.devices.isEmpty {
            // A mistake in the VMSDs is the more useful message.
            do {
                _ = try scenario.build(.dest, profile: scenario.profiles.dest)
            } catch {
                throw UserFailure.input("\(error)")
            }
            throw UserFailure.input(
                "\(name): \(scenario.document.vmsds.count) VMSD(s) but no device to run: "
                    + "add `device \"NAME\" { }` for the top-level VMSD")
        }
    }

    private static func read(_ path: String?) throws -> InputFile {
        guard let path else { return InputFile(path: nil, scenario: try Scenario.demo()) }
        // stat follows symbolic links, as opening the file will.
        var info = stat()
        guard stat(path, &info) == 0 else {
            // A bare word is more likely a mistyped subcommand than a file name.
            let hint = path.contains("/") || path.contains(".") ? "" : " (nor is it a subcommand: see vmscope --help)"
            throw UserFailure.io("\(path): cannot open: \(String(cString: strerror(errno)))\(hint)")
        }
        if (info.st_mode & S_IFMT) == S_IFDIR { throw UserFailure.io("\(path): a directory, not a file") }
        if path.hasSuffix(".c") || path.hasSuffix(".h") { return try importC([path]) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw UserFailure.io("\(path): cannot read: \(error.fileErrorText)")
        }
        if ExplorerInput.startsLikeStream(data.prefix(4)) {
            throw UserFailure.io("\(path): a QEMU migration stream; use `vmscope dump` or `vmscope sections`")
        }
        if data.isEmpty { throw UserFailure.input("\(path): the file is empty") }
        guard let text = String(data: data, encoding: .utf8) else {
            throw UserFailure.input("\(path): neither a QEMU migration stream (QEVM) nor a UTF-8 scenario file")
        }
        do {
            return InputFile(path: path, scenario: try Scenario(parsing: text, file: path))
        } catch {
            throw UserFailure.input("\(error)")
        }
    }

    /// QEMU C source: imported as `vmscope import` would (headers next to it are read).
    /// The VMSDs of `--vmsds`: one scenario, or QEMU C files read together (a device and the
    /// file that defines its parent's VMSD, e.g. `hw/net/e1000.c hw/pci/pci.c`).
    static func loadVMSDs(_ files: [String]) throws -> Scenario {
        if files.count == 1 { return try load(files[0]).scenario }
        guard files.allSatisfy({ $0.hasSuffix(".c") || $0.hasSuffix(".h") }) else {
            throw UserFailure.usage("--vmsds takes one scenario, or any number of QEMU C files (.c/.h)")
        }
        let input = try importC(files)
        try input.require(.device)
        return input.scenario
    }

    private static func importC(_ paths: [String]) throws -> InputFile {
        for path in paths where !FileManager.default.isReadableFile(atPath: path) {
            throw UserFailure.io("\(path): cannot read")
        }
        let path = paths[0]
        var options = CImportOptions()
        if let root = qemuTree(containing: path) {
            // Inside a QEMU checkout the headers are where QEMU's own build finds them.
            options.includeDirectories = [root + "/include", root]
        }
        let result = CImporter.importFiles(paths, options: options)
        for diagnostic in result.diagnostics where diagnostic.severity != .note {
            StandardError.writeLine(diagnostic.description)
        }
        guard !result.hasErrors, let scenario = result.scenario else {
            throw UserFailure.input("\(path): import failed")
        }
        return InputFile(path: path, scenario: scenario)
    }

    /// The QEMU source tree `path` is in: the nearest directory above it with
    /// `include/migration/vmstate.h`.
    static func qemuTree(containing path: String) -> String? {
        var directory = URL(fileURLWithPath: path).standardizedFileURL.deletingLastPathComponent()
        while directory.path != "/" {
            if FileManager.default.fileExists(atPath: directory.path + "/include/migration/vmstate.h") {
                return directory.path
            }
            directory = directory.deletingLastPathComponent()
        }
        return nil
    }

    func run(_ pair: ProfilePair) throws -> ScenarioRun {
        do {
            return try scenario.run(source: pair.source, dest: pair.dest)
        } catch {
            throw UserFailure.input("\(error)")
        }
    }
}
