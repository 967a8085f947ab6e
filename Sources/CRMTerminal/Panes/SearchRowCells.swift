import CRMRepositories
import CRMViewModels
import Foundation

/// A row of the contact list while a search is typed: each cell as pieces of
/// text, the words the search matched marked (`Style.highlight`), and a
/// "Matched" cell that says what the search found when it was not the name
/// (the phone, the email, the company, a tag, the words of the title or the
/// note), with the field's name before it.
enum SearchRowCells {
    typealias Piece = (text: String, role: Role)
    enum Role { case plain, marked, label }

    /// The cells in `ContactListPane.searchColumns` order.
    static func cells(_ row: ContactSummary, highlight: SearchHighlight, lastContact: String) -> [[Piece]] {
        let phone = row.shownPhone ?? ""
        return [
            pieces(row.name, highlight.ranges(in: row.name)),
            matched(row.match, highlight: highlight),
            pieces(row.companyName ?? "", highlight.ranges(in: row.companyName ?? "")),
            pieces(phone, row.matchedPhone == nil ? [] : highlight.ranges(inPhone: phone)),
            [(lastContact, .plain)],
            [(row.email ?? "", .plain)],
            [(row.ownerLogin ?? "", .plain)],
        ]
    }

    /// Whether the "Matched" cell has something to say: the row was found
    /// by a field other than its name.
    static func matchedElsewhere(_ match: ContactMatch?) -> Bool {
        match?.rank == .otherField && match?.field != nil
    }

    /// The "Matched" cell: empty when the name matched (it is marked there).
    static func matched(_ match: ContactMatch?, highlight: SearchHighlight) -> [Piece] {
        guard matchedElsewhere(match), let match, let field = match.field else { return [] }
        // One line: a note's line breaks read as spaces here.
        let text = String(match.text.map { $0.isNewline ? " " : $0 })
        let ranges = field == .phone ? highlight.ranges(inPhone: text) : highlight.ranges(in: text)
        let label = field == .tag ? "tag #" : field.rawValue + " "
        return [(label, .label)] + pieces(text, ranges, from: field == .note || field == .title ? ranges.first?.lowerBound : nil)
    }

    /// `text` cut into plain and marked pieces. `from`: a long text (a note)
    /// is shown from a few words before that point, after "…", so the marked
    /// words are on screen.
    static func pieces(_ text: String, _ ranges: [Range<String.Index>], from start: String.Index? = nil) -> [Piece] {
        var out: [Piece] = []
        var at = text.startIndex
        if let start {
            let before = text[..<start]
            if before.count > contextBefore {
                // Back to the start of a word within the context kept.
                var cut = before.index(before.endIndex, offsetBy: -contextBefore)
                if let space = before[cut...].firstIndex(of: " ") { cut = before.index(after: space) }
                out.append(("…", .plain))
                at = cut
            }
        }
        for range in ranges where range.lowerBound >= at {
            if at < range.lowerBound { out.append((String(text[at..<range.lowerBound]), .plain)) }
            out.append((String(text[range]), .marked))
            at = range.upperBound
        }
        if at < text.endIndex { out.append((String(text[at...]), .plain)) }
        return out
    }

    /// When the first marked piece would not show in `room` (a long name
    /// matched on its last word at 80 columns, QA 40 #9: "Wang Xiu Ying …"
    /// hid the 王秀英 it was found by), the plain text before it becomes "…";
    /// a label before it stays.
    static func showingTheMark(_ pieces: [Piece], room: Int) -> [Piece] {
        guard let mark = pieces.firstIndex(where: { $0.role == .marked }) else { return pieces }
        let labels = pieces.prefix { $0.role == .label }.count
        guard mark > labels else { return pieces }
        // Measured no further than the room: a note's piece can run long.
        func width(_ text: String) -> Int { DisplayWidth.width(of: String(DisplayWidth.prefix(of: text, fitting: room + 1))) }
        let label = pieces[..<labels].reduce(0) { $0 + width($1.text) }
        let before = pieces[labels..<mark].reduce(0) { $0 + width($1.text) }
        let marked = width(pieces[mark].text)
        guard label + before + marked > room, before > 1 else { return pieces }
        // A few columns of what comes before it stay, from a word's start.
        let budget = min(room - label - 1 - marked, contextBefore)
        let plain = pieces[labels..<mark].map(\.text).joined()
        var start = plain.endIndex, used = 0
        while start > plain.startIndex {
            let previous = plain.index(before: start)
            used += DisplayWidth.width(of: plain[previous])
            if used > budget { break }
            start = previous
        }
        var tail = plain[start...]
        // From a word's start: a tail that begins inside a word loses that
        // part ("gmaringen " before the match is dropped whole, QA 42 #5).
        if tail.startIndex > plain.startIndex, plain[plain.index(before: tail.startIndex)] != " " {
            tail = tail.firstIndex(of: " ").map { tail[tail.index(after: $0)...] } ?? ""
        }
        let context: [Piece] = tail.isEmpty ? [] : [(String(tail), .plain)]
        return Array(pieces[..<labels]) + [(DisplayWidth.ellipsis, .plain)] + context + Array(pieces[mark...])
    }

    /// Characters of a note kept before its first match.
    static let contextBefore = 12

    static func draw(_ cells: [[Piece]], specs: [ColumnSpec], layout: ColumnLayout, y: Int, x: Int, width: Int, style: Style, on screen: Screen) {
        screen.put("", at: Point(x: x, y: y), style: style, width: width)
        let marked = Style(.highlight, bold: style.role == .selected)
        let label = style.role == .normal ? Style.dim : style
        for column in layout.shown {
            let pieces = showingTheMark(cells[column.index], room: column.width)
            var room = column.width
            var cx = x + column.x
            for (n, (whole, role)) in pieces.enumerated() where room > 0 {
                // Only the part that can show is sanitised and measured (a
                // note's piece runs on for thousands of characters); a part
                // cut short is wider than the room, so it is truncated below.
                let text = TextSanitizer.singleLine(String(DisplayWidth.prefix(of: whole, fitting: room)))
                let w = DisplayWidth.width(of: text)
                let last = n == pieces.count - 1
                // A piece that fills the room exactly with more to come ends
                // in "…" too: "…@mail" then nothing read as a whole address
                // (QA 38 A-F1).
                let shown = w < room || (w == room && last) ? text
                    : DisplayWidth.truncate(w == room ? text + DisplayWidth.ellipsis : text, to: room)
                let pieceStyle = role == .marked ? marked : (role == .label ? label : style)
                let drawn = screen.put(shown, at: Point(x: cx, y: y), style: pieceStyle, width: nil)
                cx += drawn
                room -= drawn
                if shown != text { break }
            }
        }
    }
}
