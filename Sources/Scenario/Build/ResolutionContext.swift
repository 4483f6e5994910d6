import VMState

/// What resolving macros and values needs: the types, the VMSD names and C aliases, the
/// declared tests and constants, and the profile the C "compiles" for.
struct ResolutionContext {
    let file: String
    let types: TypeTable
    let vmsdAliases: [String: String]
    let tests: [String: Expression]
    let constants: [String: Int64]
    let profile: Profile
    var vmsdArrays: [String: [String]] = [:]

    func error(_ message: String, at location: SourceLocation) -> ScenarioError {
        ScenarioError(file: file, location: location, message: message)
    }

    // MARK: Arguments

    func expression(_ argument: MacroArgument) throws(ScenarioError) -> Expression {
        try ScenarioParser.parseExpression(argument.tokens, file: file, at: argument.location)
    }

    /// An argument as a constant integer: numbers, #define names, `sizeof(T)`, arithmetic.
    func constant(_ argument: MacroArgument) throws(ScenarioError) -> Int64 {
        if let first = argument.tokens.first, case .identifier("sizeof") = first.kind {
            let inner = MacroArgument(
                tokens: Array(argument.tokens.dropFirst(2).dropLast()), location: argument.location)
            return Int64(try size(ofType: inner))
        }
        return try evaluateConstant(try expression(argument), at: argument.location)
    }

    func evaluateConstant(_ expression: Expression, at location: SourceLocation) throws(ScenarioError) -> Int64 {
        switch expression {
        case .integer(let value): return value
        case .boolean(let value): return value ? 1 : 0
        case .member(let steps):
            if steps.count == 1, case .name(let name) = steps[0], let value = constants[name] { return value }
            throw error("'\(MemberStep.render(steps))' is not a constant", at: location)
        case .unary(let op, let operand):
            let value = try evaluateConstant(operand, at: location)
            switch op {
            case .not: return value == 0 ? 1 : 0
            case .negate: return 0 &- value
            case .complement: return ~value
            }
        case .binary, .conditional:
            // Constants have no members: evaluate on an empty heap.
            let substituted = try substituteConstants(expression, at: location)
            let evaluator = ExpressionEvaluator(heap: Heap(), types: types, opaque: 0, structType: nil, versionID: 0)
            do {
                return try evaluator.evaluate(substituted)
            } catch {
                throw self.error("cannot evaluate '\(expression)': \(error)", at: location)
            }
        case .versionID, .callbackSwitch:
            throw error("'\(expression)' is not a constant", at: location)
        }
    }

    private func substituteConstants(_ expression: Expression, at location: SourceLocation) throws(ScenarioError)
        -> Expression
    {
        switch expression {
        case .member: return .integer(try evaluateConstant(expression, at: location))
        case .unary(let op, let operand): return .unary(op, try substituteConstants(operand, at: location))
        case .binary(let op, let lhs, let rhs):
            return .binary(op, try substituteConstants(lhs, at: location), try substituteConstants(rhs, at: location))
        case .conditional(let test, let yes, let no):
            return .conditional(
                try substituteConstants(test, at: location), try substituteConstants(yes, at: location),
                try substituteConstants(no, at: location))
        default: return expression
        }
    }

    /// An argument as a C type: `uint32_t`, `NvmeQueue *`, `uint8_t[16]`.
    func type(_ argument: MacroArgument) throws(ScenarioError) -> CType {
        var words: [String] = []
        var pointers = 0
        var dimensions: [Int] = []
        var index = 0
        let tokens = argument.tokens
        while index < tokens.count {
            switch tokens[index].kind {
            case .identifier(let word) where !["const", "struct", "union", "enum", "volatile"].contains(word):
                words.append(word)
            case .identifier: break
            case .punctuation("*"): pointers += 1
            case .punctuation("["):
                var inner: [Token] = []
                index += 1
                while index < tokens.count, tokens[index].kind != .punctuation("]") {
                    inner.append(tokens[index])
                    index += 1
                }
                dimensions.append(Int(try constant(MacroArgument(tokens: inner, location: argument.location))))
            default:
                throw error("expected a C type, found '\(argument)'", at: argument.location)
            }
            index += 1
        }
        guard !words.isEmpty else { throw error("expected a C type, found '\(argument)'", at: argument.location) }
        var type = CTypeNames.type(named: words.joined(separator: " "))
        for _ in 0..<pointers { type = .pointer(type) }
        for dimension in dimensions.reversed() { type = .array(type, count: dimension) }
        return type
    }

    func size(ofType argument: MacroArgument) throws(ScenarioError) -> Int {
        let type = try self.type(argument)
        do {
            return try types.size(of: type)
        } catch {
            throw self.error(
                "unknown type '\(argument)' (declare it with 'struct \(argument) { ... }')",
                at: argument.location)
        }
    }

    /// An argument as a member path (`env.regs`, `queues[2]`).
    func memberPath(_ argument: MacroArgument) throws(ScenarioError) -> [MemberStep] {
        let parsed = try expression(argument)
        // A member called `version_id` (PCIDevice has one) reads as the callback argument.
        if case .versionID = parsed { return [.name("version_id")] }
        guard case .member(let steps) = parsed else {
            throw error("expected a struct member, found '\(argument)'", at: argument.location)
        }
        return steps
    }

    /// offsetof(type, path) and the member's type.
    func locate(_ path: [MemberStep], in structName: String, at location: SourceLocation) throws(ScenarioError)
        -> (offset: Int, type: CType)
    {
        var offset = 0
        var type = CType.named(structName)
        for step in path {
            switch step {
            case .name(let name):
                guard case .named(let typeName) = type, let layout = types[typeName] else {
                    throw error("'\(type)' is not a struct, so it has no member '\(name)'", at: location)
                }
                guard let member = layout.member(named: name) else {
                    throw error("struct \(typeName) has no member '\(name)'", at: location)
                }
                offset += member.offset
                type = member.type
            case .index(let indexExpression):
                guard case .array(let element, _) = type else {
                    throw error("'\(MemberStep.render(path))' indexes something that is not an array", at: location)
                }
                let index = try evaluateConstant(indexExpression, at: location)
                offset += Int(index) * ((try? types.size(of: element)) ?? 0)
                type = element
            }
        }
        return (offset, type)
    }

    /// A VMSD reference: `"nvme-queue"`, `vmstate_nvme_queue` or `&vmstate_nvme_queue`.
    func vmsdName(_ argument: MacroArgument) throws(ScenarioError) -> String {
        var tokens = argument.tokens
        if let first = tokens.first, case .punctuation("&") = first.kind { tokens.removeFirst() }
        guard tokens.count == 1 else { throw error("expected a VMSD, found '\(argument)'", at: argument.location) }
        switch tokens[0].kind {
        case .string(let name): return name
        case .identifier(let name): return vmsdAliases[name] ?? name
        default: throw error("expected a VMSD, found '\(argument)'", at: argument.location)
        }
    }

    /// A pair of VMSDs written `{ "value", "key" }` (the gtree macros' array), or the C name of
    /// such an array declared with `vmsd_array NAME { "value", "key" }`.
    func vmsdPair(_ argument: MacroArgument) throws(ScenarioError) -> [String] {
        if let name = argument.identifier, let pair = vmsdArrays[name] { return pair }
        var names: [String] = []
        var current: [Token] = []
        for token in argument.tokens {
            switch token.kind {
            case .punctuation("{"): continue
            case .punctuation(","), .punctuation("}"):
                if !current.isEmpty {
                    names.append(try vmsdName(MacroArgument(tokens: current, location: argument.location)))
                }
                current = []
            default: current.append(token)
            }
        }
        guard names.count == 2 else {
            throw error("expected two VMSDs { \"value\", \"key\" }, found '\(argument)'", at: argument.location)
        }
        return names
    }

    /// A test (`field_exists`): NULL, a declared test, an expression in braces, or a C function
    /// vmscope cannot run (a switch that defaults to true).
    func test(_ argument: MacroArgument) throws(ScenarioError) -> Expression? {
        var tokens = argument.tokens
        if tokens.count == 1, case .identifier(let name) = tokens[0].kind {
            if name == "NULL" { return nil }
            if let declared = tests[name] { return declared }
            return .callbackSwitch(name: name, value: true)
        }
        if let first = tokens.first, case .punctuation("{") = first.kind, let last = tokens.last,
            case .punctuation("}") = last.kind
        {
            tokens = Array(tokens.dropFirst().dropLast())
        }
        return try ScenarioParser.parseExpression(tokens, file: file, at: argument.location)
    }

    func text(_ argument: MacroArgument) -> String? {
        if argument.tokens.count == 1 {
            switch argument.tokens[0].kind {
            case .string(let value): return value
            case .identifier("NULL"): return nil
            default: break
            }
        }
        return argument.description
    }

    /// `VMS_POINTER|ALLOC`, or a raw number decoded with the profile's values.
    func flags(_ argument: MacroArgument) throws(ScenarioError) -> FieldFlags {
        var flags = FieldFlags()
        for token in argument.tokens {
            switch token.kind {
            case .identifier(let name):
                guard let flag = FieldFlag(name: name) else {
                    throw error(
                        "unknown flag '\(name)'; flags are \(FieldFlag.allCases.map(\.shortName).joined(separator: ", "))",
                        at: token.location)
                }
                flags.insert(flag)
            case .integer(let raw):
                let decoded = profile.flags(fromRaw: UInt32(truncatingIfNeeded: raw))
                if decoded.unknownBits != 0 {
                    throw error(
                        "0x\(String(decoded.unknownBits, radix: 16)) is no flag in \(profile.name)",
                        at: token.location)
                }
                flags = flags.union(decoded.flags)
            case .punctuation("|"): continue
            default: throw error("expected flag names joined by '|', found '\(token.text)'", at: token.location)
            }
        }
        return flags
    }

    func info(_ name: String) -> VMStateInfo {
        var name = name
        if name.hasPrefix("&") { name.removeFirst() }
        if name.hasPrefix("vmstate_info_") { name.removeFirst("vmstate_info_".count) }
        switch name {
        case "cpudouble": return .cpuDouble
        case "unused_buffer": return .unusedBuffer
        case "ptr_marker": return .nullptr
        case "gbytearray", "g_byte_array": return .gByteArray
        default: return VMStateInfo(name: name)
        }
    }
}
