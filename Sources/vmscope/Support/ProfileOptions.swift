import ArgumentParser
import VMState

/// `--profile`, `--source-profile`, `--dest-profile`.
struct ProfileOptions: ParsableArguments {
    @Option(name: .long, help: "Profile for both sides: \(Profile.all.map(\.name).joined(separator: ", ")).")
    var profile: String?

    @Option(name: .long, help: "Profile of the saving side.")
    var sourceProfile: String?

    @Option(name: .long, help: "Profile of the loading side.")
    var destProfile: String?

    static func named(_ name: String) throws -> Profile {
        guard let profile = Profile.named(name) else {
            throw UserFailure(
                message: "unknown profile '\(name)'; profiles are \(Profile.all.map(\.name).joined(separator: ", "))",
                exitCode: 2)
        }
        return profile
    }

    func resolve(default pair: (source: Profile, dest: Profile)) throws -> ProfilePair {
        var source = pair.source
        var dest = pair.dest
        if let profile {
            source = try Self.named(profile)
            dest = source
        }
        if let sourceProfile { source = try Self.named(sourceProfile) }
        if let destProfile { dest = try Self.named(destProfile) }
        return ProfilePair(source: source, dest: dest)
    }
}

struct ProfilePair {
    var source: Profile
    var dest: Profile

    var label: String { source == dest ? source.name : "\(source.name) -> \(dest.name)" }
}
