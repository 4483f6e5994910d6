/// The `get` side of every VMStateInfo (vmstate-types.c, savevm.c).
extension Loader {
    mutating func loadInfo(_ info: VMStateInfo, field: VMStateField, at element: UInt64, size: Int) throws(Abort)
        -> Failure?
    {
        let start = reader.position
        switch info {
        case .bool:
            let byte = reader.readByte()
            try recorder.write(element, [byte != 0 ? 1 : 0], what: field.name)
            recorder.emit(
                .valueRead(info: info.name, value: .bool(byte != 0), address: element),
                bytes: reader.range(since: start), depthOffset: 1)
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64:
            let width = info.integerWidth ?? 1
            let raw = reader.readBigEndian(width)
            try recorder.writeUnsigned(element, width: width, raw, what: field.name)
            recorder.emit(
                .valueRead(info: info.name, value: Self.value(raw, info: info), address: element),
                bytes: reader.range(since: start), depthOffset: 1)
        case .uint8Equal, .uint16Equal, .uint32Equal, .uint64Equal, .int32Equal:
            return try loadEqual(info, field: field, at: element, start: start)
        case .int32LE:
            let incoming = Int64(Int32(truncatingIfNeeded: reader.readBigEndian(4)))
            let local = Int64(Int32(truncatingIfNeeded: try recorder.readUnsigned(element, width: 4, what: field.name)))
            let passed = incoming >= 0 && incoming <= local
            recorder.emit(
                .lessEqualCheck(local: local, incoming: incoming, passed: passed), bytes: reader.range(since: start),
                depthOffset: 1)
            guard passed else {
                return fail(-22, "Invalid value \(incoming) expecting positive value <= \(local)")
            }
            try recorder.writeUnsigned(
                element, width: 4, UInt64(UInt32(truncatingIfNeeded: incoming)), what: field.name)
        case .nullptr:
            let byte = reader.readByte()
            recorder.emit(
                .markerRead(byte: byte, meaning: byte == PtrMarker.null.rawValue ? "NULL" : "unexpected"),
                bytes: reader.range(since: start), depthOffset: 1)
            if byte != PtrMarker.null.rawValue {
                return fail(-22, messages.unexpectedMarker(byte))
            }
        case .cpuDouble:
            // The upper 32-bit word first, then the lower one.
            let upper = reader.readBigEndian(4)
            let lower = reader.readBigEndian(4)
            let bits = upper << 32 | lower
            try recorder.writeUnsigned(element, width: 8, bits, what: field.name)
            recorder.emit(
                .valueRead(info: info.name, value: .double(bits), address: element),
                bytes: reader.range(since: start), depthOffset: 1)
        case .float64:
            let bits = reader.readBigEndian(8)
            try recorder.writeUnsigned(element, width: 8, bits, what: field.name)
            recorder.emit(
                .valueRead(info: info.name, value: .double(bits), address: element),
                bytes: reader.range(since: start), depthOffset: 1)
        case .timer:
            let expiry = Int64(bitPattern: reader.readBigEndian(8))
            // -1 deletes the timer, anything else arms it: either way expire_time ends up as sent.
            try recorder.writeUnsigned(element, width: 8, UInt64(bitPattern: expiry), what: "\(field.name).expire_time")
            recorder.emit(
                .valueRead(info: info.name, value: .timer(expiry == -1 ? nil : expiry), address: element),
                bytes: reader.range(since: start), depthOffset: 1)
        case .opaque("ptr-marker"):
            // A marker described by a 2026 vmdesc: either byte is valid here; the element, if
            // any, is the next entry.
            let byte = reader.readByte()
            try recorder.write(element, [byte], what: field.name)
            let meaning =
                byte == PtrMarker.null.rawValue ? "NULL" : byte == PtrMarker.valid.rawValue ? "VALID" : "unexpected"
            recorder.emit(.markerRead(byte: byte, meaning: meaning), bytes: reader.range(since: start), depthOffset: 1)
            if meaning == "unexpected" { return fail(-22, messages.unexpectedMarker(byte)) }
        case .buffer, .opaque:
            let bytes = reader.readAvailable(size)
            try recorder.write(element, bytes, what: field.name)
            recorder.emit(
                .valueRead(
                    info: info.name, value: .bytes(bytes),
                    address: element), bytes: reader.range(since: start), depthOffset: 1)
        case .unusedBuffer:
            reader.skip(size)
            recorder.emit(.skipped(count: size), bytes: reader.range(since: start), depthOffset: 1)
        case .bitmap:
            // `size` is the number of bits; whole be64 words travel, unmasked.
            let words = (max(0, size) + 63) / 64
            for word in 0..<words {
                let wordStart = reader.position
                let value = reader.readBigEndian(8)
                try recorder.writeUnsigned(
                    element &+ UInt64(word * 8), width: 8, value, what: "\(field.name) word \(word)")
                recorder.emit(
                    .valueRead(
                        info: info.name, value: .unsigned(value, width: 8), address: element &+ UInt64(word * 8)),
                    bytes: reader.range(since: wordStart), depthOffset: 1)
            }
        case .tmp:
            return try loadTmp(field, parent: element, size: size)
        case .qtailq, .qlist:
            return try loadList(info, field: field, head: element)
        case .gtree:
            return try loadTree(field, at: element, valueSize: size)
        case .gByteArray:
            let length = Int(reader.readBigEndian(4))
            recorder.emit(.nodeCount(length), bytes: reader.range(since: start), depthOffset: 1)
            guard length <= limits.maxAllocation else {
                throw .limit("GByteArray of \(length) bytes for '\(field.name)' exceeds vmscope's limit")
            }
            let dataStart = reader.position
            let bytes = reader.readAvailable(length)
            if let data = recorder.allocate(
                size: length, type: .array(.integer(bytes: 1, signed: false), count: length),
                zeroed: false)
            {
                try recorder.write(data, bytes, what: "\(field.name)->data")
                try recorder.writeUnsigned(element, width: 8, data, what: "\(field.name)->data")
            }
            try recorder.writeUnsigned(element &+ 8, width: 4, UInt64(length), what: "\(field.name)->len")
            recorder.emit(
                .valueRead(info: info.name, value: .bytes(bytes), address: element),
                bytes: reader.range(since: dataStart), depthOffset: 1)
        case .capability:
            let length = Int(reader.readByte())
            let name = String(decoding: reader.read(length), as: UTF8.self)
            recorder.emit(
                .valueRead(info: info.name, value: .text(name), address: element), bytes: reader.range(since: start),
                depthOffset: 1)
            guard let index = MigrationCapability.names.firstIndex(of: name) else {
                return fail(-22, "Received unknown capability \(name)")
            }
            try recorder.writeUnsigned(element, width: 4, UInt64(index), what: field.name)
        }
        return nil
    }

    static func value(_ raw: UInt64, info: VMStateInfo) -> FieldValue {
        let width = info.integerWidth ?? 8
        if info.isSigned {
            let shift = UInt64(64 - width * 8)
            return .signed(Int64(bitPattern: raw << shift) >> Int64(shift), width: width)
        }
        return .unsigned(raw, width: width)
    }

    /// `get_*_equal`: the incoming value must equal what the destination already holds.
    private mutating func loadEqual(_ info: VMStateInfo, field: VMStateField, at element: UInt64, start: Int)
        throws(Abort) -> Failure?
    {
        let width = info.integerWidth ?? 4
        let incoming = reader.readBigEndian(width)
        let local = try recorder.readUnsigned(element, width: width, what: field.name)
        let passed = incoming == local
        recorder.emit(
            .equalCheck(info: info.name, local: local, incoming: incoming, passed: passed),
            bytes: reader.range(since: start), depthOffset: 1)
        if passed { return nil }
        // QEMU prints the local value first, in hex without a prefix.
        let failure = fail(-22, "\(String(local, radix: 16)) != \(String(incoming, radix: 16))")
        if let hint = field.errHint, !messages.propagatesErrors { recorder.reports.append(hint) }
        return failure
    }

    /// `get_tmp`: a temporary struct whose first member points at the parent.
    private mutating func loadTmp(_ field: VMStateField, parent: UInt64, size: Int) throws(Abort) -> Failure? {
        guard let name = field.vmsd, let vmsd = definitions[name] else {
            throw .fault(address: parent, access: "tmp field '\(field.name)' has no VMSD")
        }
        guard size <= limits.maxAllocation else { throw .limit("tmp struct of \(size) bytes exceeds vmscope's limit") }
        guard let tmp = recorder.allocate(size: max(size, 8), type: vmsd.structType.map { .named($0) }, zeroed: false)
        else { return nil }
        try recorder.writeUnsigned(tmp, width: 8, parent, what: "tmp->parent")
        recorder.emit(
            .allocation(
                base: tmp, size: max(size, 8), zeroed: false, type: vmsd.structType.map { .named($0) },
                reason: .tmp(load: true)), bytes: here, depthOffset: 1)
        recorder.push(.nested(vmsd.qemuName))
        let failure = try loadVMSD(vmsd, opaque: tmp, version: field.versionID)
        recorder.pop()
        recorder.free(tmp)
        recorder.emit(.free(base: tmp, size: max(size, 8)), bytes: here, depthOffset: 1)
        return failure
    }

    /// `get_qtailq` / `get_qlist`: 01 + element until 00; each element freshly allocated and
    /// appended, so the list keeps the stream's order.
    private mutating func loadList(_ info: VMStateInfo, field: VMStateField, head: UInt64) throws(Abort) -> Failure? {
        guard let name = field.vmsd, let vmsd = definitions[name] else {
            throw .fault(address: head, access: "\(info.name) field '\(field.name)' has no element VMSD")
        }
        let version = field.versionID
        if version > vmsd.versionID { return fail(-22, "\(vmsd.qemuName) too new") }
        if version < vmsd.minimumVersionID { return fail(-22, "\(vmsd.qemuName) too old") }
        var previous: UInt64 = 0
        var index = 0
        while true {
            let start = reader.position
            let more = reader.readByte() != 0
            recorder.emit(.listMarker(more: more), bytes: reader.range(since: start), depthOffset: 1)
            guard more else { return nil }
            if reader.error != nil { return nil }
            guard field.size <= limits.maxAllocation else { throw .limit("list element of \(field.size) bytes") }
            guard
                let element = recorder.allocate(
                    size: field.size, type: vmsd.structType.map { .named($0) }, zeroed: false)
            else { throw .fault(address: 0, access: "g_malloc(0) for a list element of '\(field.name)'") }
            recorder.emit(
                .allocation(
                    base: element, size: field.size, zeroed: false, type: vmsd.structType.map { .named($0) },
                    reason: .listElement(info.name)), bytes: here, depthOffset: 1)
            recorder.push(.element(index))
            recorder.push(.nested(vmsd.qemuName))
            let failure = try loadVMSD(vmsd, opaque: element, version: version)
            recorder.pop()
            recorder.pop()
            if let failure {
                if info == .qlist, !messages.propagatesErrors {
                    recorder.reports.append("\(field.name): failed to load \(vmsd.qemuName) (\(failure.code))")
                }
                return failure
            }
            let link = element &+ UInt64(field.start)
            if info == .qtailq {
                try appendToTailQueue(head: head, element: element, link: link)
            } else {
                try appendToList(head: head, previous: previous, element: element, link: link, entryOffset: field.start)
            }
            previous = element
            index += 1
            if index % 4096 == 0 { try checkBudget() }
        }
    }

    /// QTAILQ_RAW_INSERT_TAIL: the head's `tql_prev` points at the last link's next pointer.
    private mutating func appendToTailQueue(head: UInt64, element: UInt64, link: UInt64) throws(Abort) {
        let last = try recorder.readPointer(head &+ 8, what: "QTAILQ head tql_prev")
        try recorder.writeUnsigned(link, width: 8, 0, what: "tqe_next")
        try recorder.writeUnsigned(link &+ 8, width: 8, last, what: "tql_prev")
        try recorder.writeUnsigned(last, width: 8, element, what: "previous tql_next (is the queue initialised?)")
        try recorder.writeUnsigned(head &+ 8, width: 8, link, what: "QTAILQ head tql_prev")
    }

    /// QLIST_RAW_INSERT_HEAD for the first element, QLIST_RAW_INSERT_AFTER for the rest.
    private mutating func appendToList(head: UInt64, previous: UInt64, element: UInt64, link: UInt64, entryOffset: Int)
        throws(Abort)
    {
        if previous == 0 {
            let first = try recorder.readPointer(head, what: "QLIST head")
            try recorder.writeUnsigned(link, width: 8, first, what: "le_next")
            if first != 0 {
                try recorder.writeUnsigned(first &+ UInt64(entryOffset) &+ 8, width: 8, link, what: "next le_prev")
            }
            try recorder.writeUnsigned(head, width: 8, element, what: "QLIST head")
            try recorder.writeUnsigned(link &+ 8, width: 8, head, what: "le_prev")
        } else {
            let previousLink = previous &+ UInt64(entryOffset)
            let next = try recorder.readPointer(previousLink, what: "le_next")
            try recorder.writeUnsigned(link, width: 8, next, what: "le_next")
            if next != 0 {
                try recorder.writeUnsigned(next &+ UInt64(entryOffset) &+ 8, width: 8, link, what: "next le_prev")
            }
            try recorder.writeUnsigned(previousLink, width: 8, element, what: "previous le_next")
            try recorder.writeUnsigned(link &+ 8, width: 8, previousLink, what: "le_prev")
        }
    }

    /// A tree node's key or value: a zeroed allocation of its VMSD's struct, loaded in place.
    private mutating func loadTreeNodePart(
        _ vmsd: VMStateDescription, size: Int, reason: AllocationReason, of field: VMStateField
    ) throws(Abort) -> (address: UInt64, failure: Failure?) {
        let type = vmsd.structType.map { CType.named($0) }
        guard let address = recorder.allocate(size: size, type: type, zeroed: true) else {
            throw .fault(address: 0, access: "gtree \(reason == .treeKey ? "key" : "value") of size \(size)")
        }
        recorder.emit(
            .allocation(base: address, size: size, zeroed: true, type: type, reason: reason), bytes: here,
            depthOffset: 1)
        recorder.push(.nested(vmsd.qemuName))
        let failure = try loadVMSD(vmsd, opaque: address, version: field.versionID)
        recorder.pop()
        if let failure, !messages.propagatesErrors {
            recorder.reports.append("\(field.name) : failed to load \(vmsd.qemuName) (\(failure.code))")
        }
        return (address, failure)
    }

    /// `get_gtree`: be32 node count, then 01 + key + value per node until 00.
    private mutating func loadTree(_ field: VMStateField, at slot: UInt64, valueSize: Int) throws(Abort) -> Failure? {
        guard let valueName = field.vmsd, let valueVMSD = definitions[valueName] else {
            throw .fault(address: slot, access: "gtree field '\(field.name)' has no value VMSD")
        }
        let directKey = field.start == 0
        let keyVMSD = field.keyVMSD.flatMap { definitions[$0] }
        let version = field.versionID
        if !directKey, let keyVMSD {
            if version > keyVMSD.versionID { return fail(-22, "\(keyVMSD.name) too new") }
            if version < keyVMSD.minimumVersionID { return fail(-22, "\(keyVMSD.name) too old") }
        }
        if version > valueVMSD.versionID { return fail(-22, "\(valueVMSD.name) too new") }
        if version < valueVMSD.minimumVersionID { return fail(-22, "\(valueVMSD.name) too old") }

        let tree = try recorder.readPointer(slot, what: "GTree pointer of \(field.name)")
        let countStart = reader.position
        let nodes = Int(Int32(truncatingIfNeeded: reader.readBigEndian(4)))
        recorder.emit(.nodeCount(nodes), bytes: reader.range(since: countStart), depthOffset: 1)
        var count = 0
        while true {
            let start = reader.position
            let more = reader.readByte() != 0
            recorder.emit(.listMarker(more: more), bytes: reader.range(since: start), depthOffset: 1)
            guard more, reader.error == nil else { break }
            count += 1
            // One node more than announced: QEMU stops reading and reports the mismatch below.
            if count > nodes { break }
            recorder.push(.element(count - 1))
            defer { recorder.pop() }
            let key: UInt64
            if directKey {
                let keyStart = reader.position
                key = reader.readBigEndian(8)
                recorder.emit(
                    .valueRead(info: "gtree key", value: .unsigned(key, width: 8), address: 0),
                    bytes: reader.range(since: keyStart), depthOffset: 1)
            } else {
                guard let keyVMSD else { throw .fault(address: slot, access: "gtree key VMSD missing") }
                let part = try loadTreeNodePart(keyVMSD, size: field.start, reason: .treeKey, of: field)
                if let failure = part.failure { return failure }
                key = part.address
            }
            guard valueSize <= limits.maxAllocation else {
                throw .fault(address: 0, access: "gtree value of size \(valueSize)")
            }
            let value = try loadTreeNodePart(valueVMSD, size: valueSize, reason: .treeValue, of: field)
            if let failure = value.failure { return failure }
            try insert(into: tree, key: key, value: value.address)
        }
        if count != nodes {
            return fail(-22, "\(field.name) inconsistent stream when loading the gtree")
        }
        return nil
    }

    /// g_tree_insert into vmscope's GTree stand-in: append a node.
    private mutating func insert(into tree: UInt64, key: UInt64, value: UInt64) throws(Abort) {
        guard tree != 0 else { throw .fault(address: 0, access: "g_tree_insert on a NULL GTree") }
        guard let node = recorder.allocate(size: 24, type: .named("GTreeNode"), zeroed: true) else { return }
        try recorder.writeUnsigned(node, width: 8, key, what: "node key")
        try recorder.writeUnsigned(node &+ 8, width: 8, value, what: "node value")
        let count = try recorder.readUnsigned(tree, width: 8, what: "GTree nnodes")
        let last = try recorder.readPointer(tree &+ 16, what: "GTree last")
        if last == 0 {
            try recorder.writeUnsigned(tree &+ 8, width: 8, node, what: "GTree first")
        } else {
            try recorder.writeUnsigned(last &+ 16, width: 8, node, what: "node next")
        }
        try recorder.writeUnsigned(tree &+ 16, width: 8, node, what: "GTree last")
        try recorder.writeUnsigned(tree, width: 8, count + 1, what: "GTree nnodes")
    }
}

/// QEMU's `MigrationCapability` names in enum order (QEMU 7.2), for the capability info.
public enum MigrationCapability {
    public static let names = [
        "xbzrle", "rdma-pin-all", "auto-converge", "zero-blocks", "compress", "events", "postcopy-ram", "x-colo",
        "release-ram", "block", "return-path", "pause-before-switchover", "multifd", "dirty-bitmaps",
        "postcopy-blocktime", "late-block-activate", "x-ignore-shared", "validate-uuid", "background-snapshot",
        "zero-copy-send", "postcopy-preempt",
    ]
}
