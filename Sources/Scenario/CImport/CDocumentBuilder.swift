import VMState

/// Turns the resolved VMSDs into a scenario document: the structs they need (laid out as C lays
/// them out, with explicit padding where the scenario's plain rules would differ), the VMSDs
/// with their macros, one device per VMSD no other one nests, and source values in a visible
/// pattern.
struct CDocumentBuilder {
    let session: CImportSession
    let resolver: CVMSDResolver

    /// A member as the scenario declares it.
    struct EmittedMember {
        var name: String
        var type: CType
        var offset: Int
        var size: Int
    }

    /// The version a stand-in for a VMSD of another file has: any stream version loads.
    static let stubVersion = 0x7fff_ffff

    private var documentNames: [String: String] = [:]
    private var usedNames: Set<String> = []
    private var aliasOwners: [String: Set<String>] = [:]
    private(set) var emitted: [String: [EmittedMember]] = [:]
    private var scenarioAlignment: [String: Int] = [:]
    private var emitting: Set<String> = []
    private var structs: [StructDecl] = []

    init(session: CImportSession, resolver: CVMSDResolver) {
        self.session = session
        self.resolver = resolver
    }

    mutating func build(keys: [String], roots: [String], file: String) -> (
        document: ScenarioDocument, switches: [CCallbackSwitch]
    ) {
        var document = ScenarioDocument(file: file)
        document.title = "Imported from \(file)"
        document.notes.append(
            "Written by vmscope import: C callbacks are switches (needed and field_exists return true, hooks "
                + "return 0); source values follow the pattern offset + 1.")
        // Every VMSD reachable from the given ones, in a stable order.
        var order: [String] = []
        var seen: Set<String> = []
        var stack = Array(keys.reversed())
        while let key = stack.popLast() {
            guard seen.insert(key).inserted else { continue }
            order.append(key)
            guard let vmsd = resolver.resolved[key] else { continue }
            let next =
                (vmsd.fields ?? []).flatMap { [$0.nested, $0.nestedKey].compactMap { $0 } }
                + (vmsd.subsections ?? []).compactMap { $0 }
            stack.append(contentsOf: next.reversed())
        }
        for key in order {
            let name = resolver.resolved[key]?.name ?? String(key.split(separator: ":").last ?? "")
            documentNames[key] = uniqueName(name, for: key)
            let cName = resolver.resolved[key]?.cName ?? String(key.dropFirst("extern:".count))
            aliasOwners[cName, default: []].insert(key)
        }
        var switches: [CCallbackSwitch] = []
        // Structs first: field paths through anonymous members are rewritten from them.
        for name in resolver.neededRecords + resolver.guessedTypes { emitStruct(name) }
        for key in order {
            document.vmsds.append(vmsdDecl(key, switches: &switches))
        }
        for key in roots {
            guard let vmsd = resolver.resolved[key], let structType = vmsd.structType else {
                if let vmsd = resolver.resolved[key] {
                    session.diagnose(
                        .note, "\(vmsd.name) names no struct vmscope could tell; it is not a device of the scenario",
                        at: vmsd.location)
                }
                continue
            }
            emitStruct(structType)
            var device = DeviceDecl(vmsd: documentNames[key] ?? vmsd.name, location: vmsd.location.scenarioLocation)
            // Once to learn which structs the values allocate, again with them declared.
            var synthesizer = CStateSynthesizer(builder: self, resolver: resolver)
            synthesizer.fill(key: key, record: structType)
            for type in synthesizer.allocatedTypes { emitStruct(type) }
            synthesizer = CStateSynthesizer(builder: self, resolver: resolver)
            synthesizer.fill(key: key, record: structType)
            device.source = synthesizer.source
            device.dest = synthesizer.dest
            document.devices.append(device)
        }
        applyValuesFile(to: &document)
        document.structs = structs
        document.constants = resolver.constants.filter { !resolver.conflictingConstants.contains($0.key) }
        return (document, switches)
    }

    private mutating func uniqueName(_ name: String, for key: String) -> String {
        var candidate = name
        var number = 2
        while usedNames.contains(candidate) {
            candidate = "\(name)#\(number)"
            number += 1
        }
        if candidate != name, let vmsd = resolver.resolved[key] {
            session.diagnose(
                .warning, "two VMSDs are named \"\(name)\"; the scenario calls this one \"\(candidate)\"",
                at: vmsd.location)
        }
        usedNames.insert(candidate)
        return candidate
    }

    // MARK: VMSDs

    private func vmsdDecl(_ key: String, switches: inout [CCallbackSwitch]) -> VMSDDecl {
        let name = documentNames[key] ?? key
        guard let vmsd = resolver.resolved[key] else {
            // Defined in a file not read: an empty stand-in under its C name.
            let cName = String(key.dropFirst("extern:".count))
            var stub = VMSDDecl(name: name, location: SourceLocation(line: 0, column: 0))
            stub.alias = aliasOwners[cName]?.count == 1 ? cName : nil
            // Its versions are unknown: it takes whatever version the stream brings.
            stub.versionID = Self.stubVersion
            return stub
        }
        let location = vmsd.location.scenarioLocation
        var decl = VMSDDecl(name: name, location: location)
        // An element of an array of VMSDs (`vmstate_pair[1]`) has no C name of its own.
        decl.alias = aliasOwners[vmsd.cName]?.count == 1 && !vmsd.cName.contains("[") ? vmsd.cName : nil
        decl.structType = vmsd.structType
        decl.versionID = vmsd.versionID
        decl.minimumVersionID = vmsd.minimumVersionID
        decl.priority = vmsd.priority
        decl.unmigratable = vmsd.unmigratable
        decl.earlySetup = vmsd.earlySetup
        let file = session.path(ofFile: vmsd.location.file)
        for (index, field) in (vmsd.fields ?? []).enumerated() {
            decl.fields.append(documentField(field))
            if case .callbackSwitch(let function, _) = field.field.fieldExists {
                switches.append(
                    CCallbackSwitch(
                        vmsd: name, kind: .fieldExists(field: index, name: field.field.name), function: function,
                        file: file, line: Int(field.location.line)))
            }
        }
        for (index, subsection) in (vmsd.subsections ?? []).enumerated() {
            let key = subsection ?? "extern:\(vmsd.subsectionCNames[index])"
            decl.subsections.append((documentNames[key] ?? vmsd.subsectionCNames[index], location))
        }
        for (kind, function) in vmsd.callbacks {
            let errp = vmsd.usesErrp.contains(kind)
            let hook = Hook(statements: [], usesErrp: errp, callbackName: function)
            switch kind {
            case "needed":
                decl.needed = .callbackSwitch(name: function, value: true)
                switches.append(
                    CCallbackSwitch(
                        vmsd: name, kind: .needed, function: function, file: file, line: Int(vmsd.location.line)))
                continue
            case "pre_load": decl.preLoad = hook
            case "post_load": decl.postLoad = hook
            case "pre_save": decl.preSave = hook
            default: decl.postSave = hook
            }
            let hookKind = HookKind(rawValue: kind) ?? .postSave
            switches.append(
                CCallbackSwitch(
                    vmsd: name, kind: .hook(hookKind), function: function, file: file, line: Int(vmsd.location.line)))
        }
        return decl
    }

    /// The field as the scenario writes it; VMSD arguments a C name cannot name unambiguously
    /// become the VMSD's scenario name.
    private func documentField(_ field: CResolvedField) -> FieldDecl {
        guard case .macro(let macro, var arguments, let macroSettings, let location) = field.declaration,
            let definition = MacroTable.definitions[macro]
        else {
            if case .explicit(let name, var settings, let location) = field.declaration {
                for index in settings.indices
                where ["offset", "num_offset", "size_offset"].contains(settings[index].key) {
                    settings[index].value.tokens = rewriteOffsetof(settings[index].value.tokens)
                }
                for index in settings.indices where settings[index].key == "vmsd" {
                    if let nested = field.nested, let cName = settings[index].value.identifier,
                        aliasOwners[cName]?.count != 1, let docName = documentNames[nested]
                    {
                        settings[index].value = MacroArgument(
                            tokens: [Token(kind: .string(docName), location: location)], location: location)
                    }
                }
                return .explicit(name: name, settings: settings, location: location)
            }
            return field.declaration
        }
        let roles = definition.parameterRoles
        var settings = macroSettings
        // C reaches the members of anonymous structs and unions directly; the scenario names them.
        for (pathParameter, structParameter) in definition.memberPathOwners {
            guard let pathIndex = definition.parameters.firstIndex(of: pathParameter),
                let structIndex = definition.parameters.firstIndex(of: structParameter),
                pathIndex < arguments.count, structIndex < arguments.count,
                let owner = arguments[structIndex].identifier,
                let rewritten = rewritePath(arguments[pathIndex].tokens, in: owner)
            else { continue }
            if pathIndex == 0 && definition.settings["name"] == nil && !settings.contains(where: { $0.key == "name" }) {
                let name = field.field.name
                settings.append(
                    FieldSetting(
                        key: "name",
                        value: MacroArgument(
                            tokens: [Token(kind: .string(name), location: location)], location: location),
                        location: location))
            }
            arguments[pathIndex].tokens = rewritten
        }
        for (index, parameter) in definition.parameters.enumerated() where index < arguments.count {
            switch roles[parameter] {
            case .vmsd:
                if let nested = field.nested, let cName = arguments[index].identifier, aliasOwners[cName]?.count != 1,
                    let docName = documentNames[nested]
                {
                    arguments[index] = MacroArgument(
                        tokens: [Token(kind: .string(docName), location: location)], location: location)
                }
            case .vmsdPair:
                if let value = field.nested.flatMap({ documentNames[$0] }),
                    let key = field.nestedKey.flatMap({ documentNames[$0] })
                {
                    arguments[index] = MacroArgument(
                        tokens: [
                            Token(kind: .punctuation("{"), location: location),
                            Token(kind: .string(value), location: location),
                            Token(kind: .punctuation(","), location: location),
                            Token(kind: .string(key), location: location),
                            Token(kind: .punctuation("}"), location: location),
                        ], location: location)
                }
            default: continue
            }
        }
        return .macro(name: macro, arguments: arguments, settings: settings, location: location)
    }

    // MARK: Anonymous members

    /// `lo.x` in a struct whose `lo` sits in an anonymous union → `_anon3.lo.x`; nil when the
    /// path needs no change.
    func rewritePath(_ tokens: [Token], in owner: String) -> [Token]? {
        var result: [Token] = []
        var type = CType.named(owner)
        var changed = false
        var index = 0
        var expectName = true
        while index < tokens.count {
            let token = tokens[index]
            switch token.kind {
            case .identifier(let name) where expectName:
                guard case .named(let record) = type, let route = route(to: name, in: record, depth: 0) else {
                    return changed ? result + tokens[index...] : nil
                }
                for step in route.dropLast() {
                    result += [
                        Token(kind: .identifier(step.name), location: token.location),
                        Token(kind: .punctuation("."), location: token.location),
                    ]
                    changed = true
                }
                result.append(token)
                type = route.last?.type ?? type
                expectName = false
                index += 1
            case .punctuation("."), .punctuation("->"):
                if case .pointer(let pointee) = type { type = pointee }
                result.append(token)
                expectName = true
                index += 1
            case .punctuation("["):
                var depth = 0
                repeat {
                    if tokens[index].kind == .punctuation("[") { depth += 1 }
                    if tokens[index].kind == .punctuation("]") { depth -= 1 }
                    result.append(tokens[index])
                    index += 1
                } while depth > 0 && index < tokens.count
                if case .array(let element, _) = type { type = element }
            default:
                return changed ? result + tokens[index...] : nil
            }
        }
        return changed ? result : nil
    }

    /// The members from `record` down to `name`: the name itself, or `_anonK` members holding it.
    private func route(to name: String, in record: String, depth: Int) -> [EmittedMember]? {
        guard depth < 16, let members = emitted[record] else { return nil }
        if let member = members.first(where: { $0.name == name }) { return [member] }
        for member in members where member.name.hasPrefix("_anon") {
            guard case .named(let inner) = member.type, let rest = route(to: name, in: inner, depth: depth + 1) else {
                continue
            }
            return [member] + rest
        }
        return nil
    }

    /// `offsetof(T, path)` with the path rewritten as `rewritePath` does.
    private func rewriteOffsetof(_ tokens: [Token]) -> [Token] {
        guard tokens.count > 5, case .identifier("offsetof") = tokens[0].kind,
            case .identifier(let owner) = tokens[2].kind,
            tokens[3].kind == .punctuation(","), let last = tokens.last, last.kind == .punctuation(")"),
            let rewritten = rewritePath(Array(tokens[4..<(tokens.count - 1)]), in: owner)
        else { return tokens }
        return Array(tokens[0..<4]) + rewritten + [last]
    }

    // MARK: Structs

    /// Declares a struct (after the structs it embeds) so the scenario lays it out exactly as C
    /// did: members at their offsets, padding spelt out, overlapping union members reduced to
    /// one non-overlapping set (those the VMSDs use first).
    mutating func emitStruct(_ name: String) {
        guard emitted[name] == nil, !emitting.contains(name), emitting.count < CParser.maximumDepth,
            TypeTable().layouts[name] == nil
        else { return }
        emitting.insert(name)
        defer { emitting.remove(name) }
        let location = SourceLocation(line: 0, column: 0)
        guard let record = session.record(named: name) else {
            // One of QEMU's types vmscope knows only by size, or one it does not know at all (an
            // allocation behind a pointer needs some size): bytes.
            let size = session.knownType(name)?.size ?? CImportSession.guessedSize
            let member = EmittedMember(
                name: "opaque", type: .array(.integer(bytes: 1, signed: false), count: size), offset: 0, size: size)
            declare(name, [member], alignment: 1, location: location)
            return
        }
        // Members in declaration order; an anonymous struct or union becomes a member `_anonK` of
        // its own type (field paths through it are rewritten, see `rewritePath`); bit-fields are
        // padding.
        var members: [EmittedMember] = []
        for (index, member) in record.members.enumerated() where !member.isBitField {
            let memberName = member.name ?? (member.layout.record != nil ? "_anon\(index)" : nil)
            guard let memberName else { continue }
            members.append(
                EmittedMember(
                    name: memberName, type: member.layout.ctype, offset: member.offset, size: member.layout.size))
        }
        for member in members { embed(member.type) }
        // A member the scenario's natural alignment would move becomes bytes (packed structs).
        var alignment = 1
        while true {
            alignment = 1
            for index in members.indices {
                let natural = naturalAlignment(members[index].type)
                if members[index].offset % natural != 0 || record.size % natural != 0 {
                    members[index].type = .array(.integer(bytes: 1, signed: false), count: members[index].size)
                }
                alignment = max(alignment, naturalAlignment(members[index].type))
            }
            if record.size % alignment == 0 { break }
        }
        declare(name, members, alignment: alignment, total: record.size, isUnion: record.isUnion, location: location)
    }

    private mutating func embed(_ type: CType) {
        switch type {
        case .named(let name): emitStruct(name)
        case .array(let element, _): embed(element)
        default: break
        }
    }

    private mutating func declare(
        _ name: String, _ members: [EmittedMember], alignment: Int, total: Int? = nil, isUnion: Bool = false,
        location: SourceLocation
    ) {
        var declared: [(name: String, type: TypeExpr, location: SourceLocation)] = []
        var cursor = 0
        var used = Set(members.map(\.name))
        if isUnion {
            // A union's members all start at 0; a byte array gives it its full size.
            declared = members.map { ($0.name, typeExpr($0.type), location) }
            if let total, total > (members.map(\.size).max() ?? 0) {
                declared.append((padName(0, &used), .array(.named("uint8_t"), count: .integer(Int64(total))), location))
            }
            emitted[name] = members
            scenarioAlignment[name] = alignment
            structs.append(StructDecl(name: name, isUnion: true, members: declared, location: location))
            return
        }
        for member in members {
            if member.offset > cursor {
                declared.append(
                    (
                        padName(cursor, &used),
                        .array(.named("uint8_t"), count: .integer(Int64(member.offset - cursor))), location
                    ))
            }
            declared.append((member.name, typeExpr(member.type), location))
            cursor = member.offset + member.size
        }
        if let total, total > cursor {
            declared.append(
                (padName(cursor, &used), .array(.named("uint8_t"), count: .integer(Int64(total - cursor))), location))
        }
        emitted[name] = members
        scenarioAlignment[name] = alignment
        structs.append(StructDecl(name: name, isUnion: false, members: declared, location: location))
    }

    private func padName(_ offset: Int, _ used: inout Set<String>) -> String {
        var name = "_pad_\(offset)"
        while used.contains(name) { name += "_" }
        used.insert(name)
        return name
    }

    /// The alignment the scenario's layout gives a member type.
    func naturalAlignment(_ type: CType) -> Int {
        switch type {
        case .integer(let bytes, _): return bytes
        case .bool: return 1
        case .floating(let bytes): return bytes
        case .pointer: return 8
        case .array(let element, _): return naturalAlignment(element)
        case .named(let name):
            if let builtin = TypeTable().layouts[name] { return builtin.alignment }
            return scenarioAlignment[name] ?? 1
        }
    }

    func typeExpr(_ type: CType) -> TypeExpr {
        switch type {
        case .integer, .bool, .floating: return .named(CScalarTypes.scenarioName(type) ?? "uint8_t")
        case .pointer(let pointee):
            if case .named(let name) = pointee { return .pointer(.named(name)) }
            if case .pointer = pointee { return .pointer(typeExpr(pointee)) }
            if let scalar = CScalarTypes.scenarioName(pointee) { return .pointer(.named(scalar)) }
            return .pointer(.named("void"))
        case .array(let element, let count): return .array(typeExpr(element), count: .integer(Int64(count)))
        case .named(let name): return .named(name)
        }
    }

    // MARK: Values

    /// `--values`: `member = value` lines, applied after the pattern to every device whose
    /// struct has the member.
    private func applyValuesFile(to document: inout ScenarioDocument) {
        guard let values = session.options.values else { return }
        // The scenario's own `source { }` syntax, read in place (the prefix adds no line).
        let wrapped = "device \"values\" { source { " + values.text + "\n} }"
        let assignments: [Assignment]
        do {
            assignments = try ScenarioParser.parse(wrapped, file: values.file).devices.first?.source ?? []
        } catch {
            session.diagnose(.error, "\(error.message)", at: .unknown)
            return
        }
        for assignment in assignments {
            guard case .name(let first) = assignment.target.first else { continue }
            var applied = false
            for index in document.devices.indices {
                guard let vmsd = document.vmsds.first(where: { $0.name == document.devices[index].vmsd }),
                    let type = vmsd.structType, emitted[type]?.contains(where: { $0.name == first }) == true
                else { continue }
                document.devices[index].source.append(assignment)
                applied = true
            }
            if !applied {
                session.diagnose(
                    .warning, "\(values.file):\(assignment.location.line): no device has a member '\(first)'",
                    at: .unknown)
            }
        }
    }
}
