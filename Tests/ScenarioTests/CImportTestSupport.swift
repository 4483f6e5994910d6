import Foundation
import Scenario
import VMState

/// The C fixtures next to these tests, and helpers to import C given as text.
enum CImportFixtures {
    static let directory = URL(fileURLWithPath: #filePath).deletingLastPathComponent()
        .appendingPathComponent("Fixtures/c")

    static func path(_ name: String) -> String { directory.appendingPathComponent(name).path }

    /// Imports fixture files with the fixtures' include directory.
    static func importFixtures(_ names: [String], options: CImportOptions = CImportOptions()) -> CImportResult {
        var options = options
        options.includeDirectories.append(path("include"))
        return CImporter.importFiles(names.map(path), options: options)
    }

    /// Imports C written in the test: `files` maps paths to text; `main` are the files to import.
    static func importText(
        _ files: [String: String], main: [String]? = nil, options: CImportOptions = CImportOptions()
    ) -> CImportResult {
        CImporter.importFiles(
            main ?? files.keys.filter { $0.hasSuffix(".c") }.sorted(), options: options,
            reader: InMemorySourceReader(files))
    }

    /// The `--describe` JSON as nested dictionaries.
    static func descriptions(_ result: CImportResult) -> [String: [String: Any]] {
        let object = try? JSONSerialization.jsonObject(with: Data(result.descriptionJSON.utf8))
        return object as? [String: [String: Any]] ?? [:]
    }

    /// `(field, version_id, field_exists, size)` of a VMSD's Description.
    static func fields(_ description: [String: Any]?) -> [(String, Int, Bool, Int)] {
        let fields = description?["Fields"] as? [[String: Any]] ?? []
        return fields.map {
            (
                $0["field"] as? String ?? "?", $0["version_id"] as? Int ?? -1, $0["field_exists"] as? Bool ?? false,
                $0["size"] as? Int ?? -1
            )
        }
    }

    static func warnings(_ result: CImportResult) -> [CDiagnostic] {
        result.diagnostics.filter { $0.severity != .note }
    }
}
