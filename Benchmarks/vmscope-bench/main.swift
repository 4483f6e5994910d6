// vmscope-bench: how fast the engine traces a large array of pointers to structs.
// Run: swift run -c release vmscope-bench [ELEMENTS]
import Foundation
import Scenario
import VMState

let elements = CommandLine.arguments.dropFirst().first.flatMap(Int.init) ?? 100_000
let withVMDesc = !CommandLine.arguments.contains("--no-vmdesc")

/// The demo's VMSDs with a controller of `count` queues, every fourth slot NULL.
func buildSource(profile: Profile, count: Int) throws -> (Definitions, Heap, UInt64) {
    let side = try Scenario.demo().build(.source, profile: profile)
    var heap = Heap()
    let controller = heap.allocate(size: 16, type: .named("NvmeCtrl"), zeroed: true, origin: .initialState)!
    let slots = heap.allocate(
        size: 8 * count, type: .array(.pointer(.named("NvmeQueue")), count: count), zeroed: true, origin: .initialState)!
    heap.writeUnsigned(controller.base, width: 4, UInt64(count))
    heap.writeUnsigned(controller.base + 8, width: 8, slots.base)
    for index in 0..<count where index % 4 != 1 {
        let queue = heap.allocate(size: 16, type: .named("NvmeQueue"), zeroed: true, origin: .initialState)!
        heap.write(queue.base, Heap.littleEndianBytes(UInt64(index), width: 2))
        heap.writeUnsigned(queue.base + 4, width: 4, UInt64(index * 3))
        heap.writeUnsigned(slots.base + UInt64(8 * index), width: 8, queue.base)
    }
    return (side.definitions, heap, controller.base)
}

func buildDest(profile: Profile, count: Int) throws -> (Definitions, Heap, UInt64) {
    let side = try Scenario.demo().build(.dest, profile: profile)
    var heap = Heap()
    let controller = heap.allocate(size: 16, type: .named("NvmeCtrl"), zeroed: true, origin: .initialState)!
    let slots = heap.allocate(
        size: 8 * count, type: .array(.pointer(.named("NvmeQueue")), count: count), zeroed: true, origin: .initialState)!
    heap.writeUnsigned(controller.base + 8, width: 8, slots.base)
    return (side.definitions, heap, controller.base)
}

func peakRSSMiB() -> Double {
    var usage = rusage()
    getrusage(RUSAGE_SELF.rawValue, &usage)
    return Double(usage.ru_maxrss) / 1024
}

func measure<T>(_ body: () throws -> T) rethrows -> (T, Double) {
    let start = ContinuousClock.now
    let result = try body()
    let elapsed = ContinuousClock.now - start
    return (result, Double(elapsed.components.seconds) + Double(elapsed.components.attoseconds) / 1e18)
}

print("vmscope-bench: \(elements) queues (every fourth slot NULL), release build")
for profile in [Profile.autoAlloc, .dropAutoAlloc] {
    let (definitions, source, opaque) = try buildSource(profile: profile, count: elements)
    let (save, saveSeconds) = measure {
        Engine.save(
            "nvme-ctrl", definitions: definitions, heap: source, opaque: opaque, profile: profile, vmdesc: withVMDesc)
    }
    let (destDefinitions, dest, destOpaque) = try buildDest(profile: profile, count: elements)
    let stream = save.stream + [0x00]
    let (load, loadSeconds) = measure {
        Engine.load(
            "nvme-ctrl", definitions: destDefinitions, stream: stream, heap: dest, opaque: destOpaque,
            profile: profile)
    }
    precondition(load.outcome.succeeded, "load failed: \(load.outcome.summary)")
    let (_, replaySeconds) = measure { load.heap(afterSteps: load.events.count / 2) }
    print(
        String(
            format: "%@: save %.3f s (%d events, %.2f M events/s, %d bytes); load %.3f s (%d events, %.2f M events/s); "
                + "replay to the middle %.3f s",
            profile.name, saveSeconds, save.events.count, Double(save.events.count) / saveSeconds / 1e6,
            save.stream.count, loadSeconds, load.events.count, Double(load.events.count) / loadSeconds / 1e6,
            replaySeconds))
}
print(String(format: "peak RSS %.1f MiB", peakRSSMiB()))
