import CRMCore
import CRMRepositories
import Foundation

// Adding, editing and deleting contacts and companies, and logging on them.
// Each save is one transaction (a company created on the way included) and
// one undo entry that takes back only what it wrote.
extension ContactsViewModel {
    private var ownerLogins: [String] { context.userLogins() }

    /// `prefilled`: a contact to start from (an unknown caller's number);
    /// `afterSave`: what to do with the saved contact (call mode on it).
    func addContact(prefilled: Contact? = nil, purpose: FormPurpose = .newContact, afterSave: ((Contact) -> Void)? = nil) {
        // A form parked to look at a possible duplicate comes back as it was
        // (a prefilled one, from an incoming call, is a new start).
        if prefilled == nil, let parked = takeParkedForm(for: .newContact) { return present(parked) }
        let me = context.me
        var blank = prefilled ?? Contact(name: "")
        blank.ownerID = me.id
        let form = FormModel(title: "New contact", fields: ContactForms.contactFields(blank, companyName: "", owners: ownerLogins, ownerLogin: me.login)) { [unowned self] form in
            let (created, company) = try repos.transaction {
                let (contact, company) = try ContactForms.apply(form, to: blank, repos: repos)
                return (try contactRepo.create(contact), company)
            }
            context.recordUndo("add \(created.name)") { [unowned self] in
                try context.deleteCreated(entity: "contact", name: created.name, created: created,
                                          load: contactRepo.get, delete: contactRepo.delete)
                try removeUnusedCompany(company)
                return nil
            }
            show(contactID: created.id)
            afterSave?(created)
            return "Added \(created.name)"
        }
        form.purpose = purpose
        form.saveCheck = duplicateCheck(original: nil, companyName: "")
        context.present(.form(form))
    }

    /// A company an undone save had created goes too, unless someone changed
    /// it or gave it contacts since.
    private func removeUnusedCompany(_ company: Company?) throws {
        guard let company else { return }
        guard try contactRepo.count(filter: ContactFilter(companyID: company.id)) == 0 else { return }
        try context.deleteCreated(entity: "company", name: company.name, created: company,
                                  load: repos.companyRepository.get, delete: repos.companyRepository.delete)
    }

    func editContact() {
        guard let original = detail?.contact else { return }
        if let parked = takeParkedForm(for: .editContact(id: original.id)) { return present(parked) }
        let owner = detail?.ownerLogin ?? context.me.login
        present(contactForm(original, companyName: detail?.companyName ?? "", owner: owner))
    }

    /// The edit form of a contact; each save records an undo of that save.
    private func contactForm(_ original: Contact, companyName: String, owner: String) -> FormModel {
        let form = FormModel(title: "Edit \(original.name)",
                  fields: ContactForms.contactFields(original, companyName: companyName, owners: ownerLogins, ownerLogin: owner),
                  baseVersion: original.version,
                  submit: { [unowned self] form in
                      let (before, saved, company) = try repos.transaction {
                          // What this save overwrites: the stored record, which after a
                          // Ctrl-O merge is the colleague's version, not `original`; the
                          // form's fields go onto it, so nothing the form does not hold
                          // is written back from when the form opened.
                          guard let before = try contactRepo.get(original.id) else {
                              throw RepositoryError.notFound(entity: "contact", id: original.id)
                          }
                          var (contact, company) = try ContactForms.apply(form, to: before, repos: repos)
                          contact.version = form.baseVersion
                          return (before, try contactRepo.update(contact), company)
                      }
                      context.recordUndo("edit of \(saved.name)") { [unowned self] in
                          let message = try context.revertEdit(
                              entity: "contact", name: saved.name, before: before, wrote: saved, fields: UndoFields.contact,
                              load: contactRepo.get, save: contactRepo.update,
                              merge: { [unowned self] mine, stale in mergeForm(mine: mine, wrote: saved, stale: stale) })
                          try removeUnusedCompany(company)
                          return message
                      }
                      refresh()
                      return "Saved \(saved.name)"
                  },
                  reload: { [unowned self] in
                      guard let fresh = try contactRepo.get(original.id) else { throw RepositoryError.notFound(entity: "contact", id: original.id) }
                      return (try ContactForms.storedValues(fresh, repos: repos), fresh.version)
                  })
        form.purpose = .editContact(id: original.id)
        form.saveCheck = duplicateCheck(original: original, companyName: companyName)
        return form
    }

    /// When a colleague changed the same fields: the edit form with the values
    /// from before my edit, ready for Ctrl-O (mine over theirs) or Ctrl-R.
    private func mergeForm(mine: Contact, wrote: Contact, stale: StaleEdit) -> FormModel? {
        do {
            let form = contactForm(wrote, companyName: "", owner: "")
            form.showConflict(stale, mine: try ContactForms.storedValues(mine, repos: repos),
                              base: try ContactForms.storedValues(wrote, repos: repos),
                              banner: Self.mergeBanner(stale))
            return form
        } catch {
            context.report(error)
            return nil
        }
    }

    private func present(_ form: FormModel) { context.present(.form(form)) }

    /// The banner of the form an undo refusal opens.
    static func mergeBanner(_ stale: StaleEdit) -> String {
        "Not undone: \(stale.changedBy ?? "someone") changed the \(stale.changedFields.joined(separator: ", ")) since your edit. "
            + "The form shows your values from before it."
    }

    func addCompany() {
        let blank = Company(name: "")
        let form = FormModel(title: "New company", fields: ContactForms.companyFields(blank)) { [unowned self] form in
            let companies = repos.companyRepository
            let created = try companies.create(ContactForms.apply(form, to: blank))
            context.recordUndo("add \(created.name)") { [unowned self] in
                try context.deleteCreated(entity: "company", name: created.name, created: created,
                                          load: companies.get, delete: companies.delete)
                return nil
            }
            reloadList()
            if let i = self.companies.rows.firstIndex(where: { $0.id == created.id }) { self.companies.select(i); selectionChanged() }
            return "Added \(created.name)"
        }
        form.purpose = .newCompany
        context.present(.form(form))
    }

    func editCompany() {
        guard let original = companyDetail?.company else { return }
        present(companyForm(original))
    }

    private func companyForm(_ original: Company) -> FormModel {
        let companies = repos.companyRepository
        func values(_ c: Company) -> [String: String] {
            Dictionary(uniqueKeysWithValues: ContactForms.companyFields(c).map { ($0.name, $0.value) })
        }
        let form = FormModel(title: "Edit \(original.name)", fields: ContactForms.companyFields(original), baseVersion: original.version,
                         submit: { [unowned self] form in
                             let (before, saved) = try repos.transaction {
                                 guard let before = try companies.get(original.id) else {
                                     throw RepositoryError.notFound(entity: "company", id: original.id)
                                 }
                                 // The form's fields onto the stored company (see the contact form).
                                 var company = ContactForms.apply(form, to: before)
                                 company.version = form.baseVersion
                                 return (before, try companies.update(company))
                             }
                             context.recordUndo("edit of \(saved.name)") { [unowned self] in
                                 try context.revertEdit(
                                     entity: "company", name: saved.name, before: before, wrote: saved, fields: UndoFields.company,
                                     load: companies.get, save: companies.update,
                                     merge: { [unowned self] mine, stale in
                                         let form = companyForm(saved)
                                         form.showConflict(stale, mine: values(mine), base: values(saved),
                                                           banner: Self.mergeBanner(stale))
                                         return form
                                     })
                             }
                             refresh()
                             return "Saved \(saved.name)"
                         },
                         reload: {
                             guard let fresh = try companies.get(original.id) else { throw RepositoryError.notFound(entity: "company", id: original.id) }
                             return (values(fresh), fresh.version)
                         })
        form.purpose = .editCompany(id: original.id)
        return form
    }

    func confirmDelete() {
        if mode == .companies {
            guard let company = companies.selectedRow else { return }
            context.present(.confirm(Confirmation("Delete company \(company.name)? Its contacts and deals stay, without it, until it is restored. (y/n)") { [unowned self] in
                let repo = repos.companyRepository
                do {
                    try repo.delete(company.id)
                    context.recordUndo("delete of \(company.name)") { [unowned self] in
                        try context.restoreDeleted(company.name) { try repo.restore(company.id) }
                        return nil
                    }
                    context.status("Deleted \(company.name) — u to undo", .success)
                    refresh()
                } catch { context.report(error) }
            }))
            return
        }
        guard let contact = contacts.selectedRow else { return }
        context.present(.confirm(Confirmation("Delete \(contact.name)? It goes to the trash with its follow-ups; u undoes. (y/n)") { [unowned self] in
            do {
                try contactRepo.delete(contact.id)
                context.recordUndo("delete of \(contact.name)") { [unowned self] in
                    try context.restoreDeleted(contact.name) { try contactRepo.restore(contact.id) }
                    show(contactID: contact.id)
                    return nil
                }
                context.status("Deleted \(contact.name) — u to undo", .success)
                refresh()
            } catch { context.report(error) }
        }))
    }

    func undo() { context.undo(in: .contacts) }

    func logInteraction(kind: InteractionKind = .note) {
        guard let contact = detail?.contact else { return }
        context.present(.form(InteractionForm.log(context: context, contactID: contact.id, about: contact.name, kind: kind) { [unowned self] logged in
            refresh()
            selectTimelineEntry(logged.id)
        }))
    }

    /// The call card for the contact shown; `startedAt` for a call restored
    /// from a draft, whose timer counts from its real start.
    @discardableResult
    func startCall(dealID: Int64? = nil, startedAt: Date? = nil) -> CallModel? {
        guard let detail else { return nil }
        // The caller picked from the contacts an incoming number matched.
        let answering = ringing.flatMap { $0.search == searchText ? $0.rang : nil }
        ringing = nil
        let call = CallModel(context: context, detail: detail, dealID: dealID, startedAt: answering ?? startedAt,
                             direction: answering == nil ? .outbound : .inbound, onLogged: { [unowned self] in
            refresh()
            timeline.select(0)
        })
        context.present(.call(call))
        return call
    }

    func newFollowUp() {
        guard let contact = detail?.contact else { return }
        context.present(.form(FollowUpForm.make(context: context, contactID: contact.id, about: contact.name) { [unowned self] _ in
            refresh()
        }))
    }

    /// `F`: the follow-ups list narrowed to the selected contact or company
    /// (every status), where each can be edited, cancelled, deleted or
    /// reassigned; `q` comes back here.
    func showFollowUps() {
        var filter = FollowUpFilter(statuses: Set(FollowUpStatus.allCases))
        let name: String
        if mode == .contacts {
            guard let row = contacts.selectedRow else { return }
            filter.contactID = row.id
            name = row.name
        } else {
            guard let row = companies.selectedRow else { return }
            filter.companyID = row.id
            name = row.name
        }
        context.showFollowUps(filter, about: "customer \(name)", returnTo: .contacts)
    }
}
