import VMState

/// Builds a side's initial heap from `source { }` / `dest { }` assignments.
struct StateBuilder {
    var heap: Heap
    let context: ResolutionContext

    /// Allocates the device struct (zeroed, as QEMU's object creation leaves it) and applies
    /// the assignments in order.
    mutating func build(root type: String, assignments: [Assignment], at location: SourceLocation) throws(ScenarioError)
        -> UInt64
    {
        guard let layout = context.types[type] else {
            throw context.error("unknown struct '\(type)'", at: location)
        }
        guard
            let root = heap.allocate(size: max(layout.size, 1), type: .named(type), zeroed: true, origin: .initialState)
        else { throw context.error("struct '\(type)' has no size", at: location) }
        for assignment in assignments {
            let (address, memberType) = try locate(
                assignment.target, from: root.base, type: type, at: assignment.location)
            try store(assignment.value, at: address, type: memberType, root: (root.base, type), at: assignment.location)
        }
        return root.base
    }

    /// The address and type of `path` from a struct at `base`, following pointers.
    private func locate(_ path: [MemberStep], from base: UInt64, type: String, at location: SourceLocation)
        throws(ScenarioError) -> (UInt64, CType)
    {
        let evaluator = ExpressionEvaluator(
            heap: heap, types: context.types, opaque: base, structType: type, versionID: 0)
        do {
            return try evaluator.locate(path)
        } catch {
            throw context.error("'\(MemberStep.render(path))': \(error)", at: location)
        }
    }

    private mutating func write(_ bytes: [UInt8], at address: UInt64, at location: SourceLocation) throws(ScenarioError)
    {
        guard heap.write(address, bytes) != nil else {
            throw context.error(
                "writing \(bytes.count) bytes at 0x\(String(address, radix: 16)) is outside the struct",
                at: location)
        }
    }

    private func size(_ type: CType, at location: SourceLocation) throws(ScenarioError) -> Int {
        do {
            return try context.types.size(of: type)
        } catch {
            throw context.error("\(error)", at: location)
        }
    }

    private mutating func store(
        _ value: ValueExpr, at address: UInt64, type: CType, root: (UInt64, String), at location: SourceLocation
    ) throws(ScenarioError) {
        switch (value, type) {
        case (.integer(let number), .integer(let bytes, _)):
            try write(Heap.littleEndianBytes(UInt64(bitPattern: number), width: bytes), at: address, at: location)
        case (.integer(let number), .bool):
            try write([number != 0 ? 1 : 0], at: address, at: location)
        case (.boolean(let flag), .bool), (.boolean(let flag), .integer):
            try write(
                [flag ? 1 : 0] + [UInt8](repeating: 0, count: max(0, try size(type, at: location) - 1)),
                at: address, at: location)
        case (.integer(let number), .floating(let bytes)):
            let bits = bytes == 8 ? Double(number).bitPattern : UInt64(Float(number).bitPattern)
            try write(Heap.littleEndianBytes(bits, width: bytes), at: address, at: location)
        case (.integer(let number), .pointer):
            try write(Heap.littleEndianBytes(UInt64(bitPattern: number), width: 8), at: address, at: location)
        case (.null, .pointer):
            try write([UInt8](repeating: 0, count: 8), at: address, at: location)
        case (.new(let typeExpr, let count, let initial), .pointer):
            let pointer = try allocate(typeExpr, count: count, initial: initial, root: root, at: location)
            try write(Heap.littleEndianBytes(pointer, width: 8), at: address, at: location)
        case (.address(let path), .pointer), (.address(let path), .integer):
            let (target, _) = try locate(path, from: root.0, type: root.1, at: location)
            try write(Heap.littleEndianBytes(target, width: 8), at: address, at: location)
        case (.string(let text), .array):
            let bytes = Array(text.utf8)
            let capacity = try size(type, at: location)
            guard bytes.count <= capacity else {
                throw context.error("\"\(text)\" has \(bytes.count) bytes; the array holds \(capacity)", at: location)
            }
            try write(bytes, at: address, at: location)
        case (.bytes(let bytes), _):
            let capacity = try size(type, at: location)
            guard bytes.count <= capacity else {
                throw context.error("\(bytes.count) bytes do not fit in \(type) (\(capacity) bytes)", at: location)
            }
            try write(bytes, at: address, at: location)
        case (.aggregate(let items), .array(let element, let count)):
            guard items.count <= count else {
                throw context.error("\(items.count) values for an array of \(count)", at: location)
            }
            let stride = try size(element, at: location)
            for (index, item) in items.enumerated() {
                try store(item.value, at: address &+ UInt64(index * stride), type: element, root: root, at: location)
            }
        case (.aggregate(let items), .named(let name)):
            guard let layout = context.types[name] else {
                throw context.error("unknown struct '\(name)'", at: location)
            }
            for (index, item) in items.enumerated() {
                let member: StructMember
                if let memberName = item.name {
                    guard let found = layout.member(named: memberName) else {
                        throw context.error("struct \(name) has no member '\(memberName)'", at: location)
                    }
                    member = found
                } else {
                    guard index < layout.members.count else {
                        throw context.error("too many values for struct \(name)", at: location)
                    }
                    member = layout.members[index]
                }
                try store(item.value, at: address &+ UInt64(member.offset), type: member.type, root: root, at: location)
            }
        case (.list(let kind, let link, let elements), .named(let head)):
            try storeList(kind, link: link, elements: elements, head: address, headType: head, root: root, at: location)
        case (.tree(let nodes), .pointer):
            let tree = try storeTree(nodes, root: root, at: location)
            try write(Heap.littleEndianBytes(tree, width: 8), at: address, at: location)
        default:
            throw context.error("cannot store \(Self.describe(value)) in a \(type)", at: location)
        }
    }

    static func describe(_ value: ValueExpr) -> String {
        switch value {
        case .integer: "a number"
        case .boolean: "true/false"
        case .null: "null"
        case .string: "a string"
        case .bytes: "bytes"
        case .aggregate: "a { } or [ ] value"
        case .new: "a 'new' pointer"
        case .list: "a list"
        case .tree: "a gtree"
        case .address: "an address"
        }
    }

    /// `new T`, `new T { ... }`, `new T[n]`, `new T[n] [ ... ]`: a zeroed allocation.
    private mutating func allocate(
        _ typeExpr: TypeExpr, count: Expression?, initial: ValueExpr?, root: (UInt64, String),
        at location: SourceLocation
    ) throws(ScenarioError) -> UInt64 {
        let element = try ctype(typeExpr, at: location)
        var type = element
        if let count {
            let number = Int(try context.evaluateConstant(count, at: location))
            guard number >= 0, number <= 1 << 24 else {
                throw context.error("array of \(number) elements is out of range", at: location)
            }
            type = .array(element, count: number)
        }
        let bytes = try size(type, at: location)
        guard let allocation = heap.allocate(size: max(bytes, 1), type: type, zeroed: true, origin: .initialState)
        else {
            throw context.error("cannot allocate \(type)", at: location)
        }
        if let initial {
            try store(initial, at: allocation.base, type: type, root: root, at: location)
        }
        return allocation.base
    }

    func ctype(_ expression: TypeExpr, at location: SourceLocation) throws(ScenarioError) -> CType {
        switch expression {
        case .named(let name): return CTypeNames.type(named: name)
        case .pointer(let pointee): return .pointer(try ctype(pointee, at: location))
        case .array(let element, let count):
            return .array(
                try ctype(element, at: location), count: Int(try context.evaluateConstant(count, at: location)))
        }
    }

    /// Threads `elements` (each `new E { ... }`) through their `link` member, as
    /// QTAILQ_INSERT_TAIL / QLIST_INSERT would.
    private mutating func storeList(
        _ kind: ListKind, link: String, elements: [ValueExpr], head: UInt64, headType: String, root: (UInt64, String),
        at location: SourceLocation
    ) throws(ScenarioError) {
        var pointers: [UInt64] = []
        var linkOffset = 0
        for element in elements {
            guard case .new(let typeExpr, nil, let initial) = element,
                case .named(let name) = try ctype(typeExpr, at: location),
                let layout = context.types[name]
            else { throw context.error("a list element is 'new TYPE { ... }'", at: location) }
            guard let member = layout.member(named: link) else {
                throw context.error("struct \(name) has no link member '\(link)'", at: location)
            }
            linkOffset = member.offset
            pointers.append(try allocate(typeExpr, count: nil, initial: initial, root: root, at: location))
        }
        func put(_ value: UInt64, _ address: UInt64) throws(ScenarioError) {
            try write(Heap.littleEndianBytes(value, width: 8), at: address, at: location)
        }
        switch kind {
        case .qtailq:
            // Head: first, then a pointer to the last link (to the head itself when empty).
            try put(pointers.first ?? 0, head)
            var previousLink = head
            for (index, element) in pointers.enumerated() {
                let link = element &+ UInt64(linkOffset)
                try put(index + 1 < pointers.count ? pointers[index + 1] : 0, link)
                try put(previousLink, link &+ 8)
                previousLink = link
            }
            try put(previousLink, head &+ 8)
        case .qlist:
            try put(pointers.first ?? 0, head)
            var previousNext = head
            for (index, element) in pointers.enumerated() {
                let link = element &+ UInt64(linkOffset)
                try put(index + 1 < pointers.count ? pointers[index + 1] : 0, link)
                try put(previousNext, link &+ 8)
                previousNext = link
            }
        }
    }

    /// A GTree with its nodes in the given order; keys are numbers (direct) or `new K { }`.
    private mutating func storeTree(
        _ nodes: [(key: ValueExpr, value: ValueExpr)], root: (UInt64, String),
        at location: SourceLocation
    ) throws(ScenarioError) -> UInt64 {
        guard let tree = heap.allocate(size: 24, type: .named("GTree"), zeroed: true, origin: .initialState) else {
            throw context.error("cannot allocate a GTree", at: location)
        }
        var previous: UInt64 = 0
        for node in nodes {
            let key: UInt64
            switch node.key {
            case .integer(let number): key = UInt64(bitPattern: number)
            case .new(let type, let count, let initial):
                key = try allocate(type, count: count, initial: initial, root: root, at: location)
            default: throw context.error("a gtree key is a number or 'new KEY { ... }'", at: location)
            }
            guard case .new(let type, let count, let initial) = node.value else {
                throw context.error("a gtree value is 'new VALUE { ... }'", at: location)
            }
            let value = try allocate(type, count: count, initial: initial, root: root, at: location)
            guard let entry = heap.allocate(size: 24, type: .named("GTreeNode"), zeroed: true, origin: .initialState)
            else { throw context.error("cannot allocate a GTree node", at: location) }
            heap.writeUnsigned(entry.base, width: 8, key)
            heap.writeUnsigned(entry.base &+ 8, width: 8, value)
            if previous == 0 {
                heap.writeUnsigned(tree.base &+ 8, width: 8, entry.base)
            } else {
                heap.writeUnsigned(previous &+ 16, width: 8, entry.base)
            }
            previous = entry.base
        }
        heap.writeUnsigned(tree.base, width: 8, UInt64(nodes.count))
        heap.writeUnsigned(tree.base &+ 16, width: 8, previous)
        return tree.base
    }
}
