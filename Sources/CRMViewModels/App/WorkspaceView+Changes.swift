import CRMRepositories

// What each view reads, so that a colleague's change reloads only the panes
// that show it. A new interaction with a contact also changes the contact
// (its last-contact time, which lists show and sort by), so it reaches the
// contacts list through `.contacts`.

extension ContactsViewModel {
    /// The list: contacts (or companies, with their number of contacts),
    /// their company and owner.
    static let listReads: ChangeSet = [.contacts, .companies, .users]
    /// The details and the timeline of the selected record: the record, its
    /// deals (and their stages), open follow-ups and interactions.
    static let detailReads: ChangeSet = [.contacts, .companies, .users, .deals, .pipelines, .followUps, .interactions]

    public func refresh(_ changes: ChangeSet) {
        if changes.touches(Self.listReads) {
            let selected = mode == .contacts && !showingTrash ? contacts.selectedRow : nil
            refresh()
            if let selected, contacts.selectedRow?.id != selected.id { sayWhereTheSelectionWent(from: selected) }
        } else if changes.touches(Self.detailReads) {
            selectionChanged(keepTimelinePosition: true)
        }
    }
}

extension PipelineViewModel {
    /// Columns and cards: stages, deals with their customer and owner, and
    /// the last interaction (a deal rots without one). The details add the
    /// deal's follow-ups.
    static let boardReads: ChangeSet = [.pipelines, .deals, .contacts, .companies, .users, .interactions]

    public func refresh(_ changes: ChangeSet) {
        let reads = mode == .details ? Self.boardReads.union(.followUps) : Self.boardReads
        if changes.touches(reads) { refresh() }
    }
}

extension TodayViewModel {
    /// Follow-ups with their customer, company and deal; contacts past their
    /// cadence (by their last interaction).
    static let reads: ChangeSet = [.followUps, .contacts, .companies, .deals, .interactions, .users]

    public func refresh(_ changes: ChangeSet) {
        if changes.touches(Self.reads) { refreshAfterAColleague() }
    }
}

extension TimelineViewModel {
    /// Interactions with their author, customer and deal.
    static let reads: ChangeSet = [.interactions, .contacts, .companies, .deals, .users]

    public func refresh(_ changes: ChangeSet) {
        if changes.touches(Self.reads) { refresh() }
    }
}
