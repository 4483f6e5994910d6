/// What the parser asks of the import session while it reads a unit.
protocol CParserHost: AnyObject {
    func diagnose(_ severity: CDiagnostic.Severity, _ message: String, at location: CSourceLocation)
    /// An enumeration constant of an earlier unit this one can see.
    func visibleConstant(_ name: String, unit: Int32) -> Int64?
    /// Whether a typedef of an earlier unit this one can see has this name.
    func isVisibleTypeName(_ name: String, unit: Int32) -> Bool
    /// `sizeof(TYPE)` for scalars and types of earlier units (enumerators use it).
    func earlySize(of tokens: ArraySlice<CToken>, unit: Int32) -> Int?
}

/// Reads the declarations of one unit from its preprocessed tokens: typedefs, structs, unions,
/// enums, and the `VMStateDescription`, `VMStateField` and `VMStateInfo` initializers. Function
/// bodies and other initializers are skipped by brace matching. Inside a VMState initializer a
/// mistake is an error with the place and what was expected; anywhere else the parser skips to
/// the next declaration without a word.
struct CParser {
    static let maximumDepth = 200

    private let tokens: [CToken]
    private var position = 0
    private unowned let host: CParserHost
    private let unit: Int32
    private(set) var declarations = CUnitDeclarations()
    private var depth = 0

    private struct SyntaxError: Error {
        var message: String
        var location: CSourceLocation
        /// Inside a VMState initializer (an error) or elsewhere (skipped quietly).
        var isVMState: Bool
        /// The file ended inside brackets: a warning even outside VMState initializers.
        var atEnd = false
    }

    init(tokens: [CToken], host: CParserHost, unit: Int32) {
        self.tokens = tokens.isEmpty ? [.end(at: .unknown)] : tokens
        self.host = host
        self.unit = unit
    }

    mutating func parseUnit() {
        while current.kind != .end {
            let start = position
            do {
                try externalDeclaration()
            } catch {
                if error.isVMState {
                    host.diagnose(.error, error.message, at: error.location)
                } else if error.atEnd {
                    host.diagnose(.warning, error.message + "; the rest of the file is skipped", at: error.location)
                }
                position = max(position, start)
                recover()
            }
            if position == start { position += 1 }
        }
    }

    // MARK: Tokens

    private var current: CToken { tokens[position] }

    private func peek(_ offset: Int) -> CToken {
        tokens[min(position + offset, tokens.count - 1)]
    }

    private mutating func advance() {
        if position < tokens.count - 1 { position += 1 }
    }

    private func isMark(_ mark: String) -> Bool { current.isPunctuator(mark) }

    private mutating func accept(_ mark: String) -> Bool {
        if isMark(mark) {
            advance()
            return true
        }
        return false
    }

    private func expected(_ what: String, vmstate: Bool = false) -> SyntaxError {
        let found = current.kind == .end ? "the end of the file" : "'\(current.text)'"
        return SyntaxError(message: "expected \(what), found \(found)", location: current.location, isVMState: vmstate)
    }

    private mutating func expect(_ mark: String, vmstate: Bool = false) throws(SyntaxError) {
        guard accept(mark) else { throw expected("'\(mark)'", vmstate: vmstate) }
    }

    private mutating func enter(vmstate: Bool = false) throws(SyntaxError) {
        depth += 1
        if depth > Self.maximumDepth {
            throw SyntaxError(
                message: "declarations nested more than \(Self.maximumDepth) deep", location: current.location,
                isVMState: true)
        }
    }

    private mutating func leave() { depth -= 1 }

    /// Skips to the end of the current declaration: past the next `;` at depth 0, or past a
    /// balanced `{ }` block at depth 0 that is not followed by more declarators.
    private mutating func recover() {
        var depth = 0
        let start = current
        defer {
            if current.kind == .end && depth > 0 {
                host.diagnose(
                    .warning, "brackets opened from here are not closed by the end of the file; the rest is skipped",
                    at: start.location)
            }
        }
        while current.kind != .end {
            let token = current
            advance()
            if token.isPunctuator("(") || token.isPunctuator("[") || token.isPunctuator("{") { depth += 1 }
            if token.isPunctuator(")") || token.isPunctuator("]") { depth = max(0, depth - 1) }
            if token.isPunctuator("}") {
                depth -= 1
                if depth <= 0 {
                    if isMark(";") { advance() }
                    return
                }
            }
            if depth == 0 && token.isPunctuator(";") { return }
        }
    }

    /// Skips a balanced group starting at the current `(`, `[` or `{`, without recursion.
    private mutating func skipBalanced(vmstate: Bool = false) throws(SyntaxError) {
        let start = current
        var stack: [String] = []
        repeat {
            let token = current
            if token.kind == .end {
                throw SyntaxError(
                    message: "expected '\(Self.closing(stack.last ?? "{"))' to close the '\(start.text)' at "
                        + "\(start.location.line):\(start.location.column), found the end of the file",
                    location: token.location, isVMState: vmstate, atEnd: true)
            }
            if token.kind == .punctuator {
                switch token.text {
                case "(", "[", "{": stack.append(token.text)
                case ")", "]", "}":
                    if let open = stack.last, Self.closing(open) == token.text {
                        stack.removeLast()
                    } else {
                        throw SyntaxError(
                            message: "expected '\(Self.closing(stack.last ?? "("))', found '\(token.text)'",
                            location: token.location, isVMState: vmstate)
                    }
                default: break
                }
            }
            advance()
        } while !stack.isEmpty
    }

    private static func closing(_ open: String) -> String {
        switch open {
        case "(": ")"
        case "[": "]"
        default: "}"
        }
    }

    /// Tokens up to a `,` or the given closing mark at depth 0 (not taken).
    private mutating func collectValue(until closing: String, vmstate: Bool) throws(SyntaxError) -> [CToken] {
        var collected: [CToken] = []
        var stack: [String] = []
        while true {
            let token = current
            if token.kind == .end {
                throw SyntaxError(
                    message: "expected '\(closing)', found the end of the file", location: token.location,
                    isVMState: vmstate, atEnd: true)
            }
            if stack.isEmpty && (token.isPunctuator(",") || token.isPunctuator(closing)) { return collected }
            if stack.isEmpty && token.isPunctuator(";") {
                throw expected("',' or '\(closing)'", vmstate: vmstate)
            }
            try track(token, in: &stack, closing: closing)
            collected.append(token)
            advance()
        }
    }

    /// Follows a bracket inside a VMState value: opens push, closes must match; nesting is bounded.
    private func track(_ token: CToken, in stack: inout [String], closing: String) throws(SyntaxError) {
        guard token.kind == .punctuator else { return }
        switch token.text {
        case "(", "[", "{":
            stack.append(token.text)
            if stack.count > Self.maximumDepth {
                throw SyntaxError(
                    message: "brackets nested more than \(Self.maximumDepth) deep", location: token.location,
                    isVMState: true)
            }
        case ")", "]", "}":
            guard let open = stack.last, Self.closing(open) == token.text else {
                throw SyntaxError(
                    message: "expected '\(stack.last.map(Self.closing) ?? closing)', found '\(token.text)'",
                    location: token.location, isVMState: true)
            }
            stack.removeLast()
        default: break
        }
    }

    // MARK: Attributes and specifiers

    private static let qualifiers: Set<String> = [
        "const", "volatile", "restrict", "__restrict", "__restrict__", "__const", "__volatile__", "_Atomic",
        "register", "auto", "inline", "__inline", "__inline__", "_Noreturn", "__thread", "_Thread_local",
        "__extension__", "coroutine_fn", "coroutine_mixed_fn", "no_coroutine_fn", "QEMU_NORETURN", "G_NORETURN",
        "QEMU_WARN_UNUSED_RESULT", "QEMU_SENTINEL", "QEMU_FLATTEN", "QEMU_ALWAYS_INLINE", "QEMU_UNUSED_FUNC",
        "G_GNUC_UNUSED", "G_GNUC_PRINTF", "G_GNUC_NULL_TERMINATED", "G_GNUC_WARN_UNUSED_RESULT", "__always_inline",
        "G_GNUC_CONST", "G_GNUC_PURE", "G_GNUC_MALLOC", "QEMU_ERROR", "G_GNUC_BEGIN_IGNORE_DEPRECATIONS",
        "QEMU_DISABLE_CFI", "TSA_NO_TSA", "__cdecl",
    ]

    private static let scalarWords: Set<String> = [
        "void", "char", "short", "int", "long", "float", "double", "signed", "unsigned", "_Bool", "bool",
        "__int128", "_Complex", "__signed__", "__unsigned__",
    ]

    /// Attributes vmscope reads from `__attribute__((...))`.
    private struct Attributes {
        var packed = false
        var alignment: [CToken]?
    }

    /// `__attribute__((...))`, `QEMU_PACKED`, `QEMU_ALIGNED(n)`, `__asm__(...)`, qualifiers: skipped,
    /// keeping what affects layout.
    private mutating func skipAttributes(into attributes: inout Attributes) throws(SyntaxError) -> Bool {
        var skipped = false
        while current.kind == .identifier {
            let word = current.text
            if word == "__attribute__" || word == "__attribute" {
                advance()
                guard isMark("(") else { return true }
                let start = position
                try skipBalanced()
                readAttribute(tokens[start..<position], into: &attributes)
            } else if word == "QEMU_PACKED" {
                attributes.packed = true
                advance()
            } else if word == "QEMU_ALIGNED" && peek(1).isPunctuator("(") {
                advance()
                let start = position
                try skipBalanced()
                attributes.alignment = Array(tokens[(start + 1)..<(position - 1)])
            } else if ["__asm__", "asm", "__asm", "__declspec", "G_GNUC_PRINTF", "QEMU_WARN_UNUSED_RESULT"].contains(
                word), peek(1).isPunctuator("(")
            {
                advance()
                try skipBalanced()
            } else if Self.qualifiers.contains(word) {
                advance()
                if word == "_Atomic" && isMark("(") { try skipBalanced() }
            } else {
                return skipped
            }
            skipped = true
        }
        return skipped
    }

    private func readAttribute(_ text: ArraySlice<CToken>, into attributes: inout Attributes) {
        let list = Array(text)
        for (index, token) in list.enumerated() where token.kind == .identifier {
            switch token.text {
            case "packed", "__packed__":
                attributes.packed = true
            case "aligned", "__aligned__":
                guard index + 1 < list.count, list[index + 1].isPunctuator("(") else {
                    // `aligned` alone: the largest alignment of the target.
                    attributes.alignment = [
                        CToken(
                            kind: .number, text: "16", location: token.location, leadingSpace: false, atLineStart: false
                        )
                    ]
                    continue
                }
                var depth = 0
                var inner: [CToken] = []
                for next in list[(index + 1)...] {
                    if next.isPunctuator("(") {
                        depth += 1
                        if depth == 1 { continue }
                    }
                    if next.isPunctuator(")") {
                        depth -= 1
                        if depth == 0 { break }
                    }
                    inner.append(next)
                }
                attributes.alignment = inner
            default: continue
            }
        }
    }

    private struct Specifiers {
        var type: CDeclType?
        var isTypedef = false
        var isStatic = false
        var isExtern = false
        var attributes = Attributes()
        /// A record defined here, not yet named by a declarator (an anonymous member, or a tag).
        var definedRecord: Int?
    }

    private mutating func specifiers() throws(SyntaxError) -> Specifiers {
        var result = Specifiers()
        var words: [String] = []
        while true {
            if try skipAttributes(into: &result.attributes) { continue }
            let token = current
            guard token.kind == .identifier else { break }
            switch token.text {
            case "typedef":
                result.isTypedef = true
                advance()
            case "static":
                result.isStatic = true
                advance()
            case "extern":
                result.isExtern = true
                advance()
                // extern "C"
                if current.kind == .string { advance() }
            case "struct", "union":
                guard result.type == nil && words.isEmpty else { return finish(result, words) }
                advance()
                let (type, record) = try recordSpecifier(kind: token.text == "struct" ? .struct : .union)
                result.type = type
                result.definedRecord = record
            case "enum":
                guard result.type == nil && words.isEmpty else { return finish(result, words) }
                advance()
                result.type = try enumSpecifier()
            case "typeof", "__typeof__", "__typeof", "typeof_field":
                guard result.type == nil && words.isEmpty else { return finish(result, words) }
                advance()
                let start = position
                if isMark("(") { try skipBalanced() }
                result.type = .unknown(token.text + Array(tokens[start..<position]).spelled)
            case _ where Self.scalarWords.contains(token.text):
                guard result.type == nil else { return finish(result, words) }
                words.append(token.text)
                advance()
            case "QTAILQ_HEAD", "QTAILQ_ENTRY", "QLIST_HEAD", "QLIST_ENTRY", "QSIMPLEQ_HEAD", "QSIMPLEQ_ENTRY",
                "QSLIST_HEAD", "QSLIST_ENTRY", "QTAILQ_CIRC":
                guard result.type == nil && words.isEmpty, peek(1).isPunctuator("(") else {
                    return finish(result, words)
                }
                advance()
                try skipBalanced()
                result.type = .macroType(token.text)
            default:
                guard result.type == nil && words.isEmpty else { return finish(result, words) }
                // A name in type position: a typedef, or a type from a header vmscope did not read.
                let next = peek(1)
                let isType =
                    next.kind == .identifier || next.isPunctuator("*") || next.isPunctuator("(")
                    || next.isPunctuator(";") || next.isPunctuator(")") || next.isPunctuator(",")
                    || next.isPunctuator("[") || next.isPunctuator(":")
                guard isType else { return finish(result, words) }
                if next.isPunctuator("(") && !isTypeName(token.text) {
                    // `NAME(...)`: a macro vmscope does not expand (OBJECT_DECLARE_..., type_init).
                    return finish(result, words)
                }
                result.type = .name(token.text)
                advance()
            }
        }
        return finish(result, words)
    }

    private func finish(_ specifiers: Specifiers, _ words: [String]) -> Specifiers {
        var result = specifiers
        if result.type == nil && !words.isEmpty { result.type = .name(Self.normalizedScalar(words)) }
        return result
    }

    /// `unsigned long int` → `unsigned long`, `signed` → `int`, `short int` → `short`.
    static func normalizedScalar(_ words: [String]) -> String {
        var unsigned = false
        var longs = 0
        var base: String?
        var explicitSigned = false
        for word in words {
            switch word {
            case "unsigned", "__unsigned__": unsigned = true
            case "signed", "__signed__": explicitSigned = true
            case "long": longs += 1
            case "int", "_Complex": continue
            default: base = word
            }
        }
        if let base {
            if base == "char" { return unsigned ? "unsigned char" : (explicitSigned ? "signed char" : "char") }
            if base == "double" && longs > 0 { return "long double" }
            if base == "short" { return unsigned ? "unsigned short" : "short" }
            return base
        }
        let core = longs >= 2 ? "long long" : (longs == 1 ? "long" : "int")
        return unsigned ? (core == "int" ? "unsigned int" : "unsigned \(core)") : core
    }

    private func isTypeName(_ name: String) -> Bool {
        declarations.typedefs[name] != nil || host.isVisibleTypeName(name, unit: unit)
    }

    /// After `struct`, `union` or `enum`: attributes around an optional tag.
    private mutating func specifierTag(_ attributes: inout Attributes) throws(SyntaxError) -> String? {
        _ = try skipAttributes(into: &attributes)
        var tag: String?
        if current.kind == .identifier {
            tag = current.text
            advance()
        }
        _ = try skipAttributes(into: &attributes)
        return tag
    }

    private mutating func recordSpecifier(kind: CTagKind) throws(SyntaxError) -> (CDeclType, Int?) {
        var attributes = Attributes()
        let tag = try specifierTag(&attributes)
        guard isMark("{") else {
            guard let tag else { throw expected("a struct name or '{'") }
            return (.tagged(kind, tag), nil)
        }
        let location = current.location
        try enter()
        defer { leave() }
        advance()
        var members: [CMemberDecl] = []
        while !accept("}") {
            guard current.kind != .end else { throw expected("'}' to close the struct") }
            if accept(";") { continue }
            try memberDeclaration(into: &members)
        }
        _ = try skipAttributes(into: &attributes)
        let record = CRecordDecl(
            kind: kind, tag: tag, members: members, isPacked: attributes.packed, alignment: attributes.alignment,
            location: location)
        declarations.records.append(record)
        let index = declarations.records.count - 1
        if let tag { declarations.tags[tag] = index }
        return (.record(index), index)
    }

    private mutating func memberDeclaration(into members: inout [CMemberDecl]) throws(SyntaxError) {
        let location = current.location
        // DECLARE_BITMAP(name, bits) when bitmap.h was not read.
        if current.isIdentifier("DECLARE_BITMAP") && peek(1).isPunctuator("(") {
            advance()
            let start = position
            try skipBalanced()
            let inner = Array(tokens[(start + 1)..<(position - 1)])
            if let comma = inner.firstIndex(where: { $0.isPunctuator(",") }), let name = inner.first {
                let bits = Array(inner[(comma + 1)...])
                let open = CToken(
                    kind: .punctuator, text: "(", location: location, leadingSpace: false, atLineStart: false)
                let close = CToken(
                    kind: .punctuator, text: ")", location: location, leadingSpace: false, atLineStart: false)
                let count =
                    [open, open] + bits
                    + [
                        close,
                        CToken(
                            kind: .punctuator, text: "+", location: location, leadingSpace: true, atLineStart: false),
                        CToken(kind: .number, text: "63", location: location, leadingSpace: true, atLineStart: false),
                        close,
                        CToken(
                            kind: .punctuator, text: "/", location: location, leadingSpace: true, atLineStart: false),
                        CToken(kind: .number, text: "64", location: location, leadingSpace: true, atLineStart: false),
                    ]
                members.append(
                    CMemberDecl(
                        name: name.text, type: .array(.name("unsigned long"), count: count), bitWidth: nil,
                        alignment: nil, isPacked: false, location: location))
            }
            _ = accept(";")
            return
        }
        let specifiers = try specifiers()
        guard let base = specifiers.type else {
            // A macro vmscope does not know in a struct body: skip it and say so.
            if current.kind == .identifier && peek(1).isPunctuator("(") {
                let name = current.text
                advance()
                try skipBalanced()
                _ = accept(";")
                host.diagnose(.warning, "\(name)(...) in a struct body skipped; the layout may be off", at: location)
                return
            }
            throw expected("a member declaration")
        }
        if accept(";") {
            // `struct { ... };` with no name: an anonymous member whose members belong to the parent.
            if let record = specifiers.definedRecord, declarations.records[record].tag == nil {
                members.append(
                    CMemberDecl(
                        name: nil, type: base, bitWidth: nil, alignment: specifiers.attributes.alignment,
                        isPacked: specifiers.attributes.packed, location: location))
            }
            return
        }
        while true {
            var attributes = specifiers.attributes
            var name: String?
            var type = base
            if !isMark(":") {
                let declarator = try declarator()
                name = declarator.name
                type = apply(declarator, to: base)
            }
            var width: [CToken]?
            if accept(":") {
                width = try collectExpression(until: [",", ";"])
            }
            _ = try skipAttributes(into: &attributes)
            members.append(
                CMemberDecl(
                    name: name, type: type, bitWidth: width, alignment: attributes.alignment,
                    isPacked: attributes.packed, location: location))
            if accept(",") { continue }
            if accept(";") { return }
            throw expected("';' after a member")
        }
    }

    /// Tokens of an expression up to one of `marks` at depth 0.
    private mutating func collectExpression(until marks: Set<String>) throws(SyntaxError) -> [CToken] {
        var collected: [CToken] = []
        var depth = 0
        let start = current
        defer {
            if current.kind == .end && depth > 0 {
                host.diagnose(
                    .warning,
                    "brackets opened after \(start.location.line):\(start.location.column) are not closed by the end "
                        + "of the file", at: start.location)
            }
        }
        while current.kind != .end {
            if depth == 0 && current.kind == .punctuator && marks.contains(current.text) { return collected }
            if isMark("(") || isMark("[") || isMark("{") { depth += 1 }
            if isMark(")") || isMark("]") || isMark("}") {
                depth -= 1
                if depth < 0 { return collected }
            }
            collected.append(current)
            advance()
        }
        return collected
    }

    private mutating func enumSpecifier() throws(SyntaxError) -> CDeclType {
        var attributes = Attributes()
        let tag = try specifierTag(&attributes)
        guard accept("{") else {
            guard let tag else { throw expected("an enum name or '{'") }
            return .tagged(.enum, tag)
        }
        var next: Int64? = 0
        while !accept("}") {
            guard current.kind == .identifier else { throw expected("an enumerator") }
            let name = current.text
            let location = current.location
            advance()
            _ = try skipAttributes(into: &attributes)
            if accept("=") {
                let value = try collectExpression(until: [",", "}"])
                next = CConstantEvaluator.evaluate(value, resolver: EnumResolver(parser: self))
                if next == nil {
                    host.diagnose(
                        .note, "enumerator \(name) = \(value.spelled): value unknown to vmscope", at: location)
                }
            }
            if let value = next {
                declarations.enumConstants[name] = value
                next = value &+ 1
            }
            _ = accept(",")
        }
        if let tag { declarations.enumTags.insert(tag) }
        return tag.map { .tagged(.enum, $0) } ?? .name("int")
    }

    /// Enumerator values may use earlier constants of this unit or of the units it sees.
    private struct EnumResolver: CConstantResolver {
        let parser: CParser
        func constant(named name: String) -> Int64? {
            parser.declarations.enumConstants[name] ?? parser.host.visibleConstant(name, unit: parser.unit)
        }
        func isTypeName(_ name: String) -> Bool { parser.isTypeName(name) }
        func size(of tokens: ArraySlice<CToken>) -> Int? { parser.host.earlySize(of: tokens, unit: parser.unit) }
        func alignment(of tokens: ArraySlice<CToken>) -> Int? { nil }
        func offset(ofMember member: ArraySlice<CToken>, in type: ArraySlice<CToken>) -> Int? { nil }
        func arrayCount(of tokens: ArraySlice<CToken>) -> Int? { nil }
        func integerType(_ tokens: ArraySlice<CToken>) -> (bytes: Int, signed: Bool)? { nil }
    }

    // MARK: Declarators

    private struct Declarator {
        enum Suffix {
            case array([CToken]?)
            case function
        }
        var name: String?
        var pointers = 0
        var suffixes: [Suffix] = []
        var inner: [Declarator] = []
    }

    private mutating func declarator() throws(SyntaxError) -> Declarator {
        try enter()
        defer { leave() }
        var result = Declarator()
        var attributes = Attributes()
        while true {
            if accept("*") {
                result.pointers += 1
                continue
            }
            if try skipAttributes(into: &attributes) { continue }
            break
        }
        if isMark("("),
            peek(1).isPunctuator("*") || peek(1).isPunctuator("(") || peek(1).isPunctuator("^")
                || (peek(1).kind == .identifier && !isTypeName(peek(1).text) && !Self.scalarWords.contains(peek(1).text)
                    && peek(2).isPunctuator(")"))
        {
            advance()
            result.inner = [try declarator()]
            try expect(")")
        } else if current.kind == .identifier {
            result.name = current.text
            advance()
        }
        while true {
            if isMark("[") {
                advance()
                let count = try collectExpression(until: ["]"])
                try expect("]")
                result.suffixes.append(.array(count.isEmpty ? nil : count))
            } else if isMark("(") {
                try skipBalanced()
                result.suffixes.append(.function)
            } else {
                break
            }
        }
        // Each `*` and `[]` is a level of the type: bounded like nesting, so layout stays shallow.
        guard result.pointers + result.suffixes.count <= Self.maximumDepth else {
            throw SyntaxError(
                message: "a declarator with more than \(Self.maximumDepth) '*' and '[]'", location: current.location,
                isVMState: true)
        }
        if result.name == nil, let inner = result.inner.first { result.name = inner.name }
        return result
    }

    private func apply(_ declarator: Declarator, to base: CDeclType) -> CDeclType {
        var type = base
        for _ in 0..<declarator.pointers { type = .pointer(type) }
        for suffix in declarator.suffixes.reversed() {
            switch suffix {
            case .array(let count): type = .array(type, count: count)
            case .function: type = .function
            }
        }
        if let inner = declarator.inner.first { type = apply(inner, to: type) }
        return type
    }

    // MARK: External declarations

    private mutating func externalDeclaration() throws(SyntaxError) {
        if accept(";") { return }
        let token = current
        if token.kind == .identifier,
            ["_Static_assert", "static_assert", "QEMU_BUILD_BUG_ON", "QEMU_BUILD_BUG_MSG", "G_STATIC_ASSERT"].contains(
                token.text)
        {
            advance()
            if isMark("(") { try skipBalanced() }
            _ = accept(";")
            return
        }
        let specifiers = try specifiers()
        guard let base = specifiers.type else {
            // A macro call at file scope (type_init(...), OBJECT_DECLARE_TYPE(...)) or stray tokens.
            if current.kind == .identifier && peek(1).isPunctuator("(") {
                advance()
                try skipBalanced()
                _ = accept(";")
                return
            }
            if isMark("{") {
                try skipBalanced()
                return
            }
            throw expected("a declaration")
        }
        if accept(";") { return }
        while true {
            let location = current.location
            let declarator = try declarator()
            let type = apply(declarator, to: base)
            var attributes = Attributes()
            _ = try skipAttributes(into: &attributes)
            guard let name = declarator.name else { throw expected("a declarator") }
            if specifiers.isTypedef {
                declarations.typedefs[name] = type
                if case .tagged(let kind, let tag) = type, kind != .enum, declarations.tagTypedefs[tag] == nil {
                    declarations.tagTypedefs[tag] = name
                }
                if case .record(let index) = base, declarations.records[index].typedefName == nil,
                    declarator.pointers == 0, declarator.suffixes.isEmpty
                {
                    declarations.records[index].typedefName = name
                }
            } else if case .function = type, isMark("{") {
                // A function definition: its body is not read.
                try skipBalanced()
                return
            } else {
                declarations.variables[name] = type
            }
            if accept("=") {
                try initializer(
                    for: name, type: type, base: base, isStatic: specifiers.isStatic, location: location)
            }
            if accept(",") { continue }
            if accept(";") { return }
            throw expected("';' after a declaration")
        }
    }

    // MARK: Initializers

    private func baseName(_ type: CDeclType) -> String? {
        switch type {
        case .name(let name): name
        case .tagged(_, let tag): tag
        default: nil
        }
    }

    private mutating func initializer(
        for name: String, type: CDeclType, base: CDeclType, isStatic: Bool, location: CSourceLocation
    ) throws(SyntaxError) {
        switch (baseName(base), type) {
        case ("VMStateDescription", .name), ("VMStateDescription", .tagged):
            guard isMark("{") else { break }
            declarations.vmsds.append(try vmsdInitializer(cName: name, isStatic: isStatic, location: location))
            return
        case ("VMStateDescription", .array(.name, _)), ("VMStateDescription", .array(.tagged, _)):
            guard accept("{") else { break }
            var names: [String] = []
            while !accept("}") {
                guard isMark("{") else { throw expected("'{' for a VMStateDescription", vmstate: true) }
                let element = "\(name)[\(names.count)]"
                declarations.vmsds.append(
                    try vmsdInitializer(cName: element, isStatic: isStatic, location: current.location))
                names.append(element)
                if !accept(",") && !isMark("}") { throw expected("',' or '}'", vmstate: true) }
            }
            declarations.vmsdArrays[name] = names
            return
        case ("VMStateDescription", .array(.pointer, _)):
            guard isMark("{") else { break }
            declarations.subsectionArrays[name] = try subsectionList()
            return
        case ("VMStateField", .array):
            guard isMark("{") else { break }
            declarations.fieldArrays[name] = try fieldList()
            return
        case ("VMStateInfo", _):
            guard isMark("{") else { break }
            let members = try designatedInitializer(vmstate: false)
            if let value = members.first(where: { $0.key == "name" })?.value.first?.stringValue {
                declarations.infos[name] = value
            }
            return
        default:
            break
        }
        // Any other initializer: count the elements of an unsized array (for ARRAY_SIZE), skip the rest.
        if case .array(_, nil) = type, isMark("{") {
            let start = position
            try skipBalanced()
            declarations.arrayCounts[name] = Self.topLevelElements(tokens[start..<position])
            return
        }
        _ = try collectExpression(until: [",", ";"])
    }

    private static func topLevelElements(_ group: ArraySlice<CToken>) -> Int {
        var depth = 0
        var count = 0
        var sawValue = false
        for token in group {
            if token.isPunctuator("{") || token.isPunctuator("(") || token.isPunctuator("[") {
                depth += 1
                if depth == 1 { continue }
            }
            if token.isPunctuator("}") || token.isPunctuator(")") || token.isPunctuator("]") {
                depth -= 1
                if depth == 0 {
                    if sawValue { count += 1 }
                    continue
                }
            }
            if depth == 1 && token.isPunctuator(",") {
                count += 1
                sawValue = false
                continue
            }
            sawValue = true
        }
        return count
    }

    /// `{ .key = value, ... }` with values kept as tokens.
    private mutating func designatedInitializer(vmstate: Bool) throws(SyntaxError) -> [CDesignator] {
        try expect("{", vmstate: vmstate)
        var members: [CDesignator] = []
        while !accept("}") {
            let location = current.location
            guard accept(".") else { throw expected("'.member =' in an initializer", vmstate: vmstate) }
            guard current.kind == .identifier else { throw expected("a member name after '.'", vmstate: vmstate) }
            let key = current.text
            advance()
            // `.a.b = x`, `.a[0] = x`: nested designators are kept under their first name.
            while accept(".") || isMark("[") {
                if isMark("[") { try skipBalanced(vmstate: vmstate) } else { advance() }
            }
            try expect("=", vmstate: vmstate)
            let value = try collectValue(until: "}", vmstate: vmstate)
            members.append(CDesignator(key: key, value: value, location: location))
            if !accept(",") && !isMark("}") { throw expected("',' or '}'", vmstate: vmstate) }
        }
        return members
    }

    private mutating func vmsdInitializer(cName: String, isStatic: Bool, location: CSourceLocation)
        throws(SyntaxError) -> CVMSDDecl
    {
        var vmsd = CVMSDDecl(cName: cName, isStatic: isStatic, location: location)
        try expect("{", vmstate: true)
        while !accept("}") {
            let memberLocation = current.location
            guard accept(".") else {
                throw expected("'.member =' in the VMStateDescription \(cName)", vmstate: true)
            }
            guard current.kind == .identifier else { throw expected("a member name after '.'", vmstate: true) }
            let key = current.text
            advance()
            try expect("=", vmstate: true)
            switch key {
            case "fields":
                try skipCompoundLiteralType()
                if isMark("{") {
                    vmsd.fields = .inline(try fieldList(), location: memberLocation)
                } else {
                    vmsd.fields = .reference(try arrayName(), location: memberLocation)
                }
            case "subsections":
                try skipCompoundLiteralType()
                if isMark("{") {
                    vmsd.subsections = .inline(try subsectionList(), location: memberLocation)
                } else {
                    vmsd.subsections = .reference(try arrayName(), location: memberLocation)
                }
            default:
                let value = try collectValue(until: "}", vmstate: true)
                guard !value.isEmpty else { throw expected("a value for .\(key)", vmstate: true) }
                vmsd.members[key] = CDesignator(key: key, value: value, location: memberLocation)
            }
            if !accept(",") && !isMark("}") { throw expected("',' or '}' after .\(key)", vmstate: true) }
        }
        return vmsd
    }

    /// The type of a compound literal, `(VMStateField[])` or `(const VMStateDescription * const [])`.
    private mutating func skipCompoundLiteralType() throws(SyntaxError) {
        if isMark("(") { try skipBalanced(vmstate: true) }
    }

    /// `.fields = NAME`: the array defined elsewhere.
    private mutating func arrayName() throws(SyntaxError) -> String {
        guard current.kind == .identifier else { throw expected("a list in braces or an array's name", vmstate: true) }
        let name = current.text
        advance()
        return name
    }

    /// `{ VMSTATE_...(...), { .name = ... }, VMSTATE_END_OF_LIST() }`.
    private mutating func fieldList() throws(SyntaxError) -> [CFieldEntry] {
        try expect("{", vmstate: true)
        var entries: [CFieldEntry] = []
        while !accept("}") {
            let location = current.location
            if isMark("{") {
                if peek(1).isPunctuator("}") {
                    advance()
                    advance()
                    entries.append(.end(location: location))
                } else {
                    entries.append(.explicit(members: try designatedInitializer(vmstate: true), location: location))
                }
            } else if current.kind == .identifier && (peek(1).isPunctuator(",") || peek(1).isPunctuator("}")) {
                // A table macro used without parentheses (VMSTATE_VIRTIO_DEVICE).
                entries.append(.macro(name: current.text, arguments: [], location: location))
                advance()
            } else if current.kind == .identifier && peek(1).isPunctuator("(") {
                let name = current.text
                advance()
                let arguments = try macroArguments(of: name)
                if name == "VMSTATE_END_OF_LIST" {
                    entries.append(.end(location: location))
                } else {
                    entries.append(.macro(name: name, arguments: arguments, location: location))
                }
            } else {
                let value = try collectValue(until: "}", vmstate: true)
                guard !value.isEmpty else { throw expected("a VMSTATE_* field", vmstate: true) }
                entries.append(.unreadable(text: value.spelled, location: location))
            }
            if accept(",") { continue }
            guard isMark("}") else { throw expected("',' or '}' after a field", vmstate: true) }
        }
        return entries
    }

    /// The arguments of `NAME(...)` at the current `(`, split at commas at depth 0.
    private mutating func macroArguments(of name: String) throws(SyntaxError) -> [[CToken]] {
        let open = current
        try expect("(", vmstate: true)
        var arguments: [[CToken]] = []
        var current: [CToken] = []
        var stack: [String] = []
        while true {
            let token = self.current
            if token.kind == .end || (stack.isEmpty && token.isPunctuator(";")) {
                throw SyntaxError(
                    message: "expected ')' to close \(name)( at \(open.location.line):\(open.location.column), "
                        + "found \(token.kind == .end ? "the end of the file" : "'\(token.text)'")",
                    location: token.location, isVMState: true)
            }
            advance()
            if stack.isEmpty && token.isPunctuator(")") {
                if !(arguments.isEmpty && current.isEmpty) { arguments.append(current) }
                return arguments
            }
            if stack.isEmpty && token.isPunctuator(",") {
                arguments.append(current)
                current = []
                continue
            }
            try track(token, in: &stack, closing: ")")
            current.append(token)
        }
    }

    /// `{ &vmstate_a, &vmstate_b, NULL }`.
    private mutating func subsectionList() throws(SyntaxError) -> [String?] {
        try expect("{", vmstate: true)
        var entries: [String?] = []
        while !accept("}") {
            let value = try collectValue(until: "}", vmstate: true)
            let names = value.filter { $0.kind == .identifier }
            if names.isEmpty || (names.count == 1 && names[0].text == "NULL") {
                entries.append(nil)
            } else if let last = names.last {
                // `&vmstate_x`, `&vmstate_array[1]`.
                if let bracket = value.firstIndex(where: { $0.isPunctuator("[") }), bracket + 1 < value.count {
                    entries.append("\(names[0].text)[\(value[bracket + 1].text)]")
                } else {
                    entries.append(last.text)
                }
            }
            if !accept(",") && !isMark("}") { throw expected("',' or '}' in the subsection list", vmstate: true) }
        }
        return entries
    }
}
