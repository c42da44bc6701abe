import OtklikCore
import OtklikRPC

/// Fills one answer of a case list (`ListCases`) or of the work queue (`Queue`) from the store's rows,
/// read in the answer's own order. Each case is first asked whether it is a candidate at all (`admits`:
/// the caller's rights, a step that waits for them), then, unless the answer is full, put in it
/// (`take`, which may still leave it out for a filter only Swift applies, and says how many bytes it
/// added). The answer is full at `limit` cases or when its frame budget (`CaseViews.viewBudget`) is
/// spent. The first read is as large as the answer, since most rows pass; while cases are left out,
/// each further read is twice the last, at most 1024 rows.
struct CasePager<Position> {
    /// Cases in one answer at most.
    let limit: Int
    /// Reads `count` rows after `position` (nil: from the start), each case with its own position.
    let read: (_ after: Position?, _ count: Int) throws(RPCError) -> [(state: CaseState, position: Position)]
    /// Whether a short answer may still be filled by reading on: false when the store alone decides
    /// which rows are listed, so its rows are the answer.
    var readsOn = true
    /// Where a full answer's next page starts.
    var resume = Resume.afterLastTaken

    enum Resume {
        /// After the last case the answer holds: a list's rows include cases the caller may not read,
        /// and a cursor never names one of those.
        case afterLastTaken
        /// After the last row read before the case that did not fit, so the next page does not read
        /// again what this one passed over: for rows that are all within the caller's reach (the queue).
        case afterLastRead
    }

    /// The answer's cases go to `take`; returns where the next page starts (by `resume`), nil when the
    /// rows ran out.
    func fill(
        after start: Position?,
        admits: (CaseState) -> Bool,
        take: (CaseState) throws(RPCError) -> Int?
    ) throws(RPCError) -> Position? {
        var position = start
        var lastTaken: Position?
        var taken = 0
        var size = 0
        var page = limit + 1
        while true {
            let rows = try read(position, page)
            for (state, next) in rows {
                guard admits(state) else {
                    position = next
                    continue
                }
                if taken == limit || size > CaseViews.viewBudget {
                    switch resume {
                    case .afterLastTaken: return lastTaken
                    case .afterLastRead: return position
                    }
                }
                position = next
                guard let added = try take(state) else { continue }
                lastTaken = next
                taken += 1
                size += added
            }
            if rows.count < page || !readsOn { return nil }
            page = min(page * 2, 1024)
        }
    }
}
