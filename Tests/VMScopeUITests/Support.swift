import Foundation
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

/// Golden text frames live in `Frames/` beside the tests, reviewed like code. A missing frame is
/// written and the test fails once; `VMSCOPE_RECORD_FRAMES=1` rewrites them all.
enum Golden {
    static var directory: String {
        let file = #filePath
        let folder = file.split(separator: "/", omittingEmptySubsequences: false).dropLast().joined(separator: "/")
        return folder + "/Frames"
    }

    static func check(_ screen: Screen, named name: String, sourceLocation: Testing.SourceLocation = #_sourceLocation) {
        let path = directory + "/" + name + ".txt"
        let actual = screen.text
        let record = ProcessInfo.processInfo.environment["VMSCOPE_RECORD_FRAMES"] == "1"
        if !record, let expected = try? String(contentsOfFile: path, encoding: .utf8) {
            if expected != actual {
                Issue.record(
                    "frame \(name) differs from \(path):\n--- expected\n\(expected)--- actual\n\(actual)",
                    sourceLocation: sourceLocation)
            }
            return
        }
        do {
            try actual.write(toFile: path, atomically: true, encoding: .utf8)
        } catch {
            Issue.record("cannot write \(path): \(error)", sourceLocation: sourceLocation)
        }
        if !record {
            Issue.record("recorded new frame \(name); review it and run again", sourceLocation: sourceLocation)
        }
    }
}
