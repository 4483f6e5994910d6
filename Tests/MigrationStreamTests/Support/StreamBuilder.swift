import Foundation

@testable import MigrationStream

/// Builds small migration streams byte by byte for the error-path tests.
struct StreamBuilder {
    var bytes: [UInt8] = []

    var count: Int { bytes.count }

    mutating func u8(_ value: UInt8) { bytes.append(value) }

    mutating func be16(_ value: UInt16) { bytes += [UInt8(value >> 8), UInt8(value & 0xff)] }

    mutating func be32(_ value: UInt32) {
        bytes += [UInt8(value >> 24), UInt8((value >> 16) & 0xff), UInt8((value >> 8) & 0xff), UInt8(value & 0xff)]
    }

    mutating func be64(_ value: UInt64) {
        be32(UInt32(value >> 32))
        be32(UInt32(value & 0xffff_ffff))
    }

    mutating func raw(_ data: [UInt8]) { bytes += data }

    mutating func counted(_ text: String) {
        u8(UInt8(text.utf8.count))
        bytes += Array(text.utf8)
    }

    mutating func header(magic: UInt32 = 0x5145_564d, version: UInt32 = 3) {
        be32(magic)
        be32(version)
    }

    mutating func configuration(machine: String = "pc-i440fx-7.2") {
        u8(0x07)
        be32(UInt32(machine.utf8.count))
        bytes += Array(machine.utf8)
    }

    /// The 7.2-form configuration section with a `configuration/capabilities` subsection.
    mutating func configuration(machine: String, capabilities: [String]) {
        configuration(machine: machine)
        u8(0x05)
        counted("configuration/capabilities")
        be32(1)
        be32(UInt32(capabilities.count))
        for capability in capabilities { counted(capability) }
    }

    /// START or FULL header.
    mutating func sectionHeader(_ type: UInt8, id: UInt32, name: String, instance: UInt32 = 0, version: UInt32) {
        u8(type)
        be32(id)
        counted(name)
        be32(instance)
        be32(version)
    }

    mutating func footer(_ id: UInt32) {
        u8(0x7e)
        be32(id)
    }

    /// A RAM START section with one block and the EOS record.
    mutating func ramStart(id: UInt32 = 2, block: String = "pc.ram", length: UInt64 = 0x4000) {
        sectionHeader(0x01, id: id, name: "ram", version: 4)
        be64(length | 0x04)
        counted(block)
        be64(length)
        be64(0x10)
        footer(id)
    }

    mutating func command(_ code: UInt16, payload: [UInt8] = []) {
        u8(0x08)
        be16(code)
        be16(UInt16(payload.count))
        raw(payload)
    }

    mutating func vmdesc(_ json: String) {
        u8(0x06)
        be32(UInt32(json.utf8.count))
        bytes += Array(json.utf8)
    }

    /// A minimal well-formed stream: header, configuration, RAM setup + one data and one zero
    /// page, one FULL device section "dev" with a uint32 and a uint16, EOF and vmdesc.
    static func minimal() -> StreamBuilder {
        var b = StreamBuilder()
        b.header()
        b.configuration()
        b.ramStart()
        b.u8(0x02)  // PART
        b.be32(2)
        b.be64(0x0000 | 0x08)
        b.counted("pc.ram")
        b.raw([UInt8](repeating: 0xab, count: 4096))
        b.be64(0x1000 | 0x02 | 0x20)
        b.u8(0)
        b.be64(0x10)
        b.footer(2)
        b.sectionHeader(0x04, id: 3, name: "dev", version: 1)
        b.be32(0xdead_beef)
        b.be16(0xfffe)
        b.footer(3)
        b.u8(0x00)
        b.vmdesc(minimalDesc)
        return b
    }

    static let minimalDesc = """
        {"page_size": 4096, "devices": [{"name": "dev", "instance_id": 0, "vmsd_name": "dev", "version": 1, \
        "fields": [{"name": "a", "type": "uint32", "size": 4}, {"name": "b", "type": "int16", "size": 2}]}]}
        """

    /// Writes the stream to a fresh temporary file and returns its path.
    func write(name: String = "stream") throws -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("vmscope-tests-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let url = dir.appendingPathComponent(name + ".mig")
        try Data(bytes).write(to: url)
        return url.path
    }

    /// Opens the stream from a temporary file.
    func open() throws -> MigrationStream {
        try MigrationStream(path: write())
    }
}
