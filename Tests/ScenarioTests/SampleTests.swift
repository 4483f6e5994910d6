import Foundation
import Scenario
import Testing
import VMState

/// Every sample states its outcome under each profile with `expect` lines; these tests hold
/// the samples to them, and keep the built-in demo equal to its file.
@Suite("Samples")
struct SampleTests {
    static let samplesDirectory = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Samples")

    static let sampleFiles: [String] = {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: samplesDirectory.path)) ?? []
        return names.filter { $0.hasSuffix(".vmscope") }.sorted()
    }()

    @Test("there are samples to check")
    func samplesExist() {
        #expect(Self.sampleFiles.count >= 6)
        #expect(Self.sampleFiles.contains(Scenario.demoFileName))
    }

    @Test("sample outcomes hold", arguments: sampleFiles)
    func outcomes(file: String) throws {
        let path = Self.samplesDirectory.appendingPathComponent(file).path
        let scenario = try Scenario(parsing: try String(contentsOfFile: path, encoding: .utf8), file: file)
        #expect(!scenario.document.expectations.isEmpty, "\(file) states no outcome")
        #expect(scenario.document.title != nil, "\(file) has no title")
        let mismatches = try scenario.verifyExpectations()
        #expect(mismatches.isEmpty, "\(mismatches.map(\.description).joined(separator: "\n"))")
    }

    @Test("the built-in demo is Samples/nvme-demo.vmscope")
    func demoMatchesFile() throws {
        let path = Self.samplesDirectory.appendingPathComponent(Scenario.demoFileName).path
        #expect(try String(contentsOfFile: path, encoding: .utf8) == Scenario.demoText)
    }
}

extension SampleTests {
    @Test("Samples/README.md lists every sample")
    func readmeListsSamples() throws {
        let readme = try String(
            contentsOfFile: Self.samplesDirectory.appendingPathComponent("README.md").path, encoding: .utf8)
        for file in Self.sampleFiles { #expect(readme.contains("`\(file)`"), "\(file)") }
    }
}
