import VMState

/// One line of the `MacroTable`, parsed.
public struct MacroDefinition: Sendable, Hashable {
    public var name: String
    public var parameters: [String]
    /// `key` → template, and per-profile replacements (`key@auto-alloc`).
    public var settings: [String: String]
    public var overrides: [String: [String: String]]

    /// Parses `NAME(p, q) key=value key@profile=value ...`.
    public init?(line: String) {
        guard let open = line.firstIndex(of: "("), let close = line.firstIndex(of: ")") else { return nil }
        name = String(line[..<open])
        parameters = line[line.index(after: open)..<close].split(separator: ",").map {
            $0.trimmingCharacters(in: " ")
        }.filter { !$0.isEmpty }
        settings = [:]
        overrides = [:]
        for item in Self.splitSettings(String(line[line.index(after: close)...])) {
            guard let equals = item.firstIndex(of: "=") else { return nil }
            var key = String(item[..<equals])
            let value = String(item[item.index(after: equals)...])
            if let at = key.firstIndex(of: "@") {
                let profile = String(key[key.index(after: at)...])
                key = String(key[..<at])
                overrides[key, default: [:]][profile] = value
            } else {
                settings[key] = value
            }
        }
    }

    /// Splits on spaces outside quotes and parentheses.
    private static func splitSettings(_ text: String) -> [String] {
        var items: [String] = []
        var current = ""
        var depth = 0
        var quoted = false
        for character in text {
            if character == "\"" { quoted.toggle() }
            if !quoted {
                if character == "(" { depth += 1 }
                if character == ")" { depth -= 1 }
                if character == " " && depth == 0 {
                    if !current.isEmpty { items.append(current) }
                    current = ""
                    continue
                }
            }
            current.append(character)
        }
        if !current.isEmpty { items.append(current) }
        return items
    }

    /// The template for `key` under `profile`, nil when the macro does not set it.
    public func template(_ key: String, profile: String) -> String? {
        if let byProfile = overrides[key] {
            if let value = byProfile[profile] { return value }
            let group = ["auto-alloc", "drop-auto-alloc"].contains(profile) ? "2026" : "legacy"
            if let value = byProfile[group] { return value }
        }
        return settings[key]
    }
}

extension MacroTable {
    /// Every macro by name.
    public static let definitions: [String: MacroDefinition] = {
        var table: [String: MacroDefinition] = [:]
        for line in lines {
            guard let definition = MacroDefinition(line: line) else { continue }
            table[definition.name] = definition
        }
        return table
    }()

    /// Lines that do not parse (a test keeps this empty).
    public static var malformedLines: [String] { lines.filter { MacroDefinition(line: $0) == nil } }
}

extension StringProtocol {
    func trimmingCharacters(in set: Character) -> String {
        var text = Substring(self)
        while text.first == set { text = text.dropFirst() }
        while text.last == set { text = text.dropLast() }
        return String(text)
    }
}
