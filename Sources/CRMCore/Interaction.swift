import Foundation

public enum InteractionKind: String, CaseIterable, Sendable, Codable {
    case call, email, meeting, note, message
    /// A deal moving between stages, shown in timelines; written by the store.
    case stageChange = "stage"

    public var title: String {
        switch self {
        case .call: "Call"
        case .email: "Email"
        case .meeting: "Meeting"
        case .note: "Note"
        case .message: "Message"
        case .stageChange: "Stage"
        }
    }
}

public enum Direction: String, CaseIterable, Sendable, Codable {
    case inbound = "in", outbound = "out", none = ""

    public var arrow: String {
        switch self {
        case .inbound: "←"
        case .outbound: "→"
        case .none: " "
        }
    }
}

/// Something that happened with a customer: a call, an email, a note...
public struct Interaction: Hashable, Sendable, Identifiable {
    public var id: Int64
    public var contactID: Int64?
    public var companyID: Int64?
    public var dealID: Int64?
    public var kind: InteractionKind
    public var direction: Direction
    public var occurredAt: Date
    public var durationSeconds: Int?
    public var outcome: String
    public var subject: String
    public var body: String
    public var authorID: Int64?
    public var createdAt: Date
    public var deletedAt: Date?
    public var version: Int64

    public init(id: Int64 = 0, contactID: Int64? = nil, companyID: Int64? = nil, dealID: Int64? = nil,
                kind: InteractionKind, direction: Direction = .none, occurredAt: Date = Date(),
                durationSeconds: Int? = nil, outcome: String = "", subject: String = "", body: String = "",
                authorID: Int64? = nil, createdAt: Date = Date(), deletedAt: Date? = nil, version: Int64 = 0) {
        self.id = id; self.contactID = contactID; self.companyID = companyID; self.dealID = dealID
        self.kind = kind; self.direction = direction; self.occurredAt = occurredAt
        self.durationSeconds = durationSeconds; self.outcome = outcome; self.subject = subject; self.body = body
        self.authorID = authorID; self.createdAt = createdAt; self.deletedAt = deletedAt; self.version = version
    }

    /// The first non-empty line of the body: what a timeline row shows.
    public var firstLine: String {
        body.split(whereSeparator: \.isNewline).first.map(String.init) ?? ""
    }

    /// The longest call or meeting that can be logged: a day. Longer is a
    /// typing slip (or a call timer left running) rather than a conversation.
    public static let maxDurationSeconds = 24 * 3600

    public func validate() -> [FieldError] {
        var errors: [FieldError] = []
        if contactID == nil && companyID == nil && dealID == nil {
            errors.append(FieldError("contact", "is required: an interaction belongs to a contact, company or deal"))
        }
        Check.length(subject, "subject", max: 500, into: &errors)
        Check.length(outcome, "outcome", max: 500, into: &errors)
        Check.length(body, "body", max: 1_000_000, into: &errors)
        if let d = durationSeconds, !(0...Self.maxDurationSeconds).contains(d) {
            errors.append(FieldError("duration", "is \(d) seconds; expected 0 to \(Self.maxDurationSeconds) (24 hours)"))
        }
        if kind == .note && body.trimmingCharacters(in: .whitespacesAndNewlines).isEmpty && subject.isEmpty {
            errors.append(FieldError("body", "is empty; a note needs some text"))
        }
        return errors
    }
}
