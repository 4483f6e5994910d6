import VMState

/// A VMSD of the import with its fields resolved for the import's profile.
struct CResolvedVMSD: Sendable {
    /// `unit:cName`: unique in the import (C names repeat across files).
    var key: String
    var unit: Int32
    var cName: String
    var name: String
    var versionID: Int
    var minimumVersionID: Int
    /// Nil when the C has no `.fields` (QEMU's dump then has no "Fields").
    var fields: [CResolvedField]?
    /// Keys of the subsections; nil without `.subsections`; an entry is nil when vmscope could
    /// not find that VMSD.
    var subsections: [String?]?
    var subsectionCNames: [String]
    var structType: String?
    /// C function names by callback (`needed`, `pre_load`, ...).
    var callbacks: [(kind: String, function: String)]
    var usesErrp: Set<String>
    var priority: Int
    var unmigratable: Bool
    var earlySetup: Bool
    var location: CSourceLocation
}

struct CResolvedField: Sendable {
    var field: VMStateField
    /// As the scenario writes it (a macro with its arguments, or `field NAME { ... }`).
    var declaration: FieldDecl
    /// The key of the nested VMSD (and of a gtree's key VMSD).
    var nested: String?
    var nestedKey: String?
    var location: CSourceLocation
}

/// Resolves the VMSDs the parser found: follows `.fields` and `.subsections` to their arrays,
/// expands each field with the macro table (through `FieldResolver`, as a scenario file would),
/// and lays out the types the fields name.
final class CVMSDResolver {
    let session: CImportSession
    let profile: Profile
    /// Every type a field needed, laid out, by scenario name.
    private(set) var types = TypeTable()
    /// Scenario names of the records the fields need, in the order they were needed.
    private(set) var neededRecords: [String] = []
    private var neededSet: Set<String> = []
    private(set) var resolved: [String: CResolvedVMSD] = [:]
    /// Enumerators the fields use by name, with their values.
    private(set) var constants: [String: Int64] = [:]
    private(set) var conflictingConstants: Set<String> = []
    /// Types a field names that vmscope could not see (the scenario declares them as bytes).
    private(set) var guessedTypes: [String] = []
    private var resolving: Set<String> = []
    private var rolesCache: [String: [String: CMacroParameterRole]] = [:]

    init(session: CImportSession, profile: Profile) {
        self.session = session
        self.profile = profile
    }

    static func key(unit: Int32, cName: String) -> String { "\(unit):\(cName)" }

    // MARK: Finding VMSDs

    /// The VMSD a C name refers to from `unit`: its own, else a visible or global definition.
    func vmsdDeclaration(_ cName: String, from unit: Int32) -> (unit: Int32, index: Int)? {
        let declarations = session.units[Int(unit)].declarations
        if let index = declarations.vmsds.firstIndex(where: { $0.cName == cName }) { return (unit, index) }
        guard let candidates = session.vmsdIndex[cName] else { return nil }
        let visible = session.units[Int(unit)].visible
        // A `static` VMSD of another file is not this one's; prefer what this unit sees.
        let ordered =
            candidates.filter { visible.contains($0) }
            + candidates.filter {
                !visible.contains($0)
                    && !(session.units[Int($0)].declarations.vmsds.first { $0.cName == cName }?.isStatic ?? true)
            }
        for owner in ordered {
            if let index = session.units[Int(owner)].declarations.vmsds.firstIndex(where: { $0.cName == cName }) {
                return (owner, index)
            }
        }
        return nil
    }

    /// Resolves the VMSD `cName` seen from `unit`; nil when no such VMSD is defined.
    @discardableResult
    func resolve(_ cName: String, from unit: Int32) -> String? {
        guard let (owner, index) = vmsdDeclaration(cName, from: unit) else { return nil }
        let key = Self.key(unit: owner, cName: cName)
        if resolved[key] != nil || resolving.contains(key) { return key }
        // VMSDs nest each other through fields and subsections; a chain this deep is hostile.
        guard resolving.count < CParser.maximumDepth else {
            session.diagnose(
                .error, "VMSDs nested more than \(CParser.maximumDepth) deep (at \(cName))",
                at: session.units[Int(owner)].declarations.vmsds[index].location)
            return nil
        }
        resolving.insert(key)
        defer { resolving.remove(key) }
        resolved[key] = resolveDeclaration(session.units[Int(owner)].declarations.vmsds[index], unit: owner, key: key)
        return key
    }

    private func resolveDeclaration(_ declaration: CVMSDDecl, unit: Int32, key: String) -> CResolvedVMSD {
        session.currentLocation = declaration.location
        let members = declaration.members
        var vmsd = CResolvedVMSD(
            key: key, unit: unit, cName: declaration.cName, name: declaration.cName, versionID: 0,
            minimumVersionID: 0, fields: nil, subsections: nil, subsectionCNames: [], structType: nil,
            callbacks: [], usesErrp: [], priority: 0, unmigratable: false, earlySetup: false,
            location: declaration.location)
        if let name = members["name"] {
            vmsd.name = stringValue(name.value, in: unit) ?? declaration.cName
        } else {
            session.diagnose(.warning, "\(declaration.cName) has no .name", at: declaration.location)
        }
        vmsd.versionID = integer(members["version_id"], in: unit, what: "\(declaration.cName).version_id")
        vmsd.minimumVersionID = integer(
            members["minimum_version_id"], in: unit, what: "\(declaration.cName).minimum_version_id")
        vmsd.priority = integer(members["priority"], in: unit, what: "\(declaration.cName).priority")
        vmsd.unmigratable = integer(members["unmigratable"], in: unit, what: "") != 0
        vmsd.earlySetup = integer(members["early_setup"], in: unit, what: "") != 0
        for kind in ["needed", "pre_load", "post_load", "pre_save", "post_save"] {
            for (member, errp) in [(kind, false), (kind + "_errp", true)] {
                guard let value = members[member], let function = Self.functionName(value.value) else { continue }
                vmsd.callbacks.append((kind, function))
                if errp { vmsd.usesErrp.insert(kind) }
            }
        }
        if let fields = declaration.fields {
            var entries: [CFieldEntry]?
            switch fields {
            case .inline(let list, _): entries = list
            case .reference(let name, let location):
                if let owner = session.find(name, in: session.fieldArrayIndex, from: unit) {
                    entries = session.units[Int(owner)].declarations.fieldArrays[name]
                } else {
                    session.diagnose(.warning, "field array \(name) of \(declaration.cName) not found", at: location)
                }
            }
            vmsd.fields = resolveFields(entries ?? [], unit: unit, vmsd: declaration.cName)
        }
        if let subsections = declaration.subsections {
            var names: [String?] = []
            switch subsections {
            case .inline(let list, _): names = list
            case .reference(let name, let location):
                if let owner = session.find(name, in: session.subsectionArrayIndex, from: unit),
                    let list = session.units[Int(owner)].declarations.subsectionArrays[name]
                {
                    names = list
                } else {
                    session.diagnose(
                        .warning, "subsection array \(name) of \(declaration.cName) not found", at: location)
                }
            }
            // The list ends at its NULL.
            let listed = names.prefix { $0 != nil }.compactMap { $0 }
            vmsd.subsectionCNames = listed
            vmsd.subsections = listed.map { cName in
                if let found = resolve(cName, from: unit) { return found }
                session.diagnose(
                    .warning,
                    "subsection \(cName) of \(declaration.cName) is not defined in the files read: an empty VMSD "
                        + "stands in", at: declaration.location)
                return "extern:\(cName)"
            }
        }
        vmsd.structType = inferStructType(vmsd.fields ?? [])
        return vmsd
    }

    /// The struct a VMSD describes: the struct its fields' macros name.
    private func inferStructType(_ fields: [CResolvedField]) -> String? {
        for field in fields where !field.field.isPlaceholder {
            guard case .macro(let name, let arguments, _, _) = field.declaration,
                let definition = MacroTable.definitions[name]
            else { continue }
            let roles = roles(of: definition)
            for (index, parameter) in definition.parameters.enumerated() where roles[parameter] == .structType {
                if index < arguments.count, let type = arguments[index].identifier, types[type] != nil { return type }
            }
        }
        for field in fields {
            guard case .explicit(_, let settings, _) = field.declaration else { continue }
            for setting in settings where setting.key == "offset" {
                let tokens = setting.value.tokens
                if tokens.count > 2, case .identifier("offsetof") = tokens[0].kind,
                    case .identifier(let type) = tokens[2].kind
                {
                    return type
                }
            }
        }
        return nil
    }

    private func roles(of definition: MacroDefinition) -> [String: CMacroParameterRole] {
        if let cached = rolesCache[definition.name] { return cached }
        let roles = definition.parameterRoles
        rolesCache[definition.name] = roles
        return roles
    }

    // MARK: Values

    /// `"a" "b"` (concatenated) or a name vmscope leaves as written.
    private func stringValue(_ tokens: [CToken], in unit: Int32) -> String? {
        let strings = tokens.filter { $0.kind == .string }
        guard !strings.isEmpty else {
            if !tokens.isEmpty {
                session.diagnose(
                    .warning, "name \(tokens.spelled) is not a string vmscope can read (its #define was not found?)",
                    at: tokens[0].location)
                return tokens.stringified
            }
            return nil
        }
        return strings.compactMap(\.stringValue).joined()
    }

    private func integer(_ designator: CDesignator?, in unit: Int32, what: String) -> Int {
        guard let designator else { return 0 }
        if let value = session.evaluate(designator.value, in: unit) ?? Self.builtinConstant(designator.value) {
            return Int(truncatingIfNeeded: value)
        }
        if !what.isEmpty {
            session.diagnose(
                .warning, "\(what) = \(designator.value.spelled): value unknown to vmscope, taken as 0",
                at: designator.location)
        }
        return 0
    }

    /// QEMU 7.2's `MigrationPriority`, for files read without vmstate.h.
    static let migrationPriorities: [String: Int64] = [
        "MIG_PRI_DEFAULT": 0, "MIG_PRI_IOMMU": 1, "MIG_PRI_PCI_BUS": 2, "MIG_PRI_VIRTIO_MEM": 3,
        "MIG_PRI_GICV3_ITS": 4, "MIG_PRI_GICV3": 5, "MIG_PRI_MAX": 6,
    ]

    private static func builtinConstant(_ tokens: [CToken]) -> Int64? {
        guard tokens.count == 1 else { return nil }
        switch tokens[0].text {
        case "true": return 1
        case "false": return 0
        default: return migrationPriorities[tokens[0].text]
        }
    }

    /// `foo_post_load`, `&foo`, `(void *)foo` → `foo`; NULL and 0 → nil.
    static func functionName(_ tokens: [CToken]) -> String? {
        let names = tokens.filter {
            $0.kind == .identifier && !["NULL", "void", "const", "int", "bool"].contains($0.text)
        }
        return names.last?.text
    }

    // MARK: Fields

    private func resolveFields(_ entries: [CFieldEntry], unit: Int32, vmsd: String) -> [CResolvedField] {
        var fields: [CResolvedField] = []
        var ended = false
        for entry in entries {
            if ended { break }
            session.currentLocation = entry.location
            switch entry {
            case .end:
                ended = true
            case .macro(let name, let arguments, let location):
                fields += resolveMacro(name, arguments: arguments, unit: unit, location: location, depth: 0)
            case .explicit(let members, let location):
                fields.append(resolveExplicit(members, unit: unit, location: location))
            case .unreadable(let text, let location):
                session.diagnose(
                    .warning, "cannot read '\(text)' as a field of \(vmsd); a placeholder stands in", at: location)
                fields.append(placeholder(name: text, macro: text, location: location))
            }
        }
        if !ended && !entries.isEmpty {
            session.diagnose(
                .warning, "the fields of \(vmsd) do not end with VMSTATE_END_OF_LIST()",
                at: entries.last?.location ?? .unknown)
        }
        return fields
    }

    private func placeholder(name: String, macro: String, location: CSourceLocation) -> CResolvedField {
        let loc = location.scenarioLocation
        let settings = [
            FieldSetting(
                key: "placeholder",
                value: MacroArgument(tokens: [Token(kind: .string(macro), location: loc)], location: loc), location: loc
            ),
            FieldSetting(
                key: "flags",
                value: MacroArgument(tokens: [Token(kind: .identifier("ARRAY"), location: loc)], location: loc),
                location: loc),
            FieldSetting(
                key: "num", value: MacroArgument(tokens: [Token(kind: .integer(0), location: loc)], location: loc),
                location: loc),
        ]
        let field = VMStateField(name: name, num: 0, flags: [.array], macro: macro, isPlaceholder: true)
        return CResolvedField(
            field: field, declaration: .explicit(name: name, settings: settings, location: loc), nested: nil,
            nestedKey: nil, location: location)
    }

    private func resolveMacro(
        _ name: String, arguments: [[CToken]], unit: Int32, location: CSourceLocation, depth: Int
    ) -> [CResolvedField] {
        let spelled = "\(name)(\(arguments.map { $0.stringified }.joined(separator: ", ")))"
        let fieldName = arguments.first.map { Self.stringifiedName($0) } ?? name
        guard let definition = MacroTable.definitions[name] else {
            session.diagnose(
                .warning,
                "unknown macro \(name) (not in vmscope's macro table, and no #define of it was read); "
                    + "a placeholder stands in", at: location)
            return [placeholder(name: fieldName, macro: spelled, location: location)]
        }
        guard definition.parameters.count == arguments.count else {
            session.diagnose(
                .warning,
                "\(name) takes \(definition.parameters.count) arguments "
                    + "(\(definition.parameters.joined(separator: ", "))), found \(arguments.count); "
                    + "a placeholder stands in", at: location)
            return [placeholder(name: fieldName, macro: spelled, location: location)]
        }
        if !definition.expansion.isEmpty {
            // `=>`: the macro stands for other table macros; substitute and resolve each.
            guard depth < 8 else { return [placeholder(name: fieldName, macro: spelled, location: location)] }
            var fields: [CResolvedField] = []
            let bound = Dictionary(uniqueKeysWithValues: zip(definition.parameters, arguments))
            for call in definition.expansion {
                let substituted = call.arguments.map { Self.substitute($0, bound, at: location) }
                fields += resolveMacro(
                    call.name, arguments: substituted, unit: unit, location: location, depth: depth + 1)
            }
            return fields
        }
        return [resolveTableMacro(definition, arguments: arguments, unit: unit, location: location, spelled: spelled)]
    }

    /// `$f.fifo` with `f` bound to `queue` → `queue.fifo` (as C tokens).
    static func substitute(_ template: String, _ bound: [String: [CToken]], at location: CSourceLocation) -> [CToken] {
        var result: [CToken] = []
        var literal = ""
        func flush() {
            guard !literal.isEmpty else { return }
            var lexed = CLexer.tokenize(Array(literal.utf8), file: location.file).dropLast().map { token -> CToken in
                var copy = token
                copy.location = location
                return copy
            }
            if !lexed.isEmpty && !result.isEmpty { lexed[0].leadingSpace = literal.first == " " }
            result += lexed
            literal = ""
        }
        var index = template.startIndex
        while index < template.endIndex {
            if template[index] == "$" {
                let start = template.index(after: index)
                let end =
                    template[start...].firstIndex { !($0.isLetter || $0.isNumber || $0 == "_") } ?? template.endIndex
                flush()
                result += bound[String(template[start..<end])] ?? []
                index = end
            } else {
                literal.append(template[index])
                index = template.index(after: index)
            }
        }
        flush()
        if !result.isEmpty { result[0].leadingSpace = false }
        return result
    }

    /// The field name QEMU's `stringify` makes of an argument.
    static func stringifiedName(_ tokens: [CToken]) -> String {
        if tokens.count == 1, let value = tokens[0].stringValue { return value }
        var copy = tokens
        if !copy.isEmpty { copy[0].leadingSpace = false }
        return copy.stringified
    }

    private func resolveTableMacro(
        _ definition: MacroDefinition, arguments: [[CToken]], unit: Int32, location: CSourceLocation, spelled: String
    ) -> CResolvedField {
        let roles = roles(of: definition)
        var converted: [MacroArgument] = []
        var aliases: [String: String] = [:]
        var vmsdArrays: [String: [String]] = [:]
        var usedConstants: [String: Int64] = [:]
        var nested: String?
        var nestedKey: String?
        for (parameter, tokens) in zip(definition.parameters, arguments) {
            let role = roles[parameter] ?? .text
            var rewritten = tokens
            switch role {
            case .structType, .type:
                rewritten = canonicalType(tokens, in: unit) ?? tokens
            case .pointee:
                rewritten = canonicalType(tokens + [Self.star(at: location)], in: unit)?.dropLast() ?? tokens
            case .integer:
                rewritten = integerArgument(tokens, in: unit, constants: &usedConstants)
            case .path:
                collectPathConstants(tokens, in: unit, constants: &usedConstants)
            case .test:
                rewritten = Self.testArgument(tokens)
            case .vmsd:
                let cName = Self.vmsdName(tokens)
                if let cName, let key = resolve(cName, from: unit) {
                    aliases[cName] = key
                    nested = key
                } else if let cName {
                    session.diagnose(
                        .warning,
                        "\(cName) is not defined in the files read: an empty VMSD stands in "
                            + "(import the file that defines it too)", at: location)
                    let key = "extern:\(cName)"
                    aliases[cName] = key
                    nested = key
                }
                rewritten = cName.map { [Self.identifier($0, at: location)] } ?? tokens
            case .vmsdPair:
                if let cName = Self.vmsdName(tokens) {
                    let owner = session.find(cName, in: session.vmsdArrayIndex, from: unit)
                    let elements = owner.flatMap { session.units[Int($0)].declarations.vmsdArrays[cName] } ?? []
                    let keys = elements.compactMap { resolve($0, from: owner ?? unit) }
                    if keys.count == 2 {
                        vmsdArrays[cName] = keys
                        nested = keys[0]
                        nestedKey = keys[1]
                    } else {
                        session.diagnose(.warning, "VMSD pair \(cName) not found", at: location)
                    }
                    rewritten = [Self.identifier(cName, at: location)]
                }
            case .info:
                rewritten = infoArgument(tokens, in: unit)
            case .text:
                break
            }
            converted.append(
                MacroArgument(tokens: rewritten.map(Self.scenarioToken), location: location.scenarioLocation))
        }
        // Types the macro itself names (`size=sizeof(PCIDevice)`).
        for type in Self.literalTypes(of: definition) { need(type) }
        // A VMSD the macro itself names (`vmsd=vmstate_pci_device`).
        if let template = definition.template("vmsd", profile: profile.name), !template.hasPrefix("$") {
            let key = resolve(template, from: unit) ?? "extern:\(template)"
            if key.hasPrefix("extern:") {
                session.diagnose(
                    .warning,
                    "\(template) is not defined in the files read: an empty VMSD stands in "
                        + "(import the file that defines it too)", at: location)
            }
            aliases[template] = key
            nested = key
        }
        let loc = location.scenarioLocation
        var declaration = FieldDecl.macro(name: definition.name, arguments: converted, settings: [], location: loc)
        let context = makeContext(unit: unit, aliases: aliases, constants: usedConstants, vmsdArrays: vmsdArrays)
        var field: VMStateField
        do {
            field = try FieldResolver(context: context, structType: nil).resolve(declaration)
        } catch {
            session.diagnose(.warning, "\(spelled): \(error.message); a placeholder stands in", at: location)
            return placeholder(
                name: arguments.first.map { Self.stringifiedName($0) } ?? definition.name, macro: spelled,
                location: location)
        }
        // QEMU names the field by stringifying its argument; keep that spelling exactly.
        if let expected = expectedName(definition, arguments: arguments), expected != field.name {
            field.name = expected
            declaration = .macro(
                name: definition.name, arguments: converted,
                settings: [
                    FieldSetting(
                        key: "name",
                        value: MacroArgument(tokens: [Token(kind: .string(expected), location: loc)], location: loc),
                        location: loc)
                ],
                location: loc)
        }
        field.macro = spelled
        return CResolvedField(
            field: field, declaration: declaration, nested: nested, nestedKey: nestedKey, location: location)
    }

    /// `sizeof(T)` with a literal T in any template (pointers need no layout).
    static func literalTypes(of definition: MacroDefinition) -> [String] {
        var templates = Array(definition.settings.values)
        for byProfile in definition.overrides.values { templates += byProfile.values }
        var names: [String] = []
        for template in templates {
            for part in template.split(separator: "sizeof(", omittingEmptySubsequences: false).dropFirst() {
                let name = part.prefix { $0 != ")" }.trimmingCharacters(in: " ")
                if !name.hasPrefix("$"), !name.hasSuffix("*"), CScalarTypes.table[name] == nil { names.append(name) }
            }
        }
        return names
    }

    private func expectedName(_ definition: MacroDefinition, arguments: [[CToken]]) -> String? {
        let template = definition.template("name", profile: profile.name)
        if let template, template.hasPrefix("\"") { return nil }
        let parameter = template.map { String($0.dropFirst()) } ?? definition.parameters.first
        guard let parameter, let index = definition.parameters.firstIndex(of: parameter), index < arguments.count else {
            return nil
        }
        return Self.stringifiedName(arguments[index])
    }

    // MARK: Explicit fields

    private func resolveExplicit(_ members: [CDesignator], unit: Int32, location: CSourceLocation) -> CResolvedField {
        let loc = location.scenarioLocation
        var name = ""
        var settings: [FieldSetting] = []
        var aliases: [String: String] = [:]
        var usedConstants: [String: Int64] = [:]
        var nested: String?
        var hasOffset = false
        var hasSize = false
        func add(_ key: String, _ tokens: [CToken]) {
            settings.append(
                FieldSetting(
                    key: key, value: MacroArgument(tokens: tokens.map(Self.scenarioToken), location: loc), location: loc
                ))
        }
        for member in members {
            switch member.key {
            case "name":
                name = stringValue(member.value, in: unit) ?? ""
            case "info":
                add(
                    "info",
                    infoArgument(
                        member.value.filter { !$0.isPunctuator("&") && !$0.isPunctuator("(") && !$0.isPunctuator(")") },
                        in: unit))
            case "flags":
                add("flags", member.value.filter { $0.kind == .identifier || $0.isPunctuator("|") })
            case "offset", "num_offset", "size_offset":
                if member.key == "offset" { hasOffset = true }
                add(member.key, offsetArgument(member.value, in: unit, constants: &usedConstants))
            case "size", "num", "version_id", "struct_version_id", "start":
                if member.key == "size" { hasSize = true }
                if let value = session.evaluate(member.value, in: unit) {
                    add(member.key, [Self.number(value, at: member.location)])
                } else {
                    session.diagnose(
                        .warning, ".\(member.key) = \(member.value.spelled): value unknown to vmscope, taken as 0",
                        at: member.location)
                    add(member.key, [Self.number(0, at: member.location)])
                }
            case "vmsd":
                if let cName = Self.vmsdName(member.value) {
                    let key = resolve(cName, from: unit) ?? "extern:\(cName)"
                    if key.hasPrefix("extern:") {
                        session.diagnose(
                            .warning, "\(cName) is not defined in the files read: an empty VMSD stands in",
                            at: member.location)
                    }
                    aliases[cName] = key
                    nested = key
                    add("vmsd", [Self.identifier(cName, at: member.location)])
                }
            case "field_exists":
                let test = Self.testArgument(member.value)
                if !(test.count == 1 && test[0].text == "NULL") { add("field_exists", test) }
            case "err_hint":
                add("err_hint", member.value)
            default:
                session.diagnose(
                    .note, "field member .\(member.key) is not one vmscope models; ignored", at: member.location)
            }
        }
        // C leaves unset members 0: say so, or the scenario would place the field by its name.
        if !hasOffset { add("offset", [Self.number(0, at: location)]) }
        if !hasSize { add("size", [Self.number(0, at: location)]) }
        guard !name.isEmpty else {
            session.diagnose(.warning, "a field without .name; a placeholder stands in", at: location)
            return placeholder(name: "?", macro: "{ ... }", location: location)
        }
        let declaration = FieldDecl.explicit(name: name, settings: settings, location: loc)
        let context = makeContext(unit: unit, aliases: aliases, constants: usedConstants, vmsdArrays: [:])
        do {
            var field = try FieldResolver(context: context, structType: nil).resolve(declaration)
            field.macro = nil
            return CResolvedField(
                field: field, declaration: declaration, nested: nested, nestedKey: nil, location: location)
        } catch {
            session.diagnose(.warning, "field \(name): \(error.message); a placeholder stands in", at: location)
            return placeholder(name: name, macro: "{ .name = \"\(name)\", ... }", location: location)
        }
    }

    /// `offsetof(T, m)` and QEMU's `vmstate_offset_*(S, f, ...)` stay symbolic; anything else
    /// becomes its value.
    private func offsetArgument(_ tokens: [CToken], in unit: Int32, constants: inout [String: Int64]) -> [CToken] {
        if let first = tokens.first(where: { $0.kind == .identifier }),
            first.text == "offsetof" || first.text.hasPrefix("vmstate_offset_"),
            let open = tokens.firstIndex(where: { $0.isPunctuator("(") }),
            let close = CImportSession.matchingClose(tokens, from: open)
        {
            let inner = Array(tokens[(open + 1)..<close])
            var parts: [[CToken]] = [[]]
            var depth = 0
            for token in inner {
                if token.isPunctuator("(") || token.isPunctuator("[") { depth += 1 }
                if token.isPunctuator(")") || token.isPunctuator("]") { depth -= 1 }
                if depth == 0 && token.isPunctuator(",") {
                    parts.append([])
                } else {
                    parts[parts.count - 1].append(token)
                }
            }
            let isSimple = close == tokens.count - 1 && tokens.first?.text == first.text
            if parts.count >= 2, let type = canonicalType(parts[0], in: unit), isSimple {
                collectPathConstants(parts[1], in: unit, constants: &constants)
                let location = first.location
                func mark(_ text: String) -> CToken {
                    CToken(kind: .punctuator, text: text, location: location, leadingSpace: false, atLineStart: false)
                }
                return [Self.identifier("offsetof", at: location), mark("(")] + type + [mark(",")] + parts[1] + [
                    mark(")")
                ]
            }
        }
        if let value = session.evaluate(tokens, in: unit) {
            return [Self.number(value, at: tokens.first?.location ?? .unknown)]
        }
        session.diagnose(
            .warning, "offset \(tokens.spelled) unknown to vmscope, taken as 0", at: tokens.first?.location ?? .unknown)
        return [Self.number(0, at: tokens.first?.location ?? .unknown)]
    }

    // MARK: Arguments

    private func makeContext(
        unit: Int32, aliases: [String: String], constants: [String: Int64], vmsdArrays: [String: [String]]
    ) -> ResolutionContext {
        var context = ResolutionContext(
            file: session.path(ofFile: session.units[Int(unit)].file), types: types, vmsdAliases: aliases, tests: [:],
            constants: constants, profile: profile)
        context.vmsdArrays = vmsdArrays
        return context
    }

    /// A type argument as the scenario names it: the record's scenario name, a scalar's
    /// standard name; the layout is added to `types`.
    func canonicalType(_ tokens: [CToken], in unit: Int32) -> [CToken]? {
        guard let type = CTypeNameParser.parse(tokens, isTypeName: { _ in true }) else { return nil }
        var base = type
        var pointers = 0
        var dimensions: [[CToken]] = []
        while true {
            switch base {
            case .pointer(let inner):
                pointers += 1
                base = inner
                continue
            case .array(let inner, let count):
                dimensions.insert(count ?? [], at: 0)
                base = inner
                continue
            default: break
            }
            break
        }
        let location = tokens.first?.location ?? .unknown
        // Behind a pointer only the name matters: a type vmscope cannot see is no problem there.
        if pointers > 0, dimensions.isEmpty, case .pointer(.named(let named)) = session.shallowType(type, in: unit) {
            if session.record(named: named) != nil || session.knownType(named) != nil { need(named) }
            return [Self.identifier(named, at: location)]
                + Array(
                    repeating: CToken(
                        kind: .punctuator, text: "*", location: location, leadingSpace: true, atLineStart: false),
                    count: pointers)
        }
        let layout = session.layout(of: base, in: unit)
        var name: String
        if let record = layout.record {
            name = session.recordName(record)
            need(name)
        } else if let scalar = CScalarTypes.scenarioName(layout.ctype) {
            name = scalar
        } else if case .named(let named) = layout.ctype {
            name = named
            need(name)
        } else if case .pointer = layout.ctype {
            name = "uintptr_t"
        } else {
            // A type vmscope guessed: give the table its size under its own name.
            name =
                tokens.filter { $0.kind == .identifier && !["struct", "union", "enum", "const"].contains($0.text) }
                .first?.text ?? "unknown"
            if types[name] == nil {
                types.add(StructLayout(name: name, members: [], size: layout.size, alignment: layout.alignment))
                guessedTypes.append(name)
            }
        }
        var result = [Self.identifier(name, at: location)]
        for _ in 0..<pointers {
            result.append(
                CToken(kind: .punctuator, text: "*", location: location, leadingSpace: true, atLineStart: false))
        }
        for dimension in dimensions {
            let value = session.evaluate(dimension, in: unit) ?? 0
            result += [
                CToken(kind: .punctuator, text: "[", location: location, leadingSpace: false, atLineStart: false),
                Self.number(value, at: location),
                CToken(kind: .punctuator, text: "]", location: location, leadingSpace: false, atLineStart: false),
            ]
        }
        return result
    }

    /// Adds a type (and the types its members embed) to `types`.
    func need(_ name: String) {
        guard !neededSet.contains(name) else { return }
        neededSet.insert(name)
        if let record = session.record(named: name) {
            for member in record.flattened { needEmbedded(member.type) }
            types.add(record.structLayout)
            neededRecords.append(name)
            return
        }
        if TypeTable().layouts[name] != nil { return }
        if let known = session.knownType(name) {
            types.add(StructLayout(name: name, members: [], size: known.size, alignment: known.alignment))
            neededRecords.append(name)
        }
    }

    private func needEmbedded(_ type: CType) {
        switch type {
        case .named(let name): need(name)
        case .array(let element, _): needEmbedded(element)
        default: break
        }
    }

    private func integerArgument(_ tokens: [CToken], in unit: Int32, constants: inout [String: Int64]) -> [CToken] {
        if tokens.count == 1, tokens[0].kind == .number { return tokens }
        if tokens.count == 1, tokens[0].kind == .identifier,
            let value = UnitResolver(session: session, unit: unit).constant(named: tokens[0].text)
        {
            if noteConstant(tokens[0].text, value) {
                constants[tokens[0].text] = value
                return tokens
            }
            return [Self.number(value, at: tokens[0].location)]
        }
        if let value = session.evaluate(tokens, in: unit) {
            return [Self.number(value, at: tokens.first?.location ?? .unknown)]
        }
        return tokens
    }

    /// Enumerators used in member indices (`regs[R_EAX]`) go to the scenario's constants.
    private func collectPathConstants(_ tokens: [CToken], in unit: Int32, constants: inout [String: Int64]) {
        var previous: CToken?
        for token in tokens {
            defer { previous = token }
            guard token.kind == .identifier else { continue }
            if previous?.isPunctuator(".") == true || previous?.isPunctuator("->") == true || previous == nil {
                continue
            }
            if let value = UnitResolver(session: session, unit: unit).constant(named: token.text) {
                _ = noteConstant(token.text, value)
                constants[token.text] = value
            }
        }
    }

    /// Records a constant for the scenario; false when another file gave the name another value.
    private func noteConstant(_ name: String, _ value: Int64) -> Bool {
        if let existing = constants[name], existing != value {
            conflictingConstants.insert(name)
            return false
        }
        constants[name] = value
        return true
    }

    private static func testArgument(_ tokens: [CToken]) -> [CToken] {
        let location = tokens.first?.location ?? .unknown
        let meaningful = tokens.filter { !$0.isPunctuator("(") && !$0.isPunctuator(")") && !$0.isPunctuator("&") }
        if meaningful.isEmpty
            || meaningful.allSatisfy({
                $0.text == "0" || $0.text == "NULL" || $0.text == "void" || $0.isPunctuator("*")
            })
        {
            return [identifier("NULL", at: location)]
        }
        if let name = functionName(tokens) { return [identifier(name, at: location)] }
        return tokens
    }

    private func infoArgument(_ tokens: [CToken], in unit: Int32) -> [CToken] {
        guard let name = tokens.last(where: { $0.kind == .identifier })?.text else { return tokens }
        let location = tokens.first?.location ?? .unknown
        if let owner = session.find(name, in: session.infoIndex, from: unit),
            let declared = session.units[Int(owner)].declarations.infos[name]
        {
            return [
                CToken(
                    kind: .string, text: "\"\(declared)\"", location: location, leadingSpace: false, atLineStart: false)
            ]
        }
        if name == "virtio_vmstate_info" {
            return [
                CToken(kind: .string, text: "\"virtio\"", location: location, leadingSpace: false, atLineStart: false)
            ]
        }
        return [Self.identifier(name, at: location)]
    }

    /// `&vmstate_foo`, `(vmstate_foo)`, `vmstate_foo` → `vmstate_foo`; `&array[1]` → `array[1]`.
    static func vmsdName(_ tokens: [CToken]) -> String? {
        let meaningful = tokens.filter { !$0.isPunctuator("&") && !$0.isPunctuator("(") && !$0.isPunctuator(")") }
        guard let first = meaningful.first, first.kind == .identifier else { return nil }
        if meaningful.count == 4, meaningful[1].isPunctuator("["), meaningful[3].isPunctuator("]") {
            return "\(first.text)[\(meaningful[2].text)]"
        }
        return meaningful.count == 1 ? first.text : nil
    }

    // MARK: Tokens

    static func identifier(_ name: String, at location: CSourceLocation) -> CToken {
        CToken(kind: .identifier, text: name, location: location, leadingSpace: false, atLineStart: false)
    }

    static func star(at location: CSourceLocation) -> CToken {
        CToken(kind: .punctuator, text: "*", location: location, leadingSpace: true, atLineStart: false)
    }

    static func number(_ value: Int64, at location: CSourceLocation) -> CToken {
        CToken(kind: .number, text: String(value), location: location, leadingSpace: false, atLineStart: false)
    }

    /// A C token as the scenario's lexer would have read it.
    static func scenarioToken(_ token: CToken) -> Token {
        let location = token.location.scenarioLocation
        switch token.kind {
        case .identifier: return Token(kind: .identifier(token.text), location: location)
        case .number:
            if let value = CConstantEvaluator.integerLiteral(token.text) {
                return Token(kind: .integer(value), location: location)
            }
            return Token(kind: .identifier(token.text), location: location)
        case .character:
            return Token(kind: .integer(CConstantEvaluator.characterLiteral(token.text) ?? 0), location: location)
        case .string: return Token(kind: .string(token.stringValue ?? ""), location: location)
        case .punctuator: return Token(kind: .punctuation(token.text), location: location)
        case .end: return Token(kind: .end, location: location)
        }
    }
}
