/// `vmstate_n_elems` and `vmstate_size`: how many elements a field has and how big each is,
/// read from the opaque struct where the flags say so.
struct FieldGeometry {
    var count: Int
    var size: Int
    var countDetail: String
    var sizeDetail: String
    /// The field has a count flag, so its elements are shown with an index.
    var isArray: Bool
}

extension Recorder {
    func geometry(of field: VMStateField, flags: FieldFlags, opaque: UInt64, profile: Profile) throws(Abort)
        -> FieldGeometry
    {
        var count = 1
        var countDetail = "single"
        var isArray = true
        // The first count flag set wins, in QEMU's order.
        if flags.contains(.array) {
            count = field.num
            countDetail = "ARRAY num \(field.num)"
        } else if let (flag, width, signed) = Self.varrayFlags.first(where: { flags.contains($0.0) }) {
            let raw = try readUnsigned(opaque &+ UInt64(field.numOffset), width: width, what: "\(flag.shortName) count")
            let value: Int64 =
                signed ? Int64(Int32(truncatingIfNeeded: raw)) : Int64(raw)
            // n_elems is a C int: a uint32 count above INT_MAX turns negative and the loop is empty.
            count = Int(Int32(truncatingIfNeeded: value))
            countDetail = "\(flag.shortName) count at +0x\(String(field.numOffset, radix: 16)) = \(value)"
        } else {
            isArray = false
        }
        if flags.contains(.multiplyElements) {
            count = Int(Int32(truncatingIfNeeded: count &* field.num))
            countDetail += " × num \(field.num)"
            isArray = true
        }

        var size = field.size
        var sizeDetail = "size \(field.size)"
        if flags.contains(.vbuffer) {
            let raw = try readUnsigned(opaque &+ UInt64(field.sizeOffset), width: 4, what: "VBUFFER size")
            size = Int(Int32(truncatingIfNeeded: raw))
            sizeDetail = "VBUFFER size at +0x\(String(field.sizeOffset, radix: 16)) = \(size)"
            if flags.contains(.multiply) {
                size = Int(Int32(truncatingIfNeeded: size &* field.size))
                sizeDetail += " × \(field.size)"
            }
        } else if flags.contains(.arrayOfPointer), profile.arrayOfPointerUsesHostPointerSize {
            size = 8
            sizeDetail = "host pointer size 8"
        }
        return FieldGeometry(
            count: count, size: size, countDetail: countDetail, sizeDetail: sizeDetail, isArray: isArray)
    }

    static let varrayFlags: [(FieldFlag, Int, Bool)] = [
        (.varrayInt32, 4, true), (.varrayUInt32, 4, false), (.varrayUInt16, 2, false), (.varrayUInt8, 1, false),
    ]
}
