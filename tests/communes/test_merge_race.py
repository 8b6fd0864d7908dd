"""Two mergers of one commune at once, on PostgreSQL: one wins; the other is refused and changes
nothing (docs/rules.md#mergers)."""

from tests.processes import assert_overlapped, command, run_role, run_together

MODULE = "tests.communes.merge_race"


def test_two_mergers_of_one_commune_at_once_one_wins(postgres_database, tmp_path):
    run_role(MODULE, "setup", tmp_path, postgres_database)

    results = run_together(
        [command(MODULE, "merge", tmp_path, n) for n in ("1", "2")],
        [tmp_path / f"ready-{n}" for n in (1, 2)],
        tmp_path,
        postgres_database,
    )

    assert_overlapped(results)
    assert sorted(r["won"] for r in results) == [False, True]
    (loser,) = [r for r in results if not r["won"]]
    assert "Phước Minh" in loser["error"] and "đã sáp nhập" in loser["error"]
    stored = run_role(MODULE, "count", tmp_path, postgres_database)
    # The village went with the commune, to the winner's survivor.
    assert stored["village_in"] == stored["merged_into"]
    assert stored["merged_into"] in ("1", "2")
