import VMState

/// Reads a scenario file into a `ScenarioDocument`. Every mistake is reported with file, line,
/// column and what was expected.
public struct ScenarioParser {
    private var tokens: [Token]
    private var position = 0
    private let file: String
    /// How deep the value or expression being read is; bounded so hostile input gets an error,
    /// not a stack overflow here or in whatever walks the tree later.
    private var nesting = 0
    public static let maximumNesting = 200

    public static func parse(_ text: String, file: String) throws(ScenarioError) -> ScenarioDocument {
        var lexer = Lexer(text: text, file: file)
        var parser = ScenarioParser(tokens: try lexer.tokenize(), file: file)
        return try parser.document()
    }

    /// Parses a whole token list (a macro argument) as one expression.
    static func parseExpression(_ tokens: [Token], file: String, at location: SourceLocation) throws(ScenarioError)
        -> Expression
    {
        guard !tokens.isEmpty else {
            throw ScenarioError(file: file, location: location, message: "expected an expression, found nothing")
        }
        var parser = ScenarioParser(tokens: tokens + [Token(kind: .end, location: location)], file: file)
        let value = try parser.expression()
        guard case .end = parser.current.kind else { throw parser.expected("the end of the expression") }
        return value
    }

    /// Parses `a.b[2]` (an expectation's path).
    static func parseMemberPath(_ text: String) throws(ScenarioError) -> [MemberStep] {
        var lexer = Lexer(text: text, file: "path")
        var parser = ScenarioParser(tokens: try lexer.tokenize(), file: "path")
        return try parser.memberPath()
    }

    private init(tokens: [Token], file: String) {
        self.tokens = tokens
        self.file = file
    }

    // MARK: Token helpers

    private var current: Token { tokens[position] }

    private func error(_ message: String, at token: Token? = nil) -> ScenarioError {
        let token = token ?? current
        return ScenarioError(file: file, location: token.location, message: message)
    }

    private func expected(_ what: String) -> ScenarioError {
        error("expected \(what), found \(current.text)")
    }

    /// One level deeper into a value or expression; the caller steps out with `nesting -= 1`.
    private mutating func enter() throws(ScenarioError) {
        guard nesting < Self.maximumNesting else {
            throw error("values and expressions nest at most \(Self.maximumNesting) deep")
        }
        nesting += 1
    }

    @discardableResult
    private mutating func next() -> Token {
        let token = tokens[position]
        if position < tokens.count - 1 { position += 1 }
        return token
    }

    private func isMark(_ mark: String, offset: Int = 0) -> Bool {
        let index = min(position + offset, tokens.count - 1)
        if case .punctuation(let found) = tokens[index].kind { return found == mark }
        return false
    }

    private func isWord(_ word: String) -> Bool {
        if case .identifier(let found) = current.kind { return found == word }
        return false
    }

    private mutating func accept(_ mark: String) -> Bool {
        if isMark(mark) {
            next()
            return true
        }
        return false
    }

    private mutating func expect(_ mark: String) throws(ScenarioError) {
        guard accept(mark) else { throw expected("'\(mark)'") }
    }

    private mutating func identifier(_ what: String = "a name") throws(ScenarioError) -> String {
        guard case .identifier(let name) = current.kind else { throw expected(what) }
        next()
        return name
    }

    private mutating func string(_ what: String = "a string") throws(ScenarioError) -> String {
        guard case .string(let value) = current.kind else { throw expected(what) }
        next()
        return value
    }

    /// A name given as an identifier or a string (VMSD names contain '-' and '/').
    private mutating func name(_ what: String) throws(ScenarioError) -> String {
        switch current.kind {
        case .identifier(let name), .string(let name):
            next()
            return name
        default: throw expected(what)
        }
    }

    /// A profile name such as `drop-auto-alloc` or `qemu-7.2`, spelt with '-' and '.'.
    /// A profile name, checked here: a misspelt one would otherwise fall back to the default.
    private mutating func profileName() throws(ScenarioError) -> String {
        let start = current
        let name = try profileNameText()
        guard Profile.named(name) != nil else {
            throw error(
                "unknown profile '\(name)'; profiles are \(Profile.all.map(\.name).joined(separator: ", "))", at: start)
        }
        return name
    }

    private mutating func profileNameText() throws(ScenarioError) -> String {
        if case .string(let name) = current.kind {
            next()
            return name
        }
        var text = try identifier("a profile name")
        while isMark("-") || isMark(".") {
            // `qemu-7.2`: the lexer sees qemu, -, 7, ., 2 (or the number 7 and .2).
            let mark = next().text
            switch current.kind {
            case .identifier(let part): text += mark + part
            case .integer(let part): text += mark + String(part)
            default: throw expected("the rest of the profile name")
            }
            next()
        }
        return text
    }

    private mutating func integer(_ what: String = "a number") throws(ScenarioError) -> Int64 {
        let negative = accept("-")
        guard case .integer(let value) = current.kind else { throw expected(what) }
        next()
        return negative ? 0 &- value : value
    }

    // MARK: Document

    private mutating func document() throws(ScenarioError) -> ScenarioDocument {
        var document = ScenarioDocument(file: file)
        while true {
            let token = current
            if case .end = token.kind { return document }
            let keyword = try identifier("a declaration (struct, vmsd, device, profile, expect, ...)")
            switch keyword {
            case "title": document.title = try string("the title")
            case "note": document.notes.append(try string("the note"))
            case "profile":
                let profile = try profileName()
                document.sourceProfile = profile
                document.destProfile = profile
            case "source_profile": document.sourceProfile = try profileName()
            case "dest_profile": document.destProfile = try profileName()
            case "struct", "union": document.structs.append(try structDecl(isUnion: keyword == "union", at: token))
            case "test":
                let name = try identifier("the test's name")
                try expect("=")
                document.tests[name] = try expression()
            case "const":
                let nameToken = current
                let name = try identifier("the constant's name")
                try expect("=")
                let value = try expression()
                let context = ResolutionContext(
                    file: file, types: TypeTable(), vmsdAliases: [:], tests: [:], constants: document.constants,
                    profile: .default)
                document.constants[name] = try context.evaluateConstant(value, at: nameToken.location)
            case "vmsd": document.vmsds.append(try vmsdDecl(at: token))
            case "device": document.devices.append(try deviceDecl(at: token))
            case "expect": document.expectations.append(try expectation(at: token))
            default:
                throw error(
                    "unknown declaration '\(keyword)'; expected struct, union, vmsd, device, test, const, "
                        + "profile, source_profile, dest_profile, expect, title or note", at: token)
            }
            _ = accept(";")
        }
    }

    // MARK: Types and structs

    private mutating func typeExpr() throws(ScenarioError) -> TypeExpr {
        var words: [String] = []
        // `unsigned int`, `struct Foo`, `const uint8_t`.
        while case .identifier(let word) = current.kind {
            if word == "const" || word == "volatile" {
                next()
                continue
            }
            if word == "struct" || word == "union" || word == "enum" {
                next()
                continue
            }
            words.append(word)
            next()
            if !["unsigned", "signed", "long", "short"].contains(word) { break }
        }
        guard !words.isEmpty else { throw expected("a type") }
        var type = TypeExpr.named(words.joined(separator: " "))
        var stars = 0
        while accept("*") {
            stars += 1
            guard stars <= Self.maximumNesting else { throw error("at most \(Self.maximumNesting) '*' in a type") }
            type = .pointer(type)
        }
        return type
    }

    /// A written type as laid out: scalars from C, everything else by name.
    private func ctype(_ type: TypeExpr) throws(ScenarioError) -> CType {
        switch type {
        case .named(let name): return CTypeNames.type(named: name)
        case .pointer(let pointee): return .pointer(try ctype(pointee))
        case .array: throw error("'new' in a hook takes a plain type")
        }
    }

    private mutating func structDecl(isUnion: Bool, at token: Token) throws(ScenarioError) -> StructDecl {
        let name = try identifier("the struct's name")
        try expect("{")
        var members: [(name: String, type: TypeExpr, location: SourceLocation)] = []
        while !accept("}") {
            let location = current.location
            var type = try typeExpr()
            let member = try identifier("a member name")
            var dimensions: [Expression] = []
            while accept("[") {
                dimensions.append(try expression())
                try expect("]")
            }
            // `T a[2][3]` is an array of 2 arrays of 3.
            for dimension in dimensions.reversed() { type = .array(type, count: dimension) }
            members.append((member, type, location))
            guard accept(";") || isMark("}") else { throw expected("';' after member '\(member)'") }
        }
        return StructDecl(name: name, isUnion: isUnion, members: members, location: token.location)
    }

    // MARK: VMSDs

    private mutating func vmsdDecl(at token: Token) throws(ScenarioError) -> VMSDDecl {
        var vmsd = VMSDDecl(name: try name("the VMSD's name"), location: token.location)
        while !isMark("{") {
            let word = try identifier("'for', 'as' or '{'")
            switch word {
            case "for": vmsd.structType = try identifier("the struct type")
            case "as": vmsd.alias = try identifier("the C name")
            default: throw error("expected 'for STRUCT', 'as C_NAME' or '{', found \(word)")
            }
        }
        try expect("{")
        while !accept("}") {
            let keyword = current
            let word = try identifier("a VMSD member (version_id, fields, subsections, needed, pre_load, ...)")
            _ = accept("=")
            switch word {
            case "version_id": vmsd.versionID = Int(truncatingIfNeeded: try integer())
            case "minimum_version_id": vmsd.minimumVersionID = Int(truncatingIfNeeded: try integer())
            case "priority": vmsd.priority = Int(truncatingIfNeeded: try integer())
            case "unmigratable": vmsd.unmigratable = try boolean()
            case "early_setup": vmsd.earlySetup = try boolean()
            case "needed": vmsd.needed = try callback()
            case "pre_load": vmsd.preLoad = try hookBody()
            case "post_load": vmsd.postLoad = try hookBody()
            case "pre_save": vmsd.preSave = try hookBody()
            case "post_save": vmsd.postSave = try hookBody()
            case "end_of_list": vmsd.terminatorRawFlags = UInt32(truncatingIfNeeded: try integer("raw flags"))
            case "subsections":
                try expect("{")
                while !accept("}") {
                    let location = current.location
                    vmsd.subsections.append((try name("a subsection VMSD name"), location))
                    _ = accept(",")
                }
            case "fields":
                try expect("{")
                while !accept("}") {
                    vmsd.fields.append(try fieldDecl())
                    _ = accept(",") || accept(";")
                }
            default:
                throw error(
                    "unknown VMSD member '\(word)'; expected version_id, minimum_version_id, fields, subsections, "
                        + "needed, pre_load, post_load, pre_save, post_save, priority, unmigratable, early_setup "
                        + "or end_of_list", at: keyword)
            }
            _ = accept(";") || accept(",")
        }
        return vmsd
    }

    private mutating func boolean() throws(ScenarioError) -> Bool {
        let word = try identifier("true or false")
        switch word {
        case "true": return true
        case "false": return false
        default: throw error("expected true or false, found \(word)")
        }
    }

    private mutating func fieldDecl() throws(ScenarioError) -> FieldDecl {
        let location = current.location
        if isWord("field") {
            next()
            let name = try name("the field's name")
            return .explicit(name: name, settings: try fieldSettings(), location: location)
        }
        let macro = try identifier("a VMSTATE_* macro or 'field'")
        guard macro.hasPrefix("VMSTATE_") else {
            throw error("expected a VMSTATE_* macro or 'field NAME { ... }', found \(macro)")
        }
        try expect("(")
        var arguments: [MacroArgument] = []
        if !accept(")") {
            while true {
                arguments.append(try macroArgument())
                if accept(")") { break }
                try expect(",")
            }
        }
        let settings = isMark("{") ? try fieldSettings() : []
        return .macro(name: macro, arguments: arguments, settings: settings, location: location)
    }

    /// Tokens up to the next ',' or ')' at depth 0.
    private mutating func macroArgument() throws(ScenarioError) -> MacroArgument {
        let location = current.location
        var depth = 0
        var collected: [Token] = []
        while true {
            if case .end = current.kind { throw expected("')' to close the macro") }
            if depth == 0 && (isMark(",") || isMark(")")) { break }
            if isMark("(") || isMark("[") || isMark("{") { depth += 1 }
            if isMark(")") || isMark("]") || isMark("}") { depth -= 1 }
            collected.append(next())
        }
        return MacroArgument(tokens: collected, location: location)
    }

    private mutating func fieldSettings() throws(ScenarioError) -> [FieldSetting] {
        try expect("{")
        var settings: [FieldSetting] = []
        while !accept("}") {
            let location = current.location
            let key = try identifier("a field member (info, flags, offset, size, num, vmsd, ...)")
            _ = accept("=")
            var collected: [Token] = []
            var depth = 0
            while true {
                if case .end = current.kind { throw expected("'}' to close the field") }
                if depth == 0 && (isMark(";") || isMark("}") || isMark(",")) { break }
                // A value ends with its line, so settings may go one a line without ';'.
                if depth == 0 && !collected.isEmpty && current.location.line != location.line { break }
                if isMark("(") || isMark("[") || isMark("{") { depth += 1 }
                if isMark(")") || isMark("]") || isMark("}") { depth -= 1 }
                collected.append(next())
            }
            guard !collected.isEmpty else { throw expected("a value for '\(key)'") }
            settings.append(
                FieldSetting(
                    key: key, value: MacroArgument(tokens: collected, location: location),
                    location: location))
            _ = accept(";") || accept(",")
        }
        return settings
    }

    /// `needed`: an expression, `{ expression }`, or `c_function()` for a C callback vmscope
    /// cannot run (a switch, true unless `= false` follows).
    private mutating func callback() throws(ScenarioError) -> Expression {
        if let name = try callbackSwitchName() {
            var value = true
            if accept("=") { value = try boolean() }
            return .callbackSwitch(name: name, value: value)
        }
        if accept("{") {
            let value = try expression()
            try expect("}")
            return value
        }
        return try expression()
    }

    /// `NAME()`: the C function a callback or hook stands for.
    private mutating func callbackSwitchName() throws(ScenarioError) -> String? {
        guard case .identifier(let name) = current.kind, isMark("(", offset: 1), isMark(")", offset: 2) else {
            return nil
        }
        next()
        next()
        next()
        return name
    }

    /// `{ statement; ... }`, optionally prefixed by `errp` for the `Error **` variant; or
    /// `c_function()` for a C hook vmscope cannot run (it returns 0, or `= N`).
    private mutating func hookBody() throws(ScenarioError) -> Hook {
        let errp = isWord("errp")
        if errp { next() }
        if let name = try callbackSwitchName() {
            var statements: [Statement] = []
            if accept("=") { statements = [.return(.integer(try integer("the hook's return value")))] }
            return Hook(statements: statements, usesErrp: errp, callbackName: name)
        }
        try expect("{")
        var statements: [Statement] = []
        while !accept("}") {
            if isWord("return") {
                next()
                statements.append(.return(try expression()))
            } else if isWord("error") {
                next()
                statements.append(.fail(try string("the error message")))
            } else {
                let target = try memberPath()
                try expect("=")
                if isWord("new") {
                    next()
                    statements.append(.allocate(target, try ctype(try typeExpr())))
                } else {
                    statements.append(.assign(target, try expression()))
                }
            }
            _ = accept(";")
        }
        return Hook(statements: statements, usesErrp: errp)
    }

    // MARK: Expressions (C precedence)

    mutating func expression() throws(ScenarioError) -> Expression {
        try enter()
        defer { nesting -= 1 }
        let condition = try binary(minimum: 1)
        if accept("?") {
            let yes = try expression()
            try expect(":")
            return .conditional(condition, yes, try expression())
        }
        return condition
    }

    private mutating func binary(minimum: Int) throws(ScenarioError) -> Expression {
        var left = try unary()
        // Each operator deepens the tree on the left: `1+1+1...` counts as nesting too.
        var links = 0
        defer { nesting -= links }
        while case .punctuation(let mark) = current.kind, let op = BinaryOperator(rawValue: mark),
            op.precedence >= minimum
        {
            try enter()
            links += 1
            next()
            let right = try binary(minimum: op.precedence + 1)
            left = .binary(op, left, right)
        }
        return left
    }

    private mutating func unary() throws(ScenarioError) -> Expression {
        try enter()
        defer { nesting -= 1 }
        if accept("!") { return .unary(.not, try unary()) }
        if accept("-") { return .unary(.negate, try unary()) }
        if accept("~") { return .unary(.complement, try unary()) }
        if accept("(") {
            let inner = try expression()
            try expect(")")
            return inner
        }
        switch current.kind {
        case .integer(let value):
            next()
            return .integer(value)
        case .identifier(let word):
            if word == "true" || word == "false" {
                next()
                return .boolean(word == "true")
            }
            if word == "version_id" {
                next()
                return .versionID
            }
            return .member(try memberPath())
        default:
            throw expected("an expression")
        }
    }

    private mutating func memberPath() throws(ScenarioError) -> [MemberStep] {
        var steps: [MemberStep] = [.name(try identifier("a struct member"))]
        while true {
            if accept(".") || accept("->") {
                steps.append(.name(try identifier("a member after '.'")))
            } else if accept("[") {
                steps.append(.index(try expression()))
                try expect("]")
            } else {
                return steps
            }
        }
    }

    // MARK: Devices and state

    private mutating func deviceDecl(at token: Token) throws(ScenarioError) -> DeviceDecl {
        var device = DeviceDecl(vmsd: try name("the device's top-level VMSD"), location: token.location)
        try expect("{")
        while !accept("}") {
            let keyword = current
            let word = try identifier("a device member (source, dest, stream, instance_id, idstr, load_version)")
            _ = accept("=")
            switch word {
            case "source": device.source = try stateBlock()
            case "dest": device.dest = try stateBlock()
            case "stream": device.stream = try hexBytes()
            case "instance_id": device.instanceID = Int(truncatingIfNeeded: try integer())
            case "idstr": device.idstr = try string("the section's idstr")
            case "load_version": device.loadVersion = Int(truncatingIfNeeded: try integer())
            default:
                throw error(
                    "unknown device member '\(word)'; expected source, dest, stream, instance_id, idstr or "
                        + "load_version", at: keyword)
            }
            _ = accept(";")
        }
        return device
    }

    /// `hex "01 02 ff"` or `"01 02 ff"`.
    private mutating func hexBytes() throws(ScenarioError) -> [UInt8] {
        if isWord("hex") { next() }
        let token = current
        let text = try string("hex bytes in quotes")
        var bytes: [UInt8] = []
        var digits = ""
        for character in text where !character.isWhitespace {
            guard character.isHexDigit else { throw error("'\(character)' is not a hex digit", at: token) }
            digits.append(character)
            if digits.count == 2 {
                bytes.append(UInt8(digits, radix: 16) ?? 0)
                digits = ""
            }
        }
        guard digits.isEmpty else { throw error("odd number of hex digits", at: token) }
        return bytes
    }

    private mutating func stateBlock() throws(ScenarioError) -> [Assignment] {
        try expect("{")
        var assignments: [Assignment] = []
        while !accept("}") {
            let location = current.location
            let target = try memberPath()
            try expect("=")
            assignments.append(Assignment(target: target, value: try value(), location: location))
            _ = accept(";") || accept(",")
        }
        return assignments
    }

    private mutating func value() throws(ScenarioError) -> ValueExpr {
        try enter()
        defer { nesting -= 1 }
        switch current.kind {
        case .integer:
            return .integer(try integer())
        case .string(let text):
            next()
            return .string(text)
        case .punctuation("-"):
            return .integer(try integer())
        case .punctuation("&"):
            next()
            return .address(try memberPath())
        case .punctuation("{"):
            next()
            var items: [(name: String?, value: ValueExpr)] = []
            while !accept("}") {
                if case .identifier(let name) = current.kind, isMark("=", offset: 1) {
                    next()
                    next()
                    items.append((name, try value()))
                } else {
                    items.append((nil, try value()))
                }
                _ = accept(",") || accept(";")
            }
            return .aggregate(items)
        case .punctuation("["):
            return .aggregate(try elementList().map { (nil, $0) })
        case .identifier(let word):
            switch word {
            case "true", "false":
                next()
                return .boolean(word == "true")
            case "null", "NULL":
                next()
                return .null
            case "hex":
                return .bytes(try hexBytes())
            case "new":
                next()
                let type = try typeExpr()
                var count: Expression?
                if accept("[") {
                    count = try expression()
                    try expect("]")
                }
                let initial: ValueExpr? = (isMark("{") || isMark("[")) ? try value() : nil
                return .new(type, count: count, initial: initial)
            case "qtailq", "qlist":
                next()
                try expect("(")
                let link = try identifier("the list link member")
                try expect(")")
                return .list(kind: ListKind(rawValue: word) ?? .qtailq, link: link, elements: try elementList())
            case "gtree":
                next()
                try expect("[")
                var nodes: [(key: ValueExpr, value: ValueExpr)] = []
                while !accept("]") {
                    let key = try value()
                    try expect(":")
                    nodes.append((key, try value()))
                    _ = accept(",")
                }
                return .tree(nodes)
            default:
                throw expected(
                    "a value (number, true/false, null, \"text\", hex \"..\", { }, [ ], new T, &member, "
                        + "qtailq(link) [..], qlist(link) [..], gtree [..])")
            }
        default:
            throw expected("a value")
        }
    }

    private mutating func elementList() throws(ScenarioError) -> [ValueExpr] {
        try expect("[")
        var elements: [ValueExpr] = []
        while !accept("]") {
            elements.append(try value())
            _ = accept(",")
        }
        return elements
    }

    // MARK: Expectations

    private mutating func expectation(at token: Token) throws(ScenarioError) -> Expectation {
        let first = try profileName()
        var second = first
        if accept("->") { second = try profileName() }
        try expect(":")
        var facts: [ExpectedFact] = []
        repeat {
            let keywordToken = current
            let word = try identifier("an outcome (success, error, assert, fault, check, leaks, allocations, bytes)")
            switch word {
            case "success": facts.append(.success)
            case "error": facts.append(.error(try string("the error message")))
            case "assert":
                if case .string(let condition) = current.kind {
                    next()
                    facts.append(.assertion(condition))
                } else {
                    facts.append(.assertion(nil))
                }
            case "fault": facts.append(.fault)
            case "check":
                let verdict = try identifier("passes or fails")
                if verdict == "passes" {
                    facts.append(.checkPasses)
                } else if verdict == "fails" {
                    if case .identifier(let rule) = current.kind, rule.hasPrefix("C") {
                        next()
                        facts.append(.checkFails(rule))
                    } else {
                        facts.append(.checkFails(nil))
                    }
                } else {
                    throw error("expected 'passes' or 'fails', found \(verdict)")
                }
            case "leaks": facts.append(.leaks(Int(truncatingIfNeeded: try integer())))
            case "allocations": facts.append(.allocations(Int(truncatingIfNeeded: try integer())))
            case "bytes": facts.append(.bytes(try hexBytes()))
            case "stream_error": facts.append(.streamError(Int(truncatingIfNeeded: try integer())))
            case "failure": facts.append(.failure(Int(truncatingIfNeeded: try integer())))
            case "value":
                let path = try memberPath()
                try expect("=")
                facts.append(.value(MemberStep.render(path), try integer()))
            default:
                throw error(
                    "unknown outcome '\(word)'; expected success, error, assert, fault, check, leaks, allocations, "
                        + "bytes, stream_error, failure or value", at: keywordToken)
            }
        } while accept(",")
        return Expectation(sourceProfile: first, destProfile: second, facts: facts, location: token.location)
    }
}
