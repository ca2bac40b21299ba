//! `weights` against published examples (tests/data/weights, MODELS.md §1-2).

use approx::assert_relative_eq;
use crm_analytics::weights::{
    Ahp, AhpWarning, Combination, ConstantColumn, Critic, CvWeights, Direction, EntropyVariant,
    EntropyWeights, GroupAggregation, Hierarchy, Merec, Normalization, Normalize, PriorityMethod,
    RandomIndex, RankTies, StdDevWeights, Weights,
};
use nalgebra::DMatrix;
use proptest::prelude::*;
use serde_json::Value;

use crate::common::data;

fn json(name: &str) -> Value {
    serde_json::from_str(&data(&format!("weights/{name}"))).unwrap()
}

fn matrix(v: &Value) -> DMatrix<f64> {
    let rows: Vec<Vec<f64>> = serde_json::from_value(v.clone()).unwrap();
    let (n, m) = (rows.len(), rows[0].len());
    DMatrix::from_fn(n, m, |i, j| rows[i][j])
}

fn vec_of(v: &Value) -> Vec<f64> {
    serde_json::from_value(v.clone()).unwrap()
}

fn table_key(t: &RandomIndex) -> &'static str {
    match t {
        RandomIndex::Saaty1980 => "saaty_1980",
        RandomIndex::Saaty1980ExtCommon => "saaty_1980_ext_common",
        RandomIndex::Saaty1980ExtPyDecision => "saaty_1980_ext_pydecision",
        RandomIndex::Saaty2005 => "saaty_2005",
        RandomIndex::DoneganDodd1991 => "donegan_dodd_1991",
        RandomIndex::AlonsoLamata2006 => "alonso_lamata_2006",
        RandomIndex::TummalaLing1998 => "tummala_ling_1998",
        RandomIndex::ChineseTextbook => "chinese_textbook",
        _ => unreachable!(),
    }
}

#[test]
fn random_index_tables_match_the_reference_file() {
    // Every table in ahp_random_index_tables.json, value by value (the two extension
    // entries hold only n = 11..15 and sit on top of Saaty 1980).
    let j = json("ahp_random_index_tables.json");
    for t in RandomIndex::ALL {
        let key = table_key(&t);
        let vals = j["tables"][key]["values"].as_object().unwrap();
        for (n, v) in vals {
            let n: usize = n.parse().unwrap();
            assert_eq!(t.value(n), Some(v.as_f64().unwrap()), "{key} n={n}");
        }
    }
    assert_eq!(RandomIndex::Saaty1980.value(11), None);
    assert_eq!(RandomIndex::Saaty1980ExtPyDecision.value(12), Some(1.48));
}

#[test]
fn saaty_2008_drinks_under_every_table() {
    // Saaty (2008): published 3-dp weights .177 .019 .042 .116 .190 .129 .327;
    // λmax 7.17663 (numpy eig), CR .022 (Saaty 2005, AHPy), .0235 (Donegan-Dodd, AHPy).
    let j = json("ahp_saaty2008_drinks.json");
    let a = matrix(&j["matrix"]);
    let published = [0.177, 0.019, 0.042, 0.116, 0.190, 0.129, 0.327];
    let exact = vec_of(&j["computed_numpy_eig_independent"]["eigenvector_weights"]);
    for t in RandomIndex::ALL {
        let fit = Ahp::new().random_index(t.clone()).weigh(&a).unwrap();
        for (k, w) in fit.weights().iter().enumerate() {
            assert!((w - published[k]).abs() <= 0.0005 + 1e-12, "{k}: {w}");
            assert_relative_eq!(*w, exact[k], max_relative = 1e-10);
        }
        assert_relative_eq!(fit.lambda_max(), 7.17662903933035, max_relative = 1e-12);
        assert_relative_eq!(
            fit.consistency_index(),
            0.029438173221724966,
            max_relative = 1e-10
        );
        let cr = &j["computed_numpy_eig_independent"]["CR_by_table"][table_key(&t)];
        match cr.as_f64() {
            Some(cr) => assert_relative_eq!(fit.consistency_ratio(), cr, max_relative = 1e-10),
            None => {
                // extension-only entries: n = 7 uses the Saaty 1980 value (.0223)
                assert_relative_eq!(
                    fit.consistency_ratio(),
                    0.02230164638009467,
                    max_relative = 1e-10
                )
            }
        }
        assert!(fit.is_consistent() && fit.warnings().is_empty());
        assert!(fit.convergence().unwrap().last_change < 1e-13);
    }
    let f05 = Ahp::new()
        .random_index(RandomIndex::Saaty2005)
        .weigh(&a)
        .unwrap();
    assert!((f05.consistency_ratio() - 0.022).abs() <= 0.0005);
    let fdd = Ahp::new()
        .random_index(RandomIndex::DoneganDodd1991)
        .weigh(&a)
        .unwrap();
    assert!((fdd.consistency_ratio() - 0.0235).abs() <= 0.00005);
    let f80 = Ahp::new().weigh(&a).unwrap();
    assert!((f80.consistency_ratio() - 0.0223).abs() <= 0.00005);
    assert!(f80.to_string().contains("Saaty (1980)"));
}

#[test]
fn drinks_geometric_and_arithmetic_means() {
    let j = json("ahp_saaty2008_drinks.json");
    let a = matrix(&j["matrix"]);
    let c = &j["computed_numpy_eig_independent"];
    let g = Ahp::new()
        .method(PriorityMethod::GeometricMean)
        .weigh(&a)
        .unwrap();
    // MODELS.md §2.1: geometric-mean w = (.17872, .01846, .04223, .11650, .19114, .12862, .32432)
    for (w, p) in g.weights().iter().zip([
        0.17872, 0.01846, 0.04223, 0.11650, 0.19114, 0.12862, 0.32432,
    ]) {
        assert!((w - p).abs() <= 0.000005 + 1e-12);
    }
    assert_relative_eq!(
        g.lambda_max(),
        c["lambda_from_geometric"].as_f64().unwrap(),
        max_relative = 1e-12
    );
    let m = Ahp::new()
        .method(PriorityMethod::ArithmeticMean)
        .weigh(&a)
        .unwrap();
    let exp = vec_of(&c["column_normalised_row_mean_weights"]);
    for (w, p) in m.weights().iter().zip(exp) {
        assert_relative_eq!(*w, p, max_relative = 1e-12);
    }
    assert_relative_eq!(
        m.lambda_max(),
        c["lambda_from_row_mean"].as_f64().unwrap(),
        max_relative = 1e-12
    );
}

#[test]
fn upper_triangle_equals_full_matrix() {
    // The drinks matrix typed as its upper triangle of exact fractions.
    let j = json("ahp_saaty2008_drinks.json");
    let a = matrix(&j["matrix"]);
    let mut up = Vec::new();
    for i in 0..7 {
        for k in (i + 1)..7 {
            up.push(a[(i, k)]);
        }
    }
    let f1 = Ahp::new().weigh(&a).unwrap();
    let f2 = Ahp::new().weigh_upper_triangle(7, &up).unwrap();
    assert_relative_eq!(f1.weights(), f2.weights(), max_relative = 1e-12);
}

#[test]
fn wang_chin_inconsistent_matrix_is_weighed_and_flagged() {
    // Wang & Chin (2011): w = (.3208, .1395, .0348, .1285, .2374, .1391), λmax 7.41987, CR ≈ .229.
    let j = json("ahp_wang_chin2011_6x6.json");
    let a = matrix(&j["matrix"]);
    let fit = Ahp::new().weigh(&a).unwrap();
    for (w, p) in fit
        .weights()
        .iter()
        .zip([0.3208, 0.1395, 0.0348, 0.1285, 0.2374, 0.1391])
    {
        assert!((w - p).abs() <= 0.00005 + 1e-12, "{w} vs {p}");
    }
    assert_relative_eq!(fit.lambda_max(), 7.41987010192128, max_relative = 1e-11);
    assert_relative_eq!(
        fit.consistency_ratio(),
        0.22901130676149675,
        max_relative = 1e-10
    );
    assert!(!fit.is_consistent());
    assert!(matches!(fit.warnings()[0], AhpWarning::Inconsistent { .. }));
    let tl = Ahp::new()
        .random_index(RandomIndex::TummalaLing1998)
        .weigh(&a)
        .unwrap();
    assert_relative_eq!(
        tl.consistency_ratio(),
        0.22978962646403622,
        max_relative = 1e-10
    );
    let e = Ahp::new().strict(true).weigh(&a).unwrap_err();
    assert_eq!(
        e.to_string(),
        "invalid pairwise comparison matrix: consistency ratio 0.2290 (Saaty (1980)) exceeds the threshold 0.1"
    );
}

#[test]
fn judgement_outside_scale_is_a_warning() {
    let fit = Ahp::new().weigh_upper_triangle(2, &[12.0]).unwrap();
    assert!(
        fit.warnings()
            .iter()
            .any(|w| matches!(w, AhpWarning::OutsideScale { row: 0, col: 1, .. }))
    );
}

/// A goal-criteria-alternatives hierarchy from a reference file's `criteria`,
/// `alternatives`, `criteria_matrix` and `alternative_matrices`.
fn two_level(j: &Value) -> Hierarchy {
    let crit: Vec<String> = serde_json::from_value(j["criteria"].clone()).unwrap();
    let alts: Vec<String> = serde_json::from_value(j["alternatives"].clone()).unwrap();
    let mut h = Hierarchy::new(&crit, matrix(&j["criteria_matrix"])).unwrap();
    for c in &crit {
        let child = Hierarchy::new(&alts, matrix(&j["alternative_matrices"][c])).unwrap();
        h = h.with_child(c, child).unwrap();
    }
    h
}

fn leader() -> Hierarchy {
    two_level(&json("ahp_leader_hierarchy.json"))
}

#[test]
fn leader_hierarchy_global_weights_and_cr_h() {
    // Wikipedia/AHPy: criteria w = (.54757, .12656, .26995, .05593), λmax 4.11842, CR .044
    // (Saaty 2005); global Nell .493, Moll .358, Sue .15; CR_H = .024640/.58 = .0425.
    let fit = Ahp::new().weigh_hierarchy(&leader()).unwrap();
    let root = &fit.nodes()[0].local;
    for (w, p) in root
        .weights()
        .iter()
        .zip([0.54757, 0.12656, 0.26995, 0.05593])
    {
        assert!((w - p).abs() <= 0.000005 + 1e-12);
    }
    assert_relative_eq!(root.lambda_max(), 4.118418024313366, max_relative = 1e-11);
    let s05 = Ahp::new()
        .random_index(RandomIndex::Saaty2005)
        .weigh_hierarchy(&leader())
        .unwrap();
    assert!((s05.nodes()[0].local.consistency_ratio() - 0.044).abs() <= 0.0005);
    let syn = fit.synthesis();
    let get = |name: &str| syn.iter().find(|(l, _)| l == name).unwrap().1;
    assert!((get("Nell") - 0.493).abs() <= 0.0005);
    assert!((get("Moll") - 0.358).abs() <= 0.0005);
    assert!((get("Sue") - 0.15).abs() <= 0.005);
    assert_relative_eq!(get("Nell"), 0.4927881882343744, max_relative = 1e-10);
    assert_relative_eq!(get("Moll"), 0.35813676942236544, max_relative = 1e-10);
    assert_relative_eq!(
        fit.leaves().iter().map(|l| l.global).sum::<f64>(),
        1.0,
        max_relative = 1e-12
    );
    let lvl = fit.levels()[1];
    assert!(
        (lvl.weighted_ci - 0.02464).abs() < 5e-6,
        "{}",
        lvl.weighted_ci
    );
    assert!((lvl.cr.unwrap() - 0.0425).abs() < 5e-5);
    assert_relative_eq!(lvl.weighted_ri, 0.58, max_relative = 1e-12);
    // AHPy child CRs (Saaty 2005): Experience .035, Education .062, Charisma .069, Age .028
    for (node, cr) in s05.nodes()[1..].iter().zip([0.035, 0.062, 0.069, 0.028]) {
        assert!(
            (node.local.consistency_ratio() - cr).abs() <= 0.0005,
            "{:?}",
            node.path
        );
    }
}

/// Upper triangle of the deterministic test matrix used against AHPy below:
/// `a_ij = (j+1)/(i+1) · exp(0.3·sin(n·i + j))` for `i < j` (0-based), row by row.
fn sine_perturbed_upper(n: usize) -> Vec<f64> {
    let mut up = Vec::new();
    for i in 0..n {
        for j in (i + 1)..n {
            up.push((j + 1) as f64 / (i + 1) as f64 * (0.3 * ((n * i + j) as f64).sin()).exp());
        }
    }
    up
}

#[test]
fn donegan_dodd_beyond_15_matches_ahpy() {
    // Independent source: AHPy 2.1 (PyPI), which takes lambda_max from numpy's eigvals and
    // RI from Donegan & Dodd (1991), interpolating linearly between published orders.
    // Script (run with /tmp/anchors-venv/bin/python, 2026-11-25):
    //   import math, ahpy
    //   def upper(n):
    //       return {(f"c{i:02d}", f"c{j:02d}"): (j + 1) / (i + 1) * math.exp(0.3 * math.sin(n * i + j))
    //               for i in range(n) for j in range(i + 1, n)}
    //   for n in (16, 22):
    //       c = ahpy.Compare(f"n{n}", upper(n), precision=12, random_index="dd")
    //       print(n, c.consistency_ratio)
    // Output: 16 0.01460201803 (RI 1.5078, published), 22 0.015065072593 (RI interpolated
    // between n = 20 and 25: 1.5371 + 0.4·(1.5619 - 1.5371) = 1.54702). AHPy rounds CR to
    // 12 decimals; its weights use a different iteration, so only CR is compared.
    for (n, ahpy_cr, interp) in [
        (16, 0.01460201803, None),
        (22, 0.015065072593, Some((20, 25))),
    ] {
        let fit = Ahp::new()
            .random_index(RandomIndex::DoneganDodd1991)
            .weigh_upper_triangle(n, &sine_perturbed_upper(n))
            .unwrap();
        assert!(
            (fit.consistency_ratio() - ahpy_cr).abs() <= 0.5e-12 + 1e-15,
            "n = {n}: {} vs AHPy {ahpy_cr}",
            fit.consistency_ratio()
        );
        assert_eq!(fit.random_index_interpolation(), interp);
        if let Some((a, b)) = interp {
            assert!(fit.to_string().contains(&format!(
                "from Donegan & Dodd (1991), interpolated between n = {a} and n = {b})"
            )));
        }
    }
    assert_relative_eq!(
        RandomIndex::DoneganDodd1991.value(22).unwrap(),
        1.54702,
        max_relative = 1e-12
    );
}

#[test]
fn donegan_dodd_published_large_orders_match_ahpy_table() {
    // The n = 16..100 entries of ahp_random_index_tables.json (from AHPy 2.1's table).
    let j = json("ahp_random_index_tables.json");
    let vals = j["tables"]["donegan_dodd_1991"]["values_large_n"]
        .as_object()
        .unwrap();
    assert_eq!(vals.len(), 14);
    for (n, v) in vals {
        let n: usize = n.parse().unwrap();
        assert_eq!(RandomIndex::DoneganDodd1991.value(n), v.as_f64(), "n={n}");
        assert_eq!(RandomIndex::DoneganDodd1991.interpolation(n), None);
    }
}

#[test]
fn sizes_beyond_every_table_are_a_clear_error() {
    // 16x16 under Saaty (2005) (max 15): the error names n, the table, its max and the
    // one built-in table that reaches 16; 101x101 under Donegan & Dodd (max 100): custom.
    let up16 = sine_perturbed_upper(16);
    let e = Ahp::new()
        .random_index(RandomIndex::Saaty2005)
        .weigh_upper_triangle(16, &up16)
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "matrix order n for the random-index table Saaty (2005): 16 exceeds the limit of 15; \
         choose a table that covers n = 16 (RandomIndex::DoneganDodd1991) or supply your own \
         with RandomIndex::custom"
    );
    let e = Ahp::new()
        .random_index(RandomIndex::DoneganDodd1991)
        .weigh_upper_triangle(101, &vec![1.0; 101 * 50])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "matrix order n for the random-index table Donegan & Dodd (1991): 101 exceeds the \
         limit of 100; no built-in table covers n = 101: supply RI(1..=101), e.g. from your \
         own simulation, with RandomIndex::custom"
    );
    // A custom table that is too short is refused the same way.
    let t = RandomIndex::custom("short sim", &[0.0, 0.0, 0.5, 0.9]).unwrap();
    let e = Ahp::new()
        .random_index(t)
        .weigh_upper_triangle(5, &[1.0; 10])
        .unwrap_err();
    assert!(e.to_string().starts_with(
        "matrix order n for the random-index table short sim (caller-supplied): 5 exceeds the limit of 4"
    ));
    // n <= 2 needs no RI: any table works.
    assert!(
        Ahp::new()
            .random_index(RandomIndex::custom("t", &[0.0, 0.0, 0.5]).unwrap())
            .weigh_upper_triangle(2, &[3.0])
            .is_ok()
    );
}

#[test]
fn custom_table_is_used_and_named() {
    // Drinks (Saaty 2008), CI = 0.029438173221724966 (numpy, refdata). With a caller's
    // RI(7) = 1.30: CR = 0.029438173221724966/1.30 = 0.022644748632096128.
    let j = json("ahp_saaty2008_drinks.json");
    let a = matrix(&j["matrix"]);
    let mut ri = vec![0.0, 0.0, 0.55, 0.88, 1.1, 1.2, 1.30];
    let t = RandomIndex::custom("my 10^5-matrix simulation", &ri).unwrap();
    let fit = Ahp::new().random_index(t.clone()).weigh(&a).unwrap();
    assert_relative_eq!(
        fit.consistency_ratio(),
        0.022644748632096128,
        max_relative = 1e-10
    );
    assert_eq!(fit.random_index(), &t);
    assert_eq!(fit.random_index_value(), Some(1.30));
    assert!(
        fit.to_string()
            .contains("CR = 0.0226 (RI = 1.3 from my 10^5-matrix simulation (caller-supplied))")
    );
    ri[1] = 0.2;
    assert_eq!(
        RandomIndex::custom("x", &ri).unwrap_err().to_string(),
        "custom random-index table `x` at n = 2 must be 0 (every 1x1 and 2x2 reciprocal \
         matrix is consistent), got 0.2"
    );
    ri[1] = 0.0;
    ri[4] = -1.1;
    assert_eq!(
        RandomIndex::custom("x", &ri).unwrap_err().to_string(),
        "custom random-index table `x` at n = 5 must be finite and > 0, got -1.1"
    );
}

/// `|computed - published| <= half a unit in the last published decimal`.
fn within_dp(computed: f64, published: f64, dp: i32) -> bool {
    (computed - published).abs() <= 0.5 * 10f64.powi(-dp) + 1e-12
}

#[test]
fn saaty_1990_house_example_to_published_digits() {
    // Saaty (1990) EJOR 48:9-26, published to 3 dp with Saaty's RI (1980 table):
    // criteria w = (.173 .054 .188 .018 .031 .036 .167 .333), lambda_max 9.669, C.I. .238,
    // C.R. .169 (= .238/1.41: an inconsistent matrix the paper still uses, so we must
    // weigh it and flag it); each house matrix's local priorities, lambda_max, C.I., C.R.;
    // composite A .396, B .341, C .263.
    let j = json("ahp_saaty1990_house.json");
    let p = &j["published_3dp"];
    let h = two_level(&j);
    let fit = Ahp::new().weigh_hierarchy(&h).unwrap();
    let root = &fit.nodes()[0].local;
    for (w, pw) in root.weights().iter().zip(vec_of(&p["criteria_weights"])) {
        assert!(within_dp(*w, pw, 3), "{w} vs {pw}");
    }
    assert!(within_dp(root.lambda_max(), 9.669, 3));
    assert!(within_dp(root.consistency_index(), 0.238, 3));
    assert!(within_dp(root.consistency_ratio(), 0.169, 3));
    assert!(!root.is_consistent());
    assert!(matches!(
        root.warnings()[0],
        AhpWarning::Inconsistent { .. }
    ));
    for node in &fit.nodes()[1..] {
        let c = node.path[0].as_str();
        let local = &p["local"][c];
        if local.get("weights").is_none() {
            continue; // neighbourhood: checked below by its symmetry with size
        }
        let l = &node.local;
        // Local priorities: one unit in the 3rd decimal (two recorded entries differ by
        // one unit from the rounded eigenvector, see `local_weights_note` in the JSON).
        for (w, pw) in l.weights().iter().zip(vec_of(&local["weights"])) {
            assert!((w - pw).abs() <= 0.001 + 1e-12, "{c}: {w} vs {pw}");
        }
        assert!(
            within_dp(l.lambda_max(), local["lambda_max"].as_f64().unwrap(), 3),
            "{c}"
        );
        let ci = local["ci"].as_f64().unwrap();
        if c == "transportation" {
            // Printed C.I. .124 is (3.247 - 3)/2 = .1235 from the *rounded* λmax, rounded
            // half up; from the exact λmax 3.24695 it is .12348, i.e. .123.
            assert!(within_dp((3.247 - 3.0) / 2.0 + 1e-9, ci, 3));
            assert!((l.consistency_index() - ci).abs() <= 0.001, "{c}");
        } else {
            assert!(within_dp(l.consistency_index(), ci, 3), "{c}");
        }
        assert!(
            within_dp(l.consistency_ratio(), local["cr"].as_f64().unwrap(), 3),
            "{c}"
        );
    }
    // Neighbourhood = size matrix with B and C swapped: same λmax, swapped priorities.
    let size = &fit.nodes()[1].local;
    let hood = &fit.nodes()[3].local;
    assert_eq!(fit.nodes()[3].path, ["neighborhood"]);
    let (s, n) = (size.weights().as_slice(), hood.weights().as_slice());
    assert_relative_eq!(n[0], s[0], max_relative = 1e-12);
    assert_relative_eq!(n[1], s[2], max_relative = 1e-12);
    assert_relative_eq!(n[2], s[1], max_relative = 1e-12);
    assert_relative_eq!(hood.lambda_max(), size.lambda_max(), max_relative = 1e-12);
    let syn = fit.synthesis();
    for (name, pw) in [("A", 0.396), ("B", 0.341), ("C", 0.263)] {
        let w = syn.iter().find(|(l, _)| l == name).unwrap().1;
        assert!(within_dp(w, pw, 3), "{name}: {w} vs {pw}");
    }
}

#[test]
fn saaty_1980_wealth_of_nations_to_published_digits() {
    // Saaty (1980) ch. 2: w = (.427 .230 .021 .052 .052 .123 .094) (3 dp), lambda_max 7.61,
    // C.I. 0.10, C.R. 0.08 (2 dp, RI 1.32). France and UK have identical rows, so their
    // weights must be equal to machine precision.
    let j = json("ahp_saaty1980_wealth.json");
    let a = matrix(&j["matrix"]);
    let p = &j["published"];
    let fit = Ahp::new().weigh(&a).unwrap();
    for (w, pw) in fit
        .weights()
        .iter()
        .zip(vec_of(&p["eigenvector_weights_3dp"]))
    {
        assert!(within_dp(*w, pw, 3), "{w} vs {pw}");
    }
    assert!(within_dp(fit.lambda_max(), 7.61, 2));
    assert!(within_dp(fit.consistency_index(), 0.10, 2));
    assert!(within_dp(fit.consistency_ratio(), 0.08, 2));
    assert_eq!(fit.random_index_value(), Some(1.32));
    let w = fit.weights().as_slice();
    assert_relative_eq!(w[3], w[4], max_relative = 1e-13);
    // The same judgements typed as the upper triangle give the same answer.
    let mut up = Vec::new();
    for i in 0..7 {
        for k in (i + 1)..7 {
            up.push(a[(i, k)]);
        }
    }
    let f2 = Ahp::new().weigh_upper_triangle(7, &up).unwrap();
    assert_relative_eq!(f2.weights(), fit.weights(), max_relative = 1e-12);
}

#[test]
fn group_ahp_aij_is_geometric_mean_of_judgements() {
    // Two experts, 2x2: a12 = 4 and 1 -> AIJ a12 = sqrt(4) = 2 -> w = (2/3, 1/3).
    // AIP: w1 = (.8, .2), w2 = (.5, .5) -> sqrt(.4) : sqrt(.1) = 2 : 1 -> (2/3, 1/3) too.
    let m = |a: f64| DMatrix::from_row_slice(2, 2, &[1.0, a, 1.0 / a, 1.0]);
    for agg in [GroupAggregation::Judgements, GroupAggregation::Priorities] {
        let g = Ahp::new()
            .weigh_group(&[m(4.0), m(1.0)], None, agg)
            .unwrap();
        assert_relative_eq!(g.weights().as_slice()[0], 2.0 / 3.0, max_relative = 1e-12);
        assert_eq!(g.individual().len(), 2);
    }
    // Expert weights (.75, .25): a12 = 4^.75 = 2.828 -> w1 = 2.828/3.828.
    let ew = Weights::new(vec![0.75, 0.25]).unwrap();
    let g = Ahp::new()
        .weigh_group(&[m(4.0), m(1.0)], Some(&ew), GroupAggregation::Judgements)
        .unwrap();
    let a = 4f64.powf(0.75);
    assert_relative_eq!(
        g.weights().as_slice()[0],
        a / (1.0 + a),
        max_relative = 1e-12
    );
}

#[test]
fn entropy_four_published_cases() {
    // Elsayed et al. 2017 (6 dp), Xu 2004 (4 dp), Zavadskas & Podvezko 2016 (4 dp),
    // Lee & Chang 2018 (3 dp): raw sum normalisation.
    let j = json("entropy_examples.json");
    for case in j["cases"].as_array().unwrap() {
        let x = matrix(&case["matrix"]);
        let pubw = vec_of(&case["published_weights"]);
        let dp = case["published_decimals"].as_i64().unwrap() as i32;
        let fit = EntropyWeights::new()
            .weigh(&x, &vec![Direction::Benefit; x.ncols()])
            .unwrap();
        let half = 0.5 * 10f64.powi(-dp) + 1e-12;
        for (w, p) in fit.weights().iter().zip(&pubw) {
            assert!((w - p).abs() <= half, "{w} vs {p} ({dp} dp)");
        }
        let full = vec_of(&case["computed_raw_sum_normalisation"]["weights"]);
        for (w, p) in fit.weights().iter().zip(&full) {
            assert!((w - p).abs() < 1e-12);
        }
        let ent = vec_of(&case["computed_raw_sum_normalisation"]["entropy_E"]);
        for (e, p) in fit.entropy().unwrap().iter().zip(&ent) {
            assert!((e - p).abs() < 1e-12);
        }
    }
}

#[test]
fn entropy_of_a_large_matrix_equals_the_definition() {
    // 100,000 x 4, large enough for the two-thread, fast-logarithm path. The reference
    // is the textbook definition E_j = -(1/ln n) Σ p ln p with p = x/Σx, computed here
    // with f64::ln and a compensated (Neumaier) sum. Column 2 holds zeros and one
    // subnormal value, column 3 is constant on its first half only, column 4 is constant.
    let n = 100_000;
    let mut next = crate::common::lcg(7);
    let mut x = DMatrix::zeros(n, 4);
    for i in 0..n {
        x[(i, 0)] = (3.0 * next()).exp();
        x[(i, 1)] = if i % 10 == 0 { 0.0 } else { 1e3 * next() };
        x[(i, 2)] = if i < n / 2 { 5.0 } else { 10.0 * next() };
        x[(i, 3)] = 2.5;
    }
    x[(17, 1)] = 1e-310; // subnormal
    let fit = EntropyWeights::new()
        .weigh(&x, &[Direction::Benefit; 4])
        .unwrap();
    let e = fit.entropy().unwrap();
    for (j, &ej) in e.iter().enumerate().take(3) {
        let col: Vec<f64> = x.column(j).iter().copied().collect();
        let total: f64 = col.iter().sum();
        let (mut h, mut c) = (0.0f64, 0.0f64);
        for &v in &col {
            if v > 0.0 {
                let p = v / total;
                let t = -p * p.ln();
                let y = h + t;
                c += if h.abs() >= t.abs() {
                    (h - y) + t
                } else {
                    (t - y) + h
                };
                h = y;
            }
        }
        let reference = (h + c) / (n as f64).ln();
        assert!(
            (ej - reference).abs() < 1e-13,
            "column {j}: {ej} vs {reference}"
        );
    }
    assert_eq!(e[3], 1.0); // constant column: exactly 1, weight exactly 0
    assert_eq!(fit.weights().as_slice()[3], 0.0);
    // A negative entry in the large path is named by row and column.
    x[(60_000, 2)] = -1.0;
    let err = EntropyWeights::new()
        .weigh(&x, &[Direction::Benefit; 4])
        .unwrap_err();
    assert!(err.to_string().contains("row 60000, column 2"), "{err}");
    x[(60_000, 2)] = f64::INFINITY;
    let err = EntropyWeights::new()
        .weigh(&x, &[Direction::Benefit; 4])
        .unwrap_err();
    assert!(err.to_string().contains("row 60000, column 2"), "{err}");
}

#[test]
fn entropy_min_max_variants() {
    // Xu 2004, all benefit: min-max with 0 ln 0 = 0 -> (.46944, .20662, .17551, .14843);
    // shifted 0.99 r + 0.01 -> (.46083, .20886, .17856, .15175) (numpy, refdata).
    let j = json("entropy_examples.json");
    let case = &j["cases"][1];
    let x = matrix(&case["matrix"]);
    let dirs = [Direction::Benefit; 4];
    let mm = EntropyWeights::new()
        .variant(EntropyVariant::MinMax)
        .weigh(&x, &dirs)
        .unwrap();
    let exp = vec_of(
        &case["variant_minmax_then_entropy_(Chinese_practice,_0*ln0=0)_computed"]["weights"],
    );
    for (w, p) in mm.weights().iter().zip(exp) {
        assert_relative_eq!(*w, p, max_relative = 1e-10);
    }
    let sh = EntropyWeights::new()
        .variant(EntropyVariant::Shifted(0.01))
        .weigh(&x, &dirs)
        .unwrap();
    let exp = vec_of(&case["variant_minmax_shift_0.01_then_entropy_computed"]["weights"]);
    for (w, p) in sh.weights().iter().zip(exp) {
        assert_relative_eq!(*w, p, max_relative = 1e-10);
    }
    // Zavadskas & Podvezko with its cost criteria in the min-max variant.
    let case = &j["cases"][2];
    let x = matrix(&case["matrix"]);
    use Direction::{Benefit as B, Cost as C};
    let mm = EntropyWeights::new()
        .variant(EntropyVariant::MinMax)
        .weigh(&x, &[C, B, C, B])
        .unwrap();
    let exp = vec_of(
        &case["variant_minmax_then_entropy_(Chinese_practice,_0*ln0=0)_computed"]["weights"],
    );
    for (w, p) in mm.weights().iter().zip(exp) {
        assert_relative_eq!(*w, p, max_relative = 1e-10);
    }
}

#[test]
fn critic_tus_adali_benefit_and_cost() {
    // Tuş & Adalı 2019: [pub] (.157, .249, .168, .121, .154, .151) with all benefit;
    // C1 as cost: (.1841, .2130, .1422, .1583, .1684, .1340) (MODELS.md §2.3).
    let j = json("critic_tus_adali2019.json");
    let x = matrix(&j["matrix"]);
    let fit = Critic::new().weigh(&x, &[Direction::Benefit; 6]).unwrap();
    for (w, p) in fit
        .weights()
        .iter()
        .zip([0.157, 0.249, 0.168, 0.121, 0.154, 0.151])
    {
        assert!((w - p).abs() <= 0.0005 + 1e-12);
    }
    let full = vec_of(&j["computed"]["all_benefit"]["weights"]);
    for (w, p) in fit.weights().iter().zip(full) {
        assert_relative_eq!(*w, p, max_relative = 1e-10);
    }
    let info = vec_of(&j["computed"]["all_benefit"]["information_C"]);
    for (c, p) in fit.scores().iter().zip(info) {
        assert_relative_eq!(*c, p, max_relative = 1e-10);
    }
    let mut dirs = [Direction::Benefit; 6];
    dirs[0] = Direction::Cost;
    let fit = Critic::new().weigh(&x, &dirs).unwrap();
    for (w, p) in fit
        .weights()
        .iter()
        .zip([0.1841, 0.2130, 0.1422, 0.1583, 0.1684, 0.1340])
    {
        assert!((w - p).abs() <= 0.00005 + 1e-12, "{w} vs {p}");
    }
}

#[test]
fn merec_keshavarz_ghorabaee_2021() {
    // MODELS.md §2.4 [pub]: (.5752, .0141, .4016, .0091).
    let x = DMatrix::from_row_slice(
        5,
        4,
        &[
            450.0, 8000.0, 54.0, 145.0, 10.0, 9100.0, 2.0, 160.0, 100.0, 8200.0, 31.0, 153.0,
            220.0, 9300.0, 1.0, 162.0, 5.0, 8400.0, 23.0, 158.0,
        ],
    );
    use Direction::{Benefit as B, Cost as C};
    let fit = Merec::new().weigh(&x, &[B, B, C, C]).unwrap();
    for (w, p) in fit.weights().iter().zip([0.5752, 0.0141, 0.4016, 0.0091]) {
        assert!((w - p).abs() <= 0.00005 + 1e-12);
    }
    // Removal effects E_j (paper, 2 dp): 1.71, 0.04, 1.19, 0.03
    for (e, p) in fit.scores().iter().zip([1.71, 0.04, 1.19, 0.03]) {
        assert!((e - p).abs() <= 0.005 + 1e-12, "{e}");
    }
}

#[test]
fn std_cv_and_combination_by_hand() {
    // columns (1,2,3) and (2,4,9): raw sd 1 and sqrt(13) = 3.6056; means 2 and 5 ->
    // CV .5 and .72111; normalised min-max (0,.5,1) and (0,2/7,1): sd .5 and .50508.
    let x = DMatrix::from_row_slice(3, 2, &[1.0, 2.0, 2.0, 4.0, 3.0, 9.0]);
    let d = [Direction::Benefit; 2];
    let raw = StdDevWeights::new().normalize(false).weigh(&x, &d).unwrap();
    assert_relative_eq!(
        raw.weights().as_slice()[0],
        1.0 / (1.0 + 13f64.sqrt()),
        max_relative = 1e-12
    );
    let cv = CvWeights::new().weigh(&x, &d).unwrap();
    let c2 = 13f64.sqrt() / 5.0;
    assert_relative_eq!(
        cv.weights().as_slice()[0],
        0.5 / (0.5 + c2),
        max_relative = 1e-12
    );
    let nrm = StdDevWeights::new().weigh(&x, &d).unwrap();
    let s2 = ((2.0f64 / 7.0 - 3.0 / 7.0).powi(2) + (3.0f64 / 7.0).powi(2) + (4.0f64 / 7.0).powi(2))
        / 2.0;
    assert_relative_eq!(
        nrm.weights().as_slice()[0],
        0.5 / (0.5 + s2.sqrt()),
        max_relative = 1e-12
    );
    let e = Combination::Linear(1.5)
        .combine(raw.weights(), cv.weights())
        .unwrap_err();
    assert_eq!(e.to_string(), "option `alpha` must be in [0, 1], got 1.5");
}

#[test]
fn normalisation_models_worked_example() {
    // MODELS.md §1: x = (10, 20, 20, 40, 60).
    let x = DMatrix::from_column_slice(5, 1, &[10.0, 20.0, 20.0, 40.0, 60.0]);
    let cases: [(Normalization, [f64; 5]); 5] = [
        (Normalization::MinMax, [0.0, 0.2, 0.2, 0.6, 1.0]),
        (Normalization::ZScore, [-1.0, -0.5, -0.5, 0.5, 1.5]),
        (
            Normalization::PercentRank(RankTies::MidRank),
            [0.1, 0.4, 0.4, 0.7, 0.9],
        ),
        (
            Normalization::PercentRank(RankTies::RankOverN),
            [0.2, 0.5, 0.5, 0.8, 1.0],
        ),
        (
            Normalization::PercentRank(RankTies::ZeroToOne),
            [0.0, 0.375, 0.375, 0.75, 1.0],
        ),
    ];
    for (m, exp) in cases {
        let r = Normalize::new()
            .method(m)
            .apply(&x, &[Direction::Benefit])
            .unwrap();
        for (a, b) in r.iter().zip(exp) {
            assert!((a - b).abs() < 1e-12, "{m}: {a} vs {b}");
        }
    }
    let c = DMatrix::from_column_slice(3, 1, &[7.0, 7.0, 7.0]);
    let e = Normalize::new()
        .apply(&c, &[Direction::Benefit])
        .unwrap_err();
    assert!(e.to_string().contains("indicator column 0"));
    let z = Normalize::new()
        .constant(ConstantColumn::Zeros)
        .apply(&c, &[Direction::Benefit])
        .unwrap();
    assert!(z.iter().all(|v| *v == 0.0));
}

#[test]
fn errors_name_what_and_where() {
    let x = DMatrix::from_row_slice(2, 2, &[1.0, f64::NAN, 2.0, 3.0]);
    let e = EntropyWeights::new()
        .weigh(&x, &[Direction::Benefit; 2])
        .unwrap_err();
    assert_eq!(
        e.to_string(),
        "`indicator matrix` has a non-finite value (NaN) at row 0, column 1"
    );
    let x = DMatrix::from_row_slice(2, 2, &[1.0, 2.0, 2.0, 3.0]);
    let e = Critic::new().weigh(&x, &[Direction::Benefit]).unwrap_err();
    assert_eq!(
        e.to_string(),
        "dimension mismatch in directions (one per column): expected 2, found 1"
    );
    let a = DMatrix::from_row_slice(2, 3, &[1.0; 6]);
    assert!(Ahp::new().weigh(&a).is_err());
    let e = Ahp::new().weigh_upper_triangle(3, &[1.0, 2.0]).unwrap_err();
    assert!(e.to_string().contains("expected 3, found 2"));
}

fn positive_matrix() -> impl Strategy<Value = DMatrix<f64>> {
    (3usize..12, 2usize..6).prop_flat_map(|(n, m)| {
        proptest::collection::vec(0.1f64..100.0, n * m)
            .prop_map(move |v| DMatrix::from_row_slice(n, m, &v))
    })
}

fn all_objective(x: &DMatrix<f64>) -> Vec<Option<Weights>> {
    let d = vec![Direction::Benefit; x.ncols()];
    let mut dirs = d.clone();
    dirs[0] = Direction::Cost;
    vec![
        EntropyWeights::new()
            .weigh(x, &d)
            .ok()
            .map(|f| f.weights().clone()),
        EntropyWeights::new()
            .variant(EntropyVariant::Shifted(0.01))
            .weigh(x, &dirs)
            .ok()
            .map(|f| f.weights().clone()),
        Critic::new()
            .weigh(x, &dirs)
            .ok()
            .map(|f| f.weights().clone()),
        StdDevWeights::new()
            .weigh(x, &d)
            .ok()
            .map(|f| f.weights().clone()),
        CvWeights::new()
            .weigh(x, &d)
            .ok()
            .map(|f| f.weights().clone()),
        Merec::new()
            .weigh(x, &dirs)
            .ok()
            .map(|f| f.weights().clone()),
    ]
}

proptest! {
    #![proptest_config(ProptestConfig::with_cases(64))]

    #[test]
    fn weights_sum_to_one_and_are_invariant(x in positive_matrix(), scale in 0.01f64..100.0, shift in 0usize..50) {
        let base = all_objective(&x);
        let n = x.nrows();
        // row permutation (rotation) and rescaling column 1
        let perm = DMatrix::from_fn(n, x.ncols(), |i, j| {
            let v = x[((i + shift) % n, j)];
            if j == 1 { v * scale } else { v }
        });
        let moved = all_objective(&perm);
        for (a, b) in base.iter().zip(&moved) {
            match (a, b) {
                (Some(a), Some(b)) => {
                    prop_assert!((a.iter().sum::<f64>() - 1.0).abs() < 1e-12);
                    prop_assert!(a.iter().all(|w| *w >= 0.0));
                    for (p, q) in a.iter().zip(b.iter()) {
                        prop_assert!((p - q).abs() < 1e-9, "{p} vs {q}");
                    }
                }
                (None, None) => {}
                _ => prop_assert!(false, "one side failed"),
            }
        }
    }

    #[test]
    fn ahp_weights_sum_to_one(up in proptest::collection::vec(0.111f64..9.0, 10)) {
        let fit = Ahp::new().weigh_upper_triangle(5, &up).unwrap();
        prop_assert!((fit.weights().iter().sum::<f64>() - 1.0).abs() < 1e-12);
        prop_assert!(fit.consistency_ratio() >= -1e-12);
        prop_assert!(fit.lambda_max() >= 5.0 - 1e-9);
    }

    #[test]
    fn custom_table_with_a_bad_entry_is_an_err_never_a_panic(
        mut v in proptest::collection::vec(0.01f64..2.0, 3..20),
        bad in prop_oneof![Just(f64::NAN), Just(f64::INFINITY), Just(f64::NEG_INFINITY),
                           Just(0.0), Just(-0.0), -5.0f64..0.0, 0.001f64..1.0],
        at in 0usize..20,
    ) {
        v[0] = 0.0;
        v[1] = 0.0;
        prop_assert!(RandomIndex::custom("p", &v).is_ok());
        let at = at % v.len();
        v[at] = bad;
        // bad at n = 1, 2: anything but 0; at n >= 3: anything not finite and > 0.
        let is_bad = if at < 2 { bad != 0.0 } else { !(bad.is_finite() && bad > 0.0) };
        match RandomIndex::custom("p", &v) {
            Ok(t) => prop_assert!(!is_bad, "accepted {bad} at n = {}: {t:?}", at + 1),
            Err(e) => {
                prop_assert!(is_bad);
                let expected = format!("at n = {}", at + 1);
                prop_assert!(e.to_string().contains(&expected), "{e}");
            }
        }
    }

    #[test]
    fn upper_triangle_is_ok_with_finite_weights_or_a_named_error(
        n in 1usize..9,
        vals in proptest::collection::vec(prop_oneof![
            Just(f64::NAN), Just(0.0), Just(-2.0), Just(f64::INFINITY), Just(f64::MAX),
            Just(f64::MIN_POSITIVE), 1e-300f64..1e300, 0.111f64..9.0], 36),
    ) {
        // Any input, extreme magnitudes included: an Ok result has finite weights summing
        // to 1 and a finite CR; a bad cell is named; nothing panics.
        let up = &vals[..n * (n - 1) / 2];
        for m in [PriorityMethod::Eigenvector, PriorityMethod::GeometricMean, PriorityMethod::ArithmeticMean] {
            match Ahp::new().method(m).random_index(RandomIndex::Saaty2005).weigh_upper_triangle(n, up) {
                Ok(fit) => {
                    prop_assert!(fit.weights().iter().all(|w| w.is_finite() && *w >= 0.0));
                    prop_assert!((fit.weights().iter().sum::<f64>() - 1.0).abs() < 1e-9);
                    prop_assert!(fit.consistency_ratio().is_finite());
                }
                Err(e) => {
                    let bad = up.iter().any(|v| !(v.is_finite() && *v > 0.0));
                    if bad {
                        prop_assert!(e.to_string().contains("row "), "{e}");
                    }
                }
            }
        }
    }

    #[test]
    fn no_panic_on_arbitrary_input(v in proptest::collection::vec(prop_oneof![
        Just(f64::NAN), Just(0.0), Just(-1.0), Just(f64::INFINITY), -1e6f64..1e6], 0..30), m in 1usize..4) {
        let n = v.len() / m;
        let x = DMatrix::from_row_slice(n, m, &v[..n * m]);
        let d = vec![Direction::Benefit; m];
        let _ = all_objective(&x);
        let _ = EntropyWeights::new().variant(EntropyVariant::MinMax).weigh(&x, &d);
        for meth in [Normalization::MinMax, Normalization::ZScore, Normalization::Sum, Normalization::Max,
                     Normalization::Vector, Normalization::PercentRank(RankTies::ZeroToOne)] {
            let _ = Normalize::new().method(meth).apply(&x, &d);
        }
        if n == m {
            let _ = Ahp::new().weigh(&x);
            let _ = Ahp::new().method(PriorityMethod::GeometricMean).weigh(&x);
        }
        let k = (1..6).find(|k| k * (k - 1) / 2 == v.len());
        if let Some(k) = k { let _ = Ahp::new().weigh_upper_triangle(k, &v); }
    }
}
