import VMState

/// A struct or union definition: the unit that defines it and its index there.
struct CRecordKey: Hashable, Sendable {
    var unit: Int32
    var index: Int
}

/// A type as laid out on x86-64: size, alignment, and how the simulated heap shows it.
struct CLayout: Sendable {
    var size: Int
    var alignment: Int
    var ctype: CType
    /// The struct or union, when the type is one.
    var record: CRecordKey?
    /// The type's size is vmscope's guess (an unknown type), not a fact.
    var isGuess = false
}

/// A struct or union laid out with GCC's rules for x86-64.
struct CRecordLayout: Sendable {
    struct Member: Sendable {
        var name: String?
        var offset: Int
        var layout: CLayout
        var isBitField: Bool
        /// The member's declared type, for the scenario's struct declarations.
        var declared: CDeclType
    }

    var key: CRecordKey
    /// The name the scenario uses (a typedef name, the tag, or a made-up one; unique per import).
    var name: String
    var isUnion: Bool
    var size: Int
    var alignment: Int
    var members: [Member]
    /// Named members for member lookup, with the members of anonymous structs and unions lifted
    /// into this one at their offsets (C11 lets `s.x` reach them).
    var flattened: [StructMember]
    var hasGuesses: Bool

    var structLayout: StructLayout {
        StructLayout(name: name, members: flattened, size: size, alignment: alignment, isUnion: isUnion)
    }
}

extension CImportSession {
    // MARK: Types by name

    /// The record a scenario-facing name stands for.
    func record(named name: String) -> CRecordLayout? {
        recordNames[name].flatMap { layouts[$0] }
    }

    /// Lays out `type` as written in `unit`.
    func layout(of type: CDeclType, in unit: Int32) -> CLayout {
        layoutDepth += 1
        defer { layoutDepth -= 1 }
        guard layoutDepth < CParser.maximumDepth else {
            diagnoseOnce(.error, "types nested more than \(CParser.maximumDepth) deep", key: "depth")
            return guess("deeply nested type")
        }
        switch type {
        case .name(let name):
            return layout(ofName: name, in: unit)
        case .tagged(let kind, let tag):
            if kind == .enum { return .init(size: 4, alignment: 4, ctype: .integer(bytes: 4, signed: false)) }
            if let known = scalarType(tag) { return known }
            if let owner = find(tag, in: tagIndex, from: unit),
                let index = units[Int(owner)].declarations.tags[tag]
            {
                return layout(ofRecord: CRecordKey(unit: owner, index: index))
            }
            if enumTagIndex[tag] != nil {
                return .init(size: 4, alignment: 4, ctype: .integer(bytes: 4, signed: false))
            }
            if let measured = measuredType(tag) { return measured }
            return unknownType("\(kind.rawValue) \(tag)", name: tag)
        case .record(let index):
            return layout(ofRecord: CRecordKey(unit: unit, index: index))
        case .pointer(let pointee):
            return CLayout(size: 8, alignment: 8, ctype: .pointer(shallowType(pointee, in: unit)))
        case .array(let element, let countTokens):
            let elementLayout = layout(of: element, in: unit)
            var count = 0
            if let countTokens {
                if let value = evaluate(countTokens, in: unit), value >= 0, value < 1 << 32 {
                    count = Int(value)
                } else {
                    diagnoseOnce(
                        .warning, "array size '\(countTokens.spelled)' is unknown; counted as 1 (use -D or -I)",
                        key: "count:\(countTokens.spelled)", at: countTokens.first?.location)
                    count = 1
                }
            }
            return CLayout(
                size: elementLayout.size * count, alignment: elementLayout.alignment,
                ctype: .array(elementLayout.ctype, count: count), record: nil, isGuess: elementLayout.isGuess)
        case .function:
            return CLayout(size: 1, alignment: 1, ctype: .integer(bytes: 1, signed: false))
        case .macroType(let name):
            return Self.queueTypes[name] ?? guess(name)
        case .unknown(let text):
            return unknownType(text, name: nil)
        }
    }

    /// QEMU's list heads and links, as vmscope's built-in types where it has them.
    static let queueTypes: [String: CLayout] = [
        "QTAILQ_HEAD": CLayout(size: 16, alignment: 8, ctype: .named("QTAILQ_HEAD")),
        "QTAILQ_ENTRY": CLayout(size: 16, alignment: 8, ctype: .named("QTAILQ_ENTRY")),
        "QLIST_HEAD": CLayout(size: 8, alignment: 8, ctype: .named("QLIST_HEAD")),
        "QLIST_ENTRY": CLayout(size: 16, alignment: 8, ctype: .named("QLIST_ENTRY")),
        "QSIMPLEQ_HEAD": CLayout(size: 16, alignment: 8, ctype: .array(.pointer(.void), count: 2)),
        "QSIMPLEQ_ENTRY": CLayout(size: 8, alignment: 8, ctype: .pointer(.void)),
        "QSLIST_HEAD": CLayout(size: 8, alignment: 8, ctype: .pointer(.void)),
        "QSLIST_ENTRY": CLayout(size: 8, alignment: 8, ctype: .pointer(.void)),
        "QTAILQ_CIRC": CLayout(size: 16, alignment: 8, ctype: .array(.pointer(.void), count: 2)),
    ]

    /// `--size` overrides, then QEMU's opaque types, then C's scalars.
    func knownType(_ name: String) -> CLayout? {
        measuredType(name) ?? scalarType(name)
    }

    /// A size the user gave (`--size`) or QEMU's table measured: it wins over the parsed layout.
    func measuredType(_ name: String) -> CLayout? {
        if let size = options.sizeOverrides[name] {
            let alignment = options.sizeOverrides["\(name)@align"] ?? Self.naturalAlignment(size)
            return CLayout(size: size, alignment: alignment, ctype: .named(name))
        }
        if let opaque = QEMUTypeSizes.table[name] {
            return CLayout(size: opaque.size, alignment: opaque.alignment, ctype: .named(name))
        }
        return nil
    }

    func scalarType(_ name: String) -> CLayout? {
        guard let scalar = CScalarTypes.table[name] else { return nil }
        return CLayout(size: scalar.size, alignment: scalar.alignment, ctype: scalar.ctype)
    }

    /// The record a type name or tag stands for in `unit`: a typedef's target or a tag.
    private func parsedRecord(named name: String, in unit: Int32) -> CRecordKey? {
        var currentName = name
        var currentUnit = unit
        for _ in 0..<16 {
            if let owner = find(currentName, in: typedefIndex, from: currentUnit),
                let target = units[Int(owner)].declarations.typedefs[currentName]
            {
                switch target {
                case .record(let index): return CRecordKey(unit: owner, index: index)
                case .tagged(let kind, let tag) where kind != .enum:
                    if let tagOwner = find(tag, in: tagIndex, from: owner),
                        let index = units[Int(tagOwner)].declarations.tags[tag]
                    {
                        return CRecordKey(unit: tagOwner, index: index)
                    }
                    return nil
                case .name(let next) where next != currentName:
                    currentName = next
                    currentUnit = owner
                    continue
                default: return nil
                }
            }
            if let owner = find(currentName, in: tagIndex, from: currentUnit),
                let index = units[Int(owner)].declarations.tags[currentName]
            {
                return CRecordKey(unit: owner, index: index)
            }
            return nil
        }
        return nil
    }

    /// The alignment vmscope assumes for a size the user gave: the largest power of two that
    /// divides it, at most 16.
    static func naturalAlignment(_ size: Int) -> Int {
        var alignment = 1
        while alignment < 16 && size % (alignment * 2) == 0 && size > 0 { alignment *= 2 }
        return alignment
    }

    private func layout(ofName name: String, in unit: Int32) -> CLayout {
        if let scalar = scalarType(name) { return scalar }
        if measuredType(name) != nil, let record = parsedRecord(named: name, in: unit) {
            // Parsed members, measured size (see recordLayout).
            return layout(ofRecord: record)
        }
        if let measured = measuredType(name) { return measured }
        if let owner = find(name, in: typedefIndex, from: unit),
            let target = units[Int(owner)].declarations.typedefs[name]
        {
            if case .name(let inner) = target, inner == name {
                // `typedef struct X X;` written as `typedef X X;` by a macro: look for the tag.
            } else {
                typedefDepth += 1
                defer { typedefDepth -= 1 }
                if typedefDepth < 64 { return layout(of: target, in: owner) }
            }
        }
        // A struct tag used as a type name (a typedef vmscope did not see).
        if let owner = find(name, in: tagIndex, from: unit), let index = units[Int(owner)].declarations.tags[name] {
            return layout(ofRecord: CRecordKey(unit: owner, index: index))
        }
        if enumTagIndex[name] != nil { return .init(size: 4, alignment: 4, ctype: .integer(bytes: 4, signed: false)) }
        return unknownType(name, name: name)
    }

    private func unknownType(_ text: String, name: String?) -> CLayout {
        diagnoseOnce(
            .warning,
            "unknown type '\(text)': assumed \(Self.guessedSize) bytes aligned to \(Self.guessedSize) "
                + "(give its header with -I, or its size with --size \(name ?? "TYPE")=N)",
            key: "type:\(text)")
        return guess(name ?? text)
    }

    /// vmscope's guess for a type it cannot see: pointer-sized.
    static let guessedSize = 8

    private func guess(_ name: String) -> CLayout {
        CLayout(
            size: Self.guessedSize, alignment: Self.guessedSize,
            ctype: .array(.integer(bytes: 1, signed: false), count: Self.guessedSize), record: nil, isGuess: true)
    }

    /// A pointer's target as the heap shows it, without laying it out.
    func shallowType(_ type: CDeclType, in unit: Int32) -> CType {
        switch type {
        case .pointer(let inner): return .pointer(shallowType(inner, in: unit))
        case .record(let index): return .named(recordName(CRecordKey(unit: unit, index: index)))
        case .name(let name):
            if let scalar = scalarType(name) { return scalar.ctype }
            if let record = parsedRecord(named: name, in: unit) { return .named(recordName(record)) }
            if let known = measuredType(name) { return known.ctype }
            if let owner = find(name, in: typedefIndex, from: unit),
                let target = units[Int(owner)].declarations.typedefs[name], typedefDepth < 64
            {
                if case .name(let inner) = target, inner == name { return .named(name) }
                typedefDepth += 1
                defer { typedefDepth -= 1 }
                return shallowType(target, in: owner)
            }
            if let owner = find(name, in: tagIndex, from: unit), let index = units[Int(owner)].declarations.tags[name] {
                return .named(recordName(CRecordKey(unit: owner, index: index)))
            }
            return .named(name)
        case .tagged(_, let tag):
            if let owner = find(tag, in: tagIndex, from: unit), let index = units[Int(owner)].declarations.tags[tag] {
                return .named(recordName(CRecordKey(unit: owner, index: index)))
            }
            if let known = knownType(tag) { return known.ctype }
            return .named(tag)
        default:
            return .void
        }
    }

    // MARK: Records

    /// The scenario-facing name of a record: its typedef name, else its tag, else a made-up one;
    /// a name two different records claim gets a number.
    func recordName(_ key: CRecordKey) -> String {
        if let name = recordNamesByKey[key] { return name }
        let record = units[Int(key.unit)].declarations.records[key.index]
        // `typedef struct E1000State_st E1000State;` names the struct E1000State.
        let typedefOfTag = record.tag.flatMap { tag in
            find(tag, in: tagTypedefIndex, from: key.unit).flatMap { units[Int($0)].declarations.tagTypedefs[tag] }
        }
        let base =
            record.typedefName ?? typedefOfTag ?? record.tag
            ?? "anon_\(CPath.basename(path(ofFile: record.location.file)))_\(record.location.line)"
        var name = base
        var number = 2
        while let owner = recordNames[name], owner != key {
            name = "\(base)_\(number)"
            number += 1
        }
        recordNames[name] = key
        recordNamesByKey[key] = name
        return name
    }

    func layout(ofRecord key: CRecordKey) -> CLayout {
        let record = recordLayout(key)
        return CLayout(
            size: record.size, alignment: record.alignment, ctype: .named(record.name), record: key,
            isGuess: record.hasGuesses)
    }

    /// Lays out a struct or union once; a record that contains itself gets a guess.
    func recordLayout(_ key: CRecordKey) -> CRecordLayout {
        if let done = layouts[key] { return done }
        let name = recordName(key)
        let declaration = units[Int(key.unit)].declarations.records[key.index]
        let known = measuredType(name) ?? (declaration.tag.flatMap { measuredType($0) })
        guard !inProgress.contains(key) else {
            diagnoseOnce(.error, "struct \(name) contains itself", key: "self:\(name)")
            return CRecordLayout(
                key: key, name: name, isUnion: false, size: 8, alignment: 8, members: [], flattened: [],
                hasGuesses: true)
        }
        inProgress.insert(key)
        defer { inProgress.remove(key) }
        var result = computeLayout(declaration, key: key, name: name)
        if let known {
            // One of QEMU's types with a measured size: its members as parsed (a VMSD may describe
            // them), its size and alignment as measured (what embedding structs depend on).
            result.size = known.size
            result.alignment = known.alignment
            result.hasGuesses = false
        }
        layouts[key] = result
        return result
    }

    private func computeLayout(_ declaration: CRecordDecl, key: CRecordKey, name: String) -> CRecordLayout {
        let isUnion = declaration.kind == .union
        var bitOffset = 0
        var maximumSize = 0
        var alignment = 1
        var members: [CRecordLayout.Member] = []
        var flattened: [StructMember] = []
        var hasGuesses = false
        let outerLocation = currentLocation
        defer { currentLocation = outerLocation }
        for member in declaration.members {
            // Messages about a member's type point at the member.
            currentLocation = member.location
            let memberLayout = layout(of: member.type, in: key.unit)
            hasGuesses = hasGuesses || memberLayout.isGuess
            var memberAlignment = declaration.isPacked || member.isPacked ? 1 : memberLayout.alignment
            if let tokens = member.alignment, let value = evaluate(tokens, in: key.unit), value > 0 {
                memberAlignment = max(memberAlignment, Int(value))
            }
            if let widthTokens = member.bitWidth {
                let width = Int(evaluate(widthTokens, in: key.unit) ?? 1)
                let unitBits = max(8, memberLayout.size * 8)
                if isUnion {
                    maximumSize = max(maximumSize, (width + 7) / 8)
                } else if width == 0 {
                    // `int : 0` closes the storage unit.
                    bitOffset = Self.align(bitOffset, to: memberLayout.alignment * 8)
                } else {
                    // GCC moves a bit-field that would straddle a unit of its type to the next one.
                    if !declaration.isPacked && (bitOffset % unitBits) + width > unitBits {
                        bitOffset = Self.align(bitOffset, to: unitBits)
                    }
                    bitOffset += width
                }
                if member.name != nil && !declaration.isPacked {
                    alignment = max(alignment, memberLayout.alignment)
                }
                members.append(
                    .init(
                        name: member.name, offset: 0, layout: memberLayout, isBitField: true, declared: member.type))
                continue
            }
            alignment = max(alignment, memberAlignment)
            let offset: Int
            if isUnion {
                offset = 0
                maximumSize = max(maximumSize, memberLayout.size)
            } else {
                offset = Self.align((bitOffset + 7) / 8, to: memberAlignment)
                bitOffset = (offset + memberLayout.size) * 8
            }
            members.append(
                .init(name: member.name, offset: offset, layout: memberLayout, isBitField: false, declared: member.type)
            )
            if let memberName = member.name {
                flattened.append(StructMember(name: memberName, type: memberLayout.ctype, offset: offset))
            } else if let child = memberLayout.record {
                // An anonymous struct or union: its members are the parent's.
                for inner in recordLayout(child).flattened {
                    flattened.append(StructMember(name: inner.name, type: inner.type, offset: offset + inner.offset))
                }
            }
        }
        if let tokens = declaration.alignment, let value = evaluate(tokens, in: key.unit), value > 0 {
            alignment = max(alignment, Int(value))
        }
        let rawSize = isUnion ? maximumSize : (bitOffset + 7) / 8
        return CRecordLayout(
            key: key, name: name, isUnion: isUnion, size: Self.align(rawSize, to: alignment), alignment: alignment,
            members: members, flattened: flattened, hasGuesses: hasGuesses)
    }

    static func align(_ value: Int, to alignment: Int) -> Int {
        alignment <= 1 ? value : (value + alignment - 1) / alignment * alignment
    }

    // MARK: Member paths

    /// The size of a heap type, from the records and tables this import knows.
    func size(of type: CType) -> Int {
        switch type {
        case .integer(let bytes, _): return bytes
        case .bool: return 1
        case .floating(let bytes): return bytes
        case .pointer: return 8
        case .array(let element, let count): return size(of: element) * count
        case .named(let name):
            if let record = record(named: name) { return record.size }
            if let known = knownType(name) { return known.size }
            return (try? TypeTable().size(of: type)) ?? Self.guessedSize
        }
    }

    func alignment(of type: CType) -> Int {
        switch type {
        case .integer(let bytes, _): return bytes
        case .bool: return 1
        case .floating(let bytes): return bytes
        case .pointer: return 8
        case .array(let element, _): return alignment(of: element)
        case .named(let name):
            if let record = record(named: name) { return record.alignment }
            if let known = knownType(name) { return known.alignment }
            return (try? TypeTable().alignment(of: type)) ?? Self.guessedSize
        }
    }

    func layout(ofHeapType type: CType) -> CLayout {
        var record: CRecordKey?
        if case .named(let name) = type { record = recordNames[name] }
        return CLayout(size: size(of: type), alignment: alignment(of: type), ctype: type, record: record)
    }

    /// `a.b[2].c` inside `base`: its offset and type (anonymous members included).
    func locate(_ path: [CToken], in base: CLayout, unit: Int32? = nil) -> (offset: Int, type: CType)? {
        var offset = 0
        var type = base.ctype
        var index = 0
        var expectName = true
        while index < path.count {
            let token = path[index]
            if expectName {
                guard token.kind == .identifier, case .named(let name) = type, let record = record(named: name),
                    let member = record.flattened.first(where: { $0.name == token.text })
                else { return nil }
                offset += member.offset
                type = member.type
                expectName = false
                index += 1
            } else if token.isPunctuator(".") || token.isPunctuator("->") {
                expectName = true
                index += 1
            } else if token.isPunctuator("[") {
                var depth = 0
                var inner: [CToken] = []
                index += 1
                while index < path.count {
                    if path[index].isPunctuator("[") { depth += 1 }
                    if path[index].isPunctuator("]") {
                        if depth == 0 { break }
                        depth -= 1
                    }
                    inner.append(path[index])
                    index += 1
                }
                index += 1
                guard case .array(let element, _) = type,
                    let value = unit.flatMap({ evaluate(inner, in: $0) })
                        ?? CConstantEvaluator.evaluate(inner, resolver: nil)
                else { return nil }
                offset += Int(value) * size(of: element)
                type = element
            } else {
                return nil
            }
        }
        return expectName && !path.isEmpty ? nil : (offset, type)
    }

    /// The type of the expressions `sizeof` meets in QEMU's macros: `typeof_field(T, m)`,
    /// `((T *)0)->m`, a global variable, `var[i]`.
    func expressionType(_ tokens: [CToken], in unit: Int32) -> CLayout? {
        var list = tokens
        while list.count >= 2, list.first?.isPunctuator("(") == true, list.last?.isPunctuator(")") == true,
            Self.parenthesesMatch(list)
        {
            list = Array(list.dropFirst().dropLast())
        }
        guard let first = list.first else { return nil }
        let resolver = UnitResolver(session: self, unit: unit)
        if first.isIdentifier("typeof_field") || first.isIdentifier("typeof") || first.isIdentifier("__typeof__") {
            guard list.count >= 3, list[1].isPunctuator("("), list.last?.isPunctuator(")") == true else { return nil }
            let inner = Array(list[2..<(list.count - 1)])
            if first.isIdentifier("typeof_field") {
                guard let comma = inner.firstIndex(where: { $0.isPunctuator(",") }),
                    let type = CTypeNameParser.parse(Array(inner[..<comma]), isTypeName: resolver.isTypeName)
                else { return nil }
                let base = layout(of: type, in: unit)
                return locate(Array(inner[(comma + 1)...]), in: base, unit: unit).map { layout(ofHeapType: $0.type) }
            }
            return expressionType(inner, in: unit)
        }
        // ((T *)0)->member
        if first.isPunctuator("("), let close = Self.matchingClose(list, from: 0), close + 1 < list.count,
            list[close + 1].isPunctuator("->")
        {
            var cast = Array(list[1..<close])
            // (T *)0 inside its own parentheses.
            if cast.first?.isPunctuator("(") == true, let inner = Self.matchingClose(cast, from: 0) {
                cast = Array(cast[1..<inner])
            }
            guard let type = CTypeNameParser.parse(cast, isTypeName: resolver.isTypeName),
                case .pointer(let pointee) = type
            else { return nil }
            let base = layout(of: pointee, in: unit)
            return locate(Array(list[(close + 2)...]), in: base, unit: unit).map { layout(ofHeapType: $0.type) }
        }
        // A global variable, possibly indexed.
        if first.kind == .identifier, let owner = variableOwner(first.text, from: unit),
            let type = units[Int(owner)].declarations.variables[first.text]
        {
            var result = layout(of: type, in: owner)
            if case .array(_, nil) = type, let count = resolver.arrayCount(of: [first][...]) {
                let element = layout(ofHeapType: result.ctype.elementType ?? .void)
                result = CLayout(
                    size: element.size * count, alignment: element.alignment,
                    ctype: .array(result.ctype.elementType ?? .void, count: count))
            }
            var rest = list.dropFirst()
            while rest.first?.isPunctuator("[") == true, let close = rest.firstIndex(where: { $0.isPunctuator("]") }) {
                guard let element = result.ctype.elementType else { return nil }
                result = layout(ofHeapType: element)
                rest = rest[(close + 1)...]
            }
            return rest.isEmpty ? result : nil
        }
        return nil
    }

    private func variableOwner(_ name: String, from unit: Int32) -> Int32? {
        if units[Int(unit)].declarations.variables[name] != nil { return unit }
        let visible = units[Int(unit)].visible
        return visible.first { units[Int($0)].declarations.variables[name] != nil }
    }

    static func matchingClose(_ tokens: [CToken], from open: Int) -> Int? {
        var depth = 0
        for index in open..<tokens.count {
            if tokens[index].isPunctuator("(") { depth += 1 }
            if tokens[index].isPunctuator(")") {
                depth -= 1
                if depth == 0 { return index }
            }
        }
        return nil
    }

    private static func parenthesesMatch(_ tokens: [CToken]) -> Bool {
        matchingClose(tokens, from: 0) == tokens.count - 1
    }

    // MARK: Constants

    /// Evaluates a constant expression written in `unit`.
    func evaluate(_ tokens: [CToken], in unit: Int32) -> Int64? {
        CConstantEvaluator.evaluate(tokens, resolver: UnitResolver(session: self, unit: unit))
    }

    func diagnoseOnce(
        _ severity: CDiagnostic.Severity, _ message: String, key: String, at location: CSourceLocation? = nil
    ) {
        guard reportedKeys.insert(key).inserted else { return }
        diagnose(severity, message, at: location ?? currentLocation)
    }
}

extension CPath {
    static func basename(_ path: String) -> String {
        let name = path.split(separator: "/").last.map(String.init) ?? path
        return String(name.map { $0.isLetter || $0.isNumber ? $0 : "_" })
    }
}

/// Constant expressions in the scope of one unit: its enumerators, the types it sees, `sizeof`
/// and `offsetof` from the layouts.
struct UnitResolver: CConstantResolver {
    let session: CImportSession
    let unit: Int32

    func constant(named name: String) -> Int64? {
        if let value = session.units[Int(unit)].declarations.enumConstants[name] { return value }
        guard let owner = session.find(name, in: session.constantIndex, from: unit) else { return nil }
        return session.units[Int(owner)].declarations.enumConstants[name]
    }

    func isTypeName(_ name: String) -> Bool {
        session.knownType(name) != nil || session.typedefIndex[name] != nil
    }

    func size(of tokens: ArraySlice<CToken>) -> Int? {
        typeLayout(of: tokens)?.size
    }

    func alignment(of tokens: ArraySlice<CToken>) -> Int? {
        typeLayout(of: tokens)?.alignment
    }

    /// The layout of a type name, or of an expression whose type vmscope can tell: a global
    /// variable, `var[i]`, `((T *)0)->member`, `typeof_field(T, member)`.
    func typeLayout(of tokens: ArraySlice<CToken>) -> CLayout? {
        let list = Array(tokens)
        if let type = CTypeNameParser.parse(list, isTypeName: isTypeName) {
            return session.layout(of: type, in: unit)
        }
        if let type = session.expressionType(list, in: unit) { return type }
        return nil
    }

    func offset(ofMember member: ArraySlice<CToken>, in type: ArraySlice<CToken>) -> Int? {
        guard let parsed = CTypeNameParser.parse(Array(type), isTypeName: isTypeName) else { return nil }
        let base = session.layout(of: parsed, in: unit)
        return session.locate(Array(member), in: base)?.offset
    }

    func arrayCount(of tokens: ArraySlice<CToken>) -> Int? {
        let list = Array(tokens)
        if list.count == 1, list[0].kind == .identifier {
            let name = list[0].text
            if let owner = session.find(name, in: session.arrayCountIndex, from: unit),
                let count = session.units[Int(owner)].declarations.arrayCounts[name]
            {
                return count
            }
        }
        guard let layout = typeLayout(of: tokens), case .array(_, let count) = layout.ctype else { return nil }
        return count
    }

    func integerType(_ tokens: ArraySlice<CToken>) -> (bytes: Int, signed: Bool)? {
        guard let type = CTypeNameParser.parse(Array(tokens), isTypeName: isTypeName) else { return nil }
        let layout = session.layout(of: type, in: unit)
        switch layout.ctype {
        case .integer(let bytes, let signed): return (bytes, signed)
        case .bool: return (1, false)
        default: return nil
        }
    }
}

/// Reads a C type name written as tokens: `uint32_t`, `struct Foo *`, `unsigned long`,
/// `uint8_t[16]`.
enum CTypeNameParser {
    private static let ignored: Set<String> = ["const", "volatile", "restrict", "__restrict"]
    private static let scalarWords: Set<String> = [
        "void", "char", "short", "int", "long", "float", "double", "signed", "unsigned", "_Bool", "bool", "__int128",
    ]

    static func parse(_ tokens: [CToken], isTypeName: (String) -> Bool) -> CDeclType? {
        var index = 0
        var words: [String] = []
        var base: CDeclType?
        while index < tokens.count, tokens[index].kind == .identifier {
            let word = tokens[index].text
            index += 1
            if ignored.contains(word) { continue }
            if ["struct", "union", "enum"].contains(word) {
                guard base == nil, words.isEmpty, index < tokens.count, tokens[index].kind == .identifier else {
                    return nil
                }
                base = .tagged(CTagKind(rawValue: word) ?? .struct, tokens[index].text)
                index += 1
            } else if scalarWords.contains(word) {
                guard base == nil else { return nil }
                words.append(word)
            } else {
                guard base == nil, words.isEmpty, isTypeName(word) else { return nil }
                base = .name(word)
            }
        }
        if base == nil && !words.isEmpty { base = .name(CParser.normalizedScalar(words)) }
        guard var type = base else { return nil }
        while index < tokens.count {
            let token = tokens[index]
            if token.isPunctuator("*") {
                type = .pointer(type)
                index += 1
            } else if token.kind == .identifier && ignored.contains(token.text) {
                index += 1
            } else if token.isPunctuator("[") {
                var count: [CToken] = []
                index += 1
                while index < tokens.count && !tokens[index].isPunctuator("]") {
                    count.append(tokens[index])
                    index += 1
                }
                index += 1
                type = .array(type, count: count)
            } else {
                return nil
            }
        }
        return type
    }
}
