/// One top-level record of the stream, with its byte range.
public struct StreamRecord: Sendable, Equatable {
    public enum Kind: Sendable, Equatable {
        /// `QEVM` magic and version.
        case fileHeader(magic: UInt32, version: UInt32)
        case configuration(ConfigurationSection)
        case command(MigrationCommand)
        case section(SectionRecord)
        case eof
        /// The trailing JSON description; `json` is the text's range.
        case vmdescription(json: Range<Int>)
    }

    /// Offset of the record's first byte (its type byte).
    public var offset: Int
    /// One past the record's last byte (footer included).
    public var end: Int
    public var kind: Kind
    /// Inside the stream carried by a PACKAGED command (postcopy).
    public var packaged: Bool = false

    public var section: SectionRecord? {
        if case .section(let section) = kind { return section }
        return nil
    }
}

/// A START / PART / END / FULL section as found by the scan.
public struct SectionRecord: Sendable, Equatable {
    /// How the end of the payload was found.
    public enum Extent: Sendable, Equatable {
        /// The payload delimits itself (RAM records up to EOS).
        case parsed
        /// Walked field by field with the vmdesc description.
        case vmdesc
        /// Inferred: the next footer followed by a plausible record header.
        case inferredFromFooter
        /// Inferred: the next plausible section header (stream without footers).
        case inferredFromHeader
        /// The stream ends inside the payload, which runs to the end of the file.
        case cut
    }

    public var header: SectionHeader
    /// The payload: between the header and the footer.
    public var body: Range<Int>
    /// Offset of the `7e` footer, when the stream has one.
    public var footerOffset: Int?
    public var extent: Extent
    /// For RAM sections: what the payload holds.
    public var ram: RAMSectionSummary?

    public var isRAM: Bool { ram != nil }
}

/// What one RAM section chunk holds: record counts by flag combination, and the block list.
public struct RAMSectionSummary: Sendable, Equatable {
    public var records: Int = 0
    /// Flag-combination label (`"ZERO|CONTINUE"`) to count, in order of first appearance.
    public var flagCounts: [(label: String, count: Int)] = []
    /// The MEM_SIZE block list, if this chunk had one.
    public var blocks: [RAMBlockInfo]?
    /// The block a CONTINUE record at the start of this chunk refers to (from earlier chunks).
    public var startBlock: String?

    public init() {}

    public static func == (lhs: RAMSectionSummary, rhs: RAMSectionSummary) -> Bool {
        lhs.records == rhs.records && lhs.blocks == rhs.blocks && lhs.startBlock == rhs.startBlock
            && lhs.flagCounts.map(\.label) == rhs.flagCounts.map(\.label)
            && lhs.flagCounts.map(\.count) == rhs.flagCounts.map(\.count)
    }
}
