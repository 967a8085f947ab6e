import Foundation

/// What merging one record into another would move: shown before Enter.
public struct MergePreview: Sendable, Equatable {
    public var interactions: Int
    public var deals: Int
    /// Follow-ups still open (done and cancelled ones move too).
    public var openFollowUps: Int
    public var followUps: Int
    /// A company merge: the contacts of the merged company.
    public var contacts: Int
    /// A contact merge: the merged contact's company goes to the survivor,
    /// which has none.
    public var companyLinks: Int

    public init(interactions: Int = 0, deals: Int = 0, openFollowUps: Int = 0, followUps: Int = 0, contacts: Int = 0,
                companyLinks: Int = 0) {
        self.interactions = interactions; self.deals = deals; self.openFollowUps = openFollowUps
        self.followUps = followUps; self.contacts = contacts; self.companyLinks = companyLinks
    }

    public var isEmpty: Bool { self == MergePreview() }

    /// "14 interactions, 2 deals, 3 open follow-ups, 1 company link", or
    /// "nothing else moves".
    public var sentence: String {
        func count(_ n: Int, _ one: String, _ many: String) -> String? { n == 0 ? nil : "\(n) \(n == 1 ? one : many)" }
        let closed = followUps - openFollowUps
        let parts = [
            count(contacts, "contact", "contacts"), count(interactions, "interaction", "interactions"),
            count(deals, "deal", "deals"), count(openFollowUps, "open follow-up", "open follow-ups"),
            count(closed, "closed follow-up", "closed follow-ups"), count(companyLinks, "company link", "company links"),
        ].compactMap { $0 }
        return parts.isEmpty ? "nothing else moves" : parts.joined(separator: ", ")
    }
}

/// A record a merge moved from the merged-away record to the survivor, with
/// the version the move gave it: undo moves it back only when it is still so.
public struct MovedRecord: Hashable, Sendable {
    /// "interaction", "deal", "follow-up", "contact".
    public var entity: String
    public var id: Int64
    public var version: Int64

    public init(entity: String, id: Int64, version: Int64) {
        self.entity = entity; self.id = id; self.version = version
    }
}

/// What a merge did, kept so that undo can take exactly that back.
public struct MergeResult<Record: Sendable>: Sendable {
    /// The survivor as it was before the merge.
    public var survivorBefore: Record
    /// The survivor's version the merge wrote.
    public var survivorVersion: Int64
    /// The merged-away record as it was before, and the version its trip
    /// to the trash gave it.
    public var otherBefore: Record
    public var otherVersion: Int64
    public var moved: [MovedRecord]

    public init(survivorBefore: Record, survivorVersion: Int64, otherBefore: Record, otherVersion: Int64, moved: [MovedRecord]) {
        self.survivorBefore = survivorBefore; self.survivorVersion = survivorVersion
        self.otherBefore = otherBefore; self.otherVersion = otherVersion; self.moved = moved
    }
}
