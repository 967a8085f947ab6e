/// Retention's lists from the two parts both engines read them in (their
/// stored lifecycle spans): today's customers by creation time, counted as
/// customers at the start and the end if created before the start, at the
/// end only if created in the period; then the contacts that moved, whose
/// states replace that guess.
public struct RetentionTally {
    /// How the pass by creation counted a moved contact (the engines' `counted` column).
    public enum Counted: Int { case not = 0, kept = 1, came = 2 }

    private var kept: Set<Int64>, came: Set<Int64>, gone = Set<Int64>()

    public init(createdBeforeStart: [Int64], createdInPeriod: [Int64]) {
        kept = Set(createdBeforeStart)
        came = Set(createdInPeriod)
    }

    public mutating func moved(_ id: Int64, atStart: Bool, atEnd: Bool, counted: Counted?) {
        switch counted {
        case .kept: kept.remove(id)
        case .came: came.remove(id)
        case .not, nil: break
        }
        switch (atStart, atEnd) {
        case (true, true): kept.insert(id)
        case (true, false): gone.insert(id)
        case (false, true): came.insert(id)
        case (false, false): break
        }
    }

    public var figures: RetentionFigures {
        RetentionFigures(atStart: kept.union(gone).sorted(), retained: kept.sorted(), lost: gone.sorted(), gained: came.sorted())
    }
}
