import ArgumentParser
import VMState

struct ProfilesCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "profiles",
        abstract: "List the profiles: which QEMU semantics each models, and its flag numbers."
    )

    func run() {
        for profile in Profile.all {
            print("\(profile.name)\(profile == .default ? " (default)" : "")")
            print("  \(profile.summary)")
            print("  from: \(profile.sourceOfTruth)")
            print("  flags:")
            for flag in FieldFlag.allCases {
                let value = profile.flagValues[flag].map { "0x" + String($0, radix: 16) } ?? "-"
                print("    \(flag.rawValue + String(repeating: " ", count: max(0, 34 - flag.rawValue.count))) \(value)")
            }
            let rules = profile.checkRules.map(\.rawValue).joined(separator: " ")
            print("  vmstate_check rules: \(rules.isEmpty ? "none" : rules)")
            print("")
        }
    }
}
