import VMState

/// Source and destination state for an imported device, so its scenario runs and its bytes are
/// recognisable: every scalar a VMSD migrates holds its offset in its object plus one (a bool
/// holds true), buffers count up from their offset, counts are small, and what the fields reach
/// through pointers is allocated on both sides (the destination keeps NULL where the loader
/// allocates: `VMS_ALLOC`, and the per-element allocation of the 2026 macros). `*_EQUAL` and
/// `int32 le` fields get the source's value on the destination too, so the checks pass.
struct CStateSynthesizer {
    let builder: CDocumentBuilder
    let resolver: CVMSDResolver
    private var sourceAssignments: [Assignment] = []
    private var destAssignments: [Assignment] = []
    /// Members holding a count or a size: a field that also migrates one as a plain scalar must
    /// not replace it with the pattern, or the arrays it measures would overrun.
    private var pinned: Set<String> = []

    /// The source state: later values of a member replace earlier ones (a count set after the
    /// pattern); allocations stay in order.
    var source: [Assignment] { Self.latest(sourceAssignments) }
    var dest: [Assignment] { Self.latest(destAssignments) }

    private static func latest(_ assignments: [Assignment]) -> [Assignment] {
        var last: [String: Int] = [:]
        for (index, assignment) in assignments.enumerated() { last[MemberStep.render(assignment.target)] = index }
        return assignments.enumerated().filter { index, assignment in
            switch assignment.value {
            case .new, .list, .tree: return true
            default: return last[MemberStep.render(assignment.target)] == index
            }
        }.map(\.element)
    }
    /// Struct types the values allocate (the scenario must declare them).
    private(set) var allocatedTypes: [String] = []

    /// Elements given values per array; the rest stay zero.
    static let maximumElements = 32
    /// Bytes given values per buffer.
    static let maximumBufferBytes = 256
    /// The element count vmscope gives variable arrays and buffers.
    static let variableCount = 2
    static let bufferBytes = 8

    private let location = SourceLocation(line: 0, column: 0)

    init(builder: CDocumentBuilder, resolver: CVMSDResolver) {
        self.builder = builder
        self.resolver = resolver
    }

    mutating func fill(key: String, record: String) {
        walk(key, object: Object(record: record, path: [], base: 0), depth: 0)
    }

    /// Where a VMSD's fields are: a struct type, the path to it from the device, and the offset of
    /// the VMSD's struct inside the object the path names.
    private struct Object {
        var record: String
        var path: [MemberStep]
        var base: Int
    }

    /// VMSDs being walked (a VMSD that nests itself is walked once) and the work left.
    private var active: Set<String> = []
    private var budget = 20_000

    private mutating func walk(_ key: String, object: Object, depth: Int) {
        guard depth < 12, budget > 0, !active.contains(key), let vmsd = resolver.resolved[key] else { return }
        budget -= 1
        active.insert(key)
        defer { active.remove(key) }
        for resolved in vmsd.fields ?? [] where !resolved.field.isPlaceholder {
            fill(resolved.field, nested: resolved.nested, in: object, depth: depth)
        }
        for subsection in vmsd.subsections ?? [] {
            if let subsection { walk(subsection, object: object, depth: depth + 1) }
        }
    }

    private mutating func fill(_ field: VMStateField, nested: String?, in object: Object, depth: Int) {
        let flags = field.flags
        var count = 1
        if flags.contains(.array) {
            count = field.num
        } else if flags.contains(any: [.varrayInt32, .varrayUInt32, .varrayUInt16, .varrayUInt8]) {
            count = Self.variableCount
            if !flags.contains(.pointer), let (_, type) = path(in: object.record, offset: object.base + field.offset),
                case .array(_, let capacity) = type
            {
                // An array in the struct (a flexible one has no room at all).
                count = min(count, capacity)
            }
            setBoth(object, offset: object.base + field.numOffset, value: Int64(count))
        }
        if flags.contains(.multiplyElements) { count *= max(field.num, 1) }
        var elementSize = field.size
        if flags.contains(.vbuffer) {
            let bytes = field.info == .bitmap ? 64 : Self.bufferBytes
            setBoth(object, offset: object.base + field.sizeOffset, value: Int64(bytes))
            elementSize = field.info == .bitmap ? 8 : bytes * (flags.contains(.multiply) ? max(field.size, 1) : 1)
        }
        guard count > 0 else { return }
        let slot = object.base + field.offset
        if flags.contains(.arrayOfPointer) {
            fillPointerArray(field, nested: nested, object: object, slot: slot, count: count, depth: depth)
            return
        }
        if flags.contains(.pointer) {
            guard let (slotPath, slotType) = path(in: object.record, offset: slot, .pointer),
                case .pointer(let pointee) = slotType
            else { return }
            let fullSlotPath = object.path + slotPath
            // A buffer behind a pointer holds `size` bytes (VMSTATE_BUFFER_POINTER_UNSAFE).
            let isBuffer = flags.contains(.vbuffer) || field.info == .buffer
            let elements = flags.contains(.vbuffer) ? elementSize : (isBuffer ? field.size * count : count)
            let isArray =
                isBuffer || flags.contains(any: [.array, .varrayInt32, .varrayUInt32, .varrayUInt16, .varrayUInt8])
            // Room for what the field reads, even through a pointer of a smaller type (QEMU's
            // piix4 reads uint16_t through a uint8_t pointer).
            let pointeeSize = max(resolver.session.size(of: pointee), 1)
            let needed = isBuffer ? elements : count * field.size
            let slots = max(isArray ? elements : 1, (needed + pointeeSize - 1) / pointeeSize)
            let allocation = allocate(pointee, count: isArray || slots > 1 ? slots : nil)
            if !flags.contains(.alloc) {
                destAssignments.append(Assignment(target: fullSlotPath, value: allocation, location: location))
            }
            guard case .named(let record) = pointee, builder.emitted[record] != nil || resolver.types[record] != nil
            else {
                // Scalars or bytes behind the pointer: allocated with their values.
                var values: [ValueExpr] = []
                if flags.contains(.vbuffer) || field.info == .buffer || field.info == .bitmap {
                    values = (0..<min(elements, Self.maximumBufferBytes)).map { .integer(Int64(($0 + 1) & 0xff)) }
                } else if let width = field.info?.integerWidth {
                    values = (0..<min(count, Self.maximumElements)).map {
                        .integer(Self.pattern($0 * width, width: width))
                    }
                }
                guard case .new(let type, let size, _) = allocation, !values.isEmpty, isArray else {
                    sourceAssignments.append(Assignment(target: fullSlotPath, value: allocation, location: location))
                    if let value = values.first {
                        sourceAssignments.append(
                            Assignment(target: fullSlotPath + [.index(.integer(0))], value: value, location: location))
                    }
                    return
                }
                sourceAssignments.append(
                    Assignment(
                        target: fullSlotPath,
                        value: .new(type, count: size, initial: .aggregate(values.map { (nil, $0) })),
                        location: location))
                return
            }
            sourceAssignments.append(Assignment(target: fullSlotPath, value: allocation, location: location))
            for index in 0..<min(count, Self.maximumElements) {
                let path = isArray ? fullSlotPath + [.index(.integer(Int64(index)))] : fullSlotPath
                fillElement(
                    field, nested: nested, object: Object(record: record, path: path, base: 0), offset: 0, depth: depth)
            }
            return
        }
        for index in 0..<min(count, Self.maximumElements) {
            fillElement(field, nested: nested, object: object, offset: slot + index * field.size, depth: depth)
        }
    }

    /// One element of a field at `offset` inside `object`.
    private mutating func fillElement(_ field: VMStateField, nested: String?, object: Object, offset: Int, depth: Int) {
        if field.flags.contains(.struct) || field.flags.contains(.vstruct) {
            if let nested {
                walk(nested, object: Object(record: object.record, path: object.path, base: offset), depth: depth + 1)
            }
            return
        }
        guard let info = field.info else { return }
        switch info {
        case .buffer:
            setBytes(
                Object(record: object.record, path: object.path, base: offset),
                count: min(field.size, Self.maximumBufferBytes))
        case .qtailq, .qlist:
            guard
                let (path, _) = path(
                    in: object.record, offset: offset, .named(info == .qtailq ? "QTAILQ_HEAD" : "QLIST_HEAD")),
                let link = linkName(field)
            else { return }
            let value = ValueExpr.list(kind: info == .qtailq ? .qtailq : .qlist, link: link, elements: [])
            sourceAssignments.append(Assignment(target: object.path + path, value: value, location: location))
            destAssignments.append(Assignment(target: object.path + path, value: value, location: location))
        case .gtree:
            guard let (path, _) = path(in: object.record, offset: offset, .pointer) else { return }
            sourceAssignments.append(Assignment(target: object.path + path, value: .tree([]), location: location))
            destAssignments.append(Assignment(target: object.path + path, value: .tree([]), location: location))
        case .timer:
            set(object, offset: offset, width: 8, equalOnDest: false)
        default:
            guard let width = info.integerWidth else { return }
            let equal = [.int32Equal, .uint8Equal, .uint16Equal, .uint32Equal, .uint64Equal, .int32LE].contains(info)
            set(object, offset: offset, width: width, equalOnDest: equal, isBool: info == .bool)
        }
    }

    /// The list element's link member: the member of the element struct at `start`.
    private func linkName(_ field: VMStateField) -> String? {
        guard let nested = field.vmsd, let element = resolver.resolved.values.first(where: { $0.name == nested }),
            let record = element.structType
        else { return nil }
        return builder.emitted[record]?.first { $0.offset == field.start }?.name
    }

    private mutating func fillPointerArray(
        _ field: VMStateField, nested: String?, object: Object, slot: Int, count: Int, depth: Int
    ) {
        let pointsToArray = field.flags.contains(.pointer)
        guard let (slotPath, slotType) = path(in: object.record, offset: slot, pointsToArray ? .pointer : .pointerArray)
        else { return }
        let fullPath = object.path + slotPath
        var elementPointer: CType
        if pointsToArray {
            guard case .pointer(let inner) = slotType else { return }
            elementPointer = inner
        } else {
            guard case .array(let inner, _) = slotType else { return }
            elementPointer = inner
        }
        guard case .pointer(let pointee) = elementPointer else { return }
        // The 2026 macros allocate each element on load: the destination's slots stay NULL.
        let destAllocates = field.macro?.contains("_ALLOC(") == true || field.flags.contains(.arrayOfPointerAutoAlloc)
        let elements = (0..<count).map { _ in allocate(pointee, count: nil) }
        if pointsToArray {
            let array = ValueExpr.new(
                builder.typeExpr(elementPointer), count: .integer(Int64(count)),
                initial: .aggregate(elements.map { (nil, $0) }))
            sourceAssignments.append(Assignment(target: fullPath, value: array, location: location))
            let destArray =
                destAllocates
                ? ValueExpr.new(builder.typeExpr(elementPointer), count: .integer(Int64(count) * 2), initial: nil)
                : array
            destAssignments.append(Assignment(target: fullPath, value: destArray, location: location))
        } else {
            for (index, element) in elements.enumerated() {
                let target = fullPath + [.index(.integer(Int64(index)))]
                sourceAssignments.append(Assignment(target: target, value: element, location: location))
                if !destAllocates {
                    destAssignments.append(Assignment(target: target, value: element, location: location))
                }
            }
        }
        guard case .named(let record) = pointee else { return }
        for index in 0..<min(count, Self.maximumElements) {
            let path = fullPath + [.index(.integer(Int64(index)))]
            fillElement(
                field, nested: nested, object: Object(record: record, path: path, base: 0), offset: 0, depth: depth)
        }
    }

    private mutating func allocate(_ type: CType, count: Int?) -> ValueExpr {
        if case .named(let name) = type, !allocatedTypes.contains(name) { allocatedTypes.append(name) }
        let expression: TypeExpr = type == .void ? .named("uint8_t") : builder.typeExpr(type)
        return .new(expression, count: count.map { .integer(Int64($0)) }, initial: nil)
    }

    // MARK: Values

    /// The pattern: the offset plus one, in the member's width.
    static func pattern(_ offset: Int, width: Int) -> Int64 {
        let value = UInt64(offset + 1)
        let masked = width >= 8 ? value : value & ((UInt64(1) << UInt64(width * 8)) - 1)
        return Int64(bitPattern: masked)
    }

    private mutating func set(_ object: Object, offset: Int, width: Int, equalOnDest: Bool, isBool: Bool = false) {
        guard let (path, type) = path(in: object.record, offset: offset, .scalar(width)) else { return }
        guard !pinned.contains(MemberStep.render(object.path + path)) else { return }
        let number = isBool ? 1 : Self.pattern(offset, width: width)
        let value: ValueExpr
        if case .array = type {
            value = .bytes(Heap.littleEndianBytes(UInt64(bitPattern: number), width: width))
        } else {
            value = .integer(number)
        }
        sourceAssignments.append(Assignment(target: object.path + path, value: value, location: location))
        if equalOnDest {
            destAssignments.append(Assignment(target: object.path + path, value: value, location: location))
        }
    }

    private mutating func setBoth(_ object: Object, offset: Int, value: Int64) {
        guard let (path, type) = path(in: object.record, offset: offset, .scalar(nil)) else { return }
        let expression: ValueExpr
        if case .array(_, let count) = type {
            expression = .bytes(Heap.littleEndianBytes(UInt64(value), width: min(count, 8)))
        } else {
            expression = .integer(value)
        }
        pinned.insert(MemberStep.render(object.path + path))
        sourceAssignments.append(Assignment(target: object.path + path, value: expression, location: location))
        destAssignments.append(Assignment(target: object.path + path, value: expression, location: location))
    }

    /// Bytes counting up from the offset, for a buffer at `object.base`. A buffer that starts
    /// inside an array (`VMSTATE_BUFFER_START_MIDDLE`) fills the array from its start: the pattern
    /// depends only on offsets, so the bytes before are the same either way.
    private mutating func setBytes(_ object: Object, count: Int) {
        guard count > 0, var (path, type) = path(in: object.record, offset: object.base) else { return }
        var start = object.base
        let session = resolver.session
        func size(_ type: CType) -> Int { session.size(of: type) }
        while size(type) - (object.base - start) < count, case .index(.integer(let index)) = path.last {
            let elementSize = size(type)
            path.removeLast()
            guard let arrayType = memberType(at: path, in: object.record) else { return }
            start -= Int(index) * elementSize
            type = arrayType
        }
        let length = (object.base - start) + min(count, size(type) - (object.base - start))
        guard length > 0 else { return }
        let bytes = (0..<length).map { UInt8(truncatingIfNeeded: start + $0 + 1) }
        sourceAssignments.append(Assignment(target: object.path + path, value: .bytes(bytes), location: location))
    }

    /// The type of the member a path names, as the scenario declares it.
    private func memberType(at path: [MemberStep], in record: String) -> CType? {
        var type = CType.named(record)
        for step in path {
            switch (step, type) {
            case (.name(let name), .named(let owner)):
                guard let member = builder.emitted[owner]?.first(where: { $0.name == name }) else { return nil }
                type = member.type
            case (.index, .array(let element, _)):
                type = element
            default:
                return nil
            }
        }
        return type
    }

    /// What a path search looks for at an offset.
    private enum Target {
        /// The outermost member that starts there.
        case any
        /// A scalar (or a byte array) of this many bytes if one starts there, else any scalar.
        case scalar(Int?)
        /// A pointer.
        case pointer
        /// An array of pointers.
        case pointerArray
        /// A list head or link of vmscope's built-in types, or a named struct.
        case named(String)
    }

    /// The member path to `offset` inside `record` as the scenario declares it, and the type
    /// there, for what `target` asks. Union members are all tried.
    private func path(in record: String, offset: Int, _ target: Target = .any) -> ([MemberStep], CType)? {
        var fallback: ([MemberStep], CType)?
        let session = resolver.session
        func matches(_ type: CType) -> Bool? {
            switch (target, type) {
            case (.any, _): return true
            case (.scalar(let size), .integer), (.scalar(let size), .bool), (.scalar(let size), .floating),
                (.scalar(let size), .pointer), (.scalar(let size), .array(.integer(1, _), _)):
                // A scalar of another size is a fallback (nil), not a match.
                return size == nil || session.size(of: type) == size ? true : nil
            case (.pointer, .pointer): return true
            case (.pointerArray, .array(.pointer, _)): return true
            case (.named(let name), .named(let found)): return name == found
            default: return false
            }
        }
        func search(_ type: CType, _ remaining: Int, _ steps: [MemberStep], _ depth: Int) -> ([MemberStep], CType)? {
            if remaining == 0 && !steps.isEmpty {
                switch matches(type) {
                case true?: return (steps, type)
                case nil: if fallback == nil { fallback = (steps, type) }
                default: break
                }
            }
            guard depth < 32 else { return nil }
            switch type {
            case .named(let name):
                for member in members(of: name)
                where member.offset <= remaining && remaining < member.offset + max(member.size, 1) {
                    if let found = search(
                        member.type, remaining - member.offset, steps + [.name(member.name)], depth + 1)
                    {
                        return found
                    }
                }
                return nil
            case .array(let element, let count):
                let elementSize = session.size(of: element)
                guard elementSize > 0, remaining / elementSize < count else { return nil }
                let index = remaining / elementSize
                return search(
                    element, remaining - index * elementSize, steps + [.index(.integer(Int64(index)))], depth + 1)
            default:
                return nil
            }
        }
        return search(.named(record), offset, [], 0) ?? fallback
    }

    /// A struct's members as the scenario declares them (vmscope's built-in types included).
    private func members(of name: String) -> [CDocumentBuilder.EmittedMember] {
        if let emitted = builder.emitted[name] { return emitted }
        guard let layout = TypeTable().layouts[name] else { return [] }
        return layout.members.map {
            .init(name: $0.name, type: $0.type, offset: $0.offset, size: resolver.session.size(of: $0.type))
        }
    }
}
