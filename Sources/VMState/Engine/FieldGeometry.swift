/// `vmstate_n_elems` and `vmstate_size`: how many elements a field has and how big each is,
/// read from the opaque struct where the flags say so.
struct FieldGeometry {
    var count: Int
    var size: Int
    var detail: CountDetail
    /// The field has a count flag, so its elements are shown with an index.
    var isArray: Bool { detail.isArray }
}

extension Recorder {
    func geometry(of field: VMStateField, flags: FieldFlags, opaque: UInt64, profile: Profile) throws(Abort)
        -> FieldGeometry
    {
        var detail = CountDetail(
            countFlag: nil, countOffset: 0, storedCount: 1, isArray: true, multipliedBy: nil, size: .field(field.size))
        var count = 1
        // The first count flag set wins, in QEMU's order.
        if flags.contains(.array) {
            count = field.num
            detail.storedCount = Int64(field.num)
        } else if let (flag, width, signed) = Self.varrayFlags.first(where: { flags.contains($0.0) }) {
            let raw = try readUnsigned(opaque &+ UInt64(field.numOffset), width: width, what: "\(flag.shortName) count")
            let value: Int64 = signed ? Int64(Int32(truncatingIfNeeded: raw)) : Int64(raw)
            // n_elems is a C int: a uint32 count above INT_MAX turns negative and the loop is empty.
            count = Int(Int32(truncatingIfNeeded: value))
            detail.countFlag = flag
            detail.countOffset = field.numOffset
            detail.storedCount = value
        } else {
            detail.isArray = false
        }
        if flags.contains(.multiplyElements) {
            count = Int(Int32(truncatingIfNeeded: count &* field.num))
            detail.multipliedBy = field.num
            detail.isArray = true
        }

        var size = field.size
        if flags.contains(.vbuffer) {
            let raw = try readUnsigned(opaque &+ UInt64(field.sizeOffset), width: 4, what: "VBUFFER size")
            size = Int(Int32(truncatingIfNeeded: raw))
            let value = size
            if flags.contains(.multiply) { size = Int(Int32(truncatingIfNeeded: size &* field.size)) }
            detail.size = .vbuffer(
                offset: field.sizeOffset, value: value, multiplier: flags.contains(.multiply) ? field.size : nil)
        } else if flags.contains(.arrayOfPointer), profile.arrayOfPointerUsesHostPointerSize {
            size = 8
            detail.size = .hostPointer
        }
        return FieldGeometry(count: count, size: size, detail: detail)
    }

    static let varrayFlags: [(FieldFlag, Int, Bool)] = [
        (.varrayInt32, 4, true), (.varrayUInt32, 4, false), (.varrayUInt16, 2, false), (.varrayUInt8, 1, false),
    ]
}

extension Recorder {
    /// `vmstate_field_exists`: the field's `field_exists` test alone decides when it has one,
    /// else its version against the stream's.
    func fieldExists(_ field: VMStateField, of vmsd: VMStateDescription, opaque: UInt64, version: Int)
        throws(Abort) -> (exists: Bool, reason: ExistsReason)
    {
        if let test = field.fieldExists {
            let result = try self.test(test, opaque: opaque, structType: vmsd.structType, versionID: version)
            return (result, .test(test, result))
        }
        return (field.versionID <= version, .version(field: field.versionID, stream: version))
    }

    /// `vmstate_n_elems` and `vmstate_size`, recorded as a step.
    mutating func measure(
        _ field: VMStateField, flags: FieldFlags, opaque: UInt64, profile: Profile, at here: Range<Int>
    ) throws(Abort) -> FieldGeometry {
        let geometry = try self.geometry(of: field, flags: flags, opaque: opaque, profile: profile)
        emit(
            .elementCount(field: field.name, count: geometry.count, size: geometry.size, detail: geometry.detail),
            bytes: here, depthOffset: 1)
        guard geometry.size >= 0 else { throw .limit("field '\(field.name)' has a negative size \(geometry.size)") }
        return geometry
    }
}
