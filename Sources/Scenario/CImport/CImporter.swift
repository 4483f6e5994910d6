import VMState

/// Reads VMSDs straight from QEMU C source: `vmscope import hw/foo.c`.
///
/// The `.c` files are translation units; headers they include (found through the including
/// file's directory, `-I` directories, or headers given on the command line) are read once each.
/// Every VMSD defined in the given files is resolved with vmscope's macro table for the chosen
/// profile, and becomes part of a scenario whose devices are the VMSDs no other one nests.
public enum CImporter {
    public static func importFiles(
        _ paths: [String], options: CImportOptions, reader: CSourceReader = LocalSourceReader()
    ) -> CImportResult {
        let session = CImportSession(options: options, reader: reader)
        let headers = paths.filter { $0.hasSuffix(".h") }
        for header in headers { session.addGivenHeader(header) }
        var givenUnits: [Int32] = []
        for path in paths where !path.hasSuffix(".h") {
            givenUnits.append(session.processTranslationUnit(session.file(atPath: path)))
        }
        // A header given on the command line that no .c file included is read on its own.
        for header in headers {
            givenUnits.append(session.processTranslationUnit(session.file(atPath: header)))
        }
        var seen: Set<Int32> = []
        givenUnits = givenUnits.filter { seen.insert($0).inserted }

        let resolver = CVMSDResolver(session: session, profile: options.profile)
        var keys: [String] = []
        for unit in givenUnits {
            for vmsd in session.units[Int(unit)].declarations.vmsds {
                if let key = resolver.resolve(vmsd.cName, from: unit) { keys.append(key) }
            }
        }
        var result = CImportResult(
            document: nil, diagnostics: [], vmsds: [], switches: [],
            descriptionJSON: CDescriptionWriter(resolver: resolver).json(for: keys))
        let nestedKeys = Set(
            resolver.resolved.values.flatMap { vmsd in
                (vmsd.fields ?? []).flatMap { [$0.nested, $0.nestedKey].compactMap { $0 } }
                    + (vmsd.subsections ?? []).compactMap { $0 }
            })
        for key in keys {
            guard let vmsd = resolver.resolved[key] else { continue }
            let fields = vmsd.fields ?? []
            result.vmsds.append(
                CImportedVMSD(
                    cName: vmsd.cName, name: vmsd.name, file: session.path(ofFile: vmsd.location.file),
                    line: Int(vmsd.location.line), structType: vmsd.structType, fieldCount: fields.count,
                    placeholderCount: fields.filter(\.field.isPlaceholder).count, isRoot: !nestedKeys.contains(key)))
        }
        if options.buildsDocument {
            var builder = CDocumentBuilder(session: session, resolver: resolver)
            let built = builder.build(
                keys: keys, roots: keys.filter { !nestedKeys.contains($0) }, file: paths.first ?? "")
            result.document = built.document
            result.switches = built.switches
        }
        result.diagnostics = session.diagnostics.map { diagnostic in
            var copy = diagnostic
            let repeated = session.repetitions(of: diagnostic.message)
            if diagnostic.severity == .note && repeated > 0 {
                copy.message += " (and \(repeated) more time\(repeated == 1 ? "" : "s"))"
            }
            return copy
        }
        return result
    }
}
