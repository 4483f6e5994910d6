/// The sizes of QEMU's own types that device structs embed: their definitions pull in system
/// headers, GLib and build configuration vmscope does not read. These numbers win over a parsed
/// definition's total (its members, when parsed, still give offsets inside it), so a struct that
/// embeds a `PCIDevice` or a `MemoryRegion` gets the layout QEMU has.
///
/// Values are for an x86-64 Linux build of QEMU 7.2 (a Linux host configuration with SPICE and
/// 128-bit integers, as Debian bookworm builds it), measured with GCC against QEMU's headers by
/// `Scripts/measure-qemu-types.sh`. They differ in other versions and configurations; correct
/// one with `vmscope import --size TYPE=N` (or `TYPE=N:ALIGN`). A type that is neither here nor
/// parsed is assumed to be 8 bytes, with a warning.
///
/// To add a type: add its name to the script's list, run it, paste its line here.
public enum QEMUTypeSizes {
    public struct Entry: Sendable, Hashable {
        public var size: Int
        public var alignment: Int
    }

    /// Type name → size and alignment in bytes.
    public static let table: [String: Entry] = {
        var table: [String: Entry] = [:]
        for (name, size, alignment) in measured { table[name] = Entry(size: size, alignment: alignment) }
        return table
    }()

    /// `(name, sizeof, _Alignof)` as the script prints them.
    static let measured: [(String, Int, Int)] = [
        ("QEMUTimer", 48, 8),
        ("MemoryRegion", 272, 16),
        ("MemoryRegionSection", 64, 16),
        ("AddressSpace", 88, 8),
        ("FlatView", 56, 8),
        ("Object", 40, 8),
        ("DeviceState", 160, 8),
        ("BusState", 120, 8),
        ("SysBusDevice", 816, 8),
        ("PCIDevice", 2608, 16),
        ("PCIBus", 2320, 8),
        ("PCIExpressDevice", 80, 8),
        ("PCIEAERLog", 16, 8),
        ("PCIEAERErr", 40, 4),
        ("PCIESlot", 5552, 16),
        ("PCIEPort", 5520, 16),
        ("PCIBridge", 5504, 16),
        ("PCIBridgeWindows", 1632, 16),
        ("PCIIORegion", 40, 8),
        ("MSIMessage", 16, 8),
        ("ISADevice", 168, 8),
        ("ISABus", 160, 8),
        ("USBDevice", 5864, 8),
        ("USBPort", 72, 8),
        ("USBPacket", 136, 8),
        ("USBEndpoint", 40, 8),
        ("USBBus", 192, 8),
        ("I2CSlave", 168, 8),
        ("I2CBus", 160, 8),
        ("SMBusDevice", 216, 8),
        ("SSIPeripheral", 176, 8),
        ("SCSIDevice", 608, 8),
        ("SCSIBus", 136, 8),
        ("SCSIRequest", 408, 8),
        ("IDEBus", 2304, 8),
        ("IDEState", 984, 8),
        ("IDEDevice", 304, 8),
        ("IDEDMA", 56, 8),
        ("BlockConf", 88, 8),
        ("CharBackend", 56, 8),
        ("NICConf", 8216, 8),
        ("MACAddr", 6, 1),
        ("NICState", 40, 8),
        ("NetClientState", 376, 8),
        ("Fifo8", 24, 8),
        ("Fifo32", 24, 8),
        ("PortioList", 64, 8),
        ("MemoryRegionPortio", 40, 8),
        ("QEMUSGList", 40, 8),
        ("QEMUIOVector", 40, 8),
        ("QemuMutex", 48, 8),
        ("QemuRecMutex", 48, 8),
        ("QemuCond", 56, 8),
        ("QemuSemaphore", 112, 8),
        ("QemuEvent", 8, 4),
        ("QemuThread", 8, 8),
        ("QemuSpin", 4, 4),
        ("QemuLockCnt", 4, 4),
        ("Notifier", 24, 8),
        ("NotifierList", 8, 8),
        ("NotifierWithReturn", 24, 8),
        ("EventNotifier", 12, 4),
        ("VirtIODevice", 512, 8),
        ("VirtQueueElement", 56, 8),
        ("CPUState", 800, 8),
        ("Clock", 120, 8),
        ("HIDState", 304, 8),
        ("QemuUUID", 16, 4),
        ("Int128", 16, 16),
        ("QEMUCursor", 20, 4),
        ("Chardev", 152, 8),
        ("AioContext", 344, 8),
        ("IOMMUMemoryRegion", 288, 16),
        ("IOMMUNotifier", 56, 8),
        ("GPtrArray", 16, 8),
        ("GArray", 16, 8),
        ("GQueue", 24, 8),
        ("GByteArray", 16, 8),
        ("GSList", 16, 8),
        ("GList", 24, 8),
        ("IPackDevice", 176, 8),
        ("CPUHotplugState", 304, 16),
        ("MemHotplugState", 304, 16),
        ("AcpiPciHpPciStatus", 12, 4),
        ("PMBusDevice", 288, 8),
        ("AcpiPciHpState", 3376, 16),
    ]
}
