import Foundation
#if canImport(Glibc)
import Glibc
#endif

/// The kinds of file `crm import` reads.
public enum ImportFormat: String, Sendable, CaseIterable {
    case csv
    case vcard
    /// This program's own JSON export (JSON lines); its reader belongs to the
    /// exporter and plugs in through `ImportOpener.json`.
    case json

    /// `--format NAME`: csv, vcard (or vcf), json (or jsonl); nil otherwise.
    public static func named(_ name: String) -> ImportFormat? {
        switch name.lowercased() {
        case "csv", "tsv": .csv
        case "vcard", "vcf", "vcards": .vcard
        case "json", "jsonl", "ndjson": .json
        default: nil
        }
    }

    /// The format of a file when `--format` is not given: its extension
    /// (.csv/.tsv/.txt, .vcf/.vcard, .json/.jsonl) or else its first bytes
    /// ("BEGIN:VCARD", "{" or "["); anything else is read as CSV, whose
    /// reader then says what it found.
    public static func detect(path: String, firstBytes: [UInt8]) -> ImportFormat {
        switch (path as NSString).pathExtension.lowercased() {
        case "csv", "tsv", "tab": return .csv
        case "vcf", "vcard": return .vcard
        case "json", "jsonl", "ndjson": return .json
        default: break
        }
        var text = firstBytes
        if text.starts(with: [0xEF, 0xBB, 0xBF]) { text.removeFirst(3) }
        if text.starts(with: [0xFF, 0xFE]) || text.starts(with: [0xFE, 0xFF]) {
            // UTF-16: keep the ASCII bytes for a look at the start.
            text = text.dropFirst(2).filter { $0 != 0 }
        }
        let start = String(decoding: text.prefix(64), as: UTF8.self)
            .trimmed.uppercased()
        if start.hasPrefix("BEGIN:VCARD") { return .vcard }
        if start.hasPrefix("{") || start.hasPrefix("[") { return .json }
        return .csv
    }
}

/// Opens an import file as the right reader: the one function `crm import`
/// and the import screen call.
public struct ImportOpener: Sendable {
    /// Makes the reader of our JSON export for a path. The JSON reader lives
    /// with the JSON writer (the exporter); the import wires it in here.
    public typealias JSONReaderFactory = @Sendable (_ path: String) throws -> any ImportReader

    public var json: JSONReaderFactory?

    public init(json: JSONReaderFactory? = nil) { self.json = json }

    public struct Options: Sendable, Equatable {
        /// `--format`; nil detects it from the extension and the first bytes.
        public var format: ImportFormat?
        /// `--map` (CSV only).
        public var mapping: String?
        /// The fields picked per column on the import screen (CSV only).
        public var columnFields: [String: ContactField]
        /// `--encoding` (CSV and vCard).
        public var encoding: String?

        public init(format: ImportFormat? = nil, mapping: String? = nil, columnFields: [String: ContactField] = [:],
                    encoding: String? = nil) {
            self.format = format; self.mapping = mapping; self.columnFields = columnFields; self.encoding = encoding
        }
    }

    /// The format the file will be read as.
    public func format(of path: String, options: Options) throws -> ImportFormat {
        if let format = options.format { return format }
        return ImportFormat.detect(path: path, firstBytes: try Self.firstBytes(of: path))
    }

    public func open(_ path: String, options: Options = Options()) throws -> any ImportReader {
        let format = try format(of: path, options: options)
        if (options.mapping != nil || !options.columnFields.isEmpty) && format != .csv {
            throw ImportFileError(.usage, path: path, message: "--map is for CSV files; this file is read as \(format.rawValue)")
        }
        switch format {
        case .csv:
            return try CSVImportReader(path: path, mapping: options.mapping, columnFields: options.columnFields, encoding: options.encoding)
        case .vcard:
            return try VCardImportReader(path: path, encoding: options.encoding)
        case .json:
            guard let json else {
                throw ImportFileError(.usage, path: path, message: "reading JSON is not available here; expected --format csv or vcard")
            }
            if options.encoding != nil {
                throw ImportFileError(.usage, path: path, message: "--encoding is for CSV and vCard files; our JSON is always UTF-8")
            }
            return try json(path)
        }
    }

    static func firstBytes(of path: String) throws -> [UInt8] {
        let fd = Glibc.open(path, O_RDONLY | O_CLOEXEC)
        guard fd >= 0 else {
            throw ImportFileError(.unreadable, path: path, message: "cannot open the file: \(String(cString: strerror(errno)))")
        }
        defer { Glibc.close(fd) }
        var buffer = [UInt8](repeating: 0, count: 256)
        let n = buffer.withUnsafeMutableBytes { Glibc.read(fd, $0.baseAddress, 256) }
        return n > 0 ? Array(buffer.prefix(n)) : []
    }
}
