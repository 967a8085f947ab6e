/// The column names of this program's own contact CSV, in one place: the
/// exporter writes exactly this header and the importer recognises it, so a
/// file we export re-imports without a mapping.
///
///     id,name,title,company,lifecycle,owner,source,tags,notes,created_at,updated_at,
///     email_1,email_1_label,email_2,email_2_label,…,phone_1,phone_1_label,…
///
/// Any number of numbered email and phone pairs follow the fixed columns
/// (as many as the contact with the most needs). Tags are joined by ", "
/// (a tag never holds a comma); `owner` is the owner's login; `lifecycle` is
/// `Lifecycle.rawValue`; times are ISO 8601 in UTC.
public enum ContactCSVColumns {
    public static let id = "id"
    public static let name = "name"
    public static let title = "title"
    public static let company = "company"
    public static let lifecycle = "lifecycle"
    public static let owner = "owner"
    public static let source = "source"
    public static let tags = "tags"
    public static let notes = "notes"
    public static let createdAt = "created_at"
    public static let updatedAt = "updated_at"

    /// The columns every export has, in order, before the numbered pairs.
    public static let fixed = [id, name, title, company, lifecycle, owner, source, tags, notes, createdAt, updatedAt]

    /// What joins several tags in the `tags` cell.
    public static let tagSeparator = ", "

    public static func email(_ n: Int) -> String { "email_\(n)" }
    public static func emailLabel(_ n: Int) -> String { "email_\(n)_label" }
    public static func phone(_ n: Int) -> String { "phone_\(n)" }
    public static func phoneLabel(_ n: Int) -> String { "phone_\(n)_label" }

    /// The whole header for a file whose contacts have at most `emails`
    /// addresses and `phones` numbers.
    public static func header(emails: Int, phones: Int) -> [String] {
        var columns = fixed
        for n in stride(from: 1, through: emails, by: 1) { columns += [email(n), emailLabel(n)] }
        for n in stride(from: 1, through: phones, by: 1) { columns += [phone(n), phoneLabel(n)] }
        return columns
    }

    /// Which numbered pair a column belongs to: ("email", 2, false) for
    /// "email_2", ("phone", 1, true) for "phone_1_label"; nil for any other.
    public static func numbered(_ column: String) -> (kind: String, number: Int, isLabel: Bool)? {
        for kind in ["email", "phone"] where column.hasPrefix(kind + "_") {
            var rest = column.dropFirst(kind.count + 1)
            let isLabel = rest.hasSuffix("_label")
            if isLabel { rest = rest.dropLast("_label".count) }
            guard !rest.isEmpty, rest.allSatisfy(\.isASCII), let n = Int(rest), n >= 1 else { return nil }
            return (kind, n, isLabel)
        }
        return nil
    }

    /// True when `header` is one of our exports: the fixed columns in order,
    /// then only numbered email/phone columns.
    public static func isOwnExport(_ header: [String]) -> Bool {
        guard header.count >= fixed.count, Array(header.prefix(fixed.count)) == fixed else { return false }
        return header.dropFirst(fixed.count).allSatisfy { numbered($0) != nil }
    }
}
