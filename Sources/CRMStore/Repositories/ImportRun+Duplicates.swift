import CRMCore
import CRMRepositories
import Foundation

extension ImportRun {
    /// The existing contacts a row looks like, strongest first, from the
    /// duplicate finder the contact form uses (`possibleDuplicates`): same
    /// email, same phone, similar name at the same company. Rows of this
    /// batch already written are in the database by then, so a real import
    /// finds a file's own repeats too.
    func duplicates(of contact: Contact, keys: ContactKeys, companyID: Int64?, companyName: String) throws -> [ImportDuplicate] {
        let probe = DuplicateProbe(name: contact.name, companyID: companyID, companyName: companyName.isEmpty ? nil : companyName,
                                   emails: contact.emails.map(\.address), phones: contact.phones.map(\.number))
        return try DuplicateFinder(db: db).possibleDuplicates(of: probe, limit: 1, nameKey: keys.nameKey,
                                                              phoneKeys: keys.phoneLookupKeys).map {
            ImportDuplicate(contactID: $0.id, name: $0.name, companyName: $0.companyName, reasons: $0.reasons.map(\.detail))
        }
    }
}
