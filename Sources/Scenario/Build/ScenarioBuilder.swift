import VMState

/// One side of a migration as built for a profile: definitions, heap and device structs.
public struct BuiltSide: Sendable {
    public var profile: Profile
    public var definitions: Definitions
    public var heap: Heap
    public var devices: [BuiltDevice]
}

public struct BuiltDevice: Sendable, Hashable {
    public var vmsd: String
    public var idstr: String
    public var instanceID: Int
    /// The device struct in the side's heap.
    public var opaque: UInt64
    public var loadVersion: Int?
    /// Bytes the scenario gives to load instead of saving.
    public var stream: [UInt8]?
}

public enum Side: String, Sendable {
    case source, dest
}

extension Scenario {
    /// The types of the scenario laid out with C rules.
    func buildTypes(constants: [String: Int64]) throws(ScenarioError) -> TypeTable {
        var types = TypeTable()
        let context = ResolutionContext(
            file: document.file, types: types, vmsdAliases: [:], tests: [:], constants: constants, profile: .default)
        for declaration in document.structs {
            var members: [(name: String, type: CType)] = []
            let builder = StateBuilder(
                heap: Heap(),
                context: ResolutionContext(
                    file: context.file, types: types, vmsdAliases: [:], tests: [:], constants: constants,
                    profile: .default))
            for member in declaration.members {
                members.append((member.name, try builder.ctype(member.type, at: member.location)))
            }
            do {
                try types.define(declaration.name, members: members, isUnion: declaration.isUnion)
            } catch {
                throw ScenarioError(file: document.file, location: declaration.location, message: "\(error)")
            }
        }
        return types
    }

    /// Resolves every VMSD for `profile` and builds `side`'s state.
    public func build(_ side: Side, profile: Profile) throws(ScenarioError) -> BuiltSide {
        let types = try buildTypes(constants: document.constants)
        var aliases: [String: String] = [:]
        for vmsd in document.vmsds { if let alias = vmsd.alias { aliases[alias] = vmsd.name } }
        let context = ResolutionContext(
            file: document.file, types: types, vmsdAliases: aliases, tests: document.tests,
            constants: document.constants,
            profile: profile)

        var definitions = Definitions(types: types)
        for declaration in document.vmsds {
            if definitions[declaration.name] != nil {
                throw context.error("VMSD '\(declaration.name)' is declared twice", at: declaration.location)
            }
            if let structType = declaration.structType, types[structType] == nil {
                throw context.error(
                    "VMSD '\(declaration.name)' is for unknown struct '\(structType)'",
                    at: declaration.location)
            }
            let resolver = FieldResolver(context: context, structType: declaration.structType)
            var fields: [VMStateField] = []
            for field in declaration.fields { fields.append(try resolver.resolve(field)) }
            definitions.add(
                VMStateDescription(
                    name: declaration.name, versionID: declaration.versionID,
                    minimumVersionID: declaration.minimumVersionID, fields: fields,
                    terminatorRawFlags: declaration.terminatorRawFlags,
                    subsections: declaration.subsections.map(\.name), needed: declaration.needed,
                    preLoad: declaration.preLoad, postLoad: declaration.postLoad, preSave: declaration.preSave,
                    postSave: declaration.postSave, priority: declaration.priority,
                    unmigratable: declaration.unmigratable, earlySetup: declaration.earlySetup,
                    structType: declaration.structType))
        }
        try validateReferences(definitions, context: context)

        var builder = StateBuilder(heap: Heap(), context: context)
        var devices: [BuiltDevice] = []
        for device in document.devices {
            guard let vmsd = definitions[device.vmsd] else {
                throw context.error("device '\(device.vmsd)' names no declared VMSD", at: device.location)
            }
            guard let structType = vmsd.structType else {
                throw context.error("VMSD '\(vmsd.name)' needs 'for STRUCT' to be a device", at: device.location)
            }
            let opaque = try builder.build(
                root: structType, assignments: side == .source ? device.source : device.dest, at: device.location)
            devices.append(
                BuiltDevice(
                    vmsd: device.vmsd, idstr: device.idstr ?? device.vmsd, instanceID: device.instanceID,
                    opaque: opaque, loadVersion: device.loadVersion, stream: device.stream))
        }
        return BuiltSide(profile: profile, definitions: definitions, heap: builder.heap, devices: devices)
    }

    private func validateReferences(_ definitions: Definitions, context: ResolutionContext) throws(ScenarioError) {
        for declaration in document.vmsds {
            guard let vmsd = definitions[declaration.name] else { continue }
            for (field, written) in zip(vmsd.fields, declaration.fields) {
                for name in [field.vmsd, field.keyVMSD].compactMap({ $0 }) where definitions[name] == nil {
                    throw context.error(
                        "field '\(field.name)' refers to VMSD '\(name)', which is not declared",
                        at: written.location)
                }
            }
            for subsection in declaration.subsections where definitions[subsection.name] == nil {
                throw context.error("subsection '\(subsection.name)' is not declared", at: subsection.location)
            }
        }
    }
}
