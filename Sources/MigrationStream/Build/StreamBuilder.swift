/// Writes a complete migration stream, as QEMU 7.2 would for a machine with only these
/// devices: magic and version, the configuration section, one FULL section per device with its
/// footer, EOF, then the vmdesc.
public struct StreamBuilder {
    public struct Device {
        public var idstr: String
        public var instanceID: UInt32
        public var version: UInt32
        public var payload: [UInt8]
        /// The device's vmdesc object as `vmstate_save_state` wrote it:
        /// `{"vmsd_name": ..., "version": ..., "fields": [...]}`.
        public var vmdesc: String

        public init(idstr: String, instanceID: UInt32, version: UInt32, payload: [UInt8], vmdesc: String) {
            self.idstr = idstr
            self.instanceID = instanceID
            self.version = version
            self.payload = payload
            self.vmdesc = vmdesc
        }
    }

    public var machine: String
    public var devices: [Device] = []
    public var pageSize = 4096

    public init(machine: String) {
        self.machine = machine
    }

    public func bytes() -> [UInt8] {
        var out: [UInt8] = []
        func be32(_ value: UInt32) {
            out += [UInt8(value >> 24), UInt8(value >> 16 & 0xff), UInt8(value >> 8 & 0xff), UInt8(value & 0xff)]
        }
        be32(0x5145_564d)
        be32(3)
        // The configuration section (7.2 form): be32 length + machine name, no subsections.
        out.append(0x07)
        let machineName = Array(machine.utf8)
        be32(UInt32(machineName.count))
        out += machineName
        var descriptions: [String] = []
        for (index, device) in devices.enumerated() {
            // Section ids as QEMU hands them out, in registration order.
            let sectionID = UInt32(index)
            let name = Array(device.idstr.utf8.prefix(255))
            out.append(0x04)
            be32(sectionID)
            out.append(UInt8(name.count))
            out += name
            be32(device.instanceID)
            be32(device.version)
            out += device.payload
            out.append(0x7e)
            be32(sectionID)
            let body = device.vmdesc.hasPrefix("{") ? String(device.vmdesc.dropFirst()) : device.vmdesc + "}"
            descriptions.append(
                "{\"name\": \(Self.quoted(device.idstr)), \"instance_id\": \(device.instanceID)"
                    + (body == "}" ? "}" : ", " + body))
        }
        out.append(0x00)
        let json = Array("{\"page_size\": \(pageSize), \"devices\": [\(descriptions.joined(separator: ", "))]}".utf8)
        out.append(0x06)
        be32(UInt32(json.count))
        out += json
        return out
    }

    static func quoted(_ text: String) -> String {
        var result = "\""
        for scalar in text.unicodeScalars {
            switch scalar {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            default:
                if scalar.value < 0x20 || scalar.value >= 0x7f {
                    for unit in String(scalar).utf16 {
                        let digits = String(unit, radix: 16, uppercase: true)
                        result += "\\u" + String(repeating: "0", count: 4 - digits.count) + digits
                    }
                } else {
                    result.unicodeScalars.append(scalar)
                }
            }
        }
        return result + "\""
    }
}
