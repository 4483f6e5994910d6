import ArgumentParser
import Scenario
import VMState

struct CheckCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "check",
        abstract: "Run the registration checks (vmstate_check) on every VMSD of a scenario."
    )

    @Argument(help: "A scenario or a QEMU C file (.c/.h) (default: the built-in demo).")
    var file: String?

    @Option(help: "The profile whose checks to run (default: the scenario's destination profile).")
    var profile: String?

    func run() throws {
        let input = try InputFile.load(file, needs: .vmsd)
        let chosen = try profile.map(ProfileOptions.named) ?? input.scenario.profiles.dest
        let side: BuiltSide
        do {
            side = try input.scenario.build(.dest, profile: chosen)
        } catch {
            throw UserFailure.input("\(error)")
        }
        // Nested VMSDs are checked through their parents; check the top-level ones.
        let nested = Set(
            side.definitions.vmsds.flatMap { vmsd in
                vmsd.fields.flatMap { [$0.vmsd, $0.keyVMSD].compactMap { $0 } } + vmsd.subsections
            })
        let roots = side.definitions.vmsds.map(\.name).filter { !nested.contains($0) }
        let report = Engine.check(roots, definitions: side.definitions, profile: chosen)
        print("vmscope check: \(input.displayName) under \(chosen.name)")
        if chosen.checkRules.isEmpty {
            print("\(chosen.name) has no vmstate_check (it came with QEMU 8.0): nothing to check")
        }
        for finding in report.findings {
            let verdict = finding.isWarning ? "warning" : (finding.passed ? "ok     " : "FAILED ")
            let rule = finding.rule.map { "\($0.rawValue) " } ?? ""
            print("\(verdict) \(rule)\(finding.path): \(finding.detail)")
        }
        let failures = report.failures.count
        print(failures == 0 ? "all checks passed" : "\(failures) check\(failures == 1 ? "" : "s") failed")
        if failures > 0 { throw ExitCode(1) }
    }
}
