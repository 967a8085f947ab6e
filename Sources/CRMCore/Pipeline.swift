/// A sales process: an ordered list of stages that deals move through.
public struct Pipeline: Hashable, Sendable, Identifiable {
    public var id: Int64
    public var name: String
    public var position: Int
    public var version: Int64

    public init(id: Int64 = 0, name: String, position: Int = 0, version: Int64 = 0) {
        self.id = id; self.name = name; self.position = position; self.version = version
    }

    public func validate() -> [FieldError] {
        var errors: [FieldError] = []
        Check.required(name, "name", max: 100, into: &errors)
        return errors
    }
}

/// Whether deals in a stage are still being worked, or closed as won or lost.
public enum StageKind: String, CaseIterable, Sendable, Codable {
    case open, won, lost
}

/// One step of a pipeline.
public struct Stage: Hashable, Sendable, Identifiable {
    public var id: Int64
    public var pipelineID: Int64
    public var name: String
    public var position: Int
    /// Chance of winning a deal in this stage, 0...100 percent.
    public var probability: Int
    public var kind: StageKind
    /// Days without an interaction after which a deal here is "rotting"; nil: never.
    public var rotDays: Int?
    public var version: Int64

    public init(id: Int64 = 0, pipelineID: Int64, name: String, position: Int, probability: Int,
                kind: StageKind = .open, rotDays: Int? = nil, version: Int64 = 0) {
        self.id = id; self.pipelineID = pipelineID; self.name = name; self.position = position
        self.probability = probability; self.kind = kind; self.rotDays = rotDays; self.version = version
    }

    /// A win probability is a percentage.
    public static let probabilityRange = 0...100
    /// Rotting limits from a day to ten years (the longest contact cadence
    /// too): longer means never, which is said by leaving it empty.
    public static let rotDaysRange = 1...3650

    public func validate() -> [FieldError] {
        var errors: [FieldError] = []
        Check.required(name, "name", max: 100, into: &errors)
        if !Self.probabilityRange.contains(probability) {
            errors.append(FieldError("probability", "is \(probability); expected a percentage from 0 to 100"))
        }
        if let rot = rotDays, !Self.rotDaysRange.contains(rot) {
            errors.append(FieldError("rot days", "is \(rot); expected a number of days from 1 to 3650, or empty for never"))
        }
        return errors
    }

    /// A typed win probability: "40" or "40%", from 0 to 100.
    public static func parseProbability(_ text: String) throws -> Int {
        let t = text.trimmingCharacters(in: .whitespaces)
        let plain = LocalDigits.ascii(t)
        let digits = (plain.hasSuffix("%") ? String(plain.dropLast()) : plain).trimmingCharacters(in: .whitespaces)
        guard !digits.isEmpty, digits.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw FieldError("probability", "\"\(t)\" is not a percentage; expected a whole number from 0 to 100")
        }
        // Checked on the digits, so a long number is refused, not overflowed.
        let significant = digits.drop { $0 == "0" }
        guard significant.count <= 3, let value = Int(significant.isEmpty ? "0" : String(significant)),
              probabilityRange.contains(value) else {
            throw FieldError("probability", "\"\(t)\" is out of range; expected 0 to 100")
        }
        return value
    }

    /// A typed rotting limit in days, from 1 to 3650; empty means never (nil).
    public static func parseRotDays(_ text: String) throws -> Int? {
        let t = text.trimmingCharacters(in: .whitespaces)
        if t.isEmpty { return nil }
        let plain = LocalDigits.ascii(t)
        guard plain.allSatisfy({ $0.isASCII && $0.isNumber }) else {
            throw FieldError("rot days", "\"\(t)\" is not a number of days; expected 1 to 3650, or empty for never")
        }
        let significant = plain.drop { $0 == "0" }
        guard significant.count <= 4, let value = Int(significant.isEmpty ? "0" : String(significant)),
              rotDaysRange.contains(value) else {
            throw FieldError("rot days", "\"\(t)\" is out of range; expected 1 to 3650 days, or empty for never")
        }
        return value
    }
}
