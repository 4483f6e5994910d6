/// Why a run stopped early: QEMU would have crashed, or vmscope refused to go on.
enum Abort: Error {
    case assertion(String)
    case fault(address: UInt64, access: String)
    /// A bound vmscope sets against adversarial input (nesting depth, element counts).
    case limit(String)
}

/// A failed load or save step: the code QEMU returns and, with `Error **`, its message.
struct Failure: Error {
    var code: Int
    var message: String?
}

/// The mutable state of one run: the heap, the events so far, where we are in the VMSD tree.
struct Recorder {
    var heap: Heap
    let types: TypeTable
    private(set) var events: [TraceEvent] = []
    var paths = PathTable()
    private(set) var path: PathID = .root
    private var pathStack: [PathID] = []
    private(set) var depth = 0
    /// Heap changes made since the last event, attached to the next one.
    private var pendingChanges: [HeapChange] = []
    /// Interned field names per VMSD, so entering a field hashes no strings.
    private var fieldNames: [String: [Int32]] = [:]
    /// Messages QEMU printed with error_report (7.2 style).
    var reports: [String] = []

    init(heap: Heap, types: TypeTable) {
        self.heap = heap
        self.types = types
    }

    mutating func emit(_ kind: EventKind, bytes: Range<Int> = 0..<0, depthOffset: Int = 0) {
        let range = bytes.isEmpty ? bytes.lowerBound..<bytes.lowerBound : bytes
        events.append(
            TraceEvent(kind: kind, bytes: range, path: path, depth: depth + depthOffset, heapChanges: pendingChanges))
        // A fresh empty array costs nothing; clearing the shared one would copy it.
        if !pendingChanges.isEmpty { pendingChanges = [] }
    }

    mutating func push(_ component: PathComponent) {
        pathStack.append(path)
        path = paths.child(of: path, component)
        depth += 1
    }

    /// Enters field number `index` of `vmsd`.
    mutating func pushField(_ index: Int, of vmsd: VMStateDescription) {
        if fieldNames[vmsd.name]?.count != vmsd.fields.count {
            fieldNames[vmsd.name] = vmsd.fields.map { paths.intern($0.name) }
        }
        let name = fieldNames[vmsd.name]?[index] ?? paths.intern(vmsd.fields[index].name)
        pathStack.append(path)
        path = paths.field(name, of: path)
        depth += 1
    }

    /// Enters element `index` of the current field.
    mutating func pushElement(_ index: Int) {
        pathStack.append(path)
        path = paths.element(index, of: path)
        depth += 1
    }

    mutating func pop() {
        path = pathStack.popLast() ?? .root
        depth -= 1
    }

    // MARK: Memory, with every change recorded.

    mutating func allocate(size: Int, type: CType?, zeroed: Bool) -> UInt64? {
        guard
            let allocation = heap.allocate(size: size, type: type, zeroed: zeroed, origin: .engine(path))
        else { return nil }
        pendingChanges.append(.allocate(allocation))
        return allocation.base
    }

    mutating func free(_ address: UInt64) {
        guard let allocation = heap.allocation(containing: address), allocation.base == address else { return }
        heap.free(id: allocation.id)
        pendingChanges.append(.free(id: allocation.id))
    }

    func read(_ address: UInt64, count: Int, what: String) throws(Abort) -> [UInt8] {
        guard let bytes = heap.read(address, count: count) else {
            throw .fault(address: address, access: "read of \(count) bytes (\(what))")
        }
        return bytes
    }

    func readUnsigned(_ address: UInt64, width: Int, what: @autoclosure () -> String) throws(Abort) -> UInt64 {
        guard let value = heap.readUnsigned(address, width: width) else {
            throw .fault(address: address, access: "read of \(width) bytes (\(what()))")
        }
        return value
    }

    func readPointer(_ address: UInt64, what: @autoclosure () -> String) throws(Abort) -> UInt64 {
        try readUnsigned(address, width: 8, what: what())
    }

    mutating func write(_ address: UInt64, _ bytes: [UInt8], what: String) throws(Abort) {
        guard let old = heap.write(address, bytes) else {
            throw .fault(address: address, access: "write of \(bytes.count) bytes (\(what))")
        }
        if old != bytes { pendingChanges.append(.write(address: address, old: old, new: bytes)) }
    }

    mutating func writeUnsigned(_ address: UInt64, width: Int, _ value: UInt64, what: @autoclosure () -> String)
        throws(Abort)
    {
        guard let old = heap.writeWord(address, width: width, value) else {
            throw .fault(address: address, access: "write of \(width) bytes (\(what()))")
        }
        let mask: UInt64 = width >= 8 ? .max : (1 << UInt64(width * 8)) - 1
        if old != value & mask {
            pendingChanges.append(.writeWord(address: address, width: width, old: old, new: value & mask))
        }
    }

    // MARK: Expressions

    func context(opaque: UInt64, structType: String?, versionID: Int) -> ExpressionEvaluator {
        ExpressionEvaluator(heap: heap, types: types, opaque: opaque, structType: structType, versionID: versionID)
    }
}
