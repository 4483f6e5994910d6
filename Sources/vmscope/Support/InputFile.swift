import Foundation
import Scenario
import VMState

/// What the user gave on the command line: a scenario file, or the built-in demo.
struct InputFile {
    var path: String?
    var scenario: Scenario

    var displayName: String { path ?? "built-in demo (\(Scenario.demoFileName))" }

    static func load(_ path: String?) throws -> InputFile {
        guard let path else { return InputFile(path: nil, scenario: try Scenario.demo()) }
        if path.hasSuffix(".c") || path.hasSuffix(".h") { return try importC(path) }
        let data: Data
        do {
            data = try Data(contentsOf: URL(fileURLWithPath: path), options: .alwaysMapped)
        } catch {
            throw UserFailure.io("\(path): cannot read: \(error.localizedDescription)")
        }
        if data.prefix(4) == Data([0x51, 0x45, 0x56, 0x4d]) {
            throw UserFailure.io("\(path): a QEMU migration stream; use `vmscope dump` or `vmscope sections`")
        }
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
    private static func importC(_ path: String) throws -> InputFile {
        guard FileManager.default.isReadableFile(atPath: path) else {
            throw UserFailure.io("\(path): cannot read")
        }
        let result = CImporter.importFiles([path], options: CImportOptions())
        for diagnostic in result.diagnostics where diagnostic.severity != .note {
            FileHandle.standardError.write(Data((diagnostic.description + "\n").utf8))
        }
        guard !result.hasErrors, let scenario = result.scenario else {
            throw UserFailure.input("\(path): import failed")
        }
        return InputFile(path: path, scenario: scenario)
    }

    func run(_ pair: ProfilePair) throws -> ScenarioRun {
        do {
            return try scenario.run(source: pair.source, dest: pair.dest)
        } catch {
            throw UserFailure.input("\(error)")
        }
    }
}
