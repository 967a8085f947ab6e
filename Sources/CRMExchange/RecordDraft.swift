import CRMCore
import Foundation

/// One contact being gathered from a CSV row or a vCard, field by field,
/// remembering which column or property each value came from; `finish()`
/// composes the name, checks every value against the schema's rules
/// (`Contact.validate`) and gives the record or the reason it is rejected,
/// naming the line and the column. Nothing is truncated or dropped.
struct RecordDraft {
    private(set) var record: ImportRecord
    private var prefix = "", first = "", middle = "", last = "", suffix = ""
    private var nameOrigin: String?
    private var nameLine: Int?
    private var problem: ImportProblem?

    /// The physical line of the value being added, when it is not the
    /// record's first (a vCard property): a rejection then names that line.
    var currentLine: Int?
    private var originLines: [String: Int] = [:]

    init(line: Int) { record = ImportRecord(line: line) }

    private mutating func note(_ key: String, _ origin: String?) {
        record.origins[key] = origin
        if let currentLine { originLines[key] = currentLine }
    }

    var line: Int { record.line }
    var isEmpty: Bool {
        record.name.isEmpty && prefix.isEmpty && first.isEmpty && middle.isEmpty && last.isEmpty && suffix.isEmpty
            && record.title.isEmpty && record.company.isEmpty && record.emails.isEmpty && record.phones.isEmpty
            && record.tags.isEmpty && record.notes.isEmpty && record.extras.isEmpty && record.externalID == nil
            && record.ownerLogin == nil && record.source.isEmpty && record.lifecycle == nil
    }

    /// Several values in one cell: Google's " ::: ", and for email
    /// addresses also "," and ";" (an address holds neither; abook joins
    /// them with ",", Outlook users with ";").
    static func split(_ value: String, alsoOn extra: [Character] = []) -> [String] {
        if !value.utf8.contains(where: { $0 == UInt8(ascii: ":") || $0 == UInt8(ascii: ",") || $0 == UInt8(ascii: ";") }) {
            let single = value.trimmed
            return single.isEmpty ? [] : [single]
        }
        return value.split(onString: " ::: ")
            .flatMap { part in extra.isEmpty ? [part] : part.split(whereSeparator: { extra.contains($0) }).map(String.init) }
            .map { $0.trimmed }
            .filter { !$0.isEmpty }
    }

    mutating func reject(_ message: String, origin: String?) {
        if problem == nil { problem = ImportProblem(line: record.line, column: origin, message: message) }
    }

    private mutating func setName(_ slot: WritableKeyPath<RecordDraft, String>, _ value: String, origin: String) {
        self[keyPath: slot] = self[keyPath: slot].isEmpty ? value : self[keyPath: slot] + " " + value
        if nameOrigin == nil { nameOrigin = origin; nameLine = currentLine }
    }

    mutating func setFullName(_ value: String, origin: String) {
        if record.name.isEmpty { record.name = value; note("name", origin) }
        else { addExtra(origin, value) }
    }
    mutating func setFirst(_ v: String, origin: String) { setName(\.first, v, origin: origin) }
    mutating func setMiddle(_ v: String, origin: String) { setName(\.middle, v, origin: origin) }
    mutating func setLast(_ v: String, origin: String) { setName(\.last, v, origin: origin) }
    mutating func setPrefix(_ v: String, origin: String) { setName(\.prefix, v, origin: origin) }
    mutating func setSuffix(_ v: String, origin: String) { setName(\.suffix, v, origin: origin) }

    /// A single-valued field: a second value (a second ORG, a second title
    /// column) is kept in the notes rather than lost.
    mutating func set(_ field: WritableKeyPath<ImportRecord, String>, key: String, _ value: String, origin: String) {
        if record[keyPath: field].isEmpty {
            record[keyPath: field] = value
            note(key, origin)
        } else if record[keyPath: field] != value {
            addExtra(origin, value)
        }
    }

    mutating func appendNotes(_ value: String, origin: String) {
        if record.notes.isEmpty { record.notes = value; note("notes", origin) }
        else { record.notes += "\n" + value }
    }

    mutating func addEmail(_ address: String, label: String, origin: String) {
        guard !address.isEmpty else { return }
        record.emails.append(EmailAddress(address, label: label))
        note("email \(record.emails.count)", origin)
    }

    mutating func addPhone(_ number: String, label: String, origin: String) {
        guard !number.isEmpty else { return }
        record.phones.append(PhoneNumber(number, label: label))
        note("phone \(record.phones.count)", origin)
    }

    /// Tags from a cell: split on " ::: ", "," and ";"; Google's system
    /// group "* myContacts" ("* My Contacts" in the older layout; every contact is in it) is not a tag, and the
    /// "* " of its other system groups ("* starred") goes.
    mutating func addTags(_ value: String, origin: String) {
        for raw in Self.split(value, alsoOn: [",", ";"]) {
            var tag = raw
            if tag.hasPrefix("* ") { tag = String(tag.dropFirst(2)).trimmed }
            if tag.lowercased().filter({ $0 != " " }) == "mycontacts" || tag.isEmpty { continue }
            if !record.tags.contains(tag) { record.tags.append(tag) }
        }
        if !record.tags.isEmpty && record.origins["tags"] == nil { note("tags", origin) }
    }

    /// Our lifecycles, and HubSpot's stages read as the nearest of ours; a
    /// stage we have no equivalent for ("other", a custom one) is kept in the
    /// notes and the contact gets the default.
    mutating func setLifecycle(_ value: String, origin: String) {
        let hubspot: [String: Lifecycle] = [
            "subscriber": .lead, "marketingqualifiedlead": .lead, "marketing qualified lead": .lead,
            "salesqualifiedlead": .prospect, "sales qualified lead": .prospect, "opportunity": .prospect,
            "evangelist": .customer,
        ]
        if let stage = hubspot[value.lowercased()] ?? Lifecycle.parse(value) {
            record.lifecycle = stage
            note("lifecycle", origin)
        } else {
            addExtra(origin, value)
        }
    }

    mutating func setOwner(_ login: String, origin: String) {
        if record.ownerLogin == nil { record.ownerLogin = login; note("owner", origin) }
        else { addExtra(origin, login) }
    }

    mutating func setExternalID(_ id: String, origin: String) {
        if record.externalID == nil { record.externalID = id; note("id", origin) }
        else { addExtra(origin, id) }
    }

    mutating func setDate(_ field: WritableKeyPath<ImportRecord, Date?>, key: String, _ value: String, origin: String) {
        guard let date = Self.timestamp(value) else {
            reject("'\(value)' is not a time; expected ISO 8601 like 2026-03-01T09:30:00Z", origin: origin)
            return
        }
        record[keyPath: field] = date
        note(key, origin)
    }

    /// An ISO 8601 time: "2026-03-01T09:30:00Z", with fractional seconds or
    /// an offset, or the basic form "20260301T093000Z" (vCard REV).
    static func timestamp(_ text: String) -> Date? {
        if let date = try? Date(text, strategy: .iso8601) { return date }
        if let date = try? Date(text, strategy: Date.ISO8601FormatStyle(includingFractionalSeconds: true)) { return date }
        let digits = Array(text.filter(\.isNumber))
        guard text.hasSuffix("Z"), digits.count == 14, text.count == 16 else { return nil }
        let extended = "\(String(digits[0..<4]))-\(String(digits[4..<6]))-\(String(digits[6..<8]))T\(String(digits[8..<10])):\(String(digits[10..<12])):\(String(digits[12..<14]))Z"
        return try? Date(extended, strategy: .iso8601)
    }

    mutating func addExtra(_ label: String, _ value: String) {
        guard !value.isEmpty else { return }
        record.extras.append(.init(label, value))
    }

    /// The name from its parts: "given middle family", but family name
    /// first and without a space when both are Chinese, Japanese or Korean
    /// ("王" + "小明" → "王小明"), as those names are written.
    static func compose(prefix: String, first: String, middle: String, last: String, suffix: String) -> String {
        func cjk(_ s: String) -> Bool {
            !s.isEmpty && s.unicodeScalars.allSatisfy { scalar in
                switch scalar.value {
                case 0x3040...0x30FF, 0x3400...0x4DBF, 0x4E00...0x9FFF, 0xAC00...0xD7AF, 0xF900...0xFAFF, 0x20000...0x3FFFF: true
                default: false
                }
            }
        }
        if cjk(first) && cjk(last) && middle.isEmpty { return [prefix, last + first, suffix].filter { !$0.isEmpty }.joined(separator: " ") }
        return [prefix, first, middle, last, suffix].filter { !$0.isEmpty }.joined(separator: " ")
    }

    /// The record, or why it cannot be taken.
    ///
    /// A contact must have a name. When a row has none, the name is the
    /// first email address, else the company, else the first phone number:
    /// what Google Contacts and HubSpot show for a contact without a name,
    /// and unique enough to tell contacts apart (the email before the
    /// company, since several nameless rows of one company would otherwise
    /// all be called the same). A row with none of these is rejected.
    func finish() -> ImportItem {
        if let problem { return .rejected(problem) }
        var record = self.record
        if record.name.isEmpty {
            let composed = Self.compose(prefix: prefix, first: first, middle: middle, last: last, suffix: suffix)
            if !composed.isEmpty {
                record.name = composed
                record.origins["name"] = nameOrigin
            } else if let email = record.emails.first {
                record.name = email.address
                record.origins["name"] = record.origins["email 1"]
            } else if !record.company.isEmpty {
                record.name = record.company
                record.origins["name"] = record.origins["company"]
            } else if let phone = record.phones.first {
                record.name = phone.number
                record.origins["name"] = record.origins["phone 1"]
            }
        } else if prefix + first + middle + last + suffix != "" {
            // A full name and its parts: the name wins; the parts are kept in the
            // note when they say something the name does not (the same words in
            // another order or punctuation, as "Smith, John, Jr." and "John Smith
            // Jr.", add nothing).
            let composed = Self.compose(prefix: prefix, first: first, middle: middle, last: last, suffix: suffix)
            // (Spelled the same, as most exports write them: no keys to fold.)
            // Chinese, Japanese and Korean parts compose without a space,
            // where the name may have one ("高橋 さくら"): the same name.
            func unspaced(_ text: String) -> String { DuplicateKey.name(text.filter { !$0.isWhitespace }) }
            if composed != record.name && DuplicateKey.name(composed) != DuplicateKey.name(record.name)
                && unspaced(composed) != unspaced(record.name) {
                record.extras.append(.init(nameOrigin ?? "Name parts", composed))
            }
        }
        if record.name.isEmpty {
            if isEmpty { return .rejected(ImportProblem(line: record.line, message: "the record is empty; nothing to import")) }
            return .rejected(ImportProblem(line: record.line,
                                           message: "no name: expected a name (or at least an email address, a company or a phone number)"))
        }
        if record.company.count > 200 {
            return .rejected(ImportProblem(line: record.line, column: record.origins["company"],
                                           message: "company is too long: \(record.company.count) characters, at most 200"))
        }
        let contact = Contact(name: record.name, title: record.title, emails: record.emails, phones: record.phones,
                              tags: record.tags, source: record.source, notes: record.notesWithExtras)
        if let error = contact.validate().first {
            var problem = Self.problem(for: error, record: record)
            let key = error.field == "email" ? "email 1" : error.field == "phone" ? "phone 1" : error.field
            if let line = originLines[key] ?? (key == "name" ? nameLine : nil) { problem.line = line }
            return .rejected(problem)
        }
        return .record(record)
    }

    /// A validation error said at the column the value came from.
    static func problem(for error: FieldError, record: ImportRecord) -> ImportProblem {
        let key = error.field == "email" ? "email 1" : error.field == "phone" ? "phone 1" : error.field
        var message = error.message.hasPrefix("is ") ? "\(error.field) \(error.message)" : error.message
        if error.field == "notes" && !record.extras.filter({ !$0.value.isEmpty }).isEmpty {
            message += " (with the values kept in them: \(record.extras.map(\.label).joined(separator: ", ")))"
        }
        return ImportProblem(line: record.line, column: record.origins[key], message: message)
    }
}

extension RecordDraft {
    mutating func setUpdated(_ date: Date, origin: String) {
        record.updatedAt = date
        note("updated_at", origin)
    }
}
