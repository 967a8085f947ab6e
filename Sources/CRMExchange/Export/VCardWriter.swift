import CRMCore
import CRMRepositories
import Foundation

/// Contacts as vCard 4.0 (RFC 6350) or 3.0 (RFC 2426): FN, N, ORG, TITLE,
/// TEL and EMAIL with their TYPE, CATEGORIES, NOTE, UID and REV.
///
/// Text is escaped as both RFCs say (`\\`, `\,`, `\;`, `\n`), and lines
/// longer than 75 octets are folded with CRLF and one space, never inside a
/// UTF-8 sequence (`VCardFolding`). A label with no vCard TYPE of its own (a
/// label the user typed) becomes an x-name TYPE, so it is kept and shown.
public struct VCardWriter: Sendable {
    public enum Version: String, Sendable, CaseIterable {
        case v3 = "3.0"
        case v4 = "4.0"
    }

    public let version: Version
    public init(version: Version = .v4) { self.version = version }

    /// One contact as one vCard, every line CRLF-terminated and folded.
    public func card(_ row: ExportContact) -> String {
        let c = row.contact
        var lines: [String] = ["BEGIN:VCARD", "VERSION:\(version.rawValue)"]
        lines.append("FN:" + Self.escape(c.name))
        let n = PersonName.split(c.name)
        lines.append("N:" + [n.family, n.given, n.additional, n.prefix, n.suffix].map(Self.escape).joined(separator: ";"))
        if let company = row.companyName, !company.isEmpty { lines.append("ORG:" + Self.escape(company)) }
        if !c.title.isEmpty { lines.append("TITLE:" + Self.escape(c.title)) }
        for email in c.emails {
            lines.append(typed("EMAIL", value: email.address, label: email.label, types: Self.emailType))
        }
        for phone in c.phones {
            // ASCII digits: a phone's address book dials "+98 912 …", not
            // "۰۹۱۲ …" (QA 45 FA #6); the number as typed stays in crm.
            lines.append(typed("TEL", value: LocalDigits.ascii(phone.number), label: phone.label, types: Self.phoneType))
        }
        if !c.tags.isEmpty { lines.append("CATEGORIES:" + c.tags.map(Self.escape).joined(separator: ",")) }
        if !c.notes.isEmpty { lines.append("NOTE:" + Self.escape(c.notes)) }
        lines.append("UID:" + Self.uid(c))
        lines.append("REV:" + (version == .v4 ? ExportTime.basic(c.updatedAt) : ExportTime.iso(c.updatedAt)))
        lines.append("END:VCARD")
        return lines.map(VCardFolding.fold).joined()
    }

    /// EMAIL or TEL with the vCard TYPE its label maps to; another label is
    /// written as an x-name TYPE in quotes (`TYPE="x-Büro, 2. Stock"`), which
    /// khard shows as the label and abook still reads the address under.
    ///
    /// A TEL is text in both versions without saying so (RFC 6350 6.4.1: text
    /// by default): abook read no number from `TEL;VALUE=text:…` (QA 45 IO #6).
    /// A label of several kinds ("work fax") is each of them (`TYPE=work,fax`),
    /// and a label in another language that means one of ours ("موبایل",
    /// "Geschäftlich") is that one.
    func typed(_ property: String, value: String, label: String, types: (String) -> String?) -> String {
        let trimmed = label.trimmingCharacters(in: .whitespaces)
        var params = ""
        if let type = Self.type(of: trimmed, types) {
            params += ";TYPE=" + type
        } else if !trimmed.isEmpty {
            // A quoted parameter value may hold anything but a quote and controls.
            let safe = String(String.UnicodeScalarView(trimmed.unicodeScalars.filter {
                $0 != "\"" && !($0.value < 0x20 || (0x7F...0x9F).contains($0.value))
            }))
            params += ";TYPE=\"x-" + safe + "\""
        }
        return property + params + ":" + Self.escapeValue(value)
    }

    static func type(of label: String, _ types: (String) -> String?) -> String? {
        if let type = types(label.lowercased()) ?? types(ContactLabels.normalize(label)) { return type }
        let words = label.lowercased().split(whereSeparator: { $0 == " " || $0 == "," || $0 == "/" }).map(String.init)
        guard words.count > 1 else { return nil }
        var found: [String] = []
        for word in words {
            guard let type = types(word) ?? types(ContactLabels.normalize(word)) else { return nil }
            if !found.contains(type) { found.append(type) }
        }
        return found.joined(separator: ",")
    }

    static func emailType(_ label: String) -> String? {
        switch label {
        case "work", "office", "business", "arbeit", "büro": "work"
        case "home", "private", "personal", "privat": "home"
        default: nil
        }
    }

    static func phoneType(_ label: String) -> String? {
        switch label {
        case "mobile", "cell", "cellphone", "handy", "mobil": "cell"
        case "work", "office", "business", "arbeit", "büro": "work"
        case "home", "private", "privat": "home"
        case "fax": "fax"
        case "pager": "pager"
        default: nil
        }
    }

    /// A text value: backslash, comma, semicolon and line breaks escaped
    /// (RFC 6350 3.4; RFC 2426 4 the same). CRLF and a lone CR count as one break.
    public static func escape(_ text: String) -> String { escape(text, separators: true) }

    /// An address or number: a single value, where only a backslash or a
    /// line break needs escaping (a comma in an address is literal).
    static func escapeValue(_ text: String) -> String { escape(text, separators: false) }

    static func escape(_ text: String, separators: Bool) -> String {
        // Most values need nothing: check the bytes first.
        guard text.utf8.contains(where: { $0 == 0x5C || $0 == 0x0A || $0 == 0x0D || (separators && ($0 == 0x2C || $0 == 0x3B)) }) else {
            return text
        }
        var out = ""
        out.reserveCapacity(text.utf8.count + 8)
        var previousCR = false
        for scalar in text.unicodeScalars {
            defer { previousCR = scalar == "\r" }
            switch scalar {
            case "\\": out += "\\\\"
            case "," where separators: out += "\\,"
            case ";" where separators: out += "\\;"
            case "\r": out += "\\n"
            case "\n": if !previousCR { out += "\\n" }
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    /// The UID the contact was imported with (`Contact.uid`), else a
    /// `urn:uuid:` of a UUID made from the contact's id and creation time:
    /// the same contact gets the same UID on every export (and after a
    /// lossless copy is loaded elsewhere), so address books update the card
    /// instead of adding a second one. Version 8 (RFC 9562, custom), two
    /// FNV-1a-64 hashes over the same text.
    public static func uid(_ contact: Contact) -> String {
        // The UID of the card it was imported from, as the address book knows it.
        // Escaped as text: a line break in it must not start a property.
        if let uid = contact.uid, !uid.isEmpty { return escapeValue(uid) }
        let text = "crm contact \(contact.id) \(contact.createdAt.wholeSecondsSince1970)"
        var high = fnv1a(text, seed: 0xcbf2_9ce4_8422_2325)
        var low = fnv1a(text, seed: 0x8422_2325_cbf2_9ce4)
        high = (high & ~0xF000) | 0x8000                  // version 8
        low = (low & 0x3FFF_FFFF_FFFF_FFFF) | 0x8000_0000_0000_0000  // variant 10
        let h = hex(high, 16), l = hex(low, 16)
        let all = Array(h + l)
        let parts = [all[0..<8], all[8..<12], all[12..<16], all[16..<20], all[20..<32]].map { String($0) }
        return "urn:uuid:" + parts.joined(separator: "-")
    }

    static func fnv1a(_ text: String, seed: UInt64) -> UInt64 {
        var hash = seed
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        return hash
    }

    static func hex(_ n: UInt64, _ width: Int) -> String {
        let s = String(n, radix: 16)
        return String(repeating: "0", count: width - s.count) + s
    }
}

/// Line folding for vCard: a line longer than 75 octets is cut into pieces
/// of at most 75 octets (the first) and 74 plus the leading space (the
/// rest), each followed by CRLF; a cut never falls inside a UTF-8 sequence.
public enum VCardFolding {
    public static let limit = 75

    /// `line` (without its line break) folded and CRLF-terminated.
    public static func fold(_ line: String) -> String {
        guard line.utf8.count > limit else { return line + "\r\n" }
        let bytes = Array(line.utf8)
        var out: [UInt8] = []
        out.reserveCapacity(bytes.count + bytes.count / 70 * 3 + 2)
        var start = 0
        var room = limit
        while start < bytes.count {
            var end = min(start + room, bytes.count)
            // Back off to the first byte of a sequence (never a 10xxxxxx byte).
            while end < bytes.count && end > start && bytes[end] & 0xC0 == 0x80 { end -= 1 }
            if start > 0 { out.append(0x20) }
            out += bytes[start..<end]
            out += [0x0D, 0x0A]
            start = end
            room = limit - 1
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Undoes `fold`: a CRLF (or LF) followed by a space or tab joins the lines.
    public static func unfold(_ text: String) -> String {
        text.replacingOccurrences(of: "\r\n ", with: "").replacingOccurrences(of: "\r\n\t", with: "")
            .replacingOccurrences(of: "\n ", with: "").replacingOccurrences(of: "\n\t", with: "")
    }
}
