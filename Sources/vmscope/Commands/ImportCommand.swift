import ArgumentParser
import Platform
import Scenario
import VMState

/// `vmscope import FILE.c [FILE.h ...] -o SCENARIO`: VMSDs from QEMU C source, as a scenario.
struct ImportCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "import",
        abstract:
            "Read VMSDs from QEMU C source and write them as a scenario (or describe them as -dump-vmstate does).",
        discussion: """
            Headers are found in the including file's directory, then in the -I directories, then among the \
            headers given; others are skipped with a note. C callbacks become switches: needed and \
            field_exists return true, hooks return 0. Exit codes: 0 ok, 1 a file could not be read or a \
            VMState initializer has a syntax error, 2 usage or I/O error.
            """
    )

    @Argument(help: "C files (.c) and headers (.h).")
    var files: [String]

    @Option(
        name: .customShort("I"),
        help: ArgumentHelp("A directory to search for #include files (repeatable).", valueName: "DIR"))
    var includeDirectories: [String] = []

    @Option(
        name: .customShort("D"),
        help: ArgumentHelp("Define a macro as a compiler would (repeatable).", valueName: "NAME[=VALUE]"))
    var defines: [String] = []

    @Option(help: "The profile whose macro expansions decide sizes and --describe.")
    var profile: String = Profile.qemu72.name

    @Option(
        name: .customLong("size"),
        help: ArgumentHelp("The size (and alignment) of a type (repeatable).", valueName: "TYPE=N[:ALIGN]"))
    var sizes: [String] = []

    @Option(
        help: ArgumentHelp(
            "A file of `member = value` lines (the scenario's source { } syntax) for the source state.",
            valueName: "FILE"))
    var values: String?

    @Option(name: .shortAndLong, help: ArgumentHelp("Where to write the scenario.", valueName: "SCENARIO"))
    var output: String?

    @Flag(help: "Print each VMSD as a JSON Description in the shape of QEMU's -dump-vmstate.")
    var describe = false

    @Flag(help: "List the VMSDs found (with -o this is the default).")
    var summary = false

    @Flag(help: "Print warnings and errors only (no notes).")
    var quiet = false

    func validate() throws {
        if output == nil && !describe && !summary {
            throw ValidationError("give -o SCENARIO to write the scenario, or --describe, or --summary")
        }
        for file in files where !(file.hasSuffix(".c") || file.hasSuffix(".h")) {
            throw ValidationError("\(file): expected a .c or .h file")
        }
    }

    func run() throws {
        // Without -I, a file inside a QEMU checkout reads the checkout's headers, as the other
        // commands do.
        var includes = includeDirectories
        if includes.isEmpty, let first = files.first, let root = InputFile.qemuTree(containing: first) {
            includes = [root + "/include", root]
        }
        let options = try Self.options(
            includeDirectories: includes, defines: defines, profile: profile, sizes: sizes, values: values,
            buildsDocument: output != nil)
        for file in files where !FileManager.default.isReadableFile(atPath: file) {
            throw UserFailure.io("\(file): cannot read")
        }
        let result = CImporter.importFiles(files, options: options)
        Self.report(result.diagnostics, quiet: quiet)
        if describe { print(result.descriptionJSON, terminator: "") }
        if result.hasErrors {
            throw UserFailure.input(
                "import failed: \(result.diagnostics.filter { $0.severity == .error }.count) error(s)")
        }
        if let output, let document = result.document {
            let header = [
                "Imported by vmscope import from \(files.joined(separator: " "))",
                "\(result.vmsds.count) VMSD(s), \(result.switches.count) C callback switch(es)",
            ]
            try OutputFile.write(Data(ScenarioText.render(document, header: header).utf8), to: output, inputs: files)
        }
        if output != nil || summary { printSummary(result) }
    }

    private func printSummary(_ result: CImportResult) {
        // The summary goes to stderr when stdout carries the JSON.
        let toStandardError = describe
        func log(_ text: String) {
            if toStandardError { Self.printError(text) } else { print(text) }
        }
        let target = output.map { " -> \($0)" } ?? ""
        let clean = result.vmsds.filter { $0.placeholderCount == 0 }.count
        log(
            "vmscope import: \(result.vmsds.count) VMSD(s) from \(files.count) file(s)\(target), \(clean) without a placeholder"
        )
        for vmsd in result.vmsds {
            let placeholders = vmsd.placeholderCount > 0 ? ", \(vmsd.placeholderCount) placeholder(s)" : ""
            let role = vmsd.isRoot ? "device" : "nested"
            log(
                "  \(vmsd.name) (\(vmsd.cName), \(vmsd.file):\(vmsd.line)): \(vmsd.fieldCount) field(s), "
                    + "\(role)\(vmsd.structType.map { " for \($0)" } ?? "")\(placeholders)")
        }
        if !result.switches.isEmpty {
            log("switches (C callbacks vmscope cannot run; flip them with a FieldEdit or in the scenario):")
            for entry in result.switches { log("  \(entry) [\(entry.file):\(entry.line)]") }
        }
    }

    static func printError(_ text: String) {
        StandardError.writeLine(text)
    }

    static func report(_ diagnostics: [CDiagnostic], quiet: Bool) {
        for line in reportLines(diagnostics, quiet: quiet) { printError(line) }
    }

    /// The diagnostics as printed: a QEMU file includes dozens of headers that are not on the
    /// -I path, so their notes fold into one line per including file instead of drowning the
    /// warnings.
    static func reportLines(_ diagnostics: [CDiagnostic], quiet: Bool) -> [String] {
        let skippedSuffix = " (not found through -I)"
        var lines: [String] = []
        var skippedByFile: [String: (index: Int, first: CDiagnostic, names: [String])] = [:]
        for diagnostic in diagnostics where !(quiet && diagnostic.severity == .note) {
            let message = diagnostic.message
            guard diagnostic.severity == .note, message.hasPrefix("skipped #include "),
                message.hasSuffix(skippedSuffix)
            else {
                lines.append(diagnostic.description)
                continue
            }
            let name = String(message.dropFirst("skipped #include ".count).dropLast(skippedSuffix.count))
            if var entry = skippedByFile[diagnostic.file] {
                entry.names.append(name)
                skippedByFile[diagnostic.file] = entry
            } else {
                skippedByFile[diagnostic.file] = (lines.count, diagnostic, [name])
                lines.append(diagnostic.description)
            }
        }
        for (_, entry) in skippedByFile where entry.names.count > 1 {
            let first = entry.first
            lines[entry.index] =
                "\(first.file):\(first.line):\(first.column): note: skipped \(entry.names.count) #include files "
                + "not found through -I: \(entry.names.joined(separator: " "))"
        }
        return lines
    }

    /// The import options from command-line spellings.
    static func options(
        includeDirectories: [String], defines: [String], profile: String, sizes: [String], values: String?,
        buildsDocument: Bool
    ) throws -> CImportOptions {
        var options = CImportOptions()
        options.includeDirectories = includeDirectories
        options.defines = defines.map { define in
            guard let equals = define.firstIndex(of: "=") else { return (define, "1") }
            return (String(define[..<equals]), String(define[define.index(after: equals)...]))
        }
        options.profile = try ProfileOptions.named(profile)
        for size in sizes {
            guard let equals = size.firstIndex(of: "=") else {
                throw UserFailure.io("--size \(size): expected TYPE=N or TYPE=N:ALIGN")
            }
            let name = String(size[..<equals])
            let parts = size[size.index(after: equals)...].split(separator: ":")
            guard let bytes = parts.first.flatMap({ Int($0) }), bytes >= 0 else {
                throw UserFailure.io("--size \(size): expected TYPE=N or TYPE=N:ALIGN")
            }
            options.sizeOverrides[name] = bytes
            if parts.count > 1, let alignment = Int(parts[1]), alignment > 0 {
                options.sizeOverrides["\(name)@align"] = alignment
            }
        }
        if let values {
            guard let text = try? String(contentsOfFile: values, encoding: .utf8) else {
                throw UserFailure.io("\(values): cannot read")
            }
            options.values = (text, values)
        }
        options.buildsDocument = buildsDocument
        return options
    }
}
