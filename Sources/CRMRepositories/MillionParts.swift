/// Money is summed in SQL in two parts that stay exact for any number of
/// rows, Σ(value / 10^6) and Σ(value % 10^6) (a plain sum of values could
/// overflow inside SQLite, which then answers with a float). The board's
/// column totals and the reports join the parts here, with checked
/// arithmetic: nil when the total does not fit in Int64.
public enum MillionParts {
    public static func join(_ millions: Int64, _ units: Int64) -> Int64? {
        let (high, o1) = millions.multipliedReportingOverflow(by: 1_000_000)
        let (sum, o2) = high.addingReportingOverflow(units)
        return o1 || o2 ? nil : sum
    }
}
