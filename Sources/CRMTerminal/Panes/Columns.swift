/// Lays out table columns in a given width: each column has a minimum and a
/// priority; when space is short the lowest-priority columns are dropped and
/// spare space goes to the flexible ones.
struct ColumnSpec {
    let title: String
    let minWidth: Int
    /// Lower numbers survive longer when the pane is narrow.
    let priority: Int
    /// Share of the spare width (0: fixed at minWidth).
    let flex: Int
    var align: DisplayWidth.Alignment = .left
}

struct ColumnLayout {
    /// (index into the specs, x offset, width) of each shown column.
    let shown: [(index: Int, x: Int, width: Int)]

    init(_ specs: [ColumnSpec], width: Int, gap: Int = 1) {
        var chosen = Array(specs.indices)
        func needed(_ set: [Int]) -> Int { set.reduce(0) { $0 + specs[$1].minWidth } + gap * max(set.count - 1, 0) }
        while needed(chosen) > width, chosen.count > 1,
              let drop = chosen.max(by: { specs[$0].priority < specs[$1].priority }) {
            chosen.removeAll { $0 == drop }
        }
        let spare = max(0, width - needed(chosen))
        let totalFlex = chosen.reduce(0) { $0 + specs[$1].flex }
        var x = 0
        var result: [(Int, Int, Int)] = []
        var given = 0
        for (n, i) in chosen.enumerated() {
            var w = specs[i].minWidth
            if totalFlex > 0 && specs[i].flex > 0 {
                let extra = n == chosen.lastIndex(where: { specs[$0].flex > 0 })
                    ? spare - given
                    : spare * specs[i].flex / totalFlex
                w += extra
                given += extra
            }
            w = min(w, max(width - x, 0))
            result.append((i, x, w))
            x += w + gap
        }
        shown = result
    }
}
