import VMState

/// Everything the explorer derives from one run: the devices' traces on one time line, their
/// streams in one byte space, the tree, and the indexes that make a step cost what the screen
/// shows rather than what the trace holds.
public struct Session: Sendable {
    public let devices: [DeviceRecord]
    /// The bytes the hex pane shows.
    public let bytes: [UInt8]
    /// Global index of each device's first event.
    public let eventBase: [Int]
    public let eventCount: Int
    public let tree: Tree
    /// For each byte, the global index of the event that consumed it (-1: none).
    public let owner: [Int32]
    /// Per device: tree node of each path id of its trace.
    let nodeOfPath: [[Int32]]
    /// The node of events at the root path (leaks, after the top VMSD is left).
    let rootNode: [Int32]

    /// One contiguous run of a device's bytes in the hex pane: its trace's stream, or one of its
    /// windows. Pieces are in hex pane order, a device's together.
    struct Piece {
        let device: Int
        /// Where the bytes are in the device's own offsets (the file's, in a real stream).
        let base: Int
        /// Where they are in `bytes`.
        let start: Int
        let count: Int
        /// What to add to a device offset to land in `bytes`.
        var shift: Int { start - base }
    }

    let pieces: [Piece]
    /// Index of each device's first piece.
    let firstPiece: [Int]
    /// Offsets are shown as the devices' own (a real stream's file offsets).
    public let showsFileOffsets: Bool
    /// Filler that keeps file offsets in their columns; drawn blank, owned by nothing.
    let padding: [Range<Int>]

    /// Whether byte `offset` of the hex pane is filler rather than a byte of the stream.
    public func isPadding(_ offset: Int) -> Bool {
        var low = 0
        var high = padding.count
        while low < high {
            let mid = (low + high) / 2
            if padding[mid].upperBound <= offset { low = mid + 1 } else { high = mid }
        }
        return low < padding.count && padding[low].contains(offset)
    }

    /// The largest offset shown, for the width of the offset column.
    public var displayedOffsetLimit: Int {
        guard showsFileOffsets, let last = pieces.last else { return bytes.count }
        return last.base + last.count
    }

    public init(devices: [DeviceRecord], absoluteOffsets: Bool = false, fileOffsets: Bool = false) {
        self.devices = devices
        showsFileOffsets = fileOffsets
        var bytes: [UInt8] = []
        var eventBase: [Int] = []
        var events = 0
        var pieces: [Piece] = []
        var firstPiece: [Int] = []
        var padding: [Range<Int>] = []
        var fileEnd: Int?
        for (index, device) in devices.enumerated() {
            eventBase.append(events)
            events += device.load.events.count
            firstPiece.append(pieces.count)
            let parts = [ByteWindow(base: device.load.streamBase, bytes: device.visibleStream)] + device.windows
            for part in parts {
                let base = part.base
                if fileOffsets && !absoluteOffsets, let previousEnd = fileEnd {
                    // Each row of the hex pane covers 16 consecutive file offsets: a gap in the
                    // file starts a new row, and a piece starts at its own column.
                    var target = bytes.count
                    if base > previousEnd, base / 16 == previousEnd / 16 {
                        // A short gap inside one row of offsets: the row goes on after filler.
                        target += base - previousEnd
                    } else {
                        if previousEnd != base { target = (target + 15) / 16 * 16 }
                        target += ((base - target) % 16 + 16) % 16
                    }
                    if target > bytes.count {
                        padding.append(bytes.count..<target)
                        bytes += [UInt8](repeating: 0, count: target - bytes.count)
                    }
                } else if fileOffsets && !absoluteOffsets {
                    let lead = base % 16
                    if lead > 0 {
                        padding.append(0..<lead)
                        bytes += [UInt8](repeating: 0, count: lead)
                    }
                }
                fileEnd = base + part.bytes.count
                if absoluteOffsets {
                    pieces.append(Piece(device: index, base: base, start: base, count: part.bytes.count))
                    let end = base + part.bytes.count
                    if bytes.count < end { bytes += [UInt8](repeating: 0, count: end - bytes.count) }
                    bytes.replaceSubrange(base..<end, with: part.bytes)
                } else {
                    pieces.append(Piece(device: index, base: base, start: bytes.count, count: part.bytes.count))
                    bytes += part.bytes
                }
            }
        }
        self.bytes = bytes
        self.eventBase = eventBase
        self.pieces = pieces
        self.firstPiece = firstPiece
        self.padding = padding
        self.eventCount = events

        var builder = TreeBuilder()
        var nodeOfPath: [[Int32]] = []
        var rootNode: [Int32] = []
        for (index, device) in devices.enumerated() {
            // A real stream's record is named for the record; the VMSD it loads is the trace's.
            let vmsd =
                device.definitions[device.name] != nil
                ? device.name
                : device.load.events.lazy.compactMap { if case .enterVMSD(let name, _) = $0.kind { name } else { nil } }
                    .first
            let root = builder.addDevice(device.name, vmsd: vmsd, index: index, definitions: device.definitions)
            rootNode.append(root)
            nodeOfPath.append(builder.map(device.load, device: index, root: root, definitions: device.definitions))
        }
        self.nodeOfPath = nodeOfPath
        self.rootNode = rootNode
        var owner = [Int32](repeating: -1, count: bytes.count)
        for (index, device) in devices.enumerated() {
            builder.record(
                device.load.events, base: eventBase[index], nodes: nodeOfPath[index], root: rootNode[index],
                owner: &owner
            ) { Self.piece(of: $0, device: index, pieces: pieces, first: firstPiece) }
        }
        builder.finish()
        self.owner = owner
        self.tree = builder.tree
        var failure: Int?
        for (index, device) in devices.enumerated() {
            if let step = device.load.failureStep {
                failure = eventBase[index] + step
                break
            }
        }
        self.failureStep = failure
        warningCount = devices.reduce(0) { count, device in
            count + device.load.events.lazy.filter { if case .warning = $0.kind { true } else { false } }.count
        }
    }

    /// The offset to show for byte `offset` of the hex pane.
    public func displayOffset(_ offset: Int) -> Int {
        guard showsFileOffsets, let piece = piece(ofByte: offset) else { return offset }
        return offset - pieces[piece].shift
    }

    /// The hex pane position of a shown offset, if a device holds it.
    public func byteOffset(ofDisplayed displayed: Int) -> Int? {
        guard showsFileOffsets else { return displayed >= 0 && displayed < bytes.count ? displayed : nil }
        for piece in pieces where piece.base <= displayed && displayed < piece.base + piece.count {
            return displayed + piece.shift
        }
        return nil
    }

    /// The piece whose bytes hold position `offset` of the hex pane (or the filler after them).
    func piece(ofByte offset: Int) -> Int? {
        guard !pieces.isEmpty, offset >= 0 else { return nil }
        var low = 0
        var high = pieces.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if pieces[mid].start <= offset { low = mid } else { high = mid - 1 }
        }
        return low
    }

    /// The piece of `device` that holds its offset `offset`: the last one starting at or before it
    /// (an event without bytes goes with the first).
    static func piece(of offset: Int, device: Int, pieces: [Piece], first: [Int]) -> Piece {
        var low = first[device]
        var high = (device + 1 < first.count ? first[device + 1] : pieces.count) - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if pieces[mid].base <= offset { low = mid } else { high = mid - 1 }
        }
        return pieces[low]
    }

    /// Which device global event `index` belongs to, and its index there.
    public func locate(_ index: Int) -> (device: Int, local: Int) {
        var low = 0
        var high = eventBase.count - 1
        while low < high {
            let mid = (low + high + 1) / 2
            if eventBase[mid] <= index { low = mid } else { high = mid - 1 }
        }
        return (low, index - (eventBase.isEmpty ? 0 : eventBase[low]))
    }

    /// Global event `index`, its byte range moved into the session's byte space.
    public func event(_ index: Int) -> TraceEvent {
        let (device, local) = locate(index)
        var event = devices[device].load.events[local]
        let shift = Self.piece(of: event.bytes.lowerBound, device: device, pieces: pieces, first: firstPiece).shift
        event.bytes = (event.bytes.lowerBound + shift)..<(event.bytes.upperBound + shift)
        return event
    }

    /// The tree node an event happened at.
    public func node(ofEvent index: Int) -> Int32 {
        let (device, local) = locate(index)
        let path = devices[device].load.events[local].path
        return path == .root ? rootNode[device] : nodeOfPath[device][Int(path.raw)]
    }

    /// `nvme-ctrl.queues[0]`: the event's path as the trace prints it.
    public func path(ofEvent index: Int) -> String {
        let (device, local) = locate(index)
        let trace = devices[device].load
        return trace.path(of: trace.events[local])
    }

    /// The first event (global) that is a failure, if any; found once, read on every frame.
    public let failureStep: Int?

    /// How many steps are vmscope's warnings (not QEMU's): the status line counts them.
    public let warningCount: Int

    /// Whether every device loaded.
    public var succeeded: Bool { devices.allSatisfy { $0.load.outcome.succeeded } }

    /// The check findings of both sides that failed.
    public var failedChecks: [CheckFinding] {
        var seen = Set<CheckFinding>()
        return devices.flatMap { ($0.destCheck?.failures ?? []) + ($0.sourceCheck?.failures ?? []) }
            .filter { seen.insert($0).inserted }
    }
}

/// Builds a `Tree`: the static skeleton from the VMSDs, then what the trace visited.
struct TreeBuilder {
    var tree = Tree()

    mutating func add(_ component: Tree.Component, parent: Int32, device: Int) -> Int32 {
        let id = Int32(tree.nodes.count)
        let depth = parent >= 0 ? tree.nodes[Int(parent)].depth + 1 : 0
        var node = Tree.Node(component: component, parent: parent, depth: depth, device: device)
        if parent >= 0 {
            node.ordinal = tree.nodes[Int(parent)].children.count
            tree.nodes[Int(parent)].children.append(id)
        }
        tree.nodes.append(node)
        return id
    }

    mutating func addDevice(_ name: String, vmsd vmsdName: String?, index: Int, definitions: Definitions) -> Int32 {
        let root = add(.device(name), parent: -1, device: index)
        tree.roots.append(root)
        if let vmsdName, let vmsd = definitions[vmsdName] {
            // A stream record's name carries the version already.
            if vmsdName == name { tree.nodes[Int(root)].version = vmsd.versionID }
            addSkeleton(of: vmsd, under: root, device: index, definitions: definitions, active: [vmsdName])
        }
        return root
    }

    static func isArray(_ flags: FieldFlags) -> Bool {
        flags.contains(any: [.array, .varrayInt32, .varrayUInt32, .varrayUInt16, .varrayUInt8, .multiplyElements])
    }

    /// The fields and subsections of `vmsd`, and of non-array structs inside it.
    mutating func addSkeleton(
        of vmsd: VMStateDescription, under parent: Int32, device: Int, definitions: Definitions, active: [String]
    ) {
        guard active.count < 16 else { return }
        for (index, field) in vmsd.fields.enumerated() {
            // Elements a vmdesc lists one by one are one field in the tree, with an element each.
            if let listed = field.listedIndex, listed > 0 { continue }
            let node = add(.field(name: field.name, vmsd: vmsd.name, index: index), parent: parent, device: device)
            tree.nodes[Int(node)].field = Tree.FieldInfo(
                flags: field.flags, info: field.info?.name, size: field.size, num: field.num,
                versionID: field.versionID)
            if !Self.isArray(field.flags), field.listedIndex == nil, let nestedName = field.vmsd,
                !active.contains(nestedName),
                let nested = definitions[nestedName]
            {
                addSkeleton(
                    of: nested, under: node, device: device, definitions: definitions, active: active + [nestedName])
            }
        }
        for name in vmsd.subsections where !active.contains(name) {
            let node = add(.subsection(name: name, parent: vmsd.name), parent: parent, device: device)
            if let subsection = definitions[name] {
                tree.nodes[Int(node)].version = subsection.versionID
                addSkeleton(
                    of: subsection, under: node, device: device, definitions: definitions, active: active + [name])
            }
        }
    }

    private func child(of parent: Int32, _ component: Tree.Component) -> Int32? {
        for child in tree.nodes[Int(parent)].children {
            switch (tree.nodes[Int(child)].component, component) {
            case (.field(let name, _, _), .field(let wanted, _, _)) where name == wanted: return child
            case (.subsection(let name, _), .subsection(let wanted, _)) where name == wanted: return child
            default: continue
            }
        }
        return nil
    }

    /// The tree node of every path id of a trace, adding elements (and unknown nodes) as met.
    /// Path ids are reached through the events and their parents (`PathID(raw:)` is internal to
    /// VMState), in trace order, so elements are added in index order.
    mutating func map(_ trace: Trace, device: Int, root: Int32, definitions: Definitions) -> [Int32] {
        var result = [Int32](repeating: -2, count: trace.paths.count)
        for event in trace.events where event.path != .root && result[Int(event.path.raw)] == -2 {
            // Walk up to the nearest mapped ancestor, then map back down.
            var pending: [PathID] = []
            var current = event.path
            while current != .root, result[Int(current.raw)] == -2 {
                pending.append(current)
                current = trace.paths.parent(of: current)
            }
            for id in pending.reversed() {
                let parentID = trace.paths.parent(of: id)
                let parent = parentID == .root ? root : result[Int(parentID.raw)]
                result[Int(id.raw)] = node(
                    for: trace.paths.component(of: id), parent: parent, device: device,
                    root: root, definitions: definitions)
            }
        }
        for index in result.indices where result[index] == -2 { result[index] = root }
        return result
    }

    private mutating func node(
        for component: PathComponent?, parent: Int32, device: Int, root: Int32, definitions: Definitions
    ) -> Int32 {
        guard let component else { return parent }
        switch component {
        case .vmsd, .nested:
            return parent
        case .field(let name):
            if let existing = child(of: parent, .field(name: name, vmsd: "", index: -1)) { return existing }
            return add(.field(name: name, vmsd: "", index: -1), parent: parent, device: device)
        case .element(let index):
            let node = add(.element(index), parent: parent, device: device)
            if let nestedName = fieldVMSD(of: parent, definitions: definitions), let nested = definitions[nestedName] {
                addSkeleton(of: nested, under: node, device: device, definitions: definitions, active: [nestedName])
            }
            return node
        case .subsection(let name, let parentName):
            if let existing = child(of: parent, .subsection(name: name, parent: parentName)) { return existing }
            let node = add(.subsection(name: name, parent: parentName), parent: parent, device: device)
            tree.nodes[Int(node)].version = definitions[name]?.versionID
            return node
        }
    }

    private func fieldVMSD(of node: Int32, definitions: Definitions) -> String? {
        guard case .field(_, let vmsdName, let index) = tree.nodes[Int(node)].component, index >= 0,
            let vmsd = definitions[vmsdName], vmsd.fields.indices.contains(index)
        else { return nil }
        return vmsd.fields[index].vmsd
    }

    /// What each event did, on its node.
    mutating func record(
        _ events: [TraceEvent], base: Int, nodes: [Int32], root: Int32, owner: inout [Int32],
        piece: (Int) -> Session.Piece
    ) {
        for (local, event) in events.enumerated() {
            let shift = piece(event.bytes.lowerBound).shift
            let global = Int32(base + local)
            let node = event.path == .root ? Int(root) : Int(nodes[Int(event.path.raw)])
            if tree.nodes[node].firstEvent < 0 { tree.nodes[node].firstEvent = global }
            tree.nodes[node].lastEvent = global
            if !event.bytes.isEmpty {
                let lower = event.bytes.lowerBound + shift
                let upper = event.bytes.upperBound + shift
                tree.nodes[node].byteLower = min(tree.nodes[node].byteLower, lower)
                tree.nodes[node].byteUpper = max(tree.nodes[node].byteUpper, upper)
                for offset in max(0, lower)..<min(owner.count, upper) where owner[offset] < 0 {
                    owner[offset] = global
                }
            }
            switch event.kind {
            case .valueRead, .valueWritten:
                if tree.nodes[node].valueEvent < 0 { tree.nodes[node].valueEvent = global }
            case .allocation:
                if tree.nodes[node].allocEvent < 0 { tree.nodes[node].allocEvent = global }
            case .markerRead(let byte, _) where byte == PtrMarker.null.rawValue:
                if tree.nodes[node].nullEvent < 0 { tree.nodes[node].nullEvent = global }
            case .fieldExists(_, let exists, _) where !exists:
                if tree.nodes[node].skipEvent < 0 { tree.nodes[node].skipEvent = global }
            default:
                break
            }
            if event.kind.isFailure && tree.nodes[node].failEvent < 0 { tree.nodes[node].failEvent = global }
        }
    }

    /// Subtree-wide facts, bottom-up.
    mutating func finish() {
        for index in stride(from: tree.nodes.count - 1, through: 0, by: -1) {
            let node = tree.nodes[index]
            let parent = Int(node.parent)
            guard parent >= 0 else { continue }
            if node.firstEvent >= 0 {
                let first = tree.nodes[parent].firstEvent
                tree.nodes[parent].firstEvent = first < 0 ? node.firstEvent : min(first, node.firstEvent)
                tree.nodes[parent].lastEvent = max(tree.nodes[parent].lastEvent, node.lastEvent)
            }
            tree.nodes[parent].byteLower = min(tree.nodes[parent].byteLower, node.byteLower)
            tree.nodes[parent].byteUpper = max(tree.nodes[parent].byteUpper, node.byteUpper)
            if node.failEvent >= 0 {
                let fail = tree.nodes[parent].failEvent
                tree.nodes[parent].failEvent = fail < 0 ? node.failEvent : min(fail, node.failEvent)
            }
        }
    }
}
