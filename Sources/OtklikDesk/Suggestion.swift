/// "Did you mean": the name closest to a mistyped one, by edit distance (a transposition counts once),
/// or the one name that contains it; nil when none is close enough to be the one meant.
public enum Suggestion {
    public static func closest(to typed: String, among names: [String]) -> String? {
        let word = Array(typed.lowercased())
        guard !word.isEmpty else { return nil }
        let scored = names.map { name in (name, distance(word, Array(name.lowercased()))) }
        let allowed = word.count <= 4 ? 1 : word.count <= 8 ? 2 : 3
        let best = scored.filter { $0.1 <= allowed }.min { ($0.1, $0.0) < ($1.1, $1.0) }
        if let best, best.1 > 0 { return best.0 }
        // A part of one name only ("petrova" for "curator.petrova").
        let containing = names.filter { $0.lowercased().contains(typed.lowercased()) && $0 != typed }
        return containing.count == 1 ? containing[0] : nil
    }

    /// Optimal string alignment distance: insertions, deletions, substitutions and swaps of neighbours.
    static func distance(_ a: [Character], _ b: [Character]) -> Int {
        guard !a.isEmpty else { return b.count }
        guard !b.isEmpty else { return a.count }
        var table = Array(repeating: Array(repeating: 0, count: b.count + 1), count: a.count + 1)
        for i in 0...a.count { table[i][0] = i }
        for j in 0...b.count { table[0][j] = j }
        for i in 1...a.count {
            for j in 1...b.count {
                let cost = a[i - 1] == b[j - 1] ? 0 : 1
                table[i][j] = min(table[i - 1][j] + 1, table[i][j - 1] + 1, table[i - 1][j - 1] + cost)
                if i > 1, j > 1, a[i - 1] == b[j - 2], a[i - 2] == b[j - 1] {
                    table[i][j] = min(table[i][j], table[i - 2][j - 2] + 1)
                }
            }
        }
        return table[a.count][b.count]
    }
}
