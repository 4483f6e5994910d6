/// One import: the files read, the units they form, the macros and declarations seen, and the
/// messages. A `.c` file given on the command line is a translation unit; a header included at
/// file scope is a unit of its own, preprocessed and parsed once however many translation units
/// include it (as if it were precompiled). A unit sees the declarations and macros of the units
/// it included, directly or not.
final class CImportSession: CPreprocessorHost, CParserHost {
    let options: CImportOptions
    let reader: CSourceReader
    let macros = CMacroStore()
    private(set) var diagnostics: [CDiagnostic] = []
    private var repeatedNotes: [String: Int] = [:]

    struct FileEntry {
        var path: String
        var directory: String
        var tokens: [CToken]?
    }

    private(set) var files: [FileEntry] = []
    private var fileByPath: [String: Int32] = [:]
    private var includeCache: [String: Int32?] = [:]
    /// Headers named on the command line: found by the end of their path when includes miss.
    private var givenHeaders: [Int32] = []

    struct Unit {
        var file: Int32
        var isHeader: Bool
        var declarations = CUnitDeclarations()
        var includes: [Int32] = []
        /// The units whose declarations this one sees (itself included).
        var visible: Set<Int32> = [CMacroStore.builtinUnit]
    }

    private(set) var units: [Unit] = [Unit(file: -1, isHeader: true)]
    private var headerUnitByFile: [Int32: Int32] = [:]
    private var currentScope: CMacroScope?

    /// Declarations by name → the units declaring them, in order.
    private(set) var typedefIndex: [String: [Int32]] = [:]
    private(set) var tagIndex: [String: [Int32]] = [:]
    private(set) var enumTagIndex: [String: [Int32]] = [:]
    private(set) var constantIndex: [String: [Int32]] = [:]
    private(set) var vmsdIndex: [String: [Int32]] = [:]
    private(set) var fieldArrayIndex: [String: [Int32]] = [:]
    private(set) var subsectionArrayIndex: [String: [Int32]] = [:]
    private(set) var vmsdArrayIndex: [String: [Int32]] = [:]
    private(set) var infoIndex: [String: [Int32]] = [:]
    private(set) var arrayCountIndex: [String: [Int32]] = [:]
    private(set) var tagTypedefIndex: [String: [Int32]] = [:]

    // Layout state (see CTypeLayout.swift).
    var layouts: [CRecordKey: CRecordLayout] = [:]
    var recordNames: [String: CRecordKey] = [:]
    var recordNamesByKey: [CRecordKey: String] = [:]
    var inProgress: Set<CRecordKey> = []
    var reportedKeys: Set<String> = []
    var layoutDepth = 0
    var typedefDepth = 0
    /// Where the import is working, for messages that have no better place.
    var currentLocation: CSourceLocation = .unknown

    /// Names the preprocessor never expands: the table's `VMSTATE_*` macros and the QEMU macros
    /// whose meaning vmscope computes itself.
    let primitiveNames: Set<String>

    static let reservedNames: Set<String> = [
        "VMSTATE_END_OF_LIST", "offsetof", "typeof_field", "ARRAY_SIZE", "G_N_ELEMENTS", "QEMU_BUILD_BUG_ON_ZERO",
        "QEMU_BUILD_BUG_ON", "QEMU_BUILD_BUG_MSG", "MIN", "MAX", "MIN_CONST", "MAX_CONST", "QTAILQ_HEAD",
        "QTAILQ_ENTRY", "QLIST_HEAD", "QLIST_ENTRY", "QSIMPLEQ_HEAD", "QSIMPLEQ_ENTRY", "QSLIST_HEAD",
        "QSLIST_ENTRY", "QEMU_PACKED", "QEMU_ALIGNED", "container_of",
    ]

    init(options: CImportOptions, reader: CSourceReader) {
        self.options = options
        self.reader = reader
        primitiveNames = Set(MacroTable.definitions.keys).union(Self.reservedNames)
        readPrelude()
    }

    /// vmscope's model of the compiler and the C library (`CPrelude`), and the user's `-D`s, as
    /// the built-in unit every other unit sees.
    private func readPrelude() {
        var text = CPrelude.text
        for (name, value) in options.defines { text += "#define \(name) \(value)\n" }
        let file = Int32(files.count)
        files.append(
            FileEntry(path: "<built-in>", directory: ".", tokens: CLexer.tokenize(Array(text.utf8), file: file)))
        let preprocessor = CPreprocessor(
            host: self, unit: CMacroStore.builtinUnit, scope: CMacroScope(), isHeaderUnit: true, includeDepth: 0)
        let tokens = preprocessor.run(file: file)
        releaseTokens(ofFile: file)
        var parser = CParser(tokens: tokens, host: self, unit: CMacroStore.builtinUnit)
        parser.parseUnit()
        units[Int(CMacroStore.builtinUnit)].declarations = parser.declarations
        index(CMacroStore.builtinUnit)
    }

    // MARK: Files

    /// Registers a file (once per normalized path).
    func file(atPath path: String) -> Int32 {
        let normalized = CPath.normalize(path)
        if let file = fileByPath[normalized] { return file }
        let file = Int32(files.count)
        files.append(FileEntry(path: normalized, directory: CPath.directory(of: normalized), tokens: nil))
        fileByPath[normalized] = file
        return file
    }

    func path(ofFile file: Int32) -> String {
        file >= 0 && Int(file) < files.count ? files[Int(file)].path : "<built-in>"
    }

    func tokens(ofFile file: Int32) -> [CToken] {
        guard file >= 0 && Int(file) < files.count else { return [.end(at: .unknown)] }
        if let tokens = files[Int(file)].tokens { return tokens }
        guard let bytes = reader.read(files[Int(file)].path) else {
            diagnose(
                .error, "cannot read \(files[Int(file)].path)", at: CSourceLocation(file: file, line: 1, column: 1))
            files[Int(file)].tokens = [.end(at: .unknown)]
            return [.end(at: .unknown)]
        }
        let tokens = CLexer.tokenize(bytes, file: file)
        // Kept while the file is being preprocessed; released after (see `releaseTokens`).
        files[Int(file)].tokens = tokens
        return tokens
    }

    func releaseTokens(ofFile file: Int32) {
        if file >= 0 && Int(file) < files.count { files[Int(file)].tokens = nil }
    }

    func addGivenHeader(_ path: String) {
        givenHeaders.append(file(atPath: path))
    }

    func resolveInclude(_ name: String, quoted: Bool, from file: Int32) -> Int32? {
        let directory = file >= 0 && Int(file) < files.count ? files[Int(file)].directory : "."
        let key = (quoted ? directory : "<>") + "\u{0}" + name
        if let cached = includeCache[key] { return cached }
        var found: Int32?
        let directories = (quoted ? [directory] : []) + options.includeDirectories
        for candidate in directories {
            let path = CPath.join(candidate, name)
            if fileByPath[path] != nil || reader.exists(path) {
                found = self.file(atPath: path)
                break
            }
        }
        if found == nil {
            found = givenHeaders.first { path(ofFile: $0) == name || path(ofFile: $0).hasSuffix("/" + name) }
        }
        includeCache[key] = found
        return found
    }

    // MARK: Units

    /// Preprocesses and parses a `.c` file (or a header given on its own) as a translation unit.
    @discardableResult
    func processTranslationUnit(_ file: Int32) -> Int32 {
        if let header = headerUnitByFile[file] { return header }
        let unit = Int32(units.count)
        units.append(Unit(file: file, isHeader: false))
        let scope = CMacroScope()
        scope.visibleUnits.insert(unit)
        let previous = currentScope
        currentScope = scope
        defer { currentScope = previous }
        let preprocessor = CPreprocessor(host: self, unit: unit, scope: scope, isHeaderUnit: false, includeDepth: 0)
        let tokens = preprocessor.run(file: file)
        releaseTokens(ofFile: file)
        units[Int(unit)].includes = preprocessor.includedUnits
        units[Int(unit)].visible = scope.visibleUnits
        var parser = CParser(tokens: tokens, host: self, unit: unit)
        parser.parseUnit()
        units[Int(unit)].declarations = parser.declarations
        index(unit)
        return unit
    }

    func headerUnit(for file: Int32, scope: CMacroScope, includedFrom: CSourceLocation, depth: Int) -> Int32? {
        if let unit = headerUnitByFile[file] {
            if !scope.visibleUnits.contains(unit) { scope.visibleUnits.formUnion(closure(of: unit)) }
            return unit
        }
        guard depth < CPreprocessor.maximumIncludeDepth else {
            diagnose(.error, "#include nested more than \(CPreprocessor.maximumIncludeDepth) deep", at: includedFrom)
            return nil
        }
        let unit = Int32(units.count)
        units.append(Unit(file: file, isHeader: true))
        headerUnitByFile[file] = unit
        scope.visibleUnits.insert(unit)
        let preprocessor = CPreprocessor(
            host: self, unit: unit, scope: scope, isHeaderUnit: true, includeDepth: depth + 1)
        let tokens = preprocessor.run(file: file)
        releaseTokens(ofFile: file)
        units[Int(unit)].includes = preprocessor.includedUnits
        var parser = CParser(tokens: tokens, host: self, unit: unit)
        parser.parseUnit()
        units[Int(unit)].declarations = parser.declarations
        units[Int(unit)].visible = scope.visibleUnits
        index(unit)
        return unit
    }

    /// A header and every header it included, directly or not.
    private func closure(of unit: Int32) -> Set<Int32> {
        var result: Set<Int32> = []
        var stack = [unit]
        while let next = stack.popLast() {
            guard result.insert(next).inserted else { continue }
            stack.append(contentsOf: units[Int(next)].includes)
        }
        return result
    }

    private func index(_ unit: Int32) {
        let declarations = units[Int(unit)].declarations
        for name in declarations.typedefs.keys { typedefIndex[name, default: []].append(unit) }
        for name in declarations.tags.keys { tagIndex[name, default: []].append(unit) }
        for name in declarations.enumTags { enumTagIndex[name, default: []].append(unit) }
        for name in declarations.enumConstants.keys { constantIndex[name, default: []].append(unit) }
        for vmsd in declarations.vmsds { vmsdIndex[vmsd.cName, default: []].append(unit) }
        for name in declarations.fieldArrays.keys { fieldArrayIndex[name, default: []].append(unit) }
        for name in declarations.subsectionArrays.keys { subsectionArrayIndex[name, default: []].append(unit) }
        for name in declarations.vmsdArrays.keys { vmsdArrayIndex[name, default: []].append(unit) }
        for name in declarations.infos.keys { infoIndex[name, default: []].append(unit) }
        for name in declarations.arrayCounts.keys { arrayCountIndex[name, default: []].append(unit) }
        for tag in declarations.tagTypedefs.keys { tagTypedefIndex[tag, default: []].append(unit) }
    }

    /// The unit declaring `name` that `unit` sees: itself, then what it included (latest
    /// first), then, for headers vmscope could not read, any unit at all.
    func find(_ name: String, in index: [String: [Int32]], from unit: Int32) -> Int32? {
        guard let candidates = index[name] else { return nil }
        if candidates.contains(unit) { return unit }
        let visible = units[Int(unit)].visible
        if let seen = candidates.last(where: { visible.contains($0) }) { return seen }
        return candidates.last
    }

    // MARK: Hosts

    func isPrimitive(_ name: String) -> Bool { primitiveNames.contains(name) }

    func visibleConstant(_ name: String, unit: Int32) -> Int64? {
        guard let candidates = constantIndex[name] else { return nil }
        let visible = currentScope?.visibleUnits ?? units[Int(unit)].visible
        let chosen = candidates.last(where: { visible.contains($0) }) ?? candidates.last
        return chosen.flatMap { units[Int($0)].declarations.enumConstants[name] }
    }

    func isVisibleTypeName(_ name: String, unit: Int32) -> Bool {
        typedefIndex[name] != nil || CScalarTypes.table[name] != nil
    }

    func earlySize(of tokens: ArraySlice<CToken>, unit: Int32) -> Int? {
        let isKnown = { (name: String) in
            self.knownType(name) != nil || self.typedefIndex[name] != nil || self.tagIndex[name] != nil
        }
        guard let type = CTypeNameParser.parse(Array(tokens), isTypeName: isKnown) else { return nil }
        var base = type
        if case .pointer = base { return 8 }
        while case .array(let element, _) = base { base = element }
        switch base {
        case .name(let name) where isKnown(name): break
        case .tagged(_, let tag) where isKnown(tag): break
        default: return nil
        }
        let layout = self.layout(of: type, in: unit)
        return layout.isGuess ? nil : layout.size
    }

    func diagnose(_ severity: CDiagnostic.Severity, _ message: String, at location: CSourceLocation) {
        if severity == .note {
            let count = repeatedNotes[message, default: 0]
            repeatedNotes[message] = count + 1
            if count > 0 { return }
        }
        diagnostics.append(
            CDiagnostic(
                severity: severity, file: path(ofFile: location.file), line: Int(location.line),
                column: Int(location.column), message: message))
    }

    /// How often a note was repeated after its first report.
    func repetitions(of message: String) -> Int { max(0, repeatedNotes[message, default: 1] - 1) }
}
