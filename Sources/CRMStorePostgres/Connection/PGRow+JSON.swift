import Foundation

/// A record's lists read in the same round trip as the record: a column
/// `coalesce(json_agg(… ORDER BY …), '[]')` from a correlated subquery
/// (each list in its own order), decoded here. One statement instead of one
/// per list is what a frame on PostgreSQL saves: a round trip and a plan each.
extension PGRow {
    /// A JSON array of strings (`json_agg(t.name ORDER BY …)`); NULL elements read as "".
    func jsonStrings(_ i: Int) -> [String] {
        jsonArray(i).map { $0 as? String ?? "" }
    }

    /// A JSON array of arrays of strings (`json_agg(json_build_array(a, b) ORDER BY …)`).
    func jsonStringRows(_ i: Int) -> [[String]] {
        jsonArray(i).map { element in (element as? [Any] ?? []).map { $0 as? String ?? "" } }
    }

    private func jsonArray(_ i: Int) -> [Any] {
        guard let text = values[i], let data = text.data(using: .utf8),
              let array = try? JSONSerialization.jsonObject(with: data) as? [Any] else { return [] }
        return array
    }
}
