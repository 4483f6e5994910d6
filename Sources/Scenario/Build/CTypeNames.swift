import VMState

/// C's scalar type names on x86-64 Linux, and QEMU's common typedefs.
public enum CTypeNames {
    public static let scalars: [String: CType] = [
        "bool": .bool, "_Bool": .bool,
        "char": .integer(bytes: 1, signed: true), "signed char": .integer(bytes: 1, signed: true),
        "unsigned char": .integer(bytes: 1, signed: false),
        "short": .integer(bytes: 2, signed: true), "unsigned short": .integer(bytes: 2, signed: false),
        "int": .integer(bytes: 4, signed: true), "signed": .integer(bytes: 4, signed: true),
        "unsigned": .integer(bytes: 4, signed: false), "unsigned int": .integer(bytes: 4, signed: false),
        "long": .integer(bytes: 8, signed: true), "unsigned long": .integer(bytes: 8, signed: false),
        "long long": .integer(bytes: 8, signed: true), "unsigned long long": .integer(bytes: 8, signed: false),
        "int8_t": .integer(bytes: 1, signed: true), "uint8_t": .integer(bytes: 1, signed: false),
        "int16_t": .integer(bytes: 2, signed: true), "uint16_t": .integer(bytes: 2, signed: false),
        "int32_t": .integer(bytes: 4, signed: true), "uint32_t": .integer(bytes: 4, signed: false),
        "int64_t": .integer(bytes: 8, signed: true), "uint64_t": .integer(bytes: 8, signed: false),
        "size_t": .integer(bytes: 8, signed: false), "ssize_t": .integer(bytes: 8, signed: true),
        "uintptr_t": .integer(bytes: 8, signed: false), "intptr_t": .integer(bytes: 8, signed: true),
        "hwaddr": .integer(bytes: 8, signed: false), "ram_addr_t": .integer(bytes: 8, signed: false),
        "target_ulong": .integer(bytes: 8, signed: false), "target_long": .integer(bytes: 8, signed: true),
        "dma_addr_t": .integer(bytes: 8, signed: false), "qemu_irq": .pointer(.void),
        "float": .floating(bytes: 4), "double": .floating(bytes: 8), "float64": .integer(bytes: 8, signed: false),
        "float32": .integer(bytes: 4, signed: false), "unsigned long int": .integer(bytes: 8, signed: false),
        "long int": .integer(bytes: 8, signed: true), "short int": .integer(bytes: 2, signed: true),
        "void": .void,
    ]

    /// The CType for a C type name: a scalar, or a struct the table knows.
    public static func type(named name: String) -> CType {
        scalars[name] ?? .named(name)
    }
}
