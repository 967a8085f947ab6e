import CRMCore
import Foundation

/// Amounts of several currencies turned into the default currency with the
/// settings' rates (`rate.USD = 0.92`: one USD is 0.92 of the default). Only
/// when every currency has a rate: a total that leaves one out would look
/// complete and be wrong, so there is then no converted total at all.
struct ReportMoneyConversion {
    let target: Currency
    let rates: [String: Double]

    init(settings: Settings) {
        target = Currency(stored: settings.currency)
        rates = settings.rates
    }

    func rate(_ currency: Currency) -> Double? {
        currency == target ? 1 : rates[currency.code].flatMap { $0 > 0 ? $0 : nil }
    }

    /// Whether amounts in all of `currencies` can be converted.
    func converts(_ currencies: some Sequence<Currency>) -> Bool {
        currencies.allSatisfy { rate($0) != nil }
    }

    /// The sum of `amounts` in the target currency's minor units; nil when a
    /// currency has no rate.
    func total(_ amounts: [Currency: Int64]) -> Money? {
        var sum = 0.0
        for (currency, minor) in amounts {
            guard let rate = rate(currency) else { return nil }
            sum += Double(minor) / pow(10, Double(currency.minorDigits)) * rate
        }
        return Self.minorUnits(sum * pow(10, Double(target.minorDigits))).map { Money(minorUnits: $0, currency: target) }
    }

    /// A computed amount in whole minor units; nil when it is not finite or
    /// beyond Int64 (converting such a Double would trap).
    static func minorUnits(_ amount: Double) -> Int64? {
        let rounded = amount.rounded()
        guard rounded.isFinite, abs(rounded) < 9.2e18 else { return nil }
        return Int64(rounded)
    }

    /// "USD converted at rate.USD = 0.92" for each converted currency.
    func note(_ currencies: some Sequence<Currency>) -> String {
        let used = Set(currencies).filter { $0 != target }.sorted()
        let parts = used.map { "rate.\($0.code) = \(rates[$0.code].map { String($0) } ?? "?")" }
        return "Totals marked ≈ are converted to \(target.code) at " + parts.joined(separator: ", ") + " (settings)."
    }
}
