import CRMRepositories
import CRMStore
import CRMCore
import Foundation

/// Fills a database with one big pipeline for `crm bench`: `deals` open deals
/// spread over its stages, in two currencies, owned by a few users, most with
/// a company. One transaction of prepared, bound inserts.
public enum PipelineBenchData {
    public static let pipelineName = "Bench pipeline"

    /// The bench pipeline, created and filled if the database lacks it.
    public static func prepare(_ db: Database, deals count: Int) throws -> Pipeline {
        if let existing = try db.pipelines.pipelines().first(where: { $0.name == pipelineName }) { return existing }
        let names = ["Lead", "Qualified", "Demo", "Proposal", "Negotiation", "Contract", "Legal", "Signature"]
        let probabilities = [5, 15, 30, 50, 65, 80, 90, 95]
        let pipeline = try db.pipelines.createPipeline(pipelineName, stages: names.indices.map {
            Stage(pipelineID: 0, name: names[$0], position: $0, probability: probabilities[$0], rotDays: $0 == 1 ? 14 : nil)
        })
        let stages = try db.pipelines.stages(pipelineID: pipeline.id).filter { $0.kind == .open }
        let c = db.connection
        try c.transaction {
            var owners: [Int64] = []
            for i in 0..<5 { owners.append(try db.users.findOrCreate(login: "rep\(i)").id) }
            let now = Date()
            var companies: [Int64] = []
            for i in 0..<500 {
                try c.run("INSERT INTO companies(name, created_at, updated_at) VALUES (?, ?, ?)", ["Bench Company \(i)", now, now])
                companies.append(c.lastInsertRowID)
            }
            for i in 0..<count {
                let stage = stages[i % stages.count]
                let entered = now.addingTimeInterval(-Double(i % 60) * 86400)
                try c.run("""
                    INSERT INTO deals(pipeline_id, stage_id, title, value_minor, currency, owner_id, company_id,
                                      stage_entered_at, position, created_at, updated_at)
                    VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?, ?)
                    """, [pipeline.id, stage.id, "Bench deal \(i)", Int64(1000 + (i * 7919) % 90_000) * 100, (i / stages.count) % 4 == 0 ? "USD" : "EUR",
                          owners[i % owners.count], i % 10 == 0 ? nil : companies[i % companies.count], entered, Double(i / stages.count),
                          entered, entered])
                try c.run("INSERT INTO deal_stage_history(deal_id, from_stage_id, to_stage_id, changed_at, changed_by) VALUES (?, NULL, ?, ?, ?)",
                          [c.lastInsertRowID, stage.id, entered, owners[i % owners.count]])
            }
        }
        return pipeline
    }
}
