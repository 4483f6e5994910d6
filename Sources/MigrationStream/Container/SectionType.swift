/// The byte that starts every top-level record (`QEMU_VM_*` in migration/savevm.c).
public enum SectionType: UInt8, Sendable, Equatable {
    case eof = 0x00
    case start = 0x01
    case part = 0x02
    case end = 0x03
    case full = 0x04
    case subsection = 0x05
    case vmdescription = 0x06
    case configuration = 0x07
    case command = 0x08
    case footer = 0x7e

    /// `SECTION_START`, as QEMU's trace points and our `sections` listing name it.
    public var label: String {
        switch self {
        case .eof: "EOF"
        case .start: "SECTION_START"
        case .part: "SECTION_PART"
        case .end: "SECTION_END"
        case .full: "SECTION_FULL"
        case .subsection: "SUBSECTION"
        case .vmdescription: "VMDESCRIPTION"
        case .configuration: "CONFIGURATION"
        case .command: "COMMAND"
        case .footer: "SECTION_FOOTER"
        }
    }

    public static let fileMagic: UInt32 = 0x5145_564d
    public static let fileVersion: UInt32 = 3
    public static let fileVersionCompat: UInt32 = 2
}
