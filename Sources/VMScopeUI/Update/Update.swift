import VMState

/// The explorer's one way to change state: a key, a mouse event or a resize in, the next state
/// out. Pure: no terminal, no clock, no files; a re-run after an edit is a computation too.
public func update(_ state: State, _ event: InputEvent) -> State {
    var next = state
    next.handle(event)
    next.normalize()
    return next
}

extension State {
    mutating func handle(_ event: InputEvent) {
        switch event {
        case .resize(let size):
            self.size = size
        case .mouse(let mouse):
            notice = nil
            handleMouse(mouse)
        case .key(let key):
            notice = nil
            // The too-small screen shows nothing to act on and offers only q.
            if layout.tooSmall {
                if key == .character("q") { shouldQuit = true }
            } else if prompt != nil {
                handlePromptKey(key)
            } else if let pending {
                self.pending = nil
                handlePending(pending, key)
            } else if overlay != nil {
                handleOverlayKey(key)
            } else {
                handleKey(key)
            }
        }
    }

    mutating func handleKey(_ key: Key) {
        switch key {
        case .character("q"): shouldQuit = true
        case .character("?"), .function(1): overlay = .help(scroll: 0)
        case .character("n"), .character("s"), .right: move(to: step + 1)
        case .character("p"), .left: move(to: step - 1)
        case .character("o"): stepOver()
        case .character("u"): stepOut()
        case .character("c"): runForward()
        case .character("C"): runBackward()
        case .character("F"): jumpToFailure()
        case .character("b"): toggleBreakpoint()
        case .character("B"): overlay = .breakpoints
        case .character("g"): prompt = Prompt(kind: .gotoOffset, text: "")
        case .character("/"): prompt = Prompt(kind: .search, text: "")
        case .character(";"): repeatSearch(forward: true)
        case .character(","): repeatSearch(forward: false)
        case .character("m"): pending = .setMark
        case .character("'"): pending = .jumpToMark
        case .character("w"): stepToByte(hexCursor)
        case .character("f"): openFlagEditor()
        case .character("U"): undo()
        case .character("P"): openProfilePicker()
        case .character("D"): openDiff()
        case .tab: focus = focus.next
        case .backTab: focus = focus.previous
        case .escape: break
        default: handlePaneKey(key)
        }
    }

    mutating func handlePaneKey(_ key: Key) {
        switch focus {
        case .tree: handleTreeKey(key)
        case .hex: handleHexKey(key)
        case .log: handleLogKey(key)
        }
    }

    mutating func handleLogKey(_ key: Key) {
        let page = max(1, layout.log.height - 2)
        switch key {
        case .down, .character("j"): move(to: step + 1)
        case .up, .character("k"): move(to: step - 1)
        case .pageDown: move(to: step + page)
        case .pageUp: move(to: step - page)
        case .home: move(to: 0)
        case .end: move(to: session.eventCount)
        default: break
        }
    }

    mutating func handlePending(_ pending: PendingKey, _ key: Key) {
        guard case .character(let letter) = key else { return }
        switch pending {
        case .setMark:
            guard letter.isLetter else {
                notice = Notice("marks are letters", isError: true)
                return
            }
            marks[letter] = currentMark
            notice = Notice("mark '\(letter)' set at step \(step)")
        case .jumpToMark:
            if letter == "'" {
                guard let last = lastPosition else {
                    notice = Notice("no previous position", isError: true)
                    return
                }
                jump(to: last)
                notice = Notice("back to step \(step)")
                return
            }
            guard let mark = marks[letter] else {
                notice = Notice("no mark '\(letter)'", isError: true)
                return
            }
            jump(to: mark)
            notice = Notice("mark '\(letter)': step \(step)")
        }
    }

    var currentMark: Mark {
        Mark(step: step, node: session.tree.components(of: selection), hexCursor: hexCursor)
    }

    mutating func jump(to mark: Mark) {
        let here = currentMark
        step = max(0, min(mark.step, session.eventCount))
        if let node = session.tree.matching(mark.node) { select(node, reveal: true) }
        hexCursor = mark.hexCursor
        lastPosition = here
    }

    /// Keeps every cursor in range and on screen.
    mutating func normalize() {
        step = max(0, min(step, session.eventCount))
        if session.tree.count == 0 {
            selection = 0
        } else {
            selection = max(0, min(selection, Int32(session.tree.count - 1)))
        }
        hexCursor = max(0, min(hexCursor, max(0, session.bytes.count - 1)))
        let layout = self.layout
        let treeHeight = max(1, layout.tree.height - 2)
        let row = rows.visibleRow(of: selection, in: session.tree)
        if row < treeTop { treeTop = row }
        if row >= treeTop + treeHeight { treeTop = row - treeHeight + 1 }
        treeTop = max(0, min(treeTop, max(0, rows.count - treeHeight)))
        let geometry = HexGeometry(pane: layout.hex, byteCount: session.displayedOffsetLimit)
        let hexRows = max(1, geometry.visibleRows)
        let cursorRow = hexCursor / geometry.bytesPerRow
        // A few rows of context stay above and below the cursor, and the bytes of the step it
        // is on stay in view as far as the pane allows, so a step's bytes do not sit on the
        // pane's last row with the rest of them hidden.
        let margin = min(4, (hexRows - 1) / 4)
        var lastRow = cursorRow
        if let index = currentEvent, index < session.eventCount {
            let bytes = session.event(index).bytes
            if bytes.contains(hexCursor) { lastRow = (bytes.upperBound - 1) / geometry.bytesPerRow }
        }
        if cursorRow - margin < hexTop { hexTop = cursorRow - margin }
        let shownBelow = min(cursorRow - margin, lastRow + margin - hexRows + 1)
        if hexTop < shownBelow { hexTop = shownBelow }
        let totalRows = (session.bytes.count + geometry.bytesPerRow - 1) / geometry.bytesPerRow
        hexTop = max(0, min(hexTop, max(0, totalRows - hexRows)))
    }
}
