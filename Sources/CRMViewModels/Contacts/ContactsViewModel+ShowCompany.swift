import CRMCore
import CRMRepositories
import Foundation

extension ContactsViewModel {
    /// Shows the company with `id` in companies mode (a jump from a deal):
    /// the list is narrowed to its name so it is found at any depth.
    public func show(companyID id: Int64) {
        guard let found = context.read("the company", { try repos.companyRepository.get(id) }), let company = found else { return }
        mode = .companies
        filter = ContactFilter()
        focus = .list
        search = LineEditor(company.name)
        isSearching = false
        reloadList()
        if let i = companies.rows.firstIndex(where: { $0.id == id }) {
            companies.select(i)
            selectionChanged()
        }
    }
}
