import Foundation

/// An HTML part reduced to the text a person would read: tags gone, the
/// contents of script, style and head gone, entities decoded, blanks
/// collapsed as a browser does, and a line break for <br>, paragraphs,
/// divisions, list items, table rows and headings.
enum HTMLText {
    static func plain(_ html: String) -> String {
        var out = ""
        var scalars = Array(html.unicodeScalars)[...]
        var pendingSpace = false
        func emitBreak(_ count: Int) {
            pendingSpace = false
            var trailing = 0
            for ch in out.reversed() { if ch == "\n" { trailing += 1 } else if ch == " " { continue } else { break } }
            while out.last == " " { out.removeLast() }
            if out.isEmpty { return }
            out += String(repeating: "\n", count: max(0, count - trailing))
        }
        var text = String.UnicodeScalarView()
        // Once no ">" follows, none follows any later "<" either: text like
        // "a < b < c" is read in one pass, not one search per "<".
        var noMoreTags = false
        func flushText() {
            guard !text.isEmpty else { return }
            for ch in decodeEntities(String(text)) {
                if ch.isWhitespace && ch != "\u{00A0}" {
                    pendingSpace = true
                } else {
                    if pendingSpace, let last = out.last, last != "\n" { out.append(" ") }
                    pendingSpace = false
                    out.append(ch == "\u{00A0}" ? " " : ch)
                }
            }
            text = String.UnicodeScalarView()
        }
        while let s = scalars.first {
            guard s == "<" else {
                text.append(s)
                scalars = scalars.dropFirst()
                continue
            }
            flushText()
            if scalars.starts(with: "<!--".unicodeScalars) {
                scalars = skip(past: "-->", in: scalars.dropFirst(4))
                continue
            }
            guard !noMoreTags, let close = scalars.firstIndex(of: ">") else {
                noMoreTags = true
                // A "<" that opens no tag is text.
                text.append(s)
                scalars = scalars.dropFirst()
                continue
            }
            let tag = String(String.UnicodeScalarView(scalars[scalars.index(after: scalars.startIndex)..<close]))
            scalars = scalars[scalars.index(after: close)...]
            let closing = tag.hasPrefix("/")
            let name = String(tag.drop { $0 == "/" }.prefix { $0.isLetter || $0.isNumber }).lowercased()
            if !closing, ["script", "style", "head", "title"].contains(name) {
                scalars = skip(past: "</\(name)", in: scalars, caseInsensitive: true)
                if let end = scalars.firstIndex(of: ">") { scalars = scalars[scalars.index(after: end)...] }
                continue
            }
            switch name {
            case "br": emitBreak(out.last == "\n" ? 2 : 1)
            case "p", "h1", "h2", "h3", "h4", "h5", "h6", "blockquote", "table", "ul", "ol", "pre": emitBreak(2)
            case "div", "tr", "li", "dt", "dd", "hr", "section", "article", "header", "footer": emitBreak(1)
            case "td", "th": pendingSpace = true
            default: break
            }
        }
        flushText()
        // At most one empty line in a row; no blanks at line ends.
        var lines: [String] = []
        for line in out.split(separator: "\n", omittingEmptySubsequences: false) {
            let trimmed = line.trimmingCharacters(in: .whitespaces)
            if trimmed.isEmpty, lines.last?.isEmpty ?? true { continue }
            lines.append(trimmed)
        }
        return lines.joined(separator: "\n").trimmingCharacters(in: .whitespacesAndNewlines)
    }

    /// `scalars` after the first `marker` (everything, when there is none).
    static func skip(past marker: String, in scalars: ArraySlice<Unicode.Scalar>, caseInsensitive: Bool = false) -> ArraySlice<Unicode.Scalar> {
        let m = Array((caseInsensitive ? marker.lowercased() : marker).unicodeScalars)
        // ASCII case folding, scalar by scalar: the markers are tag names.
        func folded(_ s: Unicode.Scalar) -> Unicode.Scalar {
            caseInsensitive && s.value >= 0x41 && s.value <= 0x5A ? Unicode.Scalar(s.value + 0x20)! : s
        }
        var i = scalars.startIndex
        while i + m.count <= scalars.endIndex {
            if scalars[i..<(i + m.count)].lazy.map(folded).elementsEqual(m) {
                return caseInsensitive ? scalars[i...] : scalars[(i + m.count)...]
            }
            i += 1
        }
        return scalars[scalars.endIndex...]
    }

    static let entities: [String: String] = [
        "amp": "&", "lt": "<", "gt": ">", "quot": "\"", "apos": "'", "nbsp": "\u{00A0}", "shy": "",
        "zwnj": "\u{200C}", "zwj": "\u{200D}", "lrm": "\u{200E}", "rlm": "\u{200F}",
        "ndash": "–", "mdash": "—", "hellip": "…", "lsquo": "‘", "rsquo": "’", "ldquo": "“", "rdquo": "”",
        "laquo": "«", "raquo": "»", "bull": "•", "middot": "·", "copy": "©", "reg": "®", "trade": "™",
        "euro": "€", "pound": "£", "yen": "¥", "cent": "¢", "sect": "§", "deg": "°", "times": "×", "divide": "÷",
        "auml": "ä", "ouml": "ö", "uuml": "ü", "Auml": "Ä", "Ouml": "Ö", "Uuml": "Ü", "szlig": "ß",
        "eacute": "é", "egrave": "è", "ecirc": "ê", "aacute": "á", "agrave": "à", "acirc": "â", "ccedil": "ç",
        "oacute": "ó", "iacute": "í", "uacute": "ú", "ntilde": "ñ", "Eacute": "É",
    ]

    /// `&amp;`, `&#228;`, `&#xE4;`; anything else stays as written. A
    /// number that is no character (0, a surrogate, past U+10FFFF) is U+FFFD.
    static func decodeEntities(_ text: String) -> String {
        guard text.contains("&") else { return text }
        var out = ""
        var rest = Substring(text)
        while let amp = rest.firstIndex(of: "&") {
            out += rest[..<amp]
            let after = rest[rest.index(after: amp)...]
            guard let semi = after.prefix(12).firstIndex(of: ";") else {
                out.append("&")
                rest = after
                continue
            }
            let name = String(after[..<semi])
            var replacement: String?
            if name.hasPrefix("#") {
                let digits = name.dropFirst()
                let value = digits.first == "x" || digits.first == "X" ? UInt32(digits.dropFirst(), radix: 16) : UInt32(digits)
                if let value {
                    replacement = value != 0 ? Unicode.Scalar(value).map { String(Character($0)) } ?? "\u{FFFD}" : "\u{FFFD}"
                }
            } else {
                replacement = entities[name]
            }
            if let replacement {
                out += replacement
                rest = after[after.index(after: semi)...]
            } else {
                out.append("&")
                rest = after
            }
        }
        out += rest
        return out
    }
}
