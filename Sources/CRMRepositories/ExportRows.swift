import CRMCore
import Foundation

// The rows `crm export` writes: each record with the names a person reads in
// a spreadsheet (company, owner login, stage) resolved by the engine, so a
// writer in CRMExchange never asks the database anything.

/// A contact with its company's name and its owner's login.
public struct ExportContact: Hashable, Sendable {
    public var contact: Contact
    public var companyName: String?
    public var ownerLogin: String?

    public init(contact: Contact, companyName: String? = nil, ownerLogin: String? = nil) {
        self.contact = contact; self.companyName = companyName; self.ownerLogin = ownerLogin
    }
}

public struct ExportCompany: Hashable, Sendable {
    public var company: Company
    public var ownerLogin: String?

    public init(company: Company, ownerLogin: String? = nil) {
        self.company = company; self.ownerLogin = ownerLogin
    }
}

/// A deal with its pipeline's and stage's names and the stage's probability.
public struct ExportDeal: Hashable, Sendable {
    public var deal: Deal
    public var pipelineName: String
    public var stageName: String
    public var probability: Int
    public var ownerLogin: String?
    public var contactName: String?
    public var companyName: String?

    public init(deal: Deal, pipelineName: String, stageName: String, probability: Int, ownerLogin: String? = nil,
                contactName: String? = nil, companyName: String? = nil) {
        self.deal = deal; self.pipelineName = pipelineName; self.stageName = stageName; self.probability = probability
        self.ownerLogin = ownerLogin; self.contactName = contactName; self.companyName = companyName
    }
}

public struct ExportInteraction: Hashable, Sendable {
    public var interaction: Interaction
    public var authorLogin: String?
    public var contactName: String?
    public var companyName: String?
    public var dealTitle: String?

    public init(interaction: Interaction, authorLogin: String? = nil, contactName: String? = nil,
                companyName: String? = nil, dealTitle: String? = nil) {
        self.interaction = interaction; self.authorLogin = authorLogin; self.contactName = contactName
        self.companyName = companyName; self.dealTitle = dealTitle
    }
}

public struct ExportFollowUp: Hashable, Sendable {
    public var followUp: FollowUp
    public var assigneeLogin: String?
    public var createdByLogin: String?
    public var contactName: String?
    public var dealTitle: String?
    public var updatedAt: Date

    public init(followUp: FollowUp, assigneeLogin: String? = nil, createdByLogin: String? = nil,
                contactName: String? = nil, dealTitle: String? = nil, updatedAt: Date) {
        self.followUp = followUp; self.assigneeLogin = assigneeLogin; self.createdByLogin = createdByLogin
        self.contactName = contactName; self.dealTitle = dealTitle; self.updatedAt = updatedAt
    }
}

/// The most emails and phones any one contact has: how many numbered
/// `email_N`/`phone_N` columns a CSV export needs.
public struct ContactFieldCounts: Hashable, Sendable {
    public var emails: Int
    public var phones: Int
    public init(emails: Int, phones: Int) { self.emails = emails; self.phones = phones }
}
