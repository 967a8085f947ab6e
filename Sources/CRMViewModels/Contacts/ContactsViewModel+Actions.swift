import CRMCore
import CRMRepositories
import Foundation

extension ContactsViewModel {
    private var ownerLogins: [String] { context.userLogins() }

    func addContact() {
        let me = context.me
        let blank = Contact(name: "", ownerID: me.id)
        let form = FormModel(title: "New contact", fields: ContactForms.contactFields(blank, companyName: "", owners: ownerLogins, ownerLogin: me.login)) { [unowned self] form in
            let contact = try ContactForms.apply(form, to: blank, repos: repos)
            let created = try contactRepo.create(contact)
            context.undoStack.push("add \(created.name)") { [unowned self] in try contactRepo.delete(created.id) }
            show(contactID: created.id)
            return "Added \(created.name)"
        }
        context.present(.form(form))
    }

    func editContact() {
        guard let original = detail?.contact else { return }
        let owner = detail?.ownerLogin ?? context.me.login
        let form = FormModel(title: "Edit \(original.name)",
                             fields: ContactForms.contactFields(original, companyName: detail?.companyName ?? "", owners: ownerLogins, ownerLogin: owner),
                             baseVersion: original.version,
                             submit: { [unowned self] form in
                                 var contact = try ContactForms.apply(form, to: original, repos: repos)
                                 contact.version = form.baseVersion
                                 let saved = try contactRepo.update(contact)
                                 context.undoStack.push("edit of \(saved.name)") { [unowned self] in
                                     var back = original
                                     back.version = try contactRepo.get(saved.id)?.version ?? saved.version
                                     _ = try contactRepo.update(back)
                                 }
                                 refresh()
                                 return "Saved \(saved.name)"
                             },
                             reload: { [unowned self] in
                                 guard let fresh = try contactRepo.get(original.id) else { throw RepositoryError.notFound(entity: "contact", id: original.id) }
                                 let summary = try contactRepo.summary(original.id)
                                 return (ContactForms.contactValues(fresh, companyName: summary?.companyName ?? "", ownerLogin: summary?.ownerLogin ?? ""), fresh.version)
                             })
        context.present(.form(form))
    }

    func addCompany() {
        let blank = Company(name: "")
        let form = FormModel(title: "New company", fields: ContactForms.companyFields(blank)) { [unowned self] form in
            let created = try repos.companyRepository.create(ContactForms.apply(form, to: blank))
            context.undoStack.push("add \(created.name)") { [unowned self] in try repos.companyRepository.delete(created.id) }
            reloadList()
            if let i = companies.rows.firstIndex(where: { $0.id == created.id }) { companies.select(i); selectionChanged() }
            return "Added \(created.name)"
        }
        context.present(.form(form))
    }

    func editCompany() {
        guard let original = companyDetail?.company else { return }
        let form = FormModel(title: "Edit \(original.name)", fields: ContactForms.companyFields(original), baseVersion: original.version,
                             submit: { [unowned self] form in
                                 var company = ContactForms.apply(form, to: original)
                                 company.version = form.baseVersion
                                 let saved = try repos.companyRepository.update(company)
                                 context.undoStack.push("edit of \(saved.name)") { [unowned self] in
                                     var back = original
                                     back.version = try repos.companyRepository.get(saved.id)?.version ?? saved.version
                                     _ = try repos.companyRepository.update(back)
                                 }
                                 refresh()
                                 return "Saved \(saved.name)"
                             },
                             reload: { [unowned self] in
                                 guard let fresh = try repos.companyRepository.get(original.id) else { throw RepositoryError.notFound(entity: "company", id: original.id) }
                                 return (Dictionary(uniqueKeysWithValues: ContactForms.companyFields(fresh).map { ($0.name, $0.value) }), fresh.version)
                             })
        context.present(.form(form))
    }

    func confirmDelete() {
        if mode == .companies {
            guard let company = companies.selectedRow else { return }
            context.present(.confirm(Confirmation("Delete company \(company.name)? Its contacts stay. (y/n)") { [unowned self] in
                do {
                    try repos.companyRepository.delete(company.id)
                    context.undoStack.push("delete of \(company.name)") { [unowned self] in try repos.companyRepository.restore(company.id) }
                    context.status("Deleted \(company.name) — u to undo", .success)
                    refresh()
                } catch { context.report(error) }
            }))
            return
        }
        guard let contact = contacts.selectedRow else { return }
        context.present(.confirm(Confirmation("Delete \(contact.name)? It goes to the trash; u undoes. (y/n)") { [unowned self] in
            do {
                try contactRepo.delete(contact.id)
                context.undoStack.push("delete of \(contact.name)") { [unowned self] in
                    try contactRepo.restore(contact.id)
                    show(contactID: contact.id)
                }
                context.status("Deleted \(contact.name) — u to undo", .success)
                refresh()
            } catch { context.report(error) }
        }))
    }

    func undo() {
        do {
            if let title = try context.undoStack.undo() {
                context.status("Undone: \(title)", .success)
                refresh()
            }
        } catch {
            context.report(error)
            refresh()
        }
    }

    func logInteraction(kind: InteractionKind = .note) {
        guard let contact = detail?.contact else { return }
        let form = FormModel(title: "Log for \(contact.name)", fields: ContactForms.interactionFields(kind: kind)) { [unowned self] form in
            let logged = try repos.interactionRepository.log(Interaction(
                contactID: contact.id, kind: InteractionKind(rawValue: form["kind"]) ?? .note,
                direction: Direction(rawValue: form["direction"]) ?? .none, occurredAt: context.clock.now,
                durationSeconds: try ContactForms.parseDuration(form["duration"]), outcome: form["outcome"],
                subject: form["subject"], body: form["body"], createdAt: context.clock.now))
            context.undoStack.push("\(logged.kind.title.lowercased()) for \(contact.name)") { [unowned self] in
                try repos.interactionRepository.delete(logged.id)
            }
            refresh()
            timeline.select(0)
            return "Logged \(logged.kind.title.lowercased()) for \(contact.name)"
        }
        form.focus(field: "body")
        context.present(.form(form))
    }

    func startCall() {
        guard let detail else { return }
        context.present(.call(CallModel(context: context, detail: detail, onLogged: { [unowned self] in
            refresh()
            timeline.select(0)
        })))
    }

    func newFollowUp() {
        guard let contact = detail?.contact else { return }
        context.present(.form(FollowUpForm.make(context: context, contactID: contact.id, about: contact.name) { [unowned self] _ in
            refresh()
        }))
    }
}
