import Foundation

/// The readable text of a mail body (RFC 2045/2046): the text/plain parts
/// in order, decoded from quoted-printable or base64 and from their charset;
/// when there is no plain text, the HTML part reduced to text. Attachments
/// (Content-Disposition: attachment, non-text types, attached mails) are
/// left out. Multiparts nest; each must end with its closing boundary, or
/// the mail was cut off (`MailError`).
enum MIMEBody {
    /// Beyond this depth of nested multiparts nothing more is read (a
    /// crafted mail must not exhaust the stack).
    static let maxDepth = 30

    struct Texts {
        var plain: [String] = []
        var html: [String] = []
        mutating func append(_ other: Texts) {
            plain += other.plain
            html += other.html
        }
    }

    /// The text of a body with `headers`; `firstLine`: the input line the
    /// body starts on, for messages.
    static func text(headers: MailHeaders, body: [Line], firstLine: Int) throws -> String {
        let texts = try collect(headers: headers, body: body, firstLine: firstLine, depth: 0)
        if !texts.plain.isEmpty { return tidy(texts.plain.joined(separator: "\n\n")) }
        if let html = texts.html.first { return tidy(HTMLText.plain(html)) }
        return ""
    }

    static func collect(headers: MailHeaders, body: [Line], firstLine: Int, depth: Int) throws -> Texts {
        guard depth <= maxDepth else { return Texts() }
        let type = headers.first("Content-Type").map(ContentType.init) ?? .plainText
        if let disposition = headers.first("Content-Disposition"), ContentType(disposition).value == "attachment" {
            return Texts()
        }
        switch type.type {
        case "multipart":
            guard let boundary = type.parameters["boundary"], !boundary.isEmpty else {
                // A multipart without its boundary cannot be split; read it as text.
                return Texts(plain: [decode(body, headers: headers, charset: nil)])
            }
            let parts = try split(body, boundary: boundary, firstLine: firstLine)
            var texts = Texts()
            for part in parts {
                let (partHeaders, start) = try MailHeaders.parse(part.lines, firstLine: part.firstLine, strict: false)
                let partBody = start.map { Array(part.lines[$0...]) } ?? []
                let partTexts = try collect(headers: partHeaders, body: partBody, firstLine: part.firstLine + (start ?? 0),
                                            depth: depth + 1)
                if type.subtype == "alternative" {
                    // The alternatives say the same: plain text is preferred,
                    // so the first part that has it wins; else the first HTML.
                    if !partTexts.plain.isEmpty { return Texts(plain: partTexts.plain) }
                    if texts.html.isEmpty { texts.html = partTexts.html }
                } else {
                    texts.append(partTexts)
                }
            }
            return texts
        case "text" where type.subtype == "html":
            return Texts(html: [decode(body, headers: headers, charset: type.parameters["charset"])])
        case "text" where type.subtype == "plain" || type.subtype.isEmpty:
            let text = decode(body, headers: headers, charset: type.parameters["charset"])
            guard type.parameters["format"]?.lowercased() == "flowed" else { return Texts(plain: [text]) }
            return Texts(plain: [unflowed(text, deleteSpace: type.parameters["delsp"]?.lowercased() == "yes")])
        default:
            // Images, PDFs, attached mails (message/rfc822), calendars, …
            return Texts()
        }
    }

    struct Part {
        var lines: [Line]
        var firstLine: Int
    }

    /// The parts between `--boundary` lines, up to `--boundary--`.
    static func split(_ body: [Line], boundary: String, firstLine: Int) throws -> [Part] {
        let delimiter = Array("--\(boundary)".utf8)
        var parts: [Part] = []
        var current: [Line]?
        var currentStart = 0
        for (index, line) in body.enumerated() {
            var bytes = line.bytes
            // Transport padding after a boundary is allowed.
            while let last = bytes.last, last == 0x20 || last == 0x09 { bytes = bytes.dropLast() }
            if bytes.count >= delimiter.count, bytes.prefix(delimiter.count).elementsEqual(delimiter) {
                let rest = bytes.dropFirst(delimiter.count)
                if rest.isEmpty || rest.elementsEqual([UInt8(ascii: "-"), UInt8(ascii: "-")]) {
                    if let current { parts.append(Part(lines: current, firstLine: currentStart)) }
                    if !rest.isEmpty { return parts }
                    current = []
                    currentStart = firstLine + index + 1
                    continue
                }
            }
            current?.append(line)
        }
        throw MailError("the mail is cut off: its MIME part ends without the closing boundary \"--\(boundary)--\"",
                        line: firstLine + max(0, body.count - 1))
    }

    /// A leaf part's bytes through its transfer encoding and charset.
    static func decode(_ body: [Line], headers: MailHeaders, charset: String?) -> String {
        var bytes: [UInt8] = []
        for (i, line) in body.enumerated() {
            if i > 0 { bytes.append(0x0A) }
            bytes += line.bytes
        }
        switch headers.first("Content-Transfer-Encoding")?.trimmingCharacters(in: .whitespaces).lowercased() {
        case "base64": bytes = TransferDecoding.base64(bytes)
        case "quoted-printable": bytes = TransferDecoding.quotedPrintable(bytes)
        default: break
        }
        return MailCharset.decode(bytes, charset: charset).replacingOccurrences(of: "\r\n", with: "\n")
    }

    /// format=flowed (RFC 3676): a line ending in a space goes on in the
    /// next one (the space dropped with delsp=yes); a leading space added
    /// for transport ("space-stuffing") is removed. The signature line
    /// "-- " and quoted lines (">") keep their breaks.
    static func unflowed(_ text: String, deleteSpace: Bool) -> String {
        var out = ""
        var joining = false
        for raw in text.split(separator: "\n", omittingEmptySubsequences: false) {
            var line = Substring(raw)
            if line.hasPrefix(" ") { line = line.dropFirst() }
            let flowed = line.hasSuffix(" ") && line != "-- " && !line.hasPrefix(">")
            if !joining && !out.isEmpty { out += "\n" }
            out += flowed && deleteSpace ? line.dropLast() : line
            joining = flowed
        }
        return out
    }

    /// Trailing blanks off each line, no blank lines at the ends.
    static func tidy(_ text: String) -> String {
        let lines = text.split(separator: "\n", omittingEmptySubsequences: false).map { line in
            var l = Substring(line)
            while let last = l.last, last == " " || last == "\t" || last == "\r" { l = l.dropLast() }
            return l
        }
        return lines.joined(separator: "\n").trimmingCharacters(in: .newlines)
    }
}
