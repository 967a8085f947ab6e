import CRMCore
import CRMRepositories
import Foundation

extension ContactsViewModel {
    /// Entries per timeline page.
    static var timelinePage: Int { 60 }

    /// How long the selection must rest before details and timeline follow it.
    static var detailsDelay: TimeInterval { 0.12 }

    /// j/k and paging move only the highlight at once; the details and the
    /// timeline of the new row follow when the selection rests. Scrolling
    /// through a list over a slow SSH link then sends a highlight per key,
    /// not two repainted panes per key.
    func detailsWaitForRest() {
        detailsPendingSince = context.clock.now
    }

    /// Loads pending details now (before an action that works on them).
    public func loadPendingDetails() {
        guard detailsPendingSince != nil else { return }
        detailsPendingSince = nil
        selectionChanged()
    }

    /// The idle tick: load the details once the selection has rested.
    public func tick() -> Bool {
        guard let since = detailsPendingSince, context.clock.now.timeIntervalSince(since) >= Self.detailsDelay else { return false }
        loadPendingDetails()
        return true
    }

    /// Loads the details and the timeline of the selected contact or company.
    func selectionChanged(keepTimelinePosition: Bool = false) {
        detailsPendingSince = nil
        if !keepTimelinePosition { detailScroll = 0 }
        let previousTimelineID = timeline.selectedRow?.id
        do {
            if mode == .contacts {
                companyDetail = nil
                // The record, its deals, follow-ups, tier and timeline in one read.
                guard let row = contacts.selectedRow, let pane = try contactRepo.pane(row.id, timelineLimit: Self.timelinePage + 1) else {
                    detail = nil
                    timeline.replace([])
                    return
                }
                detail = ContactDetail(contact: pane.contact, companyName: row.companyName, ownerLogin: row.ownerLogin,
                                       deals: pane.deals, followUps: pane.openFollowUps, valueTier: pane.valueTier)
                showTimeline(pane.timeline)
            } else {
                detail = nil
                guard let row = companies.selectedRow, let company = try repos.companyRepository.get(row.id) else {
                    companyDetail = nil
                    timeline.replace([])
                    return
                }
                companyDetail = CompanyDetail(
                    company: company, ownerLogin: row.ownerLogin,
                    contacts: try contactRepo.list(sort: .name, filter: ContactFilter(companyID: company.id), cursor: nil, direction: .forward, limit: 200),
                    deals: try repos.dealRepository.deals(companyID: company.id))
                companyContactSelected = min(companyContactSelected, max((companyDetail?.contacts.count ?? 1) - 1, 0))
                try loadTimeline(.company(company.id))
            }
            if keepTimelinePosition, let id = previousTimelineID, let i = timeline.rows.firstIndex(where: { $0.id == id }) {
                timeline.select(i)
            }
        } catch {
            context.report(error)
        }
    }

    var timelineScope: TimelineScope? {
        if mode == .contacts, let id = detail?.contact.id { return .contact(id) }
        if mode == .companies, let id = companyDetail?.company.id { return .company(id) }
        return nil
    }

    private func loadTimeline(_ scope: TimelineScope) throws {
        showTimeline(try repos.interactionRepository.timeline(scope, before: nil, limit: Self.timelinePage + 1))
    }

    /// The first page of a timeline, read with one row more than a page.
    private func showTimeline(_ rows: [TimelineEntry]) {
        timeline.replace(Array(rows.prefix(Self.timelinePage)), moreAfter: rows.count > Self.timelinePage)
    }

    func moveTimeline(by delta: Int) {
        guard let scope = timelineScope else { return }
        let target = timeline.selected + delta
        do {
            // A contact with thousands of interactions loads them a page at a
            // time; "last" (G) stops at the window's capacity.
            while target >= timeline.rows.count - 1, timeline.moreAfter, timeline.rows.count < 2000, let last = timeline.rows.last {
                let more = try repos.interactionRepository.timeline(scope, before: last.cursor, limit: Self.timelinePage + 1)
                timeline.append(Array(more.prefix(Self.timelinePage)), moreAfter: more.count > Self.timelinePage)
            }
        } catch {
            context.report(error)
        }
        timeline.select(target)
    }

    func moveCompanyContact(by delta: Int) {
        let count = companyDetail?.contacts.count ?? 0
        guard count > 0 else { return }
        companyContactSelected = min(max(companyContactSelected + delta, 0), count - 1)
    }

    /// Enter: from the list, go to the timeline; on a timeline entry, show or
    /// hide its whole body; on a company's contact, open that contact.
    func open() {
        switch focus {
        case .list:
            focus = mode == .companies ? .details : .timeline
        case .timeline:
            guard let id = timeline.selectedRow?.id else { return }
            if expanded.contains(id) { expanded.remove(id) } else { expanded.insert(id) }
        case .details:
            if mode == .companies, let contacts = companyDetail?.contacts, contacts.indices.contains(companyContactSelected) {
                show(contactID: contacts[companyContactSelected].id)
            }
        }
    }
}
