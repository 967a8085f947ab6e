import CRMCore
import Foundation

/// How the contact list is ordered. Every order breaks ties by id, so a
/// keyset page never skips or repeats a row. Every engine sorts the same way.
public enum ContactSort: String, CaseIterable, Sendable {
    /// A → Z by name, letter by letter in the alphabet of each name's script
    /// (`NameSortKey`, stored per row and indexed):
    /// - Latin without case and accents: German ä beside a, ö beside o,
    ///   ü beside u, ß as ss ("Schäfer" before "Schröder");
    /// - Persian in its alphabet, ا ب پ ت ث ج چ ح خ د ذ ر ز ژ س ش ص ض ط ظ ع غ ف ق
    ///   ک گ ل م ن و ه ی, Arabic ي ك as ی ک, harakat and joiners ignored;
    /// - Cyrillic in its alphabet (ё with е);
    /// - across scripts: punctuation, digits, Latin, then the other scripts
    ///   by code point (Greek, Cyrillic, Persian/Arabic, …, CJK).
    /// Names with the same letters are ordered by case and accents (code
    /// points of the name as stored: "Muller" < "Müller"), then by id.
    /// A file read at a schema older than 11 sorts as before: ASCII letters
    /// without case, every other character by code point.
    case name
    /// Most recently contacted first; never contacted last.
    case lastInteraction
    /// Newest first.
    case created
}

/// Which contacts a list shows. Nil fields do not filter; empty `text` does
/// not either.
public struct ContactFilter: Hashable, Sendable {
    public var ownerID: Int64?
    public var tag: String?
    public var lifecycle: Lifecycle?
    public var companyID: Int64?
    /// The stored value tier (A, B, C) of customers with won value.
    public var tier: ValueTier?
    /// Search text, as typed: name, company, email, title, source, notes and
    /// tags by word prefix, and a run of digits anywhere in a phone number.
    /// A search is a filter like the others, so its results page and count
    /// exactly as the whole list does, best matches first: the ranks of
    /// `ContactMatch.Rank` one after the other, each in the list's sort
    /// order. Text without letters or digits matches nothing
    /// (`SearchText.hasTerms`).
    public var text: String

    public init(ownerID: Int64? = nil, tag: String? = nil, lifecycle: Lifecycle? = nil, companyID: Int64? = nil,
                tier: ValueTier? = nil, text: String = "") {
        self.ownerID = ownerID; self.tag = tag; self.lifecycle = lifecycle; self.companyID = companyID; self.tier = tier
        self.text = text
    }

    public var isEmpty: Bool { ownerID == nil && tag == nil && lifecycle == nil && companyID == nil && tier == nil && text.isEmpty }
}

/// Where a keyset page starts: the row before it, as the list's sort sees it.
/// Paging by key (not OFFSET) costs the same at row 50,000 as at row 50.
/// Opaque to the screens: they get a cursor from a row (`ContactSummary.cursor(for:)`)
/// and hand it back; only an engine reads what is inside.
public struct ContactCursor: Hashable, Sendable {
    /// The sort key of the row: its name's `NameSortKey` for `.name` (what
    /// `contacts.sort_key` holds), whole seconds since 1970 for the time sorts.
    package enum Key: Hashable, Sendable {
        case text(String)
        case seconds(Int64)
    }

    package let key: Key
    package let id: Int64
    /// The row's `ContactMatch.Rank` in a search (0 outside one): a search
    /// lists its ranks one after the other, each in the sort's order.
    package let rank: Int
    package init(key: Key, id: Int64, rank: Int = 0) { self.key = key; self.id = id; self.rank = rank }
}

/// One row of the contact list: just what the list draws.
public struct ContactSummary: Hashable, Sendable, Identifiable {
    public var id: Int64
    public var name: String
    public var companyID: Int64?
    public var companyName: String?
    public var email: String?
    public var phone: String?
    public var ownerLogin: String?
    public var lifecycle: Lifecycle
    public var lastInteractionAt: Date?
    public var createdAt: Date
    public var version: Int64
    /// The phone number, as typed, that a digit search matched (nil without
    /// one): the list shows it instead of the first number.
    public var matchedPhone: String?
    /// In a search: the row's rank and the field that matched (nil outside a search).
    public var match: ContactMatch?

    public init(id: Int64, name: String, companyID: Int64? = nil, companyName: String? = nil, email: String? = nil,
                phone: String? = nil, ownerLogin: String? = nil, lifecycle: Lifecycle = .lead,
                lastInteractionAt: Date? = nil, createdAt: Date = Date(), version: Int64 = 1,
                matchedPhone: String? = nil, match: ContactMatch? = nil) {
        self.matchedPhone = matchedPhone
        self.match = match
        self.id = id; self.name = name; self.companyID = companyID; self.companyName = companyName
        self.email = email; self.phone = phone; self.ownerLogin = ownerLogin; self.lifecycle = lifecycle
        self.lastInteractionAt = lastInteractionAt; self.createdAt = createdAt; self.version = version
    }

    /// The cursor that continues a listing after this row.
    public func cursor(for sort: ContactSort) -> ContactCursor {
        let rank = match?.rank.rawValue ?? 0
        switch sort {
        case .name: return ContactCursor(key: .text(NameSortKey.of(name)), id: id, rank: rank)
        case .lastInteraction: return ContactCursor(key: .seconds(lastInteractionAt.map(\.wholeSecondsSince1970) ?? 0), id: id, rank: rank)
        case .created: return ContactCursor(key: .seconds(createdAt.wholeSecondsSince1970), id: id, rank: rank)
        }
    }

    /// The number the list shows: the one a search matched, else the first.
    public var shownPhone: String? { matchedPhone ?? phone }
}

/// A count that may stop early: exactly `value` rows, or (`isExact` false)
/// more than `value`, when counting them all would cost more than the
/// number is worth (a one-letter search of a large list).
public struct ListCount: Hashable, Sendable {
    public var value: Int
    public var isExact: Bool

    public init(_ value: Int, isExact: Bool = true) {
        self.value = value
        self.isExact = isExact
    }
}

/// Paging direction from a cursor.
public enum PageDirection: Sendable {
    case forward, backward
}
