import Foundation

/// A validation problem with one field of a record: which field, and what is
/// expected there. Forms show `message` next to the field named `field`.
public struct FieldError: Error, Equatable, Sendable, CustomStringConvertible {
    public let field: String
    public let message: String

    public init(_ field: String, _ message: String) {
        self.field = field
        self.message = message
    }

    public var description: String { "\(field): \(message)" }
}

/// All the problems found in one record; thrown when any exist so that a form
/// can show every error at once, not one per attempt.
public struct ValidationFailure: Error, Equatable, Sendable, CustomStringConvertible {
    public let errors: [FieldError]

    public init(_ errors: [FieldError]) { self.errors = errors }

    public func message(for field: String) -> String? {
        errors.first { $0.field == field }?.message
    }

    public var description: String { errors.map(\.description).joined(separator: "; ") }

    /// Throws when `errors` is not empty.
    public static func check(_ errors: [FieldError]) throws {
        if !errors.isEmpty { throw ValidationFailure(errors) }
    }
}

/// Small checks shared by every record type.
enum Check {
    static func required(_ value: String, _ field: String, max: Int, into errors: inout [FieldError]) {
        let trimmed = Latin1Text.trimmed(value, .whitespacesAndNewlines)
        if trimmed.isEmpty {
            errors.append(FieldError(field, "is required"))
        } else {
            length(value, field, max: max, into: &errors)
        }
    }

    static func length(_ value: String, _ field: String, max: Int, into errors: inout [FieldError]) {
        if !Latin1Text.fits(value, max) {
            errors.append(FieldError(field, "is too long: \(value.count) characters, at most \(max)"))
        } else if value.utf8.contains(0) {
            // Text ends at a NUL for SQLite's and libpq's C strings: stored, it
            // would be read back cut there. It is what UTF-16 read as UTF-8 holds.
            errors.append(FieldError(field, Self.nulMessage))
        }
    }

    static let nulMessage = "holds a NUL character (U+0000), which text cannot; a UTF-16 file? convert it with iconv -f UTF-16 -t UTF-8"
}

