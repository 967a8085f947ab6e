import CRMCore
import Foundation

/// The CSV exports people bring, recognised from the header row, and where
/// each of their columns goes. A column a preset does not know is kept in
/// the notes under its header (`.extra`), never dropped.
///
/// Header lists, checked against public copies where one was found:
/// - Google Contacts, current layout ("First Name", …, "E-mail 1 - Label",
///   "E-mail 1 - Value", "Organization Name", "Labels"): the header list in
///   sohamb117/ContactExtractor add-in/src/taskpane/api/consts.js (which
///   spells "Email 1"; Google's own files say "E-mail 1": both are read).
/// - Google's older layout ("Name", "Given Name", "Family Name",
///   "E-mail 1 - Type", "Organization 1 - Name", "Group Membership"): the
///   layout Google wrote before 2020, as named in issue 11.
/// - Outlook: Microsoft's "Create or edit .csv files to import into Outlook"
///   (support.microsoft.com), as copied in michalbe/csv2vcard README.md.
///   Outlook's "Title" is the name prefix (Mr., Dr.), its job title is "Job Title".
/// - HubSpot: a HubSpot contacts export ("Record ID"/"Contact ID", "First
///   Name", "Last Name", "Email", "Phone Number", "Mobile Phone Number",
///   "Company Name", "Job Title", "Lifecycle Stage", "Contact owner",
///   "Original Source"), seen in public queries of such exports.
/// - Pipedrive: its people export ("Person - Name", "Person - Email - Work",
///   "Person - Phone - Mobile", "Person - Organization", "Person - Labels",
///   "Person - Owner"), as named in issue 11; no public copy was found, so
///   every "Person - Email - X" / "Person - Phone - X" is read with label x.
/// - abook: `abook --convert --outformat csv` writes NO header, five quoted
///   columns name, email (several joined by ","), phone, notes, nick;
///   `--outformat allcsv` writes `#"NAME","EMAIL","ADDRESS",…,"GROUPS"`
///   (abook's filter.c, csv_export_database and allcsv_export_database).
/// - Our own export: `ContactCSVColumns`.
public enum CSVPreset: String, Sendable, CaseIterable {
    case ownExport = "crm export"
    case googleContacts = "Google Contacts"
    case googleLegacy = "Google Contacts (older layout)"
    case outlook = "Outlook"
    case hubspot = "HubSpot"
    case pipedrive = "Pipedrive"
    /// LinkedIn's Connections.csv ("First Name", "Last Name", "URL", "Email
    /// Address", "Company", "Position", "Connected On", below three lines of
    /// notes): read by its names; named so, not after Outlook, whose "Email
    /// Address" it shares (QA 28 #2).
    case linkedin = "LinkedIn connections"
    case abook = "abook (allcsv)"
    /// abook's plain csv: no header row, the first row is a contact.
    case abookHeaderless = "abook (csv, no header)"
    /// No known export, but columns named like our fields ("Name", "Email",
    /// "Phone", "Company", …), one of them a name: read without a mapping.
    case generic = "named columns"

    /// The header as compared: trimmed, abook's leading "#" and stray quotes
    /// gone, lower case, "e-mail" read as "email", single spaces.
    static func key(_ column: String) -> String {
        var text = column.trimmed
        if text.hasPrefix("#") { text.removeFirst() }
        text = text.trimmingCharacters(in: CharacterSet(charactersIn: "\" "))
        text = text.lowercased().replacingOccurrences(of: "e-mail", with: "email")
        return text.split(separator: " ", omittingEmptySubsequences: true).joined(separator: " ")
    }

    /// The preset whose signature columns the header has; nil for a header
    /// of unknown columns (then a mapping is needed).
    /// Whether `header` is a header we read without a mapping (a preset's,
    /// or abook's headerless first row).
    static func recognises(_ header: [String]) -> Bool {
        detect(header: header) != nil || looksLikeHeaderlessAbook(header)
    }

    static func detect(header: [String]) -> CSVPreset? {
        if ContactCSVColumns.isOwnExport(header.map { $0.trimmed }) { return .ownExport }
        let keys = Set(header.map(key))
        if keys.contains(where: { $0.hasPrefix("person - ") }) { return .pipedrive }
        if keys.contains("record id") || keys.contains("contact id") || keys.contains("lifecycle stage")
            || keys.contains("contact owner") || keys.contains("mobile phone number")
            || (keys.contains("email") && keys.contains("phone number")) { return .hubspot }
        if keys.contains("given name") || keys.contains("family name") || keys.contains("group membership")
            || keys.contains("organization 1 - name") { return .googleLegacy }
        if keys.contains("labels") || keys.contains("organization name") || keys.contains("email 1 - value")
            || keys.contains("phone 1 - value") || keys.contains("email 1 - label") { return .googleContacts }
        // Thunderbird's address book ("Primary Email", "Work Phone", "Mobile
        // Number") has Outlook's "Home Phone" but is read by its names.
        if keys.contains("primary email") { return .generic }
        if keys.contains("connected on") && keys.contains("first name") { return .linkedin }
        if keys.contains("email address") || keys.contains("business phone") || keys.contains("mobile phone")
            || keys.contains("home phone") || (keys.contains("job title") && keys.contains("company")) { return .outlook }
        let abookColumns: Set = ["name", "email", "phone", "workphone", "mobilephone", "nick", "groups"]
        if header.contains(where: { $0.trimmed.hasPrefix("#") })
            && keys.intersection(abookColumns).count >= 2 { return .abook }
        // Named columns are enough when one of them names the person: a file
        // of "Vorname,Tel,E-Mail" would otherwise import contacts named by
        // their email addresses, which is better asked about (--map).
        let nameFields: [ContactField] = [.name, .firstName, .lastName]
        if header.contains(where: { CSVPreset.generic.field(for: $0).map(nameFields.contains) ?? false }) { return .generic }
        return nil
    }

    /// What a preset writes for "nothing": Outlook fills an unset birthday
    /// with "0/0/00" and an unset gender with "Unspecified"; kept out of the
    /// notes like an empty cell.
    func isPlaceholder(_ value: String) -> Bool {
        self == .outlook && (value == "0/0/00" || value == "0.0.00" || value == "Unspecified")
    }

    /// abook's plain csv has no header: the first row is taken for one when
    /// it has abook's five columns, no known header name, a name first and
    /// only email addresses (or nothing) second.
    static func looksLikeHeaderlessAbook(_ first: [String]) -> Bool {
        guard first.count == 5, !first[0].trimmed.isEmpty else { return false }
        guard first.allSatisfy({ CSVPreset.generic.field(for: $0) == nil }) else { return false }
        let emails = first[1].split(separator: ",").map { $0.trimmed }
        return emails.allSatisfy { EmailAddress.isValid($0) }
    }

    /// The abook columns in order, for the headerless file's preview.
    static let abookPlainColumns = ["name", "email", "phone", "notes", "nick"]

    /// Where `column` goes in this preset; nil when the preset has no field
    /// for it (the reader then keeps it as an extra, the generic preset
    /// counts it as unrecognised).
    func field(for column: String) -> ContactField? {
        let k = Self.key(column)
        switch self {
        case .ownExport: return Self.own(column.trimmed)
        case .googleContacts, .googleLegacy: return Self.google(k)
        case .outlook: return Self.outlook(k)
        case .hubspot: return Self.hubspot(k)
        case .pipedrive: return Self.pipedrive(k)
        case .abook, .abookHeaderless: return Self.abook(k)
        case .generic, .linkedin: return Self.generic(k)
        }
    }

    private static func own(_ column: String) -> ContactField? {
        switch column {
        case ContactCSVColumns.id: return .externalID
        case ContactCSVColumns.name: return .name
        case ContactCSVColumns.title: return .title
        case ContactCSVColumns.company: return .company
        case ContactCSVColumns.lifecycle: return .lifecycle
        case ContactCSVColumns.owner: return .owner
        case ContactCSVColumns.source: return .source
        case ContactCSVColumns.tags: return .tags
        case ContactCSVColumns.notes: return .notes
        case ContactCSVColumns.createdAt: return .createdAt
        case ContactCSVColumns.updatedAt: return .updatedAt
        default:
            guard let n = ContactCSVColumns.numbered(column) else { return nil }
            switch (n.kind, n.isLabel) {
            case ("email", false): return .emailValue(slot: n.number)
            case ("email", true): return .emailLabel(slot: n.number)
            case ("phone", false): return .phoneValue(slot: n.number)
            default: return .phoneLabel(slot: n.number)
            }
        }
    }

    /// "email 2 - value" → ("email", 2, "value").
    static func numberedPair(_ key: String) -> (kind: String, slot: Int, part: String)? {
        guard let dash = key.range(of: " - ") else { return nil }
        let head = key[..<dash.lowerBound], part = String(key[dash.upperBound...])
        guard let space = head.lastIndex(of: " "), let slot = Int(head[head.index(after: space)...]), slot >= 1 else { return nil }
        return (String(head[..<space]), slot, part)
    }

    private static func google(_ k: String) -> ContactField? {
        switch k {
        case "name": return .name
        case "first name", "given name": return .firstName
        case "middle name", "additional name": return .middleName
        case "last name", "family name": return .lastName
        case "name prefix": return .namePrefix
        case "name suffix": return .nameSuffix
        case "organization name": return .company
        case "organization title": return .title
        case "organization department": return .extra(label: "Department")
        case "notes": return .notes
        case "labels", "group membership": return .tags
        default: break
        }
        guard let pair = numberedPair(k) else { return nil }
        let isLabel = pair.part == "label" || pair.part == "type"
        switch pair.kind {
        case "email": return isLabel ? .emailLabel(slot: pair.slot) : pair.part == "value" ? .emailValue(slot: pair.slot) : nil
        case "phone": return isLabel ? .phoneLabel(slot: pair.slot) : pair.part == "value" ? .phoneValue(slot: pair.slot) : nil
        case "organization" where pair.slot == 1:
            switch pair.part {
            case "name": return .company
            case "title": return .title
            case "department": return .extra(label: "Department")
            default: return nil
            }
        case "address":
            if isLabel { return .extraLabel(kind: "Address", slot: pair.slot) }
            return pair.part == "formatted" ? .extraValue(kind: "Address", slot: pair.slot) : .addressPart(slot: pair.slot)
        default:
            let kind = pair.kind.prefix(1).uppercased() + pair.kind.dropFirst()
            if isLabel { return .extraLabel(kind: kind, slot: pair.slot) }
            return pair.part == "value" ? .extraValue(kind: kind, slot: pair.slot) : nil
        }
    }

    private static func outlook(_ k: String) -> ContactField? {
        switch k {
        case "title": return .namePrefix
        case "first name": return .firstName
        case "middle name": return .middleName
        case "last name": return .lastName
        case "suffix": return .nameSuffix
        case "company": return .company
        case "department": return .extra(label: "Department")
        case "job title": return .title
        case "email address", "email 2 address", "email 3 address": return .email(label: "")
        case "email type", "email 2 type", "email 3 type":
            return .skip(reason: "the mail transport, e.g. SMTP")
        case "email display name", "email 2 display name", "email 3 display name":
            return .skip(reason: "how Outlook shows the address")
        case "categories": return .tags
        case "notes": return .notes
        case "priority", "sensitivity", "private":
            return .skip(reason: "an Outlook flag, \"Normal\" or \"False\" in almost every export")
        default: break
        }
        // Every "… Phone", "… Phone 2" and "… Fax" column is a number.
        var label = k
        if label.hasSuffix(" 2") { label.removeLast(2) }
        if label.hasSuffix(" phone") || label == "callback" || label == "pager" || label == "telex" || label == "isdn" || label == "tty/tdd phone" {
            label = label.hasSuffix(" phone") ? String(label.dropLast(" phone".count)) : label
            switch label {
            case "business": return .phone(label: "work")
            case "primary": return .phone(label: "")
            case "assistant's": return .phone(label: "assistant")
            case "company main": return .phone(label: "company")
            default: return .phone(label: label)
            }
        }
        if label.hasSuffix(" fax") {
            let place = String(label.dropLast(" fax".count))
            return .phone(label: (place == "business" ? "work" : place) + " fax")
        }
        return nil
    }

    private static func hubspot(_ k: String) -> ContactField? {
        switch k {
        case "record id", "contact id": return .externalID
        case "first name": return .firstName
        case "last name": return .lastName
        case "salutation": return .namePrefix
        case "email": return .email(label: "")
        case "additional email addresses": return .email(label: "")
        case "phone number": return .phone(label: "")
        case "mobile phone number": return .phone(label: "mobile")
        case "fax number": return .phone(label: "fax")
        case "company name": return .company
        case "job title": return .title
        case "lifecycle stage": return .lifecycle
        case "original source": return .source
        case "notes", "message": return .notes
        // HubSpot names the owner ("Sara Example"), not a login of ours:
        // kept in the notes so nobody is assigned by a guess.
        default: return nil
        }
    }

    private static func pipedrive(_ k: String) -> ContactField? {
        switch k {
        case "person - id": return .externalID
        case "person - name": return .name
        case "person - first name": return .firstName
        case "person - last name": return .lastName
        case "person - organization": return .company
        case "person - job title", "person - title": return .title
        case "person - labels", "person - label": return .tags
        case "person - notes", "person - note": return .notes
        default: break
        }
        if k.hasPrefix("person - email") {
            return .email(label: ContactLabels.normalize(String(k.dropFirst("person - email".count)).trimmingCharacters(in: CharacterSet(charactersIn: " -"))))
        }
        if k.hasPrefix("person - phone") {
            return .phone(label: ContactLabels.normalize(String(k.dropFirst("person - phone".count)).trimmingCharacters(in: CharacterSet(charactersIn: " -"))))
        }
        return nil   // "Person - Owner" names a person, not a login: kept in the notes
    }

    private static func abook(_ k: String) -> ContactField? {
        switch k {
        case "name": return .name
        case "email": return .email(label: "")
        case "phone": return .phone(label: "home")
        // allcsv's header says WORK and MOBILE (QA 45 IO #7: WORK went to the notes).
        case "workphone", "work": return .phone(label: "work")
        case "mobilephone", "mobile": return .phone(label: "mobile")
        case "fax": return .phone(label: "fax")
        case "notes": return .notes
        case "groups": return .tags
        case "nick": return .extra(label: "Nickname")
        case "url": return .extra(label: "URL")
        default: return nil
        }
    }

    private static func generic(_ k: String) -> ContactField? {
        switch k {
        case "name", "full name", "display name", "contact name", "contact": return .name
        case "first name", "firstname", "first_name", "given name": return .firstName
        case "middle name", "middle_name": return .middleName
        case "last name", "lastname", "last_name", "surname", "family name": return .lastName
        case "title", "job title", "job_title", "position", "role": return .title
        case "company", "company name", "organization", "organisation", "account name": return .company
        case "email", "email address", "mail", "emails", "primary email": return .email(label: "")
        case "work email": return .email(label: "work")
        case "home email", "secondary email", "private email": return .email(label: k == "secondary email" ? "" : "home")
        case "work phone", "business phone", "office phone": return .phone(label: "work")
        case "home phone", "private phone": return .phone(label: "home")
        case "mobile number", "mobile phone", "cell phone", "cell": return .phone(label: "mobile")
        case "fax", "fax number": return .phone(label: "fax")
        case "phone", "phone number", "telephone", "tel", "mobile", "phones": return .phone(label: k == "mobile" ? "mobile" : "")
        case "tags", "labels", "categories", "groups": return .tags
        case "lifecycle", "stage", "status": return .lifecycle
        case "source", "lead source": return .source
        case "notes", "note", "comments", "description": return .notes
        case "owner", "owner login": return .owner
        case "id", "external id", "external_id": return .externalID
        // Our own export's names ("email_1", "phone_2_label", "created_at"):
        // a copy of it with a few columns deleted in a spreadsheet is no
        // longer our export, but its columns still mean what they said.
        default: return own(k)
        }
    }
}
