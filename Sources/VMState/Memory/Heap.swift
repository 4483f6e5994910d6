/// One block of the simulated heap: what `g_malloc` (or the scenario's initial state) made.
public struct Allocation: Sendable, Hashable {
    public enum Origin: Sendable, Hashable {
        /// Part of the scenario's initial state (source or destination).
        case initialState
        /// Made by the engine while running, at this VMSD path (see the trace's `paths`).
        case engine(PathID)
    }

    public var id: Int
    public var base: UInt64
    public var size: Int
    /// What the block holds (`NvmeQueue`, `NvmeQueue *[8]`); nil when unknown.
    public var type: CType?
    /// `g_malloc0` rather than `g_malloc`.
    public var zeroed: Bool
    public var origin: Origin
    public var freed: Bool
    public var bytes: [UInt8]

    public var end: UInt64 { base + UInt64(size) }
    public func contains(_ address: UInt64) -> Bool { address >= base && address < end }
}

/// A change the engine made to the heap; enough to redo or undo it.
public enum HeapChange: Sendable, Hashable {
    case allocate(Allocation)
    case write(address: UInt64, old: [UInt8], new: [UInt8])
    /// A write of up to 8 bytes, kept as little-endian words (no arrays).
    case writeWord(address: UInt64, width: Int, old: UInt64, new: UInt64)
    case free(id: Int)
}

/// The simulated address space: allocations at increasing addresses with a guard gap between
/// them, little-endian like x86-64. A read or write outside a live allocation is a fault.
public struct Heap: Sendable, Hashable {
    public private(set) var allocations: [Allocation] = []
    private var nextBase: UInt64 = Heap.firstBase

    /// Where the first allocation lands: a typical x86-64 user heap address.
    public static let firstBase: UInt64 = 0x55d0_0000_1000
    /// `g_malloc` leaves memory uninitialised; vmscope fills it with this byte (as glibc's
    /// MALLOC_PERTURB_ does) so that stale pointers in it are visible and non-NULL.
    public static let uninitialisedByte: UInt8 = 0xa5

    public init() {}

    /// Allocates `size` bytes. A zero size returns nil, as `g_malloc(0)` returns NULL.
    public mutating func allocate(size: Int, type: CType?, zeroed: Bool, origin: Allocation.Origin) -> Allocation? {
        guard size > 0 else { return nil }
        let allocation = Allocation(
            id: allocations.count, base: nextBase, size: size, type: type, zeroed: zeroed, origin: origin,
            freed: false, bytes: [UInt8](repeating: zeroed ? 0 : Heap.uninitialisedByte, count: size))
        // A 16-byte aligned base and a 16-byte gap: an overrun lands in no allocation.
        nextBase += (UInt64(size) + 31) & ~15
        allocations.append(allocation)
        return allocation
    }

    /// Re-inserts an allocation recorded in a trace (replay).
    public mutating func restore(_ allocation: Allocation) {
        if allocation.id < allocations.count {
            allocations[allocation.id] = allocation
        } else {
            allocations.append(allocation)
            nextBase = max(nextBase, (allocation.end + 31) & ~15)
        }
    }

    /// Drops the last allocation (undoing `allocate` during backward replay).
    public mutating func removeLast() {
        _ = allocations.popLast()
    }

    public mutating func free(id: Int) {
        guard allocations.indices.contains(id) else { return }
        allocations[id].freed = true
    }

    public mutating func unfree(id: Int) {
        guard allocations.indices.contains(id) else { return }
        allocations[id].freed = false
    }

    /// The live allocation holding `address`.
    public func allocation(containing address: UInt64) -> Allocation? {
        index(containing: address).map { allocations[$0] }
    }

    private func index(containing address: UInt64) -> Int? {
        var low = 0
        var high = allocations.count
        while low < high {
            let mid = (low + high) / 2
            if allocations[mid].end <= address {
                low = mid + 1
            } else {
                high = mid
            }
        }
        guard low < allocations.count, allocations[low].contains(address), !allocations[low].freed else {
            return nil
        }
        return low
    }

    /// `count` bytes at `address`, or nil when they are not all inside one live allocation.
    public func read(_ address: UInt64, count: Int) -> [UInt8]? {
        guard count >= 0 else { return nil }
        if count == 0 { return [] }
        guard let position = index(containing: address) else { return nil }
        let block = allocations[position]
        let start = Int(address - block.base)
        guard start + count <= block.size else { return nil }
        return Array(block.bytes[start..<start + count])
    }

    /// Writes `bytes` at `address`; returns the bytes it replaced, or nil on a fault.
    @discardableResult
    public mutating func write(_ address: UInt64, _ bytes: [UInt8]) -> [UInt8]? {
        if bytes.isEmpty { return [] }
        guard let position = index(containing: address) else { return nil }
        let start = Int(address - allocations[position].base)
        guard start + bytes.count <= allocations[position].size else { return nil }
        let old = Array(allocations[position].bytes[start..<start + bytes.count])
        allocations[position].bytes.replaceSubrange(start..<start + bytes.count, with: bytes)
        return old
    }

    /// Writes without the liveness check; used only to undo or redo a recorded change.
    mutating func forceWrite(_ address: UInt64, _ bytes: [UInt8]) {
        guard let position = allocations.lastIndex(where: { $0.base <= address && address < $0.end }) else {
            return
        }
        let start = Int(address - allocations[position].base)
        let count = min(bytes.count, allocations[position].size - start)
        allocations[position].bytes.replaceSubrange(start..<start + count, with: bytes.prefix(count))
    }

    public func readUnsigned(_ address: UInt64, width: Int) -> UInt64? {
        guard width > 0, width <= 8, let position = index(containing: address) else {
            return width == 0 ? 0 : nil
        }
        let block = allocations[position]
        let start = Int(address - block.base)
        guard start + width <= block.size else { return nil }
        // Little-endian, read in place without an intermediate array.
        return block.bytes.withUnsafeBufferPointer { buffer in
            var value: UInt64 = 0
            for offset in 0..<width { value |= UInt64(buffer[start + offset]) << (8 * UInt64(offset)) }
            return value
        }
    }

    public func readPointer(_ address: UInt64) -> UInt64? { readUnsigned(address, width: 8) }

    @discardableResult
    public mutating func writeUnsigned(_ address: UInt64, width: Int, _ value: UInt64) -> [UInt8]? {
        write(address, Self.littleEndianBytes(value, width: width))
    }

    /// Writes a little-endian word of `width` (1...8) bytes in place; returns the old word,
    /// or nil on a fault.
    public mutating func writeWord(_ address: UInt64, width: Int, _ value: UInt64) -> UInt64? {
        guard width > 0, width <= 8, let position = index(containing: address) else { return nil }
        let start = Int(address - allocations[position].base)
        guard start + width <= allocations[position].size else { return nil }
        return allocations[position].bytes.withUnsafeMutableBufferPointer { buffer in
            var old: UInt64 = 0
            for offset in 0..<width {
                old |= UInt64(buffer[start + offset]) << (8 * UInt64(offset))
                buffer[start + offset] = UInt8(truncatingIfNeeded: value >> (8 * UInt64(offset)))
            }
            return old
        }
    }

    public static func littleEndian(_ bytes: [UInt8]) -> UInt64 {
        var value: UInt64 = 0
        for (shift, byte) in bytes.prefix(8).enumerated() { value |= UInt64(byte) << (8 * UInt64(shift)) }
        return value
    }

    public static func littleEndianBytes(_ value: UInt64, width: Int) -> [UInt8] {
        (0..<width).map { UInt8(truncatingIfNeeded: value >> (8 * UInt64($0))) }
    }

    /// Applies a recorded change forward.
    public mutating func apply(_ change: HeapChange) {
        switch change {
        case .allocate(let allocation): restore(allocation)
        case .write(let address, _, let new): forceWrite(address, new)
        case .writeWord(let address, let width, _, let new):
            forceWrite(address, Self.littleEndianBytes(new, width: width))
        case .free(let id): free(id: id)
        }
    }

    /// Undoes a recorded change.
    public mutating func revert(_ change: HeapChange) {
        switch change {
        case .allocate(let allocation):
            if allocation.id == allocations.count - 1 {
                removeLast()
                nextBase = allocation.base
            }
        case .write(let address, let old, _): forceWrite(address, old)
        case .writeWord(let address, let width, let old, _):
            forceWrite(address, Self.littleEndianBytes(old, width: width))
        case .free(let id): unfree(id: id)
        }
    }
}
