/// `vmscope import --describe`: each VMSD as QEMU's `-dump-vmstate` prints a `Description`
/// (migration/savevm.c, `dump_vmstate_vmsd` and `dump_vmstate_vmsf`):
///
/// - keys `name`, `version_id`, `minimum_version_id`, then `Fields` when the VMSD has a field
///   list and `Subsections` when it has a subsection list (even an empty one);
/// - each field: `field`, `version_id`, `field_exists` (whether a test is set), `size` (the
///   field's `size` member as the macro sets it: the element size of an array, the pointer's
///   size for `_POINTER` structs, 0 for a VBUFFER), then a nested `Description` for any field
///   with a VMSD (`vmsd[0]` for a gtree);
/// - fields with `VMS_MUST_EXIST` (VMSTATE_VALIDATE) are left out, as QEMU does.
///
/// QEMU 7.2's shape: no `"num"` key (QEMU 8.1 added it).
struct CDescriptionWriter {
    let resolver: CVMSDResolver
    static let maximumDepth = 64

    /// One object keyed by VMSD name; a name met again gets ` #2`, ` #3`.
    func json(for keys: [String]) -> String {
        var writer = JSONText()
        writer.open("{")
        var names: [String: Int] = [:]
        for key in keys {
            guard let vmsd = resolver.resolved[key] else { continue }
            let count = names[vmsd.name, default: 0] + 1
            names[vmsd.name] = count
            writer.key(count == 1 ? vmsd.name : "\(vmsd.name) #\(count)")
            description(key, into: &writer, depth: 0)
        }
        writer.close("}")
        return writer.text + "\n"
    }

    private func description(_ key: String, into writer: inout JSONText, depth: Int, path: Set<String> = []) {
        writer.open("{")
        guard let vmsd = resolver.resolved[key] else {
            // A VMSD defined in a file not read: its C name, and nothing vmscope could know.
            writer.key("name")
            writer.string(key.hasPrefix("extern:") ? String(key.dropFirst(7)) : key)
            writer.key("version_id")
            writer.number(0)
            writer.key("minimum_version_id")
            writer.number(0)
            writer.close("}")
            return
        }
        writer.key("name")
        writer.string(vmsd.name)
        writer.key("version_id")
        writer.number(vmsd.versionID)
        writer.key("minimum_version_id")
        writer.number(vmsd.minimumVersionID)
        // A VMSD inside itself (QEMU would recurse for ever): its name, not its fields again.
        guard depth < Self.maximumDepth, !path.contains(key) else {
            writer.close("}")
            return
        }
        let inner = path.union([key])
        if let fields = vmsd.fields {
            writer.key("Fields")
            writer.open("[")
            for field in fields where !field.field.flags.contains(.mustExist) {
                writer.element()
                writer.open("{")
                writer.key("field")
                writer.string(field.field.name)
                writer.key("version_id")
                writer.number(field.field.versionID)
                writer.key("field_exists")
                writer.boolean(field.field.fieldExists != nil)
                writer.key("size")
                writer.number(field.field.size)
                if let nested = field.nested {
                    writer.key("Description")
                    description(nested, into: &writer, depth: depth + 1, path: inner)
                }
                writer.close("}")
            }
            writer.close("]")
        }
        if let subsections = vmsd.subsections {
            writer.key("Subsections")
            writer.open("[")
            for (index, subsection) in subsections.enumerated() {
                writer.element()
                description(
                    subsection ?? "extern:\(vmsd.subsectionCNames[index])", into: &writer, depth: depth + 1, path: inner
                )
            }
            writer.close("]")
        }
        writer.close("}")
    }
}

/// Pretty JSON written in order (QEMU's key order matters to a reader comparing dumps).
struct JSONText {
    private(set) var text = ""
    private var indent = 0
    /// Whether the current container has an element yet.
    private var hasElement: [Bool] = []

    mutating func open(_ bracket: String) {
        text += bracket
        indent += 2
        hasElement.append(false)
    }

    mutating func close(_ bracket: String) {
        indent -= 2
        let had = hasElement.popLast() ?? false
        if had { text += "\n" + String(repeating: " ", count: indent) }
        text += bracket
    }

    /// Starts an array element.
    mutating func element() {
        if hasElement.last == true { text += "," }
        if !hasElement.isEmpty { hasElement[hasElement.count - 1] = true }
        text += "\n" + String(repeating: " ", count: indent)
    }

    mutating func key(_ name: String) {
        element()
        string(name)
        text += ": "
    }

    mutating func string(_ value: String) {
        text += "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": text += "\\\""
            case "\\": text += "\\\\"
            case "\n": text += "\\n"
            case "\t": text += "\\t"
            case "\r": text += "\\r"
            default:
                if scalar.value < 0x20 {
                    let hex = String(scalar.value, radix: 16)
                    text += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    text.unicodeScalars.append(scalar)
                }
            }
        }
        text += "\""
    }

    mutating func number(_ value: Int) { text += String(value) }
    mutating func boolean(_ value: Bool) { text += value ? "true" : "false" }
}
