import CRMCore
import Foundation

/// Mail clients' address queries (mutt/neomutt `query_command`, aerc
/// `address-book-cmd`): one line per address of the contacts a search found,
/// best matches first. The search itself is the contact list's; this only
/// orders its results:
///   1. the name is the query (case, accents and Persian/Arabic letter forms aside),
///   2. the name begins with it,
///   3. the address begins with it,
///   4. the rest, in the search's order (by name).
public enum AddressQuery {
    public struct Line: Equatable, Sendable {
        public let email: String
        public let name: String
        public let company: String
        public init(email: String, name: String, company: String) {
            self.email = email; self.name = name; self.company = company
        }
    }

    /// Text as compared here: folded as search folds it, then without case and accents.
    static func comparable(_ text: String) -> String {
        // Most addresses and many names are ASCII: no accents to fold, and
        // Foundation's folding (ICU) is the slow part of a query.
        if text.utf8.allSatisfy({ $0 < 0x80 }) {
            let lower = text.lowercased()
            return lower.contains("  ") || lower.contains("\t") || lower.hasPrefix(" ") || lower.hasSuffix(" ")
                ? lower.split(whereSeparator: \.isWhitespace).joined(separator: " ") : lower
        }
        return SearchFold.fold(text).folding(options: [.caseInsensitive, .diacriticInsensitive, .widthInsensitive], locale: nil)
            .split(whereSeparator: \.isWhitespace).joined(separator: " ")
    }

    /// One contact the search found: its name, company and addresses.
    public struct Found: Sendable {
        public let name: String
        public let company: String?
        /// Its email addresses, in its order.
        public let emails: [String]
        public init(name: String, company: String?, emails: [String]) {
            self.name = name; self.company = company; self.emails = emails
        }
    }

    /// `found`: the contacts in the search's order.
    public static func lines(query: String, found: [Found]) -> [Line] {
        let q = comparable(query)
        var ranked: [(rank: Int, order: Int, line: Line)] = []
        for contact in found {
            let name = comparable(contact.name)
            let nameRank = name == q ? 0 : (name.hasPrefix(q) ? 1 : 3)
            for email in contact.emails where !email.isEmpty {
                let rank = min(nameRank, comparable(email).hasPrefix(q) ? 2 : 3)
                ranked.append((rank, ranked.count, Line(email: email, name: contact.name, company: contact.company ?? "")))
            }
        }
        return ranked.sorted { ($0.rank, $0.order) < ($1.rank, $1.order) }.map(\.line)
    }
}
