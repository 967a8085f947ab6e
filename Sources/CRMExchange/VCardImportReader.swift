import Foundation

/// Reads contacts from a vCard file (2.1, 3.0, 4.0; abook's VERSION-less,
/// unfolded 2.1 too), one card at a time: folded lines (a line break and a
/// space or tab) are unfolded, 2.1's quoted-printable values with "=" soft
/// line breaks decoded in their CHARSET. Properties with a field of ours go
/// there (FN, N, ORG, TITLE, TEL, EMAIL, NOTE, CATEGORIES, UID); every other
/// one is kept in the notes (ADR as "Address", URL, BDAY as "Birthday",
/// X-… under its name, a PHOTO as "photo omitted"), never dropped. A file
/// that is not a vCard throws `ImportFileError`.
public struct VCardImportReader: ImportReader {
    public let path: String
    private var lines: TextLineReader
    private var pending: (number: Int, bytes: [UInt8])?
    private let source: TextChunkSource
    private let maxLineBytes: Int

    public init(path: String, encoding: String? = nil, maxLineBytes: Int = 16 * 1024 * 1024) throws {
        self.path = path
        self.maxLineBytes = maxLineBytes
        source = try TextChunkSource(path: path, encoding: TextEncoding.request(named: encoding, path: path))
        lines = TextLineReader(source: source, maxLineBytes: maxLineBytes, kind: "vCard")
        // The first line with text must begin a card.
        while let line = try lines.next() {
            let text = String(decoding: line.bytes, as: UTF8.self).trimmed
            if text.isEmpty { continue }
            guard text.uppercased() == "BEGIN:VCARD" else {
                throw ImportFileError(.badData, path: path, line: line.number,
                                      message: "is not a vCard file: the line is '\(Self.excerpt(text))'; expected BEGIN:VCARD")
            }
            pending = line
            return
        }
        throw ImportFileError(.badData, path: path, message: "the file is empty; expected vCards (BEGIN:VCARD … END:VCARD)")
    }

    /// The most bytes held at once while reading.
    public var peakBufferedBytes: Int { lines.peakBufferedBytes }

    static func excerpt(_ text: String) -> String {
        let clean = String(text.unicodeScalars.map { $0.properties.generalCategory == .control ? "?" : Character($0) })
        return clean.count > 40 ? String(clean.prefix(40)) + "…" : clean
    }

    /// The next physical line, or the one put back.
    private mutating func physical() throws -> (number: Int, bytes: [UInt8])? {
        if let line = pending { pending = nil; return line }
        return try lines.next()
    }

    /// The next logical line: folded continuation lines joined, and a
    /// quoted-printable value's "=" soft line breaks joined.
    private mutating func logical() throws -> (number: Int, text: String)? {
        guard let first = try physical() else { return nil }
        var bytes = first.bytes
        let head = bytes.prefix { $0 != UInt8(ascii: ":") }
        let quotedPrintable = String(decoding: head, as: UTF8.self).uppercased().contains("QUOTED-PRINTABLE")
        while let next = try physical() {
            if quotedPrintable && bytes.last == UInt8(ascii: "=") {
                // A soft line break first: "=" then a folding space would
                // otherwise read as the escape "= X".
                bytes.removeLast()
                bytes += next.bytes
            } else if let b = next.bytes.first, b == 0x20 || b == 0x09 {
                bytes += next.bytes.dropFirst()
            } else {
                pending = next
                break
            }
            if bytes.count > maxLineBytes {
                throw ImportFileError(.badData, path: path, line: first.number,
                                      message: "a property longer than \(CSVTokenizer.describe(bytes: maxLineBytes)); is this a vCard file?")
            }
        }
        guard let text = String(validating: bytes, as: UTF8.self) else { throw source.notUTF8(line: first.number) }
        return (first.number, text)
    }

    public mutating func next() throws -> ImportItem? {
        // Find the next BEGIN:VCARD; only blank lines may stand between cards.
        var begin: Int?
        while begin == nil {
            guard let line = try logical() else { return nil }
            let text = line.text.trimmed
            if text.isEmpty { continue }
            guard text.uppercased() == "BEGIN:VCARD" else {
                throw ImportFileError(.badData, path: path, line: line.number,
                                      message: "'\(Self.excerpt(text))' stands outside a card; expected BEGIN:VCARD")
            }
            begin = line.number
        }
        var properties: [VCardProperty] = []
        var malformed: ImportProblem?
        while true {
            guard let line = try logical() else {
                throw ImportFileError(.badData, path: path, line: begin,
                                      message: "the card that begins here has no END:VCARD; is the file complete?")
            }
            let text = line.text.trimmed
            if text.isEmpty { continue }
            let upper = text.uppercased()
            if upper == "END:VCARD" { break }
            if upper == "BEGIN:VCARD" {
                throw ImportFileError(.badData, path: path, line: line.number,
                                      message: "a card begins inside the card of line \(begin!); expected END:VCARD first")
            }
            guard let property = VCardProperty.parse(line.text, number: line.number) else {
                if malformed == nil {
                    malformed = ImportProblem(line: line.number,
                                              message: "'\(Self.excerpt(text))' is not a vCard property; expected NAME:value")
                }
                continue
            }
            properties.append(property)
        }
        if let malformed { return .rejected(malformed) }
        return Self.record(from: properties, line: begin!)
    }

    /// One card's properties as a contact.
    static func record(from properties: [VCardProperty], line: Int) -> ImportItem {
        var draft = RecordDraft(line: line)
        // Apple's grouped labels: "item1.EMAIL:…" + "item1.X-ABLabel:Büro".
        var groupLabels: [String: String] = [:]
        for p in properties where p.name == "X-ABLABEL" {
            if let group = p.group { groupLabels[group] = ContactLabels.normalize(appleLabel(p.text)) }
        }
        for p in properties {
            draft.currentLine = p.line
            let label = p.group.flatMap { groupLabels[$0] } ?? p.label
            switch p.name {
            case "VERSION", "X-ABLABEL":
                break
            case "PRODID":
                break   // the program that wrote the file, nothing about the person
            case "KIND" where p.text.lowercased() == "individual":
                break
            case "FN":
                draft.setFullName(p.text.trimmed, origin: "FN")
            case "N":
                let parts = p.components + Array(repeating: "", count: 5)
                func words(_ s: String) -> String { s.replacingOccurrences(of: ",", with: " ") }
                if !parts[3].isEmpty { draft.setPrefix(words(parts[3]), origin: "N") }
                if !parts[1].isEmpty { draft.setFirst(words(parts[1]), origin: "N") }
                if !parts[2].isEmpty { draft.setMiddle(words(parts[2]), origin: "N") }
                if !parts[0].isEmpty { draft.setLast(words(parts[0]), origin: "N") }
                if !parts[4].isEmpty { draft.setSuffix(words(parts[4]), origin: "N") }
            case "ORG":
                let parts = p.components.filter { !$0.isEmpty }
                if let company = parts.first { draft.set(\.company, key: "company", company, origin: "ORG") }
                if parts.count > 1 { draft.addExtra("Department", parts.dropFirst().joined(separator: ", ")) }
            case "TITLE":
                draft.set(\.title, key: "title", p.text.trimmed, origin: "TITLE")
            case "TEL":
                var number = p.text.trimmed
                if number.lowercased().hasPrefix("tel:") { number = String(number.dropFirst(4)) }
                draft.addPhone(number, label: label, origin: "TEL")
            case "EMAIL":
                var address = p.text.trimmed
                if address.lowercased().hasPrefix("mailto:") { address = String(address.dropFirst(7)) }
                draft.addEmail(address, label: label, origin: "EMAIL")
            case "ADR":
                let address = p.components.filter { !$0.isEmpty }.joined(separator: ", ")
                draft.addExtra(label.isEmpty ? "Address" : "Address (\(label))", address)
            case "NOTE":
                draft.appendNotes(p.text, origin: "NOTE")
            case "CATEGORIES":
                draft.addTags(p.text, origin: "CATEGORIES")
            case "BDAY":
                draft.addExtra("Birthday", p.text)
            case "UID":
                draft.setExternalID(p.text.trimmed, origin: "UID")
            case "REV":
                if let date = RecordDraft.timestamp(p.text) { draft.setUpdated(date, origin: "REV") }
                else { draft.addExtra("REV", p.text) }
            case "PHOTO", "LOGO", "SOUND", "KEY":
                let kind = p.name.lowercased()
                draft.addExtra(p.name.prefix(1) + p.name.dropFirst().lowercased(),
                               p.isBinary ? "\(kind) omitted" : p.text)
            case "URL":
                draft.addExtra(label.isEmpty ? "URL" : "URL (\(label))", p.text)
            case "NICKNAME":
                draft.addExtra("Nickname", p.text)
            default:
                let name = label.isEmpty ? p.name : "\(p.name) (\(label))"
                draft.addExtra(name, p.isBinary ? "\(p.name.lowercased()) omitted" : p.text)
            }
        }
        return draft.finish()
    }

    /// "_$!<Mobile>!$_" → "Mobile".
    static func appleLabel(_ text: String) -> String {
        if text.hasPrefix("_$!<") && text.hasSuffix(">!$_") { return String(text.dropFirst(4).dropLast(4)) }
        return text
    }
}
