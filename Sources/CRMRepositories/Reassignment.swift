import Foundation

/// Giving a selection of records (marked in a list or on the board) a new
/// owner, in one transaction, and taking it back.
public struct ReassignItem: Sendable, Hashable {
    public enum Kind: String, Sendable { case contact, deal }
    public let kind: Kind
    public let id: Int64
    public init(_ kind: Kind, _ id: Int64) { self.kind = kind; self.id = id }
}

/// One record a reassignment moved: enough to put it back and to see
/// whether anyone changed it since.
public struct ReassignedRecord: Sendable, Hashable {
    public let item: ReassignItem
    public let name: String
    public let fromOwnerID: Int64?
    /// The version the reassignment wrote.
    public let version: Int64
    public init(item: ReassignItem, name: String, fromOwnerID: Int64?, version: Int64) {
        self.item = item; self.name = name; self.fromOwnerID = fromOwnerID; self.version = version
    }
}

public struct Reassignment: Sendable {
    public let toOwnerID: Int64
    public let toLogin: String
    public let moved: [ReassignedRecord]
    /// Records already owned by the new owner: nothing to write.
    public let unchanged: Int
    public init(toOwnerID: Int64, toLogin: String, moved: [ReassignedRecord], unchanged: Int) {
        self.toOwnerID = toOwnerID; self.toLogin = toLogin; self.moved = moved; self.unchanged = unchanged
    }
}

/// What taking a reassignment back did: the records put back, and those
/// left as they are because someone changed them since (who and what).
public struct ReassignUndo: Sendable {
    public let restored: Int
    public let refused: [(name: String, stale: StaleEdit)]
    public init(restored: Int, refused: [(name: String, stale: StaleEdit)]) { self.restored = restored; self.refused = refused }
}

public protocol ReassignRepository: AnyObject {
    /// Gives every item `ownerID` as its owner, in one transaction, each
    /// audited as a "reassign". Refused whole (nothing written) when the new
    /// owner is unknown or deactivated, a record is gone, or the acting user
    /// is a rep and a record is not theirs (`UserRefusal`).
    func reassign(_ items: [ReassignItem], to ownerID: Int64) throws -> Reassignment
    /// Puts each moved record back to its former owner, in one transaction,
    /// except those changed since the reassignment.
    func undoReassign(_ reassignment: Reassignment) throws -> ReassignUndo
}
