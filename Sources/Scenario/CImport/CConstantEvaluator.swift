/// What a constant expression needs from the declarations around it.
protocol CConstantResolver {
    /// An enumeration constant (macros are already expanded).
    func constant(named name: String) -> Int64?
    /// Whether `name` names a type (for casts and `sizeof`).
    func isTypeName(_ name: String) -> Bool
    /// `sizeof(TYPE)` or `sizeof(EXPRESSION)`, written as tokens.
    func size(of tokens: ArraySlice<CToken>) -> Int?
    /// `_Alignof(TYPE)`.
    func alignment(of tokens: ArraySlice<CToken>) -> Int?
    /// `offsetof(TYPE, member.path[2])`.
    func offset(ofMember member: ArraySlice<CToken>, in type: ArraySlice<CToken>) -> Int?
    /// `ARRAY_SIZE(x)`: the element count of the array `x` names.
    func arrayCount(of tokens: ArraySlice<CToken>) -> Int?
    /// The width and signedness of a cast's type, when it is an integer type.
    func integerType(_ tokens: ArraySlice<CToken>) -> (bytes: Int, signed: Bool)?
}

/// Evaluates C integer constant expressions: literals, enumeration constants, `sizeof`,
/// `_Alignof`, `offsetof`, `ARRAY_SIZE`, casts, and every C operator but assignment and comma.
/// Recursion is bounded by `maximumDepth`.
struct CConstantEvaluator {
    static let maximumDepth = 200

    struct EvaluationError: Error, Sendable {
        var message: String
        var location: CSourceLocation
    }

    private let tokens: [CToken]
    private var position = 0
    private let resolver: CConstantResolver?
    private let unknownIdentifiersAreZero: Bool
    private var depth = 0

    init(tokens: [CToken], resolver: CConstantResolver?, unknownIdentifiersAreZero: Bool = false) {
        self.tokens = tokens
        self.resolver = resolver
        self.unknownIdentifiersAreZero = unknownIdentifiersAreZero
    }

    /// Evaluates the whole token list as one expression.
    mutating func evaluateAll() -> Result<Int64, EvaluationError> {
        guard !tokens.isEmpty else { return .failure(error("expected an expression, found nothing")) }
        do throws(EvaluationError) {
            let value = try conditional()
            if position < tokens.count { throw error("unexpected '\(tokens[position].text)'") }
            return .success(value)
        } catch {
            return .failure(error)
        }
    }

    static func evaluate(_ tokens: [CToken], resolver: CConstantResolver?) -> Int64? {
        var evaluator = CConstantEvaluator(tokens: tokens, resolver: resolver)
        if case .success(let value) = evaluator.evaluateAll() { return value }
        return nil
    }

    // MARK: Literals

    /// A C integer literal with any suffix (`0x10UL`, `017`, `0b101`, `42`).
    static func integerLiteral(_ text: String) -> Int64? {
        var body = Substring(text.lowercased())
        while let last = body.last, last == "u" || last == "l" { body = body.dropLast() }
        let value: UInt64?
        if body.hasPrefix("0x") {
            value = UInt64(body.dropFirst(2), radix: 16)
        } else if body.hasPrefix("0b") {
            value = UInt64(body.dropFirst(2), radix: 2)
        } else if body.count > 1 && body.hasPrefix("0") {
            value = UInt64(body.dropFirst(), radix: 8)
        } else {
            value = UInt64(body, radix: 10)
        }
        return value.map { Int64(bitPattern: $0) }
    }

    /// A character constant's value (`'a'`, `'\n'`, `'\x41'`, `'\0'`).
    static func characterLiteral(_ text: String) -> Int64? {
        guard let open = text.firstIndex(of: "'"), text.hasSuffix("'"), text.count >= 3 else { return nil }
        let body = text[text.index(after: open)..<text.index(before: text.endIndex)]
        if body.hasPrefix("\\x"), let value = Int64(body.dropFirst(2), radix: 16) { return value }
        if body.hasPrefix("\\"), body.count > 1, let value = Int64(body.dropFirst(), radix: 8) { return value }
        let decoded = CToken.unescape(body)
        return decoded.unicodeScalars.first.map { Int64($0.value) }
    }

    // MARK: Parsing

    private func error(_ message: String) -> EvaluationError {
        let location = position < tokens.count ? tokens[position].location : tokens.last?.location ?? .unknown
        return EvaluationError(message: message, location: location)
    }

    private var current: CToken? { position < tokens.count ? tokens[position] : nil }

    private func isMark(_ mark: String, offset: Int = 0) -> Bool {
        let index = position + offset
        return index < tokens.count && tokens[index].isPunctuator(mark)
    }

    private mutating func accept(_ mark: String) -> Bool {
        if isMark(mark) {
            position += 1
            return true
        }
        return false
    }

    private mutating func expect(_ mark: String) throws(EvaluationError) {
        guard accept(mark) else { throw error("expected '\(mark)'") }
    }

    private mutating func enter() throws(EvaluationError) {
        depth += 1
        if depth > Self.maximumDepth { throw error("expression nested more than \(Self.maximumDepth) deep") }
    }

    private mutating func conditional() throws(EvaluationError) -> Int64 {
        try enter()
        defer { depth -= 1 }
        let condition = try binary(1)
        if accept("?") {
            let yes = try conditional()
            try expect(":")
            let no = try conditional()
            return condition != 0 ? yes : no
        }
        return condition
    }

    private static let precedence: [String: Int] = [
        "||": 1, "&&": 2, "|": 3, "^": 4, "&": 5, "==": 6, "!=": 6, "<": 7, ">": 7, "<=": 7, ">=": 7,
        "<<": 8, ">>": 8, "+": 9, "-": 9, "*": 10, "/": 10, "%": 10,
    ]

    private mutating func binary(_ minimum: Int) throws(EvaluationError) -> Int64 {
        var left = try unary()
        while let token = current, token.kind == .punctuator, let level = Self.precedence[token.text],
            level >= minimum
        {
            position += 1
            let right = try binary(level + 1)
            left = try Self.apply(token.text, left, right, at: token.location)
        }
        return left
    }

    private static func apply(_ op: String, _ lhs: Int64, _ rhs: Int64, at location: CSourceLocation)
        throws(EvaluationError) -> Int64
    {
        switch op {
        case "||": return (lhs != 0 || rhs != 0) ? 1 : 0
        case "&&": return (lhs != 0 && rhs != 0) ? 1 : 0
        case "|": return lhs | rhs
        case "^": return lhs ^ rhs
        case "&": return lhs & rhs
        case "==": return lhs == rhs ? 1 : 0
        case "!=": return lhs != rhs ? 1 : 0
        case "<": return lhs < rhs ? 1 : 0
        case ">": return lhs > rhs ? 1 : 0
        case "<=": return lhs <= rhs ? 1 : 0
        case ">=": return lhs >= rhs ? 1 : 0
        case "<<": return rhs >= 0 && rhs < 64 ? lhs << rhs : 0
        case ">>": return rhs >= 0 && rhs < 64 ? lhs >> rhs : (lhs < 0 ? -1 : 0)
        case "+": return lhs &+ rhs
        case "-": return lhs &- rhs
        case "*": return lhs &* rhs
        case "/", "%":
            guard rhs != 0 else { throw EvaluationError(message: "division by zero", location: location) }
            if lhs == .min && rhs == -1 { return op == "/" ? lhs : 0 }
            return op == "/" ? lhs / rhs : lhs % rhs
        default: throw EvaluationError(message: "unknown operator \(op)", location: location)
        }
    }

    private mutating func unary() throws(EvaluationError) -> Int64 {
        try enter()
        defer { depth -= 1 }
        guard let token = current else { throw error("expected an expression, found the end") }
        if token.kind == .punctuator {
            switch token.text {
            case "+":
                position += 1
                return try unary()
            case "-":
                position += 1
                return 0 &- (try unary())
            case "~":
                position += 1
                return ~(try unary())
            case "!":
                position += 1
                return try unary() == 0 ? 1 : 0
            case "(":
                if let cast = castType() {
                    position = cast.end
                    let value = try unary()
                    guard let integer = resolver?.integerType(tokens[cast.range]) else { return value }
                    return Self.truncate(value, bytes: integer.bytes, signed: integer.signed)
                }
                position += 1
                let value = try conditional()
                try expect(")")
                return value
            default: break
            }
        }
        return try postfix()
    }

    static func truncate(_ value: Int64, bytes: Int, signed: Bool) -> Int64 {
        guard bytes > 0 && bytes < 8 else { return value }
        let bits = UInt64(bytes * 8)
        let mask = (UInt64(1) << bits) - 1
        let truncated = UInt64(bitPattern: value) & mask
        if signed && truncated & (UInt64(1) << (bits - 1)) != 0 {
            return Int64(bitPattern: truncated | ~mask)
        }
        return Int64(bitPattern: truncated)
    }

    /// `(TYPE)` at the current position: the range of the type's tokens and where the operand starts.
    private func castType() -> (range: Range<Int>, end: Int)? {
        guard isMark("("), let close = matchingParenthesis(from: position) else { return nil }
        let inner = (position + 1)..<close
        guard !inner.isEmpty, isTypeName(tokens[inner]), close + 1 < tokens.count else { return nil }
        return (inner, close + 1)
    }

    private static let typeWords: Set<String> = [
        "int", "unsigned", "signed", "char", "short", "long", "void", "_Bool", "bool", "float", "double",
        "const", "volatile", "struct", "union", "enum",
    ]

    private func isTypeName(_ range: ArraySlice<CToken>) -> Bool {
        guard let first = range.first, first.kind == .identifier else { return false }
        if Self.typeWords.contains(first.text) { return true }
        if ["typeof", "__typeof__", "__typeof", "typeof_field"].contains(first.text) { return true }
        guard resolver?.isTypeName(first.text) == true else { return false }
        return range.dropFirst().allSatisfy { $0.isPunctuator("*") || $0.kind == .identifier }
    }

    private func matchingParenthesis(from open: Int) -> Int? {
        var depth = 0
        var index = open
        while index < tokens.count {
            if tokens[index].isPunctuator("(") { depth += 1 }
            if tokens[index].isPunctuator(")") {
                depth -= 1
                if depth == 0 { return index }
            }
            index += 1
        }
        return nil
    }

    /// The tokens between the parentheses that follow the current token (a built-in's argument).
    private mutating func parenthesizedArgument() throws(EvaluationError) -> Range<Int> {
        position += 1
        guard isMark("("), let close = matchingParenthesis(from: position) else { throw error("expected '('") }
        let range = (position + 1)..<close
        position = close + 1
        return range
    }

    private func splitArguments(_ range: Range<Int>) -> [Range<Int>] {
        var parts: [Range<Int>] = []
        var depth = 0
        var start = range.lowerBound
        for index in range {
            let token = tokens[index]
            if token.isPunctuator("(") || token.isPunctuator("[") || token.isPunctuator("{") { depth += 1 }
            if token.isPunctuator(")") || token.isPunctuator("]") || token.isPunctuator("}") { depth -= 1 }
            if depth == 0 && token.isPunctuator(",") {
                parts.append(start..<index)
                start = index + 1
            }
        }
        parts.append(start..<range.upperBound)
        return parts
    }

    private mutating func postfix() throws(EvaluationError) -> Int64 {
        guard let token = current else { throw error("expected an expression") }
        switch token.kind {
        case .number:
            position += 1
            guard let value = Self.integerLiteral(token.text) else {
                // A floating constant: its integer part (as a cast would give).
                if let double = Double(token.text.filter { !"fFlL".contains($0) }) { return Int64(double) }
                throw EvaluationError(message: "'\(token.text)' is not an integer", location: token.location)
            }
            return value
        case .character:
            position += 1
            guard let value = Self.characterLiteral(token.text) else {
                throw EvaluationError(message: "bad character constant \(token.text)", location: token.location)
            }
            return value
        case .identifier:
            return try identifier(token)
        default:
            throw EvaluationError(message: "expected an expression, found '\(token.text)'", location: token.location)
        }
    }

    private mutating func identifier(_ token: CToken) throws(EvaluationError) -> Int64 {
        switch token.text {
        case "sizeof", "_Alignof", "__alignof__", "alignof":
            let isSize = token.text == "sizeof"
            let range: Range<Int>
            if isMark("(", offset: 1) {
                range = try parenthesizedArgument()
            } else {
                // sizeof EXPRESSION without parentheses: the rest of a unary expression.
                position += 1
                let start = position
                while position < tokens.count,
                    tokens[position].kind == .identifier || isMark(".")
                        || isMark("->") || isMark("[") || isMark("]") || tokens[position].kind == .number
                {
                    position += 1
                }
                range = start..<position
            }
            let value = isSize ? resolver?.size(of: tokens[range]) : resolver?.alignment(of: tokens[range])
            guard let value else {
                throw EvaluationError(
                    message: "cannot tell \(token.text)(\(Array(tokens[range]).spelled))", location: token.location)
            }
            return Int64(value)
        case "offsetof", "__builtin_offsetof":
            let parts = splitArguments(try parenthesizedArgument())
            guard parts.count == 2, let value = resolver?.offset(ofMember: tokens[parts[1]], in: tokens[parts[0]])
            else { throw EvaluationError(message: "cannot tell this offsetof", location: token.location) }
            return Int64(value)
        case "ARRAY_SIZE", "G_N_ELEMENTS":
            let range = try parenthesizedArgument()
            guard let value = resolver?.arrayCount(of: tokens[range]) else {
                throw EvaluationError(
                    message: "cannot tell ARRAY_SIZE(\(Array(tokens[range]).spelled))", location: token.location)
            }
            return Int64(value)
        case "MIN", "MAX", "MIN_CONST", "MAX_CONST":
            let parts = splitArguments(try parenthesizedArgument())
            guard parts.count == 2 else {
                throw EvaluationError(message: "\(token.text) takes two values", location: token.location)
            }
            let a = try nested(parts[0])
            let b = try nested(parts[1])
            return token.text.hasPrefix("MIN") ? min(a, b) : max(a, b)
        case "QEMU_BUILD_BUG_ON_ZERO", "__builtin_types_compatible_p":
            _ = try parenthesizedArgument()
            return 0
        case "__builtin_constant_p":
            _ = try parenthesizedArgument()
            return 1
        case "__builtin_choose_expr":
            let parts = splitArguments(try parenthesizedArgument())
            guard parts.count == 3 else {
                throw EvaluationError(message: "__builtin_choose_expr takes three values", location: token.location)
            }
            let choice = try nested(parts[0])
            return try nested(choice != 0 ? parts[1] : parts[2])
        case "true":
            position += 1
            return 1
        case "false":
            position += 1
            return 0
        default:
            position += 1
            if let value = resolver?.constant(named: token.text) { return value }
            if unknownIdentifiersAreZero {
                // A function-like use of an unknown name in #if (`__has_attribute(x)`) is 0 too.
                if isMark("("), let close = matchingParenthesis(from: position) { position = close + 1 }
                return 0
            }
            throw EvaluationError(message: "'\(token.text)' is not a known constant", location: token.location)
        }
    }

    /// A sub-expression (a built-in's argument), evaluated on its own within the same depth budget.
    private func nested(_ range: Range<Int>) throws(EvaluationError) -> Int64 {
        var evaluator = CConstantEvaluator(
            tokens: Array(tokens[range]), resolver: resolver, unknownIdentifiersAreZero: unknownIdentifiersAreZero)
        evaluator.depth = depth + 1
        switch evaluator.evaluateAll() {
        case .success(let value): return value
        case .failure(let error): throw error
        }
    }
}
