import CRMCore
import CRMRepositories
import Foundation

/// Pipelines and their stages on PostgreSQL, as `SQLitePipelineRepository`
/// keeps them: the same rows, versions and audit records.
public final class PGPipelineRepository: PipelineRepository {
    let db: PostgresDatabase
    var c: PGConnection { db.connection }
    public init(db: PostgresDatabase) { self.db = db }
    /// The acting user for `changed_by`/`author_id` columns: nil for the program itself.
    var me: Int64? { db.currentUser.storedID }

    public func pipelines() throws -> [Pipeline] {
        try c.rows("SELECT id, name, position, version FROM pipelines WHERE deleted_at IS NULL ORDER BY position, id") {
            Pipeline(id: $0.int64(0), name: $0.string(1), position: $0.int(2), version: $0.int64(3))
        }
    }

    /// Creates a pipeline with its stages (in the given order); adds "Won" and
    /// "Lost" outcome stages when `stages` has none of those kinds.
    public func createPipeline(_ name: String, stages: [Stage]) throws -> Pipeline {
        try ValidationFailure.check(Pipeline(name: name).validate())
        for stage in stages { try ValidationFailure.check(stage.validate()) }
        return try c.transaction {
            try BoardNames.refuseRepeat(name, of: try pipelines().map(\.name), what: "pipeline")
            let position = Int(try c.integer("SELECT coalesce(max(position), -1) + 1 FROM pipelines") ?? 0)
            guard let id = try c.integer("INSERT INTO pipelines(name, position, created_at) VALUES (?, ?, ?) RETURNING id",
                                         [name, position, db.clock.now]) else {
                throw RepositoryError.notFound(entity: "pipeline", id: 0)
            }
            var all = stages
            if !all.contains(where: { $0.kind == .won }) {
                all.append(Stage(pipelineID: id, name: "Won", position: 0, probability: 100, kind: .won))
            }
            if !all.contains(where: { $0.kind == .lost }) {
                all.append(Stage(pipelineID: id, name: "Lost", position: 0, probability: 0, kind: .lost))
            }
            for (i, stage) in all.enumerated() {
                try c.run("""
                    INSERT INTO stages(pipeline_id, name, position, probability, kind, rot_days) VALUES (?, ?, ?, ?, ?, ?)
                    """, [id, stage.name, i, stage.probability, stage.kind.rawValue, stage.rotDays])
            }
            try db.audit.record("pipeline", id, "create", changes: ["name": ("", name)])
            return Pipeline(id: id, name: name, position: position, version: 1)
        }
    }

    static let stageColumns = "id, pipeline_id, name, position, probability, kind, rot_days, version"
    static func stage(_ row: PGRow) -> Stage {
        Stage(id: row.int64(0), pipelineID: row.int64(1), name: row.string(2), position: row.int(3),
              probability: row.int(4), kind: StageKind(rawValue: row.string(5)) ?? .open,
              rotDays: row.optionalInt64(6).map { Int($0) }, version: row.int64(7))
    }

    /// All stages of a pipeline, open ones first in board order, then won and lost.
    public func stages(pipelineID: Int64) throws -> [Stage] {
        try c.rows("""
            SELECT \(Self.stageColumns) FROM stages WHERE pipeline_id = ? AND deleted_at IS NULL
            ORDER BY kind <> 'open', position, id
            """, [pipelineID], Self.stage)
    }

    public func stage(_ id: Int64) throws -> Stage? {
        try c.first("SELECT \(Self.stageColumns) FROM stages WHERE id = ?", [id], Self.stage)
    }
}
