//! Retention cost matching and budget allocation on the IBM Telco churn sample.
//!
//! ```text
//! cargo run --release --example retention_budget [-- path/to/concentration.svg]
//! ```
//!
//! Data: `examples/data/ibm_telco_churn.csv` (7,043 customers; see its README).
//! - Contribution: `MonthlyCharges`.
//! - Churn probability: a documented stand-in until the churn model is merged: the
//!   observed churn rate of the customer's contract x internet-service cell (9 cells),
//!   computed from the data itself.
//! - Value if retained: 12 x `MonthlyCharges` (one year of charges).
//! - Current retention cost: **synthetic**, a flat 8 per customer plus 4% of charges
//!   plus a deterministic pseudo-random 0..6 (the data set has no cost column).
//! - Offers: a light offer (cost = half a month's charge, uplift 0.15) and a strong offer
//!   (cost = two months' charges, uplift 0.30), both rounded to whole currency units.
//! - Tiers: the top 10% by charges are high-end; the data has no group accounts.
//! - Segments: current value high = charges above the median; potential high = tenure
//!   under 24 months (room to grow). Stage: onboarding when tenure <= 6 months.
#![allow(clippy::unwrap_used, clippy::expect_used)]

use std::collections::HashMap;

use crm_analytics::Probability;
use crm_analytics::retention::{
    AllocationMethod, BudgetAllocator, CostMatching, CustomerProfile, OfferEconomics,
    RetentionOffer, RetentionPlan, SampleSize, TargetBudget, Tier,
};
use crm_analytics::strategy::{LifecycleStage, StrategyBook, ValueSegment};
use plotters::prelude::*;

struct Customer {
    id: String,
    tenure: f64,
    cell: String,
    charges: f64,
    churned: bool,
}

fn load() -> Result<Vec<Customer>, Box<dyn std::error::Error>> {
    let path = concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/examples/data/ibm_telco_churn.csv"
    );
    let text = std::fs::read_to_string(path)?;
    let mut lines = text.lines();
    let header: Vec<&str> = lines.next().ok_or("empty file")?.split(',').collect();
    let col = |name: &str| {
        header
            .iter()
            .position(|h| *h == name)
            .ok_or(format!("no column {name}"))
    };
    let (id, tenure, internet, contract, charges, churn) = (
        col("customerID")?,
        col("tenure")?,
        col("InternetService")?,
        col("Contract")?,
        col("MonthlyCharges")?,
        col("Churn")?,
    );
    let mut out = Vec::new();
    for line in lines.filter(|l| !l.is_empty()) {
        let f: Vec<&str> = line.split(',').collect();
        out.push(Customer {
            id: f[id].to_string(),
            tenure: f[tenure].parse()?,
            cell: format!("{} / {}", f[contract], f[internet]),
            charges: f[charges].parse()?,
            churned: f[churn] == "Yes",
        });
    }
    Ok(out)
}

/// Deterministic 0..1 from an index (SplitMix64 finaliser).
fn jitter(i: usize) -> f64 {
    let mut z = (i as u64).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    ((z ^ (z >> 31)) >> 11) as f64 / (1u64 << 53) as f64
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let svg = std::env::args()
        .nth(1)
        .unwrap_or_else(|| "target/retention_concentration.svg".to_string());
    let customers = load()?;
    let n = customers.len();

    // Churn-probability stand-in: churn rate of the contract x internet cell.
    let mut cells: HashMap<&str, (usize, usize)> = HashMap::new();
    for c in &customers {
        let e = cells.entry(c.cell.as_str()).or_default();
        e.0 += usize::from(c.churned);
        e.1 += 1;
    }
    let mut cell_rows: Vec<_> = cells.iter().collect();
    cell_rows.sort_by(|a, b| a.0.cmp(b.0));
    println!("Churn-probability stand-in: observed churn by contract / internet service");
    for (cell, (churned, size)) in &cell_rows {
        println!(
            "  {cell:<32} {size:>5} customers  churn {:.4}",
            *churned as f64 / *size as f64
        );
    }
    println!();
    let p: Vec<f64> = customers
        .iter()
        .map(|c| {
            let (k, m) = cells[c.cell.as_str()];
            k as f64 / m as f64
        })
        .collect();

    let value: Vec<f64> = customers.iter().map(|c| c.charges).collect();
    let cost: Vec<f64> = customers
        .iter()
        .enumerate()
        .map(|(i, c)| 8.0 + 0.04 * c.charges + 6.0 * jitter(i))
        .collect();
    let mut sorted = value.clone();
    sorted.sort_by(f64::total_cmp);
    let p90 = sorted[(0.9 * n as f64) as usize];
    let median = sorted[n / 2];
    let tiers: Vec<Tier> = value
        .iter()
        .map(|&v| if v >= p90 { Tier::HighEnd } else { Tier::Mass })
        .collect();
    let segments: Vec<ValueSegment> = customers
        .iter()
        .map(|c| ValueSegment::from_levels(c.charges > median, c.tenure < 24.0))
        .collect();

    // 1. Contribution-cost matching.
    let matching = CostMatching::new()
        .top(8)
        .fit(&value, &cost, Some(&tiers), Some(&segments))?;
    println!("{matching}");
    println!(
        "Most over-served customers (IDs): {}",
        ids(
            &customers,
            matching.over_served().iter().map(|r| r.customer)
        )
    );
    println!(
        "Most under-served customers (IDs): {}\n",
        ids(
            &customers,
            matching.under_served().iter().map(|r| r.customer)
        )
    );

    // 2. Target budget by tilted contribution, capped at the max justified spend p·γ·V.
    let gamma = Probability::new(0.30)?;
    let econ: Vec<OfferEconomics> = (0..n)
        .map(|i| OfferEconomics::evaluate(Probability::new(p[i])?, gamma, 12.0 * value[i], 0.0))
        .collect::<Result<_, _>>()?;
    let caps: Vec<f64> = econ
        .iter()
        .map(OfferEconomics::max_justified_spend)
        .collect();
    let total_budget = 20_000.0;
    let split = TargetBudget::new().split(total_budget, &value, &tiers, Some(&caps))?;
    println!("{split}");

    // 3. Allocation of the same budget over two offers per customer, both ways.
    let mut offers = Vec::with_capacity(2 * n);
    for i in 0..n {
        let pi = Probability::new(p[i])?;
        let light = (0.5 * value[i]).round();
        let strong = (2.0 * value[i]).round();
        offers.push(RetentionOffer::from_economics(
            i,
            pi,
            Probability::new(0.15)?,
            12.0 * value[i],
            light,
        )?);
        offers.push(RetentionOffer::from_economics(
            i,
            pi,
            gamma,
            12.0 * value[i],
            strong,
        )?);
    }
    let t = std::time::Instant::now();
    let greedy = BudgetAllocator::new().allocate(&offers, total_budget)?;
    let t_greedy = t.elapsed();
    let t = std::time::Instant::now();
    let exact = BudgetAllocator::new()
        .method(AllocationMethod::Exact)
        .allocate(&offers, total_budget)?;
    let t_exact = t.elapsed();
    println!("{greedy}");
    println!("{exact}");
    println!(
        "Greedy reaches {:.4}% of the exact optimum ({:.1} ms vs {:.1} ms)\n",
        100.0 * greedy.gain() / exact.gain(),
        t_greedy.as_secs_f64() * 1e3,
        t_exact.as_secs_f64() * 1e3
    );

    // 4. The plan: segment, stage, tier, bond and actions, budget and expected gain.
    let mut budget = vec![0.0; n];
    let mut gain = vec![0.0; n];
    for c in exact.chosen() {
        budget[c.customer] = c.cost;
        gain[c.customer] = c.gain;
    }
    let profiles: Vec<CustomerProfile> = customers
        .iter()
        .zip(&segments)
        .zip(&tiers)
        .map(|((c, &s), &t)| {
            let stage = (c.tenure <= 6.0).then_some(LifecycleStage::Onboarding);
            CustomerProfile::new(s, stage, t)
        })
        .collect();
    let plan = RetentionPlan::build(&StrategyBook::default(), &profiles, &budget, &gain)?;
    println!("{plan}");

    // 5. How large must a test be to see churn fall from 42.7% to 38% (month-to-month)?
    let size = SampleSize::new().per_group(
        Probability::new(1.0 - 0.427)?,
        Probability::new(1.0 - 0.38)?,
    )?;
    println!("{size}");

    // SVG: concentration curve of cost vs the value (Lorenz) line.
    if let Some(dir) = std::path::Path::new(&svg).parent()
        && !dir.as_os_str().is_empty()
    {
        std::fs::create_dir_all(dir)?;
    }
    let root = SVGBackend::new(&svg, (720, 560)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption(
            format!(
                "Retention cost vs contribution (CI {:.3}, Gini {:.3})",
                matching.concentration_index(),
                matching.value_gini()
            ),
            ("sans-serif", 20),
        )
        .margin(12)
        .x_label_area_size(45)
        .y_label_area_size(55)
        .build_cartesian_2d(0f64..1f64, 0f64..1f64)?;
    chart
        .configure_mesh()
        .x_desc("share of customers, ranked by monthly charges (ascending)")
        .y_desc("cumulative share")
        .draw()?;
    let curve = matching.curve();
    chart
        .draw_series(LineSeries::new(
            curve.iter().map(|q| (q.population_share, q.cost_share)),
            RED.stroke_width(2),
        ))?
        .label("retention cost (concentration curve)")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], RED));
    chart
        .draw_series(LineSeries::new(
            curve.iter().map(|q| (q.population_share, q.value_share)),
            BLUE.stroke_width(2),
        ))?
        .label("contribution (value line, Lorenz)")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLUE));
    chart
        .draw_series(LineSeries::new(
            vec![(0.0, 0.0), (1.0, 1.0)],
            BLACK.mix(0.4),
        ))?
        .label("equal shares")
        .legend(|(x, y)| PathElement::new(vec![(x, y), (x + 20, y)], BLACK.mix(0.4)));
    chart
        .configure_series_labels()
        .position(SeriesLabelPosition::UpperLeft)
        .background_style(WHITE.mix(0.85))
        .border_style(BLACK)
        .draw()?;
    root.present()?;
    println!("Wrote the concentration curve to {svg}");
    Ok(())
}

fn ids(customers: &[Customer], idx: impl Iterator<Item = usize>) -> String {
    idx.map(|i| customers[i].id.as_str())
        .collect::<Vec<_>>()
        .join(", ")
}
