"""Each value that once brought the daemon down, or was stored and brought it down again at every
restart: now refused at the boundary as INVALID_ARGUMENT naming the field and the limit, nothing
changed, the daemon serving, and serving again after a restart."""
import json

import fuzzlib
from otklik_client._gen.otklik.v1 import admin_pb2, calendar_pb2, cases_pb2, directory_pb2, reports_pb2, words_pb2

INVALID_ARGUMENT = 3
OUT_OF_RANGE = 11
INT64_MIN, INT64_MAX = -(1 << 63), (1 << 63) - 1
CURATOR = {"otklik-as": "curator.petrova"}


def call(daemon, service, method, request, metadata=None):
    with fuzzlib.RawConnection(daemon.socket_path) as connection:
        code, payload = connection.call(service, method, request, metadata=metadata)
        return code, connection.last_message, payload


def event_count(daemon):
    code, _, payload = call(daemon, "otklik.v1.Admin", "Health", admin_pb2.HealthRequest())
    assert code == 0
    return admin_pb2.HealthResponse.FromString(payload).event_count


def case_list_answers(daemon):
    code, message, _ = call(daemon, "otklik.v1.Cases", "ListCases", cases_pb2.ListCasesRequest(), CURATOR)
    assert code == 0, message


def refused(daemon, service, method, request, field, metadata=None, code=INVALID_ARGUMENT):
    """The call is refused with a sentence naming `field`, and the log holds no new event."""
    before = event_count(daemon)
    answer, message, _ = call(daemon, service, method, request, metadata)
    assert answer == code, message
    assert field in message, message
    assert event_count(daemon) == before
    return message


def message(**overrides):
    fields = dict(network="vk", url="https://vk.com/wall-1_4242", author="Иван Петров", text="Яма на дороге",
                  detected_at_unix=fuzzlib.DEMO_NOW_UNIX - 600)
    fields.update(overrides)
    return cases_pb2.RegisterMessageRequest(**fields)


def test_a_posted_at_of_int64_min_is_refused_and_case_lists_keep_working_after_a_restart(daemon):
    text = refused(daemon, "otklik.v1.Cases", "RegisterMessage", message(posted_at_unix=INT64_MIN), "posted_at_unix", CURATOR)
    assert "2000-01-01" in text and "2100-12-31" in text
    daemon.restart()
    case_list_answers(daemon)


def test_an_open_ended_absence_is_refused_and_absence_lists_keep_working_after_a_restart(daemon):
    for field, request in (("to_unix", directory_pb2.AddAbsenceRequest(login="roads.smirnov", from_unix=fuzzlib.DEMO_NOW_UNIX,
                                                                       to_unix=INT64_MAX, deputy="housing.kuznetsova")),
                           ("from_unix", directory_pb2.AddAbsenceRequest(login="roads.smirnov", from_unix=INT64_MIN,
                                                                         to_unix=fuzzlib.DEMO_NOW_UNIX, deputy="housing.kuznetsova"))):
        refused(daemon, "otklik.v1.Directory", "AddAbsence", request, field)
    daemon.restart()
    code, text, _ = call(daemon, "otklik.v1.Directory", "ListAbsences", directory_pb2.ListRequest())
    assert code == 0, text


def test_a_report_for_year_zero_is_refused_not_a_crash(daemon):
    for request in (reports_pb2.MonthlySummaryRequest(month="0000-01"),
                    reports_pb2.MonthlySummaryRequest(**{"from": "0000-01-01", "to": "0000-02-01"}),
                    reports_pb2.MonthlySummaryRequest(**{"from": "2026-01-01", "to": "2099-02-01"})):
        refused(daemon, "otklik.v1.Reports", "MonthlySummary", request, "2000-2100")
    assert daemon.alive()


def test_a_production_calendar_year_outside_the_accepted_years_is_refused_over_rpc_and_the_daemon_restarts(daemon):
    year = calendar_pb2.CalendarYear(year=1800, source="test")
    refused(daemon, "otklik.v1.Calendar", "ImportProductionCalendar", calendar_pb2.ImportProductionCalendarRequest(years=[year]), "year")
    daemon.restart()
    assert daemon.health_ok()


def test_the_test_clock_cannot_be_set_or_advanced_past_the_calendar_or_to_int64_max(daemon):
    refused(daemon, "otklik.v1.Admin", "SetClock", admin_pb2.SetClockRequest(now_unix=INT64_MAX), "now_unix")
    refused(daemon, "otklik.v1.Admin", "AdvanceClock", admin_pb2.AdvanceClockRequest(seconds=INT64_MAX), "seconds")
    # Within the accepted instants but past the years working time is computed for: out of range.
    refused(daemon, "otklik.v1.Admin", "SetClock", admin_pb2.SetClockRequest(now_unix=4_000_000_000), "test clock", code=OUT_OF_RANGE)
    case_list_answers(daemon)


def test_strings_over_their_limit_are_refused_with_the_limit_in_the_sentence(daemon):
    assert "256" in refused(daemon, "otklik.v1.Cases", "RegisterMessage", message(external_id="x" * 4_000_000), "external_id", CURATOR)
    assert "65536" in refused(daemon, "otklik.v1.Cases", "RegisterMessage", message(text="ы" * 40_000), "text", CURATOR)
    assert "20" in refused(daemon, "otklik.v1.Cases", "RegisterMessage", message(topics=[f"t{n}" for n in range(100_000)]), "topics", CURATOR)
    refused(daemon, "otklik.v1.Cases", "RegisterMessage", message(topics=["т" * 60]), "topics", CURATOR)
    refused(daemon, "otklik.v1.Directory", "PutStaff",
            directory_pb2.StaffView(login="x", full_name="Я" * 1000, os_user="nobody", unit="roads", roles=[words_pb2.ROLE_EXECUTOR], active=True), "full_name")
    case_list_answers(daemon)


def test_nul_control_characters_and_bad_utf8_are_refused_not_cut_short(daemon):
    refused(daemon, "otklik.v1.Cases", "RegisterMessage", message(text="Яма\x00; DROP"), "NUL", CURATOR)
    refused(daemon, "otklik.v1.Cases", "RegisterMessage", message(author="Иван\x1b[31m"), "U+001B", CURATOR)
    refused(daemon, "otklik.v1.Cases", "RegisterMessage", message(url="https://vk.com/\x07"), "U+0007", CURATOR)
    # Bad UTF-8 cannot be built with the Python message class: patch the encoded bytes.
    good = message(author="AAAA").SerializeToString()
    bad = good.replace(b"AAAA", b"\xc3\x28\xff\xfe")
    refused(daemon, "otklik.v1.Cases", "RegisterMessage", bad, "UTF-8", CURATOR)
    # Tabs and line breaks are text.
    code, text, _ = call(daemon, "otklik.v1.Cases", "RegisterMessage", message(text="Яма\tна\nдороге"), CURATOR)
    assert code == 0, text


def test_mapping_a_login_to_root_is_refused(daemon):
    refused(daemon, "otklik.v1.Directory", "PutStaff",
            directory_pb2.StaffView(login="kto", full_name="Кто-то", os_user="root", unit="roads", roles=[words_pb2.ROLE_EXECUTOR], active=True),
            "root or the daemon's own user")


def test_a_case_grown_by_forty_returns_of_64_kib_drafts_still_reads_and_every_step_is_answered(daemon):
    executor = {"otklik-as": "roads.smirnov"}
    code, text, payload = call(daemon, "otklik.v1.Cases", "RegisterMessage", message(url="https://vk.com/wall-1_9000"), CURATOR)
    assert code == 0, text
    view = cases_pb2.CaseView.FromString(payload)
    code, text, payload = call(daemon, "otklik.v1.Cases", "Route", cases_pb2.RouteRequest(
        case_id=view.id, expected_version=view.version, executors=["roads"],
        topics=[cases_pb2.TopicAssignment(unit="roads", topic="дороги")]), CURATOR)
    assert code == 0, text
    view = cases_pb2.CaseView.FromString(payload)
    assignment = view.assignments[0].id
    big = "Ремонт дороги. " * 2300  # about 62 KiB of text, and as much of measures
    for round in range(40):
        code, text, payload = call(daemon, "otklik.v1.Replies", "SubmitDraft", cases_pb2.SubmitDraftRequest(
            assignment_id=assignment, expected_version=view.version, kind=words_pb2.DRAFT_KIND_FINAL, text=f"{round} {big}", measures=big), executor)
        assert code == 0, f"submit {round}: {text}"
        view = cases_pb2.CaseView.FromString(payload)
        code, text, payload = call(daemon, "otklik.v1.Replies", "ReturnDraft", cases_pb2.DraftDecisionRequest(
            assignment_id=assignment, expected_version=view.version, reason=words_pb2.RETURN_REASON_INCOMPLETE, comment="Дополните"), CURATOR)
        assert code == 0, f"return {round}: {text}"
        view = cases_pb2.CaseView.FromString(payload)
    # The case as stored is some 9 MB of drafts; its view fits a frame, the newest draft whole.
    code, text, payload = call(daemon, "otklik.v1.Cases", "GetCase", cases_pb2.CaseRef(id=view.id), CURATOR)
    assert code == 0, text
    view = cases_pb2.CaseView.FromString(payload)
    drafts = view.assignments[0].drafts
    assert len(drafts) == 40
    assert drafts[-1].text.startswith("39 ") and not drafts[-1].text_trimmed
    assert drafts[0].text_trimmed and len(drafts[0].text.encode()) <= 2048
    code, text, _ = call(daemon, "otklik.v1.Cases", "ListCases", cases_pb2.ListCasesRequest(limit=1000), CURATOR)
    assert code == 0, text
    # The history comes in pages that each fit, and together hold every event.
    after, seen = 0, 0
    while True:
        code, text, payload = call(daemon, "otklik.v1.Cases", "GetHistory", cases_pb2.CaseRef(id=view.id, after=after), CURATOR)
        assert code == 0, text
        page = cases_pb2.HistoryResponse.FromString(payload)
        seen += len(page.entries)
        if not page.next_after:
            break
        after = page.next_after
    assert seen == 2 + 80
    daemon.restart()
    case_list_answers(daemon)


def test_case_lists_come_in_pages_that_join_without_gaps(daemon):
    for number in range(30):
        code, text, _ = call(daemon, "otklik.v1.Cases", "RegisterMessage",
                             message(url=f"https://vk.com/wall-2_{number}", detected_at_unix=fuzzlib.DEMO_NOW_UNIX - 3600 - number), CURATOR)
        assert code == 0, text
    pages, after = [], ""
    while True:
        code, text, payload = call(daemon, "otklik.v1.Cases", "ListCases", cases_pb2.ListCasesRequest(limit=7, after=after), CURATOR)
        assert code == 0, text
        page = cases_pb2.ListCasesResponse.FromString(payload)
        pages.append([case.id for case in page.cases])
        if not page.next_after:
            break
        after = page.next_after
    listed = [case_id for page in pages for case_id in page]
    assert len(listed) == len(set(listed)) == 37  # 30 new and the demo's 7
    assert all(len(page) <= 7 for page in pages)
    code, text, _ = call(daemon, "otklik.v1.Cases", "ListCases", cases_pb2.ListCasesRequest(after="garbage"), CURATOR)
    assert code == INVALID_ARGUMENT and "next_after" in text


def test_a_case_whose_clocks_run_past_the_calendar_still_reads_and_the_report_names_it(daemon):
    # The demo's case 6 waits for its author (a clarification): its reply term is paused until now.
    # With the test clock at the calendar's last hour, that term ends past the years computed.
    last = 2145906000 - 1  # 2037-12-31T23:59:59+03:00
    code, text, _ = call(daemon, "otklik.v1.Admin", "SetClock", admin_pb2.SetClockRequest(now_unix=last - 3600))
    assert code == 0, text
    code, text, payload = call(daemon, "otklik.v1.Cases", "GetCase", cases_pb2.CaseRef(id="2026-000006"), CURATOR)
    assert code == 0, text
    assert "outside the years" in cases_pb2.CaseView.FromString(payload).clocks_error
    case_list_answers(daemon)
    code, text, payload = call(daemon, "otklik.v1.Reports", "MonthlySummary", reports_pb2.MonthlySummaryRequest(month="2037-12"))
    assert code == 0, text
    report = json.loads(reports_pb2.MonthlySummaryResponse.FromString(payload).json)
    assert "2026-000006" in report["clocks_not_computed"]


def test_the_corrections_bound_what_comes_from_outside_and_a_refusal_changes_nothing(daemon):
    case = "2026-000002"  # the demo's case routed to roads
    correct = lambda **fields: cases_pb2.CorrectRequest(case_id=case, expected_version=1, reason="опечатка", **fields)  # noqa: E731
    refused(daemon, "otklik.v1.Cases", "Correct", correct(detected_at_unix=INT64_MAX), "detected_at_unix", CURATOR)
    refused(daemon, "otklik.v1.Cases", "Correct", correct(posted_at_unix=INT64_MIN), "posted_at_unix", CURATOR)
    refused(daemon, "otklik.v1.Cases", "Reopen", cases_pb2.ReopenRequest(case_id=case, expected_version=INT64_MAX, reason="x"),
            "expected_version", CURATOR)
    refused(daemon, "otklik.v1.Cases", "Reroute",
            cases_pb2.RerouteRequest(assignment_id=case + "/1", expected_version=1, to="housing", reason="не\x00тот"), "NUL", CURATOR)
    assert "512" in refused(daemon, "otklik.v1.Cases", "Reroute",
                            cases_pb2.RerouteRequest(assignment_id=case + "/1", expected_version=1, to="x" * 600, reason="r"), "to", CURATOR)
    assert "4096" in refused(daemon, "otklik.v1.Cases", "Withdraw",
                             cases_pb2.WithdrawRequest(case_id=case, expected_version=1, reason="ы" * 5000), "reason", CURATOR)
    assert "20" in refused(daemon, "otklik.v1.Cases", "AddExecutor",
                           cases_pb2.AddExecutorRequest(case_id=case, expected_version=1, executor="housing",
                                                        topics=[f"t{n}" for n in range(21)], reason="x"), "topics", CURATOR)
    refused(daemon, "otklik.v1.Cases", "CancelAssignment",
            cases_pb2.CancelAssignmentRequest(assignment_id=case + "/1", expected_version=1, reason="\x1b[31m"), "U+001B", CURATOR)
    # Within the accepted years but outside the production calendar's: refused with a sentence.
    code, _, payload = call(daemon, "otklik.v1.Cases", "GetCase", cases_pb2.CaseRef(id=case), CURATOR)
    assert code == 0
    version = cases_pb2.CaseView.FromString(payload).version
    refused(daemon, "otklik.v1.Cases", "Correct",
            cases_pb2.CorrectRequest(case_id=case, expected_version=version, detected_at_unix=1546326000, reason="опечатка",
                                     allow_old=True), "2019", CURATOR)
    case_list_answers(daemon)
