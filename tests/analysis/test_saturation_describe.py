"""Saturation curve, attendance grid with retention, and the sample description
(answers by hand from conftest.py)."""

from __future__ import annotations

from qualcode.analysis.saturation import saturation_curve


def test_saturation_curve(longitudinal):
    result = longitudinal.analysis.saturation(k=3).curve
    points = result.points
    # Interview order: wave, then name. Codes per transcript:
    # P1_W1 {Inc, Surge, Dec, Cease, Const} 5 new; P2_W1, P3_W1, FG_W2 nothing new;
    # P1_W2 adds Emerge; P1_W3, P2_W3 nothing new.
    assert [p.transcript for p in points] == [
        "P1_W1", "P2_W1", "P3_W1", "FG_W2", "P1_W2", "P1_W3", "P2_W3"]
    assert [p.codes for p in points] == [5, 2, 1, 2, 6, 5, 1]
    assert [p.new for p in points] == [5, 0, 0, 0, 1, 0, 0]
    assert [p.cumulative for p in points] == [5, 5, 5, 5, 6, 6, 6]
    assert result.distinct_codes == 6
    assert (result.new_in_last_k, result.new_share_last_k) == (1, round(1 / 6, 4))
    assert longitudinal.analysis.saturation(k=2).curve.new_in_last_k == 0


def test_saturation_by_wave(longitudinal):
    result = longitudinal.analysis.saturation(by_wave=True, k=1)
    waves = result.curves
    assert [p.cumulative for p in waves["W1"].points] == [5, 5, 5]
    # W2: FG_W2 {Surge, Constant}, then P1_W2 adds Emerge, Increase, Decrease, Cease
    assert [p.cumulative for p in waves["W2"].points] == [2, 6]
    assert waves["W2"].new_in_last_k == 4
    assert [p.cumulative for p in waves["W3"].points] == [5, 5]


def test_saturation_curve_pure():
    transcripts = [{"id": i, "name": f"t{i}"} for i in (1, 2, 3, 4)]
    pairs = [(1, 10), (1, 11), (2, 11), (3, 12), (4, 10)]
    curve = saturation_curve(transcripts, pairs, k=2)
    assert [p.cumulative for p in curve.points] == [2, 2, 3, 3]
    assert curve.new_in_last_k == 1 and curve.new_share_last_k == round(1 / 3, 4)
    assert saturation_curve([], [], k=3).distinct_codes == 0


def test_attendance_grid_and_retention(longitudinal):
    grid = longitudinal.analysis.attendance_grid()
    rows = {r.participant: r.status for r in grid.participants}
    assert rows == {
        "P1": {"W1": "interviewed", "W2": "interviewed", "W3": "interviewed"},
        "P2": {"W1": "interviewed", "W2": "missed", "W3": "interviewed"},
        "P3": {"W1": "interviewed", "W2": "withdrawn", "W3": "withdrawn"},
        "T1": {"W1": "none", "W2": "focus-group", "W3": "none"},
    }
    summary = {s.wave: s for s in grid.summary}
    # Baseline: P1, P2, P3 interviewed at W1; all three are due at W2 and W3.
    assert (summary["W1"].retained, summary["W1"].baseline_due) == (3, 3)
    assert (summary["W2"].retained, summary["W2"].baseline_due) == (1, 3)
    assert (summary["W3"].retained, summary["W3"].baseline_due) == (2, 3)
    assert summary["W2"].focus_group == 1 and summary["W2"].observed == 2
    assert summary["W2"].count("focus-group") == 1
    assert summary["W2"].missed == 1 and summary["W3"].withdrawn == 1


def test_describe_by_role_counts_missing(longitudinal):
    rows = longitudinal.analysis.describe_sample(by="role").rows
    got = {(r.group, r.attribute, r.value): (r.n, r.percent) for r in rows}
    # Clients: P1 (A, F), P2 (A, M), P3 (B, no sex)
    assert got[("client", "site", "A")] == (2, 66.7)
    assert got[("client", "site", "B")] == (1, 33.3)
    assert got[("client", "sex", "F")] == (1, 33.3)
    assert got[("client", "sex", "(missing)")] == (1, 33.3)
    assert got[("trainer", "site", "B")] == (1, 100.0)
    assert all(r.attribute != "role" for r in rows)


def test_describe_by_wave(longitudinal):
    rows = longitudinal.analysis.describe_sample(by="wave").rows
    got = {(r.group, r.attribute, r.value): (r.n, r.size) for r in rows}
    # Observed at W2: P1 (interview) and T1 (focus group)
    assert got[("W2", "role", "client")] == (1, 2)
    assert got[("W2", "role", "trainer")] == (1, 2)
    assert got[("W3", "sex", "F")] == (1, 2)
    assert got[("W1", "site", "A")] == (2, 3)


def test_attendance_counts_every_way_of_taking_part(tmp_path):
    """At W1, T1 is interviewed and also speaks in the focus group, T2 only speaks in it
    (the seed study's trainers: counted only as interviewed, the focus group looked
    smaller than it was). Interviewed 1, focus group 2, both 1, took part 2."""
    from qualcode import Project

    (tmp_path / "T1_W1.txt").write_text("Interviewer: Hello?\nR: Hello there.\nInterviewer: Bye.\nR: Bye.\n",
                                        encoding="utf-8")
    (tmp_path / "FG.txt").write_text("Moderator: Go on.\nAmy: Yes.\nBo: No.\nModerator: Thanks.\nAmy: Fine.\n"
                                     "Bo: Good.\n", encoding="utf-8")
    with Project.create(tmp_path / "a.qualcode") as p:
        p.study.add_wave("W1")
        p.study.add_participant("T1", role="trainer")
        p.study.add_participant("T2", role="trainer")
        p.transcripts.import_transcript(tmp_path / "T1_W1.txt", participant="T1", wave="W1")
        p.transcripts.import_transcript(tmp_path / "FG.txt", wave="W1", kind="focus-group",
                            speaker_map={"Amy": "T1", "Bo": "T2"})
        grid = p.analysis.attendance_grid()
    [w1] = grid.summary
    assert (w1.interviewed, w1.focus_group, w1.both, w1.observed) == (1, 2, 1, 2)
    took = {r.participant: r.took_part["W1"] for r in grid.participants}
    assert took == {"T1": ("focus-group", "interviewed"), "T2": ("focus-group",)}


def test_describe_numbers_as_median_and_range(longitudinal):
    longitudinal.study.set_participant("P1", {"age": "30"})
    longitudinal.study.set_participant("P2", {"age": "50"})
    longitudinal.study.set_participant("P3", {"age": "41"})
    result = longitudinal.analysis.describe_sample()
    [age] = [r for r in result.numeric if r.attribute == "age"]
    # T1 has no age: 3 values and 1 missing; median of 30, 41, 50 is 41
    assert (age.n, age.missing, age.median, age.min, age.max) == (3, 1, 41, 30, 50)
    assert not [r for r in result.numeric if r.attribute == "sex"]      # not numbers
    by_role = longitudinal.analysis.describe_sample(by="role").numeric
    assert [(r.group, r.median) for r in by_role] == [("client", 41)]


def test_saturation_first_use_in_coding_order_by_role(tmp_path):
    """Coded in this order: C2 (codes A, B), then C1 (A, C), then M1 (A). Clients: C2
    first (A, B new), then C1 (C new): 2, 3 - though interview order puts C1 first.
    Managers: M1, A new for them. A codebook loaded up front (codes D, E never used)
    does not count."""
    from qualcode import Project

    with Project.create(tmp_path / "s.qualcode") as p:
        p.study.add_wave("W1")
        for pid, role in (("C1", "client"), ("C2", "client"), ("M1", "manager")):
            p.study.add_participant(pid, role=role)
            (tmp_path / f"{pid}.txt").write_text(f"Interviewer: Hi {pid}?\nR: one two three\n"
                                                 "Interviewer: Ok.\nR: Bye.\n", encoding="utf-8")
            p.transcripts.import_transcript(tmp_path / f"{pid}.txt", participant=pid, wave="W1")
        for code in "ABCDE":
            p.codebook.add_code(code)
        for name, codes in (("C2", "AB"), ("C1", "AC"), ("M1", "A")):
            start = p.transcripts.get(name).text.index("one")
            p.coding.apply_spans([(name, c, start + i, start + i + 1) for i, c in enumerate(codes)],
                          summary=f"coding {name}")
        curves = p.analysis.saturation(order="coding", by_role=True, k=1).curves
        interview = p.analysis.saturation(by_role=True, k=1).curves
    clients = curves["client"]
    assert [(x.transcript, x.new, x.cumulative) for x in clients.points] == [
        ("C2", 2, 2), ("C1", 1, 3)]
    assert (clients.new_in_last_k, clients.distinct_codes) == (1, 3)
    assert [(x.transcript, x.new) for x in curves["manager"].points] == [("M1", 1)]
    assert [x.transcript for x in interview["client"].points] == ["C1", "C2"]
