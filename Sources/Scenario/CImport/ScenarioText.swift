import VMState

/// Writes a scenario document as scenario text that `ScenarioParser` reads back to the same
/// document: what `vmscope import -o` saves.
public enum ScenarioText {
    public static func render(_ document: ScenarioDocument, header: [String] = []) -> String {
        var out = ""
        for line in header { out += "# \(line)\n" }
        if let title = document.title { out += "title \(quoted(title))\n" }
        for note in document.notes { out += "note \(quoted(note))\n" }
        if let source = document.sourceProfile, let dest = document.destProfile {
            out += source == dest ? "profile \(source)\n" : "source_profile \(source)\ndest_profile \(dest)\n"
        }
        if !document.constants.isEmpty { out += "\n" }
        for (name, value) in document.constants.sorted(by: { $0.key < $1.key }) {
            out += "const \(name) = \(value)\n"
        }
        for declaration in document.structs {
            out += "\n\(declaration.isUnion ? "union" : "struct") \(declaration.name) {\n"
            for member in declaration.members {
                out += "    \(memberDeclaration(member.name, member.type));\n"
            }
            out += "}\n"
        }
        for (name, test) in document.tests.sorted(by: { $0.key < $1.key }) {
            out += "\ntest \(name) = \(test)\n"
        }
        for vmsd in document.vmsds { out += "\n" + render(vmsd) }
        for device in document.devices { out += "\n" + render(device) }
        if !document.expectations.isEmpty { out += "\n" }
        for expectation in document.expectations {
            let pair =
                expectation.sourceProfile == expectation.destProfile
                ? expectation.sourceProfile : "\(expectation.sourceProfile) -> \(expectation.destProfile)"
            out += "expect \(pair): \(expectation.facts.map(\.description).joined(separator: ", "))\n"
        }
        return out
    }

    static func quoted(_ text: String) -> String {
        var result = "\""
        for character in text {
            switch character {
            case "\"": result += "\\\""
            case "\\": result += "\\\\"
            case "\n": result += "\\n"
            case "\t": result += "\\t"
            default: result.append(character)
            }
        }
        return result + "\""
    }

    /// `T *name[2][3]` for an array of 2 arrays of 3 pointers to T.
    static func memberDeclaration(_ name: String, _ type: TypeExpr) -> String {
        var dimensions: [String] = []
        var base = type
        while case .array(let element, let count) = base {
            dimensions.append("[\(count)]")
            base = element
        }
        return "\(typeName(base)) \(name)\(dimensions.joined())"
    }

    static func typeName(_ type: TypeExpr) -> String {
        switch type {
        case .named(let name): name
        case .pointer(let pointee): typeName(pointee) + " *"
        case .array(let element, let count): "\(typeName(element))[\(count)]"
        }
    }

    private static func render(_ vmsd: VMSDDecl) -> String {
        var out = "vmsd \(quoted(vmsd.name))"
        if let type = vmsd.structType { out += " for \(type)" }
        if let alias = vmsd.alias { out += " as \(alias)" }
        out += " {\n"
        out += "    version_id \(vmsd.versionID)\n"
        out += "    minimum_version_id \(vmsd.minimumVersionID)\n"
        if vmsd.priority != 0 { out += "    priority \(vmsd.priority)\n" }
        if vmsd.unmigratable { out += "    unmigratable true\n" }
        if vmsd.earlySetup { out += "    early_setup true\n" }
        if let raw = vmsd.terminatorRawFlags { out += "    end_of_list 0x\(String(raw, radix: 16))\n" }
        if let needed = vmsd.needed { out += "    needed \(callback(needed))\n" }
        for (keyword, hook) in [
            ("pre_load", vmsd.preLoad), ("post_load", vmsd.postLoad), ("pre_save", vmsd.preSave),
            ("post_save", vmsd.postSave),
        ] {
            guard let hook else { continue }
            out += "    \(keyword) \(render(hook))\n"
        }
        out += "    fields {\n"
        for field in vmsd.fields { out += "        \(render(field))\n" }
        out += "    }\n"
        if !vmsd.subsections.isEmpty {
            out += "    subsections { \(vmsd.subsections.map { quoted($0.name) }.joined(separator: ", ")) }\n"
        }
        return out + "}\n"
    }

    private static func callback(_ expression: Expression) -> String {
        if case .callbackSwitch(let name, let value) = expression { return value ? "\(name)()" : "\(name)() = false" }
        return "{ \(expression) }"
    }

    private static func render(_ hook: Hook) -> String {
        let errp = hook.usesErrp ? "errp " : ""
        if let name = hook.callbackName {
            if hook.statements.isEmpty { return "\(errp)\(name)()" }
            if hook.statements.count == 1, case .return(.integer(let value)) = hook.statements[0] {
                return "\(errp)\(name)() = \(value)"
            }
        }
        return errp + hook.description
    }

    private static func render(_ field: FieldDecl) -> String {
        switch field {
        case .macro(let name, let arguments, let settings, _):
            // A macro C writes without parentheses (VMSTATE_VIRTIO_DEVICE) takes `()` here.
            let call = "\(name)(\(arguments.map(\.description).joined(separator: ", ")))"
            return settings.isEmpty ? call : "\(call) \(render(settings))"
        case .explicit(let name, let settings, _):
            return "field \(quoted(name)) \(render(settings))"
        }
    }

    private static func render(_ settings: [FieldSetting]) -> String {
        "{ " + settings.map { "\($0.key) \($0.value.description)" }.joined(separator: "; ") + " }"
    }

    private static func render(_ device: DeviceDecl) -> String {
        var out = "device \(quoted(device.vmsd)) {\n"
        if let idstr = device.idstr { out += "    idstr \(quoted(idstr))\n" }
        if device.instanceID != 0 { out += "    instance_id \(device.instanceID)\n" }
        if let version = device.loadVersion { out += "    load_version \(version)\n" }
        for (keyword, assignments) in [("source", device.source), ("dest", device.dest)] {
            if assignments.isEmpty {
                out += "    \(keyword) { }\n"
                continue
            }
            out += "    \(keyword) {\n"
            for assignment in assignments {
                out += "        \(MemberStep.render(assignment.target)) = \(render(assignment.value))\n"
            }
            out += "    }\n"
        }
        if let stream = device.stream { out += "    stream hex \(quoted(hex(stream)))\n" }
        return out + "}\n"
    }

    static func hex(_ bytes: [UInt8]) -> String {
        bytes.map { ($0 < 16 ? "0" : "") + String($0, radix: 16) }.joined(separator: " ")
    }

    static func render(_ value: ValueExpr) -> String {
        switch value {
        case .integer(let number): return number >= 10 ? "0x" + String(number, radix: 16) : String(number)
        case .boolean(let flag): return flag ? "true" : "false"
        case .null: return "null"
        case .string(let text): return quoted(text)
        case .bytes(let bytes): return "hex \(quoted(hex(bytes)))"
        case .aggregate(let items):
            if items.allSatisfy({ $0.name == nil }) {
                return "[" + items.map { render($0.value) }.joined(separator: ", ") + "]"
            }
            return "{ " + items.map { ($0.name.map { "\($0) = " } ?? "") + render($0.value) }.joined(separator: ", ")
                + " }"
        case .new(let type, let count, let initial):
            var text = "new \(typeName(type))"
            if let count { text += "[\(count)]" }
            if let initial { text += " " + render(initial) }
            return text
        case .list(let kind, let link, let elements):
            return "\(kind.rawValue)(\(link)) [" + elements.map(render).joined(separator: ", ") + "]"
        case .tree(let nodes):
            return "gtree [" + nodes.map { "\(render($0.key)): \(render($0.value))" }.joined(separator: ", ") + "]"
        case .address(let path):
            return "&" + MemberStep.render(path)
        }
    }
}
