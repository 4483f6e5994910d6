import Scenario
import VMState

/// The profiles of the two sides of a migration.
public struct ProfileChoice: Sendable, Hashable {
    public var source: Profile
    public var dest: Profile

    public init(source: Profile, dest: Profile) {
        self.source = source
        self.dest = dest
    }

    public init(both profile: Profile) { self.init(source: profile, dest: profile) }

    /// `drop-auto-alloc`, or `auto-alloc → qemu-7.2` when the sides differ.
    public func label(arrow: String = "→") -> String {
        source == dest ? dest.name : "\(source.name) \(arrow) \(dest.name)"
    }
}

/// One device (a section of a stream) as the explorer shows it.
public struct DeviceRecord: Sendable {
    public var name: String
    /// The destination's load: the trace the explorer steps through.
    public var load: Trace
    /// The source's save, when the bytes were made by saving.
    public var save: Trace?
    public var sourceCheck: CheckReport?
    public var destCheck: CheckReport?
    /// The destination's VMSDs, for the tree skeleton and the flag editor.
    public var definitions: Definitions
    /// What the tree shows beside a real stream's record: instance, size and file offset.
    public var summary: String?
    /// More bytes of the file for the hex pane, after `visibleStream` and in file order: the
    /// start of each run of a RAM chunk too long to show whole.
    public var windows: [ByteWindow] = []

    /// The bytes the hex pane shows for this device: what the source saved (the load's stream
    /// goes on with the section footer, EOF and vmdesc, which matter only where the loader read
    /// into them), or all of a given stream.
    public var visibleStream: [UInt8] {
        guard let save else { return load.stream }
        let reached = load.events.reduce(load.bytesConsumed) { max($0, $1.bytes.upperBound - load.streamBase) }
        return Array(load.stream.prefix(min(load.stream.count, max(save.stream.count, reached))))
    }

    /// `31 00 00 00`: the bytes of `range`, from the load's stream or a window.
    public func byteText(_ range: Range<Int>, limit: Int) -> String {
        let text = load.byteText(range, limit: limit)
        guard text.isEmpty, !range.isEmpty,
            let window = windows.first(where: { $0.contains(range) })
        else { return text }
        let start = range.lowerBound - window.base
        return Trace.byteText(window.bytes[start..<start + range.count], limit: limit)
    }

    public init(
        name: String, load: Trace, save: Trace? = nil, sourceCheck: CheckReport? = nil, destCheck: CheckReport? = nil,
        definitions: Definitions
    ) {
        self.name = name
        self.load = load
        self.save = save
        self.sourceCheck = sourceCheck
        self.destCheck = destCheck
        self.definitions = definitions
    }
}

/// Bytes of a file at `base` that the hex pane shows.
public struct ByteWindow: Sendable, Equatable {
    public var base: Int
    public var bytes: [UInt8]

    public init(base: Int, bytes: [UInt8]) {
        self.base = base
        self.bytes = bytes
    }

    public var range: Range<Int> { base..<base + bytes.count }

    /// Whether all of `bytes` (file offsets) are in this window.
    public func contains(_ bytes: Range<Int>) -> Bool {
        base <= bytes.lowerBound && bytes.upperBound <= base + self.bytes.count
    }
}

/// What the explorer opens: today a scenario; when the stream library lands, a real stream's
/// section list. The explorer only asks for the devices of a run under a pair of profiles.
///
/// A stream source would return one `DeviceRecord` per device section, with traces whose
/// `streamBase` is the section's offset in the file (set `usesAbsoluteOffsets`), and the file's
/// bytes for the hex pane; it would not support edits (`isEditable` false) until the VMSDs can be
/// rebuilt from its vmdesc.
public protocol ExplorerSource: Sendable {
    /// The file name, or `built-in demo (nvme-demo.vmscope)`.
    var displayName: String { get }
    var defaultProfiles: ProfileChoice { get }
    /// Whether field edits (the flag editor) apply.
    var isEditable: Bool { get }
    /// Whether a run under other profiles means something (not for recorded traces).
    var canSwitchProfiles: Bool { get }
    /// Traces already carry offsets in one stream (a real file); else the hex pane lays the
    /// devices' streams end to end.
    var usesAbsoluteOffsets: Bool { get }
    func run(_ profiles: ProfileChoice, edits: [FieldEdit]) throws -> [DeviceRecord]
    /// Offsets shown are the devices' own (file offsets of a real stream) rather than positions
    /// in the hex pane's end-to-end byte space.
    var showsFileOffsets: Bool { get }
}

extension ExplorerSource {
    public var showsFileOffsets: Bool { false }
}

/// A scenario file, or the built-in demo.
public struct ScenarioSource: ExplorerSource {
    public var scenario: Scenario
    public var displayName: String

    public init(scenario: Scenario, displayName: String) {
        self.scenario = scenario
        self.displayName = displayName
    }

    /// The built-in demo.
    public static func demo() throws -> ScenarioSource {
        ScenarioSource(scenario: try Scenario.demo(), displayName: "built-in demo (\(Scenario.demoFileName))")
    }

    public var defaultProfiles: ProfileChoice {
        let pair = scenario.profiles
        return ProfileChoice(source: pair.source, dest: pair.dest)
    }

    public var isEditable: Bool { true }
    public var canSwitchProfiles: Bool { true }
    public var usesAbsoluteOffsets: Bool { false }

    public func run(_ profiles: ProfileChoice, edits: [FieldEdit]) throws -> [DeviceRecord] {
        let run = try scenario.run(source: profiles.source, dest: profiles.dest, edits: edits)
        return run.devices.map { device in
            DeviceRecord(
                name: device.vmsd, load: device.load, save: device.save, sourceCheck: device.sourceCheck,
                destCheck: device.destCheck, definitions: run.dest.definitions)
        }
    }
}

/// Traces made elsewhere (a benchmark, a test); nothing to edit or re-run.
public struct RecordedSource: ExplorerSource {
    public var displayName: String
    public var devices: [DeviceRecord]
    public var defaultProfiles: ProfileChoice

    public init(displayName: String, devices: [DeviceRecord], profiles: ProfileChoice) {
        self.displayName = displayName
        self.devices = devices
        self.defaultProfiles = profiles
    }

    public var isEditable: Bool { false }
    public var canSwitchProfiles: Bool { false }
    public var usesAbsoluteOffsets: Bool { false }

    public func run(_ profiles: ProfileChoice, edits: [FieldEdit]) throws -> [DeviceRecord] { devices }
}
