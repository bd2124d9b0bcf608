from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

import tumen.assign as ta
from tumen.errors import DataError

NET = """<NUMBER OF ZONES> 3
<NUMBER OF NODES> 4
<FIRST THRU NODE> 4
<NUMBER OF LINKS> 4
<END OF METADATA>

~ init term capacity length fft b power speed toll type ;
\t1\t2\t100\t1\t1\t0.15\t4\t0\t0\t1\t;
\t2\t3\t100\t1\t1\t0.15\t4\t0\t0\t1\t;
\t1\t4\t100\t2\t5\t0.15\t4\t0\t3\t1\t;
\t4\t3\t100\t2\t5\t0.15\t4\t0\t0\t1\t;
"""
TRIPS = """<NUMBER OF ZONES> 3
<TOTAL OD FLOW> 7.0
<END OF METADATA>

Origin 1
    2 :      2.0;     3 :    5.0;
Origin 2
    1 : 0.0;
"""


def write(tmp_path: Path, name: str, text: str) -> Path:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return path


def test_readers_build_network_and_demand_honouring_first_thru_node(tmp_path):
    net = ta.read_tntp_net(write(tmp_path, "T_net.tntp", NET))
    assert net.num_nodes == 4 and net.num_links == 4 and net.num_zones == 3
    assert net.no_thru.tolist() == [True, True, True, False]
    assert net.toll.tolist() == [0, 0, 3, 0] and net.node_ids.tolist() == [1, 2, 3, 4]
    trips = ta.read_tntp_trips(write(tmp_path, "T_trips.tntp", TRIPS), net)
    assert trips.origins.tolist() == [0, 0] and trips.destinations.tolist() == [1, 2]
    res = ta.solve_equilibrium(net, trips, ta.EquilibriumSettings("algorithm-b", gap=1e-10))
    # 1 -> 3 may not pass zone 2, so it takes 1 -> 4 -> 3
    np.testing.assert_allclose(res.link_flow, [2.0, 0.0, 5.0, 5.0], atol=1e-9)


def test_bad_net_file_names_line_and_field(tmp_path):
    bad = NET.replace("\t2\t3\t100\t1", "\t2\t3\tlots\t1")
    bad = bad.replace("1\t4\t100\t2\t5", "1\t4\t0\t2\t5")
    with pytest.raises(DataError) as err:
        ta.read_tntp_net(write(tmp_path, "bad_net.tntp", bad))
    problems = err.value.problems
    assert problems[0].file.endswith("bad_net.tntp")
    assert (problems[0].row, problems[0].field) == (9, "capacity")
    assert "a number" in problems[0].expected
    with pytest.raises(DataError) as err:
        ta.read_tntp_net(write(tmp_path, "zero_net.tntp", NET.replace("1\t4\t100", "1\t4\t0")))
    assert (err.value.row, err.value.field) == (10, "capacity")
    with pytest.raises(DataError, match="END OF METADATA"):
        ta.read_tntp_net(write(tmp_path, "nometa_net.tntp", "1 2 3 4 5 6 7 ;\n"))
    with pytest.raises(DataError, match="No such file"):
        ta.read_tntp_net(tmp_path / "missing_net.tntp")


def test_bad_trips_file_lists_every_problem(tmp_path):
    net = ta.read_tntp_net(write(tmp_path, "T_net.tntp", NET))
    bad = TRIPS.replace("3 :    5.0", "9 :    5.0").replace("1 : 0.0", "1 : x")
    with pytest.raises(DataError) as err:
        ta.read_tntp_trips(write(tmp_path, "T_trips.tntp", bad), net)
    got = {(p.row, p.field) for p in err.value.problems}
    assert (6, "destination") in got and (8, "destination : volume") in got
    with pytest.raises(DataError) as err:
        ta.read_tntp_trips(write(tmp_path, "T2_trips.tntp", TRIPS.replace("7.0", "8.0")), net)
    assert err.value.field == "<TOTAL OD FLOW>"


def test_flow_reader_and_weights(tmp_path):
    net = ta.read_tntp_net(write(tmp_path, "T_net.tntp", NET))
    flow = write(
        tmp_path,
        "T_flow.tntp",
        "From\tTo\tVolume\tCost\n1\t2\t2.0\t1\n2\t3\t0\t1\n1\t4\t5\t5\n4\t3\t5\t5\n",
    )
    np.testing.assert_allclose(ta.read_tntp_flow(flow, net), [2, 0, 5, 5])
    with pytest.raises(DataError) as err:
        ta.read_tntp_flow(write(tmp_path, "U_flow.tntp", "From To Volume Cost\n1 2 2 1\n"), net)
    assert "3 missing" in str(err.value)
    write(
        tmp_path,
        "README.md",
        "# T\n## Generalized Cost Weights\nToll: 0.02 minutes/cent\n"
        "Distance: 0.04 minutes/mile\n\n## Solutions\n",
    )
    assert ta.read_tntp_weights(tmp_path) == (0.02, 0.04)
    assert ta.read_tntp_weights(tmp_path / "T_net.tntp") == (0.02, 0.04)


NETWORKS = {
    "SiouxFalls": ("SiouxFalls/SiouxFalls", "algorithm-b", 1e-10, 1e-6),
    "Anaheim": ("Anaheim/Anaheim", "algorithm-b", 1e-8, 1e-4),
    "Chicago-Sketch": ("Chicago-Sketch/ChicagoSketch", "bfw", 1e-4, 1e-2),
}


@pytest.mark.parametrize("name", list(NETWORKS))
def test_tntp_flows_match_best_known(tntp_dir, name):
    stem, algorithm, gap, l1_limit = NETWORKS[name]
    base = tntp_dir / stem
    net = ta.read_tntp_net(f"{base}_net.tntp")
    toll_w, dist_w = ta.read_tntp_weights(base.parent)
    trips = ta.read_tntp_trips(
        f"{base}_trips.tntp", net, toll_weight=toll_w, distance_weight=dist_w
    )
    best = ta.read_tntp_flow(f"{base}_flow.tntp", net)
    res = ta.solve_equilibrium(net, trips, ta.EquilibriumSettings(algorithm, gap=gap))
    assert res.converged and res.relative_gap <= gap
    l1 = np.abs(res.link_flow - best).sum() / best.sum()
    assert l1 <= l1_limit


def test_sioux_falls_objective_matches_the_published_optimum(tntp_dir):
    base = tntp_dir / "SiouxFalls" / "SiouxFalls"
    net = ta.read_tntp_net(f"{base}_net.tntp")
    trips = ta.read_tntp_trips(f"{base}_trips.tntp", net)
    res = ta.solve_equilibrium(net, trips, ta.EquilibriumSettings("algorithm-b", gap=1e-12))
    # README: optimal objective 42.31335287107440 (flows in hundreds of the file's units)
    assert res.objective / 1e5 == pytest.approx(42.31335287107440, rel=1e-11)


def test_trips_with_tabs_between_pairs(tmp_path):
    net = ta.read_tntp_net(write(tmp_path, "T_net.tntp", NET))
    text = TRIPS.replace("    2 :      2.0;     3 :    5.0;", "2 \t: \t2.000000; \t3 \t: \t5.0; \t")
    trips = ta.read_tntp_trips(write(tmp_path, "T_trips.tntp", text), net)
    assert trips.volumes.tolist() == [2.0, 5.0]


# Published quirks in one file: comments in and after the metadata, tabs and spaces mixed,
# zero-time connectors with capacity 0 and b = 0, a power-0 link (constant time
# t0 * (1 + b) = 15) beside a linear one (1 + x), and a zone (2) that may not be passed.
QUIRKS_NET = """~ a comment before the metadata
<NUMBER OF ZONES>\t3
<NUMBER OF NODES>  5 ~ five nodes
<FIRST THRU NODE> 4
<NUMBER OF LINKS> 6
<END OF METADATA>
~ init term cap length fft b power speed toll type ;
1 4 0 0 0 0 4 0 0 1 ;
  4\t5  0  1 10 0.5 0 0 0 1;
4 5 1 1 1 1 1 0 0 1\t;
5 3 0 0 0.0 0 4 0 0 1 ;   ~ connector
1 2 0 0 0 0 0 0 0 1 ;
2 3 0 0 0 0 0 0 0 1 ;
"""
QUIRKS_TRIPS = """<NUMBER OF ZONES> 3
<TOTAL OD FLOW> 20
<END OF METADATA>
~ one origin
Origin\t1 ~ first
\t3 :\t20.0 ;
"""


@pytest.mark.parametrize("algorithm", ["algorithm-b", "bfw"])
def test_published_quirks_and_a_power_zero_link(tmp_path, algorithm):
    net = ta.read_tntp_net(write(tmp_path, "Q_net.tntp", QUIRKS_NET))
    assert net.beta.tolist() == [4, 0, 1, 4, 0, 0] and net.capacity[1] == 1.0
    trips = ta.read_tntp_trips(write(tmp_path, "Q_trips.tntp", QUIRKS_TRIPS), net)
    res = ta.solve_equilibrium(net, trips, ta.EquilibriumSettings(algorithm, gap=1e-10))
    # 1 + x = 15 on the linear link: 14 there, 6 on the constant one; never through zone 2
    np.testing.assert_allclose(res.link_flow, [20, 6, 14, 20, 0, 0], atol=1e-6)
    np.testing.assert_allclose(res.link_time[1:3], [15, 15], rtol=1e-8)
    # objective: 15 * 6 + integral of 1 + u from 0 to 14 = 90 + 112
    assert res.objective == pytest.approx(202.0, rel=1e-9)


def test_concave_power_has_its_exact_objective(tmp_path):
    # 1 + sqrt(x) (power 0.5) beside a constant 2 * (1 + 0.5) = 3: sqrt(x) = 2, x = 4
    text = QUIRKS_NET.replace("4 5 1 1 1 1 1 0 0 1", "4 5 1 1 1 1 0.5 0 0 1").replace(
        "4\t5  0  1 10 0.5 0", "4\t5  0  1 2 0.5 0"
    )
    net = ta.read_tntp_net(write(tmp_path, "C_net.tntp", text))
    trips = ta.read_tntp_trips(
        write(tmp_path, "C_trips.tntp", QUIRKS_TRIPS.replace("20", "10")), net
    )
    for algorithm in ("algorithm-b", "bfw"):
        res = ta.solve_equilibrium(net, trips, ta.EquilibriumSettings(algorithm, gap=1e-10))
        np.testing.assert_allclose(res.link_flow[1:3], [6, 4], atol=1e-5)
        # 3 * 6 + integral of 1 + sqrt(u) from 0 to 4 = 18 + 4 + 16 / 3
        assert res.objective == pytest.approx(18 + 4 + 16 / 3, rel=1e-9)


def test_file_of_the_wrong_kind_is_refused_in_one_line(tmp_path):
    net_file = write(tmp_path, "T_net.tntp", NET)
    trips_file = write(tmp_path, "T_trips.tntp", TRIPS)
    with pytest.raises(DataError) as err:
        ta.read_tntp_net(trips_file)
    assert len(err.value.problems) == 1 and "trips file" in str(err.value)
    net = ta.read_tntp_net(net_file)
    with pytest.raises(DataError) as err:
        ta.read_tntp_trips(net_file, net)
    assert len(err.value.problems) == 1 and "network file" in str(err.value)
    flow = write(tmp_path, "T_flow.tntp", "From\tTo\tVolume\tCost\n1\t2\t2.0\t1\n")
    with pytest.raises(DataError) as err:
        ta.read_tntp_net(flow)
    assert len(err.value.problems) == 1 and "flow file" in str(err.value)


def test_truly_invalid_links_are_still_refused(tmp_path):
    bad = NET.replace("\t2\t3\t100\t1\t1\t0.15\t4", "\t2\t3\t100\t1\t1\t0.15\t-1")
    bad = bad.replace("\t1\t4\t100", "\t1\t4\t0")  # capacity 0 with b > 0 and power > 0
    with pytest.raises(DataError) as err:
        ta.read_tntp_net(write(tmp_path, "bad_net.tntp", bad))
    assert {(p.row, p.field) for p in err.value.problems} == {(9, "power"), (10, "capacity")}


def test_many_bad_rows_are_capped(tmp_path):
    rows = "".join("1 2 x 1 1 0.15 4 0 0 1 ;\n" for _ in range(80))
    text = NET.split("~ init")[0].replace("<NUMBER OF LINKS> 4", "<NUMBER OF LINKS> 80") + rows
    with pytest.raises(DataError) as err:
        ta.read_tntp_net(write(tmp_path, "many_net.tntp", text))
    assert len(err.value.problems) == 51 and "30 more" in str(err.value)


def test_cost_weights_from_the_net_metadata(tmp_path):
    text = NET.replace(
        "<END OF METADATA>",
        "<TOLL FACTOR> 0.1 ~ min per cent\n<DISTANCE FACTOR>\t0.25\n<END OF METADATA>",
    )
    net_file = write(tmp_path, "M_net.tntp", text)
    assert ta.read_tntp_weights(net_file) == (0.1, 0.25)
    net = ta.read_tntp_net(net_file)
    assert net.num_links == 4
