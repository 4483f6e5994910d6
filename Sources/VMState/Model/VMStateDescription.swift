/// A `VMStateDescription`: a named, versioned list of fields with optional subsections and hooks.
public struct VMStateDescription: Sendable, Hashable {
    public var name: String
    public var versionID: Int
    public var minimumVersionID: Int
    public var fields: [VMStateField]
    /// Flags of the `VMSTATE_END_OF_LIST()` entry as a raw number, when the scenario gives one
    /// (to show a VMSD built against another header); nil means the profile's `VMS_END`.
    public var terminatorRawFlags: UInt32?
    /// Names of the candidate subsections, in array order.
    public var subsections: [String]
    public var needed: Expression?
    public var preLoad: Hook?
    public var postLoad: Hook?
    public var preSave: Hook?
    public var postSave: Hook?
    public var priority: Int
    public var unmigratable: Bool
    public var earlySetup: Bool
    /// The C struct the opaque points to; hooks and tests read its members.
    public var structType: String?

    /// The name QEMU knows the VMSD by, for its messages and the subsection name check: `name`
    /// without the `#2` that tells apart two VMSDs of one name (nested in a vmdesc, imported
    /// from two C files).
    public var qemuName: String { Self.qemuName(of: name) }

    public static func qemuName(of name: String) -> String {
        guard let hash = name.lastIndex(of: "#"), hash != name.startIndex else { return name }
        let suffix = name[name.index(after: hash)...]
        return !suffix.isEmpty && suffix.allSatisfy(\.isASCII) && suffix.allSatisfy(\.isNumber)
            ? String(name[..<hash]) : name
    }

    public init(
        name: String, versionID: Int = 0, minimumVersionID: Int = 0, fields: [VMStateField] = [],
        terminatorRawFlags: UInt32? = nil, subsections: [String] = [], needed: Expression? = nil,
        preLoad: Hook? = nil, postLoad: Hook? = nil, preSave: Hook? = nil, postSave: Hook? = nil,
        priority: Int = 0, unmigratable: Bool = false, earlySetup: Bool = false, structType: String? = nil
    ) {
        self.name = name
        self.versionID = versionID
        self.minimumVersionID = minimumVersionID
        self.fields = fields
        self.terminatorRawFlags = terminatorRawFlags
        self.subsections = subsections
        self.needed = needed
        self.preLoad = preLoad
        self.postLoad = postLoad
        self.preSave = preSave
        self.postSave = postSave
        self.priority = priority
        self.unmigratable = unmigratable
        self.earlySetup = earlySetup
        self.structType = structType
    }
}

/// The VMSDs and C types one run works with, looked up by name.
///
/// VMSDs refer to each other by name, so a graph that refers to itself is representable;
/// the engine bounds its recursion instead.
public struct Definitions: Sendable, Hashable {
    public private(set) var vmsds: [VMStateDescription]
    private var index: [String: Int]
    public var types: TypeTable

    public init(vmsds: [VMStateDescription] = [], types: TypeTable = TypeTable()) {
        self.vmsds = []
        self.index = [:]
        self.types = types
        for vmsd in vmsds { add(vmsd) }
    }

    public subscript(name: String) -> VMStateDescription? {
        index[name].map { vmsds[$0] }
    }

    /// Adds or replaces a VMSD.
    public mutating func add(_ vmsd: VMStateDescription) {
        if let existing = index[vmsd.name] {
            vmsds[existing] = vmsd
        } else {
            index[vmsd.name] = vmsds.count
            vmsds.append(vmsd)
        }
    }

    /// Edits one VMSD in place (the TUI's flag editor).
    public mutating func update(_ name: String, _ edit: (inout VMStateDescription) -> Void) {
        guard let position = index[name] else { return }
        edit(&vmsds[position])
    }
}

extension VMStateDescription {
    /// The hooks a `HookKind` names, in QEMU's order; `needed` is a callback of its own.
    public static let hookKinds: [HookKind] = [.preLoad, .postLoad, .preSave, .postSave]

    /// The hook of `kind`; nil for `needed`, which is not a hook field.
    public subscript(hook kind: HookKind) -> Hook? {
        get {
            switch kind {
            case .preLoad: preLoad
            case .postLoad: postLoad
            case .preSave: preSave
            case .postSave: postSave
            case .needed: nil
            }
        }
        set {
            switch kind {
            case .preLoad: preLoad = newValue
            case .postLoad: postLoad = newValue
            case .preSave: preSave = newValue
            case .postSave: postSave = newValue
            case .needed: break
            }
        }
    }
}
