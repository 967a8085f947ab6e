import CoreFoundation
import Foundation

/// Turns the bytes of a header word or a text part into text, by the
/// charset the mail names. Any IANA name Foundation knows works (ISO-8859-*,
/// windows-125x, KOI8-R, Shift_JIS, GB2312, Big5, …); an unknown name, or
/// bytes that are not valid in the named charset, fall back to UTF-8 with
/// U+FFFD for what cannot be read. Never fails, never traps.
public enum MailCharset {
    public static func decode<Bytes: Collection>(_ bytes: Bytes, charset: String?) -> String where Bytes.Element == UInt8 {
        withoutNUL(read(bytes, charset: charset))
    }

    private static func read<Bytes: Collection>(_ bytes: Bytes, charset: String?) -> String where Bytes.Element == UInt8 {
        let name = (charset ?? "").trimmingCharacters(in: CharacterSet(charactersIn: "\"' \t")).lowercased()
        if name.isEmpty || utf8Names.contains(name) { return String(decoding: bytes, as: UTF8.self) }
        if let encoding = encoding(named: name), let text = String(bytes: Array(bytes), encoding: encoding) {
            return text
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// A NUL in a mail is a broken byte, like the ones U+FFFD stands for:
    /// shown as one, so the text after it is logged too (stored, a NUL would
    /// cut the text there, and the records refuse it).
    static func withoutNUL(_ text: String) -> String {
        text.utf8.contains(0) ? text.replacingOccurrences(of: "\u{0}", with: "\u{FFFD}") : text
    }

    /// Names read as UTF-8 directly. US-ASCII too: 8-bit bytes in a mail
    /// that claims ASCII are, in practice, UTF-8 far more often than not.
    static let utf8Names: Set<String> = ["utf-8", "utf8", "us-ascii", "ascii", "ansi_x3.4-1968", "unknown-8bit", "x-unknown"]

    /// The Foundation encoding of an IANA charset name, if it knows one.
    static func encoding(named name: String) -> String.Encoding? {
        // RFC 2231 language suffix: "iso-8859-1*de".
        let bare = name.split(separator: "*", maxSplits: 1).first.map(String.init) ?? name
        guard !bare.isEmpty, bare.utf8.count < 64 else { return nil }
        guard let cfName = CFStringCreateWithCString(nil, bare, CFStringBuiltInEncodings.UTF8.rawValue) else { return nil }
        let cf = CFStringConvertIANACharSetNameToEncoding(cfName)
        guard cf != kCFStringEncodingInvalidId else { return nil }
        return String.Encoding(rawValue: CFStringConvertEncodingToNSStringEncoding(cf))
    }
}
