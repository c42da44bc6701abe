import OtklikBase
import OtklikCore
import OtklikRPC
@testable import OtklikServer
import Testing

/// The one pager of `ListCases` and `Queue`: a full answer ends where the next page starts, cases left
/// out make it read on in growing pages, and the rows running out ends it without a next page.
@Suite struct CasePagerTests {
    /// Cases 1...count, each at its own number as its position.
    static func rows(_ count: Int) -> [(state: CaseState, position: Int)] {
        (1...count).map { n in
            (
                CaseState(
                    id: "2026-\(n)", registered: WorkflowEvent(kind: .registered, at: Instant(seconds: Int64(n)))), n
            )
        }
    }

    /// A pager over `rows`, recording the size of every read.
    static func pager(
        _ rows: [(state: CaseState, position: Int)], limit: Int, reads: Locked<[Int]>, readsOn: Bool = true,
        resume: CasePager<Int>.Resume = .afterLastTaken
    ) -> CasePager<Int> {
        CasePager(
            limit: limit,
            read: { after, count in
                reads.withLock { $0.append(count) }
                return Array(rows.filter { $0.position > (after ?? 0) }.prefix(count))
            }, readsOn: readsOn, resume: resume)
    }

    @Test func aFullAnswerSaysWhereTheNextPageStarts() throws {
        let reads = Locked<[Int]>([])
        var taken: [String] = []
        let next = try Self.pager(Self.rows(10), limit: 3, reads: reads).fill(
            after: nil, admits: { _ in true },
            take: {
                taken.append($0.id); return 1
            })
        #expect(taken == ["2026-1", "2026-2", "2026-3"] && next == 3 && reads.current == [4])
        // From there: the next three.
        taken = []
        #expect(
            try Self.pager(Self.rows(10), limit: 3, reads: reads).fill(
                after: 3, admits: { _ in true },
                take: {
                    taken.append($0.id); return 1
                }) == 6)
        #expect(taken == ["2026-4", "2026-5", "2026-6"])
    }

    @Test func casesLeftOutMakeItReadOnInGrowingPagesAndTheEndHasNoNextPage() throws {
        // Only every fifth case is a candidate (the caller may read it), and of those take leaves out
        // the odd ones.
        func fill(_ resume: CasePager<Int>.Resume) throws -> (taken: [String], next: Int?, reads: [Int]) {
            let reads = Locked<[Int]>([])
            var taken: [String] = []
            let next = try Self.pager(Self.rows(60), limit: 2, reads: reads, resume: resume).fill(
                after: nil, admits: { Int($0.id.dropFirst(5))! % 5 == 0 },
                take: { state in
                    guard Int(state.id.dropFirst(5))! % 2 == 0 else { return nil }
                    taken.append(state.id)
                    return 1
                })
            return (taken, next, reads.current)
        }
        let list = try fill(.afterLastTaken)
        #expect(list.taken == ["2026-10", "2026-20"])
        #expect(list.reads == [3, 6, 12, 24])
        // The candidate after 20 (25) does not fit. A list's next page starts after the last case it
        // shows: its cursor never names a row the caller may not read (21 to 24).
        #expect(list.next == 20)
        // The queue's rows are all within the caller's reach: it starts after the last row read, 24.
        let queue = try fill(.afterLastRead)
        #expect(queue.taken == list.taken && queue.next == 24)
        let reads = Locked<[Int]>([])
        // Past the last candidate the rows run out: no next page.
        #expect(
            try Self.pager(Self.rows(60), limit: 5, reads: reads).fill(
                after: 40, admits: { _ in true }, take: { _ in nil }) == nil)
    }

    @Test func whenTheStoreAloneDecidesItsRowsAreTheAnswer() throws {
        let reads = Locked<[Int]>([])
        let next = try Self.pager(Self.rows(10), limit: 3, reads: reads, readsOn: false).fill(
            after: nil, admits: { _ in true }, take: { _ in nil })
        #expect(next == nil && reads.current == [4])
    }

    @Test func anAnswerEndsWhenItsFrameBudgetIsSpent() throws {
        let reads = Locked<[Int]>([])
        var taken = 0
        let next = try Self.pager(Self.rows(10), limit: 10, reads: reads).fill(
            after: nil, admits: { _ in true },
            take: { _ in
                taken += 1
                return CaseViews.viewBudget
            })
        // The second case spends the budget: the third is the next page's.
        #expect(taken == 2 && next == 2)
    }
}
