import VMState

/// Stepping is moving a cursor through the recorded trace: forward and backward cost the same.
extension State {
    /// Moves the step cursor; the tree selection and the hex cursor follow the event that fired.
    mutating func move(to target: Int) {
        let clamped = max(0, min(target, session.eventCount))
        if clamped == step {
            if target > session.eventCount { notice = Notice("end of the trace (\(session.eventCount) events)") }
            if target < 0 { notice = Notice("start of the trace") }
        }
        step = clamped
        follow()
    }

    /// Puts the tree selection and hex cursor on the current event.
    mutating func follow() {
        guard let current = currentEvent else {
            selection = session.tree.roots.first ?? 0
            hexCursor = 0
            return
        }
        selection = session.node(ofEvent: current)
        let bytes = session.event(current).bytes
        if !session.bytes.isEmpty {
            hexCursor = max(0, min(bytes.lowerBound, session.bytes.count - 1))
        }
    }

    var currentDepth: Int {
        currentEvent.map { session.event($0).depth } ?? 0
    }

    /// `o`: the next event no deeper than this one.
    mutating func stepOver() {
        let depth = currentDepth
        var index = step
        while index < session.eventCount, session.event(index).depth > depth { index += 1 }
        move(to: index + 1)
    }

    /// `u`: the first event outside the field, element or VMSD the current one belongs to, so
    /// that leaving `queues[0]` stops at `queues[1]` (elements are siblings at the same depth).
    mutating func stepOut() {
        guard let current = currentEvent else {
            move(to: step + 1)
            return
        }
        let scope = session.node(ofEvent: current)
        var index = step
        while index < session.eventCount, session.tree.isDescendant(session.node(ofEvent: index), of: scope) {
            index += 1
        }
        move(to: index + 1)
    }

    /// Nodes with a breakpoint in this session's tree.
    var breakpointNodes: [Int32] {
        breakpoints.nodes.compactMap { session.tree.exactMatch($0) }
    }

    /// Why `c` would stop at event `index`, if it would.
    func stopReason(at index: Int, nodes: [Int32]) -> String? {
        let event = session.event(index)
        // One failure is several events (the check, its error, the stream error): stop at the first.
        if event.kind.isFailure, index == 0 || !session.event(index - 1).kind.isFailure { return "failure" }
        if breakpoints.categories.contains(event.kind.category) {
            return "breakpoint on \(event.kind.category.rawValue)"
        }
        if !nodes.isEmpty {
            let node = session.node(ofEvent: index)
            let previous = index > 0 ? session.node(ofEvent: index - 1) : -1
            for breakpoint in nodes where session.tree.isDescendant(node, of: breakpoint) {
                if previous < 0 || !session.tree.isDescendant(previous, of: breakpoint) {
                    return "breakpoint on \(session.tree.path(of: breakpoint))"
                }
            }
        }
        return nil
    }

    /// `c`: forward to the next breakpoint, failure or the end.
    mutating func runForward() {
        let nodes = breakpointNodes
        var index = step
        while index < session.eventCount {
            if let reason = stopReason(at: index, nodes: nodes) {
                move(to: index + 1)
                notice = Notice("stopped at step \(step): \(reason)")
                return
            }
            index += 1
        }
        move(to: session.eventCount)
        notice = Notice("end of the trace: " + (session.succeeded ? "load succeeded" : "load failed"))
    }

    /// `C`: backward to the previous breakpoint, failure or the start.
    mutating func runBackward() {
        let nodes = breakpointNodes
        var index = step - 2
        while index >= 0 {
            if let reason = stopReason(at: index, nodes: nodes) {
                move(to: index + 1)
                notice = Notice("stopped at step \(step): \(reason)")
                return
            }
            index -= 1
        }
        move(to: 0)
        notice = Notice("start of the trace")
    }

    /// `F`: the first failure.
    mutating func jumpToFailure() {
        guard let failure = session.failureStep else {
            notice = Notice("no failure: every device loaded")
            return
        }
        lastPosition = currentMark
        move(to: failure + 1)
    }

    /// `b`: a breakpoint on the selected node, or off again.
    mutating func toggleBreakpoint() {
        let components = session.tree.components(of: selection)
        let path = session.tree.path(of: selection)
        if let index = breakpoints.nodes.firstIndex(of: components) {
            breakpoints.nodes.remove(at: index)
            notice = Notice("breakpoint removed from \(path)")
        } else {
            breakpoints.nodes.append(components)
            notice = Notice("breakpoint on \(path): c stops when the loader enters it")
        }
    }

    /// Enter in the hex pane, `w` anywhere: the step that consumed the byte under the hex cursor.
    mutating func stepToByte(_ offset: Int) {
        guard offset >= 0, offset < session.owner.count, session.owner[offset] >= 0 else {
            notice = Notice(
                "no step consumed byte 0x\(String(session.displayOffset(offset), radix: 16))", isError: true)
            return
        }
        let here = currentMark
        move(to: Int(session.owner[offset]) + 1)
        hexCursor = offset
        lastPosition = here
        notice = Notice("byte 0x\(String(session.displayOffset(offset), radix: 16)) was consumed at step \(step)")
    }
}

extension Tree {
    /// The node with exactly these components, if this tree has it.
    public func exactMatch(_ components: [Component]) -> Int32? {
        guard let first = components.first, let root = roots.first(where: { nodes[Int($0)].component == first })
        else { return nil }
        var current = root
        for component in components.dropFirst() {
            guard let next = nodes[Int(current)].children.first(where: { nodes[Int($0)].component == component }) else {
                return nil
            }
            current = next
        }
        return current
    }
}
