// libFuzzer target: arbitrary bytes as vmdesc JSON, parsed (key order, duplicates, depth limit)
// and walked as QEMU's description of devices.
import FuzzDriver
import Glibc
import MigrationStream

@_cdecl("LLVMFuzzerTestOneInput")
public func fuzzOne(_ data: UnsafePointer<UInt8>?, _ size: Int) -> CInt {
    let buffer = UnsafeRawBufferPointer(start: data, count: data == nil ? 0 : size)
    guard let json = try? JSONParser.parse(buffer) else { return 0 }
    let vmdesc = VMDesc(json: json, range: 0..<size)
    for device in vmdesc.devices {
        _ = device["name"]?.string
        _ = device.pythonMembers
        _ = vmdesc.device(named: device["name"]?.string ?? "", instanceID: UInt32(device["instance_id"]?.int ?? 0))
    }
    _ = vmdesc.pageSize
    return 0
}

exit(runFuzzer(fuzzOne))
