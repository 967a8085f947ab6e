import CRMCore
import Foundation

/// How the contact list is ordered.
public enum ContactSort: String, CaseIterable, Sendable {
    /// A → Z
    case name
    /// Most recently contacted first.
    case lastInteraction
    /// Newest first.
    case created
}

/// Which contacts a list shows. Nil fields do not filter.
public struct ContactFilter: Hashable, Sendable {
    public var ownerID: Int64?
    public var tag: String?
    public var lifecycle: Lifecycle?
    public var companyID: Int64?

    public init(ownerID: Int64? = nil, tag: String? = nil, lifecycle: Lifecycle? = nil, companyID: Int64? = nil) {
        self.ownerID = ownerID; self.tag = tag; self.lifecycle = lifecycle; self.companyID = companyID
    }

    public var isEmpty: Bool { ownerID == nil && tag == nil && lifecycle == nil && companyID == nil }
}

/// Where a keyset page starts: the sort key and id of the row before it.
/// Paging by key (not OFFSET) costs the same at row 50,000 as at row 50.
public struct ContactCursor: Hashable, Sendable {
    public var sortKey: SQLValue
    public var id: Int64
    public init(sortKey: SQLValue, id: Int64) { self.sortKey = sortKey; self.id = id }
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

    public init(id: Int64, name: String, companyID: Int64? = nil, companyName: String? = nil, email: String? = nil,
                phone: String? = nil, ownerLogin: String? = nil, lifecycle: Lifecycle = .lead,
                lastInteractionAt: Date? = nil, createdAt: Date = Date(), version: Int64 = 1) {
        self.id = id; self.name = name; self.companyID = companyID; self.companyName = companyName
        self.email = email; self.phone = phone; self.ownerLogin = ownerLogin; self.lifecycle = lifecycle
        self.lastInteractionAt = lastInteractionAt; self.createdAt = createdAt; self.version = version
    }

    /// The cursor that continues a listing after this row.
    public func cursor(for sort: ContactSort) -> ContactCursor {
        switch sort {
        case .name: ContactCursor(sortKey: .text(name), id: id)
        case .lastInteraction: ContactCursor(sortKey: .integer(lastInteractionAt.map { Int64($0.timeIntervalSince1970) } ?? 0), id: id)
        case .created: ContactCursor(sortKey: .integer(Int64(createdAt.timeIntervalSince1970)), id: id)
        }
    }
}

/// Paging direction from a cursor.
public enum PageDirection: Sendable {
    case forward, backward
}
