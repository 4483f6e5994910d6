/// The header of a START / PART / END / FULL section.
///
/// START and FULL carry the idstr, instance and version; PART and END carry only the section id,
/// and the reader fills the rest from the START that opened the section.
public struct SectionHeader: Sendable, Equatable {
    public var type: SectionType
    public var sectionID: UInt32
    /// The SaveStateEntry idstr, e.g. `"ram"`, `"cpu"`, `"0000:00:01.1/ide"`.
    public var idstr: String
    public var instanceID: UInt32
    public var versionID: UInt32
    /// Bytes of the header, type byte included.
    public var range: Range<Int>

    public init(
        type: SectionType, sectionID: UInt32, idstr: String, instanceID: UInt32, versionID: UInt32,
        range: Range<Int>
    ) {
        self.type = type
        self.sectionID = sectionID
        self.idstr = idstr
        self.instanceID = instanceID
        self.versionID = versionID
        self.range = range
    }

    /// The key analyze-migration.py prints for this section: `"name (section_id)"`.
    public var analyzeKey: String { Self.analyzeKey(idstr: idstr, sectionID: sectionID) }

    static func analyzeKey(idstr: String, sectionID: UInt32) -> String {
        "\(idstr) (\(Int32(bitPattern: sectionID)))"
    }

    /// The version field, the header's last four bytes (START and FULL).
    public var versionRange: Range<Int> { range.upperBound - 4..<range.upperBound }

    /// What `qemu_loadvm_section_start_full` says of a version newer than the device's `local`.
    public func unsupportedVersion(local: Int) -> String {
        "savevm: unsupported version \(versionID) for '\(idstr.escapingControls)' v\(local)"
    }
}
