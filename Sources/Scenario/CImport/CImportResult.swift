import VMState

/// What `vmscope import` made of the C files: the scenario, the messages, the VMSDs found and
/// the C callbacks that became switches.
public struct CImportResult: Sendable {
    /// The scenario (structs, VMSDs, devices with their source and destination state); nil when
    /// the import was asked only for descriptions.
    public var document: ScenarioDocument?
    public var diagnostics: [CDiagnostic]
    /// Every VMSD defined in the given files, in file order.
    public var vmsds: [CImportedVMSD]
    /// The C callbacks vmscope cannot run, as named switches.
    public var switches: [CCallbackSwitch]
    /// `--describe`: one `Description` per VMSD, in the shape of QEMU's `-dump-vmstate`.
    public var descriptionJSON: String

    /// True when a file could not be read or a VMState initializer has a syntax error.
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }

    /// The scenario, ready to build and run.
    public var scenario: Scenario? { document.map(Scenario.init(document:)) }
}

/// A VMSD found in the C files.
public struct CImportedVMSD: Sendable, Hashable {
    /// The C variable (`vmstate_e1000`).
    public var cName: String
    /// Its `.name` (`e1000`), as the scenario and the stream know it.
    public var name: String
    public var file: String
    public var line: Int
    /// The struct its fields describe, when vmscope could tell.
    public var structType: String?
    public var fieldCount: Int
    /// Fields that stand in for something vmscope could not read (an unknown macro).
    public var placeholderCount: Int
    /// Not a subsection or nested VMSD of another one here: a device of the scenario.
    public var isRoot: Bool
}

/// A C callback reduced to a switch: `needed` and `field_exists` return true, hooks return 0,
/// until an edit says otherwise (`FieldEdit.Change.callback`, `.needed`, `.hookReturns`).
public struct CCallbackSwitch: Sendable, Hashable, CustomStringConvertible {
    public enum Kind: Sendable, Hashable {
        case needed
        case fieldExists(field: Int, name: String)
        case hook(HookKind)
    }

    public var vmsd: String
    public var kind: Kind
    /// The C function's name.
    public var function: String
    public var file: String
    public var line: Int

    public var description: String {
        switch kind {
        case .needed: "\(vmsd): needed = \(function)() -> true"
        case .fieldExists(let index, let name): "\(vmsd).\(name) (field \(index)): field_exists = \(function)() -> true"
        case .hook(let hook): "\(vmsd): \(hook.rawValue) = \(function)() -> 0"
        }
    }
}
