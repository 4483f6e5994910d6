extension Screen {
    /// Pixel size of a cell in the SVG: DejaVu Sans Mono at 15 px advances 9 px.
    public static let svgCellWidth = 9
    public static let svgCellHeight = 18

    /// The screen as an SVG image: a background rectangle per run of same-coloured cells, and
    /// per run of same-styled characters one `<text>` whose `x` list puts every glyph on its column.
    public func svg(background: String = "#1e1e1e", foreground: String = "#d0d0d0") -> String {
        let cellWidth = Self.svgCellWidth
        let cellHeight = Self.svgCellHeight
        let pixelWidth = width * cellWidth
        let pixelHeight = height * cellHeight
        var out = """
            <svg xmlns="http://www.w3.org/2000/svg" width="\(pixelWidth)" height="\(pixelHeight)" \
            viewBox="0 0 \(pixelWidth) \(pixelHeight)">
            <rect width="100%" height="100%" fill="\(background)"/>
            <g font-family="DejaVu Sans Mono, monospace" font-size="15px" xml:space="preserve">

            """
        for y in 0..<height {
            // Backgrounds.
            var x = 0
            while x < width {
                let (_, back) = colors(of: self[x, y].style, background: background, foreground: foreground)
                var end = x + 1
                while end < width,
                    colors(of: self[end, y].style, background: background, foreground: foreground).1 == back
                {
                    end += 1
                }
                if back != background {
                    out +=
                        "<rect x=\"\(x * cellWidth)\" y=\"\(y * cellHeight)\" width=\"\((end - x) * cellWidth)\" "
                        + "height=\"\(cellHeight)\" fill=\"\(back)\"/>\n"
                }
                x = end
            }
            // Text runs.
            x = 0
            while x < width {
                let cell = self[x, y]
                if cell.isContinuation || cell.character == " " {
                    if cell.style.attributes.contains(.underline) { out += underline(x: x, y: y, style: cell.style) }
                    x += 1
                    continue
                }
                var end = x
                var positions: [Int] = []
                var text = ""
                while end < width {
                    let next = self[end, y]
                    if next.style != cell.style || next.character == " " { break }
                    if !next.isContinuation {
                        positions.append(end * cellWidth)
                        text += Self.escape(next.character)
                    }
                    end += 1
                }
                let (fill, _) = colors(of: cell.style, background: background, foreground: foreground)
                var attributes = "fill=\"\(fill)\""
                if cell.style.attributes.contains(.bold) { attributes += " font-weight=\"bold\"" }
                if cell.style.attributes.contains(.italic) { attributes += " font-style=\"italic\"" }
                if cell.style.attributes.contains(.dim) { attributes += " fill-opacity=\"0.6\"" }
                if cell.style.attributes.contains(.underline) { attributes += " text-decoration=\"underline\"" }
                let baseline = y * cellHeight + 14
                out +=
                    "<text x=\"\(positions.map(String.init).joined(separator: " "))\" y=\"\(baseline)\" \(attributes)>"
                    + text + "</text>\n"
                x = end
            }
        }
        out += "</g>\n</svg>\n"
        return out
    }

    private func underline(x: Int, y: Int, style: Style) -> String {
        let (fill, _) = colors(of: style, background: "#1e1e1e", foreground: "#d0d0d0")
        return "<rect x=\"\(x * Self.svgCellWidth)\" y=\"\(y * Self.svgCellHeight + 16)\" "
            + "width=\"\(Self.svgCellWidth)\" height=\"1\" fill=\"\(fill)\"/>\n"
    }

    /// Foreground and background as SVG colours, with reverse applied.
    private func colors(of style: Style, background: String, foreground: String) -> (String, String) {
        let front = style.foreground.hex(defaultValue: foreground)
        let back = style.background.hex(defaultValue: background)
        return style.attributes.contains(.reverse) ? (back, front) : (front, back)
    }

    static func escape(_ scalar: Unicode.Scalar) -> String {
        switch scalar {
        case "&": return "&amp;"
        case "<": return "&lt;"
        case ">": return "&gt;"
        case "\"": return "&quot;"
        default: return String(scalar)
        }
    }
}
