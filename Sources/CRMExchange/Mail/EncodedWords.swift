import Foundation

/// RFC 2047 encoded words in header text: `=?ISO-8859-1?Q?M=FCller?=`,
/// `=?UTF-8?B?2YXYsdmK2YU=?=`. Blanks between two encoded words are
/// dropped, and adjacent words in the same charset are joined as bytes
/// before decoding, so a character split across two words (as mailers do
/// with long UTF-8 subjects) comes out whole. Anything that is not a
/// well-formed encoded word stays as it was typed.
public enum EncodedWords {
    public static func decode(_ text: String) -> String {
        guard text.contains("=?") else { return text }
        let bytes = Array(text.utf8)
        var pieces: [Piece] = []
        var literalStart = 0
        var i = 0
        while i + 1 < bytes.count {
            guard bytes[i] == UInt8(ascii: "="), bytes[i + 1] == UInt8(ascii: "?"),
                  let (word, end) = encodedWord(bytes, at: i) else {
                i += 1
                continue
            }
            let literal = Array(bytes[literalStart..<i])
            // Only blanks between two encoded words: they are not part of the text.
            let onlyBlanks = literal.allSatisfy { $0 == 0x20 || $0 == 0x09 || $0 == 0x0A || $0 == 0x0D }
            if !(onlyBlanks && pieces.last?.isEncoded == true) && !literal.isEmpty {
                pieces.append(.literal(literal))
            }
            if case .encoded(let charset, let previous) = pieces.last, charset == word.charset {
                pieces[pieces.count - 1] = .encoded(charset, previous + word.bytes)
            } else {
                pieces.append(.encoded(word.charset, word.bytes))
            }
            i = end
            literalStart = end
        }
        if literalStart < bytes.count { pieces.append(.literal(Array(bytes[literalStart...]))) }
        return pieces.map { piece in
            switch piece {
            case .literal(let b): String(decoding: b, as: UTF8.self)
            case .encoded(let charset, let b): MailCharset.decode(b, charset: charset)
            }
        }.joined()
    }

    static let maxWord = 2000

    enum Piece {
        case literal([UInt8])
        case encoded(String, [UInt8])
        var isEncoded: Bool { if case .encoded = self { true } else { false } }
    }

    /// The encoded word starting at `start` (`=?`), decoded to bytes, and
    /// the index after its `?=`; nil when it is not well formed.
    static func encodedWord(_ bytes: [UInt8], at start: Int) -> ((charset: String, bytes: [UInt8]), Int)? {
        var i = start + 2
        let charsetStart = i
        while i < bytes.count, bytes[i] != UInt8(ascii: "?") {
            if bytes[i] <= 0x20 || bytes[i] >= 0x7F { return nil }
            i += 1
        }
        guard i < bytes.count, i > charsetStart, i + 2 < bytes.count, bytes[i + 2] == UInt8(ascii: "?") else { return nil }
        let charset = String(decoding: bytes[charsetStart..<i], as: UTF8.self)
        let encoding = bytes[i + 1] | 0x20
        guard encoding == UInt8(ascii: "b") || encoding == UInt8(ascii: "q") else { return nil }
        i += 3
        let textStart = i
        while i + 1 < bytes.count, !(bytes[i] == UInt8(ascii: "?") && bytes[i + 1] == UInt8(ascii: "=")) {
            // RFC 2047 allows 75 characters a word; far longer is no encoded
            // word (and stopping keeps a crafted header from costing n²).
            if bytes[i] == 0x20 || bytes[i] == 0x09 || bytes[i] == 0x0A || bytes[i] == 0x0D || i - textStart > maxWord { return nil }
            i += 1
        }
        guard i + 1 < bytes.count else { return nil }
        let encoded = Array(bytes[textStart..<i])
        let decoded = encoding == UInt8(ascii: "b") ? TransferDecoding.base64(encoded)
                                                    : TransferDecoding.quotedPrintable(encoded, underscoreIsSpace: true)
        return ((charset, decoded), i + 2)
    }
}
