import CRMCore
import CRMRepositories
import Foundation

// Managing the stages of a pipeline on PostgreSQL: add, edit, reorder, and
// delete after moving the stage's deals elsewhere (and take that back), as
// SQLitePipelineRepository+Stages does, statement for statement.
extension PGPipelineRepository {
    public func addStage(_ stage: Stage, after afterStageID: Int64?) throws -> Stage {
        var s = stage
        s.kind = .open
        try ValidationFailure.check(s.validate())
        return try c.transaction {
            // Two sessions adding stages to one pipeline take turns (SQLite
            // has one writer), so positions never collide.
            guard try c.integer("SELECT id FROM pipelines WHERE id = ? FOR UPDATE", [s.pipelineID]) != nil else {
                throw RepositoryError.notFound(entity: "pipeline", id: s.pipelineID)
            }
            try BoardNames.refuseRepeat(s.name, of: try stages(pipelineID: s.pipelineID).map(\.name), what: "stage", place: " in this pipeline")
            var position = -1
            if let afterStageID {
                guard let after = try self.stage(afterStageID), after.pipelineID == s.pipelineID else {
                    throw RepositoryError.notFound(entity: "stage", id: afterStageID)
                }
                position = after.position
            }
            try c.run("UPDATE stages SET position = position + 1 WHERE pipeline_id = ? AND position > ?", [s.pipelineID, position])
            guard let id = try c.integer("""
                INSERT INTO stages(pipeline_id, name, position, probability, kind, rot_days) VALUES (?, ?, ?, ?, 'open', ?) RETURNING id
                """, [s.pipelineID, s.name, position + 1, s.probability, s.rotDays]) else {
                throw RepositoryError.notFound(entity: "stage", id: 0)
            }
            try db.audit.record("stage", id, "create", changes: ["name": ("", s.name)])
            return try self.stage(id)!
        }
    }

    public func updateStage(_ stage: Stage) throws -> Stage {
        try ValidationFailure.check(stage.validate())
        return try c.transaction {
            // FOR UPDATE: a second session saving the same version waits for
            // this one and then finds its version stale, as on SQLite's one writer.
            guard let old = try c.first("SELECT \(Self.stageColumns) FROM stages WHERE id = ? AND deleted_at IS NULL FOR UPDATE",
                                        [stage.id], Self.stage), old.version == stage.version else {
                throw try db.audit.staleEdit(entity: "stage", table: "stages", id: stage.id, expected: stage.version)
            }
            var changes = FieldChanges()
            changes.compare("name", old.name, stage.name)
            changes.compare("probability", old.probability, stage.probability)
            changes.compare("rot days", old.rotDays.map(String.init) ?? "never", stage.rotDays.map(String.init) ?? "never")
            if changes.isEmpty { return old }
            try BoardNames.refuseRepeat(stage.name, of: try stages(pipelineID: old.pipelineID).filter { $0.id != stage.id }.map(\.name),
                                        what: "stage", place: " in this pipeline")
            try c.run("UPDATE stages SET name = ?, probability = ?, rot_days = ?, version = version + 1 WHERE id = ? AND version = ?",
                      [stage.name, stage.probability, stage.rotDays, stage.id, stage.version])
            try db.audit.record("stage", stage.id, "update", values: changes.values)
            return try self.stage(stage.id)!
        }
    }

    public func moveStage(_ stageID: Int64, by offset: Int) throws {
        try c.transaction {
            guard let stage = try self.stage(stageID) else { throw RepositoryError.notFound(entity: "stage", id: stageID) }
            // The pipeline's stages are locked while their positions swap.
            try c.run("SELECT id FROM stages WHERE pipeline_id = ? ORDER BY id FOR UPDATE", [stage.pipelineID])
            let open = try stages(pipelineID: stage.pipelineID).filter { $0.kind == .open }
            guard let i = open.firstIndex(where: { $0.id == stageID }) else { throw RepositoryError.notFound(entity: "stage", id: stageID) }
            let j = i + (offset < 0 ? -1 : 1)
            guard offset != 0, open.indices.contains(j) else { return }
            // Swap the two positions; both rows change, so both versions move.
            try c.run("UPDATE stages SET position = ?, version = version + 1 WHERE id = ?", [open[j].position, open[i].id])
            try c.run("UPDATE stages SET position = ?, version = version + 1 WHERE id = ?", [open[i].position, open[j].id])
            try db.audit.record("stage", stageID, "move", changes: ["position": ("\(open[i].position)", "\(open[j].position)")])
        }
    }

    @discardableResult
    public func deleteStage(_ stageID: Int64, movingDealsTo targetStageID: Int64) throws -> StageDeletion {
        try c.transaction {
            guard let stage = try c.first("SELECT \(Self.stageColumns) FROM stages WHERE id = ? FOR UPDATE", [stageID], Self.stage) else {
                throw RepositoryError.notFound(entity: "stage", id: stageID)
            }
            guard stage.kind == .open else {
                throw ValidationFailure([FieldError("stage", "\(stage.name) is the pipeline's \(stage.kind.rawValue) outcome and cannot be deleted")])
            }
            let live = try stages(pipelineID: stage.pipelineID)
            guard live.contains(where: { $0.kind == .open && $0.id != stageID }) else {
                throw ValidationFailure([FieldError("stage", "\(stage.name) is the last open stage; a pipeline needs one")])
            }
            // Only an open stage can take the deals: sending them to "Lost"
            // would close them without a reason.
            guard targetStageID != stageID, let target = live.first(where: { $0.id == targetStageID && $0.kind == .open }) else {
                throw ValidationFailure([FieldError("target", "choose another open stage of this pipeline for the deals")])
            }
            let now = db.clock.now
            // The stage's deals are locked first: a move racing this delete
            // waits, then finds its version stale.
            try c.run("SELECT id FROM deals WHERE stage_id = ? ORDER BY id FOR UPDATE", [stageID])
            // Every open deal's move is recorded as if made one by one.
            try c.run("""
                INSERT INTO deal_stage_history(deal_id, from_stage_id, to_stage_id, changed_at, changed_by)
                SELECT id, ?::bigint, ?::bigint, ?::bigint, ?::bigint FROM deals WHERE stage_id = ? AND status = 'open' AND deleted_at IS NULL
                ORDER BY id
                """, [stageID, target.id, now, me, stageID])
            try c.run("""
                INSERT INTO interactions(contact_id, company_id, deal_id, kind, direction, occurred_at, subject, author_id, created_at)
                SELECT contact_id, company_id, id, 'stage', '', ?::bigint, title || ': ' || ?::text || ' → ' || ?::text, ?::bigint, ?::bigint
                FROM deals WHERE stage_id = ? AND status = 'open' AND deleted_at IS NULL ORDER BY id
                """, [now, stage.name, target.name, me, now, stageID])
            try PGInteractionSearch.indexMissing(c)
            // Appended below the target's cards, in their old order.
            let offset = (try c.first("SELECT coalesce(max(position), 0) FROM deals WHERE stage_id = ?", [target.id]) { $0.double(0) } ?? 0)
                - (try c.first("SELECT coalesce(min(position), 0) FROM deals WHERE stage_id = ?", [stageID]) { $0.double(0) } ?? 0) + 1
            let moved = try c.rows("SELECT id, stage_entered_at, status = 'open' FROM deals WHERE stage_id = ? ORDER BY id", [stageID]) {
                (id: $0.int64(0), enteredAt: $0.date(1), open: $0.bool(2))
            }
            let versions = try c.rows("""
                UPDATE deals SET stage_id = ?, position = position + ?::double precision, updated_at = ?, version = version + 1,
                       stage_entered_at = CASE WHEN status = 'open' THEN ?::bigint ELSE stage_entered_at END
                WHERE stage_id = ? RETURNING id, version
                """, [target.id, offset, now, now, stageID]) { ($0.int64(0), $0.int64(1)) }
            let versionOf = Dictionary(versions, uniquingKeysWith: { a, _ in a })
            try c.run("UPDATE stages SET deleted_at = ?, version = version + 1 WHERE id = ?", [now, stageID])
            try db.audit.record("stage", stageID, "delete", changes: ["deals moved to": ("", target.name)])
            let movedDeals = moved.compactMap { deal in
                versionOf[deal.id].map {
                    StageDeletion.MovedDeal(dealID: deal.id, version: $0, stageEnteredAt: deal.enteredAt, wasOpen: deal.open)
                }
            }
            return StageDeletion(stageID: stageID, stageName: stage.name, targetStageID: target.id, moved: movedDeals)
        }
    }

    public func restoreStage(_ deletion: StageDeletion) throws -> StageRestore {
        try c.transaction {
            let restored = try c.run("UPDATE stages SET deleted_at = NULL, version = version + 1 WHERE id = ? AND deleted_at IS NOT NULL",
                                     [deletion.stageID])
            guard restored == 1 else { throw RepositoryError.notFound(entity: "deleted stage", id: deletion.stageID) }
            let now = db.clock.now
            var back = 0
            for deal in deletion.moved {
                // Only a deal still where the delete put it, unchanged since:
                // a colleague's later move or edit is never taken back.
                let changed = try c.run("""
                    UPDATE deals SET stage_id = ?, updated_at = ?, version = version + 1, stage_entered_at = ?
                    WHERE id = ? AND version = ? AND stage_id = ? AND deleted_at IS NULL
                    """, [deletion.stageID, now, deal.stageEnteredAt, deal.dealID, deal.version, deletion.targetStageID])
                guard changed == 1 else { continue }
                back += 1
                // The delete's own record of the move goes with it (as on
                // SQLite): unchanged since, so its newest history row is it.
                guard let move = try c.first("""
                    SELECT id, changed_at FROM deal_stage_history
                    WHERE id = (SELECT max(id) FROM deal_stage_history WHERE deal_id = ?::bigint)
                      AND from_stage_id = ?::bigint AND to_stage_id = ?::bigint
                    """, [deal.dealID, deletion.stageID, deletion.targetStageID], { (id: $0.int64(0), at: $0.int64(1)) }) else { continue }
                try c.run("DELETE FROM deal_stage_history WHERE id = ?::bigint", [move.id])
                try c.run("""
                    DELETE FROM interactions WHERE id = (SELECT max(id) FROM interactions
                                                         WHERE deal_id = ?::bigint AND kind = 'stage' AND occurred_at = ?::bigint)
                    """, [deal.dealID, move.at])
            }
            try db.audit.record("stage", deletion.stageID, "restore", changes: ["deals moved back": ("", "\(back)")])
            return StageRestore(movedBack: back, kept: deletion.moved.count - back)
        }
    }

    public func renamePipeline(_ pipelineID: Int64, to name: String) throws {
        try ValidationFailure.check(Pipeline(name: name).validate())
        try c.transaction {
            guard let old = try pipelines().first(where: { $0.id == pipelineID }) else {
                throw RepositoryError.notFound(entity: "pipeline", id: pipelineID)
            }
            try BoardNames.refuseRepeat(name, of: try pipelines().filter { $0.id != pipelineID }.map(\.name), what: "pipeline")
            try c.run("UPDATE pipelines SET name = ?, version = version + 1 WHERE id = ?", [name, pipelineID])
            try db.audit.record("pipeline", pipelineID, "rename", changes: ["name": (old.name, name)])
        }
    }
}
