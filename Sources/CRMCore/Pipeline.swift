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

    public func validate() -> [FieldError] {
        var errors: [FieldError] = []
        Check.required(name, "name", max: 100, into: &errors)
        if !(0...100).contains(probability) {
            errors.append(FieldError("probability", "is \(probability); expected a percentage from 0 to 100"))
        }
        if let rot = rotDays, rot < 1 {
            errors.append(FieldError("rot days", "is \(rot); expected a number of days, 1 or more, or empty for never"))
        }
        return errors
    }
}
