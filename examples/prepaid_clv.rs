//! Prepaid ("buy till you die") customer value on the CDNOW sample.
//!
//! Reads `examples/data/cdnow_sample.txt` (2,357 customers, 6,919 transactions; Fader &
//! Hardie's CDNOW 1/10 sample as shipped with lifetimes 0.11.3, MIT), builds per-customer
//! summaries with the streaming aggregator (same-day purchases merged, time in weeks,
//! calibration to 1997-09-30 and holdout to 1998-06-30), fits BG/NBD, MBG/NBD, Pareto/NBD
//! and Gamma-Gamma, prints P(alive), a 12-month discounted CLV per customer, the top
//! customers and the calibration/holdout table, and writes an SVG of P(alive) over
//! recency and frequency.
//!
//! ```text
//! cargo run --release --example prepaid_clv [-- path/to/p_alive.svg]
//! ```
//! (default output: `target/prepaid_clv_p_alive.svg`)

use std::error::Error;

use crm_analytics::clv::{
    BgNbd, DiscountedClv, GammaGamma, HoldoutTable, MbgNbd, ParetoNbd, PeriodUnit, RfmAggregator, day_number,
};
use plotters::prelude::*;

fn main() -> Result<(), Box<dyn Error>> {
    let out = std::env::args().nth(1).unwrap_or_else(|| "target/prepaid_clv_p_alive.svg".to_string());
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/examples/data/cdnow_sample.txt");
    let text = std::fs::read_to_string(path)?;

    // 1. Transactions -> summaries (one record per customer, streaming).
    let calibration_end = day_number(1997, 9, 30)? as f64;
    let holdout_end = day_number(1998, 6, 30)? as f64;
    let mut agg = RfmAggregator::new(calibration_end)?
        .merge_period(PeriodUnit::Day)
        .unit(PeriodUnit::Week)
        .holdout_end(holdout_end);
    for line in text.lines() {
        let f: Vec<&str> = line.split_whitespace().collect();
        if f.len() < 5 {
            continue;
        }
        let id: u64 = f[1].parse()?;
        let d: u32 = f[2].parse()?;
        let day = day_number((d / 10_000) as i32, d / 100 % 100, d % 100)? as f64;
        agg.fold(id, day, f[4].parse()?)?;
    }
    let summaries = agg.finish()?;
    println!("{summaries}\n");
    let data = summaries.to_rfm_data()?;

    // 2. Transaction models (weekly rates) and the spend model (US$ per transaction).
    let bg = BgNbd::new().fit(&data)?;
    let mbg = MbgNbd::new().fit(&data)?;
    let pnbd = ParetoNbd::new().fit(&data)?;
    println!("{bg}\n\n{mbg}\n\n{pnbd}\n");
    let (_, x_rep, spend_rep) = summaries.spend();
    let gg = GammaGamma::new().fit(&x_rep, &spend_rep)?;
    println!("{gg}\n");

    // 3. Per customer: P(alive), expected transactions and a 12-month discounted CLV.
    //    Cash flows: 12 months of 30.4375 days, 1% discount per month (about 12.7% a year),
    //    30% margin on spend; the weekly BG/NBD is converted to months explicitly.
    let clv_options = DiscountedClv::new()
        .periods(12)
        .period_unit(PeriodUnit::Month)
        .discount_rate(0.01)
        .margin(0.30);
    let p = bg.params();
    let mut rows = Vec::with_capacity(summaries.customers().len());
    for c in summaries.customers() {
        let spend = gg.conditional_expected_spend(c.frequency, c.mean_repeat_spend.unwrap_or(0.0))?;
        let table = clv_options.cash_flows(&p, c.frequency, c.recency, c.age, spend)?;
        let alive = p.p_alive(c.frequency, c.recency, c.age)?;
        rows.push((c.id, c.frequency, c.recency, c.age, alive, table.expected_transactions, spend, table.clv));
    }
    println!("first customers (time in weeks; spend and CLV in US$ margin over 12 months):");
    println!("{:>6} {:>4} {:>8} {:>8} {:>8} {:>10} {:>10} {:>10}", "id", "x", "t_x", "T", "P(alive)", "E[tx 12m]", "E[spend]", "CLV 12m");
    let print = |r: &(u64, f64, f64, f64, f64, f64, f64, f64)| {
        println!(
            "{:>6} {:>4} {:>8.2} {:>8.2} {:>8.4} {:>10.4} {:>10.2} {:>10.2}",
            r.0, r.1, r.2, r.3, r.4, r.5, r.6, r.7
        );
    };
    rows.iter().take(8).for_each(print);
    let total: f64 = rows.iter().map(|r| r.7).sum();
    println!("base total 12-month CLV: US$ {total:.2} over {} customers\n", rows.len());

    let mut top = rows.clone();
    top.sort_by(|a, b| b.7.total_cmp(&a.7));
    println!("top 10 customers by 12-month CLV:");
    top.iter().take(10).for_each(print);
    println!();

    // One customer's cash-flow table in full.
    let first = &summaries.customers()[0];
    let spend = gg.conditional_expected_spend(first.frequency, first.mean_repeat_spend.unwrap_or(0.0))?;
    println!("customer {}:\n{}\n", first.id, clv_options.cash_flows(&p, first.frequency, first.recency, first.age, spend)?);

    // 4. Calibration / holdout (weeks 40-78).
    println!("BG/NBD {}\n", HoldoutTable::new(&p, &summaries, 7)?);
    println!("Pareto/NBD {}\n", HoldoutTable::new(&pnbd.params(), &summaries, 7)?);

    // 5. SVG: P(alive) over recency (x axis) and frequency (y axis) for T = 39 weeks.
    if let Some(dir) = std::path::Path::new(&out).parent() {
        std::fs::create_dir_all(dir)?;
    }
    let t_cal = 39.0;
    let root = SVGBackend::new(&out, (760, 560)).into_drawing_area();
    root.fill(&WHITE)?;
    let mut chart = ChartBuilder::on(&root)
        .caption("BG/NBD P(alive) at T = 39 weeks, CDNOW", ("sans-serif", 20))
        .margin(15)
        .x_label_area_size(40)
        .y_label_area_size(50)
        .build_cartesian_2d(0.0..t_cal, 0.0..30.0)?;
    chart.configure_mesh().x_desc("recency t_x (weeks)").y_desc("frequency x (repeat transactions)").draw()?;
    let (nx, ny) = (78usize, 30usize);
    let mut cells = Vec::with_capacity(nx * ny);
    for i in 0..nx {
        for j in 0..ny {
            let tx0 = t_cal * i as f64 / nx as f64;
            let tx1 = t_cal * (i + 1) as f64 / nx as f64;
            let x = j as f64;
            let tx_mid = if j == 0 { 0.0 } else { 0.5 * (tx0 + tx1) };
            let a = p.p_alive(x, tx_mid, t_cal)?;
            let shade = RGBColor((255.0 * (1.0 - a)) as u8, (80.0 + 150.0 * a) as u8, (255.0 * a) as u8);
            cells.push(Rectangle::new([(tx0, x), (tx1, x + 1.0)], shade.filled()));
        }
    }
    chart.draw_series(cells)?;
    root.present()?;
    println!("wrote {out} (blue = likely alive, red = likely gone)");
    Ok(())
}
