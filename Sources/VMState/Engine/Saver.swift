/// The source side of vmstate.c for one profile: `vmstate_save_state_v`, the vmdesc it writes
/// alongside (`vmsd_desc_field_start/end`), and `vmstate_subsection_save`.
struct Saver {
    var recorder: Recorder
    var writer: StreamWriter
    /// The vmdesc being written; `describe` arguments say whether a call writes into it.
    var json: CompactJSONWriter
    let definitions: Definitions
    let profile: Profile
    let limits: EngineLimits
    private var nesting = 0

    init(
        recorder: Recorder, writer: StreamWriter, json: CompactJSONWriter, definitions: Definitions, profile: Profile,
        limits: EngineLimits
    ) {
        self.recorder = recorder
        self.writer = writer
        self.json = json
        self.definitions = definitions
        self.profile = profile
        self.limits = limits
    }

    var messages: MessageStyle { profile.messages }
    var here: Range<Int> { (writer.base + writer.position)..<(writer.base + writer.position) }

    mutating func fail(_ code: Int, _ message: String?) -> Failure {
        if let message {
            recorder.emit(.error(message), bytes: here)
            if !messages.propagatesErrors { recorder.reports.append(message) }
        }
        return Failure(code: code, message: messages.propagatesErrors ? message : nil)
    }

    func nested(_ name: String?) throws(Abort) -> VMStateDescription {
        guard let name, let vmsd = definitions[name] else {
            throw .fault(address: 0, access: "field->vmsd '\(name ?? "NULL")' is not defined")
        }
        return vmsd
    }

    // MARK: vmstate_save_state_v

    mutating func saveVMSD(_ vmsd: VMStateDescription, opaque: UInt64, version: Int, describe: Bool) throws(Abort)
        -> Failure?
    {
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= limits.maxNesting else {
            throw .limit(
                "VMSDs nested deeper than \(limits.maxNesting) at '\(vmsd.name)' (does a VMSD contain itself?)")
        }
        if recorder.events.count > limits.maxEvents { throw .limit("the trace passed \(limits.maxEvents) events") }
        recorder.emit(.enterVMSD(name: vmsd.name, version: version), bytes: here)
        let failure = try saveVMSDBody(vmsd, opaque: opaque, version: version, describe: describe)
        recorder.emit(.leaveVMSD(name: vmsd.name, succeeded: failure == nil), bytes: here)
        return failure
    }

    private mutating func saveVMSDBody(_ vmsd: VMStateDescription, opaque: UInt64, version: Int, describe: Bool)
        throws(Abort) -> Failure?
    {
        if let hook = vmsd.preSave {
            let result = try recorder.run(hook, opaque: opaque, structType: vmsd.structType, versionID: version)
            let failed = result.errorMessage != nil || result.returnValue != 0
            recorder.emit(.hook(.preSave, result: Loader.describe(result), failed: failed), bytes: here)
            if failed {
                // post_save is not called when pre_save fails.
                return fail(
                    result.errorMessage != nil ? -22 : result.returnValue,
                    messages.preSaveFailed(vmsd.name, cause: result.errorMessage))
            }
        }
        if describe {
            json.string("vmsd_name", vmsd.name)
            json.integer("version", version)
            json.startArray("fields")
        }
        var failure: Failure?
        for (index, field) in vmsd.fields.enumerated() {
            recorder.pushField(index, of: vmsd)
            failure = try saveField(field, of: vmsd, opaque: opaque, version: version, describe: describe)
            recorder.pop()
            if failure != nil { break }
        }
        if failure == nil {
            if let raw = vmsd.terminatorRawFlags, raw != profile.endValue {
                throw .assertion(
                    "field->flags == VMS_END (0x\(String(raw, radix: 16)) != 0x\(String(profile.endValue, radix: 16)))")
            }
            if describe { json.endArray() }
            failure = try saveSubsections(of: vmsd, opaque: opaque, describe: describe)
        }
        if let hook = vmsd.postSave {
            let result = try recorder.run(hook, opaque: opaque, structType: vmsd.structType, versionID: version)
            recorder.emit(
                .hook(.postSave, result: Loader.describe(result), failed: result.returnValue != 0), bytes: here)
            // 7.2's int post_save can turn a successful save into a failure.
            if failure == nil, result.returnValue != 0, messages == .legacy {
                failure = Failure(code: result.returnValue, message: nil)
            }
        }
        return failure
    }

    // MARK: one field

    private mutating func saveField(
        _ field: VMStateField, of vmsd: VMStateDescription, opaque: UInt64, version: Int, describe: Bool
    ) throws(Abort) -> Failure? {
        let flags = profile.effective(field.flags)
        let (exists, reason) = try recorder.fieldExists(field, of: vmsd, opaque: opaque, version: version)
        recorder.emit(.fieldExists(field: field.name, exists: exists, reason: reason), bytes: here)
        guard exists else {
            if flags.contains(.mustExist) {
                let message = messages.outputValidationFailed(vmsd.name, field: field.name)
                recorder.emit(.error(message), bytes: here)
                recorder.reports.append(message)
                throw .assertion("!(field->flags & VMS_MUST_EXIST)")
            }
            return nil
        }

        let geometry = try recorder.measure(field, flags: flags, opaque: opaque, profile: profile, at: here)
        var first = opaque &+ UInt64(field.offset)
        if flags.contains(.pointer) {
            let slot = first
            first = try recorder.readPointer(slot, what: "VMS_POINTER slot of \(field.name)")
            recorder.emit(.pointerDeref(slot: slot, target: first), bytes: here, depthOffset: 1)
            if first == 0 && geometry.count > 0 && geometry.size > 0 {
                throw .assertion("first_elem || !n_elems || !size")
            }
        }

        let dynamic = profile.pointerArrays.usesMarkerPerElement(flags)
        let compressible = try canCompress(field, flags: flags)
        var describeLoop = describe
        var previousWasNull = false
        let count = max(0, geometry.count)
        for index in 0..<count {
            if geometry.isArray { recorder.pushElement(index) }
            defer { if geometry.isArray { recorder.pop() } }
            var element = first &+ UInt64(geometry.size) &* UInt64(index)
            var isNull = false
            if flags.contains(.arrayOfPointer) {
                if element == 0 { throw .assertion("curr_elem") }
                let slot = element
                element = try recorder.readPointer(slot, what: "array-of-pointer slot \(index) of \(field.name)")
                recorder.emit(.pointerDeref(slot: slot, target: element), bytes: here, depthOffset: 1)
                isNull = element == 0 && (geometry.size != 0 || dynamic)
            }

            if dynamic {
                let failure = try saveMarkedElement(
                    field, of: vmsd, flags: flags, element: element, isNull: isNull, size: geometry.size,
                    describe: describeLoop)
                if let failure { return try fieldFailed(vmsd, field: field, opaque: opaque, failure: failure) }
                continue
            }

            // Which entry the vmdesc gets, and how many elements it stands for.
            var maxElements: Int
            switch profile.vmdescArrayKeys {
            case .indexOnEveryElement: maxElements = count
            case .indexOnAllButLast: maxElements = count - index
            case .noIndex: maxElements = compressible ? count - index : 1
            }
            // 10.x and later restart the description at each change between NULL and non-NULL
            // entries, so a compressed entry never covers both.
            if profile.vmdescArrayKeys.splitsNullRuns, flags.contains(.arrayOfPointer),
                index == 0 || isNull != previousWasNull
            {
                previousWasNull = isNull
                describeLoop = describe
                let run = try runLength(from: index, count: count, first: first, size: geometry.size, null: isNull)
                if compressible || isNull { maxElements = run }
            }
            let nullEntry = isNull && profile.nullMarkerTypeName != nil
            let start = writer.position
            try describeStart(
                vmsd, field: field, flags: nullEntry ? [.single] : flags, index: index, max: maxElements,
                typeName: nullEntry ? profile.nullMarkerTypeName : nil, compressible: nullEntry || compressible,
                describe: describeLoop)
            let failure: Failure?
            if isNull {
                writer.writeByte(PtrMarker.null.rawValue)
                recorder.emit(
                    .markerWritten(byte: PtrMarker.null.rawValue, meaning: "NULL entry"),
                    bytes: writer.range(since: start), depthOffset: 1)
                failure = nil
            } else {
                failure = try saveValue(field, flags: flags, at: element, size: geometry.size, describe: describeLoop)
            }
            if let failure { return try fieldFailed(vmsd, field: field, opaque: opaque, failure: failure) }
            describeEnd(flags: nullEntry ? [.single] : flags, size: writer.position - start, describe: describeLoop)
            if describeLoop && compressible { describeLoop = false }
        }
        return nil
    }

    /// A save failed inside a field: the message, then post_save runs anyway.
    private mutating func fieldFailed(
        _ vmsd: VMStateDescription, field: VMStateField, opaque: UInt64, failure: Failure
    ) throws(Abort) -> Failure {
        let message = messages.fieldSaveFailed(vmsd.name, field: field.name, cause: failure.message)
        let reported = fail(failure.code, message)
        if let hook = vmsd.postSave {
            let result = try recorder.run(hook, opaque: opaque, structType: vmsd.structType, versionID: vmsd.versionID)
            recorder.emit(.hook(.postSave, result: Loader.describe(result), failed: false), bytes: here)
        }
        return reported
    }

    /// How many elements from `index` on share its NULL-ness (a vmdesc run).
    private func runLength(from index: Int, count: Int, first: UInt64, size: Int, null: Bool) throws(Abort) -> Int {
        var next = index + 1
        while next < count {
            let slot = first &+ UInt64(size) &* UInt64(next)
            let target = try recorder.readPointer(slot, what: "array-of-pointer slot \(next)")
            if (target == 0 && size != 0) != null { break }
            next += 1
        }
        return next - index
    }

    /// AUTO_ALLOC (or ARRAY_OF_POINTER|ALLOC): a marker before every element, each with its
    /// own vmdesc entry, never compressed.
    private mutating func saveMarkedElement(
        _ field: VMStateField, of vmsd: VMStateDescription, flags: FieldFlags, element: UInt64, isNull: Bool, size: Int,
        describe: Bool
    ) throws(Abort) -> Failure? {
        let marker = isNull ? PtrMarker.null : PtrMarker.valid
        let markerStart = writer.position
        try describeStart(
            vmsd, field: field, flags: [.single], index: 0, max: 1, typeName: profile.nullMarkerTypeName ?? "nullptr",
            compressible: false, describe: describe, markerEntry: true)
        writer.writeByte(marker.rawValue)
        recorder.emit(
            .markerWritten(byte: marker.rawValue, meaning: isNull ? "NULL entry" : "VALID: element follows"),
            bytes: writer.range(since: markerStart), depthOffset: 1)
        describeEnd(flags: [.single], size: 1, describe: describe)
        guard !isNull else { return nil }
        let start = writer.position
        try describeStart(
            vmsd, field: field, flags: flags, index: 0, max: 1, typeName: nil, compressible: false, describe: describe)
        // The element is the object itself: field->size bytes, not the pointer.
        if let failure = try saveValue(field, flags: flags, at: element, size: field.size, describe: describe) {
            return failure
        }
        describeEnd(flags: flags, size: writer.position - start, describe: describe)
        return nil
    }

    private mutating func saveValue(
        _ field: VMStateField, flags: FieldFlags, at element: UInt64, size: Int, describe: Bool
    )
        throws(Abort) -> Failure?
    {
        if flags.contains(.struct) {
            let vmsd = try nested(field.vmsd)
            recorder.push(.nested(vmsd.name))
            defer { recorder.pop() }
            return try saveVMSD(vmsd, opaque: element, version: vmsd.versionID, describe: describe)
        }
        if flags.contains(.vstruct) {
            let vmsd = try nested(field.vmsd)
            recorder.push(.nested(vmsd.name))
            defer { recorder.pop() }
            return try saveVMSD(vmsd, opaque: element, version: field.structVersionID, describe: describe)
        }
        guard let info = field.info else {
            throw .fault(address: element, access: "field '\(field.name)' has no VMStateInfo (field->info is NULL)")
        }
        return try saveInfo(info, field: field, at: element, size: size, describe: describe)
    }

    // MARK: vmdesc (vmsd_desc_field_start / vmsd_desc_field_end)

    private mutating func describeStart(
        _ vmsd: VMStateDescription, field: VMStateField, flags: FieldFlags, index: Int, max: Int, typeName: String?,
        compressible: Bool, describe: Bool, markerEntry: Bool = false
    ) throws(Abort) {
        guard describe else { return }
        json.startObject()
        json.string("name", Self.uniqueName(field, in: vmsd, isFake: markerEntry || typeName != nil))
        if max > 1 {
            if compressible {
                json.integer("array_len", max)
            } else {
                json.integer("index", index)
            }
        }
        json.string("type", typeName ?? field.typeName(nullMarker: profile.nullMarkerTypeName ?? "nullptr"))
        if flags.contains(.struct) { json.startObject("struct") }
    }

    private mutating func describeEnd(flags: FieldFlags, size: Int, describe: Bool) {
        guard describe else { return }
        if flags.contains(.struct) { json.endObject() }
        json.integer("size", size)
        json.endObject()
    }

    /// `name[k]` when another field of the VMSD has the same name. A stand-in entry (a NULL or
    /// marker entry) is not in the field list, so QEMU numbers it -1.
    static func uniqueName(_ field: VMStateField, in vmsd: VMStateDescription, isFake: Bool) -> String {
        let same = vmsd.fields.filter { $0.name == field.name }
        guard same.count > 1 else { return field.name }
        if isFake { return "\(field.name)[-1]" }
        let position = vmsd.fields.firstIndex(of: field).map { index in
            vmsd.fields[..<index].filter { $0.name == field.name }.count
        }
        return "\(field.name)[\(position ?? -1)]"
    }

    /// `vmsd_can_compress`: may the vmdesc describe only the first element with `array_len`?
    func canCompress(_ field: VMStateField, flags: FieldFlags, depth: Int = 0) throws(Abort) -> Bool {
        if field.fieldExists != nil { return false }
        if profile.pointerArrays.usesMarkerPerElement(flags) { return false }
        guard flags.contains(.struct) else { return true }
        guard depth < limits.maxNesting else { throw .limit("VMSDs nested deeper than \(limits.maxNesting)") }
        let vmsd = try nested(field.vmsd)
        for child in vmsd.fields
        where !(try canCompress(child, flags: profile.effective(child.flags), depth: depth + 1)) {
            return false
        }
        return vmsd.subsections.isEmpty
    }

    // MARK: vmstate_subsection_save

    private mutating func saveSubsections(of vmsd: VMStateDescription, opaque: UInt64, describe: Bool) throws(Abort)
        -> Failure?
    {
        var opened = false
        for name in vmsd.subsections {
            guard let subsection = definitions[name] else {
                throw .fault(address: 0, access: "subsection '\(name)' of '\(vmsd.name)' is not defined")
            }
            var needed = true
            if let test = subsection.needed {
                needed = try recorder.test(
                    test, opaque: opaque, structType: subsection.structType ?? vmsd.structType,
                    versionID: subsection.versionID)
                recorder.emit(.hook(.needed, result: "\(name): \(test) = \(needed)", failed: false), bytes: here)
            }
            guard needed else { continue }
            if describe {
                if !opened { json.startArray("subsections") }
                opened = true
                json.startObject()
            }
            let start = writer.position
            let nameBytes = Array(name.utf8.prefix(255))
            writer.writeByte(SectionByte.subsection)
            writer.writeByte(UInt8(nameBytes.count))
            writer.write(nameBytes)
            writer.writeBigEndian(UInt64(UInt32(truncatingIfNeeded: subsection.versionID)), width: 4)
            recorder.push(.subsection(name: name, parent: vmsd.name))
            recorder.emit(
                .subsectionHeader(
                    name: name, rawVersion: UInt32(truncatingIfNeeded: subsection.versionID),
                    version: subsection.versionID), bytes: writer.range(since: start))
            let failure = try saveVMSD(subsection, opaque: opaque, version: subsection.versionID, describe: describe)
            recorder.pop()
            if let failure { return failure }
            if describe { json.endObject() }
        }
        if opened { json.endArray() }
        return nil
    }
}
