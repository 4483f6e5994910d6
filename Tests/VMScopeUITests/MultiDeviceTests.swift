import Scenario
import Testing
import VMState

@testable import VMScopeUI

/// Two devices (one with a subsection): one time line, one byte space, paths as the trace has them.
@Suite("several devices and subsections")
struct MultiDeviceTests {
    static let text = """
        title "two devices, one with a subsection"
        profile drop-auto-alloc
        struct Counter {
            uint32_t value;
            uint8_t extra;
        }
        struct Flag {
            uint16_t on;
        }
        vmsd "counter/extra" for Counter as vmstate_counter_extra {
            version_id 1
            minimum_version_id 1
            fields {
                VMSTATE_UINT8(extra, Counter)
            }
        }
        vmsd "counter" for Counter as vmstate_counter {
            version_id 2
            minimum_version_id 1
            fields {
                VMSTATE_UINT32(value, Counter)
            }
            subsections {
                "counter/extra"
            }
        }
        vmsd "flag" for Flag as vmstate_flag {
            version_id 1
            minimum_version_id 1
            fields {
                VMSTATE_UINT16(on, Flag)
            }
        }
        device "counter" {
            source {
                value = 7
                extra = 9
            }
            dest {
            }
        }
        device "flag" {
            source {
                on = 1
            }
            dest {
            }
        }
        """

    func state() throws -> State {
        let source = ScenarioSource(
            scenario: try Scenario(parsing: Self.text, file: "two.vmscope"), displayName: "two.vmscope")
        return try State(source: source, size: Size(width: 120, height: 40))
    }

    @Test("the devices' streams lie end to end; events, owners and paths agree")
    func oneTimeLine() throws {
        let state = try state()
        let session = state.session
        #expect(session.devices.count == 2)
        #expect(session.bytes.count == session.devices.map(\.visibleStream.count).reduce(0, +))
        for index in 0..<session.eventCount {
            let event = session.event(index)
            #expect(session.tree.path(of: session.node(ofEvent: index)) == session.path(ofEvent: index))
            for offset in event.bytes { #expect(session.owner[offset] == Int32(index)) }
        }
        let second = session.eventBase[1]
        let firstByte = try #require((second..<session.eventCount).first { !session.event($0).bytes.isEmpty })
        #expect(session.event(firstByte).bytes.lowerBound == session.devices[0].visibleStream.count)
    }

    @Test("the subsection is a tree node with its own path; stepping reaches the second device")
    func subsectionAndSecondDevice() throws {
        var state = try state()
        let tree = state.session.tree
        let subsection = try #require(
            tree.exactMatch([.device("counter"), .subsection(name: "counter/extra", parent: "counter")]))
        #expect(tree.path(of: subsection) == "counter/extra")
        #expect(TreePane.label(of: subsection, in: tree) == "/extra")
        state = try state.pressing("c")
        #expect(state.step == state.session.eventCount)
        #expect(state.session.tree.path(of: state.selection).hasPrefix("flag"))
        Golden.check(render(state, size: state.size), named: "two-devices-end-120x40")
    }
}

/// A scenario with VMSDs and no device has nothing to step: the explorer refuses it with a
/// clear error instead of drawing panes that assume a first event (it used to crash).
@Suite("Nothing to run")
struct EmptySessionTests {
    @Test("no device: State refuses the input and names it")
    func noDevice() throws {
        let text = "struct S { uint8_t a; }\nvmsd \"s\" for S { fields { VMSTATE_UINT8(a, S) } }\n"
        let source = ScenarioSource(scenario: try Scenario(parsing: text, file: "nodev.vmscope"), displayName: "nodev")
        #expect(throws: NothingToShow.self) { try State(source: source, size: Size(width: 80, height: 24)) }
        do {
            _ = try State(source: source, size: Size(width: 80, height: 24))
        } catch {
            #expect("\(error)" == "nodev: no device to run, so nothing to explore")
        }
    }
}
