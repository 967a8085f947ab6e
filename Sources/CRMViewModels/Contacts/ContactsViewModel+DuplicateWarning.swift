import CRMCore
import CRMRepositories
import Foundation

// The contact form asks before it saves a contact that may already be
// there: the same email, the same phone, a similar name at the same company.
// Ctrl-S again saves anyway; Ctrl-G opens the existing contact and keeps the
// form as typed, to come back to with the key that opened it.
extension ContactsViewModel {
    /// At most this many possible duplicates are named above the fields.
    static let warnedDuplicates = 3

    /// The check of a new contact's form (`original` nil) or an edit's: an
    /// edit is checked only for what it adds (an email, a phone, another
    /// name or company), never against the contact itself.
    func duplicateCheck(original: Contact?, companyName originalCompany: String) -> (FormModel) -> SaveWarning? {
        { [unowned self] form in
            let emails = ContactForms.splitLabelled(form["emails"]).map(\.value)
            let phones = ContactForms.splitLabelled(form["phones"]).map(\.value)
            let name = form["name"].trimmingCharacters(in: .whitespaces)
            let company = form["company"].trimmingCharacters(in: .whitespaces)
            var probe = DuplicateProbe(name: name, companyName: company.isEmpty ? nil : company, emails: emails, phones: phones,
                                       excludingContactID: original?.id)
            if let original {
                probe.emails = emails.filter { typed in !original.emails.contains { $0.address.lowercased() == typed.lowercased() } }
                probe.phones = phones.filter { typed in
                    !original.phones.contains { PhoneNumber.digits($0.number) == PhoneNumber.digits(typed) }
                }
                if name == original.name && company == originalCompany { probe.name = "" }
            }
            guard !name.isEmpty, !(probe.emails.isEmpty && probe.phones.isEmpty && probe.name.isEmpty) else { return nil }
            let matches: [DuplicateMatch]
            do {
                matches = try contactRepo.possibleDuplicates(of: probe, limit: Self.warnedDuplicates)
            } catch {
                // The save is not held up by a check that could not run.
                context.report(error, reading: "possible duplicates")
                return nil
            }
            guard let first = matches.first else { return nil }
            // Namesakes at one company read the same: one line says how many.
            var sentences: [String] = []
            var counts: [String: Int] = [:]
            for match in matches {
                if counts[match.sentence] == nil { sentences.append(match.sentence) }
                counts[match.sentence, default: 0] += 1
            }
            let lines = sentences.map { sentence in
                "Possible duplicate: \(sentence)" + (counts[sentence]! > 1 ? " — \(counts[sentence]!) such contacts" : "")
            }
            return SaveWarning(lines: lines, openTitle: first.name) { [unowned self] in
                parkedForm = form
                context.openContact(first.id)
                // On the contact, not its timeline: `e` edits the contact found
                // (QA 44: it edited the newest timeline entry).
                focus = .list
                context.status("Showing \(first.name); what you typed is kept: \(original == nil ? "a" : "e") brings the form back",
                               .info)
            }
        }
    }

    /// The form put aside by Ctrl-G, when `purpose` is what it was for.
    func takeParkedForm(for purpose: FormPurpose) -> FormModel? {
        guard let form = parkedForm, form.purpose == purpose else { return nil }
        parkedForm = nil
        return form
    }
}
