import Foundation

/// What a record about to be saved (typed in a form, read from an import
/// file) looks like, for `ContactRepository.possibleDuplicates(of:limit:)`.
public struct DuplicateProbe: Sendable, Equatable {
    public var name: String
    /// The company the contact belongs to; or, when it is not in the
    /// database yet (an import), its name: contacts of a company whose name
    /// folds the same count as "at the same company".
    public var companyID: Int64?
    public var companyName: String?
    public var emails: [String]
    public var phones: [String]
    /// The contact being edited, which is no duplicate of itself.
    public var excludingContactID: Int64?

    public init(name: String, companyID: Int64? = nil, companyName: String? = nil, emails: [String] = [],
                phones: [String] = [], excludingContactID: Int64? = nil) {
        self.name = name
        self.companyID = companyID
        self.companyName = companyName
        self.emails = emails
        self.phones = phones
        self.excludingContactID = excludingContactID
    }
}

/// How strongly two records look like one: an address is personal, a phone
/// may be a switchboard, a name may be a namesake. Compares strongest last.
public enum DuplicateStrength: Int, Sendable, Comparable, Codable {
    case name = 1
    case phone = 2
    case email = 3

    public static func < (a: Self, b: Self) -> Bool { a.rawValue < b.rawValue }
}

/// Why two records look like one.
public enum DuplicateReason: Sendable, Hashable {
    /// Both have this email address (compared ignoring ASCII case).
    case sameEmail(String)
    /// Both have this phone number (compared on its international form or
    /// digits); the number as the existing record has it.
    case samePhone(String)
    /// The names fold to the same (case, diacritics, Persian/Arabic letter
    /// forms, word order); for contacts, at this same company.
    case similarName(company: String?)
    /// Two companies with the same web domain.
    case sameDomain(String)

    public var strength: DuplicateStrength {
        switch self {
        case .sameEmail, .sameDomain: .email
        case .samePhone: .phone
        case .similarName: .name
        }
    }

    /// Short, for a list: "same email", "same phone", "similar name", "same domain".
    public var label: String {
        switch self {
        case .sameEmail: "same email"
        case .samePhone: "same phone"
        case .similarName: "similar name"
        case .sameDomain: "same domain"
        }
    }

    /// With what matched: "same email guenter@granite.de".
    public var detail: String {
        switch self {
        case .sameEmail(let address): "same email \(address)"
        case .samePhone(let number): "same phone \(number)"
        case .similarName(let company?): "similar name at \(company)"
        case .similarName(nil): "similar name"
        case .sameDomain(let domain): "same domain \(domain)"
        }
    }

    /// The reasons strongest first, each kind once with its details in order.
    public static func ordered(_ reasons: [DuplicateReason]) -> [DuplicateReason] {
        var seen = Set<DuplicateReason>()
        return reasons.filter { seen.insert($0).inserted }
            .enumerated().sorted { ($0.element.strength, -$0.offset) > ($1.element.strength, -$1.offset) }.map(\.element)
    }
}

/// An existing contact a probe may duplicate.
public struct DuplicateMatch: Sendable, Equatable, Identifiable {
    public var id: Int64
    public var name: String
    public var companyName: String?
    /// Strongest first.
    public var reasons: [DuplicateReason]
    public var strength: DuplicateStrength { reasons.first?.strength ?? .name }

    public init(id: Int64, name: String, companyName: String?, reasons: [DuplicateReason]) {
        self.id = id
        self.name = name
        self.companyName = companyName
        self.reasons = DuplicateReason.ordered(reasons)
    }

    /// "Günter Müller · Granite Bau (same email)".
    public var sentence: String {
        let who = companyName.map { "\(name) · \($0)" } ?? name
        return "\(who) (\(reasons.map(\.label).joined(separator: ", ")))"
    }
}

/// One side of a duplicate pair in the list.
public struct DuplicateRecord: Sendable, Equatable {
    public var id: Int64
    public var name: String
    /// A contact's company; a company's domain.
    public var context: String?
    public var updatedAt: Date

    public init(id: Int64, name: String, context: String?, updatedAt: Date) {
        self.id = id
        self.name = name
        self.context = context
        self.updatedAt = updatedAt
    }
}

/// Where a page of the duplicates list ends: the reason tier, the key of the
/// group (an address, a number, a name key; `subKey` the company of a name
/// group), and the second record of the last pair in that group.
public struct DuplicateCursor: Sendable, Hashable {
    public var strength: DuplicateStrength
    public var key: String
    public var subKey: Int64
    public var secondID: Int64

    public init(strength: DuplicateStrength, key: String, subKey: Int64, secondID: Int64) {
        self.strength = strength
        self.key = key
        self.subKey = subKey
        self.secondID = secondID
    }
}

/// Two records (contacts or companies) that look like one. `first` is the
/// older record (the lower id) of the group the pair was found in.
public struct DuplicatePair: Sendable, Equatable, Identifiable {
    public var first: DuplicateRecord
    public var second: DuplicateRecord
    /// Every reason the two share, strongest first.
    public var reasons: [DuplicateReason]
    /// This pair's place: pass it as `after` for the next page.
    public var cursor: DuplicateCursor
    public var strength: DuplicateStrength { reasons.first?.strength ?? cursor.strength }
    public var id: String { "\(first.id)-\(second.id)" }

    public init(first: DuplicateRecord, second: DuplicateRecord, reasons: [DuplicateReason], cursor: DuplicateCursor) {
        self.first = first
        self.second = second
        self.reasons = DuplicateReason.ordered(reasons)
        self.cursor = cursor
    }
}
