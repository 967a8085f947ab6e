import Foundation

/// Why a line of an import file cannot be taken, said where the user finds
/// it: "line 42, column E-mail 1 - Value: 'bob@' is not an email address".
public struct ImportProblem: Error, Sendable, Equatable, CustomStringConvertible {
    public var line: Int
    /// The column header or vCard property the value came from, if known.
    public var column: String?
    public var message: String

    public init(line: Int, column: String? = nil, message: String) {
        self.line = line; self.column = column; self.message = message
    }

    public var description: String {
        if let column { return "line \(line), column \(column): \(message)" }
        return "line \(line): \(message)"
    }
}
