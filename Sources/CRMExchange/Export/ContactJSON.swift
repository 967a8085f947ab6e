import CRMCore
import CRMRepositories
import Foundation

/// A contact as one JSON line of `crm export contacts --format json`: the
/// names a person reads (company, owner login), not the database's ids for
/// them, so the file imports into any database as ordinary contacts
/// (`JSONContactReader`).
public enum ContactJSON {
    public static func line(_ row: ExportContact) -> String {
        let c = row.contact
        return JSONLine.line([
            ("type", .string("contact")), ("id", .integer(c.id)), ("name", .string(c.name)), ("title", .string(c.title)),
            ("company", row.companyName.map(JSONLine.Value.string) ?? .null), ("lifecycle", .string(c.lifecycle.rawValue)),
            ("owner", row.ownerLogin.map(JSONLine.Value.string) ?? .null), ("source", .string(c.source)),
            ("tags", .array(c.tags.map(JSONLine.Value.string))), ("notes", .string(c.notes)),
            ("emails", .array(c.emails.map { .object([("address", .string($0.address)), ("label", .string($0.label))]) })),
            ("phones", .array(c.phones.map { .object([("number", .string($0.number)), ("label", .string($0.label))]) })),
            ("created_at", .string(ExportTime.iso(c.createdAt))), ("updated_at", .string(ExportTime.iso(c.updatedAt))),
        ])
    }
}

/// A row of the lossless copy as one JSON line: "type", then every column
/// under its own name, each value as stored (integers, REALs, text, null).
public enum SnapshotJSON {
    public static func line(_ row: SnapshotRow) -> String {
        JSONLine.line([("type", .string(row.table.type))]
                      + zip(row.table.columns, row.values.map(JSONLine.snapshot)).map { ($0, $1) })
    }

    /// The row a parsed line holds. A key this program does not know is
    /// refused (a newer program's file is not half-read); a column the line
    /// lacks (a copy made before that column existed) is marked absent and
    /// takes the database's default.
    public static func row(_ object: [String: Any], line: Int) throws -> SnapshotRow {
        guard let type = object["type"] as? String else {
            throw SnapshotLoadError.badRow(line: line, type: "?", message: "the line has no \"type\"")
        }
        guard let table = SnapshotTable.named(type: type) else {
            throw SnapshotLoadError.badRow(line: line, type: type, message: "\"\(type)\" is not a record type of this program's copy")
        }
        if let unknown = object.keys.sorted().first(where: { $0 != "type" && !table.columns.contains($0) }) {
            throw SnapshotLoadError.badRow(line: line, type: type, message: "unknown key \"\(unknown)\" (made by a newer crm?)")
        }
        var values: [SnapshotValue] = []
        values.reserveCapacity(table.columns.count)
        var absent: Set<String> = []
        for column in table.columns {
            guard let raw = object[column] else {
                absent.insert(column)
                values.append(.null)
                continue
            }
            guard let value = JSONValues.snapshot(raw) else {
                throw SnapshotLoadError.badRow(line: line, type: type, message: "\"\(column)\" holds neither text, a number nor null")
            }
            values.append(value)
        }
        return SnapshotRow(table: table, values: values, line: line, absent: absent)
    }
}

/// Values as JSONSerialization hands them back.
enum JSONValues {
    static func snapshot(_ raw: Any) -> SnapshotValue? {
        if raw is NSNull { return .null }
        if let s = raw as? String { return .text(s) }
        if let n = raw as? NSNumber {
            // objCType tells a number written with a point or exponent
            // ("d") from an integer ("q", "i", …); "c" is true/false.
            switch String(cString: n.objCType) {
            case "d", "f": return .real(n.doubleValue)
            case "c", "B": return nil
            default: return .integer(n.int64Value)
            }
        }
        return nil
    }
}
