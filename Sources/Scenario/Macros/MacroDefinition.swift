import VMState

/// One line of the `MacroTable`, parsed.
public struct MacroDefinition: Sendable, Hashable {
    public var name: String
    public var parameters: [String]
    /// Written without parentheses (`VMSTATE_VIRTIO_DEVICE`): used as a bare name in a field list.
    public var isObjectLike: Bool
    /// `key` → template, and per-profile replacements (`key@auto-alloc`).
    public var settings: [String: String]
    public var overrides: [String: [String: String]]
    /// `NAME(p) => OTHER($p, 1), ...`: the macro stands for these table macros, in order.
    public var expansion: [Call]

    /// One macro call of an expansion, with argument templates (`$p` is replaced by the argument).
    public struct Call: Sendable, Hashable {
        public var name: String
        public var arguments: [String]
    }

    /// Parses `NAME(p, q) key=value key@profile=value ...`, `NAME key=value ...` (object-like) or
    /// `NAME(p, q) => OTHER(args), OTHER2(args)`.
    public init?(line: String) {
        let nameEnd = line.firstIndex { !($0.isLetter || $0.isNumber || $0 == "_") } ?? line.endIndex
        name = String(line[..<nameEnd])
        guard !name.isEmpty else { return nil }
        var rest = line[nameEnd...]
        parameters = []
        isObjectLike = true
        if rest.first == "(" {
            guard let close = rest.firstIndex(of: ")") else { return nil }
            parameters = rest[rest.index(after: rest.startIndex)..<close].split(separator: ",").map {
                $0.trimmingCharacters(in: " ")
            }.filter { !$0.isEmpty }
            isObjectLike = false
            rest = rest[rest.index(after: close)...]
        }
        settings = [:]
        overrides = [:]
        expansion = []
        let trimmed = rest.trimmingCharacters(in: " ")
        if trimmed.hasPrefix("=>") {
            guard let calls = Self.parseCalls(String(trimmed.dropFirst(2))), !calls.isEmpty else { return nil }
            expansion = calls
            return
        }
        for item in Self.splitSettings(String(rest)) {
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

    /// `A(x, y), B(z)` → the calls, split on commas outside parentheses.
    private static func parseCalls(_ text: String) -> [Call]? {
        var calls: [Call] = []
        var depth = 0
        var current = ""
        var arguments: [String] = []
        var name = ""
        for character in text {
            switch character {
            case "(":
                depth += 1
                if depth == 1 {
                    name = current.trimmingCharacters(in: " ")
                    current = ""
                    continue
                }
            case ")":
                depth -= 1
                if depth == 0 {
                    arguments.append(current.trimmingCharacters(in: " "))
                    calls.append(Call(name: name, arguments: arguments.filter { !$0.isEmpty }))
                    current = ""
                    arguments = []
                    continue
                }
            case "," where depth == 1:
                arguments.append(current.trimmingCharacters(in: " "))
                current = ""
                continue
            case "," where depth == 0:
                continue
            default: break
            }
            current.append(character)
        }
        guard depth == 0, current.trimmingCharacters(in: " ").isEmpty else { return nil }
        return calls
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
