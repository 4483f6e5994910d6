import MigrationStream
import Scenario
import VMState

/// The C callbacks of imported VMSDs, set from what a stream's vmdesc says the source sent: the
/// vmdesc lists a field only where its `field_exists` was true, and a subsection only where its
/// `needed` was. So `migrate_is_pcie()` reads false for a conventional PCI device's stream, and
/// the load follows the machine that wrote it instead of every callback returning true.
enum VMDescSwitches {
    /// Edits for the switches of `vmsd` and the VMSDs it nests, walking `description` (a vmdesc
    /// device entry or `"struct"` object) alongside.
    static func edits(for vmsd: String, description: JSONValue, definitions: Definitions) -> [FieldEdit] {
        var edits: [FieldEdit] = []
        walk(vmsd, description, definitions, depth: 0, into: &edits)
        return edits
    }

    private static func walk(
        _ name: String, _ description: JSONValue, _ definitions: Definitions, depth: Int, into edits: inout [FieldEdit]
    ) {
        // Nesting is bounded as everywhere else that follows a vmdesc.
        guard depth < 32, let vmsd = definitions[name] else { return }
        let entries = description["fields"]?.array ?? []
        var cursor = 0
        var seen: [String: Int] = [:]
        for (index, field) in vmsd.fields.enumerated() {
            let occurrence = seen[field.name, default: 0]
            seen[field.name] = occurrence + 1
            let sent = cursor < entries.count && matches(entries[cursor]["name"]?.string, field.name, occurrence)
            if case .callbackSwitch = field.fieldExists {
                edits.append(FieldEdit(vmsd: name, field: index, change: .callback(sent)))
            }
            guard sent else { continue }
            if let nested = field.vmsd, let inner = entries[cursor]["struct"] {
                walk(nested, inner, definitions, depth: depth + 1, into: &edits)
            }
            // An unrolled array is one entry per element, each with its index.
            cursor += 1
            while cursor < entries.count, entries[cursor]["index"]?.int ?? 0 > 0,
                matches(entries[cursor]["name"]?.string, field.name, occurrence)
            {
                cursor += 1
            }
        }
        let sentSubsections = description["subsections"]?.array ?? []
        for subsection in vmsd.subsections {
            let entry = sentSubsections.first { $0["vmsd_name"]?.string == subsection }
            if case .callbackSwitch = definitions[subsection]?.needed {
                edits.append(FieldEdit(vmsd: subsection, change: .needed(entry != nil)))
            }
            if let entry { walk(subsection, entry, definitions, depth: depth + 1, into: &edits) }
        }
    }

    /// Whether a vmdesc entry names the `occurrence`-th field called `field`: 7.2's vmdesc tells
    /// fields of the same name apart as `config[0]`, `config[1]`.
    private static func matches(_ entry: String?, _ field: String, _ occurrence: Int) -> Bool {
        guard let entry else { return false }
        if entry == field { return true }
        guard entry.hasSuffix("]"), let open = entry.lastIndex(of: "["), entry[..<open] == field else { return false }
        return Int(entry[entry.index(after: open)..<entry.index(before: entry.endIndex)]) == occurrence
    }
}
