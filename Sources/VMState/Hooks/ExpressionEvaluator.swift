/// Evaluates hook and test expressions against the simulated heap.
public struct ExpressionEvaluator {
    public let heap: Heap
    public let types: TypeTable
    /// The opaque pointer the callback receives.
    public let opaque: UInt64
    /// The struct it points to.
    public let structType: String?
    public let versionID: Int

    public init(heap: Heap, types: TypeTable, opaque: UInt64, structType: String?, versionID: Int) {
        self.heap = heap
        self.types = types
        self.opaque = opaque
        self.structType = structType
        self.versionID = versionID
    }

    public enum EvaluationError: Error, Equatable, CustomStringConvertible {
        case noStructType(String)
        case unknownMember(String, in: String)
        case notAStruct(String)
        case notAnArray(String)
        case notAScalar(String)
        case fault(address: UInt64, what: String)
        case divisionByZero

        public var description: String {
            switch self {
            case .noStructType(let name): "'\(name)': the VMSD names no struct type"
            case .unknownMember(let name, let type): "'\(type)' has no member '\(name)'"
            case .notAStruct(let path): "'\(path)' is not a struct"
            case .notAnArray(let path): "'\(path)' is not an array or pointer"
            case .notAScalar(let path): "'\(path)' is not a number"
            case .fault(let address, let what): "reading \(what) at 0x\(String(address, radix: 16)) faults"
            case .divisionByZero: "division by zero"
            }
        }
    }

    public func evaluate(_ expression: Expression) throws(EvaluationError) -> Int64 {
        switch expression {
        case .integer(let value): return value
        case .boolean(let value): return value ? 1 : 0
        case .versionID: return Int64(versionID)
        case .callbackSwitch(_, let value): return value ? 1 : 0
        case .member(let steps):
            let (address, type) = try locate(steps)
            return try load(address, type: type, what: MemberStep.render(steps))
        case .unary(let op, let operand):
            let value = try evaluate(operand)
            switch op {
            case .not: return value == 0 ? 1 : 0
            case .negate: return 0 &- value
            case .complement: return ~value
            }
        case .binary(let op, let lhs, let rhs):
            let left = try evaluate(lhs)
            // && and || short-circuit as in C.
            if op == .and, left == 0 { return 0 }
            if op == .or, left != 0 { return 1 }
            let right = try evaluate(rhs)
            switch op {
            case .multiply: return left &* right
            case .divide:
                guard right != 0 else { throw .divisionByZero }
                return left.dividedReportingOverflow(by: right).partialValue
            case .remainder:
                guard right != 0 else { throw .divisionByZero }
                return left.remainderReportingOverflow(dividingBy: right).partialValue
            case .add: return left &+ right
            case .subtract: return left &- right
            case .shiftLeft: return left << (right & 63)
            case .shiftRight: return left >> (right & 63)
            case .less: return left < right ? 1 : 0
            case .lessEqual: return left <= right ? 1 : 0
            case .greater: return left > right ? 1 : 0
            case .greaterEqual: return left >= right ? 1 : 0
            case .equal: return left == right ? 1 : 0
            case .notEqual: return left != right ? 1 : 0
            case .bitAnd: return left & right
            case .bitXor: return left ^ right
            case .bitOr: return left | right
            case .and, .or: return right != 0 ? 1 : 0
            }
        case .conditional(let test, let yes, let no):
            return try evaluate(test) != 0 ? evaluate(yes) : evaluate(no)
        }
    }

    /// The address and type of a member path, dereferencing pointers on the way.
    public func locate(_ steps: [MemberStep]) throws(EvaluationError) -> (UInt64, CType) {
        guard let structType else {
            throw .noStructType(MemberStep.render(steps))
        }
        var address = opaque
        var type = CType.named(structType)
        var walked: [MemberStep] = []
        for step in steps {
            let here = MemberStep.render(walked)
            switch step {
            case .name(let name):
                if case .pointer(let pointee) = type {
                    address = try pointer(at: address, what: here)
                    type = pointee
                }
                guard case .named(let typeName) = type, let layout = types[typeName] else {
                    throw .notAStruct(here.isEmpty ? name : here)
                }
                guard let member = layout.member(named: name) else {
                    throw .unknownMember(name, in: typeName)
                }
                address &+= UInt64(member.offset)
                type = member.type
            case .index(let indexExpression):
                let index = try evaluate(indexExpression)
                switch type {
                case .array(let element, _):
                    address &+= UInt64(bitPattern: index &* Int64(size(of: element)))
                    type = element
                case .pointer(let element):
                    address =
                        try pointer(at: address, what: here) &+ UInt64(bitPattern: index &* Int64(size(of: element)))
                    type = element
                default:
                    throw .notAnArray(here)
                }
            }
            walked.append(step)
        }
        return (address, type)
    }

    private func size(of type: CType) -> Int {
        (try? types.size(of: type)) ?? 1
    }

    private func pointer(at address: UInt64, what: String) throws(EvaluationError) -> UInt64 {
        guard let value = heap.readPointer(address) else { throw .fault(address: address, what: what) }
        return value
    }

    func load(_ address: UInt64, type: CType, what: String) throws(EvaluationError) -> Int64 {
        let width: Int
        var signed = false
        switch type {
        case .integer(let bytes, let isSigned):
            width = bytes
            signed = isSigned
        case .bool: width = 1
        case .pointer: width = 8
        default: throw .notAScalar(what)
        }
        guard let raw = heap.readUnsigned(address, width: width) else { throw .fault(address: address, what: what) }
        if signed, width < 8 {
            let shift = UInt64(64 - width * 8)
            return Int64(bitPattern: raw << shift) >> Int64(shift)
        }
        return Int64(bitPattern: raw)
    }

    /// The bytes to store `value` into a scalar of `type`.
    func encode(_ value: Int64, as type: CType, what: String) throws(EvaluationError) -> [UInt8] {
        switch type {
        case .integer(let bytes, _): return Heap.littleEndianBytes(UInt64(bitPattern: value), width: bytes)
        case .bool: return [value != 0 ? 1 : 0]
        case .pointer: return Heap.littleEndianBytes(UInt64(bitPattern: value), width: 8)
        default: throw .notAScalar(what)
        }
    }
}
