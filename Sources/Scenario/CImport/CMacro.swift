/// A `#define`: object-like or function-like, with the unit that defined it.
struct CMacro: Sendable {
    var name: String
    var isFunctionLike: Bool
    var parameters: [String]
    /// The last parameter takes the rest of the arguments (`...` or `args...`).
    var isVariadic: Bool
    var body: [CToken]
    /// The unit (header or translation unit) that defined it; `CMacroStore.builtinUnit` for
    /// vmscope's predefined macros.
    var unit: Int32
    /// `#undef`: hides earlier definitions from units that see this one.
    var isUndefinition: Bool
    var location: CSourceLocation
}

/// Every macro the import has seen in headers, by name, in definition order. A translation unit
/// sees the definitions of the headers it included (directly or not); its own `#define`s live in
/// its `CMacroScope`.
final class CMacroStore {
    static let builtinUnit: Int32 = 0

    private(set) var definitions: [String: [CMacro]] = [:]
    private var nameIDs: [String: Int32] = [:]

    /// A small integer for a macro name, for hide sets.
    func id(of name: String) -> Int32 {
        if let id = nameIDs[name] { return id }
        let id = Int32(nameIDs.count)
        nameIDs[name] = id
        return id
    }

    func add(_ macro: CMacro) {
        definitions[macro.name, default: []].append(macro)
    }

    /// The latest definition of `name` among the visible units.
    func lookup(_ name: String, visible: Set<Int32>) -> CMacro? {
        guard let candidates = definitions[name] else { return nil }
        for macro in candidates.reversed() where macro.unit == Self.builtinUnit || visible.contains(macro.unit) {
            return macro.isUndefinition ? nil : macro
        }
        return nil
    }
}

/// The macros of one translation unit: its own `#define`s and `#undef`s, and the units whose
/// macros and declarations it can see.
final class CMacroScope {
    var local: [String: CMacro] = [:]
    var visibleUnits: Set<Int32> = [CMacroStore.builtinUnit]
}
