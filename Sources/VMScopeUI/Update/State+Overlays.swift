import Scenario
import VMState

/// Help, flag editor, profile picker, breakpoints and the profile comparison.
extension State {
    mutating func handleOverlayKey(_ key: Key) {
        guard let overlay else { return }
        switch overlay {
        case .help(let scroll):
            switch key {
            case .down, .character("j"): self.overlay = .help(scroll: scroll + 1)
            case .up, .character("k"): self.overlay = .help(scroll: max(0, scroll - 1))
            case .pageDown: self.overlay = .help(scroll: scroll + 10)
            case .pageUp: self.overlay = .help(scroll: max(0, scroll - 10))
            default: self.overlay = nil
            }
        case .flagEditor(let editor): handleFlagEditorKey(key, editor)
        case .profilePicker(let selected): handleProfilePickerKey(key, selected)
        case .breakpoints: handleBreakpointsKey(key)
        case .diff(let view): handleDiffKey(key, view)
        }
    }

    // MARK: Flag editor

    /// The field the selection is in (an element selects its array).
    var selectedField: Int32? {
        var current = selection
        while current >= 0 {
            if case .field(_, _, let index) = session.tree[current].component, index >= 0 { return current }
            current = session.tree[current].parent
        }
        return nil
    }

    mutating func openFlagEditor() {
        guard source.isEditable else {
            notice = Notice("this input cannot be edited", isError: true)
            return
        }
        guard let node = selectedField, case .field(_, let vmsd, let index) = session.tree[node].component else {
            notice = Notice("select a field first (f edits the field the tree cursor is in)", isError: true)
            return
        }
        selection = node
        let description = currentVMSD(vmsd)
        let field = description.flatMap { $0.fields.indices.contains(index) ? $0.fields[index] : nil }
        overlay = .flagEditor(
            FlagEditor(
                field: session.tree.components(of: node), vmsd: vmsd, fieldIndex: index,
                rows: FlagEditor.rows(field: field, vmsd: description)))
    }

    /// The VMSD as it is now in the destination's definitions (of the device that has it: a
    /// real stream's records each have their own).
    func currentVMSD(_ name: String) -> VMStateDescription? {
        session.devices.lazy.compactMap { $0.definitions[name] }.first
    }

    /// The field as it is now in the destination's definitions.
    func currentField(_ editor: FlagEditor) -> VMStateField? {
        guard let vmsd = currentVMSD(editor.vmsd), vmsd.fields.indices.contains(editor.fieldIndex) else { return nil }
        return vmsd.fields[editor.fieldIndex]
    }

    mutating func handleFlagEditorKey(_ key: Key, _ editor: FlagEditor) {
        var editor = editor
        let count = editor.rows.count
        switch key {
        case .escape, .character("q"), .character("f"):
            overlay = nil
            return
        case .down, .character("j"): editor.selected = min(count - 1, editor.selected + 1)
        case .up, .character("k"): editor.selected = max(0, editor.selected - 1)
        case .home: editor.selected = 0
        case .end: editor.selected = count - 1
        case .pageDown: editor.selected = min(count - 1, editor.selected + 8)
        case .pageUp: editor.selected = max(0, editor.selected - 8)
        case .character("U"):
            undo()
            return
        case .character(" "), .enter:
            overlay = .flagEditor(editor)
            let value = FlagEditor.switchValue(editor.row, field: currentField(editor), vmsd: currentVMSD(editor.vmsd))
            switch editor.row {
            case .flag(let flag):
                apply(FieldEdit(vmsd: editor.vmsd, field: editor.fieldIndex, change: .toggleFlag(flag)))
            case .size, .sizeOffset, .start, .num, .versionID: prompt = Prompt(kind: .number(editor.row), text: "")
            case .fieldExists:
                apply(FieldEdit(vmsd: editor.vmsd, field: editor.fieldIndex, change: .callback(value != "true")))
            case .needed:
                apply(FieldEdit(vmsd: editor.vmsd, change: .needed(value != "true")))
            case .hook(let kind, _):
                // A hook that succeeds is made to fail (-22, or false for an Error ** hook), and back.
                let succeeds = value == "0" || value == "true"
                apply(FieldEdit(vmsd: editor.vmsd, change: .hookReturns(kind, succeeds ? -22 : 0)))
            }
            return
        case .character("+"), .character("="), .character("-"):
            overlay = .flagEditor(editor)
            let delta = key == .character("-") ? -1 : 1
            if let field = currentField(editor) {
                switch editor.row {
                case .size: setNumber(.size, to: max(0, field.size + delta))
                case .num: setNumber(.num, to: max(0, field.num + delta))
                case .versionID: setNumber(.versionID, to: max(0, field.versionID + delta))
                case .sizeOffset: setNumber(.sizeOffset, to: max(0, field.sizeOffset + delta))
                case .start: setNumber(.start, to: max(0, field.start + delta))
                case .flag, .fieldExists, .needed, .hook: break
                }
            }
            return
        default:
            break
        }
        overlay = .flagEditor(editor)
    }

    mutating func setNumber(_ row: FlagEditor.Row, to value: Int) {
        guard case .flagEditor(let editor) = overlay else { return }
        let change: FieldEdit.Change
        switch row {
        case .size: change = .size(value)
        case .num: change = .num(value)
        case .versionID: change = .versionID(value)
        case .sizeOffset: change = .sizeOffset(value)
        case .start: change = .start(value)
        case .flag, .fieldExists, .needed, .hook: return
        }
        apply(FieldEdit(vmsd: editor.vmsd, field: editor.fieldIndex, change: change))
    }

    /// What an edit changed, `version_id 1 → 2`, with the display's arrow (`->` in ASCII, where a
    /// lone `>` would read as a comparison).
    static func describe(_ edit: FieldEdit, before: VMStateField?, arrow: String = "→") -> String {
        func change(_ name: String, _ old: Int?, _ new: Int) -> String {
            "\(name) \(old.map { "\($0) \(arrow) " } ?? "")\(new)"
        }
        switch edit.change {
        case .toggleFlag(let flag):
            let wasOn = before?.flags.contains(flag) ?? false
            return "\(flag.rawValue) \(wasOn ? "off" : "on")"
        case .size(let value): return change("size", before?.size, value)
        case .num(let value): return change("num", before?.num, value)
        case .versionID(let value): return change("version_id", before?.versionID, value)
        case .sizeOffset(let value): return change("size_offset", before?.sizeOffset, value)
        case .start(let value): return change("start", before?.start, value)
        case .callback(let value): return "callback returns \(value)"
        case .needed(let value): return "needed() returns \(value)"
        case .hookReturns(let hook, let value): return "\(hook.rawValue) returns \(value)"
        }
    }

    /// Applies a field edit to both sides and re-runs checks, save and load.
    mutating func apply(_ edit: FieldEdit) {
        let before: VMStateField?
        if case .flagEditor(let editor) = overlay { before = currentField(editor) } else { before = nil }
        let label = Self.describe(edit, before: before, arrow: glyphs.arrow)
        let snapshot = Snapshot(profiles: profiles, edits: edits)
        if rerun(profiles: profiles, edits: edits + [edit], change: label) {
            history.append(snapshot)
        }
    }

    /// `U`: back to before the last edit or profile switch.
    mutating func undo() {
        guard let snapshot = history.popLast() else {
            notice = Notice("nothing to undo")
            return
        }
        if !rerun(profiles: snapshot.profiles, edits: snapshot.edits, change: "undo") {
            history.append(snapshot)
        }
    }

    /// Runs the input again; keeps the tree cursor on the same VMSD path. False when it failed.
    @discardableResult
    mutating func rerun(profiles newProfiles: ProfileChoice, edits newEdits: [FieldEdit], change: String) -> Bool {
        let devices: [DeviceRecord]
        do {
            devices = try source.run(newProfiles, edits: newEdits)
        } catch {
            notice = Notice("cannot run under \(newProfiles.label()): \(error)", isError: true)
            return false
        }
        let old = session
        let selected = old.tree.components(of: selection)
        let collapsedPaths = collapsed.map { old.tree.components(of: $0) }
        let new = Session(
            devices: devices, absoluteOffsets: source.usesAbsoluteOffsets,
            fileOffsets: source.showsFileOffsets)
        session = new
        profiles = newProfiles
        edits = newEdits
        collapsed = Self.defaultCollapsed(new.tree)
        for path in collapsedPaths {
            if let node = new.tree.exactMatch(path) { collapsed.insert(node) }
        }
        rows = TreeRows(tree: new.tree, collapsed: collapsed)
        selection = new.tree.matching(selected) ?? new.tree.roots.first ?? 0
        step = min(step, new.eventCount)
        let report = RerunReport(change: change, old: old, new: new)
        lastRerun = report
        var summary = "\(change): \(report.outcome)"
        if let first = report.failedChecks.first { summary += "; check \(first)" }
        notice = Notice(summary, isError: !report.failedChecks.isEmpty || !new.succeeded)
        return true
    }

    // MARK: Profiles

    mutating func openProfilePicker() {
        guard source.canSwitchProfiles else {
            notice = Notice("this input has fixed traces: no other profile to run", isError: true)
            return
        }
        overlay = .profilePicker(selected: Profile.all.firstIndex(of: profiles.dest) ?? 0)
    }

    mutating func handleProfilePickerKey(_ key: Key, _ selected: Int) {
        let count = Profile.all.count
        switch key {
        case .down, .character("j"): overlay = .profilePicker(selected: (selected + 1) % count)
        case .up, .character("k"): overlay = .profilePicker(selected: (selected + count - 1) % count)
        case .home: overlay = .profilePicker(selected: 0)
        case .end: overlay = .profilePicker(selected: count - 1)
        case .enter, .character("s"), .character("d"):
            let profile = Profile.all[max(0, min(selected, count - 1))]
            var choice = profiles
            switch key {
            case .character("s"): choice.source = profile
            case .character("d"): choice.dest = profile
            default: choice = ProfileChoice(both: profile)
            }
            overlay = nil
            guard choice != profiles else { return }
            let snapshot = Snapshot(profiles: profiles, edits: edits)
            if rerun(profiles: choice, edits: edits, change: "profile \(choice.label())") { history.append(snapshot) }
        default:
            overlay = nil
        }
    }

    // MARK: Breakpoints

    mutating func handleBreakpointsKey(_ key: Key) {
        let categories: [Character: EventCategory] = [
            "m": .marker, "a": .allocation, "k": .check, "e": .failure, "l": .leak,
        ]
        switch key {
        case .character(let letter) where categories[letter] != nil:
            if let category = categories[letter] {
                if breakpoints.categories.contains(category) {
                    breakpoints.categories.remove(category)
                } else {
                    breakpoints.categories.insert(category)
                }
            }
        case .character("x"):
            breakpoints = Breakpoints()
        case .character("d"):
            if !breakpoints.nodes.isEmpty { breakpoints.nodes.removeLast() }
        default:
            overlay = nil
        }
    }

    // MARK: Profile comparison

    mutating func openDiff() {
        guard source.canSwitchProfiles else {
            notice = Notice("this input has fixed traces: no other profile to compare", isError: true)
            return
        }
        let others = Profile.all.filter { $0 != profiles.dest }
        let other = others.first { $0.pointerArrays != profiles.dest.pointerArrays } ?? others.first ?? profiles.dest
        openDiff(against: ProfileChoice(both: other))
    }

    mutating func openDiff(against choice: ProfileChoice) {
        do {
            let devices = try source.run(choice, edits: edits)
            let right = Session(
                devices: devices, absoluteOffsets: source.usesAbsoluteOffsets,
                fileOffsets: source.showsFileOffsets)
            var view = DiffView(left: session, leftProfiles: profiles, right: right, rightProfiles: choice)
            view.top = max(0, view.selected - 3)
            overlay = .diff(view)
        } catch {
            notice = Notice("cannot run under \(choice.label()): \(error)", isError: true)
        }
    }

    mutating func handleDiffKey(_ key: Key, _ view: DiffView) {
        var view = view
        let page = max(1, size.height - 8)
        let last = max(0, view.rows.count - 1)
        switch key {
        case .escape, .character("q"), .character("D"):
            overlay = nil
            return
        case .down, .character("j"): view.selected = min(last, view.selected + 1)
        case .up, .character("k"): view.selected = max(0, view.selected - 1)
        case .pageDown: view.selected = min(last, view.selected + page)
        case .pageUp: view.selected = max(0, view.selected - page)
        case .home: view.selected = 0
        case .end: view.selected = last
        case .character("n"):
            if let next = view.difference(after: view.selected, forward: true) { view.selected = next }
        case .character("N"), .character("p"):
            if let previous = view.difference(after: view.selected, forward: false) { view.selected = previous }
        case .character(">"), .character("<"):
            let all = Profile.all
            let current = all.firstIndex(of: view.rightProfiles.dest) ?? 0
            var index = current
            repeat {
                index = (index + (key == .character(">") ? 1 : all.count - 1)) % all.count
            } while all[index] == profiles.dest && all.count > 1
            openDiff(against: ProfileChoice(both: all[index]))
            return
        case .enter:
            if let left = view.rows[safe: view.selected]?.left {
                overlay = nil
                move(to: left + 1)
                return
            }
        default:
            break
        }
        let visible = max(1, size.height - 7)
        if view.selected < view.top { view.top = view.selected }
        if view.selected >= view.top + visible { view.top = view.selected - visible + 1 }
        overlay = .diff(view)
    }
}

extension Array {
    subscript(safe index: Int) -> Element? {
        indices.contains(index) ? self[index] : nil
    }
}
