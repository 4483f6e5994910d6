/// The flag bits in the low bits (below the target page size) of every RAM record's be64 header
/// (`RAM_SAVE_FLAG_*` in QEMU's migration/ram.c).
public struct RAMFlags: OptionSet, Sendable, Hashable {
    public let rawValue: UInt64
    public init(rawValue: UInt64) { self.rawValue = rawValue }

    /// Obsolete since 2009; never written by QEMU 7.2 or later.
    public static let full = RAMFlags(rawValue: 0x01)
    /// A page filled with one byte value. Older sources called it COMPRESS.
    public static let zero = RAMFlags(rawValue: 0x02)
    public static let memSize = RAMFlags(rawValue: 0x04)
    public static let page = RAMFlags(rawValue: 0x08)
    public static let eos = RAMFlags(rawValue: 0x10)
    /// Same RAMBlock as the previous page: the block name is omitted.
    public static let `continue` = RAMFlags(rawValue: 0x20)
    public static let xbzrle = RAMFlags(rawValue: 0x40)
    /// RDMA only; meaningless in a file.
    public static let hook = RAMFlags(rawValue: 0x80)
    /// zlib-compressed page (QEMU up to 9.0).
    public static let compressPage = RAMFlags(rawValue: 0x100)
    /// QEMU 8.1+: destination synchronises its multifd channels.
    public static let multifdFlush = RAMFlags(rawValue: 0x200)

    static let names: [(RAMFlags, String)] = [
        (.full, "FULL"), (.zero, "ZERO"), (.memSize, "MEM_SIZE"), (.page, "PAGE"), (.eos, "EOS"),
        (.continue, "CONTINUE"), (.xbzrle, "XBZRLE"), (.hook, "HOOK"), (.compressPage, "COMPRESS_PAGE"),
        (.multifdFlush, "MULTIFD_FLUSH"),
    ]

    /// `"ZERO|CONTINUE"`, in ascending bit order; unknown bits as hex.
    public var label: String {
        var parts: [String] = []
        var rest = rawValue
        for (flag, name) in Self.names where contains(flag) {
            parts.append(name)
            rest &= ~flag.rawValue
        }
        if rest != 0 { parts.append("0x" + String(rest, radix: 16)) }
        return parts.isEmpty ? "NONE" : parts.joined(separator: "|")
    }
}
