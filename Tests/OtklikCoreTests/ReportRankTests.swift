import Foundation
import OtklikCore
import Testing

/// Units with the same share on time share a place; the next place counts the units before it.
@Suite struct ReportRankTests {
    func line(_ party: String, _ count: Int, _ of: Int) -> String {
        #"{"clock":"reply","party":"\#(party)","ran":\#(of),"on_time":\#(count),"late":\#(of - count),"open_overdue":0,"open":0,"share_on_time":{"count":\#(count),"of":\#(of)},"median_late_minutes":null,"worst_late_minutes":null}"#
    }

    @Test func equalSharesShareAPlace() throws {
        let json =
            "["
            + [line("a", 9, 10), line("b", 6, 10), line("c", 3, 5), line("d", 5, 10), line("e", 1, 2)].joined(
                separator: ",") + "]"
        let lines = try JSONDecoder().decode([MonthlyReport.ClockLine].self, from: Data(json.utf8))
        let ranks = MonthlyReportBuilder.rankedUnits(lines).map { "\($0.unit)=\($0.rank.map(String.init) ?? "-")" }
        // b and c both 60 %: second, together; d is fourth; e has too few clocks to rank.
        #expect(ranks == ["a=1", "b=2", "c=2", "d=4", "e=-"])
    }

    /// Issue 26, item 11: a share is told rounded, not floored, and places follow what is told: 2 of 3
    /// and 67 of 100 both read "67 %" and share a place; 199 of 300 (66.3 %) is below them.
    @Test func sharesAreRoundedAndPlacesFollowTheSharesShown() throws {
        #expect(MonthlyReport.Share(count: 2, of: 3).percent == 67)
        #expect(MonthlyReport.Share(count: 1, of: 8).percent == 13, "12.5 rounds half up")
        #expect(MonthlyReport.Share(count: 1, of: 3).percent == 33)
        #expect(MonthlyReport.Share(count: 0, of: 0).percent == nil)
        #expect(MonthlyReport.Share(count: 5, of: 5).percent == 100)
        let json =
            "[" + [line("a", 20, 30), line("b", 67, 100), line("c", 199, 300), line("d", 2, 7)].joined(separator: ",")
            + "]"
        let lines = try JSONDecoder().decode([MonthlyReport.ClockLine].self, from: Data(json.utf8))
        let ranks = MonthlyReportBuilder.rankedUnits(lines).map { "\($0.unit)=\($0.rank.map(String.init) ?? "-")" }
        #expect(ranks == ["a=1", "b=1", "c=3", "d=4"])
    }
}
