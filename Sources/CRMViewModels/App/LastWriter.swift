import CRMRepositories

extension CRMRepositories {
    /// " by li": who wrote a record last, from its audit trail, for the
    /// sentence about a colleague's change that moved the selection; "" when
    /// the trail names nobody or cannot be read (the sentence stands without).
    func byLastWriter(_ entity: String, _ id: Int64) -> String {
        guard let login = (try? auditTrail(entity: entity, id: id, limit: 1).first?.userLogin) ?? nil else { return "" }
        return " by \(login)"
    }
}
