import VMState

/// A parsed scenario file: what to build and run, for any profile.
public struct Scenario: Sendable {
    public var document: ScenarioDocument

    public init(parsing text: String, file: String) throws(ScenarioError) {
        document = try ScenarioParser.parse(text, file: file)
    }

    public init(document: ScenarioDocument) {
        self.document = document
    }

    /// The profiles the file asks for, else the default (the seed patch).
    public var profiles: (source: Profile, dest: Profile) {
        (
            document.sourceProfile.flatMap(Profile.named) ?? .default,
            document.destProfile.flatMap(Profile.named) ?? .default
        )
    }

    /// Runs every device: save under `source` (or take the given bytes), load under `dest`, and
    /// the registration checks on both sides.
    public func run(
        source: Profile, dest: Profile, edits: [FieldEdit] = [], limits: EngineLimits = .standard
    ) throws(ScenarioError) -> ScenarioRun {
        var sourceSide = try build(.source, profile: source)
        var destSide = try build(.dest, profile: dest)
        for edit in edits {
            edit.apply(to: &sourceSide.definitions)
            edit.apply(to: &destSide.definitions)
        }
        var runs: [DeviceRun] = []
        var destHeap = destSide.heap
        for (sourceDevice, destDevice) in zip(sourceSide.devices, destSide.devices) {
            var save: Trace?
            var bytes: [UInt8]
            if let given = destDevice.stream {
                bytes = given
            } else {
                let trace = Engine.save(
                    sourceDevice.vmsd, definitions: sourceSide.definitions, heap: sourceSide.heap,
                    opaque: sourceDevice.opaque, profile: source, limits: limits)
                save = trace
                bytes =
                    trace.stream
                    + Self.streamTail(
                        sectionID: runs.count + 1, device: sourceDevice, vmdesc: trace.vmdesc)
            }
            let load = Engine.load(
                destDevice.vmsd, definitions: destSide.definitions, stream: bytes, heap: destHeap,
                opaque: destDevice.opaque, version: destDevice.loadVersion, profile: dest, limits: limits)
            destHeap = load.finalHeap
            runs.append(
                DeviceRun(
                    vmsd: destDevice.vmsd, save: save, load: load,
                    sourceCheck: Engine.check(
                        [sourceDevice.vmsd], definitions: sourceSide.definitions, profile: source),
                    destCheck: Engine.check([destDevice.vmsd], definitions: destSide.definitions, profile: dest)))
        }
        destSide.heap = destHeap
        return ScenarioRun(source: sourceSide, dest: destSide, devices: runs)
    }
}

/// A change to one field after the macros are expanded: what the TUI's flag editor makes.
/// It applies to both sides, as a patch to the VMSD would.
public struct FieldEdit: Sendable, Hashable {
    public var vmsd: String
    public var field: Int
    public var change: Change

    public enum Change: Sendable, Hashable {
        case toggleFlag(FieldFlag)
        case size(Int)
        case num(Int)
        case versionID(Int)
        /// `size_offset`: where VMS_VBUFFER finds the buffer's size.
        case sizeOffset(Int)
        /// `start`: the first byte of a VMS_VBUFFER / partial buffer.
        case start(Int)
        /// A C callback's switch (`needed`, `field_exists`): what it returns.
        case callback(Bool)
        /// What the VMSD's `needed()` returns (the field index is not used): "what if the
        /// subsection is not needed" is `.needed(false)`.
        case needed(Bool)
        /// What the VMSD's hook returns (the field index is not used). A failing `Error **`
        /// hook fails with a message naming its C function.
        case hookReturns(HookKind, Int)
    }

    public init(vmsd: String, field: Int, change: Change) {
        self.vmsd = vmsd
        self.field = field
        self.change = change
    }

    /// An edit of the VMSD itself (`.needed`, `.hookReturns`).
    public init(vmsd: String, change: Change) {
        self.init(vmsd: vmsd, field: -1, change: change)
    }

    public func apply(to definitions: inout Definitions) {
        definitions.update(vmsd) { description in
            switch change {
            case .needed(let value):
                let name = if case .callbackSwitch(let name, _) = description.needed { name } else { "needed" }
                description.needed = .callbackSwitch(name: name, value: value)
                return
            case .hookReturns(let kind, let value):
                Self.setHook(kind, returning: value, in: &description)
                return
            default: break
            }
            guard description.fields.indices.contains(field) else { return }
            switch change {
            case .toggleFlag(let flag): description.fields[field].flags.toggle(flag)
            case .size(let size): description.fields[field].size = size
            case .num(let num): description.fields[field].num = num
            case .versionID(let version): description.fields[field].versionID = version
            case .sizeOffset(let offset): description.fields[field].sizeOffset = offset
            case .start(let start): description.fields[field].start = start
            case .callback(let value):
                if case .callbackSwitch(let name, _) = description.fields[field].fieldExists {
                    description.fields[field].fieldExists = .callbackSwitch(name: name, value: value)
                }
            case .needed, .hookReturns: break
            }
        }
    }

    private static func setHook(_ kind: HookKind, returning value: Int, in description: inout VMStateDescription) {
        guard kind != .needed else { return }
        var hook = description[hook: kind] ?? Hook(statements: [], callbackName: "\(description.name) \(kind.rawValue)")
        let function = hook.callbackName ?? kind.rawValue
        if value == 0 {
            hook.statements = []
        } else if hook.usesErrp {
            hook.statements = [.fail("\(function)() failed")]
        } else {
            hook.statements = [.return(.integer(Int64(value)))]
        }
        description[hook: kind] = hook
    }
}

extension Scenario {
    /// What follows a device's state in a real migration stream: the section footer, EOF and
    /// the vmdesc. The loader's subsection peek may look up to 257 bytes ahead, and in QEMU
    /// those bytes exist, so the scenario's stream has them too.
    static func streamTail(sectionID: Int, device: BuiltDevice, vmdesc: String?) -> [UInt8] {
        var tail: [UInt8] = [0x7e] + bigEndian(UInt32(truncatingIfNeeded: sectionID)) + [0x00]
        var json = CompactJSONWriter()
        json.startObject()
        json.integer("page_size", 4096)
        json.startArray("devices")
        json.startObject()
        json.string("name", device.idstr)
        json.integer("instance_id", device.instanceID)
        let body = Array((vmdesc ?? "{}").utf8.dropFirst().dropLast())
        var text = Array(json.text.utf8)
        if !body.isEmpty { text += Array(", ".utf8) + body }
        text += Array("}]}".utf8)
        tail += [0x06] + bigEndian(UInt32(truncatingIfNeeded: text.count)) + text
        return tail
    }

    static func bigEndian(_ value: UInt32) -> [UInt8] {
        [UInt8(value >> 24), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff)]
    }
}

public struct ScenarioRun: Sendable {
    public var source: BuiltSide
    /// The destination after every load.
    public var dest: BuiltSide
    public var devices: [DeviceRun]

    /// The first device whose load or check failed, else the last one.
    public var focus: DeviceRun? {
        devices.first { !$0.load.outcome.succeeded || !$0.destCheck.passed } ?? devices.last
    }
}

public struct DeviceRun: Sendable {
    public var vmsd: String
    /// Nil when the scenario gave the bytes to load.
    public var save: Trace?
    public var load: Trace
    public var sourceCheck: CheckReport
    public var destCheck: CheckReport
}
