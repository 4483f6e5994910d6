import Scenario
import Testing
import VMState

@testable import VMScopeUI

/// The built-in demo at a size, with an optional key script already replayed.
func demoState(size: Size = Size(width: 120, height: 40), keys: String = "", profile: String? = nil) throws -> State {
    let source = try ScenarioSource.demo()
    let profiles = profile.flatMap(Profile.named).map { ProfileChoice(both: $0) }
    let state = try State(source: source, profiles: profiles, size: size)
    return Replay.run(try KeyScript(parsing: keys), from: state)
}

extension State {
    func pressing(_ keys: String) throws -> State {
        Replay.run(try KeyScript(parsing: keys), from: self)
    }
}
