/// Trimming and splitting in the standard library: Foundation's
/// `trimmingCharacters(in:)` and `components(separatedBy:)` go through
/// NSString on Linux and cost more than reading the row, which matters when
/// a file has a million of them.
extension StringProtocol {
    /// Without leading and trailing white space (spaces, tabs, line breaks,
    /// no-break spaces: Unicode White_Space).
    var trimmed: String {
        // Most values start and end with a printable ASCII character.
        if let first = utf8.first, let last = utf8.reversed().first, first > 0x20, first < 0x7F, last > 0x20, last < 0x7F {
            return String(self)
        }
        let scalars = unicodeScalars
        guard let first = scalars.firstIndex(where: { !$0.properties.isWhitespace }) else { return "" }
        let last = scalars.lastIndex(where: { !$0.properties.isWhitespace })!
        if first == scalars.startIndex && scalars.index(after: last) == scalars.endIndex { return String(self) }
        return String(self[first..<scalars.index(after: last)])
    }

    /// Split on every occurrence of `separator` (a non-empty ASCII string).
    func split(onString separator: String) -> [String] {
        let bytes = Array(utf8), sep = Array(separator.utf8)
        guard bytes.count >= sep.count, bytes.contains(sep[0]) else { return [String(self)] }
        var parts: [String] = []
        var start = 0, i = 0
        while i + sep.count <= bytes.count {
            if bytes[i] == sep[0] && Array(bytes[i..<(i + sep.count)]) == sep {
                parts.append(String(decoding: bytes[start..<i], as: UTF8.self))
                i += sep.count; start = i
            } else {
                i += 1
            }
        }
        parts.append(String(decoding: bytes[start...], as: UTF8.self))
        return parts
    }
}
