import VMState

/// A type whose layout vmscope knows without a definition: size, alignment and how the
/// simulated heap shows it.
struct CKnownType: Sendable {
    var size: Int
    var alignment: Int
    var ctype: CType

    static func integer(_ bytes: Int, signed: Bool) -> CKnownType {
        CKnownType(size: bytes, alignment: bytes, ctype: .integer(bytes: bytes, signed: signed))
    }

    static let pointer = CKnownType(size: 8, alignment: 8, ctype: .pointer(.void))
}

/// C's scalar types on x86-64 Linux (GCC), with the fixed-width and GLib/Linux/QEMU typedefs a
/// device file uses without vmscope reading their headers.
enum CScalarTypes {
    static let table: [String: CKnownType] = {
        var table: [String: CKnownType] = [:]
        for (name, type) in CTypeNames.scalars {
            switch type {
            case .integer(let bytes, let signed): table[name] = .integer(bytes, signed: signed)
            case .bool: table[name] = CKnownType(size: 1, alignment: 1, ctype: .bool)
            case .floating(let bytes): table[name] = CKnownType(size: bytes, alignment: bytes, ctype: type)
            case .pointer: table[name] = .pointer
            default: continue
            }
        }
        // GNU C: sizeof(void) is 1.
        table["void"] = CKnownType(size: 1, alignment: 1, ctype: .integer(bytes: 1, signed: false))
        let integers: [(String, Int, Bool)] = [
            ("__u8", 1, false), ("__s8", 1, true), ("__u16", 2, false), ("__s16", 2, true), ("__u32", 4, false),
            ("__s32", 4, true), ("__u64", 8, false), ("__s64", 8, true), ("__le16", 2, false), ("__le32", 4, false),
            ("__le64", 8, false), ("__be16", 2, false), ("__be32", 4, false), ("__be64", 8, false),
            ("u8", 1, false), ("u16", 2, false), ("u32", 4, false), ("u64", 8, false),
            ("gboolean", 4, true), ("gint", 4, true), ("guint", 4, false), ("gint8", 1, true), ("guint8", 1, false),
            ("gint16", 2, true), ("guint16", 2, false), ("gint32", 4, true), ("guint32", 4, false),
            ("gint64", 8, true), ("guint64", 8, false), ("gchar", 1, true), ("guchar", 1, false),
            ("gshort", 2, true), ("gushort", 2, false), ("glong", 8, true), ("gulong", 8, false),
            ("gsize", 8, false), ("gssize", 8, true), ("goffset", 8, true), ("gunichar", 4, false),
            ("off_t", 8, true), ("time_t", 8, true), ("clock_t", 8, true), ("pid_t", 4, true), ("uid_t", 4, false),
            ("gid_t", 4, false), ("mode_t", 4, false), ("socklen_t", 4, false), ("in_addr_t", 4, false),
            ("in_port_t", 2, false), ("sig_atomic_t", 4, true), ("wchar_t", 4, true), ("ptrdiff_t", 8, true),
            ("intmax_t", 8, true), ("uintmax_t", 8, false), ("int_fast8_t", 1, true), ("uint_fast8_t", 1, false),
            ("int_fast16_t", 8, true), ("uint_fast16_t", 8, false), ("int_fast32_t", 8, true),
            ("uint_fast32_t", 8, false), ("int_fast64_t", 8, true), ("uint_fast64_t", 8, false),
            ("int_least8_t", 1, true), ("uint_least8_t", 1, false), ("int_least16_t", 2, true),
            ("uint_least16_t", 2, false), ("int_least32_t", 4, true), ("uint_least32_t", 4, false),
            ("int_least64_t", 8, true), ("uint_least64_t", 8, false), ("__int8_t", 1, true),
            ("__uint8_t", 1, false), ("__int16_t", 2, true), ("__uint16_t", 2, false), ("__int32_t", 4, true),
            ("__uint32_t", 4, false), ("__int64_t", 8, true), ("__uint64_t", 8, false),
            // QEMU's integer typedefs (x86-64 host; a 64-bit target for target_ulong).
            ("vaddr", 8, false), ("pcibus_t", 8, false), ("tb_page_addr_t", 8, false), ("abi_ulong", 8, false),
            ("abi_long", 8, true), ("float16", 2, false), ("bfloat16", 2, false), ("uint128_t", 16, false),
            ("MemTxResult", 4, false), ("QEMUClockType", 4, true), ("Aml", 8, false),
        ]
        for (name, bytes, signed) in integers where table[name] == nil {
            table[name] = .integer(bytes, signed: signed)
        }
        for name in ["gpointer", "gconstpointer", "GCallback", "GFunc", "GDestroyNotify", "QEMUTimerCB"] {
            table[name] = .pointer
        }
        table["gfloat"] = CKnownType(size: 4, alignment: 4, ctype: .floating(bytes: 4))
        table["gdouble"] = CKnownType(size: 8, alignment: 8, ctype: .floating(bytes: 8))
        let wide = CKnownType(size: 16, alignment: 16, ctype: .array(.integer(bytes: 1, signed: false), count: 16))
        for name in ["long double", "__int128", "__int128_t", "__uint128_t", "unsigned __int128", "Int128"] {
            table[name] = wide
        }
        table["float128"] = wide
        // floatx80: a uint64_t mantissa and a uint16_t exponent.
        table["floatx80"] = CKnownType(
            size: 16, alignment: 8, ctype: .array(.integer(bytes: 1, signed: false), count: 16))
        return table
    }()

    /// What `VMState.CType` a scalar name stands for in a scenario (`uint32_t`), nil for others.
    static func scenarioName(_ type: CType) -> String? {
        switch type {
        case .integer(let bytes, let signed): (signed ? "int" : "uint") + "\(bytes * 8)_t"
        case .bool: "bool"
        case .floating(let bytes): bytes == 4 ? "float" : "double"
        default: nil
        }
    }
}
