import Foundation

/// One mail as `crm log-email` needs it: who wrote it to whom, when, about
/// what, its text, its Message-ID, and whether a list or a robot sent it.
public struct MailMessage: Equatable, Sendable {
    public var headers: MailHeaders
    public var from: [MailAddress]
    public var to: [MailAddress]
    public var cc: [MailAddress]
    /// Decoded (RFC 2047), on one line.
    public var subject: String
    /// The Date header; nil when missing or unreadable.
    public var date: Date?
    /// The Message-ID without its angle brackets; nil when missing.
    public var messageID: String?
    /// The body as text (see `MIMEBody`).
    public var body: String
    /// The input line the message starts on.
    public var line: Int

    /// Why this mail came from a mailing list or a robot rather than a
    /// person, or nil: a List-Id header, an Auto-Submitted header other than
    /// "no", or Precedence: bulk, list or junk.
    public var automated: String? {
        if let list = headers.first("List-Id") { return "it came from a mailing list (List-Id: \(EncodedWords.decode(list)))" }
        if let auto = headers.first("Auto-Submitted"),
           let token = auto.split(whereSeparator: { $0 == ";" || $0 == " " || $0 == "(" }).first?.lowercased(), token != "no" {
            return "it was sent automatically (Auto-Submitted: \(token))"
        }
        if let precedence = headers.first("Precedence")?.trimmingCharacters(in: .whitespaces).lowercased(),
           ["bulk", "list", "junk"].contains(precedence) {
            return "it was sent in bulk (Precedence: \(precedence))"
        }
        return nil
    }

    /// Reads one message (RFC 5322 with MIME). Throws `MailError` when it is
    /// not a mail, has no From address, has a header that is not UTF-8, or
    /// was cut off (inside its header, or inside a multipart).
    public static func parse(_ bytes: [UInt8]) throws -> MailMessage {
        let (lines, _) = Line.split(bytes[...])
        return try parse(lines, firstLine: 1)
    }

    static func parse(_ lines: [Line], firstLine: Int) throws -> MailMessage {
        guard lines.contains(where: { !$0.bytes.isEmpty }) else {
            throw MailError("the input is empty; expected a mail (RFC 5322) or an mbox of mails", line: firstLine)
        }
        let (headers, bodyStart) = try MailHeaders.parse(lines, firstLine: firstLine, strict: true)
        guard let bodyStart else {
            throw MailError("the mail is cut off: it ends inside its header, before the empty line that begins the body",
                            line: firstLine + lines.count)
        }
        let fromHeader = headers.first("From")
        let from = fromHeader.map(MailAddress.list) ?? []
        guard !from.isEmpty else {
            throw MailError(fromHeader == nil ? "the mail has no From header; expected From: name@example.com"
                                              : "the From header \"\(fromHeader!)\" has no address; expected name@example.com",
                            line: headers.fields.first { $0.name.lowercased() == "from" }?.line ?? firstLine)
        }
        let body = try MIMEBody.text(headers: headers, body: Array(lines[bodyStart...]), firstLine: firstLine + bodyStart)
        let subject = EncodedWords.decode(headers.first("Subject") ?? "")
            .split(whereSeparator: { $0 == "\n" || $0 == "\r" || $0 == "\t" }).joined(separator: " ")
            .trimmingCharacters(in: .whitespaces)
        return MailMessage(
            headers: headers, from: from, to: headers.all("To").flatMap(MailAddress.list),
            cc: headers.all("Cc").flatMap(MailAddress.list), subject: subject,
            date: headers.first("Date").flatMap(MailDate.parse), messageID: headers.first("Message-ID").flatMap(Self.messageID),
            body: body, line: firstLine)
    }

    /// `<abc@host>` → `abc@host`; nil for an empty one.
    static func messageID(_ value: String) -> String? {
        var id = value.trimmingCharacters(in: .whitespacesAndNewlines)
        if let open = id.firstIndex(of: "<"), let close = id[open...].firstIndex(of: ">") {
            id = String(id[id.index(after: open)..<close])
        }
        id = id.trimmingCharacters(in: .whitespaces)
        return id.isEmpty ? nil : String(id.prefix(998))
    }
}
