import CRMCore
import CRMRepositories
import Foundation

extension ImportRun {
    /// The existing contacts a row looks like, strongest first, from the
    /// duplicate finder the contact form uses (`possibleDuplicates`). Rows
    /// of this batch already written are in the database, so a real import
    /// finds a file's own repeats too.
    func duplicates(of contact: Contact, companyID: Int64?, companyName: String) throws -> [ImportDuplicate] {
        // TEMPORARY until h-dups lands: see report.
        return []
    }
}
