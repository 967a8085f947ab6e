import Foundation

/// A mail (or mbox) that cannot be read as one: no From, a header that is
/// not UTF-8, a cut-off message, something that is no mail at all. Said in
/// one sentence with where it is; the command exits 65 and writes nothing.
public struct MailError: Error, Equatable, Sendable, CustomStringConvertible {
    /// What is wrong and what is expected.
    public var message: String
    /// The line of the input (1-based) where the problem is, when known.
    public var line: Int?
    /// Which message of an mbox (1-based), when the input held several.
    public var messageNumber: Int?

    public init(_ message: String, line: Int? = nil, messageNumber: Int? = nil) {
        self.message = message
        self.line = line
        self.messageNumber = messageNumber
    }

    public var description: String {
        var place: [String] = []
        if let messageNumber { place.append("message \(messageNumber)") }
        if let line { place.append("line \(line)") }
        return place.isEmpty ? message : "\(place.joined(separator: ", ")): \(message)"
    }
}
