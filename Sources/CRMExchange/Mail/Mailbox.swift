import Foundation

/// What a mail client pipes: one message (neomutt's `pipe-message`, aerc's
/// `:pipe -m`), or an mbox of several when several are tagged. An input
/// whose first line begins with "From " is an mbox: a message starts at
/// each "From " line at the start or after an empty line, and lines
/// escaped as ">From " (mboxrd and mboxo) lose one ">".
public enum Mailbox {
    /// Every message of `bytes`. Throws `MailError` (naming the message and
    /// the line) when any of them cannot be read: then none is used.
    public static func messages(_ bytes: [UInt8]) throws -> [MailMessage] {
        let (lines, _) = Line.split(bytes[...])
        guard let firstIndex = lines.firstIndex(where: { !$0.bytes.isEmpty }) else {
            throw MailError("the input is empty; expected a mail (RFC 5322) or an mbox of mails")
        }
        guard lines[firstIndex].hasPrefix("From ") else {
            // Empty lines before the header (some pipes add one) are not the mail's.
            return [try MailMessage.parse(Array(lines[firstIndex...]), firstLine: firstIndex + 1)]
        }
        var messages: [MailMessage] = []
        var start: Int?
        func finish(_ end: Int) throws {
            guard let s = start else { return }
            var body = Array(lines[(s + 1)..<end])
            // The empty line before the next "From " separates; it is not the mail's.
            if end < lines.count, body.last?.bytes.isEmpty == true { body.removeLast() }
            body = body.map(unescape)
            do {
                messages.append(try MailMessage.parse(body, firstLine: s + 2))
            } catch var error as MailError {
                error.messageNumber = messages.count + 1
                throw error
            }
        }
        for (index, line) in lines.enumerated() where line.hasPrefix("From ") && (index == 0 || lines[index - 1].bytes.isEmpty) {
            try finish(index)
            start = index
        }
        try finish(lines.count)
        return messages
    }

    /// ">From " → "From ", ">>From " → ">From ".
    static func unescape(_ line: Line) -> Line {
        let bytes = line.bytes
        guard bytes.first == UInt8(ascii: ">") else { return line }
        let rest = bytes.drop { $0 == UInt8(ascii: ">") }
        guard rest.starts(with: "From ".utf8) else { return line }
        return Line(bytes: bytes.dropFirst())
    }
}
