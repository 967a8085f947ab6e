/// What a search line says when it finds nothing, the same on every screen.
public enum SearchMessages {
    /// Text without a letter or a digit (`😀`, `[`, `--`) matches nothing:
    /// said instead of listing everything as if it matched.
    public static let noTerms = "No matches: type letters or digits"
}
