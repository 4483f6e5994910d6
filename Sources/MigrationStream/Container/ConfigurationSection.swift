/// The QEMU_VM_CONFIGURATION record (vmstate "configuration" of migration/savevm.c).
///
/// Fields: be32 length + machine type name, then the subsections QEMU found needed, in the order
/// `configuration/target-page-bits`, `configuration/capabilities`, `configuration/uuid`.
public struct ConfigurationSection: Sendable, Equatable {
    public struct Subsection: Sendable, Equatable {
        public var name: String
        public var version: UInt32
        public var value: Value
        public var range: Range<Int>
    }

    public enum Value: Sendable, Equatable {
        case targetPageBits(UInt32)
        case capabilities([String])
        case uuid([UInt8])
        /// A subsection this reader does not know: its bytes up to the end of the record.
        case raw(Range<Int>)
    }

    public var machineType: String
    public var subsections: [Subsection]
    /// The whole record, type byte included.
    public var range: Range<Int>

    public var capabilities: [String] {
        for sub in subsections { if case .capabilities(let caps) = sub.value { return caps } }
        return []
    }

    public func has(capability: String) -> Bool { capabilities.contains(capability) }
}

extension ConfigurationSection.Value: CustomStringConvertible {
    /// The value as `dump` names its fields: `caps_count 1, capabilities x-ignore-shared`.
    public var description: String {
        switch self {
        case .targetPageBits(let bits): return "target_page_bits \(bits)"
        case .capabilities(let caps):
            return "caps_count \(caps.count), capabilities \(caps.map(\.escapingControls).joined(separator: " "))"
        case .uuid(let bytes): return "uuid " + bytes.map { Hex.pad(UInt64($0), 2) }.joined(separator: " ")
        case .raw(let range): return "\(range.count) bytes not decoded"
        }
    }
}
