import VMState

/// The flag editor: every VMS_* bit with its number under the destination profile, size, num,
/// version_id; below, what the last change did.
enum FlagEditorPane {
    static func render(_ state: State, editor: FlagEditor, into screen: inout Screen) {
        let theme = state.theme
        let glyphs = state.glyphs
        let width = min(screen.width - 2, 96)
        let report = reportLines(state, width: width - 3)
        let height = min(screen.height - 2, editor.rows.count + report.count + 5)
        let rect = screen.bounds.centered(width: width, height: height)
        screen.fill(rect)
        let path = state.session.tree.exactMatch(editor.field).map { state.session.tree.path(of: $0) } ?? editor.vmsd
        screen.box(
            rect, glyphs: glyphs, style: theme.style(.focusedBorder),
            title: "flags of \(path) under \(state.profiles.dest.name)", titleStyle: theme.style(.focusedTitle))
        let inner = rect.inset(by: 1)
        let field = state.currentField(editor)
        let listHeight = max(3, inner.height - report.count - 2)
        let rows = editor.rows
        let description = state.currentVMSD(editor.vmsd)
        var top = editor.top
        if editor.selected < top { top = editor.selected }
        if editor.selected >= top + listHeight { top = editor.selected - listHeight + 1 }
        top = max(0, min(top, rows.count - listHeight))
        let profile = state.profiles.dest
        for line in 0..<listHeight where top + line < rows.count {
            let index = top + line
            let row = rows[index]
            let y = inner.y + line
            let isSelected = index == editor.selected
            var text: String
            var role: Role = .text
            switch row {
            case .flag(let flag):
                let value = profile.flagValues[flag].map { "0x" + String($0, radix: 16) } ?? "-"
                let on = field?.flags.contains(flag) ?? false
                text =
                    (on ? glyphs.checkboxOn : glyphs.checkboxOff) + " " + flag.rawValue.padded(to: 33) + " "
                    + value.padded(to: 8)
                if profile.flagValues[flag] == nil {
                    text += " not in \(profile.name)"
                    role = .dim
                } else if on {
                    role = .title
                }
            case .size: text = "    size".padded(to: 38) + " \(field?.size ?? 0)"
            case .sizeOffset: text = "    size_offset".padded(to: 38) + " \(field?.sizeOffset ?? 0)"
            case .start: text = "    start".padded(to: 38) + " \(field?.start ?? 0)"
            case .num: text = "    num".padded(to: 38) + " \(field?.num ?? 0)"
            case .versionID: text = "    version_id".padded(to: 38) + " \(field?.versionID ?? 0)"
            case .fieldExists, .needed, .hook:
                // A C callback vmscope cannot run: its switch, and what it returns.
                let value = FlagEditor.switchValue(row, field: field, vmsd: description) ?? "?"
                text = "    " + row.title.padded(to: 34) + " returns \(value)"
                role = .category(.check)
            }
            var style = theme.style(role)
            if isSelected { style = theme.style(.selection) }
            screen.put((isSelected ? glyphs.pointer : " ") + " " + text, x: inner.x, y: y, style: style, clip: inner)
            if isSelected {
                screen.restyle(Rect(x: inner.x, y: y, width: inner.width, height: 1)) {
                    $0.background = style.background
                }
            }
        }
        if let field {
            let raw = profile.rawValue(of: field.flags)
            let summary = " flags = 0x\(String(raw, radix: 16)) (\(profile.effective(field.flags)))"
            screen.put(summary, x: inner.x, y: inner.y + listHeight, style: theme.style(.dim), clip: inner)
        }
        for (line, (text, role)) in report.enumerated() {
            screen.put(
                " " + text, x: inner.x, y: inner.y + listHeight + 1 + line, style: theme.style(role), clip: inner)
        }
        let footer = "Space toggle  +/- Enter number  U undo  Esc close"
        screen.put(" " + footer, x: inner.x, y: inner.maxY - 1, style: theme.style(.dim), clip: inner)
    }

    /// What the last re-run changed: the check that fired, the stream, where the trace differs.
    static func reportLines(_ state: State, width: Int) -> [(String, Role)] {
        let ellipsis = state.glyphs.ellipsis
        guard let report = state.lastRerun else {
            let failed = state.session.failedChecks
            var lines: [(String, Role)] = [("Space toggles a bit: checks, save and load run again at once", .dim)]
            if failed.isEmpty {
                lines.append(
                    ("checks pass under \(state.profiles.label(arrow: state.glyphs.arrow))", .category(.check)))
            } else {
                for finding in failed.prefix(2) {
                    lines.append(
                        (
                            "check \(RerunReport.describe(finding))".truncated(to: width, ellipsis: ellipsis),
                            .category(.failure)
                        ))
                }
            }
            return lines
        }
        var lines: [(String, Role)] = []
        lines.append(
            (
                "\(report.change): \(report.outcome)".truncated(to: width, ellipsis: ellipsis),
                report.outcome.hasPrefix("load succeeded") ? .category(.check) : .category(.failure)
            ))
        if report.failedChecks.isEmpty {
            lines.append(
                (
                    "checks: all pass" + (report.fixedChecks.isEmpty ? "" : " (fixed \(report.fixedChecks.count))"),
                    .category(.check)
                ))
        } else {
            for finding in report.failedFindings.prefix(2) {
                let rule =
                    finding.rule.map { "check \($0.rawValue) FAILED at \(finding.path): \($0.summary)" }
                    ?? "warning at \(finding.path)"
                lines.append((rule.truncated(to: width, ellipsis: ellipsis), .category(.failure)))
                lines.append(("  assert: \(finding.detail)".truncated(to: width, ellipsis: ellipsis), .dim))
            }
        }
        var stream = "stream: \(report.newByteCount) bytes (was \(report.oldByteCount))"
        if state.session.showsFileOffsets {
            // A recorded stream: edits change how it loads, never its bytes.
            stream = "stream: the file's bytes, as recorded"
        } else if let offset = report.firstByteDifference {
            stream +=
                ", differs from 0x\(String(offset, radix: 16))"
                + (report.bytePreview.isEmpty ? " (it ends there)" : ": \(report.bytePreview)")
        } else {
            stream += ", unchanged"
        }
        lines.append((stream.truncated(to: width, ellipsis: ellipsis), .text))
        if let step = report.firstStepDifference {
            lines.append(("trace first differs at step \(step + 1):", .category(.marker)))
            lines.append(("  was: \(report.before ?? "")".truncated(to: width, ellipsis: ellipsis), .dim))
            lines.append(("  now: \(report.after ?? "")".truncated(to: width, ellipsis: ellipsis), .text))
        } else {
            lines.append(("trace unchanged", .dim))
        }
        return lines
    }
}
