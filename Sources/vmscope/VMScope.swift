import ArgumentParser

@main
struct VMScope: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "vmscope",
        abstract: "Explore QEMU VMState migration streams and VMSD semantics.",
        subcommands: [DumpCommand.self, SectionsCommand.self]
    )

    func run() throws {
        print("vmscope: nothing here yet")
    }
}
