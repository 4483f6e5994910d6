import VMState

/// A scenario file as written: struct declarations, VMSDs (macros or explicit fields),
/// devices with their source and destination state, profiles and stated expectations.
/// `ScenarioBuilder` turns it into engine definitions and heaps for a profile.
public struct ScenarioDocument: Sendable {
    public var file: String
    public var title: String?
    public var notes: [String] = []
    public var sourceProfile: String?
    public var destProfile: String?
    public var structs: [StructDecl] = []
    public var tests: [String: Expression] = [:]
    /// `const NAME = VALUE`: named integers (C `#define`s and enumerators) that array sizes,
    /// counts and member indices may use.
    public var constants: [String: Int64] = [:]
    public var vmsds: [VMSDDecl] = []
    public var devices: [DeviceDecl] = []
    public var expectations: [Expectation] = []

    public init(file: String) { self.file = file }
}

/// A C type as written: `NvmeQueue **`, `uint8_t[16]`.
public indirect enum TypeExpr: Sendable, Hashable, CustomStringConvertible {
    case named(String)
    case pointer(TypeExpr)
    case array(TypeExpr, count: Expression)

    public var description: String {
        switch self {
        case .named(let name): name
        case .pointer(let pointee): "\(pointee) *"
        case .array(let element, let count): "\(element)[\(count)]"
        }
    }
}

public struct StructDecl: Sendable {
    public var name: String
    public var isUnion: Bool
    public var members: [(name: String, type: TypeExpr, location: SourceLocation)]
    public var location: SourceLocation
}

/// One argument of a macro, kept as tokens: the macro decides whether it is a name, a
/// number, a type or a test.
public struct MacroArgument: Sendable, Hashable, CustomStringConvertible {
    public var tokens: [Token]
    public var location: SourceLocation

    public var description: String {
        var text = ""
        var previous: Token?
        for token in tokens {
            if let previous, Self.needsSpace(previous, token) { text += " " }
            text += token.text
            previous = token
        }
        return text
    }

    static func needsSpace(_ left: Token, _ right: Token) -> Bool {
        switch (left.kind, right.kind) {
        case (.identifier, .identifier), (.identifier, .integer), (.integer, .identifier): true
        case (.punctuation(let mark), _) where [",", "|", "&&", "||"].contains(mark): true
        case (_, .punctuation(let mark)) where ["|", "&&", "||"].contains(mark): true
        default: false
        }
    }

    /// The argument as a single identifier, if it is one.
    public var identifier: String? {
        if tokens.count == 1, case .identifier(let name) = tokens[0].kind { return name }
        return nil
    }
}

/// `key value` inside a field's `{ }`: an explicit member or an override of a macro's.
public struct FieldSetting: Sendable {
    public var key: String
    public var value: MacroArgument
    public var location: SourceLocation
}

public enum FieldDecl: Sendable {
    case macro(name: String, arguments: [MacroArgument], settings: [FieldSetting], location: SourceLocation)
    case explicit(name: String, settings: [FieldSetting], location: SourceLocation)

    public var location: SourceLocation {
        switch self {
        case .macro(_, _, _, let location), .explicit(_, _, let location): location
        }
    }
}

public struct VMSDDecl: Sendable {
    public var name: String
    /// The C variable name (`vmstate_nvme_queue`) macros may use to refer to it.
    public var alias: String?
    public var structType: String?
    public var versionID = 0
    public var minimumVersionID = 0
    public var fields: [FieldDecl] = []
    public var subsections: [(name: String, location: SourceLocation)] = []
    public var needed: Expression?
    public var preLoad: Hook?
    public var postLoad: Hook?
    public var preSave: Hook?
    public var postSave: Hook?
    public var priority = 0
    public var unmigratable = false
    public var earlySetup = false
    public var terminatorRawFlags: UInt32?
    public var location: SourceLocation
}

/// A value in a `source { }` or `dest { }` block.
public indirect enum ValueExpr: Sendable, Hashable {
    case integer(Int64)
    case boolean(Bool)
    case null
    case string(String)
    case bytes([UInt8])
    /// `{ a = 1, b = 2 }` or `{ 1, 2 }`.
    case aggregate([(name: String?, value: ValueExpr)])
    /// `new T`, `new T { ... }`, `new T[n]`, `new T[n] [ ... ]`.
    case new(TypeExpr, count: Expression?, initial: ValueExpr?)
    /// `qtailq(link) [ new E {..}, ... ]`, `qlist(link) [...]`: a list threaded through member `link`.
    case list(kind: ListKind, link: String, elements: [ValueExpr])
    /// `gtree [ key: value, ... ]`.
    case tree([(key: ValueExpr, value: ValueExpr)])
    /// `&member.path`: the address of a member of the same struct.
    case address([MemberStep])

    public static func == (lhs: ValueExpr, rhs: ValueExpr) -> Bool { "\(lhs)" == "\(rhs)" }
    public func hash(into hasher: inout Hasher) { hasher.combine("\(self)") }
}

public enum ListKind: String, Sendable, Hashable {
    case qtailq, qlist
}

public struct Assignment: Sendable {
    public var target: [MemberStep]
    public var value: ValueExpr
    public var location: SourceLocation
}

public struct DeviceDecl: Sendable {
    public var vmsd: String
    public var idstr: String?
    public var instanceID = 0
    public var source: [Assignment] = []
    public var dest: [Assignment] = []
    /// Raw bytes to load instead of what the source saves.
    public var stream: [UInt8]?
    /// The version to load at (QEMU's tests pass it); default the VMSD's own.
    public var loadVersion: Int?
    public var location: SourceLocation
}

/// `expect auto-alloc: assert "..."`: what a sample says happens under a profile (pair).
public struct Expectation: Sendable {
    public var sourceProfile: String
    public var destProfile: String
    public var facts: [ExpectedFact]
    public var location: SourceLocation
}

public enum ExpectedFact: Sendable, Hashable, CustomStringConvertible {
    case success
    /// The load fails with this message (the one a user reads first).
    case error(String)
    case assertion(String?)
    case fault
    case checkPasses
    case checkFails(String?)
    case leaks(Int)
    case allocations(Int)
    /// The saved wire bytes, hex.
    case bytes([UInt8])
    /// The stream's error at the end; 0 for none.
    case streamError(Int)
    /// The load returned this code (7.2 often says nothing at all).
    case failure(Int)
    /// After the load, the destination member at `path` holds `value`.
    case value(String, Int64)

    public var description: String {
        switch self {
        case .success: "success"
        case .error(let message): "error \"\(message)\""
        case .assertion(let condition): condition.map { "assert \"\($0)\"" } ?? "assert"
        case .fault: "fault"
        case .checkPasses: "check passes"
        case .checkFails(let rule): rule.map { "check fails \($0)" } ?? "check fails"
        case .leaks(let count): "leaks \(count)"
        case .allocations(let count): "allocations \(count)"
        case .bytes(let bytes): "bytes \"\(bytes.map { String($0, radix: 16) }.joined(separator: " "))\""
        case .streamError(let code): "stream_error \(code)"
        case .failure(let code): "failure \(code)"
        case .value(let path, let value): "value \(path) = \(value)"
        }
    }
}
