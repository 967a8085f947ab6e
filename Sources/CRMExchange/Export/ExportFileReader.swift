import CRMRepositories
import Foundation

/// The first line of one of our JSON exports.
public struct ExportFileHeader: Sendable, Equatable {
    public var kind: ExportKind
    public var version: Int64
    public var schemaVersion: Int

    /// The header of the JSON export at `path`, or nil when the file does not
    /// start with one (it is some other file). The import command asks this
    /// first: a `kind: all` file goes to `SnapshotFileReader`, a contacts
    /// export to `JSONContactReader`.
    public static func read(path: String) throws -> ExportFileHeader? {
        var lines = try ExportFileReader.lines(path)
        guard let first = try lines.next(),
              let object = try? JSONSerialization.jsonObject(with: Data(first.bytes)) as? [String: Any] else { return nil }
        return try parse(object, path: path)
    }

    static func parse(_ object: [String: Any], path: String) throws -> ExportFileHeader? {
        guard object["type"] as? String == "header", object["format"] as? String == ExportHeader.format else { return nil }
        guard let version = (object["version"] as? NSNumber)?.int64Value, version >= 1 else {
            throw ImportFileError(.badData, path: path, line: 1, message: "the header has no format version")
        }
        guard version <= ExportHeader.version else {
            throw ImportFileError(.badData, path: path, line: 1,
                                  message: "format version \(version) is newer than this crm reads (\(ExportHeader.version)); use a newer crm")
        }
        guard let name = object["kind"] as? String, let kind = ExportKind(rawValue: name) else {
            throw ImportFileError(.badData, path: path, line: 1, message: "the header names no kind of export this crm knows")
        }
        let schema = (object["schema"] as? NSNumber)?.intValue ?? 0
        return ExportFileHeader(kind: kind, version: version, schemaVersion: schema)
    }
}

/// Our JSON export line by line: the header first, then one object a line
/// (empty lines skipped).
public final class ExportFileReader {
    public let header: ExportFileHeader
    private var lines: TextLineReader
    public var path: String { lines.path }

    /// The import's own line reader: UTF-8, one line in memory at a time, a
    /// line of more than 64 MiB (not one of ours) refused.
    static func lines(_ path: String) throws -> TextLineReader {
        TextLineReader(source: try TextChunkSource(path: path, encoding: .exactly(.utf8)), maxLineBytes: 64 << 20,
                       kind: "crm JSON export")
    }

    public init(path: String) throws {
        lines = try Self.lines(path)
        guard let first = try lines.next()?.bytes else {
            throw ImportFileError(.badData, path: path, line: 1, message: "the file is empty; expected a crm JSON export")
        }
        guard let object = try? JSONSerialization.jsonObject(with: Data(first)) as? [String: Any],
              let header = try ExportFileHeader.parse(object, path: path) else {
            throw ImportFileError(.badData, path: path, line: 1,
                                  message: "expected the header line of a crm JSON export ({\"type\":\"header\",\"format\":\"crm-export\",…})")
        }
        self.header = header
    }

    /// The next line's object, or nil at the end; a line that is not a JSON
    /// object comes back as `.failure` with its number, so a reader can
    /// report it and go on.
    public func next() throws -> (line: Int, object: Result<[String: Any], ImportProblem>)? {
        while let (line, bytes) = try lines.next() {
            if bytes.allSatisfy({ $0 == 0x20 || $0 == 0x09 }) { continue }
            guard let object = try? JSONSerialization.jsonObject(with: Data(bytes)) as? [String: Any] else {
                return (line, .failure(ImportProblem(line: line, message: "not a JSON object")))
            }
            return (line, .success(object))
        }
        return nil
    }
}

/// The rows of a complete copy (`crm export all --format json`), one at a
/// time, for `ExportRepository.loadSnapshot`: any line that is not a row of
/// the copy stops the load (all or nothing).
public final class SnapshotFileReader {
    public let file: ExportFileReader
    public var schemaVersion: Int { file.header.schemaVersion }

    public init(path: String) throws {
        file = try ExportFileReader(path: path)
        guard file.header.kind == .all else {
            throw ImportFileError(.badData, path: path, line: 1,
                                  message: "this is an export of \(file.header.kind.rawValue), not a complete copy ('crm export all --format json')")
        }
    }

    public func next() throws -> SnapshotRow? {
        guard let (line, result) = try file.next() else { return nil }
        switch result {
        case .failure(let problem): throw SnapshotLoadError.badRow(line: line, type: "?", message: problem.message)
        case .success(let object): return try SnapshotJSON.row(object, line: line)
        }
    }
}
