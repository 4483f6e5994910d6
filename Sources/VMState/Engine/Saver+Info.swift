/// The `put` side of every VMStateInfo.
extension Saver {
    mutating func saveInfo(_ info: VMStateInfo, field: VMStateField, at element: UInt64, size: Int, describe: Bool)
        throws(Abort) -> Failure?
    {
        let start = writer.position
        func emitValue(_ value: FieldValue, _ recorder: inout Recorder, _ writer: StreamWriter) {
            recorder.emit(
                .valueWritten(info: info.name, value: value, address: element), bytes: writer.range(since: start),
                depthOffset: 1)
        }
        switch info {
        case .bool:
            let byte = try recorder.read(element, count: 1, what: field.name)[0]
            writer.writeByte(byte != 0 ? 1 : 0)
            emitValue(.bool(byte != 0), &recorder, writer)
        case .int8, .int16, .int32, .int64, .uint8, .uint16, .uint32, .uint64, .int32Equal, .int32LE, .uint8Equal,
            .uint16Equal, .uint32Equal, .uint64Equal:
            let width = info.integerWidth ?? 4
            let raw = try recorder.readUnsigned(element, width: width, what: field.name)
            writer.writeBigEndian(raw, width: width)
            emitValue(Loader.value(raw, info: info), &recorder, writer)
        case .nullptr:
            writer.writeByte(PtrMarker.null.rawValue)
            recorder.emit(
                .markerWritten(byte: PtrMarker.null.rawValue, meaning: "NULL"), bytes: writer.range(since: start),
                depthOffset: 1)
        case .cpuDouble:
            let bits = try recorder.readUnsigned(element, width: 8, what: field.name)
            writer.writeBigEndian(bits >> 32, width: 4)
            writer.writeBigEndian(bits & 0xffff_ffff, width: 4)
            emitValue(.double(bits), &recorder, writer)
        case .float64:
            let bits = try recorder.readUnsigned(element, width: 8, what: field.name)
            writer.writeBigEndian(bits, width: 8)
            emitValue(.double(bits), &recorder, writer)
        case .timer:
            // expire_time is -1 exactly when the timer is not pending.
            let expiry = Int64(
                bitPattern: try recorder.readUnsigned(element, width: 8, what: "\(field.name).expire_time"))
            writer.writeBigEndian(UInt64(bitPattern: expiry), width: 8)
            emitValue(.timer(expiry == -1 ? nil : expiry), &recorder, writer)
        case .buffer, .opaque:
            let bytes = try recorder.read(element, count: size, what: field.name)
            writer.write(bytes)
            emitValue(.bytes(bytes), &recorder, writer)
        case .unusedBuffer:
            writer.write([UInt8](repeating: 0, count: size))
            recorder.emit(.skipped(count: size), bytes: writer.range(since: start), depthOffset: 1)
        case .bitmap:
            for word in 0..<((max(0, size) + 63) / 64) {
                let wordStart = writer.position
                let value = try recorder.readUnsigned(
                    element &+ UInt64(word * 8), width: 8, what: "\(field.name) word \(word)")
                writer.writeBigEndian(value, width: 8)
                recorder.emit(
                    .valueWritten(
                        info: info.name, value: .unsigned(value, width: 8), address: element &+ UInt64(word * 8)),
                    bytes: writer.range(since: wordStart), depthOffset: 1)
            }
        case .tmp:
            let vmsd = try nested(field.vmsd)
            let tmpSize = max(size, 8)
            guard tmpSize <= limits.maxAllocation,
                let tmp = recorder.allocate(size: tmpSize, type: vmsd.structType.map { .named($0) }, zeroed: false)
            else { throw .limit("tmp struct of \(size) bytes") }
            try recorder.writeUnsigned(tmp, width: 8, element, what: "tmp->parent")
            recorder.emit(
                .allocation(
                    base: tmp, size: tmpSize, zeroed: false, type: vmsd.structType.map { .named($0) },
                    reason: .tmp(load: false)), bytes: here, depthOffset: 1)
            recorder.push(.nested(vmsd.name))
            let failure = try saveVMSD(vmsd, opaque: tmp, version: vmsd.versionID, describe: describe)
            recorder.pop()
            recorder.free(tmp)
            recorder.emit(.free(base: tmp, size: tmpSize), bytes: here, depthOffset: 1)
            return failure
        case .qtailq, .qlist:
            let vmsd = try nested(field.vmsd)
            // Both lists start with a pointer to the first element; each link starts with `next`.
            var element = try recorder.readPointer(element, what: "\(info.name) head of \(field.name)")
            var index = 0
            while element != 0 {
                let markerStart = writer.position
                writer.writeByte(1)
                recorder.emit(.listMarker(more: true), bytes: writer.range(since: markerStart), depthOffset: 1)
                recorder.push(.element(index))
                recorder.push(.nested(vmsd.name))
                let failure = try saveVMSD(vmsd, opaque: element, version: vmsd.versionID, describe: describe)
                recorder.pop()
                recorder.pop()
                if let failure { return failure }
                element = try recorder.readPointer(element &+ UInt64(field.start), what: "next \(info.name) element")
                index += 1
                if index > limits.maxEvents { throw .limit("\(info.name) '\(field.name)' does not end (a cycle?)") }
            }
            let endStart = writer.position
            writer.writeByte(0)
            recorder.emit(.listMarker(more: false), bytes: writer.range(since: endStart), depthOffset: 1)
        case .gtree:
            return try saveTree(field, at: element, describe: describe)
        case .gByteArray:
            let data = try recorder.readPointer(element, what: "\(field.name)->data")
            let length = Int(try recorder.readUnsigned(element &+ 8, width: 4, what: "\(field.name)->len"))
            writer.writeBigEndian(UInt64(length), width: 4)
            let bytes = try recorder.read(data, count: length, what: "\(field.name)->data")
            writer.write(bytes)
            emitValue(.bytes(bytes), &recorder, writer)
        case .capability:
            let index = Int(try recorder.readUnsigned(element, width: 4, what: field.name))
            let name = MigrationCapability.names.indices.contains(index) ? MigrationCapability.names[index] : "?"
            writer.writeByte(UInt8(name.utf8.count))
            writer.write(Array(name.utf8))
            emitValue(.text(name), &recorder, writer)
        }
        return nil
    }

    private mutating func saveTree(_ field: VMStateField, at slot: UInt64, describe: Bool) throws(Abort) -> Failure? {
        let valueVMSD = try nested(field.vmsd)
        let keyVMSD = field.start == 0 ? nil : try nested(field.keyVMSD)
        let tree = try recorder.readPointer(slot, what: "GTree pointer of \(field.name)")
        let count = try recorder.readUnsigned(tree, width: 8, what: "g_tree_nnodes")
        let countStart = writer.position
        writer.writeBigEndian(count, width: 4)
        recorder.emit(.nodeCount(Int(count)), bytes: writer.range(since: countStart), depthOffset: 1)
        var node = try recorder.readPointer(tree &+ 8, what: "GTree first node")
        var index = 0
        while node != 0 {
            let markerStart = writer.position
            writer.writeByte(1)
            recorder.emit(.listMarker(more: true), bytes: writer.range(since: markerStart), depthOffset: 1)
            let key = try recorder.readPointer(node, what: "node key")
            let value = try recorder.readPointer(node &+ 8, what: "node value")
            recorder.push(.element(index))
            defer { recorder.pop() }
            if let keyVMSD {
                recorder.push(.nested(keyVMSD.name))
                let failure = try saveVMSD(keyVMSD, opaque: key, version: keyVMSD.versionID, describe: describe)
                recorder.pop()
                if let failure { return failure }
            } else {
                let keyStart = writer.position
                writer.writeBigEndian(key, width: 8)
                recorder.emit(
                    .valueWritten(info: "gtree key", value: .unsigned(key, width: 8), address: node),
                    bytes: writer.range(since: keyStart), depthOffset: 1)
            }
            recorder.push(.nested(valueVMSD.name))
            let failure = try saveVMSD(valueVMSD, opaque: value, version: valueVMSD.versionID, describe: describe)
            recorder.pop()
            if let failure { return failure }
            node = try recorder.readPointer(node &+ 16, what: "next GTree node")
            index += 1
            if index > limits.maxEvents { throw .limit("gtree '\(field.name)' does not end (a cycle?)") }
        }
        let endStart = writer.position
        writer.writeByte(0)
        recorder.emit(.listMarker(more: false), bytes: writer.range(since: endStart), depthOffset: 1)
        return nil
    }
}
