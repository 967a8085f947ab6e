import CRMCore
import CRMRepositories
import Foundation

/// Call, note and follow-up for a contact picked in a view other than the
/// contacts workspace (today's agenda, the global timeline): the same card and
/// forms the workspace uses, started from a contact id.
enum ContactShortcuts {
    static func detail(_ contactID: Int64, context: AppContext) throws -> ContactDetail? {
        let repos = context.repositories
        guard let contact = try repos.contactRepository.get(contactID), contact.deletedAt == nil else { return nil }
        let summary = try repos.contactRepository.summary(contactID)
        return ContactDetail(contact: contact, companyName: summary?.companyName, ownerLogin: summary?.ownerLogin,
                             deals: try repos.dealRepository.deals(contactID: contactID),
                             followUps: try repos.followUpRepository.open(contactID: contactID),
                             valueTier: try repos.customerReportRepository.valueTier(contactID: contactID))
    }

    static func call(_ contactID: Int64, dealID: Int64? = nil, direction: Direction = .outbound, startedAt: Date? = nil,
                     context: AppContext, followUp: FollowUpRow? = nil, onLogged: @escaping () -> Void) {
        do {
            guard let detail = try detail(contactID, context: context) else {
                context.status("That contact is no longer there", .warning)
                return
            }
            let call = CallModel(context: context, detail: detail, dealID: dealID ?? followUp?.followUp.dealID, startedAt: startedAt,
                                 direction: direction, onLogged: onLogged)
            call.fromFollowUp = followUp
            context.present(.call(call))
        } catch {
            context.report(error)
        }
    }

    static func note(_ contactID: Int64, name: String, context: AppContext, onLogged: @escaping () -> Void) {
        context.present(.form(InteractionForm.log(context: context, contactID: contactID, about: name) { _ in onLogged() }))
    }
}
