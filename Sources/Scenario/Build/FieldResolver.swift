import VMState

/// Turns a field as written (a macro or `field x { ... }`) into the `VMStateField` the profile's
/// headers would produce.
struct FieldResolver {
    let context: ResolutionContext
    /// The struct of the VMSD the field belongs to (for `member` shorthands).
    let structType: String?

    func resolve(_ declaration: FieldDecl) throws(ScenarioError) -> VMStateField {
        switch declaration {
        case .macro(let name, let arguments, let settings, let location):
            var field = try expand(name, arguments: arguments, at: location)
            try apply(settings, to: &field)
            return field
        case .explicit(let name, let settings, _):
            var field = VMStateField(name: name, flags: [.single])
            // A field named after a member of the VMSD's struct sits at that member by default.
            if let structType, let located = context.types.locate(path: [name], in: structType) {
                field.offset = located.offset
                field.size = (try? context.types.size(of: located.type)) ?? 0
            }
            try apply(settings, to: &field)
            return field
        }
    }

    // MARK: Macros

    private func expand(
        _ macro: String, arguments: [MacroArgument], at location: SourceLocation, depth: Int = 0
    ) throws(ScenarioError) -> VMStateField {
        guard let definition = MacroTable.definitions[macro] else {
            throw context.error("unknown macro \(macro) (see MacroTable for the ones vmscope knows)", at: location)
        }
        guard definition.parameters.count == arguments.count else {
            throw context.error(
                "\(macro) takes \(definition.parameters.count) arguments (\(definition.parameters.joined(separator: ", "))), "
                    + "found \(arguments.count)", at: location)
        }
        let bound = Dictionary(uniqueKeysWithValues: zip(definition.parameters, arguments))
        if !definition.expansion.isEmpty {
            guard definition.expansion.count == 1, let call = definition.expansion.first, depth < 8 else {
                throw context.error(
                    "\(macro) stands for \(definition.expansion.count) fields; write them out "
                        + "(\(definition.expansion.map(\.name).joined(separator: ", ")))", at: location)
            }
            var field = try expand(
                call.name, arguments: try Self.substitute(call, bound, file: context.file, at: location),
                at: location, depth: depth + 1)
            field.macro = "\(macro)(\(arguments.map(\.description).joined(separator: ", ")))"
            return field
        }
        let profile = context.profile.name
        if definition.template("flags", profile: profile) == "-" {
            throw context.error("\(macro) does not exist in \(profile)", at: location)
        }
        var field = VMStateField(name: "", flags: [])
        field.macro = "\(macro)(\(arguments.map(\.description).joined(separator: ", ")))"
        let value = { (key: String) in definition.template(key, profile: profile) }

        if let template = value("name") {
            field.name = template.hasPrefix("\"") ? String(template.dropFirst().dropLast()) : try text(template, bound)
        } else if let first = arguments.first {
            field.name = context.text(first) ?? first.description
        }
        if let template = value("info") {
            let name = template.hasPrefix("$") ? try argument(template, bound).description : template
            field.info = context.info(name.hasPrefix("\"") ? String(name.dropFirst().dropLast()) : name)
        }
        if let template = value("flags") {
            field.flags = try context.flags(
                MacroArgument(tokens: try tokens(template, at: location), location: location))
        }
        if let template = value("size") { field.size = try integer(template, bound, at: location) }
        if let template = value("offset") { field.offset = try integer(template, bound, at: location) }
        if let template = value("num") { field.num = try integer(template, bound, at: location) }
        if let template = value("num_offset") { field.numOffset = try integer(template, bound, at: location) }
        if let template = value("size_offset") { field.sizeOffset = try integer(template, bound, at: location) }
        if let template = value("start") { field.start = try integer(template, bound, at: location) }
        if let template = value("version") { field.versionID = try integer(template, bound, at: location) }
        if let template = value("struct_version") { field.structVersionID = try integer(template, bound, at: location) }
        if let template = value("exists") { field.fieldExists = try context.test(try argument(template, bound)) }
        if let template = value("vmsd") { field.vmsd = try vmsd(template, bound) }
        if let template = value("key_vmsd") { field.keyVMSD = try vmsd(template, bound) }
        if let template = value("hint") { field.errHint = context.text(try argument(template, bound)) }
        return field
    }

    private func argument(_ template: String, _ bound: [String: MacroArgument]) throws(ScenarioError) -> MacroArgument {
        let name = String(template.dropFirst())
        guard template.hasPrefix("$"), let argument = bound[name] else {
            throw context.error("macro table: '\(template)' is not a parameter", at: SourceLocation(line: 0, column: 0))
        }
        return argument
    }

    /// `$vmsd`, or `$vmsd[k]` for element k of a VMSD pair (`{ "value", "key" }`).
    private func vmsd(_ template: String, _ bound: [String: MacroArgument]) throws(ScenarioError) -> String {
        // A VMSD the macro names itself (`vmsd=vmstate_pci_device`): its C name.
        if !template.hasPrefix("$") {
            return try context.vmsdName(
                MacroArgument(
                    tokens: [Token(kind: .identifier(template), location: SourceLocation(line: 0, column: 0))],
                    location: SourceLocation(line: 0, column: 0)))
        }
        guard let open = template.firstIndex(of: "["),
            let index = Int(template[template.index(after: open)...].dropLast())
        else { return try context.vmsdName(try argument(template, bound)) }
        let pair = try argument(String(template[..<open]), bound)
        let names = try context.vmsdPair(pair)
        guard index < names.count else {
            throw context.error("'\(pair)' has no VMSD number \(index)", at: pair.location)
        }
        return names[index]
    }

    private func text(_ template: String, _ bound: [String: MacroArgument]) throws(ScenarioError) -> String {
        let argument = try argument(template, bound)
        return context.text(argument) ?? argument.description
    }

    private func tokens(_ text: String, at location: SourceLocation) throws(ScenarioError) -> [Token] {
        var lexer = Lexer(text: text, file: context.file)
        return try lexer.tokenize().dropLast().map { Token(kind: $0.kind, location: location) }
    }

    /// Evaluates a template such as `sizeof($t*)`, `$s.$f`, `$s.$f[$start]`, `$n1*$n2`,
    /// `$size-$start` or `8`: terms joined by `+`, `-` and `*` (C precedence, no parentheses
    /// except those of `sizeof`).
    private func integer(_ template: String, _ bound: [String: MacroArgument], at location: SourceLocation)
        throws(ScenarioError) -> Int
    {
        // Split into terms and operators; a `*` inside sizeof() belongs to the type.
        var terms: [String] = []
        var operators: [Character] = []
        var depth = 0
        var current = ""
        for character in template {
            if character == "(" || character == "[" { depth += 1 }
            if character == ")" || character == "]" { depth -= 1 }
            if depth == 0 && "+-*".contains(character) && !current.isEmpty {
                terms.append(current)
                operators.append(character)
                current = ""
            } else {
                current.append(character)
            }
        }
        terms.append(current)
        // Products first, then sums.
        var sums: [Int] = [try integerTerm(terms[0], bound, at: location)]
        var signs: [Int] = [1]
        for (index, op) in operators.enumerated() {
            let value = try integerTerm(terms[index + 1], bound, at: location)
            switch op {
            case "*": sums[sums.count - 1] *= value
            default:
                sums.append(value)
                signs.append(op == "-" ? -1 : 1)
            }
        }
        return zip(sums, signs).reduce(0) { $0 + $1.0 * $1.1 }
    }

    private func integerTerm(_ term: String, _ bound: [String: MacroArgument], at location: SourceLocation)
        throws(ScenarioError) -> Int
    {
        if let value = Int(term) { return value }
        if term.hasPrefix("sizeof(") && term.hasSuffix(")") {
            let inner = String(term.dropFirst(7).dropLast())
            // sizeof($s.$f): the size of a member.
            if let (structArgument, memberArgument) = try memberReference(inner, bound) {
                let structName = try context.type(structArgument).description
                let located = try context.locate(
                    try context.memberPath(memberArgument), in: structName, at: memberArgument.location)
                return (try? context.types.size(of: located.type)) ?? 0
            }
            var pointer = false
            var name = inner
            if name.hasSuffix("*") {
                pointer = true
                name = String(name.dropLast()).trimmingCharacters(in: " ")
            }
            if pointer { return 8 }
            if name.hasPrefix("$") { return try context.size(ofType: try argument(name, bound)) }
            return try context.size(ofType: MacroArgument(tokens: try tokens(name, at: location), location: location))
        }
        // $s.$f: offsetof.
        if let (structArgument, memberArgument) = try memberReference(term, bound) {
            let structName = try context.type(structArgument).description
            return try context.locate(
                try context.memberPath(memberArgument), in: structName, at: memberArgument.location
            )
            .offset
        }
        if term.hasPrefix("$") { return Int(truncatingIfNeeded: try context.constant(try argument(term, bound))) }
        throw context.error("macro table: cannot evaluate '\(term)'", at: location)
    }

    /// `$s.$f` → the two arguments; `$s.$f[$i]` → the member argument indexed by `$i`.
    private func memberReference(_ text: String, _ bound: [String: MacroArgument]) throws(ScenarioError)
        -> (MacroArgument, MacroArgument)?
    {
        let parts = text.split(separator: ".", maxSplits: 1).map(String.init)
        guard parts.count == 2, parts[0].hasPrefix("$"), parts[1].hasPrefix("$") else { return nil }
        var memberName = parts[1]
        var index: MacroArgument?
        if let open = memberName.firstIndex(of: "["), memberName.hasSuffix("]") {
            index = try argument(String(memberName[memberName.index(after: open)...].dropLast()), bound)
            memberName = String(memberName[..<open])
        }
        var member = try argument(memberName, bound)
        if let index {
            let location = member.location
            member.tokens +=
                [Token(kind: .punctuation("["), location: location)] + index.tokens
                + [Token(kind: .punctuation("]"), location: location)]
        }
        return (try argument(parts[0], bound), member)
    }

    /// The arguments of one call of an expansion: each template's `$param` replaced by the
    /// argument's tokens, the rest read as scenario tokens.
    static func substitute(
        _ call: MacroDefinition.Call, _ bound: [String: MacroArgument], file: String, at location: SourceLocation
    ) throws(ScenarioError) -> [MacroArgument] {
        var result: [MacroArgument] = []
        for template in call.arguments {
            var tokens: [Token] = []
            var literal = ""
            var index = template.startIndex
            func flush() throws(ScenarioError) {
                guard !literal.isEmpty else { return }
                var lexer = Lexer(text: literal, file: file)
                tokens += try lexer.tokenize().dropLast().map { Token(kind: $0.kind, location: location) }
                literal = ""
            }
            while index < template.endIndex {
                if template[index] == "$" {
                    let start = template.index(after: index)
                    let end =
                        template[start...].firstIndex { !($0.isLetter || $0.isNumber || $0 == "_") }
                        ?? template.endIndex
                    guard let argument = bound[String(template[start..<end])] else {
                        throw ScenarioError(
                            file: file, location: location,
                            message: "macro table: '\(template)' names no parameter of \(call.name)'s caller")
                    }
                    try flush()
                    tokens += argument.tokens
                    index = end
                } else {
                    literal.append(template[index])
                    index = template.index(after: index)
                }
            }
            try flush()
            result.append(MacroArgument(tokens: tokens, location: bound.values.first?.location ?? location))
        }
        return result
    }

    // MARK: Settings

    /// Applies `key value` settings (explicit fields, or overrides after a macro).
    func apply(_ settings: [FieldSetting], to field: inout VMStateField) throws(ScenarioError) {
        for setting in settings {
            let value = setting.value
            switch setting.key {
            case "name": field.name = context.text(value) ?? value.description
            case "info": field.info = context.info(context.text(value) ?? value.description)
            case "flags": try applyFlags(value, to: &field)
            case "offset": field.offset = try memberOrConstant(value)
            case "size": field.size = try sizeValue(value)
            case "size_offset": field.sizeOffset = try memberOrConstant(value)
            case "num_offset": field.numOffset = try memberOrConstant(value)
            case "start": field.start = try memberOrConstant(value)
            case "num": field.num = Int(truncatingIfNeeded: try context.constant(value))
            case "version_id", "version": field.versionID = Int(truncatingIfNeeded: try context.constant(value))
            case "struct_version_id", "struct_version":
                field.structVersionID = Int(truncatingIfNeeded: try context.constant(value))
            case "field_exists", "exists": field.fieldExists = try context.test(value)
            case "vmsd": field.vmsd = try context.vmsdName(value)
            case "key_vmsd": field.keyVMSD = try context.vmsdName(value)
            case "err_hint": field.errHint = context.text(value)
            case "placeholder":
                // Something vmscope could not read (an unknown macro): shown, never run.
                field.isPlaceholder = true
                field.macro = context.text(value)
            default:
                throw context.error(
                    "unknown field member '\(setting.key)'; expected name, info, flags, offset, size, size_offset, "
                        + "num, num_offset, start, version_id, struct_version_id, field_exists, vmsd, key_vmsd, "
                        + "err_hint or placeholder", at: setting.location)
            }
        }
    }

    /// `flags A|B` replaces; `flags +A -B` adds and removes.
    private func applyFlags(_ value: MacroArgument, to field: inout VMStateField) throws(ScenarioError) {
        guard let first = value.tokens.first, case .punctuation(let mark) = first.kind, mark == "+" || mark == "-"
        else {
            field.flags = try context.flags(value)
            return
        }
        var adding = true
        for token in value.tokens {
            switch token.kind {
            case .punctuation("+"): adding = true
            case .punctuation("-"): adding = false
            case .identifier(let name):
                guard let flag = FieldFlag(name: name) else {
                    throw context.error("unknown flag '\(name)'", at: token.location)
                }
                if adding { field.flags.insert(flag) } else { field.flags.remove(flag) }
            default: throw context.error("expected +FLAG or -FLAG, found '\(token.text)'", at: token.location)
            }
        }
    }

    /// A number, `offsetof(T, path)`, or a member of the VMSD's struct (its offset).
    private func memberOrConstant(_ value: MacroArgument) throws(ScenarioError) -> Int {
        let tokens = value.tokens
        if let first = tokens.first, case .identifier("offsetof") = first.kind {
            let inner = Array(tokens.dropFirst(2).dropLast())
            guard let comma = inner.firstIndex(where: { $0.kind == .punctuation(",") }) else {
                throw context.error("expected offsetof(TYPE, member)", at: value.location)
            }
            let type = try context.type(MacroArgument(tokens: Array(inner[..<comma]), location: value.location))
            let path = try context.memberPath(
                MacroArgument(tokens: Array(inner[(comma + 1)...]), location: value.location))
            return try context.locate(path, in: type.description, at: value.location).offset
        }
        if let structType, case .member(let steps) = try? context.expression(value),
            (try? context.locate(steps, in: structType, at: value.location)) != nil
        {
            return try context.locate(steps, in: structType, at: value.location).offset
        }
        return Int(truncatingIfNeeded: try context.constant(value))
    }

    private func sizeValue(_ value: MacroArgument) throws(ScenarioError) -> Int {
        Int(truncatingIfNeeded: try context.constant(value))
    }
}
