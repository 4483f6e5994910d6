import ArgumentParser
import Platform
import VMScopeUI

/// `vmscope screenshot [FILE] --keys KEYS --size WxH -o OUT.svg`: replays keys without a terminal
/// and writes the screen as SVG (and PNG with `--png`, through rsvg-convert).
struct ScreenshotCommand: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "screenshot",
        abstract: "Replay keys headlessly and write the explorer's screen as SVG (or PNG).",
        discussion: """
            Keys: words are typed a character at a time; <Enter> <Esc> <Tab> <S-Tab> <Space> <BS> \
            <Up> <Down> <Left> <Right> <Home> <End> <PgUp> <PgDn> <F1>..<F12> <C-x> <lt> name keys; \
            "quoted text" is typed as is; <click X Y> <wheelup X Y> <wheeldown X Y> <resize WxH>; \
            '#' starts a comment. Example: --keys 'n n n f <Down> <Enter>'
            """
    )

    @Argument(help: "A scenario, a QEMU C file (.c/.h) or a migration stream (default: the built-in demo).")
    var file: String?

    @Option(help: "The keys to replay.")
    var keys: String?

    @Option(help: "A file of keys to replay (the same notation).")
    var script: String?

    @Option(help: "Terminal size, WIDTHxHEIGHT.")
    var size: String = "120x40"

    @Option(name: .shortAndLong, help: "Where to write the SVG (or the PNG with --png).")
    var output: String

    @Flag(help: "Also convert to PNG with rsvg-convert (written next to the SVG, or to OUT when it ends in .png).")
    var png = false

    @Flag(help: "Draw without colour, as with NO_COLOR.")
    var monochrome = false

    @Flag(help: "Draw with ASCII only, as in a non-UTF-8 locale.")
    var ascii = false

    @Flag(help: "Also print the screen as text.")
    var text = false

    @OptionGroup var profiles: ProfileOptions

    @OptionGroup var stream: StreamOptions

    func run() throws {
        guard let terminalSize = Size(parsing: size) else {
            throw UserFailure(
                message: "--size '\(size)': expected WIDTHxHEIGHT, each from 1 to \(Size.maximumSide), e.g. 120x40",
                exitCode: 2)
        }
        var source = keys ?? ""
        if let script {
            do {
                source += "\n" + (try String(contentsOfFile: script, encoding: .utf8))
            } catch {
                throw UserFailure(message: "\(script): cannot read: \(error.fileErrorText)", exitCode: 2)
            }
        }
        let keyScript: KeyScript
        do {
            keyScript = try KeyScript(parsing: source)
        } catch {
            throw UserFailure(message: "\(script ?? "--keys"): \(error)", exitCode: 2)
        }
        let input = try ExplorerInput.open(file, options: profiles, vmsds: stream.vmsds, vmdesc: stream.vmdesc)
        let options = DisplayOptions(unicode: !ascii, colorMode: monochrome ? .monochrome : .color)
        let initial: State
        do {
            initial = try State(source: input.source, profiles: input.profiles, size: terminalSize, options: options)
        } catch {
            throw UserFailure.input("\(error)")
        }
        let final = try Replay.run(keyScript, from: initial, open: ExplorerInput.opener)
        let screen = render(final, size: final.size)
        if text { print(screen.text, terminator: "") }
        let wantsPNGOnly = output.lowercased().hasSuffix(".png")
        let svgPath = wantsPNGOnly ? String(output.dropLast(4)) + ".svg" : output
        try OutputFile.write(Data(screen.svg().utf8), to: svgPath, inputs: [input.path, script])
        if png || wantsPNGOnly {
            let pngPath =
                wantsPNGOnly ? output : (svgPath.hasSuffix(".svg") ? String(svgPath.dropLast(4)) : svgPath) + ".png"
            try convertToPNG(svg: svgPath, png: pngPath)
        }
    }

    /// rsvg-convert into a temporary file, renamed into place.
    private func convertToPNG(svg: String, png: String) throws {
        guard let tool = ExecutableSearch.find("rsvg-convert") else {
            throw UserFailure(
                message: "--png needs rsvg-convert (apt-get install librsvg2-bin); the SVG is at \(svg)", exitCode: 2)
        }
        let temporary = png + ".vmscope-\(getpid()).tmp"
        let status = try ChildProcess.run(tool, arguments: ["-b", "#1e1e1e", "-o", temporary, svg])
        guard status == 0 else {
            try? FileManager.default.removeItem(atPath: temporary)
            throw UserFailure(message: "rsvg-convert failed on \(svg) (exit \(status))", exitCode: 2)
        }
        if rename(temporary, png) != 0 {
            try? FileManager.default.removeItem(atPath: temporary)
            throw UserFailure(message: "\(png): cannot write", exitCode: 2)
        }
    }
}

/// Finds a program on PATH.
enum ExecutableSearch {
    static func find(_ name: String) -> String? {
        let path = ProcessInfo.processInfo.environment["PATH"] ?? "/usr/bin:/bin"
        for directory in path.split(separator: ":") {
            let candidate = "\(directory)/\(name)"
            if FileManager.default.isExecutableFile(atPath: candidate) { return candidate }
        }
        return nil
    }
}
