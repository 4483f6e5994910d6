/// What each parameter of a table macro stands for, read from the templates: the importer
/// rewrites C arguments by role (a type's name, a constant's value) before the table sees them.
enum CMacroParameterRole: Sendable, Hashable {
    /// A struct member path (`regs[2]`, `parent_obj.qdev`).
    case path
    /// The struct a member belongs to (`$s` of `$s.$f`).
    case structType
    /// A type given to `sizeof`.
    case type
    /// A type only ever behind a pointer (`sizeof($t*)`): its layout is not needed.
    case pointee
    /// An integer: a count, a version, a size.
    case integer
    /// A `field_exists` function.
    case test
    /// A VMSD (`&vmstate_foo`).
    case vmsd
    /// An array of two VMSDs (the gtree macros).
    case vmsdPair
    /// A `VMStateInfo`.
    case info
    /// Text: an error hint, a name.
    case text
}

extension MacroDefinition {
    /// Each parameter's role, from how the templates use it.
    var parameterRoles: [String: CMacroParameterRole] {
        var roles: [String: CMacroParameterRole] = [:]
        func assign(_ name: String, _ role: CMacroParameterRole) {
            // A member path wins over other uses (a field's name is also its path); a size needs
            // the type laid out even where a pointer to it is also used.
            if roles[name] == nil || role == .path || role == .structType || (role == .type && roles[name] == .pointee)
            {
                roles[name] = role
            }
        }
        var templates: [(String, String)] = settings.map { ($0.key, $0.value) }
        for (key, byProfile) in overrides { templates += byProfile.values.map { (key, $0) } }
        for (key, template) in templates {
            switch key {
            case "exists":
                for name in Self.parameterNames(in: template) { assign(name, .test) }
            case "vmsd", "key_vmsd":
                for name in Self.parameterNames(in: template) {
                    assign(name, template.contains("[") ? .vmsdPair : .vmsd)
                }
            case "info":
                for name in Self.parameterNames(in: template) { assign(name, .info) }
            case "hint", "name":
                for name in Self.parameterNames(in: template) { assign(name, .text) }
            case "flags":
                continue
            default:
                Self.integerRoles(template, assign: assign)
            }
        }
        if let first = parameters.first, roles[first] == nil, settings["name"] == nil { roles[first] = .path }
        for call in expansion {
            // An expansion passes its parameters on: their roles are the callee's.
            guard let callee = MacroTable.definitions[call.name] else { continue }
            let calleeRoles = callee.parameterRoles
            for (index, argument) in call.arguments.enumerated() where index < callee.parameters.count {
                guard let role = calleeRoles[callee.parameters[index]] else { continue }
                for name in Self.parameterNames(in: argument) {
                    // `$f.fifo`: a path built from a path.
                    assign(name, argument.contains(".") || argument.contains("[") ? .path : role)
                }
            }
        }
        return roles
    }

    /// Each member-path parameter and the struct parameter it is a member of (`$s.$f`).
    var memberPathOwners: [(path: String, owner: String)] {
        var pairs: [(path: String, owner: String)] = []
        var templates = Array(settings.values)
        for byProfile in overrides.values { templates += byProfile.values }
        for template in templates {
            var rest = Substring(template)
            while let dollar = rest.firstIndex(of: "$") {
                let term = rest[dollar...].prefix { !"+-*()".contains($0) }
                rest = rest[rest.index(dollar, offsetBy: max(term.count, 1))...]
                let names = Self.parameterNames(in: String(term))
                if term.contains("."), names.count >= 2, !pairs.contains(where: { $0.path == names[1] }) {
                    pairs.append((names[1], names[0]))
                }
            }
        }
        return pairs
    }

    /// `$name`s in a template.
    static func parameterNames(in template: String) -> [String] {
        var names: [String] = []
        var index = template.startIndex
        while let dollar = template[index...].firstIndex(of: "$") {
            let start = template.index(after: dollar)
            let end = template[start...].firstIndex { !($0.isLetter || $0.isNumber || $0 == "_") } ?? template.endIndex
            names.append(String(template[start..<end]))
            index = end
        }
        return names
    }

    /// Integer templates: `sizeof($t)` types, `$s.$f[$i]` members, other `$n` integers.
    private static func integerRoles(_ template: String, assign: (String, CMacroParameterRole) -> Void) {
        var rest = Substring(template)
        while !rest.isEmpty {
            if rest.hasPrefix("sizeof(") {
                let inner = rest.dropFirst(7).prefix { $0 != ")" }
                rest = rest.dropFirst(7 + inner.count + 1)
                let names = parameterNames(in: String(inner))
                if inner.contains("."), names.count == 2 {
                    assign(names[0], .structType)
                    assign(names[1], .path)
                } else {
                    for name in names { assign(name, inner.hasSuffix("*") ? .pointee : .type) }
                }
                continue
            }
            if rest.first == "$" {
                let term = rest.prefix { !"+-*".contains($0) }
                rest = rest.dropFirst(term.count)
                let names = parameterNames(in: String(term))
                if term.contains("."), names.count >= 2 {
                    assign(names[0], .structType)
                    assign(names[1], .path)
                    for name in names.dropFirst(2) { assign(name, .integer) }
                } else {
                    for name in names { assign(name, .integer) }
                }
                continue
            }
            rest = rest.dropFirst()
        }
    }
}
