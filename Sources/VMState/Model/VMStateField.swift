/// One entry of a VMSD's `fields` list (`VMStateField`), with every member QEMU has.
public struct VMStateField: Sendable, Hashable {
    public var name: String
    /// Printed after a failed `*_equal` check (7.x–10.x `err_hint`).
    public var errHint: String?
    /// Offset of the field (or of the pointer slot with VMS_POINTER) in the opaque struct.
    public var offset: Int
    /// Bytes per element; the multiplier with VMS_MULTIPLY; the object size for per-element allocation.
    public var size: Int
    /// Offset of the int32 size (VMS_VBUFFER).
    public var sizeOffset: Int
    /// Link-entry offset for qtailq/qlist; key size for gtree (0 = direct key).
    public var start: Int
    /// Element count for VMS_ARRAY (and the multiplier of VMS_MULTIPLY_ELEMENTS).
    public var num: Int
    /// Offset of the element count (VMS_VARRAY_*).
    public var numOffset: Int
    public var info: VMStateInfo?
    public var flags: FieldFlags
    /// The nested VMSD (STRUCT, VSTRUCT, tmp, qtailq, qlist; the value VMSD of a gtree).
    public var vmsd: String?
    /// The key VMSD of a gtree (QEMU's `vmsd[1]`); nil for a direct key.
    public var keyVMSD: String?
    public var versionID: Int
    public var structVersionID: Int
    /// `field_exists(opaque, version_id)`: when present it alone decides.
    public var fieldExists: Expression?
    /// The macro this field came from, for display (`VMSTATE_UINT32(x, S)`).
    public var macro: String?
    /// The field stands in for something vmscope could not read (an unknown macro).
    public var isPlaceholder: Bool
    /// The field is element N of an array that a vmdesc lists element by element (each entry
    /// with `"index": N`): its steps show as that element of the field.
    public var listedIndex: Int?

    public init(
        name: String, errHint: String? = nil, offset: Int = 0, size: Int = 0, sizeOffset: Int = 0, start: Int = 0,
        num: Int = 0, numOffset: Int = 0, info: VMStateInfo? = nil, flags: FieldFlags = [.single],
        vmsd: String? = nil, keyVMSD: String? = nil, versionID: Int = 0, structVersionID: Int = 0,
        fieldExists: Expression? = nil, macro: String? = nil, isPlaceholder: Bool = false
    ) {
        self.name = name
        self.errHint = errHint
        self.offset = offset
        self.size = size
        self.sizeOffset = sizeOffset
        self.start = start
        self.num = num
        self.numOffset = numOffset
        self.info = info
        self.flags = flags
        self.vmsd = vmsd
        self.keyVMSD = keyVMSD
        self.versionID = versionID
        self.structVersionID = structVersionID
        self.fieldExists = fieldExists
        self.macro = macro
        self.isPlaceholder = isPlaceholder
    }

    /// The vmdesc `type`: "struct", "vstruct" or the info's name ("unknown" without one).
    public func typeName(nullMarker: String) -> String {
        if flags.contains(.struct) { return "struct" }
        if flags.contains(.vstruct) { return "vstruct" }
        guard let info else { return "unknown" }
        return info == .nullptr ? nullMarker : info.name
    }
}
