import CRMCore
import CRMRepositories

extension PipelineViewModel {
    /// `f`: a follow-up on the focused deal (and its contact), through the
    /// same form as everywhere else.
    func newFollowUp() {
        guard let card = focusedCard else { return }
        context.present(.form(FollowUpForm.make(context: context, contactID: card.deal.contactID, dealID: card.id,
                                                about: card.deal.title) { [unowned self] _ in
            afterWrite(dealID: card.id)
        }))
    }
}
