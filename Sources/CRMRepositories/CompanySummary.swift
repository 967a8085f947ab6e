import Foundation

/// One row of the company list.
public struct CompanySummary: Hashable, Sendable, Identifiable {
    public var id: Int64
    public var name: String
    public var domain: String
    public var contactCount: Int
    public var ownerLogin: String?
    public var version: Int64

    public init(id: Int64, name: String, domain: String, contactCount: Int, ownerLogin: String? = nil, version: Int64) {
        self.id = id
        self.name = name
        self.domain = domain
        self.contactCount = contactCount
        self.ownerLogin = ownerLogin
        self.version = version
    }
}
