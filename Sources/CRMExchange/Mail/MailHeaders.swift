import Foundation

/// The header section of a mail or of a MIME part: fields in order, each
/// unfolded (a line that starts with a blank continues the one before).
public struct MailHeaders: Equatable, Sendable {
    public struct Field: Equatable, Sendable {
        public var name: String
        /// Unfolded, leading blanks removed, not yet decoded (RFC 2047).
        public var value: String
        /// The input line the field starts on.
        public var line: Int
    }

    public var fields: [Field] = []

    /// The first field named `name` (case does not matter).
    public func first(_ name: String) -> String? {
        fields.first { $0.name.caseInsensitiveCompare(name) }?.value
    }

    public func all(_ name: String) -> [String] {
        fields.filter { $0.name.caseInsensitiveCompare(name) }.map(\.value)
    }

    /// Reads the header section at the start of `lines`; returns it and the
    /// index of the first body line (after the empty line), or nil as the
    /// body index when the input ended inside the header section.
    ///
    /// `strict` (the mail's own header): every line must be a field or its
    /// continuation, and its bytes UTF-8 (RFC 6532); otherwise `MailError`.
    /// Not strict (a MIME part's header): what cannot be read is decoded
    /// with U+FFFD, and a stray line ends the header section.
    static func parse(_ lines: [Line], firstLine: Int, strict: Bool) throws -> (MailHeaders, body: Int?) {
        var headers = MailHeaders()
        var index = 0
        while index < lines.count {
            let line = lines[index]
            let number = firstLine + index
            if line.bytes.isEmpty { return (headers, index + 1) }
            let first = line.bytes.first!
            if first == 0x20 || first == 0x09 {
                guard !headers.fields.isEmpty else {
                    if strict { throw MailError("expected a header field (Name: value) but the line begins with a blank", line: number) }
                    return (headers, index)
                }
                headers.fields[headers.fields.count - 1].value += try text(line.bytes, field: headers.fields.last!.name,
                                                                           line: number, strict: strict)
            } else {
                guard let colon = line.bytes.firstIndex(of: UInt8(ascii: ":")), colon > line.bytes.startIndex,
                      line.bytes[line.bytes.startIndex..<colon].allSatisfy({ (33...126).contains($0) }) else {
                    if strict {
                        throw MailError(headers.fields.isEmpty
                                        ? "this is not a mail: expected header fields such as \"From: name@example.com\""
                                        : "expected a header field (Name: value) or an empty line before the body", line: number)
                    }
                    return (headers, index)
                }
                let name = String(decoding: line.bytes[line.bytes.startIndex..<colon], as: UTF8.self)
                var value = try text(line.bytes[(colon + 1)...], field: name, line: number, strict: strict)
                value = String(value.drop { $0 == " " || $0 == "\t" })
                headers.fields.append(Field(name: name, value: value, line: number))
            }
            index += 1
        }
        return (headers, nil)
    }

    private static func text(_ bytes: ArraySlice<UInt8>, field: String, line: Int, strict: Bool) throws -> String {
        if let text = String(validating: bytes, as: UTF8.self) { return MailCharset.withoutNUL(text) }
        if strict {
            throw MailError("the \(field) header is not valid UTF-8; expected ASCII with RFC 2047 encoded words (=?charset?Q?...?=) or UTF-8",
                            line: line)
        }
        return MailCharset.withoutNUL(String(decoding: bytes, as: UTF8.self))
    }
}

extension String {
    fileprivate func caseInsensitiveCompare(_ other: String) -> Bool {
        lowercased() == other.lowercased()
    }
}

/// One line of the input without its line break (LF or CRLF).
struct Line {
    var bytes: ArraySlice<UInt8>

    /// Splits `bytes` at LF, dropping a CR before it. `endsWithBreak` tells
    /// whether the last line had its line break (a cut-off input has not).
    static func split(_ bytes: ArraySlice<UInt8>) -> (lines: [Line], endsWithBreak: Bool) {
        var lines: [Line] = []
        var start = bytes.startIndex
        var i = bytes.startIndex
        while i < bytes.endIndex {
            if bytes[i] == 0x0A {
                var end = i
                if end > start, bytes[end - 1] == 0x0D { end -= 1 }
                lines.append(Line(bytes: bytes[start..<end]))
                start = i + 1
            }
            i += 1
        }
        let endsWithBreak = start == bytes.endIndex
        if !endsWithBreak {
            var end = bytes.endIndex
            if end > start, bytes[end - 1] == 0x0D { end -= 1 }
            lines.append(Line(bytes: bytes[start..<end]))
        }
        return (lines, endsWithBreak)
    }

    func hasPrefix(_ prefix: String) -> Bool {
        let p = Array(prefix.utf8)
        return bytes.count >= p.count && bytes.prefix(p.count).elementsEqual(p)
    }
}
