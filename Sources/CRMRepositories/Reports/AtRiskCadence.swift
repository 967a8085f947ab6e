import CRMCore

/// The cadence rules the at-risk list applies, folded per target as both
/// engines bind them: the customer stage's days, each tier's and each tag's
/// (by `TagName.key`), the shortest where several rules name the same target.
public struct AtRiskCadence: Sendable {
    /// No cadence is "never due": a number of days no rule reaches.
    public static let never: Int64 = 1_000_000
    /// The customer stage's days (`never` without a rule).
    public var lifecycle: Int64
    public var tiers: [ValueTier: Int64] = [:]
    public var tags: [String: Int64] = [:]

    public init(_ rules: [CadenceRule]) {
        var lifecycle: Int64?
        for rule in rules {
            let days = Int64(rule.days)
            switch rule.target {
            case .lifecycle(.customer): lifecycle = min(lifecycle ?? days, days)
            case .lifecycle: break
            // Keyed as the stored tags are matched (crm_tag_key, lower()): İ is i.
            case .tag(let t): tags[TagName.key(t)] = min(tags[TagName.key(t)] ?? days, days)
            case .tier(let t): tiers[t] = min(tiers[t] ?? days, days)
            }
        }
        self.lifecycle = lifecycle ?? Self.never
    }

    /// A tier's days (`never` without a rule).
    public func days(_ tier: ValueTier) -> Int64 { tiers[tier] ?? Self.never }
}
