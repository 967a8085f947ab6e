import CRMCore
import CRMRepositories
import CRMStore
import Foundation

// `crm merge contact|company KEEP OTHER [--dry-run] [--user LOGIN] [--db PATH]`
//
// Merges record OTHER into record KEEP as the merge screen does with its
// defaults: each field from the record that has it (the more recently
// edited one when both do), a contact's emails, phones and tags joined; what
// points at OTHER moves to KEEP; OTHER goes to the trash pointing at KEEP.
// One transaction, audited. --dry-run shows the result and writes nothing.
enum MergeCommand {
    static func run(_ args: [String]) throws -> Int32 {
        var reader = ArgumentReader(args, command: "merge")
        var dbOption: String?
        var user: String?
        var dryRun = false
        var positional: [String] = []
        while let arg = reader.next() {
            switch arg {
            case .option("--db", let v): dbOption = try reader.value("--db", inline: v, expected: "the path of a database file or a PostgreSQL connection string")
            case .option("--user", let v): user = try reader.value("--user", inline: v, expected: "a login name")
            case .option("--dry-run", let v): dryRun = try reader.flag("--dry-run", inline: v)
            case .option("--help", _), .option("-h", _):
                Output.print(Help.text("merge"))
                return ExitCode.ok
            case .positional(let text): positional.append(text)
            default: throw reader.unknown(arg)
            }
        }
        guard positional.count == 3, ["contact", "company"].contains(positional[0]) else {
            throw reader.fail("expected what to merge and two ids, e.g. crm merge contact 12 48 (48 goes into 12)")
        }
        func id(_ text: String, _ name: String) throws -> Int64 {
            let digits = text.hasPrefix("#") ? String(text.dropFirst()) : text
            guard let id = Int64(digits), id > 0 else { throw reader.fail("\(name) is \"\(text)\"; expected the id of a \(positional[0]), e.g. 12") }
            return id
        }
        let keep = try id(positional[1], "KEEP"), other = try id(positional[2], "OTHER")
        guard keep != other else { throw reader.fail("KEEP and OTHER are both \(keep); expected two different \(positional[0]) ids") }
        let path = Opening.targetName(option: dbOption)
        do {
            if dryRun {
                let lines = try Opening.reading(option: dbOption) { db in
                    try plan(positional[0], keep: keep, other: other, db: db, write: false)
                }
                lines.forEach(Output.print)
                Output.print("Nothing written (--dry-run).")
            } else {
                let db = try Opening.repositories(option: dbOption, acting: .person(user))
                try plan(positional[0], keep: keep, other: other, db: db, write: true).forEach(Output.print)
            }
        } catch let error as Failure {
            throw error
        } catch RepositoryError.notFound(let entity, let id) {
            throw Failure("there is no \(entity) with id \(id) (or it is in the trash)", status: ExitCode.failure)
        } catch {
            throw Failure(error, path: path)
        }
        return ExitCode.ok
    }

    /// The merge with its defaults: the lines that describe it, after doing
    /// it when `write`.
    private static func plan(_ kind: String, keep: Int64, other: Int64, db: any CRMRepositories, write: Bool) throws -> [String] {
        kind == "contact" ? try contacts(keep: keep, other: other, db: db, write: write)
            : try companies(keep: keep, other: other, db: db, write: write)
    }

    /// The live record, or exit 1 saying where it is (in the trash, merged
    /// into another: QA 30 #18).
    private static func live<R>(_ record: R?, _ deletedAt: (R) -> Date?, kind: TrashKind, id: Int64, db: any CRMRepositories) throws -> R {
        guard let record, deletedAt(record) == nil else {
            throw Failure(try db.trashRepository.absence(kind, id), status: ExitCode.failure)
        }
        return record
    }

    /// One line a field: its merged value, and where it came from when the
    /// kept record had another.
    private static func fieldLines(_ merged: [(String, String)], kept: [(String, String)], other: Int64) -> [String] {
        zip(merged, kept).map { field, before in
            "  \(field.0.padding(toLength: 10, withPad: " ", startingAt: 0))\(field.1)"
                + (field.1 != before.1 ? "   (from #\(other))" : "")
        }
    }

    private static func firstLine(_ text: String) -> String {
        text.split(separator: "\n").first.map(String.init) ?? ""
    }

    private static func contacts(keep: Int64, other: Int64, db: any CRMRepositories, write: Bool) throws -> [String] {
        let a = try live(db.contactRepository.get(keep), \.deletedAt, kind: .contact, id: keep, db: db)
        let b = try live(db.contactRepository.get(other), \.deletedAt, kind: .contact, id: other, db: db)
        let sides = MergeChoice.defaults(keep: a, other: b, fields: Contact.mergeFields, updatedAt: \.updatedAt)
        let survivor = MergeChoice.merged(keep: a, other: b, fields: Contact.mergeFields, sides: sides).joiningDetails(of: b)
        let preview = try db.contactRepository.mergePreview(keep: keep, other: other)
        func company(_ id: Int64?) throws -> String { try id.flatMap { try db.companyRepository.get($0)?.name } ?? "" }
        func owner(_ id: Int64?) throws -> String { try id.flatMap { try db.user(id: $0)?.login } ?? "" }
        func values(_ c: Contact) throws -> [(String, String)] {
            [("name", c.name), ("title", c.title), ("company", try company(c.companyID)), ("owner", try owner(c.ownerID)),
             ("lifecycle", c.lifecycle.rawValue), ("source", c.source), ("notes", firstLine(c.notes))]
        }
        var lines = ["\(write ? "Merged" : "Would merge") contact #\(other) \(b.name) into #\(keep) \(a.name):"]
        lines += fieldLines(try values(survivor), kept: try values(a), other: other)
        lines.append("  emails    \(survivor.emails.map(\.address).joined(separator: ", "))")
        lines.append("  phones    \(survivor.phones.map(\.number).joined(separator: ", "))")
        lines.append("  tags      \(survivor.tags.joined(separator: ", "))")
        lines.append("  \(write ? "moved" : "moves")     \(preview.sentence)")
        if write {
            _ = try db.contactRepository.merge(into: survivor, other: other, otherVersion: b.version)
            lines.append("#\(other) is in the trash, pointing to #\(keep).")
        }
        return lines
    }

    private static func companies(keep: Int64, other: Int64, db: any CRMRepositories, write: Bool) throws -> [String] {
        let a = try live(db.companyRepository.get(keep), \.deletedAt, kind: .company, id: keep, db: db)
        let b = try live(db.companyRepository.get(other), \.deletedAt, kind: .company, id: other, db: db)
        let sides = MergeChoice.defaults(keep: a, other: b, fields: Company.mergeFields, updatedAt: \.updatedAt)
        let survivor = MergeChoice.merged(keep: a, other: b, fields: Company.mergeFields, sides: sides).joiningNotes(of: b)
        let preview = try db.companyRepository.mergePreview(keep: keep, other: other)
        func values(_ c: Company) throws -> [(String, String)] {
            [("name", c.name), ("domain", c.domain), ("phone", c.phone), ("address", firstLine(c.address)),
             ("notes", firstLine(c.notes)), ("owner", try c.ownerID.flatMap { try db.user(id: $0)?.login } ?? "")]
        }
        var lines = ["\(write ? "Merged" : "Would merge") company #\(other) \(b.name) into #\(keep) \(a.name):"]
        lines += fieldLines(try values(survivor), kept: try values(a), other: other)
        lines.append("  \(write ? "moved" : "moves")     \(preview.sentence)")
        if write {
            _ = try db.companyRepository.merge(into: survivor, other: other, otherVersion: b.version)
            lines.append("#\(other) is in the trash, pointing to #\(keep).")
        }
        return lines
    }
}
