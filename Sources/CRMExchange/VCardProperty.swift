import Foundation

/// One property of a vCard ("TEL;TYPE=work,voice:+49 30 1234567"), parsed
/// from an unfolded line: group, name, parameters and the value, decoded
/// from quoted-printable and its CHARSET when a 2.1 card says so. Escapes
/// (`\,` `\;` `\n`) are left in `value` for `text`/`components` to undo,
/// since structured values split on unescaped ";" first.
struct VCardProperty {
    var line: Int
    var group: String?
    /// Upper case: "TEL", "X-SKYPE".
    var name: String
    /// Upper-case keys; bare 2.1 parameters (`TEL;CELL;PREF:`) are TYPEs,
    /// bare QUOTED-PRINTABLE/BASE64 an ENCODING.
    var parameters: [(key: String, values: [String])]
    var value: String

    func parameter(_ key: String) -> [String] {
        parameters.filter { $0.key == key }.flatMap(\.values)
    }

    /// The TYPE values as one of our labels: "work", "mobile", "home fax";
    /// PREF, INTERNET, VOICE and the like say nothing a person reads.
    var label: String {
        // "other" says nothing; "x-other" is our own export's label "other"
        // (a label of ours is written as an x- type), read back as it was.
        let ignored: Set = ["pref", "internet", "voice", "x400", "msg", "text", "other", ""]
        // Our own export writes a label of its own as TYPE="x-assistant": read back as "assistant".
        let types = parameter("TYPE").map { ContactLabels.normalize($0) }.filter { !ignored.contains($0) }
            .map { $0.hasPrefix("x-") ? ContactLabels.normalize(String($0.dropFirst(2))) : $0 }.filter { !$0.isEmpty }
        var seen: [String] = []
        for t in types where !seen.contains(t) { seen.append(t) }
        let places = seen.filter { $0 == "home" || $0 == "work" }
        return (places + seen.filter { $0 != "home" && $0 != "work" }).joined(separator: " ")
    }

    var isBinary: Bool {
        let encoding = parameter("ENCODING").map { $0.uppercased() }
        return encoding.contains("B") || encoding.contains("BASE64") || value.lowercased().hasPrefix("data:")
    }

    /// The value as text, escapes undone.
    var text: String { Self.unescape(value[...]) }

    /// A structured value's parts (N, ADR, ORG), split on unescaped ";".
    var components: [String] { Self.split(value, on: ";") }

    static func unescape(_ s: Substring) -> String {
        guard s.contains("\\") else { return String(s) }
        var out = ""
        var escaped = false
        for c in s {
            if escaped {
                switch c {
                case "n", "N": out.append("\n")
                default: out.append(c)
                }
                escaped = false
            } else if c == "\\" {
                escaped = true
            } else {
                out.append(c)
            }
        }
        if escaped { out.append("\\") }
        return out
    }

    static func split(_ s: String, on separator: Character) -> [String] {
        var parts: [String] = []
        var current = Substring()
        var start = s.startIndex
        var i = s.startIndex
        var escaped = false
        while i < s.endIndex {
            let c = s[i]
            if escaped { escaped = false } else if c == "\\" { escaped = true } else if c == separator {
                current = s[start..<i]
                parts.append(unescape(current).trimmed)
                start = s.index(after: i)
            }
            i = s.index(after: i)
        }
        parts.append(unescape(s[start...]).trimmed)
        return parts
    }

    /// Parses an unfolded line; nil when it has no ":" (not a property).
    static func parse(_ line: String, number: Int) -> VCardProperty? {
        var quoted = false
        var colon: String.Index?
        var semicolons: [String.Index] = []
        for i in line.indices {
            let c = line[i]
            if c == "\"" { quoted.toggle() } else if !quoted && c == ";" { semicolons.append(i) } else if !quoted && c == ":" { colon = i; break }
        }
        guard let colon else { return nil }
        let head = line[..<colon]
        var bounds = [head.startIndex] + semicolons.map { line.index(after: $0) }
        bounds.append(line.index(after: colon))
        var pieces: [Substring] = []
        for k in 0..<(bounds.count - 1) {
            let end = k < semicolons.count ? semicolons[k] : colon
            pieces.append(line[bounds[k]..<end])
        }
        var fullName = pieces[0].trimmed
        var group: String?
        if let dot = fullName.lastIndex(of: ".") {
            group = String(fullName[..<dot]); fullName = String(fullName[fullName.index(after: dot)...])
        }
        guard !fullName.isEmpty else { return nil }
        var parameters: [(key: String, values: [String])] = []
        for piece in pieces.dropFirst() where !piece.isEmpty {
            if let eq = piece.firstIndex(of: "=") {
                let key = piece[..<eq].trimmed.uppercased()
                let values = piece[piece.index(after: eq)...].split(separator: ",")
                    .map { $0.trimmingCharacters(in: CharacterSet(charactersIn: "\" ")) }
                parameters.append((key, values))
            } else {
                let bare = piece.trimmed.uppercased()
                let isEncoding = ["QUOTED-PRINTABLE", "BASE64", "B", "8BIT", "7BIT"].contains(bare)
                parameters.append((isEncoding ? "ENCODING" : "TYPE", [bare]))
            }
        }
        var property = VCardProperty(line: number, group: group, name: fullName.uppercased(), parameters: parameters,
                                     value: String(line[line.index(after: colon)...]))
        if property.parameter("ENCODING").contains(where: { $0.uppercased() == "QUOTED-PRINTABLE" }) {
            property.value = decodeQuotedPrintable(property.value, charset: property.parameter("CHARSET").first)
        } else if property.isBinary, !binaryProperties.contains(property.name), !property.value.lowercased().hasPrefix("data:"),
                  let data = Data(base64Encoded: property.value, options: .ignoreUnknownCharacters) {
            // Old phones (2.1 `ENCODING=BASE64`, 3.0 `ENCODING=b`) encode a
            // non-ASCII name or note this way: it is text, read as such.
            property.value = decodeText(Array(data), charset: property.parameter("CHARSET").first)
            property.parameters.removeAll { $0.key == "ENCODING" }
        }
        return property
    }

    /// Quoted-printable ("=C3=BC") to text in the card's CHARSET (UTF-8 when
    /// none; bytes that are not UTF-8 are read as Windows-1252, which old
    /// phones wrote without saying so).
    static func crlfToLF(_ bytes: [UInt8]) -> [UInt8] {
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count)
        for (i, b) in bytes.enumerated() where !(b == 0x0D && i + 1 < bytes.count && bytes[i + 1] == 0x0A) { out.append(b) }
        return out
    }

    static func decodeQuotedPrintable(_ text: String, charset: String?) -> String {
        var bytes: [UInt8] = []
        let utf8 = Array(text.utf8)
        var i = 0
        func hex(_ b: UInt8) -> UInt8? {
            switch b {
            case 0x30...0x39: b - 0x30
            case 0x41...0x46: b - 0x41 + 10
            case 0x61...0x66: b - 0x61 + 10
            default: nil
            }
        }
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "=") {
                if i + 2 < utf8.count, let hi = hex(utf8[i + 1]), let lo = hex(utf8[i + 2]) {
                    bytes.append(hi << 4 | lo); i += 3; continue
                }
                if i == utf8.count - 1 { i += 1; continue }   // a soft break's "=" left at the end
            }
            bytes.append(utf8[i]); i += 1
        }
        return decodeText(bytes, charset: charset)
    }

    /// Properties whose value is data, not text (an encoded one is left as it is).
    static let binaryProperties: Set = ["PHOTO", "LOGO", "SOUND", "KEY"]

    /// Decoded bytes of a value as text in `charset` (see `decodeQuotedPrintable`).
    static func decodeText(_ bytes: [UInt8], charset: String?) -> String {
        var bytes = bytes
        let name = charset?.lowercased() ?? "utf-8"
        // A line break inside a value is "=0D=0A"; we keep line breaks as LF.
        if bytes.contains(0x0D) { bytes = crlfToLF(bytes) }
        // A single-byte charset named; any other (UTF-8 or one we do not
        // read) is taken as UTF-8 when the bytes are, else as Windows-1252.
        let single: TextEncoding? = name.contains("1256") ? .windows1256 : name.contains("8859-1") ? .latin1
            : name.contains("1252") || name.contains("latin") ? .windows1252 : nil
        if single == nil, let s = String(validating: bytes, as: UTF8.self) { return s }
        var out: [UInt8] = []
        TextEncoding.singleByteToUTF8(bytes, encoding: single ?? .windows1252, into: &out)
        return String(decoding: out, as: UTF8.self)
    }
}
