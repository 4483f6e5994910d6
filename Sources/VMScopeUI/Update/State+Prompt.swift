/// The status-row prompt: go to offset, search, numbers for the flag editor.
extension State {
    mutating func handlePromptKey(_ key: Key) {
        guard var prompt else { return }
        switch key {
        case .escape:
            self.prompt = nil
        case .backspace, .delete:
            if prompt.text.isEmpty {
                self.prompt = nil
            } else {
                prompt.text.removeLast()
                self.prompt = prompt
            }
        case .enter:
            self.prompt = nil
            submit(prompt)
        case .character(let character):
            if prompt.text.count < 200 { prompt.text.append(character) }
            self.prompt = prompt
        default:
            break
        }
    }

    mutating func submit(_ prompt: Prompt) {
        let text = prompt.text.trimmingCharacters(in: " ")
        switch prompt.kind {
        case .gotoOffset: goToOffset(text)
        case .search:
            if text.isEmpty {
                repeatSearch(forward: true)
            } else {
                lastSearch = text
                search(text, forward: true)
            }
        case .number(let row):
            guard let value = Int(text), value >= 0, value <= 1 << 24 else {
                notice = Notice("'\(text)' is not a number from 0 to \(1 << 24)", isError: true)
                return
            }
            setNumber(row, to: value)
        }
    }

    /// `1a`, `0x1a`, `+10`, `-4` (hex; relative to the hex cursor).
    mutating func goToOffset(_ text: String) {
        var body = Substring(text)
        var sign = 0
        if body.hasPrefix("+") {
            sign = 1
            body = body.dropFirst()
        } else if body.hasPrefix("-") {
            sign = -1
            body = body.dropFirst()
        }
        if body.lowercased().hasPrefix("0x") { body = body.dropFirst(2) }
        guard let value = Int(body, radix: 16) else {
            notice = Notice("'\(text)' is not a hex offset", isError: true)
            return
        }
        // Offsets typed are the ones shown (file offsets in a real stream).
        let shown = sign == 0 ? value : session.displayOffset(hexCursor) + sign * value
        guard let target = session.byteOffset(ofDisplayed: shown) else {
            let first = session.displayOffset(0)
            let limit = session.displayedOffsetLimit
            let place = "\(shown < 0 ? "-" : "")0x\(String(abs(shown), radix: 16))"
            // A real stream's long records (RAM chunks, big payloads) show only their first bytes.
            let why =
                shown >= first && shown < limit
                ? "is not shown: the hex pane holds a long record's first "
                    + "\(StreamSource.windowForLongRecords / 1024) KiB and each RAM run's first "
                    + "\(StreamSource.windowForRAMRuns) bytes"
                : "is outside the bytes shown (0x\(String(first, radix: 16))..0x\(String(limit, radix: 16)))"
            notice = Notice("offset \(place) \(why)", isError: true)
            return
        }
        lastPosition = currentMark
        focus = .hex
        moveHexCursor(target)
        notice = Notice("at 0x\(String(shown, radix: 16)); Enter or w steps to the event that consumed it")
    }

    mutating func repeatSearch(forward: Bool) {
        guard let lastSearch else {
            notice = Notice("no search yet: / searches", isError: true)
            return
        }
        search(lastSearch, forward: forward)
    }

    /// Byte patterns: `0x31 00 02` or `0x310002`, or a quoted string. Anything else is a name.
    static func bytePattern(_ query: String) -> [UInt8]? {
        if query.count >= 2, query.hasPrefix("\""), query.hasSuffix("\"") {
            return Array(query.dropFirst().dropLast().utf8)
        }
        guard query.lowercased().hasPrefix("0x") else { return nil }
        let digits = query.dropFirst(2).filter { $0 != " " }
        guard !digits.isEmpty, digits.count % 2 == 0 else { return nil }
        var bytes: [UInt8] = []
        var index = digits.startIndex
        while index < digits.endIndex {
            let next = digits.index(index, offsetBy: 2)
            guard let byte = UInt8(digits[index..<next], radix: 16) else { return nil }
            bytes.append(byte)
            index = next
        }
        return bytes
    }

    mutating func search(_ query: String, forward: Bool) {
        if let pattern = Self.bytePattern(query) {
            searchBytes(pattern, forward: forward, query: query)
        } else {
            searchNames(query.lowercased(), forward: forward)
        }
    }

    mutating func searchBytes(_ pattern: [UInt8], forward: Bool, query: String) {
        let bytes = session.bytes
        guard !pattern.isEmpty, pattern.count <= bytes.count else {
            notice = Notice("no bytes \(query)", isError: true)
            return
        }
        let last = bytes.count - pattern.count
        for distance in 1...(last + 1) {
            let start =
                forward
                ? (hexCursor + distance) % (last + 1) : ((hexCursor - distance) % (last + 1) + last + 1) % (last + 1)
            if bytes[start..<start + pattern.count].elementsEqual(pattern) {
                lastPosition = currentMark
                focus = .hex
                moveHexCursor(start)
                notice = Notice("bytes \(query) at 0x\(String(session.displayOffset(start), radix: 16))")
                return
            }
        }
        notice = Notice("no bytes \(query)", isError: true)
    }

    mutating func searchNames(_ query: String, forward: Bool) {
        let tree = session.tree
        let count = tree.count
        guard count > 0, !query.isEmpty else { return }
        for distance in 1...count {
            let index =
                forward ? (Int(selection) + distance) % count : ((Int(selection) - distance) % count + count) % count
            let node = Int32(index)
            if tree.name(of: node).lowercased().contains(query) {
                lastPosition = currentMark
                focus = .tree
                select(node, reveal: true)
                if let span = tree[node].byteSpan { hexCursor = span.lowerBound }
                notice = Notice("\(tree.path(of: node))")
                return
            }
        }
        notice = Notice("no field named like '\(query)'", isError: true)
    }
}

extension String {
    func trimmingCharacters(in character: Character) -> String {
        var text = Substring(self)
        while text.first == character { text = text.dropFirst() }
        while text.last == character { text = text.dropLast() }
        return String(text)
    }
}
