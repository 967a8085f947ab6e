import CRMCore
import CRMRepositories
import Foundation

/// Builds the fields of the contact, company and interaction forms, and reads
/// records back out of them.
enum ContactForms {
    static func contactFields(_ c: Contact, companyName: String, owners: [String], ownerLogin: String) -> [FormField] {
        [
            FormField("name", label: "Name", value: c.name),
            FormField("title", label: "Job title", value: c.title),
            FormField("company", label: "Company", value: companyName, hint: "created if new"),
            FormField("emails", label: "Emails", value: joinLabelled(c.emails.map { ($0.label, $0.address) }),
                      hint: "comma-separated; label: address", errorKey: "email"),
            FormField("phones", label: "Phones", value: joinLabelled(c.phones.map { ($0.label, $0.number) }),
                      hint: "comma-separated; e.g. mobile: +49 171 5550101", errorKey: "phone"),
            FormField("tags", label: "Tags", value: c.tags.joined(separator: ", "), hint: "comma-separated"),
            FormField("lifecycle", label: "Lifecycle", kind: .choice(Lifecycle.allCases.map(\.rawValue)), value: c.lifecycle.rawValue),
            FormField("source", label: "Source", value: c.source),
            FormField("owner", label: "Owner", kind: .choice(owners), value: ownerLogin),
            FormField("notes", label: "Notes", kind: .multiline, value: c.notes, hint: "Ctrl-X: $EDITOR"),
        ]
    }

    static func contactValues(_ c: Contact, companyName: String, ownerLogin: String) -> [String: String] {
        Dictionary(uniqueKeysWithValues: contactFields(c, companyName: companyName, owners: [ownerLogin], ownerLogin: ownerLogin)
            .map { ($0.name, $0.value) })
    }

    /// Applies the form's values to `contact`; the company is looked up by name
    /// and created when it does not exist yet (returned as `newCompany`). Call
    /// it inside the transaction that saves the contact, so a refused save
    /// leaves no company behind.
    static func apply(_ form: FormModel, to contact: Contact, repos: any CRMRepositories) throws -> (contact: Contact, newCompany: Company?) {
        var c = contact
        c.name = form["name"].trimmingCharacters(in: .whitespaces)
        c.title = form["title"].trimmingCharacters(in: .whitespaces)
        c.emails = splitLabelled(form["emails"]).map { EmailAddress($0.value, label: $0.label) }
        c.phones = splitLabelled(form["phones"]).map { PhoneNumber($0.value, label: $0.label) }
        c.tags = ListText.items(form["tags"])
        c.lifecycle = Lifecycle(rawValue: form["lifecycle"]) ?? .lead
        c.source = form["source"].trimmingCharacters(in: .whitespaces)
        c.notes = form["notes"]
        c.ownerID = try OwnerChange.resolve(form["owner"], current: contact.ownerID, chosen: contact.id == 0 || form.isEdited("owner"),
                                            repos: repos)
        // Validate before creating a company, so a bad form leaves nothing behind.
        try ValidationFailure.check(c.validate())
        let companyName = form["company"].trimmingCharacters(in: .whitespaces)
        var created: Company?
        if companyName.isEmpty {
            c.companyID = nil
        } else if let existing = try repos.companyRepository.find(name: companyName) {
            c.companyID = existing.id
        } else {
            created = try repos.companyRepository.create(Company(name: companyName))
            c.companyID = created?.id
        }
        return (c, created)
    }

    /// The form's values for a contact as stored (company and owner by name).
    static func storedValues(_ c: Contact, repos: any CRMRepositories) throws -> [String: String] {
        let company = try c.companyID.flatMap { try repos.companyRepository.get($0)?.name } ?? ""
        let owner = try c.ownerID.flatMap { try repos.user(id: $0)?.login } ?? ""
        return contactValues(c, companyName: company, ownerLogin: owner)
    }

    static func companyFields(_ c: Company) -> [FormField] {
        [
            FormField("name", label: "Name", value: c.name),
            FormField("domain", label: "Domain", value: c.domain, hint: "e.g. example.com"),
            FormField("phone", label: "Phone", value: c.phone),
            FormField("address", label: "Address", kind: .multiline, value: c.address),
            FormField("notes", label: "Notes", kind: .multiline, value: c.notes, hint: "Ctrl-X: $EDITOR"),
        ]
    }

    static func apply(_ form: FormModel, to company: Company) -> Company {
        var c = company
        c.name = form["name"].trimmingCharacters(in: .whitespaces)
        c.domain = form["domain"].trimmingCharacters(in: .whitespaces)
        c.phone = form["phone"].trimmingCharacters(in: .whitespaces)
        c.address = form["address"]
        c.notes = form["notes"]
        return c
    }

    // "work: a@b.de, c@d.de" <-> [("work", "a@b.de"), ("", "c@d.de")]
    static func joinLabelled(_ items: [(String, String)]) -> String {
        items.map { $0.0.isEmpty ? $0.1 : "\($0.0): \($0.1)" }.joined(separator: ", ")
    }

    static func splitLabelled(_ text: String) -> [(label: String, value: String)] {
        ListText.pieces(text).compactMap { part in
            let item = part.trimmingCharacters(in: .whitespaces)
            guard !item.isEmpty else { return nil }
            if let colon = item.firstIndex(of: ":") {
                let label = item[..<colon].trimmingCharacters(in: .whitespaces)
                if !label.isEmpty, label.allSatisfy({ $0.isLetter || $0 == " " }) {
                    return (label, item[item.index(after: colon)...].trimmingCharacters(in: .whitespaces))
                }
            }
            return ("", item)
        }
    }
}
