/// A small C-like expression over the members of the opaque struct: what vmscope runs in
/// place of QEMU's `field_exists`, `needed` and hook callbacks.
public indirect enum Expression: Sendable, Hashable, CustomStringConvertible {
    case integer(Int64)
    case boolean(Bool)
    /// `a.b[2].c`: members of the opaque struct; `.` on a pointer dereferences it.
    case member([MemberStep])
    /// The `version_id` argument of `field_exists` and `post_load`.
    case versionID
    /// A C callback vmscope cannot run, reduced to a switch: `needed` → true unless toggled.
    case callbackSwitch(name: String, value: Bool)
    case unary(UnaryOperator, Expression)
    case binary(BinaryOperator, Expression, Expression)
    case conditional(Expression, Expression, Expression)

    public var description: String {
        switch self {
        case .integer(let value): String(value)
        case .boolean(let value): value ? "true" : "false"
        case .member(let steps): MemberStep.render(steps)
        case .versionID: "version_id"
        case .callbackSwitch(let name, let value): "\(name)() = \(value)"
        case .unary(let op, let operand): op.rawValue + operand.parenthesized
        case .binary(let op, let lhs, let rhs): "\(lhs.parenthesized) \(op.rawValue) \(rhs.parenthesized)"
        case .conditional(let test, let yes, let no):
            "\(test.parenthesized) ? \(yes.parenthesized) : \(no.parenthesized)"
        }
    }

    private var parenthesized: String {
        switch self {
        case .binary, .conditional: "(\(description))"
        default: description
        }
    }
}

public enum MemberStep: Sendable, Hashable {
    case name(String)
    case index(Expression)

    public static func render(_ steps: [MemberStep]) -> String {
        var text = ""
        for step in steps {
            switch step {
            case .name(let name): text += text.isEmpty ? name : "." + name
            case .index(let index): text += "[\(index)]"
            }
        }
        return text
    }
}

public enum UnaryOperator: String, Sendable, Hashable {
    case not = "!"
    case negate = "-"
    case complement = "~"
}

public enum BinaryOperator: String, Sendable, Hashable, CaseIterable {
    case multiply = "*"
    case divide = "/"
    case remainder = "%"
    case add = "+"
    case subtract = "-"
    case shiftLeft = "<<"
    case shiftRight = ">>"
    case less = "<"
    case lessEqual = "<="
    case greater = ">"
    case greaterEqual = ">="
    case equal = "=="
    case notEqual = "!="
    case bitAnd = "&"
    case bitXor = "^"
    case bitOr = "|"
    case and = "&&"
    case or = "||"

    /// C precedence, higher binds tighter.
    public var precedence: Int {
        switch self {
        case .multiply, .divide, .remainder: 10
        case .add, .subtract: 9
        case .shiftLeft, .shiftRight: 8
        case .less, .lessEqual, .greater, .greaterEqual: 7
        case .equal, .notEqual: 6
        case .bitAnd: 5
        case .bitXor: 4
        case .bitOr: 3
        case .and: 2
        case .or: 1
        }
    }
}

/// One statement of a hook body.
public enum Statement: Sendable, Hashable, CustomStringConvertible {
    case assign([MemberStep], Expression)
    case `return`(Expression)
    /// Fail an `Error **errp` hook with this message (`error_setg(errp, ...)`; return false).
    case fail(String)
    /// `member = new T`: a zeroed allocation (`g_new0`, `g_tree_new`) stored in a pointer member.
    case allocate([MemberStep], CType)

    public var description: String {
        switch self {
        case .assign(let target, let value): "\(MemberStep.render(target)) = \(value)"
        case .return(let value): "return \(value)"
        case .fail(let message): "error \"\(message)\""
        case .allocate(let target, let type): "\(MemberStep.render(target)) = new \(type)"
        }
    }
}

/// A `pre_load`, `post_load`, `pre_save` or `post_save` hook as data.
public struct Hook: Sendable, Hashable, CustomStringConvertible {
    public var statements: [Statement]
    /// The `*_errp` variant (bool + `Error **`) rather than the int-returning one.
    public var usesErrp: Bool
    /// The C function this stands in for, when imported from C.
    public var callbackName: String?

    public init(statements: [Statement], usesErrp: Bool = false, callbackName: String? = nil) {
        self.statements = statements
        self.usesErrp = usesErrp || statements.contains { if case .fail = $0 { true } else { false } }
        self.callbackName = callbackName
    }

    public var description: String {
        statements.isEmpty ? "{ }" : "{ " + statements.map(\.description).joined(separator: "; ") + " }"
    }
}
