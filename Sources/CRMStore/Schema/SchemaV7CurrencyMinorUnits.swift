/// Version 7: deal values kept in the minor units ISO 4217 gives each
/// currency. Before, every code but a short list was taken to have 2 decimals
/// and IRR 0; ISO has IRR with 2, BIF, DJF, GNF, KMF, RWF, UYI, VUV and XPF
/// with 0, CLF and UYW with 4 (see ISO4217.swift). The amounts stay the same;
/// only their minor-unit count is rescaled (0 → 2 decimals: ×100; 2 → 0:
/// ÷100, rounded; 2 → 4: ×100). A value too large to rescale is left as it is
/// (it was already beyond what a deal may hold and shows as out of range).
/// Frozen SQL.
enum SchemaV7CurrencyMinorUnits {
    static let sql = """
    UPDATE deals SET value_minor = value_minor * 100, version = version + 1
    WHERE currency IN ('IRR', 'CLF', 'UYW') AND typeof(value_minor) = 'integer'
      AND abs(value_minor) < 90000000000000000;
    UPDATE deals SET value_minor = CAST(round(value_minor / 100.0) AS INTEGER), version = version + 1
    WHERE currency IN ('BIF', 'DJF', 'GNF', 'KMF', 'RWF', 'UYI', 'VUV', 'XPF') AND typeof(value_minor) = 'integer';
    """
}
