/// A leaf type of QEMU's vmstate (`VMStateInfo`): how one element is encoded on the wire.
public enum VMStateInfo: Sendable, Hashable {
    case bool
    case int8, int16, int32, int64
    case uint8, uint16, uint32, uint64
    case int32Equal, int32LE
    case uint8Equal, uint16Equal, uint32Equal, uint64Equal
    /// The NULL-pointer placeholder (`vmstate_info_nullptr`, later `vmstate_info_ptr_marker`).
    case nullptr
    case cpuDouble
    case float64
    case timer
    case buffer
    case unusedBuffer
    case tmp
    case bitmap
    case qtailq
    case qlist
    case gtree
    case gByteArray
    case capability
    /// A type vmscope cannot interpret (a vmdesc `type` it does not know, `virtio`, ...): raw bytes.
    case opaque(String)

    /// Every interpretable info, for listings and the scenario parser.
    public static let known: [VMStateInfo] = [
        .bool, .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64,
        .int32Equal, .int32LE, .uint8Equal, .uint16Equal, .uint32Equal, .uint64Equal,
        .nullptr, .cpuDouble, .float64, .timer, .buffer, .unusedBuffer, .tmp, .bitmap,
        .qtailq, .qlist, .gtree, .gByteArray, .capability,
    ]

    /// QEMU's `info->name`, the vmdesc JSON `type`. The NULL marker's name depends on the
    /// profile (`Profile.nullMarkerTypeName`); this is the 10.x spelling.
    public var name: String {
        switch self {
        case .bool: "bool"
        case .int8: "int8"
        case .int16: "int16"
        case .int32: "int32"
        case .int64: "int64"
        case .uint8: "uint8"
        case .uint16: "uint16"
        case .uint32: "uint32"
        case .uint64: "uint64"
        case .int32Equal: "int32 equal"
        case .int32LE: "int32 le"
        case .uint8Equal: "uint8 equal"
        case .uint16Equal: "uint16 equal"
        case .uint32Equal: "uint32 equal"
        // QEMU names vmstate_info_uint64_equal "int64 equal".
        case .uint64Equal: "int64 equal"
        case .nullptr: "nullptr"
        case .cpuDouble: "CPU_Double_U"
        case .float64: "float64"
        case .timer: "timer"
        case .buffer: "buffer"
        case .unusedBuffer: "unused_buffer"
        case .tmp: "tmp"
        case .bitmap: "bitmap"
        case .qtailq: "qtailq"
        case .qlist: "qlist"
        case .gtree: "gtree"
        case .gByteArray: "GByteArray"
        case .capability: "capability"
        case .opaque(let name): name
        }
    }

    /// Looks an info up by its QEMU name; also accepts the C spelling (`int32_equal`,
    /// `uint64_equal`, `ptr-marker`).
    public init(name: String) {
        switch name {
        case "uint64_equal", "uint64 equal": self = .uint64Equal
        case "ptr-marker", "ptr_marker": self = .nullptr
        default:
            // Accept `int32_equal` for `int32 equal`: underscores before the suffix become spaces.
            let spaced = String(name.map { $0 == "_" ? " " : $0 })
            self = Self.known.first { $0.name == name || $0.name == spaced } ?? .opaque(name)
        }
    }

    /// Width in bytes of a fixed-size integer info, nil for other infos.
    public var integerWidth: Int? {
        switch self {
        case .bool, .int8, .uint8, .uint8Equal: 1
        case .int16, .uint16, .uint16Equal: 2
        case .int32, .uint32, .int32Equal, .int32LE, .uint32Equal: 4
        case .int64, .uint64, .uint64Equal, .cpuDouble, .float64: 8
        default: nil
        }
    }

    /// Whether the integer is signed (for display and JSON formatting).
    public var isSigned: Bool {
        switch self {
        case .int8, .int16, .int32, .int64, .int32Equal, .int32LE: true
        default: false
        }
    }
}
