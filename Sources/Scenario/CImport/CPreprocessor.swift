/// What the preprocessor needs from the import session: files, include resolution, header units
/// and a place for messages.
protocol CPreprocessorHost: AnyObject {
    var macros: CMacroStore { get }
    func tokens(ofFile file: Int32) -> [CToken]
    func path(ofFile file: Int32) -> String
    /// Finds `name` as `#include "name"` (`quoted`) or `<name>` from `file`; nil when not found.
    func resolveInclude(_ name: String, quoted: Bool, from file: Int32) -> Int32?
    /// Preprocesses and parses a header as a unit of its own (once), returning its unit id.
    func headerUnit(for file: Int32, scope: CMacroScope, includedFrom: CSourceLocation, depth: Int) -> Int32?
    func diagnose(_ severity: CDiagnostic.Severity, _ message: String, at location: CSourceLocation)
    /// Names the preprocessor leaves alone: the `VMSTATE_*` macros of the table and the few
    /// QEMU macros the parser reads itself.
    func isPrimitive(_ name: String) -> Bool
}

/// C's preprocessor, enough for QEMU's headers and device files: `#define` (object-like,
/// function-like, variadic, `#` and `##`), `#undef`, `#include` through the host, `#if`,
/// `#ifdef`, `#ifndef`, `#elif`, `#else`, `#endif` with `defined` and `__has_include`.
///
/// The output is the unit's tokens after expansion. Macros the host calls primitive stay as
/// written, but their arguments are expanded, as they would be before QEMU's `stringify`.
/// Every recursion on the input is bounded: nesting too deep is an error, not a crash.
final class CPreprocessor {
    static let maximumNesting = 200
    static let maximumIncludeDepth = 64
    /// QEMU 7.2's largest unit in hw/ expands to under 50,000 tokens; a macro that multiplies its
    /// argument can reach any number, and this bound stops it early.
    static let maximumOutputTokens = 2_000_000

    private unowned let host: CPreprocessorHost
    let unit: Int32
    private let scope: CMacroScope
    /// Macros defined here go to the scope (a translation unit) or to the store (a header unit).
    private let isHeaderUnit: Bool
    private let includeDepth: Int

    private struct Source {
        var file: Int32
        var tokens: [CToken]
        var position: Int
        /// Open `#if`s: whether a branch was taken, whether `#else` was seen.
        var conditionals: [(taken: Bool, sawElse: Bool, location: CSourceLocation)]
    }

    private var sources: [Source] = []
    private var pending: [CToken] = []
    private var isolated: [[CToken]] = []
    private var nesting = 0
    private var output: [CToken] = []
    private var braceDepth = 0
    private(set) var failed = false
    /// Units this one included directly (for the visibility of later includers).
    private(set) var includedUnits: [Int32] = []

    init(host: CPreprocessorHost, unit: Int32, scope: CMacroScope, isHeaderUnit: Bool, includeDepth: Int) {
        self.host = host
        self.unit = unit
        self.scope = scope
        self.isHeaderUnit = isHeaderUnit
        self.includeDepth = includeDepth
    }

    /// Preprocesses `file` and returns its expanded tokens, ending with an `.end` token.
    func run(file: Int32) -> [CToken] {
        sources = [Source(file: file, tokens: host.tokens(ofFile: file), position: 0, conditionals: [])]
        while !failed {
            guard let token = expandNext() else { break }
            emit(token)
        }
        output.append(.end(at: sources.last.map { $0.tokens[max(0, $0.tokens.count - 1)].location } ?? .unknown))
        return output
    }

    private func emit(_ token: CToken) {
        if token.kind == .punctuator {
            if token.text == "{" { braceDepth += 1 } else if token.text == "}" { braceDepth = max(0, braceDepth - 1) }
        }
        output.append(token)
        if output.count > Self.maximumOutputTokens {
            fail("more than \(Self.maximumOutputTokens) tokens after macro expansion", at: token.location)
        }
    }

    private func fail(_ message: String, at location: CSourceLocation) {
        if !failed { host.diagnose(.error, message, at: location) }
        // Readers see the end from now on; the expansions in progress unwind on their own.
        failed = true
        pending = []
    }

    // MARK: Macro lookup

    private func lookup(_ name: String) -> CMacro? {
        if let macro = scope.local[name] { return macro.isUndefinition ? nil : macro }
        return host.macros.lookup(name, visible: scope.visibleUnits)
    }

    private func define(_ macro: CMacro) {
        if isHeaderUnit {
            host.macros.add(macro)
        } else {
            scope.local[macro.name] = macro
        }
    }

    // MARK: Reading tokens

    private static func endToken() -> CToken { .end(at: .unknown) }

    /// The next token before expansion: from an isolated argument, the push-back buffer, or the
    /// files (directives are carried out on the way).
    private func readRaw() -> CToken {
        if failed { return Self.endToken() }
        if !isolated.isEmpty {
            return isolated[isolated.count - 1].popLast() ?? Self.endToken()
        }
        if let token = pending.popLast() { return token }
        return readFromFiles()
    }

    /// The next raw token without taking it (a directive is reported as its `#`).
    private func peekRaw() -> CToken {
        if !isolated.isEmpty { return isolated[isolated.count - 1].last ?? Self.endToken() }
        if let token = pending.last { return token }
        while let source = sources.last {
            let token = source.tokens[source.position]
            if token.kind != .end || sources.count == 1 { return token }
            checkUnterminated(source)
            sources.removeLast()
        }
        return Self.endToken()
    }

    private func pushBack(_ tokens: [CToken]) {
        if !isolated.isEmpty {
            isolated[isolated.count - 1].append(contentsOf: tokens.reversed())
        } else {
            pending.append(contentsOf: tokens.reversed())
        }
    }

    private func checkUnterminated(_ source: Source) {
        if let open = source.conditionals.last {
            host.diagnose(.warning, "#if without #endif at the end of the file", at: open.location)
        }
    }

    private func readFromFiles() -> CToken {
        while !sources.isEmpty && !failed {
            let index = sources.count - 1
            let position = sources[index].position
            let token = sources[index].tokens[position]
            if token.kind == .end {
                guard sources.count > 1 else { return token }
                checkUnterminated(sources[index])
                sources.removeLast()
                continue
            }
            sources[index].position += 1
            if token.atLineStart && token.isPunctuator("#") {
                directive(hash: token)
                continue
            }
            return token
        }
        return Self.endToken()
    }

    /// The rest of the current line, after a directive's `#`.
    private func restOfLine() -> [CToken] {
        let index = sources.count - 1
        var tokens: [CToken] = []
        while true {
            let token = sources[index].tokens[sources[index].position]
            if token.kind == .end || token.atLineStart { break }
            tokens.append(token)
            sources[index].position += 1
        }
        return tokens
    }

    // MARK: Directives

    private func directive(hash: CToken) {
        var line = restOfLine()
        guard !line.isEmpty else { return }
        let name = line.removeFirst()
        switch name.text {
        case "define": defineDirective(line, at: name.location)
        case "undef":
            if let target = line.first, target.kind == .identifier {
                define(
                    CMacro(
                        name: target.text, isFunctionLike: false, parameters: [], isVariadic: false, body: [],
                        unit: unit, isUndefinition: true, location: target.location))
            }
        case "include", "include_next": includeDirective(line, at: name.location)
        case "if":
            beginConditional(evaluateCondition(line, at: name.location), at: name.location)
        case "ifdef", "ifndef":
            let defined = line.first.map { lookup($0.text) != nil } ?? false
            beginConditional(name.text == "ifdef" ? defined : !defined, at: name.location)
        case "elif", "else", "elifdef", "elifndef":
            // A branch was taken (we were in it): skip to the #endif.
            let index = sources.count - 1
            guard !sources[index].conditionals.isEmpty else {
                host.diagnose(.warning, "#\(name.text) without #if", at: name.location)
                return
            }
            sources[index].conditionals[sources[index].conditionals.count - 1].taken = true
            skipConditionalBlock()
        case "endif":
            let index = sources.count - 1
            if sources[index].conditionals.popLast() == nil {
                host.diagnose(.warning, "#endif without #if", at: name.location)
            }
        case "error":
            host.diagnose(.note, "#error \(line.spelled) (not stopped at: vmscope reads on)", at: name.location)
        case "pragma", "warning", "line", "ident", "sccs", "assert", "unassert":
            return
        default:
            if name.kind != .number {
                host.diagnose(.note, "unknown directive #\(name.text) skipped", at: name.location)
            }
        }
    }

    private func defineDirective(_ line: [CToken], at location: CSourceLocation) {
        guard let nameToken = line.first, nameToken.kind == .identifier else {
            host.diagnose(.warning, "#define without a name", at: location)
            return
        }
        var rest = Array(line.dropFirst())
        var parameters: [String] = []
        var isVariadic = false
        var isFunctionLike = false
        if let open = rest.first, open.isPunctuator("("), !open.leadingSpace {
            isFunctionLike = true
            var index = 1
            var closed = false
            while index < rest.count {
                let token = rest[index]
                index += 1
                if token.isPunctuator(")") {
                    closed = true
                    break
                }
                if token.isPunctuator(",") { continue }
                if token.isPunctuator("...") {
                    parameters.append("__VA_ARGS__")
                    isVariadic = true
                } else if token.kind == .identifier {
                    if index < rest.count && rest[index].isPunctuator("...") {
                        index += 1
                        isVariadic = true
                    }
                    parameters.append(token.text)
                } else {
                    host.diagnose(.warning, "bad parameter list in #define \(nameToken.text)", at: token.location)
                    return
                }
            }
            guard closed else {
                host.diagnose(.warning, "unterminated parameter list in #define \(nameToken.text)", at: location)
                return
            }
            rest.removeFirst(index)
        }
        if !rest.isEmpty { rest[0].leadingSpace = false }
        define(
            CMacro(
                name: nameToken.text, isFunctionLike: isFunctionLike, parameters: parameters, isVariadic: isVariadic,
                body: rest, unit: unit, isUndefinition: false, location: nameToken.location))
    }

    private func includeDirective(_ line: [CToken], at location: CSourceLocation) {
        var tokens = line
        // `#include MACRO`: expand first.
        if let first = tokens.first, first.kind == .identifier {
            tokens = expandIsolated(tokens)
        }
        guard let first = tokens.first else {
            host.diagnose(.warning, "#include without a file name", at: location)
            return
        }
        let name: String
        let quoted: Bool
        if first.kind == .string, let value = first.stringValue {
            name = value
            quoted = true
        } else if first.isPunctuator("<") {
            var text = ""
            for token in tokens.dropFirst() {
                if token.isPunctuator(">") { break }
                text += token.text
            }
            name = text
            quoted = false
        } else {
            host.diagnose(.note, "skipped #include \(line.spelled) (a macro vmscope does not know)", at: location)
            return
        }
        let current = sources[sources.count - 1].file
        guard let file = host.resolveInclude(name, quoted: quoted, from: current) else {
            host.diagnose(
                .note, "skipped #include \(quoted ? "\"\(name)\"" : "<\(name)>") (not found through -I)", at: location)
            return
        }
        guard includeDepth + sources.count < Self.maximumIncludeDepth else {
            fail("#include nested more than \(Self.maximumIncludeDepth) deep", at: location)
            return
        }
        // A header at file scope is a unit of its own, read once for all translation units; a
        // file included inside braces (a table, an X-macro list) is read in place.
        let path = host.path(ofFile: file)
        if braceDepth == 0 && pending.isEmpty && path.hasSuffix(".h") {
            if let header = host.headerUnit(
                for: file, scope: scope, includedFrom: location, depth: includeDepth + sources.count)
            {
                includedUnits.append(header)
            }
            return
        }
        sources.append(Source(file: file, tokens: host.tokens(ofFile: file), position: 0, conditionals: []))
    }

    private func beginConditional(_ value: Bool, at location: CSourceLocation) {
        let index = sources.count - 1
        sources[index].conditionals.append((taken: value, sawElse: false, location: location))
        if !value { skipConditionalBlock() }
    }

    /// Skips lines of a group not taken, up to the `#elif`/`#else` that is taken or the `#endif`.
    private func skipConditionalBlock() {
        let index = sources.count - 1
        var depth = 0
        while true {
            let token = sources[index].tokens[sources[index].position]
            if token.kind == .end {
                return
            }
            sources[index].position += 1
            guard token.atLineStart && token.isPunctuator("#") else { continue }
            let next = sources[index].tokens[sources[index].position]
            guard !next.atLineStart, next.kind == .identifier else { continue }
            switch next.text {
            case "if", "ifdef", "ifndef":
                depth += 1
            case "endif":
                if depth == 0 {
                    sources[index].position += 1
                    _ = restOfLine()
                    _ = sources[index].conditionals.popLast()
                    return
                }
                depth -= 1
            case "elif", "else", "elifdef", "elifndef":
                guard depth == 0, var top = sources[index].conditionals.last else { continue }
                sources[index].position += 1
                let line = restOfLine()
                if top.taken { continue }
                var value: Bool
                switch next.text {
                case "else":
                    top.sawElse = true
                    value = true
                case "elifdef": value = line.first.map { lookup($0.text) != nil } ?? false
                case "elifndef": value = line.first.map { lookup($0.text) == nil } ?? true
                default: value = evaluateCondition(line, at: next.location)
                }
                if value {
                    top.taken = true
                    sources[index].conditionals[sources[index].conditionals.count - 1] = top
                    return
                }
            default:
                continue
            }
        }
    }

    /// `#if` expressions: `defined`, `__has_include`, macros, then C arithmetic; identifiers
    /// left over count as 0.
    private func evaluateCondition(_ line: [CToken], at location: CSourceLocation) -> Bool {
        var prepared: [CToken] = []
        var index = 0
        while index < line.count {
            let token = line[index]
            if token.kind == .identifier
                && ["defined", "__has_include", "__has_include_next"].contains(token.text)
            {
                var cursor = index + 1
                var parenthesized = false
                if cursor < line.count && line[cursor].isPunctuator("(") {
                    parenthesized = true
                    cursor += 1
                }
                var argument: [CToken] = []
                while cursor < line.count && !(parenthesized && line[cursor].isPunctuator(")")) {
                    argument.append(line[cursor])
                    cursor += 1
                    if !parenthesized { break }
                }
                if parenthesized { cursor += 1 }
                var value = false
                if token.text == "defined" {
                    value = argument.first.map { lookup($0.text) != nil } ?? false
                } else if let first = argument.first {
                    let name: String
                    if first.kind == .string {
                        name = first.stringValue ?? ""
                    } else {
                        name = argument.dropFirst().prefix { !$0.isPunctuator(">") }.map(\.text).joined()
                    }
                    let current = sources[sources.count - 1].file
                    value = host.resolveInclude(name, quoted: first.kind == .string, from: current) != nil
                }
                prepared.append(
                    CToken(
                        kind: .number, text: value ? "1" : "0", location: token.location, leadingSpace: true,
                        atLineStart: false))
                index = cursor
                continue
            }
            prepared.append(token)
            index += 1
        }
        let expanded = expandIsolated(prepared)
        var evaluator = CConstantEvaluator(tokens: expanded, resolver: nil, unknownIdentifiersAreZero: true)
        switch evaluator.evaluateAll() {
        case .success(let value): return value != 0
        case .failure(let error):
            host.diagnose(.warning, "#if \(line.spelled): \(error.message); taken as false", at: location)
            return false
        }
    }

    // MARK: Expansion

    /// Fully expands `tokens` on their own (a macro argument, an `#if` line).
    func expandIsolated(_ tokens: [CToken]) -> [CToken] {
        guard nesting < Self.maximumNesting else {
            fail("macros nested more than \(Self.maximumNesting) deep", at: tokens.first?.location ?? .unknown)
            return []
        }
        nesting += 1
        isolated.append(tokens.reversed())
        var result: [CToken] = []
        while !failed, let token = expandNext() {
            result.append(token)
            if result.count > Self.maximumOutputTokens {
                fail("a macro expands to more than \(Self.maximumOutputTokens) tokens", at: token.location)
            }
        }
        if !isolated.isEmpty { isolated.removeLast() }
        nesting -= 1
        return result
    }

    /// The next fully expanded token, nil at the end of the input.
    private func expandNext() -> CToken? {
        while !failed {
            let token = readRaw()
            if token.kind == .end { return nil }
            guard token.kind == .identifier else { return token }
            let name = token.text
            if host.isPrimitive(name) {
                if let call = primitiveCall(token) {
                    // The name, then its arguments expanded, as one group of tokens.
                    guard let first = call.first else { return token }
                    if call.count > 1 { pushBackReady(Array(call.dropFirst())) }
                    return first
                }
                return token
            }
            guard let macro = lookup(name) else { return token }
            let id = host.macros.id(of: name)
            if token.hideSet.contains(id) { return token }
            if !macro.isFunctionLike {
                var hideSet = token.hideSet
                Self.insert(id, into: &hideSet)
                let body = substitute(macro, arguments: [], hideSet: hideSet, at: token)
                pushBack(body)
                continue
            }
            guard peekRaw().isPunctuator("(") else { return token }
            _ = readRaw()
            // C intersects the hide sets of the name and the closing parenthesis; vmscope keeps the
            // name's, which differs only for macros that expand to their own name's call.
            guard let arguments = collectArguments(for: macro, at: token) else { return nil }
            var hideSet = token.hideSet
            Self.insert(id, into: &hideSet)
            let body = substitute(macro, arguments: arguments, hideSet: hideSet, at: token)
            pushBack(body)
        }
        return nil
    }

    /// Tokens already expanded (a primitive call's arguments) go out without a second scan:
    /// they are marked with every macro name so nothing expands again.
    private func pushBackReady(_ tokens: [CToken]) {
        var marked = tokens
        for index in marked.indices where marked[index].kind == .identifier {
            if !host.isPrimitive(marked[index].text) {
                Self.insert(host.macros.id(of: marked[index].text), into: &marked[index].hideSet)
            }
        }
        pushBack(marked)
    }

    /// `VMSTATE_UINT32(x, S)`: the name and its parenthesized, expanded arguments.
    private func primitiveCall(_ name: CToken) -> [CToken]? {
        guard peekRaw().isPunctuator("(") else { return nil }
        let open = readRaw()
        var result = [name, open]
        var depth = 0
        var argument: [CToken] = []
        while !failed {
            let token = readRaw()
            if token.kind == .end {
                fail("expected ')' to close \(name.text)(, found the end of the file", at: name.location)
                return nil
            }
            if depth == 0 && (token.isPunctuator(",") || token.isPunctuator(")")) {
                result.append(contentsOf: expandIsolated(argument))
                result.append(token)
                argument = []
                if token.isPunctuator(")") { return result }
                continue
            }
            if token.isPunctuator("(") || token.isPunctuator("[") || token.isPunctuator("{") { depth += 1 }
            if token.isPunctuator(")") || token.isPunctuator("]") || token.isPunctuator("}") { depth -= 1 }
            if depth > Self.maximumNesting {
                fail("parentheses nested more than \(Self.maximumNesting) deep", at: token.location)
                return nil
            }
            argument.append(token)
        }
        return nil
    }

    private static func insert(_ id: Int32, into set: inout [Int32]) {
        if !set.contains(id) { set.append(id) }
    }

    /// Reads the arguments of a function-like macro after its `(`: raw tokens per argument.
    private func collectArguments(for macro: CMacro, at call: CToken) -> [[CToken]]? {
        var arguments: [[CToken]] = []
        var current: [CToken] = []
        var depth = 0
        while true {
            let token = readRaw()
            if token.kind == .end {
                fail("expected ')' to close \(macro.name)(, found the end of the file", at: call.location)
                return nil
            }
            if depth == 0 && token.isPunctuator(")") {
                arguments.append(current)
                break
            }
            let isRest = macro.isVariadic && arguments.count >= macro.parameters.count - 1
            if depth == 0 && token.isPunctuator(",") && !isRest {
                arguments.append(current)
                current = []
                continue
            }
            if token.isPunctuator("(") { depth += 1 }
            if token.isPunctuator(")") { depth -= 1 }
            if depth > Self.maximumNesting {
                fail("parentheses nested more than \(Self.maximumNesting) deep", at: token.location)
                return nil
            }
            current.append(token)
        }
        // `F()` for a macro of no parameters takes no argument.
        if macro.parameters.isEmpty && arguments.count == 1 && arguments[0].isEmpty { arguments = [] }
        while arguments.count < macro.parameters.count { arguments.append([]) }
        return arguments
    }

    /// The macro's body with the arguments put in: `#x` stringified, `a ## b` pasted, other
    /// parameters fully expanded first.
    private func substitute(_ macro: CMacro, arguments: [[CToken]], hideSet: [Int32], at call: CToken) -> [CToken] {
        let body = macro.body
        var result: [CToken] = []
        var expandedCache: [Int: [CToken]] = [:]
        func parameterIndex(_ token: CToken) -> Int? {
            guard token.kind == .identifier, macro.isFunctionLike else { return nil }
            return macro.parameters.firstIndex(of: token.text)
        }
        func argument(_ index: Int) -> [CToken] { index < arguments.count ? arguments[index] : [] }
        var index = 0
        while index < body.count {
            let token = body[index]
            // #param
            if macro.isFunctionLike && token.isPunctuator("#"), index + 1 < body.count,
                let parameter = parameterIndex(body[index + 1])
            {
                var string = CToken(
                    kind: .string, text: Self.stringLiteral(argument(parameter)), location: call.location,
                    leadingSpace: token.leadingSpace, atLineStart: false)
                string.hideSet = []
                result.append(string)
                index += 2
                continue
            }
            // GNU `, ## __VA_ARGS__`: the comma goes when the variable arguments are empty.
            if token.isPunctuator(","), index + 2 < body.count, body[index + 1].isPunctuator("##"),
                let parameter = parameterIndex(body[index + 2]), macro.isVariadic,
                parameter == macro.parameters.count - 1
            {
                let rest = argument(parameter)
                if !rest.isEmpty {
                    result.append(token)
                    result.append(contentsOf: rest)
                }
                index += 3
                continue
            }
            // a ## b
            if token.isPunctuator("##") {
                index += 1
                guard index < body.count else { break }
                let right = body[index]
                let rightTokens = parameterIndex(right).map { argument($0) } ?? [right]
                if let left = result.popLast() {
                    if let firstRight = rightTokens.first {
                        result.append(contentsOf: paste(left, firstRight))
                        result.append(contentsOf: rightTokens.dropFirst())
                    } else {
                        result.append(left)
                    }
                } else {
                    result.append(contentsOf: rightTokens)
                }
                index += 1
                continue
            }
            // __VA_OPT__(content)
            if macro.isVariadic && token.isIdentifier("__VA_OPT__"), index + 1 < body.count,
                body[index + 1].isPunctuator("(")
            {
                var depth = 0
                var cursor = index + 1
                var content: [CToken] = []
                while cursor < body.count {
                    let inner = body[cursor]
                    if inner.isPunctuator("(") {
                        depth += 1
                        if depth == 1 {
                            cursor += 1
                            continue
                        }
                    }
                    if inner.isPunctuator(")") {
                        depth -= 1
                        if depth == 0 { break }
                    }
                    content.append(inner)
                    cursor += 1
                }
                if !argument(macro.parameters.count - 1).isEmpty { result.append(contentsOf: content) }
                index = cursor + 1
                continue
            }
            if let parameter = parameterIndex(token) {
                // A parameter next to ## is pasted raw; elsewhere it is expanded first.
                if index + 1 < body.count && body[index + 1].isPunctuator("##") {
                    var raw = argument(parameter)
                    if !raw.isEmpty { raw[0].leadingSpace = token.leadingSpace }
                    result.append(contentsOf: raw)
                } else {
                    let expanded: [CToken]
                    if let cached = expandedCache[parameter] {
                        expanded = cached
                    } else {
                        expanded = expandIsolated(argument(parameter))
                        expandedCache[parameter] = expanded
                    }
                    var copy = expanded
                    if !copy.isEmpty { copy[0].leadingSpace = token.leadingSpace }
                    result.append(contentsOf: copy)
                }
                index += 1
                continue
            }
            result.append(token)
            index += 1
        }
        for position in result.indices {
            result[position].location = call.location
            result[position].atLineStart = false
            for id in hideSet { Self.insert(id, into: &result[position].hideSet) }
        }
        if !result.isEmpty { result[0].leadingSpace = call.leadingSpace }
        return result
    }

    /// `#x`: the argument's spelling as a string literal.
    private static func stringLiteral(_ tokens: [CToken]) -> String {
        var text = "\""
        for (index, token) in tokens.enumerated() {
            if index > 0 && token.leadingSpace { text += " " }
            if token.kind == .string || token.kind == .character {
                for character in token.text {
                    if character == "\"" || character == "\\" { text.append("\\") }
                    text.append(character)
                }
            } else {
                text += token.text
            }
        }
        return text + "\""
    }

    /// `a ## b`: one token when the text makes one, else both as they were.
    private func paste(_ left: CToken, _ right: CToken) -> [CToken] {
        let text = left.text + right.text
        let lexed = CLexer.tokenize(Array(text.utf8), file: left.location.file)
        guard lexed.count == 2, var token = lexed.first else { return [left, right] }
        token.location = left.location
        token.leadingSpace = left.leadingSpace
        token.atLineStart = false
        token.hideSet = left.hideSet
        return [token]
    }
}
