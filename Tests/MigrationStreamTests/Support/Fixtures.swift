import Foundation

/// The real QEMU streams and their reference outputs: the shared reference streams under
/// `Fixtures/shared/`, and the ones made with make-stream.sh, which are the package's samples, in
/// `Samples/streams/`.
enum Fixtures {
    static var root: URL {
        guard let url = Bundle.module.url(forResource: "Fixtures", withExtension: nil) else {
            return URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
                .appendingPathComponent("Fixtures")
        }
        return url
    }

    static var samples: URL {
        URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent()
            .deletingLastPathComponent().deletingLastPathComponent().appendingPathComponent("Samples/streams")
    }

    /// `shared/NAME` for the reference streams, `samples/NAME` for the ones made with make-stream.sh.
    static func url(_ name: String, _ suffix: String) -> URL {
        if name.hasPrefix("samples/") {
            return samples.appendingPathComponent(String(name.dropFirst("samples/".count)) + suffix)
        }
        return root.appendingPathComponent(name + suffix)
    }

    static func exists(_ name: String, _ suffix: String) -> Bool {
        FileManager.default.fileExists(atPath: url(name, suffix).path)
    }

    static func bytes(_ name: String, _ suffix: String) throws -> [UInt8] {
        Array(try Data(contentsOf: url(name, suffix)))
    }

    static func text(_ name: String, _ suffix: String) throws -> String {
        String(decoding: try bytes(name, suffix), as: UTF8.self)
    }

    /// Every stream in the fixtures, as `folder/name`.
    static var streams: [String] {
        var names: [String] = []
        for folder in ["shared", "samples"] {
            let dir = folder == "samples" ? samples : root.appendingPathComponent(folder)
            let files = (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []
            names += files.filter { $0.hasSuffix(".mig") }.map { folder + "/" + String($0.dropLast(4)) }
        }
        return names.sorted()
    }

    static var withAnalyzeJSON: [String] { streams.filter { exists($0, ".analyze.json") } }
    static var withAnalyzeErr: [String] { streams.filter { exists($0, ".analyze.err") } }
    static var withSections: [String] { streams.filter { exists($0, ".sections.txt") } }
    static var withDesc: [String] { streams.filter { exists($0, ".desc.json") } }
}
