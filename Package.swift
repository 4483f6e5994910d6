// swift-tools-version: 6.0
import PackageDescription
import class Foundation.ProcessInfo

// Release builds of the command and its stream benchmark are static executables: the Swift runtime,
// the C library and ncurses are all in the binary (Linux only: Apple platforms have no static
// runtime). Loading a dozen shared libraries, Foundation among them, took 6 ms of every command's
// start; the Swift runtime alone in the binary (-static-stdlib) left 2.3 ms of dynamic loading and
// symbol lookup, a twentieth of a dump of the 1.6 GB benchmark stream. The linker warns that the
// C library's user and group lookups (getpwnam_r and kin, which FoundationEssentials links) and
// dlopen need the machine's shared C library at run time, as the machine that built the binary has;
// vmscope's own code calls none of them. The explorer's setlocale reads the system's locale files
// as a shared C library would; a locale other than UTF-8 would also load character converters
// with dlopen (vmscope draws with UTF-8, or ASCII with --ascii).
// The flag is given to the compiler too: with it on the link alone, Foundation's own static
// dependencies were left unresolved. The executable imports FoundationEssentials, not Foundation
// (see Sources/Platform), which keeps ICU and CoreFoundation out of the binary (37 MB, not 86).
let staticRuntime = (
    swift: [SwiftSetting.unsafeFlags(["-static-executable"], .when(platforms: [.linux], configuration: .release))],
    linker: [LinkerSetting.unsafeFlags(["-static-executable"], .when(platforms: [.linux], configuration: .release))]
)
// A static link must name ncurses' terminfo half, which the shared library pulls in by itself
// (and which some distributions do not build as a library of its own).
let staticTerminfo = [LinkerSetting.linkedLibrary("tinfo", .when(platforms: [.linux], configuration: .release))]

let package = Package(
    name: "vmscope",
    platforms: [.macOS(.v13)],
    products: [
        .executable(name: "vmscope", targets: ["vmscope"])
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2")
    ],
    targets: [
        // Pure core: model, profiles, simulated heap, engine, trace. No I/O.
        .target(name: "VMState"),
        // QEMU migration stream container, RAM, vmdesc, analyze-migration-compatible dump.
        .target(name: "MigrationStream", dependencies: ["VMState", "CPrefetch"]),
        // Two static inline C functions Swift cannot express: a prefetch hint and a load kept for its
        // page fault.
        .systemLibrary(name: "CPrefetch", path: "Sources/CPrefetch"),
        // Scenario files in, definitions out.
        .target(name: "Scenario", dependencies: ["VMState"]),
        // The explorer: state, update, render into a cell grid, SVG. No terminal here.
        .target(name: "VMScopeUI", dependencies: ["VMState", "Scenario", "MigrationStream"]),
        // ncursesw for the one type in the executable that talks to the terminal.
        .systemLibrary(name: "CNCurses", path: "Sources/CNCurses", providers: [.apt(["libncurses-dev"])]),
        // Foundation (its essentials on Linux) and the C library, one import for the command.
        .target(name: "Platform"),
        .executableTarget(
            name: "vmscope",
            dependencies: [
                "VMState", "MigrationStream", "Scenario", "VMScopeUI", "CNCurses", "Platform",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ],
            swiftSettings: staticRuntime.swift,
            linkerSettings: staticRuntime.linker + staticTerminfo
        ),
        .executableTarget(
            name: "vmscope-bench",
            dependencies: ["VMState", "Scenario", "MigrationStream"],
            path: "Benchmarks/vmscope-bench"
        ),
        .executableTarget(
            name: "import-bench",
            dependencies: ["Scenario", "VMState"],
            path: "Benchmarks/import-bench"
        ),
        .executableTarget(
            name: "ui-bench",
            dependencies: ["VMScopeUI", "VMState", "Scenario", "MigrationStream"],
            path: "Benchmarks/ui-bench"
        ),
        // Builders shared by the test targets: run a scenario, read values back, check traces.
        .target(name: "TestSupport", dependencies: ["VMState", "Scenario"], path: "Tests/TestSupport"),
        .testTarget(name: "VMStateTests", dependencies: ["VMState", "Scenario", "TestSupport"]),
        // Fixtures/c holds C files the importer reads (found through #filePath), not sources.
        .testTarget(
            name: "ScenarioTests", dependencies: ["Scenario", "VMState", "TestSupport"], exclude: ["Fixtures"]
        ),
        .executableTarget(
            name: "stream-bench",
            dependencies: ["MigrationStream"],
            path: "Benchmarks/stream-bench",
            swiftSettings: staticRuntime.swift,
            linkerSettings: staticRuntime.linker
        ),
        .testTarget(
            name: "MigrationStreamTests",
            dependencies: ["MigrationStream", "VMState", "TestSupport"],
            resources: [.copy("Fixtures")]
        ),
        .testTarget(
            name: "VMScopeUITests",
            dependencies: ["VMScopeUI", "VMState", "Scenario", "MigrationStream"],
            exclude: ["Frames"]
        ),
        .testTarget(name: "EndToEndTests", dependencies: ["VMState", "MigrationStream", "TestSupport"]),
    ]
)

// Fuzz targets link libFuzzer, so they exist only when asked for: `FUZZ=1 Scripts/fuzz.sh TARGET SECONDS`.
if ProcessInfo.processInfo.environment["FUZZ"] == "1" {
    package.targets += [
        .target(name: "FuzzDriver", path: "Fuzz/FuzzDriver"),
        .executableTarget(
            name: "fuzz-scenario", dependencies: ["FuzzDriver", "Scenario", "VMState"], path: "Fuzz/fuzz-scenario"),
        .executableTarget(
            name: "fuzz-cimport", dependencies: ["FuzzDriver", "Scenario", "VMState"], path: "Fuzz/fuzz-cimport"),
        .executableTarget(name: "fuzz-load", dependencies: ["FuzzDriver", "Scenario", "VMState"], path: "Fuzz/fuzz-load"),
        .executableTarget(name: "fuzz-stream", dependencies: ["FuzzDriver", "MigrationStream"], path: "Fuzz/fuzz-stream"),
        .executableTarget(name: "fuzz-vmdesc", dependencies: ["FuzzDriver", "MigrationStream"], path: "Fuzz/fuzz-vmdesc"),
        .executableTarget(
            name: "fuzz-section", dependencies: ["FuzzDriver", "MigrationStream", "VMState", "TestSupport"],
            path: "Fuzz/fuzz-section"),
    ]
}
