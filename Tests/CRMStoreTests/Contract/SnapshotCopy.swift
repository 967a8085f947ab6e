import CRMRepositories

/// Every row of a database's snapshot, its tables in order: one page a
/// table, for the small files of the tests of what a copy leaves stored.
func allSnapshotRows(_ export: any ExportRepository) throws -> [SnapshotRow] {
    var rows: [SnapshotRow] = []
    for table in SnapshotTable.all { rows += try export.snapshotRows(table, after: nil, limit: 100_000) }
    return rows
}

/// Loads `rows` into the empty `target` in one load, as `crm migrate` does.
func loadSnapshot(_ rows: [SnapshotRow], schemaVersion: Int, into target: any ExportRepository) throws {
    var index = 0
    _ = try target.loadSnapshot(schemaVersion: schemaVersion) {
        defer { index += 1 }
        return index < rows.count ? rows[index] : nil
    }
}

/// Copies every row of `source` into the empty `target`, as `crm migrate` does.
func copySnapshot(from source: any CRMRepositories, into target: any CRMRepositories) throws {
    try loadSnapshot(allSnapshotRows(source.exportRepository), schemaVersion: source.exportRepository.snapshotSchemaVersion,
                     into: target.exportRepository)
}
