/// The fields of one listing, in order, each with what it holds: the CSV
/// header, the JSON keys, and the text `crm help` prints (the man page is
/// made from it), from one table so they cannot drift apart.
public struct ListingSchema: Sendable {
    public let fields: [(name: String, meaning: String)]

    public var names: [String] { fields.map(\.name) }

    /// "  name          meaning" lines, the meaning wrapped at `width` columns.
    public func help(indent: Int = 2, width: Int = 88) -> String {
        let nameWidth = (fields.map(\.name.count).max() ?? 0) + 2
        let pad = String(repeating: " ", count: indent)
        var lines: [String] = []
        for field in fields {
            var line = pad + field.name + String(repeating: " ", count: nameWidth - field.name.count)
            let start = line.count
            for word in field.meaning.split(separator: " ") {
                if line.count + word.count + 1 > width, line.count > start {
                    lines.append(line)
                    line = String(repeating: " ", count: start)
                }
                line += (line.count > start ? " " : "") + word
            }
            lines.append(line)
        }
        return lines.joined(separator: "\n")
    }

    static let times = "an ISO 8601 time with offset, null if none"

    public static let contacts = ListingSchema(fields: [
        ("id", "the contact's id"),
        ("name", "the name as typed"),
        ("title", "job title (empty if none)"),
        ("company_id", "the company's id, null if none"),
        ("company", "the company's name, null if none"),
        ("emails", "array of {address, label}, in the contact's order; CSV: the addresses joined by \", \""),
        ("phones", "array of {number, label}, numbers as typed; CSV: the numbers joined by \", \""),
        ("tags", "array of tag names, A to Z; CSV: joined by \", \""),
        ("owner", "the owner's login, null if none"),
        ("owner_id", "the owner's user id, null if none"),
        ("lifecycle", "lead, prospect, customer or former"),
        ("source", "where the contact came from (empty if unknown)"),
        ("notes", "the notes, line breaks kept"),
        ("last_interaction", "the last call, email, meeting, note or message: \(times)"),
        ("created_at", "when the contact was added: \(times)"),
        ("updated_at", "when it was last changed: \(times)"),
        ("version", "the edit count (rises with every change)"),
    ])

    public static let companies = ListingSchema(fields: [
        ("id", "the company's id"),
        ("name", "the name as typed"),
        ("domain", "web domain (empty if none)"),
        ("phone", "phone number as typed (empty if none)"),
        ("address", "postal address, line breaks kept"),
        ("notes", "the notes, line breaks kept"),
        ("owner", "the owner's login, null if none"),
        ("owner_id", "the owner's user id, null if none"),
        ("contact_count", "how many (not deleted) contacts work there"),
        ("created_at", "when it was added: \(times)"),
        ("updated_at", "when it was last changed: \(times)"),
        ("version", "the edit count"),
    ])

    public static let deals = ListingSchema(fields: [
        ("id", "the deal's id"),
        ("title", "the title as typed"),
        ("pipeline_id", "its pipeline's id"),
        ("pipeline", "its pipeline's name"),
        ("stage_id", "its stage's id (a won or lost deal keeps the stage it was closed in)"),
        ("stage", "its stage's name"),
        ("probability", "the stage's win probability in percent"),
        ("status", "open, won or lost"),
        ("value", "the amount in major units as a decimal string, never grouped (\"12500.00\"); null if the stored value is not a whole number of minor units"),
        ("currency", "ISO 4217 code as stored (EUR)"),
        ("value_minor", "the amount in minor units, an integer (1250000 for 12500.00 EUR)"),
        ("expected_close", "expected close date: \(times)"),
        ("contact_id", "the contact's id, null if none"),
        ("contact", "the contact's name, null if none"),
        ("company_id", "the company's id, null if none"),
        ("company", "the company's name, null if none"),
        ("owner", "the owner's login, null if none"),
        ("owner_id", "the owner's user id, null if none"),
        ("lost_reason", "why it was lost (empty unless lost)"),
        ("stage_entered_at", "when it entered its stage: \(times)"),
        ("last_interaction", "the last interaction logged on the deal: \(times)"),
        ("created_at", "when it was added: \(times)"),
        ("updated_at", "when it was last changed: \(times)"),
        ("closed_at", "when it was won or lost: \(times)"),
        ("version", "the edit count"),
    ])

    public static let timeline = ListingSchema(fields: [
        ("id", "the interaction's id"),
        ("type", "call, email, meeting, note, message, or stage (a deal moved)"),
        ("direction", "in, out, or null"),
        ("occurred_at", "when it happened: \(times)"),
        ("duration_seconds", "length of a call or meeting in seconds, null if not logged"),
        ("subject", "the subject (empty if none)"),
        ("body", "the text, line breaks kept"),
        ("outcome", "the outcome (empty if none)"),
        ("contact_id", "the contact's id, null if none"),
        ("contact", "the contact's name, null if none"),
        ("company_id", "the company's id, null if none"),
        ("company", "the company's name, null if none"),
        ("deal_id", "the deal's id, null if none"),
        ("deal", "the deal's title, null if none"),
        ("author", "login of who logged it, null if unknown"),
        ("author_id", "their user id, null if unknown"),
        ("created_at", "when it was logged: \(times)"),
    ])

    /// A follow-up inside `crm show`.
    public static let followUp = ListingSchema(fields: [
        ("id", "the follow-up's id"),
        ("title", "what is to be done"),
        ("note", "the note"),
        ("due", "when it is due: \(times)"),
        ("assignee", "login of whom it is assigned to, null if nobody"),
        ("assignee_id", "their user id, null if nobody"),
        ("contact_id", "the contact's id, null if none"),
        ("contact", "the contact's name, null if none"),
        ("deal_id", "the deal's id, null if none"),
        ("deal", "the deal's title, null if none"),
    ])
}
