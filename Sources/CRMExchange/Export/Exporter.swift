import CRMCore
import CRMRepositories
import Foundation

/// What `crm export` writes.
public enum ExportKind: String, Sendable, CaseIterable {
    case contacts, companies, deals, interactions, followups, all
}

public enum ExportFormat: String, Sendable, CaseIterable {
    case csv, vcard, json
}

/// The first line of every JSON export: what the file is, so a reader can
/// refuse what it does not know instead of guessing.
public enum ExportHeader {
    public static let format = "crm-export"
    /// The version of the line format (types and keys); a new key or type
    /// keeps it, a changed meaning raises it.
    public static let version: Int64 = 1

    public static func line(kind: ExportKind, schemaVersion: Int) -> String {
        JSONLine.line([("type", .string("header")), ("format", .string(format)), ("version", .integer(version)),
                       ("schema", .integer(Int64(schemaVersion))), ("kind", .string(kind.rawValue))])
    }
}

/// Why an export cannot be made as asked (a usage error: nothing written).
public struct ExportRequestError: Error, Sendable, Equatable, CustomStringConvertible {
    public var message: String
    public var description: String { message }
}

/// Streams one export: page by page from the repository (`pageSize` rows at
/// a time, keyset by id), each page formatted and handed to `write`, so the
/// memory used is that of one page whatever the table's size.
public struct Exporter {
    public let repository: any ExportRepository
    public var pageSize = 500
    public var vcardVersion: VCardWriter.Version = .v4

    public init(repository: any ExportRepository, pageSize: Int = 500, vcardVersion: VCardWriter.Version = .v4) {
        self.repository = repository; self.pageSize = pageSize; self.vcardVersion = vcardVersion
    }

    /// Refuses a combination that has no meaning, before anything is opened.
    public static func check(kind: ExportKind, format: ExportFormat) throws {
        if format == .vcard && kind != .contacts {
            throw ExportRequestError(message: "--format vcard exports contacts only; for \(kind.rawValue) use csv or json")
        }
        if kind == .all && format != .json {
            throw ExportRequestError(message: "'all' is the complete copy and is written as JSON lines only; add --format json")
        }
    }

    /// Writes the export; returns how many records (rows, cards, lines
    /// after the header) were written.
    @discardableResult
    public func run(kind: ExportKind, format: ExportFormat, write: (String) throws -> Void) throws -> Int {
        try Self.check(kind: kind, format: format)
        if format == .json {
            try write(ExportHeader.line(kind: kind, schemaVersion: repository.snapshotSchemaVersion))
        }
        switch kind {
        case .contacts:
            let counts = try repository.contactFieldCounts()
            switch format {
            case .csv:
                try write(CSVField.record(ContactColumns.header(counts)))
                return try pages(repository.contacts) { try write(CSVField.record(ContactColumns.row($0, counts).map(\.csv))) }
            case .vcard:
                let writer = VCardWriter(version: vcardVersion)
                return try pages(repository.contacts) { try write(writer.card($0)) }
            case .json:
                return try pages(repository.contacts) { try write(ContactJSON.line($0)) }
            }
        case .companies:
            return try table(CompanyColumns.header, format, repository.companies, CompanyColumns.row, write)
        case .deals:
            return try table(DealColumns.header, format, repository.deals, DealColumns.row, write)
        case .interactions:
            return try table(InteractionColumns.header, format, repository.interactions, InteractionColumns.row, write)
        case .followups:
            return try table(FollowUpColumns.header, format, repository.followUps, FollowUpColumns.row, write)
        case .all:
            var written = 0
            for table in SnapshotTable.all {
                var key: [SnapshotValue]?
                while true {
                    let rows = try repository.snapshotRows(table, after: key, limit: pageSize)
                    for row in rows { try write(SnapshotJSON.line(row)) }
                    written += rows.count
                    guard rows.count == pageSize, let last = rows.last else { break }
                    key = last.key
                }
            }
            return written
        }
    }

    /// A flat table as CSV (header + rows) or JSON lines keyed by the header.
    func table<Row: ExportRecord>(_ header: [String], _ format: ExportFormat,
                                  _ page: (Int64?, Int) throws -> [Row], _ fields: (Row) -> [ExportField],
                                  _ write: (String) throws -> Void) throws -> Int {
        if format == .csv { try write(CSVField.record(header)) }
        return try pages(page) { row in
            let values = fields(row)
            if format == .csv {
                try write(CSVField.record(values.map(\.csv)))
            } else {
                try write(JSONLine.line([("type", .string(Row.jsonType))] + zip(header, values.map(JSONLine.field)).map { ($0, $1) }))
            }
        }
    }

    /// Every page of `page` (id-keyed), each row through `body`.
    func pages<Row: ExportRecord>(_ page: (Int64?, Int) throws -> [Row], _ body: (Row) throws -> Void) throws -> Int {
        var after: Int64?
        var count = 0
        while true {
            let rows = try page(after, pageSize)
            for row in rows { try body(row) }
            count += rows.count
            guard rows.count == pageSize, let last = rows.last else { return count }
            after = last.exportID
        }
    }
}

/// A row an export pages through by id, and the `type` of its JSON lines.
public protocol ExportRecord {
    var exportID: Int64 { get }
    static var jsonType: String { get }
}

extension ExportContact: ExportRecord {
    public var exportID: Int64 { contact.id }
    public static var jsonType: String { "contact" }
}
extension ExportCompany: ExportRecord {
    public var exportID: Int64 { company.id }
    public static var jsonType: String { "company" }
}
extension ExportDeal: ExportRecord {
    public var exportID: Int64 { deal.id }
    public static var jsonType: String { "deal" }
}
extension ExportInteraction: ExportRecord {
    public var exportID: Int64 { interaction.id }
    public static var jsonType: String { "interaction" }
}
extension ExportFollowUp: ExportRecord {
    public var exportID: Int64 { followUp.id }
    public static var jsonType: String { "follow_up" }
}
