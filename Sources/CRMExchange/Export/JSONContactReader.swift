import CRMCore
import Foundation

/// Reads `crm export contacts --format json` as ordinary contacts for `crm
/// import`: each contact line becomes an `ImportRecord` (company by name,
/// owner by login, the exported id kept as `externalID` "crm:ID"). A line
/// that is not a contact is rejected with its number; the import goes on.
/// A complete copy (kind "all") is refused: it is loaded with
/// `SnapshotFileReader` into an empty database instead.
public struct JSONContactReader: ImportReader {
    let file: ExportFileReader

    public init(path: String) throws {
        file = try ExportFileReader(path: path)
        switch file.header.kind {
        case .contacts: break
        case .all:
            throw ImportFileError(.badData, path: path, line: 1,
                                  message: "this is a complete copy ('crm export all'); it is loaded whole into a new, empty database, not merged as contacts")
        default:
            throw ImportFileError(.badData, path: path, line: 1,
                                  message: "this is an export of \(file.header.kind.rawValue); only contacts can be imported from JSON")
        }
    }

    public mutating func next() throws -> ImportItem? {
        guard let (line, result) = try file.next() else { return nil }
        switch result {
        case .failure(let problem): return .rejected(problem)
        case .success(let object): return Self.item(object, line: line)
        }
    }

    static func item(_ o: [String: Any], line: Int) -> ImportItem {
        guard o["type"] as? String == "contact" else {
            return .rejected(ImportProblem(line: line, column: "type", message: "expected a contact line"))
        }
        guard let name = o["name"] as? String else {
            return .rejected(ImportProblem(line: line, column: "name", message: "a contact needs a name (text)"))
        }
        var record = ImportRecord(line: line, name: name)
        record.title = o["title"] as? String ?? ""
        record.company = o["company"] as? String ?? ""
        record.source = o["source"] as? String ?? ""
        record.notes = o["notes"] as? String ?? ""
        record.ownerLogin = o["owner"] as? String
        record.tags = (o["tags"] as? [Any] ?? []).compactMap { $0 as? String }
        if let raw = o["lifecycle"] as? String {
            guard let lifecycle = Lifecycle(rawValue: raw) else {
                let known = Lifecycle.allCases.map(\.rawValue).joined(separator: ", ")
                return .rejected(ImportProblem(line: line, column: "lifecycle", message: "'\(raw)' is not one of \(known)"))
            }
            record.lifecycle = lifecycle
        }
        if let id = o["id"] as? NSNumber { record.externalID = "crm:\(id.int64Value)" }
        for (i, raw) in (o["emails"] as? [Any] ?? []).enumerated() {
            guard let e = raw as? [String: Any], let address = e["address"] as? String else {
                return .rejected(ImportProblem(line: line, column: "emails", message: "email \(i + 1) needs an \"address\""))
            }
            record.emails.append(EmailAddress(address, label: e["label"] as? String ?? ""))
            record.origins["email \(i + 1)"] = "emails[\(i)].address"
        }
        for (i, raw) in (o["phones"] as? [Any] ?? []).enumerated() {
            guard let p = raw as? [String: Any], let number = p["number"] as? String else {
                return .rejected(ImportProblem(line: line, column: "phones", message: "phone \(i + 1) needs a \"number\""))
            }
            record.phones.append(PhoneNumber(number, label: p["label"] as? String ?? ""))
            record.origins["phone \(i + 1)"] = "phones[\(i)].number"
        }
        record.origins["name"] = "name"
        return .record(record)
    }
}
