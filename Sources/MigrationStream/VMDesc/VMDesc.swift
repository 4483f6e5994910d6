/// The trailing vmdesc: QEMU's JSON description of every device section it sent.
public struct VMDesc: Sendable, Equatable {
    /// The parsed document, key order and duplicate keys kept.
    public let json: JSONValue
    /// Where the JSON text lies in the stream; nil when it came from another file.
    public let range: Range<Int>?

    public init(json: JSONValue, range: Range<Int>?) {
        self.json = json
        self.range = range
    }

    /// `page_size`, the target page size; 4096 when absent.
    public var pageSize: UInt64 { json["page_size"]?.uint64 ?? 4096 }

    /// QEMU 8.2+ describes the configuration section here.
    public var configuration: JSONValue? { json["configuration"] }

    public var devices: [JSONValue] { json["devices"]?.array ?? [] }

    /// The description of section `(name, instance_id)`. As in analyze-migration.py, a later entry
    /// with the same key replaces an earlier one.
    public func device(named name: String, instanceID: UInt32) -> JSONValue? {
        devices.last { entry in
            entry["name"]?.string == name && entry["instance_id"]?.int == Int(instanceID)
        }
    }

    /// The description of the section `header` opens.
    public func device(for header: SectionHeader) -> JSONValue? {
        device(named: header.idstr, instanceID: header.instanceID)
    }
}
