import MigrationStream
import Scenario
import VMScopeUI
import VMState

// ui-bench: the cost of one step (update + render) at 200x60, on the demo and on a synthetic
// scenario with a 100,000-element array of pointers to structs. Run it in release:
//   swift run -c release ui-bench
#if canImport(Glibc)
    import Glibc
#endif

let count = CommandLine.arguments.count > 1 ? Int(CommandLine.arguments[1]) ?? 100_000 : 100_000
/// `--stream PATH`: also time the first frame on a real stream and a step in its largest device.
let streamPath: String? = CommandLine.arguments.firstIndex(of: "--stream").flatMap {
    $0 + 1 < CommandLine.arguments.count ? CommandLine.arguments[$0 + 1] : nil
}

let size = Size(width: 200, height: 60)
let clock = ContinuousClock()

func milliseconds(_ duration: Duration) -> Double {
    Double(duration.components.seconds) * 1000 + Double(duration.components.attoseconds) / 1e15
}

/// Steps `count` times with `key` from `state`, timing update + render of each step.
func measure(_ label: String, from start: State, key: Key, count: Int) -> State {
    var state = start
    var samples: [Double] = []
    samples.reserveCapacity(count)
    var checksum = 0
    for _ in 0..<count {
        let elapsed = clock.measure {
            state = update(state, .key(key))
            let screen = render(state, size: state.size)
            checksum &+= Int(screen[0, 0].character.value)
        }
        samples.append(milliseconds(elapsed))
    }
    samples.sort()
    let mean = samples.reduce(0, +) / Double(samples.count)
    func percentile(_ p: Double) -> Double { samples[min(samples.count - 1, Int(Double(samples.count) * p))] }
    print(
        "\(label): \(count) steps, mean \(format(mean)) ms, p50 \(format(percentile(0.5))) ms, "
            + "p90 \(format(percentile(0.9))) ms, p99 \(format(percentile(0.99))) ms, max \(format(samples.last ?? 0)) ms"
            + (checksum == 42 ? " " : ""))
    return state
}

func format(_ value: Double) -> String {
    // Three decimals without Foundation or libm.
    let thousandths = Int(value * 1000 + 0.5)
    let fraction = String(thousandths % 1000)
    return "\(thousandths / 1000)." + String(repeating: "0", count: 3 - fraction.count) + fraction
}

func replay(_ keys: String, _ state: State) throws -> State {
    Replay.run(try KeyScript(parsing: keys), from: state)
}

/// The synthetic scenario: `count` pointers to two-field structs, every seventh NULL.
func syntheticScenario(count: Int) -> String {
    var text = """
        title "ui-bench: \(count) pointers to structs"
        profile drop-auto-alloc
        struct Elem {
            uint32_t a;
            uint32_t b;
        }
        struct Big {
            uint32_t n;
            Elem **elems;
        }
        vmsd "elem" for Elem as vmstate_elem {
            version_id 1
            minimum_version_id 1
            fields {
                VMSTATE_UINT32(a, Elem)
                VMSTATE_UINT32(b, Elem)
            }
        }
        vmsd "big" for Big as vmstate_big {
            version_id 1
            minimum_version_id 1
            fields {
                VMSTATE_UINT32(n, Big)
                VMSTATE_VARRAY_OF_POINTER_TO_STRUCT_UINT32_ALLOC(elems, Big, n, vmstate_elem, Elem)
            }
        }
        device "big" {
            source {
                n = \(count)
                elems = new Elem *[\(count)] [

        """
    for index in 0..<count {
        text += index % 7 == 3 ? "null,\n" : "new Elem { a = \(index), b = \(index * 3) },\n"
    }
    text += """
                ]
            }
            dest {
                elems = new Elem *[\(count)]
            }
        }

        """
    return text
}

if let streamPath {
    do {
        let started = clock.now
        let stream = try MigrationStream(path: streamPath)
        let opened = clock.now
        let state = try State(source: StreamSource(stream: stream, displayName: streamPath), size: size)
        let screen = render(state, size: size)
        let firstFrame = clock.now
        print(
            "stream \(streamPath): open and scan \(format(milliseconds(opened - started))) ms, first frame "
                + "\(format(milliseconds(firstFrame - started))) ms (\(state.session.eventCount) events, "
                + "\(state.session.devices.count) records)" + (screen.width == 0 ? " " : ""))
        // The largest device section: step through it.
        let largest = stream.index.sections.filter { $0.ram == nil }.max { $0.body.count < $1.body.count }
        if let largest,
            let device = state.session.devices.firstIndex(where: { $0.name.contains("\(largest.header.idstr) (") })
        {
            let into = try replay("g \(String(largest.body.lowerBound, radix: 16)) <Enter> w", state)
            let steps = min(2000, state.session.devices[device].load.events.count)
            _ = measure(
                "stream, largest device section \(largest.header.idstr)", from: into, key: .character("n"), count: steps
            )
        }
    } catch {
        print("ui-bench: \(streamPath): \(error)")
    }
}

do {
    print("ui-bench: update + render per step at \(size), release build expected")
    let demo = try State(source: try ScenarioSource.demo(), size: size)
    var state = measure("demo, forward", from: demo, key: .character("n"), count: demo.session.eventCount)
    state = measure("demo, backward", from: state, key: .character("p"), count: demo.session.eventCount)
    _ = state

    var started = clock.now
    let text = syntheticScenario(count: count)
    print("synthetic: scenario text built in \(format(milliseconds(clock.now - started))) ms")
    started = clock.now
    let scenario = try Scenario(parsing: text, file: "synthetic.vmscope")
    print("synthetic: scenario of \(count) elements parsed in \(format(milliseconds(clock.now - started))) ms")
    started = clock.now
    let big = try State(source: ScenarioSource(scenario: scenario, displayName: "synthetic.vmscope"), size: size)
    print(
        "synthetic: run + session (\(big.session.eventCount) events, \(big.session.bytes.count) bytes, "
            + "\(big.session.tree.count) tree nodes) in \(format(milliseconds(clock.now - started))) ms")
    state = measure("synthetic, from the start", from: big, key: .character("n"), count: 2000)
    // The middle of the array: go to its byte and step to the event that read it.
    started = clock.now
    let middle = try replay("g \(String(big.session.bytes.count / 2, radix: 16)) <Enter> w", big)
    print("synthetic: go to the middle byte and step there in \(format(milliseconds(clock.now - started))) ms")
    state = measure("synthetic, array collapsed, middle", from: middle, key: .character("n"), count: 2000)
    state = measure("synthetic, array collapsed, middle, backward", from: state, key: .character("p"), count: 2000)
    started = clock.now
    let expanded = try replay("<Tab> <Tab> / elems <Enter> <Enter>", state)
    print(
        "synthetic: unfold the array (\(expanded.rows.count) tree rows) in \(format(milliseconds(clock.now - started))) ms"
    )
    state = measure("synthetic, array unfolded, middle", from: expanded, key: .character("n"), count: 2000)
    state = measure(
        "synthetic, hex pane focused, cursor moves", from: try replay("<Tab>", state), key: .down, count: 2000)
    _ = state
} catch {
    print("ui-bench: \(error)")
}
