/// The destination side of vmstate.c for one profile: `vmstate_load_state` and its helpers.
///
/// Each function below is the counterpart of one in QEMU (named in its comment); the
/// profile's properties decide where the versions differ.
struct Loader {
    var recorder: Recorder
    var reader: StreamReader
    let definitions: Definitions
    let profile: Profile
    let limits: EngineLimits
    private var nesting = 0

    init(recorder: Recorder, reader: StreamReader, definitions: Definitions, profile: Profile, limits: EngineLimits) {
        self.recorder = recorder
        self.reader = reader
        self.definitions = definitions
        self.profile = profile
        self.limits = limits
    }

    var messages: MessageStyle { profile.messages }
    var here: Range<Int> { reader.absolutePosition..<reader.absolutePosition }

    /// Records a failure where it happens; returns what the caller propagates.
    mutating func fail(_ code: Int, _ message: String?) -> Failure {
        if let message {
            recorder.emit(.error(message), bytes: here)
            if !messages.propagatesErrors { recorder.reports.append(message) }
        }
        return Failure(code: code, message: messages.propagatesErrors ? message : nil)
    }

    private func nested(_ name: String?) throws(Abort) -> VMStateDescription {
        guard let name, let vmsd = definitions[name] else {
            throw .fault(address: 0, access: "field->vmsd '\(name ?? "NULL")' is not defined")
        }
        return vmsd
    }

    func checkBudget() throws(Abort) {
        if recorder.events.count > limits.maxEvents {
            throw .limit("the trace passed \(limits.maxEvents) events")
        }
    }

    // MARK: vmstate_load_state

    mutating func loadVMSD(_ vmsd: VMStateDescription, opaque: UInt64, version: Int) throws(Abort) -> Failure? {
        nesting += 1
        defer { nesting -= 1 }
        guard nesting <= limits.maxNesting else {
            throw .limit(
                "VMSDs nested deeper than \(limits.maxNesting) at '\(vmsd.name)' (does a VMSD contain itself?)")
        }
        recorder.emit(.enterVMSD(name: vmsd.name, version: version), bytes: here)
        let failure = try loadVMSDBody(vmsd, opaque: opaque, version: version)
        recorder.emit(.leaveVMSD(name: vmsd.name, succeeded: failure == nil), bytes: here)
        return failure
    }

    private mutating func loadVMSDBody(_ vmsd: VMStateDescription, opaque: UInt64, version: Int) throws(Abort)
        -> Failure?
    {
        if version > vmsd.versionID {
            recorder.emit(
                .versionCheck(
                    vmsd: vmsd.qemuName, incoming: version, minimum: vmsd.minimumVersionID, local: vmsd.versionID,
                    verdict: .tooNew), bytes: here)
            return fail(-22, messages.versionTooNew(vmsd.qemuName, incoming: version, local: vmsd.versionID))
        }
        if version < vmsd.minimumVersionID {
            recorder.emit(
                .versionCheck(
                    vmsd: vmsd.qemuName, incoming: version, minimum: vmsd.minimumVersionID, local: vmsd.versionID,
                    verdict: .tooOld), bytes: here)
            return fail(-22, messages.versionTooOld(vmsd.qemuName, incoming: version, minimum: vmsd.minimumVersionID))
        }
        recorder.emit(
            .versionCheck(
                vmsd: vmsd.qemuName, incoming: version, minimum: vmsd.minimumVersionID, local: vmsd.versionID,
                verdict: .accepted), bytes: here)

        if let hook = vmsd.preLoad {
            let result = try recorder.run(hook, opaque: opaque, structType: vmsd.structType, versionID: version)
            let failed = result.errorMessage != nil || result.returnValue != 0
            recorder.emit(.hook(.preLoad, result: Self.describe(result), failed: failed), bytes: here)
            if failed {
                let message = messages.preLoadFailed(vmsd, ret: result.returnValue, cause: result.errorMessage)
                return fail(result.errorMessage != nil ? -22 : result.returnValue, message)
            }
        }

        for (index, field) in vmsd.fields.enumerated() {
            recorder.pushField(index, of: vmsd)
            let failure = try loadField(field, of: vmsd, opaque: opaque, version: version)
            recorder.pop()
            if let failure { return failure }
        }

        // vmstate.c asserts that the list ends with VMSTATE_END_OF_LIST().
        if let raw = vmsd.terminatorRawFlags, raw != profile.endValue {
            throw .assertion(
                "field->flags == VMS_END (0x\(String(raw, radix: 16)) != 0x\(String(profile.endValue, radix: 16)))")
        }

        if let failure = try loadSubsections(of: vmsd, opaque: opaque) {
            if profile.subsectionFailureSetsStreamError { setStreamError(failure.code) }
            return failure
        }

        if let hook = vmsd.postLoad {
            let result = try recorder.run(hook, opaque: opaque, structType: vmsd.structType, versionID: version)
            let failed = result.errorMessage != nil || result.returnValue < 0
            recorder.emit(.hook(.postLoad, result: Self.describe(result), failed: failed), bytes: here)
            if failed {
                let message = messages.postLoadFailed(vmsd, ret: result.returnValue, cause: result.errorMessage)
                return fail(result.errorMessage != nil ? -22 : result.returnValue, message)
            }
        }
        return nil
    }

    static func describe(_ result: HookResult) -> String {
        if let message = result.errorMessage { return "error: \(message)" }
        return "returned \(result.returnValue)"
    }

    private mutating func setStreamError(_ code: Int) {
        if reader.error == nil {
            reader.setError(code)
            recorder.emit(.streamError(code), bytes: here)
        }
    }

    // MARK: one field (the body of the field loop)

    private mutating func loadField(_ declared: VMStateField, of vmsd: VMStateDescription, opaque: UInt64, version: Int)
        throws(Abort) -> Failure?
    {
        let field = declared
        let flags = profile.effective(field.flags)
        let (exists, reason) = try recorder.fieldExists(field, of: vmsd, opaque: opaque, version: version)
        recorder.emit(.fieldExists(field: field.name, exists: exists, reason: reason), bytes: here)
        guard exists else {
            if flags.contains(.mustExist) {
                return fail(
                    messages.propagatesErrors ? -22 : -1, messages.inputValidationFailed(vmsd, field: field.name))
            }
            return nil
        }

        let geometry = try recorder.measure(field, flags: flags, opaque: opaque, profile: profile, at: here)

        let slot = opaque &+ UInt64(field.offset)
        var first = slot
        if profile.pointerArrays.bulkAllocates(flags) {
            try handleAlloc(slot: slot, field: field, geometry: geometry)
        }
        if flags.contains(.pointer) {
            first = try recorder.readPointer(slot, what: "VMS_POINTER slot of \(field.name)")
            recorder.emit(.pointerDeref(slot: slot, target: first), bytes: here, depthOffset: 1)
            if first == 0 && geometry.count > 0 && geometry.size > 0 {
                throw .assertion("first_elem || !n_elems || !size")
            }
        }

        if geometry.count > 0 { try checkBudget() }
        for index in 0..<max(0, geometry.count) {
            let element = geometry.isArray ? index : field.listedIndex
            if let element { recorder.pushElement(element) }
            let start = reader.position
            let failure = try loadElement(field, flags: flags, first: first, index: index, geometry: geometry)
            if element != nil { recorder.pop() }
            if let failure {
                // The callee failed: the stream error is set to its code.
                setStreamError(failure.code)
                let extra = messages.fieldLoadFailed(vmsd.qemuName, field: field.name, streamError: nil)
                if let extra, !messages.propagatesErrors { _ = fail(failure.code, extra) }
                return Failure(code: failure.code, message: failure.message)
            }
            if let error = reader.error {
                // Reading past the end is noticed here, after the element.
                if reader.position > start || error != 0 {
                    recorder.emit(.streamError(error), bytes: here)
                }
                return fail(error, messages.fieldLoadFailed(vmsd.qemuName, field: field.name, streamError: error))
            }
            if index % 4096 == 4095 { try checkBudget() }
        }
        return nil
    }

    /// `vmstate_handle_alloc`: the whole pointed-to area, uninitialised, replacing the old pointer.
    private mutating func handleAlloc(slot: UInt64, field: VMStateField, geometry: FieldGeometry) throws(Abort) {
        let total = geometry.size.multipliedReportingOverflow(by: max(0, geometry.count))
        guard !total.overflow, total.partialValue <= limits.maxAllocation else {
            throw .limit(
                "VMS_ALLOC of \(geometry.size) × \(geometry.count) bytes for '\(field.name)' exceeds vmscope's limit")
        }
        guard total.partialValue > 0 else { return }
        // What the area holds: pointers for an array of pointers, else the elements.
        var type = elementType(field)
        if field.flags.contains(.arrayOfPointer) { type = .pointer(type ?? .void) }
        if let element = type, geometry.count > 1 { type = .array(element, count: geometry.count) }
        guard let base = recorder.allocate(size: total.partialValue, type: type, zeroed: false) else { return }
        try recorder.writeUnsigned(slot, width: 8, base, what: "VMS_ALLOC slot of \(field.name)")
        recorder.emit(
            .allocation(
                base: base, size: total.partialValue, zeroed: false, type: type,
                reason: .bulk(size: geometry.size, count: geometry.count)), bytes: here,
            depthOffset: 1)
    }

    /// The struct a STRUCT field's elements are, for labelling allocations.
    private func elementType(_ field: VMStateField) -> CType? {
        guard field.flags.contains(.struct), let name = field.vmsd, let structType = definitions[name]?.structType
        else { return nil }
        return .named(structType)
    }

    // MARK: one element

    private mutating func loadElement(
        _ field: VMStateField, flags: FieldFlags, first: UInt64, index: Int, geometry: FieldGeometry
    ) throws(Abort) -> Failure? {
        var element = first &+ UInt64(geometry.size) &* UInt64(index)
        if flags.contains(.arrayOfPointer) {
            let slot = element
            let target = try recorder.readPointer(slot, what: "array-of-pointer slot \(index) of \(field.name)")
            recorder.emit(.pointerDeref(slot: slot, target: target), bytes: here, depthOffset: 1)
            if profile.pointerArrays.usesMarkerPerElement(flags) {
                guard let allocated = try loadMarkedElement(field, slot: slot, target: target) else { return nil }
                switch allocated {
                case .success(let address): element = address
                case .failure(let failure): return failure
                }
            } else {
                element = target
                if target == 0 && geometry.size != 0 {
                    return try loadNullPlaceholder()
                }
            }
        }
        return try loadValue(field, flags: flags, at: element, size: geometry.size)
    }

    /// A marker precedes the element (AUTO_ALLOC, or ARRAY_OF_POINTER|ALLOC in the seed patch).
    /// Returns nil when the element is NULL, else where to load it (or why not).
    private mutating func loadMarkedElement(_ field: VMStateField, slot: UInt64, target: UInt64) throws(Abort)
        -> Result<UInt64, Failure>?
    {
        if profile.pointerArrays == .autoAllocFlag && target != 0 {
            throw .assertion("!auto_alloc || *slot == NULL (slot holds 0x\(String(target, radix: 16)))")
        }
        let start = reader.position
        let marker = reader.readByte()
        let bytes = reader.range(since: start)
        switch marker {
        case PtrMarker.null.rawValue:
            recorder.emit(.markerRead(byte: marker, meaning: "NULL: slot left as it is"), bytes: bytes, depthOffset: 1)
            return nil
        case PtrMarker.valid.rawValue:
            recorder.emit(.markerRead(byte: marker, meaning: "VALID: element follows"), bytes: bytes, depthOffset: 1)
            // vmstate_next: allocate when the slot is NULL, or always with ALLOC (seed patch).
            guard target == 0 || profile.pointerArrays == .allocFlag else { return .success(target) }
            guard field.size <= limits.maxAllocation else {
                throw .limit(
                    "per-element allocation of \(field.size) bytes for '\(field.name)' exceeds vmscope's limit")
            }
            let type = elementType(field)
            guard let base = recorder.allocate(size: field.size, type: type, zeroed: true) else {
                // g_malloc0(0) is NULL: the element load then faults, as QEMU would.
                return .success(0)
            }
            try recorder.writeUnsigned(slot, width: 8, base, what: "slot of \(field.name)")
            let reason: AllocationReason =
                target == 0
                ? .validMarker(size: field.size) : .validMarkerReplacing(previous: target, size: field.size)
            recorder.emit(
                .allocation(
                    base: base, size: field.size, zeroed: true, type: type, reason: reason),
                bytes: here, depthOffset: 1)
            return .success(base)
        default:
            recorder.emit(.markerRead(byte: marker, meaning: "unexpected"), bytes: bytes, depthOffset: 1)
            if reader.error != nil { return .failure(Failure(code: reader.error ?? -5, message: nil)) }
            return .failure(fail(-22, messages.unexpectedMarker(marker)))
        }
    }

    /// A NULL destination slot without per-element markers: the stream must hold 0x30.
    private mutating func loadNullPlaceholder() throws(Abort) -> Failure? {
        let start = reader.position
        let marker = reader.readByte()
        let bytes = reader.range(since: start)
        if marker == PtrMarker.null.rawValue {
            recorder.emit(.markerRead(byte: marker, meaning: "NULL: slot stays NULL"), bytes: bytes, depthOffset: 1)
            return nil
        }
        if marker == PtrMarker.valid.rawValue, let condition = profile.validMarkerAssertion {
            recorder.emit(
                .markerRead(byte: marker, meaning: "VALID at a field without per-element allocation"),
                bytes: bytes, depthOffset: 1)
            throw .assertion(condition)
        }
        recorder.emit(.markerRead(byte: marker, meaning: "unexpected"), bytes: bytes, depthOffset: 1)
        if reader.error != nil { return nil }
        return fail(-22, messages.unexpectedMarker(marker))
    }

    /// STRUCT / VSTRUCT recursion or the info's `get`.
    private mutating func loadValue(_ field: VMStateField, flags: FieldFlags, at element: UInt64, size: Int)
        throws(Abort) -> Failure?
    {
        if flags.contains(.struct) {
            let vmsd = try nested(field.vmsd)
            recorder.push(.nested(vmsd.qemuName))
            defer { recorder.pop() }
            // A nested struct loads at its own version: nothing on the wire says otherwise.
            return try loadVMSD(vmsd, opaque: element, version: vmsd.versionID)
        }
        if flags.contains(.vstruct) {
            let vmsd = try nested(field.vmsd)
            recorder.push(.nested(vmsd.qemuName))
            defer { recorder.pop() }
            return try loadVMSD(vmsd, opaque: element, version: field.structVersionID)
        }
        guard let info = field.info else {
            throw .fault(address: element, access: "field '\(field.name)' has no VMStateInfo (field->info is NULL)")
        }
        return try loadInfo(info, field: field, at: element, size: size)
    }

    // MARK: vmstate_subsection_load

    /// A name read from the stream, fit for a terminal: printable ASCII as is, every other byte
    /// (a desynchronised stream puts NULs and binary here) as `\xNN`.
    static func printable(_ bytes: some Sequence<UInt8>) -> String {
        var text = ""
        for byte in bytes {
            if byte >= 0x20, byte < 0x7f, byte != UInt8(ascii: "\\") {
                text.unicodeScalars.append(Unicode.Scalar(byte))
            } else {
                text += "\\x" + (byte < 0x10 ? "0" : "") + String(byte, radix: 16)
            }
        }
        return text
    }

    private mutating func loadSubsections(of vmsd: VMStateDescription, opaque: UInt64) throws(Abort) -> Failure? {
        while true {
            guard let kind = reader.peek(0), kind == SectionByte.subsection else {
                recorder.emit(.subsectionPeek(name: nil, decision: .noSubsection), bytes: here)
                return nil
            }
            let length = Int(reader.peek(1) ?? 0)
            if length < vmsd.qemuName.utf8.count + 1 {
                recorder.emit(.subsectionPeek(name: nil, decision: .nameTooShort), bytes: here)
                return nil
            }
            let nameBytes = reader.peek(length, at: 2)
            if nameBytes.count != length {
                recorder.emit(.subsectionPeek(name: nil, decision: .truncated), bytes: here)
                return nil
            }
            // Looked up by its bytes, as QEMU compares them; shown with escapes.
            let name = String(decoding: nameBytes, as: UTF8.self)
            let shown = Self.printable(nameBytes)
            // Only the parent's name is compared; the '/' is not checked.
            if !nameBytes.starts(with: Array(vmsd.qemuName.utf8)) {
                recorder.emit(.subsectionPeek(name: shown, decision: .foreignPrefix), bytes: here)
                return nil
            }
            guard Array(name.utf8) == nameBytes, vmsd.subsections.contains(name), let subsection = definitions[name]
            else {
                recorder.emit(.subsectionPeek(name: shown, decision: .unknown), bytes: here)
                return fail(
                    messages.propagatesErrors ? -22 : -2, messages.unknownSubsection(shown, parent: vmsd.qemuName))
            }
            recorder.emit(.subsectionPeek(name: name, decision: .enter), bytes: here)
            let start = reader.position
            reader.skip(2 + length)
            let rawVersion = UInt32(truncatingIfNeeded: reader.readBigEndian(4))
            // The be32 version is stored into a uint8_t: 0x103 loads as version 3.
            let version = Int(UInt8(truncatingIfNeeded: rawVersion))
            recorder.push(.subsection(name: name, parent: vmsd.qemuName))
            recorder.emit(
                .subsectionHeader(name: name, rawVersion: rawVersion, version: version),
                bytes: reader.range(since: start))
            let failure = try loadVMSD(subsection, opaque: opaque, version: version)
            recorder.pop()
            if let failure {
                let message = failure.message.map {
                    messages.subsectionLoadFailed(name, parent: vmsd.qemuName, cause: $0)
                }
                return Failure(code: failure.code, message: message)
            }
        }
    }
}

/// The bytes QEMU puts in front of pointer-array elements.
public enum PtrMarker: UInt8, Sendable {
    /// `VMS_MARKER_PTR_NULL` ('0'; `VMS_NULLPTR_MARKER` before 2026).
    case null = 0x30
    /// `VMS_MARKER_PTR_VALID` ('1', 2026).
    case valid = 0x31
}

enum SectionByte {
    static let subsection: UInt8 = 0x05
}

extension Profile {
    /// The assertion a VALID marker hits at a field that does not allocate per element.
    var validMarkerAssertion: String? {
        switch pointerArrays {
        case .nullMarkerOnly: nil
        case .autoAllocFlag: "field->flags & VMS_ARRAY_OF_POINTER_AUTO_ALLOC"
        case .allocFlag: "field->flags & VMS_ALLOC"
        }
    }
}
