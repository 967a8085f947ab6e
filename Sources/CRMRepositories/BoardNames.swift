import CRMCore
import Foundation

/// A pipeline's stages, and the pipelines, are told apart by name: on the
/// board, in reports and by `--pipeline`/`--stage`, which match a name
/// whatever its case or accents. So a name that folds to one already there
/// ("qualified" beside "Qualified", a second "Sales") is refused, by both
/// engines, before anything is written.
public enum BoardNames {
    static func folded(_ name: String) -> String {
        name.trimmingCharacters(in: .whitespaces).folding(options: [.caseInsensitive, .diacriticInsensitive], locale: nil)
    }

    /// Throws when `name` is one of `others` as people read it; `what` is
    /// "stage" or "pipeline", `place` where the other one is (" in Sales").
    public static func refuseRepeat(_ name: String, of others: [String], what: String, place: String = "") throws {
        guard let other = others.first(where: { folded($0) == folded(name) }) else { return }
        throw ValidationFailure([FieldError("name", "there is already a \(what) \"\(other)\"\(place); choose another name")])
    }
}
